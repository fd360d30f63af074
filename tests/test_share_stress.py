"""Issue 17: ``bangfu log`` under stress on the simulated share, end to end.

Every test here runs the real command line (``python -m tui.cli``) in
subprocesses on two FUSE mounts of one directory (``tests/share.py``): two
"hosts" whose POSIX locks do not see each other, the file in ``dotfile``
locking mode.  Each simulated host has its own state folder
(``BANGFU_STATE_DIR``), so its outbox is its own.

What every ``bangfu log`` must do, however busy the file is:

- exit 0 and print the entry's UUID only when the entry is in the file
  (acknowledged);
- otherwise keep it in the local outbox and exit 75 (printing the UUID and
  "kept in the outbox" on stderr);
- never exit with an exception's class name as its message
  ("OperationalError (BANGFU_DEBUG=1 shows details)"), never write an entry
  twice, never leave the file damaged.

And a client configured with the other locking mode is refused (exit 3)
without touching the file: in particular it must not "roll back" a live
dot-file writer's journal, which its POSIX locks cannot see.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
import threading
import time
import uuid as uuidlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from db import accounts, keys, session
from db.store.connection import BUSY_TIMEOUT_MS, close_database, open_database
from db.store.lock import lock_dir
from tests.conftest import PIN, build_small_school
from tests.helpers import cli_env
from tests.share import ROOT, Share, share, share_factory  # noqa: F401  (fixtures)

DB = "school.db"
STUDENT = "20240101"  # 张伟: an open case led by 王芳
WHO = "王芳"
TIMEOUT = 120  # seconds: only so that a hung process fails the test instead of stalling it
# An exception's class name in a message ("OperationalError", "InterfaceError",
# "DatabaseError", "Error", "ValueError", "SomeException"): the user learns nothing from it
EXCEPTION_NAME = re.compile(r"\b(?:[A-Z][A-Za-z0-9]*)?(?:Error|Exception)\b")


# -- helpers -----------------------------------------------------------------------

@dataclass
class Run:
    """One finished ``bangfu`` process."""

    host: str  # "a" or "b"
    uuid: str  # the --uuid it was given ("" for other commands)
    returncode: int
    stdout: str
    stderr: str

    def line(self) -> str:
        return (f"{self.uuid or 'bangfu'} on host {self.host}, exit {self.returncode}: "
                f"{self.stderr.strip()[-300:]!r}")


@dataclass
class Hosts:
    """The share, the file on it and each host's environment (its own state folder)."""

    share: Share
    envs: dict[str, dict]
    states: dict[str, Path]

    def path(self, host: str) -> Path:
        return self.share.mounts["ab".index(host)] / DB

    def argv(self, host: str, *args, locking: str = "dotfile") -> list[str]:
        return [sys.executable, "-m", "tui.cli", "--db", str(self.path(host)),
                "--locking", locking, *map(str, args)]

    def start(self, host: str, *args, locking: str = "dotfile") -> subprocess.Popen:
        """``bangfu ARGS`` on ``host``; stdin a pipe (the PIN goes there), teardown kills it."""
        return self.share.popen(self.argv(host, *args, locking=locking), cwd=ROOT,
                                env=self.envs[host], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, encoding="utf-8")

    def finish(self, proc: subprocess.Popen, host: str, uuid: str = "",
               pin: str | None = PIN) -> Run:
        try:
            out, err = proc.communicate(None if pin is None else pin + "\n", timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
            pytest.fail(f"bangfu {proc.args[4:]} on host {host} still running after {TIMEOUT} s: "
                        f"{err[-500:]!r}")
        return Run(host, uuid, proc.returncode, out, err)

    def run(self, host: str, *args, locking: str = "dotfile") -> Run:
        return self.finish(self.start(host, *args, locking=locking), host)

    def log(self, host: str, uuid: str, text: str) -> Run:
        """``bangfu log`` one entry with a known UUID, signed in as 王芳 (PIN on stdin)."""
        proc = self.start(host, "log", STUDENT, "--as", WHO, "--text", text, "--uuid", uuid)
        return self.finish(proc, host, uuid)


def school_on(share: Share, tmp_path: Path) -> Hosts:
    """The small school (staff with PINs) in a dot-file file on the share (made in
    the backing directory: quicker than through a mount, and the same file), set up
    as a school in use is: 王芳 holds the school's key, her key pair wrapped at the
    fixtures' cheap cost (tests.conftest.cheap_pins), so each ``bangfu log`` spends
    its time on the share rather than on a key derivation per process (before: a
    new pair wrapped at the full cost in every process, a third of its CPU)."""
    path = share.backing / DB
    open_database(path, create=True, locking="dotfile")
    try:
        school = build_small_school(path)
        keys.set_up(accounts.authenticate(school.teacher.id, PIN))
        session.signed_out()
    finally:
        close_database()
    envs, states = {}, {}
    for host in "ab":
        states[host] = tmp_path / f"state-{host}"
        envs[host] = cli_env(tmp_path, states[host])
    return Hosts(share, envs, states)


def writer(hosts: Hosts, host: str, label: str, uuids: list[str]) -> list[Run]:
    """One person on ``host`` logging entries one after another, each a new ``bangfu log``."""
    return [hosts.log(host, u, f"stress {label} #{i}") for i, u in enumerate(uuids)]


def run_writers(hosts: Hosts, plan: dict[tuple[str, str], list[str]]) -> list[Run]:
    """Every writer of ``plan`` ((host, label) -> UUIDs) at once; all their runs."""
    with ThreadPoolExecutor(max_workers=len(plan)) as pool:
        futures = [pool.submit(writer, hosts, host, label, uuids)
                   for (host, label), uuids in plan.items()]
        return [run for f in futures for run in f.result()]


def make_plan(writers_per_host: int, entries: int) -> dict[tuple[str, str], list[str]]:
    return {(host, f"{host}{n}"): [str(uuidlib.uuid4()) for _ in range(entries)]
            for n in range(writers_per_host) for host in "ab"}


def in_file(hosts: Hosts) -> dict[str, int]:
    """UUID -> how many contact rows carry it, read with sqlite3 from the backing file."""
    conn = sqlite3.connect(f"file:{hosts.share.backing / DB}?mode=ro", uri=True)
    try:
        return dict(conn.execute("SELECT uuid, COUNT(*) FROM contact GROUP BY uuid").fetchall())
    finally:
        conn.close()


def in_outboxes(hosts: Hosts) -> dict[str, str]:
    """UUID -> host, for every entry waiting in a host's outbox (db/store/local.py:
    ``STATE/outbox/<db key>/<uuid>.json``)."""
    found = {}
    for host, state in hosts.states.items():
        for item in sorted(state.glob("outbox/*/*.json")):
            data = json.loads(item.read_text(encoding="utf-8"))
            found[data["uuid"]] = host  # in clear beside the sealed entry
    return found


@dataclass
class Tally:
    """What became of every entry; ``problems()`` is empty when nothing went wrong."""

    runs: list[Run]
    acknowledged: int = 0
    queued: int = 0
    lost_acknowledged: list[Run] = field(default_factory=list)  # exit 0, not in the file
    queued_not_kept: list[Run] = field(default_factory=list)  # exit 75, not in the outbox
    nowhere: list[Run] = field(default_factory=list)  # neither in the file nor queued
    other_exit: list[Run] = field(default_factory=list)  # neither 0 nor 75
    no_uuid: list[Run] = field(default_factory=list)  # exit 0/75 without printing the UUID
    exception_names: list[Run] = field(default_factory=list)
    duplicated: list[str] = field(default_factory=list)
    check: Run | None = None
    damage: str = ""
    extra: list[str] = field(default_factory=list)  # a test's own findings

    def problems(self) -> list[str]:
        out = []
        for name in ("lost_acknowledged", "queued_not_kept", "nowhere", "other_exit", "no_uuid",
                     "exception_names"):
            runs = getattr(self, name)
            if runs:
                exits = sorted({r.returncode for r in runs})
                out.append(f"{len(runs)} {name.replace('_', ' ')} (exits {exits}; first: "
                           f"{runs[0].line()})")
        if self.duplicated:
            out.append(f"{len(self.duplicated)} entries written more than once")
        if self.damage:
            out.append(f"file: {self.damage}")
        if self.check is not None and self.check.returncode != 0:
            out.append(f"bangfu check: {self.check.line()} {self.check.stdout.strip()[:300]!r}")
        return out + self.extra

    def expect_nothing_wrong(self) -> None:
        if self.problems():
            pytest.fail(self.summary(), pytrace=False)

    def summary(self) -> str:
        return (f"{len(self.runs)} entries: {self.acknowledged} acknowledged, "
                f"{self.queued} queued; " + ("; ".join(self.problems()) or "nothing lost"))


def tally(hosts: Hosts, runs: list[Run]) -> Tally:
    """``bangfu check`` on the file, then every entry against the file and the outboxes."""
    result = Tally(runs)
    result.check = hosts.run("b", "check")
    try:
        counts = in_file(hosts)
    except sqlite3.DatabaseError as exc:
        result.damage = f"unreadable: {exc}"
        counts = {}
    waiting = in_outboxes(hosts)
    result.duplicated = [u for u, n in counts.items() if n > 1]
    for run in runs:
        written, kept = run.uuid in counts, run.uuid in waiting
        if run.returncode == 0:
            result.acknowledged += 1
            if not written:
                result.lost_acknowledged.append(run)
        elif run.returncode == 75:
            result.queued += 1
            if not kept:
                result.queued_not_kept.append(run)
        else:
            result.other_exit.append(run)
        if not written and not kept:
            result.nowhere.append(run)
        if run.returncode in (0, 75) and run.stdout.split()[:1] != [run.uuid]:
            result.no_uuid.append(run)
        if EXCEPTION_NAME.search(run.stderr):
            result.exception_names.append(run)
    return result


# -- 1. a client refused for its locking mode must not touch a live writer's journal --

RUNS = 5  # each run is one parametrized test: its own share, its own timeout
ENTRIES = 6  # per writer and run: 48 entries a run, 240 in all (CPU-bound on 2 cores)


@pytest.mark.file_only
@pytest.mark.parametrize("attempt", range(RUNS))
def test_a_client_refused_for_its_locking_rolls_back_no_live_writer(share_factory, tmp_path,
                                                                    attempt):
    """4 ``bangfu log`` writers on each host (dot-file locking), 6 entries each,
    while a client set to ``posix`` locking runs ``bangfu find`` on host A in a
    loop.  That client is refused every time (exit 3, "uses dotfile locking"),
    but before the refusal it has read the file through POSIX locks, which see
    no writer: a live writer's rollback journal looks hot to it and is played
    back under the writer.  Nothing acknowledged may be lost: every entry whose
    ``bangfu log`` exited 0 is in the file, every one that exited 75 is in that
    host's outbox, no entry is in neither, none twice, and ``bangfu check`` is ok."""
    share = share_factory(delay_ms=0.2)
    hosts = school_on(share, tmp_path)
    stop = threading.Event()

    def misconfigured_client() -> list[Run]:
        refused = []
        while True:  # at least once, then until the writers are done
            refused.append(hosts.run("a", "find", "张", locking="posix"))
            if stop.is_set():
                return refused

    with ThreadPoolExecutor(max_workers=1) as pool:
        client = pool.submit(misconfigured_client)
        try:
            runs = run_writers(hosts, make_plan(writers_per_host=4, entries=ENTRIES))
        finally:
            stop.set()
        refused = client.result()
    result = tally(hosts, runs)
    print(f"run {attempt}: {len(refused)} refused client runs; {result.summary()}")
    wrong = [r for r in refused
             if r.returncode != 3 or "uses dotfile locking" not in r.stderr]
    if wrong:
        result.extra.append(f"{len(wrong)} of {len(refused)} posix clients not refused for "
                            f"their locking (first: {wrong[0].line()})")
    result.expect_nothing_wrong()
    assert not lock_dir(share.backing / DB).exists()


# -- 2. many writers: written or queued, never an exception's name -------------------

@pytest.mark.file_only
@pytest.mark.timeout(900)  # 160 processes through a simulated share: minutes on a loaded machine
def test_eight_writers_on_two_hosts_write_or_queue_every_entry(share_factory, tmp_path):
    """8 writers (4 per host), 20 ``bangfu log`` each, all at once: every process
    opens the file, signs in (reads that meet the other writers' lock) and
    saves.  Every entry is in the file (exit 0) or in its host's outbox (exit
    75); no process exits otherwise, none names an exception class on stderr;
    nothing is written twice; ``bangfu check`` is ok."""
    share = share_factory(delay_ms=1.0)  # a slower share: each transaction holds the lock longer
    hosts = school_on(share, tmp_path)
    runs = run_writers(hosts, make_plan(writers_per_host=4, entries=20))
    result = tally(hosts, runs)
    print(result.summary())
    result.expect_nothing_wrong()
    assert not lock_dir(share.backing / DB).exists()


READ_SYSCALL = {"x86_64": "0", "aarch64": "63", "riscv64": "63", "i686": "3", "armv7l": "3"}


def waiting_for_stdin(pid: int) -> bool:
    """True while process ``pid`` is blocked reading its stdin (fd 0), as the
    CLI does when it asks for the PIN: /proc/PID/syscall is ``read(0, ...)``."""
    try:
        call = Path(f"/proc/{pid}/syscall").read_text().split()
    except OSError:
        call = []
    if len(call) >= 2 and call[0] == READ_SYSCALL.get(os.uname().machine) and call[1] == "0x0":
        return True
    try:  # where /proc/PID/syscall is not readable: the kernel's wait channel
        return "pipe_read" in Path(f"/proc/{pid}/wchan").read_text()
    except OSError:
        return False


@pytest.mark.file_only
def test_a_lock_held_past_the_busy_timeout_during_sign_in_is_waited_out_or_queued(
        share_factory, tmp_path):
    """4 ``bangfu log`` on each host have opened the file and found who signs
    in, and wait for the PIN; then a client takes the dot-file lock
    (``mkdir school.db.lock``), the PINs arrive, and the lock is held 1.5 s
    longer than the busy timeout before it is released.  The sign-in read
    meets that lock: each writer must then still write its entry (exit 0) or
    queue it (exit 75), never exit 1 with "OperationalError"."""
    share = share_factory()
    hosts = school_on(share, tmp_path)
    plan = make_plan(writers_per_host=4, entries=1)
    procs = []
    for (host, label), (uuid,) in plan.items():
        procs.append((host, uuid, hosts.start(host, "log", STUDENT, "--as", WHO, "--text",
                                              f"held lock {label}", "--uuid", uuid)))
    deadline = time.monotonic() + TIMEOUT  # only against a hang
    for host, _uuid, proc in procs:  # each one waits for its PIN (a state, not a time)
        while proc.poll() is None and not waiting_for_stdin(proc.pid):
            assert time.monotonic() < deadline, f"bangfu log on host {host} never asked for a PIN"
            time.sleep(0.005)
    lock = lock_dir(share.mounts[0] / DB)
    try:
        lock.mkdir()  # another client's transaction, as the dot-file VFS takes it
    except FileExistsError:
        pytest.fail("a bangfu log holds the file's lock while it waits for its PIN")
    try:
        for _, _, proc in procs:
            if proc.poll() is None:
                proc.stdin.write(PIN + "\n")
                proc.stdin.flush()
        held_until = time.monotonic() + BUSY_TIMEOUT_MS / 1000 + 1.5
        # hold the lock (not a wait for something): past every writer's busy timeout,
        # unless they all have given up already
        while time.monotonic() < held_until and any(p.poll() is None for _, _, p in procs):
            time.sleep(0.05)
    finally:
        lock.rmdir()
    runs = [hosts.finish(proc, host, uuid, pin=None) for host, uuid, proc in procs]
    result = tally(hosts, runs)
    print(result.summary())
    result.expect_nothing_wrong()


# -- 3. no subcommand and no terminal --------------------------------------------

def test_bangfu_without_a_terminal_says_how_and_exits(tmp_path):
    """``bangfu </dev/null >/dev/null`` (the app, but no terminal: a script, a
    cron job, ``ssh host bangfu`` without -t) must not start the full-screen
    app and spin: it exits non-zero at once with one line on stderr that
    names ``ssh -t`` and the commands that work without a terminal."""
    path = tmp_path / "demo.db"
    open_database(path, create=True)
    try:
        build_small_school(path)
    finally:
        close_database()
    env = cli_env(tmp_path)
    proc = subprocess.Popen([sys.executable, "-m", "tui.cli", "--db", str(path)], cwd=ROOT,
                            env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, encoding="utf-8")
    try:
        out, err = proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        drawn = " (it drew the app on stderr)" if "\x1b[" in err else ""
        pytest.fail(f"bangfu without a terminal still running after 20 s{drawn}: "
                    f"{len(err)} characters on stderr, {err.count(chr(10))} lines")
    assert proc.returncode != 0, (out[-300:], err)
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert "ssh -t" in lines[0], lines[0]
    for command in ("find", "show", "log"):
        assert re.search(rf"\b{command}\b", lines[0]), (command, lines[0])
