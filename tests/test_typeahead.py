"""Keys typed ahead (one burst: a fast typist, an SSH packet with several
keystrokes) reach the fields they were typed for, in order."""

from __future__ import annotations

from textual import events

from db.plan import add_goal
from screens.contact import ContactScreen
from screens.stage_review import StageReviewScreen
from tests.helpers import make_app, settle, sign_in


def burst(app, *keys: str) -> None:
    """Queue every key at once, as a terminal read delivers a burst."""
    for key in keys:
        character = {"tab": "\t", "enter": "\r", "down": None, "backspace": "\x7f"}.get(key, key)
        app.post_message(events.Key(key, character))


async def test_a_burst_with_tabs_fills_each_field_in_turn(school):
    case = school.cases["张伟"].id
    add_goal(school.teacher, case, "short", "Homework every day", due="12-30")
    add_goal(school.teacher, case, "long", "Maths 80", due="2027-01-15")
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "wangfang")
        await pilot.press(*"20240101", "enter")
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, StageReviewScreen)
        burst(app, *"abc", "tab", "down", "s", "tab", *"xyz", "tab", *"12-20", "tab")
        await settle(pilot)
        values = screen.values()
        assert values["summary"] == "abc"
        assert values["statuses"] == {"1": "open", "2": "met"}  # s on the second goal
        assert values["goals"][0] == ["xyz", "12-20"]
        assert screen.focused.id == "next-goal-2"


async def test_a_burst_through_the_contact_form_keeps_every_field(school):
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "wangfang")
        await pilot.press("ctrl+n")  # for the highlighted student
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ContactScreen)
        screen.query_one("#participants").focus()
        await pilot.pause()
        burst(app, *"Dad", "tab", *"Talked", "tab", *"Ok", "tab", *"Call", "tab", *"+7")
        await settle(pilot)
        values = screen.values()
        assert [values[k] for k in ("participants", "discussed", "agreed", "follow_up",
                                    "follow_up_due")] == ["Dad", "Talked", "Ok", "Call", "+7"]


async def test_enter_right_after_typing_saves_what_was_typed(school):
    """Enter saves the rules form at once (a priority key): the digits typed
    just before it in the same burst are in the field first."""
    from db.workflow import load_rules
    from screens.rules import RulesScreen

    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "wangfang")
        await pilot.press("f3")
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert isinstance(app.screen, RulesScreen)
        await pilot.press("enter")  # change the help rule's interval
        await settle(pilot)
        burst(app, "backspace", "1", "4", "enter")
        await settle(pilot)
    assert load_rules()[0].every_days == 14


async def test_a_tab_right_behind_a_key_that_shows_a_row_goes_by_the_new_layout(school):
    """On the export screen, `e` (contacts) shows the date row; a Tab in the same
    burst moved by the old layout (Textual orders the focus chain by position)
    and landed on the first date, so `v` (csv) was typed into it."""
    from screens.export import ExportScreen

    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "wangfang")
        await pilot.press("f12")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ExportScreen)
        burst(app, "e", "tab", "v")
        await settle(pilot)
        assert screen.query_one("#export-what").value == "contacts"
        assert screen.query_one("#export-dates").display
        assert app.focused.id == "export-format"
        assert screen.query_one("#export-format").value == "csv"
        assert screen.query_one("#export-since").value == ""
