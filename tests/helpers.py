"""Helpers for driving the app with Pilot."""

from __future__ import annotations

from db.models import database
from tui.app import BangfuApp


def make_app(path) -> BangfuApp:
    from db.config import Settings

    settings = Settings(db_path=path, db_source="--db", lang="en", lang_source="test", user="")
    return BangfuApp(settings=settings, database=database.obj)


async def settle(pilot, rounds: int = 3) -> None:
    """Let workers finish and their results land on screen."""
    for _ in range(rounds):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def sign_in(pilot, who: str = "wangfang") -> None:
    await settle(pilot)
    await pilot.press(*who)
    await pilot.press("enter")
    await settle(pilot)


async def type_text(pilot, text: str) -> None:
    await pilot.press(*text)
