"""Opening the shared database file safely.

The file usually lives on a network share, so (SQLite's own advice):
rollback journal (never WAL), ``synchronous=FULL``, foreign keys on, a busy
timeout, and every write transaction started with ``BEGIN IMMEDIATE`` and
kept short.  Schema migrations run on open, under the write lock.
"""

from __future__ import annotations

import os
import random
import socket
import sqlite3
import time
from pathlib import Path
from typing import Callable, TypeVar

from peewee import DatabaseError as PeeweeDatabaseError
from peewee import OperationalError, SqliteDatabase
from db.models import database

BUSY_TIMEOUT_MS = 5_000
MIGRATIONS_DIR = Path(__file__).with_name("migrations")
T = TypeVar("T")


class DatabaseError(Exception):
    """The database cannot be used; ``code`` names why, ``path`` which file."""

    def __init__(self, code: str, path: str = "", detail: str = ""):
        super().__init__(f"{code}: {path} {detail}".strip())
        self.code = code
        self.path = path
        self.detail = detail


def pragmas() -> dict:
    return {
        "journal_mode": "delete",
        "synchronous": "full",
        "foreign_keys": 1,
        "busy_timeout": BUSY_TIMEOUT_MS,
    }


def hostname() -> str:
    return socket.gethostname()


def open_database(path: str | os.PathLike, *, create: bool = False,
                  migrate: bool = True) -> SqliteDatabase:
    """Open (and bind the models to) the database at ``path``.

    ``create`` allows making a new file; otherwise a missing file is an error,
    so a mistyped share path never silently starts an empty database.
    """
    path = Path(path)
    if not path.exists():
        if not create:
            raise DatabaseError("missing", str(path))
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseError("unwritable", str(path), exc.strerror or "") from None
    db = SqliteDatabase(str(path), pragmas=pragmas(), lock_type="IMMEDIATE",
                        timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        db.connect(reuse_if_open=True)
        if migrate:
            migrate_database(db)
    except (PeeweeDatabaseError, sqlite3.DatabaseError) as exc:
        db.close()
        raise DatabaseError("unreadable", str(path), str(exc)) from None
    except DatabaseError:
        db.close()
        raise
    database.initialize(db)  # bind the models only to a file that opened
    return db


def close_database() -> None:
    obj = database.obj
    if obj is not None and not obj.is_closed():
        obj.close()


HISTORY_TABLE = "schema_migration"  # playhouse.migrations' record of applied scripts


def _runner(db):
    from playhouse.migrations import Runner  # only when there is something to apply

    return Runner(db, directory=str(MIGRATIONS_DIR), table_name=HISTORY_TABLE)


def applied_migrations(db) -> set[str]:
    if not db.table_exists(HISTORY_TABLE):
        return set()
    return {name for (name,) in db.execute_sql(f'SELECT name FROM "{HISTORY_TABLE}"')}


def known_migrations() -> list[str]:
    return sorted(p.stem for p in MIGRATIONS_DIR.glob("[0-9]*.py"))


def schema_version(db) -> int:
    """How many migrations the file has applied (0 for a new file)."""
    return len(applied_migrations(db))


def migrate_database(db) -> list[str]:
    """Apply pending migrations in one write transaction; return their names.

    A file made by a newer bangfu (migrations we do not know) is refused.
    """
    known = set(known_migrations())
    applied = applied_migrations(db)
    unknown = applied - known
    if unknown:
        raise DatabaseError("newer", db.database, ", ".join(sorted(unknown)))
    if known <= applied:
        return []
    with db.atomic():  # BEGIN IMMEDIATE: one client migrates, others wait
        return _runner(db).up()


def is_busy_error(exc: BaseException) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def with_retry(fn: Callable[[], T], *, attempts: int = 6, base_delay: float = 0.1,
               on_retry: Callable[[int, float], None] | None = None,
               sleep=time.sleep) -> T:
    """Run ``fn``; when the file is busy, retry with exponential back-off and jitter.

    ``on_retry(attempt, delay)`` is told before each wait so a UI can show
    "database busy, retrying…".  The last busy error is raised as is.
    """
    for attempt in range(1, attempts + 1):
        try:
            return fn()
        except OperationalError as exc:
            if not is_busy_error(exc) or attempt == attempts:
                raise
            delay = base_delay * (2 ** (attempt - 1)) * (0.5 + random.random())
            if on_retry:
                on_retry(attempt, delay)
            sleep(delay)
    raise AssertionError("unreachable")
