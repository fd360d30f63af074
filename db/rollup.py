"""Reporting up (周报、半月报): one school's figures for a week or a half-month,
and the town's roll-up of many schools' figures.

The town's plan asks the helpers to report to the town's special group every
week and the town to report to the county every half-month.  What goes up is
counts only: no student's, staff member's or family's name, no entry text, no
family data (the town sees a school's figures, never its people).

``SchoolFigures`` is one school's figures for one period (``PERIOD_KINDS``):
a week (Monday to Sunday) or a half-month (the 1st to the 15th, or the 16th to
the month's last day), every figure as of ``as_of = min(end, today)``.
``db.rollup_figures.school_figures`` counts them in the database that is open
(one school); ``combine`` adds many schools' figures into a ``Rollup``: one row
per school and the total (counts summed; every share recomputed from the
summed counts, never averaged; the mean supervision score weighted by the
helpers scored) and the villages of every school, kept apart by school.
``db.rollup_rows`` writes the figures as key/value rows (a file's machine
sheet) and reads them back exactly.

Both ``school_figures`` and ``combine`` read no file and know nothing of the
command line: a district's server computes each school's figures in that
school's scope and combines them the same way.
"""

from __future__ import annotations

import calendar as months
import datetime as dt
from dataclasses import dataclass, field, fields, replace

ROLLUP_VERSION = 1  # written into every file; a file of another version is refused
ROLLUP_KIND = "bangfu-rollup"  # what a roll-up file says it is
PERIOD_KINDS = ("week", "half-month")


class RollupError(ValueError):
    """A roll-up that cannot be made; ``code`` names the message
    (``err.rollup.<code>``), ``index`` the figures (in the list given to
    ``combine``) that do not fit, ``details`` the values the message names."""

    def __init__(self, code: str, index: int | None = None, **details):
        super().__init__(code)
        self.code, self.index, self.details = code, index, details

    @property
    def key(self) -> str:
        return f"err.rollup.{self.code}"


# -- periods ----------------------------------------------------------------------------

def period_kind(text: str) -> str:
    """``"week"`` or ``"half-month"`` (``half_month`` is taken too)."""
    kind = (text or "").strip().lower().replace("_", "-")
    if kind not in PERIOD_KINDS:
        raise RollupError("period_kind", value=text)
    return kind


def period_bounds(kind: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of the period of ``kind`` that contains ``day``."""
    kind = period_kind(kind)
    if kind == "week":
        start = day - dt.timedelta(days=day.weekday())
        return start, start + dt.timedelta(days=6)
    if day.day <= 15:
        return day.replace(day=1), day.replace(day=15)
    return day.replace(day=16), day.replace(day=months.monthrange(day.year, day.month)[1])


def shift_period(kind: str, start: dt.date, steps: int) -> tuple[dt.date, dt.date]:
    """The period ``steps`` periods after (before, when negative) the one of ``start``."""
    first, last = period_bounds(kind, start)
    for _ in range(abs(steps)):
        first, last = period_bounds(kind, first - dt.timedelta(days=1) if steps < 0
                                    else last + dt.timedelta(days=1))
    return first, last


# -- the figures --------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class RuleFigure:
    """A rule of the school's (as the weekly report counts it): among the cases
    open on ``as_of`` (``asked``), those with nothing overdue for it (``done``)."""

    code: str
    kind: str = ""  # what the rule counts (its label for a school's own rule)
    channel: str = ""
    asked: int = 0
    done: int = 0

    @property
    def share(self) -> float | None:
        return self.done / self.asked if self.asked else None


@dataclass(frozen=True, slots=True)
class VillageFigure:
    """A village (属地; "" when not filled in) of one school: its students' open
    cases, the distinct helpers on those cases (staff on the team and outside
    helpers), the entries of its students' cases dated in the period."""

    school: str
    village: str
    open_cases: int = 0
    helpers: int = 0
    contacts: int = 0


@dataclass(frozen=True, slots=True)
class SchoolFigures:
    """One school's figures for one period (the total of a ``Rollup``:
    ``school`` ""); every ``int`` field is a count, summed by ``combine``."""

    school: str
    period: str  # PERIOD_KINDS
    start: dt.date
    end: dt.date
    as_of: dt.date  # min(end, the day they were counted)
    version: int = ROLLUP_VERSION
    made_at: dt.datetime | None = field(default=None, compare=False)
    # the programme: students, cases (open on as_of; opened, closed, transformed in the period)
    students: int = 0  # the school's students
    in_programme: int = 0  # students with a case open on as_of
    cases_open: int = 0
    cases_opened: int = 0
    cases_closed: int = 0
    cases_transformed: int = 0  # confirmed transformed (转化) in the period
    # the term's 10% figure (db.progress): supported students, measurable, improved
    progress_students: int = 0
    progress_measurable: int = 0
    progress_improved: int = 0
    # entries in the period
    entries: int = 0
    entry_cases: int = 0  # distinct cases with an entry
    family_contacts: int = 0  # entries of kind "family"
    home_visits: int = 0  # entries on the channel "home_visit"
    # overdue on as_of: cases with anything overdue (the items by kind: ``overdue``)
    overdue_cases: int = 0
    # families as a group (db.report_families)
    family_events: int = 0
    families_invited: int = 0
    families_attended: int = 0
    event_ratings: int = 0
    event_rating_total: int = 0  # the ratings' sum (the mean: total / ratings)
    feedback_received: int = 0
    feedback_answered: int = 0
    feedback_in_time: int = 0
    feedback_resolved: int = 0
    feedback_open: int = 0  # open on as_of
    feedback_overdue: int = 0
    surveys: int = 0  # satisfaction surveys taken in the period
    survey_families: int = 0  # families that answered them
    survey_given: int = 0  # answers given
    survey_satisfied: int = 0  # answers rated 4 or 5
    # supervision over the period's days up to as_of (db.supervision)
    helpers: int = 0  # helpers listed
    helpers_scored: int = 0
    score_total: int = 0  # the scores' sum (the mean: total / scored)
    below_threshold: int = 0
    corrections_open: int = 0  # correction items (整改) open on as_of
    # what is not a single count
    rules: tuple[RuleFigure, ...] = ()
    overdue: tuple[tuple[str, int], ...] = ()  # (a rule's code, follow_up, goal, review) -> items
    villages: tuple[VillageFigure, ...] = ()

    # -- shares, recomputed from the counts (so a total is never an average) --------------
    @property
    def programme_share(self) -> float | None:
        """The students in the programme among the school's (the plans: at most 10%)."""
        return self.in_programme / self.students if self.students else None

    @property
    def improved_share(self) -> float | None:
        return (self.progress_improved / self.progress_measurable
                if self.progress_measurable else None)

    @property
    def attended_share(self) -> float | None:
        return self.families_attended / self.families_invited if self.families_invited else None

    @property
    def mean_rating(self) -> float | None:
        return self.event_rating_total / self.event_ratings if self.event_ratings else None

    @property
    def answered_share(self) -> float | None:
        return self.feedback_answered / self.feedback_received if self.feedback_received else None

    @property
    def satisfied_share(self) -> float | None:
        return self.survey_satisfied / self.survey_given if self.survey_given else None

    @property
    def mean_score(self) -> float | None:
        return self.score_total / self.helpers_scored if self.helpers_scored else None

    @property
    def overdue_items(self) -> int:
        return sum(n for _, n in self.overdue)


COUNTS = tuple(f.name for f in fields(SchoolFigures) if f.type in ("int", int)
               and f.name != "version")


@dataclass(frozen=True, slots=True)
class Rollup:
    """Many schools' figures for one period: ``schools`` in the order given,
    ``total`` (``school`` ""), with every school's villages."""

    period: str
    start: dt.date
    end: dt.date
    version: int
    schools: tuple[SchoolFigures, ...]
    total: SchoolFigures


def _fits(figures: list[SchoolFigures]) -> None:
    """Refuse figures that cannot be added up (see ``combine``)."""
    if not figures:
        raise RollupError("nothing")
    first = figures[0]
    seen: dict[str, int] = {}
    for n, f in enumerate(figures):
        if f.version != first.version:
            raise RollupError("versions", n, school=f.school, version=f.version,
                              first=first.version)
        if (f.period, f.start, f.end) != (first.period, first.start, first.end):
            raise RollupError("periods", n, school=f.school, period=f.period,
                              start=f.start, end=f.end, first_period=first.period,
                              first_start=first.start, first_end=first.end)
        if f.school in seen:
            raise RollupError("twice", n, school=f.school, other=seen[f.school])
        seen[f.school] = n


def combine(figures: list[SchoolFigures]) -> Rollup:
    """The town's roll-up of ``figures`` (see the module).  ``RollupError``
    (with the ``index`` of the figures that do not fit) for figures of
    different periods (kind, start or end) or versions, or a school twice."""
    figures = list(figures)
    _fits(figures)
    first = figures[0]
    sums = {name: sum(getattr(f, name) for f in figures) for name in COUNTS}
    rules: dict[str, RuleFigure] = {}
    overdue: dict[str, int] = {}
    for f in figures:
        for rule in f.rules:
            had = rules.get(rule.code)
            rules[rule.code] = rule if had is None else replace(
                had, asked=had.asked + rule.asked, done=had.done + rule.done)
        for what, n in f.overdue:
            overdue[what] = overdue.get(what, 0) + n
    as_of = max(f.as_of for f in figures)
    made = [f.made_at for f in figures if f.made_at is not None]
    total = SchoolFigures("", first.period, first.start, first.end, as_of, first.version,
                          max(made) if made else None, **sums, rules=tuple(rules.values()),
                          overdue=tuple(overdue.items()),
                          villages=tuple(v for f in figures for v in f.villages))
    return Rollup(first.period, first.start, first.end, first.version, tuple(figures), total)


def school_figures(today: dt.date, period: str, *, day: dt.date | None = None,
                   school: str = "") -> SchoolFigures:
    """The open database's figures (``db.rollup_figures.school_figures``)."""
    from db.rollup_figures import school_figures as count

    return count(today, period, day=day, school=school)
