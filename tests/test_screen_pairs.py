"""Two pictures on one screen (a contrast card's two patterns, a painting beside its pattern), read off an
emulated terminal (pyte) at 80x24 and 160x45, and the image escapes a graphics terminal gets for them."""

from __future__ import annotations

import base64
import datetime as dt
import re
from pathlib import Path

import pytest
from virtual_terminal import VirtualTerminal

from decks.diagrams import Variant
from decks.diagrams.spec import DiagramSpec
from decks.model import Facts
from quiz.colors import ColorMode
from quiz.distractors import zone_text
from quiz.images import BlockDrawer, Legend
from quiz.picture_pair import PicturePair, draw_pair
from quiz.scheduler import Rating, ReviewScheduler
from quiz.store import AnswerMode, ReviewStore

SIZES = [(24, 80), (45, 160)]
CONTRAST_CAPTIONS = re.compile(r"(Abductor)(?: hallucis)?(?: TrP1)? {2,}(Gastrocnemius)")
PAINT_CAPTIONS = re.compile(r"(Your painting) {2,}(The pattern)")
MARKS = set("█░:.+X")
VIEW_LABELS = re.compile(
    r"(?:posterior|anterior|medial|lateral|plantar|dorsal|\w+\.)(?: ×2)?\s*$"
)  # what a monochrome half-block picture is drawn with
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def confused_twice(facts: Facts, db: Path) -> None:
    """A review log in which the gastrocnemius's referral card was twice taken for the abductor hallucis's
    zone: the quiz then has a contrast card for the two."""
    now = dt.datetime(2026, 11, 25, 9, tzinfo=dt.UTC)
    heel_zone = zone_text(facts.muscle("abductor-hallucis").trigger_point("trp1").referral.essential)
    scheduler = ReviewScheduler(0.9, None)
    with ReviewStore(db) as store:
        for minutes in (0, 5):
            when = now + dt.timedelta(minutes=minutes)
            store.record_review(
                "gastrocnemius/trp1/referral",
                lambda state, when=when: scheduler.review(state, Rating.Again, when),
                Rating.Again,
                AnswerMode.CHOICE,
                when,
                900,
                heel_zone,
            )


def contrast_quiz(facts: Facts, tmp_path: Path, size: tuple[int, int], *args: str, **env: str) -> VirtualTerminal:
    db = tmp_path / "reviews.sqlite3"
    confused_twice(facts, db)
    settings = {"MYODECK_DB": str(db), "MYODECK_NOW": "2026-11-26T09:00:00+00:00", "NO_COLOR": "1", "TERM": "xterm"}
    return VirtualTerminal(["quiz", "--topic", "contrast", *args], *size, {**settings, **env}, tmp_path)


def paint_quiz(tmp_path: Path, size: tuple[int, int], *args: str, **env: str) -> VirtualTerminal:
    settings = {"MYODECK_DB": str(tmp_path / "db"), "MYODECK_NOW": "2026-11-25T09:00:00+00:00", "NO_COLOR": "1"}
    args = ("quiz", "--paint", "--muscle", "fibularis-longus", "--new", "1", *args)
    return VirtualTerminal(list(args), *size, {**settings, "TERM": "xterm", **env}, tmp_path)


def columns_under(screen: str, captions: re.Pattern[str]) -> tuple[list[str], list[str]]:
    """The two pictures under their captions (found on one row): each one's rows, down to the views' labels.

    The pictures are split at the first blank column after the first caption; each caption is centred
    over its picture, so the first picture starts as far left of its caption as it ends right of it."""
    rows = screen.splitlines()
    top, found = next((i, m) for i, row in enumerate(rows) if (m := captions.search(row)))
    bottom = next(i for i in range(top + 1, len(rows)) if VIEW_LABELS.search(rows[i]))
    pair = [row.ljust(max(map(len, rows))) for row in rows[top + 1 : bottom + 1]]
    split = next(col for col in range(found.end(1), found.start(2)) if all(row[col] == " " for row in pair))
    left = found.start(1) - (split - found.end(1)) - 1
    return [row[left:split] for row in pair], [row[split:] for row in pair]


def drawn_rows(column: list[str]) -> int:
    return sum(bool(set(row) & MARKS) for row in column)


@pytest.mark.parametrize("size", SIZES)
def test_a_contrast_answer_shows_both_patterns_side_by_side(
    facts: Facts, tmp_path: Path, size: tuple[int, int]
) -> None:
    term = contrast_quiz(facts, tmp_path, size, "--images", "blocks")
    screen = term.wait_for("── 1 · contrast · new", "[space] show answer")
    question = "What tells these two patterns apart? Abductor hallucis TrP1 and Gastrocnemius TrP1"
    assert question in " ".join(screen.split())
    term.send(" ")
    screen = term.wait_for("Only Abductor hallucis TrP1: ", "[1] Again", "f flag")
    assert set(question.split()) <= set(screen.split())  # question, answer, pictures and keys: all on one screen
    assert "You have confused them 2 times." in screen and "more line" not in screen
    first, second = columns_under(screen, CONTRAST_CAPTIONS)
    assert drawn_rows(first) >= 6 and drawn_rows(second) >= 6
    assert any("X" in row for row in first) and any("X" in row for row in second)  # each its trigger point
    assert screen.count("essential pain") == 1  # one legend for both
    assert all(len(line) <= size[1] for line in screen.splitlines())
    term.send("3")
    screen = term.wait_for("── 2 · contrast · learning")  # still being learnt: it comes back, as any card
    assert "Saved · next review in 10m" in screen
    term.send("q")
    term.finish()


@pytest.mark.parametrize("size", SIZES)
def test_a_paint_answer_shows_the_painting_beside_the_pattern(tmp_path: Path, size: tuple[int, int]) -> None:
    term = paint_quiz(tmp_path, size, "--images", "blocks")
    term.wait_for("Regions, commas between")
    term.send("outer ankle bone, lateral-leg-middle\r")
    screen = term.wait_for("Score 78% → Hard", "[Enter] accept (Hard", "f flag")
    assert "paint its pattern" in screen and "✗ Essential missed: outer edge of the" in screen
    painting, pattern = columns_under(screen, PAINT_CAPTIONS)
    assert drawn_rows(painting) >= 8 and drawn_rows(pattern) >= 8
    assert any("█" in row for row in painting) and not any("X" in row for row in painting)  # regions, no X
    assert any("X" in row for row in pattern)
    assert screen.count("essential pain") == 1
    assert all(len(line) <= size[1] for line in screen.splitlines())
    term.send("q")
    term.finish()


def test_images_none_shows_neither_picture(facts: Facts, tmp_path: Path) -> None:
    term = contrast_quiz(facts, tmp_path, (24, 80), "--images", "none")
    term.wait_for("[space] show answer")
    term.send(" ")
    screen = term.wait_for("[1] Again")
    assert not CONTRAST_CAPTIONS.search(screen) and "essential pain" not in screen and "█" not in screen
    term.send("q")
    term.finish()


def test_a_narrow_column_stacks_the_pair(facts: Facts) -> None:
    gastrocnemius = facts.muscle("gastrocnemius")
    specs = tuple(
        DiagramSpec.for_trigger_point(gastrocnemius, trp, Variant.FULL) for trp in gastrocnemius.trigger_points[:2]
    )
    pair = PicturePair((specs[0], specs[1]), ("first one", "second one"))
    drawer = BlockDrawer(ColorMode.NONE)
    wide = draw_pair(drawer, pair, 30, 120, Legend.BELOW)
    narrow = draw_pair(drawer, pair, 60, 24, Legend.BELOW)
    assert wide is not None and narrow is not None
    assert re.search("first one +second one", wide.lines[0])  # side by side
    captions = [i for i, line in enumerate(narrow.lines) if line.strip() in ("first one", "second one")]
    assert len(captions) == 2 and captions[1] > captions[0] + 6  # one above the other
    assert narrow.width <= 24 and len(narrow.lines) <= 60 and len(wide.lines) <= 30 and wide.width <= 120
    assert draw_pair(drawer, pair, 8, 24, Legend.BELOW) is None  # too small for either: nothing


def _answer_bytes(term: VirtualTerminal) -> str:
    """The bytes the terminal got from the answer's screen on."""
    term.wait_for("[space] show answer")
    before = len(term.raw)
    term.send(" ")
    term.wait_for("[1] Again")
    answer = term.raw[before:]
    term.send("q")
    term.finish()
    return answer


def _side_by_side(placed: list[tuple[int, int, int, int]], size: tuple[int, int]) -> None:
    """Two images (row, column, rows, columns; 1-based), on one row, the second right of the first, both on screen."""
    assert len(placed) == 2, placed
    (row1, col1, _, cols1), (row2, col2, _, _) = placed
    assert row1 == row2 and col2 >= col1 + cols1
    assert all(rows >= 8 and row + rows - 1 <= size[0] and col + cols - 1 <= size[1] for row, col, rows, cols in placed)


@pytest.mark.parametrize("size", SIZES)
def test_iterm2_gets_the_pair_as_two_images_side_by_side(facts: Facts, tmp_path: Path, size: tuple[int, int]) -> None:
    raw = _answer_bytes(contrast_quiz(facts, tmp_path, size, TERM_PROGRAM="iTerm.app"))
    images = re.findall(r"\x1b\[(\d+);(\d+)H\x1b\]1337;File=([^:]*):([A-Za-z0-9+/=]+)\x07", raw)
    placed = []
    for row, col, options, data in images:
        png = base64.b64decode(data)
        fields = dict(field.split("=") for field in options.split(";"))
        assert png.startswith(PNG_SIGNATURE) and int(fields["size"]) == len(png)
        placed.append((int(row), int(col), int(fields["height"]), int(fields["width"])))
    _side_by_side(placed, size)
    assert "▀" not in raw and "▄" not in raw  # pictures, not half-blocks
    assert "Abductor hallucis TrP1" in raw and "Gastrocnemius TrP1" in raw  # the captions, as text


def test_kitty_gets_the_pair_as_two_images_side_by_side(facts: Facts, tmp_path: Path) -> None:
    raw = _answer_bytes(contrast_quiz(facts, tmp_path, (24, 80), KITTY_WINDOW_ID="1", TERM="xterm-kitty"))
    placed = []
    for row, col, keys in re.findall(r"\x1b\[(\d+);(\d+)H\x1b_G(a=T[^;]*);", raw):
        fields = dict(key.split("=") for key in keys.split(","))
        assert fields["f"] == "100" and fields["C"] == "1"  # a PNG, the cursor left where it was
        placed.append((int(row), int(col), int(fields["r"]), int(fields["c"])))
    _side_by_side(placed, (24, 80))
    assert "▀" not in raw and "▄" not in raw


def test_sixel_terminal_gets_the_pair_as_two_sixel_images(facts: Facts, tmp_path: Path) -> None:
    raw = _answer_bytes(contrast_quiz(facts, tmp_path, (24, 80), TERM="foot"))
    images = re.findall(r'\x1b\[(\d+);(\d+)H\x1bP0;1;0q"1;1;(\d+);(\d+)#', raw)
    cell_width, cell_height = 8, 16  # what cell_pixels() assumes when the terminal reports no pixel size
    placed = [(int(r), int(c), -(-int(h) // cell_height), -(-int(w) // cell_width)) for r, c, w, h in images]
    _side_by_side(placed, (24, 80))
    assert raw.count("\x1b\\") >= 2 and "\x1b]1337" not in raw and "\x1b_G" not in raw


def test_a_painting_is_drawn_as_an_image_beside_the_pattern(tmp_path: Path) -> None:
    term = paint_quiz(tmp_path, (24, 80), TERM_PROGRAM="iTerm.app", MYODECK_CACHE=str(tmp_path / "cache"))
    term.wait_for("Regions, commas between")
    before = len(term.raw)
    term.send("outer ankle bone, lateral-leg-middle\r")
    term.wait_for("Score 78% → Hard", "[Enter] accept (Hard", timeout=60)  # the painting is drawn (matplotlib)
    answer = term.raw[before:]
    images = re.findall(r"\x1b\[(\d+);(\d+)H\x1b\]1337;File=([^:]*):", answer)
    placed = [(int(r), int(c), *(int(dict(f.split("=") for f in o.split(";"))[k]) for k in ("height", "width")))
              for r, c, o in images]  # fmt: skip
    _side_by_side(placed, (24, 80))
    assert re.search(r"Your painting {2,}The pattern", term.text)
    term.send("q")
    term.finish()
