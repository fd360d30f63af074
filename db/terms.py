"""School terms, and carrying cases into a new term (the term-start re-review).

At the start of a term every teacher goes over their cases that belong to an
earlier term once: keep (the case moves into the new term, its status stays),
close, or propose it as transformed (已转化, the programme's success): the case
moves into the new term and a coordinator confirms the proposal, with its
reason and evidence (``db.transformation``).  Each decision is one write with
the case's version checked, like any case edit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from peewee import JOIN

from db import audit, clock
from db.store import journal
from db.cases import VersionConflict
from db.models import Assignment, Case, SchoolClass, Staff, Student, Term
from db.vocab import OPEN_STATUSES
from db.workflow import current_term

if TYPE_CHECKING:
    from db.models import Rows

# "transformed" keeps the case (in the new term) and proposes it (db.transformation.propose)
DECISIONS = {"keep": None, "close": "closed", "transformed": None}


class TermError(Exception):
    """A term that cannot be added; ``code`` says why."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def add_term(actor: Staff | None, name: str, start: dt.date, end: dt.date,
             school_year: str = "", semester: int = 0) -> Term:
    name = name.strip()
    if not name:
        raise TermError("name")
    if end <= start:
        raise TermError("dates")
    overlap = Term.select().where(Term.start_date <= end, Term.end_date >= start).first()
    if overlap is not None:
        raise TermError("overlap")
    if not school_year:
        first = start.year if start.month >= 8 else start.year - 1
        school_year = f"{first}-{first + 1}"
    if not semester:
        semester = 1 if start.month >= 8 else 2
    with journal.transaction():
        term = Term.create(name=name, school_year=school_year, semester=semester,
                           start_date=start, end_date=end)
        audit.record(actor, "term", term.id, "insert",
                     {"name": name, "start_date": start, "end_date": end})
    return term


def list_terms() -> list[Term]:
    return list(Term.select().order_by(Term.start_date))


@dataclass(slots=True)
class ReviewRow:
    case_id: int
    student_id: int
    name: str
    class_name: str
    status: str
    term_name: str
    version: int


def to_review(staff_id: int, today: dt.date | None = None) -> tuple[Term | None, list[ReviewRow]]:
    """The current term, and my open cases that still belong to an earlier one."""
    term = current_term(today or clock.today())
    if term is None or term.start_date > (today or clock.today()):
        return None, []
    query = (Case.select(Case.id, Student.id, Student.name, SchoolClass.name, Case.status,
                         Term.name, Case.version)
             .join(Assignment, on=(Assignment.case == Case.id))
             .switch(Case).join(Student)
             .join(SchoolClass, JOIN.LEFT_OUTER, on=(Student.school_class == SchoolClass.id))
             .switch(Case).join(Term, JOIN.LEFT_OUTER, on=(Case.term == Term.id))
             .where(Assignment.staff == staff_id, Assignment.active == True,  # noqa: E712
                    Case.status.in_(OPEN_STATUSES),
                    (Case.term.is_null(True)) | (Term.end_date < term.start_date))
             .distinct().order_by(Student.name))
    return term, [ReviewRow(cid, sid, name, cls or "", status, tname or "", version)
                  for cid, sid, name, cls, status, tname, version in cast("Rows", query.tuples())]


def carry(actor: Staff, case_id: int, expected_version: int, decision: str,
          term_id: int, reason: str = "") -> int:
    """Apply a re-review decision; returns the case's new version.  "transformed"
    needs ``reason``: the case is kept and proposed (``TransformationError``
    when it cannot be, and then nothing is written)."""
    if decision not in DECISIONS:
        raise ValueError(decision)
    with journal.transaction():
        case = Case.get_by_id(case_id)
        if case.version != expected_version:
            raise VersionConflict({}, case.version, "", case.updated_at)
        fields = {"term": term_id, "version": case.version + 1, "updated_at": clock.now(),
                  "updated_by": actor.id}
        status = DECISIONS[decision]
        if status is not None:
            fields.update(status=status, closed_on=clock.today())
        Case.update(**fields).where(Case.id == case_id).execute()
        audit.record(actor, "case_file", case_id, "update",
                     {"term": [case.term_id, term_id], "decision": decision,
                      "status": [case.status, status or case.status],
                      "version": [case.version, case.version + 1]})
        if decision == "transformed":
            from db.transformation import propose

            propose(actor, case_id, reason, expected_version=case.version + 1)
    return case.version + 1
