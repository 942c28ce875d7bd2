"""Which colours the terminal can show: kept tiny, since every quiz start reads it."""

from __future__ import annotations

import os
from collections.abc import Mapping
from enum import Enum


class ColorMode(Enum):
    TRUECOLOR = "truecolor"
    COLOR256 = "256"
    NONE = "none"


def detect_color_mode(stream_is_tty: bool, environ: Mapping[str, str] = os.environ) -> ColorMode:
    """Truecolor where the terminal says so, else 256 colours; none for NO_COLOR or a pipe."""
    if environ.get("NO_COLOR") or not stream_is_tty or environ.get("TERM") == "dumb":
        return ColorMode.NONE
    if environ.get("COLORTERM", "").lower() in ("truecolor", "24bit"):
        return ColorMode.TRUECOLOR
    return ColorMode.COLOR256
