"""Recognitions (表彰) of families, students and staff: this term's, or all (t).
Administrators and coordinators add one (a: of a family, student or staff
member by letter, who, what, when, given by whom; ctrl+s adds it) and delete
the highlighted one (x, asked first).  A student the reader does not see is
listed without a name (``db.recognitions``)."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Header, Input

from db import clock
from db.access import can
from db.store.connected import connected
from db.text import one_line
from tui.i18n import label, t
from tui.screen_base import BangfuScreen
from tui.widgets import DateInput, InfoLine, KeyFooter, LetterChoice, PlainStatic, TableList

WIDTHS = [10, 8, 14, 30]  # date, of, name, what (and given by)
WHO_KEYS = {"f": "family", "s": "student", "t": "staff"}
FIELDS = {"who": "recog.form.who", "student": "recog.form.name", "staff": "recog.form.name",
          "what": "recog.form.what", "given_on": "recog.form.date", "given_by": "recog.form.by"}
TARGETS = {"student": "#recog-name", "staff": "#recog-name", "what": "#recog-what",
           "given_on": "#recog-date", "given_by": "#recog-by"}


class RecognitionsScreen(BangfuScreen[bool]):
    DEFAULT_CSS = """
    #recog-form { height: auto; padding: 0 1; }
    #recog-form .row { height: auto; }
    #recog-form Input { width: 1fr; background: $boost; }
    #recog-form Input:focus { background: $accent 30%; }
    """
    BINDINGS = [
        Binding("a", "add", "key.recog_add", id="recog_add"),
        Binding("x", "delete", "key.recog_delete", id="recog_delete"),
        Binding("t", "range", "key.recog_range", id="recog_range"),
        Binding("ctrl+s", "save", "key.save", id="recog_save"),
        Binding("escape", "back", "key.back", id="back"),
    ]

    def __init__(self):
        super().__init__()
        self.this_term = True
        self.rows: list = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield InfoLine(id="recog-info", classes="info")
        yield PlainStatic("", id="recog-header", classes="table-header")
        yield TableList(WIDTHS, id="recog-table")
        with Vertical(id="recog-form"):
            with Horizontal(classes="row"):
                yield PlainStatic(t("recog.form.who"), classes="label")
                yield LetterChoice(WHO_KEYS, "recognised", "student", id="recog-who")
            with Horizontal(classes="row"):
                yield PlainStatic(t("recog.form.name"), classes="label")
                yield Input(placeholder=t("recog.form.name.placeholder"), id="recog-name",
                            compact=True)
            with Horizontal(classes="row"):
                yield PlainStatic(t("recog.form.what"), classes="label")
                yield Input(id="recog-what", compact=True)
            with Horizontal(classes="row"):
                yield PlainStatic(t("recog.form.date"), classes="label")
                yield DateInput(clock.today().isoformat(), placeholder=t("form.date.placeholder"),
                                id="recog-date", compact=True)
            with Horizontal(classes="row"):
                yield PlainStatic(t("recog.form.by"), classes="label")
                yield Input(id="recog-by", compact=True)
            yield PlainStatic("", id="recog-error", classes="error-status")
        yield KeyFooter()

    @property
    def table(self) -> TableList:
        return self.query_one(TableList)

    @property
    def adding(self) -> bool:
        return self.query_one("#recog-form").display

    def on_mount(self) -> None:
        self.title = t("recog.title")
        self.query_one("#recog-form").display = False
        self.table.focus()
        self.load()

    @work(thread=True, exclusive=True, group="recognitions", exit_on_error=False)
    def load(self) -> None:
        from db.recognitions import recognitions_in
        from db.workflow import term_bounds

        with connected():
            start, end = term_bounds(clock.today()) if self.this_term else (None, None)
            rows = recognitions_in(start, end, self.app.staff)
        self.app.call_from_thread(self._loaded, rows)

    def _loaded(self, rows) -> None:
        self.rows = rows
        scope = t("recog.range.term" if self.this_term else "recog.range.all")
        info = t("recog.info", n=len(rows), range=scope)
        self.query_one(InfoLine).show(info if rows else f"{info} · {t('recog.none')}")
        table = self.table
        self.query_one("#recog-header", PlainStatic).update(table.line(
            [t("recog.col.date"), t("recog.col.who"), t("recog.col.name"), t("recog.col.what")],
            table.size.width or self.app.size.width))
        table.set_rows([[f"{r.given_on:%Y-%m-%d}", label("recognised", r.who),
                         t("recog.hidden") if r.hidden else one_line(r.name),
                         one_line(r.what) + (f" · {one_line(r.given_by)}" if r.given_by else "")]
                        for r in rows])
        self.refresh_bindings()

    def check_action(self, action: str, parameters) -> bool | None:
        manager = can(self.app.staff, "manage")
        if action == "add":
            return manager and not self.adding
        if action == "delete":
            return manager and not self.adding and bool(self.rows)
        if action == "range":
            return not self.adding
        if action == "save":
            return self.adding
        return True

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()

    def action_range(self) -> None:
        self.this_term = not self.this_term
        self.load()

    def action_add(self) -> None:
        self.query_one("#recog-form").display = True
        self.query_one("#recog-error", PlainStatic).update("")
        self.query_one("#recog-who").focus()
        self.refresh_bindings()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    def _error(self, field: str, text: str) -> None:
        name = t(FIELDS[field]) if field in FIELDS else ""
        self.query_one("#recog-error", PlainStatic).update(
            f"{name}{t('common.colon')}{text}" if name else text)
        if field in TARGETS:
            self.query_one(TARGETS[field]).focus()

    def action_save(self) -> None:
        from db.recognitions import RecognitionInput
        from db.roster import StudentLookupError, resolve_student

        who = self.query_one("#recog-who", LetterChoice).value
        name = self.query_one("#recog-name", Input).value
        data = RecognitionInput(who=who, what=self.query_one("#recog-what", Input).value,
                                given_on=self.query_one("#recog-date", Input).value,
                                given_by=self.query_one("#recog-by", Input).value)
        if who != "staff" and name.strip() and self.app.index is not None:
            try:
                data.student_id = resolve_student(self.app.index, name).student_id
            except StudentLookupError as exc:
                self._error("student", t("feedback.student.none") if exc.code == "none" else
                            t("feedback.student.many", list="; ".join(
                                f"{one_line(r.name)} {r.student_no}" for r in exc.candidates[:4])))
                return
        self.save(data, name if who == "staff" else "")

    @work(thread=True, exclusive=True, group="recog-save", exit_on_error=False)
    def save(self, data, staff_name: str) -> None:
        from db.access import NotAllowed
        from db.recognitions import RecognitionError, add_recognition
        from db.staff import find_staff

        call = self.app.call_from_thread
        try:
            with connected():
                if staff_name.strip():
                    found = find_staff(staff_name)
                    if len(found) != 1:
                        call(self._error, "staff", t("feedback.owner.none") if not found else
                             t("feedback.owner.many",
                               list="、".join(one_line(s.name) for s in found[:5])))
                        return
                    data.staff_id = found[0].id
                add_recognition(self.app.staff, data)
        except RecognitionError as exc:
            field, key = next(iter(exc.errors.items()))
            call(self._error, field, t(key))
            return
        except NotAllowed as exc:
            call(self._error, "", t(f"err.access.{exc.code}"))
            return
        call(self._added)

    def _added(self) -> None:
        for name in ("recog-name", "recog-what", "recog-by"):
            self.query_one(f"#{name}", Input).value = ""
        self.query_one("#recog-form").display = False
        self.table.focus()
        self.notify(t("recog.added"), timeout=2, markup=False)
        self.load()

    def action_delete(self) -> None:
        from screens.confirm import ConfirmScreen

        i = self.table.cursor
        if not 0 <= i < len(self.rows):
            return
        row = self.rows[i]
        self.app.push_screen(ConfirmScreen(t("recog.delete_confirm", what=one_line(row.what))),
                             lambda yes: yes and self.delete(row.id, row.version))

    @work(thread=True, exclusive=True, group="recog-save", exit_on_error=False)
    def delete(self, recognition_id: int, version: int) -> None:
        from db.recognitions import RecognitionConflict, RecognitionGone, delete_recognition

        try:
            with connected():
                delete_recognition(self.app.staff, recognition_id, version)
        except (RecognitionConflict, RecognitionGone):
            self.app.call_from_thread(self.notify, t("recog.changed"), severity="warning",
                                      markup=False)
        else:
            self.app.call_from_thread(self.notify, t("recog.deleted"), timeout=2, markup=False)
        self.app.call_from_thread(self.load)

    def action_back(self) -> None:
        if self.adding:
            self.query_one("#recog-form").display = False
            self.table.focus()
            self.refresh_bindings()
            return
        self.dismiss(False)
