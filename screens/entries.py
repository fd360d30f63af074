"""Pick one of a case's entries (to amend it, or a restricted one to read it):
newest first, Enter picks, esc closes."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from db.text import one_line
from tui.i18n import label, restricted_entry, t
from tui.screen_base import BangfuModal
from tui.widgets import KeyFooter, PlainStatic


class EntryPickerScreen(BangfuModal[int | None]):
    BINDINGS = [
        Binding("enter", "pick", "key.amend_pick", id="amend_pick"),
        Binding("escape", "close", "key.back", id="close"),
    ]

    def __init__(self, contacts: list, title: str | None = None):
        super().__init__()
        self.contacts = contacts
        self.title_text = title or t("amend.pick")

    def compose(self) -> ComposeResult:
        with Vertical(id="entries"):
            yield PlainStatic(self.title_text, classes="title")
            yield OptionList(*[
                Option(Text(f"{c.occurred_at:%m-%d %H:%M}  {label('kind', c.kind)}/"
                            f"{label('channel', c.channel)}  {one_line(c.author)}: "
                            + (restricted_entry(c.restricted) if c.restricted
                               else one_line(c.discussed)))) for c in self.contacts],
                id="entry-list", compact=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.contacts[event.option_index].id)

    def action_pick(self) -> None:
        index = self.query_one(OptionList).highlighted
        if index is not None:
            self.dismiss(self.contacts[index].id)

    def action_close(self) -> None:
        self.dismiss(None)
