"""Contrast cards from a student's own mistakes: "What tells these two patterns apart?"

Every wrong answer the review log keeps names what the student took a card for: the
muscle typed for a pattern card, the zone chosen for a referral card. Each such mistake
pairs the card's trigger point with the one mistaken for it (of that muscle, the pattern
nearest the card's; of that zone, the trigger point whose essential zone it is). A pair
confused `CONFUSED_AT_LEAST` times becomes a card, answered with the regions one pattern
has and the other has not. The log only grows, so a card once made stays.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

from decks.body.skin_overlap import overlap
from decks.cards import Card, CardKind, pattern_of
from decks.regions import REGIONS
from quiz.distractors import zone_text

if TYPE_CHECKING:  # annotations only: the fact classes load when a question first reads a muscle
    from decks.model import Roster
    from decks.outline import MuscleOutline, TriggerPoint

CONFUSED_AT_LEAST = 2  # once may be a slip; twice is a pair the student keeps confusing
Point = tuple[str, str]  # (muscle id, trigger point id)


# A named tuple, not a dataclass, as in `quiz.store`: each dataclass adds about 0.5 ms to every quiz start.
class Confusion(NamedTuple):
    """Two trigger points a student mistook for each other, and how often (either way round)."""

    first: Point
    second: Point
    times: int


def _pattern(trp: TriggerPoint) -> tuple[str, ...]:
    return trp.referral.essential + trp.referral.spillover


def _mistaken_for(facts: Roster, muscle: MuscleOutline, trp: TriggerPoint, kind: str, answer: str) -> Point | None:
    """The trigger point a wrong answer to the card (`kind` of `muscle`'s `trp`) took it for."""
    if kind == "referral":
        meant = [(m, t) for m in facts.muscles for t in m.trigger_points if zone_text(t.referral.essential) == answer]
    elif kind == "pattern-to-muscle":
        from quiz.grader import grade  # typed names are read as the quiz marks them

        named = [m for m in facts.muscles if m.id != muscle.id and grade(answer, (m.name, *m.aliases)).correct]
        meant = [(m, t) for m in named[:1] for t in m.trigger_points]
    else:
        return None
    # A trigger point with the very same zones is a look-alike the quiz accepts: nothing tells them apart.
    meant = [(m, t) for m, t in meant if pattern_of(t) != pattern_of(trp)]
    if not meant:
        return None
    nearest = max(meant, key=lambda pair: overlap(_pattern(trp), _pattern(pair[1])))  # first of equals
    return nearest[0].id, nearest[1].id


def confusions(facts: Roster, wrong_answers: Iterable[tuple[str, str]]) -> list[Confusion]:
    """The pairs of trigger points confused at least `CONFUSED_AT_LEAST` times, most confused first."""
    tally: Counter[tuple[Point, Point]] = Counter()
    ids: set[Point] | None = None  # every trigger point, read at the first wrong answer: a new student has none
    for key, answer in wrong_answers:
        parts = key.split("/")
        if len(parts) != 3:
            continue
        if ids is None:
            ids = {(m.id, t.id) for m in facts.muscles for t in m.trigger_points}
        if (parts[0], parts[1]) not in ids:
            continue
        muscle = facts.outline(parts[0])
        other = _mistaken_for(facts, muscle, muscle.trigger_point(parts[1]), parts[2], answer)
        if other is not None:
            first, second = sorted([(parts[0], parts[1]), other])
            tally[first, second] += 1
    found = [Confusion(a, b, n) for (a, b), n in tally.items() if n >= CONFUSED_AT_LEAST]
    return sorted(found, key=lambda c: (-c.times, c.first, c.second))


def _name(facts: Roster, point: Point) -> str:
    muscle = facts.outline(point[0])
    return f"{muscle.name} {muscle.trigger_point(point[1]).name}"


def _zones(trp: TriggerPoint, regions: Iterable[str]) -> str:
    listed = [f"{REGIONS[r].name} ({'essential' if r in trp.referral.essential else 'spillover'})" for r in regions]
    return "; ".join(listed) or "nothing the other lacks"


def contrast_card(facts: Roster, confusion: Confusion) -> Card:
    """The card for one confused pair: front names both, back gives what only each has, then what both share."""
    (m1, t1), (m2, t2) = confusion.first, confusion.second
    one, two = facts.muscle(m1).trigger_point(t1), facts.muscle(m2).trigger_point(t2)
    first, second = _name(facts, confusion.first), _name(facts, confusion.second)
    only_one = [r for r in dict.fromkeys(_pattern(one)) if r not in _pattern(two)]
    only_two = [r for r in dict.fromkeys(_pattern(two)) if r not in _pattern(one)]
    both = [r for r in dict.fromkeys(_pattern(one)) if r in _pattern(two)]
    lines = [f"Only {first}: {_zones(one, only_one)}", f"Only {second}: {_zones(two, only_two)}"]
    if both:
        lines.append("Both: " + "; ".join(REGIONS[r].name for r in both))
    lines.append(f"You have confused them {confusion.times} times.")
    citations = {s.id: s.citation for m in (facts.muscle(m1), facts.muscle(m2)) for s in m.sources}
    sources = tuple(dict.fromkeys(citations[s] for s in (*one.sources, *two.sources) if s in citations))
    muscle = facts.muscle(m1)
    return Card(
        f"contrast/{m1}-{t1}/{m2}-{t2}",
        CardKind.CONTRAST,
        m1,
        f"What tells these two patterns apart? {first} and {second}",
        "\n".join(lines),
        None,
        sources or tuple(citations.values()),
        (f"myodeck::muscle::{m1}", f"myodeck::topic::{CardKind.CONTRAST.value}",
         f"myodeck::compartment::{muscle.group}::{muscle.compartment}"),
    )  # fmt: skip


def contrast_cards(facts: Roster, wrong_answers: Iterable[tuple[str, str]]) -> list[Card]:
    """A contrast card for each pair the student keeps confusing."""
    return [contrast_card(facts, confusion) for confusion in confusions(facts, wrong_answers)]
