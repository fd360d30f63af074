"""The report screen: this week's figures on screen, a file with one key, the
term summary, earlier weeks; and the case screen's printable summary key."""

from __future__ import annotations

import datetime as dt
import os

import openpyxl
import pytest

from db import clock
from db.models import Contact
from db.reports import build_report
from screens.report import ReportScreen
from tests.helpers import make_app, settle, sign_in
from tests.test_progress import hand_checked


async def wait_for(pilot, condition) -> None:
    """Until ``condition()`` holds (a report counted in a worker, then shown);
    the suite's timeout fails a test that waits forever."""
    while not condition():
        await settle(pilot, 1)


async def open_reports(pilot) -> ReportScreen:
    """Sign in, F7, and wait for the first report to be counted."""
    await sign_in(pilot)
    await pilot.press("f7")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ReportScreen)
    await wait_for(pilot, lambda: screen.report is not None)
    return screen


def exports() -> list:
    folder = os.environ["BANGFU_EXPORT_DIR"]
    return sorted(os.listdir(folder)) if os.path.isdir(folder) else []


async def test_the_weekly_report_is_shown_and_written_as_xlsx_with_the_databases_figures(school):
    hand_checked(school)
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await pilot.press("f7")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReportScreen)
        await wait_for(pilot, lambda: screen.report is not None)
        assert screen.report.week == "2026-W47"  # a Friday: this week
        shown = str(screen.query_one("#report-text").render())
        assert "Weekly report 2026-W47" in shown
        assert "66.7% (2 of 3 measurable; target 80%)" in shown
        await pilot.press("x")
        await wait_for(pilot, lambda: exports() and not screen.busy)
        assert exports() == ["weekly-report-2026-W47.xlsx"]
        book = openpyxl.load_workbook(os.path.join(os.environ["BANGFU_EXPORT_DIR"], exports()[0]))
        sheet = book["Progress"]
        values = [[c.value for c in row] for row in sheet.iter_rows()]
        total = next(row for row in values if row[0] == "Total")
        expected = build_report("weekly", reader=school.teacher, week="2026-W47").progress.total
        assert expected.students == 4 and expected.improved == 2
        assert expected.students in total and expected.improved in total
        assert "Report written" in str(screen.query_one("#report-info").render())


async def test_k_gives_the_term_summary_and_the_left_arrow_an_earlier_week(school):
    Contact.create(uuid="00000000-0000-4000-8000-0000000000aa", case=school.cases["赵薇"].id,
                   author=school.other.id, occurred_at=dt.datetime(2026, 11, 10, 9, 0),
                   kind="student", channel="face", discussed="谈心", host="test",
                   created_at=dt.datetime(2026, 11, 10, 9, 0))
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_reports(pilot)
        assert screen.report.entries.total == 0  # nothing this week in the fixture
        assert not screen.check_action("step", (1,))  # no report of next week
        await pilot.press("left")
        await wait_for(pilot, lambda: screen.report is not None and screen.report.week == "2026-W46")
        assert screen.report.entries.total == 1
        await pilot.press("left")
        await wait_for(pilot, lambda: screen.report is not None and screen.report.week == "2026-W45")
        assert screen.report.entries.total == 1  # 张伟's family entry of 11-02
        await pilot.press("k")
        await wait_for(pilot, lambda: screen.report is not None and screen.report.kind == "term")
        assert screen.report.entries.total == 2
        assert "Term summary: 2026-2027 第一学期" in str(screen.query_one("#report-text").render())
        await pilot.press("m")
        await wait_for(pilot, lambda: exports() and not screen.busy)
        assert exports()[0].startswith("term-summary-2026-2027") and exports()[0].endswith(".md")


async def test_on_a_monday_the_report_opens_on_the_week_just_ended(school):
    clock.set_today(dt.date(2026, 11, 23), dt.datetime(2026, 11, 23, 8, 0))
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_reports(pilot)
        assert screen.report.week == "2026-W47"
        await pilot.press("right")
        await wait_for(pilot, lambda: screen.report is not None and screen.report.week == "2026-W48")


async def test_p_on_a_case_writes_its_printable_summary(school):
    hand_checked(school)
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await pilot.press(*"20240101", "enter")
        await settle(pilot)
        await pilot.press("p")
        await wait_for(pilot, lambda: bool(exports()))
        assert exports() == ["case-张伟-20240101-2026-11-20.md"]
        text = open(os.path.join(os.environ["BANGFU_EXPORT_DIR"], exports()[0]),
                    encoding="utf-8").read()
        assert text.startswith("# 张伟")
        assert "Talked about homework" in text and "+20.0%" in text


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_new_screens_keep_their_keys_within_80_columns(school, lang):
    from tests.test_rules import footer_width
    from tui import i18n
    from tui.widgets import KeyFooter

    i18n.set_language(lang)
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await pilot.press(*"20240101", "enter")  # 张伟: every case key applies (amend too)
        await settle(pilot)
        assert footer_width(app.screen) <= 80
        assert i18n.t("key.summary") in app.screen.query_one(KeyFooter)._keys_text().plain
        await pilot.press("escape", "f7")
        await settle(pilot)
        await wait_for(pilot, lambda: getattr(app.screen, "report", None) is not None)
        assert footer_width(app.screen) <= 80
        assert i18n.t("key.export_xlsx") in app.screen.query_one(KeyFooter)._keys_text().plain
        await pilot.press("escape", "f5")
        await settle(pilot)
        assert footer_width(app.screen) <= 80
