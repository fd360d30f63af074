"""Snapshots of supervision (the helpers' list, a helper's points) and of the
month's notice (the correction items, an item's form), at 80x24 in English
and in Chinese.

Update after an intended change with
``pytest tests/test_supervision_snapshots.py --snapshot-update -n0`` and look
at the SVGs before committing them.
"""

from __future__ import annotations

import datetime as dt

from db.corrections import add_correction, mark_done
from db.models import Assignment, Case, Contact
from db.staff import add_staff
from tests.helpers import make_app, settle, sign_in

SIZE = (80, 24)
SEP1 = dt.date(2026, 9, 1)


def _month(school) -> None:
    """李建国's cases his since September (no entries in November: a score of
    0), 王芳's too, with an entry of hers; a class teacher without a case."""
    Case.update(opened_on=SEP1).execute()
    Assignment.update(assigned_on=SEP1).execute()
    Contact.update(occurred_at=dt.datetime(2026, 11, 12, 16, 0)).execute()
    add_staff(None, "孙老师", "class_teacher")


def _push(screen, *keys):
    async def before(pilot):
        await sign_in(pilot, "wangfang")
        pilot.app.push_screen(screen())
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
    return before


def test_supervision_list(snap_compare, school, lang):
    from screens.supervision import SupervisionScreen

    _month(school)
    assert snap_compare(make_app(school.path), terminal_size=SIZE,
                        run_before=_push(SupervisionScreen))


def test_supervision_points(snap_compare, school, lang):
    from screens.supervision import SupervisionScreen

    _month(school)

    async def before(pilot):
        await _push(SupervisionScreen)(pilot)
        screen = pilot.app.screen
        screen.table.cursor = [h.name for h in screen.report.helpers].index("李建国")
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(make_app(school.path), terminal_size=SIZE, run_before=before)


def _items(school) -> int:
    _month(school)
    wang, li = school.teacher, school.other
    first = add_correction(wang, li.id, "2026-11", "补记本月家访记录，写明所做的帮扶工作",
                           "2026-11-27")
    done = add_correction(wang, wang.id, "2026-11", "按时完成阶段评估", "2026-11-24")
    mark_done(wang, done, "已完成两次评估")
    return first


def test_corrections_list(snap_compare, school, lang):
    from screens.corrections import CorrectionsScreen

    _items(school)
    assert snap_compare(make_app(school.path), terminal_size=SIZE,
                        run_before=_push(lambda: CorrectionsScreen("2026-11")))


def test_correction_form(snap_compare, school, lang):
    from screens.correction_form import CorrectionFormScreen

    first = _items(school)
    assert snap_compare(make_app(school.path), terminal_size=SIZE,
                        run_before=_push(lambda: CorrectionFormScreen(first)))


def test_correction_form_new(snap_compare, school, lang):
    from screens.correction_form import CorrectionFormScreen

    async def before(pilot):
        await _push(lambda: CorrectionFormScreen(None, month="2026-11"))(pilot)
        await pilot.press(*"li")
        await settle(pilot)

    assert snap_compare(make_app(school.path), terminal_size=SIZE, run_before=before)
