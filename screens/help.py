"""F1: every key of the screen below, by what it does, in the interface language.

Generated from the bindings in force (``tui.keymap.screen_bindings``: the
screen's own, those of the focused field and its containers, the app's; the
keymap applied, hidden keys included), so it lists exactly what the keys do
and never goes stale.  Esc or F1 closes it; ↑/↓ PgUp/PgDn scroll it.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll

from tui.i18n import t
from tui.keymap import APP, FIELD, SCREEN, described, screen_bindings
from tui.screen_base import BangfuModal
from tui.widgets import KeyFooter, LetterChoice, PlainStatic

GROUPS = (SCREEN, FIELD, APP)  # in this order, each under its heading


@dataclass(frozen=True)
class HelpRow:
    group: str  # SCREEN, FIELD or APP
    keys: tuple[str, ...]  # each as the person presses it ("^s", "F1", "esc")
    text: str  # what it does, translated
    name: str  # the binding's id: its name in config.toml's [keymap] ("" if none)
    enabled: bool  # False: not possible right now (shown dim)


def help_rows(screen) -> list[HelpRow]:
    """The help's lines for ``screen``, grouped: this screen, this field, everywhere.

    One row per action (its keys together); keys without a name in the
    catalog (the arrows' own moves, Textual's text editing) are left out.
    The focused one-letter choice adds its letters to "this field"."""
    app = screen.app
    rows: dict[tuple, HelpRow] = {}
    focused = screen.focused
    if isinstance(focused, LetterChoice):
        for letter, code in focused.keys.items():
            rows[(FIELD, id(focused), letter)] = HelpRow(FIELD, (letter,),
                                                         focused.option_label(code), "", True)
    for entry in screen_bindings(screen):
        binding = entry.binding
        if not described(binding):
            continue
        where = (entry.group, id(entry.node), binding.action)
        shown = app.get_key_display(binding)
        row = rows.get(where)
        if row is None:
            rows[where] = HelpRow(entry.group, (shown,), t(binding.description),
                                  binding.id or "", entry.enabled)
        elif shown not in row.keys:
            rows[where] = HelpRow(row.group, row.keys + (shown,), row.text, row.name,
                                  row.enabled or entry.enabled)
    return [row for group in GROUPS for row in rows.values() if row.group == group]


def help_key(screen) -> str:
    """The key that opens (and closes) this help, as keymapped."""
    for entry in screen_bindings(screen):
        if entry.group == APP and entry.binding.action == "help":
            return screen.app.get_key_display(entry.binding)
    return "F1"


class HelpScreen(BangfuModal[None]):
    """The keys of the screen it was opened on; Esc (or F1 again) closes it."""

    DEFAULT_CSS = """
    HelpScreen { align: center top; }
    HelpScreen > #help { width: 100%; max-width: 100; height: 1fr; margin: 1 2 0 2;
                         border: round $accent; background: $surface; padding: 0 1; }
    HelpScreen #help-title { text-style: bold; height: auto; }
    HelpScreen #help-scroll { height: 1fr; }
    """
    BINDINGS = [Binding("escape", "close", "key.help_close", id="help_close")]

    def __init__(self, under):
        super().__init__()
        self.rows = help_rows(under)
        self.key = help_key(under)

    def compose(self) -> ComposeResult:
        with Vertical(id="help"):
            yield PlainStatic(t("help.title", key=self.key), id="help-title")
            with VerticalScroll(id="help-scroll"):
                yield PlainStatic(self.body(), id="help-body")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#help-scroll").focus()  # ↑/↓ PgUp/PgDn scroll it

    def body(self) -> Text:
        text = Text()
        width = max([8] + [cell_len(" ".join(r.keys)) + 2 for r in self.rows])
        for group in GROUPS:
            rows = [r for r in self.rows if r.group == group]
            if not rows:
                continue
            if text:
                text.append("\n")
            text.append(t(f"help.group.{group}") + "\n", style="bold underline")
            for row in rows:
                keys = " ".join(row.keys)
                style = "" if row.enabled else "dim"
                text.append("  " + keys + " " * (width - cell_len(keys)), style=f"bold {style}")
                text.append(row.text, style=style)
                if row.name:
                    text.append(f"  [{row.name}]", style="dim")
                text.append("\n")
        if not self.rows:
            text.append(t("help.none") + "\n")
        text.append("\n" + t("help.keymap") + "\n", style="dim")
        return text

    def action_close(self) -> None:
        self.dismiss()
