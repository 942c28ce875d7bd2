"""The real terminal behind the quiz's and the class's consoles: keys in, whole screens out.

On a terminal each card or question is one screen, redrawn in place and fitted to the
window (`quiz.screen`); to a pipe the lines are written as they come, as a log.
"""

from __future__ import annotations

import os
import re
import select
import sys
import termios
import time
import tty

import click

from quiz.colors import detect_color_mode
from quiz.images import ImageMode, drawer_for
from quiz.interrupts import KeptInterrupts
from quiz.screen import FullScreen, LogScreen, Picture
from quiz.session import Quit

_ENTER = "\r\n"
# A key a terminal sends as several bytes (an arrow, a function key): one key, that nothing takes.
_ESCAPE_KEY = r"\x1b(?:\[[0-?]*[ -/]*[@-~]|O.|.)?"
TYPED_AHEAD = 3  # keys arriving together that are each taken in turn; more at once are a paste


class _ScreenConsole:
    """What both consoles share: the screen that the session's lines and pictures go to."""

    def __init__(self, images: ImageMode) -> None:
        on_terminal = sys.stdout.isatty()
        self.color_mode = detect_color_mode(on_terminal)
        drawer = drawer_for(images, self.color_mode, on_terminal)
        self.screen = FullScreen(drawer) if on_terminal else LogScreen(drawer)
        self.interrupts = KeptInterrupts()

    def clear(self) -> None:
        self.screen.clear()

    def write(self, text: str = "") -> None:
        self.screen.write(text)

    def picture(self, picture: Picture) -> None:
        self.screen.picture(picture)

    def retract(self) -> None:
        self.screen.amend("")

    def _typed_line(self, prompt: str) -> str:
        """A line typed after `prompt`, which stays on the screen with what was typed."""
        if isinstance(self.screen, LogScreen):
            click.echo(prompt, nl=False)
            self.interrupts.raise_kept()
            return input()
        self.screen.write(prompt)
        self.screen.render()
        self.interrupts.raise_kept()
        typed = input()
        self.screen.amend(prompt + typed)
        return typed


class TerminalConsole(_ScreenConsole):
    """Reads single keys (q quits anywhere) and typed lines.

    Keys pressed while the quiz was busy (drawing the answer's picture, saving) arrive
    together: up to `TYPED_AHEAD` of them are taken in turn, so space then 3 typed quickly
    shows the answer and rates it. A longer burst is text pasted by mistake and is ignored
    whole, so a pasted command never answers a card.
    """

    def __init__(self, images: ImageMode) -> None:
        super().__init__(images)
        self._typed_ahead: list[str] = []

    def __enter__(self) -> TerminalConsole:
        self.interrupts.__enter__()
        self.screen.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.screen.__exit__(*exc)
        self.interrupts.__exit__(*exc)

    def _next_key(self) -> str:
        """A key press; from a pipe (scripts, tests) the next character, EOF ending the quiz."""
        if sys.stdin.isatty():
            return self._raw_key()
        self.interrupts.raise_kept()
        pressed = sys.stdin.read(1)
        if not pressed:
            raise EOFError
        return pressed

    def _raw_key(self) -> str:
        """A key press read in raw mode, where Ctrl-C and Ctrl-D are keys: read as `click.getchar` reads
        them, after a last look for a Ctrl-C pressed before the terminal turned raw (`KeptInterrupts`);
        a key typed ahead first. An empty string when a paste was read: no key."""
        if not self._typed_ahead:
            fd = sys.stdin.fileno()
            saved = termios.tcgetattr(fd)
            try:
                tty.setraw(fd)
                self.interrupts.raise_kept()
                read = os.read(fd, 64).decode(sys.stdin.encoding or "utf-8", "replace")
            finally:
                termios.tcsetattr(fd, termios.TCSADRAIN, saved)
            keys = split_keys(read)
            if "\x03" in keys:  # Ctrl-C wherever it came
                raise KeyboardInterrupt
            self._typed_ahead = keys if len(keys) <= TYPED_AHEAD else [""]
        pressed = self._typed_ahead.pop(0)
        if pressed == "\x04":
            raise EOFError
        return pressed

    def key(self, allowed: str) -> str:
        self.screen.render()
        while True:
            pressed = self._next_key().lower()
            if pressed == "q":
                raise Quit
            if pressed in _ENTER and any(k in _ENTER for k in allowed):
                return "\r"
            if pressed and pressed in allowed:
                return pressed

    def line(self, prompt: str) -> str:
        self._typed_ahead.clear()  # keys typed ahead of a prompt for a line are not part of it
        return self._typed_line(prompt)


def split_keys(read: str) -> list[str]:
    """The keys in what one read of a raw terminal gave: each character, an escape sequence whole."""
    keys: list[str] = []
    at = 0
    while at < len(read):
        end = re.compile(_ESCAPE_KEY).match(read, at).end() if read[at] == "\x1b" else at + 1  # type: ignore[union-attr]
        keys.append(read[at:end])
        at = end
    return keys


class ProjectorConsole(_ScreenConsole):
    """The class quiz's terminal, kept in cbreak mode while in use (keys arrive one by one,
    unechoed, Ctrl-C still interrupts): whole screens, a status line, keys that time out."""

    def __init__(self, images: ImageMode) -> None:
        super().__init__(images)
        self._saved: list | None = None
        self._remote: int | None = None

    def also_keys_from(self, fd: int) -> None:
        """Take key presses from `fd` too (the phone class's projector page has buttons for them)."""
        self._remote = fd

    def __enter__(self) -> ProjectorConsole:
        self.interrupts.__enter__()
        if sys.stdin.isatty():
            self._saved = termios.tcgetattr(sys.stdin.fileno())
            tty.setcbreak(sys.stdin.fileno())
        self.screen.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.screen.__exit__(*exc)
        if self._saved is not None:
            termios.tcsetattr(sys.stdin.fileno(), termios.TCSADRAIN, self._saved)
        self.interrupts.__exit__(*exc)

    def status(self, text: str) -> None:
        self.screen.footer = text
        self.screen.render()

    def key(self, allowed: str) -> str:
        pressed = self.key_within(allowed, None)
        assert pressed is not None
        return pressed

    def line(self, prompt: str) -> str:
        """A typed line, echoed and editable: the terminal leaves cbreak mode while it is typed."""
        if self._saved is None:
            return self._typed_line(prompt)
        cbreak = termios.tcgetattr(sys.stdin.fileno())
        termios.tcsetattr(sys.stdin.fileno(), termios.TCSADRAIN, self._saved)
        try:
            return self._typed_line(prompt)
        finally:
            termios.tcsetattr(sys.stdin.fileno(), termios.TCSADRAIN, cbreak)

    def key_within(self, allowed: str, seconds: float | None) -> str | None:
        self.screen.render()
        deadline = None if seconds is None else time.monotonic() + seconds
        while True:
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                return None
            sources = [sys.stdin.fileno(), *([self._remote] if self._remote is not None else [])]
            self.interrupts.raise_kept()
            ready = select.select(sources, [], [], left)[0]
            if not ready:
                return None
            data = os.read(ready[0], 1)
            if not data and ready[0] == self._remote:  # the page's server has stopped
                self._remote = None
                continue
            if not data:
                raise EOFError
            pressed = data.decode(errors="replace").lower()
            if pressed in _ENTER and any(k in _ENTER for k in allowed):
                return "\r"
            if pressed in allowed:
                return pressed
