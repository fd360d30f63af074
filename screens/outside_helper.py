"""An outside helper joins a case's team (多对一): someone without an account,
such as a village cadre (村干部) or a volunteer.  Their name, what they do,
their organisation (optional: a part of its name from the school's list) and
phone.  ctrl+s saves; esc leaves (asking first when something was typed).
Dismissed with True when saved."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Header, Input

from db.store.connected import connected
from db.text import one_line
from tui.i18n import t
from tui.screen_base import BangfuScreen
from tui.widgets import KeyFooter, PlainStatic

FIELDS = ("name", "role", "organisation", "phone")


class OutsideHelperFormScreen(BangfuScreen[bool]):
    DEFAULT_CSS = """
    #helperform { height: 1fr; padding: 0 1; }
    #helperform .row { height: auto; }
    #helperform Input { width: 1fr; background: $boost; }
    #helperform Input:focus { background: $accent 30%; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "key.save", id="helper_save"),
        Binding("escape", "cancel", "key.back", id="helper_cancel"),
    ]

    def __init__(self, case_id: int, name: str = ""):
        super().__init__()
        self.case_id = case_id
        self.student_name = name
        self.organisations: list = []
        self.saved = False

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="helperform"):
            for name in FIELDS:
                yield Horizontal(PlainStatic(t(f"helper.form.{name}"), classes="label"),
                                 Input(placeholder=t(f"helper.form.{name}.placeholder"),
                                       id=name, compact=True), classes="row")
        yield PlainStatic("", id="helper-error", classes="error-status")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.title = t("helper.form.title", name=one_line(self.student_name))
        self.query_one("#name").focus()
        self.load()

    @work(thread=True, exclusive=True, group="helper-orgs", exit_on_error=False)
    def load(self) -> None:
        from db.organisations import list_organisations

        with connected():
            rows = list_organisations(self.app.staff, active_only=True)
        self.app.call_from_thread(setattr, self, "organisations", rows)

    def values(self) -> dict:
        return {name: self.query_one(f"#{name}", Input).value for name in FIELDS}

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    def _error(self, text: str, field: str = "") -> None:
        self.query_one("#helper-error", PlainStatic).update(text)
        if field and self.query(f"#{field}"):
            self.query_one(f"#{field}").focus()

    def action_save(self) -> None:
        from db.organisations import match

        values = self.values()
        data: dict = {k: values[k] for k in ("name", "role", "phone")}
        if values["organisation"].strip():
            found = match(self.organisations, values["organisation"])
            if len(found) != 1:
                self._error(t("referral.form.organisation.choose" if found
                              else "referral.form.organisation.none"), "organisation")
                return
            data["organisation"] = found[0].id
        self._error("")
        self.save(data)

    @work(thread=True, exclusive=True, group="helper-save", exit_on_error=False)
    def save(self, data: dict) -> None:
        from db.access import NotAllowed
        from db.outside_helpers import HelperError, add_helper

        call = self.app.call_from_thread
        try:
            with connected():
                add_helper(self.app.staff, self.case_id, data)
        except HelperError as exc:
            field, key = next(iter(exc.errors.items()))
            call(self._error, f"{t(f'helper.form.{field}')}{t('common.colon')}{t(key)}", field)
            return
        except NotAllowed as exc:
            call(self._error, t(f"err.access.{exc.code}"))
            return
        self.saved = True
        call(self.dismiss, True)

    def action_cancel(self) -> None:
        from screens.confirm import leave_form

        leave_form(self, not any(v.strip() for v in self.values().values()), lambda: None,
                   self.saved)
