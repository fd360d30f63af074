"""The school's holidays and days off (寒暑假、放假调休), opened from Families.

While a holiday lasts, the rules of school days (the weekly help session) and
the rules "a term" ask for nothing, and the holiday rules ask instead (the
rules screen, u on the overview, says which rule is which).  In the list: a
adds one (name, kind by letter, first and last day off; ctrl+s saves), x
removes the highlighted one after y; esc goes back.  Only administrators and
coordinators change the list.
"""

from __future__ import annotations

import datetime as dt

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Header, Input

from db.store.connected import connected
from db.text import one_line
from screens.confirm import ConfirmScreen
from tui.i18n import label, t
from tui.screen_base import BangfuScreen
from tui.widgets import DateInput, InfoLine, KeyFooter, LetterChoice, PlainStatic, TableList

WIDTHS = [12, 12, 16, 34]  # first day, last day, kind, name
KIND_KEYS = {"w": "winter", "s": "summer", "d": "day_off", "o": "other"}


class HolidaysScreen(BangfuScreen[None]):
    BINDINGS = [
        Binding("a", "add", "key.holiday_add", id="holiday_add"),
        Binding("x", "remove", "key.holiday_remove", id="holiday_remove"),
        Binding("ctrl+s", "save", "key.save", id="holiday_save"),
        Binding("escape", "back", "key.back", id="back"),
    ]

    def __init__(self):
        super().__init__()
        self.rows: list = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield InfoLine(id="holidays-info", classes="info")
        yield PlainStatic("", id="holidays-header", classes="table-header")
        yield TableList(WIDTHS, id="holidays-table")
        with Vertical(id="holiday-form"):
            with Horizontal(classes="row"):
                yield PlainStatic(t("holiday.name"), classes="label")
                yield Input(id="holiday-name", compact=True)
            with Horizontal(classes="row"):
                yield PlainStatic(t("holiday.kind"), classes="label")
                yield LetterChoice(KIND_KEYS, "holiday", "winter", id="holiday-kind")
            with Horizontal(classes="row"):
                yield PlainStatic(t("holiday.start"), classes="label")
                yield DateInput(placeholder=t("form.date.placeholder"), id="holiday-start",
                                compact=True)
            with Horizontal(classes="row"):
                yield PlainStatic(t("holiday.end"), classes="label")
                yield DateInput(placeholder=t("form.date.placeholder"), id="holiday-end",
                                compact=True)
            yield PlainStatic("", id="holiday-error", classes="error-status")
        yield KeyFooter()

    @property
    def table(self) -> TableList:
        return self.query_one(TableList)

    @property
    def adding(self) -> bool:
        return self.query_one("#holiday-form").display

    @property
    def manager(self) -> bool:
        from db.access import can

        return can(self.app.staff, "manage")

    def on_mount(self) -> None:
        self.title = t("holiday.title")
        self.query_one("#holiday-form").display = False
        self.table.focus()
        self.load()

    @work(thread=True, exclusive=True, group="holidays", exit_on_error=False)
    def load(self) -> None:
        from db.holidays import list_holidays

        with connected():
            rows = list_holidays()
        self.app.call_from_thread(self._loaded, rows)

    def _loaded(self, rows) -> None:
        self.rows = rows
        self.query_one(InfoLine).show(t("holiday.info", n=len(rows)) if rows
                                      else t("holiday.none"))
        table = self.table
        self.query_one("#holidays-header", PlainStatic).update(table.line(
            [t("holiday.col.start"), t("holiday.col.end"), t("holiday.col.kind"),
             t("holiday.col.name")], table.size.width or self.app.size.width))
        table.set_rows([[f"{h.start_date:%Y-%m-%d}", f"{h.end_date:%Y-%m-%d}",
                         label("holiday", h.kind), one_line(h.name)] for h in rows])
        self.refresh_bindings()

    def check_action(self, action: str, parameters) -> bool | None:
        if action == "add":
            return self.manager and not self.adding
        if action == "remove":
            return self.manager and not self.adding and bool(self.rows)
        if action == "save":
            return self.adding
        return True

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()

    def action_add(self) -> None:
        if not self.manager:
            return
        self.query_one("#holiday-form").display = True
        for name in ("holiday-name", "holiday-start", "holiday-end"):
            self.query_one(f"#{name}", Input).value = ""
        self.query_one("#holiday-error", PlainStatic).update("")
        self.query_one("#holiday-name").focus()
        self.refresh_bindings()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "holiday-end":
            self.action_save()
        else:
            self.focus_next()

    def action_save(self) -> None:
        if not self.adding:
            return
        from db import clock
        from db.dates import DateError, parse_date

        days: list[dt.date] = []
        for field in ("start", "end"):
            widget = self.query_one(f"#holiday-{field}", Input)
            try:  # a holiday is planned ahead: 1-21 is the next 21 January
                days.append(parse_date(widget.value, clock.today(), prefer="future"))
            except DateError:
                self._invalid(t(f"holiday.{field}") + t("common.colon") + t("holiday.bad_date"),
                              f"#holiday-{field}")
                return
        self.save(self.query_one("#holiday-name", Input).value,
                  self.query_one("#holiday-kind", LetterChoice).value, *days)

    @work(thread=True, exclusive=True, group="holiday-save", exit_on_error=False)
    def save(self, name: str, kind: str, start: dt.date, end: dt.date) -> None:
        from db.holidays import HolidayError, add_holiday

        try:
            with connected():
                add_holiday(self.app.staff, name, start, end, kind)
        except HolidayError as exc:
            where = {"name": "#holiday-name", "dates": "#holiday-end", "long": "#holiday-end",
                     "overlap": "#holiday-start"}.get(exc.code, "#holiday-name")
            self.app.call_from_thread(self._invalid, t(f"err.holiday.{exc.code}"), where)
            return
        self.app.call_from_thread(self._saved, "holiday.added")

    def _invalid(self, message: str, where: str) -> None:
        self.query_one("#holiday-error", PlainStatic).update(message)
        self.query_one(where).focus()

    def _saved(self, done: str) -> None:
        from tui.broadcast import RulesChanged, tell_screens

        self.query_one("#holiday-form").display = False
        self.table.focus()
        self.notify(t(done), timeout=3, markup=False)
        tell_screens(self.app, RulesChanged)  # the caseload counts with the new calendar
        self.load()

    def action_remove(self) -> None:
        if not self.manager or not self.rows:
            return
        row = self.rows[self.table.cursor]

        def answered(yes: bool | None) -> None:
            if yes:
                self.remove_row(row.id)

        self.app.push_screen(ConfirmScreen(t("holiday.remove_ask", name=one_line(row.name))),
                             answered)

    @work(thread=True, exclusive=True, group="holiday-save", exit_on_error=False)
    def remove_row(self, holiday_id: int) -> None:
        from db.holidays import HolidayError, remove_holiday

        try:
            with connected():
                remove_holiday(self.app.staff, holiday_id)
        except HolidayError as exc:
            self.app.call_from_thread(self.notify, t(f"err.holiday.{exc.code}"),
                                      severity="warning", markup=False)
            self.app.call_from_thread(self.load)
            return
        self.app.call_from_thread(self._saved, "holiday.removed")

    def action_back(self) -> None:
        if self.adding:
            self.query_one("#holiday-form").display = False
            self.table.focus()
            self.refresh_bindings()
            return
        self.dismiss(None)
