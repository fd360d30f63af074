"""Who may see and change what: the permission matrix as code.

The README's table "Who may do what" is this module in words; each cell that
matters has a test in ``tests/test_access.py``.

- Everyone sees the students of the cases they are on (an active assignment).
- Teachers also see the classes they teach (``staff.classes``); class teachers
  also the classes they head; administrators, coordinators and counsellors see
  every student.
- Volunteers see only their cases, and there not the family's phone numbers,
  WeChat, family notes or the cause analysis.
- Restricted entries and case-file fields (counselling, family conflict,
  referral) are read only by counsellors, administrators and the case's lead
  (and the entry's own author); everyone else sees that one exists, never its
  text.  Even those who may read one open it on purpose, and each opening is in
  the audit log.
- Only administrators and coordinators manage staff, classes, terms, the
  roster and the rules, and change another person's entry; only
  administrators read the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from db.vocab import split_codes

if TYPE_CHECKING:
    from db.models import Rows

EVERYONE_VISIBLE = ("admin", "coordinator", "counsellor")
MANAGERS = ("admin", "coordinator")
RESTRICTED_READERS = ("admin", "counsellor")
VOLUNTEER_HIDDEN = ("guardian_phone", "guardian_wechat", "family_notes", "cause_analysis")

# what each role may do besides seeing students (the README's matrix)
ABILITIES = {
    "manage": MANAGERS,  # staff, classes, terms, roster, rules, subjects, dimensions
    "audit": ("admin",),
    "maintain": ("admin",),  # the file itself: unlock, recover, set-locking
    "edit_others": MANAGERS,  # change another person's entry
    "reports": ("admin", "coordinator", "counsellor", "class_teacher", "teacher"),
    "overview": ("admin", "coordinator", "counsellor", "class_teacher", "teacher"),
    "grid": ("admin", "coordinator", "counsellor", "class_teacher", "teacher"),
    "edit_case": ("admin", "coordinator", "counsellor", "class_teacher", "teacher"),
    # the work with families as a group (screens/families.py): events, feedback, surveys
    "families": ("admin", "coordinator", "counsellor", "class_teacher", "teacher"),
    # a note for the family (db.parent_note): never volunteers, who see no family data
    "parent_note": ("admin", "coordinator", "counsellor", "class_teacher", "teacher"),
    # the programme's oversight (schema v15): supervision figures and scores,
    # adjustments, notices and correction items, flagged entries (db.supervision)
    "supervise": MANAGERS,
    # confirm (or decline) a case proposed as transformed (db.transformation)
    "confirm_transformation": MANAGERS,
    # keep the list of organisations the school works with (db.organisations)
    "organisations": ("admin", "coordinator", "counsellor"),
}


def can(reader, ability: str) -> bool:
    """True when ``reader`` (anything with a ``role``) has ``ability``."""
    return reader is not None and getattr(reader, "role", "") in ABILITIES[ability]


class NotAllowed(Exception):
    """``code`` names the message (``err.access.<code>``)."""

    def __init__(self, code: str = "not_allowed"):
        super().__init__(code)
        self.code = code


def require(reader, ability: str) -> None:
    if not can(reader, ability):
        raise NotAllowed(ability)


@dataclass(frozen=True)
class Scope:
    """Which students a person sees: all, or those in ``class_codes`` plus those
    whose current case has ``staff_id`` on its team."""

    staff_id: int | None
    everyone: bool
    class_codes: frozenset = frozenset()

    def sees_row(self, row) -> bool:
        """For a roster row (``class_code``, ``staff_ids``), without a query."""
        return (self.everyone or row.class_code in self.class_codes
                or self.staff_id in row.staff_ids)


NOBODY = Scope(None, False)


def scope_for(reader) -> Scope:
    """What ``reader`` sees; one small query for class teachers."""
    if reader is None:
        return NOBODY
    role = getattr(reader, "role", "")
    if role in EVERYONE_VISIBLE:
        return Scope(reader.id, True)
    if role == "volunteer":
        return Scope(reader.id, False)
    codes = set(split_codes(_classes_of(reader)))
    if role == "class_teacher":
        from db.models import SchoolClass

        codes |= {c for (c,) in cast("Rows", SchoolClass.select(SchoolClass.code)
                  .where(SchoolClass.head_teacher == reader.id).tuples())}
    return Scope(reader.id, False, frozenset(codes))


def _classes_of(reader) -> str:
    classes = getattr(reader, "classes", None)
    if classes is None:
        from db.models import Staff

        classes = (Staff.select(Staff.classes).where(Staff.id == reader.id).scalar() or "")
    return classes


def sees_student(reader, student_id: int) -> bool:
    """The same rule as ``Scope.sees_row``, asked of the file for one student."""
    scope = scope_for(reader)
    if scope.everyone:
        return True
    from db.models import Assignment, Case, SchoolClass, Student

    code = (Student.select(SchoolClass.code).join(SchoolClass)
            .where(Student.id == student_id).scalar())
    if code and code in scope.class_codes:
        return True
    return (Assignment.select().join(Case)
            .where(Case.student == student_id, Assignment.staff == reader.id,
                   Assignment.active == True).exists())  # noqa: E712


def is_lead(reader, case_id: int | None) -> bool:
    if reader is None or case_id is None:
        return False
    from db.models import Assignment

    return (Assignment.select().where(Assignment.case == case_id,
                                      Assignment.staff == reader.id,
                                      Assignment.role == "lead",
                                      Assignment.active == True).exists())  # noqa: E712


def reads_restricted(reader, case_id: int | None, author_id: int | None = None,
                     *, lead: bool | None = None) -> bool:
    """May ``reader`` read a restricted entry (or field) of this case?"""
    if reader is None:
        return False
    if getattr(reader, "role", "") in RESTRICTED_READERS:
        return True
    if author_id is not None and author_id == reader.id:
        return True
    return is_lead(reader, case_id) if lead is None else lead


def hidden_fields(reader) -> tuple[str, ...]:
    """Fields this reader never sees (volunteers: the family's details)."""
    return VOLUNTEER_HIDDEN if getattr(reader, "role", "") == "volunteer" else ()


def may_edit_entry(reader, author_id: int) -> bool:
    """One's own entry, or anyone's with the coordinator role (or administrator)."""
    return reader is not None and (reader.id == author_id or can(reader, "edit_others"))


def sees_class(scope: Scope, class_id: int) -> bool:
    """A whole class (the score grid): everyone's, or one of ``scope``'s classes."""
    if scope.everyone:
        return True
    from db.models import SchoolClass

    code = SchoolClass.select(SchoolClass.code).where(SchoolClass.id == class_id).scalar()
    return bool(code) and code in scope.class_codes
