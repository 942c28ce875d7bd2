"""A pseudo-terminal read through a terminal emulator (pyte): tests check what is on the screen, not the bytes."""

from __future__ import annotations

import os
import re
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pexpect
import pyte

_IMAGE_ESCAPE = re.compile(r"\x1b[_P].*?\x1b\\", re.S)


class VirtualTerminal:
    """`myodeck ARGS` in a pseudo-terminal of `rows` x `cols`, its output kept as a screen and as raw text."""

    def __init__(self, args: list[str], rows: int, cols: int, env: dict[str, str], cwd: Path) -> None:
        exe = shutil.which("myodeck", path=str(Path(sys.executable).parent))
        assert exe
        self.child = pexpect.spawn(
            exe, args, cwd=str(cwd), env={**os.environ, **env}, encoding="utf-8", dimensions=(rows, cols), timeout=20
        )
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.Stream(self.screen)
        self.raw = ""
        self._pending = ""

    @property
    def text(self) -> str:
        """The screen as it is now: one line per row, trailing spaces cut."""
        return "\n".join(line.rstrip() for line in self.screen.display)

    def _read(self, wait: float) -> bool:
        try:
            data = self.child.read_nonblocking(1 << 16, timeout=wait)
        except pexpect.TIMEOUT:
            return False
        self._feed(data)
        return True

    def _feed(self, data: str) -> None:
        """Keep the bytes; show pyte all but image escapes (kitty's APC, sixel's DCS), which it would print
        as text where a real terminal paints a picture; one cut off at the end waits for the rest."""
        self.raw += data
        self._pending += data
        shown = _IMAGE_ESCAPE.sub("", self._pending)
        cut = re.search(r"\x1b[_P][^\x1b]*(?:\x1b(?!\\)[^\x1b]*)*$|\x1b$", shown)
        self._pending = shown[cut.start() :] if cut else ""
        self.stream.feed(shown[: cut.start()] if cut else shown)

    def wait_for(self, *texts: str, absent: tuple[str, ...] = (), flat: bool = False, timeout: float = 20) -> str:
        """Read until every one of `texts` is on the screen at once, and none of `absent`; return the screen.
        With `flat`, the screen and the texts are compared with their whitespace normalised, so a text
        wrapped across lines is found."""

        def norm(text: str) -> str:
            return " ".join(text.split()) if flat else text

        wanted, unwanted = [norm(t) for t in texts], [norm(t) for t in absent]
        return self.wait_until(
            lambda screen: all(t in norm(screen) for t in wanted) and not any(t in norm(screen) for t in unwanted),
            f"{texts!r}" + (f" without {absent!r}" if absent else ""),
            timeout,
        )

    def wait_until(self, shows: Callable[[str], bool], what: str = "the awaited screen", timeout: float = 20) -> str:
        """Read until `shows(screen)` holds; return the screen."""
        deadline = time.monotonic() + timeout
        while not shows(self.text):
            if time.monotonic() > deadline:
                raise AssertionError(f"not on the screen: {what}\n{self.text}")
            try:
                self._read(0.1)
            except pexpect.EOF:
                if not shows(self.text):
                    raise AssertionError(f"exited; not on the screen: {what}\n{self.text}") from None
                break
        while self._safe_read(0.15):  # let the rest of this screen arrive
            pass
        return self.text

    def _safe_read(self, wait: float) -> bool:
        try:
            return self._read(wait)
        except pexpect.EOF:
            return False

    def send(self, keys: str) -> None:
        self.child.send(keys)

    def finish(self) -> str:
        """Read to the end of the program; the screen then."""
        self.child.expect(pexpect.EOF)
        self._feed(self.child.before)
        self.child.close()
        return self.text

    def resize(self, rows: int, cols: int) -> None:
        """Resize the terminal, as a user dragging the window's corner (the program gets SIGWINCH)."""
        self.screen.resize(rows, cols)
        self.child.setwinsize(rows, cols)


def end_quiz(term: VirtualTerminal) -> str:
    """Past a quiz's end screen (Enter ends it; u would undo the last answer) to the end of the program;
    the screen then."""
    term.wait_for("── End of session")
    term.send("\r")
    return term.finish()
