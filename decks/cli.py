"""The `myodeck` command: parses arguments, calls one core function, reports.

Expected failures (MyodeckError) become a message on stderr and exit 1 here,
in one place; nothing below this module prints or exits.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import random
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from decks import __version__, fact_cache
from decks.cache_dir import cache_dir
from decks.card_kind import CardKind
from decks.diagrams import TRIGGER_POINT_VARIANTS, Variant
from decks.errors import FactsInvalid, MyodeckError, printable, shown
from decks.fact_cache import LoadedFacts
from source_facts import bundled_facts_dir

if TYPE_CHECKING:
    from decks.model import Facts


class _Group(click.Group):
    """Turns the core's expected errors into clean messages and exit code 1."""

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


class _OutputPath(click.Path):
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


def _load_with_cards(facts_dir: Path | None) -> LoadedFacts:
    loaded = fact_cache.load(facts_dir if facts_dir is not None else bundled_facts_dir(), cache_dir("facts"))
    _started()
    return loaded


def _started() -> None:
    """Start-up is over: resume the collector that `decks.entry` paused (if it did), first freezing
    what start-up made, which lives as long as the command."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def _load(facts_dir: Path | None) -> Facts:
    return _load_with_cards(facts_dir).facts


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
    loaded = fact_cache.load(facts_dir if facts_dir is not None else bundled_facts_dir(), None)  # always read
    click.echo(loaded.facts.summary())


@main.command()
@facts_option
def muscles(facts_dir: Path | None) -> None:
    """List the muscles: the id, name or alias any --muscle option takes, and what each has."""
    for muscle in _load(facts_dir).muscles:
        aliases = f" (also: {', '.join(muscle.aliases)})" if muscle.aliases else ""
        points = len(muscle.trigger_points)
        click.echo(
            f"{muscle.id:<40} {muscle.name}{aliases} · {muscle.group}, {muscle.compartment} · "
            f"{points} trigger point{'s' if points != 1 else ''}"
        )


@main.command()
def regions() -> None:
    """List the body regions fact files may name, with the views that show them."""
    from decks.regions import REGIONS

    for region in REGIONS.values():
        views = ", ".join(view.value for view in region.views)
        click.echo(f"{region.id:<26} {region.name}  [{views}]")


@main.command()
def shapes() -> None:
    """List the muscle outlines a fact file may name with `shape:` (deep ones are drawn dashed)."""
    from decks.body.muscle_shapes import MUSCLE_SHAPES

    for name, shape in MUSCLE_SHAPES.items():
        click.echo(f"{name}{'  (deep)' if shape.deep else ''}")


@main.command()
def movements() -> None:
    """List the joints and movements a fact file's actions may name."""
    from decks.kinesiology import MOVEMENTS

    for joint, names in MOVEMENTS.items():
        click.echo(f"{joint:<13} {', '.join(names)}")


@main.command()
@facts_option
@click.argument("pain", nargs=-1, required=True, metavar="REGION...")
@click.option("--limit", type=click.IntRange(min=1), default=10, show_default=True, help="Trigger points at most.")
@click.option("--json", "as_json", is_flag=True, help="Print the candidates as JSON.")
@click.option(
    "--picture",
    type=_OutputPath(),
    metavar="FILE.png",
    help="Also draw the pain map and the first 3 candidates as PNG.",
)
def lookup(facts_dir: Path | None, pain: tuple[str, ...], limit: int, as_json: bool, picture: Path | None) -> None:
    """Which trigger points may cause pain in REGION... (ids or words of `myodeck regions`, e.g. "lateral malleolus").

    Ranked as trigger-point charts are read: essential zone on the pain first, then the
    most pain covered, then the least pain referred elsewhere.
    """
    from decks.lookup import lookup as lookup_pain

    facts = _load(facts_dir)
    found = lookup_pain(facts, pain, limit)
    if as_json:
        import json

        click.echo(json.dumps(found.to_list(), indent=2, ensure_ascii=False))
    else:
        _echo_wrapped(found.lines())
    if picture is not None:
        from decks.atomic import write_atomically
        from decks.diagrams.pain_map import CANDIDATES_DRAWN, lookup_png

        write_atomically(picture, lookup_png(found, facts))
        drawn = min(len(found.candidates), CANDIDATES_DRAWN)
        beside = f" and its first {drawn} candidate{'s' if drawn != 1 else ''}" if drawn else ""
        click.echo(f"Wrote the pain map{beside} to {picture}", err=as_json)


def _variants_option(f):
    return click.option(
        "--variant",
        "variants",
        type=click.Choice([v.value for v in TRIGGER_POINT_VARIANTS]),
        multiple=True,
        help="Which pictures: location (X only), pattern (zones only), full (both). Default: all three.",
    )(f)


def _diagram_jobs(facts_dir: Path | None, muscles: tuple[str, ...], variants: tuple[str, ...]) -> list:
    """The pictures `render` and `gallery` draw: every chosen variant (default all) of the chosen muscles."""
    from decks.diagrams.batch import diagram_jobs

    return diagram_jobs(
        _load(facts_dir).select(muscles), [Variant(v) for v in variants] or list(TRIGGER_POINT_VARIANTS)
    )


def _progress(label: str, total: int):
    return click.progressbar(length=total, label=label, file=click.get_text_stream("stderr"), show_pos=True)


@main.command()
@facts_option
@click.argument("muscles", nargs=-1, metavar="[MUSCLE]...")
@click.option(
    "-o",
    "--output",
    "out_dir",
    type=_OutputPath(folder=True),
    required=True,
    help="Folder for the PNG files.",
)
@_variants_option
@click.option("--no-cache", is_flag=True, help="Redraw every picture, ignoring the diagram cache.")
def render(
    facts_dir: Path | None, muscles: tuple[str, ...], out_dir: Path, variants: tuple[str, ...], no_cache: bool
) -> None:
    """Draw the trigger-point diagrams of MUSCLE (default: all) as PNG files."""
    from decks.diagrams.batch import DiagramCache, write_diagrams

    jobs = _diagram_jobs(facts_dir, muscles, variants)
    cache = None if no_cache else DiagramCache(cache_dir("diagrams"))
    with _progress("Drawing", len(jobs)) as bar:
        report = write_diagrams(jobs, out_dir, cache, progress=bar.update)
    click.echo(report.summary())


@main.command()
@facts_option
@click.argument("muscles", nargs=-1, metavar="[MUSCLE]...")
@click.option(
    "-o",
    "--output",
    "out_file",
    type=_OutputPath(),
    required=True,
    help="HTML file to write.",
)
@_variants_option
def gallery(facts_dir: Path | None, muscles: tuple[str, ...], out_file: Path, variants: tuple[str, ...]) -> None:
    """Write one HTML page with every diagram and its facts, for proof-reading."""
    from decks.atomic import write_atomically
    from decks.diagrams.batch import DiagramCache, render_many
    from decks.diagrams.gallery import gallery_html

    jobs = _diagram_jobs(facts_dir, muscles, variants)
    with _progress("Drawing", len(jobs)) as bar:
        pngs = render_many([job.spec for job in jobs], DiagramCache(cache_dir("diagrams")), progress=bar.update)
    write_atomically(out_file, gallery_html(jobs, pngs).encode())
    click.echo(f"Wrote a gallery of {len(jobs)} diagrams to {out_file}")


@main.command()
@facts_option
@click.option("-o", "--output", "out_file", type=_OutputPath(), help="Write to FILE, not stdout.")
def review(facts_dir: Path | None, out_file: Path | None) -> None:
    """Print every muscle's facts as one Markdown document, for proof-reading."""
    from decks.review import content_review

    text = content_review(_load(facts_dir))
    if out_file is None:
        click.echo(text, nl=False)
    else:
        from decks.atomic import write_atomically

        write_atomically(out_file, text.encode())
        click.echo(f"Wrote the content review to {out_file}")


@main.command()
@facts_option
@click.option(
    "-o",
    "--output",
    "out_file",
    type=_OutputPath(),
    default=Path("myodeck.apkg"),
    show_default=True,
    help="Anki package to write.",
)
@muscle_option
@build_topic_option
@click.option(
    "--source-date-epoch",
    type=click.IntRange(min=0),
    envvar="SOURCE_DATE_EPOCH",
    show_envvar=True,
    metavar="SECONDS",
    help="Build time for the ids of new cards. Default: the latest card date (card-dates.json) of the package.",
)
@click.option(
    "--locked",
    is_flag=True,
    help="Refuse cards that card-dates.json does not date instead of dating them (releases, CI). "
    "The bundled facts are always locked.",
)
def build(
    facts_dir: Path | None,
    out_file: Path,
    muscles: tuple[str, ...],
    topics: tuple[str, ...],
    source_date_epoch: int | None,
    locked: bool,
) -> None:
    """Write the cards as an Anki package (.apkg) to import, and re-import to update.

    New and changed cards of a --facts folder are first dated in its card-dates.json
    (today, or SOURCE_DATE_EPOCH's day), so an edited fact file just builds.
    """
    from decks.anki_package import build_package
    from decks.diagrams.batch import DiagramCache

    loaded = _load_with_cards(facts_dir)
    report = build_package(
        loaded.facts,
        out_file,
        [CardKind(topic) for topic in topics if topic != OCCLUSION_TOPIC] if topics else list(CardKind),
        DiagramCache(cache_dir("diagrams")),
        progress=lambda total: _progress("Drawing", total),
        source_date_epoch=source_date_epoch,
        muscles=muscles,
        loaded=loaded,
        stamp_day=None if locked or facts_dir is None else _stamp_day(),
        occlusion=not topics or OCCLUSION_TOPIC in topics,
    )
    for line in report.lines():
        click.echo(line)


@main.command()
@facts_option
@click.option(
    "--date",
    "day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    metavar="YYYY-MM-DD",
    help="Date to give new and changed cards. Default: SOURCE_DATE_EPOCH's day, else today (UTC).",
)
def stamp(facts_dir: Path | None, day: dt.datetime | None) -> None:
    """Record in card-dates.json the date of each new or changed card, so the next build sends only those."""
    from decks.card_dates import stamp_card_dates

    report = stamp_card_dates(_load(facts_dir), day.date() if day is not None else _stamp_day())
    for line in report.lines():
        click.echo(line)


def _stamp_day() -> dt.date:
    """SOURCE_DATE_EPOCH's day (UTC) when set, else today's on the clock."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if not epoch:
        return _clock()().date()
    if not epoch.isdigit():
        raise click.BadParameter(f"expected whole seconds, found {epoch!r}", param_hint="SOURCE_DATE_EPOCH")
    return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()


def _clock() -> Callable[[], dt.datetime]:
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
    type=_OutputPath(must_write=False),
    envvar="MYODECK_DB",
    show_envvar=True,
    help="Review database. Default: reviews.sqlite3 in your user data folder.",
)


@main.command()
@facts_option
@muscle_option
@topic_option
@click.option(
    "--group",
    "groups",
    multiple=True,
    metavar="GROUP",
    help="Only muscles of this group, e.g. leg (`myodeck muscles`).",
)
@click.option(
    "--compartment",
    "compartments",
    multiple=True,
    metavar="NAME",
    help="Only muscles of this compartment, e.g. anterior.",
)
@click.option(
    "--region",
    "regions",
    multiple=True,
    metavar="REGION",
    help="Only trigger points in, or referring to, this body region (`myodeck regions`).",
)
@click.option("--cram", is_flag=True, help="Review the chosen cards, due or not, without changing their schedule.")
@click.option("--mistakes", is_flag=True, help="Study the cards answered Again in the last 7 days, and the leeches.")
@click.option("--new", "new", type=click.IntRange(min=0), default=10, show_default=True, help="New cards at most.")
@click.option(
    "--new-per-day",
    type=click.IntRange(min=0),
    default=20,
    show_default=True,
    help="New cards a day at most, all quizzes.",
)
@click.option("--limit", type=click.IntRange(min=1), help="Cards at most in this session (due ones first).")
@db_option
@click.option(
    "--retention", type=click.FloatRange(0.7, 0.99), default=0.9, show_default=True, help="Desired retention."
)
@images_option
@click.option("--paint", is_flag=True, help="Paint the pattern: type the regions of each referral card's pattern.")
def quiz(
    facts_dir: Path | None,
    muscles: tuple[str, ...],
    topics: tuple[str, ...],
    groups: tuple[str, ...],
    compartments: tuple[str, ...],
    regions: tuple[str, ...],
    cram: bool,
    mistakes: bool,
    new: int,
    new_per_day: int,
    limit: int | None,
    db_path: Path | None,
    retention: float,
    images: str,
    paint: bool,
) -> None:
    """Study in the terminal: due cards first, then new ones.

    \b
    Keys:
      space/Enter  show the answer
      1 2 3 4      rate it: Again, Hard, Good, Easy
      a b c d      pick a choice
      Enter / o    accept the grade of a typed or picked answer / overrule it
      u            undo the last answer (its card is asked again), also after the last card
      f            flag the card for your instructor, with an optional comment
      q, Ctrl-C    quit; every answer given is already saved
    A typed answer: Enter alone skips it (Again); u, f or q typed alone act as the keys.
    """
    from quiz.console import TerminalConsole
    from quiz.images import ImageMode
    from quiz.scheduler import ReviewScheduler
    from quiz.session import run_quiz
    from quiz.store import ReviewStore

    clock = _clock()
    fuzz = None if os.environ.get("MYODECK_NOW") else random.Random()
    loaded = _load_with_cards(facts_dir)
    with ReviewStore(db_path) as store, TerminalConsole(ImageMode(images)) as console:
        result = run_quiz(
            loaded.roster, loaded.index, loaded.card, store, ReviewScheduler(retention, fuzz), console, clock,
            random.Random(), muscles=muscles, kinds=tuple(CardKind(t) for t in topics), groups=groups,
            compartments=compartments, regions=regions, new=new, new_per_day=new_per_day, limit=limit,
            tz=_local_zone(), cram=cram, mistakes=mistakes, paint=paint,
        )  # fmt: skip
    for line in result.summary(clock()):
        click.echo(line)


@main.command()
@facts_option
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option("--plot", type=_OutputPath(), help="Also draw the 30-day forecast as PNG.")
def stats(facts_dir: Path | None, db_path: Path | None, as_json: bool, plot: Path | None) -> None:
    """What is due, how well you remember, your weakest muscles and card kinds, leeches and flagged cards."""
    from quiz.stats import collect_stats, plot_stats
    from quiz.store import ReviewStore

    now = _clock()()
    with ReviewStore(db_path, read_only=True) as store:  # stats never writes, even the WAL switch
        loaded = _load_with_cards(facts_dir)
        figures = collect_stats(store, loaded.index, loaded.questions, now, _local_zone())
    if as_json:
        click.echo(figures.json_text())
    else:
        _echo_wrapped(figures.lines())
    if plot is not None:
        from decks.atomic import write_atomically

        write_atomically(plot, plot_stats(figures))
        click.echo(f"Wrote the forecast to {plot}")


def _echo_wrapped(lines: list[str]) -> None:
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


def _local_zone() -> dt.tzinfo:
    zone = dt.datetime.now().astimezone().tzinfo
    return zone if zone is not None else dt.UTC


def _teams(ctx: click.Context, param: click.Parameter, value: str) -> tuple[str, ...]:
    teams = tuple(t.strip() for t in value.split(",") if t.strip())
    if not teams or len(teams) > 9 or len(set(teams)) != len(teams):
        raise click.BadParameter("give 1 to 9 different team names, separated by commas")
    return teams


def _phones_only(phones: bool, **given: object) -> None:
    """--host, --port, --speed and --streaks mean nothing without --phones: say so rather than ignore them."""
    for name, value in given.items():
        if value not in (None, False) and not phones:
            raise click.UsageError(f"--{name} works with --phones only")


def _class_kinds(topics: tuple[str, ...]) -> tuple[CardKind, ...]:
    """The kinds of question asked: those named, else the class's default mix."""
    from quiz.classroom import CLASS_KINDS

    return tuple(CardKind(t) for t in topics) or CLASS_KINDS


@main.command(name="class")
@facts_option
@muscle_option
@class_topic_option
@click.option("-n", "count", type=click.IntRange(min=1), default=10, show_default=True, help="Number of questions.")
@click.option("--seed", type=int, help="The same seed asks the same questions in the same order (and handout).")
@click.option(
    "--time", "seconds", type=click.IntRange(min=3), default=30, show_default=True, help="Seconds per question."
)
@click.option("--teams", default="Class", show_default=True, callback=_teams, help='Team names, e.g. "Red,Blue".')
@click.option(
    "--results",
    type=_OutputPath(),
    help="CSV of the answers, per team (--phones: per student); rewritten after each question.",
)
@images_option
@click.option("--paint", is_flag=True, help='Referral questions become "paint it": you type each team\'s regions.')
@click.option("--phones", is_flag=True, help="Students answer on their phones (a web server while the class runs).")
@click.option("--host", help="--phones: the address to listen on (default: every network; the Wi-Fi's is shown).")
@click.option("--port", type=click.IntRange(0, 65535), help="--phones: the port to listen on (default 8765).")
@click.option("--speed", is_flag=True, help="--phones: a quicker right answer earns more (1 down to 0.5 points).")
@click.option(
    "--streaks", is_flag=True, help="--phones: +0.1 a point for each right answer in a row before (up to +0.5)."
)
def class_(
    facts_dir: Path | None,
    muscles: tuple[str, ...],
    topics: tuple[str, ...],
    count: int,
    seed: int | None,
    seconds: int,
    teams: tuple[str, ...],
    results: Path | None,
    images: str,
    paint: bool,
    phones: bool,
    host: str | None,
    port: int | None,
    speed: bool,
    streaks: bool,
) -> None:
    """A live quiz for the projector: countdown, reveal, team scores (space reveal, p pause, s skip, b back, q quit).

    With --phones students answer on their phones: the terminal shows the address and QR code to join.
    """
    import time

    from quiz.class_session import ClassSettings, ResultsFile, points_text, run_class
    from quiz.classroom import class_questions
    from quiz.console import ProjectorConsole
    from quiz.images import ImageMode

    _phones_only(phones, host=host, port=port, speed=speed, streaks=streaks)
    if phones and paint:
        raise click.UsageError("--paint works without --phones only (a phone answers with a letter)")
    seed = seed if seed is not None else random.randrange(10_000)
    questions = class_questions(_load(facts_dir), count, seed, muscles, _class_kinds(topics), paint)
    settings = ClassSettings(seconds, teams, seed)
    with ProjectorConsole(ImageMode(images)) as console:
        if phones:
            from quiz.phones.live import PhoneOptions, run_phone_class

            options = PhoneOptions(host or "0.0.0.0", 8765 if port is None else port, speed, streaks)
            today = dt.datetime.now(_local_zone()).date().isoformat()
            final, results_file = run_phone_class(questions, settings, options, console, time.monotonic, results, today)
        else:
            results_file = ResultsFile(results)
            final = run_class(questions, settings, console, time.monotonic, results_file)
    click.echo(f"Seed {seed}: `myodeck class --seed {seed}` asks these again,")  # two lines: one fits 80 columns
    click.echo(f"`myodeck handout --seed {seed}` prints them.")
    click.echo("Final: " + ", ".join(f"{team} {points_text(score)}" for team, score in final.leaderboard()))
    if report := results_file.report(final):
        click.echo(report)


@main.command()
@facts_option
@muscle_option
@class_topic_option
@click.option("-n", "count", type=click.IntRange(min=1), default=10, show_default=True, help="Number of questions.")
@click.option("--seed", type=int, help="The same seed prints the questions `myodeck class --seed` asks.")
@click.option("--paper", type=click.Choice(["a4", "letter"]), default="a4", show_default=True, help="Paper size.")
@click.option(
    "--title", default="myodeck worksheet", show_default=True, help="The title on the first page and in the footers."
)
@click.option("--draw-only", is_flag=True, help="Drawing exercises without choices: students draw the answer.")
@click.option("--paint", is_flag=True, help="Referral questions as `class --paint` asks them: an outline to shade.")
@click.option("-o", "--output", "out_file", type=_OutputPath(), required=True, help="PDF to write.")
def handout(
    facts_dir: Path | None,
    muscles: tuple[str, ...],
    topics: tuple[str, ...],
    count: int,
    seed: int | None,
    paper: str,
    title: str,
    draw_only: bool,
    paint: bool,
    out_file: Path,
) -> None:
    """Print the class quiz as a worksheet (FILE.pdf) and its answer key (FILE-key.pdf)."""
    from quiz.handout import PAPERS, write_handout

    seed = seed if seed is not None else random.randrange(10_000)
    if not title.strip() or len(title) > 80 or not title.isprintable():
        raise click.BadParameter("expected one line of at most 80 printable characters", param_hint="--title")
    report = write_handout(
        _load(facts_dir), out_file, count, seed, muscles, PAPERS[paper], title, draw_only, _class_kinds(topics), paint
    )
    click.echo(report.summary())
    click.echo(
        f"Seed {seed}: `myodeck class{' --paint' if paint else ''} --seed {seed}` asks these questions in this order."
    )


@main.command()
@click.option(
    "--format",
    "export_format",
    type=click.Choice(["csv", "quizlet", "kahoot", "blooket"]),
    required=True,
    help="csv (every field), quizlet (term TAB answer), kahoot (.xlsx template) or blooket (CSV template).",
)
@facts_option
@muscle_option
@class_topic_option
@click.option("-n", "count", type=click.IntRange(min=1), default=10, show_default=True, help="Number of questions.")
@click.option("--seed", type=int, help="The same seed exports the questions `myodeck class --seed` asks.")
@click.option("-o", "--output", "out_file", type=_OutputPath(), required=True, help="File to write.")
@click.option(
    "--time",
    "seconds",
    type=click.Choice([str(s) for s in (5, 10, 20, 30, 60, 90, 120, 240)]),
    default="30",
    show_default=True,
    help="Seconds per question in Kahoot! and Blooket (Kahoot! takes only these).",
)
@click.option(
    "--paint", is_flag=True, help="Referral questions as `class --paint` asks them (csv, quizlet: no choices)."
)
def export(
    export_format: str,
    facts_dir: Path | None,
    muscles: tuple[str, ...],
    topics: tuple[str, ...],
    count: int,
    seed: int | None,
    out_file: Path,
    seconds: str,
    paint: bool,
) -> None:
    """Write the class quiz's questions for Kahoot!, Blooket or Quizlet, or as a plain CSV.

    A question the tool cannot take whole (too long, or answered by its picture) is left out and listed.
    """
    from quiz.export import ExportFormat, write_export

    seed = seed if seed is not None else random.randrange(10_000)
    report = write_export(
        _load(facts_dir),
        out_file,
        ExportFormat(export_format),
        count,
        seed,
        muscles,
        int(seconds),
        _class_kinds(topics),
        paint,
    )
    for line in report.warnings():
        click.echo(line, err=True)
    click.echo(report.summary())
    click.echo(
        f"Seed {seed}: `myodeck class{' --paint' if paint else ''} --seed {seed}` asks these questions in this order."
    )
