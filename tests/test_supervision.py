"""Supervision (督导赋分, db.supervision): each helper's own work, worked out by
hand on a small school, the periods, the rubric, adjustments and the flags."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from db import access
from db.models import (Assignment, AuditLog, Case, Contact, SchoolClass, StageReview,
                       SupervisionNote)
from db.staff import add_staff
from db.students import create_student, open_case
from db.supervision import (Rubric, SupervisionError, load_rubric, month_bounds,
                            period_bounds, save_rubric, set_adjustment, supervision)
from db.workflow import Rule, load_rules
from tests.conftest import TODAY

SEP1 = dt.date(2026, 9, 1)


def entry(case_id: int, author_id: int, when: dt.datetime, kind: str = "student",
          channel: str = "face", text: str = "", created: dt.datetime | None = None,
          meeting: str | None = None, restricted: str = "") -> Contact:
    return Contact.create(uuid=uuid.uuid4().hex, case=case_id, author=author_id,
                          occurred_at=when, kind=kind, channel=channel, discussed=text,
                          created_at=created or when, meeting_id=meeting,
                          restricted=restricted, host="test")


@pytest.fixture
def ward(school):
    """Grade 9: 陈明's case since 1 September, led by 陈老师 (who logged every
    help session and the family contact of October, and both stage reviews),
    with 刘老师 as tutor (no entries); 孙老师 heads a class and has no case."""
    lead = add_staff(None, "陈老师", "teacher")
    tutor = add_staff(None, "刘老师", "teacher")
    idle = add_staff(None, "孙老师", "class_teacher")
    klass = SchoolClass.create(name="九年级(1)班", code="9-1", grade=9)
    student = create_student(None, student_no="20240109", name="陈明", gender="M",
                             class_id=klass.id)
    case = open_case(None, student.id, status="active", lead_id=lead.id)
    Case.update(opened_on=SEP1).where(Case.id == case.id).execute()
    Assignment.update(assigned_on=SEP1).where(Assignment.case == case.id).execute()
    Assignment.create(case=case.id, staff=tutor.id, role="tutor", assigned_on=SEP1)
    # the weekly help: October has 31 days, no holidays: 31 // 7 = 4 sessions asked
    for day in (5, 12, 19, 26):
        entry(case.id, lead.id, dt.datetime(2026, 10, day, 16),
              text=f"讲解第{day}页的练习题，订正了错题并复述解题思路")
    # the family contact: 31 // 30 = 1 asked
    entry(case.id, lead.id, dt.datetime(2026, 10, 15, 19), kind="family", channel="phone",
          text="与母亲谈作业习惯和睡眠时间，约定每晚检查作业")
    # stage reviews every 30 days: due 1 October (opened 1 September + 30), met by
    # the review of 28 September; then due 28 October (+30), met by 27 October's
    for on in (dt.date(2026, 9, 28), dt.date(2026, 10, 27)):
        StageReview.create(uuid=uuid.uuid4().hex, case=case.id, review_date=on, summary="ok",
                           goals="[]", author=lead.id)
    return school, lead, tutor, idle, case


def row_of(report, staff):
    return next(h for h in report.helpers if h.staff_id == staff.id)


def test_october_by_hand(ward):
    school, lead, tutor, idle, case = ward
    report = supervision(TODAY, reader=school.teacher, month="2026-10")
    assert (report.start, report.end, report.month) == (dt.date(2026, 10, 1),
                                                         dt.date(2026, 10, 31), "2026-10")
    r = Rubric()  # rule_met 10, review 5, content 10
    led = row_of(report, lead)
    # help 4 of 4 asked: met (10 of 10); family 1 of 1: met (10 of 10); the home
    # visit's one due date this term is 10 November (half-way through 1 Sep-20 Jan):
    # nothing asked in October, so not an item
    rules = {(p.rule, p.done, p.required, p.earned, p.possible)
             for p in led.points if p.what == "rule"}
    assert rules == {("help", 4, 4, 10, 10), ("family", 1, 1, 10, 10)}
    assert (led.items, led.items_met, led.cases, led.grades) == (2, 2, 1, (9,))
    # two reviews due (1 and 28 October), both on time: 5 + 5 of 5 + 5
    assert (led.reviews_due, led.reviews_on_time) == (2, 2)
    # 5 entries, each with 15 characters or more: 10 × 5/5 = 10 of 10
    assert (led.entries, led.with_content) == (5, 5)
    assert led.overdue == 0
    # earned 10 + 10 + 5 + 5 + 10 = 40 of 40 possible: 100
    assert (led.earned, led.possible, led.score) == (40, 40, 100)
    assert led.earned == 2 * r.rule_met + 2 * r.review + r.content

    tut = row_of(report, tutor)
    # the tutor: the weekly help applies to tutors (4 asked, 0 of their own) → 0 of 10;
    # the family contact is the lead's alone; content: no entries → 0 of 10
    assert [(p.what, p.rule, p.done, p.required, p.earned, p.possible) for p in tut.points] == [
        ("rule", "help", 0, 4, 0, 10), ("content", "", 0, 0, 0, 10)]
    assert (tut.items, tut.items_met, tut.entries, tut.earned, tut.possible) == (1, 0, 0, 0, 20)
    assert tut.score == 0  # 100 × 0 / 20: nothing for the lead's work

    none = row_of(report, idle)
    assert (none.cases, none.items, none.possible, none.score, none.points) == (0, 0, 0, None, [])
    # the fixture's counsellor (no case) is listed too; so are the leads of cases
    # opened on 20 November (nothing asked in October: no score)
    names = {h.name for h in report.helpers}
    assert {"曾老师", "孙老师", "王芳", "李建国"} <= names
    assert row_of(report, school.teacher).score is None

    # the notice: below 60 is the tutor alone
    assert [h.staff_id for h in report.below] == [tutor.id]
    # grade 9: 2 helpers, 1 case, 3 items (2 + 1), 2 met, 5 entries; mean (100 + 0) / 2
    nine = next(g for g in report.grades if g.grade == 9)
    assert (nine.helpers, nine.cases, nine.items, nine.items_met, nine.entries,
            nine.overdue, nine.mean_score) == (2, 1, 3, 2, 5, 0, 50.0)
    seven = next(g for g in report.grades if g.grade == 7)
    assert (seven.cases, seven.items, seven.mean_score) == (3, 0, None)
    assert report.flags == []


def test_a_rule_partly_met_earns_its_share(ward):
    """The tutor held 1 of October's 4 help sessions (with content): a quarter of
    the rule's points, not nothing and not all of them."""
    school, lead, tutor, idle, case = ward
    entry(case.id, tutor.id, dt.datetime(2026, 10, 14, 15),
          text="订正数学单元测验的错题，讲解一元一次方程")
    tut = row_of(supervision(TODAY, reader=school.teacher, month="2026-10"), tutor)
    # help: 1 of 4 → 10 × 1/4 = 2.5 of 10, not met; content: 1 of 1 entries → 10 of 10
    assert [(p.what, p.rule, p.done, p.required, p.earned, p.possible) for p in tut.points] == [
        ("rule", "help", 1, 4, 2.5, 10), ("content", "", 1, 1, 10, 10)]
    assert (tut.items, tut.items_met) == (1, 0)
    # 12.5 of 20: 62.5 → 62 (round half to even), above the threshold of 60
    assert (tut.earned, tut.possible, tut.score) == (12.5, 20, 62)


def test_overdue_and_missed_review(ward):
    """November to the 20th: the lead logs nothing; the help is overdue for lead and tutor."""
    school, lead, tutor, idle, case = ward
    report = supervision(TODAY, "month", reader=school.teacher)
    assert (report.start, report.end, report.month) == (dt.date(2026, 11, 1), TODAY, "2026-11")
    led, tut = row_of(report, lead), row_of(report, tutor)
    # 20 days: help 20 // 7 = 2 asked, 0 done; family 20 // 30 = 0 (no item); the
    # home visit is due 10 November: 1 asked, 0 done
    assert {(p.rule, p.done, p.required) for p in led.points if p.what == "rule"} == {
        ("help", 0, 2), ("home_visit", 0, 1)}
    # the review due 26 November (27 October + 30) is not due yet
    assert led.reviews_due == 0
    # overdue on 20 November: help (last 26 Oct + 7 = 2 Nov), home visit (10 Nov);
    # the help is the tutor's too; the family contact is due 14 Nov (15 Oct + 30)
    assert sorted(p.rule for p in led.points if p.what == "overdue") == [
        "family", "help", "home_visit"]
    assert [p.rule for p in tut.points if p.what == "overdue"] == ["help"]
    # lead: earned 0 + 0 + 0 (content) - 3 × 2 = -6 of 30 → below 0: 0
    assert (led.earned, led.possible, led.score) == (-6, 30, 0)
    assert (tut.earned, tut.possible, tut.score) == (-2, 20, 0)


def test_one_review_answers_one_due_date(ward):
    school, lead, tutor, idle, case = ward
    StageReview.delete().where(StageReview.review_date == dt.date(2026, 10, 27)).execute()
    led = row_of(supervision(TODAY, reader=school.teacher, month="2026-10"), lead)
    # due 1 October: 28 September's review; due 28 October: none since 1 October
    assert [(p.done, p.earned) for p in led.points if p.what == "review"] == [(1, 5), (0, 0)]
    assert (led.reviews_due, led.reviews_on_time) == (2, 1)


def test_per_term_rule_met_before_the_period(ward):
    """A home visit logged in October counts for the due date of 10 November."""
    school, lead, tutor, idle, case = ward
    entry(case.id, lead.id, dt.datetime(2026, 10, 20, 15), kind="family", channel="home_visit",
          text="家访：看了学习环境，与奶奶谈作息")
    report = supervision(TODAY, "month", reader=school.teacher)
    led = row_of(report, lead)
    assert {(p.rule, p.done, p.required) for p in led.points if p.what == "rule"} == {
        ("help", 0, 2), ("home_visit", 1, 1)}


def test_rule_roles(ward):
    school, lead, tutor, idle, case = ward
    help_rule, family, visit = load_rules()
    assert [help_rule.applies_to(r) for r in ("lead", "tutor", "counsellor", "volunteer")] == [
        True, True, False, True]
    assert [family.applies_to(r) for r in ("lead", "tutor", "volunteer")] == [True, False, False]
    assert Rule("x", kind="family", every_days=7, roles="lead,tutor").applies_to("tutor")
    from db import rules as school_rules

    school_rules.set_roles(school.teacher, "help", "lead")
    assert load_rules()[0].roles == "lead" and not load_rules()[0].applies_to("tutor")
    report = supervision(TODAY, reader=school.teacher, month="2026-10")
    # no rule asks the tutor now: no item, no possible points, no score
    assert (row_of(report, tutor).items, row_of(report, tutor).score) == (0, None)
    with pytest.raises(school_rules.RuleError):
        school_rules.set_roles(school.teacher, "help", "lead,boss")
    # the other fields are kept when the interval changes
    school_rules.set_interval(school.teacher, "help", 14)
    assert load_rules()[0] == Rule("help", kind="student", every_days=14, during="school",
                                   roles="lead")


def test_periods():
    assert period_bounds("half_month", dt.date(2026, 11, 20)) == (dt.date(2026, 11, 16),
                                                                   dt.date(2026, 11, 20))
    assert period_bounds("half_month", dt.date(2026, 11, 15)) == (dt.date(2026, 11, 1),
                                                                   dt.date(2026, 11, 15))
    assert period_bounds("last_month", dt.date(2026, 1, 5)) == (dt.date(2025, 12, 1),
                                                                 dt.date(2025, 12, 31))
    assert period_bounds("last_month", dt.date(2028, 3, 31)) == (dt.date(2028, 2, 1),
                                                                  dt.date(2028, 2, 29))
    assert period_bounds("week", dt.date(2026, 11, 20)) == (dt.date(2026, 11, 16),
                                                             dt.date(2026, 11, 20))
    assert period_bounds("month", dt.date(2026, 11, 20)) == (dt.date(2026, 11, 1),
                                                              dt.date(2026, 11, 20))
    assert month_bounds("2026-02") == (dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    for bad in ("2026-13", "26-11", "", "2026/11", "november"):
        with pytest.raises(SupervisionError):
            month_bounds(bad)
    with pytest.raises(SupervisionError):
        period_bounds("fortnight", TODAY)


def test_term_period(school):
    assert period_bounds("term", TODAY) == (SEP1, TODAY)


def test_adjustment_applied_and_audited(ward):
    school, lead, tutor, idle, case = ward
    set_adjustment(school.teacher, tutor.id, "2026-10", 15, "  谈话后已补记  ")
    report = supervision(TODAY, reader=school.teacher, month="2026-10")
    tut = row_of(report, tutor)
    assert (tut.adjustment, tut.note, tut.score) == (15, "谈话后已补记", 15)  # 0 + 15
    assert tut.points[-1].what == "adjustment" and tut.points[-1].earned == 15
    row = SupervisionNote.get(SupervisionNote.staff == tutor.id)
    assert (row.month, row.version, len(row.uuid)) == ("2026-10", 1, 32)
    set_adjustment(school.teacher, tutor.id, "2026-10", -5, "谈话后已补记", version=1)
    assert SupervisionNote.get_by_id(row.id).version == 2
    actions = [(a.action, a.table_name) for a in AuditLog.select().where(
        AuditLog.table_name == "supervision_note").order_by(AuditLog.id)]
    assert actions == [("insert", "supervision_note"), ("update", "supervision_note")]
    # the lead's 100 + 10 stays 100; the adjustment counts only in its month
    set_adjustment(school.teacher, lead.id, "2026-10", 10, "")
    assert row_of(supervision(TODAY, reader=school.teacher, month="2026-10"), lead).score == 100
    assert row_of(supervision(TODAY, "month", reader=school.teacher), tutor).adjustment == 0
    with pytest.raises(SupervisionError, match="changed"):
        set_adjustment(school.teacher, tutor.id, "2026-10", 1, "", version=1)
    for bad in (101, -101):
        with pytest.raises(SupervisionError, match="adjustment"):
            set_adjustment(school.teacher, tutor.id, "2026-10", bad, "")
    with pytest.raises(SupervisionError, match="month"):
        set_adjustment(school.teacher, tutor.id, "2026-13", 1, "")
    with pytest.raises(access.NotAllowed):
        set_adjustment(school.other, tutor.id, "2026-10", 1, "")


def test_rubric_saved_and_used(ward):
    school, lead, tutor, idle, case = ward
    assert load_rubric() == Rubric()
    assert save_rubric(school.teacher, Rubric(rule_met=20, threshold=50))
    assert not save_rubric(school.teacher, Rubric(rule_met=20, threshold=50))
    assert load_rubric() == Rubric(rule_met=20, threshold=50)
    audit = AuditLog.select().where(AuditLog.row_id == "supervision_rubric").get()
    assert audit.action == "update" and "rule_met" in audit.changes
    report = supervision(TODAY, reader=school.teacher, month="2026-10")
    tut = row_of(report, tutor)
    assert (tut.earned, tut.possible) == (0, 30)  # 20 for the help + 10 for content
    for bad in (Rubric(threshold=101), Rubric(overdue=-1)):
        with pytest.raises(SupervisionError):
            save_rubric(school.teacher, bad)
    with pytest.raises(access.NotAllowed):
        save_rubric(school.other, Rubric())


def test_teacher_refused(school):
    with pytest.raises(access.NotAllowed):
        supervision(TODAY, reader=school.other)  # 李建国, a teacher


def test_flags(ward):
    school, lead, tutor, idle, case = ward
    at = dt.datetime(2026, 11, 18, 20, 0, 0)
    # a burst: 3 entries written within 40 seconds
    burst = [entry(case.id, tutor.id, dt.datetime(2026, 11, d, 10), text=f"第{d}次",
                   created=at + dt.timedelta(seconds=20 * n)) for n, d in enumerate((16, 17, 18))]
    # meeting mode: 4 entries in 10 seconds, with a meeting id: not a burst
    for n in range(4):
        entry(case.id, lead.id, dt.datetime(2026, 11, 17, 15), kind="family",
              channel="parent_meeting", text=f"家长会{n}", meeting="m1",
              created=at + dt.timedelta(seconds=3 * n))
    # a family event's contacts share its topic on purpose (db.event_contacts): not copied
    topic = "期中考试情况通报与家校配合，家长签到"  # 18 characters
    for n in range(3):
        entry(case.id, lead.id, dt.datetime(2026, 11, 5 + n, 12), kind="family",
              channel="parent_meeting", text=topic, meeting=f"event:{n}",
              created=dt.datetime(2026, 11, 5 + n, 19))
    # copied: the same text on 3 entries (a 4th is restricted: never read)
    same = "按时完成作业，课堂上积极发言，表现良好"  # 18 characters
    copies = [entry(case.id, lead.id, dt.datetime(2026, 11, d, 16), text=same,
                    created=dt.datetime(2026, 11, d, 17)) for d in (2, 9, 16)]
    entry(case.id, lead.id, dt.datetime(2026, 11, 10, 16), text=same, restricted="counselling",
          created=dt.datetime(2026, 11, 10, 17))
    # backdated: dated 1 November, written 19 November (18 days > 14)
    late = entry(case.id, lead.id, dt.datetime(2026, 11, 1, 9), kind="family", channel="phone",
                 text="补记：电话联系家长", created=dt.datetime(2026, 11, 19, 21))
    # written 14 days later exactly: not flagged
    entry(case.id, lead.id, dt.datetime(2026, 11, 3, 9), kind="family", channel="phone",
          text="电话", created=dt.datetime(2026, 11, 17, 9))
    report = supervision(TODAY, "month", reader=school.teacher)
    got = {(f.contact_id, f.why, f.count) for f in report.flags}
    # (the fixture's entry on 张伟, dated 2 November, was written on the 20th: 18 days)
    assert got == ({(c.id, "burst", 3) for c in burst} | {(c.id, "copied", 3) for c in copies}
                   | {(late.id, "backdated", 18), (1, "backdated", 18)})
    assert {f.student for f in report.flags} == {"陈明", "张伟"}
    assert row_of(report, tutor).flags == 3 and row_of(report, lead).flags == 4
    # flagged entries still count: the tutor's 3 help sessions are done
    help_point = next(p for p in row_of(report, tutor).points if p.rule == "help")
    assert (help_point.done, help_point.required) == (3, 2)
    # the rubric's burst size: 4 entries a minute needed now
    save_rubric(school.teacher, Rubric(burst=4))
    assert not any(f.why == "burst" for f in supervision(TODAY, reader=school.teacher).flags)


def test_a_supervision_opens_on_the_month_just_ended_in_a_months_first_week():
    from db.supervision import default_period

    assert default_period(dt.date(2026, 12, 1)) == "last_month"
    assert default_period(dt.date(2026, 12, 7)) == "last_month"
    assert default_period(dt.date(2026, 12, 8)) == "month"
    assert default_period(dt.date(2026, 11, 30)) == "month"
