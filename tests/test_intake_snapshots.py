"""Snapshots of the roster import's preview (F10) and the student editor, at
80x24 in English and in Chinese.

Update after an intended change with
``pytest tests/test_intake_snapshots.py --snapshot-update`` and look at the
SVGs before committing them.
"""

from __future__ import annotations

from tests import roster_files
from tests.helpers import make_app, settle, sign_in

SIZE = (80, 24)


def test_import_preview(snap_compare, school, lang, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    roster_files.registry_xlsx(tmp_path / "registry.xlsx")

    async def before(pilot):
        await sign_in(pilot, "wangfang")
        await pilot.press("f10")
        await settle(pilot)
        await pilot.press(*"registry.xlsx", "enter")
        await settle(pilot)

    assert snap_compare(make_app(school.path), terminal_size=SIZE, run_before=before)


def test_student_editor(snap_compare, school, lang):
    async def before(pilot):
        await sign_in(pilot, "wangfang")
        await pilot.press(*"20240101", "enter")
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)

    assert snap_compare(make_app(school.path), terminal_size=SIZE, run_before=before)
