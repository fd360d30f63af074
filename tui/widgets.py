"""Shared widgets: the translated footer, the virtual roster list, one-letter choices."""

from __future__ import annotations

import datetime as dt

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Footer, Input, Static

from db.search import RosterRow
from db.text import one_line
from tui.i18n import label, t


class KeyFooter(Footer):
    """Textual's footer with binding descriptions looked up in the catalog.

    Bindings carry catalog keys (``"key.save"``) as descriptions, so the
    footer shows them in the language chosen at run time.
    """

    def compose(self):
        for widget in super().compose():
            description = getattr(widget, "description", None)
            if isinstance(description, str) and description.startswith("key."):
                widget.description = t(description)
            yield widget


class PlainStatic(Static):
    """A Static whose string content is never parsed as markup."""

    def __init__(self, content="", **kwargs):
        super().__init__(content, markup=False, **kwargs)


def fit(text: str, width: int) -> str:
    """Pad or cut ``text`` to exactly ``width`` terminal cells (CJK-aware)."""
    if width <= 0:
        return ""
    if cell_len(text) > width:
        return set_cell_size(text, width - 1) + "…"
    return set_cell_size(text, width)


class RosterColumns:
    """Column layout of the roster, shared by the header line and the rows."""

    KEYS = ("name", "class", "status", "lead", "last", "days")
    MIN = (10, 12, 8, 8, 13, 5)

    def __init__(self, width: int):
        spare = max(0, width - sum(self.MIN) - len(self.MIN) - 1)
        self.widths = list(self.MIN)
        self.widths[0] += spare // 2
        self.widths[1] += spare - spare // 2

    def line(self, cells: list[str]) -> str:
        return " " + " ".join(fit(c, w) for c, w in zip(cells, self.widths))

    def header(self) -> str:
        return self.line([t(f"roster.col.{k}") for k in self.KEYS])


def roster_cells(row: RosterRow, today: dt.date) -> list[str]:
    last = days = ""
    if row.last_date:
        last = f"{row.last_date:%m-%d} {label('channel', row.last_channel)}"
        days = str((today - row.last_date).days)
    return [one_line(row.name), one_line(row.class_name),
            label("status", row.status) if row.status else t("common.none"),
            one_line(row.lead), last, days]


class RosterList(ScrollView, can_focus=True):
    """A virtual list of roster rows: only the visible lines are rendered.

    Re-filling a DataTable on every keystroke is far too slow for 20,000
    students; this draws each visible line from the row list directly.
    """

    COMPONENT_CLASSES = {"roster-list--cursor", "roster-list--dim"}
    DEFAULT_CSS = """
    RosterList { height: 1fr; }
    RosterList > .roster-list--cursor { background: $accent 40%; text-style: bold; }
    RosterList:focus > .roster-list--cursor { background: $accent; color: $text; }
    RosterList > .roster-list--dim { color: $text-muted; }
    """
    BINDINGS = [
        Binding("up", "cursor(-1)", show=False),
        Binding("down", "cursor(1)", show=False),
        Binding("pageup", "page(-1)", show=False),
        Binding("pagedown", "page(1)", show=False),
        Binding("home", "jump(0)", show=False),
        Binding("end", "jump(-1)", show=False),
    ]

    cursor = reactive(0, always_update=True, repaint=False)

    class Highlighted(Message):
        def __init__(self, row: RosterRow | None):
            super().__init__()
            self.row = row

    def __init__(self, today: dt.date, **kwargs):
        super().__init__(**kwargs)
        self.rows: list[RosterRow] = []
        self.today = today
        self._columns = RosterColumns(80)

    def set_rows(self, rows: list[RosterRow]) -> None:
        self.rows = rows
        self.virtual_size = Size(self.size.width, len(rows))
        self.cursor = 0
        self.scroll_to(y=0, animate=False)
        self.refresh()

    @property
    def current(self) -> RosterRow | None:
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    def on_resize(self) -> None:
        self._columns = RosterColumns(self.size.width)
        self.virtual_size = Size(self.size.width, len(self.rows))

    def watch_cursor(self, old: int, new: int) -> None:
        self.scroll_to_cursor()
        self.refresh()
        self.post_message(self.Highlighted(self.current))

    def scroll_to_cursor(self) -> None:
        top = self.scroll_offset.y
        height = max(1, self.size.height)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False)

    def move(self, delta: int) -> None:
        if self.rows:
            self.cursor = max(0, min(len(self.rows) - 1, self.cursor + delta))

    def action_cursor(self, delta: int) -> None:
        self.move(delta)

    def action_page(self, direction: int) -> None:
        self.move(direction * max(1, self.size.height - 1))

    def action_jump(self, where: int) -> None:
        if self.rows:
            self.cursor = len(self.rows) - 1 if where < 0 else 0

    def render_line(self, y: int) -> Strip:
        index = y + self.scroll_offset.y
        width = self.size.width
        if index >= len(self.rows):
            return Strip.blank(width, self.rich_style)
        row = self.rows[index]
        text = self._columns.line(roster_cells(row, self.today))
        if index == self.cursor:
            style = self.rich_style + self.get_component_rich_style("roster-list--cursor")
        elif not row.status:
            style = self.rich_style + self.get_component_rich_style("roster-list--dim")
        else:
            style = self.rich_style
        return Strip([Segment(fit(text, width), style)], width)


class LetterChoice(Widget, can_focus=True):
    """Pick one option by its letter (``p`` phone, ``w`` WeChat …) or with ←/→."""

    DEFAULT_CSS = """
    LetterChoice { height: auto; width: 1fr; padding: 0 1; }
    LetterChoice:focus { background: $boost; }
    """
    BINDINGS = [
        Binding("left", "step(-1)", show=False),
        Binding("right", "step(1)", show=False),
    ]

    value = reactive("", layout=True)

    class Changed(Message):
        def __init__(self, choice: "LetterChoice", value: str):
            super().__init__()
            self.choice = choice
            self.value = value

    def __init__(self, keys: dict[str, str], group: str, value: str, **kwargs):
        super().__init__(**kwargs)
        self.keys = keys  # letter -> code
        self.codes = list(keys.values())
        self.group = group
        self.set_reactive(LetterChoice.value, value)

    def render(self) -> Text:
        text = Text(no_wrap=False)
        for letter, code in self.keys.items():
            chosen = code == self.value
            text.append(letter, style="bold underline" if not chosen else "bold reverse")
            text.append(" ")
            text.append(label(self.group, code), style="reverse" if chosen else "")
            text.append("  ")
        return text

    def check_consume_key(self, key: str, character: str | None) -> bool:
        return key in self.keys

    def on_key(self, event) -> None:
        if event.key in self.keys:
            event.stop()
            event.prevent_default()
            self.value = self.keys[event.key]

    def action_step(self, delta: int) -> None:
        i = self.codes.index(self.value) if self.value in self.codes else 0
        self.value = self.codes[(i + delta) % len(self.codes)]

    def watch_value(self, value: str) -> None:
        self.post_message(self.Changed(self, value))


class FieldInput(Input):
    """An Input that never treats its placeholder or value as markup."""
