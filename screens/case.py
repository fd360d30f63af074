"""Case detail (一生一册): student, family, case file, plan, team and the timeline."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import ContentSwitcher, Header, Static

from db.cases import CaseView
from db.store.connected import connected
from db.text import one_line
from screens.case_text import (case_file_text, copy_phone, entry_text, family_text, plan_text,
                               progress_text, timeline_text)
from tui.i18n import failure, label, t
from tui.screen_base import BangfuScreen
from tui.widgets import KeyFooter, LinesView, PlainStatic, copy_out, wrap_lines

TABS = ("timeline", "file", "family", "plan", "progress")
FIRST_ENTRIES = 12  # drawn at once; the rest of a long timeline follows from a worker


class CaseScreen(BangfuScreen):
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
        # a note for the family (家长版小结), reviewed, then copied or written out
        Binding("h", "parent_note", "key.parent_note", id="parent_note", show=False),
        # referrals (转介): read like restricted entries (screens/referrals.py)
        Binding("f", "referrals", "key.referrals", id="referrals", show=False),
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

        with connected():
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
        from db.progress import student_progress

        with connected():
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
        from tui.case_summary import default_summary_path, write_case_summary

        path = default_summary_path(view.name, view.student_no, clock.today())
        try:
            with connected():
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
        if action == "parent_note":
            return (self.view is not None and self.view.case_id is not None
                    and can(staff, "parent_note"))
        return True

    def action_back(self) -> None:
        self.dismiss()

    def action_parent_note(self) -> None:
        if self.view is None or self.view.case_id is None:
            return
        from screens.parent_note import ParentNoteScreen

        self.app.push_screen(ParentNoteScreen(self.view.case_id, self.view.name))

    def action_referrals(self) -> None:
        if self.view is None or self.view.case_id is None:
            return
        from screens.referrals import ReferralsScreen

        self.app.push_screen(ReferralsScreen(self.view.case_id, self.view.name))

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

        shown = self.view
        with connected():
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

        try:
            with connected():
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

        from db.access import NotAllowed

        try:
            with connected():
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
        from db.students import load_student

        with connected():
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
