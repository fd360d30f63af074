"""The outbox: contact entries saved while the database could not be reached.

``queue_contact`` keeps an entry in this computer's outbox (``db.store.local``),
sealed by its author; ``flush_outbox`` writes the signed-in person's waiting
entries later, once each (by UUID), only after each seal verifies with their
key, and sets aside any that do not (forged, altered, sealed with an earlier
PIN); ``waiting_entries`` is what ``bangfu outbox`` lists.  The save itself
is ``db.contacts.save_contact``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import cast

from db.contacts import CaseGone, NewContact, save_contact
from db.models import Case, Staff


# -- the outbox: entries saved while the file could not be reached ------------
def queue_contact(db_path, actor: Staff, entry: NewContact, reason: str) -> None:
    """Keep ``entry`` in the local outbox, sealed by ``actor`` (signed in: their
    key is held, ``db.store.local``); ``flush_outbox`` writes it later, once, as them."""
    from db.store.local import entry_to_json, put_outbox

    put_outbox(db_path, actor.id, entry_to_json(entry), reason)


def entry_from_json(data: dict) -> NewContact:
    due = data.get("follow_up_due")
    return NewContact(
        uuid=data["uuid"], case_id=int(data["case_id"]),
        occurred_at=dt.datetime.fromisoformat(data["occurred_at"]),
        kind=data["kind"], channel=data["channel"], participants=data.get("participants", ""),
        duration_min=data.get("duration_min"), discussed=data["discussed"],
        agreed=data.get("agreed", ""), follow_up=data.get("follow_up", ""),
        follow_up_due=dt.date.fromisoformat(due) if due else None,
        meeting_id=data.get("meeting_id"), restricted=data.get("restricted", ""))


@dataclass
class FlushResult:
    written: int = 0  # new in the file
    present: int = 0  # already there (an earlier attempt did reach it)
    waiting: int = 0  # still in the outbox: the file is still out of reach
    # (path, reason): the reader's entries that cannot be written as they are
    problems: list = None  # type: ignore[assignment]  # flush_outbox gives a list
    # (path in refused/, why): never written, set aside (db.store.local)
    refused: list = None  # type: ignore[assignment]  # as problems
    others: int = 0  # entries of other people, left for their next sign-in
    folder: object = None  # where refused entries are kept


def flush_outbox(db_path, reader, *, on_retry=None) -> FlushResult:
    """Write the waiting entries of ``reader`` (signed in in this process), as
    them, each only after its seal verifies with their key (idempotent by UUID;
    stop at the first unreachable).  One that does not verify (forged, altered,
    another person's, sealed with an earlier PIN, unreadable) is set aside in
    ``refused/`` and reported, never written; other people's stay untouched."""
    from db.access import NotAllowed
    from db.store.connection import is_unreachable
    from db.store.local import REFUSED, folder, key_of, outbox_count, set_aside, waiting_for

    result = FlushResult(problems=[], refused=[],
                         folder=folder("outbox", db_path) / REFUSED)
    key = key_of(reader.id)
    if key is None:  # not signed in here: nothing of theirs can be proven
        result.waiting = outbox_count(db_path, reader.id)
        return result
    items, result.others = waiting_for(db_path, reader.id, key)
    for number, item in enumerate(items):
        if item.problem:
            item.problem = _earlier_pin_or_forged(reader.id, item)
            result.refused.append((set_aside(item.path, item.problem), item.problem))
            continue
        try:
            entry = entry_from_json(cast(dict, item.entry))  # no problem: an entry
            actor = Staff.get_or_none(Staff.id == reader.id)
            if actor is None:
                result.problems.append((item.path, "staff"))
                continue
            _, created = save_contact(actor, entry, on_retry=on_retry)
        except CaseGone:
            result.problems.append((item.path, "case"))
            continue
        except NotAllowed:  # no longer (or never) on a case they see: kept, reported
            result.problems.append((item.path, "not_allowed"))
            continue
        except (KeyError, ValueError, TypeError):
            result.problems.append((item.path, "unreadable"))
            continue
        except Exception as exc:
            if is_unreachable(exc):
                result.waiting = sum(1 for rest in items[number:] if not rest.problem)
                return result
            raise
        item.path.unlink(missing_ok=True)
        if created:
            result.written += 1
        else:
            result.present += 1
    return result


def _earlier_pin_or_forged(staff_id: int, item) -> str:
    """An entry of ``staff_id``'s sealed with a key other than their PIN's now
    was sealed with an earlier PIN only if their PIN changed after it was queued
    (the audit log says so); else it is someone else's, relabelled: forged."""
    from db.store.local import EARLIER_PIN, FORGED
    from db.models import AuditLog

    if item.problem != EARLIER_PIN:
        return item.problem
    try:
        queued = dt.datetime.fromisoformat(item.queued_at)
    except ValueError:
        return FORGED
    changed = AuditLog.select().where(
        (AuditLog.table_name == "staff") & (AuditLog.row_id == str(staff_id))
        & AuditLog.changes.contains('"pin":') & (AuditLog.at >= queued.replace(tzinfo=None)))
    return EARLIER_PIN if changed.exists() else FORGED


@dataclass
class WaitingEntry:
    """One of the reader's waiting entries, as ``bangfu outbox`` lists it."""
    queued_at: str
    occurred_at: str
    student: str  # "name (number)" if the reader may see the student, else ""
    case_id: int | None
    reason: str  # why it was queued (db.store.failures kind)
    problem: str  # why it cannot be opened ("" if it opens)


def waiting_entries(db_path, reader) -> tuple[list[WaitingEntry], int, list, int]:
    """What ``bangfu outbox`` shows ``reader``: their own waiting entries (never
    their text), how many wait for other people, their own refused files
    ``(path, queued_at, why)`` and how many refused files are other people's."""
    from db import access
    from db.store.local import key_of, refused, waiting_for

    key = key_of(reader.id)
    items, others = waiting_for(db_path, reader.id, key) if key is not None else ([], 0)
    shown = []
    for item in items:
        item.problem = _earlier_pin_or_forged(reader.id, item)
        entry = item.entry or {}
        case_id = entry.get("case_id") if isinstance(entry.get("case_id"), int) else None
        student = ""
        case = Case.get_or_none(Case.id == case_id) if case_id is not None else None
        if case is not None and access.sees_student(reader, case.student_id):
            student = f"{case.student.name} ({case.student.student_no})"
        shown.append(WaitingEntry(item.queued_at, str(entry.get("occurred_at", "")), student,
                                  case_id, item.reason, item.problem))
    mine, theirs = [], 0
    for path, data, why in refused(db_path):
        if data.get("staff_id") == reader.id:
            mine.append((path, str(data.get("queued_at", "")), why))
        else:
            theirs += 1
    return shown, others, mine, theirs
