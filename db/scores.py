"""Entering results: the score grid and the school's lists behind it.

Scores are entered for a whole class after an exam (one row per student, one
column per subject, ``save_scores``), each kept with the exam's full marks so
that later sittings out of 120 and out of 150 compare.  This module holds the
school's subjects and check-in dimensions (settings), finding a class and its
students for a grid, validating an exam sitting and its cells, and saving
them; the check-in grid is ``db.checkins`` and measuring the change over a
term is ``db.progress``.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid as uuidlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from peewee import fn

from db import audit, clock
from db.store import journal
from db.dates import DateError, as_date, parse_date
from db.models import Case, Meta, SchoolClass, Score, Staff, Student
from db.plan import FieldErrors
from db.text import clean, one_line

if TYPE_CHECKING:
    from db.models import Rows

DEFAULT_SUBJECTS = ("语文", "数学", "英语")
SUBJECTS_KEY = "subjects"
DIMENSIONS_KEY = "checkin_dimensions"
# the dimensions a check-in rates unless the school set its own (labelled in the
# catalog as vocab.dimension.<code>; a school's own names are shown as typed)
DEFAULT_DIMENSIONS = ("mood", "confidence", "relationships", "motivation")
MAX_NAME = 20  # an exam, subject or dimension name
MAX_SUBJECTS = 9
MAX_DIMENSIONS = 6
MAX_FULL_MARKS = 1000


class ScoreValidationError(FieldErrors):
    """Scores refused, nothing written: ``exam``, ``date``, ``full``, ``subjects``,
    and ``cell:<student id>:<column>`` for a bad cell."""


class SettingError(ValueError):
    def __init__(self, code: str):
        super().__init__(code)
        self.code = code  # catalog key err.<code>


def cell_key(student_id: int, column: str) -> str:
    return f"cell:{student_id}:{column}"


def cell_errors(errors: dict[str, str]) -> dict[tuple[int, str], str]:
    """A grid's ``{(student, column): message key}`` from its validation errors
    (the ``cell_key`` ones; any other error is the caller's)."""
    cells = {}
    for name, key in errors.items():
        if name.startswith("cell:"):
            _, sid, column = name.split(":", 2)
            cells[(int(sid), column)] = key
    return cells


# -- settings: subjects and check-in dimensions --------------------------------------

def _names(key: str, default: tuple[str, ...]) -> tuple[str, ...]:
    from db.workflow import stored_setting

    row = stored_setting(key)
    if row is None:
        return default
    try:
        names = tuple(str(n) for n in json.loads(row.value) if str(n).strip())
    except (TypeError, ValueError):
        return default
    return names or default


def load_subjects() -> tuple[str, ...]:
    return _names(SUBJECTS_KEY, DEFAULT_SUBJECTS)


def load_dimensions() -> tuple[str, ...]:
    return _names(DIMENSIONS_KEY, DEFAULT_DIMENSIONS)


def split_names(text: str) -> list[str]:
    """``"语文, 数学，英语"`` → the names, in order, without repeats."""
    out: list[str] = []
    for part in clean(text, multiline=False).replace("，", ",").replace("、", ",").split(","):
        name = part.strip()
        if name and name not in out:
            out.append(name)
    return out


def check_names(names, most: int) -> list[str]:
    names = [one_line(n).strip() for n in names]
    names = [n for i, n in enumerate(names) if n and n not in names[:i]]
    if not names:
        raise SettingError("names_required")
    if len(names) > most:
        raise SettingError("names_too_many")
    if any(len(n) > MAX_NAME for n in names):
        raise SettingError("name_too_long")
    return names


def _save_names(actor: Staff | None, key: str, names: list[str] | None, default) -> bool:
    """Store the school's list (None: back to the default); False if unchanged."""
    from db.workflow import put_setting, stored_setting

    with journal.transaction():
        row = stored_setting(key)
        old = _names(key, default)
        if names is None:
            if row is None:
                return False
            Meta.delete().where(Meta.key == key).execute()
            audit.record(actor, Meta._meta.table_name, key, "update", {key: [list(old), None]})
            return True
        value = json.dumps(names, ensure_ascii=False)
        if row is not None and row.value == value:
            return False
        put_setting(key, value)
        audit.record(actor, Meta._meta.table_name, key, "update", {key: [list(old), names]})
    return True


def save_dimensions(actor: Staff | None, names) -> bool:
    """The check-in dimensions of this school (None: the defaults)."""
    return _save_names(actor, DIMENSIONS_KEY,
                       None if names is None else check_names(names, MAX_DIMENSIONS),
                       DEFAULT_DIMENSIONS)


def save_subjects(actor: Staff | None, names) -> bool:
    """The subjects the score grid offers first (None: the defaults)."""
    return _save_names(actor, SUBJECTS_KEY,
                       None if names is None else check_names(names, MAX_SUBJECTS),
                       DEFAULT_SUBJECTS)


# -- a class for the grid ---------------------------------------------------------------

@dataclass(slots=True)
class GridStudent:
    student_id: int
    name: str
    student_no: str
    supported: bool  # has an open case


@dataclass(slots=True)
class ClassRef:
    class_id: int
    name: str


def find_class(text: str) -> ClassRef | None:
    """A class by its name (七年级(3)班) or code (7-3), ignoring case and spaces."""
    wanted = one_line(text).strip().replace(" ", "").lower()
    if not wanted:
        return None
    for cid, name, code in cast("Rows", SchoolClass.select(SchoolClass.id, SchoolClass.name,
                                                           SchoolClass.code).tuples()):
        if wanted in (name.replace(" ", "").lower(), (code or "").replace(" ", "").lower()):
            return ClassRef(cid, name)
    return None


def class_students(class_id: int, supported_only: bool = False) -> list[GridStudent]:
    """The class list in student-number order; ``supported`` marks an open case."""
    from db.search import natural_key
    from db.vocab import OPEN_STATUSES

    open_case = {sid for (sid,) in cast("Rows", Case.select(Case.student)
                 .join(Student).where(Student.school_class == class_id,
                                      Case.status.in_(OPEN_STATUSES)).tuples())}
    rows = [GridStudent(sid, name, no, sid in open_case) for sid, name, no in
            cast("Rows", Student.select(Student.id, Student.name, Student.student_no)
                 .where(Student.school_class == class_id).tuples())]
    if supported_only:
        rows = [r for r in rows if r.supported]
    return sorted(rows, key=lambda r: natural_key(r.student_no))


# -- scores ---------------------------------------------------------------------------

def _number(text: str) -> float | None:
    value = clean(text, multiline=False).strip().translate(FULL_WIDTH)
    if not value:
        return None
    if not all(c.isascii() and (c.isdigit() or c == ".") for c in value) or value.count(".") > 1 \
            or value == ".":
        raise ValueError(value)
    return float(value)


FULL_WIDTH = str.maketrans("０１２３４５６７８９．", "0123456789.")


def existing_scores(student_ids: list[int], exam: str, taken_on: dt.date) -> dict:
    """``{(student id, subject): (score, full marks)}`` of one exam sitting."""
    if not student_ids:
        return {}
    return {(sid, subject): (score, full) for sid, subject, score, full in
            cast("Rows", Score.select(Score.student, Score.subject, Score.score, Score.full_marks)
                 .where(Score.student.in_(student_ids), Score.exam == exam,
                        Score.taken_on == taken_on).tuples())}


@dataclass(slots=True)
class Sitting:
    """An exam sitting as typed in the grid's header, validated."""

    exam: str
    taken_on: dt.date
    full_marks: float
    subjects: list[str]


def validate_day(date_text: str) -> dt.date:
    """The date of an exam or a check-in: today or earlier."""
    today = clock.today()
    try:
        when = parse_date(date_text or "today", today, prefer="past")
    except DateError as exc:
        raise ScoreValidationError({"date": f"err.date.{exc.code}"}) from None
    if when > today:
        raise ScoreValidationError({"date": "err.score.future"})
    return when


def validate_sitting(exam: str, date_text: str, full_text: str, subjects) -> Sitting:
    errors: dict[str, str] = {}
    exam = one_line(exam).strip()
    if not exam:
        errors["exam"] = "err.score.exam_required"
    elif len(exam) > MAX_NAME * 2:
        errors["exam"] = "err.score.exam_long"
    when = None
    try:
        when = validate_day(date_text)
    except ScoreValidationError as exc:
        errors.update(exc.errors)
    full = None
    try:
        full = _number(full_text or "100")
        if full is None or not 0 < full <= MAX_FULL_MARKS:
            raise ValueError(full_text)
    except ValueError:
        errors["full"] = "err.score.full_marks"
    if isinstance(subjects, str):
        subjects = split_names(subjects)
    try:
        subjects = check_names(subjects, MAX_SUBJECTS)
    except SettingError as exc:
        errors["subjects"] = f"err.{exc.code}"
    if errors:
        raise ScoreValidationError(errors)
    # no errors: both were set
    return Sitting(exam, cast(dt.date, when), cast(float, full), list(subjects))


@dataclass(slots=True)
class SaveCount:
    added: int = 0
    changed: int = 0
    removed: int = 0

    @property
    def total(self) -> int:
        return self.added + self.changed + self.removed


def validate_scores(sitting: Sitting, cells: dict[tuple[int, str], str]) -> dict:
    """``{(student, subject): score or None}``; bad cells raise, named by cell."""
    errors: dict[str, str] = {}
    values: dict[tuple[int, str], float | None] = {}
    for (sid, subject), text in cells.items():
        if subject not in sitting.subjects:
            continue
        try:
            value = _number(text)
        except ValueError:
            errors[cell_key(sid, subject)] = "err.score.number"
            continue
        if value is not None and value > sitting.full_marks:
            errors[cell_key(sid, subject)] = "err.score.above_full"
            continue
        values[(sid, subject)] = value
    if errors:
        raise ScoreValidationError(errors)
    return values


def save_scores(actor: Staff | None, sitting: Sitting,
                cells: dict[tuple[int, str], str]) -> SaveCount:
    """Write one exam sitting's scores for the students in ``cells``, in one
    transaction: a new score is added, a changed one corrected, a cleared one
    removed; the same grid saved twice writes nothing the second time."""
    values = validate_scores(sitting, cells)
    count = SaveCount()
    student_ids = sorted({sid for sid, _ in values})
    with journal.transaction():
        known = {sid for (sid,) in cast("Rows", Student.select(Student.id)
                 .where(Student.id.in_(student_ids)).tuples())}
        rows = {(r.student_id, r.subject): r for r in
                Score.select().where(Score.student.in_(student_ids), Score.exam == sitting.exam,
                                     Score.taken_on == sitting.taken_on)}
        now = clock.now()
        for (sid, subject), value in values.items():
            if sid not in known:
                continue  # removed from the roster meanwhile
            row = rows.get((sid, subject))
            if value is None:
                if row is not None:
                    row.delete_instance()
                    audit.record(actor, "score", row.id, "delete",
                                 {"student": sid, "exam": sitting.exam, "subject": subject,
                                  "taken_on": sitting.taken_on, "score": [row.score, None]})
                    count.removed += 1
                continue
            if row is None:
                row = Score.create(uuid=str(uuidlib.uuid4()), student=sid, exam=sitting.exam,
                                   subject=subject, taken_on=sitting.taken_on, score=value,
                                   full_marks=sitting.full_marks,
                                   author=actor.id if actor else None, updated_at=now)
                audit.record(actor, "score", row.id, "insert",
                             {"student": sid, "exam": sitting.exam, "subject": subject,
                              "taken_on": sitting.taken_on, "score": value,
                              "full_marks": sitting.full_marks})
                count.added += 1
            elif (row.score, row.full_marks) != (value, sitting.full_marks):
                changes = audit.diff({"score": row.score, "full_marks": row.full_marks},
                                     {"score": value, "full_marks": sitting.full_marks})
                (Score.update(score=value, full_marks=sitting.full_marks,
                              version=Score.version + 1, updated_at=now,
                              author=actor.id if actor else None)
                 .where(Score.id == row.id).execute())
                audit.record(actor, "score", row.id, "update", changes)
                count.changed += 1
    return count


def recent_exams(limit: int = 8) -> list[tuple[str, dt.date, float]]:
    """The latest exam sittings: ``(exam, date, full marks)``, newest first."""
    return [(exam, cast(dt.date, as_date(when)), full) for exam, when, full in  # taken_on: never NULL
            cast("Rows", Score.select(Score.exam, Score.taken_on, fn.MAX(Score.full_marks))
                 .group_by(Score.exam, Score.taken_on)
                 .order_by(Score.taken_on.desc()).limit(limit).tuples())]
