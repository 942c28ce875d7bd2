"""Validated facts and their cards kept between runs, so a command starts without re-reading YAML.

Reading and validating the fact files and deriving their cards is half of the quiz's
start-up (about 80 of 170 ms). What was read is pickled under the user cache folder
together with a key naming everything it came from: myodeck's version and the status
of every module and data file of the package and of every fact file (path, size,
modification and change times, inode), so an edit, a new or a removed file changes
the key.

A file changed within the file system's clock tick of the key being made could keep
its times; such a "racy" file (as git calls it) is keyed by its content instead. The
cache records when its key was made, and a file whose times are not clearly older
than that is read. The change time cannot be set back by a program (`touch -d`,
`cp -p` and `os.utime` set it to now), so an edit after the key was made always
changes the key. Only facts that loaded without an error are stored. A missing,
stale, corrupt or unwritable cache costs the full load, never a result.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import pickle
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from decks import __version__
from decks.fact_folder import Unreadable, fact_file_stats, read_fact_file

if TYPE_CHECKING:  # the fact and card classes load with the content (unpickled or read): `stats` needs neither
    from decks.cards import Card
    from decks.model import Facts

_PACKAGE = Path(__file__).parent
_FORMAT = b"myodeck-facts-3"
_HEADER_MAX = 200  # bytes: the header line, format:made_at:digest
_INDEX_LENGTH = 8  # bytes: the index's length, before it
# A file changed this soon before its key was made is keyed by content: file system
# clocks tick coarsely (FAT: 2 s) and may lag the system clock.
_RACY_NS = 5 * 10**9


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
    sources = _Sources.of(directory) if cache_dir is not None and directory.is_dir() else None
    if cache_dir is None or sources is None:  # a folder with a problem: the full load reports it
        return _fresh(_read(directory))
    file = cache_dir / f"facts-{hashlib.sha256(os.fsencode(directory.absolute())).hexdigest()[:16]}.pickle"
    with contextlib.suppress(Exception), file.open("rb") as cached:  # anything a damaged file raises: a miss
        header = cached.readline(_HEADER_MAX)
        made_at = int(header.split(b":")[1])
        if header == sources.key(made_at):
            length = int.from_bytes(cached.read(_INDEX_LENGTH), "big")
            index = _unpickle(cached.read(length))
            if isinstance(index, DeckIndex):
                now = time.time_ns()
                if sources.racy(made_at) and not sources.racy(now) and (settled := sources.key(now)) is not None:
                    _settle(file, header, settled)
                start = len(header) + _INDEX_LENGTH + length
                return LoadedFacts(index, lambda: _cached_content(file, header, start, directory))
    key = sources.key(time.time_ns())  # before reading: an edit while reading is a later miss
    loaded = _fresh(_read(directory))
    if key is None:
        return loaded
    from decks.atomic import OutputError, write_atomically  # only when writing

    packed = pickle.dumps(loaded.index, pickle.HIGHEST_PROTOCOL)
    with contextlib.suppress(OutputError):
        body = pickle.dumps(loaded.content, pickle.HIGHEST_PROTOCOL)
        write_atomically(file, key + len(packed).to_bytes(_INDEX_LENGTH, "big") + packed + body, create_folder=True)
    return loaded


def _settle(file: Path, header: bytes, settled: bytes) -> None:
    """The cache rewritten under a key that reads no file: its racy files have since grown old.

    Otherwise a cache made just after an install or an edit would read those files on
    every hit (all of myodeck's data after a `pip install`: a few milliseconds each time).
    """
    from decks.atomic import OutputError, write_atomically

    with contextlib.suppress(OSError, OutputError):
        data = file.read_bytes()
        if data.startswith(header):
            write_atomically(file, settled + data[len(header) :])


def _fresh(content: Content) -> LoadedFacts:
    return LoadedFacts(DeckIndex.of(content), lambda: content)


def _cached_content(file: Path, header: bytes, start: int, directory: Path) -> Content:
    """The content after the index, read only now: `stats` needs only the index (a thousand
    muscles make a cache of tens of megabytes). Damaged or replaced since: read afresh."""
    with contextlib.suppress(Exception):
        data = file.read_bytes()
        if data.startswith(header):
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


class _Sources:
    """The status of every file the facts and cards are made from (myodeck's own and the fact
    files), taken once; the content of a racy one read once, so two keys agree on it."""

    def __init__(self, files: list[tuple[Path, os.stat_result, Callable[[Path], bytes]]]) -> None:
        self.files = files
        self._contents: dict[Path, bytes] = {}

    @classmethod
    def of(cls, directory: Path) -> _Sources | None:
        """None when the folder has a problem (the full load reports it)."""
        found, problems = fact_file_stats(directory)
        if problems:
            return None
        try:
            package = [(path, path.stat(), Path.read_bytes) for path in _package_files()]
        except OSError:
            return None
        return cls([*package, *((path, status, read_fact_file) for path, status in found)])

    def racy(self, made_at: int) -> bool:
        """Whether a key made at `made_at` reads any file: one changed within `_RACY_NS` before it."""
        return any(_changed_at(status) >= made_at - _RACY_NS for _, status, _ in self.files)

    def key(self, made_at: int) -> bytes | None:
        """The header line of a cache made at `made_at` (ns since the epoch): format, `made_at`, digest;
        None when a file cannot be read (the full load reports it)."""
        digest = hashlib.sha256(_FORMAT + __version__.encode())
        for path, status, read in self.files:
            digest.update(_status_line(path, status))
            if _changed_at(status) >= made_at - _RACY_NS:
                if path not in self._contents:
                    try:
                        self._contents[path] = read(path)
                    except (OSError, Unreadable):
                        return None
                content = self._contents[path]
                digest.update(b"%d\n" % len(content) + content)
        return b"%s:%d:%s\n" % (_FORMAT, made_at, digest.hexdigest().encode())


def _changed_at(status: os.stat_result) -> int:
    return max(status.st_mtime_ns, status.st_ctime_ns)


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
