"""What the app tells every open screen (tui/broadcast.py, tui/screen_base.py):
a message to each screen on the stack, which calls the screen's method."""

from __future__ import annotations

from textual.app import App

from tui.broadcast import DatabaseFailed, OthersWrote, RosterChanged, tell_screens
from tui.screen_base import BangfuScreen


class Recording(BangfuScreen):
    def __init__(self) -> None:
        super().__init__()
        self.told: list[object] = []

    def roster_changed(self) -> None:
        self.told.append("roster_changed")

    def database_failed(self, message: str) -> None:
        self.told.append(("database_failed", message))


class Plain(BangfuScreen):
    """Overrides nothing: told, and does nothing."""


async def test_every_screen_on_the_stack_is_told_and_calls_its_method():
    app = App()
    async with app.run_test() as pilot:
        lower, upper = Recording(), Recording()
        await app.push_screen(lower)
        await app.push_screen(Plain())
        await app.push_screen(upper)
        tell_screens(app, RosterChanged)
        tell_screens(app, DatabaseFailed, "the file is gone")
        tell_screens(app, OthersWrote)  # nobody overrides others_wrote: nothing happens
        await pilot.pause()
        expected = ["roster_changed", ("database_failed", "the file is gone")]
        assert lower.told == expected and upper.told == expected


async def test_a_screen_closed_before_the_message_arrives_is_not_told():
    app = App()
    async with app.run_test() as pilot:
        lower, upper = Recording(), Recording()
        await app.push_screen(lower)
        await app.push_screen(upper)
        app.install_screen(kept := Recording(), "kept")
        await app.push_screen("kept")
        tell_screens(app, RosterChanged)
        app.pop_screen()  # installed: still running, no longer on the stack
        await pilot.pause()
        assert lower.told == ["roster_changed"] and upper.told == ["roster_changed"]
        assert kept.told == []
