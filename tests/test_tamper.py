"""The audit log is tamper-evident: ``bangfu check`` and ``bangfu doctor`` name
what a person with write access to the file (or the server) changed by hand.

Each audit row is chained to the one before it by a hash, and every audited
write of an account seals its role, activation, classes and PIN hash
(``db.audit``).  The tampering is done as such a person would: plain SQL on
the file (``sqlite3``) or on the server, past bangfu.  The commands run as
real processes (tests/helpers.run_cli).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from db import accounts, audit, audit_checks
from db.store import journal, storage
from db.store.connection import close_database, open_database
from db.models import Staff, database
from tests.conftest import build_small_school
from tests.helpers import cli_env, run_cli
from tests.pg import ON_SERVER


@pytest.fixture
def env(tmp_path, local_state):
    return cli_env(tmp_path, local_state)


@pytest.fixture(autouse=True)
def guards_back():
    """On the server the suite's database is shared: the log's triggers are put
    back as schema version 7 made them after each test here (files are new)."""
    yield
    if not ON_SERVER:
        return
    from tests.pg import SUITE_DATABASE, server_url

    close_database()
    open_database(server_url(SUITE_DATABASE, with_password=True))
    try:
        database.execute_sql(
            "CREATE OR REPLACE FUNCTION bangfu_audit_log_fixed() RETURNS trigger "
            "LANGUAGE plpgsql AS $$ BEGIN "
            "RAISE EXCEPTION 'the audit log cannot be changed'; END $$")
        for what, each in (("UPDATE", "ROW"), ("DELETE", "ROW"), ("TRUNCATE", "STATEMENT")):
            database.execute_sql(f'DROP TRIGGER IF EXISTS "audit_log_no_{what.lower()}" '
                                 'ON "audit_log"')
            database.execute_sql(
                f'CREATE TRIGGER "audit_log_no_{what.lower()}" BEFORE {what} ON "audit_log" '
                f"FOR EACH {each} EXECUTE FUNCTION bangfu_audit_log_fixed()")
    finally:
        close_database()


def by_hand(where, *statements) -> None:
    """SQL past bangfu: on the file with plain sqlite3, or on the server (each
    statement ``(sql, params)`` or a string; ``?`` placeholders)."""
    statements = [(s, ()) if isinstance(s, str) else s for s in statements]
    if ON_SERVER:
        for sql, params in statements:
            database.execute_sql(sql, params)
        return
    conn = sqlite3.connect(where)
    try:
        with conn:
            for sql, params in statements:
                conn.execute(sql, params)
    finally:
        conn.close()


def drop_trigger(name: str) -> str:
    return f"DROP TRIGGER IF EXISTS {name}" + (" ON audit_log" if ON_SERVER else "")


def audit_id(table: str, row_id) -> int:
    return database.execute_sql("SELECT id FROM audit_log WHERE table_name = ? AND row_id = ? "
                                "ORDER BY id LIMIT 1", (table, str(row_id))).fetchone()[0]


def check(env, school, *extra):
    return run_cli(env, *extra, "check", db=school.path, pin=None)


def still_named_without_journals(env, school, text: str) -> None:
    """The journals beside a file show a journaled row changed, but whoever can
    write the file can remove them too: the chain and the seals need none."""
    if not ON_SERVER:
        shutil.rmtree(journal.journal_dir(school.path))
    proc = check(env, school)
    assert proc.returncode == 1 and text in proc.stdout, proc.stdout


# == 1. triggers dropped and a row deleted ==============================================
def test_dropped_triggers_and_a_deleted_row_are_named(school, env):
    gone = audit_id("student", school.students["赵薇"].id)
    by_hand(school.path, drop_trigger("audit_log_no_update"), drop_trigger("audit_log_no_delete"),
            ("DELETE FROM audit_log WHERE id = ?", (gone,)))
    proc = check(env, school)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    out = proc.stdout
    assert "the trigger audit_log_no_update that keeps the log from being changed is gone" in out
    assert "the trigger audit_log_no_delete that keeps the log from being changed is gone" in out
    assert f"audit_log rows {gone}–{gone} were removed (the chain jumps to row {gone + 1})" in out
    assert "changed outside bangfu" in proc.stderr and "Traceback" not in proc.stderr

    doctor = run_cli(env, "doctor", db=school.path, pin=None)
    assert doctor.returncode == 1
    assert "The audit log or an account was changed outside bangfu" in doctor.stdout
    assert f"audit_log rows {gone}–{gone} were removed" in doctor.stdout

    zh = check(env, school, "--lang", "zh")
    assert zh.returncode == 1
    assert "防止审计日志被修改的触发器 audit_log_no_delete 不见了" in zh.stdout
    assert f"audit_log 第 {gone}–{gone} 行被删除" in zh.stdout
    still_named_without_journals(env, school, f"audit_log rows {gone}–{gone} were removed")


# == 2. a row's changes rewritten =======================================================
def test_a_rewritten_row_is_named(school, env):
    row = audit_id("case_file", school.cases["张伟"].id)
    by_hand(school.path, drop_trigger("audit_log_no_update"),
            ("UPDATE audit_log SET changes = ? WHERE id = ?", ('{"status": "closed"}', row)))
    proc = check(env, school)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert (f"audit_log row {row} was changed after it was written (it no longer matches its "
            "hash): the first broken link.") in proc.stdout
    assert "audit_log_no_update that keeps the log from being changed is gone" in proc.stdout
    assert "audit_log_no_delete" not in proc.stdout  # only the dropped trigger is named
    still_named_without_journals(env, school, f"audit_log row {row} was changed after it was")


def test_a_row_put_in_by_hand_is_named(school, env):
    by_hand(school.path, ("INSERT INTO audit_log (id, at, staff_name, host, table_name, row_id, "
                          "action, changes) VALUES (?, ?, '王芳', 'x', 'staff', '2', 'update', "
                          "'{}')", (1000, "2026-11-20 15:30:00")))
    proc = check(env, school)
    assert proc.returncode == 1
    last = database.execute_sql("SELECT MAX(id) FROM audit_log WHERE id < 1000").fetchone()[0]
    assert f"audit_log rows {last + 1}–999 were removed" in proc.stdout  # its id is a jump
    by_hand(school.path, drop_trigger("audit_log_no_delete"),
            "DELETE FROM audit_log WHERE id = 1000",
            ("INSERT INTO audit_log (id, at, staff_name, host, table_name, row_id, action, "
             "changes) VALUES (?, '2026-11-20 15:30:00', '王芳', 'x', 'staff', '2', 'update', '{}')",
             (last + 1,)))
    proc = check(env, school)
    assert f"audit_log row {last + 1} was put in outside bangfu" in proc.stdout


# == 3. a role changed by SQL ===========================================================
def test_a_role_changed_by_sql_names_the_account(school, env):
    li = school.other
    by_hand(school.path, ("UPDATE staff SET role = 'admin' WHERE id = ?", (li.id,)))
    proc = check(env, school)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert f"The account 李建国 (id {li.id}) was changed outside bangfu: role." in proc.stdout
    doctor = run_cli(env, "doctor", db=school.path, pin=None)
    assert doctor.returncode == 1
    assert f"The account 李建国 (id {li.id}) was changed outside bangfu: role." in doctor.stdout
    zh = check(env, school, "--lang", "zh")
    assert f"账号 李建国（id {li.id}）在帮扶之外被修改：角色。" in zh.stdout
    still_named_without_journals(env, school, "The account 李建国")

    # changed back through bangfu, it is sealed again: nothing to report
    by_hand(school.path, ("UPDATE staff SET role = 'teacher' WHERE id = ?", (li.id,)))
    assert check(env, school).returncode == 0
    accounts.update_account(school.teacher, li.id, role="counsellor", active=False)
    assert check(env, school).returncode == 0
    by_hand(school.path, ("UPDATE staff SET active = ?, role = 'admin' WHERE id = ?",
                          (True if ON_SERVER else 1, li.id)))
    proc = check(env, school)
    assert "was changed outside bangfu: role, whether it may sign in." in proc.stdout


def test_an_account_added_by_sql_is_named(school, env):
    by_hand(school.path, ("INSERT INTO staff (name, pinyin, initials, role, active, created_at, "
                          "pin_hash, pin_failures, classes) VALUES ('钱多多', 'qianduoduo', 'qdd', "
                          "'admin', ?, '2026-11-20 15:30:00', ?, 0, '')",
                          (True if ON_SERVER else 1, school.teacher.pin_hash)))
    proc = check(env, school)
    assert proc.returncode == 1
    assert "The account 钱多多 (id 4) was added outside bangfu" in proc.stdout


# == 4. a PIN hash replaced by SQL ======================================================
def test_a_pin_hash_replaced_by_sql_is_named(school, env):
    admin = school.teacher
    mine = accounts.hash_pin("97531", n=2 ** 4)
    by_hand(school.path, ("UPDATE staff SET pin_hash = ? WHERE id = ?", (mine, admin.id)))
    proc = check(env, school)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert f"The account 王芳 (id {admin.id}) was changed outside bangfu: PIN." in proc.stdout
    still_named_without_journals(env, school, "The account 王芳")
    # the same PIN hash copied from one account to another is no seal either
    by_hand(school.path, ("UPDATE staff SET pin_hash = ? WHERE id = ?", (admin.pin_hash, admin.id)),
            ("UPDATE staff SET pin_hash = (SELECT pin_hash FROM staff WHERE id = ?) "
             "WHERE id = ?", (school.other.id, admin.id)))
    assert check(env, school).returncode == 0  # every fixture account has the same hash
    accounts.change_pin(school.other, school.other.id, "24680")
    by_hand(school.path, ("UPDATE staff SET pin_hash = (SELECT pin_hash FROM staff WHERE id = ?) "
                          "WHERE id = ?", (school.other.id, admin.id)))
    proc = check(env, school)
    assert f"The account 王芳 (id {admin.id}) was changed outside bangfu: PIN." in proc.stdout


def test_the_demo_marker_set_by_hand_is_named(school, env):
    """A real school's database made to look like a demo (so test clocks would
    count on it) shows as a setting changed outside bangfu."""
    by_hand(school.path, "UPDATE bangfu_meta SET value = 'demo' WHERE key = 'made_by'")
    proc = check(env, school)
    assert proc.returncode == 1
    assert "The setting made_by was changed outside bangfu." in proc.stdout
    by_hand(school.path, "DELETE FROM bangfu_meta WHERE key = 'made_by'")
    assert "The setting made_by was removed outside bangfu." in check(env, school).stdout


# == 5. what bangfu itself wrote verifies ===============================================
def test_an_untouched_school_verifies(school, env):
    proc = check(env, school)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "ok" in proc.stdout
    assert not audit_checks.verify(database.execute_sql, server=ON_SERVER).findings
    doctor = run_cli(env, "doctor", db=school.path, pin=None)
    assert "outside bangfu" not in doctor.stdout


def test_a_staff_row_written_again_in_its_transaction_is_sealed_again(school, env):
    """``record`` seals the row as it is; a later write in the same transaction
    is sealed before the commit (``audit.settle_seals``)."""
    li = school.other
    with journal.transaction():
        Staff.update(role="coordinator").where(Staff.id == li.id).execute()
        audit.record(school.teacher, "staff", li.id, "update", {"role": ["teacher", "coordinator"]})
        Staff.update(classes="7-1").where(Staff.id == li.id).execute()
    assert check(env, school).returncode == 0
    (reason,) = database.execute_sql("SELECT changes FROM audit_log ORDER BY id DESC LIMIT 1"
                                     ).fetchone()
    assert json.loads(reason) == {"reason": "settled"}


@pytest.mark.file_only
def test_a_fresh_demo_verifies(tmp_path, env):
    path = tmp_path / "demo.db"
    from db.demo.build import build_demo

    open_database(path, create=True)
    try:
        build_demo(students=120, seed=3)
    finally:
        close_database()
    proc = run_cli(env, "check", db=path, pin=None)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    by_hand(path, "UPDATE staff SET role = 'admin' WHERE id = 5")
    proc = run_cli(env, "check", db=path, pin=None)
    assert proc.returncode == 1 and "(id 5) was changed outside bangfu: role." in proc.stdout


@pytest.mark.file_only
def test_a_recovered_file_verifies_and_says_where_it_was_sealed_anew(tmp_path, env):
    """A row the journals never saw (here: written past them) is lost with the
    damaged file, so the entries after it cannot keep their original links:
    recover chains them anew and says so in an audit row."""
    from tests.test_storage import make_school

    path = tmp_path / "school.db"
    make_school(path)
    assert run_cli(env, "backup", db=path).returncode == 0
    assert run_cli(env, "log", "20240101", "--text", "before", db=path).returncode == 0
    open_database(path)
    audit.seal_row("not journaled")  # no journal line: only the file has it
    close_database()
    for n in range(2):
        assert run_cli(env, "log", "20240101", "--text", f"after {n}", db=path).returncode == 0
    lost = sqlite3.connect(path).execute("SELECT MAX(id) FROM audit_log").fetchone()[0] - 2
    by_hand(path, drop_trigger("audit_log_no_delete"),
            ("DELETE FROM audit_log WHERE id = ?", (lost - 1,)))
    assert run_cli(env, "check", db=path, pin=None).returncode == 1

    proc = run_cli(env, "recover", "--yes", db=path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert run_cli(env, "check", db=path, pin=None).returncode == 0
    conn = sqlite3.connect(path)
    (changes,) = conn.execute("SELECT changes FROM audit_log WHERE action = 'seal' "
                              "ORDER BY id DESC LIMIT 1").fetchone()
    assert json.loads(changes) == {"reason": "recover", "relinked": [lost, lost + 1]}
    texts = [json.loads(c)["discussed"] for (c,) in conn.execute(
        "SELECT changes FROM audit_log WHERE table_name = 'contact' ORDER BY id")]
    conn.close()
    assert texts == ["before", "after 0", "after 1"]
    # running it again changes nothing
    assert run_cli(env, "recover", "--yes", db=path).returncode == 0
    assert sqlite3.connect(path).execute("SELECT COUNT(*) FROM audit_log WHERE action = 'seal' "
                                         "AND table_name = 'audit_log'").fetchone()[0] == 1


# == the limit: the chain rebuilt by hand from a row on =================================
def rehash_from(path: Path, first: int) -> None:
    """What someone who knows the format (and needs no secret) can do: give
    every row from ``first`` on new hashes, so the chain alone verifies."""
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
        prev = conn.execute("SELECT row_hash FROM audit_log WHERE id = ?", (first - 1,)).fetchone()
        prev = prev[0] if prev else ""
        for row in conn.execute("SELECT id, at, staff_id, staff_name, host, table_name, row_id, "
                                "action, changes, seal FROM audit_log WHERE id >= ? ORDER BY id",
                                (first,)).fetchall():
            new = audit.row_hash(*row, prev)
            conn.execute("UPDATE audit_log SET prev_hash = ?, row_hash = ? WHERE id = ?",
                         (prev, new, row[0]))
            prev = new
    conn.close()


@pytest.mark.file_only
def test_a_chain_rebuilt_by_hand_is_caught_by_a_backup_only(school, env):
    row = audit_id("case_file", school.cases["张伟"].id)
    close_database()
    backup = storage.backup(school.path, "posix")
    by_hand(school.path, drop_trigger("audit_log_no_update"),
            ("UPDATE audit_log SET changes = '{}' WHERE id = ?", (row,)))
    rehash_from(school.path, row)
    proc = check(env, school)
    assert proc.returncode == 1
    assert (f"audit_log row {row} differs from the backup {backup.name}: the log was rewritten "
            "from there on since that backup.") in proc.stdout
    backup.unlink()
    by_hand(school.path, 'CREATE TRIGGER "audit_log_no_update" BEFORE UPDATE ON "audit_log" '
                         "BEGIN SELECT RAISE(ABORT, 'the audit log cannot be changed'); END")
    proc = check(env, school)  # the journal still holds the entry as written
    assert proc.returncode == 1
    assert f"audit_log row {row}: changes differs from the journal" in proc.stdout
    shutil.rmtree(journal.journal_dir(school.path))  # without both, nothing shows it
    assert check(env, school).returncode == 0


@pytest.mark.file_only
def test_rows_cut_off_the_end_are_caught_by_a_backup(school, env):
    close_database()
    backup = storage.backup(school.path, "posix")
    last = sqlite3.connect(school.path).execute("SELECT MAX(id) FROM audit_log").fetchone()[0]
    by_hand(school.path, drop_trigger("audit_log_no_delete"),
            ("DELETE FROM audit_log WHERE id >= ?", (last - 1,)))
    proc = check(env, school)
    assert proc.returncode == 1
    assert (f"audit_log rows {last - 1}–{last} are in the backup {backup.name} but gone from the "
            "file.") in proc.stdout


# == the migration that began the chain =================================================
def test_the_migrations_frozen_hash_is_the_chains():
    import importlib

    frozen = importlib.import_module("db.migrations.0011_audit_chain")
    rows = [(1, "2026-11-20 15:30:00", 3, "王芳", "host", "contact", "7", "insert", '{"a": 1}', ""),
            (2, dt.datetime(2026, 11, 20, 15, 30, 0, 123), None, "", "", "staff", "", "seal",
             "{}", '{"1": {}}'),
            (3, "not a time", "4", None, None, "x", None, "read", None, None)]
    for row in rows:
        assert frozen._hash(*row, "abc") == audit.row_hash(*row, "abc")
    staff = (7, "王芳", "admin", 1, "7-1", "scrypt$16$8$1$xx$yy")
    assert frozen._staff_seal(staff) == audit.staff_seal(staff)
    assert frozen._staff_seal((7, "王芳", "admin", True, "", "")) == \
        audit.staff_seal((7, "王芳", "admin", 1, "", ""))


@pytest.mark.file_only
def test_a_file_from_before_the_chain_is_sealed_as_it_was(tmp_path, env):
    from tests.test_migrations import make_v1_file

    path = tmp_path / "v1.db"
    make_v1_file(path)
    conn = sqlite3.connect(path)
    with conn:  # a v1 file's log, with a gap in its ids
        for n in (1, 2, 5):
            conn.execute("INSERT INTO audit_log (id, at, staff_id, staff_name, host, table_name, "
                         "row_id, action, changes) VALUES (?, '2026-10-01 08:00:00', 1, '王芳', "
                         "'old', 'contact', '1', 'update', '{}')", (n,))
    conn.close()
    open_database(path)
    close_database()
    proc = run_cli(env, "check", db=path, pin=None)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    rows = sqlite3.connect(path).execute(
        "SELECT id, table_name, action, changes FROM audit_log WHERE id > 5").fetchall()
    assert rows[0] == (6, "audit_log", "seal", '{"last":5,"reason":"chain","rows":3}')
    assert rows[1][:3] == (7, "staff", "seal")
    by_hand(path, drop_trigger("audit_log_no_update"),
            "UPDATE audit_log SET changes = '{\"x\": 1}' WHERE id = 2")
    proc = run_cli(env, "check", db=path, pin=None)
    assert "audit_log row 2 was changed after it was written" in proc.stdout


# == a school's file copied to PostgreSQL verifies there ================================
@pytest.mark.server
def test_a_file_migrated_to_the_server_verifies_there(tmp_path, env):
    from db.store.migrate_to import migrate_to
    from tests.pg import drop_server_database, fresh_server_database, server_url

    path = tmp_path / "school.db"
    open_database(path, create=True)
    school = build_small_school(path)
    accounts.change_pin(school.other, school.other.id, "24680")
    close_database()
    url = fresh_server_database("bangfu_tamper_copy")
    try:
        assert migrate_to(path, url).ok
        url = server_url("bangfu_tamper_copy", with_password=True)
        proc = run_cli(env, "check", db=url, pin=None)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        open_database(url)
        try:
            assert not audit_checks.verify(database.execute_sql, server=True).findings
            # bangfu goes on writing on the server: the chain goes on
            accounts.update_account(Staff.get_by_id(school.teacher.id), school.other.id,
                                    role="counsellor")
            assert run_cli(env, "check", db=url, pin=None).returncode == 0
            database.execute_sql("UPDATE staff SET role = 'admin' WHERE id = ?", (school.other.id,))
            database.execute_sql("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_delete")
            database.execute_sql("DELETE FROM audit_log WHERE id = 3")
        finally:
            close_database()
        proc = run_cli(env, "check", db=url, pin=None)
        assert proc.returncode == 1
        assert ("the trigger audit_log_no_delete that keeps the log from being changed was "
                "altered or switched off") in proc.stdout
        assert "audit_log rows 3–3 were removed" in proc.stdout
        assert f"The account 李建国 (id {school.other.id}) was changed outside bangfu: role." \
            in proc.stdout
        doctor = run_cli(env, "doctor", db=url, pin=None)
        assert doctor.returncode == 1 and "audit_log rows 3–3 were removed" in doctor.stdout
    finally:
        close_database()
        drop_server_database("bangfu_tamper_copy")


@pytest.mark.file_only
def test_recover_past_a_newer_bad_backup_says_where_the_file_parts_from_it(tmp_path, env):
    """The newest backup fails its own check, so recover takes an older one;
    the newer one's log goes on differently (a row no journal holds is lost):
    the recover's audit row says from where, so check does not take that for
    tampering.  A backup made afterwards holds that row: a chain rebuilt by
    hand after it is caught."""
    from tests.test_storage import make_school

    path = tmp_path / "school.db"
    make_school(path)
    storage.backup(path, "posix", now=dt.datetime(2026, 11, 19, 10, 0))
    (head,) = sqlite3.connect(path).execute("SELECT MAX(id) FROM audit_log").fetchone()
    assert run_cli(env, "log", "20240101", "--text", "a", db=path).returncode == 0
    open_database(path)
    audit.seal_row("not journaled")
    close_database()
    assert run_cli(env, "log", "20240101", "--text", "b", db=path).returncode == 0
    newer = storage.backup(path, "posix", now=dt.datetime(2026, 11, 20, 10, 0))
    for spoilt in (newer, path):  # the newer backup and the file: a row rewritten
        by_hand(spoilt, drop_trigger("audit_log_no_update"),
                "UPDATE audit_log SET changes = '{}' WHERE id = 2")
    assert storage.check(newer, "posix").status == 1

    proc = run_cli(env, "recover", "--yes", db=path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    conn = sqlite3.connect(path)
    (changes,) = conn.execute("SELECT changes FROM audit_log WHERE action = 'seal' "
                              "AND table_name = 'audit_log' ORDER BY id DESC LIMIT 1").fetchone()
    conn.close()
    assert json.loads(changes) == {"reason": "recover", "relinked": [head + 2, head + 2],
                                   "restored": "school-20261119-100000.db",
                                   "restored_rows": head}
    assert run_cli(env, "check", db=path, pin=None).returncode == 0

    after = storage.backup(path, "posix", now=dt.datetime(2026, 11, 21, 10, 0))
    by_hand(path, drop_trigger("audit_log_no_update"),
            ("UPDATE audit_log SET changes = '{}' WHERE id = ?", (head + 1,)))
    rehash_from(path, head + 1)
    shutil.rmtree(journal.journal_dir(path))
    proc = run_cli(env, "check", db=path, pin=None)
    assert proc.returncode == 1
    assert f"audit_log row {head + 1} differs from the backup {after.name}" in proc.stdout


def test_the_schools_public_key_replaced_by_hand_is_named(school, env):
    """Restricted text is sealed for the key in ``school_public_key``: one put
    there by hand would seal it for someone else."""
    from db import keys

    if not hasattr(keys, "PUBLIC_SETTING"):
        pytest.skip("no school key in this tree")
    by_hand(school.path, ("INSERT INTO bangfu_meta (key, value) VALUES (?, ?)",
                          (keys.PUBLIC_SETTING, "bm90IHRoZSBzY2hvb2wncyBrZXk=")))
    proc = check(env, school)
    assert proc.returncode == 1
    assert f"The setting {keys.PUBLIC_SETTING} was added outside bangfu." in proc.stdout
