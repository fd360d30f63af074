"""The demo school: counts, integrity, determinism and search keys."""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections import Counter

import pytest

from db import clock
from db.connection import close_database, open_database
from db.demo import build_demo, terms_for
from db.models import (Assignment, AuditLog, Case, Contact, Goal, Guardian, PeerPair,
                       SchoolClass, StageReview, Staff, Student, Term)
from db.pinyin import name_keys
from db.vocab import (CASE_STATUSES, CATEGORIES, CAUSES, CHANNELS, CONTACT_KINDS,
                      FAMILY_FLAGS, GOAL_STATUSES, RELATIONS, STAFF_ROLES, split_codes)

TODAY = dt.date(2026, 11, 20)


@pytest.fixture
def fresh(tmp_path):
    """Open a new database file on demand; the date is pinned to ``TODAY``."""
    clock.set_today(TODAY)

    def open_new(name: str = "x.db"):
        close_database()
        return open_database(tmp_path / name, create=True)

    yield open_new
    close_database()
    clock.set_today(None)


@pytest.fixture
def school(fresh):
    fresh()
    return build_demo(students=300, seed=1)


def current_term() -> Term:
    return Term.get((Term.start_date <= TODAY) & (Term.end_date >= TODAY))


def test_counts_match_the_tables(school):
    assert school["student"] == Student.select().count() == 300
    for name, model in (("term", Term), ("staff", Staff), ("school_class", SchoolClass),
                        ("guardian", Guardian), ("case_file", Case),
                        ("assignment", Assignment), ("goal", Goal), ("contact", Contact),
                        ("stage_review", StageReview), ("peer_pair", PeerPair),
                        ("audit_log", AuditLog)):
        assert school[name] == model.select().count(), name
    assert school["term"] == 2
    assert school["school_class"] == 6
    assert school["staff"] >= 40
    assert school["contact"] > 10 * school["case_file"] / 2


def test_about_ten_percent_have_a_case_this_term(school):
    term = current_term()
    assert term.name == "2026-2027 第一学期"
    cases = list(Case.select().where(Case.term == term))
    assert 24 <= len(cases) <= 36
    assert len({c.student_id for c in cases}) == len(cases)
    statuses = Counter(c.status for c in cases)
    assert set(statuses) <= set(CASE_STATUSES)
    assert statuses["active"] + statuses["identified"] + statuses["improving"] > len(cases) / 2
    # some were already helped last term, and those cases are closed
    earlier = list(Case.select().where(Case.term != term))
    assert earlier and all(c.status == "closed" and c.closed_on for c in earlier)
    for case in cases + earlier:
        t = Term.get_by_id(case.term_id)
        assert t.start_date <= case.opened_on <= min(t.end_date, TODAY)
        assert 1 <= len(split_codes(case.categories)) <= 3
        assert set(split_codes(case.categories)) <= set(CATEGORIES)
        assert 2 <= len(split_codes(case.causes)) <= 4
        assert set(split_codes(case.causes)) <= set(CAUSES)
        assert all((case.strengths, case.academic_base, case.main_problems,
                    case.cause_analysis, case.measures))
        assert case.version == 1


def test_every_case_has_exactly_one_active_lead(school):
    leads = Counter(a.case_id for a in Assignment.select()
                    .where((Assignment.role == "lead") & (Assignment.active == True)))  # noqa: E712
    case_ids = [c.id for c in Case.select(Case.id)]
    assert all(leads[c] == 1 for c in case_ids)
    assert len(leads) == len(case_ids)
    helpers = Counter(a.case_id for a in Assignment.select().where(Assignment.role != "lead"))
    assert all(n <= 2 for n in helpers.values())
    # the lead teaches the student's class, or is a counsellor
    for a in (Assignment.select().where((Assignment.role == "lead")
                                        & (Assignment.active == True))):  # noqa: E712
        assert a.staff.role in ("class_teacher", "teacher", "counsellor")


def test_contacts_are_by_assigned_staff_and_never_in_the_future(school):
    team: dict[int, set[int]] = {}
    for case_id, staff_id in Assignment.select(Assignment.case, Assignment.staff).tuples():
        team.setdefault(case_id, set()).add(staff_id)
    opened = dict(Case.select(Case.id, Case.opened_on).tuples())
    staff = {s.id for s in Staff.select(Staff.id)}
    seen = set()
    for c in Contact.select():
        assert c.author_id in staff
        assert c.author_id in team[c.case_id]
        assert opened[c.case_id] <= c.occurred_at.date() <= TODAY
        assert 7 <= c.occurred_at.hour <= 20
        assert c.kind in CONTACT_KINDS and c.channel in CHANNELS
        assert 5 <= c.duration_min <= 60
        assert c.discussed and c.participants and c.host == "demo"
        assert uuid.UUID(c.uuid).version == 4 and c.uuid not in seen
        seen.add(c.uuid)
        if c.follow_up_due:
            assert c.follow_up
        if c.follow_up_done_on:
            assert c.follow_up_done_on <= TODAY
    kinds = Counter(Contact.select(Contact.kind).tuples())
    assert kinds[("student",)] > kinds[("family",)] > 0


def test_some_open_cases_are_overdue_for_a_family_contact(school):
    term = current_term()
    gaps = []
    for case in Case.select().where((Case.term == term)
                                    & Case.status.in_(("active", "improving"))):
        last = (Contact.select(Contact.occurred_at)
                .where((Contact.case == case) & (Contact.kind == "family"))
                .order_by(Contact.occurred_at.desc()).scalar())
        if last:
            gaps.append((TODAY - last.date()).days)
    assert any(g >= 35 for g in gaps)
    assert sum(g < 35 for g in gaps) > len(gaps) / 2


def test_stage_reviews_come_about_monthly_and_a_few_open_cases_are_behind(school):
    from db.workflow import load_review_days

    term = current_term()
    behind, on_time = 0, 0
    for case in Case.select().where((Case.term == term)
                                    & Case.status.in_(("identified", "active", "improving"))):
        days = [r.review_date for r in StageReview.select().where(StageReview.case == case)
                .order_by(StageReview.review_date)]
        assert all(case.opened_on < d < TODAY for d in days)
        assert all(25 <= (b - a).days <= 40 for a, b in zip(days, days[1:]))
        last = days[-1] if days else case.opened_on
        if (TODAY - last).days > load_review_days() + 3:
            behind += 1
        else:
            on_time += 1
    assert 0 < behind < on_time
    # each review by someone on the case, with the goals as judged then
    for review in StageReview.select().limit(50):
        assert Assignment.select().where((Assignment.case == review.case_id)
                                         & (Assignment.staff == review.author_id)).exists()
        judged = json.loads(review.goals)
        assert judged and all(status in GOAL_STATUSES for _, _, status in judged)
        assert re.search(r"[\u4e00-\u9fff]", review.summary)


def test_peer_helpers_are_unsupported_classmates(school):
    pairs = list(PeerPair.select())
    assert len(pairs) > Case.select().where(Case.term == current_term()).count() / 10
    supported = {c.student_id for c in Case.select(Case.student)}
    for p in pairs:
        helper, case = Student.get_by_id(p.helper_id), Case.get_by_id(p.case_id)
        assert p.helper_id not in supported
        assert helper.school_class_id == case.student.school_class_id


def test_goals_plan_each_case(school):
    for case in Case.select():
        goals = list(Goal.select().where(Goal.case == case))
        horizons = Counter(g.horizon for g in goals)
        assert 1 <= horizons["short"] <= 2 and horizons["long"] == 1
        assert all(g.status in GOAL_STATUSES and g.due_date and g.measure for g in goals)


def test_students_and_families_look_real(school):
    numbers = [s.student_no for s in Student.select()]
    assert len(set(numbers)) == len(numbers)
    assert all(re.fullmatch(r"\d{8,10}", n) for n in numbers)
    for cls in SchoolClass.select():
        assert re.fullmatch(r"[七八九]年级\(\d+\)班", cls.name)
        assert cls.code == f"{cls.grade}-{cls.name.split('(')[1].split(')')[0]}"
        assert cls.head_teacher.role == "class_teacher"
    for st in Student.select():
        assert st.gender in ("M", "F")
        assert 2010 <= st.birth_date.year <= 2015
        flags = split_codes(st.family_flags)
        assert set(flags) <= set(FAMILY_FLAGS)
        if set(flags) - {"only_child"}:
            assert st.family_notes
    guardians = Counter(g.student_id for g in Guardian.select())
    assert all(1 <= guardians[s] <= 2 for s in Student.select(Student.id).tuples()
               for s in s)
    for g in Guardian.select().join(Student):
        assert g.relation in RELATIONS
        assert re.fullmatch(r"1[358]\d{9}", g.phone)
        if g.relation == "father":
            assert g.name[0] == g.student.name[0]
    roles = Counter(s.role for s in Staff.select())
    assert set(roles) <= set(STAFF_ROLES)
    assert roles["admin"] == 1 and roles["coordinator"] == 1
    assert 2 <= roles["counsellor"] <= 3 and roles["volunteer"] >= 2
    assert len({s.name for s in Staff.select()}) == Staff.select().count()


def test_audit_log_has_one_bulk_row_per_table(school):
    rows = list(AuditLog.select())
    assert {r.table_name for r in rows} == {
        "term", "staff", "school_class", "student", "guardian", "case_file",
        "assignment", "goal", "stage_review", "peer_pair", "contact"}
    for r in rows:
        assert r.action == "bulk" and r.staff_id is None and r.staff_name == "demo"
        assert json.loads(r.changes) == {"rows": school[r.table_name], "source": "demo",
                                         "seed": 1}


def test_pinyin_keys_are_stored(school):
    for st in Student.select():
        assert (st.pinyin, st.initials) == name_keys(st.name)
    for s in Staff.select():
        assert (s.pinyin, s.initials) == name_keys(s.name)
    zeng = Student.select().where(Student.name.startswith("曾")).first()
    assert zeng is not None
    readings = zeng.pinyin.split("|")
    assert any(r.startswith("zeng") for r in readings)
    assert any(r.startswith("ceng") for r in readings)
    assert any(i.startswith("c") for i in zeng.initials.split("|"))


def _snapshot():
    return ([(s.student_no, s.name) for s in Student.select().order_by(Student.id)],
            [c.uuid for c in Contact.select().order_by(Contact.id)])


def test_same_seed_same_school(fresh):
    fresh("a.db")
    build_demo(students=300, seed=7)
    first = _snapshot()
    fresh("b.db")
    build_demo(students=300, seed=7)
    assert _snapshot() == first
    fresh("c.db")
    build_demo(students=300, seed=8)
    other = _snapshot()
    assert other[0] != first[0] and not set(other[1]) & set(first[1])


def test_polyphonic_surnames_and_zw_at_1500(fresh):
    fresh()
    counts = build_demo(students=1500, seed=1)
    assert counts["school_class"] == 30
    assert 130 <= Case.select().where(Case.term == current_term()).count() <= 170
    surnames = Counter(name[0] for (name,) in Student.select(Student.name).tuples())
    for surname in "曾单解仇区查朴盖":
        assert surnames[surname] >= 1, surname
    assert surnames["曾"] >= 5  # a common surname, not a token one
    zw = [s.name for s in Student.select() if "zw" in s.initials.split("|")]
    assert len(zw) >= 3
    left_behind = Student.select().where(Student.family_flags.contains("left_behind")).count()
    assert 150 <= left_behind <= 300


def test_refuses_a_database_with_students(fresh):
    fresh()
    build_demo(students=60, seed=1)
    with pytest.raises(ValueError):
        build_demo(students=60, seed=1)
    assert Student.select().count() == 60

    fresh("other.db")
    Student.create(student_no="1", name="王一", created_at=dt.datetime(2026, 9, 1),
                   updated_at=dt.datetime(2026, 9, 1))
    with pytest.raises(ValueError):
        build_demo(students=60, seed=1)
    assert Student.select().count() == 1
    assert Contact.select().count() == 0


def test_progress_is_reported(fresh):
    fresh()
    calls = []
    build_demo(students=100, seed=3, progress=lambda done, total: calls.append((done, total)))
    assert len(calls) >= 3
    dones = [d for d, _ in calls]
    assert dones == sorted(dones)
    assert calls[-1][0] == calls[-1][1]


@pytest.mark.parametrize("today", [dt.date(2027, 3, 15), dt.date(2026, 8, 10),
                                   dt.date(2027, 2, 5), dt.date(2026, 9, 1)])
def test_any_day_of_the_year(fresh, today):
    fresh()
    clock.set_today(today)
    build_demo(students=120, seed=1)
    term = Term.get((Term.start_date <= today) & (Term.end_date >= today))
    assert term.semester in (1, 2)
    assert Term.select().count() == 2
    assert all(c.occurred_at.date() <= today for c in Contact.select())
    assert all(c.opened_on <= today for c in Case.select())
    leads = Counter(a.case_id for a in Assignment.select()
                    .where((Assignment.role == "lead") & (Assignment.active == True)))  # noqa: E712
    assert all(leads[c.id] == 1 for c in Case.select())


def test_terms_cover_the_year():
    day = dt.date(2026, 1, 1)
    while day.year < 2028:
        current, previous = terms_for(day)
        assert current.start <= day <= (current.stored_end or current.end), day
        assert previous.end < current.start
        day += dt.timedelta(days=1)
