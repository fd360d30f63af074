"""The test suite's PostgreSQL server (tests/pgserver.py starts it; ``./dev test`` does).

- ``BANGFU_TEST_PG``: the server's URL (no password: ``PGPASSWORD`` has it).
- ``BANGFU_TEST_BACKEND=postgresql``: the run where every test's database
  (the ``db_path`` and ``school`` fixtures) is on that server instead of a file.

Tests marked ``server`` need the server and run in the PostgreSQL run; tests
marked ``file_only`` are about the SQLite file itself and run in the SQLite run.
"""

from __future__ import annotations

import os

PG_SERVER = os.environ.get("BANGFU_TEST_PG", "")
ON_SERVER = os.environ.get("BANGFU_TEST_BACKEND", "").lower() == "postgresql"
# ``./dev test`` runs the suite in several pytest-xdist worker processes: each has a
# suite database of its own.  A file that makes databases or roles by name runs whole
# in one worker (tests/conftest.py, ONE_WORKER_FILES), so they are never shared.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
SUITE_DATABASE = "bangfu_test" + (f"_{WORKER}" if WORKER else "")


def server_url(name: str, *, with_password: bool = False) -> str:
    """The URL of database ``name`` on the test server; ``with_password``: with
    the password written into it (from PGPASSWORD), for the many tests that
    start ``bangfu`` in a subprocess with an environment of their own."""
    url = PG_SERVER.rsplit("/", 1)[0] + "/" + name
    password = os.environ.get("PGPASSWORD", "")
    if with_password and password and "@" in url:
        from urllib.parse import quote

        scheme, rest = url.split("://", 1)
        user, host = rest.split("@", 1)
        url = f"{scheme}://{user}:{quote(password, safe='')}@{host}"
    return url


def fresh_server_database(name: str) -> str:
    """Drop and create database ``name`` on the test server (empty); its URL."""
    from tests.pgserver import drop_database

    return drop_database(PG_SERVER, name, create=True)


def drop_server_database(name: str) -> None:
    from tests.pgserver import drop_database

    drop_database(PG_SERVER, name)


def empty_bound_database() -> None:
    """Every table of the bound server database emptied, ids from 1 again; the
    migration history kept (a fresh school in a few milliseconds)."""
    from db.models import database

    db = database.obj
    tables = [t for t in db.get_tables() if t != "schema_migration"]
    with db.atomic():
        db.execute_sql("SET LOCAL session_replication_role = replica")  # past the audit log's guard
        db.execute_sql("TRUNCATE " + ", ".join(f'"{t}"' for t in tables)
                       + " RESTART IDENTITY CASCADE")
