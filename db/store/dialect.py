"""The few SQL spellings that differ between SQLite and PostgreSQL.

bangfu's hand-written SQL is SQLite's (``?`` and ``:name`` parameters, which
``db.store.server.ServerDatabase`` rewrites); where the two languages differ in more
than that, the query asks here.  No Textual, no settings: only SQL text.
"""

from __future__ import annotations

from db.models import database


def on_server() -> bool:
    """True when the models are bound to a PostgreSQL database."""
    return getattr(database.obj, "bangfu_backend", "") == "postgresql"


def row_id_number(column: str) -> str:
    """The audit log's text ``row_id`` as a row number, for joining on ``id``.

    SQLite compares the text with an integer by itself (and keeps the index);
    PostgreSQL needs the cast, and only for digits (a setting's key is text).
    """
    if on_server():
        return f"(CASE WHEN {column} ~ '^[0-9]+$' THEN CAST({column} AS BIGINT) END)"
    return column


def json_number(column: str, key: str) -> str:
    """The number under ``key`` in the JSON text ``column`` (NULL if none)."""
    if on_server():
        return (f"(CASE WHEN {column} LIKE '{{%' THEN "
                f"CAST(NULLIF({column}::json ->> '{key}', '') AS NUMERIC) END)")
    return f"json_extract({column}, '$.{key}')"
