"""The controlled vocabulary of body regions and views.

One list serves the fact validator (an unknown region is an error) and the
diagram renderer (every region here has a drawn shape in each of its views),
so a fact file can only name places the pictures can show.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class View(StrEnum):
    """A view of the right lower limb; each diagram panel shows one."""

    POSTERIOR = "posterior"
    ANTERIOR = "anterior"
    LATERAL = "lateral"
    MEDIAL = "medial"
    PLANTAR = "plantar"
    DORSAL = "dorsal"


FOOT_VIEWS = (View.PLANTAR, View.DORSAL)  # the views of the foot alone, drawn beside a view of the limb


@dataclass(frozen=True)
class Region:
    """A named patch of skin, drawn in each of `views` (the first is its home view)."""

    id: str
    name: str
    views: tuple[View, ...]


P, A, L, M, PL, D = View.POSTERIOR, View.ANTERIOR, View.LATERAL, View.MEDIAL, View.PLANTAR, View.DORSAL

_THIRDS = ("upper", "middle", "lower")
_THIGH_FACES = (
    ("anterior", "front", (A,)),
    ("lateral", "outer side", (L,)),
    ("posterior", "back", (P,)),
    ("medial", "inner side", (M, A)),
)
_TOES = ("second", "third", "fourth", "fifth")

_REGION_LIST: tuple[Region, ...] = (
    # Low back and pelvis
    Region("lower-back", "low back (lumbar region)", (P,)),
    Region("lumbosacral-band", "across the base of the low back, both sides (L4 to the top of the sacrum)", (P,)),
    Region("lumbar-paraspinal", "beside the lumbar spine (a vertical strip on the same side)", (P,)),
    Region("iliac-crest", "along the iliac crest (the upper rim of the pelvis)", (P, L)),
    Region("sacrum", "over the sacrum (midline, below the low back)", (P,)),
    Region("sacroiliac", "sacroiliac joint region", (P,)),
    Region("coccyx", "over the coccyx (tailbone)", (P,)),
    Region("gluteal-cleft", "beside the gluteal cleft, from the sacrum down to the gluteal fold", (P,)),
    Region("buttock", "buttock (gluteal region)", (P, L)),
    Region("upper-buttock", "upper buttock, below the iliac crest", (P, L)),
    Region("lateral-buttock", "outer buttock, towards the side of the hip", (P, L)),
    Region("lower-buttock", "lower buttock, above the gluteal fold", (P,)),
    Region("greater-trochanter", "over the greater trochanter", (L, P)),
    Region("lateral-hip", "side of the hip, over the greater trochanter", (L,)),
    Region("groin", "groin (inguinal region)", (A,)),
    Region("lower-abdomen", "lower abdomen on the same side, below the navel", (A,)),
    Region("pubic", "over the pubic bone (midline, front)", (A,)),
    Region("anterior-hip", "front of the hip joint, below the front of the iliac crest", (A, L)),
    # Thigh
    Region("posterior-thigh-upper", "back of the thigh, upper half", (P,)),
    Region("posterior-thigh-lower", "back of the thigh, lower half", (P, M, L)),
    Region("anterior-thigh-upper", "front of the thigh, upper half", (A,)),
    Region("anterior-thigh-lower", "front of the thigh, lower half", (A,)),
    Region("lateral-thigh", "outer side of the thigh", (L,)),
    Region("medial-thigh", "inner side of the thigh", (M,)),
    *(
        Region(f"{face}-thigh-{third}-third", f"{words} of the thigh, {third} third", views)
        for face, words, views in _THIGH_FACES
        for third in _THIRDS
    ),
    Region("lateral-thigh-strip", "a narrow strip down the outer thigh to the knee", (L,)),
    Region("oblique-thigh-strip", "a narrow strip across the front of the thigh, from the hip to the inner knee", (A,)),
    # Knee
    Region("back-of-knee", "back of the knee (popliteal fossa)", (P,)),
    Region("front-of-knee", "front of the knee, over the kneecap", (A, M, L)),
    Region("suprapatellar", "just above the kneecap", (A, M, L)),
    Region("kneecap-medial-edge", "inner edge of the kneecap", (A, M)),
    Region("kneecap-lateral-edge", "outer edge of the kneecap", (A, L)),
    Region("medial-knee", "inner side of the knee", (M, A)),
    Region("lateral-knee", "outer side of the knee, around the head of the fibula", (L, A)),
    # Leg: back (calf), front (shin), outer side
    Region("calf-upper-medial", "back of the calf, upper half, inner side", (P, M)),
    Region("calf-upper-lateral", "back of the calf, upper half, outer side", (P, L)),
    Region("calf-lower-medial", "back of the calf, lower half, inner side", (P, M)),
    Region("calf-lower-lateral", "back of the calf, lower half, outer side", (P, L)),
    Region("calf-middle", "back of the calf, middle third", (P,)),
    Region("achilles-tendon", "calcaneal (Achilles) tendon, above the heel", (P, M, L)),
    Region("lower-achilles-tendon", "lower end of the calcaneal (Achilles) tendon, just above the heel", (P, M, L)),
    Region("shin-upper-medial", "front of the leg, upper half, over the tibia", (A, M)),
    Region("shin-lower-medial", "front of the leg, lower half, over the tibia", (A, M)),
    Region(
        "shin-upper-lateral",
        "front of the leg, upper half, beside the tibia (anterior compartment)",
        (A, L),
    ),
    Region(
        "shin-lower-lateral",
        "front of the leg, lower half, beside the tibia (anterior compartment)",
        (A, L),
    ),
    Region("lateral-leg-upper", "outer side of the leg, upper third", (L,)),
    Region("lateral-leg-middle", "outer side of the leg, middle third", (L,)),
    Region("lateral-leg-lower", "outer side of the leg, lower third", (L,)),
    # Ankle
    Region("front-of-ankle", "front of the ankle", (A,)),
    Region("medial-malleolus", "inner ankle bone (medial malleolus)", (M, A)),
    Region("lateral-malleolus", "outer ankle bone (lateral malleolus)", (L, A, P)),
    Region("front-of-lateral-malleolus", "front of the outer ankle (in front of the lateral malleolus)", (L, A)),
    Region("behind-lateral-malleolus", "just behind the outer ankle bone", (L, P)),
    Region("below-lateral-malleolus", "just below the outer ankle bone", (L,)),
    # Heel
    Region("heel-back", "back of the heel", (P, M, L)),
    Region("heel-plantar", "underside of the heel", (PL,)),
    Region("medial-heel", "inner side of the heel", (M,)),
    Region("lateral-heel", "outer side of the heel", (L,)),
    # Foot
    Region("instep", "instep: the inner arch of the sole", (M, PL)),
    Region("lateral-sole", "outer border of the sole", (PL,)),
    Region("lateral-foot", "outer edge of the foot, along the fifth metatarsal", (L, D)),
    Region("medial-foot", "inner edge of the foot, along the first metatarsal", (M,)),
    Region("ball-of-big-toe", "sole under the head of the first metatarsal", (PL,)),
    Region("ball-of-foot", "sole under the heads of the second to fifth metatarsals", (PL,)),
    # The first metatarsal head is ball-of-big-toe.
    *(
        Region(f"metatarsal-head-{n}", f"sole under the head of the {ordinal} metatarsal", (PL,))
        for n, ordinal in enumerate(_TOES, start=2)
    ),
    Region("mid-sole", "middle of the sole, between the inner arch and the outer border", (PL,)),
    Region("big-toe-joint-medial", "inner side of the big toe joint (the bunion site)", (M, PL)),
    Region("big-toe-plantar", "underside of the big toe", (PL,)),
    Region("lesser-toes-plantar", "underside of the second to fifth toes", (PL,)),
    Region("dorsum-of-foot", "top of the foot (dorsum), midfoot", (D, A)),
    Region("dorsum-first-metatarsal", "top of the foot over the first metatarsal", (D, M)),
    Region("dorsolateral-foot", "top of the foot in front of the outer ankle (over extensor digitorum brevis)", (D, L)),
    Region("big-toe-dorsal", "top of the big toe", (D, M)),
    Region("lesser-toes-dorsal", "top of the second to fifth toes", (D,)),
    Region("big-toe", "the big toe, all round", (D, PL, M)),
    *(Region(f"{ordinal}-toe", f"the {ordinal} toe, all round", (D, PL)) for ordinal in _TOES),
)


REGIONS: dict[str, Region] = {region.id: region for region in _REGION_LIST}

# Groups of muscles and the compartments each group may name.
COMPARTMENTS: dict[str, tuple[str, ...]] = {
    "trunk": ("lumbar",),  # quadratus lumborum: a lumbar muscle whose trigger points refer to the hip
    "hip": ("gluteal", "deep-lateral-rotators", "iliopsoas"),
    "thigh": ("anterior", "medial", "posterior"),
    "leg": ("anterior", "lateral", "posterior-superficial", "posterior-deep"),
    "foot": ("dorsal", "plantar-layer-1", "plantar-layer-2", "plantar-layer-3", "plantar-layer-4"),
}


def suggest(word: str, choices: list[str] | tuple[str, ...]) -> str:
    """Return ` (did you mean 'x'?)` for the closest choice, or '' when none is close.

    When no whole id is close, a close match to one word of an id ('heal' for the
    'heel' in 'heel-back') still finds it: region ids are built from such words.
    """
    import difflib  # only ever needed to explain a mistake

    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if not close:
        parts = {part for choice in choices for part in choice.split("-") if len(part) > 2}
        part = difflib.get_close_matches(word, sorted(parts), n=1, cutoff=0.7)
        close = [c for c in choices if part and part[0] in c.split("-")][:2]
    if not close:
        return ""
    return " (did you mean " + " or ".join(f"'{c}'" for c in close) + "?)"
