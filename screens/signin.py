"""Sign in: pick yourself from the staff list by typing part of your name or pinyin."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Header, Input, OptionList
from textual.widgets.option_list import Option

from db.staff_view import StaffView, filter_staff
from db.text import one_line
from tui.i18n import label, t
from tui.widgets import KeyFooter, PlainStatic


class NameInput(Input):
    """Enter signs in.  Not a priority binding: keys typed just before Enter
    must reach the input first."""

    BINDINGS = [Binding("enter", "submit", "key.sign_in", id="sign_in")]


class SignInScreen(Screen):
    BINDINGS = [
        Binding("enter", "sign_in", "key.sign_in", id="sign_in_list"),
        Binding("down", "move(1)", show=False),
        Binding("up", "move(-1)", show=False),
    ]

    def __init__(self):
        super().__init__()
        self.staff: list[StaffView] = []
        self.shown: list[StaffView] = []
        self._filtered_for: str | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="signin"):
            yield PlainStatic(t("signin.title"), id="signin-title")
            yield PlainStatic(t("signin.hint"), classes="hint")
            yield NameInput(placeholder=t("signin.placeholder"), id="who")
            yield OptionList(id="staff-list")
            yield PlainStatic("", id="signin-message", classes="hint")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#who", Input).focus()
        if self.app.db_ready:
            self.load_staff()

    def database_ready(self) -> None:
        self.load_staff()

    def database_failed(self, message: str) -> None:
        self.query_one("#signin-message", PlainStatic).update(message)
        self.query_one("#signin-message").add_class("error-status")

    @work(thread=True, exclusive=True, exit_on_error=False)
    def load_staff(self) -> None:
        from db.models import database
        from db.staff import list_staff

        with database.connection_context():
            staff = list_staff()
        self.app.call_from_thread(self._show_staff, staff)

    def _show_staff(self, staff: list[StaffView]) -> None:
        self.staff = staff
        if not staff:
            self.query_one("#signin-message", PlainStatic).update(t("signin.empty"))
        self._filter(self.query_one("#who", Input).value)

    def on_input_changed(self, event: Input.Changed) -> None:
        self._filter(event.value)

    def _filter(self, query: str) -> None:
        self._filtered_for = query
        self.shown = filter_staff(self.staff, query)
        options = self.query_one("#staff-list", OptionList)
        options.set_options(
            Option(Text(f"{one_line(s.name)}  ·  {label('staff_role', s.role)}"), id=str(s.id))
            for s in self.shown[:200])
        if self.shown:
            options.highlighted = 0
        message = "" if self.shown or not self.staff else t("signin.nomatch")
        if self.staff:
            self.query_one("#signin-message", PlainStatic).update(message)

    def action_move(self, delta: int) -> None:
        options = self.query_one("#staff-list", OptionList)
        if self.shown:
            current = options.highlighted or 0
            options.highlighted = max(0, min(len(self.shown) - 1, current + delta))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_sign_in()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.action_sign_in()

    def action_sign_in(self) -> None:
        query = self.query_one("#who", Input).value
        if query != self._filtered_for:  # keys can outrun the Changed messages
            self._filter(query)
        options = self.query_one("#staff-list", OptionList)
        index = options.highlighted
        if index is None or index >= len(self.shown):
            return
        self.choose(self.shown[index])

    def choose(self, staff: StaffView) -> None:
        self.app.sign_in(staff)


class LockScreen(SignInScreen):
    """The workstation locked itself after idle minutes: the screen's content is
    hidden until someone signs in (the same person goes on where they were)."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="signin"):
            yield PlainStatic(t("lock.title", minutes=self.app.settings.idle_lock),
                              id="signin-title")
            yield PlainStatic(t("lock.hint"), classes="hint")
            yield NameInput(placeholder=t("signin.placeholder"), id="who")
            yield OptionList(id="staff-list")
            yield PlainStatic("", id="signin-message", classes="hint")
        yield KeyFooter()

    def choose(self, staff: StaffView) -> None:
        self.app.unlock(staff)
