"""This term's family events (家长学校, 家长会, 专题座谈会 …): one line each with
its date, kind, the families that came out of those invited (in the classes
the reader sees) and the topic.  n adds an event, e edits the highlighted
one, Enter opens its attendance grid (class by class), x removes it
after a question (with its attendance and the family contacts it made),
Esc goes back.  The data and its rules are ``db.family_events``."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Header

from db import clock
from db.store.connected import connected
from db.text import one_line
from tui.i18n import label, t
from tui.screen_base import BangfuScreen
from tui.widgets import InfoLine, KeyFooter, PlainStatic, TableList

WIDTHS = [10, 14, 9, 30]  # date, kind, came/invited, topic


class EventsScreen(BangfuScreen[bool]):
    BINDINGS = [
        Binding("n", "new", "key.event_new", id="event_new"),
        Binding("e", "edit", "key.event_edit", id="event_edit"),
        Binding("enter", "attend", "key.event_attend", id="event_attend"),
        Binding("x", "delete", "key.event_delete", id="event_delete"),
        Binding("escape", "back", "key.back", id="back"),
    ]

    def __init__(self):
        super().__init__()
        self.rows: list = []
        self.changed = False
        self.allowed = True

    def compose(self) -> ComposeResult:
        yield Header()
        yield InfoLine(id="events-info", classes="info")
        yield PlainStatic("", id="events-header", classes="table-header")
        yield TableList(WIDTHS, id="events-table")
        yield PlainStatic("", id="events-error", classes="error-status")
        yield KeyFooter()

    @property
    def table(self) -> TableList:
        return self.query_one(TableList)

    @property
    def current(self):
        return self.rows[self.table.cursor] if self.rows else None

    def on_mount(self) -> None:
        self.title = t("event.title")
        self.table.focus()
        self.load()

    @work(thread=True, exclusive=True, group="events", exit_on_error=False)
    def load(self) -> None:
        from db.access import NotAllowed
        from db.family_events import list_events
        from db.workflow import term_bounds

        with connected():
            start, end = term_bounds(clock.today())
            try:
                rows = list_events(self.app.staff, start, end)
            except NotAllowed:
                self.app.call_from_thread(self._refused)
                return
        self.app.call_from_thread(self._loaded, rows, start, end)

    def _refused(self) -> None:
        self.allowed = False
        self.query_one("#events-error", PlainStatic).update(t("err.access.family_events"))
        self.refresh_bindings()

    def _loaded(self, rows, start, end) -> None:
        self.rows = rows
        table = self.table
        self.query_one(InfoLine).show(t("event.info", n=len(rows), start=f"{start:%Y-%m-%d}",
                                        end=f"{end:%Y-%m-%d}"))
        self.query_one("#events-header", PlainStatic).update(table.line(
            [t("event.col.date"), t("event.col.kind"), t("event.col.came"), t("event.col.topic")],
            table.size.width or self.app.size.width))
        table.set_rows([[f"{e.held_on:%Y-%m-%d}", label("event", e.kind),
                         f"{e.attended}/{e.invited}", one_line(e.topic)] for e in rows])
        if not rows:
            self.query_one("#events-error", PlainStatic).update(t("event.none"))
        else:
            self.query_one("#events-error", PlainStatic).update("")
        self.refresh_bindings()

    def check_action(self, action: str, parameters) -> bool | None:
        if action in ("edit", "attend", "delete"):
            return self.allowed and self.current is not None
        if action == "new":
            return self.allowed
        return True

    # -- keys ---------------------------------------------------------------------------
    def _after(self, changed: bool | None) -> None:
        if changed:
            self.changed = True
            self.load()

    def action_new(self) -> None:
        from screens.event_form import EventFormScreen

        self.app.push_screen(EventFormScreen(), self._after)

    def action_edit(self) -> None:
        from screens.event_form import EventFormScreen

        if self.current is not None:
            self.app.push_screen(EventFormScreen(self.current), self._after)

    def action_attend(self) -> None:
        from screens.attendance import AttendanceScreen

        if self.current is not None:
            self.app.push_screen(AttendanceScreen(self.current), self._after)

    def action_delete(self) -> None:
        from screens.confirm import ConfirmScreen

        event = self.current
        if event is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.delete(event.id)

        self.app.push_screen(ConfirmScreen(t("event.confirm_delete", topic=one_line(event.topic),
                                             date=f"{event.held_on:%Y-%m-%d}")), answered)

    @work(thread=True, exclusive=True, group="event-delete", exit_on_error=False)
    def delete(self, event_id: int) -> None:
        from db.access import NotAllowed
        from db.family_events import EventGone, delete_event

        try:
            with connected():
                delete_event(self.app.staff, event_id)
        except EventGone:
            pass  # someone else deleted it: the list is reloaded either way
        except NotAllowed as exc:
            self.app.call_from_thread(self._error, f"err.access.{exc.code}")
            return
        self.app.call_from_thread(self._deleted)

    def _error(self, key: str) -> None:
        self.query_one("#events-error", PlainStatic).update(t(key))

    def _deleted(self) -> None:
        self.changed = True
        self.notify(t("event.deleted"), markup=False)
        self.load()

    def others_wrote(self) -> None:
        self.load()

    def action_back(self) -> None:
        self.dismiss(self.changed)
