"""Shared helpers for the benchmark scripts (not a benchmark itself).

- where things are (the venv, the bangfu command, the cache of demo databases);
- ``ensure_demo_db``: a 20,000-student demo school, built once and reused;
- ``PtyApp``: run a Textual app in a pseudo-terminal and time its frames;
- small statistics helpers (median, percentiles).
"""

from __future__ import annotations

import os
import re
import select
import shutil
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
VENV = ROOT / ".venv"
PY = str(VENV / "bin" / "python") if (VENV / "bin" / "python").exists() else sys.executable
BANGFU = str(VENV / "bin" / "bangfu")
CACHE = Path(os.environ.get("BANGFU_BENCH_DIR", "/tmp/bangfu-bench"))

SYNC_START = b"\x1b[?2026h"
SYNC_END = b"\x1b[?2026l"
DECRQM_SYNC = b"\x1b[?2026$p"
DECRPM_SYNC_SET = b"\x1b[?2026;2$y"  # "reset, but supported": Textual then wraps frames

# ---------------------------------------------------------------------------
# statistics


def median(values) -> float:
    return statistics.median(values)


def percentile(values, p: float) -> float:
    """Nearest-rank percentile (p in 0..100)."""
    data = sorted(values)
    if not data:
        return float("nan")
    k = max(0, min(len(data) - 1, int(round(p / 100 * len(data) + 0.5)) - 1))
    return data[k]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f} ms"


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


# ---------------------------------------------------------------------------
# the demo school


def collect_writers(procs, timeout: float) -> tuple[list[str], list[float], list[str]]:
    """The acknowledged UUIDs, their latencies (ms) and the failures, from writer
    processes that print ``OK <uuid> <ms>`` or ``FAIL <why>`` per save."""
    acked, latencies, failures = [], [], []
    for p in procs:
        out, err = p.communicate(timeout=timeout)
        for line in out.splitlines():
            kind, _, rest = line.partition(" ")
            if kind == "OK":
                uuid, latency = rest.split()
                acked.append(uuid)
                latencies.append(float(latency))
            elif kind == "FAIL":
                failures.append(rest)
        if p.returncode != 0:
            failures.append(err.strip().splitlines()[-1] if err.strip() else f"exit {p.returncode}")
    return acked, latencies, failures


def child_env(**extra) -> dict:
    """A clean, identical environment for both apps under test."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("TEXTUAL", "TMUX", "BANGFU_")) and k not in ("NO_COLOR", "COLUMNS", "LINES")}
    env.update(TERM="xterm-256color", COLORTERM="truecolor", LANG="C.UTF-8", LC_ALL="C.UTF-8",
               PYTHONDONTWRITEBYTECODE="")
    env.pop("PYTHONDONTWRITEBYTECODE")
    env.update(extra)
    return env


def ensure_demo_db(students: int = 20_000, log=print) -> tuple[Path, str]:
    """Path of a demo database with ``students`` students, and how it was built.

    Prefers ``bangfu demo`` (the project's own demo school).  If that command
    is not available yet (db/demo/build.py missing), falls back to the generator in
    ``bench/_school.py`` and says so.  Both are built once and reused.
    """
    CACHE.mkdir(parents=True, exist_ok=True)
    tag = f"{students // 1000}k" if students % 1000 == 0 else str(students)
    real = CACHE / f"demo{tag}.db"
    fallback = CACHE / f"demo{tag}-benchgen.db"
    if real.exists() and _looks_complete(real, students):
        return real, "bangfu demo"
    if real.exists():
        real.unlink()
    tmp = real.with_suffix(".building")
    if tmp.exists():
        tmp.unlink()
    log(f"building the demo school ({students} students) with `bangfu demo` into {real} ...")
    t0 = time.perf_counter()
    proc = subprocess.run([BANGFU, "--db", str(tmp), "--lang", "en", "demo", "--students", str(students)],
                          capture_output=True, text=True, env=child_env(), cwd=str(ROOT))
    if proc.returncode == 0 and tmp.exists() and _looks_complete(tmp, students):
        tmp.rename(real)
        log(f"  built in {time.perf_counter() - t0:.1f} s: {proc.stdout.strip()}")
        return real, "bangfu demo"
    if tmp.exists():
        tmp.unlink()
    log(f"  `bangfu demo` failed ({(proc.stderr or proc.stdout).strip()[-200:]!r});"
        f" using bench/_school.py instead")
    if fallback.exists() and _looks_complete(fallback, students):
        return fallback, "bench/_school.py (bangfu demo unavailable)"
    subprocess.run([PY, str(BENCH / "_school.py"), str(fallback), str(students)], check=True,
                   cwd=str(ROOT))
    return fallback, "bench/_school.py (bangfu demo unavailable)"


def _looks_complete(path: Path, students: int) -> bool:
    import sqlite3

    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            n = con.execute("select count(*) from student").fetchone()[0]
            staff = con.execute("select count(*) from staff").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return False
    return n >= students and staff > 0


BENCH_PIN = "1234"


def bench_accounts(db_path: Path) -> None:
    """Every account signs in with ``BENCH_PIN`` through a cheap hash, and the
    first one (by name) is an administrator, who sees the whole roster.

    The benches time the app, not the deliberate cost of a PIN check (scrypt,
    about 50 ms at sign-in, once per session); a cache built before schema 7
    is brought up to date first."""
    import sqlite3

    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from db.accounts import hash_pin

    con = sqlite3.connect(str(db_path))
    try:
        columns = {row[1] for row in con.execute("pragma table_info(staff)")}
    finally:
        con.close()
    if "pin_hash" not in columns:  # an older cache: migrate it as the app would
        subprocess.run([BANGFU, "--db", str(db_path), "init"], check=True, capture_output=True,
                       env=child_env(), cwd=str(ROOT))
    con = sqlite3.connect(str(db_path))
    try:
        with con:
            con.execute("update staff set pin_hash = ?, pin_failures = 0, locked_until = null",
                        (hash_pin(BENCH_PIN, n=2 ** 4),))
            con.execute("update staff set role = 'admin' where id = (select id from staff "
                        "where active order by name limit 1)")
    finally:
        con.close()


def first_staff_key(db_path: Path) -> tuple[str, str]:
    """(what to type at sign-in, the staff name): the first active staff member,
    made an administrator with the bench PIN (``bench_accounts``)."""
    import sqlite3

    bench_accounts(db_path)
    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        name, pinyin = con.execute(
            "select name, pinyin from staff where active order by name limit 1").fetchone()
    finally:
        con.close()
    return (pinyin.split("|")[0].replace("'", "") or name), name  # (syllables apart: zhang'wei)


# ---------------------------------------------------------------------------
# a Textual app in a pseudo-terminal

_ESC = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"
                  rb"|\x1b[()][0-9A-Za-z]|\x1b[=>78]")


def visible_text(data: bytes) -> str:
    """The printable text in a chunk of terminal output (escapes removed)."""
    return _ESC.sub(b"", data).decode("utf-8", "replace")


class PtyApp:
    """Run ``argv`` in a pty of ``cols`` x ``rows`` and watch what it draws.

    Answers Textual's DECRQM query for mode 2026, so Textual wraps every
    frame it writes in ``ESC[?2026h`` ... ``ESC[?2026l`` (synchronized
    output).  The end marker of a frame is our "the screen is rendered".
    """

    def __init__(self, argv: list[str], *, cols: int = 80, rows: int = 24, env: dict | None = None,
                 cwd: str | None = None, name: str = ""):
        import fcntl
        import pty
        import struct
        import termios

        self.name = name or os.path.basename(argv[0])
        self.out = bytearray()  # everything the app wrote
        self.sync_ends: list[tuple[float, int]] = []  # (time, offset in out) of each frame end
        self.sync_supported_answered = False
        self.launched = time.perf_counter()
        env = env if env is not None else child_env()
        pid, fd = pty.fork()
        if pid == 0:  # child
            try:
                fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
                if cwd:
                    os.chdir(cwd)
                os.execve(argv[0], argv, env)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self._tail = b""
        self.exited = False

    # -- reading ---------------------------------------------------------------
    def pump(self, timeout: float) -> bool:
        """Read what is available within ``timeout`` seconds; True if anything came."""
        if self.exited:
            time.sleep(max(0.0, timeout))
            return False
        r, _, _ = select.select([self.fd], [], [], max(0.0, timeout))
        if not r:
            return False
        try:
            chunk = os.read(self.fd, 65536)
        except OSError:
            chunk = b""
        now = time.perf_counter()
        if not chunk:
            self.exited = True
            return False
        start = len(self.out)
        self.out += chunk
        window = self._tail + chunk
        base = start - len(self._tail)
        if DECRQM_SYNC in window and not self.sync_supported_answered:
            self.sync_supported_answered = True
            os.write(self.fd, DECRPM_SYNC_SET)
        i = window.find(SYNC_END)
        while i != -1:
            self.sync_ends.append((now, base + i + len(SYNC_END)))
            i = window.find(SYNC_END, i + 1)
        self._tail = window[-(len(SYNC_END) - 1):]
        return True

    def wait_text(self, needle: str, timeout: float = 20.0, since: int = 0) -> float:
        """Pump until ``needle`` is visible in the output after offset ``since``."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if needle in visible_text(bytes(self.out[since:])):
                return time.perf_counter()
            self.pump(0.02)
        raise TimeoutError(f"{self.name}: {needle!r} not seen within {timeout}s")

    def visible_since(self, offset: int = 0) -> str:
        return visible_text(bytes(self.out[offset:]))

    def wait_quiet(self, gap: float = 0.3, timeout: float = 20.0) -> None:
        """Pump until nothing has come for ``gap`` seconds."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if not self.pump(gap):
                return
        raise TimeoutError(f"{self.name}: never quiet")

    # -- writing ---------------------------------------------------------------
    def send(self, data: bytes) -> float:
        t = time.perf_counter()
        os.write(self.fd, data)
        return t

    def keystroke(self, data: bytes, *, gap: float = 0.05, timeout: float = 5.0) -> dict:
        """Send one key; time until the last frame it caused has been written.

        Waits for the first frame end after the key, then keeps reading until
        the output has been quiet for ``gap`` seconds; the latency is the time
        of the LAST frame end seen (the quiet gap itself is not counted).
        """
        self.wait_quiet(0.005, timeout=2.0)  # drain anything pending
        n0 = len(self.sync_ends)
        off0 = len(self.out)
        t0 = self.send(data)
        deadline = t0 + timeout
        while len(self.sync_ends) == n0:
            if time.perf_counter() > deadline:
                raise TimeoutError(f"{self.name}: no frame after key {data!r}")
            self.pump(deadline - time.perf_counter())
        while self.pump(gap):
            pass
        ends = self.sync_ends[n0:]
        return {"latency": ends[-1][0] - t0, "first": ends[0][0] - t0, "frames": len(ends),
                "text": visible_text(bytes(self.out[off0:]))}

    # -- ending ----------------------------------------------------------------
    def close(self, quit_key: bytes = b"\x11") -> None:
        """Quit with ctrl+q; if that does not end it, terminate our child by pid."""
        try:
            if not self.exited:
                os.write(self.fd, quit_key)
                deadline = time.perf_counter() + 3.0
                while time.perf_counter() < deadline and not self.exited:
                    self.pump(0.05)
                    if _reaped(self.pid):
                        return self._close_fd()
            if not _reaped(self.pid):
                os.kill(self.pid, signal.SIGTERM)
                for _ in range(40):
                    if _reaped(self.pid):
                        break
                    time.sleep(0.05)
                else:
                    os.kill(self.pid, signal.SIGKILL)
                    os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError, OSError):
            pass
        self._close_fd()

    def _close_fd(self) -> None:
        try:
            os.close(self.fd)
        except OSError:
            pass

    def rss_kib(self) -> int:
        return rss_kib(self.pid)


def _reaped(pid: int) -> bool:
    try:
        done, _ = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return done == pid


def rss_kib(pid: int) -> int:
    """VmRSS of ``pid`` in KiB (0 if gone)."""
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def require(cmd: str) -> None:
    if shutil.which(cmd) is None:
        sys.exit(f"{cmd} is not installed")
