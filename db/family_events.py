"""Family events (家长学校, 家长会, 专题座谈会, workshops, open days) and who came.

An event has a date, a kind (``db.vocab.EVENT_KINDS``), a topic, who ran it,
the classes invited (``classes``: a comma list of class codes, "" = the whole
school) and a short evaluation (效果评估).  Anyone who may edit a case
(``access.can(reader, "edit_case")``) adds, edits (checked against the version
the form was opened at: ``EventConflict``) and deletes events; volunteers see
no family data, so none of this is theirs.

Attendance is entered class by class in a grid (``load_attendance``,
``save_attendance``): one row per family (by its student) with "came" (1/0),
the family's rating of the event (1-5) and a note.  Every cell is validated
before anything is written and the whole grid is saved in ONE journal
transaction; a cleared row removes that family's attendance row.  Who may
enter a class: administrators, coordinators and counsellors any invited
class, class teachers and teachers the invited classes of their scope
(``db.access.scope_for``).

The family contact.  A family that came, whose student has an OPEN case
(``db.vocab.OPEN_STATUSES``), has met the school: the same transaction writes
one ``contact`` row for that case (kind "family", channel "parent_meeting",
``discussed`` = the event's topic, ``meeting_id`` = ``"event:<event uuid>"``,
author = who saved the grid) with its audit row, so the case's timeline shows
it and the rules (``db.workflow``, which count entries by kind) see it.  Its
time is the event's date at 12:00, the time the contact form gives an entry
of an earlier day logged without one (``db.contacts.validate``): the event is
on the case's timeline with that day's other entries, and a date change moves
it by whole days.  Never two: the derived contact of (that meeting id, case)
is found and kept (updated if the topic or date changed); a family marked as
not come (or its row cleared) loses it; deleting the event removes them all;
changing the event's date or topic updates them; each of these is audited.
A contact of a closed case stays as history while the family stays marked.

A meeting of supported families (后进生家长专题座谈会, ``SUPPORTED_ONLY``) invites
only the families of the students with an open case in its classes: its grid
lists those families and its count of families invited is theirs.

``event_figures`` gives the reports the term's figures: events by kind, the
supported families invited and how many of them came, and the mean rating.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid as uuidlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

from peewee import fn

from db import access, audit, clock
from db.store import journal
from db.dates import DateError, parse_date
from db.event_contacts import delete_contact, meeting_id, sync_contacts, update_contact
from db.models import Contact, EventAttendance, FamilyEvent, SchoolClass, Staff, Student
from db.plan import FieldErrors
from db.scores import FULL_WIDTH, GridStudent, SaveCount, cell_key, class_students
from db.text import clean, one_line
from db.vocab import EVENT_KINDS, OPEN_STATUSES

if TYPE_CHECKING:
    from db.models import Rows

EVENT_KIND_KEYS = {"s": "parent_school", "m": "parent_meeting", "f": "focus_meeting",
                   "w": "workshop", "o": "open_day"}
MAX_TOPIC = 200
MAX_LED_BY = 60
MAX_EVALUATION = 2000
MAX_NOTE = 200
CAME, RATING, NOTE = "attended", "rating", "note"  # the grid's columns
YES = ("1", "y", "yes", "是", "√", "✓")
NO = ("0", "n", "no", "否", "×")


class EventValidationError(FieldErrors):
    """An event or a grid refused, nothing written: ``date``, ``kind``, ``topic``,
    ``led_by``, ``classes``, ``evaluation``; ``cell:<student id>:<column>``."""


@dataclass(slots=True)
class AttendanceCount(SaveCount):
    linked: int = 0  # family contacts written on cases
    unlinked: int = 0  # family contacts removed


class EventGone(Exception):
    """The event was deleted meanwhile."""


class EventConflict(Exception):
    """Someone saved the event after it was loaded; ``version`` is the one now."""

    def __init__(self, version: int):
        super().__init__("version")
        self.version = version


# -- events ----------------------------------------------------------------------------------

@dataclass(slots=True)
class EventInput:
    """The form's fields as typed."""

    held_on: str
    kind: str
    topic: str
    led_by: str = ""
    classes: str = ""  # "7-1 7-2" (spaces or commas); "" = the whole school
    evaluation: str = ""


@dataclass(slots=True)
class EventRow:
    id: int
    uuid: str
    held_on: dt.date
    kind: str
    topic: str
    led_by: str
    classes: list[str]
    evaluation: str
    version: int
    attended: int = 0  # families marked as come (those the reader sees)
    invited: int = 0  # families invited (those the reader sees)


def split_classes(text: str) -> list[str]:
    return [c for c in re.split(r"[\s,，、;；]+", clean(text, multiline=False)) if c]


def validate_event(data: EventInput) -> dict:
    """The values to store; ``EventValidationError`` names each bad field."""
    errors: dict[str, str] = {}
    held_on = None
    try:
        # a month-day alone: the nearer of this one and the next (held, or planned)
        today = clock.today()
        held_on = min((parse_date(data.held_on or "today", today, prefer=side)
                       for side in ("past", "future")), key=lambda d: abs(d - today))
    except DateError as exc:
        errors["date"] = f"err.date.{exc.code}"
    kind = (data.kind or "").strip()
    kind = EVENT_KIND_KEYS.get(kind, kind)
    if kind not in EVENT_KINDS:
        errors["kind"] = "err.choice"
    topic = one_line(data.topic).strip()
    if not topic:
        errors["topic"] = "event.err.topic_required"
    elif len(topic) > MAX_TOPIC:
        errors["topic"] = "err.too_long_line"
    led_by = one_line(data.led_by).strip()
    if len(led_by) > MAX_LED_BY:
        errors["led_by"] = "err.too_long_line"
    evaluation = clean(data.evaluation).strip()
    if len(evaluation) > MAX_EVALUATION:
        errors["evaluation"] = "err.too_long"
    known = {(code or "").lower(): code for (code,) in
             cast("Rows", SchoolClass.select(SchoolClass.code).tuples()) if code}
    codes: list[str] = []
    for typed in split_classes(data.classes):
        code = known.get(typed.lower())
        if code is None:
            errors["classes"] = "event.err.class_unknown"
            break
        if code not in codes:
            codes.append(code)
    if errors:
        raise EventValidationError(errors)
    return dict(held_on=held_on, kind=kind, topic=topic, led_by=led_by,
                classes=",".join(codes), evaluation=evaluation)


def _require_editor(actor) -> None:
    if not access.can(actor, "edit_case"):
        raise access.NotAllowed("edit_case")


def add_event(actor: Staff, data: EventInput) -> int:
    """A new event; returns its id."""
    _require_editor(actor)
    values = validate_event(data)
    with journal.transaction():
        row = FamilyEvent.create(uuid=str(uuidlib.uuid4()), author=actor.id,
                                 updated_at=clock.now(), **values)
        audit.record(actor, "family_event", row.id, "insert", dict(values, uuid=row.uuid))
    return row.id


def _event(event_id: int) -> FamilyEvent:
    row = FamilyEvent.get_or_none(FamilyEvent.id == event_id)
    if row is None:
        raise EventGone(event_id)
    return row


def update_event(actor: Staff, event_id: int, version: int, data: EventInput) -> bool:
    """Save an edit made on ``version``; False if nothing changed.  A new date or
    topic moves the event's derived family contacts with it."""
    _require_editor(actor)
    values = validate_event(data)
    with journal.transaction():
        row = _event(event_id)
        if row.version != version:
            raise EventConflict(row.version)
        before = {k: getattr(row, k) for k in values}
        changes = audit.diff(before, values)
        if not changes:
            return False
        if "held_on" in changes and values["held_on"] > clock.today() and (
                EventAttendance.select().where(EventAttendance.event == event_id,
                                               EventAttendance.attended == True)  # noqa: E712
                .exists()):
            raise EventValidationError({"date": "event.err.future_attended"})
        (FamilyEvent.update(version=FamilyEvent.version + 1, updated_at=clock.now(), **values)
         .where(FamilyEvent.id == event_id).execute())
        audit.record(actor, "family_event", event_id, "update", changes)
        if "held_on" in changes or "topic" in changes:
            for contact in Contact.select().where(Contact.meeting_id == meeting_id(row.uuid)):
                update_contact(actor, contact, values["held_on"], values["topic"])
    return True


def delete_event(actor: Staff, event_id: int) -> None:
    """The event, its attendance and its derived family contacts, all audited."""
    _require_editor(actor)
    with journal.transaction():
        row = _event(event_id)
        for contact in Contact.select().where(Contact.meeting_id == meeting_id(row.uuid)):
            delete_contact(actor, contact)
        for att in EventAttendance.select().where(EventAttendance.event == event_id):
            att.delete_instance()
            audit.record(actor, "event_attendance", att.id, "delete",
                         {"event": event_id, "student": att.student_id,
                          "attended": [att.attended, None]})
        row.delete_instance()
        audit.record(actor, "family_event", event_id, "delete",
                     {"uuid": row.uuid, "held_on": row.held_on, "kind": row.kind,
                      "topic": [row.topic, None]})


def _row(e: FamilyEvent) -> EventRow:
    return EventRow(e.id, e.uuid, e.held_on, e.kind, e.topic, e.led_by,
                    [c for c in (e.classes or "").split(",") if c], e.evaluation, e.version)


def load_event(event_id: int) -> EventRow:
    return _row(_event(event_id))


def _seen_classes(scope: access.Scope) -> dict[int, str] | None:
    """``{class id: code}`` the scope sees whole (None: every class)."""
    if scope.everyone:
        return None
    if not scope.class_codes:
        return {}
    return {cid: code for cid, code in cast("Rows", SchoolClass.select(
        SchoolClass.id, SchoolClass.code).where(SchoolClass.code.in_(list(scope.class_codes)))
        .tuples())}


SUPPORTED_ONLY = ("focus_meeting",)  # kinds that invite only supported students' families


def list_events(reader, start: dt.date, end: dt.date) -> list[EventRow]:
    """The events held from ``start`` to ``end``, newest first, with how many
    families were invited and came, counted over the classes the reader sees."""
    if not access.can(reader, "grid"):
        raise access.NotAllowed("family_events")
    seen = _seen_classes(access.scope_for(reader))
    events = [_row(e) for e in FamilyEvent.select().where(
        FamilyEvent.held_on >= start, FamilyEvent.held_on <= end)
        .order_by(FamilyEvent.held_on.desc(), FamilyEvent.id.desc())]
    if not events:
        return events
    sizes: dict[str, int] = dict(cast("Rows", Student.select(SchoolClass.code, fn.COUNT(Student.id))
                                      .join(SchoolClass).group_by(SchoolClass.code).tuples()))
    supported: dict[str, int] = {}
    if any(e.kind in SUPPORTED_ONLY for e in events):
        from db.models import Case

        supported = dict(cast("Rows", Student.select(SchoolClass.code, fn.COUNT(Student.id))
                              .join(SchoolClass).switch(Student)
                              .where(Student.id.in_(Case.select(Case.student).where(
                                  Case.status.in_(OPEN_STATUSES))))
                              .group_by(SchoolClass.code).tuples()))
    visible = set(sizes) if seen is None else set(seen.values())
    came: dict[int, int] = {}
    query = (EventAttendance.select(EventAttendance.event, SchoolClass.code)
             .join(Student).join(SchoolClass)
             .where(EventAttendance.event.in_([e.id for e in events]),
                    EventAttendance.attended == True))  # noqa: E712
    for event_id, code in cast("Rows", query.tuples()):
        if code in visible:
            came[event_id] = came.get(event_id, 0) + 1
    for e in events:
        invited = (set(e.classes) if e.classes else set(sizes)) & visible
        counts = supported if e.kind in SUPPORTED_ONLY else sizes
        e.invited = sum(counts.get(c, 0) for c in invited)
        e.attended = came.get(e.id, 0)
    return events


# -- attendance --------------------------------------------------------------------------------

@dataclass(slots=True)
class ClassChoice:
    class_id: int
    code: str
    name: str


def attendance_classes(reader, event_id: int) -> list[ClassChoice]:
    """The invited classes ``reader`` may enter attendance for, in code order."""
    if not access.can(reader, "grid"):
        return []
    event = _event(event_id)
    seen = _seen_classes(access.scope_for(reader))
    query = SchoolClass.select(SchoolClass.id, SchoolClass.code, SchoolClass.name)
    invited = [c for c in (event.classes or "").split(",") if c]
    if invited:
        query = query.where(SchoolClass.code.in_(invited))
    from db.search import natural_key

    out = [ClassChoice(cid, code or "", name) for cid, code, name in cast("Rows", query.tuples())
           if seen is None or cid in seen]
    return sorted(out, key=lambda c: natural_key(c.code or c.name))


def _require_class(reader, event_id: int, class_id: int) -> None:
    if not any(c.class_id == class_id for c in attendance_classes(reader, event_id)):
        raise access.NotAllowed("class")


@dataclass(slots=True)
class AttendanceGrid:
    students: list[GridStudent]
    stored: dict[tuple[int, str], str]  # the cells as stored
    versions: dict[int, int] = field(default_factory=dict)  # student -> its row's version


def load_attendance(reader, event_id: int, class_id: int) -> AttendanceGrid:
    _require_class(reader, event_id, class_id)
    students = class_students(class_id)
    if _event(event_id).kind in SUPPORTED_ONLY:
        students = [s for s in students if s.supported]
    stored: dict[tuple[int, str], str] = {}
    versions: dict[int, int] = {}
    for att in EventAttendance.select().where(
            EventAttendance.event == event_id,
            EventAttendance.student.in_([s.student_id for s in students])):
        sid = att.student_id
        versions[sid] = att.version
        stored[(sid, CAME)] = "1" if att.attended else "0"
        if att.rating is not None:
            stored[(sid, RATING)] = str(att.rating)
        if att.note:
            stored[(sid, NOTE)] = att.note
    return AttendanceGrid(students, stored, versions)


def validate_attendance(cells: dict[tuple[int, str], str]) -> dict:
    """``{student: (came, rating, note) or None}`` (None: a cleared row)."""
    errors: dict[str, str] = {}
    rows: dict[int, dict[str, str]] = {}
    for (sid, column), text in cells.items():
        if column in (CAME, RATING, NOTE):
            rows.setdefault(sid, {})[column] = clean(text, multiline=False).strip()
    out: dict[int, tuple[bool, int | None, str] | None] = {}
    for sid, row in rows.items():
        came_text = row.get(CAME, "").translate(FULL_WIDTH).lower()
        rating_text = row.get(RATING, "").translate(FULL_WIDTH)
        note = row.get(NOTE, "")
        if not (came_text or rating_text or note):
            out[sid] = None
            continue
        rating = None
        if rating_text:
            if rating_text not in ("1", "2", "3", "4", "5"):
                errors[cell_key(sid, RATING)] = "attend.err.rating"
            else:
                rating = int(rating_text)
        if came_text in YES or (not came_text and rating is not None):
            came = True
        elif came_text in NO or not came_text:
            came = False
            if rating is not None:
                errors[cell_key(sid, RATING)] = "attend.err.rating_absent"
        else:
            errors[cell_key(sid, CAME)] = "attend.err.came"
            came = False
        if len(note) > MAX_NOTE:
            errors[cell_key(sid, NOTE)] = "attend.err.note_long"
        out[sid] = (came, rating, note)
    if errors:
        raise EventValidationError(errors)
    return out


def save_attendance(actor: Staff, event_id: int, class_id: int,
                    cells: dict[tuple[int, str], str],
                    versions: dict[int, int] | None = None) -> AttendanceCount:
    """Write one class's attendance in one transaction, with the derived family
    contacts (module text).  ``versions``: the rows' versions the grid was loaded
    at (a row saved by someone else since is refused, nothing written)."""
    rows = validate_attendance(cells)
    count = AttendanceCount()
    with journal.transaction():
        event = _event(event_id)
        _require_class(actor, event_id, class_id)
        members = {sid for (sid,) in cast("Rows", Student.select(Student.id).where(
            Student.school_class == class_id, Student.id.in_(list(rows))).tuples())}
        rows = {sid: v for sid, v in rows.items() if sid in members}
        if event.held_on > clock.today() and any(v and v[0] for v in rows.values()):
            raise EventValidationError({"date": "event.err.not_yet"})
        stored = {a.student_id: a for a in EventAttendance.select().where(
            EventAttendance.event == event_id, EventAttendance.student.in_(list(rows)))}
        if versions is not None:
            late = {cell_key(sid, CAME): "attend.err.changed" for sid, value in rows.items()
                    if (stored[sid].version if sid in stored else 0) != versions.get(sid, 0)
                    and _differs(stored.get(sid), value)}
            if late:
                raise EventValidationError(late)
        now = clock.now()
        for sid, value in rows.items():
            row = stored.get(sid)
            if not _differs(row, value):
                continue
            if value is None:
                assert row is not None
                row.delete_instance()
                audit.record(actor, "event_attendance", row.id, "delete",
                             {"event": event_id, "student": sid,
                              "attended": [row.attended, None]})
                count.removed += 1
                continue
            came, rating, note = value
            if row is None:
                row = EventAttendance.create(uuid=str(uuidlib.uuid4()), event=event_id,
                                             student=sid, attended=came, rating=rating,
                                             note=note, author=actor.id, updated_at=now)
                audit.record(actor, "event_attendance", row.id, "insert",
                             {"event": event_id, "student": sid, "attended": came,
                              "rating": rating, "note": note, "uuid": row.uuid})
                count.added += 1
            else:
                changes = audit.diff({"attended": row.attended, "rating": row.rating,
                                      "note": row.note},
                                     {"attended": came, "rating": rating, "note": note})
                (EventAttendance.update(attended=came, rating=rating, note=note,
                                        version=EventAttendance.version + 1,
                                        updated_at=now, author=actor.id)
                 .where(EventAttendance.id == row.id).execute())
                audit.record(actor, "event_attendance", row.id, "update", changes)
                count.changed += 1
        came_ids = {sid for sid, v in rows.items() if v and v[0]}
        count.linked, count.unlinked = sync_contacts(actor, event, came_ids,
                                                      set(rows) - came_ids)
    return count


def _differs(row: EventAttendance | None, value) -> bool:
    if row is None:
        return value is not None
    return value is None or (row.attended, row.rating, row.note) != value
