"""One referral (转介): a new one on a case, or an existing one to follow up.

The organisation is typed (a part of its name; the one it names is shown
under it), the reason, the guardian's consent by letter (g given, r refused,
p not yet asked), when it was sent, the status by letter (s sent, a accepted,
e seen, c closed), the outcome and the next follow-up (required until it is
closed).  Opening an existing one shows its reason and outcome: an opening,
in the audit log, refused to one who may not read the case's restricted
entries.  ctrl+s saves; esc leaves (asking first when something was typed).
Dismissed with True when something was saved."""

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
from tui.i18n import t
from tui.screen_base import BangfuScreen
from tui.widgets import DateInput, KeyFooter, LetterChoice, PlainStatic

CONSENT_KEYS = {"g": "given", "r": "refused", "p": "pending"}
STATUS_KEYS = {"s": "sent", "a": "accepted", "e": "seen", "c": "closed"}
TEXTS = ("organisation", "reason", "sent_on", "outcome", "follow_up_on")
CHOICES = ("consent", "status")


class ReferralFormScreen(BangfuScreen[bool]):
    DEFAULT_CSS = """
    #refform { height: 1fr; padding: 0 1; }
    #refform .row { height: auto; }
    #refform Input { width: 1fr; background: $boost; }
    #refform Input:focus { background: $accent 30%; }
    #refform LetterChoice { padding: 0 1; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "key.save", id="referral_save"),
        Binding("escape", "cancel", "key.back", id="referral_cancel"),
    ]

    def __init__(self, referral_id: int | None = None, case_id: int | None = None,
                 name: str = ""):
        super().__init__()
        self.referral_id = referral_id
        self.case_id = case_id
        self.student_name = name
        self.uuid = uuidlib.uuid4().hex
        self.row = None  # db.referrals.ReferralRow, once opened
        self.organisations: list = []
        self.saved = False
        self._snapshot: dict = {}

    def _row(self, key: str, widget) -> Horizontal:
        return Horizontal(PlainStatic(t(f"referral.form.{key}"), classes="label"), widget,
                          classes="row", id=f"row-{widget.id}")

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="refform"):
            yield PlainStatic("", id="referral-student", classes="label-wide")
            yield self._row("organisation", Input(
                placeholder=t("referral.form.organisation.placeholder"), id="organisation",
                compact=True))
            yield PlainStatic("", id="organisation-hint", classes="hint")
            yield self._row("reason", Input(id="reason", compact=True))
            yield self._row("consent", LetterChoice(CONSENT_KEYS, "consent", "pending",
                                                    id="consent"))
            yield self._row("sent_on", DateInput(clock.today().isoformat(),
                                                 placeholder=t("form.date.placeholder"),
                                                 id="sent_on", compact=True))
            yield self._row("status", LetterChoice(STATUS_KEYS, "referral", "sent", id="status"))
            yield self._row("outcome", Input(id="outcome", compact=True))
            yield self._row("follow_up_on", DateInput(
                "", placeholder=t("referral.form.follow_up.placeholder"), id="follow_up_on",
                compact=True))
        yield PlainStatic("", id="referral-error", classes="error-status")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.title = (t("referral.form.new") if self.referral_id is None
                      else t("referral.form.open", id=self.referral_id))
        if self.referral_id is None:
            self.query_one("#referral-student", PlainStatic).update(
                t("referral.form.student", name=one_line(self.student_name)))
            self.query_one("#organisation").focus()
        for widget in self.query("#refform Input, #refform LetterChoice"):
            widget.disabled = self.referral_id is not None  # until it is opened
        self.load()

    # -- loading ----------------------------------------------------------------
    @work(thread=True, exclusive=True, group="referral-form", exit_on_error=False)
    def load(self) -> None:
        from db.access import NotAllowed
        from db.organisations import list_organisations
        from db.referrals import ReferralGone, get_referral

        call = self.app.call_from_thread
        row = None
        try:
            with connected():
                orgs = list_organisations(self.app.staff)
                if self.referral_id is not None:
                    row = get_referral(self.app.staff, self.referral_id)
        except ReferralGone:
            call(self._error, t("referral.gone"))
            return
        except NotAllowed as exc:  # (keys.Sealed too)
            call(self._error, t(f"err.access.{exc.code}"))
            return
        call(self._loaded, orgs, row)

    def _loaded(self, orgs, row) -> None:
        self.organisations = orgs
        if row is not None:
            self.row, self.case_id = row, row.case_id
            self.query_one("#referral-student", PlainStatic).update(t(
                "referral.form.student", name=f"{one_line(row.name)} {row.student_no}"))
            for name, value in (("organisation", row.organisation), ("reason", row.reason),
                                ("outcome", row.outcome)):
                self.query_one(f"#{name}", Input).value = one_line(value)
            for name in ("sent_on", "follow_up_on"):
                date = getattr(row, name)
                self.query_one(f"#{name}", Input).value = f"{date:%Y-%m-%d}" if date else ""
            self.query_one("#consent", LetterChoice).value = row.consent or "pending"
            self.query_one("#status", LetterChoice).value = row.status
            for widget in self.query("#refform Input, #refform LetterChoice"):
                widget.disabled = False
            self.query_one("#follow_up_on").focus()
        self._snapshot = self.values()

    # -- values -----------------------------------------------------------------
    def values(self) -> dict:
        out = {name: self.query_one(f"#{name}", Input).value for name in TEXTS}
        out.update({name: self.query_one(f"#{name}", LetterChoice).value for name in CHOICES})
        return out

    @property
    def dirty(self) -> bool:
        return self.is_mounted and bool(self._snapshot) and self.values() != self._snapshot

    def _matches(self, text: str) -> list:
        from db.organisations import match

        if self.row is not None and one_line(text).strip() == one_line(self.row.organisation):
            return [r for r in self.organisations if r.id == self.row.organisation_id]
        return match(self.organisations, text)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "organisation":
            return
        found = self._matches(event.value) if event.value.strip() else []
        hint = ""
        if len(found) == 1:
            hint = t("referral.form.organisation.match", name=one_line(found[0].name))
        elif found:
            hint = t("referral.form.organisation.many",
                     list="、".join(one_line(r.name) for r in found[:4]))
        elif event.value.strip() and self.organisations:
            hint = t("referral.form.organisation.none")
        self.query_one("#organisation-hint", PlainStatic).update(hint)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    # -- saving -----------------------------------------------------------------
    def _error(self, text: str, field: str = "") -> None:
        self.query_one("#referral-error", PlainStatic).update(text)
        if field:
            found = self.query(f"#{field}")
            if found and not found.first().disabled:
                found.first().focus()

    def action_save(self) -> None:
        if self.referral_id is not None and self.row is None:
            return
        values = self.values()
        found = self._matches(values["organisation"])
        if len(found) != 1:
            key = ("referral.form.organisation.none" if not values["organisation"].strip()
                   or not found else "referral.form.organisation.choose")
            self._error(t(key), "organisation")
            return
        data = {k: v for k, v in values.items() if k != "organisation"}
        data["organisation"] = found[0].id
        self._error("")
        self.save(data)

    @work(thread=True, exclusive=True, group="referral-save", exit_on_error=False)
    def save(self, data: dict) -> None:
        from db import referrals
        from db.access import NotAllowed

        call = self.app.call_from_thread
        try:
            with connected():
                if self.referral_id is None:
                    self.referral_id = referrals.add_referral(
                        self.app.staff, self.case_id, {**data, "uuid": self.uuid})
                else:
                    referrals.update_referral(self.app.staff, self.referral_id, data,
                                              self.row.version)
        except referrals.ReferralError as exc:
            field, key = next(iter(exc.errors.items()))
            call(self._error, f"{t(f'referral.form.{field}')}{t('common.colon')}{t(key)}",
                 field)
            return
        except referrals.ReferralConflict:
            call(self._error, t("referrals.conflict"))
            return
        except referrals.ReferralGone:
            call(self._error, t("referral.gone"))
            return
        except NotAllowed as exc:
            call(self._error, t(f"err.access.{exc.code}"))
            return
        self.saved = True
        call(self.app.notify, t("referral.saved"), timeout=2, markup=False)
        call(self.dismiss, True)

    def action_cancel(self) -> None:
        from screens.confirm import leave_form

        leave_form(self, not self.dirty, lambda: None, self.saved)
