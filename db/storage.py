"""Looking after the file itself: backups, integrity checks, what the share is.

No Textual here: ``bangfu backup``, ``check``, ``doctor`` and the app's daily
backup all call these functions.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path

from db.connection import _uri, lock_age, STALE_LOCK_SECONDS

BACKUP_STEP_PAGES = 256  # the backup lets other clients in between steps
NETWORK_FS = ("cifs", "smb3", "smbfs", "nfs", "nfs4", "9p", "afs", "ceph", "glusterfs",
              "fuse.sshfs", "davfs", "fuse.rclone")


def _connect(path: Path, locking: str, *, readonly: bool = False) -> sqlite3.Connection:
    uri = _uri(Path(path), locking)
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


def backup(db_path, locking: str, *, keep: int = 14, now: dt.datetime | None = None,
           progress=None) -> Path:
    """Copy the file with SQLite's backup API, check the copy, keep the last ``keep``.

    The copy is made in steps so other clients can write in between, into a
    temporary name renamed only once complete and checked.
    """
    db_path = Path(db_path)
    now = now or dt.datetime.now()
    folder = backup_dir(db_path)
    folder.mkdir(mode=0o770, exist_ok=True)
    target = folder / f"{db_path.stem}-{now:%Y%m%d-%H%M%S}.db"
    partial = target.with_suffix(".partial")
    source = _connect(db_path, locking, readonly=True)
    try:
        dest = sqlite3.connect(partial)
        try:
            def step(status, remaining, total):
                if progress:
                    progress(total - remaining, total)
                time.sleep(0.005)  # let a waiting writer in between steps
            source.backup(dest, pages=BACKUP_STEP_PAGES, progress=step)
            dest.execute("PRAGMA journal_mode = delete")
            ok = dest.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        finally:
            dest.close()
    finally:
        source.close()
    if not ok:
        partial.unlink(missing_ok=True)
        raise sqlite3.DatabaseError("the backup copy failed its check")
    os.chmod(partial, 0o660)
    os.replace(partial, target)
    for old in backups(db_path)[keep:]:
        old.unlink(missing_ok=True)
    return target


# -- checks -------------------------------------------------------------------
@dataclass
class CheckResult:
    status: int  # 0 ok, 1 damaged, 2 cannot open
    problems: list[str] = field(default_factory=list)


def check(db_path, locking: str, *, quick: bool = False) -> CheckResult:
    """``PRAGMA integrity_check`` and ``foreign_key_check`` on the file."""
    if not Path(db_path).exists():
        return CheckResult(2, ["missing"])
    try:
        conn = _connect(Path(db_path), locking, readonly=True)
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
        except sqlite3.DatabaseError as exc:
            text = str(exc).lower()
            if "locked" in text or "busy" in text or "unable to open" in text:
                return CheckResult(2, [str(exc)])
            return CheckResult(1, [str(exc)])
    finally:
        conn.close()
    return CheckResult(1 if problems else 0, problems)


def good_backup(db_path) -> Path | None:
    """The newest backup that passes the integrity check."""
    for path in backups(db_path):
        if check(path, "posix").status == 0:
            return path
    return None


# -- the filesystem -----------------------------------------------------------
@dataclass
class Mount:
    mountpoint: str
    fstype: str
    source: str
    options: set[str]

    @property
    def network(self) -> bool:
        return self.fstype in NETWORK_FS or self.fstype.startswith("fuse")


def _unescape(text: str) -> str:
    """mountinfo writes space, tab, newline and backslash as octal escapes (\\040)."""
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), text)


def mount_of(path, mountinfo: str | None = None) -> Mount | None:
    """The mount holding ``path``, from /proc/self/mountinfo (None elsewhere)."""
    if mountinfo is None:
        try:
            mountinfo = Path("/proc/self/mountinfo").read_text()
        except OSError:
            return None
    target = os.path.realpath(path)
    best = None
    for line in mountinfo.splitlines():
        left, _, right = line.partition(" - ")
        parts, rest = left.split(), right.split()
        if len(parts) < 6 or len(rest) < 2:
            continue
        point = _unescape(parts[4])
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and (best is None or len(point) >= len(best.mountpoint)):
            options = set(parts[5].split(",")) | set(rest[2].split(",") if len(rest) > 2 else ())
            best = Mount(point, rest[0], _unescape(rest[1]), options)
    return best


def caching_warning(mount: Mount | None) -> str:
    """A warning code when the share caches file data on the client ("" if fine/unknown)."""
    if mount is None:
        return ""
    opts = {o.split("=")[0]: (o.split("=", 1)[1] if "=" in o else "") for o in mount.options}
    if mount.fstype in ("cifs", "smb3", "smbfs"):
        return "" if opts.get("cache") == "none" else "cifs_cache"
    if mount.fstype.startswith("nfs"):
        no_ac = "noac" in opts or (opts.get("acregmax") == "0" and opts.get("acdirmax") == "0")
        return "" if no_ac else "nfs_cache"
    if mount.fstype == "fuse.sshfs":
        return "sshfs_cache"  # its cache options are not visible here: say how to mount
    return ""


@dataclass
class Doctor:
    path: Path
    exists: bool
    size: int | None
    mount: Mount | None
    locking_configured: str
    locking_stored: str
    journal_mode: str
    schema_version: int | None
    last_backup: tuple[Path, dt.datetime] | None
    outbox: int
    lock_age: float | None
    warnings: list[str]


def open_to_others(db_path) -> list[Path]:
    """The file, its backups and journals that users outside the owner and group
    may read or write (a school's records about minors: ``chmod o-rwx`` them)."""
    from db.journal import journal_dir

    db_path = Path(db_path)
    candidates = [db_path, *backups(db_path)]
    folder = journal_dir(db_path)
    if folder.is_dir():
        candidates += [folder, *folder.glob("*.jsonl")]
    found = []
    for path in candidates:
        try:
            if path.stat().st_mode & 0o007:
                found.append(path)
        except OSError:
            continue
    return found


def doctor(db_path, locking: str, *, outbox: int = 0,
           stale_after: float = STALE_LOCK_SECONDS) -> Doctor:
    """Everything ``bangfu doctor`` prints, gathered without writing anything."""
    db_path = Path(db_path)
    exists = db_path.exists()
    mount = mount_of(db_path if exists else db_path.parent)
    size = db_path.stat().st_size if exists else None
    stored, version, mode = "", None, journal_mode_in_header(db_path) if exists else ""
    warnings: list[str] = []
    age = lock_age(db_path)
    stale = age is not None and age >= stale_after
    if exists and not stale:  # behind a stale lock a read would only wait and fail
        try:
            conn = _connect(db_path, locking, readonly=True)
            try:
                row = conn.execute(
                    "SELECT value FROM bangfu_meta WHERE key = 'locking'").fetchone()
                stored = row[0] if row else ""
                version = conn.execute("SELECT count(*) FROM schema_migration").fetchone()[0]
            finally:
                conn.close()
        except sqlite3.Error as exc:
            busy = "locked" in str(exc).lower() or "busy" in str(exc).lower()
            warnings.append("busy" if busy else "unreadable")
    if stored and stored != locking:
        warnings.append("locking_mismatch")
    if mount is not None and mount.network and locking == "posix":
        warnings.append("posix_on_share")
    if code := caching_warning(mount):
        warnings.append(code)
    if mode == "wal" or Path(str(db_path) + "-wal").exists():
        warnings.append("wal")
    if stale:
        warnings.append("stale_lock")
    last = last_backup(db_path)
    if exists and (last is None or (dt.datetime.now() - last[1]).days >= 2):
        warnings.append("no_recent_backup")
    if outbox:
        warnings.append("outbox")
    if open_to_others(db_path):
        warnings.append("others_can_read")
    return Doctor(db_path, exists, size, mount, locking, stored, mode, version, last,
                  outbox, age, warnings)
