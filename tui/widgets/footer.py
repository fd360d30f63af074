"""The translated footer: the keys that work here."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import Footer, Static

from tui.i18n import t


class KeyFooter(Footer):
    """The footer: the keys that work here, named in the interface language.

    Bindings carry catalog keys (``"key.save"``) as descriptions; this footer
    looks them up at run time.  It draws one line of text instead of a widget
    per key, so a screen switch or a focus change does not rebuild a row of
    widgets (that alone cost ~18 ms per case opened).
    """

    DEFAULT_CSS = """
    KeyFooter { layout: horizontal; }
    KeyFooter > #footer-keys { width: 1fr; height: 1; background: $footer-background; }
    KeyFooter > #footer-help { width: auto; height: 1; background: $footer-background; }
    KeyFooter > #footer-palette { width: auto; height: 1; background: $footer-background; }
    """

    def compose(self):
        yield Static(self._keys_text(), id="footer-keys", markup=False)
        yield Static("", id="footer-help", markup=False)
        yield Static(self._palette_text(), id="footer-palette", markup=False)

    def bindings_changed(self, screen) -> None:
        if self.is_attached and screen is self.screen and self.is_mounted:
            self._draw()

    def on_mount(self) -> None:
        self._draw()

    def on_resize(self) -> None:
        self._draw()

    def _draw(self) -> None:
        """The screen's own keys first, then the F1 and ^p hints and the app's
        keys (^q) where they leave room.  F1 is always shown: its help names
        every key (those the footer has no room for, ^p too), so where room is
        short the screen's last keys give way to it, whole."""
        from tui.keymap import screen_bindings

        entries = screen_bindings(self.screen)  # once: it walks every binding
        own, app = [], []
        for binding, from_app in self._shown_bindings(entries):
            (app if from_app else own).append(binding)
        width = self.size.width or self.app.size.width
        help_text = self._help_text(entries)
        palette_text = self._palette_text()
        show = self._text(own).cell_len + help_text.cell_len + palette_text.cell_len <= width
        if show:
            keys = self._text(own + app, width - help_text.cell_len - palette_text.cell_len)
        else:
            keys = self._text(own, width - help_text.cell_len)
        self.query_one("#footer-keys", Static).update(keys, layout=False)
        help_hint = self.query_one("#footer-help", Static)
        if help_text.plain != getattr(self, "_help_shown", None):
            self._help_shown = help_text.plain
            help_hint.update(help_text)  # (its width follows: a rebound F1 may be longer)
        if help_hint.display != bool(help_text.plain):
            help_hint.display = bool(help_text.plain)
        palette = self.query_one("#footer-palette", Static)
        if palette.display != show:
            palette.display = show

    def _shown_bindings(self, entries=None):
        """``(binding, from the app)`` for each key the footer names."""
        from tui.keymap import APP, screen_bindings

        seen = set()
        palette = self.app.COMMAND_PALETTE_BINDING
        for entry in screen_bindings(self.screen) if entries is None else entries:
            binding = entry.binding
            if (not binding.show or not binding.description or entry.key == palette
                    or binding.action in seen or not entry.enabled):
                continue
            seen.add(binding.action)
            yield binding, entry.group == APP

    def _help_text(self, entries=None) -> Text:
        """" F1 Help": the key that shows every key of this screen (as keymapped)."""
        from tui.keymap import APP, screen_bindings

        text = Text(no_wrap=True)
        for entry in screen_bindings(self.screen) if entries is None else entries:
            if entry.group == APP and entry.binding.action == "help":
                text.append(f" {self.app.get_key_display(entry.binding)} ", style="bold")
                text.append(t(entry.binding.description) + " ")
                break
        return text

    def _keys_text(self, app_keys: bool = True) -> Text:
        return self._text([b for b, from_app in self._shown_bindings() if app_keys or not from_app])

    def _text(self, bindings, room: int | None = None) -> Text:
        """The keys and their names; with ``room``, only the first ones that fit whole."""
        text = Text(no_wrap=True, overflow="ellipsis")
        for binding in bindings:
            name = (t(binding.description) if binding.description.startswith("key.")
                    else binding.description)
            key = f" {self.app.get_key_display(binding)} "
            if room is not None and text.cell_len + cell_len(key + name) + 1 > room:
                break
            text.append(key, style="bold")
            text.append(name)
            text.append(" ")
        return text

    def _palette_text(self) -> Text:
        text = Text(no_wrap=True)
        if self.app.ENABLE_COMMAND_PALETTE:
            text.append(" ^p ", style="bold")
            text.append(t("key.palette") + " ")
        return text
