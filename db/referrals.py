"""Referrals (转介): a case sent on to an organisation outside the school
(``db.organisations``), why, the guardian's consent, when, its status (sent,
accepted, seen, closed), the outcome and the next follow-up.

- A referral is restricted like a counselling entry: only those who may read
  the case's restricted entries (``db.access.reads_restricted``: counsellors,
  administrators, the case's lead, the referral's author) read or change it,
  and only they see to whom it went and the consent.  Anyone else who sees the
  student sees that a referral exists (its date and status), never more.
- Its reason and outcome are sealed with the school's key like restricted
  entries (``db.sealing``); opening them (``get_referral``) is in the audit log
  as a reading, like opening a restricted entry.  The audit log of a change
  holds them sealed.
- Adding one: who may edit cases and read the case's restricted entries.
- Its status may move any way (a referral reopened); each change is audited.
- The follow-up date is required until it is closed (closing clears it).  A
  referral whose follow-up is due within the caseload's horizon (or overdue)
  is on the caseload of its author and of the case's lead (``referrals_due``)
  until the follow-up is recorded: a new date, or closing it.
"""

from __future__ import annotations

import datetime as dt
import uuid as uuidlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from peewee import JOIN

from db import access, audit, clock, sealing
from db.dates import DateError, as_date, parse_date
from db.models import (Assignment, Case, Organisation, Referral, SchoolClass, Staff, Student)
from db.store import journal
from db.text import clean
from db.vocab import CONSENTS, REFERRAL_STATUSES

if TYPE_CHECKING:
    from db.models import Rows
    from db.workflow import DueItem

SEALED = ("reason", "outcome")
MAX_TEXT = 4000  # err.too_long says 4,000


class ReferralError(ValueError):
    """Values refused, nothing written: ``errors`` maps each bad field to a catalog key."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(", ".join(errors))
        self.errors = errors


class ReferralGone(Exception):
    """No such referral (or its case is one the reader does not see)."""


class ReferralConflict(Exception):
    """Someone saved it after it was opened: nothing was written."""


@dataclass(slots=True)
class ReferralRow:
    id: int
    case_id: int
    student_id: int
    name: str
    class_name: str
    student_no: str
    sent_on: dt.date
    status: str
    follow_up_on: dt.date | None
    readable: bool  # False: the reader sees only that it exists (date, status)
    organisation_id: int | None = None
    organisation: str = ""
    consent: str = ""
    author: str = ""
    version: int = 1
    reason: str = ""  # only from get_referral (an opening, audited)
    outcome: str = ""

    def overdue(self, today: dt.date) -> bool:
        return (self.status != "closed" and self.follow_up_on is not None
                and self.follow_up_on < today)


# -- who may ------------------------------------------------------------------------

def _leads(reader) -> set[int]:
    """The cases ``reader`` leads."""
    return {c for (c,) in cast("Rows", Assignment.select(Assignment.case).where(
        Assignment.staff == reader.id, Assignment.role == "lead",
        Assignment.active == True).tuples())}  # noqa: E712


def may_read(reader, case_id: int, author_id: int | None) -> bool:
    return access.reads_restricted(reader, case_id, author_id)


def may_add(reader, case_id: int) -> bool:
    """Who may refer this case: one who edits cases and reads its restricted entries."""
    return access.can(reader, "edit_case") and access.reads_restricted(reader, case_id)


# -- reading ------------------------------------------------------------------------

def _query():
    return (Referral.select(Referral.id, Referral.case, Student.id, Student.name,
                            SchoolClass.name, Student.student_no, Referral.sent_on,
                            Referral.status, Referral.follow_up_on, Referral.organisation,
                            Organisation.name, Referral.consent, Referral.author, Staff.name,
                            Referral.version)
            .join(Case).join(Student).join(SchoolClass, JOIN.LEFT_OUTER)
            .switch(Referral).join(Organisation, JOIN.LEFT_OUTER)
            .switch(Referral).join(Staff, JOIN.LEFT_OUTER, on=(Referral.author == Staff.id)))


def _row(values, reader, leads: set[int]) -> ReferralRow:
    (rid, case_id, sid, name, klass, no, sent, status, follow, org_id, org, consent,
     author_id, author, version) = values
    readable = access.reads_restricted(reader, case_id, author_id, lead=case_id in leads)
    row = ReferralRow(rid, case_id, sid, name, klass or "", no or "",
                      cast(dt.date, as_date(sent)), status, as_date(follow), readable)
    if readable:
        row.organisation_id, row.organisation, row.consent = org_id, org or "", consent
        row.author, row.version = author or "", version
    return row


def _order(rows: list[ReferralRow]) -> list[ReferralRow]:
    """Overdue follow-ups first (oldest first), then the open ones by follow-up,
    then the closed ones, newest first."""
    today = clock.today()
    late = sorted((r for r in rows if r.overdue(today)), key=lambda r: r.follow_up_on or today)
    going = sorted((r for r in rows if r.status != "closed" and not r.overdue(today)),
                   key=lambda r: (r.follow_up_on or dt.date.max, r.id))
    closed = sorted((r for r in rows if r.status == "closed"),
                    key=lambda r: (r.sent_on, r.id), reverse=True)
    return late + going + closed


def referrals_of_case(reader, case_id: int) -> list[ReferralRow]:
    """A case's referrals as ``reader`` may see them (``readable`` False: that
    it exists only); [] for one who does not see the student."""
    student = Case.select(Case.student).where(Case.id == case_id).scalar()
    if reader is None or student is None or not access.sees_student(reader, student):
        return []
    leads = _leads(reader)
    rows = [_row(v, reader, leads)
            for v in cast("Rows", _query().where(Referral.case == case_id).tuples())]
    return _order(rows)


def referrals(reader, status: str = "", overdue_only: bool = False) -> list[ReferralRow]:
    """Every referral ``reader`` may read (the Oversight menu's list), overdue
    follow-ups first."""
    if reader is None:
        return []
    query = _query()
    leads = _leads(reader)
    if getattr(reader, "role", "") not in access.RESTRICTED_READERS:
        query = query.where((Referral.author == reader.id) | Referral.case.in_(sorted(leads) or [0]))
    if status:
        query = query.where(Referral.status == status)
    rows = [r for r in (_row(v, reader, leads) for v in cast("Rows", query.tuples()))
            if r.readable]
    if overdue_only:
        rows = [r for r in rows if r.overdue(clock.today())]
    return _order(rows)


def get_referral(reader, referral_id: int) -> ReferralRow:
    """One referral with its reason and outcome, for one who may read it; the
    opening is in the audit log.  ``ReferralGone``; ``access.NotAllowed``
    ("restricted") for one who sees only that it exists; ``keys.Sealed`` when
    their key is not open."""
    found = _query().where(Referral.id == referral_id).tuples().first()
    if found is None or reader is None:
        raise ReferralGone(referral_id)
    row = _row(found, reader, _leads(reader))
    if not row.readable:
        if not access.sees_student(reader, row.student_id):
            raise ReferralGone(referral_id)
        raise access.NotAllowed("restricted")
    stored = Referral.get_by_id(referral_id)
    texts = sealing.open_values(reader, "referral", {n: getattr(stored, n) for n in SEALED},
                                SEALED)
    with journal.transaction():
        audit.record(reader, "referral", referral_id, "read", {"case": row.case_id})
    row.reason, row.outcome = texts["reason"], texts["outcome"]
    return row


# -- writing ------------------------------------------------------------------------

def _date(value, errors: dict, name: str, prefer: str) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if not str(value or "").strip():
        return None
    try:
        return parse_date(str(value), clock.today(), prefer=prefer)
    except DateError as exc:
        errors[name] = f"err.date.{exc.code}"
        return None


def _text(value, errors: dict, name: str, required: bool = False) -> str:
    text = clean(value or "").strip()
    if required and not text:
        errors[name] = f"err.referral.{name}_required"
    elif len(text) > MAX_TEXT:
        errors[name] = "err.too_long"
    return text


def _validate(data: dict, current: dict) -> dict:
    """The values to store, from ``data`` over ``current`` (the stored values,
    texts opened; {} for a new one)."""
    merged = {**current, **data}
    errors: dict[str, str] = {}
    org = merged.get("organisation")
    if not org:
        errors["organisation"] = "err.referral.organisation_required"
    elif org != current.get("organisation"):
        if not Organisation.select().where(Organisation.id == org,
                                           Organisation.active == True).exists():  # noqa: E712
            errors["organisation"] = "err.referral.organisation_unknown"
    reason = _text(merged.get("reason"), errors, "reason", required=True)
    outcome = _text(merged.get("outcome"), errors, "outcome")
    consent = merged.get("consent") or "pending"
    if consent not in CONSENTS:
        errors["consent"] = "err.choice"
    status = merged.get("status") or "sent"
    if status not in REFERRAL_STATUSES:
        errors["status"] = "err.choice"
    sent = _date(merged.get("sent_on") or "today", errors, "sent_on", "past")
    if sent is not None and sent > clock.today():
        errors["sent_on"] = "err.referral.sent_future"
    follow = _date(merged.get("follow_up_on"), errors, "follow_up_on", "future")
    if status == "closed":
        follow = None
    elif follow is None and "follow_up_on" not in errors:
        errors["follow_up_on"] = "err.referral.follow_up_required"
    elif follow is not None and sent is not None and follow < sent:
        errors["follow_up_on"] = "err.referral.follow_up_before"
    if errors:
        raise ReferralError(errors)
    return dict(organisation=org, reason=reason, consent=consent, sent_on=sent, status=status,
                outcome=outcome, follow_up_on=follow)


def add_referral(actor, case_id: int, data: dict) -> int:
    """A new referral on the case (``data``: organisation (an id), reason,
    consent, sent_on, status, outcome, follow_up_on, optional uuid); its id.
    The same uuid again writes nothing and returns the first one's id."""
    uuid = data.get("uuid") or uuidlib.uuid4().hex
    values = _validate({k: v for k, v in data.items() if k != "uuid"}, {})
    with journal.transaction():
        same = Referral.get_or_none(Referral.uuid == uuid)
        if same is not None:
            return same.id
        student = Case.select(Case.student).where(Case.id == case_id).scalar()
        if student is None:
            raise ReferralGone(case_id)
        if not access.sees_student(actor, student) or not may_add(actor, case_id):
            raise access.NotAllowed("restricted")
        values = sealing.seal_values("referral", values, SEALED, actor.id)
        row = Referral.create(uuid=uuid, case=case_id, author=actor.id,
                              updated_at=clock.now(), **values)
        audit.record(actor, "referral", row.id, "insert",
                     {**values, "case": case_id, "author": actor.id, "uuid": uuid})
        return row.id


def update_referral(actor, referral_id: int, data: dict, expected_version: int) -> bool:
    """Change the fields in ``data`` (as ``add_referral`` takes them), if the
    referral is still at ``expected_version``; False when nothing changed."""
    with journal.transaction():
        stored = Referral.get_or_none(Referral.id == referral_id)
        if stored is None:
            raise ReferralGone(referral_id)
        if not may_read(actor, stored.case_id, stored.author_id):
            raise access.NotAllowed("restricted")
        if stored.version != expected_version:
            raise ReferralConflict(referral_id)
        opened = sealing.open_values(actor, "referral", {n: getattr(stored, n) for n in SEALED},
                                     SEALED)
        current = dict(organisation=stored.organisation_id, consent=stored.consent,
                       sent_on=as_date(stored.sent_on), status=stored.status,
                       follow_up_on=as_date(stored.follow_up_on), **opened)
        values = _validate(data, current)
        changed = {k: v for k, v in values.items() if current.get(k) != v}
        if not changed:
            return False
        changed = sealing.seal_values("referral", changed, SEALED, stored.author_id)
        before = {k: getattr(stored, k if k != "organisation" else "organisation_id")
                  for k in changed}
        Referral.update(**changed, version=expected_version + 1, updated_at=clock.now()).where(
            Referral.id == referral_id, Referral.version == expected_version).execute()
        audit.record(actor, "referral", referral_id, "update",
                     {**{k: [before[k], v] for k, v in changed.items()},
                      "version": [expected_version, expected_version + 1]})
        return True


# -- the caseload -------------------------------------------------------------------

def referrals_due(staff_id: int, today: dt.date, days: int = 7) -> list[DueItem]:
    """Referrals not closed whose follow-up is due within ``days`` (or overdue),
    on the caseload of their author and of the case's lead (``what="referral"``,
    ``referral_id`` set, ``text`` the organisation's name: nothing restricted)."""
    from db.workflow import DueItem

    horizon = today + dt.timedelta(days=days)
    leads = (Assignment.select(Assignment.case).where(
        Assignment.staff == staff_id, Assignment.role == "lead",
        Assignment.active == True))  # noqa: E712
    query = (Referral.select(Referral.id, Referral.case, Student.id, Student.name,
                             SchoolClass.name, Student.student_no, Referral.follow_up_on,
                             Organisation.name)
             .join(Case).join(Student).join(SchoolClass, JOIN.LEFT_OUTER)
             .switch(Referral).join(Organisation, JOIN.LEFT_OUTER)
             .where(Referral.status != "closed", Referral.follow_up_on.is_null(False),
                    Referral.follow_up_on <= horizon,
                    (Referral.author == staff_id) | Referral.case.in_(leads)))
    return [DueItem(case_id, sid, name, klass or "", no or "", "referral",
                    cast(dt.date, as_date(due)), text=org or "", referral_id=rid)
            for rid, case_id, sid, name, klass, no, due, org in cast("Rows", query.tuples())]


# -- sealing what was written before the school's keys (db.keys.seal_existing) ----------------

def plain_referrals() -> list[tuple[int, int | None, dict[str, str]]]:
    """(id, author, {field: text}) of the referrals whose text is still as typed."""
    from db import crypto

    found = []
    for row_id, author_id, *texts in cast("Rows", Referral.select(
            Referral.id, Referral.author, *(getattr(Referral, n) for n in SEALED)).tuples()):
        plain = {n: v for n, v in zip(SEALED, texts) if v and not crypto.is_sealed(v)}
        if plain:
            found.append((row_id, author_id, plain))
    return found


def seal_plain(actor) -> int:
    """Seal those (inside the caller's transaction); the audit row names the fields only."""
    rows = plain_referrals()
    for row_id, author_id, plain in rows:
        Referral.update(**sealing.seal_values("referral", plain, plain, author_id)).where(
            Referral.id == row_id).execute()
        audit.record(actor, "referral", row_id, "update", {"sealed": sorted(plain)})
    return len(rows)
