"""The leaders' overview: per class or per staff member, the share of open cases
that met each rule this week / month / term, and the cases with something
overdue, over the students the person signed in may open (the title says so
when that is not the whole school).  Enter drills down (group -> its cases ->
a case); esc goes back up; u opens the school's rules (screens/rules.py), and
a change recounts; t the figures reported up to the town (screens/rollup.py).
The roster's F-keys work here too (screens/navigation.py):
F5 class scores, F11 the intake pass … leave the overview for that screen."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Header

from db import clock
from db.store.connected import connected
from db.overview import GROUPINGS, PERIODS, Overview
from db.text import one_line
from screens.navigation import GoTo, go_bindings
from tui.i18n import due_label, t
from tui.screen_base import BangfuScreen
from tui.widgets import InfoLine, KeyFooter, PlainStatic, TableList

GROUP_WIDTHS = [16, 6, 9, 9, 11, 8]  # name, cases, one per rule (3), overdue
CASE_WIDTHS = [10, 12, 10, 20]  # student, class, worst, overdue items


def rule_label(rule) -> str:
    """A rule's short column name (a school's own rule: what it counts)."""
    key = f"overview.rule.{rule.code}"
    return t(key) if t(key) != key else due_label(rule.code, (rule,))


def percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "—"


class OverviewScreen(GoTo, BangfuScreen):
    BINDINGS = [
        Binding("enter", "drill", "key.drill", id="drill"),
        Binding("p", "period", "key.period", id="period"),
        Binding("g", "grouping", "key.grouping", id="grouping"),
        Binding("u", "rules", "key.rules", id="rules"),
        Binding("r", "report", "key.report", id="report"),
        Binding("s", "oversight", "key.oversight", id="oversight"),
        Binding("t", "rollup", "key.rollup", id="rollup", show=False),  # F1 and ctrl+p: the footer is full
        Binding("escape", "back", "key.back", id="back"),
        *go_bindings(),  # F2, F3–F12 as on the roster
    ]

    def __init__(self, data: Overview | None = None):
        super().__init__()
        self.period = data.period if data else "week"
        self.grouping = data.grouping if data else "class"
        self.data: Overview | None = data  # counted before the screen opens, if given
        self.group = None  # the GroupRow drilled into, or None at the top level
        self._cases: list[int] = []  # the drilled-into group's case ids, as listed
        self._group_cursor = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield InfoLine(id="overview-info", classes="info")
        yield PlainStatic("", id="overview-header", classes="table-header")
        yield TableList(GROUP_WIDTHS, id="overview-table")
        yield KeyFooter()

    @property
    def table(self) -> TableList:
        return self.query_one(TableList)

    def on_mount(self) -> None:
        self.title = t("overview.title")
        self.table.focus()
        if self.data is not None:
            self.show()
            return
        self.query_one(InfoLine).show(t("overview.loading"))
        self.load()

    @work(thread=True, exclusive=True, group="overview", exit_on_error=False)
    def load(self) -> None:
        from db.overview import overview

        with connected():
            data = overview(clock.today(), self.period, self.grouping, reader=self.app.staff)
        self.app.call_from_thread(self._loaded, data)

    def _loaded(self, data: Overview) -> None:
        self.data = data
        if self.group is not None:  # keep the drill-down on a reload
            self.group = next((g for g in data.groups if g.key == self.group.key), None)
        self.show()

    def show(self) -> None:
        data = self.data
        if data is None:
            return
        # counted over the students this reader may open only (db.overview)
        self.title = t("overview.title_limited" if data.limited else "overview.title")
        rules = list(data.rules)[:3]
        info = self.query_one(InfoLine)
        header = self.query_one("#overview-header", PlainStatic)
        table = self.table
        since = f"{data.since:%m-%d}"
        if self.group is None:
            table.widths = GROUP_WIDTHS
            info.show(t("overview.info", period=t(f"overview.period.{data.period}", since=since),
                        grouping=t(f"overview.by.{data.grouping}"),
                        cases=len(data.total.cases), overdue=data.total.overdue))
            names = [t(f"overview.col.{data.grouping}"), t("overview.col.cases"),
                     *[rule_label(rule) for rule in rules], t("overview.col.overdue")]
            header.update(table.line(names, table.size.width or self.app.size.width))
            rows, styles = [], []
            for group in [data.total, *data.groups]:
                n = len(group.cases)
                name = t("overview.all") if group is data.total else one_line(group.name)
                rows.append([name, str(n), *[percent(group.met.get(r.code, 0), group.of(r.code))
                                             for r in rules],
                             str(group.overdue)])
                styles.append("bold" if group is data.total else
                              ("red" if n and group.overdue / n >= 0.5 else ""))
            table.set_rows(rows, styles)
            table.cursor = min(self._group_cursor, max(0, len(rows) - 1))
            return
        group = self.group
        table.widths = CASE_WIDTHS
        info.show(t("overview.group_info", name=one_line(group.name) or t("overview.all"),
                    cases=len(group.cases), overdue=group.overdue))
        header.update(table.line([t("overview.col.student"), t("overview.col.class"),
                                  t("overview.col.worst"), t("overview.col.items")],
                                 table.size.width or self.app.size.width))
        today = clock.today()
        cases = sorted(group.cases, key=lambda cid: (
            min((i.due for i in data.overdue.get(cid, ())), default=today), data.cases[cid].name))
        rows, styles = [], []
        for cid in cases:
            case = data.cases[cid]
            items = data.overdue.get(cid, [])
            worst = max(((today - i.due).days for i in items), default=0)
            rows.append([one_line(case.name), one_line(case.class_name),
                         t("caseload.late", n=worst) if items else t("overview.ok"),
                         t("common.list_sep").join(dict.fromkeys(due_label(i.what, data.rules)
                                                                 for i in items))])
            styles.append("red" if items else "")
        self._cases = cases
        table.set_rows(rows, styles)
        table.cursor = 0

    def on_resize(self) -> None:
        self.show()

    def action_drill(self) -> None:
        data = self.data
        if data is None or not self.table.rows:
            return
        if self.group is None:
            self._group_cursor = self.table.cursor
            groups = [data.total, *data.groups]
            self.group = groups[self.table.cursor]
            self.show()
            return
        case = self.data.cases[self._cases[self.table.cursor]]
        self.app.open_case(self, case.student_id)


    def action_period(self) -> None:
        self.period = PERIODS[(PERIODS.index(self.period) + 1) % len(PERIODS)]
        self.load()

    def action_grouping(self) -> None:
        self.grouping = GROUPINGS[(GROUPINGS.index(self.grouping) + 1) % len(GROUPINGS)]
        self.group = None
        self._group_cursor = 0
        self.load()

    def action_back(self) -> None:
        if self.group is not None:
            self.group = None
            self.show()
            return
        self.dismiss()

    def action_report(self) -> None:
        from screens.report import ReportScreen

        self.app.push_screen(ReportScreen())

    def action_rollup(self) -> None:
        """This school's weekly or half-monthly figures for the town (周报、半月报)."""
        from screens.rollup import RollupScreen

        self.app.push_screen(RollupScreen())

    def action_oversight(self) -> None:
        """Supervision, the month's notice, referrals, transformations (督导与转介)."""
        from screens.oversight import OversightScreen

        self.app.push_screen(OversightScreen())

    def action_rules(self) -> None:
        """The school's rules; a change recounts the overview."""
        from screens.rules import RulesScreen

        def closed(changed: bool | None) -> None:
            if changed:
                self.load()

        if self.app.allowed("manage"):
            self.app.push_screen(RulesScreen(), closed)

    def check_action(self, action: str, parameters) -> bool | None:
        allowed = self.go_allowed(action, parameters)
        return True if allowed is None else allowed

    def others_wrote(self) -> None:
        self.load()
