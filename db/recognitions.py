"""Recognitions (激励机制、表彰): of a family, a student or a staff member —
what, when, and by whom it was given (the school, the town's office …).

- Adding, editing and deleting one: administrators and coordinators
  (``can(reader, "manage")``); edits and deletions check the version the form
  was opened at (``RecognitionConflict``); every change is in the audit log.
- Reading the list: everyone but volunteers.  A family's or a student's
  recognition names its student only to a reader who sees that student
  (``db.access.scope_for``); to anyone else it is listed without the name
  (``hidden``), so the term summary's count stays whole and no name leaks.
  A staff member's recognition names them to every reader.
"""

from __future__ import annotations

import datetime as dt
import uuid as uuidlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from peewee import JOIN

from db import access, audit, clock
from db.dates import DateError, parse_date
from db.models import Recognition, SchoolClass, Staff, Student
from db.store import journal
from db.text import clean, one_line
from db.visible import student_query
from db.vocab import RECOGNISED

if TYPE_CHECKING:
    from db.models import Rows

MAX_WHAT = 500
MAX_BY = 100


class RecognitionError(ValueError):
    """Values refused, nothing written: ``errors`` maps fields to catalog keys."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(", ".join(errors))
        self.errors = errors


class RecognitionGone(Exception):
    """The recognition was deleted."""


class RecognitionConflict(Exception):
    """Someone changed it after it was opened (``version`` is the stored one)."""

    def __init__(self, version: int):
        super().__init__("version")
        self.version = version


@dataclass(slots=True)
class RecognitionRow:
    id: int
    given_on: dt.date
    who: str  # family / student / staff
    student_id: int | None
    staff_id: int | None
    name: str  # the student's or the staff member's; "" when hidden
    class_name: str
    what: str
    given_by: str
    version: int
    hidden: bool = False  # a student this reader does not see


@dataclass(slots=True)
class RecognitionInput:
    who: str
    what: str
    given_on: str | dt.date = "today"
    given_by: str = ""
    student_id: int | None = None
    staff_id: int | None = None


def _validate(data: RecognitionInput) -> dict:
    errors: dict[str, str] = {}
    if data.who not in RECOGNISED:
        errors["who"] = "err.choice"
    what = one_line(clean(data.what))
    if not what:
        errors["what"] = "err.recog.what_required"
    elif len(what) > MAX_WHAT:
        errors["what"] = "err.recog.too_long"
    given_by = one_line(clean(data.given_by))
    if len(given_by) > MAX_BY:
        errors["given_by"] = "err.recog.too_long"
    given_on = data.given_on
    if not isinstance(given_on, dt.date):
        try:
            given_on = parse_date(given_on, clock.today(), prefer="past")
        except DateError as exc:
            errors["given_on"] = f"err.date.{exc.code}"
    student_id = staff_id = None
    if data.who in ("family", "student"):
        if data.student_id is None or not Student.select().where(
                Student.id == data.student_id).exists():
            errors["student"] = "err.recog.student_required"
        student_id = data.student_id
    elif data.who == "staff":
        if data.staff_id is None or not Staff.select().where(
                Staff.id == data.staff_id).exists():
            errors["staff"] = "err.recog.staff_required"
        staff_id = data.staff_id
    if errors:
        raise RecognitionError(errors)
    return dict(who=data.who, what=what, given_by=given_by, given_on=given_on,
                student=student_id, staff=staff_id)


def add_recognition(actor, data: RecognitionInput, uuid: str = "") -> int:
    access.require(actor, "manage")
    uuid = uuid or str(uuidlib.uuid4())
    with journal.transaction():
        same = Recognition.get_or_none(Recognition.uuid == uuid)
        if same is not None:
            return same.id
        values = _validate(data)
        row = Recognition.create(uuid=uuid, author=actor.id, updated_at=clock.now(), **values)
        audit.record(actor, "recognition", row.id, "insert", {**values, "uuid": uuid})
        return row.id


def _stored(recognition_id: int, expected: int) -> Recognition:
    row = Recognition.get_or_none(Recognition.id == recognition_id)
    if row is None:
        raise RecognitionGone(recognition_id)
    if row.version != expected:
        raise RecognitionConflict(row.version)
    return row


def edit_recognition(actor, recognition_id: int, expected: int, data: RecognitionInput) -> bool:
    access.require(actor, "manage")
    with journal.transaction():
        row = _stored(recognition_id, expected)
        values = _validate(data)
        before = {k: getattr(row, f"{k}_id" if k in ("student", "staff") else k) for k in values}
        changes = audit.diff(before, values)
        if not changes:
            return False
        updated = (Recognition.update(**values, version=row.version + 1, updated_at=clock.now())
                   .where((Recognition.id == recognition_id)
                          & (Recognition.version == expected)).execute())
        if updated != 1:  # pragma: no cover - the write lock prevents this
            raise RecognitionConflict(row.version)
        audit.record(actor, "recognition", recognition_id, "update",
                     dict(changes, version=[row.version, row.version + 1]))
        return True


def delete_recognition(actor, recognition_id: int, expected: int) -> None:
    access.require(actor, "manage")
    with journal.transaction():
        row = _stored(recognition_id, expected)
        Recognition.delete().where(Recognition.id == recognition_id).execute()
        audit.record(actor, "recognition", recognition_id, "delete",
                     {"who": row.who, "what": row.what, "given_on": row.given_on,
                      "student": row.student_id, "staff": row.staff_id})


def recognitions_in(start: dt.date | None, end: dt.date | None, reader) -> list[RecognitionRow]:
    """The recognitions given in ``start``..``end`` (either open), newest first,
    as ``reader`` may see them (see the module); volunteers: ``NotAllowed``."""
    if reader is None or getattr(reader, "role", "") == "volunteer":
        raise access.NotAllowed("recognitions")
    query = (Recognition.select(Recognition.id, Recognition.given_on, Recognition.who,
                                Recognition.student, Recognition.staff, Student.name,
                                SchoolClass.name, Staff.name, Recognition.what,
                                Recognition.given_by, Recognition.version)
             .join(Student, JOIN.LEFT_OUTER, on=(Recognition.student == Student.id))
             .join(SchoolClass, JOIN.LEFT_OUTER, on=(Student.school_class == SchoolClass.id))
             .switch(Recognition)
             .join(Staff, JOIN.LEFT_OUTER, on=(Recognition.staff == Staff.id)))
    if start is not None:
        query = query.where(Recognition.given_on >= start)
    if end is not None:
        query = query.where(Recognition.given_on <= end)
    rows = list(cast("Rows", query.order_by(Recognition.given_on.desc(), Recognition.id.desc())
                     .tuples()))
    seen: set[int] | None = None
    students = student_query(access.scope_for(reader))
    if students is not None:
        wanted = {r[3] for r in rows if r[3]}
        seen = {sid for (sid,) in cast("Rows", Student.select(Student.id).where(
            Student.id.in_(list(wanted)), Student.id.in_(students)).tuples())} if wanted else set()
    out = []
    for rid, given_on, who, sid, staff_id, sname, klass, staff_name, what, by, version in rows:
        hidden = sid is not None and seen is not None and sid not in seen
        name = staff_name or "" if staff_id else ("" if hidden else sname or "")
        out.append(RecognitionRow(rid, given_on, who, sid, staff_id, name,
                                  "" if hidden else klass or "", what, by, version, hidden))
    return out
