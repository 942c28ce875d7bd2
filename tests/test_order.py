"""The order of cards: siblings apart, new cards interleaved (`quiz.order`)."""

from __future__ import annotations

import itertools

from decks.card_kind import CardHead, CardKind
from decks.cards import derive_cards
from decks.model import Facts
from quiz.order import closeness, interleave, next_index


def test_interleave_takes_three_muscles_at_a_time_each_in_its_own_order(facts: Facts) -> None:
    cards = [c.head for c in derive_cards(facts.select(("soleus", "gastrocnemius", "plantaris", "popliteus")))]
    mixed = interleave(cards)
    assert sorted(c.key for c in mixed) == sorted(c.key for c in cards)
    for muscle in ("soleus", "gastrocnemius", "plantaris", "popliteus"):
        assert [c for c in mixed if c.muscle_id == muscle] == [c for c in cards if c.muscle_id == muscle]
    # Muscles in id order: the fourth joins when one of the first three runs out.
    assert {c.muscle_id for c in mixed[:3]} == {"gastrocnemius", "plantaris", "popliteus"}
    # A plan's first few are those of the whole order, whatever the limit.
    for limit in range(len(cards) + 2):
        assert interleave(cards, limit=limit) == mixed[:limit]


def asked(cards: list[CardHead]) -> list[CardHead]:
    """The order a session asks `cards` in when none comes back: each the first left least close to the last."""
    left, ordered = list(cards), []
    while left:
        ordered.append(left.pop(next_index(left, ordered[-1] if ordered else None)))
    return ordered


def test_siblings_are_never_asked_together_while_others_are_left(facts: Facts) -> None:
    cards = [c.head for c in derive_cards(facts.select(("soleus", "gastrocnemius")))]  # soleus's, then gastrocnemius's
    ordered = asked(cards)
    assert sorted(c.key for c in ordered) == sorted(c.key for c in cards)
    for index, (a, b) in enumerate(itertools.pairwise(ordered)):
        if a.muscle_id == b.muscle_id:  # only where that muscle's cards are all that is left
            assert {c.muscle_id for c in ordered[index:]} == {a.muscle_id}, [c.key for c in ordered]


def test_within_one_muscle_a_trigger_points_cards_are_kept_apart(facts: Facts) -> None:
    cards: list[CardHead] = [c.head for c in derive_cards(facts.select(("soleus",)))]
    ordered = asked(cards)
    assert all(closeness(b, a) < 4 for a, b in itertools.pairwise(ordered)), [c.key for c in ordered]


def test_closeness_grades_what_the_card_before_gives_away() -> None:
    def head(key: str, kind: CardKind, muscle: str, point: str | None) -> CardHead:
        return CardHead(key, kind, muscle, point)

    referral = head("soleus/trp1/referral", CardKind.REFERRAL, "soleus", "trp1")
    location = head("soleus/trp1/location", CardKind.LOCATION, "soleus", "trp1")
    other_point = head("soleus/trp2/referral", CardKind.REFERRAL, "soleus", "trp2")
    attachments = head("soleus/attachments", CardKind.ATTACHMENTS, "soleus", None)
    actions = head("soleus/actions", CardKind.ACTIONS, "soleus", None)
    elsewhere = head("gastrocnemius/trp1/referral", CardKind.REFERRAL, "gastrocnemius", "trp1")
    assert closeness(location, None) == 0
    assert closeness(location, location) == 4  # the very card
    assert closeness(location, referral) == 4  # the same trigger point
    assert closeness(other_point, referral) == 3  # the same muscle and kind
    assert closeness(location, other_point) == 2  # the same muscle
    assert closeness(actions, attachments) == 2  # a muscle's cards without a trigger point are not one point
    assert closeness(elsewhere, referral) == 1  # the same kind: trp1 of another muscle is not the same point
    assert closeness(attachments, elsewhere) == 0
