"""The card list: stable keys, a fixed order, plain text, and the right picture on the right side."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest

from decks.cards import PATTERN_QUESTION, CardKind, Side, derive_cards, slug
from decks.diagrams import Variant
from decks.errors import FactsInvalid
from decks.loader import load_facts
from decks.model import Action, Facts, Muscle, Treatment


@pytest.fixture(scope="module")
def bundled() -> Facts:
    from source_facts import bundled_facts_dir

    return load_facts(bundled_facts_dir())


@pytest.fixture
def gastrocnemius(bundled: Facts) -> Muscle:
    return bundled.muscle("gastrocnemius")


def only(*muscles: Muscle) -> Facts:
    return Facts(muscles, Path("facts"))


def test_gastrocnemius_keys_in_study_order(gastrocnemius: Muscle) -> None:
    keys = [card.key for card in derive_cards(only(gastrocnemius))]
    trp_keys = [
        f"gastrocnemius/trp{n}/{k}" for n in (1, 2, 3, 4) for k in ("location", "referral", "pattern-to-muscle")
    ]
    treatments = [
        "muscle-belly-glide",
        "lateral-head-compression",
        "medial-head-compression",
        "calcaneal-tendon-compression",
        "calcaneal-tendon-glide",
        "calcaneal-attachment",
    ]
    assert keys == [
        "gastrocnemius/origin/medial-head",
        "gastrocnemius/origin/lateral-head",
        "gastrocnemius/insertion",
        "gastrocnemius/actions",
        "gastrocnemius/innervation",
        *trp_keys,
        "gastrocnemius/activators",
        "gastrocnemius/symptoms",
        *(f"gastrocnemius/treatment/{name}" for name in treatments),
        # made by inverting the facts: the trigger points' pain maps (trp4's is trp3's), its movement, its stretch
        "gastrocnemius/trp1/pain-map",
        "gastrocnemius/trp2/pain-map",
        "gastrocnemius/trp3/pain-map",
        "movers/ankle-plantar-flexion",
        "gastrocnemius/stretch",
    ]


def test_fixing_a_typo_changes_the_text_but_not_the_key(gastrocnemius: Muscle) -> None:
    trp = gastrocnemius.trigger_points[0]
    fixed = dataclasses.replace(
        gastrocnemius,
        actions=(dataclasses.replace(gastrocnemius.actions[0], text="Plantarflexes it."), *gastrocnemius.actions[1:]),
        trigger_points=(dataclasses.replace(trp, location="Upper medial head."), *gastrocnemius.trigger_points[1:]),
        treatment=tuple(dataclasses.replace(t, technique=t.technique + " Gently.") for t in gastrocnemius.treatment),
    )
    before, after = derive_cards(only(gastrocnemius)), derive_cards(only(fixed))
    assert [c.key for c in before] == [c.key for c in after]
    changed = {b.key for b, a in zip(before, after, strict=True) if b != a}
    assert changed == {
        "gastrocnemius/actions",
        "gastrocnemius/trp1/location",
        "gastrocnemius/trp1/pattern-to-muscle",
        *(f"gastrocnemius/treatment/{slug(t.name)}" for t in gastrocnemius.treatment),
    }


def test_every_card_has_a_unique_key_and_its_tags(bundled: Facts) -> None:
    cards = derive_cards(bundled)
    assert len({card.key for card in cards}) == len(cards)
    for card in cards:
        muscle = bundled.muscle(card.muscle_id)
        assert card.key.startswith("movers/" if card.kind is CardKind.MOVERS else f"{muscle.id}/")
        assert card.tags == (
            f"myodeck::muscle::{muscle.id}",
            f"myodeck::topic::{card.kind}",
            f"myodeck::compartment::{muscle.group}::{muscle.compartment}",
        )
        assert card.front and card.back and card.sources


def test_derivation_is_deterministic(bundled: Facts) -> None:
    assert derive_cards(bundled) == derive_cards(bundled)


def test_topics_select_kinds_and_keep_the_order(bundled: Facts) -> None:
    every = derive_cards(bundled)
    chosen = derive_cards(bundled, [CardKind.PATTERN, CardKind.ACTIONS])
    assert chosen == [card for card in every if card.kind in (CardKind.ACTIONS, CardKind.PATTERN)]
    assert {card.kind for card in chosen} == {CardKind.ACTIONS, CardKind.PATTERN}


def test_pictures_go_on_the_side_the_kind_asks_for(bundled: Facts) -> None:
    expected = {
        CardKind.LOCATION: (Variant.LOCATION, Side.BACK),
        CardKind.REFERRAL: (Variant.FULL, Side.BACK),
        CardKind.PATTERN: (Variant.PATTERN, Side.FRONT),
        CardKind.PAIN_MAP: (Variant.PAIN_MAP, Side.FRONT),  # the pain on the body, with the question
    }
    for card in derive_cards(bundled):
        if card.kind in expected:
            assert card.diagram is not None
            assert (card.diagram.variant, card.diagram.side) == expected[card.kind]
            assert card.key.startswith(f"{card.diagram.muscle_id}/{card.diagram.trigger_point_id}/")
        else:
            assert card.diagram is None


def test_pattern_card_names_neither_muscle_nor_trigger_point_on_the_front(gastrocnemius: Muscle) -> None:
    card = next(c for c in derive_cards(only(gastrocnemius)) if c.key == "gastrocnemius/trp1/pattern-to-muscle")
    assert card.front == PATTERN_QUESTION
    assert card.back.splitlines()[0] == "Gastrocnemius, TrP1"


def test_pattern_cards_with_the_same_picture_name_each_other(bundled: Facts) -> None:
    backs = {card.key: card.back for card in derive_cards(bundled, [CardKind.PATTERN])}
    assert "\nSame pattern: Fibularis brevis, TrP1\n" in backs["fibularis-longus/trp1/pattern-to-muscle"]
    assert "\nSame pattern: Fibularis longus, TrP1\n" in backs["fibularis-brevis/trp1/pattern-to-muscle"]
    assert "Same pattern" not in backs["gastrocnemius/trp1/pattern-to-muscle"]


def test_referral_back_names_the_zones_in_words(gastrocnemius: Muscle) -> None:
    card = next(c for c in derive_cards(only(gastrocnemius)) if c.key == "gastrocnemius/trp2/referral")
    assert card.back.splitlines()[:2] == [
        "Essential zone: back of the calf, upper half, outer side",
        "Spillover zone: back of the knee (popliteal fossa)",
    ]
    assert card.sources[0].startswith("Kent D. Gastrocnemius")


def test_innervation_and_treatment_text(gastrocnemius: Muscle) -> None:
    cards = {c.key: c for c in derive_cards(only(gastrocnemius))}
    assert cards["gastrocnemius/innervation"].back.splitlines()[0] == "Tibial nerve (S1, S2)"
    treatment = cards["gastrocnemius/treatment/medial-head-compression"]
    assert treatment.back == "Position: Client prone, knee flexed.\nTechnique: Pincer compression of the medial head."
    assert treatment.sources == (gastrocnemius.sources[0].citation,)


def test_text_stays_plain(gastrocnemius: Muscle) -> None:
    muscle = dataclasses.replace(gastrocnemius, actions=(Action("Flexes <b>& the knee"),))
    card = next(c for c in derive_cards(only(muscle)) if c.kind is CardKind.ACTIONS)
    assert card.back == "• Flexes <b>& the knee"


def test_two_treatments_with_the_same_slug_are_an_error(gastrocnemius: Muscle) -> None:
    muscle = dataclasses.replace(
        gastrocnemius,
        treatment=(Treatment("Calf glide", "Glide."), Treatment("Calf-glide!", "Glide again.")),
        path=Path("facts/leg/gastrocnemius.yaml"),
    )
    with pytest.raises(FactsInvalid) as raised:
        derive_cards(only(muscle))
    assert [str(e) for e in raised.value.errors] == [
        "facts/leg/gastrocnemius.yaml: two cards would have the key 'gastrocnemius/treatment/calf-glide' "
        "(name heads and treatments so that they differ in letters or digits)"
    ]


def test_cards_module_stays_light() -> None:
    code = "import sys, decks.cards; print(sorted({'genanki', 'matplotlib', 'anki'} & set(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout == "[]\n"


def test_cards_explain_the_glossary_terms_they_use(facts: Facts) -> None:
    cards = {card.key: card for card in derive_cards(facts)}
    actions = cards["tibialis-anterior/actions"]
    assert actions.back.splitlines()[-2:] == [
        "Dorsiflexion: Bending the ankle so the top of the foot moves toward the shin.",
        "Inversion: Turning the sole of the foot inward, toward the other foot.",
    ]
    innervation = cards["tibialis-anterior/innervation"]
    assert not any(term.term in innervation.back for term in facts.glossary)  # no term, nothing added
    assert "TrP: Short for trigger point" in cards["soleus/trp1/location"].back  # "TrP1" uses the term TrP
