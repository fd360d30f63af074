"""The plan (一生一策): goals added and moved on by keyboard; open goals come due."""

from __future__ import annotations

import datetime as dt

import pytest

from db import workflow
from db.models import AuditLog, Goal
from db.plan import GoalValidationError, add_goal, goals, set_goal_status
from screens.case import CaseScreen
from screens.goals import GoalsScreen
from tests.conftest import TODAY
from tests.helpers import make_app, settle, sign_in
from tui.widgets import TableList


def test_a_goal_needs_its_text_and_a_real_date(school):
    case = school.cases["张伟"].id
    with pytest.raises(GoalValidationError) as bad:
        add_goal(school.teacher, case, "short", "  ", due="13-45")
    assert bad.value.errors == {"text": "err.goal.required", "due": "err.date.invalid"}
    assert Goal.select().count() == 0
    goal = add_goal(school.teacher, case, "short", "数学作业按时完成", "每周检查", "11-25")
    [row] = goals(case)
    assert (row.id, row.due_date, row.status) == (goal, dt.date(2026, 11, 25), "open")
    # an open goal due within the week is on the teacher's due list; a met one is not
    assert ("张伟", "goal") in {(i.name, i.what) for i in workflow.my_due(school.teacher.id, TODAY)}
    set_goal_status(school.teacher, goal, "met")
    assert ("张伟", "goal") not in {(i.name, i.what) for i in workflow.my_due(school.teacher.id, TODAY)}
    assert AuditLog.select().where(AuditLog.table_name == "goal").count() == 2


async def test_goals_are_added_and_moved_on_by_keyboard(school):
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "wangfang")
        await pilot.press(*"20240101", "enter")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
        await pilot.press("g")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, GoalsScreen)
        await pilot.press("a")
        await pilot.press("l", "tab", *"Reach 80 in maths", "enter", *"term exam", "enter",
                          *"2027-01-15")
        await pilot.press("ctrl+s")
        await settle(pilot)
        table = screen.query_one(TableList)
        assert table.rows == [["long term", "open", "2027-01-15", "Reach 80 in maths · term exam"]]
        await pilot.press("s")  # open -> met
        await settle(pilot)
        assert table.rows[0][1] == "met"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
        assert [g.status for g in app.screen.view.goals] == ["met"]
    [goal] = goals(school.cases["张伟"].id)
    assert (goal.horizon, goal.measure) == ("long", "term exam")
