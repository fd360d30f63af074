"""The family contacts a family event makes on the cases of the families that came.

``db.family_events`` says when (its module text); this module writes them,
each with its audit row, inside the caller's transaction: one contact per
(event, open case), found again by its ``meeting_id`` (``"event:<uuid>"``).
"""

from __future__ import annotations

import datetime as dt
import uuid as uuidlib
from typing import TYPE_CHECKING, cast

from db import audit, clock
from db.store.host import hostname
from db.models import Case, Contact, FamilyEvent, Staff
from db.vocab import OPEN_STATUSES

if TYPE_CHECKING:
    from db.models import Rows

# the event's day at noon: the time the contact form gives an entry of an
# earlier day logged without one (db.contacts.validate)
CONTACT_TIME = dt.time(12, 0)


def meeting_id(event_uuid: str) -> str:
    return f"event:{event_uuid}"


def sync_contacts(actor: Staff, event: FamilyEvent, came: set[int],
                   absent: set[int]) -> tuple[int, int]:
    """One derived contact per open case of a family that came; none for the
    others.  Returns how many were added and removed."""
    added = removed = 0
    mid = meeting_id(event.uuid)
    have: dict[int, list[Contact]] = {}
    student_of: dict[int, int] = dict(cast("Rows", Case.select(Case.id, Case.student)
                           .where(Case.student.in_(list(came | absent))).tuples()))
    for contact in Contact.select().where(Contact.meeting_id == mid,
                                          Contact.case.in_(list(student_of))):
        have.setdefault(student_of[contact.case_id], []).append(contact)
    for sid in absent:
        for contact in have.get(sid, ()):
            delete_contact(actor, contact)
            removed += 1
    if not came:
        return added, removed
    covered = {c.case_id for sid in came for c in have.get(sid, ())}
    for sid in came:
        for contact in have.get(sid, ()):
            update_contact(actor, contact, event.held_on, event.topic)
    for (case_id,) in cast("Rows", Case.select(Case.id).where(
            Case.student.in_(list(came)), Case.status.in_(OPEN_STATUSES)).tuples()):
        if case_id in covered:
            continue
        values = dict(uuid=str(uuidlib.uuid4()), author=actor.id,
                      occurred_at=dt.datetime.combine(event.held_on, CONTACT_TIME),
                      kind="family", channel="parent_meeting", participants="",
                      duration_min=None, discussed=event.topic, agreed="", follow_up="",
                      follow_up_due=None, meeting_id=mid, restricted="",
                      created_at=clock.now(), host=hostname())
        contact = Contact.create(case=case_id, **values)
        audit.record(actor, "contact", contact.id, "insert", dict(values, case=case_id))
        added += 1
    return added, removed


def update_contact(actor: Staff, contact: Contact, held_on: dt.date, topic: str) -> None:
    when = dt.datetime.combine(held_on, CONTACT_TIME)
    changes = audit.diff({"occurred_at": contact.occurred_at, "discussed": contact.discussed},
                         {"occurred_at": when, "discussed": topic})
    if not changes:
        return
    (Contact.update(occurred_at=when, discussed=topic, version=Contact.version + 1)
     .where(Contact.id == contact.id).execute())
    audit.record(actor, "contact", contact.id, "update", changes)


def delete_contact(actor: Staff, contact: Contact) -> None:
    Contact.delete().where(Contact.id == contact.id).execute()
    audit.record(actor, "contact", contact.id, "delete",
                 {"case": contact.case_id, "meeting_id": contact.meeting_id,
                  "kind": contact.kind, "discussed": [contact.discussed, None]})
