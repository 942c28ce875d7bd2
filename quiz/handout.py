"""A printable worksheet and its answer key: two PDFs drawn with matplotlib.

Both come from the very `class_questions` list `myodeck class` asks, so the same
seed gives the same numbers and letters on paper as on the projector. Every
question keeps its four lettered choices (the key marks every question by letter);
referral and location questions are also drawing exercises, with blank outlines of
the views the answer needs. The key is its own file: the worksheet is printed once
per student, the key once.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.textpath import TextToPath

from decks.atomic import OutputError, output_problem, write_atomically
from decks.cards import CardKind
from decks.diagrams.render import INK, add_legend, diagram_width, draw_views
from decks.diagrams.spec import DiagramSpec
from decks.errors import MyodeckError
from decks.model import Facts
from quiz.classroom import CLASS_KINDS, LETTERS, ClassQuestion, class_questions


@dataclass(frozen=True)
class Paper:
    name: str
    width: float  # inches
    height: float


PAPERS = {"a4": Paper("A4", 210 / 25.4, 297 / 25.4), "letter": Paper("Letter", 8.5, 11.0)}

# Questions whose answer is a place on the limb: students draw it on a blank outline.
DRAWN_KINDS = {
    CardKind.REFERRAL: "Draw first: shade the essential pain zone solid and dot the spillover zone on the outline.",
    CardKind.LOCATION: "Draw first: mark the trigger point with an X on the outline.",
}

_MARGIN_SIDE = 0.75  # inches
_MARGIN_TOP = 0.7
_MARGIN_BOTTOM = 0.85  # the footer sits in it
_INDENT = 0.4  # question text, right of its number
_CHOICE_TEXT = 0.45  # from a choice's tick box to its text, past the letter
_BESIDE_GAP = 0.35  # between a picture and the choices beside it
_MIN_CHOICE_ROOM = 2.2  # narrower than this beside a picture, the choices go below it
_TITLE, _BODY, _SMALL, _FOOTER = 16.0, 10.5, 9.0, 8.0  # points
_LINE_SPACING = 1.4
# Lines are wrapped at the width of the text's own average character, less this much, as
# one line may hold more wide letters than the average: never past the margin.
_FILL = 0.92
_TEXT_TO_PATH = TextToPath()
_GREY = "#555555"
_DRAWING_PANEL_HEIGHT = 3.0  # room to draw in
_PICTURE_PANEL_HEIGHT = 2.6
_KEY_PANEL_HEIGHT = 2.2


@dataclass(frozen=True)
class Heading:
    """What the first lines of both files say: the seed and the muscles asked about."""

    seed: int
    muscles: tuple[str, ...]
    question_count: int
    paper: Paper
    title: str = "myodeck worksheet"


class _Row(Protocol):
    """One horizontal strip of a page; rows are stacked from the top margin down."""

    @property
    def height(self) -> float: ...

    def draw(self, fig: Figure, top: float) -> None: ...


def _line_height(size: float) -> float:
    return size * _LINE_SPACING / 72


def _y(fig: Figure, inches_from_top: float) -> float:
    return 1 - inches_from_top / fig.get_size_inches()[1]


def _x(fig: Figure, inches_from_left: float) -> float:
    return inches_from_left / fig.get_size_inches()[0]


@dataclass(frozen=True)
class _TextRow:
    """One line of text `indent` inches right of the margin; a first line may carry a bold label and a tick box."""

    text: str
    size: float = _BODY
    indent: float = 0.0
    label: str = ""  # a question's number, or a choice's letter (after its tick box)
    label_indent: float = 0.0
    tick_box: bool = False
    bold: bool = False
    italic: bool = False
    color: str = INK

    @property
    def height(self) -> float:
        return _line_height(self.size)

    def draw(self, fig: Figure, top: float) -> None:
        style = {"fontsize": self.size, "color": self.color, "va": "top", "parse_math": False}
        label_at = _MARGIN_SIDE + self.label_indent
        if self.tick_box:
            side = self.size * 0.85 / 72
            fig.patches.append(
                Rectangle(
                    (_x(fig, label_at), _y(fig, top + 1.2 * side)),
                    _x(fig, side),
                    1 - _y(fig, side),
                    transform=fig.transFigure,
                    fill=False,
                    edgecolor=INK,
                    lw=0.9,
                )
            )
            label_at += side + 0.08
        if self.label:
            fig.text(_x(fig, label_at), _y(fig, top), self.label, weight="bold", **style)
        fig.text(
            _x(fig, _MARGIN_SIDE + self.indent),
            _y(fig, top),
            self.text,
            weight="bold" if self.bold else "normal",
            style="italic" if self.italic else "normal",
            **style,
        )


@dataclass(frozen=True)
class _GapRow:
    height: float

    def draw(self, fig: Figure, top: float) -> None:
        pass


@dataclass(frozen=True)
class _RuleRow:
    height: float = 0.2

    def draw(self, fig: Figure, top: float) -> None:
        right = fig.get_size_inches()[0] - _MARGIN_SIDE
        y = _y(fig, top + self.height / 2)
        fig.lines.append(
            Line2D([_x(fig, _MARGIN_SIDE), _x(fig, right)], [y, y], transform=fig.transFigure, color=INK, lw=0.8)
        )


@dataclass(frozen=True)
class _DiagramRow:
    """A picture's views side by side at the question's indent; unmarked, the blank outlines to draw on.

    A marked picture gets its legend below; a blank outline needs none.
    """

    spec: DiagramSpec
    panel_height: float
    marks: bool

    @property
    def width(self) -> float:
        return diagram_width(self.spec, self.panel_height)

    @property
    def height(self) -> float:
        return self.panel_height + 0.3 + (0.3 if self.marks else 0.0)  # view labels, then the legend

    def draw(self, fig: Figure, top: float) -> None:
        left = _MARGIN_SIDE + _INDENT
        draw_views(
            fig, self.spec, left, fig.get_size_inches()[1] - top - self.panel_height, self.panel_height, self.marks
        )
        if self.marks:
            below_labels = top + self.panel_height + 0.25
            add_legend(fig, self.spec, (_x(fig, left), _y(fig, below_labels)), fontsize=_SMALL, loc="upper left")


@dataclass(frozen=True)
class _BesideRow:
    """A picture with rows of text to its right, top-aligned: choices next to the drawing they go with."""

    picture: _DiagramRow
    rows: tuple[_Row, ...]

    @property
    def height(self) -> float:
        return max(self.picture.height, sum(row.height for row in self.rows))

    def draw(self, fig: Figure, top: float) -> None:
        self.picture.draw(fig, top)
        for row in self.rows:
            row.draw(fig, top)
            top += row.height


def _diagram(spec: DiagramSpec, panel_height: float, paper: Paper, marks: bool = True) -> _DiagramRow:
    """The picture at `panel_height`, or smaller when its views would run past the right margin."""
    room = paper.width - 2 * _MARGIN_SIDE - _INDENT
    scale = min(1.0, room / diagram_width(spec, panel_height))
    return _DiagramRow(spec, panel_height * scale, marks)


def _wrapped(
    text: str,
    paper: Paper,
    size: float = _BODY,
    indent: float = 0.0,
    label: str = "",
    label_indent: float = 0.0,
    tick_box: bool = False,
    bold: bool = False,
    italic: bool = False,
    color: str = INK,
) -> list[_Row]:
    """`text` as rows that fit between `indent` and the right margin; the label and tick box go on the first."""
    room = paper.width - 2 * _MARGIN_SIDE - indent
    font = FontProperties(size=size, weight="bold" if bold else "normal", style="italic" if italic else "normal")
    width, _, _ = _TEXT_TO_PATH.get_text_width_height_descent(text or " ", font, ismath=False)
    inches_per_character = width / 72 / max(1, len(text))
    lines = textwrap.wrap(text, width=max(12, int(_FILL * room / inches_per_character))) or [""]
    return [
        _TextRow(line, size, indent, label if i == 0 else "", label_indent, tick_box and i == 0, bold, italic, color)
        for i, line in enumerate(lines)
    ]


def _choices(question: ClassQuestion, paper: Paper, at: float) -> list[_Row]:
    """The four choices, each a tick box and its letter at `at` inches from the margin, then its text."""
    rows: list[_Row] = []
    for letter, choice in zip(LETTERS, question.choices, strict=True):
        rows += _wrapped(choice, paper, indent=at + _CHOICE_TEXT, label=letter, label_indent=at, tick_box=True)
    return rows


def _with_choices(picture: _DiagramRow, question: ClassQuestion, paper: Paper) -> list[_Row]:
    """The picture with the choices beside it, or below it when the picture leaves them too little room."""
    beside = _INDENT + picture.width + _BESIDE_GAP
    if paper.width - 2 * _MARGIN_SIDE - beside - _CHOICE_TEXT >= _MIN_CHOICE_ROOM:
        return [_BesideRow(picture, tuple(_choices(question, paper, beside)))]
    return [picture, _GapRow(0.05), *_choices(question, paper, _INDENT)]


def _heading_rows(title: str, heading: Heading) -> list[_Row]:
    return [
        _TextRow(title, _TITLE, bold=True),
        _GapRow(0.1),
        *_wrapped("Muscles: " + ", ".join(heading.muscles) + ".", heading.paper),
        _TextRow(f"{heading.question_count} questions · seed {heading.seed} · pictures show the right leg"),
    ]


def _worksheet_groups(questions: Sequence[ClassQuestion], heading: Heading) -> list[list[_Row]]:
    """The worksheet as groups of rows: the heading, then one group per question, each kept on one page."""
    paper = heading.paper
    groups: list[list[_Row]] = [
        [
            *_heading_rows(heading.title, heading),
            _GapRow(0.15),
            _TextRow("Name ______________________________        Date __________________"),
            _GapRow(0.12),
            *_wrapped(
                "Tick one box per question. Where there is an empty outline, draw the answer on it first: "
                "an X for a trigger point, solid shading for the essential pain zone, dots for the spillover zone.",
                paper,
                italic=True,
            ),
            _RuleRow(),
        ]
    ]
    for number, question in enumerate(questions, start=1):
        rows = _wrapped(question.prompt, paper, indent=_INDENT, label=f"{number}.")
        if question.kind in DRAWN_KINDS and question.reveal_picture is not None:
            rows += _wrapped(DRAWN_KINDS[question.kind], paper, _SMALL, _INDENT, italic=True, color=_GREY)
            picture = _diagram(question.reveal_picture, _DRAWING_PANEL_HEIGHT, paper, marks=False)
            rows += [_GapRow(0.08), *_with_choices(picture, question, paper)]
        elif question.picture is not None:
            rows += [
                _GapRow(0.08),
                *_with_choices(_diagram(question.picture, _PICTURE_PANEL_HEIGHT, paper), question, paper),
            ]
        else:
            rows += [_GapRow(0.05), *_choices(question, paper, _INDENT)]
        rows.append(_GapRow(0.25))
        groups.append(rows)
    return groups


def _key_groups(questions: Sequence[ClassQuestion], heading: Heading) -> list[list[_Row]]:
    """The key: every question's letter and answer, its explanation, and the filled-in drawings."""
    paper = heading.paper
    # A no-break space keeps each number with its letter when the line wraps.
    at_a_glance = "   ".join(f"{n}\u00a0{q.correct_letter}" for n, q in enumerate(questions, start=1))
    groups: list[list[_Row]] = [
        [
            *_heading_rows(f"{heading.title} · answer key", heading),
            _TextRow(f"myodeck class --seed {heading.seed} asks these questions in this order.", color=_GREY),
            _GapRow(0.1),
            *_wrapped("At a glance:   " + at_a_glance, paper, bold=True),
            _RuleRow(),
        ]
    ]
    answer_at = _INDENT + 0.25
    for number, question in enumerate(questions, start=1):
        rows = _wrapped(question.correct, paper, indent=answer_at, label=f"{number}. {question.correct_letter}")
        rows += _wrapped(question.explanation, paper, _SMALL, answer_at, color=_GREY)
        if question.kind in DRAWN_KINDS and question.reveal_picture is not None:
            rows += [_GapRow(0.08), _diagram(question.reveal_picture, _KEY_PANEL_HEIGHT, paper)]
        rows.append(_GapRow(0.2))
        groups.append(rows)
    return groups


def _paginate(groups: Sequence[Sequence[_Row]], paper: Paper) -> list[list[_Row]]:
    """Rows per page: a group that does not fit starts a new page; one taller than a page breaks between rows."""
    room = paper.height - _MARGIN_TOP - _MARGIN_BOTTOM
    pages: list[list[_Row]] = [[]]
    used = 0.0
    for group in groups:
        if used + sum(row.height for row in group) > room and pages[-1]:
            pages.append([])
            used = 0.0
        for row in group:
            if used + row.height > room and pages[-1]:
                pages.append([])
                used = 0.0
            pages[-1].append(row)
            used += row.height
    return pages


def _figures(pages: Sequence[Sequence[_Row]], paper: Paper, footer: str, name_line: bool) -> list[Figure]:
    """Each page as a figure, with the footer (and on a worksheet a name line: pages get separated)."""
    figures = []
    for number, rows in enumerate(pages, start=1):
        fig = Figure(figsize=(paper.width, paper.height), facecolor="white")
        top = _MARGIN_TOP
        for row in rows:
            row.draw(fig, top)
            top += row.height
        footer_y = _y(fig, paper.height - _MARGIN_BOTTOM / 2)
        fig.text(_x(fig, _MARGIN_SIDE), footer_y, footer, fontsize=_FOOTER, color=_GREY, va="center", parse_math=False)
        if name_line:
            fig.text(
                _x(fig, paper.width / 2), footer_y, "Name ____________________", fontsize=_FOOTER, color=_GREY,
                va="center", ha="center",
            )  # fmt: skip
        fig.text(
            _x(fig, paper.width - _MARGIN_SIDE),
            footer_y,
            f"page {number} of {len(pages)}",
            fontsize=_FOOTER,
            color=_GREY,
            va="center",
            ha="right",
        )
        figures.append(fig)
    return figures


def handout_figures(questions: Sequence[ClassQuestion], heading: Heading) -> tuple[list[Figure], list[Figure]]:
    """The worksheet's pages and the key's pages, as figures the size of the paper."""
    worksheet = _paginate(_worksheet_groups(questions, heading), heading.paper)
    key = _paginate(_key_groups(questions, heading), heading.paper)
    return (
        _figures(worksheet, heading.paper, f"{heading.title} · seed {heading.seed}", name_line=True),
        _figures(key, heading.paper, f"{heading.title} · seed {heading.seed} · answer key", name_line=False),
    )


def _pdf(figures: Sequence[Figure], title: str) -> bytes:
    """A multi-page PDF with no dates and no version strings in it, so the same pages give the same bytes."""
    buffer = io.BytesIO()
    metadata = {"Title": title, "Creator": "myodeck", "Producer": "myodeck", "CreationDate": None, "ModDate": None}
    with PdfPages(buffer, metadata=metadata) as pdf:
        for fig in figures:
            pdf.savefig(fig)
    return buffer.getvalue()


def key_path(worksheet: Path) -> Path:
    """Where the key of `worksheet` goes: `w.pdf` -> `w-key.pdf`, beside it."""
    return worksheet.with_name(f"{worksheet.stem}-key{worksheet.suffix}")


@dataclass(frozen=True)
class HandoutReport:
    worksheet: Path
    key: Path
    questions: int
    worksheet_pages: int
    key_pages: int

    def summary(self) -> str:
        def pages(count: int) -> str:
            return f"{count} page{'s' if count != 1 else ''}"

        return (
            f"Wrote the worksheet ({self.questions} questions, {pages(self.worksheet_pages)}) to {self.worksheet}"
            f" and its answer key ({pages(self.key_pages)}) to {self.key}"
        )


def write_handout(
    facts: Facts,
    path: Path,
    count: int,
    seed: int,
    muscles: tuple[str, ...] = (),
    paper: Paper = PAPERS["a4"],
    title: str = "myodeck worksheet",
    kinds: Sequence[CardKind] = CLASS_KINDS,
) -> HandoutReport:
    """Write the worksheet of `class_questions(facts, count, seed, muscles, kinds)` to `path` and its key beside it."""
    questions = class_questions(facts, count, seed, muscles, kinds)
    if not questions:
        raise MyodeckError("no questions to print for these muscles")
    if path.exists() and not path.is_file():  # `-o /dev/null` would put the key in /dev/null-key
        raise OutputError(
            f"cannot write {path}: it is not a file, and a handout is two files beside each other "
            f"({path.name} and {key_path(path).name}); give a file name"
        )
    if problem := output_problem(key_path(path)):  # before drawing, and before the worksheet is written
        raise OutputError(f"cannot write the answer key {key_path(path)}: {problem}")
    heading = Heading(seed, tuple(m.name for m in facts.select(muscles).muscles), len(questions), paper, title)
    worksheet, key = handout_figures(questions, heading)
    worksheet_pdf = _pdf(worksheet, f"{title}, seed {seed}")
    key_pdf = _pdf(key, f"{title}, seed {seed}: answer key")
    write_atomically(key_path(path), key_pdf)
    write_atomically(path, worksheet_pdf)
    return HandoutReport(path, key_path(path), len(questions), len(worksheet), len(key))
