"""Paint the pattern: regions typed, graded by overlap with the essential and spillover zones."""

from __future__ import annotations

import csv
import os
import shutil
import sqlite3
import sys
from pathlib import Path

import pexpect
import pytest
from virtual_terminal import VirtualTerminal

from decks.outline import Referral
from quiz.paint import NUMBERED, grade_painting, read_painting, region_list
from quiz.scheduler import Rating

FIBULARIS = Referral(
    essential=("lateral-malleolus", "behind-lateral-malleolus", "below-lateral-malleolus", "lateral-foot"),
    spillover=("lateral-leg-middle",),
)


def test_reading_names_ids_words_and_numbers() -> None:
    painting = read_painting(f"outer ankle bone; lateral-foot, {NUMBERED.index('instep') + 1}, heal, ")
    # "outer ankle bone" is in three regions' names: all three are taken, as `myodeck lookup` reads it
    malleolus = ("lateral-malleolus", "behind-lateral-malleolus", "below-lateral-malleolus")
    assert painting.regions == (*malleolus, "lateral-foot", "instep")
    assert painting.unknown == ("heal",)
    assert read_painting("heel").regions == ("heel-back", "heel-plantar", "medial-heel", "lateral-heel")
    assert any("  1 lower-back" in line for line in region_list())


@pytest.mark.parametrize(
    ("painted", "rating", "score"),
    [
        (FIBULARIS.essential, Rating.Good, "Score 89% → Good"),
        (FIBULARIS.essential + FIBULARIS.spillover, Rating.Good, "Score 100% → Good"),
        (("lateral-malleolus", "behind-lateral-malleolus", "lateral-leg-middle"), Rating.Hard, "Score 56% → Hard"),
        ((*FIBULARIS.essential, "heel-back"), Rating.Hard, "Score 78% → Hard"),
        (("lateral-malleolus",), Rating.Again, "Score 22% → Again"),
        (("instep", "heel-back"), Rating.Again, "Score 0% → Again"),
        ((), Rating.Again, "Score 0% → Again"),
    ],
)
def test_essential_counts_twice_spillover_once_outside_costs(
    painted: tuple[str, ...], rating: Rating, score: str
) -> None:
    result = grade_painting(painted, FIBULARIS)
    assert result.rating is rating
    assert result.lines()[-1] == score
    assert grade_painting(tuple(reversed(painted)), FIBULARIS) == result  # the same regions, the same rating


def test_a_region_mostly_inside_another_covers_it() -> None:
    """Painting the outer thigh covers its upper third; painting the third is not the whole thigh,
    but it is no mistake either when the pattern holds the thigh."""
    third = Referral(essential=("lateral-thigh-upper-third",), spillover=())
    assert grade_painting(("lateral-thigh",), third).rating is Rating.Good
    minimus = Referral(essential=("lateral-buttock", "lateral-thigh"), spillover=("lateral-knee",))
    result = grade_painting(("lateral-buttock", "lateral-thigh-upper-third"), minimus)
    assert (result.essential_hit, result.essential_missed, result.outside) == (
        ("lateral-buttock",),
        ("lateral-thigh",),
        (),
    )


def test_what_was_missed_and_painted_outside_is_named() -> None:
    assert grade_painting(("lateral-malleolus", "heel-back"), FIBULARIS).lines() == [
        "✓ Essential painted: outer ankle bone (lateral malleolus)",
        "✗ Essential missed: just behind the outer ankle bone; just below the outer ankle bone; "
        "outer edge of the foot, along the fifth metatarsal",
        "Spillover not painted: outer side of the leg, middle third",
        "✗ Outside its pattern: back of the heel",
        "Score 11% → Again",
    ]


def test_paint_in_a_real_terminal(tmp_path: Path) -> None:
    exe = shutil.which("myodeck", path=str(Path(sys.executable).parent))
    assert exe
    db = tmp_path / "reviews.sqlite3"
    env = {**os.environ, "MYODECK_DB": str(db), "MYODECK_NOW": "2026-11-25T09:00:00+00:00", "NO_COLOR": "1"}
    args = ["quiz", "--paint", "--muscle", "fibularis-longus", "--new", "1"]
    child = pexpect.spawn(exe, args, env={**env, "TERM": "xterm"}, encoding="utf-8", timeout=30)
    child.setwinsize(60, 160)  # wide enough for the grade lines beside the two pictures
    child.expect_exact("Fibularis longus, TrP1 — paint its pattern: which regions does it refer pain to?")
    child.expect_exact("Regions, commas between (Tab completes, ? lists them; f flag · q quit): ")
    child.sendline("?")
    child.expect_exact("lower-back")
    child.expect_exact("Regions, commas between (Tab completes, ? lists them; f flag · q quit): ")
    child.send("outer ankle bone, lateral-leg-mid\t")  # Tab completes the region id
    child.expect_exact("lateral-leg-middle")
    child.sendline("")
    child.expect(r"Your painting +The pattern")  # both pictures, side by side, captions on the answer's top line
    child.expect_exact("✗ Essential missed: outer edge of the foot, along the fifth metatarsal")
    child.expect_exact("+ Spillover painted: outer side of the leg, middle third")
    child.expect_exact("Score 78% → Hard")
    child.expect_exact("[Enter] accept (Hard")
    child.send("\r")
    child.expect_exact("Saved · next review in")
    child.expect_exact(
        "Regions, commas between (Tab completes, ? lists them; f flag · u undo · q quit): "
    )  # Hard keeps it in learning: it comes back
    child.sendline("q")  # typed alone, q quits here as at every prompt
    child.expect_exact("Stopped early.")
    child.expect(pexpect.EOF)
    with sqlite3.connect(db) as connection:
        rows = connection.execute("SELECT card_key, rating, answer_mode, answer FROM review_log").fetchall()
    assert rows == [
        (
            "fibularis-longus/trp1/referral",
            2,
            "typed",
            "lateral-malleolus, behind-lateral-malleolus, below-lateral-malleolus, lateral-leg-middle",
        )
    ]


def test_paint_it_in_class_scores_each_team_the_same_way(tmp_path: Path) -> None:
    results = tmp_path / "results.csv"
    args = ["class", "--paint", "--topic", "referral", "--muscle", "fibularis-longus", "-n", "1", "--seed", "2"]
    args += ["--teams", "Red,Blue", "--results", str(results), "--images", "blocks"]
    term = VirtualTerminal(args, 45, 100, {"NO_COLOR": "1", "TERM": "xterm"}, tmp_path)
    screen = term.wait_for("[space] reveal")
    assert (
        "Fibularis longus TrP1: paint its pattern. Where does it refer pain? Teams, call out the regions where it "
        "refers pain!" in " ".join(screen.split())
    )
    term.send(" ")
    term.wait_for("Red's regions")
    term.send("lateral-malleolus, behind-lateral-malleolus, below-lateral-malleolus, lateral-foot\r")
    screen = term.wait_for("Blue's regions")
    assert "Red: Score 89% → Good" in screen
    term.send("lateral malleolus, instep\r")
    screen = term.wait_for("[Enter] leaderboard")
    assert "Red: Score 89% → Good" in screen and "Blue: Score 11% → Again" in screen  # both teams' scores stay up
    term.send("\r")
    screen = term.wait_for("[Enter] next question")
    assert "Leaderboard after question 1" in screen and "✓ essential: outer ankle bone" in screen
    term.send("\r")
    term.finish()
    rows = list(csv.reader(results.read_text().splitlines()))
    assert [row[5:7] for row in rows[1:3]] == [["Red", "correct"], ["Blue", "wrong"]]
    assert rows[1][4].startswith("essential: outer ankle bone (lateral malleolus); just behind")


def test_every_bundled_pattern_painted_whole_is_good() -> None:
    from decks.loader import load_facts
    from source_facts import bundled_facts_dir

    for muscle in load_facts(bundled_facts_dir()).muscles:
        for trp in muscle.trigger_points:
            whole = grade_painting(trp.referral.essential + trp.referral.spillover, trp.referral)
            assert (whole.rating, whole.score, whole.outside) == (Rating.Good, 1, ()), (muscle.id, trp.id)
            assert grade_painting(trp.referral.spillover, trp.referral).rating is not Rating.Good
