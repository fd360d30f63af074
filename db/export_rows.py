"""Students, cases and contacts as flat tables for an export (.xlsx, .csv).

Data only: no Textual, no labels.  A cell holds what the file stores (codes,
not words: ``tui/cli_export.py`` labels them in the reader's language), as
``str``, ``int``, ``date``, ``datetime`` or ``None``; two kinds of cell hold
parts instead (see ``PART_COLUMNS``): ``guardians`` (a tuple of
``GuardianPart``) and ``team`` (a tuple of ``TeamPart``).

What a reader gets follows ``db.access``, decided in bulk (a few flat queries
merged in Python, as ``db.roster.load_rows`` does, never one per student):

- only the students they see (``access.scope_for``: everyone, the classes they
  teach or head, the students of cases they are on);
- volunteers never export (the "reports" ability); should the rows be asked
  for someone with hidden fields all the same, the family's details (student
  phone and address, guardians' phones) and the cause analysis are left out
  (``columns_for``);
- a restricted contact's texts (participants, discussed, agreed, follow-up)
  are in no export, whoever asks; its ``restricted`` cell gives the reason;
- a restricted case-file field is blank unless the reader may read it
  (administrators and counsellors, else the case's lead); the
  ``restricted_fields`` cell says which fields are marked;
- a student's identity-card number (``student.id_number``) is never read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, NamedTuple

from peewee import JOIN, fn

from db import access, sealing
from db.dates import as_date
from db.models import Assignment, Case, Contact, Guardian, SchoolClass, Staff, Student, Term
from db.visible import student_query
from db.vocab import OPEN_STATUSES, split_codes

if TYPE_CHECKING:
    from peewee import ModelSelect

EXPORTS = ("students", "cases", "contacts")

CASE_TEXT_FIELDS = ("strengths", "academic_base", "main_problems", "cause_analysis", "measures")
CONTACT_TEXT_FIELDS = ("participants", "discussed", "agreed", "follow_up")

# every column each export can have, in order (stable codes: the headers'
# catalog keys are ``export.col.<code>``)
COLUMNS = {
    "students": ("student_no", "name", "gender", "class", "birth_date", "address", "phone",
                 "family_flags", "guardians", "status", "lead"),
    "cases": ("student_no", "name", "class", "term", "status", "risk_level", "categories",
              "causes", "opened_on", "closed_on", "lead", "team", *CASE_TEXT_FIELDS,
              "restricted_fields", "contacts", "last_contact"),
    "contacts": ("occurred_at", "student_no", "name", "class", "kind", "channel", "author",
                 *CONTACT_TEXT_FIELDS, "duration_min", "follow_up_due", "done_on",
                 "restricted"),
}

# a column holding one code or a comma list of codes -> its vocabulary group
# (the group names of ``tui.i18n.VOCAB``); "field": case-file field names
CODE_COLUMNS = {
    "gender": "gender", "family_flags": "family", "status": "status", "risk_level": "risk",
    "categories": "category", "causes": "cause", "kind": "kind", "channel": "channel",
    "restricted": "restricted", "restricted_fields": "field",
}
# columns whose cells are tuples of parts
PART_COLUMNS = ("guardians", "team")
# long texts that may hold several lines
TEXT_COLUMNS = ("address", *CASE_TEXT_FIELDS, *CONTACT_TEXT_FIELDS)

# columns left out for a reader with these hidden fields (``access.hidden_fields``)
HIDDEN_BY = {"address": ("guardian_phone", "address"), "phone": ("guardian_phone", "phone"),
             "cause_analysis": ("cause_analysis",)}

ProgressFn = Callable[[int, int], None]


class GuardianPart(NamedTuple):
    name: str
    relation: str  # db.vocab.RELATIONS
    phone: str  # "" when the reader may not see it


class TeamPart(NamedTuple):
    name: str
    role: str  # db.vocab.ASSIGNMENT_ROLES


@dataclass(slots=True)
class ExportTable:
    what: str  # one of EXPORTS
    columns: list[str]  # codes from COLUMNS[what], those this reader gets
    rows: list[list] = field(default_factory=list)
    since: dt.date | None = None  # contacts: the days asked for
    until: dt.date | None = None

    def column(self, code: str) -> list:
        """The values of one column (for tests and previews)."""
        i = self.columns.index(code)
        return [row[i] for row in self.rows]


def columns_for(what: str, reader) -> list[str]:
    """The columns ``reader`` gets in export ``what``."""
    if what not in EXPORTS:
        raise ValueError(what)
    hidden = set(access.hidden_fields(reader))
    return [c for c in COLUMNS[what] if not hidden.intersection(HIDDEN_BY.get(c, ()))]


def export_table(what: str, reader, since: dt.date | None = None, until: dt.date | None = None,
                 progress: ProgressFn | None = None) -> ExportTable:
    """Export ``what`` (students, cases or contacts) as ``reader`` may see it.

    ``since`` / ``until`` (both days included) narrow the contacts; the other
    exports ignore them.  ``progress(done, total)`` follows the queries.
    Raises ``access.NotAllowed`` for a reader without the "reports" ability
    (volunteers) and ``ValueError`` for an unknown export.
    """
    if what not in EXPORTS:
        raise ValueError(what)
    access.require(reader, "reports")
    table = ExportTable(what, columns_for(what, reader))
    if what == "contacts":
        table.since, table.until = since, until
    step = _Steps(progress, 4)
    builder = {"students": _students, "cases": _cases, "contacts": _contacts}[what]
    table.rows = builder(reader, table, step)
    step.done()
    return table


class _Steps:
    def __init__(self, progress: ProgressFn | None, total: int):
        self.progress, self.total, self.n = progress, total, 0

    def __call__(self) -> None:
        self.n = min(self.n + 1, self.total - 1)
        if self.progress is not None:
            self.progress(self.n, self.total)

    def done(self) -> None:
        if self.progress is not None:
            self.progress(self.total, self.total)


# -- who is in the export --------------------------------------------------------------------------

def _only_visible(query, column, visible):
    return query if visible is None else query.where(column.in_(visible))


def _team(visible):
    """Active assignments: {case id: (lead's name, lead's id)} and {case id:
    the others on the team, as ``TeamPart``s, tutors first}."""
    query = (Assignment.select(Assignment.case, Staff.name, Assignment.role, Staff.id)
             .join(Staff).switch(Assignment).join(Case)
             .where(Assignment.active == True)  # noqa: E712
             .order_by(Assignment.case, Assignment.id))
    leads: dict[int, tuple[str, int]] = {}
    team: dict[int, list[TeamPart]] = {}
    for case_id, name, role, staff_id in _rows_of(_only_visible(query, Case.student, visible)):
        if role == "lead" and case_id not in leads:
            leads[case_id] = (name, staff_id)
        else:
            team.setdefault(case_id, []).append(TeamPart(name, role))
    order = {"lead": 0, "tutor": 1, "counsellor": 2, "volunteer": 3}
    for parts in team.values():
        parts.sort(key=lambda p: (order.get(p.role, 9), p.name))
    return leads, team


def _rows_of(query):
    """Plain tuples straight from the cursor (no ORM conversion: a year of
    contacts is tens of thousands of rows); dates are converted by the caller."""
    sql, params = query.sql()
    return query.model._meta.database.execute_sql(sql, params)


def _as_datetime(value) -> dt.datetime | None:
    if value is None or isinstance(value, dt.datetime):
        return value
    try:
        return dt.datetime.fromisoformat(str(value))
    except ValueError:  # stored by another tool: kept as it is
        return value


def _class_order():
    return (SchoolClass.grade, SchoolClass.code, SchoolClass.name, Student.student_no)


# -- the three exports ---------------------------------------------------------------------------

def _students(reader, table: ExportTable, step) -> list[list]:
    visible = student_query(access.scope_for(reader))
    show_phone = "phone" in table.columns
    query: ModelSelect[Any] = (
        Student.select(Student.id, Student.student_no, Student.name, Student.gender,
                       SchoolClass.name, Student.birth_date, Student.address,
                       Student.phone, Student.family_flags)
        .join(SchoolClass, JOIN.LEFT_OUTER).order_by(*_class_order()))
    students = list(_rows_of(_only_visible(query, Student.id, visible)))
    step()

    guardians: dict[int, list[GuardianPart]] = {}
    query = (Guardian.select(Guardian.student, Guardian.name, Guardian.relation, Guardian.phone)
             .order_by(Guardian.id))
    for sid, name, relation, phone in _rows_of(_only_visible(query, Guardian.student, visible)):
        guardians.setdefault(sid, []).append(
            GuardianPart(name, relation, phone if show_phone else ""))
    step()

    # the student's current case: an open one if any, else the newest
    current: dict[int, tuple[int, str]] = {}
    query = Case.select(Case.id, Case.student, Case.status).order_by(Case.id)
    for case_id, sid, status in _rows_of(_only_visible(query, Case.student, visible)):
        held = current.get(sid)
        if held is None or status in OPEN_STATUSES or held[1] not in OPEN_STATUSES:
            current[sid] = (case_id, status)
    step()
    leads, _ = _team(visible)

    rows = []
    for sid, no, name, gender, class_name, birth, address, phone, flags in students:
        case_id, status = current.get(sid, (None, ""))
        values = {"student_no": no, "name": name, "gender": gender, "class": class_name or "",
                  "birth_date": as_date(birth), "address": address, "phone": phone,
                  "family_flags": flags, "guardians": tuple(guardians.get(sid, ())),
                  "status": status, "lead": leads.get(case_id, ("",))[0]}
        rows.append([values[c] for c in table.columns])
    return rows


def _cases(reader, table: ExportTable, step) -> list[list]:
    visible = student_query(access.scope_for(reader))
    query: ModelSelect[Any] = (
        Case.select(Case.id, Student.student_no, Student.name, SchoolClass.name,
                    Term.name, Case.status, Case.risk_level, Case.categories, Case.causes,
                    Case.opened_on, Case.closed_on,
                    *(getattr(Case, f) for f in CASE_TEXT_FIELDS), Case.restricted_fields)
        .join(Student).join(SchoolClass, JOIN.LEFT_OUTER)
        .switch(Case).join(Term, JOIN.LEFT_OUTER)
        .order_by(*_class_order(), Case.id))
    cases = list(_rows_of(_only_visible(query, Case.student, visible)))
    step()
    leads, team = _team(visible)
    step()
    counts: dict[int, tuple[int, dt.date | None]] = {}
    query = (Contact.select(Contact.case, fn.COUNT(Contact.id), fn.MAX(Contact.occurred_at))
             .join(Case).group_by(Contact.case))
    for case_id, n, last in _rows_of(_only_visible(query, Case.student, visible)):
        counts[case_id] = (n, as_date(last))
    step()

    me = getattr(reader, "id", None)
    rows = []
    for (case_id, no, name, class_name, term, status, risk, categories, causes, opened,
         closed, *texts, marked) in cases:
        values = dict(zip(CASE_TEXT_FIELDS, texts))
        marked_fields = [f for f in split_codes(marked) if f in CASE_TEXT_FIELDS]
        if marked_fields and not access.reads_restricted(
                reader, case_id, lead=me is not None and leads.get(case_id, ("", None))[1] == me):
            for f in marked_fields:
                values[f] = ""
        for f in CASE_TEXT_FIELDS:  # sealed (db.keys): opened for its reader, else blank
            values[f] = sealing.opened_or_none(reader, "case_file", f, values[f]) or ""
        n, last = counts.get(case_id, (0, None))
        values.update({
            "student_no": no, "name": name, "class": class_name or "", "term": term or "",
            "status": status, "risk_level": risk, "categories": categories, "causes": causes,
            "opened_on": as_date(opened), "closed_on": as_date(closed),
            "lead": leads.get(case_id, ("",))[0], "team": tuple(team.get(case_id, ())),
            "restricted_fields": ",".join(marked_fields), "contacts": n, "last_contact": last})
        rows.append([values[c] for c in table.columns])
    return rows


def _contacts(reader, table: ExportTable, step) -> list[list]:
    visible = student_query(access.scope_for(reader))
    # selected in the order of COLUMNS["contacts"]
    query = (Contact.select(Contact.occurred_at, Student.student_no, Student.name,
                            SchoolClass.name, Contact.kind, Contact.channel, Staff.name,
                            *(getattr(Contact, f) for f in CONTACT_TEXT_FIELDS),
                            Contact.duration_min, Contact.follow_up_due,
                            Contact.follow_up_done_on, Contact.restricted)
             .join(Staff).switch(Contact).join(Case).join(Student)
             .join(SchoolClass, JOIN.LEFT_OUTER)
             .order_by(Contact.occurred_at, Contact.id))
    if table.since is not None:
        query = query.where(Contact.occurred_at >= dt.datetime.combine(table.since, dt.time()))
    if table.until is not None:
        query = query.where(Contact.occurred_at < dt.datetime.combine(
            table.until + dt.timedelta(days=1), dt.time()))
    found = _rows_of(_only_visible(query, Case.student, visible))
    step()
    texts = slice(7, 7 + len(CONTACT_TEXT_FIELDS))
    blank = [""] * len(CONTACT_TEXT_FIELDS)
    pick = _picker("contacts", table.columns)
    rows = []
    for values in found:
        row = list(values)
        row[0] = _as_datetime(row[0])
        row[3] = row[3] or ""  # no class
        row[-3], row[-2] = as_date(row[-3]), as_date(row[-2])
        row[-1] = row[-1] or ""
        if row[-1]:  # a restricted entry's texts never leave the file in an export
            row[texts] = blank
        rows.append(pick(row))
    return rows


def _picker(what: str, columns: list[str]):
    """From a full row (``COLUMNS[what]`` order), the cells of ``columns``."""
    full = COLUMNS[what]
    if tuple(columns) == full:
        return lambda row: row
    where = [full.index(c) for c in columns]
    return lambda row: [row[i] for i in where]
