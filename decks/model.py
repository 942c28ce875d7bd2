"""The fact model: what a fact file says, as frozen dataclasses.

Everything downstream (cards, diagrams, the quiz) reads these objects and
never the YAML, so a format change touches only the loader. A muscle in
outline, its trigger points and their positions and referrals are in
`decks.outline`, which a quiz question reads without this module.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Protocol

from decks.kinesiology import Movement, Role
from decks.outline import MuscleOutline, ReferralPattern, named, referral_patterns


@dataclass(frozen=True)
class Source:
    """A work a fact file cites, by the id its facts name it with."""

    id: str
    citation: str


@dataclass(frozen=True)
class Attachment:
    """Where a muscle (or one of its heads, `part`) attaches."""

    part: str | None
    description: str


@dataclass(frozen=True)
class Action:
    """What a muscle does, in a sentence for students, with the movement and the muscle's
    role in it as data (None for a function that is no movement, such as steadying the pelvis)."""

    text: str
    movement: Movement | None = None
    role: Role | None = None


@dataclass(frozen=True)
class Innervation:
    """The nerve that supplies a muscle and its spinal roots (L4, S1...)."""

    nerve: str
    roots: tuple[str, ...]
    note: str | None = None


@dataclass(frozen=True)
class Treatment:
    """A way to treat a muscle's trigger points, with the client's position."""

    name: str
    technique: str
    position: str | None = None
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Muscle(MuscleOutline):
    """Everything a fact file says of one muscle."""

    updated: dt.date
    origin: tuple[Attachment, ...]
    insertion: tuple[Attachment, ...]
    actions: tuple[Action, ...]
    innervation: Innervation
    sources: tuple[Source, ...]
    key_facts: tuple[str, ...] = ()
    symptoms: tuple[str, ...] = ()
    activated_by: tuple[str, ...] = ()
    treatment: tuple[Treatment, ...] = ()
    notes: tuple[str, ...] = ()
    path: Path | None = None

    def movements(self, role: Role | None = None) -> tuple[Movement, ...]:
        """The movements the muscle performs (as prime mover or assistant, or only in `role`), in order."""
        found = [a.movement for a in self.actions if a.movement and (role is None or a.role is role)]
        return tuple(dict.fromkeys(found))


@dataclass(frozen=True)
class Term:
    """A word a student may not know, explained once in the glossary and on every card that uses it."""

    term: str
    definition: str
    forms: tuple[str, ...] = ()  # other spellings and inflections that count as the term


class Roster(Protocol):
    """Every muscle, at least in outline, and each whole by its id: what the quiz reads of the facts.
    `Facts` is one; a cache's `LoadedFacts.roster` is another that reads a muscle whole only when asked."""

    @property
    def muscles(self) -> Sequence[MuscleOutline]: ...

    @property
    def referral_patterns(self) -> Sequence[ReferralPattern]:
        """`referral_patterns` of every muscle."""
        ...

    def muscle(self, muscle_id: str) -> Muscle: ...

    def outline(self, muscle_id: str) -> MuscleOutline:
        """A muscle's outline by its id, without reading every muscle's."""
        ...


@dataclass(frozen=True)
class Facts:
    """Every muscle of a fact directory, in id order, and its glossary."""

    muscles: tuple[Muscle, ...]
    directory: Path
    glossary: tuple[Term, ...] = ()

    @cached_property
    def _by_id(self) -> dict[str, Muscle]:
        """An index: the build asks for a card's muscle tens of thousands of times on a large deck."""
        return {muscle.id: muscle for muscle in self.muscles}

    def muscle(self, muscle_id: str) -> Muscle:
        return self._by_id[muscle_id]

    def outline(self, muscle_id: str) -> MuscleOutline:
        return self._by_id[muscle_id]  # a Muscle is its own outline

    @cached_property
    def referral_patterns(self) -> tuple[ReferralPattern, ...]:
        return referral_patterns(self.muscles)

    @cached_property
    def _doers(self) -> dict[tuple[Movement, bool], tuple[Muscle, ...]]:
        """An index: (movement, as prime mover?) → the muscles, in order. Every muscle's antagonists
        card asks who performs the opposite movement; scanning every muscle each time is quadratic."""
        found: dict[tuple[Movement, bool], list[Muscle]] = {}
        for muscle in self.muscles:
            prime = set(muscle.movements(Role.PRIME))
            for movement in muscle.movements():
                found.setdefault((movement, movement in prime), []).append(muscle)
        return {key: tuple(muscles) for key, muscles in found.items()}

    def performing(self, movement: Movement, prime: bool) -> tuple[Muscle, ...]:
        """The muscles that perform `movement` as prime movers (`prime`), or only assist in it, in order."""
        return self._doers.get((movement, prime), ())

    def select(self, muscle_ids: tuple[str, ...]) -> Facts:
        """Only the named muscles (all when none are named), as `named` reads the names."""
        if not muscle_ids:
            return self
        return Facts(named(self.muscles, muscle_ids), self.directory, self.glossary)

    @property
    def trigger_point_count(self) -> int:
        return sum(len(m.trigger_points) for m in self.muscles)

    @property
    def regions_used(self) -> frozenset[str]:
        used: set[str] = set()
        for muscle in self.muscles:
            for trp in muscle.trigger_points:
                used.update(trp.referral.essential, trp.referral.spillover, [trp.position.region])
        return frozenset(used)

    def summary(self) -> str:
        """One line saying what the directory holds, for `myodeck check`."""
        muscles = len(self.muscles)
        return (
            f"OK: {muscles} muscle{'s' if muscles != 1 else ''}, "
            f"{self.trigger_point_count} trigger points, "
            f"{len(self.regions_used)} body regions used ({self.directory})"
        )
