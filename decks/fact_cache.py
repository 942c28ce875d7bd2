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

After the key comes a header, read at once: the deck index (`DeckIndex`: what `stats`
and the quiz's plan need of every card) and where the rest lies. The rest is pickled in
parts, each read when first asked for (`_Layout`): every muscle in outline, each muscle
whole, the distinct referral patterns (the pool of wrong answers), the cards' digests, their
questions (for `stats`), and the cards in runs of one muscle's. A quiz on a thousand muscles
plans from the index, ranks a referral question's wrong answers from the few dozen patterns,
reads the outlines only for a question that names look-alike muscles, and reads whole only
the cards it asks and their muscles, instead of 27 MB of facts and cards first.
"""

from __future__ import annotations

import bisect
import contextlib
import gc
import itertools
import os
import pickle
import time
import weakref
import zlib
from collections.abc import Iterable, Sequence
from functools import cached_property, partial
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, Protocol, TypeVar

from decks import __version__
from decks.card_kind import CardHead, CardKind
from decks.fact_folder import fact_file_stats

if TYPE_CHECKING:  # the fact and card classes load with the content (unpickled or read): `stats` needs neither
    from decks.cards import Card
    from decks.model import Facts, Muscle, Roster
    from decks.outline import MuscleOutline, ReferralPattern

_PACKAGE = Path(__file__).parent
_FORMAT = b"myodeck-facts-12"
_LENGTH = 8  # bytes: the header's length, before it
_RUN = 64  # cards at most in a run read together
# Facts read while a source changed this recently are not stored: file system clocks
# tick coarsely (FAT: 2 s) and may lag the system clock.
_RACY_NS = 5 * 10**9

_Sources = list[tuple[str, os.stat_result]]  # path text: a thousand `Path`s take milliseconds
_T = TypeVar("_T")


# Named tuples, not dataclasses, as in `quiz.store`: each dataclass adds about 0.5 ms to every quiz start.
class Content(NamedTuple):
    """The facts of a folder, every card they give, and each card's content digest."""

    facts: Facts
    cards: tuple[Card, ...]
    digests: dict[str, str]  # card key -> its content digest (`decks.card_dates.card_digest`)


_KIND_OF_VALUE = {kind.value: kind for kind in CardKind}


class DeckIndex(NamedTuple):
    """What a summary of the deck, or a quiz's plan, needs of each card, in parallel columns of text.

    A thousand muscles make tens of thousands of cards and megabytes of facts; `stats`
    needs of them only which card is whose, of what kind and what it asks, and the quiz
    which trigger point a card is about. That loads in milliseconds where the whole
    content takes a good part of a second.
    """

    keys: tuple[str, ...]
    kinds: tuple[str, ...]  # `CardKind` values
    muscle_ids: tuple[str, ...]
    trigger_point_ids: tuple[str | None, ...]
    muscle_names: dict[str, str]  # muscle id -> name
    # The keys named exactly, in order (their SHA-256, made when the deck is read): what the review
    # database compares to tell the deck of the last quiz (`ReviewStore.sync_cards`).
    fingerprint: bytes

    @classmethod
    def of(cls, content: Content) -> DeckIndex:
        return cls.of_heads([card.head for card in content.cards], {m.id: m.name for m in content.facts.muscles})

    @classmethod
    def of_heads(cls, heads: Sequence[CardHead], muscle_names: dict[str, str]) -> DeckIndex:
        import hashlib  # a deck read afresh, not from the cache, which keeps the fingerprint

        keys, *columns = _columns(heads)
        return cls(keys, *columns, muscle_names, hashlib.sha256("\0".join(keys).encode()).digest())

    def heads(self, positions: Sequence[int]) -> list[CardHead]:
        """The cards at `positions` in brief, made when a plan takes them: a plan takes a few of
        thousands, and making every card's head took 4 ms of a quiz start on a thousand muscles.
        Made in C, column by column: a Python call for each took 1 ms for 1,700 due cards."""
        columns = zip(
            map(self.keys.__getitem__, positions),
            map(_KIND_OF_VALUE.__getitem__, map(self.kinds.__getitem__, positions)),  # not `CardKind()`: 1 µs
            map(self.muscle_ids.__getitem__, positions),
            map(self.trigger_point_ids.__getitem__, positions),
            strict=True,
        )
        return list(map(partial(tuple.__new__, CardHead), columns))  # each as `CardHead._make` makes it

    def with_heads(self, heads: Sequence[CardHead]) -> DeckIndex:
        """The deck with `heads` after its own cards: the quiz's contrast cards, made from a student's mistakes.
        Their keys are added to the fingerprint as they are (after a digest of fixed length, as exact)."""
        if not heads:
            return self
        more = _columns(heads)
        keys, kinds, muscle_ids, trigger_point_ids = (
            mine + theirs for mine, theirs in zip(self[:4], more, strict=True)
        )
        fingerprint = self.fingerprint + "\0".join(("", *more[0])).encode()
        return DeckIndex(keys, kinds, muscle_ids, trigger_point_ids, self.muscle_names, fingerprint)


def _columns(
    heads: Sequence[CardHead],
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str | None, ...]]:
    return (
        tuple(h.key for h in heads),
        tuple(h.kind.value for h in heads),
        tuple(h.muscle_id for h in heads),
        tuple(h.trigger_point_id for h in heads),
    )


_Span = tuple[int, int]  # (start, end) in the cache's body


class _Layout(NamedTuple):
    """Where the parts of the content lie in a cache's body, each pickled alone: the facts' frame
    (folder and glossary), every muscle in outline, each muscle whole, the digests, and the cards
    in runs (a muscle's, or up to `_RUN` of the cards made by inverting the facts). A card is read
    with its few neighbours, and a muscle alone, not with the thousands of others."""

    frame: _Span
    outlines: _Span
    patterns: _Span  # the distinct referral patterns (`decks.outline.referral_patterns`): wrong answers' pool
    muscles: tuple[_Span, ...]
    muscle_outlines: tuple[_Span, ...]  # each muscle's outline alone, in the order of `muscles`
    digests: _Span
    questions: _Span  # each card's question, the first line of its front: for `stats`, not a quiz's start
    run_starts: tuple[int, ...]  # the position in the deck of each run's first card
    runs: tuple[_Span, ...]


class _Parts(Protocol):
    def facts(self) -> Facts: ...
    def roster(self) -> Roster: ...
    def digests(self) -> dict[str, str]: ...
    def questions(self) -> tuple[str, ...]: ...
    def cards(self) -> tuple[Card, ...]: ...
    def card(self, position: int) -> Card: ...


class LoadedFacts:
    """A folder's deck index at once; its facts, cards and digests each when first asked for; and
    from a cache, every muscle in outline with each whole only when asked for (`roster`), and a
    single card with only its run of neighbours (`card`)."""

    def __init__(self, index: DeckIndex, parts: _Parts) -> None:
        self.index = index
        self._parts = parts

    @cached_property
    def facts(self) -> Facts:
        return self._parts.facts()

    @cached_property
    def roster(self) -> Roster:
        return self.facts if "facts" in vars(self) else self._parts.roster()

    @cached_property
    def cards(self) -> tuple[Card, ...]:
        return self._parts.cards()

    @cached_property
    def digests(self) -> dict[str, str]:
        return self._parts.digests()

    @cached_property
    def questions(self) -> tuple[str, ...]:
        """Each card's question (the first line of its front), in deck order: what `stats` names a card by."""
        return self._parts.questions()

    @property
    def content(self) -> Content:
        return Content(self.facts, self.cards, self.digests)

    def card(self, key: str) -> Card:
        """The card with `key` (one of `index.keys`), read with its run alone if the cards were not all read.
        Found by a search of the keys, a fraction of a millisecond for a question, where a dictionary of
        them took 1.5 ms of every quiz start on a thousand muscles."""
        position = self.index.keys.index(key)
        return self.cards[position] if "cards" in vars(self) else self._parts.card(position)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LoadedFacts) and (self.index, self.content) == (other.index, other.content)

    __hash__ = None  # type: ignore[assignment]  # equal by content, which is not hashable


class _InMemory:
    """The parts of content just read."""

    def __init__(self, content: Content) -> None:
        self._content = content

    def facts(self) -> Facts:
        return self._content.facts

    def roster(self) -> Roster:
        return self._content.facts

    def digests(self) -> dict[str, str]:
        return self._content.digests

    def questions(self) -> tuple[str, ...]:
        return _questions(self._content.cards)

    def cards(self) -> tuple[Card, ...]:
        return self._content.cards

    def card(self, position: int) -> Card:
        return self._content.cards[position]


class _CacheFile:
    """The parts of a cache file, each read when first asked for from the file opened (a cache
    written meanwhile replaces the file, not this one's content). A part found damaged, or the
    file changed in place, gives way to the content read afresh from the folder, for every
    part from then on."""

    def __init__(self, descriptor: int, body: int, layout: _Layout, index: DeckIndex, directory: Path) -> None:
        self._descriptor = descriptor
        self._opened = _version(os.fstat(descriptor))
        self._body = body
        self._layout = layout
        self._muscle_ids = index.muscle_names  # in the facts' order: a muscle is read whole by its id alone
        self._directory = directory
        self._loaded: dict[_Span, object] = {}  # the muscles and runs read so far
        self._afresh: Content | None = None
        weakref.finalize(self, os.close, descriptor)

    def _part(self, span: _Span, kind: type[_T]) -> _T | None:
        """The part at `span` if it is a sound `kind`; else None, the content read afresh."""
        if self._afresh is None:
            with contextlib.suppress(Exception):  # anything damage raises
                if _version(os.fstat(self._descriptor)) != self._opened:
                    raise OSError("changed in place since its header was read")
                os.lseek(self._descriptor, self._body + span[0], os.SEEK_SET)
                part = _unpickle(os.read(self._descriptor, span[1] - span[0]))
                if isinstance(part, kind):
                    return part
            self._read_afresh()
        return None

    def _kept(self, span: _Span, kind: type[_T]) -> _T | None:
        """`_part`, each read once."""
        if span not in self._loaded and (part := self._part(span, kind)) is not None:
            self._loaded[span] = part
        return self._loaded.get(span)  # type: ignore[return-value]

    def facts(self) -> Facts:
        from decks.model import Facts, Muscle

        frame = self._part(self._layout.frame, tuple)
        muscles = [self._kept(span, Muscle) for span in self._layout.muscles]
        if self._afresh is not None or frame is None:
            return self._read_afresh().facts
        directory, glossary = frame
        return _frozen(Facts(tuple(muscles), directory, glossary))  # type: ignore[arg-type]  # none is None: no damage

    def roster(self) -> Roster:
        return _CachedRoster(self._muscle_ids, self)

    def outlines(self) -> Sequence[MuscleOutline]:
        outlines = self._part(self._layout.outlines, tuple)
        return self._read_afresh().facts.muscles if outlines is None else outlines

    def patterns(self) -> Sequence[ReferralPattern]:
        patterns = self._part(self._layout.patterns, tuple)
        return self._read_afresh().facts.referral_patterns if patterns is None else patterns

    def outline(self, number: int) -> MuscleOutline:
        from decks.outline import MuscleOutline

        outline = self._kept(self._layout.muscle_outlines[number], MuscleOutline)
        return self._read_afresh().facts.muscles[number] if outline is None else outline

    def muscle(self, number: int) -> Muscle:
        from decks.model import Muscle

        muscle = self._kept(self._layout.muscles[number], Muscle)
        return self._read_afresh().facts.muscles[number] if muscle is None else muscle

    def digests(self) -> dict[str, str]:
        digests = self._part(self._layout.digests, dict)
        return self._read_afresh().digests if digests is None else digests

    def questions(self) -> tuple[str, ...]:
        questions = self._part(self._layout.questions, tuple)
        return _questions(self._read_afresh().cards) if questions is None else questions

    def cards(self) -> tuple[Card, ...]:
        runs = [self._kept(span, tuple) for span in self._layout.runs]
        if self._afresh is not None:
            return self._afresh.cards
        return _frozen(tuple(itertools.chain.from_iterable(run for run in runs if run is not None)))

    def card(self, position: int) -> Card:
        number = bisect.bisect_right(self._layout.run_starts, position) - 1
        run = self._kept(self._layout.runs[number], tuple)
        return self._read_afresh().cards[position] if run is None else run[position - self._layout.run_starts[number]]

    def _read_afresh(self) -> Content:
        if self._afresh is None:
            self._afresh = _read(self._directory)
        return self._afresh


class _CachedRoster:
    """Every muscle of a cache in outline, the referral patterns, and each muscle whole, read from the
    cache when first asked for: a quiz whose first question names no other muscle reads none of them."""

    def __init__(self, ids: Iterable[str], cache: _CacheFile) -> None:
        self._numbers = {muscle_id: number for number, muscle_id in enumerate(ids)}
        self._cache = cache

    @cached_property
    def muscles(self) -> Sequence[MuscleOutline]:
        return self._cache.outlines()

    @cached_property
    def referral_patterns(self) -> Sequence[ReferralPattern]:
        return self._cache.patterns()

    def muscle(self, muscle_id: str) -> Muscle:
        return self._cache.muscle(self._numbers[muscle_id])

    def outline(self, muscle_id: str) -> MuscleOutline:
        """From every muscle's outlines once they were read; before, its own outline alone (a small part
        of the cache, where the outlines are a thousand muscles')."""
        number = self._numbers[muscle_id]
        return self.muscles[number] if "muscles" in vars(self) else self._cache.outline(number)


def load(directory: Path, cache_dir: Path | None) -> LoadedFacts:
    """The facts of `directory` with their cards, from `cache_dir` when nothing changed since.

    Raises FactsInvalid as `decks.loader.load_facts` does; `cache_dir` None reads afresh.
    From the cache, the index is read at once and the rest only when asked for; a part
    found damaged then is read afresh from the folder.
    """
    sources = _sources(directory) if cache_dir is not None and directory.is_dir() else None
    if cache_dir is None or sources is None:  # a folder with a problem: the full load reports it
        return _fresh(_read(directory))
    # Named by a checksum of the folder's path: two folders that share one take turns (the key tells them apart).
    file = cache_dir / f"facts-{zlib.crc32(os.fsencode(directory.absolute())):08x}.pickle"
    key = _key(sources)
    if (hit := _hit(file, key, directory)) is not None:
        return hit
    settled = not _racy(sources, time.time_ns())  # asked before reading: an edit while reading is a later miss
    loaded = _fresh(_read(directory))
    if settled:
        from decks.atomic import OutputError  # only when writing

        with contextlib.suppress(OutputError):
            _write(file, key, loaded)
    return loaded


def _hit(file: Path, key: bytes, directory: Path) -> LoadedFacts | None:
    """The cache in `file` when it begins with `key`: its index read, the rest left for later."""
    descriptor = None
    with contextlib.suppress(Exception):  # anything a damaged file raises: a miss
        descriptor = os.open(file, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        with open(descriptor, "rb", buffering=0, closefd=False) as cached:
            if cached.read(len(key)) == key:
                length = int.from_bytes(cached.read(_LENGTH), "big")
                header = _unpickle(cached.read(length))
                if isinstance(header, tuple) and len(header) == 2:
                    index, layout = header
                    if isinstance(index, DeckIndex) and isinstance(layout, _Layout):
                        parts = _CacheFile(descriptor, len(key) + _LENGTH + length, layout, index, directory)
                        return LoadedFacts(index, parts)  # the parts now own the descriptor
    if descriptor is not None:
        os.close(descriptor)
    return None


def _write(file: Path, key: bytes, loaded: LoadedFacts) -> None:
    from decks.atomic import write_atomically
    from decks.outline import MuscleOutline

    content = loaded.content
    facts = content.facts
    run_starts = _run_starts(content.cards)
    ends = [*run_starts[1:], len(content.cards)]
    runs = [content.cards[start:end] for start, end in zip(run_starts, ends, strict=True)]
    frame, outlines = (facts.directory, facts.glossary), tuple(MuscleOutline.of(m) for m in facts.muscles)
    parts = (
        frame,
        outlines,
        content.digests,
        _questions(content.cards),
        facts.referral_patterns,
        *facts.muscles,
        *outlines,  # each alone too: a question drawing one trigger point reads its muscle's outline alone
        *runs,
    )
    pieces = [pickle.dumps(part, pickle.HIGHEST_PROTOCOL) for part in parts]
    spans = list(itertools.pairwise(itertools.accumulate(map(len, pieces), initial=0)))
    muscles = len(facts.muscles)
    layout = _Layout(
        frame=spans[0],
        outlines=spans[1],
        patterns=spans[4],
        muscles=tuple(spans[5 : 5 + muscles]),
        muscle_outlines=tuple(spans[5 + muscles : 5 + 2 * muscles]),
        digests=spans[2],
        questions=spans[3],
        run_starts=tuple(run_starts),
        runs=tuple(spans[5 + 2 * muscles :]),
    )
    header = pickle.dumps((loaded.index, layout), pickle.HIGHEST_PROTOCOL)
    write_atomically(file, b"".join([key, len(header).to_bytes(_LENGTH, "big"), header, *pieces]), create_folder=True)


def _questions(cards: Sequence[Card]) -> tuple[str, ...]:
    return tuple(card.front.split("\n", 1)[0] for card in cards)


def _run_starts(cards: Sequence[Card]) -> list[int]:
    """Where each run of cards begins: a new muscle, or `_RUN` cards of one."""
    starts: list[int] = []
    for position, card in enumerate(cards):
        if not starts or card.muscle_id != cards[position - 1].muscle_id or position - starts[-1] >= _RUN:
            starts.append(position)
    return starts


def _version(status: os.stat_result) -> tuple[int, int]:
    """A file's size and modification time: a write in place moves them (its change time moves too
    when the file is replaced, so it cannot tell)."""
    return status.st_size, status.st_mtime_ns


def _fresh(content: Content) -> LoadedFacts:
    return LoadedFacts(DeckIndex.of(content), _InMemory(content))


def _unpickle(data: bytes | memoryview) -> object:
    """pickle.loads without the cyclic garbage collector walking what it makes.

    Every object loaded is new and lives as long as the command, yet collections walked
    them all, again and again: three quarters of the time of a large deck's load. The
    collector is paused while loading; a whole load is then frozen (`_frozen`).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return pickle.loads(data)
    finally:
        if was_enabled:
            gc.enable()


def _frozen(loaded: _T) -> _T:
    """`loaded`, a whole load of facts or cards, left out of later collections (`gc.freeze`): it lives
    as long as the command. A single card or muscle read later is not worth it, and a freeze keeps
    whatever else is alive then, garbage cycles too, for good."""
    gc.freeze()
    return loaded


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
        return [*_package_stats(), *found]
    except OSError:
        return None


def _key(sources: _Sources) -> bytes:
    """The first bytes of a cache made from `sources`: format, length, version and each file's status."""
    body = __version__.encode() + b"\n" + b"".join(_status_line(path, status) for path, status in sources)
    return b"%s %d\n" % (_FORMAT, len(body)) + body


def _racy(sources: _Sources, now: int) -> bool:
    """Whether a source changed within `_RACY_NS` before `now` (ns since the epoch)."""
    return any(max(status.st_mtime_ns, status.st_ctime_ns) >= now - _RACY_NS for _, status in sources)


def _status_line(path: str, status: os.stat_result) -> bytes:
    times = f"{status.st_mtime_ns}\0{status.st_ctime_ns}"
    return f"{path}\0{status.st_size}\0{times}\0{status.st_ino}\n".encode()


def _package_stats() -> _Sources:
    """myodeck's own modules and data, with their status: cards change with the code that derives them.
    Listed as `os.walk` lists them, folders in name order, with the status the listing has: no `Path`s."""
    found: _Sources = []
    pending = [str(_PACKAGE)]
    while pending:
        with os.scandir(pending.pop()) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
        folders = [entry.path for entry in entries if entry.is_dir() and entry.name != "__pycache__"]
        found += [(entry.path, entry.stat()) for entry in entries if not entry.is_dir()]
        pending += reversed(folders)  # the first folder is read next, as `os.walk` goes down
    return found
