"""Two people amending one entry: the second save is refused, never a silent overwrite.

An entry has a version, as a case file has (issue 17, defect 6): the save made
from an older version is refused with who saved first and when; the person
loads the entry again (ctrl+r on the form, keeping what they typed where the
other did not change the same field) and saves again.  The audit log keeps both.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest

from db import clock
from db.contacts import (EntryConflict, amend_contact, last_amended, load_entry,
                         merge_amendment)
from db.models import AuditLog, Contact
from db.staff import add_staff
from screens.amend import AmendScreen
from screens.case import CaseScreen
from screens.entries import EntryPickerScreen
from tests.conftest import NOW, PIN_HASH, TODAY
from tests.helpers import make_app, settle, sign_in
from tui import i18n
from tui.i18n import t

THEIR_TIME = dt.datetime(2026, 11, 20, 15, 42)  # when the other person saved


def contact_id(school) -> int:
    return Contact.get(Contact.case == school.cases["张伟"].id).id


def updates(cid: int) -> list[AuditLog]:
    return list(AuditLog.select().where(AuditLog.table_name == "contact",
                                        AuditLog.row_id == str(cid),
                                        AuditLog.action == "update").order_by(AuditLog.id))


@pytest.fixture
def coordinator(school):
    """周协调: may amend anyone's entry (王芳's too)."""
    return add_staff(None, "周协调", "coordinator", pin_hash=PIN_HASH)


def amend_as(actor, cid: int, at: dt.datetime = THEIR_TIME, **changes) -> None:
    """``actor`` loads the entry and saves a change to it, at ``at``."""
    entry, _ = load_entry(cid)
    clock.set_today(TODAY, at)
    try:
        assert amend_contact(actor, cid, dataclasses.replace(entry, **changes)) is True
    finally:
        clock.set_today(TODAY, NOW)


# -- the database functions ----------------------------------------------------------------

def test_the_second_amendment_from_one_version_is_refused_with_who_saved_first(
        school, coordinator):
    cid = contact_id(school)
    mine, _ = load_entry(cid)
    theirs, _ = load_entry(cid)

    clock.set_today(TODAY, THEIR_TIME)
    assert amend_contact(coordinator, cid, dataclasses.replace(theirs, agreed="Call on Friday"))
    clock.set_today(TODAY, NOW)

    with pytest.raises(EntryConflict) as refused:  # before: saved over theirs, silently
        amend_contact(school.teacher, cid, dataclasses.replace(mine, agreed="Visit on Monday"))
    assert mine.version == theirs.version == 1
    assert Contact.get_by_id(cid).version == 2
    assert refused.value.by == "周协调"
    assert refused.value.at == THEIR_TIME
    assert refused.value.version == 2
    row = Contact.get_by_id(cid)
    assert row.agreed == "Call on Friday" and row.version == 2  # nothing of mine written
    assert [u.staff_name for u in updates(cid)] == ["周协调"]

    # loaded again, the same change saves
    again, _ = load_entry(cid)
    assert again.version == 2 and again.agreed == "Call on Friday"
    assert amend_contact(school.teacher, cid, dataclasses.replace(again, agreed="Visit on Monday"))
    row = Contact.get_by_id(cid)
    assert row.agreed == "Visit on Monday" and row.version == 3

    # the audit log keeps both amendments, each with what it replaced
    first, second = updates(cid)
    assert first.staff_name == "周协调" and second.staff_name == "王芳"
    assert json.loads(first.changes)["agreed"] == ["Check homework daily", "Call on Friday"]
    assert json.loads(second.changes)["agreed"] == ["Call on Friday", "Visit on Monday"]


def test_the_expected_version_can_be_given_and_is_required(school, coordinator):
    cid = contact_id(school)
    entry, _ = load_entry(cid)
    amend_as(coordinator, cid, discussed="Their text")
    # a form validates its text into a new entry: the version travels beside it
    plain = dataclasses.replace(entry, discussed="Mine")
    with pytest.raises(EntryConflict):
        amend_contact(school.teacher, cid, plain, expected_version=1)
    assert amend_contact(school.teacher, cid, plain, expected_version=2)
    with pytest.raises(ValueError):  # never an amendment without a version to check
        from db.contacts import NewContact

        fields = {f.name: getattr(entry, f.name) for f in dataclasses.fields(NewContact)}
        amend_contact(school.teacher, cid, NewContact(**fields))
    assert Contact.get_by_id(cid).discussed == "Mine"


def test_a_follow_up_marked_done_is_no_amendment(school, coordinator):
    """Marking a follow-up done neither refuses an open amendment nor counts as
    its last saver; the amendment does not undo the mark."""
    from db.workflow import mark_follow_up_done

    cid = contact_id(school)
    amend_as(coordinator, cid, agreed="Call on Friday")
    entry, _ = load_entry(cid)
    mark_follow_up_done(school.teacher, cid)
    assert last_amended(cid) == ("周协调", THEIR_TIME)
    assert amend_contact(school.teacher, cid, dataclasses.replace(entry, agreed="Mine"))
    row = Contact.get_by_id(cid)
    assert row.agreed == "Mine" and row.follow_up_done_on == TODAY and row.version == 3


def test_nothing_changed_keeps_the_version(school):
    cid = contact_id(school)
    entry, _ = load_entry(cid)
    assert amend_contact(school.teacher, cid, entry) is False
    assert Contact.get_by_id(cid).version == 1 and updates(cid) == []


def test_merge_keeps_mine_takes_theirs_and_lists_what_both_changed():
    base = {"discussed": "a", "agreed": "b", "follow_up": "c", "kind": "family"}
    mine = {"discussed": "A (mine)", "agreed": "b", "follow_up": "C", "kind": "family"}
    theirs = {"discussed": "a", "agreed": "B (theirs)", "follow_up": "C2", "kind": "family"}
    merged, conflicts = merge_amendment(base, mine, theirs)
    assert merged == {"discussed": "A (mine)", "agreed": "B (theirs)", "follow_up": "C",
                      "kind": "family"}
    assert conflicts == ["follow_up"]
    # the same change on both sides is no conflict
    assert merge_amendment(base, mine, dict(theirs, follow_up="C"))[1] == []


@pytest.mark.file_only
def test_an_older_file_upgrades_with_every_entry_at_version_one(tmp_path):
    """Schema version 9 on a file from the first release: nothing lost, every
    entry at version 1, and the version check works on it at once."""
    from db.store.connection import close_database, open_database
    from db.models import Staff
    from tests.test_migrations import make_v1_file

    path = tmp_path / "v1.db"
    make_v1_file(path)
    try:
        open_database(path)
        [row] = Contact.select()
        assert (row.version, row.discussed, row.agreed) == (1, "v1 note", "check daily")
        wang = Staff.get_by_id(1)
        stale, _ = load_entry(row.id)
        fresh, _ = load_entry(row.id)
        assert stale.version == 1
        assert amend_contact(wang, row.id, dataclasses.replace(fresh, agreed="twice daily"))
        with pytest.raises(EntryConflict) as refused:
            amend_contact(wang, row.id, dataclasses.replace(stale, agreed="lost"))
        assert refused.value.by == "王芳"
        assert Contact.get_by_id(row.id).agreed == "twice daily"
    finally:
        close_database()


def test_the_refusal_is_in_both_languages():
    for lang in ("en", "zh"):
        i18n.set_language(lang)
        text = t("amend.conflict", who="周协调", at="2026-11-20 15:42")
        assert "周协调" in text and "2026-11-20 15:42" in text and "ctrl+r" in text
        assert t("amend.reloading") and t("amend.reload_failed")
    i18n.set_language("en")


# -- the amend form ------------------------------------------------------------------------

async def open_amend_form(pilot, app) -> AmendScreen:
    """王芳 signs in, opens 张伟's case and amends its entry."""
    await sign_in(pilot, "wangfang")
    await pilot.press(*"20240101", "enter")
    await settle(pilot)
    assert isinstance(app.screen, CaseScreen)
    await pilot.press("a")
    await settle(pilot)
    assert isinstance(app.screen, EntryPickerScreen)
    await pilot.press("enter")
    await settle(pilot)
    form = app.screen
    assert isinstance(form, AmendScreen)
    return form


def status_text(form) -> str:
    return str(form.query_one("#form-status").render())


def footer_keys(app) -> str:
    return str(app.screen.query_one("#footer-keys").render())


async def test_the_form_refuses_the_second_save_then_reloads_and_saves(school, coordinator):
    cid = contact_id(school)
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_amend_form(pilot, app)
        assert "^r" not in footer_keys(app)  # nothing to merge yet
        # 王芳 adds to the agreement; meanwhile 周协调 changes what was discussed
        form.query_one("#agreed").focus()
        await pilot.press("end", *"; call on Friday")
        amend_as(coordinator, cid, discussed="Their account of the talk")

        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form  # refused: the form stays, with the text typed
        assert form.version == 1
        message = t("amend.conflict", who="周协调", at="2026-11-20 15:42")
        assert status_text(form) == message
        assert form.query_one("#agreed").text == "Check homework daily; call on Friday"
        assert form.conflict is not None
        assert "^r" in footer_keys(app) and "Merge latest" in footer_keys(app)
        row = Contact.get_by_id(cid)
        assert row.discussed == "Their account of the talk" and row.version == 2
        assert row.agreed == "Check homework daily"

        await pilot.press("ctrl+r")
        await settle(pilot)
        # their change is loaded, mine is kept, nothing both changed
        assert form.query_one("#discussed").text == "Their account of the talk"
        assert form.query_one("#agreed").text == "Check homework daily; call on Friday"
        assert form.version == 2 and form.conflict is None
        assert status_text(form) == t("edit.merged_clean")
        assert "^r" not in footer_keys(app)

        await pilot.press("ctrl+s")
        await settle(pilot, 5)
        assert isinstance(app.screen, CaseScreen)
    row = Contact.get_by_id(cid)
    assert row.discussed == "Their account of the talk"
    assert row.agreed == "Check homework daily; call on Friday"
    assert row.version == 3
    assert [u.staff_name for u in updates(cid)] == ["周协调", "王芳"]
    assert json.loads(updates(cid)[1].changes) == {
        "agreed": ["Check homework daily", "Check homework daily; call on Friday"]}


async def test_a_field_both_changed_keeps_mine_and_is_marked(school, coordinator):
    cid = contact_id(school)
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_amend_form(pilot, app)
        form.query_one("#agreed").focus()
        await pilot.press("end", *" (mine)")
        amend_as(coordinator, cid, agreed="Theirs", follow_up="Visit at home")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert form.conflict is not None
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert form.query_one("#agreed").text == "Check homework daily (mine)"
        assert form.query_one("#follow_up").value == "Visit at home"
        assert form.query_one("#agreed").has_class("invalid")
        assert not form.query_one("#follow_up").has_class("invalid")
        assert status_text(form) == t("edit.merged", fields=t("form.agreed"))
        await pilot.press("ctrl+s")
        await settle(pilot, 5)
        assert isinstance(app.screen, CaseScreen)
    row = Contact.get_by_id(cid)
    assert row.agreed == "Check homework daily (mine)" and row.follow_up == "Visit at home"
    assert row.version == 3


async def test_a_draft_reopened_after_a_crash_is_checked_against_its_own_version(
        school, coordinator):
    """The draft keeps the version the form was opened at: someone's save in
    between is a conflict after the restart too, never overwritten."""
    from db.store.local import drafts
    from screens.drafts import DraftsScreen

    cid = contact_id(school)
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_amend_form(pilot, app)
        form.query_one("#agreed").focus()
        await pilot.press("end", *" (draft)")
        await settle(pilot)
    # the terminal closed with the form open; then 周协调 amends the entry
    [draft] = drafts(school.path, school.teacher.id)
    assert draft.form == "amend" and draft.values["version"] == 1
    amend_as(coordinator, cid, discussed="Their account")

    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "wangfang")
        assert isinstance(app.screen, DraftsScreen)
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, AmendScreen)
        assert form.query_one("#agreed").text == "Check homework daily (draft)"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form and form.conflict is not None
        assert Contact.get_by_id(cid).discussed == "Their account"
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert form.query_one("#discussed").text == "Their account"
        await pilot.press("ctrl+s")
        await settle(pilot, 5)
        assert not isinstance(app.screen, AmendScreen)
    row = Contact.get_by_id(cid)
    assert row.discussed == "Their account" and row.agreed == "Check homework daily (draft)"
    assert row.version == 3
    assert drafts(school.path, school.teacher.id) == []
