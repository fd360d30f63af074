"""A note a family can read (家长版小结), for one case: h on the case screen.

The note is composed from the case's facts (``db.parent_note``: nothing
restricted, nothing confidential) in the note's language, shown in a text
area the teacher reads and edits; ctrl+y copies it to the clipboard of the
terminal the teacher sits at (for WeChat), ctrl+s writes it as a UTF-8 .txt
file in the exports folder; each is an export, in the audit log.  ctrl+l
writes it afresh in the other language.  bangfu sends nothing.  Esc leaves;
a note edited since it was last copied or written asks first.
"""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Header, TextArea

from db.store.connected import connected
from db.text import one_line
from tui.i18n import LANGS, failure, language, t
from tui.screen_base import BangfuScreen
from tui.widgets import InfoLine, KeyFooter, PlainStatic, copy_out


class ParentNoteScreen(BangfuScreen[None]):
    DEFAULT_CSS = """
    ParentNoteScreen #pnote-info { height: auto; max-height: 2; padding: 0 1; }
    ParentNoteScreen #pnote-lang { padding: 0 1; }
    ParentNoteScreen #pnote-text { height: 1fr; }
    ParentNoteScreen #pnote-status { height: auto; max-height: 2; padding: 0 1; }
    """
    BINDINGS = [
        # priority: the text area's own ctrl+y (redo) would take it otherwise
        Binding("ctrl+y", "copy_note", "key.note_copy", id="note_copy", priority=True),
        Binding("ctrl+s", "write_note", "key.note_write", id="note_write"),
        Binding("ctrl+l", "other_language", "key.note_lang", id="note_lang"),
        Binding("escape", "back", "key.back", id="back"),
    ]

    def __init__(self, case_id: int, student_name: str = "", lang: str | None = None):
        super().__init__()
        self.case_id = case_id
        self.student_name = student_name
        self.lang = lang if lang in LANGS else language()
        self.facts = None  # db.parent_note.NoteFacts, once loaded
        self.composed = ""  # the note as bangfu wrote it
        self.sent = ""  # the text last copied or written
        self.busy = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield PlainStatic(t("pnote.info", name=one_line(self.student_name)), id="pnote-info")
        yield InfoLine(id="pnote-lang", classes="info")
        yield TextArea(id="pnote-text", soft_wrap=True, tab_behavior="focus", show_line_numbers=False)
        yield PlainStatic(t("pnote.loading"), id="pnote-status", classes="status")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.title = t("pnote.title")
        self._show_lang()
        self.query_one(TextArea).disabled = True
        self.load()

    @property
    def area(self) -> TextArea:
        return self.query_one("#pnote-text", TextArea)

    @property
    def text(self) -> str:
        return self.area.text

    @property
    def ready(self) -> bool:
        return self.facts is not None

    @property
    def unsent(self) -> bool:
        """Edited, and this text neither copied nor written."""
        return self.ready and self.text not in (self.composed, self.sent)

    def _show_lang(self) -> None:
        self.query_one("#pnote-lang", InfoLine).show(
            t("pnote.lang_line", lang=t(f"pnote.lang.{self.lang}")))

    def _status(self, message: str, *, error: bool = False) -> None:
        line = self.query_one("#pnote-status", PlainStatic)
        line.set_class(error, "error-status")
        line.set_class(not error, "status")
        line.update(message)

    def _error(self, message: str) -> None:
        self._status(message, error=True)

    # -- making the note -----------------------------------------------------------
    @work(thread=True, exclusive=True, group="pnote-load", exit_on_error=False)
    def load(self) -> None:
        from db.access import NotAllowed
        from db.parent_note import note_facts

        try:
            with connected():
                facts = note_facts(self.app.staff, self.case_id)
        except NotAllowed as exc:
            self.app.call_from_thread(self._error, t(f"err.access.{exc.code}"))
            return
        except Exception as exc:  # noqa: BLE001 - said in words, the screen stays
            self.app.call_from_thread(self._error, t("pnote.load_failed", detail=failure(exc)))
            return
        self.app.call_from_thread(self._loaded, facts)

    def _loaded(self, facts) -> None:
        if facts is None:
            self._error(t("pnote.gone"))
            return
        self.facts = facts
        if not self.student_name:
            self.student_name = facts.student_name
            self.query_one("#pnote-info", PlainStatic).update(
                t("pnote.info", name=one_line(facts.student_name)))
        self._fill()
        area = self.area
        area.disabled = False
        area.focus()
        self._status("")
        self.refresh_bindings()

    def _fill(self) -> None:
        from tui.parent_note import note_text

        self.composed = note_text(self.facts, self.lang)
        self.area.load_text(self.composed)
        self.area.move_cursor((0, 0))
        self._show_lang()

    def action_other_language(self) -> None:
        if not self.ready:
            return

        def swap(yes: bool | None = True) -> None:
            if yes:
                self.lang = "en" if self.lang == "zh" else "zh"
                self._fill()

        if self.text != self.composed and self.text != self.sent:
            from screens.confirm import ConfirmScreen

            self.app.push_screen(ConfirmScreen(t("pnote.relang")), swap)
        else:
            swap()

    # -- out of bangfu: the clipboard, a file --------------------------------------
    def check_action(self, action: str, parameters) -> bool | None:
        if action in ("copy_note", "write_note", "other_language"):
            return self.ready and not self.busy
        return True

    def _text_to_send(self) -> str | None:
        text = self.text
        if not text.strip():
            self._error(t("pnote.empty"))
            self.area.focus()
            return None
        return text

    def action_copy_note(self) -> None:
        text = self._text_to_send() if self.ready and not self.busy else None
        if text is not None:
            self.busy = True
            self.send(text, "clipboard")

    def action_write_note(self) -> None:
        text = self._text_to_send() if self.ready and not self.busy else None
        if text is not None:
            self.busy = True
            self.send(text, "file")

    @work(thread=True, exclusive=True, group="pnote-send", exit_on_error=False)
    def send(self, text: str, how: str) -> None:
        """Copy or write ``text``, with its audit row: the row first for the
        clipboard (a copy cannot be taken back), after the file (a file whose
        row could not be written is removed)."""
        from db import clock
        from db.access import NotAllowed
        from db.parent_note import record_export
        from tui.exports import default_path, write_via_temp
        from tui.sheets import save_text

        staff = self.app.staff
        path = None
        try:
            if how == "file":
                path = default_path("family-note", self.student_name, f"{clock.today():%Y-%m-%d}",
                                    suffix="txt")
                path = write_via_temp(path, lambda target: save_text(target, text))
            try:
                with connected():
                    record_export(staff, self.case_id, how)
            except BaseException:
                if path is not None:
                    path.unlink(missing_ok=True)
                raise
        except NotAllowed as exc:
            self.app.call_from_thread(self._sent, None, t(f"err.access.{exc.code}"))
            return
        except Exception as exc:  # noqa: BLE001 - the text stays on screen; said in words
            detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else failure(exc)
            self.app.call_from_thread(self._sent, None, t("pnote.failed", detail=detail))
            return
        if how == "clipboard":
            self.app.call_from_thread(self._copied, text)
        else:
            self.app.call_from_thread(self._sent, text, t("pnote.written", path=str(path)))

    def _copied(self, text: str) -> None:
        copy_out(self.app, text)
        self._sent(text, t("pnote.copied"))

    def _sent(self, text: str | None, message: str) -> None:
        self.busy = False
        if text is not None:
            self.sent = text
        self._status(message, error=text is None)
        self.refresh_bindings()

    # -- leaving ---------------------------------------------------------------------
    def action_back(self) -> None:
        if self.busy:
            return
        if not self.unsent:
            self.dismiss(None)
            return
        from screens.confirm import ConfirmScreen

        def leave(yes: bool | None = True) -> None:
            if yes:
                self.dismiss(None)

        self.app.push_screen(ConfirmScreen(t("pnote.unsent")), leave)
