"""A survey's title, target, term and questions (managers): new, or edited.

The questions are typed one per line (1–20).  ctrl+s saves; a bad value is
named under the form and nothing is written, nothing typed is lost.  Editing
checks the version: a save over someone else's newer save is refused, and a
removed question that has answers is refused (its answers would be lost).
"""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Header, Input, TextArea

from db.store.connected import connected
from tui.i18n import t
from tui.screen_base import BangfuScreen
from tui.widgets import KeyFooter, PlainStatic

FIELDS = ("title", "target", "term", "questions")


class SurveyFormScreen(BangfuScreen[bool]):
    BINDINGS = [
        Binding("ctrl+s", "save", "key.save", id="save"),
        Binding("escape", "cancel", "key.back", id="cancel"),
    ]

    def __init__(self, survey_id: int | None = None):
        super().__init__()
        self.survey_id = survey_id
        self.version: int | None = None
        self.start: tuple[str, ...] = ("", "85", "", "")
        self.saving = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="form"):
            with Horizontal(classes="row"):
                yield PlainStatic(t("survey.field.title"), classes="label")
                yield Input(id="survey-title", compact=True, max_length=60)
            with Horizontal(classes="row"):
                yield PlainStatic(t("survey.field.target"), classes="label")
                yield Input("85", id="survey-target", compact=True, classes="tiny", max_length=6)
                yield PlainStatic(t("survey.field.term"), classes="label-short")
                yield Input(id="survey-term", compact=True, max_length=40,
                            placeholder=t("survey.field.term_placeholder"),
                            disabled=self.survey_id is not None)
            yield PlainStatic(t("survey.field.questions"), classes="label-wide")
            yield TextArea(id="survey-questions", soft_wrap=True, tab_behavior="focus",
                           compact=True)
        yield PlainStatic("", id="survey-error", classes="error-status")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.title = t("survey.form.edit" if self.survey_id else "survey.form.new")
        self.query_one("#survey-title").focus()
        if self.survey_id is not None:
            self.load()

    @work(thread=True, exclusive=True, group="survey-form", exit_on_error=False)
    def load(self) -> None:
        from db.models import Term
        from db.surveys import get_survey, questions_of

        with connected():
            survey = get_survey(self.survey_id or 0)
            if survey is None:
                return
            term = Term.get_or_none(Term.id == survey.term_id) if survey.term_id else None
            values = (survey.title, f"{survey.target:g}", term.name if term else "",
                      "\n".join(questions_of(survey)))
        self.app.call_from_thread(self._loaded, survey.version, values)

    def _loaded(self, version: int, values: tuple[str, ...]) -> None:
        self.version, self.start = version, values
        for name, value in zip(FIELDS[:3], values):
            self.query_one(f"#survey-{name}", Input).value = value
        self.query_one("#survey-questions", TextArea).text = values[3]

    def values(self) -> tuple[str, ...]:
        return (*(self.query_one(f"#survey-{n}", Input).value for n in FIELDS[:3]),
                self.query_one("#survey-questions", TextArea).text)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    def action_save(self) -> None:
        if self.saving:
            return
        self.saving = True
        self.save(self.values())

    @work(thread=True, exclusive=True, group="survey-save", exit_on_error=False)
    def save(self, values: tuple[str, ...]) -> None:
        from db.access import NotAllowed
        from db.surveys import SurveyConflict, SurveyError, create_survey, edit_survey

        title, target, term, questions = values
        try:
            with connected():
                if self.survey_id is None:
                    create_survey(self.app.staff, title, questions, target, term)
                else:
                    edit_survey(self.app.staff, self.survey_id, self.version or 0, title, target,
                                questions)
        except SurveyError as exc:
            self.app.call_from_thread(self._refused, *next(iter(exc.errors.items())))
            return
        except SurveyConflict:
            self.app.call_from_thread(self._refused, "", "survey.err.conflict")
            return
        except NotAllowed:
            self.app.call_from_thread(self._refused, "", "survey.err.not_allowed")
            return
        except Exception:
            self.app.call_from_thread(setattr, self, "saving", False)
            raise  # the app names the failure; the form keeps what was typed
        self.app.call_from_thread(self._saved)

    def _refused(self, field: str, key: str) -> None:
        self.saving = False
        self.query_one("#survey-error", PlainStatic).update(t(key))
        if field in FIELDS:
            self.query_one(f"#survey-{field}").focus()

    def _saved(self) -> None:
        self.saving = False
        self.notify(t("survey.form.saved"), markup=False)
        self.dismiss(True)

    def action_cancel(self) -> None:
        from screens.confirm import leave_form

        leave_form(self, self.values() == self.start, lambda: None)
