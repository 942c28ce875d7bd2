"""Moments as the quiz schedules and stores them: aware, in UTC, written as fixed-width text.

Its own module so that `quiz.store` (and so `myodeck stats`) does not load the scheduler
and the FSRS package only to write a time.
"""

from __future__ import annotations

import datetime as dt


def as_utc(moment: dt.datetime) -> dt.datetime:
    """The same moment in UTC; a naive time is refused, since its zone would be a guess."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"naive datetime {moment.isoformat()}: pass a timezone-aware time")
    return moment.astimezone(dt.UTC)


def utc_text(moment: dt.datetime) -> str:
    """A moment as stored: UTC ISO 8601 to the microsecond, fixed width so text order is time order."""
    return as_utc(moment).isoformat(timespec="microseconds")
