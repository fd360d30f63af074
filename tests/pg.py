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
    # the district's own tables stay (db.store.district): the school the rows belong to
    tables = [t for t in db.get_tables() if t not in ("schema_migration", "school", "bangfu_client")]
    with db.atomic():
        db.execute_sql("SET LOCAL session_replication_role = replica")  # past the audit log's guard
        db.execute_sql("TRUNCATE " + ", ".join(f'"{t}"' for t in tables)
                       + " RESTART IDENTITY CASCADE")


def bound_database_rows() -> dict[str, tuple[list[str], list[tuple]]]:
    """Every row of the bound server database (the migration history aside), by
    table: its columns and rows, for ``restore_bound_database``."""
    from db.models import database

    db = database.obj
    found = {}
    for table in db.get_tables():
        if table in ("schema_migration", "school", "bangfu_client"):
            continue
        cursor = db.execute_sql(f'SELECT * FROM "{table}"')
        rows = cursor.fetchall()
        if rows:
            found[table] = ([column[0] for column in cursor.description], rows)
    return found


def restore_bound_database(saved: dict[str, tuple[list[str], list[tuple]]]) -> None:
    """The bound server database emptied, then holding exactly the rows ``saved``
    (``bound_database_rows``), each table's ids going on from its largest: the
    small school again in a few milliseconds instead of building it row by row."""
    from db.models import database

    db = database.obj
    empty_bound_database()
    with db.atomic():
        # past the audit log's guard and the foreign keys' order
        db.execute_sql("SET LOCAL session_replication_role = replica")
        cursor = db.cursor()
        for table, (columns, rows) in saved.items():
            names = ", ".join(f'"{c}"' for c in columns)
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)
            if "id" in columns:
                last = max(row[columns.index("id")] for row in rows)
                cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)",
                               (f'"{table}"', last))


# -- a district database's roles (tests/test_district*.py, test_demo_town.py) ------------

def as_role(url: str, who: str, password: str | None = None) -> str:
    """``url`` for role ``who`` (the test server's password unless given)."""
    from tests.pgserver import PASSWORD

    scheme, rest = url.split("://", 1)
    return f"{scheme}://{who}:{PASSWORD if password is None else password}@{rest.split('@', 1)[1]}"


def raw(url: str):
    """A plain autocommit connection: what anyone holding these credentials can do."""
    import psycopg2

    from db.store.server import connect_params

    name, params = connect_params(url, bounded=False)
    conn = psycopg2.connect(dbname=name, **params)
    conn.autocommit = True
    return conn



def drop_district(name: str) -> None:
    """Drop district database ``name`` and every role named after it (``name_…``:
    its schools', its offices' and their groups; roles are the whole server's)."""
    drop_server_database(name)
    conn = raw(server_url("postgres", with_password=True))
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT rolname FROM pg_roles")
            ours = [r for (r,) in cur.fetchall() if r.startswith(name + "_")]
            # members before the groups they belong to
            for role in sorted(ours, key=lambda r: r.endswith(("_clients", "_offices"))):
                cur.execute(f'DROP ROLE IF EXISTS "{role}"')
    finally:
        conn.close()
