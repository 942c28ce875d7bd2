"""Commands about the facts themselves: `check`, the lists (`muscles`, `regions`, `shapes`,
`movements`) and `lookup`."""

from __future__ import annotations

from pathlib import Path

import click

from decks import fact_cache
from decks.cli import OutputPath, echo_wrapped, facts_option, load_facts
from source_facts import bundled_facts_dir


@click.command()
@facts_option
def check(facts_dir: Path | None) -> None:
    """Validate the fact files and print a one-line summary.

    Every problem is reported as FILE:LINE: WHERE: WHAT, and the exit status is 1.
    """
    loaded = fact_cache.load(facts_dir if facts_dir is not None else bundled_facts_dir(), None)  # always read
    click.echo(loaded.facts.summary())


@click.command()
@facts_option
def muscles(facts_dir: Path | None) -> None:
    """List the muscles: the id, name or alias any --muscle option takes, and what each has."""
    for muscle in load_facts(facts_dir).muscles:
        aliases = f" (also: {', '.join(muscle.aliases)})" if muscle.aliases else ""
        points = len(muscle.trigger_points)
        click.echo(
            f"{muscle.id:<40} {muscle.name}{aliases} · {muscle.group}, {muscle.compartment} · "
            f"{points} trigger point{'s' if points != 1 else ''}"
        )


@click.command()
def regions() -> None:
    """List the body regions fact files may name, with the views that show them."""
    from decks.regions import REGIONS

    for region in REGIONS.values():
        views = ", ".join(view.value for view in region.views)
        click.echo(f"{region.id:<26} {region.name}  [{views}]")


@click.command()
def shapes() -> None:
    """List the muscle outlines a fact file may name with `shape:` (deep ones are drawn dashed)."""
    from decks.body.muscle_shapes import MUSCLE_SHAPES

    for name, shape in MUSCLE_SHAPES.items():
        click.echo(f"{name}{'  (deep)' if shape.deep else ''}")


@click.command()
def movements() -> None:
    """List the joints and movements a fact file's actions may name."""
    from decks.kinesiology import MOVEMENTS

    for joint, names in MOVEMENTS.items():
        click.echo(f"{joint:<13} {', '.join(names)}")


@click.command()
@facts_option
@click.argument("pain", nargs=-1, required=True, metavar="REGION...")
@click.option("--limit", type=click.IntRange(min=1), default=10, show_default=True, help="Trigger points at most.")
@click.option("--json", "as_json", is_flag=True, help="Print the candidates as JSON.")
@click.option(
    "--picture",
    type=OutputPath(),
    metavar="FILE.png",
    help="Also draw the pain map and the first 3 candidates as PNG.",
)
def lookup(facts_dir: Path | None, pain: tuple[str, ...], limit: int, as_json: bool, picture: Path | None) -> None:
    """Which trigger points may cause pain in REGION... (ids or words of `myodeck regions`, e.g. "lateral malleolus").

    Ranked as trigger-point charts are read: essential zone on the pain first, then the
    most pain covered, then the least pain referred elsewhere.
    """
    from decks.lookup import lookup as lookup_pain

    facts = load_facts(facts_dir)
    found = lookup_pain(facts, pain, limit)
    if as_json:
        import json

        click.echo(json.dumps(found.to_list(), indent=2, ensure_ascii=False))
    else:
        echo_wrapped(found.lines())
    if picture is not None:
        from decks.atomic import write_atomically
        from decks.diagrams.pain_map import CANDIDATES_DRAWN, lookup_png

        write_atomically(picture, lookup_png(found, facts))
        drawn = min(len(found.candidates), CANDIDATES_DRAWN)
        beside = f" and its first {drawn} candidate{'s' if drawn != 1 else ''}" if drawn else ""
        click.echo(f"Wrote the pain map{beside} to {picture}", err=as_json)
