"""Ctrl-C held back for a moment, so that saving something and counting it happen together."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def interrupts_deferred() -> Iterator[None]:
    """Run the block without being interrupted by Ctrl-C; one pressed meanwhile takes effect just after.

    Without it, Ctrl-C could land between a save and its count (the summary would
    then miss an answer that is in the database), or between a write and the note
    that it was written (and the class would report a file it did not finish).
    """
    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers run in the main thread only; there is nothing to hold back here
        return
    pressed: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: pressed.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if pressed:
            if callable(previous):
                previous(signal.SIGINT, None)  # Python's own handler raises KeyboardInterrupt
            elif previous == signal.SIG_DFL:
                raise KeyboardInterrupt
