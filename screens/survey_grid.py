"""One class's answers to a survey, typed in a grid (from the paper forms).

Type the class (7-1 or 七年级(1)班) and Enter: one row per family (by its
student), one column per question (Q1 … with the questions listed above the
grid), 1–5 or blank, and a note.  Enter goes down the column, the arrows move,
ctrl+s saves the whole class in one transaction: a bad cell is shown in red
with its reason and nothing is written; a cleared row removes that family's
answers.  A save over answers someone else saved after the class was loaded
is refused (load the class again: the cells typed are kept).  Managers enter
any class; class teachers and teachers the classes they see.  Typed cells are
kept on this computer as a draft until saved or left, and offered again after
the next sign-in if bangfu closed first (as the score grid's).
"""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Header, Input

from db.scores import cell_errors
from db.store.connected import connected
from db.text import one_line
from tui.grid import EditGrid, GridColumn, GridRow
from tui.i18n import t
from tui.screen_base import BangfuScreen
from tui.widgets import InfoLine, KeyFooter, PlainStatic, fit

ANSWER_WIDTH = 3


class SurveyGridScreen(BangfuScreen[bool]):
    DEFAULT_CSS = """
    SurveyGridScreen #survey-grid-head { height: 1; }
    SurveyGridScreen #survey-grid-head Input { width: 24; background: $boost; }
    SurveyGridScreen #survey-questions-list { height: auto; max-height: 4; color: $text-muted; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "key.save", id="save"),
        Binding("escape", "cancel", "key.back", id="cancel"),
    ]

    def __init__(self, survey_id: int, class_text: str = "", draft=None):
        """``draft``: a db.store.local.Draft of this grid to restore (typed, never saved)."""
        super().__init__()
        self.survey_id = survey_id
        self.draft = draft
        self.class_text = class_text or (str(draft.values.get("class", "")) if draft else "")
        self.loaded: tuple | None = None  # (class id, class text, survey version)
        self.versions: dict[int, int] = {}
        self.saved = False
        self.saving = False
        self.after_load = ""  # what the info line says once the saved grid is loaded again

    def compose(self) -> ComposeResult:
        yield Header()
        yield InfoLine(id="survey-grid-info", classes="info")
        with Horizontal(id="survey-grid-head"):
            yield PlainStatic(t("survey.grid.class"), classes="label-short")
            yield Input(self.class_text, placeholder=t("survey.grid.class_placeholder"),
                        id="survey-grid-class", compact=True)
        yield PlainStatic("", id="survey-questions-list")
        yield PlainStatic("", id="survey-grid-header", classes="table-header")
        yield EditGrid(id="survey-grid")
        yield PlainStatic("", id="survey-grid-error", classes="error-status")
        yield KeyFooter()

    @property
    def grid(self) -> EditGrid:
        return self.query_one(EditGrid)

    def on_mount(self) -> None:
        self.title = t("survey.grid.title")
        self.query_one(InfoLine).show(t("survey.grid.info"))
        self.query_one("#survey-grid-class").focus()
        if self.class_text:
            self.load(self.class_text)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.load(event.value)

    @work(thread=True, exclusive=True, group="survey-grid-load", exit_on_error=False)
    def load(self, class_text: str) -> None:
        from db.scores import class_students, find_class
        from db.surveys import answers_of, existing_answers, get_survey, may_enter, questions_of

        with connected():
            found = find_class(class_text)
            if found is None:
                self.app.call_from_thread(self._bad, "survey.grid.unknown_class")
                return
            if not may_enter(self.app.staff, found.class_id):
                self.app.call_from_thread(self._bad, "survey.grid.not_yours")
                return
            survey = get_survey(self.survey_id)
            if survey is None:
                self.app.call_from_thread(self._bad, "survey.err.gone")
                return
            questions = questions_of(survey)
            students = class_students(found.class_id)
            stored = existing_answers(self.survey_id, [s.student_id for s in students])
            cells: dict[tuple[int, str], str] = {}
            for sid, row in stored.items():
                for i, value in enumerate(answers_of(row, len(questions))):
                    if value is not None:
                        cells[(sid, f"q{i + 1}")] = str(value)
                if row.note:
                    cells[(sid, "note")] = row.note
            versions = {sid: row.version for sid, row in stored.items()}
        self.app.call_from_thread(self._loaded, found, class_text, survey.version, questions,
                                  students, cells, versions)

    def _bad(self, key: str) -> None:
        self.query_one("#survey-grid-error", PlainStatic).update(t(key))
        self.query_one("#survey-grid-class").focus()

    def _loaded(self, found, class_text, version, questions, students, cells, versions) -> None:
        self.loaded = (found.class_id, class_text, version)
        self.versions = {s.student_id: versions.get(s.student_id, 0) for s in students}
        columns = [GridColumn(f"q{i + 1}", f"Q{i + 1}", ANSWER_WIDTH + (i >= 9))
                   for i in range(len(questions))]
        columns.append(GridColumn("note", t("survey.grid.note"), 12, text=True))
        rows = [GridRow(s.student_id, [s.student_no, s.name, "●" if s.supported else ""])
                for s in students]
        grid = self.grid
        grid.set_grid(rows, columns, cells)
        draft, self.draft = self.draft, None
        if draft is not None and draft.values.get("class_id") == found.class_id:
            grid.restore(draft.values.get("typed", ()))  # typed before bangfu closed
        width = max(20, (self.app.size.width or 80) - 2)
        self.query_one("#survey-questions-list", PlainStatic).update("\n".join(
            fit(f"Q{i + 1} {one_line(q)}", width) for i, q in enumerate(questions)))
        self.query_one("#survey-grid-header", PlainStatic).update(
            grid.header([t("grid.col.number"), t("grid.col.name"), ""]))
        self.query_one("#survey-grid-error", PlainStatic).update("")
        self.query_one(InfoLine).show(self.after_load or t(
            "survey.grid.loaded", klass=one_line(found.name), n=len(rows), stored=len(versions)))
        self.after_load = ""
        if rows:
            grid.focus()
        else:
            self._bad("survey.grid.empty")
        self.refresh_bindings()

    # -- keys ----------------------------------------------------------------------------
    def on_key(self, event) -> None:
        if self.grid.has_focus:
            self.call_after_refresh(self._show_cell_error)

    def on_edit_grid_edited(self, event: EditGrid.Edited) -> None:
        self._show_cell_error()
        self.keep_draft()

    def keep_draft(self) -> None:
        """Typed cells are kept on this computer until saved (like every form)."""
        if self.app.staff is None or self.loaded is None:
            return
        from db.store.local import save_draft

        typed = self.grid.typed()
        class_id, class_text, _ = self.loaded
        try:
            save_draft(self.app.db_path, self.app.staff.id, "survey_grid", str(self.survey_id),
                       one_line(class_text), {"survey_id": self.survey_id, "class_id": class_id,
                                              "class": class_text, "typed": typed})
        except OSError:
            pass

    def drop_draft(self) -> None:
        from db.store.local import discard_draft

        try:
            discard_draft(self.app.db_path, self.app.staff.id, "survey_grid", str(self.survey_id))
        except OSError:
            pass

    def _show_cell_error(self) -> None:
        key = self.grid.current_error
        if key:
            self.query_one("#survey-grid-error", PlainStatic).update(t(key))

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()

    def check_action(self, action: str, parameters) -> bool | None:
        if action == "save":
            return self.loaded is not None and not self.saving
        return True

    def action_save(self) -> None:
        if self.loaded is None or self.saving:
            return
        self.saving = True
        self.refresh_bindings()
        self.query_one(InfoLine).show(t("survey.grid.saving"))
        self.save(self.grid.cells())

    @work(thread=True, exclusive=True, group="survey-grid-save", exit_on_error=False)
    def save(self, cells: dict) -> None:
        from db.access import NotAllowed
        from db.surveys import SurveyConflict, SurveyError, save_answers

        assert self.loaded is not None
        class_id, _, version = self.loaded
        try:
            with connected():
                count = save_answers(self.app.staff, self.survey_id, class_id, cells,
                                     survey_version=version, versions=self.versions)
        except SurveyError as exc:
            self.app.call_from_thread(self._invalid, exc.errors)
            return
        except SurveyConflict as exc:
            message = (t("survey.err.conflict_names", names="、".join(one_line(n) for n in exc.names))
                       if exc.names else t("survey.err.conflict"))
            self.app.call_from_thread(self._refused, message)
            return
        except NotAllowed:
            self.app.call_from_thread(self._refused, t("survey.err.not_allowed"))
            return
        except Exception:
            self.app.call_from_thread(self._refused, t("survey.grid.not_saved"))
            raise  # the app names the failure; the grid keeps every cell
        self.app.call_from_thread(self._saved, count)

    def _refused(self, message: str) -> None:
        self.saving = False
        self.query_one(InfoLine).show(message)
        self.refresh_bindings()

    def _invalid(self, errors: dict[str, str]) -> None:
        self.saving = False
        cells = cell_errors(errors)
        self.grid.show_errors(cells)
        self.grid.focus()
        self.query_one(InfoLine).show(t("survey.grid.invalid", n=len(cells)))
        self._show_cell_error()
        self.refresh_bindings()

    def _saved(self, count) -> None:
        self.saving = False
        self.drop_draft()
        self.saved = self.saved or bool(count.total)
        self.grid.mark_saved()
        message = t("survey.grid.saved", added=count.added, changed=count.changed,
                    removed=count.removed)
        self.query_one(InfoLine).show(message)
        # the versions now stored: a second save from this grid is not a conflict
        if self.loaded is not None:
            self.after_load = message
            self.load(self.loaded[1])
        self.notify(message, markup=False)
        self.query_one("#survey-grid-error", PlainStatic).update("")
        self.refresh_bindings()

    def action_cancel(self) -> None:
        from screens.confirm import leave_form

        leave_form(self, not self.grid.changed(), self.drop_draft, self.saved)
