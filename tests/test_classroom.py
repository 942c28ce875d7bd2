"""Classroom questions: one right answer among four distinct choices, the same for the same seed."""

from __future__ import annotations

from decks.cards import CardKind
from decks.model import Facts
from quiz.classroom import CLASS_KINDS, class_questions, nerve_names


def test_same_seed_same_questions(facts: Facts) -> None:
    assert class_questions(facts, 20, seed=3) == class_questions(facts, 20, seed=3)
    assert class_questions(facts, 20, seed=3) != class_questions(facts, 20, seed=4)


def test_every_kind_in_turn_and_four_distinct_choices(facts: Facts) -> None:
    questions = class_questions(facts, 500, seed=1)
    assert [q.kind for q in questions[:6]] == list(CLASS_KINDS)
    assert len(questions) == 3 * facts.trigger_point_count + 3 * len(facts.muscles)
    for q in questions:
        assert len(q.choices) == 4, q.key
        assert len({c.casefold() for c in q.choices}) == 4, q.key
        assert 0 <= q.correct_index < 4


def test_look_alike_patterns_are_never_distractors(facts: Facts) -> None:
    behind_the_knee = {"Plantaris", "Popliteus", "Gastrocnemius"}  # each has a TrP referring to back-of-knee
    for seed in range(20):
        for q in class_questions(facts, 500, seed=seed, kinds=[CardKind.PATTERN]):
            if q.correct in ("Plantaris", "Popliteus") or q.key in (
                "gastrocnemius/trp3/pattern-to-muscle",
                "gastrocnemius/trp4/pattern-to-muscle",
            ):
                assert behind_the_knee & set(q.choices) == {q.correct}, (q.key, q.choices)
            if q.correct in ("Fibularis longus", "Fibularis brevis"):
                assert {"Fibularis longus", "Fibularis brevis"} - {q.correct} & set(q.choices) == set(), q.choices


def test_referral_distractors_share_no_region_with_the_answer(facts: Facts) -> None:
    for q in class_questions(facts, 500, seed=11, kinds=[CardKind.REFERRAL]):
        right = set(q.correct.split("; "))
        for index, choice in enumerate(q.choices):
            if index != q.correct_index:
                assert not right & set(choice.split("; ")), (q.key, choice)


def test_calcaneal_insertion_never_offers_another_calf_muscle(facts: Facts) -> None:
    calf = {"Gastrocnemius", "Soleus", "Plantaris"}
    for seed in range(30):
        for q in class_questions(facts, 500, seed=seed, kinds=[CardKind.ATTACHMENTS]):
            if "calcane" in q.prompt.lower() and q.correct in calf:
                assert calf & set(q.choices) == {q.correct}, (q.prompt, q.choices)


def test_action_distractors_are_not_actions_of_the_muscle(facts: Facts) -> None:
    for q in class_questions(facts, 500, seed=5, kinds=[CardKind.ACTIONS]):
        muscle = next(m for m in facts.muscles if q.key == f"{m.id}/actions")
        wrong = [c for i, c in enumerate(q.choices) if i != q.correct_index]
        assert not set(wrong) & {a.text for a in muscle.actions}
        movements_offered = {a.movement for m in facts.muscles for a in m.actions if a.text in wrong}
        assert not movements_offered & set(muscle.movements()), (muscle.id, wrong)
        if muscle.id in ("gastrocnemius", "soleus"):
            assert not any("plantar flex" in w.lower() for w in wrong), wrong
        if muscle.id == "tibialis-anterior":
            assert not any("dorsiflex" in w.lower() or "invert" in w.lower() for w in wrong), wrong


def test_innervation_choices_never_offer_the_same_nerve_as_wrong(facts: Facts) -> None:
    questions = class_questions(facts, 500, seed=2, kinds=[CardKind.INNERVATION])
    assert {q.correct for q in questions} == {m.innervation.nerve for m in facts.muscles}
    for q in questions:
        wrong = [c for i, c in enumerate(q.choices) if i != q.correct_index]
        assert not any(nerve_names(w) & nerve_names(q.correct) for w in wrong), (q.key, q.choices)
    semitendinosus = next(q for q in questions if q.key == "semitendinosus/innervation")
    assert "Tibial nerve" not in semitendinosus.choices  # the tibial division of the sciatic nerve is the same nerve
    biceps = next(q for q in questions if q.key == "biceps-femoris/innervation")
    assert "Common fibular (peroneal) nerve" not in biceps.choices  # it supplies the short head


def test_pictures(facts: Facts) -> None:
    pattern = class_questions(facts, 1, seed=0, kinds=[CardKind.PATTERN])[0]
    assert pattern.picture is not None and pattern.picture.position is None
    assert pattern.reveal_picture is not None and pattern.reveal_picture.position is not None


def test_one_muscle_quiz_still_has_four_choices(facts: Facts) -> None:
    questions = class_questions(facts, 50, seed=9, muscles=("soleus",))
    assert {q.key.split("/")[0] for q in questions} == {"soleus"}
    assert all(len(q.choices) == 4 for q in questions)
