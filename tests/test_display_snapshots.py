"""Snapshots of the screens used most, at 80x24 and at the smallest size the
app is made for (60x20), in English and in Chinese: the roster, a case whose
long entry is shown in full beside the timeline's scrollbar, the contact form,
and the F1 help on the case and on the contact form.

Update after an intended change with
``pytest tests/test_display_snapshots.py --snapshot-update`` and look at the SVGs.
"""

from __future__ import annotations

import datetime as dt

import pytest

from db.models import Contact
from tests.conftest import NOW
from tests.helpers import make_app, settle, sign_in

SIZES = pytest.mark.parametrize("size", [(80, 24), (60, 20)], ids=["80x24", "60x20"])
LONG_ENTRY = ("天地玄黄宇宙洪荒日月盈昃辰宿列张寒来暑往秋收冬藏闰余成岁律吕调阳"
              "云腾致雨露结为霜金生丽水玉出昆冈。Then in English: every word of a long "
              "entry stays on the screen, wrapped beside the scrollbar, never under it.")


@pytest.fixture
def long_entry(school):
    """张伟's newest entry is long enough to wrap over several lines, and with
    the fixture's entry the timeline is taller than the screen (a scrollbar)."""
    Contact.create(uuid="00000000-0000-4000-8000-00000000d150", case=school.cases["张伟"].id,
                   author=school.teacher.id, occurred_at=dt.datetime(2026, 11, 18, 17, 20),
                   kind="family", channel="home_visit", participants="张父, 刘梅",
                   duration_min=45, discussed=LONG_ENTRY, agreed="每天检查作业并签字",
                   host="test", created_at=NOW)


async def on_the_case(pilot) -> None:
    """Signed in as 王芳, 张伟's case open."""
    await sign_in(pilot, "wangfang")
    await pilot.press(*"20240101", "enter")
    await settle(pilot)


@SIZES
def test_roster(snap_compare, school, lang, size):
    async def before(pilot):
        await sign_in(pilot, "wangfang")
        await pilot.press("z")
        await settle(pilot)

    assert snap_compare(make_app(school.path), terminal_size=size, run_before=before)


@SIZES
def test_case_with_a_long_entry(snap_compare, school, long_entry, lang, size):
    async def before(pilot):
        await on_the_case(pilot)

    assert snap_compare(make_app(school.path), terminal_size=size, run_before=before)


@SIZES
def test_contact_form(snap_compare, school, lang, size):
    async def before(pilot):
        await on_the_case(pilot)
        await pilot.press("n")
        await settle(pilot)
        pilot.app.screen.query_one("#form").scroll_home(animate=False)  # from the first field
        await pilot.pause()

    assert snap_compare(make_app(school.path), terminal_size=size, run_before=before)


@SIZES
def test_help_on_the_case(snap_compare, school, lang, size):
    """F1 on a case: every key of the screen, its field and the app, by name."""
    async def before(pilot):
        await on_the_case(pilot)
        await pilot.press("f1")
        await settle(pilot)

    assert snap_compare(make_app(school.path), terminal_size=size, run_before=before)


@SIZES
def test_help_on_the_contact_form(snap_compare, school, lang, size):
    """F1 from inside a form's field: the field's keys too (the channel's letters)."""
    async def before(pilot):
        await on_the_case(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("tab", "tab", "tab", "tab", "f1")  # date → … → channel
        await settle(pilot)

    assert snap_compare(make_app(school.path), terminal_size=size, run_before=before)
