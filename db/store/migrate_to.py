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

import hashlib
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, cast

from db.store.connection import HISTORY_TABLE, DatabaseError
from db.store.migrate_rows import (BATCH, MigrateError, check_columns, copy_order, count_rows, hash_rows,
                             quote_name, read_source, source_checksum, source_tables, target_checksum,
                             target_columns, target_tables)

if TYPE_CHECKING:
    from db.store.server import ServerDatabase

ProgressFn = Callable[[int, int], None]


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


# -- the copy -------------------------------------------------------------------


def _check_orphans(src) -> None:
    rows = src.execute_sql("PRAGMA foreign_key_check").fetchall()
    if rows:
        tables = sorted({r[0] for r in rows})
        raise MigrateError("orphans", str(len(rows)), table=", ".join(tables))


def _compare(src, cur, order, source_pk, columns, school) -> list[TableFigures]:
    figures = []
    for name in order:
        cols = columns[name]
        n_src, s_src = source_checksum(src, name, cols, source_pk[name])
        n_tgt, s_tgt = target_checksum(cur, name, cols, source_pk[name], school)
        figures.append(TableFigures(name, n_src, n_tgt, s_src, s_tgt))
    return figures


def _reset_sequences(cur, order, columns) -> None:
    for name in order:
        for col in columns[name]:
            if col.default.startswith("nextval("):
                c = quote_name(col.name)
                cur.execute(f"SELECT setval(pg_get_serial_sequence(%s, %s), "
                            f"COALESCE(MAX({c}), 1), MAX({c}) IS NOT NULL) FROM {quote_name(name)}",
                            (quote_name(name), col.name))


def migrate_to(source_path, target_url: str, progress: ProgressFn | None = None, *,
               locking: str = "posix", confirm: Callable[[Plan], bool] | None = None,
               school: str = "") -> Report:
    """Copy the file at ``source_path`` into the empty server database ``target_url``;
    with ``school``, in as that school of a district database, beside the others
    (its rows keep their ids: each school's keys are its own, ``db.store.district``).

    ``confirm(plan)`` is asked before anything is written (None: go ahead);
    ``progress(done, total)`` is told rows copied.  Raises
    ``db.store.connection.DatabaseError`` when either side cannot be opened and
    ``MigrateError`` when the copy is refused or fails (the target unchanged).
    """
    import sqlite3

    import psycopg2
    from peewee import DatabaseError as PeeweeError

    from db.config import is_server_url
    from db.store.connection import open_database
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
        tgt = cast("ServerDatabase", open_database(target_url, migrate=False, owner=True))
        shown = tgt.bangfu_url
        try:
            return _migrate(src, tgt, str(source_path), shown, progress, confirm, started,
                            school)
        except (MigrateError, DatabaseError):
            raise
        except (PeeweeError, sqlite3.Error, psycopg2.Error) as exc:  # failed under us
            raise _failure(exc) from None
    finally:
        for db in (src, tgt):
            if db is not None and not db.is_closed():
                try:
                    db.close()
                except Exception:  # noqa: BLE001 - closing after a failure: the failure is what counts
                    pass
        database.initialize(bound)


def _failure(exc: BaseException) -> MigrateError:
    """A database error during the copy: the file's (source) or the server's (copy)."""
    import sqlite3

    from db.store.server import first_line

    cause = getattr(exc, "orig", None) or exc.__cause__ or exc.__context__ or exc
    if isinstance(exc, sqlite3.Error) or isinstance(cause, sqlite3.Error):
        return MigrateError("source", first_line(exc))
    return MigrateError("copy", first_line(exc))


def _target_school(tgt, present: set[str], school: str) -> int | None:
    """Which school's rows the copy is compared with: the one named (-1: a new one,
    no rows yet), else the only school there is; several without a name: refused."""
    from db.store import district

    if "school" not in present:
        return None
    listed = district.schools(tgt)
    if school:
        return next((s.id for s in listed if s.name == school), -1)
    if len(listed) > 1:
        raise MigrateError("schools", ", ".join(s.name for s in listed[:5]))
    return listed[0].id if listed else None


def _migrate(src, tgt, source: str, shown: str, progress, confirm, started,
             school_name: str = "") -> Report:
    from db.store import district
    from db.store.connection import applied_migrations, known_migrations, migrate_database

    report = progress or (lambda done, total: None)
    source_pk = source_tables(src)
    source_pk.pop(HISTORY_TABLE, None)
    for name, pk in source_pk.items():
        if not pk:
            raise MigrateError("schema", "no primary key", table=name)
    order = copy_order(src, source_pk)
    mine = applied_migrations(src)
    cur = tgt.cursor()

    # -- 1. look, change nothing --
    present = target_tables(cur)
    if present and HISTORY_TABLE not in present:
        raise MigrateError("foreign", ", ".join(sorted(present)[:5]))
    if present:
        theirs = applied_migrations(tgt)
        unknown = theirs - set(known_migrations())
        if unknown:  # made by a newer bangfu: as any client would, refuse it
            raise DatabaseError("newer", shown, ", ".join(sorted(unknown)))
        others = present - set(source_pk) - {HISTORY_TABLE, *district.SERVER_TABLES}
        if others:
            raise MigrateError("foreign", ", ".join(sorted(others)[:5]))
        school = _target_school(tgt, present, school_name)
        counts = count_rows(cur, [n for n in order if n in present], school)
        if any(counts.values()):
            return _already_or_refuse(src, cur, order, source_pk, mine, theirs, counts,
                                      source, shown, started, school)
    _check_orphans(src)
    with src.atomic("DEFERRED"):
        source_counts = count_rows(src.cursor(), order)
    plan = Plan(source, shown, [(n, source_counts[n]) for n in order])
    if confirm is not None and not confirm(plan):
        return Report(source, shown, "cancelled", seconds=time.perf_counter() - started)

    # -- 2. one transaction on the server: schema, rows, sequences, check --
    with tgt.atomic():
        # a district's copy may take minutes: no per-statement bound for it (a
        # save's bounds, db.store.server, stay for everyone else)
        tgt.execute_sql("SET LOCAL statement_timeout = 0")
        migrate_database(tgt)  # the same scripts as every client (a savepoint in here)
        cur = tgt.cursor()
        if applied_migrations(tgt) != mine:
            raise MigrateError("schema", "schema_migration")
        columns = target_columns(cur)
        check_columns(src, order, columns)
        # nobody else writes while this copies (reading stays possible)
        cur.execute("LOCK TABLE " + ", ".join(quote_name(n) for n in order) + " IN EXCLUSIVE MODE")
        school = None
        if district.has_schools(tgt):
            if school_name:
                chosen = district.add_school(tgt, school_name)
            elif district.school_count(tgt) == 1:
                chosen = district.schools(tgt)[0]
            else:
                raise MigrateError("schools", ", ".join(s.name for s in district.schools(tgt)[:5]))
            district.use_school(tgt, chosen)  # the copied rows are this school's
            school = chosen.id
        counts = count_rows(cur, order, school)
        if any(counts.values()):  # someone wrote since the look above
            raise MigrateError("not_empty", tables=[
                TableFigures(n, source_counts[n], counts[n]) for n in order if counts[n]])
        figures = _copy(src, cur, order, source_pk, columns, report, school)
        _reset_sequences(cur, order, columns)
        for f in figures:
            f.target_rows, f.target_sum = target_checksum(cur, f.name, columns[f.name],
                                                          source_pk[f.name], school)
        if not all(f.equal for f in figures):
            raise MigrateError("verify", tables=figures)  # rolls everything back
    return Report(source, shown, "copied", figures, time.perf_counter() - started)


def _copy(src, cur, order, source_pk, columns, report,
          school: int | None = None) -> list[TableFigures]:
    from psycopg2.extras import execute_values

    # the school written with each row (the column's default would work it out
    # again for every row)
    extra = "" if school is None else ', "school_id"'

    with src.atomic("DEFERRED"):  # one consistent moment of the file
        total = sum(count_rows(src.cursor(), order).values())
        done = 0
        report(done, total)
        figures = []
        for name in order:
            cols = columns[name]
            sql = (f"INSERT INTO {quote_name(name)} ({', '.join(quote_name(c.name) for c in cols)}"
                   f"{extra}) VALUES %s")
            template = ("(" + ", ".join(["%s"] * len(cols))
                        + ("" if school is None else f", {int(school)}") + ")")
            digest, n = hashlib.sha256(), 0
            for rows in read_source(src, name, cols, source_pk[name]):
                execute_values(cur, sql, rows, template=template, page_size=BATCH)
                hash_rows(digest, rows)
                n += len(rows)
                done += len(rows)
                report(done, total)
            figures.append(TableFigures(name, n, 0, digest.hexdigest()))
        report(total, total)
    return figures


def _already_or_refuse(src, cur, order, source_pk, mine, theirs, counts, source, shown,
                       started, school) -> Report:
    """The target holds data: the same as the file's (nothing to do), or other (refused)."""
    if theirs != mine:
        raise MigrateError("schema", "schema_migration")
    columns = target_columns(cur)
    check_columns(src, order, columns)
    with src.atomic("DEFERRED"):
        figures = _compare(src, cur, order, source_pk, columns, school)
    if all(f.equal for f in figures):
        return Report(source, shown, "already", figures, time.perf_counter() - started)
    raise MigrateError("not_empty", tables=[f for f in figures if not f.equal])
