"""Trigger-point diagrams drawn with matplotlib.

Only this module is light to import; the drawing modules pull in matplotlib, so
callers import them where pictures are actually needed (never on quiz start-up).
"""

from enum import StrEnum


class Variant(StrEnum):
    """Which marks a picture shows: `location` the X, `pattern` the zones, `full` both."""

    LOCATION = "location"
    PATTERN = "pattern"
    FULL = "full"
