"""Trigger-point diagrams drawn with matplotlib.

Only this module is light to import; the drawing modules pull in matplotlib, so
callers import them where pictures are actually needed (never on quiz start-up).
"""

from enum import StrEnum


class Variant(StrEnum):
    """Which marks a picture shows: `location` the X, `pattern` the zones, `full` both; `pain-map`
    the essential zone alone, as a client's pain (a pain-map card's question)."""

    LOCATION = "location"
    PATTERN = "pattern"
    FULL = "full"
    PAIN_MAP = "pain-map"


# The pictures of a trigger point itself, which `myodeck render` and `gallery` draw.
TRIGGER_POINT_VARIANTS = (Variant.LOCATION, Variant.PATTERN, Variant.FULL)
