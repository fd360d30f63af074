"""Staff accounts (F9, administrators and coordinators): add a person with
their role, classes and first PIN; change a role or classes; set a new PIN
(which also lifts a lock); disable or enable an account.  A disabled
account's entries keep their author.

In the list: a adds, Enter edits the highlighted person, p sets their PIN,
d disables (or enables) after y; the form below saves with ctrl+s (Enter in
its last field), and a bad value is named under it with nothing written.
"""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Header, Input

from db.store.connected import connected
from db.text import one_line
from db.vocab import ROLE_KEYS
from screens.confirm import ConfirmScreen, answers
from screens.signin import PinInput
from tui.i18n import account_error, label, t
from tui.screen_base import BangfuScreen
from tui.widgets import InfoLine, KeyFooter, LetterChoice, PlainStatic, TableList

WIDTHS = [16, 15, 20, 22]  # name, role, classes, state


class RoleChoice(LetterChoice):
    BINDINGS = [Binding("enter", "next_field", show=False)]

    def action_next_field(self) -> None:
        self.screen.focus_next()


class StaffConfirmScreen(ConfirmScreen):
    YES, NO = "key.confirm_yes", "key.confirm_no"
    BINDINGS = answers(YES, NO, enter_says_yes=False)


class StaffScreen(BangfuScreen):
    DEFAULT_CSS = """
    #staff-form { height: auto; padding: 1 0 0 0; }
    #staff-form .row { height: auto; }
    #staff-form Input { width: 1fr; background: $boost; }
    #staff-form Input:focus { background: $accent 30%; }
    """
    BINDINGS = [
        Binding("a", "add", "key.staff_add", id="staff_add"),
        Binding("enter", "edit", "key.staff_edit", id="staff_edit"),
        Binding("p", "pin", "key.staff_pin", id="staff_pin"),
        Binding("d", "toggle", "key.staff_toggle", id="staff_toggle"),
        Binding("ctrl+s", "save", "key.save", id="staff_save"),
        Binding("escape", "back", "key.back", id="back"),
    ]

    def __init__(self):
        super().__init__()
        self.accounts: list | None = None
        self.mode: str | None = None  # "add", "edit" or "pin" while the form is open

    def compose(self) -> ComposeResult:
        yield Header()
        yield InfoLine(id="staff-info", classes="info")
        yield PlainStatic("", id="staff-header", classes="table-header")
        yield TableList(WIDTHS, id="staff-table")
        with Vertical(id="staff-form"):
            yield PlainStatic("", id="staff-form-title", classes="title")
            with Horizontal(classes="row", id="staff-name-row"):
                yield PlainStatic(t("staff.name"), classes="label")
                yield Input(id="staff-name", compact=True, max_length=40)
            with Horizontal(classes="row", id="staff-role-row"):
                yield PlainStatic(t("staff.role"), classes="label")
                yield RoleChoice(ROLE_KEYS, "staff_role", "teacher", id="staff-role")
            with Horizontal(classes="row", id="staff-classes-row"):
                yield PlainStatic(t("staff.classes"), classes="label")
                yield Input(id="staff-classes", compact=True, max_length=200,
                            placeholder=t("staff.classes.placeholder"))
            with Horizontal(classes="row", id="staff-pin-row"):
                yield PlainStatic(t("staff.pin"), classes="label")
                yield PinInput(id="staff-pin", compact=True)
            with Horizontal(classes="row", id="staff-pin2-row"):
                yield PlainStatic(t("staff.pin_again"), classes="label")
                yield PinInput(id="staff-pin2", compact=True)
            yield PlainStatic("", id="staff-error", classes="error-status")
        yield KeyFooter()

    @property
    def table(self) -> TableList:
        return self.query_one(TableList)

    @property
    def current(self):
        if not self.accounts:
            return None
        return self.accounts[min(self.table.cursor, len(self.accounts) - 1)]

    def on_mount(self) -> None:
        self.title = t("staff.title")
        self.query_one("#staff-form").display = False
        self.query_one(InfoLine).show(t("staff.loading"))
        self.table.focus()
        self.watch(self.table, "cursor", lambda _: self.refresh_bindings(), init=False)
        self.load()

    @work(thread=True, exclusive=True, group="staff", exit_on_error=False)
    def load(self) -> None:
        from db.accounts import list_accounts

        with connected():
            accounts = list_accounts()
        self.app.call_from_thread(self._loaded, accounts)

    def _loaded(self, accounts: list) -> None:
        self.accounts = accounts
        active = sum(1 for a in accounts if a.active)
        self.query_one(InfoLine).show(t("staff.info", n=active, off=len(accounts) - active))
        self.show()
        self.refresh_bindings()

    @staticmethod
    def state(account) -> str:
        if not account.active:
            return t("staff.state.disabled")
        if account.locked_until is not None:
            return t("staff.state.locked", until=f"{account.locked_until:%H:%M}")
        if not account.has_pin:
            return t("staff.state.no_pin")
        return t("staff.state.active")

    def show(self) -> None:
        if self.accounts is None:
            return
        table = self.table
        self.query_one("#staff-header", PlainStatic).update(table.line(
            [t("staff.col.name"), t("staff.col.role"), t("staff.col.classes"),
             t("staff.col.state")], table.size.width or self.app.size.width))
        table.set_rows([[a.name, label("staff_role", a.role), a.classes.replace(",", ", "),
                         self.state(a)] for a in self.accounts],
                       ["" if a.active else "dim" for a in self.accounts])

    def on_resize(self) -> None:
        self.show()

    def others_wrote(self) -> None:
        if self.mode is None:
            self.load()

    def check_action(self, action: str, parameters) -> bool | None:
        loaded = self.accounts is not None
        if action == "add":
            return loaded and self.mode is None
        if action in ("edit", "pin", "toggle"):
            return loaded and self.mode is None and bool(self.accounts)
        if action == "save":
            return self.mode is not None
        return True

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()

    # -- the form ---------------------------------------------------------------------
    def _open_form(self, mode: str, title: str) -> None:
        self.mode = mode
        rows = {"add": ("name", "role", "classes", "pin", "pin2"),
                "edit": ("role", "classes"), "pin": ("pin", "pin2")}[mode]
        for name in ("name", "role", "classes", "pin", "pin2"):
            self.query_one(f"#staff-{name}-row").display = name in rows
        for name in ("name", "pin", "pin2"):
            self.query_one(f"#staff-{name}", Input).value = ""
        self.query_one("#staff-form-title", PlainStatic).update(title)
        self.query_one("#staff-error", PlainStatic).update("")
        self.query_one("#staff-form").display = True
        self.query_one(f"#staff-{rows[0]}").focus()
        self.refresh_bindings()

    def _close_form(self) -> None:
        self.mode = None
        self.query_one("#staff-form").display = False
        self.table.focus()
        self.refresh_bindings()

    def action_add(self) -> None:
        if self.accounts is None or self.mode is not None:
            return
        self.query_one("#staff-role", RoleChoice).value = "teacher"
        self.query_one("#staff-classes", Input).value = ""
        self._open_form("add", t("staff.adding"))

    def action_edit(self) -> None:
        account = self.current
        if account is None or self.mode is not None:
            return
        self.query_one("#staff-role", RoleChoice).value = account.role
        self.query_one("#staff-classes", Input).value = account.classes.replace(",", ", ")
        self._open_form("edit", t("staff.editing", name=one_line(account.name)))

    def action_pin(self) -> None:
        account = self.current
        if account is None or self.mode is not None:
            return
        self._open_form("pin", t("staff.pin_for", name=one_line(account.name)))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        last = {"add": "staff-pin2", "edit": "staff-classes", "pin": "staff-pin2"}.get(self.mode)
        if event.input.id == last:
            self.action_save()
        else:
            self.focus_next()

    def action_save(self) -> None:
        from db.accounts import StaffInput, check_pin

        if self.mode is None:
            return
        value = {n: self.query_one(f"#staff-{n}", Input).value
                 for n in ("name", "classes", "pin", "pin2")}
        if self.mode in ("add", "pin"):
            reason = check_pin(value["pin"], value["pin2"])
            if reason:
                self._invalid(reason, "pin")
                return
        role = self.query_one("#staff-role", RoleChoice).value
        if self.mode == "add":
            self.write("add", StaffInput(name=value["name"], role=role, pin=value["pin"],
                                         classes=value["classes"]))
        elif self.mode == "edit":
            self.write("edit", self.current.id, role, value["classes"], self.current.role)
        else:
            self.write("pin", self.current.id, value["pin"])

    def _invalid(self, code: str, field: str | None) -> None:
        from db.accounts import AccountError

        self.query_one("#staff-error", PlainStatic).update(account_error(AccountError(code)))
        focus = {"name": "#staff-name", "role": "#staff-role", "classes": "#staff-classes",
                 "pin": "#staff-pin"}.get(field or "")
        if focus and self.query_one(focus).display:
            self.query_one(focus).focus()

    # -- writing ---------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="staff-save", exit_on_error=False)
    def write(self, what: str, *args) -> None:
        from db import accounts
        from db.store.connection import with_retry

        actor = self.app.staff
        try:
            with connected():
                if what == "add":
                    with_retry(lambda: accounts.add_account(actor, args[0]))
                    done, changed = "staff.added", True
                elif what == "edit":
                    before = args[3]
                    changed = with_retry(lambda: accounts.update_account(
                        actor, args[0], role=args[1], classes=args[2]))
                    # made a reader: a short PIN must change at their next sign-in
                    done = ("staff.saved_reader" if changed and args[1] != before
                            and accounts.role_needs_strong_pin(args[1]) else "staff.saved")
                elif what == "pin":
                    with_retry(lambda: accounts.change_pin(actor, args[0], args[1]))
                    done, changed = "staff.pin_set", True
                else:  # toggle
                    changed = with_retry(lambda: accounts.update_account(
                        actor, args[0], active=args[1]))
                    done = "staff.enabled" if args[1] else "staff.disabled"
        except accounts.AccountError as exc:
            self.app.call_from_thread(self._refused, exc.code, exc.extra.get("field"))
            return
        self.app.call_from_thread(self._written, changed, done)

    def _refused(self, code: str, field: str | None) -> None:
        if self.mode is not None:
            self._invalid(code, field)
        else:
            from db.accounts import AccountError

            self.notify(account_error(AccountError(code)), severity="warning", markup=False)

    def _written(self, changed: bool, done: str) -> None:
        if self.mode is not None:
            self._close_form()
        self.notify(t(done if changed else "staff.unchanged"), timeout=3, markup=False)
        if changed:
            self.app.staff_changed()
        self.load()

    # -- disable, back ------------------------------------------------------------------
    def action_toggle(self) -> None:
        account = self.current
        if account is None or self.mode is not None:
            return
        question = t("staff.enable_ask" if not account.active else "staff.disable_ask",
                     name=one_line(account.name))

        def answered(yes: bool | None) -> None:
            if yes:
                self.write("toggle", account.id, not account.active)

        self.app.push_screen(StaffConfirmScreen(question), answered)

    def action_back(self) -> None:
        if self.mode is not None:
            self._close_form()
            return
        self.dismiss(None)
