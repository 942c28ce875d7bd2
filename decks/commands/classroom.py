"""An instructor's commands: the live `class`, its `handout` and its `export`."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import click

from decks.card_kind import CardKind
from decks.cli import OutputPath, class_topic_option, facts_option, images_option, load_facts, local_zone, muscle_option

count_option = click.option(
    "-n", "count", type=click.IntRange(min=1), default=10, show_default=True, help="Number of questions."
)


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


@click.command(name="class")
@facts_option
@muscle_option
@class_topic_option
@count_option
@click.option("--seed", type=int, help="The same seed asks the same questions in the same order (and handout).")
@click.option(
    "--time", "seconds", type=click.IntRange(min=3), default=30, show_default=True, help="Seconds per question."
)
@click.option("--teams", default="Class", show_default=True, callback=_teams, help='Team names, e.g. "Red,Blue".')
@click.option(
    "--results",
    type=OutputPath(),
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
    questions = class_questions(load_facts(facts_dir), count, seed, muscles, _class_kinds(topics), paint)
    settings = ClassSettings(seconds, teams, seed)
    with ProjectorConsole(ImageMode(images)) as console:
        if phones:
            from quiz.phones.live import PhoneOptions, run_phone_class

            options = PhoneOptions(host or "0.0.0.0", 8765 if port is None else port, speed, streaks)
            today = dt.datetime.now(local_zone()).date().isoformat()
            final, results_file = run_phone_class(questions, settings, options, console, time.monotonic, results, today)
        else:
            results_file = ResultsFile(results)
            final = run_class(questions, settings, console, time.monotonic, results_file)
    click.echo(f"Seed {seed}: `myodeck class --seed {seed}` asks these again,")  # two lines: one fits 80 columns
    click.echo(f"`myodeck handout --seed {seed}` prints them.")
    click.echo("Final: " + ", ".join(f"{team} {points_text(score)}" for team, score in final.leaderboard()))
    if report := results_file.report(final):
        click.echo(report)


@click.command()
@facts_option
@muscle_option
@class_topic_option
@count_option
@click.option("--seed", type=int, help="The same seed prints the questions `myodeck class --seed` asks.")
@click.option("--paper", type=click.Choice(["a4", "letter"]), default="a4", show_default=True, help="Paper size.")
@click.option(
    "--title", default="myodeck worksheet", show_default=True, help="The title on the first page and in the footers."
)
@click.option("--draw-only", is_flag=True, help="Drawing exercises without choices: students draw the answer.")
@click.option("--paint", is_flag=True, help="Referral questions as `class --paint` asks them: an outline to shade.")
@click.option("-o", "--output", "out_file", type=OutputPath(), required=True, help="PDF to write.")
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
        load_facts(facts_dir),
        out_file,
        count,
        seed,
        muscles,
        PAPERS[paper],
        title,
        draw_only,
        _class_kinds(topics),
        paint,
    )
    click.echo(report.summary())
    click.echo(
        f"Seed {seed}: `myodeck class{' --paint' if paint else ''} --seed {seed}` asks these questions in this order."
    )


@click.command()
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
@count_option
@click.option("--seed", type=int, help="The same seed exports the questions `myodeck class --seed` asks.")
@click.option("-o", "--output", "out_file", type=OutputPath(), required=True, help="File to write.")
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
        load_facts(facts_dir),
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
