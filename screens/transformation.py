"""A case proposed as transformed (转化): proposing it, and a coordinator's decision.

Proposing (``case_id``; from ``c`` on a case, choosing "transformed", or ``t``
in the term-start re-review): the evidence is shown (the progress figure, the
latest stage review, the goals met) with a field for the reason; ctrl+s
proposes.  In the re-review (``term_id``) the case also moves into the new term.

A proposal (``transformation_id``; Enter on the caseload item or in the list):
the evidence as it was when proposed, the reason and who proposed it; an
administrator or coordinator who did not propose it presses y to confirm (the
case is then transformed) or n to decline, typing why, then ctrl+s.
Dismissed with True when something was saved.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Header, Input

from db.store.connected import connected
from db.text import one_line
from tui.i18n import label, t
from tui.screen_base import BangfuScreen
from tui.transformation_text import evidence_lines
from tui.widgets import KeyFooter, LinesView, PlainStatic


class TransformationScreen(BangfuScreen[bool]):
    DEFAULT_CSS = """
    #tf-body { height: 1fr; padding: 0 1; }
    #tf-form { height: auto; padding: 0 1; }
    #tf-form Input { width: 1fr; background: $boost; }
    #tf-form Input:focus { background: $accent 30%; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "key.save", id="transformation_save"),
        Binding("y", "confirm", "key.transformation_confirm", id="transformation_confirm"),
        Binding("n", "decline", "key.transformation_decline", id="transformation_decline"),
        Binding("escape", "cancel", "key.back", id="transformation_cancel"),
    ]

    def __init__(self, transformation_id: int | None = None, case_id: int | None = None,
                 name: str = "", *, reason: str = "", term_id: int | None = None,
                 version: int | None = None):
        super().__init__()
        self.transformation_id = transformation_id
        self.case_id = case_id
        self.student_name = name
        self.reason = reason  # typed before (the case status form)
        self.term_id = term_id  # the term-start re-review: carried into this term too
        self.version = version
        self.row = None  # db.transformation.TransformationRow, once loaded
        self.loaded = False
        self.deciding = False  # may confirm or decline
        self.declining = False  # n pressed: the note is the reason it is declined
        self.saving = False

    @property
    def proposing(self) -> bool:
        return self.transformation_id is None

    def compose(self) -> ComposeResult:
        yield Header()
        yield PlainStatic("", id="tf-title", classes="title")
        yield LinesView(id="tf-body")
        with Horizontal(classes="row", id="tf-form"):
            yield PlainStatic(t("transformation.reason" if self.proposing
                                else "transformation.note"), classes="label", id="tf-label")
            yield Input(self.reason, id="tf-input", compact=True, max_length=1000,
                        select_on_focus=False,  # the reason typed before: go on typing
                        placeholder=t("transformation.reason_hint" if self.proposing
                                      else "transformation.note_hint"))
        yield PlainStatic("", id="tf-status", classes="status")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.title = t("transformation.title")
        self._title(t("transformation.propose_title", name=one_line(self.student_name))
                    if self.proposing else t("transformation.open_title",
                                             id=self.transformation_id))
        self.query_one("#tf-form").display = self.proposing
        self.query_one("#tf-body", LinesView).show(Text(t("transformation.loading")))
        self.query_one("#tf-input" if self.proposing else "#tf-body").focus()
        self.query_one("#tf-input", Input).action_end()
        self.load()

    def _title(self, text: str) -> None:
        self.query_one("#tf-title", PlainStatic).update(text)

    def _status(self, text: str, error: bool = False) -> None:
        widget = self.query_one("#tf-status", PlainStatic)
        widget.update(text)
        widget.set_class(error, "error-status")

    @work(thread=True, exclusive=True, group="transformation", exit_on_error=False)
    def load(self) -> None:
        from db import transformation as tf
        from db.access import NotAllowed

        actor = self.app.staff
        try:
            with connected():
                if self.proposing:
                    row, ev = None, tf.evidence(actor, self.case_id)
                else:
                    row = tf.get_transformation(actor, self.transformation_id)
                    ev = row.evidence
        except tf.TransformationError as exc:
            self.app.call_from_thread(self._failed, t(f"err.transformation.{exc.code}"))
            return
        except NotAllowed as exc:
            self.app.call_from_thread(self._failed, t(f"err.access.{exc.code}"))
            return
        self.app.call_from_thread(self._loaded, row, ev, row is not None and
                                  tf.may_decide(actor, row))

    def _loaded(self, row, ev, deciding: bool) -> None:
        self.row, self.loaded, self.deciding = row, True, deciding
        text = Text()
        if row is not None:
            self.student_name = row.name
            self._title(t("transformation.open_title_name", id=row.id, name=one_line(row.name),
                          klass=one_line(row.class_name) or "—"))
            text.append(t("transformation.proposed_line", by=one_line(row.proposed_by) or "—",
                          on=f"{row.proposed_on:%Y-%m-%d}",
                          status=label("transformation", row.status)) + "\n", style="bold")
            text.append(t("transformation.reason_line") + "\n", style="bold")
            for line in row.reason.splitlines() or [""]:
                text.append("  " + one_line(line) + "\n")
            if row.status != "proposed":
                text.append(t("transformation.decided_line", by=one_line(row.decided_by) or "—",
                              on=f"{row.decided_on:%Y-%m-%d}" if row.decided_on else "—")
                            + "\n", style="bold")
                if row.decision_note:
                    text.append("  " + one_line(row.decision_note) + "\n")
            text.append("\n")
        for n, line in enumerate(evidence_lines(ev)):
            text.append(line + "\n", style="bold" if not line.startswith(" ") and n else "")
        self.query_one("#tf-body", LinesView).show(text)
        if row is not None:
            self.query_one("#tf-form").display = deciding
            if deciding:
                self._status(t("transformation.decide_hint"))
            elif row.status == "proposed":
                self._status(t("transformation.waiting"))
        self.refresh_bindings()

    def _failed(self, message: str) -> None:
        self.saving = False
        self._status(message, error=True)

    def check_action(self, action: str, parameters) -> bool | None:
        if action == "save":  # proposing, or declining once n was pressed
            return self.proposing or (self.deciding and self.declining)
        if action in ("confirm", "decline"):
            return self.deciding
        return True

    # -- proposing, or declining with a note ------------------------------------
    def action_save(self) -> None:
        if self.saving or not self.loaded:
            return
        text = self.query_one("#tf-input", Input).value
        if self.proposing:
            self._write("propose", text)
        elif self.deciding and self.declining:
            self._write("decline", text)
        elif self.deciding:  # Enter in the note before n: confirm is y, say so
            self._status(t("transformation.decide_hint"))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_confirm(self) -> None:
        if self.deciding and not self.saving:
            self._write("confirm", self.query_one("#tf-input", Input).value)

    def action_decline(self) -> None:
        if not self.deciding:
            return
        self.declining = True
        self.query_one("#tf-label", PlainStatic).update(t("transformation.decline_note"))
        self.query_one("#tf-input", Input).focus()
        self._status(t("transformation.decline_hint"))
        self.refresh_bindings()

    def _write(self, what: str, text: str) -> None:
        self.saving = True
        self._status(t("form.saving"))
        self.write(what, text)

    @work(thread=True, exclusive=True, group="transformation-save", exit_on_error=False)
    def write(self, what: str, text: str) -> None:
        from db import transformation as tf
        from db.access import NotAllowed
        from db.cases import VersionConflict
        from db.store.connection import with_retry
        from db.terms import carry

        actor = self.app.staff
        try:
            with connected():
                if what == "propose" and self.term_id is not None:
                    with_retry(lambda: carry(actor, self.case_id, self.version, "transformed",
                                             self.term_id, reason=text))
                elif what == "propose":
                    with_retry(lambda: tf.propose(actor, self.case_id, text, self.version))
                elif what == "confirm":
                    with_retry(lambda: tf.confirm(actor, self.transformation_id, text,
                                                  self.row.version))
                else:
                    with_retry(lambda: tf.decline(actor, self.transformation_id, text,
                                                  self.row.version))
        except tf.TransformationError as exc:
            self.app.call_from_thread(self._failed, t(f"err.transformation.{exc.code}"))
            return
        except NotAllowed as exc:
            self.app.call_from_thread(self._failed, t(f"err.access.{exc.code}"))
            return
        except VersionConflict:
            self.app.call_from_thread(self._failed, t("err.transformation.changed"))
            return
        self.app.call_from_thread(self._saved, what)

    def _saved(self, what: str) -> None:
        if self.row is not None:
            self.app.student_saved(self.row.student_id)
        self.notify(t(f"transformation.done.{what}", name=one_line(self.student_name)),
                    timeout=3, markup=False)
        self.dismiss(True)

    def action_cancel(self) -> None:
        if self.declining:
            self.declining = False
            self.query_one("#tf-label", PlainStatic).update(t("transformation.note"))
            self.query_one("#tf-body").focus()
            self._status(t("transformation.decide_hint"))
            self.refresh_bindings()
            return
        self.dismiss(False)
