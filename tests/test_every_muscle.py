"""Every bundled muscle through every question-making path: no fact that passes `check` breaks one."""

from __future__ import annotations

import random

import pytest

from decks.cards import CardKind, derive_cards
from decks.model import Facts
from quiz.classroom import CLASS_KINDS, class_questions
from quiz.colors import ColorMode
from quiz.export import ExportFormat, export_questions
from quiz.grader import grade
from quiz.picture import draw_picture
from quiz.questions import AnswerMode, make_question
from source_facts import bundled_facts_dir

MUSCLES = sorted(path.stem for path in bundled_facts_dir().rglob("*.yaml") if path.stem != "glossary")


@pytest.mark.parametrize("muscle_id", MUSCLES)
def test_class_questions_of_every_kind_have_one_right_answer_among_four(facts: Facts, muscle_id: str) -> None:
    muscle = facts.muscle(muscle_id)
    questions = class_questions(facts, 1000, seed=3, muscles=(muscle_id,))
    per_kind = {kind: [q for q in questions if q.kind is kind] for kind in CLASS_KINDS}
    for kind, asked in per_kind.items():
        expected = len(muscle.trigger_points) if kind in (CardKind.LOCATION, CardKind.REFERRAL, CardKind.PATTERN) else 1
        assert len(asked) == expected, (kind, len(asked))
    for question in questions:
        assert len(question.choices) == 4 and len({c.casefold() for c in question.choices}) == 4, question
        assert question.key.split("/")[0] == muscle_id
    for export_format in ExportFormat:
        export = export_questions(questions, export_format, seed=3)
        assert export.data, export_format


@pytest.mark.parametrize("muscle_id", MUSCLES)
def test_every_card_makes_a_question_and_its_answer_is_accepted(facts: Facts, muscle_id: str) -> None:
    cards = [card for card in derive_cards(facts) if card.muscle_id == muscle_id]
    assert {card.kind for card in cards} >= {CardKind.ATTACHMENTS, CardKind.INNERVATION, CardKind.REFERRAL}
    rng = random.Random(5)
    for card in cards:
        question = make_question(card, facts, rng)
        if question.mode is AnswerMode.TYPED:  # each expected answer, typed as given, is right
            assert all(grade(answer, question.expected).correct for answer in question.expected), card.key
        if question.mode is AnswerMode.CHOICE:
            assert question.correct_index is not None and len(set(question.choices)) == 4, card.key
        for picture in (question.front_picture, question.back_picture):
            if picture is not None:
                assert draw_picture(picture, ColorMode.NONE).lines
