"""Turn the geometry data into matplotlib paths, and measure regions inside the limb."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
from matplotlib.path import Path
from matplotlib.transforms import Affine2D

from decks.diagrams.geometry import FRAMES, OUTLINES, REGION_SHAPES, Ellipse, Point, Shape
from decks.model import Position
from decks.regions import View

_SAMPLE_STEP = 0.08  # grid step (in % of height) for measuring a region inside the outline


def smooth_closed_path(points: tuple[Point, ...]) -> Path:
    """A closed Catmull-Rom curve through `points`, as cubic Bézier segments."""
    anchors = np.asarray(points, dtype=float)
    count = len(anchors)
    vertices = [anchors[0]]
    for i in range(count):
        p0, p1, p2, p3 = (anchors[(i + k) % count] for k in (-1, 0, 1, 2))
        vertices += [p1 + (p2 - p0) / 6.0, p2 - (p3 - p1) / 6.0, p2]
    codes = [Path.MOVETO] + [Path.CURVE4] * (3 * count)
    vertices.append(anchors[0])
    codes.append(Path.CLOSEPOLY)
    return Path(np.asarray(vertices), codes)


def smooth_open_path(points: tuple[Point, ...]) -> Path:
    """An open Catmull-Rom curve through `points` (ends treated as repeated anchors)."""
    anchors = np.asarray(points, dtype=float)
    padded = np.vstack([anchors[:1], anchors, anchors[-1:]])
    vertices = [anchors[0]]
    for i in range(1, len(padded) - 2):
        p0, p1, p2, p3 = padded[i - 1], padded[i], padded[i + 1], padded[i + 2]
        vertices += [p1 + (p2 - p0) / 6.0, p2 - (p3 - p1) / 6.0, p2]
    codes = [Path.MOVETO] + [Path.CURVE4] * (len(vertices) - 1)
    return Path(np.asarray(vertices), codes)


def shape_path(shape: Shape) -> Path:
    if isinstance(shape, Ellipse):
        transform = Affine2D().scale(shape.width / 2, shape.height / 2).translate(*shape.center)
        return transform.transform_path(Path.unit_circle())
    return Path(np.asarray(shape.points + shape.points[:1], dtype=float), closed=True)


@cache
def outline_path(view: View) -> Path:
    return smooth_closed_path(OUTLINES[view])


@dataclass(frozen=True)
class RegionInView:
    """A region's skin inside the limb outline: its box and a point well inside it."""

    xmin: float
    xmax: float
    ymin: float
    ymax: float
    inner_point: Point

    def point_at(self, frame_view: View, across: float, down: float) -> Point:
        frame = FRAMES[frame_view]
        x = self.xmin + across * (self.xmax - self.xmin)
        if not frame.across_to_plus_x:
            x = self.xmax - across * (self.xmax - self.xmin)
        y = self.ymax - down * (self.ymax - self.ymin)
        if frame.down_to_plus_y:
            y = self.ymin + down * (self.ymax - self.ymin)
        return (float(x), float(y))


def inside_points(view: View, region: str, step: float = _SAMPLE_STEP) -> np.ndarray:
    """Grid points (spacing `step`) that lie in both the region's shape and the limb."""
    path = shape_path(REGION_SHAPES[view][region])
    (x0, y0), (x1, y1) = path.get_extents().get_points()
    xs = np.arange(np.floor(x0 / step) * step, x1 + step, step)
    ys = np.arange(np.floor(y0 / step) * step, y1 + step, step)
    grid = np.array([(x, y) for y in ys for x in xs])
    keep = path.contains_points(grid) & outline_path(view).contains_points(grid)
    return grid[keep]


@cache
def region_in_view(view: View, region: str) -> RegionInView:
    points = inside_points(view, region)
    if len(points) == 0:
        raise ValueError(f"region {region!r} has no skin inside the {view.value} outline")
    xmin, ymin = points.min(axis=0)
    xmax, ymax = points.max(axis=0)
    # The inner point is the sample farthest from the region's own edge samples.
    center = points.mean(axis=0)
    outline = outline_path(view)
    shape = shape_path(REGION_SHAPES[view][region])
    probes = points[np.argsort(((points - center) ** 2).sum(axis=1))][:400]
    margin = 0.3
    offsets = np.array([(margin, 0), (-margin, 0), (0, margin), (0, -margin)])
    for probe in probes:
        ring = probe + offsets
        if shape.contains_points(ring).all() and outline.contains_points(ring).all():
            center = probe
            break
    else:
        center = probes[0]
    return RegionInView(float(xmin), float(xmax), float(ymin), float(ymax), (float(center[0]), float(center[1])))


def interior_points(view: View, region: str, margin: float, step: float = _SAMPLE_STEP) -> np.ndarray:
    """Points of the region inside the limb that stay `margin` away from both edges."""
    points = inside_points(view, region, step)
    shape, outline = shape_path(REGION_SHAPES[view][region]), outline_path(view)
    keep = np.ones(len(points), dtype=bool)
    for offset in np.array([(margin, 0.0), (-margin, 0.0), (0.0, margin), (0.0, -margin)]):
        ring = points + offset
        keep &= shape.contains_points(ring) & outline.contains_points(ring)
    return points[keep]


@cache
def _x_candidates(view: View, region: str) -> np.ndarray:
    return interior_points(view, region, margin=0.3)


def trigger_point_xy(position: Position) -> Point:
    """Where the X of a trigger point goes, in its view's coordinates.

    The across/down fractions address the region's box; where that lands outside
    an irregular region (or too near the limb's edge), the X moves to the nearest
    point well inside, so a fact can never put an X off the leg.
    """
    x, y = region_in_view(position.view, position.region).point_at(position.view, position.across, position.down)
    candidates = _x_candidates(position.view, position.region)
    if len(candidates) == 0:
        return (x, y)
    distances = np.hypot(candidates[:, 0] - x, candidates[:, 1] - y)
    if distances.min() <= _SAMPLE_STEP:  # already well inside
        return (x, y)
    nearest = candidates[np.argmin(distances)]
    return (float(nearest[0]), float(nearest[1]))


@dataclass(frozen=True)
class ZoneField:
    """A zone (union of regions) sampled on a grid and softened, so its edge is organic.

    Region shapes are coarse polygons; blurring their union and cutting it at 0.5
    rounds their corners and joins neighbours seamlessly, as a hand-drawn chart would.
    """

    xs: np.ndarray
    ys: np.ndarray
    values: np.ndarray  # shape (len(ys), len(xs)), 0..1

    def at(self, points: np.ndarray) -> np.ndarray:
        step_x = self.xs[1] - self.xs[0]
        step_y = self.ys[1] - self.ys[0]
        cols = np.clip(np.rint((points[:, 0] - self.xs[0]) / step_x).astype(int), 0, len(self.xs) - 1)
        rows = np.clip(np.rint((points[:, 1] - self.ys[0]) / step_y).astype(int), 0, len(self.ys) - 1)
        inside_grid = (
            (points[:, 0] >= self.xs[0])
            & (points[:, 0] <= self.xs[-1])
            & (points[:, 1] >= self.ys[0])
            & (points[:, 1] <= self.ys[-1])
        )
        return np.where(inside_grid, self.values[rows, cols], 0.0)


def _box_blur(values: np.ndarray, radius: int, axis: int) -> np.ndarray:
    kernel = np.ones(2 * radius + 1) / (2 * radius + 1)
    return np.apply_along_axis(lambda line: np.convolve(line, kernel, mode="same"), axis, values)


def zone_field(view: View, regions: tuple[str, ...], step: float = 0.05, softness: float = 0.45) -> ZoneField | None:
    """The softened union of `regions` in `view`, or None when none is drawn there."""
    paths = [shape_path(REGION_SHAPES[view][r]) for r in regions if r in REGION_SHAPES[view]]
    if not paths:
        return None
    boxes = np.array([p.get_extents().get_points().ravel() for p in paths])
    margin = 2 * softness + step
    x0, y0 = boxes[:, 0].min() - margin, boxes[:, 1].min() - margin
    x1, y1 = boxes[:, 2].max() + margin, boxes[:, 3].max() + margin
    xs = np.arange(x0, x1 + step, step)
    ys = np.arange(y0, y1 + step, step)
    grid = np.stack(np.meshgrid(xs, ys), axis=-1).reshape(-1, 2)
    inside = np.zeros(len(grid), dtype=bool)
    for path in paths:
        inside |= path.contains_points(grid)
    values = inside.reshape(len(ys), len(xs)).astype(float)
    radius = max(1, round(softness / step))
    for _ in range(2):  # two box blurs approximate a Gaussian
        for axis in (0, 1):
            values = _box_blur(values, radius, axis)
    return ZoneField(xs, ys, values)
