"""`myodeck quiz` as a study tool, in a pseudo-terminal: undo, flags, siblings apart, choosing cards,
cram and mistakes, over simulated days (MYODECK_NOW)."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import shutil
import sqlite3
import sys
from pathlib import Path

import pexpect
import pytest
from click.testing import CliRunner

from decks.cli import main

DAY1 = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)
SELF_RATED = ("--topic", "attachments", "--topic", "actions", "--topic", "symptoms", "--topic", "activators")


def spawn(args: list[str], db: Path, now: dt.datetime = DAY1) -> pexpect.spawn:
    exe = shutil.which("myodeck", path=str(Path(sys.executable).parent))
    assert exe
    env = {**os.environ, "MYODECK_DB": str(db), "MYODECK_NOW": now.isoformat(), "NO_COLOR": "1", "TERM": "xterm"}
    child = pexpect.spawn(exe, ["quiz", "--images", "none", *args], env=env, encoding="utf-8", timeout=20)
    child.setwinsize(24, 80)
    return child


def rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as connection:
        return connection.execute(sql).fetchall()


def rate(child: pexpect.spawn, key: str) -> None:
    """Show the answer of a self-rated card and rate it."""
    child.expect_exact("[space] show answer")
    child.send(" ")
    child.expect_exact("[4] Easy")
    child.expect_exact("f flag")
    child.send(key)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "reviews.sqlite3"


def test_undo_at_the_next_question_and_at_the_next_rating_restores_the_card(db: Path) -> None:
    child = spawn(["--muscle", "soleus", "--topic", "attachments", "--new", "2"], db)
    child.expect_exact("Soleus — origin of the fibular part")
    rate(child, "4")  # Easy: in review, due in days
    child.expect_exact("Saved · next review in")
    child.expect_exact("Soleus — origin of the tibial part")
    child.expect_exact("[space] show answer · f flag · u undo · q quit")
    child.send("u")  # at the next question's prompt
    child.expect_exact("Undone: your answer to soleus/origin/fibular-part is taken back; it is asked again.")
    child.expect_exact("── 1 · attachments · new · left: 1 new · 0 learning · 0 due ──")
    child.expect_exact("Soleus — origin of the fibular part")
    rate(child, "3")  # Good this time: learning, 10 minutes
    child.expect_exact("Saved · next review in 10m")
    child.expect_exact("Soleus — origin of the tibial part")
    child.send(" ")
    child.expect_exact("[4] Easy")
    child.expect_exact("\r\nf flag · u undo · q quit")
    child.send("u")  # at the next card's rating prompt
    child.expect_exact("Undone: your answer to soleus/origin/fibular-part is taken back")
    child.expect_exact("Soleus — origin of the fibular part")
    rate(child, "1")
    child.expect_exact("Saved · next review in 1m")
    child.expect_exact("Soleus — origin of the tibial part")
    child.send("q")
    child.expect_exact("Stopped early.\r\n1 answer saved, 0 remembered.")
    child.expect(pexpect.EOF)
    # The log keeps every answer; the undone ones are marked, and the card's state is the last one's.
    assert rows(db, "SELECT card_key, rating, undone_at IS NOT NULL FROM review_log ORDER BY id") == [
        ("soleus/origin/fibular-part", 4, 1),
        ("soleus/origin/fibular-part", 3, 1),
        ("soleus/origin/fibular-part", 1, 0),
    ]
    assert rows(db, "SELECT card_key, state, step FROM card_state") == [("soleus/origin/fibular-part", "learning", 0)]


def test_undoing_a_first_answer_makes_the_card_new_again_and_frees_its_daily_slot(db: Path) -> None:
    child = spawn(["--muscle", "soleus", "--topic", "attachments", "--new", "1", "--new-per-day", "1"], db)
    rate(child, "4")
    child.expect_exact("Saved · next review in")
    child.expect_exact("1 answer saved, 1 remembered.")  # the one new card allowed today: the session ends
    child.expect(pexpect.EOF)
    child = spawn(["--muscle", "soleus", "--topic", "attachments", "--new", "1", "--new-per-day", "2"], db)
    rate(child, "3")
    child.expect_exact("Saved · next review in 10m")
    child.expect_exact("u undo")
    child.send("u")
    child.expect_exact("Undone: your answer to soleus/origin/tibial-part")
    child.expect_exact("── 1 · attachments · new ·")
    child.send("q")
    child.expect(pexpect.EOF)
    assert rows(db, "SELECT card_key FROM card_state") == [("soleus/origin/fibular-part",)]
    assert rows(db, "SELECT COUNT(*), SUM(undone_at IS NOT NULL) FROM review_log") == [(2, 1)]


def test_siblings_are_never_back_to_back_and_new_cards_interleave_muscles_and_topics(db: Path) -> None:
    child = spawn(["--group", "leg", *SELF_RATED, "--new", "12"], db)
    for _ in range(12):
        rate(child, "4")
    child.expect_exact("12 answers saved, 12 remembered.")
    child.expect(pexpect.EOF)
    keys = [key for (key,) in rows(db, "SELECT card_key FROM review_log ORDER BY id")]
    muscles = [key.split("/")[0] for key in keys]
    assert all(a != b for a, b in itertools.pairwise(muscles)), keys
    assert len(set(muscles)) == 3  # three muscles at a time, in teaching order
    kinds = [key.split("/")[1] for key in keys]
    assert all(a != b for a, b in itertools.pairwise(kinds)), keys


def test_group_compartment_and_region_choose_the_cards(db: Path) -> None:
    child = spawn(["--group", "LEG", "--compartment", "Posterior Superficial", "--topic", "innervation"], db)
    for _ in range(3):
        child.expect(r"── \d · innervation · new ·[^\n]*\n(\w+) — which nerve")
        assert child.match.group(1) in {"Gastrocnemius", "Soleus", "Plantaris"}
        child.expect(r"Your answer \(Enter alone: skip, (u undo, )?f flag, q quit\): ")
        child.sendline("tibial nerve")
        child.expect_exact("✓ Correct\r\n")
        child.send("\r")
    child.expect_exact("── 4 · innervation · learning ·")  # Good on a new card: its 10-minute step comes back
    child.sendline("q")  # typed alone, q quits
    child.expect_exact("3 answers saved, 3 remembered.")
    child.expect(pexpect.EOF)
    child = spawn(["--region", "heel", "--topic", "referral", "--new", "20"], db)
    child.expect_exact("left: 4 new")  # the 5 trigger points in or referring to a heel region, one being asked
    muscles = {"Abductor hallucis", "Fibularis tertius", "Quadratus plantae", "Soleus", "Tibialis posterior"}
    child.expect(r"\n([A-Z][a-z ]+), TrP1 — where is its essential pain zone")
    assert child.match.group(1) in muscles
    child.send("q")
    child.expect(pexpect.EOF)


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
    child = spawn(["--muscle", "soleus", "--topic", "attachments", "--new", "4"], db)
    for key in "1414":
        rate(child, key)
    child.send("q")
    child.expect(pexpect.EOF)


def test_cram_reviews_without_changing_the_schedule(db: Path) -> None:
    answer_day_one(db)
    before = rows(db, "SELECT * FROM card_state ORDER BY card_key"), rows(db, "SELECT * FROM review_log")
    child = spawn(["--muscle", "soleus", "--topic", "attachments", "--cram"], db, DAY1 + dt.timedelta(days=1))
    child.expect_exact("Cram: answers are not saved, and your schedule does not change.")
    child.expect_exact("· cram, not saved ·")
    child.send(" ")
    child.expect_exact("[1] Again   [2] Hard   [3] Good   [4] Easy\r\n")  # no intervals: nothing is scheduled
    child.send("1")
    child.expect_exact("Not saved (cram) · asked again in a few cards")
    for _ in range(4):
        rate(child, "3")
        child.expect_exact("Not saved (cram)")
    child.expect_exact("Cram: 5 answers, 4 remembered; nothing was saved to your schedule.")
    child.expect(pexpect.EOF)
    assert (rows(db, "SELECT * FROM card_state ORDER BY card_key"), rows(db, "SELECT * FROM review_log")) == before


def test_mistakes_studies_the_cards_answered_wrong(db: Path) -> None:
    answer_day_one(db)
    child = spawn(["--mistakes"], db, DAY1 + dt.timedelta(days=1))
    asked = []
    for _ in range(2):
        child.expect(r"\n(Soleus — [^\r\n]*)\r\n")
        asked.append(child.match.group(1))
        child.expect_exact("[space] show answer")
        child.send(" ")
        child.expect_exact("[4] Easy")
        child.send("4")
    child.expect_exact("2 answers saved, 2 remembered.")
    child.expect(pexpect.EOF)
    missed = rows(db, "SELECT DISTINCT card_key FROM review_log WHERE rating = 1")
    assert len(missed) == 2 and len(set(asked)) == 2
    result = CliRunner().invoke(main, ["quiz", "--db", str(db), "--mistakes", "--muscle", "gastrocnemius"])
    assert result.exit_code == 1
    assert result.output == "Error: no mistakes to study: no chosen card was answered Again in the last 7 days\n"


def test_a_flagged_card_is_listed_by_stats_with_its_key(db: Path) -> None:
    child = spawn(["--muscle", "gastrocnemius", "--topic", "referral", "--new", "1"], db)
    child.expect_exact("a–d choose · f flag · q quit")  # noqa: RUF001
    child.send("f")
    child.expect_exact("What is wrong with this card? (Enter alone: flag it without a comment) ")
    child.sendline("the zone misses the back of the knee")
    child.expect_exact("Flagged gastrocnemius/trp1/referral for your instructor")
    child.send("q")
    child.expect(pexpect.EOF)
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
    child = spawn([*args, "--new-per-day", str(per_day)], db, now)
    answered, undone = 0, False
    while child.expect([r"\[space\] show answer[^\r\n]*\r\n", r"Left today: [^\r\n]*"]) == 0:
        if answered == 2 and not undone:
            child.send("u")
            child.expect_exact("is taken back; it is asked again.")
            undone, answered = True, answered - 1
            continue
        child.send(" ")
        child.expect_exact("[4] Easy")
        child.send("1" if answered == 0 else "34"[answered % 2])
        child.expect_exact("Saved · next review in")
        answered += 1
    summary = child.after
    child.expect(pexpect.EOF)
    return answered, undone, summary


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
