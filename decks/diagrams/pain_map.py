"""A client's pain map as a picture (`myodeck lookup --picture`), beside the patterns of the
trigger points that may cause it.

The trigger-point diagrams' body, views and red, so the map reads like the charts it is
compared with; no X, and no essential/spillover legend on it: the client's pain is neither.
Each candidate is drawn as its card's full diagram (X, muscle, zones), its views as tall as the map's.
"""

from __future__ import annotations

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from decks.diagrams import Variant
from decks.diagrams.render import (
    BACKGROUND,
    DPI,
    INK,
    add_legend,
    diagram_width,
    draw_views,
    panel_layouts,
    to_png,
)
from decks.diagrams.spec import DiagramSpec
from decks.lookup import Candidate, Lookup
from decks.model import Facts

CANDIDATES_DRAWN = 3  # beside the pain map; more would shrink every picture on a screen
_GROUP_GAP_IN = 0.45  # between the pain map and each candidate
_SIDE_PANEL_HEIGHT_IN = 3.4  # views a little smaller than a card's, so four groups fit a screen


def pain_map_spec(region_ids: tuple[str, ...]) -> DiagramSpec:
    """The pain as an essential zone, first shown in the view that best shows most of its regions."""
    return DiagramSpec.for_pain(region_ids)


def pain_map_png(region_ids: tuple[str, ...]) -> bytes:
    """The PNG of the pain in `region_ids`, in as few views (at most three) as show it all."""
    spec = pain_map_spec(region_ids)
    views_width = diagram_width(spec)
    side, top, bottom = 0.12, 0.6, 0.45
    fig_width = max(3.6, views_width + 2 * side)
    fig_height = max((p.box[3] - p.box[2]) * p.scale for p in panel_layouts(spec)) + top + bottom
    fig = Figure(figsize=(fig_width, fig_height), dpi=DPI, facecolor=BACKGROUND)
    canvas = FigureCanvasAgg(fig)
    draw_views(fig, spec, (fig_width - views_width) / 2, bottom, pixels=True)
    text = {"ha": "center", "color": INK, "parse_math": False}
    fig.text(0.5, 1 - 0.08 / fig_height, spec.title, fontsize=11, weight="bold", va="top", **text)
    fig.text(0.5, 1 - 0.32 / fig_height, spec.subtitle, fontsize=9, va="top", **text)
    fig.text(0.5, 0.06 / fig_height, "red: where it hurts", fontsize=8.5, va="bottom", **text)
    canvas.draw()
    return to_png(np.asarray(canvas.buffer_rgba()))


def lookup_png(found: Lookup, facts: Facts) -> bytes:
    """The pain map of `found` and, beside it, the full diagrams of its first `CANDIDATES_DRAWN`
    candidates, numbered as `myodeck lookup` lists them, each titled with how much of the pain it covers."""
    height = _SIDE_PANEL_HEIGHT_IN
    groups = [("Pain map", "where it hurts", pain_map_spec(found.pain))]
    for number, candidate in enumerate(found.candidates[:CANDIDATES_DRAWN], start=1):
        muscle = facts.muscle(candidate.muscle_id)
        spec = DiagramSpec.for_trigger_point(muscle, muscle.trigger_point(candidate.trp_id), Variant.FULL)
        groups.append((f"{number}. {muscle.name} {candidate.trp_name}", _why(candidate), spec))
    # each group as wide as its views or its title (bold 10 pt: about 0.09 in a character)
    widths = [max(diagram_width(spec, height), 0.09 * len(title)) for title, _, spec in groups]
    side, top, bottom = 0.15, 0.75, 0.8
    fig_width = sum(widths) + _GROUP_GAP_IN * (len(groups) - 1) + 2 * side
    tallest = max((p.box[3] - p.box[2]) * p.scale for *_, spec in groups for p in panel_layouts(spec, height))
    fig_height = tallest + top + bottom
    fig = Figure(figsize=(fig_width, fig_height), dpi=DPI, facecolor=BACKGROUND)
    canvas = FigureCanvasAgg(fig)
    text = {"ha": "center", "color": INK, "parse_math": False}
    left = side
    for (title, subtitle, spec), width in zip(groups, widths, strict=True):
        views = diagram_width(spec, height)
        draw_views(fig, spec, left + (width - views) / 2, bottom, height, pixels=True)
        middle = (left + width / 2) / fig_width
        fig.text(middle, 1 - 0.08 / fig_height, title, fontsize=10, weight="bold", va="top", wrap=True, **text)
        fig.text(middle, 1 - 0.34 / fig_height, subtitle, fontsize=8, va="top", **text)
        left += width + _GROUP_GAP_IN
    if len(groups) > 1:
        add_legend(fig, [spec for *_, spec in groups[1:]], (0.5, 0.02), fontsize=8.5)
    canvas.draw()
    return to_png(np.asarray(canvas.buffer_rgba()))


def _why(candidate: Candidate) -> str:
    """Which of its zones reach the pain and how much of the pain it covers: 'essential zone; covers 67 %'."""
    zone = "essential zone" if candidate.essential else "spillover only"
    return f"{zone}; covers {round(100 * candidate.coverage)} % of the pain"
