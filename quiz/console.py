"""The real terminal behind the quiz's Console: click for keys, input() for typed lines."""

from __future__ import annotations

import sys

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
