"""Snapshots of the family events' screens (issue 22): the term's events and
the attendance grid of one class, at 80x24 in English and in Chinese.

Update after an intended change with
``pytest tests/test_family_events_snapshots.py --snapshot-update -n0`` and look
at the SVGs before committing them.
"""

from __future__ import annotations

from db.family_events import CAME, NOTE, RATING, EventInput, add_event, save_attendance
from db.models import SchoolClass
from tests.helpers import make_app, settle, sign_in

SIZE = (80, 24)


def events(school) -> None:
    """Two events this term; 7-1's attendance of the first entered."""
    first = add_event(school.teacher, EventInput("2026-11-18", "f", "如何陪孩子写作业 [bold]不是标记[/]",
                                                 "王校长", "7-1 8-2"))
    add_event(school.teacher, EventInput("2026-10-10", "s", "家长学校第一讲：亲子沟通", "", ""))
    s = school.students
    save_attendance(school.teacher, first, SchoolClass.get(SchoolClass.code == "7-1").id,
                    {(s["张伟"].id, CAME): "1", (s["张伟"].id, RATING): "5",
                     (s["张伟"].id, NOTE): "父亲来了", (s["赵薇"].id, CAME): "0",
                     (s["赵薇"].id, NOTE): "请假"})


async def on_events(pilot) -> None:
    from screens.family_events import EventsScreen

    await sign_in(pilot, "wangfang")
    pilot.app.push_screen(EventsScreen())
    await settle(pilot)


def test_events_list(snap_compare, school, lang):
    events(school)
    assert snap_compare(make_app(school.path), terminal_size=SIZE, run_before=on_events)


def test_attendance_grid(snap_compare, school, lang):
    events(school)

    async def before(pilot):
        await on_events(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("down", "down", "1")  # 曾小明 came: typed, not saved

    assert snap_compare(make_app(school.path), terminal_size=SIZE, run_before=before)


def test_event_form_with_a_bad_class(snap_compare, school, lang):
    async def before(pilot):
        await on_events(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("tab", "w", "tab", *"家庭教育讲座", "enter", *"李老师", "enter", *"7-1 9-9")
        await pilot.press("ctrl+s")
        await settle(pilot)

    assert snap_compare(make_app(school.path), terminal_size=SIZE, run_before=before)
