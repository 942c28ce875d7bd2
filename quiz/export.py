"""The classroom questions in the import formats of quiz tools: a plain CSV, Quizlet, Kahoot! and Blooket.

The same seeded `class_questions` list as `myodeck class` and the handout. Nothing is
truncated: a question over a tool's length limit is written in its short phrasing when it
has one (a pain map in fewer words); one that a tool cannot take whole (text over its
length limits, a question whose answer is in its picture, which none of these imports can
carry, or a painted question in a multiple-choice tool) is left out of that file and
reported with its number, key, field and length, and the rest is written; where a tool
takes fewer answers (Kahoot! takes two to four), an over-long wrong answer is dropped
instead, and that is reported too. Rows carry the question's number in the class quiz, so
the report's numbers are the file's. A file with no question left is an error, and
nothing is written.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from xml.sax.saxutils import escape

from decks.atomic import write_atomically
from decks.cards import CardKind
from decks.errors import MyodeckError
from decks.model import Facts
from decks.words import counted
from quiz.classroom import CLASS_KINDS, ClassQuestion, class_questions

TIME_LIMIT_SECONDS = 30  # as `myodeck class`; one of Kahoot!'s allowed limits, and under Blooket's 300
KAHOOT_TIME_LIMITS = (5, 10, 20, 30, 60, 90, 120, 240)  # all of them under Blooket's 300 too
KAHOOT_QUESTION_LIMIT = 120
KAHOOT_ANSWER_LIMIT = 75

CSV_HEADER = (
    "number", "key", "kind", "prompt", "choice_a", "choice_b", "choice_c", "choice_d",
    "correct_letter", "correct_answer", "explanation",
)  # fmt: skip
KAHOOT_HEADER = (
    "",
    "Question - max 120 characters",
    "Answer 1 - max 75 characters",
    "Answer 2 - max 75 characters",
    "Answer 3 - max 75 characters",
    "Answer 4 - max 75 characters",
    "Time limit (sec) \u2013 5, 10, 20, 30, 60, 90, 120, or 240 secs",  # an en dash, as in the template
    "Correct answer(s) - choose at least one",
)
KAHOOT_HEADER_ROW = 8  # as in Kahoot!'s template: a title block above, questions from the row below
BLOOKET_TITLE_ROW = ("Blooket Import Template", "", "", "", "", "", "", "")  # eight fields, like the header
BLOOKET_HEADER = (
    "Question #",
    "Question Text",
    "Answer 1",
    "Answer 2",
    "Answer 3 (Optional)",
    "Answer 4 (Optional)",
    "Time Limit (sec) (Max: 300 seconds)",
    "Correct Answer(s) (Only include Answer #)",
)


class ExportFormat(Enum):
    CSV = "csv"
    QUIZLET = "quizlet"
    KAHOOT = "kahoot"
    BLOOKET = "blooket"


@dataclass(frozen=True)
class LeftOut:
    """A question the target cannot take whole, and why."""

    number: int  # in the class quiz and the handout
    key: str
    reason: str

    def __str__(self) -> str:
        return f"question {self.number} ({self.key}): {self.reason}"


@dataclass(frozen=True)
class Export:
    data: bytes
    written: tuple[ClassQuestion, ...]  # as written: a shortened question without its dropped answers
    numbers: tuple[int, ...]  # each written question's number in the class quiz
    left_out: tuple[LeftOut, ...]
    shortened: tuple[LeftOut, ...]  # questions written without an over-long wrong answer, and why


@dataclass(frozen=True)
class _Target:
    """What one tool's import takes: its name, whether it can show a question's picture, its length limits."""

    name: str
    takes_pictures: bool
    fields: Callable[[ClassQuestion], list[tuple[str, str]]]  # (field name, text) as the tool sees them
    limits: dict[str, int]  # field name prefix -> most characters
    encode: Callable[[Sequence[tuple[int, ClassQuestion]], int, int], bytes]  # numbered questions, seed, seconds
    single_line: bool = False  # the format breaks on a tab or a line break inside a text
    multiple_choice: bool = False  # every question needs its choices (a painted one has none)
    fewest_answers: int = 4  # below four, over-long wrong answers are dropped down to this many


def _choice_fields(question: ClassQuestion) -> list[tuple[str, str]]:
    return [("Question", question.prompt), *((f"Answer {i}", c) for i, c in enumerate(question.choices, start=1))]


def _flashcard_fields(question: ClassQuestion) -> list[tuple[str, str]]:
    return [("term", question.prompt), ("definition", question.correct)]


def _csv_bytes(rows: Sequence[Sequence[str | int]], line_end: str) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=line_end).writerows(rows)
    return buffer.getvalue().encode()


def _plain_csv(questions: Sequence[tuple[int, ClassQuestion]], seed: int, seconds: int) -> bytes:
    rows = [
        (n, q.key, q.kind.value, q.prompt, *_four(q.choices), q.correct_letter, q.correct, q.explanation)
        for n, q in questions
    ]
    return _csv_bytes([CSV_HEADER, *rows], "\r\n")


def _quizlet(questions: Sequence[tuple[int, ClassQuestion]], seed: int, seconds: int) -> bytes:
    return "".join(f"{q.prompt}\t{q.correct}\n" for _, q in questions).encode()


def _four(choices: tuple[str, ...]) -> list[str]:
    return [*choices, *[""] * (4 - len(choices))]


def _blooket(questions: Sequence[tuple[int, ClassQuestion]], seed: int, seconds: int) -> bytes:
    rows = [(n, q.prompt, *_four(q.choices), seconds, q.correct_index + 1) for n, q in questions]
    return _csv_bytes([BLOOKET_TITLE_ROW, BLOOKET_HEADER, *rows], "\r\n")  # CRLF and no BOM, as the template


def _kahoot(questions: Sequence[tuple[int, ClassQuestion]], seed: int, seconds: int) -> bytes:
    title: list[list[str | int]] = [
        ["", "Quiz template"],
        ["", f"myodeck class questions, seed {seed}. In Kahoot!: add question, then import spreadsheet."],
    ]
    blank: list[list[str | int]] = [[] for _ in range(KAHOOT_HEADER_ROW - len(title) - 1)]
    rows: list[list[str | int]] = [[n, q.prompt, *_four(q.choices), seconds, q.correct_index + 1] for n, q in questions]
    return xlsx([*title, *blank, list(KAHOOT_HEADER), *rows])


TARGETS = {
    ExportFormat.CSV: _Target("CSV", True, _choice_fields, {}, _plain_csv),  # every question, as it is
    ExportFormat.QUIZLET: _Target("Quizlet", False, _flashcard_fields, {}, _quizlet, single_line=True),
    ExportFormat.KAHOOT: _Target(
        "Kahoot!",
        False,
        _choice_fields,
        {"Question": KAHOOT_QUESTION_LIMIT, "Answer": KAHOOT_ANSWER_LIMIT},
        _kahoot,
        fewest_answers=2,
        multiple_choice=True,
    ),
    ExportFormat.BLOOKET: _Target("Blooket", False, _choice_fields, {}, _blooket, multiple_choice=True),
}


def _reasons(question: ClassQuestion, target: _Target) -> list[str]:
    """Every reason `target` cannot take `question` whole; none when it can."""
    reasons = []
    if question.picture is not None and not question.worded and not target.takes_pictures:
        reasons.append(f"its answer is in its picture, which a {target.name} import cannot carry")
    if question.paint is not None and target.multiple_choice:
        reasons.append(f"it is painted, not chosen: a {target.name} import takes multiple choice only")
    for field, text in target.fields(question):
        limit = next((most for prefix, most in target.limits.items() if field.startswith(prefix)), None)
        if limit is not None and len(text) > limit:
            reasons.append(f"{field} is {len(text)} characters, {target.name} allows {limit}")
        if target.single_line and any(c in text for c in "\t\r\n"):
            reasons.append(f"{field} holds a tab or a line break, which would split the {target.name} card")
    return reasons


def _phrased_within(question: ClassQuestion, target: _Target) -> ClassQuestion:
    """`question` in its short phrasing where its prompt is over `target`'s limit and that one is not."""
    limit = target.limits.get("Question")
    if limit is not None and len(question.prompt) > limit and 0 < len(question.short_prompt) <= limit:
        return dataclasses.replace(question, prompt=question.short_prompt)
    return question


def _without_long_wrong_answers(question: ClassQuestion, target: _Target) -> tuple[ClassQuestion, list[str]]:
    """`question` without the wrong answers over `target`'s limit, while it keeps enough answers; and why."""
    limit = target.limits.get("Answer")
    long = [i for i, choice in enumerate(question.choices) if limit is not None and len(choice) > limit]
    drop = [i for i in long if i != question.correct_index]
    if not drop or len(question.choices) - len(drop) < target.fewest_answers:
        return question, []
    why = [
        f"Answer {i + 1} is {len(question.choices[i])} characters, {target.name} allows {limit}; "
        f"written with the other {len(question.choices) - len(drop)} answers"
        for i in drop
    ]
    choices = tuple(choice for i, choice in enumerate(question.choices) if i not in drop)
    correct = choices.index(question.correct)
    return dataclasses.replace(question, choices=choices, correct_index=correct), why


def export_questions(
    questions: Sequence[ClassQuestion], export_format: ExportFormat, seed: int, seconds: int = TIME_LIMIT_SECONDS
) -> Export:
    """The file for `export_format`, with the questions it holds and those left out (each reason separately)."""
    target = TARGETS[export_format]
    kept: list[tuple[int, ClassQuestion]] = []
    left_out: list[LeftOut] = []
    shortened: list[LeftOut] = []
    for number, asked in enumerate(questions, start=1):
        question, why = _without_long_wrong_answers(_phrased_within(asked, target), target)
        reasons = _reasons(question, target)
        left_out += (LeftOut(number, question.key, reason) for reason in reasons)
        if not reasons:
            kept.append((number, question))
            shortened += (LeftOut(number, question.key, reason) for reason in why)
    return Export(
        target.encode(kept, seed, seconds),
        tuple(q for _, q in kept),
        tuple(n for n, _ in kept),
        tuple(left_out),
        tuple(shortened),
    )


@dataclass(frozen=True)
class ExportReport:
    path: Path
    target: str
    asked: int
    written: int
    left_out: tuple[LeftOut, ...]
    shortened: tuple[LeftOut, ...] = ()

    def warnings(self) -> list[str]:
        return [f"Left out {item}" for item in self.left_out] + [f"Shortened {item}" for item in self.shortened]

    def summary(self) -> str:
        line = f"Wrote {self.written} of {counted(self.asked, 'question')} for {self.target} to {self.path}"
        skipped = self.asked - self.written
        return line + (f" ({skipped} left out, listed above)" if skipped else "")


def write_export(
    facts: Facts,
    path: Path,
    export_format: ExportFormat,
    count: int,
    seed: int,
    muscles: tuple[str, ...] = (),
    seconds: int = TIME_LIMIT_SECONDS,
    kinds: Sequence[CardKind] = CLASS_KINDS,
    paint: bool = False,
) -> ExportReport:
    """Write `class_questions(facts, count, seed, muscles, kinds, paint)` to `path` in `export_format`, atomically."""
    questions = class_questions(facts, count, seed, muscles, kinds, paint)
    export = export_questions(questions, export_format, seed, seconds)
    target = TARGETS[export_format].name
    if not export.written:
        reasons = "".join(f"\n  {item}" for item in export.left_out)
        raise MyodeckError(
            f"{counted(len(questions), 'question')} asked, none can go into {target}; nothing was written:{reasons}"
        )
    write_atomically(path, export.data)
    return ExportReport(path, target, len(questions), len(export.written), export.left_out, export.shortened)


# A workbook of one sheet, in the parts Excel itself writes (strings shared, cells typed).
_XLSX_PARTS = {
    "[Content_Types].xml": (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="xl/workbook.xml" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
        "</Relationships>"
    ),
    "xl/workbook.xml": (
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="worksheets/sheet1.xml" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/>'
        '<Relationship Id="rId2" Target="sharedStrings.xml" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/>'
        "</Relationships>"
    ),
}
_XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _column(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def xlsx(rows: Sequence[Sequence[str | int]]) -> bytes:
    """A one-sheet .xlsx of `rows` (row 1 first; empty strings leave a cell empty), the same bytes every time."""
    strings: dict[str, int] = {}
    sheet_rows = []
    for r, row in enumerate(rows, start=1):
        cells = []
        for c, value in enumerate(row):
            ref = f"{_column(c)}{r}"
            if isinstance(value, int):
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
            elif value:
                cells.append(f'<c r="{ref}" t="s"><v>{strings.setdefault(value, len(strings))}</v></c>')
        sheet_rows.append(f'<row r="{r}">{"".join(cells)}</row>')
    shared = "".join(f'<si><t xml:space="preserve">{escape(text)}</t></si>' for text in strings)
    sheet = f'<worksheet xmlns="{_SHEET_NS}"><sheetData>{"".join(sheet_rows)}</sheetData></worksheet>'
    count = len(strings)
    shared_strings = f'<sst xmlns="{_SHEET_NS}" count="{count}" uniqueCount="{count}">{shared}</sst>'
    parts = {**_XLSX_PARTS, "xl/worksheets/sheet1.xml": sheet, "xl/sharedStrings.xml": shared_strings}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, xml in parts.items():
            entry = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, _XML_DECLARATION + xml)
    return buffer.getvalue()
