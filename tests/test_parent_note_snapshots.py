"""Snapshots of the note for a family (h on a case), at 80x24 in English and in
Chinese: the note as composed, and after it was written as a file.

Update after an intended change with
``pytest tests/test_parent_note_snapshots.py --snapshot-update -n0`` and look at
the SVGs before committing them.
"""

from __future__ import annotations

import pytest

from tests.helpers import make_app, settle, sign_in

SIZE = (80, 24)


@pytest.fixture
def fixed_export_dir(monkeypatch, tmp_path):
    """The same folder name in every run (the path shows on the screen): a
    relative one, in the test's own folder."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BANGFU_EXPORT_DIR", "exports")
    return tmp_path / "exports"


async def open_note(pilot):
    await sign_in(pilot, "wangfang")
    await pilot.press(*"20240101", "enter")
    await settle(pilot)
    await pilot.press("h")
    await settle(pilot)


def test_parent_note(snap_compare, school, lang):
    assert snap_compare(make_app(school.path), terminal_size=SIZE, run_before=open_note)


def test_parent_note_written(snap_compare, school, lang, fixed_export_dir):
    async def before(pilot):
        await open_note(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert len(list(fixed_export_dir.glob("*.txt"))) == 1

    assert snap_compare(make_app(school.path), terminal_size=SIZE, run_before=before)
