"""The cameras: each view of the body is an orthographic projection along one direction.

Screen axes (`right`, `up`) and the direction towards the camera (`toward`) form a
right-handed frame (right x up = toward), so no view is a mirror image. Pure Python:
the terminal's pictures and the view-pairing rules read this without numpy.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from decks.body.facing import Facing
from decks.body.surface import (
    ALL_PARTS,
    BACK,
    DOWN,
    FRONT,
    LEFT,
    LEFT_LIMB_PART,
    RIGHT,
    RIGHT_LIMB_PARTS,
    UP,
    Vector,
)
from decks.regions import View

DORSAL_ELEVATION = 55.0  # degrees above the horizon of the camera that sees the top of the foot


def _negate(v: Vector) -> Vector:
    return (-v[0], -v[1], -v[2])


def _cross(a: Vector, b: Vector) -> Vector:
    return (a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0])


def dot(a: Vector, b: Vector) -> float:
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]


@dataclass(frozen=True)
class Camera:
    """Screen `right` and `up`, and `toward` the camera; a point's depth is its distance along `toward`."""

    right: Vector
    up: Vector
    toward: Vector

    @classmethod
    def looking(cls, toward: Vector, up: Vector) -> Camera:
        return cls(_cross(up, toward), up, toward)

    def project(self, point: Vector) -> tuple[float, float, float]:
        """Screen x, screen y and depth (larger is nearer the camera)."""
        return dot(point, self.right), dot(point, self.up), dot(point, self.toward)

    def turned(self) -> Camera:
        """The same view turned upside down (a rotation in the picture's plane, not a mirror)."""
        return Camera(_negate(self.right), _negate(self.up), self.toward)


def _dorsal_camera() -> Camera:
    angle = math.radians(DORSAL_ELEVATION)
    toward = (0.0, math.sin(angle), math.cos(angle))  # from above and in front of the toes
    up = (0.0, math.cos(angle), -math.sin(angle))  # up the picture runs towards the ankle
    return Camera.looking(toward, up)


@dataclass(frozen=True)
class ViewSetup:
    """A view's camera, the parts of the body it draws, and the highest level it keeps (%H):
    the foot views leave out the leg above the ankle, which would hide the top of the foot."""

    view: View
    camera: Camera
    parts: frozenset[int]
    top_level: float | None = None
    foot: bool = False  # an enlarged view of the foot, turned to match the panel beside it

    def camera_facing(self, facing: Facing) -> Camera:
        """Foot views turn with their neighbour: a sole next to a back view is seen from behind."""
        native = Facing.BEHIND if self.view is View.PLANTAR else Facing.FRONT
        return self.camera if facing is native or not self.foot else self.camera.turned()

    def across_to_right(self, facing: Facing = Facing.BEHIND) -> bool:
        """Whether a position's `across` (medial to lateral, or front to back on the sides) runs rightwards."""
        direction = BACK if self.view in (View.LATERAL, View.MEDIAL) else RIGHT
        return dot(self.camera_facing(facing).right, direction) > 0


SETUPS: dict[View, ViewSetup] = {
    View.POSTERIOR: ViewSetup(View.POSTERIOR, Camera.looking(BACK, UP), ALL_PARTS),
    View.ANTERIOR: ViewSetup(View.ANTERIOR, Camera.looking(FRONT, UP), ALL_PARTS),
    View.LATERAL: ViewSetup(View.LATERAL, Camera.looking(RIGHT, UP), ALL_PARTS - {LEFT_LIMB_PART}),
    # Without the other limb and the trunk, which would hide the inner thigh; cut flat below the groin.
    View.MEDIAL: ViewSetup(View.MEDIAL, Camera.looking(LEFT, UP), RIGHT_LIMB_PARTS, top_level=46.5),
    # The sole from below, heel at the top and medial on the left: as it lies beside a back view.
    View.PLANTAR: ViewSetup(View.PLANTAR, Camera.looking(DOWN, BACK), RIGHT_LIMB_PARTS, top_level=12.0, foot=True),
    View.DORSAL: ViewSetup(View.DORSAL, _dorsal_camera(), RIGHT_LIMB_PARTS, top_level=6.5, foot=True),
}


@dataclass(frozen=True, eq=False)
class ViewGrid:
    """A view's screen cut into square cells; cell (row, col) is centred on
    (x0 + (col + 0.5) * step, y0 + (row + 0.5) * step), row 0 at the bottom. Shared by the
    drawings' fine rasters and the terminal's coarse bake."""

    view: View
    facing: Facing
    camera: Camera
    x0: float
    y0: float
    step: float

    def cell_of(self, x: float, y: float) -> tuple[int, int]:
        return int((y - self.y0) // self.step), int((x - self.x0) // self.step)
