"""The staff list for signing in and for naming someone (PINs: db.accounts)."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from db import audit, clock
from db.store import journal
from db.models import Staff
from db.search import normalise_query
from db.staff_view import StaffView, filter_staff
from db.text import one_line

if TYPE_CHECKING:
    from db.models import Rows


def list_staff() -> list[StaffView]:
    query = (Staff.select(Staff.id, Staff.name, Staff.role, Staff.pinyin, Staff.initials,
                          Staff.classes, Staff.pin_hash != "")
             .where(Staff.active == True)  # noqa: E712
             .order_by(Staff.pinyin, Staff.name))  # 陈 before 王 for Chinese readers
    # (mypy cannot count a star argument of unknown length: six, then has_pin)
    return [StaffView(*row[:6], bool(row[6]))  # type: ignore[call-arg]
            for row in cast("Rows", query.tuples())]


def find_staff(query: str) -> list[StaffView]:
    """Active staff whose name (or pinyin) equals, else contains, ``query``."""
    views = list_staff()
    q = normalise_query(query)
    exact = [s for s in views if q in (s.name.lower(), *s.pinyin.replace("'", "").split("|"))]
    return exact or filter_staff(views, query)


def staff_view(staff_id: int) -> StaffView | None:
    """One active account as the app holds the signed-in person."""
    row = (Staff.select(Staff.id, Staff.name, Staff.role, Staff.pinyin, Staff.initials,
                        Staff.classes, Staff.pin_hash != "").where(Staff.id == staff_id, Staff.active == True)  # noqa: E712
           .tuples().first())
    return StaffView(*row[:6], bool(row[6])) if row else None  # type: ignore[call-arg]  # as above


def add_staff(actor: Staff | None, name: str, role: str = "teacher", *,
              pin_hash: str = "") -> Staff:
    """An account, without a PIN unless a ready ``pin_hash`` is given (its owner
    then chooses one at the first sign-in); for tests and imports.  People are
    added with ``db.accounts.add_account``."""
    from db.pinyin import name_keys

    name = one_line(name)
    if not name:
        raise ValueError("name")
    pinyin, initials = name_keys(name)
    with journal.transaction():
        staff = Staff.create(name=name, role=role, pinyin=pinyin, initials=initials,
                             pin_hash=pin_hash, created_at=clock.now())
        audit.record(actor, "staff", staff.id, "insert", {"name": name, "role": role})
    return staff
