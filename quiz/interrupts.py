"""Ctrl-C held back for a moment, so that saving something and counting it happen together; and
never lost where Python can only print it."""

from __future__ import annotations

import signal
import sys
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


class KeptInterrupts:
    """While entered, a Ctrl-C that Python could only print is kept, to be raised where it can be.

    Ctrl-C raises KeyboardInterrupt in whatever Python code runs at that moment. When
    that is a weakref callback or a finalizer (the import system runs one at the end
    of every import), the exception cannot propagate: Python prints "Exception
    ignored" with a traceback and carries on, and a quiz would sit waiting for a key
    as if Ctrl-C had never been pressed. Here such an interrupt is kept instead,
    without the traceback, and `raise_kept` raises it: the consoles ask just before
    they wait for a key or a line, when a Ctrl-C pressed from then on reaches the wait
    itself (as a key in raw mode, or as an interrupt of the wait).
    """

    def __init__(self) -> None:
        self._kept = False
        self._previous = sys.unraisablehook

    def __enter__(self) -> KeptInterrupts:
        self._previous = sys.unraisablehook
        sys.unraisablehook = self._unraisable
        return self

    def __exit__(self, *exc: object) -> None:
        sys.unraisablehook = self._previous

    def _unraisable(self, unraisable: sys.UnraisableHookArgs) -> None:
        if unraisable.exc_type is not None and issubclass(unraisable.exc_type, KeyboardInterrupt):
            self._kept = True
        else:
            self._previous(unraisable)

    def raise_kept(self) -> None:
        """Raise the KeyboardInterrupt of a Ctrl-C kept since the last call, if any."""
        if self._kept:
            self._kept = False
            raise KeyboardInterrupt
