"""The current date and time, in one place so tests and demos can fix them.

``BANGFU_TODAY=2026-11-20`` pins the date; the time of day still comes from
the real clock unless ``BANGFU_NOW`` pins it too.  These two environment
variables are for tests and demos only: they count only while the bound
database says it was made by ``bangfu demo`` or by the tests (``bangfu_meta``
key ``made_by`` = ``demo`` / ``test``, written once, when it is made, by an
audited write: ``mark_database``).  A real school's database never has that
row, so on it the environment cannot move audit times, entry times or due
dates (``overrides_allowed``).

``set_today`` pins the clock from Python (the tests' own code, the
benchmarks): only code running in this process can call it, and such code
could write to the file anyway.

Sign-in never takes any of these: a lockout is timed by ``real_now``.
"""

from __future__ import annotations

import datetime as dt
import os

_today: dt.date | None = None
_now: dt.datetime | None = None

MADE_BY_KEY = "made_by"
MADE_BY = ("demo", "test")  # what a database may say it was made by
_CACHE = "bangfu_made_by"  # on the bound database object: its made_by, once read


def set_today(value: dt.date | None, now: dt.datetime | None = None) -> None:
    global _today, _now
    _today, _now = value, now


def real_now() -> dt.datetime:
    """The computer's clock, whatever is pinned (lockouts)."""
    return dt.datetime.now().replace(microsecond=0)


def today() -> dt.date:
    if _today is not None:
        return _today
    env = os.environ.get("BANGFU_TODAY")
    if env and overrides_allowed():
        return dt.date.fromisoformat(env)
    return dt.date.today()


def now() -> dt.datetime:
    if _now is not None:
        return _now
    env = os.environ.get("BANGFU_NOW")
    if env and overrides_allowed():
        return dt.datetime.fromisoformat(env)
    real = real_now()
    pinned = today()
    return real if pinned == real.date() else dt.datetime.combine(pinned, real.time())


def made_by() -> str:
    """What the bound database says made it ("demo", "test"), "" for a school's
    own database (or none bound)."""
    from db.models import Meta, database

    db = database.obj
    if db is None:
        return ""
    cached = getattr(db, _CACHE, None)
    if cached is not None:
        return cached
    try:
        row = Meta.get_or_none(Meta.key == MADE_BY_KEY)
    except Exception:  # noqa: BLE001 - not migrated yet, or unreachable: a real clock
        return ""
    value = row.value if row is not None and row.value in MADE_BY else ""
    setattr(db, _CACHE, value)
    return value


def overrides_allowed() -> bool:
    """True when ``BANGFU_NOW`` / ``BANGFU_TODAY`` may count: the bound database
    was made by ``bangfu demo`` or by the tests.  Never for a school's database,
    nor when no database is bound."""
    return made_by() in MADE_BY


def mark_database(kind: str, *, at: dt.time | None = None) -> None:
    """Say, once, that the bound (new) database is a demo or a test school, so
    the clock overrides count on it (an audited write in ``bangfu_meta``).
    The tests and ``db.demo.build.build_demo`` call it when they make one.  Its audit
    row is dated by the clock as it counts from then on (``at``: that day at
    this time, so a demo stays a function of its seed and day)."""
    from db import audit
    from db.store import journal
    from db.models import Meta, database

    if kind not in MADE_BY:
        raise ValueError(kind)
    db = database.obj
    try:
        with journal.transaction():
            row = Meta.get_or_none(Meta.key == MADE_BY_KEY)
            if row is not None:
                if row.value != kind:
                    raise ValueError(f"the database was made by {row.value}")
                return
            Meta.insert(key=MADE_BY_KEY, value=kind).execute()
            setattr(db, _CACHE, kind)  # its own audit row already takes the pinned time
            _record_mark(audit, Meta._meta.table_name, kind, at)
    except BaseException:
        setattr(db, _CACHE, None)  # read again: what the file holds decides
        raise


def _record_mark(audit, table: str, kind: str, at: dt.time | None) -> None:
    global _now
    held = _now
    if at is not None:
        _now = dt.datetime.combine(today(), at)
    try:
        audit.record(None, table, MADE_BY_KEY, "insert", {MADE_BY_KEY: kind})
    finally:
        _now = held


def forget() -> None:
    """Read ``made_by`` again on next use (after a rolled-back ``mark_database``)."""
    from db.models import database

    if database.obj is not None:
        setattr(database.obj, _CACHE, None)
