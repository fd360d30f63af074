"""The command palette, F1 help, the keymap and the theme (``AppCommands``,
a mixin of ``tui.app.BangfuApp``).

ctrl+p lists every key of the screen on top (``tui.commands.ScreenActions``)
and the app's commands, bangfu's and Textual's own, named in the interface
language (``get_system_commands``); F1 lists every key of the screen by name
(``screens.help``).  ``[keymap]`` and ``theme`` in config.toml are checked
(``tui.keymap``) and applied at start-up; what is wrong is named, not used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import SystemCommand
from textual.binding import Binding

from tui.i18n import t

if TYPE_CHECKING:
    from collections.abc import Iterable

    from textual.app import App
    from textual.screen import Screen

    from db.config import Settings
    from db.staff_view import StaffView

    _AppBase = App
else:
    _AppBase = object


def screen_actions_provider():
    """The palette provider, imported when the palette first opens (not at start-up)."""
    from tui.commands import ScreenActions

    return ScreenActions


def system_commands_provider():
    """The app's commands (bangfu's and Textual's, ``get_system_commands``) in the palette."""
    from tui.commands import SystemCommands

    return SystemCommands


class AppCommands(_AppBase):
    """ctrl+p, F1, the keymap, the theme (see the module's text)."""

    if TYPE_CHECKING:  # the app's, used here
        settings: Settings
        staff: StaffView | None

        def action_switch_user(self) -> None: ...

        def action_audit(self) -> None: ...

    def action_command_palette(self) -> None:
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(placeholder=t("palette.placeholder"),
                                            id="--command-palette"))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        # Textual's own (the theme, screenshot, maximize…), named in the interface
        # language; its Quit is ours below, its keys panel our translated F1 help
        from tui.commands import TEXTUAL_COMMANDS

        for command in super().get_system_commands(screen):
            if command.callback == self.action_quit:
                continue
            if command.callback == self.action_show_help_panel:
                command = command._replace(callback=self.action_help)
            name = TEXTUAL_COMMANDS.get(command.title)
            if name:
                command = command._replace(title=t(f"cmd.{name}"), help=t(f"cmd.{name}.help"))
            yield command
        yield SystemCommand(t("key.quit"), t("cmd.quit.help"), self.action_quit)
        if self.staff is not None:
            yield SystemCommand(t("key.switch_user"), t("cmd.switch_user.help"),
                                self.action_switch_user)
        from db.access import can

        if can(self.staff, "audit"):
            yield SystemCommand(t("key.audit"), t("cmd.audit.help"), self.action_audit)

    def action_help(self) -> None:
        """F1: every key of the screen on top, by name (F1 again or Esc closes it)."""
        from screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()
        else:
            self.push_screen(HelpScreen(self.screen))

    def get_key_display(self, binding: Binding) -> str:
        """Keys as the keyboard labels them: function keys as F1…F12."""
        shown = super().get_key_display(binding)
        if not binding.key_display and len(shown) in (2, 3) and shown[0] == "f" \
                and shown[1:].isdigit():
            return shown.upper()
        return shown

    def apply_theme(self) -> None:
        """``theme = "..."`` in config.toml; one that does not exist is named, not used."""
        from tui.keymap import check_theme

        theme = getattr(self.settings, "theme", "")
        problem = check_theme(theme, self.available_themes)
        if problem:
            self.notify(problem, severity="warning", timeout=20, markup=False)
        elif theme:
            self.theme = theme

    def apply_keymap(self) -> None:
        """``[keymap]`` in config.toml: the good entries rebind their keys (the
        footer, F1 and ctrl+p show the new ones); each bad one is named and left out."""
        from tui.keymap import check_keymap

        checked = check_keymap(self.settings.keymap, app_class=type(self))
        if checked.keymap:
            self.set_keymap(checked.keymap)
        if checked.problems:
            self.notify("\n".join(checked.problems), title=t("keymap.title"),
                        severity="warning", timeout=30, markup=False)
