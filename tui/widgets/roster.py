"""The virtual roster list and its columns."""

from __future__ import annotations

import datetime as dt

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from db.search import RosterRow
from db.text import one_line
from tui.i18n import label, t
from tui.widgets.text import fit


class RosterColumns:
    """Column layout of the roster, shared by the header line and the rows."""

    KEYS = ("name", "class", "status", "lead", "last", "days")
    MIN = (10, 12, 11, 8, 13, 5)
    # narrower than that (down to 60 cells): the name, the lead and the days give
    # up what they can spare (a name of four characters, 3-digit days still fit)
    SHRINK = ((0, 8), (3, 6), (5, 4))  # (column, narrowest)

    def __init__(self, width: int):
        spare = width - sum(self.MIN) - len(self.MIN) - 1
        self.widths = list(self.MIN)
        if spare >= 0:
            self.widths[0] += spare // 2
            self.widths[1] += spare - spare // 2
            return
        short = sum(self.MIN) + len(self.MIN) - width  # (the last column may be used here)
        for column, narrowest in self.SHRINK:
            take = max(0, min(short, self.widths[column] - narrowest))
            self.widths[column] -= take
            short -= take

    def line(self, cells: list[str]) -> str:
        return " " + " ".join(fit(c, w) for c, w in zip(cells, self.widths))

    def header(self) -> str:
        return self.line([t(f"roster.col.{k}") for k in self.KEYS])


def roster_cells(row: RosterRow, today: dt.date) -> list[str]:
    last = days = ""
    if row.last_date:
        last = f"{row.last_date:%m-%d} {label('channel_short', row.last_channel)}"
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
    RosterList { height: 1fr; scrollbar-size-vertical: 0; }
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

    class ColumnsChanged(Message):
        """The list's columns were laid out again (its width changed): a header
        above it draws ``columns.header()`` to line up with the rows."""

        def __init__(self, columns: RosterColumns):
            super().__init__()
            self.columns = columns

    def __init__(self, today: dt.date, **kwargs):
        super().__init__(**kwargs)
        self.rows: list[RosterRow] = []
        self.today = today
        self._columns = RosterColumns(80)
        # id(row) -> (row, its formatted line at this width); the row is kept so
        # its id cannot be reused by a new row after the roster is reloaded
        self._lines: dict[int, tuple[RosterRow, str]] = {}
        self._styles: tuple[Style, Style, Style] | None = None  # plain, cursor, dim

    def set_rows(self, rows: list[RosterRow]) -> None:
        self.rows = rows
        # set without the reactive's layout pass: the widget's own size does
        # not change, and a layout per keystroke costs more than the search
        self.set_reactive(RosterList.virtual_size, Size(self.size.width, len(rows)))
        self.set_reactive(RosterList.cursor, 0)
        if self.scroll_offset.y:
            self.scroll_to(y=0, animate=False)
        self.refresh()

    @property
    def current(self) -> RosterRow | None:
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    @property
    def columns(self) -> RosterColumns:
        return self._columns

    def on_resize(self) -> None:
        self._columns = RosterColumns(self.size.width)
        self._lines.clear()
        self.virtual_size = Size(self.size.width, len(self.rows))
        self.post_message(self.ColumnsChanged(self._columns))

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles = None

    def on_focus(self) -> None:
        self._styles = None

    def on_blur(self) -> None:
        self._styles = None

    def _line_styles(self) -> tuple[Style, Style, Style]:
        # computing a widget's rich style is costly: once per style change,
        # not once per line per keystroke
        if self._styles is None:
            base = self.rich_style
            self._styles = (base,
                            base + self.get_component_rich_style("roster-list--cursor"),
                            base + self.get_component_rich_style("roster-list--dim"))
        return self._styles

    def watch_cursor(self, old: int, new: int) -> None:
        self.scroll_to_cursor()
        self.refresh()

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
        plain, cursor, dim = self._line_styles()
        if index >= len(self.rows):
            return Strip.blank(width, plain)
        row = self.rows[index]
        cached = self._lines.get(id(row))
        if cached is not None and cached[0] is row:
            text = cached[1]
        else:
            if len(self._lines) > 2000:
                self._lines.clear()
            text = fit(self._columns.line(roster_cells(row, self.today)), width)
            self._lines[id(row)] = (row, text)
        style = cursor if index == self.cursor else (plain if row.status else dim)
        return Strip([Segment(text, style)], width)
