"""Where myodeck keeps what it can always make again (pictures, read facts)."""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir(kind: str) -> Path:
    """`$MYODECK_CACHE/<kind>`, else `<kind>` in the platform's user cache folder (`~/.cache/myodeck`)."""
    if env := os.environ.get("MYODECK_CACHE"):
        return Path(env) / kind
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("myodeck")) / kind
