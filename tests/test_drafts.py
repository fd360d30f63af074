"""Drafts: what a form holds survives a crash and is offered to the same person at the
next sign-in; and the prompt for a dot-file lock a crashed client left behind.

A "crash" is the end of ``run_test`` while a form is open and unsaved: nothing
in the app gets to save or clean up, as when a terminal is closed.
"""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path

import pytest

from db.config import Settings
from db.store.connection import close_database, open_database
from db.store.lock import lock_dir
from db.store.local import drafts
from db.models import Case, Contact, database
from screens.case import CaseScreen
from screens.case_edit import CaseEditScreen
from screens.confirm import ConfirmScreen
from screens.contact import ContactScreen
from screens.drafts import DraftsScreen
from screens.roster import RosterScreen
from tests.pg import ON_SERVER
from tests.conftest import NOW, build_small_school
from tests.helpers import make_app, settle, sign_in
from tui.app import BangfuApp


async def leave_a_contact_draft(school, text: str = "Fees") -> str:
    """王芳 starts a contact for 张伟, types, and the terminal closes.  Returns its UUID."""
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "wf")
        assert app.staff.name == "王芳"
        await pilot.press("ctrl+n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ContactScreen) and form.row.name == "张伟"
        form.query_one("#discussed").focus()  # (the form opens on the date)
        await pilot.press(*text)
        await settle(pilot)
        uuid = form.uuid
    return uuid


async def test_a_contact_draft_is_offered_to_its_author_restored_and_saved(school):
    from db.store import storage

    uuid = await leave_a_contact_draft(school)
    backup = None
    if ON_SERVER:  # the server keeps its own backups: none is made beside it
        assert storage.backups(school.path) == []
    else:  # the first start of the day made the day's backup, quietly
        [backup] = storage.backups(school.path)
        assert storage.last_backup(school.path)[1] == NOW
    wang, li = school.teacher, school.other
    [draft] = drafts(school.path, wang.id)
    assert (draft.form, draft.key) == ("contact", uuid)
    assert draft.values["discussed"] == "Fees"
    assert draft.values["student"] == school.students["张伟"].id
    assert "张伟" in draft.title
    assert drafts(school.path, li.id) == []
    assert not Contact.select().where(Contact.uuid == uuid).exists()

    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "ljg")  # someone else at the same computer
        assert app.staff.name == "李建国"
        assert isinstance(app.screen, RosterScreen)
        assert not any(isinstance(s, DraftsScreen) for s in app.screen_stack)

        await pilot.press("f2")
        await settle(pilot)
        await sign_in(pilot, "wf")
        offer = app.screen
        assert isinstance(offer, DraftsScreen)
        listing = offer.query_one("#draft-list")
        assert listing.option_count == 1
        assert "张伟" in str(listing.get_option_at_index(0).prompt)
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ContactScreen)
        assert [type(s) for s in app.screen_stack].count(ContactScreen) == 1
        assert form.uuid == uuid
        assert form.query_one("#discussed").text == "Fees"
        assert form.row is not None and form.row.name == "张伟"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, RosterScreen)
    [row] = Contact.select().where(Contact.uuid == uuid)
    assert row.discussed == "Fees" and row.author.name == "王芳"
    assert row.case_id == school.cases["张伟"].id
    assert drafts(school.path, wang.id) == []
    assert storage.backups(school.path) == ([] if ON_SERVER else [backup])  # one a day


async def test_later_keeps_a_draft_d_discards_it_and_an_untouched_form_leaves_none(school):
    uuid = await leave_a_contact_draft(school)
    wang = school.teacher
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "wf")
        assert isinstance(app.screen, DraftsScreen)
        await pilot.press("escape")  # later
        await settle(pilot)
        assert isinstance(app.screen, RosterScreen)
        assert [d.key for d in drafts(school.path, wang.id)] == [uuid]

        await pilot.press("ctrl+n")  # a form opened and left as it is
        await settle(pilot)
        assert isinstance(app.screen, ContactScreen)
        assert [d.key for d in drafts(school.path, wang.id)] == [uuid]
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, RosterScreen)

        await pilot.press("f2")
        await settle(pilot)
        await sign_in(pilot, "wf")
        assert isinstance(app.screen, DraftsScreen)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, RosterScreen)
        assert drafts(school.path, wang.id) == []

        await pilot.press("ctrl+n")  # open and close again: still nothing kept
        await settle(pilot)
        assert isinstance(app.screen, ContactScreen)
    assert drafts(school.path, wang.id) == []
    assert not Contact.select().where(Contact.uuid == uuid).exists()
    assert not any(Path(school.path).parent.joinpath("state", "drafts").rglob("*.json"))


async def test_a_case_edit_draft_is_restored_and_saved(school):
    case_id = school.cases["张伟"].id
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "wf")
        await pilot.press(*"20240101", "enter")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
        await pilot.press("e")
        await settle(pilot)
        edit = app.screen
        assert isinstance(edit, CaseEditScreen)
        edit.query_one("#main_problems").focus()
        await pilot.press("end", *"; late")
        await settle(pilot)
        assert edit.query_one("#main_problems").text == "作业经常不交; late"
        await pilot.press("ctrl+q")  # closes bangfu with the edit unsaved
    [draft] = drafts(school.path, school.teacher.id)
    assert (draft.form, draft.key) == ("case_edit", str(case_id))
    assert draft.values["values"]["main_problems"] == "作业经常不交; late"
    assert Case.get_by_id(case_id).main_problems == "作业经常不交"

    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "wf")
        assert isinstance(app.screen, DraftsScreen)
        await pilot.press("enter")
        await settle(pilot)
        edit = app.screen
        assert isinstance(edit, CaseEditScreen)
        assert edit.view.case_id == case_id
        assert edit.query_one("#main_problems").text == "作业经常不交; late"
        assert edit.query_one("#measures").text == "每周两次面批"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, RosterScreen)  # where the draft was offered
    stored = Case.get_by_id(case_id)
    assert stored.main_problems == "作业经常不交; late"
    assert stored.version == 2 and stored.updated_by.name == "王芳"
    assert stored.measures == "每周两次面批"
    assert drafts(school.path, school.teacher.id) == []


# == the stale dot-file lock ======================================================
@pytest.fixture
def dotfile_school(tmp_path):
    path = tmp_path / "share.db"
    open_database(path, create=True, locking="dotfile")
    build_small_school(path)
    yield path
    close_database()


def dotfile_app(path) -> BangfuApp:
    settings = Settings(db_path=path, db_source="--db", lang="en", lang_source="test", user="",
                        locking="dotfile", locking_source="test")
    return BangfuApp(settings=settings, database=database.obj)


def take_lock(path, age: float) -> Path:
    lock = lock_dir(path)
    lock.mkdir(exist_ok=True)
    then = time.time() - age
    os.utime(lock, (then, then))
    return lock


@pytest.mark.file_only
async def test_a_stale_lock_is_offered_for_removal_once(dotfile_school):
    """To an administrator (removing a lock is theirs, as ``bangfu unlock``)."""
    app = dotfile_app(dotfile_school)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "wangfang")  # it settles before and after
        start = app.screen

        lock = take_lock(dotfile_school, 5)  # someone is saving right now
        app.check_stale_lock()
        await settle(pilot)  # its worker looks at the lock, then asks (or not)
        assert app.screen is start and lock.is_dir()
        lock.rmdir()

        lock = take_lock(dotfile_school, 300)  # a client crashed 5 minutes ago
        app.check_stale_lock()
        await settle(pilot)  # its worker looks at the lock, then asks (or not)
        prompt = app.screen
        assert isinstance(prompt, ConfirmScreen)
        assert "5 min" in prompt.question
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is start and lock.is_dir()
        app.check_stale_lock()  # the same lock: not asked again
        await settle(pilot)
        assert app.screen is start

        take_lock(dotfile_school, 600)  # a different lock (another crash)
        app.check_stale_lock()
        await settle(pilot)  # its worker looks at the lock, then asks (or not)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        assert app.screen is start
        await app.workers.wait_for_complete()  # it watches the lock before removing it
        assert not lock.exists()
    # the file is usable again
    assert Contact.select().count() == 1


@pytest.mark.file_only
async def test_a_stale_lock_is_not_offered_to_a_teacher(dotfile_school):
    """Anyone else is told to ask an administrator; the lock stays."""
    app = dotfile_app(dotfile_school)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "lijianguo")  # it settles before and after
        start = app.screen
        lock = take_lock(dotfile_school, 300)
        app.check_stale_lock()
        await settle(pilot)  # its worker looks at the lock, then asks (or not)
        assert app.screen is start and lock.is_dir()
        assert any("administrator" in str(n.message) for n in app._notifications)


@pytest.mark.file_only
async def test_a_live_writers_old_lock_is_not_offered_for_removal(dotfile_school):
    """A lock held for minutes by a writer that is alive (a long import) is no crash."""
    from db.store.lock import LockHeartbeat

    app = dotfile_app(dotfile_school)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "wangfang")  # it settles before and after
        start = app.screen
        lock = take_lock(dotfile_school, 300)
        beat = LockHeartbeat(dotfile_school, after=0)  # as a long write does after 1 s
        beat.start()
        try:
            while not beat.file.exists():  # its first heartbeat
                await asyncio.sleep(0.01)
            app.check_stale_lock()
            await settle(pilot)  # its worker looks at the lock, then asks (or not)
            assert app.screen is start and lock.is_dir()
        finally:
            beat.finish()


@pytest.mark.file_only
async def test_no_lock_prompt_with_posix_locking(school):
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        start = app.screen
        lock = take_lock(school.path, 300)
        app.check_stale_lock()
        await settle(pilot)  # its worker looks at the lock, then asks (or not)
        assert app.screen is start
        assert lock.is_dir()
