"""Open, close, reopen or transfer a case, with a reason (`c` on a case, ctrl+l
on the roster); or propose it as transformed (转化: the transformation screen
shows the evidence, and a coordinator confirms it).

Opening asks for the categories, causes, risk and a first lead (typed by
name, pinyin or initials: the matching staff are listed as one types, ↑/↓
and Enter pick one); the others ask what happens and why.  ctrl+s saves; a
bad value is named under its field and nothing is written.  The intake pass
(``screens/intake.py``) opens its cases with the same form, one marked student
after another.
"""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Header, Input, OptionList, SelectionList

from db.case_status import OpenCaseInput
from db.store.connected import connected
from db.text import one_line
from db.vocab import CATEGORIES, CAUSES, OPEN_STATUSES
from screens.case_edit import RISK_KEYS
from tui.i18n import label, t
from tui.screen_base import BangfuScreen
from tui.staff_suggest import StaffSuggestions
from tui.widgets import KeyFooter, LetterChoice, PlainStatic
from tui.ticks import TickList

# what may happen to a case that is open / not open
# "transformed" proposes it (screens/transformation.py): a coordinator confirms
OPEN_ACTIONS = {"c": "close", "t": "transfer_class", "s": "transfer_school", "p": "transformed"}
CLOSED_ACTIONS = {"r": "reopen"}


class ActionChoice(LetterChoice):
    def option_label(self, code: str) -> str:
        return t(f"case_status.action.{code}")


class LeadInput(Input):
    """The first lead: ↑/↓ move through the matching staff, Enter picks one."""

    BINDINGS = [
        Binding("down", "screen.suggest_lead(1)", show=False),
        Binding("up", "screen.suggest_lead(-1)", show=False),
    ]


class CaseStatusScreen(BangfuScreen[bool]):
    """``case_id`` None, or a case that is not open and ``open_new``: open a new
    case for the student.  Dismissed with True once something was saved."""

    BINDINGS = [
        Binding("ctrl+s", "save", "key.save", id="save"),
        Binding("escape", "cancel", "key.back", id="cancel"),
    ]

    def __init__(self, student_id: int, name: str, case_id: int | None = None,
                 status: str = "", *, counter: str = "", lead: str = ""):
        super().__init__()
        self.student_id = student_id
        self.student_name = name
        self.case_id = case_id
        self.status = status
        self.opening = case_id is None
        self.counter = counter  # "2/5" in an intake pass
        self.lead = lead  # the first lead, prefilled (the person signed in)
        self.saving = False
        self.suggestions = StaffSuggestions(self, "lead", "lead-suggestions", 6)

    def compose(self) -> ComposeResult:
        yield Header()
        key = "case_status.open_title" if self.opening else "case_status.title"
        title = t(key, name=one_line(self.student_name))
        if self.counter:
            title = f"{title}  ({self.counter})"
        yield PlainStatic(title, classes="title")
        with VerticalScroll(id="form"):
            if self.opening:
                yield PlainStatic(t("edit.categories_hint"), classes="label-wide")
                yield TickList(*[(label("category", c), c) for c in CATEGORIES],
                               id="categories", compact=True)
                yield PlainStatic("", id="err-categories", classes="error")
                yield PlainStatic(t("case.field.causes"), classes="label-wide")
                yield TickList(*[(label("cause", c), c) for c in CAUSES],
                               id="causes", compact=True)
                with Horizontal(classes="row"):
                    yield PlainStatic(t("case.field.risk_level"), classes="label")
                    yield LetterChoice(RISK_KEYS, "risk", "medium", id="risk_level")
                with Horizontal(classes="row"):
                    yield PlainStatic(t("case_status.lead"), classes="label")
                    yield LeadInput(self.lead, id="lead", compact=True, max_length=40,
                                    placeholder=t("case_status.lead_placeholder"))
                yield OptionList(id="lead-suggestions", compact=True)
                yield PlainStatic("", id="err-lead", classes="error")
            else:
                keys = OPEN_ACTIONS if self.status in OPEN_STATUSES else CLOSED_ACTIONS
                with Horizontal(classes="row"):
                    yield PlainStatic(t("case_status.action"), classes="label")
                    yield ActionChoice(keys, "case_action", next(iter(keys.values())),
                                       id="action")
                with Horizontal(classes="row", id="to-row"):
                    yield PlainStatic(t("case_status.to"), classes="label")
                    yield Input(id="to", compact=True, max_length=100)
                yield PlainStatic("", id="err-to", classes="error")
            with Horizontal(classes="row"):
                yield PlainStatic(t("case_status.reason"), classes="label")
                yield Input(id="reason", compact=True, max_length=500,
                            placeholder=t("case_status.reason_hint" if self.opening
                                          else "case_status.reason_needed"))
            yield PlainStatic("", id="err-reason", classes="error")
        yield PlainStatic("", id="form-status", classes="status")
        yield KeyFooter()

    def on_mount(self) -> None:
        if self.opening:
            self.query_one("#lead-suggestions").display = False
            self.query_one("#categories").focus()
            self.suggestions.load()
        else:
            self.query_one("#action").focus()
            self._show_to()

    def on_letter_choice_changed(self, event) -> None:
        if event.choice.id == "action":
            self._show_to()

    def _show_to(self) -> None:
        action = self.query_one("#action", LetterChoice).value
        self.query_one("#to-row").display = action.startswith("transfer")
        self.query_one("#to", Input).placeholder = (
            t("case_status.to_class") if action == "transfer_class" else t("case_status.to_school"))

    # -- the lead: staff by name, pinyin or initials, as at sign-in --------------
    def on_input_changed(self, event: Input.Changed) -> None:
        self.suggestions.changed(event)

    def action_suggest_lead(self, delta: int) -> None:
        self.suggestions.move(delta)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if self.suggestions.selected(event):
            self.query_one("#reason").focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "reason":
            self.action_save()
            return
        if event.input.id == "lead":
            self.suggestions.submitted()
        self.focus_next()

    # -- saving ---------------------------------------------------------------
    def _error(self, field: str, key: str) -> None:
        for widget in self.query(".error"):
            widget.update("")
            widget.set_class(False, "shown")
        for widget in self.query(".invalid"):
            widget.set_class(False, "invalid")
        self.saving = False
        if field and self.query(f"#err-{field}"):
            message = self.query_one(f"#err-{field}", PlainStatic)
            message.update(t(key))
            message.set_class(True, "shown")
            widget = self.query_one(f"#{field}")
            widget.set_class(True, "invalid")
            widget.focus()
            self._status(t("form.invalid"))
        else:
            self._status(t(key))

    def _status(self, text: str) -> None:
        self.query_one("#form-status", PlainStatic).update(text)

    def action_save(self) -> None:
        if self.saving:
            return
        self.saving = True
        self._status(t("form.saving"))
        reason = self.query_one("#reason", Input).value
        if self.opening:
            data = OpenCaseInput(
                categories=list(self.query_one("#categories", SelectionList).selected),
                causes=list(self.query_one("#causes", SelectionList).selected),
                risk_level=self.query_one("#risk_level", LetterChoice).value, reason=reason)
            lead = self.query_one("#lead", Input).value
            picked = self.suggestions.picked_id(lead)
            if picked is not None:
                data.lead_id = picked  # picked from the list: that person
                lead = ""
            self.write("open", data, lead)
        elif self.query_one("#action", LetterChoice).value == "transformed":
            from screens.transformation import TransformationScreen

            self.saving = False
            self._status("")
            self.app.push_screen(TransformationScreen(case_id=self.case_id,
                                                      name=self.student_name, reason=reason),
                                 self._proposed)
        else:
            self.write(self.query_one("#action", LetterChoice).value, reason,
                       self.query_one("#to", Input).value)

    def _proposed(self, saved: bool | None) -> None:
        if saved:
            self.app.student_saved(self.student_id)
            self.dismiss(True)

    @work(thread=True, exclusive=True, group="case-status", exit_on_error=False)
    def write(self, what: str, *args) -> None:
        from db import case_status as cs
        from db.access import NotAllowed
        from db.store.connection import with_retry
        from db.staff import find_staff

        actor = self.app.staff
        try:
            with connected():
                if what == "open":
                    data, lead = args
                    if lead.strip():
                        found = find_staff(lead)  # the exact name, else all that match
                        if len(found) != 1:
                            raise cs.CaseStatusError(
                                "lead_unknown" if not found else "lead_ambiguous", "lead")
                        data.lead_id = found[0].id
                    with_retry(lambda: cs.open_case_for(actor, self.student_id, data))
                elif what == "close":
                    with_retry(lambda: cs.close_case(actor, self.case_id, args[0]))
                elif what == "reopen":
                    with_retry(lambda: cs.reopen_case(actor, self.case_id, args[0]))
                elif what == "transfer_class":
                    with_retry(lambda: cs.transfer_case(actor, self.case_id, args[0],
                                                        to_class=args[1]))
                else:
                    with_retry(lambda: cs.transfer_case(actor, self.case_id, args[0],
                                                        to_school=args[1]))
        except cs.CaseStatusError as exc:
            self.app.call_from_thread(self._error, exc.field, f"err.case_status.{exc.code}")
            return
        except NotAllowed as exc:
            self.app.call_from_thread(self._error, "", f"err.access.{exc.code}")
            return
        self.app.call_from_thread(self._saved, what)

    def _saved(self, what: str) -> None:
        self.app.student_saved(self.student_id)
        self.notify(t(f"case_status.done.{what}", name=one_line(self.student_name)), timeout=3,
                    markup=False)
        self.dismiss(True)

    def action_cancel(self) -> None:
        if self.opening and self.query_one("#lead-suggestions").display:
            self.query_one("#lead-suggestions").display = False
            return
        self.dismiss(False)
