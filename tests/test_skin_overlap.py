"""Overlap on the body: which regions are the same pain, and distractors that are never half right."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from importlib.resources import files
from pathlib import Path

import pytest

from decks.body.skin_overlap import (
    CELLS_FILE,
    OVERLAP_FILE,
    STORED_FROM,
    bake_region_cells,
    inside,
    overlap,
    regions_overlap,
    share_skin,
)
from decks.cards import CardKind, derive_cards
from decks.model import Facts, Muscle
from decks.outline import TriggerPoint
from decks.regions import REGIONS
from quiz.classroom import class_questions
from quiz.distractors import zone_distractors
from quiz.questions import make_question


@pytest.fixture(scope="module")
def facts() -> Facts:
    from decks.loader import load_facts
    from source_facts import bundled_facts_dir

    return load_facts(bundled_facts_dir())


def test_the_committed_cells_are_what_the_body_gives() -> None:
    """Run `python tools/bake_terminal_views.py` after changing the mesh, the views or a region's shape."""
    assert (files("decks.body") / "data" / CELLS_FILE).read_text() == bake_region_cells()


def test_the_overlap_of_two_zones_is_the_share_of_their_cells_in_common() -> None:
    """Zones are joined and compared as bits; the same figure as sets of the stored cell numbers give."""
    stored = json.loads((files("decks.body") / "data" / CELLS_FILE).read_text())
    rng = random.Random(5)
    ids = sorted(stored)
    for _ in range(300):
        first, second = rng.sample(ids, rng.randint(1, 3)), rng.sample(ids, rng.randint(1, 3))
        a = set().union(*(stored[r] for r in first))
        b = set().union(*(stored[r] for r in second))
        assert overlap(first, second) == (len(a & b) / len(a | b) if a | b else 0.0)
    assert overlap(["buttock"], ["buttock"]) == 1.0 and overlap(["lateral-malleolus"], ["upper-buttock"]) == 0.0


def test_the_overlap_tool_writes_the_committed_table_every_time(tmp_path: Path) -> None:
    """Run `python tools/bake_region_overlap.py` after changing the mesh, the views or a region's shape.
    A fresh process each time: the table depends on nothing a process keeps."""
    tool = Path(__file__).resolve().parent.parent / "tools" / "bake_region_overlap.py"
    committed = (files("decks.body") / "data" / OVERLAP_FILE).read_bytes()
    for run in range(2):
        out = tmp_path / f"run{run}.json"
        subprocess.run([sys.executable, str(tool), str(out)], check=True, capture_output=True)
        assert out.read_bytes() == committed


@pytest.mark.parametrize(
    ("region", "other"),
    [
        ("lateral-thigh-strip", "lateral-thigh"),
        ("lateral-thigh", "lateral-thigh-strip"),
        ("lateral-malleolus", "lateral-foot"),
        ("metatarsal-head-3", "ball-of-foot"),
        ("heel-back", "medial-heel"),
        ("groin", "instep"),
    ],
)
def test_the_overlap_table_is_what_the_diagrams_rasters_give(region: str, other: str) -> None:
    """Measured again here, one pair at a time, on the masks the diagrams draw: each view's cells
    weighted by how squarely the view sees their skin."""
    import numpy as np

    from decks.body.facing import Facing
    from decks.body.raster import patches_mask, view_raster
    from decks.body.region_shapes import REGION_PATCHES
    from decks.regions import View

    both = alone = 0.0
    for view in View:
        skin = view_raster(view, Facing.BEHIND)
        squarely = np.clip(np.nan_to_num(skin.normal @ np.array(skin.camera.toward, dtype=np.float32)), 0, 1)
        first = patches_mask(skin, REGION_PATCHES[region])
        second = patches_mask(skin, REGION_PATCHES[other])
        alone += float(squarely[first].sum()) * skin.step**2
        both += float(squarely[first & second].sum()) * skin.step**2
    measured = both / alone
    stored = json.loads((files("decks.body") / "data" / OVERLAP_FILE).read_text())[region].get(other)
    if measured * 1000 < STORED_FROM - 0.5:
        assert stored is None
    else:
        assert abs(stored / 1000 - measured) <= 0.0015
        assert inside(region, other) == stored


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("lateral-thigh", "lateral-thigh-upper-third", True),  # a part of it
        ("buttock", "lower-buttock", True),
        ("greater-trochanter", "lateral-hip", True),
        ("lateral-hip", "buttock", False),  # the buttock is the skin facing back, not the side of the hip
        ("heel-back", "heel-back", True),
        ("heel-back", "medial-heel", False),  # neighbours share only their edges
        ("lateral-sole", "mid-sole", False),
        ("groin", "instep", False),
        ("lateral-thigh-strip", "lateral-thigh", True),
        # a small landmark lying inside a wide region is not a part of it
        ("lateral-malleolus", "lateral-heel", False),
        ("lateral-malleolus", "lateral-foot", False),
        ("metatarsal-head-5", "ball-of-foot", True),
        # the inner border runs along the arch, below the top of the foot, in front of the heel
        ("medial-foot", "instep", True),
        ("medial-foot", "dorsum-first-metatarsal", False),
        ("medial-foot", "medial-heel", False),
    ],
)
def test_regions_overlap_when_one_lies_mostly_inside_the_other(first: str, second: str, same: bool) -> None:
    assert regions_overlap(first, second) is same
    assert share_skin([first, "coccyx"], [second]) is same
    if same:
        assert overlap([first], [second]) > 0


def test_the_inner_border_of_the_foot_stays_below_the_inner_ankle_bone() -> None:
    """'Inner edge of the foot' is the foot's border, not the ankle: no skin of the malleolus in it."""
    assert inside("medial-foot", "medial-malleolus") == inside("medial-malleolus", "medial-foot") == 0


def zone_ids(text: str) -> list[str]:
    by_name = {region.name: region.id for region in REGIONS.values()}
    return [by_name[name] for name in text.split("; ")]


def test_referral_distractors_never_share_skin_with_the_answer(facts: Facts) -> None:
    rng = random.Random(5)
    for card in derive_cards(facts, [CardKind.REFERRAL]):
        question = make_question(card, facts, rng)
        answer = facts.muscle(card.muscle_id).trigger_point(card.key.split("/")[1]).referral.essential
        wrong = [c for i, c in enumerate(question.choices) if i != question.correct_index]
        assert len(wrong) == 3 and not any(share_skin(answer, zone_ids(c)) for c in wrong), card.key
    for seed in range(5):
        for q in class_questions(facts, 200, seed, kinds=(CardKind.REFERRAL,)):
            answer = facts.muscle(q.key.split("/")[0]).trigger_point(q.key.split("/")[1]).referral.essential
            assert not any(share_skin(answer, zone_ids(c)) for c in q.choices if c != q.correct), q.key


def test_wrong_zones_ranked_from_the_pool_are_those_of_every_trigger_point(facts: Facts) -> None:
    """The pool holds each essential zone once, as its first trigger point has it; ranking from it
    gives the tiers a scan of every trigger point gives (the way they were ranked before the pool)."""
    from decks.body.skin_overlap import overlap
    from quiz.distractors import zone_text

    def scanned(home: Muscle, trp: TriggerPoint) -> list[list[str]]:
        answer, pattern = trp.referral.essential, trp.referral.essential + trp.referral.spillover
        seen, scored = {zone_text(answer)}, []
        for muscle in facts.muscles:
            for other in muscle.trigger_points:
                text = zone_text(other.referral.essential)
                if text in seen or share_skin(answer, other.referral.essential):
                    continue
                seen.add(text)
                near = overlap(pattern, other.referral.essential + other.referral.spillover)
                scored.append((near, muscle.compartment == home.compartment, text))
        ranked = sorted((item for item in scored if item[0] > 0), key=lambda item: -item[0])
        tempting = [text for _, _, text in ranked[:3]]
        rest = [item for item in scored if item[2] not in tempting]
        return [tempting, [t for _, same, t in rest if same], [t for _, same, t in rest if not same]]

    assert len(facts.referral_patterns) < sum(len(m.trigger_points) for m in facts.muscles)  # zones repeat
    for muscle in facts.muscles:
        for trp in muscle.trigger_points:
            assert zone_distractors(facts, muscle, trp) == scanned(muscle, trp), (muscle.id, trp.id)


def test_the_most_tempting_distractors_are_the_nearest_patterns(facts: Facts) -> None:
    muscle = facts.muscle("gluteus-minimus")
    trp = muscle.trigger_point("trp1")
    tempting = zone_distractors(facts, muscle, trp)[0]
    # its own spillover runs down the outer knee and leg: zones there tempt, and are wrong
    assert tempting[0] == "outer side of the knee, around the head of the fibula"
    pattern = trp.referral.essential + trp.referral.spillover
    scores = [
        max(
            overlap(pattern, t.referral.essential + t.referral.spillover)
            for m in facts.muscles
            for t in m.trigger_points
            if zone_ids(text) == list(t.referral.essential)
        )
        for text in tempting
    ]
    assert scores == sorted(scores, reverse=True) and scores[-1] > 0


def test_which_muscle_distractors_never_refer_essential_pain_on_the_same_skin(facts: Facts) -> None:
    for seed in range(3):
        for q in class_questions(facts, 200, seed, kinds=(CardKind.PATTERN,)):
            trp = facts.muscle(q.key.split("/")[0]).trigger_point(q.key.split("/")[1])
            for wrong in (c for c in q.choices if c != q.correct):
                muscle = next(m for m in facts.muscles if m.name == wrong)
                assert not any(share_skin(t.referral.essential, trp.referral.essential) for t in muscle.trigger_points)


def test_no_heel_or_foot_border_region_lies_over_an_ankle_bone() -> None:
    """The sides of the heel and the foot's outer border lie below the malleoli, and the front of the
    outer ankle in front of it: a pain zone listed there is never drawn on the bone itself."""
    for bone in ("lateral-malleolus", "medial-malleolus"):
        for region in ("lateral-heel", "medial-heel", "lateral-foot", "front-of-lateral-malleolus"):
            assert inside(bone, region) < 50, (bone, region, inside(bone, region))
