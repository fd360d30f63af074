"""The student editor: add a student or change one, with their guardians.

Managers only (``db.access``: "manage").  Tab moves through the fields, the
gender and each guardian's relation are chosen by letter, space ticks the
family's circumstances and a guardian's "lives with" / "works away"; ctrl+g
adds a guardian (up to six), and clearing a guardian's name, phone and WeChat
removes them.  The village (属地) is read from the address when left blank
(its hint shows what the address reads as); typed, it is set by hand and
kept when the address changes (``db.villages``).  ctrl+s saves the student
and guardians in one transaction; a bad value is named under its field and
nothing is written.  A class that does not exist yet ("7-3") is made on save.
"""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Checkbox, Header, Input, SelectionList, TextArea

from db.store.connected import connected
from db.students import MAX_GUARDIANS, GuardianInput, StudentForm, StudentInput
from db.text import one_line
from db.villages import MAX_VILLAGE, village_of
from db.vocab import FAMILY_FLAGS, RELATION_KEYS
from screens.confirm import ConfirmScreen
from tui.i18n import label, t
from tui.screen_base import BangfuScreen
from tui.widgets import DateInput, KeyFooter, LetterChoice, PlainStatic
from tui.ticks import TickBox, TickList

GENDER_KEYS = {"m": "M", "f": "F", "u": "U"}  # U: not given (stored as "")
FIELDS = ("student_no", "name", "gender", "class", "birth_date", "address", "phone",
          "village", "family_flags", "family_notes")
SHOWN_GUARDIANS = 2  # guardian blocks shown on a new student


def village_hint(address: str) -> str:
    """The village field's hint: what a blank field stands for."""
    village = village_of(address)
    return (t("student.village.read", village=village) if village
            else t("student.village.none"))


class GenderChoice(LetterChoice):
    def __init__(self, value: str, **kwargs):
        super().__init__(GENDER_KEYS, "gender", value or "U", **kwargs)

    def option_label(self, code: str) -> str:
        return t("student.gender.none") if code == "U" else label("gender", code)


class StudentScreen(BangfuScreen[int | None]):
    """Dismissed with the student's id once saved, else None."""

    BINDINGS = [
        Binding("ctrl+s", "save", "key.save", id="save"),
        Binding("ctrl+g", "add_guardian", "key.add_guardian_row", id="add_guardian_row"),
        Binding("escape", "cancel", "key.back", id="cancel"),
    ]

    def __init__(self, form: StudentForm | None = None):
        super().__init__()
        self.form = form
        data = form.data if form else StudentInput()
        self.data = data
        self.guardian_count = max(len(data.guardians), SHOWN_GUARDIANS if form is None else 1)
        self.saving = False
        self._start: StudentInput | None = None

    # -- layout ---------------------------------------------------------------
    def compose(self) -> ComposeResult:
        d = self.data
        yield Header()
        title = (t("student.editing", name=one_line(d.name), no=one_line(d.student_no))
                 if self.form else t("student.adding"))
        yield PlainStatic(title, classes="title", id="student-title")
        with VerticalScroll(id="form"):
            with Horizontal(classes="row"):
                yield PlainStatic(t("student.student_no"), classes="label")
                yield Input(d.student_no, id="student_no", classes="short", compact=True,
                            max_length=30)
                yield PlainStatic(t("student.name"), classes="label-short")
                yield Input(d.name, id="name", compact=True, max_length=40)
            yield PlainStatic("", id="err-student_no", classes="error")
            yield PlainStatic("", id="err-name", classes="error")
            with Horizontal(classes="row"):
                yield PlainStatic(t("student.gender"), classes="label")
                yield GenderChoice(d.gender, id="gender")
            yield PlainStatic("", id="err-gender", classes="error")
            with Horizontal(classes="row"):
                yield PlainStatic(t("student.class"), classes="label")
                yield Input(d.class_text, id="class", classes="short", compact=True,
                            placeholder="7-3", max_length=30)
                yield PlainStatic(t("student.birth_date"), classes="label-short")
                yield DateInput(d.birth_date, id="birth_date", classes="short", compact=True,
                                placeholder="2012-03-15", max_length=20)
            yield PlainStatic("", id="err-class", classes="error")
            yield PlainStatic("", id="err-birth_date", classes="error")
            with Horizontal(classes="row"):
                yield PlainStatic(t("student.address"), classes="label")
                yield Input(d.address, id="address", compact=True, max_length=200)
            yield PlainStatic("", id="err-address", classes="error")
            with Horizontal(classes="row"):
                yield PlainStatic(t("student.phone"), classes="label")
                yield Input(d.phone, id="phone", classes="short", compact=True, max_length=20)
                yield PlainStatic(t("student.village"), classes="label-short")
                yield Input(d.village or "", id="village", compact=True, max_length=MAX_VILLAGE,
                            placeholder=village_hint(d.address))
            yield PlainStatic("", id="err-phone", classes="error")
            yield PlainStatic("", id="err-village", classes="error")
            yield PlainStatic(t("student.family_flags"), classes="label-wide")
            yield TickList(*[(label("family", f), f, f in d.family_flags)
                             for f in FAMILY_FLAGS], id="family_flags", compact=True)
            yield PlainStatic("", id="err-family_flags", classes="error")
            yield PlainStatic(t("student.family_notes"), classes="label-wide")
            yield TextArea(d.family_notes, id="family_notes", soft_wrap=True,
                           tab_behavior="focus", compact=True)
            yield PlainStatic("", id="err-family_notes", classes="error")
            for i in range(1, MAX_GUARDIANS + 1):
                g = d.guardians[i - 1] if i <= len(d.guardians) else GuardianInput()
                yield from self.guardian_block(i, g)
            yield PlainStatic("", id="err-guardians", classes="error")
        yield PlainStatic("", id="form-status", classes="status")
        yield KeyFooter()

    def guardian_block(self, i: int, g: GuardianInput):
        shown = "" if i <= self.guardian_count else " hidden-guardian"
        yield PlainStatic(t("student.guardian_n", n=i), classes=f"guardian-title g{i}{shown}")
        with Horizontal(classes=f"row g{i}{shown}"):
            yield PlainStatic(t("student.guardian.name"), classes="label")
            yield Input(g.name, id=f"g{i}-name", classes="short", compact=True, max_length=40)
            yield PlainStatic(t("student.guardian.phone"), classes="label-short")
            yield Input(g.phone, id=f"g{i}-phone", compact=True, max_length=20)
        with Horizontal(classes=f"row wrap g{i}{shown}"):
            yield PlainStatic(t("student.guardian.relation"), classes="label")
            yield LetterChoice(RELATION_KEYS, "relation", g.relation or "guardian",
                               id=f"g{i}-relation")
        with Horizontal(classes=f"row g{i}{shown}"):
            yield PlainStatic(t("student.guardian.wechat"), classes="label")
            yield Input(g.wechat, id=f"g{i}-wechat", classes="short", compact=True,
                        max_length=40)
            yield TickBox(t("student.guardian.lives_with"), g.lives_with,
                          id=f"g{i}-lives_with", compact=True)
            yield TickBox(t("student.guardian.works_away"), g.works_away,
                          id=f"g{i}-works_away", compact=True)
        for field in ("name", "relation", "phone", "wechat"):
            yield PlainStatic("", id=f"err-guardian-{i}-{field}", classes=f"error g{i}")

    def on_mount(self) -> None:
        for widget in self.query(".hidden-guardian"):
            widget.display = False
        self.query_one("#student_no" if self.form is None else "#name").focus()
        self._start = self.collect()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "address":  # the hint follows the address typed
            self.query_one("#village", Input).placeholder = village_hint(event.value)

    # -- guardians ------------------------------------------------------------
    def action_add_guardian(self) -> None:
        if self.guardian_count >= MAX_GUARDIANS:
            self._status(t("student.guardians_full", n=MAX_GUARDIANS))
            return
        self.guardian_count += 1
        i = self.guardian_count
        for widget in self.query(f".g{i}"):
            if "error" not in widget.classes:
                widget.display = True
        self.query_one(f"#g{i}-name").focus()
        self.call_after_refresh(self.query_one(f"#g{i}-wechat").scroll_visible)

    # -- values ---------------------------------------------------------------
    def _text(self, wid: str) -> str:
        widget = self.query_one(f"#{wid}")
        return widget.text if isinstance(widget, TextArea) else widget.value

    def collect(self) -> StudentInput:
        gender = self.query_one("#gender", LetterChoice).value
        old = self.data.guardians
        guardians = []
        for i in range(1, self.guardian_count + 1):
            guardians.append(GuardianInput(
                name=self._text(f"g{i}-name"), phone=self._text(f"g{i}-phone"),
                wechat=self._text(f"g{i}-wechat"),
                relation=self.query_one(f"#g{i}-relation", LetterChoice).value,
                lives_with=self.query_one(f"#g{i}-lives_with", Checkbox).value,
                works_away=self.query_one(f"#g{i}-works_away", Checkbox).value,
                id=old[i - 1].id if i <= len(old) else None))
        return StudentInput(
            student_no=self._text("student_no"), name=self._text("name"),
            gender="" if gender == "U" else gender, class_text=self._text("class"),
            birth_date=self._text("birth_date"), address=self._text("address"),
            phone=self._text("phone"), village=self._text("village"),
            family_flags=[f for f in FAMILY_FLAGS
                          if f in self.query_one("#family_flags", SelectionList).selected],
            family_notes=self._text("family_notes"), guardians=guardians)

    def _error_widget(self, field: str):
        if field.startswith("guardian."):
            _, i, name = field.split(".")
            return (self.query_one(f"#err-guardian-{i}-{name}", PlainStatic),
                    self.query_one(f"#g{i}-{name}"))
        if field == "guardians":
            return self.query_one("#err-guardians", PlainStatic), None
        return self.query_one(f"#err-{field}", PlainStatic), self.query_one(f"#{field}")

    def _clear_errors(self) -> None:
        for widget in self.query(".error"):
            widget.update("")
            widget.set_class(False, "shown")
        for widget in self.query(".invalid"):
            widget.set_class(False, "invalid")

    def show_errors(self, errors: dict[str, str]) -> None:
        self._clear_errors()
        first = None
        for field, key in errors.items():
            message, widget = self._error_widget(field)
            message.update(t(key))
            message.set_class(True, "shown")
            if widget is not None:
                widget.set_class(True, "invalid")
                first = first or widget
        if first is not None:
            first.focus()
            self.call_after_refresh(first.scroll_visible)
        self._status(t("form.invalid"))

    def _status(self, text: str) -> None:
        self.query_one("#form-status", PlainStatic).update(text)

    # -- saving ---------------------------------------------------------------
    def action_save(self) -> None:
        if self.saving:
            return
        self.saving = True
        self._status(t("form.saving"))
        self.write(self.collect())

    @work(thread=True, exclusive=True, group="student-save", exit_on_error=False)
    def write(self, data: StudentInput) -> None:
        from db.access import NotAllowed
        from db.store.connection import with_retry
        from db.students import StudentError, save_student

        form = self.form
        try:
            with connected():
                student = with_retry(lambda: save_student(
                    self.app.staff, data, form.student_id if form else None,
                    form.version if form else None))
        except StudentError as exc:
            self.app.call_from_thread(self._refused, exc)
            return
        except NotAllowed as exc:
            self.app.call_from_thread(self._not_allowed, exc.code)
            return
        self.app.call_from_thread(self._saved, student.id)

    def _refused(self, exc) -> None:
        self.saving = False
        if exc.errors:
            self.show_errors(exc.errors)
        else:
            self._status(t(f"err.student.{exc.code}"))

    def _not_allowed(self, code: str) -> None:
        self.saving = False
        self._status("")
        self.app.not_allowed(code)

    def _saved(self, student_id: int) -> None:
        self.app.student_saved(student_id)
        self.notify(t("student.saved"), timeout=3, markup=False)
        self.dismiss(student_id)

    def action_cancel(self) -> None:
        if self.collect() == self._start:
            self.dismiss(None)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.dismiss(None)

        self.app.push_screen(ConfirmScreen(t("form.discard")), answered)
