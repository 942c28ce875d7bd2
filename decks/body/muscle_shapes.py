"""Each muscle's surface projection: where its belly (and, for long muscles, its tendon)
lies under the skin, drawn lightly shaded under its trigger points.

Outlines follow the attachments in the anatomy texts the fact files cite (Gray's,
Moore) and Travell & Simons' muscle drawings, in the surface coordinates of
`surface.py` (limb: angle about the limb's axis, 0 front, 90 lateral, 180 back, 270
medial, and level in %H; knee joint 28.5, ankle joint 3.9). A deep muscle (one covered
by others) is drawn with a dashed outline. A fact file names its shape with `shape:`
(default: its own id); `myodeck check` refuses a muscle without one.

Pure data (no numpy).
"""

from __future__ import annotations

from dataclasses import dataclass

from decks.body.region_shapes import SARTORIUS_LINE
from decks.body.surface import BACK, DOWN, FRONT, RIGHT_FOOT_PART, UP, Patch, band, foot, limb, trunk


@dataclass(frozen=True)
class MuscleShape:
    patches: tuple[Patch, ...]
    deep: bool = False


_TOP = {"facing": UP, "min_facing": 0.2}
_SOLE = {"facing": DOWN, "min_facing": 0.3, "parts": frozenset({RIGHT_FOOT_PART})}
_INNER_EDGE = {"facing": (0.45, -0.9, 0.0), "min_facing": 0.0}  # the sole's inner border and the arch wall
_OUTER_EDGE = {"facing": (-0.45, -0.9, 0.0), "min_facing": 0.0}
_BEHIND = {"facing": BACK, "min_facing": -0.45}  # the back of the pelvis and round onto its side
_AHEAD = {"facing": FRONT, "min_facing": 0.0}
_FRONT_AND_SIDE = {"facing": (-0.7, 0.0, 0.7), "min_facing": 0.5}  # the front of the hip, turning to the side


# fmt: off  (coordinates read best a polygon to a line or two)
MUSCLE_SHAPES: dict[str, MuscleShape] = {
    # ---------------------------------------------------------------- leg, back
    "gastrocnemius": MuscleShape(
        (
            # medial head: from above the medial femoral condyle, the larger and longer belly
            limb(
                (203, 31.5),
                (232, 28.5),
                (254, 24.0),
                (254, 19.5),
                (238, 15.5),
                (206, 13.5),
                (186, 15.0),
                (181, 21.0),
                (183, 27.5),
                (191, 31.0),
            ),
            # lateral head: from the lateral femoral condyle, ending higher
            limb(
                (158, 31.5),
                (134, 28.5),
                (112, 24.5),
                (113, 20.5),
                (132, 17.5),
                (165, 16.5),
                (178, 19.0),
                (179, 26.5),
                (171, 30.5),
            ),
        ),
    ),
    "soleus": MuscleShape(
        (
            limb(
                (150, 26.5),
                (120, 23.5),
                (108, 18.0),
                (112, 12.5),
                (140, 8.5),
                (168, 6.5),
                (196, 6.5),
                (220, 8.5),
                (246, 12.5),
                (252, 18.0),
                (246, 22.0),
                (222, 25.5),
                (196, 25.0),
                (172, 26.0),
            ),
        ),
    ),
    "plantaris": MuscleShape(
        (limb((160, 32.5), (172, 32.8), (192, 26.5), (186, 25.0), (157, 30.0)),),
        deep=True,
    ),
    "popliteus": MuscleShape(
        (limb((122, 29.4), (140, 29.6), (226, 26.6), (230, 24.4), (200, 24.2), (122, 27.6)),),
        deep=True,
    ),
    "tibialis-posterior": MuscleShape(
        (limb((164, 25.5), (202, 25.5), (206, 15.0), (196, 8.5), (170, 8.5), (158, 16.0)),),
        deep=True,
    ),
    "flexor-digitorum-longus": MuscleShape(
        (limb((205, 24.5), (236, 24.0), (242, 15.0), (250, 6.5), (226, 6.0), (204, 10.0)),),
        deep=True,
    ),
    "flexor-hallucis-longus": MuscleShape(
        (limb((128, 21.5), (170, 21.5), (188, 9.0), (184, 4.8), (156, 5.5), (128, 13.0)),),
        deep=True,
    ),
    # ---------------------------------------------------------------- leg, front and side
    "tibialis-anterior": MuscleShape(
        (
            limb((6, 26.5), (46, 26.5), (44, 18.0), (28, 10.5), (12, 9.5), (4, 18.0)),
            limb((6, 10.5), (32, 10.5), (-2, 3.0), (-30, 3.0)),  # the tendon, across the front of the ankle
            foot((0.38, -0.2), (0.52, -0.2), (0.5, 0.12), (0.38, 0.12), **_TOP),  # onto the first cuneiform
        ),
    ),
    "extensor-digitorum-longus": MuscleShape(
        (
            limb((46, 27.5), (76, 27.5), (74, 18.0), (58, 8.5), (40, 8.5), (42, 18.0)),
            limb((40, 8.5), (58, 8.5), (40, 2.6), (22, 2.6)),
        ),
    ),
    "extensor-hallucis-longus": MuscleShape(
        (limb((34, 22.0), (50, 22.0), (46, 9.5), (28, 4.5), (14, 4.5), (24, 12.0)),),
        deep=True,
    ),
    "fibularis-longus": MuscleShape(
        (limb((84, 28.0), (120, 28.0), (123, 20.0), (114, 12.0), (96, 10.5), (81, 19.0)),),
    ),
    "fibularis-brevis": MuscleShape(
        (limb((86, 19.5), (122, 19.5), (132, 9.0), (128, 4.5), (108, 4.5), (90, 10.0)),),
    ),
    "fibularis-tertius": MuscleShape(
        (limb((46, 12.5), (70, 12.5), (64, 3.2), (46, 3.2)),),
    ),
    # ---------------------------------------------------------------- low back and hip
    # Trunk chart: (distance to the right of the midline, level), both in %H.
    "quadratus-lumborum": MuscleShape(
        (trunk((2.8, 66.5), (7.8, 66.5), (8.8, 62.5), (8.0, 60.2), (4.5, 59.4), (2.8, 60.5), **_BEHIND),),
        deep=True,
    ),
    "iliopsoas": MuscleShape(
        (
            trunk(
                (2.6, 63.0),
                (5.6, 63.0),
                (9.2, 58.6),
                (8.6, 55.5),
                (6.8, 51.0),
                (5.8, 47.2),
                (4.2, 47.2),
                (4.0, 52.5),
                (2.6, 57.5),
                **_AHEAD,
            ),
        ),
        deep=True,
    ),
    "gluteus-maximus": MuscleShape(
        (
            trunk(
                (3.6, 58.8),
                (1.4, 55.5),
                (0.9, 51.2),
                (2.2, 48.4),
                (5.2, 46.4),
                (8.8, 45.0),
                (10.8, 46.6),
                (11.8, 50.2),
                (11.4, 54.0),
                (8.0, 57.4),
                **_BEHIND,
            ),
        ),
    ),
    "gluteus-medius": MuscleShape(
        (
            trunk(
                (3.6, 59.0),
                (7.0, 60.8),
                (10.6, 61.6),
                (12.6, 60.4),
                (12.6, 55.0),
                (10.8, 52.6),
                (8.6, 54.2),
                (5.6, 56.6),
                facing=BACK,
                min_facing=-0.75,
            ),
        ),
    ),
    "gluteus-minimus": MuscleShape(
        (
            trunk(
                (5.6, 58.2),
                (9.0, 60.0),
                (11.8, 59.8),
                (12.6, 56.0),
                (11.0, 53.0),
                (9.0, 53.2),  # the lower border runs along the upper border of piriformis,
                (6.4, 53.4),  # where the posterior trigger points lie
                (5.0, 55.4),
                facing=BACK,
                min_facing=-0.85,
            ),
        ),
        deep=True,
    ),
    "piriformis": MuscleShape(
        (trunk((1.8, 56.6), (6.0, 56.0), (10.6, 54.6), (11.0, 53.2), (6.0, 53.4), (1.8, 53.6), **_BEHIND),),
        deep=True,
    ),
    "tensor-fasciae-latae": MuscleShape(
        (trunk((7.8, 57.2), (10.6, 56.6), (11.8, 52.0), (11.6, 47.4), (10.0, 47.4), (8.8, 52.0), **_FRONT_AND_SIDE),),
    ),
    # ---------------------------------------------------------------- thigh
    "sartorius": MuscleShape(
        (
            band((*SARTORIUS_LINE, (-80, 27.0), (-50, 26.2)), width=20),  # down the thigh to the tibia
            trunk((6.6, 56.6), (8.8, 56.2), (9.6, 52.0), (7.2, 51.0), **_FRONT_AND_SIDE),  # from the ASIS
        ),
    ),
    "rectus-femoris": MuscleShape(
        (
            limb(
                (-5, 49.8),
                (15, 49.8),
                (24, 46.0),
                (27, 42.0),
                (21, 38.0),
                (12, 35.0),
                (10, 33.2),
                (-10, 33.2),
                (-12, 35.0),
                (-21, 38.0),
                (-25, 42.0),
                (-20, 46.0),
            ),
        ),
    ),
    "vastus-lateralis": MuscleShape(
        (
            limb(  # a spindle: narrow at the greater trochanter, widest at mid-thigh, into the quadriceps tendon
                (95, 52.0),
                (135, 50.5),
                (150, 46.0),
                (152, 41.0),
                (142, 37.0),
                (100, 34.2),
                (50, 33.2),
                (20, 33.8),
                (16, 38.0),
                (20, 44.0),
                (45, 49.5),
            ),
        ),
    ),
    "vastus-medialis": MuscleShape(
        (
            limb(
                (-45, 47.0),
                (-30, 47.0),
                (-35, 42.0),
                (-20, 37.5),
                (-15, 34.0),
                (-15, 32.0),
                (-30, 31.5),
                (-100, 34.0),
                (-100, 37.5),
                (-85, 42.0),
            ),
        ),
    ),
    "vastus-intermedius": MuscleShape(
        (limb((-35, 49.0), (75, 49.0), (75, 36.5), (25, 34.0), (-15, 34.0), (-35, 36.5)),),
        deep=True,
    ),
    "pectineus": MuscleShape(
        (limb((-15, 49.6), (-50, 48.6), (-62, 46.0), (-30, 44.8)),),
    ),
    "adductor-longus": MuscleShape(
        (limb((-72, 49.4), (-46, 49.4), (-58, 43.0), (-76, 38.0), (-94, 38.6), (-92, 44.0)),),
    ),
    "adductor-brevis": MuscleShape(
        (limb((-84, 48.6), (-52, 48.6), (-64, 44.0), (-86, 41.6), (-100, 43.6)),),
        deep=True,
    ),
    "adductor-magnus": MuscleShape(
        (limb((-84, 48.0), (-150, 47.6), (-146, 40.0), (-116, 33.0), (-96, 30.6), (-84, 35.5), (-92, 43.0)),),
    ),
    "gracilis": MuscleShape(
        (band(((-92, 48.6), (-96, 42.0), (-100, 35.0), (-98, 30.0), (-80, 27.0), (-66, 25.6)), width=13),),
    ),
    "biceps-femoris": MuscleShape(
        (limb((176, 47.2), (152, 47.6), (124, 38.0), (110, 29.4), (118, 26.8), (140, 31.0), (164, 40.0)),),
    ),
    "semitendinosus": MuscleShape(
        (limb((200, 47.6), (178, 47.2), (184, 38.0), (214, 31.0), (244, 27.4), (252, 29.4), (226, 33.2), (206, 40.0)),),
    ),
    "semimembranosus": MuscleShape(
        (limb((206, 44.6), (232, 42.6), (248, 34.0), (238, 29.4), (214, 31.0), (200, 37.0)),),
    ),
}
# fmt: on

# The muscles of the foot, on the foot chart: (along the foot from the heel 0 to the toe tips 1,
# across it from the inner edge 0 to the outer edge 1).
# fmt: off
MUSCLE_SHAPES.update({
    "extensor-digitorum-and-hallucis-brevis": MuscleShape(
        (foot((0.25, 0.75), (0.25, 0.96), (0.42, 0.96), (0.6, 0.86), (0.76, 0.78), (0.78, 0.38), (0.77, 0.14),
              (0.7, 0.16), (0.45, 0.55), facing=UP, min_facing=0.0),),
    ),
    # the abductors lie along the foot's borders, below the ankle bones (the foot chart alone would
    # carry them up the heel's wall and over the malleolus, which faces the same way)
    "abductor-hallucis": MuscleShape(
        (foot((0.03, -0.2), (0.03, 0.2), (0.4, 0.2), (0.77, 0.14), (0.77, -0.2), **_INNER_EDGE, below=2.5),),
    ),
    "flexor-digitorum-brevis": MuscleShape(
        (foot((0.08, 0.38), (0.08, 0.64), (0.5, 0.72), (0.74, 0.86), (0.76, 0.3), (0.5, 0.3), **_SOLE),),
    ),
    "abductor-digiti-minimi": MuscleShape(
        (foot((0.04, 0.8), (0.04, 1.2), (0.72, 1.2), (0.72, 0.86), (0.45, 0.82), **_OUTER_EDGE, below=2.0),),
    ),
    "quadratus-plantae": MuscleShape(
        (foot((0.1, 0.25), (0.1, 0.7), (0.36, 0.6), (0.4, 0.45), (0.3, 0.28), **_SOLE),),
        deep=True,
    ),
    "lumbricals-foot": MuscleShape(
        (foot((0.52, 0.35), (0.52, 0.75), (0.78, 0.92), (0.78, 0.3), **_SOLE),),
        deep=True,
    ),
    "flexor-hallucis-brevis": MuscleShape(
        (foot((0.42, 0.32), (0.42, 0.45), (0.78, 0.24), (0.78, 0.06), (0.6, 0.1), **_SOLE),),
        deep=True,
    ),
    "adductor-hallucis": MuscleShape(
        (
            foot((0.46, 0.35), (0.46, 0.6), (0.7, 0.45), (0.78, 0.22), (0.72, 0.18), **_SOLE),  # oblique head
            foot((0.7, 0.2), (0.7, 0.9), (0.77, 0.9), (0.77, 0.2), **_SOLE),  # transverse head
        ),
        deep=True,
    ),
    "flexor-digiti-minimi-brevis": MuscleShape(
        (foot((0.48, 0.78), (0.48, 0.96), (0.72, 0.96), (0.72, 0.82), **_SOLE),),
        deep=True,
    ),
    "dorsal-and-plantar-interossei": MuscleShape(
        (foot((0.45, 0.15), (0.45, 0.9), (0.75, 0.92), (0.78, 0.15), facing=UP, min_facing=0.0,
              parts=frozenset({RIGHT_FOOT_PART})),),
        deep=True,
    ),
})
# fmt: on
