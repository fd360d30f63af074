"""Issue 22, surveys on screen: the list and figures, the form, the grid, the import."""

from __future__ import annotations

import json

from db.models import Staff, Student
from db.models_families import Survey, SurveyAnswer
from db.survey_file import import_answers
from db.surveys import create_survey
from screens.survey_form import SurveyFormScreen
from screens.survey_grid import SurveyGridScreen
from screens.survey_import import SurveyImportScreen
from screens.surveys import SurveysScreen
from tests.helpers import make_app, settle, sign_in, type_text
from tests.test_surveys import QUESTIONS, ROWS, write_csv, write_xlsx
from tui.grid import EditGrid
from tui.widgets import InfoLine, LinesView, PlainStatic


def admin():
    return Staff.get(Staff.name == "王芳")


def screen_text(screen) -> str:
    parts = []
    for widget in screen.query(PlainStatic):
        parts.append(str(widget.render()))
    for line in screen.query(InfoLine):
        parts.append(str(line.render()))
    return "\n".join(parts)


async def open_surveys(pilot, who: str = "wangfang"):
    await sign_in(pilot, who)
    pilot.app.push_screen(SurveysScreen())
    await settle(pilot)
    assert isinstance(pilot.app.screen, SurveysScreen)
    return pilot.app.screen


async def test_the_list_shows_each_survey_and_enter_its_figures(school, tmp_path):
    survey = create_survey(admin(), "秋季家长满意度", QUESTIONS)
    import_answers(admin(), survey.id, write_xlsx(tmp_path / "a.xlsx", ROWS))
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_surveys(pilot)
        table = screen.table
        assert table.rows == [["2026-11-20", "2026-2027 第一学期", "7", "83.3%", "85%",
                               "秋季家长满意度"]]
        await pilot.press("enter")
        await settle(pilot)
        figures = str(screen.query_one("#survey-figures").render())
        assert "87.5%" in figures and "target met" in figures
        assert "80.0%" in figures and "short by 5 points" in figures
        assert "83.3%" in figures and "7 of 7 families answered" in figures
        assert "answers rated 4 or 5" in figures


async def test_a_new_survey_is_typed_in_the_form(school):
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_surveys(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, SurveyFormScreen)
        await type_text(pilot, "期末满意度")
        await pilot.press("tab", "ctrl+u")
        await type_text(pilot, "120")  # not a per cent: refused, nothing written
        await pilot.press("tab", "tab")
        await type_text(pilot, "对学校")
        await pilot.press("enter")
        await type_text(pilot, "对老师")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, SurveyFormScreen)
        assert "per cent from 1 to 100" in str(app.screen.query_one("#survey-error").render())
        assert Survey.select().count() == 0
        assert app.screen.focused.id == "survey-target"
        await pilot.press("end", "ctrl+u")
        await type_text(pilot, "90")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, SurveysScreen)
        survey = Survey.get()
        assert (survey.title, survey.target, json.loads(survey.questions)) == (
            "期末满意度", 90, ["对学校", "对老师"])
        assert app.screen.table.rows[0][-1] == "期末满意度"


async def test_a_class_is_entered_by_keyboard_and_saved_in_one_transaction(school, monkeypatch):
    from db.store import journal

    create_survey(admin(), "秋季", QUESTIONS)
    transactions = []
    real = journal.transaction

    def counted():
        transactions.append(1)
        return real()

    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_surveys(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, SurveyGridScreen)
        await type_text(pilot, "7-1")
        await pilot.press("enter")
        await settle(pilot)
        grid = app.screen.query_one(EditGrid)
        assert grid.has_focus and [r.cells[1] for r in grid.rows] == ["张伟", "赵薇", "曾小明"]
        # Q1 down the class, then Q2; 赵薇's Q2 a 7 first (refused), then 4
        await pilot.press("5", "enter", "4", "enter", "3", "right", "up", "up", "5", "enter", "7")
        monkeypatch.setattr(journal, "transaction", counted)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert SurveyAnswer.select().count() == 0  # nothing of the class written
        assert "1 cell is not 1–5" in str(app.screen.query_one(InfoLine).render())
        assert grid.current == (Student.get(Student.name == "赵薇").id, "q2")
        await pilot.press("4")
        transactions.clear()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert len(transactions) == 1  # the whole class in one transaction
        got = {a.student.name: json.loads(a.answers) for a in SurveyAnswer.select()}
        assert got == {"张伟": [5, 5, None], "赵薇": [4, 4, None], "曾小明": [3, None, None]}
        # saved again at once: the versions were reloaded, no conflict, nothing to write
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Saved: 0 added, 0 changed, 0 removed." in str(
            app.screen.query_one(InfoLine).render())


async def test_a_teacher_enters_only_their_own_class(school):
    li = Staff.get(Staff.name == "李建国")
    Staff.update(classes="7-1").where(Staff.id == li.id).execute()
    survey = create_survey(admin(), "秋季", QUESTIONS)
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_surveys(pilot, "lijianguo")
        assert not screen.check_action("new", ()) and not screen.check_action("edit", ())
        app.push_screen(SurveyGridScreen(survey.id))
        await settle(pilot)
        await type_text(pilot, "8-2")
        await pilot.press("enter")
        await settle(pilot)
        assert "only for your own classes" in screen_text(app.screen)
        assert not app.screen.query_one(EditGrid).rows


async def test_the_import_screen_names_bad_rows_then_imports(school, tmp_path):
    create_survey(admin(), "秋季", QUESTIONS)
    bad = [list(r) for r in ROWS]
    bad[1][3] = 0
    write_csv(tmp_path / "bad.csv", bad)
    write_csv(tmp_path / "good.csv", ROWS)
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_surveys(pilot)
        await pilot.press("i")
        await settle(pilot)
        assert isinstance(app.screen, SurveyImportScreen)
        await type_text(pilot, str(tmp_path / "nothere.csv"))
        await pilot.press("enter")
        await settle(pilot)
        assert "No file at this path" in screen_text(app.screen)
        await pilot.press("ctrl+u")
        await type_text(pilot, str(tmp_path / "bad.csv"))
        await pilot.press("enter")
        await settle(pilot)
        shown = "\n".join(s.text for s in app.screen.query_one(LinesView).lines)
        assert "Row 3: Q2 holds “0”" in shown
        assert SurveyAnswer.select().count() == 0
        await pilot.press("ctrl+u")
        await type_text(pilot, str(tmp_path / "good.csv"))
        await pilot.press("enter")
        await settle(pilot)
        assert "7 families read: 7 added" in str(app.screen.query_one(InfoLine).render())
        assert SurveyAnswer.select().count() == 7
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, SurveysScreen)
        assert app.screen.table.rows[0][2:4] == ["7", "83.3%"]


async def test_f1_lists_every_key_of_the_survey_screens(school, lang):
    from tests.test_help_keymap import expected_keys, help_lines, listed

    survey = create_survey(admin(), "秋季", QUESTIONS)
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_surveys(pilot)
        for push in (None, SurveyGridScreen(survey.id), SurveyImportScreen(survey.id),
                     SurveyFormScreen(survey.id)):
            if push is not None:
                app.push_screen(push)
                await settle(pilot)
            screen = app.screen
            expected = expected_keys(app, screen)
            assert len(expected) >= 3
            await pilot.press("f1")
            await pilot.pause()
            lines = help_lines(app)
            missing = [pair for pair in expected if not listed(lines, *pair)]
            assert not missing, (missing, lines)
            assert "key." not in "\n".join(lines)
            await pilot.press("f1")
            await pilot.pause()
            assert app.screen is screen


async def test_typed_answers_are_offered_again_after_bangfu_closed(school):
    """7-1's paper forms are half typed when the terminal closes: the next
    sign-in offers the grid, Enter brings back the class and its cells, ctrl+s
    saves them and the draft is gone."""
    from db.store.local import drafts
    from screens.drafts import DraftsScreen

    survey = create_survey(admin(), "秋季", QUESTIONS)
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_surveys(pilot)
        await pilot.press("a")
        await settle(pilot)
        await type_text(pilot, "7-1")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("5", "enter", "4")  # 张伟's and 赵薇's Q1
        await settle(pilot)
    [draft] = drafts(school.path, admin().id)
    assert (draft.form, draft.key) == ("survey_grid", str(survey.id))
    assert SurveyAnswer.select().count() == 0

    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "wangfang")
        assert isinstance(app.screen, DraftsScreen)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SurveyGridScreen)
        await pilot.press("ctrl+s")
        await settle(pilot)
    answers = {a.student_id: a.answers for a in SurveyAnswer.select()}
    assert answers == {Student.get(Student.name == "张伟").id: "[5, null, null]",
                       Student.get(Student.name == "赵薇").id: "[4, null, null]"}
    assert drafts(school.path, admin().id) == []
