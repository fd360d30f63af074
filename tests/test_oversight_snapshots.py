"""Snapshot of the Oversight menu (``s`` on the overview), at 80x24 in English
and in Chinese.  Update after an intended change with
``pytest tests/test_oversight_snapshots.py --snapshot-update`` and look at the
SVGs before committing them."""

from __future__ import annotations

from tests.helpers import make_app, settle, sign_in

SIZE = (80, 24)


def test_oversight_menu(snap_compare, school, lang):
    async def before(pilot):
        await sign_in(pilot, "wangfang")
        await pilot.press("f3")
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)

    assert snap_compare(make_app(school.path), terminal_size=SIZE, run_before=before)
