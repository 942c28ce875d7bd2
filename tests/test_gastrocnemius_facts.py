"""The gastrocnemius file agrees with the seed article, minus the article's slips."""

from __future__ import annotations

from pathlib import Path

import pytest

from decks.loader import load_facts
from decks.model import Muscle


@pytest.fixture(scope="module")
def gastrocnemius() -> Muscle:
    from source_facts import bundled_facts_dir

    return load_facts(bundled_facts_dir()).muscle("gastrocnemius")


def test_anatomy(gastrocnemius: Muscle) -> None:
    assert gastrocnemius.compartment == "posterior-superficial"
    assert [a.part for a in gastrocnemius.origin] == ["medial head", "lateral head"]
    assert "calcaneal (Achilles) tendon" in gastrocnemius.insertion[0].description
    assert gastrocnemius.innervation.nerve == "Tibial nerve"
    assert {"S1", "S2"} <= set(gastrocnemius.innervation.roots)
    facts = " ".join(gastrocnemius.key_facts)
    for fact in (
        "two heads",
        "knee and the ankle",
        "medial head is a little larger",
        "popliteal fossa",
        "soleus and plantaris",
    ):
        assert fact in facts
    assert any("Plantar flexes the ankle" in a.text for a in gastrocnemius.actions)
    assert any("Flexes the knee" in a.text for a in gastrocnemius.actions)


def test_four_trigger_points_and_their_patterns(gastrocnemius: Muscle) -> None:
    trps = {trp.id: trp for trp in gastrocnemius.trigger_points}
    assert list(trps) == ["trp1", "trp2", "trp3", "trp4"]
    trp1, trp2 = trps["trp1"], trps["trp2"]
    assert trp1.referral.essential == ("instep",)
    assert {"posterior-thigh-lower", "calf-upper-medial", "calf-lower-medial", "medial-malleolus"} <= set(
        trp1.referral.spillover
    )
    assert trp1.position.region.endswith("-medial") and "medial head" in trp1.location
    # TrP2: lateral head, a little more distal than TrP1, local pattern.
    assert trp2.position.region.endswith("-lateral") and "lateral head" in trp2.location
    assert trp2.position.down > trp1.position.down
    assert trp2.position.region in trp2.referral.essential
    # TrP3/TrP4: at the knee (the literature's level, not the seed's "just distal"), local.
    for trp_id in ("trp3", "trp4"):
        assert trps[trp_id].position.region == "back-of-knee"
        assert trps[trp_id].referral.essential == ("back-of-knee",)


def test_activating_activities_from_the_seed(gastrocnemius: Muscle) -> None:
    activities = " ".join(gastrocnemius.activated_by).lower()
    for activity in ("stairs", "uphill", "saddle set too low", "sand", "cast", "circulation", "recliner", "cold"):
        assert activity in activities
    assert any("cramp" in s.lower() for s in gastrocnemius.symptoms)


def test_medial_head_technique_treats_the_medial_head(gastrocnemius: Muscle) -> None:
    medial = next(t for t in gastrocnemius.treatment if t.name == "Medial head compression")
    assert "medial head" in medial.technique
    assert "lateral" not in medial.technique


def test_seed_misspellings_not_copied(gastrocnemius: Muscle) -> None:
    assert gastrocnemius.path is not None
    text = Path(gastrocnemius.path).read_text().lower()
    for slip in ("fatique", "maleolus", "solues", "useing", "calcaneous", "teatment", "distally then"):
        assert slip not in text


def test_every_fact_file_has_sources(bundled_facts_dir: Path) -> None:
    for muscle in load_facts(bundled_facts_dir).muscles:
        assert muscle.sources, muscle.id
        for trp in muscle.trigger_points:
            assert trp.sources, f"{muscle.id}/{trp.id} names no source"
