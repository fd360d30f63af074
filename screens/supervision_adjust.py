"""A coordinator's adjustment to a helper's supervision score for a month,
and its note (督导赋分: 加减分与说明).

The helper's score and points are shown; the adjustment is a whole number of
points from -100 to 100 (0 takes it away), the note says why.  ctrl+s saves
(``db.supervision.set_adjustment``, audited; refused when someone changed it
since the screen was counted); esc leaves (asking first when something was
typed).  Dismissed with True when saved.
"""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Header, Input

from db.store.connected import connected
from db.text import one_line
from tui.i18n import t
from tui.screen_base import BangfuScreen
from tui.widgets import KeyFooter, PlainStatic


class AdjustmentScreen(BangfuScreen[bool]):
    DEFAULT_CSS = """
    #adjform { height: 1fr; padding: 0 1; }
    #adjform .row { height: auto; }
    #adjform Input { width: 1fr; background: $boost; }
    #adjform Input:focus { background: $accent 30%; }
    #adjform Input.short { width: 10; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "key.save", id="adjust_save"),
        Binding("escape", "cancel", "key.back", id="adjust_cancel"),
    ]

    def __init__(self, helper, month: str):
        """``helper``: a db.supervision.HelperRow of ``month``'s report."""
        super().__init__()
        self.helper = helper
        self.month = month
        self.saved = False
        self._snapshot: dict = {}

    def compose(self) -> ComposeResult:
        helper = self.helper
        yield Header()
        with VerticalScroll(id="adjform"):
            yield PlainStatic(t("supscreen.adjust.for", name=one_line(helper.name),
                                month=self.month), classes="label-wide")
            yield PlainStatic(t("supscreen.adjust.now", score="—" if helper.score is None
                                else str(helper.score), earned=f"{helper.earned:g}",
                                possible=f"{helper.possible:g}"))
            yield Horizontal(PlainStatic(t("supscreen.adjust.points"), classes="label"),
                             Input(str(helper.adjustment), id="adjustment", compact=True,
                                   max_length=4, classes="short",
                                   placeholder=t("supscreen.adjust.points.placeholder")),
                             classes="row")
            yield Horizontal(PlainStatic(t("supscreen.adjust.note"), classes="label"),
                             Input(one_line(helper.note), id="note", compact=True,
                                   max_length=500,
                                   placeholder=t("supscreen.adjust.note.placeholder")),
                             classes="row")
            yield PlainStatic(t("supscreen.adjust.hint"), classes="hint")
        yield PlainStatic("", id="adjust-error", classes="error-status")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.title = t("supscreen.adjust.title")
        self.query_one("#adjustment", Input).focus()
        self._snapshot = self.values()

    def values(self) -> dict:
        return {name: self.query_one(f"#{name}", Input).value for name in ("adjustment", "note")}

    @property
    def dirty(self) -> bool:
        return self.is_mounted and self.values() != self._snapshot

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "note":
            self.action_save()
        else:
            self.focus_next()

    def _error(self, text: str, field: str = "") -> None:
        self.query_one("#adjust-error", PlainStatic).update(text)
        if field:
            self.query_one(f"#{field}").focus()

    def action_save(self) -> None:
        from screens.supervision import supervision_error

        values = self.values()
        text = values["adjustment"].strip().replace("＋", "+").replace("－", "-")
        try:
            points = int(text or "0")
        except ValueError:
            self._error(supervision_error("adjustment"), "adjustment")
            return
        self._error("")
        self.save(points, values["note"])

    @work(thread=True, exclusive=True, group="adjust-save", exit_on_error=False)
    def save(self, points: int, note: str) -> None:
        from db.access import NotAllowed
        from db.supervision import SupervisionError, set_adjustment
        from screens.supervision import supervision_error

        call = self.app.call_from_thread
        try:
            with connected():
                set_adjustment(self.app.staff, self.helper.staff_id, self.month, points, note,
                               version=self.helper.note_version)
        except SupervisionError as exc:
            field = exc.code if exc.code in ("adjustment", "note") else ""
            call(self._error, supervision_error(exc.code), field)
            return
        except NotAllowed as exc:
            call(self._error, t(f"err.access.{exc.code}"))
            return
        self.saved = True
        call(self.app.notify, t("corr.saved"), timeout=2, markup=False)
        call(self.dismiss, True)

    def action_cancel(self) -> None:
        from screens.confirm import leave_form

        leave_form(self, not self.dirty, lambda: None, self.saved)
