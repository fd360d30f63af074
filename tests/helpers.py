"""Helpers for driving the app with Pilot."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from db.models import database
from tui.app import BangfuApp

ROOT = Path(__file__).resolve().parent.parent


def cli_env(tmp_path, state=None) -> dict:
    """A clean environment for running ``bangfu`` in a subprocess: no user config,
    no BANGFU_* from the caller (so no BANGFU_LOCKING), English, the test's
    own config, data and state folders, the date pinned (``BANGFU_TODAY`` counts
    only on a database the tests or ``bangfu demo`` made: ``db.clock``; the
    fixtures' schools are marked by ``tests.conftest``)."""
    base = {k: v for k, v in os.environ.items()
            if not k.startswith("BANGFU_")
            and k not in ("LC_ALL", "LC_MESSAGES", "LANGUAGE", "FORCE_COLOR",
                          "TTY_COMPATIBLE", "TTY_INTERACTIVE", "COLUMNS", "LINES")}
    cfg = tmp_path / "config"
    cfg.mkdir(exist_ok=True)
    base.update(BANGFU_TODAY="2026-11-20", BANGFU_CONFIG_DIR=str(cfg), BANGFU_USER="王芳",
                BANGFU_DATA_DIR=str(tmp_path / "data"),
                BANGFU_STATE_DIR=str(state or tmp_path / "state"),
                LANG="en_US.UTF-8", PYTHONIOENCODING="utf-8", PYTHONPATH=str(ROOT))
    return base


def run_cli(env, *args, db=None, pin: str | None = "1234") -> subprocess.CompletedProcess:
    """``bangfu ARGS [--db DB]`` in a subprocess with ``env`` (see ``cli_env``),
    ``pin`` as the first line of stdin (where the CLI reads it when stdin is not
    a terminal); who signs in is ``--as`` in ARGS, else ``BANGFU_USER`` (王芳)."""
    argv = [sys.executable, "-m", "tui.cli"] + (["--db", str(db)] if db is not None else [])
    return subprocess.run(argv + [str(a) for a in args], capture_output=True, text=True,
                          encoding="utf-8", env=env, cwd=ROOT, timeout=60,
                          input="" if pin is None else pin + "\n")


def make_app(path) -> BangfuApp:
    from db.config import Settings

    settings = Settings(db_path=path, db_source="--db", lang="en", lang_source="test", user="")
    return BangfuApp(settings=settings, database=database.obj)


async def settle(pilot, rounds: int = 3) -> None:
    """Let keys typed ahead and workers finish, and their results land on screen.
    A worker replaced by a newer one of its exclusive group is cancelled, not
    failed: it counts as done (the newer one is waited for in the same round or
    the next)."""
    from textual.worker import WorkerCancelled

    for _ in range(rounds):
        while pilot.app.keys_waiting:  # keys typed ahead, still on their way
            await pilot.pause()
        while True:
            try:
                await pilot.app.workers.wait_for_complete()
            except WorkerCancelled:
                await pilot.pause()  # (its task's done-callback takes it off the list)
                continue
            break
        await pilot.pause()


async def sign_in(pilot, who: str = "wangfang", pin: str = "1234") -> None:
    """Pick ``who`` from the sign-in list and type their PIN."""
    await settle(pilot)
    await pilot.press(*who)
    await pilot.press("enter")
    await settle(pilot)
    await pilot.press(*pin)
    await pilot.press("enter")
    await settle(pilot)


async def type_text(pilot, text: str) -> None:
    await pilot.press(*text)
