"""A case's plan (一生一策): its goals.  In the list: s moves the highlighted
goal's status on (open, met, partly met, not met, dropped); a opens the line
below to add one: horizon by letter (s short, l long), the goal, how it is
measured, the due date; ctrl+s adds it."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Header, Input

from db.store.connected import connected
from db.text import one_line
from db.vocab import GOAL_STATUSES
from tui.i18n import label, t
from tui.screen_base import BangfuScreen
from tui.widgets import DateInput, InfoLine, KeyFooter, LetterChoice, PlainStatic, TableList

WIDTHS = [10, 12, 10, 30]  # horizon, status, due, goal (and measure)
HORIZON_KEYS = {"s": "short", "l": "long"}


class GoalsScreen(BangfuScreen[bool]):
    BINDINGS = [
        Binding("a", "add", "key.goal_add", id="goal_add"),
        Binding("s", "status", "key.goal_status", id="goal_status"),
        Binding("ctrl+s", "save", "key.save", id="goal_save"),
        Binding("escape", "back", "key.back", id="back"),
    ]

    def __init__(self, case_id: int, student_name: str):
        super().__init__()
        self.case_id = case_id
        self.student_name = student_name
        self.rows: list = []
        self.changed = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield InfoLine(id="goals-info", classes="info")
        yield PlainStatic("", id="goals-header", classes="table-header")
        yield TableList(WIDTHS, id="goals-table")
        with Vertical(id="goal-form"):
            with Horizontal(classes="row"):
                yield PlainStatic(t("goal.horizon"), classes="label")
                yield LetterChoice(HORIZON_KEYS, "horizon", "short", id="goal-horizon")
            with Horizontal(classes="row"):
                yield PlainStatic(t("goal.text"), classes="label")
                yield Input(id="goal-text", compact=True)
            with Horizontal(classes="row"):
                yield PlainStatic(t("goal.measure"), classes="label")
                yield Input(id="goal-measure", compact=True)
            with Horizontal(classes="row"):
                yield PlainStatic(t("goal.due"), classes="label")
                yield DateInput(placeholder=t("form.date.placeholder"), id="goal-due", compact=True)
            yield PlainStatic("", id="goal-error", classes="error-status")
        yield KeyFooter()

    @property
    def table(self) -> TableList:
        return self.query_one(TableList)

    @property
    def adding(self) -> bool:
        return self.query_one("#goal-form").display

    def on_mount(self) -> None:
        self.title = t("goal.title")
        self.query_one("#goal-form").display = False
        self.table.focus()
        self.load()

    @work(thread=True, exclusive=True, group="goals", exit_on_error=False)
    def load(self) -> None:
        from db.plan import goals

        with connected():
            rows = goals(self.case_id)
        self.app.call_from_thread(self._loaded, rows)

    def _loaded(self, rows) -> None:
        self.rows = rows
        self.query_one(InfoLine).show(t("goal.info", name=one_line(self.student_name), n=len(rows)))
        table = self.table
        self.query_one("#goals-header", PlainStatic).update(table.line(
            [t("goal.col.horizon"), t("goal.col.status"), t("goal.col.due"), t("goal.col.text")],
            table.size.width or self.app.size.width))
        table.set_rows([[label("horizon", g.horizon), label("goal_status", g.status),
                         f"{g.due_date:%Y-%m-%d}" if g.due_date else "—",
                         one_line(g.text) + (f" · {one_line(g.measure)}" if g.measure else "")]
                        for g in rows])
        self.refresh_bindings()

    def check_action(self, action: str, parameters) -> bool | None:
        if action == "status":
            return not self.adding and bool(self.rows) and self.focused is self.table
        if action == "add":
            return not self.adding and self.focused is self.table
        if action == "save":
            return self.adding
        return True

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()

    def action_add(self) -> None:
        self.query_one("#goal-form").display = True
        for name in ("goal-text", "goal-measure", "goal-due"):
            self.query_one(f"#{name}", Input).value = ""
        self.query_one("#goal-error", PlainStatic).update("")
        self.query_one("#goal-horizon").focus()
        self.refresh_bindings()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    def action_save(self) -> None:
        if not self.adding:
            return
        self.save_goal(self.query_one("#goal-horizon", LetterChoice).value,
                       self.query_one("#goal-text", Input).value,
                       self.query_one("#goal-measure", Input).value,
                       self.query_one("#goal-due", Input).value)

    @work(thread=True, exclusive=True, group="goal-save", exit_on_error=False)
    def save_goal(self, horizon: str, text: str, measure: str, due: str) -> None:
        from db.plan import GoalValidationError, add_goal

        try:
            with connected():
                add_goal(self.app.staff, self.case_id, horizon, text, measure, due)
        except GoalValidationError as exc:
            field, key = next(iter(exc.errors.items()))
            self.app.call_from_thread(self._invalid, field, key)
            return
        self.app.call_from_thread(self._added)

    def _invalid(self, field: str, key: str) -> None:
        self.query_one("#goal-error", PlainStatic).update(
            f"{t('goal.' + field) if field in ('text', 'measure', 'due', 'horizon') else field}"
            f"{t('common.colon')}{t(key)}")
        target = {"text": "#goal-text", "measure": "#goal-measure", "due": "#goal-due"}.get(field)
        if target:
            self.query_one(target).focus()

    def _added(self) -> None:
        self.changed = True
        self.query_one("#goal-form").display = False
        self.table.focus()
        self.load()

    def action_status(self) -> None:
        if not self.rows:
            return
        goal = self.rows[self.table.cursor]
        i = GOAL_STATUSES.index(goal.status) if goal.status in GOAL_STATUSES else -1
        self.set_status(goal.id, GOAL_STATUSES[(i + 1) % len(GOAL_STATUSES)])

    @work(thread=True, exclusive=True, group="goal-save", exit_on_error=False)
    def set_status(self, goal_id: int, status: str) -> None:
        from db.plan import set_goal_status

        with connected():
            set_goal_status(self.app.staff, goal_id, status)
        self.changed = True
        self.app.call_from_thread(self.load)

    def action_back(self) -> None:
        if self.adding:
            self.query_one("#goal-form").display = False
            self.table.focus()
            self.refresh_bindings()
            return
        self.dismiss(self.changed)
