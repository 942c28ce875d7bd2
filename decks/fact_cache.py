"""Validated facts and their cards kept between runs, so a command starts without re-reading YAML.

Reading and validating the fact files and deriving their cards is half of the quiz's
start-up (about 80 of 170 ms). What was read is pickled under the user cache folder
together with a key naming everything it came from: myodeck's version and the status
of every module and data file of the package and of every fact file (path, size,
modification and change times, inode), so an edit, a new or a removed file changes
the key. Nothing is read to make the key, so a thousand fact files cost a thousand
`stat`s, not a thousand reads and a hash.

A file changed within the file system's clock tick before the key is made could be
changed again and keep its times ("racy", as git calls it), so facts read while any
source changed in the last few seconds are not stored: the next command, a few seconds
on, stores them. Any later change moves the change time, which no program can set back
(`touch -d`, `cp -p` and `os.utime` set it to now). Only facts that loaded without an
error are stored. A missing, stale, corrupt or unwritable cache costs the full load,
never a result.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from decks import __version__
from decks.fact_folder import fact_file_stats

if TYPE_CHECKING:  # the fact and card classes load with the content (unpickled or read): `stats` needs neither
    from decks.cards import Card
    from decks.model import Facts

_PACKAGE = Path(__file__).parent
_FORMAT = b"myodeck-facts-4"
_LENGTH = 8  # bytes: the index's length, before it
# Facts read while a source changed this recently are not stored: file system clocks
# tick coarsely (FAT: 2 s) and may lag the system clock.
_RACY_NS = 5 * 10**9

_Sources = list[tuple[Path, os.stat_result]]


@dataclass(frozen=True)
class Content:
    """The facts of a folder, every card they give, and each card's content digest."""

    facts: Facts
    cards: tuple[Card, ...]
    digests: dict[str, str]  # card key -> its content digest (`decks.card_dates.card_digest`)


@dataclass(frozen=True)
class DeckIndex:
    """What a summary of the deck needs of each card, in parallel columns of text.

    A thousand muscles make tens of thousands of cards and megabytes of facts; `stats`
    needs of them only which card is whose, of what kind and what it asks, and loads
    that in milliseconds where the whole content takes a good part of a second.
    """

    keys: tuple[str, ...]
    kinds: tuple[str, ...]  # `CardKind` values
    muscle_ids: tuple[str, ...]
    questions: tuple[str, ...]  # each front's first line
    muscle_names: dict[str, str]  # muscle id -> name

    @classmethod
    def of(cls, content: Content) -> DeckIndex:
        cards = content.cards
        return cls(
            tuple(c.key for c in cards),
            tuple(c.kind.value for c in cards),
            tuple(c.muscle_id for c in cards),
            tuple(c.front.split("\n", 1)[0] for c in cards),
            {m.id: m.name for m in content.facts.muscles},
        )


class LoadedFacts:
    """A folder's deck index at once, and its content (facts, cards, digests) when first asked for."""

    def __init__(self, index: DeckIndex, content: Callable[[], Content]) -> None:
        self.index = index
        self._load_content = content

    @cached_property
    def content(self) -> Content:
        return self._load_content()

    @property
    def facts(self) -> Facts:
        return self.content.facts

    @property
    def cards(self) -> tuple[Card, ...]:
        return self.content.cards

    @property
    def digests(self) -> dict[str, str]:
        return self.content.digests

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LoadedFacts) and (self.index, self.content) == (other.index, other.content)

    __hash__ = None  # type: ignore[assignment]  # equal by content, which is not hashable


def load(directory: Path, cache_dir: Path | None) -> LoadedFacts:
    """The facts of `directory` with their cards, from `cache_dir` when nothing changed since.

    Raises FactsInvalid as `decks.loader.load_facts` does; `cache_dir` None reads afresh.
    From the cache, the index is read at once and the content only when asked for; a
    content found damaged then is read afresh from the folder.
    """
    sources = _sources(directory) if cache_dir is not None and directory.is_dir() else None
    if cache_dir is None or sources is None:  # a folder with a problem: the full load reports it
        return _fresh(_read(directory))
    # Named by a checksum of the folder's path: two folders that share one take turns (the key tells them apart).
    file = cache_dir / f"facts-{zlib.crc32(os.fsencode(directory.absolute())):08x}.pickle"
    key = _key(sources)
    with contextlib.suppress(Exception), file.open("rb") as cached:  # anything a damaged file raises: a miss
        if cached.read(len(key)) == key:
            length = int.from_bytes(cached.read(_LENGTH), "big")
            index = _unpickle(cached.read(length))
            if isinstance(index, DeckIndex):
                start = len(key) + _LENGTH + length
                return LoadedFacts(index, lambda: _cached_content(file, key, start, directory))
    settled = not _racy(sources, time.time_ns())  # asked before reading: an edit while reading is a later miss
    loaded = _fresh(_read(directory))
    if not settled:
        return loaded
    from decks.atomic import OutputError, write_atomically  # only when writing

    packed = pickle.dumps(loaded.index, pickle.HIGHEST_PROTOCOL)
    with contextlib.suppress(OutputError):
        body = pickle.dumps(loaded.content, pickle.HIGHEST_PROTOCOL)
        write_atomically(file, key + len(packed).to_bytes(_LENGTH, "big") + packed + body, create_folder=True)
    return loaded


def _fresh(content: Content) -> LoadedFacts:
    return LoadedFacts(DeckIndex.of(content), lambda: content)


def _cached_content(file: Path, key: bytes, start: int, directory: Path) -> Content:
    """The content after the index, read only now: `stats` needs only the index (a thousand
    muscles make a cache of tens of megabytes). Damaged or replaced since: read afresh."""
    with contextlib.suppress(Exception):
        data = file.read_bytes()
        if data.startswith(key):
            content = _unpickle(memoryview(data)[start:])
            if isinstance(content, Content):
                return content
    return _read(directory)


def _unpickle(data: bytes | memoryview) -> object:
    """pickle.loads without the cyclic garbage collector walking what it makes.

    Every object loaded is new and lives as long as the command, yet collections walked
    them all, again and again: three quarters of the time of a large deck's load. The
    collector is paused while loading and the result frozen (left out of later
    collections; `gc.freeze`), so it is not walked on the next collection either.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        loaded = pickle.loads(data)
        gc.freeze()
        return loaded
    finally:
        if was_enabled:
            gc.enable()


def _read(directory: Path) -> Content:
    from decks.card_dates import card_digest  # with the diagram specs it digests: only on a miss
    from decks.cards import derive_cards
    from decks.loader import load_facts

    facts = load_facts(directory)
    cards = tuple(derive_cards(facts))
    return Content(facts, cards, {card.key: card_digest(card, facts) for card in cards})


def _sources(directory: Path) -> _Sources | None:
    """The status of every file the facts and cards are made from: myodeck's own, then the fact
    files; None when the folder has a problem (the full load reports it)."""
    found, problems = fact_file_stats(directory)
    if problems:
        return None
    try:
        return [*((path, path.stat()) for path in _package_files()), *found]
    except OSError:
        return None


def _key(sources: _Sources) -> bytes:
    """The first bytes of a cache made from `sources`: format, length, version and each file's status."""
    body = __version__.encode() + b"\n" + b"".join(_status_line(path, status) for path, status in sources)
    return b"%s %d\n" % (_FORMAT, len(body)) + body


def _racy(sources: _Sources, now: int) -> bool:
    """Whether a source changed within `_RACY_NS` before `now` (ns since the epoch)."""
    return any(max(status.st_mtime_ns, status.st_ctime_ns) >= now - _RACY_NS for _, status in sources)


def _status_line(path: Path, status: os.stat_result) -> bytes:
    times = f"{status.st_mtime_ns}\0{status.st_ctime_ns}"
    return f"{path}\0{status.st_size}\0{times}\0{status.st_ino}\n".encode()


def _package_files() -> list[Path]:
    """myodeck's own modules and data: cards change with the code that derives them."""
    files: list[Path] = []
    for root, folders, names in os.walk(_PACKAGE):
        folders[:] = sorted(folder for folder in folders if folder != "__pycache__")
        files.extend(Path(root, name) for name in sorted(names))
    return files
