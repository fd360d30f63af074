"""Families' feedback (家长意见箱): recorded with an owner and a due date, on the
owner's caseload until answered, seen only by those who may, counted for the
reports; by the db functions, the command line and the keyboard."""

from __future__ import annotations

import datetime as dt

import pytest

from db import workflow
from db.access import NotAllowed, scope_for
from db.feedback import (DEFAULT_DUE_DAYS, FeedbackConflict, FeedbackEdit, FeedbackError,
                         answer_feedback, default_owner, edit_feedback, feedback_figures,
                         get_feedback, list_feedback, reassign_feedback, record_feedback,
                         set_resolved)
from db.models import AuditLog, Feedback, SchoolClass, Staff
from db.staff import add_staff
from tests.conftest import TODAY
from tests.helpers import cli_env, make_app, run_cli, settle, sign_in


def _staff(name: str) -> Staff:
    return Staff.get(Staff.name == name)


def _due(staff_id: int):
    return [i for i in workflow.my_due(staff_id, TODAY) if i.what == "feedback"]


def test_an_item_gets_the_case_lead_and_a_week_and_is_on_their_caseload_until_answered(school):
    li = school.other
    zhao = school.students["赵薇"].id  # 李建国 leads 赵薇's case
    fid = record_feedback(school.teacher, student_id=zhao, kind="complaint", channel="box",
                          text="作业太多，孩子每天写到十一点", received="11-18")
    row = get_feedback(school.teacher, fid)
    assert (row.owner_id, row.received_on, row.due_on) == (
        li.id, dt.date(2026, 11, 18), dt.date(2026, 11, 18) + dt.timedelta(days=DEFAULT_DUE_DAYS))
    [item] = _due(li.id)
    assert (item.feedback_id, item.student_id, item.name, item.due) == (
        fid, zhao, "赵薇", dt.date(2026, 11, 25))
    assert item.case_id == school.cases["赵薇"].id
    assert item.text == "作业太多，孩子每天写到十一点"
    assert _due(school.teacher.id) == []  # the recorder is not the owner
    answer_feedback(li, fid, row.version, "已与数学老师商量，作业减量", "today")
    assert _due(li.id) == []
    stored = Feedback.get_by_id(fid)
    assert (stored.answer, stored.answered_on, stored.version) == (
        "已与数学老师商量，作业减量", TODAY, 2)
    assert [a.action for a in AuditLog.select().where(AuditLog.table_name == "feedback")
            .order_by(AuditLog.id)] == ["insert", "update"]


def test_default_owner_is_the_head_teacher_then_the_recorder(school):
    zhou = school.students["周文"].id  # no case
    assert default_owner(zhou, school.teacher.id) == school.teacher.id
    head = add_staff(None, "陈老师", "class_teacher")
    SchoolClass.update(head_teacher=head.id).where(SchoolClass.code == "8-2").execute()
    assert default_owner(zhou, school.teacher.id) == head.id
    assert default_owner(None, school.other.id) == school.other.id  # anonymous


def test_due_window_and_overdue_order(school):
    li = school.other
    late = record_feedback(school.teacher, student_id=None, kind="question", channel="phone",
                           text="old", received="11-01", owner_id=li.id)
    soon = record_feedback(school.teacher, student_id=None, kind="question", channel="phone",
                           text="soon", received="today", owner_id=li.id, due="11-24")
    record_feedback(school.teacher, student_id=None, kind="question", channel="phone",
                    text="far", received="today", owner_id=li.id, due="12-20")
    assert [i.feedback_id for i in _due(li.id)] == [late, soon]  # overdue first, far not yet
    assert [i.case_id for i in _due(li.id)] == [0, 0]  # anonymous: no case, no student


def test_bad_input_is_refused_with_codes_and_nothing_written(school):
    with pytest.raises(FeedbackError) as bad:
        record_feedback(school.teacher, student_id=None, kind="rant", channel="pigeon",
                        text="  ", received="13-45", due="x")
    assert bad.value.errors == {"kind": "err.choice", "channel": "err.choice",
                                "text": "err.feedback.text_required",
                                "received": "err.date.invalid", "due": "err.date.format"}
    with pytest.raises(FeedbackError) as bad:
        record_feedback(school.teacher, student_id=None, kind="praise", channel="box",
                        text="谢谢", received="11-20", due="2026-11-10")
    assert bad.value.errors == {"due": "err.feedback.due_before"}
    vol = add_staff(None, "志愿者", "volunteer")
    with pytest.raises(FeedbackError) as bad:
        record_feedback(school.teacher, student_id=None, kind="praise", channel="box",
                        text="谢谢", owner_id=vol.id)
    assert bad.value.errors == {"owner": "err.feedback.owner_volunteer"}
    assert Feedback.select().count() == 0


def test_the_same_uuid_twice_is_one_item(school):
    a = record_feedback(school.teacher, student_id=None, kind="praise", channel="box", text="好",
                        uuid="0f5a4c1e-0000-4000-8000-000000000001")
    b = record_feedback(school.teacher, student_id=None, kind="praise", channel="box", text="好",
                        uuid="0f5a4c1e-0000-4000-8000-000000000001")
    assert a == b and Feedback.select().count() == 1


def test_who_sees_and_who_may_change(school):
    wang, li = school.teacher, school.other
    zeng = _staff("曾老师")
    vol = add_staff(None, "志愿者", "volunteer")
    zhang = school.students["张伟"].id  # 王芳 leads; 李建国 does not see 张伟
    fid = record_feedback(wang, student_id=zhang, kind="suggestion", channel="wechat",
                          text="希望多组织亲子活动")
    anon = record_feedback(wang, student_id=None, kind="complaint", channel="box", text="食堂")
    assert {r.id for r in list_feedback(wang)} == {fid, anon}  # an administrator: all
    assert {r.id for r in list_feedback(zeng)} == {fid}  # sees every student, not the anonymous
    assert list_feedback(li) == []  # a teacher who does not see 张伟
    assert list_feedback(vol) == []  # volunteers: never
    with pytest.raises(NotAllowed):
        record_feedback(vol, student_id=None, kind="praise", channel="box", text="x")
    with pytest.raises(NotAllowed):  # a student 李建国 does not see
        record_feedback(li, student_id=zhang, kind="praise", channel="box", text="x")
    row = get_feedback(wang, fid)
    with pytest.raises(NotAllowed):  # not the owner, not a manager
        answer_feedback(zeng, fid, row.version, "好的")
    with pytest.raises(NotAllowed):  # li does not even see it
        answer_feedback(li, fid, row.version, "好的")
    reassign_feedback(wang, fid, row.version, li.id, "11-27")  # now li owns it: he sees it
    row = get_feedback(li, fid)
    assert (row.owner_id, row.due_on) == (li.id, dt.date(2026, 11, 27))
    with pytest.raises(NotAllowed):  # the owner answers, but edits only what he recorded
        edit_feedback(li, fid, row.version, FeedbackEdit("praise", "box", "改", "today", "11-27"))
    assert answer_feedback(li, fid, row.version, "下月开展亲子运动会", resolved=True)
    assert Feedback.get_by_id(fid).resolved
    assert not _due(li.id)


def test_a_stale_save_is_refused(school):
    fid = record_feedback(school.teacher, student_id=None, kind="question", channel="phone",
                          text="几点放学")
    row = get_feedback(school.teacher, fid)
    assert set_resolved(school.teacher, fid, row.version, True)
    with pytest.raises(FeedbackConflict) as stale:
        answer_feedback(school.teacher, fid, row.version, "五点")
    assert (stale.value.version, stale.value.by) == (2, "王芳")
    assert Feedback.get_by_id(fid).answer == ""
    assert edit_feedback(school.teacher, fid, 2, FeedbackEdit(
        "question", "wechat", "几点放学？", "11-19", "11-26"))
    stored = Feedback.get_by_id(fid)
    assert (stored.channel, stored.received_on, stored.version) == (
        "wechat", dt.date(2026, 11, 19), 3)


def test_figures_on_a_hand_checked_set(school):
    wang, li = school.teacher, school.other
    zhao = school.students["赵薇"].id  # li's case
    zhang = school.students["张伟"].id
    rec = record_feedback

    def item(kind, received, due, student=None, owner=None):
        return rec(wang, student_id=student, kind=kind, channel="box", text=kind,
                   received=received, due=due, owner_id=owner)

    a = item("complaint", "11-02", "2026-11-09", zhao)  # answered in time, resolved
    b = item("complaint", "11-03", "2026-11-10", zhang)  # answered late
    c = item("question", "11-10", "2026-11-17", zhao)  # open, overdue
    item("suggestion", "11-16", "11-30", zhang)  # open, not yet due
    item("praise", "10-20", "2026-10-27", zhang)  # before the range: open and overdue now
    for fid, on, resolved in ((a, "11-08", True), (b, "11-12", False)):
        answer_feedback(wang, fid, 1, "answered", on, resolved=resolved)
    start, end = dt.date(2026, 11, 1), dt.date(2026, 11, 20)
    f = feedback_figures(start, end, scope_for(wang), TODAY)
    assert (f.received, f.answered, f.answered_in_time, f.resolved) == (4, 2, 1, 1)
    assert f.by_kind == {"suggestion": 1, "complaint": 2, "question": 1, "praise": 0}
    assert (f.open_now, f.overdue_now) == (3, 2)
    # li sees 赵薇's items only: a and c
    f = feedback_figures(start, end, scope_for(li), TODAY)
    assert (f.received, f.answered, f.answered_in_time, f.resolved) == (2, 1, 1, 1)
    assert (f.open_now, f.overdue_now) == (1, 1)
    assert c  # (c is the overdue one li sees)


def test_cli_records_lists_and_answers(school, tmp_path):
    env = cli_env(tmp_path)
    added = run_cli(env, "feedback", "add", "--student", "20240102", "--kind", "complaint",
                    "--channel", "box", "--text", "作业太多", db=school.path)
    assert added.returncode == 0, added.stderr
    [row] = list(Feedback.select())
    assert (row.owner_id, row.kind, row.channel) == (school.other.id, "complaint", "box")
    assert f"#{row.id}" in added.stdout
    listed = run_cli(env, "feedback", "list", "--open", db=school.path)
    assert listed.returncode == 0, listed.stderr
    assert "作业太多" in listed.stdout and "李建国" in listed.stdout
    bad = run_cli(env, "feedback", "add", "--kind", "rant", "--channel", "box", "--text", "x",
                  db=school.path)
    assert bad.returncode == 2 and "rant" in bad.stderr and "Traceback" not in bad.stderr
    due = run_cli(env, "due", "--as", "李建国", db=school.path)
    assert due.returncode == 0 and "Family feedback" in due.stdout and "作业太多" in due.stdout
    refused = run_cli(env, "feedback", "answer", str(row.id), "--text", "好", "--as", "曾老师",
                      db=school.path)
    assert refused.returncode == 4, refused.stderr
    answered = run_cli(env, "feedback", "answer", str(row.id), "--text", "作业已减量",
                       "--resolved", "--as", "李建国", db=school.path)
    assert answered.returncode == 0, answered.stderr
    stored = Feedback.get_by_id(row.id)
    assert (stored.answer, stored.answered_on, stored.resolved) == ("作业已减量", TODAY, True)
    assert run_cli(env, "feedback", "list", "--open", db=school.path).stdout.count("作业太多") == 0
    zh = run_cli(env, "--lang", "zh", "feedback", "list", db=school.path)
    assert zh.returncode == 0 and "投诉" in zh.stdout


# -- by keyboard ----------------------------------------------------------------------
async def _push(app, pilot, screen):
    app.push_screen(screen)
    await settle(pilot)


async def test_an_item_recorded_by_keyboard_is_on_the_owners_caseload_until_answered(school):
    from screens.feedback import FeedbackScreen
    from screens.feedback_form import FeedbackFormScreen
    from screens.roster import RosterScreen
    from tui.widgets import CaseloadList

    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "wangfang")
        await _push(app, pilot, FeedbackScreen())
        assert app.screen.table.rows == []
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, FeedbackFormScreen)
        await pilot.press(*"20240102")  # 赵薇: 李建国 leads her case
        await settle(pilot)
        assert "赵薇" in str(form.query_one("#student-hint").render())
        await pilot.press("tab", "tab", "c", "tab", "p", "tab", *"Too much homework")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, FeedbackScreen)
        [row] = Feedback.select()
        assert (row.student_id, row.kind, row.channel, row.text, row.owner_id, row.due_on) == (
            school.students["赵薇"].id, "complaint", "phone", "Too much homework",
            school.other.id, TODAY + dt.timedelta(days=7))
        assert app.screen.table.rows[0][1:5] == ["open", "11-20", "complaint", "赵薇"]
    # the owner signs in: the item is on his caseload; Enter opens it to answer
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "lijianguo")
        assert isinstance(app.screen, RosterScreen)
        caseload = app.screen.query_one(CaseloadList)
        found = [i for i in caseload.items if i.what == "feedback"]
        assert [i.feedback_id for i in found] == [row.id]
        caseload.cursor = caseload.items.index(found[0])
        caseload.focus()
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, FeedbackFormScreen) and form.feedback_id == row.id
        await pilot.press(*"Cut to one hour a day", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, RosterScreen)
        assert [i for i in caseload.items if i.what == "feedback"] == []
    stored = Feedback.get_by_id(row.id)
    assert (stored.answer, stored.answered_on) == ("Cut to one hour a day", TODAY)


async def test_a_bad_student_is_named_and_nothing_typed_is_lost(school):
    from screens.feedback_form import FeedbackFormScreen

    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "wangfang")
        await _push(app, pilot, FeedbackFormScreen())
        await pilot.press(*"nobody-here", "tab", "tab", "tab", "tab", *"Canteen food")
        await pilot.press("ctrl+s")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, FeedbackFormScreen)
        assert "No student matches" in str(form.query_one("#feedback-error").render())
        assert form.focused is form.query_one("#student")
        assert form.query_one("#text").value == "Canteen food"
        assert Feedback.select().count() == 0
        await pilot.press("ctrl+u", "ctrl+s")  # empty: anonymous
        await settle(pilot)
    [row] = Feedback.select()
    assert (row.student_id, row.owner_id, row.text) == (None, school.teacher.id, "Canteen food")


async def test_r_passes_an_item_on_and_a_shows_the_answered_ones(school):
    from screens.feedback import FeedbackScreen
    from screens.feedback_form import FeedbackFormScreen

    fid = record_feedback(school.teacher, student_id=None, kind="question", channel="phone",
                          text="校车几点到", received="11-19")
    done = record_feedback(school.teacher, student_id=None, kind="praise", channel="box",
                           text="谢谢老师", received="11-18")
    answer_feedback(school.teacher, done, 1, "谢谢您的肯定")
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "wangfang")
        await _push(app, pilot, FeedbackScreen())
        screen = app.screen
        assert [r[0] for r in screen.table.rows] == [f"#{fid}"]  # open only
        await pilot.press("a")
        await settle(pilot)
        assert [r[0] for r in screen.table.rows] == [f"#{fid}", f"#{done}"]
        await pilot.press("r")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, FeedbackFormScreen) and form.focused is form.query_one("#owner")
        await pilot.press("ctrl+u", *"李建国", "tab", "ctrl+u", *"2026-11-23", "ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert screen.table.rows[0][5] == "李建国"
    stored = Feedback.get_by_id(fid)
    assert (stored.owner_id, stored.due_on, stored.answered_on) == (
        school.other.id, dt.date(2026, 11, 23), None)
    assert [i.feedback_id for i in _due(school.other.id)] == [fid]


async def test_a_new_item_typed_when_bangfu_closes_is_offered_again_and_saved_once(school):
    """A complaint taken on the phone is typed, and the terminal closes before
    ctrl+s: the next sign-in offers it, Enter brings it back, ctrl+s records it
    under the UUID it was typed with, and the draft is gone."""
    from db.models import Feedback
    from db.store.local import drafts
    from screens.drafts import DraftsScreen
    from screens.feedback import FeedbackScreen
    from screens.feedback_form import FeedbackFormScreen

    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "wangfang")
        app.push_screen(FeedbackScreen())
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, FeedbackFormScreen)
        await pilot.press(*"20240102", "tab", "tab", "c", "tab", "p", "tab", *"作业太多")
        await settle(pilot)
        uuid = form.uuid
    [draft] = drafts(school.path, school.teacher.id)
    assert (draft.form, draft.key) == ("feedback", uuid)
    assert draft.values["text"] == "作业太多" and draft.values["kind"] == "complaint"
    assert not Feedback.select().exists()

    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "wangfang")
        offer = app.screen
        assert isinstance(offer, DraftsScreen)
        assert "作业太多" in str(offer.query_one("#draft-list").get_option_at_index(0).prompt)
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, FeedbackFormScreen) and form.uuid == uuid
        assert form.query_one("#text").value == "作业太多"
        assert form.query_one("#student").value == "20240102"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, FeedbackFormScreen)
    [row] = Feedback.select()
    assert (row.uuid, row.text, row.kind, row.channel) == (uuid, "作业太多", "complaint", "phone")
    assert row.student_id == school.students["赵薇"].id
    assert drafts(school.path, school.teacher.id) == []
