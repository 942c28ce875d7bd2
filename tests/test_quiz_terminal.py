"""`myodeck quiz` driven in a pseudo-terminal, as a student uses it: keys, typing, Ctrl-C."""

from __future__ import annotations

import os
import re
import sqlite3
import sys
from pathlib import Path

import pexpect
import pytest
from virtual_terminal import VirtualTerminal, end_quiz

NOW = "2026-11-25T09:00:00+00:00"


def terminal(args: list[str], db: Path, tmp_path: Path) -> VirtualTerminal:
    env = {"MYODECK_DB": str(db), "MYODECK_NOW": NOW, "NO_COLOR": "1", "TERM": "xterm"}
    return VirtualTerminal(["quiz", *args], 40, 100, env, tmp_path)


def answers(db: Path) -> list[tuple[str, int, str, str | None]]:
    with sqlite3.connect(db) as connection:
        return connection.execute("SELECT card_key, rating, answer_mode, answer FROM review_log ORDER BY id").fetchall()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "reviews.sqlite3"


def test_each_answer_mode_in_a_real_terminal(db: Path, tmp_path: Path) -> None:
    args = ["--muscle", "gastrocnemius", "--topic", "innervation", "--topic", "referral", "--new", "3"]
    term = terminal(args, db, tmp_path)
    screen = term.wait_for("Your answer")
    assert screen.splitlines()[0] == "── 1 · innervation · new · left: 2 new · 0 learning · 0 due ──"
    assert "Your answer (Enter alone: skip, f flag, q quit):" in screen.splitlines()
    term.send("tibial nerv\r")
    screen = term.wait_for("[Enter] accept")
    assert "✓ Correct" in screen
    assert "[Enter] accept (Good 10m)   [o] overrule (Again 1m)" in screen
    term.send("\r")
    screen = term.wait_for("── 2 · referral · new · left: 1 new · 1 learning · 0 due ──", "  d) ")
    assert "where is its essential pain zone?" in screen
    choices = dict(re.findall(r"^  ([a-d])\) (.*)$", screen, re.M))
    assert sorted(choices) == list("abcd"), screen
    right = next(letter for letter, text in choices.items() if text == "instep: the inner arch of the sole")
    term.send(right)
    term.wait_for("✓ Correct", "█")  # the full diagram on the answer side
    term.send("\r")
    term.wait_for("── 3 · referral · new · left: 0 new · 2 learning · 0 due ──")
    term.send("q")
    assert "Stopped early.\n2 answers saved, 2 remembered." in term.finish()
    assert answers(db) == [
        ("gastrocnemius/innervation", 3, "typed", "tibial nerv"),
        ("gastrocnemius/trp1/referral", 3, "choice", "instep: the inner arch of the sole"),
    ]


def test_ctrl_c_keeps_every_answer_and_the_next_quiz_continues(db: Path, tmp_path: Path) -> None:
    term = terminal(["--muscle", "soleus", "--topic", "attachments", "--new", "4"], db, tmp_path)
    for number, rating in ((1, "3"), (2, "1")):
        header = f"── {number} · attachments · new · left: {4 - number} new · {number - 1} learning · 0 due ──"
        term.wait_for(header, "[space] show answer")
        term.send(" ")
        term.wait_for("[4] Easy")
        term.send(rating)
    screen = term.wait_for("── 3 · attachments · new · left: 1 new · 2 learning · 0 due ──")
    assert "Saved · next review in" in screen  # the last answer's, on the next card's screen
    assert "[space] show answer" in screen
    term.child.sendintr()
    assert "Stopped early.\n2 answers saved, 1 remembered." in term.finish()
    first = answers(db)
    assert [(key, rating) for key, rating, _, _ in first] == [
        ("soleus/origin/fibular-part", 3),
        ("soleus/origin/tibial-part", 1),
    ]
    # Same clock: the two cards being learnt wait for their steps, so the next quiz starts with the next new card.
    term = terminal(["--muscle", "soleus", "--topic", "attachments", "--new", "4"], db, tmp_path)
    screen = term.wait_for("── 1 · attachments · new · left: 1 new · 2 learning · 0 due ──")
    assert "Soleus — origin of the tendinous arch" in screen
    term.send(" ")
    term.wait_for("[4] Easy")
    term.send("4")
    term.wait_for("── 2 · attachments · new · left: 0 new · 2 learning · 0 due ──")
    term.send("q")
    term.finish()
    assert len(answers(db)) == 3 and answers(db)[:2] == first


def test_a_failed_card_comes_back_until_it_is_remembered(db: Path, tmp_path: Path) -> None:
    term = terminal(["--muscle", "soleus", "--topic", "attachments", "--new", "1"], db, tmp_path)
    term.wait_for("── 1 · attachments · new · left: 0 new · 0 learning · 0 due ──")
    term.send(" ")
    term.wait_for("[1] Again 1m")
    term.send("1")
    # Its one-minute step is within the learn-ahead limit and nothing else is left: asked again now.
    screen = term.wait_for("── 2 · attachments · learning · left: 0 new · 0 learning · 0 due ──")
    assert "Saved · next review in 1m" in screen
    term.send(" ")
    term.wait_for("[3] Good 10m")
    term.send("3")
    term.wait_for("── 3 · attachments · learning · left: 0 new · 0 learning · 0 due ──")
    term.send(" ")
    term.wait_for("[3] Good 1d")
    term.send("3")
    screen = end_quiz(term)
    assert "3 answers saved, 2 remembered.\nNext card due in 1d." in screen
    assert [rating for _, rating, _, _ in answers(db)] == [1, 3, 3]


# Runs `myodeck ARGS` after making every screen end as a Ctrl-C that lands in a weakref callback does:
# the import system runs one at the end of every import, and Python can only print what it raises.
_LOSES_A_CTRL_C = """
import sys, weakref
from quiz import screen

shown = screen.FullScreen.render

def render_then_lose_a_ctrl_c(self, *args, **kwargs):
    shown(self, *args, **kwargs)
    class ModuleLock:
        pass
    lock = ModuleLock()
    def released(ref):
        raise KeyboardInterrupt
    ref = weakref.ref(lock, released)
    del lock

screen.FullScreen.render = render_then_lose_a_ctrl_c
from decks.entry import main
sys.argv = ["myodeck", *sys.argv[1:]]
main()
"""


def test_a_ctrl_c_python_could_only_print_still_ends_the_quiz(db: Path, tmp_path: Path) -> None:
    """Such a Ctrl-C used to be printed as "Exception ignored" and lost: the quiz sat waiting for a key."""
    driver = tmp_path / "driver.py"
    driver.write_text(_LOSES_A_CTRL_C)
    env = {**os.environ, "MYODECK_DB": str(db), "MYODECK_NOW": NOW, "NO_COLOR": "1", "TERM": "xterm"}
    child = pexpect.spawn(
        sys.executable, [str(driver), "quiz", "--new", "2"], env=env, encoding="utf-8", dimensions=(40, 100), timeout=20
    )
    child.expect(pexpect.EOF)  # not a timeout: the kept Ctrl-C ends the quiz at its first key
    child.close()
    assert "Stopped early." in child.before
    assert "Exception ignored" not in child.before and "Traceback" not in child.before
    assert child.exitstatus == 0
