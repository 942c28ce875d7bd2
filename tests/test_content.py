"""The bundled content: the muscles of the lower limb, and the facts students most often mix up."""

from __future__ import annotations

from pathlib import Path

from decks.model import Facts
from decks.review import content_review

LEG_MUSCLES = [
    "extensor-digitorum-longus",
    "extensor-hallucis-longus",
    "fibularis-brevis",
    "fibularis-longus",
    "fibularis-tertius",
    "flexor-digitorum-longus",
    "flexor-hallucis-longus",
    "gastrocnemius",
    "plantaris",
    "popliteus",
    "soleus",
    "tibialis-anterior",
    "tibialis-posterior",
]


def zones(facts: Facts, muscle_id: str, trp_id: str | None = None) -> tuple[set[str], set[str]]:
    muscle = facts.muscle(muscle_id)
    trps = [muscle.trigger_point(trp_id)] if trp_id else muscle.trigger_points
    essential = {r for trp in trps for r in trp.referral.essential}
    spillover = {r for trp in trps for r in trp.referral.spillover}
    return essential, spillover


COMPARTMENTS = {
    ("trunk", "lumbar"): {"quadratus-lumborum"},
    ("hip", "iliopsoas"): {"iliopsoas"},
    ("hip", "gluteal"): {"gluteus-maximus", "gluteus-medius", "gluteus-minimus", "tensor-fasciae-latae"},
    ("hip", "deep-lateral-rotators"): {"piriformis"},
    ("thigh", "anterior"): {"sartorius", "rectus-femoris", "vastus-medialis", "vastus-intermedius", "vastus-lateralis"},
    ("thigh", "medial"): {"pectineus", "adductor-longus", "adductor-brevis", "adductor-magnus", "gracilis"},
    ("thigh", "posterior"): {"biceps-femoris", "semitendinosus", "semimembranosus"},
    ("leg", "anterior"): {
        "tibialis-anterior",
        "extensor-digitorum-longus",
        "extensor-hallucis-longus",
        "fibularis-tertius",
    },
    ("leg", "lateral"): {"fibularis-longus", "fibularis-brevis"},
    ("leg", "posterior-superficial"): {"gastrocnemius", "soleus", "plantaris"},
    ("leg", "posterior-deep"): {"popliteus", "tibialis-posterior", "flexor-digitorum-longus", "flexor-hallucis-longus"},
    ("foot", "dorsal"): {"extensor-digitorum-and-hallucis-brevis"},
    ("foot", "plantar-layer-1"): {"abductor-hallucis", "flexor-digitorum-brevis", "abductor-digiti-minimi"},
    ("foot", "plantar-layer-2"): {"quadratus-plantae", "lumbricals-foot"},
    ("foot", "plantar-layer-3"): {"flexor-hallucis-brevis", "adductor-hallucis", "flexor-digiti-minimi-brevis"},
    ("foot", "plantar-layer-4"): {"dorsal-and-plantar-interossei"},
}


def test_every_muscle_of_the_lower_limb_in_its_compartment(facts: Facts) -> None:
    by_compartment: dict[tuple[str, str], set[str]] = {}
    for muscle in facts.muscles:
        by_compartment.setdefault((muscle.group, muscle.compartment), set()).add(muscle.id)
    assert by_compartment == COMPARTMENTS
    assert set(LEG_MUSCLES) <= {m.id for m in facts.muscles}


# Muscle: (nerve words, trigger point count, essential regions its trigger points must include)
NEW_MUSCLES = {
    "quadratus-lumborum": ("lumbar", 4, {"iliac-crest", "sacroiliac", "greater-trochanter", "lower-buttock"}),
    "iliopsoas": ("femoral", 3, {"lumbar-paraspinal", "sacroiliac", "anterior-thigh-upper-third"}),
    "gluteus-maximus": ("inferior gluteal", 3, {"sacroiliac", "buttock", "coccyx"}),
    "gluteus-medius": ("superior gluteal", 3, {"iliac-crest", "sacroiliac", "lateral-buttock"}),
    "gluteus-minimus": ("superior gluteal", 2, {"lateral-buttock", "lateral-thigh", "posterior-thigh-upper"}),
    "piriformis": ("piriformis", 2, {"sacroiliac", "buttock"}),
    "tensor-fasciae-latae": ("superior gluteal", 1, {"greater-trochanter", "lateral-thigh-upper-third"}),
    "sartorius": ("femoral", 3, {"anterior-thigh-upper-third", "medial-knee"}),
    "pectineus": ("femoral", 1, {"groin"}),
    "rectus-femoris": ("femoral", 2, {"front-of-knee"}),
    "vastus-medialis": ("femoral", 2, {"front-of-knee", "medial-knee"}),
    "vastus-intermedius": ("femoral", 1, {"anterior-thigh-middle-third"}),
    "vastus-lateralis": ("femoral", 5, {"kneecap-lateral-edge", "lateral-knee", "lateral-thigh-strip"}),
    "adductor-longus": ("obturator", 2, {"groin", "medial-knee"}),
    "adductor-brevis": ("obturator", 1, {"groin"}),
    "adductor-magnus": ("obturator", 2, {"groin", "pubic"}),
    "gracilis": ("obturator", 1, {"medial-thigh-middle-third"}),
    "biceps-femoris": ("sciatic", 2, {"back-of-knee"}),
    "semitendinosus": ("sciatic", 1, {"lower-buttock"}),
    "semimembranosus": ("sciatic", 1, {"lower-buttock"}),
    "extensor-digitorum-and-hallucis-brevis": ("deep fibular", 2, {"dorsolateral-foot"}),
    "abductor-hallucis": ("medial plantar", 1, {"medial-heel"}),
    "flexor-digitorum-brevis": ("medial plantar", 1, {"metatarsal-head-2", "metatarsal-head-3", "metatarsal-head-4"}),
    "abductor-digiti-minimi": ("lateral plantar", 1, {"metatarsal-head-5"}),
    "quadratus-plantae": ("lateral plantar", 1, {"heel-plantar"}),
    "lumbricals-foot": ("lateral plantar", 1, {"lesser-toes-plantar"}),
    "flexor-hallucis-brevis": ("medial plantar", 1, {"ball-of-big-toe", "big-toe-joint-medial"}),
    "adductor-hallucis": ("lateral plantar", 2, {"ball-of-big-toe", "metatarsal-head-2"}),
    "flexor-digiti-minimi-brevis": ("lateral plantar", 1, {"metatarsal-head-5"}),
    "dorsal-and-plantar-interossei": ("lateral plantar", 1, {"second-toe"}),
}


def test_each_new_muscle_nerve_trigger_points_and_key_zones(facts: Facts) -> None:
    for muscle_id, (nerve, count, key_zones) in NEW_MUSCLES.items():
        muscle = facts.muscle(muscle_id)
        assert nerve in muscle.innervation.nerve.lower(), muscle_id
        assert len(muscle.trigger_points) == count, muscle_id
        essential, _ = zones(facts, muscle_id)
        assert key_zones <= essential, (muscle_id, key_zones - essential)


def test_hip_and_thigh_confusions(facts: Facts) -> None:
    # Gluteus minimus (posterior) and piriformis both give "sciatica-like" pain down the back of the
    # thigh; only gluteus minimus carries it into the calf, and only piriformis covers the SI joint.
    minimus_essential, minimus_spill = zones(facts, "gluteus-minimus", "trp2")
    piriformis_essential, piriformis_spill = zones(facts, "piriformis")
    assert {"calf-upper-medial", "calf-upper-lateral"} <= minimus_spill
    assert not {"calf-upper-medial", "calf-upper-lateral"} & (piriformis_essential | piriformis_spill)
    assert "sacroiliac" in piriformis_essential and "sacroiliac" not in minimus_essential | minimus_spill
    # Vastus lateralis and TFL on the outer thigh: TFL centres on the hip (greater trochanter),
    # vastus lateralis reaches the outer knee and kneecap; different nerves.
    tfl, _ = zones(facts, "tensor-fasciae-latae")
    lateralis, _ = zones(facts, "vastus-lateralis")
    assert "greater-trochanter" in tfl and "greater-trochanter" not in lateralis
    assert {"lateral-knee", "kneecap-lateral-edge"} <= lateralis
    assert facts.muscle("tensor-fasciae-latae").innervation.nerve != facts.muscle("vastus-lateralis").innervation.nerve
    # Adductor longus and pectineus in the groin: pectineus stays in the groin; longus runs to the inner knee.
    longus, _ = zones(facts, "adductor-longus")
    pectineus, pectineus_spill = zones(facts, "pectineus")
    assert "groin" in longus and "groin" in pectineus
    assert "medial-knee" in longus and not {"medial-knee", "shin-upper-medial"} & (pectineus | pectineus_spill)
    assert "femoral" in facts.muscle("pectineus").innervation.nerve.lower()
    assert "obturator" in facts.muscle("adductor-longus").innervation.nerve.lower()


def test_foot_confusions(facts: Facts) -> None:
    # Heel pain: abductor hallucis on the inner side of the heel, quadratus plantae under it.
    assert zones(facts, "abductor-hallucis")[0] == {"medial-heel"}
    assert zones(facts, "quadratus-plantae")[0] == {"heel-plantar"}
    # Medial against lateral plantar nerve, and the dorsal muscles on the deep fibular nerve.
    nerve = {m.id: m.innervation.nerve.lower() for m in facts.muscles}
    for muscle_id in ("abductor-hallucis", "flexor-digitorum-brevis", "flexor-hallucis-brevis"):
        assert nerve[muscle_id].startswith("medial plantar"), muscle_id
    for muscle_id in (
        "abductor-digiti-minimi",
        "quadratus-plantae",
        "adductor-hallucis",
        "flexor-digiti-minimi-brevis",
    ):
        assert nerve[muscle_id].startswith("lateral plantar"), muscle_id
    assert "medial plantar" in nerve["lumbricals-foot"] and "lateral plantar" in nerve["lumbricals-foot"]
    assert nerve["extensor-digitorum-and-hallucis-brevis"].startswith("deep fibular")
    # Top of the foot: the interossei send pain along one toe; the long extensors over the dorsum.
    interossei, _ = zones(facts, "dorsal-and-plantar-interossei")
    assert interossei == {"second-toe"}
    assert "dorsum-of-foot" in zones(facts, "extensor-digitorum-longus")[0]
    assert "big-toe-dorsal" in zones(facts, "extensor-hallucis-longus")[0]


def test_nerves(facts: Facts) -> None:
    nerve = {m.id: m.innervation.nerve.lower() for m in facts.muscles}
    for muscle_id in (
        "tibialis-anterior",
        "extensor-digitorum-longus",
        "extensor-hallucis-longus",
        "fibularis-tertius",
    ):
        assert "deep fibular" in nerve[muscle_id], muscle_id
    for muscle_id in ("fibularis-longus", "fibularis-brevis"):
        assert "superficial fibular" in nerve[muscle_id], muscle_id
    for muscle_id in ("gastrocnemius", "soleus", "plantaris", "popliteus", "tibialis-posterior"):
        assert "tibial" in nerve[muscle_id] and "fibular" not in nerve[muscle_id], muscle_id


def test_peroneus_is_an_alias_of_fibularis(facts: Facts) -> None:
    for part in ("longus", "brevis", "tertius"):
        assert f"peroneus {part}" in [a.lower() for a in facts.muscle(f"fibularis-{part}").aliases]


def test_soleus_refers_to_the_heel(facts: Facts) -> None:
    essential, _ = zones(facts, "soleus", "trp1")
    assert {"heel-back", "heel-plantar"} <= essential
    assert zones(facts, "soleus", "trp3")[0] == {"sacroiliac"}


def test_gastrocnemius_trp1_refers_to_the_instep(facts: Facts) -> None:
    assert zones(facts, "gastrocnemius", "trp1")[0] == {"instep"}


def test_tibialis_anterior_refers_to_big_toe_and_front_of_ankle(facts: Facts) -> None:
    essential, _ = zones(facts, "tibialis-anterior")
    assert {"big-toe-dorsal", "front-of-ankle"} <= essential


def test_fibularis_longus_and_brevis_refer_to_the_lateral_malleolus(facts: Facts) -> None:
    for muscle_id in ("fibularis-longus", "fibularis-brevis"):
        essential, _ = zones(facts, muscle_id)
        assert "lateral-malleolus" in essential, muscle_id
        assert "medial-malleolus" not in essential, muscle_id


def test_fibularis_tertius_refers_to_the_front_of_the_outer_ankle_and_outer_heel(facts: Facts) -> None:
    """Travell & Simons: the anterolateral ankle, in front of the lateral malleolus; spillover to the outer heel."""
    essential, spillover = zones(facts, "fibularis-tertius")
    assert "front-of-lateral-malleolus" in essential
    assert "lateral-heel" in essential | spillover
    assert "lateral-malleolus" not in essential | spillover


def test_long_toe_flexors_refer_to_the_sole_and_extensors_to_the_top(facts: Facts) -> None:
    assert "big-toe-plantar" in zones(facts, "flexor-hallucis-longus")[0]
    assert "ball-of-foot" in zones(facts, "flexor-digitorum-longus")[0]
    assert "big-toe-dorsal" in zones(facts, "extensor-hallucis-longus")[0]
    assert "dorsum-of-foot" in zones(facts, "extensor-digitorum-longus")[0]


def test_tibialis_posterior_refers_to_achilles_and_sole(facts: Facts) -> None:
    essential, spillover = zones(facts, "tibialis-posterior")
    assert essential == {"achilles-tendon"}
    assert {"heel-plantar", "instep", "big-toe-plantar"} <= spillover


def test_popliteus_and_plantaris_refer_behind_the_knee(facts: Facts) -> None:
    for muscle_id in ("popliteus", "plantaris"):
        assert "back-of-knee" in zones(facts, muscle_id)[0], muscle_id


def test_content_review_document_is_up_to_date(facts: Facts) -> None:
    document = Path(__file__).resolve().parent.parent / "docs" / "content-review.md"
    assert document.read_text() == content_review(facts), "run `myodeck review -o docs/content-review.md`"
