"""Issue 17, defects 1-5: nothing a client with the wrong locking, an unlock or
a recover does may cost a live writer its work, and every failure says what
happened in words.

- a client set to the other locking mode is refused before SQLite can touch
  the file or a live writer's journal (every command and the app);
- a long write says who holds the lock (host, pid, a heartbeat): it is never
  called a crash, and nothing removes a lock whose owner is alive;
- recover, unlock and set-locking never change the stored mode unless asked,
  and need an administrator's PIN whenever the file can be read;
- a failure's message names what happened, never an exception class.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from db.store import connection, host, lock
from db.store.connection import DatabaseError, close_database, open_database, peek_locking
from db.store.lock import LockHeld, live_owner, lock_dir, lock_owners, owners_dir, remove_lock, stale_lock_age
from db.models import database
from tests.conftest import build_small_school
from tests.helpers import ROOT, cli_env, run_cli
from tests.share import share, share_factory  # noqa: F401  (fixtures)

pytestmark = pytest.mark.file_only

# A raw SQLite client with one locking mode that opens a big write transaction
# (spilled to the file, so its rollback journal is "hot" to anyone whose locks
# do not see it), says "ready", waits for a line on stdin, then commits.
LIVE_WRITER = r"""
import sqlite3, sys
from urllib.parse import quote
path, vfs = sys.argv[1], sys.argv[2]
uri = "file:" + quote(path, safe="/") + "?mode=rw" + ("&vfs=unix-dotfile" if vfs == "dotfile" else "")
conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=30)
conn.execute("PRAGMA cache_size = 10")  # spill pages to the file inside the transaction
conn.execute("BEGIN IMMEDIATE")
conn.executemany("INSERT INTO filler (text) VALUES (?)", [("x" * 200,) for _ in range(3000)])
print("ready", flush=True)
sys.stdin.readline()
conn.execute("COMMIT")
print("committed", flush=True)
"""


def make_file(path: Path, locking: str) -> None:
    open_database(path, create=True, locking=locking)
    try:
        build_small_school(path)
        database.execute_sql("CREATE TABLE filler (id INTEGER PRIMARY KEY, text TEXT)")
    finally:
        close_database()


def start_live_writer(path: Path, vfs: str) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", LIVE_WRITER, str(path), vfs],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    assert proc.stdout.readline() == "ready\n", proc.stderr.read()
    assert Path(str(path) + "-journal").exists()
    return proc


def finish_live_writer(proc: subprocess.Popen) -> None:
    out, err = proc.communicate("go\n", timeout=60)
    assert proc.returncode == 0 and out == "committed\n", err[-2000:]


def filler_rows(path: Path) -> int:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        return conn.execute("SELECT count(*) FROM filler").fetchone()[0]
    finally:
        conn.close()


# == 1. the other locking mode never touches the file ==============================
@pytest.mark.parametrize("stored, wrong", [("dotfile", "posix"), ("posix", "dotfile")])
def test_a_client_with_the_other_locking_never_rolls_back_a_live_writer(tmp_path, stored, wrong):
    """Before: a posix client opened a dotfile file read-write, took the live
    writer's journal for a crashed one's and rolled it back (the writer's
    COMMIT then failed, or the file was damaged); a dotfile client did the same
    to a posix writer through its own roll-back."""
    path = tmp_path / "school.db"
    make_file(path, stored)
    assert peek_locking(path) == stored
    writer = start_live_writer(path, stored)
    try:
        with pytest.raises(DatabaseError) as refused:
            open_database(path, locking=wrong)
        assert refused.value.code == "locking" and refused.value.detail == stored
        from db.store import storage

        assert storage.check(path, wrong).status == 2
        with pytest.raises(DatabaseError):
            storage.backup(path, wrong)
        env = cli_env(tmp_path)
        env["BANGFU_LOCKING"] = wrong
        for args in (["find", "zw"], ["log", "20240101", "--text", "x"], ["backup"],
                     ["unlock", "--yes", "--force"], ["recover", "--yes"], ["check"]):
            proc = run_cli(env, *args, db=path)
            assert proc.returncode in (2, 3), (args, proc.stdout, proc.stderr)
            assert f"uses {stored} locking" in proc.stderr, (args, proc.stderr)
        doctor = run_cli(env, "doctor", db=path)
        assert "locking" in doctor.stdout and stored in doctor.stdout
        assert Path(str(path) + "-journal").exists()  # the live writer's, untouched
    finally:
        finish_live_writer(writer)
    assert filler_rows(path) == 3000
    assert peek_locking(path) == stored


def test_peek_reads_the_mode_without_a_lock_or_the_journal(tmp_path):
    path = tmp_path / "school.db"
    assert peek_locking(path) is None  # no file
    path.write_bytes(b"not a database at all" * 100)
    assert peek_locking(path) is None
    path.unlink()
    make_file(path, "dotfile")
    lock_dir(path).mkdir()  # a writer holds the lock: the peek does not wait for it
    try:
        assert peek_locking(path) == "dotfile"
    finally:
        lock_dir(path).rmdir()


async def test_the_app_with_the_other_locking_is_refused_and_touches_nothing(tmp_path):
    from db.config import Settings
    from tui.app import BangfuApp

    path = tmp_path / "school.db"
    make_file(path, "dotfile")
    writer = start_live_writer(path, "dotfile")
    try:
        settings = Settings(db_path=path, db_source="--db", lang="en", lang_source="test",
                            user="", locking="posix", locking_source="test")
        app = BangfuApp(settings=settings)
        async with app.run_test(size=(80, 24)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert app.database is None and not app.db_ready
        assert Path(str(path) + "-journal").exists()
    finally:
        finish_live_writer(writer)
    assert filler_rows(path) == 3000


# == 2. a long write is never taken for a crash =====================================
LONG_WRITE = r"""
import sys, time
sys.path.insert(0, sys.argv[1])
from db.store.connection import open_database
from db.store.lock import owners_dir
from db.store import journal
from db.models import database
open_database(sys.argv[2], locking="dotfile")
with journal.transaction():
    database.execute_sql("INSERT INTO filler (text) VALUES ('a long import')")
    while not any(owners_dir(sys.argv[2]).glob("*.json")):  # it has said who it is
        time.sleep(0.05)
    print("holding", flush=True)
    sys.stdin.readline()
print("committed", flush=True)
"""


def start_long_write(tmp_path) -> tuple[Path, dict, subprocess.Popen]:
    """A dot-file school and a writer inside its transaction, past the second
    after which it says who it is; (file, a CLI environment, the writer)."""
    path = tmp_path / "school.db"
    make_file(path, "dotfile")
    env = dict(cli_env(tmp_path), BANGFU_LOCKING="dotfile")
    writer = subprocess.Popen([sys.executable, "-c", LONG_WRITE, str(ROOT), str(path)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    assert writer.stdout.readline() == "holding\n", writer.stderr.read()
    return path, env, writer


def test_a_long_write_is_never_called_a_crash_and_its_lock_is_never_removed(tmp_path):
    """Before: a lock older than 60 s was "a client probably crashed" to doctor
    and the app, and ``unlock --yes`` removed it under the live writer."""
    path, env, writer = start_long_write(tmp_path)
    try:
        old = time.time() - 300  # as if it had written for five minutes
        os.utime(lock_dir(path), (old, old))
        [owner] = lock_owners(path)
        assert owner.pid == writer.pid and owner.alive
        assert stale_lock_age(path) is None
        doctor = run_cli(env, "doctor", db=path)
        assert "crashed" not in doctor.stdout and str(writer.pid) in doctor.stdout, doctor.stdout
        assert "alive" in doctor.stdout
        os.kill(writer.pid, signal.SIGSTOP)  # even a stopped one (a suspended laptop) is alive
        try:
            for extra in ([], ["--force"]):
                proc = run_cli(env, "unlock", "--yes", *extra, db=path)
                assert proc.returncode == 1, proc.stdout + proc.stderr
                assert "still writing" in proc.stdout and str(writer.pid) in proc.stdout
                assert lock_dir(path).is_dir()
            with pytest.raises(LockHeld):
                remove_lock(path)
        finally:
            os.kill(writer.pid, signal.SIGCONT)
        out, err = writer.communicate("go\n", timeout=60)
        assert writer.returncode == 0 and out == "committed\n", err[-2000:]
    finally:
        if writer.poll() is None:
            writer.kill()
    assert not lock_dir(path).exists() and not list(owners_dir(path).glob("*.json"))
    assert filler_rows(path) == 1


def test_a_crashed_long_writers_lock_is_removed_with_an_administrators_pin(tmp_path):
    path, env, writer = start_long_write(tmp_path)
    writer.kill()  # kill -9 inside its transaction
    writer.communicate(timeout=60)
    old = time.time() - 300
    os.utime(lock_dir(path), (old, old))
    assert live_owner(path) is None and stale_lock_age(path) is not None

    wrong = run_cli(env, "unlock", "--yes", db=path, pin="9999")
    assert wrong.returncode == 4 and lock_dir(path).is_dir(), wrong.stdout + wrong.stderr
    teacher = run_cli(env, "unlock", "--yes", "--as", "李建国", db=path)
    assert teacher.returncode == 4 and lock_dir(path).is_dir(), teacher.stdout + teacher.stderr
    proc = run_cli(env, "unlock", "--yes", db=path)  # 王芳, the administrator
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert not lock_dir(path).exists() and not list(owners_dir(path).glob("*.json"))
    assert filler_rows(path) == 0  # its half-written insert rolled back


def _owner_file(path: Path, host: str, pid: int, beats: int, age: float) -> Path:
    folder = owners_dir(path)
    folder.mkdir(exist_ok=True)
    entry = folder / f"{host}-{pid}-1.json"
    entry.write_text(f'{{"host": "{host}", "pid": {pid}, "since": 0, "beats": {beats}}}')
    then = time.time() - age
    os.utime(entry, (then, then))
    return entry


def test_an_owner_on_another_computer_is_alive_while_its_heartbeat_moves(tmp_path):
    """Another host's process cannot be asked: its heartbeat is.  A recent one
    is alive; an old one is alive only if its count moves while unlock watches
    (whatever the two computers' clocks say)."""
    path = tmp_path / "school.db"
    make_file(path, "dotfile")
    lock = lock_dir(path)
    lock.mkdir()
    old = time.time() - 300
    os.utime(lock, (old, old))
    entry = _owner_file(path, "other-host", 4242, 7, age=1)
    assert live_owner(path).host == "other-host"
    with pytest.raises(LockHeld):
        remove_lock(path, watch=0.01)

    _owner_file(path, "other-host", 4242, 7, age=600)  # its clock is far behind ours
    def beating(seconds):  # it beats while we watch
        _owner_file(path, "other-host", 4242, 8, age=600)
    with pytest.raises(LockHeld):
        remove_lock(path, watch=2.5, sleep=beating)
    assert lock.is_dir()

    _owner_file(path, "other-host", 4242, 8, age=600)  # it stopped beating: crashed
    assert remove_lock(path, watch=2.5, sleep=lambda s: None)
    assert not lock.exists() and not entry.exists()


def test_a_lock_taken_again_while_unlock_watches_is_left_alone(tmp_path):
    path = tmp_path / "school.db"
    make_file(path, "dotfile")
    lock = lock_dir(path)
    lock.mkdir()

    def released_and_taken_again(seconds):
        lock.rmdir()
        lock.mkdir()
        os.utime(lock, (time.time() + 5, time.time() + 5))

    assert not remove_lock(path, watch=2.5, sleep=released_and_taken_again)
    assert lock.is_dir()


def test_a_heartbeat_says_who_and_goes_with_its_write(tmp_path):
    path = tmp_path / "school.db"
    make_file(path, "dotfile")
    db = open_database(path, locking="dotfile")
    try:
        lock.OWNER_AFTER_SECONDS, before = 0.0, lock.OWNER_AFTER_SECONDS
        try:
            with db.atomic():
                database.execute_sql("INSERT INTO filler (text) VALUES ('x')")
                while not lock_owners(path):
                    time.sleep(0.01)
                [owner] = lock_owners(path)
                assert (owner.host, owner.pid, owner.alive) == (host.hostname(),
                                                          os.getpid(), True)
        finally:
            lock.OWNER_AFTER_SECONDS = before
        assert lock_owners(path) == []
        with db.atomic():  # a save shorter than a second never writes one
            database.execute_sql("INSERT INTO filler (text) VALUES ('y')")
        assert not owners_dir(path).exists() or not list(owners_dir(path).iterdir())
    finally:
        close_database()


# == 3. recover, unlock and set-locking keep the mode and need an administrator ========
def _damage(path: Path) -> None:
    size = path.stat().st_size
    offset = (size // 4096 // 2) * 4096
    with path.open("r+b") as fh:
        fh.seek(offset)
        fh.write(b"\xa5" * 3 * 4096)


def _padded_file(path: Path, locking: str) -> None:
    make_file(path, locking)
    open_database(path, locking=locking)
    try:  # big enough to damage in the middle, away from the schema and the meta table
        # (whose pages come after the schema's, 25 tables and their indexes)
        for _ in range(30):
            database.execute_sql("INSERT INTO filler (text) VALUES " +
                                 ",".join(["(?)"] * 100), ["y" * 300] * 100)
    finally:
        close_database()


def test_recover_on_a_misconfigured_computer_never_changes_the_mode(tmp_path):
    """Before: recover restored the backup and stored this computer's mode
    (dotfile → posix), and every rightly configured computer was then told to
    switch to the mode that corrupts shares."""
    path = tmp_path / "school.db"
    _padded_file(path, "dotfile")
    dot = dict(cli_env(tmp_path), BANGFU_LOCKING="dotfile")
    assert run_cli(dot, "backup", db=path).returncode == 0
    _damage(path)
    posix = cli_env(tmp_path)
    proc = run_cli(posix, "recover", "--yes", db=path)
    assert proc.returncode == 3, proc.stdout + proc.stderr
    assert "uses dotfile locking" in proc.stderr
    assert not list(tmp_path.glob("school.db.damaged-*"))  # nothing moved
    assert peek_locking(path) in ("dotfile", None)

    wrong = run_cli(dot, "recover", "--yes", db=path, pin="9999")
    assert wrong.returncode == 4, wrong.stdout + wrong.stderr
    assert not list(tmp_path.glob("school.db.damaged-*"))
    proc = run_cli(dot, "recover", "--yes", db=path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert peek_locking(path) == "dotfile"


def test_recover_keeps_the_mode_the_school_set_after_its_backup(tmp_path):
    path = tmp_path / "school.db"
    _padded_file(path, "posix")
    posix = cli_env(tmp_path)
    assert run_cli(posix, "backup", db=path).returncode == 0  # taken in posix days
    proc = run_cli(posix, "set-locking", "dotfile", "--yes", db=path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    dot = dict(posix, BANGFU_LOCKING="dotfile")
    _damage(path)
    proc = run_cli(dot, "recover", "--yes", db=path)
    assert proc.returncode in (0, 1), proc.stdout + proc.stderr
    assert peek_locking(path) == "dotfile"


def test_set_locking_needs_an_administrator(tmp_path):
    path = tmp_path / "school.db"
    make_file(path, "posix")
    env = cli_env(tmp_path)
    proc = run_cli(env, "set-locking", "dotfile", "--yes", "--as", "李建国", db=path)
    assert proc.returncode == 4 and peek_locking(path) == "posix", proc.stdout + proc.stderr
    proc = run_cli(env, "set-locking", "dotfile", "--yes", db=path, pin="9999")
    assert proc.returncode == 4 and peek_locking(path) == "posix", proc.stdout + proc.stderr
    proc = run_cli(env, "set-locking", "dotfile", "--yes", db=path)
    assert proc.returncode == 0 and peek_locking(path) == "dotfile", proc.stdout + proc.stderr


# == 4. a failure says what happened, never an exception class ========================
@pytest.mark.parametrize("error, words, status", [
    (sqlite3.OperationalError("database is locked"), "busy", 75),
    (OSError(28, "No space left on device"), "full", 75),
    (RuntimeError("something internal with 张伟 in it"), "unexpected", 1),
])
def test_a_failure_is_said_in_words(monkeypatch, capsys, tmp_path, error, words, status):
    from tui.cli import entry as cli

    def failing(args, settings):
        raise error

    monkeypatch.delenv("BANGFU_DEBUG", raising=False)
    monkeypatch.setitem(cli.COMMANDS, "find", failing)
    assert cli.main(["--db", str(tmp_path / "x.db"), "find", "zw"]) == status
    err = capsys.readouterr().err
    assert words in err and "Error" not in err and "张伟" not in err
    assert len(err.strip().splitlines()) == 1


def test_log_behind_a_dead_lock_queues_the_entry_instead_of_failing(tmp_path, monkeypatch,
                                                                     capsys):
    """Before: the sign-in read behind a lock held past every retry exited 1 with
    "OperationalError": the entry was neither written nor queued."""
    import io

    from db.store.local import outbox
    from tui.cli import entry as cli

    path = tmp_path / "school.db"
    make_file(path, "dotfile")
    monkeypatch.setenv("BANGFU_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("BANGFU_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setattr(connection, "BUSY_TIMEOUT_MS", 100)  # the waits, shortened
    monkeypatch.setattr(connection.random, "random", lambda: 0.0)
    lock_dir(path).mkdir()  # a client crashed holding the lock a moment ago
    monkeypatch.setattr(sys, "stdin", io.StringIO("1234\n"))
    status = cli.main(["--db", str(path), "--locking", "dotfile", "log", "20240101",
                       "--text", "Called the mother", "--as", "王芳"])
    out, err = capsys.readouterr()
    assert status == 75, err
    uuid = out.strip()
    [(item, data)] = outbox(path)
    assert data["uuid"] == uuid
    assert "Error" not in err and len(err.strip().splitlines()) == 1
    assert lock_dir(path).is_dir()  # nothing was written (it could not be)
    close_database()
    lock_dir(path).rmdir()
    open_database(path, locking="dotfile")
    try:
        from db.outbox import flush_outbox
        from db.staff import find_staff

        wang = find_staff("王芳")[0]
        assert data["staff_id"] == wang.id  # sealed by her (db.store.local)
        assert flush_outbox(path, wang).written == 1  # her sign-in above holds her key
    finally:
        close_database()


@pytest.mark.parametrize("error, kind, words", [
    (sqlite3.OperationalError("database is locked"), "busy", "locked past every retry"),
    (sqlite3.OperationalError("database or disk is full"), "disk_full", "is full"),
    (OSError(28, "No space left on device"), "disk_full", "is full"),
    (sqlite3.OperationalError("attempt to write a readonly database"), "permission",
     "cannot be written from this computer"),
    (sqlite3.DatabaseError("database disk image is malformed"), "damaged", "bangfu check"),
    (sqlite3.OperationalError("disk I/O error"), "unreachable", "cannot be reached"),
])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_queued_entry_says_why_in_words(error, kind, words, lang):
    """Before: every queued save said "cannot be reached … when the share is back",
    whatever happened (a lock, a full disk)."""
    from tui import i18n

    i18n.set_language(lang)
    try:
        for form in (False, True):
            got, message = i18n.queued_message(error, "1234-uuid", form=form)
            assert got == kind
            assert "Error" not in message and "{" not in message
            if lang == "en":
                assert words in message, message
            if not form:
                assert "1234-uuid" in message
    finally:
        i18n.set_language("en")


def test_an_import_on_the_share_is_never_called_a_crash(share, tmp_path):
    """Before: a 200,000-row import held the dot-file lock for 61 s; doctor and
    the app called it "a client probably crashed", and ``unlock --yes`` removed
    the live writer's lock.  Here an import on host A, watched from host B."""
    from tests import roster_files as rf

    a, b = share.mounts[0] / "school.db", share.mounts[1] / "school.db"
    make_file(a, "dotfile")
    source = rf.big_csv(tmp_path / "roster.csv", n=20_000)
    env_a = dict(cli_env(tmp_path, tmp_path / "state-a"), BANGFU_LOCKING="dotfile")
    env_b = dict(cli_env(tmp_path, tmp_path / "state-b"), BANGFU_LOCKING="dotfile")
    report = (tmp_path / "import.out").open("w+", encoding="utf-8")  # never a full pipe
    importer = share.popen([sys.executable, "-m", "tui.cli", "--db", str(a), "import", "roster",
                            str(source), "--yes", "--as", "王芳"], cwd=ROOT, env=env_a,
                           stdin=subprocess.PIPE, stdout=report, stderr=report, text=True)
    importer.stdin.write("1234\n")
    importer.stdin.flush()
    while not lock_owners(b):  # its transaction has gone on for a second: it said who it is
        assert importer.poll() is None, (tmp_path / "import.out").read_text()[-2000:]
        time.sleep(0.05)
    os.kill(importer.pid, signal.SIGSTOP)  # and keep it there while host B looks
    try:
        old = time.time() - 600
        os.utime(lock_dir(b), (old, old))  # as if it had written for ten minutes
        doctor = run_cli(env_b, "doctor", db=b)
        assert "crashed" not in doctor.stdout and "alive" in doctor.stdout, doctor.stdout
        for extra in ([], ["--force"]):
            proc = run_cli(env_b, "unlock", "--yes", *extra, db=b)
            assert proc.returncode == 1 and "still writing" in proc.stdout, \
                proc.stdout + proc.stderr
        assert lock_dir(b).is_dir()
    finally:
        os.kill(importer.pid, signal.SIGCONT)
    importer.communicate(timeout=600)
    out = (tmp_path / "import.out").read_text(encoding="utf-8")
    assert importer.returncode == 0, out[-2000:]
    assert "Imported: 20000 new" in out
    assert not lock_dir(b).exists()
    check = run_cli(env_b, "check", db=b)
    assert check.returncode == 0, check.stdout + check.stderr
