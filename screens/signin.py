"""Sign in: pick yourself from the staff list, then type your PIN.

Five wrong PINs lock the account for a few minutes (``db.accounts``).  An
account from before PINs chooses its PIN here, typed twice; an empty database
asks for its first administrator.  Someone who may read restricted text and
signed in with a PIN too weak for that (``db.accounts.must_change_pin``)
chooses a stronger one here, typed twice, before going on.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Header, Input, OptionList
from textual.widgets.option_list import Option

from db.store.connected import connected
from db.staff_view import StaffView, filter_staff
from db.text import one_line
from tui.i18n import account_error, label, t
from tui.screen_base import BangfuScreen
from tui.widgets import KeyFooter, PlainStatic


class NameInput(Input):
    """Enter signs in.  Not a priority binding: keys typed just before Enter
    must reach the input first."""

    BINDINGS = [Binding("enter", "submit", "key.sign_in", id="sign_in")]


class PinInput(Input):
    BINDINGS = [Binding("enter", "submit", "key.pin_ok", id="pin_ok")]

    def __init__(self, **kwargs):
        super().__init__(password=True, max_length=64, **kwargs)


class SignInScreen(BangfuScreen):
    BINDINGS = [
        Binding("enter", "sign_in", "key.sign_in", id="sign_in_list"),
        Binding("escape", "back", "key.back", id="signin_back"),
        Binding("down", "move(1)", show=False),
        Binding("up", "move(-1)", show=False),
    ]

    def __init__(self):
        super().__init__()
        self.staff: list[StaffView] = []
        self.shown: list[StaffView] = []
        self._filtered_for: str | None = None
        self.chosen: StaffView | None = None  # whose PIN is asked
        self.first_run = False  # an empty file: the first administrator is made here
        self.old_pin: str | None = None  # signed in with a weak PIN: a new one is asked

    def title_text(self) -> str:
        return t("signin.title")

    def hint_text(self) -> str:
        return t("signin.hint")

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="signin"):
            yield PlainStatic(self.title_text(), id="signin-title")
            yield PlainStatic(self.hint_text(), id="signin-hint", classes="hint")
            yield NameInput(placeholder=t("signin.placeholder"), id="who")
            yield PinInput(placeholder=t("signin.pin"), id="pin")
            yield PinInput(placeholder=t("signin.pin_again"), id="pin2")
            yield OptionList(id="staff-list")
            yield PlainStatic("", id="signin-message", classes="hint")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#pin").display = False
        self.query_one("#pin2").display = False
        self.query_one("#who", Input).focus()
        if self.app.db_ready:
            self.load_staff()

    def database_ready(self) -> None:
        self.load_staff()

    def database_failed(self, message: str) -> None:
        self.say(message, error=True)

    def say(self, message: str, *, error: bool = False) -> None:
        widget = self.query_one("#signin-message", PlainStatic)
        widget.update(message)
        widget.set_class(error, "error-status")

    def check_action(self, action: str, parameters) -> bool | None:
        if action == "back":
            return self.chosen is not None
        if action == "sign_in":
            return self.chosen is None and not self.first_run
        return True

    @work(thread=True, exclusive=True, exit_on_error=False)
    def load_staff(self) -> None:
        from db.store.connection import with_retry
        from db.staff import list_staff

        with connected():  # a busy file: the same back-off as a save
            staff = with_retry(list_staff, on_retry=self.app.busy_retry)
        self.app.call_from_thread(self._show_staff, staff)

    def _show_staff(self, staff: list[StaffView]) -> None:
        self.staff = staff
        if not staff:
            self.start_first_run()
            return
        self._filter(self.query_one("#who", Input).value)
        wanted = getattr(self.app.settings, "user", "") if self.app.settings else ""
        mine = [s for s in staff if s.name == wanted] if wanted else []
        if len(mine) == 1 and self.chosen is None:  # the OS user's mapped account
            self.choose(mine[0])

    # -- picking a name -----------------------------------------------------
    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "who" and not self.first_run:
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
        if self.staff:
            self.say("" if self.shown else t("signin.nomatch"))

    def action_move(self, delta: int) -> None:
        options = self.query_one("#staff-list", OptionList)
        if self.shown and self.chosen is None:
            current = options.highlighted or 0
            options.highlighted = max(0, min(len(self.shown) - 1, current + delta))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "who":
            if self.first_run:
                self.query_one("#pin", Input).focus()
            else:
                self.action_sign_in()
        elif event.input.id == "pin":
            if self.query_one("#pin2").display:
                self.query_one("#pin2", Input).focus()
            else:
                self.check_pin()
        else:
            self.check_pin()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.action_sign_in()

    def action_sign_in(self) -> None:
        if self.chosen is not None or self.first_run:
            return
        query = self.query_one("#who", Input).value
        if query != self._filtered_for:  # keys can outrun the Changed messages
            self._filter(query)
        options = self.query_one("#staff-list", OptionList)
        index = options.highlighted
        if index is None or index >= len(self.shown):
            return
        self.choose(self.shown[index])

    def choose(self, staff: StaffView) -> None:
        """Ask ``staff``'s PIN (to choose one, typed twice, if they have none)."""
        self.chosen = staff
        self.query_one("#who").display = False
        self.query_one("#staff-list").display = False
        self.query_one("#signin-title", PlainStatic).update(
            t("signin.pin_for", name=one_line(staff.name)) if staff.has_pin
            else t("signin.choose_pin", name=one_line(staff.name)))
        self.query_one("#signin-hint", PlainStatic).update(
            t("signin.pin_hint") if staff.has_pin else t("signin.choose_hint"))
        self.query_one("#pin2").display = not staff.has_pin
        pin = self.query_one("#pin", Input)
        pin.display = True
        pin.value = ""
        self.query_one("#pin2", Input).value = ""
        pin.focus()
        self.say("")
        self.refresh_bindings()

    def action_back(self) -> None:
        """From the PIN back to the list of names."""
        if self.chosen is None:
            return
        if self.old_pin is not None:  # left without the new PIN: not signed in
            from db import session

            session.signed_out(self.chosen.id)
            self.old_pin = None
        self.chosen = None
        for name in ("#pin", "#pin2"):
            self.query_one(name, Input).value = ""
            self.query_one(name).display = False
        self.query_one("#who").display = True
        self.query_one("#staff-list").display = True
        self.query_one("#signin-title", PlainStatic).update(self.title_text())
        self.query_one("#signin-hint", PlainStatic).update(self.hint_text())
        self.query_one("#who", Input).focus()
        self.say("")
        self.refresh_bindings()

    # -- the PIN ----------------------------------------------------------------
    def check_pin(self) -> None:
        from db.accounts import check_pin

        pin = self.query_one("#pin", Input).value
        if self.old_pin is not None:
            self.check_new_pin(pin, self.query_one("#pin2", Input).value)
            return
        if self.first_run or (self.chosen is not None and not self.chosen.has_pin):
            reason = check_pin(pin, self.query_one("#pin2", Input).value)
            if reason:
                from db.accounts import AccountError

                self.say(account_error(AccountError(reason)), error=True)
                self.query_one("#pin2", Input).value = ""
                self.query_one("#pin", Input).focus()
                return
            if self.first_run:
                name = self.query_one("#who", Input).value
                self.say(t("signin.checking"))
                self.create_first(name, pin)
                return
        if self.chosen is None or not pin:
            return
        self.say(t("signin.checking"))
        self.verify(self.chosen, pin)

    @work(thread=True, exclusive=True, group="pin", exit_on_error=False)
    def verify(self, staff: StaffView, pin: str) -> None:
        """The slow hash off the event loop; a wrong PIN is counted in the file."""
        from db.accounts import authenticate, choose_pin, must_change_pin
        from db.store.connection import with_retry

        def prove() -> bool:
            if not staff.has_pin:
                with_retry(lambda: choose_pin(staff.id, pin))
                return True
            with_retry(lambda: authenticate(staff.id, pin))
            if with_retry(lambda: must_change_pin(staff.id, pin)):
                self.app.call_from_thread(self.ask_new_pin, pin)
                return False
            return True

        self._prove_then_sign_in(staff.id, prove, self.signed)

    def _prove_then_sign_in(self, staff_id: int, prove, done) -> None:
        """In a worker: ``prove()`` the PIN (False: stop there, it took over),
        then hand who signed in, and what they see, to ``done``; a refusal says why."""
        from db.access import scope_for
        from db.accounts import AccountError
        from db.staff import staff_view

        try:
            with connected():
                if not prove():
                    return
                view = staff_view(staff_id)
                scope = scope_for(view) if view is not None else None
        except AccountError as exc:
            self.app.call_from_thread(self._refused, account_error(exc))
            return
        if view is None:
            self.app.call_from_thread(self._refused, t("err.account.disabled"))
            return
        self.app.call_from_thread(done, view, scope)

    # -- a weak PIN of someone who reads restricted text: a new one first --------------
    def ask_new_pin(self, old: str) -> None:
        """The PIN was right but too weak for what this person may read: they
        choose a stronger one, typed twice, before going on (esc: not signed in)."""
        if self.chosen is None:
            return
        self.old_pin = old
        self.query_one("#signin-title", PlainStatic).update(
            t("signin.new_pin_title", name=one_line(self.chosen.name)))
        self.query_one("#signin-hint", PlainStatic).update(t("signin.new_pin_hint"))
        for name in ("#pin", "#pin2"):
            self.query_one(name, Input).value = ""
            self.query_one(name).display = True
        self.query_one("#pin", Input).focus()
        self.say("")

    def check_new_pin(self, new: str, again: str) -> None:
        from db.accounts import AccountError, check_pin

        reason = check_pin(new, again, strong=True)
        if reason is None and new == self.old_pin:
            reason = "pin_same"
        if reason:
            self.say(account_error(AccountError(reason)), error=True)
            self.query_one("#pin2", Input).value = ""
            self.query_one("#pin", Input).focus()
            return
        self.say(t("signin.checking"))
        self.change_weak_pin(self.chosen, self.old_pin, new)

    @work(thread=True, exclusive=True, group="pin", exit_on_error=False)
    def change_weak_pin(self, staff: StaffView, old: str, new: str) -> None:
        from db.accounts import change_own_pin
        from db.store.connection import with_retry

        self._prove_then_sign_in(
            staff.id, lambda: bool(with_retry(lambda: change_own_pin(staff.id, old, new))),
            self._changed)

    def _changed(self, view: StaffView, scope) -> None:
        self.old_pin = None
        self.notify(t("signin.pin_changed"), timeout=4, markup=False)
        self.signed(view, scope)

    def _refused(self, message: str) -> None:
        self.say(message, error=True)
        pin = self.query_one("#pin", Input)
        pin.value = ""
        pin.focus()

    def signed(self, staff: StaffView, scope=None) -> None:
        self.app.sign_in(staff, scope)

    # -- the first administrator of an empty file -------------------------------------
    def start_first_run(self) -> None:
        self.first_run = True
        self.query_one("#signin-title", PlainStatic).update(t("signin.first_title"))
        self.query_one("#signin-hint", PlainStatic).update(t("signin.first_hint"))
        who = self.query_one("#who", Input)
        who.placeholder = t("signin.first_name")
        self.query_one("#staff-list").display = False
        self.query_one("#pin").display = True
        self.query_one("#pin2").display = True
        who.focus()
        self.refresh_bindings()

    @work(thread=True, exclusive=True, group="pin", exit_on_error=False)
    def create_first(self, name: str, pin: str) -> None:
        from db.accounts import AccountError, StaffInput, add_account
        from db.staff import staff_view

        from db import keys

        try:
            with connected():
                row = add_account(None, StaffInput(name=name, pin=pin), first=True)
                view = staff_view(row.id)
                try:  # the new school's key: restricted text is sealed from the start
                    code = keys.set_up(row)
                except keys.KeysError:
                    code = ""  # (told again at sign-in: bangfu keys setup)
        except AccountError as exc:
            self.app.call_from_thread(self._refused, account_error(exc))
            return
        self.app.call_from_thread(self._first_signed, view, code)

    def _first_signed(self, view, code: str) -> None:
        self.signed(view)
        if code:
            from screens.recovery_code import RecoveryCodeScreen

            self.app.push_screen(RecoveryCodeScreen(code))


class LockScreen(SignInScreen):
    """The workstation locked itself after idle minutes: the screen's content is
    hidden until someone signs in with their PIN (the same person goes on where
    they were)."""

    def title_text(self) -> str:
        return t("lock.title", minutes=self.app.settings.idle_lock)

    def hint_text(self) -> str:
        return t("lock.hint")

    def signed(self, staff: StaffView, scope=None) -> None:
        self.app.unlock(staff, scope)
