"""Validated facts and their cards kept between runs, so a command starts without re-reading YAML.

Reading and validating the fact files and deriving their cards is half of the quiz's
start-up (about 80 of 170 ms). What was read is pickled under the user cache folder
together with a key naming everything it came from: myodeck's version, the stat of
every module and data file of the package (path, size, modification time, inode: an
edited checkout changes the key) and the path and content of every fact file (reading
them is a millisecond; an edit, a new or a removed file changes the key however
coarse the file system's clock). Only facts that loaded without an error are stored. A missing,
stale, corrupt or unwritable cache costs the full load, never a result.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
from dataclasses import dataclass
from pathlib import Path

from decks import __version__
from decks.card_dates import card_digest
from decks.cards import Card, derive_cards
from decks.fact_folder import Unreadable, fact_files, read_fact_file
from decks.model import Facts

_PACKAGE = Path(__file__).parent
_FORMAT = b"myodeck-facts-1"


@dataclass(frozen=True)
class LoadedFacts:
    """The facts of a folder, every card they give, and each card's content digest."""

    facts: Facts
    cards: tuple[Card, ...]
    digests: dict[str, str]  # card key -> its content digest (`decks.card_dates.card_digest`)


def load(directory: Path, cache_dir: Path | None) -> LoadedFacts:
    """The facts of `directory` with their cards, from `cache_dir` when nothing changed since.

    Raises FactsInvalid as `decks.loader.load_facts` does; `cache_dir` None reads afresh.
    """
    key = _key(directory) if cache_dir is not None else None
    if key is None or cache_dir is None:
        return _read(directory)
    file = cache_dir / f"facts-{hashlib.sha256(os.fsencode(directory.absolute())).hexdigest()[:16]}.pickle"
    with contextlib.suppress(Exception):  # whatever a damaged or foreign file raises, it is a miss
        data = file.read_bytes()
        if data.startswith(key):
            loaded = pickle.loads(data[len(key) :])
            if isinstance(loaded, LoadedFacts):
                return loaded
    loaded = _read(directory)
    from decks.atomic import OutputError, write_atomically  # only when writing

    with contextlib.suppress(OutputError):
        write_atomically(file, key + pickle.dumps(loaded, pickle.HIGHEST_PROTOCOL), create_folder=True)
    return loaded


def _read(directory: Path) -> LoadedFacts:
    from decks.loader import load_facts

    facts = load_facts(directory)
    cards = tuple(derive_cards(facts))
    return LoadedFacts(facts, cards, {card.key: card_digest(card, facts) for card in cards})


def _key(directory: Path) -> bytes | None:
    """A digest of what the facts and cards are made from; None when the folder has a problem."""
    if not directory.is_dir():
        return None
    found, problems = fact_files(directory)
    if problems:
        return None
    digest = hashlib.sha256(_FORMAT + __version__.encode())
    try:
        for path in _package_files():
            status = path.stat()
            digest.update(f"{path}\0{status.st_size}\0{status.st_mtime_ns}\0{status.st_ino}\n".encode())
        for path in found:
            content = read_fact_file(path)
            digest.update(f"{path}\0{len(content)}\n".encode() + content)
    except (OSError, Unreadable):  # the full load reports it
        return None
    return _FORMAT + b":" + digest.hexdigest().encode() + b"\n"


def _package_files() -> list[Path]:
    """myodeck's own modules and data: cards change with the code that derives them."""
    files: list[Path] = []
    for root, folders, names in os.walk(_PACKAGE):
        folders[:] = sorted(folder for folder in folders if folder != "__pycache__")
        files.extend(Path(root, name) for name in sorted(names))
    return files
