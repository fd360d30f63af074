"""Referrals (转介).  With a case (f on a case): its referrals, overdue
follow-ups first (in red); one who may not read the case's restricted
entries sees only that they exist (date and status) and may not add one.
Without a case (the Oversight menu): every referral the person may read.
a adds one (with a case), Enter opens the highlighted one (its reason and
outcome: an opening, in the audit log); esc goes back.  A referral is a
record: it is closed (status c in the form), never deleted."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Header

from db import clock
from db.store.connected import connected
from db.text import one_line
from tui.i18n import label, t
from tui.screen_base import BangfuScreen
from tui.widgets import InfoLine, KeyFooter, PlainStatic, TableList

CASE_WIDTHS = [10, 22, 10, 10, 12]  # sent, organisation, status, follow-up, consent
ALL_WIDTHS = [10, 10, 18, 10, 10]  # sent, student, organisation, status, follow-up


def _date(value) -> str:
    return f"{value:%Y-%m-%d}" if value else "—"


class ReferralsScreen(BangfuScreen[bool]):
    BINDINGS = [
        Binding("a", "add", "key.referral_add", id="referral_add"),
        Binding("enter", "open", "key.referral_open", id="referral_open"),
        Binding("escape", "back", "key.back", id="back"),
    ]

    def __init__(self, case_id: int | None = None, name: str = ""):
        super().__init__()
        self.case_id = case_id
        self.student_name = name
        self.rows: list = []
        self.may_add = False
        self.changed = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield InfoLine(id="referrals-info", classes="info")
        yield PlainStatic("", id="referrals-header", classes="table-header")
        yield TableList(CASE_WIDTHS if self.case_id else ALL_WIDTHS, id="referrals-table")
        yield KeyFooter()

    @property
    def table(self) -> TableList:
        return self.query_one(TableList)

    def on_mount(self) -> None:
        self.title = (t("referrals.title.case", name=one_line(self.student_name))
                      if self.case_id else t("referrals.title"))
        self.query_one(InfoLine).show(t("referrals.loading"))
        self.table.focus()
        self.load()

    @work(thread=True, exclusive=True, group="referrals", exit_on_error=False)
    def load(self) -> None:
        from db.referrals import may_add, referrals, referrals_of_case

        staff = self.app.staff
        with connected():
            if self.case_id:
                rows = referrals_of_case(staff, self.case_id)
                adds = may_add(staff, self.case_id)
            else:
                rows, adds = referrals(staff), False
        self.app.call_from_thread(self._loaded, rows, adds)

    def _loaded(self, rows, adds: bool) -> None:
        self.rows, self.may_add = rows, adds
        today = clock.today()
        late = [r.overdue(today) for r in rows]
        info = t("referrals.info", n=len(rows), late=sum(late))
        if self.case_id and rows and not all(r.readable for r in rows):
            info = f"{info} · {t('referrals.restricted_note')}"
        elif not rows:
            info = f"{info} · {t('referrals.none')}"
        self.query_one(InfoLine).show(info)
        table = self.table
        keys = (("sent", "organisation", "status", "follow_up", "consent") if self.case_id
                else ("sent", "student", "organisation", "status", "follow_up"))
        self.query_one("#referrals-header", PlainStatic).update(table.line(
            [t(f"referrals.col.{k}") for k in keys], table.size.width or self.app.size.width))
        lines = []
        for r in rows:
            org = one_line(r.organisation) if r.readable else t("referrals.restricted")
            if self.case_id:
                lines.append([_date(r.sent_on), org, label("referral", r.status),
                              _date(r.follow_up_on),
                              label("consent", r.consent) if r.readable else ""])
            else:
                lines.append([_date(r.sent_on), one_line(r.name), org,
                              label("referral", r.status), _date(r.follow_up_on)])
        table.set_rows(lines, ["bold red" if x else ("dim" if r.status == "closed" else "")
                               for x, r in zip(late, rows)])
        self.refresh_bindings()

    def check_action(self, action: str, parameters) -> bool | None:
        if action == "add":
            return bool(self.case_id) and self.may_add
        if action == "open":
            return bool(self.rows)  # (an unreadable one says why it does not open)
        return True

    @property
    def current(self):
        i = self.table.cursor
        return self.rows[i] if 0 <= i < len(self.rows) else None

    def action_add(self) -> None:
        if not (self.case_id and self.may_add):
            self.notify(t("err.access.restricted"), severity="warning", markup=False)
            return
        from screens.referral_form import ReferralFormScreen

        self.app.push_screen(ReferralFormScreen(case_id=self.case_id, name=self.student_name),
                             self._back_from_form)

    def action_open(self) -> None:
        row = self.current
        if row is None:
            return
        if not row.readable:
            self.notify(t("err.access.restricted"), severity="warning", markup=False)
            return
        from screens.referral_form import ReferralFormScreen

        self.app.push_screen(ReferralFormScreen(row.id), self._back_from_form)

    def _back_from_form(self, saved: bool | None) -> None:
        if saved:
            self.changed = True
            self.load()

    def others_wrote(self) -> None:
        self.load()

    def action_back(self) -> None:
        self.dismiss(self.changed)
