"""Plain text widgets and helpers shared by the others: a Static that is never
markup, one line of changing text, cells cut to a width, the NO_COLOR alert mark."""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from rich.style import Style
from rich.text import Text
from textual.widget import Widget
from textual.widgets import Static

from db.text import one_line
from tui.i18n import t


class PlainStatic(Static):
    """A Static whose string content is never parsed as markup."""

    def __init__(self, content="", **kwargs):
        super().__init__(content, markup=False, **kwargs)


class InfoLine(Widget):
    """One line of plain text that changes often (cheaper than a Static)."""

    DEFAULT_CSS = "InfoLine { height: 1; }"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._text = Text("")

    def show(self, text: str) -> None:
        self._text = Text(text, no_wrap=True, overflow="ellipsis")
        self.refresh()

    def render(self) -> Text:
        return self._text


def copy_out(app, text: str) -> None:
    """``text`` to the clipboard of the terminal the person sits at (OSC 52,
    which reaches it over SSH too), and say what was copied."""
    app.copy_to_clipboard(text)
    shown = one_line(text)
    if cell_len(shown) > 60:
        shown = set_cell_size(shown, 59) + "…"
    app.notify(t("copy.done", text=shown), timeout=4, markup=False)


ALERT_MARK = "!"  # in a marked row's first cell (its lines start with a space)


def alert_style(style: str, no_color: bool) -> tuple[str, bool]:
    """A row's style as drawn, and whether it is marked with ``ALERT_MARK``.

    With NO_COLOR, Textual draws every colour as its grey: red text (an overdue
    row) comes out dark grey on black, about 1.6:1, unreadable.  There a colour
    gives way to bold (full contrast) and the row gets the mark, so that its
    state shows in a way that is not colour."""
    if not no_color or not style:
        return style, False
    parsed = Style.parse(style)
    if parsed.color is None and parsed.bgcolor is None:
        return style, False
    return str(parsed.without_color + Style(bold=True)), True


def fit(text: str, width: int) -> str:
    """Pad or cut ``text`` to exactly ``width`` terminal cells (CJK-aware)."""
    if width <= 0:
        return ""
    if cell_len(text) > width:
        return set_cell_size(text, width - 1) + "…"
    return set_cell_size(text, width)
