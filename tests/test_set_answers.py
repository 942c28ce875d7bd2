"""Set answers ("Which muscles abduct the hip?"): what the bundled facts make the answers, how typed
answers are marked with partial credit, and the quiz asking one in a real terminal."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from virtual_terminal import VirtualTerminal

from decks.body.skin_overlap import MOSTLY, inside, regions_overlap, share_skin
from decks.cards import REASONING_KINDS, Card, CardKind, derive_cards, slug
from decks.kinesiology import Role
from decks.model import Facts
from quiz.scheduler import Rating
from quiz.set_grader import grade_set


@pytest.fixture(scope="module")
def facts() -> Facts:
    from decks.loader import load_facts
    from source_facts import bundled_facts_dir

    return load_facts(bundled_facts_dir())


@pytest.fixture(scope="module")
def cards(facts: Facts) -> dict[str, Card]:
    return {card.key: card for card in derive_cards(facts, REASONING_KINDS)}


def names(card: Card) -> tuple[list[str], list[str]]:
    assert card.answer_set is not None
    return [i.name for i in card.answer_set.required], [i.name for i in card.answer_set.credited]


@pytest.mark.parametrize(
    ("key", "required", "credited"),
    [
        (
            "movers/hip-abduction",
            ["Gluteus medius", "Gluteus minimus", "Tensor fasciae latae"],
            ["Gluteus maximus", "Piriformis", "Sartorius"],
        ),
        (
            "movers/foot-eversion",
            ["Fibularis brevis", "Fibularis longus"],
            ["Extensor digitorum longus", "Fibularis tertius"],
        ),
        (
            "gluteus-medius/stretch",
            ["adduction of the hip"],
            ["lateral rotation of the hip", "extension of the hip", "medial rotation of the hip"],
        ),
        ("gastrocnemius/stretch", ["dorsiflexion of the ankle"], ["extension of the knee"]),
        (
            "tibialis-anterior/antagonists",
            ["Gastrocnemius", "Soleus"],
            [
                "Fibularis brevis",
                "Fibularis longus",
                "Flexor digitorum longus",
                "Flexor hallucis longus",
                "Plantaris",
                "Tibialis posterior",
            ],
        ),
        # the outer-ankle pattern: fibularis brevis's essential zone, shared by longus; the extensors brevis
        # refer to the top of the foot in front of the ankle, not to its outer edge (the side wall);
        # fibularis tertius's outer heel is not the outer ankle bone, though its drawn region reaches over it
        (
            "fibularis-brevis/trp1/pain-map",
            ["Fibularis brevis", "Fibularis longus"],
            ["Abductor digiti minimi (foot)"],
        ),
        ("soleus/trp1/pain-map", ["Soleus", "Quadratus plantae"], ["Tibialis posterior", "Abductor hallucis"]),
    ],
)
def test_answers_come_from_the_facts(
    cards: dict[str, Card], key: str, required: list[str], credited: list[str]
) -> None:
    assert names(cards[key]) == (required, credited)


def _within(region: str, pain: set[str]) -> bool:
    """A pain region, or lying mostly inside the pain on the body."""
    return sum(inside(region, p) for p in pain if regions_overlap(region, p)) >= MOSTLY


def test_every_required_answer_is_true_of_the_facts(facts: Facts, cards: dict[str, Card]) -> None:
    """Checked from the facts directly, not through the code that made the cards."""
    by_name = {m.name: m for m in facts.muscles}
    for card in cards.values():
        required, credited = names(card)
        assert required and not set(required) & set(credited), card.key
        if card.kind is CardKind.MOVERS:
            for name in required:
                prime = [a.movement for a in by_name[name].actions if a.movement and a.role == "prime"]
                assert any(card.key == f"movers/{slug(m.joint)}-{slug(m.movement)}" for m in prime), card.key
        if card.kind is CardKind.PAIN_MAP:
            muscle_id, trp_id, _ = card.key.split("/")
            pain = set(facts.muscle(muscle_id).trigger_point(trp_id).referral.essential)
            for name in required:
                essential = (r for t in by_name[name].trigger_points for r in t.referral.essential)
                assert any(_within(r, pain) for r in essential), card.key
            for name in credited:
                essential = (r for t in by_name[name].trigger_points for r in t.referral.essential)
                assert not any(_within(r, pain) for r in essential), card.key
                # its spillover zone is on the pain, or one of its zones overlaps it on the body
                assert any(
                    share_skin(pain, t.referral.essential + t.referral.spillover) for t in by_name[name].trigger_points
                ), card.key


def test_fronts_and_backs_say_what_is_required(cards: dict[str, Card]) -> None:
    card = cards["movers/hip-abduction"]
    assert card.front == "Which muscles abduct the hip?"
    assert card.back.splitlines()[:3] == [
        "Prime movers: Gluteus medius, Gluteus minimus, Tensor fasciae latae",
        "Assistants: Gluteus maximus, Piriformis, Sartorius",
        "Counted among the muscles of this deck only.",
    ]
    assert cards["fibularis-brevis/trp1/pain-map"].front == (
        "Pain at: outer ankle bone (lateral malleolus); just behind the outer ankle bone; just below the outer "
        "ankle bone; outer edge of the foot, along the fifth metatarsal. "
        "Which muscles' trigger points refer pain there?"
    )


@pytest.mark.parametrize(
    ("typed", "rating", "last_line"),
    [
        ("glute med, TFL and gluteus minimus", Rating.Good, "3 of 3 required, 0 of 3 credited → Good"),
        (
            "tensor fascia lata; glutues medius and gluteus minimus, piriformis",
            Rating.Good,
            "3 of 3 required, 1 of 3 credited → Good",
        ),
        ("gluteus medius, gluteus minimus", Rating.Hard, "2 of 3 required, 0 of 3 credited → Hard"),
        ("gluteus medius, piriformis", Rating.Hard, "1 of 3 required, 1 of 3 credited → Hard"),
        (
            "gluteus medius, gluteus minimus, TFL, adductor longus",
            Rating.Hard,
            "3 of 3 required, 0 of 3 credited, 1 wrong → Hard",
        ),
        ("gluteus medius", Rating.Again, "1 of 3 required, 0 of 3 credited → Again"),
        ("gluteus medius, biceps femoris", Rating.Again, "1 of 3 required, 0 of 3 credited, 1 wrong → Again"),
        ("", Rating.Again, "0 of 3 required, 0 of 3 credited → Again"),
    ],
)
def test_partial_credit_maps_to_a_rating(cards: dict[str, Card], typed: str, rating: Rating, last_line: str) -> None:
    answer_set = cards["movers/hip-abduction"].answer_set
    assert answer_set is not None
    result = grade_set(typed, answer_set)
    assert result.rating is rating
    assert result.lines()[-1] == last_line


def test_the_student_sees_what_was_missing_and_what_was_extra(cards: dict[str, Card]) -> None:
    answer_set = cards["movers/hip-abduction"].answer_set
    assert answer_set is not None
    assert grade_set("TFL, piriformis, biceps femoris, TFL", answer_set).lines() == [
        "✓ Named: Tensor fasciae latae",
        "✗ Missing: Gluteus medius, Gluteus minimus",
        "+ Credited: Piriformis",
        "✗ Not right: biceps femoris",
        "Also credited: Gluteus maximus, Sartorius",
        "1 of 3 required, 1 of 3 credited, 1 wrong → Again",
    ]


def test_and_inside_a_name_and_movements_in_any_wording(cards: dict[str, Card]) -> None:
    interossei = cards["dorsal-and-plantar-interossei/trp1/pain-map"].answer_set
    assert interossei is not None
    assert grade_set("dorsal and plantar interossei", interossei).missing == ()
    stretch = cards["gluteus-medius/stretch"].answer_set
    assert stretch is not None
    for typed in ("adduction", "hip adduction", "adduct the hip", "adduction of the hip and hip extension"):
        assert grade_set(typed, stretch).rating is Rating.Good, typed
    assert grade_set("abduction", stretch).rating is Rating.Again  # its own action shortens it


def test_same_answer_same_rating(cards: dict[str, Card]) -> None:
    answer_set = cards["tibialis-anterior/antagonists"].answer_set
    assert answer_set is not None
    assert {grade_set("soleus and gastroc, plantaris", answer_set) for _ in range(3)} == {
        grade_set("plantaris, gastrocnemius, soleus", answer_set)
    }


def test_a_set_answer_in_a_real_terminal(tmp_path: Path) -> None:
    db = tmp_path / "reviews.sqlite3"
    env = {"MYODECK_DB": str(db), "MYODECK_NOW": "2026-11-25T09:00:00+00:00", "NO_COLOR": "1", "TERM": "xterm"}
    args = ["quiz", "--muscle", "gluteus-medius", "--topic", "movers", "--new", "1"]
    term = VirtualTerminal(args, 40, 100, env, tmp_path)
    prompt = "Your answer (names, commas between; Enter alone: skip{}, f flag, q quit):"
    screen = term.wait_for(prompt.format(""))
    assert "Which muscles abduct the hip?" in screen
    assert "Name the muscles: prime movers; assistants earn credit." in screen
    term.send("glute med, piriformis and hamstrings\r")
    screen = term.wait_for("[Enter] accept")
    typed = prompt.format("") + " glute med, piriformis and hamstrings"
    assert typed in " ".join(screen.split())  # what was typed stays on the screen (wrapped at 100 columns)
    for line in (
        "✓ Named: Gluteus medius",
        "✗ Missing: Gluteus minimus, Tensor fasciae latae",
        "+ Credited: Piriformis",
        "✗ Not right: hamstrings",
        "1 of 3 required, 1 of 3 credited, 1 wrong → Again",
        "Prime movers: Gluteus medius, Gluteus minimus, Tensor fasciae latae",
    ):
        assert line in screen, (line, screen)
    assert "[Enter] accept (Again 1m)   [1] Again 1m   [2] Hard" in screen
    term.send("2")  # the student overrules: Hard
    screen = term.wait_for("Saved · next review in")
    assert prompt.format(", u undo") in screen.splitlines()  # Hard keeps it in learning: it comes back, untyped
    term.child.sendcontrol("c")
    term.finish()
    with sqlite3.connect(db) as connection:
        rows = connection.execute("SELECT card_key, rating, answer_mode, answer FROM review_log").fetchall()
    assert rows == [("movers/hip-abduction", 2, "typed", "glute med, piriformis and hamstrings")]


def test_every_card_accepts_its_own_answer_in_any_form(cards: dict[str, Card]) -> None:
    """Each required item by its name, by each other accepted form, and the names in reverse order."""
    for card in cards.values():
        answer_set = card.answer_set
        assert answer_set is not None
        names = [item.name for item in answer_set.required]
        assert grade_set(", ".join(names), answer_set).rating is Rating.Good, card.key
        assert grade_set("; ".join(reversed(names)), answer_set).missing == (), card.key
        every = answer_set.required + answer_set.credited
        for item in answer_set.required:
            # a form two muscles share ('medial hamstring') names the first not yet named: tested below
            for form in (f for f in item.forms if sum(f in other.forms for other in every) == 1):
                assert item.name in grade_set(form, answer_set).named, (card.key, form)


def test_a_name_two_muscles_share_counts_for_each_time_it_is_given(cards: dict[str, Card]) -> None:
    answer_set = cards["movers/hip-extension"].answer_set
    assert answer_set is not None
    assert grade_set("medial hamstring", answer_set).named == ("Semimembranosus",)
    assert grade_set("medial hamstring, medial hamstring", answer_set).named == ("Semimembranosus", "Semitendinosus")


def test_antagonists_are_prime_movers_of_the_opposite_and_never_the_muscle_itself(
    facts: Facts, cards: dict[str, Card]
) -> None:
    by_name = {m.name: m for m in facts.muscles}
    asked = [card for card in cards.values() if card.kind is CardKind.ANTAGONISTS]
    assert asked and "dorsal-and-plantar-interossei/antagonists" not in cards
    for card in asked:
        muscle = facts.muscle(card.muscle_id)
        required, credited = names(card)
        assert muscle.name not in required + credited, card.key
        movement = next(m for m in muscle.movements(Role.PRIME) if m.name in card.front)
        opposite = movement.opposite()
        assert opposite is not None and opposite not in muscle.movements()
        assert all(opposite in by_name[name].movements(Role.PRIME) for name in required), card.key
