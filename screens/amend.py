"""Amending one entry: the contact form filled from the entry; saving changes
only that entry (one of a meeting's entries too), and the audit log keeps what
it said before."""

from __future__ import annotations

from textual import work
from textual.widgets import Input, TextArea

from db.access import NotAllowed
from db.contacts import EntryGone, amend_contact
from db.text import clean
from screens.contact import ContactScreen
from tui.widgets import LetterChoice
from tui.i18n import t


class AmendScreen(ContactScreen):
    DRAFT_FORM = "amend"
    TITLE_KEY = "amend.title"

    def __init__(self, contact_id: int, entry, student_id: int, draft=None):
        super().__init__(student_id=student_id, draft=draft, kind=entry.kind,
                         channel=entry.channel)
        self.contact_id = contact_id
        self.entry = entry
        self.uuid = entry.uuid  # the entry keeps its identity

    def on_mount(self) -> None:
        # runs before ContactScreen.on_mount (Textual calls both, this one first),
        # which then takes the snapshot of these values and focuses the text
        self.query_one("#student", Input).disabled = True  # an entry stays with its student
        if self.draft is not None:  # reopened after a crash: the draft's text, not the file's
            return
        e = self.entry
        fields = {"date": f"{e.occurred_at:%Y-%m-%d}", "time": f"{e.occurred_at:%H:%M}",
                  "participants": e.participants, "discussed": e.discussed, "agreed": e.agreed,
                  "duration": "" if e.duration_min is None else str(e.duration_min),
                  "follow_up": e.follow_up,
                  "follow_up_due": "" if e.follow_up_due is None else f"{e.follow_up_due:%Y-%m-%d}"}
        self.query_one("#restricted", LetterChoice).value = e.restricted
        for name, value in fields.items():
            widget = self.query_one(f"#{name}")
            # as another tool may have stored it: shown without control characters
            if isinstance(widget, TextArea):
                widget.load_text(clean(value))
            else:
                widget.value = clean(value, multiline=False)

    def values(self) -> dict:
        return {**super().values(), "contact_id": self.contact_id}

    def check_action(self, action: str, parameters) -> bool | None:
        if action == "save_next":
            return False
        return super().check_action(action, parameters)

    def save_entry(self, entry, row, keep_open: bool) -> None:
        self.amend(entry)

    @work(thread=True, exclusive=True, group="save", exit_on_error=False)
    def amend(self, entry) -> None:
        from db.models import database

        entry.meeting_id = self.entry.meeting_id
        try:
            with database.connection_context():
                amend_contact(self.app.staff, self.contact_id, entry,
                              on_retry=self.app.busy_retry)
        except EntryGone:
            self.app.call_from_thread(self._save_failed, t("amend.gone"))
        except NotAllowed as exc:
            self.app.call_from_thread(self._save_failed, t(f"err.access.{exc.code}"))
        except Exception as exc:  # never a traceback; the text stays in the form
            self.app.call_from_thread(self._save_failed,
                                      t("form.save_failed", detail=type(exc).__name__))
        else:
            self.app.call_from_thread(self._amended)

    def _amended(self) -> None:
        self.saving = False
        self.drop_draft()
        if self.row is not None:
            self.app.student_saved(self.row.student_id)
        self.notify(t("amend.saved"), markup=False, timeout=2)
        self.dismiss(True)
