"""Supervision (督导赋分): each helper's own work in a period and their score.

Administrators and coordinators only ("supervise"); anyone else is told so
and taken back.  The list: each helper's role, grades, cases, items met,
entries, items overdue and score (below the school's threshold: marked, and
in the month's notice), with the entries flagged as looking gamed.

p cycles the period (week, half-month, this month, last month, term); [ and ]
go to the month before or after (on a month); g groups by helper or by
grade; Enter on a helper lists where each of their points came from (esc
back); j sets the coordinator's adjustment and note for the month; f lists
the flagged entries; e writes the report as .xlsx (the same file as
``bangfu report supervision``); n opens the month's notice and correction
items.  Counting runs in a worker; the screen stays usable meanwhile.
"""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Header

from db import clock
from db.store.connected import connected
from db.text import one_line
from tui.i18n import failure, t
from tui.screen_base import BangfuScreen
from tui.widgets import InfoLine, KeyFooter, PlainStatic, TableList

# the sheets of tui.report_supervision.supervision_sheets, in its order
SHEETS = ("summary", "helpers", "grades", "notice", "flags", "points")
# the helpers sheet's columns shown: name, role, grades, cases, rules met, entries,
# overdue, score (then the screen's own mark: in the notice, flags, adjustment)
HELPER_COLUMNS = (0, 1, 2, 3, 4, 5, 8, 12)
HELPER_WIDTHS = [8, 9, 8, 5, 7, 7, 7, 5, 14]
GRADE_WIDTHS = [10, 7, 6, 9, 8, 8, 20]  # the grades sheet as it is
POINT_WIDTHS = [12, 10, 16, 9, 20]  # what, student, rule, done/asked, earned/possible
FLAG_WIDTHS = [8, 8, 18, 11, 16, 5]  # the flags sheet as it is
GROUPINGS = ("helper", "grade")


def point_cells(row: list[str]) -> list[str]:
    """A row of the points sheet as the screen shows it: what, student, rule,
    done/asked and earned/possible (an overdue item or an adjustment, asking
    nothing and worth nothing: its points alone)."""
    asked = row[5] not in ("0", "—")
    return [row[1], row[2], row[3], f"{row[4]}/{row[5]}" if asked else "—",
            f"{row[6]}/{row[7]}" if row[7] not in ("0", "—") else row[6]]


def supervision_error(code: str) -> str:
    """A ``db.supervision.SupervisionError``'s code in words."""
    from tui.i18n import CATALOG

    key = f"err.supervision.{code}"
    return t(key) if key in CATALOG else t("supscreen.err.other", code=code)


class SupervisionScreen(BangfuScreen[None]):
    BINDINGS = [
        Binding("enter", "points", "key.sup_points", id="sup_points"),
        Binding("p", "period", "key.period", id="sup_period"),
        Binding("left_square_bracket", "month(-1)", "key.corr_earlier", id="sup_earlier",
                key_display="["),
        Binding("right_square_bracket", "month(1)", "key.corr_later", id="sup_later",
                key_display="]"),
        Binding("g", "grouping", "key.sup_grouping", id="sup_grouping"),
        Binding("j", "adjust", "key.sup_adjust", id="sup_adjust"),
        Binding("f", "flags", "key.sup_flags", id="sup_flags"),
        Binding("e", "export", "key.export_xlsx", id="sup_export"),
        Binding("n", "notice", "key.sup_notice", id="sup_notice"),
        Binding("escape", "back", "key.back", id="back"),
    ]

    def __init__(self, period: str = "", month: str = ""):
        """``period``: "" for ``db.supervision.default_period`` (last month in a
        month's first week, else this month)."""
        super().__init__()
        if not period:
            from db import clock
            from db.supervision import default_period

            period = default_period(clock.today())
        self.period = period
        self.month = month  # a month chosen with [ ]; "" for the period's own
        self.grouping = "helper"
        self.view = "list"  # "list", "points" (of one helper) or "flags"
        self.report = None  # db.supervision.SupervisionReport, once counted
        self.rules: tuple = ()  # the school's rules (db.workflow.Rule), as counted
        self.sheets: dict = {}  # SHEETS -> (title, header, rows): the file's cells
        self.helper = None  # the HelperRow whose points are listed
        self.busy = False
        self._cursor = 0  # the list's cursor, kept while a helper's points are shown

    def compose(self) -> ComposeResult:
        yield Header()
        yield InfoLine(id="sup-info", classes="info")
        yield PlainStatic("", id="sup-header", classes="table-header")
        yield TableList(HELPER_WIDTHS, id="sup-table")
        yield KeyFooter()

    @property
    def table(self) -> TableList:
        return self.query_one(TableList)

    def on_mount(self) -> None:
        from db.access import can

        self.title = t("supscreen.title")
        if not can(self.app.staff, "supervise"):
            self.app.not_allowed("supervise")
            self.app.call_later(self.dismiss)
            return
        self.table.focus()
        self.load()

    # -- counting -------------------------------------------------------------------------
    def load(self) -> None:
        self.busy = True
        self.query_one(InfoLine).show(t("supscreen.counting"))
        self.count(self.period, self.month)

    @work(thread=True, exclusive=True, group="supervision", exit_on_error=False)
    def count(self, period: str, month: str) -> None:
        from db.access import NotAllowed
        from db.supervision import SupervisionError, supervision
        from db.workflow import load_rules
        from tui.report_supervision import supervision_sheets

        try:
            with connected():
                report = supervision(clock.today(), period, reader=self.app.staff, month=month)
                rules = tuple(load_rules())
        except NotAllowed as exc:
            self.app.call_from_thread(self._failed, t(f"err.access.{exc.code}"))
            return
        except SupervisionError as exc:
            self.app.call_from_thread(self._failed, supervision_error(exc.code))
            return
        # the same cells as the file (bangfu report supervision) has
        sheets = dict(zip(SHEETS, supervision_sheets(report, rules)))
        self.app.call_from_thread(self._counted, report, rules, sheets)

    def _failed(self, text: str) -> None:
        self.busy = False
        self.query_one(InfoLine).show(text)
        self.refresh_bindings()

    def _counted(self, report, rules: tuple, sheets: dict) -> None:
        self.report, self.rules, self.sheets, self.busy = report, rules, sheets, False
        if self.helper is not None:  # keep a helper's points open on a recount
            self.helper = next((h for h in report.helpers
                                if h.staff_id == self.helper.staff_id), None)
            if self.helper is None:
                self.view = "list"
        self.show()
        self.refresh_bindings()

    # -- drawing ----------------------------------------------------------------------------
    def period_words(self) -> str:
        """"2026-11 (11-01–11-20)", "this week (11-16–11-20)": short, for the info line."""
        report = self.report
        name = report.month or t(f"sup.period.{report.period}")
        return t("supscreen.period", name=name, start=f"{report.start:%m-%d}",
                 end=f"{report.end:%m-%d}")

    def show(self) -> None:
        if self.report is None:
            return
        if self.view == "points" and self.helper is not None:
            self._show_points(self.helper)
        elif self.view == "flags":
            self._show_flags()
        elif self.grouping == "grade":
            self._show_grades()
        else:
            self._show_helpers()

    def _draw(self, widths: list[int], header: list[str], rows: list[list[str]],
              styles: list[str], cursor: int = 0) -> None:
        table = self.table
        table.widths = widths
        self.query_one("#sup-header", PlainStatic).update(
            table.line(header, table.size.width or self.app.size.width))
        table.set_rows(rows, styles)
        table.cursor = min(cursor, max(0, len(rows) - 1))

    def helper_rows(self) -> tuple[list[str], list[list[str]]]:
        """The helpers' header and rows as the list shows them (the file's cells)."""
        report = self.report
        _, header, cells = self.sheets["helpers"]
        below = {h.staff_id for h in report.below}
        rows = []
        for h, row in zip(report.helpers, cells):
            marks = []
            if h.staff_id in below:
                marks.append(t("supscreen.mark.below"))
            if h.flags:
                marks.append(t("supscreen.mark.flags", n=h.flags))
            if h.adjustment:
                marks.append(f"{h.adjustment:+d}")
            rows.append([row[c] for c in HELPER_COLUMNS] + [" ".join(marks)])
        return [header[c] for c in HELPER_COLUMNS] + [t("supscreen.col.mark")], rows

    def _show_helpers(self) -> None:
        report = self.report
        below = {h.staff_id for h in report.below}
        self.query_one(InfoLine).show(t(
            "supscreen.info", period=self.period_words(), helpers=len(report.helpers),
            threshold=report.rubric.threshold, below=len(below), flags=len(report.flags)))
        header, rows = self.helper_rows()
        styles = ["bold red" if h.staff_id in below else ("yellow" if h.flags else "")
                  for h in report.helpers]
        self._draw(HELPER_WIDTHS, header, rows, styles, self._cursor)

    def _show_grades(self) -> None:
        _, header, rows = self.sheets["grades"]
        self.query_one(InfoLine).show(t(
            "supscreen.info_grades", period=self.period_words(), grades=len(rows)))
        self._draw(GRADE_WIDTHS, header, rows, [""] * len(rows))

    def point_rows(self, helper) -> list[list[str]]:
        """``helper``'s points as the file lists them: what, student, rule,
        done/asked, earned/possible."""
        _, _, cells = self.sheets["points"]
        first = 0
        for h in self.report.helpers:
            if h.staff_id == helper.staff_id:
                break
            first += len(h.points)
        return [point_cells(row) for row in cells[first:first + len(helper.points)]]

    def _show_points(self, helper) -> None:
        from tui.report_supervision import figure

        score = "—" if helper.score is None else str(helper.score)
        info = t("supscreen.points_info", name=one_line(helper.name), score=score,
                 points=f"{figure(helper.earned)}/{figure(helper.possible)}",
                 adjustment=f"{helper.adjustment:+d}")
        if helper.note:
            info += f" · {one_line(helper.note)}"
        self.query_one(InfoLine).show(info)
        styles = ["red" if p.earned < 0 or (p.possible and not p.earned) else ""
                  for p in helper.points]
        self._draw(POINT_WIDTHS, [t(f"supscreen.col.{k}") for k in (
            "what", "student", "rule", "done", "points")], self.point_rows(helper), styles)

    def _show_flags(self) -> None:
        _, header, rows = self.sheets["flags"]
        self.query_one(InfoLine).show(t("supscreen.flags_info", period=self.period_words(),
                                        n=len(rows)))
        self._draw(FLAG_WIDTHS, header, rows, ["yellow"] * len(rows))

    def on_resize(self) -> None:
        self.show()

    # -- the keys ---------------------------------------------------------------------------
    def check_action(self, action: str, parameters) -> bool | None:
        if action == "back" or self.report is None:
            return action == "back" or None
        listing = self.view == "list" and self.grouping == "helper"
        if action == "points":
            return listing and bool(self.report.helpers)
        if action == "adjust":
            return bool(self.report.month) and (listing or self.view == "points")
        if action == "month":
            return bool(self.report.month) and self.view != "points"
        if action == "export":
            return not self.busy
        return True

    def action_period(self) -> None:
        from db.supervision import PERIODS

        self.period = PERIODS[(PERIODS.index(self.period) + 1) % len(PERIODS)] \
            if self.period in PERIODS else PERIODS[0]
        self.month = ""
        self.view, self.helper, self._cursor = "list", None, 0
        self.load()

    def action_month(self, delta: int) -> None:
        from db.corrections import shift_month, this_month

        if self.report is None or not self.report.month:
            return
        month = shift_month(self.report.month, delta)
        if month > this_month():
            return
        self.period, self.month = "month", month
        self.view, self.helper = "list", None
        self.load()

    def action_grouping(self) -> None:
        self.grouping = GROUPINGS[(GROUPINGS.index(self.grouping) + 1) % len(GROUPINGS)]
        self.view, self.helper = "list", None
        self.show()
        self.refresh_bindings()

    def action_points(self) -> None:
        if self.report is None or self.view != "list" or self.grouping != "helper":
            return
        helpers = self.report.helpers
        if 0 <= self.table.cursor < len(helpers):
            self._cursor = self.table.cursor
            self.helper, self.view = helpers[self.table.cursor], "points"
            self.show()
            self.refresh_bindings()

    def action_flags(self) -> None:
        self.view = "list" if self.view == "flags" else "flags"
        self.helper = None
        self.show()
        self.refresh_bindings()

    def action_adjust(self) -> None:
        from screens.supervision_adjust import AdjustmentScreen

        if self.report is None or not self.report.month:
            return
        helper = self.helper
        if helper is None and self.view == "list":
            helpers = self.report.helpers
            helper = helpers[self.table.cursor] if 0 <= self.table.cursor < len(helpers) else None
        if helper is None:
            return
        self.app.push_screen(AdjustmentScreen(helper, self.report.month),
                             lambda saved: saved and self.load())

    def action_notice(self) -> None:
        from db.corrections import this_month
        from screens.corrections import CorrectionsScreen

        month = self.report.month if self.report is not None and self.report.month else ""
        self.app.push_screen(CorrectionsScreen(month or this_month()))

    def action_export(self) -> None:
        if self.report is None or self.busy:
            return
        from tui.exports import default_path

        report = self.report
        path = default_path(t("supscreen.file"), report.month or
                            f"{report.start:%Y%m%d}-{report.end:%Y%m%d}", suffix="xlsx")
        self.busy = True
        self.refresh_bindings()
        self.query_one(InfoLine).show(t("rscreen.writing", path=str(path)))
        self.write(report, path)

    @work(thread=True, exclusive=True, group="supervision-write", exit_on_error=False)
    def write(self, report, path) -> None:
        from db.supervision import record_export
        from tui.report_supervision import write_supervision

        try:
            written = write_supervision(report, "xlsx", path, self.rules)
        except OSError as exc:
            self.app.call_from_thread(self._written, None, failure(exc))
            return
        try:
            with connected():
                record_export(self.app.staff, report, "file")  # as bangfu report does
        except BaseException:
            written.unlink(missing_ok=True)  # no file leaves without its audit row
            raise
        self.app.call_from_thread(self._written, written, "")

    def _written(self, path, problem: str) -> None:
        self.busy = False
        if path is None:
            message = t("rscreen.write_failed", detail=problem)
            self.notify(message, severity="error", markup=False)
        else:
            message = t("rscreen.written", path=str(path))
            self.notify(message, markup=False, timeout=8)
        self.query_one(InfoLine).show(message)
        self.refresh_bindings()

    def others_wrote(self) -> None:
        if not self.busy and self.report is not None:
            self.load()

    def action_back(self) -> None:
        if self.view != "list":
            self.view, self.helper = "list", None
            self.show()
            self.refresh_bindings()
            return
        self.dismiss(None)
