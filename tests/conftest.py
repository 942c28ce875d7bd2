"""Shared fixtures: no test may touch the real home directory, cache or database."""

from __future__ import annotations

from pathlib import Path

import pytest

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
