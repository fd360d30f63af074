"""A short menu of screens (the Families menu, the Oversight menu): one line
per section, a digit or Enter on the highlighted line opens it, esc goes back.

A menu names its ``AREA`` (its texts are ``<area>.title``, ``<area>.hint``,
``<area>.<section>`` and the keys ``key.<area>.<section>``) and its
``SECTIONS``: (section, the screen's module and class), each opened with no
arguments; its ``BINDINGS`` are ``menu_bindings(AREA, SECTIONS)``.
"""

from __future__ import annotations

from importlib import import_module

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Header, OptionList
from textual.widgets.option_list import Option

from tui.i18n import t
from tui.screen_base import BangfuScreen
from tui.widgets import KeyFooter, PlainStatic


def menu_bindings(area: str, sections) -> list[Binding]:
    return [Binding("enter", "open", "key.open", id=f"{area}_open"),
            *[Binding(str(n), f"section({n - 1})", f"key.{area}.{name}",
                      id=f"{area}_{name}", show=False)
              for n, (name, _, _) in enumerate(sections, 1)],
            Binding("escape", "back", "key.back", id="back")]


class MenuScreen(BangfuScreen[None]):
    DEFAULT_CSS = """
    MenuScreen .menu { height: auto; padding: 1 2; }
    MenuScreen .menu OptionList { height: auto; border: none; }
    """
    AREA = ""
    SECTIONS: tuple = ()

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id=self.AREA, classes="menu"):
            yield PlainStatic(t(f"{self.AREA}.hint"), classes="hint")
            yield OptionList(*[Option(Text(f"{n}  {t(f'{self.AREA}.{name}')}"), id=name)
                               for n, (name, _, _) in enumerate(self.SECTIONS, 1)],
                             id=f"{self.AREA}-list", compact=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.title = t(f"{self.AREA}.title")
        options = self.query_one(OptionList)
        options.highlighted = 0
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_section(event.option_index)

    def action_open(self) -> None:
        index = self.query_one(OptionList).highlighted
        if index is not None:
            self.action_section(index)

    def action_section(self, index: int) -> None:
        _, module, name = self.SECTIONS[index]
        self.app.push_screen(getattr(import_module(module), name)())

    def action_back(self) -> None:
        self.dismiss(None)
