"""Tick boxes that say ticked or not in plain text: "[x]" and "[ ]".

Textual's Checkbox and SelectionList draw the same block either way (only its
colour differs: unreadable with NO_COLOR or on a plain terminal).  Kept apart
from tui/widgets/: only the forms that tick things import them (and Textual's
selection list with them), not the first screen.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.content import Content
from textual.strip import Strip
from textual.widgets import Checkbox, SelectionList


TICKED, UNTICKED = "x", " "  # inside the box's brackets: "[x]" and "[ ]"


class TickBox(Checkbox):
    """A checkbox that reads "[x]" ticked and "[ ]" not, in plain text too
    (Textual's draws the same block either way: only its colour differs)."""

    @property
    def _button(self) -> Content:
        return Content.assemble("[", (TICKED if self.value else UNTICKED,
                                      self.get_visual_style("toggle--button")), "]")


class TickList(SelectionList):
    """A SelectionList whose boxes read "[x]" ticked and "[ ]" not (see TickBox)."""

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        segments = list(strip)
        # SelectionList draws Textual's toggle button (as Checkbox inherits it)
        if (len(segments) < 4 or segments[0].text != Checkbox.BUTTON_LEFT
                or segments[2].text != Checkbox.BUTTON_RIGHT):
            return strip  # not an option's line
        left, inner, _, space = segments[:4]
        index = self.scroll_offset.y + y
        ticked = self.get_option_at_index(index).value in self.selected
        side = (space.style or Style()) + Style(meta=(left.style.meta if left.style else {}))
        return Strip([Segment("[", side), Segment(TICKED if ticked else UNTICKED, inner.style),
                      Segment("]", side), *segments[3:]], strip.cell_length)
