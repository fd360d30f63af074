"""bangfu on a PostgreSQL server: choosing it, credentials, doctor, freshness, migrations.

The rest of the suite runs against the server too (BANGFU_TEST_BACKEND=postgresql);
these are the things only a server has.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from db import config
from db.config import resolve, shown_target
from db.store.connection import (DatabaseError, close_database, known_migrations, open_database,
                           schema_version)
from db.store.server import Listener, safe_url, to_pyformat
from tests.conftest import build_small_school
from tests.helpers import ROOT, cli_env, make_app, run_cli, settle, sign_in
from tests.pg import PG_SERVER, drop_server_database, fresh_server_database
from tests.pgserver import PASSWORD

SECRET_URL_PASSWORD = PASSWORD  # the test role's real password, written into a URL


# -- choosing the database: path or URL, nothing here needs the server --------------------

def test_a_url_is_kept_as_a_url_from_every_source(tmp_path, monkeypatch):
    monkeypatch.setenv("BANGFU_CONFIG_DIR", str(tmp_path))
    url = "postgresql://staff@db.school.example:5432/bangfu"
    assert resolve(url, environ={}).db_path == url
    assert resolve(None, environ={"BANGFU_DB": url}).db_path == url
    (tmp_path / "config.toml").write_text(f'db = "{url}"\n')
    chosen = resolve(None, environ={})
    assert (chosen.db_path, chosen.db_source, chosen.on_server) == (url, "config", True)
    assert resolve("~/x.db", environ={}).db_path == Path("~/x.db").expanduser()
    assert not resolve("/tmp/x.db", environ={}).on_server


def test_a_password_is_never_shown():
    url = "postgresql://staff:s3cret%40x@db.example:5433/bangfu?sslmode=require"
    shown = safe_url(url)
    assert "s3cret" not in shown and shown == "postgresql://staff@db.example:5433/bangfu?sslmode=require"
    assert shown_target(url) == shown
    assert safe_url("postgresql://staff@db/bangfu") == "postgresql://staff@db/bangfu"
    assert config.is_server_url("postgres://a@b/c") and not config.is_server_url("/srv/a.db")
    assert not config.is_server_url("school.db")


def test_sqlite_placeholders_become_the_servers():
    assert to_pyformat("SELECT 1 FROM t WHERE a = ? AND b LIKE '%x%'") == \
        "SELECT 1 FROM t WHERE a = %s AND b LIKE '%%x%%'"
    assert to_pyformat("WHERE a = :sid AND b::text = :b", named=True) == \
        "WHERE a = %(sid)s AND b::text = %(b)s"


# -- on the server --------------------------------------------------------------------------

@pytest.fixture
def server_db():
    url = fresh_server_database("bangfu_server_tests")
    yield url
    close_database()
    drop_server_database("bangfu_server_tests")


def _with_password(url: str) -> str:
    parts = urlsplit(url)
    return url.replace(f"{parts.username}@", f"{parts.username}:{SECRET_URL_PASSWORD}@", 1)


@pytest.mark.server
def test_an_empty_database_gets_the_same_schema_history(server_db):
    db = open_database(server_db)
    assert schema_version(db) == len(known_migrations())
    tables = set(db.get_tables())
    assert {"student", "case_file", "contact", "audit_log", "case_event", "score",
            "checkin", "stage_review", "peer_pair", "schema_migration", "bangfu_meta"} <= tables
    # opened again: nothing more to apply
    close_database()
    assert schema_version(open_database(server_db)) == len(known_migrations())


@pytest.mark.server
def test_two_clients_opening_an_empty_database_at_once_migrate_it_once(server_db):
    code = ("import sys; sys.path.insert(0, %r)\n"
            "from db.store.connection import open_database, schema_version\n"
            "print(schema_version(open_database(%r)))\n") % (str(ROOT), server_db)
    procs = [subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(4)]
    outs = [p.communicate(timeout=60) for p in procs]
    assert all(p.returncode == 0 for p in procs), [err for _, err in outs]
    assert {out.strip() for out, _ in outs} == {str(len(known_migrations()))}
    db = open_database(server_db)
    names = [n for (n,) in db.execute_sql("SELECT name FROM schema_migration")]
    assert sorted(names) == known_migrations()  # each applied exactly once


@pytest.mark.server
def test_a_missing_database_and_a_wrong_password_say_so_without_the_password(tmp_path):
    missing = PG_SERVER.rsplit("/", 1)[0] + "/no_such_school"
    with pytest.raises(DatabaseError) as caught:
        open_database(missing)
    assert caught.value.code == "missing"
    wrong = _with_password(PG_SERVER).replace(SECRET_URL_PASSWORD, "not-the-password")
    env = cli_env(tmp_path)
    env.pop("PGPASSWORD", None)
    done = run_cli(env, "doctor", db=wrong)
    assert done.returncode == 1
    assert "not-the-password" not in done.stdout + done.stderr
    assert "refused the sign-in" in done.stdout
    done = run_cli(env, "find", "zhang", db=wrong)
    assert done.returncode == 3 and "refused the sign-in" in done.stderr
    assert "not-the-password" not in done.stdout + done.stderr


@pytest.mark.server
def test_credentials_come_from_the_url_pgpassword_or_pgpass(server_db, tmp_path):
    open_database(server_db)
    build_small_school(server_db)
    close_database()
    env = cli_env(tmp_path)
    assert env.get("PGPASSWORD")  # the suite's server: password in the environment
    assert run_cli(env, "find", "zhangwei", db=server_db).returncode == 0
    env.pop("PGPASSWORD")
    home = tmp_path / "home"
    home.mkdir()
    env["HOME"] = str(home)
    refused = run_cli(env, "find", "zhangwei", db=server_db)
    assert refused.returncode == 3, refused.stdout
    # ~/.pgpass (host:port:database:user:password, mode 0600)
    parts = urlsplit(server_db)
    pgpass = home / ".pgpass"
    pgpass.write_text(f"{parts.hostname}:{parts.port}:*:{parts.username}:{SECRET_URL_PASSWORD}\n")
    pgpass.chmod(0o600)
    found = run_cli(env, "find", "zhangwei", db=server_db)
    assert found.returncode == 0 and "张伟" in found.stdout
    pgpass.unlink()
    # in the URL itself: used, never printed
    found = run_cli(env, "doctor", db=_with_password(server_db))
    assert SECRET_URL_PASSWORD not in found.stdout + found.stderr


@pytest.mark.server
def test_doctor_reports_the_server_and_the_schema_version(server_db, tmp_path):
    open_database(server_db)
    close_database()
    env = cli_env(tmp_path)
    done = run_cli(env, "doctor", db=_with_password(server_db))
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    assert f"Server: {server_db}" in out
    assert "Server version: PostgreSQL 1" in out
    n = len(known_migrations())
    assert f"Schema version: {n} / {n}" in out and "bangfu_server_tests" in out
    assert "No warnings." in out
    zh = run_cli(env, "--lang", "zh", "doctor", db=server_db)
    assert "服务器版本" in zh.stdout and "结构版本" in zh.stdout


@pytest.mark.server
def test_file_commands_say_they_are_for_a_file(server_db, tmp_path):
    open_database(server_db)
    close_database()
    env = cli_env(tmp_path)
    for command in (["backup"], ["unlock"], ["recover"], ["set-locking", "dotfile"]):
        done = run_cli(env, *command, db=server_db)
        assert done.returncode == 2, (command, done.stderr)
        assert "pg_dump" in done.stderr and "Traceback" not in done.stderr
    # check looks at what was changed outside bangfu (tests/test_tamper.py)
    done = run_cli(env, "check", db=server_db)
    assert done.returncode == 0 and "every account" in done.stdout, done.stdout + done.stderr


@pytest.mark.server
def test_the_listener_sees_another_connections_commit_and_nothing_else(server_db):
    open_database(server_db)
    build_small_school(server_db)
    listener = Listener(server_db)
    try:
        first = listener.stamp()
        assert listener.stamp() == first  # nothing written: no change, no query
        code = ("import sys; sys.path.insert(0, %r)\n"
                "from db.store.connection import open_database\n"
                "from db.models import Student\n"
                "open_database(%r)\n"
                "Student.update(family_notes='x').where(Student.id == 1).execute()\n"
                ) % (str(ROOT), server_db)
        subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
        import time

        deadline = time.monotonic() + 60  # only against a hang: the notice comes or fails
        while listener.stamp() == first and time.monotonic() < deadline:
            time.sleep(0.05)
        assert listener.stamp() > first
    finally:
        listener.close()


@pytest.mark.server
async def test_an_entry_from_another_computer_appears_in_the_open_app(server_db, tmp_path):
    open_database(server_db)
    build_small_school(server_db)
    app = make_app(server_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "wangfang")
        await pilot.press(*"20240101", "enter")
        await settle(pilot)
        case = app.screen
        app.check_freshness()  # the listener starts listening
        await settle(pilot, 4)
        env = cli_env(tmp_path)
        done = run_cli(env, "log", "20240101", "--as", "曾老师", "--channel", "home_visit",
                       "--text", "Home visit from the other computer", db=server_db)
        assert done.returncode == 0, done.stderr
        import time

        deadline = time.monotonic() + 60  # only against a hang
        while not any(c.discussed == "Home visit from the other computer"
                      for c in case.view.contacts) and time.monotonic() < deadline:
            # the app's 3-second timer, run now: no query until the commit's notice has come
            app.check_freshness()
            await settle(pilot)
        assert app.screen is case
        assert any(c.discussed == "Home visit from the other computer" for c in case.view.contacts)
        [row] = list(app.index.search("20240101"))
        assert row.last_channel == "home_visit"
