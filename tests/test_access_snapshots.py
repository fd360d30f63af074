"""Snapshots of the PIN step, the staff accounts screen and a case with a
restricted entry, at 80x24 in English and in Chinese.

Update after an intended change with
``pytest tests/test_access_snapshots.py --snapshot-update`` and look at the
SVGs before committing them.
"""

from __future__ import annotations

import dataclasses


from db.contacts import load_entry, save_contact
from db.models import Contact
from tests.helpers import make_app, settle, sign_in

SIZE = (80, 24)


def test_pin_step(snap_compare, school, lang):
    async def before(pilot):
        await settle(pilot)
        await pilot.press(*"lijianguo", "enter")
        await settle(pilot)
        await pilot.press(*"99")  # typed, never shown

    assert snap_compare(make_app(school.path), terminal_size=SIZE, run_before=before)


def test_staff_screen(snap_compare, school, lang):
    async def before(pilot):
        await sign_in(pilot, "wangfang")
        await pilot.press("f9")
        await settle(pilot)

    assert snap_compare(make_app(school.path), terminal_size=SIZE, run_before=before)


def test_case_with_a_restricted_entry(snap_compare, school, lang):
    from db import accounts, keys, session
    from db.models import Assignment

    keys.set_up(accounts.authenticate(school.teacher.id, "1234"))  # a school's text is sealed
    session.signed_out()
    cid = Contact.get(Contact.case == school.cases["张伟"].id).id
    entry, _ = load_entry(cid)
    # its author, a tutor on the case (nobody writes on a case they may not see)
    Assignment.create(case=school.cases["张伟"].id, staff=school.other.id, role="tutor")
    save_contact(school.other, dataclasses.replace(
        entry, uuid="00000000-0000-4000-8000-0000000000bb", discussed="Confidential talk",
        restricted="family_conflict"))

    async def before(pilot):
        await sign_in(pilot, "wangfang")
        await pilot.press(*"20240101", "enter")
        await settle(pilot)

    assert snap_compare(make_app(school.path), terminal_size=SIZE, run_before=before)
