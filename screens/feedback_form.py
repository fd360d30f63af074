"""One family's feedback item: recording a new one, or answering one.

New: the student by number or name (empty: anonymous), when it came in, kind
and channel by one letter each, what the family said, who answers it (a
name; empty: the case lead, else the head teacher, else you) and by when
(empty: in a week).  An existing item shows what came in, and takes the
answer, its date and whether it was resolved; its owner and due date change
here too for those who may pass it on.  ctrl+s saves; esc leaves (asking
first when something was typed).  Dismissed with True when something was saved.

A new item is kept on this computer as a draft while it is typed (like the
contact form), offered again after the next sign-in if bangfu closed before it
was saved; it carries a client-made UUID, so a save retried after a failure
never records it twice.
"""

from __future__ import annotations

import uuid as uuidlib

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Header, Input

from db import clock
from db.store.connected import connected
from db.text import one_line
from tui.i18n import label, t
from tui.screen_base import BangfuScreen
from tui.widgets import DateInput, KeyFooter, LetterChoice, PlainStatic

KIND_KEYS = {"s": "suggestion", "c": "complaint", "q": "question", "p": "praise"}
CHANNEL_KEYS = {"b": "box", "p": "phone", "w": "wechat", "m": "meeting", "s": "survey",
                "v": "visit", "o": "other"}
NEW_FIELDS = ("student", "received", "text", "owner", "due")
ANSWER_FIELDS = ("answer", "answered", "owner", "due")
FIELD_LABELS = {"student": "feedback.form.student", "received": "feedback.form.received",
                "kind": "feedback.form.kind", "channel": "feedback.form.channel",
                "text": "feedback.form.text", "owner": "feedback.form.owner",
                "due": "feedback.form.due", "answer": "feedback.form.answer",
                "answered": "feedback.form.answered", "resolved": "feedback.form.resolved"}


class ResolvedChoice(LetterChoice):
    def __init__(self, value: str, **kwargs):
        super().__init__({"n": "no", "y": "yes"}, "resolved", value, **kwargs)

    def option_label(self, code: str) -> str:
        return t(f"feedback.resolved.{code}")


class FeedbackFormScreen(BangfuScreen[bool]):
    DEFAULT_CSS = """
    #fbform { height: 1fr; padding: 0 1; }
    #fbform .row { height: auto; }
    #fbform Input { width: 1fr; background: $boost; }
    #fbform Input:focus { background: $accent 30%; }
    #fbform Input.short { width: 14; }
    #fbform LetterChoice { padding: 0 1; }
    #fbform .label-wide { margin-top: 0; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "key.save", id="feedback_save"),
        Binding("escape", "cancel", "key.back", id="feedback_cancel"),
    ]

    def __init__(self, feedback_id: int | None = None, draft=None):
        """``draft``: a db.store.local.Draft of a new item to restore (typed, never saved)."""
        super().__init__()
        self.feedback_id = feedback_id
        self.draft = draft
        self.uuid = str(draft.values.get("uuid") or draft.key) if draft else str(uuidlib.uuid4())
        self.row = None  # db.feedback.FeedbackRow, once loaded
        self.saved = False
        self.focus_owner = False  # opened to pass it on (r in the list)
        self._snapshot: dict = {}

    @property
    def fields(self) -> tuple[str, ...]:
        return ANSWER_FIELDS if self.feedback_id is not None else NEW_FIELDS

    def _row(self, key: str, widget, name: str) -> Horizontal:
        return Horizontal(PlainStatic(t(key), classes="label"), widget, classes="row",
                          id=f"row-{name}")

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="fbform"):
            if self.feedback_id is None:
                yield self._row("feedback.form.student", Input(
                    placeholder=t("feedback.form.student.placeholder"), id="student",
                    compact=True), "student")
                yield PlainStatic("", id="student-hint", classes="hint")
                yield self._row("feedback.form.received", DateInput(
                    clock.today().isoformat(), placeholder=t("form.date.placeholder"),
                    id="received", classes="short", compact=True), "received")
                yield self._row("feedback.form.kind", LetterChoice(
                    KIND_KEYS, "feedback", "suggestion", id="kind"), "kind")
                yield self._row("feedback.form.channel", LetterChoice(
                    CHANNEL_KEYS, "feedback_channel", "box", id="channel"), "channel")
                yield self._row("feedback.form.text", Input(id="text", compact=True), "text")
            else:
                yield PlainStatic("", id="received-line", classes="label-wide")
                yield PlainStatic("", id="received-text")
                yield self._row("feedback.form.answer", Input(id="answer", compact=True),
                                "answer")
                yield self._row("feedback.form.answered", DateInput(
                    "", placeholder=t("form.date.placeholder"), id="answered", compact=True), "answered")
                yield self._row("feedback.form.resolved", ResolvedChoice("no", id="resolved"),
                                "resolved")
            yield self._row("feedback.form.owner", Input(
                placeholder=t("feedback.form.owner.placeholder"), id="owner", compact=True),
                "owner")
            yield self._row("feedback.form.due", DateInput(
                "", placeholder=t("feedback.form.due.placeholder"), id="due", compact=True), "due")
        yield PlainStatic("", id="feedback-error", classes="error-status")
        yield KeyFooter()

    def on_mount(self) -> None:
        if self.feedback_id is None:
            self.title = t("feedback.form.new")
            self.query_one("#student").focus()
            self._snapshot = self.values()
            if self.draft is not None:  # what was typed before bangfu closed
                for name, value in self.draft.values.items():
                    found = self.query(f"#{name}")
                    if name in (*NEW_FIELDS, "kind", "channel") and found and \
                            isinstance(value, str):
                        found.first().value = value
            return
        self.title = t("feedback.form.open", id=self.feedback_id)
        self.load()

    # -- an existing item -------------------------------------------------------
    @work(thread=True, exclusive=True, group="feedback-form", exit_on_error=False)
    def load(self) -> None:
        from db.feedback import FeedbackGone, get_feedback, may_answer, may_reassign

        try:
            with connected():
                row = get_feedback(self.app.staff, self.feedback_id)
        except FeedbackGone:
            self.app.call_from_thread(self._error, t("feedback.gone"))
            return
        allowed = (may_answer(self.app.staff, row), may_reassign(self.app.staff, row))
        self.app.call_from_thread(self._loaded, row, *allowed)

    def _loaded(self, row, answers: bool, reassigns: bool) -> None:
        self.row = row
        student = (f"{one_line(row.name)} {row.student_no}" if row.student_id
                   else t("feedback.anonymous"))
        self.query_one("#received-line", PlainStatic).update(t(
            "feedback.form.from", date=f"{row.received_on:%Y-%m-%d}",
            kind=label("feedback", row.kind), channel=label("feedback_channel", row.channel),
            student=student))
        self.query_one("#received-text", PlainStatic).update(one_line(row.text))
        self.query_one("#answer", Input).value = one_line(row.answer)
        self.query_one("#answered", Input).value = (
            f"{row.answered_on:%Y-%m-%d}" if row.answered_on else "")
        self.query_one("#resolved", LetterChoice).value = "yes" if row.resolved else "no"
        self.query_one("#owner", Input).value = one_line(row.owner)
        self.query_one("#due", Input).value = f"{row.due_on:%Y-%m-%d}" if row.due_on else ""
        for name in ("answer", "answered", "resolved"):
            self.query_one(f"#{name}").disabled = not answers
        for name in ("owner", "due"):
            self.query_one(f"#{name}").disabled = not reassigns
        if not answers:
            self._error(t("feedback.not_yours"))
        elif self.focus_owner and reassigns:
            self.query_one("#owner").focus()
        else:
            self.query_one("#answer").focus()
        self._snapshot = self.values()

    # -- values -----------------------------------------------------------------
    def values(self) -> dict:
        out = {name: self.query_one(f"#{name}", Input).value for name in self.fields}
        for name in ("kind", "channel", "resolved"):
            found = self.query(f"#{name}")
            if found:
                out[name] = found.first(LetterChoice).value
        return out

    @property
    def dirty(self) -> bool:
        return self.is_mounted and bool(self._snapshot) and self.values() != self._snapshot

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "student":
            self.query_one("#student-hint", PlainStatic).update(self._student_hint(event.value))
        self.keep_draft()

    def on_letter_choice_changed(self, event: LetterChoice.Changed) -> None:
        self.keep_draft()

    # -- the draft of a new item ---------------------------------------------------
    def keep_draft(self) -> None:
        """A new item's fields, kept on this computer until it is saved or left."""
        if self.feedback_id is not None or self.app.staff is None or not self.dirty:
            return
        from db.store.local import save_draft

        values = self.values()
        try:
            save_draft(self.app.db_path, self.app.staff.id, "feedback", self.uuid,
                       one_line(values["text"])[:40] or one_line(values["student"]),
                       {**values, "uuid": self.uuid})
        except OSError:
            pass

    def drop_draft(self) -> None:
        from db.store.local import discard_draft

        if self.app.staff is None:
            return
        try:
            discard_draft(self.app.db_path, self.app.staff.id, "feedback", self.uuid)
        except OSError:
            pass

    def _student_hint(self, text: str) -> str:
        from db.roster import StudentLookupError, resolve_student

        if not text.strip() or self.app.index is None:
            return ""
        try:
            row = resolve_student(self.app.index, text)
        except StudentLookupError:
            return ""
        return t("feedback.student.match", name=one_line(row.name),
                 klass=one_line(row.class_name), number=row.student_no)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    # -- saving -----------------------------------------------------------------
    def _error(self, text: str, field: str = "") -> None:
        self.query_one("#feedback-error", PlainStatic).update(text)
        if field:
            found = self.query(f"#{field}")
            if found and not found.first().disabled:
                found.first().focus()

    def _field_error(self, field: str, key: str) -> None:
        name = t(FIELD_LABELS[field]) if field in FIELD_LABELS else field
        self._error(f"{name}{t('common.colon')}{t(key)}", field)

    def _student(self, text: str) -> int | None | bool:
        """The student's id, None (anonymous), or False after saying why not."""
        from db.roster import StudentLookupError, resolve_student

        if not text.strip():
            return None
        if self.app.index is None:
            self._error(t("roster.loading"), "student")
            return False
        try:
            return resolve_student(self.app.index, text).student_id
        except StudentLookupError as exc:
            if exc.code == "none":
                self._error(t("feedback.student.none"), "student")
            else:
                listing = "; ".join(f"{one_line(r.name)} {r.student_no}"
                                    for r in exc.candidates[:4])
                self._error(t("feedback.student.many", list=listing), "student")
            return False

    def action_save(self) -> None:
        values = self.values()
        student = None
        if self.feedback_id is None:
            found = self._student(values["student"])
            if found is False:
                return
            student = found
        elif self.row is None:
            return
        self._error("")
        self.save(values, student)

    @work(thread=True, exclusive=True, group="feedback-save", exit_on_error=False)
    def save(self, values: dict, student) -> None:
        from db import feedback
        from db.access import NotAllowed

        call = self.app.call_from_thread
        try:
            with connected():
                owner = self._owner(values["owner"])
                if owner is False:
                    return
                if self.feedback_id is None:
                    self.feedback_id = feedback.record_feedback(
                        self.app.staff, student_id=student, kind=values["kind"],
                        channel=values["channel"], text=values["text"],
                        received=values["received"], owner_id=owner, due=values["due"],
                        uuid=self.uuid)
                    self.drop_draft()
                else:
                    self._answer(values, owner)
        except feedback.FeedbackError as exc:
            call(self._field_error, *next(iter(exc.errors.items())))
            return
        except feedback.FeedbackConflict as exc:
            call(self._error, t("feedback.conflict", by=one_line(exc.by) or t("feedback.someone")))
            return
        except feedback.FeedbackGone:
            call(self._error, t("feedback.gone"))
            return
        except NotAllowed as exc:
            call(self._error, t(f"err.access.{exc.code}"))
            return
        self.saved = True
        call(self.app.notify, t("feedback.saved"), timeout=2, markup=False)
        call(self.dismiss, True)

    def _answer(self, values: dict, owner) -> None:
        """Pass it on (owner, due) when those changed, then the answer."""
        from db import feedback

        row = self.row
        version = row.version
        due_changed = values["due"] != self._snapshot.get("due")
        if (owner is not None and owner != row.owner_id) or due_changed:
            if feedback.reassign_feedback(self.app.staff, row.id, version,
                                          owner if owner is not None else row.owner_id,
                                          values["due"]):
                version += 1
        if feedback.may_answer(self.app.staff, row) and any(
                values[k] != self._snapshot.get(k) for k in ("answer", "answered", "resolved")):
            feedback.answer_feedback(self.app.staff, row.id, version, values["answer"],
                                     values["answered"] or "today",
                                     resolved=values["resolved"] == "yes")

    def _owner(self, text: str):
        """The owner's id, None (the default / unchanged), or False after saying why not."""
        from db.staff import find_staff

        text = text.strip()
        if not text or (self.row is not None and text == one_line(self.row.owner)):
            return None
        found = find_staff(text)
        if len(found) == 1:
            return found[0].id
        if not found:
            self.app.call_from_thread(self._error, t("feedback.owner.none"), "owner")
        else:
            listing = "、".join(one_line(s.name) for s in found[:5])
            self.app.call_from_thread(self._error, t("feedback.owner.many", list=listing), "owner")
        return False

    def action_cancel(self) -> None:
        from screens.confirm import leave_form

        leave_form(self, not self.dirty, self.drop_draft, self.saved)
