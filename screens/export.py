"""Export students, cases or contacts (F12) to Excel or CSV, as the person
signed in may see them (``db.export_rows``): s/c/e chooses what, x/v the
format, the contacts may be narrowed by dates; ctrl+s writes into the exports
folder behind a progress bar and says where.
"""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Header, Input, ProgressBar

from db.store.connected import connected
from tui.i18n import failure, t
from tui.screen_base import BangfuScreen
from tui.widgets import InfoLine, KeyFooter, LetterChoice, PlainStatic

WHAT_KEYS = {"s": "students", "c": "cases", "e": "contacts"}
FORMAT_KEYS = {"x": "xlsx", "v": "csv"}


class Choice(LetterChoice):
    def option_label(self, code: str) -> str:
        return t(f"export.choice.{code}")


class ExportScreen(BangfuScreen):
    DEFAULT_CSS = """
    #export-form { height: auto; padding: 1 1 0 1; }
    #export-form .row { height: 1; margin-bottom: 1; }
    #export-form Input { width: 14; background: $boost; }
    #export-form Input:focus { background: $accent 30%; }
    #export-progress { height: 1; padding: 0 1; }
    """
    BINDINGS = [
        Binding("ctrl+s", "write", "key.export_write", id="export_write"),
        Binding("escape", "back", "key.back", id="back"),
    ]

    def __init__(self):
        super().__init__()
        self.busy = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="export-form"):
            with Horizontal(classes="row"):
                yield PlainStatic(t("export.what"), classes="label")
                yield Choice(WHAT_KEYS, "export_what", "students", id="export-what")
            with Horizontal(classes="row"):
                yield PlainStatic(t("export.format"), classes="label")
                yield Choice(FORMAT_KEYS, "export_format", "xlsx", id="export-format")
            with Horizontal(classes="row", id="export-dates"):
                yield PlainStatic(t("audit.since"), classes="label")
                yield Input(id="export-since", compact=True, placeholder="2026-09-01")
                yield PlainStatic(t("audit.until"), classes="label-short")
                yield Input(id="export-until", compact=True, placeholder="today")
        yield InfoLine(id="export-info", classes="info")
        yield ProgressBar(id="export-progress", show_eta=False, show_percentage=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.title = t("export.title")
        self.query_one(ProgressBar).display = False
        self.query_one("#export-dates").display = False
        self.query_one(InfoLine).show(t("export.hint"))
        self.query_one("#export-what").focus()

    def on_letter_choice_changed(self, event) -> None:
        if event.choice.id == "export-what":
            self.query_one("#export-dates").display = event.choice.value == "contacts"

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_write()

    def check_action(self, action: str, parameters) -> bool | None:
        return not (action == "write" and self.busy)

    def _progress(self, done: int, total: int) -> None:
        self.app.call_from_thread(self.query_one(ProgressBar).update, total=max(1, total),
                                  progress=done)

    def action_write(self) -> None:
        from db import clock
        from db.dates import DateError, parse_date

        if self.busy:
            return
        what = self.query_one("#export-what", LetterChoice).value
        fmt = self.query_one("#export-format", LetterChoice).value
        dates = []
        for name in ("since", "until"):
            text = self.query_one(f"#export-{name}", Input).value.strip()
            try:
                dates.append(parse_date(text, clock.today()) if text and what == "contacts"
                             else None)
            except DateError as exc:
                self.query_one(InfoLine).show(t(f"err.date.{exc.code}"))
                self.query_one(f"#export-{name}").focus()
                return
        self.busy = True
        self.refresh_bindings()
        self.query_one(ProgressBar).display = True
        self.query_one(ProgressBar).update(total=None, progress=0)
        self.query_one(InfoLine).show(t("export.writing"))
        self.write(what, fmt, *dates)

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def write(self, what: str, fmt: str, since, until) -> None:
        from db.access import NotAllowed
        from db.export_rows import export_table
        from tui.export_files import default_path, write_export

        try:
            with connected():
                table = export_table(what, self.app.staff, since, until, progress=self._progress)
            path = write_export(table, fmt, default_path(what, fmt), progress=self._progress)
        except NotAllowed as exc:
            self.app.call_from_thread(self._done, t(f"err.access.{exc.code}"))
            return
        except OSError as exc:
            self.app.call_from_thread(self._done, t("export.failed",
                                                    detail=exc.strerror or failure(exc)))
            return
        self.app.call_from_thread(self._done, t("export.written", path=str(path),
                                                n=len(table.rows)))

    def _done(self, message: str) -> None:
        self.busy = False
        self.refresh_bindings()
        self.query_one(ProgressBar).display = False
        self.query_one(InfoLine).show(message)
        self.notify(message, timeout=5, markup=False)

    def action_back(self) -> None:
        if not self.busy:
            self.dismiss(None)
