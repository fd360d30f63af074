"""Logging a contact: validation shared by the form and the CLI, and the save.

Every entry carries a UUID made by the client when the form is opened, so a
retried save (busy share, lost reply) never writes it twice.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import uuid as uuidlib
from dataclasses import dataclass
from typing import cast

from db import audit, clock, keys, sealing
from db.store import journal
from db.store.connection import with_retry
from db.dates import DateError, parse_date, parse_time
from db.store.host import hostname
from db.models import Case, Contact, Staff
from db.text import clean, one_line
from db.vocab import (CHANNEL_KEYS, CHANNELS, CONTACT_KINDS, KIND_KEYS, RESTRICTED_KEYS,
                      RESTRICTED_REASONS)

MAX_TEXT = 4000
MAX_LINE = 200
MAX_DURATION = 600


def new_uuid() -> str:
    return str(uuidlib.uuid4())


@dataclass(slots=True)
class ContactInput:
    """What a person typed, as text; ``validate`` turns it into a ``NewContact``."""

    case_id: int | None
    date: str = "today"
    time: str = ""
    kind: str = "family"
    channel: str = "phone"
    participants: str = ""
    duration: str = ""
    discussed: str = ""
    agreed: str = ""
    follow_up: str = ""
    follow_up_due: str = ""
    uuid: str = ""
    restricted: str = ""  # "", or a reason (or its letter): counselling, family conflict, referral


@dataclass(slots=True)
class NewContact:
    uuid: str
    case_id: int
    occurred_at: dt.datetime
    kind: str
    channel: str
    participants: str
    duration_min: int | None
    discussed: str
    agreed: str
    follow_up: str
    follow_up_due: dt.date | None
    meeting_id: str | None = None  # shared by the entries of one meeting
    restricted: str = ""  # db.vocab.RESTRICTED_REASONS: read only as db.access allows


class ContactValidationError(ValueError):
    """``errors`` maps each bad field to a message key of the catalog."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(", ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def resolve_choice(value: str, keys: dict[str, str], allowed) -> str | None:
    value = (value or "").strip().lower()
    if value in allowed:
        return value
    if value in keys:
        return keys[value]
    matches = [a for a in allowed if a.startswith(value)] if value else []
    return matches[0] if len(matches) == 1 else None


def validate(data: ContactInput) -> NewContact:
    errors: dict[str, str] = {}
    today = clock.today()
    if data.case_id is None:
        errors["student"] = "err.student.required"
    occurred_date = None
    try:
        occurred_date = parse_date(data.date or "today", today, prefer="past")
        if occurred_date > today:
            errors["date"] = "err.date.future"
    except DateError as exc:
        errors["date"] = f"err.date.{exc.code}"
    occurred_time = None
    if data.time.strip():
        try:
            occurred_time = parse_time(data.time)
        except DateError:
            errors["time"] = "err.time"
    kind = resolve_choice(data.kind, KIND_KEYS, CONTACT_KINDS)
    if kind is None:
        errors["kind"] = "err.choice"
    channel = resolve_choice(data.channel, CHANNEL_KEYS, CHANNELS)
    if channel is None:
        errors["channel"] = "err.choice"
    restricted: str | None = ""
    if data.restricted.strip() and data.restricted.strip().lower() not in ("-", "no", "none"):
        restricted = resolve_choice(data.restricted, RESTRICTED_KEYS, RESTRICTED_REASONS)
        if restricted is None:
            errors["restricted"] = "err.choice"
    duration = None
    if data.duration.strip():
        raw = data.duration.strip().translate(str.maketrans("０１２３４５６７８９", "0123456789"))
        # decimal digits only (int() refuses ① and ²), and not thousands of them
        if not raw.isdecimal() or len(raw) > 6 or not 0 < int(raw) <= MAX_DURATION:
            errors["duration"] = "err.duration"
        else:
            duration = int(raw)
    discussed = clean(data.discussed).strip()
    if not discussed:
        errors["discussed"] = "err.discussed.required"
    texts = {"discussed": discussed, "agreed": clean(data.agreed).strip(),
             "follow_up": clean(data.follow_up).strip()}
    for name, value in texts.items():
        if len(value) > MAX_TEXT:
            errors[name] = "err.too_long"
    participants = one_line(data.participants)
    if len(participants) > MAX_LINE:
        errors["participants"] = "err.too_long_line"
    due = None
    if data.follow_up_due.strip():
        try:
            due = parse_date(data.follow_up_due, today, prefer="future")
        except DateError as exc:
            errors["follow_up_due"] = f"err.date.{exc.code}"
        if due is not None and not texts["follow_up"]:
            errors["follow_up"] = "err.follow_up.required"
        if due is not None and occurred_date is not None and due < occurred_date:
            errors["follow_up_due"] = "err.follow_up_due.before"
    if errors:
        raise ContactValidationError(errors)
    if occurred_time is None:
        now = clock.now()
        occurred_time = now.time() if occurred_date == now.date() else dt.time(12, 0)
    # no errors: the case, date, kind, channel and restriction are each set
    return NewContact(
        uuid=data.uuid or new_uuid(), case_id=cast(int, data.case_id),
        occurred_at=dt.datetime.combine(cast(dt.date, occurred_date),
                                        occurred_time).replace(second=0, microsecond=0),
        kind=cast(str, kind), channel=cast(str, channel), participants=participants, duration_min=duration,
        discussed=texts["discussed"], agreed=texts["agreed"], follow_up=texts["follow_up"],
        follow_up_due=due, restricted=cast(str, restricted))


class CaseGone(Exception):
    """The case was deleted while the form was open."""


def _insert(actor: Staff, entry: NewContact) -> tuple[int, bool]:
    with journal.transaction():  # BEGIN IMMEDIATE; journaled after commit
        existing = Contact.get_or_none(Contact.uuid == entry.uuid)
        if existing is not None:
            return existing.id, False
        student = Case.select(Case.student).where(Case.id == entry.case_id).scalar()
        if student is None:
            raise CaseGone(entry.case_id)
        from db import access

        if actor is not None and not access.sees_student(actor, student):
            raise access.NotAllowed("student")  # an entry on a case its author may not see
        values = dict(
            uuid=entry.uuid, case=entry.case_id, author=actor.id,
            occurred_at=entry.occurred_at, kind=entry.kind, channel=entry.channel,
            participants=entry.participants, duration_min=entry.duration_min,
            discussed=entry.discussed, agreed=entry.agreed, follow_up=entry.follow_up,
            follow_up_due=entry.follow_up_due, meeting_id=entry.meeting_id,
            restricted=entry.restricted, created_at=clock.now(), host=hostname())
        if entry.restricted:  # sealed for the school's readers and the author
            values = sealing.seal_values("contact", values, keys.CONTACT_TEXT, actor.id)
        contact = Contact.create(**values)
        values.pop("case")
        audit.record(actor, "contact", contact.id, "insert",
                     dict(values, case=entry.case_id, author=actor.id))
        return contact.id, True


def save_contact(actor: Staff, entry: NewContact, *, on_retry=None) -> tuple[int, bool]:
    """Write ``entry``; returns ``(id, created)``.  Idempotent by UUID."""
    return with_retry(lambda: _insert(actor, entry), on_retry=on_retry)


# -- meeting mode: one text, one entry per student ----------------------------
def meeting_entries(entry: NewContact, cases: list[tuple[int, str]]) -> list[NewContact]:
    """``entry`` once per ``(case id, uuid)``, all sharing ``entry.uuid`` as meeting id."""
    return [dataclasses.replace(entry, uuid=uuid, case_id=case_id, meeting_id=entry.uuid)
            for case_id, uuid in cases]


def save_meeting(actor: Staff, entries: list[NewContact], *, on_retry=None) -> int:
    """Write every entry of a meeting in one transaction (all or none); returns
    how many were new.  Idempotent by UUID, like ``save_contact``."""
    def write() -> int:
        with journal.transaction():
            return sum(_insert(actor, entry)[1] for entry in entries)
    return with_retry(write, on_retry=on_retry)


# -- amending one entry -----------------------------------------------------------
class EntryGone(Exception):
    """The entry was deleted while it was being amended."""


class EntryConflict(Exception):
    """Someone amended the entry after it was loaded: nothing was written.

    ``version`` is the entry's version now; ``by`` (a name, "" if unknown) and
    ``at`` (None if unknown) say who saved it last and when, from the audit log.
    """

    def __init__(self, version: int, by: str, at):
        super().__init__("version")
        self.version, self.by, self.at = version, by, at


@dataclass(slots=True)
class StoredEntry(NewContact):
    """An entry as it is in the file: a ``NewContact`` with the version it was
    loaded at, which an amendment made from it must still find there."""

    version: int = 1


AMENDABLE = ("occurred_at", "kind", "channel", "participants", "duration_min", "discussed",
             "agreed", "follow_up", "follow_up_due", "restricted")


def load_entry(contact_id: int, reader=None) -> tuple[StoredEntry, int] | None:
    """An entry as the form edits it (with its ``version``), and its student's id
    (None if gone).

    With a ``reader``: ``access.NotAllowed`` unless they may change it (their
    own, or anyone's for a coordinator), and for a restricted entry unless they
    may read it too; loading a restricted entry is an opening, so it is audited.
    """
    from db import access

    row = Contact.get_or_none(Contact.id == contact_id)
    if row is None:
        return None
    case = Case.get_by_id(row.case_id)
    if reader is not None:
        if not access.may_edit_entry(reader, row.author_id):
            raise access.NotAllowed("edit_others")
        if row.restricted:
            _opened(reader, row)
    texts = _texts(reader, row)
    entry = StoredEntry(uuid=row.uuid, case_id=row.case_id, occurred_at=row.occurred_at,
                        kind=row.kind, channel=row.channel, participants=texts["participants"],
                        duration_min=row.duration_min, discussed=texts["discussed"],
                        agreed=texts["agreed"], follow_up=texts["follow_up"],
                        follow_up_due=row.follow_up_due, meeting_id=row.meeting_id,
                        restricted=row.restricted, version=row.version)
    return entry, case.student_id


def _texts(reader, row) -> dict:
    """An entry's texts as typed: a sealed one opened with ``reader``'s keys
    (``keys.Sealed`` if they do not open it, or there is no reader)."""
    stored = {name: getattr(row, name) for name in keys.CONTACT_TEXT}
    return sealing.open_values(reader, "contact", stored, keys.CONTACT_TEXT)


def _opened(reader, row: Contact) -> None:
    """``reader`` opens restricted entry ``row``: refused unless they may read
    it, and recorded in the audit log (who, when, which entry) if they may."""
    from db import access

    if not access.reads_restricted(reader, row.case_id, row.author_id):
        raise access.NotAllowed("restricted")
    with journal.transaction():
        audit.record(reader, "contact", row.id, "read", {"restricted": row.restricted})


@dataclass(frozen=True)
class OpenedEntry:
    id: int
    occurred_at: dt.datetime
    kind: str
    channel: str
    author: str
    restricted: str
    participants: str
    discussed: str
    agreed: str
    follow_up: str
    follow_up_due: dt.date | None


def open_restricted(reader, contact_id: int) -> OpenedEntry | None:
    """A restricted entry's text for someone who may read it, audited as an
    opening; ``access.NotAllowed`` for anyone else (nothing is recorded then
    but the refusal's absence of text).  None if the entry is gone."""
    row = (Contact.select(Contact, Staff.name.alias("author_name")).join(Staff)
           .where(Contact.id == contact_id).objects().first())
    if row is None:
        return None
    if row.restricted:
        from db import access

        if access.reads_restricted(reader, row.case_id, row.author_id):
            texts = _texts(reader, row)  # before the opening is recorded: it may not open
        with_retry(lambda: _opened(reader, row))
    else:
        texts = _texts(reader, row)
    return OpenedEntry(row.id, row.occurred_at, row.kind, row.channel, row.author_name,
                       row.restricted, texts["participants"], texts["discussed"],
                       texts["agreed"], texts["follow_up"], row.follow_up_due)


def last_amended(contact_id: int) -> tuple[str, dt.datetime | None]:
    """Who amended entry ``contact_id`` last, and when, as the audit log says
    (``("", None)`` if it does not).  A follow-up marked done is an update of the
    entry too, but not an amendment: only a change of ``AMENDABLE`` fields counts."""
    from db.models import AuditLog

    rows = (AuditLog.select(AuditLog.staff_name, AuditLog.at, AuditLog.changes)
            .where((AuditLog.table_name == "contact") & (AuditLog.row_id == str(contact_id))
                   & (AuditLog.action == "update"))
            .order_by(AuditLog.at.desc(), AuditLog.id.desc()).limit(50))
    for row in rows:
        try:
            changed = json.loads(row.changes or "{}")
        except ValueError:
            continue
        if isinstance(changed, dict) and not changed.keys().isdisjoint(AMENDABLE):
            at = row.at
            if isinstance(at, str):  # as another tool may have stored it
                try:
                    at = dt.datetime.fromisoformat(at)
                except ValueError:
                    at = None
            return row.staff_name or "", at
    return "", None


def amend_contact(actor: Staff, contact_id: int, entry: NewContact, *,
                  expected_version: int | None = None, on_retry=None) -> bool:
    """Change one entry (only this one, even if it came from a meeting); the audit
    log keeps what it said before.  Returns False when nothing changed.

    ``expected_version`` is the version the change was made from (by default
    ``entry.version``, as ``load_entry`` gave it): if someone amended the entry
    since, nothing is written and ``EntryConflict`` says who and when.
    ``access.NotAllowed`` unless it is ``actor``'s own entry or they are a
    coordinator (or administrator); a restricted entry also needs its reader.
    """
    from db import access

    expected = expected_version if expected_version is not None \
        else getattr(entry, "version", None)
    if not isinstance(expected, int):
        raise ValueError("an amendment needs the version it was made from")

    def write() -> bool:
        with journal.transaction():
            row = Contact.get_or_none(Contact.id == contact_id)
            if row is None:
                raise EntryGone(contact_id)
            if actor is not None:
                if not access.may_edit_entry(actor, row.author_id):
                    raise access.NotAllowed("edit_others")
                if row.restricted and not access.reads_restricted(actor, row.case_id,
                                                                  row.author_id):
                    raise access.NotAllowed("restricted")
            if row.version != expected:
                raise EntryConflict(row.version, *last_amended(contact_id))
            stored = {name: getattr(row, name) for name in AMENDABLE}
            before = {**stored, **_texts(actor, row)}
            after = {name: getattr(entry, name) for name in AMENDABLE}
            if not audit.diff(before, after):
                return False
            if after["restricted"]:  # sealed afresh; the log keeps only sealed text
                after = sealing.seal_values("contact", after, keys.CONTACT_TEXT, row.author_id)
            changes = {name: [stored[name], after[name]] for name in AMENDABLE
                       if before[name] != getattr(entry, name)}
            updated = (Contact.update(**after, version=row.version + 1)
                       .where((Contact.id == contact_id) & (Contact.version == expected))
                       .execute())
            if updated != 1:  # pragma: no cover - the write lock prevents this
                raise EntryConflict(row.version, *last_amended(contact_id))
            audit.record(actor, "contact", contact_id, "update", changes)
            return True
    return with_retry(write, on_retry=on_retry)


def merge_amendment(base: dict, mine: dict, theirs: dict) -> tuple[dict, list[str]]:
    """Three-way merge of an amendment form's fields, as a case file's edit
    merges (``audit.merge``): ``base`` the entry as the form was opened from,
    ``mine`` what the form holds, ``theirs`` the entry as it is now.  A field
    ``theirs`` lacks counts as unchanged by them."""
    return audit.merge(mine, base, mine, {**base, **theirs})
