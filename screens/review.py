"""The term-start re-review: one pass over my cases from an earlier term.
k keeps a case (it moves into the new term), c closes it, t proposes it as
transformed (已转化: the evidence is shown and a reason asked; the case moves
into the new term and a coordinator confirms it); each decision is saved at
once and the next case comes up."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Header

from db.store.connected import connected
from db.text import one_line
from tui.i18n import label, t
from tui.screen_base import BangfuScreen
from tui.widgets import InfoLine, KeyFooter, PlainStatic, TableList

WIDTHS = [10, 12, 11, 20]  # student, class, status, from term


class ReviewScreen(BangfuScreen):
    BINDINGS = [
        Binding("k", "decide('keep')", "key.review_keep", id="review_keep"),
        Binding("c", "decide('close')", "key.review_close", id="review_close"),
        Binding("t", "decide('transformed')", "key.review_propose", id="review_transformed"),
        Binding("enter", "open", "key.open", id="review_open"),
        Binding("escape", "back", "key.back", id="back"),
    ]

    def __init__(self):
        super().__init__()
        self.term = None
        self.rows: list = []
        self.done = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield InfoLine(id="review-info", classes="info")
        yield PlainStatic("", id="review-header", classes="table-header")
        yield TableList(WIDTHS, id="review-table")
        yield KeyFooter()

    @property
    def table(self) -> TableList:
        return self.query_one(TableList)

    def on_mount(self) -> None:
        self.title = t("review.title")
        self.table.focus()
        self.load()

    @work(thread=True, exclusive=True, group="review", exit_on_error=False)
    def load(self) -> None:
        from db.terms import to_review

        with connected():
            term, rows = to_review(self.app.staff.id)
        self.app.call_from_thread(self._loaded, term, rows)

    def _loaded(self, term, rows) -> None:
        self.term, self.rows = term, rows
        self.show()

    def show(self) -> None:
        info = self.query_one(InfoLine)
        if self.term is None:
            info.show(t("review.no_term"))
        elif not self.rows:
            info.show(t("review.all_done", term=one_line(self.term.name), n=self.done))
        else:
            info.show(t("review.info", term=one_line(self.term.name), n=len(self.rows)))
        table = self.table
        self.query_one("#review-header", PlainStatic).update(table.line(
            [t("review.col.student"), t("review.col.class"), t("review.col.status"),
             t("review.col.term")], table.size.width or self.app.size.width))
        table.set_rows([[one_line(r.name), one_line(r.class_name), label("status", r.status),
                         one_line(r.term_name) or "—"] for r in self.rows])
        self.refresh_bindings()

    def check_action(self, action: str, parameters) -> bool | None:
        if action in ("decide", "open"):
            return bool(self.rows) and self.term is not None
        return True

    def action_decide(self, decision: str) -> None:
        if not self.rows or self.term is None:
            return
        row = self.rows[self.table.cursor]
        if decision == "transformed":  # proposed with its reason, confirmed by a coordinator
            from screens.transformation import TransformationScreen

            self.app.push_screen(
                TransformationScreen(case_id=row.case_id, name=row.name, term_id=self.term.id,
                                     version=row.version),
                lambda saved: self._proposed(row, saved))
            return
        self.save(row, decision, self.term.id)

    def _proposed(self, row, saved: bool | None) -> None:
        if saved:
            self._decided(row, "transformed", notify=False)
        else:
            self.load()  # the case may have moved on meanwhile

    @work(thread=True, exclusive=True, group="review-save", exit_on_error=False)
    def save(self, row, decision: str, term_id: int) -> None:
        from db.cases import VersionConflict
        from db.terms import carry

        try:
            with connected():
                carry(self.app.staff, row.case_id, row.version, decision, term_id)
        except VersionConflict:
            self.app.call_from_thread(self.notify, t("review.conflict", name=one_line(row.name)),
                                      severity="warning", markup=False)
            self.app.call_from_thread(self.load)
            return
        self.app.call_from_thread(self._decided, row, decision)

    def _decided(self, row, decision: str, notify: bool = True) -> None:
        if row in self.rows:
            self.rows.remove(row)
        self.done += 1
        if notify:  # a proposal says so itself (screens/transformation.py)
            self.notify(t(f"review.done.{decision}", name=one_line(row.name)), timeout=2,
                        markup=False)
        self.app.student_saved(row.student_id)
        self.show()

    def action_open(self) -> None:
        if self.rows:
            self.app.open_case(self, self.rows[self.table.cursor].student_id)


    def action_back(self) -> None:
        self.dismiss()
