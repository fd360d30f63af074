"""The organisations the school works with (合作机构): a counselling centre, a
hospital, civil affairs (民政: 低保, 临时救助), the women's federation (妇联), the
police, a volunteer group, a village committee.  Referrals (``db.referrals``)
and outside helpers on a case's team (``db.outside_helpers``) name one.

- Seeing the list: everyone who works on cases (``edit_case``; volunteers,
  who see no referral, do not).
- Adding, changing and deactivating one: ability ``organisations``
  (administrators, coordinators, counsellors).  An organisation is never
  deleted: ``deactivate`` takes it off the choices, and the referrals and
  helpers that name it keep it.
- Every change checks the version the form was opened at and is audited.
"""

from __future__ import annotations

import uuid as uuidlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from db import access, audit, clock
from db.models import Organisation
from db.store import journal
from db.text import clean, one_line
from db.vocab import ORGANISATION_KINDS

if TYPE_CHECKING:
    from db.models import Rows

MAX_NAME = 200  # err.too_long_line says 200
MAX_NOTE = 4000  # err.too_long says 4,000


class OrganisationError(ValueError):
    """Values refused, nothing written: ``errors`` maps a field to a catalog key."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(", ".join(errors))
        self.errors = errors


class OrganisationGone(Exception):
    """No such organisation."""


class OrganisationConflict(Exception):
    """Someone saved it after it was opened: nothing was written."""


@dataclass(slots=True)
class OrganisationRow:
    id: int
    name: str
    kind: str
    phone: str
    note: str
    active: bool
    version: int


def may_see(reader) -> bool:
    return access.can(reader, "edit_case")


def may_manage(reader) -> bool:
    return access.can(reader, "organisations")


def list_organisations(reader, *, active_only: bool = False) -> list[OrganisationRow]:
    """The list, active ones first, each group by name; [] for who may not see it."""
    if not may_see(reader):
        return []
    query = Organisation.select(Organisation.id, Organisation.name, Organisation.kind,
                                Organisation.phone, Organisation.note, Organisation.active,
                                Organisation.version)
    if active_only:
        query = query.where(Organisation.active == True)  # noqa: E712
    rows = [OrganisationRow(i, n, k, p or "", note or "", bool(a), v)
            for i, n, k, p, note, a, v in cast("Rows", query.order_by(Organisation.name).tuples())]
    return sorted(rows, key=lambda r: not r.active)


def get_organisation(reader, organisation_id: int) -> OrganisationRow:
    for row in list_organisations(reader):
        if row.id == organisation_id:
            return row
    raise OrganisationGone(organisation_id)


def match(rows: list[OrganisationRow], text: str) -> list[OrganisationRow]:
    """The active organisations ``text`` names: the one of that exact name, else
    those whose name holds it (case ignored)."""
    text = one_line(text).strip().lower()
    if not text:
        return []
    active = [r for r in rows if r.active]
    exact = [r for r in active if r.name.lower() == text]
    return exact or [r for r in active if text in r.name.lower()]


def _values(data: dict) -> dict:
    errors: dict[str, str] = {}
    name = one_line(clean(data.get("name", ""))).strip()
    if not name:
        errors["name"] = "err.org.name_required"
    elif len(name) > MAX_NAME:
        errors["name"] = "err.too_long_line"
    kind = data.get("kind", "")
    if kind not in ORGANISATION_KINDS:
        errors["kind"] = "err.choice"
    phone = one_line(clean(data.get("phone", ""))).strip()
    if len(phone) > MAX_NAME:
        errors["phone"] = "err.too_long_line"
    note = clean(data.get("note", "")).strip()
    if len(note) > MAX_NOTE:
        errors["note"] = "err.too_long"
    if errors:
        raise OrganisationError(errors)
    return dict(name=name, kind=kind, phone=phone, note=note)


def _taken(name: str, but: int | None = None) -> bool:
    query = Organisation.select().where(Organisation.name == name)
    if but is not None:
        query = query.where(Organisation.id != but)
    return query.exists()


def add_organisation(actor, data: dict) -> int:
    """A new organisation (``data``: name, kind, phone, note); returns its id."""
    if not may_manage(actor):
        raise access.NotAllowed("organisations")
    values = _values(data)
    with journal.transaction():
        if _taken(values["name"]):
            raise OrganisationError({"name": "err.org.name_taken"})
        uuid = uuidlib.uuid4().hex
        row = Organisation.create(uuid=uuid, updated_at=clock.now(), **values)
        audit.record(actor, "organisation", row.id, "insert", {**values, "uuid": uuid})
        return row.id


def _change(actor, organisation_id: int, expected: int, values: dict) -> bool:
    if not may_manage(actor):
        raise access.NotAllowed("organisations")
    with journal.transaction():
        row = Organisation.get_or_none(Organisation.id == organisation_id)
        if row is None:
            raise OrganisationGone(organisation_id)
        if row.version != expected:
            raise OrganisationConflict(organisation_id)
        if "name" in values and _taken(values["name"], organisation_id):
            raise OrganisationError({"name": "err.org.name_taken"})
        changes = audit.diff({k: getattr(row, k) for k in values}, values)
        if not changes:
            return False
        Organisation.update(**values, version=expected + 1, updated_at=clock.now()).where(
            Organisation.id == organisation_id, Organisation.version == expected).execute()
        audit.record(actor, "organisation", organisation_id, "update",
                     dict(changes, version=[expected, expected + 1]))
        return True


def update_organisation(actor, organisation_id: int, data: dict, expected_version: int) -> bool:
    """Change its name, kind, phone, note (and ``active`` when given)."""
    values = _values(data)
    if "active" in data:
        values["active"] = bool(data["active"])
    return _change(actor, organisation_id, expected_version, values)


def deactivate(actor, organisation_id: int, expected_version: int) -> bool:
    """Off the choices (the rows that name it keep it)."""
    return _change(actor, organisation_id, expected_version, {"active": False})
