"""Families (家校共育): the programme's work with families as a group, one key
from the roster (ctrl+g).  A short menu: 1 family events and their attendance,
2 families' feedback, 3 satisfaction surveys, 4 recognitions, 5 holidays; the
digit or Enter on the highlighted line opens it, esc goes back.
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

# (section, the screen's module and class); each opens with no arguments
SECTIONS = (("events", "screens.family_events", "EventsScreen"),
            ("feedback", "screens.feedback", "FeedbackScreen"),
            ("surveys", "screens.surveys", "SurveysScreen"),
            ("recognitions", "screens.recognitions", "RecognitionsScreen"),
            ("holidays", "screens.holidays", "HolidaysScreen"))


class FamiliesScreen(BangfuScreen[None]):
    DEFAULT_CSS = """
    #families { height: auto; padding: 1 2; }
    #families OptionList { height: auto; border: none; }
    """
    BINDINGS = [
        Binding("enter", "open", "key.open", id="families_open"),
        *[Binding(str(n), f"section({n - 1})", f"key.families.{name}",
                  id=f"families_{name}", show=False)
          for n, (name, _, _) in enumerate(SECTIONS, 1)],
        Binding("escape", "back", "key.back", id="back"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="families"):
            yield PlainStatic(t("families.hint"), classes="hint")
            yield OptionList(*[Option(Text(f"{n}  {t(f'families.{name}')}"), id=name)
                               for n, (name, _, _) in enumerate(SECTIONS, 1)],
                             id="families-list", compact=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.title = t("families.title")
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
        _, module, name = SECTIONS[index]
        self.app.push_screen(getattr(import_module(module), name)())

    def action_back(self) -> None:
        self.dismiss(None)
