"""Meeting mode: one entry written once for several students (a parent meeting,
a group talk).  Pick the students one by one (Enter adds the highlighted one)
or a whole class (type its code, ctrl+a adds every match with a case); save
writes one entry per student, all sharing a meeting id, in one transaction.
Each entry can later be amended alone from its case."""

from __future__ import annotations

from textual import work
from textual.binding import Binding
from textual.widgets import Input, OptionList

from db.store.connected import connected
from db.contacts import (CaseGone, ContactValidationError, meeting_entries, new_uuid,
                         save_meeting, validate)
from db.search import RosterRow
from db.text import one_line
from screens.contact import ContactScreen
from tui.i18n import failure, queued_message, t
from tui.widgets import PlainStatic


class MeetingScreen(ContactScreen):
    DRAFT_FORM = "meeting"
    TITLE_KEY = "meeting.title"
    BINDINGS = [
        # before the student field's own ctrl+a / ctrl+x (home, cut), only while it has focus
        Binding("ctrl+a", "add_all", "key.add_all", id="add_all", priority=True),
        Binding("ctrl+x", "remove_last", "key.remove_last", id="remove_last", priority=True),
    ]

    def __init__(self, draft=None):
        super().__init__(draft=draft, kind="family", channel="parent_meeting")
        self.chosen: list[RosterRow] = []
        self.uuids: dict[int, str] = {}  # student id -> that student's entry UUID
        self._pending_students: list[int] = []  # a draft's, once the roster is in

    def on_mount(self) -> None:
        # runs before ContactScreen.on_mount (Textual calls both, this one first)
        self.query_one("#form").mount(PlainStatic(t("meeting.none"), id="chosen", classes="hint"),
                                      after="#suggestions")

    def _restore(self, values: dict) -> None:
        super()._restore(values)
        self._pending_students = [s for s in values.get("students", ()) if isinstance(s, int)]
        self.roster_changed()

    def roster_changed(self) -> None:
        if not getattr(self, "_pending_students", None) or self.app.index is None:
            return
        for student_id in self._pending_students:
            row = self.app.index.get(student_id)
            if row is not None and row.case_id is not None and student_id not in self.uuids:
                self.chosen.append(row)
                self.uuids[student_id] = new_uuid()
        self._pending_students = []
        self._show_chosen()

    # -- choosing the students ---------------------------------------------------
    def _show_chosen(self) -> None:
        names = t("common.list_sep").join(one_line(r.name) for r in self.chosen)
        self.query_one("#chosen", PlainStatic).update(
            t("meeting.chosen", n=len(self.chosen), names=names) if self.chosen
            else t("meeting.none"))

    def choose_student(self, row: RosterRow) -> None:
        if row.case_id is not None and row.student_id not in self.uuids:
            self.chosen.append(row)
            self.uuids[row.student_id] = new_uuid()
        self._student_label = ""
        self.query_one("#student", Input).value = ""
        self.query_one("#suggestions", OptionList).display = False
        self._set_error("student", "")
        self._show_chosen()
        self.keep_draft()

    def _after_student(self) -> None:
        self.query_one("#student").focus()  # the next student, or Enter on empty to go on

    def on_input_submitted(self, event: Input.Submitted) -> None:
        # an empty student field goes on to the date; anything else is the
        # contact form's (ContactScreen.on_input_submitted runs after this one)
        if event.input.id == "student" and not event.value.strip():
            event.stop()
            event.prevent_default()
            if self.chosen:
                self.query_one("#date").focus()

    def check_action(self, action: str, parameters) -> bool | None:
        if action in ("add_all", "remove_last"):
            return self.focused is not None and self.focused.id == "student"
        return super().check_action(action, parameters)

    def action_add_all(self) -> None:
        """Every student matching what is typed (a class code: the whole class)."""
        query = self.query_one("#student", Input).value
        if self.app.index is None or not query.strip():
            return
        for row in self.app.index.search(query):
            if row.case_id is not None and row.student_id not in self.uuids:
                self.chosen.append(row)
                self.uuids[row.student_id] = new_uuid()
        self.query_one("#student", Input).value = ""
        self.query_one("#suggestions", OptionList).display = False
        self._show_chosen()
        self.keep_draft()

    def action_remove_last(self) -> None:
        if self.chosen:
            row = self.chosen.pop()
            self.uuids.pop(row.student_id, None)
            self._show_chosen()
            self.keep_draft()

    def values(self) -> dict:
        values = super().values()
        values["students"] = [r.student_id for r in getattr(self, "chosen", ())]
        return values

    @property
    def dirty(self) -> bool:
        return bool(getattr(self, "chosen", None)) or super().dirty

    # -- saving ------------------------------------------------------------------
    def collect(self):
        data = super().collect()
        data.case_id = self.chosen[0].case_id if self.chosen else None
        return data

    def _save(self, keep_open: bool) -> None:
        if self.saving or self.queued:
            return
        for field in ("student", "date", "time", "duration", "discussed", "agreed",
                      "follow_up", "follow_up_due", "participants", "kind", "channel"):
            self._set_error(field, "")
        try:
            entry = validate(self.collect())
        except ContactValidationError as exc:
            errors = dict(exc.errors)
            if "student" in errors:
                errors["student"] = "err.meeting.students"
            for field, key in errors.items():
                self._set_error(field, key)
            self._status(t("form.invalid"))
            return
        entries = meeting_entries(entry, [(r.case_id, self.uuids[r.student_id])
                                          for r in self.chosen])
        self.saving = True
        self._status(t("form.saving"))
        self.save_all(entries, keep_open)

    @work(thread=True, exclusive=True, group="save", exit_on_error=False)
    def save_all(self, entries, keep_open: bool) -> None:
        from db.store.connection import is_unreachable

        try:
            with connected():
                save_meeting(self.app.staff, entries, on_retry=self.app.busy_retry)
        except CaseGone:
            self.app.call_from_thread(self._save_failed, t("meeting.case_gone"))
        except Exception as exc:  # noqa: BLE001 - the share went away, the disk is full …
            kind, message = queued_message(exc, form=True)  # what happened, in words
            if is_unreachable(exc) and all(self._queue(e, kind) for e in entries):
                self.app.call_from_thread(self._meeting_queued, entries, message)
            else:
                self.app.call_from_thread(self._save_failed,
                                          t("form.save_failed", detail=failure(exc)))
        else:
            self.app.call_from_thread(self._meeting_saved, entries, keep_open)

    def _meeting_saved(self, entries, keep_open: bool) -> None:
        self.saving = False
        self.drop_draft()
        for row in self.chosen:
            self.app.student_saved(row.student_id)
        self.notify(t("meeting.saved", n=len(entries)), markup=False, timeout=3)
        if not keep_open:
            self.dismiss(True)
            return
        # the next meeting: new students, new text; date, kind and channel stay
        self.saved_count += 1
        self.uuid = new_uuid()
        self.chosen, self.uuids = [], {}
        for name in ("discussed", "agreed"):
            self.query_one(f"#{name}").clear()
        for name in ("duration", "follow_up", "follow_up_due", "participants"):
            self.query_one(f"#{name}", Input).value = ""
        self._show_chosen()
        self._snapshot = self.values()
        self.query_one("#student").focus()

    def _meeting_queued(self, entries, message: str) -> None:
        self.saving = False
        self.drop_draft()
        self.app.entry_queued()
        self.notify(message, severity="warning", timeout=8, markup=False)
        self.dismiss(True)
