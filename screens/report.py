"""The weekly report to the leading group (定期专报) and the term summary.

The screen shows the report's figures for this week (on a Monday: the week
just ended; k switches to the term
summary; ← and → go to the previous or next week or term) and writes it as a
file with one key: x Excel, c CSV, m Markdown, into the exports folder.
Counting and writing run in a worker with a progress bar; the screen stays
usable meanwhile.
"""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Header, ProgressBar, Static

from db import clock
from db.store.connected import connected
from db.text import one_line
from tui.i18n import due_label, failure, label, rule_label, share_text, t
from tui.screen_base import BangfuScreen
from tui.widgets import InfoLine, KeyFooter, fit

def report_text(report) -> Text:
    """The report's figures, short enough to read at 80x24 (the file has all)."""
    from db.progress import TARGET_SHARE

    text = Text()
    if report.kind == "weekly":
        title = t("report.title.weekly", week=report.week)
    else:
        title = t("report.title.term", term=one_line(report.term_name))
    text.append(title + "\n", style="bold")
    text.append(t("rscreen.period", period=t("report.period", start=report.start, end=report.end),
                  as_of=report.as_of, term=one_line(report.term_name) or "—") + "\n",
                style="dim")
    if report.limited:  # counted over the students this reader may open only
        text.append(t("rscreen.limited") + "\n", style="bold")
    text.append("\n")
    cases = report.cases
    statuses = t("common.list_sep").join(
        f"{label('status', s)} {cases.total.counts.get(s, 0)}" for s in cases.statuses)
    text.append(t("rscreen.line.cases", n=cases.total.total, statuses=statuses,
                  opened=cases.opened) + "\n")
    entries = report.entries
    kinds = t("common.list_sep").join(f"{label('kind', k)} {entries.by_kind.get(k, 0)}"
                                      for k in entries.kinds if entries.by_kind.get(k))
    text.append(t("rscreen.line.entries", n=entries.total, kinds=kinds or "—",
                  cases=entries.cases) + "\n")
    compliance = report.compliance
    on_time = t("common.list_sep").join(f"{rule_label(r)} {share_text(compliance.total.share(r.code))}"
                                        for r in compliance.rules)
    text.append(t("rscreen.line.compliance", n=compliance.total.cases, rules=on_time) + "\n")
    late_cases = len({row.case_id for row in report.overdue})
    text.append(t("rscreen.line.overdue", n=len(report.overdue), cases=late_cases) + "\n")
    total = report.progress.total
    text.append(t("rscreen.line.progress", share=share_text(total.share), improved=total.improved,
                  measurable=total.measurable, target=f"{TARGET_SHARE * 100:.0f}%",
                  unmeasured=total.unmeasured) + "\n",
                style="bold green" if total.meets_target else "bold yellow")
    families = report.families
    if families is not None:
        text.append(t("rscreen.line.families", events=families.events.events,
                      came=families.events.attended, invited=families.events.invited,
                      received=families.feedback.received, answered=families.feedback.answered,
                      overdue=families.feedback.overdue_now) + "\n")
        satisfied = families.satisfaction
        if satisfied is not None and satisfied.overall.rate is not None:
            text.append(t("rscreen.line.satisfaction",
                          rate=share_text(satisfied.overall.rate / 100),
                          target=share_text(satisfied.target / 100)) + "\n")
    if report.transformed is not None:
        text.append(t("rtrans.line", n=report.transformed.count) + "\n")
    # by class: the figures a leading group asks about, one line each
    widths = [14, 6, 10, 8, 18]
    text.append("\n" + " ".join(fit(h, w) for h, w in zip(
        [t("report.col.class"), t("rscreen.col.cases"), t("report.col.open_cases"),
         t("rscreen.col.overdue"), t("report.col.improved_share")], widths)) + "\n", style="bold")
    late_by_class: dict[str, set[int]] = {}
    for row in report.overdue:
        late_by_class.setdefault(row.class_name or "—", set()).add(row.case_id)
    open_by_class = {row.name: row.cases for row in compliance.classes}
    progress_by_class = {row.name: row for row in report.progress.classes}
    for row in cases.classes:
        figures = progress_by_class.get(row.name)
        improved = (f"{share_text(figures.share)} ({figures.improved}/{figures.measurable})"
                    if figures and figures.measurable else "—")
        text.append(" ".join(fit(c, w) for c, w in zip(
            [one_line(row.name), str(row.total), str(open_by_class.get(row.name, 0)),
             str(len(late_by_class.get(row.name, ()))), improved], widths)) + "\n")
    if report.overdue:
        text.append("\n" + t("rscreen.most_overdue") + "\n", style="bold")
        for row in report.overdue[:5]:
            text.append(" ".join(fit(c, w) for c, w in zip(
                [one_line(row.name), one_line(row.class_name),
                 due_label(row.what, compliance.rules), t("rscreen.days_late", n=row.days),
                 one_line(row.lead)], [10, 14, 16, 10, 10])) + "\n")
    return text


class ReportScreen(BangfuScreen):
    BINDINGS = [
        Binding("k", "kind", "key.report_kind", id="report_kind"),
        # priority: the scrolling body would take the arrows for itself
        Binding("left", "step(-1)", "key.report_earlier", id="report_earlier", key_display="←",
                priority=True),
        Binding("right", "step(1)", "key.report_later", id="report_later", key_display="→",
                priority=True),
        Binding("x", "export('xlsx')", "key.export_xlsx", id="export_xlsx"),
        Binding("c", "export('csv')", "key.export_csv", id="export_csv"),
        Binding("m", "export('md')", "key.export_md", id="export_md"),
        Binding("escape", "back", "key.back", id="back"),
    ]

    def __init__(self, kind: str = "weekly"):
        super().__init__()
        self.kind = kind
        today = clock.today()
        # this week; on a Monday, the week just ended (→ goes to the new one)
        self.week_start = today - dt.timedelta(days=today.weekday() or 7)
        self.term_id: int | None = None  # None: the current term
        self.report = None
        self.busy = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield InfoLine(id="report-info", classes="info")
        yield ProgressBar(id="report-progress", show_eta=False)
        with VerticalScroll(id="report-body"):
            yield Static("", id="report-text", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.title = t("rscreen.title")
        self.query_one(VerticalScroll).focus()
        self.action_refresh()

    # -- counting --------------------------------------------------------------------------
    def _week(self) -> str:
        year, week, _ = self.week_start.isocalendar()
        return f"{year}-W{week:02d}"

    def action_refresh(self) -> None:
        self.busy = True
        self.refresh_bindings()
        self.query_one(InfoLine).show(t("rscreen.counting"))
        bar = self.query_one(ProgressBar)
        bar.display = True
        bar.update(total=5, progress=0)
        self.build(self.kind, self._week(), self.term_id)

    def _progress(self, done: int, total: int) -> None:
        self.app.call_from_thread(self.query_one(ProgressBar).update, total=total, progress=done)

    @work(thread=True, exclusive=True, group="report", exit_on_error=False)
    def build(self, kind: str, week: str, term_id: int | None) -> None:
        from db.access import NotAllowed
        from db.reports import ReportError, build_report

        try:
            with connected():
                report = build_report(kind, reader=self.app.staff, week=week, term_id=term_id,
                                      progress=self._progress)
        except ReportError as exc:
            self.app.call_from_thread(self._failed, exc.key)
            return
        except NotAllowed as exc:
            self.app.call_from_thread(self._failed, f"err.access.{exc.code}")
            return
        self.app.call_from_thread(self._built, report)

    def _failed(self, key: str) -> None:
        self.busy = False
        self.query_one(ProgressBar).display = False
        self.query_one(InfoLine).show(t(key))
        self.query_one("#report-text", Static).update("")
        self.refresh_bindings()

    def _built(self, report) -> None:
        self.report = report
        self.term_id = report.term_id if self.kind == "term" else self.term_id
        self.busy = False
        self.query_one(ProgressBar).display = False
        self.query_one(InfoLine).show(t("rscreen.keys_hint"))
        self.query_one("#report-text", Static).update(report_text(report))
        self.refresh_bindings()

    def check_action(self, action: str, parameters) -> bool | None:
        if action == "export":
            return self.report is not None and not self.busy
        if action == "step" and self.kind == "weekly" and parameters and parameters[0] > 0:
            # no report of a week that has not begun
            return self.week_start + dt.timedelta(days=7) <= clock.today()
        return True

    def action_kind(self) -> None:
        self.kind = "term" if self.kind == "weekly" else "weekly"
        self.report = None
        self.action_refresh()

    def action_step(self, delta: int) -> None:
        if self.kind == "weekly":
            moved = self.week_start + dt.timedelta(days=7 * delta)
            if moved > clock.today():
                return
            self.week_start = moved
            self.action_refresh()
        else:
            self.step_term(delta)

    @work(thread=True, exclusive=True, group="report-term", exit_on_error=False)
    def step_term(self, delta: int) -> None:
        from db.terms import list_terms

        with connected():
            terms = [term for term in list_terms() if term.start_date <= clock.today()]
        ids = [term.id for term in terms]
        if not ids:
            return
        current = self.report.term_id if self.report is not None else ids[-1]
        i = ids.index(current) if current in ids else len(ids) - 1
        self.term_id = ids[max(0, min(len(ids) - 1, i + delta))]
        self.app.call_from_thread(self.action_refresh)

    # -- writing ---------------------------------------------------------------------------
    def action_export(self, fmt: str) -> None:
        if self.report is None or self.busy:
            return
        from tui.exports import default_path

        report = self.report
        if report.kind == "weekly":
            path = default_path(t("rscreen.file_weekly"), report.week, suffix=fmt)
        else:
            path = default_path(t("rscreen.file_term"), report.term_name, suffix=fmt)
        self.busy = True
        self.refresh_bindings()
        bar = self.query_one(ProgressBar)
        bar.display = True
        bar.update(total=1, progress=0)
        self.query_one(InfoLine).show(t("rscreen.writing", path=str(path)))
        self.write(report, fmt, path)

    @work(thread=True, exclusive=True, group="report-write", exit_on_error=False)
    def write(self, report, fmt: str, path) -> None:
        from tui.report_files import write_report

        try:
            written = write_report(report, fmt, path, progress=self._progress)
        except OSError as exc:
            self.app.call_from_thread(self._written, None, failure(exc))
            return
        self.app.call_from_thread(self._written, written, "")

    def _written(self, path, problem: str) -> None:
        self.busy = False
        self.query_one(ProgressBar).display = False
        if path is None:
            message = t("rscreen.write_failed", detail=problem)
            self.notify(message, severity="error", markup=False)
        else:
            message = t("rscreen.written", path=str(path))
            self.notify(message, markup=False, timeout=8)
        self.query_one(InfoLine).show(message)
        self.refresh_bindings()

    def action_back(self) -> None:
        self.dismiss()
