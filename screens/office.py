"""A town's or a county's office (镇专项小组, 县办公室) on a district server: its
schools' figures for a week or a half-month, per school and in total, and by
village (属地); counts only (``db.district_view``).  No sign-in: the office's
database role is all it has, and the server gives it nothing but the figures.

w switches between the week and the half-month, [ and ] go to the period before
or after, v shows the villages or the schools, e writes the .xlsx (the same file
as ``bangfu district view -o``).  Reading runs in a worker.
"""

from __future__ import annotations

import datetime as dt

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Header

from db.rollup import period_bounds
from db.store.connected import connected
from db.text import one_line
from tui.i18n import failure, t
from tui.rollup_screen import RollupPeriods, period_bindings
from tui.screen_base import BangfuScreen
from tui.widgets import InfoLine, KeyFooter, PlainStatic, TableList

SCHOOL_WIDTHS = [16, 8, 8, 6, 6, 7, 7, 6, 5]
VILLAGE_WIDTHS = [32, 10, 9, 9]


def percent(value: float | None) -> str:
    return "–" if value is None else f"{round(100 * value)}%"


def school_rows(rollup) -> list[list[str]]:
    rows = [(f.school, f) for f in rollup.schools]
    if len(rollup.schools) > 1:
        rows.append((t("rollup.total"), rollup.total))
    return [[one_line(name), str(f.students), str(f.in_programme), percent(f.programme_share),
             str(f.cases_open), str(f.overdue_cases), str(f.entries),
             "–" if f.mean_score is None else f"{f.mean_score:.0f}", str(f.below_threshold)]
            for name, f in rows]


def village_rows(rollup) -> list[list[str]]:
    from tui.report_rollup import village_name

    many = len(rollup.schools) > 1
    return [[one_line(village_name(v.school, v.village, many)), str(v.open_cases),
             str(v.helpers), str(v.contacts)] for v in rollup.total.villages]


class OfficeScreen(RollupPeriods, BangfuScreen[None]):
    BINDINGS = period_bindings(
        "office", Binding("v", "villages", "key.office_villages", id="office_villages"))

    def __init__(self, kind: str = "week"):
        super().__init__()
        self.start_period(kind)
        self.view = None
        self.villages = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield InfoLine(id="office-info", classes="info")
        yield PlainStatic("", id="office-header", classes="table-header")
        yield TableList(SCHOOL_WIDTHS, id="office-table")
        yield KeyFooter()

    @property
    def table(self) -> TableList:
        return self.query_one(TableList)

    def on_mount(self) -> None:
        self.title = t("office.title")
        self.table.focus()
        self.load()

    def load(self) -> None:
        self.busy = True
        self.refresh_bindings()
        self.query_one(InfoLine).show(t("office.reading"))
        self.read(self.kind, self.start)

    @work(thread=True, exclusive=True, group="office", exit_on_error=False)
    def read(self, kind: str, start: dt.date) -> None:
        from db.district_view import office_view
        from db.models import database
        from db.rollup import RollupError

        try:
            with connected():
                view = office_view(database.obj, kind, start)
        except RollupError as exc:
            self.app.call_from_thread(self._shown, None, t(exc.key, **exc.details))
            return
        except Exception as exc:  # noqa: BLE001 - the server could not be read: said on screen
            self.app.call_from_thread(self._shown, None, failure(exc))
            return
        self.app.call_from_thread(self._shown, view, "")

    def _shown(self, view, problem: str) -> None:
        self.view, self.busy = view, False
        self.refresh_bindings()
        self.draw()
        if problem:
            self.query_one(InfoLine).show(problem)

    def period_text(self) -> str:
        end = period_bounds(self.kind, self.start)[1]
        return t(f"office.period.{self.kind.replace('-', '_')}", start=self.start.isoformat(),
                 end=end.isoformat())

    def draw(self) -> None:
        view = self.view
        info = [self.period_text()]
        rows: list[list[str]] = []
        if view is not None and view.rollup is not None:
            rows = village_rows(view.rollup) if self.villages else school_rows(view.rollup)
            info.append(t("office.as_of", when=f"{view.made_at:%m-%d %H:%M}")
                        if view.made_at else "")
        if view is not None and view.missing:
            info.append(t("office.missing", n=len(view.missing),
                          names=t("common.list_sep").join(one_line(n) for n in view.missing)))
        if view is not None and view.rollup is None:
            info.append(t("office.nothing"))
        self.query_one(InfoLine).show(" · ".join(p for p in info if p))
        table = self.table
        table.widths = VILLAGE_WIDTHS if self.villages else SCHOOL_WIDTHS
        keys = (("village", "open_cases", "helpers", "entries") if self.villages else
                ("school", "students", "in_programme", "share", "open", "overdue", "entries",
                 "score", "below"))
        header = [t(f"office.col.{k}") for k in keys]
        self.query_one("#office-header", PlainStatic).update(
            table.line(header, table.size.width or self.app.size.width))
        table.set_rows(rows)

    def rollup_to_write(self):
        return None if self.view is None else self.view.rollup

    def action_villages(self) -> None:
        self.villages = not self.villages
        self.draw()
