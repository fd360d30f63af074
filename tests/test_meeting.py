"""Meeting mode writes one entry per student; each can then be amended alone."""

from __future__ import annotations

import json

from db.contacts import ContactInput, meeting_entries, save_meeting, validate
from db.models import AuditLog, Contact
from screens.amend import AmendScreen
from screens.case import CaseScreen
from screens.entries import EntryPickerScreen
from screens.meeting import MeetingScreen
from tests.helpers import make_app, settle, sign_in
from tui.widgets import LetterChoice

TEXT = "Parent meeting: mid-term results and homework habits"


async def hold_meeting(pilot, app):
    await sign_in(pilot, "wangfang")
    await pilot.press("ctrl+t")
    await settle(pilot)
    form = app.screen
    assert isinstance(form, MeetingScreen)
    assert form.title == "Meeting: one entry for several students"
    assert form.query_one("#channel", LetterChoice).value == "parent_meeting"
    await pilot.press(*"7-1", "ctrl+a")  # the whole class: every student with a case
    await settle(pilot)
    assert [r.name for r in form.chosen] == ["张伟", "赵薇", "曾小明"]
    await pilot.press(*"20240106")
    await settle(pilot)
    await pilot.press("enter")  # one more, picked from the suggestions
    assert [r.name for r in form.chosen][-1] == "[bold]王[/"
    await pilot.press("ctrl+x")  # not this one after all
    assert len(form.chosen) == 3
    await pilot.press("enter")  # an empty student field goes on to the date
    assert app.focused.id == "date"
    form.query_one("#discussed").focus()
    await pilot.press(*TEXT)
    await pilot.press("ctrl+s")
    await settle(pilot, 5)
    return form


async def test_a_meeting_writes_one_entry_per_student_sharing_a_meeting_id(school):
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await hold_meeting(pilot, app)
        assert app.screen is not form
    rows = list(Contact.select().where(Contact.discussed == TEXT))
    assert sorted(r.case_id for r in rows) == sorted(
        school.cases[n].id for n in ("张伟", "赵薇", "曾小明"))
    assert len({r.uuid for r in rows}) == 3
    assert {r.meeting_id for r in rows} == {form.uuid}
    assert {(r.kind, r.channel) for r in rows} == {("family", "parent_meeting")}
    assert AuditLog.select().where(AuditLog.table_name == "contact",
                                   AuditLog.action == "insert").count() == 3


async def test_one_entry_of_a_meeting_is_amended_alone(school):
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await hold_meeting(pilot, app)
        await pilot.press(*"20240102", "enter")  # 赵薇's case
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, EntryPickerScreen)
        await pilot.press("enter")  # the newest entry: the meeting's
        await settle(pilot)
        amend = app.screen
        assert isinstance(amend, AmendScreen)
        assert amend.title == "Amend an entry"
        assert amend.query_one("#discussed").text == TEXT
        assert not amend.dirty  # filled from the entry: nothing changed yet
        assert amend.query_one("#student").disabled
        amend.query_one("#discussed").focus()
        await pilot.press("end", *" (left early)")
        await pilot.press("ctrl+s")
        await settle(pilot, 5)
        assert isinstance(app.screen, CaseScreen)
    zhao = Contact.get(Contact.case == school.cases["赵薇"].id, Contact.meeting_id == form.uuid)
    assert zhao.discussed == TEXT + " (left early)"
    others = Contact.select().where(Contact.meeting_id == form.uuid, Contact.id != zhao.id)
    assert [o.discussed for o in others] == [TEXT, TEXT]
    update = AuditLog.get(AuditLog.table_name == "contact", AuditLog.row_id == str(zhao.id),
                          AuditLog.action == "update")
    assert json.loads(update.changes)["discussed"] == [TEXT, TEXT + " (left early)"]


def test_saving_a_meeting_again_writes_nothing_new(school):
    entry = validate(ContactInput(case_id=school.cases["张伟"].id, discussed="Group talk",
                                  kind="student", channel="face"))
    cases = [(school.cases[n].id, f"00000000-0000-4000-8000-00000000010{i}")
             for i, n in enumerate(("张伟", "曾小明"))]
    entries = meeting_entries(entry, cases)
    assert save_meeting(school.teacher, entries) == 2
    assert save_meeting(school.teacher, entries) == 0  # a retry: idempotent by UUID
    assert Contact.select().where(Contact.meeting_id == entry.uuid).count() == 2
