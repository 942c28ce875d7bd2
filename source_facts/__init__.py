"""The bundled fact files (YAML, one per muscle), shipped as package data."""

from pathlib import Path


def bundled_facts_dir() -> Path:
    """The directory of the fact files installed with myodeck (beside this module: the package is
    installed as files, and `importlib.resources` would cost the quiz's start-up 3 ms to say so)."""
    return Path(__file__).parent
