"""Offered after sign-in: forms this person left unsaved (a crash, a closed terminal,
a dropped SSH session).  Enter reopens one, d discards it, esc leaves them for later."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from db.store.connected import connected
from db.store.local import Draft
from db.text import one_line
from tui.i18n import t
from tui.screen_base import BangfuModal
from tui.widgets import KeyFooter, PlainStatic


class DraftsScreen(BangfuModal[None]):
    BINDINGS = [
        Binding("enter", "open", "key.open_draft", id="open_draft"),
        Binding("d", "discard", "key.discard_draft", id="discard_draft", key_display="d"),
        Binding("escape", "later", "key.later", id="later"),
    ]

    def __init__(self, drafts: list[Draft]):
        super().__init__()
        self.drafts = list(drafts)

    def compose(self) -> ComposeResult:
        with Vertical(id="drafts"):
            yield PlainStatic(t("drafts.title"), classes="title")
            yield PlainStatic(t("drafts.hint"), classes="hint")
            yield OptionList(id="draft-list", compact=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        self._fill()
        self.query_one("#draft-list").focus()

    def _fill(self) -> None:
        options = self.query_one("#draft-list", OptionList)
        options.set_options(
            Option(Text(t(f"drafts.{d.form}", title=one_line(d.title) or "—",
                          when=d.saved_at[:16].replace("T", " "))))
            for d in self.drafts)
        if self.drafts:
            options.highlighted = 0

    def _current(self) -> Draft | None:
        index = self.query_one("#draft-list", OptionList).highlighted
        return self.drafts[index] if index is not None and index < len(self.drafts) else None

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        draft = self._current()
        if draft is None:
            return
        if draft.form == "contact":
            from screens.contact import ContactScreen

            self.dismiss(None)
            self.app.push_screen(ContactScreen(draft=draft))
        elif draft.form == "amend":
            self.open_amend(draft)
        elif draft.form == "meeting":
            from screens.meeting import MeetingScreen

            self.dismiss(None)
            self.app.push_screen(MeetingScreen(draft=draft))
        elif draft.form == "case_edit":
            self.open_case_edit(draft)
        elif draft.form in ("score_grid", "checkin_grid"):
            from screens.scores import ScoreGridScreen

            self.dismiss(None)
            self.app.push_screen(ScoreGridScreen(
                "scores" if draft.form == "score_grid" else "checkins", draft=draft))
        elif draft.form == "survey_grid" and isinstance(draft.values.get("survey_id"), int):
            from screens.survey_grid import SurveyGridScreen

            self.dismiss(None)
            self.app.push_screen(SurveyGridScreen(draft.values["survey_id"], draft=draft))
        elif draft.form == "attendance":
            self.open_attendance(draft)
        elif draft.form == "feedback":
            from screens.feedback_form import FeedbackFormScreen

            self.dismiss(None)
            self.app.push_screen(FeedbackFormScreen(draft=draft))
        elif draft.form == "stage_review":
            case_id = draft.values.get("case_id")
            if not isinstance(case_id, int):
                self.notify(t("drafts.gone"), severity="warning", markup=False)
                return
            from screens.stage_review import StageReviewScreen

            self.dismiss(None)
            self.app.push_screen(StageReviewScreen(case_id, str(draft.values.get("name", "")),
                                                   draft=draft))

    @work(thread=True, exclusive=True, exit_on_error=False)
    def open_attendance(self, draft: Draft) -> None:
        from db.family_events import EventGone, load_event

        try:
            with connected():
                event = load_event(int(draft.values.get("event_id", 0)))
        except (EventGone, TypeError, ValueError):
            self.app.call_from_thread(self.notify, t("drafts.gone"), severity="warning",
                                      markup=False)
            return
        self.app.call_from_thread(self._attendance_loaded, draft, event)

    def _attendance_loaded(self, draft: Draft, event) -> None:
        from screens.attendance import AttendanceScreen

        self.dismiss(None)
        self.app.push_screen(AttendanceScreen(event, draft=draft))

    @work(thread=True, exclusive=True, exit_on_error=False)
    def open_case_edit(self, draft: Draft) -> None:
        from db.cases import load_case

        student = draft.values.get("student_id")
        view = None
        if isinstance(student, int):
            with connected():
                view = load_case(student, reader=self.app.staff)
        self.app.call_from_thread(self._case_loaded, draft, view)

    def _case_loaded(self, draft: Draft, view) -> None:
        if view is None or view.case_id is None or str(view.case_id) != draft.key:
            self.notify(t("drafts.gone"), severity="warning", markup=False)
            return
        from screens.case_edit import CaseEditScreen

        self.dismiss(None)
        self.app.push_screen(CaseEditScreen(view, draft=draft))

    @work(thread=True, exclusive=True, exit_on_error=False)
    def open_amend(self, draft: Draft) -> None:
        from db.contacts import load_entry

        from db.access import NotAllowed

        contact_id = draft.values.get("contact_id")
        found = None
        if isinstance(contact_id, int):
            try:
                with connected():
                    # with its reader: a restricted entry reopened is an audited opening
                    found = load_entry(contact_id, reader=self.app.staff)
            except NotAllowed as exc:
                self.app.call_from_thread(self.app.not_allowed, exc.code)
                return
        self.app.call_from_thread(self._entry_loaded, draft, contact_id, found)

    def _entry_loaded(self, draft: Draft, contact_id, found) -> None:
        if found is None:
            self.notify(t("drafts.gone"), severity="warning", markup=False)
            return
        from screens.amend import AmendScreen

        entry, student_id = found
        self.dismiss(None)
        self.app.push_screen(AmendScreen(contact_id, entry, student_id, draft=draft))

    def action_discard(self) -> None:
        from db.store.local import discard_draft

        draft = self._current()
        if draft is None:
            return
        discard_draft(self.app.db_path, draft.staff_id, draft.form, draft.key)
        self.drafts.remove(draft)
        self.notify(t("drafts.discarded"), timeout=2, markup=False)
        if not self.drafts:
            self.dismiss(None)
            return
        self._fill()

    def action_later(self) -> None:
        self.dismiss(None)
