"""The rough edges of the forms (issue 19, item 9), each driven with Pilot and
checked in the database afterwards where something is saved.

The small school on 2026-11-20 (tests/conftest.py): 王芳 (administrator) leads
张伟 (20240101) and 曾小明, 李建国 (teacher) leads 赵薇 (20240102); 周文
(20240105) has no case.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from db.models import Assignment, Case, Contact, Guardian, Staff, StageReview, Student
from db.plan import add_goal
from db.staff import add_staff
from screens.case import CaseScreen
from screens.case_status import CaseStatusScreen
from screens.contact import ContactScreen
from screens.overview import OverviewScreen
from screens.roster import RosterScreen
from screens.stage_review import StageReviewScreen
from screens.student import StudentScreen
from screens.team import TeamScreen
from tests.conftest import PIN_HASH
from tests.helpers import make_app, settle, sign_in
from tui import i18n
from tui.i18n import t
from tui.ticks import TickBox, TickList
from tui.widgets import DateInput


async def open_case(pilot, number: str = "20240101") -> CaseScreen:
    await sign_in(pilot, "wangfang")
    await pilot.press(*number, "enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, CaseScreen)
    return pilot.app.screen


def focused_id(app) -> str | None:
    return app.focused.id if app.focused is not None else None


# -- 1. the contact form opens on its first field; Tab follows reading order -------------

async def test_the_contact_form_opens_on_the_date_and_tab_reaches_kind_and_channel(school):
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_case(pilot)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ContactScreen) and form.row.name == "张伟"
        assert focused_id(app) == "date"  # not the text: who and how come first
        order = ["date"]
        for _ in range(6):
            await pilot.press("tab")
            order.append(focused_id(app))
        assert order == ["date", "time", "duration", "kind", "channel", "participants",
                         "discussed"]
        for _ in range(3):
            await pilot.press("shift+tab")
        assert focused_id(app) == "kind"
        await pilot.press("s", "tab", "f", "tab", "tab")  # with the student, face to face
        assert focused_id(app) == "discussed"
        await pilot.press(*"Went through the maths test")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
    saved = Contact.get(Contact.discussed == "Went through the maths test")
    assert (saved.kind, saved.channel) == ("student", "face")
    assert saved.case_id == school.cases["张伟"].id


# -- 2. a prefilled date is edited, not replaced by the first key ------------------------

async def test_a_prefilled_date_keeps_its_value_when_typed_into(school):
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_case(pilot)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        date = form.query_one("#date", DateInput)
        form.query_one("#discussed").focus()
        await pilot.pause()
        date.focus()  # as a person comes back to it
        await pilot.pause()
        assert date.value == "2026-11-20" and date.selection.is_empty
        assert date.cursor_position == len(date.value)
        await pilot.press("backspace", "backspace", "1", "9")  # the day before
        assert date.value == "2026-11-19"
        form.query_one("#time").focus()
        await pilot.press("backspace", "backspace", "0", "0")
        assert form.query_one("#time").value == "15:00"
        form.query_one("#discussed").focus()
        await pilot.press(*"Yesterday's call")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
    saved = Contact.get(Contact.discussed == "Yesterday's call")
    assert saved.occurred_at == dt.datetime(2026, 11, 19, 15, 0)


async def test_ctrl_u_clears_a_prefilled_date_for_a_new_one(school):
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_case(pilot)
        await pilot.press("v")
        await settle(pilot)
        review = app.screen
        assert isinstance(review, StageReviewScreen)
        await pilot.press(*"Better week")
        review.query_one("#review-date").focus()
        await pilot.press("backspace")  # edits the date (selected, it would be gone)
        assert review.query_one("#review-date").value == "2026-11-2"
        await pilot.press("ctrl+u", *"11-18")
        assert review.query_one("#review-date").value == "11-18"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
    [row] = StageReview.select().where(StageReview.case == school.cases["张伟"].id)
    assert (row.review_date, row.summary) == (dt.date(2026, 11, 18), "Better week")


async def typed_at_the_end(pilot, widget, key: str = "7") -> None:
    """Focus a date field and type one key: it lands after the value, nothing lost."""
    before = widget.value
    widget.focus()
    await pilot.pause()
    await pilot.press(key)
    assert isinstance(widget, DateInput) and not widget.select_on_focus
    assert widget.value == before + key, widget.id


async def test_every_date_field_of_the_forms_is_edited_not_replaced(school):
    from screens.goals import GoalsScreen
    from screens.scores import ScoreGridScreen

    app = make_app(school.path)
    async with app.run_test(size=(100, 40)) as pilot:
        case = await open_case(pilot)
        await pilot.press("n")
        await settle(pilot)
        for name in ("#date", "#time", "#follow_up_due"):
            await typed_at_the_end(pilot, app.screen.query_one(name))
        app.screen.dismiss(False)
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, StageReviewScreen)
        for name in ("#review-date", "#next-due-1", "#next-due-2", "#next-due-3", "#review-next"):
            await typed_at_the_end(pilot, app.screen.query_one(name))
        app.screen.dismiss(False)
        await settle(pilot)
        await pilot.press("g")
        await settle(pilot)
        assert isinstance(app.screen, GoalsScreen)
        await pilot.press("a")
        await typed_at_the_end(pilot, app.screen.query_one("#goal-due"))
        app.screen.dismiss(False)
        await settle(pilot)
        assert app.screen is case
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, StudentScreen)
        await typed_at_the_end(pilot, app.screen.query_one("#birth_date"))
        app.screen.dismiss(None)
        await settle(pilot)
        app.push_screen(ScoreGridScreen("scores"))
        await settle(pilot)
        await typed_at_the_end(pilot, app.screen.query_one("#grid-date"))


async def test_the_meeting_form_date_is_edited_not_replaced(school):
    from screens.meeting import MeetingScreen

    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "wangfang")
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert isinstance(app.screen, MeetingScreen)
        await typed_at_the_end(pilot, app.screen.query_one("#date"))


# -- 3. the stage review's goal list refuses text out loud -------------------------------

async def test_text_typed_into_the_goal_list_is_refused_with_a_bell_and_a_hint(school,
                                                                               monkeypatch):
    add_goal(school.teacher, school.cases["张伟"].id, "short", "Homework every day", due="12-30")
    app = make_app(school.path)
    bells = []
    monkeypatch.setattr(app, "bell", lambda: bells.append(1))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_case(pilot)
        await pilot.press("v")
        await settle(pilot)
        review = app.screen
        assert isinstance(review, StageReviewScreen)
        await pilot.press(*"作业", "tab")
        assert focused_id(app) == "review-goals"
        error = review.query_one("#review-error")
        assert str(error.render()) == ""
        await pilot.press("按", "时")  # meant for the summary: refused, not lost unseen
        assert len(bells) == 2
        assert str(error.render()) == t("stage.goals_take_no_text")
        assert review.values()["summary"] == "作业"
        await pilot.press("s")  # the list's own key still works, without a bell
        assert len(bells) == 2 and review.values()["statuses"] == {
            str(g.id): "met" for g in review.goals}
        await pilot.press("tab")  # on to the next goals: the hint goes
        assert focused_id(app) == "next-goal-1" and str(error.render()) == ""
        await pilot.press(*"每天读书", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
    [row] = StageReview.select().where(StageReview.case == school.cases["张伟"].id)
    assert row.summary == "作业"


# -- 4. a ticked box and an unticked one differ in their text -------------------------------

def box_text(list_widget: TickList, index: int) -> str:
    return list_widget.render_line(index - list_widget.scroll_offset.y).text


async def test_ticked_and_unticked_boxes_read_differently_without_colour(school):
    app = make_app(school.path)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_case(pilot)
        await pilot.press("s")  # the student editor
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, StudentScreen)
        flags = editor.query_one("#family_flags", TickList)
        assert flags.selected == ["left_behind_one"]  # the first flag, ticked
        await pilot.pause()
        ticked, unticked = box_text(flags, 0), box_text(flags, 1)
        assert ticked.startswith("[x] ") and unticked.startswith("[ ] ")
        assert i18n.label("family", "left_behind_one") in ticked  # the label follows the box
        lives = [editor.query_one(f"#g{i}-lives_with", TickBox) for i in (1, 2)]
        assert [box.value for box in lives] == [False, True]
        assert lives[0].render().plain.startswith("[ ]")
        assert lives[1].render().plain.startswith("[x]")
        flags.focus()
        await pilot.press("down", "space")  # tick the second flag
        assert box_text(flags, 1).startswith("[x] ")
        lives[0].focus()
        await pilot.press("space")
        assert lives[0].render().plain.startswith("[x]")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, StudentScreen)
    student = Student.get(Student.student_no == "20240101")
    assert set(student.family_flags.split(",")) == {"left_behind_one", "left_behind_both"}
    assert {g.name: g.lives_with for g in Guardian.select().where(
        Guardian.student == student.id)} == {"张父": True, "刘梅": True}


async def test_the_case_forms_tick_lists_read_x_or_blank(school):
    app = make_app(school.path)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_case(pilot)
        await pilot.press("e")  # edit the case: categories and causes
        await settle(pilot)
        categories = app.screen.query_one("#categories", TickList)
        await pilot.pause()
        assert box_text(categories, 0).startswith("[x] ")  # academic
        assert box_text(categories, 1).startswith("[ ] ")
        app.screen.dismiss(False)
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, RosterScreen)
        app.screen.search_input.value = "20240105"  # 周文: no case yet
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert isinstance(app.screen, CaseStatusScreen)
        causes = app.screen.query_one("#causes", TickList)
        await pilot.pause()
        assert box_text(causes, 0).startswith("[ ] ")


# -- 5. the team: the role by letter, a volunteer as a volunteer ------------------------------

async def test_a_volunteer_joins_as_a_volunteer_and_roles_are_picked_by_letter(school):
    guo = add_staff(None, "郭强", "volunteer", pin_hash=PIN_HASH)
    case = school.cases["赵薇"].id  # led by 李建国

    def role_of(staff_id: int) -> str | None:
        row = Assignment.get_or_none(Assignment.case == case, Assignment.staff == staff_id,
                                     Assignment.active == True)  # noqa: E712
        return row.role if row else None

    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_case(pilot, "20240102")
        await pilot.press("t")
        await settle(pilot)
        team = app.screen
        assert isinstance(team, TeamScreen)
        await pilot.press("a", *"guoq", "enter")
        await settle(pilot)
        picker = team.query_one("#team-role")
        assert team.query_one("#team-role-row").display and app.focused is picker
        assert picker.value == "volunteer"  # what fits a volunteer, shown before it is saved
        assert role_of(guo.id) is None
        shown = picker.render().plain
        for letter, code in (("l", "lead"), ("t", "tutor"), ("c", "counsellor"),
                             ("v", "volunteer")):
            assert f"{letter} {i18n.label('role', code)}" in shown
        await pilot.press("enter")
        await settle(pilot)
        assert role_of(guo.id) == "volunteer"
        assert not team.query_one("#team-role-row").display and app.focused is team.table
        assert [r[0] for r in team.table.rows] == ["李建国", "郭强"]
        await pilot.press("down", "r")
        assert picker.value == "volunteer"  # the current role, to change by letter
        await pilot.press("c")
        await settle(pilot)
        assert role_of(guo.id) == "counsellor"
        await pilot.press("r", "escape")  # Esc: nothing changes
        await settle(pilot)
        assert role_of(guo.id) == "counsellor" and isinstance(app.screen, TeamScreen)
        await pilot.press("a", *"zeng", "enter", "t")  # a counsellor made subject tutor
        await settle(pilot)
    zeng = Staff.get(Staff.name == "曾老师")
    assert role_of(zeng.id) == "tutor" and role_of(school.other.id) == "lead"


# -- 6. the roster's F-keys from the overview ---------------------------------------------------

async def test_f_keys_work_from_the_overview_and_leave_it(school):
    from screens.intake import IntakeScreen
    from screens.scores import ScoreGridScreen

    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "wangfang")
        await pilot.press("f3")
        await settle(pilot)
        assert isinstance(app.screen, OverviewScreen)
        await pilot.press("f5")
        await settle(pilot)
        assert isinstance(app.screen, ScoreGridScreen)
        assert not any(isinstance(s, OverviewScreen) for s in app.screen_stack)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, RosterScreen)
        await pilot.press("f3")
        await settle(pilot)
        await pilot.press("enter")  # drilled into a class: still leaves from there
        await pilot.press("f11")
        await settle(pilot)
        assert isinstance(app.screen, IntakeScreen)
        assert [type(s) for s in app.screen_stack][-2:] == [RosterScreen, IntakeScreen]


async def test_f_keys_from_the_overview_keep_to_the_role(school):
    from screens.scores import ScoreGridScreen
    from screens.staff import StaffScreen

    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "lijianguo")  # a teacher: the overview, not the staff list
        await pilot.press("f3")
        await settle(pilot)
        overview = app.screen
        assert isinstance(overview, OverviewScreen)
        await pilot.press("f9")
        await settle(pilot)
        assert app.screen is overview
        assert not any(isinstance(s, StaffScreen) for s in app.screen_stack)
        await pilot.press("f6")  # check-ins: a teacher's
        await settle(pilot)
        assert isinstance(app.screen, ScoreGridScreen) and app.screen.kind == "checkins"


# -- 7. the first lead: staff listed while a name or pinyin is typed ------------------------------

async def test_the_lead_field_lists_staff_by_pinyin_and_initials(school):
    li_jun = add_staff(None, "李军", "teacher", pin_hash=PIN_HASH)
    zhou = school.students["周文"]
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "wangfang")
        await pilot.press(*"20240105")
        await settle(pilot)
        await pilot.press("ctrl+l")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, CaseStatusScreen)
        await pilot.press("space")  # academic
        lead = form.query_one("#lead")
        lead.focus()
        await pilot.pause()
        suggestions = form.query_one("#lead-suggestions")
        assert not suggestions.display  # the prefilled name lists nobody
        await pilot.press(*"wf")  # initials (the prefilled name was selected: replaced)
        assert suggestions.display
        assert [str(suggestions.get_option_at_index(i).prompt)
                for i in range(suggestions.option_count)][0].startswith("王芳")
        await pilot.press("ctrl+u", *"lij")
        names = [str(suggestions.get_option_at_index(i).prompt).split()[0]
                 for i in range(suggestions.option_count)]
        assert names == ["李建国", "李军"]
        await pilot.press("down", "enter")  # the second one
        assert lead.value == "李军" and not suggestions.display
        assert focused_id(app) == "reason"
        await pilot.press(*"期中考试", "enter")
        await settle(pilot)
        assert not isinstance(app.screen, CaseStatusScreen)
    case = Case.get(Case.student == zhou.id)
    [row] = Assignment.select().where(Assignment.case == case.id)
    assert (row.staff_id, row.role) == (li_jun.id, "lead")


# -- 8. English plurals ------------------------------------------------------------------------

# key, the count, the text with 1 and with 2 (other placeholders: "X", other counts: 2)
PLURALS = [
    ("rscreen.days_late", "n", "1 day late", "2 days late"),
    ("app.outbox_written", "n", "1 waiting entry written", "2 waiting entries written"),
    ("app.outbox_problem", "n", "1 waiting entry cannot", "2 waiting entries cannot"),
    ("app.outbox_refused", "n", "1 waiting entry could not", "2 waiting entries could not"),
    ("app.outbox_earlier_pin", "n", "1 of your waiting entries was sealed",
     "2 of your waiting entries were sealed"),
    ("lock.title", "minutes", "for 1 minute.", "for 2 minutes."),
    ("goal.info", "n", "X: 1 goal ·", "X: 2 goals ·"),
    ("review.info", "n", "1 of my cases is from", "2 of my cases are from"),
    ("meeting.chosen", "n", "1 student: X", "2 students: X"),
    ("meeting.saved", "n", "Saved 1 entry, one", "Saved 2 entries, one"),
    ("grid.loaded.scores", "n", "X: 1 student,", "X: 2 students,"),
    ("grid.loaded.checkins", "n", "X: 1 supported student,", "X: 2 supported students,"),
    ("rscreen.line.entries", "cases", "for 1 case", "for 2 cases"),
    ("rscreen.line.compliance", "n", "of 1 open case:", "of 2 open cases:"),
    ("rscreen.line.overdue", "n", "Overdue: 1 item in", "Overdue: 2 items in"),
    ("rscreen.line.overdue", "cases", "in 1 case", "in 2 cases"),
    ("case.reviews_more", "n", "1 earlier review not", "2 earlier reviews not"),
    ("overview.info", "cases", "· 1 case,", "· 2 cases,"),
    ("overview.group_info", "cases", "· 1 case,", "· 2 cases,"),
    ("caseload.summary", "cases", "· 1 case ·", "· 2 cases ·"),
    ("caseload.none", "cases", "· 1 case ·", "· 2 cases ·"),
    ("cli.demo_done", "students", ": 1 student,", ": 2 students,"),
    ("cli.demo_done", "cases", " 1 case,", " 2 cases,"),
    ("cli.demo_done", "contacts", " 1 contact,", " 2 contacts,"),
    ("cli.demo_done", "scores", " 1 score,", " 2 scores,"),
    ("cli.demo_done", "checkins", " 1 check-in.", " 2 check-ins."),
    ("cli.due_none", "days", "next 1 day for", "next 2 days for"),
    ("cli.due_count", "n", "1 item (", "2 items ("),
    ("cli.due_count", "cases", "on 1 case.", "on 2 cases."),
    ("cli.check_tampered", "n", "X: 1 problem,", "X: 2 problems,"),
    ("cli.check_damaged", "n", "(1 problem)", "(2 problems)"),
    ("cli.recover_ok", "applied", "1 row restored", "2 rows restored"),
    ("cli.recover_done", "applied", "1 row restored", "2 rows restored"),
    ("cli.recover_done", "files", "from 1 journal,", "from 2 journals,"),
    ("cli.recover_done", "present", "1 was in the backup", "2 were in the backup"),
    ("cli.recover_done", "bad", "1 unreadable line.", "2 unreadable lines."),
    ("cli.outbox_others", "n", "1 entry of another person waits here",
     "2 entries of other people wait here"),
    ("cli.outbox_refused_others", "n", "1 set-aside entry of another person is in",
     "2 set-aside entries of other people are in"),
    ("cli.outbox_count", "n", "1 entry waiting", "2 entries waiting"),
    ("rules.info", "n", "1 rule for", "2 rules for"),
    ("rules.every", "n", "every 1 day", "every 2 days"),
    ("student.guardians_full", "n", "At most 1 guardian.", "At most 2 guardians."),
    ("intake.info", "n", "X: 1 student,", "X: 2 students,"),
    ("intake.done", "total", "of 1 case opened", "of 2 cases opened"),
    ("export.written", "n", "(1 row)", "(2 rows)"),
    ("import.ask", "new", "add 1 new student,", "add 2 new students,"),
    ("import.ask_cli", "new", "Import 1 new student and", "Import 2 new students and"),
    ("import.done", "classes", "1 class made", "2 classes made"),
    ("import.done", "skipped", "1 row with problems", "2 rows with problems"),
    ("import.file_line", "rows", "1 row read", "2 rows read"),
    ("import.preview", "n", "The first 1 row:", "The first 2 rows:"),
    ("import.summary", "new", "Would add 1 student,", "Would add 2 students,"),
    ("import.summary", "classes", "make 1 class;", "make 2 classes;"),
    ("import.summary", "problems", "1 row has problems and is left out",
     "2 rows have problems and are left out"),
    ("import.problem.too_many_guardians", "length", "have 1 guardian,", "have 2 guardians,"),
    ("import.problem.too_long", "length", "1 character,", "2 characters,"),
    ("import.error.too_many_cells", "limit", "than 1 cell,", "than 2 cells,"),
    ("import.error.too_many_rows", "limit", "than 1 row below", "than 2 rows below"),
    ("migrate.outbox", "n", "1 entry waits in", "2 entries wait in"),
    ("migrate.plan", "rows", "(1 row in", "(2 rows in"),
    ("migrate.plan", "tables", "in 1 table)", "in 2 tables)"),
    ("migrate.done", "rows", "Copied 1 row in", "Copied 2 rows in"),
    ("migrate.done", "tables", "in 1 table from", "in 2 tables from"),
    ("migrate.already", "rows", "(1 row in", "(2 rows in"),
    ("migrate.already", "tables", "in 1 table)", "in 2 tables)"),
    ("cli.keys.set_up", "holders", "held by 1 reader;", "held by 2 readers;"),
    ("cli.keys.plain", "n", "1 restricted row is still", "2 restricted rows are still"),
    ("cli.export.written", "n", "1 row written", "2 rows written"),
    ("audit.info", "n", "1 row ·", "2 rows ·"),
    ("audit.info_more", "n", "Newest 1 row shown", "Newest 2 rows shown"),
    ("audit.file_line", "n", "· 1 row ·", "· 2 rows ·"),
    ("audit.written", "n", "(1 row)", "(2 rows)"),
]


@pytest.mark.parametrize("key, count, one, other", PLURALS,
                         ids=[f"{k}.{c}" for k, c, _, _ in PLURALS])
def test_english_counts_take_the_singular_for_one(key, count, one, other):
    from tests.test_i18n import COUNTS, placeholders

    names = {name.split("!")[0] for name in placeholders(i18n.CATALOG[key][0])}
    assert count in names
    values = {name: 2 if name in COUNTS else "X" for name in names}

    def says(fragment: str, text: str) -> bool:  # "1 case" is not in "1 cases"
        return re.search(re.escape(fragment) + r"(?![a-z])", text) is not None

    assert says(one, t(key, **{**values, count: 1})), t(key, **{**values, count: 1})
    assert says(other, t(key, **{**values, count: 2}))
    i18n.set_language("zh")
    zh = t(key, **{**values, count: 1})
    assert "|" not in zh and "1" in zh  # Chinese: the number as it is
    i18n.set_language("en")


def test_the_report_days_late_reads_one_day():
    assert t("rscreen.days_late", n=1) == "1 day late"
    assert t("rscreen.days_late", n=2) == "2 days late"
