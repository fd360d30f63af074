"""The command palette's providers: every key of the current screen by its
translated name, and the app-wide commands (bangfu's and Textual's own)."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.system_commands import SystemCommandsProvider

from tui.i18n import t
from tui.keymap import described, screen_bindings


# Textual's own commands by their (English) titles -> ``cmd.NAME`` and
# ``cmd.NAME.help`` in the catalog; one Textual adds later shows as Textual names it
TEXTUAL_COMMANDS = {"Theme": "theme", "Keys": "keys", "Maximize": "maximize",
                    "Minimize": "minimize", "Screenshot": "screenshot"}


def screen_actions(screen):
    """``(node, binding)`` for each action a key of ``screen`` runs now (hidden
    keys and the app's included), once per name (the innermost, as the key
    would), by the shared list (``tui.keymap.screen_bindings``) the footer and
    F1 use."""
    seen = set()
    for entry in screen_bindings(screen):
        binding = entry.binding
        if not described(binding) or not entry.enabled or binding.description in seen:
            continue
        seen.add(binding.description)
        yield entry.node, binding


class ScreenActions(Provider):
    """Every key of the current screen, by its translated name, in ctrl+p."""

    def _hits(self):
        for node, binding in screen_actions(self.screen):
            yield (t(binding.description), partial(self._run, node, binding.action),
                   t("cmd.action.help", key=self.app.get_key_display(binding)))

    async def discover(self) -> Hits:
        for name, run, help_text in self._hits():
            yield Hit(1, name, run, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, run, help_text in self._hits():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), run, help=help_text)

    async def _run(self, node, action: str) -> None:
        await self.app.run_action(action, node)


class SystemCommands(SystemCommandsProvider):
    """The app's commands (``BangfuApp.get_system_commands``: bangfu's and
    Textual's, such as the theme); one a key of this screen already offers is
    left to ``ScreenActions``, which names its key, so nothing shows twice."""

    def _commands(self):
        offered = {t(binding.description) for _, binding in screen_actions(self.screen)}
        return [command for command in self.app.get_system_commands(self.screen)
                if command.title not in offered]

    async def discover(self) -> Hits:
        for command in sorted(self._commands(), key=lambda c: c.title):
            if command.discover:
                yield DiscoveryHit(command.title, command.callback, help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self._commands():
            score = matcher.match(command.title)
            if score > 0:
                yield Hit(score, matcher.highlight(command.title), command.callback,
                          help=command.help)
