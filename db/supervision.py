"""Supervision (督导赋分): what each helper did themselves in a period, scored
by the school's rubric, by grade, with the entries that look gamed.

Who is listed: every active staff member whose role is class_teacher,
teacher, counsellor or volunteer, and anyone (any role) with an active
assignment on an open case.  A helper with no case is listed with zeros and
no score.

What counts, for the days from the period's start to its end (both included;
a period going on ends today; ``period_bounds``):

- Items: each (helper, open case they are actively assigned to, rule that
  applies to their team role there: ``db.workflow.Rule.applies_to``) is an
  item when the rule asks for something in the part of the period the case
  was theirs (from the latest of the period's start, their assignment and the
  case's opening, to the period's end).  An every-N-days rule asks days // N
  (school days' rules count only days outside holidays, holiday rules only
  holiday days); a rule N times a term asks one for each of its due dates
  (k/(N+1) of the term, ``db.workflow.share_of``) in those days.  Done: the
  helper's OWN entries (author) that count for the rule, dated in those days
  (for a rule a term, their own entries of the term before the period count
  towards its earlier due dates first, the rest towards this period's).  An
  item is worth ``rule_met`` points, earned in proportion to what was done (3
  of 4 help sessions: three quarters of them); it is met when done >= required.
- Stage reviews: each review of a case the helper leads that fell due in the
  period (the caseload's dates: ``db.workflow.review_due``) is worth
  ``review`` points, earned when a review of the case (by anyone) is dated
  after the previous due date (for the first, within the review interval) and
  on or before this one.
- Content: a helper with any item can earn ``content`` points, times the share
  of their own entries in the period whose discussed and agreed text, stripped,
  has ``content_chars`` characters or more (a restricted entry counts when it
  has text: it is never read).
- Overdue: each item overdue at the period's end (``db.workflow.due_items``)
  takes ``overdue`` points: a rule's item from the helpers it applies to on the
  case, a follow-up from the entry's author, a review and a goal from the lead.
  (For a past period, entries written since its end count as they are now.)
- Score: none without possible points, else 100 × earned / possible, rounded,
  plus the coordinator's adjustment for the month (a month period only:
  ``set_adjustment``), kept from 0 to 100.  Below the rubric's threshold the
  helper is in the month's notice (``SupervisionReport.below``).

Every point is a ``Point`` naming its case and rule.  Grades (年级) group the
helpers' items by the grade of each case's class; a helper with cases in two
grades counts in both.  Flags: ``db.supervision_flags``.  Only administrators
and coordinators ("supervise") read or change any of it.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid as uuidlib
from dataclasses import asdict, dataclass

from db import access, audit, clock
from db.holidays import Calendar
from db.models import Staff, SupervisionNote
from db.store import journal
from db.supervision_figures import gather
from db.supervision_flags import Flag
from db.supervision_rows import RUBRIC_FIELDS, GradeRow, HelperRow, Point, Rubric
from db.supervision_periods import (MONTH_PERIODS, PERIODS, SupervisionError, default_period,
                                    month_bounds, month_of, period_bounds)
from db.text import clean
from db.workflow import load_rules, put_setting, stored_setting

__all__ = ["PERIODS", "Flag", "GradeRow", "HelperRow", "Point", "Rubric", "SupervisionError",
           "SupervisionReport", "default_period", "load_rubric", "month_bounds", "period_bounds",
           "save_rubric", "set_adjustment", "supervision"]

RUBRIC_KEY = "supervision_rubric"
MAX_POINTS = 1000
MAX_ADJUSTMENT = 100
MAX_NOTE = 500


@dataclass(slots=True)
class SupervisionReport:
    period: str
    start: dt.date
    end: dt.date
    month: str  # "2026-11" for a month period, else ""
    rubric: Rubric
    helpers: list[HelperRow]
    grades: list[GradeRow]
    flags: list[Flag]

    @property
    def below(self) -> list[HelperRow]:
        """The month's notice (通报): helpers scored below the threshold."""
        return [h for h in self.helpers
                if h.score is not None and h.score < self.rubric.threshold]


def check_rubric(rubric: Rubric) -> Rubric:
    for name in RUBRIC_FIELDS:
        value = getattr(rubric, name)
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_POINTS:
            raise SupervisionError("rubric")
    if rubric.threshold > 100 or rubric.burst == 1:
        raise SupervisionError("rubric")
    return rubric


def load_rubric() -> Rubric:
    """The school's rubric, else the defaults (a damaged setting: the defaults)."""
    row = stored_setting(RUBRIC_KEY)
    if row is None:
        return Rubric()
    try:
        data = json.loads(row.value)
        return check_rubric(Rubric(**{k: v for k, v in data.items() if k in RUBRIC_FIELDS}))
    except (TypeError, ValueError, AttributeError):
        return Rubric()


def save_rubric(actor, rubric: Rubric) -> bool:
    """Store the school's rubric (administrators and coordinators), audited;
    False when it is the rubric already.  ``SupervisionError("rubric")`` for a
    value below 0 (or a threshold over 100)."""
    access.require(actor, "supervise")
    check_rubric(rubric)
    with journal.transaction():
        old = asdict(load_rubric())
        new = asdict(rubric)
        if old == new and stored_setting(RUBRIC_KEY) is not None:
            return False
        put_setting(RUBRIC_KEY, json.dumps(new, sort_keys=True))
        audit.record(actor, "bangfu_meta", RUBRIC_KEY, "update",
                     {k: [old[k], new[k]] for k in RUBRIC_FIELDS if old[k] != new[k]})
    return True


def set_adjustment(actor, staff_id: int, month: str, adjustment: int, note: str, *,
                   version: int | None = None) -> None:
    """A coordinator's adjustment (-100 to 100 points) and note to a helper's
    score for ``month``, audited.  ``version``: the note's version the form
    showed (0: none yet); another person's change since is refused
    (``SupervisionError("changed")``)."""
    access.require(actor, "supervise")
    month_bounds(month)
    month = month.strip()
    if len(month) == 6:  # "2026-1" -> "2026-01"
        month = f"{month[:5]}0{month[5]}"
    if not isinstance(adjustment, int) or isinstance(adjustment, bool) or not (
            -MAX_ADJUSTMENT <= adjustment <= MAX_ADJUSTMENT):
        raise SupervisionError("adjustment")
    note = clean(note).strip()
    if len(note) > MAX_NOTE:
        raise SupervisionError("note")
    with journal.transaction():
        if Staff.get_or_none(Staff.id == staff_id) is None:
            raise SupervisionError("staff")
        row = SupervisionNote.get_or_none(SupervisionNote.staff == staff_id,
                                          SupervisionNote.month == month)
        if version is not None and (row.version if row else 0) != version:
            raise SupervisionError("changed")
        if row is None:
            values = {"staff": staff_id, "month": month, "adjustment": adjustment, "note": note}
            made = SupervisionNote.create(uuid=uuidlib.uuid4().hex, author=actor.id,
                                          updated_at=clock.now(), **values)
            audit.record(actor, "supervision_note", made.id, "insert", {**values,
                                                                       "uuid": made.uuid})
            return
        changes = {k: [getattr(row, k), v] for k, v in
                   (("adjustment", adjustment), ("note", note)) if getattr(row, k) != v}
        if not changes:
            return
        (SupervisionNote.update(adjustment=adjustment, note=note, author=actor.id,
                                version=SupervisionNote.version + 1, updated_at=clock.now())
         .where(SupervisionNote.id == row.id).execute())
        audit.record(actor, "supervision_note", row.id, "update", changes)


def supervision(today: dt.date, period: str = "month", *, reader,
                month: str = "") -> SupervisionReport:
    """The helpers' figures for a period (``PERIODS``) or a month ("2026-11":
    it wins over ``period``; the current month ends today).  Administrators
    and coordinators only (``access.NotAllowed``)."""
    access.require(reader, "supervise")
    if month:
        start, end = month_bounds(month)
        end = min(end, max(today, start))
        period, month = "month", month_of(start)
    elif period not in PERIODS:
        raise SupervisionError("period")
    else:
        start, end = period_bounds(period, today)
        month = month_of(start) if period in MONTH_PERIODS else ""
    rubric = load_rubric()
    calendar = Calendar.around(start, end)
    helpers, grades, flags = gather(start, end, month, rubric, load_rules(), calendar)
    return SupervisionReport(period, start, end, month, rubric, helpers, grades, flags)


def record_export(actor, report: SupervisionReport, how: str) -> None:
    """The audit row of a supervision report leaving bangfu (a file or stdout)."""
    access.require(actor, "supervise")
    with journal.transaction():
        audit.record(actor, "supervision_note", report.month or report.period, "export",
                     {"supervision": how, "start": report.start, "end": report.end})
