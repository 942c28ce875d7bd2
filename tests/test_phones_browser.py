"""A phone class as an instructor runs it: `myodeck class --phones` in a pseudo-terminal, four real
headless Chromium "phones" (390×844) and the projector page, all on loopback.

The phones join by the address the terminal prints, answer, see their answer confirmed and the
result after the reveal; one reloads (a phone that slept) and keeps its name and score; the
results CSV has a row per student and question.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pexpect
import pytest

from decks.loader import load_facts
from quiz.classroom import LETTERS, class_questions

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="chromium is not installed (.ci/run installs it)")
STUDENTS = [("Ana", "Red"), ("Ben", "Red"), ("Chloé <b>", "Blue"), ("Dev", "Blue")]


@pytest.fixture
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM)
        yield launched
        launched.close()


def spawn_class(tmp_path: Path, results: Path) -> pexpect.spawn:
    exe = shutil.which("myodeck", path=str(Path(sys.executable).parent))
    assert exe
    env = {**os.environ, "NO_COLOR": "1", "TERM": "xterm"}
    args = ["class", "--phones", "--host", "127.0.0.1", "--port", "0", "-n", "2", "--seed", "5", "--time", "60"]
    args += ["--teams", "Red,Blue", "--results", str(results)]
    child = pexpect.spawn(exe, args, cwd=str(tmp_path), env=env, encoding="utf-8", timeout=60)
    child.setwinsize(45, 160)
    return child


def test_four_phones_join_answer_reconnect_and_are_in_the_csv(tmp_path: Path, browser) -> None:
    from source_facts import bundled_facts_dir

    expected = class_questions(load_facts(bundled_facts_dir()), 2, seed=5)
    results = tmp_path / "results.csv"
    child = spawn_class(tmp_path, results)
    child.expect(r"Students join at  (http://127\.0\.0\.1:\d+/\?code=[A-Z2-9]{6})")
    join_url = child.match.group(1)
    child.expect(r"Projector page:   (http://\S+)")
    screen_url = child.match.group(1)
    child.expect_exact("0 joined")

    screen = browser.new_page(viewport={"width": 1280, "height": 720})
    screen.goto(screen_url)
    screen.get_by_text("Join on your phone").wait_for()
    assert screen.locator("#join-url").inner_text() == join_url

    phones = []
    for name, team in STUDENTS:
        page = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
        page.goto(join_url)
        page.fill("#name", name)
        page.select_option("#team", team)
        page.click("button:has-text('Join')")
        page.get_by_text("You're in!").wait_for()
        assert page.locator("#who").inner_text() == f"{name} · {team}"
        phones.append(page)
    screen.get_by_text("4 students joined").wait_for()
    assert screen.locator("#joined li").all_inner_texts() == sorted((n for n, _ in STUDENTS), key=str.casefold)
    screen.screenshot(path=tmp_path / "screen-lobby.png")
    child.expect_exact("4 joined")

    # Question 1 (a picture question): Ana and Chloé right, Ben wrong, Dev silent.
    child.send("\r")
    child.expect_exact("Question 1/2")
    first = expected[0]
    wrong = (first.correct_index + 1) % 4
    for page in phones:
        page.locator("#prompt").get_by_text(first.prompt).wait_for()
    picture = phones[0].locator("#picture")
    picture.wait_for()
    assert phones[0].evaluate("document.getElementById('picture').naturalWidth") > 300  # the full-size PNG
    for page, choice in zip(phones[:3], (first.correct_index, wrong, first.correct_index), strict=True):
        page.locator(".choice").nth(choice).click()
        page.get_by_text(f"✓ Answer received: {LETTERS[choice]}.").wait_for()
        assert page.locator(".choice:disabled").count() == 4  # one answer each
    phones[0].screenshot(path=tmp_path / "phone-answered.png", full_page=True)
    screen.get_by_text("3 of 4 students answered").wait_for()
    screen.screenshot(path=tmp_path / "screen-question.png")
    child.expect_exact("3/4 answered")
    child.send(" ")  # reveal: the answers lock
    child.expect(r"Answers: (.*?)\(3 of 4 answered\)")
    phones[0].get_by_text("✓ Right! +1 point.").wait_for()
    phones[1].get_by_text(f"✗ You chose {LETTERS[wrong]}. The answer: {first.correct_letter}.").wait_for()
    phones[3].get_by_text(f"No answer. The answer: {first.correct_letter}.").wait_for()
    assert phones[3].locator(".choice:disabled").count() == 4  # locked: too late to answer
    phones[1].screenshot(path=tmp_path / "phone-revealed.png", full_page=True)
    tallies = screen.locator(".choice .tally").all_inner_texts()
    assert [t.replace("✓ ", "") for t in tallies] == [
        str((first.correct_index == i) * 2 + (wrong == i)) for i in range(4)
    ]
    leader = screen.locator("#ranking li").first
    assert leader.inner_text().split("\n") == ["1.", "Ana", "1"]
    box = leader.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 720  # the leaderboard fits the projector's screen
    screen.screenshot(path=tmp_path / "screen-reveal.png")

    # Ana's phone sleeps: the page reloads and comes back as Ana with her point.
    phones[0].reload()
    phones[0].get_by_text("✓ Right! +1 point.").wait_for()
    assert phones[0].locator("#who").inner_text() == "Ana · Red"
    assert phones[0].locator("#score").inner_text() == "Score 1"

    # Question 2, driven from the projector page's buttons: everyone answers A; then the class ends.
    # A projector page opened without the screen key (a student's) shows no buttons.
    child.expect_exact("[Enter] next question")
    viewer = browser.new_page()
    viewer.goto(screen_url.split("&key=")[0])
    viewer.get_by_text("Leaderboard").wait_for()
    assert viewer.locator("#controls button").count() == 0
    screen.get_by_role("button", name="Next").click()
    child.expect_exact("Question 2/2")
    for page in phones:
        page.locator("#prompt").get_by_text(expected[1].prompt).wait_for()
        page.locator(".choice").nth(0).click()
        page.get_by_text("✓ Answer received: A.").wait_for()
    child.expect_exact("4/4 answered")
    screen.get_by_role("button", name="Reveal").click()
    child.expect_exact("[Enter] next question")
    screen.get_by_role("button", name="Next").click()
    child.expect_exact("Final scores (2 of 2 questions)")
    child.expect(pexpect.EOF)
    screen.get_by_text("Final scores").wait_for()
    screen.screenshot(path=tmp_path / "screen-final.png")

    with results.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    answers = [(r["number"], r["student"], r["team"], r["chosen"], r["correct"]) for r in rows if r["number"]]
    right_second = "yes" if expected[1].correct_index == 0 else "no"
    assert answers == [
        ("1", "Ana", "Red", first.correct_letter, "yes"),
        ("1", "Ben", "Red", LETTERS[wrong], "no"),
        ("1", "Chloé <b>", "Blue", first.correct_letter, "yes"),
        ("1", "Dev", "Blue", "", "no"),
        *[("2", name, team, "A", right_second) for name, team in STUDENTS],
    ]
    assert {r["seed"] for r in rows} == {"5"}
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d", r["date"]) for r in rows)
    assert all(0 < int(r["milliseconds"]) < 60_000 for r in rows if r["chosen"])
