"""``bangfu check`` against the journals, and ``recover`` that never doubles an audit row.

A byte flipped inside a row's data passes ``PRAGMA integrity_check``: only the
journals (every committed write, one JSON line) say what the row should hold.
The commands run as real processes (tests/helpers.run_cli); the files are read
and damaged afterwards with plain ``sqlite3``.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
from collections import Counter
from pathlib import Path

import pytest

from db import audit
from db.store import journal, journal_check, storage
from db.store.connection import close_database, open_database
from db.store.host import hostname
from db.models import Contact, Guardian
from tests.helpers import cli_env, run_cli
from tests.test_storage import make_school, sql

# the file itself: its journals and its recovery
pytestmark = pytest.mark.file_only

MARKER = "Zq7marker"  # a unique string to find an entry's text in the file's bytes


@pytest.fixture
def env(tmp_path, local_state):
    return cli_env(tmp_path, local_state)


@pytest.fixture
def closing():
    yield
    close_database()


def log(env, path: Path, text: str) -> str:
    proc = run_cli(env, "log", "20240101", "--text", text, "--as", "王芳", db=path)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


def flip(path: Path, offset: int) -> None:
    """Change one character of the marker at ``offset`` (Z -> Y): the row keeps
    its length and its page its checksum-free layout, so the file stays valid."""
    data = bytearray(path.read_bytes())
    assert data[offset:offset + 1] == b"Z"
    data[offset] = ord("Y")
    path.write_bytes(bytes(data))


def occurrences(path: Path, text: str) -> list[int]:
    data, found, start = path.read_bytes(), [], 0
    while (at := data.find(text.encode(), start)) != -1:
        found.append(at)
        start = at + 1
    return found


def damaged_table(path: Path) -> str:
    """Which table lost the marker: the contact itself or its audit entry."""
    if not sql(path, "SELECT 1 FROM contact WHERE discussed LIKE ?", (f"%{MARKER}%",)):
        return "contact"
    assert not sql(path, "SELECT 1 FROM audit_log WHERE changes LIKE ?", (f"%{MARKER}%",))
    return "audit_log"


def audit_identities(path: Path) -> Counter:
    return Counter(sql(path, "SELECT at, host, table_name, row_id, action FROM audit_log"))


def integrity(path: Path) -> str:
    return sql(path, "PRAGMA integrity_check")[0][0]


# == 1. check sees a flipped byte ==================================================
@pytest.mark.parametrize("table", ["contact", "audit_log"])
def test_a_byte_flipped_in_an_entry_is_found_by_check(tmp_path, env, closing, table):
    path = tmp_path / "school.db"
    make_school(path)
    uuid = log(env, path, f"Mother said {MARKER} sleeps badly")
    (contact_id,) = sql(path, "SELECT id FROM contact WHERE uuid = ?", (uuid,))[0]
    (audit_id,) = sql(path, "SELECT id FROM audit_log WHERE table_name = 'contact' AND "
                            "row_id = ? AND action = 'insert'", (str(contact_id),))[0]
    proc = run_cli(env, "check", db=path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "ok" in proc.stdout

    spots = occurrences(path, MARKER)
    assert len(spots) == 2  # the entry and its audit row (the journal is not in the file)
    for offset in spots:  # the occurrence inside the table this run damages
        trial = tmp_path / "trial.db"
        shutil.copy(path, trial)
        flip(trial, offset)
        if damaged_table(trial) == table:
            break
    else:
        pytest.fail(f"no occurrence of the marker in {table}")
    trial.unlink()
    flip(path, offset)
    assert integrity(path) == "ok"  # SQLite's own check cannot see it

    proc = run_cli(env, "check", db=path)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    out = proc.stdout + proc.stderr
    if table == "contact":
        assert f"contact row {contact_id}: discussed differs from the journal" in out
    else:
        assert f"audit_log row {audit_id}: changes differs from the journal" in out
    if table == "audit_log":  # its chain link is broken too
        assert f"audit_log row {audit_id} was changed after it was written" in out
    assert ("damaged (1 problem)" if table == "contact" else "damaged (2 problems)") in proc.stderr
    assert "bangfu recover" in proc.stderr
    assert MARKER[1:] not in out and "sleeps" not in out  # no personal data printed
    assert "Traceback" not in out

    result = storage.check(path, "posix")
    assert result.status == 1
    assert [(d.table, d.row, d.column, d.kind) for d in result.differences] == [
        (table, str(contact_id if table == "contact" else audit_id),
         "discussed" if table == "contact" else "changes", "differs")]

    # the same in Chinese: table, row and column named, no value
    proc = run_cli(dict(env, LANG="zh_CN.UTF-8"), "--lang", "zh", "check", db=path)
    assert proc.returncode == 1
    assert "与日志" in proc.stdout and "sleeps" not in proc.stdout + proc.stderr


def test_a_missing_row_and_a_missing_audit_entry_are_named(tmp_path, env, closing):
    """A write the file lost (a restore without replay, a torn page rebuilt by
    hand): the journal has the entry and its audit row, the file has neither."""
    path = tmp_path / "school.db"
    make_school(path)
    before = tmp_path / "before.db"
    shutil.copy(path, before)
    uuid = log(env, path, "lost later")
    (contact_id,) = sql(path, "SELECT id FROM contact WHERE uuid = ?", (uuid,))[0]
    shutil.copy(before, path)  # the file as it was: the entry and its audit row gone

    result = storage.check(path, "posix")
    assert result.status == 1
    kinds = sorted((d.table, d.kind, d.row) for d in result.differences)
    assert kinds == [("audit_log", "missing", ""), ("contact", "missing", str(contact_id))]
    proc = run_cli(env, "check", db=path)
    assert proc.returncode == 1
    assert f"contact row {contact_id} is missing" in proc.stdout
    assert f"audit_log: the entry for contact row {contact_id} (insert, " in proc.stdout


# == 2. no false alarms ==============================================================
def test_every_kind_of_journaled_write_leaves_check_ok(tmp_path, env, closing):
    """Updates, amendments, deletes, settings, failed sign-ins and several writes
    of one row in one second: the file matches its journal's latest state."""
    from db.accounts import AccountError, authenticate
    from db.cases import update_case
    from db.contacts import amend_contact, load_entry
    from db.plan import add_goal, set_goal_status
    from db.rules import reset_rules
    from db.team import assign, unassign
    from db.workflow import mark_follow_up_done

    path = tmp_path / "school.db"
    school = make_school(path, padding=20)  # padding: bulk rows the journal never saw
    open_database(path)
    case_id = school.cases["张伟"].id
    update_case(school.teacher, case_id, 1, {"measures": "First"})
    update_case(school.teacher, case_id, 2, {"measures": "First, then second"})  # same second
    contact = Contact.get(Contact.uuid == "00000000-0000-4000-8000-000000000001")
    entry, _ = load_entry(contact.id)
    entry.discussed = "Corrected text"
    amend_contact(school.teacher, contact.id, entry)
    mark_follow_up_done(school.teacher, contact.id)
    goal = add_goal(school.teacher, case_id, "short", "Hand in homework", due="2026-12-01")
    set_goal_status(school.teacher, goal, "met")
    assign(school.teacher, case_id, school.other.id, "tutor")
    assign(school.teacher, case_id, school.other.id, "counsellor")
    [member] = [a for a in school.cases["张伟"].assignments if a.staff_id == school.other.id]
    unassign(school.teacher, member.id)
    from db.rules import save_rules
    from db.workflow import DEFAULT_RULES

    assert save_rules(school.teacher, DEFAULT_RULES[:1])
    assert reset_rules(school.teacher)  # a setting back to its default: the key removed
    with pytest.raises(AccountError):
        authenticate(school.other.id, "0000")  # counted in the file, journaled
    from db.students import _save_guardians
    from db.store import journal as jr

    student = school.students["张伟"].id
    with jr.transaction():  # the student editor removing a guardian
        _save_guardians(school.teacher, student, [
            {"id": g.id, "name": g.name, "relation": g.relation, "phone": g.phone,
             "wechat": g.wechat, "lives_with": g.lives_with, "works_away": g.works_away}
            for g in Guardian.select().where(Guardian.student == student)][:1])
    close_database()
    log(env, path, "from the command line")

    read = journal.read_all(path)
    assert {line["action"] for line in read.lines} >= {"insert", "update", "delete",
                                                        "sign_in_failed"}
    result = storage.check(path, "posix")
    assert result.status == 0, result.problems
    assert run_cli(env, "check", db=path).returncode == 0


def test_rows_a_migration_changed_are_not_compared(tmp_path, env, closing):
    """A migration may rewrite rows (and add columns) without the journal: only
    lines written under the file's present schema are compared."""
    path = tmp_path / "school.db"
    make_school(path)
    uuid = log(env, path, "as typed")
    schema = sql(path, "SELECT count(*) FROM schema_migration")[0][0]
    assert {line.get("schema") for line in journal.read_all(path).lines} == {schema}

    def by_hand(query, args=()):
        conn = sqlite3.connect(path)
        try:
            with conn:
                conn.execute(query, args)
        finally:
            conn.close()

    by_hand("UPDATE contact SET discussed = 'rewritten' WHERE uuid = ?", (uuid,))
    changed = storage.check(path, "posix")  # by hand, outside bangfu: damage
    assert changed.status == 1
    assert [(d.table, d.column) for d in changed.differences] == [("contact", "discussed")]

    # the same change made by a (future) migration: the schema moved on
    by_hand("ALTER TABLE contact ADD COLUMN summary TEXT NOT NULL DEFAULT ''")
    by_hand("INSERT INTO schema_migration (name, applied) VALUES ('0099_rewrite', ?)",
            (str(dt.datetime.now()),))
    assert storage.check(path, "posix").status == 0
    # a line written under the new schema is compared again
    host_file = journal.journal_file(path, hostname())
    lines = host_file.read_text(encoding="utf-8").splitlines()
    last = json.loads(lines[-1])
    assert last["row"]["uuid"] == uuid
    last["schema"] = 99
    host_file.write_text("\n".join(lines[:-1] + [json.dumps(last, ensure_ascii=False)]) + "\n",
                         encoding="utf-8")
    assert [(d.table, d.column) for d in storage.check(path, "posix").differences] == [
        ("contact", "discussed")]


def test_two_computers_writing_one_row_in_one_second_is_no_damage(tmp_path, closing):
    """Each computer's clock orders its own lines; lines of two computers a few
    seconds apart may be in either order, so either state is accepted, while a
    state nobody journaled is not."""
    from db.team import assign

    path = tmp_path / "school.db"
    school = make_school(path)
    open_database(path)
    case_id = school.cases["张伟"].id
    assign(school.teacher, case_id, school.other.id, "tutor")
    close_database()
    read = journal.read_all(path)
    mine = [line for line in read.lines if line["table"] == "assignment"][-1]
    assert mine["row"]["role"] == "tutor"
    # the other computer changed the role a moment "before" by its clock
    theirs = dict(mine, host="staffroom-2", row=dict(mine["row"], role="counsellor"),
                  audit=dict(mine["audit"], host="staffroom-2"))
    theirs.pop("_order")
    other = journal.journal_file(path, "staffroom-2")
    at = dt.datetime.fromisoformat(mine["at"]) - dt.timedelta(seconds=2)
    theirs["at"] = theirs["audit"]["at"] = str(at)
    other.write_text(json.dumps(theirs, ensure_ascii=False) + "\n", encoding="utf-8")
    a = theirs["audit"]
    open_database(path)  # its audit row, chained as bangfu on that computer writes it
    audit.append(dict(at=a["at"], staff=a["staff"], staff_name=a["staff_name"], host=a["host"],
                      table_name=a["table_name"], row_id=str(a["row_id"]), action=a["action"],
                      changes=a["changes"]))
    close_database()
    assert storage.check(path, "posix").status == 0  # the file holds this computer's
    for role, status in (("counsellor", 0), ("volunteer", 1)):
        conn = sqlite3.connect(path)
        with conn:
            conn.execute("UPDATE assignment SET role = ? WHERE id = ?", (role, mine["id"]))
        conn.close()
        assert storage.check(path, "posix").status == status, role


def test_a_file_without_journals_has_nothing_to_compare(tmp_path, closing):
    path = tmp_path / "school.db"
    make_school(path)
    backup = storage.backup(path, "posix")
    assert storage.check(backup, "posix") == storage.CheckResult(0, [], [])


# == 3. recover never doubles an audit row =============================================
def test_replay_onto_a_file_with_a_damaged_audit_row_adds_no_second_one(tmp_path, env, closing):
    path = tmp_path / "school.db"
    make_school(path)
    log(env, path, f"About {MARKER} and more")
    for offset in occurrences(path, MARKER):
        trial = tmp_path / "trial.db"
        shutil.copy(path, trial)
        flip(trial, offset)
        if damaged_table(trial) == "audit_log":
            break
    flip(path, offset)
    want = audit_identities(path)
    assert max(want.values()) == 1
    open_database(path)
    for _ in range(2):
        journal.replay(journal.read_all(path))
        assert audit_identities(path) == want  # no second copy of the damaged entry


def test_recover_twice_leaves_one_audit_row_per_write(tmp_path, env, closing):
    """The damaged audit row was taken for a missing one and written again on
    every recover; now the damage is seen, the file restored and replayed once."""
    path = tmp_path / "school.db"
    make_school(path)
    assert run_cli(env, "backup", db=path).returncode == 0
    for n in range(3):
        log(env, path, f"Entry {n} {MARKER}{n}")
    want = sorted(sql(path, "SELECT at, staff_id, staff_name, host, table_name, row_id, "
                            "action, changes FROM audit_log"), key=repr)
    offset = occurrences(path, f"{MARKER}0")
    for spot in offset:
        trial = tmp_path / "trial.db"
        shutil.copy(path, trial)
        flip(trial, spot)
        if not sql(trial, "SELECT 1 FROM audit_log WHERE changes LIKE ?", (f"%{MARKER}0%",)):
            break
    flip(path, spot)
    assert integrity(path) == "ok"

    proc = run_cli(env, "recover", "--yes", db=path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    got = sorted(sql(path, "SELECT at, staff_id, staff_name, host, table_name, row_id, "
                           "action, changes FROM audit_log"), key=repr)
    assert got == want  # each write's audit row once, as written
    assert max(audit_identities(path).values()) == 1
    proc = run_cli(env, "recover", "--yes", db=path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "not damaged" in proc.stdout
    assert sql(path, "SELECT count(*) FROM audit_log")[0][0] == len(want)
    assert run_cli(env, "check", db=path).returncode == 0


def test_two_alike_audit_entries_in_one_second_both_come_back(tmp_path, closing):
    """No unique key: entries alike in time, host, table, row and action are
    counted, so two openings of one entry in one second stay two."""
    path = tmp_path / "school.db"
    school = make_school(path)
    backup = tmp_path / "before.db"
    shutil.copy(path, backup)
    open_database(path)
    from db import audit
    from db.store import journal as jr

    contact = Contact.get(Contact.uuid == "00000000-0000-4000-8000-000000000001")
    for _ in range(2):
        with jr.transaction():
            audit.record(school.teacher, "contact", contact.id, "read", {"restricted": ""})
    close_database()
    want = audit_identities(path)
    assert max(want.values()) == 2
    shutil.copy(backup, path)
    open_database(path)
    for _ in range(2):
        journal.replay(journal.read_all(path))
        assert audit_identities(path) == want
    close_database()
    assert storage.check(path, "posix").status == 0


def test_the_journal_records_its_schema_and_the_row_as_committed(tmp_path, closing):
    """A row written again after its audit entry, in the same transaction, is
    journaled as it was committed (else check would call it damaged)."""
    from db import audit
    from db.store import journal as jr

    path = tmp_path / "school.db"
    school = make_school(path)
    open_database(path)
    case_id = school.cases["张伟"].id
    from db.models import Case

    with jr.transaction():
        audit.record(school.teacher, "case_file", case_id, "update", {"measures": ["", "x"]})
        Case.update(measures="as committed").where(Case.id == case_id).execute()
    close_database()
    last = journal.read_all(path).lines[-1]
    schema = sql(path, "SELECT count(*) FROM schema_migration")[0][0]
    assert last["row"]["measures"] == "as committed" and last["schema"] == schema
    assert last["host"] == hostname()
    assert storage.check(path, "posix").status == 0


def test_recover_puts_back_an_entry_whose_damage_reached_the_backup(tmp_path, env, closing):
    """The damage was copied into the newest backup before anyone noticed:
    replaying the journals gives the entry its journaled text back, and a
    backup whose audit rows are damaged is passed over for an older one."""
    path = tmp_path / "school.db"
    make_school(path)
    older = storage.backup(path, "posix", now=dt.datetime(2026, 11, 18, 7, 0))
    uuid = log(env, path, f"Father {MARKER} works away")
    spots = occurrences(path, MARKER)
    contact_spot = audit_spot = None
    for offset in spots:
        trial = tmp_path / "trial.db"
        shutil.copy(path, trial)
        flip(trial, offset)
        if damaged_table(trial) == "contact":
            contact_spot = offset
        else:
            audit_spot = offset
    flip(path, contact_spot)
    carried = storage.backup(path, "posix", now=dt.datetime(2026, 11, 19, 7, 0))
    assert storage.check(carried, "posix").status == 0  # a backup has no journal to compare
    assert storage.good_backup(path) == carried  # its audit rows are fine
    assert run_cli(env, "check", db=path).returncode == 1

    proc = run_cli(env, "recover", "--yes", db=path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Check: ok" in proc.stdout
    assert sql(path, "SELECT discussed FROM contact WHERE uuid = ?", (uuid,)) == [
        (f"Father {MARKER} works away",)]
    assert max(audit_identities(path).values()) == 1
    assert run_cli(env, "check", db=path).returncode == 0

    # an audit row damaged in the newest backup: recover takes the older one
    flip(carried, audit_spot)
    assert storage.good_backup(path) == older


def test_a_byte_changed_inside_a_chinese_character_is_named_not_printed(tmp_path, env, closing):
    """The changed byte leaves text that is not UTF-8 at all: check names the
    row and column instead of failing on it (or printing it)."""
    path = tmp_path / "school.db"
    make_school(path)
    text = "家长说孩子每晚睡得很晚Zq7"
    uuid = log(env, path, text)
    (contact_id,) = sql(path, "SELECT id FROM contact WHERE uuid = ?", (uuid,))[0]
    for offset in occurrences(path, text):
        trial = tmp_path / "trial.db"
        shutil.copy(path, trial)
        data = bytearray(trial.read_bytes())
        data[offset + 1] = 0x20  # the second byte of 家: no longer UTF-8
        trial.write_bytes(bytes(data))
        if not sql(trial, "SELECT 1 FROM contact WHERE CAST(discussed AS BLOB) = CAST(? AS BLOB)",
                   (text,)):
            break
    shutil.copy(trial, path)
    assert integrity(path) == "ok"
    proc = run_cli(env, "check", db=path)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert f"contact row {contact_id}: discussed differs from the journal" in proc.stdout
    assert "Traceback" not in proc.stderr and "睡得" not in proc.stdout + proc.stderr
    # and recover writes the journaled text back (the copy damaged as well)
    storage.backup(path, "posix")
    proc = run_cli(env, "recover", "--yes", db=path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 failed" in proc.stdout and "Check: ok" in proc.stdout
    assert sql(path, "SELECT discussed FROM contact WHERE uuid = ?", (uuid,)) == [(text,)]


def test_a_save_between_reading_the_journals_and_the_rows_is_no_damage(tmp_path, closing):
    """check reads the journals, then the rows: a save in between is in the file
    before its line is read.  Such a difference is looked at again with the
    lines written since, and only one that stays is reported."""
    from db.students import _save_guardians

    path = tmp_path / "school.db"
    school = make_school(path)
    expected = journal_check.scan(path)  # the journals as check read them
    open_database(path)
    student = school.students["张伟"].id
    with journal.transaction():  # the student editor: a guardian's new phone
        _save_guardians(school.teacher, student, [
            {"id": g.id, "name": g.name, "relation": g.relation,
             "phone": "13700000000" if g.relation == "mother" else g.phone,
             "wechat": g.wechat, "lives_with": g.lives_with, "works_away": g.works_away}
            for g in Guardian.select().where(Guardian.student == student)])
    close_database()
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        first = journal_check.compare(conn.execute, expected, 0)  # rows by digest
        assert [(d.table, d.column) for d in first] == [("guardian", "")]
        keys = {d.key for d in first}
        again = journal_check.scan(path, only=keys)  # those rows in full, as journaled by now
        assert journal_check.compare(conn.execute, again, 0, only=keys) == []
        expected.read(path)  # or: the lines written since
        assert journal_check.compare(conn.execute, expected, 0) == []
    finally:
        conn.close()
    assert storage.check(path, "posix").status == 0


# == a migration that rewrites rows ===================================================
def test_name_keys_computed_again_by_a_migration_are_no_difference(tmp_path, env, closing):
    """Schema 13 computes every name's keys again (their syllables apart): the
    journal's lines from before it hold the old keys and are not compared with
    the rows it rewrote, while a later line is."""
    path = tmp_path / "school.db"
    make_school(path)
    log(env, path, "before the migration")
    # the file and its journal as a bangfu of schema 12 left them
    con = sqlite3.connect(path)
    with con:
        for table in ("student", "staff"):
            con.execute(f"UPDATE {table} SET pinyin = REPLACE(pinyin, '''', '')")
        con.execute("DELETE FROM schema_migration WHERE name = '0013_name_syllables'")
    con.close()
    lines_of_schema_12(path)
    assert run_cli(env, "check", db=path).returncode == 0  # (a reader: not migrated)
    assert sql(path, "SELECT pinyin FROM student WHERE name = '张伟'") == [("zhangwei",)]

    open_database(path)  # a writer migrates
    close_database()
    assert sql(path, "SELECT pinyin FROM student WHERE name = '张伟'") == [("zhang'wei",)]
    assert sql(path, "SELECT pinyin FROM staff WHERE name = '王芳'") == [("wang'fang",)]
    proc = run_cli(env, "check", db=path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    proc = run_cli(env, "find", "wei", db=path)  # a syllable of the name, on the migrated file
    assert proc.returncode == 0 and "张伟" in proc.stdout, proc.stderr


def lines_of_schema_12(path: Path) -> None:
    """The journal's lines as a bangfu of schema 12 wrote them (keys without syllable marks)."""
    for file in journal.journal_dir(path).glob("*.jsonl"):
        lines = [json.loads(line) for line in file.read_text().splitlines()]
        for line in lines:
            line["schema"] = 12
            if line["table"] in ("student", "staff") and line["row"]:
                line["row"]["pinyin"] = line["row"]["pinyin"].replace("'", "")
        file.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines))


def test_names_put_back_from_older_lines_get_their_keys_computed_again(tmp_path, closing):
    """A recover replays lines from before schema 13 onto a file of schema 13:
    the names it puts back get their keys as that schema stores them."""
    from db.models import Staff, Student

    from db.staff import add_staff
    from db.students import create_student

    path = tmp_path / "school.db"
    open_database(path, create=True)
    add_staff(None, "王芳", "admin")
    create_student(None, student_no="20249001", name="吕伟")
    close_database()
    lines_of_schema_12(path)
    open_database(tmp_path / "empty.db", create=True)
    report = journal.replay(journal.read_all(path))
    assert report.by_table == {"staff": 1, "student": 1} and report.failed == 0
    assert Student.get(Student.name == "吕伟").pinyin == "lv'wei|lu'wei|lyu'wei"
    assert Staff.get(Staff.name == "王芳").pinyin == "wang'fang"
