"""The bundled content: all 13 leg muscles, and the facts students most often mix up."""

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


def test_all_thirteen_leg_muscles(facts: Facts) -> None:
    assert [m.id for m in facts.muscles] == LEG_MUSCLES
    assert {m.group for m in facts.muscles} == {"leg"}


def test_compartments(facts: Facts) -> None:
    by_compartment: dict[str, set[str]] = {}
    for muscle in facts.muscles:
        by_compartment.setdefault(muscle.compartment, set()).add(muscle.id)
    assert by_compartment == {
        "anterior": {"tibialis-anterior", "extensor-digitorum-longus", "extensor-hallucis-longus", "fibularis-tertius"},
        "lateral": {"fibularis-longus", "fibularis-brevis"},
        "posterior-superficial": {"gastrocnemius", "soleus", "plantaris"},
        "posterior-deep": {"popliteus", "tibialis-posterior", "flexor-digitorum-longus", "flexor-hallucis-longus"},
    }


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


def test_fibularis_tertius_refers_to_front_of_ankle_and_outer_heel(facts: Facts) -> None:
    essential, spillover = zones(facts, "fibularis-tertius")
    assert "front-of-ankle" in essential
    assert "lateral-heel" in essential | spillover


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
