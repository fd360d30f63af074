"""What every open screen is told: one Textual message per event.

The app (or a screen) posts a fresh message to each screen on the stack
(``tell_screens``); a screen reacts in its handler (``on_roster_changed``…).
``tui.screen_base.BangfuScreen`` has those handlers: each calls the method of
the same name without ``on_`` (``roster_changed``…), which a screen overrides
to react.  The messages do not bubble: the app is not told what it told.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from textual.app import App


class DatabaseReady(Message, bubble=False):
    """The database file is open (``BangfuApp.db_ready``): load what waited for it."""


class DatabaseFailed(Message, bubble=False):
    """The database file could not be opened; ``text`` says why, in words."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class RosterChanged(Message, bubble=False):
    """The app's roster index (``BangfuApp.index``) was loaded again or changed."""


class OthersWrote(Message, bubble=False):
    """Another workstation (or this computer's outbox) saved: catch up."""


class RulesChanged(Message, bubble=False):
    """The school's follow-up rules were changed (screens/rules.py)."""


def tell_screens(app: App, message_type: type[Message], *args: object) -> None:
    """Post ``message_type(*args)`` to every screen on the stack (each its own)."""
    for screen in app.screen_stack:
        screen.post_message(message_type(*args))
