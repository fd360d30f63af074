"""Cases proposed as transformed (转化认定): the pending proposals (oldest first)
and the decisions made, newest first, of the students the person signed in
sees.  Enter opens one (a coordinator confirms or declines it there); esc goes
back."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Header

from db.store.connected import connected
from db.text import one_line
from tui.i18n import label, t
from tui.screen_base import BangfuScreen
from tui.widgets import InfoLine, KeyFooter, PlainStatic, TableList

WIDTHS = [4, 14, 8, 11, 5, 8, 22]  # No., status, student, class, date, by, reason


class TransformationsScreen(BangfuScreen[bool]):
    BINDINGS = [
        Binding("enter", "open", "key.open", id="transformations_open"),
        Binding("escape", "back", "key.back", id="back"),
    ]

    def __init__(self):
        super().__init__()
        self.rows: list = []
        self.loaded = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield InfoLine(id="transformations-info", classes="info")
        yield PlainStatic("", id="transformations-header", classes="table-header")
        yield TableList(WIDTHS, id="transformations-table")
        yield KeyFooter()

    @property
    def table(self) -> TableList:
        return self.query_one(TableList)

    def on_mount(self) -> None:
        self.title = t("transformations.title")
        self.query_one(InfoLine).show(t("transformation.loading"))
        self.table.focus()
        self.load()

    @work(thread=True, exclusive=True, group="transformations", exit_on_error=False)
    def load(self) -> None:
        from db.transformation import transformations

        with connected():
            rows = transformations(self.app.staff, status=None)
        self.app.call_from_thread(self._loaded, rows)

    def _loaded(self, rows) -> None:
        self.rows, self.loaded = rows, True
        pending = sum(1 for r in rows if r.status == "proposed")
        info = t("transformations.info", pending=pending, decided=len(rows) - pending)
        self.query_one(InfoLine).show(info if rows else t("transformations.empty"))
        table = self.table
        self.query_one("#transformations-header", PlainStatic).update(table.line(
            [t(f"transformations.col.{k}") for k in ("id", "status", "student", "class", "date",
                                                      "by", "reason")],
            table.size.width or self.app.size.width))
        table.set_rows([[f"#{r.id}", label("transformation", r.status), one_line(r.name),
                         one_line(r.class_name) or "—",
                         f"{(r.decided_on or r.proposed_on):%m-%d}",
                         one_line(r.decided_by if r.status != "proposed" else r.proposed_by)
                         or "—", one_line(r.reason)] for r in rows],
                       ["bold" if r.status == "proposed" else "dim" for r in rows])
        self.refresh_bindings()

    def check_action(self, action: str, parameters) -> bool | None:
        if action == "open":
            return bool(self.rows)
        return True

    def action_open(self) -> None:
        i = self.table.cursor
        if not 0 <= i < len(self.rows):
            return
        from screens.transformation import TransformationScreen

        self.app.push_screen(TransformationScreen(self.rows[i].id), self._back)

    def _back(self, saved: bool | None) -> None:
        if saved:
            self.load()

    def others_wrote(self) -> None:
        self.load()

    def action_back(self) -> None:
        self.dismiss(False)
