"""Snapshots of the Families menu (ctrl+g) and the holidays screen, at 80x24 in
English and in Chinese.

Update after an intended change with
``pytest tests/test_families_snapshots.py --snapshot-update`` and look at the
SVGs before committing them.
"""

from __future__ import annotations

import datetime as dt

from db.holidays import add_holiday
from tests.helpers import make_app, settle, sign_in

SIZE = (80, 24)


def test_families_menu(snap_compare, school, lang):
    async def before(pilot):
        await sign_in(pilot, "wangfang")
        await pilot.press("ctrl+g")
        await settle(pilot)

    assert snap_compare(make_app(school.path), terminal_size=SIZE, run_before=before)


def test_holidays(snap_compare, school, lang):
    add_holiday(school.teacher, "寒假", dt.date(2027, 1, 21), dt.date(2027, 2, 21), "winter")
    add_holiday(school.teacher, "元旦", dt.date(2027, 1, 1), dt.date(2027, 1, 3), "day_off")

    async def before(pilot):
        await sign_in(pilot, "wangfang")
        await pilot.press("ctrl+g", "5")
        await settle(pilot)
        await pilot.press("a", *"暑假", "tab", "s")
        await settle(pilot)

    assert snap_compare(make_app(school.path), terminal_size=SIZE, run_before=before)
