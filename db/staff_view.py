"""Staff as plain data for the sign-in list (no database imports: loaded at start-up)."""

from __future__ import annotations

from dataclasses import dataclass

from db.search import normalise_query


@dataclass(frozen=True, slots=True)
class StaffView:
    id: int
    name: str
    role: str
    pinyin: str
    initials: str

    @property
    def hay(self) -> str:
        return "\x01".join([self.name.lower(), self.pinyin, self.initials])


def filter_staff(staff: list[StaffView], query: str) -> list[StaffView]:
    q = normalise_query(query)
    if not q:
        return list(staff)
    first = [s for s in staff if any(k.startswith(q) for k in s.hay.split("\x01") + s.pinyin.split("|") + s.initials.split("|"))]
    rest = [s for s in staff if s not in first and q in s.hay]
    return first + rest
