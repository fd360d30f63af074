"""Correction items (整改) and the month's notice (通报): issued by a coordinator,
on the helper's caseload and the issuer's until done, seen only by those who
may; by the db functions, the command line and the keyboard."""

from __future__ import annotations

import datetime as dt

import pytest

from db import workflow
from db.access import NotAllowed
from db.corrections import (CorrectionConflict, CorrectionError, add_correction, corrections,
                            corrections_due, get_correction, mark_done, shift_month)
from db.models import AuditLog, Correction, Staff
from db.staff import add_staff
from tests.conftest import PIN_HASH, TODAY
from tests.helpers import cli_env, make_app, run_cli, settle, sign_in


def _due(staff_id: int):
    return [i for i in workflow.my_due(staff_id, TODAY) if i.what == "correction"]


def _coordinator() -> Staff:
    return add_staff(None, "陈主任", "coordinator", pin_hash=PIN_HASH)


def test_an_item_is_on_both_caseloads_until_done(school):
    chen, li = _coordinator(), school.other
    cid = add_correction(chen, li.id, "2026-11", "补记本月家访记录", "2026-11-25")
    [mine] = _due(li.id)
    assert (mine.correction_id, mine.name, mine.text, mine.due, mine.case_id) == (
        cid, "", "补记本月家访记录", dt.date(2026, 11, 25), 0)
    [issued] = _due(chen.id)
    assert (issued.correction_id, issued.name) == (cid, "李建国")
    assert _due(school.teacher.id) == []  # neither the helper nor the issuer
    row = get_correction(li, cid)
    assert (row.staff_name, row.issued_by, row.issued_on, row.is_open) == (
        "李建国", "陈主任", TODAY, True)
    assert mark_done(li, cid, "已补记三次家访", expected_version=row.version)
    assert _due(li.id) == [] and _due(chen.id) == []
    stored = Correction.get_by_id(cid)
    assert (stored.done_on, stored.done_note, stored.version) == (TODAY, "已补记三次家访", 2)
    assert [a.action for a in AuditLog.select().where(AuditLog.table_name == "correction")
            .order_by(AuditLog.id)] == ["insert", "update"]
    assert not mark_done(li, cid)  # done already: nothing more written
    assert Correction.get_by_id(cid).version == 2


def test_the_caseload_horizon_and_overdue(school):
    chen, li = _coordinator(), school.other
    soon = add_correction(chen, li.id, "2026-11", "soon", "2026-11-24")
    far = add_correction(chen, li.id, "2026-11", "far", "2026-12-20")
    Correction.update(due_on=dt.date(2026, 11, 10)).where(Correction.id == far).execute()
    add_correction(chen, li.id, "2026-11", "later", "2026-12-30")
    items = corrections_due(li.id, TODAY, 7)
    assert [i.correction_id for i in items] == [far, soon]  # overdue first; not the far one
    assert items[0].overdue_days(TODAY) == 10


def test_bad_values_are_refused_and_nothing_written(school):
    chen = _coordinator()
    with pytest.raises(CorrectionError) as bad:
        add_correction(chen, school.other.id, "2026-13", "  ", "2026-11-01")
    assert bad.value.errors == {"month": "err.correction.month",
                                "what": "err.correction.what_required",
                                "due": "err.correction.due_past"}
    with pytest.raises(CorrectionError) as bad:
        add_correction(chen, 9999, "2026-11", "x" * 501, "12-01")
    assert bad.value.errors == {"what": "err.correction.too_long",
                                "staff": "err.correction.staff_unknown"}
    assert Correction.select().count() == 0
    assert shift_month("2026-01", -1) == "2025-12" and shift_month("2026-12", 1) == "2027-01"


def test_who_issues_sees_and_marks_done(school):
    wang, li = school.teacher, school.other
    zeng = Staff.get(Staff.name == "曾老师")
    with pytest.raises(NotAllowed):
        add_correction(li, wang.id, "2026-11", "x", "12-01")  # a teacher issues nothing
    with pytest.raises(NotAllowed):
        add_correction(zeng, li.id, "2026-11", "x", "12-01")  # nor a counsellor
    mine = add_correction(wang, li.id, "2026-11", "for li", "12-01")
    theirs = add_correction(wang, zeng.id, "2026-11", "for zeng", "12-01")
    assert {r.id for r in corrections(wang, "2026-11")} == {mine, theirs}
    assert [r.id for r in corrections(li)] == [mine]  # their own only
    assert [r.id for r in corrections(li, "2026-10")] == []
    with pytest.raises(NotAllowed):  # someone else's item
        mark_done(li, theirs)
    assert Correction.get_by_id(theirs).done_on is None
    row = get_correction(li, mine)
    assert mark_done(wang, mine, "", row.version)  # a coordinator may mark it too
    with pytest.raises(CorrectionConflict) as stale:
        mark_done(li, mine, "late", row.version)
    assert stale.value.by == "王芳"
    assert [r.id for r in corrections(li, open_only=True)] == []


def test_bangfu_due_lists_the_item_until_done(school, tmp_path):
    chen, li = _coordinator(), school.other
    cid = add_correction(chen, li.id, "2026-11", "补记本月家访记录", "2026-11-25")
    env = cli_env(tmp_path)
    due = run_cli(env, "due", "--as", "李建国", db=school.path)
    assert due.returncode == 0, due.stderr
    assert "Correction item" in due.stdout
    due = run_cli(env, "due", "--as", "陈主任", db=school.path)
    assert due.returncode == 0 and "李建国" in due.stdout and "Correction item" in due.stdout
    mark_done(li, cid)
    due = run_cli(env, "due", "--as", "李建国", db=school.path)
    assert due.returncode == 0 and "Correction item" not in due.stdout


# -- by keyboard ----------------------------------------------------------------------

async def test_the_helper_marks_their_item_done_from_the_caseload(school):
    from screens.correction_form import CorrectionFormScreen
    from screens.roster import RosterScreen
    from tui.widgets import CaseloadList

    chen, li = _coordinator(), school.other
    cid = add_correction(chen, li.id, "2026-11", "补记本月家访记录", "2026-11-25")
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "lijianguo")
        assert isinstance(app.screen, RosterScreen)
        caseload = app.screen.query_one(CaseloadList)
        found = [i for i in caseload.items if i.what == "correction"]
        assert [i.correction_id for i in found] == [cid]
        caseload.cursor = caseload.items.index(found[0])
        caseload.focus()
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, CorrectionFormScreen) and form.correction_id == cid
        assert form.focused is form.query_one("#note")
        await pilot.press(*"Three visits written up", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, RosterScreen)
        assert [i for i in caseload.items if i.what == "correction"] == []
    stored = Correction.get_by_id(cid)
    assert (stored.done_on, stored.done_note) == (TODAY, "Three visits written up")
    assert _due(chen.id) == []


async def test_an_item_added_by_keyboard_with_the_typeahead(school):
    from screens.correction_form import CorrectionFormScreen
    from screens.corrections import CorrectionsScreen

    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "wangfang")
        app.push_screen(CorrectionsScreen("2026-11"))
        await settle(pilot)
        screen = app.screen
        assert screen.table.rows == [] or all(r[0] == "" for r in screen.table.rows)
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, CorrectionFormScreen)
        await pilot.press(*"lij")
        await settle(pilot)
        assert form.shown and form.shown[0].name == "李建国"
        await pilot.press("enter")  # picks him, on to the month
        await settle(pilot)
        assert form.focused is form.query_one("#month")
        await pilot.press("tab", *"Write up the November visits", "ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert any(r[2] == "李建国" and r[5] == "Write up the November visits"
                   for r in screen.table.rows)
    [row] = Correction.select()
    assert (row.staff_id, row.month, row.due_on, row.issued_by_id) == (
        school.other.id, "2026-11", TODAY + dt.timedelta(days=14), school.teacher.id)


async def test_a_teacher_sees_only_their_own_and_cannot_add(school):
    from screens.corrections import CorrectionsScreen

    chen, li = _coordinator(), school.other
    add_correction(chen, li.id, "2026-11", "for li", "12-01")
    add_correction(chen, chen.id, "2026-11", "for chen", "12-01")
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "lijianguo")
        app.push_screen(CorrectionsScreen("2026-11"))
        await settle(pilot)
        screen = app.screen
        assert [r[5] for r in screen.table.rows] == ["for li"]
        await pilot.press("a")
        await pilot.press("i")
        await settle(pilot)
        assert app.screen is screen  # neither is offered
        assert Correction.select().count() == 2
