"""Import a survey's answers from a file (a questionnaire export or a sheet
typed up from the paper forms): type the path of an .xlsx or .csv and press
Enter (or ctrl+r, as in the roster import).  The whole file is checked first
(``db.survey_file``): when any row is wrong nothing is written and each
problem is listed with its row number and what to do; otherwise every row is
written in one transaction (a family already answered is updated, never
duplicated) and the result is shown.
"""

from __future__ import annotations

import os

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Header, Input

from db.store.connected import connected
from db.text import one_line
from tui.i18n import t
from tui.screen_base import BangfuScreen
from tui.survey_text import import_lines
from tui.widgets import InfoLine, KeyFooter, LinesView, PlainStatic


class SurveyImportScreen(BangfuScreen[bool]):
    DEFAULT_CSS = """
    SurveyImportScreen #survey-import-row { height: 1; margin-top: 1; }
    SurveyImportScreen #survey-import-row Input { width: 1fr; background: $boost; }
    SurveyImportScreen #survey-import-result { height: 1fr; padding: 0 1; }
    """
    BINDINGS = [
        Binding("ctrl+r", "read", "key.survey_read", id="survey_read"),
        Binding("escape", "back", "key.back", id="back"),
    ]

    def __init__(self, survey_id: int, path: str = ""):
        super().__init__()
        self.survey_id = survey_id
        self.path = path
        self.imported = False
        self.busy = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield InfoLine(id="survey-import-info", classes="info")
        with Horizontal(id="survey-import-row"):
            yield PlainStatic(t("survey.import.path"), classes="label-short")
            yield Input(self.path, id="survey-import-path", compact=True,
                        placeholder=t("survey.import.placeholder"))
        yield PlainStatic("", id="survey-import-error", classes="error-status")
        yield LinesView(id="survey-import-result")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.title = t("survey.import.title")
        self.query_one(InfoLine).show(t("survey.import.info"))
        self.query_one("#survey-import-path").focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_read()

    def action_read(self) -> None:
        if self.busy:
            return
        path = os.path.expanduser(self.query_one("#survey-import-path", Input).value.strip())
        error = self.query_one("#survey-import-error", PlainStatic)
        if not path or not os.path.isfile(path):
            error.update(t("survey.import.no_file"))
            return
        error.update("")
        self.busy = True
        self.query_one(InfoLine).show(t("survey.import.reading"))
        self.read(path)

    @work(thread=True, exclusive=True, group="survey-import", exit_on_error=False)
    def read(self, path: str) -> None:
        from db.access import NotAllowed
        from db.survey_file import import_answers
        from db.surveys import SurveyError

        try:
            with connected():
                result = import_answers(self.app.staff, self.survey_id, path)
        except (NotAllowed, SurveyError) as exc:
            key = "survey.err.not_allowed" if isinstance(exc, NotAllowed) else "survey.err.gone"
            self.app.call_from_thread(self._done, None, [t(key)])
            return
        except Exception:
            self.app.call_from_thread(setattr, self, "busy", False)
            raise  # the app names the failure (no personal data)
        self.app.call_from_thread(self._done, result, import_lines(result))

    def _done(self, result, lines: list[str]) -> None:
        from rich.text import Text

        self.busy = False
        ok = result is not None and result.ok
        self.imported = self.imported or (ok and bool(result.count.total))
        self.query_one(InfoLine).show(lines[0])
        body = Text()
        for n, line in enumerate(lines[1:] if ok else lines):
            body.append(one_line(line) + "\n", style="bold" if n == 0 and not ok else "")
        self.query_one(LinesView).show(body)

    def action_back(self) -> None:
        self.dismiss(self.imported)
