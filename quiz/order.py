"""The order cards are asked in: siblings apart, new cards interleaved.

A card right after one of its siblings (another card of the same muscle, or of the
same trigger point) is half answered by it: "which muscle refers here?" just after
that trigger point's referral card names the muscle. So the quiz never asks two
siblings back to back when anything else is left, and new cards come from a few
muscles at a time, round-robin, rather than one muscle's cards in a row.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Sequence
from operator import attrgetter
from typing import Any, TypeVar

from decks.card_kind import CardHead

T = TypeVar("T")
_muscle: Callable[[Any], str] = attrgetter("muscle_id")

INTERLEAVED_MUSCLES = 3  # new cards come from this many muscles at a time, in teaching order
SIBLING = 2  # `closeness` from which two cards are siblings: the same muscle


def closeness(card: CardHead, previous: CardHead | None) -> int:
    """How much `previous` gives `card` away, 0 (nothing) to 4: 1 the same kind of question, 2 the same
    muscle, 3 the same muscle and kind, 4 the same trigger point (or the very same card)."""
    if previous is None:
        return 0
    same_kind = int(card.kind is previous.kind)
    if card.key == previous.key:
        return 4
    if card.muscle_id == previous.muscle_id:
        same_point = card.trigger_point_id is not None and card.trigger_point_id == previous.trigger_point_id
        return 4 if same_point else SIBLING + same_kind
    return same_kind


def next_index(candidates: Sequence[CardHead], previous: CardHead | None) -> int:
    """The first of `candidates` least close to `previous` (candidates are in priority order).

    The search stops at the first card that `previous` gives nothing away of, so ordering a
    long list costs about one look per card, not one per pair.
    """
    best, best_closeness = 0, 5
    for index, card in enumerate(candidates):
        if (close := closeness(card, previous)) < best_closeness:
            best, best_closeness = index, close
            if close == 0:
                break
    return best


def interleave(
    cards: Iterable[T],
    width: int = INTERLEAVED_MUSCLES,
    limit: int | None = None,
    muscle_of: Callable[[T], str] = _muscle,
) -> list[T]:
    """`cards` (in teaching order, muscle by muscle) round-robin over `width` muscles at a time: when a
    muscle's cards run out, the next muscle in order joins, so each muscle's cards keep their order.
    The first `limit` of them (all when None): a plan takes ten new cards of thousands. The cards may
    be heads or, with `muscle_of`, positions in a deck, of which a plan makes heads only of those it takes."""
    by_muscle: dict[str, deque[T]] = {}
    for card in cards:
        by_muscle.setdefault(muscle_of(card), deque()).append(card)
    waiting = deque(by_muscle.values())
    active: list[deque[T]] = []
    ordered: list[T] = []
    while (waiting or active) and (limit is None or len(ordered) < limit):
        while waiting and len(active) < width:
            active.append(waiting.popleft())
        for muscle_cards in list(active):
            ordered.append(muscle_cards.popleft())
            if not muscle_cards:
                active.remove(muscle_cards)
    return ordered[:limit]
