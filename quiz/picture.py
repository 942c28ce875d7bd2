"""Trigger-point pictures in the terminal, drawn with Unicode half-blocks.

The same body, views, layout, regions and muscle shapes as the PNG renderer, read from
the pre-projected terminal views (`decks.body.lowres`) in pure Python: the quiz must
start without matplotlib or numpy. A panel that would enlarge the coarse bake's cells
into blocks is drawn from the fine bake, so a large terminal shows a sharp picture; a
small one never reads it. Each character cell shows two pixels (upper half block,
foreground = top pixel, background = bottom).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from decks.body.facing import Facing
from decks.body.layout import Box, PanelLayout, layout_panels
from decks.body.lowres import COARSE, FINE, Bake, LowResView, lowres_view
from decks.body.muscle_shapes import MUSCLE_SHAPES
from decks.body.region_shapes import REGION_PATCHES
from decks.body.surface import Patch, SurfaceSample, patches_contain
from decks.body.views import SETUPS
from decks.diagrams.spec import DiagramSpec, choose_views, panel_facings
from decks.regions import REGIONS, View
from quiz.colors import ColorMode

if TYPE_CHECKING:  # annotations only: the fact classes load when a question first reads a muscle
    from decks.outline import Position

RGB = tuple[int, int, int]
SKIN: RGB = (244, 225, 210)
MUSCLE: RGB = (221, 178, 158)
OUTLINE: RGB = (107, 74, 54)
RED: RGB = (208, 2, 27)
INK: RGB = (20, 20, 20)

_OUTSIDE, _SKIN, _MUSCLE, _EDGE, _DOT, _ESSENTIAL = range(6)
_COLOURS: dict[int, RGB] = {_SKIN: SKIN, _MUSCLE: MUSCLE, _EDGE: OUTLINE, _DOT: RED, _ESSENTIAL: RED}
# Without colour each cell becomes one character, strongest mark first.
_MONO = ((_ESSENTIAL, "█"), (_DOT, "░"), (_EDGE, ":"), (_MUSCLE, "+"), (_SKIN, "."))
_RESET = "\x1b[0m"
_GAP = 2  # columns between panels
_X_VISIBLE_DEPTH = 1.5  # %H, as in the PNG renderer plus a cell's slack
# A coarse cell drawn over more pixels than this (a large terminal): the panel comes from the fine bake.
FINE_FROM = 1.5


@dataclass(frozen=True)
class TerminalPicture:
    """Ready-to-print lines (with escape codes in colour modes) and their visible width."""

    lines: tuple[str, ...]
    width: int


def _cells(view: LowResView):
    for row, line in enumerate(view.samples):
        for col, sample in enumerate(line):
            if sample is not None:
                yield row, col, sample


@cache
def _inside(view: View, facing: Facing, patches: tuple[Patch, ...], bake: Bake = COARSE) -> frozenset[tuple[int, int]]:
    """The cells of a view whose skin lies in `patches` (cached: each region is tested once per view)."""
    cells = lowres_view(view, facing, bake)
    return frozenset((row, col) for row, col, sample in _cells(cells) if patches_contain(patches, sample))


def _region_cells(
    view: View, facing: Facing, regions: tuple[str, ...], bake: Bake = COARSE
) -> frozenset[tuple[int, int]]:
    """Cells of the regions listed with `view` (the PNG draws a region only in those views too)."""
    found: set[tuple[int, int]] = set()
    for region in regions:
        if view in REGIONS[region].views:
            found |= _inside(view, facing, REGION_PATCHES[region], bake)
    return frozenset(found)


def _box(view: LowResView, cells) -> Box | None:
    if not cells:
        return None
    rows = [row for row, _ in cells]
    cols = [col for _, col in cells]
    return (
        view.x0 + min(cols) * view.step,
        view.x0 + (max(cols) + 1) * view.step,
        view.y0 + min(rows) * view.step,
        view.y0 + (max(rows) + 1) * view.step,
    )


_NEIGHBOURS = ((1, 0), (-1, 0), (0, 1), (0, -1))


@cache
def _place(position: Position, shape: str | None) -> tuple[float, float, float]:
    """The point of skin a position names, found as `render.trigger_point_place` finds it (well inside
    its region and inside its muscle, where they meet), on coarse cells."""
    facing = Facing.FRONT if position.view is View.DORSAL else Facing.BEHIND
    view = lowres_view(position.view, facing)
    cells = _inside(position.view, facing, REGION_PATCHES[position.region])
    if not cells:  # a region too small for these cells: its nearest cell will do
        cells = frozenset((row, col) for row, col, _ in _cells(view))
    centres = {cell: view.centre(*cell) for cell in cells}
    xs = [x for x, _ in centres.values()]
    ys = [y for _, y in centres.values()]
    across = position.across if SETUPS[position.view].across_to_right(facing) else 1.0 - position.across
    x = min(xs) + across * (max(xs) - min(xs))
    y = max(ys) - position.down * (max(ys) - min(ys))
    inner = _interior(cells)
    muscle = _inside(position.view, facing, MUSCLE_SHAPES[shape].patches) if shape is not None else cells
    allowed = next(found for found in (inner & muscle, cells & muscle, inner, cells) if found)
    row, col = min(allowed, key=lambda c: (centres[c][0] - x) ** 2 + (centres[c][1] - y) ** 2)
    # Off the muscle's outline, by one cell at most (as the PNG's X is nudged, `_X_NUDGE`): the cell's
    # own, or a neighbour's of the region inside the muscle, the nearest to the named point.
    nudged = {(row + dr, col + dc) for dr in (-1, 0, 1) for dc in (-1, 0, 1)} & cells & _interior(muscle)
    if nudged and (row, col) not in nudged:
        row, col = min(nudged, key=lambda c: (centres[c][0] - x) ** 2 + (centres[c][1] - y) ** 2)
    return view.samples[row][col].position  # type: ignore[union-attr]


def _interior(cells: frozenset[tuple[int, int]]) -> frozenset[tuple[int, int]]:
    """The cells whose four neighbours are among `cells`: those not on its outline."""
    return frozenset(c for c in cells if all((c[0] + dr, c[1] + dc) in cells for dr, dc in _NEIGHBOURS))


def _x_in_view(position: Position, shape: str | None, view: LowResView) -> tuple[float, float] | None:
    x, y, depth = view.camera.project(_place(position, shape))
    sample = view.sample_at(x, y)
    if sample is None or view.depth(sample) - depth > _X_VISIBLE_DEPTH + view.step:
        return None
    return x, y


def _layouts(spec: DiagramSpec, panel_height: float) -> tuple[PanelLayout, ...]:
    views = choose_views(spec)

    def mark_box(view: View, facing: Facing) -> Box | None:
        cells = set(_region_cells(view, facing, spec.zones))
        if spec.muscle_shape:
            cells |= _inside(view, facing, MUSCLE_SHAPES[spec.muscle_shape].patches)
        low = lowres_view(view, facing)
        box = _box(low, cells)
        if spec.position is not None and (xy := _x_in_view(spec.position, spec.muscle_shape, low)):
            x, y = xy
            box = (x, x, y, y) if box is None else (min(box[0], x), max(box[1], x), min(box[2], y), max(box[3], y))
        return box

    def body_box(view: View, facing: Facing, parts: frozenset[int], levels: tuple[float, float] | None) -> Box:
        low = lowres_view(view, facing)
        cells = [
            (row, col)
            for row, col, sample in _cells(low)
            if sample.part in parts and (levels is None or levels[0] <= low.centre(row, col)[1] <= levels[1])
        ]
        return _box(low, cells) or (low.x0, low.x0 + low.cols * low.step, low.y0, low.y0 + low.rows * low.step)

    return layout_panels(views, panel_facings(views), mark_box, body_box, panel_height)


def _panel(spec: DiagramSpec, layout: PanelLayout, height: int) -> tuple[list[list[int]], tuple[int, int] | None]:
    """Classify each pixel of one panel; return the grid and the X's cell (col, row)."""
    unit = 1.0 / layout.scale  # %H per pixel
    bake = FINE if FINE_FROM * unit < COARSE.step(layout.view) else COARSE
    view = lowres_view(layout.view, layout.facing, bake)
    xmin, xmax, ymin, ymax = layout.box
    width = max(1, math.ceil((xmax - xmin) / unit))
    top = (ymin + ymax) / 2 + height * unit / 2  # a foot panel smaller than the limb panels is centred
    essential = _region_cells(layout.view, layout.facing, spec.essential, bake)
    spillover = _region_cells(layout.view, layout.facing, spec.spillover, bake)
    shape = MUSCLE_SHAPES[spec.muscle_shape].patches if spec.muscle_shape else None
    muscle = _inside(layout.view, layout.facing, shape, bake) if shape else ()
    grid: list[list[int]] = []
    for py in range(height):
        y = top - (py + 0.5) * unit
        row: list[int] = []
        for px in range(width):
            x = xmin + (px + 0.5) * unit
            cell = view.cell_of(x, y)
            sample = view.sample_at(x, y)
            if not _shown(sample, layout):
                row.append(_OUTSIDE)
            elif cell in essential:
                row.append(_ESSENTIAL)
            elif px % 2 == 0 and py % 2 == 0 and cell in spillover:
                row.append(_DOT)
            elif cell in muscle:
                row.append(_MUSCLE)
            else:
                row.append(_SKIN)
        grid.append(row)
    for py, row in enumerate(grid):  # a skin pixel next to the outside is the outline
        for px, value in enumerate(row):
            if value in (_SKIN, _MUSCLE) and any(
                not (0 <= py + dy < len(grid) and 0 <= px + dx < width) or grid[py + dy][px + dx] == _OUTSIDE
                for dx, dy in ((1, 0), (-1, 0), (0, 1), (0, -1))
            ):
                row[px] = _EDGE
    x_cell = None
    if spec.position and (xy := _x_in_view(spec.position, spec.muscle_shape, view)):
        x_cell = (int((xy[0] - xmin) / unit), int((top - xy[1]) / unit) // 2)
    return grid, x_cell


def _shown(sample: SurfaceSample | None, layout: PanelLayout) -> bool:
    return sample is not None and sample.part in layout.parts


def _colour(rgb: RGB, mode: ColorMode, background: bool) -> str:
    if mode is ColorMode.TRUECOLOR:
        return f"\x1b[{48 if background else 38};2;{rgb[0]};{rgb[1]};{rgb[2]}m"
    index = 16 + 36 * round(rgb[0] / 255 * 5) + 6 * round(rgb[1] / 255 * 5) + round(rgb[2] / 255 * 5)
    return f"\x1b[{48 if background else 38};5;{index}m"


def _cell(top: int, bottom: int, mode: ColorMode) -> str:
    if mode is ColorMode.NONE:
        return next((char for mark, char in _MONO if mark in (top, bottom)), " ")
    if top == _OUTSIDE and bottom == _OUTSIDE:
        return _RESET + " "
    if top == _OUTSIDE:
        return _RESET + _colour(_COLOURS[bottom], mode, False) + "▄"
    if bottom == _OUTSIDE:
        return _RESET + _colour(_COLOURS[top], mode, False) + "▀"
    return _colour(_COLOURS[top], mode, False) + _colour(_COLOURS[bottom], mode, True) + "▀"


def _x_cell(top: int, bottom: int, mode: ColorMode) -> str:
    if mode is ColorMode.NONE:
        return "X"
    under = _COLOURS.get(bottom if bottom != _OUTSIDE else top, SKIN)
    return _colour(under, mode, True) + _colour(INK, mode, False) + "\x1b[1mX\x1b[22m"


def legend_lines(spec: DiagramSpec, mode: ColorMode, *others: DiagramSpec) -> list[str]:
    """The marks, explained, in the same characters and colours as the picture; with `others`, one
    legend for them all (two pictures side by side share it, to leave the pictures more room)."""

    def mark(kind: int, char: str) -> str:
        if mode is ColorMode.NONE:
            return dict(_MONO)[kind]
        return _colour(_COLOURS[kind], mode, False) + char + _RESET

    specs = (spec, *others)
    shapes = [s.muscle_shape for s in specs if s.muscle_shape]
    lines = []
    if shapes:
        deep = " (deep)" if all(MUSCLE_SHAPES[shape].deep for shape in shapes) else ""
        lines.append(f"{mark(_MUSCLE, '█')}  muscle{deep}")
    if any(s.position for s in specs):
        lines.append("X  trigger point")
    for label in dict.fromkeys(s.essential_label for s in specs if s.essential):  # a pain map's says so
        lines.append(f"{mark(_ESSENTIAL, '█')}  {label}")
    if any(s.spillover for s in specs):
        lines.append(f"{mark(_DOT, '░')}  spillover pain")
    return lines


def _fitting(spec: DiagramSpec, rows: int, max_width: int) -> tuple[int, tuple[PanelLayout, ...]]:
    """The most rows (up to `rows`) at which the panels side by side fit `max_width` columns."""
    while True:
        layouts = _layouts(spec, 2 * rows)
        width = sum(math.ceil(layout.width) for layout in layouts) + _GAP * (len(layouts) - 1)
        if width <= max_width or rows <= 4:
            return rows, layouts
        rows -= 1


# How anatomy texts shorten the names of the views, for a panel too narrow for the whole name.
_VIEW_ABBREVIATIONS = {
    "anterior": "ant.",
    "posterior": "post.",
    "lateral": "lat.",
    "medial": "med.",
    "plantar": "plant.",
    "dorsal": "dors.",
}


def _label(text: str, width: int) -> str:
    """A panel's label centred under it. Under a narrow panel the view's name is shortened as
    anatomy texts shorten it ("post. ×2"), then the enlargement is left out, then it is cut."""
    view, _, enlarged = text.partition(" ")
    short = _VIEW_ABBREVIATIONS.get(view, view)
    for shown in (text, f"{short} {enlarged}".rstrip(), short):
        if len(shown) <= width:
            return shown.center(width)
    return short[:width]


def draw_picture(spec: DiagramSpec, mode: ColorMode, rows: int = 22, max_width: int = 40) -> TerminalPicture:
    """The spec's views side by side, at most `rows` lines high and `max_width` wide, labelled."""
    rows, layouts = _fitting(spec, rows, max_width)
    panels = [(layout, *_panel(spec, layout, 2 * rows)) for layout in layouts]
    lines = []
    for row in range(rows):
        parts = []
        for _, grid, x_cell in panels:
            top, bottom = grid[2 * row], grid[2 * row + 1]
            cells = [
                _x_cell(t, b, mode) if x_cell == (col, row) else _cell(t, b, mode)
                for col, (t, b) in enumerate(zip(top, bottom, strict=True))
            ]
            parts.append("".join(cells) + (_RESET if mode is not ColorMode.NONE else ""))
        lines.append((" " * _GAP).join(parts))
    labels = (" " * _GAP).join(_label(layout.label, len(grid[0])) for layout, grid, _ in panels)
    width = sum(len(grid[0]) for _, grid, _ in panels) + _GAP * (len(panels) - 1)
    return TerminalPicture((*lines, labels), width)
