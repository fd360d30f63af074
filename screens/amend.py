"""Amending one entry: the contact form filled from the entry; saving changes
only that entry (one of a meeting's entries too), and the audit log keeps what
it said before.

An entry has a version, as a case file has: when someone else amended it after
this form was opened, the save is refused with who saved and when, and ctrl+r
loads their version, keeping what was typed here where they did not change the
same field (those are marked), as the case form's merge does.
"""

from __future__ import annotations

from textual import work
from textual.binding import Binding
from textual.widgets import Input, TextArea

from db.access import NotAllowed
from db.store.connected import connected
from db.contacts import EntryConflict, EntryGone, amend_contact, merge_amendment
from db.text import clean, one_line
from screens.contact import FIELD_WIDGETS, TEXT_FIELDS, ContactScreen
from tui.widgets import LetterChoice
from tui.i18n import failure, t

# the form's fields an amendment changes, in the form's order
FORM_FIELDS = ("date", "time", "duration", "kind", "channel", "participants", "discussed",
               "agreed", "follow_up", "follow_up_due", "restricted")
CHOICE_FIELDS = ("kind", "channel", "restricted")


def entry_fields(e) -> dict:
    """An entry as the form shows it: text, cleaned of control characters (as
    another tool may have stored it), and the choices' codes."""
    return {"date": f"{e.occurred_at:%Y-%m-%d}", "time": f"{e.occurred_at:%H:%M}",
            "duration": "" if e.duration_min is None else str(e.duration_min),
            "kind": e.kind, "channel": e.channel,
            "participants": clean(e.participants, multiline=False),
            "discussed": clean(e.discussed), "agreed": clean(e.agreed),
            "follow_up": clean(e.follow_up, multiline=False),
            "follow_up_due": "" if e.follow_up_due is None else f"{e.follow_up_due:%Y-%m-%d}",
            "restricted": e.restricted}


class AmendScreen(ContactScreen):
    DRAFT_FORM = "amend"
    TITLE_KEY = "amend.title"
    BINDINGS = [
        Binding("ctrl+r", "merge", "key.merge", id="merge"),
    ]

    def __init__(self, contact_id: int, entry, student_id: int, draft=None):
        super().__init__(student_id=student_id, draft=draft, kind=entry.kind,
                         channel=entry.channel)
        self.contact_id = contact_id
        self.entry = entry
        self.uuid = entry.uuid  # the entry keeps its identity
        # what the form started from, and the entry's version then: a save is
        # refused if the entry moved on since (db.contacts.EntryConflict)
        self.base = entry_fields(entry)
        self.version = entry.version
        self.conflict: EntryConflict | None = None
        if draft is not None:  # a draft's own starting point, when it kept one
            if isinstance(draft.values.get("version"), int):
                self.version = draft.values["version"]
            if isinstance(draft.values.get("base"), dict):
                self.base = {**self.base, **draft.values["base"]}

    def on_mount(self) -> None:
        # runs before ContactScreen.on_mount (Textual calls both, this one first),
        # which then takes the snapshot of these values and focuses the first field
        self.query_one("#student", Input).disabled = True  # an entry stays with its student
        if self.draft is not None:  # reopened after a crash: the draft's text, not the file's
            return
        self.set_fields(self.base)

    def set_fields(self, fields: dict) -> None:
        for name, value in fields.items():
            widget = self.query_one(f"#{name}")
            if isinstance(widget, LetterChoice):
                if value in widget.codes:
                    widget.value = value
            elif isinstance(widget, TextArea):
                if widget.text != value:
                    widget.load_text(value)
            elif widget.value != value:
                widget.value = value

    def form_fields(self) -> dict:
        return {name: self.query_one(f"#{name}", LetterChoice).value if name in CHOICE_FIELDS
                else self._text(name) for name in FORM_FIELDS}

    def values(self) -> dict:
        # the draft keeps the version and the fields the form started from, so a
        # draft reopened after a crash is checked (and merged) like the open form
        return {**super().values(), "contact_id": self.contact_id, "version": self.version,
                "base": self.base}

    def check_action(self, action: str, parameters) -> bool | None:
        if action == "save_next":
            return False
        if action == "merge":
            return self.conflict is not None and not self.saving
        return super().check_action(action, parameters)

    def save_entry(self, entry, row, keep_open: bool) -> None:
        self.amend(entry, self.version)

    @work(thread=True, exclusive=True, group="save", exit_on_error=False)
    def amend(self, entry, version: int) -> None:
        entry.meeting_id = self.entry.meeting_id
        try:
            with connected():
                amend_contact(self.app.staff, self.contact_id, entry, expected_version=version,
                              on_retry=self.app.busy_retry)
        except EntryConflict as exc:
            self.app.call_from_thread(self._conflicted, exc)
        except EntryGone:
            self.app.call_from_thread(self._save_failed, t("amend.gone"))
        except NotAllowed as exc:
            self.app.call_from_thread(self._save_failed, t(f"err.access.{exc.code}"))
        except Exception as exc:  # noqa: BLE001 - never a traceback; the text stays in the form
            self.app.call_from_thread(self._save_failed,
                                      t("form.save_failed", detail=failure(exc)))
        else:
            self.app.call_from_thread(self._amended)

    def _amended(self) -> None:
        self.saving = False
        self.drop_draft()
        if self.row is not None:
            self.app.student_saved(self.row.student_id)
        self.notify(t("amend.saved"), markup=False, timeout=2)
        self.dismiss(True)

    # -- someone else saved first: say who, and offer their version -------------
    def _conflicted(self, conflict: EntryConflict) -> None:
        self.saving = False
        self.conflict = conflict
        at = f"{conflict.at:%Y-%m-%d %H:%M}" if conflict.at else "?"
        message = t("amend.conflict", who=one_line(conflict.by) or t("edit.unknown"), at=at)
        self._status(message)
        self.notify(message, severity="error", markup=False, timeout=8)
        self.refresh_bindings()

    def action_merge(self) -> None:
        if self.conflict is None or self.saving:
            return
        self.saving = True  # no save while the entry is being read again
        self._status(t("amend.reloading"))
        self.refresh_bindings()
        self.reload_entry()

    @work(thread=True, exclusive=True, group="save", exit_on_error=False)
    def reload_entry(self) -> None:
        from db.contacts import load_entry

        try:
            with connected():
                # with its reader: a restricted entry read again is an audited opening
                found = load_entry(self.contact_id, reader=self.app.staff)
        except NotAllowed as exc:
            self.app.call_from_thread(self._save_failed, t(f"err.access.{exc.code}"))
        except Exception:  # noqa: BLE001 - the form keeps its text; ctrl+r again
            self.app.call_from_thread(self._reload_failed)
        else:
            if found is None:
                self.app.call_from_thread(self._save_failed, t("amend.gone"))
            else:
                self.app.call_from_thread(self._reloaded, found[0])

    def _reload_failed(self) -> None:
        self.saving = False
        self._status(t("amend.reload_failed"))
        self.refresh_bindings()

    def _reloaded(self, entry) -> None:
        theirs = entry_fields(entry)
        merged, conflicts = merge_amendment(self.base, self.form_fields(), theirs)
        self.set_fields(merged)
        self.entry, self.base, self.version = entry, theirs, entry.version
        self.conflict = None
        self.saving = False
        # unsaved against the entry as it is now: esc asks when the merge kept my text
        self._snapshot = {**self._snapshot, **{k: theirs[k] for k in TEXT_FIELDS}}
        for name in FORM_FIELDS:
            self.query_one(FIELD_WIDGETS[name]).set_class(name in conflicts, "invalid")
        if conflicts:
            names = ", ".join(t(f"form.{n}") for n in conflicts)
            self._status(t("edit.merged", fields=names))
        else:
            self._status(t("edit.merged_clean"))
        self.keep_draft()
        self.refresh_bindings()
