"""Many schools in one PostgreSQL database: the server keeps each school apart.

Two schools' files are copied into one district database (``migrate-to
--school``), each school gets a client role (``bangfu district add-school``), and
then everything is tried with a client's own credentials: raw SQL, the app's own
functions and the command line.  The server, not the client, is what holds.
"""

from __future__ import annotations


import psycopg2
import pytest

from db.store import district
from db.store.connection import DatabaseError, close_database, open_database
from db.store.migrate_to import MigrateError, migrate_to
from db.models import Student, Term, database
from db.students import create_student
from tests.conftest import build_small_school
from tests.helpers import cli_env, run_cli
from tests.pg import (WORKER, as_role, drop_district, fresh_server_database,
                      raw,
                      server_url)
from tests.pgserver import PASSWORD

pytestmark = pytest.mark.server

NAME = "bangfu_district" + (f"_{WORKER}" if WORKER else "")
ONLY_A, ONLY_B = "司马甲", "欧阳乙"  # a student each school alone has
SAME_NO = "20240101"  # 张伟's number: in both schools, two students


def role(letter: str) -> str:
    return f"{NAME}_{letter}"




def school_file(path, only: str, number: str):
    open_database(path, create=True)
    build_small_school(path)
    create_student(None, student_no=number, name=only, gender="F", class_id=None)
    close_database()
    return path


@pytest.fixture(scope="module")
def town(tmp_path_factory):
    """Schools 甲 and 乙 in one database, each with its client role; yields
    ``(owner URL, {letter: client URL})``."""
    folder = tmp_path_factory.mktemp("district")
    a = school_file(folder / "a.db", ONLY_A, "A-001")
    b = school_file(folder / "b.db", ONLY_B, "B-001")
    url = fresh_server_database(NAME)
    for path, name in ((a, "甲校"), (b, "乙校")):
        report = migrate_to(path, url, school=name)
        assert report.ok and report.status == "copied"
    owner = open_database(url, owner=True)
    with owner.atomic():
        for letter, name in (("a", "甲校"), ("b", "乙校")):
            district.add_client(owner, role(letter), district.find_school(owner, name), PASSWORD)
    close_database()
    clients = {letter: as_role(url, role(letter), PASSWORD) for letter in "ab"}
    yield url, clients
    close_database()
    drop_district(NAME)


def owner_counts(url: str, school: str) -> dict[str, int]:
    conn = raw(url)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT id FROM school WHERE name = %s", (school,))
            (sid,) = cur.fetchone()
            found = {}
            for table in district.data_tables(_Tables(cur)):
                cur.execute(f'SELECT count(*) FROM "{table}" WHERE school_id = %s', (sid,))
                found[table] = cur.fetchone()[0]
            return found
    finally:
        conn.close()


class _Tables:
    """Enough of a peewee database for ``district.data_tables`` over a raw cursor."""

    def __init__(self, cur):
        self.cur = cur

    def get_tables(self):
        self.cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        return sorted(t for (t,) in self.cur.fetchall())


def test_raw_sql_with_a_clients_credentials_reads_only_its_school(town):
    url, clients = town
    mine = owner_counts(url, "甲校")
    conn = raw(clients["a"])
    try:
        with conn.cursor() as cur:
            for table, n in mine.items():
                cur.execute(f'SELECT count(*) FROM "{table}"')
                assert cur.fetchone()[0] == n, table
            cur.execute("SELECT name FROM student")
            names = {n for (n,) in cur.fetchall()}
            assert ONLY_A in names and ONLY_B not in names
            cur.execute("SELECT count(*) FROM student WHERE student_no = %s", (SAME_NO,))
            assert cur.fetchone()[0] == 1
            cur.execute("SELECT name FROM school")
            assert cur.fetchall() == [("甲校",)]
            cur.execute("SELECT count(*) FROM student "
                        "WHERE school_id <> bangfu_school_of(current_user::text)")
            assert cur.fetchone()[0] == 0
            with pytest.raises(psycopg2.errors.InsufficientPrivilege):
                cur.execute("SELECT * FROM bangfu_client")
    finally:
        conn.close()
    # the owner sees both: the same number in two schools is two students
    conn = raw(url)
    with conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM student WHERE student_no = %s", (SAME_NO,))
        assert cur.fetchone()[0] == 2
    conn.close()


def test_a_client_writes_only_into_its_school(town):
    url, clients = town
    conn = raw(clients["a"])
    other = raw(url)
    try:
        with other.cursor() as cur:
            cur.execute("SELECT id FROM school WHERE name = '乙校'")
            (b,) = cur.fetchone()
        with conn.cursor() as cur:
            with pytest.raises(psycopg2.errors.InsufficientPrivilege):  # row-level security
                cur.execute("INSERT INTO term (name, school_year, semester, start_date, end_date,"
                            " school_id) VALUES ('x', 'x', 1, '2026-09-01', '2027-01-20', %s)",
                            (b,))
            with pytest.raises(psycopg2.errors.InsufficientPrivilege):
                cur.execute("UPDATE student SET school_id = %s", (b,))
            cur.execute("UPDATE student SET name = name || '' WHERE student_no = 'B-001'")
            assert cur.rowcount == 0  # 乙's student is not there to change
            cur.execute("DELETE FROM contact WHERE school_id = %s", (b,))
            assert cur.rowcount == 0
    finally:
        conn.close()
        other.close()
    assert owner_counts(url, "乙校")["contact"] == 1


@pytest.mark.parametrize("sql", [
    "UPDATE audit_log SET changes = '{}'",
    "DELETE FROM audit_log",
    "TRUNCATE audit_log",
    "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update",
    "DROP TRIGGER audit_log_no_update ON audit_log",
    "ALTER TABLE audit_log DISABLE ROW LEVEL SECURITY",
    "SET session_replication_role = replica",
    "CREATE TABLE mine (x int)",
])
def test_a_client_cannot_change_or_delete_audit_rows(town, sql):
    url, clients = town
    before = owner_counts(url, "甲校")["audit_log"]
    conn = raw(clients["a"])
    try:
        with conn.cursor() as cur, pytest.raises(psycopg2.Error) as failed:
            cur.execute(sql)
        assert failed.value.pgcode in ("42501", "42P01"), failed.value.pgerror  # no privilege
    finally:
        conn.close()
    assert owner_counts(url, "甲校")["audit_log"] == before


def test_the_app_as_a_school_finds_no_student_of_the_other(town, tmp_path):
    _, clients = town
    env = cli_env(tmp_path)
    for query in (ONLY_B, "B-001", "ouyang", "欧阳", SAME_NO):
        found = run_cli(env, "find", query, db=clients["a"])
        assert ONLY_B not in found.stdout and "B-001" not in found.stdout
    assert run_cli(env, "find", ONLY_B, db=clients["a"]).returncode != 0
    found = run_cli(env, "find", ONLY_A, db=clients["a"])
    assert found.returncode == 0 and ONLY_A in found.stdout
    rollup = run_cli(env, "report", "rollup", "--format", "csv", db=clients["a"])
    assert rollup.returncode == 0, rollup.stderr
    assert "甲校" in rollup.stdout and "乙校" not in rollup.stdout  # its name in the district
    for args in (["report", "weekly"], ["report", "term"], ["due"],
                 ["report", "weekly", "--format", "csv"], ["report", "supervision"],
                 ["villages"], ["audit"], ["show", SAME_NO], ["referrals", "list"],
                 ["feedback", "list"], ["events"]):
        out = run_cli(env, *args, db=clients["a"])
        assert out.returncode == 0, out.stderr
        assert ONLY_B not in out.stdout and "B-001" not in out.stdout
    for what in ("students", "cases", "contacts"):
        export = tmp_path / f"{what}.csv"
        out = run_cli(env, "export", what, "-o", export, db=clients["a"])
        assert out.returncode == 0, out.stderr
        text = export.read_text("utf-8-sig")
        assert ONLY_B not in text and "B-001" not in text
        assert ONLY_A in text or what != "students"
    # counts: the app's own, in the client's scope
    open_database(clients["a"])
    try:
        assert Student.select().count() == 8
        assert not Student.select().where(Student.name == ONLY_B).exists()
        assert database.obj.execute_sql("SELECT count(*) FROM student").fetchone()[0] == 8
    finally:
        close_database()


def test_the_owners_credentials_open_no_school_and_a_stranger_sees_nothing(town, tmp_path):
    url, _ = town
    with pytest.raises(DatabaseError) as refused:
        open_database(url)
    assert refused.value.code == "many_schools"
    out = run_cli(cli_env(tmp_path), "find", "张", db=server_url(NAME, with_password=True))
    assert out.returncode == 3 and "several schools" in out.stderr and "张" not in out.stdout
    conn = raw(url)
    with conn.cursor() as cur:
        cur.execute(f'DROP ROLE IF EXISTS "{NAME}_x"')
        cur.execute(f"CREATE ROLE \"{NAME}_x\" LOGIN PASSWORD '{PASSWORD}' IN ROLE \"{NAME}_clients\"")
    conn.close()
    try:
        with pytest.raises(DatabaseError) as refused:
            open_database(as_role(url, f"{NAME}_x", PASSWORD))
        assert refused.value.code == "no_school"
        stranger = raw(as_role(url, f"{NAME}_x", PASSWORD))
        with stranger.cursor() as cur:
            cur.execute("SELECT count(*) FROM student")
            assert cur.fetchone()[0] == 0
        stranger.close()
    finally:
        close_database()
        conn = raw(url)
        with conn.cursor() as cur:
            cur.execute(f'DROP ROLE IF EXISTS "{NAME}_x"')
        conn.close()


def test_a_copy_into_several_schools_names_its_school(town, tmp_path):
    url, _ = town
    path = school_file(tmp_path / "c.db", "东方丙", "C-001")
    before_b = owner_counts(url, "乙校")
    with pytest.raises(MigrateError) as refused:
        migrate_to(path, url)
    assert refused.value.code == "schools"
    with pytest.raises(MigrateError) as refused:  # 乙 holds other rows: never overwritten
        migrate_to(path, url, school="乙校")
    assert refused.value.code == "not_empty"
    third = migrate_to(path, url, school="丙校")
    assert third.ok and third.status == "copied"
    assert migrate_to(path, url, school="丙校").status == "already"
    assert owner_counts(url, "丙校")["student"] == 8
    assert owner_counts(url, "乙校") == before_b


def test_settings_are_each_schools_with_the_districts_default(town, tmp_path):
    from db.workflow import load_review_days as review_days
    from db.workflow import put_setting

    url, clients = town

    def set_days(letter: str, days: str) -> None:
        open_database(clients[letter])
        with database.obj.atomic():
            put_setting("review_days", days)
        close_database()

    def days_of(letter: str) -> int:
        open_database(clients[letter])
        try:
            return review_days()
        finally:
            close_database()

    try:
        set_days("a", "21")
        assert (days_of("a"), days_of("b")) == (21, 30)  # each school's own; 乙 has bangfu's
        out = run_cli(cli_env(tmp_path), "district", "defaults", "--from-school", "甲校",
                      db=server_url(NAME, with_password=True), pin=None)
        assert out.returncode == 0, out.stderr
        assert "review_days: the district's default" in out.stdout
        assert days_of("b") == 21  # the district's default now
        set_days("a", "14")
        assert (days_of("a"), days_of("b")) == (14, 21)  # 甲's own value is 甲's
        set_days("b", "10")
        assert (days_of("a"), days_of("b")) == (14, 10)
    finally:
        close_database()
        conn = raw(url)
        with conn.cursor() as cur:
            cur.execute("DELETE FROM bangfu_meta WHERE key = 'review_days'")
        conn.close()


def test_each_schools_audit_chain_holds_and_new_rows_are_its_own(town, tmp_path):
    url, clients = town
    env = cli_env(tmp_path)
    out = run_cli(env, "log", "张伟", "--text", "电话沟通了作业情况", db=clients["a"])
    assert out.returncode == 0, out.stderr
    for letter in "ab":
        out = run_cli(env, "check", db=clients[letter])
        assert out.returncode == 0, out.stdout + out.stderr
    conn = raw(url)
    with conn.cursor() as cur:
        cur.execute("SELECT s.name FROM contact c JOIN school s ON s.id = c.school_id "
                    "WHERE c.discussed = '电话沟通了作业情况'")
        assert cur.fetchall() == [("甲校",)]
    conn.close()


def test_the_owner_adds_a_school_and_its_role_from_the_command_line(town, tmp_path):
    url, _ = town
    env = cli_env(tmp_path)
    owner = server_url(NAME, with_password=True)
    out = run_cli(env, "district", "defaults", "--from-school", "甲校", db=owner, pin=None)
    assert out.returncode == 0 and "terms a new school starts with: 1" in out.stdout
    out = run_cli(env, "district", "add-school", "丁校", "--role", role("d"), "--town", "金石镇",
                  db=owner, pin=None)
    assert out.returncode == 0, out.stderr
    assert f"connect as {role('d')}" in out.stdout and "password, shown only now" in out.stdout
    password = out.stdout.rsplit("shown only now: ", 1)[1].split()[0]
    listed = run_cli(env, "district", "list", db=owner, pin=None)
    assert listed.returncode == 0 and "丁校  金石镇" in listed.stdout and role("a") in listed.stdout
    # a new school: its client sees nothing of the others
    open_database(as_role(url, role("d"), password))
    try:
        assert Student.select().count() == 0
        assert [t.name for t in Term.select()] == ["2026-2027 第一学期"]  # the district's terms
    finally:
        close_database()
    refused = run_cli(env, "district", "list", db=as_role(url, role("a"), PASSWORD), pin=None)
    assert refused.returncode == 2 and "owner" in refused.stderr
    bad = run_cli(env, "district", "add-school", "戊校", "--role", "Robert'); DROP", db=owner,
                  pin=None)
    assert bad.returncode == 2 and "cannot be a role name" in bad.stderr


def test_a_schools_role_never_changes_the_schema(town):
    url, clients = town
    conn = raw(url)
    with conn.cursor() as cur:
        cur.execute("DELETE FROM schema_migration WHERE name = '0016_schools'")
    conn.close()
    try:
        with pytest.raises(DatabaseError) as refused:
            open_database(clients["a"])
        assert refused.value.code == "needs_owner" and "0016_schools" in refused.value.detail
    finally:
        close_database()
        conn = raw(url)
        with conn.cursor() as cur:
            cur.execute("INSERT INTO schema_migration (name, applied) VALUES "
                        "('0016_schools', now())")
        conn.close()


def test_a_schools_clients_are_not_woken_by_another_schools_writes(town):
    import select

    from db.store.server import CHANNEL, Listener

    url, clients = town
    listening = raw(clients["a"])
    writer = raw(clients["b"])
    try:
        with listening.cursor() as cur:
            cur.execute(f"LISTEN {CHANNEL}")
            cur.execute("SELECT bangfu_school_of(current_user::text)")
            (mine,) = cur.fetchone()
        with writer.cursor() as cur:
            cur.execute("SELECT bangfu_school_of(current_user::text)")
            (theirs,) = cur.fetchone()
            cur.execute("UPDATE term SET name = name")
        while not listening.notifies:  # delivered at the writer's commit
            select.select([listening], [], [], 5)
            listening.poll()
        assert [n.payload for n in listening.notifies] == [f"{theirs}:term"]
    finally:
        listening.close()
        writer.close()
    listener = Listener(clients["a"])
    try:
        assert listener.stamp() is not None
        assert not listener._mine(f"{theirs}:term")
        assert listener._mine(f"{mine}:contact") and listener._mine(":contact")
    finally:
        listener.close()


async def test_in_the_app_a_school_finds_only_its_own_students(town):
    """The app as school A's computers run it: the roster in memory is A's alone,
    whatever is typed (B's name, its number, the number both schools use)."""
    from screens.roster import RosterScreen
    from tests.helpers import make_app, settle, sign_in

    _, clients = town
    open_database(clients["a"])
    try:
        app = make_app(clients["a"])
        async with app.run_test(size=(100, 30)) as pilot:
            await sign_in(pilot, "wangfang")
            assert isinstance(app.screen, RosterScreen) and app.staff.name == "王芳"
            assert len(app.index) == 8 and ONLY_B not in {r.name for r in app.index.search("")}
            for query in (ONLY_B, "B-001", "ouyangyi", SAME_NO):
                await pilot.press("ctrl+u", *query)
                await settle(pilot)
                names = [r.name for r in app.screen.roster.rows]
                assert ONLY_B not in names, query
            await pilot.press("ctrl+u", *SAME_NO)
            await settle(pilot)
            assert [r.name for r in app.screen.roster.rows] == ["张伟"]
    finally:
        close_database()
