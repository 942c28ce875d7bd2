"""Whole screens for the terminal quiz and class: one card or question per screen, fitted to the terminal.

The sessions write lines and pictures as they go; a screen keeps what was written
since the last `clear()` and, whenever input is awaited, draws it to fit the
terminal's size: text wrapped at word boundaries, the picture (or a pair of pictures,
`quiz.picture_pair`) beside the text when the text still has room, else under the
question, shrunk until all fits. What still does not fit is cut from the end of the
middle, so the question at the top and the keys at the bottom stay visible. Only the
lines that changed are rewritten.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple, TextIO, TypeAlias

from decks.diagrams.spec import DiagramSpec
from quiz.text import terminal_size, visible_width, wrap

if TYPE_CHECKING:
    from quiz.images import Drawer, Drawn, Image, Legend
    from quiz.picture_pair import PicturePair

MIN_TEXT = 40  # columns the text keeps when a picture stands beside it
GAP = 3
Picture: TypeAlias = "DiagramSpec | PicturePair"
Item: TypeAlias = "str | Picture"


def _pad(line: str, width: int) -> str:
    return line + " " * max(0, width - visible_width(line))


# A named tuple, not a dataclass, as in `quiz.store`: each dataclass adds about 0.5 ms to every quiz start.
class Frame(NamedTuple):
    """The screen's rows, top to bottom; where the cursor waits (the end of the last text line:
    a typed answer goes there); the images painted over the rows, each placed at its top-left cell."""

    lines: tuple[str, ...]
    cursor: tuple[int, int]
    images: tuple[Image, ...] = ()


def draw(drawer: Drawer, picture: Picture, rows: int, max_width: int, legend: Legend) -> Drawn | None:
    """A picture or a pair of them in at most `rows` lines and `max_width` columns, or None."""
    if isinstance(picture, DiagramSpec):
        return drawer.draw(picture, rows, max_width, legend)
    from quiz.picture_pair import draw_pair

    return draw_pair(drawer, picture, rows, max_width, legend)


def _placed(drawn: Drawn, row: int, col: int) -> tuple[Image, ...]:
    return tuple((row + top, col + left, escape) for top, left, escape in drawn.images)


def _wrap_all(texts: Sequence[str], width: int) -> list[list[str]]:
    return [wrap(text, width) for text in texts]


def _fit(blocks: list[list[str]], room: int, width: int) -> list[str]:
    """The blocks' lines in `room` rows: the last block (the keys) always; lines cut above it, marked
    (in `width` columns: the mark must not reach a picture beside it)."""
    lines = [line for block in blocks for line in block]
    if len(lines) <= room:
        return lines
    keep_end = len(blocks[-1])
    cut = len(lines) - room + 1
    head = lines[: len(lines) - keep_end - cut]
    mark = f"… {cut} more line{'s' if cut > 1 else ''}"
    if visible_width(hint := f"{mark}: enlarge the terminal to see them") <= width:
        mark = hint
    return [*head, mark, *lines[-keep_end:]]


def compose(items: Sequence[Item], footer: str, width: int, height: int, drawer: Drawer | None) -> Frame:
    """Lay out `items` (the first is the title line) and `footer` (a status line, may be empty)
    on a `width` x `height` screen; the last picture written is the one shown, where the first was.

    The picture goes beside the text, as large as lets all the text fit; else under the
    question when all fits so; else beside the text at a quarter of the width at most (half
    for a pair), the text cut to fit: the answer's picture says more than its last lines.
    """
    from quiz.images import Legend

    width, height = max(20, width), max(4, height)
    title = wrap(str(items[0]), width) if items else []
    footer_lines = wrap(footer, width) if footer else []
    body = list(items[1:])
    room = height - len(title) - len(footer_lines)
    pictures = [i for i, item in enumerate(body) if not isinstance(item, str)]
    picture = body[pictures[-1]] if pictures else None
    texts = [item for item in body if isinstance(item, str)]
    if picture is None or isinstance(picture, str) or drawer is None or not texts:
        return _text_frame(title, _fit(_wrap_all(texts, width), room, width), footer_lines)
    fallback, fallback_width = None, width // 4 if isinstance(picture, DiagramSpec) else width // 2
    # The text keeps up to half of a wide screen, so its lines need not wrap to give the picture room.
    text_room = max(MIN_TEXT, min(width // 2, max(visible_width(line) for text in texts for line in text.split("\n"))))
    for rows in range(room, 0, -1):  # beside the text, as tall as the text leaves room for
        drawn = draw(drawer, picture, rows, width - GAP - text_room, Legend.BELOW)
        if drawn is None:
            break
        blocks = _wrap_all(texts, width - GAP - drawn.width)
        if sum(map(len, blocks)) <= room:
            return _side_frame(title, texts, drawn, room, width, footer_lines)
        if fallback is None and drawn.width <= fallback_width:
            fallback = drawn
    blocks = _wrap_all(texts, width)
    used = sum(map(len, blocks))
    if used <= room and (drawn := draw(drawer, picture, room - used, width, Legend.BESIDE)):
        at = sum(isinstance(item, str) for item in body[: pictures[0]])  # texts before the first picture
        before = [line for block in blocks[:at] for line in block]
        after = [line for block in blocks[at:] for line in block]
        images = _placed(drawn, len(title) + len(before), 0)
        lines = [*before, *drawn.lines, *after]
        return _frame(title, lines, footer_lines, (len(title) + len(lines) - 1, visible_width(lines[-1])), images)
    if fallback is not None:
        return _side_frame(title, texts, fallback, room, width, footer_lines)
    return _text_frame(title, _fit(blocks, room, width), footer_lines)


def _side_frame(title: list[str], texts: list[str], drawn: Drawn, room: int, width: int, footer: list[str]) -> Frame:
    """The text on the left (cut to `room` rows if need be), the picture on its right; the last
    text (the keys) across the whole width when it starts below the picture."""
    text_width = width - GAP - drawn.width
    blocks = _wrap_all(texts, text_width)
    lines = _fit(blocks, room, text_width)
    widened = [*blocks[:-1], wrap(texts[-1], width)]
    if len(widened[-1]) < len(blocks[-1]) and len(_fit(widened, room, text_width)) - len(widened[-1]) >= len(
        drawn.lines
    ):
        lines = _fit(widened, room, text_width)
    rows = [
        (_pad(lines[i] if i < len(lines) else "", text_width) + " " * GAP + drawn.lines[i]).rstrip()
        if i < len(drawn.lines)
        else lines[i]
        for i in range(max(len(lines), len(drawn.lines)))
    ]
    images = _placed(drawn, len(title), text_width + GAP)
    return _frame(title, rows, footer, (len(title) + len(lines) - 1, visible_width(lines[-1])), images)


def _text_frame(title: list[str], lines: list[str], footer: list[str]) -> Frame:
    cursor = (len(title) + len(lines) - 1, visible_width(lines[-1]) if lines else 0)
    return _frame(title, lines, footer, cursor, ())


def _frame(
    title: list[str], lines: list[str], footer: list[str], cursor: tuple[int, int], images: tuple[Image, ...]
) -> Frame:
    if footer:  # the status line: the cursor waits at its end
        cursor = (len(title) + len(lines) + len(footer) - 1, visible_width(footer[-1]))
    return Frame((*title, *lines, *footer), cursor, images)


class FullScreen:
    """Draws the current screen on a terminal, in place: changed lines only, everything on a
    resize. The old screen is cleared, not kept in an alternate buffer, so the last screen stays
    visible above what is printed after it (the summary, the final scores)."""

    def __init__(self, drawer: Drawer | None, out: TextIO = sys.stdout) -> None:
        self.drawer = drawer
        self.out = out
        self.items: list[Item] = []
        self.footer = ""
        self._carried: list[str] = []
        self._since_input = 0
        self._shown: Frame | None = None
        self._repaint = True
        self._size = (0, 0)
        self._saved_handler: object = None

    def __enter__(self) -> FullScreen:
        self._saved_handler = signal.signal(signal.SIGWINCH, lambda signum, frame: self.render())
        return self

    def __exit__(self, *exc: object) -> None:
        signal.signal(signal.SIGWINCH, self._saved_handler)  # type: ignore[arg-type]
        if self.items:
            self.render()
        if self._shown is not None:
            self.out.write(f"\x1b[{len(self._shown.lines) + 1};1H\r\n")
            self.out.flush()

    def clear(self) -> None:
        """A new screen; lines written since the last input (a confirmation) move onto it, under its title."""
        self._carried = [item for item in self.items[self._since_input :] if isinstance(item, str)]
        self.items, self.footer, self._since_input = [], "", 0
        self._repaint = True  # a new screen is drawn whole

    def write(self, text: str) -> None:
        self.items.append(text)
        if len(self.items) == 1 and self._carried:
            self.items += self._carried
            self._carried = []

    def picture(self, picture: Picture) -> None:
        self.items.append(picture)

    def amend(self, text: str) -> None:
        """Replace the last line written (a prompt, with what was typed after it)."""
        self.items[-1] = text

    def render(self) -> None:
        """Draw the screen as it now is; called before each wait for input."""
        self._since_input = len(self.items)
        size = terminal_size()
        frame = compose(self.items, self.footer, size.columns, size.lines, self.drawer)
        shown, self._shown = self._shown, frame
        full = (
            self._repaint or shown is None or (size.columns, size.lines) != self._size or frame.images != shown.images
        )
        self._size, self._repaint = (size.columns, size.lines), False
        if not full and frame.images:
            top = min(row for row, _, _ in frame.images)
            changed = [i for i, line in enumerate(frame.lines) if i >= len(shown.lines) or shown.lines[i] != line]
            full = any(top <= i < top + len(frame.lines) for i in changed)
        out = []
        if full:
            if shown is not None and shown.images and self.drawer is not None:
                out.append(self.drawer.erase)
            out.append("\x1b[H\x1b[2J" + "\r\n".join(frame.lines))
            out += [f"\x1b[{row + 1};{col + 1}H{escape}" for row, col, escape in frame.images]
        else:
            for i, line in enumerate(frame.lines):
                if i >= len(shown.lines) or shown.lines[i] != line:
                    out.append(f"\x1b[{i + 1};1H{line}\x1b[K")
            if len(shown.lines) > len(frame.lines):
                out.append(f"\x1b[{len(frame.lines) + 1};1H\x1b[J")
        out.append(f"\x1b[{frame.cursor[0] + 1};{frame.cursor[1] + 1}H")
        self.out.write("".join(out))
        self.out.flush()


class LogScreen:
    """For a pipe or a file: every line written as it comes, pictures in half-blocks beside their legend."""

    def __init__(self, drawer: Drawer | None, out: TextIO = sys.stdout) -> None:
        self.drawer = drawer
        self.out = out
        self.footer = ""

    def __enter__(self) -> LogScreen:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def clear(self) -> None:
        self.write("")

    def write(self, text: str) -> None:
        self.out.write(text + "\n")
        self.out.flush()

    def picture(self, picture: Picture) -> None:
        from quiz.images import Legend

        if self.drawer is not None and (drawn := draw(self.drawer, picture, 23, 80, Legend.BESIDE)):
            for line in drawn.lines:
                self.write(line.rstrip())

    def amend(self, text: str) -> None:
        pass

    def render(self) -> None:
        if self.footer:
            self.write(self.footer)
            self.footer = ""
