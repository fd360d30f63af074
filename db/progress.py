"""Progress (阶段评估 results): test scores, psychological check-ins and the term's
improvement figure.

Scores are entered for a whole class after an exam (one row per student, one
column per subject) and compared as a share of the exam's full marks, so an
exam out of 120 and one out of 150 can be compared.

The school plans' target: 80% of supported students improve their scores by
10% in a term.  A student's improvement is measured like this (``measure``):

- only subjects with at least two scores in the term count (a subject the
  student sat once, or missed, says nothing about change);
- the student's *first* average is the mean over those subjects of each
  subject's first score (as a share of full marks); the *latest* average is
  the mean of each subject's latest score;
- the change is ``(latest - first) / first``; the student improved when it is
  at least 10%;
- a student with no such subject (one assessment only, or none) cannot be
  measured: counted apart, never as improved or not.

The supported students of a term are the students with a case in that term,
whatever its status now.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid as uuidlib
from dataclasses import dataclass, field

from peewee import JOIN, fn

from db import audit, clock, journal
from db.dates import DateError, as_date, parse_date
from db.models import Case, Checkin, Meta, SchoolClass, Score, Staff, Student, Term
from db.plan import FieldErrors
from db.text import clean, one_line

IMPROVE_BY = 0.10  # a rise of 10% ...
TARGET_SHARE = 0.80  # ... for 80% of supported students (the school plans' target)
DEFAULT_SUBJECTS = ("语文", "数学", "英语")
SUBJECTS_KEY = "subjects"
DIMENSIONS_KEY = "checkin_dimensions"
# the dimensions a check-in rates unless the school set its own (labelled in the
# catalog as vocab.dimension.<code>; a school's own names are shown as typed)
DEFAULT_DIMENSIONS = ("mood", "confidence", "relationships", "motivation")
MAX_NAME = 20  # an exam, subject or dimension name
MAX_SUBJECTS = 9
MAX_DIMENSIONS = 6
MAX_NOTE = 500
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
    for cid, name, code in SchoolClass.select(SchoolClass.id, SchoolClass.name,
                                              SchoolClass.code).tuples():
        if wanted in (name.replace(" ", "").lower(), (code or "").replace(" ", "").lower()):
            return ClassRef(cid, name)
    return None


def class_students(class_id: int, supported_only: bool = False) -> list[GridStudent]:
    """The class list in student-number order; ``supported`` marks an open case."""
    from db.search import natural_key
    from db.vocab import OPEN_STATUSES

    open_case = {sid for (sid,) in Case.select(Case.student)
                 .join(Student).where(Student.school_class == class_id,
                                      Case.status.in_(OPEN_STATUSES)).tuples()}
    rows = [GridStudent(sid, name, no, sid in open_case) for sid, name, no in
            Student.select(Student.id, Student.name, Student.student_no)
            .where(Student.school_class == class_id).tuples()]
    if supported_only:
        rows = [r for r in rows if r.supported]
    return sorted(rows, key=lambda r: natural_key(r.student_no))


# -- scores ---------------------------------------------------------------------------

def _number(text: str) -> float | None:
    value = clean(text, multiline=False).strip().translate(_FULL_WIDTH)
    if not value:
        return None
    if not all(c.isascii() and (c.isdigit() or c == ".") for c in value) or value.count(".") > 1 \
            or value == ".":
        raise ValueError(value)
    return float(value)


_FULL_WIDTH = str.maketrans("０１２３４５６７８９．", "0123456789.")


def existing_scores(student_ids: list[int], exam: str, taken_on: dt.date) -> dict:
    """``{(student id, subject): (score, full marks)}`` of one exam sitting."""
    if not student_ids:
        return {}
    return {(sid, subject): (score, full) for sid, subject, score, full in
            Score.select(Score.student, Score.subject, Score.score, Score.full_marks)
            .where(Score.student.in_(student_ids), Score.exam == exam,
                   Score.taken_on == taken_on).tuples()}


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
    return Sitting(exam, when, full, list(subjects))


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
        known = {sid for (sid,) in Student.select(Student.id)
                 .where(Student.id.in_(student_ids)).tuples()}
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
    return [(exam, as_date(when), full) for exam, when, full in
            Score.select(Score.exam, Score.taken_on, fn.MAX(Score.full_marks))
            .group_by(Score.exam, Score.taken_on)
            .order_by(Score.taken_on.desc()).limit(limit).tuples()]


# -- check-ins ----------------------------------------------------------------------------

def existing_checkins(student_ids: list[int], taken_on: dt.date) -> dict:
    """``{student id: ({dimension: rating}, note)}`` on one date."""
    if not student_ids:
        return {}
    out = {}
    for sid, ratings, note in (Checkin.select(Checkin.student, Checkin.ratings, Checkin.note)
                               .where(Checkin.student.in_(student_ids),
                                      Checkin.taken_on == taken_on).tuples()):
        out[sid] = (_ratings(ratings), note)
    return out


def _ratings(text: str) -> dict[str, int]:
    try:
        value = json.loads(text)
        return {str(k): int(v) for k, v in value.items()}
    except (TypeError, ValueError, AttributeError):
        return {}


NOTE_COLUMN = "note"


def validate_checkins(dimensions, cells: dict[tuple[int, str], str]) -> dict:
    """``{student: (ratings, note) or None}`` from the grid's cells (column: a
    dimension or ``"note"``); a row left blank is None (nothing, or removed)."""
    errors: dict[str, str] = {}
    rows: dict[int, tuple[dict[str, int], str]] = {}
    for (sid, column), text in cells.items():
        if column != NOTE_COLUMN and column not in dimensions:
            continue  # not a column of this grid: never a reason to remove a check-in
        ratings, note = rows.setdefault(sid, ({}, ""))
        if column == NOTE_COLUMN:
            note = clean(text, multiline=False).strip()
            if len(note) > MAX_NOTE:
                errors[cell_key(sid, column)] = "err.checkin.note_long"
            rows[sid] = (ratings, note)
            continue
        value = clean(text, multiline=False).strip().translate(_FULL_WIDTH)
        if not value:
            continue
        if value not in ("1", "2", "3", "4", "5"):
            errors[cell_key(sid, column)] = "err.checkin.rating"
            continue
        ratings[column] = int(value)
    for sid, (ratings, note) in rows.items():
        if note and not ratings:
            errors[cell_key(sid, dimensions[0] if dimensions else NOTE_COLUMN)] = \
                "err.checkin.note_only"
    if errors:
        raise ScoreValidationError(errors)
    return {sid: (ratings, note) if ratings else None for sid, (ratings, note) in rows.items()}


def save_checkins(actor: Staff | None, taken_on: dt.date, dimensions,
                  cells: dict[tuple[int, str], str]) -> SaveCount:
    """Write one day's check-ins from the grid in one transaction (a cleared row
    removes that day's check-in)."""
    rows = validate_checkins(list(dimensions), cells)
    count = SaveCount()
    with journal.transaction():
        known = {sid for (sid,) in Student.select(Student.id)
                 .where(Student.id.in_(list(rows))).tuples()}
        stored = {c.student_id: c for c in Checkin.select()
                  .where(Checkin.student.in_(list(rows)), Checkin.taken_on == taken_on)}
        now = clock.now()
        for sid, value in rows.items():
            if sid not in known:
                continue
            row = stored.get(sid)
            if value is None:
                if row is not None:
                    row.delete_instance()
                    audit.record(actor, "checkin", row.id, "delete",
                                 {"student": sid, "taken_on": taken_on,
                                  "ratings": [row.ratings, None]})
                    count.removed += 1
                continue
            ratings, note = value
            text = json.dumps(ratings, ensure_ascii=False, sort_keys=True)
            if row is None:
                row = Checkin.create(uuid=str(uuidlib.uuid4()), student=sid, taken_on=taken_on,
                                     ratings=text, note=note,
                                     author=actor.id if actor else None, updated_at=now)
                audit.record(actor, "checkin", row.id, "insert",
                             {"student": sid, "taken_on": taken_on, "ratings": text,
                              "note": note})
                count.added += 1
            elif (row.ratings, row.note) != (text, note):
                changes = audit.diff({"ratings": row.ratings, "note": row.note},
                                     {"ratings": text, "note": note})
                (Checkin.update(ratings=text, note=note, version=Checkin.version + 1,
                                updated_at=now, author=actor.id if actor else None)
                 .where(Checkin.id == row.id).execute())
                audit.record(actor, "checkin", row.id, "update", changes)
                count.changed += 1
    return count


# -- measuring progress ----------------------------------------------------------------------

@dataclass(slots=True)
class Point:
    taken_on: dt.date
    exam: str
    score: float
    full_marks: float

    @property
    def share(self) -> float:
        """The score as a percentage of full marks."""
        return self.score * 100.0 / self.full_marks if self.full_marks else 0.0


@dataclass(slots=True)
class SubjectTrend:
    subject: str
    points: list[Point]

    @property
    def counts(self) -> bool:
        """At least two scores: a change can be measured."""
        return len(self.points) >= 2

    @property
    def first(self) -> float | None:
        return self.points[0].share if self.points else None

    @property
    def latest(self) -> float | None:
        return self.points[-1].share if self.points else None

    @property
    def change(self) -> float | None:
        """From the first to the latest score, as a fraction of the first."""
        return relative(self.first, self.latest) if self.counts else None


def relative(first: float | None, latest: float | None) -> float | None:
    if first is None or latest is None:
        return None
    if first == 0:
        return None if latest == 0 else float("inf")
    return (latest - first) / first


@dataclass(slots=True)
class Measure:
    """One student's change over the term (see the module's docstring)."""

    subjects: list[SubjectTrend]
    first: float | None = None  # the first average, percent of full marks
    latest: float | None = None
    change: float | None = None  # fraction; None: not measurable

    @property
    def measurable(self) -> bool:
        return self.first is not None

    @property
    def improved(self) -> bool:
        if self.first is None:
            return False
        if self.first == 0:
            return self.latest > 0
        # "at least 10%" exactly: 66 after 60 is a rise of 10%, floating point or not
        return self.latest >= self.first * (1 + IMPROVE_BY) - 1e-9


def measure(points: dict[str, list[Point]]) -> Measure:
    trends = [SubjectTrend(subject, sorted(p, key=lambda x: (x.taken_on, x.exam)))
              for subject, p in points.items() if p]
    result = Measure(sorted(trends, key=lambda s: s.subject))
    counted = [s for s in trends if s.counts]
    if counted:
        result.first = sum(s.first for s in counted) / len(counted)
        result.latest = sum(s.latest for s in counted) / len(counted)
        result.change = relative(result.first, result.latest)
    return result


def term_of_case(case_id: int | None, today: dt.date) -> tuple[dt.date, dt.date, str]:
    """The dates progress is measured over: the case's term, else this term."""
    from db.workflow import current_term

    term = None
    if case_id is not None:
        term = (Term.select().join(Case, on=(Case.term == Term.id))
                .where(Case.id == case_id).first())
    term = term or current_term(today)
    if term is None:
        return today.replace(month=1, day=1), today.replace(month=12, day=31), ""
    return term.start_date, term.end_date, term.name


@dataclass(slots=True)
class CheckinRow:
    taken_on: dt.date
    ratings: dict[str, int]
    note: str


@dataclass(slots=True)
class StudentProgress:
    start: dt.date
    end: dt.date
    term_name: str
    measure: Measure
    dimensions: tuple[str, ...] = ()
    checkins: list[CheckinRow] = field(default_factory=list)


def scores_between(student_ids, start: dt.date, end: dt.date) -> dict[int, dict[str, list[Point]]]:
    """``{student: {subject: [Point, ...]}}`` of the scores in ``[start, end]``."""
    out: dict[int, dict[str, list[Point]]] = {}
    query = (Score.select(Score.student, Score.subject, Score.taken_on, Score.exam,
                          Score.score, Score.full_marks)
             .where(Score.taken_on.between(start, end),
                    Score.student.in_(student_ids if hasattr(student_ids, "sql")
                                      else list(student_ids)))
             .order_by(Score.id))  # one order on every backend: the same sums to the last bit
    for sid, subject, when, exam, score, full in query.tuples():
        out.setdefault(sid, {}).setdefault(subject, []).append(
            Point(as_date(when), exam, score, full))
    return out


def student_progress(student_id: int, case_id: int | None = None,
                     today: dt.date | None = None) -> StudentProgress:
    """A student's scores and check-ins over the case's term (the progress tab)."""
    today = today or clock.today()
    start, end, name = term_of_case(case_id, today)
    points = scores_between([student_id], start, end).get(student_id, {})
    checkins = [CheckinRow(as_date(when), _ratings(ratings), note) for when, ratings, note in
                Checkin.select(Checkin.taken_on, Checkin.ratings, Checkin.note)
                .where(Checkin.student == student_id, Checkin.taken_on.between(start, end))
                .order_by(Checkin.taken_on).tuples()]
    dims = list(load_dimensions())
    for row in checkins:  # a dimension the school has since dropped still shows
        dims += [d for d in row.ratings if d not in dims]
    return StudentProgress(start, end, name, measure(points), tuple(dims), checkins)


# -- the term's figure --------------------------------------------------------------------------

@dataclass(slots=True)
class FigureRow:
    name: str  # a class, or "" for the whole school
    students: int = 0  # supported students
    measurable: int = 0  # with a change that can be measured
    improved: int = 0  # ... that rose by at least 10%
    changes: list[float] = field(default_factory=list)

    @property
    def unmeasured(self) -> int:
        return self.students - self.measurable

    @property
    def share(self) -> float | None:
        """Improved among the measurable students; None if none is measurable."""
        return self.improved / self.measurable if self.measurable else None

    @property
    def meets_target(self) -> bool | None:
        return None if self.share is None else self.share >= TARGET_SHARE - 1e-9

    @property
    def mean_change(self) -> float | None:
        finite = [c for c in self.changes if c != float("inf")]
        return sum(finite) / len(finite) if finite else None


@dataclass(slots=True)
class TermFigures:
    term_name: str
    start: dt.date
    end: dt.date
    classes: list[FigureRow]
    total: FigureRow
    students: dict[int, tuple[str, str, Measure]]  # student -> (name, class, measure)


def term_figures(term_id: int | None = None, today: dt.date | None = None,
                 until: dt.date | None = None, students=None) -> TermFigures:
    """The share of the term's supported students whose scores rose by 10%, by
    class and overall (scores up to ``until``, the end of the term by default);
    ``students`` (a subquery of student ids, ``db.visible.student_query``)
    narrows it to those, ``None`` is every student."""
    from db.search import natural_key
    from db.workflow import current_term

    today = today or clock.today()
    term = Term.get_or_none(Term.id == term_id) if term_id else current_term(today)
    if term is None:
        start, end, name = today.replace(month=1, day=1), today.replace(month=12, day=31), ""
        cases = Case.select(Case.student).where(Case.term.is_null())
    else:
        start, end, name = term.start_date, term.end_date, term.name
        cases = Case.select(Case.student).where(Case.term == term.id)
    if students is not None:
        cases = cases.where(Case.student.in_(students))
    end = min(end, until) if until else end
    supported = {sid: (sname, cname or "—") for sid, sname, cname in
                 Student.select(Student.id, Student.name, SchoolClass.name)
                 .join(SchoolClass, JOIN.LEFT_OUTER)
                 .where(Student.id.in_(cases)).tuples()}
    points = scores_between(cases, start, end)
    rows: dict[str, FigureRow] = {}
    total = FigureRow("")
    measured: dict[int, tuple[str, str, Measure]] = {}
    for sid, (sname, cname) in supported.items():
        m = measure(points.get(sid, {}))
        measured[sid] = (sname, cname, m)
        for row in (rows.setdefault(cname, FigureRow(cname)), total):
            row.students += 1
            if m.measurable:
                row.measurable += 1
                row.improved += m.improved
                if m.change is not None:
                    row.changes.append(m.change)
    classes = sorted(rows.values(), key=lambda r: natural_key(r.name))
    return TermFigures(name, start, end, classes, total, measured)
