"""Text as the terminal shows it: its visible width and word-wrapping.

Apart from the screen (`quiz.screen`), which loads the picture code: `myodeck stats`
wraps its lines to the terminal too, and loads none of that.
"""

from __future__ import annotations

import os
import re
import sys

_ESCAPE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_STYLED = re.compile(r"((?:\x1b\[[0-9;]*m)*)(.*?)((?:\x1b\[[0-9;]*m)*)", re.S)
# A choice's letter, a ✓/✗ mark or a rank ('2. '): the lines after the first start under the text.
_HANGING = r"\s*(?:[✓✗·]\s+)?(?:[a-d]\)\s+|\d+\.\s+)?"  # compiled at its first use (by `re`)
_SPACES = r"([\t\n\x0b\x0c\r ]+)"  # what `textwrap` breaks at: ASCII white space only
_AS_SPACE = str.maketrans(dict.fromkeys("\t\n\x0b\x0c\r", " "))


def terminal_size() -> os.terminal_size:
    """The terminal's columns and lines as `shutil.get_terminal_size` tells them ($COLUMNS and $LINES
    first, then the terminal, else 80×24), without importing `shutil`, which loads the compression
    modules: about 1.5 ms of each quiz start."""
    sizes = []
    for variable in ("COLUMNS", "LINES"):
        try:
            sizes.append(int(os.environ[variable]))
        except (KeyError, ValueError):
            sizes.append(0)
    columns, lines = sizes
    if columns <= 0 or lines <= 0:
        try:
            size = os.get_terminal_size(sys.__stdout__.fileno())  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            size = os.terminal_size((0, 0))
        columns, lines = columns if columns > 0 else size.columns, lines if lines > 0 else size.lines
    return os.terminal_size((columns if columns > 0 else 80, lines if lines > 0 else 24))


def visible_width(text: str) -> int:
    """Columns `text` takes on the screen, its escape codes left out."""
    return len(_ESCAPE.sub("", text))


def wrap(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` columns, broken between words (a word longer than a
    line is the only thing cut); a style wrapping the whole text is kept on every line."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        style, body, reset = _STYLED.fullmatch(paragraph).groups()  # type: ignore[union-attr]
        if len(body) <= width or _ESCAPE.search(body):
            lines.append(paragraph)
            continue
        hang = len(re.match(_HANGING, body).group())  # type: ignore[union-attr]
        wrapped = _fill(body, width, " " * (hang if hang <= width // 2 else 0))
        lines += [f"{style}{line}{reset}" for line in wrapped] or [""]
    return lines


def _fill(body: str, width: int, indent: str) -> list[str]:
    """`textwrap.wrap(body, width, subsequent_indent=indent, break_on_hyphens=False)`, step for step:
    the words filled in greedily, the spaces at each break dropped, a word longer than a line cut.
    Written out because `textwrap` compiles its patterns on import, 1 ms of a quiz's first screen."""
    chunks = [chunk for chunk in re.split(_SPACES, body.expandtabs().translate(_AS_SPACE)) if chunk]
    chunks.reverse()  # taken from the end
    lines: list[str] = []
    while chunks:
        start = indent if lines else ""
        room = width - len(start)
        if lines and not chunks[-1].strip():  # a line after the first does not start with spaces
            chunks.pop()
        line: list[str] = []
        used = 0
        while chunks and used + len(chunks[-1]) <= room:
            used += len(chunks[-1])
            line.append(chunks.pop())
        if chunks and len(chunks[-1]) > room:  # a word longer than a line: as much as fits
            cut = room - used if room >= 1 else 1
            line.append(chunks[-1][:cut])
            chunks[-1] = chunks[-1][cut:]
        if line and not line[-1].strip():
            line.pop()
        if line:
            lines.append(start + "".join(line))
    return lines
