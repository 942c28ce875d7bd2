"""A student's commands: `quiz` and `stats`."""

from __future__ import annotations

import os
import random
from pathlib import Path

import click

from decks.card_kind import CardKind
from decks.cli import (
    OutputPath,
    db_option,
    echo_wrapped,
    facts_option,
    images_option,
    load_with_cards,
    local_zone,
    muscle_option,
    topic_option,
    wall_clock,
)


@click.command()
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

    clock = wall_clock()
    fuzz = None if os.environ.get("MYODECK_NOW") else random.Random()
    loaded = load_with_cards(facts_dir)
    with ReviewStore(db_path) as store, TerminalConsole(ImageMode(images)) as console:
        result = run_quiz(
            loaded.roster, loaded.index, loaded.card, store, ReviewScheduler(retention, fuzz), console, clock,
            random.Random(), muscles=muscles, kinds=tuple(CardKind(t) for t in topics), groups=groups,
            compartments=compartments, regions=regions, new=new, new_per_day=new_per_day, limit=limit,
            tz=local_zone(), cram=cram, mistakes=mistakes, paint=paint,
        )  # fmt: skip
    for line in result.summary(clock()):
        click.echo(line)


@click.command()
@facts_option
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option("--plot", type=OutputPath(), help="Also draw the 30-day forecast as PNG.")
def stats(facts_dir: Path | None, db_path: Path | None, as_json: bool, plot: Path | None) -> None:
    """What is due, how well you remember, your weakest muscles and card kinds, leeches and flagged cards."""
    from quiz.stats import collect_stats, plot_stats
    from quiz.store import ReviewStore

    now = wall_clock()()
    with ReviewStore(db_path, read_only=True) as store:  # stats never writes, even the WAL switch
        loaded = load_with_cards(facts_dir)
        figures = collect_stats(store, loaded.index, loaded.questions, now, local_zone())
    if as_json:
        click.echo(figures.json_text())
    else:
        echo_wrapped(figures.lines())
    if plot is not None:
        from decks.atomic import write_atomically

        write_atomically(plot, plot_stats(figures))
        click.echo(f"Wrote the forecast to {plot}")
