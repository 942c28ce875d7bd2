"""Where each body region of the vocabulary lies on the skin, in surface coordinates.

One entry per region id of `decks.regions.REGIONS`: a union of patches (see
`surface.py` for the charts). Levels are in percent of standing height above the floor,
on Drillis & Contini's proportions: ankle joint 3.9, knee joint 28.5, hip joint (greater
trochanter) 53.0; the thigh is divided into thirds between the top of the kneecap (33)
and the gluteal fold and groin (48), the leg into halves between the ankle (6) and the
knee (26). Angles about the limb: 0 front, 90 lateral, 180 back, 270 medial.

Pure data (no numpy): the terminal evaluates these patches too.
"""

from __future__ import annotations

from decks.body.surface import (
    BACK,
    DOWN,
    FRONT,
    LEFT,
    RIGHT,
    RIGHT_FOOT_PART,
    RIGHT_LIMB_PART,
    RIGHT_TOE_PARTS,
    UP,
    Chart,
    Patch,
    band,
    box,
    foot,
    limb,
    oval,
    trunk,
)
from decks.regions import View

T, L, F = Chart.TRUNK, Chart.LIMB, Chart.FOOT

# Levels (%H) the regions share, so neighbours meet without gaps.
THIGH_TOP_BACK = 47.5  # gluteal fold
THIGH_TOP_FRONT = 50.0  # inguinal crease, laterally
THIGH_UPPER_THIRD = 43.0
THIGH_LOWER_THIRD = 38.0
KNEECAP_TOP = 33.0
KNEE_BACK_TOP = 32.5
CALF_TOP = 26.0
CALF_MIDDLE = 18.0
CALF_BOTTOM = 10.0
SHIN_BOTTOM = 6.5

# Faces of the limb: angle ranges about its axis.
FRONT_FACE = (-45.0, 45.0)
LATERAL_FACE = (45.0, 135.0)
BACK_FACE = (135.0, 225.0)
MEDIAL_FACE = (225.0, 315.0)

# The line of sartorius across the thigh, from below the front of the iliac crest to the inner
# side of the knee, as (around, level): the oblique strip follows it, and so does the muscle.
SARTORIUS_LINE = (
    (32, 53.0),
    (32, 51.5),
    (10, 47.0),
    (-25, 44.0),
    (-55, 40.5),
    (-80, 37.0),
    (-100, 33.0),
    (-110, 29.5),
)

# The metatarsophalangeal joints on the foot chart (along, across), first to fifth,
# measured on the mesh's toe joints: the balls of the foot lie just behind them.
METATARSAL_HEADS = ((0.772, 0.15), (0.782, 0.41), (0.768, 0.60), (0.734, 0.76), (0.716, 0.91))

_BACKWARD = {"facing": BACK, "min_facing": 0.25}
_FORWARD = {"facing": FRONT, "min_facing": 0.2}
_LATERAL = {"facing": RIGHT, "min_facing": 0.35}
_MEDIAL = {"facing": LEFT, "min_facing": 0.35}
_SOLE = {"facing": DOWN, "min_facing": 0.35}
_NOT_TOES = {"parts": frozenset({RIGHT_FOOT_PART})}
_ARCH_WALL = (0.45, -0.9, 0.0)  # medial and downwards: the inner wall of the arch, not the side of the dorsum
_TOP = {"facing": UP, "min_facing": 0.3}
_INNER_BORDER = (0.93, -0.37, 0.0)  # medial and a little downwards: the foot's inner wall and the sole's edge
_SIDE_WALL = (-0.94, -0.34, 0.0)  # lateral and a little downwards: the foot's outer side, not its top


def _thigh(face: tuple[float, float], low: float, high: float) -> Patch:
    return box(L, face, (low, high))


def _ball(head: int) -> Patch:
    """The sole under one metatarsal head: a rounded patch just behind its joint."""
    along, across = METATARSAL_HEADS[head - 1]
    return foot(
        (along - 0.075, across - 0.08), (along - 0.03, across - 0.13), (along + 0.015, across - 0.09),
        (along + 0.015, across + 0.09), (along - 0.03, across + 0.13), (along - 0.075, across + 0.08),
        **_SOLE, parts=frozenset({RIGHT_FOOT_PART}),
    )  # fmt: skip


def _toe(toe: int, **facing) -> Patch:
    return Patch(
        F, ((0.0, -1.0), (1.2, -1.0), (1.2, 2.0), (0.0, 2.0)), parts=frozenset({RIGHT_TOE_PARTS[toe - 1]}), **facing
    )


def _toes(toes: range, **facing) -> tuple[Patch, ...]:
    return tuple(_toe(toe, **facing) for toe in toes)


_THIGH_THIRDS = {
    "upper": (THIGH_UPPER_THIRD, THIGH_TOP_FRONT),
    "middle": (THIGH_LOWER_THIRD, THIGH_UPPER_THIRD),
    "lower": (KNEECAP_TOP, THIGH_LOWER_THIRD),
}
_THIGH_FACES = {"anterior": FRONT_FACE, "lateral": LATERAL_FACE, "posterior": BACK_FACE, "medial": MEDIAL_FACE}

REGION_PATCHES: dict[str, tuple[Patch, ...]] = {
    # ---------------------------------------------------------------- low back and pelvis
    "lower-back": (box(T, (-8.0, 8.0), (58.5, 66.0), **_BACKWARD),),
    "lumbar-paraspinal": (box(T, (0.6, 4.2), (56.0, 66.0), **_BACKWARD),),
    "lumbosacral-band": (trunk((-7.0, 58.0), (7.0, 58.0), (7.4, 61.2), (-7.4, 61.2), **_BACKWARD),),
    "iliac-crest": (
        trunk(
            (2.5, 57.3), (6.5, 59.3), (10.5, 60.3), (10.5, 62.4), (6.3, 61.4), (2.5, 59.6), facing=BACK, min_facing=-0.2
        ),
        box(T, (8.0, 13.0), (59.3, 62.3), **_LATERAL),
    ),
    "sacrum": (trunk((-3.6, 58.0), (3.6, 58.0), (1.0, 51.8), (-1.0, 51.8), **_BACKWARD),),
    "sacroiliac": (trunk((1.6, 58.6), (4.8, 58.6), (4.4, 53.8), (1.2, 53.8), **_BACKWARD),),
    "coccyx": (box(T, (-1.3, 1.3), (49.2, 52.2), **_BACKWARD),),
    "gluteal-cleft": (
        trunk((0.3, 56.0), (2.6, 56.0), (2.6, 49.5), (3.6, 47.0), (0.3, 47.6), facing=BACK, min_facing=-0.2),
    ),
    # The skin facing back, round to the back of the trochanter: the side of the hip is `lateral-hip`.
    "buttock": (
        trunk(
            (0.8, 48.2),
            (5.0, 46.8),
            (9.5, 47.5),
            (12.0, 49.0),
            (12.0, 59.8),
            (0.8, 58.2),
            facing=BACK,
            min_facing=0.2,
        ),
    ),
    "upper-buttock": (
        trunk((3.5, 55.0), (12.0, 55.0), (12.0, 60.0), (6.5, 59.2), (3.5, 58.0), facing=BACK, min_facing=-0.2),
    ),
    "lateral-buttock": (box(T, (6.5, 12.0), (49.0, 57.0), facing=BACK, min_facing=-0.45),),
    "lower-buttock": (trunk((0.8, 48.2), (5.0, 46.8), (9.5, 47.5), (9.5, 51.5), (0.8, 51.5), **_BACKWARD),),
    "greater-trochanter": (box(T, (8.0, 13.0), (50.5, 55.5), facing=RIGHT, min_facing=0.3),),
    "lateral-hip": (box(T, (7.5, 13.0), (48.5, 58.0), facing=RIGHT, min_facing=0.45),),
    # The inguinal crease from the pubic tubercle to about its middle: where the adductors, pectineus and
    # iliopsoas send pain. The lateral end, below the front of the iliac crest, is the anterior hip.
    "groin": (trunk((1.2, 47.8), (3.4, 47.2), (7.4, 51.0), (7.2, 53.8), (5.4, 53.4), (1.2, 50.6), **_FORWARD),),
    "pubic": (box(T, (-3.2, 3.2), (48.0, 52.0), **_FORWARD),),
    "lower-abdomen": (trunk((1.4, 52.0), (3.8, 51.6), (9.6, 57.2), (9.4, 60.0), (1.4, 60.0), **_FORWARD),),
    "anterior-hip": (trunk((4.5, 48.0), (10.5, 50.0), (10.5, 56.5), (7.0, 56.5), (4.5, 52.0), **_FORWARD),),
    # ---------------------------------------------------------------- thigh
    "posterior-thigh-upper": (limb((135, 38.0), (225, 38.0), (225, 47.6), (180, 48.5), (135, 49.5)),),
    "posterior-thigh-lower": (box(L, (125.0, 235.0), (KNEE_BACK_TOP - 1.0, 38.0)),),
    "anterior-thigh-upper": (limb((-60, 40.5), (60, 40.5), (60, 51.0), (0, 50.5), (-60, 48.0)),),
    "anterior-thigh-lower": (box(L, (-60.0, 60.0), (KNEECAP_TOP, 40.5)),),
    "lateral-thigh": (box(L, (55.0, 125.0), (KNEECAP_TOP, 50.0)),),
    "medial-thigh": (box(L, (235.0, 305.0), (KNEECAP_TOP, 47.0)),),
    **{
        f"{face}-thigh-{third}-third": (_thigh(angles, *levels),)
        for face, angles in _THIGH_FACES.items()
        for third, levels in _THIGH_THIRDS.items()
    },
    "lateral-thigh-strip": (box(L, (80.0, 100.0), (31.0, 50.0)),),
    "oblique-thigh-strip": (band(SARTORIUS_LINE, width=16),),
    # ---------------------------------------------------------------- knee
    "back-of-knee": (oval(L, (180.0, 29.2), (30.0, 3.6)),),
    "front-of-knee": (box(L, (-38.0, 38.0), (26.8, KNEECAP_TOP + 0.5)),),
    "suprapatellar": (box(L, (-40.0, 40.0), (KNEECAP_TOP, 36.0)),),
    "kneecap-medial-edge": (box(L, (-42.0, -16.0), (27.8, KNEECAP_TOP + 0.3)),),
    "kneecap-lateral-edge": (box(L, (16.0, 42.0), (27.8, KNEECAP_TOP + 0.3)),),
    "medial-knee": (box(L, (235.0, 305.0), (25.3, 32.5)),),
    "lateral-knee": (box(L, (55.0, 125.0), (25.3, 32.5)),),
    # ---------------------------------------------------------------- leg
    "calf-upper-medial": (box(L, (180.0, 255.0), (CALF_MIDDLE, CALF_TOP)),),
    "calf-upper-lateral": (box(L, (105.0, 180.0), (CALF_MIDDLE, CALF_TOP)),),
    "calf-lower-medial": (box(L, (180.0, 255.0), (CALF_BOTTOM, CALF_MIDDLE)),),
    "calf-lower-lateral": (box(L, (105.0, 180.0), (CALF_BOTTOM, CALF_MIDDLE)),),
    "calf-middle": (limb((112, 21.5), (180, 22.5), (248, 21.5), (246, 14.5), (180, 13.5), (114, 14.5)),),
    "achilles-tendon": (box(L, (157.0, 203.0), (3.6, CALF_BOTTOM)),),
    "lower-achilles-tendon": (box(L, (157.0, 203.0), (3.6, 6.6)),),
    "shin-upper-medial": (box(L, (-65.0, 0.0), (CALF_MIDDLE, CALF_TOP)),),
    "shin-lower-medial": (box(L, (-65.0, 0.0), (SHIN_BOTTOM, CALF_MIDDLE)),),
    "shin-upper-lateral": (box(L, (0.0, 60.0), (CALF_MIDDLE, CALF_TOP)),),
    "shin-lower-lateral": (box(L, (0.0, 60.0), (SHIN_BOTTOM, CALF_MIDDLE)),),
    "lateral-leg-upper": (box(L, (60.0, 110.0), (20.0, CALF_TOP)),),
    "lateral-leg-middle": (box(L, (60.0, 110.0), (13.0, 20.0)),),
    "lateral-leg-lower": (box(L, (60.0, 110.0), (SHIN_BOTTOM, 13.0)),),
    # ---------------------------------------------------------------- ankle
    "front-of-ankle": (
        box(L, (-40.0, 40.0), (4.2, SHIN_BOTTOM)),
        box(F, (0.2, 0.34), (0.05, 0.95), **_TOP),  # the crease between the ankle and the top of the foot
    ),
    "medial-malleolus": (limb((266, 3.3), (298, 3.6), (306, 4.8), (288, 5.7), (262, 5.3), (256, 4.3)),),
    "lateral-malleolus": (limb((84, 2.3), (114, 2.5), (124, 3.7), (110, 4.8), (84, 4.6), (76, 3.4)),),
    # between the outer ankle bone and the front of the ankle, above the foot (whose top and outer edge,
    # `dorsolateral-foot` and `lateral-foot`, are regions of their own)
    "front-of-lateral-malleolus": (box(L, (30.0, 85.0), (2.2, 6.5), parts=frozenset({RIGHT_LIMB_PART})),),
    "behind-lateral-malleolus": (box(L, (118.0, 150.0), (2.0, 6.0)),),
    "below-lateral-malleolus": (limb((62, 0.9), (122, 0.9), (118, 2.3), (80, 2.1), (62, 2.1)),),
    # ---------------------------------------------------------------- heel
    "heel-back": (box(F, (-0.1, 0.16), (-0.5, 1.5), facing=BACK, min_facing=0.35),),
    "heel-plantar": (box(F, (-0.1, 0.3), (-0.5, 1.5), **_SOLE),),
    # the side of the heel bone, below and behind the inner ankle bone (never over it)
    "medial-heel": (box(L, (175.0, 300.0), (-1.0, 3.0), **_MEDIAL),),
    # the side of the heel bone, behind and below the outer ankle bone (never over it)
    "lateral-heel": (box(L, (95.0, 185.0), (-1.0, 2.3), **_LATERAL),),
    # ---------------------------------------------------------------- foot
    "instep": (
        box(F, (0.3, 0.64), (-0.5, 0.48), **_SOLE),
        box(F, (0.3, 0.64), (-0.5, 0.3), facing=_ARCH_WALL, min_facing=0.3),  # the arch seen from the inside
    ),
    "lateral-sole": (box(F, (0.3, 0.64), (0.48, 1.5), **_SOLE),),
    # The outer border: the side wall from the sole's edge up to below the outer ankle bone, forward to the
    # fifth metatarsal's head; the top of the foot's outer half is the dorsolateral foot (extensor
    # digitorum brevis), the wall in front of the bone the front of the outer ankle.
    "lateral-foot": (box(L, (0.0, 110.0), (-1.0, 1.8), facing=_SIDE_WALL, min_facing=0.7, **_NOT_TOES),),
    # The inner border: the side wall and the sole's inner edge, from in front of the heel to the big toe's
    # joint, below the top of the foot (`dorsum-first-metatarsal`) and the inner ankle bone; the arch
    # (`instep`) lies along it, so pain on the one is pain on the other.
    "medial-foot": (box(L, (300.0, 360.0), (-1.0, 2.4), facing=_INNER_BORDER, min_facing=0.6, **_NOT_TOES),),
    "ball-of-big-toe": (_ball(1),),
    "ball-of-foot": tuple(_ball(head) for head in range(2, 6)),
    **{f"metatarsal-head-{head}": (_ball(head),) for head in range(2, 6)},
    "mid-sole": (foot((0.3, 0.3), (0.3, 0.66), (0.68, 0.7), (0.68, 0.3), **_SOLE, **_NOT_TOES),),
    "big-toe-joint-medial": (oval(F, (0.77, 0.02), (0.07, 0.2), facing=LEFT, min_facing=0.2),),
    "big-toe-plantar": (_toe(1, **_SOLE),),
    "lesser-toes-plantar": _toes(range(2, 6), **_SOLE),
    "big-toe-dorsal": (_toe(1, **_TOP),),
    "lesser-toes-dorsal": _toes(range(2, 6), **_TOP),
    "big-toe": (_toe(1),),
    "second-toe": (_toe(2),),
    "third-toe": (_toe(3),),
    "fourth-toe": (_toe(4),),
    "fifth-toe": (_toe(5),),
    "dorsum-of-foot": (box(F, (0.28, 0.76), (0.22, 0.82), **_TOP),),  # from the ankle crease to the toe joints
    "dorsum-first-metatarsal": (box(F, (0.4, 0.8), (-0.5, 0.3), **_TOP, **_NOT_TOES),),
    "dorsolateral-foot": (box(F, (0.25, 0.55), (0.6, 0.95), facing=UP, min_facing=0.1, **_NOT_TOES),),
}

# Bony landmarks drawn as light outlines in the views that see them face on, so a student
# can find their way on the body.
LANDMARK_PATCHES: dict[str, tuple[tuple[Patch, ...], tuple[View, ...]]] = {
    "kneecap": (
        (limb((0, 33.2), (16, 32.3), (21, 30.6), (14, 28.8), (0, 28.4), (-14, 28.8), (-21, 30.6), (-16, 32.3)),),
        (View.ANTERIOR,),
    ),
    "medial-malleolus": (REGION_PATCHES["medial-malleolus"], (View.MEDIAL, View.ANTERIOR, View.POSTERIOR)),
    "lateral-malleolus": (REGION_PATCHES["lateral-malleolus"], (View.LATERAL, View.ANTERIOR, View.POSTERIOR)),
    "sacrum": (REGION_PATCHES["sacrum"], (View.POSTERIOR,)),
}
