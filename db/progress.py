"""Progress (阶段评估 results): measuring a student's change over a term, and the
term's improvement figure, from the scores and check-ins entered in the grids
(``db.scores``, ``db.checkins``).

Scores are compared as a share of the exam's full marks, so an exam out of
120 and one out of 150 can be compared.

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
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

from peewee import JOIN

from db import clock
from db.dates import as_date
from db.checkins import parse_ratings
from db.models import Case, Checkin, SchoolClass, Score, Student, Term
from db.scores import load_dimensions

if TYPE_CHECKING:
    from db.models import Rows

IMPROVE_BY = 0.10  # a rise of 10% ...
TARGET_SHARE = 0.80  # ... for 80% of supported students (the school plans' target)


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
        latest = cast(float, self.latest)  # set together with first
        if self.first == 0:
            return latest > 0
        # "at least 10%" exactly: 66 after 60 is a rise of 10%, floating point or not
        return latest >= self.first * (1 + IMPROVE_BY) - 1e-9


def measure(points: dict[str, list[Point]]) -> Measure:
    trends = [SubjectTrend(subject, sorted(p, key=lambda x: (x.taken_on, x.exam)))
              for subject, p in points.items() if p]
    result = Measure(sorted(trends, key=lambda s: s.subject))
    counted = [s for s in trends if s.counts]
    if counted:
        # a trend that counts has at least two points: a first and a latest
        result.first = sum(cast(float, s.first) for s in counted) / len(counted)
        result.latest = sum(cast(float, s.latest) for s in counted) / len(counted)
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
    for sid, subject, when, exam, score, full in cast("Rows", query.tuples()):
        out.setdefault(sid, {}).setdefault(subject, []).append(
            Point(cast(dt.date, as_date(when)), exam, score, full))  # taken_on: never NULL
    return out


def student_progress(student_id: int, case_id: int | None = None,
                     today: dt.date | None = None) -> StudentProgress:
    """A student's scores and check-ins over the case's term (the progress tab)."""
    today = today or clock.today()
    start, end, name = term_of_case(case_id, today)
    points = scores_between([student_id], start, end).get(student_id, {})
    checkins = [CheckinRow(cast(dt.date, as_date(when)), parse_ratings(ratings), note)  # never NULL
                for when, ratings, note in
                cast("Rows", Checkin.select(Checkin.taken_on, Checkin.ratings, Checkin.note)
                     .where(Checkin.student == student_id, Checkin.taken_on.between(start, end))
                     .order_by(Checkin.taken_on).tuples())]
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
                 cast("Rows", Student.select(Student.id, Student.name, SchoolClass.name)
                      .join(SchoolClass, JOIN.LEFT_OUTER)
                      .where(Student.id.in_(cases)).tuples())}
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
