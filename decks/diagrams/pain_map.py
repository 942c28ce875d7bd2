"""A client's pain map as a picture (`myodeck lookup --picture`).

The trigger-point diagrams' body, views and red, so the map reads like the charts it is
compared with; no X, and no essential/spillover legend: the client's pain is neither.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from decks.diagrams import Variant
from decks.diagrams.render import BACKGROUND, DPI, INK, diagram_width, draw_views, panel_layouts, to_png
from decks.diagrams.spec import DiagramSpec
from decks.regions import REGIONS


def pain_map_spec(region_ids: tuple[str, ...]) -> DiagramSpec:
    """The pain as an essential zone, first shown in the view that best shows most of its regions."""
    home = Counter(REGIONS[region].views[0] for region in region_ids).most_common(1)[0][0]
    return DiagramSpec(Variant.PATTERN, "Pain map", "right leg", home, None, region_ids, ())


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
