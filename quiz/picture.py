"""Trigger-point pictures in the terminal, drawn with Unicode half-blocks.

Reads the same geometry and the same DiagramSpec as the PNG renderer, in pure
Python: the quiz must start without matplotlib or numpy. Each character cell
shows two pixels (upper half block, foreground = top pixel, background = bottom).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

from decks.diagrams.geometry import FRAMES, OUTLINES, REGION_SHAPES, Ellipse, Point, Shape
from decks.diagrams.spec import DiagramSpec, choose_views
from decks.model import Position
from decks.regions import View
from quiz.colors import ColorMode

RGB = tuple[int, int, int]
SKIN: RGB = (244, 225, 210)
OUTLINE: RGB = (107, 74, 54)
RED: RGB = (208, 2, 27)
INK: RGB = (20, 20, 20)

_OUTSIDE, _SKIN, _EDGE, _DOT, _ESSENTIAL = range(5)
_COLOURS: dict[int, RGB] = {_SKIN: SKIN, _EDGE: OUTLINE, _DOT: RED, _ESSENTIAL: RED}
# Without colour each cell becomes one character, strongest mark first.
_MONO = ((_ESSENTIAL, "█"), (_DOT, "░"), (_EDGE, ":"), (_SKIN, "."))
_RESET = "\x1b[0m"


@dataclass(frozen=True)
class TerminalPicture:
    """Ready-to-print lines (with escape codes in colour modes) and their visible width."""

    lines: tuple[str, ...]
    width: int


def _catmull_rom(points: tuple[Point, ...], samples: int = 6) -> list[Point]:
    """Sample the same closed curve the PNG renderer draws, as a fine polygon."""
    count = len(points)
    polygon: list[Point] = []
    for i in range(count):
        p0, p1, p2, p3 = (points[(i + k) % count] for k in (-1, 0, 1, 2))
        for step in range(samples):
            t = step / samples
            t2, t3 = t * t, t * t * t
            polygon.append(
                tuple(  # type: ignore[arg-type]
                    0.5 * (2 * b + (-a + c) * t + (2 * a - 5 * b + 4 * c - d) * t2 + (-a + 3 * b - 3 * c + d) * t3)
                    for a, b, c, d in zip(p0, p1, p2, p3, strict=True)
                )
            )
    return polygon


def _in_polygon(polygon: list[Point] | tuple[Point, ...], x: float, y: float) -> bool:
    inside = False
    j = len(polygon) - 1
    for i, (xi, yi) in enumerate(polygon):
        xj, yj = polygon[j]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def _in_shape(shape: Shape, x: float, y: float) -> bool:
    if isinstance(shape, Ellipse):
        dx = (x - shape.center[0]) / (shape.width / 2)
        dy = (y - shape.center[1]) / (shape.height / 2)
        return dx * dx + dy * dy <= 1.0
    return _in_polygon(shape.points, x, y)


@cache
def _outline(view: View) -> list[Point]:
    return _catmull_rom(OUTLINES[view])


def _extent(view: View, spec: DiagramSpec) -> tuple[float, float, float, float]:
    """Like the PNG: limb views are cut at mid-thigh unless a mark lies higher."""
    xmin, xmax, ymin, ymax = FRAMES[view].full_extent
    crop = FRAMES[view].leg_crop_ymin
    if crop is None:
        return xmin, xmax, ymin, ymax
    tops = [_top(REGION_SHAPES[view][r]) for r in spec.essential + spec.spillover if r in REGION_SHAPES[view]]
    if spec.position and spec.position.view is view:
        tops.append(_top(REGION_SHAPES[view][spec.position.region]))
    return xmin, xmax, ymin, min(ymax, max([crop, *(t + 1.0 for t in tops)]))


def _top(shape: Shape) -> float:
    if isinstance(shape, Ellipse):
        return shape.center[1] + shape.height / 2
    return max(y for _, y in shape.points)


def _x_point(position: Position) -> Point:
    """The X at the middle of its region's box, nudged by the fractions (close enough at this size)."""
    shape = REGION_SHAPES[position.view][position.region]
    if isinstance(shape, Ellipse):
        x0, x1 = shape.center[0] - shape.width / 2, shape.center[0] + shape.width / 2
        y0, y1 = shape.center[1] - shape.height / 2, shape.center[1] + shape.height / 2
    else:
        xs, ys = [p[0] for p in shape.points], [p[1] for p in shape.points]
        x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    outline = _outline(position.view)
    inside_xs = [x0 + (x1 - x0) * k / 40 for k in range(41)]
    frame = FRAMES[position.view]
    y = y0 + position.down * (y1 - y0) if frame.down_to_plus_y else y1 - position.down * (y1 - y0)
    covered = [x for x in inside_xs if _in_polygon(outline, x, y)] or inside_xs
    left, right = min(covered), max(covered)
    x = left + position.across * (right - left) if frame.across_to_plus_x else right - position.across * (right - left)
    return x, y


def _panel(spec: DiagramSpec, view: View, rows: int) -> tuple[list[list[int]], tuple[int, int] | None]:
    """Classify each pixel of one view; return the grid and the X's cell (col, row)."""
    xmin, xmax, ymin, ymax = _extent(view, spec)
    unit = (ymax - ymin) / (2 * rows)
    width = max(1, math.ceil((xmax - xmin) / unit))
    outline = _outline(view)
    shapes = REGION_SHAPES[view]
    essential = [shapes[r] for r in spec.essential if r in shapes]
    spillover = [shapes[r] for r in spec.spillover if r in shapes]
    grid: list[list[int]] = []
    for py in range(2 * rows):
        y = ymax - (py + 0.5) * unit
        row = []
        for px in range(width):
            x = xmin + (px + 0.5) * unit
            if not _in_polygon(outline, x, y):
                row.append(_OUTSIDE)
            elif any(_in_shape(s, x, y) for s in essential):
                row.append(_ESSENTIAL)
            elif px % 2 == 0 and py % 2 == 0 and any(_in_shape(s, x, y) for s in spillover):
                row.append(_DOT)
            else:
                row.append(_SKIN)
        grid.append(row)
    for py, row in enumerate(grid):  # a skin pixel next to the outside is the outline
        for px, value in enumerate(row):
            if value == _SKIN and any(
                not (0 <= py + dy < len(grid) and 0 <= px + dx < width) or grid[py + dy][px + dx] == _OUTSIDE
                for dx, dy in ((1, 0), (-1, 0), (0, 1), (0, -1))
            ):
                row[px] = _EDGE
    x_cell = None
    if spec.position and spec.position.view is view:
        x, y = _x_point(spec.position)
        x_cell = (int((x - xmin) / unit), int((ymax - y) / unit) // 2)
    return grid, x_cell


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


def legend_lines(spec: DiagramSpec, mode: ColorMode) -> list[str]:
    """The three marks, explained, in the same characters and colours as the picture."""

    def mark(kind: int) -> str:
        if mode is ColorMode.NONE:
            return dict(_MONO)[kind]
        return _colour(RED, mode, False) + ("█" if kind == _ESSENTIAL else "░") + _RESET

    lines = []
    if spec.position:
        lines.append("X  trigger point")
    if spec.essential:
        lines.append(f"{mark(_ESSENTIAL)}  essential pain")
    if spec.spillover:
        lines.append(f"{mark(_DOT)}  spillover pain")
    return lines


def _fitting_rows(spec: DiagramSpec, views: tuple[View, ...], rows: int, max_width: int) -> int:
    """The most rows (up to `rows`) at which the views side by side fit `max_width` columns."""
    while rows > 8:
        widths = []
        for view in views:
            xmin, xmax, ymin, ymax = _extent(view, spec)
            widths.append(math.ceil((xmax - xmin) / ((ymax - ymin) / (2 * rows))))
        if sum(widths) + 2 * (len(views) - 1) <= max_width:
            break
        rows -= 1
    return rows


def draw_picture(spec: DiagramSpec, mode: ColorMode, rows: int = 22, max_width: int = 40) -> TerminalPicture:
    """The spec's views side by side, at most `rows` lines high and `max_width` wide, labelled."""
    views = choose_views(spec)
    rows = _fitting_rows(spec, views, rows, max_width)
    panels = [(view, *_panel(spec, view, rows)) for view in views]
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
        lines.append("  ".join(parts))
    labels = "  ".join(FRAMES[view].label.center(len(grid[0]))[: len(grid[0])] for view, grid, _ in panels)
    width = sum(len(grid[0]) for _, grid, _ in panels) + 2 * (len(panels) - 1)
    return TerminalPicture((*lines, labels), width)
