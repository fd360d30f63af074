"""The students a reader may open, as SQL for the queries that read many at once.

The overview, the reports and the exports read the whole school in a few flat
queries; whatever a person may not open must not reach them by name, so those
queries are narrowed here, in the file, by the same rule as
``db.access.sees_student`` (``Scope.sees_row`` in memory): a student in one of
the reader's classes (taught or headed), or a student with an active
assignment for the reader on any of their cases.  A scope that sees everyone
(administrators, coordinators, counsellors) is not narrowed at all.

Two spellings of the one rule: ``student_sql`` for hand-written SQL (SQLite's
``?`` placeholders, which ``db.store.server`` rewrites for PostgreSQL) and
``student_query`` for Peewee.  ``tests/test_scope_leaks.py`` checks both
against ``sees_student`` on random schools.
"""

from __future__ import annotations

from db.access import Scope


def student_sql(scope: Scope) -> tuple[str, list] | None:
    """A ``SELECT`` of the ids of the students ``scope`` sees and its
    parameters; ``None`` when it sees every student."""
    if scope.everyone:
        return None
    # a scope of no one (staff_id None) matches no assignment: no student
    sql = ("SELECT f.student_id FROM case_file f JOIN assignment a ON a.case_id = f.id "
           "WHERE a.staff_id = ? AND a.active")
    params: list = [scope.staff_id]
    codes = sorted(scope.class_codes)
    if codes:
        sql = ("SELECT s.id FROM student s JOIN school_class k ON k.id = s.school_class_id "
               f"WHERE k.code IN ({','.join('?' * len(codes))}) UNION " + sql)
        params = [*codes, *params]
    return sql, params


def only_students(scope: Scope, column: str) -> tuple[str, list]:
    """``" AND <column> IN (…)"`` and its parameters for a query whose
    ``column`` holds a student id; ``("", [])`` when ``scope`` sees everyone."""
    found = student_sql(scope)
    if found is None:
        return "", []
    sql, params = found
    return f" AND {column} IN ({sql})", params


def student_query(scope: Scope):
    """The same as ``student_sql`` as a Peewee subquery (``None``: everyone)."""
    if scope.everyone:
        return None
    from db.models import Assignment, Case, SchoolClass, Student

    on_team = (Case.select(Case.student).join(Assignment)
               .where(Assignment.staff == scope.staff_id,
                      Assignment.active == True))  # noqa: E712
    if not scope.class_codes:
        return on_team
    in_class = (Student.select(Student.id).join(SchoolClass)
                .where(SchoolClass.code.in_(sorted(scope.class_codes))))
    return in_class | on_team
