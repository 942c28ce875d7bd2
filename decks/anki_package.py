"""Write the cards as an Anki package (.apkg) that students import, then import again to update.

What makes a re-import an update rather than a second copy:

- Each note's GUID comes from its card key, so a fixed typo updates the student's
  note (and keeps its review history) instead of adding a new one.
- The note type, its fields and template, and the decks have hard-coded ids, so
  every release matches the one before it.
- Anki applies an incoming note only if its modification time is later than the
  note's in the student's collection. Each note carries the day its own card's
  content last changed (00:00 UTC), from the fact folder's `card-dates.json`
  (decks/card_dates.py), so a release re-sends exactly the cards whose content
  changed, and rebuilding unchanged facts sends nothing new.

Anki replaces every field of a note it updates, the personal "Notes" field too;
that is why no note is re-sent without a change of its own. README.md
("Updating the deck") spells out what students keep.

Identical input gives a byte-identical file: the ids of new notes and cards
count up from the build time (SOURCE_DATE_EPOCH, else the latest card date of
the package), and the zip entries carry a fixed date. SOURCE_DATE_EPOCH does not
touch note modification times: as a floor or an override it would make every
release update every note, replacing what students typed in notes whose facts
never changed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import io
import itertools
import json
import re
import sqlite3
import zipfile
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import genanki

from decks.atomic import write_atomically
from decks.card_dates import StampReport, UndatedCards, dates_of_cards, instant, stamp_card_dates
from decks.cards import ANSWER_LABELS, REASONING_KINDS, Card, CardDiagram, CardKind, Side, derive_cards, explanation
from decks.diagrams import Variant
from decks.diagrams.batch import DiagramCache, read_cached, render_many
from decks.diagrams.spec import DiagramSpec
from decks.errors import MyodeckError
from decks.fact_cache import LoadedFacts
from decks.model import Facts
from decks.occlusion import OcclusionNote, OcclusionSpec, occlusion_field, occlusion_masks, occlusion_notes
from decks.regions import COMPARTMENTS
from decks.words import counted

NOTE_TYPE_ID = 1245906188
NOTE_TYPE_NAME = "myodeck card"
# Bump whenever FIELDS, the templates or CSS change, so that students' note types
# take the change on import (tests/test_anki_package.py pins their digest).
NOTE_TYPE_REVISED = dt.date(2026, 12, 5)

# Anki matches fields and templates by these ids, so a later release may rename a
# field, or add one (imported with "Merge note types"), without a second note type.
FIELDS = (
    {"name": "Key", "id": 2685225469369792157},
    {"name": "Front", "id": 2796430499052044204},
    {"name": "Front picture", "id": 3370313920647395113},
    {"name": "Back", "id": 3754089622194942322},
    {"name": "Back picture", "id": 2772142648816354774},
    {"name": "Sources", "id": 2637897833696090987},
    {"name": "Notes", "id": 4278345749189872585},
)
TEMPLATE_ID = 4588466263949448001
FRONT_TEMPLATE = """\
<div class="prompt">{{Front}}</div>
{{#Front picture}}<div class="picture">{{Front picture}}</div>{{/Front picture}}"""
# The picture before the text: on a phone the diagram is the answer, and it must not sit
# below a screen of notes. Sources and the card key fold away until wanted.
BACK_TEMPLATE = """\
{{FrontSide}}
<hr id="answer">
{{#Back picture}}<div class="picture">{{Back picture}}</div>{{/Back picture}}
<div class="answer">{{Back}}</div>
{{#Notes}}<div class="notes"><div class="label">My notes</div>{{Notes}}</div>{{/Notes}}
<details class="sources"><summary>Sources and card key</summary>{{Sources}}
<div class="key">Card key (quote it when reporting a mistake): {{Key}}</div></details>"""
CSS = """\
.card {
  font-family: -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 20px; line-height: 1.45; text-align: left;
  color: #1a1a1a; background-color: #ffffff;
  max-width: 40em; margin: 0 auto; padding: 0 12px;
}
.prompt { font-weight: 600; }
.answer { margin-top: 0.4em; }
.answer .main { font-size: 1.05em; font-weight: 600; margin: 0.2em 0; }
.answer ul.main { font-size: 1em; font-weight: 400; padding-left: 1.1em; }
.answer ul.main li { margin: 0.15em 0; }
.answer .more { margin-top: 0.5em; font-size: 0.9em; color: #3d3d3d; }
.answer .glossary { margin-top: 0.7em; padding-top: 0.4em; border-top: 1px solid #e2e2e2;
  font-size: 0.78em; color: #5a5a5a; }
/* Diagrams keep their white paper in night mode too: red zones must stay red. */
.picture img { display: block; max-width: 100%; max-height: 75vh; width: auto; height: auto; margin: 0.5em auto;
  border-radius: 6px; }
.notes { margin-top: 1em; padding: 0.4em 0.7em; border-left: 4px solid #d0021b; background: #fdf1f1; }
.label { font-weight: 600; }
.notes .label, .sources, .key { font-size: 0.72em; color: #5a5a5a; }
.sources { margin-top: 1.2em; }
.sources summary { cursor: pointer; }
.sources a { color: inherit; word-break: break-all; }
.key { margin-top: 0.4em; font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 1em; }
.mobile.card, .mobile .card { font-size: 18px; padding: 0 4px; }
.card.nightMode, .card.night_mode, .nightMode .card, .night_mode .card { color: #e6e6e6; background-color: #1e1e1e; }
.nightMode .notes, .night_mode .notes { background: #3a2526; }
.nightMode .answer .more, .night_mode .answer .more { color: #cfcfcf; }
.nightMode .answer .glossary, .night_mode .answer .glossary { border-color: #444; }
.nightMode .notes .label, .night_mode .notes .label, .nightMode .sources, .night_mode .sources,
.nightMode .key, .night_mode .key, .nightMode .answer .glossary, .night_mode .answer .glossary { color: #a8a8a8; }
"""

# Anki's own Image Occlusion note type (rslib/src/image_occlusion/notetype.rs), as Anki 23.10+
# makes it in English: Anki, AnkiDroid and AnkiMobile recognise it by `originalStockKind` 6 and
# read its fields by their tags, and draw the masks with their own reviewer script.
IO_NOTE_TYPE_ID = 1245906189
IO_NOTE_TYPE_NAME = "Image Occlusion (myodeck)"
# Bump when the note type, the occlusion pictures or their notes' wording change: it dates the note type
# and is the earliest date of every occlusion note, so students receive the change.
IO_NOTE_TYPE_REVISED = dt.datetime(2026, 12, 5, 21, 30, tzinfo=dt.UTC)  # several changes a day: an instant
IO_STOCK_KIND = 6
IO_FIELDS = (
    {"name": "Occlusion", "id": 3954113306123640167, "tag": 0, "preventDeletion": True},
    {"name": "Image", "id": 2258349720380914545, "tag": 1, "preventDeletion": True},
    {"name": "Header", "id": 4162416520393462853, "tag": 2, "preventDeletion": True},
    {"name": "Back Extra", "id": 2838270473418766061, "tag": 3, "preventDeletion": True},
    {"name": "Comments", "id": 3330862400137014412, "tag": 4, "preventDeletion": False},
)
IO_TEMPLATE_ID = 1975303164428386561
_IO_LOADING_ERROR = "Error loading image occlusion. Is your Anki version up to date?"
IO_FRONT_TEMPLATE = (
    """\
{{#Header}}<div>{{Header}}</div>{{/Header}}
<div style="display: none">{{cloze:Occlusion}}</div>
<div id="err"></div>
<div id="image-occlusion-container">
    {{Image}}
    <canvas id="image-occlusion-canvas"></canvas>
</div>
<script>
try {
    anki.imageOcclusion.setup();
} catch (exc) {
    document.getElementById("err").innerHTML = `"""
    + _IO_LOADING_ERROR
    + """<br><br>${exc}`;
}
</script>
"""
)
IO_BACK_TEMPLATE = (
    IO_FRONT_TEMPLATE
    + """
<div><button id="toggle">Toggle Masks</button></div>
{{#Back Extra}}<div>{{Back Extra}}</div>{{/Back Extra}}
"""
)
IO_CSS = """\
#image-occlusion-canvas {
    --inactive-shape-color: #ffeba2;
    --active-shape-color: #ff8e8e;
    --inactive-shape-border: 1px #212121;
    --active-shape-border: 1px #212121;
    --highlight-shape-color: #ff8e8e00;
    --highlight-shape-border: 1px #ff8e8e;
}

.card {
    font-family: arial;
    font-size: 20px;
    text-align: center;
    color: black;
    background-color: white;
}
"""

# Deck ids by (group, compartment); decks are named from these ids (see deck_name).
TOP_DECK = "myodeck"
DECK_IDS: dict[tuple[str, ...], int] = {
    (): 1968309020,
    ("trunk",): 1627832636,
    ("trunk", "lumbar"): 1609067500,
    ("hip",): 1186703320,
    ("hip", "gluteal"): 1284883531,
    ("hip", "deep-lateral-rotators"): 1893497155,
    ("hip", "iliopsoas"): 1365327076,
    ("thigh",): 1232023956,
    ("thigh", "anterior"): 1984930792,
    ("thigh", "medial"): 1213458895,
    ("thigh", "posterior"): 1373554337,
    ("leg",): 1874388155,
    ("leg", "anterior"): 1577008323,
    ("leg", "lateral"): 1388169776,
    ("leg", "posterior-superficial"): 1175706393,
    ("leg", "posterior-deep"): 1310982336,
    ("foot",): 1643853933,
    ("foot", "dorsal"): 2061993868,
    ("foot", "plantar-layer-1"): 1220035785,
    ("foot", "plantar-layer-2"): 1878143622,
    ("foot", "plantar-layer-3"): 1301113646,
    ("foot", "plantar-layer-4"): 1302390769,
}
TOP_DECK_DESCRIPTION = (
    "Muscles of the lower limb and their trigger points, made by myodeck. "
    "Import a newer myodeck.apkg to update these cards; your reviews are kept."
)

_PICTURE_ALT = {
    Variant.LOCATION: "Trigger point (X)",
    Variant.PATTERN: "Referral pattern",
    Variant.FULL: "Trigger point (X) and its referral pattern",
    Variant.PAIN_MAP: "Pain map",
}
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


class ProgressBar(Protocol):
    def update(self, n_steps: int) -> None: ...


OpenProgress = Callable[[int], AbstractContextManager[ProgressBar]]


@dataclass(frozen=True)
class BuildReport:
    path: Path
    cards: int
    notes: int
    media: int
    size: int
    stamped: StampReport | None = None  # what the build dated in the lock file first, if anything

    def lines(self) -> list[str]:
        wrote = (
            f"Wrote {counted(self.cards, 'card')} ({counted(self.notes, 'note')}, {counted(self.media, 'picture')}, "
            f"{_human_size(self.size)}) to {self.path}"
        )
        return [*(self.stamped.lines() if self.stamped is not None else []), wrote]


def build_package(
    facts: Facts,
    out_path: Path,
    kinds: Sequence[CardKind] = tuple(CardKind),
    cache: DiagramCache | None = None,
    progress: OpenProgress | None = None,
    source_date_epoch: int | None = None,
    muscles: Sequence[str] = (),
    loaded: LoadedFacts | None = None,
    stamp_day: dt.date | None = None,
    occlusion: bool = False,
) -> BuildReport:
    """Write the cards of `kinds` for the `muscles` (default: all) of `facts` to `out_path`, atomically.

    The cards are derived from all of `facts`, so a card reads the same in a
    one-muscle package as in the full one. Raises MyodeckError, before drawing
    anything, when `card-dates.json` does not date every chosen card's content.
    `progress(total)` opens a bar that is advanced while diagrams are drawn.
    `source_date_epoch` (seconds) replaces the build time; see the module docstring.
    `loaded`, the cached reading of `facts` when at hand, saves deriving the cards and
    their digests again. With `stamp_day`, new and changed cards are first dated that day
    in `card-dates.json` (an edited fact file just builds); without it they are refused
    (`--locked`: releases, CI and the bundled facts). With `occlusion`, the Image Occlusion
    notes of the chosen muscles too (`decks.occlusion`); a note's date is the latest of its muscles' cards.
    """
    chosen = {muscle.id for muscle in facts.select(tuple(muscles)).muscles}
    wanted = set(kinds)
    every_card = derive_cards(facts) if loaded is None else loaded.cards
    cards = [card for card in every_card if card.kind in wanted and card.muscle_id in chosen]
    pictured = occlusion_notes(facts, tuple(sorted(chosen)) if muscles else ()) if occlusion else []
    shown = {muscle_id for note in pictured for muscle_id in note.muscle_ids}
    chosen_keys = {card.key for card in cards}
    dated = cards + [card for card in every_card if card.muscle_id in shown and card.key not in chosen_keys]
    if not cards and not pictured:
        raise MyodeckError("no cards for the chosen muscles and topics; nothing was written")
    digests = loaded.digests if loaded is not None else None
    stamped = None
    try:
        changed_on = dates_of_cards(dated, facts, digests)
    except UndatedCards:
        if stamp_day is None:
            raise
        stamped = stamp_card_dates(facts, stamp_day)
        changed_on = dates_of_cards(dated, facts, digests)
    changed_on.update(_occlusion_dates(pictured, dated, changed_on))
    pictures, occlusion_pictures = _draw_pictures(facts, cards, [note.spec for note in pictured], cache, progress)
    build_time = (
        source_date_epoch if source_date_epoch is not None else note_mtime(max(changed_on.values(), key=note_mtime))
    )
    decks = _decks(facts, cards, pictures, list(zip(pictured, occlusion_pictures, strict=True)))
    notes = [note for deck in decks for note in deck.notes]
    media = dict(sorted([*pictures.values(), *occlusion_pictures]))  # one file per distinct picture, in name order
    data = _package_bytes(_collection_bytes(decks, changed_on, build_time), media)
    write_atomically(out_path, data, durable=True)
    return BuildReport(
        out_path.absolute(), sum(len(note.cards) for note in notes), len(notes), len(media), len(data), stamped
    )


def note_mtime(when: dt.date) -> int:
    """Anki's modification time (Unix seconds) for content last changed `when`: a day's start (UTC), or
    the instant a card changed again the day it was stamped."""
    return int(instant(when).timestamp())


@lru_cache(maxsize=4096)  # asked twice per note: to write it, then to stamp its date
def note_guid(card_key: str) -> str:
    return genanki.guid_for("myodeck", card_key)


def deck_name(ids: tuple[str, ...]) -> str:
    """`myodeck`, `myodeck::Leg`, `myodeck::Leg::Posterior superficial`: a sub-deck per compartment, by group."""
    return "::".join([TOP_DECK, *(part.replace("-", " ").capitalize() for part in ids)])


def _occlusion_dates(
    notes: list[OcclusionNote], cards: list[Card], changed_on: dict[str, dt.date]
) -> dict[str, dt.date]:
    """Each occlusion note's date: the latest of its muscles' cards, or the day its drawing last changed.

    A muscle renamed, moved or given another trigger point changes its cards, so the pictures
    that show it are sent again; a muscle taken out of a view alone does not.
    """
    latest: dict[str, dt.date] = {}
    for card in cards:
        when = changed_on[card.key]
        if card.muscle_id not in latest or note_mtime(when) > note_mtime(latest[card.muscle_id]):
            latest[card.muscle_id] = when
    return {
        note.key: max([IO_NOTE_TYPE_REVISED, *(latest[m] for m in note.muscle_ids if m in latest)], key=note_mtime)
        for note in notes
    }


class _ImageOcclusionModel(genanki.Model):
    """genanki's cloze note type, marked as Anki's stock Image Occlusion type."""

    def to_json(self, timestamp: float, deck_id):
        return {**super().to_json(timestamp, deck_id), "originalStockKind": IO_STOCK_KIND}


def image_occlusion_note_type() -> genanki.Model:
    return _ImageOcclusionModel(
        IO_NOTE_TYPE_ID,
        IO_NOTE_TYPE_NAME,
        fields=[dict(field) for field in IO_FIELDS],
        templates=[
            {"name": "Image Occlusion", "id": IO_TEMPLATE_ID, "qfmt": IO_FRONT_TEMPLATE, "afmt": IO_BACK_TEMPLATE}
        ],
        css=IO_CSS,
        model_type=genanki.Model.CLOZE,
    )


def note_type() -> genanki.Model:
    return genanki.Model(
        NOTE_TYPE_ID,
        NOTE_TYPE_NAME,
        fields=[dict(field) for field in FIELDS],  # genanki adds keys to these dicts
        templates=[{"name": "Card", "id": TEMPLATE_ID, "qfmt": FRONT_TEMPLATE, "afmt": BACK_TEMPLATE}],
        css=CSS,
        sort_field_index=0,
    )


_PictureKey = tuple[str, str, Variant]


def _picture_keys(diagram: CardDiagram) -> list[_PictureKey]:
    """The card's picture, then the one its back adds, if any."""
    extra = [] if diagram.back_variant is None else [diagram.back_variant]
    return [(diagram.muscle_id, diagram.trigger_point_id, variant) for variant in [diagram.variant, *extra]]


def _draw_pictures(
    facts: Facts,
    cards: list[Card],
    occlusions: list[OcclusionSpec],
    cache: DiagramCache | None,
    progress: OpenProgress | None,
) -> tuple[dict[_PictureKey, tuple[str, bytes]], list[tuple[str, bytes]]]:
    """Each picture the cards show, and each occlusion picture, as (media file name, PNG bytes)."""
    keys = list(dict.fromkeys(key for card in cards if card.diagram for key in _picture_keys(card.diagram)))
    specs: list[DiagramSpec | OcclusionSpec] = [
        DiagramSpec.for_trigger_point(facts.muscle(m), facts.muscle(m).trigger_point(t), variant)
        for m, t, variant in keys
    ]
    specs += occlusions
    cached = read_cached(specs, cache)
    if progress is None or all(png is not None for png in cached):
        pngs = render_many(specs, cache, cached=cached)  # nothing to draw: no progress bar
    else:
        with progress(len(specs)) as bar:
            pngs = render_many(specs, cache, progress=bar.update, cached=cached)
    named = [(f"myodeck-{hashlib.sha256(png).hexdigest()[:16]}.png", png) for png in pngs]
    return dict(zip(keys, named[: len(keys)], strict=True)), named[len(keys) :]


def _decks(
    facts: Facts,
    cards: list[Card],
    pictures: dict[_PictureKey, tuple[str, bytes]],
    occlusions: list[tuple[OcclusionNote, tuple[str, bytes]]],
) -> list[genanki.Deck]:
    """The decks and their notes: the cards in teaching order, then the occlusion notes."""
    model = note_type()
    decks: dict[tuple[str, ...], genanki.Deck] = {}

    def deck(ids: tuple[str, ...]) -> genanki.Deck:
        if ids not in decks:
            if ids:
                deck(ids[:-1])  # parents first, so every level exists with its own id
            decks[ids] = genanki.Deck(DECK_IDS[ids], deck_name(ids), "" if ids else TOP_DECK_DESCRIPTION)
        return decks[ids]

    explained = frozenset(explanation(term) for term in facts.glossary)
    for position, card in enumerate(teaching_order(cards, facts), start=1):
        muscle = facts.muscle(card.muscle_id)
        deck((muscle.group, muscle.compartment)).add_note(
            genanki.Note(
                model=model,
                fields=_fields(card, pictures, explained),
                tags=card.tags,
                guid=note_guid(card.key),
                due=position,
            )
        )
    io_model = image_occlusion_note_type()
    for position, (note, (name, png)) in enumerate(occlusions, start=len(cards) + 1):
        deck(note.deck).add_note(
            genanki.Note(
                model=io_model,
                fields=_occlusion_fields(note, name, png),
                tags=note.tags,
                guid=note_guid(note.key),
                due=position,
            )
        )
    return list(decks.values())


def _occlusion_fields(note: OcclusionNote, media_name: str, png: bytes) -> list[str]:
    """Occlusion, Image, Header, Back Extra and Comments (the student's)."""
    image = f'<img src="{media_name}">'
    back_extra = "<br>".join(_html(line) for line in note.back_extra.split("\n")) if note.back_extra else ""
    return [occlusion_field(note, occlusion_masks(png)), image, _html(note.header), back_extra, ""]


def teaching_order(cards: Sequence[Card], facts: Facts) -> list[Card]:
    """The order new cards reach a student, as a teacher would take them.

    Region by region from the trunk down to the foot (`COMPARTMENTS`' order), compartment by
    compartment, muscle by muscle, each muscle's anatomy before its trigger points. A
    region's "which muscle refers here?" cards wait until the next region has been taught,
    so a pattern card never follows the referral card that gives its answer away. Cards made by
    inverting the facts ("which muscles abduct the hip?") come last, once every muscle is taught.
    """
    groups = list(COMPARTMENTS)
    compartments = [(group, name) for group, names in COMPARTMENTS.items() for name in names]

    def place(indexed: tuple[int, Card]) -> tuple[int, int, int]:
        index, card = indexed
        muscle = facts.muscle(card.muscle_id)
        group = groups.index(muscle.group) if muscle.group in groups else len(groups)
        where = (muscle.group, muscle.compartment)
        compartment = compartments.index(where) if where in compartments else len(compartments)
        stage = 2 * (group + 1) + 1 if card.kind is CardKind.PATTERN else 2 * group
        if card.kind in REASONING_KINDS:  # answered with muscles of every region: after all are taught
            stage = 2 * (len(groups) + 1)
        return stage, compartment, index

    return [card for _, card in sorted(enumerate(cards), key=place)]


def _fields(card: Card, pictures: dict[_PictureKey, tuple[str, bytes]], explained: frozenset[str]) -> list[str]:
    front_picture = back_picture = ""
    if card.diagram:
        first, *then = (
            f'<img src="{pictures[key][0]}" alt="{_PICTURE_ALT[key[2]]}">' for key in _picture_keys(card.diagram)
        )
        front_picture, back_picture = (first, "".join(then)) if card.diagram.side is Side.FRONT else ("", first)
    back = _back_html(card, explained)
    return [card.key, _html(card.front), front_picture, back, back_picture, _sources(card.sources), ""]


@lru_cache(maxsize=256)  # a muscle's sources, on each of its cards
def _sources(citations: tuple[str, ...]) -> str:
    return "<br>".join(_linked(_html(citation)) for citation in citations)


_LABELLED_LINES = ("Essential zone: ", "Spillover zone: ", "Position: ", "Technique: ", *ANSWER_LABELS)  # in parts
_URL = re.compile(r"https?://[^\s<>\"]+[^\s<>\".,;:)]")


def _back_html(card: Card, explained: frozenset[str]) -> str:
    """The back as a reader takes it: the answer first and bold (an answer in labelled parts, such as
    the zones, or a list, as a list), then the notes in a quieter style, then the glossary's explanations
    (`explained`: the lines `explanation` makes of the glossary's terms)."""
    lines = card.back.split("\n")
    body = [line for line in lines if line not in explained]
    glossed = [line for line in lines if line in explained]
    labelled = [line for line in body if line.startswith(_LABELLED_LINES)]
    bullets = [line for line in body if line.startswith("• ")]
    if labelled or bullets:
        items = "".join(
            f"<li>{_labelled(line)}</li>" if labelled else f"<li>{_html(line[2:])}</li>" for line in labelled or bullets
        )
        main, more = f'<ul class="main">{items}</ul>', [line for line in body if line not in labelled + bullets]
    else:
        main, more = (f'<div class="main">{_html(body[0])}</div>' if body else ""), body[1:]
    sections = [main]
    if more:
        sections.append(f'<div class="more">{"<br>".join(_html(line) for line in more)}</div>')
    if glossed:
        sections.append(f'<div class="glossary">{"<br>".join(_html(line) for line in glossed)}</div>')
    return "".join(sections)


def _labelled(line: str) -> str:
    label, text = line.split(": ", 1)
    return f"<b>{_html(label)}:</b> {_html(text)}"


def _linked(text: str) -> str:
    """Escaped text with its web addresses made links."""
    return _URL.sub(lambda match: f'<a href="{match.group(0)}">{match.group(0)}</a>', text)


def _html(text: str) -> str:
    """Fact text as HTML that shows exactly as typed: markup escaped, Anki's [sound:…] and [latex] disarmed."""
    return html.escape(text).replace("[", "&#91;").replace("\n", "<br>")


def _collection_bytes(decks: list[genanki.Deck], changed_on: dict[str, dt.date], build_time: int) -> bytes:
    """The collection genanki writes, with every time-dependent value set from the card dates."""
    connection = sqlite3.connect(":memory:")
    try:
        genanki.Package(decks).write_to_db(connection.cursor(), build_time, itertools.count(build_time * 1000))
        # notes.guid has no index: stamp through an indexed temporary table (not part of the file).
        connection.execute("CREATE TEMP TABLE stamps (guid TEXT PRIMARY KEY, mod INTEGER)")
        connection.executemany(
            "INSERT INTO temp.stamps VALUES (?, ?)",
            [(note_guid(key), note_mtime(day)) for key, day in changed_on.items()],
        )
        connection.execute(
            "UPDATE notes SET mod = (SELECT mod FROM temp.stamps WHERE stamps.guid = notes.guid)"
            " WHERE guid IN (SELECT guid FROM temp.stamps)"
        )
        connection.execute("UPDATE cards SET mod = (SELECT mod FROM notes WHERE notes.id = cards.nid)")
        (models_json,) = connection.execute("SELECT models FROM col").fetchone()
        models = json.loads(models_json)
        revised = {NOTE_TYPE_ID: NOTE_TYPE_REVISED, IO_NOTE_TYPE_ID: IO_NOTE_TYPE_REVISED}
        for model in models.values():
            model["mod"] = note_mtime(revised[int(model["id"])])
        connection.execute("UPDATE col SET models = ?", (json.dumps(models, sort_keys=True),))
        connection.commit()
        return connection.serialize()
    finally:
        connection.close()


def _package_bytes(collection: bytes, media: dict[str, bytes]) -> bytes:
    """The .apkg zip: the collection, the media map, then each picture, in a fixed order with fixed dates."""
    names = list(media)
    entries = [
        ("collection.anki2", collection, zipfile.ZIP_DEFLATED),
        ("media", json.dumps({str(i): name for i, name in enumerate(names)}).encode(), zipfile.ZIP_DEFLATED),
        *((str(i), media[name], zipfile.ZIP_STORED) for i, name in enumerate(names)),  # PNGs are compressed
    ]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data, compression in entries:
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = compression
            info.create_system = 3
            info.external_attr = 0o644 << 16
            archive.writestr(info, data, compresslevel=1)  # level 6 takes 2.5x the time for 7 % less
    return buffer.getvalue()


def _human_size(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 1_000_000 else f"{max(1, round(size / 1000))} kB"
