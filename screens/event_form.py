"""Adding or editing a family event: its date (``today``, ``11-20``,
``2026-11-20``; a planned one may lie ahead), kind by letter, topic, who ran
it, the classes invited typed as codes (``7-1 7-2``; empty = the whole
school) and the evaluation in a few words.  ctrl+s saves; a bad field is
named under the form with the cursor on it and nothing typed is lost; Esc
with changes asks first.  An edit saved over someone else's newer save is
refused (``db.family_events.EventConflict``)."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Header, Input

from db import clock
from db.store.connected import connected
from db.family_events import EVENT_KIND_KEYS, EventInput
from tui.i18n import t
from tui.screen_base import BangfuScreen
from tui.widgets import DateInput, InfoLine, KeyFooter, LetterChoice, PlainStatic

FIELDS = ("date", "kind", "topic", "led_by", "classes", "evaluation")


class EventFormScreen(BangfuScreen[bool]):
    BINDINGS = [
        Binding("ctrl+s", "save", "key.save", id="save"),
        Binding("escape", "cancel", "key.back", id="cancel"),
    ]

    def __init__(self, event=None):
        """``event``: a ``db.family_events.EventRow`` to edit (None: a new one)."""
        super().__init__()
        self.event = event
        self.saving = False
        self.opened: EventInput | None = None

    def compose(self) -> ComposeResult:
        e = self.event
        yield Header()
        yield InfoLine(id="event-form-info", classes="info")
        with Vertical(id="form"):
            with Horizontal(classes="row"):
                yield PlainStatic(t("event.field.date"), classes="label")
                yield DateInput(f"{(e.held_on if e else clock.today()):%Y-%m-%d}",
                                placeholder=t("form.date.placeholder"), id="event-date",
                                compact=True)
            with Horizontal(classes="row"):
                yield PlainStatic(t("event.field.kind"), classes="label")
                yield LetterChoice(EVENT_KIND_KEYS, "event", e.kind if e else "parent_meeting",
                                   id="event-kind")
            for name, value in (("topic", e.topic if e else ""), ("led_by", e.led_by if e else ""),
                                ("classes", " ".join(e.classes) if e else ""),
                                ("evaluation", e.evaluation if e else "")):
                with Horizontal(classes="row"):
                    yield PlainStatic(t(f"event.field.{name}"), classes="label")
                    yield Input(value, placeholder=t(f"event.placeholder.{name}"),
                                id=f"event-{name.replace('_', '-')}", compact=True)
            yield PlainStatic("", id="event-error", classes="error-status")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.title = t("event.edit_title" if self.event else "event.new_title")
        self.query_one(InfoLine).show(t("event.form_info"))
        self.opened = self.values()
        self.query_one("#event-topic" if self.event else "#event-date").focus()

    def _field(self, name: str):
        return self.query_one(f"#event-{name.replace('_', '-')}")

    def values(self) -> EventInput:
        text = {n: self._field(n).value for n in FIELDS}
        return EventInput(text["date"], text["kind"], text["topic"], text["led_by"],
                          text["classes"], text["evaluation"])

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    def action_save(self) -> None:
        if self.saving:
            return
        self.saving = True
        self.query_one("#event-error", PlainStatic).update("")
        self.save(self.values())

    @work(thread=True, exclusive=True, group="event-save", exit_on_error=False)
    def save(self, data: EventInput) -> None:
        from db.access import NotAllowed
        from db.family_events import (EventConflict, EventGone, EventValidationError, add_event,
                                      update_event)

        try:
            with connected():
                if self.event is None:
                    add_event(self.app.staff, data)
                else:
                    update_event(self.app.staff, self.event.id, self.event.version, data)
        except EventValidationError as exc:
            field, key = next(iter(exc.errors.items()))
            self.app.call_from_thread(self._invalid, field, key)
            return
        except EventConflict:
            self.app.call_from_thread(self._invalid, "", "event.err.conflict")
            return
        except EventGone:
            self.app.call_from_thread(self._invalid, "", "event.err.gone")
            return
        except NotAllowed as exc:
            self.app.call_from_thread(self._invalid, "", f"err.access.{exc.code}")
            return
        except Exception:
            self.app.call_from_thread(self._invalid, "", "event.err.not_saved")
            raise  # the app names the failure (no personal data); the form keeps every field
        self.app.call_from_thread(self._saved)

    def _invalid(self, field: str, key: str) -> None:
        self.saving = False
        where = f"{t('event.field.' + field)}{t('common.colon')}" if field in FIELDS else ""
        self.query_one("#event-error", PlainStatic).update(where + t(key))
        if field in FIELDS:
            self._field(field).focus()

    def _saved(self) -> None:
        self.saving = False
        self.notify(t("event.saved"), markup=False)
        self.dismiss(True)

    def action_cancel(self) -> None:
        from screens.confirm import leave_form

        leave_form(self, self.values() == self.opened, lambda: None, False)
