"""Snapshot of the student editor with an address that names a village: the
village field blank, its hint saying what the address reads as, at 80x24 in
English and in Chinese (the editor without an address: test_intake_snapshots).

Update after an intended change with
``pytest tests/test_villages_snapshots.py --snapshot-update -n0`` and look at
the SVGs before committing them."""

from __future__ import annotations

from db.models import Student
from tests.helpers import make_app, settle, sign_in

SIZE = (80, 24)


def test_student_editor_with_a_village(snap_compare, school, lang):
    Student.update(address="湖南省新宁县城关镇东关村3组", village="东关村").where(
        Student.id == school.students["张伟"].id).execute()

    async def before(pilot):
        await sign_in(pilot, "wangfang")
        await pilot.press(*"20240101", "enter")
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)

    assert snap_compare(make_app(school.path), terminal_size=SIZE, run_before=before)
