"""A simulated network share for tests: a FUSE passthrough filesystem.

    python -m tests.sharefs BACKING MOUNTPOINT [--delay-ms F] [--name NAME]

Every operation SQLite uses is passed through to BACKING.  There is no lock
(fcntl) or flock handler, so the kernel keeps POSIX locks per FUSE mount:
two mounts of one BACKING behave like two hosts whose locks do not see each
other, which is what an untrustworthy share looks like to SQLite.  The mount
caches nothing on the client (direct_io, attr/entry/negative timeouts 0), so
``mkdir`` lock directories and file contents are seen across mounts at once.

``--delay-ms`` sleeps that long in every operation (many operations run at
once: the filesystem is multithreaded).  Signals: SIGUSR1 takes the share
offline (every operation then fails with EIO, like an unreachable SMB server),
SIGUSR2 brings it back; SIGTERM/SIGINT unmount and exit.  The process runs in
the foreground; /proc/self/mountinfo shows the mount as ``fuse.bangfu-share``.
"""

from __future__ import annotations

import argparse
import ctypes.util
import errno
import os
import signal
import subprocess
import sys
import threading
import time

SUBTYPE = "bangfu-share"

# The libfuse that ./dev installs is libfuse3; prefer it when present so a
# workstation with both behaves like CI.  FUSE_LIBRARY_NAME/PATH override.
if not os.environ.get("FUSE_LIBRARY_PATH") and not os.environ.get("FUSE_LIBRARY_NAME"):
    if ctypes.util.find_library("fuse3"):
        os.environ["FUSE_LIBRARY_NAME"] = "fuse3"

import mfusepy  # noqa: E402  (after choosing the library)
from mfusepy import FUSE, FuseOSError, Operations  # noqa: E402

UTIME_NOW = (1 << 30) - 1
UTIME_OMIT = (1 << 30) - 2


class ShareFS(Operations):
    """Passthrough to ``root`` with a delay and an offline switch."""

    use_ns = True  # times in nanoseconds
    # A file unlinked while open stays readable/writable by its handle (libfuse3
    # does that by itself; libfuse2 needs the flag).  fstat() on it fails
    # (ESTALE/ENOENT), much like a delete-pending file on SMB.
    flag_nullpath_ok = True

    def __init__(self, root: str, delay_ms: float = 0.0):
        self.root = os.path.realpath(root)
        self.delay = max(0.0, delay_ms) / 1000.0
        self.online = True

    # -- plumbing ---------------------------------------------------------
    def _enter(self) -> None:
        if self.delay:
            time.sleep(self.delay)
        if not self.online:
            raise FuseOSError(errno.EIO)

    def _full(self, path: str | None) -> str:
        if path is None:
            raise FuseOSError(errno.EBADF)
        return os.path.join(self.root, path.lstrip("/"))

    # -- metadata ---------------------------------------------------------
    def getattr(self, path, fh=None):
        self._enter()
        st = os.fstat(fh) if fh is not None and path is None else os.lstat(self._full(path))
        attrs = {key: getattr(st, key) for key in (
            "st_mode", "st_ino", "st_nlink", "st_uid", "st_gid", "st_size",
            "st_blocks", "st_blksize", "st_rdev")}
        attrs.update(st_atime=st.st_atime_ns, st_mtime=st.st_mtime_ns, st_ctime=st.st_ctime_ns)
        return attrs

    def access(self, path, amode):
        self._enter()
        if not os.access(self._full(path), amode):
            raise FuseOSError(errno.EACCES)
        return 0

    def readlink(self, path):
        self._enter()
        return os.readlink(self._full(path))

    def chmod(self, path, mode):
        self._enter()
        os.chmod(self._full(path), mode)
        return 0

    def chown(self, path, uid, gid):
        self._enter()
        os.chown(self._full(path), uid, gid, follow_symlinks=False)
        return 0

    def utimens(self, path, times=None):
        self._enter()
        if times is None:
            os.utime(self._full(path))
        else:
            os.utime(self._full(path), ns=times)
        return 0

    def statfs(self, path):
        self._enter()
        sv = os.statvfs(self._full(path))
        return {key: getattr(sv, key) for key in (
            "f_bavail", "f_bfree", "f_blocks", "f_bsize", "f_favail", "f_ffree",
            "f_files", "f_flag", "f_frsize", "f_namemax")}

    # -- directories ------------------------------------------------------
    def readdir(self, path, fh):
        self._enter()
        return [".", "..", *os.listdir(self._full(path))]

    def mkdir(self, path, mode):
        self._enter()
        os.mkdir(self._full(path), mode)  # atomic: the dot-file lock relies on it
        return 0

    def rmdir(self, path):
        self._enter()
        os.rmdir(self._full(path))
        return 0

    def unlink(self, path):
        self._enter()
        os.unlink(self._full(path))
        return 0

    def rename(self, old, new):
        self._enter()
        os.rename(self._full(old), self._full(new))
        return 0

    def symlink(self, target, source):
        self._enter()
        os.symlink(source, self._full(target))
        return 0

    def link(self, target, source):
        self._enter()
        os.link(self._full(source), self._full(target))
        return 0

    def mknod(self, path, mode, dev):
        self._enter()
        os.mknod(self._full(path), mode, dev)
        return 0

    # -- files ------------------------------------------------------------
    def open(self, path, flags):
        self._enter()
        return os.open(self._full(path), flags)

    def create(self, path, mode, flags):
        self._enter()
        return os.open(self._full(path), flags | os.O_CREAT, mode)

    def read(self, path, size, offset, fh):
        self._enter()
        return os.pread(fh, size, offset)

    def write(self, path, data, offset, fh):
        self._enter()
        return os.pwrite(fh, data, offset)

    def truncate(self, path, length, fh=None):
        self._enter()
        if fh is not None:
            os.ftruncate(fh, length)
        else:
            os.truncate(self._full(path), length)
        return 0

    def flush(self, path, fh):
        self._enter()
        return 0  # writes go straight to BACKING; nothing is buffered here

    def fsync(self, path, datasync, fh):
        self._enter()
        if datasync:
            os.fdatasync(fh)
        else:
            os.fsync(fh)
        return 0

    def release(self, path, fh):
        os.close(fh)  # always: an offline share must not leak descriptors
        return 0

    # Deliberately no ``lock`` and no ``flock``: locks stay in each mount.


class _FUSE(FUSE):
    """mfusepy's FUSE with exact utimens (UTIME_NOW / UTIME_OMIT kept) and
    ftruncate by file handle on libfuse3."""

    def truncate_fuse_3(self, path, length, fip):
        fh = fip.contents.fh if fip else None
        return self.operations.truncate(None if path is None else path.decode(self.encoding, self.errors),
                                        length, fh)

    def utimens_fuse_2(self, path, buf):
        if not buf:
            times = None
        else:
            now = time.time_ns()
            spec = (buf.contents.actime, buf.contents.modtime)
            if all(ts.tv_nsec == UTIME_NOW for ts in spec):
                times = None
            else:
                try:
                    current = os.lstat(self.operations._full(path.decode(self.encoding, self.errors)))
                    old = (current.st_atime_ns, current.st_mtime_ns)
                except (OSError, AttributeError):
                    old = (now, now)
                times = tuple(
                    now if ts.tv_nsec == UTIME_NOW else prev if ts.tv_nsec == UTIME_OMIT
                    else ts.tv_sec * 10**9 + ts.tv_nsec for ts, prev in zip(spec, old))
        return self.operations.utimens(None if path is None else path.decode(self.encoding, self.errors),
                                       times)


def _unmount(mountpoint: str) -> None:
    """Detach the mount (lazily: clients that still have files open keep them)."""
    if os.geteuid() == 0:
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        if libc.umount2(mountpoint.encode(), 2) == 0:  # MNT_DETACH
            return
    for tool in ("fusermount3", "fusermount"):
        try:
            if subprocess.run([tool, "-u", "-z", mountpoint], capture_output=True).returncode == 0:
                return
        except FileNotFoundError:
            continue


def _watch_signals(fs: ShareFS, mountpoint: str) -> None:
    """Signals are taken by a thread: the main thread sits inside libfuse, where
    Python signal handlers never run.  SIGUSR1/SIGUSR2 switch the share
    off/on; SIGTERM/SIGINT/SIGHUP unmount, which ends libfuse's loop."""
    switch = {signal.SIGUSR1, signal.SIGUSR2}
    stop = {signal.SIGTERM, signal.SIGINT, signal.SIGHUP}
    signal.pthread_sigmask(signal.SIG_BLOCK, switch | stop)  # inherited by libfuse's threads

    def loop() -> None:
        while True:
            sig = signal.sigwait(switch | stop)
            if sig in switch:
                fs.online = sig == signal.SIGUSR2
                print(f"sharefs: {'online' if fs.online else 'offline'}", file=sys.stderr, flush=True)
                continue
            fs.online = True  # let clients that are still inside finish
            _unmount(mountpoint)
            # libfuse's loop ends once the kernel drops the connection; do not
            # hang on to a mount whose clients keep files open.
            time.sleep(5)
            print("sharefs: clients still attached; exiting", file=sys.stderr, flush=True)
            os._exit(0)

    threading.Thread(target=loop, name="sharefs-signals", daemon=True).start()


def _die_with_parent(pid: int) -> None:
    """SIGTERM (so: unmount) when the parent dies, even by kill -9; Linux only."""
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    libc.prctl(1, signal.SIGTERM, 0, 0, 0)  # PR_SET_PDEATHSIG
    if os.getppid() != pid:  # the parent died before prctl
        sys.exit(1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.sharefs", description=__doc__.split("\n")[0])
    parser.add_argument("backing")
    parser.add_argument("mountpoint")
    parser.add_argument("--delay-ms", type=float, default=0.0)
    parser.add_argument("--name", default=SUBTYPE, help="the mount's source (fsname)")
    parser.add_argument("--parent-pid", type=int, default=0,
                        help="unmount and exit when this process (the test run) dies")
    args = parser.parse_args(argv)
    if not os.path.isdir(args.backing):
        parser.error(f"not a directory: {args.backing}")
    fs = ShareFS(args.backing, args.delay_ms)
    mountpoint = os.path.abspath(args.mountpoint)
    _watch_signals(fs, mountpoint)
    if args.parent_pid:
        _die_with_parent(args.parent_pid)
    options = dict(
        foreground=True, nothreads=False, fsname=args.name, subtype=SUBTYPE,
        direct_io=True, attr_timeout=0, entry_timeout=0, negative_timeout=0,
        hard_remove=True,  # unlink really unlinks (no .fuse_hidden files in BACKING)
    )
    print(f"sharefs: libfuse {mfusepy.fuse_version_major}, {args.backing} on {args.mountpoint}, "
          f"delay {args.delay_ms} ms", file=sys.stderr, flush=True)
    _FUSE(fs, mountpoint, **options)
    return 0


if __name__ == "__main__":
    sys.exit(main())
