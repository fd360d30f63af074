"""The periods supervision counts over, and how many entries a rule asks for
in part of one (``db.supervision``)."""

from __future__ import annotations

import calendar as months
import datetime as dt
import re

from db.holidays import Calendar
from db.workflow import Rule, current_term, share_of

PERIODS = ("week", "half_month", "month", "last_month", "term")
MONTH_PERIODS = ("month", "last_month")  # a coordinator's adjustment is per month
_MONTH_RE = re.compile(r"^(\d{4})-(\d{1,2})$")


class SupervisionError(ValueError):
    """Something supervision cannot take; ``code`` names the message
    (``err.supervision.<code>``)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def default_period(today: dt.date) -> str:
    """The period a supervision opens on: the month just ended during a month's
    first week (the monthly review, 每月月底督导, is often held then), else this month."""
    return "last_month" if today.day <= 7 else "month"


def month_bounds(month: str) -> tuple[dt.date, dt.date]:
    """The first and last day of ``month`` ("2026-11")."""
    found = _MONTH_RE.match((month or "").strip())
    if not found or not 1 <= int(found[2]) <= 12 or not 2000 <= int(found[1]) <= 2100:
        raise SupervisionError("month")
    year, number = int(found[1]), int(found[2])
    return dt.date(year, number, 1), dt.date(year, number, months.monthrange(year, number)[1])


def month_of(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def period_bounds(period: str, today: dt.date) -> tuple[dt.date, dt.date]:
    """First and last day counted, both included: a period going on ends today."""
    if period == "week":
        return today - dt.timedelta(days=today.weekday()), today
    if period == "half_month":
        return today.replace(day=1 if today.day <= 15 else 16), today
    if period == "month":
        return today.replace(day=1), today
    if period == "last_month":
        last = today.replace(day=1) - dt.timedelta(days=1)
        return last.replace(day=1), last
    if period == "term":
        term = current_term(today)
        return (term.start_date if term else today.replace(month=1, day=1)), today
    raise SupervisionError("period")


def _off_days(calendar: Calendar, first: dt.date, last: dt.date) -> int:
    """Days from ``first`` to ``last`` (included) inside a holiday."""
    return sum(max(0, (min(b, last) - max(a, first)).days + 1) for a, b in calendar.spans)


def terms_between(first: dt.date, last: dt.date) -> list[tuple[dt.date, dt.date]]:
    from db.models import Term

    return [(t.start_date, t.end_date) for t in
            Term.select(Term.start_date, Term.end_date)
            .where(Term.start_date <= last, Term.end_date >= first)]


def due_dates(rule: Rule, terms: list[tuple[dt.date, dt.date]],
              calendar: Calendar) -> list[tuple[int, dt.date]]:
    """``(k, due)`` of a rule "N times a term": the k-th of N by k/(N+1) of each
    term (of each holiday, for a holiday rule)."""
    spans = calendar.spans if rule.during == "holiday" else terms
    out = []
    for first, end in spans:
        for k in range(1, rule.times + 1):
            due = share_of(first, end, k, rule.times)
            out.append((k, due if rule.during == "holiday" else calendar.after(due)))
    return out


def required(rule: Rule, first: dt.date, last: dt.date, calendar: Calendar,
             terms: list[tuple[dt.date, dt.date]]) -> tuple[int, int]:
    """``(how many entries the rule asks for from first to last, the k of the
    first term due date in it)``: an every-N-days rule asks days // N (school
    days' rules count the days outside holidays, holiday rules only holiday
    days); a rule "a term" asks one for each of its due dates in the days."""
    if last < first:
        return 0, 0
    if rule.per_term:
        ks = [k for k, due in due_dates(rule, terms, calendar) if first <= due <= last]
        return len(ks), (min(ks) if ks else 0)
    days = (last - first).days + 1
    if rule.during == "school":
        days -= _off_days(calendar, first, last)
    elif rule.during == "holiday":
        days = _off_days(calendar, first, last)
    return max(days, 0) // max(rule.every_days, 1), 0
