"""Where myodeck keeps what it can always make again (pictures, read facts), and students' reviews.

The folders are the platform's per-user ones, as `platformdirs` names them. On Linux its
rule is the XDG one and is followed here without importing it: the import, with the
regular expressions and `tempfile` it brings, was 2 to 3 ms of every quiz start. A test
checks the two agree.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Literal

from decks.errors import MyodeckError

_XDG = {"cache": ("XDG_CACHE_HOME", ".cache"), "data": ("XDG_DATA_HOME", ".local/share")}


def cache_dir(kind: str) -> Path:
    """`$MYODECK_CACHE/<kind>`, else `<kind>` in the platform's user cache folder (`~/.cache/myodeck`)."""
    if env := os.environ.get("MYODECK_CACHE"):
        return Path(env) / kind
    return user_folder("cache") / kind


def user_folder(purpose: Literal["cache", "data"]) -> Path:
    """myodeck's per-user cache or data folder (`~/.cache/myodeck`, `~/.local/share/myodeck`)."""
    if sys.platform != "linux":
        from platformdirs import user_cache_dir, user_data_dir

        named = user_cache_dir if purpose == "cache" else user_data_dir
        return Path(named("myodeck", appauthor=False))
    variable, default = _XDG[purpose]
    if os.path.isabs(base := os.environ.get(variable, "")):
        return Path(base, "myodeck")
    return Path(_home(), default, "myodeck")


def _home() -> str:
    """$HOME when it is an absolute path, else the account's home folder (a relative HOME is unset)."""
    home = os.environ.get("HOME", "")
    if os.path.isabs(home):
        return home
    import pwd

    try:
        return pwd.getpwuid(os.getuid()).pw_dir
    except KeyError:  # an account the system does not list (a container's bare uid)
        raise MyodeckError("cannot tell your home folder: set HOME, or MYODECK_DB and MYODECK_CACHE") from None
