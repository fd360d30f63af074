"""Issue 19, items 5 and 6: F1 help generated from the bindings, a [keymap]
table and a theme in config.toml, Textual's own commands in the palette."""

from __future__ import annotations

import re

import pytest
from rich.cells import cell_len

from db.config import resolve
from db.contacts import ContactInput, save_contact, validate
from db.models import Contact, Staff
from screens.case import CaseScreen
from screens.confirm import ConfirmScreen
from screens.contact import ContactScreen
from screens.help import HelpScreen
from screens.roster import RosterScreen
from screens.signin import SignInScreen
from tests.helpers import make_app, settle, sign_in
from tui import i18n
from tui.app import BangfuApp
from tui.commands import ScreenActions, SystemCommands
from tui.i18n import CATALOG, t
from tui.keymap import check_keymap, normal_key


# -- opening each screen -----------------------------------------------------------
def restricted_entry() -> None:
    """A counselling entry on 张伟's case: the case screen then offers o (open it)."""
    from db import accounts

    author = Staff.get(Staff.name == "王芳")
    author = accounts.authenticate(author.id, "1234")
    entry = validate(ContactInput(case_id=Contact.get().case_id, date="2026-11-10",
                                  time="10:00", kind="student", channel="face",
                                  participants="张伟", discussed="private", agreed="",
                                  restricted="counselling"))
    save_contact(author, entry)


async def open_sign_in(pilot):
    await settle(pilot)


async def open_roster(pilot):
    await sign_in(pilot, "wangfang")


async def open_case(pilot):
    await sign_in(pilot, "wangfang")
    await pilot.press(*"20240101", "enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, CaseScreen)


async def open_contact(pilot):
    await open_case(pilot)
    await pilot.press("n")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ContactScreen)


SCREENS = {"sign_in": (open_sign_in, SignInScreen), "roster": (open_roster, RosterScreen),
           "case": (open_case, CaseScreen), "contact": (open_contact, ContactScreen)}


def help_lines(app) -> list[str]:
    assert isinstance(app.screen, HelpScreen), app.screen
    return app.screen.query_one("#help-body").render().plain.splitlines()


def listed(lines: list[str], key: str, text: str) -> bool:
    """A line of the help gives ``key`` (among its keys) and says ``text``."""
    pattern = re.compile(r"^  (?:\S+ )*%s(?: \S+)* +%s(?:  \[[a-z0-9_]+\])?$"
                         % (re.escape(key), re.escape(text)))
    return any(pattern.match(line) for line in lines)


def expected_keys(app, screen) -> list[tuple[str, str]]:
    """(key as shown, what it does) for every named binding of ``screen`` (hidden
    ones too) and of the app, read from their BINDINGS, not from the help's own
    walk: a key the focused field binds too is listed with the field's meaning."""
    active = screen.active_bindings
    out = []
    for source, node in ((screen._bindings, screen), (app._bindings, app)):
        for key, binding in source:
            if binding.description not in CATALOG:
                continue
            if app._check_action_state(binding.action, node) is False:
                continue  # not offered to this person here (the footer hides it too)
            if node is app and screen.is_modal and not binding.priority:
                continue  # a modal screen holds back the app's ordinary keys
            acting = active[key].binding if key in active else binding
            out.append((app.get_key_display(acting), t(acting.description)))
    return out


# -- 1. F1 -------------------------------------------------------------------------
@pytest.mark.parametrize("which", list(SCREENS))
async def test_f1_lists_every_key_of_the_screen(school, lang, which):
    restricted_entry()
    opener, kind = SCREENS[which]
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await opener(pilot)
        screen = app.screen
        assert isinstance(screen, kind)
        expected = expected_keys(app, screen)
        assert len(expected) >= 3
        await pilot.press("f1")
        await pilot.pause()
        lines = help_lines(app)
        missing = [pair for pair in expected if not listed(lines, *pair)]
        assert not missing, (missing, lines)
        body = "\n".join(lines)
        assert "key." not in body  # every description translated
        assert t("help.group.app") in lines
        assert listed(lines, "^q", t("key.quit")) and listed(lines, "F1", t("key.help"))
        if which == "case":  # hidden keys the footer has no room for
            for key, name in (("1", "key.tab_timeline"), ("5", "key.tab_progress"),
                              ("o", "key.open_restricted"), ("c", "key.case_status"),
                              ("s", "key.edit_student"), ("^p", "key.palette")):
                assert listed(lines, key, t(name)), (key, lines)
        if which == "roster":
            for key, name in (("F8", "key.audit"), ("F12", "key.export"),
                              ("^b", "key.new_student"), ("F2", "key.switch_user")):
                assert listed(lines, key, t(name)), (key, lines)
        if which == "contact":
            for key, name in (("^s", "key.save"), ("^n", "key.save_next"), ("esc", "key.back")):
                assert listed(lines, key, t(name)), (key, lines)
        if which == "sign_in":  # the name field's own key
            assert t("help.group.field") in lines
            assert listed(lines, "⏎", t("key.sign_in"))
        await pilot.press("f1")  # F1 again closes it
        await pilot.pause()
        assert app.screen is screen


async def test_f1_from_a_text_field_types_nothing_and_typing_goes_on(school):
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_contact(pilot)
        form = app.screen
        field = form.query_one("#participants")
        field.focus()
        await pilot.press(*"Mum")
        await pilot.press("f1")
        await pilot.pause()
        lines = help_lines(app)
        # the focused field's own key, under "where the cursor is"
        assert t("help.group.field") in lines and listed(lines, "^g", t("key.add_guardian"))
        await pilot.press("escape")  # Esc closes it too
        await pilot.pause()
        assert app.screen is form and app.focused is field
        await pilot.press(*" and dad")
        assert field.value == "Mum and dad"


async def test_f1_lists_the_focused_letter_choice(school, lang):
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_contact(pilot)
        app.screen.query_one("#channel").focus()
        await pilot.press("f1")
        await pilot.pause()
        lines = help_lines(app)
        assert listed(lines, "w", i18n.label("channel", "wechat"))
        assert listed(lines, "h", i18n.label("channel", "home_visit"))


async def test_f1_on_a_dialog_lists_its_keys(school, lang):
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_contact(pilot)
        app.screen.query_one("#discussed").focus()
        await pilot.press(*"half a note", "escape")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ConfirmScreen)
        await pilot.press("f1")
        await pilot.pause()
        lines = help_lines(app)
        for pair in expected_keys(app, dialog):
            assert listed(lines, *pair), (pair, lines)
        assert listed(lines, "y", t("key.confirm_yes")) and listed(lines, "^q", t("key.quit"))
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is dialog


async def test_the_help_scrolls_when_longer_than_the_terminal(school):
    app = make_app(school.path)
    async with app.run_test(size=(80, 20)) as pilot:
        await open_roster(pilot)
        await pilot.press("f1")
        await pilot.pause()
        scroll = app.screen.query_one("#help-scroll")
        assert scroll.max_scroll_y > 0  # longer than the box
        await pilot.press("pagedown")
        await pilot.wait_for_scheduled_animations()
        assert scroll.scroll_y > 0
        await pilot.press("up")
        await pilot.wait_for_scheduled_animations()
        await pilot.press("home")
        await pilot.wait_for_scheduled_animations()
        assert scroll.scroll_y == 0


async def test_the_footer_shows_f1_next_to_the_palette(school, lang):
    """F1 always (its help names what the footer has no room for); ^p beside
    it where there is room; on the case screen at 80 columns the screen's
    last keys give way to F1, whole."""
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_roster(pilot)
        footer = app.screen.query_one("KeyFooter")
        help_hint, palette = footer.query_one("#footer-help"), footer.query_one("#footer-palette")
        assert help_hint.display and help_hint.render().plain == f" F1 {t('key.help')} "
        assert palette.display and help_hint.region.right == palette.region.x  # side by side
        await pilot.press(*"20240101", "enter")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
        footer = app.screen.query_one("KeyFooter")
        help_hint = footer.query_one("#footer-help")
        keys = footer.query_one("#footer-keys").render().plain
        assert help_hint.display and help_hint.render().plain == f" F1 {t('key.help')} "
        assert help_hint.region.right == 80
        assert keys.startswith(f" esc {t('key.back')}  n {t('key.log')} ")
        assert not keys.endswith("…")  # whole keys only
        assert cell_len(keys) + cell_len(help_hint.render().plain) <= 80


# -- the command palette -----------------------------------------------------------
async def test_the_palette_lists_every_key_of_the_screen_and_textuals_commands(school, lang):
    restricted_entry()
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_case(pilot)
        screen = app.screen
        actions = {hit.text: hit.help async for hit in ScreenActions(screen).discover()}
        for key, text in expected_keys(app, screen):
            assert actions.get(text) == t("cmd.action.help", key=key), (text, actions)
        for hidden in ("key.tab_plan", "key.open_restricted", "key.case_status", "key.quit"):
            assert t(hidden) in actions
        system = [hit.text async for hit in SystemCommands(screen).discover()]
        # Textual's own, translated; F1's help instead of its untranslated keys panel
        assert {t("cmd.theme"), t("cmd.screenshot"), t("cmd.keys")} <= set(system)
        assert t("key.quit") not in system  # offered once, with its key (ScreenActions)
        assert not set(system) & set(actions)
        keys = next(c for c in app.get_system_commands(screen) if c.title == t("cmd.keys"))
        keys.callback()
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


# -- 2. the keymap -----------------------------------------------------------------
def configured_app(school, tmp_path, monkeypatch, text: str) -> BangfuApp:
    """The app as `bangfu` starts it with this config.toml (db.config.resolve)."""
    from db.models import database

    folder = tmp_path / "config"
    folder.mkdir(exist_ok=True)
    (folder / "config.toml").write_text(text, encoding="utf-8")
    monkeypatch.setenv("BANGFU_CONFIG_DIR", str(folder))
    settings = resolve(str(school.path), environ={})
    return BangfuApp(settings=settings, database=database.obj)


def notes(app) -> str:
    return "\n".join(str(n.message) for n in app._notifications)


async def test_a_rebound_save_key_saves_and_shows_everywhere(school, tmp_path, monkeypatch):
    app = configured_app(school, tmp_path, monkeypatch, '[keymap]\nsave = "f5"\n')
    async with app.run_test(size=(80, 24)) as pilot:
        await open_contact(pilot)
        form = app.screen
        footer = form.query_one("KeyFooter #footer-keys").render().plain
        assert f"F5 {t('key.save')}" in footer and "^s" not in footer, footer
        await pilot.press("f1")
        await pilot.pause()
        lines = help_lines(app)
        assert listed(lines, "F5", t("key.save")) and not listed(lines, "^s", t("key.save"))
        await pilot.press("escape")
        await pilot.pause()
        form.query_one("#discussed").focus()
        await pilot.press(*"Rebound save")
        await pilot.press("ctrl+s")  # the old key does nothing now
        await settle(pilot)
        assert app.screen is form
        assert not Contact.select().where(Contact.discussed == "Rebound save").exists()
        await pilot.press("f5")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
        assert not notes(app)
    saved = Contact.get(Contact.discussed == "Rebound save")
    assert saved.author.name == "王芳"


BAD_CONFIG = """theme = "no-such-theme"
[keymap]
save = "f5"
sav = "ctrl+e"
log = 5
edit = "ctrl+banana"
back = "ctrl+q"
summary = "ctrl+w"
team = "alt+t"
"""


async def test_bad_entries_are_named_and_the_rest_applies(school, tmp_path, monkeypatch, lang):
    app = configured_app(school, tmp_path, monkeypatch, BAD_CONFIG)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        told = notes(app)
        for problem in (t("keymap.unknown_near", id="sav", near="save"),
                        t("keymap.not_text", id="log"),
                        t("keymap.bad_key", id="edit", keys="ctrl+banana", key="ctrl+banana"),
                        t("keymap.clash", id="back", key="ctrl+q", other=t("key.quit")),
                        t("keymap.text_field", id="summary", key="ctrl+w"),
                        t("keymap.alt", id="team", key="alt+t")):
            assert problem in told, (problem, told)
        assert "no-such-theme" in told and app.theme == "textual-dark"
        await open_contact(pilot)  # the rest applies: save is F5
        footer = app.screen.query_one("KeyFooter #footer-keys").render().plain
        assert f"F5 {t('key.save')}" in footer
        await pilot.press("escape")  # back (esc) and edit (e) kept their keys
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)


async def test_a_keymap_that_is_not_a_table_is_named(school, tmp_path, monkeypatch):
    app = configured_app(school, tmp_path, monkeypatch, 'keymap = "ctrl+w"\n')
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert t("keymap.not_table") in notes(app)
        await sign_in(pilot, "wangfang")
        assert isinstance(app.screen, RosterScreen)


def test_keys_are_read_as_textual_names_them():
    assert normal_key("Ctrl+W") == "ctrl+w"
    assert normal_key("/") == "slash"
    assert normal_key("F5") == "f5"
    assert normal_key("D") == "D"
    for bad in ("", "ctrl+", "banana", "hyperdrive+x", "ctrl+ctrl+x", " "):
        assert normal_key(bad) is None, bad


def test_a_swap_is_no_clash_and_a_clash_inside_one_screen_is():
    from screens.contact import ContactScreen as Form

    swap = check_keymap((("save", "ctrl+n"), ("save_next", "ctrl+s")), [Form], BangfuApp)
    assert swap.keymap == {"save": "ctrl+n", "save_next": "ctrl+s"} and not swap.problems
    clash = check_keymap((("save", "ctrl+n"),), [Form], BangfuApp)
    assert clash.keymap == {}
    assert clash.problems == [t("keymap.clash", id="save", key="ctrl+n",
                                other=t("key.save_next"))]


# -- 3. the theme ------------------------------------------------------------------
async def test_the_theme_setting_applies_at_start(school, tmp_path, monkeypatch):
    app = configured_app(school, tmp_path, monkeypatch, 'theme = "textual-light"\n')
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.theme == "textual-light"
        assert not notes(app)
