"""Stage reviews (阶段评估) and peer helpers (生帮生).

The small school on 2026-11-20.  王芳 leads 张伟; his case is moved back to
1 September here, so his first stage review (a month after opening) is late.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from db import workflow
from db.store import journal
from db.store.local import drafts
from db.models import AuditLog, Case, Goal, PeerPair, StageReview
from db.plan import add_goal
from db.reviews import NextGoal, ReviewValidationError, next_review_due, reviews, save_review
from db.team import TeamError, pair, peers, unpair
from screens.case import CaseScreen
from screens.stage_review import StageReviewScreen
from screens.team import TeamScreen
from tests.conftest import TODAY
from tests.helpers import make_app, settle, sign_in
from tui.widgets import CaseloadList, TableList


@pytest.fixture
def late(school):
    Case.update(opened_on=dt.date(2026, 9, 1)).where(Case.id == school.cases["张伟"].id).execute()
    return school


def review_items(school, today=TODAY):
    return [(i.name, i.due) for i in workflow.my_due(school.teacher.id, today)
            if i.what == "review"]


# -- the data ------------------------------------------------------------------------
def test_a_review_judges_the_goals_sets_the_next_ones_and_is_written_once(late):
    case = late.cases["张伟"].id
    homework = add_goal(late.teacher, case, "short", "Homework every day", due="11-30")
    maths = add_goal(late.teacher, case, "long", "Maths 80", due="2027-01-15")
    assert review_items(late) == [("张伟", dt.date(2026, 10, 1))]  # a month after opening
    args = dict(uuid="r-1", review_date="11-18", summary="Hands in homework most days",
                statuses={homework: "met"},
                next_goals=[NextGoal("Read 20 minutes a day", "12-15"), NextGoal("", "")],
                next_review="12-18")
    first = save_review(late.teacher, case, **args)
    again = save_review(late.teacher, case, **args)  # a retry: nothing more written
    assert first == again and StageReview.select().count() == 1
    [row] = reviews(case)
    assert (row.review_date, row.next_review, row.author) == (
        dt.date(2026, 11, 18), dt.date(2026, 12, 18), "王芳")
    assert dict(row.goals) == {"Homework every day": "met", "Maths 80": "open"}
    assert row.new_goals == ["Read 20 minutes a day"]
    new = Goal.get(Goal.text == "Read 20 minutes a day")
    assert (new.review, new.due_date, new.status) == (first, dt.date(2026, 12, 15), "open")
    assert Goal.get_by_id(homework).status == "met" and Goal.get_by_id(maths).status == "open"
    # off the due list until a week before the date it set
    assert review_items(late) == []
    assert next_review_due(case) == dt.date(2026, 12, 18)
    assert review_items(late, dt.date(2026, 12, 11)) == [("张伟", dt.date(2026, 12, 18))]
    written = {(a.table_name, a.action) for a in AuditLog.select()
               .where(AuditLog.table_name.in_(("stage_review", "goal")))}
    assert written == {("stage_review", "insert"), ("goal", "insert"), ("goal", "update")}


def test_without_a_next_date_the_school_interval_applies(late):
    case = late.cases["张伟"].id
    save_review(late.teacher, case, uuid="r-2", review_date="11-10", summary="Steady")
    assert next_review_due(case) == dt.date(2026, 12, 10)  # 30 days, the default


@pytest.mark.parametrize("changes, field, key", [
    ({"review_date": "11-21-x"}, "date", "err.date.format"),
    ({"review_date": "2026-11-25"}, "date", "err.review.future"),
    ({"summary": "  \x1b[31m "}, "summary", "err.review.summary_required"),
    ({"summary": "x" * 4001}, "summary", "err.too_long"),
    ({"next_review": "2026-11-10"}, "next", "err.review.next_before"),
    ({"next_goals": [NextGoal("", "12-01"), NextGoal("Ok", "13-40")]}, "goal1.text",
     "err.goal.required"),
    ({"statuses": {1: "finished"}}, "goals", "err.choice"),
])
def test_a_bad_review_names_the_field_and_writes_nothing(late, changes, field, key):
    args = dict(uuid="r-bad", review_date="11-18", summary="Fine", next_review="")
    args.update(changes)
    with pytest.raises(ReviewValidationError) as bad:
        save_review(late.teacher, late.cases["张伟"].id, **args)
    assert bad.value.errors[field] == key
    assert StageReview.select().count() == 0 and Goal.select().count() == 0
    assert AuditLog.select().where(AuditLog.table_name == "stage_review").count() == 0


@pytest.mark.file_only
def test_a_review_is_journaled_for_recovery(late, tmp_path):
    save_review(late.teacher, late.cases["张伟"].id, uuid="r-j", review_date="today",
                summary="Journaled")
    read = journal.read_all(late.path)
    [line] = [x for x in read.lines if x["table"] == "stage_review"]
    assert line["row"]["uuid"] == "r-j" and line["row"]["summary"] == "Journaled"


def test_peer_helpers_are_paired_once_never_with_themselves_and_ended_for_the_record(school):
    case = school.cases["张伟"].id
    helper = school.students["周文"].id
    pair_id = pair(school.teacher, case, helper, "maths")
    assert pair(school.teacher, case, helper) is None  # already paired
    with pytest.raises(TeamError, match="self"):
        pair(school.teacher, case, school.students["张伟"].id)
    [peer] = peers(case)
    assert (peer.name, peer.class_name, peer.focus, peer.since) == (
        "周文", "八年级(2)班", "maths", TODAY)
    unpair(school.teacher, pair_id)
    assert peers(case) == [] and PeerPair.get_by_id(pair_id).active is False
    changes = [json.loads(a.changes) for a in AuditLog.select()
               .where(AuditLog.table_name == "peer_pair").order_by(AuditLog.id)]
    assert changes[0]["helper"] == helper and changes[1] == {"active": [True, False]}


# -- the screens -----------------------------------------------------------------------
async def test_the_late_review_is_on_my_caseload_and_n_opens_the_review_form(late):
    case = late.cases["张伟"].id
    add_goal(late.teacher, case, "short", "Homework every day", due="12-30")
    app = make_app(late.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "wangfang")
        caseload = app.screen.query_one(CaseloadList)
        whats = [(i.name, i.what) for i in caseload.items]
        assert ("张伟", "review") in whats
        await pilot.press("shift+tab")
        while caseload.current.what != "review":
            await pilot.press("down")
        await pilot.press("n")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, StageReviewScreen)
        assert screen.query_one("#review-date").value == "2026-11-20"
        await pilot.press(*"Better at homework")
        await pilot.press("tab")  # the goals list
        await pilot.press("s")  # open -> met
        assert screen.query_one(TableList).rows[0][1] == "met *"
        await pilot.press("tab", *"Read every day", "tab", *"12-20", "ctrl+s")
        await settle(pilot)
        assert app.screen is not screen
        assert ("张伟", "review") not in [(i.name, i.what) for i in caseload.items]
    [row] = reviews(case)
    assert row.summary == "Better at homework" and dict(row.goals)["Homework every day"] == "met"
    assert row.new_goals == ["Read every day"] and row.next_review == dt.date(2026, 12, 20)
    assert drafts(late.path, late.teacher.id) == []


async def test_a_bad_date_keeps_the_form_and_a_half_typed_review_is_a_draft(late):
    app = make_app(late.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "wangfang")
        await pilot.press(*"20240101", "enter")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
        await pilot.press("v")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, StageReviewScreen)
        await pilot.press(*"Half a summary")
        await pilot.press("shift+tab")  # back to the date
        await pilot.press(*"-x")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert "Not a date" in str(screen.query_one("#review-error").render())
        assert screen.focused.id == "review-date"
        [draft] = drafts(late.path, late.teacher.id)
        assert draft.form == "stage_review" and draft.values["summary"] == "Half a summary"
    assert StageReview.select().count() == 0
    # signed in again, the draft is offered and reopens with its text
    app = make_app(late.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "wangfang")
        await settle(pilot)
        await pilot.press("enter")  # reopen the offered draft
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, StageReviewScreen)
        assert screen.query_one("#review-summary").text == "Half a summary"
        screen.query_one("#review-date").value = "today"
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert [r.summary for r in reviews(late.cases["张伟"].id)] == ["Half a summary"]
    assert drafts(late.path, late.teacher.id) == []


async def test_a_peer_helper_is_paired_from_the_team_screen_and_shown_on_the_plan(school):
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "wangfang")
        await pilot.press(*"20240101", "enter")
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TeamScreen)
        await pilot.press("p", *"zhouwen")
        await pilot.press("enter")
        await settle(pilot)
        table = screen.query_one(TableList)
        assert table.rows[-1][:2] == ["周文", "peer helper"]
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
        await pilot.press("4")
        plan = str(app.screen.query_one("#body-plan").render())
        assert "周文 (peer helper)" in plan
        await pilot.press("t")
        await settle(pilot)
        await pilot.press("end", "x")  # the peer is the last line
        await settle(pilot)
        assert [r[0] for r in app.screen.query_one(TableList).rows] == ["王芳"]
    assert peers(school.cases["张伟"].id) == []
