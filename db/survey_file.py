"""Importing a survey's answers from a file (.xlsx or .csv, read by
``db.roster_formats.read_table`` with the roster's limits).

The header row (within the first 20 rows) has a student-number column (学号 /
student number / student_no, the roster's names for it) and one column per
question, matched by the question's text or by its number: Q1 … Qn, 第1题 …,
题1 …; a column 备注 / note is the family's note.  A value is 1–5 or one of the
scale's words (非常满意 满意 基本满意 不太满意 不满意; very satisfied, satisfied,
neutral, dissatisfied, very dissatisfied); a blank is no answer.

Everything is checked first: when any row is wrong (an unknown student number,
a family whose answers the importer may not enter, a value out of range, the
same student twice) or a question's column is missing, nothing is written and
each problem is reported with its row number.  Otherwise every row is written
in one transaction; a family already answered is updated (never duplicated);
families not in the file are left as they are, and a row with nothing in it
changes nothing.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

from db.access import NotAllowed, scope_for
from db.models import Staff, Student
from db.roster_cells import RECOGNISED, cell_text, norm_header
from db.roster_file import HEADER_SCAN, RosterFileError
from db.scores import SaveCount
from db.surveys import (MAX_NOTE, SurveyError, get_survey, may_enter, parse_value, questions_of,
                        readable, write_answers)

if TYPE_CHECKING:
    from db.models import Rows

PROBLEM_CODES = ("no_header", "missing_question", "unknown_student", "not_yours", "value",
                 "duplicate", "note_long", "file")
MAX_LISTED = 200
NOTE_HEADERS = ("备注", "note", "notes", "意见", "comment")
_NUMBERED = re.compile(r"^(?:q|第|题|question)?(\d{1,2})(?:题)?$")


@dataclass(slots=True)
class ImportProblem:
    row: int  # as the user sees it (0: the file as a whole)
    code: str  # survey.file.<code>
    column: str = ""  # the question's number (Q3) or header
    value: str = ""


@dataclass(slots=True)
class ImportResult:
    rows: int = 0  # rows with answers read
    count: SaveCount = field(default_factory=SaveCount)
    problems: list[ImportProblem] = field(default_factory=list)
    more: int = 0  # problems beyond those listed
    file_error: RosterFileError | None = None  # the file as a whole (with "file")

    @property
    def ok(self) -> bool:
        return not self.problems


def _question_columns(texts: list[str], questions: list[str]) -> tuple[dict[int, int], int | None]:
    """``({question index: column index}, note column)`` from a header row."""
    norms = [norm_header(t) for t in texts]
    by_text = {norm_header(q): i for i, q in enumerate(questions)}
    found: dict[int, int] = {}
    note = None
    for col, norm in enumerate(norms):
        if not norm:
            continue
        if norm in by_text and by_text[norm] not in found:
            found[by_text[norm]] = col
            continue
        match = _NUMBERED.match(norm)
        if match and 1 <= int(match.group(1)) <= len(questions):
            # "Q2 对老师的满意度": the number comes first
            found.setdefault(int(match.group(1)) - 1, col)
            continue
        head = re.match(r"^(?:q|第)(\d{1,2})(?:题)?(?=\D)", norm)
        if head and 1 <= int(head.group(1)) <= len(questions):
            found.setdefault(int(head.group(1)) - 1, col)
        elif norm in NOTE_HEADERS and note is None:
            note = col
    return found, note


def _at(cells: list[str], col: int | None) -> str:
    return cells[col] if col is not None and col < len(cells) else ""


def read_answers(path, survey_id: int, reader) -> tuple[ImportResult, dict]:
    """Check a file against the survey: ``(result, {student: (answers, note)})``;
    the values are for ``import_answers`` and only when ``result.ok``."""
    readable(reader)
    survey = get_survey(survey_id)
    if survey is None:
        raise SurveyError({"survey": "survey.err.gone"})
    questions = questions_of(survey)
    result = ImportResult()

    def problem(row: int, code: str, column: str = "", value: str = "") -> None:
        if len(result.problems) < MAX_LISTED:
            result.problems.append(ImportProblem(row, code, column, value[:40]))
        else:
            result.more += 1

    try:
        from db.roster_formats import read_table

        table = read_table(os.fspath(path))
    except RosterFileError as exc:
        problem(0, "file", value=exc.code)
        result.file_error = exc
        return result, {}
    header_at = None
    for i, (_, values) in enumerate(table[:HEADER_SCAN]):
        if any(RECOGNISED.get(norm_header(cell_text(v))) == "student_no" for v in values):
            header_at = i
            break
    if header_at is None:
        problem(0, "no_header")
        return result, {}
    header_row, header = table[header_at]
    texts = [cell_text(v) for v in header]
    number_col = next(i for i, t in enumerate(texts) if RECOGNISED.get(norm_header(t)) == "student_no")
    columns, note_col = _question_columns(texts, questions)
    for i in range(len(questions)):
        if i not in columns:
            problem(header_row, "missing_question", f"Q{i + 1}", questions[i])
    if result.problems:
        return result, {}
    numbers = {cell_text(values[number_col]).strip() for _, values in table[header_at + 1:]
               if number_col < len(values)}
    students = {no: (sid, cid) for sid, no, cid in cast("Rows", Student.select(
        Student.id, Student.student_no, Student.school_class)
        .where(Student.student_no.in_(sorted(n for n in numbers if n))).tuples())} if numbers else {}
    scope = scope_for(reader)
    allowed: dict[int | None, bool] = {}
    values_by_student: dict[int, tuple[list, str]] = {}
    first_row: dict[int, int] = {}
    for number, values in table[header_at + 1:]:
        cells = [cell_text(v) for v in values]
        if not any(cells):
            continue
        student_no = _at(cells, number_col).strip()
        if norm_header(student_no) == norm_header(texts[number_col]):
            continue  # the header again (a printout repeats it)
        answers: list[int | None] = []
        for i in range(len(questions)):
            try:
                answers.append(parse_value(_at(cells, columns[i])))
            except ValueError:
                answers.append(None)
                problem(number, "value", f"Q{i + 1}", _at(cells, columns[i]))
        note = _at(cells, note_col).strip()
        if len(note) > MAX_NOTE:
            problem(number, "note_long", texts[note_col or 0])
        found = students.get(student_no)
        if found is None:
            problem(number, "unknown_student", value=student_no)
            continue
        sid, cid = found
        if cid not in allowed:
            allowed[cid] = may_enter(reader, cid, scope)
        if not allowed[cid]:
            problem(number, "not_yours", value=student_no)
            continue
        if sid in first_row:
            problem(number, "duplicate", value=str(first_row[sid]))
            continue
        first_row[sid] = number
        if note or any(a is not None for a in answers):
            values_by_student[sid] = (answers, note)
    result.rows = len(values_by_student)
    return result, values_by_student


def import_answers(actor: Staff, survey_id: int, path) -> ImportResult:
    """Check the whole file, then write it in one transaction (or nothing)."""
    result, values = read_answers(path, survey_id, actor)
    if not result.ok:
        return result
    if values and not all(may_enter(actor, cid) for (cid,) in cast("Rows", Student.select(
            Student.school_class).where(Student.id.in_(list(values))).distinct().tuples())):
        raise NotAllowed("survey_answers")
    survey = get_survey(survey_id)
    if survey is None:
        raise SurveyError({"survey": "survey.err.gone"})
    result.count = write_answers(actor, survey, values, keep_missing=True)
    return result
