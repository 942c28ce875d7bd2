"""Terminal pictures: same marks as the PNGs, in half-blocks, without matplotlib."""

from __future__ import annotations

import subprocess
import sys

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
    assert text.count("X") == 1
    assert "█" in text and "░" in text
    assert full.lines[-1].split() == ["posterior", "plantar"]
    assert "\x1b" not in text
    pattern = "\n".join(draw_picture(spec(facts, "gastrocnemius", "trp1", Variant.PATTERN), ColorMode.NONE).lines)
    assert "X" not in pattern and "█" in pattern
    location = "\n".join(draw_picture(spec(facts, "gastrocnemius", "trp1", Variant.LOCATION), ColorMode.NONE).lines)
    assert location.count("X") == 1 and "█" not in location and "░" not in location


def test_essential_zone_is_in_the_right_panel(facts: Facts) -> None:
    picture = draw_picture(spec(facts, "soleus", "trp1", Variant.PATTERN), ColorMode.NONE)
    posterior_width = len(picture.lines[-1]) - len(picture.lines[-1].lstrip()) + len("posterior")
    heel_rows = picture.lines[-6:-1]  # the bottom of both panels: heel behind, heel underneath
    assert any("█" in line[:posterior_width] for line in heel_rows)
    assert any("█" in line[posterior_width:] for line in heel_rows)


def test_colour_modes(facts: Facts) -> None:
    the_spec = spec(facts, "tibialis-anterior", "trp1", Variant.FULL)
    truecolor = "\n".join(draw_picture(the_spec, ColorMode.TRUECOLOR).lines)
    assert "\x1b[38;2;208;2;27m" in truecolor or "\x1b[48;2;208;2;27m" in truecolor
    assert "38;5;" in "\n".join(draw_picture(the_spec, ColorMode.COLOR256).lines)
    assert legend_lines(the_spec, ColorMode.NONE) == ["X  trigger point", "█  essential pain", "░  spillover pain"]


def test_every_bundled_picture_fits_40_columns(facts: Facts) -> None:
    for muscle in facts.muscles:
        for trp in muscle.trigger_points:
            for variant in Variant:
                picture = draw_picture(DiagramSpec.for_trigger_point(muscle, trp, variant), ColorMode.NONE)
                assert picture.width <= 40, (muscle.id, trp.id, variant)
                assert all(len(line) <= 40 for line in picture.lines)


def test_no_heavy_imports() -> None:
    code = (
        "import sys, quiz.picture, decks.loader, decks.diagrams.spec;"
        "heavy = {'matplotlib', 'numpy', 'anki', 'genanki', 'PIL'} & set(sys.modules);"
        "print(sorted(heavy))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
