"""How the terminal shows a diagram: the full PNG through an image protocol, or half-blocks.

`--images auto` picks an image protocol from what the terminal says about itself in
the environment (kitty, iTerm2/WezTerm inline images, sixel), half-blocks elsewhere.
A drawer returns a picture sized to the rows and columns the screen gives it; only
the graphics drawer reads PNGs, and only a picture missing from the cache loads
matplotlib to draw it, so the quiz still starts on click, yaml and fsrs alone.
"""

from __future__ import annotations

import base64
import math
import os
import struct
from collections.abc import Mapping, Sequence
from enum import Enum
from functools import lru_cache
from typing import NamedTuple, Protocol

from decks.diagrams.spec import DiagramSpec
from quiz.colors import ColorMode
from quiz.text import visible_width


class ImageMode(Enum):
    AUTO = "auto"
    GRAPHICS = "graphics"
    BLOCKS = "blocks"
    NONE = "none"


KITTY_DELETE = "\x1b_Ga=d,d=A,q=2\x1b\\"  # every placement, and the image data with it


class Legend(Enum):
    """Where a picture's legend goes; NONE where one legend serves several pictures (`Drawer.legend`)."""

    BELOW = "below"
    BESIDE = "beside"
    NONE = "none"


class ImageProtocol(Enum):
    KITTY = "kitty"
    ITERM2 = "iterm2"
    SIXEL = "sixel"


_SIXEL_TERMS = ("foot", "mlterm", "contour", "yaft", "xterm-sixel")


def detect_protocol(environ: Mapping[str, str] = os.environ) -> ImageProtocol | None:
    """The image protocol the terminal announces in its environment, or None.

    tmux and screen pass image escapes through only when configured to, so inside
    them (TMUX set, TERM screen*/tmux*) nothing is assumed.
    """
    term = environ.get("TERM", "")
    program = environ.get("TERM_PROGRAM", "")
    if environ.get("TMUX") or term.startswith(("screen", "tmux")):
        return None
    if environ.get("KITTY_WINDOW_ID") or term in ("xterm-kitty", "xterm-ghostty") or program == "ghostty":
        return ImageProtocol.KITTY
    if program in ("iTerm.app", "WezTerm") or environ.get("LC_TERMINAL") == "iTerm2" or "WEZTERM_EXECUTABLE" in environ:
        return ImageProtocol.ITERM2
    if term.startswith(_SIXEL_TERMS) or program in ("mlterm", "contour") or environ.get("WT_SESSION"):
        return ImageProtocol.SIXEL
    return None


Image = tuple[int, int, str]  # an image's top-left (row, column) and the escape that paints it there


# A named tuple, not a dataclass, as in `quiz.store`: each dataclass adds about 0.5 ms to every quiz start.
class Drawn(NamedTuple):
    """A picture ready for the screen: its text lines (blank cells under an image), their
    width in columns, and the images painted over those cells, placed from its top-left."""

    lines: tuple[str, ...]
    width: int
    images: tuple[Image, ...] = ()


class Drawer(Protocol):
    erase: str  # what removes the pictures drawn so far, where clearing the screen does not

    def draw(self, spec: DiagramSpec, rows: int, max_width: int, legend: Legend) -> Drawn | None:
        """The picture in at most `rows` lines and `max_width` columns, or None when it cannot fit."""
        ...

    def legend(self, specs: Sequence[DiagramSpec]) -> tuple[str, ...]:
        """One legend for pictures drawn with `Legend.NONE` (none where the pictures carry their own)."""
        ...


class BlockDrawer:
    """Half-block pictures from the low-resolution views, with their legend below or beside."""

    MIN_ROWS = 6
    erase = ""

    def __init__(self, color_mode: ColorMode) -> None:
        self.color_mode = color_mode

    def draw(self, spec: DiagramSpec, rows: int, max_width: int, legend: Legend) -> Drawn | None:
        key = self.legend((spec,)) if legend is not Legend.NONE else ()
        key_width = max((visible_width(line) for line in key), default=0)
        pixel_rows = rows - 1 - (len(key) if legend is Legend.BELOW else 0)  # the labels' line, the legend
        room = max_width - 2 - key_width if legend is Legend.BESIDE else max_width
        return _block_picture(spec, self.color_mode, pixel_rows, room, legend)

    def legend(self, specs: Sequence[DiagramSpec]) -> tuple[str, ...]:
        from quiz.picture import legend_lines

        return tuple(legend_lines(specs[0], self.color_mode, *specs[1:]))


@lru_cache(maxsize=64)
def _block_picture(spec: DiagramSpec, mode: ColorMode, pixel_rows: int, room: int, legend: Legend) -> Drawn | None:
    from quiz.picture import draw_picture, legend_lines

    if pixel_rows < BlockDrawer.MIN_ROWS or room < 8:
        return None
    picture = draw_picture(spec, mode, rows=pixel_rows, max_width=room)  # fewer rows when too wide
    if picture.width > room or len(picture.lines) - 1 < BlockDrawer.MIN_ROWS:
        return None
    if legend is Legend.NONE:
        return Drawn(picture.lines, picture.width)
    key = legend_lines(spec, mode)
    if legend is Legend.BELOW:
        lines = (*picture.lines, *key)
        return Drawn(lines, max((picture.width, *(visible_width(line) for line in key))))
    lines = tuple(f"{line}  {key[i - 1]}" if 0 < i <= len(key) else line for i, line in enumerate(picture.lines))
    return Drawn(lines, max(visible_width(line) for line in lines))


class GraphicsDrawer:
    """The full diagram PNG through the terminal's image protocol, scaled to whole cells."""

    MIN_ROWS = 8

    def __init__(self, protocol: ImageProtocol, cell_pixels: tuple[int, int]) -> None:
        self.protocol = protocol
        self.cell_width, self.cell_height = cell_pixels
        self.erase = KITTY_DELETE if protocol is ImageProtocol.KITTY else ""  # kitty keeps images over text

    def draw(self, spec: DiagramSpec, rows: int, max_width: int, legend: Legend) -> Drawn | None:
        """The PNG, legend and all, over whole cells: `legend` changes nothing."""
        if self.protocol is ImageProtocol.SIXEL:
            rows -= 1  # a sixel image reaching the bottom line would scroll the screen
        png = diagram_png(spec)
        width_px, height_px = png_size(png)
        cols = math.ceil(rows * self.cell_height * width_px / height_px / self.cell_width)
        if cols > max_width:
            cols = max_width
            rows = math.ceil(cols * self.cell_width * height_px / width_px / self.cell_height)
        if rows < self.MIN_ROWS:
            return None
        if self.protocol is ImageProtocol.KITTY:
            image = kitty_image(png, cols, rows)
        elif self.protocol is ImageProtocol.ITERM2:
            image = iterm2_image(png, cols, rows)
        else:
            image = sixel_image(png, cols * self.cell_width, rows * self.cell_height)
        return Drawn((" " * cols,) * rows, cols, ((0, 0, image),))

    def legend(self, specs: Sequence[DiagramSpec]) -> tuple[str, ...]:
        return ()  # each PNG has its own


def drawer_for(
    mode: ImageMode, color_mode: ColorMode, is_tty: bool, environ: Mapping[str, str] = os.environ
) -> Drawer | None:
    """The drawer `--images` asks for (None: no pictures); graphics needs a terminal, else half-blocks.
    `graphics` in a terminal that announces no protocol gets sixels, the one most others understand."""
    if mode is ImageMode.NONE:
        return None
    protocol = detect_protocol(environ) if is_tty and mode is not ImageMode.BLOCKS else None
    if mode is ImageMode.GRAPHICS and protocol is None and is_tty:
        protocol = ImageProtocol.SIXEL
    if protocol is None:
        return BlockDrawer(color_mode)
    return GraphicsDrawer(protocol, cell_pixels())


def cell_pixels() -> tuple[int, int]:
    """A character cell's size in pixels, as the terminal reports it (8x16 when it does not)."""
    import fcntl
    import sys
    import termios

    try:
        packed = fcntl.ioctl(sys.stdout.fileno(), termios.TIOCGWINSZ, b"\0" * 8)
        rows, cols, width, height = struct.unpack("HHHH", packed)
    except OSError:
        return 8, 16
    if rows and cols and width and height:
        return max(1, width // cols), max(1, height // rows)
    return 8, 16


@lru_cache(maxsize=16)
def diagram_png(spec: DiagramSpec) -> bytes:
    """The diagram's PNG from the picture cache; drawn (matplotlib loaded) and cached when missing."""
    from decks.cache_dir import cache_dir
    from decks.diagrams.batch import DiagramCache

    cache = DiagramCache(cache_dir("diagrams"))
    if (png := cache.get(spec)) is not None:
        return png
    from decks.diagrams.render import render_png

    png = render_png(spec)
    cache.put(spec, png)
    return png


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height in pixels, from the PNG's header."""
    return struct.unpack(">II", png[16:24])


def kitty_image(png: bytes, cols: int, rows: int) -> str:
    """kitty's graphics protocol: transmit and show the PNG over cols x rows cells, in 4 kB chunks."""
    data = base64.b64encode(png).decode()
    chunks = [data[i : i + 4096] for i in range(0, len(data), 4096)]
    out = []
    for index, chunk in enumerate(chunks):
        more = int(index < len(chunks) - 1)
        keys = f"a=T,f=100,q=2,C=1,c={cols},r={rows},m={more}" if index == 0 else f"m={more}"
        out.append(f"\x1b_G{keys};{chunk}\x1b\\")
    return "".join(out)


def iterm2_image(png: bytes, cols: int, rows: int) -> str:
    """iTerm2's inline image (also WezTerm's): the PNG over cols x rows cells."""
    data = base64.b64encode(png).decode()
    return f"\x1b]1337;File=inline=1;size={len(png)};width={cols};height={rows};preserveAspectRatio=1:{data}\x07"


def sixel_image(png: bytes, width: int, height: int) -> str:
    """The PNG scaled to width x height pixels as sixels (Pillow reads and quantises it)."""
    import io

    from PIL import Image

    with Image.open(io.BytesIO(png)) as source:
        scale = min(width / source.width, height / source.height)
        size = (max(1, int(source.width * scale)), max(1, int(source.height * scale)))
        image = source.convert("RGB").resize(size, Image.Resampling.LANCZOS).quantize(colors=64)
    palette = image.getpalette() or []
    pixels = image.tobytes()
    w, h = image.size
    out = [f'\x1bP0;1;0q"1;1;{w};{h}']
    used = sorted(set(pixels))
    for index in used:
        r, g, b = palette[3 * index : 3 * index + 3]
        out.append(f"#{index};2;{r * 100 // 255};{g * 100 // 255};{b * 100 // 255}")
    for top in range(0, h, 6):
        bands: dict[int, bytearray] = {}
        for bit in range(min(6, h - top)):
            row = pixels[(top + bit) * w : (top + bit + 1) * w]
            for x, index in enumerate(row):
                band = bands.get(index)
                if band is None:
                    band = bands[index] = bytearray(w)
                band[x] |= 1 << bit
        out.append("$".join(f"#{index}{_sixel_runs(band)}" for index, band in bands.items()) + "-")
    out.append("\x1b\\")
    return "".join(out)


def _sixel_runs(band: bytearray) -> str:
    """One colour's row of sixels, runs of one sixel written once with a repeat count."""
    out = []
    x = 0
    while x < len(band):
        end = x
        while end < len(band) and band[end] == band[x]:
            end += 1
        char = chr(63 + band[x])
        out.append(f"!{end - x}{char}" if end - x > 3 else char * (end - x))
        x = end
    return "".join(out)
