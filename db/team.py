"""Who works on a case: assigning and reassigning staff, with a role each
(lead, subject tutor, counsellor, volunteer; several per case, 多对一), and the
peer helpers: students paired with the supported student (结对 / 生帮生)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from db import audit, clock
from db.store import journal
from peewee import JOIN

from db.models import Assignment, Case, PeerPair, SchoolClass, Staff, Student
from db.vocab import ASSIGNMENT_ROLES, OPEN_STATUSES

if TYPE_CHECKING:
    from db.models import Rows


class TeamError(Exception):
    """A change the team cannot take; ``code`` says why."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass(slots=True)
class Member:
    assignment_id: int
    staff_id: int
    name: str
    role: str
    since: dt.date | None


def members(case_id: int) -> list[Member]:
    order = {role: i for i, role in enumerate(ASSIGNMENT_ROLES)}
    query = (Assignment.select(Assignment.id, Staff.id, Staff.name, Assignment.role,
                               Assignment.assigned_on)
             .join(Staff).where(Assignment.case == case_id, Assignment.active == True))  # noqa: E712
    return sorted((Member(*row) for row in cast("Rows", query.tuples())),
                  key=lambda m: (order.get(m.role, 9), m.name))


def assign(actor: Staff, case_id: int, staff_id: int, role: str) -> None:
    """Put a staff member on the case in ``role`` (or change their role)."""
    if role not in ASSIGNMENT_ROLES:
        raise TeamError("role")
    with journal.transaction():
        if not Case.select().where(Case.id == case_id).exists():
            raise TeamError("case")
        current = (Assignment.select().where(Assignment.case == case_id,
                                             Assignment.staff == staff_id,
                                             Assignment.active == True).first())  # noqa: E712
        if current is not None:
            if current.role == role:
                return
            if current.role == "lead" and _leads(case_id) == 1:
                raise TeamError("last_lead")
            Assignment.update(role=role).where(Assignment.id == current.id).execute()
            audit.record(actor, "assignment", current.id, "update", {"role": [current.role, role]})
            return
        row = Assignment.create(case=case_id, staff=staff_id, role=role,
                                assigned_on=clock.today())
        audit.record(actor, "assignment", row.id, "insert",
                     {"case": case_id, "staff": staff_id, "role": role})


def unassign(actor: Staff, assignment_id: int) -> None:
    """Take a staff member off the case (the row stays, inactive, for the record)."""
    with journal.transaction():
        row = Assignment.get_or_none(Assignment.id == assignment_id)
        if row is None or not row.active:
            return
        if row.role == "lead" and _leads(row.case_id) == 1:
            raise TeamError("last_lead")
        Assignment.update(active=False).where(Assignment.id == assignment_id).execute()
        audit.record(actor, "assignment", assignment_id, "update", {"active": [True, False]})


def _leads(case_id: int) -> int:
    return (Assignment.select().where(Assignment.case == case_id, Assignment.role == "lead",
                                      Assignment.active == True).count())  # noqa: E712


def recently_assigned(staff_id: int, today: dt.date | None = None, days: int = 14) -> list[str]:
    """Names of the students whose open cases I joined in the last ``days`` days."""
    since = (today or clock.today()) - dt.timedelta(days=days)
    query = (Student.select(Student.name).join(Case).join(Assignment)
             .where(Assignment.staff == staff_id, Assignment.active == True,  # noqa: E712
                    Assignment.assigned_on >= since, Case.status.in_(OPEN_STATUSES))
             .order_by(Assignment.assigned_on.desc()))
    return list(dict.fromkeys(name for (name,) in cast("Rows", query.tuples())))  # newest first, once each


@dataclass(slots=True)
class Peer:
    pair_id: int
    student_id: int
    name: str
    class_name: str
    focus: str
    since: dt.date | None


def peers(case_id: int) -> list[Peer]:
    """The case's active peer helpers, longest paired first."""
    query = (PeerPair.select(PeerPair.id, Student.id, Student.name, SchoolClass.name,
                             PeerPair.focus, PeerPair.since)
             .join(Student, on=(PeerPair.helper == Student.id))
             .join(SchoolClass, JOIN.LEFT_OUTER)
             .where(PeerPair.case == case_id, PeerPair.active == True)  # noqa: E712
             .order_by(PeerPair.since, PeerPair.id))
    return [Peer(pid, sid, name, cls or "", focus, since)
            for pid, sid, name, cls, focus, since in cast("Rows", query.tuples())]


def pair(actor: Staff, case_id: int, helper_id: int, focus: str = "") -> int | None:
    """Pair student ``helper_id`` with the case's student as a peer helper.

    Returns the pair's id (``None`` when they were already paired); a student
    cannot help themself (``TeamError("self")``).
    """
    from db.text import clean, one_line

    focus = one_line(clean(focus)).strip()[:100]
    with journal.transaction():
        case = Case.get_or_none(Case.id == case_id)
        if case is None:
            raise TeamError("case")
        if case.student_id == helper_id:
            raise TeamError("self")
        if not Student.select().where(Student.id == helper_id).exists():
            raise TeamError("student")
        if (PeerPair.select().where(PeerPair.case == case_id, PeerPair.helper == helper_id,
                                    PeerPair.active == True).exists()):  # noqa: E712
            return None
        row = PeerPair.create(case=case_id, helper=helper_id, focus=focus, since=clock.today())
        audit.record(actor, "peer_pair", row.id, "insert",
                     {"case": case_id, "helper": helper_id, "focus": focus})
    return row.id


def unpair(actor: Staff, pair_id: int) -> None:
    """End a pairing (the row stays, inactive, for the record)."""
    with journal.transaction():
        row = PeerPair.get_or_none(PeerPair.id == pair_id)
        if row is None or not row.active:
            return
        PeerPair.update(active=False).where(PeerPair.id == pair_id).execute()
        audit.record(actor, "peer_pair", pair_id, "update", {"active": [True, False]})
