"""The demo school's calendar: its terms, school days (weekdays that are not
holidays) and the term's exams, all from the demo's today (``db.demo.build``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


# ---------------------------------------------------------------------------
# the school's calendar

GRADE_ZH = {7: "七", 8: "八", 9: "九"}
SEMESTER_ZH = {1: "第一学期", 2: "第二学期"}
# (month, day) with no lessons: New Year, Qingming, Labour Day, National Day
HOLIDAYS = {(1, 1), (4, 4), (4, 5), (4, 6), (5, 1), (5, 2), (5, 3), (5, 4), (5, 5),
            *((10, d) for d in range(1, 8))}


@dataclass
class TermInfo:
    school_year: str
    semester: int
    start: dt.date
    end: dt.date  # the last day of lessons
    id: int = 0
    stored_end: dt.date | None = None  # runs on through a holiday that is "now"

    @property
    def name(self) -> str:
        return f"{self.school_year} {SEMESTER_ZH[self.semester]}"

    @property
    def first_year(self) -> int:
        return int(self.school_year[:4])

    @property
    def midterm(self) -> dt.date:
        """The mid-term parent meeting: a Friday about ten weeks in."""
        day = self.start + dt.timedelta(days=63)
        return day + dt.timedelta(days=(4 - day.weekday()) % 7)


def _term(first_year: int, semester: int) -> TermInfo:
    year = f"{first_year}-{first_year + 1}"
    if semester == 1:
        return TermInfo(year, 1, dt.date(first_year, 9, 1), dt.date(first_year + 1, 1, 20))
    return TermInfo(year, 2, dt.date(first_year + 1, 2, 20), dt.date(first_year + 1, 7, 10))


def terms_for(today: dt.date) -> tuple[TermInfo, TermInfo]:
    """``(current, previous)``; in a holiday the term just ended runs on to it."""
    if today.month >= 9:
        current = _term(today.year, 1)
    elif today >= dt.date(today.year, 2, 20):
        current = _term(today.year - 1, 2)
    else:  # January to mid-February
        current = _term(today.year - 1, 1)
    if today > current.end:  # the summer or winter holiday
        current.stored_end = (dt.date(today.year, 8, 31) if current.semester == 2
                              else dt.date(today.year, 2, 19))
    previous = (_term(current.first_year - 1, 2) if current.semester == 1
                else _term(current.first_year, 1))
    return current, previous


def _school_day(day: dt.date) -> bool:
    return day.weekday() < 5 and (day.month, day.day) not in HOLIDAYS


def school_days(first: dt.date, last: dt.date) -> list[dt.date]:
    days, day = [], first
    while day <= last:
        if _school_day(day):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def next_school_day(day: dt.date) -> dt.date:
    while not _school_day(day):
        day += dt.timedelta(days=1)
    return day


def _thursday(day: dt.date) -> dt.date:
    """The first school day from the Thursday on or after ``day`` (月考 day)."""
    return next_school_day(day + dt.timedelta(days=(3 - day.weekday()) % 7))


def exams_for(term: TermInfo) -> list[tuple[str, dt.date]]:
    """The term's exams in date order: monthly tests, the mid-term (the Tuesday
    before the parent meeting, whose talks go through its results) and the
    final, all on school days."""
    start = term.start
    midterm = next_school_day(term.midterm - dt.timedelta(days=3))
    final = next_school_day(term.end - dt.timedelta(days=7))
    if term.semester == 1:
        exams = [("九月月考", _thursday(start + dt.timedelta(days=21))),
                 ("十月月考", _thursday(start + dt.timedelta(days=42))),
                 ("期中考试", midterm),
                 ("十二月月考", _thursday(start + dt.timedelta(days=98))),
                 ("期末考试", final)]
    else:
        exams = [("三月月考", _thursday(start + dt.timedelta(days=21))),
                 ("期中考试", midterm),
                 ("五月月考", _thursday(start + dt.timedelta(days=88))),
                 ("期末考试", final)]
    return [(name, day) for name, day in exams if term.start <= day <= term.end]
