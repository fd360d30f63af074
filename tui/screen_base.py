"""The bases of bangfu's screens: ``self.app`` is the ``BangfuApp``.

``BangfuScreen`` (a full screen) and ``BangfuModal`` (a dialog over one)
tell a type checker that ``self.app`` is ``tui.app.BangfuApp``, so
``self.app.staff``, ``self.app.index`` and the rest are checked (Textual's
own ``getters.app``, declared for the checker only: nothing changes when the
app runs).

A ``BangfuScreen`` also takes what the app tells every open screen
(``tui.broadcast``): each message calls a method of the screen, which does
nothing unless the screen overrides it (the roster searches again when the
roster changed, a case reloads when others wrote…).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.screen import ModalScreen, Screen, ScreenResultType

from tui.broadcast import DatabaseFailed, DatabaseReady, OthersWrote, RosterChanged, RulesChanged

if TYPE_CHECKING:
    from textual import getters

    from tui.app import BangfuApp


class BangfuScreen(Screen[ScreenResultType]):
    """A full screen of bangfu (see the module's text)."""

    if TYPE_CHECKING:
        app = getters.app(BangfuApp)

    # -- what the app tells every open screen (tui.broadcast) ---------------------
    def still_open(self) -> bool:
        """Still on the stack when a message told to the open screens arrives
        (one closed meanwhile is not told: its widgets may be gone)."""
        return self in self.app.screen_stack

    def on_database_ready(self, _message: DatabaseReady) -> None:
        if self.still_open():
            self.database_ready()

    def on_database_failed(self, message: DatabaseFailed) -> None:
        if self.still_open():
            self.database_failed(message.text)

    def on_roster_changed(self, _message: RosterChanged) -> None:
        if self.still_open():
            self.roster_changed()

    def on_others_wrote(self, _message: OthersWrote) -> None:
        if self.still_open():
            self.others_wrote()

    def on_rules_changed(self, _message: RulesChanged) -> None:
        if self.still_open():
            self.rules_changed()

    def database_ready(self) -> None:
        """The database file is open now (started before it was)."""

    def database_failed(self, message: str) -> None:
        """The database file could not be opened: ``message`` says why."""

    def roster_changed(self) -> None:
        """The app's roster index was loaded again or changed."""

    def others_wrote(self) -> None:
        """Another workstation (or the outbox) saved: show what is new."""

    def rules_changed(self) -> None:
        """The school's follow-up rules changed."""


class BangfuModal(ModalScreen[ScreenResultType]):
    """A dialog of bangfu over a screen (see the module's text)."""

    if TYPE_CHECKING:
        app = getters.app(BangfuApp)
