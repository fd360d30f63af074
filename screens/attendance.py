"""Who came to a family event, class by class, typed in a grid like the score
grid (``tui.grid``): one row per family (by its student; ● marks a supported
student, one with an open case), columns "came" (1 came, 0 did not, blank
not known), the family's rating of the event 1-5 and a note.  Enter goes
down the column, the arrows move, ctrl+s saves the class in one transaction
and says what was saved (a family that came, whose student has an open case,
gets the family contact on its case: ``db.family_events``); ctrl+n goes on to
the next invited class.  A bad cell is shown in red with its reason and
nothing is written; leaving (or going on) with unsaved cells asks first.
Typed cells are kept on this computer as a draft until saved or left, and
offered again after the next sign-in if bangfu closed first (as the score
grid's)."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Header

from db.scores import cell_errors
from db.store.connected import connected
from db.text import one_line
from tui.grid import EditGrid, GridColumn, GridRow
from tui.i18n import label, t
from tui.screen_base import BangfuScreen
from tui.widgets import InfoLine, KeyFooter, PlainStatic


class AttendanceScreen(BangfuScreen[bool]):
    BINDINGS = [
        Binding("ctrl+s", "save", "key.save", id="save"),
        Binding("ctrl+n", "next_class", "key.attend_next_class", id="attend_next_class"),
        Binding("escape", "cancel", "key.back", id="cancel"),
    ]

    def __init__(self, event, draft=None):
        """``event``: the ``db.family_events.EventRow`` whose attendance is entered;
        ``draft``: a db.store.local.Draft of its grid to restore (typed, never saved)."""
        super().__init__()
        self.event = event
        self.draft = draft
        self.invited: list = []  # db.family_events.ClassChoice the reader may enter
        self.at = 0
        self.versions: dict[int, int] = {}
        self.loaded = False
        self.saving = False
        self.saved = False
        self.said = ""  # what the last save wrote, shown once the class is loaded again

    def compose(self) -> ComposeResult:
        yield Header()
        yield InfoLine(id="attend-event", classes="info")
        yield InfoLine(id="attend-info", classes="info")
        yield PlainStatic("", id="attend-header", classes="table-header")
        yield EditGrid(id="attend-grid")
        yield PlainStatic("", id="attend-error", classes="error-status")
        yield InfoLine(id="attend-status", classes="info")
        yield KeyFooter()

    @property
    def grid(self) -> EditGrid:
        return self.query_one(EditGrid)

    def on_mount(self) -> None:
        e = self.event
        self.title = t("attend.title")
        self.query_one("#attend-event", InfoLine).show(
            f"{e.held_on:%Y-%m-%d} · {label('event', e.kind)} · {one_line(e.topic)}")
        self.load(0)

    @work(thread=True, exclusive=True, group="attend-load", exit_on_error=False)
    def load(self, index: int) -> None:
        from db.access import NotAllowed
        from db.family_events import EventGone, attendance_classes, load_attendance

        try:
            with connected():
                classes = attendance_classes(self.app.staff, self.event.id)
                if not classes:
                    self.app.call_from_thread(self._no_class)
                    return
                if self.draft is not None:  # the class the draft was typed in
                    index = next((n for n, c in enumerate(classes)
                                  if c.class_id == self.draft.values.get("class_id")), index)
                index %= len(classes)
                grid = load_attendance(self.app.staff, self.event.id, classes[index].class_id)
        except EventGone:
            self.app.call_from_thread(self._error, "event.err.gone")
            return
        except NotAllowed:
            self.app.call_from_thread(self._error, "err.access.class")
            return
        self.app.call_from_thread(self._loaded, classes, index, grid)

    def _no_class(self) -> None:
        self._error("attend.no_class")

    def _error(self, key: str) -> None:
        self.query_one("#attend-error", PlainStatic).update(t(key))
        self.refresh_bindings()

    def _loaded(self, classes, index, loaded) -> None:
        from db.family_events import CAME, NOTE, RATING

        self.invited, self.at, self.versions = classes, index, loaded.versions
        self.loaded = True
        grid = self.grid
        rows = [GridRow(s.student_id, [s.student_no, s.name, "●" if s.supported else ""])
                for s in loaded.students]
        grid.values = {}  # another class: nothing typed carries over
        grid.set_grid(rows, [GridColumn(CAME, t("attend.col.came"), 6),
                             GridColumn(RATING, t("attend.col.rating"), 6),
                             GridColumn(NOTE, t("attend.col.note"), 20, text=True)],
                      loaded.stored)
        draft, self.draft = self.draft, None
        if draft is not None and draft.values.get("class_id") == classes[index].class_id:
            grid.restore(draft.values.get("typed", ()))  # typed before bangfu closed
        self.query_one("#attend-header", PlainStatic).update(
            grid.header([t("grid.col.number"), t("grid.col.name"), ""]))
        klass = classes[index]
        came = sum(1 for (_, col), v in loaded.stored.items() if col == CAME and v == "1")
        self.query_one("#attend-info", InfoLine).show(t(
            "attend.info", klass=one_line(klass.name), code=one_line(klass.code), i=index + 1,
            of=len(classes), n=len(rows), came=came))
        self.query_one("#attend-error", PlainStatic).update("" if rows else t("attend.empty"))
        self.query_one("#attend-status", InfoLine).show(self.said)
        self.said = ""
        grid.focus()
        self.refresh_bindings()

    # -- the grid --------------------------------------------------------------------------
    def on_edit_grid_edited(self, event: EditGrid.Edited) -> None:
        self._show_cell_error()
        self.keep_draft()

    def keep_draft(self) -> None:
        """Typed cells are kept on this computer until saved (like every form)."""
        if self.app.staff is None or not self.loaded:
            return
        from db.store.local import save_draft

        typed = self.grid.typed()
        klass = self.invited[self.at]
        try:
            save_draft(self.app.db_path, self.app.staff.id, "attendance", str(self.event.id),
                       f"{self.event.held_on:%Y-%m-%d} {one_line(self.event.topic)[:20]} · "
                       f"{one_line(klass.code or klass.name)}",
                       {"event_id": self.event.id, "class_id": klass.class_id, "typed": typed})
        except OSError:
            pass

    def drop_draft(self) -> None:
        from db.store.local import discard_draft

        try:
            discard_draft(self.app.db_path, self.app.staff.id, "attendance", str(self.event.id))
        except OSError:
            pass

    def on_key(self, event) -> None:
        if self.grid.has_focus:
            self.call_after_refresh(self._show_cell_error)

    def _show_cell_error(self) -> None:
        key = self.grid.current_error
        self.query_one("#attend-error", PlainStatic).update(t(key) if key else "")

    def check_action(self, action: str, parameters) -> bool | None:
        if action == "save":
            return self.loaded and not self.saving
        if action == "next_class":
            return self.loaded and len(self.invited) > 1
        return True

    def changed_cells(self) -> dict:
        """Every cell of the rows typed in (a row is saved whole, or not at all)."""
        grid = self.grid
        cells = grid.cells()
        rows = {sid for (sid, col), v in cells.items() if v != grid.loaded.get((sid, col), "")}
        return {k: v for k, v in cells.items() if k[0] in rows}

    def action_save(self) -> None:
        if not self.loaded or self.saving:
            return
        self.saving = True
        self.refresh_bindings()
        self.query_one("#attend-info", InfoLine).show(t("grid.saving"))
        self.save(self.invited[self.at].class_id, self.changed_cells(), dict(self.versions))

    @work(thread=True, exclusive=True, group="attend-save", exit_on_error=False)
    def save(self, class_id: int, cells: dict, versions: dict) -> None:
        from db.access import NotAllowed
        from db.family_events import EventGone, EventValidationError, save_attendance

        try:
            with connected():
                count = save_attendance(self.app.staff, self.event.id, class_id, cells, versions)
        except EventValidationError as exc:
            self.app.call_from_thread(self._invalid, exc.errors)
            return
        except (EventGone, NotAllowed) as exc:
            key = "event.err.gone" if isinstance(exc, EventGone) else "err.access.class"
            self.app.call_from_thread(self._refused, key)
            return
        except Exception:
            self.app.call_from_thread(self._refused, "grid.not_saved")
            raise  # the app names the failure (no personal data); the grid keeps every cell
        self.app.call_from_thread(self._saved, count)

    def _refused(self, key: str) -> None:
        self.saving = False
        self.query_one("#attend-info", InfoLine).show(t(key))
        self.refresh_bindings()

    def _invalid(self, errors: dict[str, str]) -> None:
        self.saving = False
        cells = cell_errors(errors)
        for name, key in errors.items():
            if not name.startswith("cell:"):
                self.query_one("#attend-error", PlainStatic).update(t(key))
        if cells:
            self.grid.show_errors(cells)
            self.grid.focus()
            self._show_cell_error()
        self.query_one("#attend-info", InfoLine).show(t("grid.invalid", n=len(cells) or 1))
        self.refresh_bindings()

    def _saved(self, count) -> None:
        self.saving = False
        self.drop_draft()
        self.saved = self.saved or bool(count.total)
        self.grid.mark_saved()
        self.said = t("attend.saved", added=count.added, changed=count.changed,
                      removed=count.removed, linked=count.linked, unlinked=count.unlinked)
        self.notify(self.said, markup=False)
        self.load(self.at)  # the rows' new versions, and what the info line counts
        self.refresh_bindings()

    def _leave_then(self, then) -> None:
        from screens.confirm import ConfirmScreen

        if not self.grid.changed():
            self.drop_draft()
            then()
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.drop_draft()
                then()

        self.app.push_screen(ConfirmScreen(t("form.discard")), answered)

    def action_next_class(self) -> None:
        if self.loaded and len(self.invited) > 1:
            self._leave_then(lambda: self.load(self.at + 1))

    def action_cancel(self) -> None:
        self._leave_then(lambda: self.dismiss(self.saved))
