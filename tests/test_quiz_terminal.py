"""`myodeck quiz` driven in a pseudo-terminal, as a student uses it: keys, typing, Ctrl-C."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import sys
from pathlib import Path

import pexpect
import pytest

NOW = "2026-11-25T09:00:00+00:00"


def spawn(args: list[str], db: Path, tmp_path: Path) -> pexpect.spawn:
    exe = shutil.which("myodeck", path=str(Path(sys.executable).parent))
    assert exe
    env = {**os.environ, "MYODECK_DB": str(db), "MYODECK_NOW": NOW, "NO_COLOR": "1", "TERM": "xterm"}
    child = pexpect.spawn(exe, ["quiz", *args], cwd=str(tmp_path), env=env, encoding="utf-8", timeout=20)
    child.setwinsize(40, 100)
    return child


def answers(db: Path) -> list[tuple[str, int, str, str | None]]:
    with sqlite3.connect(db) as connection:
        return connection.execute("SELECT card_key, rating, answer_mode, answer FROM review_log ORDER BY id").fetchall()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "reviews.sqlite3"


def test_each_answer_mode_in_a_real_terminal(db: Path, tmp_path: Path) -> None:
    child = spawn(
        ["--muscle", "gastrocnemius", "--topic", "innervation", "--topic", "referral", "--new", "3"], db, tmp_path
    )
    child.expect_exact("── 1 · innervation · new · left: 2 new · 0 learning · 0 due ──")
    child.expect_exact("Your answer (Enter alone: skip, f flag, q quit): ")
    child.sendline("tibial nerv")
    child.expect_exact("✓ Correct")
    child.expect_exact("[Enter] accept (Good 10m)   [o] overrule (Again 1m)")
    child.send("\r")
    child.expect_exact("── 2 · referral · new · left: 1 new · 1 learning · 0 due ──")
    child.expect_exact("where is its essential pain zone?")
    child.expect(r"  d\) [^\r\n\x1b]*\x1b")  # a line of the screen ends where the cursor moves
    choices = dict(re.findall(r"  ([a-d])\) ([^\r\n\x1b]*)", child.before + child.after))
    right = next(letter for letter, text in choices.items() if text == "instep: the inner arch of the sole")
    child.send(right)
    child.expect_exact("✓ Correct")
    child.expect_exact("█")  # the full diagram on the answer side
    child.send("\r")
    child.expect_exact("── 3 · referral · new · left: 0 new · 2 learning · 0 due ──")
    child.send("q")
    child.expect_exact("Stopped early.\r\n2 answers saved, 2 remembered.")
    child.expect(pexpect.EOF)
    assert answers(db) == [
        ("gastrocnemius/innervation", 3, "typed", "tibial nerv"),
        ("gastrocnemius/trp1/referral", 3, "choice", "instep: the inner arch of the sole"),
    ]


def test_ctrl_c_keeps_every_answer_and_the_next_quiz_continues(db: Path, tmp_path: Path) -> None:
    child = spawn(["--muscle", "soleus", "--topic", "attachments", "--new", "4"], db, tmp_path)
    for number, rating in ((1, "3"), (2, "1")):
        child.expect_exact(
            f"── {number} · attachments · new · left: {4 - number} new · {number - 1} learning · 0 due ──"
        )
        child.expect_exact("[space] show answer")
        child.send(" ")
        child.expect_exact("[4] Easy")
        child.send(rating)
    child.expect_exact("── 3 · attachments · new · left: 1 new · 2 learning · 0 due ──")
    child.expect_exact("Saved · next review in")  # the last answer's, on the next card's screen
    child.expect_exact("[space] show answer")
    child.sendintr()
    child.expect_exact("Stopped early.\r\n2 answers saved, 1 remembered.")
    child.expect(pexpect.EOF)
    first = answers(db)
    assert [(key, rating) for key, rating, _, _ in first] == [
        ("soleus/origin/fibular-part", 3),
        ("soleus/origin/tibial-part", 1),
    ]
    # Same clock: the two cards being learnt wait for their steps, so the next quiz starts with the next new card.
    child = spawn(["--muscle", "soleus", "--topic", "attachments", "--new", "4"], db, tmp_path)
    child.expect_exact("── 1 · attachments · new · left: 1 new · 2 learning · 0 due ──")
    child.expect_exact("Soleus — origin of the tendinous arch")
    child.send(" ")
    child.expect_exact("[4] Easy")
    child.send("4")
    child.expect_exact("── 2 · attachments · new · left: 0 new · 2 learning · 0 due ──")
    child.send("q")
    child.expect(pexpect.EOF)
    assert len(answers(db)) == 3 and answers(db)[:2] == first


def test_a_failed_card_comes_back_until_it_is_remembered(db: Path, tmp_path: Path) -> None:
    child = spawn(["--muscle", "soleus", "--topic", "attachments", "--new", "1"], db, tmp_path)
    child.expect_exact("── 1 · attachments · new · left: 0 new · 0 learning · 0 due ──")
    child.send(" ")
    child.expect_exact("[1] Again 1m")
    child.send("1")
    # Its one-minute step is within the learn-ahead limit and nothing else is left: asked again now.
    child.expect_exact("── 2 · attachments · learning · left: 0 new · 0 learning · 0 due ──")
    child.expect_exact("Saved · next review in 1m")
    child.send(" ")
    child.expect_exact("[3] Good 10m")
    child.send("3")
    child.expect_exact("── 3 · attachments · learning · left: 0 new · 0 learning · 0 due ──")
    child.send(" ")
    child.expect_exact("[3] Good 1d")
    child.send("3")
    child.expect_exact("3 answers saved, 2 remembered.")
    child.expect_exact("Next card due in 1d.")
    child.expect(pexpect.EOF)
    assert [rating for _, rating, _, _ in answers(db)] == [1, 3, 3]
