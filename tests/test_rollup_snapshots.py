"""Snapshots of the roll-up screen (the week, the half-month) at 80x24 in
English and Chinese.  Update after an intended change with
``pytest tests/test_rollup_snapshots.py --snapshot-update -n0``."""

from __future__ import annotations

import pytest

from tests.helpers import make_app, settle, sign_in
from tests.rollup_school import add_rollup_data

SIZE = (80, 24)

# the screen names the school: on a server run the database's name, which is each
# test worker's own; what it counts there is tests/test_rollup_screen.py's
pytestmark = pytest.mark.file_only


def _open(*keys):
    async def before(pilot):
        from screens.overview import OverviewScreen

        await sign_in(pilot, "wangfang")
        pilot.app.push_screen(OverviewScreen())
        await settle(pilot)
        for key in ("t", *keys):
            await pilot.press(key)
            await settle(pilot)
    return before


def test_rollup_week(snap_compare, school, lang):
    add_rollup_data(school)
    assert snap_compare(make_app(school.path), terminal_size=SIZE, run_before=_open())


def test_rollup_half_month(snap_compare, school, lang):
    add_rollup_data(school)
    assert snap_compare(make_app(school.path), terminal_size=SIZE,
                        run_before=_open("left_square_bracket", "w"))
