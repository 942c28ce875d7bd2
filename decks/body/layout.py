"""Which part of each view a picture shows, and at what scale: one rule for the PNG and the terminal.

All limb panels of a picture share one vertical range and one scale, so a point drawn in
two of them sits at the same height in both. Leg pictures run from the floor to at least
mid-thigh; a pattern that reaches the pelvis shows it whole from behind or in front (both
buttocks and the midline); a pattern above the knee starts a little below its lowest
mark. Foot panels are enlarged by a round factor that their label states ("plantar ×2").

The caller measures (where the marks lie, how wide the body is): this module only decides.
Pure Python.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from decks.body.facing import Facing
from decks.body.surface import RIGHT_LIMB_PARTS
from decks.body.views import SETUPS
from decks.regions import FOOT_VIEWS, View

Box = tuple[float, float, float, float]  # xmin, xmax, ymin, ymax in a view's screen units (%H)

FLOOR = -0.8
LEG_TOP = 36.0  # a leg picture shows at least up to mid-thigh
PELVIS_LEVEL = 46.5  # a mark above this level brings in the whole pelvis
WAIST = 65.0  # the highest level shown (the mesh is cut at 66)
MARGIN = 1.5  # around the marks, above and below
SIDE_MARGIN = 0.6
KNEE_REACH = 30.0  # a mark at the knee or lower brings in the whole leg, down to the floor
ANKLE_REACH = 12.0  # a pelvis picture that reaches this low goes down to the floor
FOOT_TOP = 8.0  # marks all below this level make a close-up of the foot
MIN_RANGE = 22.0
FOOT_FACTORS = (4.0, 3.0, 2.5, 2.0, 1.5)


@dataclass(frozen=True)
class PanelLayout:
    """One panel: its view and turn, the screen box it shows, its parts, and inches per %H."""

    view: View
    facing: Facing
    box: Box
    parts: frozenset[int]
    scale: float
    factor: float | None = None  # enlargement over the limb panels beside it

    @property
    def width(self) -> float:
        return (self.box[1] - self.box[0]) * self.scale

    @property
    def label(self) -> str:
        if self.factor is None:
            return self.view.value
        return f"{self.view.value} ×{self.factor:g}"


MarkBox = Callable[[View, Facing], Box | None]
BodyBox = Callable[[View, Facing, frozenset[int], tuple[float, float] | None], Box]


def layout_panels(
    views: tuple[View, ...],
    facings: tuple[Facing, ...],
    mark_box: MarkBox,
    body_box: BodyBox,
    panel_height: float,
) -> tuple[PanelLayout, ...]:
    """Place each view: `mark_box` is where a view's marks lie (None when it has none),
    `body_box` the extent of the given parts of the body within a vertical range (or all of it).

    Panels are at most `panel_height` tall; a close-up of the foot is less.
    """
    limb_views = [(v, f) for v, f in zip(views, facings, strict=True) if v not in FOOT_VIEWS]
    limb_scale = None
    levels: tuple[float, float] | None = None
    panels: dict[View, PanelLayout] = {}
    if limb_views:
        boxes = [box for box in (mark_box(v, f) for v, f in limb_views) if box is not None]
        levels, pelvis = _levels(boxes)
        # Never zoom in further than MIN_RANGE filling the panel: a close-up of the foot is shorter instead.
        limb_scale = panel_height / max(levels[1] - levels[0], MIN_RANGE)
        for view, facing in limb_views:
            parts = SETUPS[view].parts if pelvis or view in (View.LATERAL, View.MEDIAL) else RIGHT_LIMB_PARTS
            xmin, xmax, _, _ = body_box(view, facing, parts, levels)
            box = (xmin - SIDE_MARGIN, xmax + SIDE_MARGIN, *levels)
            panels[view] = PanelLayout(view, facing, box, parts, limb_scale)
    for view, facing in zip(views, facings, strict=True):
        if view not in FOOT_VIEWS:
            continue
        xmin, xmax, ymin, ymax = body_box(view, facing, SETUPS[view].parts, None)
        box = (xmin - SIDE_MARGIN / 2, xmax + SIDE_MARGIN / 2, ymin - SIDE_MARGIN / 2, ymax + SIDE_MARGIN / 2)
        height = box[3] - box[2]
        if limb_scale is None:
            panels[view] = PanelLayout(view, facing, box, SETUPS[view].parts, panel_height / height)
        else:
            factor = next((f for f in FOOT_FACTORS if height * f * limb_scale <= panel_height), None)
            scale = limb_scale * (factor or 1.0)
            panels[view] = PanelLayout(view, facing, box, SETUPS[view].parts, scale, factor)
    return tuple(panels[view] for view in views)


def _levels(boxes: list[Box]) -> tuple[tuple[float, float], bool]:
    """The vertical range the limb panels share, and whether it takes in the pelvis.

    A leg picture runs from the floor to at least mid-thigh. A picture that reaches the
    pelvis runs up to the waist, and down to mid-thigh or a little below its lowest mark
    (to the floor when that is near the ankle).
    """
    if not boxes:
        return (FLOOR, LEG_TOP), False
    lowest, highest = min(box[2] for box in boxes), max(box[3] for box in boxes)
    if highest < FOOT_TOP:  # all on the foot: a close-up of the foot and ankle
        return (FLOOR, max(highest + 2 * MARGIN, FOOT_TOP + 2.0)), False
    pelvis = highest > PELVIS_LEVEL
    if pelvis:
        bottom = min(lowest - 2 * MARGIN, LEG_TOP)
        bottom = FLOOR if bottom < ANKLE_REACH else bottom
        return (bottom, WAIST), True
    bottom = FLOOR if lowest < KNEE_REACH else lowest - 2 * MARGIN
    top = max(highest + 2 * MARGIN, LEG_TOP if bottom == FLOOR else 0.0)
    return (bottom, min(max(top, bottom + MIN_RANGE), WAIST)), False
