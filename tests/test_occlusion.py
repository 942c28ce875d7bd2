"""Image Occlusion notes, checked with the real Anki: imported, recognised as Anki's own note
type, read back with `get_image_occlusion_note`, and every mask laid over its muscle or its X."""

from __future__ import annotations

import hashlib
import html
import io
import json
import re
import sys
from pathlib import Path

import numpy as np
import pytest
from anki.collection import Collection
from matplotlib.path import Path as MplPath
from PIL import Image

from decks.anki_package import (
    IO_NOTE_TYPE_ID,
    IO_NOTE_TYPE_REVISED,
    build_package,
    image_occlusion_note_type,
    note_guid,
    note_mtime,
)
from decks.body.raster import view_raster
from decks.body.surface import LEFT_LIMB_PART
from decks.body.views import SETUPS
from decks.card_dates import card_dates_path, read_card_dates
from decks.diagrams.batch import DiagramCache
from decks.diagrams.render import muscle_mask, shown_mask, trigger_point_in_view
from decks.loader import load_facts
from decks.occlusion import fraction, occlusion_masks, occlusion_notes
from decks.occlusion_draw import render
from source_facts import bundled_facts_dir

sys.path.insert(0, str(Path(__file__).parent))
from test_anki_package import import_package
from test_cli import myodeck

REPO = Path(__file__).resolve().parent.parent
FACTS = load_facts(bundled_facts_dir())
NOTES = occlusion_notes(FACTS)


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory):
    """The occlusion notes alone, built and imported into a fresh collection."""
    folder = tmp_path_factory.mktemp("occlusion")
    report = build_package(
        FACTS, folder / "occlusion.apkg", kinds=(), cache=DiagramCache(folder / "cache"), occlusion=True
    )
    (folder / "student").mkdir()
    col = Collection(str(folder / "student" / "collection.anki2"))
    log = import_package(col, report.path)
    yield report, col, log
    col.close()


def test_every_note_imports_as_a_native_image_occlusion_note(imported) -> None:
    report, col, log = imported
    assert len(log.new) == report.notes == len(NOTES) == col.note_count()
    notetype = col.models.get(IO_NOTE_TYPE_ID)
    assert notetype["type"] == 1 and notetype["originalStockKind"] == 6
    assert [(f["name"], f["tag"]) for f in notetype["flds"]] == [
        ("Occlusion", 0), ("Image", 1), ("Header", 2), ("Back Extra", 3), ("Comments", 4),
    ]  # fmt: skip
    # The very templates and style Anki gives its own note type.
    col.add_image_occlusion_notetype()
    (stock,) = [m for m in col.models.all() if m["name"] == "Image Occlusion"]
    assert notetype["tmpls"][0]["qfmt"] == stock["tmpls"][0]["qfmt"]
    assert notetype["tmpls"][0]["afmt"] == stock["tmpls"][0]["afmt"]
    assert notetype["css"] == stock["css"]
    assert [(f["name"], f["tag"], f["preventDeletion"]) for f in notetype["flds"]] == [
        (f["name"], f["tag"], f["preventDeletion"]) for f in stock["flds"]
    ]
    assert col.card_count() == report.cards
    assert list(col.get_empty_cards().notes) == []
    media = col.media.check()
    assert (list(media.missing), list(media.unused)) == ([], [])


def _read_back(col: Collection, key: str):
    nid = col.db.scalar("SELECT id FROM notes WHERE guid = ?", note_guid(key))
    answer = col.get_image_occlusion_note(nid)
    assert answer.WhichOneof("value") == "note", answer.error
    return nid, answer.note


def _shape_mask(shape, width: int, height: int) -> np.ndarray:
    """The pixels a shape Anki read back covers."""
    values = {p.name: p.value for p in shape.properties}
    assert values["oi"] == "1"
    ys, xs = np.mgrid[0:height, 0:width]
    if shape.shape == "rect":
        left, top = float(values["left"]) * width, float(values["top"]) * height
        right, bottom = left + float(values["width"]) * width, top + float(values["height"]) * height
        return (xs >= left) & (xs <= right) & (ys >= top) & (ys <= bottom)
    assert shape.shape == "polygon"
    points = [tuple(float(v) for v in pair.split(",")) for pair in values["points"].split(" ")]
    assert values["left"] == fraction(min(x for x, _ in points))
    assert values["top"] == fraction(min(y for _, y in points))
    polygon = MplPath(np.array(points) * [width, height])
    return polygon.contains_points(np.stack([xs.ravel() + 0.5, ys.ravel() + 0.5], axis=1)).reshape(height, width)


def _panel_pixels(panel, view, facing, cells: np.ndarray, width: int, height: int) -> np.ndarray:
    """The picture's pixels over the cells of a view (projected geometry, independent of the masks)."""
    skin = view_raster(view, facing)
    rows, cols = np.nonzero(cells)
    xs = np.round(panel.sx * skin.xs[cols] + panel.tx).astype(int)
    ys = np.round(panel.sy * skin.ys[rows] + panel.ty).astype(int)
    keep = (xs >= 0) & (xs < width) & (ys >= 0) & (ys < height)
    out = np.zeros((height, width), dtype=bool)
    out[ys[keep], xs[keep]] = True
    return out


@pytest.mark.parametrize("note", [n for n in NOTES if n.spec.whole_view], ids=lambda n: n.key)
def test_each_muscle_mask_lies_on_its_muscle(imported, note) -> None:
    _, col, _ = imported
    _, read = _read_back(col, note.key)
    drawn = render(note.spec)
    assert read.image_data == drawn.png  # the masks checked are the ones shipped
    assert read.header == f"Name the muscle ({note.spec.views[0].value} view, {note.key.split('/')[-1]} layer)"
    assert read.occlude_inactive
    (panel,) = drawn.panels
    view, facing = note.spec.views[0], note.spec.facings[0]
    parts = SETUPS[view].parts - {LEFT_LIMB_PART}  # the right leg and the pelvis
    targets = occlusion_masks(drawn.png)
    assert sorted(o.ordinal for o in read.occlusions) == list(range(1, len(targets) + 1))
    by_id = {t.id: t for t in note.spec.targets}
    occlusions = sorted(read.occlusions, key=lambda o: o.ordinal)
    outlines = [
        [_shape_mask(shape, drawn.width, drawn.height) for shape in occlusion.shapes[:-1]] for occlusion in occlusions
    ]
    for index, (occlusion, target) in enumerate(zip(occlusions, targets, strict=True)):
        cells = muscle_mask(view, facing, by_id[target.id].shape) & shown_mask(view, facing, parts)
        muscle = _panel_pixels(panel, view, facing, cells, drawn.width, drawn.height)
        near_muscle = _grown(muscle, 5)  # projected cell centres lie up to 3 px apart
        name = occlusion.shapes[-1]
        assert outlines[index] and name.shape == "rect"
        covered = np.zeros_like(muscle)
        for pixels in outlines[index]:
            on_muscle = (pixels & near_muscle).sum() / pixels.sum()
            assert on_muscle > 0.95, (target.id, on_muscle)
            covered |= pixels
        # Masks never overlap (Anki draws the other cards' masks over the asked one's): where two
        # muscles do, the other's mask has the overlap. Most of the rest is hidden; slivers of under
        # 0.3 %H² where a muscle turns round the limb's edge go unmasked.
        others = np.zeros_like(muscle)
        for other in [p for k, pieces in enumerate(outlines) if k != index for p in pieces]:
            assert (other & covered).sum() < 0.06 * covered.sum(), target.id  # at most a seam where they meet
            others |= other
        own = muscle & ~_grown(others, 2)
        hidden = (_grown(covered, 2) & own).sum() / own.sum()
        assert hidden > 0.65, (target.id, hidden)
        _assert_names(read, name, target.label, drawn)


def _grown(mask: np.ndarray, pixels: int) -> np.ndarray:
    """`mask` and every pixel within a square of `pixels` each way of it."""
    out = mask.copy()
    for axis in (0, 1):
        step = out.copy()
        for shift in range(1, pixels + 1):
            out |= np.roll(step, shift, axis) | np.roll(step, -shift, axis)
    return out


def _assert_names(read, name_shape, label: str, drawn) -> None:
    """The name's mask covers dark text in the margin, clear of the body."""
    image = np.asarray(Image.open(io.BytesIO(read.image_data)).convert("RGB")).astype(int)
    pixels = _shape_mask(name_shape, drawn.width, drawn.height)
    ink = (image.sum(axis=2) < 200) & pixels
    assert ink.sum() > 20 * len(label), label


@pytest.mark.parametrize("note", [n for n in NOTES if not n.spec.whole_view], ids=lambda n: n.key)
def test_each_trigger_point_mask_hides_its_x(imported, note) -> None:
    _, col, _ = imported
    _, read = _read_back(col, note.key)
    drawn = render(note.spec)
    assert read.image_data == drawn.png
    muscle = FACTS.muscle(note.muscle_ids[0])
    assert read.header == f"{muscle.name}: which trigger point?"
    assert read.back_extra == "<br>".join(html.escape(f"{t.name}: {t.location}") for t in muscle.trigger_points)
    image = np.asarray(Image.open(io.BytesIO(read.image_data)).convert("RGB")).astype(int)
    panels = {panel.view: panel for panel in drawn.panels}
    # TrP2 is always c2: a student's card for a trigger point keeps its number.
    assert sorted(o.ordinal for o in read.occlusions) == list(range(1, len(muscle.trigger_points) + 1))
    for occlusion in read.occlusions:
        trp = muscle.trigger_points[occlusion.ordinal - 1]
        x_mask, name = occlusion.shapes
        panel = panels[trp.position.view]
        x, y = trigger_point_in_view(trp.position, muscle.shape, panel.view, panel.facing)
        px, py = panel.sx * x + panel.tx, panel.sy * y + panel.ty
        values = {p.name: float(p.value) for p in x_mask.properties}
        centre = (
            (values["left"] + values["width"] / 2) * drawn.width,
            (values["top"] + values["height"] / 2) * drawn.height,
        )
        assert abs(centre[0] - px) < 1.5 and abs(centre[1] - py) < 1.5, trp.id
        hidden = _shape_mask(x_mask, drawn.width, drawn.height)
        assert ((image.sum(axis=2) < 120) & hidden).sum() > 60, trp.id  # the X's ink is under it
        _assert_names(read, name, trp.name, drawn)


def test_a_view_names_only_the_muscles_that_face_it(imported) -> None:
    """A muscle seen nearly edge-on, a sliver along the body's outline, is not asked as one of the view's:
    the sartorius and tensor fasciae latae lie in front, the gluteus maximus behind, the rectus femoris in
    front; each is named in the views that face it."""
    _, col, _ = imported
    named = {
        note.key: {target.label for target in occlusion_masks(_read_back(col, note.key)[1].image_data)}
        for note in NOTES
        if note.spec.whole_view
    }
    assert not {"Sartorius", "Tensor fasciae latae"} & named["occlusion/posterior/superficial"]
    assert "Gluteus maximus" not in named["occlusion/anterior/superficial"]
    assert "Rectus femoris" not in named["occlusion/medial/superficial"]
    assert {"Sartorius", "Tensor fasciae latae", "Rectus femoris"} <= named["occlusion/anterior/superficial"]
    assert {"Gluteus maximus", "Biceps femoris", "Semitendinosus"} <= named["occlusion/posterior/superficial"]
    assert {"Sartorius", "Gracilis"} <= named["occlusion/medial/superficial"]


def test_occlusion_field_is_written_as_anki_writes_it(imported) -> None:
    _, col, _ = imported
    nid, _ = _read_back(col, "gastrocnemius/occlusion/trigger-points")
    field = col.get_note(nid)["Occlusion"]
    shape = (
        r"\{\{c(\d)::image-occlusion:rect:left=\.\d{1,4}:top=\.\d{1,4}:width=\.\d{1,4}:height=\.\d{1,4}:oi=1\}\}<br>"
    )
    assert re.fullmatch(f"({shape})+", field)
    assert re.findall(r"\{\{c(\d)::", field) == ["1", "1", "2", "2", "3", "3", "4", "4"]
    assert [fraction(v) for v in (0.0, 0.25, 1.0, 0.12345)] == [".0000", ".25", "1.", ".1235"]


def test_build_topic_occlusion_alone_or_left_out(tmp_path: Path) -> None:
    only = myodeck("build", "--topic", "occlusion", "--muscle", "gastrocnemius", "-o", "g.apkg", cwd=tmp_path)
    assert only.returncode == 0, only.stderr
    kb = round((tmp_path / "g.apkg").stat().st_size / 1000)
    assert only.stdout.endswith(f"Wrote 4 cards (1 note, 1 picture, {kb} kB) to {tmp_path / 'g.apkg'}\n")
    without = myodeck("build", "--topic", "innervation", "--muscle", "gastrocnemius", "-o", "n.apkg", cwd=tmp_path)
    kb = round((tmp_path / "n.apkg").stat().st_size / 1000)
    assert without.stdout == f"Wrote 1 card (1 note, 0 pictures, {kb} kB) to {tmp_path / 'n.apkg'}\n"
    one_trp = myodeck("build", "--topic", "occlusion", "--muscle", "plantaris", "-o", "p.apkg", cwd=tmp_path)
    assert (one_trp.returncode, one_trp.stderr) == (
        1,
        "Error: no cards for the chosen muscles and topics; nothing was written\n",
    )
    assert not (tmp_path / "p.apkg").exists()


def test_each_card_asks_one_target_and_shows_the_answer(imported) -> None:
    """Anki's own renderer: card N's masks are the active ones, every other mask stays on (hide all,
    guess one), and the back adds the Toggle Masks button and the trigger points' locations."""
    _, col, _ = imported
    nid, read = _read_back(col, "gastrocnemius/occlusion/trigger-points")
    for card in col.get_note(nid).cards():
        question, answer = card.question(), card.answer()
        active = re.findall(r'<div class="cloze" data-ordinal="(\d+)"', question)
        inactive = re.findall(r'<div class="cloze-inactive" data-ordinal="(\d+)"', question)
        assert active == [str(card.ord + 1)] * 2  # the X and its name
        assert sorted(set(inactive)) == sorted({str(o.ordinal) for o in read.occlusions} - {str(card.ord + 1)})
        assert f'<img src="{read.image_file_name}">' in question
        assert "Toggle Masks" in answer and "TrP1: " in answer and "Toggle Masks" not in question


def test_notes_carry_their_muscles_latest_card_date(imported) -> None:
    """An occlusion note is re-sent when a muscle it shows changes, and re-importing changes nothing."""
    report, col, _ = imported
    dates = read_card_dates(card_dates_path(FACTS.directory))
    for note in NOTES:
        latest = max(
            [note_mtime(IO_NOTE_TYPE_REVISED)]
            + [note_mtime(d.changed) for key, d in dates.items() if key.split("/")[0] in note.muscle_ids]
        )
        assert col.db.scalar("SELECT mod FROM notes WHERE guid = ?", note_guid(note.key)) == latest, note.key
    again = import_package(col, report.path)
    assert (len(again.new), len(again.updated), len(again.duplicate)) == (0, 0, len(NOTES))


def test_occlusion_changes_come_with_a_new_revision_date() -> None:
    """The note type and what draws and words the notes, pinned with the date students' notes carry."""
    model = image_occlusion_note_type()
    definition = json.dumps([model.model_id, model.name, model.fields, model.templates, model.css], sort_keys=True)
    code = b"".join((REPO / "decks" / name).read_bytes() for name in ("occlusion.py", "occlusion_draw.py"))
    digest = hashlib.sha256(definition.encode() + code).hexdigest()[:16]
    assert (IO_NOTE_TYPE_REVISED.isoformat(), digest) == ("2026-12-05T21:30:00+00:00", "666f007f4edda792"), (
        "the occlusion notes changed: bump IO_NOTE_TYPE_REVISED (students' Anki takes a change only if it is "
        "newer) and record the new date and digest here"
    )
