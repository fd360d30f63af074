"""The weekly report to the leading group (定期专报) and the term summary: the data.

``build_report("weekly", reader=me, week="2026-W47")`` or ``build_report("term",
reader=me, term_id=3)`` returns a ``Report`` as ``me`` may see it: plain values
and vocabulary codes, never labels (the files and the screen translate them,
see ``tui/report_files.py``).

The period
    weekly: Monday to Sunday of an ISO week ("2026-W47"; "" = the week of
    today); its term is the term that contains the Sunday (else the latest
    one that had started, ``db.workflow.current_term``).
    term: the term's first to last day (the current term unless one is named).
    Every figure is *as of* ``as_of = min(period end, today)``; a period that
    starts after today is refused (``ReportError("future")``).

The sections (in ``SECTIONS`` order)
    1. ``cases``: the cases of the report's term, whatever their status now,
       counted per class (the student's class now) and status; plus the cases
       (of any term) opened within ``[start, as_of]``.
    2. ``entries``: the entries (``Contact``) dated within ``[start, as_of]``
       (whole days), of any case, per kind and channel; plus how many distinct
       cases had one.
    3. ``compliance``: for every rule of the school (``db.workflow.load_rules``),
       among the cases open on ``as_of``, how many had nothing overdue for that
       rule on that day, per class and overall.
    4. ``overdue``: every item overdue on ``as_of`` (rules, follow-ups, goals,
       stage reviews) of those cases, most overdue first, with the case's lead.
    5. ``progress``: the term's 10% figure with the scores up to ``as_of``
       (``db.progress.term_figures``).
    6. ``families``: the work with families as a group (``db.report_families``):
       family events and the supported families that came, families' feedback;
       in the term summary also the satisfaction surveys and the recognitions.
    7. ``transformed`` (term summary only): the cases confirmed transformed in
       ``[start, as_of]`` with their evidence (``db.report_transformed``).

"Open on ``as_of``": opened on or before it (or with no date) and either open
now or closed (``closed_on``) after it.  Entries, follow-ups and stage reviews
are taken as they stood on ``as_of``: an entry dated later does not count, a
follow-up written later is not due, a follow-up marked done later was still
open, a review dated later had not happened.  What the file does not date is
taken as it is now: a goal's status, and a case's status other than "closed"
(a case marked transformed after ``as_of`` is not counted as open then).  For ``as_of`` = today the
overdue items are exactly those of ``db.workflow.due_items`` (the overview's).

Only counts and names leave this module: no entry text, no follow-up or goal
text (communication records are confidential; the report goes to a meeting).

Whose cases: those of the students the reader may open (``db.access``), decided
in each query (``db.visible``).  Administrators, coordinators and counsellors
get the whole school; class teachers and teachers get every section counted
over their classes, the classes they teach and their cases alone
(``Report.limited``): no name, number or count of a class they may not open.
Volunteers get no report (``access.NotAllowed``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Callable, cast

from db import access, clock
from db.access import Scope
from db.dates import as_date
from db.models import Term, database
from db.progress import TermFigures, term_figures
from db.report_families import FamiliesSection, families_section
from db.report_transformed import TransformedSection, transformed_section
from db.report_periods import (ReportError, find_term, parse_week,  # noqa: F401 (re-exported)
                               term_names, week_label)
from db.visible import only_students, student_query, student_sql
from db.vocab import CASE_STATUSES, CHANNELS, CONTACT_KINDS, OPEN_STATUSES
from db.holidays import season_start
from db.workflow import (DueItem, OpenCase, Rule, current_term, due_items, load_review_days,
                         load_rules, review_due, term_bounds)

KINDS = ("weekly", "term")
SECTIONS = ("cases", "entries", "compliance", "overdue", "progress", "families", "transformed")
NO_CLASS = "—"  # the class of a student in no class (as db.progress names it)
ProgressFn = Callable[[int, int], None]

# -- the sections ----------------------------------------------------------------------

@dataclass(slots=True)
class StatusRow:
    """Section 1, one row: a class (or the whole term, ``name`` "")."""

    name: str
    counts: dict[str, int]  # status code -> cases (every code of CASE_STATUSES)
    total: int = 0


@dataclass(slots=True)
class CaseSection:
    statuses: tuple[str, ...]  # the columns: CASE_STATUSES
    classes: list[StatusRow]  # natural order of the class names
    total: StatusRow
    opened: int  # cases (of any term) opened within [start, as_of]


@dataclass(slots=True)
class EntrySection:
    kinds: tuple[str, ...]  # CONTACT_KINDS (then any other code found in the file)
    channels: tuple[str, ...]  # CHANNELS (then any other code found)
    counts: dict[tuple[str, str], int]  # (kind, channel) -> entries; only non-zero pairs
    by_kind: dict[str, int]  # every kind, zeros included
    by_channel: dict[str, int]  # every channel, zeros included
    total: int
    cases: int  # distinct cases with at least one entry in the period

    def count(self, kind: str, channel: str) -> int:
        return self.counts.get((kind, channel), 0)


@dataclass(slots=True)
class ComplianceRow:
    """Section 3, one row: a class (or the whole school, ``name`` "")."""

    name: str
    cases: int = 0  # cases open on as_of
    on_time: dict[str, int] = field(default_factory=dict)  # rule code -> cases with nothing overdue for it

    def share(self, code: str) -> float | None:
        """On time among the open cases (0..1); None without open cases."""
        return self.on_time.get(code, 0) / self.cases if self.cases else None


@dataclass(slots=True)
class ComplianceSection:
    rules: tuple[Rule, ...]  # the columns, in the school's order
    classes: list[ComplianceRow]
    total: ComplianceRow


@dataclass(slots=True)
class OverdueRow:
    """Section 4, one overdue item (no follow-up or goal text: see the module)."""

    case_id: int
    student_id: int
    name: str
    class_name: str
    student_no: str
    what: str  # a rule's code, "follow_up", "goal" or "review" (tui.i18n.due_label)
    due: dt.date
    days: int  # days overdue on as_of (>= 1)
    lead: str  # the case's lead (active "lead" assignment), "" if none


@dataclass(slots=True)
class Report:
    kind: str  # "weekly" or "term"
    week: str  # "2026-W47" (weekly) or ""
    term_id: int | None
    term_name: str  # "" when the school has no term
    start: dt.date
    end: dt.date
    as_of: dt.date  # min(end, today): every figure is as of this day
    generated_at: dt.datetime
    cases: CaseSection
    entries: EntrySection
    compliance: ComplianceSection
    overdue: list[OverdueRow]  # most overdue first
    progress: TermFigures  # db.progress: classes, total (FigureRow), target TARGET_SHARE
    limited: bool = False  # counted over the students the reader may open, not the school
    families: FamiliesSection | None = None  # db.report_families
    transformed: TransformedSection | None = None  # the term summary's (db.report_transformed)


# -- building ------------------------------------------------------------------------------

def build_report(kind: str, *, reader, week: str = "", term_id: int | None = None,
                 today: dt.date | None = None, progress: ProgressFn | None = None) -> Report:
    """The report's figures as ``reader`` may see them (see the module's
    docstring).  ``progress(done, total)`` is called once at the start (0) and
    after each of the sections.  Raises ``access.NotAllowed`` for a reader
    without the "reports" ability."""
    today = today or clock.today()
    if kind not in KINDS:
        raise ReportError("kind")
    access.require(reader, "reports")
    scope = access.scope_for(reader)
    label = ""
    if kind == "weekly":
        start, label = parse_week(week, today)
        end = start + dt.timedelta(days=6)
        if start > today:
            raise ReportError("future")
        term = current_term(end)
    else:
        if term_id is not None:
            term = Term.get_or_none(Term.id == term_id)
            if term is None:
                raise ReportError("term_unknown")
        else:
            term = current_term(today)
            if term is None:
                raise ReportError("no_term")
        start, end = term.start_date, term.end_date
        if start > today:
            raise ReportError("future")
    as_of = min(end, today)
    total = len(SECTIONS)
    step = _Steps(progress, total)
    step(0)
    cases = _case_section(term.id if term else None, start, as_of, scope)
    step(1)
    entries = _entry_section(start, as_of, scope)
    step(2)
    compliance, overdue = _compliance_and_overdue(as_of, scope)
    step(4)
    figures = term_figures(term.id if term else None, as_of, until=as_of,
                           students=student_query(scope))
    order = {name: n for n, name in enumerate(_sorted_names(r.name for r in figures.classes))}
    figures.classes.sort(key=lambda r: order[r.name])  # "no class" last, as in the others
    step(5)
    families = families_section(kind, reader, scope, term.id if term else None, start, as_of,
                                today)
    step(6)
    transformed = transformed_section(start, as_of, scope) if kind == "term" else None
    step(7)
    return Report(kind, label, term.id if term else None, term.name if term else "", start, end,
                  as_of, clock.now(), cases, entries, compliance, overdue, figures,
                  limited=not scope.everyone, families=families, transformed=transformed)


class _Steps:
    def __init__(self, progress: ProgressFn | None, total: int):
        self.progress, self.total = progress, total

    def __call__(self, done: int) -> None:
        if self.progress is not None:
            self.progress(done, self.total)


def _sorted_names(names) -> list[str]:
    """Class names in natural order (7-2 before 7-10), "no class" last."""
    from db.search import natural_key

    return sorted(names, key=lambda name: (name == NO_CLASS, natural_key(name)))


def _next_day(day: dt.date) -> str:
    """The exclusive upper bound of entries dated up to ``day`` (ISO text)."""
    return str(day + dt.timedelta(days=1))


# 1. cases by status and class

def _case_section(term_id: int | None, start: dt.date, as_of: dt.date,
                  scope: Scope) -> CaseSection:
    where, params = ("f.term_id = ?", [term_id]) if term_id is not None else ("f.term_id IS NULL", [])
    only, only_params = only_students(scope, "f.student_id")
    where, params = where + only, [*params, *only_params]
    rows: dict[str, StatusRow] = {}
    total = StatusRow("", dict.fromkeys(CASE_STATUSES, 0))
    statuses = list(CASE_STATUSES)
    for class_name, status, n in database.execute_sql(
            "SELECT k.name, f.status, COUNT(*) FROM case_file f "
            "JOIN student s ON s.id = f.student_id "
            "LEFT JOIN school_class k ON k.id = s.school_class_id "
            f"WHERE {where} GROUP BY k.name, f.status", params):
        if status not in statuses:  # a code this version does not know: shown as is
            statuses.append(status)
        name = class_name or NO_CLASS
        row = rows.setdefault(name, StatusRow(name, dict.fromkeys(CASE_STATUSES, 0)))
        for r in (row, total):
            r.counts[status] = r.counts.get(status, 0) + n
            r.total += n
    for r in [*rows.values(), total]:
        for status in statuses:
            r.counts.setdefault(status, 0)
    only, only_params = only_students(scope, "student_id")
    (opened,) = database.execute_sql(
        f"SELECT COUNT(*) FROM case_file WHERE opened_on >= ? AND opened_on <= ?{only}",
        (str(start), str(as_of), *only_params)).fetchone()
    return CaseSection(tuple(statuses), [rows[n] for n in _sorted_names(rows)], total, opened)


# 2. entries by kind and channel

def _of_students(scope: Scope) -> tuple[str, list]:
    """A condition on ``contact`` (and its parameters): an entry of a case of a
    student ``scope`` sees; ``("", [])`` for everyone."""
    found = student_sql(scope)
    if found is None:
        return "", []
    sql, params = found
    return f" AND case_id IN (SELECT id FROM case_file WHERE student_id IN ({sql}))", params


def _entry_section(start: dt.date, as_of: dt.date, scope: Scope) -> EntrySection:
    counts: dict[tuple[str, str], int] = {}
    only, only_params = _of_students(scope)
    bounds = (str(start), _next_day(as_of), *only_params)
    # the (case, kind, channel, occurred_at) index holds every column needed
    for kind, channel, n in database.execute_sql(
            "SELECT kind, channel, COUNT(*) FROM contact WHERE occurred_at >= ? "
            f"AND occurred_at < ?{only} GROUP BY kind, channel", bounds):
        counts[(kind, channel)] = n
    (cases,) = database.execute_sql(
        "SELECT COUNT(DISTINCT case_id) FROM contact WHERE occurred_at >= ? AND occurred_at < ?"
        f"{only}", bounds).fetchone()
    kinds = list(CONTACT_KINDS) + sorted({k for k, _ in counts} - set(CONTACT_KINDS))
    channels = list(CHANNELS) + sorted({c for _, c in counts} - set(CHANNELS))
    by_kind = {k: sum(n for (kk, _), n in counts.items() if kk == k) for k in kinds}
    by_channel = {c: sum(n for (_, cc), n in counts.items() if cc == c) for c in channels}
    return EntrySection(tuple(kinds), tuple(channels), counts, by_kind, by_channel,
                        sum(counts.values()), cases)


# 3 and 4. compliance and the overdue list

def _open_on(as_of: dt.date, scope: Scope) -> tuple[str, list]:
    """A condition on ``case_file`` (and its parameters): open on ``as_of``,
    of a student ``scope`` sees."""
    marks = ",".join("?" * len(OPEN_STATUSES))
    only, only_params = only_students(scope, "student_id")
    return (f"(status IN ({marks}) OR (closed_on IS NOT NULL AND closed_on > ?)) "
            f"AND (opened_on IS NULL OR opened_on <= ?){only}",
            [*OPEN_STATUSES, str(as_of), str(as_of), *only_params])


def latest_entries_until(as_of: dt.date, term_start: dt.date, scope: Scope) -> list:
    """Like ``db.workflow.latest_entries(..., all_open=True)``, for the cases open
    on ``as_of`` (of the students ``scope`` sees) and counting only the entries
    dated up to ``as_of``: ``(case, kind, channel, newest time, how many since
    term_start, how many since the holiday of as_of began)`` rows."""
    where, params = _open_on(as_of, scope)
    season = season_start(as_of) or term_start
    return list(database.execute_sql(
        "SELECT case_id, kind, channel, MAX(occurred_at), "
        "SUM(CASE WHEN occurred_at >= ? THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN occurred_at >= ? THEN 1 ELSE 0 END) FROM contact "
        f"WHERE occurred_at < ? AND case_id IN (SELECT id FROM case_file WHERE {where}) "
        "GROUP BY case_id, kind, channel",
        (str(term_start), str(season), _next_day(as_of), *params)))


def open_cases_on(as_of: dt.date, scope: Scope) -> list[OpenCase]:
    """The cases open on ``as_of`` (see the module) of the students ``scope``
    sees, as the due list takes them."""
    where, params = _open_on(as_of, scope)
    return [OpenCase(cid, sid, name, class_name or "", no, as_date(opened))
            for cid, opened, sid, name, no, class_name in database.execute_sql(
                "SELECT f.id, f.opened_on, s.id, s.name, s.student_no, k.name FROM case_file f "
                "JOIN student s ON s.id = f.student_id "
                "LEFT JOIN school_class k ON k.id = s.school_class_id "
                f"WHERE f.id IN (SELECT id FROM case_file WHERE {where})", params)]


def overdue_items(cases: list[OpenCase], as_of: dt.date, rules: tuple[Rule, ...],
                  scope: Scope) -> list[DueItem]:
    """Every item overdue on ``as_of`` for ``cases`` (the cases open then, of
    the students ``scope`` sees: ``open_cases_on``)."""
    if not cases:
        return []
    term_start = term_bounds(as_of)[0]
    latest = latest_entries_until(as_of, term_start, scope)
    codes = {rule.code for rule in rules}
    # the rules from the due list itself; what it reads as it is now (follow-ups,
    # goals, reviews) is read below as it stood on as_of
    items = [i for i in due_items(cases, as_of, days=-1, rules=rules, all_open=True,
                                  latest=latest) if i.what in codes]
    by_case = {c.case_id: c for c in cases}
    where, params = _open_on(as_of, scope)
    which = f"case_id IN (SELECT id FROM case_file WHERE {where})"
    last_due, bound = str(as_of - dt.timedelta(days=1)), _next_day(as_of)

    def item(c: OpenCase, what: str, due, **extra) -> DueItem:
        return DueItem(c.case_id, c.student_id, c.name, c.class_name, c.student_no, what,
                       cast(dt.date, as_date(due)), **extra)  # each query below reads set dates

    # follow-ups written by as_of and not done by then: the open ones from their
    # partial index, then those marked done after as_of
    for sql in ("follow_up_done_on IS NULL AND follow_up_due IS NOT NULL AND follow_up_due <= ?",
                "follow_up_done_on > ? AND follow_up_due IS NOT NULL AND follow_up_due <= ?"):
        extra = [] if sql.startswith("follow_up_done_on IS NULL") else [str(as_of)]
        for cid, case_id, text, due, kind, channel, restricted in database.execute_sql(
                f"SELECT id, case_id, follow_up, follow_up_due, kind, channel, restricted "
                f"FROM contact WHERE {sql} AND occurred_at < ? AND +{which}",
                (*extra, last_due, bound, *params)):
            c = by_case.get(case_id)
            if c is not None:  # a restricted entry's follow-up: never its text
                items.append(item(c, "follow_up", due, text="" if restricted else text,
                                  contact_id=cid, kind=kind, channel=channel))
    # open goals due before as_of (a goal's status is not dated: as it is now)
    for case_id, text, due in database.execute_sql(
            f"SELECT case_id, text, due_date FROM goal WHERE {which} AND status = 'open' "
            "AND due_date IS NOT NULL AND due_date <= ?", (*params, last_due)):
        c = by_case.get(case_id)
        if c is not None:
            items.append(item(c, "goal", due, text=text, kind="student", channel="face"))
    # stage reviews: the last one dated by as_of decides
    reviewed = {case_id: (as_date(last), as_date(next_due)) for case_id, last, next_due in
                database.execute_sql(
                    "SELECT case_id, review_date, next_review FROM stage_review r "
                    f"WHERE {which} AND review_date = (SELECT MAX(review_date) "
                    "FROM stage_review WHERE case_id = r.case_id AND review_date <= ?) "
                    "ORDER BY id", (*params, str(as_of)))}
    every = dt.timedelta(days=load_review_days())
    for c in cases:
        last, next_due = reviewed.get(c.case_id, (None, None))
        due = review_due(last, next_due, c.opened_on, term_start, every)
        if due < as_of:
            items.append(item(c, "review", due, last=last, kind="student", channel="face"))
    items.sort(key=lambda i: (i.due, i.name, i.what))
    return items


def _leads() -> dict[int, str]:
    """Case id -> the name of its lead (the first active lead assignment)."""
    leads: dict[int, str] = {}
    for case_id, name in database.execute_sql(
            "SELECT a.case_id, s.name FROM assignment a JOIN staff s ON s.id = a.staff_id "
            "WHERE a.active AND a.role = 'lead' ORDER BY a.id"):
        leads.setdefault(case_id, name)
    return leads


def _compliance_and_overdue(as_of: dt.date,
                            scope: Scope) -> tuple[ComplianceSection, list[OverdueRow]]:
    rules = load_rules()
    cases = open_cases_on(as_of, scope)
    items = overdue_items(cases, as_of, rules, scope)
    late: dict[str, set[int]] = {rule.code: set() for rule in rules}
    for i in items:
        if i.what in late:
            late[i.what].add(i.case_id)
    groups: dict[str, list[int]] = {}
    for c in cases:
        groups.setdefault(c.class_name or NO_CLASS, []).append(c.case_id)

    def row(name: str, ids: list[int]) -> ComplianceRow:
        return ComplianceRow(name, len(ids), {code: sum(1 for cid in ids if cid not in bad)
                                              for code, bad in late.items()})

    section = ComplianceSection(rules, [row(n, groups[n]) for n in _sorted_names(groups)],
                                row("", [c.case_id for c in cases]))
    leads = _leads() if items else {}
    overdue = [OverdueRow(i.case_id, i.student_id, i.name, i.class_name or NO_CLASS,
                          i.student_no, i.what, i.due, (as_of - i.due).days,
                          leads.get(i.case_id, ""))
               for i in items]
    overdue.sort(key=lambda r: (-r.days, r.name, r.what))
    return section, overdue
