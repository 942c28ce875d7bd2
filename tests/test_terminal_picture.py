"""Terminal pictures: same marks as the PNGs, in half-blocks, without matplotlib."""

from __future__ import annotations

import itertools
import subprocess
import sys
from importlib.resources import files

import pytest

from decks.body.lowres import BAKES, COARSE, Bake, bake_terminal_views
from decks.diagrams import Variant
from decks.diagrams.spec import DiagramSpec
from decks.model import Facts
from quiz.colors import ColorMode
from quiz.picture import draw_picture, legend_lines


def spec(facts: Facts, muscle_id: str, trp_id: str, variant: Variant) -> DiagramSpec:
    muscle = facts.muscle(muscle_id)
    return DiagramSpec.for_trigger_point(muscle, muscle.trigger_point(trp_id), variant)


def test_monochrome_marks(facts: Facts) -> None:
    full = draw_picture(spec(facts, "gastrocnemius", "trp1", Variant.FULL), ColorMode.NONE)
    text = "\n".join(full.lines)
    assert 1 <= text.count("X") <= 2  # the trigger point, in each panel that sees it
    assert "█" in text and "░" in text and "+" in text  # essential, spillover, the muscle
    assert full.lines[-1].split() == ["posterior", "medial"]
    assert "\x1b" not in text
    pattern = "\n".join(draw_picture(spec(facts, "gastrocnemius", "trp1", Variant.PATTERN), ColorMode.NONE).lines)
    assert "X" not in pattern and "█" in pattern and "+" not in pattern
    location = "\n".join(draw_picture(spec(facts, "gastrocnemius", "trp1", Variant.LOCATION), ColorMode.NONE).lines)
    assert "X" in location and "█" not in location and "░" not in location


def test_a_narrow_panel_names_its_view_as_anatomy_texts_shorten_it(facts: Facts) -> None:
    """Cut to a panel's width, "posterior" read "posteri." and "plantar ×2" "plantar."; the short
    names keep the view and its enlargement, and where even those do not fit, the view."""
    soleus = spec(facts, "soleus", "trp1", Variant.PATTERN)
    small = draw_picture(soleus, ColorMode.NONE, rows=12)
    assert small.lines[-1].split() == ["post.", "plant.", "×2"]
    assert len(small.lines[-1]) == len(small.lines[0])
    assert draw_picture(soleus, ColorMode.NONE, rows=10).lines[-1].split() == ["post.", "plant."]


def test_essential_zone_is_in_the_right_panel(facts: Facts) -> None:
    picture = draw_picture(spec(facts, "soleus", "trp1", Variant.PATTERN), ColorMode.NONE)
    assert picture.lines[-1].split() == ["posterior", "plantar", "×2"]
    posterior_width = len(picture.lines[-1]) - len(picture.lines[-1].lstrip()) + len("posterior")
    rows = picture.lines[:-1]
    # The heel: at the bottom of the back view, at the top of the sole seen from behind (heel up).
    assert any("█" in line[:posterior_width] for line in rows[-5:])
    assert not any("█" in line[:posterior_width] for line in rows[:-6])
    assert any("█" in line[posterior_width:] for line in rows[:6])
    assert not any("█" in line[posterior_width:] for line in rows[-8:])


def _four(cell: tuple[int, int]) -> set[tuple[int, int]]:
    row, col = cell
    return {(row + 1, col), (row - 1, col), (row, col + 1), (row, col - 1)}


def test_every_x_lies_on_its_muscle_in_the_terminal_cells(facts: Facts) -> None:
    """As in the PNGs: the X is placed on the coarse cells of its muscle, not beside it, and off the
    muscle's outline wherever a neighbouring cell of its region lies inside the muscle."""
    from decks.body.facing import Facing
    from decks.body.lowres import lowres_view
    from decks.body.muscle_shapes import MUSCLE_SHAPES
    from decks.body.region_shapes import REGION_PATCHES
    from decks.regions import View
    from quiz.picture import _inside, _x_in_view

    for muscle in facts.muscles:
        for trp in muscle.trigger_points:
            view, facing = trp.position.view, Facing.FRONT if trp.position.view is View.DORSAL else Facing.BEHIND
            cells = lowres_view(view, facing)
            xy = _x_in_view(trp.position, muscle.shape, cells)
            assert xy is not None, f"{muscle.id}/{trp.id}: the X is not seen in its own view"
            on_muscle = _inside(view, facing, MUSCLE_SHAPES[muscle.shape].patches)
            row, col = cells.cell_of(*xy)
            assert (row, col) in on_muscle, (muscle.id, trp.id)
            region = _inside(view, facing, REGION_PATCHES[trp.position.region])
            inside = {c for c in on_muscle & region if all(n in on_muscle for n in _four(c))}
            if (row, col) not in inside:  # on the outline only where no neighbour is inside the muscle
                around = {(row + dr, col + dc) for dr in (-1, 0, 1) for dc in (-1, 0, 1)}
                assert not around & inside, f"{muscle.id}/{trp.id}: the X is on its muscle's outline"


def test_the_terminal_keeps_the_abductor_of_the_big_toe_below_the_ankle_bone() -> None:
    """The pure-Python twin of the raster honours a patch's upper level as the PNG does."""
    from decks.body.facing import Facing
    from decks.body.muscle_shapes import MUSCLE_SHAPES
    from decks.body.region_shapes import REGION_PATCHES
    from decks.regions import View
    from quiz.picture import _inside

    muscle = _inside(View.MEDIAL, Facing.BEHIND, MUSCLE_SHAPES["abductor-hallucis"].patches)
    bone = _inside(View.MEDIAL, Facing.BEHIND, REGION_PATCHES["medial-malleolus"])
    assert muscle and bone and not muscle & bone


def test_colour_modes(facts: Facts) -> None:
    the_spec = spec(facts, "tibialis-anterior", "trp1", Variant.FULL)
    truecolor = "\n".join(draw_picture(the_spec, ColorMode.TRUECOLOR).lines)
    assert "\x1b[38;2;208;2;27m" in truecolor or "\x1b[48;2;208;2;27m" in truecolor
    assert "38;5;" in "\n".join(draw_picture(the_spec, ColorMode.COLOR256).lines)
    assert legend_lines(the_spec, ColorMode.NONE) == [
        "+  muscle",
        "X  trigger point",
        "█  essential pain",
        "░  spillover pain",
    ]
    pattern = spec(facts, "tibialis-anterior", "trp1", Variant.PATTERN)
    assert legend_lines(pattern, ColorMode.NONE) == ["█  essential pain", "░  spillover pain"]  # no muscle: no hint


def test_every_bundled_picture_fits_40_columns(facts: Facts) -> None:
    for muscle in facts.muscles:
        for trp in muscle.trigger_points:
            for variant in Variant:
                picture = draw_picture(DiagramSpec.for_trigger_point(muscle, trp, variant), ColorMode.NONE)
                assert picture.width <= 40, (muscle.id, trp.id, variant)
                assert all(len(line) <= 40 for line in picture.lines)


def printed_by(*statements: str) -> str:
    """What Python prints running `statements` in a process of its own (a fresh set of imports and caches)."""
    code = ";".join(statements)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()


def test_no_heavy_imports() -> None:
    assert (
        printed_by(
            "import sys, quiz.picture, decks.loader, decks.diagrams.spec",
            "from decks.body.lowres import BAKES, lowres_view, view_keys",
            "[lowres_view(*key, bake) for key in view_keys() for bake in BAKES]",
            "print(sorted({'matplotlib', 'numpy', 'anki', 'genanki', 'PIL'} & set(sys.modules)))",
        )
        == "[]"
    )


def _one_column_steps(lines: tuple[str, ...]) -> int:
    """How often the body's left outline moves by a single column from one row of the picture to the next."""
    edges = [len(line) - len(line.lstrip()) for line in lines[:-1] if line.strip()]  # the last line: labels
    return sum(abs(b - a) == 1 for a, b in itertools.pairwise(edges))


def test_a_large_picture_is_drawn_from_the_fine_bake(facts: Facts, monkeypatch: pytest.MonkeyPatch) -> None:
    """45 rows for the soleus's lower leg enlarge a coarse cell over two columns and more: the outline moves in
    steps of two or more; drawn from the fine bake it moves a column at a time, as a drawn line does."""
    location = spec(facts, "soleus", "trp1", Variant.LOCATION)
    sharp = _one_column_steps(draw_picture(location, ColorMode.NONE, rows=44, max_width=80).lines)
    monkeypatch.setattr("quiz.picture.FINE", COARSE)  # as it was before the fine bake: blocks
    blocky = _one_column_steps(draw_picture(location, ColorMode.NONE, rows=44, max_width=80).lines)
    assert sharp >= 4 * max(1, blocky), (sharp, blocky)


def test_a_picture_for_an_80x24_terminal_reads_only_the_coarse_bake() -> None:
    every_picture = (
        "[draw_picture(DiagramSpec.for_trigger_point(m, t, Variant.FULL), ColorMode.NONE, rows=22, max_width=37)"
        " for m in load_facts(bundled_facts_dir()).muscles for t in m.trigger_points]"
    )
    assert (
        printed_by(
            "from decks.loader import load_facts; from source_facts import bundled_facts_dir",
            "from decks.diagrams.spec import DiagramSpec; from decks.diagrams import Variant",
            "from quiz.picture import draw_picture; from quiz.colors import ColorMode; from decks.body import lowres",
            every_picture,
            "print(lowres._stored.cache_info().currsize)",
        )
        == "1"
    )


@pytest.mark.parametrize("bake", BAKES, ids=lambda bake: bake.file)
def test_the_committed_terminal_views_are_current(bake: Bake) -> None:
    """Run `python tools/bake_terminal_views.py` after changing the mesh, the views or the raster code."""
    assert (files("decks.body") / "data" / bake.file).read_text() == bake_terminal_views(bake)
