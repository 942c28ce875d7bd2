"""Image Occlusion notes drawn from the body model: what each picture shows and what each card hides.

Two kinds, for Anki's own Image Occlusion note type (Anki 23.10+, AnkiDroid 2.17+):

- **Name the muscle**: one picture per view and layer (superficial, deep), every muscle of
  that layer seen in the view outlined and named in the margin; each card hides one muscle
  and its name.
- **Which trigger point?**: one picture per muscle with two or more trigger points, every
  X named in the margin; each card hides one X and its name. (A muscle with one trigger
  point would ask a question whose answer is always "TrP1".)

Which muscles a view shows, and where the masks lie, is only known once the picture is
drawn (`decks.occlusion_draw`, matplotlib); the drawing writes its masks into the PNG
itself (`occlusion_masks` reads them back), so a warm build reads them from the cached
picture without numpy or matplotlib. This module stays light.
"""

from __future__ import annotations

import json
import struct
import zlib
from dataclasses import dataclass
from typing import ClassVar

from decks.body.facing import Facing
from decks.body.muscle_shapes import MUSCLE_SHAPES
from decks.diagrams.spec import panel_facings
from decks.model import Facts, Muscle
from decks.outline import Position
from decks.regions import View

MASKS_CHUNK = b"myodeck-occlusion"  # the PNG text chunk that carries the masks
_VIEW_NOTE_ORDER = (View.POSTERIOR, View.ANTERIOR, View.LATERAL, View.MEDIAL, View.PLANTAR, View.DORSAL)
_LAYERS = ("superficial", "deep")


@dataclass(frozen=True)
class OcclusionTarget:
    """One thing a card hides: a muscle (`shape`) or a trigger point's X (`position`), and its name."""

    id: str  # the muscle's id, or the trigger point's
    label: str
    shape: str | None = None
    position: Position | None = None


@dataclass(frozen=True)
class OcclusionSpec:
    """Everything an occlusion picture depends on (its cache key); `renderer` draws it."""

    renderer: ClassVar[str] = "decks.occlusion_draw"

    title: str
    views: tuple[View, ...]
    facings: tuple[Facing, ...]
    targets: tuple[OcclusionTarget, ...]
    muscle_shape: str | None = None  # the one muscle shaded under its trigger points

    @property
    def whole_view(self) -> bool:
        """A "name the muscle" picture: the whole of its view, every target a muscle."""
        return self.muscle_shape is None


@dataclass(frozen=True)
class OcclusionNote:
    """One Image Occlusion note: its key (the GUID's source), its picture, and the words around it."""

    key: str
    spec: OcclusionSpec
    header: str
    back_extra: str
    muscle_ids: tuple[str, ...]  # whose facts it shows: its date is the latest of theirs
    tags: tuple[str, ...]
    deck: tuple[str, ...]  # (group, compartment), or () for the top deck


def occlusion_notes(facts: Facts, muscles: tuple[str, ...] = ()) -> list[OcclusionNote]:
    """The occlusion notes of `facts`: the views' "name the muscle" notes, then each muscle's
    "which trigger point?" note. With `muscles` (ids), only those muscles' notes: a view's
    picture names every muscle it shows, so it belongs to the whole deck only."""
    notes = [] if muscles else [note for view in _VIEW_NOTE_ORDER for note in _view_notes(facts, view)]
    chosen = [m for m in facts.muscles if not muscles or m.id in muscles]
    return notes + [_trigger_point_note(m) for m in chosen if len(m.trigger_points) >= 2]


def _view_notes(facts: Facts, view: View) -> list[OcclusionNote]:
    notes = []
    for layer in _LAYERS:
        muscles = [m for m in facts.muscles if MUSCLE_SHAPES[m.shape].deep == (layer == "deep")]
        if not muscles:
            continue
        targets = tuple(OcclusionTarget(m.id, m.name, shape=m.shape) for m in muscles)
        title = f"{view.value.capitalize()} view: {layer} muscles · right leg"
        spec = OcclusionSpec(title, (view,), (Facing.FRONT if view is View.DORSAL else Facing.BEHIND,), targets)
        notes.append(
            OcclusionNote(
                key=f"occlusion/{view.value}/{layer}",
                spec=spec,
                header=f"Name the muscle ({view.value} view, {layer} layer)",
                back_extra="",
                muscle_ids=tuple(m.id for m in muscles),
                tags=("myodeck::topic::occlusion", f"myodeck::view::{view.value}"),
                deck=(),
            )
        )
    return notes


def _trigger_point_note(muscle: Muscle) -> OcclusionNote:
    views = tuple(dict.fromkeys(trp.position.view for trp in muscle.trigger_points))
    views = tuple(sorted(views, key=_VIEW_NOTE_ORDER.index))
    targets = tuple(OcclusionTarget(trp.id, trp.name, position=trp.position) for trp in muscle.trigger_points)
    spec = OcclusionSpec(f"{muscle.name} · right leg", views, panel_facings(views), targets, muscle.shape)
    return OcclusionNote(
        key=f"{muscle.id}/occlusion/trigger-points",
        spec=spec,
        header=f"{muscle.name}: which trigger point?",
        back_extra="\n".join(f"{trp.name}: {trp.location}" for trp in muscle.trigger_points),
        muscle_ids=(muscle.id,),
        tags=(
            f"myodeck::muscle::{muscle.id}",
            "myodeck::topic::occlusion",
            f"myodeck::compartment::{muscle.group}::{muscle.compartment}",
        ),
        deck=(muscle.group, muscle.compartment),
    )


@dataclass(frozen=True)
class Mask:
    """One shape over a picture, in fractions of its width and height: a `rect` (left, top, width,
    height) or a `polygon` (its corners)."""

    kind: str
    left: float
    top: float
    width: float = 0.0
    height: float = 0.0
    points: tuple[tuple[float, float], ...] = ()


@dataclass(frozen=True)
class MaskedTarget:
    """A target the picture shows, with the masks that hide it (its outline or X, and its name)."""

    id: str
    label: str
    masks: tuple[Mask, ...]


def masks_chunk(targets: list[MaskedTarget]) -> bytes:
    """The PNG text chunk that records where each target's masks lie."""
    document = [{"id": t.id, "label": t.label, "masks": [_mask_json(mask) for mask in t.masks]} for t in targets]
    data = MASKS_CHUNK + b"\0" + json.dumps(document, ensure_ascii=True, separators=(",", ":")).encode()
    return _png_chunk(b"tEXt", data)


def _mask_json(mask: Mask) -> dict[str, object]:
    if mask.kind == "polygon":
        return {"kind": "polygon", "points": [list(p) for p in mask.points]}
    return {"kind": mask.kind, "left": mask.left, "top": mask.top, "width": mask.width, "height": mask.height}


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def with_masks(png: bytes, targets: list[MaskedTarget]) -> bytes:
    """`png` with the masks' chunk just before its end."""
    end = png.rindex(b"IEND") - 4
    return png[:end] + masks_chunk(targets) + png[end:]


def occlusion_masks(png: bytes) -> list[MaskedTarget]:
    """The targets and masks an occlusion picture records (`with_masks`); ValueError if it has none."""
    offset = 8
    while offset < len(png):
        (length,) = struct.unpack(">I", png[offset : offset + 4])
        kind, data = png[offset + 4 : offset + 8], png[offset + 8 : offset + 8 + length]
        offset += 12 + length
        if kind == b"tEXt" and data.startswith(MASKS_CHUNK + b"\0"):
            document = json.loads(data[len(MASKS_CHUNK) + 1 :])
            return [
                MaskedTarget(item["id"], item["label"], tuple(_mask(m) for m in item["masks"])) for item in document
            ]
    raise ValueError("not an occlusion picture: no masks recorded")


def _mask(item: dict) -> Mask:
    if item["kind"] == "polygon":
        points = tuple((float(x), float(y)) for x, y in item["points"])
        xs, ys = [x for x, _ in points], [y for _, y in points]
        return Mask("polygon", min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys), points)
    return Mask(item["kind"], item["left"], item["top"], item["width"], item["height"])


def occlusion_field(note: OcclusionNote, targets: list[MaskedTarget]) -> str:
    """The note's Occlusion field: each target's masks under one cloze number, as Anki's editor writes
    them (`{{c1::image-occlusion:rect:left=.1:top=.2:width=.3:height=.4:oi=1}}`), hiding all, guessing one.

    A trigger point keeps its number (TrP2 is always c2); the muscles of a view are numbered in
    the order of the fact files' muscles, so a student's cards match from one release to the next
    until a muscle is added to that view.
    """
    shown = {target.id for target in targets}
    # A view counts the muscles it shows; a muscle's picture counts every trigger point, drawn or not.
    numbered = [t.id for t in note.spec.targets if not note.spec.whole_view or t.id in shown]
    parts = []
    for target in sorted(targets, key=lambda t: numbered.index(t.id)):
        number = numbered.index(target.id) + 1
        parts.extend(f"{{{{c{number}::image-occlusion:{_cloze_shape(mask)}:oi=1}}}}<br>" for mask in target.masks)
    return "".join(parts)


def _cloze_shape(mask: Mask) -> str:
    place = f"left={fraction(mask.left)}:top={fraction(mask.top)}"
    if mask.kind == "polygon":
        points = " ".join(f"{fraction(x)},{fraction(y)}" for x, y in mask.points)
        return f"polygon:{place}:points={points}"
    return f"{mask.kind}:{place}:width={fraction(mask.width)}:height={fraction(mask.height)}"


def fraction(value: float) -> str:
    """A coordinate as Anki's editor writes it (`floatToDisplay`): four decimals, no leading or
    trailing zeros (`.25`, `1.`), and `.0000` for zero."""
    if value == 0:
        return ".0000"
    return f"{value:.4f}".strip("0")
