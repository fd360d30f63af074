"""The periods of the weekly report and the term summary (``db.reports``):
ISO weeks as typed, terms by name, and the error a report that cannot be made
raises.  ``db.reports`` re-exports these names.
"""

from __future__ import annotations

import datetime as dt
import re

from db import clock
from db.models import Term

_WEEK = re.compile(r"^\s*(\d{4})\s*-?\s*[wW]\s*(\d{1,2})\s*$")


class ReportError(ValueError):
    """A report that cannot be made; ``key`` is its message in the catalog
    (``err.report.<code>``): ``kind``, ``week``, ``future``, ``no_term``,
    ``term_unknown``."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code

    @property
    def key(self) -> str:
        return f"err.report.{self.code}"


# -- periods -------------------------------------------------------------------------------

def week_label(day: dt.date) -> str:
    """The ISO week of ``day``: ``"2026-W47"``."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def parse_week(text: str, today: dt.date | None = None) -> tuple[dt.date, str]:
    """``(Monday, "2026-W47")`` of an ISO week typed as ``2026-W47`` (or
    ``2026W47``, ``2026-w7``); ``""`` is the week of today.  A week that does not
    exist (``2026-W54``, ``2025-W53``) raises ``ReportError("week")``."""
    today = today or clock.today()
    if not (text or "").strip():
        monday = today - dt.timedelta(days=today.weekday())
        return monday, week_label(monday)
    m = _WEEK.match(text)
    if not m:
        raise ReportError("week")
    try:
        monday = dt.date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
    except ValueError:
        raise ReportError("week") from None
    return monday, week_label(monday)


def find_term(name: str) -> Term | None:
    """A term by its name (spaces and case ignored), else None."""
    from db.terms import list_terms
    from db.text import one_line

    wanted = "".join(one_line(name).split()).lower()
    if not wanted:
        return None
    for term in list_terms():
        if "".join(term.name.split()).lower() == wanted:
            return term
    return None


def term_names() -> list[str]:
    """Every term's name, oldest first (for "no such term: choose one of ...")."""
    from db.terms import list_terms

    return [term.name for term in list_terms()]
