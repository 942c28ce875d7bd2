"""The date each card's content last changed, kept in a committed lock file beside the facts.

Anki re-sends a note to a student only when its modification time is later than
the student's copy, and re-sending replaces every field, the student's own Notes
too. So a note must carry the date of *its own* last change: `card-dates.json`
maps each card key to a digest of the card's content and the day that content
last changed. `myodeck stamp` (`stamp_card_dates`) records new and changed cards
with a given day and keeps the others' days; `myodeck build` refuses cards whose
content differs from what the file records, so every build is reproducible and
never re-sends a card that did not change.

The digest covers what the student sees in a note, except the personal Notes
field: key, front, back, sources, tags, and what the picture shows (its
`DiagramSpec`). It deliberately leaves out the picture's PNG bytes (and so its
media file name), which vary with the matplotlib and Pillow versions: a fresh
install would otherwise find every picture card "changed". A change to how pictures
are drawn that students should receive (a muscle's shape put right) is a new
`PICTURES_REVISION` instead, which changes every picture card's digest.

Light to import (no genanki, no matplotlib).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from decks.cards import Card, derive_cards
from decks.diagrams.spec import DiagramSpec, plain
from decks.errors import MyodeckError, shown
from decks.fact_folder import Unreadable, read_fact_file
from decks.model import Facts
from decks.words import counted

CARD_DATES_FILE = "card-dates.json"
_FORMAT = 1
_SHOWN_KEYS = 3
_MAX_BYTES = 16 * 1024 * 1024  # 100 bytes a card
# Bump when the pictures are drawn differently: `myodeck stamp` then dates every picture card anew,
# and students' next import takes the new pictures (tests/test_anki_package.py pins it to the drawing code).
PICTURES_REVISION = 8


@dataclass(frozen=True)
class CardDate:
    """A card's content digest and when that content last changed: a day (its start, UTC), or
    an instant on that day when it changed again after a stamp of the same day."""

    digest: str
    changed: dt.date  # or a dt.datetime (UTC) for a second change the same day


def instant(when: dt.date) -> dt.datetime:
    """A card date as a UTC instant: a day is its start."""
    return when if isinstance(when, dt.datetime) else dt.datetime.combine(when, dt.time(), dt.UTC)


def _stamp_text(when: dt.date) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ") if isinstance(when, dt.datetime) else when.isoformat()


def _parse_stamp(text: str) -> dt.date:
    if "T" not in text:
        return dt.date.fromisoformat(text)
    when = dt.datetime.fromisoformat(text)
    if when.utcoffset() != dt.timedelta(0):
        raise ValueError(text)
    return when.astimezone(dt.UTC)


def card_dates_path(directory: Path) -> Path:
    """The lock file of a fact folder: `<directory>/card-dates.json`."""
    return directory / CARD_DATES_FILE


def card_digest(card: Card, facts: Facts) -> str:
    """A short hash of everything the card puts in its note, except the student's Notes field."""
    picture = None
    if card.diagram is not None:
        muscle = facts.muscle(card.diagram.muscle_id)
        spec = DiagramSpec.for_trigger_point(
            muscle, muscle.trigger_point(card.diagram.trigger_point_id), card.diagram.variant
        )
        picture = {"side": card.diagram.side, "shows": plain(spec), "drawn": PICTURES_REVISION}
        if card.diagram.back_variant is not None:
            trp = muscle.trigger_point(card.diagram.trigger_point_id)
            picture["back shows"] = plain(DiagramSpec.for_trigger_point(muscle, trp, card.diagram.back_variant))
    content = {
        "key": card.key,
        "front": card.front,
        "back": card.back,
        "sources": card.sources,
        "tags": card.tags,
        "picture": picture,
    }
    payload = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


def read_card_dates(path: Path) -> dict[str, CardDate]:
    """The card dates recorded in `path`; an empty mapping when the file does not exist.

    Raises MyodeckError when the file cannot be read or is not a card-dates file.
    """
    if not os.path.lexists(path):
        return {}
    try:
        text = read_fact_file(path, _MAX_BYTES).decode("utf-8")
        return parse_card_dates(text)
    except Unreadable as exc:
        raise MyodeckError(f"{path}: {exc}") from None
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        raise MyodeckError(
            f"{path}: not a card-dates file ({shown(str(exc), 120)}); restore it from version control, "
            f"or delete it and run `myodeck stamp --facts {path.parent}`"
        ) from None


def parse_card_dates(text: str) -> dict[str, CardDate]:
    """The card dates of a lock file's text (the inverse of `card_dates_json`); ValueError if malformed."""
    document = json.loads(text)
    if not (
        isinstance(document, dict) and document.get("format") == _FORMAT and isinstance(document.get("cards"), dict)
    ):
        raise ValueError(f'expected {{"format": {_FORMAT}, "cards": {{...}}}}')
    dates = {}
    for key, entry in document["cards"].items():
        try:
            if not isinstance(entry["digest"], str):
                raise TypeError
            dates[key] = CardDate(entry["digest"], _parse_stamp(entry["changed"]))
        except (TypeError, KeyError, ValueError, AttributeError):
            raise ValueError(f'{key}: expected {{"changed": "YYYY-MM-DD", "digest": "..."}}') from None
    return dates


def card_dates_json(dates: Mapping[str, CardDate]) -> str:
    """The lock file's text: one line per card, in key order, so that a diff shows which cards changed."""
    lines = [
        f"    {json.dumps(key, ensure_ascii=False)}: "
        f'{{"changed": "{_stamp_text(dates[key].changed)}", "digest": "{dates[key].digest}"}}'
        for key in sorted(dates)
    ]
    body = "{\n" + ",\n".join(lines) + "\n  }" if lines else "{}"
    return f'{{\n  "format": {_FORMAT},\n  "cards": {body}\n}}\n'


class UndatedCards(MyodeckError):
    """The lock file does not date some cards' current content: they are new or changed since the last stamp."""


def dates_of_cards(cards: Sequence[Card], facts: Facts, digests: Mapping[str, str] | None = None) -> dict[str, dt.date]:
    """Each card's last-change day, from the lock file of `facts.directory`.

    `digests` (card key to `card_digest`) saves computing them again when they are at hand.

    Raises UndatedCards naming the new and changed cards when the lock file does not
    record the cards' current content: they must be stamped first.
    """
    path = card_dates_path(facts.directory)
    stamp = f"run `myodeck stamp --facts {facts.directory}`, then build again; nothing was written"
    if not path.exists():
        raise UndatedCards(f"{path}: no such file, so no card has a date yet; {stamp}")
    recorded = read_card_dates(path)
    new = [card.key for card in cards if card.key not in recorded]
    changed = [
        card.key
        for card in cards
        if card.key in recorded
        and recorded[card.key].digest != (digests[card.key] if digests is not None else card_digest(card, facts))
    ]
    if new or changed:
        parts = [f"{label}: {_some(keys)}" for label, keys in (("changed", changed), ("new", new)) if keys]
        count = len(new) + len(changed)
        raise UndatedCards(
            f"{path}: does not date the current content of {count} card{'s' if count != 1 else ''} "
            f"({'; '.join(parts)}); {stamp}"
        )
    return {card.key: recorded[card.key].changed for card in cards}


@dataclass(frozen=True)
class StampReport:
    """What `stamp_card_dates` did to a lock file."""

    path: Path
    day: dt.date
    new: tuple[str, ...]
    changed: tuple[str, ...]
    removed: tuple[str, ...]
    cards: int

    @property
    def any_change(self) -> bool:
        return bool(self.new or self.changed or self.removed)

    def lines(self) -> list[str]:
        counts = f"{len(self.new)} new, {len(self.changed)} changed, {len(self.removed)} removed"
        if not self.any_change:
            return [f"{self.path}: {counts} ({counted(self.cards, 'card')}); nothing to stamp"]
        head = (
            f"{self.path}: {counts} ({counted(self.cards, 'card')}); new and changed cards dated {self.day.isoformat()}"
        )
        marks = (("new", self.new), ("changed", self.changed), ("removed", self.removed))
        return [head, *(f"  {mark:<8} {key}" for mark, keys in marks for key in keys)]


def plan_stamp(facts: Facts, recorded: Mapping[str, CardDate], day: dt.date) -> tuple[dict[str, CardDate], StampReport]:
    """The lock file's new content for every card of `facts` dated `day` where new or changed, and what changed.

    Raises MyodeckError when a changed card already carries a later day than `day`:
    its update would be older than the note students have, and Anki would skip it.
    """
    dates: dict[str, CardDate] = {}
    new: list[str] = []
    changed: list[str] = []
    later: dict[str, dt.date] = {}
    cards = derive_cards(facts)
    for card in cards:
        digest = card_digest(card, facts)
        before = recorded.get(card.key)
        if before is not None and before.digest == digest:
            dates[card.key] = before
            continue
        (new if before is None else changed).append(card.key)
        when: dt.date = day
        if before is not None and instant(before.changed).date() > day:
            later[card.key] = before.changed
        elif before is not None and instant(before.changed).date() == day:
            # Changed again the day it was stamped: a second later than the note students may have.
            when = instant(before.changed) + dt.timedelta(seconds=1)
        dates[card.key] = CardDate(digest, when)
    if later:
        raise MyodeckError(
            f"cannot date changed cards {day.isoformat()}: {_some(list(later))} already carry a later date, "
            f"and Anki skips a note older than the student's copy; "
            f"give --date {max(instant(when) for when in later.values()).date().isoformat()} "
            "or later; nothing was written"
        )
    removed = sorted(key for key in recorded if key not in dates)
    path = card_dates_path(facts.directory)
    return dates, StampReport(path, day, tuple(new), tuple(changed), tuple(removed), len(cards))


def stamp_card_dates(facts: Facts, day: dt.date) -> StampReport:
    """Date the new and changed cards of `facts` with `day` in its lock file, keep the others, drop the gone.

    The file is written (atomically) only when something changed, so stamping twice
    leaves it as the first stamp wrote it.
    """
    from decks.atomic import write_atomically

    path = card_dates_path(facts.directory)
    dates, report = plan_stamp(facts, read_card_dates(path), day)
    if report.any_change:
        write_atomically(path, card_dates_json(dates).encode(), durable=True)
    return report


def _some(keys: Sequence[str]) -> str:
    shown = ", ".join(keys[:_SHOWN_KEYS])
    return shown + (f" (+{len(keys) - _SHOWN_KEYS} more)" if len(keys) > _SHOWN_KEYS else "")
