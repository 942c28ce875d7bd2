"""Draw one trigger point's picture from the body model: the muscle, the zones, the X.

Each panel is one view of the same body (`decks.body`): the skin it sees is a fine grid
of cells (`raster.py`); regions and muscles are masks on that grid, softened and cut at
half height so their edges are smooth curves, and clipped to the body's outline. Red
draws over the muscle; the X, with a white halo, over everything.

Object-oriented matplotlib on the Agg canvas only (no pyplot state), so rendering is
safe in worker processes and gives identical bytes for identical input.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

import contourpy
import matplotlib
import numpy as np
from contourpy import FillType, LineType
from matplotlib import patheffects
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.image import BboxImage
from matplotlib.legend_handler import HandlerBase
from matplotlib.lines import Line2D
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.path import Path as MplPath
from matplotlib.transforms import Affine2D, Bbox, Transform, TransformedBbox
from PIL import Image

from decks.body.facing import Facing
from decks.body.layout import Box, PanelLayout, layout_panels
from decks.body.muscle_shapes import MUSCLE_SHAPES
from decks.body.raster import ViewRaster, patches_mask, view_raster
from decks.body.region_shapes import LANDMARK_PATCHES, REGION_PATCHES
from decks.body.views import SETUPS
from decks.diagrams.spec import DiagramSpec, choose_views, panel_facings
from decks.outline import Position
from decks.regions import REGIONS, View

SKIN = "#f4e1d2"
OUTLINE = "#6b4a36"
LANDMARK = "#b48f79"
MUSCLE = "#c7866e"
MUSCLE_EDGE = "#8f5440"
RED = "#d0021b"
INK = "#1a1a1a"
BACKGROUND = "#ffffff"

DPI = 200  # 2x density: about 720 px wide, shown at 360 px on a phone
PANEL_HEIGHT_IN = 4.4
_DOT_SPACING_IN = 0.075  # spacing of the spillover stipple, in inches on the image
_DOT_SIZE = 2.4  # points
_PANEL_GAP_IN = 0.15  # between views drawn side by side
_ZONE_SOFTNESS = 3.0  # %H: zones are softened by up to this much, so corners round off
_FOOT_ZONE_SOFTNESS = 0.35  # the foot close-ups: more would round the toes away
_MIN_ZONE_SOFTNESS = 0.2
_ZONE_ROUNDING = 0.4  # softness per %H of a zone's thickness: the larger the zone, the rounder
_MUSCLE_SOFTNESS = 0.35
_OUTLINE_SOFTNESS = 0.25
_CUT_BAND = 0.3  # %H below a view's cut where the body's outline is left open
_X_VISIBLE_DEPTH = 1.0  # %H: how far behind the skin seen an X may be and still count as seen
# Blur radii (cells of 0.15 %H) that keep an X's centre about 0.7, 0.45 or 0.2 %H inside its muscle,
# and how far (%H) an X may be nudged to get there (`_inside_muscle`).
_X_DEPTHS = (3, 2, 1)
_X_NUDGE = 0.6


@dataclass(frozen=True)
class Panel:
    """Where a view landed in the image: pixel = (sx * x + tx, sy * y + ty) for screen point (x, y)
    of the part of the view `box` shows."""

    view: View
    facing: Facing
    box: Box
    sx: float
    tx: float
    sy: float
    ty: float

    def to_pixel(self, point: tuple[float, float]) -> tuple[int, int]:
        return round(self.sx * point[0] + self.tx), round(self.sy * point[1] + self.ty)

    def pixel_box(self) -> tuple[int, int, int, int]:
        """Left, top, right and bottom pixel of the panel (right and bottom excluded)."""
        (left, bottom), (right, top) = self.to_pixel(self.box[::2]), self.to_pixel(self.box[1::2])
        return left, top, right, bottom


@dataclass(frozen=True)
class Rendering:
    png: bytes
    width: int
    height: int
    panels: tuple[Panel, ...]


# --------------------------------------------------------------------------- masks, fields and their outlines


def _blur(values: np.ndarray, radius: int) -> np.ndarray:
    """Two passes of a box blur of `radius` cells each way: about a Gaussian, via cumulative sums."""
    out = values.astype(np.float32)
    if radius < 1:
        return out
    size = 2 * radius + 1
    for _ in range(2):
        for axis in (0, 1):
            padded = np.pad(out, [(radius + 1, radius) if a == axis else (0, 0) for a in (0, 1)])
            summed = np.cumsum(padded, axis=axis, dtype=np.float32)
            count = summed.shape[axis]
            window = np.take(summed, np.arange(size, count), axis=axis) - np.take(
                summed, np.arange(count - size), axis=axis
            )
            out = (window / size).astype(np.float32)
    return out


def _softness_cells(skin: ViewRaster, softness: float) -> int:
    return max(1, round(softness / skin.step))


@dataclass(frozen=True, eq=False)
class _PackedMask:
    """A mask at one bit a cell: every region and muscle of every view stays in memory, shared
    by the drawing workers, so each takes an eighth of what a bool array would."""

    bits: np.ndarray
    shape: tuple[int, int]

    @classmethod
    def of(cls, mask: np.ndarray) -> _PackedMask:
        return cls(np.packbits(mask, axis=None), mask.shape)

    def unpacked(self) -> np.ndarray:
        count = self.shape[0] * self.shape[1]
        return np.unpackbits(self.bits, count=count).view(bool).reshape(self.shape)


@cache
def _region_bits(view: View, facing: Facing, region: str) -> _PackedMask:
    return _PackedMask.of(patches_mask(view_raster(view, facing), REGION_PATCHES[region]))


@lru_cache(maxsize=8)  # the regions of the pictures being drawn, unpacked once each
def region_mask(view: View, facing: Facing, region: str) -> np.ndarray:
    return _region_bits(view, facing, region).unpacked()


@lru_cache(maxsize=16)
def _region_reach(view: View, facing: Facing, region: str) -> np.ndarray:
    """The region and the cells next to it: regions that reach each other make one patch of pain."""
    return _blur(region_mask(view, facing, region), 1) > 0


def _touching(view: View, facing: Facing, regions: list[str]) -> list[list[str]]:
    """`regions` in groups whose members touch, directly or through each other."""
    groups: list[list[str]] = []
    for region in regions:
        reach = _region_reach(view, facing, region)
        joined = [g for g in groups if any((reach & region_mask(view, facing, other)).any() for other in g)]
        groups = [g for g in groups if g not in joined] + [[region, *(member for g in joined for member in g)]]
    return groups


def _thickness(skin: ViewRaster, mask: np.ndarray) -> float:
    """About how wide a patch is across (%H): its area over the diagonal of its box, so a long
    thin strip, even a slanting one, counts as thin."""
    box = _mask_box(skin, mask)
    if box is None:
        return 0.0
    diagonal = float(np.hypot(box[1] - box[0], box[3] - box[2]))
    return float(mask.sum()) * skin.step * skin.step / max(diagonal, skin.step)


@lru_cache(maxsize=4)  # a picture's two or three variants share their zones; keep a few, not all
def zone_field(view: View, facing: Facing, regions: tuple[str, ...]) -> np.ndarray | None:
    """The softened union of those `regions` listed with `view`, or None when none is.

    Each patch of touching regions is softened in proportion to its size, so a large
    zone gets round corners and a small one (an ankle bone, a toe) keeps its shape. A
    region is drawn only in the views it is listed with: elsewhere it would show as a
    sliver at the body's edge, more confusing than helpful.
    """
    skin = view_raster(view, facing)
    listed = [r for r in regions if view in REGIONS[r].views and region_mask(view, facing, r).any()]
    if not listed:
        return None
    field = np.zeros(skin.shape, dtype=np.float32)
    for group in _touching(view, facing, listed):
        mask = _union(view, facing, tuple(group))
        most = _FOOT_ZONE_SOFTNESS if SETUPS[view].foot else _ZONE_SOFTNESS
        softness = min(most, max(_MIN_ZONE_SOFTNESS, _ZONE_ROUNDING * _thickness(skin, mask)))
        field += _blur(mask, _softness_cells(skin, softness))
    return np.minimum(field, 1.0)


@cache
def _muscle_bits(view: View, facing: Facing, shape: str) -> _PackedMask:
    return _PackedMask.of(patches_mask(view_raster(view, facing), MUSCLE_SHAPES[shape].patches))


def muscle_mask(view: View, facing: Facing, shape: str) -> np.ndarray:
    return _muscle_bits(view, facing, shape).unpacked()


@cache
def shown_mask(view: View, facing: Facing, parts: frozenset[int]) -> np.ndarray:
    skin = view_raster(view, facing)
    return skin.covered & np.isin(skin.part, list(parts))


def _union(view: View, facing: Facing, regions: tuple[str, ...]) -> np.ndarray:
    """Where `regions` lie in `view`, those listed with it (as `zone_field` draws them)."""
    skin = view_raster(view, facing)
    mask = np.zeros(skin.shape, dtype=bool)
    for region in regions:
        if view in REGIONS[region].views:
            mask |= region_mask(view, facing, region)
    return mask


def _contour(skin: ViewRaster, field: np.ndarray, filled: bool) -> MplPath | None:
    """The half-height contour of `field` (the area above it when `filled`) as one compound path."""
    generator = contourpy.contour_generator(
        skin.xs, skin.ys, field, fill_type=FillType.OuterCode, line_type=LineType.SeparateCode
    )
    points, codes = generator.filled(0.5, np.inf) if filled else generator.lines(0.5)
    if not points:
        return None
    return MplPath(np.concatenate(points), np.concatenate(codes))


def _body_coverage(view: View, facing: Facing, parts: frozenset[int]) -> np.ndarray:
    """The visible body, softened: its outline is smooth and the narrow gaps between toes close."""
    skin = view_raster(view, facing)
    return _blur(shown_mask(view, facing, parts), _softness_cells(skin, _OUTLINE_SOFTNESS))


@cache
def _body_paths(view: View, facing: Facing, parts: frozenset[int]) -> tuple[MplPath, MplPath]:
    """The visible body's outline and the area inside it (which clips what is drawn on the skin).

    Where the medial view cuts the thigh at the groin the outline stops: a line across the
    cut would draw a stump. The foot views keep theirs round the cut ankle, which reads as one.
    """
    skin = view_raster(view, facing)
    coverage = _body_coverage(view, facing, parts)
    outline = _contour(skin, coverage, filled=False)
    top_level = SETUPS[view].top_level
    if top_level is not None and outline is not None and not SETUPS[view].foot:  # a foot view's ankle stays closed
        at_cut = skin.covered & (np.nan_to_num(skin.position[..., 1]) >= top_level - _CUT_BAND)
        near_cut = _blur(at_cut.astype(np.float32), _softness_cells(skin, _OUTLINE_SOFTNESS) + 1) > 0
        outline = _open_at(skin, outline, near_cut)
    return outline, _contour(skin, coverage, filled=True)  # type: ignore[return-value]


def _open_at(skin: ViewRaster, path: MplPath, gap: np.ndarray) -> MplPath:
    """`path` (lines, closed loops written out) without the vertices over the cells of `gap`."""
    rows, cols = gap.shape
    points: list[tuple[float, float]] = []
    codes: list[int] = []
    drawing = False
    start = None
    for (x, y), code in path.iter_segments(simplify=False):
        if code == MplPath.MOVETO:
            start, drawing = (x, y), False
        elif code == MplPath.CLOSEPOLY:
            x, y = start
        row, col = skin.cell_of(x, y)
        if gap[min(max(row, 0), rows - 1), min(max(col, 0), cols - 1)]:
            drawing = False
            continue
        codes.append(MplPath.LINETO if drawing else MplPath.MOVETO)
        points.append((x, y))
        drawing = True
    return MplPath(np.array(points).reshape(-1, 2), codes)


@cache
def _muscle_paths(view: View, facing: Facing, shape: str) -> tuple[MplPath, MplPath] | None:
    skin = view_raster(view, facing)
    mask = muscle_mask(view, facing, shape)
    if not mask.any():
        return None
    field = _blur(mask, _softness_cells(skin, _MUSCLE_SOFTNESS))
    edge, area = _contour(skin, field, filled=False), _contour(skin, field, filled=True)
    return (edge, area) if edge is not None and area is not None else None


@cache
def _landmark_paths(view: View, facing: Facing) -> tuple[MplPath, ...]:
    skin = view_raster(view, facing)
    paths = []
    for patches, landmark_views in LANDMARK_PATCHES.values():
        mask = patches_mask(skin, patches) if view in landmark_views else None
        if mask is not None and mask.any():
            path = _contour(skin, _blur(mask, 1), filled=False)
            if path is not None:
                paths.append(path)
    return tuple(paths)


# --------------------------------------------------------------------------- the trigger point on the body


@cache
def trigger_point_place(position: Position, shape: str | None) -> tuple[float, float, float]:
    """The point of skin a position names: fractions of its region's extent in its home view,
    moved to the nearest point well inside the region (never off it, never on its edge) that lies
    on its muscle (`shape`), for a trigger point is in its muscle; then nudged off the muscle's
    outline (`_inside_muscle`). A muscle seen edge on at the region's border meets it only there:
    then the nearest point of the region on the muscle."""
    facing = Facing.FRONT if position.view is View.DORSAL else Facing.BEHIND
    skin = view_raster(position.view, facing)
    mask = region_mask(position.view, facing, position.region)
    rows, cols = np.nonzero(mask)
    xs, ys = skin.xs[cols], skin.ys[rows]
    fraction = position.across if SETUPS[position.view].across_to_right(facing) else 1.0 - position.across
    x = xs.min() + fraction * (xs.max() - xs.min())
    y = ys.max() - position.down * (ys.max() - ys.min())
    inner = _blur(mask & shown_mask(position.view, facing, SETUPS[position.view].parts), 2) > 0.97
    muscle = muscle_mask(position.view, facing, shape) if shape is not None else np.ones_like(mask)
    allowed = next(cells for cells in (inner & muscle, mask & muscle, inner, mask) if cells.any())
    row, col = _inside_muscle(skin, mask, muscle, _nearest(skin, allowed, x, y), (x, y))
    point = skin.position[row, col]
    return float(point[0]), float(point[1]), float(point[2])


def _nearest(skin: ViewRaster, cells: np.ndarray, x: float, y: float) -> tuple[int, int]:
    rows, cols = np.nonzero(cells)
    best = int(np.argmin((skin.xs[cols] - x) ** 2 + (skin.ys[rows] - y) ** 2))
    return int(rows[best]), int(cols[best])


def _inside_muscle(
    skin: ViewRaster, region: np.ndarray, muscle: np.ndarray, cell: tuple[int, int], named: tuple[float, float]
) -> tuple[int, int]:
    """`cell`, or the cell of the region within `_X_NUDGE` of it that lies deepest inside the muscle
    (about 0.7, 0.45 or 0.2 %H, `_X_DEPTHS`; the nearest to the `named` point of those): an X on
    its muscle's outline reads as lying beside it, and one moved further would drift from where its
    fact puts it (biceps femoris's two points would meet). Worked out around `cell` only: quick, small."""
    row, col = cell
    span = int(np.ceil(_X_NUDGE / skin.step)) + 2 * max(_X_DEPTHS) + 2  # the reach and the blur's
    rows, cols = slice(max(row - span, 0), row + span + 1), slice(max(col - span, 0), col + span + 1)
    reach = (skin.xs[None, cols] - skin.xs[col]) ** 2 + (skin.ys[rows, None] - skin.ys[row]) ** 2 <= _X_NUDGE**2
    near = region[rows, cols] & reach
    for radius in _X_DEPTHS:
        if (deep := near & (_blur(muscle[rows, cols], radius) > 0.97)).any():
            found = np.zeros_like(region)
            found[rows, cols] = deep
            return _nearest(skin, found, *named)
    return cell


def trigger_point_in_view(
    position: Position, shape: str | None, view: View, facing: Facing
) -> tuple[float, float] | None:
    """Where the X of a trigger point of muscle `shape` goes in a view (screen x, y), or None when
    that side of the body is hidden there."""
    skin = view_raster(view, facing)
    x, y, depth = skin.camera.project(trigger_point_place(position, shape))
    row, col = skin.cell_of(x, y)
    if not (0 <= row < skin.shape[0] and 0 <= col < skin.shape[1]) or not skin.covered[row, col]:
        return None
    if skin.depth[row, col] - depth > _X_VISIBLE_DEPTH:
        return None
    return x, y


# --------------------------------------------------------------------------- layout


def _mask_box(skin: ViewRaster, mask: np.ndarray) -> Box | None:
    rows, cols = np.nonzero(mask)
    if len(rows) == 0:
        return None
    return (
        skin.x0 + cols.min() * skin.step,
        skin.x0 + (cols.max() + 1) * skin.step,
        skin.y0 + rows.min() * skin.step,
        skin.y0 + (rows.max() + 1) * skin.step,
    )


def _mark_box(spec: DiagramSpec):
    def measure(view: View, facing: Facing) -> Box | None:
        skin = view_raster(view, facing)
        mask = _union(view, facing, spec.zones)
        if spec.muscle_shape:
            mask = mask | muscle_mask(view, facing, spec.muscle_shape)
        box = _mask_box(skin, mask)
        if spec.position is not None and (xy := trigger_point_in_view(spec.position, spec.muscle_shape, view, facing)):
            x, y = xy
            box = (x, x, y, y) if box is None else (min(box[0], x), max(box[1], x), min(box[2], y), max(box[3], y))
        return box

    return measure


def _body_box(view: View, facing: Facing, parts: frozenset[int], levels: tuple[float, float] | None) -> Box:
    skin = view_raster(view, facing)
    mask = shown_mask(view, facing, parts)
    if levels is not None:
        ys = skin.ys[:, None]
        mask = mask & (ys >= levels[0]) & (ys <= levels[1])
    box = _mask_box(skin, mask)
    return box if box is not None else skin.extent()


@cache
def panel_layouts(spec: DiagramSpec, panel_height: float = PANEL_HEIGHT_IN) -> tuple[PanelLayout, ...]:
    views_shown = choose_views(spec)
    return layout_panels(views_shown, panel_facings(views_shown), _mark_box(spec), _body_box, panel_height)


def diagram_width(spec: DiagramSpec, panel_height: float = PANEL_HEIGHT_IN) -> float:
    """Inches the views of `spec` take side by side, to size or centre a picture."""
    panels = panel_layouts(spec, panel_height)
    return sum(panel.width for panel in panels) + _PANEL_GAP_IN * (len(panels) - 1)


# --------------------------------------------------------------------------- drawing


def _shading(skin: ViewRaster) -> np.ndarray:
    """Light, even shading: a soft light from the viewer's upper left, never darker than 80%."""
    camera = skin.camera
    light = np.array(camera.toward) + 0.6 * np.array(camera.up) - 0.35 * np.array(camera.right)
    light /= np.linalg.norm(light)
    lambert = np.clip(np.nan_to_num(skin.normal) @ light.astype(np.float32), 0.0, 1.0)
    return 0.8 + 0.2 * lambert


@cache
def _skin_image(view: View, facing: Facing, parts: frozenset[int]) -> np.ndarray:
    """The shaded skin, cell by cell, as 8-bit RGBA (row 0 at the bottom)."""
    skin = view_raster(view, facing)
    rgba = np.zeros((*skin.shape, 4), dtype=np.uint8)
    # Skin colour everywhere (shaded where there is skin), so no dark fringe is blended in at the edge.
    colour = np.array(matplotlib.colors.to_rgb(SKIN), dtype=np.float32) * 255
    rgba[..., :3] = np.clip(colour * _shading(skin)[..., None] + 0.5, 0, 255)
    rgba[..., 3] = np.where(_body_coverage(view, facing, parts) >= 0.45, 255, 0)  # a closed gap: skin in shadow
    return rgba


@lru_cache(maxsize=1)  # the layout that recurs (the variants of one picture); each is a megabyte or two
def _skin_pixels(view: View, facing: Facing, parts: frozenset[int], box: Box, pixels_per_unit: float) -> np.ndarray:
    """The shaded skin of `box`, resampled (bilinear) to whole pixels at `pixels_per_unit`, bottom row
    first, as Agg takes it (flipped here once, not copied at every draw)."""
    skin = view_raster(view, facing)
    rgba = np.flipud(_skin_image(view, facing, parts))
    xmin, xmax, ymin, ymax = box
    rows = skin.shape[0]
    source = [
        (xmin - skin.x0) / skin.step,
        rows - (ymax - skin.y0) / skin.step,
        (xmax - skin.x0) / skin.step,
        rows - (ymin - skin.y0) / skin.step,
    ]
    # A box reaching past the cells (a panel wider than the body) reads empty cells there.
    pad = int(np.ceil(max(0.0, -source[0], -source[1], source[2] - rgba.shape[1], source[3] - rgba.shape[0])))
    if pad:
        rgba = np.pad(rgba, ((pad, pad), (pad, pad), (0, 0)))
        source = [value + pad for value in source]
    size = (round((xmax - xmin) * pixels_per_unit), round((ymax - ymin) * pixels_per_unit))
    resized = Image.fromarray(rgba, mode="RGBA").resize(size, Image.Resampling.BILINEAR, box=tuple(source))
    return np.array(resized.transpose(Image.Transpose.FLIP_TOP_BOTTOM))  # writeable: Agg asks for that


class _Pixels(Artist):
    """An image already at the output's pixels, put down as it is: no resampling, no colour mapping."""

    def __init__(self, rgba: np.ndarray, corner: tuple[int, int]) -> None:
        super().__init__()
        self.rgba = rgba  # bottom row first
        self.corner = corner  # lower left, in pixels
        self.set_zorder(1)

    def draw(self, renderer) -> None:
        gc = renderer.new_gc()
        self._set_gc_clip(gc)
        renderer.draw_image(gc, *self.corner, self.rgba)
        gc.restore()


def _skin_cells(panel: _PanelDrawing) -> BboxImage:
    """The shaded skin of the panel as cells, for a backend that scales images itself."""
    view, facing, parts = panel.layout.view, panel.layout.facing, panel.layout.parts
    skin = view_raster(view, facing)
    xmin, xmax, ymin, ymax = panel.layout.box
    row0, col0 = (max(0, i - 1) for i in skin.cell_of(xmin, ymin))
    row1, col1 = (i + 2 for i in skin.cell_of(xmax, ymax))
    cells = _skin_image(view, facing, parts)[row0:row1, col0:col1]
    x0, y0 = skin.x0 + col0 * skin.step, skin.y0 + row0 * skin.step
    x1, y1 = x0 + cells.shape[1] * skin.step, y0 + cells.shape[0] * skin.step
    corners = Bbox(panel.to_inches.transform([(x0, y0), (x1, y1)]))
    image = BboxImage(TransformedBbox(corners, panel.fig.dpi_scale_trans), interpolation="bilinear", origin="lower")
    image.set_data(cells)
    image.set_zorder(1)
    return image


@dataclass(frozen=True)
class _PanelDrawing:
    """One panel, drawn straight onto the figure (no axes: they cost more than the drawing).

    The panel's lower left corner sits at (`left`, `bottom`) inches on the figure.
    """

    fig: Figure
    layout: PanelLayout
    left: float
    bottom: float

    @property
    def to_inches(self) -> Affine2D:
        xmin, _, ymin, _ = self.layout.box
        scale = self.layout.scale
        return Affine2D().translate(-xmin, -ymin).scale(scale).translate(self.left, self.bottom)

    @property
    def transform(self) -> Transform:
        return self.to_inches + self.fig.dpi_scale_trans

    @property
    def height(self) -> float:
        return (self.layout.box[3] - self.layout.box[2]) * self.layout.scale

    def add(self, artist, clip_path: PathPatch | None = None):
        box = Bbox.from_extents(self.left, self.bottom, self.left + self.layout.width, self.bottom + self.height)
        artist.set_clip_box(TransformedBbox(box, self.fig.dpi_scale_trans))
        if clip_path is not None:
            artist.set_clip_path(clip_path)
        return self.fig.add_artist(artist)

    def patch(self, path: MplPath, clip_path: PathPatch | None = None, **style) -> PathPatch:
        return self.add(PathPatch(path, transform=self.transform, **style), clip_path)


def _draw_body(panel: _PanelDrawing, pixels: bool, skin: bool = True) -> PathPatch:
    """Skin, shaded, its landmarks and its outline; returns the area that clips what is drawn on the skin.

    With `pixels` (a PNG) the skin is resampled once to the panel's pixels and cached, for the
    many pictures that show a view at the same place and scale; otherwise (a PDF) the cells go
    in as an image the backend scales itself. Without `skin`, the outline and landmarks alone:
    a blank to draw on, which prints white rather than grey.
    """
    view, facing, parts = panel.layout.view, panel.layout.facing, panel.layout.parts
    outline, area = _body_paths(view, facing, parts)
    clip = PathPatch(area, transform=panel.transform)
    if skin:
        panel.add(_skin_artist(panel, pixels), clip)
    for path in _landmark_paths(view, facing):
        panel.patch(path, clip, fill=False, edgecolor=LANDMARK, lw=0.8, zorder=1.5)
    panel.patch(outline, None, fill=False, edgecolor=OUTLINE, lw=1.4, zorder=5)
    return clip


def _skin_artist(panel: _PanelDrawing, pixels: bool) -> Artist:
    view, facing, parts = panel.layout.view, panel.layout.facing, panel.layout.parts
    if not pixels:
        return _skin_cells(panel)
    dpi = panel.fig.dpi
    return _Pixels(
        _skin_pixels(view, facing, parts, panel.layout.box, panel.layout.scale * dpi),
        (round(panel.left * dpi), round(panel.bottom * dpi)),
    )


def _draw_muscle(panel: _PanelDrawing, shape: str, clip: PathPatch) -> None:
    paths = _muscle_paths(panel.layout.view, panel.layout.facing, shape)
    if paths is None:
        return
    edge, area = paths
    panel.patch(area, clip, facecolor=MUSCLE, alpha=0.45, edgecolor="none", zorder=2)
    style = "--" if MUSCLE_SHAPES[shape].deep else "-"
    panel.patch(edge, clip, fill=False, edgecolor=MUSCLE_EDGE, lw=1.0, linestyle=style, zorder=2.1)


def _draw_zones(panel: _PanelDrawing, spec: DiagramSpec, clip: PathPatch) -> None:
    """Essential zone solid, spillover zone as a regular lattice of dots, both on the visible skin."""
    view, facing = panel.layout.view, panel.layout.facing
    skin = view_raster(view, facing)
    essential = zone_field(view, facing, spec.essential)
    if essential is not None and (area := _contour(skin, essential, filled=True)) is not None:
        panel.patch(area, clip, facecolor=RED, edgecolor="none", zorder=4)
    spillover = zone_field(view, facing, spec.spillover)
    if spillover is None:
        return
    spacing = _DOT_SPACING_IN / panel.layout.scale
    xmin, xmax, ymin, ymax = panel.layout.box
    # One lattice for the whole view, so neighbouring regions' dots line up.
    xs = np.arange(np.floor(xmin / spacing), np.ceil(xmax / spacing) + 1) * spacing
    ys = np.arange(np.floor(ymin / spacing), np.ceil(ymax / spacing) + 1) * spacing
    lattice = np.stack(np.meshgrid(xs, ys), axis=-1).reshape(-1, 2)
    rows = np.clip(np.floor((lattice[:, 1] - skin.y0) / skin.step).astype(int), 0, skin.shape[0] - 1)
    cols = np.clip(np.floor((lattice[:, 0] - skin.x0) / skin.step).astype(int), 0, skin.shape[1] - 1)
    keep = (spillover[rows, cols] >= 0.5) & _inner_skin(view, facing, panel.layout.parts, spacing)[rows, cols]
    if essential is not None:
        keep &= essential[rows, cols] < 0.5
    dots = lattice[keep]
    if len(dots):
        line = Line2D(
            dots[:, 0], dots[:, 1], linestyle="none", marker="o", ms=_DOT_SIZE, mew=0, color=RED, zorder=3,
            transform=panel.transform,
        )  # fmt: skip
        panel.add(line)


@lru_cache(maxsize=8)
def _inner_skin(view: View, facing: Facing, parts: frozenset[int], spacing: float) -> np.ndarray:
    """Skin at least half a dot spacing inside the outline, where a dot may go."""
    skin = view_raster(view, facing)
    return _blur(shown_mask(view, facing, parts), max(1, round(0.5 * spacing / skin.step))) > 0.99


def _draw_x(panel: _PanelDrawing, xy: tuple[float, float]) -> None:
    halo = [patheffects.withStroke(linewidth=5.5, foreground="white")]
    line = Line2D(
        [xy[0]], [xy[1]], marker="x", ms=11, mew=3.0, color=INK, zorder=6, path_effects=halo,
        transform=panel.transform,
    )  # fmt: skip
    panel.fig.add_artist(line)


class _StippleSwatch:
    """Stands for the spillover zone in the legend."""


class _MuscleSwatch:
    """Stands for the muscle in the legend."""

    def __init__(self, deep: bool) -> None:
        self.deep = deep


class _StippleHandler(HandlerBase):
    """Legend swatch for the spillover zone: skin with a few red dots."""

    def create_artists(self, legend, orig_handle, xdescent, ydescent, width, height, fontsize, trans):
        box = Rectangle(
            (-xdescent, -ydescent), width, height, facecolor=SKIN, edgecolor=OUTLINE, lw=0.6, transform=trans
        )
        xs = np.linspace(-xdescent + width * 0.2, -xdescent + width * 0.8, 3)
        ys = np.linspace(-ydescent + height * 0.25, -ydescent + height * 0.75, 2)
        dots = [
            Line2D([x], [y], marker="o", ms=_DOT_SIZE, mew=0, color=RED, linestyle="none", transform=trans)
            for x in xs
            for y in ys
        ]
        return [box, *dots]


class _MuscleHandler(HandlerBase):
    """Legend swatch for the muscle: its tint, with a dashed edge when it lies deep."""

    def create_artists(self, legend, orig_handle, xdescent, ydescent, width, height, fontsize, trans):
        tint = matplotlib.colors.to_rgba(MUSCLE, 0.45)
        return [
            Rectangle(
                (-xdescent, -ydescent), width, height, facecolor=tint, edgecolor=MUSCLE_EDGE, lw=1.0,
                linestyle="--" if orig_handle.deep else "-", transform=trans,
            )
        ]  # fmt: skip


def _legend_entries(specs: Sequence[DiagramSpec]) -> list[tuple[object, str]]:
    """The marks the pictures of `specs` show, each once: a lookup's candidates share one legend."""
    entries: list[tuple[object, str]] = []
    for deep in sorted({MUSCLE_SHAPES[spec.muscle_shape].deep for spec in specs if spec.muscle_shape}):
        entries.append((_MuscleSwatch(deep), "muscle (deep)" if deep else "muscle"))
    if any(spec.position for spec in specs):
        entries.append((Line2D([], [], marker="x", ms=8, mew=2.4, color=INK, linestyle="none"), "trigger point"))
    for label in dict.fromkeys(spec.essential_label for spec in specs if spec.essential):
        entries.append((Rectangle((0, 0), 1, 1, facecolor=RED, edgecolor=OUTLINE, lw=0.6), label))
    if any(spec.spillover for spec in specs):
        entries.append((_StippleSwatch(), "spillover pain"))
    return entries


def draw_views(
    fig: Figure,
    spec: DiagramSpec,
    left: float,
    bottom: float,
    panel_height: float = PANEL_HEIGHT_IN,
    marks: bool = True,
    pixels: bool = False,
) -> list[tuple[PanelLayout, Panel]]:
    """Draw the views of `spec` side by side on `fig`, from (`left`, `bottom`) in inches; each labelled.

    Returns each panel with where its view landed on the figure, in pixels. `marks=False`
    draws the same views and extents with the skin, the muscle, the X and the zones left
    out: the blank outline a student draws the answer on. `pixels` is for a figure saved as PNG at its dpi.
    """
    layouts = panel_layouts(spec, panel_height)
    height = max((placed.box[3] - placed.box[2]) * placed.scale for placed in layouts)
    drawn: list[tuple[PanelLayout, Panel]] = []
    for placed in layouts:
        panel = _PanelDrawing(fig, placed, left, bottom)
        panel = _PanelDrawing(fig, placed, left, bottom + (height - panel.height) / 2)
        left += placed.width + _PANEL_GAP_IN
        clip = _draw_body(panel, pixels, skin=marks)
        if marks:
            if spec.muscle_shape:
                _draw_muscle(panel, spec.muscle_shape, clip)
            _draw_zones(panel, spec, clip)
            if spec.position and (
                xy := trigger_point_in_view(spec.position, spec.muscle_shape, placed.view, placed.facing)
            ):
                _draw_x(panel, xy)
        fig.text(
            panel.left + placed.width / 2, bottom - 0.05, placed.label, ha="center", va="top", fontsize=9,
            color=INK, parse_math=False, transform=fig.dpi_scale_trans,
        )  # fmt: skip
        drawn.append((placed, _pixels(panel)))
    return drawn


def _pixels(panel: _PanelDrawing) -> Panel:
    """Where screen points of the panel's view land on the figure's pixels."""
    dpi, height_px = panel.fig.dpi, panel.fig.get_size_inches()[1] * panel.fig.dpi
    xmin, _, ymin, _ = panel.layout.box
    scale = panel.layout.scale * dpi
    return Panel(
        panel.layout.view, panel.layout.facing, panel.layout.box,
        sx=scale, tx=panel.left * dpi - xmin * scale,
        sy=-scale, ty=height_px - panel.bottom * dpi + ymin * scale,
    )  # fmt: skip


def legend_width(spec: DiagramSpec, rows: int = 1) -> float:
    """About how many inches the legend takes in `rows` rows (swatch and gaps, 8.5 pt text)."""
    widths = [0.47 + 0.064 * len(label) for _, label in _legend_entries((spec,))]
    if not widths:
        return 0.0
    # matplotlib fills a legend's columns first: column j holds entries j * rows ... j * rows + rows - 1.
    return sum(max(widths[start : start + rows]) for start in range(0, len(widths), rows)) + 0.3


def add_legend(
    fig: Figure,
    specs: Sequence[DiagramSpec],
    anchor: tuple[float, float],
    fontsize: float = 8.5,
    loc: str = "lower center",
    rows: int = 1,
) -> None:
    """The marks `specs` show (muscle, X, essential, spillover) in `rows` rows, its `loc` corner at `anchor`."""
    entries = _legend_entries(specs)
    if not entries:
        return
    handles, labels = zip(*entries, strict=True)
    fig.legend(
        handles,
        labels,
        loc=loc,
        ncol=-(-len(entries) // rows),
        fontsize=fontsize,
        frameon=False,
        handlelength=1.4,
        columnspacing=1.0,
        handletextpad=0.4,
        bbox_to_anchor=anchor,
        handler_map={_StippleSwatch: _StippleHandler(), _MuscleSwatch: _MuscleHandler()},
    )


def _whole_pixels(inches: float, even: bool = False) -> float:
    """A figure size that is a whole (with `even`, an even) number of pixels at `DPI`, and half a pixel.

    Agg makes the canvas the size's whole pixels and places everything from the size itself:
    so what is centred on a figure, or set on its bottom edge, lands on the pixel grid in the
    same way on every picture (`_add_legend_pixels` depends on it).
    """
    pixels = int(inches * DPI + 0.999)
    return (pixels + (pixels % 2 if even else 0) + 0.5) / DPI


_LegendPixels = tuple[np.ndarray, tuple[int, int]]  # bottom row first; lower left corner from the centre's pixel
_legends: dict[tuple[tuple[str, ...], int], _LegendPixels] = {}


def _add_legend_pixels(fig: Figure, spec: DiagramSpec, rows: int) -> None:
    """`add_legend` at the foot of the picture, centred, from pixels drawn once per process.

    Laying out and drawing a legend takes matplotlib a quarter of a picture's time, and the
    pictures show few different legends. Drawn alone on a figure sized as `_whole_pixels` sizes
    pictures, a legend lands on the pixel grid as it would on the picture, so the pixels put
    down are the ones `add_legend` would draw there.
    """
    if (legend := _legend_for(spec, rows)) is None:
        return
    rgba, (left, bottom) = legend
    centre = int(fig.get_figwidth() * fig.dpi) // 2
    fig.add_artist(_Pixels(rgba, (centre + left, bottom)))


def _legend_for(spec: DiagramSpec, rows: int) -> _LegendPixels | None:
    """The legend of `spec` in `rows` rows, drawn on the first picture that shows it; None: no marks."""
    labels = tuple(label for _, label in _legend_entries((spec,)))
    if labels and (labels, rows) not in _legends:
        _legends[labels, rows] = _legend_pixels(spec, rows)
    return _legends.get((labels, rows))


def _legend_pixels(spec: DiagramSpec, rows: int) -> _LegendPixels:
    # Room to spare around it: `legend_width` is an estimate, and a legend cut at the edge would be kept so.
    width, height = _whole_pixels(2 * legend_width(spec, rows) + 1, even=True), _whole_pixels(1.5)
    fig = Figure(figsize=(width, height), dpi=DPI, facecolor=BACKGROUND)
    canvas = FigureCanvasAgg(fig)
    add_legend(fig, (spec,), (0.5, 0.0), rows=rows)
    canvas.draw()
    [legend] = fig.legends
    box = legend.get_window_extent()
    x0, y0 = max(0, int(box.x0) - 1), max(0, int(box.y0) - 1)
    x1, y1 = min(int(width * DPI), int(box.x1) + 2), min(int(height * DPI), int(box.y1) + 2)
    rows_from_top = np.asarray(canvas.buffer_rgba())
    top = rows_from_top.shape[0]
    pixels = np.ascontiguousarray(rows_from_top[top - y1 : top - y0, x0:x1][::-1])
    return pixels, (x0 - int(width * DPI) // 2, y0)


_SIDE_IN = 0.12  # the margin beside the views


def _legend_rows(spec: DiagramSpec) -> int:
    """A legend wider than the views goes on two rows, so a one-view picture stays narrow for a phone."""
    return 2 if legend_width(spec) > max(3.6, diagram_width(spec) + 2 * _SIDE_IN) else 1


def render(spec: DiagramSpec) -> Rendering:
    """Draw the picture of `spec` and return the PNG with where each view landed."""
    views_width = diagram_width(spec)
    side, top, bottom = _SIDE_IN, 0.6, 0.62
    title_width = 0.105 * len(spec.title) + 0.3  # bold 11 pt runs about 0.1 inch a letter
    rows = _legend_rows(spec)
    bottom += 0.2 * (rows - 1)
    fig_width = _whole_pixels(max(3.6, title_width, legend_width(spec, rows), views_width + 2 * side), even=True)
    panels_height = max((p.box[3] - p.box[2]) * p.scale for p in panel_layouts(spec))
    fig_height = _whole_pixels(panels_height + top + bottom)
    fig = Figure(figsize=(fig_width, fig_height), dpi=DPI, facecolor=BACKGROUND)
    canvas = FigureCanvasAgg(fig)
    drawn = draw_views(fig, spec, (fig_width - views_width) / 2, bottom, pixels=True)
    # Names are drawn as typed: matplotlib would read "$...$" as TeX (and fail, or drop the dollars).
    text = {"ha": "center", "va": "top", "color": INK, "parse_math": False}
    fig.text(0.5, 1 - 0.08 / fig_height, spec.title, fontsize=11, weight="bold", **text)
    fig.text(0.5, 1 - 0.32 / fig_height, spec.subtitle, fontsize=9, **text)
    _add_legend_pixels(fig, spec, rows)
    canvas.draw()
    width_px, height_px = canvas.get_width_height()
    png = to_png(np.asarray(canvas.buffer_rgba()))
    return Rendering(png, width_px, height_px, tuple(panel for _, panel in drawn))


_PALETTE_ROW_STEP = 4
_STRIP_ROWS = 128


def to_png(rgba: np.ndarray) -> bytes:
    """Palette PNG: a few dozen colours suffice and keep each picture small.

    The palette comes from every fourth row, then each pixel takes its nearest colour, a strip
    of rows at a time: the octree over all pixels, on a whole RGB copy, costs three times the
    CPU and a dozen megabytes a picture, for the same colours.
    """
    rgba = np.ascontiguousarray(rgba, dtype=np.uint8)
    width, height = rgba.shape[1], rgba.shape[0]
    image = Image.frombuffer("RGBA", (width, height), rgba, "raw", "RGBA", 0, 1)  # read in place
    rows = image.resize((width, max(1, height // _PALETTE_ROW_STEP)), Image.Resampling.NEAREST).convert("RGB")
    palette = rows.quantize(colors=64, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    quantized = Image.new("P", (width, height))
    quantized.putpalette(palette.getpalette())
    for top in range(0, height, _STRIP_ROWS):
        strip = image.crop((0, top, width, min(height, top + _STRIP_ROWS))).convert("RGB")
        quantized.paste(strip.quantize(palette=palette, dither=Image.Dither.NONE), (0, top))
    buffer = io.BytesIO()
    quantized.save(buffer, format="PNG", compress_level=5)  # 6 costs a quarter more CPU for 8 % smaller files
    return buffer.getvalue()


def render_png(spec: DiagramSpec) -> bytes:
    return render(spec).png


def prepare(spec: DiagramSpec) -> None:
    """Compute (and cache) what many pictures share: the views, the regions and muscles on them
    (which the layout measures), the body's outlines, the masks of its regions and muscle. Done
    once before forking workers, which inherit it (the legends too); what one picture alone needs
    (its zones' softened fields) each worker draws itself. After this, drawing `spec` needs no surface samples."""
    if spec.position is not None:
        trigger_point_place(spec.position, spec.muscle_shape)
    _legend_for(spec, _legend_rows(spec))
    for panel in panel_layouts(spec):
        _body_paths(panel.view, panel.facing, panel.parts)
        _skin_image(panel.view, panel.facing, panel.parts)
        _landmark_paths(panel.view, panel.facing)
        for region in spec.zones:
            region_mask(panel.view, panel.facing, region)
        if spec.muscle_shape is not None:
            muscle_mask(panel.view, panel.facing, spec.muscle_shape)
