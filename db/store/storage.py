"""Looking after the file itself: backups, integrity checks, what the share is.

No Textual here: ``bangfu backup``, ``check``, ``doctor`` and the app's daily
backup all call these functions.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path

from db.store.connection import DatabaseError, check_locking, file_uri, peek_locking

BACKUP_STEP_PAGES = 256  # the backup lets other clients in between steps


def connect_file(path: Path, locking: str, *, readonly: bool = False) -> sqlite3.Connection:
    """A plain connection with ``locking``; ``DatabaseError("locking")`` before
    anything touches the file when the file records the other mode."""
    check_locking(path, locking)
    uri = file_uri(Path(path), locking)
    if readonly:
        uri = uri.replace("mode=rw", "mode=ro")
    conn = sqlite3.connect(uri, uri=True, timeout=5, isolation_level=None)
    conn.execute("PRAGMA busy_timeout = 5000")
    return conn


# -- the header: read without taking any lock ---------------------------------
def read_header(path: str | os.PathLike) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(100)


def change_counter(path: str | os.PathLike) -> int | None:
    """The file change counter (bytes 24-27), bumped by every commit in
    rollback-journal mode: a lock-free "did anyone write?" check."""
    try:
        header = read_header(path)
    except OSError:
        return None
    if len(header) < 28 or not header.startswith(b"SQLite format 3\0"):
        return None
    return int.from_bytes(header[24:28], "big")


def journal_mode_in_header(path: str | os.PathLike) -> str:
    """``wal`` when the file is in WAL mode (header bytes 18-19 are 2), else ``delete``."""
    try:
        header = read_header(path)
    except OSError:
        return ""
    if len(header) < 20:
        return ""
    return "wal" if header[18] == 2 or header[19] == 2 else "delete"


# -- backups ------------------------------------------------------------------
def backup_dir(db_path: str | os.PathLike) -> Path:
    return Path(str(db_path) + ".backups")


def backups(db_path: str | os.PathLike) -> list[Path]:
    """This file's backups, newest first."""
    folder = backup_dir(db_path)
    if not folder.is_dir():
        return []
    stem = Path(db_path).stem
    return sorted(folder.glob(f"{stem}-????????-??????.db"), reverse=True)


def backup_time(path: Path) -> dt.datetime | None:
    try:
        return dt.datetime.strptime(path.stem[-15:], "%Y%m%d-%H%M%S")
    except ValueError:
        return None


def last_backup(db_path) -> tuple[Path, dt.datetime] | None:
    for path in backups(db_path):
        when = backup_time(path)
        if when is not None:
            return path, when
    return None


def backup_due(db_path, today: dt.date) -> bool:
    """True when no backup was made today (the app makes one on the first start of a day)."""
    last = last_backup(db_path)
    return last is None or last[1].date() < today


BACKUP_MARGIN = 8 * 1024 * 1024  # free space a backup leaves on the drive, at least
STALE_PARTIAL_SECONDS = 120  # a copy in progress writes every step: older is a crash's


class BackupError(Exception):
    """A backup that was not made; nothing of it is left in the backups folder.

    ``code``: ``no_space`` (checked before copying, or the drive filled up
    during the copy: ``need`` and ``free`` in bytes, ``free`` None when not
    known), ``check`` (the copy failed its check), ``failed`` (anything else:
    ``detail`` says what, in SQLite's or the system's words, never a class name).
    """

    def __init__(self, code: str, folder: Path, *, need: int = 0, free: int | None = None,
                 detail: str = ""):
        super().__init__(f"backup {code}: {detail or folder}")
        self.code, self.folder, self.need, self.free, self.detail = code, folder, need, free, detail


def backup_space_needed(db_size: int) -> int:
    """Free space a backup of a ``db_size`` file needs: the copy, its rollback
    journal while it is written, and a margin the database itself may grow into
    (the outbox and every save need it), 10% of the file but at least 8 MiB."""
    return db_size + max(db_size // 10, BACKUP_MARGIN)


def _remove_copy(partial: Path) -> None:
    for leftover in (partial, Path(str(partial) + "-journal")):
        try:
            leftover.unlink(missing_ok=True)
        except OSError:
            pass


def remove_stale_partials(db_path, *, older_than: float = STALE_PARTIAL_SECONDS,
                          now: float | None = None) -> list[Path]:
    """Remove the half-written copies (``.partial``) an earlier backup left when
    it crashed or was killed; a copy still being written (touched within
    ``older_than`` seconds, by another computer) is left alone."""
    folder = backup_dir(db_path)
    if not folder.is_dir():
        return []
    now = time.time() if now is None else now
    removed = []
    stem = Path(db_path).stem
    for path in [*folder.glob(f"{stem}-*.partial"), *folder.glob(f"{stem}-*.partial-journal")]:
        try:
            if now - path.stat().st_mtime < older_than:
                continue
            path.unlink()
        except OSError:
            continue
        removed.append(path)
    return removed


def _disk_full(exc: BaseException) -> bool:
    import errno

    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return True
    text = str(exc).lower()
    return "disk is full" in text or "no space" in text or "quota" in text


def _short_of_space(folder: Path, need: int) -> bool:
    """After a failed write: is the drive now too full (a share may report a
    full drive or a quota as a plain I/O error)?"""
    import shutil

    try:
        return shutil.disk_usage(folder).free < need
    except OSError:
        return False


def backup(db_path, locking: str, *, keep: int = 14, now: dt.datetime | None = None,
           progress=None) -> Path:
    """Copy the file with SQLite's backup API, check the copy, keep the last ``keep``.

    The copy is made in steps so other clients can write in between, into a
    temporary name (``.partial``) renamed only once complete and checked.
    Before copying, the free space of the backups folder is checked
    (``backup_space_needed``): a backup must never fill the drive the database
    and every computer's outbox need.  On any failure (no space, a full drive
    during the copy, a failed check, an interrupt) the partial copy is removed
    and ``BackupError`` (``KeyboardInterrupt`` as itself) is raised; a partial
    copy left by an earlier crash is removed first.
    """
    import shutil

    db_path = Path(db_path)
    now = now or dt.datetime.now()
    folder = backup_dir(db_path)
    try:
        folder.mkdir(mode=0o770, exist_ok=True)
    except OSError as exc:
        raise BackupError("no_space" if _disk_full(exc) else "failed", folder,
                          detail=exc.strerror or str(exc)) from None
    remove_stale_partials(db_path)
    target = folder / f"{db_path.stem}-{now:%Y%m%d-%H%M%S}.db"
    partial = target.with_suffix(".partial")
    try:
        need = backup_space_needed(db_path.stat().st_size)
        free = shutil.disk_usage(folder).free
    except OSError as exc:
        raise BackupError("failed", folder, detail=exc.strerror or str(exc)) from None
    if free < need:
        raise BackupError("no_space", folder, need=need, free=free)
    _remove_copy(partial)  # this very name, left by a crash within the same second
    try:
        source = connect_file(db_path, locking, readonly=True)
        try:
            dest = sqlite3.connect(partial)
            try:
                def step(status, remaining, total):
                    if progress:
                        progress(total - remaining, total)
                    time.sleep(0.005)  # let a waiting writer in between steps
                source.backup(dest, pages=BACKUP_STEP_PAGES, progress=step)
                dest.execute("PRAGMA journal_mode = delete")
                ok = _copy_ok(dest)
            finally:
                dest.close()
        finally:
            source.close()
        if not ok:
            raise BackupError("check", folder)
        os.chmod(partial, 0o660)
        os.replace(partial, target)
    except BackupError:
        _remove_copy(partial)
        raise
    except (OSError, sqlite3.Error) as exc:
        _remove_copy(partial)
        if _disk_full(exc) or _short_of_space(folder, need):
            raise BackupError("no_space", folder, need=need, free=None) from None
        detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise BackupError("failed", folder, detail=detail) from None
    except BaseException:  # an interrupt (ctrl+c), a bug: never leave the copy behind
        _remove_copy(partial)
        raise
    for old in backups(db_path)[keep:]:
        old.unlink(missing_ok=True)
    return target


def _copy_ok(dest: sqlite3.Connection) -> bool:
    return dest.execute("PRAGMA quick_check").fetchone()[0] == "ok"


# -- checks -------------------------------------------------------------------
@dataclass
class CheckResult:
    status: int  # 0 ok, 1 damaged, 2 cannot open
    problems: list[str] = field(default_factory=list)
    # rows that differ from the journals (also in ``problems``, as text)
    differences: list = field(default_factory=list)
    # what was changed outside bangfu (``db.audit_checks.Tampering``; also in ``problems``)
    tampering: list = field(default_factory=list)


def content_check(conn: sqlite3.Connection, db_path) -> list:
    """The file's rows against every computer's journal beside it
    (``db.store.journal_check.compare``: which rows and columns can be compared, and why):
    the damage inside a row that ``integrity_check`` cannot see.  No journal
    (a backup, a demo): nothing to compare."""
    import gc

    from db.store import journal, journal_check

    if not journal.journal_dir(db_path).is_dir():
        return []
    collecting = gc.isenabled()
    gc.disable()  # many small objects, no cycles: collections would only cost time
    factory = conn.text_factory
    # a byte changed inside a character leaves text that is not UTF-8: read it
    # as it is (it then differs from the journal) instead of failing on it
    conn.text_factory = lambda raw: raw.decode("utf-8", "surrogateescape")
    try:
        expected = journal_check.scan(db_path)
        if not expected:
            return []
        barrier = journal_check.schema_barrier(
            [name for (name,) in conn.execute('SELECT name FROM "schema_migration"')])
        found = journal_check.compare(conn.execute, expected, barrier)
        if found:  # rows were compared by digest: read those again in full, with the
            # lines written meanwhile (a save between reading the journals and the rows
            # is no damage), and name each column that differs
            del expected
            keys = {d.key for d in found}
            found = journal_check.compare(conn.execute, journal_check.scan(db_path, only=keys),
                                          barrier, only=keys)
        return found
    finally:
        conn.text_factory = factory
        if collecting:
            gc.enable()


def _lenient(raw: bytes) -> str:
    # a byte changed inside a character leaves text that is not UTF-8: read it
    # as it is (it then differs from what was written) instead of failing on it
    return raw.decode("utf-8", "surrogateescape")


def audit_check(conn: sqlite3.Connection, db_path=None) -> list:
    """What was changed outside bangfu (``db.audit_checks.verify``): the audit log's
    triggers, its chain, every account and sealed setting against its last
    seal; then the chain against each backup's (``db.audit_checks.compare_backup``:
    a backup's log must be a beginning of the file's), the newest differing
    one named.  One read transaction, so a save meanwhile is no false alarm.
    The chain is read a page at a time."""
    from db import audit_checks
    from db.store.connection import immutable_uri

    factory = conn.text_factory
    conn.text_factory = _lenient
    conn.execute("BEGIN")
    try:
        report = audit_checks.verify(conn.execute)
        found = list(report.findings)
        for path in backups(db_path) if db_path is not None and report.sealed else ():
            try:
                other = sqlite3.connect(immutable_uri(path), uri=True)
            except sqlite3.Error:
                continue
            other.text_factory = _lenient
            try:
                differs = audit_checks.compare_backup(conn.execute, other.execute, path.name,
                                                      report.restarts)
            except sqlite3.DatabaseError:
                continue  # a damaged backup is no evidence (good_backup skips it too)
            finally:
                other.close()
            if differs is not None:
                found.append(differs)
                break
        return found
    finally:
        conn.execute("COMMIT")
        conn.text_factory = factory


def check(db_path, locking: str, *, quick: bool = False) -> CheckResult:
    """``PRAGMA integrity_check`` and ``foreign_key_check`` on the file, then
    what was changed outside bangfu (``audit_check``) and its rows against the
    journals (``content_check``)."""
    if not Path(db_path).exists():
        return CheckResult(2, ["missing"])
    try:
        conn = connect_file(Path(db_path), locking, readonly=True)
    except DatabaseError as exc:  # the file records the other locking mode
        return CheckResult(2, [f"{exc.code}: {exc.detail}"])
    except sqlite3.Error as exc:
        return CheckResult(2, [str(exc)])
    try:
        try:
            rows = [r[0] for r in conn.execute(
                "PRAGMA quick_check" if quick else "PRAGMA integrity_check")]
            problems = [r for r in rows if r != "ok"]
            tables = {name for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
            if not problems and not {"bangfu_meta", "schema_migration"} <= tables:
                problems.append("not a bangfu database (its tables are missing)")
            problems += [f"foreign key: {table} row {rowid} -> {parent}"
                         for table, rowid, parent, _ in conn.execute("PRAGMA foreign_key_check")]
            tampering = [] if problems else audit_check(conn, db_path)
            try:
                differences = [] if problems else content_check(conn, db_path)
            except OSError as exc:  # the journals cannot be read (share, permissions)
                return CheckResult(2, [f"journal: {exc.strerror or exc}"])
            problems += [str(f) for f in tampering] + [str(d) for d in differences]
        except sqlite3.DatabaseError as exc:
            text = str(exc).lower()
            if "locked" in text or "busy" in text or "unable to open" in text:
                return CheckResult(2, [str(exc)])
            return CheckResult(1, [str(exc)])
    finally:
        conn.close()
    return CheckResult(1 if problems else 0, problems, differences, tampering)


def good_backup(db_path) -> Path | None:
    """The newest backup that passes the integrity check and whose audit rows
    are as the journals wrote them (``audit_damaged``)."""
    for path in backups(db_path):
        # a backup is nobody's live file: read it in the mode it records
        if check(path, peek_locking(path) or "posix").status == 0 \
                and not audit_damaged(path, db_path):
            return path
    return None


def audit_head(path) -> int:
    """The last audit row's id in a file (a backup), read as it is; 0 if none."""
    from db.store.connection import immutable_uri

    try:
        conn = sqlite3.connect(immutable_uri(path), uri=True)
    except sqlite3.Error:
        return 0
    try:
        return conn.execute('SELECT MAX(id) FROM "audit_log"').fetchone()[0] or 0
    except sqlite3.Error:
        return 0
    finally:
        conn.close()


def audit_damaged(backup_path, db_path) -> bool:
    """True when the backup holds an audit row the journals of ``db_path``
    wrote otherwise.  Rows can be put right by replaying the journals; the
    audit log cannot (it is only ever appended to), so such a backup would
    carry the damage for good: recover takes an older one."""
    from db.store import journal, journal_check

    if not journal.journal_dir(db_path).is_dir():
        return False
    expected = journal_check.scan(db_path)
    if not expected.audits:
        return False
    try:
        conn = sqlite3.connect(f"file:{backup_path}?mode=ro", uri=True)
    except sqlite3.Error:
        return True
    try:
        return bool(journal_check.match_audits(expected.audits, conn.execute)[1])
    except sqlite3.Error:
        return True
    finally:
        conn.close()
