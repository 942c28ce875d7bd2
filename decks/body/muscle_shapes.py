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

from decks.body.surface import UP, Patch, foot, limb


@dataclass(frozen=True)
class MuscleShape:
    patches: tuple[Patch, ...]
    deep: bool = False


_TOP = {"facing": UP, "min_facing": 0.2}

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
}
