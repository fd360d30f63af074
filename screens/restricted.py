"""One restricted entry, read on purpose by someone who may (its opening is
already in the audit log when this shows).  esc closes; nothing is editable."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from db.text import clean, one_line
from tui.i18n import label, paren, restricted_entry, t
from tui.screen_base import BangfuModal
from tui.widgets import KeyFooter, PlainStatic


def entry_text(entry) -> Text:
    text = Text()
    text.append(f"{entry.occurred_at:%Y-%m-%d %H:%M}  {label('kind', entry.kind)} · "
                f"{label('channel', entry.channel)} · "
                f"{t('case.entry_by', author=one_line(entry.author))}\n", style="bold")
    if entry.participants:
        text.append(f"{t('case.entry.participants')}{t('common.colon')}"
                    f"{one_line(entry.participants)}\n", style="dim")
    text.append("\n" + clean(entry.discussed) + "\n")
    if entry.agreed:
        text.append(f"\n{t('case.entry.agreed')}{t('common.colon')}{clean(entry.agreed)}\n")
    if entry.follow_up:
        due = paren(t("case.entry.due", date=entry.follow_up_due)) if entry.follow_up_due else ""
        text.append(f"\n{t('case.entry.follow_up')}{t('common.colon')}"
                    f"{one_line(entry.follow_up)}{due}\n")
    return text


class RestrictedEntryScreen(BangfuModal[None]):
    BINDINGS = [Binding("escape", "close", "key.back", id="close")]

    def __init__(self, entry):
        super().__init__()
        self.entry = entry

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="restricted-entry"):
            yield PlainStatic(restricted_entry(self.entry.restricted), classes="title")
            yield PlainStatic(t("restricted.audited"), classes="hint")
            yield Static(entry_text(self.entry), markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#restricted-entry").focus()

    def action_close(self) -> None:
        self.dismiss(None)
