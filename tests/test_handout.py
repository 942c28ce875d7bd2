"""`myodeck handout`: the worksheet and key PDFs, read back with a tiny PDF parser."""

from __future__ import annotations

import re
import shutil
import subprocess
import zlib
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_hex, to_rgba
from matplotlib.image import BboxImage
from matplotlib.lines import Line2D
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.text import Text
from PIL import Image

from decks.cards import CardKind
from decks.cli import main
from decks.commands.classroom import handout as handout_command
from decks.diagrams.render import MUSCLE, OUTLINE
from decks.diagrams.spec import choose_views
from decks.model import Facts
from quiz.classroom import class_questions
from quiz.handout import DRAWN_KINDS, PAPERS, HandoutReport, Heading, handout_figures, key_path, write_handout


@pytest.fixture(scope="module")
def seed_1(facts: Facts, tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[bytes, bytes]]:
    """The handout of the README's example (12 questions, seed 1) on each paper: (worksheet, key)."""
    made = {}
    for name, paper in PAPERS.items():
        path = tmp_path_factory.mktemp(name) / "w.pdf"
        write_handout(facts, path, 12, 1, paper=paper)
        made[name] = (path.read_bytes(), key_path(path).read_bytes())
    return made


def _page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))


def _media_boxes(pdf: bytes) -> set[tuple[float, ...]]:
    return {tuple(round(float(v), 2) for v in box.split()) for box in re.findall(rb"/MediaBox\s*\[([^\]]*)\]", pdf)}


def _texts(pdf: bytes) -> list[str]:
    """Every text drawn, in drawing order: each BT..ET block of the page streams joined into one string."""
    texts = []
    for stream in re.findall(rb"stream\n(.*?)\nendstream", pdf, re.S):  # as matplotlib writes them
        try:
            content = zlib.decompress(stream)
        except zlib.error:
            continue
        for block in re.findall(rb"BT(.*?)ET", content, re.S):
            parts = re.findall(rb"\(((?:\\.|[^\\)])*)\)", block)
            text = b"".join(re.sub(rb"\\(.)", rb"\1", part) for part in parts)
            texts.append(text.decode("cp1252"))
    return texts


def test_page_counts_and_paper_sizes(seed_1: dict[str, tuple[bytes, bytes]]) -> None:
    a4_worksheet, a4_key = seed_1["a4"]
    letter_worksheet, letter_key = seed_1["letter"]
    assert (_page_count(a4_worksheet), _page_count(a4_key)) == (6, 3)
    assert (_page_count(letter_worksheet), _page_count(letter_key)) == (6, 3)
    assert _media_boxes(a4_worksheet) == _media_boxes(a4_key) == {(0, 0, 595.28, 841.89)}  # 210 x 297 mm
    assert _media_boxes(letter_worksheet) == _media_boxes(letter_key) == {(0, 0, 612, 792)}  # 8.5 x 11 in


def test_two_runs_give_identical_bytes(facts: Facts, seed_1: dict[str, tuple[bytes, bytes]], tmp_path: Path) -> None:
    path = tmp_path / "again.pdf"
    write_handout(facts, path, 12, 1)
    assert (path.read_bytes(), key_path(path).read_bytes()) == seed_1["a4"]
    assert b"CreationDate" not in path.read_bytes()
    assert b"/Producer (myodeck)" in path.read_bytes()


def test_key_gives_the_class_quiz_letters_in_order(facts: Facts, seed_1: dict[str, tuple[bytes, bytes]]) -> None:
    expected = [f"{n}. {q.correct_letter}" for n, q in enumerate(class_questions(facts, 12, 1), start=1)]
    for worksheet, key in seed_1.values():
        assert [t for t in _texts(key) if re.fullmatch(r"\d+\. [ABCD]", t)] == expected
        at_a_glance = re.findall(r"(\d+)\xa0([ABCD])", " ".join(_texts(key)))  # "1 A   2 C ...", wrapped
        assert [f"{n}. {letter}" for n, letter in at_a_glance] == expected
        assert not any(re.fullmatch(r"\d+\. [ABCD]", t) for t in _texts(worksheet))


def test_worksheet_shows_every_question_and_choice(facts: Facts, seed_1: dict[str, tuple[bytes, bytes]]) -> None:
    def unwrapped(text: str) -> str:  # lines break at spaces and after hyphens
        return "".join(text.split())

    def as_printed(text: str) -> str:
        # matplotlib shapes text: fi, fl, ff... are printed as one ligature glyph, coded below 32
        return re.sub(r"f(?:f[il]?|[il])", r"(?:\g<0>|[\\x00-\\x1f])", re.escape(unwrapped(text)))

    for worksheet, _ in seed_1.values():
        printed = unwrapped("".join(_texts(worksheet)))
        for question in class_questions(facts, 12, 1):
            for text in (question.prompt, *question.choices):
                assert re.search(as_printed(text), printed), text


def test_drawing_exercises_are_blank_outlines_of_the_views_the_answer_needs(facts: Facts) -> None:
    questions = class_questions(facts, 12, 1)
    worksheet, key = handout_figures(questions, Heading(1, ("Soleus",), len(questions), PAPERS["a4"]))
    drawn = [q for q in questions if q.kind in DRAWN_KINDS]
    pictures = [q for q in questions if q.picture is not None]
    assert drawn and pictures

    def panels(figures) -> int:  # each view is drawn with one outline of the body
        return sum(
            isinstance(artist, PathPatch) and artist.get_edgecolor() == to_rgba(OUTLINE)
            for fig in figures
            for artist in fig.artists
        )

    def skins(figures) -> int:  # and the skin image, in colour, only where the picture is marked
        return sum(isinstance(artist, BboxImage) for fig in figures for artist in fig.artists)

    def marks(figures, colour: str) -> int:
        return sum(
            isinstance(artist, PathPatch) and to_hex(artist.get_facecolor()) == colour
            for fig in figures
            for artist in fig.artists
        )

    def crosses(figures) -> int:
        return sum(isinstance(a, Line2D) and a.get_marker() == "x" for fig in figures for a in fig.artists)

    blank_views = sum(len(choose_views(q.reveal_picture)) for q in drawn if q.reveal_picture)
    pattern_views = sum(len(choose_views(q.picture)) for q in pictures if q.picture)
    assert panels(worksheet) == blank_views + pattern_views
    assert skins(worksheet) == pattern_views  # the blank outlines print white, to draw on
    assert crosses(worksheet) == 0  # the blank outlines have no X, and pattern pictures never have one
    assert marks(worksheet, MUSCLE) == 0  # nor the muscle, which would give the answer away
    assert crosses(key) > 0 and marks(key, MUSCLE) > 0  # the key's pictures are filled in


@pytest.mark.parametrize("paper", PAPERS.values(), ids=PAPERS.keys())
def test_text_and_pictures_stay_inside_the_margins(facts: Facts, paper) -> None:
    questions = class_questions(facts, 40, 7)  # every kind, the longest attachments and actions included
    worksheet, key = handout_figures(questions, Heading(7, tuple(m.name for m in facts.muscles), 40, paper))
    dpi = worksheet[0].dpi
    left, right = 0.75 * dpi - 0.5, (paper.width - 0.75) * dpi + 0.5
    for fig in worksheet + key:
        canvas = FigureCanvasAgg(fig)
        canvas.draw()  # lays the legends out
        renderer = canvas.get_renderer()
        for artist in [*fig.findobj(Text), *fig.axes, *(a for a in fig.artists if isinstance(a, BboxImage))]:
            if isinstance(artist, Text) and not artist.get_text():
                continue
            box = artist.get_window_extent(renderer)
            assert left <= box.x0 and box.x1 <= right, (getattr(artist, "get_text", str)(), box)
            assert 0.25 * dpi <= box.y0 and box.y1 <= (paper.height - 0.6) * dpi, box


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed")
def test_blank_outlines_have_no_red_and_the_key_has(seed_1: dict[str, tuple[bytes, bytes]], tmp_path: Path) -> None:
    worksheet, key = seed_1["a4"]

    def page_rgb(pdf: bytes, page: int) -> np.ndarray:
        (tmp_path / "in.pdf").write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-r", "40", "-png", "-f", str(page), "-l", str(page), "-singlefile", "in.pdf", "page"],
            cwd=tmp_path,
            check=True,
        )
        return np.asarray(Image.open(tmp_path / "page.png").convert("RGB")).astype(int)

    def red_pixels(rgb: np.ndarray) -> int:
        return int(((rgb[..., 0] > 180) & (rgb[..., 1] < 80) & (rgb[..., 2] < 80)).sum())

    def skin_pixels(rgb: np.ndarray) -> int:  # the beige that prints grey (lines' soft edges are not it)
        return int((np.abs(rgb - np.array([235, 216, 202])).max(axis=-1) < 14).sum())

    drawing_page = page_rgb(worksheet, 2)  # question 2: a drawing exercise only
    assert red_pixels(drawing_page) == 0
    assert skin_pixels(drawing_page) < 100  # outlines only: they print white, to draw on
    key_page = page_rgb(key, 1)
    assert red_pixels(key_page) > 20  # the key's question 2: the filled-in referral zone
    assert skin_pixels(key_page) > 800  # and its picture in colour


def test_key_goes_beside_the_worksheet() -> None:
    assert key_path(Path("class/week3.pdf")) == Path("class/week3-key.pdf")


def test_cli_writes_both_files_and_says_so(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["handout", "-n", "12", "--seed", "1", "-o", str(tmp_path / "w.pdf")])
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"Wrote the worksheet (12 questions, 6 pages) to {tmp_path / 'w.pdf'} and its answer key (3 pages) to "
        f"{tmp_path / 'w-key.pdf'}\nSeed 1: `myodeck class --seed 1` asks these questions in this order.\n"
    )


def test_cli_errors_write_nothing(tmp_path: Path) -> None:
    out = tmp_path / "w.pdf"
    unknown = CliRunner().invoke(main, ["handout", "--muscle", "solues", "-o", str(out)])
    assert unknown.exit_code == 1
    assert unknown.stderr == "Error: unknown muscle 'solues' (did you mean 'soleus'?); `myodeck muscles` lists them\n"
    bad_paper = CliRunner().invoke(main, ["handout", "--paper", "a5", "-o", str(out)])
    assert bad_paper.exit_code == 2
    assert "'a5' is not one of 'a4', 'letter'" in bad_paper.stderr
    assert list(tmp_path.iterdir()) == []


def test_cli_offers_every_paper() -> None:
    paper = next(p for p in handout_command.params if p.name == "paper")
    assert list(paper.type.choices) == list(PAPERS)  # type: ignore[attr-defined]


def test_title_and_a_name_line_on_every_worksheet_page(facts: Facts, tmp_path: Path) -> None:
    out = tmp_path / "w.pdf"
    args = ["handout", "-n", "12", "--seed", "1", "--title", "Week 3 $5 quiz: the calf", "-o", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    worksheet = out.read_bytes()
    assert b"Week 3 $5 quiz: the calf" in worksheet  # the PDF's title, as typed
    heading = Heading(1, ("Soleus",), 12, PAPERS["a4"], "Week 3 $5 quiz: the calf")
    pages, key_pages = handout_figures(class_questions(facts, 12, 1), heading)
    for fig in pages:
        texts = [text.get_text() for text in fig.texts]
        assert "Name ____________________" in texts and "Week 3 $5 quiz: the calf · seed 1" in texts
    assert all("Name ____________________" not in [t.get_text() for t in fig.texts] for fig in key_pages)
    refused = CliRunner().invoke(main, ["handout", "--title", "line\nbreak", "-o", str(tmp_path / "x.pdf")])
    assert refused.exit_code == 2 and "--title" in refused.stderr


def _drawings(rows) -> list:
    """The blank outlines among a page's rows, however they are placed (beside choices, in a column)."""
    from quiz.handout import _BesideRow, _ColumnsRow, _DiagramRow

    found = []
    for row in rows:
        if isinstance(row, _ColumnsRow):
            found += [d for column in row.columns for d in _drawings(column)]
        elif isinstance(row, _BesideRow):
            found += _drawings([row.picture])
        elif isinstance(row, _DiagramRow) and not row.marks:
            found.append(row)
    return found


@pytest.mark.parametrize("paper", PAPERS.values(), ids=PAPERS.keys())
@pytest.mark.parametrize("draw_only", [False, True])
def test_a_leg_view_of_every_drawing_is_at_least_40_mm_wide(facts: Facts, paper, draw_only: bool) -> None:
    from decks.diagrams.render import panel_layouts
    from decks.regions import FOOT_VIEWS
    from quiz.handout import _worksheet_groups, body_width

    questions = class_questions(facts, 40, 7)
    heading = Heading(7, ("all",), 40, paper, draw_only=draw_only)
    drawings = [d for group in _worksheet_groups(questions, heading) for d in _drawings(group)]
    assert len(drawings) == sum(q.kind in DRAWN_KINDS for q in questions) > 5
    for drawing in drawings:
        layouts = panel_layouts(drawing.spec, drawing.panel_height)
        limb = [layout for layout in layouts if layout.view not in FOOT_VIEWS] or layouts
        assert max(body_width(layout) for layout in limb) * 25.4 >= 40, drawing.spec.title


def test_draw_only_leaves_the_choices_out_of_drawing_exercises(facts: Facts, tmp_path: Path) -> None:
    from matplotlib.patches import Rectangle

    questions = class_questions(facts, 12, 1)
    drawn = [n for n, q in enumerate(questions, start=1) if q.kind in DRAWN_KINDS]
    assert drawn
    for draw_only in (False, True):
        heading = Heading(1, ("Soleus",), 12, PAPERS["a4"], draw_only=draw_only)
        worksheet, key = handout_figures(questions, heading)
        tick_boxes = sum(isinstance(p, Rectangle) for fig in worksheet for p in fig.patches)
        assert tick_boxes == 4 * (len(questions) - (len(drawn) if draw_only else 0))
        glance = next(t.get_text() for fig in key for t in fig.texts if t.get_text().startswith("At a glance"))
        assert (f"{drawn[0]}\u00a0drawing" in glance) is draw_only
    out = tmp_path / "w.pdf"
    result = CliRunner().invoke(main, ["handout", "-n", "12", "--seed", "1", "--draw-only", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.exists() and key_path(out).exists()


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_paint_questions_are_outlines_to_shade_and_the_key_draws_the_pattern(facts: Facts, tmp_path: Path) -> None:
    """`--paint` prints `class --paint`'s questions: a painted referral has no choices, only a blank outline to
    shade; the key gives its zones in words and draws them. A pain map shows the pain beside its choices."""
    out = tmp_path / "w.pdf"
    args = ["handout", "--paint", "--topic", "referral", "--topic", "pain-map", "-n", "4", "--seed", "3"]
    result = CliRunner().invoke(main, [*args, "-o", str(out)])
    assert result.exit_code == 0, result.output
    questions = class_questions(facts, 4, 3, kinds=(CardKind.REFERRAL, CardKind.PAIN_MAP), paint=True)
    painted = [n for n, q in enumerate(questions, start=1) if q.paint is not None]
    assert painted == [1, 3]

    def text(pdf: Path) -> str:
        found = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True)
        return " ".join(found.stdout.split())

    worksheet, key = text(out), text(key_path(out))
    assert (
        "1. Pectineus TrP1: paint its pattern. Where does it refer pain? Shade the essential pain zone solid"
        in worksheet
    )
    assert "Teams" not in worksheet
    assert worksheet.count("where it hurts") == 2  # the pain maps' legends
    assert "At a glance: 1 drawing 2 B 3 drawing 4 B" in key
    assert "myodeck class --paint --seed 3 asks these questions in this order." in key
    assert result.output.endswith("Seed 3: `myodeck class --paint --seed 3` asks these questions in this order.\n")
    assert "1. essential: groin (inguinal region); spillover: inner side of the thigh, upper third" in key
    assert "3. essential: underside of the heel; spillover: none" in key
    heading = Heading(3, ("Soleus",), 4, PAPERS["a4"])
    sheets, _ = handout_figures(questions, heading)
    assert sum(isinstance(p, Rectangle) for fig in sheets for p in fig.patches) == 4 * 2  # the pain maps' choices

    def red(pdf: Path) -> np.ndarray:
        subprocess.run(
            ["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf), "page"],
            cwd=tmp_path, check=True,
        )  # fmt: skip
        pixels = np.asarray(Image.open(tmp_path / "page.png").convert("RGB")).astype(int)
        return (pixels[..., 0] > 170) & (pixels[..., 1] < 60) & (pixels[..., 2] < 70)

    # page 1: the blank outline of question 1 in the left column, the pain map of question 2 in the right
    sheet = red(out)
    middle = sheet.shape[1] // 2
    assert not sheet[:, :middle].any() and sheet[:, middle:].mean() > 0.005
    assert red(key_path(out)).any()  # the key draws question 1's pattern


def test_the_summary_says_when_fewer_questions_exist_than_were_asked_for(tmp_path: Path) -> None:
    fewer = HandoutReport(tmp_path / "w.pdf", tmp_path / "w-key.pdf", 12, 8, 4, 50).summary()
    assert fewer.startswith("Wrote the worksheet (12 questions, 8 pages)")
    assert fewer.endswith("; 50 were asked for, and that is all the chosen muscles and topics give")
    exact = HandoutReport(tmp_path / "w.pdf", tmp_path / "w-key.pdf", 1, 1, 1, 1).summary()
    assert (
        exact
        == f"Wrote the worksheet (1 question, 1 page) to {tmp_path / 'w.pdf'} and its answer key (1 page) to {tmp_path / 'w-key.pdf'}"
    )
