"""Why a read or a write failed, as a word a message can say.

Messages name what happened and what to do, never an exception's class (nor
its text, which may quote personal data).  ``failure_kind`` sorts any error
into one of ``KINDS``; the catalog says each one (``failure.<kind>``).
"""

from __future__ import annotations

import errno
import sqlite3
import sys

KINDS = ("busy", "unreachable", "disk_full", "permission", "damaged", "lost", "unknown", "slow",
         "resources", "other")

_UNREACHABLE_ERRNOS = {errno.ENOENT, errno.ENOTCONN, errno.EIO, errno.ESTALE, errno.EHOSTDOWN,
                       errno.EHOSTUNREACH, errno.ENETDOWN, errno.ENETUNREACH, errno.ETIMEDOUT,
                       errno.ECONNREFUSED, errno.ECONNRESET, errno.ENODEV}


def error_chain(exc: BaseException) -> list[BaseException]:
    """``exc``, the driver's error it wraps (peewee's ``orig``), and the errors
    it was raised from or during, each once."""
    seen: list[BaseException] = []
    todo: list[BaseException | None] = [exc]
    while todo and len(seen) < 12:
        e = todo.pop(0)
        if e is None or any(e is s for s in seen):
            continue
        seen.append(e)
        todo += [getattr(e, "orig", None), e.__cause__, e.__context__]
    return seen


def from_server(exc: BaseException) -> bool:
    """True when ``exc`` came from a database server's driver (psycopg2)."""
    driver = sys.modules.get("psycopg2")  # loaded only when a server was opened
    return driver is not None and any(isinstance(e, driver.Error) for e in error_chain(exc))


def failure_kind(exc: BaseException) -> str:
    """busy (a lock held past the retries), unreachable (share or server gone),
    disk_full, permission (read-only share, no write permission), damaged (the
    file), lost / unknown / slow / resources (a server: ``db.store.server.outage_kind``),
    or other."""
    if from_server(exc):
        from db.store.server import outage_kind

        kind = outage_kind(exc)
        return kind if kind in KINDS else "unreachable"
    if isinstance(exc, OSError):
        if exc.errno == errno.ENOSPC:
            return "disk_full"
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            return "permission"
        return "unreachable" if exc.errno in _UNREACHABLE_ERRNOS or exc.errno is None \
            else "other"
    from peewee import DatabaseError as PeeweeDatabaseError
    from peewee import InterfaceError

    from db.store.connection import DatabaseError

    if isinstance(exc, DatabaseError):  # the file could not be opened: why, from SQLite's words
        text = exc.detail.lower()
        if exc.code in ("missing", "unwritable"):
            return "unreachable"
    elif not isinstance(exc, (PeeweeDatabaseError, InterfaceError, sqlite3.Error)):
        return "other"
    else:
        text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return "busy"
    if "full" in text:
        return "disk_full"
    if "readonly" in text or "read-only" in text or "permission" in text:
        return "permission"
    if "malformed" in text or "not a database" in text or "corrupt" in text:
        return "damaged"
    if "unable to open" in text or "i/o error" in text or "no such file" in text:
        return "unreachable"
    return "other"
