"""Two or more terminal pictures side by side, each titled: a pattern beside the one it is
confused with, or a student's painting beside the pattern it was meant to be."""

from __future__ import annotations

from collections.abc import Sequence

from decks.diagrams.spec import DiagramSpec
from quiz.colors import ColorMode

GAP = "    "
WIDTH = 80  # columns for all the pictures together: every terminal has them
ROWS = 16


def pictures_beside(pictures: Sequence[tuple[str, DiagramSpec]], mode: ColorMode, width: int = WIDTH) -> list[str]:
    """Lines showing each (title, picture) in its own column, titles on top, shorter pictures padded."""
    from quiz.picture import draw_picture  # the bake is read at the first picture, not at start-up

    each = max(16, (width - len(GAP) * (len(pictures) - 1)) // max(1, len(pictures)))
    drawn = [draw_picture(spec, mode, rows=ROWS, max_width=each) for _, spec in pictures]
    columns = [max(p.width, min(len(title), each)) for (title, _), p in zip(pictures, drawn, strict=True)]
    lines = [GAP.join(title[:w].center(w) for (title, _), w in zip(pictures, columns, strict=True)).rstrip()]
    for row in range(max(len(p.lines) for p in drawn)):
        cells = []
        for picture, w in zip(drawn, columns, strict=True):
            text = picture.lines[row] if row < len(picture.lines) else ""
            visible = picture.width if row < len(picture.lines) else 0
            cells.append(text + " " * (w - visible))
        lines.append(GAP.join(cells).rstrip())
    return lines
