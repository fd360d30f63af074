"""Reporting up (周报、半月报): this school's figures for the town, for a week
or a half-month (``db.rollup``), counts only; reached from the overview (t).

w switches between the week and the half-month; [ and ] go to the period
before or after (not past the one going on); e writes the .xlsx for the
town (the same file as ``bangfu report rollup --format xlsx``) into the
exports folder.  Counting and writing run in workers; the screen stays usable.
"""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Header, Static

from db import clock
from db.store.connected import connected
from db.text import one_line
from tui.i18n import t
from tui.rollup_screen import RollupPeriods, period_bindings
from tui.screen_base import BangfuScreen
from tui.widgets import InfoLine, KeyFooter, fit

LABEL_WIDTH = 26


def rollup_text(figures) -> Text:
    """The figures as lines "label  value", short enough for 80x24 (the file has all)."""
    from tui.report_rollup import screen_lines, title
    from db.rollup import combine

    rollup = combine([figures])
    text = Text()
    text.append(title(rollup) + "\n", style="bold")
    text.append(t("rollup.period_line", as_of=figures.as_of.isoformat(), n=1) + " · "
                + one_line(figures.school) + "\n\n", style="dim")
    for name, value in screen_lines(figures):
        text.append(fit(one_line(name), LABEL_WIDTH) + " ", style="bold")
        text.append(value + "\n")
    return text


class RollupScreen(RollupPeriods, BangfuScreen[None]):
    BINDINGS = [
        *period_bindings("rollup"),
        Binding("escape", "back", "key.back", id="back"),
    ]

    def __init__(self, kind: str = "week"):
        super().__init__()
        self.start_period(kind)
        self.figures = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield InfoLine(id="rollup-info", classes="info")
        with VerticalScroll(id="rollup-body"):
            yield Static("", id="rollup-text", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.title = t("rollscreen.title")
        self.query_one(VerticalScroll).focus()
        self.load()

    def school(self) -> str:
        from db.rollup_figures import name_of_database

        return name_of_database(getattr(self.app.settings, "db_path", ""))

    # -- counting --------------------------------------------------------------------------
    def load(self) -> None:
        self.busy = True
        self.refresh_bindings()
        self.query_one(InfoLine).show(t("rollscreen.counting"))
        self.count(self.kind, self.start, self.school())

    @work(thread=True, exclusive=True, group="rollup", exit_on_error=False)
    def count(self, kind: str, start: dt.date, fallback: str) -> None:
        from db.access import can
        from db.rollup import RollupError
        from db.rollup_figures import school_figures, school_name

        if not can(self.app.staff, "manage"):
            self.app.call_from_thread(self._failed, t("err.access.manage"))
            return
        try:
            with connected():
                figures = school_figures(clock.today(), kind, day=start,
                                         school=school_name(fallback))
        except RollupError as exc:
            self.app.call_from_thread(self._failed, t(exc.key, **exc.details))
            return
        self.app.call_from_thread(self._counted, figures)

    def _failed(self, message: str) -> None:
        self.busy = False
        self.figures = None
        self.query_one(InfoLine).show(message)
        self.query_one("#rollup-text", Static).update("")
        self.refresh_bindings()

    def _counted(self, figures) -> None:
        self.figures = figures
        self.busy = False
        self.query_one(InfoLine).show(t("rollscreen.hint"))
        self.query_one("#rollup-text", Static).update(rollup_text(figures))
        self.refresh_bindings()

    def rollup_to_write(self):
        from db.rollup import combine

        return None if self.figures is None else combine([self.figures])

    def action_back(self) -> None:
        self.dismiss(None)
