"""Schema migrations on open, refusing newer files, and the connection pragmas."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from peewee import IntegrityError, SqliteDatabase
from playhouse.migrations import Runner

from db.cases import load_case
from db.store.connection import (DatabaseError, close_database, known_migrations, open_database,
                           schema_version)
from db.models import Contact, Student, database
from db.roster import load_index

MIGRATIONS = Path(__file__).resolve().parent.parent / "db" / "migrations"
MIGRATION_FILES = sorted(p.stem for p in MIGRATIONS.glob("[0-9]*.py"))


@pytest.fixture(autouse=True)
def closed_afterwards():
    yield
    close_database()


def make_v1_file(path: Path) -> None:
    """A file as the first bangfu release left it, with one small case in it."""
    db = SqliteDatabase(str(path))
    Runner(db, directory=str(MIGRATIONS)).up(target="0001_initial")
    now = "2026-10-01 08:00:00"
    sql = [
        ("insert into staff (id, name, pinyin, initials, role, active, created_at) "
         "values (1, '王芳', 'wangfang', 'wf', 'class_teacher', 1, ?)", (now,)),
        ("insert into school_class (id, name, code, grade, head_teacher_id) "
         "values (1, '七年级(1)班', '7-1', 7, 1)", ()),
        ("insert into student (id, student_no, name, gender, school_class_id, birth_date, "
         "family_flags, family_notes, pinyin, initials, version, created_at, updated_at) "
         "values (1, '20240101', '张伟', 'M', 1, '2013-03-04', 'left_behind_one', "
         "'父亲在外务工', 'zhangwei', 'zw', 1, ?, ?)", (now, now)),
        ("insert into term (id, name, school_year, semester, start_date, end_date) "
         "values (1, '2026-2027 第一学期', '2026-2027', 1, '2026-09-01', '2027-01-20')", ()),
        ("insert into case_file (id, student_id, term_id, status, categories, causes, "
         "risk_level, strengths, academic_base, main_problems, cause_analysis, measures, "
         "opened_on, closed_on, version, updated_at, updated_by_id) values (1, 1, 1, 'active', "
         "'academic', 'habits', 'high', '', '', '作业经常不交', '', '每周两次面批', "
         "'2026-09-10', NULL, 1, ?, 1)", (now,)),
        ("insert into assignment (id, case_id, staff_id, role, assigned_on, active) "
         "values (1, 1, 1, 'lead', '2026-09-10', 1)", ()),
        ("insert into contact (id, uuid, case_id, author_id, occurred_at, kind, channel, "
         "participants, duration_min, discussed, agreed, follow_up, follow_up_due, "
         "created_at, host) values (1, '00000000-0000-4000-8000-00000000000a', 1, 1, "
         "'2026-10-08 16:00:00', 'family', 'phone', '张父', 15, 'v1 note', 'check daily', "
         "'call again', '2026-10-15', ?, 'old-host')", (now,)),
    ]
    with db.atomic():
        for statement, params in sql:
            db.execute_sql(statement, params)
    db.close()


def columns(table: str) -> set[str]:
    return {r[1] for r in database.obj.execute_sql(f"pragma table_info({table})")}


def test_migration_files_are_known():
    assert known_migrations() == MIGRATION_FILES
    assert MIGRATION_FILES[0] == "0001_initial"


def test_v1_file_is_upgraded_on_open(tmp_path):
    path = tmp_path / "v1.db"
    make_v1_file(path)
    with sqlite3.connect(path) as conn:
        v1_cols = {r[1] for r in conn.execute("pragma table_info(contact)")}
    assert "follow_up_done_on" not in v1_cols

    db = open_database(path)
    assert schema_version(db) == len(MIGRATION_FILES)
    applied = [r[0] for r in db.execute_sql("select name from schema_migration order by name")]
    assert applied == MIGRATION_FILES
    assert "follow_up_done_on" in columns("contact")
    indexed = [[c[2] for c in db.execute_sql(f"pragma index_info({ix[1]})")]
               for ix in db.execute_sql("pragma index_list(contact)")]
    assert ["case_id", "occurred_at"] in indexed

    # the old rows are intact
    contact = Contact.get_by_id(1)
    assert contact.uuid == "00000000-0000-4000-8000-00000000000a"
    assert contact.discussed == "v1 note" and contact.host == "old-host"
    assert contact.follow_up_due == dt.date(2026, 10, 15)
    assert contact.follow_up_done_on is None
    assert Student.get_by_id(1).name == "张伟"

    view = load_case(1)
    assert view.name == "张伟" and view.class_name == "七年级(1)班"
    assert view.status == "active" and view.risk_level == "high"
    assert view.lead == "王芳" and view.term_name == "2026-2027 第一学期"
    assert [c.discussed for c in view.contacts] == ["v1 note"]
    assert view.contacts[0].follow_up_done_on is None
    assert [r.name for r in load_index().search("zw")] == ["张伟"]


def test_upgraded_file_opens_again_without_changes(tmp_path):
    path = tmp_path / "v1.db"
    make_v1_file(path)
    open_database(path)
    close_database()
    db = open_database(path)
    assert schema_version(db) == len(MIGRATION_FILES)
    assert db.execute_sql("select count(*) from schema_migration").fetchone()[0] == len(
        MIGRATION_FILES)


def test_new_file_gets_every_migration(tmp_path):
    db = open_database(tmp_path / "new.db", create=True)
    assert schema_version(db) == len(MIGRATION_FILES)
    assert "follow_up_done_on" in columns("contact")


def test_file_from_a_newer_bangfu_is_refused(tmp_path):
    path = tmp_path / "newer.db"
    open_database(path, create=True)
    database.obj.execute_sql("insert into schema_migration (name, applied) values (?, ?)",
                             ("0099_from_the_future", "2027-01-01 00:00:00"))
    close_database()
    before = path.read_bytes()
    with pytest.raises(DatabaseError) as info:
        open_database(path)
    assert info.value.code == "newer"
    assert "0099_from_the_future" in info.value.detail
    assert str(path) in info.value.path
    assert path.read_bytes() == before


def test_refused_file_is_not_left_open(tmp_path):
    path = tmp_path / "newer.db"
    open_database(path, create=True)
    database.obj.execute_sql("insert into schema_migration (name, applied) values (?, ?)",
                             ("0099_from_the_future", "2027-01-01 00:00:00"))
    close_database()
    with pytest.raises(DatabaseError):
        open_database(path)
    # nothing may go on using a file this bangfu does not understand
    bound = database.obj
    assert bound is None or bound.is_closed()
    import gc
    from peewee import SqliteDatabase as _Sqlite

    left_open = [o for o in gc.get_objects()
                 if isinstance(o, _Sqlite) and o.database == str(path) and not o.is_closed()]
    assert left_open == []


def test_missing_file_is_an_error_and_not_created(tmp_path):
    path = tmp_path / "share" / "missing.db"
    with pytest.raises(DatabaseError) as info:
        open_database(path)
    assert info.value.code == "missing"
    assert info.value.path == str(path)
    assert not path.exists() and not path.parent.exists()


def test_corrupt_file_is_refused_as_unreadable(tmp_path):
    path = tmp_path / "corrupt.db"
    path.write_bytes(b"this is not a database " * 100)
    with pytest.raises(DatabaseError) as info:
        open_database(path)
    assert info.value.code == "unreadable"
    assert info.value.path == str(path)


# --- pragmas ----------------------------------------------------------------

def pragma(db, name):
    return db.execute_sql(f"pragma {name}").fetchone()[0]


def test_open_sets_the_share_safe_pragmas(tmp_path):
    db = open_database(tmp_path / "p.db", create=True)
    assert pragma(db, "journal_mode") == "delete"
    assert pragma(db, "foreign_keys") == 1
    assert pragma(db, "busy_timeout") > 0
    assert pragma(db, "synchronous") == 2  # FULL


def test_foreign_keys_are_enforced(tmp_path):
    open_database(tmp_path / "fk.db", create=True)
    with pytest.raises(IntegrityError):
        Contact.create(uuid="x", case=999, author=999, occurred_at=dt.datetime(2026, 11, 1),
                       kind="family", channel="phone")


@pytest.mark.parametrize("locking", ["posix", "dotfile"])
def test_wal_file_is_switched_back_to_delete(tmp_path, locking):
    """The dot-file VFS cannot open a WAL file at all: it is switched back first."""
    path = tmp_path / "wal.db"
    open_database(path, create=True, locking=locking)
    close_database()
    with sqlite3.connect(path) as conn:
        assert conn.execute("pragma journal_mode=wal").fetchone()[0] == "wal"
        conn.execute("insert into bangfu_meta (key, value) values ('k', 'v')")
    conn.close()
    assert path.read_bytes()[18:20] == b"\x02\x02"  # WAL in the file header

    db = open_database(path, locking=locking)
    assert pragma(db, "journal_mode") == "delete"
    assert db.execute_sql("select value from bangfu_meta where key='k'").fetchone()[0] == "v"
    close_database()
    assert path.read_bytes()[18:20] == b"\x01\x01"  # rollback journal again
    assert not Path(str(path) + "-wal").exists()
    assert not Path(str(path) + "-shm").exists()


def test_names_get_their_syllables_apart_on_open(tmp_path):
    """Schema 13: keys stored as one string per reading (zhangwei) are computed
    again with the syllables apart, so a search matches at their boundaries."""
    from db.models import Staff

    path = tmp_path / "v1.db"
    make_v1_file(path)
    open_database(path)
    assert (Student.get_by_id(1).pinyin, Student.get_by_id(1).initials) == ("zhang'wei", "zw")
    assert Staff.get_by_id(1).pinyin == "wang'fang"
    index = load_index()
    assert [r.name for r in index.search("wei")] == ["张伟"]
    assert index.search("hangwei") == []  # not from the middle of a syllable
