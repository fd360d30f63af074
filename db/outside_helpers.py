"""Outside helpers on a case's team (多对一): people without an account who help
the student, such as a village cadre (村干部) or a volunteer, with their
organisation (``db.organisations``, optional), what they do in the school's
words, their phone and since when.

- Seeing them: everyone who sees the student; volunteers never see their
  phone numbers (like the family's, ``db.access.VOLUNTEER_HIDDEN``).
- Adding and removing one: who may edit cases (``edit_case``) and sees the
  student.  Removing keeps the row, inactive, for the record.  Audited.
"""

from __future__ import annotations

import datetime as dt
import uuid as uuidlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from peewee import JOIN

from db import access, audit, clock
from db.dates import DateError, as_date, parse_date
from db.models import Case, Organisation, OutsideHelper
from db.store import journal
from db.text import clean, one_line

if TYPE_CHECKING:
    from db.models import Rows

MAX_LINE = 200  # err.too_long_line says 200


class HelperError(ValueError):
    """Values refused, nothing written: ``errors`` maps a field to a catalog key."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(", ".join(errors))
        self.errors = errors


@dataclass(slots=True)
class Helper:
    id: int
    name: str
    organisation: str
    role: str
    phone: str  # "" for a volunteer reading it
    since: dt.date | None


def _student(case_id: int) -> int | None:
    return Case.select(Case.student).where(Case.id == case_id).scalar()


def _sees(reader, case_id: int) -> bool:
    student = _student(case_id)
    return reader is not None and student is not None and access.sees_student(reader, student)


def may_change(reader, case_id: int) -> bool:
    return access.can(reader, "edit_case") and _sees(reader, case_id)


def helpers_of_case(reader, case_id: int) -> list[Helper]:
    """The case's active outside helpers, longest on the team first."""
    if not _sees(reader, case_id):
        return []
    hide_phone = "guardian_phone" in access.hidden_fields(reader)
    query = (OutsideHelper.select(OutsideHelper.id, OutsideHelper.name, Organisation.name,
                                  OutsideHelper.role, OutsideHelper.phone, OutsideHelper.since)
             .join(Organisation, JOIN.LEFT_OUTER)
             .where(OutsideHelper.case == case_id, OutsideHelper.active == True)  # noqa: E712
             .order_by(OutsideHelper.since, OutsideHelper.id))
    return [Helper(i, name, org or "", role or "", "" if hide_phone else (phone or ""),
                   as_date(since))
            for i, name, org, role, phone, since in cast("Rows", query.tuples())]


def add_helper(actor, case_id: int, data: dict) -> int:
    """``data``: name (required), organisation (an id or None), role, phone,
    since (a date or text; empty: today).  Returns the new row's id."""
    if not may_change(actor, case_id):
        raise access.NotAllowed("edit_case")
    errors: dict[str, str] = {}
    values = {k: one_line(clean(data.get(k) or "")).strip() for k in ("name", "role", "phone")}
    if not values["name"]:
        errors["name"] = "err.helper.name_required"
    for key, value in values.items():
        if len(value) > MAX_LINE:
            errors[key] = "err.too_long_line"
    org = data.get("organisation") or None
    if org is not None and not Organisation.select().where(Organisation.id == org).exists():
        errors["organisation"] = "err.referral.organisation_unknown"
    since = data.get("since") or clock.today()
    if not isinstance(since, dt.date):
        try:
            since = parse_date(str(since), clock.today(), prefer="past")
        except DateError as exc:
            errors["since"] = f"err.date.{exc.code}"
    if errors:
        raise HelperError(errors)
    with journal.transaction():
        uuid = uuidlib.uuid4().hex
        row = OutsideHelper.create(uuid=uuid, case=case_id, organisation=org, since=since,
                                   updated_at=clock.now(), **values)
        audit.record(actor, "outside_helper", row.id, "insert",
                     {**values, "case": case_id, "organisation": org, "since": since,
                      "uuid": uuid})
        return row.id


def remove_helper(actor, helper_id: int) -> bool:
    """Off the team (the row stays, inactive); False if already off."""
    with journal.transaction():
        row = OutsideHelper.get_or_none(OutsideHelper.id == helper_id)
        if row is None or not row.active:
            return False
        if not may_change(actor, row.case_id):
            raise access.NotAllowed("edit_case")
        OutsideHelper.update(active=False, version=row.version + 1,
                             updated_at=clock.now()).where(OutsideHelper.id == helper_id).execute()
        audit.record(actor, "outside_helper", helper_id, "update",
                     {"active": [True, False], "version": [row.version, row.version + 1]})
        return True
