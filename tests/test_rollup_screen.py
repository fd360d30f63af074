"""The roll-up screen (t in the overview): this school's figures for the week
or the half-month as ``db.rollup.school_figures`` counts them, w switches the
period's kind, [ and ] move by one period (not past today's), e writes the
.xlsx that ``bangfu rollup`` reads; the footer and F1 list the keys."""

from __future__ import annotations

import datetime as dt

from db.rollup import school_figures
from db.rollup_figures import name_of_database
from tests.conftest import TODAY
from tests.helpers import make_app, settle, sign_in
from tests.rollup_school import add_rollup_data
from tui.report_rollup import read_rollup


async def _open(pilot):
    from screens.overview import OverviewScreen

    await sign_in(pilot, "wangfang")
    pilot.app.push_screen(OverviewScreen())
    await settle(pilot)
    await pilot.press("t")
    await settle(pilot)
    return pilot.app.screen


async def test_periods_and_export(school, tmp_path):
    from screens.rollup import RollupScreen

    add_rollup_data(school)
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot)
        assert isinstance(screen, RollupScreen)
        name = name_of_database(school.path)  # the file's name, or the server database's
        assert screen.figures == school_figures(TODAY, "week", school=name)
        text = str(screen.query_one("#rollup-text").render())
        assert "4 of 7" in text and "Weekly roll-up 2026-11-16" in text
        await pilot.press("]")  # next week has not begun
        await settle(pilot)
        assert screen.figures.start == dt.date(2026, 11, 16)
        await pilot.press("[")
        await settle(pilot)
        assert (screen.figures.start, screen.figures.end) == (dt.date(2026, 11, 9),
                                                              dt.date(2026, 11, 15))
        await pilot.press("w")  # the half-month holding that week's last day
        await settle(pilot)
        assert screen.figures == school_figures(TODAY, "half-month", day=dt.date(2026, 11, 10),
                                                school=name)
        assert "Half-monthly roll-up 2026-11-01" in str(screen.query_one("#rollup-text").render())
        await pilot.press("]")
        await settle(pilot)
        assert screen.figures.start == dt.date(2026, 11, 16)
        await pilot.press("e")
        await settle(pilot)
        written = list((tmp_path / "exports").glob("*.xlsx"))
        assert len(written) == 1
        assert read_rollup(written[0]) == screen.figures
        # the footer and F1 list the keys
        from tui.keymap import screen_bindings

        keys = {e.key for e in screen_bindings(screen) if e.binding.show}
        assert {"w", "left_square_bracket", "right_square_bracket", "e", "escape"} <= keys
        await pilot.press("escape")
        await settle(pilot)
        from screens.overview import OverviewScreen

        assert isinstance(pilot.app.screen, OverviewScreen)
