"""`myodeck class` in a pseudo-terminal: two teams, three questions, keys as an instructor presses them."""

from __future__ import annotations

import csv
import os
import shutil
import signal
import sys
import time
from pathlib import Path

import pexpect
import pytest

from decks.loader import load_facts
from quiz.classroom import class_questions


def spawn(args: list[str], tmp_path: Path) -> pexpect.spawn:
    exe = shutil.which("myodeck", path=str(Path(sys.executable).parent))
    assert exe
    env = {**os.environ, "NO_COLOR": "1", "TERM": "xterm"}
    child = pexpect.spawn(exe, ["class", *args], cwd=str(tmp_path), env=env, encoding="utf-8", timeout=20)
    child.setwinsize(50, 120)
    return child


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def test_three_questions_two_teams(tmp_path: Path) -> None:
    from source_facts import bundled_facts_dir

    expected = class_questions(load_facts(bundled_facts_dir()), 3, seed=7)
    results = tmp_path / "results.csv"
    child = spawn(["-n", "3", "--seed", "7", "--teams", "Red,Blue", "--results", str(results)], tmp_path)
    # Question 1: reveal early, Red was right.
    child.expect_exact("Question 1/3")
    child.expect_exact(expected[0].prompt)
    child.expect_exact("[space] reveal")
    child.send(" ")
    child.expect_exact(f"✓ {expected[0].correct_letter}) {expected[0].correct}")
    child.expect_exact("Who got it right?")
    child.send("1")
    child.expect_exact("[1] ✓ Red   [2] · Blue")
    child.send("\r")
    child.expect_exact("Leaderboard after question 1")
    child.expect_exact("1. Red              1")
    child.send("\r")
    # Question 2: nobody right; back to it from its leaderboard to fix it (Blue was right after all).
    child.expect_exact("Question 2/3")
    child.send(" ")
    child.expect_exact("Who got it right?")
    child.send("\r")
    child.expect_exact("[Enter] next question   [b] back to this question")
    child.send("b")
    child.expect_exact("Question 2/3")
    child.send(" ")
    child.expect_exact("Who got it right?")
    child.send("2")
    child.send("\r")
    child.expect_exact("Leaderboard after question 2")
    child.expect_exact("1. Red              1")
    child.expect_exact("1. Blue             1")  # tied teams share a place
    child.send("\r")
    # Question 3: back to question 2, skip it (its scores stay), then skip question 3.
    child.expect_exact("Question 3/3")
    child.expect_exact("[space] reveal")
    child.send("b")
    child.expect_exact("Question 2/3")
    child.expect_exact("[space] reveal")
    child.send("s")
    child.expect_exact("Question 3/3")
    child.expect_exact("[space] reveal")
    child.send("s")
    child.expect_exact("Final scores (2 of 3 questions)")
    child.expect_exact("Final: Red 1, Blue 1")
    child.expect(pexpect.EOF)
    table = rows(results)
    assert [(r["number"], r["team"], r["result"]) for r in table] == [
        ("1", "Red", "correct"),
        ("1", "Blue", "wrong"),
        ("2", "Red", "wrong"),
        ("2", "Blue", "correct"),
        ("3", "Red", "skipped"),
        ("3", "Blue", "skipped"),
        ("", "Red", "1 of 2"),
        ("", "Blue", "1 of 2"),
    ]
    assert [r["question_key"] for r in table[:6:2]] == [q.key for q in expected]
    assert table[0]["correct_answer"] == f"{expected[0].correct_letter}) {expected[0].correct}"
    assert all(float(r["seconds"]) < 20 for r in table[:6])


def test_countdown_reveals_and_quitting_keeps_the_results(tmp_path: Path) -> None:
    results = tmp_path / "results.csv"
    child = spawn(["-n", "5", "--seed", "2", "--time", "3", "--results", str(results)], tmp_path)
    child.expect_exact("Question 1/5")
    child.expect_exact("⏱   1 s")
    child.expect_exact("Who got it right?", timeout=10)  # the countdown ran out and revealed the answer
    child.send("1")
    child.send("\r")
    child.expect_exact("Leaderboard after question 1")
    child.send("q")
    child.expect_exact("Final scores (1 of 5 questions)")
    child.expect(pexpect.EOF)
    table = rows(results)
    assert [(r["number"], r["team"], r["result"]) for r in table] == [
        ("1", "Class", "correct"),
        ("", "Class", "1 of 1"),
    ]
    assert 2.0 <= float(table[0]["seconds"]) < 10


def test_results_folder_is_checked_before_the_class_starts(tmp_path: Path) -> None:
    child = spawn(["-n", "2", "--results", str(tmp_path / "typo" / "results.csv")], tmp_path)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 2
    assert "Invalid value for '--results': no folder" in child.before and "Question 1" not in child.before


def test_quitting_before_the_first_question_writes_and_claims_nothing(tmp_path: Path) -> None:
    results = tmp_path / "results.csv"
    child = spawn(["-n", "2", "--seed", "1", "--results", str(results)], tmp_path)
    child.expect_exact("[space] reveal")
    child.send("q")
    child.expect_exact("Final scores (0 of 2 questions)")
    child.expect_exact(f"No question was scored, so {results} was not written")
    child.expect(pexpect.EOF)
    assert "Results" not in child.before and not results.exists()


def _score_one(child: pexpect.spawn, number: int | None) -> None:
    """Reveal question `number` (None: the one on screen) and mark the first team right."""
    if number is not None:
        child.expect_exact(f"Question {number}/3")
        child.expect_exact("[space] reveal")
    child.send(" ")
    child.expect_exact("Who got it right?")
    child.send("1")
    child.send("\r")


def test_a_failed_save_is_shown_and_tried_again(tmp_path: Path) -> None:
    """The results path turns into a folder mid-class: the failure is on screen, the next save catches up."""
    results = tmp_path / "results.csv"
    child = spawn(["-n", "3", "--seed", "4", "--results", str(results)], tmp_path)
    _score_one(child, 1)
    child.expect_exact("Leaderboard after question 1")
    results.unlink()
    results.mkdir()  # nothing can be written there now
    child.send("\r")
    _score_one(child, 2)
    child.expect_exact("⚠ Results not saved: cannot write")  # on the leaderboard's screen, wrapped to its width
    child.expect_exact("Leaderboard after question 2")
    results.rmdir()
    child.send("\r")
    _score_one(child, 3)
    child.expect_exact("Leaderboard after question 3")
    child.send("\r")
    child.expect_exact(f"Results of 3 questions written to {results}")
    child.expect(pexpect.EOF)
    assert [(r["number"], r["result"]) for r in rows(results)] == [
        ("1", "correct"), ("2", "correct"), ("3", "correct"), ("", "3 of 3")
    ]  # fmt: skip


def test_a_save_failing_to_the_end_is_an_error_not_a_claim(tmp_path: Path) -> None:
    results = tmp_path / "results.csv"
    child = spawn(["-n", "3", "--seed", "4", "--results", str(results)], tmp_path)
    child.expect_exact("[space] reveal")
    results.mkdir()  # after the check at start-up: every save fails
    _score_one(child, None)
    child.expect_exact("⚠ Results not saved")
    child.send("q")
    child.expect_exact("Final: Class 1")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 1
    assert f"Error: results of 1 question not saved: cannot write {results}: {results} is a folder" in child.before
    assert "written to" not in child.before


@pytest.mark.usefixtures("ctrl_c")
def test_ctrl_c_during_a_results_save_reports_only_what_was_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C lands while the file is being written: the write finishes first, and the report matches the file."""
    import decks.atomic
    from quiz.class_session import ClassResults, Outcome, ResultsFile, Scored
    from source_facts import bundled_facts_dir

    question = class_questions(load_facts(bundled_facts_dir()), 1, seed=3)[0]
    results = ClassResults(("Class",), {1: Scored(question, {"Class": Outcome.CORRECT}, 4.0)})
    real_write = decks.atomic.write_atomically

    def interrupted_write(path: Path, data: bytes, **options: object) -> None:
        os.kill(os.getpid(), signal.SIGINT)
        real_write(path, data, **options)

    monkeypatch.setattr(decks.atomic, "write_atomically", interrupted_write)
    file = ResultsFile(tmp_path / "results.csv")
    with pytest.raises(KeyboardInterrupt):
        file.save(results)
    assert [(r["number"], r["result"]) for r in rows(tmp_path / "results.csv")] == [("1", "correct"), ("", "1 of 1")]
    assert file.report(results) == f"Results of 1 question written to {tmp_path / 'results.csv'}"
    assert not file.behind(results)


def test_paused_time_is_not_counted_and_only_working_keys_are_shown(tmp_path: Path) -> None:
    results = tmp_path / "results.csv"
    child = spawn(["-n", "2", "--seed", "4", "--results", str(results)], tmp_path)
    child.expect_exact("· seed 4")  # the seed is on screen from the first question
    child.expect_exact("[space] reveal")
    child.send("p")
    child.expect_exact("PAUSED   [p] resume   [q] quit")
    time.sleep(2.5)
    child.send("p")
    child.expect_exact("[space] reveal")
    child.send(" ")
    child.expect_exact("Who got it right?")
    child.send("\r")
    child.expect_exact("Leaderboard after question 1")
    child.send("q")
    child.expect(pexpect.EOF)
    assert float(rows(results)[0]["seconds"]) < 2.0
