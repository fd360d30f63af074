"""A case marked transformed (转化): its evidence and a coordinator's confirmation.

A case becomes "transformed" (the programme's success) only here, in two steps:

- ``propose``: someone who edits cases ("edit_case") and sees the student
  proposes an open case, with a reason; the evidence shown to them (the
  student's progress figure, the latest stage review, the goals met) is kept
  with the proposal as JSON, as it was then.  One pending proposal per case.
- ``confirm`` / ``decline``: an administrator or coordinator
  ("confirm_transformation"), never the person who proposed it (four eyes).
  Confirming sets the case "transformed" and closes it (``closed_on``), and
  adds a ``case_event`` "transformed" with the reason (the case history shows
  it); declining leaves the case as it was, with the decision's note.

Every other write of the status "transformed" is refused
(``db.cases.update_case``, ``db.terms.carry``, ``db.students.open_case``):
``refuse_direct`` raises ``TransformationError("needs_confirmation")``.

A pending proposal is on every coordinator's and administrator's caseload
(except the proposer's), due ``CONFIRM_DAYS`` after it was made.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid as uuidlib
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, cast

from peewee import JOIN

from db import access, audit, clock
from db.models import Case, Goal, SchoolClass, Staff, Student, Transformation
from db.store import journal
from db.text import clean, one_line
from db.visible import student_query
from db.vocab import OPEN_STATUSES

if TYPE_CHECKING:
    from db.models import Rows
    from db.workflow import DueItem

CONFIRM_DAYS = 7  # a proposal is decided within a week
MAX_REASON = 1000
MAX_SUMMARY = 300  # the latest review's summary, as kept with the evidence


class TransformationError(ValueError):
    """Refused, nothing written; ``code`` names the message
    (``err.transformation.<code>``)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def refuse_direct(old_status: str, new_status: str) -> None:
    """The guard every other status write goes through: a case becomes
    transformed only by a confirmed proposal."""
    if new_status == "transformed" and old_status != "transformed":
        raise TransformationError("needs_confirmation")


# -- the evidence ----------------------------------------------------------------------------

@dataclass(slots=True)
class SubjectFigure:
    subject: str
    first: float  # percent of full marks
    latest: float
    change: float | None  # fraction of the first; None: from 0


@dataclass(slots=True)
class Evidence:
    """What is shown when a case is proposed (and kept with the proposal)."""

    term_name: str = ""
    first: float | None = None  # the average of the first scores, percent of full marks
    latest: float | None = None
    change: float | None = None  # fraction; None: not measurable
    improved: bool = False  # rose by db.progress.IMPROVE_BY
    subjects: list[SubjectFigure] = field(default_factory=list)
    checkins: int = 0  # check-ins this term
    review_date: dt.date | None = None  # the latest stage review
    review_summary: str = ""
    review_goals: list[tuple[str, str]] = field(default_factory=list)  # (goal, status)
    goals_met: int = 0
    goals_total: int = 0  # not counting dropped goals

    def to_json(self) -> str:
        values = asdict(self)
        values["review_date"] = self.review_date.isoformat() if self.review_date else None
        values["change"] = _finite(self.change)
        for s in values["subjects"]:
            s["change"] = _finite(s["change"])
        return json.dumps(values, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Evidence:
        try:
            values = json.loads(text or "{}")
            if not isinstance(values, dict):
                return cls()
            when = values.get("review_date")
            return cls(
                term_name=str(values.get("term_name") or ""),
                first=values.get("first"), latest=values.get("latest"),
                change=values.get("change"), improved=bool(values.get("improved")),
                subjects=[SubjectFigure(str(s["subject"]), float(s["first"]),
                                        float(s["latest"]), s.get("change"))
                          for s in values.get("subjects") or []],
                checkins=int(values.get("checkins") or 0),
                review_date=dt.date.fromisoformat(when) if when else None,
                review_summary=str(values.get("review_summary") or ""),
                review_goals=[(str(g), str(s)) for g, s in values.get("review_goals") or []],
                goals_met=int(values.get("goals_met") or 0),
                goals_total=int(values.get("goals_total") or 0))
        except (TypeError, ValueError, KeyError):
            return cls()


def _finite(value: float | None) -> float | None:
    return None if value is None or value == float("inf") else value


def _case(case_id: int) -> Case:
    case = Case.get_or_none(Case.id == case_id)
    if case is None:
        raise TransformationError("gone")
    return case


def _may_see(reader, student_id: int) -> None:
    if reader is None or not access.sees_student(reader, student_id):
        raise access.NotAllowed("student")


def evidence(reader, case_id: int) -> Evidence:
    """The case's evidence now, for a reader who sees the student: the progress
    tab's figure (``db.progress.student_progress``), the latest stage review
    and the goals met."""
    from db.progress import student_progress
    from db.reviews import reviews

    case = _case(case_id)
    _may_see(reader, case.student_id)
    progress = student_progress(case.student_id, case_id)
    m = progress.measure
    out = Evidence(term_name=progress.term_name, first=m.first, latest=m.latest,
                   change=_finite(m.change), improved=m.improved,
                   subjects=[SubjectFigure(s.subject, cast(float, s.first),
                                           cast(float, s.latest), _finite(s.change))
                             for s in m.subjects if s.counts],
                   checkins=len(progress.checkins))
    latest = next(iter(reviews(case_id)), None)
    if latest is not None:
        out.review_date = latest.review_date
        out.review_summary = one_line(latest.summary)[:MAX_SUMMARY]
        out.review_goals = [(one_line(g), s) for g, s in latest.goals]
    statuses = [s for (s,) in cast("Rows", Goal.select(Goal.status)
                                   .where(Goal.case == case_id).tuples())]
    out.goals_total = sum(1 for s in statuses if s != "dropped")
    out.goals_met = sum(1 for s in statuses if s == "met")
    return out


# -- proposing and deciding -------------------------------------------------------------------

@dataclass(slots=True)
class TransformationRow:
    id: int
    case_id: int
    student_id: int
    name: str
    class_name: str
    status: str  # db.vocab.TRANSFORMATION_STATUSES
    reason: str
    evidence: Evidence
    proposed_by_id: int | None
    proposed_by: str
    proposed_on: dt.date
    decided_by: str
    decided_on: dt.date | None
    decision_note: str
    version: int
    case_status: str

    @property
    def due(self) -> dt.date:
        return self.proposed_on + dt.timedelta(days=CONFIRM_DAYS)


def _reason(text: str, code: str = "reason_blank") -> str:
    reason = clean(text).strip()
    if not reason:
        raise TransformationError(code)
    if len(reason) > MAX_REASON:
        raise TransformationError("too_long")
    return reason


def pending_of(case_id: int) -> int | None:
    """The case's pending proposal, if any."""
    return (Transformation.select(Transformation.id)
            .where(Transformation.case == case_id, Transformation.status == "proposed")
            .scalar())


def propose(actor, case_id: int, reason: str, expected_version: int | None = None) -> int:
    """Propose an open case as transformed; returns the proposal's id."""
    access.require(actor, "edit_case")
    text = _reason(reason)
    with journal.transaction():
        case = _case(case_id)
        _may_see(actor, case.student_id)
        if case.status not in OPEN_STATUSES:
            raise TransformationError("not_open")
        if expected_version is not None and case.version != expected_version:
            raise TransformationError("changed")
        if pending_of(case_id) is not None:
            raise TransformationError("pending")
        shown = evidence(actor, case_id).to_json()
        row = Transformation.create(uuid=uuidlib.uuid4().hex, case=case_id,
                                    proposed_by=actor.id, proposed_on=clock.today(),
                                    reason=text, evidence=shown, status="proposed",
                                    updated_at=clock.now())
        audit.record(actor, "transformation", row.id, "insert",
                     {"case": case_id, "status": "proposed", "reason": text,
                      "evidence": shown, "uuid": row.uuid})
        return row.id


def _deciding(actor, transformation_id: int, expected: int | None) -> Transformation:
    access.require(actor, "confirm_transformation")
    row = Transformation.get_or_none(Transformation.id == transformation_id)
    if row is None:
        raise TransformationError("gone")
    if row.proposed_by_id == actor.id:
        raise TransformationError("own")  # four eyes: never one's own proposal
    if row.status != "proposed":
        raise TransformationError("decided")
    if expected is not None and row.version != expected:
        raise TransformationError("decided")
    return row


def _decide(actor, row: Transformation, status: str, note: str) -> None:
    values = {"status": status, "decided_by": actor.id, "decided_on": clock.today(),
              "decision_note": note}
    Transformation.update(**values, version=row.version + 1, updated_at=clock.now()).where(
        Transformation.id == row.id).execute()
    audit.record(actor, "transformation", row.id, "update",
                 dict(audit.diff({"status": row.status, "decided_by": row.decided_by_id,
                                  "decided_on": row.decided_on,
                                  "decision_note": row.decision_note}, values),
                      version=[row.version, row.version + 1]))


def figure_text(ev: Evidence) -> str:
    """The evidence's figure in numbers only, any language (the case event's
    detail): the average's first → latest and the goals met, "60.0% → 72.0%
    (+20%) · 3/4"."""
    goals = f"{ev.goals_met}/{ev.goals_total}"
    if ev.first is None or ev.latest is None:
        return goals
    change = "" if ev.change is None else f" ({ev.change * 100:+.0f}%)"
    return f"{ev.first:.1f}% → {ev.latest:.1f}%{change} · {goals}"


def confirm(actor, transformation_id: int, note: str = "",
            expected: int | None = None) -> None:
    """Confirm a proposal: the case is transformed (and closed) from today."""
    from db.case_status import add_event

    text = clean(note).strip()[:MAX_REASON]
    with journal.transaction():
        row = _deciding(actor, transformation_id, expected)
        case = _case(row.case_id)
        if case.status not in OPEN_STATUSES:
            raise TransformationError("not_open")
        _decide(actor, row, "confirmed", text)
        before = {"status": case.status, "closed_on": case.closed_on}
        after = {"status": "transformed", "closed_on": clock.today()}
        Case.update(**after, version=case.version + 1, updated_at=clock.now(),
                    updated_by=actor.id).where(Case.id == case.id).execute()
        audit.record(actor, "case_file", case.id, "update",
                     dict(audit.diff(before, after), transformation=row.id,
                          version=[case.version, case.version + 1]))
        add_event(actor, case.id, "transformed", row.reason,
                  figure_text(Evidence.from_json(row.evidence)))


def decline(actor, transformation_id: int, note: str, expected: int | None = None) -> None:
    """Decline a proposal, saying why: the case stays as it was."""
    text = _reason(note, "note_blank")
    with journal.transaction():
        row = _deciding(actor, transformation_id, expected)
        _decide(actor, row, "declined", text)


# -- reading ---------------------------------------------------------------------------------

def proposals_query():
    """Every proposal with its student, class and the people's names: read by
    ``as_row`` (the list here, and the term summary's section)."""
    Proposer = Staff.alias()
    Decider = Staff.alias()
    return (Transformation.select(
        Transformation.id, Transformation.case, Student.id, Student.name, SchoolClass.name,
        Transformation.status, Transformation.reason, Transformation.evidence,
        Transformation.proposed_by, Proposer.name, Transformation.proposed_on,
        Decider.name, Transformation.decided_on, Transformation.decision_note,
        Transformation.version, Case.status)
        .join(Case, on=(Transformation.case == Case.id))
        .join(Student, on=(Case.student == Student.id))
        .join(SchoolClass, JOIN.LEFT_OUTER, on=(Student.school_class == SchoolClass.id))
        .switch(Transformation)
        .join(Proposer, JOIN.LEFT_OUTER, on=(Transformation.proposed_by == Proposer.id))
        .switch(Transformation)
        .join(Decider, JOIN.LEFT_OUTER, on=(Transformation.decided_by == Decider.id)))


def as_row(values) -> TransformationRow:
    (tid, case_id, sid, name, klass, status, reason, shown, by_id, by, on, decider, decided_on,
     note, version, case_status) = values
    from db.dates import as_date

    return TransformationRow(tid, case_id, sid, name, klass or "", status, reason,
                             Evidence.from_json(shown), by_id, by or "",
                             cast(dt.date, as_date(on)), decider or "",
                             as_date(decided_on) if decided_on else None, note, version,
                             case_status)


def _seen(query, reader):
    if reader is None or getattr(reader, "role", "") == "volunteer":
        return None
    students = student_query(access.scope_for(reader))
    return query if students is None else query.where(Student.id.in_(students))


def transformations(reader, status: str | None = "proposed") -> list[TransformationRow]:
    """The proposals ``reader`` sees (their students'), of ``status`` (None:
    all): the pending ones oldest first, the decided ones newest first."""
    query = _seen(proposals_query(), reader)
    if query is None:
        return []
    if status is not None:
        query = query.where(Transformation.status == status)
    rows = [as_row(v) for v in cast("Rows", query.order_by(Transformation.id).tuples())]
    pending = [r for r in rows if r.status == "proposed"]
    decided = sorted((r for r in rows if r.status != "proposed"),
                     key=lambda r: (r.decided_on or r.proposed_on, r.id), reverse=True)
    return pending + decided


def get_transformation(reader, transformation_id: int) -> TransformationRow:
    query = _seen(proposals_query().where(Transformation.id == transformation_id), reader)
    found = None if query is None else query.tuples().first()
    if found is None:
        if Transformation.select().where(Transformation.id == transformation_id).exists():
            raise access.NotAllowed("student")
        raise TransformationError("gone")
    return as_row(found)


def may_decide(reader, row: TransformationRow) -> bool:
    return (access.can(reader, "confirm_transformation") and row.status == "proposed"
            and row.proposed_by_id != reader.id)


# -- the caseload ----------------------------------------------------------------------------

def transformations_due(staff_id: int, today: dt.date, days: int = 7) -> list[DueItem]:
    """For an administrator or coordinator, each pending proposal they did not
    make is a caseload item (``what="transformation"``) due ``CONFIRM_DAYS``
    after it was proposed (however far off: it waits for them)."""
    from db.workflow import DueItem

    me = Staff.get_or_none(Staff.id == staff_id)
    if me is None or not me.active or not access.can(me, "confirm_transformation"):
        return []
    query = (Transformation.select(Transformation.id, Transformation.case, Student.id,
                                   Student.name, SchoolClass.name, Student.student_no,
                                   Transformation.proposed_on, Transformation.reason)
             .join(Case, on=(Transformation.case == Case.id))
             .join(Student, on=(Case.student == Student.id))
             .join(SchoolClass, JOIN.LEFT_OUTER, on=(Student.school_class == SchoolClass.id))
             .where(Transformation.status == "proposed",
                    (Transformation.proposed_by.is_null()) | (Transformation.proposed_by != staff_id))
             .order_by(Transformation.id))
    from db.dates import as_date

    return [DueItem(case_id, sid, name, klass or "", no or "", "transformation",
                    cast(dt.date, as_date(on)) + dt.timedelta(days=CONFIRM_DAYS),
                    text=one_line((reason or "").splitlines()[0] if reason else ""),
                    transformation_id=tid)
            for tid, case_id, sid, name, klass, no, on, reason in cast("Rows", query.tuples())]
