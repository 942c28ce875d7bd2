"""Contrast cards from a student's own review log: the pairs they keep confusing, and what tells them apart."""

from __future__ import annotations

import pytest

from decks.model import Facts
from decks.regions import REGIONS
from quiz.contrast import Confusion, confusions, contrast_card
from quiz.distractors import zone_text


@pytest.fixture(scope="module")
def facts() -> Facts:
    from decks.loader import load_facts
    from source_facts import bundled_facts_dir

    return load_facts(bundled_facts_dir())


def test_a_pair_confused_twice_either_way_round_makes_a_contrast(facts: Facts) -> None:
    heel_zone = zone_text(facts.muscle("abductor-hallucis").trigger_point("trp1").referral.essential)
    log = [
        ("gastrocnemius/trp1/referral", heel_zone),  # chose abductor hallucis's zone for gastrocnemius TrP1
        ("abductor-hallucis/trp1/pattern-to-muscle", "gastroc"),  # typed gastrocnemius for its pattern
        ("soleus/trp1/pattern-to-muscle", "plantaris"),  # once only: a slip
        ("soleus/trp1/innervation", "sciatic"),  # not about a pattern
        ("gone/trp1/referral", heel_zone),  # a muscle no longer in the facts
    ]
    found = confusions(facts, log)
    pair = (("abductor-hallucis", "trp1"), ("gastrocnemius", "trp1"), 2)
    assert [(c.first, c.second, c.times) for c in found] == [pair]


def test_look_alikes_are_never_contrasted(facts: Facts) -> None:
    """Fibularis longus and brevis share one pattern in the facts: nothing tells them apart by it."""
    assert confusions(facts, [("fibularis-longus/trp1/pattern-to-muscle", "fibularis brevis")] * 3) == []


def test_the_back_gives_what_only_each_pattern_has(facts: Facts) -> None:
    card = contrast_card(facts, Confusion(("gastrocnemius", "trp3"), ("popliteus", "trp1"), 2))
    assert card.key == "contrast/gastrocnemius-trp3/popliteus-trp1"
    assert card.front == "What tells these two patterns apart? Gastrocnemius TrP3 and Popliteus TrP1"
    g3 = facts.muscle("gastrocnemius").trigger_point("trp3").referral
    p1 = facts.muscle("popliteus").trigger_point("trp1").referral
    assert card.back.splitlines()[:3] == [
        "Only Gastrocnemius TrP3: nothing the other lacks",
        "Only Popliteus TrP1: back of the calf, upper half, outer side (spillover)",
        "Both: back of the knee (popliteal fossa); back of the calf, upper half, inner side",
    ]
    card = contrast_card(facts, Confusion(("abductor-hallucis", "trp1"), ("gastrocnemius", "trp1"), 2))
    g3 = facts.muscle("abductor-hallucis").trigger_point("trp1").referral
    p1 = facts.muscle("gastrocnemius").trigger_point("trp1").referral
    lines = card.back.splitlines()
    only_g3 = [r for r in dict.fromkeys(g3.essential + g3.spillover) if r not in p1.essential + p1.spillover]
    assert lines[0] == "Only Abductor hallucis TrP1: " + "; ".join(
        f"{REGIONS[r].name} ({'essential' if r in g3.essential else 'spillover'})" for r in only_g3
    )
    assert lines[1].startswith("Only Gastrocnemius TrP1: ")
    assert lines[-1] == "You have confused them 2 times." and card.sources
