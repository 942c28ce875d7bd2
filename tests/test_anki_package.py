"""The .apkg, checked with the real Anki: import, review, fix a typo, re-import.

Imports use the options of Anki's import dialog as it opens: update notes and
note types when the incoming one is newer, no scheduling, no merging of note types.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
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
import pytest
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
from anki.import_export_pb2 import ImportAnkiPackageUpdateCondition

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
from decks.cards import Side, derive_cards
from decks.diagrams.batch import DiagramCache
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
"""


def write_facts(directory: Path, yaml_text: str) -> Path:
    (directory / "leg").mkdir(parents=True)
    (directory / "leg" / "calf-muscle.yaml").write_text(yaml_text)
    return directory


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


def build_calf(directory: Path, cache: DiagramCache, **yaml_values: str) -> Path:
    facts = load_facts(write_facts(directory / "facts", calf_muscle_yaml(**yaml_values)))
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
    for card_id in collection.find_cards(""):
        anki_card = collection.get_card(card_id)
        note = anki_card.note()
        card = by_key[note["Key"]]
        question, answer = anki_card.question(), anki_card.answer()
        assert html.escape(card.front.splitlines()[0]) in question
        assert html.escape(card.back.splitlines()[0]).replace("[", "&#91;") in answer
        picture_sides = {card.diagram.side} if card.diagram else set()
        assert ('<img src="myodeck-' in question) == (Side.FRONT in picture_sides)
        assert ('<img src="myodeck-' in answer) == bool(picture_sides)
        for picture in re.findall(r'<img src="([^"]+)"', answer):
            assert (Path(collection.media.dir()) / picture).stat().st_size > 1000
        muscle = facts.muscle(card.muscle_id)
        assert collection.decks.name(anki_card.did) == deck_name((muscle.group, muscle.compartment))
        assert sorted(note.tags) == sorted(card.tags)
        assert note.guid == note_guid(card.key)
        assert note.mod == note_mtime(muscle.updated)


def test_typo_fix_updates_the_note_and_keeps_its_reviews(
    tmp_path: Path, cache: DiagramCache, collection: Collection
) -> None:
    typos = {"origin": "Posterior surfcae of the femur.", "insertion": "Posterior surfcae of the calcaneus."}
    import_package(collection, build_calf(tmp_path / "v1", cache, updated="2026-11-25", **typos))
    reviewed = ["calf-muscle/origin/medial-head", "calf-muscle/actions", "calf-muscle/trp1/location"]
    for key in reviewed:
        card = card_for(collection, key)
        card.start_timer()
        collection.sched.answerCard(card, 4)
    history = {key: review_history(collection, key) for key in reviewed}
    assert all(h[5] == 1 and h[4] > 0 and len(h[7]) == 1 for h in history.values())
    # The student types personal notes before and after the day the typo is fixed (2027-01-10).
    for key, day in (("origin/lateral-head", dt.date(2026, 12, 1)), ("insertion", dt.date(2027, 2, 1))):
        note = card_for(collection, f"calf-muscle/{key}").note()
        note["Notes"] = f"typed on {day}"
        collection.update_note(note)
        collection.db.execute("UPDATE notes SET mod = ? WHERE id = ?", note_mtime(day), note.id)

    fixes = {"origin": "Posterior surface of the femur.", "insertion": "Posterior surface of the calcaneus."}
    log = import_package(collection, build_calf(tmp_path / "v2", cache, updated="2027-01-10", **fixes))

    notes = [collection.get_note(nid) for nid in collection.find_notes("")]
    assert len(notes) == len({n.guid for n in notes}) == 13
    assert (len(log.new), len(log.updated), len(log.conflicting)) == (0, 12, 0)
    fixed = card_for(collection, "calf-muscle/origin/medial-head").note()
    assert (fixed["Back"], fixed.mod) == ("Posterior surface of the femur.", note_mtime(dt.date(2027, 1, 10)))
    assert {key: review_history(collection, key) for key in reviewed} == history
    # What Anki does with the personal field (README, "Updating the deck"): an update
    # replaces it; a note edited after the fact's date is not updated at all.
    assert card_for(collection, "calf-muscle/origin/lateral-head").note()["Notes"] == ""
    kept = card_for(collection, "calf-muscle/insertion").note()
    assert (kept["Notes"], kept["Back"]) == ("typed on 2027-02-01", "Posterior surfcae of the calcaneus.")
    assert [n.fields[0] for n in log.duplicate] == ["calf-muscle/insertion"]


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
    assert (len(log.new), len(log.updated), len(log.duplicate)) == (0, 0, 13)
    assert snapshot() == before


def test_a_release_may_add_a_field_without_a_second_note_type(
    tmp_path: Path, cache: DiagramCache, collection: Collection
) -> None:
    import_package(collection, build_calf(tmp_path, cache, updated="2026-11-01"))
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
    assert collection.note_count() == 13
    # Merging marks every note modified now, so this release's text is skipped (README says so).
    assert [n.fields[0] for n in log.duplicate] == ["calf-muscle/actions"]


def test_fact_text_shows_as_typed(tmp_path: Path, cache: DiagramCache, collection: Collection) -> None:
    package = build_calf(tmp_path, cache, origin="Femur <b>& [sound:x.mp3] {{Key}}")
    import_package(collection, package)
    card = card_for(collection, "calf-muscle/origin/medial-head")
    assert card.note()["Back"] == "Femur &lt;b&gt;&amp; &#91;sound:x.mp3] {{Key}}"
    answer = card.answer()
    assert "Femur &lt;b&gt;&amp; &#91;sound:x.mp3] {{Key}}" in answer and "<b>" not in answer
    assert list(card.answer_av_tags()) == []


def test_source_date_epoch_sets_the_build_time_and_not_the_note_mtimes(tmp_path: Path, cache: DiagramCache) -> None:
    facts = load_facts(write_facts(tmp_path / "facts", calf_muscle_yaml()))
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


def test_a_note_is_stamped_with_the_start_of_its_updated_day() -> None:
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
    assert (anki_package.NOTE_TYPE_REVISED.isoformat(), digest) == ("2026-11-25", "0120f2ba2340f603"), (
        "the note type changed: bump NOTE_TYPE_REVISED (students' Anki takes the change only if it is newer) "
        "and record the new date and digest here"
    )


# The command, run as a user runs it.


def myodeck(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("myodeck", path=str(Path(sys.executable).parent))
    assert exe
    return subprocess.run([exe, *args], cwd=cwd, capture_output=True, text=True, check=False, env={**os.environ, **env})


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    facts = write_facts(tmp_path / "facts", calf_muscle_yaml())
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
    facts = write_facts(tmp_path / "facts", calf_muscle_yaml())
    result = myodeck("build", "--facts", str(facts), "--topic", "pattern", "--topic", "actions", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    size = (tmp_path / "myodeck.apkg").stat().st_size
    assert result.stdout == f"Wrote 3 cards (3 notes, 2 pictures, {round(size / 1000)} kB) to {tmp_path}/myodeck.apkg\n"


def test_unknown_muscle_or_topic_is_refused(tmp_path: Path) -> None:
    facts = write_facts(tmp_path / "facts", calf_muscle_yaml())
    muscle = myodeck("build", "--facts", str(facts), "--muscle", "calf-muscel", cwd=tmp_path)
    assert (muscle.returncode, muscle.stderr) == (
        1,
        "Error: unknown muscle 'calf-muscel' (did you mean 'calf-muscle'?)\n",
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
