"""Editing the case file fields, refused when someone else saved in between.

The status "transformed" (t) is not set here: a case becomes transformed when a
coordinator confirms a proposal (c on the case, "propose as transformed");
choosing it says so, and saving it is refused (``db.transformation``)."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Header, SelectionList, TextArea

from db.cases import (CASE_TEXT_FIELDS, CaseValidationError, CaseView, VersionConflict,
                      merge_edits, update_case)
from db.store.connected import connected
from db.text import clean, one_line
from db.vocab import CATEGORIES, CAUSES
from tui.i18n import failure, hidden_text, label, paren, t
from tui.screen_base import BangfuScreen
from tui.widgets import KeyFooter, LetterChoice, PlainStatic
from tui.ticks import TickList

STATUS_KEYS = {"i": "identified", "a": "active", "p": "improving", "t": "transformed",
               "c": "closed"}
RISK_KEYS = {"l": "low", "m": "medium", "h": "high"}


def cleaned(values: dict) -> dict:
    """The values with their text cleaned, as the form shows them: text written
    by another tool (or an older version) may hold escape sequences."""
    return {k: clean(v) if k in CASE_TEXT_FIELDS and isinstance(v, str) else v
            for k, v in values.items()}


class CaseEditScreen(BangfuScreen[bool]):
    BINDINGS = [
        Binding("ctrl+s", "save", "key.save", id="save"),
        Binding("ctrl+r", "merge", "key.merge", id="merge"),
        # not ctrl+k: the text area's own delete-to-end-of-line (neither TextArea nor
        # Input binds ctrl+t, so it reaches the screen from inside a field)
        Binding("ctrl+t", "confidential", "key.confidential", id="confidential"),
        Binding("escape", "cancel", "key.back", id="cancel"),
    ]

    def __init__(self, view: CaseView, draft=None):
        super().__init__()
        self.view = view
        self.base = cleaned(view.edit_values())  # what the form started from
        self.version = view.version
        self.conflict: VersionConflict | None = None
        self.saving = False
        self.draft = draft  # db.store.local.Draft to restore (offered after a crash)
        self._ready = False
        self.marked = set(view.restricted_fields)  # the fields marked confidential

    def compose(self) -> ComposeResult:
        v = self.base
        yield Header()
        yield PlainStatic(t("edit.title", name=one_line(self.view.name)), classes="title")
        with VerticalScroll(id="form"):
            with Horizontal(classes="row"):
                yield PlainStatic(t("case.field.status"), classes="label")
                yield LetterChoice(STATUS_KEYS, "status", v["status"], id="status")
            with Horizontal(classes="row"):
                yield PlainStatic(t("case.field.risk_level"), classes="label")
                yield LetterChoice(RISK_KEYS, "risk", v["risk_level"], id="risk_level")
            yield PlainStatic(t("edit.categories_hint"), classes="label-wide")
            yield TickList(*[(label("category", c), c, c in v["categories"])
                             for c in CATEGORIES], id="categories", compact=True)
            yield PlainStatic(t("case.field.causes"), classes="label-wide")
            yield TickList(*[(label("cause", c), c, c in v["causes"]) for c in CAUSES],
                           id="causes", compact=True)
            for name in CASE_TEXT_FIELDS:
                yield PlainStatic(self.field_label(name), classes="label-wide",
                                  id=f"label-{name}")
                hidden = name in self.view.hidden  # not theirs to read: nor to change
                yield TextArea(hidden_text(self.view, name) if hidden else v[name], id=name,
                               soft_wrap=True, tab_behavior="focus", classes="edit-text",
                               compact=True, read_only=hidden, disabled=hidden)
        yield PlainStatic("", id="form-status", classes="status")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#status").focus()
        if self.draft is not None:
            # the draft's own starting point: a newer save in the file is then a
            # version conflict, merged with ctrl+r like any other
            saved = self.draft.values
            self.base = cleaned(saved.get("base", self.base))
            self.version = saved.get("version", self.version)
            self.set_values(saved.get("values", self.base))
        self.call_after_refresh(setattr, self, "_ready", True)

    # -- the draft: kept on every change ----------------------------------------
    def on_text_area_changed(self, event) -> None:
        self.keep_draft()

    def on_letter_choice_changed(self, event) -> None:
        if event.choice.id == "status" and self._ready:
            if event.choice.value == "transformed" and self.base["status"] != "transformed":
                self._status(t("err.transformation.needs_confirmation"), error=True)
            else:
                self._status("")
        self.keep_draft()

    def on_selection_list_selected_changed(self, event) -> None:
        self.keep_draft()

    def keep_draft(self) -> None:
        if not self._ready or self.app.staff is None:
            return
        from db.store.local import save_draft

        values = self.values()
        if values == self.base and self.draft is None:
            return
        try:
            save_draft(self.app.db_path, self.app.staff.id, "case_edit", str(self.view.case_id),
                       f"{self.view.name} · {self.view.class_name}",
                       {"student_id": self.view.student_id, "version": self.version,
                        "base": self.base, "values": values})
        except OSError:
            pass

    def drop_draft(self) -> None:
        from db.store.local import discard_draft

        try:
            discard_draft(self.app.db_path, self.app.staff.id, "case_edit", str(self.view.case_id))
        except OSError:
            pass
        self.draft = None

    def values(self) -> dict:
        out = {"status": self.query_one("#status", LetterChoice).value,
               "risk_level": self.query_one("#risk_level", LetterChoice).value,
               "categories": [c for c in CATEGORIES
                              if c in self.query_one("#categories", SelectionList).selected],
               "causes": [c for c in CAUSES
                          if c in self.query_one("#causes", SelectionList).selected]}
        for name in CASE_TEXT_FIELDS:
            if name not in self.view.hidden:
                out[name] = self.query_one(f"#{name}", TextArea).text
        if self.view.reads_restricted:
            out["restricted_fields"] = [n for n in CASE_TEXT_FIELDS if n in self.marked]
        return out

    def field_label(self, name: str) -> str:
        marked = paren(t("access.restricted_field")) if name in self.marked else ""
        return t(f"case.field.{name}") + marked

    def action_confidential(self) -> None:
        """Mark the field being typed in as confidential (or not): only counsellors,
        administrators and the case's lead then read it."""
        focused = self.focused
        if not self.view.reads_restricted or not isinstance(focused, TextArea) \
                or focused.id not in CASE_TEXT_FIELDS:
            self._status(t("edit.confidential_where"), error=True)
            return
        self.marked ^= {focused.id}
        self.query_one(f"#label-{focused.id}", PlainStatic).update(self.field_label(focused.id))
        self.keep_draft()

    def set_values(self, values: dict) -> None:
        self.query_one("#status", LetterChoice).value = values["status"]
        self.query_one("#risk_level", LetterChoice).value = values["risk_level"]
        for name in ("categories", "causes"):
            widget = self.query_one(f"#{name}", SelectionList)
            widget.deselect_all()
            for code in values[name]:
                widget.select(code)
        for name in CASE_TEXT_FIELDS:
            if name not in self.view.hidden and name in values:
                self.query_one(f"#{name}", TextArea).load_text(clean(values[name]))
        if self.view.reads_restricted and "restricted_fields" in values:
            self.marked = set(values["restricted_fields"])
            for name in CASE_TEXT_FIELDS:
                self.query_one(f"#label-{name}", PlainStatic).update(self.field_label(name))

    def check_action(self, action: str, parameters) -> bool | None:
        if action == "merge":
            return self.conflict is not None
        if action == "confidential":
            return self.view.reads_restricted
        return True

    def _status(self, text: str, error: bool = False) -> None:
        widget = self.query_one("#form-status", PlainStatic)
        widget.update(text)
        widget.set_class(error, "error-status")

    def action_save(self) -> None:
        if self.saving:
            return
        self.saving = True
        self._status(t("edit.saving"))
        self.save(self.values(), self.version)

    @work(thread=True, exclusive=True, group="case-save", exit_on_error=False)
    def save(self, values: dict, version: int) -> None:
        try:
            with connected():
                update_case(self.app.staff, self.view.case_id, version, values)
        except VersionConflict as exc:
            self.app.call_from_thread(self._conflicted, exc)
        except CaseValidationError as exc:
            field = next(iter(exc.errors))
            self.app.call_from_thread(self._failed, f"{t('case.field.' + field)}{t('common.colon')}"
                                      f"{t(exc.errors[field])}")
        except Exception as exc:  # noqa: BLE001 - never a traceback; the text stays in the form
            self.app.call_from_thread(self._failed, t("form.save_failed",
                                                      detail=failure(exc)))
        else:
            self.app.call_from_thread(self._saved)

    def _saved(self) -> None:
        self.drop_draft()
        self.dismiss(True)

    def _failed(self, message: str) -> None:
        self.saving = False
        self._status(message, error=True)

    def _conflicted(self, conflict: VersionConflict) -> None:
        self.saving = False
        self.conflict = conflict
        at = f"{conflict.at:%Y-%m-%d %H:%M}" if conflict.at else "?"
        message = t("edit.conflict", who=one_line(conflict.by) or t("edit.unknown"), at=at)
        self._status(message, error=True)
        self.notify(message, severity="error", markup=False, timeout=8)
        self.refresh_bindings()

    def action_merge(self) -> None:
        if self.conflict is None:
            return
        theirs = cleaned(self.conflict.theirs)
        merged, conflicts = merge_edits(self.base, self.values(), theirs)
        self.set_values(merged)
        self.base = theirs
        self.version = self.conflict.version
        self.conflict = None
        for name in CASE_TEXT_FIELDS + ("categories", "causes", "status", "risk_level"):
            self.query_one(f"#{name}").set_class(name in conflicts, "invalid")
        if conflicts:
            names = ", ".join(t(f"case.field.{n}") for n in conflicts)
            self._status(t("edit.merged", fields=names), error=True)
        else:
            self._status(t("edit.merged_clean"))
        self.refresh_bindings()

    def action_cancel(self) -> None:
        from screens.confirm import leave_form

        leave_form(self, self.values() == self.base and self.draft is None, self.drop_draft)
