"""Families' feedback (家长意见箱): the items the person signed in sees, the
open ones first (overdue in red), each group newest first.  n records one,
Enter (or e) opens the highlighted one to answer it, r opens it to pass it on
(owner, due date), a shows all / only the open ones; esc goes back."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Header

from db import clock
from db.store.connected import connected
from db.text import one_line
from tui.i18n import feedback_status, label, t
from tui.screen_base import BangfuScreen
from tui.widgets import InfoLine, KeyFooter, PlainStatic, TableList

WIDTHS = [4, 9, 5, 10, 9, 6, 29]  # No., status, received, kind, student, owner, text


class FeedbackScreen(BangfuScreen[bool]):
    BINDINGS = [
        Binding("n", "new", "key.feedback_new", id="feedback_new"),
        Binding("enter", "open", "key.feedback_open", id="feedback_open"),
        Binding("e", "open", "key.feedback_open", id="feedback_open_e", show=False),
        Binding("r", "reassign", "key.feedback_reassign", id="feedback_reassign"),
        Binding("a", "filter", "key.feedback_filter", id="feedback_filter"),
        Binding("escape", "back", "key.back", id="back"),
    ]

    def __init__(self):
        super().__init__()
        self.open_only = True
        self.rows: list = []
        self.loaded = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield InfoLine(id="feedback-info", classes="info")
        yield PlainStatic("", id="feedback-header", classes="table-header")
        yield TableList(WIDTHS, id="feedback-table")
        yield KeyFooter()

    @property
    def table(self) -> TableList:
        return self.query_one(TableList)

    def on_mount(self) -> None:
        self.title = t("feedback.title")
        self.query_one(InfoLine).show(t("feedback.loading"))
        self.table.focus()
        self.load()

    @work(thread=True, exclusive=True, group="feedback", exit_on_error=False)
    def load(self) -> None:
        from db.feedback import list_feedback

        with connected():
            rows = list_feedback(self.app.staff, open_only=self.open_only)
        self.app.call_from_thread(self._loaded, rows)

    def _loaded(self, rows) -> None:
        self.rows, self.loaded = rows, True
        today = clock.today()
        late = [r.is_open and r.due_on is not None and r.due_on < today for r in rows]
        opened = sum(1 for r in rows if r.is_open)
        filt = t("feedback.filter.open" if self.open_only else "feedback.filter.all")
        info = t("feedback.info", shown=len(rows), open=opened, late=sum(late), filter=filt)
        self.query_one(InfoLine).show(info if rows else f"{info} · {t('feedback.empty')}")
        table = self.table
        self.query_one("#feedback-header", PlainStatic).update(table.line(
            [t(f"feedback.col.{k}") for k in ("id", "status", "received", "kind", "student",
                                               "owner", "text")],
            table.size.width or self.app.size.width))
        table.set_rows([[f"#{r.id}", feedback_status(r, today), f"{r.received_on:%m-%d}",
                         label("feedback", r.kind),
                         one_line(r.name) if r.student_id else t("feedback.anonymous"),
                         one_line(r.owner) or "—", one_line(r.text)] for r in rows],
                       ["bold red" if x else ("dim" if not r.is_open else "")
                        for x, r in zip(late, rows)])
        self.refresh_bindings()

    def check_action(self, action: str, parameters) -> bool | None:
        if action in ("open", "reassign"):
            return bool(self.rows)
        if action == "new":
            from db.feedback import may_record

            return may_record(self.app.staff)
        return True

    @property
    def current(self):
        i = self.table.cursor
        return self.rows[i] if 0 <= i < len(self.rows) else None

    def action_new(self) -> None:
        from screens.feedback_form import FeedbackFormScreen

        self.app.push_screen(FeedbackFormScreen(), self._back_from_form)

    def action_open(self) -> None:
        row = self.current
        if row is None:
            return
        from screens.feedback_form import FeedbackFormScreen

        self.app.push_screen(FeedbackFormScreen(row.id), self._back_from_form)

    def action_reassign(self) -> None:
        from db.feedback import may_reassign

        row = self.current
        if row is None:
            return
        if not may_reassign(self.app.staff, row):
            self.notify(t("feedback.not_yours"), severity="warning", markup=False)
            return
        from screens.feedback_form import FeedbackFormScreen

        form = FeedbackFormScreen(row.id)
        form.focus_owner = True
        self.app.push_screen(form, self._back_from_form)

    def _back_from_form(self, saved: bool | None) -> None:
        if saved:
            self.load()

    def action_filter(self) -> None:
        self.open_only = not self.open_only
        self.load()

    def others_wrote(self) -> None:
        self.load()

    def action_back(self) -> None:
        self.dismiss(False)
