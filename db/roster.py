"""Loading the roster into memory for search, and finding one student."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, cast

from peewee import JOIN, Case as SqlCase, fn

from db.models import Assignment, Case, Contact, SchoolClass, Staff, Student
from db.dates import as_date
from db.store.dialect import on_server
from db.text import one_line
from db.search import RosterRow, class_query, normalise_query
from db.search_index import RosterIndex
from db.search_match import LETTERS, MARK
from db.vocab import OPEN_STATUSES

if TYPE_CHECKING:
    from db.models import Rows


def _rows_of(query):
    """Plain tuples straight from the cursor: no ORM row objects, no result cache
    (the roster is built from 20,000 of them and stays in memory)."""
    sql, params = query.sql()
    return query.model._meta.database.execute_sql(sql, params)


def load_rows(student_ids: list[int] | None = None) -> list[RosterRow]:
    """One row per student: class, current case, lead, last contact.

    Four flat queries merged in Python (no per-student queries), so 20,000
    students load in well under a second even over a share.
    """
    students = (Student
                .select(Student.id, Student.student_no, Student.name,
                        SchoolClass.name, SchoolClass.code, *search_keys())
                .join(SchoolClass, JOIN.LEFT_OUTER))
    cases = Case.select(Case.id, Case.student, Case.status).order_by(Case.id)
    if student_ids is not None:
        students = students.where(Student.id.in_(student_ids))
        cases = cases.where(Case.student.in_(student_ids))

    # the student's current case: an open one if any, else the newest
    current: dict[int, tuple[int, str]] = {}
    for case_id, student_id, status in _rows_of(cases):
        held = current.get(student_id)
        if held is None or status in OPEN_STATUSES or held[1] not in OPEN_STATUSES:
            current[student_id] = (case_id, status)
    case_ids = [c for c, _ in current.values()]

    team: dict[int, set[int]] = {}
    leads: dict[int | None, str] = {}  # looked up with None: no case
    assignments = (Assignment
                   .select(Assignment.case, Assignment.staff, Assignment.role, Staff.name)
                   .join(Staff)
                   .where(Assignment.active == True))  # noqa: E712
    if student_ids is not None:
        assignments = assignments.where(Assignment.case.in_(case_ids))
    for case_id, staff_id, role, staff_name in _rows_of(assignments):
        team.setdefault(case_id, set()).add(staff_id)
        if role == "lead" and case_id not in leads:
            leads[case_id] = staff_name

    last: dict[int | None, tuple] = {}
    if on_server():  # the newest entry per case, in the server's words
        latest = (Contact.select(Contact.case, Contact.occurred_at, Contact.channel)
                  .distinct(Contact.case).order_by(Contact.case, Contact.occurred_at.desc()))
    else:  # SQLite gives the bare column (channel) of the row holding the MAX
        latest = (Contact
                  .select(Contact.case, fn.MAX(Contact.occurred_at), Contact.channel)
                  .group_by(Contact.case))
    if student_ids is not None:
        latest = latest.where(Contact.case.in_(case_ids))
    for case_id, occurred, channel in _rows_of(latest):
        last[case_id] = (as_date(occurred), channel)

    # the roster stays in memory all session: share the values that repeat
    # (class, status, lead, channel, date) instead of one copy per student
    shared: dict = {}

    def one(value):
        return shared.setdefault(value, value)

    no_staff: frozenset[int] = frozenset()
    rows = []
    for sid, no, name, class_name, class_code, hay, sounds in _rows_of(students):
        case_id, status = current.get(sid, (None, ""))
        last_date, last_channel = last.get(case_id, (None, ""))
        rows.append(RosterRow(
            student_id=sid, student_no=no, class_name=one(class_name or ""),
            name=name if name.isprintable() else one_line(name),  # stored by another tool
            class_code=one(class_code or ""), case_id=case_id, status=one(status),
            lead=one(leads.get(case_id, "")),
            staff_ids=frozenset(team[case_id]) if case_id in team else no_staff,
            last_date=one(last_date), last_channel=one(last_channel), hay=hay, sounds=sounds))
    return rows


def search_keys():
    """The search keys of ``RosterRow.build_hay`` (``hay``, ``sounds``), made
    by the database.

    Built in the query so the stored pinyin never becomes a Python string of
    its own: with 20,000 students that saves megabytes of loader garbage.
    """
    server = on_server()
    sep = fn.CHR(1) if server else fn.CHAR(1)
    row = fn.CHR(2) if server else fn.CHAR(2)

    def ascii_lower(column):  # '' for text with any non-ASCII character
        column = fn.COALESCE(column, "")
        other = column.regexp("[^ -~]") if server else fn.GLOB("*[^ -~]*", column)
        return SqlCase(None, [(other, "")], fn.LOWER(column))

    hay = row.concat(sep)
    for i, column in enumerate((Student.name, Student.student_no, SchoolClass.name,
                                SchoolClass.code)):
        hay = hay.concat(ascii_lower(column)) if i == 0 else \
            hay.concat(sep).concat(ascii_lower(column))
    # (db.search.sounds_key: each reading SEP-led, each syllable led by ', and
    # keys stored before syllables were kept apart with their initials too)
    pinyin, initials = fn.COALESCE(Student.pinyin, ""), fn.COALESCE(Student.initials, "")
    lead = sep.concat(MARK)
    readings = lead.concat(fn.REPLACE(pinyin, "|", lead))
    sounds = SqlCase(None, [
        (pinyin == "", ""),
        (pinyin.contains(MARK) | (initials == ""), readings)],
        readings.concat(lead).concat(fn.REPLACE(initials, "|", lead)))
    return hay, row.concat(sounds)


def load_index(query: str | None = None, scope=None) -> RosterIndex:
    """The roster, or with ``query`` only the students it can match; with a
    ``db.access.Scope``, only the students it sees.

    The command line answers one question per process, so it lets SQLite
    narrow the roster first (a superset: the index then matches exactly)
    instead of loading every student.
    """
    if query is None:
        return _index(scope, load_rows())
    q = normalise_query(query)
    if not q or "\x00" in q:  # (a server's string literal cannot hold NUL: no narrowing)
        return _index(scope, load_rows())
    klass = class_query(q)
    if klass is not None and q.isascii():  # "7-1": that class (the index says which)
        found = SchoolClass.code.startswith(klass[0])
    elif q.isascii():
        found = search_keys()[0].contains(q)
        if LETTERS(q):  # at syllable boundaries: at least the letters in order
            found = found | (fn.COALESCE(Student.pinyin, "") ** ("%" + "%".join(q) + "%"))
        else:  # signs a name holds ("[bold]王"), from a syllable's start
            found = found | Student.pinyin.contains(q)
    else:
        # the index matches names as queries are normalised ("王 芳" for 王芳,
        # "七年级（1）班" for 七年级(1)班), which SQL cannot: narrow by one of the
        # query's Chinese characters, which normalising leaves as they are
        anchor = next((c for c in reversed(q) if "\u3400" <= c <= "\u9fff"), None)
        if anchor is None:
            return _index(scope, load_rows())
        found = Student.name.contains(anchor) | SchoolClass.name.contains(anchor)
        if klass is not None:  # "初一3班" names 7-3, whose name has no 初
            found = found | SchoolClass.code.startswith(klass[0])
    ids = [sid for (sid,) in _rows_of(Student.select(Student.id)
                                      .join(SchoolClass, JOIN.LEFT_OUTER).where(found))]
    if len(ids) > 5000:  # a broad query: one full load is cheaper than a long IN list
        return _index(scope, load_rows())
    return _index(scope, load_rows(ids) if ids else [])


def _index(scope, rows: list[RosterRow]) -> RosterIndex:
    if scope is not None and not scope.everyone:
        rows = [r for r in rows if scope.sees_row(r)]
    return RosterIndex(rows)


class StudentLookupError(Exception):
    """``code`` is ``none`` or ``many``; ``candidates`` lists some matches."""

    def __init__(self, code: str, candidates: Sequence[RosterRow] | None = None):
        super().__init__(code)
        self.code = code
        self.candidates = candidates or []


def resolve_student(index: RosterIndex, query: str) -> RosterRow:
    """A student number, or a query that matches exactly one student."""
    query = (query or "").strip()
    if not query:
        raise StudentLookupError("none")
    exact = index.exact(query)
    by_number = [r for r in exact if r.student_no.lower() == query.lower()]
    if len(by_number) == 1:
        return by_number[0]
    if len(exact) == 1:
        return exact[0]
    if len(exact) > 1:
        raise StudentLookupError("many", exact[:10])
    found = index.search(query, limit=11)
    if len(found) == 1:
        return found[0]
    raise StudentLookupError("many" if found else "none", found[:10])


def change_marker() -> int:
    """The newest audit row id: every write adds one, so it moves on any change."""
    from db.models import AuditLog

    return AuditLog.select(fn.MAX(AuditLog.id)).scalar() or 0


def changed_by_others(since: int, staff_id: int | None, host: str) -> bool:
    """Whether any write after audit row ``since`` came from someone else."""
    from db.models import AuditLog

    query = AuditLog.select(AuditLog.staff, AuditLog.host).where(AuditLog.id > since)
    return any(s != staff_id or h != host for s, h in cast("Rows", query.tuples()))
