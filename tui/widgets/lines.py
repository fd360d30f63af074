"""Scrollable lines rendered ahead of time, and the wrapping they use."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip


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
