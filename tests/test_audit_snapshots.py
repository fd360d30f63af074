"""Snapshots of the audit log screen at 80x24, in English and in Chinese.

Update after an intended change with
``pytest tests/test_audit_snapshots.py --snapshot-update`` and look at the SVGs
before committing them.
"""

from __future__ import annotations

import dataclasses

import pytest

from db import audit
from db.accounts import authenticate, AccountError
from db.contacts import amend_contact, load_entry, save_contact
from db.models import Contact
from tests.conftest import build_small_school
from tests.helpers import make_app, settle, sign_in

SIZE = (80, 24)


@pytest.fixture
def audited(db_path, monkeypatch):
    """The small school with a few writes from one named computer (the host
    would otherwise be this machine's name): an amended entry, a restricted
    one, a failed sign-in."""
    monkeypatch.setattr(audit, "hostname", lambda: "staffroom-pc")
    school = build_small_school(db_path)
    from db import keys, session

    keys.set_up(authenticate(school.teacher.id, "1234"))  # a school's restricted text is sealed
    session.signed_out()
    cid = Contact.get(Contact.case == school.cases["张伟"].id).id
    entry, _ = load_entry(cid)
    amend_contact(school.teacher, cid, dataclasses.replace(
        entry, agreed="Check homework daily; call on Friday", kind="student"))
    save_contact(school.teacher, dataclasses.replace(
        entry, uuid="00000000-0000-4000-8000-0000000000aa", discussed="Confidential talk",
        restricted="counselling"))
    try:
        authenticate(school.other.id, "0000")
    except AccountError:
        pass
    return school


def test_audit_list(snap_compare, audited, lang):
    async def before(pilot):
        await sign_in(pilot, "wangfang")
        pilot.app.action_audit()
        await settle(pilot)

    assert snap_compare(make_app(audited.path), terminal_size=SIZE, run_before=before)


def test_audit_detail(snap_compare, audited, lang):
    async def before(pilot):
        await sign_in(pilot, "wangfang")
        pilot.app.action_audit()
        await settle(pilot)
        await pilot.press("down", "enter")
        await settle(pilot)

    assert snap_compare(make_app(audited.path), terminal_size=SIZE, run_before=before)


def test_audit_bad_filter(snap_compare, audited, lang):
    async def before(pilot):
        await sign_in(pilot, "wangfang")
        pilot.app.action_audit()
        await settle(pilot)
        await pilot.press("slash", *"zhangwei", "tab", "tab", *"soon", "enter")
        await settle(pilot)

    assert snap_compare(make_app(audited.path), terminal_size=SIZE, run_before=before)
