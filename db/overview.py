"""The leaders' overview: per class or per staff member, how many open cases met
each rule this week, month or term, and which cases have something overdue.

A case "met" a rule in a period when it has an entry that counts for the rule
(see ``db.workflow.Rule``) dated within the period: the week since Monday, the
month since its first day, the term since its start.

By staff member, each person's own work: a case counts for a rule only when
the rule applies to their role on its team (``Rule.applies_to``: the weekly
help asks the lead, tutors and volunteers, the other rules the lead), and is
met only by entries they wrote themselves; the share is over the cases the
rule applies to them (``GroupRow.asked``).  Readers who see the whole school
also get every helper (class teachers, teachers, counsellors, volunteers) who
has no case, with 0 cases; others see the people on the cases they may open.

Whose cases: those of the students the reader may open (``db.access``).  For
administrators, coordinators and counsellors that is the whole school; for
class teachers and teachers it is their classes, the classes they teach and
their cases, and every figure (groups, totals, the overdue count) is counted
over those alone (``Overview.limited``): no name, and no count, of a class
they may not open.  Volunteers have no overview (``access.NotAllowed``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from db import access
from db.dates import as_date
from db.models import database
from db.visible import only_students
from db.vocab import OPEN_STATUSES
from db.holidays import season_start
from db.workflow import (DueItem, OpenCase, current_term, due_items, latest_entries,
                         load_rules, term_bounds)

PERIODS = ("week", "month", "term")
GROUPINGS = ("class", "staff")


def period_start(period: str, today: dt.date) -> dt.date:
    if period == "week":
        return today - dt.timedelta(days=today.weekday())
    if period == "month":
        return today.replace(day=1)
    term = current_term(today)
    return term.start_date if term else today.replace(month=1, day=1)


@dataclass(slots=True)
class GroupRow:
    key: str  # class id or staff id, as text
    name: str
    cases: list[int] = field(default_factory=list)  # case ids
    met: dict[str, int] = field(default_factory=dict)  # rule code -> cases that met it
    overdue: int = 0  # cases with something overdue
    # by staff member: rule code -> the cases the rule applies to the person on
    # (None: every case counts for every rule, as by class)
    asked: dict[str, int] | None = None

    def of(self, rule: str) -> int:
        """How many cases count for ``rule`` (the share's whole)."""
        return len(self.cases) if self.asked is None else self.asked.get(rule, 0)

    def share(self, rule: str) -> float | None:
        whole = self.of(rule)
        return self.met.get(rule, 0) / whole if whole else None


@dataclass(slots=True)
class Overview:
    period: str
    grouping: str
    since: dt.date
    rules: tuple
    groups: list[GroupRow]
    total: GroupRow
    overdue: dict[int, list[DueItem]]  # case id -> its overdue items
    cases: dict[int, OpenCase]
    limited: bool = False  # counted over the students the reader may open, not the school


# a reader's cases listed by id up to this many; beyond, "every open case" and a filter
MANY_CASES = 500


def overview(today: dt.date, period: str = "week", grouping: str = "class", *,
             reader) -> Overview:
    """The overview as ``reader`` may see it (see the module); raises
    ``access.NotAllowed`` for a reader without the "overview" ability."""
    if period not in PERIODS or grouping not in GROUPINGS:
        raise ValueError((period, grouping))
    access.require(reader, "overview")
    scope = access.scope_for(reader)
    rules = load_rules()
    since = period_start(period, today)
    statuses = ",".join("?" * len(OPEN_STATUSES))
    only, only_params = only_students(scope, "s.id")
    # plain cursors: thousands of rows, no model objects needed
    rows = database.execute_sql(
        "SELECT f.id, f.opened_on, s.id, s.name, s.student_no, k.id, k.name FROM case_file f "
        "JOIN student s ON s.id = f.student_id LEFT JOIN school_class k ON k.id = s.school_class_id "
        f"WHERE f.status IN ({statuses}){only}", (*OPEN_STATUSES, *only_params))
    cases: dict[int, OpenCase] = {}
    klass: dict[int, tuple[str, str]] = {}
    for cid, opened, sid, name, no, class_id, class_name in rows:
        cases[cid] = OpenCase(cid, sid, name, class_name or "", no, as_date(opened))
        klass[cid] = (str(class_id or ""), class_name or "—")
    # the newest entry per (case, kind, channel) answers both "met in the
    # period" and the due rules: one grouped read of one index (for a reader
    # with a few cases, of those cases; the rows of others are left out below)
    all_open = scope.everyone or len(cases) > MANY_CASES
    latest = (latest_entries(list(cases.values()), term_bounds(today)[0], all_open=all_open,
                             season_start=season_start(today)) if cases else [])
    since_text = str(since)
    met_pairs: dict[int, list[tuple[str, str]]] = {}
    for cid, kind, channel, last, _, _ in latest:
        if cid in cases and str(last) >= since_text:
            met_pairs.setdefault(cid, []).append((kind, channel))
    counts_for: dict[tuple[str, str], set[str]] = {}
    met: dict[int, set[str]] = {}
    for cid, pairs in met_pairs.items():
        codes: set[str] = set()
        for pair in pairs:
            if pair not in counts_for:
                counts_for[pair] = {r.code for r in rules if r.counts(*pair)}
            codes |= counts_for[pair]
        met[cid] = codes
    overdue: dict[int, list[DueItem]] = {}
    for item in due_items(list(cases.values()), today, days=-1, rules=rules, all_open=all_open,
                          latest=latest):
        overdue.setdefault(item.case_id, []).append(item)
    groups: dict[str, GroupRow] = {}
    if grouping == "class":
        for cid, (key, name) in klass.items():
            groups.setdefault(key, GroupRow(key, name)).cases.append(cid)
    else:
        groups = _by_staff(cases, rules, since, everyone=scope.everyone, all_open=all_open)
    total = GroupRow("", "", list(cases))
    for row in [*groups.values(), total]:
        if row.asked is None:
            for cid in row.cases:
                for code in met.get(cid, ()):
                    row.met[code] = row.met.get(code, 0) + 1
        row.overdue = sum(1 for cid in row.cases if cid in overdue)
    if grouping == "class":
        from db.search import natural_key

        ordered = sorted(groups.values(), key=lambda g: natural_key(g.name))
    else:  # people: the most behind first
        ordered = sorted(groups.values(), key=lambda g: (
            -(g.overdue / len(g.cases)) if g.cases else 1, g.name))
    return Overview(period, grouping, since, rules, ordered, total, overdue, cases,
                    limited=not scope.everyone)


HELPER_ROLES = ("class_teacher", "teacher", "counsellor", "volunteer")


def _by_staff(cases: dict[int, OpenCase], rules, since: dt.date, *,
              everyone: bool, all_open: bool) -> dict[str, GroupRow]:
    """A row per person on the cases (and, for ``everyone``, per helper without
    one): their cases, and per rule the cases it asks of them and those their
    own entries met (see the module)."""
    staff = {sid: (name, role, active) for sid, name, role, active in
             database.execute_sql("SELECT id, name, role, active FROM staff")}
    groups: dict[str, GroupRow] = {}
    roles: dict[tuple[int, int], set[str]] = {}
    for cid, staff_id, role in database.execute_sql(
            "SELECT case_id, staff_id, role FROM assignment WHERE active"):
        if cid in cases and staff_id in staff:
            held = roles.get((staff_id, cid))
            if held is None:
                key = str(staff_id)
                row = groups.get(key)
                if row is None:
                    row = groups[key] = GroupRow(key, staff[staff_id][0], asked={})
                row.cases.append(cid)
                held = roles[(staff_id, cid)] = set()
            held.add(role)
    if everyone:
        for sid, (name, role, active) in staff.items():
            if active and role in HELPER_ROLES:
                groups.setdefault(str(sid), GroupRow(str(sid), name, asked={}))
    # their own entries in the period: (author, case) -> its (kind, channel) pairs
    # (read through the (case, date) index: of the open cases, or of the reader's)
    if all_open:
        which = f"SELECT id FROM case_file WHERE status IN ({','.join('?' * len(OPEN_STATUSES))})"
        params: list = list(OPEN_STATUSES)
    else:
        which, params = ",".join("?" * len(cases)) or "NULL", list(cases)
    own: dict[tuple[int, int], list[tuple[str, str]]] = {}
    for author, cid, kind, channel in database.execute_sql(
            f"SELECT author_id, case_id, kind, channel FROM contact WHERE case_id IN ({which}) "
            "AND occurred_at >= ? GROUP BY author_id, case_id, kind, channel",
            (*params, str(since))):
        if (author, cid) in roles:
            own.setdefault((author, cid), []).append((kind, channel))
    # which rules a set of team roles is asked, and which an entry counts for:
    # a handful of each, worked out once
    asks: dict[frozenset, tuple[str, ...]] = {}
    counted: dict[tuple[str, str], set[str]] = {}
    for (staff_id, cid), team_roles in roles.items():
        team = frozenset(team_roles)
        codes = asks.get(team)
        if codes is None:
            codes = asks[team] = tuple(r.code for r in rules
                                       if any(r.applies_to(role) for role in team))
        if not codes:
            continue
        met: set[str] = set()
        for pair in own.get((staff_id, cid), ()):
            found = counted.get(pair)
            if found is None:
                found = counted[pair] = {r.code for r in rules if r.counts(*pair)}
            met |= found
        row = groups[str(staff_id)]
        asked = row.asked if row.asked is not None else {}
        for code in codes:
            asked[code] = asked.get(code, 0) + 1
            if code in met:
                row.met[code] = row.met.get(code, 0) + 1
    return groups
