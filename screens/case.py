"""Case detail (一生一册): student, family, case file, plan, team and the timeline."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Header, Static

from db.cases import CASE_TEXT_FIELDS, CaseView, ContactView
from db.text import clean, one_line
from tui.charts import column_chart, sparkline
from tui.i18n import change_text, failure, hidden_text, label, labels, paren, restricted_entry, t
from tui.widgets import KeyFooter, LinesView, PlainStatic, copy_out, wrap_lines

TABS = ("timeline", "file", "family", "plan", "progress")
CHART_SLOTS = 9  # the latest assessments drawn per subject (each 7 cells wide)
REVIEWS_SHOWN = 3  # the latest stage reviews on the plan tab
FIRST_ENTRIES = 12  # drawn at once; the rest of a long timeline follows from a worker


def _d(value) -> str:
    return value.isoformat() if value else "—"


def timeline_text(contacts: list[ContactView], can_open: bool = False) -> Text:
    """The entries, newest first; a restricted entry shows only that it exists
    (and, to those who may read it, the key that opens it)."""
    text = Text()
    if not contacts:
        return Text(t("case.no_contacts"), style="italic")
    for i, c in enumerate(contacts):
        if i:
            text.append("\n")
        text.append(f"{c.occurred_at:%Y-%m-%d %H:%M}", style="bold")
        text.append(f"  {label('kind', c.kind)} · {label('channel', c.channel)}", style="bold")
        text.append(f" · {t('case.entry_by', author=one_line(c.author))}")
        if c.duration_min:
            text.append(f" · {t('common.minutes', n=c.duration_min)}")
        text.append("\n")
        if c.restricted:
            text.append(f"  {restricted_entry(c.restricted)}", style="italic")
            if can_open:
                text.append(f"  · {t('case.restricted_open')}", style="dim")
            text.append("\n")
            continue
        if c.participants:
            text.append(f"  {t('case.entry.participants')}{t('common.colon')}{one_line(c.participants)}\n",
                        style="dim")
        for line in clean(c.discussed).split("\n"):
            text.append(f"  {line}\n")
        if c.agreed:
            text.append(f"  {t('case.entry.agreed')}{t('common.colon')}{one_line(c.agreed)}\n")
        if c.follow_up:
            due = paren(t('case.entry.due', date=c.follow_up_due)) if c.follow_up_due else ""
            done = f" ✓ {t('case.entry.done', date=c.follow_up_done_on)}" if c.follow_up_done_on else ""
            text.append(f"  {t('case.entry.follow_up')}{t('common.colon')}{one_line(c.follow_up)}{due}{done}\n",
                        style="yellow" if not c.follow_up_done_on else "dim")
    return text


def case_file_text(view: CaseView) -> Text:
    if view.case_id is None:
        return Text(t("case.no_case"), style="italic")
    text = Text()
    text.append(f"{t('case.categories')}{t('common.colon')}", style="bold")
    text.append(labels("category", view.categories) or "—")
    text.append(f"\n{t('case.causes')}{t('common.colon')}", style="bold")
    text.append(labels("cause", view.causes) or "—")
    for name in CASE_TEXT_FIELDS:
        marked = paren(t("access.restricted_field")) if name in view.restricted_fields else ""
        text.append(f"\n\n{t('case.field.' + name)}{marked}\n", style="bold")
        hidden = hidden_text(view, name)
        if hidden:
            text.append(hidden, style="italic")
        else:
            text.append(clean(getattr(view, name)) or "—")
    if view.events:
        text.append(f"\n\n{t('case.history')}\n", style="bold")
        for e in view.events:
            detail = f" {one_line(e.detail)}" if e.detail else ""
            reason = f"{t('common.colon')}{one_line(e.reason)}" if e.reason else ""
            by = f" · {one_line(e.by)}" if e.by else ""
            text.append(f"{e.happened_on:%Y-%m-%d}  {t('case.event.' + e.kind)}{detail}{reason}{by}\n")
    if view.updated_by:
        text.append("\n\n" + t("case.edited_by", who=one_line(view.updated_by),
                               at=f"{view.updated_at:%Y-%m-%d %H:%M}"), style="dim")
    return text


def family_text(view: CaseView) -> Text:
    text = Text()
    text.append(f"{t('case.student')}{t('common.colon')}", style="bold")
    text.append(f"{one_line(view.name)} · {label('gender', view.gender)} · "
                f"{t('case.birth')} {_d(view.birth_date)} · {one_line(view.class_name)} · "
                f"{view.student_no}")
    if view.address or view.phone:
        text.append("\n")
        if view.address:
            text.append(f"{t('case.address')}{t('common.colon')}", style="bold")
            text.append(one_line(view.address) + "  ")
        if view.phone:
            text.append(f"{t('case.phone')} {one_line(view.phone)}")
    text.append(f"\n{t('case.family')}{t('common.colon')}", style="bold")
    text.append(labels("family", view.family_flags) or "—")
    if "family_notes" in view.hidden:
        text.append("\n" + hidden_text(view, "family_notes"), style="italic")
    elif view.family_notes:
        text.append("\n" + clean(view.family_notes))
    text.append(f"\n\n{t('case.guardians')}\n", style="bold")
    if not view.guardians:
        text.append(t("case.no_guardians"))
    for g in view.guardians:
        text.append(f"• {one_line(g.name)}{paren(label('relation', g.relation))}")
        if g.phone:
            text.append(f"  {t('case.phone')} {one_line(g.phone)}")
        if g.wechat:
            text.append(f"  {t('case.wechat')} {one_line(g.wechat)}")
        if g.lives_with:
            text.append(f"  · {t('case.lives_with')}", style="dim")
        if g.works_away:
            text.append(f"  · {t('case.works_away')}", style="dim")
        if "guardian_phone" in view.hidden:
            text.append(f"  {t('case.phone')} {t('access.hidden')}", style="italic")
        text.append("\n")
    return text


def plan_text(view: CaseView) -> Text:
    text = Text()
    text.append(f"{t('case.goals')}\n", style="bold")
    if not view.goals:
        text.append(t("case.no_goals") + "\n")
    for g in view.goals:
        text.append("• " + t("case.goal_line", horizon=label("horizon", g.horizon),
                             text=one_line(g.text), due=_d(g.due_date),
                             status=label("goal_status", g.status)) + "\n")
        if g.measure:
            text.append(f"  {one_line(g.measure)}\n", style="dim")
    text.append(f"\n{t('case.reviews')}\n", style="bold")
    if not view.reviews:
        text.append(t("case.no_reviews") + "\n")
    for r in view.reviews[:REVIEWS_SHOWN]:
        text.append(f"{r.review_date:%Y-%m-%d}", style="bold")
        text.append(f" · {t('case.entry_by', author=one_line(r.author))}")
        if r.next_review:
            text.append(f" · {t('case.review_next', date=r.next_review)}")
        text.append("\n")
        for line in clean(r.summary).split("\n"):
            text.append(f"  {line}\n")
        if r.goals:
            text.append("  " + t("common.list_sep").join(
                f"{one_line(goal)}{paren(label('goal_status', status))}"
                for goal, status in r.goals) + "\n", style="dim")
        if r.new_goals:
            text.append(f"  {t('case.review_new_goals')}{t('common.colon')}"
                        + t("common.list_sep").join(one_line(g) for g in r.new_goals) + "\n")
    if len(view.reviews) > REVIEWS_SHOWN:
        text.append(t("case.reviews_more", n=len(view.reviews) - REVIEWS_SHOWN) + "\n", style="dim")
    text.append(f"\n{t('case.team')}\n", style="bold")
    if not view.team and not view.peers:
        text.append(t("case.no_team"))
    for m in view.team:
        text.append(f"• {one_line(m.name)}{paren(label('role', m.role))}\n")
    for p in view.peers:
        focus = f" · {one_line(p.focus)}" if p.focus else ""
        text.append(f"• {one_line(p.name)}{paren(t('team.peer'))} {one_line(p.class_name)}{focus}\n")
    return text


def progress_text(progress) -> Text:
    """The progress tab: each subject's scores this term as a chart, the change
    from the first to the latest, the term's 10% measure, and the check-ins."""
    from db.progress import IMPROVE_BY

    m = progress.measure
    text = Text()
    text.append(t("progress.scores", term=one_line(progress.term_name) or "—",
                  start=progress.start, end=progress.end) + "\n", style="bold")
    if m.measurable:
        verdict = t("progress.improved" if m.improved else "progress.not_improved",
                    n=round(IMPROVE_BY * 100))
        text.append(t("progress.average", first=f"{m.first:.1f}", latest=f"{m.latest:.1f}",
                      change=change_text(m.change)) + " · ")
        text.append(verdict + "\n", style="bold green" if m.improved else "bold yellow")
    elif m.subjects:
        text.append(t("progress.not_measurable") + "\n", style="italic")
    if not m.subjects:
        text.append(t("progress.no_scores") + "\n", style="italic")
    for trend in m.subjects:
        points = trend.points[-CHART_SLOTS:]
        text.append("\n")
        text.append(one_line(trend.subject), style="bold")
        if trend.counts:
            text.append(f"  {trend.first:.0f}% → {trend.latest:.0f}%  ")
            text.append(change_text(trend.change), style="bold")
        else:
            text.append("  " + t("progress.once"), style="dim")
        if len(trend.points) > CHART_SLOTS:
            text.append("  " + t("progress.latest_n", n=CHART_SLOTS), style="dim")
        text.append("\n")
        text.append(column_chart([(f"{p.taken_on:%m-%d}", p.share, f"{p.share:.0f}%")
                                  for p in points]))
        text.append("\n")
        text.append("  " + t("common.list_sep").join(
            f"{one_line(p.exam)} {p.score:g}/{p.full_marks:g}" for p in points) + "\n", style="dim")
    text.append("\n" + t("progress.checkins") + "\n", style="bold")
    if not progress.checkins:
        text.append(t("progress.no_checkins") + "\n", style="italic")
        return text
    for dim in progress.dimensions:
        values = [c.ratings[dim] for c in progress.checkins if dim in c.ratings]
        if not values:
            continue
        name = one_line(label("dimension", dim))
        text.append(f"  {name}  ")
        text.append(sparkline(values, 1, 5), style="bold")
        text.append(f"  {values[0]} → {values[-1]}" + (" " + t("progress.of5")) + "\n")
    for c in progress.checkins[-6:]:
        ratings = t("common.list_sep").join(
            f"{one_line(label('dimension', d))} {v}" for d, v in c.ratings.items())
        text.append(f"  {c.taken_on:%Y-%m-%d}  {ratings}", style="dim")
        if c.note:
            text.append(f"  {one_line(c.note)}")
        text.append("\n")
    return text


def entry_text(contact: ContactView) -> str:
    """An entry as the timeline shows it (a restricted one: only that it
    exists), unwrapped, without the timeline's indent: what ``y`` copies."""
    lines = timeline_text([contact]).plain.rstrip("\n").split("\n")
    return "\n".join(line.removeprefix("  ") for line in lines)


def family_phone(view: CaseView) -> str:
    """The number to call the family on: the family's own, else the first
    guardian's that has one ("" when none is shown to this reader)."""
    phones = [view.phone] + [g.phone for g in view.guardians]
    return next((one_line(p) for p in phones if one_line(p)), "")


def copy_phone(app, view: CaseView) -> None:
    """The family's phone number to the clipboard (``y`` / ``ctrl+y``), or why not."""
    phone = family_phone(view)
    if phone:
        copy_out(app, phone)
    elif "guardian_phone" in view.hidden:
        app.notify(t("copy.phone_hidden"), severity="warning", markup=False)
    else:
        app.notify(t("copy.no_phone"), severity="warning", markup=False)


class CaseScreen(Screen):
    BINDINGS = [
        Binding("escape", "back", "key.back", id="back"),
        Binding("n", "log", "key.log", id="log"),
        Binding("e", "edit", "key.edit", id="edit"),
        Binding("a", "amend", "key.amend", id="amend"),
        Binding("t", "team", "key.team", id="team"),
        Binding("g", "goals", "key.goals", id="goals"),
        Binding("v", "review", "key.stage_review", id="stage_review"),
        # another workstation's entries show by themselves: r is rarely needed
        Binding("r", "reload", "key.reload", id="reload", show=False),
        Binding("tab", "next_tab", "key.tab_next", id="next_tab", show=False),  # the tab bar shows 1-4
        Binding("1", "tab('timeline')", "key.tab_timeline", id="tab_timeline", show=False),
        Binding("2", "tab('file')", "key.tab_file", id="tab_file", show=False),
        Binding("3", "tab('family')", "key.tab_family", id="tab_family", show=False),
        Binding("4", "tab('plan')", "key.tab_plan", id="tab_plan", show=False),
        Binding("5", "tab('progress')", "key.tab_progress", id="tab_progress", show=False),
        Binding("p", "summary", "key.summary", id="summary"),
        # the timeline says "o opens it" beside each restricted entry: no room in the footer
        Binding("o", "open_restricted", "key.open_restricted", id="open_restricted", show=False),
        # no room in the footer either: in the palette (ctrl+p) and the README
        Binding("c", "case_status", "key.case_status", id="case_status", show=False),
        Binding("s", "edit_student", "key.edit_student", id="edit_student", show=False),
        # y (yank): an entry, or the family's phone, to the clipboard of the terminal
        # the person sits at (OSC 52, over SSH too); no room in the footer
        Binding("y", "copy", "key.copy", id="copy", show=False),
    ]

    def __init__(self, student_id: int | None = None, view: CaseView | None = None):
        """``view``: the case already loaded (by the roster), drawn in the first frame."""
        super().__init__()
        self.student_id = student_id
        self._preloaded = view
        self.view: CaseView | None = None
        self._filled: set[str] = set()

    def compose(self) -> ComposeResult:
        yield Header()
        yield PlainStatic("", id="case-title", classes="title")
        yield PlainStatic("", id="case-status", classes="info")
        yield Static(self.tab_bar("timeline"), id="case-tabbar", markup=False)
        with ContentSwitcher(initial="timeline", id="case-body"):
            yield LinesView(id="timeline")
            for name in TABS[1:]:
                with VerticalScroll(id=name):
                    yield Static("", id=f"body-{name}", markup=False)
        yield KeyFooter()

    @staticmethod
    def tab_bar(current: str, width: int = 0) -> Text:
        """The tabs by number, the current one reversed; a tab that would be
        cut at ``width`` goes on the next line instead."""
        text, used = Text(" "), 1
        for i, name in enumerate(TABS, 1):
            tab = f" {i} {t('case.tab.' + name)} "
            if width and i > 1 and used + cell_len(tab) > width:
                text.append("\n ")
                used = 1
            text.append(tab, style="bold reverse" if name == current else "dim")
            text.append(" ")
            used += cell_len(tab) + 1
        return text

    def _draw_tabs(self, current: str) -> None:
        bar = self.query_one("#case-tabbar", Static)
        text = self.tab_bar(current, self.size.width or self.app.size.width)
        bar.set_class("\n" in text.plain, "-wrapped")  # (no blank line under it then)
        bar.update(text)

    def on_resize(self) -> None:
        self._draw_tabs(self.query_one(ContentSwitcher).current or "timeline")

    def on_mount(self) -> None:
        if self._preloaded is not None:
            self.show_case(self._preloaded)
        elif self.student_id is not None:
            self.load()

    def prepare(self, student_id: int, view: CaseView) -> None:
        """Show another student's case in this (installed, reused) screen."""
        self.student_id = student_id
        if not self.is_mounted:
            self._preloaded = view
            return
        self.view = None
        self.query_one(ContentSwitcher).current = "timeline"
        self._draw_tabs("timeline")
        self.show_case(view)

    @work(thread=True, exclusive=True, group="case", exit_on_error=False)
    def load(self) -> None:
        from db.cases import load_case
        from db.models import database

        with database.connection_context():
            view = load_case(self.student_id, reader=self.app.staff)
        self.app.call_from_thread(self.show_case, view)

    def show_case(self, view: CaseView | None) -> None:
        if view is None:
            self.dismiss()
            return
        self.view = view
        self._filled: set[str] = set()
        self.query_one("#case-title", PlainStatic).update(
            t("case.header", name=one_line(view.name), class_name=one_line(view.class_name),
              number=view.student_no))
        if view.case_id is None:
            status = t("case.no_case")
        else:
            status = t("case.status_line", status=label("status", view.status),
                       risk=label("risk", view.risk_level),
                       lead=one_line(view.lead) or "—", term=one_line(view.term_name))
        self.query_one("#case-status", PlainStatic).update(status)
        timeline = self.query_one("#timeline", LinesView)
        # the newest entries now, the whole timeline when a worker has drawn it
        timeline.show(timeline_text(view.contacts[:FIRST_ENTRIES], view.reads_restricted))
        if len(view.contacts) > FIRST_ENTRIES:  # after this frame is out
            self.call_after_refresh(lambda: self.draw_timeline(view, timeline.geometry()))
        current = self.query_one(ContentSwitcher).current or "timeline"
        self.fill(current)
        self.refresh_bindings()
        self.query_one(f"#{current}").focus()

    @work(thread=True, exclusive=True, group="timeline", exit_on_error=False)
    def draw_timeline(self, view: CaseView, geometry: tuple[int, int, int]) -> None:
        text = timeline_text(view.contacts, view.reads_restricted)
        lines = wrap_lines(text, self.app.console, geometry)
        self.app.call_from_thread(self._timeline_drawn, view, text, lines, geometry)

    def _timeline_drawn(self, view: CaseView, text, lines, geometry) -> None:
        if view is self.view:
            self.query_one("#timeline", LinesView).show_wrapped(text, lines, geometry,
                                                                 keep_scroll=True)

    def fill(self, name: str) -> None:
        """Fill a tab's text when it is first shown, not before."""
        if self.view is None or name == "timeline" or name in self._filled:
            return
        self._filled.add(name)
        if name == "progress":  # scores are read only when they are looked at
            self.query_one("#body-progress", Static).update(Text(t("progress.loading"),
                                                                 style="italic"))
            self.load_progress(self.view)
            return
        builder = {"file": case_file_text, "family": family_text, "plan": plan_text}[name]
        self.query_one(f"#body-{name}", Static).update(builder(self.view))

    @work(thread=True, exclusive=True, group="progress", exit_on_error=False)
    def load_progress(self, view: CaseView) -> None:
        from db.models import database
        from db.progress import student_progress

        with database.connection_context():
            progress = student_progress(view.student_id, view.case_id)
        self.app.call_from_thread(self._progress_loaded, view, progress)

    def _progress_loaded(self, view: CaseView, progress) -> None:
        if view is self.view:
            self.query_one("#body-progress", Static).update(progress_text(progress))

    def action_summary(self) -> None:
        """A printable case summary (Markdown) in the exports folder."""
        if self.view is not None:
            self.notify(t("summary.writing"), markup=False, timeout=2)
            self.write_summary(self.view)

    @work(thread=True, exclusive=True, group="summary", exit_on_error=False)
    def write_summary(self, view: CaseView) -> None:
        from db import clock
        from db.models import database
        from tui.case_summary import default_summary_path, write_case_summary

        path = default_summary_path(view.name, view.student_no, clock.today())
        try:
            with database.connection_context():
                written = write_case_summary(view.student_id, path)
        except OSError as exc:
            self.app.call_from_thread(
                self.notify, t("summary.failed", detail=failure(exc)),
                severity="error", markup=False)
            return
        self.app.call_from_thread(self.notify, t("summary.written", path=str(written)),
                                  markup=False, timeout=8)

    def check_action(self, action: str, parameters) -> bool | None:
        from db.access import can, may_edit_entry

        staff = self.app.staff
        if action == "log":
            return self.view is not None and self.view.case_id is not None
        if action in ("edit", "team", "goals", "review"):
            return (self.view is not None and self.view.case_id is not None
                    and can(staff, "edit_case"))
        if action == "amend":
            return self.view is not None and any(
                may_edit_entry(staff, c.author_id) for c in self.view.contacts)
        if action == "open_restricted":
            return (self.view is not None and self.view.reads_restricted
                    and any(c.restricted for c in self.view.contacts))
        if action == "case_status":
            return self.view is not None and can(staff, "edit_case")
        if action == "edit_student":
            return self.view is not None and can(staff, "manage")
        return True

    def action_back(self) -> None:
        self.dismiss()

    def action_copy(self) -> None:
        """Copy what is in front of the person, as shown to them: on the
        timeline an entry (picked when there are several), on the family tab
        the family's phone number."""
        view = self.view
        if view is None:
            return
        tab = self.query_one(ContentSwitcher).current or "timeline"
        if tab == "family":
            copy_phone(self.app, view)
        elif tab != "timeline":
            self.notify(t("copy.nothing"), severity="warning", markup=False)
        elif not view.contacts:
            self.notify(t("copy.no_entries"), severity="warning", markup=False)
        elif len(view.contacts) == 1:
            self._copy_entry(view.contacts[0].id)
        else:
            from screens.entries import EntryPickerScreen

            self.app.push_screen(EntryPickerScreen(view.contacts, title=t("copy.pick")),
                                 self._copy_entry)

    def _copy_entry(self, contact_id: int | None) -> None:
        if contact_id is None or self.view is None:
            return
        for contact in self.view.contacts:
            if contact.id == contact_id:
                copy_out(self.app, entry_text(contact))
                return

    def action_reload(self) -> None:
        self.load()

    def others_wrote(self) -> None:
        """Someone on another workstation saved: show it if it touches this case."""
        if self.is_mounted and self.student_id is not None and self.view is not None:
            self.refresh_if_changed()

    @work(thread=True, exclusive=True, group="case-fresh", exit_on_error=False)
    def refresh_if_changed(self) -> None:
        from db.cases import load_case
        from db.models import database

        shown = self.view
        with database.connection_context():
            view = load_case(self.student_id, reader=self.app.staff)
        if view != shown:  # unchanged: no redraw, the reader's place is kept
            self.app.call_from_thread(self._refreshed, shown, view)

    def _refreshed(self, shown, view) -> None:
        if self.view is shown and view is not None:
            self.show_case(view)

    def action_tab(self, name: str) -> None:
        self.query_one(ContentSwitcher).current = name
        self._draw_tabs(name)
        self.fill(name)
        self.query_one(f"#{name}").focus()

    def action_next_tab(self) -> None:
        current = self.query_one(ContentSwitcher).current or "timeline"
        self.action_tab(TABS[(TABS.index(current) + 1) % len(TABS)])

    def action_log(self) -> None:
        from screens.contact import ContactScreen

        self.app.push_screen(ContactScreen(student_id=self.student_id),
                             self._after_contact)

    def _after_contact(self, saved) -> None:
        if saved:
            self.action_tab("timeline")
            self.load()

    def action_goals(self) -> None:
        if self.view is None or self.view.case_id is None:
            return
        from screens.goals import GoalsScreen

        self.app.push_screen(GoalsScreen(self.view.case_id, self.view.name), self._after_team)

    def action_review(self) -> None:
        if self.view is None or self.view.case_id is None:
            return
        from screens.stage_review import StageReviewScreen

        self.app.push_screen(StageReviewScreen(self.view.case_id, self.view.name),
                             self._after_review)

    def _after_review(self, saved) -> None:
        if saved:
            self.notify(t("stage.saved"), markup=False)
            self.action_tab("plan")
            self._after_team(True)

    def action_team(self) -> None:
        if self.view is None or self.view.case_id is None:
            return
        from screens.team import TeamScreen

        self.app.push_screen(TeamScreen(self.view.case_id, self.view.name), self._after_team)

    def _after_team(self, changed) -> None:
        if changed:
            self.load()
            self.app.student_saved(self.student_id)

    def action_amend(self) -> None:
        """Pick one of this case's entries and amend it (only that one)."""
        if self.view is None or not self.view.contacts:
            return
        from db.access import may_edit_entry
        from screens.entries import EntryPickerScreen

        staff = self.app.staff
        mine = [c for c in self.view.contacts if may_edit_entry(staff, c.author_id)
                and (not c.restricted or self.view.reads_restricted)]
        self.app.push_screen(EntryPickerScreen(mine), self._amend_picked)

    def action_open_restricted(self) -> None:
        """Pick a restricted entry and read it: each opening is in the audit log."""
        if self.view is None or not self.view.reads_restricted:
            return
        from screens.entries import EntryPickerScreen

        restricted = [c for c in self.view.contacts if c.restricted]
        if restricted:
            self.app.push_screen(EntryPickerScreen(restricted, title=t("case.restricted_pick")),
                                 self._restricted_picked)

    def _restricted_picked(self, contact_id: int | None) -> None:
        if contact_id is not None:
            self.open_entry(contact_id)

    @work(thread=True, exclusive=True, group="open-entry", exit_on_error=False)
    def open_entry(self, contact_id: int) -> None:
        from db.access import NotAllowed
        from db.contacts import open_restricted
        from db.models import database

        try:
            with database.connection_context():
                entry = open_restricted(self.app.staff, contact_id)
        except NotAllowed as exc:
            self.app.call_from_thread(self.app.not_allowed, exc.code)
            return
        self.app.call_from_thread(self._entry_opened, entry)

    def _entry_opened(self, entry) -> None:
        if entry is None:
            self.notify(t("amend.gone"), severity="warning", markup=False)
            return
        from screens.restricted import RestrictedEntryScreen

        self.app.push_screen(RestrictedEntryScreen(entry))

    def _amend_picked(self, contact_id: int | None) -> None:
        if contact_id is not None:
            self.load_entry(contact_id)

    @work(thread=True, exclusive=True, group="amend", exit_on_error=False)
    def load_entry(self, contact_id: int) -> None:
        from db.contacts import load_entry
        from db.models import database

        from db.access import NotAllowed

        try:
            with database.connection_context():
                found = load_entry(contact_id, reader=self.app.staff)
        except NotAllowed as exc:
            self.app.call_from_thread(self.app.not_allowed, exc.code)
            return
        self.app.call_from_thread(self._amend_loaded, contact_id, found)

    def _amend_loaded(self, contact_id: int, found) -> None:
        if found is None:
            self.notify(t("amend.gone"), severity="warning", markup=False)
            return
        from screens.amend import AmendScreen

        entry, student_id = found
        self.app.push_screen(AmendScreen(contact_id, entry, student_id), self._after_contact)

    def action_case_status(self) -> None:
        """Close, reopen or transfer the case; open one when there is none."""
        from screens.case_status import CaseStatusScreen

        view = self.view
        if view is None or not self.app.allowed("edit_case"):
            return
        if view.case_id is None:
            lead = one_line(self.app.staff.name) if self.app.staff else ""
            screen = CaseStatusScreen(view.student_id, view.name, lead=lead)
        else:
            screen = CaseStatusScreen(view.student_id, view.name, view.case_id, view.status)
        self.app.push_screen(screen, self._after_status)

    def _after_status(self, saved) -> None:
        if saved:
            self.load()

    def action_edit_student(self) -> None:
        if self.view is None or not self.app.allowed("manage"):
            return
        self.load_student(self.view.student_id)

    @work(thread=True, exclusive=True, group="student-form", exit_on_error=False)
    def load_student(self, student_id: int) -> None:
        from db.models import database
        from db.students import load_student

        with database.connection_context():
            form = load_student(student_id)
        if form is not None:
            self.app.call_from_thread(self._edit_student, form)

    def _edit_student(self, form) -> None:
        from screens.student import StudentScreen

        if self.app.screen is self:
            self.app.push_screen(StudentScreen(form), lambda saved: saved and self.load())

    def action_edit(self) -> None:
        if self.view is None or self.view.case_id is None:
            return
        from screens.case_edit import CaseEditScreen

        self.app.push_screen(CaseEditScreen(self.view), self._after_edit)

    def _after_edit(self, saved) -> None:
        if saved:
            self.notify(t("case.updated"), markup=False)
            self.load()
            self.app.student_saved(self.student_id)
