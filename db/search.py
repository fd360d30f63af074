"""The in-memory roster index behind search-as-you-type.

Rows are loaded once (``db.roster.load_rows``) and searched here without
touching the database, so a keystroke never waits on the share.  Matching:
name, full pinyin (every stored reading), initials, student number and class.
Matches that start a field come before matches inside one; within each group
the roster order holds (open cases first, then by class and number).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field

from db.vocab import OPEN_STATUSES

SEP = "\x01"
STATUS_FILTERS = ("all", "open", "identified", "active", "improving",
                  "transformed", "closed", "none")


@dataclass(slots=True)
class RosterRow:
    student_id: int
    student_no: str
    name: str
    class_name: str
    class_code: str = ""
    case_id: int | None = None
    status: str = ""  # "" when the student has no case
    lead: str = ""
    staff_ids: frozenset = field(default_factory=frozenset)
    last_date: dt.date | None = None
    last_channel: str = ""
    pinyin: str = ""
    initials: str = ""
    hay: str = ""

    def build_hay(self) -> None:
        keys = [self.name.lower(), self.student_no.lower(), self.class_name.lower(),
                self.class_code.lower()]
        keys += [k for k in self.pinyin.split("|") if k]
        keys += [k for k in self.initials.split("|") if k]
        self.hay = SEP + SEP.join(keys)

    @property
    def tier(self) -> int:
        if self.status in OPEN_STATUSES:
            return 0
        return 1 if self.status else 2


def normalise_query(text: str) -> str:
    """Lower case, no spaces, full-width letters and digits (from an IME) folded."""
    text = unicodedata.normalize("NFKC", text or "")
    return "".join(text.lower().split()).replace(SEP, "")


def status_matches(row: RosterRow, status: str) -> bool:
    if status == "all":
        return True
    if status == "open":
        return row.status in OPEN_STATUSES
    if status == "none":
        return not row.status
    return row.status == status


class RosterIndex:
    def __init__(self, rows: list[RosterRow] | None = None):
        self._rows: list[RosterRow] = []
        self._by_student: dict[int, RosterRow] = {}
        self._cache_key: tuple | None = None
        self._cache: list[RosterRow] = []
        self.replace(rows or [])

    def __len__(self) -> int:
        return len(self._rows)

    def replace(self, rows: list[RosterRow]) -> None:
        for row in rows:
            if not row.hay:
                row.build_hay()
        rows.sort(key=lambda r: (r.tier, r.class_code or r.class_name, r.student_no))
        self._rows = rows
        self._by_student = {r.student_id: r for r in rows}
        self._cache_key = None

    def upsert(self, row: RosterRow) -> None:
        """Put a changed row in place (after a save) without reloading all."""
        row.build_hay()
        old = self._by_student.get(row.student_id)
        if old is not None:
            self._rows[self._rows.index(old)] = row
        else:
            self._rows.append(row)
        self._by_student[row.student_id] = row
        self._cache_key = None

    def get(self, student_id: int) -> RosterRow | None:
        return self._by_student.get(student_id)

    def search(self, query: str, *, status: str = "all",
               staff_id: int | None = None, limit: int | None = None) -> list[RosterRow]:
        """Rows matching ``query``; ``staff_id`` keeps only that person's cases."""
        q = normalise_query(query)
        scope = (status, staff_id)
        if (self._cache_key and self._cache_key[1] == scope
                and q.startswith(self._cache_key[0])):
            pool = self._cache  # typing on: narrow the last result
        else:
            pool = self._rows
            if status != "all":
                pool = [r for r in pool if status_matches(r, status)]
            if staff_id is not None:
                pool = [r for r in pool if staff_id in r.staff_ids]
        if q:
            pool = [r for r in pool if q in r.hay]
        self._cache_key, self._cache = (q, scope), pool
        if q:
            head = SEP + q
            first = [r for r in pool if head in r.hay]
            if len(first) != len(pool):
                firsts = set(map(id, first))
                pool = first + [r for r in pool if id(r) not in firsts]
        return pool[:limit] if limit else pool

    def exact(self, query: str) -> list[RosterRow]:
        """Rows whose number, name or a pinyin reading equals ``query`` exactly."""
        q = normalise_query(query)
        needle = SEP + q + SEP
        return [r for r in self._rows if needle in r.hay + SEP]
