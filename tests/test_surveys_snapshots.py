"""Snapshots of the satisfaction surveys (issue 22) at 80x24, in English and in
Chinese: the list with the highlighted survey's figures by class, and one
class's answer grid.

Update after an intended change with
``pytest tests/test_surveys_snapshots.py --snapshot-update -n0`` and look at
the SVGs before committing them.
"""

from __future__ import annotations

from db.models import Staff
from db.survey_file import import_answers
from db.surveys import create_survey
from screens.surveys import SurveysScreen
from tests.helpers import make_app, settle, sign_in
from tests.test_surveys import QUESTIONS, ROWS, write_xlsx

SIZE = (80, 24)


def answered_survey(tmp_path):
    admin = Staff.get(Staff.name == "王芳")
    create_survey(admin, "开学家长会反馈", ["总体满意度"])  # no answers yet
    survey = create_survey(admin, "2026 秋季家长满意度调查", QUESTIONS)
    import_answers(admin, survey.id, write_xlsx(tmp_path / "a.xlsx", ROWS))


async def on_the_surveys(pilot) -> None:
    await sign_in(pilot, "wangfang")
    pilot.app.push_screen(SurveysScreen())
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)


def test_survey_list_and_figures(snap_compare, school, lang, tmp_path):
    answered_survey(tmp_path)
    assert snap_compare(make_app(school.path), terminal_size=SIZE, run_before=on_the_surveys)


def test_survey_answer_grid(snap_compare, school, lang, tmp_path):
    answered_survey(tmp_path)

    async def before(pilot):
        await on_the_surveys(pilot)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press(*"7-1", "enter")
        await settle(pilot)
        await pilot.press("down", "right", "2")  # one cell typed, not saved: shown bold
        await settle(pilot)

    assert snap_compare(make_app(school.path), terminal_size=SIZE, run_before=before)


def test_survey_form(snap_compare, school, lang):
    async def before(pilot):
        await sign_in(pilot, "wangfang")
        pilot.app.push_screen(SurveysScreen())
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press(*"期末满意度", "tab", "ctrl+u", *"120", "tab", "tab", *"对学校",
                          "enter", *"对老师", "ctrl+s")  # a target that is no per cent
        await settle(pilot)

    assert snap_compare(make_app(school.path), terminal_size=SIZE, run_before=before)


def test_survey_import_with_a_bad_row(snap_compare, school, lang, tmp_path, monkeypatch):
    from tests.test_surveys import write_csv

    monkeypatch.chdir(tmp_path)
    create_survey(Staff.get(Staff.name == "王芳"), "秋季", QUESTIONS)
    bad = [list(r) for r in ROWS]
    bad[1][3] = 0
    write_csv(tmp_path / "answers.csv", bad)

    async def before(pilot):
        await sign_in(pilot, "wangfang")
        pilot.app.push_screen(SurveysScreen())
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        await pilot.press(*"answers.csv", "enter")
        await settle(pilot)

    assert snap_compare(make_app(school.path), terminal_size=SIZE, run_before=before)
