"""The school's recovery code, shown once to the first administrator of a new
school (``db.keys.set_up``): what it is, how to keep it; Enter goes on."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical

from tui.i18n import t
from tui.screen_base import BangfuModal
from tui.widgets import KeyFooter, PlainStatic


class RecoveryCodeScreen(BangfuModal[None]):
    BINDINGS = [Binding("enter", "done", "key.recovery_written", id="done", key_display="⏎")]

    def __init__(self, code: str):
        super().__init__()
        self.code = code

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm"):
            yield PlainStatic(t("recovery.title"), classes="title")
            yield PlainStatic(self.code, id="recovery-code")
            yield PlainStatic(t("cli.keys.code_keep"))
            yield PlainStatic(f"⏎  {t('key.recovery_written')}", classes="hint")
        yield KeyFooter()

    def action_done(self) -> None:
        self.dismiss(None)
