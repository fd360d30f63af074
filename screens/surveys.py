"""Families' satisfaction surveys (家长满意度): the list and each one's figures.

The list shows every survey: date, term, title, families answering, the
satisfaction figure and the target.  Enter (or moving the cursor) shows the
highlighted survey's figures by class and overall against the target, with
the definition of the figure; a teacher sees their own classes, and the
overall row is then over those.  n sets up a new survey and e edits one
(managers, ``screens.survey_form``); a enters one class's answers in a grid
(``screens.survey_grid``); i imports the answers from an .xlsx or .csv
(``screens.survey_import``).  Volunteers are not shown families' surveys.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Header

from db.store.connected import connected
from db.text import one_line
from tui.i18n import t
from tui.screen_base import BangfuScreen
from tui.survey_text import figure_rows, percent, summary, target_text
from tui.widgets import InfoLine, KeyFooter, PlainStatic, TableList, fit

WIDTHS = [10, 18, 8, 9, 6, 20]  # date, term, families answering, figure, target, title
FIGURE_WIDTHS = (14, 9, 10, 9, 20)  # class, families, 4-5/given, figure, against target


class SurveysScreen(BangfuScreen):
    DEFAULT_CSS = """
    SurveysScreen #survey-table { height: 6; }
    SurveysScreen #survey-figures { height: 1fr; }
    """
    BINDINGS = [
        Binding("enter", "figures", "key.survey_figures", id="survey_figures"),
        Binding("a", "answers", "key.survey_answers", id="survey_answers"),
        Binding("i", "import_file", "key.survey_import", id="survey_import"),
        Binding("n", "new", "key.survey_new", id="survey_new"),
        Binding("e", "edit", "key.survey_edit", id="survey_edit"),
        Binding("escape", "back", "key.back", id="back"),
    ]

    def __init__(self):
        super().__init__()
        self.surveys: list | None = None  # [(survey, overall figures)]
        self.shown: int | None = None  # the survey whose figures are shown

    def compose(self) -> ComposeResult:
        yield Header()
        yield InfoLine(id="survey-info", classes="info")
        yield PlainStatic("", id="survey-header", classes="table-header")
        yield TableList(WIDTHS, id="survey-table")
        yield PlainStatic("", id="survey-figures")
        yield KeyFooter()

    @property
    def table(self) -> TableList:
        return self.query_one(TableList)

    @property
    def manager(self) -> bool:
        from db.access import can

        return can(self.app.staff, "manage")

    @property
    def current(self):
        if not self.surveys:
            return None
        return self.surveys[min(self.table.cursor, len(self.surveys) - 1)][0]

    def on_mount(self) -> None:
        self.title = t("survey.title")
        self.query_one(InfoLine).show(t("survey.loading"))
        self.table.focus()
        self.watch(self.table, "cursor", self._moved, init=False)
        self.load()

    def _moved(self, _cursor) -> None:
        self.refresh_bindings()
        self.action_figures()

    @work(thread=True, exclusive=True, group="surveys", exit_on_error=False)
    def load(self) -> None:
        from db.access import NotAllowed
        from db.surveys import list_surveys, survey_figures

        try:
            with connected():
                rows = [(s, survey_figures(s.id, self.app.staff))
                        for s in list_surveys(self.app.staff)]
        except NotAllowed:
            self.app.call_from_thread(self.query_one(InfoLine).show, t("survey.not_for_you"))
            return
        self.app.call_from_thread(self._loaded, rows)

    def _loaded(self, rows: list) -> None:
        self.surveys = rows
        if not rows:
            self.query_one(InfoLine).show(t("survey.empty_manager" if self.manager
                                            else "survey.empty"))
        else:
            self.query_one(InfoLine).show(t("survey.info", n=len(rows)))
        self.show_list()
        self.refresh_bindings()
        if rows:
            self.action_figures()

    def show_list(self) -> None:
        if self.surveys is None:
            return
        table = self.table
        width = table.size.width or self.app.size.width
        self.query_one("#survey-header", PlainStatic).update(table.line(
            [t("survey.col.date"), t("survey.col.term"), t("survey.col.answered"),
             t("survey.col.rate"), t("survey.col.target_short"), t("survey.col.title")], width))
        table.set_rows([[f"{s.taken_on:%Y-%m-%d}", one_line(f.term), str(f.overall.answering),
                         percent(f.overall.rate), target_text(f.target), one_line(s.title)]
                        for s, f in self.surveys])

    def on_resize(self) -> None:
        self.show_list()

    def others_wrote(self) -> None:
        self.load()

    # -- the figures -----------------------------------------------------------------
    def action_figures(self) -> None:
        survey = self.current
        if survey is not None:
            self.figures(survey.id)

    @work(thread=True, exclusive=True, group="survey-figures", exit_on_error=False)
    def figures(self, survey_id: int) -> None:
        from db.surveys import SurveyError, survey_figures

        try:
            with connected():
                figures = survey_figures(survey_id, self.app.staff)
        except SurveyError:
            return
        self.app.call_from_thread(self._show_figures, figures)

    def _show_figures(self, figures) -> None:
        self.shown = figures.survey_id
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(t("survey.figures_of", title=one_line(figures.title),
                      target=target_text(figures.target)) + "\n", style="bold")
        text.append(t("survey.definition") + "\n", style="dim")
        text.append(t("survey.scale") + "\n", style="dim")
        head = [t(f"survey.col.{k}") for k in ("class", "families", "answers", "rate", "target")]
        text.append(self._line(head) + "\n", style="underline")
        rows = figure_rows(figures)
        for n, row in enumerate(rows):
            text.append(self._line(list(row)) + "\n", style="bold" if n == len(rows) - 1 else "")
        text.append(summary(figures))
        if figures.partial:
            text.append("\n" + t("survey.partial_note"), style="dim")
        self.query_one("#survey-figures", PlainStatic).update(text)

    @staticmethod
    def _line(cells: list[str]) -> str:
        out = []
        for n, (cell, width) in enumerate(zip(cells, FIGURE_WIDTHS)):
            cell = one_line(cell)
            # right-aligned by terminal cells (a CJK character takes two)
            pad = "" if n == 0 else " " * max(0, width - 1 - cell_len(cell))
            out.append(fit(pad + cell, width))
        return " " + " ".join(out)

    # -- keys ----------------------------------------------------------------------------
    def check_action(self, action: str, parameters) -> bool | None:
        if action == "new":
            return self.surveys is not None and self.manager
        if action == "edit":
            return self.current is not None and self.manager
        if action in ("figures", "answers", "import_file"):
            return self.current is not None
        return True

    def _back_here(self, changed=None) -> None:
        if changed:
            self.load()

    def action_new(self) -> None:
        from screens.survey_form import SurveyFormScreen

        if self.manager:
            self.app.push_screen(SurveyFormScreen(), self._back_here)

    def action_edit(self) -> None:
        from screens.survey_form import SurveyFormScreen

        if self.manager and self.current is not None:
            self.app.push_screen(SurveyFormScreen(self.current.id), self._back_here)

    def action_answers(self) -> None:
        from screens.survey_grid import SurveyGridScreen

        if self.current is not None:
            self.app.push_screen(SurveyGridScreen(self.current.id), self._back_here)

    def action_import_file(self) -> None:
        from screens.survey_import import SurveyImportScreen

        if self.current is not None:
            self.app.push_screen(SurveyImportScreen(self.current.id), self._back_here)

    def action_back(self) -> None:
        self.dismiss()
