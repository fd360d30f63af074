"""The shared workstation locks itself after idle minutes: the screen's content
is hidden, open forms are kept, and the same person or another signs in."""

from __future__ import annotations

import time

from db.store.local import drafts
from screens.contact import ContactScreen
from screens.signin import LockScreen
from tests.helpers import make_app, settle, sign_in, type_text


async def open_contact_form(pilot) -> None:
    """Sign in as 王芳 and start an entry for 张伟."""
    await sign_in(pilot)
    await pilot.press(*"20240101", "enter")
    await settle(pilot)
    await pilot.press("n")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ContactScreen)
    pilot.app.screen.query_one("#discussed").focus()  # (the form opens on the date)


def idle(app, minutes: float) -> None:
    app._last_input = time.monotonic() - minutes * 60
    app.check_idle_lock()


async def test_idle_minutes_lock_the_screen_and_the_same_person_goes_on_typing(school):
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_contact_form(pilot)
        assert isinstance(app.screen, ContactScreen)
        await type_text(pilot, "Talked about the test")
        await settle(pilot)
        idle(app, 4.9)
        assert not app.locked  # five minutes by default
        idle(app, 5)
        await settle(pilot)
        assert app.locked and isinstance(app.screen, LockScreen)
        shown = "\n".join(str(w.render()) for w in app.screen.query("Static"))
        assert "Talked about the test" not in shown and "张伟" not in shown  # hidden
        assert "Locked" in shown
        assert drafts(school.path, school.teacher.id)  # the open form is a draft already
        idle(app, 60)  # locked stays locked: no second lock screen
        assert len([s for s in app.screen_stack if isinstance(s, LockScreen)]) == 1
        await type_text(pilot, "wangfang")
        await pilot.press("enter")
        await settle(pilot)
        assert "wangfang" not in str(app.screen.query_one("#pin").value)
        await type_text(pilot, "1234")  # the PIN: the lock is not lifted by a name alone
        await pilot.press("enter")
        await settle(pilot)
        assert not app.locked and isinstance(app.screen, ContactScreen)
        assert "Talked about the test" in app.screen.query_one("#discussed").text


async def test_someone_else_signs_in_afresh_and_the_form_waits_as_the_owners_draft(school):
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_contact_form(pilot)
        await type_text(pilot, "Half a note")
        await settle(pilot)
        idle(app, 10)
        await settle(pilot)
        await type_text(pilot, "lijianguo")
        await pilot.press("enter")
        await settle(pilot)
        assert "lijianguo" not in str(app.screen.query_one("#pin").value)
        await type_text(pilot, "1234")  # the PIN: the lock is not lifted by a name alone
        await pilot.press("enter")
        await settle(pilot)
        assert app.staff.name == "李建国" and not app.locked
        assert app.screen.__class__.__name__ == "RosterScreen"
        assert not any(isinstance(s, ContactScreen) for s in app.screen_stack)
        [draft] = drafts(school.path, school.teacher.id)  # 王芳's, for her next sign-in
        assert "Half a note" in str(draft.values)


async def test_no_lock_before_anyone_signs_in_or_when_turned_off(school):
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        idle(app, 60)
        assert not app.locked  # the sign-in screen shows nothing to hide
        await sign_in(pilot)
        app.settings = type(app.settings)(**{**app.settings.__dict__, "idle_lock": 0})
        idle(app, 600)
        assert not app.locked
