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
from textual.screen import Screen
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Footer, Input, Static

from db.search import RosterRow
from db.text import one_line
from tui.i18n import due_detail, due_label, due_when, label, t


class KeyFooter(Footer):
    """The footer: the keys that work here, named in the interface language.

    Bindings carry catalog keys (``"key.save"``) as descriptions; this footer
    looks them up at run time.  It draws one line of text instead of a widget
    per key, so a screen switch or a focus change does not rebuild a row of
    widgets (that alone cost ~18 ms per case opened).
    """

    DEFAULT_CSS = """
    KeyFooter { layout: horizontal; }
    KeyFooter > #footer-keys { width: 1fr; height: 1; background: $footer-background; }
    KeyFooter > #footer-help { width: auto; height: 1; background: $footer-background; }
    KeyFooter > #footer-palette { width: auto; height: 1; background: $footer-background; }
    """

    def compose(self):
        yield Static(self._keys_text(), id="footer-keys", markup=False)
        yield Static("", id="footer-help", markup=False)
        yield Static(self._palette_text(), id="footer-palette", markup=False)

    def bindings_changed(self, screen) -> None:
        if self.is_attached and screen is self.screen and self.is_mounted:
            self._draw()

    def on_mount(self) -> None:
        self._draw()

    def on_resize(self) -> None:
        self._draw()

    def _draw(self) -> None:
        """The screen's own keys first, then the F1 and ^p hints and the app's
        keys (^q) where they leave room.  F1 is always shown: its help names
        every key (those the footer has no room for, ^p too), so where room is
        short the screen's last keys give way to it, whole."""
        from tui.keymap import screen_bindings

        entries = screen_bindings(self.screen)  # once: it walks every binding
        own, app = [], []
        for binding, from_app in self._shown_bindings(entries):
            (app if from_app else own).append(binding)
        width = self.size.width or self.app.size.width
        help_text = self._help_text(entries)
        palette_text = self._palette_text()
        show = self._text(own).cell_len + help_text.cell_len + palette_text.cell_len <= width
        if show:
            keys = self._text(own + app, width - help_text.cell_len - palette_text.cell_len)
        else:
            keys = self._text(own, width - help_text.cell_len)
        self.query_one("#footer-keys", Static).update(keys, layout=False)
        help_hint = self.query_one("#footer-help", Static)
        if help_text.plain != getattr(self, "_help_shown", None):
            self._help_shown = help_text.plain
            help_hint.update(help_text)  # (its width follows: a rebound F1 may be longer)
        if help_hint.display != bool(help_text.plain):
            help_hint.display = bool(help_text.plain)
        palette = self.query_one("#footer-palette", Static)
        if palette.display != show:
            palette.display = show

    def _shown_bindings(self, entries=None):
        """``(binding, from the app)`` for each key the footer names."""
        from tui.keymap import APP, screen_bindings

        seen = set()
        palette = self.app.COMMAND_PALETTE_BINDING
        for entry in screen_bindings(self.screen) if entries is None else entries:
            binding = entry.binding
            if (not binding.show or not binding.description or entry.key == palette
                    or binding.action in seen or not entry.enabled):
                continue
            seen.add(binding.action)
            yield binding, entry.group == APP

    def _help_text(self, entries=None) -> Text:
        """" F1 Help": the key that shows every key of this screen (as keymapped)."""
        from tui.keymap import APP, screen_bindings

        text = Text(no_wrap=True)
        for entry in screen_bindings(self.screen) if entries is None else entries:
            if entry.group == APP and entry.binding.action == "help":
                text.append(f" {self.app.get_key_display(entry.binding)} ", style="bold")
                text.append(t(entry.binding.description) + " ")
                break
        return text

    def _keys_text(self, app_keys: bool = True) -> Text:
        return self._text([b for b, from_app in self._shown_bindings() if app_keys or not from_app])

    def _text(self, bindings, room: int | None = None) -> Text:
        """The keys and their names; with ``room``, only the first ones that fit whole."""
        text = Text(no_wrap=True, overflow="ellipsis")
        for binding in bindings:
            name = (t(binding.description) if binding.description.startswith("key.")
                    else binding.description)
            key = f" {self.app.get_key_display(binding)} "
            if room is not None and text.cell_len + cell_len(key + name) + 1 > room:
                break
            text.append(key, style="bold")
            text.append(name)
            text.append(" ")
        return text

    def _palette_text(self) -> Text:
        text = Text(no_wrap=True)
        if self.app.ENABLE_COMMAND_PALETTE:
            text.append(" ^p ", style="bold")
            text.append(t("key.palette") + " ")
        return text


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
        def __init__(self, choice: "LetterChoice"):
            super().__init__()
            self.choice = choice

    def watch_value(self, old: str, new: str) -> None:
        if old != new:
            self.post_message(self.Changed(self))

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
            text.append(self.option_label(code), style="reverse" if chosen else "")
            text.append("  ")
        return text

    def option_label(self, code: str) -> str:
        return label(self.group, code)

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


class DateInput(Input):
    """A date field.  A prefilled date (today) is not selected on focus, so the
    first key typed does not replace it: the cursor goes to the end, Backspace
    edits it, ctrl+u clears it for a new one."""

    def __init__(self, value: str | None = None, **kwargs):
        kwargs.setdefault("select_on_focus", False)
        super().__init__(value, **kwargs)

    def on_focus(self) -> None:
        self.cursor_position = len(self.value)


def render_strips(renderable, width: int, console) -> list[Strip]:
    """Rich renderable -> lines of segments at ``width`` (safe in a worker thread)."""
    options = console.options.update_width(max(1, width))
    return [Strip(line) for line in console.render_lines(renderable, options, pad=False)]


def wrap_lines(renderable, console, geometry: tuple[int, int, int]) -> list[Strip]:
    """``renderable`` wrapped for a view of ``geometry`` (``LinesView.geometry``:
    width and height, the vertical scrollbar's columns included, and the
    scrollbar's width): at the whole width when the lines fit the height (no
    scrollbar), else at the width beside the scrollbar, so that nothing is
    drawn under it.  Safe in a worker thread."""
    width, height, scrollbar = geometry
    narrow = max(1, width - scrollbar)
    # more lines in the text than rows: the scrollbar shows whatever the width
    if scrollbar and isinstance(renderable, Text) and renderable.plain.count("\n") > height:
        return render_strips(renderable, narrow, console)
    lines = render_strips(renderable, width, console)
    if scrollbar and len(lines) > height:
        lines = render_strips(renderable, narrow, console)
    return lines


class LinesView(ScrollView, can_focus=True):
    """Scrollable lines rendered ahead of time: only the visible ones are drawn.

    A Static holding a long timeline is laid out in full on every update (a
    200-entry case took about 150 ms); this widget costs only the lines shown.
    Text given to ``show`` is wrapped here beside the scrollbar, never under it
    (``wrap_lines``), and again when the view's size changes.
    """

    DEFAULT_CSS = """
    LinesView { height: 1fr; }
    """
    BINDINGS = [
        Binding("up", "scroll_up", show=False),
        Binding("down", "scroll_down", show=False),
        Binding("pageup", "page_up", show=False),
        Binding("pagedown", "page_down", show=False),
        Binding("home", "scroll_home", show=False),
        Binding("end", "scroll_end", show=False),
    ]

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.lines: list[Strip] = []
        self._source = None  # what ``show`` was given: wrapped again on a resize
        self._wrapped_for: tuple[int, int, int] | None = None

    def geometry(self) -> tuple[int, int, int]:
        """``(width, height, scrollbar)`` to wrap text for (``wrap_lines``):
        the content area with the vertical scrollbar's columns, and the
        scrollbar's width.  Before the first layout, the app's size stands in
        (the first resize wraps again if it differs)."""
        width, height = self.size
        if not width:
            width, height = max(1, self.app.size.width - 2), self.app.size.height
        return width, height, self.styles.scrollbar_size_vertical

    def show(self, renderable, *, keep_scroll: bool = False) -> None:
        """Wrap ``renderable`` to this view (``wrap_lines``) and show it."""
        geometry = self.geometry()
        self.show_wrapped(renderable, wrap_lines(renderable, self.app.console, geometry),
                          geometry, keep_scroll=keep_scroll)

    def show_wrapped(self, renderable, lines: list[Strip], geometry: tuple[int, int, int], *,
                     keep_scroll: bool = False) -> None:
        """Show ``lines``, ``renderable`` wrapped (in a worker) for ``geometry``;
        wrapped again here if the view's size changed meanwhile."""
        self._source = renderable
        if geometry != self.geometry():
            geometry = self.geometry()
            lines = wrap_lines(renderable, self.app.console, geometry)
        self._wrapped_for = geometry
        self._put(lines, keep_scroll)

    def on_resize(self) -> None:
        # a new width, or a height that changes whether the scrollbar shows
        if self._source is not None and self.geometry() != self._wrapped_for:
            self.show(self._source, keep_scroll=True)

    def set_lines(self, lines: list[Strip], *, keep_scroll: bool = False) -> None:
        """Show ``lines`` as they are (wrapped by the caller, never again here)."""
        self._source = None
        self._put(lines, keep_scroll)

    def _put(self, lines: list[Strip], keep_scroll: bool) -> None:
        self.lines = lines
        width = max((line.cell_length for line in lines), default=0)
        self.virtual_size = Size(width, len(lines))
        if not keep_scroll:
            self.scroll_to(y=0, animate=False)
        self.refresh()

    def render_line(self, y: int) -> Strip:
        index = y + self.scroll_offset.y
        width = self.size.width
        if index >= len(self.lines):
            return Strip.blank(width, self.rich_style)
        return (self.lines[index].crop_extend(self.scroll_offset.x, self.scroll_offset.x + width,
                                              self.rich_style)
                .apply_style(self.rich_style))


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
            line = columns.line([due_when(item, self.today), one_line(item.name),
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


MIN_SIZE = (60, 20)  # columns, rows: the smallest terminal the screens are made for


def too_small(size) -> bool:
    width, height = size
    return width < MIN_SIZE[0] or height < MIN_SIZE[1]


class TooSmallScreen(Screen):
    """Says so when the terminal is smaller than ``MIN_SIZE``, instead of
    screens cut off (the app shows it on a resize, ``BangfuApp.on_resize``);
    it goes by itself once the terminal is big enough, back to the screen
    under it as it was."""

    DEFAULT_CSS = """
    TooSmallScreen { align: center middle; }
    TooSmallScreen > #too-small { width: 1fr; height: auto; padding: 0 1; text-align: center; }
    """

    def compose(self):
        yield PlainStatic(self._message(), id="too-small")
        yield KeyFooter()

    def _message(self) -> str:
        width, height = self.app.size
        return t("app.too_small", width=MIN_SIZE[0], height=MIN_SIZE[1], now_width=width,
                 now_height=height)

    def on_mount(self) -> None:
        self._check()

    def on_screen_resume(self) -> None:
        self._check()

    def on_resize(self) -> None:
        self._check()

    def _check(self) -> None:
        if not too_small(self.app.size):
            if self.app.screen is self:
                self.dismiss()
            return
        self.query_one("#too-small", PlainStatic).update(self._message())
