"""Graphics pictures as real terminals see them: sixels read back by libsixel, and shown by xterm.

The escape sequences are also checked byte by byte (tests/test_screens.py); here an
independent decoder and a real terminal (xterm in VT340 mode on a virtual X display)
show that what is sent is the picture. `.ci/run` installs libsixel-bin, xterm, xvfb,
x11-apps and netpbm; without them these tests are skipped.
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

XTERM_TOOLS = ("Xvfb", "xterm", "xwd", "xwdtopnm")


def _missing(*tools: str) -> list[str]:
    return [tool for tool in tools if shutil.which(tool) is None]


def _pixels(image: Image.Image) -> list[tuple[int, int, int]]:
    data = image.convert("RGB").tobytes()
    return list(zip(data[0::3], data[1::3], data[2::3], strict=True))


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


@pytest.mark.skipif(
    bool(_missing(*XTERM_TOOLS)), reason="xterm, xvfb, x11-apps or netpbm missing (.ci/run installs them)"
)
def test_a_real_xterm_shows_the_quiz_picture_as_sixels(tmp_path: Path, x_display: str) -> None:
    """The first pattern card's picture, sent as sixels only (no half-blocks), drawn by xterm beside the question."""
    myodeck = Path(sys.executable).with_name("myodeck")
    env = {
        **os.environ,
        "DISPLAY": x_display,
        "MYODECK_DB": str(tmp_path / "reviews.sqlite3"),
        "MYODECK_CACHE": os.environ.get("MYODECK_CACHE", str(tmp_path / "cache")),
    }
    env.pop("NO_COLOR", None)
    quiz = [str(myodeck), "quiz", "--images", "graphics", "--topic", "pattern", "--new", "3"]
    terminal = subprocess.Popen(
        ["xterm", "-ti", "vt340", "-xrm", "XTerm*numColorRegisters: 256", "-fa", "DejaVu Sans Mono", "-fs", "11",
         "-geometry", "110x40+0+0", "-bg", "white", "-fg", "black", "-e", *quiz],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
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
        shot.save(tmp_path / "xterm.png")  # kept for a look when this fails
        assert red > 200 and skin > 20_000, f"no picture on xterm's screen (red {red}, skin {skin}); see {tmp_path}"
        question = shot.crop((0, 0, shot.width // 3, 60))
        assert sum(p[0] < 90 for p in _pixels(question)) > 300  # the question's text, left of the picture
    finally:
        terminal.terminate()
        terminal.wait(10)
