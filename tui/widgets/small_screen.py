"""The screen shown while the terminal is smaller than the screens are made for."""

from __future__ import annotations

from textual.screen import Screen

from tui.i18n import t
from tui.widgets.footer import KeyFooter
from tui.widgets.text import PlainStatic


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
