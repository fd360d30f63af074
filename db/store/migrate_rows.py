"""The two databases' tables and rows for ``bangfu migrate-to`` (``db.store.migrate_to``).

Reading both schemas (the file's tables in copy order, the server's columns)
and checking they match; converting each of the file's values to what the
server's column stores (refused, never guessed: a value that does not fit
stops the copy); reading the file's rows in batches, in one order on both
sides, and the checksums that prove the server's copy equals the file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal

BATCH = 1000  # rows per read from the file and per INSERT on the server


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



# -- reading both schemas ---------------------------------------------------


@dataclass
class Column:
    name: str
    type: str  # the server's information_schema data_type
    length: int | None = None
    nullable: bool = True
    default: str = ""


def quote_name(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def source_tables(src) -> dict[str, list[str]]:
    """The file's tables: name -> primary key columns."""
    names = [n for (n,) in src.execute_sql(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' "
        "ESCAPE '\\' ORDER BY name")]
    tables = {}
    for name in names:
        info = src.execute_sql(f"PRAGMA table_info({quote_name(name)})").fetchall()
        tables[name] = [row[1] for row in sorted(info, key=lambda r: r[5]) if row[5]]
    return tables


def _source_columns(src, table: str) -> list[str]:
    return [row[1] for row in src.execute_sql(f"PRAGMA table_info({quote_name(table)})")]


def copy_order(src, tables) -> list[str]:
    """Parents before children (the file's foreign keys; the server's are the same
    migrations'), otherwise by name."""
    parents = {}
    for name in tables:
        rows = src.execute_sql(f"PRAGMA foreign_key_list({quote_name(name)})").fetchall()
        parents[name] = {row[2] for row in rows if row[2] != name and row[2] in tables}
    order: list[str]
    done: set[str]
    order, done = [], set()
    while len(order) < len(tables):
        ready = sorted(n for n in tables if n not in done and parents[n] <= done)
        if not ready:
            raise MigrateError("schema", "foreign keys form a cycle")
        order.extend(ready)
        done.update(ready)
    return order


def target_tables(cur) -> set[str]:
    cur.execute("SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'")
    return {name for (name,) in cur.fetchall()}


def target_columns(cur) -> dict[str, list[Column]]:
    cur.execute("SELECT table_name, column_name, data_type, character_maximum_length, "
                "is_nullable, COALESCE(column_default, '') FROM information_schema.columns "
                "WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position")
    columns: dict[str, list[Column]] = {}
    for table, name, kind, length, nullable, default in cur.fetchall():
        if name == "school_id":  # the server's own (db.store.district): never in a file
            continue
        columns.setdefault(table, []).append(
            Column(name, kind, length, nullable == "YES", default))
    return columns


def school_filter(school: int | None) -> str:
    """The rows of one school of a district database (None: every row)."""
    return "" if school is None else f' WHERE "school_id" = {int(school)}'


def count_rows(cur, tables, school: int | None = None) -> dict[str, int]:
    counts = {}
    for name in tables:
        cur.execute(f"SELECT COUNT(*) FROM {quote_name(name)}{school_filter(school)}")
        counts[name] = cur.fetchone()[0]
    return counts


def check_columns(src, tables, columns: dict[str, list[Column]]) -> None:
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


def hash_rows(digest, rows) -> None:
    encode = _ENCODER.encode
    digest.update("".join([encode(row) + "\n" for row in rows]).encode("utf-8"))


def _order_by(pk: list[str], columns: list[Column], server: bool) -> str:
    kinds = {c.name: c.type for c in columns}
    parts = []
    for name in pk:
        text = kinds.get(name) in ("character varying", "text", "character")
        # SQLite compares text byte by byte; the server's "C" collation does too
        parts.append(quote_name(name) + (' COLLATE "C"' if server and text else ""))
    return ", ".join(parts)


def read_source(src, table: str, columns: list[Column], pk: list[str]):
    """The file's rows, converted for the server, in primary-key order."""
    converters = [_converter(c) for c in columns]
    names = ", ".join(quote_name(c.name) for c in columns)
    cursor = src.execute_sql(f"SELECT {names} FROM {quote_name(table)} "
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


def target_checksum(cur, table: str, columns: list[Column], pk: list[str],
                    school: int | None = None) -> tuple[int, str]:
    names = ", ".join(quote_name(c.name) for c in columns)
    cur.execute(f"SELECT {names} FROM {quote_name(table)}{school_filter(school)} "
                f"ORDER BY {_order_by(pk, columns, True)}")
    digest, n = hashlib.sha256(), 0
    while True:
        rows = cur.fetchmany(BATCH * 5)
        if not rows:
            return n, digest.hexdigest()
        hash_rows(digest, rows)
        n += len(rows)


def source_checksum(src, table: str, columns: list[Column], pk: list[str]) -> tuple[int, str]:
    digest, n = hashlib.sha256(), 0
    for rows in read_source(src, table, columns, pk):
        hash_rows(digest, rows)
        n += len(rows)
    return n, digest.hexdigest()
