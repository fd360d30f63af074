"""Snapshots of a case proposed as transformed (转化): proposing it with its
evidence, the coordinator's view to confirm it, and the list, at 80x24 in
English and in Chinese.

Update after an intended change with
``pytest tests/test_transformation_snapshots.py --snapshot-update -n0`` and look
at the SVGs before committing them.
"""

from __future__ import annotations

from db.staff import add_staff
from db.transformation import decline, propose
from tests.conftest import PIN_HASH
from tests.helpers import make_app, settle, sign_in
from tests.test_transformation import with_evidence

SIZE = (80, 24)


def test_proposing_with_evidence(snap_compare, school, lang):
    from screens.transformation import TransformationScreen

    case_id = with_evidence(school)

    async def before(pilot):
        await sign_in(pilot, "lijianguo")
        pilot.app.push_screen(TransformationScreen(case_id=case_id, name="赵薇"))
        await settle(pilot)
        await pilot.press(*"Homework on time for six weeks")
        await settle(pilot)

    assert snap_compare(make_app(school.path), terminal_size=SIZE, run_before=before)


def test_the_coordinator_confirms(snap_compare, school, lang):
    from screens.transformation import TransformationScreen

    add_staff(None, "陈主任", "coordinator", pin_hash=PIN_HASH)
    tid = propose(school.other, with_evidence(school), "作业按时完成六周，数学期中及格")

    async def before(pilot):
        await sign_in(pilot, "chenzhuren")
        pilot.app.push_screen(TransformationScreen(tid))
        await settle(pilot)

    assert snap_compare(make_app(school.path), terminal_size=SIZE, run_before=before)


def test_the_list(snap_compare, school, lang):
    from screens.transformations import TransformationsScreen

    chen = add_staff(None, "陈主任", "coordinator", pin_hash=PIN_HASH)
    propose(school.other, with_evidence(school), "作业按时完成六周，数学期中及格")
    declined = propose(school.teacher, school.cases["张伟"].id, "成绩提高")
    decline(chen, declined, "还需观察一个月")

    async def before(pilot):
        await sign_in(pilot, "chenzhuren")
        pilot.app.push_screen(TransformationsScreen())
        await settle(pilot)

    assert snap_compare(make_app(school.path), terminal_size=SIZE, run_before=before)
