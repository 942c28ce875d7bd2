"""Commands that make the Anki deck and its records: `build`, `stamp` and the content `review`."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import click

from decks.cache_dir import cache_dir
from decks.card_kind import CardKind
from decks.cli import (
    OCCLUSION_TOPIC,
    OutputPath,
    build_topic_option,
    facts_option,
    load_facts,
    load_with_cards,
    muscle_option,
    progress_bar,
    wall_clock,
)


@click.command()
@facts_option
@click.option("-o", "--output", "out_file", type=OutputPath(), help="Write to FILE, not stdout.")
def review(facts_dir: Path | None, out_file: Path | None) -> None:
    """Print every muscle's facts as one Markdown document, for proof-reading."""
    from decks.review import content_review

    text = content_review(load_facts(facts_dir))
    if out_file is None:
        click.echo(text, nl=False)
    else:
        from decks.atomic import write_atomically

        write_atomically(out_file, text.encode())
        click.echo(f"Wrote the content review to {out_file}")


@click.command()
@facts_option
@click.option(
    "-o",
    "--output",
    "out_file",
    type=OutputPath(),
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

    loaded = load_with_cards(facts_dir)
    report = build_package(
        loaded.facts,
        out_file,
        [CardKind(topic) for topic in topics if topic != OCCLUSION_TOPIC] if topics else list(CardKind),
        DiagramCache(cache_dir("diagrams")),
        progress=lambda total: progress_bar("Drawing", total),
        source_date_epoch=source_date_epoch,
        muscles=muscles,
        loaded=loaded,
        stamp_day=None if locked or facts_dir is None else _stamp_day(),
        occlusion=not topics or OCCLUSION_TOPIC in topics,
    )
    for line in report.lines():
        click.echo(line)


@click.command()
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

    report = stamp_card_dates(load_facts(facts_dir), day.date() if day is not None else _stamp_day())
    for line in report.lines():
        click.echo(line)


def _stamp_day() -> dt.date:
    """SOURCE_DATE_EPOCH's day (UTC) when set, else today's on the clock."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if not epoch:
        return wall_clock()().date()
    if not epoch.isdigit():
        raise click.BadParameter(f"expected whole seconds, found {epoch!r}", param_hint="SOURCE_DATE_EPOCH")
    return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
