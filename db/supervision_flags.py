"""Entries that look gamed (``db.supervision``): flagged for the coordinator,
never hidden and never discounted.

- "burst": ``rubric.burst`` or more entries by one author written (created_at)
  within 60 seconds, leaving out entries with a ``meeting_id`` (meeting mode
  and family events write many at once on purpose);
- "copied": the same discussed text (stripped, at least ``content_chars``
  characters, of entries that are not restricted and not a meeting's) on 3 or
  more of one author's entries in the period;
- "backdated": written (created_at) more than ``late_days`` days after the
  date it is dated (occurred_at).

Each flagged entry is one ``Flag``; ``count`` is the burst's size, the copies,
or the days late.  No restricted text is read or shown.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

BURST_SECONDS = 60
COPIES = 3
FLAG_KINDS = ("burst", "copied", "backdated")


@dataclass(slots=True)
class Flag:
    contact_id: int
    staff_id: int
    author: str
    case_id: int
    student: str
    why: str  # FLAG_KINDS
    occurred_at: dt.datetime
    created_at: dt.datetime
    count: int


@dataclass(slots=True)
class Entry:
    """One entry of the period, as supervision reads it (no restricted text)."""

    contact_id: int
    author_id: int
    case_id: int
    kind: str
    channel: str
    occurred_at: dt.datetime
    created_at: dt.datetime
    in_meeting: bool
    content: bool  # has discussed/agreed text of at least content_chars characters
    text: str  # the discussed text, stripped ("" for a restricted entry)


def find_flags(entries: list[Entry], rubric, names: dict[int, str],
               students: dict[int, str]) -> list[Flag]:
    """The flags of the period's entries, by author then time."""
    flags: list[Flag] = []

    def flag(e: Entry, why: str, count: int) -> None:
        flags.append(Flag(e.contact_id, e.author_id, names.get(e.author_id, "?"), e.case_id,
                          students.get(e.case_id, ""), why, e.occurred_at, e.created_at, count))

    by_author: dict[int, list[Entry]] = {}
    for e in entries:
        by_author.setdefault(e.author_id, []).append(e)
    window = dt.timedelta(seconds=BURST_SECONDS)
    late = dt.timedelta(days=rubric.late_days)
    for rows in by_author.values():
        timed = sorted((e for e in rows if not e.in_meeting), key=lambda e: e.created_at)
        i = 0
        while i < len(timed):
            j = i
            while j + 1 < len(timed) and timed[j + 1].created_at - timed[i].created_at <= window:
                j += 1
            if rubric.burst and j - i + 1 >= rubric.burst:
                for e in timed[i:j + 1]:
                    flag(e, "burst", j - i + 1)
                i = j + 1
            else:
                i += 1
        same: dict[str, list[Entry]] = {}
        for e in rows:  # (a meeting's entries share their text on purpose)
            if e.text and len(e.text) >= rubric.content_chars and not e.in_meeting:
                same.setdefault(e.text, []).append(e)
        for copies in same.values():
            if len(copies) >= COPIES:
                for e in copies:
                    flag(e, "copied", len(copies))
        for e in rows:
            if e.created_at - e.occurred_at > late:
                flag(e, "backdated", (e.created_at.date() - e.occurred_at.date()).days)
    flags.sort(key=lambda f: (f.author, f.staff_id, f.created_at, f.contact_id,
                              FLAG_KINDS.index(f.why)))
    return flags
