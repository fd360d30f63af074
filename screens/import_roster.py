"""Import a school's roster (F10, administrators and coordinators).

Type the file's path (an .xlsx or .csv from the student registry or a class
list) and, only if a column is not recognised, a mapping such as
``电话=phone``; Enter reads the file and shows the preview: how each column
was understood, the first rows, what would happen and every problem by row.
Nothing is written until ctrl+s and y: then the whole file goes in one
transaction behind a progress bar, and the roster reloads.  The bar shows
reading, matching and writing in turn; a file past the limits of
``db.roster_file`` (rows, a workbook's unpacked size and cells) is refused
with a message saying what to do, and the preview lists the first 1,000
problems, corrections and changes with a count of the rest.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Header, Input, ProgressBar

from db.store.connected import connected
from screens.confirm import ConfirmScreen, answers
from tui.i18n import t
from tui.screen_base import BangfuScreen
from tui.widgets import InfoLine, KeyFooter, LinesView, PlainStatic, render_strips


class ImportConfirmScreen(ConfirmScreen):
    YES, NO = "key.import_yes", "key.import_no"
    BINDINGS = answers(YES, NO, enter_says_yes=False)


class ImportScreen(BangfuScreen):
    DEFAULT_CSS = """
    ImportScreen .import-row { height: 1; margin: 0 1; }
    ImportScreen .import-row Input { width: 1fr; background: $boost; }
    ImportScreen .import-row Input:focus { background: $accent 30%; }
    #import-progress { height: 1; padding: 0 1; }
    #import-report { height: 1fr; padding: 0 1; }
    """
    BINDINGS = [
        Binding("ctrl+s", "import", "key.import_write", id="import_write"),
        Binding("ctrl+r", "read", "key.import_read", id="import_read"),
        Binding("escape", "back", "key.back", id="back"),
    ]

    def __init__(self, path: str = ""):
        super().__init__()
        self.path = path
        self.plan = None
        self.busy = False
        self.lines: list[str] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(classes="import-row"):
            yield PlainStatic(t("import.path"), classes="label")
            yield Input(self.path, id="import-path", compact=True,
                        placeholder=t("import.path_hint"))
        with Horizontal(classes="import-row"):
            yield PlainStatic(t("import.map"), classes="label")
            yield Input(id="import-map", compact=True, placeholder=t("import.map_hint"))
        yield InfoLine(id="import-info", classes="info")
        yield ProgressBar(id="import-progress", show_eta=False, show_percentage=True)
        yield LinesView(id="import-report")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.title = t("import.title")
        self.query_one(ProgressBar).display = False
        self.query_one(InfoLine).show(t("import.hint"))
        self.query_one("#import-path").focus()
        if self.path:
            self.action_read()

    def check_action(self, action: str, parameters) -> bool | None:
        if action == "import":
            return self.plan is not None and not self.busy
        if action == "read":
            return not self.busy
        return True

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_read()

    def on_input_changed(self, event: Input.Changed) -> None:
        if self.plan is not None and not self.busy:  # the preview no longer says what it would do
            self.plan = None
            self.refresh_bindings()

    def _busy(self, busy: bool, message: str = "") -> None:
        self.busy = busy
        bar = self.query_one(ProgressBar)
        bar.display = busy
        if busy:
            bar.update(total=None, progress=0)
        if message:
            self.query_one(InfoLine).show(message)
        self.refresh_bindings()

    def _progress(self, done: int, total: int) -> None:
        self.app.call_from_thread(self.query_one(ProgressBar).update, total=max(1, total),
                                  progress=done)

    def show_lines(self, lines: list[str], *, error: bool = False) -> None:
        self.lines = lines
        view = self.query_one("#import-report", LinesView)
        # the vertical scrollbar takes the last two columns: wrap before it
        width = max(20, (view.size.width or self.app.size.width - 2) - 2)
        text = Text("\n".join(lines), style="bold red" if error else "")
        view.set_lines(render_strips(text, width, self.app.console))

    # -- reading ------------------------------------------------------------------------
    def action_read(self) -> None:
        if self.busy:
            return
        path = self.query_one("#import-path", Input).value.strip()
        if not path:
            self.query_one(InfoLine).show(t("import.path_needed"))
            return
        self.plan = None
        self._busy(True, t("import.reading"))
        self.read(path, self.query_one("#import-map", Input).value)

    @work(thread=True, exclusive=True, group="import", exit_on_error=False)
    def read(self, path: str, mapping: str) -> None:
        from db.roster_file import RosterFileError, parse_mapping, read_roster
        from db.roster_import import plan_import
        from tui.import_report import file_error, plan_lines

        import os

        try:
            items = [m for m in mapping.replace("，", ",").replace(";", ",").split(",") if m.strip()]
            parsed = read_roster(os.path.expanduser(path), parse_mapping(items),
                                 progress=self._progress)
            self.app.call_from_thread(self.query_one(InfoLine).show, t("import.matching"))
            with connected():
                plan = plan_import(parsed, progress=self._progress)
        except RosterFileError as exc:
            self.app.call_from_thread(self._failed, file_error(exc))
            return
        lines = plan_lines(plan)
        self.app.call_from_thread(self._planned, plan, lines)

    def _failed(self, message: str) -> None:
        self._busy(False, message)
        self.show_lines([message], error=True)

    def _planned(self, plan, lines: list[str]) -> None:
        self.plan = plan
        self.show_lines(lines)
        writes = plan.count("new") + plan.count("update")
        self._busy(False, t("import.ready" if writes else "import.nothing"))
        self.query_one("#import-report").focus()

    # -- writing ------------------------------------------------------------------------
    def action_import(self) -> None:
        plan = self.plan
        if plan is None or self.busy:
            return
        if not self.app.allowed("manage"):
            return
        question = t("import.ask", new=plan.count("new"), updated=plan.count("update"))

        def answered(yes: bool | None) -> None:
            if yes and self.plan is plan:
                self._busy(True, t("import.writing"))
                self.write(plan)

        self.app.push_screen(ImportConfirmScreen(question), answered)

    @work(thread=True, exclusive=True, group="import", exit_on_error=False)
    def write(self, plan) -> None:
        from db.access import NotAllowed
        from db.store.connection import with_retry
        from db.roster_import import RosterChanged, apply_import
        from tui.import_report import result_line

        try:
            with connected():
                result = with_retry(lambda: apply_import(self.app.staff, plan,
                                                         progress=self._progress))
        except NotAllowed as exc:
            self.app.call_from_thread(self._failed, t(f"err.access.{exc.code}"))
            return
        except RosterChanged:
            self.app.call_from_thread(self._failed, t("import.changed"))
            return
        self.app.call_from_thread(self._written, result_line(result))

    def _written(self, message: str) -> None:
        self.plan = None
        self._busy(False, message)
        self.show_lines([message, ""] + self.lines)
        self.notify(message, timeout=5, markup=False)
        self.app.load_roster()

    def action_back(self) -> None:
        if not self.busy:
            self.dismiss(None)

