"""Many schools in one PostgreSQL database (schema 16): installed by the migration."""

from __future__ import annotations


def install(db) -> None:
    """Placeholder until the server part lands (the same session)."""
