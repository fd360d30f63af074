"""A month's notice and its correction items (通报、整改).

For administrators and coordinators ("supervise"): the month's correction
items, and the helpers whose supervision score is below the school's
threshold with no item yet (the notice, ``db.corrections.notice``).  Everyone
else sees their own items.  [ and ] go to the previous or next month, a adds
an item for a helper (the form), i issues the month's notice (one item for
each helper below the threshold without one, after y), d marks the
highlighted item done (after y), Enter opens it (or, on a helper without an
item, the form for one); esc goes back.
"""

from __future__ import annotations

import datetime as dt

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Header

from db import clock
from db.store.connected import connected
from db.text import one_line
from screens.confirm import ConfirmScreen
from tui.i18n import t
from tui.screen_base import BangfuScreen
from tui.widgets import InfoLine, KeyFooter, PlainStatic, TableList

WIDTHS = [5, 7, 10, 11, 5, 38]  # No., month, helper, status, due, what
NOTICE_DAYS = 14  # the items a notice issues are due in two weeks


def correction_status(row, today: dt.date) -> str:
    """"open", "overdue", "done 11-25" in words."""
    if row.done_on is not None:
        return t("corr.status.done", date=f"{row.done_on:%m-%d}")
    return t("corr.status.overdue" if row.due_on < today else "corr.status.open")


class CorrectionsScreen(BangfuScreen[bool]):
    BINDINGS = [
        Binding("enter", "open", "key.corr_open", id="corr_open"),
        Binding("a", "add", "key.corr_add", id="corr_add"),
        Binding("i", "issue", "key.corr_issue", id="corr_issue"),
        Binding("d", "done", "key.corr_done", id="corr_done"),
        Binding("left_square_bracket", "month(-1)", "key.corr_earlier", id="corr_earlier",
                key_display="["),
        Binding("right_square_bracket", "month(1)", "key.corr_later", id="corr_later",
                key_display="]"),
        Binding("escape", "back", "key.back", id="back"),
    ]

    def __init__(self, month: str = ""):
        """``month``: "" for the month a supervision opens on (the month just
        ended in a month's first week, else this one: ``default_period``)."""
        super().__init__()
        from db import clock
        from db.corrections import shift_month, this_month
        from db.supervision import default_period

        if not month:
            month = this_month()
            if default_period(clock.today()) == "last_month":
                month = shift_month(month, -1)
        self.month = month
        self.rows: list = []  # (CorrectionRow, None) or (None, NoticeRow): as listed
        self.notice = None  # db.corrections.Notice (supervising roles), once loaded
        self.loaded = False
        self.busy = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield InfoLine(id="corr-info", classes="info")
        yield PlainStatic("", id="corr-header", classes="table-header")
        yield TableList(WIDTHS, id="corr-table")
        yield KeyFooter()

    @property
    def table(self) -> TableList:
        return self.query_one(TableList)

    @property
    def supervising(self) -> bool:
        from db.corrections import may_issue

        return may_issue(self.app.staff)

    def on_mount(self) -> None:
        self.title = t("corr.title")
        self.query_one(InfoLine).show(t("corr.loading"))
        self.table.focus()
        self.load()

    @work(thread=True, exclusive=True, group="corrections", exit_on_error=False)
    def load(self) -> None:
        from db.corrections import corrections, notice

        staff = self.app.staff
        found = None
        with connected():
            if self.supervising:
                found = notice(staff, self.month)
                items = found.items
            else:
                items = corrections(staff, self.month)
        self.app.call_from_thread(self._loaded, items, found)

    def _loaded(self, items: list, found) -> None:
        self.notice, self.loaded = found, True
        today = clock.today()
        rows: list = [(item, None) for item in items]
        if found is not None:
            rows += [(None, helper) for helper in found.without_item]
        self.rows = rows
        late = sum(1 for item in items if item.overdue(today))
        opened = sum(1 for item in items if item.is_open)
        if found is not None:
            info = t("corr.info.notice", month=self.month, threshold=found.threshold,
                     below=len(found.below), waiting=len(found.without_item),
                     items=len(items), open=opened, late=late)
        else:
            info = t("corr.info.own", month=self.month, items=len(items), open=opened, late=late)
        self.query_one(InfoLine).show(info if rows else f"{info} · {t('corr.empty')}")
        table = self.table
        self.query_one("#corr-header", PlainStatic).update(table.line(
            [t(f"corr.col.{k}") for k in ("id", "month", "helper", "status", "due", "what")],
            table.size.width or self.app.size.width))
        lines, styles = [], []
        for item, helper in rows:
            if item is not None:
                lines.append([f"#{item.id}", item.month, one_line(item.staff_name),
                              correction_status(item, today), f"{item.due_on:%m-%d}",
                              one_line(item.what)])
                styles.append("bold red" if item.overdue(today) else
                              ("dim" if not item.is_open else ""))
            else:
                lines.append(["", self.month, one_line(helper.name), t("corr.status.waiting"),
                              "", t("corr.below", score=helper.score, threshold=found.threshold)])
                styles.append("yellow")
        table.set_rows(lines, styles)
        self.refresh_bindings()

    @property
    def current(self):
        i = self.table.cursor
        return self.rows[i] if 0 <= i < len(self.rows) else (None, None)

    def check_action(self, action: str, parameters) -> bool | None:
        if action in ("add", "issue"):
            return self.supervising
        if action == "open":
            return bool(self.rows)
        if action == "done":  # (which row is highlighted: the action says)
            return any(item is not None and item.is_open for item, _ in self.rows)
        return True

    # -- the keys -------------------------------------------------------------------
    def action_month(self, delta: int) -> None:
        from db.corrections import shift_month

        self.month = shift_month(self.month, delta)
        self.table.cursor = 0
        self.query_one(InfoLine).show(t("corr.loading"))
        self.load()

    def action_open(self) -> None:
        from screens.correction_form import CorrectionFormScreen

        item, helper = self.current
        if item is not None:
            self.app.push_screen(CorrectionFormScreen(item.id), self._back)
        elif helper is not None and self.supervising:
            self.app.push_screen(CorrectionFormScreen(
                None, staff_id=helper.staff_id, staff_name=helper.name, month=self.month),
                self._back)

    def action_add(self) -> None:
        from screens.correction_form import CorrectionFormScreen

        _, helper = self.current
        if helper is not None:
            self.action_open()
            return
        self.app.push_screen(CorrectionFormScreen(None, month=self.month), self._back)

    def _back(self, saved: bool | None) -> None:
        if saved:
            self.load()

    def action_issue(self) -> None:
        if self.notice is None or self.busy:
            return
        waiting = self.notice.without_item
        if not waiting:
            self.notify(t("corr.notice_none", month=self.month), markup=False)
            return
        due = clock.today() + dt.timedelta(days=NOTICE_DAYS)
        names = t("common.list_sep").join(one_line(h.name) for h in waiting[:6])
        question = t("corr.issue_confirm", n=len(waiting), month=self.month, names=names,
                     due=f"{due:%Y-%m-%d}")

        def answered(yes: bool | None) -> None:
            if yes:
                self.busy = True
                self.issue(due)

        self.app.push_screen(ConfirmScreen(question), answered)

    @work(thread=True, exclusive=True, group="corrections-issue", exit_on_error=False)
    def issue(self, due: dt.date) -> None:
        from db.access import NotAllowed
        from db.corrections import issue_notice

        call = self.app.call_from_thread
        try:
            with connected():
                made = issue_notice(self.app.staff, self.month, due,
                                    t("corr.default_what", month=self.month))
        except NotAllowed as exc:
            call(self.notify, t(f"err.access.{exc.code}"), severity="warning", markup=False)
        else:
            call(self.notify, t("corr.issued", n=len(made)), timeout=3, markup=False)
        self.busy = False
        call(self.load)

    def action_done(self) -> None:
        from db.corrections import may_mark_done

        item, _ = self.current
        if item is None or not item.is_open:
            self.notify(t("corr.not_open"), severity="warning", markup=False)
            return
        if not may_mark_done(self.app.staff, item):
            self.app.not_allowed("correction")
            return
        question = t("corr.done_confirm", name=one_line(item.staff_name),
                     what=one_line(item.what)[:60])

        def answered(yes: bool | None) -> None:
            if yes:
                self.mark(item.id, item.version)

        self.app.push_screen(ConfirmScreen(question), answered)

    @work(thread=True, exclusive=True, group="corrections-done", exit_on_error=False)
    def mark(self, correction_id: int, version: int) -> None:
        from db.access import NotAllowed
        from db.corrections import CorrectionConflict, CorrectionGone, mark_done

        call = self.app.call_from_thread
        try:
            with connected():
                mark_done(self.app.staff, correction_id, "", version)
        except CorrectionConflict as exc:
            call(self.notify, t("corr.conflict", by=one_line(exc.by) or t("corr.someone")),
                 severity="warning", markup=False)
        except CorrectionGone:
            call(self.notify, t("corr.gone"), severity="warning", markup=False)
        except NotAllowed as exc:
            call(self.notify, t(f"err.access.{exc.code}"), severity="warning", markup=False)
        else:
            call(self.notify, t("corr.marked_done"), timeout=2, markup=False)
        call(self.load)

    def others_wrote(self) -> None:
        self.load()

    def action_back(self) -> None:
        self.dismiss(False)
