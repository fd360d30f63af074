"""Classes (班级): found by code or name, or made as needed by the student
editor and the roster import.

A class's code is ``grade-number`` ("7-3") and its name the usual Chinese one
(七年级(3)班, 一年级(2)班, 高一(1)班), as in the demo school.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from db import audit
from db.models import SchoolClass

class ClassError(ValueError):
    pass


@dataclass(frozen=True)
class PlannedClass:
    code: str
    name: str
    grade: int
    id: int | None = None  # None: to be made by ensure_class


def planned(grade: int, number: int) -> PlannedClass:
    from db.roster_cells import class_name

    if not 1 <= grade <= 12 or not 0 < number < 100:
        raise ClassError(f"{grade}-{number}")
    return PlannedClass(f"{grade}-{number}", class_name(grade, number), grade)


def find_or_plan_class(text: str) -> PlannedClass:
    """An existing class by its code or name, else the class ``text`` names
    ("7-3", "七年级(3)班", "初一3班"), to be made on save; ``ClassError`` if neither."""
    raw = unicodedata.normalize("NFKC", text or "").strip()
    compact = "".join(raw.split())
    row = (SchoolClass.select().where((SchoolClass.code == compact) | (SchoolClass.name == raw)
                                      | (SchoolClass.name == compact)).first())
    if row is not None:
        return PlannedClass(row.code, row.name, row.grade, row.id)
    from db.roster_cells import parse_class

    grade, number = parse_class(compact) or (None, None)
    if not grade or not number:
        raise ClassError(raw)
    wanted = planned(grade, number)
    row = SchoolClass.get_or_none(SchoolClass.code == wanted.code)
    return PlannedClass(row.code, row.name, row.grade, row.id) if row else wanted


def ensure_class(actor, plan: PlannedClass) -> int:
    """The class's id, made now if it is new (inside the caller's transaction)."""
    if plan.id is not None:
        return plan.id
    row = SchoolClass.get_or_none(SchoolClass.code == plan.code)
    if row is None:
        row = SchoolClass.get_or_none(SchoolClass.name == plan.name)
    if row is not None:
        return row.id
    row = SchoolClass.create(code=plan.code, name=plan.name, grade=plan.grade)
    audit.record(actor, "school_class", row.id, "insert",
                 {"code": plan.code, "name": plan.name, "grade": plan.grade})
    return row.id


