"""``bangfu migrate-to URL``: copy a school's database file into an empty PostgreSQL database.

What it does, in order:

1. Opens the file as any client would (the stored locking mode is checked,
   pending migrations applied) and the server database without changing it.
2. Looks at the target.  A database with no tables, or bangfu's tables and no
   rows, is copied into.  One whose every table already holds what the file
   holds (same rows, same checksum) is left alone: "already copied".  Anything
   else is refused and left as it was: other data is never overwritten, and
   nothing is ever dropped or emptied.
3. Asks (``confirm``), then copies in ONE transaction on the server: the
   schema (the same ``db/migrations`` scripts), every table in foreign-key
   order, each value converted to the server column's type (SQLite keeps
   dates as text and booleans as 0/1), the id sequences moved past the copied
   ids, and a check of every table's row count and checksum read back from
   the server.  Any failure rolls the whole transaction back: the target is
   as it was before.

The file is read inside one read transaction, so the copy is one consistent
moment of it.  ``schema_migration`` is not copied: both sides must have
applied the same scripts.

A table's checksum is sha256 over its rows in primary-key order, each row one
line of JSON (null, true/false, numbers, floats by ``repr``, text as is,
dates and times as ISO text); the file's side is computed over the values as converted for
the server, so equal checksums mean the server holds exactly that.

No Textual here; the command is ``tui.cli_server``.  The module binds
nothing: the models' ``database`` proxy is as it was when this returns.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Callable

from db.connection import HISTORY_TABLE, DatabaseError

BATCH = 1000  # rows per read from the file and per INSERT on the server
ProgressFn = Callable[[int, int], None]


class MigrateError(Exception):
    """The copy was refused or failed; nothing was changed on the target.

    ``code``: source_url (the source is not a file), target_url (the target
    is not a ``postgresql://`` URL), foreign (the target holds other tables),
    not_empty (other bangfu data), schema (the two schemas differ), orphans (the file has rows whose
    parent is gone), value (a value cannot be stored on the server: ``table``,
    ``column``, ``row``), copy (the server refused a write: ``detail``),
    source (the file could not be read), verify (the server's copy differs).
    """

    def __init__(self, code: str, detail: str = "", *, table: str = "", column: str = "",
                 row: str = "", tables: list | None = None):
        super().__init__(f"{code}: {table} {column} {row} {detail}".strip())
        self.code = code
        self.detail = detail
        self.table = table
        self.column = column
        self.row = row
        self.tables = tables or []  # TableFigures, for not_empty and verify


@dataclass
class TableFigures:
    name: str
    source_rows: int
    target_rows: int
    source_sum: str = ""
    target_sum: str = ""

    @property
    def equal(self) -> bool:
        return self.source_rows == self.target_rows and self.source_sum == self.target_sum


@dataclass
class Plan:
    """What will be copied: shown before asking."""

    source: str
    target: str  # without the password
    tables: list[tuple[str, int]]  # (name, rows) in copy order

    @property
    def rows(self) -> int:
        return sum(n for _, n in self.tables)


@dataclass
class Report:
    source: str
    target: str  # without the password
    status: str  # "copied", "already" (nothing changed) or "cancelled" (nothing changed)
    tables: list[TableFigures] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.status != "cancelled" and all(f.equal for f in self.tables)

    @property
    def rows(self) -> int:
        return sum(f.target_rows for f in self.tables)


# -- reading both schemas ---------------------------------------------------


@dataclass
class Column:
    name: str
    type: str  # the server's information_schema data_type
    length: int | None = None
    nullable: bool = True
    default: str = ""


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _source_tables(src) -> dict[str, list[str]]:
    """The file's tables: name -> primary key columns."""
    names = [n for (n,) in src.execute_sql(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' "
        "ESCAPE '\\' ORDER BY name")]
    tables = {}
    for name in names:
        info = src.execute_sql(f"PRAGMA table_info({_q(name)})").fetchall()
        tables[name] = [row[1] for row in sorted(info, key=lambda r: r[5]) if row[5]]
    return tables


def _source_columns(src, table: str) -> list[str]:
    return [row[1] for row in src.execute_sql(f"PRAGMA table_info({_q(table)})")]


def _copy_order(src, tables) -> list[str]:
    """Parents before children (the file's foreign keys; the server's are the same
    migrations'), otherwise by name."""
    parents = {}
    for name in tables:
        rows = src.execute_sql(f"PRAGMA foreign_key_list({_q(name)})").fetchall()
        parents[name] = {row[2] for row in rows if row[2] != name and row[2] in tables}
    order, done = [], set()
    while len(order) < len(tables):
        ready = sorted(n for n in tables if n not in done and parents[n] <= done)
        if not ready:
            raise MigrateError("schema", "foreign keys form a cycle")
        order.extend(ready)
        done.update(ready)
    return order


def _target_tables(cur) -> set[str]:
    cur.execute("SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'")
    return {name for (name,) in cur.fetchall()}


def _target_columns(cur) -> dict[str, list[Column]]:
    cur.execute("SELECT table_name, column_name, data_type, character_maximum_length, "
                "is_nullable, COALESCE(column_default, '') FROM information_schema.columns "
                "WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position")
    columns: dict[str, list[Column]] = {}
    for table, name, kind, length, nullable, default in cur.fetchall():
        columns.setdefault(table, []).append(
            Column(name, kind, length, nullable == "YES", default))
    return columns


def _counts(cur, tables) -> dict[str, int]:
    counts = {}
    for name in tables:
        cur.execute(f"SELECT COUNT(*) FROM {_q(name)}")
        counts[name] = cur.fetchone()[0]
    return counts


def _check_columns(src, tables, columns: dict[str, list[Column]]) -> None:
    """Every table of the file is on the server with exactly its columns."""
    for name in tables:
        if name not in columns:
            raise MigrateError("schema", "missing on the server", table=name)
        mine = set(_source_columns(src, name))
        theirs = {c.name for c in columns[name]}
        if mine != theirs:
            raise MigrateError("schema", ", ".join(sorted(mine ^ theirs)), table=name)


# -- values -------------------------------------------------------------------


class _Bad(Exception):
    """A value that cannot be stored in the server's column."""


def _to_bool(v):
    if isinstance(v, int) and v in (0, 1):
        return bool(v)
    raise _Bad


def _to_date(v):
    if isinstance(v, str):
        try:
            return dt.date.fromisoformat(v)
        except ValueError:
            pass
        try:
            when = dt.datetime.fromisoformat(v)
        except ValueError:
            raise _Bad from None
        if when.tzinfo is None and when.time() == dt.time(0):
            return when.date()  # "2026-11-20 00:00:00" in a date column: nothing is lost
    raise _Bad


def _to_datetime(v):
    if isinstance(v, str):
        try:
            when = dt.datetime.fromisoformat(v)
        except ValueError:
            raise _Bad from None
        if when.tzinfo is None:
            return when
    raise _Bad


def _to_float(v):
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return float(v)
    raise _Bad


def _to_int(v):
    if isinstance(v, int) and not isinstance(v, bool) and -2 ** 63 <= v < 2 ** 63:
        return v
    raise _Bad


def _text(length):
    def convert(v):
        if isinstance(v, str) and "\x00" not in v and (length is None or len(v) <= length):
            return v
        raise _Bad
    return convert


def _converter(col: Column):
    kind = col.type
    if kind == "boolean":
        convert = _to_bool
    elif kind == "date":
        convert = _to_date
    elif kind.startswith("timestamp"):
        convert = _to_datetime
    elif kind in ("double precision", "real", "numeric"):
        convert = _to_float
    elif kind in ("integer", "bigint", "smallint"):
        convert = _to_int
    elif kind in ("character varying", "text", "character"):
        convert = _text(col.length)
    else:
        raise MigrateError("schema", f"column type {kind}", column=col.name)
    nullable = col.nullable

    def convert_or_null(v):
        if v is None:
            if nullable:
                return None
            raise _Bad
        return convert(v)

    return convert_or_null


def _default(v):
    """How the checksum writes what JSON has no form for (the same on both sides)."""
    if isinstance(v, (dt.datetime, dt.date, dt.time)):
        return v.isoformat()
    if isinstance(v, (bytes, memoryview)):
        return bytes(v).hex()
    if isinstance(v, Decimal):
        return str(v)
    raise TypeError(type(v).__name__)


# a row as the checksum sees it: JSON (null, true/false, numbers, floats by repr,
# text as is, dates and times in ISO form), one line per row
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=_default)


def _hash_rows(digest, rows) -> None:
    encode = _ENCODER.encode
    digest.update("".join([encode(row) + "\n" for row in rows]).encode("utf-8"))


def _order_by(pk: list[str], columns: list[Column], server: bool) -> str:
    kinds = {c.name: c.type for c in columns}
    parts = []
    for name in pk:
        text = kinds.get(name) in ("character varying", "text", "character")
        # SQLite compares text byte by byte; the server's "C" collation does too
        parts.append(_q(name) + (' COLLATE "C"' if server and text else ""))
    return ", ".join(parts)


def _read_source(src, table: str, columns: list[Column], pk: list[str]):
    """The file's rows, converted for the server, in primary-key order."""
    converters = [_converter(c) for c in columns]
    names = ", ".join(_q(c.name) for c in columns)
    cursor = src.execute_sql(f"SELECT {names} FROM {_q(table)} "
                             f"ORDER BY {_order_by(pk, columns, False)}")
    where_pk = [i for i, c in enumerate(columns) if c.name in pk]
    while True:
        raw = cursor.fetchmany(BATCH)
        if not raw:
            return
        out = []
        for row in raw:
            try:
                out.append([c(v) for c, v in zip(converters, row)])
            except _Bad:
                for c, col, v in zip(converters, columns, row):
                    try:
                        c(v)
                    except _Bad:
                        raise MigrateError("value", col.type, table=table, column=col.name,
                                           row=",".join(str(row[i]) for i in where_pk)) from None
                raise
        yield out


def _target_sum(cur, table: str, columns: list[Column], pk: list[str]) -> tuple[int, str]:
    names = ", ".join(_q(c.name) for c in columns)
    cur.execute(f"SELECT {names} FROM {_q(table)} ORDER BY {_order_by(pk, columns, True)}")
    digest, n = hashlib.sha256(), 0
    while True:
        rows = cur.fetchmany(BATCH * 5)
        if not rows:
            return n, digest.hexdigest()
        _hash_rows(digest, rows)
        n += len(rows)


def _source_sum(src, table: str, columns: list[Column], pk: list[str]) -> tuple[int, str]:
    digest, n = hashlib.sha256(), 0
    for rows in _read_source(src, table, columns, pk):
        _hash_rows(digest, rows)
        n += len(rows)
    return n, digest.hexdigest()


# -- the copy -------------------------------------------------------------------


def _check_orphans(src) -> None:
    rows = src.execute_sql("PRAGMA foreign_key_check").fetchall()
    if rows:
        tables = sorted({r[0] for r in rows})
        raise MigrateError("orphans", str(len(rows)), table=", ".join(tables))


def _compare(src, cur, order, source_pk, columns) -> list[TableFigures]:
    figures = []
    for name in order:
        cols = columns[name]
        n_src, s_src = _source_sum(src, name, cols, source_pk[name])
        n_tgt, s_tgt = _target_sum(cur, name, cols, source_pk[name])
        figures.append(TableFigures(name, n_src, n_tgt, s_src, s_tgt))
    return figures


def _reset_sequences(cur, order, columns) -> None:
    for name in order:
        for col in columns[name]:
            if col.default.startswith("nextval("):
                c = _q(col.name)
                cur.execute(f"SELECT setval(pg_get_serial_sequence(%s, %s), "
                            f"COALESCE(MAX({c}), 1), MAX({c}) IS NOT NULL) FROM {_q(name)}",
                            (_q(name), col.name))


def migrate_to(source_path, target_url: str, progress: ProgressFn | None = None, *,
               locking: str = "posix", confirm: Callable[[Plan], bool] | None = None) -> Report:
    """Copy the file at ``source_path`` into the empty server database ``target_url``.

    ``confirm(plan)`` is asked before anything is written (None: go ahead);
    ``progress(done, total)`` is told rows copied.  Raises
    ``db.connection.DatabaseError`` when either side cannot be opened and
    ``MigrateError`` when the copy is refused or fails (the target unchanged).
    """
    import sqlite3

    import psycopg2
    from peewee import DatabaseError as PeeweeError

    from db.config import is_server_url
    from db.connection import open_database
    from db.models import database

    if is_server_url(source_path):
        raise MigrateError("source_url")
    if not is_server_url(target_url):
        raise MigrateError("target_url")
    started = time.perf_counter()
    bound = database.obj
    src = tgt = None
    try:
        src = open_database(source_path, locking=locking)  # checks the file, migrates it
        tgt = open_database(target_url, migrate=False)
        shown = tgt.bangfu_url
        try:
            return _migrate(src, tgt, str(source_path), shown, progress, confirm, started)
        except (MigrateError, DatabaseError):
            raise
        except (PeeweeError, sqlite3.Error, psycopg2.Error) as exc:  # failed under us
            raise _failure(exc) from None
    finally:
        for db in (src, tgt):
            if db is not None and not db.is_closed():
                try:
                    db.close()
                except Exception:
                    pass
        database.initialize(bound)


def _failure(exc: BaseException) -> MigrateError:
    """A database error during the copy: the file's (source) or the server's (copy)."""
    import sqlite3

    from db.server import first_line

    cause = getattr(exc, "orig", None) or exc.__cause__ or exc.__context__ or exc
    if isinstance(exc, sqlite3.Error) or isinstance(cause, sqlite3.Error):
        return MigrateError("source", first_line(exc))
    return MigrateError("copy", first_line(exc))


def _migrate(src, tgt, source: str, shown: str, progress, confirm, started) -> Report:
    from db.connection import applied_migrations, known_migrations, migrate_database

    report = progress or (lambda done, total: None)
    source_pk = _source_tables(src)
    source_pk.pop(HISTORY_TABLE, None)
    for name, pk in source_pk.items():
        if not pk:
            raise MigrateError("schema", "no primary key", table=name)
    order = _copy_order(src, source_pk)
    mine = applied_migrations(src)
    cur = tgt.cursor()

    # -- 1. look, change nothing --
    present = _target_tables(cur)
    if present and HISTORY_TABLE not in present:
        raise MigrateError("foreign", ", ".join(sorted(present)[:5]))
    if present:
        theirs = applied_migrations(tgt)
        unknown = theirs - set(known_migrations())
        if unknown:  # made by a newer bangfu: as any client would, refuse it
            raise DatabaseError("newer", shown, ", ".join(sorted(unknown)))
        others = present - set(source_pk) - {HISTORY_TABLE}
        if others:
            raise MigrateError("foreign", ", ".join(sorted(others)[:5]))
        counts = _counts(cur, [n for n in order if n in present])
        if any(counts.values()):
            return _already_or_refuse(src, cur, order, source_pk, mine, theirs, counts,
                                      source, shown, started)
    _check_orphans(src)
    with src.atomic("DEFERRED"):
        source_counts = _counts(src.cursor(), order)
    plan = Plan(source, shown, [(n, source_counts[n]) for n in order])
    if confirm is not None and not confirm(plan):
        return Report(source, shown, "cancelled", seconds=time.perf_counter() - started)

    # -- 2. one transaction on the server: schema, rows, sequences, check --
    with tgt.atomic():
        # a district's copy may take minutes: no per-statement bound for it (a
        # save's bounds, db.server, stay for everyone else)
        tgt.execute_sql("SET LOCAL statement_timeout = 0")
        migrate_database(tgt)  # the same scripts as every client (a savepoint in here)
        cur = tgt.cursor()
        if applied_migrations(tgt) != mine:
            raise MigrateError("schema", "schema_migration")
        columns = _target_columns(cur)
        _check_columns(src, order, columns)
        # nobody else writes while this copies (reading stays possible)
        cur.execute("LOCK TABLE " + ", ".join(_q(n) for n in order) + " IN EXCLUSIVE MODE")
        counts = _counts(cur, order)
        if any(counts.values()):  # someone wrote since the look above
            raise MigrateError("not_empty", tables=[
                TableFigures(n, source_counts[n], counts[n]) for n in order if counts[n]])
        figures = _copy(src, cur, order, source_pk, columns, report)
        _reset_sequences(cur, order, columns)
        for f in figures:
            f.target_rows, f.target_sum = _target_sum(cur, f.name, columns[f.name],
                                                      source_pk[f.name])
        if not all(f.equal for f in figures):
            raise MigrateError("verify", tables=figures)  # rolls everything back
    return Report(source, shown, "copied", figures, time.perf_counter() - started)


def _copy(src, cur, order, source_pk, columns, report) -> list[TableFigures]:
    from psycopg2.extras import execute_values

    with src.atomic("DEFERRED"):  # one consistent moment of the file
        total = sum(_counts(src.cursor(), order).values())
        done = 0
        report(done, total)
        figures = []
        for name in order:
            cols = columns[name]
            sql = (f"INSERT INTO {_q(name)} ({', '.join(_q(c.name) for c in cols)}) "
                   "VALUES %s")
            digest, n = hashlib.sha256(), 0
            for rows in _read_source(src, name, cols, source_pk[name]):
                execute_values(cur, sql, rows, page_size=BATCH)
                _hash_rows(digest, rows)
                n += len(rows)
                done += len(rows)
                report(done, total)
            figures.append(TableFigures(name, n, 0, digest.hexdigest()))
        report(total, total)
    return figures


def _already_or_refuse(src, cur, order, source_pk, mine, theirs, counts, source, shown,
                       started) -> Report:
    """The target holds data: the same as the file's (nothing to do), or other (refused)."""
    if theirs != mine:
        raise MigrateError("schema", "schema_migration")
    columns = _target_columns(cur)
    _check_columns(src, order, columns)
    with src.atomic("DEFERRED"):
        figures = _compare(src, cur, order, source_pk, columns)
    if all(f.equal for f in figures):
        return Report(source, shown, "already", figures, time.perf_counter() - started)
    raise MigrateError("not_empty", tables=[f for f in figures if not f.equal])
