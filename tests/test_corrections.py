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


def test_an_open_item_stays_on_the_caseload_however_far_off_and_overdue_first(school):
    chen, li = _coordinator(), school.other
    soon = add_correction(chen, li.id, "2026-11", "soon", "2026-11-24")
    late = add_correction(chen, li.id, "2026-11", "late", "2026-12-20")
    Correction.update(due_on=dt.date(2026, 11, 10)).where(Correction.id == late).execute()
    later = add_correction(chen, li.id, "2026-11", "later", "2026-12-30")
    items = corrections_due(li.id, TODAY, 7)
    # "stays open on their caseload until it is done": beyond the 7 days too
    assert [i.correction_id for i in items] == [late, soon, later]
    assert items[0].overdue_days(TODAY) == 10
    assert [i.correction_id for i in corrections_due(chen.id, TODAY, 7)] == [late, soon, later]


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
        assert form.suggestions.shown and form.suggestions.shown[0].name == "李建国"
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


# -- the month's notice ---------------------------------------------------------------

SEP1 = dt.date(2026, 9, 1)


def backdate(school) -> None:
    """李建国's two cases (赵薇, 王) his since 1 September: November asks for his
    entries, and he wrote none (a score of 0, below any threshold)."""
    from db.models import Assignment, Case

    cases = [school.cases["赵薇"].id, school.cases["[bold]王[/"].id]
    Case.update(opened_on=SEP1).where(Case.id.in_(cases)).execute()
    Assignment.update(assigned_on=SEP1).where(Assignment.case.in_(cases)).execute()


def _below(reader, month="2026-11") -> dict[int, int]:
    from db.supervision import supervision


    report = supervision(TODAY, reader=reader, month=month)
    return {h.staff_id: h.score for h in report.helpers
            if h.score is not None and h.score < report.rubric.threshold}


def test_the_notice_lists_the_helpers_below_the_threshold_and_issues_their_items(school):
    from db.corrections import issue_notice, notice

    chen, li = _coordinator(), school.other
    backdate(school)
    below = _below(chen)
    assert below.get(li.id) == 0  # 李建国 wrote nothing on his two cases this month
    found = notice(chen, "2026-11")
    assert {r.staff_id: r.score for r in found.below} == below
    assert {r.staff_id for r in found.without_item} == set(below)
    made = issue_notice(chen, "2026-11", "2026-12-04", "补齐本月帮扶记录")
    assert len(made) == len(below)
    assert {Correction.get_by_id(i).staff_id for i in made} == set(below)
    assert issue_notice(chen, "2026-11", "2026-12-04", "again") == []  # one each, once
    assert notice(chen, "2026-11").without_item == []
    # on the helper's caseload and the coordinator's (due in two weeks: there already)
    [mine] = corrections_due(li.id, TODAY, 7)
    assert (mine.name, mine.text) == ("", "补齐本月帮扶记录")
    issued = {i.name for i in corrections_due(chen.id, TODAY, 7)}
    assert "李建国" in issued
    with pytest.raises(NotAllowed):
        issue_notice(li, "2026-11", "2026-12-04", "x")
    with pytest.raises(NotAllowed):
        notice(li, "2026-11")


async def test_a_notice_issued_by_keyboard_reaches_the_helper_who_marks_it_done(school):
    from screens.confirm import ConfirmScreen
    from screens.correction_form import CorrectionFormScreen
    from screens.corrections import CorrectionsScreen
    from screens.roster import RosterScreen
    from tui.widgets import CaseloadList

    li = school.other
    backdate(school)
    below = _below(school.teacher)
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "wangfang")
        app.push_screen(CorrectionsScreen("2026-11"))
        await settle(pilot)
        screen = app.screen
        waiting = [r for r in screen.table.rows if r[0] == ""]
        assert {r[2] for r in waiting} >= {"李建国"} and len(waiting) == len(below)
        await pilot.press("i")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert app.screen is screen
        assert all(r[0].startswith("#") for r in screen.table.rows)
        assert Correction.select().count() == len(below)
    [item] = Correction.select().where(Correction.staff == li.id)
    Correction.update(due_on=TODAY + dt.timedelta(days=3)).where(
        Correction.id == item.id).execute()  # due this week: on the caseload
    assert [i.correction_id for i in _due(school.teacher.id) if i.name == "李建国"] == [item.id]
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "lijianguo")
        caseload = app.screen.query_one(CaseloadList)
        [found] = [i for i in caseload.items if i.what == "correction"]
        caseload.cursor = caseload.items.index(found)
        caseload.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CorrectionFormScreen)
        await pilot.press(*"Entries written", "enter")
        await settle(pilot)
        assert isinstance(app.screen, RosterScreen)
        assert not [i for i in caseload.items if i.what == "correction"]
    assert Correction.get_by_id(item.id).done_on == TODAY
    assert [i for i in _due(school.teacher.id) if i.name == "李建国"] == []
