"""One correction item (整改): a new one, or one to see and mark done.

New (administrators and coordinators): the helper by name (↑/↓ move through
the matching staff, Enter picks one), the notice's month, what is to be
corrected and by when.  An existing item shows who it is for, who issued it
and when, what and by when; its helper (or a coordinator) types a note and
marks it done with ctrl+s.  esc leaves (asking first when something was
typed).  Dismissed with True when something was saved.
"""

from __future__ import annotations

import datetime as dt

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Header, Input, OptionList

from db import clock
from db.store.connected import connected
from db.text import one_line
from tui.i18n import t
from tui.screen_base import BangfuScreen
from tui.staff_suggest import StaffSuggestions
from tui.widgets import DateInput, KeyFooter, PlainStatic

NEW_FIELDS = ("helper", "month", "what", "due")
FIELD_LABELS = {"staff": "corr.form.helper", "helper": "corr.form.helper",
                "month": "corr.form.month", "what": "corr.form.what", "due": "corr.form.due",
                "note": "corr.form.note"}
DUE_DAYS = 14  # a new item is due in two weeks unless changed


class HelperInput(Input):
    """The helper's name: ↑/↓ move through the matching staff, Enter picks one."""

    BINDINGS = [
        Binding("down", "screen.suggest(1)", show=False),
        Binding("up", "screen.suggest(-1)", show=False),
    ]


class CorrectionFormScreen(BangfuScreen[bool]):
    DEFAULT_CSS = """
    #corrform { height: 1fr; padding: 0 1; }
    #corrform .row { height: auto; }
    #corrform Input { width: 1fr; background: $boost; }
    #corrform Input:focus { background: $accent 30%; }
    #corrform OptionList { height: auto; max-height: 6; margin-left: 14; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "key.save", id="corr_save"),
        Binding("escape", "cancel", "key.back", id="corr_cancel"),
    ]

    def __init__(self, correction_id: int | None = None, *, staff_id: int | None = None,
                 staff_name: str = "", month: str = "", what: str = ""):
        super().__init__()
        from db.corrections import this_month

        self.correction_id = correction_id
        self.suggestions = StaffSuggestions(self, "helper", "helper-suggestions", 5,
                                            (staff_id, staff_name) if staff_id else None)
        self.month = month or this_month()
        self.what = what
        self.row = None  # db.corrections.CorrectionRow, once loaded
        self.may_mark = False
        self.saved = False
        self._snapshot: dict = {}

    def _row(self, key: str, widget, name: str) -> Horizontal:
        return Horizontal(PlainStatic(t(key), classes="label"), widget, classes="row",
                          id=f"row-{name}")

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="corrform"):
            if self.correction_id is None:
                pick = self.suggestions.pick
                yield self._row("corr.form.helper", HelperInput(
                    pick[1] if pick else "", id="helper", compact=True,
                    max_length=40, placeholder=t("corr.form.helper.placeholder")), "helper")
                yield OptionList(id="helper-suggestions", compact=True)
                yield self._row("corr.form.month", Input(
                    self.month, id="month", compact=True, max_length=7,
                    placeholder="YYYY-MM"), "month")
                yield self._row("corr.form.what", Input(
                    self.what, id="what", compact=True, max_length=500,
                    placeholder=t("corr.form.what.placeholder")), "what")
                due = clock.today() + dt.timedelta(days=DUE_DAYS)
                yield self._row("corr.form.due", DateInput(
                    due.isoformat(), placeholder=t("form.date.placeholder"), id="due",
                    compact=True), "due")
            else:
                yield PlainStatic("", id="corr-for", classes="label-wide")
                yield PlainStatic("", id="corr-issued")
                yield PlainStatic("", id="corr-due")
                yield PlainStatic("", id="corr-what")
                yield PlainStatic("", id="corr-state", classes="label-wide")
                yield self._row("corr.form.note", Input(
                    id="note", compact=True, max_length=500,
                    placeholder=t("corr.form.note.placeholder")), "note")
        yield PlainStatic("", id="corr-error", classes="error-status")
        yield KeyFooter()

    def on_mount(self) -> None:
        if self.correction_id is None:
            self.title = t("corr.form.new")
            self.query_one("#helper-suggestions").display = False
            (self.query_one("#what") if self.suggestions.pick else self.query_one("#helper")).focus()
            self._snapshot = self.values()
            self.suggestions.load()
            return
        self.title = t("corr.form.open", id=self.correction_id)
        self.load()

    # -- an existing item -------------------------------------------------------------
    @work(thread=True, exclusive=True, group="correction-form", exit_on_error=False)
    def load(self) -> None:
        from db.corrections import CorrectionGone, get_correction, may_mark_done

        try:
            with connected():
                row = get_correction(self.app.staff, self.correction_id)
        except CorrectionGone:
            self.app.call_from_thread(self._error, t("corr.gone"))
            return
        self.app.call_from_thread(self._loaded, row, may_mark_done(self.app.staff, row))

    def _loaded(self, row, may_mark: bool) -> None:
        from screens.corrections import correction_status

        self.row, self.may_mark = row, may_mark
        today = clock.today()
        self.query_one("#corr-for", PlainStatic).update(t(
            "corr.form.for", name=one_line(row.staff_name), month=row.month))
        self.query_one("#corr-issued", PlainStatic).update(t(
            "corr.form.issued", by=one_line(row.issued_by) or "—",
            date=f"{row.issued_on:%Y-%m-%d}"))
        self.query_one("#corr-due", PlainStatic).update(t(
            "corr.form.due_line", date=f"{row.due_on:%Y-%m-%d}",
            status=correction_status(row, today)))
        self.query_one("#corr-what", PlainStatic).update(one_line(row.what))
        note = self.query_one("#note", Input)
        if row.is_open:
            state = t("corr.form.to_mark" if may_mark else "corr.form.not_yours")
        else:
            state = t("corr.form.was_done", date=f"{row.done_on:%Y-%m-%d}")
            note.value = one_line(row.done_note)
        self.query_one("#corr-state", PlainStatic).update(state)
        note.disabled = not (row.is_open and may_mark)
        if not note.disabled:
            note.focus()
        self._snapshot = self.values()
        self.refresh_bindings()

    def check_action(self, action: str, parameters) -> bool | None:
        if action == "save" and self.correction_id is not None:
            return self.row is not None and self.row.is_open and self.may_mark
        return True

    # -- the helper: staff by name, pinyin or initials, as at sign-in ------------------
    def on_input_changed(self, event: Input.Changed) -> None:
        self.suggestions.changed(event)

    def action_suggest(self, delta: int) -> None:
        self.suggestions.move(delta)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.suggestions.selected(event):
            self.query_one("#month").focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "helper":
            self.suggestions.submitted()
        if event.input.id in ("due", "note"):
            self.action_save()
            return
        self.focus_next()

    # -- values -----------------------------------------------------------------------
    def values(self) -> dict:
        names = NEW_FIELDS if self.correction_id is None else ("note",)
        return {name: self.query_one(f"#{name}", Input).value for name in names}

    @property
    def dirty(self) -> bool:
        return self.is_mounted and bool(self._snapshot) and self.values() != self._snapshot

    def _error(self, text: str, field: str = "") -> None:
        self.query_one("#corr-error", PlainStatic).update(text)
        if field:
            field = "helper" if field == "staff" else field
            found = self.query(f"#{field}")
            if found and not found.first().disabled:
                found.first().focus()

    def _field_error(self, field: str, key: str) -> None:
        name = t(FIELD_LABELS[field]) if field in FIELD_LABELS else field
        self._error(f"{name}{t('common.colon')}{t(key)}", field)

    def _helper(self, text: str) -> int | None:
        """The helper's id, or None after saying why not."""
        from db.staff_view import filter_staff

        text = text.strip()
        picked = self.suggestions.picked_id(text)
        if picked is not None:
            return picked
        if not text:
            self._field_error("helper", "corr.helper.empty")
            return None
        staff = self.suggestions.staff
        exact = [s for s in staff if one_line(s.name) == text]
        found = exact or filter_staff(staff, text)
        if len(found) == 1:
            return found[0].id
        if not found:
            self._error(t("corr.helper.none"), "helper")
        else:
            listing = t("common.list_sep").join(one_line(s.name) for s in found[:5])
            self._error(t("corr.helper.many", list=listing), "helper")
        return None

    # -- saving -----------------------------------------------------------------------
    def action_save(self) -> None:
        values = self.values()
        if self.correction_id is None:
            staff_id = self._helper(values["helper"])
            if staff_id is None:
                return
            self._error("")
            self.save(values, staff_id)
        elif self.row is not None and self.row.is_open and self.may_mark:
            self._error("")
            self.save(values, None)

    @work(thread=True, exclusive=True, group="correction-save", exit_on_error=False)
    def save(self, values: dict, staff_id: int | None) -> None:
        from db import corrections
        from db.access import NotAllowed

        call = self.app.call_from_thread
        try:
            with connected():
                if self.correction_id is None:
                    self.correction_id = corrections.add_correction(
                        self.app.staff, staff_id, values["month"], values["what"],
                        values["due"])
                else:
                    corrections.mark_done(self.app.staff, self.correction_id, values["note"],
                                          self.row.version)
        except corrections.CorrectionError as exc:
            call(self._field_error, *next(iter(exc.errors.items())))
            return
        except corrections.CorrectionConflict as exc:
            call(self._error, t("corr.conflict", by=one_line(exc.by) or t("corr.someone")))
            return
        except corrections.CorrectionGone:
            call(self._error, t("corr.gone"))
            return
        except NotAllowed as exc:
            call(self._error, t(f"err.access.{exc.code}"))
            return
        self.saved = True
        call(self.app.notify, t("corr.saved"), timeout=2, markup=False)
        call(self.dismiss, True)

    def action_cancel(self) -> None:
        from screens.confirm import leave_form

        leave_form(self, not self.dirty, lambda: None, self.saved)
