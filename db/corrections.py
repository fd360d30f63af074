"""A month's notice (通报) and its correction items (整改).

- The notice of a month: the helpers whose supervision score for the month
  is below the school's threshold (``db.supervision``), and the correction
  items issued for that month (``notice``).
- A correction item: a helper, the notice's month, what is to be corrected
  (required, at most ``MAX_WHAT`` characters) and by when (not before today).
  Issued by a "supervise" role (administrators, coordinators) one at a time
  (``add_correction``) or for the whole notice at once (``issue_notice``: one
  item for each helper below the threshold who has none for the month yet;
  the same call again issues nothing new).
- Marking it done (with a note): the helper it is for, or a "supervise" role;
  version-checked (``CorrectionConflict``) and audited, like every change.
- Who sees items: "supervise" roles every one; everyone else their own.
- An open item stays on the helper's caseload and on the caseload of the one
  who issued it until it is done (``corrections_due``), once it is due within
  the caseload's horizon (or overdue), like other caseload items.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid as uuidlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

from peewee import JOIN

from db import access, audit, clock
from db.dates import DateError, as_date, parse_date
from db.models import AuditLog, Correction, Staff
from db.store import journal
from db.text import clean, one_line

if TYPE_CHECKING:
    from db.models import Rows
    from db.workflow import DueItem

MAX_WHAT = 500
MAX_NOTE = 500
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class CorrectionError(ValueError):
    """Values refused, nothing written: ``errors`` maps each bad field to the
    catalog key that says why (``err.correction.*``, ``err.date.*``)."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(", ".join(errors))
        self.errors = errors


class CorrectionGone(Exception):
    """The item was deleted (or is not one this person sees)."""


class CorrectionConflict(Exception):
    """Someone saved the item after it was opened: nothing was written.
    ``by`` (a name, "" if unknown) and ``at`` say who saved it last and when."""

    def __init__(self, version: int, by: str, at):
        super().__init__("version")
        self.version, self.by, self.at = version, by, at


@dataclass(slots=True)
class CorrectionRow:
    id: int
    uuid: str
    staff_id: int
    staff_name: str
    month: str
    what: str
    due_on: dt.date
    issued_by_id: int | None
    issued_by: str
    issued_on: dt.date
    done_on: dt.date | None
    done_note: str
    version: int

    @property
    def is_open(self) -> bool:
        return self.done_on is None

    def overdue(self, today: dt.date) -> bool:
        return self.is_open and self.due_on < today


# -- who may ------------------------------------------------------------------------

def may_issue(reader) -> bool:
    return access.can(reader, "supervise")


def may_mark_done(reader, row: CorrectionRow) -> bool:
    return reader is not None and (row.staff_id == reader.id or may_issue(reader))


def _visible(reader):
    """A WHERE condition for the items ``reader`` sees; None: none at all."""
    if reader is None:
        return None
    if may_issue(reader):
        return Correction.id.is_null(False)
    return Correction.staff == reader.id


# -- months -------------------------------------------------------------------------

def check_month(month: str) -> str:
    """``month`` as "YYYY-MM"; ``CorrectionError`` if it is not one."""
    found = _MONTH.match((month or "").strip())
    if not found or not 1 <= int(found.group(2)) <= 12:
        raise CorrectionError({"month": "err.correction.month"})
    return found.group(0)


def this_month(today: dt.date | None = None) -> str:
    return f"{today or clock.today():%Y-%m}"


def shift_month(month: str, delta: int) -> str:
    """The month ``delta`` months after (before, when negative) ``month``."""
    year, mon = (int(x) for x in check_month(month).split("-"))
    n = year * 12 + mon - 1 + delta
    return f"{n // 12:04d}-{n % 12 + 1:02d}"


# -- reading ------------------------------------------------------------------------

def _query(where):
    issuer = Staff.alias()
    return (Correction.select(Correction.id, Correction.uuid, Correction.staff, Staff.name,
                              Correction.month, Correction.what, Correction.due_on,
                              Correction.issued_by, issuer.name, Correction.issued_on,
                              Correction.done_on, Correction.done_note, Correction.version)
            .join(Staff, on=(Correction.staff == Staff.id))
            .switch(Correction)
            .join(issuer, JOIN.LEFT_OUTER, on=(Correction.issued_by == issuer.id))
            .where(where))


def _row(values) -> CorrectionRow:
    (cid, uuid, sid, name, month, what, due, by_id, by, issued, done, note, version) = values
    return CorrectionRow(cid, uuid, sid, name or "", month, what or "",
                         cast(dt.date, as_date(due)), by_id, by or "",
                         cast(dt.date, as_date(issued)), as_date(done), note or "", version)


def corrections(reader, month: str = "", open_only: bool = False) -> list[CorrectionRow]:
    """The items ``reader`` sees (of ``month`` when given): open ones first,
    each group by due date, then the helper's name."""
    where = _visible(reader)
    if where is None:
        return []
    if month:
        where &= Correction.month == check_month(month)
    if open_only:
        where &= Correction.done_on.is_null()
    rows = [_row(r) for r in cast("Rows", _query(where).order_by(
        Correction.due_on, Staff.pinyin, Staff.name, Correction.id).tuples())]
    return sorted(rows, key=lambda r: not r.is_open)  # (stable: the order within each)


def get_correction(reader, correction_id: int) -> CorrectionRow:
    """One item as ``reader`` may see it; ``CorrectionGone`` otherwise."""
    where = _visible(reader)
    if where is None:
        raise CorrectionGone(correction_id)
    found = _query(where & (Correction.id == correction_id)).tuples().first()
    if found is None:
        raise CorrectionGone(correction_id)
    return _row(found)


# -- issuing ------------------------------------------------------------------------

def _what(value: str, errors: dict) -> str:
    text = clean(value or "").strip()
    if not text:
        errors["what"] = "err.correction.what_required"
    elif len(text) > MAX_WHAT:
        errors["what"] = "err.correction.too_long"
    return text


def _due(value, errors: dict, today: dt.date) -> dt.date | None:
    if isinstance(value, dt.date):
        due = value
    elif not (value or "").strip():
        errors["due"] = "err.date.empty"
        return None
    else:
        try:
            due = parse_date(value, today, prefer="future")
        except DateError as exc:
            errors["due"] = f"err.date.{exc.code}"
            return None
    if due < today:
        errors["due"] = "err.correction.due_past"
    return due


def _helper(staff_id, errors: dict) -> None:
    row = Staff.get_or_none(Staff.id == staff_id) if staff_id else None
    if row is None or not row.active:
        errors["staff"] = "err.correction.staff_unknown"


def add_correction(actor, staff_id: int, month: str, what: str, due_on: dt.date | str,
                   *, uuid: str = "") -> int:
    """A correction item for ``staff_id`` in ``month``'s notice; returns its id.
    The same ``uuid`` again writes nothing and returns the first one's id."""
    if not may_issue(actor):
        raise access.NotAllowed("supervise")
    today = clock.today()
    errors: dict[str, str] = {}
    try:
        month = check_month(month)
    except CorrectionError as exc:
        errors.update(exc.errors)
    text = _what(what, errors)
    due = _due(due_on, errors, today)
    uuid = uuid or uuidlib.uuid4().hex
    with journal.transaction():
        same = Correction.get_or_none(Correction.uuid == uuid)
        if same is not None:
            return same.id
        _helper(staff_id, errors)
        if errors:
            raise CorrectionError(errors)
        return _create(actor, staff_id, month, text, cast(dt.date, due), today, uuid)


def _create(actor, staff_id: int, month: str, what: str, due: dt.date, today: dt.date,
            uuid: str) -> int:
    values = dict(staff=staff_id, month=month, what=what, due_on=due, issued_by=actor.id,
                  issued_on=today)
    row = Correction.create(uuid=uuid, updated_at=clock.now(), **values)
    audit.record(actor, "correction", row.id, "insert", {**values, "uuid": uuid})
    return row.id


# -- the notice ---------------------------------------------------------------------

@dataclass(slots=True)
class NoticeRow:
    """A helper below the threshold in a month's notice."""

    staff_id: int
    name: str
    role: str
    score: int
    items: list[CorrectionRow] = field(default_factory=list)  # issued for the month


@dataclass(slots=True)
class Notice:
    month: str
    threshold: int
    below: list[NoticeRow]
    items: list[CorrectionRow]  # every item issued for the month

    @property
    def without_item(self) -> list[NoticeRow]:
        return [row for row in self.below if not row.items]


def notice(reader, month: str) -> Notice:
    """The month's notice: the helpers whose score is below the threshold, and
    the items issued for the month (``reader``: a "supervise" role)."""
    from db.supervision import supervision

    access.require(reader, "supervise")
    month = check_month(month)
    report = supervision(clock.today(), "month", reader=reader, month=month)
    items = corrections(reader, month)
    below = [NoticeRow(h.staff_id, h.name, h.role, cast(int, h.score),
                       [i for i in items if i.staff_id == h.staff_id]) for h in report.below]
    return Notice(month, report.rubric.threshold, below, items)


def issue_notice(actor, month: str, due_on: dt.date | str, what_default: str) -> list[int]:
    """One correction item (``what_default``, due ``due_on``) for each helper
    below the threshold in ``month`` who has none for that month; the new
    items' ids (none when every one has an item already)."""
    if not may_issue(actor):
        raise access.NotAllowed("supervise")
    today = clock.today()
    errors: dict[str, str] = {}
    month = check_month(month)
    text = _what(what_default, errors)
    due = _due(due_on, errors, today)
    if errors:
        raise CorrectionError(errors)
    found = notice(actor, month)
    made = []
    with journal.transaction():
        for row in found.without_item:
            has = (Correction.select().where(Correction.staff == row.staff_id,
                                             Correction.month == month).exists())
            if not has:
                made.append(_create(actor, row.staff_id, month, text, cast(dt.date, due),
                                    today, uuidlib.uuid4().hex))
    return made


# -- marking done -------------------------------------------------------------------

def last_saved(correction_id: int) -> tuple[str, dt.datetime | None]:
    row = (AuditLog.select(AuditLog.staff_name, AuditLog.at)
           .where((AuditLog.table_name == "correction")
                  & (AuditLog.row_id == str(correction_id)))
           .order_by(AuditLog.id.desc()).first())
    return (row.staff_name, row.at) if row else ("", None)


def mark_done(actor, correction_id: int, note: str = "",
              expected_version: int | None = None) -> bool:
    """The item done today, with ``note``: off both caseloads from then on.
    False when it was done already (nothing written)."""
    errors: dict[str, str] = {}
    text = clean(note or "").strip()
    if len(text) > MAX_NOTE:
        errors["note"] = "err.correction.too_long"
    if errors:
        raise CorrectionError(errors)
    with journal.transaction():
        try:
            row = get_correction(actor, correction_id)
        except CorrectionGone:
            if Correction.select().where(Correction.id == correction_id).exists():
                raise access.NotAllowed("correction") from None
            raise
        if not may_mark_done(actor, row):
            raise access.NotAllowed("correction")
        if expected_version is not None and row.version != expected_version:
            raise CorrectionConflict(row.version, *last_saved(correction_id))
        if not row.is_open:
            return False
        today = clock.today()
        updated = (Correction.update(done_on=today, done_note=text, version=row.version + 1,
                                     updated_at=clock.now())
                   .where((Correction.id == correction_id)
                          & (Correction.version == row.version))
                   .execute())
        if updated != 1:  # pragma: no cover - the write lock prevents this
            raise CorrectionConflict(row.version, *last_saved(correction_id))
        audit.record(actor, "correction", correction_id, "update",
                     {"done_on": [None, today], "done_note": [row.done_note, text],
                      "version": [row.version, row.version + 1]})
        return True


# -- the caseload -------------------------------------------------------------------

def corrections_due(staff_id: int, today: dt.date, days: int = 7) -> list[DueItem]:
    """Every open item as a caseload item, however far off its date (a
    correction item stays on both caseloads until it is done; ``today`` and
    ``days`` are the caseload's and do not limit it): ``what="correction"``,
    ``correction_id`` set, ``text`` what is to be corrected; those issued to
    ``staff_id`` (``name`` "") and those ``staff_id`` issued to someone else
    (``name`` the helper's)."""
    from db.workflow import DueItem

    query = (Correction.select(Correction.id, Correction.staff, Staff.name, Correction.what,
                               Correction.due_on)
             .join(Staff, on=(Correction.staff == Staff.id))
             .where(Correction.done_on.is_null(),
                    (Correction.staff == staff_id) | (Correction.issued_by == staff_id))
             .order_by(Correction.due_on, Correction.id))
    return [DueItem(0, 0, "" if sid == staff_id else one_line(name or ""), "", "", "correction",
                    cast(dt.date, as_date(due)), text=one_line(what), correction_id=cid)
            for cid, sid, name, what, due in cast("Rows", query.tuples())]
