"""Lists drawn by the widget itself with one cursor line: My caseload, the plain tables."""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual.binding import Binding
from textual.reactive import reactive
from textual.widget import Widget

from db.text import one_line
from tui.i18n import due_detail, due_label, due_when, t
from tui.widgets.text import ALERT_MARK, alert_style, fit


class CaseloadColumns:
    """Column layout of My caseload: when, student, class, what, detail."""

    KEYS = ("when", "name", "class", "what", "detail")
    MIN = (10, 8, 12, 14, 10)

    def __init__(self, width: int):
        spare = max(0, width - sum(self.MIN) - len(self.MIN) - 1)
        self.widths = list(self.MIN)
        self.widths[1] += min(4, spare)
        self.widths[4] += spare - min(4, spare)

    def line(self, cells: list[str]) -> str:
        return " " + " ".join(fit(c, w) for c, w in zip(cells, self.widths))

    def header(self) -> str:
        return self.line([t(f"caseload.col.{k}") for k in self.KEYS])


class CursorList(Widget, can_focus=True):
    """A list drawn by the widget itself with one cursor line (the lists of
    My caseload and the plain tables); subclasses say how many lines there are."""

    cursor = reactive(0)

    def count(self) -> int:
        raise NotImplementedError

    def move(self, delta: int) -> None:
        n = self.count()
        if n:
            self.cursor = max(0, min(n - 1, self.cursor + delta))

    def watch_cursor(self) -> None:
        self.refresh()

    def on_focus(self) -> None:
        self.refresh()  # the cursor line shows focus

    def on_blur(self) -> None:
        self.refresh()


class CaseloadList(CursorList):
    """My caseload on the home screen: a summary line, then one line per thing
    overdue or due soon, most urgent first.  With focus: up/down move, Enter
    opens the case, n logs the missing entry, d marks a follow-up done."""

    BINDINGS = [
        Binding("n", "screen.log_due", "key.log_due", id="log_due"),
        Binding("d", "screen.follow_up_done", "key.follow_up_done", id="follow_up_done"),
        Binding("slash", "screen.focus_search", "key.search", id="caseload_search"),
        Binding("y", "screen.copy", "key.copy_phone", id="caseload_copy", show=False),
    ]
    DEFAULT_CSS = "CaseloadList { height: auto; }"

    def count(self) -> int:
        return len(self.items or ())

    @property
    def max_lines(self) -> int:
        """Items shown at once (the list scrolls with the cursor): up to 7,
        fewer on a short terminal so the roster keeps its room."""
        return max(0, min(7, (self.app.size.height - 14) // 2))

    def __init__(self, today: dt.date, **kwargs):
        super().__init__(**kwargs)
        self.today = today
        self.items: list | None = None  # None until loaded
        self.cases = 0
        self.review = 0
        self.new: list[str] = []
        self.rules: tuple = ()  # the school's rules: names for its own rules' items

    def set_items(self, items: list, today: dt.date, cases: int, review: int = 0,
                  new: list[str] | None = None, rules: tuple = ()) -> None:
        self.rules = tuple(rules)
        self.new = list(new or ())  # students whose cases I joined in the last two weeks
        self.items = list(items)
        self.today = today
        self.cases = cases
        self.review = review  # cases still in an earlier term (F4 reviews them)
        self.cursor = min(self.cursor, max(0, len(self.items) - 1))
        self.refresh(layout=True)

    @property
    def current(self):
        items = self.items or []
        return items[self.cursor] if 0 <= self.cursor < len(items) else None

    def summary(self) -> str:
        if self.items is None:
            return t("caseload.loading")
        review = f" · {t('caseload.review', n=self.review)}" if self.review else ""
        if self.new:
            names = t("common.list_sep").join(one_line(n) for n in self.new[:3])
            review += f" · {t('caseload.new', names=names + ('…' if len(self.new) > 3 else ''))}"
        if not self.items:
            return t("caseload.none", cases=self.cases) + review
        late = sum(1 for i in self.items if i.due < self.today)
        return t("caseload.summary", cases=self.cases, late=late,
                 soon=len(self.items) - late) + review

    def get_content_height(self, container, viewport, width: int) -> int:
        shown = min(len(self.items or ()), self.max_lines)
        return 1 + (1 + shown if shown else 0)

    def render(self) -> Text:
        columns = CaseloadColumns(self.size.width)
        text = Text(no_wrap=True, overflow="crop")
        text.append(" " + self.summary() + "\n", style="bold")
        lines = self.max_lines
        if not self.items or not lines:
            return text
        text.append(columns.header() + "\n", style="dim")
        first = max(0, self.cursor - lines + 1)
        focused = self.has_focus
        for i, item in enumerate(self.items[first:first + lines], first):
            style, marked = alert_style("bold red" if item.due < self.today else "",
                                        self.app.no_color)
            if i == self.cursor:
                style = f"{style} {'reverse' if focused else 'underline'}".strip()
            what = due_label(item.what, self.rules)
            name = one_line(item.name) or (t("feedback.anonymous") if item.what == "feedback"
                                            else "")
            line = columns.line([due_when(item, self.today), name,
                                 one_line(item.class_name), what, due_detail(item)])
            text.append((ALERT_MARK + line[1:] if marked else line) + "\n", style=style)
        return text


class TableList(CursorList):
    """A plain keyboard table: fixed columns, one cursor line, scrolls with the
    cursor, draws only the visible lines.  Rows are lists of strings; the
    screen decides what Enter does with ``cursor``."""

    DEFAULT_CSS = "TableList { height: 1fr; }"
    BINDINGS = [
        Binding("down", "move(1)", show=False),
        Binding("up", "move(-1)", show=False),
        Binding("pagedown", "move(10)", show=False),
        Binding("pageup", "move(-10)", show=False),
        Binding("home", "move(-1000000)", show=False),
        Binding("end", "move(1000000)", show=False),
    ]

    def __init__(self, widths: list[int], **kwargs):
        super().__init__(**kwargs)
        self.widths = widths  # the last column takes the rest
        self.rows: list[list[str]] = []
        self.row_styles: list[str] = []

    def count(self) -> int:
        return len(self.rows)

    def action_move(self, delta: int) -> None:
        self.move(delta)

    def set_rows(self, rows: list[list[str]], styles: list[str] | None = None) -> None:
        self.rows = rows
        self.row_styles = styles or [""] * len(rows)
        self.cursor = min(self.cursor, max(0, len(rows) - 1))
        self.refresh()

    def line(self, cells: list[str], width: int) -> str:
        widths = list(self.widths)
        widths[-1] = max(1, width - sum(widths[:-1]) - len(widths))
        return " " + " ".join(fit(c, w) for c, w in zip(cells, widths))

    def render(self) -> Text:
        height = max(1, self.size.height)
        first = max(0, self.cursor - height + 1)
        text = Text(no_wrap=True, overflow="crop")
        for i in range(first, min(len(self.rows), first + height)):
            style, marked = alert_style(self.row_styles[i], self.app.no_color)
            if i == self.cursor:
                style = f"{style} reverse".strip() if self.has_focus else f"{style} underline".strip()
            line = self.line(self.rows[i], self.size.width)
            text.append((ALERT_MARK + line[1:] if marked else line) + "\n", style=style)
        return text
