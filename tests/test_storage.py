"""Looking after the shared file: locking mode, backups, check, doctor, unlock, recover.

The commands run as real processes (like tests/test_cli.py); the checks read
the files afterwards with plain ``sqlite3`` so they see what is really there.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from db import clock
from db.store import doctor, journal, storage
from db.cases import update_case
from db.config import ConfigError, resolve
from db.store.connection import DatabaseError, close_database, known_migrations, open_database
from db.store.lock import lock_dir, stale_lock_age
from db.contacts import ContactInput, validate
from db.outbox import queue_contact
from db.models import Contact
from tests.conftest import TODAY, build_small_school
from tests.helpers import cli_env

# the file itself: its locking, backups, checks, journals and recovery
pytestmark = pytest.mark.file_only

ROOT = Path(__file__).resolve().parent.parent
UUID_LEN = 36


# -- running the command -------------------------------------------------------
@pytest.fixture
def env(tmp_path, local_state):
    """No user config, no BANGFU_* from the caller (BANGFU_LOCKING unset), English;
    the test's own state folder, so the CLI's outbox is the one the test reads."""
    return cli_env(tmp_path, local_state)


def run(env, *args, db=None) -> subprocess.CompletedProcess:
    argv = [sys.executable, "-m", "tui.cli"]
    if db is not None:
        argv += ["--db", str(db)]
    argv += [str(a) for a in args]
    return subprocess.run(argv, capture_output=True, input="1234\n", text=True, encoding="utf-8",
                          env=env, cwd=ROOT, timeout=60)


def one_line_error(proc) -> str:
    assert "Traceback" not in proc.stderr, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("bangfu: ")
    return lines[0]


# -- files -----------------------------------------------------------------------
@pytest.fixture
def closing():
    """For tests that open their own files: unbind at the end."""
    yield
    close_database()


def make_school(path: Path, locking: str = "posix", padding: int = 0):
    """The small school in a new file (journaled), plus ``padding`` extra contacts
    (one bulk insert, so the file is big enough to damage in the middle)."""
    open_database(path, create=True, locking=locking)
    school = build_small_school(path)
    if padding:
        case = school.cases["张伟"].id
        Contact.insert_many([
            dict(uuid=f"00000000-0000-4000-8000-{i:012d}", case=case, author=school.teacher.id,
                 occurred_at=dt.datetime(2026, 10, 1, 9, 0), kind="family", channel="phone",
                 participants="", discussed=f"padding {i} " + "x" * 200, agreed="",
                 follow_up="", host="test", created_at=dt.datetime(2026, 10, 1, 9, 0))
            for i in range(100, 100 + padding)]).execute()
    close_database()
    return school


def damage(path: Path, pages: int = 3) -> None:
    """Overwrite a few whole pages in the middle of the file (a torn write on the share)."""
    size = path.stat().st_size
    assert size >= 40 * 4096, "the file must be big enough to damage in the middle"
    offset = (size // 4096 // 2) * 4096
    with path.open("r+b") as fh:
        fh.seek(offset)
        fh.write(b"\xa5" * (pages * 4096))


def sql(path: Path, query: str, args=()) -> list[tuple]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute(query, args).fetchall()
    finally:
        conn.close()


def stored_mode(path: Path) -> str | None:
    rows = sql(path, "SELECT value FROM bangfu_meta WHERE key = 'locking'")
    return rows[0][0] if rows else None


TABLES = ("staff", "term", "school_class", "student", "guardian", "case_file", "assignment",
          "contact", "audit_log", "bangfu_meta", "schema_migration")


def counts(path: Path) -> dict[str, int]:
    return {table: sql(path, f'SELECT count(*) FROM "{table}"')[0][0] for table in TABLES}


def contacts(path: Path) -> dict[str, tuple]:
    rows = sql(path, "SELECT uuid, id, case_id, author_id, occurred_at, kind, channel, "
                     "discussed FROM contact")
    found = {}
    for row in rows:
        assert row[0] not in found, f"uuid {row[0]} twice"
        found[row[0]] = row
    return found


def audit_rows(path: Path) -> list[tuple]:
    return sorted(sql(path, "SELECT at, staff_id, staff_name, host, table_name, row_id, action, "
                            "changes FROM audit_log"), key=repr)


def age_lock(path: Path, seconds: float) -> Path:
    """A dot-file lock directory taken ``seconds`` ago (as a crashed client leaves it)."""
    lock = lock_dir(path)
    lock.mkdir()
    then = time.time() - seconds
    os.utime(lock, (then, then))
    return lock


# == 1. the locking mode is stored in the file ====================================
def test_a_file_keeps_its_locking_mode_and_refuses_the_other(tmp_path, closing):
    dot, pos = tmp_path / "dot.db", tmp_path / "pos.db"
    open_database(dot, create=True, locking="dotfile")
    close_database()
    open_database(pos, create=True, locking="posix")
    close_database()
    assert stored_mode(dot) == "dotfile" and stored_mode(pos) == "posix"

    with pytest.raises(DatabaseError) as refused:
        open_database(dot, locking="posix")
    assert refused.value.code == "locking" and refused.value.detail == "dotfile"
    assert refused.value.path == str(dot)
    with pytest.raises(DatabaseError) as refused:
        open_database(pos, locking="dotfile")
    assert refused.value.code == "locking" and refused.value.detail == "posix"
    # refusing changed nothing, and the right mode still opens
    assert stored_mode(dot) == "dotfile" and stored_mode(pos) == "posix"
    assert not lock_dir(pos).exists() and not lock_dir(dot).exists()
    open_database(dot, locking="dotfile")
    close_database()


def test_a_file_without_a_stored_mode_adopts_the_first_one_used(tmp_path, closing):
    path = tmp_path / "old.db"
    open_database(path, create=True)
    close_database()
    conn = sqlite3.connect(path)  # as a file made before the mode was stored
    conn.execute("DELETE FROM bangfu_meta WHERE key = 'locking'")
    conn.commit()
    conn.close()
    assert stored_mode(path) is None

    open_database(path, locking="dotfile")
    close_database()
    assert stored_mode(path) == "dotfile"
    with pytest.raises(DatabaseError) as refused:
        open_database(path, locking="posix")
    assert refused.value.code == "locking" and refused.value.detail == "dotfile"
    assert stored_mode(path) == "dotfile"


def test_cli_on_a_dotfile_file_says_how_to_set_the_mode(tmp_path, env, closing):
    path = tmp_path / "school.db"
    make_school(path, "dotfile")
    config = Path(env["BANGFU_CONFIG_DIR"]) / "config.toml"

    proc = run(env, "find", "张", db=path)
    assert proc.returncode == 3 and proc.stdout == ""
    line = one_line_error(proc)
    assert str(path) in line
    assert "uses dotfile locking" in line and "set to posix (from default)" in line
    assert 'locking = "dotfile"' in line and str(config) in line
    assert "BANGFU_LOCKING=dotfile" in line and "--locking dotfile" in line

    proc = run(env, "--lang", "zh", "find", "张", db=path)
    assert proc.returncode == 3
    line = one_line_error(proc)
    assert "使用 dotfile 锁" in line and "本机设置为 posix" in line
    assert 'locking = "dotfile"' in line and "BANGFU_LOCKING=dotfile" in line
    assert "所有电脑必须一致" in line
    assert "uses" not in line  # not the English message
    assert stored_mode(path) == "dotfile"

    # each way the message offers works
    proc = run(env, "--locking", "dotfile", "find", "张", db=path)
    assert proc.returncode == 0, proc.stderr
    assert "张伟" in proc.stdout
    proc = run(dict(env, BANGFU_LOCKING="dotfile"), "find", "张", db=path)
    assert proc.returncode == 0, proc.stderr
    config.write_text('locking = "dotfile"\n', encoding="utf-8")
    proc = run(env, "find", "张", db=path)
    assert proc.returncode == 0, proc.stderr
    assert stored_mode(path) == "dotfile"


def test_a_zero_byte_file_is_not_silently_made_a_new_database(tmp_path, env):
    """A share that lost the file's contents leaves 0 bytes where the school was.
    Opening it must not quietly create an empty bangfu database in its place (the
    same promise as for a missing file): everyone would start writing into it."""
    path = tmp_path / "school.db"
    path.write_bytes(b"")
    proc = run(env, "find", "zw", db=path)
    assert proc.returncode == 3, proc.stdout + proc.stderr
    assert str(path) in one_line_error(proc)
    assert path.stat().st_size == 0


@pytest.fixture
def config_dir(tmp_path, monkeypatch):
    cfg = tmp_path / "cfgdir"
    cfg.mkdir()
    monkeypatch.setenv("BANGFU_CONFIG_DIR", str(cfg))
    return cfg


def test_locking_setting_flag_beats_environment_beats_config(config_dir):
    assert (resolve("x.db", "en", {}).locking, resolve("x.db", "en", {}).locking_source) == \
        ("posix", "default")
    (config_dir / "config.toml").write_text('locking = "dotfile"\nbackups = 3\n',
                                            encoding="utf-8")
    s = resolve("x.db", "en", {})
    assert (s.locking, s.locking_source, s.backups) == ("dotfile", "config", 3)
    s = resolve("x.db", "en", {"BANGFU_LOCKING": "posix"})
    assert (s.locking, s.locking_source) == ("posix", "BANGFU_LOCKING")
    s = resolve("x.db", "en", {"BANGFU_LOCKING": "posix"}, locking_arg="dotfile")
    assert (s.locking, s.locking_source) == ("dotfile", "--locking")
    s = resolve("x.db", "en", {"BANGFU_LOCKING": " DotFile "})
    assert (s.locking, s.locking_source) == ("dotfile", "BANGFU_LOCKING")
    s = resolve("x.db", "en", {"BANGFU_LOCKING": ""})  # empty falls through
    assert (s.locking, s.locking_source) == ("dotfile", "config")


@pytest.mark.parametrize("where", ["flag", "env", "config"])
def test_a_bad_locking_value_is_a_config_error(config_dir, where):
    environ, arg = {}, None
    if where == "flag":
        arg = "nfs"
    elif where == "env":
        environ = {"BANGFU_LOCKING": "nfs"}
    else:
        (config_dir / "config.toml").write_text('locking = "nfs"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        resolve("x.db", "en", environ, locking_arg=arg)
    assert "nfs" in str(err.value) and "dotfile" in str(err.value)


@pytest.mark.parametrize("value", ["0", "-1", '"many"', "true"])
def test_a_bad_backups_value_is_a_config_error(config_dir, value):
    (config_dir / "config.toml").write_text(f"backups = {value}\n", encoding="utf-8")
    with pytest.raises(ConfigError):
        resolve("x.db", "en", {})


def test_cli_bad_locking_in_the_environment_is_one_line(school, env):
    proc = run(dict(env, BANGFU_LOCKING="smb"), "find", "zw", db=school.path)
    assert proc.returncode == 3
    line = one_line_error(proc)
    assert "BANGFU_LOCKING" in line and "smb" in line


# == 2. backups ===================================================================
def test_backup_keeps_the_last_n_and_the_copy_is_whole(school):
    path = Path(school.path)
    before = counts(path)
    assert storage.backups(path) == [] and storage.last_backup(path) is None
    assert storage.backup_due(path, dt.date(2026, 11, 20))
    made = [storage.backup(path, "posix", keep=3, now=dt.datetime(2026, 11, day, 7, 5, 9))
            for day in range(15, 20)]
    kept = storage.backups(path)
    assert kept == made[:1:-1]  # the newest three, newest first
    assert [p.name for p in kept] == ["school-20261119-070509.db", "school-20261118-070509.db",
                                      "school-20261117-070509.db"]
    assert not made[0].exists() and not made[1].exists()
    assert sorted(p.name for p in storage.backup_dir(path).iterdir()) == sorted(
        p.name for p in kept)  # no partial copies left behind
    assert storage.last_backup(path) == (made[-1], dt.datetime(2026, 11, 19, 7, 5, 9))
    assert not storage.backup_due(path, dt.date(2026, 11, 19))
    assert storage.backup_due(path, dt.date(2026, 11, 20))
    # the copy opens, passes the check and holds the same rows
    assert counts(kept[0]) == before
    assert storage.check(kept[0], "posix").status == 0
    assert sql(kept[0], "PRAGMA journal_mode") == [("delete",)]
    assert counts(path) == before  # the original is untouched

    # recover takes the newest backup that passes the check
    assert storage.good_backup(path) == kept[0]
    kept[0].write_bytes(b"\0" * 4096)
    assert storage.check(kept[0], "posix").status != 0
    assert storage.good_backup(path) == kept[1]


def test_cli_backup_prints_the_path_and_honours_keep(school, env):
    path = Path(school.path)
    for day in (17, 18, 19):
        storage.backup(path, "posix", now=dt.datetime(2026, 11, day, 7, 0))
    proc = run(env, "backup", "--keep", "2", db=path)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout.strip()
    assert out.startswith("Backup written: ") and "Keeping the last 2." in out
    newest = storage.backups(path)
    assert len(newest) == 2
    assert str(newest[0]) in out  # the printed path is the new backup
    assert counts(newest[0]) == counts(path)
    assert newest[1].name == "school-20261119-070000.db"

    (Path(env["BANGFU_CONFIG_DIR"]) / "config.toml").write_text("backups = 1\n")
    proc = run(env, "backup", db=path)
    assert proc.returncode == 0, proc.stderr
    assert "Keeping the last 1." in proc.stdout
    assert len(storage.backups(path)) == 1


def test_cli_backup_of_a_missing_file(tmp_path, env):
    proc = run(env, "backup", db=tmp_path / "nope.db")
    assert proc.returncode == 3
    assert "nope.db" in one_line_error(proc)
    assert not (tmp_path / "nope.db.backups").exists()


# == 3. check ======================================================================
def test_check_good_then_damaged(tmp_path, env, closing):
    path = tmp_path / "school.db"
    make_school(path, padding=300)
    proc = run(env, "check", db=path)
    assert proc.returncode == 0, proc.stderr
    assert "ok" in proc.stdout and str(path) in proc.stdout

    damage(path)
    proc = run(env, "check", db=path)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "damaged" in proc.stderr and "bangfu recover" in proc.stderr
    assert storage.check(path, "posix").status == 1


def test_check_a_missing_file_cannot_open(tmp_path, env):
    proc = run(env, "check", db=tmp_path / "gone" / "school.db")
    assert proc.returncode == 2
    assert "Cannot open" in proc.stderr
    assert not (tmp_path / "gone").exists()


def test_check_a_directory_cannot_open(tmp_path, env):
    (tmp_path / "dir.db").mkdir()
    proc = run(env, "check", db=tmp_path / "dir.db")
    assert proc.returncode == 2, proc.stdout + proc.stderr


def test_check_a_file_that_is_not_sqlite_is_damaged(tmp_path, env):
    # a header overwritten with garbage: SQLite says "file is not a database";
    # it is reported as damaged (exit 1), so `recover` can restore it from backups
    path = tmp_path / "school.db"
    path.write_bytes(b"garbage " * 2048)
    proc = run(env, "check", db=path)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "file is not a database" in proc.stdout
    assert path.read_bytes() == b"garbage " * 2048  # untouched


def test_check_an_empty_file_is_not_reported_ok(tmp_path, env):
    # a share that lost the file's contents leaves 0 bytes: SQLite reads that as an
    # empty database, but for bangfu it is every record gone, not "ok"
    path = tmp_path / "school.db"
    path.write_bytes(b"")
    proc = run(env, "check", db=path)
    assert proc.returncode != 0, proc.stdout
    assert "ok" not in proc.stdout
    assert path.read_bytes() == b""


# == 4. doctor =====================================================================
MOUNTINFO = "\n".join([
    "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw,errors=remount-ro",
    "40 22 0:50 / /mnt/share rw,relatime shared:20 - cifs //server/staff "
    "rw,vers=3.1.1,cache=strict,username=bangfu,uid=0",
    "41 40 0:51 / /mnt/share/bangfu rw,relatime shared:21 - nfs4 server:/bangfu "
    "rw,vers=4.2,hard,proto=tcp,timeo=600",
    "42 22 0:52 / /mnt/share2 rw,relatime - cifs //server/other rw,cache=none",
    "43 22 0:53 / /mnt/my\\040share rw,relatime - fuse.sshfs host:/srv rw,user_id=0",
    "44 22 0:54 / /mnt/no-ac rw - nfs server:/x rw,noac,vers=3",
]) + "\n"


@pytest.mark.parametrize("path,point,fstype", [
    ("/mnt/share/bangfu/bangfu.db", "/mnt/share/bangfu", "nfs4"),
    ("/mnt/share/other/bangfu.db", "/mnt/share", "cifs"),
    ("/mnt/share", "/mnt/share", "cifs"),
    ("/mnt/share2/bangfu.db", "/mnt/share2", "cifs"),  # not inside /mnt/share
    ("/mnt/sharex/bangfu.db", "/", "ext4"),
    ("/mnt/my share/bangfu.db", "/mnt/my share", "fuse.sshfs"),
    ("/home/t/bangfu.db", "/", "ext4"),
])
def test_mount_of_picks_the_longest_mount_point(path, point, fstype):
    mount = doctor.mount_of(path, MOUNTINFO)
    assert (mount.mountpoint, mount.fstype) == (point, fstype)


def test_mount_of_reads_options_and_source():
    mount = doctor.mount_of("/mnt/share/x.db", MOUNTINFO)
    assert mount.source == "//server/staff" and mount.network
    assert {"cache=strict", "vers=3.1.1", "relatime"} <= mount.options
    assert not doctor.mount_of("/home/x.db", MOUNTINFO).network


def test_mount_of_a_chinese_mount_point_with_a_space():
    # the kernel escapes the space as \040; the rest of the name is UTF-8
    info = MOUNTINFO + "45 22 0:55 / /mnt/教务处\\040共享 rw - cifs //srv/教务 rw,cache=strict\n"
    mount = doctor.mount_of("/mnt/教务处 共享/bangfu.db", info)
    assert mount is not None and mount.mountpoint == "/mnt/教务处 共享"
    assert mount.fstype == "cifs" and mount.source == "//srv/教务"
    assert doctor.caching_warning(mount) == "cifs_cache"


@pytest.mark.parametrize("fstype,options,warning", [
    ("cifs", "rw,cache=strict", "cifs_cache"),
    ("cifs", "rw,vers=3.0", "cifs_cache"),  # strict is the default
    ("cifs", "rw,cache=none", ""),
    ("smb3", "rw,cache=loose", "cifs_cache"),
    ("nfs4", "rw,vers=4.2,hard", "nfs_cache"),
    ("nfs", "rw,noac", ""),
    ("nfs4", "rw,acregmin=0,acregmax=0,acdirmin=0,acdirmax=0", ""),
    ("nfs", "rw,acregmax=0", "nfs_cache"),
    ("fuse.sshfs", "rw,user_id=0", "sshfs_cache"),
    ("ext4", "rw,relatime", ""),
])
def test_caching_warning(fstype, options, warning):
    mount = doctor.mount_of("/mnt/s/bangfu.db",
                            f"22 1 8:1 / / rw - ext4 /dev/sda1 rw\n"
                            f"50 22 0:60 / /mnt/s rw,relatime - {fstype} src {options}\n")
    assert mount.fstype == fstype
    assert doctor.caching_warning(mount) == warning


def test_caching_warning_without_a_mount():
    assert doctor.caching_warning(None) == ""


def test_doctor_reports_a_stale_lock_and_a_wal_file(school):
    path = Path(school.path)
    close_database()
    report = doctor.doctor(path, "posix")
    assert report.exists and report.locking_stored == "posix"
    assert report.journal_mode == "delete"
    assert report.schema_version == len(known_migrations())
    assert report.lock_age is None and "stale_lock" not in report.warnings
    assert "wal" not in report.warnings
    assert "locking_mismatch" in doctor.doctor(path, "dotfile").warnings

    age_lock(path, 300)
    Path(str(path) + "-wal").write_bytes(b"")
    report = doctor.doctor(path, "posix", outbox=2)
    assert "stale_lock" in report.warnings and "wal" in report.warnings
    assert "outbox" in report.warnings and report.outbox == 2
    assert 299 <= report.lock_age < 400
    assert stale_lock_age(path) is not None
    assert lock_dir(path).is_dir()  # doctor only looks


def test_doctor_on_a_missing_file(tmp_path):
    report = doctor.doctor(tmp_path / "nope.db", "posix")
    assert not report.exists and report.size is None
    assert "no_recent_backup" not in report.warnings


def test_cli_doctor_prints_the_facts(school, env):
    path = Path(school.path)
    proc = run(env, "backup", db=path)
    assert proc.returncode == 0, proc.stderr
    backup = storage.backups(path)[0]
    close_database()

    proc = run(env, "doctor", db=path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = proc.stdout
    lines = dict(line.split(": ", 1) for line in out.splitlines() if ": " in line)
    assert lines["File"] == str(path.absolute())
    assert lines["Locking"] == "posix here (default); posix in the file"
    assert lines["Journal mode"] == "delete"
    assert lines["Schema version"] == str(len(known_migrations()))
    assert str(backup) in lines["Last backup"]
    assert lines["Waiting entries"] == "0"
    assert lines["Lock"] == "none held"
    assert "No warnings." in out

    open_database(path)
    entry = validate(ContactInput(case_id=school.cases["张伟"].id, discussed="queued"))
    from db.accounts import verify_pin
    from db.staff import find_staff
    verify_pin(find_staff("王芳")[0].id, "1234")  # signed in: her outbox key is held
    queue_contact(path, find_staff("王芳")[0], entry, "OperationalError")
    close_database()
    age_lock(path, 300)
    proc = run(env, "doctor", db=path)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    lines = dict(line.split(": ", 1) for line in proc.stdout.splitlines() if ": " in line)
    assert lines["Waiting entries"] == "1"
    assert lines["Lock"] == "held for 5 min"
    # read behind the stale lock too, without it (and without waiting for it)
    assert lines["Schema version"] == str(len(known_migrations()))
    assert "bangfu outbox --flush" in proc.stdout and "bangfu unlock" in proc.stdout

    proc = run(env, "--lang", "zh", "doctor", db=path)
    assert proc.returncode == 1
    assert "等待写入：1" in proc.stdout and "bangfu unlock" in proc.stdout


# == 5. unlock =====================================================================
def test_cli_unlock(tmp_path, env):
    path = tmp_path / "school.db"
    path.write_bytes(b"")  # unlock looks only at the lock beside the file

    proc = run(env, "unlock", db=path)
    assert proc.returncode == 0, proc.stderr
    assert "No lock" in proc.stdout

    lock = age_lock(path, 300)
    proc = run(env, "unlock", db=path)  # stdin is not a terminal: nobody to ask
    assert proc.returncode == 1
    assert "5 min" in proc.stdout and "Nothing removed" in proc.stdout
    assert lock.is_dir()

    proc = run(env, "unlock", "--yes", db=path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Lock removed" in proc.stdout
    assert not lock.exists()

    lock = age_lock(path, 5)  # someone is saving right now
    proc = run(env, "unlock", "--yes", db=path)
    assert proc.returncode == 1
    assert "--force" in proc.stdout
    assert lock.is_dir()
    proc = run(env, "unlock", "--yes", "--force", db=path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert not lock.exists()


# == 6. journal and recover ========================================================
def log(env, text: str, path: Path, *extra) -> str:
    proc = run(env, "log", "20240101", "--text", text, "--as", "王芳", *extra, db=path)
    assert proc.returncode == 0, proc.stderr
    uuid = proc.stdout.strip()
    assert len(uuid) == UUID_LEN
    return uuid


def journaled_contacts(path: Path) -> set[str]:
    return {line["row"]["uuid"] for line in journal.read_all(path).lines
            if line["table"] == "contact" and line.get("row")}


@pytest.mark.parametrize("locking", ["posix", "dotfile"])
def test_recover_rebuilds_from_the_backup_and_every_journal(tmp_path, env, locking, closing):
    path = tmp_path / "school.db"
    school = make_school(path, locking, padding=300)
    env = dict(env, BANGFU_LOCKING=locking)
    # each step a minute after the one before, all after the school was made (at
    # the tests' fixed 15:30): dated by the real time of day, the steps sorted
    # before the school's own lines in the journal whenever the suite ran before
    # 15:30 (and the case edit was lost), or the edit before the commands after it
    minutes = iter(range(60))

    def step() -> dict:
        return dict(env, BANGFU_NOW=f"{TODAY}T16:{next(minutes):02d}:00")

    early = [log(step(), f"before the backup {i}", path) for i in range(2)]
    proc = run(step(), "backup", db=path)
    assert proc.returncode == 0, proc.stderr
    late = [log(step(), f"after the backup {i}", path, "--channel", "w") for i in range(3)]
    open_database(path, locking=locking)
    case_id = school.cases["张伟"].id
    clock.set_today(TODAY, dt.datetime.fromisoformat(step()["BANGFU_NOW"]))
    assert update_case(school.other, case_id, 1, {"measures": "Daily check-in"}) == 2
    close_database()

    assert set(early + late) <= journaled_contacts(path)
    want_contacts, want_audit = contacts(path), audit_rows(path)
    want_counts = counts(path)
    damage(path)
    assert run(step(), "check", db=path).returncode == 1

    proc = run(step(), "recover", "--yes", db=path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 failed, 0 unreadable lines. Check: ok." in proc.stdout
    assert "4 rows restored" in proc.stdout  # three contacts and the case edit
    aside = [p for p in tmp_path.iterdir() if p.name.startswith("school.db.damaged-")]
    assert len(aside) == 1  # the damaged file is kept, moved aside

    got = contacts(path)
    assert got == want_contacts  # every entry back, exactly once, as it was
    for uuid in early + late:
        assert uuid in got
    assert sql(path, "SELECT version, measures, updated_by_id FROM case_file WHERE id = ?",
               (case_id,)) == [(2, "Daily check-in", school.other.id)]
    assert audit_rows(path) == want_audit
    assert counts(path) == want_counts
    assert stored_mode(path) == locking
    assert run(step(), "check", db=path).returncode == 0
    assert not lock_dir(path).exists()

    proc = run(step(), "recover", "--yes", db=path)  # again: nothing changes
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "not damaged" in proc.stdout and ": 0 rows restored" in proc.stdout
    assert "0 failed" in proc.stdout
    assert contacts(path) == want_contacts and audit_rows(path) == want_audit
    assert counts(path) == want_counts
    # and the app can write again
    assert log(step(), "after recovery", path) in contacts(path)


def test_recover_without_yes_and_without_a_terminal_changes_nothing(tmp_path, env, closing):
    path = tmp_path / "school.db"
    make_school(path, padding=300)
    assert run(env, "backup", db=path).returncode == 0
    damage(path)
    damaged = path.read_bytes()
    proc = run(env, "recover", db=path)
    assert proc.returncode == 1
    assert "Nothing removed" in proc.stdout
    assert path.read_bytes() == damaged
    assert not [p for p in tmp_path.iterdir() if ".damaged-" in p.name]


def test_recover_without_a_backup_keeps_the_damaged_file(tmp_path, env, closing):
    path = tmp_path / "school.db"
    make_school(path, padding=300)
    damage(path)
    damaged = path.read_bytes()
    proc = run(env, "recover", "--yes", db=path)
    assert proc.returncode == 1
    line = one_line_error(proc)
    assert "No good backup" in line
    assert path.read_bytes() == damaged


def test_recover_ignores_a_torn_last_journal_line(tmp_path, env, closing):
    from db.store.host import hostname

    path = tmp_path / "school.db"
    make_school(path, padding=300)
    assert run(env, "backup", db=path).returncode == 0
    late = [log(env, f"after the backup {i}", path) for i in range(2)]
    want = contacts(path)
    host_file = journal.journal_file(path, hostname())
    with host_file.open("ab") as fh:  # the machine died in the middle of a line
        fh.write(b'{"action": "insert", "at": "2026-11-20 16:00:00", "row": {"uuid": "12')
    read = journal.read_all(path)
    assert read.bad == 1 and read.files == 1
    damage(path)

    proc = run(env, "recover", "--yes", db=path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "1 unreadable line" in proc.stdout and "0 failed" in proc.stdout
    assert contacts(path) == want
    assert set(late) <= set(contacts(path))


def test_an_entry_written_after_a_torn_journal_line_is_still_recovered(tmp_path, env, closing):
    """The host crashed mid-line, then bangfu ran again on it: the next line must
    start on a line of its own, or it is glued to the torn one and lost."""
    from db.store.host import hostname

    path = tmp_path / "school.db"
    make_school(path, padding=300)
    assert run(env, "backup", db=path).returncode == 0
    host_file = journal.journal_file(path, hostname())
    with host_file.open("ab") as fh:
        fh.write(b'{"action": "insert", "at": "2026-11-20 16:00:00", "row": {"uuid": "12')
    after = log(env, "logged after the crash", path)
    in_journal = after in journaled_contacts(path)
    damage(path)

    proc = run(env, "recover", "--yes", db=path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "1 unreadable line" in proc.stdout
    assert after in contacts(path), f"journal line readable: {in_journal}; {proc.stdout}"


def test_two_saves_of_a_case_in_one_second_both_keep_their_audit_row(tmp_path, env, closing):
    """The audit log is the record of who changed what: a recovery must bring back
    both saves, even when they happened in the same second on the same computer."""
    path = tmp_path / "school.db"
    school = make_school(path, padding=300)
    assert run(env, "backup", db=path).returncode == 0
    open_database(path)
    case_id = school.cases["张伟"].id
    update_case(school.teacher, case_id, 1, {"measures": "First"})
    update_case(school.teacher, case_id, 2, {"measures": "First, then second"})
    close_database()
    want = audit_rows(path)
    assert sum(1 for row in want if row[4] == "case_file" and row[6] == "update") == 2
    damage(path)

    proc = run(env, "recover", "--yes", db=path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert sql(path, "SELECT version, measures FROM case_file WHERE id = ?", (case_id,)) == \
        [(3, "First, then second")]
    assert audit_rows(path) == want


def test_replay_is_idempotent_in_process(tmp_path, closing):
    path = tmp_path / "school.db"
    school = make_school(path)
    open_database(path)
    update_case(school.teacher, school.cases["赵薇"].id, 1, {"status": "active"})
    read = journal.read_all(path)
    assert read.bad == 0 and read.files == 1
    before = counts(path)
    report = journal.replay(read)
    assert (report.applied, report.failed) == (0, 0)
    assert report.present == len(read.lines)
    assert counts(path) == before


def test_only_committed_writes_reach_the_journal(school):
    from db.cases import VersionConflict
    from db.contacts import CaseGone, save_contact
    from db.models import Case

    path = Path(school.path)
    case_id = school.cases["张伟"].id
    lines = len(journal.read_all(path).lines)
    update_case(school.teacher, case_id, 1, {"measures": "Mine"})
    read = journal.read_all(path)
    assert len(read.lines) == lines + 1
    last = read.lines[-1]
    assert (last["table"], last["action"], last["author_name"]) == ("case_file", "update", "王芳")
    assert last["row"]["version"] == 2 and last["row"]["measures"] == "Mine"
    assert last["audit"]["table_name"] == "case_file"

    with pytest.raises(VersionConflict):  # refused: nothing written, nothing journaled
        update_case(school.other, case_id, 1, {"measures": "Theirs"})
    gone = school.cases["赵薇"].id
    entry = validate(ContactInput(case_id=gone, discussed="too late"))
    Case.get_by_id(gone).delete_instance(recursive=True)
    with pytest.raises(CaseGone):
        save_contact(school.other, entry)
    read = journal.read_all(path)
    assert all(line["uuid"] != entry.uuid for line in read.lines)
    assert not any(line.get("row") and line["row"].get("measures") == "Theirs"
                   for line in read.lines)


def test_replay_gives_another_hosts_entry_a_new_id_when_its_id_is_taken(tmp_path, closing):
    path = tmp_path / "school.db"
    school = make_school(path)
    open_database(path)
    from db.contacts import save_contact

    mine = validate(ContactInput(case_id=school.cases["张伟"].id, discussed="from this host"))
    my_id, _ = save_contact(school.teacher, mine)
    [line] = [ln for ln in journal.read_all(path).lines
              if ln["table"] == "contact" and ln["row"]["uuid"] == mine.uuid]
    # the other host wrote its own entry with the same id into a file since lost
    theirs = dict(line, uuid="99999999-0000-4000-8000-000000000009", host="staffroom-2")
    theirs["row"] = dict(line["row"], uuid=theirs["uuid"], discussed="from the other host")
    theirs["audit"] = dict(line["audit"], host="staffroom-2")
    theirs.pop("_order")
    other = journal.journal_file(path, "staffroom-2")
    other.write_text(json.dumps(theirs, ensure_ascii=False) + "\n", encoding="utf-8")

    report = journal.replay(journal.read_all(path))
    assert report.applied == 1 and report.failed == 0
    rows = {uuid: (cid, text) for uuid, cid, text in
            sql(path, "SELECT uuid, id, discussed FROM contact WHERE uuid IN (?, ?)",
                (mine.uuid, theirs["uuid"]))}
    assert rows[mine.uuid] == (my_id, "from this host")
    assert rows[theirs["uuid"]][1] == "from the other host"
    assert rows[theirs["uuid"]][0] != my_id
    assert sql(path, "SELECT count(*) FROM audit_log WHERE host = 'staffroom-2'") == [(1,)]
    report = journal.replay(journal.read_all(path))
    assert report.applied == 0 and report.failed == 0


def test_recover_brings_back_an_amendment_and_a_follow_up_marked_done(school, tmp_path):
    """Updates of an entry are journaled too: after a restore from an older backup
    the entry comes back as amended, its follow-up done."""
    import shutil

    from db.store.connection import close_database, open_database
    from db.contacts import amend_contact, load_entry
    from db.workflow import mark_follow_up_done

    path = school.path
    backup = tmp_path / "before.db"
    contact = Contact.get(Contact.uuid == "00000000-0000-4000-8000-000000000001")
    close_database()
    shutil.copy(path, backup)  # the file as it was before the two updates
    open_database(path)
    entry, _ = load_entry(contact.id)
    entry.discussed = "Corrected text"
    amend_contact(school.teacher, contact.id, entry)
    mark_follow_up_done(school.teacher, contact.id)
    close_database()
    shutil.copy(backup, path)  # as if restored from the older backup
    open_database(path)
    report = journal.replay(journal.read_all(path))
    row = Contact.get_by_id(contact.id)
    assert row.discussed == "Corrected text" and row.follow_up_done_on is not None
    assert report.applied == 1  # one row, written once in its newest state
    again = journal.replay(journal.read_all(path))
    assert again.applied == 0  # idempotent


def test_a_new_file_is_for_owner_and_group_only_and_doctor_names_one_others_can_read(school):
    import os
    import stat

    path = Path(school.path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o660
    close_database()
    assert "others_can_read" not in doctor.doctor(path, "posix").warnings
    os.chmod(path, 0o644)  # copied to the share by hand, say
    assert doctor.open_to_others(path) == [path]
    assert "others_can_read" in doctor.doctor(path, "posix").warnings
    os.chmod(path, 0o660)
    backup = storage.backup(path, "posix")
    assert stat.S_IMODE(Path(backup).stat().st_mode) == 0o660
    os.chmod(backup, 0o604)
    assert doctor.open_to_others(path) == [Path(backup)]
