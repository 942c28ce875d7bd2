"""`myodeck quiz` as a study tool, in a pseudo-terminal: undo, flags, siblings apart, choosing cards,
cram and mistakes, over simulated days (MYODECK_NOW)."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from virtual_terminal import VirtualTerminal, end_quiz

from decks.cli import main

DAY1 = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)
SELF_RATED = ("--topic", "attachments", "--topic", "actions", "--topic", "symptoms", "--topic", "activators")


def spawn(args: list[str], db: Path, now: dt.datetime = DAY1) -> VirtualTerminal:
    env = {"MYODECK_DB": str(db), "MYODECK_NOW": now.isoformat(), "NO_COLOR": "1", "TERM": "xterm"}
    return VirtualTerminal(["quiz", "--images", "none", *args], 24, 80, env, db.parent)


def rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as connection:
        return connection.execute(sql).fetchall()


def question_shown(term: VirtualTerminal) -> str:
    """Wait for a self-rated card's question screen (its answer and rating keys not shown yet)."""
    return term.wait_for("[space] show answer", absent=("[4] Easy",))


def rate(term: VirtualTerminal, key: str) -> None:
    """Show the answer of a self-rated card and rate it."""
    question_shown(term)
    term.send(" ")
    screen = term.wait_for("[4] Easy")
    lines = screen.splitlines()
    buttons = next(i for i, line in enumerate(lines) if "[4] Easy" in line)
    assert lines[buttons + 1].startswith("f flag"), screen  # the keys that work everywhere, under the ratings
    term.send(key)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "reviews.sqlite3"


def test_undo_at_the_next_question_and_at_the_next_rating_restores_the_card(db: Path) -> None:
    term = spawn(["--muscle", "soleus", "--topic", "attachments", "--new", "2"], db)
    term.wait_for("Soleus — origin of the fibular part")
    rate(term, "4")  # Easy: in review, due in days
    screen = term.wait_for("Saved · next review in", "Soleus — origin of the tibial part")
    assert "[space] show answer · f flag · u undo · q quit" in screen
    term.send("u")  # at the next question's prompt
    screen = term.wait_for(
        "Undone: your answer to soleus/origin/fibular-part is taken back; it is asked again.", flat=True
    )
    assert screen.splitlines()[0] == "── 1 · attachments · new · left: 1 new · 0 learning · 0 due ──"
    assert "Soleus — origin of the fibular part" in screen
    rate(term, "3")  # Good this time: learning, 10 minutes
    term.wait_for("Saved · next review in 10m", "Soleus — origin of the tibial part")
    term.send(" ")
    screen = term.wait_for("[4] Easy")
    assert "f flag · u undo · q quit" in screen.splitlines()  # the line under the ratings
    term.send("u")  # at the next card's rating prompt
    screen = term.wait_for("Undone: your answer to soleus/origin/fibular-part is taken back", flat=True)
    assert "Soleus — origin of the fibular part" in screen
    rate(term, "1")
    term.wait_for("Saved · next review in 1m", "Soleus — origin of the tibial part")
    term.send("q")
    assert "Stopped early.\n1 answer saved, 0 remembered." in term.finish()
    # The log keeps every answer; the undone ones are marked, and the card's state is the last one's.
    assert rows(db, "SELECT card_key, rating, undone_at IS NOT NULL FROM review_log ORDER BY id") == [
        ("soleus/origin/fibular-part", 4, 1),
        ("soleus/origin/fibular-part", 3, 1),
        ("soleus/origin/fibular-part", 1, 0),
    ]
    assert rows(db, "SELECT card_key, state, step FROM card_state") == [("soleus/origin/fibular-part", "learning", 0)]


def test_the_last_answer_of_a_session_is_undone_at_its_end_screen(db: Path) -> None:
    term = spawn(["--muscle", "soleus", "--topic", "attachments", "--new", "1"], db)
    rate(term, "4")
    screen = term.wait_for("── End of session · 1 answer ──", "[Enter] end · u undo your last answer (", flat=True)
    assert "Saved · next review in" in screen and "No more cards due now." in screen
    key = rows(db, "SELECT card_key FROM review_log")[0][0]
    assert f"({key})" in " ".join(screen.split())
    term.send("u")
    screen = term.wait_for(f"Undone: your answer to {key} is taken back; it is asked again.", flat=True)
    assert screen.startswith("── 1 · attachments · new ·")  # asked again, as the new card it was
    assert rows(db, "SELECT undone_at IS NOT NULL FROM review_log") == [(1,)]
    assert rows(db, "SELECT COUNT(*) FROM card_state") == [(0,)]
    rate(term, "3")
    term.wait_for("── 2 · attachments · learning")  # Good on a new card: its 10-minute step comes back
    rate(term, "3")
    screen = end_quiz(term)
    assert "2 answers saved, 2 remembered." in screen and "Stopped early" not in screen
    assert rows(db, "SELECT rating, undone_at IS NOT NULL FROM review_log ORDER BY id") == [(4, 1), (3, 0), (3, 0)]


def test_in_cram_the_last_answer_is_undone_at_the_end_screen_too(db: Path) -> None:
    term = spawn(["--muscle", "soleus", "--topic", "attachments", "--cram", "--limit", "1"], db)
    rate(term, "1")  # Again: in cram, asked again a few cards later, here at once
    rate(term, "3")
    term.wait_for("── End of session · 2 answers ──", "u undo your last answer")
    term.send("u")
    screen = term.wait_for("is taken back; it is asked again.", flat=True)
    assert "· cram, not saved ·" in screen.splitlines()[0]
    rate(term, "4")
    assert "Cram: 2 answers, 1 remembered; nothing was saved to your schedule." in end_quiz(term)
    assert rows(db, "SELECT COUNT(*) FROM review_log") == [(0,)]


def test_keys_typed_ahead_are_each_taken_but_a_paste_answers_nothing(db: Path) -> None:
    """Space then 3 arriving together (typed while the quiz was busy) show the answer and rate it; a
    command pasted by mistake is ignored whole, and so is an arrow key."""
    term = spawn(["--muscle", "soleus", "--topic", "attachments", "--new", "2"], db)
    question_shown(term)
    term.send(" 3")  # one write: both keys in one read
    term.wait_for("Saved · next review in 10m", "Soleus — origin of the tibial part")
    term.send("cd ~ && myodeck stats 1\r")  # a paste: key by key, its space would show the answer, its 1 rate it
    term.send("\x1b[A")  # an arrow key: one key, that nothing takes
    term.send("x")  # a key the prompt ignores, read after the paste: the paste was read and dropped
    screen = question_shown(term)
    assert "Soleus — origin of the tibial part" in screen
    term.send(" 4")
    term.wait_for("Saved · next review in")
    term.send("q")
    term.finish()
    assert rows(db, "SELECT card_key, rating FROM review_log ORDER BY id") == [
        ("soleus/origin/fibular-part", 3),
        ("soleus/origin/tibial-part", 4),
    ]


def test_a_scripted_quiz_ends_at_the_end_of_its_input(db: Path, tmp_path: Path) -> None:
    """Keys from a pipe: the end screen reads the end of the input as Enter, and may undo with u like a terminal."""
    import subprocess
    import sys

    exe = Path(sys.executable).parent / "myodeck"
    args = [str(exe), "quiz", "--muscle", "soleus", "--topic", "attachments", "--new", "1", "--images", "none"]
    env = {"PATH": "/usr/bin:/bin", "MYODECK_DB": str(db), "MYODECK_NOW": DAY1.isoformat(), "NO_COLOR": "1"}
    env["HOME"] = str(tmp_path)
    done = subprocess.run(args, input=" 4u 4", capture_output=True, text=True, env=env, timeout=60, check=False)
    assert done.returncode == 0 and done.stderr == "", done.stderr
    assert done.stdout.count("── End of session · 1 answer ──") == 2
    assert done.stdout.endswith("1 answer saved, 1 remembered.\nNext card due in 8d.\n"
                                "Left today: 3 new (of 20 a day), 0 due.\n"), done.stdout  # fmt: skip
    assert rows(db, "SELECT rating, undone_at IS NOT NULL FROM review_log ORDER BY id") == [(4, 1), (4, 0)]


def test_undoing_a_first_answer_makes_the_card_new_again_and_frees_its_daily_slot(db: Path) -> None:
    term = spawn(["--muscle", "soleus", "--topic", "attachments", "--new", "1", "--new-per-day", "1"], db)
    rate(term, "4")
    screen = end_quiz(term)  # the one new card allowed today: the session ends
    assert "Saved · next review in" in screen and "1 answer saved, 1 remembered." in screen
    term = spawn(["--muscle", "soleus", "--topic", "attachments", "--new", "1", "--new-per-day", "2"], db)
    rate(term, "3")
    term.wait_for("Saved · next review in 10m", "u undo")
    term.send("u")
    screen = term.wait_for("Undone: your answer to soleus/origin/tibial-part", flat=True)
    assert screen.startswith("── 1 · attachments · new ·")
    term.send("q")
    term.finish()
    assert rows(db, "SELECT card_key FROM card_state") == [("soleus/origin/fibular-part",)]
    assert rows(db, "SELECT COUNT(*), SUM(undone_at IS NOT NULL) FROM review_log") == [(2, 1)]


def test_siblings_are_never_back_to_back_and_new_cards_interleave_muscles_and_topics(db: Path) -> None:
    term = spawn(["--group", "leg", *SELF_RATED, "--new", "12"], db)
    for _ in range(12):
        rate(term, "4")
    assert "12 answers saved, 12 remembered." in end_quiz(term)
    keys = [key for (key,) in rows(db, "SELECT card_key FROM review_log ORDER BY id")]
    muscles = [key.split("/")[0] for key in keys]
    assert all(a != b for a, b in itertools.pairwise(muscles)), keys
    assert len(set(muscles)) == 3  # three muscles at a time, in teaching order
    kinds = [key.split("/")[1] for key in keys]
    assert all(a != b for a, b in itertools.pairwise(kinds)), keys


def test_group_compartment_and_region_choose_the_cards(db: Path) -> None:
    term = spawn(["--group", "LEG", "--compartment", "Posterior Superficial", "--topic", "innervation"], db)
    for number in range(1, 4):
        screen = term.wait_for(f"── {number} · innervation · new ·", "Your answer")
        asked = re.search(r"^(\w+) — which nerve", screen, re.M)
        assert asked and asked.group(1) in {"Gastrocnemius", "Soleus", "Plantaris"}, screen
        assert re.search(r"^Your answer \(Enter alone: skip, (u undo, )?f flag, q quit\):$", screen, re.M), screen
        term.send("tibial nerve\r")
        screen = term.wait_for("[Enter] accept")
        assert "✓ Correct" in screen.splitlines()
        term.send("\r")
    term.wait_for("── 4 · innervation · learning ·")  # Good on a new card: its 10-minute step comes back
    term.send("q\r")  # typed alone, q quits
    assert "3 answers saved, 3 remembered." in term.finish()
    term = spawn(["--region", "heel", "--topic", "referral", "--new", "20"], db)
    # the 5 trigger points in or referring to a heel region, one being asked
    screen = term.wait_for("left: 4 new", "where is its essential pain zone")
    muscles = {"Abductor hallucis", "Fibularis tertius", "Quadratus plantae", "Soleus", "Tibialis posterior"}
    asked = re.search(r"^([A-Z][a-z ]+), TrP1 — where is its essential pain zone", screen, re.M)
    assert asked and asked.group(1) in muscles, screen
    term.send("q")
    term.finish()


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (["--group", "legg"], "Error: unknown group 'legg' (did you mean 'leg'?); `myodeck muscles` lists them"),
        (
            ["--compartment", "posterior-superfical"],
            "Error: unknown compartment 'posterior-superfical' (did you mean 'posterior-superficial'?); "
            "`myodeck muscles` lists them",
        ),
        (["--region", "heal"], "Error: unknown region 'heal' (did you mean 'heel-back' or 'heel-plantar'?); "),
        (
            ["--group", "foot", "--compartment", "gluteal"],
            "Error: no cards match the chosen --muscle, --group, --compartment, --region and --topic",
        ),
    ],
)
def test_an_unknown_filter_value_names_the_command_that_lists_them(db: Path, option: list[str], message: str) -> None:
    result = CliRunner().invoke(main, ["quiz", "--db", str(db), *option])
    assert result.exit_code == 1
    assert result.output.startswith(message), result.output


def answer_day_one(db: Path) -> None:
    """Soleus's four attachment cards: the first and third answered Again, the others Easy."""
    term = spawn(["--muscle", "soleus", "--topic", "attachments", "--new", "4"], db)
    for key in "1414":
        rate(term, key)
    term.send("q")
    term.finish()


def test_cram_reviews_without_changing_the_schedule(db: Path) -> None:
    answer_day_one(db)
    before = rows(db, "SELECT * FROM card_state ORDER BY card_key"), rows(db, "SELECT * FROM review_log")
    term = spawn(["--muscle", "soleus", "--topic", "attachments", "--cram"], db, DAY1 + dt.timedelta(days=1))
    screen = term.wait_for("Cram: answers are not saved, and your schedule does not change.")
    assert "· cram, not saved ·" in screen.splitlines()[0]
    term.send(" ")
    screen = term.wait_for("[4] Easy")
    assert "[1] Again   [2] Hard   [3] Good   [4] Easy" in screen.splitlines()  # no intervals: nothing is scheduled
    term.send("1")
    assert "Not saved (cram) · asked again in a few cards" in question_shown(term)
    for number in range(4):
        rate(term, "3")
        screen = end_quiz(term) if number == 3 else question_shown(term)
        assert "Not saved (cram)" in screen.splitlines()
    assert "Cram: 5 answers, 4 remembered; nothing was saved to your schedule." in screen
    assert (rows(db, "SELECT * FROM card_state ORDER BY card_key"), rows(db, "SELECT * FROM review_log")) == before


def test_mistakes_studies_the_cards_answered_wrong(db: Path) -> None:
    answer_day_one(db)
    term = spawn(["--mistakes"], db, DAY1 + dt.timedelta(days=1))
    asked = []
    for _ in range(2):
        screen = question_shown(term)
        question = re.search(r"^(Soleus — .*)$", screen, re.M)
        assert question, screen
        asked.append(question.group(1))
        term.send(" ")
        term.wait_for("[4] Easy")
        term.send("4")
    assert "2 answers saved, 2 remembered." in end_quiz(term)
    missed = rows(db, "SELECT DISTINCT card_key FROM review_log WHERE rating = 1")
    assert len(missed) == 2 and len(set(asked)) == 2
    result = CliRunner().invoke(main, ["quiz", "--db", str(db), "--mistakes", "--muscle", "gastrocnemius"])
    assert result.exit_code == 1
    assert result.output == "Error: no mistakes to study: no chosen card was answered Again in the last 7 days\n"


def test_a_flagged_card_is_listed_by_stats_with_its_key(db: Path) -> None:
    term = spawn(["--muscle", "gastrocnemius", "--topic", "referral", "--new", "1"], db)
    term.wait_for("a–d choose · f flag · q quit")  # noqa: RUF001
    term.send("f")
    term.wait_for("What is wrong with this card? (Enter alone: flag it without a comment)")
    term.send("the zone misses the back of the knee\r")
    term.wait_for("Flagged gastrocnemius/trp1/referral for your instructor", flat=True)
    term.send("q")
    term.finish()
    env = {"MYODECK_NOW": DAY1.isoformat()}
    text = CliRunner().invoke(main, ["stats", "--db", str(db)], env=env).output
    assert (
        "Flagged cards (1):\n  Gastrocnemius, TrP1 — where does it refer pain? (gastrocnemius/trp1/referral)"
        " · 2026-11-25 · “the zone misses the back of the knee”\n"
    ) in text
    data = json.loads(CliRunner().invoke(main, ["stats", "--db", str(db), "--json"], env=env).output)
    assert data["flagged"] == [
        {
            "card": {
                "card_key": "gastrocnemius/trp1/referral",
                "muscle": "Gastrocnemius",
                "question": "Gastrocnemius, TrP1 — where does it refer pain?",
            },
            "flagged_at": "2026-11-25T09:00:00+00:00",
            "comment": "the zone misses the back of the knee",
        }
    ]


def test_quiz_help_lists_every_key() -> None:
    text = CliRunner().invoke(main, ["quiz", "--help"]).output
    for key in ("space/Enter", "1 2 3 4", "a b c d", "Enter / o", "u ", "f ", "q, Ctrl-C", "Enter alone skips"):
        assert key in text, key


def study(db: Path, now: dt.datetime, new: int, per_day: int) -> tuple[int, bool, str]:
    """One quiz as a student takes it: fail the first card, undo the third answer, rate the rest Good or Easy."""
    args = ["--group", "leg", *SELF_RATED, "--new", str(new)]
    term = spawn([*args, "--new-per-day", str(per_day)], db, now)

    def question_or_end(screen: str) -> bool:
        return ("[space] show answer" in screen and "[4] Easy" not in screen) or "── End of session" in screen

    answered, undone = 0, False
    screen = term.wait_until(question_or_end)
    while "── End of session" not in screen:
        if answered == 2 and not undone:
            term.send("u")
            screen = term.wait_for("is taken back; it is asked again.", flat=True)
            undone, answered = True, answered - 1
            continue
        term.send(" ")
        term.wait_for("[4] Easy")
        term.send("1" if answered == 0 else "34"[answered % 2])
        screen = term.wait_until(question_or_end)
        assert "Saved · next review in" in screen, screen
        answered += 1
    screen = end_quiz(term)
    summary = re.search(r"Left today: .*", screen)
    assert summary, screen
    return answered, undone, summary.group()


def test_a_simulated_week_of_study(db: Path) -> None:
    """Twice a day for a week: the daily new-card limit holds across quizzes, a failed card comes back in its
    session, and undo keeps the log whole."""
    undos = 0
    for day in range(7):
        morning = DAY1 + dt.timedelta(days=day)
        for now in (morning, morning + dt.timedelta(hours=8)):
            answered, undone, summary = study(db, now, new=4, per_day=6)
            undos += undone
            assert answered >= 1, (day, summary)
        assert summary == "Left today: 0 new (of 6 a day), 0 due.", day
        first_today = rows(
            db,
            f"""SELECT COUNT(DISTINCT card_key) FROM review_log WHERE prior_state = 'new'
                AND undone_at IS NULL AND reviewed_at >= '{morning.date().isoformat()}'""",
        )
        assert first_today == [(6,)], day  # 4 in the morning, the 2 the limit leaves in the afternoon
    assert rows(db, "SELECT COUNT(*) FROM review_log WHERE undone_at IS NOT NULL") == [(undos,)]
    assert undos >= 7
    # The clock is pinned within a quiz, so an answer given later in the same quiz has the same time.
    failed_not_back = rows(
        db,
        """SELECT COUNT(*) FROM review_log AS failed WHERE failed.rating = 1 AND failed.undone_at IS NULL
           AND NOT EXISTS (SELECT 1 FROM review_log AS later WHERE later.card_key = failed.card_key
                           AND later.id > failed.id AND later.reviewed_at = failed.reviewed_at
                           AND later.undone_at IS NULL)""",
    )
    assert failed_not_back == [(0,)]
