"""The F-keys that go from one top-level screen to another, in one place.

The roster (home) has them (screens/roster.py: F2 switch user, F3 overview,
F4 term-start review, F5 class scores, F6 check-ins, F7 reports, F8 audit
log, F9 staff, F10 import, F11 intake, F12 export).  A browsing screen opened
from it (the leaders' overview) takes ``GoTo`` as a mixin: the same keys work
there too, leaving that screen (and whatever was opened above the roster) for
the roster and opening the chosen screen from there, exactly as the roster's
own key does: the same permission checks, the same messages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding

if TYPE_CHECKING:
    from tui.screen_base import BangfuScreen

    _ScreenBase = BangfuScreen
else:
    _ScreenBase = object

# action on the roster (screens/roster.py) -> the ability it needs (db.access);
# the roster's own table (RosterScreen.ABILITY) says the same
TARGETS = {"overview": "overview", "review": "edit_case", "scores": "grid",
           "checkins": "grid", "report": "reports", "audit": "audit", "staff": "manage",
           "import_roster": "manage", "intake": "edit_case", "export": "reports"}
KEYS = {"f3": "overview", "f4": "review", "f5": "scores", "f6": "checkins", "f7": "report",
        "f8": "audit", "f9": "staff", "f10": "import_roster", "f11": "intake",
        "f12": "export"}


def go_bindings() -> list[Binding]:
    """F2 and F3–F12, as on the roster: in the command palette and the README,
    not the footer."""
    return [Binding("f2", "switch_user", "key.switch_user", id="go_switch_user", show=False),
            *[Binding(key, f"go('{target}')", f"key.{target}", id=f"go_{target}", show=False)
              for key, target in KEYS.items()]]


class GoTo(_ScreenBase):
    """Mixin for a Screen: F2, F3–F12 as on the roster (see the module's text).
    The screen adds ``go_bindings()`` to its BINDINGS and asks ``go_allowed``
    from its ``check_action``."""

    def go_allowed(self, action: str, parameters) -> bool | None:
        """None when ``action`` is not one of these keys (the screen decides)."""
        if action == "switch_user":
            return True
        if action != "go":
            return None
        from db.access import can

        target = parameters[0] if parameters else ""
        return target in TARGETS and can(self.app.staff, TARGETS[target])

    def action_switch_user(self) -> None:
        self.app.action_switch_user()

    def action_go(self, target: str) -> None:
        from screens.roster import RosterScreen

        if target not in TARGETS:
            return
        roster = next((s for s in self.app.screen_stack if isinstance(s, RosterScreen)), None)
        if roster is None:
            return
        while self.app.screen is not roster:  # leave this screen (and any above the roster)
            self.app.pop_screen()
        getattr(roster, f"action_{target}")()
