"""Staff accounts (sign-in by name for now; PINs and roles come later)."""

from __future__ import annotations

from db import audit, clock, journal
from db.models import Staff
from db.search import normalise_query
from db.staff_view import StaffView, filter_staff
from db.text import one_line


def list_staff() -> list[StaffView]:
    query = (Staff.select(Staff.id, Staff.name, Staff.role, Staff.pinyin, Staff.initials)
             .where(Staff.active == True)  # noqa: E712
             .order_by(Staff.pinyin, Staff.name))  # 陈 before 王 for Chinese readers
    return [StaffView(*row) for row in query.tuples()]


def find_staff(query: str) -> list[StaffView]:
    """Active staff whose name (or pinyin) equals, else contains, ``query``."""
    views = list_staff()
    q = normalise_query(query)
    exact = [s for s in views if q in (s.name.lower(), *s.pinyin.split("|"))]
    return exact or filter_staff(views, query)


def add_staff(actor: Staff | None, name: str, role: str = "teacher") -> Staff:
    from db.pinyin import name_keys

    name = one_line(name)
    if not name:
        raise ValueError("name")
    pinyin, initials = name_keys(name)
    with journal.transaction():
        staff = Staff.create(name=name, role=role, pinyin=pinyin, initials=initials,
                             created_at=clock.now())
        audit.record(actor, "staff", staff.id, "insert", {"name": name, "role": role})
    return staff
