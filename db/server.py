"""The same bangfu on a PostgreSQL server: opening it, keeping it fresh, telling about it.

A school that outgrows one file on a share points every client at a server
instead: ``--db postgresql://user@host:5432/bangfu`` (or ``BANGFU_DB``, or
``db = "..."`` in the config).  Credentials come from the URL, ``PGPASSWORD``
or ``~/.pgpass`` (libpq reads both); ``safe_url`` is what is ever shown.

Everything else is the same as on SQLite: one schema and one migration
history (``db/migrations``, which branch where the two dialects differ), the
same models and rules.  What is the file's business only (locking modes,
journals beside the file, backups by copying the file) stays in
``db.connection`` and ``db.storage``; the server does those things itself.

bangfu's own SQL is written with SQLite's ``?`` placeholders; the server's
connection class rewrites them (``ServerDatabase.execute_sql``).

One writer at a time, as on SQLite: every transaction (``database.atomic()``)
starts by taking one advisory lock, the server's ``BEGIN IMMEDIATE``.  So the
checks written for SQLite's single writer (a case's version, one open case per
student, an entry's UUID) hold unchanged on the server; a save holds the lock
for a few milliseconds (bench/server_latency.py).

Freshness: every table has a statement trigger that calls
``pg_notify('bangfu_change', table)``; notifications are delivered when the
writing transaction commits.  ``Listener`` keeps one idle connection that
LISTENs, so the app learns of others' writes without querying anything.
"""

from __future__ import annotations

import re
import select
import threading
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from peewee import PostgresqlDatabase, __exception_wrapper__

CHANNEL = "bangfu_change"
WRITE_LOCK = 0x62616E66  # pg_advisory_xact_lock key: one write transaction at a time


def safe_url(url: str) -> str:
    """The URL with any password removed: the only form ever printed or stored."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "postgresql://?"
    if parts.password is None:
        return url
    host = parts.hostname or ""
    if ":" in host:  # an IPv6 address
        host = f"[{host}]"
    netloc = (f"{parts.username}@" if parts.username else "") + host
    if parts.port:
        netloc += f":{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


_NAMED = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")


def to_pyformat(sql: str, named: bool = False) -> str:
    """SQLite's parameter style (``?``, or ``:name`` with a dict) in psycopg2's."""
    sql = sql.replace("%", "%%")
    if named:
        return _NAMED.sub(r"%(\1)s", sql)
    return sql.replace("?", "%s")


class ServerDatabase(PostgresqlDatabase):
    """PostgreSQL with bangfu's conventions: SQLite's placeholders in hand-written SQL."""

    def execute_sql(self, sql, params=None):
        # peewee's own SQL for PostgreSQL (``execute`` below) never reaches here;
        # peewee's introspection does, already in psycopg2's style ("%s")
        if isinstance(params, dict):
            sql = to_pyformat(sql, named=True)
        elif "?" in sql or ("%" in sql and not params):
            sql = to_pyformat(sql)
        if sql.startswith(("CREATE TABLE", "ALTER TABLE")):
            sql = unlimited_text(sql)
        return super().execute_sql(sql, params)

    def begin(self, isolation_level=None):
        super().begin(isolation_level)
        with __exception_wrapper__:
            self.cursor().execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))

    def execute(self, query, **context_options):
        ctx = self.get_sql_context(**context_options)
        sql, params = ctx.sql(query).query()
        if sql.startswith(("CREATE TABLE", "ALTER TABLE")):
            sql = unlimited_text(sql)
        return self._execute_cursor(sql, params)


def unlimited_text(ddl: str) -> str:
    """SQLite never enforces a column's length; so that a value saved on one is
    saved on the other, the server's text columns have no limit either (bangfu's
    own checks limit each field)."""
    return _VARCHAR.sub("VARCHAR", ddl)


_VARCHAR = re.compile(r"VARCHAR\(\d+\)")


def connect_params(url: str) -> tuple[str, dict]:
    """The database name and psycopg2's keyword arguments for ``url``."""
    from playhouse.db_url import parse

    params = parse(url, unquote_password=True, unquote_user=True)
    name = params.pop("database", "")
    params.setdefault("connect_timeout", 5)
    params.setdefault("application_name", "bangfu")
    return name, params


def make_database(url: str) -> ServerDatabase:
    name, params = connect_params(url)
    if not name:
        raise ValueError("no database name")
    db = ServerDatabase(name, **params)
    db.bangfu_url = safe_url(url)
    db.bangfu_backend = "postgresql"
    return db


def first_line(exc: BaseException) -> str:
    """An error's first line (libpq's messages never include the password)."""
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def error_code(exc: BaseException) -> str:
    """Why a server could not be opened: missing (no such database), auth, unreachable."""
    text = str(getattr(exc, "orig", None) or exc).lower()
    if "does not exist" in text and "database" in text:
        return "missing"
    if "password" in text or "authentication" in text or "role" in text:
        return "auth"
    return "unreachable"


_NOTIFY_FUNCTION = (
    "CREATE OR REPLACE FUNCTION bangfu_notify_change() RETURNS trigger "
    "LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_notify('" + CHANNEL + "', TG_TABLE_NAME); "
    "RETURN NULL; END $$")


def install_change_triggers(db) -> None:
    """A statement trigger on every bangfu table that tells listeners it changed.

    Run after every migration (new tables get theirs); idempotent.
    """
    db.execute_sql(_NOTIFY_FUNCTION)
    for table in db.get_tables():
        name = re.sub(r"[^a-z0-9_]", "", table)
        db.execute_sql(
            f'CREATE OR REPLACE TRIGGER "{name}_notify_change" '
            f'AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{name}" '
            "FOR EACH STATEMENT EXECUTE FUNCTION bangfu_notify_change()")


def reset_sequences(db) -> None:
    """After rows were written with their ids (the demo, a copy): each table's
    id sequence continues after its largest id."""
    for table in db.get_tables():
        name = re.sub(r"[^a-z0-9_]", "", table)
        if not any(c.name == "id" for c in db.get_columns(name)):
            continue
        db.execute_sql(
            f"SELECT setval(pg_get_serial_sequence('\"{name}\"', 'id'), "
            f'COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM "{name}"')


class Listener:
    """One idle connection LISTENing for ``bangfu_change``: ``stamp()`` is a number
    that grows whenever another connection commits a write.

    Checking reads only what the server has already sent (no query, no round
    trip).  A lost connection is opened again and counts as a change, so the
    caller looks properly once.
    """

    def __init__(self, url: str):
        self._url = url
        self._conn = None
        self._stamp = 0
        self._lock = threading.Lock()

    def _open(self):
        import psycopg2

        name, params = connect_params(self._url)
        conn = psycopg2.connect(dbname=name, **params)
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(f"LISTEN {CHANNEL}")
        return conn

    def stamp(self) -> int | None:
        """The change stamp now; None while the server cannot be reached."""
        with self._lock:
            try:
                if self._conn is None or self._conn.closed:
                    self._conn = self._open()
                    self._stamp += 1
                conn = self._conn
                if select.select([conn], [], [], 0)[0]:
                    conn.poll()
                if conn.notifies:
                    self._stamp += len(conn.notifies)
                    conn.notifies.clear()
            except Exception:  # psycopg2.Error, OSError: unreachable now
                self.close()
                return None
            return self._stamp

    def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.close()
            except Exception:
                pass


@dataclass
class ServerInfo:
    url: str
    version: str
    database: str
    size: int | None


def server_info(db) -> ServerInfo:
    version = db.execute_sql("SHOW server_version").fetchone()[0]
    name, size = db.execute_sql(
        "SELECT current_database(), pg_database_size(current_database())").fetchone()
    return ServerInfo(getattr(db, "bangfu_url", ""), version, name, size)
