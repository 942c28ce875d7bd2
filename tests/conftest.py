"""Shared fixtures: no test may touch the real home directory, cache or database."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest

from decks.cards import Card
from decks.fact_cache import DeckIndex
from decks.model import Facts


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.delenv("MYODECK_DB", raising=False)
    monkeypatch.delenv("MYODECK_CACHE", raising=False)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


@pytest.fixture
def bundled_facts_dir() -> Path:
    from source_facts import bundled_facts_dir

    return bundled_facts_dir()


@pytest.fixture(scope="session")
def facts() -> Facts:
    """The bundled facts, loaded once for every test that reads them."""
    from decks.loader import load_facts
    from source_facts import bundled_facts_dir

    return load_facts(bundled_facts_dir())


@contextmanager
def read_only(path: Path) -> Iterator[None]:
    """`path` (a file or a folder) unwritable for this test: by its mode, or as root (whom modes do not
    stop) by the immutable attribute; the test is skipped where neither can be had."""
    if os.geteuid() != 0:
        mode = path.stat().st_mode
        path.chmod(mode & ~0o222)
        try:
            yield
        finally:
            path.chmod(mode)
        return
    chattr = shutil.which("chattr")
    if chattr is None or subprocess.run([chattr, "+i", str(path)], capture_output=True, check=False).returncode:
        pytest.skip("running as root, and chattr +i is not available to make a file read-only")
    try:
        yield
    finally:
        subprocess.run([chattr, "-i", str(path)], check=True)


@pytest.fixture
def ctrl_c() -> Iterator[None]:
    """SIGINT raises KeyboardInterrupt in this test, as at a terminal, even when the suite runs with it
    ignored (a shell starts background jobs so)."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def in_brief(cards: Sequence[Card]) -> tuple[DeckIndex, Callable[[str], Card]]:
    """What `quiz.session.run_quiz` takes of a deck: its cards in brief (the muscles' names, for `stats`,
    left out), and each whole by its key."""
    return DeckIndex.of_heads([card.head for card in cards], {}), {card.key: card for card in cards}.__getitem__
