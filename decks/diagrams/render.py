"""Draw one trigger point's picture: the X, the essential zone, the spillover zone.

Object-oriented matplotlib on the Agg canvas only (no pyplot state), so rendering
is safe in worker processes and gives identical bytes for identical input.
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

import matplotlib
import numpy as np
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.legend_handler import HandlerBase
from matplotlib.lines import Line2D
from matplotlib.patches import PathPatch, Rectangle
from PIL import Image

from decks.diagrams import geometry, shapes
from decks.diagrams import spec as spec_module
from decks.diagrams.geometry import FRAMES, LANDMARK_ELLIPSES, LANDMARKS, REGION_SHAPES
from decks.diagrams.spec import DiagramSpec, choose_views
from decks.model import Position
from decks.regions import View

SKIN = "#f4e1d2"
OUTLINE = "#6b4a36"
LANDMARK = "#b89580"
RED = "#d0021b"
INK = "#1a1a1a"
BACKGROUND = "#ffffff"

DPI = 100
PANEL_HEIGHT_IN = 4.4
_DOT_SPACING_IN = 0.075  # spacing of the spillover stipple, in inches on the image
_PANEL_GAP_IN = 0.15  # between views drawn side by side
# Zones are softened region unions cut at this level: below 0.5 so that small regions
# (an ankle bone) keep their size while corners still round off.
_EDGE = 0.35


def cache_key(spec: DiagramSpec) -> str:
    """Content hash of the spec and of the drawing code and data that render it."""
    payload = json.dumps(asdict(spec), sort_keys=True, default=str)
    return hashlib.sha256((renderer_version() + payload).encode()).hexdigest()[:24]


@cache
def renderer_version() -> str:
    """Changes whenever the drawing code, the geometry or the drawing libraries change."""
    digest = hashlib.sha256()
    for module in (geometry, shapes, spec_module):
        digest.update(Path(module.__file__).read_bytes())  # type: ignore[arg-type]
    digest.update(Path(__file__).read_bytes())
    digest.update(f"{matplotlib.__version__} {Image.__version__}".encode())
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class Panel:
    """Where a view landed in the image: pixel = (sx * x + tx, sy * y + ty)."""

    view: View
    sx: float
    tx: float
    sy: float
    ty: float

    def to_pixel(self, point: tuple[float, float]) -> tuple[int, int]:
        return round(self.sx * point[0] + self.tx), round(self.sy * point[1] + self.ty)


@dataclass(frozen=True)
class Rendering:
    png: bytes
    width: int
    height: int
    panels: tuple[Panel, ...]


def _view_extent(view: View, spec: DiagramSpec) -> tuple[float, float, float, float]:
    """The part of a view to show: limb views stop at mid-thigh unless a mark is higher."""
    xmin, xmax, ymin, ymax = FRAMES[view].full_extent
    crop = FRAMES[view].leg_crop_ymin
    if crop is None:
        return xmin, xmax, ymin, ymax
    tops = [shapes.region_in_view(view, r).ymax for r in spec.essential + spec.spillover if r in REGION_SHAPES[view]]
    if spec.position and spec.position.view is view:
        tops.append(shapes.trigger_point_xy(spec.position)[1])
    top = max([crop, *(t + 2.0 for t in tops)])
    return xmin, xmax, ymin, min(ymax, top)


def _draw_limb(ax: Axes, view: View) -> PathPatch:
    limb = PathPatch(shapes.outline_path(view), facecolor=SKIN, edgecolor="none", zorder=1)
    ax.add_patch(limb)
    # Clipped to the limb and to the view's box: a clip path alone would let the thigh's
    # landmarks above a cropped view run on over whatever lies above the picture.
    inside = {"clip_path": limb, "clip_box": ax.bbox}
    for line in LANDMARKS[view]:
        ax.add_patch(
            PathPatch(shapes.smooth_open_path(line), fill=False, edgecolor=LANDMARK, lw=0.9, zorder=1.5, **inside)
        )
    for ellipse in LANDMARK_ELLIPSES[view]:
        ax.add_patch(
            PathPatch(shapes.shape_path(ellipse), fill=False, edgecolor=LANDMARK, lw=0.8, zorder=1.5, **inside)
        )
    return limb


def _draw_zones(ax: Axes, view: View, spec: DiagramSpec, limb: PathPatch, dot_spacing: float) -> None:
    """Essential zone solid, spillover zone as a regular grid of dots, both inside the limb."""
    essential = shapes.zone_field(view, spec.essential)
    if essential is not None:
        solid = ax.contourf(essential.xs, essential.ys, essential.values, levels=[_EDGE, 2.0], colors=[RED], zorder=3)
        solid.set_clip_path(limb)
        solid.set_clip_box(ax.bbox)
    spillover = shapes.zone_field(view, spec.spillover)
    if spillover is None:
        return
    xmin, xmax, ymin, ymax = spillover.xs[0], spillover.xs[-1], spillover.ys[0], spillover.ys[-1]
    # One lattice for the whole view, so neighbouring regions' dots line up.
    xs = np.arange(np.floor(xmin / dot_spacing), np.ceil(xmax / dot_spacing) + 1) * dot_spacing
    ys = np.arange(np.floor(ymin / dot_spacing), np.ceil(ymax / dot_spacing) + 1) * dot_spacing
    lattice = np.stack(np.meshgrid(xs, ys), axis=-1).reshape(-1, 2)
    keep = (spillover.at(lattice) >= _EDGE) & shapes.outline_path(view).contains_points(lattice, radius=-0.15)
    if essential is not None:
        keep &= essential.at(lattice) < _EDGE
    dots = lattice[keep]
    if len(dots):
        ax.plot(dots[:, 0], dots[:, 1], linestyle="none", marker="o", ms=2.3, mew=0, color=RED, zorder=2)


def _draw_x(ax: Axes, position: Position) -> None:
    x, y = shapes.trigger_point_xy(position)
    halo = [patheffects.withStroke(linewidth=5.5, foreground="white")]
    ax.plot([x], [y], marker="x", ms=11, mew=3.0, color=INK, zorder=6, path_effects=halo)


class _StippleSwatch:
    """Stands for the spillover zone in the legend."""


class _StippleHandler(HandlerBase):
    """Legend swatch for the spillover zone: skin with a few red dots."""

    def create_artists(self, legend, orig_handle, xdescent, ydescent, width, height, fontsize, trans):
        box = Rectangle(
            (-xdescent, -ydescent), width, height, facecolor=SKIN, edgecolor=OUTLINE, lw=0.6, transform=trans
        )
        xs = np.linspace(-xdescent + width * 0.2, -xdescent + width * 0.8, 3)
        ys = np.linspace(-ydescent + height * 0.25, -ydescent + height * 0.75, 2)
        dots = [
            Line2D([x], [y], marker="o", ms=2.3, mew=0, color=RED, linestyle="none", transform=trans)
            for x in xs
            for y in ys
        ]
        return [box, *dots]


def _legend_entries(spec: DiagramSpec) -> list[tuple[object, str]]:
    entries: list[tuple[object, str]] = []
    if spec.position:
        entries.append((Line2D([], [], marker="x", ms=8, mew=2.4, color=INK, linestyle="none"), "trigger point"))
    if spec.essential:
        entries.append((Rectangle((0, 0), 1, 1, facecolor=RED, edgecolor=OUTLINE, lw=0.6), "essential pain"))
    if spec.spillover:
        entries.append((_StippleSwatch(), "spillover pain"))
    return entries


def _panel_sizes(spec: DiagramSpec, panel_height: float) -> list[tuple[View, tuple[float, float, float, float], float]]:
    """Each view of `spec` with its extent and its width in inches at `panel_height`."""
    sizes = []
    for view in choose_views(spec):
        extent = _view_extent(view, spec)
        units_per_inch = (extent[3] - extent[2]) / panel_height
        sizes.append((view, extent, (extent[1] - extent[0]) / units_per_inch))
    return sizes


def diagram_width(spec: DiagramSpec, panel_height: float = PANEL_HEIGHT_IN) -> float:
    """Inches the views of `spec` take side by side, to size or centre a picture."""
    sizes = _panel_sizes(spec, panel_height)
    return sum(width for _, _, width in sizes) + _PANEL_GAP_IN * (len(sizes) - 1)


def draw_views(
    fig: Figure,
    spec: DiagramSpec,
    left: float,
    bottom: float,
    panel_height: float = PANEL_HEIGHT_IN,
    marks: bool = True,
) -> list[tuple[View, Axes]]:
    """Draw the views of `spec` side by side on `fig`, from (`left`, `bottom`) in inches; each labelled.

    `marks=False` draws the same views and extents with the X and the zones left out:
    the blank outline a student draws the answer on.
    """
    fig_width, fig_height = fig.get_size_inches()
    drawn: list[tuple[View, Axes]] = []
    for view, extent, width in _panel_sizes(spec, panel_height):
        ax = fig.add_axes((left / fig_width, bottom / fig_height, width / fig_width, panel_height / fig_height))
        left += width + _PANEL_GAP_IN
        ax.set_xlim(extent[0], extent[1])
        ax.set_ylim(extent[2], extent[3])
        ax.set_aspect("equal")
        ax.set_axis_off()
        limb = _draw_limb(ax, view)
        if marks:
            _draw_zones(ax, view, spec, limb, _DOT_SPACING_IN * ((extent[3] - extent[2]) / panel_height))
        ax.add_patch(PathPatch(shapes.outline_path(view), fill=False, edgecolor=OUTLINE, lw=1.4, zorder=5))
        if marks and spec.position and spec.position.view is view:
            _draw_x(ax, spec.position)
        ax.text(0.5, -0.012, FRAMES[view].label, transform=ax.transAxes, ha="center", va="top", fontsize=9, color=INK)
        drawn.append((view, ax))
    return drawn


def add_legend(
    fig: Figure, spec: DiagramSpec, anchor: tuple[float, float], fontsize: float = 8.5, loc: str = "lower center"
) -> None:
    """The marks `spec` shows (X, essential, spillover) in one row, placed by its `loc` corner at `anchor`."""
    entries = _legend_entries(spec)
    if not entries:
        return
    handles, labels = zip(*entries, strict=True)
    fig.legend(
        handles,
        labels,
        loc=loc,
        ncol=len(entries),
        fontsize=fontsize,
        frameon=False,
        handlelength=1.4,
        columnspacing=1.0,
        handletextpad=0.4,
        bbox_to_anchor=anchor,
        handler_map={_StippleSwatch: _StippleHandler()},
    )


def render(spec: DiagramSpec) -> Rendering:
    """Draw the picture of `spec` and return the PNG with where each view landed."""
    views_width = diagram_width(spec)
    side, top, bottom = 0.12, 0.6, 0.62
    title_width = 0.105 * len(spec.title) + 0.3  # bold 11 pt runs about 0.1 inch a letter
    fig_width = max(3.6, title_width, views_width + 2 * side)
    fig_height = PANEL_HEIGHT_IN + top + bottom
    fig = Figure(figsize=(fig_width, fig_height), dpi=DPI, facecolor=BACKGROUND)
    canvas = FigureCanvasAgg(fig)
    drawn = draw_views(fig, spec, (fig_width - views_width) / 2, bottom)
    # Names are drawn as typed: matplotlib would read "$...$" as TeX (and fail, or drop the dollars).
    title = {"ha": "center", "va": "top", "color": INK, "parse_math": False}
    fig.text(0.5, 1 - 0.08 / fig_height, spec.title, fontsize=11, weight="bold", **title)
    fig.text(0.5, 1 - 0.32 / fig_height, spec.subtitle, fontsize=9, **title)
    add_legend(fig, spec, (0.5, 0.0))
    canvas.draw()
    width_px, height_px = canvas.get_width_height()
    panels = tuple(_panel(ax, view, height_px) for view, ax in drawn)
    png = _to_png(np.asarray(canvas.buffer_rgba()))
    return Rendering(png, width_px, height_px, panels)


def _panel(ax: Axes, view: View, height_px: int) -> Panel:
    (x0, y0), (x1, y1) = ax.transData.transform([(0.0, 0.0), (1.0, 1.0)])
    return Panel(view, sx=x1 - x0, tx=x0, sy=-(y1 - y0), ty=height_px - y0)


def _to_png(rgba: np.ndarray) -> bytes:
    """Palette PNG: a few dozen colours suffice and keep each picture small."""
    image = Image.fromarray(rgba[:, :, :3].copy(), mode="RGB")
    quantized = image.quantize(colors=48, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    buffer = io.BytesIO()
    quantized.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def render_png(spec: DiagramSpec) -> bytes:
    return render(spec).png
