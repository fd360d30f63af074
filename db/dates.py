"""Parsing the dates and times people type.

Accepted: ``today`` / ``今天``, ``yesterday`` / ``昨天``, ``-1`` (days back),
``+7`` (days ahead), ``11-20`` / ``11/20`` / ``11.20`` (month-day),
``2026-11-20``, ``2026/11/20`` and ``20261120``.
"""

from __future__ import annotations

import datetime as dt
import re


class DateError(ValueError):
    """The text is not a date we understand; ``code`` names the reason."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


_WORDS = {"today": 0, "t": 0, "今天": 0, "今日": 0,
          "yesterday": -1, "y": -1, "昨天": -1, "前天": -2,
          "tomorrow": 1, "明天": 1}
_MD = re.compile(r"^(\d{1,2})[-/.月](\d{1,2})日?$")
_YMD = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_OFFSET = re.compile(r"^([+-])\s*(\d{1,4})$")
_TIME = re.compile(r"^(\d{1,2})(?::|：)?(\d{2})$")


def parse_date(text: str, today: dt.date, *, prefer: str = "past") -> dt.date:
    """Parse ``text`` relative to ``today``.

    A month-day without a year is taken in the year that makes it closest on the
    preferred side: ``prefer="past"`` for something that happened, ``"future"``
    for a due date.
    """
    raw = (text or "").strip().lower()
    if not raw:
        raise DateError("empty")
    try:
        if raw in _WORDS:
            return today + dt.timedelta(days=_WORDS[raw])
        if m := _OFFSET.match(raw):
            days = int(m.group(2))
            return today + dt.timedelta(days=days if m.group(1) == "+" else -days)
        if m := _YMD.match(raw) or _COMPACT.match(raw):
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if m := _MD.match(raw):
            month, day = int(m.group(1)), int(m.group(2))
            candidate = _month_day(today.year, month, day)
            if prefer == "past" and candidate > today:
                candidate = _month_day(today.year - 1, month, day)
            elif prefer == "future" and candidate < today:
                candidate = _month_day(today.year + 1, month, day)
            return candidate
    except (ValueError, OverflowError):
        raise DateError("invalid") from None
    raise DateError("format")


def _month_day(year: int, month: int, day: int) -> dt.date:
    return dt.date(year, month, day)


def parse_time(text: str) -> dt.time:
    raw = (text or "").strip()
    m = _TIME.match(raw)
    if not m:
        raise DateError("time")
    hour, minute = int(m.group(1)), int(m.group(2))
    if hour > 23 or minute > 59:
        raise DateError("time")
    return dt.time(hour, minute)


def as_date(value) -> dt.date | None:
    """A date from what a query returns: a date, a datetime or ISO text (or None)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])
