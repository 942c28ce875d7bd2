"""The `myodeck` command: parses arguments, calls one core function, reports.

Expected failures (MyodeckError) become a message on stderr and exit 1 here,
in one place; nothing below this module prints or exits.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from decks import __version__
from decks.errors import FactsInvalid, MyodeckError
from decks.loader import load_facts
from decks.model import Facts
from decks.regions import REGIONS
from source_facts import bundled_facts_dir


class _Group(click.Group):
    """Turns the core's expected errors into clean messages and exit code 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except FactsInvalid as exc:
            for error in exc.errors:
                click.echo(str(error), err=True)
            files = len({e.path for e in exc.errors})
            plural = "s" if len(exc.errors) != 1 else ""
            raise click.ClickException(
                f"{len(exc.errors)} problem{plural} in {files} file{'s' if files != 1 else ''}; nothing was written"
            ) from None
        except MyodeckError as exc:
            raise click.ClickException(str(exc)) from None


facts_option = click.option(
    "--facts",
    "facts_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    metavar="DIR",
    help="Folder of fact files to use instead of the bundled ones.",
)


def _load(facts_dir: Path | None) -> Facts:
    return load_facts(facts_dir if facts_dir is not None else bundled_facts_dir())


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="myodeck")
def main() -> None:
    """Learn the muscles of the lower limb and their trigger points.

    myodeck turns fact files (YAML, one per muscle) into Anki decks with
    trigger-point diagrams, and quizzes you on them in the terminal.
    """


@main.command()
@facts_option
def check(facts_dir: Path | None) -> None:
    """Validate the fact files and print a one-line summary.

    Every problem is reported as FILE:LINE: WHERE: WHAT, and the exit status is 1.
    """
    facts = _load(facts_dir)
    click.echo(facts.summary())


@main.command()
def regions() -> None:
    """List the body regions fact files may name, with the views that show them."""
    for region in REGIONS.values():
        views = ", ".join(view.value for view in region.views)
        click.echo(f"{region.id:<26} {region.name}  [{views}]")
