"""Which cards a quiz studies: by muscle, group, compartment, body region and card kind.

Every filter narrows the cards the others leave (`--group leg --compartment
anterior` is the anterior leg); within one filter, repeated values add up. Values
are read in any case, with spaces for hyphens; an unknown one is an error naming the
command that lists the valid values.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from decks.card_kind import CardKind
from decks.errors import MyodeckError, shown
from decks.regions import suggest

if TYPE_CHECKING:  # annotations only: the fact classes load when a question first reads a muscle
    from decks.fact_cache import DeckIndex
    from decks.model import Roster
    from decks.outline import MuscleOutline


# A named tuple, not a dataclass, as in `quiz.store`: each dataclass adds about 0.5 ms to every quiz start.
class Selection(NamedTuple):
    """What the student chose to study; empty tuples choose everything."""

    muscles: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    compartments: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    kinds: tuple[CardKind, ...] = ()

    def positions(self, facts: Roster, deck: DeckIndex) -> Sequence[int]:
        """Where in `deck` (every card of `facts`, in order, and the quiz's own) the cards kept lie, read
        from its columns: no card is made."""
        if self == Selection():  # everything: the roster is not read (a thousand muscles take milliseconds)
            return range(len(deck.keys))
        from decks.outline import named  # a selection made: its muscles are read in outline

        muscles = named(facts.muscles, self.muscles)
        muscles = _matching(facts, muscles, self.groups, "group", lambda m: m.group)
        muscles = _matching(facts, muscles, self.compartments, "compartment", lambda m: m.compartment)
        chosen = {m.id for m in muscles}
        points = _trigger_points_in(facts, self.regions) if self.regions else None
        columns = zip(deck.muscle_ids, deck.kinds, deck.trigger_point_ids, strict=True)
        return [
            position
            for position, (muscle, kind, point) in enumerate(columns)
            if muscle in chosen
            and (not self.kinds or kind in self.kinds)  # a kind's value equals the kind (`StrEnum`)
            and (points is None or (point is not None and (muscle, point) in points))
        ]


def _word(text: str) -> str:
    return "-".join(text.casefold().replace("-", " ").split())


def _matching(
    facts: Roster,
    muscles: tuple[MuscleOutline, ...],
    wanted: tuple[str, ...],
    what: str,
    value_of: Callable[[MuscleOutline], str],
) -> tuple[MuscleOutline, ...]:
    """The `muscles` whose `what` (group, compartment) is one of `wanted`, each checked against all of `facts`."""
    if not wanted:
        return muscles
    known = sorted({value_of(m) for m in facts.muscles})
    words = set()
    for given in wanted:
        if _word(given) not in known:
            hint = suggest(_word(given), known) or f" (expected one of: {', '.join(known)})"
            raise MyodeckError(f"unknown {what} '{shown(given)}'{hint}; `myodeck muscles` lists them")
        words.add(_word(given))
    return tuple(m for m in muscles if value_of(m) in words)


def _trigger_points_in(facts: Roster, regions: tuple[str, ...]) -> set[tuple[str, str]]:
    """Trigger points lying in, or referring pain to, any of `regions` (read as `myodeck lookup` reads them)."""
    from decks.lookup import pain_area

    ids = {region.id for text in regions for region in pain_area(text).regions}
    return {
        (muscle.id, trp.id)
        for muscle in facts.muscles
        for trp in muscle.trigger_points
        if ids & {trp.position.region, *trp.referral.essential, *trp.referral.spillover}
    }
