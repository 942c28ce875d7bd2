"""The `myodeck` command: parses arguments, calls one core function, reports.

Expected failures (MyodeckError) become a message on stderr and exit 1 here,
in one place. The commands themselves live in `decks.commands`, one module per kind
of work, and share the options and helpers defined here; each module is imported when
one of its commands runs. Below this click layer nothing prints or exits.
"""

from __future__ import annotations

import datetime as dt
import gc
import importlib
import os
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from decks import __version__, fact_cache
from decks.cache_dir import cache_dir
from decks.card_kind import CardKind
from decks.errors import FactsInvalid, MyodeckError, printable, shown
from decks.fact_cache import LoadedFacts
from source_facts import bundled_facts_dir

if TYPE_CHECKING:
    from decks.model import Facts


# Where each command is defined: imported when it runs (or for --help), so a quiz's start does not
# build the other commands and their seventy options (2 ms).
COMMANDS = {
    "build": "decks.commands.deck:build",
    "check": "decks.commands.facts:check",
    "class": "decks.commands.classroom:class_",
    "export": "decks.commands.classroom:export",
    "gallery": "decks.commands.pictures:gallery",
    "handout": "decks.commands.classroom:handout",
    "lookup": "decks.commands.facts:lookup",
    "movements": "decks.commands.facts:movements",
    "muscles": "decks.commands.facts:muscles",
    "quiz": "decks.commands.study:quiz",
    "regions": "decks.commands.facts:regions",
    "render": "decks.commands.pictures:render",
    "review": "decks.commands.deck:review",
    "shapes": "decks.commands.facts:shapes",
    "stamp": "decks.commands.deck:stamp",
    "stats": "decks.commands.study:stats",
}


class _Group(click.Group):
    """Finds each command in its module (`COMMANDS`); turns the core's expected errors into clean
    messages and exit code 1."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, name = COMMANDS[cmd_name].split(":")
        command: click.Command = getattr(importlib.import_module(module), name)
        return command

    def invoke(self, ctx: click.Context) -> Any:
        # A character the drawing font lacks (an emoji in a name) is drawn as a box; matplotlib's
        # warning would print our source line, as if the program had failed.
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .* missing from font", category=UserWarning)
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


class OutputPath(click.Path):
    """A file to write (with `folder`, a folder to write files in), checked before any work is done.

    An empty name, a name ending in '/', a missing or read-only folder: each is a usage
    error at once, not a traceback after a minute of drawing.
    """

    def __init__(self, *, folder: bool = False, must_write: bool = True) -> None:
        super().__init__(path_type=Path, file_okay=not folder, dir_okay=folder, readable=False)
        self.folder = folder
        self.must_write = must_write  # False: only its folder must exist (a database `stats` only reads)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        text = os.fspath(value)
        if not text:
            self.fail("expected a file name, found an empty string", param, ctx)
        if not self.folder and text.endswith(os.sep):
            self.fail(
                f"'{printable(text)}' ends with '{os.sep}', so it names a folder (expected a file name)", param, ctx
            )
        path = super().convert(value, param, ctx)
        if self.must_write:
            from decks.atomic import output_problem  # with tempfile and shutil: not for a --db the quiz reads

            problem = output_problem(path, folder=self.folder)
        else:
            problem = _folder_problem(path)
        if problem:
            self.fail(problem, param, ctx)
        return path


def _folder_problem(path: Path) -> str | None:
    parent = path.parent
    if parent.is_dir():
        return None
    shown_parent = printable(str(parent))
    return f"{shown_parent} is not a folder" if parent.exists() else f"no folder {shown_parent} (create it first)"


muscle_option = click.option(
    "--muscle", "muscles", multiple=True, metavar="ID", help="Only this muscle (repeat for more)."
)


def _topic_option(kinds: list[str], help_text: str) -> Callable[[Any], Any]:
    """`--topic KIND`, repeatable, one of `kinds`."""
    return click.option("--topic", "topics", type=click.Choice(kinds), multiple=True, metavar="KIND", help=help_text)


CARD_KINDS = [kind.value for kind in CardKind]
topic_option = _topic_option(
    CARD_KINDS, f"Only cards of this kind (repeat for more): {', '.join(CardKind)}. Default: all."
)
OCCLUSION_TOPIC = "occlusion"  # build only: Anki's Image Occlusion notes (decks/occlusion.py)
build_topic_option = _topic_option(
    [*CARD_KINDS, OCCLUSION_TOPIC],
    f"Only cards of this kind (repeat for more): {', '.join([*CardKind, OCCLUSION_TOPIC])}. Default: all.",
)
class_topic_option = _topic_option(
    CARD_KINDS,
    "Only questions of this kind (repeat for more); the class asks pattern, referral, location, "
    "attachments, actions, innervation (the default mix), pain-map, movers, stretch and antagonists.",
)
facts_option = click.option(
    "--facts",
    "facts_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    metavar="DIR",
    help="Folder of fact files to use instead of the bundled ones.",
)


def load_with_cards(facts_dir: Path | None) -> LoadedFacts:
    loaded = fact_cache.load(facts_dir if facts_dir is not None else bundled_facts_dir(), cache_dir("facts"))
    _started()
    return loaded


def _started() -> None:
    """Start-up is over: resume the collector that `decks.entry` paused (if it did), first freezing
    what start-up made, which lives as long as the command."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def load_facts(facts_dir: Path | None) -> Facts:
    return load_with_cards(facts_dir).facts


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="myodeck")
def main() -> None:
    """Learn the muscles of the lower limb and their trigger points.

    myodeck turns fact files (YAML, one per muscle) into Anki decks with
    trigger-point diagrams, and quizzes you on them in the terminal.
    """


def progress_bar(label: str, total: int):
    return click.progressbar(length=total, label=label, file=click.get_text_stream("stderr"), show_pos=True)


def wall_clock() -> Callable[[], dt.datetime]:
    """The wall clock in UTC; MYODECK_NOW (ISO 8601) pins it, for tests and demonstrations."""
    if pinned := os.environ.get("MYODECK_NOW"):
        try:
            fixed = dt.datetime.fromisoformat(pinned).astimezone(dt.UTC)
        except (ValueError, OverflowError):
            raise MyodeckError(
                f"MYODECK_NOW: '{shown(pinned)}' is not an ISO 8601 time (expected e.g. 2026-01-05T09:30:00+00:00)"
            ) from None
        return lambda: fixed
    return lambda: dt.datetime.now(dt.UTC)


images_option = click.option(
    "--images",
    type=click.Choice(["auto", "graphics", "blocks", "none"]),
    default="auto",
    show_default=True,
    help="Diagrams: graphics (kitty, iTerm2/WezTerm or sixel images), blocks (coloured half-blocks) or none; "
    "auto picks graphics where the terminal announces an image protocol, else blocks.",
)
db_option = click.option(
    "--db",
    "db_path",
    type=OutputPath(must_write=False),
    envvar="MYODECK_DB",
    show_envvar=True,
    help="Review database. Default: reviews.sqlite3 in your user data folder.",
)


def echo_wrapped(lines: list[str]) -> None:
    """`lines` broken between words to the terminal's width (a file or a pipe gets whole lines)."""
    if (width := _terminal_width()) is not None:
        from quiz.text import wrap

        lines = [part for line in lines for part in wrap(line, width)]
    click.echo("\n".join(lines))


def _terminal_width() -> int | None:
    """The terminal's width when the output goes to one; None when it goes to a file or a pipe,
    which get whole lines."""
    if not sys.stdout.isatty():
        return None
    from quiz.text import terminal_size

    return max(20, terminal_size().columns)


def local_zone() -> dt.tzinfo:
    zone = dt.datetime.now().astimezone().tzinfo
    return zone if zone is not None else dt.UTC
