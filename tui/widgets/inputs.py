"""Form fields: one-letter choices and the date field."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Input

from tui.i18n import label


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
