"""The core loop driven with Pilot: sign in, search, open a case, log contacts."""

from __future__ import annotations

from db.models import AuditLog, Contact
from screens.case import CaseScreen
from screens.contact import ContactScreen
from screens.roster import RosterScreen
from tests.helpers import make_app, settle, sign_in


async def test_sign_in_search_open_and_log_a_phone_contact(school):
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "wangf")
        assert isinstance(app.screen, RosterScreen)
        assert app.staff.name == "王芳"
        await pilot.press("z", "w")
        rows = app.screen.roster.rows
        assert [r.name for r in rows][:2] == ["张伟", "赵薇"]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
        assert app.screen.view.name == "张伟"
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, ContactScreen)
        assert app.focused.id == "date"  # the form opens on its first field (who, how next)
        app.screen.query_one("#discussed").focus()
        await pilot.press("ctrl+a")  # nothing special: stays in the discussed box
        await pilot.press(*"Phoned mother")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
        first = app.screen.view.contacts[0]
        assert first.discussed == "Phoned mother"
        assert first.channel == "phone" and first.author == "王芳"
        top = [line.text for line in app.screen.query_one("#timeline").lines[:3]]
        assert "phone" in top[0] and "王芳" in top[0]  # the newest entry, on top
        assert "Phoned mother" in top[1]
    saved = Contact.get(Contact.discussed == "Phoned mother")
    assert saved.author.name == "王芳"
    assert saved.case_id == school.cases["张伟"].id
    assert AuditLog.select().where((AuditLog.table_name == "contact")
                                   & (AuditLog.row_id == str(saved.id))).count() == 1


async def test_save_and_next_logs_three_students_in_a_row(school):
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "wangfang")
        await pilot.press("ctrl+n")  # log for the highlighted student (张伟)
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ContactScreen)
        # a parent meeting: channel m, participants kept for everyone
        form.query_one("#channel").focus()
        await pilot.press("m")
        form.query_one("#participants").focus()
        await pilot.press(*"Parents")
        form.query_one("#discussed").focus()
        await pilot.press(*"Meeting one")
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert app.focused.id == "student"
        for query, text in (("zhaowei", "Meeting two"), ("zengxiaoming", "Meeting three")):
            await pilot.press(*query)
            await pilot.pause()
            await pilot.press("enter")  # pick the first suggestion
            await settle(pilot)
            assert app.focused.id == "discussed"  # in a series: straight to the text
            await pilot.press(*text)
            await pilot.press("ctrl+n")
            await settle(pilot)
        assert form.saved_count == 3
        assert form.query_one("#participants").value == "Parents"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, RosterScreen)
    rows = list(Contact.select().where(Contact.discussed.startswith("Meeting"))
                .order_by(Contact.id))
    assert [r.case.student.name for r in rows] == ["张伟", "赵薇", "曾小明"]
    assert {r.channel for r in rows} == {"parent_meeting"}
    assert {r.participants for r in rows} == {"Parents"}
    assert len({r.uuid for r in rows}) == 3
    assert all(r.author.name == "王芳" for r in rows)


async def test_invalid_date_writes_nothing_and_says_so_at_the_field(school):
    before = Contact.select().count()
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "wangfang")
        await pilot.press(*"20240101", "enter")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        form.query_one("#date").value = "13-45"
        form.query_one("#discussed").focus()
        await pilot.press(*"Home visit")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        error = form.query_one("#err-date")
        assert "date" in str(error.render()).lower()
        assert error.has_class("shown")
        assert app.focused.id == "date"
    assert Contact.select().count() == before


async def test_escape_with_unsaved_text_asks_first(school):
    from screens.confirm import ConfirmScreen

    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "wangfang")
        await pilot.press("ctrl+n")
        await settle(pilot)
        form = app.screen
        form.query_one("#discussed").focus()
        await pilot.press(*"half a thought")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # keep editing
        await pilot.pause()
        assert app.screen is form
        assert form.query_one("#discussed").text == "half a thought"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, RosterScreen)
    assert not Contact.select().where(Contact.discussed == "half a thought").exists()


async def test_editing_a_case_someone_else_changed_is_refused_then_merged(school):
    from db.cases import update_case
    from db.models import Case
    from screens.case_edit import CaseEditScreen

    case_id = school.cases["张伟"].id
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "wangfang")
        await pilot.press(*"20240101", "enter")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        edit = app.screen
        assert isinstance(edit, CaseEditScreen)
        # meanwhile 李建国 saves a change to the measures at another desk
        update_case(school.other, case_id, 1, {"measures": "Daily check-in with 李老师"})
        edit.query_one("#main_problems").load_text("Homework missing; late to class")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is edit  # refused, nothing overwritten
        status = str(edit.query_one("#form-status").render())
        assert "李建国" in status
        stored = Case.get_by_id(case_id)
        assert stored.version == 2
        assert stored.main_problems == "作业经常不交"
        assert stored.measures == "Daily check-in with 李老师"
        await pilot.press("ctrl+r")  # merge theirs with mine
        await settle(pilot)
        assert edit.query_one("#measures").text == "Daily check-in with 李老师"
        assert edit.query_one("#main_problems").text == "Homework missing; late to class"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
    stored = Case.get_by_id(case_id)
    assert stored.version == 3
    assert stored.main_problems == "Homework missing; late to class"
    assert stored.measures == "Daily check-in with 李老师"
    assert stored.updated_by.name == "王芳"


async def test_markup_and_escapes_in_data_show_literally(school):
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "wangfang")
        await pilot.press(*"20240106")
        await settle(pilot)
        assert app.screen.roster.rows[0].name == "[bold]王[/"
        lines = [app.screen.roster.render_line(y).text for y in range(1)]
        assert "[bold]王[/" in lines[0]
        await pilot.press("enter")
        await settle(pilot)
        assert "[bold]王[/" in str(app.screen.query_one("#case-title").render())
        await pilot.press("escape")
        await pilot.press("ctrl+u", *"20240101", "enter")
        await settle(pilot)
        timeline = "\n".join(line.text for line in app.screen.query_one("#timeline").lines)
        assert "homework [/] and sleep red" in timeline
        assert "\x1b" not in timeline


async def test_my_cases_and_status_filter_keys(school):
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "wangfang")
        screen = app.screen
        assert len(screen.roster.rows) == 7
        await pilot.press("ctrl+o")
        assert {r.name for r in screen.roster.rows} == {"张伟", "曾小明"}
        await pilot.press("ctrl+o", "ctrl+f")  # all, then status: open cases
        assert {r.name for r in screen.roster.rows} == {"张伟", "赵薇", "曾小明", "[bold]王[/"}
        await pilot.press("tab")  # into the list: single letters act
        assert app.focused is screen.roster
        await pilot.press("s")  # next status: identified
        assert [r.name for r in screen.roster.rows] == ["赵薇"]
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, ContactScreen)
        assert app.screen.row.name == "赵薇"


async def test_markup_in_a_name_shows_literally_in_the_form_suggestions(school):
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "wangfang")
        await pilot.press("ctrl+n")
        await settle(pilot)
        form = app.screen
        form.query_one("#student").focus()
        form.query_one("#student").value = ""
        await pilot.press(*"20240106")
        await settle(pilot)
        options = form.query_one("#suggestions")
        assert options.display and options.option_count == 1
        assert "[bold]王[/" in str(options.get_option_at_index(0).prompt)
        await pilot.press("enter")
        await settle(pilot)
        assert form.row.name == "[bold]王[/"
        assert app.focused.id == "date"
