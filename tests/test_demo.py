"""The demo school: counts, integrity, determinism and search keys."""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections import Counter

import pytest
from peewee import fn

from db import clock
from db.store.connection import close_database, open_database
from db.demo.build import build_demo
from db.demo.calendar import exams_for, school_days, terms_for
from db.demo.contacts import Builder
from db.models import (Assignment, AuditLog, Case, Checkin, Contact, FamilyEvent, Goal, Guardian,
                       PeerPair, SchoolClass, Score, StageReview, Staff, Student, Term)
from db.pinyin import name_keys
from db.progress import term_figures
from db.scores import DEFAULT_DIMENSIONS, DEFAULT_SUBJECTS
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
                        ("score", Score), ("checkin", Checkin), ("audit_log", AuditLog)):
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
    events = {f"event:{e.uuid}": e for e in FamilyEvent.select()}
    for c in Contact.select():
        assert c.author_id in staff
        assert opened[c.case_id] <= c.occurred_at.date() <= TODAY
        assert c.kind in CONTACT_KINDS and c.channel in CHANNELS
        if c.meeting_id:  # a family event the family came to (db.event_contacts)
            event = events[c.meeting_id]
            assert (c.kind, c.channel, c.discussed) == ("family", "parent_meeting", event.topic)
            assert c.occurred_at == dt.datetime.combine(event.held_on, dt.time(12, 0))
            continue
        assert c.author_id in team[c.case_id]
        assert 7 <= c.occurred_at.hour <= 20
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


def _leads() -> dict[int, set[int]]:
    """student -> the staff who led their case this term (at any time)."""
    out: dict[int, set[int]] = {}
    for student, staff in (Assignment.select(Case.student, Assignment.staff).join(Case)
                           .where((Case.term == current_term())
                                  & (Assignment.role == "lead")).tuples()):
        out.setdefault(student, set()).add(staff)
    return out


def test_supported_students_have_this_terms_exam_scores(school):
    term = current_term()
    exams = [(name, day) for name, day in exams_for(terms_for(TODAY)[0]) if day < TODAY]
    assert [name for name, _ in exams] == ["九月月考", "十月月考", "期中考试"]
    assert all(school_days(day, day) == [day] for _, day in exams)
    dates = dict(exams)
    cases = {c.student_id: c for c in Case.select().where(Case.term == term)}
    leads = _leads()
    sat: dict[int, set[str]] = {}
    seen = set()
    for s in Score.select():
        case = cases[s.student_id]  # only this term's supported students
        assert s.taken_on == dates[s.exam] and s.taken_on >= case.opened_on
        assert s.subject in DEFAULT_SUBJECTS and s.full_marks == 120
        assert 0 <= s.score <= s.full_marks and (s.score * 2).is_integer()
        assert s.author_id in leads[s.student_id]
        assert s.version == 1 and s.taken_on <= s.updated_at.date() < TODAY
        assert uuid.UUID(s.uuid).version == 4 and s.uuid not in seen
        seen.add(s.uuid)
        sat.setdefault(s.student_id, set()).add(s.exam)
    first = exams[0][1]
    early = [sid for sid, c in cases.items() if c.opened_on <= first]
    assert len(early) > len(cases) / 2
    for sid in early:  # every exam since the case opened, whatever its status now
        assert sat.get(sid) == set(dates), sid
    for sid, case in cases.items():
        assert sat.get(sid, set()) == {n for n, d in exams if d >= case.opened_on}


def test_the_terms_figure_falls_short_of_the_target_at_1500(fresh):
    fresh()
    counts = build_demo(students=1500, seed=1)
    figures = term_figures()
    total = figures.total
    assert total.students == Case.select().where(Case.term == current_term()).count()
    assert 0.5 <= total.share <= 0.85  # a real gap to the 80% target, not a fiasco
    assert 0 < total.unmeasured < total.measurable  # late cases: one exam or none
    changes = [m.change for _, _, m in figures.students.values() if m.change is not None]
    assert sum(c < 0 for c in changes) >= 5  # some went down
    scores = list(Score.select(Score.student, Score.exam, Score.score, Score.full_marks)
                  .tuples())
    assert counts["score"] == len(scores)
    assert all(0 <= score <= full for _, _, score, full in scores)
    assert 0.3 <= sum(score / full for _, _, score, full in scores) / len(scores) <= 0.75
    sittings = Counter((sid, exam) for sid, exam, _, _ in scores)
    missed = sum(n < len(DEFAULT_SUBJECTS) for n in sittings.values())
    assert 0.03 <= missed / len(sittings) <= 0.1  # absent from one paper now and then
    assert all(n >= len(DEFAULT_SUBJECTS) - 1 for n in sittings.values())
    assert any(not score.is_integer() for _, _, score, _ in scores)  # half marks


def test_psychological_cases_have_monthly_checkins(school):
    term = current_term()
    leads = _leads()
    checked, ups = 0, []
    for case in Case.select().where(Case.term == term):
        rows = list(Checkin.select().where(Checkin.student == case.student_id)
                    .order_by(Checkin.taken_on))
        if "psychological" not in split_codes(case.categories):
            assert not rows
            continue
        if (TODAY - case.opened_on).days >= 14:
            assert rows, case.id
        days = [r.taken_on for r in rows]
        assert all(case.opened_on < d < TODAY for d in days)
        assert all(school_days(d, d) == [d] for d in days)
        assert all(25 <= (b - a).days <= 40 for a, b in zip(days, days[1:]))
        for r in rows:
            ratings = json.loads(r.ratings)
            assert set(ratings) == set(DEFAULT_DIMENSIONS)
            assert all(v in (1, 2, 3, 4, 5) for v in ratings.values())
            assert r.author_id in leads[case.student_id] and r.version == 1
            assert r.updated_at.date() == r.taken_on
            assert not r.note or re.search(r"[\u4e00-\u9fff]", r.note)
        if len(rows) >= 2:
            ups.append(sum(json.loads(rows[-1].ratings).values())
                       - sum(json.loads(rows[0].ratings).values()))
        checked += bool(rows)
    assert checked >= 3
    assert sum(ups) > 0  # drifting up, on the whole
    assert Checkin.select().where(Checkin.note != "").exists()


def test_scores_and_checkins_leave_the_rest_of_the_school_as_it_was(fresh, monkeypatch):
    """They come from a stream of their own: the same seed without them gives the
    same rows everywhere else, and generating them draws nothing from the others."""
    real = Builder.scores_and_checkins

    def tables():
        out = {}
        for model in (Term, Staff, SchoolClass, Student, Guardian, Case, Assignment, Goal,
                      StageReview, PeerPair, Contact):
            out[model._meta.table_name] = list(model.select().order_by(model.id).tuples())
        return out

    def checked(self, base):
        before = (self.rng.getstate(), self.rng2.getstate())
        real(self, base)
        assert (self.rng.getstate(), self.rng2.getstate()) == before
        assert self.rows["score"] and self.rows["checkin"]

    fresh("with.db")
    monkeypatch.setattr(Builder, "scores_and_checkins", checked)
    build_demo(students=300, seed=5)
    full = tables()
    audit = list(AuditLog.select().order_by(AuditLog.id).tuples())

    def skipped(self, base):
        self.rows["score"], self.rows["checkin"] = [], []

    fresh("without.db")
    monkeypatch.setattr(Builder, "scores_and_checkins", skipped)
    build_demo(students=300, seed=5)
    assert not Score.select().exists() and not Checkin.select().exists()
    assert tables() == full

    def bulk(rows):
        return [row[5:] for row in rows if row[5] not in ("score", "checkin")]
    assert bulk(AuditLog.select().order_by(AuditLog.id).tuples()) == bulk(audit)
    assert len(audit) - AuditLog.select().count() == 2


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
    # first the mark that makes it a demo (db.clock: the clock overrides count on it)
    mark, *rows = list(AuditLog.select().order_by(AuditLog.id))
    assert (mark.table_name, mark.row_id, mark.action) == ("bangfu_meta", "made_by", "insert")
    assert json.loads(mark.changes) == {"made_by": "demo"} and mark.staff_id is None
    assert mark.at == dt.datetime.combine(TODAY, dt.time(6, 0))
    assert {r.table_name for r in rows} == {
        "term", "staff", "school_class", "student", "guardian", "case_file",
        "assignment", "goal", "stage_review", "peer_pair", "contact", "score", "checkin",
        "holiday", "family_event", "event_attendance", "feedback", "survey", "survey_answer",
        "recognition", "organisation", "referral", "outside_helper", "transformation",
        "case_event", "correction", "supervision_note"}
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
            [c.uuid for c in Contact.select().order_by(Contact.id)],
            [(s.uuid, s.student_id, s.exam, s.subject, s.score)
             for s in Score.select().order_by(Score.id)],
            [(c.uuid, c.ratings, c.note) for c in Checkin.select().order_by(Checkin.id)])


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
    assert all(term.start_date <= s.taken_on < today for s in Score.select())
    assert all(term.start_date <= c.taken_on < today for c in Checkin.select())
    if today == dt.date(2026, 9, 1):  # the first day: nothing sat yet
        assert not Score.select().exists()
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


def test_a_believable_term_of_work_with_families(school):
    """Two parent school sessions and a parent meeting with attendance, a meeting
    of the supported families, a dozen feedback items, the term's survey, the
    holidays and a holiday family contact rule (issue 22)."""
    from db.models import EventAttendance, Feedback, Holiday, Recognition, Survey, SurveyAnswer
    from db.surveys import term_satisfaction
    from db.workflow import load_rules

    kinds = Counter(e.kind for e in FamilyEvent.select())
    assert kinds == {"parent_school": 2, "parent_meeting": 1, "focus_meeting": 1}
    for event in FamilyEvent.select():
        rows = list(EventAttendance.select().where(EventAttendance.event == event))
        came = sum(r.attended for r in rows)
        assert rows and 0.4 < came / len(rows) < 0.95, event.kind
        assert event.held_on < TODAY
        derived = Contact.select().where(Contact.meeting_id == f"event:{event.uuid}").count()
        assert 0 < derived <= came
    assert Feedback.select().count() == 12
    assert 1 <= Feedback.select().where(Feedback.answered_on.is_null()).count() <= 4
    [survey] = Survey.select()
    assert SurveyAnswer.select().count() > 0.7 * Student.select().count()
    admin = Staff.get(Staff.role == "admin")
    rate = term_satisfaction(survey.term_id, admin).overall.rate
    assert 70 < rate < 95  # near the target of 85%, not a foregone conclusion
    assert Recognition.select().count() == 4
    assert {h.kind for h in Holiday.select()} == {"day_off", "winter", "summer"}
    assert "holiday_family" in {r.code for r in load_rules()}


def test_on_a_winter_holiday_day_the_demo_asks_for_holiday_contacts_not_help(fresh):
    from db.workflow import due_items, my_cases

    fresh()
    clock.set_today(dt.date(2027, 2, 10))
    build_demo(students=300, seed=1)
    lead = (Assignment.select(Assignment.staff).where(Assignment.role == "lead")
            .group_by(Assignment.staff).order_by(fn.COUNT(Assignment.id).desc()).scalar())
    items = due_items(my_cases(lead), dt.date(2027, 2, 10))
    assert items and not {"help", "family"} & {i.what for i in items}  # both term-time
    assert "holiday_family" in {i.what for i in items}


def test_a_month_of_oversight(school):
    """Issue 23: referrals in every status (some follow-ups overdue), outside
    helpers, each transformed case confirmed with its evidence and in its
    history, proposals waiting for the coordinator, and last month's supervision:
    a notice naming two helpers, each with a correction item, and an adjustment."""
    from db.caseload import with_extras
    from db.models import (CaseEvent, Correction, Organisation, OutsideHelper, Referral,
                           SupervisionNote, Transformation)
    from db.supervision import supervision
    from db.transformation import Evidence

    assert Organisation.select().count() >= 5
    assert {r.status for r in Referral.select()} == {"sent", "accepted", "seen", "closed"}
    overdue = [r for r in Referral.select() if r.follow_up_on and r.follow_up_on < TODAY]
    assert overdue and all(r.status != "closed" for r in overdue)
    lead = (Assignment.select(Assignment.staff)
            .where(Assignment.case == overdue[0].case_id, Assignment.role == "lead",
                   Assignment.active == True).scalar())  # noqa: E712
    assert overdue[0].id in {i.referral_id for i in with_extras([], lead, TODAY)}
    assert OutsideHelper.select().count() >= 4
    transformed = {c.id for c in Case.select().where(Case.status == "transformed")}
    confirmed = list(Transformation.select().where(Transformation.status == "confirmed"))
    assert transformed and {t.case_id for t in confirmed} == transformed
    for t in confirmed:
        assert t.decided_by_id != t.proposed_by_id and t.reason
        assert Evidence.from_json(t.evidence).goals_total >= 0
        case = Case.get_by_id(t.case_id)
        assert case.closed_on == t.decided_on <= TODAY
        assert CaseEvent.get(CaseEvent.case == t.case_id).kind == "transformed"
    pending = list(Transformation.select().where(Transformation.status == "proposed"))
    coordinator = Staff.get(Staff.role == "coordinator")
    assert pending and {t.id for t in pending} <= {
        i.transformation_id for i in with_extras([], coordinator.id, TODAY)}
    report = supervision(TODAY, "last_month", reader=coordinator)
    noticed = {h.staff_id for h in report.below}
    corrections = list(Correction.select())
    assert len(noticed) == 2 and {c.staff_id for c in corrections} == noticed
    assert sorted(c.done_on is None for c in corrections) == [False, True]  # one done
    assert {c.month for c in corrections} == {report.month}
    [note] = SupervisionNote.select()
    assert note.month == report.month and note.adjustment and note.note
