"""The inverted questions in class, handout and export: every one has exactly one right choice,
checked against the fact files directly for every bundled muscle."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from decks.body.skin_overlap import share_skin
from decks.cards import CardKind
from decks.cli import main
from decks.diagrams import Variant
from decks.kinesiology import Movement, Role
from decks.model import Facts, Muscle
from quiz.classroom import ClassQuestion, class_questions


@pytest.fixture(scope="module")
def facts() -> Facts:
    from decks.loader import load_facts
    from source_facts import bundled_facts_dir

    return load_facts(bundled_facts_dir())


def asked(facts: Facts, kind: CardKind) -> list[ClassQuestion]:
    questions = class_questions(facts, 1000, 7, kinds=(kind,))
    assert questions and {q.kind for q in questions} == {kind}
    return questions


def by_name(facts: Facts, name: str) -> Muscle:
    return next(m for m in facts.muscles if m.name == name)


def wrong_choices(question: ClassQuestion) -> list[str]:
    assert len(set(question.choices)) == 4
    return [c for c in question.choices if c != question.correct]


def movement_named(name: str) -> Movement:
    movement, joint = name.split(" of the ")
    return Movement(joint, movement)


def test_pain_map_questions(facts: Facts) -> None:
    questions = asked(facts, CardKind.PAIN_MAP)
    assert len(questions) == facts.trigger_point_count
    for q in questions:
        muscle_id, trp_id, _ = q.key.split("/")
        essential = facts.muscle(muscle_id).trigger_point(trp_id).referral.essential
        pain = set(essential)
        assert any(pain & set(t.referral.essential) for t in by_name(facts, q.correct).trigger_points)
        # the pain drawn on the body, and nothing of the answer: no X, no muscle, no spillover
        assert q.picture is not None and q.picture.variant is Variant.PAIN_MAP
        assert (q.picture.essential, q.picture.spillover, q.picture.position, q.picture.muscle_shape) == (
            essential, (), None, None,
        )  # fmt: skip
        for wrong in wrong_choices(q):
            patterns = [{*t.referral.essential, *t.referral.spillover} for t in by_name(facts, wrong).trigger_points]
            assert not any(pain & p for p in patterns), (q.key, wrong)
            assert not any(share_skin(pain, p) for p in patterns), (q.key, wrong)


def test_movers_questions(facts: Facts) -> None:
    for q in asked(facts, CardKind.MOVERS):
        movement = movement_named(q.prompt.removeprefix("Which muscle is a prime mover in ").removesuffix("?"))
        assert movement in by_name(facts, q.correct).movements(Role.PRIME)
        for wrong in wrong_choices(q):
            assert movement not in by_name(facts, wrong).movements(), (q.key, wrong)


def test_stretch_questions(facts: Facts) -> None:
    for q in asked(facts, CardKind.STRETCH):
        muscle = facts.muscle(q.key.split("/")[0])
        own = muscle.movements()
        assert movement_named(q.correct) in {m.opposite() for m in muscle.movements(Role.PRIME)} - set(own)
        for wrong in wrong_choices(q):
            # nothing that undoes any of its actions: that would stretch at least part of it
            assert movement_named(wrong) not in {m.opposite() for m in own}, (q.key, wrong)


def test_antagonist_questions(facts: Facts) -> None:
    for q in asked(facts, CardKind.ANTAGONISTS):
        muscle = facts.muscle(q.key.split("/")[0])
        movement = movement_named(q.prompt.split(" main action is ")[1].split(". Which")[0])
        assert movement in muscle.movements(Role.PRIME)
        opposite = movement.opposite()
        assert opposite in by_name(facts, q.correct).movements(Role.PRIME)
        for wrong in wrong_choices(q):
            assert opposite not in by_name(facts, wrong).movements(), (q.key, wrong)


def test_the_default_class_mix_is_unchanged(facts: Facts) -> None:
    kinds = {q.kind for q in class_questions(facts, 60, 1)}
    assert kinds == {
        CardKind.PATTERN,
        CardKind.REFERRAL,
        CardKind.LOCATION,
        CardKind.ATTACHMENTS,
        CardKind.ACTIONS,
        CardKind.INNERVATION,
    }


def test_export_and_handout_take_topics(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "movers.csv"
    result = runner.invoke(
        main,
        [
            "export",
            "--format",
            "csv",
            "--topic",
            "movers",
            "--topic",
            "stretch",
            "-n",
            "4",
            "--seed",
            "2",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    kinds = [line.split(",")[2] for line in out.read_text().splitlines()[1:]]
    assert len(kinds) == 4 and set(kinds) == {"movers", "stretch"}
    pdf = tmp_path / "sheet.pdf"
    result = runner.invoke(main, ["handout", "--topic", "antagonists", "-n", "3", "--seed", "2", "-o", str(pdf)])
    assert result.exit_code == 0, result.output
    assert pdf.read_bytes().startswith(b"%PDF") and (tmp_path / "sheet-key.pdf").exists()


def test_a_topic_the_class_cannot_ask_is_a_clean_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["export", "--format", "csv", "--topic", "symptoms", "-o", str(tmp_path / "x.csv")]
    )
    assert result.exit_code == 1
    assert result.output.startswith("Error: no classroom question for symptoms cards (the class asks pattern,")
    assert not (tmp_path / "x.csv").exists()
