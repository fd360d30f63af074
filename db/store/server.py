"""The same bangfu on a PostgreSQL server: opening it, keeping it fresh, telling about it.

A school that outgrows one file on a share points every client at a server
instead: ``--db postgresql://user@host:5432/bangfu`` (or ``BANGFU_DB``, or
``db = "..."`` in the config).  Credentials come from the URL, ``PGPASSWORD``
or ``~/.pgpass`` (libpq reads both); ``safe_url`` is what is ever shown.

Everything else is the same as on SQLite: one schema and one migration
history (``db/migrations``, which branch where the two dialects differ), the
same models and rules.  What is the file's business only (locking modes,
journals beside the file, backups by copying the file) stays in
``db.store.connection`` and ``db.store.storage``; the server does those things itself.

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

Every wait is bounded (one stalled client must never hold up the school):
the write lock and any row lock (``LOCK_WAIT_MS``), a statement
(``STATEMENT_TIMEOUT_MS``), a client that stops inside its transaction (the
server ends its session after ``IDLE_IN_TRANSACTION_MS`` and so frees the
lock), a connection attempt (``CONNECT_TIMEOUT_S``) and a silent network (TCP
keepalives, ``TCP_USER_TIMEOUT_MS``).  Past a bound the save fails, and the
entry waits in the outbox (``outage_kind`` says why).

A connection the server dropped (restart, a terminated backend, the network)
is never used again: the next statement outside a transaction opens a fresh
one.  A save cut off inside its transaction raises; when the COMMIT had been
sent the outcome is unknown (``outage_kind`` → "unknown") and the entry
waits in the outbox: its UUID makes the later flush write it once.
"""

from __future__ import annotations

import re
import select
import threading
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

from peewee import InterfaceError, PostgresqlDatabase, __exception_wrapper__  # type: ignore[attr-defined]

CHANNEL = "bangfu_change"
WRITE_LOCK = 0x62616E66  # pg_advisory_xact_lock key: one write transaction at a time

# -- every wait bounded (README: Moving to a database server) --------------------------
LOCK_WAIT_MS = 12_000  # lock_timeout: the longest a save waits for the write lock (or a row)
STATEMENT_TIMEOUT_MS = 60_000  # statement_timeout: bangfu's statements take milliseconds
IDLE_IN_TRANSACTION_MS = 20_000  # a client stopped inside its transaction: the server ends
#                                  its session, so its lock is free again (> LOCK_WAIT_MS)
CONNECT_TIMEOUT_S = 5  # connect_timeout
KEEPALIVE_IDLE_S, KEEPALIVE_INTERVAL_S, KEEPALIVE_COUNT = 10, 5, 3  # a dead peer: ~25 s
TCP_USER_TIMEOUT_MS = 30_000  # data sent and never acknowledged (a pulled cable)


class BadUrl(ValueError):
    """A server URL that cannot be read unambiguously; the message never quotes it."""


def _split_url(url: str) -> tuple[str, str, bool, str, bool]:
    """``(scheme, user, has_password, rest, readable)`` of a server URL, read the way
    that can never show a password: ``rest`` is what follows the credentials.

    A password must be percent-encoded; written plainly, a ``/``, ``?`` or ``#`` in
    it ends the host part early and every URL parser reads part of the password
    as the host or path.  So an ``@`` after the host part makes the URL unreadable
    (``readable`` False): everything up to the last ``@`` counts as credentials.
    """
    scheme, _, rest = url.partition("://")
    ends = [i for i in (rest.find(c) for c in "/?#") if i >= 0]
    end = min(ends, default=len(rest))
    last = rest.rfind("@")
    if last < 0:
        return scheme, "", False, rest, True
    readable = last < end
    userinfo, rest = rest[:last], rest[last + 1:]
    user, colon, _ = userinfo.partition(":")
    if not readable and not re.fullmatch(r"[\w.\-]+", user):
        user = ""
    return scheme, user, bool(colon), rest, readable


def _without_password_parameter(rest: str) -> str:
    """``host/db?password=…&sslmode=require`` without its password parameter."""
    base, hash_, fragment = rest.partition("#")
    base, question, query = base.partition("?")
    if question:
        pairs = parse_qsl(query, keep_blank_values=True)
        if any(k.strip().lower() == "password" for k, _ in pairs):
            query = urlencode([(k, v) for k, v in pairs if k.strip().lower() != "password"])
        base += f"?{query}" if query else ""
    return base + (hash_ + fragment if hash_ else "")


def safe_url(url: str) -> str:
    """The URL with any password removed: the only form ever printed or stored.

    Whatever the password's characters (``/ # ? @ :``, percent-encoded or not),
    none of it is in the result: when the URL cannot be read, everything before
    its last ``@`` but the user name is left out.
    """
    scheme, user, _, rest, _ = _split_url(str(url))
    rest = _without_password_parameter(rest)
    return f"{scheme}://" + (f"{user}@" if user else "") + rest


def check_url(url: str) -> None:
    """``BadUrl`` unless ``url`` reads unambiguously (its messages never quote it)."""
    if not _split_url(url)[4]:
        raise BadUrl("the URL cannot be read: a password with / # ? @ : or % in it must be "
                      "written percent-encoded")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises for a port that is not a number
    except ValueError:
        raise BadUrl("the URL cannot be read: the host or port is not valid") from None


_NAMED = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")


def to_pyformat(sql: str, named: bool = False) -> str:
    """SQLite's parameter style (``?``, or ``:name`` with a dict) in psycopg2's."""
    sql = sql.replace("%", "%%")
    if named:
        return _NAMED.sub(r"%(\1)s", sql)
    return sql.replace("?", "%s")


class ServerDatabase(PostgresqlDatabase):
    """PostgreSQL with bangfu's conventions: SQLite's placeholders in hand-written SQL,
    one writer at a time, and a dropped connection replaced, never reused."""

    bangfu_url: str  # set by make_database: the URL without its password
    bangfu_backend: str
    bangfu_kind: str  # set by open_server on a district server: "school", "office", "owner" or ""

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

    def _lost(self) -> bool:
        """True when this thread's connection was dropped by the server or the network."""
        conn = (None if self._state.closed  # type: ignore[attr-defined]  # peewee's; not in its stubs
                else self._state.conn)  # type: ignore[attr-defined]
        return conn is not None and bool(conn.closed)

    def connect(self, reuse_if_open=False):
        try:
            return super().connect(reuse_if_open)
        except Exception as exc:  # never reached the server: nothing was written
            exc.bangfu_outcome = "unreachable"
            raise

    def cursor(self, named_cursor=None):
        if self._lost() and not self.in_transaction():
            # dropped since the last statement (a restart, a terminated backend):
            # a fresh connection for the next attempt, never the dead one.  Inside a
            # transaction the error stands: its earlier statements died with it.
            # An open ``connection_context`` stays open (peewee forgets it on connect).
            held = self._state.ctx
            try:
                self.close()
                self.connect()
            finally:
                self._state.ctx = held
        return super().cursor(named_cursor)

    def begin(self, isolation_level=None):
        super().begin(isolation_level)
        try:
            with __exception_wrapper__:  # waits at most LOCK_WAIT_MS (lock_timeout)
                self._state.conn.cursor().execute("SELECT pg_advisory_xact_lock(%s)",
                                                  (WRITE_LOCK,))
        except Exception:
            self.rollback()  # the BEGIN above must not stay open (nothing was written)
            raise

    def commit(self):
        # never through ``cursor``: a COMMIT on a fresh connection would "succeed"
        # with nothing to commit
        if self._state.closed:
            raise InterfaceError("the connection was closed before the commit")
        conn = self._state.conn
        try:
            with __exception_wrapper__:
                conn.cursor().execute("COMMIT")
        except Exception as exc:
            if conn.closed:  # the COMMIT was sent; its reply never came
                exc.bangfu_outcome = "unknown"
            raise

    def rollback(self):
        if self._state.closed:
            raise InterfaceError("Cannot rollback, database connection not open.")
        if self._lost():
            return  # the server ends a lost connection's transaction itself
        try:
            with __exception_wrapper__:
                self._state.conn.cursor().execute("ROLLBACK")
        except Exception:
            if not self._lost():
                raise
            # lost while rolling back: the error that led here is the one to report

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


def connect_params(url: str, *, bounded: bool = True) -> tuple[str, dict]:
    """The database name and psycopg2's keyword arguments for ``url``
    (``BadUrl`` for a URL that cannot be read).  ``bounded``: with the timeouts
    above (the server's own through ``options``, the rest libpq's)."""
    from playhouse.db_url import parse

    check_url(url)
    try:
        params = parse(url, unquote_password=True, unquote_user=True)
    except ValueError:
        raise BadUrl("the URL cannot be read") from None
    name = unquote(params.pop("database", "") or "")
    params.setdefault("connect_timeout", CONNECT_TIMEOUT_S)
    params.setdefault("application_name", "bangfu")
    if bounded:
        for key, value in (("keepalives", 1), ("keepalives_idle", KEEPALIVE_IDLE_S),
                           ("keepalives_interval", KEEPALIVE_INTERVAL_S),
                           ("keepalives_count", KEEPALIVE_COUNT),
                           ("tcp_user_timeout", TCP_USER_TIMEOUT_MS)):
            params.setdefault(key, value)
        server = (f"-c lock_timeout={LOCK_WAIT_MS} -c statement_timeout={STATEMENT_TIMEOUT_MS} "
                  f"-c idle_in_transaction_session_timeout={IDLE_IN_TRANSACTION_MS}")
        given = params.get("options")
        params["options"] = f"{server} {given}" if given else server  # the URL's own win
    return name, params


def make_database(url: str) -> ServerDatabase:
    name, params = connect_params(url)
    if not name:
        raise BadUrl("no database name")
    db = ServerDatabase(name, **params)
    db.bangfu_url = safe_url(url)
    db.bangfu_backend = "postgresql"
    return db


def first_line(exc: BaseException) -> str:
    """An error's first line (libpq's messages never include the password)."""
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else ""  # never an exception's name


def error_code(exc: BaseException) -> str:
    """Why a server could not be opened: missing (no such database), auth,
    server_full (out of disk space or another resource), unreachable."""
    text = str(getattr(exc, "orig", None) or exc).lower()
    if outage_kind(exc) in ("disk_full", "resources"):
        return "server_full"
    if "does not exist" in text and "database" in text:
        return "missing"
    if "password" in text or "authentication" in text or "role" in text:
        return "auth"
    return "unreachable"


# -- why a save could not be written (the entry then waits in the outbox) ------------------
_LOST_CODES = ("57P01", "57P02", "57P03", "25P03")  # terminated, crash, starting, idle timeout


def outage_kind(exc: BaseException) -> str:
    """Why a write failed, for the person's message and the outbox:

    - "disk_full": the server is out of disk space (SQLSTATE 53100);
    - "resources": the server is short of memory or connections (class 53);
    - "unknown": the connection was lost after the COMMIT was sent: the entry
      may have been written (its UUID keeps the later flush from writing it twice);
    - "busy": the write lock (or a row) was held longer than ``LOCK_WAIT_MS``;
    - "slow": a statement ran past ``STATEMENT_TIMEOUT_MS``;
    - "lost": the connection was lost inside the save, before its COMMIT: not written;
    - "unreachable": anything else (the server, or the file, cannot be reached).
    """
    from db.store.failures import error_chain

    chain = error_chain(exc)
    codes = [getattr(e, "pgcode", None) or "" for e in chain]
    if "53100" in codes:
        return "disk_full"
    if any(c.startswith("53") for c in codes):
        return "resources"
    outcomes = {getattr(e, "bangfu_outcome", "") for e in chain}
    if "unknown" in outcomes:
        return "unknown"
    if "55P03" in codes:
        return "busy"
    if "57014" in codes:
        return "slow"
    if "unreachable" in outcomes:
        return "unreachable"
    for e, code in zip(chain, codes):
        # the driver's own word for a connection that went away (no SQLSTATE: the
        # server said nothing, the socket closed)
        dropped = (type(e).__module__.split(".")[0] == "psycopg2" and not code
                   and type(e).__name__ in ("InterfaceError", "OperationalError"))
        if code in _LOST_CODES or code.startswith("08") or dropped:
            return "lost"
    return "unreachable"


# the payload is "SCHOOL:TABLE": the writer's school on a district server
# (db.store.district; "" when it has none), so a school's clients skip the others'
_NOTIFY_FUNCTION = (
    "CREATE OR REPLACE FUNCTION bangfu_notify_change() RETURNS trigger "
    "LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_notify('" + CHANNEL + "', "
    "{school} || ':' || TG_TABLE_NAME); RETURN NULL; END $$")


def install_change_triggers(db) -> None:
    """A statement trigger on every bangfu table that tells listeners it changed.

    Run after every migration (new tables get theirs); idempotent.
    """
    tables = db.get_tables()
    district = "school" in tables and "bangfu_client" in tables  # schema 16's functions
    db.execute_sql(_NOTIFY_FUNCTION.format(
        school="COALESCE(bangfu_row_school()::text, '')" if district else "''"))
    for table in tables:
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
        self._conn: Any = None  # a psycopg2 connection
        self._stamp = 0
        self._lock = threading.Lock()
        self._school = ""  # on a district server: this role's school (others' writes skipped)

    def _open(self):
        import psycopg2

        name, params = connect_params(self._url)
        conn = psycopg2.connect(dbname=name, **params)
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(f"LISTEN {CHANNEL}")
            cur.execute("SELECT to_regproc('bangfu_school_of') IS NOT NULL")
            if cur.fetchone()[0]:
                cur.execute("SELECT bangfu_school_of(current_user::text)")
                self._school = str(cur.fetchone()[0] or "")
        return conn

    def _mine(self, payload: str) -> bool:
        """A write this client should look at: its own school's, or one of no school."""
        school = payload.partition(":")[0] if ":" in payload else ""
        return not self._school or school in ("", self._school)

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
                    self._stamp += sum(1 for n in conn.notifies if self._mine(n.payload))
                    conn.notifies.clear()
            except Exception:  # noqa: BLE001 - psycopg2.Error, OSError: unreachable now
                self.close()
                return None
            return self._stamp

    def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.close()
            except Exception:  # noqa: BLE001 - a connection already lost: nothing to close
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
