"""A keyboard grid for entering a whole class at once: one row per student, one
column per subject (or check-in dimension).

Typing into a cell replaces what it held; Backspace takes back a character,
Delete clears the cell.  Enter and the down arrow go to the next student in
the same column (how marks are read off a pile of papers); the left and right
arrows change column.  Cells the screen reports as bad are drawn in red and
their reason is shown under the grid.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding
from textual.message import Message

from db.text import one_line
from tui.widgets import CursorList, fit

NUMBER_CHARS = set("0123456789.０１２３４５６７８９．")
ASCII_DIGITS = str.maketrans("０１２３４５６７８９．", "0123456789.")  # as a Chinese IME types them


@dataclass(slots=True)
class GridRow:
    key: int  # the student's id
    cells: list[str]  # fixed columns: student number, name, marker


@dataclass(slots=True)
class GridColumn:
    key: str  # a subject, a dimension, or "note"
    title: str
    width: int
    text: bool = False  # free text (the note) rather than a number


class EditGrid(CursorList):
    DEFAULT_CSS = "EditGrid { height: 1fr; }"
    FIXED = (9, 10, 2)  # student number, name, marker
    BINDINGS = [
        Binding("down", "move(1)", show=False),
        Binding("enter", "move(1)", "key.grid_next", id="grid_next"),
        Binding("up", "move(-1)", show=False),
        Binding("right", "column(1)", show=False),
        Binding("left", "column(-1)", show=False),
        Binding("pagedown", "move(10)", show=False),
        Binding("pageup", "move(-10)", show=False),
        Binding("backspace", "erase", show=False),
        Binding("delete", "clear", "key.grid_clear", id="grid_clear", key_display="del"),
    ]

    class Edited(Message):
        """A cell's text changed (the screen keeps its draft state)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.rows: list[GridRow] = []
        self.columns: list[GridColumn] = []
        self.values: dict[tuple[int, str], str] = {}
        self.loaded: dict[tuple[int, str], str] = {}  # as stored: what "changed" means
        self.errors: dict[tuple[int, str], str] = {}
        self.column = 0
        self._fresh = True  # the next character replaces the cell

    # -- content -------------------------------------------------------------------------
    def set_grid(self, rows: list[GridRow], columns: list[GridColumn],
                 stored: dict[tuple[int, str], str]) -> None:
        """Show ``rows`` x ``columns``; cells typed and not saved are kept."""
        typed = {k: v for k, v in self.values.items() if v != self.loaded.get(k, "")}
        self.rows, self.columns = rows, columns
        self.loaded = dict(stored)
        self.values = {**self.loaded, **{k: v for k, v in typed.items()
                                         if any(r.key == k[0] for r in rows)}}
        self.errors = {}
        self.cursor = min(self.cursor, max(0, len(rows) - 1))
        self.column = min(self.column, max(0, len(columns) - 1))
        self._fresh = True
        self.refresh()

    def cells(self) -> dict[tuple[int, str], str]:
        """Every cell of the grid, blank ones included."""
        return {(r.key, c.key): self.values.get((r.key, c.key), "")
                for r in self.rows for c in self.columns}

    def changed(self) -> bool:
        return any(v != self.loaded.get(k, "") for k, v in self.values.items()) or any(
            k not in self.values for k, v in self.loaded.items() if v)

    def typed(self) -> list[list]:
        """The cells typed since the grid was loaded, ``[[row key, column, value], …]``
        ("" for one cleared): what a grid's local draft keeps."""
        out = [[k, c, v] for (k, c), v in self.values.items() if v != self.loaded.get((k, c), "")]
        out += [[k, c, ""] for (k, c), v in self.loaded.items() if v and (k, c) not in self.values]
        return out

    def restore(self, typed) -> None:
        """Put a draft's typed cells back (those of the rows the grid shows)."""
        known = {r.key for r in self.rows}
        self.values.update({(k, c): v for k, c, v in typed if k in known and isinstance(v, str)})
        self.refresh()

    def mark_saved(self) -> None:
        self.loaded = {k: v for k, v in self.values.items() if v}
        self.errors = {}
        self.refresh()

    def show_errors(self, errors: dict[tuple[int, str], str]) -> None:
        """Mark bad cells and put the cursor on the first of them."""
        self.errors = dict(errors)
        if errors:
            order = {r.key: i for i, r in enumerate(self.rows)}
            cols = {c.key: i for i, c in enumerate(self.columns)}
            row, col = min((order.get(k[0], 0), cols.get(k[1], 0)) for k in errors)
            self.cursor, self.column = row, col
            self._fresh = True
        self.refresh()

    @property
    def current(self) -> tuple[int, str] | None:
        if not self.rows or not self.columns:
            return None
        return self.rows[self.cursor].key, self.columns[self.column].key

    @property
    def current_error(self) -> str | None:
        return self.errors.get(self.current) if self.current else None

    def count(self) -> int:
        return len(self.rows)

    # -- keys ------------------------------------------------------------------------------
    def action_move(self, delta: int) -> None:
        self.move(delta)
        self._fresh = True

    def action_column(self, delta: int) -> None:
        if self.columns:
            self.column = max(0, min(len(self.columns) - 1, self.column + delta))
            self._fresh = True
            self.refresh()

    def _set(self, value: str) -> None:
        key = self.current
        if key is None:
            return
        self.values[key] = value
        self.errors.pop(key, None)
        self.refresh()
        self.post_message(self.Edited())

    def action_erase(self) -> None:
        key = self.current
        if key is not None:
            self._fresh = False
            self._set(self.values.get(key, "")[:-1])

    def action_clear(self) -> None:
        self._set("")
        self._fresh = True

    def on_key(self, event) -> None:
        key = self.current
        char = event.character
        if key is None or not event.is_printable or not char:
            return
        column = self.columns[self.column]
        if not column.text:
            if char not in NUMBER_CHARS:
                return  # a letter in a number column: not taken (the screen's keys stay usable)
            char = char.translate(ASCII_DIGITS)
        event.stop()
        event.prevent_default()
        before = "" if self._fresh else self.values.get(key, "")
        self._fresh = False
        self._set(before + char)

    # -- drawing ---------------------------------------------------------------------------
    def widths(self) -> list[int]:
        widths = [*self.FIXED, *(c.width for c in self.columns)]
        if self.columns and self.columns[-1].text:  # the note takes the rest
            widths[-1] = max(8, self.size.width - sum(widths[:-1]) - len(widths) - 1)
        return widths

    def header(self, titles: list[str]) -> str:
        cells = [*titles, *(c.title for c in self.columns)]
        return " " + " ".join(fit(one_line(c), w) for c, w in zip(cells, self.widths()))

    def render(self) -> Text:
        widths = self.widths()
        height = max(1, self.size.height)
        first = max(0, self.cursor - height + 1)
        text = Text(no_wrap=True, overflow="crop")
        focused = self.has_focus
        for i in range(first, min(len(self.rows), first + height)):
            row = self.rows[i]
            text.append(" ")
            for n, (cell, width) in enumerate(zip(row.cells, widths)):
                text.append(fit(one_line(cell), width) + " ",
                            style="bold" if i == self.cursor and n == 1 else "")
            for j, column in enumerate(self.columns):
                key = (row.key, column.key)
                value = one_line(self.values.get(key, ""))
                width = widths[len(self.FIXED) + j]
                cell = fit(value, width) if column.text else fit(value.rjust(width - 1), width)
                style = ""
                if key in self.errors:
                    style = "bold white on red"
                elif value != self.loaded.get(key, ""):
                    style = "bold"
                if i == self.cursor and j == self.column:
                    style = f"{style} reverse".strip() if focused else f"{style} underline".strip()
                text.append(cell, style=style)
                text.append(" ")
            text.append("\n")
        return text
