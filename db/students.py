"""Creating students, guardians and cases (the roster screens come with intake).

Pinyin search keys are computed here, when a name is saved, so reading the
roster never needs the pinyin dictionary.
"""

from __future__ import annotations

from db import audit, clock, journal
from db.models import Assignment, Case, Guardian, Student
from db.text import clean, one_line
from db.vocab import CATEGORIES, CAUSES, join_codes


def create_student(actor, *, student_no: str, name: str, gender: str = "",
                   class_id: int | None = None, birth_date=None, family_flags=(),
                   family_notes: str = "") -> Student:
    from db.pinyin import name_keys

    name = one_line(name)
    pinyin, initials = name_keys(name)
    with journal.transaction():
        student = Student.create(
            student_no=one_line(student_no), name=name, gender=gender,
            school_class=class_id, birth_date=birth_date,
            family_flags=",".join(family_flags), family_notes=clean(family_notes),
            pinyin=pinyin, initials=initials, created_at=clock.now(), updated_at=clock.now())
        audit.record(actor, "student", student.id, "insert",
                     {"student_no": student.student_no, "name": name})
    return student


def add_guardian(actor, student_id: int, *, name: str, relation: str = "",
                 phone: str = "", wechat: str = "", lives_with: bool = False) -> Guardian:
    with journal.transaction():
        guardian = Guardian.create(student=student_id, name=one_line(name), relation=relation,
                                   phone=one_line(phone), wechat=one_line(wechat),
                                   lives_with=lives_with)
        audit.record(actor, "guardian", guardian.id, "insert",
                     {"student": student_id, "name": guardian.name, "relation": relation})
    return guardian


def open_case(actor, student_id: int, *, term_id: int | None = None, status: str = "active",
              categories=(), causes=(), risk_level: str = "medium", lead_id: int | None = None,
              **texts) -> Case:
    with journal.transaction():
        case = Case.create(student=student_id, term=term_id, status=status,
                           categories=join_codes(categories, CATEGORIES),
                           causes=join_codes(causes, CAUSES), risk_level=risk_level,
                           opened_on=clock.today(), updated_at=clock.now(),
                           updated_by=actor.id if actor else None,
                           **{k: clean(v) for k, v in texts.items()})
        audit.record(actor, "case_file", case.id, "insert",
                     {"student": student_id, "status": status})
        if lead_id is not None:
            assignment = Assignment.create(case=case.id, staff=lead_id, role="lead",
                                           assigned_on=clock.today())
            audit.record(actor, "assignment", assignment.id, "insert",
                         {"case": case.id, "staff": lead_id, "role": "lead"})
    return case
