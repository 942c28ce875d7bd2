"""Draw an occlusion picture: the body in its views, the muscles outlined, each target named in
the margin with a leader line, and where the masks go that hide each target and its name.

The views, skin, muscles and X are drawn exactly as on the trigger-point diagrams
(`decks.diagrams.render`). A muscle's mask is its projected outline (the half-height
contour of its softened mask on the skin, a little outside the drawn edge so the line is
hidden too), simplified to a polygon; an X's mask is a square over the X and its halo; each
name's mask is the rectangle matplotlib lays its text in. The masks are written into the
PNG (`decks.occlusion.with_masks`), so a cached picture carries its own.
"""

from __future__ import annotations

import dataclasses
import textwrap
from dataclasses import dataclass
from functools import cache

import contourpy
import numpy as np
from contourpy import FillType
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from decks.body.facing import Facing
from decks.body.layout import FLOOR, SIDE_MARGIN, WAIST, Box, PanelLayout, layout_panels
from decks.body.raster import view_raster
from decks.body.surface import LEFT_LIMB_PART, RIGHT_LIMB_PARTS
from decks.body.views import SETUPS
from decks.diagrams.render import (
    _PANEL_GAP_IN,
    BACKGROUND,
    DPI,
    INK,
    Panel,
    Rendering,
    _blur,
    _body_box,
    _body_paths,
    _draw_body,
    _draw_muscle,
    _draw_x,
    _landmark_paths,
    _mask_box,
    _PanelDrawing,
    _pixels,
    _skin_image,
    _softness_cells,
    muscle_mask,
    shown_mask,
    to_png,
    trigger_point_in_view,
    trigger_point_place,
)
from decks.occlusion import Mask, MaskedTarget, OcclusionSpec, with_masks
from decks.regions import View

WHOLE_VIEW_HEIGHT_IN = 7.0  # a whole leg and hip: tall enough to name a dozen muscles beside it
TRIGGER_POINTS_HEIGHT_IN = 4.4
LABEL_SIZE = 10.0  # points
_LINE_IN = 0.2  # a line of a name; names in a column keep this far apart
_CHAR_IN = 0.08  # about the width of a letter at LABEL_SIZE
_WRAP = 24  # letters: a longer name takes two lines, so the picture stays narrow for a phone
_COLUMN_GAP_IN = 0.35  # between a column of names and the views
_MIN_AREA = 3.0  # %H²: a muscle showing less of itself in a view is not named there
_MIN_PIECE = 0.3  # %H²: smaller pieces of an outline get no mask of their own
# Mean cosine of the angle between a muscle's skin and the camera (about 72°): seen more nearly
# edge-on, a muscle is a sliver along the outline (the tensor fasciae latae from behind), and a
# student should not learn it as a muscle of that view; the view that faces it names it.
_MIN_FACING = 0.3
_MASK_LEVEL = 0.45  # a little outside the cells: the mask covers the outline's stroke
_SIMPLIFY_PX = 1.5  # how far a mask's polygon may stray from the outline
_X_HALF_PX = 20  # half the side of an X's square mask (the X and its white halo)
_TEXT_PAD_PX = 3
_PAST_MIDLINE = 1.0  # %H: how much of the left half of the pelvis a whole view keeps


@dataclass(frozen=True)
class _Placed:
    """A target as drawn: its panel, where its leader line points (screen units), its outline pieces."""

    index: int
    layout: PanelLayout
    panel: Panel | None  # known once drawn
    anchor: tuple[float, float]
    outline: tuple[np.ndarray, ...]  # polygons in screen units (a muscle); empty for an X


def render_png(spec: OcclusionSpec) -> bytes:
    return render(spec).png


def render(spec: OcclusionSpec) -> Rendering:
    """The picture of `spec`, its masks recorded in the PNG, with where each view landed."""
    layouts = _layouts(spec)
    views_width = sum(p.width for p in layouts) + _PANEL_GAP_IN * (len(layouts) - 1)
    panels_height = max((p.box[3] - p.box[2]) * p.scale for p in layouts)
    placed = _place_targets(spec, layouts)
    # A view draws only the muscles it names, and their masks give way to no other.
    while spec.whole_view and len(placed) < len(spec.targets):
        spec = dataclasses.replace(spec, targets=tuple(spec.targets[p.index] for p in placed))
        placed = _place_targets(spec, layouts)
    names = [textwrap.fill(spec.targets[p.index].label, _WRAP) for p in placed]
    sides = _sides(placed, layouts)
    left_col, right_col = _margin(names, sides, "left"), _margin(names, sides, "right")
    top, bottom = 0.45, 0.35
    fig_width = left_col + views_width + right_col
    fig_height = top + panels_height + bottom
    fig = Figure(figsize=(fig_width, fig_height), dpi=DPI, facecolor=BACKGROUND)
    canvas = FigureCanvasAgg(fig)
    panels = _draw_panels(fig, spec, layouts, left_col, bottom, panels_height)
    placed = [_Placed(p.index, p.layout, panels[p.layout.view], p.anchor, p.outline) for p in placed]
    fig.text(
        0.5, 1 - 0.1 / fig_height, spec.title, ha="center", va="top", fontsize=11, weight="bold", color=INK,
        parse_math=False,
    )  # fmt: skip
    texts = _draw_names(fig, placed, names, sides, (left_col, left_col + views_width), (bottom, fig_height - top))
    canvas.draw()
    renderer = canvas.get_renderer()
    width_px, height_px = canvas.get_width_height()
    targets = []
    for target, text in zip(placed, texts, strict=True):
        box = text.get_window_extent(renderer)
        name_mask = _rect(
            box.x0 - _TEXT_PAD_PX, height_px - box.y1 - _TEXT_PAD_PX, box.width + 2 * _TEXT_PAD_PX,
            box.height + 2 * _TEXT_PAD_PX, width_px, height_px,
        )  # fmt: skip
        if target.outline:
            shapes = [_polygon(outline, target.panel, width_px, height_px) for outline in target.outline]
        else:
            x, y = _to_px(target.panel, target.anchor)
            shapes = [_rect(x - _X_HALF_PX, y - _X_HALF_PX, 2 * _X_HALF_PX, 2 * _X_HALF_PX, width_px, height_px)]
        chosen = spec.targets[target.index]
        targets.append(MaskedTarget(chosen.id, chosen.label, (*shapes, name_mask)))
    png = with_masks(to_png(np.asarray(canvas.buffer_rgba())), targets)
    return Rendering(png, width_px, height_px, tuple(panels.values()))


def _margin(names: list[str], sides: list[str], side: str) -> float:
    """Inches one margin takes: its longest line of a name and the gap to the views."""
    widest = max(
        (len(line) for name, s in zip(names, sides, strict=True) if s == side for line in name.split("\n")), default=0
    )
    return widest * _CHAR_IN + _COLUMN_GAP_IN if widest else 0.2


def prepare(spec: OcclusionSpec) -> None:
    """Compute (and cache) the views, muscles and trigger points the workers share, once, before
    they fork; after this, drawing `spec` needs no surface samples."""
    for panel in _layouts(spec):
        _body_paths(panel.view, panel.facing, panel.parts)
        _skin_image(panel.view, panel.facing, panel.parts)
        _landmark_paths(panel.view, panel.facing)
        if spec.whole_view:
            _toward_camera(panel.view, panel.facing)
        shapes = {target.shape for target in spec.targets} | {spec.muscle_shape}
        for shape in sorted(shape for shape in shapes if shape is not None):
            muscle_mask(panel.view, panel.facing, shape)
        for target in spec.targets:
            if target.position is not None:
                trigger_point_place(target.position, spec.muscle_shape)


def _layouts(spec: OcclusionSpec) -> tuple[PanelLayout, ...]:
    """A whole view from the floor to the waist; a muscle's trigger points as a diagram frames them."""

    def mark_box(view, facing) -> Box | None:
        skin = view_raster(view, facing)
        if spec.whole_view:
            return (0.0, 0.0, FLOOR, SETUPS[view].top_level or WAIST)  # the medial view stops at the groin
        box = _mask_box(skin, muscle_mask(view, facing, spec.muscle_shape))
        for target in spec.targets:
            if target.position is not None and target.position.view is view:
                xy = trigger_point_in_view(target.position, spec.muscle_shape, view, facing)
                if xy is not None:
                    x, y = xy
                    box = (
                        (x, x, y, y)
                        if box is None
                        else (min(box[0], x), max(box[1], x), min(box[2], y), max(box[3], y))
                    )
        return box

    if not spec.whole_view:
        return layout_panels(spec.views, spec.facings, mark_box, _body_box, TRIGGER_POINTS_HEIGHT_IN)
    # The right leg and the right half of the pelvis: the rest would only push the names away from their muscles.
    layouts = layout_panels(spec.views, spec.facings, mark_box, _body_box, WHOLE_VIEW_HEIGHT_IN)
    return tuple(_right_half(layout) for layout in layouts)


def _right_half(layout: PanelLayout) -> PanelLayout:
    """A view of both legs cut down to the right leg, and the pelvis to just past the midline."""
    if LEFT_LIMB_PART not in layout.parts:
        return layout
    xmin, xmax, _, _ = _body_box(layout.view, layout.facing, RIGHT_LIMB_PARTS, layout.box[2:])
    xmin, xmax = min(xmin, -_PAST_MIDLINE), max(xmax, _PAST_MIDLINE)
    box = (xmin - SIDE_MARGIN, xmax + SIDE_MARGIN, *layout.box[2:])
    return dataclasses.replace(layout, box=box, parts=layout.parts - {LEFT_LIMB_PART})


def _place_targets(spec: OcclusionSpec, layouts: tuple[PanelLayout, ...]) -> list[_Placed]:
    """The targets the views show: each muscle seen well enough, each X in its own view."""
    placed = []
    for index, target in enumerate(spec.targets):
        for layout in layouts:
            if target.shape is not None:
                outline, anchor = _muscle_outline(layout, _own_cells(spec, layout, target.shape))
                if outline:
                    placed.append(_Placed(index, layout, None, anchor, outline))
                    break
            elif target.position is not None and target.position.view is layout.view:
                xy = trigger_point_in_view(target.position, spec.muscle_shape, layout.view, layout.facing)
                if xy is not None:
                    placed.append(_Placed(index, layout, None, xy, ()))
                    break
    return placed


def _cells(layout: PanelLayout, shape: str) -> np.ndarray:
    """The muscle's cells on the skin the panel shows."""
    skin = view_raster(layout.view, layout.facing)
    xmin, xmax, ymin, ymax = layout.box
    inside_box = (skin.xs[None, :] >= xmin) & (skin.xs[None, :] <= xmax)
    inside_box = inside_box & (skin.ys[:, None] >= ymin) & (skin.ys[:, None] <= ymax)
    return (
        muscle_mask(layout.view, layout.facing, shape)
        & shown_mask(layout.view, layout.facing, layout.parts)
        & inside_box
    )


def _own_cells(spec: OcclusionSpec, layout: PanelLayout, shape: str) -> np.ndarray:
    """The muscle's cells less those of any smaller muscle of the picture drawn over it.

    Anki draws the other cards' masks over the asked one's, so masks must not overlap; where two
    outlines do, the smaller muscle keeps the overlap (the gastrocnemius over the soleus) and stays whole.
    """
    own = _cells(layout, shape)
    size = int(own.sum())
    for other in dict.fromkeys(t.shape for t in spec.targets if t.shape not in (None, shape)):
        cells = _cells(layout, other)
        if (cells & own).any() and (int(cells.sum()), other) < (size, shape):
            own = own & ~cells
    return own


def _muscle_outline(layout: PanelLayout, mask: np.ndarray) -> tuple[tuple[np.ndarray, ...], tuple[float, float]]:
    """The pieces of the outline of the muscle's `mask` (screen units), and a point well inside it;
    no pieces when the muscle shows too little of itself there."""
    skin = view_raster(layout.view, layout.facing)
    cell = skin.step * skin.step
    if mask.sum() * cell < _MIN_AREA or np.mean(_toward_camera(layout.view, layout.facing)[mask]) < _MIN_FACING:
        return (), (0.0, 0.0)
    field = _blur(mask, 1)  # less than the drawing: a thin strip keeps its mask
    generator = contourpy.contour_generator(skin.xs, skin.ys, field, fill_type=FillType.OuterOffset)
    rings, offsets = generator.filled(_MASK_LEVEL, np.inf)
    pieces = []
    for points, starts in zip(rings, offsets, strict=True):
        outer = points[starts[0] : starts[1]]
        if _area(outer) >= _MIN_PIECE:
            pieces.append(_simplified(outer, _SIMPLIFY_PX / (layout.scale * DPI)))
    deepest = _blur(mask, _softness_cells(skin, 1.2))
    row, col = np.unravel_index(int(np.argmax(deepest)), deepest.shape)
    return tuple(pieces), (float(skin.xs[col]), float(skin.ys[row]))


@cache
def _toward_camera(view: View, facing: Facing) -> np.ndarray:
    """Each cell's cosine of the angle between the skin and the camera (`prepare` keeps it for the workers)."""
    skin = view_raster(view, facing)
    return skin.normal @ np.asarray(skin.camera.toward, dtype=skin.normal.dtype)


def _area(ring: np.ndarray) -> float:
    x, y = ring[:, 0], ring[:, 1]
    return 0.5 * abs(float(np.dot(x, np.roll(y, 1)) - np.dot(y, np.roll(x, 1))))


def _simplified(ring: np.ndarray, tolerance: float) -> np.ndarray:
    """The ring with fewer corners (Douglas-Peucker), none further than `tolerance` from it."""
    keep = np.zeros(len(ring), dtype=bool)
    keep[0] = keep[-1] = True
    stack = [(0, len(ring) - 1)]
    while stack:
        start, end = stack.pop()
        if end <= start + 1:
            continue
        a, b = ring[start], ring[end]
        segment = b - a
        length = float(np.hypot(*segment))
        between = ring[start + 1 : end]
        if length == 0:
            distance = np.hypot(*(between - a).T)
        else:
            distance = np.abs(segment[0] * (between[:, 1] - a[1]) - segment[1] * (between[:, 0] - a[0])) / length
        worst = int(np.argmax(distance))
        if distance[worst] > tolerance:
            middle = start + 1 + worst
            keep[middle] = True
            stack.extend([(start, middle), (middle, end)])
    simplified = ring[keep]
    return simplified[:-1] if len(simplified) > 3 and np.allclose(simplified[0], simplified[-1]) else simplified


def _sides(placed: list[_Placed], layouts: tuple[PanelLayout, ...]) -> list[str]:
    """Each name goes in the margin nearer its target: the targets left of their middle on the left.

    Across the views, a target's place is its panel's number plus how far across that panel it lies.
    """
    places = []
    for target in placed:
        xmin, xmax = target.layout.box[:2]
        places.append(layouts.index(target.layout) + (target.anchor[0] - xmin) / (xmax - xmin))
    middle = float(np.median(places)) if places else 0.0
    return ["left" if place < middle else "right" for place in places]


def _draw_panels(
    fig: Figure, spec: OcclusionSpec, layouts: tuple[PanelLayout, ...], left: float, bottom: float, height: float
) -> dict:
    """The views side by side, with the muscles and the X; where each view landed, in pixels."""
    panels = {}
    for layout in layouts:
        drawing = _PanelDrawing(fig, layout, left, 0.0)
        drawing = _PanelDrawing(fig, layout, left, bottom + (height - drawing.height) / 2)
        left += layout.width + _PANEL_GAP_IN
        clip = _draw_body(drawing, pixels=True)
        shapes = [spec.muscle_shape] if spec.muscle_shape else [t.shape for t in spec.targets]
        for shape in dict.fromkeys(shapes):
            _draw_muscle(drawing, shape, clip)
        for target in spec.targets:
            if target.position is not None and target.position.view is layout.view:
                xy = trigger_point_in_view(target.position, spec.muscle_shape, layout.view, layout.facing)
                if xy is not None:
                    _draw_x(drawing, xy)
        panels[layout.view] = _pixels(drawing)
    return panels


def _draw_names(
    fig: Figure,
    placed: list[_Placed],
    names: list[str],
    sides: list[str],
    views_x: tuple[float, float],
    levels: tuple[float, float],
) -> list:
    """Each name in its margin, level with its target where room allows, and a line to the target."""
    dpi = fig.dpi
    height_in = fig.get_size_inches()[1]
    texts: list = [None] * len(placed)
    for side in ("left", "right"):
        chosen = [i for i, s in enumerate(sides) if s == side]
        anchors = {}
        for i in chosen:
            x, y = _to_px(placed[i].panel, placed[i].anchor)
            anchors[i] = (x / dpi, height_in - y / dpi)
        chosen.sort(key=lambda i: -anchors[i][1])
        heights = _spread([anchors[i][1] for i in chosen], [names[i].count("\n") + 1 for i in chosen], levels)
        x_text = views_x[0] - 0.12 if side == "left" else views_x[1] + 0.12
        for i, y in zip(chosen, heights, strict=True):
            ax, ay = anchors[i]
            line = Line2D(
                [x_text + (0.04 if side == "left" else -0.04), ax], [y, ay], color=INK, lw=0.7, zorder=7,
                transform=fig.dpi_scale_trans,
            )  # fmt: skip
            fig.add_artist(line)
            fig.add_artist(Line2D([ax], [ay], marker="o", ms=2.8, color=INK, zorder=7, transform=fig.dpi_scale_trans))
            texts[i] = fig.text(
                x_text, y, names[i], ha="right" if side == "left" else "left", va="center", fontsize=LABEL_SIZE,
                color=INK, parse_math=False, transform=fig.dpi_scale_trans,
            )  # fmt: skip
    return texts


def _spread(wanted: list[float], lines: list[int], levels: tuple[float, float]) -> list[float]:
    """Heights of the names' middles (inches, top first) as near `wanted` as keeps the names
    (of so many `lines`) clear of each other, all within `levels`."""
    low, high = levels
    heights: list[float] = []
    for k, y in enumerate(wanted):
        room = (lines[k - 1] + lines[k]) / 2 * _LINE_IN if k else 0.0
        heights.append(min(y, high - lines[k] / 2 * _LINE_IN, heights[-1] - room if heights else high))
    if heights and heights[-1] < low + lines[-1] / 2 * _LINE_IN:  # pushed below the bottom: push back up
        heights[-1] = low + lines[-1] / 2 * _LINE_IN
        for k in range(len(heights) - 2, -1, -1):
            heights[k] = max(heights[k], heights[k + 1] + (lines[k] + lines[k + 1]) / 2 * _LINE_IN)
    return heights


def _rect(left: float, top: float, width: float, height: float, width_px: int, height_px: int) -> Mask:
    left, top = max(0.0, left), max(0.0, top)
    width, height = min(width, width_px - left), min(height, height_px - top)
    return Mask("rect", _r(left / width_px), _r(top / height_px), _r(width / width_px), _r(height / height_px))


def _polygon(ring: np.ndarray, panel: Panel, width_px: int, height_px: int) -> Mask:
    xs = np.clip((panel.sx * ring[:, 0] + panel.tx) / width_px, 0.0, 1.0)
    ys = np.clip((panel.sy * ring[:, 1] + panel.ty) / height_px, 0.0, 1.0)
    points = tuple((_r(float(x)), _r(float(y))) for x, y in zip(xs, ys, strict=True))
    left, top = min(x for x, _ in points), min(y for _, y in points)
    right, bottom = max(x for x, _ in points), max(y for _, y in points)
    return Mask("polygon", left, top, _r(right - left), _r(bottom - top), points)


def _to_px(panel: Panel, xy: tuple[float, float]) -> tuple[float, float]:
    """Where a screen point of the panel's view lands in the picture, in pixels from its top left."""
    return panel.sx * xy[0] + panel.tx, panel.sy * xy[1] + panel.ty


def _r(value: float) -> float:
    return round(value, 4)
