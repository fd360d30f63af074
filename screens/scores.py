"""A whole class's test scores, or its psychological check-ins, typed in a grid.

The header says which class and exam (name, date, full marks, subjects), or for
check-ins which class and date; Enter in the header brings up the class list
with what is stored for that sitting.  In the grid one row is one student
(● marks an open case), Enter goes down the column, the arrows move, ctrl+s
saves the whole grid in one transaction: new scores added, corrected ones
changed, cleared ones removed.  A bad cell is shown in red with its reason and
nothing is written.  Typed cells are kept as a local draft until saved, and
offered again after the next sign-in.
"""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Header, Input

from db import clock
from db.scores import cell_errors
from db.store.connected import connected
from db.text import clean, one_line
from tui.grid import EditGrid, GridColumn, GridRow
from tui.i18n import label, t
from tui.screen_base import BangfuScreen
from tui.widgets import DateInput, InfoLine, KeyFooter, PlainStatic

SCORE_WIDTH = 6
RATING_WIDTH = 8


def _number_text(value: float) -> str:
    return f"{value:g}"


class ScoreGridScreen(BangfuScreen[bool]):
    """``kind``: "scores" (an exam's subjects) or "checkins" (1–5 per dimension)."""

    BINDINGS = [
        Binding("ctrl+s", "save", "key.save", id="save"),
        Binding("escape", "cancel", "key.back", id="cancel"),
    ]

    def __init__(self, kind: str = "scores", class_text: str = "", draft=None):
        """``draft``: a db.store.local.Draft of this grid to restore (typed, never saved)."""
        super().__init__()
        self.kind = kind
        self.class_text = class_text
        self.draft = draft
        self.loaded_key: tuple | None = None  # the header (as typed) the grid was loaded for
        self.sitting = None  # db.scores.Sitting of the grid shown
        self.saved = False
        self.saving = False

    @property
    def scores(self) -> bool:
        return self.kind == "scores"

    def compose(self) -> ComposeResult:
        yield Header()
        yield InfoLine(id="grid-info", classes="info")
        with Vertical(id="grid-head"):
            with Horizontal(classes="row"):
                yield PlainStatic(t("grid.class"), classes="label-short")
                yield Input(self.class_text, placeholder=t("grid.class_placeholder"),
                            id="grid-class", compact=True, classes="short")
                yield PlainStatic(t("grid.date"), classes="label-short")
                yield DateInput(f"{clock.today():%Y-%m-%d}", placeholder=t("form.date.placeholder"),
                                id="grid-date", compact=True, classes="short")
                if self.scores:
                    yield PlainStatic(t("grid.exam"), classes="label-short")
                    yield Input(placeholder=t("grid.exam_placeholder"), id="grid-exam",
                                compact=True)
            if self.scores:
                with Horizontal(classes="row"):
                    yield PlainStatic(t("grid.full"), classes="label-short")
                    yield Input("100", id="grid-full", compact=True, classes="tiny")
                    yield PlainStatic(t("grid.subjects"), classes="label-short")
                    yield Input(id="grid-subjects", compact=True)
        yield PlainStatic("", id="grid-header", classes="table-header")
        yield EditGrid(id="grid")
        yield PlainStatic("", id="grid-error", classes="error-status")
        yield KeyFooter()

    @property
    def grid(self) -> EditGrid:
        return self.query_one(EditGrid)

    def _value(self, name: str) -> str:
        found = self.query(f"#grid-{name}")
        return found.first(Input).value if found else ""

    def on_mount(self) -> None:
        self.title = t("grid.title." + self.kind)
        self.query_one(InfoLine).show(t("grid.info." + self.kind))
        self.query_one("#grid-class").focus()
        if self.draft is not None:
            values = self.draft.values
            for name in ("class", "date", "exam", "full", "subjects"):
                found = self.query(f"#grid-{name}")
                if found and isinstance(values.get(name), str):
                    found.first(Input).value = clean(values[name], multiline=False)
            self.action_load()
        else:
            self.defaults()

    @work(thread=True, exclusive=True, group="grid-defaults", exit_on_error=False)
    def defaults(self) -> None:
        from db.scores import load_subjects, recent_exams

        with connected():
            subjects = load_subjects()
            exams = recent_exams(1) if self.scores else []
        self.app.call_from_thread(self._defaults, subjects, exams)

    def _defaults(self, subjects, exams) -> None:
        if not self.scores:
            return
        field = self.query_one("#grid-subjects", Input)
        if not field.value:
            field.value = ", ".join(one_line(s) for s in subjects)
        if exams:
            exam, _, full = exams[0]
            self.query_one("#grid-exam", Input).placeholder = t("grid.exam_last", exam=one_line(exam))
            full_input = self.query_one("#grid-full", Input)
            if full_input.value == "100":
                full_input.value = _number_text(full)

    # -- the header ------------------------------------------------------------------------
    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_load()

    HEADER = ("class", "date", "exam", "full", "subjects")

    def _header(self) -> tuple[str, ...]:
        """The header as typed: the grid belongs to the header it was loaded for."""
        return tuple(self._value(name) for name in self.HEADER)

    def action_load(self) -> None:
        self.load(self._header())

    @work(thread=True, exclusive=True, group="grid-load", exit_on_error=False)
    def load(self, header: tuple[str, ...]) -> None:
        from db import checkins, scores

        class_text, date_text, exam, full, subjects = header
        with connected():
            found = scores.find_class(class_text)
            if found is None:
                self.app.call_from_thread(self._bad_header, "class", "err.grid.class")
                return
            from db.access import NOBODY, sees_class

            if not sees_class(self.app.scope or NOBODY, found.class_id):
                self.app.call_from_thread(self._bad_header, "class", "err.grid.not_yours")
                return
            try:
                if self.scores:
                    sitting = scores.validate_sitting(exam, date_text, full, subjects)
                    when, columns = sitting.taken_on, sitting.subjects
                else:
                    when, columns = scores.validate_day(date_text), list(scores.load_dimensions())
                    sitting = scores.Sitting("", when, 5, columns)
            except scores.ScoreValidationError as exc:
                field, key = next(iter(exc.errors.items()))
                self.app.call_from_thread(self._bad_header, field, key)
                return
            students = scores.class_students(found.class_id, supported_only=not self.scores)
            ids = [s.student_id for s in students]
            stored: dict[tuple[int, str], str] = {}
            if self.scores:
                for (sid, subject), (score, _) in scores.existing_scores(
                        ids, sitting.exam, when).items():
                    stored[(sid, subject)] = _number_text(score)
            else:
                for sid, (ratings, note) in checkins.existing_checkins(ids, when).items():
                    stored.update({(sid, d): str(v) for d, v in ratings.items()})
                    if note:
                        stored[(sid, checkins.NOTE_COLUMN)] = note
                    columns += [d for d in ratings if d not in columns]
        self.app.call_from_thread(self._loaded, header, found, sitting, students, columns,
                                  stored)

    def _bad_header(self, field: str, key: str) -> None:
        self.query_one("#grid-error", PlainStatic).update(
            f"{t('grid.' + field)}{t('common.colon')}{t(key)}")
        target = self.query(f"#grid-{field}")
        if target:
            target.first().focus()

    def _loaded(self, header, found, sitting, students, columns, stored) -> None:
        from db.checkins import NOTE_COLUMN

        self.loaded_key = header
        self.sitting = sitting
        if self.scores:
            grid_columns = [GridColumn(c, c, SCORE_WIDTH) for c in columns]
        else:
            grid_columns = [GridColumn(d, label("dimension", d), RATING_WIDTH) for d in columns]
            grid_columns.append(GridColumn(NOTE_COLUMN, t("grid.note"), 20, text=True))
        rows = [GridRow(s.student_id, [s.student_no, s.name, "●" if s.supported else ""])
                for s in students]
        grid = self.grid
        grid.set_grid(rows, grid_columns, stored)
        if self.draft is not None:  # the cells typed before bangfu was closed
            grid.restore(self.draft.values.get("typed", ()))
            self.draft = None
        self.query_one("#grid-header", PlainStatic).update(
            grid.header([t("grid.col.number"), t("grid.col.name"), ""]))
        self.query_one("#grid-error", PlainStatic).update("")
        info = "grid.loaded." + self.kind
        self.query_one(InfoLine).show(t(info, klass=one_line(found.name), n=len(rows),
                                        stored=len({k[0] for k in stored}),
                                        date=f"{sitting.taken_on:%Y-%m-%d}"))
        if rows:
            grid.focus()
        else:
            self._bad_header("class", "err.grid.empty_scores" if self.scores
                             else "err.grid.empty_checkins")
        self.refresh_bindings()

    # -- the grid --------------------------------------------------------------------------
    def on_edit_grid_edited(self, event: EditGrid.Edited) -> None:
        self._show_cell_error()
        self.keep_draft()

    @property
    def draft_form(self) -> str:
        return "score_grid" if self.scores else "checkin_grid"

    def keep_draft(self) -> None:
        """Typed cells are kept on this computer until saved (like every form)."""
        if self.app.staff is None or self.loaded_key is None:
            return
        from db.store.local import save_draft

        typed = self.grid.typed()
        # the header the grid was loaded for (it may have been edited since)
        values = dict(zip(self.HEADER, self.loaded_key))
        title = " · ".join(v for v in (values["class"], values["exam"], values["date"]) if v)
        try:
            save_draft(self.app.db_path, self.app.staff.id, self.draft_form, "grid", title,
                       {**values, "typed": typed})
        except OSError:
            pass

    def drop_draft(self) -> None:
        from db.store.local import discard_draft

        try:
            discard_draft(self.app.db_path, self.app.staff.id, self.draft_form, "grid")
        except OSError:
            pass

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()

    def _show_cell_error(self) -> None:
        """The error of the cell the cursor is on; else, while the header is not the
        one the grid was loaded for, that it must be loaded first (the refusal of a
        save stays said, whichever key comes next)."""
        key = self.grid.current_error
        if not key and self.loaded_key is not None and self._header() != self.loaded_key:
            key = "grid.reload_first"
        self.query_one("#grid-error", PlainStatic).update(t(key) if key else "")

    def check_action(self, action: str, parameters) -> bool | None:
        if action == "save":
            return self.loaded_key is not None and not self.saving
        return True

    def action_save(self) -> None:
        if self.loaded_key is None or self.saving:
            return
        # a header changed since the grid was loaded: the cells belong to the
        # sitting shown, never to the one typed since
        if self._header() != self.loaded_key:
            self.query_one("#grid-error", PlainStatic).update(t("grid.reload_first"))
            return
        self.saving = True
        self.refresh_bindings()
        self.query_one(InfoLine).show(t("grid.saving"))
        self.save(self.grid.cells())

    @work(thread=True, exclusive=True, group="grid-save", exit_on_error=False)
    def save(self, cells: dict) -> None:
        from db import checkins, scores

        try:
            with connected():
                if self.scores:
                    count = scores.save_scores(self.app.staff, self.sitting, cells)
                else:
                    dims = [c.key for c in self.grid.columns if not c.text]
                    count = checkins.save_checkins(self.app.staff, self.sitting.taken_on, dims,
                                                   cells)
        except scores.ScoreValidationError as exc:
            self.app.call_from_thread(self._invalid, exc.errors)
            return
        except Exception:
            self.app.call_from_thread(self._failed)
            raise  # the app names the failure (no personal data); the grid keeps every cell
        self.app.call_from_thread(self._saved, count)

    def _failed(self) -> None:
        self.saving = False
        self.query_one(InfoLine).show(t("grid.not_saved"))
        self.refresh_bindings()

    def _invalid(self, errors: dict[str, str]) -> None:
        self.saving = False
        cells = cell_errors(errors)
        self.grid.show_errors(cells)
        self.grid.focus()
        self.query_one(InfoLine).show(t("grid.invalid", n=len(cells)))
        self._show_cell_error()
        self.refresh_bindings()

    def _saved(self, count) -> None:
        self.saving = False
        self.saved = self.saved or bool(count.total)
        self.grid.mark_saved()
        self.drop_draft()
        message = t("grid.saved", added=count.added, changed=count.changed, removed=count.removed)
        self.query_one(InfoLine).show(message)
        self.query_one("#grid-error", PlainStatic).update("")
        self.notify(message, markup=False)
        self.refresh_bindings()

    def on_key(self, event) -> None:
        if self.grid.has_focus:
            self.call_after_refresh(self._show_cell_error)

    def action_cancel(self) -> None:
        from screens.confirm import leave_form

        leave_form(self, not self.grid.changed(), self.drop_draft, self.saved)
