"""The lower-body mesh with what each vertex needs: its normal and its chart coordinates."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

from decks.body import DATA
from decks.body.surface import FOOT_PARTS, RIGHT_LIMB_PARTS

MESH_FILE = "lower-body.npz"
AXIS_TOP = 46.0  # %H: above the gluteal fold the thigh's axis is taken as it is here
AXIS_BOTTOM = 5.0  # just above the ankle joint; lower down, angles are measured about the ankle's axis
_AXIS_STEP = 0.5


@dataclass(frozen=True)
class BodyMesh:
    """Triangles of the lower body in %H (x to the body's left, y up, z forwards), with per-vertex data."""

    vertices: np.ndarray  # (n, 3)
    triangles: np.ndarray  # (m, 3)
    part: np.ndarray  # (n,) TRUNK_PART ... LEFT_LIMB_PART
    normals: np.ndarray  # (n, 3) unit
    joints: dict[str, np.ndarray]
    axis_levels: np.ndarray  # levels at which the limb's axis is sampled
    axis_centres: np.ndarray  # (len(axis_levels), 2): x, z of the right limb's axis
    foot_origin: np.ndarray  # (x, z) of the back of the heel
    foot_axis: np.ndarray  # unit (x, z) from heel to toe tip
    foot_length: float
    foot_width_levels: np.ndarray  # `along` samples of the foot's width
    foot_edges: np.ndarray  # (len, 2): medial and lateral edge (lateral distance) at each sample

    def around(self, points: np.ndarray) -> np.ndarray:
        """Angle about the right limb's axis: 0 front, 90 lateral, 180 back, 270 medial."""
        levels = np.clip(points[:, 1], AXIS_BOTTOM, AXIS_TOP)
        cx = np.interp(levels, self.axis_levels, self.axis_centres[:, 0])
        cz = np.interp(levels, self.axis_levels, self.axis_centres[:, 1])
        return np.degrees(np.arctan2(cx - points[:, 0], points[:, 2] - cz)) % 360.0

    def along_across(self, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Heel (0) to toe tip (1), and medial edge (0) to lateral edge (1)."""
        along, lateral = _foot_frame_coordinates(points, self.foot_origin, self.foot_axis, self.foot_length)
        medial = np.interp(along, self.foot_width_levels, self.foot_edges[:, 0])
        lateral_edge = np.interp(along, self.foot_width_levels, self.foot_edges[:, 1])
        return along, (lateral - medial) / np.maximum(lateral_edge - medial, 1e-6)


def _foot_frame_coordinates(
    points: np.ndarray, origin: np.ndarray, axis: np.ndarray, length: float
) -> tuple[np.ndarray, np.ndarray]:
    """Fraction of the foot's length from the heel, and distance towards the lateral (-x) side."""
    offset = points[:, [0, 2]] - origin
    lateral_direction = np.array([-abs(axis[1]), axis[0] * np.sign(axis[1])])  # (x, z), x < 0 for the right foot
    return offset @ axis / length, offset @ lateral_direction


def _vertex_normals(vertices: np.ndarray, triangles: np.ndarray) -> np.ndarray:
    corners = vertices[triangles]
    face = np.cross(corners[:, 1] - corners[:, 0], corners[:, 2] - corners[:, 0])
    normals = np.zeros_like(vertices)
    for k in range(3):
        np.add.at(normals, triangles[:, k], face)
    return normals / np.maximum(np.linalg.norm(normals, axis=1, keepdims=True), 1e-12)


def _limb_axis(vertices: np.ndarray, part: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The centre of the right limb's cross-section at each level (middle of its extent in x and z)."""
    limb = vertices[np.isin(part, list(RIGHT_LIMB_PARTS))]
    levels = np.arange(AXIS_BOTTOM, AXIS_TOP + _AXIS_STEP, _AXIS_STEP)
    centres = []
    for level in levels:
        ring = limb[np.abs(limb[:, 1] - level) <= 1.0]
        centres.append(((ring[:, 0].min() + ring[:, 0].max()) / 2, (ring[:, 2].min() + ring[:, 2].max()) / 2))
    centres_array = np.array(centres)
    kernel = np.ones(5) / 5  # smooth the steps between rings of the mesh
    padded = np.pad(centres_array, ((2, 2), (0, 0)), mode="edge")
    smooth = np.stack([np.convolve(padded[:, k], kernel, mode="valid") for k in range(2)], axis=1)
    return levels, smooth


def _foot_frame(vertices: np.ndarray, part: np.ndarray, joints: dict[str, np.ndarray]):
    foot = vertices[np.isin(part, list(FOOT_PARTS))]
    heel = foot[np.argmin(foot[:, 2])]
    tip = joints["right-toe-2-4"]
    axis = np.array([tip[0] - heel[0], tip[2] - heel[2]])
    axis /= np.linalg.norm(axis)
    origin = np.array([heel[0], heel[2]])
    length = float(((foot[:, [0, 2]] - origin) @ axis).max())
    return origin, axis, length


def _foot_edges(along: np.ndarray, lateral: np.ndarray, samples: np.ndarray) -> np.ndarray:
    """The medial and lateral edge of the foot (as lateral distances) at each `along` sample."""
    edges = []
    for sample in samples:
        near = np.abs(along - sample) <= 0.04
        edges.append((lateral[near].min(), lateral[near].max()))
    return np.array(edges)


@cache
def body_mesh() -> BodyMesh:
    """The bundled mesh, loaded once per process."""
    with (DATA / MESH_FILE).open("rb") as handle:
        data = np.load(handle, allow_pickle=False)
        vertices = data["vertices"].astype(np.float64)
        triangles = data["triangles"].astype(np.int64)
        part = data["part"].astype(np.int64)
        joints = {
            str(name): point.astype(np.float64) for name, point in zip(data["joint_names"], data["joints"], strict=True)
        }
    axis_levels, axis_centres = _limb_axis(vertices, part)
    origin, axis, length = _foot_frame(vertices, part, joints)
    foot = vertices[np.isin(part, list(FOOT_PARTS))]
    samples = np.linspace(0.0, 1.0, 41)
    edges = _foot_edges(*_foot_frame_coordinates(foot, origin, axis, length), samples)
    return BodyMesh(
        vertices, triangles, part, _vertex_normals(vertices, triangles), joints,
        axis_levels, axis_centres, origin, axis, length, samples, edges,
    )  # fmt: skip
