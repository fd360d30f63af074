"""Schema migrations, one history for SQLite and PostgreSQL.

The scripts are frozen: what they do to an SQLite file never changes.  Where
the two dialects differ, a script writes its SQLite DDL and passes it through
``table_sql`` (or asks ``on_server``), so a PostgreSQL database gets the same
tables with the server's types.
"""

from __future__ import annotations

from peewee import PostgresqlDatabase


def on_server(db) -> bool:
    return isinstance(db, PostgresqlDatabase)


def table_sql(db, sql: str) -> str:
    """SQLite's CREATE TABLE text in the server's words (on SQLite: as it is).

    INTEGER PRIMARY KEY (SQLite's rowid) becomes SERIAL, DATETIME TIMESTAMP and
    REAL DOUBLE PRECISION (SQLite's REAL is 8 bytes; the server's only 4).
    (The server's connection drops every VARCHAR's length: ``db.store.server``.)
    """
    if not on_server(db):
        return sql
    return (sql.replace('"id" INTEGER NOT NULL PRIMARY KEY', '"id" SERIAL NOT NULL PRIMARY KEY')
            .replace(" DATETIME", " TIMESTAMP").replace(" REAL ", " DOUBLE PRECISION "))


def boolean(db, default: bool) -> str:
    """A NOT NULL yes/no column: SQLite keeps 0/1 in an INTEGER, the server a BOOLEAN."""
    if on_server(db):
        return f"BOOLEAN NOT NULL DEFAULT {'true' if default else 'false'}"
    return f"INTEGER NOT NULL DEFAULT {1 if default else 0}"
