"""A muscle in outline: its names, place, shape and trigger points (where each lies, what pain it
refers), the distinct referral patterns of many, and muscles chosen by the names a student types.

Apart from the rest of the fact model (`decks.model`, which builds on these), so a quiz
draws a trigger point and ranks wrong answers without creating the whole model's classes:
about 5 ms of a start whose first question has a picture.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple, TypeVar

from decks.errors import MyodeckError
from decks.regions import View, suggest


@dataclass(frozen=True)
class Position:
    """Where a trigger point's X goes: a region, a view of it, and fractions of its box.

    `across` runs medial (0) to lateral (1) in front, back, sole and top views and
    front (0) to back (1) in side views; `down` runs proximal (0) to distal (1),
    heel (0) to toes (1) on the foot.
    """

    region: str
    view: View
    across: float
    down: float


@dataclass(frozen=True)
class Referral:
    """Where a trigger point sends pain: region ids drawn solid red (essential) and dotted (spillover)."""

    essential: tuple[str, ...]
    spillover: tuple[str, ...]


@dataclass(frozen=True)
class TriggerPoint:
    """One trigger point: where it lies, in words and as an X to draw, and the pain it refers."""

    id: str
    name: str
    location: str
    position: Position
    referral: Referral
    notes: str | None = None
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class MuscleOutline:
    """A muscle's names, place, shape and trigger points: what is read of every muscle to choose
    cards, rank wrong answers and find look-alikes, and of one to draw its trigger point. A quiz on
    a thousand muscles reads these, and a muscle whole (a `Muscle`, which has all of this) only
    when a card asks what an outline lacks (its nerve)."""

    id: str
    name: str
    aliases: tuple[str, ...]
    group: str
    compartment: str
    trigger_points: tuple[TriggerPoint, ...]
    # the drawn outline (`decks.body.muscle_shapes`); the loader sets it. Keyword-only, so a `Muscle`'s
    # own fields, without defaults, may follow.
    shape: str = field(default="", kw_only=True)

    @classmethod
    def of(cls, muscle: MuscleOutline) -> MuscleOutline:
        fields = (muscle.id, muscle.name, muscle.aliases, muscle.group, muscle.compartment, muscle.trigger_points)
        return cls(*fields, shape=muscle.shape)

    def trigger_point(self, trp_id: str) -> TriggerPoint:
        return next(trp for trp in self.trigger_points if trp.id == trp_id)


class ReferralPattern(NamedTuple):
    """One essential zone of the facts, as the first trigger point referring to it has it."""

    essential: tuple[str, ...]
    spillover: tuple[str, ...]
    compartment: str  # of that trigger point's muscle


def referral_patterns(muscles: Iterable[MuscleOutline]) -> tuple[ReferralPattern, ...]:
    """Each distinct essential zone of the muscles' trigger points, first in fact order: the pool
    wrong answers to "where is the essential zone?" are drawn from. A thousand muscles repeat a
    few dozen zones, so a question ranks those instead of every trigger point."""
    first: dict[tuple[str, ...], ReferralPattern] = {}
    for muscle in muscles:
        for trp in muscle.trigger_points:
            essential = trp.referral.essential
            first.setdefault(essential, ReferralPattern(essential, trp.referral.spillover, muscle.compartment))
    return tuple(first.values())


def _muscle_word(text: str) -> str:
    """A muscle's id, name or alias as typed, in one form: case, hyphens and spacing do not count."""
    return " ".join(text.casefold().replace("-", " ").split())


_Outline = TypeVar("_Outline", bound=MuscleOutline)


def named(muscles: Sequence[_Outline], muscle_ids: tuple[str, ...]) -> tuple[_Outline, ...]:
    """The `muscles` named (all when none are), in their order: each named by its id, its name or an
    alias, in any case ("EDL", "peroneus longus"); an unknown one is an error."""
    if not muscle_ids:
        return tuple(muscles)
    by_word: dict[str, set[str]] = {}
    for muscle in muscles:
        for word in (muscle.id, muscle.name, *muscle.aliases):
            by_word.setdefault(_muscle_word(word), set()).add(muscle.id)
    chosen: set[str] = set()
    for given in muscle_ids:
        if (found := by_word.get(_muscle_word(given))) is None:
            hint = suggest(given, [m.id for m in muscles]) or ""
            raise MyodeckError(f"unknown muscle '{given}'{hint}; `myodeck muscles` lists them")
        chosen |= found
    return tuple(m for m in muscles if m.id in chosen)
