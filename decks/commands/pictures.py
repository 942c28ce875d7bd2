"""Commands that draw the trigger-point diagrams for proof-reading: `render` and `gallery`."""

from __future__ import annotations

from pathlib import Path

import click

from decks.cache_dir import cache_dir
from decks.cli import OutputPath, facts_option, load_facts, progress_bar
from decks.diagrams import TRIGGER_POINT_VARIANTS, Variant


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
        load_facts(facts_dir).select(muscles), [Variant(v) for v in variants] or list(TRIGGER_POINT_VARIANTS)
    )


@click.command()
@facts_option
@click.argument("muscles", nargs=-1, metavar="[MUSCLE]...")
@click.option(
    "-o", "--output", "out_dir", type=OutputPath(folder=True), required=True, help="Folder for the PNG files."
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
    with progress_bar("Drawing", len(jobs)) as bar:
        report = write_diagrams(jobs, out_dir, cache, progress=bar.update)
    click.echo(report.summary())


@click.command()
@facts_option
@click.argument("muscles", nargs=-1, metavar="[MUSCLE]...")
@click.option("-o", "--output", "out_file", type=OutputPath(), required=True, help="HTML file to write.")
@_variants_option
def gallery(facts_dir: Path | None, muscles: tuple[str, ...], out_file: Path, variants: tuple[str, ...]) -> None:
    """Write one HTML page with every diagram and its facts, for proof-reading."""
    from decks.atomic import write_atomically
    from decks.diagrams.batch import DiagramCache, render_many
    from decks.diagrams.gallery import gallery_html

    jobs = _diagram_jobs(facts_dir, muscles, variants)
    with progress_bar("Drawing", len(jobs)) as bar:
        pngs = render_many([job.spec for job in jobs], DiagramCache(cache_dir("diagrams")), progress=bar.update)
    write_atomically(out_file, gallery_html(jobs, pngs).encode())
    click.echo(f"Wrote a gallery of {len(jobs)} diagrams to {out_file}")
