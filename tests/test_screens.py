"""What the terminal quiz and class show, read off an emulated screen (pyte) at set sizes."""

from __future__ import annotations

import base64
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from virtual_terminal import VirtualTerminal

from decks.cards import Card, derive_cards
from decks.model import Facts
from quiz.classroom import class_questions
from quiz.images import ImageProtocol, detect_protocol
from quiz.text import _HANGING, wrap

NOW = "2026-11-25T09:00:00+00:00"
SIZES = [(24, 80), (45, 160)]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def quiz(tmp_path: Path, size: tuple[int, int], *args: str, **env: str) -> VirtualTerminal:
    rows, cols = size
    settings = {"MYODECK_DB": str(tmp_path / "db.sqlite3"), "MYODECK_NOW": NOW, "NO_COLOR": "1", "TERM": "xterm"}
    return VirtualTerminal(["quiz", *args], rows, cols, {**settings, **env}, tmp_path)


def shown_card(screen: str, cards: list[Card]) -> Card:
    """The card whose question is on the screen (the order of new cards is the scheduler's business)."""
    flat = " ".join(screen.split())
    return next(card for card in cards if " ".join(card.front.split("\n")[0].split()) in flat)


def words_whole(text: str, screen: str) -> list[str]:
    """The words of `text` not found whole on the screen: a word cut across two lines shows up here."""
    on_screen = set(screen.split())
    return [word for word in text.split() if word not in on_screen]


@pytest.mark.parametrize("size", SIZES)
def test_question_answer_and_keys_visible_together(facts: Facts, tmp_path: Path, size: tuple[int, int]) -> None:
    cards = [c for c in derive_cards(facts) if c.muscle_id == "soleus" and c.kind.value == "location"]
    term = quiz(tmp_path, size, "--muscle", "soleus", "--topic", "location", "--new", "1", "--images", "blocks")
    screen = term.wait_for("[space] show answer")
    card = shown_card(screen, cards)
    term.send(" ")
    screen = term.wait_for("[4] Easy")
    first_answer_line = card.back.split("\n")[0]
    assert card.front.split("\n")[0] in " ".join(screen.split()) or not words_whole(card.front, screen)
    assert words_whole(first_answer_line, screen) == []  # shown, and no word broken at a line's end
    assert words_whole(card.front, screen) == []
    assert "X  trigger point" in screen and "posterior" in screen  # the picture and its legend
    assert "[space] show answer" not in screen  # a hint that no longer applies is taken back
    assert screen.index(first_answer_line.split()[0]) < screen.index("[1] Again")  # the keys below the answer
    if size == (45, 160):
        assert "more line" not in screen  # everything fits on a large terminal
        assert card.sources[0].split()[0] in screen
    term.send("q")
    assert "Stopped early" in term.finish()


@pytest.mark.parametrize("size", SIZES)
def test_choices_and_verdict_fit(facts: Facts, tmp_path: Path, size: tuple[int, int]) -> None:
    term = quiz(tmp_path, size, "--muscle", "gastrocnemius", "--topic", "referral", "--new", "1")
    screen = term.wait_for("a) ", "d) ")
    assert "where is its essential pain zone?" in screen
    term.send("a")
    screen = term.wait_for("[Enter] accept")
    assert "where is its essential pain zone?" in screen
    assert all(f"{letter}) " in screen for letter in "abcd")
    assert "✓ Correct" in screen or "✗ The answer is" in screen
    assert "Essential zone:" in screen
    assert "essential pain" in screen  # the answer's picture, with its legend
    for line in screen.splitlines():
        assert len(line) <= size[1]
    term.send("q")
    term.finish()


def test_typed_answer_stays_on_its_screen(tmp_path: Path) -> None:
    term = quiz(tmp_path, (24, 80), "--muscle", "soleus", "--topic", "innervation", "--new", "1")
    term.wait_for("Your answer")
    term.send("tibial nerve\r")
    screen = term.wait_for("[Enter] accept")
    assert "Your answer (Enter alone: skip, f flag, q quit): tibial nerve" in screen
    assert "Soleus — which nerve supplies it?" in screen
    term.send("q")
    term.finish()


def _iterm2_images(raw: str) -> list[tuple[str, bytes]]:
    return [
        (options, base64.b64decode(data))
        for options, data in re.findall(r"\x1b\]1337;File=([^:]*):([A-Za-z0-9+/=]+)\x07", raw)
    ]


def _kitty_images(raw: str) -> list[tuple[str, bytes]]:
    """Each image's first chunk's keys and its whole PNG, put together from its chunks."""
    images: list[tuple[str, bytes]] = []
    keys, data = "", ""
    for chunk_keys, chunk in re.findall(r"\x1b_G([^;]*);([A-Za-z0-9+/=]*)\x1b\\", raw):
        if not data:
            keys = chunk_keys
        data += chunk
        if "m=0" in chunk_keys.split(","):
            images.append((keys, base64.b64decode(data)))
            data = ""
    return images


def _pattern_quiz(tmp_path: Path, size: tuple[int, int], *args: str, **env: str) -> str:
    """A pattern card's question shown, then quit; the bytes the terminal received."""
    term = quiz(tmp_path, size, "--muscle", "soleus", "--topic", "pattern", "--new", "1", *args, **env)
    term.wait_for("Your answer")
    term.send("\r")
    term.wait_for("[Enter] accept")
    term.send("q")
    term.finish()
    return term.raw


@pytest.mark.parametrize("size", SIZES)
def test_iterm2_shows_the_diagram_png_sized_to_the_terminal(tmp_path: Path, size: tuple[int, int]) -> None:
    raw = _pattern_quiz(tmp_path, size, TERM_PROGRAM="iTerm.app")
    images = _iterm2_images(raw)
    assert len(images) == 2  # the question's picture, then the answer's
    for options, png in images:
        assert png.startswith(PNG_SIGNATURE)
        fields = dict(field.split("=") for field in options.split(";"))
        assert fields["inline"] == "1" and int(fields["size"]) == len(png)
        assert 8 <= int(fields["height"]) <= size[0] - 1 and int(fields["width"]) <= size[1] - 40
    assert "▀" not in raw and "▄" not in raw


def test_pictures_grow_with_the_terminal(tmp_path: Path) -> None:
    heights = []
    for number, size in enumerate(SIZES):
        folder = tmp_path / str(number)
        folder.mkdir()
        options, _ = _iterm2_images(_pattern_quiz(folder, size, TERM_PROGRAM="iTerm.app"))[0]
        heights.append(int(dict(field.split("=") for field in options.split(";"))["height"]))
    assert heights[0] < heights[1]


def test_kitty_shows_the_diagram_png(tmp_path: Path) -> None:
    raw = _pattern_quiz(tmp_path, (24, 80), KITTY_WINDOW_ID="1", TERM="xterm-kitty")
    images = _kitty_images(raw)
    assert len(images) == 2
    for keys, png in images:
        assert png.startswith(PNG_SIGNATURE)
        assert {"a=T", "f=100"} <= set(keys.split(","))
    assert "\x1b_Ga=d" in raw  # the question's picture is deleted before the answer's is shown


def test_sixel_terminal_gets_sixels(tmp_path: Path) -> None:
    raw = _pattern_quiz(tmp_path, (24, 80), TERM="foot")
    assert re.search(r'\x1bP0;1;0q"1;1;\d+;\d+#', raw)
    assert "\x1b]1337" not in raw and "\x1b_G" not in raw


def test_images_none_draws_no_picture(tmp_path: Path) -> None:
    raw = _pattern_quiz(tmp_path, (24, 80), "--images", "none", TERM_PROGRAM="iTerm.app")
    assert "\x1b]1337" not in raw and "\x1b_G" not in raw
    assert "essential pain" not in raw and "posterior" not in raw


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"TERM": "xterm-256color"}, None),
        ({"TERM": "xterm-kitty"}, ImageProtocol.KITTY),
        ({"TERM": "xterm-256color", "KITTY_WINDOW_ID": "3"}, ImageProtocol.KITTY),
        ({"TERM": "xterm-ghostty"}, ImageProtocol.KITTY),
        ({"TERM_PROGRAM": "iTerm.app"}, ImageProtocol.ITERM2),
        ({"TERM_PROGRAM": "WezTerm"}, ImageProtocol.ITERM2),
        ({"LC_TERMINAL": "iTerm2", "TERM": "xterm-256color"}, ImageProtocol.ITERM2),
        ({"TERM": "foot"}, ImageProtocol.SIXEL),
        ({"TERM": "mlterm"}, ImageProtocol.SIXEL),
        ({"TERM": "tmux-256color", "TERM_PROGRAM": "tmux"}, None),
        ({"TERM": "xterm-kitty", "TMUX": "/tmp/tmux-0/default,1,0"}, None),
    ],
)
def test_image_protocol_detection(environ: dict[str, str], expected: ImageProtocol | None) -> None:
    assert detect_protocol(environ) is expected


@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [
        ("short", 20, ["short"]),
        ("the calcaneal (Achilles) tendon above", 20, ["the calcaneal", "(Achilles) tendon", "above"]),
        ("  b) back of the heel; underside", 20, ["  b) back of the", "     heel; underside"]),
        ("heel-plantar heel-back", 14, ["heel-plantar", "heel-back"]),  # never broken at a hyphen
        ("first\nsecond line here", 12, ["first", "second line", "here"]),
        ("\x1b[1mbold words here\x1b[0m", 10, ["\x1b[1mbold words\x1b[0m", "\x1b[1mhere\x1b[0m"]),
    ],
)
def test_wrap_at_word_boundaries(text: str, width: int, lines: list[str]) -> None:
    assert wrap(text, width) == lines


def textwrap_wrap(text: str, width: int) -> list[str]:
    """`wrap` as it was written with `textwrap`: what its own word filling must match."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        if len(paragraph) <= width:
            lines.append(paragraph)
            continue
        hang = len(re.match(_HANGING, paragraph).group())  # type: ignore[union-attr]
        indent = " " * (hang if hang <= width // 2 else 0)
        lines += textwrap.wrap(paragraph, width, subsequent_indent=indent, break_on_hyphens=False) or [""]
    return lines


@given(
    st.text(alphabet=st.sampled_from("ab-.)✓·\xa0 \t\r\x0b2"), max_size=60).map(lambda t: t.replace("a)", " a) ")),
    st.integers(1, 24),
)
def test_wrap_fills_lines_as_textwrap_does(text: str, width: int) -> None:
    """Spaces at breaks, runs of spaces, tabs, hanging indents, words longer than a line: every case."""
    assert wrap(text, width) == textwrap_wrap(text, width)


def test_wrapping_does_not_load_textwrap() -> None:
    code = "import sys; from quiz.text import wrap; print(len(wrap('word ' * 40, 20)), 'textwrap' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout == "10 False\n"


@pytest.mark.parametrize("size", SIZES)
def test_class_question_and_answer_screens(facts: Facts, tmp_path: Path, size: tuple[int, int]) -> None:
    question = class_questions(facts, 2, seed=7)[0]
    rows, cols = size
    env = {"NO_COLOR": "1", "TERM": "xterm"}
    term = VirtualTerminal(["class", "-n", "2", "--seed", "7", "--teams", "Red,Blue"], rows, cols, env, tmp_path)
    screen = term.wait_for("[space] reveal")
    assert words_whole(question.prompt, screen) == []
    assert all(
        words_whole(f"{letter}) {choice}", screen) == []
        for letter, choice in zip("ABCD", question.choices, strict=True)
    )
    assert "Question 1/2" in screen.splitlines()[0]
    term.send(" ")
    screen = term.wait_for("Who got it right?")
    assert words_whole(question.prompt, screen) == []
    assert words_whole(f"✓ {question.correct_letter}) {question.correct}", screen) == []
    assert "[1] · Red" in screen.splitlines()[-1]  # the scoring keys on the bottom line, the answer above
    term.send("1")
    screen = term.wait_for("[1] ✓ Red")
    assert words_whole(f"✓ {question.correct_letter}) {question.correct}", screen) == []
    term.send("\r")
    screen = term.wait_for("Leaderboard after question 1")
    assert "1. Red" in screen and f"✓ {question.correct_letter})" in screen
    term.send("q")
    screen = term.finish()
    assert "Final scores (1 of 2 questions)" in screen


def test_a_resized_terminal_is_redrawn_to_its_new_width(tmp_path: Path) -> None:
    source = "Source: Kent D. Gastrocnemius: a cramp in the calf. Massage Today. 2011 Nov;11(11). (+2 more)"
    term = quiz(tmp_path, (24, 80), "--muscle", "gastrocnemius", "--topic", "innervation", "--new", "1")
    term.wait_for("Your answer")
    term.send("tibial nerve\r")
    screen = term.wait_for("[Enter] accept")
    assert source not in screen and "Source: Kent D. Gastrocnemius" in screen  # wrapped at 80 columns
    term.resize(45, 160)
    screen = term.wait_for(source)  # one line at 160
    assert "[Enter] accept" in screen
    term.send("q")
    term.finish()


def test_a_cached_diagram_is_shown_without_matplotlib_or_numpy(tmp_path: Path) -> None:
    import subprocess
    import sys

    code = (
        "import sys; from decks.loader import load_facts; from source_facts import bundled_facts_dir;"
        "from decks.diagrams.spec import DiagramSpec; from decks.diagrams import Variant;"
        "from quiz.images import diagram_png; muscle = load_facts(bundled_facts_dir()).muscle('soleus');"
        "png = diagram_png(DiagramSpec.for_trigger_point(muscle, muscle.trigger_points[0], Variant.PATTERN));"
        "print(png[:4] == b'\\x89PNG', sorted({'matplotlib', 'numpy'} & set(sys.modules)))"
    )
    env = {"MYODECK_CACHE": str(tmp_path), "PATH": "/usr/bin:/bin"}
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert first.stdout.strip() == "True ['matplotlib', 'numpy']"  # not cached yet: drawn, then cached
    again = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert again.stdout.strip() == "True []"


@pytest.mark.parametrize(
    ("mode", "is_tty", "environ", "expected"),
    [
        ("auto", True, {"TERM_PROGRAM": "iTerm.app"}, ImageProtocol.ITERM2),
        ("auto", True, {"TERM": "xterm-256color"}, "blocks"),
        ("auto", False, {"TERM_PROGRAM": "iTerm.app"}, "blocks"),  # a pipe gets characters, never escapes
        ("blocks", True, {"KITTY_WINDOW_ID": "1"}, "blocks"),
        ("graphics", True, {"TERM": "xterm-256color"}, ImageProtocol.SIXEL),
        ("graphics", False, {"KITTY_WINDOW_ID": "1"}, "blocks"),
        ("none", True, {"KITTY_WINDOW_ID": "1"}, None),
    ],
)
def test_images_option_picks_a_drawer(mode: str, is_tty: bool, environ: dict[str, str], expected: object) -> None:
    from quiz.colors import ColorMode
    from quiz.images import BlockDrawer, GraphicsDrawer, ImageMode, drawer_for

    drawer = drawer_for(ImageMode(mode), ColorMode.NONE, is_tty, environ)
    if expected is None:
        assert drawer is None
    elif expected == "blocks":
        assert isinstance(drawer, BlockDrawer)
    else:
        assert isinstance(drawer, GraphicsDrawer) and drawer.protocol is expected


@pytest.mark.parametrize("columns", ["100", "0", "-3", "wide", None])
@pytest.mark.parametrize("lines", ["30", "", None])
def test_terminal_size_is_what_shutil_tells(columns: str | None, lines: str | None, monkeypatch) -> None:
    """The screen reads the size without `shutil` (a start-up cost), by the same rules."""
    import shutil

    from quiz.text import terminal_size

    for name, value in (("COLUMNS", columns), ("LINES", lines)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    assert terminal_size() == shutil.get_terminal_size()
