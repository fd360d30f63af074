"""Reading the audit log: the administrator's audit screen and ``bangfu audit``.

``resolve_filter`` turns what was typed (staff, student, dates) into an
``AuditFilter``, ``find_audit`` reads the matching rows newest first as
``AuditRow``s, a restricted entry's text masked (``MASKED``).  Nothing here
changes a row: the log is only ever appended to (``db.audit.record``).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from db import clock
from db.store.dialect import json_number, row_id_number
from db.models import Staff, database

if TYPE_CHECKING:
    from db.staff_view import StaffView


# -- reading the log (the administrator's audit screen and ``bangfu audit``) -------------
#
# Nothing here changes a row: the log is only ever appended to (``record``), and
# schema version 7's triggers refuse UPDATE and DELETE on it.

ACTIONS = ("insert", "update", "delete", "bulk", "read", "sign_in_failed", "seal", "export")
# actions whose changes are ``{field: new}``; the others' are ``{field: [old, new]}``
# (a plain value there, like a deleted score's student, says which row it was)
PLAIN_ACTIONS = ("insert", "read", "export")


class Masked:
    """Stands for a restricted entry's text in what the log shows (the stored
    row keeps it): an administrator opens such an entry only from its case,
    where the opening is audited.  Shown as ``t("access.restricted_entry")``."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<restricted>"


MASKED = Masked()


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str
    old: object  # None for a value that was only set (an insert, an opening)
    new: object
    pair: bool  # stored as [old, new]


@dataclass(frozen=True, slots=True)
class AuditRow:
    id: int
    at: dt.datetime | str  # str only if the stored text is not a date-time
    who: str  # staff_name as it was then, "—" for none (a failed sign-in, an import)
    host: str
    table: str
    row_id: str
    action: str
    changes: dict  # parsed; a restricted entry's texts are MASKED
    staff_id: int | None = None
    masked: bool = False  # some of its values are MASKED

    def fields(self) -> list[FieldChange]:
        """Each field of ``changes`` as old → new (in the stored order: by name)."""
        out = []
        for name, value in self.changes.items():
            if (self.action not in PLAIN_ACTIONS and isinstance(value, list)
                    and len(value) == 2):
                out.append(FieldChange(name, value[0], value[1], True))
            elif self.action == "delete":  # what the removed row held
                out.append(FieldChange(name, value, None, False))
            else:
                out.append(FieldChange(name, None, value, False))
        return out


@dataclass(frozen=True)
class AuditFilter:
    """What ``find_audit`` narrows to; the names are for showing the filter."""

    staff_id: int | None = None
    staff_name: str = ""
    student_id: int | None = None
    student_name: str = ""
    student_no: str = ""
    since: dt.date | None = None
    until: dt.date | None = None


class FilterError(ValueError):
    """A filter that names nobody, several people, or no date.

    ``field``: staff, student, since or until; ``code``: none, many (``names``
    lists some), format, invalid (a date) or range (since after until)."""

    def __init__(self, field_name: str, code: str, names: tuple[str, ...] = ()):
        super().__init__(f"{field_name}: {code}")
        self.field = field_name
        self.code = code
        self.names = names


def resolve_filter(staff: str = "", student: str = "", since: str = "", until: str = "",
                   today: dt.date | None = None) -> AuditFilter:
    """The filter as typed (blank: no filter) → ids and dates; ``FilterError``
    for the first field that does not name exactly one person, student or day.

    A person: an active account by name or pinyin (``db.staff.find_staff``),
    else any account, a disabled one too, of exactly that name.  A student: a
    student number or a query matching one student (``db.roster``)."""
    from db.dates import DateError, parse_date

    today = today or clock.today()
    dates: dict[str, dt.date | None] = {}
    for name, text in (("since", since), ("until", until)):
        text = (text or "").strip()
        if not text:
            dates[name] = None
            continue
        try:
            dates[name] = parse_date(text, today, prefer="past")
        except DateError as exc:
            raise FilterError(name, "invalid" if exc.code == "invalid" else "format") from None
    if dates["since"] and dates["until"] and dates["since"] > dates["until"]:
        raise FilterError("until", "range")
    staff_id, staff_name = _resolve_staff((staff or "").strip())
    student_id = None
    student_name = student_no = ""
    if (student or "").strip():
        from db.roster import StudentLookupError, load_index, resolve_student

        query = student.strip()
        try:
            row = resolve_student(load_index(query), query)
        except StudentLookupError as exc:
            raise FilterError("student", exc.code, tuple(
                f"{r.name} {r.student_no}" for r in exc.candidates[:8])) from None
        student_id, student_name, student_no = row.student_id, row.name, row.student_no
    return AuditFilter(staff_id, staff_name, student_id, student_name, student_no,
                       dates["since"], dates["until"])


def _resolve_staff(query: str) -> tuple[int | None, str]:
    if not query:
        return None, ""
    from db.staff import find_staff

    found: list[StaffView] | list[Staff] = find_staff(query)
    if not found:  # a disabled account still has its history
        found = list(Staff.select(Staff.id, Staff.name).where(Staff.name == query))
    if not found:
        raise FilterError("staff", "none")
    if len(found) > 1:
        raise FilterError("staff", "many", tuple(s.name for s in found[:8]))
    return found[0].id, found[0].name


# Each table whose rows belong to a student, as SQL for its row ids (as the log
# stores them: text) given the student's id; ``cases`` is the student's cases.
# A peer pair belongs to the case's student and to the helper.
_STUDENT_ROWS = {
    "student": "SELECT CAST(:sid AS TEXT)",
    "guardian": "SELECT CAST(id AS TEXT) FROM guardian WHERE student_id = :sid",
    "case_file": "SELECT CAST(id AS TEXT) FROM cases",
    "contact": "SELECT CAST(id AS TEXT) FROM contact WHERE case_id IN (SELECT id FROM cases)",
    "assignment": "SELECT CAST(id AS TEXT) FROM assignment WHERE case_id IN (SELECT id FROM cases)",
    "goal": "SELECT CAST(id AS TEXT) FROM goal WHERE case_id IN (SELECT id FROM cases)",
    "stage_review": "SELECT CAST(id AS TEXT) FROM stage_review WHERE case_id IN (SELECT id FROM cases)",
    "peer_pair": ("SELECT CAST(id AS TEXT) FROM peer_pair "
                  "WHERE case_id IN (SELECT id FROM cases) OR helper_id = :sid"),
}
# Scores and check-ins are also removed (a cleared cell): a removed row's history
# is found through its delete row, which says whose it was.  Row ids may be
# used again after a removal, so a row's student is the one its next delete row
# names, else the one the file holds now.
_REMOVABLE = ("score", "checkin")


def _removable_rows(table: str) -> str:
    return (
        f"SELECT a.id FROM audit_log a WHERE a.table_name = '{table}' AND a.row_id IN ("
        f"SELECT CAST(id AS TEXT) FROM {table} WHERE student_id = :sid "
        f"UNION SELECT row_id FROM audit_log WHERE table_name = '{table}' AND action = 'delete' "
        f"AND {json_number('changes', 'student')} = :sid) "
        f"AND COALESCE((SELECT {json_number('d.changes', 'student')} FROM audit_log d "
        f"WHERE d.table_name = '{table}' AND d.row_id = a.row_id AND d.action = 'delete' "
        "AND d.id >= a.id ORDER BY d.id LIMIT 1), "
        f"(SELECT student_id FROM {table} WHERE id = {row_id_number('a.row_id')})) = :sid")


def _student_ids_sql() -> str:
    """The audit row ids about student ``:sid``, each table through the log's
    index on (table_name, row_id)."""
    parts = [f"SELECT id FROM audit_log WHERE table_name = '{table}' AND row_id IN ({rows})"
             for table, rows in _STUDENT_ROWS.items()]
    parts += [_removable_rows(table) for table in _REMOVABLE]
    return ("WITH cases(id) AS (SELECT id FROM case_file WHERE student_id = :sid) "
            + " UNION ".join(parts))


def find_audit(staff_id: int | None = None, student_id: int | None = None,
               since: dt.date | None = None, until: dt.date | None = None,
               limit: int | None = None) -> list[AuditRow]:
    """The log, newest first, narrowed to what ``staff_id`` did or what was
    done to their account (a changed role, a failed sign-in), to the rows about
    ``student_id`` (their record, guardians, cases and everything in them,
    scores, check-ins, peer pairs), and to the days ``since`` … ``until``
    (both included).  A restricted entry's texts are ``MASKED``."""
    params: dict[str, object]
    where, params = [], {}
    if staff_id is not None:
        where.append("(a.staff_id = :staff OR (a.table_name = 'staff' AND a.row_id = :staff_text))")
        params.update(staff=staff_id, staff_text=str(staff_id))
    if student_id is not None:
        where.append(f"a.id IN ({_student_ids_sql()})")
        params["sid"] = student_id
    if since is not None:
        where.append("a.at >= :since")
        params["since"] = since.isoformat()
    if until is not None:
        where.append("a.at < :until")
        params["until"] = (until + dt.timedelta(days=1)).isoformat()
    sql = ("SELECT a.id, a.at, a.staff_id, a.staff_name, a.host, a.table_name, a.row_id, "
           "a.action, a.changes, c.id, c.restricted FROM audit_log a "
           f"LEFT JOIN contact c ON a.table_name = 'contact' AND c.id = {row_id_number('a.row_id')}"
           + (" WHERE " + " AND ".join(where) if where else "")
           + " ORDER BY a.at DESC, a.id DESC")
    if limit is not None:
        sql += " LIMIT :limit"
        params["limit"] = max(0, int(limit))
    raw = database.execute_sql(sql, params).fetchall()
    gone = {r[6] for r in raw if r[5] == "contact" and r[9] is None}
    ever_restricted = _ever_restricted(gone) if gone else set()
    return [_row(r, ever_restricted) for r in raw]



def _restricted_value(value) -> bool:
    if isinstance(value, list):
        return any(bool(v) for v in value)
    return bool(value)


def _ever_restricted(contact_ids: set[str]) -> set[str]:
    """Of entries no longer in the file, those the log shows restricted once."""
    out = set()
    ids = sorted(contact_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ", ".join("?" * len(chunk))
        for row_id, changes in database.execute_sql(
                f"SELECT row_id, changes FROM audit_log WHERE table_name = 'contact' "
                f"AND row_id IN ({marks}) AND changes LIKE '%\"restricted\"%'", chunk):
            if _restricted_value(_parse(changes).get("restricted")):
                out.add(row_id)
    return out


def _parse(changes: str) -> dict:
    try:
        value = json.loads(changes) if changes else {}
    except ValueError:
        return {"changes": changes}
    return value if isinstance(value, dict) else {"changes": value}


def _at(value) -> dt.datetime | str:
    if isinstance(value, dt.datetime):
        return value
    try:
        return dt.datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)


def _sealed(value) -> bool:
    from db.crypto import is_sealed

    if isinstance(value, list):
        return any(is_sealed(v) for v in value)
    return is_sealed(value)


def _mask(value):
    if isinstance(value, list):
        return [_mask(v) for v in value]
    return MASKED if value not in (None, "") else value


def _row(raw, ever_restricted: set[str]) -> AuditRow:
    (id_, at, staff_id, staff_name, host, table, row_id, action, changes,
     contact_id, restricted) = raw
    parsed = _parse(changes)
    masked = False
    if table == "contact" and (restricted or row_id in ever_restricted
                               or _restricted_value(parsed.get("restricted"))):
        from db.cases import RESTRICTED_TEXT

        for name in RESTRICTED_TEXT:
            if name in parsed and _restricted_value(parsed[name]):
                parsed[name] = _mask(parsed[name])
                masked = True
    for name, value in parsed.items():  # sealed text (db.keys) is shown as restricted
        if _sealed(value):
            parsed[name] = [MASKED if _sealed(v) else v for v in value] \
                if isinstance(value, list) else MASKED
            masked = True
    return AuditRow(id_, _at(at), staff_name or "—", host or "", table, row_id or "", action,
                    parsed, staff_id, masked)
