"""Surface coordinates: how places on the skin are written down, once for every view.

Three charts cover the lower body, each with two coordinates:

- `TRUNK`: (`side`, `level`) for the whole body: `side` is the distance from the midline
  towards the right side (negative towards the left), `level` the height above the floor,
  both in percent of standing height (%H). Used for the low back, pelvis and buttocks.
- `LIMB`: (`around`, `level`) on the right lower limb: `around` is the angle about the
  limb's own axis at that level, in degrees, 0 at the front, 90 lateral, 180 at the back,
  270 medial (values past 360 or below 0 wrap); `level` as above.
- `FOOT`: (`along`, `across`) on the right foot: `along` runs from the back of the heel (0)
  to the tip of the longest toe (1), `across` from the medial edge of the foot (0) to the
  lateral edge (1) at that point.

A `Patch` is a polygon in one chart, optionally limited to skin that faces one way (the
sole faces down, the back of the heel backwards), since the coordinates of the top and
the bottom of the foot coincide. Regions, muscles and landmarks are unions of patches.

This module is pure Python: the terminal evaluates patches on its pre-projected cells
with `SurfaceSample`; `raster.py` evaluates the same patches with numpy.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

Point = tuple[float, float]
Vector = tuple[float, float, float]


class Chart(StrEnum):
    TRUNK = "trunk"
    LIMB = "limb"
    FOOT = "foot"


# Which piece of the body a point belongs to (the mesh file's `part` values).
TRUNK_PART, RIGHT_LIMB_PART, RIGHT_FOOT_PART, LEFT_LIMB_PART = 0, 1, 2, 3
RIGHT_TOE_PARTS = (4, 5, 6, 7, 8)  # the big toe, then the second to the fifth
FOOT_PARTS = frozenset({RIGHT_FOOT_PART, *RIGHT_TOE_PARTS})
RIGHT_LIMB_PARTS = frozenset({RIGHT_LIMB_PART, *FOOT_PARTS})
ALL_PARTS = frozenset({TRUNK_PART, LEFT_LIMB_PART, *RIGHT_LIMB_PARTS})

# Where each chart's coordinates mean something.
CHART_PARTS: dict[Chart, frozenset[int]] = {
    Chart.TRUNK: ALL_PARTS,
    Chart.LIMB: RIGHT_LIMB_PARTS,
    Chart.FOOT: FOOT_PARTS,
}

# Directions on the body, for `Patch.facing` (x towards the body's left, y up, z forwards).
BACK: Vector = (0.0, 0.0, -1.0)
FRONT: Vector = (0.0, 0.0, 1.0)
RIGHT: Vector = (-1.0, 0.0, 0.0)  # lateral, on the right limb
LEFT: Vector = (1.0, 0.0, 0.0)  # medial, on the right limb
UP: Vector = (0.0, 1.0, 0.0)
DOWN: Vector = (0.0, -1.0, 0.0)


@dataclass(frozen=True)
class Patch:
    """A polygon of chart coordinates; with `facing`, only skin whose normal points within
    `acos(min_facing)` of that direction; with `parts`, only those parts of the chart (one toe);
    with `below`, only skin lower than that level (%H): the foot chart cannot tell the inner
    wall of the heel from the ankle bone above it, which faces the same way."""

    chart: Chart
    points: tuple[Point, ...]
    facing: Vector | None = None
    min_facing: float = 0.0
    parts: frozenset[int] | None = None
    below: float | None = None

    @property
    def domain(self) -> frozenset[int]:
        return CHART_PARTS[self.chart] if self.parts is None else self.parts


def box(chart: Chart, first: tuple[float, float], second: tuple[float, float], **facing) -> Patch:
    """A rectangle: `first` is the range of the chart's first coordinate, `second` of its second."""
    (a0, a1), (b0, b1) = first, second
    return Patch(chart, ((a0, b0), (a1, b0), (a1, b1), (a0, b1)), **facing)


def oval(chart: Chart, centre: Point, radii: tuple[float, float], **facing) -> Patch:
    """An ellipse of chart coordinates, as a 24-sided polygon."""
    (a, b), (ra, rb) = centre, radii
    points = tuple(
        (round(a + ra * math.cos(2 * math.pi * k / 24), 3), round(b + rb * math.sin(2 * math.pi * k / 24), 3))
        for k in range(24)
    )
    return Patch(chart, points, **facing)


def band(centre: tuple[Point, ...], width: float) -> Patch:
    """A strip `width` degrees wide about the limb, along a centre line of (around, level) points."""
    left = [(a - width / 2, level) for a, level in centre]
    right = [(a + width / 2, level) for a, level in reversed(centre)]
    return limb(*left, *right)


def trunk(*points: Point, **facing) -> Patch:
    return Patch(Chart.TRUNK, points, **facing)


def limb(*points: Point, **facing) -> Patch:
    return Patch(Chart.LIMB, points, **facing)


def foot(*points: Point, **facing) -> Patch:
    return Patch(Chart.FOOT, points, **facing)


@dataclass(frozen=True)
class SurfaceSample:
    """What is known of one visible point of skin: its part, position, normal and chart coordinates."""

    part: int
    position: Vector
    normal: Vector
    around: float
    along: float
    across: float

    def coordinates(self, chart: Chart) -> Point:
        if chart is Chart.TRUNK:
            return (-self.position[0], self.position[1])
        if chart is Chart.LIMB:
            return (self.around, self.position[1])
        return (self.along, self.across)


def in_polygon(points: tuple[Point, ...], x: float, y: float) -> bool:
    """Even-odd rule, the same as matplotlib's `Path.contains_points` away from the edges."""
    inside = False
    j = len(points) - 1
    for i, (xi, yi) in enumerate(points):
        xj, yj = points[j]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def patch_contains(patch: Patch, sample: SurfaceSample) -> bool:
    """Whether the skin at `sample` lies in `patch` (the pure-Python twin of `raster.patch_mask`)."""
    if sample.part not in patch.domain:
        return False
    if patch.facing is not None:
        dot = sum(n * d for n, d in zip(sample.normal, patch.facing, strict=True))
        if dot < patch.min_facing:
            return False
    if patch.below is not None and sample.position[1] >= patch.below:
        return False
    a, b = sample.coordinates(patch.chart)
    if patch.chart is Chart.LIMB:
        return any(in_polygon(patch.points, a + turn, b) for turn in (-360.0, 0.0, 360.0))
    return in_polygon(patch.points, a, b)


def patches_contain(patches: tuple[Patch, ...], sample: SurfaceSample) -> bool:
    return any(patch_contains(patch, sample) for patch in patches)
