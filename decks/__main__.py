from decks.cli import main

main(prog_name="myodeck")
