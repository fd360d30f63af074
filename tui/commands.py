"""The command palette's provider: every key of the current screen by its translated name."""

from __future__ import annotations

from functools import partial

from textual.command import Hit, Hits, Provider

from tui.i18n import t


class ScreenActions(Provider):
    """Every key of the current screen, by its translated name, in ctrl+p."""

    def _actions(self):
        seen = set()
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            if not binding.description.startswith("key.") or binding.action in seen \
                    or not active.enabled:
                continue
            seen.add(binding.action)
            yield key, active.node, binding

    async def discover(self) -> Hits:
        for key, node, binding in self._actions():
            yield Hit(1, t(binding.description), partial(self._run, node, binding.action),
                      help=t("cmd.action.help", key=self.app.get_key_display(binding)))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for key, node, binding in self._actions():
            name = t(binding.description)
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name),
                          partial(self._run, node, binding.action),
                          help=t("cmd.action.help", key=self.app.get_key_display(binding)))

    async def _run(self, node, action: str) -> None:
        await self.app.run_action(action, node)
