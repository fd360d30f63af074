"""Family events and their attendance (issue 22): the db layer, then the
screens driven by keyboard (snapshots: tests/test_family_events_snapshots.py).

The small school (tests/conftest.py): 王芳 (admin) leads 张伟 and 曾小明;
李建国 (teacher, no classes) leads 赵薇 and [bold]王[/; 7-1 holds 张伟 (active),
赵薇 (identified), 曾小明 (improving); 8-2 holds 单田芳, 周文 (no case),
[bold]王[/ (active), 欧阳娜娜.
"""

from __future__ import annotations

import datetime as dt

import pytest

from db import access
from db.event_figures import event_figures
from db.family_events import (CAME, NOTE, RATING, EventConflict, EventInput,
                              EventValidationError, add_event, attendance_classes, delete_event,
                              list_events, load_attendance, load_event, meeting_id,
                              save_attendance, update_event)
from db.models import (AuditLog, Case, Contact, EventAttendance, FamilyEvent, SchoolClass,
                       Staff)
from db.staff import add_staff
from db.workflow import my_due
from tests.conftest import PIN_HASH, TODAY
from tests.helpers import make_app, settle, sign_in, type_text
from tui.i18n import label, t


def class_id(code: str) -> int:
    return SchoolClass.get(SchoolClass.code == code).id


def derived(event_id: int) -> list[Contact]:
    event = FamilyEvent.get_by_id(event_id)
    return list(Contact.select().where(Contact.meeting_id == meeting_id(event.uuid))
                .order_by(Contact.case))


def meeting(school, held_on="2026-11-18", classes="7-1 8-2", topic="如何陪孩子写作业"):
    return add_event(school.teacher, EventInput(held_on, "m", topic, "王校长", classes))


def test_an_event_is_validated_and_stored(school):
    with pytest.raises(EventValidationError) as bad:
        add_event(school.teacher, EventInput("2026-13-40", "x", "  ", "", "7-1 9-9"))
    assert set(bad.value.errors) == {"date", "kind", "topic", "classes"}
    assert FamilyEvent.select().count() == 0
    eid = add_event(school.teacher, EventInput("11-18", "f", "作业习惯", "王校长", "8-2，7-1 7-1"))
    event = load_event(eid)
    assert (event.held_on, event.kind, event.topic, event.classes) == (
        dt.date(2026, 11, 18), "focus_meeting", "作业习惯", ["8-2", "7-1"])
    assert AuditLog.select().where(AuditLog.table_name == "family_event").count() == 1


def test_a_class_is_saved_with_one_derived_contact_per_open_case(school):
    eid = meeting(school)
    c71 = class_id("7-1")
    zhang, zhao, zeng = (school.students[n].id for n in ("张伟", "赵薇", "曾小明"))
    count = save_attendance(school.teacher, eid, c71,
                            {(zhang, CAME): "1", (zhang, RATING): "5", (zhang, NOTE): "父亲来",
                             (zhao, CAME): "0", (zhao, NOTE): "请假",
                             (zeng, CAME): "1"})
    assert (count.added, count.changed, count.removed) == (3, 0, 0)
    got = {a.student_id: (a.attended, a.rating, a.note) for a in EventAttendance.select()}
    assert got == {zhang: (True, 5, "父亲来"), zhao: (False, None, "请假"), zeng: (True, None, "")}
    contacts = derived(eid)
    assert sorted(c.case_id for c in contacts) == sorted(
        [school.cases["张伟"].id, school.cases["曾小明"].id])
    for c in contacts:
        assert (c.kind, c.channel, c.discussed, c.occurred_at, c.author_id) == (
            "family", "parent_meeting", "如何陪孩子写作业", dt.datetime(2026, 11, 18, 12, 0),
            school.teacher.id)
    audited = {r.row_id for r in AuditLog.select().where(AuditLog.table_name == "contact")}
    assert {str(c.id) for c in contacts} <= audited
    # the same grid again: nothing written, still one contact per case
    again = save_attendance(school.teacher, eid, c71, {(zhang, CAME): "1", (zhang, RATING): "5",
                                                       (zhang, NOTE): "父亲来", (zeng, CAME): "1"})
    assert again.total == 0 and len(derived(eid)) == 2


@pytest.mark.file_only  # the journal beside the file
def test_the_event_attendance_and_contact_reach_the_journal(school):
    from db.store import journal

    eid = meeting(school)
    save_attendance(school.teacher, eid, class_id("7-1"), {(school.students["张伟"].id, CAME): "1"})
    lines = [(line["table"], line["action"]) for line in journal.read_all(school.path).lines
             if line["table"] in ("family_event", "event_attendance", "contact")]
    assert lines == [("family_event", "insert"), ("event_attendance", "insert"),
                     ("contact", "insert")]


def test_an_invalid_cell_anywhere_writes_nothing(school):
    eid = meeting(school)
    zhang, zeng = school.students["张伟"].id, school.students["曾小明"].id
    with pytest.raises(EventValidationError) as bad:
        save_attendance(school.teacher, eid, class_id("7-1"),
                        {(zhang, CAME): "1", (zeng, CAME): "1", (zeng, RATING): "9"})
    assert bad.value.errors == {f"cell:{zeng}:rating": "attend.err.rating"}
    with pytest.raises(EventValidationError) as absent:
        save_attendance(school.teacher, eid, class_id("7-1"),
                        {(zhang, CAME): "1", (zeng, CAME): "0", (zeng, RATING): "4"})
    assert absent.value.errors == {f"cell:{zeng}:rating": "attend.err.rating_absent"}
    assert EventAttendance.select().count() == 0 and derived(eid) == []


def test_unmarking_or_clearing_removes_the_contact_and_a_date_change_moves_it(school):
    eid = meeting(school)
    c71 = class_id("7-1")
    zhang, zeng = school.students["张伟"].id, school.students["曾小明"].id
    save_attendance(school.teacher, eid, c71, {(zhang, CAME): "1", (zeng, CAME): "1"})
    version = load_event(eid).version
    assert update_event(school.teacher, eid, version,
                        EventInput("2026-11-19", "m", "新主题", "王校长", "7-1 8-2"))
    assert {(c.occurred_at, c.discussed) for c in derived(eid)} == {
        (dt.datetime(2026, 11, 19, 12, 0), "新主题")}
    with pytest.raises(EventConflict):  # saved over a newer save
        update_event(school.teacher, eid, version, EventInput("2026-11-17", "m", "x", "", ""))
    count = save_attendance(school.teacher, eid, c71, {(zhang, CAME): "0", (zeng, CAME): ""})
    assert (count.changed, count.removed) == (1, 1)
    assert derived(eid) == []
    assert [a.student_id for a in EventAttendance.select()] == [zhang]
    deleted = AuditLog.select().where(AuditLog.table_name == "contact", AuditLog.action == "delete")
    assert deleted.count() == 2


def test_deleting_an_event_removes_its_attendance_and_contacts(school):
    eid = meeting(school)
    zhang = school.students["张伟"].id
    save_attendance(school.teacher, eid, class_id("7-1"), {(zhang, CAME): "1"})
    delete_event(school.teacher, eid)
    assert FamilyEvent.select().count() == 0 and EventAttendance.select().count() == 0
    assert Contact.select().where(Contact.meeting_id.startswith("event:")).count() == 0
    assert Contact.select().count() == 1  # the fixture's own entry stays


def test_a_row_saved_by_someone_else_since_loading_is_refused(school):
    eid = meeting(school)
    c71 = class_id("7-1")
    zhang = school.students["张伟"].id
    grid = load_attendance(school.teacher, eid, c71)
    save_attendance(school.teacher, eid, c71, {(zhang, CAME): "0"}, grid.versions)
    with pytest.raises(EventValidationError) as late:
        save_attendance(school.teacher, eid, c71, {(zhang, CAME): "1"}, grid.versions)
    assert late.value.errors == {f"cell:{zhang}:attended": "attend.err.changed"}
    assert EventAttendance.get().attended is False


def test_a_family_that_came_satisfies_the_monthly_family_rule(school):
    zeng = school.cases["曾小明"]
    Case.update(opened_on=dt.date(2026, 9, 1)).where(Case.id == zeng.id).execute()
    due = [i for i in my_due(school.teacher.id, TODAY) if i.case_id == zeng.id]
    assert "family" in [i.what for i in due]  # never met the family: overdue
    eid = meeting(school)
    save_attendance(school.teacher, eid, class_id("7-1"),
                    {(school.students["曾小明"].id, CAME): "1"})
    due = [i for i in my_due(school.teacher.id, TODAY) if i.case_id == zeng.id]
    assert "family" not in [i.what for i in due]
    later = [i for i in my_due(school.teacher.id, TODAY, days=60)
             if i.case_id == zeng.id and i.what == "family"]
    assert [i.last for i in later] == [dt.date(2026, 11, 18)]


def test_who_may_enter_which_class(school):
    eid = meeting(school)
    c71 = class_id("7-1")
    li = school.other  # a teacher without classes
    assert attendance_classes(li, eid) == []
    with pytest.raises(access.NotAllowed):
        load_attendance(li, eid, c71)
    with pytest.raises(access.NotAllowed):
        save_attendance(li, eid, c71, {(school.students["张伟"].id, CAME): "1"})
    assert EventAttendance.select().count() == 0
    Staff.update(classes="7-1").where(Staff.id == li.id).execute()  # now teaches 7-1
    li = Staff.get_by_id(li.id)
    assert [c.code for c in attendance_classes(li, eid)] == ["7-1"]
    only_82 = add_event(school.teacher, EventInput("2026-11-18", "w", "讲座", "", "8-2"))
    assert attendance_classes(li, only_82) == []  # not invited
    assert [c.code for c in attendance_classes(school.teacher, eid)] == ["7-1", "8-2"]
    vol = add_staff(None, "孙小志", "volunteer", pin_hash=PIN_HASH)
    with pytest.raises(access.NotAllowed):
        add_event(vol, EventInput("2026-11-18", "m", "x"))
    with pytest.raises(access.NotAllowed):
        list_events(vol, dt.date(2026, 9, 1), dt.date(2027, 1, 20))
    assert attendance_classes(vol, eid) == []
    with pytest.raises(access.NotAllowed):
        delete_event(vol, eid)


def test_a_planned_event_takes_no_attendance(school):
    eid = meeting(school, held_on="2026-12-01")
    with pytest.raises(EventValidationError) as bad:
        save_attendance(school.teacher, eid, class_id("7-1"),
                        {(school.students["张伟"].id, CAME): "1"})
    assert bad.value.errors == {"date": "event.err.not_yet"}


def test_the_list_counts_invited_and_attended_families(school):
    eid = meeting(school)
    add_event(school.teacher, EventInput("2026-11-10", "s", "家长学校第一讲", "", ""))
    save_attendance(school.teacher, eid, class_id("7-1"),
                    {(school.students["张伟"].id, CAME): "1", (school.students["赵薇"].id, CAME): "0"})
    rows = list_events(school.teacher, dt.date(2026, 9, 1), dt.date(2027, 1, 20))
    assert [(r.topic, r.attended, r.invited) for r in rows] == [
        ("如何陪孩子写作业", 1, 7), ("家长学校第一讲", 0, 7)]


def test_event_figures_on_a_hand_checked_set(school):
    s = school.students
    c71, c82 = class_id("7-1"), class_id("8-2")
    a = meeting(school, "2026-11-18", "7-1")  # supported invited: 张伟 赵薇 曾小明
    b = add_event(school.teacher, EventInput("2026-10-10", "s", "讲座", "", "8-2"))  # + [bold]王[/
    add_event(school.teacher, EventInput("2026-11-19", "s", "第二讲", "", "8-2"))
    add_event(school.teacher, EventInput("2026-08-01", "w", "outside the range", "", ""))
    save_attendance(school.teacher, a, c71, {(s["张伟"].id, CAME): "1", (s["张伟"].id, RATING): "4",
                                             (s["赵薇"].id, CAME): "0"})
    save_attendance(school.teacher, b, c82, {(s["[bold]王[/"].id, CAME): "1",
                                             (s["[bold]王[/"].id, RATING): "5",
                                             (s["周文"].id, CAME): "1", (s["周文"].id, RATING): "2"})
    figures = event_figures(dt.date(2026, 9, 1), dt.date(2027, 1, 20), access.scope_for(school.teacher))
    assert figures.by_kind == {"parent_school": 2, "parent_meeting": 1, "focus_meeting": 0,
                               "workshop": 0, "open_day": 0}
    assert figures.events == 3
    assert (figures.invited, figures.attended) == (4, 2)
    assert figures.share == pytest.approx(50.0)
    assert (figures.mean_rating, figures.ratings) == (pytest.approx(11 / 3), 3)
    # 李建国 (teacher, no classes) sees his own cases only: 赵薇 and [bold]王[/
    mine = event_figures(dt.date(2026, 9, 1), dt.date(2027, 1, 20), access.scope_for(school.other))
    assert (mine.invited, mine.attended, mine.ratings) == (2, 1, 1)
    assert mine.mean_rating == pytest.approx(5.0)
    empty = event_figures(dt.date(2026, 1, 1), dt.date(2026, 2, 1), access.scope_for(school.teacher))
    assert (empty.events, empty.share, empty.mean_rating) == (0, None, None)


# -- the screens, by keyboard -------------------------------------------------------------

async def open_events(pilot):
    from screens.family_events import EventsScreen

    await sign_in(pilot)
    pilot.app.push_screen(EventsScreen())
    await settle(pilot)
    assert isinstance(pilot.app.screen, EventsScreen)
    return pilot.app.screen


async def test_an_event_and_a_class_attendance_by_keyboard_make_the_family_contact(school):
    from screens.attendance import AttendanceScreen
    from screens.event_form import EventFormScreen
    from screens.family_events import EventsScreen
    from tui.grid import EditGrid

    zeng = school.cases["曾小明"]
    Case.update(opened_on=dt.date(2026, 9, 1)).where(Case.id == zeng.id).execute()
    assert "family" in [i.what for i in my_due(school.teacher.id, TODAY) if i.case_id == zeng.id]
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_events(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, EventFormScreen)
        await pilot.press("ctrl+u")
        await type_text(pilot, "11-18")
        await pilot.press("tab", "f", "tab")  # kind by letter: the focus meeting
        await type_text(pilot, "如何陪孩子写作业")
        await pilot.press("enter")
        await type_text(pilot, "王校长")
        await pilot.press("enter")
        await type_text(pilot, "7-1 9-9")  # a class that does not exist
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, EventFormScreen)  # refused, nothing lost
        assert t("event.err.class_unknown") in str(app.screen.query_one("#event-error").render())
        assert FamilyEvent.select().count() == 0
        await pilot.press("backspace", "backspace", "backspace", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, EventsScreen)
        event = FamilyEvent.get()
        assert (event.held_on, event.kind, event.topic, event.led_by, event.classes) == (
            dt.date(2026, 11, 18), "focus_meeting", "如何陪孩子写作业", "王校长", "7-1")
        await pilot.press("enter")
        await settle(pilot)
        grid_screen = app.screen
        assert isinstance(grid_screen, AttendanceScreen)
        grid = grid_screen.query_one(EditGrid)
        assert grid.has_focus and [r.cells[1] for r in grid.rows] == ["张伟", "赵薇", "曾小明"]
        await pilot.press("1", "enter", "0", "enter", "1")  # came: 张伟 yes, 赵薇 no, 曾小明 yes
        await pilot.press("right", "up", "up", "5")  # 张伟 rates it 5
        await pilot.press("ctrl+s")
        await settle(pilot)
        got = {a.student.name: (a.attended, a.rating) for a in EventAttendance.select()}
        assert got == {"张伟": (True, 5), "赵薇": (False, None), "曾小明": (True, None)}
        assert sorted(c.case_id for c in derived(event.id)) == sorted(
            [school.cases["张伟"].id, zeng.id])
        said = grid_screen.query_one("#attend-status").render().plain
        assert said == t("attend.saved", added=3, changed=0, removed=0, linked=2, unlinked=0)
        assert not grid.changed()
        await pilot.press("ctrl+s")  # again: nothing new, never a second contact
        await settle(pilot)
        assert len(derived(event.id)) == 2
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, EventsScreen)  # nothing unsaved: no question
        assert app.screen.table.rows[0][2] == "2/3"
    due = [i for i in my_due(school.teacher.id, TODAY) if i.case_id == zeng.id]
    assert "family" not in [i.what for i in due]
    later = [i for i in my_due(school.teacher.id, TODAY, days=60)
             if i.case_id == zeng.id and i.what == "family"]
    assert [i.last for i in later] == [dt.date(2026, 11, 18)]


async def test_a_bad_cell_is_shown_and_nothing_is_saved_and_leaving_asks(school):
    from screens.attendance import AttendanceScreen
    from screens.confirm import ConfirmScreen
    from tui.grid import EditGrid

    meeting(school)
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_events(pilot)
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AttendanceScreen)
        await pilot.press("1", "enter", "1", "right", "7")  # 赵薇 rates it 7
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert EventAttendance.select().count() == 0 and derived(FamilyEvent.get().id) == []
        grid = screen.query_one(EditGrid)
        zhao = school.students["赵薇"].id
        assert grid.errors == {(zhao, RATING): "attend.err.rating"}
        assert str(screen.query_one("#attend-error").render()) == t("attend.err.rating")
        await pilot.press("ctrl+n")  # on to 8-2 with unsaved cells: asks
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is screen and grid.values[(zhao, RATING)] == "7"  # nothing lost
        await pilot.press("backspace", "4", "ctrl+s")
        await settle(pilot)
        assert EventAttendance.select().count() == 2
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert [r.cells[1] for r in grid.rows][0] == "单田芳"  # 8-2 now
        assert "8-2" in screen.query_one("#attend-info").render().plain


async def test_an_event_is_deleted_after_the_question(school):
    from screens.confirm import ConfirmScreen

    eid = meeting(school)
    save_attendance(school.teacher, eid, class_id("7-1"), {(school.students["张伟"].id, CAME): "1"})
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_events(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert app.screen is screen and screen.rows == []
    assert FamilyEvent.select().count() == 0 and len(derived_all()) == 0


def derived_all() -> list[Contact]:
    return list(Contact.select().where(Contact.meeting_id.startswith("event:")))


async def test_f1_lists_every_key_of_the_events_and_the_attendance_screens(school, lang):
    from screens.help import HelpScreen
    from tests.test_help_keymap import expected_keys, help_lines, listed

    meeting(school)
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_events(pilot)
        for then in ("enter", None):  # the list, then the grid
            screen = app.screen
            expected = expected_keys(app, screen)
            assert len(expected) >= 4
            await pilot.press("f1")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            lines = help_lines(app)
            assert not [pair for pair in expected if not listed(lines, *pair)], lines
            await pilot.press("f1")
            await pilot.pause()
            if then:
                await pilot.press(then)
                await settle(pilot)
        assert listed(lines, "^n", t("key.attend_next_class"))


def test_the_command_line_lists_the_events_with_attendance(school, tmp_path, local_state):
    from db.store.connection import close_database
    from tests.helpers import cli_env, run_cli

    eid = meeting(school)
    add_event(school.teacher, EventInput("2026-08-20", "s", "outside this term", "", ""))
    save_attendance(school.teacher, eid, class_id("7-1"), {(school.students["张伟"].id, CAME): "1"})
    vol = add_staff(None, "孙小志", "volunteer", pin_hash=PIN_HASH)
    assert vol.id
    close_database()
    env = cli_env(tmp_path, local_state)
    out = run_cli(env, "events", db=school.path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == [
        t("event.cli.title", n=1, start="2026-09-01", end="2027-01-20"),
        f"2026-11-18  {label('event', 'parent_meeting')}  "
        f"{t('event.cli.came', came=1, invited=7)}  如何陪孩子写作业"]
    wide = run_cli(env, "events", "--from", "2026-08-01", "--to", "2026-12-31", db=school.path)
    assert "outside this term" in wide.stdout
    zh = run_cli(dict(env, LANG="zh_CN.UTF-8"), "events", db=school.path)
    assert "家长会" in zh.stdout and "出席 1/7 户" in zh.stdout
    bad = run_cli(env, "events", "--from", "2026-13-45", db=school.path)
    assert bad.returncode == 2 and "--from" in bad.stderr and "Traceback" not in bad.stderr
    refused = run_cli(env, "events", "--as", "孙小志", db=school.path)
    assert refused.returncode == 4 and "Traceback" not in refused.stderr


async def test_editing_an_event_by_keyboard_moves_its_contacts(school):
    from screens.event_form import EventFormScreen
    from screens.family_events import EventsScreen

    eid = meeting(school)
    save_attendance(school.teacher, eid, class_id("7-1"), {(school.students["张伟"].id, CAME): "1"})
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_events(pilot)
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, EventFormScreen) and form.query_one("#event-topic").has_focus
        await pilot.press("end", "ctrl+u")
        await type_text(pilot, "亲子沟通")
        await pilot.press("shift+tab", "shift+tab", "end", "ctrl+u")  # back to the date
        await type_text(pilot, "2026-11-17")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, EventsScreen)
        assert app.screen.table.rows[0][3] == "亲子沟通"
    assert [(c.discussed, c.occurred_at) for c in derived(eid)] == [
        ("亲子沟通", dt.datetime(2026, 11, 17, 12, 0))]
    assert FamilyEvent.get_by_id(eid).version == 2


def test_a_meeting_of_supported_families_invites_only_theirs(school):
    """8-2 has four students, one with an open case ([bold]王[/): a 后进生家长专题
    座谈会 for 8-2 invites that one family, and its grid lists only it."""
    from db.family_events import list_events, load_attendance

    meeting = add_event(school.teacher, EventInput("2026-11-18", "focus_meeting", "座谈会",
                                                   classes="8-2"))
    add_event(school.teacher, EventInput("2026-11-18", "parent_meeting", "家长会",
                                         classes="8-2"))
    rows = {e.kind: e for e in list_events(school.teacher, dt.date(2026, 9, 1),
                                           dt.date(2027, 1, 20))}
    assert rows["focus_meeting"].invited == 1 and rows["parent_meeting"].invited == 4
    class_id = SchoolClass.get(SchoolClass.code == "8-2").id
    grid = load_attendance(school.teacher, meeting, class_id)
    assert [s.name for s in grid.students] == ["[bold]王[/"]


async def test_typed_attendance_is_offered_again_after_bangfu_closed(school):
    """Who came to the parent meeting is typed for 7-1 and the terminal closes
    before ctrl+s: the next sign-in offers the grid, Enter brings back the cells,
    ctrl+s saves them (with the family contact) and the draft is gone."""
    from db.store.local import drafts
    from screens.attendance import AttendanceScreen
    from screens.drafts import DraftsScreen
    from screens.family_events import EventsScreen

    event = add_event(school.teacher, EventInput("2026-11-18", "parent_meeting", "家长会",
                                                 classes="7-1"))
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "wangfang")
        app.push_screen(EventsScreen())
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AttendanceScreen)
        await pilot.press("1", "enter", "0")  # 张伟's family came, 赵薇's did not
        await settle(pilot)
    [draft] = drafts(school.path, school.teacher.id)
    assert (draft.form, draft.key) == ("attendance", str(event))
    assert not EventAttendance.select().exists()

    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "wangfang")
        assert isinstance(app.screen, DraftsScreen)
        await pilot.press("enter")
        await settle(pilot)
        grid = app.screen
        assert isinstance(grid, AttendanceScreen)
        assert grid.grid.changed()
        await pilot.press("ctrl+s")
        await settle(pilot)
    came = {a.student_id: a.attended for a in EventAttendance.select()}
    assert came == {school.students["张伟"].id: True, school.students["赵薇"].id: False}
    assert len(derived(event)) == 1
    assert drafts(school.path, school.teacher.id) == []
