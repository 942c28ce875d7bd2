"""A contrast card's two pictures in real terminals (xterm as a VT340 for sixels, kitty for its own protocol)
on a virtual X display: both drawn as images, side by side. Skipped where the programs are missing."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import test_real_terminals as real
from PIL import Image
from test_real_terminals import _essential_red, _kitty, _needs, _pixels, _repeated_rows, _screenshot, _skin, _xterm
from test_screen_pairs import confused_twice

from decks.model import Facts

x_display = real.x_display  # the virtual X display, as a fixture of this module too

# Runs the quiz in a pseudo-terminal of the window's size (pixels too, which sixels are sized by), shows
# everything it writes in the window, and presses space at the first question: the answer, with its two pictures.
SHOW_THE_ANSWER = """
import fcntl, sys, termios, pexpect
size = fcntl.ioctl(sys.stdout.fileno(), termios.TIOCGWINSZ, b"\\0" * 8)
child = pexpect.spawn(sys.argv[1], sys.argv[2:], encoding="utf-8", timeout=60)
fcntl.ioctl(child.child_fd, termios.TIOCSWINSZ, size)
child.logfile_read = sys.stdout
child.expect_exact("show answer")
child.send(" ")
child.expect(pexpect.EOF, timeout=None)
"""


def _halves(shot: Image.Image) -> tuple[Image.Image, Image.Image] | None:
    """The screen's pictures cut in two at the widest blank band of columns between them, or None."""
    pixels = _pixels(shot)
    drawn = [any(_skin(pixels[y * shot.width + x]) for y in range(0, shot.height, 2)) for x in range(shot.width)]
    columns = [x for x, used in enumerate(drawn) if used]
    if not columns:
        return None
    gaps = [(b - a, a, b) for a, b in itertools.pairwise(columns) if b - a > 1]
    if not gaps:
        return None
    _, left_end, right_start = max(gaps)
    return shot.crop((columns[0], 0, left_end + 1, shot.height)), shot.crop(
        (right_start, 0, columns[-1] + 1, shot.height)
    )


def _top(picture: Image.Image) -> int:
    pixels = _pixels(picture)
    return next(
        y for y in range(picture.height) if any(_skin(p) for p in pixels[y * picture.width : (y + 1) * picture.width])
    )


@pytest.mark.parametrize(
    "terminal",
    [
        pytest.param(_xterm, id="xterm-sixel", marks=_needs("xterm")),
        pytest.param(_kitty, id="kitty", marks=_needs("kitty")),
    ],
)
def test_a_real_terminal_shows_both_pictures_of_a_contrast_answer(
    facts: Facts,
    tmp_path: Path,
    x_display: str,
    terminal,
) -> None:
    db = tmp_path / "reviews.sqlite3"
    confused_twice(facts, db)
    (tmp_path / "show_the_answer.py").write_text(SHOW_THE_ANSWER)
    env = {
        **os.environ,
        "DISPLAY": x_display,
        "LIBGL_ALWAYS_SOFTWARE": "1",
        "MYODECK_DB": str(db),
        "MYODECK_NOW": "2026-11-26T09:00:00+00:00",
        "MYODECK_CACHE": os.environ.get("MYODECK_CACHE", str(tmp_path / "cache")),
    }
    for variable in ("NO_COLOR", "TERM", "TERM_PROGRAM", "KITTY_WINDOW_ID", "TMUX"):
        env.pop(variable, None)
    myodeck = Path(sys.executable).with_name("myodeck")
    quiz = [sys.executable, str(tmp_path / "show_the_answer.py"), str(myodeck), "quiz", "--topic", "contrast"]
    window = subprocess.Popen(terminal(quiz), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 90
        while True:
            shot = _screenshot(x_display)
            halves = _halves(shot.crop((shot.width // 3, 0, shot.width, shot.height)))
            both = halves is not None and all(sum(map(_essential_red, _pixels(half))) > 100 for half in halves)
            if both or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        shot.save(tmp_path / "screen.png")  # kept for a look when this fails
        assert both and halves is not None, f"not two pictures with their essential zones; see {tmp_path}"
        assert abs(_top(halves[0]) - _top(halves[1])) < 60  # side by side, not one above the other
        assert all(_repeated_rows(half) < 0.7 for half in halves)  # images (0.3-0.5), not half-blocks (0.86)
    finally:
        window.terminate()
        window.wait(10)
