"""The real terminal behind the quiz's Console: click for keys, input() for typed lines."""

from __future__ import annotations

import os
import select
import sys
import termios
import time
import tty

import click

from quiz.colors import detect_color_mode
from quiz.session import Quit

_ENTER = "\r\n"


class TerminalConsole:
    """Reads single keys (q quits anywhere) and typed lines; writes plain lines."""

    def __init__(self, show_pictures: bool = True) -> None:
        self.color_mode = detect_color_mode(sys.stdout.isatty())
        self.show_pictures = show_pictures

    def write(self, text: str = "") -> None:
        click.echo(text)

    def _next_key(self) -> str:
        """A key press; from a pipe (scripts, tests) the next character, EOF ending the quiz."""
        if sys.stdin.isatty():
            return click.getchar()
        pressed = sys.stdin.read(1)
        if not pressed:
            raise EOFError
        return pressed

    def key(self, allowed: str) -> str:
        while True:
            pressed = self._next_key().lower()
            if pressed == "q":
                raise Quit
            if pressed in _ENTER and any(k in _ENTER for k in allowed):
                return "\r"
            if pressed and pressed in allowed:
                return pressed

    def line(self, prompt: str) -> str:
        click.echo(prompt, nl=False)
        return input()


class ProjectorConsole:
    """The class quiz's terminal, kept in cbreak mode while in use (keys arrive one by one,
    unechoed, Ctrl-C still interrupts): whole screens, a countdown line, keys that time out."""

    def __init__(self, show_pictures: bool = True) -> None:
        self.color_mode = detect_color_mode(sys.stdout.isatty())
        self.show_pictures = show_pictures
        self._saved: list | None = None

    def __enter__(self) -> ProjectorConsole:
        if sys.stdin.isatty():
            self._saved = termios.tcgetattr(sys.stdin.fileno())
            tty.setcbreak(sys.stdin.fileno())
        return self

    def __exit__(self, *exc: object) -> None:
        if self._saved is not None:
            termios.tcsetattr(sys.stdin.fileno(), termios.TCSADRAIN, self._saved)
        click.echo()

    def clear(self) -> None:
        click.echo("\x1b[2J\x1b[H" if sys.stdout.isatty() else "", nl=not sys.stdout.isatty())

    def write(self, text: str = "") -> None:
        click.echo(text)

    def status(self, text: str) -> None:
        if sys.stdout.isatty():
            click.echo(f"\r\x1b[K{text}", nl=False)
        else:
            click.echo(text)

    def key(self, allowed: str) -> str:
        pressed = self.key_within(allowed, None)
        assert pressed is not None
        return pressed

    def line(self, prompt: str) -> str:
        """A typed line, echoed and editable: the terminal leaves cbreak mode while it is typed."""
        if self._saved is None:
            return input(prompt)
        cbreak = termios.tcgetattr(sys.stdin.fileno())
        termios.tcsetattr(sys.stdin.fileno(), termios.TCSADRAIN, self._saved)
        try:
            return input(prompt)
        finally:
            termios.tcsetattr(sys.stdin.fileno(), termios.TCSADRAIN, cbreak)

    def key_within(self, allowed: str, seconds: float | None) -> str | None:
        deadline = None if seconds is None else time.monotonic() + seconds
        while True:
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                return None
            if not select.select([sys.stdin.fileno()], [], [], left)[0]:
                return None
            data = os.read(sys.stdin.fileno(), 1)
            if not data:
                raise EOFError
            pressed = data.decode(errors="replace").lower()
            if pressed in _ENTER and any(k in _ENTER for k in allowed):
                return "\r"
            if pressed in allowed:
                return pressed
