"""The dot-file lock (``locking = dotfile``): its age, who holds it, and taking
it away from a writer that crashed.

A write that holds the lock longer than ``OWNER_AFTER_SECONDS`` says who it
is (host, pid) in a file of its own beside the lock and refreshes it every
``HEARTBEAT_SECONDS`` (``LockHeartbeat``), so a long import is never taken
for a crash; ``remove_lock`` (``bangfu unlock``) refuses while the owner is
alive and rolls a crashed writer's journal back first.  ``leave_wal`` and
``rollback_hot_journal`` are done under the lock.  Opening the file is
``db.store.connection``.
"""

from __future__ import annotations

import itertools
import json
import os
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from db.store.host import hostname, safe_host

STALE_LOCK_SECONDS = 60  # far above any real transaction (about 0.1-0.3 s on a share)
# A write that holds the dot-file lock longer than OWNER_AFTER_SECONDS says who
# it is (host, pid) in a file of its own and refreshes it every
# HEARTBEAT_SECONDS while it writes; a lock whose owner beat within
# OWNER_FRESH_SECONDS is alive, never a crash.  Short saves (0.1-0.3 s) never
# touch the share for this.
OWNER_AFTER_SECONDS = 1.0
HEARTBEAT_SECONDS = 2.0
OWNER_FRESH_SECONDS = 20.0
UNLOCK_WATCH_SECONDS = 2.5  # above one heartbeat: a live owner shows itself meanwhile


def lock_dir(path: str | os.PathLike) -> Path:
    """Where the unix-dotfile VFS takes its lock (a directory)."""
    return Path(str(path) + ".lock")


def lock_age(path: str | os.PathLike, now: float | None = None) -> float | None:
    """Seconds since the dot-file lock was taken, or None when there is none."""
    try:
        mtime = lock_dir(path).stat().st_mtime
    except OSError:
        return None
    return max(0.0, (time.time() if now is None else now) - mtime)


# -- who holds the lock: a heartbeat beside it -----------------------------------
def owners_dir(path: str | os.PathLike) -> Path:
    """Where a long write says who it is (one small file per writer); never
    inside the lock directory, which the dot-file VFS removes with rmdir."""
    return Path(str(path) + ".lock-owners")


@dataclass(frozen=True)
class LockOwner:
    host: str
    pid: int
    since: float  # when its write began (its own clock)
    beat_age: float  # seconds since its last heartbeat, by the file's time
    beats: int
    alive: bool  # its process is there (this host) or it beat recently (another host)
    file: Path


def _process_alive(pid: int) -> bool:
    """On this computer: is process ``pid`` there (running, or stopped)?"""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # someone else's process (EPERM): there
        return True
    return True


class LockHeartbeat:
    """While a write transaction holds the dot-file lock: after
    ``OWNER_AFTER_SECONDS`` its process writes
    ``<file>.lock-owners/<host>-<pid>-<n>.json`` (host, pid, since, a beat
    count), then refreshes it every ``HEARTBEAT_SECONDS`` until the transaction
    ends, when the file is removed.  One thread per process beats for all of
    them (``_Beater``), so a save costs no thread of its own."""

    _numbers = itertools.count(1)

    def __init__(self, path: str | os.PathLike, *, after: float | None = None):
        self.path = Path(path)
        self.after = OWNER_AFTER_SECONDS if after is None else after
        self.since = time.time()
        self.began = time.monotonic()
        self.file = owners_dir(path) / f"{safe_host()}-{os.getpid()}-{next(self._numbers)}.json"
        self.beats = 0
        self.last = 0.0  # monotonic time of the last beat (0: none yet)

    def start(self) -> None:
        _BEATER.add(self)

    def finish(self) -> None:
        """The write is over: no more beats, and its file goes."""
        if _BEATER.remove(self):
            try:
                self.file.unlink()
            except OSError:
                pass

    def beat(self) -> None:  # by the beater, under its lock
        if self.beats == 0:
            owners_dir(self.path).mkdir(mode=0o770, exist_ok=True)
        data = {"host": hostname(), "pid": os.getpid(), "since": self.since, "beats": self.beats}
        tmp = self.file.with_suffix(".tmp")
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(data, fh)
        os.replace(tmp, self.file)
        self.beats += 1
        self.last = time.monotonic()


class _Beater:
    """The process's one heartbeat thread, started at its first long write."""

    IDLE = 0.5  # how often it looks for a write that became long

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._active: list[LockHeartbeat] = []
        self._thread: threading.Thread | None = None

    def add(self, beat: LockHeartbeat) -> None:
        with self._cond:
            self._active.append(beat)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, daemon=True,
                                                name="bangfu-lock-heartbeat")
                self._thread.start()
            elif beat.after <= 0:
                self._cond.notify()

    def remove(self, beat: LockHeartbeat) -> bool:
        """Take ``beat`` off; True when it had written its file (to remove)."""
        with self._cond:  # never while a beat is being written
            if beat in self._active:
                self._active.remove(beat)
            return beat.beats > 0

    def _run(self) -> None:
        with self._cond:
            while True:
                now = time.monotonic()
                wait = self.IDLE
                for beat in list(self._active):
                    due = beat.began + beat.after if beat.beats == 0 else beat.last + HEARTBEAT_SECONDS
                    if due <= now:
                        try:
                            beat.beat()
                        except OSError:
                            self._active.remove(beat)  # the share went away: the write says so
                            continue
                        due = beat.last + HEARTBEAT_SECONDS
                    wait = min(wait, max(0.01, due - now))
                self._cond.wait(wait)


_BEATER = _Beater()


def lock_owners(path: str | os.PathLike, now: float | None = None) -> list[LockOwner]:
    """Every writer that said it holds (or held) the lock, most recent beat first."""
    folder = owners_dir(path)
    now = time.time() if now is None else now
    found = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    here = hostname()
    for entry in entries:
        if entry.suffix != ".json":
            continue
        try:
            beat_age = max(0.0, now - entry.stat().st_mtime)
            with open(entry, encoding="utf-8") as fh:
                data = json.load(fh)
            host, pid = str(data["host"]), int(data["pid"])
            since, beats = float(data.get("since", 0)), int(data.get("beats", 0))
        except (OSError, ValueError, KeyError, TypeError):
            continue
        alive = _process_alive(pid) if host == here else beat_age < OWNER_FRESH_SECONDS
        found.append(LockOwner(host, pid, since, beat_age, beats, alive, entry))
    return sorted(found, key=lambda o: o.beat_age)


def live_owner(path: str | os.PathLike, *, watch: float = 0.0,
               sleep=time.sleep) -> LockOwner | None:
    """The writer holding the lock when it is alive, else None.

    ``watch`` > 0 looks again after that many seconds: an owner on another
    host whose heartbeat count moved is alive whatever the two computers'
    clocks say, and a write younger than ``OWNER_AFTER_SECONDS`` has said who
    it is by then (``unlock`` watches before it removes anything)."""
    owners = lock_owners(path)
    alive = next((o for o in owners if o.alive), None)
    if alive is not None or watch <= 0:
        return alive
    before = {o.file: o.beats for o in owners}
    sleep(watch)
    for owner in lock_owners(path):
        if owner.alive or (owner.file in before and before[owner.file] != owner.beats) \
                or owner.file not in before:
            return owner
    return None


def clear_dead_owners(path: str | os.PathLike) -> None:
    """Remove the heartbeat files of writers that are gone (after an unlock)."""
    for owner in lock_owners(path):
        if not owner.alive:
            try:
                owner.file.unlink()
            except OSError:
                pass


def stale_lock_age(path: str | os.PathLike, threshold: float = STALE_LOCK_SECONDS) -> float | None:
    """The lock's age when it is older than ``threshold`` and no live writer
    holds it (left by a crashed client); None otherwise."""
    age = lock_age(path)
    if age is None or age < threshold:
        return None
    return None if live_owner(path) is not None else age


class LockHeld(Exception):
    """The lock's owner is alive: nobody may remove it."""

    def __init__(self, owner: LockOwner):
        super().__init__(f"{owner.host} {owner.pid}")
        self.owner = owner


def remove_lock(path: str | os.PathLike, *, watch: float = 0.0, sleep=time.sleep) -> bool:
    """Remove a crashed client's dot-file lock; True when there was one.  Ask first.

    ``LockHeld`` when its owner is alive (it is writing: a long import), however
    old the lock is; with ``watch``, the lock is watched that long first and
    left alone if it moved or went (someone was using it).  While the stale
    lock still keeps everyone out, the crashed writer's half-written
    transaction is rolled back first: the unix-dotfile VFS never does that
    itself (its own lock directory looks like a live writer to it).
    """
    lock = lock_dir(path)
    try:
        before = lock.stat()
    except OSError:
        return False
    owner = live_owner(path, watch=watch, sleep=sleep)
    if owner is not None:
        raise LockHeld(owner)
    if watch:
        try:
            after = lock.stat()
        except OSError:
            return False  # released meanwhile: its owner was alive after all
        if (after.st_ino, after.st_mtime_ns) != (before.st_ino, before.st_mtime_ns):
            return False
    rollback_hot_journal(path, holding_lock=True)
    try:
        lock.rmdir()
    except FileNotFoundError:
        return False
    clear_dead_owners(path)
    return True


def leave_wal(path: str | os.PathLike) -> bool:
    """Switch a file in WAL mode back to the rollback journal; True if it was WAL.

    Done while holding the dot-file lock, through the default VFS (which has
    the shared memory WAL needs); the checkpoint folds the WAL into the file.
    """
    path = Path(path)
    try:
        with path.open("rb") as fh:
            header = fh.read(20)
    except OSError:
        return False
    if len(header) < 20 or 2 not in (header[18], header[19]):
        return False
    lock = lock_dir(path)
    try:
        lock.mkdir()
    except OSError:
        return False  # someone holds the lock: the open reports the file busy
    try:
        conn = sqlite3.connect(path)
        try:
            conn.execute("PRAGMA journal_mode = delete").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return False
    finally:
        try:
            lock.rmdir()
        except OSError:
            pass
    return True


def rollback_hot_journal(path: str | os.PathLike, *, holding_lock: bool = False) -> bool:
    """Play back a rollback journal left by a writer that crashed; True if one was.

    Only done while holding the dot-file lock (taken here unless the caller
    holds it): a journal with nobody holding the lock is a crashed writer's.
    The playback opens the file with the ``unix-none`` VFS, which sees no
    other writer and so restores the pages the journal saved.
    """
    path = Path(path)
    if not Path(str(path) + "-journal").exists():
        return False
    lock = lock_dir(path)
    if not holding_lock:
        try:
            lock.mkdir()
        except FileExistsError:
            return False  # a writer is active (or a stale lock: bangfu unlock)
        except OSError:
            return False
    try:
        uri = "file:" + quote(str(path.absolute()), safe="/") + "?mode=rw&vfs=unix-none"
        conn = sqlite3.connect(uri, uri=True)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            conn.close()
    finally:
        if not holding_lock:
            try:
                lock.rmdir()
            except OSError:
                pass
    return True
