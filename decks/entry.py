"""The `myodeck` command: its start-up runs without the cyclic garbage collector.

Importing the program and reading its facts make tens of thousands of objects, all of
which live as long as the command, and the collector walked them again and again while
they were made: about 5 ms of the quiz's start-up. So the collector is paused here, at
the very start, and `decks.cli._started` resumes it once a command has loaded its facts,
having frozen what start-up made (left out of every later collection: it is never
garbage); this is the pattern the `gc.freeze` documentation gives. A command that does not
load facts that way (`regions`; `check`, which only reads and validates them) runs to its
end without collection: `check` of 1,000 fact files then peaks at the same memory, sooner.
"""

import gc


def main() -> None:
    gc.disable()
    from decks.cli import main as command

    command(prog_name="myodeck")
