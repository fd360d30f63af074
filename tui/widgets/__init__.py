"""Shared widgets: the translated footer, the virtual roster list, one-letter choices.

One module per kind; every public name is here too, so ``from tui.widgets import X``
works whichever module ``X`` lives in:

- ``text``: ``PlainStatic``, ``InfoLine``, ``copy_out``, ``fit``, ``ALERT_MARK``, ``alert_style``;
- ``footer``: ``KeyFooter``;
- ``roster``: ``RosterList``, ``RosterColumns``, ``roster_cells``;
- ``inputs``: ``LetterChoice``, ``DateInput``;
- ``lines``: ``LinesView``, ``render_strips``, ``wrap_lines``;
- ``lists``: ``CursorList``, ``CaseloadList``, ``CaseloadColumns``, ``TableList``;
- ``small_screen``: ``TooSmallScreen``, ``too_small``, ``MIN_SIZE``.

(The tick boxes of the forms are in ``tui.ticks``, apart: the first screen never
needs them.)
"""

from __future__ import annotations

from tui.widgets.footer import KeyFooter
from tui.widgets.inputs import DateInput, LetterChoice
from tui.widgets.lines import LinesView, render_strips, wrap_lines
from tui.widgets.lists import CaseloadColumns, CaseloadList, CursorList, TableList
from tui.widgets.roster import RosterColumns, RosterList, roster_cells
from tui.widgets.small_screen import MIN_SIZE, TooSmallScreen, too_small
from tui.widgets.text import ALERT_MARK, InfoLine, PlainStatic, alert_style, copy_out, fit

__all__ = [
    "ALERT_MARK",
    "MIN_SIZE",
    "CaseloadColumns",
    "CaseloadList",
    "CursorList",
    "DateInput",
    "InfoLine",
    "KeyFooter",
    "LetterChoice",
    "LinesView",
    "PlainStatic",
    "RosterColumns",
    "RosterList",
    "TableList",
    "TooSmallScreen",
    "alert_style",
    "copy_out",
    "fit",
    "render_strips",
    "roster_cells",
    "too_small",
    "wrap_lines",
]
