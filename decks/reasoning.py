"""Questions made by inverting the facts: from a movement to its muscles, from a pain map to the
trigger points behind it, from a muscle to the movements that stretch it and to its antagonists.

Every answer is a set derived here from the fact files alone (the actions' movements and roles,
the referral zones), split into what a student must name (prime movers, trigger points whose
essential zone lies on the pain) and what earns credit without being required (assistants,
spillover zones). Only the muscles of the facts count: the backs say so.
"""

from __future__ import annotations

from dataclasses import dataclass

from decks.cards import ANSWER_LABELS, AnswerItem, AnswerSet
from decks.kinesiology import JOINTS, MOVEMENTS, Movement, Role
from decks.model import Facts, Muscle
from decks.outline import TriggerPoint
from decks.regions import REGIONS

MAX_REQUIRED = 5  # a pain map with more required muscles is a lecture, not a question
IN_THESE_FACTS = "Counted among the muscles of this deck only."
# An action can reverse with the joint's position (piriformis rotates the flexed hip the other way).
FROM_ANATOMICAL_POSITION = "Movements from the anatomical position; with the joint bent, an action may reverse."


def muscle_item(muscle: Muscle) -> AnswerItem:
    """A muscle as an answer: its name, and its aliases (abbreviations such as TFL among them)."""
    return AnswerItem(muscle.name, tuple(dict.fromkeys((muscle.name, *muscle.aliases))))


_OTHER_WORDS = {"medial rotation": ("internal rotation",), "lateral rotation": ("external rotation",)}


def movement_item(movement: Movement, bare: bool = False) -> AnswerItem:
    """A movement as an answer: 'adduction of the hip', 'hip adduction' or 'adduct the hip';
    with `bare`, 'adduction' alone too (when no other movement of the answer is an adduction)."""
    words = (movement.movement, *_OTHER_WORDS.get(movement.movement, ()))
    forms = [f"{w} of the {movement.joint}" for w in words] + [f"{movement.joint} {w}" for w in words]
    return AnswerItem(movement.name, tuple(dict.fromkeys([*forms, movement.verb_phrase, *(words if bare else ())])))


@dataclass(frozen=True)
class Movers:
    """The muscles of the facts that perform a movement."""

    movement: Movement
    prime: tuple[Muscle, ...]
    assistants: tuple[Muscle, ...]

    @property
    def answer(self) -> AnswerSet:
        return AnswerSet(tuple(map(muscle_item, self.prime)), tuple(map(muscle_item, self.assistants)))

    def back(self) -> str:
        lines = [ANSWER_LABELS[0] + ", ".join(m.name for m in self.prime)]
        if self.assistants:
            lines.append(ANSWER_LABELS[1] + ", ".join(m.name for m in self.assistants))
        return "\n".join([*lines, IN_THESE_FACTS])


def movers(facts: Facts, movement: Movement) -> Movers:
    """Who performs `movement`, in fact-file order: prime movers, then the muscles that only assist."""
    return Movers(movement, facts.performing(movement, prime=True), facts.performing(movement, prime=False))


def every_movers(facts: Facts) -> list[Movers]:
    """Each movement some muscle of the facts is a prime mover of, joint by joint as `MOVEMENTS` lists them."""
    found = [movers(facts, Movement(joint, name)) for joint in JOINTS for name in MOVEMENTS[joint]]
    return [m for m in found if m.prime]


@dataclass(frozen=True)
class Stretch:
    """The movements that lengthen a muscle: the opposites of what it does."""

    muscle: Muscle
    required: tuple[Movement, ...]  # opposites of its prime movements
    credited: tuple[Movement, ...]  # opposites of its other movements

    @property
    def answer(self) -> AnswerSet:
        named = [m.movement for m in self.required + self.credited]

        def item(movement: Movement) -> AnswerItem:
            return movement_item(movement, bare=named.count(movement.movement) == 1)

        return AnswerSet(tuple(map(item, self.required)), tuple(map(item, self.credited)))

    def back(self) -> str:
        lines = [ANSWER_LABELS[2] + ", ".join(m.name for m in self.required)]
        if self.credited:
            lines.append(ANSWER_LABELS[3] + ", ".join(m.name for m in self.credited))
        return "\n".join([*lines, FROM_ANATOMICAL_POSITION])


def stretch(muscle: Muscle) -> Stretch | None:
    """The movements that stretch `muscle`, or None when the facts cannot say them all.

    Required: the opposites of its prime movements that it does not perform itself. Credited: the
    opposite of any other of its movements, its own ones included: gluteus medius rotates the hip
    both ways with different fibres, so either rotation stretches part of it. None when the muscle
    has no prime movement, or one without a named opposite (side-bending the spine: the other side).
    """
    own = muscle.movements()
    prime = muscle.movements(Role.PRIME)
    opposites = [m.opposite() for m in prime]
    if not prime or any(o is None for o in opposites):
        return None
    required = tuple(dict.fromkeys(o for o in opposites if o is not None and o not in own))
    undo = (m.opposite() for m in own)
    credited = tuple(dict.fromkeys(o for o in undo if o is not None and o not in required))
    return Stretch(muscle, required, credited) if required else None


@dataclass(frozen=True)
class Antagonists:
    """The muscles that undo a muscle's main movement."""

    muscle: Muscle
    movement: Movement  # the muscle's movement
    opposing: Movers  # who performs its opposite


def antagonists(facts: Facts, muscle: Muscle) -> Antagonists | None:
    """For the first of the muscle's prime movements whose opposite some muscle of the facts is a prime
    mover of (and the muscle itself does not perform): that movement and its opposite's movers;
    None when there is none."""
    own = muscle.movements()
    for movement in muscle.movements(Role.PRIME):
        opposite = movement.opposite()
        if opposite is None or opposite in own:  # the interossei both spread and close the toes
            continue
        if (opposing := movers(facts, opposite)).prime:
            return Antagonists(muscle, movement, opposing)
    return None


Referrers = tuple[tuple[Muscle, tuple[TriggerPoint, ...]], ...]


@dataclass(frozen=True)
class Presentation:
    """A classic pain map: one trigger point's essential zone, and every trigger point that refers there."""

    muscle: Muscle
    trigger_point: TriggerPoint
    pain: tuple[str, ...]  # region ids
    required: Referrers  # muscles with a trigger point whose essential zone lies on the pain, and those points
    credited: Referrers  # the other muscles whose spillover zone is there, or a zone overlapping it

    @property
    def answer(self) -> AnswerSet:
        return AnswerSet(
            tuple(muscle_item(m) for m, _ in self.required), tuple(muscle_item(m) for m, _ in self.credited)
        )

    def prompt(self) -> str:
        where = "; ".join(REGIONS[r].name for r in self.pain)
        return f"Pain at: {where}. Which muscles' trigger points refer pain there?"

    def back(self) -> str:
        lines = [ANSWER_LABELS[4] + _named(self.required)]
        if self.credited:
            lines.append(ANSWER_LABELS[5] + _named(self.credited))
        return "\n".join([*lines, IN_THESE_FACTS])


def _named(referrers: Referrers) -> str:
    return ", ".join(f"{m.name} ({', '.join(t.name for t in trps)})" for m, trps in referrers)


def presentations(facts: Facts) -> list[Presentation]:
    """The classic pain maps of the facts: each distinct essential zone of a trigger point (the first
    trigger point with it, in fact order, names it), when at most `MAX_REQUIRED` muscles refer
    essential pain there. The muscles are those `myodeck lookup` finds, in its order, regions
    compared on the body ('lateral-thigh' and its thirds are one pain). Required: a muscle with an
    essential region that is a region of the pain or lies mostly within it; credited, the others,
    whose patterns reach it (a spillover zone, or an essential zone of which the pain is a part), so
    naming a muscle whose pattern covers the pain is never marked wrong."""
    from decks.lookup import rank  # deriving cards only: a warm start reads them cached

    found: list[Presentation] = []
    seen: set[frozenset[str]] = set()
    for muscle in facts.muscles:
        for trp in muscle.trigger_points:
            pain = frozenset(trp.referral.essential)
            if pain in seen:
                continue
            seen.add(pain)
            essential: dict[str, list[TriggerPoint]] = {}
            reaching: dict[str, list[TriggerPoint]] = {}
            for candidate in rank(facts, pain):
                group = essential if candidate.within else reaching
                referrer = facts.muscle(candidate.muscle_id)
                group.setdefault(referrer.id, []).append(referrer.trigger_point(candidate.trp_id))
            if len(essential) <= MAX_REQUIRED:
                required = tuple((facts.muscle(m), tuple(trps)) for m, trps in essential.items())
                credited = tuple((facts.muscle(m), tuple(t)) for m, t in reaching.items() if m not in essential)
                found.append(Presentation(muscle, trp, trp.referral.essential, required, credited))
    return found
