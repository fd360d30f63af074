"""A yes/no question in a small modal: y (or enter, unless risky) confirms, n or esc declines."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen

from tui.i18n import t
from tui.widgets import KeyFooter, PlainStatic


class ConfirmScreen(ModalScreen[bool]):
    BINDINGS = [
        Binding("y", "answer(True)", "key.confirm_yes", id="yes", key_display="y"),
        Binding("n", "answer(False)", "key.confirm_no", id="no", key_display="n"),
        Binding("escape", "answer(False)", show=False),
        Binding("enter", "enter", show=False),
    ]

    def __init__(self, question: str, *, enter_confirms: bool = True):
        super().__init__()
        self.question = question
        self.enter_confirms = enter_confirms  # False for risky questions: only y says yes

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm"):
            yield PlainStatic(t("confirm.title"), classes="title")
            yield PlainStatic(self.question)
            yield PlainStatic(f"y  {t('key.confirm_yes')}    n  {t('key.confirm_no')}",
                              classes="hint")
        yield KeyFooter()

    def action_enter(self) -> None:
        self.dismiss(self.enter_confirms)

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)
