"""A stage review of a case's plan (阶段评估): the date, a summary, each goal's
status as judged now (s on the goals list moves it on), up to three goals for
the next stage, and when the next review is due.  ctrl+s saves it all at once;
the form is kept as a local draft on every change, like the contact form.
Tab goes through it in reading order; the goals list takes no text, so a
letter typed there is refused with a bell and a line saying where to type."""

from __future__ import annotations

import datetime as dt

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Header, Input, TextArea

from db import clock
from db.store.connected import connected
from db.text import clean, one_line
from db.vocab import GOAL_STATUSES
from tui.i18n import failure, label, t
from tui.screen_base import BangfuScreen
from tui.widgets import DateInput, InfoLine, KeyFooter, PlainStatic, TableList

WIDTHS = [10, 12, 10, 30]  # horizon, status (as judged), due, goal
NEXT_GOALS = 3
DRAFT_FORM = "stage_review"


def line(value) -> str:
    return clean(str(value), multiline=False)


class GoalStatusList(TableList):
    """The goals as judged now: s moves the highlighted one on.  It takes no
    text: a key typed here (a word meant for the summary, Chinese from an input
    method, a paste) is refused out loud, never dropped unseen."""

    def on_key(self, event) -> None:
        if not event.is_printable:
            return
        bound = self.screen.active_bindings.get(event.key)
        if bound is not None and bound.enabled:
            return  # s: the status
        event.stop()
        event.prevent_default()
        self.screen.refuse_typing()

    def on_paste(self, event) -> None:
        event.stop()
        self.screen.refuse_typing()


class StageReviewScreen(BangfuScreen[bool]):
    BINDINGS = [
        Binding("ctrl+s", "save", "key.save", id="save"),
        Binding("s", "status", "key.goal_status", id="review_status"),
        Binding("escape", "cancel", "key.back", id="cancel"),
    ]

    def __init__(self, case_id: int, student_name: str, draft=None):
        super().__init__()
        from db.contacts import new_uuid

        self.case_id = case_id
        self.student_name = student_name
        self.draft = draft  # db.store.local.Draft to restore
        self.uuid = draft.key if draft is not None else new_uuid()
        self.goals: list = []
        self.statuses: dict[int, str] = {}  # goal id -> status as judged now
        self.saving = False
        self._ready = False
        self._start: dict = {}
        self._refused = False  # the refusal line is showing (a focus change clears it)

    def compose(self) -> ComposeResult:
        yield Header()
        yield InfoLine(id="review-info", classes="info")
        with VerticalScroll(id="form"):
            with Horizontal(classes="row"):
                yield PlainStatic(t("stage.date"), classes="label")
                yield DateInput(f"{clock.today():%Y-%m-%d}", placeholder=t("form.date.placeholder"),
                                id="review-date", compact=True)
            with Horizontal(classes="row-tall"):
                yield PlainStatic(t("stage.summary"), classes="label")
                yield TextArea(id="review-summary", soft_wrap=True, tab_behavior="focus",
                               compact=True)
            yield PlainStatic(t("stage.goals_hint"), classes="label-wide")
            yield PlainStatic("", id="review-goals-header", classes="table-header")
            yield GoalStatusList(WIDTHS, id="review-goals")
            yield PlainStatic(t("stage.next_goals"), classes="label-wide")
            for n in range(1, NEXT_GOALS + 1):
                with Horizontal(classes="row"):
                    yield PlainStatic(t("stage.next_goal", n=n), classes="label")
                    yield Input(id=f"next-goal-{n}", compact=True, classes="next-goal")
                    yield PlainStatic(t("goal.due"), classes="label-short")
                    yield DateInput(placeholder=t("stage.due_placeholder"), id=f"next-due-{n}",
                                    compact=True, classes="next-due")
            with Horizontal(classes="row"):
                yield PlainStatic(t("stage.next_review"), classes="label")
                yield DateInput(id="review-next", compact=True)
        yield PlainStatic("", id="review-error", classes="error-status")
        yield KeyFooter()

    @property
    def table(self) -> TableList:
        return self.query_one("#review-goals", TableList)

    def on_mount(self) -> None:
        self.title = t("stage.title")
        self.query_one(InfoLine).show(t("stage.info", name=one_line(self.student_name)))
        self.query_one("#review-summary").focus()
        self.load()

    @work(thread=True, exclusive=True, group="review-goals", exit_on_error=False)
    def load(self) -> None:
        from db.plan import goals
        from db.workflow import load_review_days

        with connected():
            rows = goals(self.case_id)
            days = load_review_days()
        self.app.call_from_thread(self._loaded, rows, days)

    def _loaded(self, rows, days: int) -> None:
        self.query_one("#review-next", Input).placeholder = t(
            "stage.next_placeholder", date=f"{clock.today() + dt.timedelta(days=days):%Y-%m-%d}")
        self.goals = rows
        self.statuses = {g.id: g.status for g in rows}
        if self.draft is not None:
            self._restore(self.draft.values)
        self._start = self.values()
        if self.draft is not None:
            self._start = {}  # a restored draft counts as unsaved
        self._show_goals()
        self._ready = True
        self.refresh_bindings()

    def _show_goals(self) -> None:
        table = self.table
        self.query_one("#review-goals-header", PlainStatic).update(table.line(
            [t("goal.col.horizon"), t("goal.col.status"), t("goal.col.due"), t("goal.col.text")],
            table.size.width or self.app.size.width))
        table.set_rows([[label("horizon", g.horizon),
                         label("goal_status", self.statuses.get(g.id, g.status))
                         + (" *" if self.statuses.get(g.id, g.status) != g.status else ""),
                         f"{g.due_date:%Y-%m-%d}" if g.due_date else "—", one_line(g.text)]
                        for g in self.goals] or [["", "", "", t("case.no_goals")]])
        table.styles.height = max(1, min(4, len(self.goals)))

    # -- values and the draft ------------------------------------------------------
    def values(self) -> dict:
        return {
            "date": self.query_one("#review-date", Input).value,
            "summary": self.query_one("#review-summary", TextArea).text,
            "statuses": {str(k): v for k, v in self.statuses.items()},
            "goals": [[self.query_one(f"#next-goal-{n}", Input).value,
                       self.query_one(f"#next-due-{n}", Input).value]
                      for n in range(1, NEXT_GOALS + 1)],
            "next": self.query_one("#review-next", Input).value,
        }

    def _restore(self, values: dict) -> None:
        # a draft (a local file) as any text from outside: without control characters
        self.query_one("#review-date", Input).value = line(values.get("date", ""))
        summary = clean(str(values.get("summary", "")))
        self.query_one("#review-summary", TextArea).load_text(summary)
        for key, status in (values.get("statuses") or {}).items():
            if key.isdigit() and int(key) in self.statuses and status in GOAL_STATUSES:
                self.statuses[int(key)] = status
        for n, pair in enumerate((values.get("goals") or [])[:NEXT_GOALS], 1):
            if isinstance(pair, list) and len(pair) == 2:
                self.query_one(f"#next-goal-{n}", Input).value = line(pair[0])
                self.query_one(f"#next-due-{n}", Input).value = line(pair[1])
        self.query_one("#review-next", Input).value = line(values.get("next", ""))

    @property
    def dirty(self) -> bool:
        return self.values() != self._start

    def keep_draft(self) -> None:
        if not self._ready or self.app.staff is None or self.saving:
            return
        from db.store.local import save_draft

        if not self.dirty and self.draft is None:
            return
        try:
            save_draft(self.app.db_path, self.app.staff.id, DRAFT_FORM, self.uuid,
                       self.student_name,
                       {"case_id": self.case_id, "name": self.student_name, **self.values()})
        except OSError:
            pass

    def drop_draft(self) -> None:
        from db.store.local import discard_draft

        try:
            discard_draft(self.app.db_path, self.app.staff.id, DRAFT_FORM, self.uuid)
        except OSError:
            pass
        self.draft = None

    def on_input_changed(self, event: Input.Changed) -> None:
        self.keep_draft()

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self.keep_draft()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    # -- goals' status -----------------------------------------------------------
    def check_action(self, action: str, parameters) -> bool | None:
        if action == "status":
            return bool(self.goals) and self.focused is self.table
        return True

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()
        if self._refused and self.focused is not self.table:
            self._refused = False
            self.query_one("#review-error", PlainStatic).update("")

    def refuse_typing(self) -> None:
        """Text typed into the goals list: a bell, and where text goes instead."""
        self.app.bell()
        self._refused = True
        self.query_one("#review-error", PlainStatic).update(t("stage.goals_take_no_text"))

    def action_status(self) -> None:
        if not self.goals:
            return
        goal = self.goals[self.table.cursor]
        current = self.statuses.get(goal.id, goal.status)
        i = GOAL_STATUSES.index(current) if current in GOAL_STATUSES else -1
        self.statuses[goal.id] = GOAL_STATUSES[(i + 1) % len(GOAL_STATUSES)]
        cursor = self.table.cursor
        self._show_goals()
        self.table.cursor = cursor
        self.keep_draft()

    # -- saving ------------------------------------------------------------------
    def action_save(self) -> None:
        if self.saving or not self._ready:
            return
        self.saving = True
        self.query_one("#review-error", PlainStatic).update(t("edit.saving"))
        self.save(self.values())

    @work(thread=True, exclusive=True, group="review-save", exit_on_error=False)
    def save(self, values: dict) -> None:
        from db.reviews import NextGoal, ReviewValidationError, save_review

        try:
            with connected():
                save_review(self.app.staff, self.case_id, uuid=self.uuid,
                            review_date=values["date"], summary=values["summary"],
                            statuses=dict(self.statuses),
                            next_goals=[NextGoal(text, due) for text, due in values["goals"]],
                            next_review=values["next"])
        except ReviewValidationError as exc:
            field, key = next(iter(exc.errors.items()))
            self.app.call_from_thread(self._invalid, field, key)
        except Exception as exc:  # noqa: BLE001 - the form keeps everything; shown in one line
            self.app.call_from_thread(self._failed, t("form.save_failed",
                                                      detail=failure(exc)))
        else:
            self.app.call_from_thread(self._saved)

    FIELDS = {"date": ("stage.date", "#review-date"),
              "summary": ("stage.summary", "#review-summary"),
              "next": ("stage.next_review", "#review-next"),
              "goals": ("stage.goals", "#review-goals")}

    def _invalid(self, field: str, key: str) -> None:
        if field.startswith("goal") and "." in field:  # goal2.due -> the second next goal
            n, name = field[4:].split(".", 1)
            caption = t("stage.next_goal", n=n)
            target = f"#next-due-{n}" if name == "due" else f"#next-goal-{n}"
        else:
            caption_key, target = self.FIELDS.get(field, ("stage.summary", "#review-summary"))
            caption = t(caption_key)
        self._failed(f"{caption}{t('common.colon')}{t(key)}")
        self.query_one(target).focus()

    def _failed(self, message: str) -> None:
        self.saving = False
        error = self.query_one("#review-error", PlainStatic)
        error.update(message)

    def _saved(self) -> None:
        self.saving = False
        self.drop_draft()
        self.dismiss(True)

    def action_cancel(self) -> None:
        from screens.confirm import leave_form

        # a restored draft is never dropped without asking, loaded or not
        leave_form(self, self.draft is None and (not self._ready or not self.dirty),
                   self.drop_draft)
