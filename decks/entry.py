"""The `myodeck` command: its start-up runs without the cyclic garbage collector.

Importing the program and reading its facts make tens of thousands of objects, all of
which live as long as the command, and the collector walked them again and again while
they were made: about 5 ms of the quiz's start-up. So the collector is paused here, at
the very start, and `decks.cli` resumes it once the facts are loaded (`started`), having
frozen what start-up made (left out of every later collection: it is never garbage). This
is the pattern the `gc.freeze` documentation gives; a command that loads no facts is over
before the pause matters.
"""

import gc


def main() -> None:
    gc.disable()
    from decks.cli import main as command

    command(prog_name="myodeck")
