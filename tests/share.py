"""A simulated network share for tests: two FUSE mounts of one directory.

``mount_share(tmp_path)`` mounts ``tests/sharefs.py`` twice over one backing
directory.  The two mounts behave like two hosts on one share whose POSIX
locks do not see each other (see ``tests/sharefs.py``).  Fixtures:

    from tests.share import share, share_factory  # noqa: F401  (fixtures)

    def test_something(share):            # two mounts, no delay
        db_a = share.mounts[0] / "school.db"
        ...

    def test_slow(share_factory):
        share = share_factory(delay_ms=0.2)

Without FUSE (no /dev/fuse, libfuse or mfusepy, no permission to mount) the
tests are skipped, except in CI (``CI=true``), where they must run and fail.
"""

from __future__ import annotations

import atexit
import ctypes.util
import importlib.util
import os
import shutil
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FSTYPE = "fuse.bangfu-share"
MOUNT_TIMEOUT = 15.0
_active: list["Share"] = []  # unmounted at exit even if a teardown never ran


class FuseUnavailable(RuntimeError):
    """FUSE cannot be used here; ``str(exc)`` says why."""


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def fuse_available() -> tuple[bool, str]:
    """Whether this machine can mount the simulated share, and if not, why."""
    if not sys.platform.startswith("linux"):
        return False, f"FUSE share tests need Linux (this is {sys.platform})"
    if not os.path.exists("/dev/fuse"):
        return False, "/dev/fuse is missing (container without --device /dev/fuse?)"
    try:
        os.close(os.open("/dev/fuse", os.O_RDWR))
    except OSError as exc:
        return False, f"/dev/fuse cannot be opened: {exc.strerror}"
    if not (ctypes.util.find_library("fuse3") or ctypes.util.find_library("fuse")):
        return False, "libfuse is not installed (apt-get install fuse3 libfuse3-3; ./dev does it as root)"
    if importlib.util.find_spec("mfusepy") is None:
        return False, "mfusepy is not installed (pip install -e '.[test]')"
    if os.geteuid() != 0 and not (shutil.which("fusermount3") or shutil.which("fusermount")):
        return False, "not root and no fusermount3/fusermount to mount as a user"
    return True, ""


def unavailable(reason: str):
    """Skip the test, or fail it in CI, where the share tests must run."""
    if in_ci():
        pytest.fail(f"FUSE share needed in CI but unavailable: {reason}", pytrace=False)
    pytest.skip(reason)


def _unescape(field_: str) -> str:
    """/proc/self/mountinfo escapes space, tab, newline and backslash in octal."""
    out, i = [], 0
    while i < len(field_):
        code = field_[i + 1:i + 4]
        if field_[i] == "\\" and len(code) == 3 and code.isdigit():
            out.append(chr(int(code, 8)))
            i += 4
        else:
            out.append(field_[i])
            i += 1
    return "".join(out)


def mounts_table() -> dict[str, str]:
    """Mount point -> filesystem type, from /proc/self/mountinfo."""
    table = {}
    try:
        text = Path("/proc/self/mountinfo").read_text()
    except OSError:
        return table
    for line in text.splitlines():
        left, _, right = line.partition(" - ")
        parts = left.split()
        if len(parts) >= 5 and right:
            table[_unescape(parts[4])] = right.split()[0]
    return table


def is_mounted(mountpoint: str | os.PathLike) -> bool:
    return mounts_table().get(str(mountpoint)) == FSTYPE


def _lazy_unmount(mountpoint: str) -> None:
    for cmd in (["fusermount3", "-u", "-z"], ["fusermount", "-u", "-z"], ["umount", "-l"]):
        if not is_mounted(mountpoint):
            return
        if shutil.which(cmd[0]) is None:
            continue
        subprocess.run([*cmd, mountpoint], capture_output=True, timeout=30)


@dataclass
class Share:
    """One backing directory, mounted ``len(mounts)`` times ("hosts")."""

    backing: Path
    mounts: list[Path]
    servers: list[subprocess.Popen] = field(default_factory=list)
    logs: list[Path] = field(default_factory=list)
    clients: list[subprocess.Popen] = field(default_factory=list)

    # -- clients ----------------------------------------------------------
    def popen(self, args, **kwargs) -> subprocess.Popen:
        """Start a client process; teardown kills it (-9) if it is still running."""
        proc = subprocess.Popen(args, **kwargs)
        self.clients.append(proc)
        return proc

    # -- the share going away and coming back -----------------------------
    def _signal(self, sig, which) -> list[int]:
        indexes = range(len(self.servers)) if which is None else [which]
        for i in indexes:
            if self.servers[i].poll() is None:
                self.servers[i].send_signal(sig)
        return list(indexes)

    def offline(self, which: int | None = None, timeout: float = 5.0) -> None:
        """Every operation on the mount(s) now fails with EIO."""
        for i in self._signal(signal.SIGUSR1, which):
            self._wait_for(i, reachable=False, timeout=timeout)

    def online(self, which: int | None = None, timeout: float = 5.0) -> None:
        for i in self._signal(signal.SIGUSR2, which):
            self._wait_for(i, reachable=True, timeout=timeout)

    def _wait_for(self, i: int, *, reachable: bool, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                os.stat(self.mounts[i])
                now = True
            except OSError:
                now = False
            if now == reachable:
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"{self.mounts[i]} did not go {'online' if reachable else 'offline'}")
            time.sleep(0.01)

    def log(self, i: int = 0) -> str:
        try:
            return self.logs[i].read_text(errors="replace")
        except OSError:
            return ""

    # -- teardown -----------------------------------------------------------
    def unmount(self) -> None:
        """Kill the clients, unmount every mount, stop every server.  Idempotent;
        copes with clients killed mid-call, busy mounts and dead servers."""
        for proc in self.clients:
            if proc.poll() is None:
                proc.kill()
        for proc in self.clients:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass  # stuck in the kernel on a mount; the lazy unmount frees it
        self._signal(signal.SIGUSR2, None)  # online: let in-flight calls finish
        self._signal(signal.SIGTERM, None)  # sharefs unmounts (lazily) and exits
        deadline = time.monotonic() + 5
        for proc in self.servers:
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
        for mount in self.mounts:
            _lazy_unmount(str(mount))
        for proc in self.servers:
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=10)
        for mount in self.mounts:  # a server that died leaves a dead mount
            _lazy_unmount(str(mount))
        if self in _active:
            _active.remove(self)
        left = [str(m) for m in self.mounts if is_mounted(m)]
        if left:
            raise RuntimeError(f"could not unmount {left}")


def _start(backing: Path, mount: Path, *, delay_ms: float, name: str, log: Path) -> subprocess.Popen:
    with open(log, "wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "tests.sharefs", str(backing), str(mount),
             "--delay-ms", str(delay_ms), "--name", name, "--parent-pid", str(os.getpid())],
            cwd=ROOT, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True)  # a ^C in the terminal reaches pytest, not the share


@contextmanager
def mount_share(tmp_path: Path, count: int = 2, delay_ms: float = 0.0):
    """Mount one backing directory ``count`` times; yields a ``Share``.

    Raises ``FuseUnavailable`` when FUSE cannot be used here.
    """
    ok, reason = fuse_available()
    if not ok:
        raise FuseUnavailable(reason)
    tmp_path = Path(tmp_path).resolve()
    backing = tmp_path / "backing"
    backing.mkdir(exist_ok=True)
    share = Share(backing, [])
    _active.append(share)
    try:
        for i in range(count):
            letter = chr(ord("a") + i)
            mount = tmp_path / f"host-{letter}"
            mount.mkdir(exist_ok=True)
            log = tmp_path / f"sharefs-{letter}.log"
            share.mounts.append(mount)
            share.logs.append(log)
            share.servers.append(_start(backing, mount, delay_ms=delay_ms,
                                        name=f"bangfu-share-{letter}", log=log))
        deadline = time.monotonic() + MOUNT_TIMEOUT
        for i, mount in enumerate(share.mounts):
            while not is_mounted(mount):
                if share.servers[i].poll() is not None:
                    raise FuseUnavailable(f"sharefs exited ({share.servers[i].returncode}): "
                                          + share.log(i).strip()[-500:])
                if time.monotonic() > deadline:
                    raise FuseUnavailable(f"sharefs did not mount {mount} within {MOUNT_TIMEOUT:.0f} s: "
                                          + share.log(i).strip()[-500:])
                time.sleep(0.01)
        yield share
    finally:
        share.unmount()


@pytest.fixture
def share_factory(tmp_path):
    """``share_factory(count=2, delay_ms=0.0)`` -> a mounted ``Share``, unmounted after the test."""
    stack = []

    def make(count: int = 2, delay_ms: float = 0.0) -> Share:
        where = tmp_path / f"share{len(stack)}"
        where.mkdir()
        cm = mount_share(where, count=count, delay_ms=delay_ms)
        try:
            share = cm.__enter__()
        except FuseUnavailable as exc:
            unavailable(str(exc))
        stack.append(cm)
        return share

    yield make
    errors = []
    for cm in reversed(stack):
        try:
            cm.__exit__(None, None, None)
        except Exception as exc:  # noqa: BLE001 - report all, unmount all
            errors.append(exc)
    if errors:
        raise errors[0]


@pytest.fixture
def share(share_factory) -> Share:
    """Two mounts ("hosts") of one backing directory, no delay."""
    return share_factory()


@atexit.register
def _unmount_leftovers() -> None:
    for share in list(_active):
        try:
            share.unmount()
        except Exception:  # noqa: BLE001 - best effort at exit
            pass
