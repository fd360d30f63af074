"""Families' feedback (家长意见箱、问题调研表): a family's suggestion, complaint,
question or praise, who answers it and by when, the answer, and whether it
was resolved ("学校及时回应和反馈").

- Recording an item: anyone who may edit cases (``can(reader, "edit_case")``);
  for a named student, only a student the recorder sees.  Without a student
  the item is anonymous (an unsigned note in the suggestion box).
- Its owner (who answers it), unless one is named: the lead of the student's
  open case, else the head teacher of the student's class, else the person
  recording it.  Volunteers never own one (they see no family data).
- Its due date, unless one is given: ``DEFAULT_DUE_DAYS`` (7) days after it
  came in.
- Who sees an item: administrators and coordinators every one; everyone else
  (volunteers excepted, who see none) the items they own or recorded and the
  items about a student they see (``db.access.scope_for``).
- Answering it (text and date; an answered item leaves the caseload) and
  marking it resolved: its owner or a manager.  Reassigning (owner, due
  date): a manager or the owner (handing it on).  Editing what was received:
  its author or a manager.  Every change checks the version the form was
  opened at (``FeedbackConflict``), and is in the audit log.
- An unanswered item is on its owner's caseload (``feedback_due``) like a
  follow-up, once it is due within the caseload's horizon, until answered.
"""

from __future__ import annotations

import datetime as dt
import uuid as uuidlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

from peewee import JOIN

from db import access, audit, clock
from db.dates import DateError, as_date, parse_date
from db.models import (Assignment, AuditLog, Case, Feedback, SchoolClass, Staff, Student)
from db.store import journal
from db.text import clean, one_line
from db.visible import student_query
from db.vocab import FEEDBACK_CHANNELS, FEEDBACK_KINDS, OPEN_STATUSES

if TYPE_CHECKING:
    from db.access import Scope
    from db.models import Rows
    from db.workflow import DueItem

DEFAULT_DUE_DAYS = 7  # an item is answered within a week unless its due date says otherwise
MAX_TEXT = 2000


class FeedbackError(ValueError):
    """Values refused, nothing written: ``errors`` maps each bad field to the
    catalog key that says why (``err.feedback.*``, ``err.date.*``)."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(", ".join(errors))
        self.errors = errors


class FeedbackGone(Exception):
    """The item was deleted (or is not one this person sees)."""


class FeedbackConflict(Exception):
    """Someone saved the item after it was opened: nothing was written.
    ``by`` (a name, "" if unknown) and ``at`` say who saved it last and when."""

    def __init__(self, version: int, by: str, at):
        super().__init__("version")
        self.version, self.by, self.at = version, by, at


@dataclass(slots=True)
class FeedbackRow:
    id: int
    uuid: str
    student_id: int | None
    name: str  # "" when anonymous
    student_no: str
    class_name: str
    received_on: dt.date
    channel: str
    kind: str
    text: str
    owner_id: int | None
    owner: str
    due_on: dt.date | None
    answer: str
    answered_on: dt.date | None
    resolved: bool
    author_id: int | None
    version: int

    @property
    def is_open(self) -> bool:
        return self.answered_on is None


# -- who may ------------------------------------------------------------------------

def _manager(reader) -> bool:
    return access.can(reader, "manage")


def may_record(reader) -> bool:
    return access.can(reader, "edit_case")


def may_answer(reader, row: FeedbackRow) -> bool:
    return reader is not None and (_manager(reader) or row.owner_id == reader.id)


def may_reassign(reader, row: FeedbackRow) -> bool:
    return may_answer(reader, row)


def may_edit(reader, row: FeedbackRow) -> bool:
    return reader is not None and (_manager(reader) or row.author_id == reader.id)


def _visible(reader):
    """A WHERE condition for the items ``reader`` sees; None: none at all."""
    if reader is None or getattr(reader, "role", "") == "volunteer":
        return None
    if _manager(reader):
        return Feedback.id.is_null(False)
    cond = (Feedback.owner == reader.id) | (Feedback.author == reader.id)
    students = student_query(access.scope_for(reader))
    if students is None:
        return cond | Feedback.student.is_null(False)
    return cond | Feedback.student.in_(students)


# -- reading ------------------------------------------------------------------------

def _query(where):
    return (Feedback.select(Feedback.id, Feedback.uuid, Feedback.student, Student.name,
                            Student.student_no, SchoolClass.name, Feedback.received_on,
                            Feedback.channel, Feedback.kind, Feedback.text, Feedback.owner,
                            Staff.name, Feedback.due_on, Feedback.answer, Feedback.answered_on,
                            Feedback.resolved, Feedback.author, Feedback.version)
            .join(Student, JOIN.LEFT_OUTER, on=(Feedback.student == Student.id))
            .join(SchoolClass, JOIN.LEFT_OUTER, on=(Student.school_class == SchoolClass.id))
            .switch(Feedback).join(Staff, JOIN.LEFT_OUTER, on=(Feedback.owner == Staff.id))
            .where(where))


def _row(values) -> FeedbackRow:
    (fid, uuid, sid, name, no, klass, received, channel, kind, text, owner_id, owner, due,
     answer, answered, resolved, author_id, version) = values
    return FeedbackRow(fid, uuid, sid, name or "", no or "", klass or "", cast(dt.date, as_date(received)),
                       channel, kind, text, owner_id, owner or "", as_date(due), answer or "",
                       as_date(answered), bool(resolved), author_id, version)


def list_feedback(reader, *, open_only: bool = False) -> list[FeedbackRow]:
    """The items ``reader`` sees: the open ones first, each group newest first."""
    where = _visible(reader)
    if where is None:
        return []
    if open_only:
        where &= Feedback.answered_on.is_null()
    rows = [_row(f) for f in cast("Rows", _query(where).order_by(
        Feedback.received_on.desc(), Feedback.id.desc()).tuples())]
    return sorted(rows, key=lambda r: not r.is_open)  # (a stable sort keeps newest first)


def get_feedback(reader, feedback_id: int) -> FeedbackRow:
    """One item as ``reader`` may see it; ``FeedbackGone`` otherwise."""
    where = _visible(reader)
    if where is None:
        raise FeedbackGone(feedback_id)
    found = _query(where & (Feedback.id == feedback_id)).tuples().first()
    if found is None:
        raise FeedbackGone(feedback_id)
    return _row(found)


# -- recording ----------------------------------------------------------------------

def default_owner(student_id: int | None, recorder_id: int) -> int:
    """The lead of the student's open case, else the class's head teacher, else
    the recorder (see the module)."""
    if student_id is not None:
        lead = (Assignment.select(Assignment.staff).join(Case)
                .where(Case.student == student_id, Case.status.in_(OPEN_STATUSES),
                       Assignment.role == "lead", Assignment.active == True)  # noqa: E712
                .order_by(Assignment.id.desc()).scalar())
        if lead:
            return lead
        head = (SchoolClass.select(SchoolClass.head_teacher).join(Student)
                .where(Student.id == student_id).scalar())
        if head and Staff.select().where(Staff.id == head, Staff.active == True).exists():  # noqa: E712
            return head
    return recorder_id


def _text(value: str, errors: dict, name: str, *, required: bool) -> str:
    text = clean(value).strip()
    if required and not text:
        errors[name] = f"err.feedback.{name}_required"
    elif len(text) > MAX_TEXT:
        errors[name] = "err.feedback.too_long"
    return text


def _date(value, errors: dict, name: str, today: dt.date, prefer: str) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if not (value or "").strip():
        return None
    try:
        return parse_date(value, today, prefer=prefer)
    except DateError as exc:
        errors[name] = f"err.date.{exc.code}"
        return None


def _check_owner(owner_id: int | None, errors: dict) -> None:
    if owner_id is None:
        return
    row = Staff.get_or_none(Staff.id == owner_id)
    if row is None or not row.active:
        errors["owner"] = "err.feedback.owner_unknown"
    elif row.role == "volunteer":
        errors["owner"] = "err.feedback.owner_volunteer"


def record_feedback(actor, *, student_id: int | None, kind: str, channel: str, text: str,
                    received: str | dt.date = "today", owner_id: int | None = None,
                    due: str | dt.date = "", uuid: str = "") -> int:
    """Record an item (see the module for the defaults); returns its id.  The
    same ``uuid`` again writes nothing and returns the first one's id."""
    if not may_record(actor):
        raise access.NotAllowed("edit_case")
    today = clock.today()
    errors: dict[str, str] = {}
    if kind not in FEEDBACK_KINDS:
        errors["kind"] = "err.choice"
    if channel not in FEEDBACK_CHANNELS:
        errors["channel"] = "err.choice"
    body = _text(text, errors, "text", required=True)
    received_on = _date(received, errors, "received", today, "past") or today
    if received_on > today and "received" not in errors:
        errors["received"] = "err.feedback.future"
    due_on = _date(due, errors, "due", today, "future")
    if due_on is not None and due_on < received_on and "due" not in errors:
        errors["due"] = "err.feedback.due_before"
    uuid = uuid or str(uuidlib.uuid4())
    with journal.transaction():
        same = Feedback.get_or_none(Feedback.uuid == uuid)
        if same is not None:
            return same.id
        if student_id is not None:
            if not Student.select().where(Student.id == student_id).exists():
                errors["student"] = "err.feedback.student_gone"
            elif not access.sees_student(actor, student_id):
                raise access.NotAllowed("student")
        _check_owner(owner_id, errors)
        if errors:
            raise FeedbackError(errors)
        owner = owner_id or default_owner(student_id, actor.id)
        due_on = due_on or received_on + dt.timedelta(days=DEFAULT_DUE_DAYS)
        values = dict(student=student_id, received_on=received_on, channel=channel, kind=kind,
                      text=body, owner=owner, due_on=due_on)
        row = Feedback.create(uuid=uuid, author=actor.id, updated_at=clock.now(), **values)
        audit.record(actor, "feedback", row.id, "insert", {**values, "uuid": uuid})
        return row.id


# -- changing -----------------------------------------------------------------------

def last_saved(feedback_id: int) -> tuple[str, dt.datetime | None]:
    row = (AuditLog.select(AuditLog.staff_name, AuditLog.at)
           .where((AuditLog.table_name == "feedback") & (AuditLog.row_id == str(feedback_id)))
           .order_by(AuditLog.id.desc()).first())
    return (row.staff_name, row.at) if row else ("", None)


def _update(actor, feedback_id: int, expected: int, check, values: dict) -> bool:
    """Write ``values`` if ``check(actor, row)`` allows it and the item is still
    at version ``expected``; False when nothing changed."""
    with journal.transaction():
        try:
            row = get_feedback(actor, feedback_id)
        except FeedbackGone:
            if Feedback.select().where(Feedback.id == feedback_id).exists():
                raise access.NotAllowed("feedback") from None
            raise
        if not check(actor, row):
            raise access.NotAllowed("feedback")
        if row.version != expected:
            raise FeedbackConflict(row.version, *last_saved(feedback_id))
        stored = Feedback.get_by_id(feedback_id)
        before = {k: getattr(stored, k if k not in ("owner", "student") else f"{k}_id")
                  for k in values}
        changes = audit.diff(before, values)
        if not changes:
            return False
        updated = (Feedback.update(**values, version=row.version + 1, updated_at=clock.now())
                   .where((Feedback.id == feedback_id) & (Feedback.version == expected))
                   .execute())
        if updated != 1:  # pragma: no cover - the write lock prevents this
            raise FeedbackConflict(row.version, *last_saved(feedback_id))
        audit.record(actor, "feedback", feedback_id, "update",
                     dict(changes, version=[row.version, row.version + 1]))
        return True


def answer_feedback(actor, feedback_id: int, expected: int, answer: str,
                    answered: str | dt.date = "today", resolved: bool | None = None) -> bool:
    """The answer and its date (off the caseload from then on); ``resolved``
    None leaves that mark as it is.  An empty answer takes the item back onto
    the caseload (the answer withdrawn)."""
    errors: dict[str, str] = {}
    text = _text(answer, errors, "answer", required=False)
    today = clock.today()
    on = _date(answered, errors, "answered", today, "past") if text else None
    if on is not None and on > today:
        errors["answered"] = "err.feedback.future"
    if text and on is None and "answered" not in errors:
        on = today
    if errors:
        raise FeedbackError(errors)
    values: dict = {"answer": text, "answered_on": on}
    if resolved is not None:
        values["resolved"] = resolved
    return _update(actor, feedback_id, expected, may_answer, values)


def set_resolved(actor, feedback_id: int, expected: int, resolved: bool) -> bool:
    return _update(actor, feedback_id, expected, may_answer, {"resolved": resolved})


def reassign_feedback(actor, feedback_id: int, expected: int, owner_id: int,
                      due: str | dt.date = "") -> bool:
    """A new owner (and due date, when given)."""
    errors: dict[str, str] = {}
    _check_owner(owner_id, errors)
    due_on = _date(due, errors, "due", clock.today(), "future")
    if errors:
        raise FeedbackError(errors)
    values: dict = {"owner": owner_id}
    if due_on is not None:
        values["due_on"] = due_on
    return _update(actor, feedback_id, expected, may_reassign, values)


@dataclass(slots=True)
class FeedbackEdit:
    """What was received, as a form holds it (strings as typed)."""

    kind: str
    channel: str
    text: str
    received: str
    due: str
    student_id: int | None = None
    owner_id: int | None = None  # None: the owner stays


def edit_feedback(actor, feedback_id: int, expected: int, edit: FeedbackEdit) -> bool:
    """Change what was received (kind, channel, text, dates, student); the
    owner too when the editor may reassign.  Version-checked."""
    today = clock.today()
    errors: dict[str, str] = {}
    if edit.kind not in FEEDBACK_KINDS:
        errors["kind"] = "err.choice"
    if edit.channel not in FEEDBACK_CHANNELS:
        errors["channel"] = "err.choice"
    body = _text(edit.text, errors, "text", required=True)
    received_on = _date(edit.received, errors, "received", today, "past")
    if received_on is None and "received" not in errors:
        errors["received"] = "err.date.empty"
    elif received_on is not None and received_on > today:
        errors["received"] = "err.feedback.future"
    due_on = _date(edit.due, errors, "due", today, "future")
    if due_on is None and "due" not in errors:
        errors["due"] = "err.date.empty"
    elif due_on and received_on and due_on < received_on:
        errors["due"] = "err.feedback.due_before"
    _check_owner(edit.owner_id, errors)
    if edit.student_id is not None and not access.sees_student(actor, edit.student_id):
        errors["student"] = "err.feedback.student_gone"
    if errors:
        raise FeedbackError(errors)
    values: dict = dict(kind=edit.kind, channel=edit.channel, text=body,
                        received_on=received_on, due_on=due_on, student=edit.student_id)

    def check(reader, row: FeedbackRow) -> bool:
        moved = edit.owner_id is not None and edit.owner_id != row.owner_id
        return may_edit(reader, row) and (not moved or may_reassign(reader, row))

    if edit.owner_id is not None:
        values["owner"] = edit.owner_id
    return _update(actor, feedback_id, expected, check, values)


# -- the caseload -------------------------------------------------------------------

def feedback_due(staff_id: int, today: dt.date, days: int = 7) -> list[DueItem]:
    """The owner's unanswered items due within ``days`` (overdue ones too), as
    caseload items (``what="feedback"``, ``feedback_id`` set; ``case_id`` the
    student's open case, else 0; ``student_id`` 0 when anonymous)."""
    from db.workflow import DueItem

    horizon = today + dt.timedelta(days=days)
    query = (Feedback.select(Feedback.id, Feedback.student, Feedback.due_on, Feedback.received_on,
                             Feedback.text, Student.name, Student.student_no, SchoolClass.name)
             .join(Student, JOIN.LEFT_OUTER, on=(Feedback.student == Student.id))
             .join(SchoolClass, JOIN.LEFT_OUTER, on=(Student.school_class == SchoolClass.id))
             .where(Feedback.owner == staff_id, Feedback.answered_on.is_null()))
    rows = list(cast("Rows", query.tuples()))
    students = [r[1] for r in rows if r[1]]
    cases = {}
    if students:
        cases = {sid: cid for cid, sid in cast("Rows", Case.select(Case.id, Case.student)
                 .where(Case.student.in_(students), Case.status.in_(OPEN_STATUSES))
                 .order_by(Case.id).tuples())}
    items = []
    for fid, sid, due, received, text, name, no, klass in rows:
        due = due or received + dt.timedelta(days=DEFAULT_DUE_DAYS)
        if due > horizon:
            continue
        items.append(DueItem(cases.get(sid, 0) if sid else 0, sid or 0, name or "", klass or "",
                             no or "", "feedback", due, text=one_line(text),
                             feedback_id=fid))
    return items


def with_feedback(items: list[DueItem], staff_id: int, today: dt.date,
                  days: int = 7) -> list[DueItem]:
    """A caseload's ``items`` with the owner's feedback items merged in, most
    urgent first (the order ``db.workflow.due_items`` keeps)."""
    extra = feedback_due(staff_id, today, days)
    if not extra:
        return items
    return sorted([*items, *extra], key=lambda i: (i.due, i.name, i.what))


# -- figures for the reports --------------------------------------------------------

@dataclass(slots=True)
class FeedbackFigures:
    """Items received in a range (and by kind), how many of those are answered,
    answered by their due date and resolved; items open and overdue now."""

    received: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    answered: int = 0
    answered_in_time: int = 0
    resolved: int = 0
    open_now: int = 0
    overdue_now: int = 0


def _scope_where(scope: Scope):
    """The items a report for ``scope`` counts: every item for a scope that sees
    every student; else those about its students and those its person owns or
    recorded (anonymous items: only those)."""
    if scope.everyone:
        return Feedback.id.is_null(False)
    cond = (Feedback.owner == scope.staff_id) | (Feedback.author == scope.staff_id)
    students = student_query(scope)
    return cond | Feedback.student.in_(students) if students is not None else cond


def feedback_figures(start: dt.date, end: dt.date, scope: Scope,
                     today: dt.date) -> FeedbackFigures:
    """The figures for the weekly report and the term summary (see the class);
    "answered" counts answers given by ``today``."""
    where = _scope_where(scope)
    figures = FeedbackFigures(by_kind={k: 0 for k in FEEDBACK_KINDS})
    query = (Feedback.select(Feedback.kind, Feedback.due_on, Feedback.answered_on,
                             Feedback.resolved)
             .where(where, Feedback.received_on >= start, Feedback.received_on <= end))
    for kind, due, answered, resolved in cast("Rows", query.tuples()):
        figures.received += 1
        figures.by_kind[kind] = figures.by_kind.get(kind, 0) + 1
        if answered is not None and answered <= today:
            figures.answered += 1
            if due is None or answered <= due:
                figures.answered_in_time += 1
        if resolved:
            figures.resolved += 1
    open_now = (Feedback.select(Feedback.due_on)
                .where(where, Feedback.received_on <= today,
                       Feedback.answered_on.is_null() | (Feedback.answered_on > today)))
    for (due,) in cast("Rows", open_now.tuples()):
        figures.open_now += 1
        if due is not None and due < today:
            figures.overdue_now += 1
    return figures
