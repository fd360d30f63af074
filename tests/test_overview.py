"""The leaders' overview: shares of cases meeting each rule, overdue cases, drill-down.

The small school on Friday 2026-11-20: open cases 张伟, 赵薇, 曾小明 (七年级(1)班)
and [bold]王[/ (八年级(2)班).  The only entry is 张伟's family contact of 2
November (WeChat).  Here 张伟's case was opened on 1 September, so his weekly
help session, this term's home visit and his first stage review (due a month
after the case opened) are overdue.
"""

from __future__ import annotations

import datetime as dt

import pytest

from db.models import Case, Contact, Staff
from db.overview import overview as overview_as
from db.overview import period_start
from screens.case import CaseScreen
from screens.overview import OverviewScreen
from tests.conftest import TODAY
from tests.helpers import make_app, settle, sign_in
from tui.widgets import TableList


def overview(*args, **kwargs):
    """The overview as the administrator sees it: the whole school."""
    return overview_as(*args, reader=Staff.get(Staff.name == "王芳"), **kwargs)


@pytest.fixture
def late(school):
    Case.update(opened_on=dt.date(2026, 9, 1)).where(Case.id == school.cases["张伟"].id).execute()
    return school


def test_periods_start_on_monday_the_first_and_the_term_start(school):
    assert period_start("week", TODAY) == dt.date(2026, 11, 16)
    assert period_start("month", TODAY) == dt.date(2026, 11, 1)
    assert period_start("term", TODAY) == dt.date(2026, 9, 1)


def test_shares_by_class_for_each_period(late):
    week = overview(TODAY, "week", "class")
    assert [g.name for g in week.groups] == ["七年级(1)班", "八年级(2)班"]
    assert len(week.total.cases) == 4 and week.total.met == {}
    month = overview(TODAY, "month", "class")
    first, second = month.groups
    assert len(first.cases) == 3 and first.met == {"family": 1}  # 张伟, 2 November
    assert first.share("family") == pytest.approx(1 / 3)
    assert second.met == {} and second.share("family") == 0
    # overdue: only 张伟 (help session since 8 September, home visit by mid-term,
    # the first stage review since 1 October)
    assert (first.overdue, second.overdue, month.total.overdue) == (1, 0, 1)
    whats = {i.what for i in month.overdue[late.cases["张伟"].id]}
    assert whats == {"help", "home_visit", "review"}


def test_a_relabelled_entry_counts_for_its_kind_in_the_overview(late):
    Contact.create(uuid="00000000-0000-4000-8000-0000000000a1", case=late.cases["赵薇"].id,
                   author=late.other.id, occurred_at=dt.datetime(2026, 11, 17, 10, 0),
                   kind="student", channel="other", discussed="Maths help", host="test")
    week = overview(TODAY, "week", "class")
    assert week.groups[0].met == {"help": 1}


def test_by_staff_a_case_counts_for_everyone_assigned(late):
    data = overview(TODAY, "term", "staff")
    by_name = {g.name: g for g in data.groups}
    # the people on cases, and the counsellor with none (0 cases)
    assert set(by_name) == {"王芳", "李建国", "曾老师"}
    assert len(by_name["王芳"].cases) == 2 and by_name["王芳"].overdue == 1
    assert len(by_name["李建国"].cases) == 2 and by_name["李建国"].overdue == 0
    assert by_name["曾老师"].cases == [] and by_name["曾老师"].share("help") is None


def test_by_staff_counts_each_persons_own_entries(late):
    """A tutor who wrote nothing on a case whose lead did everything: 0 %, not 100 %."""
    from db.models import Assignment
    from db.staff import add_staff

    tutor = add_staff(None, "刘老师", "teacher")
    zhang = late.cases["张伟"].id
    Assignment.create(case=zhang, staff=tutor.id, role="tutor", assigned_on=dt.date(2026, 9, 1))
    # 王芳 (the lead) logs the help session too; the family contact of 2 November is hers
    Contact.create(uuid="00000000-0000-4000-8000-0000000000b1", case=zhang,
                   author=late.teacher.id, occurred_at=dt.datetime(2026, 11, 18, 16, 0),
                   kind="student", channel="face", discussed="订正作业", host="test")
    data = overview(TODAY, "month", "staff")
    by_name = {g.name: g for g in data.groups}
    tut = by_name["刘老师"]
    # the weekly help asks tutors: 1 case, none of it his own work
    assert (len(tut.cases), tut.of("help"), tut.met.get("help", 0)) == (1, 1, 0)
    assert tut.share("help") == 0
    # the family contact asks the lead alone: not counted for the tutor
    assert tut.of("family") == 0 and tut.share("family") is None
    lead = by_name["王芳"]  # leads 张伟 and 曾小明: her own entries on 张伟's case
    assert (lead.of("help"), lead.met["help"], lead.of("family"), lead.met["family"]) == (
        2, 1, 2, 1)
    assert lead.share("help") == pytest.approx(1 / 2)
    # by class nothing changes: 张伟's case met both
    assert overview(TODAY, "month", "class").groups[0].met == {"family": 1, "help": 1}


def test_by_staff_for_a_teacher_lists_only_the_people_on_their_cases(late):
    data = overview_as(TODAY, "term", "staff", reader=late.other)
    assert {g.name for g in data.groups} == {"李建国"}


async def test_f3_opens_the_overview_and_enter_drills_down_to_a_case(late):
    app = make_app(late.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "wangfang")
        await pilot.press("f3")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, OverviewScreen)
        table = screen.query_one(TableList)
        assert table.rows[0][:2] == ["All", "4"]
        assert table.rows[1][0] == "七年级(1)班" and table.rows[1][-1] == "1"
        await pilot.press("down", "enter")  # into 七年级(1)班: its cases, overdue first
        await settle(pilot)
        assert [r[0] for r in table.rows][0] == "张伟"
        assert "Help session" in table.rows[0][3] and "Home visit" in table.rows[0][3]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen) and app.screen.view.name == "张伟"
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        await pilot.press("escape")  # back to the classes
        assert table.rows[1][0] == "七年级(1)班"
        await pilot.press("p")  # this month
        await settle(pilot)
        assert screen.data.period == "month" and table.rows[1][3] == "33%"
        await pilot.press("g")  # by staff member
        await settle(pilot)
        # everyone on a case, and the counsellor without one (0 cases, no share)
        assert {r[0] for r in table.rows[1:]} == {"王芳", "李建国", "曾老师"}
        assert next(r for r in table.rows if r[0] == "曾老师")[1:4] == ["0", "—", "—"]
        await pilot.press("escape")
        assert app.screen is not screen
