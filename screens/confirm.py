"""A yes/no question in a small modal: y (or enter, unless risky) confirms, n or esc declines."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical

from tui.i18n import t
from tui.screen_base import BangfuModal
from tui.widgets import KeyFooter, PlainStatic


def answers(yes: str, no: str, *, enter_says_yes: bool) -> list[Binding]:
    """y and n (labelled ``yes`` / ``no`` in the footer), esc declines; Enter
    confirms only where a mistaken yes costs nothing."""
    return [
        Binding("y", "answer(True)", yes, id="yes", key_display="y"),
        Binding("n", "answer(False)", no, id="no", key_display="n"),
        Binding("escape", "answer(False)", show=False),
        Binding("enter", f"answer({enter_says_yes})", show=False),
    ]


class ConfirmScreen(BangfuModal[bool]):
    YES, NO = "key.confirm_yes", "key.confirm_no"  # what y and n do, as the footer says
    BINDINGS = answers(YES, NO, enter_says_yes=True)

    def __init__(self, question: str):
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm"):
            yield PlainStatic(t("confirm.title"), classes="title")
            yield PlainStatic(self.question)
            yield PlainStatic(f"y  {t(self.YES)}    n  {t(self.NO)}",
                              classes="hint")
        yield KeyFooter()

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)


class RemoveLockScreen(ConfirmScreen):
    """Remove a lock a crashed client left?  Only an explicit y says yes."""

    YES, NO = "key.remove_lock", "key.keep_lock"
    BINDINGS = answers(YES, NO, enter_says_yes=False)


def leave_form(screen, unchanged: bool, drop_draft, result=False) -> None:
    """Leave a form: at once when nothing was typed, else only after y; either
    way its draft goes and the form is dismissed with ``result``."""

    def leave(discard: bool | None = True) -> None:
        if discard:
            drop_draft()
            screen.dismiss(result)

    if unchanged:
        leave()
    else:
        screen.app.push_screen(ConfirmScreen(t("form.discard")), leave)
