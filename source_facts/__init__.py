"""The bundled fact files (YAML, one per muscle), shipped as package data."""

from importlib.resources import files
from pathlib import Path


def bundled_facts_dir() -> Path:
    """The directory of the fact files installed with myodeck."""
    return Path(str(files(__name__)))
