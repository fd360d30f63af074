"""What the share is and what ``bangfu doctor`` reports: the filesystem the file
lives on (a network share, and whether its cache settings are safe for
SQLite), who else may read the file, its backups and journals, and the whole
doctor report (``doctor``), gathered without writing anything.  The file's
backups and checks are ``db.store.storage``.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from db.store.connection import DatabaseError, peek_locking, peek_schema_version
from db.store.lock import STALE_LOCK_SECONDS, live_owner, lock_age
from db.store.storage import audit_check, backups, connect_file, journal_mode_in_header, last_backup

NETWORK_FS = ("cifs", "smb3", "smbfs", "nfs", "nfs4", "9p", "afs", "ceph", "glusterfs",
              "fuse.sshfs", "davfs", "fuse.rclone")


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
    lock_owner: object = None  # db.store.lock.LockOwner of a live writer holding the lock
    tampering: list = field(default_factory=list)  # changed outside bangfu (``audit_check``)


def open_to_others(db_path) -> list[Path]:
    """The file, its backups and journals that users outside the owner and group
    may read or write (a school's records about minors: ``chmod o-rwx`` them)."""
    from db.store.journal import journal_dir

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
    stored: str | None
    stored, version, mode = "", None, journal_mode_in_header(db_path) if exists else ""
    warnings: list[str] = []
    age = lock_age(db_path)
    owner = live_owner(db_path) if age is not None else None
    stale = age is not None and age >= stale_after and owner is None
    if exists:
        # read without a lock or a journal, whatever the two modes: a client
        # with the wrong one must never touch a live writer's journal, and a
        # lock held by a long write (or a crash) keeps nobody waiting here
        stored = peek_locking(db_path)
        version = peek_schema_version(db_path)
        if stored is None or version is None:
            warnings.append("unreadable")
        stored = stored or ""
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
    tampering = []
    if exists and age is None and "unreadable" not in warnings and stored in ("", locking):
        tampering = _tampering(db_path, locking)
        if tampering:
            warnings.append("tampered")
    return Doctor(db_path, exists, size, mount, locking, stored, mode, version, last,
                  outbox, age, warnings, owner, tampering)


def _tampering(db_path: Path, locking: str) -> list:
    """``audit_check`` for ``doctor``, read-only; nothing when the file cannot
    be read now (busy, damaged: ``bangfu check`` says which)."""
    try:
        conn = connect_file(db_path, locking, readonly=True)
    except (DatabaseError, sqlite3.Error):
        return []
    try:
        return audit_check(conn, db_path)
    except sqlite3.Error:
        return []
    finally:
        conn.close()
