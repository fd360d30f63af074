"""One organisation the school works with: its name, kind (by letter), phone
and a note.  ctrl+s saves; esc leaves (asking first when something was
typed).  Dismissed with True when saved."""

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
from tui.widgets import KeyFooter, LetterChoice, PlainStatic

KIND_KEYS = {"c": "counselling_centre", "h": "hospital", "m": "civil_affairs",
             "w": "womens_federation", "p": "police", "v": "volunteer_group",
             "l": "village", "o": "other"}
TEXTS = ("name", "phone", "note")


class OrganisationFormScreen(BangfuScreen[bool]):
    DEFAULT_CSS = """
    #orgform { height: 1fr; padding: 0 1; }
    #orgform .row { height: auto; }
    #orgform Input { width: 1fr; background: $boost; }
    #orgform Input:focus { background: $accent 30%; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "key.save", id="org_save"),
        Binding("escape", "cancel", "key.back", id="org_cancel"),
    ]

    def __init__(self, row=None):
        """``row``: a db.organisations.OrganisationRow to change (None: a new one)."""
        super().__init__()
        self.row = row
        self.saved = False
        self._snapshot: dict = {}

    def _row(self, key: str, widget) -> Horizontal:
        return Horizontal(PlainStatic(t(f"orgs.form.{key}"), classes="label"), widget,
                          classes="row")

    def compose(self) -> ComposeResult:
        row = self.row
        yield Header()
        with VerticalScroll(id="orgform"):
            # (a change goes on from the name as it is: typing does not replace it)
            yield self._row("name", Input(one_line(row.name) if row else "", id="name",
                                          compact=True, select_on_focus=False))
            yield self._row("kind", LetterChoice(KIND_KEYS, "organisation",
                                                 row.kind if row else "counselling_centre",
                                                 id="kind"))
            yield self._row("phone", Input(one_line(row.phone) if row else "", id="phone",
                                           compact=True))
            yield self._row("note", Input(one_line(row.note) if row else "", id="note",
                                          compact=True))
        yield PlainStatic("", id="org-error", classes="error-status")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.title = t("orgs.form.edit" if self.row else "orgs.form.new")
        self.query_one("#name").focus()
        self._snapshot = self.values()

    def values(self) -> dict:
        out = {name: self.query_one(f"#{name}", Input).value for name in TEXTS}
        out["kind"] = self.query_one("#kind", LetterChoice).value
        return out

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    def _error(self, text: str, field: str = "") -> None:
        self.query_one("#org-error", PlainStatic).update(text)
        if field and self.query(f"#{field}"):
            self.query_one(f"#{field}").focus()

    def action_save(self) -> None:
        self._error("")
        self.save(self.values())

    @work(thread=True, exclusive=True, group="org-save", exit_on_error=False)
    def save(self, values: dict) -> None:
        from db import organisations
        from db.access import NotAllowed

        call = self.app.call_from_thread
        try:
            with connected():
                if self.row is None:
                    organisations.add_organisation(self.app.staff, values)
                else:
                    organisations.update_organisation(self.app.staff, self.row.id, values,
                                                      self.row.version)
        except organisations.OrganisationError as exc:
            field, key = next(iter(exc.errors.items()))
            call(self._error, f"{t(f'orgs.form.{field}')}{t('common.colon')}{t(key)}", field)
            return
        except (organisations.OrganisationConflict, organisations.OrganisationGone):
            call(self._error, t("orgs.conflict"))
            return
        except NotAllowed as exc:
            call(self._error, t(f"err.access.{exc.code}"))
            return
        self.saved = True
        call(self.dismiss, True)

    def action_cancel(self) -> None:
        from screens.confirm import leave_form

        leave_form(self, self.values() == self._snapshot, lambda: None, self.saved)
