"""Multiple-choice questions for the classroom: the quiz, the handout and the exports.

One seed gives one list of questions, so `myodeck class`, `myodeck handout` and
`myodeck export` with the same seed ask the same things in the same order and
the printed key matches. Every question has exactly one right answer among four
distinct choices: distractors that would also be right (a muscle with the very
same referral pattern, an action the muscle shares) are never offered.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from decks.body.skin_overlap import share_skin
from decks.cards import CardKind
from decks.diagrams import Variant
from decks.diagrams.spec import DiagramSpec
from decks.errors import MyodeckError
from decks.kinesiology import MOVEMENTS, Movement, Role
from decks.model import Attachment, Facts, Muscle
from decks.outline import Referral, TriggerPoint
from decks.reasoning import antagonists, movers, stretch
from decks.regions import REGIONS
from quiz.distractors import muscle_distractors, right_too, zone_distractors, zone_text

CLASS_KINDS = (
    CardKind.PATTERN,
    CardKind.REFERRAL,
    CardKind.LOCATION,
    CardKind.ATTACHMENTS,
    CardKind.ACTIONS,
    CardKind.INNERVATION,
)
LETTERS = "ABCD"
SHORT_PROMPT = 120  # characters: the most a quiz tool takes in a question (Kahoot!)
# Nerves of the lower limb that supply none of the leg's muscles: plausible, never right.
_OTHER_NERVES = ("Common fibular (peroneal) nerve", "Sural nerve", "Saphenous nerve", "Femoral nerve")


@dataclass(frozen=True)
class ClassQuestion:
    key: str
    kind: CardKind
    prompt: str
    choices: tuple[str, ...]
    correct_index: int
    explanation: str
    picture: DiagramSpec | None = None  # shown with the question
    reveal_picture: DiagramSpec | None = None  # shown with the answer
    paint: Referral | None = None  # "paint it": no choices; each team's called-out regions are graded
    worded: bool = False  # the prompt says in words all its picture shows: it can be asked without it
    short_prompt: str = ""  # the same question within SHORT_PROMPT characters, where the prompt is longer

    @property
    def correct(self) -> str:
        if self.paint is not None:
            return (
                f"essential: {zone_text(self.paint.essential)}; spillover: {zone_text(self.paint.spillover) or 'none'}"
            )
        return self.choices[self.correct_index]

    @property
    def correct_letter(self) -> str:
        return "" if self.paint is not None else LETTERS[self.correct_index]


def _same(a: str, b: str) -> bool:
    return a.casefold().strip() == b.casefold().strip()


def _choices(correct: str, tiers: Sequence[Sequence[str]], also_right: Sequence[str], rng: random.Random) -> list[str]:
    """The correct answer and three distractors, nearest tier first, all distinct and all wrong."""
    picked: list[str] = []
    for tier in tiers:
        pool = [c for c in dict.fromkeys(tier) if not any(_same(c, x) for x in (correct, *also_right, *picked))]
        rng.shuffle(pool)
        picked += pool[: 3 - len(picked)]
    if len(picked) < 3:
        raise ValueError(f"not enough distinct distractors for {correct!r}")
    choices = [correct, *picked]
    rng.shuffle(choices)
    return choices


def _by_nearness(facts: Facts, home: Muscle) -> tuple[list[Muscle], list[Muscle]]:
    """Other muscles: same compartment first (the plausible mix-ups), then the rest."""
    others = [m for m in facts.muscles if m.id != home.id]
    return [m for m in others if m.compartment == home.compartment], [
        m for m in others if m.compartment != home.compartment
    ]


def _essential(trp: TriggerPoint) -> frozenset[str]:
    return frozenset(trp.referral.essential)


def _pattern(facts: Facts, muscle: Muscle, trp: TriggerPoint, rng: random.Random) -> ClassQuestion:
    # A muscle with a trigger point whose essential zone covers the same skin refers pain
    # "here" too: it would be right, so it is never a distractor.
    twins = [m.name for m in facts.muscles if right_too(m, trp)]
    choices = _choices(muscle.name, muscle_distractors(facts, muscle, trp), twins, rng)
    return ClassQuestion(
        f"{muscle.id}/{trp.id}/pattern-to-muscle",
        CardKind.PATTERN,
        "Which muscle has a trigger point that refers pain here?",
        tuple(choices),
        choices.index(muscle.name),
        f"{muscle.name} {trp.name}: {trp.location}",
        picture=DiagramSpec.for_trigger_point(muscle, trp, Variant.PATTERN),
        reveal_picture=DiagramSpec.for_trigger_point(muscle, trp, Variant.FULL),
    )


def _referral(facts: Facts, muscle: Muscle, trp: TriggerPoint, rng: random.Random) -> ClassQuestion:
    correct = zone_text(trp.referral.essential)
    choices = _choices(correct, zone_distractors(facts, muscle, trp), [], rng)
    spill = zone_text(trp.referral.spillover) or "none"
    return ClassQuestion(
        f"{muscle.id}/{trp.id}/referral",
        CardKind.REFERRAL,
        f"{muscle.name} {trp.name}: where is its essential pain zone?",
        tuple(choices),
        choices.index(correct),
        f"Essential: {correct}. Spillover: {spill}.",
        reveal_picture=DiagramSpec.for_trigger_point(muscle, trp, Variant.FULL),
    )


def _location(facts: Facts, muscle: Muscle, trp: TriggerPoint, rng: random.Random) -> ClassQuestion:
    correct = REGIONS[trp.position.region].name
    near, far = _by_nearness(facts, muscle)
    tiers = [[REGIONS[t.position.region].name for m in group for t in m.trigger_points] for group in (near, far)]
    tiers.append([r.name for r in REGIONS.values() if trp.position.view in r.views])
    choices = _choices(correct, tiers, [], rng)
    return ClassQuestion(
        f"{muscle.id}/{trp.id}/location",
        CardKind.LOCATION,
        f"Where do you palpate {muscle.name} {trp.name}?",
        tuple(choices),
        choices.index(correct),
        trp.location,
        reveal_picture=DiagramSpec.for_trigger_point(muscle, trp, Variant.LOCATION),
    )


# What an attachment or action is about, recognised by keywords: two texts that share
# a key may both be right, so one is never offered as the other's distractor.
_BONE_WORDS = (
    "femur", "femoral", "tibia", "tibial", "fibula", "fibular", "calcane", "navicular", "cuneiform",
    "cuboid", "metatarsal", "phalan", "talus", "interosseous", "meniscus",
)  # fmt: skip


def _keys(text: str, words: Sequence[str] | dict[str, str]) -> frozenset[str]:
    lowered = text.casefold()
    if isinstance(words, dict):
        return frozenset(key for word, key in words.items() if word in lowered)
    return frozenset(word for word in words if word in lowered)


def _attachment(facts: Facts, muscle: Muscle, rng: random.Random) -> ClassQuestion:
    attachment = rng.choice([*muscle.origin, *muscle.insertion])
    end = "origin" if attachment in muscle.origin else "insertion"
    bones = _keys(attachment.description, _BONE_WORDS)

    def same_end(m: Muscle) -> tuple[Attachment, ...]:
        return m.origin if end == "origin" else m.insertion

    # A muscle attaching to any of the same bones at that end could be right too.
    rivals = [m.name for m in facts.muscles if any(bones & _keys(a.description, _BONE_WORDS) for a in same_end(m))]
    near, far = _by_nearness(facts, muscle)
    choices = _choices(muscle.name, [[m.name for m in near], [m.name for m in far]], rivals, rng)
    part = f" ({attachment.part})" if attachment.part else ""
    return ClassQuestion(
        f"{muscle.id}/{end}" + (f"/{attachment.part}" if attachment.part else ""),
        CardKind.ATTACHMENTS,
        f"Which muscle has this {end}: {attachment.description}",
        tuple(choices),
        choices.index(muscle.name),
        f"{muscle.name}{part}, {end}.",
    )


def _actions(facts: Facts, muscle: Muscle, rng: random.Random) -> ClassQuestion:
    """One of the muscle's actions against actions of other muscles that it does not perform."""
    own = set(muscle.movements())
    movers = [a for a in muscle.actions if a.movement is not None]
    if not movers:
        raise ValueError(f"{muscle.id} has no action with a movement to ask about")
    correct = rng.choice(movers)
    foreign: dict[Movement, str] = {}  # one wording per movement, so no two choices say the same
    for other in facts.muscles:
        for action in other.actions:
            if action.movement is not None and action.movement not in own:
                foreign.setdefault(action.movement, action.text)
    choices = _choices(correct.text, [sorted(foreign.values())], [a.text for a in muscle.actions], rng)
    return ClassQuestion(
        f"{muscle.id}/actions",
        CardKind.ACTIONS,
        f"Which is an action of {muscle.name}?",
        tuple(choices),
        choices.index(correct.text),
        f"{muscle.name}: " + " ".join(a.text for a in muscle.actions),
    )


# The nerves a nerve field can name, as words to find in it: two fields that share one name the same
# nerve (or a part of it), so neither may be offered as wrong for the other.
_NERVE_NAMES = {
    "tibial": r"\btibial\b",
    "common fibular": r"\bcommon (?:fibular|peroneal)",
    "deep fibular": r"\bdeep (?:fibular|peroneal)",
    "superficial fibular": r"\bsuperficial (?:fibular|peroneal)",
    "sciatic": r"\bsciatic\b",
    "femoral": r"\bfemoral\b",
    "obturator": r"\bobturator\b",
    "superior gluteal": r"\bsuperior gluteal\b",
    "inferior gluteal": r"\binferior gluteal\b",
    "medial plantar": r"\bmedial plantar\b",
    "lateral plantar": r"\blateral plantar\b",
    "lumbar": r"\blumbar\b",
    "sacral": r"\bsacral\b",
    "sural": r"\bsural\b",
    "saphenous": r"\bsaphenous\b",
}


def nerve_names(field: str) -> frozenset[str]:
    """The nerves a nerve field names ('Tibial division of the sciatic nerve': tibial and sciatic)."""
    return frozenset(name for name, pattern in _NERVE_NAMES.items() if re.search(pattern, field, re.IGNORECASE))


def _innervation(facts: Facts, muscle: Muscle, rng: random.Random) -> ClassQuestion:
    correct = muscle.innervation.nerve
    nerves = [m.innervation.nerve for m in facts.muscles]
    same = [nerve for nerve in [*nerves, *_OTHER_NERVES] if nerve_names(nerve) & nerve_names(correct)]
    choices = _choices(correct, [nerves, _OTHER_NERVES], same, rng)
    return ClassQuestion(
        f"{muscle.id}/innervation",
        CardKind.INNERVATION,
        f"Which nerve supplies {muscle.name}?",
        tuple(choices),
        choices.index(correct),
        f"{correct} ({', '.join(muscle.innervation.roots)}).",
    )


def _pain_map(facts: Facts, muscle: Muscle, trp: TriggerPoint, rng: random.Random) -> ClassQuestion:
    """The trigger point's essential zone as a client's pain: against muscles whose patterns never reach it."""
    pain = trp.referral.essential
    # A muscle whose pattern covers part of the pain, on the body as well as by region, would be right too.
    reach = [
        m.name
        for m in facts.muscles
        if any(share_skin(pain, t.referral.essential + t.referral.spillover) for t in m.trigger_points)
    ]
    near, far = _by_nearness(facts, muscle)
    choices = _choices(muscle.name, [[m.name for m in near], [m.name for m in far]], reach, rng)
    also = [m.name for m in facts.muscles if m != muscle and any(set(pain) & _essential(t) for t in m.trigger_points)]
    return ClassQuestion(
        f"{muscle.id}/{trp.id}/pain-map",
        CardKind.PAIN_MAP,
        f"Pain at: {zone_text(trp.referral.essential)}. Which muscle's trigger points can refer it?",
        tuple(choices),
        choices.index(muscle.name),
        f"{muscle.name} {trp.name} refers essential pain there" + (f"; so do {', '.join(also)}." if also else "."),
        picture=DiagramSpec.for_trigger_point(muscle, trp, Variant.PAIN_MAP),
        reveal_picture=DiagramSpec.for_trigger_point(muscle, trp, Variant.FULL),
        worded=True,
        short_prompt=_short_pain_prompt(pain),
    )


def _short_pain_prompt(pain: tuple[str, ...]) -> str:
    """The pain-map question in at most `SHORT_PROMPT` characters: the regions' names without their
    asides ('outer ankle bone'), else their ids in words ('lateral malleolus, behind lateral malleolus');
    empty when neither fits."""
    names = "; ".join(re.sub(r"\s*\([^)]*\)", "", REGIONS[region].name) for region in pain)
    ids = ", ".join(region.replace("-", " ") for region in pain)
    phrasings = (f"Pain at: {names}. Whose trigger points refer it?", f"Pain: {ids}. Whose trigger points refer it?")
    return next((text for text in phrasings if len(text) <= SHORT_PROMPT), "")


def _movers(facts: Facts, muscle: Muscle, rng: random.Random) -> ClassQuestion:
    """One of the muscle's prime movements: against muscles that play no part in it, its antagonists first."""
    prime = muscle.movements(Role.PRIME)
    if not prime:
        raise ValueError(f"{muscle.id} is prime mover of no movement")
    movement = rng.choice(prime)
    doing = movers(facts, movement)
    opposite = movement.opposite()
    tempting = movers(facts, opposite).prime if opposite else ()
    near, far = _by_nearness(facts, muscle)
    tiers = [[m.name for m in tempting], [m.name for m in near], [m.name for m in far]]
    choices = _choices(muscle.name, tiers, [m.name for m in doing.prime + doing.assistants], rng)
    return ClassQuestion(
        f"{muscle.id}/movers/{movement.joint}-{movement.movement}".replace(" ", "-"),
        CardKind.MOVERS,
        f"Which muscle is a prime mover in {movement.name}?",
        tuple(choices),
        choices.index(muscle.name),
        f"Prime movers in {movement.name}: {', '.join(m.name for m in doing.prime)}.",
    )


def _stretch(facts: Facts, muscle: Muscle, rng: random.Random) -> ClassQuestion:
    """A movement that stretches the muscle: against movements it performs itself (they shorten it) first."""
    lengthened = stretch(muscle)
    if lengthened is None:
        raise ValueError(f"the facts do not say every movement that stretches {muscle.id}")
    correct = rng.choice(lengthened.required)
    own = muscle.movements()
    same_joint = [Movement(j, name) for j in sorted({m.joint for m in own}) for name in MOVEMENTS[j]]
    tiers = [[m.name for m in own], [m.name for m in same_joint]]  # what shortens it tempts most
    also = [m.name for m in lengthened.required + lengthened.credited]
    choices = _choices(correct.name, tiers, also, rng)
    return ClassQuestion(
        f"{muscle.id}/stretch",
        CardKind.STRETCH,
        f"Which movement stretches {muscle.name}?",
        tuple(choices),
        choices.index(correct.name),
        f"{muscle.name} is stretched by the opposite of its actions: {', '.join(m.name for m in lengthened.required)}.",
    )


def _antagonists(facts: Facts, muscle: Muscle, rng: random.Random) -> ClassQuestion:
    """A prime mover of the opposite of the muscle's main movement: against its agonists first."""
    opposed = antagonists(facts, muscle)
    if opposed is None:
        raise ValueError(f"no muscle of the facts opposes {muscle.id}")
    correct = rng.choice(opposed.opposing.prime)
    agonists = movers(facts, opposed.movement)
    near, far = _by_nearness(facts, muscle)
    tiers = [
        [m.name for m in agonists.prime + agonists.assistants if m != muscle],
        [m.name for m in near],
        [m.name for m in far],
    ]
    also = [muscle.name, *(m.name for m in opposed.opposing.prime + opposed.opposing.assistants)]
    choices = _choices(correct.name, tiers, also, rng)
    return ClassQuestion(
        f"{muscle.id}/antagonists",
        CardKind.ANTAGONISTS,
        f"{muscle.name}'s main action is {opposed.movement.name}. Which muscle is its antagonist?",
        tuple(choices),
        choices.index(correct.name),
        f"Prime movers in {opposed.opposing.movement.name}: {', '.join(m.name for m in opposed.opposing.prime)}.",
    )


def _paint(facts: Facts, muscle: Muscle, trp: TriggerPoint, rng: random.Random) -> ClassQuestion:
    """Paint it: the teams call out the regions of the whole pattern; no choices to pick from."""
    return ClassQuestion(
        f"{muscle.id}/{trp.id}/paint",
        CardKind.REFERRAL,
        f"{muscle.name} {trp.name}: paint its pattern. Where does it refer pain?",
        (),
        -1,
        f"Essential: {zone_text(trp.referral.essential)}. Spillover: {zone_text(trp.referral.spillover) or 'none'}.",
        reveal_picture=DiagramSpec.for_trigger_point(muscle, trp, Variant.FULL),
        paint=trp.referral,
    )


_PER_TRIGGER_POINT: dict[CardKind, Callable[[Facts, Muscle, TriggerPoint, random.Random], ClassQuestion]] = {
    CardKind.PATTERN: _pattern,
    CardKind.REFERRAL: _referral,
    CardKind.LOCATION: _location,
    CardKind.PAIN_MAP: _pain_map,
}
_PER_MUSCLE: dict[CardKind, Callable[[Facts, Muscle, random.Random], ClassQuestion]] = {
    CardKind.ATTACHMENTS: _attachment,
    CardKind.ACTIONS: _actions,
    CardKind.INNERVATION: _innervation,
    CardKind.MOVERS: _movers,
    CardKind.STRETCH: _stretch,
    CardKind.ANTAGONISTS: _antagonists,
}


def class_questions(
    facts: Facts,
    count: int,
    seed: int,
    muscles: tuple[str, ...] = (),
    kinds: Sequence[CardKind] = CLASS_KINDS,
    paint: bool = False,
) -> list[ClassQuestion]:
    """`count` questions about `muscles` (default all), mixing `kinds` in turn; the same seed, the same list.

    Distractors come from the whole fact set, so a quiz on one muscle still has four choices.
    With `paint`, referral questions are "paint it" questions, asked in the same order.
    """
    rng = random.Random(seed)
    chosen = facts.select(muscles).muscles
    pools: list[list[tuple[CardKind, Muscle, TriggerPoint | None]]] = []
    for kind in kinds:
        if kind in _PER_TRIGGER_POINT:
            pool = [(kind, m, t) for m in chosen for t in m.trigger_points]
        elif kind in _PER_MUSCLE:
            pool = [(kind, m, None) for m in chosen]
        else:
            raise MyodeckError(f"no classroom question for {kind.value} cards (the class asks {_class_topics()})")
        rng.shuffle(pool)
        pools.append(pool)
    questions: list[ClassQuestion] = []
    for kind, muscle, trp in (item for round_ in _round_robin(pools) for item in round_):
        if len(questions) == count:
            break
        try:
            ask = _paint if paint and kind is CardKind.REFERRAL else _PER_TRIGGER_POINT.get(kind)
            questions.append(ask(facts, muscle, trp, rng) if ask and trp else _PER_MUSCLE[kind](facts, muscle, rng))
        except ValueError:  # too few safe distractors in a small fact set: ask something else
            continue
    return questions


def _class_topics() -> str:
    return ", ".join(kind.value for kind in (*_PER_TRIGGER_POINT, *_PER_MUSCLE))


def _round_robin(
    pools: list[list[tuple[CardKind, Muscle, TriggerPoint | None]]],
) -> Iterator[list[tuple[CardKind, Muscle, TriggerPoint | None]]]:
    """One item of each kind in turn, so any first N questions are a mix."""
    for index in range(max((len(p) for p in pools), default=0)):
        yield [pool[index] for pool in pools if index < len(pool)]
