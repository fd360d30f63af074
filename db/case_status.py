"""A case's life: opened (alone or in a class's intake pass, 摸排), closed,
reopened, transferred to another class or school; each with its reason, as a
``case_event`` row beside the audit log, so the case shows its history.

Who may: those who edit cases (``db.access``: "edit_case") on a student they
see.  A student has at most one open case.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

from peewee import JOIN

from db import access, audit, clock
from db.store import journal
from db.models import Assignment, Case, CaseEvent, SchoolClass, Staff, Student
from db.text import clean, one_line
from db.vocab import CATEGORIES, CAUSES, OPEN_STATUSES, RISK_LEVELS, join_codes

if TYPE_CHECKING:
    from db.models import Rows

MAX_REASON = 500


class CaseStatusError(ValueError):
    """``code`` names the message (``err.case_status.<code>``); ``field`` the
    form field it belongs to, when there is one."""

    def __init__(self, code: str, field: str = ""):
        super().__init__(code)
        self.code, self.field = code, field


@dataclass
class OpenCaseInput:
    categories: list[str] = field(default_factory=list)
    causes: list[str] = field(default_factory=list)
    risk_level: str = "medium"
    lead_id: int | None = None
    reason: str = ""  # why the case is opened (the intake's note)


def _reason(text: str, required: bool = True) -> str:
    reason = clean(text).strip()
    if required and not reason:
        raise CaseStatusError("reason_blank", "reason")
    if len(reason) > MAX_REASON:
        raise CaseStatusError("reason_long", "reason")
    return reason


def add_event(actor, case_id: int, kind: str, reason: str, detail: str = "") -> None:
    """One ``case_event`` row (in the caller's transaction), audited."""
    row = CaseEvent.create(case=case_id, kind=kind, happened_on=clock.today(), reason=reason,
                           detail=detail, staff=actor.id if actor else None,
                           created_at=clock.now())
    audit.record(actor, "case_event", row.id, "insert",
                 {"case": case_id, "kind": kind, "reason": reason, "detail": detail})


def _may(actor, student_id: int) -> None:
    access.require(actor, "edit_case")
    if not access.sees_student(actor, student_id):
        raise access.NotAllowed("student")


def open_case_for(actor, student_id: int, data: OpenCaseInput) -> int:
    """Open a case for a student without an open one; returns its id."""
    from db.workflow import current_term

    _may(actor, student_id)
    try:
        categories = join_codes(data.categories, CATEGORIES)
    except ValueError:
        raise CaseStatusError("choice", "categories") from None
    try:
        causes = join_codes(data.causes, CAUSES)
    except ValueError:
        raise CaseStatusError("choice", "causes") from None
    if not data.categories:
        raise CaseStatusError("categories_blank", "categories")
    if data.risk_level not in RISK_LEVELS:
        raise CaseStatusError("choice", "risk_level")
    if data.lead_id is not None and not Staff.select().where(
            Staff.id == data.lead_id, Staff.active == True).exists():  # noqa: E712
        raise CaseStatusError("lead_unknown", "lead")
    reason = _reason(data.reason, required=False)
    with journal.transaction():
        if open_case_of(student_id) is not None:
            raise CaseStatusError("already_open")
        term = current_term(clock.today())
        case = Case.create(student=student_id, term=term.id if term else None, status="active",
                           categories=categories, causes=causes, risk_level=data.risk_level,
                           opened_on=clock.today(), updated_at=clock.now(),
                           updated_by=actor.id if actor else None)
        audit.record(actor, "case_file", case.id, "insert",
                     {"student": student_id, "status": "active", "categories": categories,
                      "causes": causes, "risk_level": data.risk_level})
        if data.lead_id is not None:
            a = Assignment.create(case=case.id, staff=data.lead_id, role="lead",
                                  assigned_on=clock.today())
            audit.record(actor, "assignment", a.id, "insert",
                         {"case": case.id, "staff": data.lead_id, "role": "lead"})
        add_event(actor, case.id, "open", reason)
    return case.id


def open_case_of(student_id: int) -> int | None:
    return (Case.select(Case.id).where(Case.student == student_id,
                                       Case.status.in_(OPEN_STATUSES))
            .order_by(Case.id.desc()).scalar())


def _case(case_id: int) -> Case:
    case = Case.get_or_none(Case.id == case_id)
    if case is None:
        raise CaseStatusError("gone")
    return case


def _set_status(actor, case: Case, status: str, closed_on) -> None:
    before = {"status": case.status, "closed_on": case.closed_on}
    Case.update(status=status, closed_on=closed_on, version=case.version + 1,
                updated_at=clock.now(), updated_by=actor.id if actor else None
                ).where(Case.id == case.id).execute()
    audit.record(actor, "case_file", case.id, "update",
                 dict(audit.diff(before, {"status": status, "closed_on": closed_on}),
                      version=[case.version, case.version + 1]))


def _changing(actor, case_id: int, reason: str, *, open_now: bool = True):
    """The case and the cleaned reason, once ``actor`` may change it and it is
    open (``open_now``) or not."""
    case = _case(case_id)
    _may(actor, case.student_id)
    reason = _reason(reason)
    if open_now and case.status not in OPEN_STATUSES:
        raise CaseStatusError("not_open")
    if not open_now and case.status in OPEN_STATUSES:
        raise CaseStatusError("already_open")
    return case, reason


def close_case(actor, case_id: int, reason: str) -> None:
    with journal.transaction():
        case, reason = _changing(actor, case_id, reason)
        _set_status(actor, case, "closed", clock.today())
        add_event(actor, case_id, "close", reason)


def reopen_case(actor, case_id: int, reason: str) -> None:
    with journal.transaction():
        case, reason = _changing(actor, case_id, reason, open_now=False)
        if open_case_of(case.student_id) is not None:
            raise CaseStatusError("other_open")
        _set_status(actor, case, "active", None)
        add_event(actor, case_id, "reopen", reason)


def transfer_case(actor, case_id: int, reason: str, *, to_class: str = "",
                  to_school: str = "") -> None:
    """Another class: the student moves and the case goes on.  Another school:
    the case is closed here, the school named (nothing is sent anywhere)."""
    from db.classes import ClassError, ensure_class, find_or_plan_class

    with journal.transaction():
        case, reason = _changing(actor, case_id, reason)
        school = one_line(to_school)
        if bool(school) == bool((to_class or "").strip()):
            raise CaseStatusError("transfer_where", "to")
        if school:
            if len(school) > 100:
                raise CaseStatusError("reason_long", "to")
            _set_status(actor, case, "closed", clock.today())
            add_event(actor, case_id, "transfer_school", reason, school)
            return
        try:
            plan = find_or_plan_class(to_class)
        except ClassError:
            raise CaseStatusError("class_unknown", "to") from None
        student = Student.get_by_id(case.student_id)
        old = SchoolClass.get_or_none(SchoolClass.id == student.school_class_id)
        class_id = ensure_class(actor, plan)
        if class_id == student.school_class_id:
            raise CaseStatusError("same_class", "to")
        Student.update(school_class=class_id, version=student.version + 1,
                       updated_at=clock.now()).where(Student.id == student.id).execute()
        audit.record(actor, "student", student.id, "update",
                     {"school_class": [student.school_class_id, class_id],
                      "version": [student.version, student.version + 1]})
        add_event(actor, case_id, "transfer_class", reason,
               f"{old.code if old else '-'} → {plan.code}")


@dataclass(frozen=True)
class EventView:
    kind: str
    happened_on: dt.date
    reason: str
    detail: str
    by: str


def case_events(case_id: int) -> list[EventView]:
    return [EventView(e.kind, e.happened_on, e.reason, e.detail,
                      e.by or "")  # type: ignore[attr-defined]  # the query's alias
            for e in CaseEvent.select(CaseEvent, Staff.name.alias("by"))
            .join(Staff, JOIN.LEFT_OUTER).where(CaseEvent.case == case_id)
            .order_by(CaseEvent.happened_on.desc(), CaseEvent.id.desc()).objects()]


# -- the intake pass (摸排) for one class ----------------------------------------------------------

@dataclass(frozen=True)
class IntakeRow:
    student_id: int
    student_no: str
    name: str
    case_status: str  # of the open case, "" when none


def class_for_intake(reader, text: str) -> tuple[int, str, list[IntakeRow]]:
    """The class ``text`` names (code or name) with its students, for someone
    who may see the whole class; ``CaseStatusError`` otherwise."""
    from db.classes import ClassError, find_or_plan_class

    access.require(reader, "edit_case")
    try:
        plan = find_or_plan_class(text)
    except ClassError:
        raise CaseStatusError("class_unknown", "class") from None
    if plan.id is None:
        raise CaseStatusError("class_unknown", "class")
    if not access.sees_class(access.scope_for(reader), plan.id):
        raise access.NotAllowed("class")
    open_cases: dict[int, str] = dict(cast("Rows", Case.select(Case.student, Case.status).join(Student)
                                           .where(Student.school_class == plan.id,
                                                  Case.status.in_(OPEN_STATUSES)).tuples()))
    rows = [IntakeRow(sid, no, name, open_cases.get(sid, ""))
            for sid, no, name in cast("Rows", Student.select(Student.id, Student.student_no, Student.name)
                                      .where(Student.school_class == plan.id)
                                      .order_by(Student.student_no).tuples())]
    return plan.id, plan.name, rows
