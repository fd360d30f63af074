"""Every action has a key with a translated name, and the command palette finds it."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from textual.screen import Screen
from textual.widget import Widget

import screens
from screens.case import CaseScreen
from screens.contact import ContactScreen
from tests.helpers import make_app, settle, sign_in
from tui import i18n
from tui.app import BangfuApp


def all_binding_holders():
    holders = [BangfuApp]
    for info in pkgutil.iter_modules(screens.__path__):
        module = importlib.import_module(f"screens.{info.name}")
        for obj in vars(module).values():
            if isinstance(obj, type) and issubclass(obj, (Screen, Widget)) \
                    and obj.__module__ == module.__name__:
                holders.append(obj)
    import tui.widgets as widgets

    # (tui/widgets/ is a package: its classes live in its modules, all named in it)
    holders += [obj for obj in vars(widgets).values()
                if isinstance(obj, type) and issubclass(obj, Widget)
                and obj.__module__.startswith(widgets.__name__ + ".")]
    return holders


@pytest.mark.parametrize("holder", all_binding_holders(), ids=lambda h: h.__name__)
def test_every_shown_binding_has_a_catalog_description(holder):
    for binding in holder.BINDINGS:
        if binding.show and binding.description:
            assert binding.description in i18n.CATALOG, (holder.__name__, binding)


async def test_footer_shows_translated_keys(school):
    i18n.set_language("zh")
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "wangfang")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
        footer_text = " ".join(str(w.render()) for w in app.screen.query("Footer *"))
        assert "记录联系" in footer_text and "编辑档案" in footer_text
        assert "key." not in footer_text


async def test_command_palette_runs_a_screen_action_by_name(school):
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "wangfang")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"log entry")
        from textual.command import CommandList

        commands = app.screen.query_one(CommandList)
        while not (commands.highlighted is not None  # the search has found it
                   and "log entry" in str(commands.get_option_at_index(
                       commands.highlighted).prompt).lower()):
            await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ContactScreen)
