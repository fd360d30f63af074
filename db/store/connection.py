"""Opening the shared database file safely.

The file usually lives on a network share, so (SQLite's own advice):
rollback journal (never WAL), ``synchronous=FULL``, foreign keys on, a busy
timeout, and every write transaction started with ``BEGIN IMMEDIATE`` and
kept short.  Schema migrations run on open, under the write lock.
"""

from __future__ import annotations

import os
import random
import sqlite3
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Callable, TypeVar
from urllib.parse import quote

from peewee import DatabaseError as PeeweeDatabaseError
from peewee import OperationalError, SqliteDatabase
from db.store.lock import LockHeartbeat, leave_wal, rollback_hot_journal
from db.models import database

if TYPE_CHECKING:
    from db.store.server import ServerDatabase

BUSY_TIMEOUT_MS = 5_000
LOCKING_MODES = ("posix", "dotfile")
PEEK_TRIES = 8
MIGRATIONS_DIR = Path(__file__).parent.parent / "migrations"  # db/migrations
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



def file_uri(path: Path, locking: str) -> str:
    """An SQLite URI for ``path``; ``dotfile`` selects the unix-dotfile VFS.

    ``mode=rw`` never creates the file: when the share is gone, a reconnect
    fails instead of starting an empty database on the bare mount point.

    unix-dotfile locks with ``mkdir(PATH.lock)``, which is atomic across hosts
    even where a share's POSIX locks are not seen by other clients.
    """
    uri = "file:" + quote(str(path.absolute()), safe="/") + "?mode=rw"
    return uri + "&vfs=unix-dotfile" if locking == "dotfile" else uri


def open_database(path: str | os.PathLike, *, create: bool = False,
                  migrate: bool = True, locking: str = "posix",
                  owner: bool = False, office: bool = False) -> ShareDatabase | ServerDatabase:
    """Open (and bind the models to) the database at ``path``: a file, or a
    ``postgresql://`` URL (``db.store.server``; ``create`` and ``locking`` are the
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
        return open_server(path, migrate=migrate, owner=owner, office=office)
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
    # the stored mode first, read without a lock or the journal: a client with
    # the other mode would take a live writer's journal for a crashed one's and
    # roll it back (its locks do not see that writer's)
    check_locking(path, locking)
    if locking == "dotfile":
        rollback_hot_journal(path)  # a crashed writer's, if its lock was removed by hand
        leave_wal(path)  # the dot-file VFS cannot open a WAL file at all
    db = ShareDatabase(file_uri(path, locking), uri=True, pragmas=pragmas(),
                       lock_type="IMMEDIATE", timeout=BUSY_TIMEOUT_MS / 1000)
    db.bangfu_path = path  # the file itself (``db.database`` is a URI)
    db.bangfu_locking = locking
    # another client may hold the lock for a while: retried like any write
    return _bind(db, path, lambda: with_retry(lambda: _prepare(db, path, locking, migrate)))


def _bind(db, path: Path, prepare: Callable[[], object]):
    """``prepare()`` the file's ``db``, then bind the models to it: only to a
    file that opened (else ``db`` is closed and ``DatabaseError`` raised)."""
    try:
        prepare()
    except (PeeweeDatabaseError, sqlite3.DatabaseError) as exc:
        db.close()
        raise DatabaseError("unreadable", str(path), str(exc)) from None
    except DatabaseError:
        db.close()
        raise
    database.initialize(db)
    return db


def open_server(url: str, *, migrate: bool = True, owner: bool = False, office: bool = False):
    """Open (and bind the models to) the PostgreSQL database at ``url``.

    The database itself must exist (``createdb``); an empty one gets the schema.
    A database of several schools (``db.store.district``) is opened by a school's
    role, which sees only its school; the owner's role is refused there
    ("many_schools") unless ``owner`` (its own tools), a town's or a county's
    office role ("office_role") unless ``office`` (what shows its figures), and a
    role of no school is refused ("no_school").
    """
    from db.store import district, server

    try:
        db = server.make_database(url)
    except ValueError as exc:
        raise DatabaseError("bad_url", server.safe_url(url), str(exc)) from None
    shown = db.bangfu_url
    try:
        db.connect(reuse_if_open=True)
        if migrate:
            migrate_database(db)
        db.bangfu_kind = ""  # on a district server: whose role this is (district.is_office)
        if not owner and district.has_schools(db):
            kind = db.bangfu_kind = district.connection_kind(db)
            if kind == "none":
                raise DatabaseError("no_school", shown)
            if kind == "office" and not office:
                raise DatabaseError("office_role", shown)
            if kind == "owner" and district.school_count(db) > 1:
                raise DatabaseError("many_schools", shown)
    except PeeweeDatabaseError as exc:
        db.close()
        raise DatabaseError(server.error_code(exc), shown, server.first_line(exc)) from None
    except DatabaseError:
        db.close()
        raise
    database.initialize(db)
    return db


class ShareDatabase(SqliteDatabase):
    """The file's database: a write transaction on a dot-file locked file that
    lasts longer than a save says who holds the lock, while it holds it
    (``LockHeartbeat``), so nobody takes a long import for a crash."""

    bangfu_path: Path  # set by open_database: the file itself (``database`` is a URI)
    bangfu_locking: str

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._beats = threading.local()  # per thread, like peewee's connections

    def begin(self, lock_type=None):
        super().begin(lock_type)
        if getattr(self, "bangfu_locking", "") == "dotfile" \
                and getattr(self._beats, "current", None) is None:
            beat = LockHeartbeat(self.bangfu_path)
            beat.start()
            self._beats.current = beat

    def _then_end_heartbeat(self, step):
        """``step()`` (a commit, rollback or close): the write is over either way."""
        try:
            return step()
        finally:
            beat = getattr(self._beats, "current", None)
            self._beats.current = None
            if beat is not None:
                beat.finish()

    def commit(self):
        return self._then_end_heartbeat(super().commit)

    def rollback(self):
        return self._then_end_heartbeat(super().rollback)

    def close(self):
        return self._then_end_heartbeat(super().close)


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


def immutable_uri(path: str | os.PathLike) -> str:
    """The file read-only as it is: no lock taken, no journal looked at."""
    return "file:" + quote(str(Path(path).absolute()), safe="/") + "?mode=ro&immutable=1"


def _peek(path: str | os.PathLike, read: Callable[[sqlite3.Connection], T]) -> T | None:
    """``read(conn)`` on the file as it is, without taking any lock and without
    looking at a journal: SQLite's ``immutable`` open never rolls back (nor
    even sees) another client's journal, and never waits for a lock.  None
    when the file cannot be read that way (not a database, or damaged).

    A read can meet a page half-written by a commit in progress; it is tried
    again a few times, briefly."""
    uri = immutable_uri(path)
    for attempt in range(PEEK_TRIES):
        try:
            conn = sqlite3.connect(uri, uri=True)
            try:
                return read(conn)
            finally:
                conn.close()
        except sqlite3.DatabaseError:
            if attempt + 1 < PEEK_TRIES:
                time.sleep(0.02 * (2 ** attempt))
    return None


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                        (name,)).fetchone() is not None


def peek_locking(path: str | os.PathLike) -> str | None:
    """The locking mode stored in the file ("" if none), read lock-free (``_peek``)."""
    def read(conn) -> str:
        if not _has_table(conn, META_TABLE):
            return ""
        row = conn.execute(f'SELECT value FROM "{META_TABLE}" WHERE key = ?',
                           ("locking",)).fetchone()
        return row[0] if row else ""
    return _peek(path, read)


def peek_schema_version(path: str | os.PathLike) -> int | None:
    """How many migrations the file has applied, read lock-free (``_peek``)."""
    def read(conn) -> int:
        if not _has_table(conn, HISTORY_TABLE):
            return 0
        return conn.execute(f'SELECT count(*) FROM "{HISTORY_TABLE}"').fetchone()[0]
    return _peek(path, read)


def check_locking(path: str | os.PathLike, locking: str) -> None:
    """``DatabaseError("locking")`` when the file records the other locking
    mode.  Called before anything opens the file through a VFS."""
    path = Path(path)
    if not path.is_file() or path.stat().st_size == 0:
        return
    stored = peek_locking(path)
    if stored and stored != locking:
        raise DatabaseError("locking", str(path), stored)



def open_snapshot(path: str | os.PathLike) -> SqliteDatabase:
    """Bind the models to the file as it is, read-only, without any lock or
    journal (SQLite's immutable open): to check an administrator's PIN before
    ``unlock`` or ``recover``, when the file cannot be opened for writing.
    Nothing can be written through it.  ``DatabaseError("unreadable")`` if the
    file cannot be read that way."""
    path = Path(path)
    db = SqliteDatabase(immutable_uri(path), uri=True)

    def prepare() -> None:
        db.connect()
        if not db.table_exists("staff"):
            raise DatabaseError("unreadable", str(path), "no staff table")
    return _bind(db, path, prepare)


def close_database() -> None:
    from db.store import journal_write

    obj = database.obj
    if obj is not None and not obj.is_closed():
        obj.close()
    journal_write.close_all()


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
    if is_server(db):
        from db.store import district, offices, server

        if district.has_schools(db) and district.connection_kind(db) != "owner":
            # a school's role changes no schema: the server's owner upgrades it
            raise DatabaseError("needs_owner", where, ", ".join(sorted(known - applied)))
    with db.atomic():  # BEGIN IMMEDIATE (on a server its write lock): one client migrates
        if is_server(db):

            if known <= applied_migrations(db):
                return []  # another client migrated while this one waited
            done = _runner(db).up()
            server.install_change_triggers(db)  # new tables tell listeners too
            if district.has_schools(db):
                district.adopt_tables(db)  # new tables belong to schools too
                district.grant_clients(db)
                offices.grant_offices(db)
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
    the entry should wait in the outbox.  Integrity errors are bugs, not outages.

    On a server, a connection lost inside the save surfaces as an InterfaceError
    (not a DatabaseError: "connection already closed"); whether it was written is
    then unknown, so it waits too, and its UUID keeps the flush from writing it
    twice (``db.store.server.outage_kind`` says which case it was)."""
    import sys

    from peewee import IntegrityError, InterfaceError

    if isinstance(exc, (IntegrityError, sqlite3.IntegrityError)):
        return False
    driver = sys.modules.get("psycopg2")  # loaded only when a server was opened
    if driver is not None and isinstance(exc, driver.Error):
        return not isinstance(exc, driver.IntegrityError)
    if isinstance(exc, InterfaceError) and getattr(exc, "orig", None) is not None:
        return True  # the driver's own error: the connection, not bangfu's use of peewee
    return isinstance(exc, (PeeweeDatabaseError, sqlite3.DatabaseError, OSError))
