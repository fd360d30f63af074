"""Entering check-ins: the psychological check-in grid of one day.

A check-in rates a student 1-5 on each of the school's dimensions
(``db.scores.load_dimensions``) with an optional note; one row per student and
day.  This module validates the grid's cells, saves them (a cleared row
removes that day's check-in) and reads the stored ratings back.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid as uuidlib
from typing import TYPE_CHECKING, cast

from db import audit, clock
from db.store import journal
from db.models import Checkin, Staff, Student
from db.scores import FULL_WIDTH, SaveCount, ScoreValidationError, cell_key
from db.text import clean

if TYPE_CHECKING:
    from db.models import Rows

MAX_NOTE = 500


# -- check-ins ----------------------------------------------------------------------------

def existing_checkins(student_ids: list[int], taken_on: dt.date) -> dict:
    """``{student id: ({dimension: rating}, note)}`` on one date."""
    if not student_ids:
        return {}
    out = {}
    for sid, ratings, note in cast("Rows", Checkin.select(Checkin.student, Checkin.ratings, Checkin.note)
                                   .where(Checkin.student.in_(student_ids),
                                          Checkin.taken_on == taken_on).tuples()):
        out[sid] = (parse_ratings(ratings), note)
    return out


def parse_ratings(text: str) -> dict[str, int]:
    try:
        value = json.loads(text)
        return {str(k): int(v) for k, v in value.items()}
    except (TypeError, ValueError, AttributeError):
        return {}


NOTE_COLUMN = "note"


def validate_checkins(dimensions, cells: dict[tuple[int, str], str]) -> dict:
    """``{student: (ratings, note) or None}`` from the grid's cells (column: a
    dimension or ``"note"``); a row left blank is None (nothing, or removed)."""
    errors: dict[str, str] = {}
    rows: dict[int, tuple[dict[str, int], str]] = {}
    for (sid, column), text in cells.items():
        if column != NOTE_COLUMN and column not in dimensions:
            continue  # not a column of this grid: never a reason to remove a check-in
        ratings, note = rows.setdefault(sid, ({}, ""))
        if column == NOTE_COLUMN:
            note = clean(text, multiline=False).strip()
            if len(note) > MAX_NOTE:
                errors[cell_key(sid, column)] = "err.checkin.note_long"
            rows[sid] = (ratings, note)
            continue
        value = clean(text, multiline=False).strip().translate(FULL_WIDTH)
        if not value:
            continue
        if value not in ("1", "2", "3", "4", "5"):
            errors[cell_key(sid, column)] = "err.checkin.rating"
            continue
        ratings[column] = int(value)
    for sid, (ratings, note) in rows.items():
        if note and not ratings:
            errors[cell_key(sid, dimensions[0] if dimensions else NOTE_COLUMN)] = \
                "err.checkin.note_only"
    if errors:
        raise ScoreValidationError(errors)
    return {sid: (ratings, note) if ratings else None for sid, (ratings, note) in rows.items()}


def save_checkins(actor: Staff | None, taken_on: dt.date, dimensions,
                  cells: dict[tuple[int, str], str]) -> SaveCount:
    """Write one day's check-ins from the grid in one transaction (a cleared row
    removes that day's check-in)."""
    rows = validate_checkins(list(dimensions), cells)
    count = SaveCount()
    with journal.transaction():
        known = {sid for (sid,) in cast("Rows", Student.select(Student.id)
                 .where(Student.id.in_(list(rows))).tuples())}
        stored = {c.student_id: c for c in Checkin.select()
                  .where(Checkin.student.in_(list(rows)), Checkin.taken_on == taken_on)}
        now = clock.now()
        for sid, value in rows.items():
            if sid not in known:
                continue
            row = stored.get(sid)
            if value is None:
                if row is not None:
                    row.delete_instance()
                    audit.record(actor, "checkin", row.id, "delete",
                                 {"student": sid, "taken_on": taken_on,
                                  "ratings": [row.ratings, None]})
                    count.removed += 1
                continue
            ratings, note = value
            text = json.dumps(ratings, ensure_ascii=False, sort_keys=True)
            if row is None:
                row = Checkin.create(uuid=str(uuidlib.uuid4()), student=sid, taken_on=taken_on,
                                     ratings=text, note=note,
                                     author=actor.id if actor else None, updated_at=now)
                audit.record(actor, "checkin", row.id, "insert",
                             {"student": sid, "taken_on": taken_on, "ratings": text,
                              "note": note})
                count.added += 1
            elif (row.ratings, row.note) != (text, note):
                changes = audit.diff({"ratings": row.ratings, "note": row.note},
                                     {"ratings": text, "note": note})
                (Checkin.update(ratings=text, note=note, version=Checkin.version + 1,
                                updated_at=now, author=actor.id if actor else None)
                 .where(Checkin.id == row.id).execute())
                audit.record(actor, "checkin", row.id, "update", changes)
                count.changed += 1
    return count
