"""The joints of the lower body, the movements each allows, and which movement undoes which.

A muscle's actions name a joint and a movement from here (`hip` / `abduction`), so
questions can be asked both ways round ("which muscles abduct the hip?") and a
movement's opposite is known (the movement that stretches a muscle).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

_LIMB_JOINT = ("flexion", "extension", "abduction", "adduction", "medial rotation", "lateral rotation")

MOVEMENTS: dict[str, tuple[str, ...]] = {
    "lumbar spine": ("flexion", "extension", "lateral flexion", "rotation"),
    "pelvis": ("elevation", "depression", "anterior tilt", "posterior tilt"),
    "hip": _LIMB_JOINT,
    "knee": ("flexion", "extension", "medial rotation", "lateral rotation"),
    "ankle": ("dorsiflexion", "plantar flexion"),
    "foot": ("inversion", "eversion"),
    "big toe": ("flexion", "extension", "abduction", "adduction"),
    "lesser toes": ("flexion", "extension", "abduction", "adduction"),
}
JOINTS = tuple(MOVEMENTS)

_OPPOSITES = {
    "flexion": "extension",
    "abduction": "adduction",
    "medial rotation": "lateral rotation",
    "dorsiflexion": "plantar flexion",
    "inversion": "eversion",
    "elevation": "depression",
    "anterior tilt": "posterior tilt",
}
_OPPOSITES.update({b: a for a, b in list(_OPPOSITES.items())})

# How a question says a muscle does a movement: "Which muscles abduct the hip?"
_VERBS = {
    "flexion": "flex",
    "extension": "extend",
    "abduction": "abduct",
    "adduction": "adduct",
    "medial rotation": "medially rotate",
    "lateral rotation": "laterally rotate",
    "lateral flexion": "laterally flex",
    "rotation": "rotate",
    "elevation": "elevate",
    "depression": "depress",
    "dorsiflexion": "dorsiflex",
    "plantar flexion": "plantar flex",
    "inversion": "invert",
    "eversion": "evert",
}
_TILTS = {"anterior tilt": "anteriorly", "posterior tilt": "posteriorly"}


class Role(StrEnum):
    """A prime mover does the movement; an assistant helps, and is credited but not required."""

    PRIME = "prime"
    ASSISTANT = "assistant"


@dataclass(frozen=True, order=True)
class Movement:
    """A movement of a joint, as the vocabulary names it (`myodeck movements`)."""

    joint: str
    movement: str

    @property
    def name(self) -> str:
        """How a teacher says it: 'abduction of the hip', 'inversion of the foot'."""
        return f"{self.movement} of the {self.joint}"

    @property
    def verb_phrase(self) -> str:
        """The movement as something muscles do: 'abduct the hip', 'tilt the pelvis anteriorly'."""
        if self.movement in _TILTS:
            return f"tilt the {self.joint} {_TILTS[self.movement]}"
        return f"{_VERBS[self.movement]} the {self.joint}"

    def opposite(self) -> Movement | None:
        """The movement that undoes this one (and so stretches its prime movers), when there is one.

        Lateral flexion and rotation of the spine are undone by the same movement to the other
        side, which the vocabulary does not name apart: None.
        """
        other = _OPPOSITES.get(self.movement)
        return Movement(self.joint, other) if other and other in MOVEMENTS[self.joint] else None
