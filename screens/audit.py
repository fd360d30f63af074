"""The audit log, for administrators: who wrote what, when, from which computer.

Four filters over the list: a person (what they did, or what was done to
their account), a student (everything about them), a first and a last day;
Enter in a filter applies them all (a bad one is named under the filters and
nothing changes).  The list shows the newest rows first; Enter on one shows
each field's old and new value.  x and c write every matching row (not only
those shown) to the exports folder as Excel or CSV, behind a progress bar.

Read-only: nothing here changes or removes a row (and the file refuses it).
A restricted entry's texts show as "restricted entry"; it is read from its
case, where the opening is audited.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Header, Input, ProgressBar, Static

from db.store.connected import connected
from db.text import one_line
from tui.audit_log import (FIELD_LABELS, action_label, filter_error, filter_text, summary,
                           table_label, value_text, when_text)
from tui.i18n import failure, t
from tui.screen_base import BangfuModal, BangfuScreen
from tui.widgets import InfoLine, KeyFooter, PlainStatic, TableList

LIMIT = 1000  # rows shown; an export writes them all
WIDTHS = [16, 8, 8, 13, 9, 10]  # when, who, computer, table and row, action, change (the rest)
FILTERS = ("staff", "student", "since", "until")


def row_cells(row) -> list[str]:
    return [f"{row.at:%Y-%m-%d %H:%M}" if not isinstance(row.at, str) else one_line(row.at),
            one_line(row.who), one_line(row.host) or t("common.none"),
            f"{table_label(row.table)} {one_line(row.row_id)}".strip(),
            action_label(row.action), summary(row)]


def detail_text(row) -> Text:
    """One row in full: each field's old → new value (plain text, never markup)."""
    text = Text()
    text.append(t("audit.detail.head", at=when_text(row.at), who=one_line(row.who),
                  host=one_line(row.host) or t("common.none")) + "\n", style="bold")
    text.append(t("audit.detail.what", action=action_label(row.action),
                  table=table_label(row.table), row=one_line(row.row_id)) + "\n")
    changes = row.fields()
    if not changes:
        text.append("\n" + t("audit.detail.none") + "\n", style="dim")
    for change in changes:
        text.append("\n" + one_line(change.field) + "\n", style="bold")
        if change.pair:
            text.append(f"  {t('audit.col.old')}{t('common.colon')}", style="dim")
            text.append((value_text(change.old, multiline=True) or t("common.none")) + "\n")
            text.append(f"  {t('audit.col.new')}{t('common.colon')}", style="dim")
            text.append((value_text(change.new, multiline=True) or t("common.none")) + "\n")
        else:
            value = change.old if row.action == "delete" else change.new
            text.append("  " + (value_text(value, multiline=True) or t("common.none")) + "\n")
    return text


class AuditDetailScreen(BangfuModal[None]):
    """One audit row, read-only; esc closes."""

    DEFAULT_CSS = """
    AuditDetailScreen { align: center middle; }
    #audit-detail { width: 76; height: auto; max-height: 21; padding: 0 1;
                    border: thick $accent; background: $surface; }
    """
    BINDINGS = [Binding("escape", "close", "key.back", id="close")]

    def __init__(self, row):
        super().__init__()
        self.row = row

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="audit-detail"):
            yield PlainStatic(t("audit.detail.title", id=self.row.id), classes="title")
            yield Static(detail_text(self.row), markup=False)
            if self.row.masked:
                yield PlainStatic(t("audit.detail.masked"), classes="hint")
            yield PlainStatic(t("audit.detail.read_only"), classes="hint")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#audit-detail").focus()

    def action_close(self) -> None:
        self.dismiss(None)


class AuditScreen(BangfuScreen):
    """Administrators only (``db.access``: "audit"); the app checks before it opens."""

    DEFAULT_CSS = """
    #audit-filters { height: 1; padding: 0 1; }
    #audit-filters Input { background: $boost; width: 1fr; }
    #audit-filters Input:focus { background: $accent 30%; }
    #audit-filters Input.date { width: 11; }
    #audit-filters Input.invalid { background: $error 30%; }
    #audit-error { padding: 0 1; }
    #audit-progress { height: 1; padding: 0 1; }
    """
    BINDINGS = [
        Binding("enter", "detail", "key.audit_detail", id="audit_detail"),
        Binding("x", "export('xlsx')", "key.export_xlsx", id="export_xlsx"),
        Binding("c", "export('csv')", "key.export_csv", id="export_csv"),
        Binding("slash", "filter", "key.audit_filter", id="audit_filter"),
        Binding("escape", "back", "key.back", id="back"),
    ]

    def __init__(self):
        super().__init__()
        self.rows: list = []
        self.more = False  # more rows match than are shown
        self.chosen = None  # db.audit_queries.AuditFilter of the rows shown
        self.applied: tuple[str, ...] = ("", "", "", "")  # the filters as typed for them
        self.busy = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield InfoLine(id="audit-info", classes="info")
        with Horizontal(id="audit-filters"):
            yield PlainStatic(t("audit.person"), classes="label-short")
            yield Input(placeholder=t("audit.person_placeholder"), id="audit-staff",
                        compact=True)
            yield PlainStatic(t("audit.student"), classes="label-short")
            yield Input(placeholder=t("audit.student_placeholder"), id="audit-student",
                        compact=True)
            yield PlainStatic(t("audit.since"), classes="label-short")
            yield Input(placeholder=t("audit.date_placeholder"), id="audit-since",
                        compact=True, classes="date")
            yield PlainStatic(t("audit.until"), classes="label-short")
            yield Input(placeholder=t("audit.date_placeholder"), id="audit-until",
                        compact=True, classes="date")
        yield PlainStatic("", id="audit-error", classes="error-status")
        yield ProgressBar(id="audit-progress", show_eta=False, show_percentage=False)
        yield PlainStatic("", id="audit-header", classes="table-header")
        yield TableList(WIDTHS, id="audit-table")
        yield KeyFooter()

    @property
    def table(self) -> TableList:
        return self.query_one(TableList)

    def on_mount(self) -> None:
        self.title = t("audit.title")
        self.table.focus()
        self._show_header()
        self.action_refresh()

    def on_resize(self) -> None:
        self._show_header()

    def _show_header(self) -> None:
        names = [t("audit.col.at"), t("audit.col.who"), t("audit.col.host"),
                 t("audit.col.what"), t("audit.col.action"), t("audit.col.change")]
        self.query_one("#audit-header", PlainStatic).update(
            self.table.line(names, self.table.size.width or self.app.size.width))

    # -- reading -----------------------------------------------------------------------------
    def _typed(self) -> tuple[str, ...]:
        return tuple(self.query_one(f"#audit-{name}", Input).value for name in FILTERS)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_refresh()

    def action_refresh(self) -> None:
        self._busy(True, t("audit.loading"))
        self.load(self._typed(), True)

    def _busy(self, busy: bool, message: str = "") -> None:
        self.busy = busy
        bar = self.query_one(ProgressBar)
        bar.display = busy
        if busy:
            bar.update(total=None, progress=0)
            self.query_one(InfoLine).show(message)
        self.refresh_bindings()

    @work(thread=True, exclusive=True, group="audit", exit_on_error=False)
    def load(self, typed: tuple[str, ...], asked: bool = False) -> None:
        """``asked``: the person applied the filters (else a reload after a save)."""
        from db import audit_queries

        with connected():
            try:
                chosen = audit_queries.resolve_filter(*typed)
            except audit_queries.FilterError as exc:
                self.app.call_from_thread(self._bad_filter, exc)
                return
            rows = audit_queries.find_audit(chosen.staff_id, chosen.student_id, chosen.since,
                                            chosen.until, limit=LIMIT + 1)
        self.app.call_from_thread(self._loaded, typed, chosen, rows, asked)

    def _bad_filter(self, exc) -> None:
        self._busy(False)
        if self.chosen is not None:  # the rows shown are still those of the last filters
            self._show_info()
        else:
            self.query_one(InfoLine).show("")
        self.query_one("#audit-error", PlainStatic).update(
            t("audit.err.field", field=t(FIELD_LABELS[exc.field]), message=filter_error(exc)))
        field = self.query_one(f"#audit-{exc.field}", Input)
        field.add_class("invalid")
        field.focus()

    def _loaded(self, typed, chosen, rows: list, asked: bool) -> None:
        self._busy(False)
        self.applied, self.chosen = typed, chosen
        self.more = len(rows) > LIMIT
        self.rows = rows[:LIMIT]
        self.query_one("#audit-error", PlainStatic).update("")
        for field in self.query("#audit-filters Input"):
            field.remove_class("invalid")
        self._show_info()
        self.table.set_rows([row_cells(row) for row in self.rows],
                            ["bold" if row.action == "sign_in_failed" else "" for row in self.rows])
        if asked:
            self.table.cursor = 0
            if self.rows and isinstance(self.focused, Input):
                self.table.focus()

    def _show_info(self) -> None:
        filters = filter_text(self.chosen)
        if not self.rows:
            message = t("audit.none", filters=filters)
        elif self.more:
            message = t("audit.info_more", n=len(self.rows), filters=filters)
        else:
            message = t("audit.info", n=len(self.rows), filters=filters)
        self.query_one(InfoLine).show(message)

    # -- keys ----------------------------------------------------------------------------------
    def check_action(self, action: str, parameters) -> bool | None:
        on_list = self.focused is self.table
        if action == "detail":
            return on_list and bool(self.rows)
        if action == "export":
            return on_list and self.chosen is not None and not self.busy and bool(self.rows)
        if action == "filter":
            return on_list
        return True

    def action_detail(self) -> None:
        if self.rows and self.focused is self.table:
            self.app.push_screen(AuditDetailScreen(self.rows[self.table.cursor]))

    def action_filter(self) -> None:
        self.query_one("#audit-staff", Input).focus()

    def action_back(self) -> None:
        self.dismiss()

    # -- writing -------------------------------------------------------------------------------
    def action_export(self, fmt: str) -> None:
        if self.chosen is None or self.busy or not self.rows:
            return
        from tui.audit_log import default_path

        path = default_path(fmt)
        self._busy(True, t("audit.writing", path=str(path)))
        self.write(self.chosen, fmt, path)

    def _progress(self, done: int, total: int) -> None:
        self.app.call_from_thread(self.query_one(ProgressBar).update, total=max(1, total),
                                  progress=done)

    @work(thread=True, exclusive=True, group="audit-write", exit_on_error=False)
    def write(self, chosen, fmt: str, path) -> None:
        from db import audit_queries
        from tui.audit_log import write_audit

        with connected():
            rows = audit_queries.find_audit(chosen.staff_id, chosen.student_id, chosen.since,
                                            chosen.until)
        try:
            written = write_audit(rows, chosen, fmt, path, progress=self._progress)
        except OSError as exc:
            self.app.call_from_thread(self._written, None, 0, failure(exc))
            return
        self.app.call_from_thread(self._written, written, len(rows), "")

    def _written(self, path, n: int, problem: str) -> None:
        self._busy(False)
        if path is None:
            message = t("audit.write_failed", detail=problem)
            self.notify(message, severity="error", markup=False)
        else:
            message = t("audit.written", path=str(path), n=n)
            self.notify(message, markup=False, timeout=8)
        self.query_one(InfoLine).show(message)

    def others_wrote(self) -> None:
        """Someone saved meanwhile: the newest rows are theirs (the filter as applied)."""
        if not self.busy and self.chosen is not None:
            self._busy(True, t("audit.loading"))
            self.load(self.applied)
