"""What each teacher owes: frequency rules, follow-ups and goals, as a due list.

The school plans ask for a help session with the student at least weekly, a
contact with the family at least monthly and a home visit at least once a
term.  A rule counts any entry of its kind, whatever channel it was logged
under (relabelling an entry never satisfies or breaks a rule); only the home
visit rule is about the channel itself.  Schools can change the rules: they are
stored in the file (``bangfu_meta`` key ``rules``, JSON), shared by everyone.

A rule "a term" may ask for several entries (``times``): the k-th of N is due
k/(N+1) of the way through the term.  Holidays and days off (``holiday``
table, ``db.holidays``) pause the rules of school days (``during`` "school",
the weekly help session by default) and every rule "a term": while one lasts
they ask for nothing, and afterwards their count starts again from its last
day.  A rule ``during`` "holiday" (a school's holiday family contact) asks only
while a holiday lasts: every N days from its first day, or once (N times) in it.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from peewee import JOIN

from db import audit, clock
from db.store import journal
from db.dates import as_date
from db.holidays import Calendar
from db.models import (Assignment, Case, Contact, Meta, SchoolClass, Staff, Student,
                       Term, database)
from db.vocab import OPEN_STATUSES

if TYPE_CHECKING:
    from db.models import Rows


@dataclass(frozen=True, slots=True)
class Rule:
    code: str  # "help", "family", "home_visit" or a school's own
    kind: str = ""  # entries of this kind count ("" = any kind)
    channel: str = ""  # only entries on this channel count ("" = any channel)
    every_days: int = 0  # at least once every N days ...
    per_term: bool = False  # ... or at least ``times`` times a term (a holiday)
    times: int = 1
    during: str = ""  # "" all year, "school" school days only, "holiday" holidays only
    roles: str = ""  # who on a case's team the rule asks (comma list of ASSIGNMENT_ROLES)

    def applies_to(self, role: str) -> bool:
        """Does the rule ask this team role (db.vocab.ASSIGNMENT_ROLES) for its entries?
        ``roles`` when set; else the weekly help (kind "student") asks the lead,
        tutors and volunteers, and every other rule the lead only."""
        if self.roles:
            return role in self.roles.split(",")
        if self.kind == "student":
            return role in STUDENT_RULE_ROLES
        return role == "lead"

    def counts(self, kind: str, channel: str) -> bool:
        return (not self.kind or kind == self.kind) and (not self.channel or channel == self.channel)

    @property
    def log_kind(self) -> str:
        return self.kind or "family"

    @property
    def log_channel(self) -> str:
        return self.channel or ("face" if self.kind == "student" else "phone")


STUDENT_RULE_ROLES = ("lead", "tutor", "volunteer")  # who the help sessions are asked of
DEFAULT_RULES = (
    Rule("help", kind="student", every_days=7, during="school"),
    Rule("family", kind="family", every_days=30),
    Rule("home_visit", channel="home_visit", per_term=True),
)
RULES_KEY = "rules"
DUE_DAYS = 7  # "due in the next 7 days"
REVIEW_KEY = "review_days"  # a stage review at least every N days (bangfu_meta)
DEFAULT_REVIEW_DAYS = 30


def stored_setting(key: str) -> Meta | None:
    """A school setting's row in ``bangfu_meta`` (None: the default applies)."""
    return Meta.get_or_none(Meta.key == key)


def put_setting(key: str, value: str) -> None:
    """Store a school setting (inside the caller's journaled transaction)."""
    # not an upsert: on a server of many schools the key is unique within a school
    # (db.store.district), and a school writes its own row over the district's default
    if not Meta.update(value=value).where(Meta.key == key).execute():
        Meta.insert(key=key, value=value).execute()


def load_rules() -> tuple[Rule, ...]:
    """The school's rules from the file, else the defaults of the school plans."""
    row = Meta.get_or_none(Meta.key == RULES_KEY)
    if row is None:
        return DEFAULT_RULES
    try:
        return tuple(Rule(**{k: v for k, v in item.items() if k in Rule.__slots__})
                     for item in json.loads(row.value))
    except (TypeError, ValueError, AttributeError):
        return DEFAULT_RULES


def load_review_days() -> int:
    """How often a case's plan is reviewed (阶段评估), unless a review set the next date."""
    row = Meta.get_or_none(Meta.key == REVIEW_KEY)
    try:
        days = int(row.value) if row is not None else DEFAULT_REVIEW_DAYS
    except ValueError:
        return DEFAULT_REVIEW_DAYS
    return days if days > 0 else DEFAULT_REVIEW_DAYS


def review_due(last: dt.date | None, next_due: dt.date | None, opened: dt.date | None,
               term_start: dt.date, every: dt.timedelta) -> dt.date:
    """When a case's next stage review is due: the date its last review set,
    else ``every`` after that review, else ``every`` after the case opened
    (or the term began, for a case carried over)."""
    if next_due:
        return next_due
    return (last or max(opened or term_start, term_start)) + every


def current_term(today: dt.date) -> Term | None:
    """The term that contains ``today``, else the latest one that has started."""
    term = (Term.select().where(Term.start_date <= today, Term.end_date >= today)
            .order_by(Term.start_date.desc()).first())
    if term is None:
        term = (Term.select().where(Term.start_date <= today)
                .order_by(Term.start_date.desc()).first())
    return term


@dataclass(slots=True)
class DueItem:
    case_id: int
    student_id: int
    name: str
    class_name: str
    student_no: str
    what: str  # a rule's code, "follow_up", "goal", "review" or "feedback"
    due: dt.date
    last: dt.date | None = None  # when the rule was last met (None: never)
    text: str = ""  # the follow-up or the goal
    contact_id: int | None = None  # the entry whose follow-up this is
    kind: str = "family"  # what `n` logs for it
    channel: str = "phone"
    restricted: str = ""  # a restricted entry's follow-up: its text is not here
    feedback_id: int | None = None  # what="feedback": a family's item to answer (db.feedback)
    referral_id: int | None = None  # what="referral": its follow-up is due (db.referrals)
    correction_id: int | None = None  # what="correction": a correction item (db.corrections)
    transformation_id: int | None = None  # what="transformation": to confirm (db.transformation)

    def overdue_days(self, today: dt.date) -> int:
        return (today - self.due).days


@dataclass(slots=True)
class OpenCase:
    case_id: int
    student_id: int
    name: str
    class_name: str
    student_no: str
    opened_on: dt.date | None



def my_cases(staff_id: int) -> list[OpenCase]:
    """Open cases the staff member is assigned to (any role)."""
    query = (Case.select(Case.id, Case.opened_on, Student.id, Student.name, Student.student_no,
                         SchoolClass.name)
             .join(Assignment, on=(Assignment.case == Case.id))
             .switch(Case).join(Student)
             .join(SchoolClass, JOIN.LEFT_OUTER)
             .where(Assignment.staff == staff_id, Assignment.active == True,  # noqa: E712
                    Case.status.in_(OPEN_STATUSES))
             .distinct())
    return [OpenCase(cid, sid, name, cls or "", no, as_date(opened))
            for cid, opened, sid, name, no, cls in cast("Rows", query.tuples())]


def _selection(cases: list[OpenCase], all_open: bool) -> tuple[str, list]:
    """A WHERE clause (and its parameters) choosing the entries of ``cases``."""
    if all_open:
        marks = ",".join("?" * len(OPEN_STATUSES))
        return f"case_id IN (SELECT id FROM case_file WHERE status IN ({marks}))", list(OPEN_STATUSES)
    ids = [c.case_id for c in cases]
    return f"case_id IN ({','.join('?' for _ in ids)})", ids


def latest_entries(cases: list[OpenCase], term_start: dt.date, *, all_open: bool = False,
                   season_start: dt.date | None = None) -> list:
    """``(case, kind, channel, newest time, how many this term, how many this
    season)`` for every combination the cases have: all the rules and the
    overview need, read from one index.  The season is the holiday going on
    (``season_start``: its first day), else the term."""
    which, ids = _selection(cases, all_open)
    return list(database.execute_sql(
        "SELECT case_id, kind, channel, MAX(occurred_at), "
        "SUM(CASE WHEN occurred_at >= ? THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN occurred_at >= ? THEN 1 ELSE 0 END) FROM contact "
        f"WHERE {which} GROUP BY case_id, kind, channel",
        (str(term_start), str(season_start or term_start), *ids)))


def share_of(start: dt.date, end: dt.date, k: int, n: int) -> dt.date:
    """The day k/(n+1) of the way from ``start`` to ``end`` (the middle for 1 of 1)."""
    return start + (end - start) * k / (n + 1)


def term_bounds(today: dt.date) -> tuple[dt.date, dt.date]:
    term = current_term(today)
    if term is None:
        return today.replace(month=1, day=1), today.replace(month=12, day=31)
    return term.start_date, term.end_date


def due_items(cases: list[OpenCase], today: dt.date, days: int = DUE_DAYS,
              rules: tuple[Rule, ...] | None = None, *, all_open: bool = False,
              latest: list | None = None) -> list[DueItem]:
    """What is overdue or due within ``days`` for ``cases``, most urgent first.

    ``all_open`` says ``cases`` are every open case (the leaders' overview): the
    queries then select by status instead of listing thousands of ids.
    """
    if not cases:
        return []
    rules = load_rules() if rules is None else rules
    term_start, term_end = term_bounds(today)
    horizon = today + dt.timedelta(days=days)
    which, ids = _selection(cases, all_open)
    calendar = Calendar.around(today, horizon)
    now_off = calendar.on(today)  # the holiday going on, if any
    # per case and rule: the newest entry that counts, and how many are in this
    # term and this holiday (which rules an entry counts for depends only on
    # its kind and channel): the newest entry of every (case, kind, channel)
    matches: dict[tuple[str, str], tuple[int, ...]] = {}
    newest: dict[tuple[int, int], str] = {}  # (case, rule index) -> ISO time
    in_term: dict[tuple[int, int], int] = {}
    in_season: dict[tuple[int, int], int] = {}
    rows = latest if latest is not None else latest_entries(
        cases, term_start, all_open=all_open, season_start=now_off[0] if now_off else None)
    for case_id, kind, channel, last, this_term, this_season in rows:
        which_rules = matches.get((kind, channel))
        if which_rules is None:
            which_rules = matches[(kind, channel)] = tuple(
                n for n, rule in enumerate(rules) if rule.counts(kind, channel))
        last = str(last)
        for n in which_rules:
            key = (case_id, n)
            if newest.get(key, "") < last:
                newest[key] = last
            if this_term:
                in_term[key] = in_term.get(key, 0) + int(this_term)
            if this_season:
                in_season[key] = in_season.get(key, 0) + int(this_season)
    steps = [dt.timedelta(days=rule.every_days) for rule in rules]
    fortnight = dt.timedelta(days=14)
    back_from = calendar.last_end_before(today)  # school days' rules count again from here
    items: list[DueItem] = []
    for case in cases:
        anchor = max(case.opened_on or term_start, term_start)
        for n, rule in enumerate(rules):
            key = (case.case_id, n)
            seen = newest.get(key)
            last = dt.date.fromisoformat(seen[:10]) if seen else None
            if rule.during == "holiday":
                if now_off is None:
                    continue
                first, end = now_off
                if rule.per_term:
                    done = in_season.get(key, 0)
                    if done >= rule.times:
                        continue
                    due = share_of(first, end, done + 1, rule.times)
                else:
                    due = max(last or first, first, anchor) + steps[n]
                if due > end:
                    continue
            elif now_off is not None and (rule.per_term or rule.during == "school"):
                continue  # paused: a holiday or a day off
            elif rule.per_term:
                done = in_term.get(key, 0)
                if done >= rule.times:
                    continue
                # the k-th of N by k/(N+1) of the term (or k fortnights after a late opening)
                due = calendar.after(max(share_of(term_start, term_end, done + 1, rule.times),
                                         anchor + fortnight * (done + 1)))
            else:
                start = max(last, anchor) if last else anchor
                if rule.during == "school":
                    if back_from is not None and back_from > start:
                        start = back_from
                    due = calendar.after(start + steps[n])
                else:
                    due = start + steps[n]
            if due <= horizon:
                items.append(DueItem(case.case_id, case.student_id, case.name, case.class_name,
                                     case.student_no, rule.code, due, last,
                                     kind=rule.log_kind, channel=rule.log_channel))
    by_case = {c.case_id: c for c in cases}
    # "+case_id": read the few open follow-ups from their partial index, then
    # check the case, rather than every entry of every case
    follow_ups = database.execute_sql(
        "SELECT id, case_id, follow_up, follow_up_due, kind, channel, restricted FROM contact "
        f"WHERE follow_up_due IS NOT NULL AND follow_up_done_on IS NULL "
        f"AND follow_up_due <= ? AND +{which}", (str(horizon), *ids))
    for cid, case_id, text, due, kind, channel, restricted in follow_ups:
        c = by_case.get(case_id)
        if c is None:
            continue
        items.append(DueItem(c.case_id, c.student_id, c.name, c.class_name, c.student_no,
                             "follow_up", cast(dt.date, as_date(due)),  # IS NOT NULL above
                             text="" if restricted else text,
                             contact_id=cid, kind=kind, channel=channel,
                             restricted=restricted or ""))
    goals = database.execute_sql(
        f"SELECT case_id, text, due_date FROM goal WHERE {which} AND status = 'open' "
        "AND due_date IS NOT NULL AND due_date <= ?", (*ids, str(horizon)))
    for case_id, text, due in goals:
        c = by_case.get(case_id)
        if c is None:
            continue
        items.append(DueItem(c.case_id, c.student_id, c.name, c.class_name, c.student_no,
                             "goal", cast(dt.date, as_date(due)),  # IS NOT NULL above
                             text=text, kind="student", channel="face"))
    # stage reviews: on the date the last review set, else every N days
    # each case's newest review (the last of its newest date), and the date it set
    reviewed = {case_id: (as_date(last), as_date(next_due)) for case_id, last, next_due in
                database.execute_sql(
                    "SELECT case_id, review_date, next_review FROM stage_review r "
                    f"WHERE {which} AND review_date = (SELECT MAX(review_date) FROM stage_review "
                    "WHERE case_id = r.case_id) ORDER BY id", ids)}
    every = dt.timedelta(days=load_review_days())
    for c in cases:
        last, next_due = reviewed.get(c.case_id, (None, None))
        due = review_due(last, next_due, c.opened_on, term_start, every)
        if due <= horizon:
            items.append(DueItem(c.case_id, c.student_id, c.name, c.class_name, c.student_no,
                                 "review", due, last, kind="student", channel="face"))
    items.sort(key=lambda i: (i.due, i.name, i.what))
    return items


def my_due(staff_id: int, today: dt.date | None = None, days: int = DUE_DAYS) -> list[DueItem]:
    """My caseload: what the staff member's open cases need, and the items that
    are theirs beyond them (``db.caseload``), most urgent first."""
    from db.caseload import with_extras

    today = today or clock.today()
    return with_extras(due_items(my_cases(staff_id), today, days), staff_id, today, days)


class FollowUpGone(Exception):
    """The entry was deleted, or its follow-up already marked done."""


def mark_follow_up_done(actor: Staff, contact_id: int, on: dt.date | None = None) -> None:
    """Take a follow-up off the due list (recorded in the audit log)."""
    on = on or clock.today()
    with journal.transaction():
        row = Contact.get_or_none(Contact.id == contact_id)
        if row is None or row.follow_up_done_on is not None:
            raise FollowUpGone(contact_id)
        Contact.update(follow_up_done_on=on).where(Contact.id == contact_id).execute()
        audit.record(actor, "contact", contact_id, "update",
                     {"follow_up_done_on": [None, on.isoformat()]})
