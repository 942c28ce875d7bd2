"""The key a picture is cached under: its spec and everything that draws it.

Kept free of matplotlib and numpy (their versions are read from their files, not by
importing them), so a build whose pictures are all cached never loads them.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
from functools import cache
from pathlib import Path

from decks.body import DATA
from decks.diagrams.spec import PictureSpec, plain

# The drawing code and data; a change to any of them redraws every picture.
_DRAWING_MODULES = (
    "decks.body.facing",
    "decks.body.layout",
    "decks.body.mesh",
    "decks.body.muscle_shapes",
    "decks.body.raster",
    "decks.body.region_shapes",
    "decks.body.surface",
    "decks.body.views",
    "decks.diagrams.render",
    "decks.diagrams.spec",
    "decks.regions",
)
_DATA_FILES = ("lower-body.npz",)
# The libraries that draw, by the file that holds each one's version.
_LIBRARY_VERSIONS = (
    ("matplotlib", "_version.py"),
    ("PIL", "_version.py"),
    ("numpy", "version.py"),
    ("contourpy", "_version.py"),
)


def cache_key(spec: PictureSpec) -> str:
    """Content hash of the spec and of the drawing code and data that render it."""
    payload = json.dumps(plain(spec), sort_keys=True, default=str)
    own = "".join(_module_digest(m) for m in (type(spec).__module__, spec.renderer) if m not in _DRAWING_MODULES)
    return hashlib.sha256((renderer_version() + own + payload).encode()).hexdigest()[:24]


@cache
def _module_digest(module: str) -> str:
    """A picture kind's own code beyond the shared drawing code (the occlusion pictures')."""
    return hashlib.sha256(Path(_origin(module)).read_bytes()).hexdigest()[:16]


@cache
def renderer_version() -> str:
    """Changes whenever the drawing code, the body model or the drawing libraries change."""
    digest = hashlib.sha256(drawing_sources())
    for package, version_file in _LIBRARY_VERSIONS:
        digest.update(package.encode())
        digest.update((Path(_origin(package)).parent / version_file).read_bytes())
    return digest.hexdigest()[:16]


def drawing_sources() -> bytes:
    """Our own drawing code and body data, in a fixed order: what `PICTURES_REVISION` is pinned to
    (`tests/test_anki_package.py`), without the libraries, whose versions vary from one install to another."""
    modules = b"".join(Path(_origin(module)).read_bytes() for module in _DRAWING_MODULES)
    return modules + b"".join((DATA / name).read_bytes() for name in _DATA_FILES)


def _origin(module: str) -> str:
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        raise RuntimeError(f"cannot find {module}")  # an installation error, never the user's input
    return spec.origin
