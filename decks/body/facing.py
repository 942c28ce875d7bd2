"""Which way a foot panel is turned: a word the picture specs use, kept apart from the cameras.

A spec names the facing without needing the cameras (`decks.body.views`) and the body's
geometry behind them, so the quiz and a warm build load neither.
"""

from __future__ import annotations

from enum import StrEnum


class Facing(StrEnum):
    """Which way a foot panel is turned: like the back of the body beside it, or like the front."""

    BEHIND = "behind"
    FRONT = "front"
