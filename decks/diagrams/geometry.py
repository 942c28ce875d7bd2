"""Geometry of the right lower limb, as data: outlines, landmarks and region shapes.

Units are percent of standing height H, floor at y = 0 for the limb views.
Levels follow Drillis & Contini's segment proportions (Winter, Biomechanics and
Motor Control of Human Movement): greater trochanter 53.0, knee joint 28.5,
ankle joint 3.9; thigh 24.5, leg 24.6; foot length 15.2, width 5.5; hip width
19.1. The calf is widest a third of the way down from the knee (about y = 20),
and the medial malleolus sits higher and further forward than the lateral one.

Outlines are anchor points that the renderer joins with smooth Catmull-Rom
curves (cubic Béziers). Region shapes may overhang the outline: they are always
clipped to it, so only the skin inside the limb is ever painted.

View frames:
- posterior: x = 0 on the body's midline, lateral to +x (viewer's right).
- anterior: mirror image, lateral to -x.
- lateral: x = 0 on the leg's axis, front (toes) to +x.
- medial: mirror image, front to -x.
- plantar: sole seen from below, toes up; y = 0 at the heel, medial (big toe) to +x.
- dorsal: top of the foot, toes up; medial (big toe) to -x.
"""

from __future__ import annotations

from dataclasses import dataclass

from decks.regions import View

Point = tuple[float, float]

GREATER_TROCHANTER_Y = 53.0
KNEE_Y = 28.5
ANKLE_Y = 3.9
CALF_WIDEST_Y = KNEE_Y - 24.6 / 3  # a third of the leg length below the knee
FOOT_LENGTH = 15.2
FOOT_WIDTH = 5.5


@dataclass(frozen=True)
class Polygon:
    points: tuple[Point, ...]


@dataclass(frozen=True)
class Ellipse:
    center: Point
    width: float
    height: float


Shape = Polygon | Ellipse


@dataclass(frozen=True)
class ViewFrame:
    """How a view's coordinates relate to the across/down fractions of a Position.

    `across_to_plus_x`: across 0 -> 1 runs towards +x. `down_to_plus_y`: down
    0 -> 1 runs towards +y (only on the foot views, heel to toes).
    """

    label: str
    across_to_plus_x: bool
    down_to_plus_y: bool
    full_extent: tuple[float, float, float, float]  # xmin, xmax, ymin, ymax
    leg_crop_ymin: float | None = None  # limb views are cropped to the lower limb when they can be


def _mirror(points: tuple[Point, ...]) -> tuple[Point, ...]:
    return tuple((-x, y) for x, y in points)


def _mirror_shape(shape: Shape) -> Shape:
    if isinstance(shape, Ellipse):
        return Ellipse((-shape.center[0], shape.center[1]), shape.width, shape.height)
    return Polygon(_mirror(shape.points))


def _box(x0: float, x1: float, y0: float, y1: float) -> Polygon:
    return Polygon(((x0, y0), (x1, y0), (x1, y1), (x0, y1)))


# --------------------------------------------------------------------------- outlines

POSTERIOR_OUTLINE: tuple[Point, ...] = (
    (0.0, 66.0), (4.5, 66.0), (8.6, 65.5), (9.4, 61.0), (10.0, 55.5), (9.8, 50.0),
    (9.3, 44.0), (8.5, 38.0), (7.4, 32.5), (6.9, 29.5), (7.0, 27.0), (7.5, 24.0),
    (7.6, 21.5), (7.2, 17.5), (6.5, 13.5), (5.8, 9.5), (5.5, 6.5), (6.0, 4.3),
    (5.9, 2.8), (5.6, 1.0), (4.6, 0.05), (3.2, -0.05), (2.0, 0.5), (1.6, 2.2),
    (1.1, 4.7), (1.6, 6.8), (1.7, 9.5), (1.2, 13.5), (0.6, 18.0), (0.5, 21.0),
    (0.9, 24.5), (1.5, 27.5), (1.6, 30.0), (1.3, 34.0), (0.9, 40.0), (0.5, 44.5),
    (0.0, 46.0), (0.0, 52.0), (0.0, 59.0),
)  # fmt: skip

ANTERIOR_OUTLINE: tuple[Point, ...] = (
    (0.0, 61.0), (-4.5, 61.2), (-8.6, 60.2), (-9.8, 56.0), (-10.0, 52.0), (-9.6, 47.0),
    (-9.0, 42.0), (-8.3, 37.5), (-7.3, 32.5), (-6.9, 29.5), (-7.0, 27.0), (-7.4, 24.0),
    (-7.4, 21.5), (-7.0, 17.5), (-6.4, 13.5), (-5.8, 9.5), (-5.5, 6.5), (-6.2, 4.2),
    (-6.7, 2.4), (-7.0, 0.9), (-6.4, 0.05), (-5.3, 0.25), (-4.4, 0.0), (-3.5, 0.2),
    (-2.6, -0.1), (-1.7, 0.2), (-0.5, -0.4), (0.3, 0.2), (0.0, 2.0), (-0.6, 3.4),
    (-0.6, 4.8), (-1.6, 6.8), (-1.7, 9.5), (-1.2, 13.5), (-0.6, 18.0), (-0.5, 21.0),
    (-0.9, 24.5), (-1.5, 27.5), (-1.6, 30.0), (-1.3, 34.0), (-0.9, 40.0), (-0.4, 45.5),
    (0.0, 47.0), (0.0, 54.0),
)  # fmt: skip

LATERAL_OUTLINE: tuple[Point, ...] = (
    (3.6, 61.0), (4.5, 56.0), (4.9, 49.0), (4.8, 43.0), (4.2, 37.5), (3.6, 33.0),
    (3.5, 30.5), (3.2, 28.2), (2.7, 26.0), (2.6, 22.0), (2.3, 15.0), (2.0, 8.5),
    (2.1, 5.5), (3.1, 4.3), (5.8, 3.4), (8.6, 2.2), (10.6, 1.5), (11.6, 0.8),
    (11.5, 0.0), (9.5, -0.05), (4.0, 0.0), (-1.0, 0.0), (-2.9, 0.2), (-3.6, 1.3),
    (-3.3, 3.3), (-2.3, 5.8), (-2.2, 8.5), (-3.2, 13.0), (-4.3, 18.5), (-4.2, 23.5),
    (-3.3, 28.0), (-3.7, 32.5), (-4.7, 40.0), (-5.7, 46.0), (-6.4, 51.5), (-6.0, 57.0),
    (-5.0, 61.5),
)  # fmt: skip

MEDIAL_OUTLINE: tuple[Point, ...] = tuple(
    (-x, y + (0.9 if 0 < -x < 8.0 and y <= 0.0 else 0.0)) for x, y in LATERAL_OUTLINE
)  # the inner border of the sole is lifted by the medial arch

PLANTAR_OUTLINE: tuple[Point, ...] = (
    (0.0, 0.0), (1.4, 0.35), (2.0, 1.8), (1.9, 3.6), (1.5, 5.6), (1.7, 7.8),
    (2.6, 10.0), (2.8, 11.6), (2.9, 13.6), (2.5, 15.0), (1.7, 15.2), (1.1, 14.4),
    (0.8, 14.8), (0.3, 14.9), (0.0, 14.2), (-0.3, 14.5), (-0.9, 14.4), (-1.1, 13.7),
    (-1.5, 13.9), (-1.9, 13.6), (-2.1, 13.0), (-2.5, 12.9), (-2.9, 12.2), (-2.8, 10.4),
    (-2.4, 7.6), (-2.1, 4.5), (-2.0, 2.0), (-1.3, 0.35),
)  # fmt: skip

DORSAL_OUTLINE: tuple[Point, ...] = _mirror(PLANTAR_OUTLINE)  # seen from above, the big toe is medial (-x)

OUTLINES: dict[View, tuple[Point, ...]] = {
    View.POSTERIOR: POSTERIOR_OUTLINE,
    View.ANTERIOR: ANTERIOR_OUTLINE,
    View.LATERAL: LATERAL_OUTLINE,
    View.MEDIAL: MEDIAL_OUTLINE,
    View.PLANTAR: PLANTAR_OUTLINE,
    View.DORSAL: DORSAL_OUTLINE,
}

FRAMES: dict[View, ViewFrame] = {
    View.POSTERIOR: ViewFrame("posterior", True, False, (-1.5, 11.5, -1.0, 67.0), leg_crop_ymin=36.0),
    View.ANTERIOR: ViewFrame("anterior", False, False, (-11.5, 1.5, -1.0, 62.0), leg_crop_ymin=36.0),
    View.LATERAL: ViewFrame("lateral", False, False, (-7.0, 12.5, -1.0, 62.5), leg_crop_ymin=36.0),
    View.MEDIAL: ViewFrame("medial", True, False, (-12.5, 7.0, -1.0, 62.5), leg_crop_ymin=36.0),
    View.PLANTAR: ViewFrame("plantar", False, True, (-3.6, 3.6, -0.8, 16.0)),
    View.DORSAL: ViewFrame("dorsal", True, True, (-3.6, 3.6, -0.8, 16.0)),
}

# --------------------------------------------------------------------------- landmarks
# Thin lines that make the drawing read as anatomy: creases, bones, tendons, toes.

_POSTERIOR_LANDMARKS: tuple[tuple[Point, ...], ...] = (
    ((0.2, 47.0), (3.0, 46.2), (6.0, 46.4), (8.2, 47.6)),  # gluteal fold
    ((2.6, 28.8), (4.3, 28.3), (6.1, 28.8)),  # knee crease
    ((3.6, 10.5), (3.5, 6.0), (3.4, 1.8)),  # medial border of the Achilles tendon
    ((5.0, 10.5), (4.9, 6.0), (4.8, 1.8)),  # lateral border of the Achilles tendon
    ((4.3, 25.5), (4.2, 19.5), (4.1, 14.5)),  # the groove between the two heads
)
_ANTERIOR_LANDMARKS: tuple[tuple[Point, ...], ...] = (
    ((-0.6, 46.2), (-3.5, 50.0), (-7.8, 57.8)),  # inguinal crease
    ((-4.0, 25.6), (-3.7, 17.0), (-3.2, 7.2)),  # shin (anterior border of the tibia)
    ((-2.7, 1.7), (-2.6, 0.5)),  # between big toe and second toe
    ((-3.6, 1.5), (-3.5, 0.5)),
    ((-4.6, 1.4), (-4.5, 0.5)),
    ((-5.5, 1.2), (-5.4, 0.6)),
)
_LATERAL_LANDMARKS: tuple[tuple[Point, ...], ...] = (
    ((-0.9, 26.0), (-0.7, 18.0), (-0.4, 8.0)),  # line of the fibula
    ((7.6, 0.0), (8.4, 0.9), (9.0, 1.9)),  # ball of the foot
)
_PLANTAR_LANDMARKS: tuple[tuple[Point, ...], ...] = (
    ((1.6, 12.1), (2.1, 12.0), (2.7, 12.0)),  # crease under the big toe
    ((-2.7, 12.0), (-1.2, 12.35), (0.9, 12.3)),  # crease under the lesser toes
)
_DORSAL_LANDMARKS: tuple[tuple[Point, ...], ...] = (
    ((-1.0, 11.8), (-1.2, 7.0), (-1.2, 3.0)),  # first metatarsal
    ((-1.0, 12.6), (-0.8, 13.4)),  # web between big toe and second toe
)

LANDMARKS: dict[View, tuple[tuple[Point, ...], ...]] = {
    View.POSTERIOR: _POSTERIOR_LANDMARKS,
    View.ANTERIOR: _ANTERIOR_LANDMARKS,
    View.LATERAL: _LATERAL_LANDMARKS,
    View.MEDIAL: tuple(_mirror(line) for line in _LATERAL_LANDMARKS[1:]),
    View.PLANTAR: _PLANTAR_LANDMARKS,
    View.DORSAL: _DORSAL_LANDMARKS,
}

# Bony landmarks drawn as light outlines (kneecap, ankle bones).
LANDMARK_ELLIPSES: dict[View, tuple[Ellipse, ...]] = {
    View.POSTERIOR: (Ellipse((1.45, 4.7), 1.3, 1.7), Ellipse((5.95, 3.8), 1.3, 1.7)),
    View.ANTERIOR: (Ellipse((-4.3, 29.6), 3.0, 3.6), Ellipse((-1.1, 4.8), 1.3, 1.7), Ellipse((-6.05, 3.8), 1.3, 1.7)),
    View.LATERAL: (Ellipse((2.2, 29.5), 2.0, 3.4), Ellipse((-0.3, 3.8), 1.9, 1.9), Ellipse((-0.9, 26.3), 1.6, 1.6)),
    View.MEDIAL: (Ellipse((-2.2, 29.5), 2.0, 3.4), Ellipse((-0.4, 4.8), 1.9, 1.9)),
    View.PLANTAR: (),
    View.DORSAL: (),
}

# --------------------------------------------------------------------------- regions

_POSTERIOR_REGIONS: dict[str, Shape] = {
    "lower-back": _box(-2.0, 12.0, 61.0, 67.0),
    "sacroiliac": Ellipse((1.9, 57.8), 2.6, 3.6),
    "buttock": Polygon(
        ((-2, 61.0), (12, 61.0), (12, 47.8), (8.2, 47.6), (6.0, 46.4), (3.0, 46.2), (0.2, 47.0), (-2, 47.0))
    ),
    "posterior-thigh-upper": Polygon(
        ((-2, 47.0), (0.2, 47.0), (3.0, 46.2), (6.0, 46.4), (8.2, 47.6), (12, 47.8), (12, 38.0), (-2, 38.0))
    ),
    "posterior-thigh-lower": Polygon(
        ((-2, 38.0), (12, 38.0), (12, 29.0), (6.3, 29.0), (4.3, 31.5), (2.3, 29.0), (-2, 29.0))
    ),
    "back-of-knee": Polygon(((4.3, 31.5), (6.3, 29.0), (4.3, 25.8), (2.3, 29.0))),
    "calf-upper-medial": Polygon(((-2, 29.0), (2.3, 29.0), (4.3, 25.8), (4.3, 18.0), (-2, 18.0))),
    "calf-upper-lateral": Polygon(((4.3, 25.8), (6.3, 29.0), (12, 29.0), (12, 18.0), (4.3, 18.0))),
    "calf-lower-medial": _box(-2.0, 4.3, 10.0, 18.0),
    "calf-lower-lateral": _box(4.3, 12.0, 10.0, 18.0),
    "achilles-tendon": _box(3.4, 5.1, 3.2, 10.0),
    "medial-malleolus": Ellipse((1.45, 4.7), 1.5, 1.9),
    "lateral-malleolus": Ellipse((5.95, 3.8), 1.5, 1.9),
    "behind-lateral-malleolus": Ellipse((5.15, 4.4), 1.0, 2.6),
    "heel-back": Polygon(((1.5, 3.2), (6.0, 3.2), (6.0, -0.5), (1.5, -0.5))),
}

_ANTERIOR_REGIONS: dict[str, Shape] = {
    "groin": Polygon(((0.5, 46.0), (-0.6, 46.2), (-3.5, 50.0), (-7.8, 57.8), (-6.0, 59.5), (-2.0, 52.0), (0.5, 49.0))),
    "anterior-thigh-upper": _box(-12.0, 1.0, 40.5, 61.5),
    "anterior-thigh-lower": _box(-12.0, 1.0, 32.0, 40.5),
    "front-of-knee": Ellipse((-4.3, 29.6), 3.4, 4.2),
    "medial-knee": _box(-2.6, 1.0, 25.6, 32.0),
    "lateral-knee": _box(-12.0, -6.0, 25.6, 32.0),
    "shin-upper-medial": Polygon(((-4.0, 25.6), (1.0, 25.6), (1.0, 17.0), (-3.7, 17.0))),
    "shin-upper-lateral": Polygon(((-12.0, 25.6), (-4.0, 25.6), (-3.7, 17.0), (-12.0, 17.0))),
    "shin-lower-medial": Polygon(((-3.7, 17.0), (1.0, 17.0), (1.0, 6.8), (-3.2, 6.8))),
    "shin-lower-lateral": Polygon(((-12.0, 17.0), (-3.7, 17.0), (-3.2, 6.8), (-12.0, 6.8))),
    "front-of-ankle": Polygon(((-5.1, 6.8), (-1.9, 6.8), (-1.9, 3.3), (-5.1, 3.3))),
    "medial-malleolus": Ellipse((-1.1, 4.8), 1.5, 1.9),
    "lateral-malleolus": Ellipse((-6.05, 3.8), 1.5, 1.9),
    "dorsum-of-foot": Polygon(((-6.3, 3.3), (-0.6, 3.3), (-0.2, 1.2), (-6.8, 1.2))),
}

_LATERAL_REGIONS: dict[str, Shape] = {
    "buttock": Polygon(((-8.0, 61.5), (-2.5, 61.5), (-2.5, 47.0), (-8.0, 45.5))),
    "lateral-hip": Ellipse((-0.2, 53.0), 4.4, 5.2),
    "lateral-thigh": Polygon(((-2.5, 50.0), (2.5, 50.0), (3.0, 32.0), (-2.5, 32.0))),
    "posterior-thigh-lower": Polygon(((-8.0, 38.0), (-2.5, 38.0), (-2.5, 29.0), (-8.0, 29.0))),
    "front-of-knee": Ellipse((2.5, 29.5), 2.4, 3.8),
    "lateral-knee": Ellipse((-0.9, 27.0), 3.6, 4.4),
    "calf-upper-lateral": Polygon(((-8.0, 28.5), (-2.6, 28.5), (-1.9, 18.0), (-8.0, 18.0))),
    "calf-lower-lateral": Polygon(((-8.0, 18.0), (-1.9, 18.0), (-1.7, 10.0), (-8.0, 10.0))),
    "achilles-tendon": _box(-4.0, -1.4, 5.2, 10.0),
    "shin-upper-lateral": Polygon(((0.8, 25.2), (4.0, 25.2), (4.0, 17.0), (0.7, 17.0))),
    "shin-lower-lateral": Polygon(((0.7, 17.0), (4.0, 17.0), (4.0, 7.0), (0.8, 7.0))),
    "lateral-leg-upper": Polygon(((-2.6, 25.2), (0.8, 25.2), (0.7, 19.5), (-1.9, 19.5))),
    "lateral-leg-middle": Polygon(((-1.9, 19.5), (0.7, 19.5), (0.6, 13.3), (-1.8, 13.3))),
    "lateral-leg-lower": Polygon(((-1.8, 13.3), (0.6, 13.3), (0.8, 6.6), (-1.5, 6.6))),
    "lateral-malleolus": Ellipse((-0.3, 3.9), 2.5, 2.5),
    "behind-lateral-malleolus": Ellipse((-2.0, 4.4), 1.7, 3.4),
    "below-lateral-malleolus": Ellipse((0.0, 1.9), 3.0, 1.6),
    "lateral-heel": Ellipse((-2.4, 1.4), 1.8, 2.2),
    "heel-back": Polygon(((-3.4, 4.0), (-5.0, 4.0), (-5.0, -0.5), (-3.0, -0.5), (-3.1, 1.5))),
    "lateral-foot": Polygon(((1.6, 1.2), (10.6, 1.2), (10.8, -0.5), (1.6, -0.5))),
}

_MEDIAL_OWN_REGIONS: dict[str, Shape] = {
    "medial-thigh": Polygon(((2.5, 50.0), (-2.5, 50.0), (-3.0, 32.0), (2.5, 32.0))),
    "medial-knee": Ellipse((0.4, 27.8), 4.0, 4.4),
    "calf-upper-medial": Polygon(((8.0, 28.5), (2.4, 28.5), (1.0, 18.0), (8.0, 18.0))),
    "calf-lower-medial": Polygon(((8.0, 18.0), (1.0, 18.0), (1.0, 10.0), (8.0, 10.0))),
    "shin-upper-medial": Polygon(((2.2, 25.5), (-4.0, 25.5), (-4.0, 17.0), (1.0, 17.0))),
    "shin-lower-medial": Polygon(((1.0, 17.0), (-4.0, 17.0), (-4.0, 7.0), (1.2, 7.0))),
    "medial-malleolus": Ellipse((-0.4, 4.8), 2.1, 2.1),
    "medial-heel": Ellipse((2.2, 1.8), 2.0, 2.2),
    "instep": Polygon(((0.8, -0.5), (0.6, 1.5), (-2.0, 2.3), (-5.0, 2.1), (-7.6, 1.5), (-7.9, -0.5))),
    "dorsum-first-metatarsal": Polygon(((-3.2, 4.2), (-9.8, 2.0), (-9.4, 1.0), (-3.2, 2.6))),
    "big-toe-dorsal": Polygon(((-9.8, 2.2), (-12.5, 1.4), (-12.5, 0.1), (-9.6, 0.6))),
}

_MIRRORED_TO_MEDIAL = ("posterior-thigh-lower", "front-of-knee", "achilles-tendon", "heel-back")

_MEDIAL_REGIONS: dict[str, Shape] = {
    **{name: _mirror_shape(_LATERAL_REGIONS[name]) for name in _MIRRORED_TO_MEDIAL},
    **_MEDIAL_OWN_REGIONS,
}

_PLANTAR_REGIONS: dict[str, Shape] = {
    "heel-plantar": Ellipse((0.0, 2.3), 4.4, 4.6),
    "instep": Polygon(((0.2, 4.6), (3.2, 4.6), (3.2, 9.3), (0.6, 9.3))),
    "lateral-sole": Polygon(((-3.2, 4.6), (0.2, 4.6), (-0.2, 9.3), (-3.2, 9.3))),
    "ball-of-big-toe": Polygon(((0.9, 9.3), (3.2, 9.3), (3.2, 12.1), (1.1, 12.1))),
    "ball-of-foot": Polygon(((-3.2, 9.3), (0.9, 9.3), (1.1, 12.35), (-3.2, 12.0))),
    "big-toe-plantar": Polygon(((1.1, 12.1), (3.2, 12.1), (3.2, 16.0), (1.1, 16.0))),
    "lesser-toes-plantar": Polygon(((-3.2, 12.0), (1.1, 12.35), (1.1, 16.0), (-3.2, 16.0))),
}

_DORSAL_REGIONS: dict[str, Shape] = {
    "dorsum-of-foot": Polygon(((-1.0, 4.8), (2.0, 4.8), (2.3, 9.8), (-0.8, 9.8))),
    "dorsum-first-metatarsal": Polygon(((-3.2, 4.8), (-1.0, 4.8), (-0.8, 12.3), (-3.2, 12.3))),
    "lateral-foot": Polygon(((2.0, 3.0), (3.2, 3.0), (3.2, 11.8), (2.3, 11.8), (2.3, 9.8), (2.0, 4.8))),
    "big-toe-dorsal": Polygon(((-3.2, 12.3), (-0.8, 12.3), (-0.9, 16.0), (-3.2, 16.0))),
    "lesser-toes-dorsal": Polygon(((-0.8, 12.3), (2.3, 11.8), (3.2, 11.8), (3.2, 16.0), (-0.9, 16.0))),
}

REGION_SHAPES: dict[View, dict[str, Shape]] = {
    View.POSTERIOR: _POSTERIOR_REGIONS,
    View.ANTERIOR: _ANTERIOR_REGIONS,
    View.LATERAL: _LATERAL_REGIONS,
    View.MEDIAL: _MEDIAL_REGIONS,
    View.PLANTAR: _PLANTAR_REGIONS,
    View.DORSAL: _DORSAL_REGIONS,
}
