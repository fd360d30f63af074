"""Staff chosen by typing: the people matching what is typed in a name field
(name, pinyin or initials, as at sign-in: ``db.staff_view.filter_staff``),
listed under it; ↑/↓ move through them, Enter (or a click) picks one.

The screen owns the ``Input`` and the ``OptionList``, calls ``load`` once and
passes their events on; the case's first lead (``screens/case_status.py``) and a correction item's
helper (``screens/correction_form.py``) are chosen this way.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from db.text import one_line
from tui.i18n import label


class StaffSuggestions:
    def __init__(self, screen, field: str, options: str, limit: int,
                 pick: tuple[int, str] | None = None):
        self.screen = screen
        self.field, self.options, self.limit = field, options, limit
        self.staff: list = []  # db.staff_view.StaffView, once loaded
        self.shown: list = []  # the suggestions shown
        self.pick = pick  # (staff id, name) picked from them

    def _list(self) -> OptionList:
        return self.screen.query_one(f"#{self.options}", OptionList)

    def load(self) -> None:
        """Read the staff list in a worker of the screen; it suggests once read."""
        self.screen.run_worker(self._read, thread=True, exclusive=True,
                               group=f"staff-{self.field}", exit_on_error=False)

    def _read(self) -> None:
        from db.staff import list_staff
        from db.store.connected import connected

        with connected():
            staff = list_staff()
        self.screen.app.call_from_thread(self.loaded, staff)

    def loaded(self, staff: list) -> None:
        self.staff = staff
        field = self.screen.query_one(f"#{self.field}", Input)
        if field.has_focus:  # typed before the list arrived
            self.suggest(field.value)

    def changed(self, event: Input.Changed) -> None:
        if event.input.id == self.field and event.input.has_focus:
            self.suggest(event.value)

    def suggest(self, value: str) -> None:
        from db.staff_view import filter_staff

        if self.pick is not None and value == self.pick[1]:
            return
        self.pick = None
        options = self._list()
        self.shown = filter_staff(self.staff, value)[:self.limit] if value.strip() else []
        options.set_options(Option(Text(f"{one_line(s.name)}  ·  {label('staff_role', s.role)}"))
                            for s in self.shown)
        options.display = bool(self.shown)
        if self.shown:
            options.highlighted = 0

    def move(self, delta: int) -> None:
        """↑/↓: through the suggestions, else to the previous or next field."""
        options = self._list()
        if options.display and self.shown:
            current = options.highlighted or 0
            options.highlighted = max(0, min(len(self.shown) - 1, current + delta))
        elif delta > 0:
            self.screen.focus_next()
        else:
            self.screen.focus_previous()

    def choose(self, index: int) -> None:
        person = self.shown[index]
        self.pick = (person.id, one_line(person.name))
        self.screen.query_one(f"#{self.field}", Input).value = self.pick[1]
        self._list().display = False

    def selected(self, event: OptionList.OptionSelected) -> bool:
        """A suggestion clicked (or Enter in the list): True when it was one of these."""
        if event.option_list.id == self.options and event.option_index < len(self.shown):
            self.choose(event.option_index)
            return True
        return False

    def submitted(self) -> None:
        """Enter in the field: the highlighted suggestion, if any is shown."""
        options = self._list()
        if options.display and self.shown:
            self.choose(options.highlighted or 0)

    def picked_id(self, text: str) -> int | None:
        """The id of the person picked, while the field still holds their name."""
        return self.pick[0] if self.pick is not None and text == self.pick[1] else None
