"""The counting behind ``db.supervision`` (its docstring says what counts):
a few grouped reads of the whole school, then the figures in memory."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import cast

from db.dates import as_date
from db.holidays import Calendar
from db.models import database
from db.supervision_flags import Entry, Flag, find_flags
from db.supervision_periods import required, terms_between
from db.supervision_rows import GradeRow, HelperRow, Point, Rubric
from db.vocab import OPEN_STATUSES
from db.workflow import (OpenCase, Rule, due_items, load_review_days, review_due,
                         term_bounds)

HELPER_ROLES = ("class_teacher", "teacher", "counsellor", "volunteer")
MANY_CASES = 500  # beyond: due_items reads every open case by status, not by id
CHUNK = 500


def when(value) -> dt.datetime:
    """A time from what a query returns (a datetime, or ISO text on SQLite)."""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())
    return dt.datetime.fromisoformat(str(value)).replace(tzinfo=None)


@dataclass(slots=True)
class Post:
    """A helper on an open case: their team roles, since when it is theirs."""

    roles: set[str]
    since: dt.date  # the first day of the period the case was theirs


@dataclass(slots=True)
class CaseInfo:
    case: OpenCase
    grade: int | None
    leads: list[int] = field(default_factory=list)


def _open_posts(start: dt.date) -> tuple[dict[tuple[int, int], Post], dict[int, CaseInfo]]:
    marks = ",".join("?" * len(OPEN_STATUSES))
    rows = database.execute_sql(
        "SELECT a.staff_id, a.case_id, a.role, a.assigned_on, f.opened_on, s.id, s.name, "
        "s.student_no, k.name, k.grade FROM assignment a "
        "JOIN case_file f ON f.id = a.case_id JOIN student s ON s.id = f.student_id "
        "LEFT JOIN school_class k ON k.id = s.school_class_id "
        f"WHERE a.active AND f.status IN ({marks})", OPEN_STATUSES)
    posts: dict[tuple[int, int], Post] = {}
    cases: dict[int, CaseInfo] = {}
    for staff_id, case_id, role, assigned, opened, sid, name, no, klass, grade in rows:
        opened_on = as_date(opened)
        info = cases.get(case_id)
        if info is None:
            info = cases[case_id] = CaseInfo(OpenCase(case_id, sid, name, klass or "", no,
                                                      opened_on), grade or None)
        if role == "lead":
            info.leads.append(staff_id)
        since = max(start, as_date(assigned) or start, opened_on or start)
        post = posts.get((staff_id, case_id))
        if post is None:
            posts[(staff_id, case_id)] = Post({role}, since)
        else:
            post.roles.add(role)
            post.since = min(post.since, since)
    return posts, cases


def _entries(start: dt.date, end: dt.date, rubric: Rubric) -> tuple[list[Entry], dict[int, str]]:
    """Every entry dated in the period (no restricted text), and its student's name."""
    rows = database.execute_sql(
        "SELECT c.id, c.author_id, c.case_id, c.kind, c.channel, c.occurred_at, c.created_at, "
        "c.meeting_id, COALESCE(c.restricted, ''), "
        "CASE WHEN COALESCE(c.restricted, '') = '' THEN c.discussed ELSE '' END, "
        "CASE WHEN COALESCE(c.restricted, '') = '' THEN c.agreed ELSE '' END, "
        "CASE WHEN LENGTH(COALESCE(c.discussed, '')) + LENGTH(COALESCE(c.agreed, '')) > 0 "
        "THEN 1 ELSE 0 END, s.name FROM contact c "
        "JOIN case_file f ON f.id = c.case_id JOIN student s ON s.id = f.student_id "
        "WHERE c.occurred_at >= ? AND c.occurred_at < ?",
        (str(start), str(end + dt.timedelta(days=1))))
    entries: list[Entry] = []
    students: dict[int, str] = {}
    for (cid, author, case_id, kind, channel, occurred, created, meeting, restricted, discussed,
         agreed, has_text, student) in rows:
        discussed, agreed = (discussed or "").strip(), (agreed or "").strip()
        content = bool(has_text) if restricted else (
            len(discussed) + len(agreed) >= rubric.content_chars)
        entries.append(Entry(cid, author, case_id, kind, channel, when(occurred), when(created),
                             bool(meeting), content, "" if restricted else discussed))
        students[case_id] = student
    return entries, students


def _earlier(first: dt.date, start: dt.date) -> dict[tuple[int, int], list[tuple[str, str, int]]]:
    """Entries from ``first`` to the day before ``start``: by (author, case),
    how many of each (kind, channel)."""
    out: dict[tuple[int, int], list[tuple[str, str, int]]] = {}
    if first >= start:
        return out
    for a, c, k, ch, n in database.execute_sql(
            "SELECT author_id, case_id, kind, channel, COUNT(*) FROM contact "
            "WHERE occurred_at >= ? AND occurred_at < ? GROUP BY author_id, case_id, kind, channel",
            (str(first), str(start))):
        out.setdefault((a, c), []).append((k, ch, int(n)))
    return out


def _reviews(end: dt.date) -> dict[int, list[tuple[dt.date, dt.date | None]]]:
    marks = ",".join("?" * len(OPEN_STATUSES))
    out: dict[int, list[tuple[dt.date, dt.date | None]]] = {}
    for case_id, on, next_due in database.execute_sql(
            "SELECT case_id, review_date, next_review FROM stage_review "
            f"WHERE review_date <= ? AND case_id IN (SELECT id FROM case_file "
            f"WHERE status IN ({marks})) ORDER BY review_date, id", (str(end), *OPEN_STATUSES)):
        out.setdefault(case_id, []).append((cast(dt.date, as_date(on)),  # NOT NULL
                                            as_date(next_due)))
    return out


def review_dues(opened: dt.date | None, reviews: list, term_start: dt.date,
                every: dt.timedelta, end: dt.date) -> list[tuple[dt.date, bool]]:
    """``(due, on time)`` of a case's stage reviews due up to ``end``: the
    caseload's dates (``db.workflow.review_due``) as they stood before each;
    on time when a review is dated after the previous due date (the first:
    within the review interval) and by this one."""
    due = review_due(None, None, opened, term_start, every)
    after = due - every - dt.timedelta(days=1)  # a review after this (and by the due date)
    out: list[tuple[dt.date, bool]] = []
    for _ in range(400):
        if due > end:
            break
        out.append((due, any(after < on <= due for on, _ in reviews)))
        after = due  # one review answers one due date
        before = [r for r in reviews if r[0] <= due]
        following = review_due(before[-1][0], before[-1][1], opened, term_start,
                               every) if before else due + every
        due = following if following > due else due + every
    return out


def _authors(contact_ids: list[int]) -> dict[int, int]:
    out: dict[int, int] = {}
    for n in range(0, len(contact_ids), CHUNK):
        part = contact_ids[n:n + CHUNK]
        out.update(database.execute_sql(
            f"SELECT id, author_id FROM contact WHERE id IN ({','.join('?' * len(part))})",
            part))
    return out


def gather(start: dt.date, end: dt.date, month: str, rubric: Rubric, rules: tuple[Rule, ...],
           calendar: Calendar) -> tuple[list[HelperRow], list[GradeRow], list[Flag]]:
    staff = {sid: (name, role, active) for sid, name, role, active in
             database.execute_sql("SELECT id, name, role, active FROM staff")}
    posts, cases = _open_posts(start)
    helpers: dict[int, HelperRow] = {
        sid: HelperRow(sid, name, role) for sid, (name, role, active) in staff.items()
        if active and role in HELPER_ROLES}
    for sid, _ in posts:
        if sid not in helpers and sid in staff:
            helpers[sid] = HelperRow(sid, staff[sid][0], staff[sid][1])
    entries, students = _entries(start, end, rubric)
    own: dict[tuple[int, int], list[Entry]] = {}
    for e in entries:
        own.setdefault((e.author_id, e.case_id), []).append(e)
        row = helpers.get(e.author_id)
        if row is not None:
            row.entries += 1
            row.with_content += e.content
    terms = terms_between(start, end)
    earlier = (_earlier(min(first for first, _ in terms), start)
               if terms and any(r.per_term and r.during != "holiday" for r in rules) else {})
    by_case: dict[int, set[int]] = {}
    for (sid, cid), post in posts.items():
        row = helpers[sid]
        info = cases[cid]
        by_case.setdefault(sid, set()).add(cid)
        mine = own.get((sid, cid), [])
        for rule in rules:
            if not any(rule.applies_to(role) for role in post.roles):
                continue
            asked, first_k = required(rule, post.since, end, calendar, terms)
            if not asked:
                continue
            done = sum(1 for e in mine if e.occurred_at.date() >= post.since
                       and rule.counts(e.kind, e.channel))
            if first_k and rule.during != "holiday":  # the term's earlier due dates first
                before = sum(n for k, ch, n in earlier.get((sid, cid), ()) if rule.counts(k, ch))
                done += max(0, before - (first_k - 1))
            met = done >= asked
            row.points.append(Point("rule", cid, info.case.name, rule.code, done, asked,
                                    rubric.rule_met * min(done, asked) / asked, rubric.rule_met))
            row.items += 1
            row.items_met += met
    # stage reviews of the cases each helper leads
    every = dt.timedelta(days=load_review_days())
    term_start = term_bounds(end)[0]
    reviews = _reviews(end)
    for (sid, cid), post in posts.items():
        if "lead" not in post.roles:
            continue
        row, info = helpers[sid], cases[cid]
        for due, on_time in review_dues(info.case.opened_on, reviews.get(cid, []), term_start,
                                        every, end):
            if due >= post.since:
                row.points.append(Point("review", cid, info.case.name, "", int(on_time), 1,
                                        rubric.review if on_time else 0, rubric.review))
                row.reviews_due += 1
                row.reviews_on_time += on_time
    _overdue(helpers, posts, cases, end, rules, rubric)
    notes = {sid: (adj, note, version) for sid, adj, note, version in database.execute_sql(
        "SELECT staff_id, adjustment, note, version FROM supervision_note WHERE month = ?",
        (month,))} if month else {}
    flags = find_flags(entries, rubric, {sid: v[0] for sid, v in staff.items()}, students)
    for f in flags:
        if f.staff_id in helpers:
            helpers[f.staff_id].flags += 1
    for sid, row in helpers.items():
        mine_cases = by_case.get(sid, set())
        row.cases = len(mine_cases)
        row.grades = tuple(sorted({g for g in (cases[c].grade for c in mine_cases) if g}))
        if row.items:
            share = row.with_content / row.entries if row.entries else 0.0
            row.points.append(Point("content", None, "", "", row.with_content, row.entries,
                                    rubric.content * share, rubric.content))
        row.earned = sum(p.earned for p in row.points)
        row.possible = sum(p.possible for p in row.points)
        adjustment, note, version = notes.get(sid, (0, "", 0))
        row.adjustment, row.note, row.note_version = int(adjustment or 0), note or "", version
        if row.adjustment:
            row.points.append(Point("adjustment", None, "", "", 0, 0, row.adjustment, 0))
        if row.possible:
            raw = round(100 * row.earned / row.possible) + row.adjustment
            row.score = max(0, min(100, raw))
    listed = sorted(helpers.values(), key=lambda h: (h.name, h.staff_id))
    return listed, _grades(listed, cases, by_case, own), flags


def _overdue(helpers: dict[int, HelperRow], posts: dict[tuple[int, int], Post],
             cases: dict[int, CaseInfo], end: dt.date, rules: tuple[Rule, ...],
             rubric: Rubric) -> None:
    """Take ``rubric.overdue`` for each item overdue at ``end`` from whose it is."""
    if not cases:
        return
    team: dict[int, list[tuple[int, set[str]]]] = {}
    for (sid, cid), post in posts.items():
        team.setdefault(cid, []).append((sid, post.roles))
    by_code = {r.code: r for r in rules}
    items = due_items([c.case for c in cases.values()], end, days=-1, rules=rules,
                      all_open=len(cases) > MANY_CASES)
    authors = _authors([i.contact_id for i in items if i.what == "follow_up" and i.contact_id])
    for item in items:
        rule = by_code.get(item.what)
        if rule is not None:
            whose = [sid for sid, roles in team.get(item.case_id, [])
                     if any(rule.applies_to(r) for r in roles)]
        elif item.what == "follow_up":
            whose = [authors.get(item.contact_id or 0, 0)]
        elif item.what in ("review", "goal"):
            whose = cases[item.case_id].leads if item.case_id in cases else []
        else:
            continue
        for sid in dict.fromkeys(whose):
            row = helpers.get(sid)
            if row is None:
                continue
            row.points.append(Point("overdue", item.case_id, item.name, item.what, 0, 0,
                                    -rubric.overdue, 0))
            row.overdue += 1


def _grades(helpers: list[HelperRow], cases: dict[int, CaseInfo], by_case: dict[int, set[int]],
            own: dict[tuple[int, int], list[Entry]]) -> list[GradeRow]:
    """The helpers' figures by the grade of their cases' classes."""
    rows: dict[int | None, GradeRow] = {}
    seen_cases: dict[int | None, set[int]] = {}
    scores: dict[int | None, list[int]] = {}
    for h in helpers:
        mine: dict[int | None, set[int]] = {}
        for cid in by_case.get(h.staff_id, ()):
            mine.setdefault(cases[cid].grade, set()).add(cid)
        for grade, ids in mine.items():
            row = rows.setdefault(grade, GradeRow(grade))
            row.helpers += 1
            seen_cases.setdefault(grade, set()).update(ids)
            for p in h.points:
                if p.case_id in ids:
                    row.items += p.what == "rule"
                    row.items_met += p.what == "rule" and p.done >= p.required
                    row.overdue += p.what == "overdue"
            row.entries += sum(len(own.get((h.staff_id, c), ())) for c in ids)
            if h.score is not None:
                scores.setdefault(grade, []).append(h.score)
    for grade, row in rows.items():
        row.cases = len(seen_cases.get(grade, ()))
        got = scores.get(grade)
        row.mean_score = sum(got) / len(got) if got else None
    return sorted(rows.values(), key=lambda r: (r.grade is None, r.grade or 0))
