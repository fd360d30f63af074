"""The Families menu (ctrl+g on the roster): each line opens its screen, and a
volunteer, who sees no family's data, is not offered it."""

from __future__ import annotations

import pytest

from screens.families import SECTIONS, FamiliesScreen
from tests.helpers import make_app, settle, sign_in


async def test_each_digit_opens_its_screen_and_esc_comes_back(school):
    from importlib import import_module

    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "wangfang")
        for n, (_, module, name) in enumerate(SECTIONS, 1):
            await pilot.press("ctrl+g")
            await settle(pilot)
            assert isinstance(app.screen, FamiliesScreen)
            await pilot.press(str(n))
            await settle(pilot)
            assert type(app.screen) is getattr(import_module(module), name)
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, FamiliesScreen)
            await pilot.press("escape")
            await settle(pilot)
        await pilot.press("ctrl+g")
        await settle(pilot)
        await pilot.press("down", "down", "enter")  # Enter on the third line
        await settle(pilot)
        assert type(app.screen).__name__ == "SurveysScreen"


@pytest.fixture
def volunteer(school):
    from db.staff import add_staff
    from tests.conftest import PIN_HASH

    add_staff(None, "志愿者小陈", "volunteer", pin_hash=PIN_HASH)
    return school


async def test_a_volunteer_is_not_offered_the_families_menu(volunteer):
    app = make_app(volunteer.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "zhiyuanzhexiaochen")
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert not isinstance(app.screen, FamiliesScreen)
        assert app.screen.check_action("families", ()) is False
