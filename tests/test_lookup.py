"""`myodeck lookup`: classic pain presentations find the muscles the trigger-point charts name."""

from __future__ import annotations

import io
import json
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image

from decks.cli import main
from decks.errors import MyodeckError
from decks.lookup import lookup, pain_area, rank
from decks.model import Facts, Muscle
from decks.outline import Referral, TriggerPoint


def _top(facts: Facts, *texts: str, n: int = 3) -> list[str]:
    return [f"{c.muscle_id}/{c.trp_id}" for c in lookup(facts, texts, n).candidates]


@pytest.mark.parametrize(
    ("pain", "expected_top"),
    [
        (("heel",), ["soleus/trp1", "abductor-hallucis/trp1", "quadratus-plantae/trp1"]),
        (("heel-plantar",), ["quadratus-plantae/trp1", "soleus/trp1", "tibialis-posterior/trp1"]),
        (("lateral malleolus",), ["fibularis-brevis/trp1", "fibularis-longus/trp1"]),
        (("instep",), ["gastrocnemius/trp1", "abductor-hallucis/trp1", "tibialis-posterior/trp1"]),
        # the inner border of the foot is where the arch (the instep of the charts) lies: the same patterns
        (("inner edge of the foot",), ["gastrocnemius/trp1", "abductor-hallucis/trp1", "tibialis-posterior/trp1"]),
        # gluteus minimus' posterior pattern covers the back of the thigh with its essential zone, piriformis
        # the whole buttock (the thigh as spillover): the two muscles of the chart, ahead of the hamstrings
        (("buttock", "back of thigh"), ["gluteus-minimus/trp2", "piriformis/trp1", "piriformis/trp2"]),
        # the side of the hip: gluteus medius and minimus, and quadratus lumborum's lower superficial point
        # over the trochanter. The buttock is its back-facing skin, so piriformis and gluteus maximus, whose
        # essential zone is the buttock, no longer lead (the buttock once wrapped round to the side)
        (("side of the hip",), ["gluteus-medius/trp2", "gluteus-minimus/trp1", "quadratus-lumborum/trp2"]),
        # the outer thigh at every grain the facts name it: the whole side, its thirds, the strip down it
        (
            ("outer thigh",),
            ["gluteus-minimus/trp1", "tensor-fasciae-latae/trp1", "vastus-lateralis/trp2", "vastus-lateralis/trp5"],
        ),
        # vastus medialis TrP1's whole pattern is on the front of the knee (its kneecap edge a part of it);
        # rectus femoris' reaches up the thigh too
        (("front of the knee",), ["vastus-medialis/trp1", "rectus-femoris/trp1", "rectus-femoris/trp2"]),
        # front of the ankle and the top of the big toe: tibialis anterior, then the long extensors (fibularis
        # tertius refers to the front of the *outer* ankle, beside the malleolus)
        (
            ("front of ankle", "top of the big toe"),
            ["tibialis-anterior/trp1", "extensor-hallucis-longus/trp1", "extensor-digitorum-longus/trp1"],
        ),
    ],
)
def test_classic_presentations(facts: Facts, pain: tuple[str, ...], expected_top: list[str]) -> None:
    assert _top(facts, *pain, n=len(expected_top)) == expected_top


def test_outer_thigh_meets_the_patterns_named_at_every_grain(facts: Facts) -> None:
    """The side of the thigh (gluteus minimus), its thirds (TFL) and the strip down it (vastus lateralis
    TrP3) are one pain; the why names each pattern's own regions."""
    found = {f"{c.muscle_id}/{c.trp_id}": c for c in lookup(facts, ["outer thigh"], 20).candidates}
    assert found["gluteus-minimus/trp1"].essential == ("lateral-thigh",)
    assert found["tensor-fasciae-latae/trp1"].essential == ("lateral-thigh-upper-third", "lateral-thigh-middle-third")
    assert found["tensor-fasciae-latae/trp1"].spillover == ("lateral-thigh-lower-third",)
    assert found["vastus-lateralis/trp3"].essential == ("lateral-thigh-strip",)
    # the knee and the leg below are neighbours of the thigh, not parts of it
    assert found["gluteus-minimus/trp1"].elsewhere[-4:] == (
        "lateral-knee", "lateral-leg-upper", "lateral-leg-middle", "lateral-leg-lower",
    )  # fmt: skip


def test_essential_overlap_ranks_above_any_spillover_overlap(facts: Facts) -> None:
    candidates = lookup(facts, ["heel", "instep", "achilles tendon"], 50).candidates
    essential = [bool(c.essential) for c in candidates]
    assert essential == sorted(essential, reverse=True)
    assert essential[0] and not essential[-1]


def _muscle(muscle_id: str, name: str, *patterns: tuple[tuple[str, ...], tuple[str, ...]]) -> Muscle:
    trps = tuple(
        TriggerPoint(f"trp{n}", f"TrP{n}", "", None, Referral(essential, spillover))  # type: ignore[arg-type]
        for n, (essential, spillover) in enumerate(patterns, start=1)
    )
    return Muscle(
        muscle_id, name, (), "leg", "lateral", trps, updated=None, origin=(), insertion=(), actions=(),
        innervation=None, sources=(),
    )  # type: ignore[arg-type]  # fmt: skip


def test_order_coverage_then_outside_then_name_then_fact_file_order() -> None:
    facts = Facts(
        (
            _muscle("b", "Beta", (("heel-back",), ("calf-middle",)), (("heel-back",), ())),
            _muscle("a", "alpha", (("heel-back",), ("calf-middle",))),
            _muscle("c", "Gamma", (("heel-back", "heel-plantar"), ("calf-middle", "instep", "back-of-knee"))),
            _muscle("d", "Delta", ((), ("heel-back", "heel-plantar"))),
        ),
        Path("."),
    )
    ranked = rank(facts, frozenset({"heel-back", "heel-plantar"}))
    assert [f"{c.muscle_id}/{c.trp_id}" for c in ranked] == ["c/trp1", "b/trp2", "a/trp1", "b/trp1", "d/trp1"]
    assert ranked[0].coverage == 1 and ranked[0].outside == Fraction(3, 5)
    assert ranked[1].coverage == Fraction(1, 2) and ranked[1].outside == 0
    assert ranked[-1].coverage == Fraction(1, 2)  # two spillover regions count as one essential one


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("instep", ["instep"]),
        ("Heel-Plantar", ["heel-plantar"]),
        ("lateral malleolus", ["lateral-malleolus"]),  # an id spelt with spaces is that id
        ("UNDERSIDE OF THE HEEL", ["heel-plantar"]),  # a whole name
        ("heel", ["heel-back", "heel-plantar", "medial-heel", "lateral-heel"]),  # words of ids before names
        ("front of knee", ["front-of-knee"]),
        ("front of the knee", ["front-of-knee"]),  # not the strip across the front of the thigh to the knee
        (
            "back of thigh",
            [
                "posterior-thigh-upper",
                "posterior-thigh-lower",
                "posterior-thigh-upper-third",
                "posterior-thigh-middle-third",
                "posterior-thigh-lower-third",
            ],
        ),
        ("tailbone", ["coccyx"]),
        ("side of the hip", ["lateral-hip"]),  # its outer side, as clients and the charts say it
        ("inner side of the knee", ["medial-knee"]),  # a side named is that side
        ("side of the leg", ["lateral-leg-upper", "lateral-leg-middle", "lateral-leg-lower"]),
        ("knee back", ["back-of-knee"]),  # an id's words in any order
        ("inner knee", ["medial-knee"]),  # not the strip whose name runs "… to the inner knee"
        (
            "outer thigh",
            [
                "lateral-thigh",
                "lateral-thigh-upper-third",
                "lateral-thigh-middle-third",
                "lateral-thigh-lower-third",
                "lateral-thigh-strip",
            ],
        ),
        ("sole", ["heel-plantar", "lateral-sole", "mid-sole", "big-toe-plantar", "lesser-toes-plantar"]),
        ("outer ankle bone", ["lateral-malleolus", "behind-lateral-malleolus", "below-lateral-malleolus"]),
    ],
)
def test_region_words(text: str, ids: list[str]) -> None:
    assert [region.id for region in pain_area(text).regions] == ids


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("heal", "unknown region 'heal' (did you mean 'heel-back' or 'heel-plantar'?); `myodeck regions` lists them"),
        (
            "lateral maleolus",
            "unknown region 'lateral maleolus' (did you mean 'lateral-malleolus'?); `myodeck regions` lists them",
        ),
        (
            "bone ankle outer",
            "unknown region 'bone ankle outer' (did you mean 'lateral-malleolus' or 'behind-lateral-malleolus' "
            "or 'below-lateral-malleolus'?); `myodeck regions` lists them",
        ),
        # the arch is the instep's (and the sole's middle lies beside it), whose names do not say "foot"
        (
            "arch of the foot",
            "unknown region 'arch of the foot' (did you mean 'instep' or 'mid-sole'?); `myodeck regions` lists them",
        ),
        ("xyzzy", "unknown region 'xyzzy'; `myodeck regions` lists them"),
        ("of", "unknown region 'of'; `myodeck regions` lists them"),  # a filler word alone names no region
    ],
)
def test_unknown_region_says_did_you_mean(text: str, message: str) -> None:
    with pytest.raises(MyodeckError) as raised:
        pain_area(text)
    assert str(raised.value) == message


def test_cli_prints_the_pain_map_and_why() -> None:
    result = CliRunner().invoke(main, ["lookup", "lateral malleolus", "--limit", "2"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Pain map: lateral-malleolus",
        "1. Fibularis brevis TrP1 — essential: lateral-malleolus; also essential: behind-lateral-malleolus, "
        "below-lateral-malleolus, lateral-foot; also spillover: lateral-leg-middle",
        "2. Fibularis longus TrP1 — essential: lateral-malleolus; also essential: behind-lateral-malleolus, "
        "below-lateral-malleolus, lateral-foot; also spillover: lateral-leg-middle",
    ]


def test_cli_in_a_terminal_breaks_lines_between_words() -> None:
    """In a 60-column terminal each candidate's line wraps under its text, never in a word; the
    pipe above gets whole lines."""
    import os
    import shutil
    import sys

    import pexpect

    exe = shutil.which("myodeck", path=str(Path(sys.executable).parent))
    assert exe
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}  # the terminal's own size
    child = pexpect.spawn(
        exe, ["lookup", "side of the hip", "--limit", "2"], dimensions=(24, 60), env=env, encoding="utf-8"
    )
    child.expect(pexpect.EOF)
    lines = child.before.replace("\r\n", "\n").splitlines()
    assert lines[:4] == [
        "Pain map: lateral-hip",
        "1. Gluteus medius TrP2 — essential: lateral-buttock; also",
        "   essential: upper-buttock; also spillover:",
        "   posterior-thigh-upper-third, lateral-thigh-upper-third",
    ], lines
    assert all(len(line) <= 60 for line in lines)


def test_cli_says_which_regions_several_words_matched() -> None:
    result = CliRunner().invoke(main, ["lookup", "heel", "instep", "--limit", "1"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == (
        "Pain map: heel-back, heel-plantar, medial-heel, lateral-heel (all 4 match 'heel'); instep"
    )


def test_cli_default_limit_is_ten() -> None:
    result = CliRunner().invoke(main, ["lookup", "back of knee"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 11 and lines[-1].startswith("10. ")


def test_cli_json_shape() -> None:
    result = CliRunner().invoke(main, ["lookup", "instep", "--json", "--limit", "2"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [
        {
            "muscle_id": "gastrocnemius",
            "muscle": "Gastrocnemius",
            "trigger_point_id": "trp1",
            "trigger_point": "TrP1",
            "essential_overlap": True,
            "coverage": 1.0,
            "outside": round(5 / 6, 4),
            "essential": ["instep"],
            "spillover": [],
            "elsewhere": [
                "posterior-thigh-lower",
                "back-of-knee",
                "calf-upper-medial",
                "calf-lower-medial",
                "medial-malleolus",
            ],
            "essential_elsewhere": [],
            "spillover_elsewhere": [
                "posterior-thigh-lower",
                "back-of-knee",
                "calf-upper-medial",
                "calf-lower-medial",
                "medial-malleolus",
            ],
        },
        {
            "muscle_id": "abductor-hallucis",
            "muscle": "Abductor hallucis",
            "trigger_point_id": "trp1",
            "trigger_point": "TrP1",
            "essential_overlap": False,
            "coverage": 0.5,
            "outside": round(2 / 3, 4),
            "essential": [],
            "spillover": ["instep"],
            "elsewhere": ["medial-heel", "heel-back"],
            "essential_elsewhere": ["medial-heel"],
            "spillover_elsewhere": ["heel-back"],
        },
    ]


def test_cli_unknown_region_exits_1_like_an_unknown_muscle() -> None:
    result = CliRunner().invoke(main, ["lookup", "instep", "heal"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "Error: unknown region 'heal' (did you mean 'heel-back' or 'heel-plantar'?); `myodeck regions` lists them\n"
    )


def test_cli_needs_a_region_and_a_positive_limit() -> None:
    assert CliRunner().invoke(main, ["lookup"]).exit_code == 2
    assert CliRunner().invoke(main, ["lookup", "instep", "--limit", "0"]).exit_code == 2


def test_no_overlap_says_so() -> None:
    facts = Facts((_muscle("a", "Alpha", (("heel-back",), ())),), Path("."))
    assert lookup(facts, ["instep"], 10).lines() == [
        "Pain map: instep",
        "No trigger point in these facts refers pain there.",
    ]


def test_picture_draws_the_pain_map(tmp_path: Path) -> None:
    out = tmp_path / "pain.png"
    result = CliRunner().invoke(main, ["lookup", "heel", "--limit", "1", "--json", "--picture", str(out)])
    assert result.exit_code == 0, result.output
    assert [c["muscle_id"] for c in json.loads(result.stdout)] == ["soleus"]  # stdout stays JSON
    assert result.stderr == f"Wrote the pain map and its first 1 candidate to {out}\n"
    assert out.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


def test_picture_puts_the_first_three_candidates_beside_the_pain_map(tmp_path: Path) -> None:
    """Each candidate is a group of views with its own red: the picture widens with each one drawn."""
    widths = {}
    for limit in ("1", "3", "10"):
        out = tmp_path / f"pain-{limit}.png"
        result = CliRunner().invoke(main, ["lookup", "heel", "--limit", limit, "--picture", str(out)])
        assert result.exit_code == 0, result.output
        with Image.open(out) as image:
            widths[limit] = image.size[0]
            red = np.asarray(image.convert("RGB")).astype(int)
        columns = ((red[:, :, 0] > 180) & (red[:, :, 1] < 40) & (red[:, :, 2] < 60)).any(axis=0)
        groups = np.count_nonzero(np.diff(columns.astype(int)) == 1) + columns[0]
        assert groups >= 1 + min(int(limit), 3)  # the pain map's red, then each candidate's
    assert result.stdout.endswith(f"Wrote the pain map and its first 3 candidates to {out}\n")
    assert widths["1"] < widths["3"] == widths["10"]


def test_picture_of_pain_nothing_refers_is_the_pain_map_alone(facts: Facts) -> None:
    from decks.diagrams.pain_map import lookup_png

    nobody = lookup(Facts((), Path(".")), ["groin"], 10)
    with (
        Image.open(io.BytesIO(lookup_png(nobody, facts))) as alone,
        Image.open(io.BytesIO(lookup_png(lookup(facts, ["groin"], 10), facts))) as beside,
    ):
        assert 2 * alone.size[0] < beside.size[0]


def test_pain_map_shows_first_the_view_most_of_its_regions_are_drawn_in() -> None:
    from decks.diagrams.pain_map import pain_map_spec
    from decks.diagrams.spec import choose_views
    from decks.regions import View

    spec = pain_map_spec(("lateral-malleolus", "instep", "medial-heel"))
    assert spec.essential == ("lateral-malleolus", "instep", "medial-heel") and spec.position is None
    assert choose_views(spec) == (View.MEDIAL, View.LATERAL)


def test_picture_to_a_missing_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["lookup", "heel", "--picture", str(tmp_path / "nowhere" / "p.png")])
    assert result.exit_code == 2
    assert "nowhere" in result.stderr and result.stdout == ""


def test_words_in_order_with_others_between_name_a_region() -> None:
    from decks.lookup import pain_area

    assert [r.id for r in pain_area("outer foot").regions] == ["lateral-foot"]
