"""Questions: a card plus how it is answered (self-rated, typed or multiple choice).

The answer mode follows the card kind: short, exact answers (a nerve, a muscle
name) are typed and graded; zones, where the choice between look-alikes is the
skill, are multiple choice; long answers (attachments, actions, care) are
self-rated. Distractors come from similar facts, so they are plausible.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, NamedTuple

from decks.cards import REASONING_KINDS, AnswerSet, Card, CardKind, Side, pattern_of
from decks.diagrams import Variant
from decks.diagrams.spec import DiagramSpec
from quiz.distractors import zone_distractors, zone_text
from quiz.picture_pair import PicturePair
from quiz.store import AnswerMode

if TYPE_CHECKING:  # annotations only: the fact classes load when a question first reads a muscle
    from decks.model import Roster
    from decks.outline import MuscleOutline, Referral, TriggerPoint

MODE_BY_KIND: dict[CardKind, AnswerMode] = {
    CardKind.INNERVATION: AnswerMode.TYPED,
    CardKind.PATTERN: AnswerMode.TYPED,
    CardKind.REFERRAL: AnswerMode.CHOICE,
    **dict.fromkeys(REASONING_KINDS, AnswerMode.TYPED),
}
# What a set answer asks for, under the question: what is required and what earns credit.
SET_HINTS = {
    CardKind.PAIN_MAP: "Name the muscles: those whose essential zone is there; spillover ones earn credit.",
    CardKind.MOVERS: "Name the muscles: prime movers; assistants earn credit.",
    CardKind.ANTAGONISTS: "Name the muscles: prime movers of the opposite movement; assistants earn credit.",
    CardKind.STRETCH: "Name the movements: opposites of its main actions; undoing its other actions earns credit.",
}
CHOICE_COUNT = 4


# A named tuple, not a dataclass, as in `quiz.store`: each dataclass adds about 0.5 ms to every quiz start.
class Question(NamedTuple):
    """What the quiz asks for one card; `choices[correct_index]` is right in choice mode.

    A typed answer is graded against every name and alias in `expected`; a wrong one
    is shown `answers`, each accepted muscle or nerve once by its own name. A set answer
    (`answer_set`: several names, in any order) is graded with partial credit instead.
    """

    card: Card
    mode: AnswerMode
    prompt: str
    answer: str
    expected: tuple[str, ...] = ()
    answers: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()
    correct_index: int | None = None
    front_picture: DiagramSpec | None = None
    back_picture: DiagramSpec | None = None
    answer_set: AnswerSet | None = None
    pair: PicturePair | None = None  # shown with the answer, in place of `back_picture`
    paint: Referral | None = None  # "paint the pattern": the regions typed are graded against these zones


def _pictures(card: Card, facts: Roster) -> tuple[DiagramSpec | None, DiagramSpec | None]:
    if card.diagram is None:
        return None, None
    muscle = facts.outline(card.diagram.muscle_id)  # its name, shape and trigger points: no more
    trp = muscle.trigger_point(card.diagram.trigger_point_id)
    spec = DiagramSpec.for_trigger_point(muscle, trp, card.diagram.variant)
    if card.diagram.side is Side.BACK:
        return None, spec
    back = card.diagram.back_variant
    return spec, DiagramSpec.for_trigger_point(muscle, trp, back) if back is not None else None


def _trigger_point(card: Card, facts: Roster) -> TriggerPoint:
    assert card.diagram is not None, card.key
    return facts.outline(card.muscle_id).trigger_point(card.diagram.trigger_point_id)


def _muscles_with_pattern(facts: Roster, home: MuscleOutline, trp: TriggerPoint) -> list[MuscleOutline]:
    """Every muscle with a trigger point whose zones match `trp`'s, `home` first.

    The card's own muscle leads because the answer side names it: a wrong answer's
    "Expected" must not start with a look-alike the card never mentions.
    """
    others = (m for m in facts.muscles if m.id != home.id)
    return [home, *(m for m in others if any(pattern_of(t) == pattern_of(trp) for t in m.trigger_points))]


def _referral_distractors(card: Card, facts: Roster, rng: random.Random) -> list[str]:
    """Other trigger points' essential zones, never overlapping the answer: the most tempting first."""
    picked: list[str] = []
    for tier in zone_distractors(facts, facts.outline(card.muscle_id), _trigger_point(card, facts)):
        rng.shuffle(tier)
        picked += tier[: CHOICE_COUNT - 1 - len(picked)]
    return picked


def _contrasted(card: Card, facts: Roster) -> PicturePair:
    """The two full diagrams a contrast card (`contrast/<muscle>-<trp>/<muscle>-<trp>`) shows together."""
    specs, captions = [], []
    for point in card.key.split("/")[1:]:
        muscle_id, trp_id = point.rsplit("-", 1)
        muscle = facts.outline(muscle_id)
        trp = muscle.trigger_point(trp_id)
        specs.append(DiagramSpec.for_trigger_point(muscle, trp, Variant.FULL))
        captions.append(f"{muscle.name} {trp.name}")
    return PicturePair((specs[0], specs[1]), (captions[0], captions[1]))


_ASKED_OF_THE_MUSCLE = (CardKind.INNERVATION, CardKind.PATTERN, CardKind.REFERRAL)


def make_question(card: Card, facts: Roster, rng: random.Random, paint: bool = False) -> Question:
    """The question for `card`; `rng` orders choices, so a seed replays a quiz exactly. With `paint`,
    a referral card asks the student to paint the whole pattern instead of choosing its essential zone."""
    mode = MODE_BY_KIND.get(card.kind, AnswerMode.SELF)
    front_picture, back_picture = _pictures(card, facts)
    base = Question(card, mode, card.front, card.back, front_picture=front_picture, back_picture=back_picture)
    if card.kind is CardKind.CONTRAST:
        return base._replace(pair=_contrasted(card, facts))
    if card.answer_set is not None:
        return base._replace(prompt=f"{card.front}\n{SET_HINTS[card.kind]}", answer_set=card.answer_set)
    if card.kind not in _ASKED_OF_THE_MUSCLE:  # self-rated on the card's own text: no muscle is read
        return base
    if card.kind is CardKind.INNERVATION:
        whole = facts.muscle(card.muscle_id)  # its nerve: what an outline lacks
        nerve = (whole.innervation.nerve,)
        return base._replace(prompt=f"{whole.name} — which nerve supplies it?", expected=nerve, answers=nerve)
    muscle = facts.outline(card.muscle_id)
    if card.kind is CardKind.PATTERN:
        matches = _muscles_with_pattern(facts, muscle, _trigger_point(card, facts))
        return base._replace(
            prompt="Which muscle has a trigger point that refers pain here?",
            expected=tuple(dict.fromkeys(name for m in matches for name in (m.name, *m.aliases))),
            answers=tuple(m.name for m in matches),
        )
    if card.kind is CardKind.REFERRAL and paint:
        trp = _trigger_point(card, facts)
        prompt = f"{muscle.name}, {trp.name} — paint its pattern: which regions does it refer pain to?"
        return base._replace(mode=AnswerMode.TYPED, prompt=prompt, paint=trp.referral)
    trp = _trigger_point(card, facts)  # a referral card: which is its essential pain zone?
    correct = zone_text(trp.referral.essential)
    choices = [correct, *_referral_distractors(card, facts, rng)]
    rng.shuffle(choices)
    return base._replace(
        prompt=f"{muscle.name}, {trp.name} — where is its essential pain zone?",
        choices=tuple(choices),
        correct_index=choices.index(correct),
    )
