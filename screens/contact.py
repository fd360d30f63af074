"""The contact form: log a contact with the family or a help session, keyboard only."""

from __future__ import annotations

from itertools import islice

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Header, Input, OptionList, TextArea
from textual.widgets.option_list import Option

from db import clock
from db.cases import GuardianView
from db.store.connected import connected
from db.contacts import (CaseGone, ContactInput, ContactValidationError, new_uuid,
                         save_contact, validate)
from db.search import RosterRow
from db.text import clean, one_line
from db.vocab import CHANNEL_KEYS, KIND_KEYS, RESTRICTED_KEYS
from tui.i18n import failure, label, paren, queued_message, t
from tui.screen_base import BangfuScreen
from tui.widgets import DateInput, KeyFooter, LetterChoice, PlainStatic

TEXT_FIELDS = ("participants", "duration", "discussed", "agreed", "follow_up", "follow_up_due")
FIELD_WIDGETS = {"student": "#student", "date": "#date", "time": "#time", "kind": "#kind",
                 "channel": "#channel", "participants": "#participants",
                 "duration": "#duration", "discussed": "#discussed", "agreed": "#agreed",
                 "follow_up": "#follow_up", "follow_up_due": "#follow_up_due",
                 "restricted": "#restricted"}
CHOICES = ("kind", "channel", "restricted")


class RestrictedChoice(LetterChoice):
    """Whether the entry is confidential, and why: n (no), c, f, r."""

    def __init__(self, **kwargs):
        super().__init__({"n": "", **RESTRICTED_KEYS}, "restricted", "", **kwargs)

    def option_label(self, code: str) -> str:
        return label("restricted", code) if code else t("form.restricted.no")


class StudentInput(Input):
    """The student field: ↑/↓ move through the suggestions, Enter picks one."""

    BINDINGS = [
        Binding("down", "screen.suggest(1)", show=False),
        Binding("up", "screen.suggest(-1)", show=False),
    ]


class ParticipantsInput(Input):
    BINDINGS = [Binding("ctrl+g", "screen.add_guardian", "key.add_guardian", id="add_guardian")]


class ContactScreen(BangfuScreen[bool]):
    DRAFT_FORM = "contact"  # how its drafts are filed (and reopened)
    TITLE_KEY = "form.title"
    BINDINGS = [
        Binding("ctrl+s", "save", "key.save", id="save"),
        Binding("ctrl+n", "save_next", "key.save_next", id="save_next"),
        Binding("escape", "cancel", "key.back", id="cancel"),
    ]

    def __init__(self, student_id: int | None = None, draft=None, kind: str | None = None,
                 channel: str | None = None):
        super().__init__()
        self.initial_student_id = student_id
        self.initial = {"kind": kind, "channel": channel}  # prefilled from My caseload
        self.draft = draft  # db.store.local.Draft to restore (offered after a crash)
        self.row: RosterRow | None = None
        self.guardians: list[GuardianView] = []
        self.uuid = new_uuid()
        self.saving = False
        self.queued = False  # saved to the outbox: the form is read-only now
        self.saved_count = 0
        self._student_label = ""
        self._suggestions: list[RosterRow] = []
        self._pending_student: int | None = None  # a draft's student, once the roster is in
        self._snapshot: dict = {}
        if draft is not None:
            self.uuid = draft.key

    # -- layout ---------------------------------------------------------------
    def compose(self) -> ComposeResult:
        now = clock.now()
        yield Header()
        with VerticalScroll(id="form"):
            with Horizontal(classes="row"):
                yield PlainStatic(t("form.student"), classes="label")
                yield StudentInput(placeholder=t("form.student.placeholder"), id="student", compact=True)
            yield OptionList(id="suggestions", compact=True)
            yield PlainStatic("", id="err-student", classes="error")
            with Horizontal(classes="row"):
                yield PlainStatic(t("form.date"), classes="label")
                yield DateInput(now.date().isoformat(), placeholder=t("form.date.placeholder"),
                                id="date", classes="short", compact=True)
                yield PlainStatic(t("form.time"), classes="label-short")
                # prefilled like the date: typing edits it, never replaces it unseen
                yield DateInput(f"{now:%H:%M}", placeholder="HH:MM", id="time", classes="tiny",
                                compact=True)
                yield PlainStatic(t("form.duration"), classes="label-short")
                yield Input("", id="duration", classes="tiny", compact=True)
            yield PlainStatic("", id="err-date", classes="error")
            yield PlainStatic("", id="err-time", classes="error")
            yield PlainStatic("", id="err-duration", classes="error")
            with Horizontal(classes="row"):
                yield PlainStatic(t("form.kind"), classes="label")
                yield LetterChoice(KIND_KEYS, "kind", "family", id="kind")
            yield PlainStatic("", id="err-kind", classes="error")
            with Horizontal(classes="row"):
                yield PlainStatic(t("form.channel"), classes="label")
                yield LetterChoice(CHANNEL_KEYS, "channel", "phone", id="channel")
            yield PlainStatic("", id="err-channel", classes="error")
            with Horizontal(classes="row"):
                yield PlainStatic(t("form.participants"), classes="label")
                yield ParticipantsInput(placeholder=t("form.participants.placeholder"),
                                        id="participants", compact=True)
            yield PlainStatic("", id="guardian-hint", classes="hint")
            yield PlainStatic("", id="err-participants", classes="error")
            with Horizontal(classes="row-tall"):
                yield PlainStatic(t("form.discussed"), classes="label")
                yield TextArea(id="discussed", soft_wrap=True, tab_behavior="focus", compact=True)
            yield PlainStatic("", id="err-discussed", classes="error")
            with Horizontal(classes="row-mid"):
                yield PlainStatic(t("form.agreed"), classes="label")
                yield TextArea(id="agreed", soft_wrap=True, tab_behavior="focus", compact=True)
            yield PlainStatic("", id="err-agreed", classes="error")
            with Horizontal(classes="row"):
                yield PlainStatic(t("form.follow_up"), classes="label")
                yield Input("", id="follow_up", compact=True)
            yield PlainStatic("", id="err-follow_up", classes="error")
            with Horizontal(classes="row"):
                yield PlainStatic(t("form.follow_up_due"), classes="label")
                yield DateInput("", placeholder=t("form.date.placeholder"), id="follow_up_due",
                                classes="short", compact=True)
            yield PlainStatic("", id="err-follow_up_due", classes="error")
            with Horizontal(classes="row"):
                yield PlainStatic(t("form.restricted"), classes="label")
                yield RestrictedChoice(id="restricted")
            yield PlainStatic("", id="err-restricted", classes="error")
        yield PlainStatic("", id="form-status", classes="status")
        yield KeyFooter()

    def on_mount(self) -> None:
        # subclasses' own on_mount run first (Textual calls every class's handler)
        self.title = t(self.TITLE_KEY)
        self.query_one("#suggestions", OptionList).display = False
        if self.draft is not None:
            self._restore(self.draft.values)
            return
        for name, value in self.initial.items():
            choice = self.query_one(f"#{name}", LetterChoice)
            if value in choice.codes:
                choice.value = value
        if self.initial_student_id is not None and self.app.index is not None:
            row = self.app.index.get(self.initial_student_id)
            if row is not None:
                self.choose_student(row)
                # the first field after the student, as when it is picked here:
                # Tab then goes on in reading order (time, kind, channel … text)
                self._after_student()
                self._snapshot = self.values()
                return
        self.query_one("#student").focus()
        self._snapshot = self.values()

    def _restore(self, values: dict) -> None:
        """Fill the form from a draft; the snapshot stays empty, so it counts as unsaved."""
        for name in ("date", "time", *TEXT_FIELDS):
            if isinstance(values.get(name), str):
                widget = self.query_one(f"#{name}")
                if isinstance(widget, TextArea):
                    widget.load_text(clean(values[name]))
                else:
                    widget.value = clean(values[name], multiline=False)
        for name in CHOICES:
            choice = self.query_one(f"#{name}", LetterChoice)
            if values.get(name) in choice.codes:
                choice.value = values[name]
        self._snapshot = {}
        student = values.get("student")
        if isinstance(student, int):
            self._pending_student = student
            self.roster_changed()
        self.query_one("#discussed").focus()

    def roster_changed(self) -> None:
        """The app's roster arrived or changed: a restored draft's student can be shown."""
        if self._pending_student is None or self.app.index is None:
            return
        row = self.app.index.get(self._pending_student)
        self._pending_student = None
        if row is not None:
            self.choose_student(row)

    # -- the draft: kept on every change ----------------------------------------
    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self.keep_draft()

    def on_letter_choice_changed(self, event: LetterChoice.Changed) -> None:
        self.keep_draft()

    def keep_draft(self) -> None:
        """Write what the form holds to the local draft (crash, closed terminal)."""
        app = self.app
        if app.staff is None or not self._snapshot and self.draft is None:
            return  # still opening: the first values are not a change
        if not self.dirty and self.draft is None:
            return
        from db.store.local import save_draft

        values = {**self.values(), "date": self._text("date"), "time": self._text("time"),
                  **{name: self.query_one(f"#{name}", LetterChoice).value for name in CHOICES}}
        title = self._student_label or self._text("student")
        try:
            save_draft(app.db_path, app.staff.id, self.DRAFT_FORM, self.uuid, title, values)
        except OSError:  # a full local disk must not stop the typing
            pass

    def drop_draft(self) -> None:
        from db.store.local import discard_draft

        if self.app.staff is not None:
            try:
                discard_draft(self.app.db_path, self.app.staff.id, self.DRAFT_FORM, self.uuid)
            except OSError:
                pass
        self.draft = None

    # -- values ---------------------------------------------------------------
    def _text(self, name: str) -> str:
        widget = self.query_one(f"#{name}")
        return widget.text if isinstance(widget, TextArea) else widget.value

    def values(self) -> dict:
        return {"student": self.row.student_id if self.row else None,
                **{name: self._text(name) for name in TEXT_FIELDS}}

    @property
    def dirty(self) -> bool:
        if not self.is_mounted:
            return False
        now = self.values()
        return any(now[k] != self._snapshot.get(k) for k in TEXT_FIELDS)

    # -- the student field ----------------------------------------------------
    def choose_student(self, row: RosterRow) -> None:
        self.row = row
        self._student_label = f"{one_line(row.name)} · {one_line(row.class_name)} · {row.student_no}"
        field = self.query_one("#student", Input)
        field.value = self._student_label
        self.query_one("#suggestions", OptionList).display = False
        self._set_error("student", "")
        self.load_guardians(row.student_id)

    @work(thread=True, exclusive=True, group="guardians", exit_on_error=False)
    def load_guardians(self, student_id: int) -> None:
        from db.cases import load_guardians

        with connected():
            guardians = load_guardians(student_id)
        self.app.call_from_thread(self._show_guardians, guardians)

    def _show_guardians(self, guardians: list[GuardianView]) -> None:
        self.guardians = guardians
        listing = "  ".join(f"{one_line(g.name)}{paren(label('relation', g.relation)).strip()}"
                            for g in guardians)
        hint = self.query_one("#guardian-hint", PlainStatic)
        hint.update(t("form.guardians", list=listing) + "  ^g" if guardians else "")

    def on_input_changed(self, event: Input.Changed) -> None:
        self.keep_draft()
        if event.input.id != "student" or event.value == self._student_label:
            return
        self.row = None
        self.guardians = []
        self.query_one("#guardian-hint", PlainStatic).update("")
        index = self.app.index
        options = self.query_one("#suggestions", OptionList)
        if index is None or not event.value.strip():
            options.display = False
            return
        # only students with a case can have contacts logged
        self._suggestions = list(islice((r for r in index.search(event.value)
                                         if r.case_id is not None), 6))
        options.set_options(
            Option(Text(f"{one_line(r.name)}  {one_line(r.class_name)}  {r.student_no}  "
                        f"{label('status', r.status)}")) for r in self._suggestions)
        options.display = bool(self._suggestions)
        if self._suggestions:
            options.highlighted = 0

    def action_suggest(self, delta: int) -> None:
        options = self.query_one("#suggestions", OptionList)
        if options.display and self._suggestions:
            current = options.highlighted or 0
            options.highlighted = max(0, min(len(self._suggestions) - 1, current + delta))
        elif delta > 0:
            self.focus_next()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "student":
            options = self.query_one("#suggestions", OptionList)
            if options.display and self._suggestions:
                self.choose_student(self._suggestions[options.highlighted or 0])
            elif self.row is None:
                return
            self._after_student()
            return
        self.focus_next()

    def _after_student(self) -> None:
        # in a series (save and next) date, channel and participants are kept:
        # go straight to what was discussed
        self.query_one("#discussed" if self.saved_count else "#date").focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id == "suggestions" and event.option_index < len(self._suggestions):
            self.choose_student(self._suggestions[event.option_index])
            self._after_student()

    def action_add_guardian(self) -> None:
        field = self.query_one("#participants", Input)
        present = field.value
        for g in self.guardians:
            name = f"{one_line(g.name)}{paren(label('relation', g.relation)).strip()}"
            if name not in present:
                field.value = f"{present}, {name}" if present.strip() else name
                field.cursor_position = len(field.value)
                return

    # -- saving ---------------------------------------------------------------
    def _set_error(self, field: str, key: str) -> None:
        widget = self.query_one(f"#err-{field}", PlainStatic)
        widget.update(t(key) if key else "")
        widget.set_class(bool(key), "shown")
        self.query_one(FIELD_WIDGETS[field]).set_class(bool(key), "invalid")

    def collect(self) -> ContactInput:
        return ContactInput(
            case_id=self.row.case_id if self.row else None,
            date=self._text("date"), time=self._text("time"),
            kind=self.query_one("#kind", LetterChoice).value,
            channel=self.query_one("#channel", LetterChoice).value,
            participants=self._text("participants"), duration=self._text("duration"),
            discussed=self._text("discussed"), agreed=self._text("agreed"),
            follow_up=self._text("follow_up"), follow_up_due=self._text("follow_up_due"),
            uuid=self.uuid, restricted=self.query_one("#restricted", LetterChoice).value)

    def action_save(self) -> None:
        self._save(keep_open=False)

    def action_save_next(self) -> None:
        self._save(keep_open=True)

    def check_action(self, action: str, parameters) -> bool | None:
        if action in ("save", "save_next", "add_guardian") and self.queued:
            return False
        return True

    def _save(self, keep_open: bool) -> None:
        if self.saving or self.queued:
            return
        for field in FIELD_WIDGETS:
            self._set_error(field, "")
        try:
            entry = validate(self.collect())
        except ContactValidationError as exc:
            for field, key in exc.errors.items():
                self._set_error(field, key)
            first = next(f for f in FIELD_WIDGETS if f in exc.errors)
            self.query_one(FIELD_WIDGETS[first]).focus()
            self._status(t("form.invalid"))
            return
        self.saving = True
        self._status(t("form.saving"))
        self.save_entry(entry, self.row, keep_open)

    @work(thread=True, exclusive=True, group="save", exit_on_error=False)
    def save_entry(self, entry, row: RosterRow, keep_open: bool) -> None:
        from db.store.connection import is_unreachable

        try:
            with connected():
                save_contact(self.app.staff, entry, on_retry=self.app.busy_retry)
        except CaseGone:
            self.app.call_from_thread(self._save_failed, t("form.case_gone"))
        except Exception as exc:  # noqa: BLE001 - the share went away, the disk is full …
            kind, message = queued_message(exc, form=True)  # what happened, in words
            if is_unreachable(exc) and self._queue(entry, kind):
                self.app.call_from_thread(self._queued, entry, row, keep_open, message)
            else:
                self.app.call_from_thread(self._save_failed,
                                          t("form.save_failed", detail=failure(exc)))
        else:
            self.app.call_from_thread(self._saved, entry, row, keep_open)

    def _queue(self, entry, kind: str) -> bool:
        """Keep the entry in the local outbox; False if even that failed."""
        from db.outbox import queue_contact

        try:
            queue_contact(self.app.db_path, self.app.staff, entry, kind)
        except OSError:
            return False
        return True

    def _queued(self, entry, row: RosterRow, keep_open: bool, message: str) -> None:
        """Saved locally, not yet in the file: the same as saved for the person typing."""
        self.drop_draft()
        self.app.entry_queued()
        self.notify(message, severity="warning", timeout=8, markup=False)
        if keep_open:
            self._saved(entry, row, keep_open, reached=False)
            return
        # the form keeps its text on screen, read-only: the entry as queued is
        # what will be written, so a later edit here could never reach the file
        self.saving = False
        self.queued = True
        self._snapshot = self.values()
        for widget in self.query(Input):
            widget.disabled = True
        for area in self.query(TextArea):
            area.read_only = True
        for choice in self.query(LetterChoice):
            choice.disabled = True
        self.refresh_bindings()
        self._status(t("form.queued_status", n=self.app.waiting))

    def _save_failed(self, message: str) -> None:
        self.saving = False
        self._status(message)
        self.notify(message, severity="error", markup=False)

    def _saved(self, entry, row: RosterRow, keep_open: bool, reached: bool = True) -> None:
        self.saving = False
        self.saved_count += 1
        if reached:
            self.drop_draft()
            self.app.student_saved(row.student_id)
        if not keep_open:
            self.dismiss(True)
            return
        self.notify(t("form.saved_next", name=one_line(row.name)), markup=False, timeout=2)
        self.uuid = new_uuid()
        self.row = None
        self._student_label = ""
        self.query_one("#student", Input).value = ""
        for name in ("discussed", "agreed"):
            self.query_one(f"#{name}", TextArea).clear()
        for name in ("duration", "follow_up", "follow_up_due"):
            self.query_one(f"#{name}", Input).value = ""
        self.guardians = []
        self.query_one("#guardian-hint", PlainStatic).update("")
        self._snapshot = self.values()
        self._status(t("form.count", n=self.saved_count))
        self.query_one("#student").focus()

    def _status(self, text: str) -> None:
        self.query_one("#form-status", PlainStatic).update(text)

    # -- leaving --------------------------------------------------------------
    def action_cancel(self) -> None:
        options = self.query_one("#suggestions", OptionList)
        if options.display:
            options.display = False
            return
        from screens.confirm import leave_form

        leave_form(self, not self.dirty, self.drop_draft, self.saved_count > 0)
