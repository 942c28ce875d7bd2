"""The phone class's rules, through its core API with a pinned clock: joining, one answer each,
locking, reconnecting, scoring (plain, --speed, --streaks, team means) and the per-student CSV."""

from __future__ import annotations

import csv
import io
import json

import pytest

from decks.cards import CardKind
from quiz.class_session import ClassResults, Outcome, Scored
from quiz.classroom import ClassQuestion
from quiz.phones.game import MAX_NAME, PhoneGame, Refused, Rules, clean_name


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def question(key: str, correct: int = 1) -> ClassQuestion:
    return ClassQuestion(key, CardKind.INNERVATION, f"Which nerve ({key})?", ("N1", "N2", "N3", "N4"), correct, "N2.")


def game(clock: Clock, rules: Rules | None = None, teams: tuple[str, ...] = ("Red", "Blue")) -> PhoneGame:
    return PhoneGame(rules or Rules(seconds=20), teams, 3, clock)


@pytest.mark.parametrize(
    ("name", "team", "message"),
    [
        ("   ", "", "Type your name (up to 24 characters)."),
        (42, "", "Type your name (up to 24 characters)."),
        ("\x1b\x07\u200b", "", "Type your name (up to 24 characters)."),
        ("ANA", "", "ANA has joined already: add an initial."),
        ("Ben", "Green", "Choose one of the teams."),
    ],
)
def test_joins_refused(name: object, team: object, message: str) -> None:
    g = game(Clock())
    g.join("Ana", "Red")
    with pytest.raises(Refused) as refused:
        g.join(name, team)
    assert str(refused.value) == message


def test_names_are_cleaned_and_bounded() -> None:
    assert clean_name("  Ana\x00 \u200b  María\n\t ") == "Ana María"
    assert clean_name("x" * 1000) == "x" * MAX_NAME
    assert (
        clean_name("<script>alert(1)</script>") == "<script>alert(1)</script"
    )  # kept as text: the pages never parse names as HTML


def test_one_answer_each_locked_at_the_deadline_and_only_for_players() -> None:
    clock = Clock()
    g = game(clock)
    ana, ben = g.join("Ana", "Red"), g.join("Ben", "Blue")
    with pytest.raises(Refused, match="Answers are closed"):
        g.answer(ana.token, 1, 1)  # nothing asked yet
    g.open(1, question("q1"))
    clock.now += 2.5
    assert g.answer(ana.token, 1, 1).milliseconds == 2500
    for token, number, choice, message in [
        (ana.token, 1, 2, "You have answered already."),
        ("stranger", 1, 1, "Join first."),
        (ben.token, 2, 1, "Answers are closed."),
        (ben.token, 1, 4, "Choose A, B, C or D."),
        (ben.token, 1, True, "Choose A, B, C or D."),
    ]:
        with pytest.raises(Refused) as refused:
            g.answer(token, number, choice)
        assert str(refused.value) == message
    clock.now += 17.6  # past the 20 s countdown
    with pytest.raises(Refused, match="Time is up"):
        g.answer(ben.token, 1, 1)
    assert g.histogram() == [0, 1, 0, 0]


def test_paused_time_is_not_counted_and_answers_wait() -> None:
    clock = Clock()
    g = game(clock)
    ana = g.join("Ana", "")
    g.open(1, question("q1"))
    clock.now += 3
    g.countdown(None)  # paused
    with pytest.raises(Refused, match="Answers are closed"):
        g.answer(ana.token, 1, 1)
    clock.now += 60
    g.countdown(17)  # resumed
    clock.now += 1
    assert g.answer(ana.token, 1, 1).milliseconds == 4000


def test_a_reconnecting_phone_keeps_its_player_and_score() -> None:
    clock = Clock()
    g = game(clock)
    ana = g.join("Ana", "Red")
    g.open(1, question("q1"))
    g.answer(ana.token, 1, 1)
    g.reveal()
    again = g.player(ana.token)  # the token the phone kept in localStorage
    assert again is ana
    message = json.loads(g.phone_message(ana.token))
    assert message["type"] == "state"
    assert {k: message["view"][k] for k in ("name", "team", "score", "chosen", "right", "place")} == {
        "name": "Ana",
        "team": "Red",
        "score": "1",
        "chosen": 1,
        "right": True,
        "place": 1,
    }
    assert g.player("forged") is None


def test_scores_plain_speed_streaks_and_team_means() -> None:
    clock = Clock()
    g = game(clock, Rules(seconds=20, speed=True, streaks=True))
    ana, ben, cy = g.join("Ana", "Red"), g.join("Ben", "Red"), g.join("Cy", "Blue")
    for number in (1, 2):
        g.open(number, question(f"q{number}"))
        g.answer(ana.token, number, 1)  # at once: full points
        clock.now += 10
        g.answer(cy.token, number, 1)  # half the time: 0.75
        g.answer(ben.token, number, 0)  # wrong
        scored = g.reveal()
    # Question 2: Ana 1 + 0.1 (one right before), Cy 0.75 + 0.1.
    assert (ana.score, ben.score, cy.score) == (2.1, 0.0, 1.6)
    assert scored.points == {"Red": 0.55, "Blue": 0.85}
    assert scored.outcomes == {"Red": Outcome.CORRECT, "Blue": Outcome.CORRECT}
    assert g.team_scores() == [("Blue", 1.6, 1), ("Red", 1.05, 2)]
    assert [(place, p.name) for place, p in g.ranking()] == [(1, "Ana"), (2, "Cy"), (3, "Ben")]


def test_asking_again_rescores_instead_of_adding() -> None:
    clock = Clock()
    g = game(clock)
    ana = g.join("Ana", "Red")
    g.open(1, question("q1"))
    g.answer(ana.token, 1, 1)
    g.reveal()
    g.open(1, question("q1"))  # back to question 1, asked again: this time wrong
    g.answer(ana.token, 1, 3)
    g.reveal()
    assert ana.score == 0


def test_ties_share_a_place() -> None:
    clock = Clock()
    g = game(clock, teams=("Class",))
    players = [g.join(name, "") for name in ("Cy", "Ana", "Ben")]
    g.open(1, question("q1"))
    g.answer(players[0].token, 1, 1)
    g.answer(players[1].token, 1, 1)
    g.reveal()
    assert [(place, p.name) for place, p in g.ranking()] == [(1, "Ana"), (1, "Cy"), (3, "Ben")]
    assert g.team_scores() == []  # one team: nothing to rank


def test_results_csv_one_row_per_student_and_question() -> None:
    clock = Clock()
    g = game(clock)
    ana = g.join("Ana", "Red")
    g.join("=cmd()", "Blue")  # a name a spreadsheet would run as a formula
    results = ClassResults(("Red", "Blue"))
    q1, q2 = question("q1"), question("q2", correct=3)
    g.open(1, q1)
    clock.now += 1.234
    g.answer(ana.token, 1, 1)
    results.scored[1] = g.reveal()
    results.scored[2] = Scored(q2, dict.fromkeys(("Red", "Blue"), Outcome.SKIPPED), 0.0)  # skipped: no rows
    rows = list(csv.reader(io.StringIO(g.results_csv(results, seed=7, date="2026-12-05"))))
    assert rows == [
        [
            "date",
            "seed",
            "number",
            "question_key",
            "prompt",
            "correct_answer",
            "student",
            "team",
            "chosen",
            "correct",
            "milliseconds",
            "points",
        ],
        ["2026-12-05", "7", "1", "q1", "Which nerve (q1)?", "B) N2", "'=cmd()", "Blue", "", "no", "", "0"],
        ["2026-12-05", "7", "1", "q1", "Which nerve (q1)?", "B) N2", "Ana", "Red", "B", "yes", "1234", "1"],
        ["2026-12-05", "7", "", "TOTAL", "place 1", "", "Ana", "Red", "", "", "", "1"],
        ["2026-12-05", "7", "", "TOTAL", "place 2", "", "'=cmd()", "Blue", "", "", "", "0"],
        ["2026-12-05", "7", "", "TEAM", "1 student", "", "", "Red", "", "", "", "1"],
        ["2026-12-05", "7", "", "TEAM", "1 student", "", "", "Blue", "", "", "", "0"],
    ]


def test_join_address_and_its_warning() -> None:
    from quiz.phones.join import join_address

    lan = join_address("192.168.1.20", 8765, "K7QX3P")  # listening there only: the projector page too
    assert (lan.url, lan.screen_url, lan.warning) == (
        "http://192.168.1.20:8765/?code=K7QX3P",
        "http://192.168.1.20:8765/screen?code=K7QX3P",
        None,
    )
    everywhere = join_address("0.0.0.0", 8765, "K7QX3P")
    assert everywhere.screen_url == "http://127.0.0.1:8765/screen?code=K7QX3P"
    ipv6 = join_address("::1", 8765, "K7QX3P")
    assert (ipv6.url, ipv6.warning) == ("http://[::1]:8765/?code=K7QX3P", "Only this computer can join (--host)")
    local = join_address("127.0.0.1", 8765, "K7QX3P")
    assert (local.url, local.warning) == ("http://127.0.0.1:8765/?code=K7QX3P", "Only this computer can join (--host)")
