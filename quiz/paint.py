"""Paint the pattern: the student names the regions a trigger point refers pain to, graded by overlap.

A painted region covers a zone's region when it is that region or the region is a part of it
on the body (`decks.body.skin_overlap.covers`): "outer side of the thigh" covers its upper third, the third does
not cover the whole thigh, and is not outside a pattern that holds the thigh. Each essential
region covered is worth two points, each spillover region one, and each painted region
outside the pattern costs one; the rating follows from the regions alone, so
the same painting always earns the same rating. Used by `myodeck quiz --paint` and by the
"paint it" question of `myodeck class`.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

from decks.body.skin_overlap import covers, regions_overlap
from decks.diagrams.spec import DiagramSpec
from decks.errors import MyodeckError
from decks.lookup import pain_area
from decks.outline import Referral
from decks.regions import REGIONS
from quiz.picture_pair import PicturePair
from quiz.scheduler import Rating
from quiz.set_grader import partial_rating

if TYPE_CHECKING:
    from quiz.session import Console

ESSENTIAL_POINTS = 2
SPILLOVER_POINTS = 1
OUTSIDE_POINTS = -1
_PARTS = re.compile(r"[,;\n]")
NUMBERED = tuple(REGIONS)  # `myodeck regions` order: the numbers the list shows


@dataclass(frozen=True)
class Painting:
    """What the student typed, read as regions (in the order given), and what could not be read."""

    regions: tuple[str, ...]
    unknown: tuple[str, ...] = ()


def read_painting(text: str) -> Painting:
    """Regions from names, ids, their words ('outer ankle', 'heel': every heel region) or numbers
    of the region list, separated by commas or semicolons."""
    regions: list[str] = []
    unknown: list[str] = []
    for part in (p.strip() for p in _PARTS.split(text)):
        if not part:
            continue
        if part.isdigit() and 1 <= int(part) <= len(NUMBERED):
            regions.append(NUMBERED[int(part) - 1])
            continue
        try:
            regions += [region.id for region in pain_area(part).regions]
        except MyodeckError:
            unknown.append(part)
    return Painting(tuple(dict.fromkeys(regions)), tuple(unknown))


@dataclass(frozen=True)
class PaintGrade:
    """Which of the pattern's regions the painting covered and missed, and what it painted outside."""

    essential_hit: tuple[str, ...]
    essential_missed: tuple[str, ...]
    spillover_hit: tuple[str, ...]
    spillover_missed: tuple[str, ...]
    outside: tuple[str, ...]

    @property
    def score(self) -> Fraction:
        """Points over the most there are, 0 to 1."""
        best = ESSENTIAL_POINTS * len(self.essential_hit + self.essential_missed) + SPILLOVER_POINTS * len(
            self.spillover_hit + self.spillover_missed
        )
        points = (
            ESSENTIAL_POINTS * len(self.essential_hit)
            + SPILLOVER_POINTS * len(self.spillover_hit)
            + OUTSIDE_POINTS * len(self.outside)
        )
        return max(Fraction(0), Fraction(points, best))

    @property
    def rating(self) -> Rating:
        """Good for the whole essential zone and nothing outside; else as a set answer (`partial_rating`)."""
        return partial_rating(not self.essential_missed and not self.outside, self.score)

    def lines(self) -> list[str]:
        groups = (
            ("✓ Essential painted", self.essential_hit),
            ("✗ Essential missed", self.essential_missed),
            ("+ Spillover painted", self.spillover_hit),
            ("Spillover not painted", self.spillover_missed),
            ("✗ Outside its pattern", self.outside),
        )
        lines = [f"{label}: {'; '.join(REGIONS[r].name for r in regions)}" for label, regions in groups if regions]
        return [*lines, f"Score {round(100 * self.score)}% → {self.rating.name}"]


def grade_painting(painted: Iterable[str], referral: Referral) -> PaintGrade:
    """Mark painted region ids against a referral pattern: the same set of regions, the same grade."""
    painted = tuple(dict.fromkeys(painted))

    def covered(region: str) -> bool:
        return any(covers(p, region) for p in painted)

    pattern = referral.essential + referral.spillover
    return PaintGrade(
        tuple(r for r in referral.essential if covered(r)),
        tuple(r for r in referral.essential if not covered(r)),
        tuple(r for r in referral.spillover if covered(r)),
        tuple(r for r in referral.spillover if not covered(r)),
        tuple(p for p in NUMBERED if p in painted and not any(regions_overlap(p, r) for r in pattern)),
    )


def region_list(columns: int = 3, width: int = 26) -> list[str]:
    """The numbered region list, in `columns` columns of region ids."""
    cells = [f"{n:>3} {region}"[:width].ljust(width) for n, region in enumerate(NUMBERED, start=1)]
    rows = -(-len(cells) // columns)
    return ["".join(cells[row + rows * col] for col in range(columns) if row + rows * col < len(cells)).rstrip()
            for row in range(rows)]  # fmt: skip


@contextlib.contextmanager
def region_completion() -> Iterator[None]:
    """While typing a painting, Tab completes region ids after a comma (where readline exists)."""
    try:
        import readline
    except ImportError:  # no readline on this platform: typing works, without completion
        yield
        return
    before = (readline.get_completer(), readline.get_completer_delims())

    def complete(text: str, state: int) -> str | None:
        matches = [region for region in NUMBERED if region.startswith(text.strip().lower())]
        return matches[state] if state < len(matches) else None

    readline.set_completer(complete)
    readline.set_completer_delims(",; ")
    readline.parse_and_bind("tab: complete")
    try:
        yield
    finally:
        readline.set_completer(before[0])
        readline.set_completer_delims(before[1])


def ask_painting(
    console: Console, referral: Referral, pattern: DiagramSpec | None, read_line: Callable[[str], str], keys: str
) -> tuple[str, Rating, PicturePair | None]:
    """Read a painting with `read_line` (the session's, so q, u and f typed alone work as everywhere;
    `keys` says which), `?` printing the numbered list and asking again; show its grade; return the
    regions as saved in the review log, the rating, and the painting with `pattern` to show together
    (None when nothing was painted: the pattern is then shown alone)."""
    while True:
        with region_completion():
            typed = read_line(f"Regions, commas between (Tab completes, ? lists them; {keys}): ")
        if typed.strip() != "?":
            break
        for line in region_list():
            console.write(line)
    painting = read_painting(typed)
    if painting.unknown:
        console.write(f"Not understood, left out: {', '.join(painting.unknown)} (`myodeck regions` lists them)")
    result = grade_painting(painting.regions, referral)
    for line in result.lines():
        console.write(line)
    pair = None
    if painting.regions and pattern is not None:
        pair = PicturePair(
            (DiagramSpec.for_pain(painting.regions, "Your painting"), pattern), ("Your painting", "The pattern")
        )
    return ", ".join(painting.regions), result.rating, pair
