"""The intake pass (摸排) for one class: the class list, space marks each
student who needs a case, then one short form per marked student (the case
form of ``screens/case_status.py``), one after another, all by keyboard.

Type the class ("7-3" or its name) and Enter; ↑/↓ and space mark; Enter (or
ctrl+s) starts the forms.  Students who already have an open case show it and
cannot be marked.  Esc in a form skips that student; the pass goes on.
"""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Header, Input

from db.store.connected import connected
from db.text import one_line
from tui.i18n import label, t
from tui.screen_base import BangfuScreen
from tui.widgets import InfoLine, KeyFooter, PlainStatic, TableList

WIDTHS = [3, 12, 14, 20]  # mark, number, name, open case


class IntakeTable(TableList):
    BINDINGS = [
        Binding("space", "screen.mark", "key.intake_mark", id="intake_mark"),
        Binding("enter", "screen.start", "key.intake_start", id="intake_start"),
    ]


class IntakeScreen(BangfuScreen):
    DEFAULT_CSS = """
    #intake-class-row { height: 1; margin: 1 1 0 1; }
    #intake-class-row Input { width: 20; background: $boost; }
    """
    BINDINGS = [
        Binding("ctrl+s", "start", "key.intake_start", id="start", show=False),
        Binding("escape", "back", "key.back", id="back"),
    ]

    def __init__(self, class_text: str = ""):
        super().__init__()
        self.class_text = class_text
        self.class_name = ""
        self.rows: list = []
        self.marked: set[int] = set()
        self.queue: list = []
        self.opened = 0
        self.total = 0

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="intake-class-row"):
            yield PlainStatic(t("intake.class"), classes="label")
            yield Input(self.class_text, id="intake-class", compact=True, placeholder="7-3",
                        max_length=30)
        yield InfoLine(id="intake-info", classes="info")
        yield PlainStatic("", id="intake-header", classes="table-header")
        yield IntakeTable(WIDTHS, id="intake-table")
        yield KeyFooter()

    @property
    def table(self) -> IntakeTable:
        return self.query_one(IntakeTable)

    def on_mount(self) -> None:
        self.title = t("intake.title")
        self.query_one(InfoLine).show(t("intake.hint"))
        self.query_one("#intake-class").focus()
        if self.class_text:
            self.load(self.class_text)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.load(event.value)

    @work(thread=True, exclusive=True, group="intake", exit_on_error=False)
    def load(self, text: str) -> None:
        from db.access import NotAllowed
        from db.case_status import CaseStatusError, class_for_intake

        try:
            with connected():
                _, name, rows = class_for_intake(self.app.staff, text)
        except CaseStatusError:
            self.app.call_from_thread(self._info, t("err.case_status.class_unknown"))
            return
        except NotAllowed as exc:
            self.app.call_from_thread(self._info, t(f"err.access.{exc.code}"))
            return
        self.app.call_from_thread(self._loaded, name, rows)

    def _info(self, text: str) -> None:
        self.query_one(InfoLine).show(text)

    def _loaded(self, name: str, rows: list) -> None:
        keep = self.marked if name == self.class_name else set()
        self.class_name, self.rows = name, rows
        self.marked = {sid for sid in keep if any(r.student_id == sid for r in rows)}
        self.show()
        if rows:
            self.table.focus()

    def show(self) -> None:
        table = self.table
        width = table.size.width or self.app.size.width
        self.query_one("#intake-header", PlainStatic).update(table.line(
            ["", t("intake.col.number"), t("intake.col.name"), t("intake.col.case")], width))
        table.set_rows([["■" if r.student_id in self.marked else ("·" if r.case_status else "□"),
                         r.student_no, one_line(r.name),
                         label("status", r.case_status) if r.case_status else ""]
                        for r in self.rows],
                       ["dim" if r.case_status else "" for r in self.rows])
        with_case = sum(1 for r in self.rows if r.case_status)
        self._info(t("intake.info", name=one_line(self.class_name), n=len(self.rows),
                     open=with_case, marked=len(self.marked)))

    def on_resize(self) -> None:
        if self.rows:
            self.show()

    def action_mark(self) -> None:
        if not self.rows:
            return
        row = self.rows[min(self.table.cursor, len(self.rows) - 1)]
        if row.case_status:
            self.notify(t("intake.has_case", name=one_line(row.name)), severity="warning",
                        markup=False)
        elif row.student_id in self.marked:
            self.marked.discard(row.student_id)
        else:
            self.marked.add(row.student_id)
        self.table.move(1)
        self.show()

    def action_start(self) -> None:
        if not self.marked:
            self.notify(t("intake.none_marked"), severity="warning", markup=False)
            return
        self.queue = [r for r in self.rows if r.student_id in self.marked]
        self.total, self.opened = len(self.queue), 0
        self._next()

    def _next(self) -> None:
        from screens.case_status import CaseStatusScreen

        if not self.queue:
            self.notify(t("intake.done", n=self.opened, total=self.total), markup=False)
            self.marked.clear()
            self.load(self.class_name)
            return
        row = self.queue.pop(0)
        counter = f"{self.total - len(self.queue)}/{self.total}"
        lead = one_line(self.app.staff.name) if self.app.staff else ""

        def done(saved) -> None:
            if saved:
                self.opened += 1
                self.marked.discard(row.student_id)
            self._next()

        self.app.push_screen(CaseStatusScreen(row.student_id, row.name, counter=counter,
                                              lead=lead), done)

    def action_back(self) -> None:
        self.dismiss(None)
