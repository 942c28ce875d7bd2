"""Project the body into a view: for each cell of a fine grid, the skin seen there.

The mesh's triangles are drawn nearest last, each in a colour that encodes its index,
by matplotlib's Agg renderer without antialiasing: what remains in a cell is the
triangle seen there (hidden surfaces removed). Each covered cell then gets, by
interpolation within that triangle, the skin's position, normal and chart coordinates,
so regions and muscles defined on the surface (`surface.Patch`) are tested cell by cell.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.path import Path

from decks.body.facing import Facing
from decks.body.mesh import body_mesh
from decks.body.surface import Chart, Patch
from decks.body.views import SETUPS, ViewGrid
from decks.regions import View

LIMB_STEP = 0.15  # %H per cell in the views of the whole limb
FOOT_STEP = 0.06  # and in the enlarged views of the foot


@dataclass(frozen=True, eq=False)
class SurfaceSamples:
    """What the skin is at each covered cell: its position, normal and chart coordinates.
    Meaningful only where the view's `covered` is true."""

    position: np.ndarray  # (rows, cols, 3)
    normal: np.ndarray  # (rows, cols, 3)
    around: np.ndarray
    along: np.ndarray
    across: np.ndarray


def _sample_field(name: str) -> property:
    return property(lambda raster: getattr(raster.samples, name), doc=f"The skin's {name} in each covered cell.")


@dataclass(frozen=True, eq=False)
class ViewRaster(ViewGrid):
    """The skin seen in one view, cell by cell. Arrays hold meaningful values only where
    `covered` is true. The per-cell samples (nine numbers a cell, most of a view's memory)
    are read through `surface_samples`, so a process can let them go once what it needs
    from them is computed (`release_surface_samples`) and get them back if it needs more."""

    covered: np.ndarray  # (rows, cols) bool
    part: np.ndarray  # (rows, cols) int
    depth: np.ndarray  # (rows, cols): larger is nearer the camera

    @property
    def shape(self) -> tuple[int, int]:
        return self.covered.shape

    @property
    def xs(self) -> np.ndarray:
        return self.x0 + (np.arange(self.shape[1]) + 0.5) * self.step

    @property
    def ys(self) -> np.ndarray:
        return self.y0 + (np.arange(self.shape[0]) + 0.5) * self.step

    @property
    def samples(self) -> SurfaceSamples:
        return surface_samples(self.view, self.facing)

    position = _sample_field("position")
    normal = _sample_field("normal")
    around = _sample_field("around")
    along = _sample_field("along")
    across = _sample_field("across")

    def extent(self) -> tuple[float, float, float, float]:
        rows, cols = self.shape
        return self.x0, self.x0 + cols * self.step, self.y0, self.y0 + rows * self.step

    def screen_point(self, point: np.ndarray) -> tuple[float, float, float]:
        """Screen x, y and depth of a point of the body."""
        return self.camera.project(tuple(float(v) for v in point))  # type: ignore[arg-type]


def _draw_face_ids(screen: np.ndarray, depth: np.ndarray, triangles: np.ndarray, grid) -> np.ndarray:
    """Index of the triangle seen in each cell, or -1: triangles are painted far to near."""
    x0, y0, step, rows, cols = grid
    fig = Figure(figsize=(cols, rows), dpi=1)
    canvas = FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    ax.set_xlim(x0, x0 + cols * step)
    ax.set_ylim(y0, y0 + rows * step)
    corners = screen[triangles]
    signed_area = (corners[:, 1, 0] - corners[:, 0, 0]) * (corners[:, 2, 1] - corners[:, 0, 1]) - (
        corners[:, 2, 0] - corners[:, 0, 0]
    ) * (corners[:, 1, 1] - corners[:, 0, 1])
    # Only triangles turned towards the camera; those seen almost edge on are left out too: their
    # few cells are covered by neighbours, and their position there would be ill-determined.
    edges = np.linalg.norm(corners[:, 1] - corners[:, 0], axis=1) * np.linalg.norm(
        corners[:, 2] - corners[:, 0], axis=1
    )
    facing_camera = np.nonzero(signed_area > 0.02 * edges)[0]
    order = facing_camera[np.argsort(depth[triangles[facing_camera]].mean(axis=1), kind="stable")]
    ids = order + 1
    colours = np.stack([(ids >> 16) & 255, (ids >> 8) & 255, ids & 255], axis=1) / 255.0
    polygons = PolyCollection(corners[order], facecolors=colours, edgecolors="none", antialiaseds=False)
    ax.add_collection(polygons, autolim=False)  # the limits are set above: measuring the data is wasted
    fig.patch.set_facecolor((0, 0, 0))
    canvas.draw()
    rgb = np.asarray(canvas.buffer_rgba())[::-1, :, :3].astype(np.int64)
    return ((rgb[:, :, 0] << 16) | (rgb[:, :, 1] << 8) | rgb[:, :, 2]) - 1


@dataclass(frozen=True, eq=False)
class _Projection:
    """The triangle seen in each covered cell of a view (before the cut at its top level), and where in it."""

    grid: ViewGrid
    covered: np.ndarray
    corners: np.ndarray  # (covered cells, 3): the seen triangle's vertices
    weights: np.ndarray  # (covered cells, 3): the cell centre's barycentric weights in it
    toward: np.ndarray


@cache
def _face_ids(view: View, facing: Facing) -> tuple[ViewGrid, np.ndarray]:
    """The view's grid and the index of the triangle seen in each cell (-1: none); drawn once per process."""
    setup = SETUPS[view]
    camera = setup.camera_facing(facing)
    mesh = body_mesh()
    screen, depth = _screen(mesh.vertices, camera)
    triangles = mesh.triangles[_kept(view)]
    used = np.unique(triangles)
    step = FOOT_STEP if setup.foot else LIMB_STEP
    margin = 6 * step  # empty cells all round, so softened edges and outlines close inside the grid
    lo = np.floor(screen[used].min(axis=0) / step) * step - margin
    hi = screen[used].max(axis=0) + margin
    cols, rows = (np.ceil((hi - lo) / step)).astype(int)
    face = _draw_face_ids(screen, depth, triangles, (lo[0], lo[1], step, rows, cols))
    return ViewGrid(view, facing, camera, float(lo[0]), float(lo[1]), step), face.astype(np.int32)


def _screen(vertices: np.ndarray, camera) -> tuple[np.ndarray, np.ndarray]:
    projected = vertices @ np.array([camera.right, camera.up, camera.toward]).T
    return projected[:, :2], projected[:, 2]


def _kept(view: View) -> np.ndarray:
    """Which triangles of the mesh a view draws: its parts, up to a little above its cut."""
    setup = SETUPS[view]
    mesh = body_mesh()
    keep = np.isin(mesh.part, list(setup.parts))
    if setup.top_level is not None:  # a little above the cut, so no triangle is missing below it
        keep &= mesh.vertices[:, 1] <= setup.top_level + 1.0
    return keep[mesh.triangles].all(axis=1)


def _projection(view: View, facing: Facing) -> _Projection:
    """Recomputed from the face ids when asked for: cheap, and 36 bytes a cell not kept."""
    grid, face = _face_ids(view, facing)
    mesh = body_mesh()
    screen, _ = _screen(mesh.vertices, grid.camera)
    covered = face >= 0
    rows_i, cols_i = np.nonzero(covered)
    corners = mesh.triangles[_kept(view)][face[covered]]
    px = grid.x0 + (cols_i + 0.5) * grid.step
    py = grid.y0 + (rows_i + 0.5) * grid.step
    a, b, c = (screen[corners[:, k]] for k in range(3))
    det = (b[:, 0] - a[:, 0]) * (c[:, 1] - a[:, 1]) - (c[:, 0] - a[:, 0]) * (b[:, 1] - a[:, 1])
    w1 = ((px - a[:, 0]) * (c[:, 1] - a[:, 1]) - (c[:, 0] - a[:, 0]) * (py - a[:, 1])) / det
    w2 = ((b[:, 0] - a[:, 0]) * (py - a[:, 1]) - (px - a[:, 0]) * (b[:, 1] - a[:, 1])) / det
    # A cell centre just outside its triangle (Agg fills by coverage) is extrapolated in the
    # triangle's plane, so its screen position and its body position agree.
    weights = np.stack([1 - w1 - w2, w1, w2], axis=1)
    return _Projection(grid, covered, corners, weights, np.array(grid.camera.toward))


def _interpolate(projection: _Projection, values: np.ndarray) -> np.ndarray:
    return (values[projection.corners] * projection.weights[:, :, None]).sum(axis=1)


def _cut_below(projection: _Projection, position: np.ndarray) -> np.ndarray:
    """Which covered cells lie at or below the view's top level (all, for a view not cut)."""
    top_level = SETUPS[projection.grid.view].top_level
    return np.ones(len(position), dtype=bool) if top_level is None else position[:, 1] <= top_level


def _grid(covered: np.ndarray, values: np.ndarray, fill: float = np.nan) -> np.ndarray:
    out = np.full(
        covered.shape + values.shape[1:], fill, dtype=np.float32 if values.dtype.kind == "f" else values.dtype
    )
    out[covered] = values
    return out


@cache
def view_raster(view: View, facing: Facing = Facing.BEHIND) -> ViewRaster:
    """The body seen in `view` (foot views turned to `facing`), computed once per process."""
    projection = _projection(view, facing)
    mesh = body_mesh()
    position = _interpolate(projection, mesh.vertices)
    below = _cut_below(projection, position)  # cut flat at the view's top level, whatever the triangles
    covered = projection.covered.copy()
    covered[projection.covered] = below
    corners, weights = projection.corners[below], projection.weights[below]
    part = mesh.part[corners[np.arange(len(corners)), weights.argmax(axis=1)]].astype(np.int8)
    depth = position[below] @ projection.toward
    return ViewRaster(
        **vars(projection.grid), covered=covered, part=_grid(covered, part, -1), depth=_grid(covered, depth)
    )


@cache
def surface_samples(view: View, facing: Facing = Facing.BEHIND) -> SurfaceSamples:
    """Position, normal and chart coordinates of the skin in each covered cell of `view`."""
    projection = _projection(view, facing)
    mesh = body_mesh()
    position = _interpolate(projection, mesh.vertices)
    below = _cut_below(projection, position)
    covered = view_raster(view, facing).covered
    position = position[below]
    normal = _interpolate(projection, mesh.normals)[below]
    normal /= np.maximum(np.linalg.norm(normal, axis=1, keepdims=True), 1e-12)
    along, across = mesh.along_across(position)
    return SurfaceSamples(
        _grid(covered, position), _grid(covered, normal), _grid(covered, mesh.around(position)),
        _grid(covered, along), _grid(covered, across),
    )  # fmt: skip


def release_surface_samples() -> None:
    """Let every view's per-cell samples go, and the face ids they come from (both are
    computed again if asked for)."""
    surface_samples.cache_clear()
    _face_ids.cache_clear()


def patch_mask(raster: ViewRaster, patch: Patch) -> np.ndarray:
    """Cells whose skin lies in `patch` (the numpy twin of `surface.patch_contains`)."""
    inside = raster.covered & np.isin(raster.part, list(patch.domain))
    if patch.facing is not None:
        inside &= raster.normal @ np.asarray(patch.facing, dtype=np.float32) >= patch.min_facing
    if patch.below is not None:
        inside &= raster.position[..., 1] < patch.below
    rows, cols = np.nonzero(inside)
    if patch.chart is Chart.TRUNK:
        coords = np.stack([-raster.position[rows, cols, 0], raster.position[rows, cols, 1]], axis=1)
    elif patch.chart is Chart.LIMB:
        coords = np.stack([raster.around[rows, cols], raster.position[rows, cols, 1]], axis=1)
    else:
        coords = np.stack([raster.along[rows, cols], raster.across[rows, cols]], axis=1)
    path = Path(np.asarray(patch.points + patch.points[:1]), closed=True)
    hit = path.contains_points(coords)
    if patch.chart is Chart.LIMB:
        for turn in (-360.0, 360.0):
            hit |= path.contains_points(coords + np.array([turn, 0.0]))
    mask = np.zeros(raster.shape, dtype=bool)
    mask[rows[hit], cols[hit]] = True
    return mask


def patches_mask(raster: ViewRaster, patches: tuple[Patch, ...]) -> np.ndarray:
    mask = np.zeros(raster.shape, dtype=bool)
    for patch in patches:
        mask |= patch_mask(raster, patch)
    return mask
