"""Graphics pictures as real terminals see them: sixels read back by libsixel, shown by xterm and by kitty.

The escape sequences are also checked byte by byte (tests/test_screens.py); here an
independent decoder and real terminals on a virtual X display (xterm as a VT340 for
sixels; kitty for its own protocol, which the quiz finds on its own) show that what is
sent is the picture. `.ci/run` installs libsixel-bin, xterm, kitty, xvfb, x11-apps and
netpbm; without them these tests are skipped.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageStat

from decks.diagrams import Variant
from decks.diagrams.spec import DiagramSpec
from decks.loader import load_facts
from quiz.images import diagram_png, sixel_image
from source_facts import bundled_facts_dir

X_TOOLS = ("Xvfb", "xwd", "xwdtopnm")  # a virtual display and its screenshot


def _missing(*tools: str) -> list[str]:
    return [tool for tool in tools if shutil.which(tool) is None]


def _pixels(image: Image.Image) -> list[tuple[int, int, int]]:
    data = image.convert("RGB").tobytes()
    return list(zip(data[0::3], data[1::3], data[2::3], strict=True))


def _repeated_rows(image: Image.Image) -> float:
    """Of the pixel rows with something drawn on them, the share that repeat the row above.

    A half-block picture is made of character cells, two flat colours each, so most rows
    repeat; a real image's rows rarely do.
    """
    data, width = image.convert("RGB").tobytes(), image.width
    rows = [data[y * width * 3 : (y + 1) * width * 3] for y in range(image.height)]
    drawn = [sum(1 for i in range(0, len(row), 3) if row[i] + row[i + 1] + row[i + 2] < 700) > 50 for row in rows]
    repeated = sum(drawn[y] and rows[y] == rows[y - 1] for y in range(1, len(rows)))
    return repeated / max(1, sum(drawn[1:]))


def _essential_red(pixel: tuple[int, int, int]) -> bool:
    r, g, b = pixel
    return r > 170 and g < 70 and b < 80


def _skin(pixel: tuple[int, int, int]) -> bool:
    r, g, b = pixel
    return 200 < r < 250 and 170 < g < 225 and 140 < b < 205 and r > g > b


@pytest.mark.skipif(bool(_missing("sixel2png")), reason="libsixel-bin is not installed (.ci/run installs it)")
def test_sixels_decode_to_the_picture(tmp_path: Path) -> None:
    facts = load_facts(bundled_facts_dir())
    gastrocnemius = facts.muscle("gastrocnemius")
    png = diagram_png(DiagramSpec.for_trigger_point(gastrocnemius, gastrocnemius.trigger_points[0], Variant.FULL))
    (tmp_path / "picture.six").write_text(sixel_image(png, 640, 400))
    subprocess.run(["sixel2png", "-i", tmp_path / "picture.six", "-o", tmp_path / "decoded.png"], check=True)
    decoded = Image.open(tmp_path / "decoded.png").convert("RGB")
    source = Image.open(io.BytesIO(png)).convert("RGB")
    assert decoded.height == 400 and abs(decoded.width - round(source.width * 400 / source.height)) <= 1
    expected = source.resize(decoded.size, Image.Resampling.LANCZOS)
    difference = ImageStat.Stat(ImageChops.difference(expected, decoded)).mean
    assert max(difference) < 6, difference  # 64 colours: a little off everywhere, nothing misplaced
    assert sum(map(_essential_red, _pixels(decoded))) > 300


@pytest.fixture
def x_display() -> Iterator[str]:
    """A virtual X display; Xvfb picks a free number and says which."""
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x900x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as said:
        number = said.readline().strip()
    try:
        assert number, "Xvfb did not start"
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(10)


def _screenshot(display: str) -> Image.Image:
    shot = subprocess.run(["xwd", "-root", "-silent", "-display", display], check=True, capture_output=True)
    pnm = subprocess.run(["xwdtopnm"], input=shot.stdout, check=True, capture_output=True)
    return Image.open(io.BytesIO(pnm.stdout)).convert("RGB")


def _xterm(quiz: list[str]) -> list[str]:
    """xterm as a VT340, the sixel terminal; it announces no protocol, so the quiz is told `--images graphics`."""
    return [
        "xterm", "-ti", "vt340", "-xrm", "XTerm*numColorRegisters: 256", "-fa", "DejaVu Sans Mono", "-fs", "11",
        "-geometry", "110x40+0+0", "-bg", "white", "-fg", "black", "-e", *quiz, "--images", "graphics",
    ]  # fmt: skip


def _kitty(quiz: list[str]) -> list[str]:
    """kitty, drawing with software OpenGL; it announces itself (TERM=xterm-kitty) and the quiz finds it."""
    return [
        "kitty", "-o", "font_size=11", "-o", "background=#ffffff", "-o", "foreground=#000000",
        "-o", "initial_window_width=1000", "-o", "initial_window_height=760", "-o", "remember_window_size=no", *quiz,
    ]  # fmt: skip


def _needs(program: str) -> pytest.MarkDecorator:
    missing = _missing(program, *X_TOOLS)
    return pytest.mark.skipif(bool(missing), reason=f"{', '.join(missing)} missing (.ci/run installs them)")


@pytest.mark.parametrize(
    "terminal",
    [
        pytest.param(_xterm, id="xterm-sixel", marks=_needs("xterm")),
        pytest.param(_kitty, id="kitty", marks=_needs("kitty")),
    ],
)
def test_a_real_terminal_shows_the_quiz_picture(tmp_path: Path, x_display: str, terminal) -> None:
    """The first pattern card's picture, sent as an image only (no half-blocks), drawn beside the question."""
    myodeck = Path(sys.executable).with_name("myodeck")
    env = {
        **os.environ,
        "DISPLAY": x_display,
        "LIBGL_ALWAYS_SOFTWARE": "1",  # kitty draws with OpenGL; Xvfb has no GPU
        "MYODECK_DB": str(tmp_path / "reviews.sqlite3"),
        "MYODECK_CACHE": os.environ.get("MYODECK_CACHE", str(tmp_path / "cache")),
    }
    for variable in ("NO_COLOR", "TERM", "TERM_PROGRAM", "KITTY_WINDOW_ID", "TMUX"):
        env.pop(variable, None)
    quiz = [str(myodeck), "quiz", "--topic", "pattern", "--new", "3"]
    window = subprocess.Popen(terminal(quiz), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            shot = _screenshot(x_display)
            picture = shot.crop((shot.width // 3, 0, shot.width, shot.height // 2))
            pixels = _pixels(picture)
            red, skin = sum(map(_essential_red, pixels)), sum(map(_skin, pixels))
            if (red > 200 and skin > 20_000) or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        shot.save(tmp_path / "screen.png")  # kept for a look when this fails
        assert red > 200 and skin > 20_000, f"no picture on the screen (red {red}, skin {skin}); see {tmp_path}"
        assert _repeated_rows(picture) < 0.5  # an image's detail, not half-blocks' cell-high stripes (0.86)
        question = shot.crop((0, 0, shot.width // 3, 60))
        assert sum(p[0] < 90 for p in _pixels(question)) > 300  # the question's text, left of the picture
    finally:
        window.terminate()
        window.wait(10)
