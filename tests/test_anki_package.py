"""The .apkg, checked with the real Anki: import, review, fix a typo, stamp, re-import.

Imports use the options of Anki's import dialog as it opens: update notes and
note types when the incoming one is newer, no scheduling, no merging of note types.
The card dates (`card-dates.json`, `myodeck stamp`) that decide which notes an
update re-sends are tested here too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import genanki
import numpy as np
import pytest
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
from anki.import_export_pb2 import ImportAnkiPackageUpdateCondition
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from decks import anki_package
from decks.anki_package import (
    DECK_IDS,
    NOTE_TYPE_ID,
    NOTE_TYPE_NAME,
    BuildReport,
    build_package,
    deck_name,
    note_guid,
    note_mtime,
    note_type,
)
from decks.card_dates import (
    CardDate,
    card_dates_json,
    card_dates_path,
    parse_card_dates,
    plan_stamp,
    read_card_dates,
    stamp_card_dates,
)
from decks.cards import REASONING_KINDS, CardKind, Side, derive_cards
from decks.diagrams import Variant
from decks.diagrams.batch import DiagramCache
from decks.diagrams.render import render_png
from decks.diagrams.spec import DiagramSpec
from decks.errors import MyodeckError
from decks.loader import load_facts
from decks.model import Facts
from decks.regions import COMPARTMENTS
from source_facts import bundled_facts_dir

IF_NEWER = ImportAnkiPackageUpdateCondition.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER


def calf_muscle_yaml(
    *,
    updated: str = "2026-11-25",
    origin: str = "Posterior surface of the femur.",
    insertion: str = "Posterior surface of the calcaneus.",
) -> str:
    """A small fact file of our own (two trigger points: six pictures, drawn without a process pool)."""
    return f"""\
id: calf-muscle
name: Calf muscle
group: leg
compartment: posterior-superficial
updated: {updated}
attachments:
  origin:
    medial head: {origin}
    lateral head: Lateral surface of the lateral femoral condyle.
  insertion: {insertion}
actions:
  - Plantar flexes the ankle.
  - Flexes the knee.
innervation:
  nerve: Tibial nerve
  roots: [S1, S2]
trigger_points:
  - id: trp1
    name: TrP1
    location: In the upper medial head.
    position:
      region: calf-upper-medial
      across: 0.5
      down: 0.35
    referral:
      essential: [instep]
      spillover: [back-of-knee]
    sources: [kent-2011]
  - id: trp2
    name: TrP2
    location: In the lateral head.
    position:
      region: calf-upper-lateral
      across: 0.7
      down: 0.45
    referral:
      essential: [calf-upper-lateral]
activated_by:
  - Climbing stairs.
treatment:
  - name: Compression
    technique: Pincer compression.
sources:
  - id: kent-2011
    citation: Kent D. Gastrocnemius, a cramp in the calf. Massage Today. 2011.
shape: gastrocnemius
"""


def write_facts(directory: Path, yaml_text: str) -> Path:
    (directory / "leg").mkdir(parents=True, exist_ok=True)
    (directory / "leg" / "calf-muscle.yaml").write_text(yaml_text)
    return directory


def stamped_facts(directory: Path, day: str = "2026-11-25", **yaml_values: str) -> Facts:
    """Write (or rewrite) the calf muscle's file in `directory` and stamp its cards, as a maintainer does."""
    facts = load_facts(write_facts(directory, calf_muscle_yaml(**yaml_values)))
    stamp_card_dates(facts, dt.date.fromisoformat(day))
    return facts


def import_package(col: Collection, path: Path, *, merge_notetypes: bool = False):
    options = ImportAnkiPackageOptions(
        merge_notetypes=merge_notetypes,
        update_notes=IF_NEWER,
        update_notetypes=IF_NEWER,
        with_scheduling=False,
        with_deck_configs=False,
    )
    return col.import_anki_package(ImportAnkiPackageRequest(package_path=str(path), options=options)).log


def card_for(col: Collection, key: str):
    (card_id,) = col.find_cards(f'"Key:{key}"')
    return col.get_card(card_id)


def review_history(col: Collection, key: str) -> tuple:
    card = card_for(col, key)
    revlog = col.db.all("SELECT id, ease, ivl, lastIvl, factor, type FROM revlog WHERE cid = ? ORDER BY id", card.id)
    return card.id, card.type, card.queue, card.due, card.ivl, card.reps, card.lapses, revlog


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> DiagramCache:
    return DiagramCache(tmp_path_factory.mktemp("diagrams"))


@pytest.fixture(scope="module")
def bundled_build(tmp_path_factory: pytest.TempPathFactory, cache: DiagramCache) -> tuple[BuildReport, Facts]:
    facts = load_facts(bundled_facts_dir())
    return build_package(facts, tmp_path_factory.mktemp("bundled") / "myodeck.apkg", cache=cache), facts


@pytest.fixture
def collection(tmp_path: Path) -> Iterator[Collection]:
    (tmp_path / "student").mkdir()
    col = Collection(str(tmp_path / "student" / "collection.anki2"))
    yield col
    col.close()


def build_calf(directory: Path, cache: DiagramCache, day: str = "2026-11-25", **yaml_values: str) -> Path:
    facts = stamped_facts(directory / "facts", day, **yaml_values)
    return build_package(facts, directory / "calf.apkg", cache=cache).path


def test_bundled_deck_imports_and_every_card_renders(
    bundled_build: tuple[BuildReport, Facts], collection: Collection
) -> None:
    report, facts = bundled_build
    cards = derive_cards(facts)
    log = import_package(collection, report.path)
    assert len(log.new) == report.notes == report.cards == len(cards) == collection.note_count()
    assert collection.card_count() == len(cards)
    media = collection.media.check()
    assert (list(media.missing), list(media.unused)) == ([], [])
    assert len(os.listdir(collection.media.dir())) == report.media
    assert list(collection.get_empty_cards().notes) == []

    compartments = {(m.group, m.compartment) for m in facts.muscles}
    expected_decks = {
        deck_name(ids) for group, compartment in compartments for ids in [(), (group,), (group, compartment)]
    }
    assert {d.name for d in collection.decks.all_names_and_ids()} == {"Default"} | expected_decks
    by_key = {card.key: card for card in cards}
    dates = read_card_dates(card_dates_path(bundled_facts_dir()))
    for card_id in collection.find_cards(""):
        anki_card = collection.get_card(card_id)
        note = anki_card.note()
        card = by_key[note["Key"]]
        question, answer = anki_card.question(), anki_card.answer()
        assert html.escape(card.front.splitlines()[0]) in question
        first_line = card.back.splitlines()[0].removeprefix("• ")  # a list's bullet is drawn by the list
        assert html.escape(first_line).replace("[", "&#91;") in re.sub(r"<[^>]+>", "", answer)
        picture_sides = {card.diagram.side} if card.diagram else set()
        assert ('<img src="myodeck-' in question) == (Side.FRONT in picture_sides)
        assert ('<img src="myodeck-' in answer) == bool(picture_sides)
        for picture in re.findall(r'<img src="([^"]+)"', answer):
            assert (Path(collection.media.dir()) / picture).stat().st_size > 1000
        muscle = facts.muscle(card.muscle_id)
        assert collection.decks.name(anki_card.did) == deck_name((muscle.group, muscle.compartment))
        assert sorted(note.tags) == sorted(card.tags)
        assert note.guid == note_guid(card.key)
        assert note.mod == note_mtime(dates[card.key].changed)


def test_a_typo_fix_re_sends_only_the_changed_card_and_keeps_reviews_and_other_notes(
    tmp_path: Path, cache: DiagramCache, collection: Collection
) -> None:
    facts_dir = tmp_path / "facts"
    typos = {"origin": "Posterior surfcae of the femur.", "insertion": "Posterior surfcae of the calcaneus."}
    v1 = build_package(stamped_facts(facts_dir, "2026-11-25", **typos), tmp_path / "v1.apkg", cache=cache)
    import_package(collection, v1.path)
    reviewed = ["calf-muscle/origin/medial-head", "calf-muscle/actions", "calf-muscle/trp1/location"]
    for key in reviewed:
        card = card_for(collection, key)
        card.start_timer()
        collection.sched.answerCard(card, 4)
    history = {key: review_history(collection, key) for key in reviewed}
    assert all(h[5] == 1 and h[4] > 0 and len(h[7]) == 1 for h in history.values())
    # The student types personal notes into three notes of the muscle: two before the
    # day the typos are fixed (2027-01-10), one after it.
    typed = {"origin/medial-head": "2026-12-01", "origin/lateral-head": "2026-12-01", "insertion": "2027-02-01"}
    for key, day in typed.items():
        note = card_for(collection, f"calf-muscle/{key}").note()
        note["Notes"] = f"typed on {day}"
        collection.update_note(note)
        collection.db.execute("UPDATE notes SET mod = ? WHERE id = ?", note_mtime(dt.date.fromisoformat(day)), note.id)

    fixes = {"origin": "Posterior surface of the femur.", "insertion": "Posterior surface of the calcaneus."}
    v2 = build_package(stamped_facts(facts_dir, "2027-01-10", **fixes), tmp_path / "v2.apkg", cache=cache)
    log = import_package(collection, v2.path)

    notes = [collection.get_note(nid) for nid in collection.find_notes("")]
    assert len(notes) == len({n.guid for n in notes}) == 15
    assert (len(log.new), len(log.updated), len(log.duplicate), len(log.conflicting)) == (0, 1, 14, 0)
    fixed = card_for(collection, "calf-muscle/origin/medial-head").note()
    assert (fixed["Back"], fixed["Notes"], fixed.mod) == (
        '<div class="main">Posterior surface of the femur.</div>',
        "",  # Anki replaces every field of a note it updates (README, "Updating the deck")
        note_mtime(dt.date(2027, 1, 10)),
    )
    assert {key: review_history(collection, key) for key in reviewed} == history
    # The other head's card did not change: it is not re-sent, and its notes stay.
    untouched = card_for(collection, "calf-muscle/origin/lateral-head").note()
    assert (untouched["Notes"], untouched.mod) == ("typed on 2026-12-01", note_mtime(dt.date(2026, 12, 1)))
    # A note edited after its card's new date is newer than the update, which Anki skips.
    kept = card_for(collection, "calf-muscle/insertion").note()
    assert (kept["Notes"], kept["Back"]) == (
        "typed on 2027-02-01",
        '<div class="main">Posterior surfcae of the calcaneus.</div>',
    )


def test_reimporting_an_unchanged_build_changes_nothing(
    tmp_path: Path, cache: DiagramCache, collection: Collection
) -> None:
    package = build_calf(tmp_path, cache)
    import_package(collection, package)
    card = card_for(collection, "calf-muscle/trp2/referral")
    card.start_timer()
    collection.sched.answerCard(card, 3)

    def snapshot() -> tuple:
        return (
            collection.db.all("SELECT id, guid, mid, mod, usn, tags, flds FROM notes ORDER BY id"),
            collection.db.all("SELECT id, nid, did, ord, mod, usn, type, queue, due, ivl, reps FROM cards ORDER BY id"),
            collection.db.all("SELECT * FROM revlog ORDER BY id"),
            collection.db.all("SELECT id, name, mtime_secs, usn FROM notetypes ORDER BY id"),
            collection.db.all("SELECT id, name FROM decks ORDER BY id"),
            sorted(os.listdir(collection.media.dir())),
        )

    before = snapshot()
    log = import_package(collection, package)
    assert (len(log.new), len(log.updated), len(log.duplicate)) == (0, 0, 15)
    assert snapshot() == before


def test_a_release_may_add_a_field_without_a_second_note_type(
    tmp_path: Path, cache: DiagramCache, collection: Collection
) -> None:
    import_package(collection, build_calf(tmp_path, cache, "2026-11-01"))
    model = note_type()
    model.fields.append({"name": "Mnemonic", "id": 1234567890123456789})
    deck = genanki.Deck(DECK_IDS[()], "myodeck")
    fields = [*card_for(collection, "calf-muscle/actions").note().fields, "Toes down, knee bent."]
    deck.add_note(genanki.Note(model=model, fields=fields, guid=note_guid("calf-muscle/actions")))
    later = note_mtime(dt.date(2026, 11, 2))  # newer than the first release, older than the import
    genanki.Package(deck).write_to_file(str(tmp_path / "next.apkg"), timestamp=later)

    log = import_package(collection, tmp_path / "next.apkg", merge_notetypes=True)
    ours = [nt for nt in collection.models.all_names_and_ids() if nt.name.startswith(NOTE_TYPE_NAME)]
    assert [(nt.id, nt.name) for nt in ours] == [(NOTE_TYPE_ID, NOTE_TYPE_NAME)]
    fields = collection.db.list("SELECT name FROM fields WHERE ntid = ? ORDER BY ord", NOTE_TYPE_ID)
    assert fields[-2:] == ["Notes", "Mnemonic"]
    assert collection.note_count() == 15
    # Merging marks every note modified now, so this release's text is skipped (README says so).
    assert [n.fields[0] for n in log.duplicate] == ["calf-muscle/actions"]


def test_fact_text_shows_as_typed(tmp_path: Path, cache: DiagramCache, collection: Collection) -> None:
    package = build_calf(tmp_path, cache, origin="Femur <b>& [sound:x.mp3] {{Key}}")
    import_package(collection, package)
    card = card_for(collection, "calf-muscle/origin/medial-head")
    assert card.note()["Back"] == '<div class="main">Femur &lt;b&gt;&amp; &#91;sound:x.mp3] {{Key}}</div>'
    answer = card.answer()
    assert "Femur &lt;b&gt;&amp; &#91;sound:x.mp3] {{Key}}" in answer and "<b>" not in answer
    assert list(card.answer_av_tags()) == []


def test_source_date_epoch_sets_the_build_time_and_not_the_note_mtimes(tmp_path: Path, cache: DiagramCache) -> None:
    facts = stamped_facts(tmp_path / "facts", "2026-11-25")
    report = build_package(facts, tmp_path / "calf.apkg", cache=cache, source_date_epoch=1_800_000_000)
    with zipfile.ZipFile(report.path) as archive:
        (tmp_path / "collection.anki2").write_bytes(archive.read("collection.anki2"))
        media = json.loads(archive.read("media"))
        assert archive.namelist() == ["collection.anki2", "media", *media]
        assert list(media.values()) == sorted(media.values())
    db = sqlite3.connect(tmp_path / "collection.anki2")
    try:
        assert db.execute("SELECT min(id), min(mod), max(mod) FROM notes").fetchone() == (
            1_800_000_000_000,
            1795564800,
            1795564800,
        )
        (models,) = db.execute("SELECT models FROM col").fetchone()
        assert [m["mod"] for m in json.loads(models).values()] == [note_mtime(anki_package.NOTE_TYPE_REVISED)]
    finally:
        db.close()


def test_a_note_is_stamped_with_the_start_of_its_cards_day() -> None:
    assert note_mtime(dt.date(2026, 11, 25)) == 1795564800
    assert note_mtime(dt.date(2026, 11, 26)) - note_mtime(dt.date(2026, 11, 25)) == 86400


def test_every_compartment_has_a_deck_id() -> None:
    wanted = {()} | {(g,) for g in COMPARTMENTS} | {(g, c) for g, cs in COMPARTMENTS.items() for c in cs}
    assert set(DECK_IDS) == wanted, "give each new group or compartment a random deck id in decks/anki_package.py"
    assert len(set(DECK_IDS.values())) == len(DECK_IDS)


def test_note_type_changes_come_with_a_new_revision_date() -> None:
    model = note_type()
    definition = json.dumps([model.model_id, model.name, model.fields, model.templates, model.css], sort_keys=True)
    digest = hashlib.sha256(definition.encode()).hexdigest()[:16]
    assert (anki_package.NOTE_TYPE_REVISED.isoformat(), digest) == ("2026-12-05", "18441d6bfff8c189"), (
        "the note type changed: bump NOTE_TYPE_REVISED (students' Anki takes the change only if it is newer) "
        "and record the new date and digest here"
    )


def test_drawing_changes_come_with_a_new_pictures_revision() -> None:
    """The drawing code and body data, pinned with the revision every picture card's digest carries."""
    from decks.card_dates import PICTURES_REVISION
    from decks.diagrams.fingerprint import drawing_sources

    digest = hashlib.sha256(drawing_sources()).hexdigest()[:16]
    assert (PICTURES_REVISION, digest) == (8, "947d8854dbc5eacd"), (
        "the pictures' drawing changed: if students should receive the new pictures, bump PICTURES_REVISION "
        "(decks/card_dates.py) and run `myodeck stamp`; record the revision and digest here"
    )


# The command, run as a user runs it.


def myodeck(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("myodeck", path=str(Path(sys.executable).parent))
    assert exe
    return subprocess.run([exe, *args], cwd=cwd, capture_output=True, text=True, check=False, env={**os.environ, **env})


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    facts = stamped_facts(tmp_path / "facts").directory
    outputs = []
    for run in ("a", "b"):
        (tmp_path / run).mkdir()
        result = myodeck(
            "build", "--facts", str(facts), cwd=tmp_path / run, MYODECK_CACHE=str(tmp_path / run / "cache")
        )
        assert result.returncode == 0, result.stderr
        outputs.append((tmp_path / run / "myodeck.apkg").read_bytes())
    assert outputs[0] == outputs[1]


def test_build_writes_the_default_file_and_a_summary(tmp_path: Path) -> None:
    facts = stamped_facts(tmp_path / "facts").directory
    result = myodeck("build", "--facts", str(facts), "--topic", "pattern", "--topic", "actions", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    size = (tmp_path / "myodeck.apkg").stat().st_size
    assert result.stdout == f"Wrote 3 cards (3 notes, 4 pictures, {round(size / 1000)} kB) to {tmp_path}/myodeck.apkg\n"


def test_unknown_muscle_or_topic_is_refused(tmp_path: Path) -> None:
    facts = write_facts(tmp_path / "facts", calf_muscle_yaml())
    muscle = myodeck("build", "--facts", str(facts), "--muscle", "calf-muscel", cwd=tmp_path)
    assert (muscle.returncode, muscle.stderr) == (
        1,
        "Error: unknown muscle 'calf-muscel' (did you mean 'calf-muscle'?); `myodeck muscles` lists them\n",
    )
    topic = myodeck("build", "--facts", str(facts), "--topic", "origin", cwd=tmp_path)
    assert topic.returncode == 2 and "Invalid value for '--topic'" in topic.stderr
    assert sorted(os.listdir(tmp_path)) == ["facts"]


def test_broken_facts_exit_1_and_leave_the_old_package(tmp_path: Path) -> None:
    facts = write_facts(tmp_path / "facts", calf_muscle_yaml().replace("essential: [instep]", "essential: [instap]"))
    (tmp_path / "myodeck.apkg").write_bytes(b"last week's deck")
    result = myodeck("build", "--facts", str(facts), cwd=tmp_path)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr == (
        f"{facts}/leg/calf-muscle.yaml:26: trigger_points[0].referral.essential[0]: unknown region 'instap' "
        "(did you mean 'instep'?)\nError: 1 problem in 1 file; nothing was written\n"
    )
    assert (tmp_path / "myodeck.apkg").read_bytes() == b"last week's deck"
    assert sorted(os.listdir(tmp_path)) == ["facts", "myodeck.apkg"]


def test_a_one_muscle_package_has_the_same_cards_as_the_full_one(
    bundled_build: tuple[BuildReport, Facts], tmp_path: Path, cache: DiagramCache, collection: Collection
) -> None:
    _, facts = bundled_build
    report = build_package(facts, tmp_path / "one.apkg", [CardKind.PATTERN], cache=cache, muscles=("fibularis-brevis",))
    import_package(collection, report.path)
    note = card_for(collection, "fibularis-brevis/trp1/pattern-to-muscle").note()
    assert collection.note_count() == 1
    assert "Same pattern: Fibularis longus, TrP1" in note["Back"]  # a muscle outside the package
    assert 'alt="Referral pattern"' in note["Front picture"]
    assert 'alt="Trigger point (X) and its referral pattern"' in note["Back picture"]  # the answer shows the X
    assert len(os.listdir(collection.media.dir())) == 2


# Card dates: the lock file and `myodeck stamp`.


def test_the_bundled_card_dates_are_up_to_date() -> None:
    facts = load_facts(bundled_facts_dir())
    _, report = plan_stamp(facts, read_card_dates(card_dates_path(facts.directory)), dt.date(2100, 1, 1))
    assert (report.new, report.changed, report.removed) == ((), (), ()), (
        "the facts changed since source_facts/card-dates.json was stamped: run `myodeck stamp` and commit it"
    )


CALF = "calf-muscle/"


@pytest.mark.parametrize(
    ("old", "new", "changed"),
    [
        pytest.param("updated: 2026-11-25", "updated: 2027-03-01", [], id="updated-date"),
        pytest.param("location: In the lateral head.", 'location: "In the  lateral head."', [], id="yaml-spacing"),
        pytest.param("the femur.", "the femur, above the condyle.", ["origin/medial-head"], id="one-attachment"),
        pytest.param(  # the pattern card's front has no X, but its back shows the full picture
            "down: 0.35", "down: 0.4", ["trp1/location", "trp1/referral", "trp1/pattern-to-muscle"], id="x-moves"
        ),
        pytest.param(
            "spillover: [back-of-knee]", "spillover: []", ["trp1/referral", "trp1/pattern-to-muscle"], id="zones"
        ),
        pytest.param(
            "name: TrP2",
            "name: Lateral TrP",
            ["trp2/location", "trp2/referral", "trp2/pattern-to-muscle", "trp2/pain-map"],  # its back names it
            id="trp",
        ),
        pytest.param("sources: [kent-2011]", "", [], id="same-citation-inherited"),
        pytest.param("Massage Today. 2011.", "Massage Today. 2011;11(11).", "all", id="citation"),
        pytest.param("compartment: posterior-superficial", "compartment: posterior-deep", "all", id="tags"),
    ],
)
def test_a_card_is_changed_when_what_its_note_shows_changes(
    old: str, new: str, changed: list[str] | str, tmp_path: Path
) -> None:
    facts = stamped_facts(tmp_path)
    recorded = read_card_dates(card_dates_path(tmp_path))
    assert old in calf_muscle_yaml()
    edited = load_facts(write_facts(tmp_path, calf_muscle_yaml().replace(old, new)))
    _, report = plan_stamp(edited, recorded, dt.date(2027, 3, 1))
    every_key = [card.key for card in derive_cards(facts)]
    assert list(report.changed) == (every_key if changed == "all" else [CALF + key for key in changed])
    assert (report.new, report.removed) == ((), ())


def test_stamp_dates_new_and_changed_cards_and_forgets_removed_ones(tmp_path: Path) -> None:
    facts = write_facts(tmp_path / "facts", calf_muscle_yaml())
    lock = facts / "card-dates.json"
    first = myodeck("stamp", "--facts", str(facts), "--date", "2026-11-25", cwd=tmp_path)
    assert (first.returncode, first.stderr) == (0, "")
    keys = [card.key for card in derive_cards(load_facts(facts))]
    assert first.stdout.splitlines() == [
        f"{lock}: 15 new, 0 changed, 0 removed (15 cards); new and changed cards dated 2026-11-25",
        *(f"  new      {key}" for key in keys),
    ]
    stamped = lock.read_text()
    assert stamped.splitlines()[:4] == [
        "{",
        '  "format": 1,',
        '  "cards": {',
        f'    "calf-muscle/actions": {{"changed": "2026-11-25", "digest": "{read_card_dates(lock)[CALF + "actions"].digest}"}},',
    ]

    again = myodeck("stamp", "--facts", str(facts), cwd=tmp_path)  # no --date: today, which must not matter
    assert again.stdout == f"{lock}: 0 new, 0 changed, 0 removed (15 cards); nothing to stamp\n"
    assert lock.read_text() == stamped

    yaml_text = calf_muscle_yaml(insertion="Calcaneus.").replace("  - name: Compression", "  - name: Pincer hold")
    write_facts(facts, yaml_text)
    later = myodeck("stamp", "--facts", str(facts), cwd=tmp_path, SOURCE_DATE_EPOCH="1799000000")
    assert later.stdout.splitlines() == [
        f"{lock}: 1 new, 1 changed, 1 removed (15 cards); new and changed cards dated 2027-01-03",
        "  new      calf-muscle/treatment/pincer-hold",
        "  changed  calf-muscle/insertion",
        "  removed  calf-muscle/treatment/compression",
    ]
    dates = read_card_dates(lock)
    assert {key: date.changed.isoformat() for key, date in dates.items() if date.changed.year == 2027} == {
        CALF + "insertion": "2027-01-03",
        CALF + "treatment/pincer-hold": "2027-01-03",
    }
    assert len(dates) == 15 and CALF + "treatment/compression" not in dates
    assert myodeck("stamp", "--facts", str(facts), cwd=tmp_path).stdout.endswith("nothing to stamp\n")


def test_stamp_takes_today_from_the_clock(tmp_path: Path) -> None:
    facts = write_facts(tmp_path / "facts", calf_muscle_yaml())
    result = myodeck("stamp", "--facts", str(facts), cwd=tmp_path, MYODECK_NOW="2027-04-30T23:30:00-02:00")
    assert result.stdout.splitlines()[0].endswith("new and changed cards dated 2027-05-01")  # the UTC day


def test_stamp_refuses_a_change_older_than_its_recorded_date(tmp_path: Path) -> None:
    facts = stamped_facts(tmp_path / "facts", "2027-01-10").directory
    stamped = (facts / "card-dates.json").read_text()
    write_facts(facts, calf_muscle_yaml(origin="Femur."))
    result = myodeck("stamp", "--facts", str(facts), "--date", "2027-01-05", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (
        "Error: cannot date changed cards 2027-01-05: calf-muscle/origin/medial-head already carry a later date, "
        "and Anki skips a note older than the student's copy; give --date 2027-01-10 or later; nothing was written\n"
    )
    assert (facts / "card-dates.json").read_text() == stamped


def test_stamp_rejects_a_bad_source_date_epoch(tmp_path: Path) -> None:
    facts = write_facts(tmp_path / "facts", calf_muscle_yaml())
    result = myodeck("stamp", "--facts", str(facts), cwd=tmp_path, SOURCE_DATE_EPOCH="yesterday")
    assert result.returncode == 2
    assert result.stderr.endswith(
        "Error: Invalid value for SOURCE_DATE_EPOCH: expected whole seconds, found 'yesterday'\n"
    )
    assert not (facts / "card-dates.json").exists()


@pytest.mark.parametrize(
    ("stamp_first", "yaml_text", "problem"),
    [
        (False, calf_muscle_yaml(), "no such file, so no card has a date yet"),
        (
            True,
            calf_muscle_yaml(origin="Femur."),
            "does not date the current content of 1 card (changed: calf-muscle/origin/medial-head)",
        ),
        (
            True,
            calf_muscle_yaml(origin="Femur.", insertion="Calcaneus.").replace("name: Compression", "name: Hold"),
            "does not date the current content of 3 cards "
            "(changed: calf-muscle/origin/medial-head, calf-muscle/insertion; new: calf-muscle/treatment/hold)",
        ),
    ],
)
def test_a_locked_build_refuses_cards_the_lock_file_does_not_date(
    stamp_first: bool, yaml_text: str, problem: str, tmp_path: Path
) -> None:
    facts = tmp_path / "facts"
    if stamp_first:
        stamped_facts(facts)
    write_facts(facts, yaml_text)
    (tmp_path / "myodeck.apkg").write_bytes(b"last week's deck")
    result = myodeck("build", "--locked", "--facts", str(facts), cwd=tmp_path)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (
        f"Error: {facts}/card-dates.json: {problem}; run `myodeck stamp --facts {facts}`, then build again; "
        "nothing was written\n"
    )
    assert (tmp_path / "myodeck.apkg").read_bytes() == b"last week's deck"
    assert sorted(os.listdir(tmp_path)) == ["facts", "myodeck.apkg"]


def test_an_edited_fact_file_just_builds_and_is_dated(tmp_path: Path) -> None:
    """An instructor edits a fact and builds: the build dates the changed card itself and says so."""
    facts = tmp_path / "facts"
    stamped_facts(facts)
    before = json.loads((facts / "card-dates.json").read_text())["cards"]
    write_facts(facts, calf_muscle_yaml(origin="Femur."))
    result = myodeck("build", "--facts", str(facts), "-o", "calf.apkg", cwd=tmp_path, SOURCE_DATE_EPOCH="1800000000")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[:2] == [
        f"{facts}/card-dates.json: 0 new, 1 changed, 0 removed ({len(before)} cards); "
        "new and changed cards dated 2027-01-15",
        "  changed  calf-muscle/origin/medial-head",
    ]
    assert result.stdout.splitlines()[-1].startswith("Wrote ")
    after = json.loads((facts / "card-dates.json").read_text())["cards"]
    assert after["calf-muscle/origin/medial-head"]["changed"] == "2027-01-15"
    assert {key: date for key, date in after.items() if key != "calf-muscle/origin/medial-head"} == {
        key: date for key, date in before.items() if key != "calf-muscle/origin/medial-head"
    }
    again = myodeck("build", "--facts", str(facts), "-o", "calf.apkg", cwd=tmp_path, SOURCE_DATE_EPOCH="1800000000")
    assert again.returncode == 0 and again.stdout.startswith("Wrote "), again.stdout  # nothing left to date


def test_a_damaged_lock_file_is_reported(tmp_path: Path) -> None:
    facts = stamped_facts(tmp_path / "facts")
    card_dates_path(facts.directory).write_text('{"format": 1, "cards": {"calf-muscle/actions": {"changed": "soon"}}}')
    with pytest.raises(MyodeckError) as raised:
        build_package(facts, tmp_path / "calf.apkg")
    assert str(raised.value) == (
        f"{facts.directory}/card-dates.json: not a card-dates file "
        '(calf-muscle/actions: expected {"changed": "YYYY-MM-DD", "digest": "..."}); '
        "restore it from version control, "
        f"or delete it and run `myodeck stamp --facts {facts.directory}`"
    )
    assert not (tmp_path / "calf.apkg").exists()


@given(
    st.dictionaries(
        st.text(min_size=1),
        st.builds(CardDate, st.text(alphabet="0123456789abcdef", min_size=16, max_size=16), st.dates()),
    )
)
def test_card_dates_round_trip_through_the_lock_file(dates: dict[str, CardDate]) -> None:
    text = card_dates_json(dates)
    assert parse_card_dates(text) == dates
    assert card_dates_json(parse_card_dates(text)) == text


def test_inverted_cards_read_in_a_real_collection(
    bundled_build: tuple[BuildReport, Facts], collection: Collection
) -> None:
    """A set answer's back as Anki shows it: what is required, then what is credited, as a list."""
    report, _ = bundled_build
    import_package(collection, report.path)
    note = card_for(collection, "movers/hip-abduction").note()
    assert note["Front"] == "Which muscles abduct the hip?"
    assert note["Back"].startswith(
        '<ul class="main"><li><b>Prime movers:</b> Gluteus medius, Gluteus minimus, Tensor fasciae latae</li>'
        "<li><b>Assistants:</b> Gluteus maximus, Piriformis, Sartorius</li></ul>"
        '<div class="more">Counted among the muscles of this deck only.</div>'
    )
    assert "myodeck::topic::movers" in note.tags
    card = card_for(collection, "soleus/trp1/pain-map")
    assert collection.decks.name(card.did) == "myodeck::Leg::Posterior superficial"
    assert "<b>Essential zone there:</b> Soleus (TrP1), Quadratus plantae (TrP1)" in card.note()["Back"]


def test_a_pain_map_card_shows_the_pain_on_the_body(
    bundled_build: tuple[BuildReport, Facts], collection: Collection
) -> None:
    """The question has the pain map drawn as the diagrams are (the same body, views and density),
    and nothing of the answer: no X, no muscle, no spillover, no name."""
    report, facts = bundled_build
    import_package(collection, report.path)
    card = card_for(collection, "soleus/trp1/pain-map")
    (media,) = re.findall(r'<img src="([^"]+)" alt="Pain map">', card.question())
    soleus = facts.muscle("soleus")
    spec = DiagramSpec.for_trigger_point(soleus, soleus.trigger_point("trp1"), Variant.PAIN_MAP)
    assert (spec.title, spec.position, spec.spillover, spec.muscle_shape) == ("Pain map", None, (), None)
    assert spec.essential == ("heel-back", "heel-plantar", "lower-achilles-tendon")
    png = (Path(collection.media.dir()) / media).read_bytes()
    assert png == render_png(spec)
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    red = (pixels[..., 0] > 180) & (pixels[..., 1] < 40) & (pixels[..., 2] < 60)
    assert red.mean() > 0.03  # the pain, drawn large enough to read
    assert Image.open(io.BytesIO(png)).width >= 720  # the diagrams' density: 3.6 inches at least, at 200 dpi


def test_new_cards_arrive_in_teaching_order(bundled_build: tuple[BuildReport, Facts], collection: Collection) -> None:
    """Trunk to foot, compartment by compartment, anatomy before trigger points, a region's pattern
    cards after the next region: read back from a real collection in the order Anki shows new cards."""
    report, facts = bundled_build
    import_package(collection, report.path)
    order = sorted(collection.find_cards("is:new"), key=lambda card_id: collection.get_card(card_id).due)
    keys = [collection.get_card(card_id).note()["Key"] for card_id in order]
    inverted = {card.key for card in derive_cards(facts, REASONING_KINDS)}
    # cards made by inverting the facts ("which muscles abduct the hip?") come once every muscle is taught
    assert set(keys[-len(inverted) :]) == inverted
    groups = [facts.muscle(key.split("/")[0]).group for key in keys[: -len(inverted)]]
    assert list(dict.fromkeys(groups)) == ["trunk", "hip", "thigh", "leg", "foot"]
    first = {key: index for index, key in enumerate(keys)}
    for muscle in facts.muscles:
        assert first[f"{muscle.id}/actions"] < first[f"{muscle.id}/{muscle.trigger_points[0].id}/location"]
        for trp in muscle.trigger_points:
            referral, pattern = (
                first[f"{muscle.id}/{trp.id}/referral"],
                first[f"{muscle.id}/{trp.id}/pattern-to-muscle"],
            )
            assert pattern - referral > 10, (muscle.id, trp.id, pattern - referral)


CHROMIUM = shutil.which("chromium")


def screenshot(page: Path, width: int, height: int, png: Path) -> np.ndarray:
    """The page as a headless Chromium shows it in a window of that size (RGB rows)."""
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
    flags += ["--disable-component-update", "--hide-scrollbars", f"--user-data-dir={png.parent / 'profile'}"]
    command = [CHROMIUM, *flags, f"--window-size={width},{height}", f"--screenshot={png}", page.as_uri()]
    subprocess.run(command, check=True, capture_output=True, timeout=120)
    return np.asarray(Image.open(png).convert("RGB")).astype(int)


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (.ci/run installs it)")
def test_cards_read_well_on_a_phone_in_light_and_night_mode(
    bundled_build: tuple[BuildReport, Facts], collection: Collection, tmp_path: Path
) -> None:
    """A referral card as Anki renders it, in a real browser at phone size: the diagram (its red
    zones) is on the first screen, above the text; night mode darkens the page but not the diagram;
    the sources are folded away."""
    report, _ = bundled_build
    import_package(collection, report.path)
    card = card_for(collection, "soleus/trp1/referral")
    css = card.note_type()["css"]
    answer = card.answer()
    assert "<details" in answer and "Card key (quote it when reporting a mistake): soleus/trp1/referral" in answer
    assert answer.index('class="picture"', answer.index('id="answer"')) < answer.index('class="answer"')
    media = Path(collection.media.dir())
    for mode, body_class in (("light", "card mobile"), ("night", "card mobile nightMode")):
        page = media / f"card-{mode}.html"
        page.write_text(
            "<html><head><meta name='viewport' content='width=device-width'>"
            f"<style>{css}</style></head><body class='{body_class}'>{answer}</body></html>"
        )
        rgb = screenshot(page, 390, 844, tmp_path / f"{mode}.png")
        red = (rgb[..., 0] > 180) & (rgb[..., 1] < 60) & (rgb[..., 2] < 70)
        assert red.sum() > 500, mode  # the essential zone, on the first screen
        background = np.median(rgb[:, 1].sum(axis=1))  # the page's margin, beside the card
        assert background < 150 if mode == "night" else background > 700, (mode, background)


def test_a_second_change_the_same_day_still_reaches_students(
    tmp_path: Path, cache: DiagramCache, collection: Collection
) -> None:
    """Released in the morning, fixed in the afternoon, both stamped the same day: the fix is dated a
    second after the morning's note, so Anki takes it; a third change moves on another second."""
    facts_dir = tmp_path / "facts"
    key = CALF + "origin/medial-head"
    morning = build_package(stamped_facts(facts_dir, "2027-01-10"), tmp_path / "v1.apkg", cache=cache)
    import_package(collection, morning.path)
    afternoon = stamped_facts(facts_dir, "2027-01-10", origin="Femur, above the medial condyle.")
    assert read_card_dates(card_dates_path(facts_dir))[key].changed == dt.datetime(2027, 1, 10, 0, 0, 1, tzinfo=dt.UTC)
    assert '"changed": "2027-01-10T00:00:01Z"' in (facts_dir / "card-dates.json").read_text()
    log = import_package(collection, build_package(afternoon, tmp_path / "v2.apkg", cache=cache).path)
    assert len(log.updated) == 1
    note = card_for(collection, key).note()
    assert "above the medial condyle" in note["Back"]
    assert note.mod == note_mtime(dt.date(2027, 1, 10)) + 1
    stamped_facts(facts_dir, "2027-01-10", origin="Femur, just above the medial condyle.")
    assert read_card_dates(card_dates_path(facts_dir))[key].changed == dt.datetime(2027, 1, 10, 0, 0, 2, tzinfo=dt.UTC)
