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
from decks.body.layout import SIDE_MARGIN, PanelLayout
from decks.cards import CardKind
from decks.diagrams.render import INK, add_legend, diagram_width, draw_views, panel_layouts
from decks.diagrams.spec import DiagramSpec
from decks.errors import MyodeckError
from decks.model import Facts
from decks.regions import FOOT_VIEWS
from decks.words import counted
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
_COLUMN_GAP = 0.3  # between two questions side by side
_MIN_CHOICE_ROOM = 2.2  # narrower than this beside a picture, the choices go below it
_TITLE, _BODY, _SMALL, _FOOTER = 16.0, 10.5, 9.0, 8.0  # points
_LINE_SPACING = 1.4
# Lines are wrapped at the width of the text's own average character, less this much, as
# one line may hold more wide letters than the average: never past the margin.
_FILL = 0.92
_TEXT_TO_PATH = TextToPath()
_MEASURED = 72 * 0.95  # points a line may measure per inch of room: drawn text comes out a few % wider
_GREY = "#555555"
_DRAWING_PANEL_HEIGHT = 3.0  # room to draw in, at least; taller where a view would be narrower than:
_MIN_DRAWING_VIEW_WIDTH = 42 / 25.4  # a leg view at least 40 mm wide, to shade a zone in
_MAX_DRAWING_SHARE = 0.8  # of a page's height, for one drawing
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
    draw_only: bool = False  # drawing exercises without choices: the drawing is the answer


@dataclass(frozen=True)
class _Column:
    """Where a question is laid out: `left` inches right of the left margin, `width` inches wide."""

    left: float
    width: float


def _full_width(paper: Paper) -> _Column:
    return _Column(0.0, paper.width - 2 * _MARGIN_SIDE)


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
    left: float = _INDENT  # from the left margin

    @property
    def width(self) -> float:
        return diagram_width(self.spec, self.panel_height)

    @property
    def height(self) -> float:
        return self.panel_height + 0.3 + (0.3 if self.marks else 0.0)  # view labels, then the legend

    def draw(self, fig: Figure, top: float) -> None:
        left = _MARGIN_SIDE + self.left
        draw_views(
            fig, self.spec, left, fig.get_size_inches()[1] - top - self.panel_height, self.panel_height, self.marks
        )
        if self.marks:
            below_labels = top + self.panel_height + 0.25
            add_legend(fig, (self.spec,), (_x(fig, left), _y(fig, below_labels)), fontsize=_SMALL, loc="upper left")


@dataclass(frozen=True)
class _ColumnsRow:
    """Questions side by side, each its own stack of rows (laid out in its column), top-aligned."""

    columns: tuple[tuple[_Row, ...], ...]

    @property
    def height(self) -> float:
        return max(sum(row.height for row in rows) for rows in self.columns)

    def draw(self, fig: Figure, top: float) -> None:
        for rows in self.columns:
            at = top
            for row in rows:
                row.draw(fig, at)
                at += row.height


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


def _diagram(spec: DiagramSpec, panel_height: float, column: _Column, marks: bool = True) -> _DiagramRow:
    """The picture at `panel_height`, or smaller when its views would run past the column's right edge."""
    scale = min(1.0, (column.width - _INDENT) / diagram_width(spec, panel_height))
    return _DiagramRow(spec, panel_height * scale, marks, column.left + _INDENT)


def body_width(layout: PanelLayout) -> float:
    """Inches across the body in a panel, its side margins (half as wide round a foot) left out."""
    margins = SIDE_MARGIN if layout.view in FOOT_VIEWS else 2 * SIDE_MARGIN
    return (layout.box[1] - layout.box[0] - margins) * layout.scale


def _drawing_height(spec: DiagramSpec, paper: Paper) -> float:
    """Panels tall enough that the widest view of the limb (of the foot, in a picture of the foot alone)
    is wide enough to draw a zone in, within a page. Not every view: a thigh seen from the side would
    take the height of a page."""
    layouts = panel_layouts(spec, _DRAWING_PANEL_HEIGHT)
    limb = [layout for layout in layouts if layout.view not in FOOT_VIEWS]
    widest = max(body_width(layout) for layout in limb or layouts)
    wanted = _DRAWING_PANEL_HEIGHT * max(1.0, _MIN_DRAWING_VIEW_WIDTH / widest)
    return min(wanted, _MAX_DRAWING_SHARE * (paper.height - _MARGIN_TOP - _MARGIN_BOTTOM))


def _wrapped(
    text: str,
    column: _Column,
    size: float = _BODY,
    indent: float = 0.0,
    label: str = "",
    label_indent: float = 0.0,
    tick_box: bool = False,
    bold: bool = False,
    italic: bool = False,
    color: str = INK,
) -> list[_Row]:
    """`text` as rows that fit between `indent` and the column's right edge; the label and tick box go on the first."""
    room = column.width - indent
    font = FontProperties(size=size, weight="bold" if bold else "normal", style="italic" if italic else "normal")
    width, _, _ = _TEXT_TO_PATH.get_text_width_height_descent(text or " ", font, ismath=False)
    inches_per_character = width / 72 / max(1, len(text))
    chars = max(12, int(_FILL * room / inches_per_character))
    lines = textwrap.wrap(text, width=chars) or [""]
    while (
        chars > 12
        and max(_TEXT_TO_PATH.get_text_width_height_descent(line, font, False)[0] for line in lines) > _MEASURED * room
    ):
        chars -= 1  # a line of wide letters: one character fewer, until every line is inside the column
        lines = textwrap.wrap(text, width=chars)
    return [
        _TextRow(
            line,
            size,
            column.left + indent,
            label if i == 0 else "",
            column.left + label_indent,
            tick_box and i == 0,
            bold,
            italic,
            color,
        )
        for i, line in enumerate(lines)
    ]


def _choices(question: ClassQuestion, column: _Column, at: float) -> list[_Row]:
    """The four choices, each a tick box and its letter at `at` inches into the column, then its text."""
    rows: list[_Row] = []
    for letter, choice in zip(LETTERS, question.choices, strict=True):
        rows += _wrapped(choice, column, indent=at + _CHOICE_TEXT, label=letter, label_indent=at, tick_box=True)
    return rows


def _with_choices(picture: _DiagramRow, question: ClassQuestion, column: _Column) -> list[_Row]:
    """The picture with the choices beside it, or below it when the picture leaves them too little room."""
    beside = _INDENT + picture.width + _BESIDE_GAP
    if column.width - beside - _CHOICE_TEXT >= _MIN_CHOICE_ROOM:
        return [_BesideRow(picture, tuple(_choices(question, column, beside)))]
    return [picture, _GapRow(0.05), *_choices(question, column, _INDENT)]


def _heading_rows(title: str, heading: Heading) -> list[_Row]:
    return [
        _TextRow(title, _TITLE, bold=True),
        _GapRow(0.1),
        *_wrapped("Muscles: " + ", ".join(heading.muscles) + ".", _full_width(heading.paper)),
        _TextRow(f"{counted(heading.question_count, 'question')} · seed {heading.seed} · pictures show the right leg"),
    ]


_INSTRUCTIONS = {
    False: "Tick one box per question. Where there is an empty outline, draw the answer on it first: "
    "an X for a trigger point, solid shading for the essential pain zone, dots for the spillover zone.",
    True: "Tick one box per question; where there is an empty outline, draw the answer on it: "
    "an X for a trigger point, solid shading for the essential pain zone, dots for the spillover zone.",
}


def _drawn(question: ClassQuestion) -> bool:
    """A drawing exercise: its answer is a place on the limb, drawn on a blank outline."""
    return question.kind in DRAWN_KINDS and question.reveal_picture is not None


def _drawing_only(question: ClassQuestion, heading: Heading) -> bool:
    """Answered by the drawing alone, with no choices: every drawing with `--draw-only`, a painting always."""
    return _drawn(question) and (heading.draw_only or question.paint is not None)


def _worksheet_groups(questions: Sequence[ClassQuestion], heading: Heading) -> list[list[_Row]]:
    """The worksheet as groups of rows: the heading, then one group per question, each kept on one page."""
    paper = heading.paper
    groups: list[list[_Row]] = [
        [
            *_heading_rows(heading.title, heading),
            _GapRow(0.15),
            _TextRow("Name ______________________________        Date __________________"),
            _GapRow(0.12),
            *_wrapped(_INSTRUCTIONS[heading.draw_only], _full_width(paper), italic=True),
            _RuleRow(),
        ]
    ]
    numbered = list(enumerate(questions, start=1))
    while numbered:
        number, question = numbered.pop(0)
        if numbered and (pair := _side_by_side(number, question, *numbered[0], heading)):
            numbered.pop(0)
            groups.append([pair, _GapRow(0.25)])
        else:
            groups.append([*_question_rows(number, question, heading, _full_width(paper)), _GapRow(0.25)])
    return groups


def _question_rows(number: int, question: ClassQuestion, heading: Heading, column: _Column) -> list[_Row]:
    """One question in `column`: its prompt, then its drawing exercise, picture or choices."""
    rows = _wrapped(question.prompt, column, indent=_INDENT, label=f"{number}.")
    if _drawn(question):
        assert question.reveal_picture is not None
        instruction = DRAWN_KINDS[question.kind]
        if _drawing_only(question, heading):
            instruction = instruction.removeprefix("Draw first: ")
            instruction = instruction[0].upper() + instruction[1:]
        rows += _wrapped(instruction, column, _SMALL, _INDENT, italic=True, color=_GREY)
        spec = question.reveal_picture
        picture = _diagram(spec, _drawing_height(spec, heading.paper), column, marks=False)
        only = _drawing_only(question, heading)
        return [*rows, _GapRow(0.08), *([picture] if only else _with_choices(picture, question, column))]
    if question.picture is not None:
        picture = _diagram(question.picture, _PICTURE_PANEL_HEIGHT, column)
        return [*rows, _GapRow(0.08), *_with_choices(picture, question, column)]
    return [*rows, _GapRow(0.05), *_choices(question, column, _INDENT)]


def _side_by_side(
    number: int, question: ClassQuestion, next_number: int, next_question: ClassQuestion, heading: Heading
) -> _Row | None:
    """A drawing exercise and the question before or after it in two columns, when each picture fits
    its half of the page at full size: a drawing is tall, and alone across the page it leaves half
    of the paper empty."""
    if not (_drawn(question) or _drawn(next_question)):
        return None
    full = _full_width(heading.paper)
    half = (full.width - _COLUMN_GAP) / 2
    columns = (_Column(0.0, half), _Column(half + _COLUMN_GAP, half))
    pair = (
        _question_rows(number, question, heading, columns[0]),
        _question_rows(next_number, next_question, heading, columns[1]),
    )
    if any(_shrunk(q, rows, heading.paper) for q, rows in zip((question, next_question), pair, strict=True)):
        return None
    row = _ColumnsRow(tuple(tuple(rows) for rows in pair))
    return row if row.height <= heading.paper.height - _MARGIN_TOP - _MARGIN_BOTTOM else None  # never split


def _shrunk(question: ClassQuestion, rows: list[_Row], paper: Paper) -> bool:
    """Whether the question's picture had to be drawn smaller than usual to fit its column."""
    for row in rows:
        picture = row.picture if isinstance(row, _BesideRow) else row
        if isinstance(picture, _DiagramRow):
            usual = _drawing_height(picture.spec, paper) if _drawn(question) else _PICTURE_PANEL_HEIGHT
            return picture.panel_height < usual
    return False


def _key_groups(questions: Sequence[ClassQuestion], heading: Heading) -> list[list[_Row]]:
    """The key: every question's letter and answer, its explanation, and the filled-in drawings."""
    paper = heading.paper

    def letter(question: ClassQuestion) -> str:  # a drawing without choices is answered by the drawing
        return "drawing" if _drawing_only(question, heading) else question.correct_letter

    painted = " --paint" if any(question.paint is not None for question in questions) else ""
    # A no-break space keeps each number with its letter when the line wraps.
    at_a_glance = "   ".join(f"{n}\u00a0{letter(q)}" for n, q in enumerate(questions, start=1))
    groups: list[list[_Row]] = [
        [
            *_heading_rows(f"{heading.title} · answer key", heading),
            _TextRow(f"myodeck class{painted} --seed {heading.seed} asks these questions in this order.", color=_GREY),
            _GapRow(0.1),
            *_wrapped("At a glance:   " + at_a_glance, _full_width(paper), bold=True),
            _RuleRow(),
        ]
    ]
    answer_at = _INDENT + 0.25
    for number, question in enumerate(questions, start=1):
        label = f"{number}." if _drawing_only(question, heading) else f"{number}. {question.correct_letter}"
        rows = _wrapped(question.correct, _full_width(paper), indent=answer_at, label=label)
        if question.paint is None:  # a painting's explanation says its answer again
            rows += _wrapped(question.explanation, _full_width(paper), _SMALL, answer_at, color=_GREY)
        if _drawn(question):
            assert question.reveal_picture is not None
            rows += [_GapRow(0.08), _diagram(question.reveal_picture, _KEY_PANEL_HEIGHT, _full_width(paper))]
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
            if isinstance(row, _GapRow) and (not pages[-1] or used + row.height > room):
                continue  # a gap never starts a page, nor makes one
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
    asked_for: int  # -n: more than the chosen muscles and topics give prints all there are

    def summary(self) -> str:
        wrote = (
            f"Wrote the worksheet ({counted(self.questions, 'question')}, {counted(self.worksheet_pages, 'page')})"
            f" to {self.worksheet} and its answer key ({counted(self.key_pages, 'page')}) to {self.key}"
        )
        if self.questions < self.asked_for:
            wrote += f"; {self.asked_for} were asked for, and that is all the chosen muscles and topics give"
        return wrote


def write_handout(
    facts: Facts,
    path: Path,
    count: int,
    seed: int,
    muscles: tuple[str, ...] = (),
    paper: Paper = PAPERS["a4"],
    title: str = "myodeck worksheet",
    draw_only: bool = False,
    kinds: Sequence[CardKind] = CLASS_KINDS,
    paint: bool = False,
) -> HandoutReport:
    """Write the worksheet of `class_questions(facts, count, seed, muscles, kinds, paint)` to `path` and its key
    beside it."""
    questions = class_questions(facts, count, seed, muscles, kinds, paint)
    if not questions:
        raise MyodeckError("no questions to print for these muscles")
    if path.exists() and not path.is_file():  # `-o /dev/null` would put the key in /dev/null-key
        raise OutputError(
            f"cannot write {path}: it is not a file, and a handout is two files beside each other "
            f"({path.name} and {key_path(path).name}); give a file name"
        )
    if problem := output_problem(key_path(path)):  # before drawing, and before the worksheet is written
        raise OutputError(f"cannot write the answer key {key_path(path)}: {problem}")
    heading = Heading(
        seed, tuple(m.name for m in facts.select(muscles).muscles), len(questions), paper, title, draw_only
    )
    worksheet, key = handout_figures(questions, heading)
    worksheet_pdf = _pdf(worksheet, f"{title}, seed {seed}")
    key_pdf = _pdf(key, f"{title}, seed {seed}: answer key")
    write_atomically(key_path(path), key_pdf)
    write_atomically(path, worksheet_pdf)
    return HandoutReport(path, key_path(path), len(questions), len(worksheet), len(key), count)
