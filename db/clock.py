"""The current date and time, in one place so tests and demos can fix them.

``BANGFU_TODAY=2026-11-20`` (or ``set_today``) pins the date; the time of day
still comes from the real clock unless ``BANGFU_NOW`` pins it too.
"""

from __future__ import annotations

import datetime as dt
import os

_today: dt.date | None = None
_now: dt.datetime | None = None


def set_today(value: dt.date | None, now: dt.datetime | None = None) -> None:
    global _today, _now
    _today, _now = value, now


def today() -> dt.date:
    if _today is not None:
        return _today
    env = os.environ.get("BANGFU_TODAY")
    if env:
        return dt.date.fromisoformat(env)
    return dt.date.today()


def now() -> dt.datetime:
    if _now is not None:
        return _now
    env = os.environ.get("BANGFU_NOW")
    if env:
        return dt.datetime.fromisoformat(env)
    real = dt.datetime.now().replace(microsecond=0)
    pinned = today()
    return real if pinned == real.date() else dt.datetime.combine(pinned, real.time())
