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
from urllib.parse import quote

from peewee import DatabaseError as PeeweeDatabaseError
from peewee import OperationalError, SqliteDatabase
from db.models import database

BUSY_TIMEOUT_MS = 5_000
LOCKING_MODES = ("posix", "dotfile")
STALE_LOCK_SECONDS = 60  # far above any real transaction (about 0.1-0.3 s on a share)
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


def _uri(path: Path, locking: str) -> str:
    """An SQLite URI for ``path``; ``dotfile`` selects the unix-dotfile VFS.

    ``mode=rw`` never creates the file: when the share is gone, a reconnect
    fails instead of starting an empty database on the bare mount point.

    unix-dotfile locks with ``mkdir(PATH.lock)``, which is atomic across hosts
    even where a share's POSIX locks are not seen by other clients.
    """
    uri = "file:" + quote(str(path.absolute()), safe="/") + "?mode=rw"
    return uri + "&vfs=unix-dotfile" if locking == "dotfile" else uri


def open_database(path: str | os.PathLike, *, create: bool = False,
                  migrate: bool = True, locking: str = "posix") -> SqliteDatabase:
    """Open (and bind the models to) the database at ``path``: a file, or a
    ``postgresql://`` URL (``db.server``; ``create`` and ``locking`` are the
    file's business and do not apply there).

    ``create`` allows making a new file; otherwise a missing file is an error,
    so a mistyped share path never silently starts an empty database.
    ``locking`` must be the mode stored in the file (every client of one file
    uses the same); a file without one adopts it.
    """
    if locking not in LOCKING_MODES:
        raise ValueError(locking)
    from db.config import is_server_url

    if is_server_url(path):
        return open_server(path, migrate=migrate)
    path = Path(path)
    if path.exists() and not create and path.is_file() and path.stat().st_size == 0:
        # an empty file is not a school's database: never build one in it silently
        raise DatabaseError("empty", str(path))
    if not path.exists():
        if not create:
            raise DatabaseError("missing", str(path))
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            sqlite3.connect(path).close()  # an empty file; every connection uses mode=rw
            # records about minors: the owner and the staff group only (SQLite gives
            # its journal files the same mode)
            os.chmod(path, 0o660)
        except (OSError, sqlite3.Error) as exc:
            raise DatabaseError("unwritable", str(path), str(exc)) from None
    if locking == "dotfile":
        rollback_hot_journal(path)  # a crashed writer's, if its lock was removed by hand
        leave_wal(path)  # the dot-file VFS cannot open a WAL file at all
    db = SqliteDatabase(_uri(path, locking), uri=True, pragmas=pragmas(),
                        lock_type="IMMEDIATE", timeout=BUSY_TIMEOUT_MS / 1000)
    db.bangfu_path = path  # the file itself (``db.database`` is a URI)
    db.bangfu_locking = locking
    try:
        # another client may hold the lock for a while: retried like any write
        with_retry(lambda: _prepare(db, path, locking, migrate))
    except (PeeweeDatabaseError, sqlite3.DatabaseError) as exc:
        db.close()
        raise DatabaseError("unreadable", str(path), str(exc)) from None
    except DatabaseError:
        db.close()
        raise
    database.initialize(db)  # bind the models only to a file that opened
    return db


def open_server(url: str, *, migrate: bool = True):
    """Open (and bind the models to) the PostgreSQL database at ``url``.

    The database itself must exist (``createdb``); an empty one gets the schema.
    """
    from db import server

    try:
        db = server.make_database(url)
    except ValueError as exc:
        raise DatabaseError("bad_url", server.safe_url(url), str(exc)) from None
    shown = db.bangfu_url
    try:
        db.connect(reuse_if_open=True)
        if migrate:
            migrate_database(db)
    except PeeweeDatabaseError as exc:
        db.close()
        raise DatabaseError(server.error_code(exc), shown, server.first_line(exc)) from None
    except DatabaseError:
        db.close()
        raise
    database.initialize(db)
    return db


def is_server(db) -> bool:
    return getattr(db, "bangfu_backend", "") == "postgresql"


def _prepare(db, path: Path, locking: str, migrate: bool) -> None:
    """Connect, check the stored locking mode, migrate, store the mode."""
    try:
        db.connect(reuse_if_open=True)
        stored = stored_locking(db)
        if stored and stored != locking:
            raise DatabaseError("locking", str(path), stored)
        if migrate:
            migrate_database(db)
        if not stored and db.table_exists(META_TABLE):
            with db.atomic():
                db.execute_sql(f'INSERT OR IGNORE INTO "{META_TABLE}" (key, value) '
                               "VALUES ('locking', ?)", (locking,))
            stored = stored_locking(db)
            if stored != locking:  # another client stored a different mode first
                raise DatabaseError("locking", str(path), stored)
    except OperationalError:
        db.close()  # a fresh connection for the next attempt
        raise


META_TABLE = "bangfu_meta"


def stored_locking(db) -> str:
    """The locking mode the file's clients agreed on ("" if none is stored)."""
    if not db.table_exists(META_TABLE):
        return ""
    row = db.execute_sql(f'SELECT value FROM "{META_TABLE}" WHERE key = ?',
                         ("locking",)).fetchone()
    return row[0] if row else ""


def set_stored_locking(db, locking: str) -> None:
    """Change the shared mode (only while no other client has the file open)."""
    if locking not in LOCKING_MODES:
        raise ValueError(locking)
    with db.atomic():
        db.execute_sql(f'INSERT OR REPLACE INTO "{META_TABLE}" (key, value) VALUES '
                       "('locking', ?)", (locking,))


def lock_dir(path: str | os.PathLike) -> Path:
    """Where the unix-dotfile VFS takes its lock (a directory)."""
    return Path(str(path) + ".lock")


def lock_age(path: str | os.PathLike, now: float | None = None) -> float | None:
    """Seconds since the dot-file lock was taken, or None when there is none."""
    try:
        mtime = lock_dir(path).stat().st_mtime
    except OSError:
        return None
    return max(0.0, (time.time() if now is None else now) - mtime)


def stale_lock_age(path: str | os.PathLike, threshold: float = STALE_LOCK_SECONDS) -> float | None:
    """The lock's age when it is older than ``threshold`` (left by a crashed client)."""
    age = lock_age(path)
    return age if age is not None and age >= threshold else None


def remove_lock(path: str | os.PathLike) -> bool:
    """Remove a crashed client's dot-file lock; True when there was one.  Ask first.

    While the stale lock still keeps everyone out, the crashed writer's
    half-written transaction is rolled back first: the unix-dotfile VFS never
    does that itself (its own lock directory looks like a live writer to it).
    """
    lock = lock_dir(path)
    if not lock.is_dir():
        return False
    rollback_hot_journal(path, holding_lock=True)
    try:
        lock.rmdir()
    except FileNotFoundError:
        return False
    return True


def leave_wal(path: str | os.PathLike) -> bool:
    """Switch a file in WAL mode back to the rollback journal; True if it was WAL.

    Done while holding the dot-file lock, through the default VFS (which has
    the shared memory WAL needs); the checkpoint folds the WAL into the file.
    """
    path = Path(path)
    try:
        with path.open("rb") as fh:
            header = fh.read(20)
    except OSError:
        return False
    if len(header) < 20 or 2 not in (header[18], header[19]):
        return False
    lock = lock_dir(path)
    try:
        lock.mkdir()
    except OSError:
        return False  # someone holds the lock: the open reports the file busy
    try:
        conn = sqlite3.connect(path)
        try:
            conn.execute("PRAGMA journal_mode = delete").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return False
    finally:
        try:
            lock.rmdir()
        except OSError:
            pass
    return True


def rollback_hot_journal(path: str | os.PathLike, *, holding_lock: bool = False) -> bool:
    """Play back a rollback journal left by a writer that crashed; True if one was.

    Only done while holding the dot-file lock (taken here unless the caller
    holds it): a journal with nobody holding the lock is a crashed writer's.
    The playback opens the file with the ``unix-none`` VFS, which sees no
    other writer and so restores the pages the journal saved.
    """
    path = Path(path)
    if not Path(str(path) + "-journal").exists():
        return False
    lock = lock_dir(path)
    if not holding_lock:
        try:
            lock.mkdir()
        except FileExistsError:
            return False  # a writer is active (or a stale lock: bangfu unlock)
        except OSError:
            return False
    try:
        uri = "file:" + quote(str(path.absolute()), safe="/") + "?mode=rw&vfs=unix-none"
        conn = sqlite3.connect(uri, uri=True)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            conn.close()
    finally:
        if not holding_lock:
            try:
                lock.rmdir()
            except OSError:
                pass
    return True


def close_database() -> None:
    from db import journal

    obj = database.obj
    if obj is not None and not obj.is_closed():
        obj.close()
    journal.close_all()


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
    where = str(getattr(db, "bangfu_path", None) or getattr(db, "bangfu_url", db.database))
    unknown = applied - known
    if unknown:
        raise DatabaseError("newer", where, ", ".join(sorted(unknown)))
    if known <= applied:
        return []
    with db.atomic():  # BEGIN IMMEDIATE (on a server its write lock): one client migrates
        if is_server(db):
            from db import server

            if known <= applied_migrations(db):
                return []  # another client migrated while this one waited
            done = _runner(db).up()
            server.install_change_triggers(db)  # new tables tell listeners too
            return done
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


def is_unreachable(exc: BaseException) -> bool:
    """True when a write failed because the file could not be reached or written
    (share gone, permission denied, disk full, locked past the retries, damaged):
    the entry should wait in the outbox.  Integrity errors are bugs, not outages."""
    from peewee import IntegrityError

    if isinstance(exc, (IntegrityError, sqlite3.IntegrityError)):
        return False
    return isinstance(exc, (PeeweeDatabaseError, sqlite3.DatabaseError, OSError))
