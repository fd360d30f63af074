"""Assigning and reassigning a case's team; "new to you" on the home screen."""

from __future__ import annotations

import pytest

from db.models import Assignment, AuditLog
from db.team import TeamError, assign, members, recently_assigned, unassign
from screens.case import CaseScreen
from screens.team import TeamScreen
from tests.conftest import TODAY
from tests.helpers import make_app, settle, sign_in
from tui.widgets import CaseloadList, TableList


def test_assign_change_role_and_the_last_lead_stays(school):
    import datetime as dt

    Assignment.update(assigned_on=dt.date(2026, 9, 1)).execute()  # the term's first day
    case = school.cases["赵薇"]  # led by 李建国
    assign(school.teacher, case.id, school.teacher.id, "tutor")
    assert [(m.name, m.role) for m in members(case.id)] == [("李建国", "lead"), ("王芳", "tutor")]
    assign(school.teacher, case.id, school.teacher.id, "counsellor")
    assert [m.role for m in members(case.id)] == ["lead", "counsellor"]
    lead = members(case.id)[0]
    with pytest.raises(TeamError, match="last_lead"):
        unassign(school.teacher, lead.assignment_id)
    with pytest.raises(TeamError, match="last_lead"):
        assign(school.teacher, case.id, school.other.id, "tutor")
    assert recently_assigned(school.teacher.id, TODAY) == ["赵薇"]
    tutor = members(case.id)[1]
    unassign(school.teacher, tutor.assignment_id)
    assert [m.name for m in members(case.id)] == ["李建国"]
    assert not Assignment.get_by_id(tutor.assignment_id).active  # kept for the record
    assert AuditLog.select().where(AuditLog.table_name == "assignment").count() >= 4


async def test_the_team_screen_adds_someone_by_keyboard_and_home_says_new_to_you(school):
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "wangfang")
        await pilot.press(*"20240102", "enter")  # 赵薇
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
        await pilot.press("t")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TeamScreen)
        table = screen.query_one(TableList)
        assert [r[0] for r in table.rows] == ["李建国"]
        await pilot.press("a", *"zeng")
        await settle(pilot)
        await pilot.press("enter", "t")  # then the role by letter: subject tutor
        await settle(pilot)
        assert [(r[0], r[1]) for r in table.rows] == [("李建国", "lead"), ("曾老师", "subject tutor")]
        await pilot.press("down", "r", "c")  # the role by letter: counsellor
        await settle(pilot)
        assert table.rows[1][1] == "counsellor"
        await pilot.press("up", "x")  # the only lead cannot go
        await settle(pilot)
        assert len(table.rows) == 2
        assert any("needs a lead" in n.message for n in app._notifications)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
        assert {m.name for m in app.screen.view.team} == {"李建国", "曾老师"}
    assert [m.role for m in members(school.cases["赵薇"].id)] == ["lead", "counsellor"]


async def test_home_lists_cases_newly_assigned_to_me(school):
    assign(school.other, school.cases["赵薇"].id, school.teacher.id, "tutor")
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "wangfang")
        caseload = app.screen.query_one(CaseloadList)
        assert "new to you: " in caseload.summary() and "赵薇" in caseload.summary()
