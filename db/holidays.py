"""School holidays and days off (寒暑假、放假调休): the calendar the rules follow.

A holiday is a named run of days (``start_date`` to ``end_date``, both off).
While one lasts, the rules of school days (the weekly help session) and the
rules "a term" ask for nothing, and the holiday rules (a school's holiday
family contact) ask instead (``db.workflow.due_items``).  Administrators and
coordinators keep the list; each change is one short transaction with its
audit row, like a term.  Two holidays never overlap (a day off inside the
winter holiday is already off).
"""

from __future__ import annotations

import datetime as dt
import uuid as uuidlib
from bisect import bisect_right
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from db import audit, clock
from db.access import require
from db.dates import as_date
from db.models import Holiday, Staff
from db.store import journal
from db.text import clean
from db.vocab import HOLIDAY_KINDS

if TYPE_CHECKING:
    from db.models import Rows

MAX_NAME = 60
MAX_DAYS = 120  # a summer holiday is about 60 days; more is a typing mistake
LOOK_BACK = dt.timedelta(days=400)  # the calendar the due list reads: last year's holidays on


class HolidayError(ValueError):
    """A holiday that cannot be stored: ``code`` names the message (``err.holiday.<code>``)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass(frozen=True, slots=True)
class Calendar:
    """The holidays the due list needs, as sorted ``(first, last)`` days."""

    spans: tuple[tuple[dt.date, dt.date], ...] = ()

    @classmethod
    def around(cls, today: dt.date, horizon: dt.date) -> Calendar:
        query = (Holiday.select(Holiday.start_date, Holiday.end_date)
                 .where(Holiday.end_date >= today - LOOK_BACK, Holiday.start_date <= horizon)
                 .order_by(Holiday.start_date))
        return cls(tuple((cast(dt.date, as_date(a)), cast(dt.date, as_date(b)))  # NOT NULL
                         for a, b in cast("Rows", query.tuples())))

    def on(self, day: dt.date) -> tuple[dt.date, dt.date] | None:
        """The holiday ``day`` is in, if any."""
        n = bisect_right(self.spans, (day, dt.date.max)) - 1
        if n >= 0 and self.spans[n][0] <= day <= self.spans[n][1]:
            return self.spans[n]
        return None

    def after(self, day: dt.date) -> dt.date:
        """``day``, or the first school day after the holiday it falls in."""
        span = self.on(day)
        while span is not None:
            day = span[1] + dt.timedelta(days=1)
            span = self.on(day)
        return day

    def last_end_before(self, day: dt.date) -> dt.date | None:
        """The last day of the newest holiday that ended before ``day``."""
        ends = [end for _, end in self.spans if end < day]
        return max(ends) if ends else None


def list_holidays() -> list[Holiday]:
    return list(Holiday.select().order_by(Holiday.start_date))


def _checked(name: str, kind: str, start: dt.date, end: dt.date, skip: int | None) -> str:
    name = clean(name, multiline=False).strip()
    if not name or len(name) > MAX_NAME:
        raise HolidayError("name")
    if kind not in HOLIDAY_KINDS:
        raise HolidayError("kind")
    if end < start:
        raise HolidayError("dates")
    if (end - start).days >= MAX_DAYS:
        raise HolidayError("long")
    overlap = Holiday.select().where(Holiday.start_date <= end, Holiday.end_date >= start)
    if skip is not None:
        overlap = overlap.where(Holiday.id != skip)
    if overlap.exists():
        raise HolidayError("overlap")
    return name


def add_holiday(actor: Staff | None, name: str, start: dt.date, end: dt.date,
                kind: str = "other") -> Holiday:
    """A new holiday (administrators and coordinators); ``HolidayError`` if not valid."""
    require(actor, "manage")
    with journal.transaction():
        name = _checked(name, kind, start, end, None)
        row = Holiday.create(uuid=str(uuidlib.uuid4()), name=name, kind=kind, start_date=start,
                             end_date=end, updated_at=clock.now())
        audit.record(actor, "holiday", row.id, "insert",
                     {"name": name, "kind": kind, "start_date": start, "end_date": end})
    return row


def remove_holiday(actor: Staff | None, holiday_id: int) -> Holiday:
    """Take a holiday off the calendar; ``HolidayError("gone")`` if it is not there."""
    require(actor, "manage")
    with journal.transaction():
        row = Holiday.get_or_none(Holiday.id == holiday_id)
        if row is None:
            raise HolidayError("gone")
        row.delete_instance()
        audit.record(actor, "holiday", holiday_id, "delete",
                     {"name": row.name, "kind": row.kind, "start_date": row.start_date,
                      "end_date": row.end_date})
    return row


def season_start(today: dt.date) -> dt.date | None:
    """The first day of the holiday ``today`` is in (None: a school day)."""
    span = Calendar.around(today, today).on(today)
    return span[0] if span else None
