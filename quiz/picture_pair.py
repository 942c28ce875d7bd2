"""Two pictures on one screen, each under its caption: a student's painting beside the pattern it
was meant to be, or the patterns of two trigger points a student keeps confusing.

The pair goes side by side, where they are easiest to compare, unless one above the
other draws them twice as large (a narrow column). Half-block pictures share one
legend; images (kitty, iTerm2, sixel) carry their own, and each is placed on the screen
as a single picture is.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from decks.diagrams.spec import DiagramSpec
from quiz.images import Drawer, Drawn, Legend
from quiz.text import visible_width, wrap

GAP = 4  # columns between the two pictures, and before a legend beside them
STACKED_GAIN = 2  # how much larger stacked pictures must be to give up comparing them side by side


# A named tuple, not a dataclass, as in `quiz.store`: each dataclass adds about 0.5 ms to every quiz start.
class PicturePair(NamedTuple):
    """Two pictures shown together, `captions[i]` above `specs[i]`."""

    specs: tuple[DiagramSpec, DiagramSpec]
    captions: tuple[str, str]


def draw_pair(drawer: Drawer, pair: PicturePair, rows: int, max_width: int, legend: Legend) -> Drawn | None:
    """The pair in at most `rows` lines and `max_width` columns with its legend below or beside
    both, as `legend` says; None when the pictures cannot fit."""
    key = drawer.legend(pair.specs) if legend is not Legend.NONE else ()
    key_block = Drawn(key, max((visible_width(line) for line in key), default=0))
    width = max_width - GAP - key_block.width if legend is Legend.BESIDE and key else max_width
    height = rows - len(key) if legend is Legend.BELOW else rows
    side, stacked = _side_by_side(drawer, pair, height, width), _stacked(drawer, pair, height, width)
    if stacked is not None and (side is None or stacked[0] >= STACKED_GAIN * side[0]):
        drawn = stacked[1]
    elif side is not None:
        drawn = side[1]
    else:
        return None
    if not key:
        return drawn
    return _above([drawn, key_block]) if legend is Legend.BELOW else _beside([drawn, key_block])


def _side_by_side(drawer: Drawer, pair: PicturePair, rows: int, width: int) -> tuple[int, Drawn] | None:
    each = (width - GAP) // 2
    captions = [wrap(caption, each) for caption in pair.captions]
    caption_rows = max(map(len, captions))
    pictures = [drawer.draw(spec, rows - caption_rows, each, Legend.NONE) for spec in pair.specs]
    if pictures[0] is None or pictures[1] is None:
        return None
    columns = [_captioned(c, p, caption_rows) for c, p in zip(captions, pictures, strict=True)]
    return _smaller_area(pictures[0], pictures[1]), _beside(columns)


def _stacked(drawer: Drawer, pair: PicturePair, rows: int, width: int) -> tuple[int, Drawn] | None:
    captions = [wrap(caption, width) for caption in pair.captions]
    picture_rows = (rows - len(captions[0]) - len(captions[1])) // 2
    pictures = [drawer.draw(spec, picture_rows, width, Legend.NONE) for spec in pair.specs]
    if pictures[0] is None or pictures[1] is None:
        return None
    columns = [_captioned(c, p, len(c)) for c, p in zip(captions, pictures, strict=True)]
    return _smaller_area(pictures[0], pictures[1]), _above(columns)


def _smaller_area(first: Drawn, second: Drawn) -> int:
    return min(first.width * len(first.lines), second.width * len(second.lines))


def _captioned(caption: list[str], picture: Drawn, caption_rows: int) -> Drawn:
    """`picture` under its caption (centred over it; blank lines above a caption shorter than `caption_rows`)."""
    width = max(picture.width, *(visible_width(line) for line in caption))
    lines = [""] * (caption_rows - len(caption)) + [line.center(width).rstrip() for line in caption]
    return _above([Drawn(tuple(lines), width), picture])


def _above(blocks: Sequence[Drawn]) -> Drawn:
    """The blocks one under the other, left-aligned."""
    lines: list[str] = []
    images = []
    for block in blocks:
        images += [(row + len(lines), col, escape) for row, col, escape in block.images]
        lines += block.lines
    return Drawn(tuple(lines), max(block.width for block in blocks), tuple(images))


def _beside(blocks: Sequence[Drawn]) -> Drawn:
    """The blocks left to right, `GAP` columns apart, top-aligned."""
    lines = []
    for row in range(max(len(block.lines) for block in blocks)):
        cells = [block.lines[row] if row < len(block.lines) else "" for block in blocks]
        padded = [cell + " " * (block.width - visible_width(cell)) for cell, block in zip(cells, blocks, strict=True)]
        lines.append((" " * GAP).join(padded).rstrip())
    images = []
    left = 0
    for block in blocks:
        images += [(row, col + left, escape) for row, col, escape in block.images]
        left += block.width + GAP
    return Drawn(tuple(lines), left - GAP, tuple(images))
