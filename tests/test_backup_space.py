"""A backup never fills the drive, and never leaves a half-written copy behind.

The daily backup (and ``bangfu backup``) once left a ``.partial`` file on a
full share, which kept the outbox from flushing after space was freed.  Here:
the free-space check before copying (``shutil.disk_usage`` stubbed), a drive
that really fills up during the copy (a file-size limit in a subprocess), a
copy that fails its check, an interrupt, and the leftovers of an earlier crash.
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections import namedtuple
from pathlib import Path

import pytest

from db.store import storage
from db.store.connection import close_database
from tests.helpers import ROOT, cli_env
from tests.test_storage import make_school
from tui import i18n
from tui.backup_text import backup_message, backup_reason

pytestmark = pytest.mark.file_only

Usage = namedtuple("Usage", "total used free")
MiB = 1024 * 1024


@pytest.fixture
def env(tmp_path, local_state):
    return cli_env(tmp_path, local_state)


@pytest.fixture
def school_file(tmp_path):
    path = tmp_path / "school.db"
    make_school(path, padding=300)  # big enough to be cut off in the middle
    yield path
    close_database()


def leftovers(path: Path) -> list[str]:
    folder = storage.backup_dir(path)
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def no_class_names(text: str) -> None:
    for name in ("Error", "Exception", "Interrupt", "errno", "Traceback"):
        assert name not in text, text


# == before copying: is there room? =====================================================
def test_too_little_free_space_is_refused_before_anything_is_written(school_file, monkeypatch):
    size = school_file.stat().st_size
    need = storage.backup_space_needed(size)
    assert need >= size + 8 * MiB  # the copy and room for the database to grow
    seen = []

    def full(folder):
        seen.append(Path(folder))
        return Usage(100 * MiB, 100 * MiB - need + 1, need - 1)

    monkeypatch.setattr(shutil, "disk_usage", full)
    before = school_file.read_bytes()
    with pytest.raises(storage.BackupError) as caught:
        storage.backup(school_file, "posix")
    exc = caught.value
    assert (exc.code, exc.need, exc.free) == ("no_space", need, need - 1)
    assert seen == [storage.backup_dir(school_file)]  # the backups folder's drive
    assert leftovers(school_file) == []  # not even a partial copy
    assert school_file.read_bytes() == before

    text = backup_message(exc, school_file)
    assert text.startswith("Not enough free space for a backup of ")
    assert str(storage.backup_dir(school_file)) in text
    assert "Nothing was written" in text and "then run `bangfu backup`" in text
    no_class_names(text)
    i18n.set_language("zh")
    try:
        text = backup_message(exc, school_file)
        assert "空间不足" in text and "bangfu backup" in text
        no_class_names(text)
        assert backup_reason(exc) == "磁盘空间不足"
    finally:
        i18n.set_language("en")
    assert backup_reason(exc) == "not enough free space on the drive"

    # with just enough room the backup is made
    monkeypatch.setattr(shutil, "disk_usage", lambda folder: Usage(100 * MiB, 0, need))
    made = storage.backup(school_file, "posix")
    assert leftovers(school_file) == [made.name]


# == during the copy: the drive fills up, SQLite fails, the check fails, ctrl+c =============
def run_limited(env, args, limit: int) -> subprocess.CompletedProcess:
    """``bangfu ARGS`` whose files may not grow beyond ``limit`` bytes: a write
    past it fails as on a full drive (SIGXFSZ ignored, so the write just fails)."""
    def limited():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run([sys.executable, "-m", "tui.cli", *map(str, args)],
                          capture_output=True, text=True, encoding="utf-8", env=env, cwd=ROOT,
                          timeout=60, input="", preexec_fn=limited)


def test_a_drive_that_fills_up_during_the_copy_leaves_no_partial(school_file, env):
    size = school_file.stat().st_size
    limit = 64 * 1024 + 123  # the copy stops in the middle of a page
    assert size > 2 * limit
    before = school_file.read_bytes()
    proc = run_limited(env, ["--db", school_file, "backup"], limit)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("bangfu: "), proc.stderr
    # past the limit a write fails with EFBIG, which SQLite reports as an I/O
    # error (a full drive, ENOSPC, is "database or disk is full": no_space)
    assert "The backup of " in lines[0] and "failed (disk I/O error)" in lines[0]
    assert "unfinished copy was removed" in lines[0] and "has room" in lines[0]
    assert "then run `bangfu backup`" in lines[0]
    no_class_names(proc.stderr)
    assert leftovers(school_file) == []  # no .partial, no .partial-journal
    assert school_file.read_bytes() == before
    # once there is room again, the backup works
    proc = subprocess.run([sys.executable, "-m", "tui.cli", "--db", str(school_file), "backup"],
                          capture_output=True, text=True, encoding="utf-8", env=env, cwd=ROOT,
                          timeout=60, input="")
    assert proc.returncode == 0, proc.stderr
    assert [name.endswith(".db") for name in leftovers(school_file)] == [True]


@pytest.mark.parametrize("failure", [
    sqlite3.OperationalError("database or disk is full"),
    OSError(28, "No space left on device"),
    sqlite3.OperationalError("disk I/O error"),
])
def test_an_error_after_the_copy_was_written_removes_it(school_file, monkeypatch, failure):
    """The copy is complete on disk when its check fails with an error."""
    written = []

    def failing(dest):
        written.append(sorted(leftovers(school_file)))
        raise failure

    monkeypatch.setattr(storage, "_copy_ok", failing)
    with pytest.raises(storage.BackupError) as caught:
        storage.backup(school_file, "posix")
    assert any(name.endswith(".partial") for name in written[0])  # it was there
    assert leftovers(school_file) == []
    exc = caught.value
    full = "disk I/O" not in str(failure)
    assert exc.code == ("no_space" if full else "failed")
    text = backup_message(exc, school_file)
    assert ("became full" in text) if full else ("failed (disk I/O error)" in text)
    assert "was removed" in text
    no_class_names(text)


def test_a_copy_that_fails_its_check_is_removed(school_file, monkeypatch):
    monkeypatch.setattr(storage, "_copy_ok", lambda dest: False)
    with pytest.raises(storage.BackupError) as caught:
        storage.backup(school_file, "posix")
    assert caught.value.code == "check"
    assert leftovers(school_file) == []
    assert "failed its check and was removed" in backup_message(caught.value, school_file)


def test_an_interrupt_during_the_copy_removes_it(school_file, monkeypatch):
    monkeypatch.setattr(storage, "BACKUP_STEP_PAGES", 4)  # several steps

    def stop(done, total):
        if done >= 8:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        storage.backup(school_file, "posix", progress=stop)
    assert leftovers(school_file) == []


# == what an earlier crash left ========================================================
def test_the_next_backup_removes_a_partial_an_earlier_crash_left(school_file):
    folder = storage.backup_dir(school_file)
    folder.mkdir()
    crashed = folder / "school-20261119-070000.partial"
    crashed.write_bytes(b"\0" * 200_000)  # half a copy, and its journal
    crashed_journal = folder / "school-20261119-070000.partial-journal"
    crashed_journal.write_bytes(b"\0" * 512)
    copying = folder / "school-20261120-080000.partial"  # another computer, copying now
    copying.write_bytes(b"\0" * 4096)
    old = time.time() - 3600
    for path in (crashed, crashed_journal):
        os.utime(path, (old, old))
    other = folder / "notes.partial"  # not a backup of this file: left alone
    other.write_text("x")
    os.utime(other, (old, old))

    made = storage.backup(school_file, "posix")
    assert sorted(leftovers(school_file)) == sorted([made.name, copying.name, other.name])


def test_the_daily_backup_message_names_no_exception_class():
    assert backup_reason(ValueError("x")) == "the copy could not be written"
    exc = storage.BackupError("check", Path("/share/bangfu.db.backups"))
    assert backup_reason(exc) == "the copy failed its check"
    text = i18n.t("app.backup_failed", detail=backup_reason(exc))
    no_class_names(text)
