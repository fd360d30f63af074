"""The Oversight menu (``s`` on the overview, F3): each line opens its screen;
and the supervision screen and ``bangfu report supervision`` show the same
rows for the same month (issue 23: "the command line and the screen agree")."""

from __future__ import annotations

import csv
import io
from importlib import import_module

from screens.oversight import SECTIONS, OversightScreen
from tests.helpers import cli_env, make_app, run_cli, settle, sign_in
from tests.test_supervision import ward  # noqa: F401  (the hand-checked school)


async def test_s_on_the_overview_opens_the_menu_and_each_digit_its_screen(school):
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "wangfang")
        await pilot.press("f3")
        await settle(pilot)
        for n, (_, module, name) in enumerate(SECTIONS, 1):
            await pilot.press("s")
            await settle(pilot)
            assert isinstance(app.screen, OversightScreen)
            await pilot.press(str(n))
            await settle(pilot)
            assert type(app.screen) is getattr(import_module(module), name)
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, OversightScreen)
            await pilot.press("escape")
            await settle(pilot)
        assert type(app.screen).__name__ == "OverviewScreen"


async def test_the_screen_and_the_command_line_agree(ward, tmp_path):  # noqa: F811
    """The helpers' rows of ``bangfu report supervision --month 2026-10 --format
    csv`` are the supervision screen's rows for October, cell for cell."""
    from screens.supervision import SupervisionScreen

    school = ward[0]
    done = run_cli(cli_env(tmp_path), "report", "supervision", "--month", "2026-10",
                   "--format", "csv", db=school.path)
    assert done.returncode == 0, done.stderr
    rows = list(csv.reader(io.StringIO(done.stdout)))
    # the helpers' table: from its header (Name, Role, …) to the next blank row
    start = next(i for i, r in enumerate(rows) if r[:2] == ["Name", "Role"])
    helpers = []
    for row in rows[start + 1:]:
        if not any(row):
            break
        helpers.append(row)
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "wangfang")
        screen = SupervisionScreen("month", "2026-10")
        app.push_screen(screen)
        await settle(pilot)
        shown = screen.table.rows
        assert [r[0] for r in shown] == [h[0] for h in helpers]
        # name, role, grades, cases, rules met, entries, overdue, score
        for got, line in zip(shown, helpers):
            assert got[:8] == [line[c] for c in (0, 1, 2, 3, 4, 5, 8, 12)], line[0]
        scores = {r[0]: r[7] for r in shown}
        assert scores["陈老师"] == "100" and scores["刘老师"] == "0"


async def test_in_a_months_first_week_both_screens_open_on_the_month_just_ended(school):
    import datetime as dt

    from db import clock
    from screens.corrections import CorrectionsScreen
    from screens.supervision import SupervisionScreen

    clock.set_today(dt.date(2026, 12, 3))  # (the fixed_clock fixture puts it back)
    assert SupervisionScreen().period == "last_month"
    assert CorrectionsScreen().month == "2026-11"
    clock.set_today(dt.date(2026, 12, 8))
    assert SupervisionScreen().period == "month"
    assert CorrectionsScreen().month == "2026-12"
