"""`myodeck export`: each file read back against its tool's import rules."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner

from decks.cards import CardKind
from decks.cli import main
from decks.commands.classroom import export as export_command
from decks.errors import MyodeckError
from decks.model import Facts
from quiz.classroom import LETTERS, ClassQuestion, class_questions
from quiz.export import (
    BLOOKET_HEADER,
    CSV_HEADER,
    KAHOOT_HEADER,
    KAHOOT_HEADER_ROW,
    KAHOOT_TIME_LIMITS,
    ExportFormat,
    export_questions,
    write_export,
    xlsx,
)


def _expected_kahoot_left_out(questions: list[ClassQuestion]) -> list[str]:
    """What a Kahoot! export must leave out, worked out from Kahoot!'s limits (120 and 75 characters, two
    to four answers): a picture question, a long question, a long right answer."""
    expected = []
    for number, q in enumerate(questions, start=1):
        where = f"question {number} ({q.key}): "
        if q.picture is not None:
            expected.append(where + "its answer is in its picture, which a Kahoot! import cannot carry")
        elif len(q.prompt) > 120:
            expected.append(where + f"Question is {len(q.prompt)} characters, Kahoot! allows 120")
        elif len(q.correct) > 75:
            expected.append(where + f"Answer {q.correct_index + 1} is {len(q.correct)} characters, Kahoot! allows 75")
    return expected


def _expected_kahoot_shortened(questions: list[ClassQuestion]) -> list[str]:
    """The questions a Kahoot! export writes without their over-long wrong answers, each answer named."""
    left_out = {line.split(" (")[0] for line in _expected_kahoot_left_out(questions)}
    expected = []
    for number, q in enumerate(questions, start=1):
        long = [(i, c) for i, c in enumerate(q.choices, start=1) if len(c) > 75]
        if f"question {number}" in left_out or not long:
            continue
        expected += [
            f"question {number} ({q.key}): Answer {i} is {len(c)} characters, Kahoot! allows 75; "
            f"written with the other {4 - len(long)} answers"
            for i, c in long
        ]
    return expected


@pytest.fixture(scope="module")
def questions(facts: Facts) -> list[ClassQuestion]:
    return class_questions(facts, 60, 3)  # every kind, long and short


def _sheet(data: bytes) -> dict[int, dict[str, str | int]]:
    """An .xlsx read back with the standard library: row number -> column letter -> value."""
    ns = {"s": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        shared = [
            si.findtext("s:t", namespaces=ns) for si in ElementTree.fromstring(archive.read("xl/sharedStrings.xml"))
        ]
        sheet = ElementTree.fromstring(archive.read("xl/worksheets/sheet1.xml"))
        for part in ("[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels"):
            ElementTree.fromstring(archive.read(part))  # well-formed
    rows: dict[int, dict[str, str | int]] = {}
    for row in sheet.iterfind("s:sheetData/s:row", ns):
        cells: dict[str, str | int] = {}
        for cell in row.iterfind("s:c", ns):
            value = cell.findtext("s:v", namespaces=ns)
            assert value is not None
            column = re.sub(r"\d", "", cell.attrib["r"])
            cells[column] = (shared[int(value)] or "") if cell.get("t") == "s" else int(value)
        rows[int(row.attrib["r"])] = cells
    return rows


def _written(questions: list[ClassQuestion], export_format: ExportFormat) -> list[ClassQuestion]:
    return list(export_questions(questions, export_format, 3).written)


def test_plain_csv_has_every_field_of_every_question(questions: list[ClassQuestion]) -> None:
    export = export_questions(questions, ExportFormat.CSV, 3)
    assert export.left_out == ()
    rows = list(csv.reader(io.StringIO(export.data.decode(), newline="")))
    assert tuple(rows[0]) == CSV_HEADER
    assert len(rows) == len(questions) + 1
    for number, (row, q) in enumerate(zip(rows[1:], questions, strict=True), start=1):
        record = dict(zip(CSV_HEADER, row, strict=True))
        assert record == {
            "number": str(number), "key": q.key, "kind": q.kind.value, "prompt": q.prompt,
            "choice_a": q.choices[0], "choice_b": q.choices[1], "choice_c": q.choices[2], "choice_d": q.choices[3],
            "correct_letter": LETTERS[q.correct_index], "correct_answer": q.correct, "explanation": q.explanation,
        }  # fmt: skip


def test_quizlet_is_term_tab_answer_without_picture_questions(questions: list[ClassQuestion]) -> None:
    export = export_questions(questions, ExportFormat.QUIZLET, 3)
    lines = export.data.decode().split("\n")
    assert lines[-1] == ""
    cards = [line.split("\t") for line in lines[:-1]]
    assert all(len(card) == 2 for card in cards)
    kept = [q for q in questions if q.picture is None]
    assert cards == [[q.prompt, q.correct] for q in kept]
    assert [item.key for item in export.left_out] == [q.key for q in questions if q.picture is not None]


def test_kahoot_sheet_follows_the_template_and_its_limits(questions: list[ClassQuestion]) -> None:
    export = export_questions(questions, ExportFormat.KAHOOT, 3)
    rows = _sheet(export.data)
    header = rows[KAHOOT_HEADER_ROW]
    assert [header.get(column, "") for column in "ABCDEFGH"] == list(KAHOOT_HEADER)
    data = [rows[r] for r in sorted(rows) if r > KAHOOT_HEADER_ROW]
    assert len(data) == len(export.written) > 0
    for row, number, q in zip(data, export.numbers, export.written, strict=True):
        asked = questions[number - 1]
        assert row["A"] == number  # the class quiz's number, as the report says
        assert row["B"] == q.prompt == asked.prompt and len(q.prompt) <= 120
        answers = [row[c] for c in "CDEF" if c in row]
        assert answers == list(q.choices) == [c for c in asked.choices if len(c) <= 75]
        assert 2 <= len(answers) <= 4
        assert row["G"] in KAHOOT_TIME_LIMITS
        assert q.choices[row["H"] - 1] == asked.correct
    kept = {q.key for q in export.written}
    for q in questions:  # every question is in the sheet (its long wrong answers dropped) or reported
        too_long = len(q.prompt) > 120 or len(q.correct) > 75
        assert (q.key in kept) == (not too_long and q.picture is None), q.key
        assert (q.key in kept) != any(item.key == q.key for item in export.left_out)
    assert export.shortened and [str(item) for item in export.shortened] == _expected_kahoot_shortened(questions)


def test_kahoot_reports_each_overlong_field_with_its_length(facts: Facts) -> None:
    questions = class_questions(facts, 12, 1)
    export = export_questions(questions, ExportFormat.KAHOOT, 1)
    expected = _expected_kahoot_left_out(questions)
    assert expected and len(expected) < len(questions)  # this seed leaves some out and keeps some
    assert [str(item) for item in export.left_out] == expected


def test_blooket_csv_follows_its_template(questions: list[ClassQuestion]) -> None:
    export = export_questions(questions, ExportFormat.BLOOKET, 3)
    text = export.data.decode()
    assert not text.startswith("\ufeff")
    assert text.count("\r\n") == text.count("\n")  # CRLF throughout
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == ["Blooket Import Template", "", "", "", "", "", "", ""]
    assert tuple(rows[1]) == BLOOKET_HEADER
    assert len(rows) - 2 == len(export.written) == len([q for q in questions if q.picture is None])
    for row, number, q in zip(rows[2:], export.numbers, export.written, strict=True):
        assert row == [str(number), q.prompt, *q.choices, "30", str(q.correct_index + 1)]
        assert 0 < int(row[6]) <= 300


@pytest.mark.parametrize("export_format", ExportFormat)
def test_same_seed_same_bytes(facts: Facts, export_format: ExportFormat, tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    write_export(facts, first, export_format, 20, 5)
    write_export(facts, second, export_format, 20, 5)
    assert first.read_bytes() == second.read_bytes()


def test_xlsx_cells() -> None:
    rows = _sheet(xlsx([["a", "", 3], [], ["x<&>\"'", "a"]]))
    assert rows == {1: {"A": "a", "C": 3}, 2: {}, 3: {"A": "x<&>\"'", "B": "a"}}


def test_nothing_left_is_an_error_and_the_old_file_stays(facts: Facts, tmp_path: Path) -> None:
    out = tmp_path / "quiz.xlsx"
    out.write_bytes(b"last week's quiz")
    with pytest.raises(MyodeckError) as error:
        write_export(facts, out, ExportFormat.KAHOOT, 1, 1)  # the first question of any seed is a picture one
    (question,) = class_questions(facts, 1, 1)
    assert str(error.value) == (
        "1 question asked, none can go into Kahoot!; nothing was written:\n"
        f"  question 1 ({question.key}): its answer is in its picture, which a Kahoot! import cannot carry"
    )
    assert out.read_bytes() == b"last week's quiz"
    assert [p.name for p in tmp_path.iterdir()] == ["quiz.xlsx"]


def test_cli_writes_what_fits_and_lists_the_rest_on_stderr(facts: Facts, tmp_path: Path) -> None:
    out = tmp_path / "quiz.xlsx"
    result = CliRunner().invoke(main, ["export", "--format", "kahoot", "-n", "12", "--seed", "1", "-o", str(out)])
    assert result.exit_code == 0, result.output
    left_out = _expected_kahoot_left_out(class_questions(facts, 12, 1))
    shortened = _expected_kahoot_shortened(class_questions(facts, 12, 1))
    assert result.stderr == "".join(f"Left out {line}\n" for line in left_out) + "".join(
        f"Shortened {line}\n" for line in shortened
    )
    kept = 12 - len(left_out)
    assert result.stdout == (
        f"Wrote {kept} of 12 questions for Kahoot! to {out} ({len(left_out)} left out, listed above)\n"
        "Seed 1: `myodeck class --seed 1` asks these questions in this order.\n"
    )
    assert len(_sheet(out.read_bytes())) == KAHOOT_HEADER_ROW + kept


def test_cli_exit_codes(tmp_path: Path) -> None:
    out = tmp_path / "quiz.csv"
    nothing_fits = CliRunner().invoke(main, ["export", "--format", "blooket", "-n", "1", "--seed", "1", "-o", str(out)])
    assert nothing_fits.exit_code == 1
    assert nothing_fits.stderr.startswith("Error: 1 question asked, none can go into Blooket; nothing was written:\n")
    bad_format = CliRunner().invoke(main, ["export", "--format", "gimkit", "-o", str(out)])
    assert bad_format.exit_code == 2
    assert "'gimkit' is not one of 'csv', 'quizlet', 'kahoot', 'blooket'" in bad_format.stderr
    unknown = CliRunner().invoke(main, ["export", "--format", "csv", "--muscle", "solues", "-o", str(out)])
    assert (unknown.exit_code, unknown.stderr) == (
        1,
        "Error: unknown muscle 'solues' (did you mean 'soleus'?); `myodeck muscles` lists them\n",
    )
    assert list(tmp_path.iterdir()) == []
    every_field = CliRunner().invoke(main, ["export", "--format", "csv", "-n", "3", "--seed", "1", "-o", str(out)])
    assert (every_field.exit_code, every_field.stderr) == (0, "")
    assert every_field.stdout.startswith(f"Wrote 3 of 3 questions for CSV to {out}\n")


def test_cli_offers_every_format() -> None:
    option = next(p for p in export_command.params if p.name == "export_format")
    assert list(option.type.choices) == [f.value for f in ExportFormat]  # type: ignore[attr-defined]


def test_time_per_question_reaches_the_file(facts: Facts, tmp_path: Path) -> None:
    out = tmp_path / "quiz.csv"
    result = CliRunner().invoke(
        main, ["export", "--format", "blooket", "-n", "8", "--seed", "2", "--time", "60", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(out.read_text(), newline="")))[2:]
    assert rows and {row[6] for row in rows} == {"60"}
    option = next(p for p in export_command.params if p.name == "seconds")
    assert [int(choice) for choice in option.type.choices] == list(KAHOOT_TIME_LIMITS)  # type: ignore[attr-defined]


def test_kahoot_asks_every_pain_map_within_its_limits(facts: Facts) -> None:
    """A pain map's prompt over 120 characters is written in fewer words (never cut off), naming the
    same regions; its picture only shows what the words say, so it goes too."""
    from decks.regions import REGIONS

    questions = class_questions(facts, 1000, 5, kinds=(CardKind.PAIN_MAP,))
    assert len(questions) == facts.trigger_point_count
    export = export_questions(questions, ExportFormat.KAHOOT, 5)
    assert export.left_out == ()
    rows = _sheet(export.data)
    long = 0
    for number, (asked, written) in enumerate(zip(questions, export.written, strict=True), start=1):
        row = rows[KAHOOT_HEADER_ROW + number]
        assert row["B"] == written.prompt and len(written.prompt) <= 120
        assert all(len(str(row[c])) <= 75 for c in "CDEF" if c in row)
        assert row[["C", "D", "E", "F"][row["H"] - 1]] == asked.correct
        if len(asked.prompt) > 120:
            long += 1
            pain = asked.key.split("/")
            regions = facts.muscle(pain[0]).trigger_point(pain[1]).referral.essential
            # every region named, by its name without the aside in brackets, or by its id in words
            short = written.prompt.casefold()
            for region in regions:
                name = re.sub(r"\s*\([^)]*\)", "", REGIONS[region].name).casefold()
                assert name in short or region.replace("-", " ") in short, (asked.key, region)
            assert written.prompt.endswith("Whose trigger points refer it?")
        else:
            assert written.prompt == asked.prompt
    assert long >= 20


def test_painted_questions_go_where_a_format_takes_them(facts: Facts, tmp_path: Path) -> None:
    """`export --paint`: the plain CSV and Quizlet take a painted question (its zones as the answer);
    Kahoot! and Blooket, multiple choice only, leave it out and say why."""
    questions = class_questions(facts, 6, 2, kinds=(CardKind.REFERRAL, CardKind.LOCATION), paint=True)
    painted = [q for q in questions if q.paint is not None]
    assert len(painted) == 3
    quizlet = export_questions(questions, ExportFormat.QUIZLET, 2)
    cards = [line.split("\t") for line in quizlet.data.decode().splitlines()]
    for q in painted:
        assert [q.prompt, q.correct] in cards
        assert q.correct.startswith("essential: ") and "; spillover: " in q.correct
    rows = list(csv.reader(io.StringIO(export_questions(questions, ExportFormat.CSV, 2).data.decode(), newline="")))
    assert all(len(row) == len(CSV_HEADER) for row in rows)
    for q in painted:
        row = dict(zip(CSV_HEADER, next(r for r in rows if r[1] == q.key), strict=True))
        assert (row["choice_a"], row["correct_letter"], row["correct_answer"]) == ("", "", q.correct)
    for export_format, name in ((ExportFormat.KAHOOT, "Kahoot!"), (ExportFormat.BLOOKET, "Blooket")):
        export = export_questions(questions, export_format, 2)
        assert [item.key for item in export.left_out] == [q.key for q in painted]
        assert all(
            item.reason == f"it is painted, not chosen: a {name} import takes multiple choice only"
            for item in export.left_out
        )
    out = tmp_path / "paint.csv"
    args = ["export", "--format", "csv", "--paint", "--topic", "referral", "-n", "2", "--seed", "2", "-o", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "paint its pattern. Where does it refer pain?" in out.read_text()
