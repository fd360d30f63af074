"""bangfu on a PostgreSQL server when things go wrong (issue 17, defects 10-13).

- A save cut off inside its transaction (a backend terminated with
  ``pg_terminate_backend``, the COMMIT's reply lost on the way back): the entry
  waits in the outbox with its UUID, the message says what is known, and after
  the outbox flush it is in the database exactly once.  A dropped connection is
  replaced for the next attempt, never reused.
- A client stopped (SIGSTOP) while it holds the write lock: the others wait at
  most ``LOCK_WAIT_MS``, then queue (exit 75) with a clear message; the server
  ends the stopped client's transaction after ``IDLE_IN_TRANSACTION_MS``.
- A password with ``/ # ? @ :`` in it is never printed, by any command or the
  app; a URL that cannot be read says to percent-encode the password.
- A server out of disk space says so.

Faults are made where they happen: a hook inside the save (the script below
runs ``bangfu`` with it), a small TCP proxy between ``bangfu`` and the server,
a trigger raising the server's own error code.  Every wait is for a state
(pg_locks, pg_stat_activity, /proc), never a fixed time.
"""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from db.store import server
from db.store.connection import close_database, open_database
from db.store.server import safe_url
from tests.conftest import build_small_school
from tests.helpers import ROOT, cli_env, run_cli, settle
from tests.pg import PG_SERVER, drop_server_database, fresh_server_database

DATABASE = "bangfu_faults"
TARGET = "bangfu_faults_copy"
PIN = "1234"

# -- passwords that defeat a URL parser -------------------------------------------------------
# every character that means something in a URL; the chunks between them are
# what must never appear in any output
CHUNKS = ("Zqx1", "Kyw2", "Lmv3", "Npt4", "Rsu5", "Wvy6")
NASTY = "Zqx1/Kyw2#Lmv3?Npt4@Rsu5:Wvy6"  # / # ? cannot be read unless percent-encoded
READABLE = "Npt4@Rsu5:Wvy6"  # @ and : can (the last @ ends the credentials)


def leaked(text: str, chunks=CHUNKS) -> list[str]:
    return [c for c in chunks if c in text]


def test_no_form_of_a_password_is_ever_shown():
    for password in (NASTY, READABLE, "Zqx1[Kyw2", "Zqx1 Kyw2%Lmv3", "Zqx1%2FKyw2"):
        for written in (password, quote(password, safe="")):
            for tail in ("", "?sslmode=require", "?password=Wvy6Wvy6&sslmode=require#frag"):
                url = f"postgresql://staff:{written}@db.example:5433/bangfu{tail}"
                shown = safe_url(url)
                assert not leaked(shown), (url, shown)
                assert shown.startswith("postgresql://staff@"), shown
    # a password in the query is a password too
    assert safe_url("postgresql://u@h/db?password=Rsu5&sslmode=require") == \
        "postgresql://u@h/db?sslmode=require"
    # percent-encoded, or with only @ and : in it: read as written
    assert safe_url(f"postgresql://staff:{quote(NASTY, safe='')}@db:5433/b?sslmode=require") == \
        "postgresql://staff@db:5433/b?sslmode=require"
    assert safe_url(f"postgresql://staff:{READABLE}@db:5433/b") == "postgresql://staff@db:5433/b"


def test_a_url_that_cannot_be_read_is_refused_without_quoting_it():
    for url in (f"postgresql://staff:{NASTY}@db:5433/bangfu", "postgresql://staff:Zqx1/Kyw2@db/b",
                "postgresql://staff:Zqx1#Kyw2@db/b", "postgresql://staff:Zqx1?Kyw2@db/b",
                "postgresql://staff:Zqx1[Kyw2@db/b"):
        with pytest.raises(server.BadUrl) as caught:
            server.connect_params(url)
        assert not leaked(str(caught.value), CHUNKS + ("Kyw2",)), caught.value
    name, params = server.connect_params(f"postgresql://staff:{READABLE}@db:5433/bangfu")
    assert (name, params["password"], params["host"], params["port"]) == \
        ("bangfu", READABLE, "db", 5433)
    name, params = server.connect_params(f"postgresql://staff:{quote(NASTY, safe='')}@db/bangfu")
    assert params["password"] == NASTY


def test_every_wait_is_bounded():
    _, params = server.connect_params("postgresql://staff@db.example/bangfu")
    assert params["connect_timeout"] == server.CONNECT_TIMEOUT_S
    assert params["keepalives"] == 1 and params["tcp_user_timeout"] == server.TCP_USER_TIMEOUT_MS
    for setting, value in (("lock_timeout", server.LOCK_WAIT_MS),
                           ("statement_timeout", server.STATEMENT_TIMEOUT_MS),
                           ("idle_in_transaction_session_timeout", server.IDLE_IN_TRANSACTION_MS)):
        assert f"-c {setting}={value}" in params["options"]
    # a stopped client's lock is freed by the server before it would keep a save
    # waiting twice over; the others give up before that
    assert 0 < server.LOCK_WAIT_MS < server.IDLE_IN_TRANSACTION_MS <= 30_000
    _, params = server.connect_params("postgresql://staff@db/bangfu?options=-c%20work_mem%3D8MB")
    assert params["options"].endswith("-c work_mem=8MB")


# -- on the server ----------------------------------------------------------------------------

pg = pytest.mark.server


@pytest.fixture
def school_url():
    """A fresh database with the small school; bangfu itself (in subprocesses) uses it."""
    url = fresh_server_database(DATABASE)
    open_database(url)
    try:
        build_small_school(url)
        close_database()
        yield url
    finally:
        close_database()
        drop_server_database(DATABASE)


def admin(url: str):
    from tests.pgserver import connect

    return connect(url)


def count_uuid(url: str, uuid: str) -> tuple[int, int]:
    """How many contacts carry ``uuid``, and how many audit rows record their insert."""
    conn = admin(url)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM contact WHERE uuid = %s", (uuid,))
            contacts = cur.fetchone()[0]
            cur.execute("SELECT count(*) FROM audit_log a JOIN contact c ON a.table_name = "
                        "'contact' AND a.action = 'insert' AND a.row_id = CAST(c.id AS TEXT) "
                        "WHERE c.uuid = %s", (uuid,))
            return contacts, cur.fetchone()[0]
    finally:
        conn.close()


def wait_for(what: str, check, timeout: float = 30.0):
    """Poll ``check`` until it returns something true; fail after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.02)


def stopped(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "T"
    except (OSError, IndexError):
        return False


def lock_holders(url: str, *, granted: bool) -> list[int]:
    """Backends holding (or waiting for) bangfu's write lock on this database (the
    lock has the same number in every database: other test workers' are theirs)."""
    conn = admin(url)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND objid = %s "
                        "AND granted = %s AND database = (SELECT oid FROM pg_database "
                        "WHERE datname = current_database())",
                        (server.WRITE_LOCK & 0xFFFFFFFF, granted))
            return [pid for (pid,) in cur.fetchall()]
    finally:
        conn.close()


def backend_gone(url: str, pid: int) -> bool:
    conn = admin(url)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", (pid,))
            return cur.fetchone()[0] == 0
    finally:
        conn.close()


# ``bangfu ARGS`` with a fault inside the save (BANGFU_FAULT):
#   terminate_in_save     its backend is terminated before the audit row: the
#                         INSERT that follows fails (nothing can be committed)
#   terminate_at_commit   its backend is terminated after the last statement: the
#                         COMMIT goes out on a dead connection (outcome unknown)
#   stop_holding_lock     it stops itself (SIGSTOP) just after taking the write lock
FAULTY_BANGFU = r"""
import os, signal, sys, time
sys.path.insert(0, os.environ["BANGFU_FAULT_ROOT"])
from db import audit, contacts
from db.store import server

fault = os.environ["BANGFU_FAULT"]
if os.environ.get("BANGFU_FAULT_NO_IDLE_TIMEOUT"):
    server.IDLE_IN_TRANSACTION_MS = 0  # this client only: it holds the lock until it goes on


def terminate_own_backend():
    from db.models import database
    from tests.pgserver import connect

    pid = database.obj._state.conn.get_backend_pid()
    other = connect(os.environ["BANGFU_FAULT_URL"])
    with other.cursor() as cur:
        cur.execute("SELECT pg_terminate_backend(%s)", (pid,))
        while True:
            cur.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", (pid,))
            if cur.fetchone()[0] == 0:
                break
            time.sleep(0.01)
    other.close()


record = audit.record


def faulty_record(actor, table, *args, **kwargs):
    if table == "contact" and fault == "terminate_in_save":
        terminate_own_backend()
    done = record(actor, table, *args, **kwargs)
    if table == "contact" and fault == "terminate_at_commit":
        terminate_own_backend()
    return done


audit.record = faulty_record
insert, begin = contacts._insert, server.ServerDatabase.begin
saving = []


def faulty_insert(*args, **kwargs):
    saving.append(True)
    return insert(*args, **kwargs)


def faulty_begin(self, *args, **kwargs):
    begin(self, *args, **kwargs)
    if saving and fault == "stop_holding_lock":
        os.kill(os.getpid(), signal.SIGSTOP)  # holding the write lock; SIGCONT goes on


contacts._insert = faulty_insert
server.ServerDatabase.begin = faulty_begin
from tui.cli import main

sys.exit(main(sys.argv[1:]))
"""


def faulty_env(tmp_path, url: str, fault: str, **extra) -> dict:
    env = cli_env(tmp_path)
    env.update(BANGFU_FAULT=fault, BANGFU_FAULT_ROOT=str(ROOT), BANGFU_FAULT_URL=url, **extra)
    return env


def log_argv(url: str, text: str, *, faulty: bool = False) -> list[str]:
    head = [sys.executable, "-c", FAULTY_BANGFU] if faulty else [sys.executable, "-m", "tui.cli"]
    return head + ["--db", url, "log", "20240101", "--text", text]


def run(argv, env, timeout: float = 90) -> subprocess.CompletedProcess:
    return subprocess.run(argv, capture_output=True, text=True, encoding="utf-8", env=env,
                          cwd=ROOT, timeout=timeout, input=PIN + "\n")


def queued_uuid(done: subprocess.CompletedProcess) -> str:
    assert done.returncode == 75, (done.returncode, done.stdout, done.stderr)
    uuid = done.stdout.strip().splitlines()[0]
    assert len(uuid) == 36 and uuid in done.stderr, done.stderr
    for name in ("Error", "Exception", "Traceback"):  # never an exception's class
        assert name not in done.stderr, done.stderr
    return uuid


def flush(url: str, env) -> str:
    done = run([sys.executable, "-m", "tui.cli", "--db", url, "outbox", "--flush"], env)
    assert done.returncode == 0, (done.stdout, done.stderr)
    return done.stdout


# -- 10. a save cut off inside its transaction ---------------------------------------------------

@pg
@pytest.mark.parametrize("fault, said, written_before_flush", [
    ("terminate_in_save", "before it was written", 0),
    ("terminate_at_commit", "it may have been written", 0),
], ids=["terminated_in_the_save", "terminated_before_the_commit"])
def test_a_connection_killed_inside_the_save_waits_in_the_outbox_and_is_written_once(
        school_url, tmp_path, fault, said, written_before_flush):
    env = faulty_env(tmp_path, school_url, fault)
    done = run(log_argv(school_url, f"cut off: {fault}", faulty=True), env)
    uuid = queued_uuid(done)
    assert "connection to the server was lost during the save" in done.stderr
    assert said in done.stderr
    assert count_uuid(school_url, uuid) == (written_before_flush, written_before_flush)
    listed = run([sys.executable, "-m", "tui.cli", "--db", school_url, "outbox"], env)
    assert "张伟 (20240101)" in listed.stdout and "1 entry waiting" in listed.stdout
    assert "cut off" not in listed.stdout  # never an entry's text (it is sealed: db.store.local)
    out = flush(school_url, env)
    assert "Written: 1; already in the file: 0; still waiting: 0" in out, out
    assert count_uuid(school_url, uuid) == (1, 1)
    assert flush(school_url, env).startswith("No entries waiting")
    assert count_uuid(school_url, uuid) == (1, 1)


class CommitReplyDropper:
    """A TCP proxy in front of the server that loses one COMMIT's reply.

    Bytes pass through both ways.  Once a client has sent an INSERT into
    ``contact`` (a save), its next COMMIT is passed on to the server, which
    commits; the reply is read from the server and never delivered: both sides
    are closed instead.  That happens once; later connections pass untouched.
    """

    COMMIT = b"Q\x00\x00\x00\x0bCOMMIT\x00"  # a simple query message

    def __init__(self, host: str, port: int):
        self.target = (host, port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.armed = True
        self.dropped = threading.Event()
        self.threads: list[threading.Thread] = []
        self._start(self._accept)

    def _start(self, fn, *args):
        thread = threading.Thread(target=fn, args=args, daemon=True)
        thread.start()
        self.threads.append(thread)

    def _accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            state = {"saving": False, "drop": False}
            self._start(self._to_server, client, upstream, state)
            self._start(self._to_client, client, upstream, state)

    def _to_server(self, client, upstream, state):
        tail = b""
        try:
            while data := client.recv(65536):
                seen = tail + data
                if self.armed and b'INSERT INTO "contact"' in seen:
                    state["saving"] = True
                if state["saving"] and self.armed and self.COMMIT in seen:
                    self.armed = False
                    state["drop"] = True  # before the COMMIT goes: its reply is the next data
                upstream.sendall(data)
                tail = seen[-64:]
        except OSError:
            pass
        finally:
            self._close(client, upstream)

    def _to_client(self, client, upstream, state):
        try:
            while data := upstream.recv(65536):
                if state["drop"]:
                    self.dropped.set()  # the server answered the COMMIT: nobody hears it
                    break
                client.sendall(data)
        except OSError:
            pass
        finally:
            self._close(client, upstream)

    @staticmethod
    def _close(*socks):
        for sock in socks:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()

    def close(self):
        self.listener.close()


@pg
def test_a_lost_commit_reply_is_queued_and_the_flush_finds_the_entry_already_there(
        school_url, tmp_path):
    parts = urlsplit(school_url)
    proxy = CommitReplyDropper(parts.hostname, parts.port)
    try:
        via_proxy = school_url.replace(f":{parts.port}/", f":{proxy.port}/", 1) + "?sslmode=disable"
        env = cli_env(tmp_path)
        done = run(log_argv(via_proxy, "the reply never came"), env)
        assert proxy.dropped.is_set()
        uuid = queued_uuid(done)
        assert "connection to the server was lost during the save; it may have been " \
               "written" in done.stderr
        assert "written once when the server is back" in done.stderr
        assert count_uuid(school_url, uuid) == (1, 1)  # the server did commit it
        out = flush(via_proxy, env)  # the same database: its outbox
        assert "Written: 0; already in the file: 1; still waiting: 0" in out, out
        assert count_uuid(school_url, uuid) == (1, 1)
        # the Chinese message says the same
        proxy.armed = True
        proxy.dropped.clear()
        argv = log_argv(via_proxy, "再一次")
        argv[3:3] = ["--lang", "zh"]
        done = run(argv, env)
        uuid = queued_uuid(done)
        assert "可能已写入" in done.stderr and "不会重复" in done.stderr
        flush(via_proxy, env)
        assert count_uuid(school_url, uuid) == (1, 1)
    finally:
        proxy.close()


@pg
def test_a_dropped_connection_is_replaced_for_the_next_attempt(school_url):
    """The same process (the app, a flush after a failed save): a connection the
    server dropped is never reused; the next save opens a fresh one."""
    import peewee

    from db.store.connection import is_unreachable
    from db.contacts import ContactInput, save_contact, validate
    from db.models import database
    from db.staff import find_staff

    db = open_database(school_url)
    actor = find_staff("王芳")[0]
    case_id = database.execute_sql("SELECT id FROM case_file ORDER BY id LIMIT 1").fetchone()[0]
    pid = db._state.conn.get_backend_pid()
    conn = admin(school_url)
    with conn.cursor() as cur:
        cur.execute("SELECT pg_terminate_backend(%s)", (pid,))
    conn.close()
    wait_for("the backend to end", lambda: backend_gone(school_url, pid))
    entry = validate(ContactInput(case_id=case_id, discussed="after a restart"))
    with pytest.raises(Exception) as caught:
        save_contact(actor, entry)  # the dead connection: this attempt fails …
    first = caught.value
    assert save_contact(actor, entry)[1]  # … the next one reconnects and writes it
    assert save_contact(actor, entry)[1] is False  # once
    assert is_unreachable(first) and server.outage_kind(first) == "lost"  # not written
    assert db._state.conn.get_backend_pid() != pid
    # the same inside the app's ``connection_context`` (each worker opens one)
    with database.connection_context():
        pid = db.connection().get_backend_pid()
        conn = admin(school_url)
        with conn.cursor() as cur:
            cur.execute("SELECT pg_terminate_backend(%s)", (pid,))
        conn.close()
        wait_for("the backend to end", lambda: backend_gone(school_url, pid))
        with pytest.raises(peewee.OperationalError):
            database.execute_sql("SELECT 1")
        assert database.execute_sql("SELECT 2").fetchone() == (2,)
    assert db.is_closed()  # the context closed its (new) connection
    # inside a transaction a drop is never papered over by a new connection
    with pytest.raises(Exception) as caught:
        with db.atomic():
            database.execute_sql("SELECT 1")
            inner = db._state.conn.get_backend_pid()
            conn = admin(school_url)
            with conn.cursor() as cur:
                cur.execute("SELECT pg_terminate_backend(%s)", (inner,))
            conn.close()
            wait_for("the backend to end", lambda: backend_gone(school_url, inner))
            database.execute_sql("UPDATE case_file SET measures = 'half' WHERE id = ?", (case_id,))
            database.execute_sql("SELECT 1")
    assert is_unreachable(caught.value)
    assert database.execute_sql("SELECT count(*) FROM case_file WHERE measures = 'half'"
                                ).fetchone()[0] == 0


async def open_contact_form(pilot):
    """Sign in as 王芳 and open the contact form (ctrl+n)."""
    from screens.contact import ContactScreen
    from tests.helpers import sign_in

    await sign_in(pilot, "wf")
    await pilot.press("ctrl+n")
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, ContactScreen)
    form.query_one("#discussed").focus()  # (the form opens on the date): where these type
    return form


@pg
async def test_the_apps_save_cut_off_at_the_commit_is_queued_and_written_once(
        school_url, monkeypatch):
    """The app's save path (a worker thread, the same ``save_contact``): the
    connection is terminated inside the save, so the COMMIT goes out on a dead
    connection.  The entry waits in the outbox; the app's next flush (a fresh
    connection) writes it once."""
    from db import audit
    from db.store.local import outbox
    from db.models import database
    from tests.helpers import make_app

    record = audit.record
    cut = []

    def faulty_record(actor, table, *args, **kwargs):
        done = record(actor, table, *args, **kwargs)
        if table == "contact" and not cut:
            cut.append(pid := database.obj._state.conn.get_backend_pid())
            conn = admin(school_url)
            with conn.cursor() as cur:
                cur.execute("SELECT pg_terminate_backend(%s)", (pid,))
            conn.close()
            wait_for("the backend to end", lambda: backend_gone(school_url, pid))
        return done

    open_database(school_url)
    try:
        app = make_app(school_url)
        async with app.run_test(size=(80, 24)) as pilot:
            form = await open_contact_form(pilot)
            monkeypatch.setattr(audit, "record", faulty_record)
            await pilot.press(*"Cut off")
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert cut
            [(_, data)] = outbox(school_url)
            assert data["uuid"] == form.uuid
            assert "outbox" in str(form.query_one("#form-status").render())
            assert count_uuid(school_url, form.uuid) == (0, 0)
            app.flush_outbox()
            await settle(pilot)
            assert not outbox(school_url)
        assert count_uuid(school_url, form.uuid) == (1, 1)
    finally:
        close_database()


# -- 11. one stalled client never blocks the school -------------------------------------------------

def start_stopped_client(url: str, tmp_path, **extra) -> tuple[subprocess.Popen, int]:
    """``bangfu log`` stopped (SIGSTOP) while it holds the write lock; its backend's pid."""
    (tmp_path / "stopped").mkdir()
    env = faulty_env(tmp_path / "stopped", url, "stop_holding_lock", **extra)
    proc = subprocess.Popen(log_argv(url, "the stalled one", faulty=True), env=env, cwd=ROOT,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, encoding="utf-8")
    proc.stdin.write(PIN + "\n")
    proc.stdin.flush()
    wait_for("the client to stop holding the lock",
             lambda: stopped(proc.pid) and lock_holders(url, granted=True), timeout=60)
    [backend] = lock_holders(url, granted=True)
    return proc, backend


@pg
def test_a_client_stopped_holding_the_lock_delays_others_only_by_the_bounded_wait(
        school_url, tmp_path):
    # this one client's own session keeps its transaction (no idle timeout), so
    # only the others' bounded wait is what lets them go on
    frozen, _ = start_stopped_client(school_url, tmp_path, BANGFU_FAULT_NO_IDLE_TIMEOUT="1")
    others: list[subprocess.Popen] = []
    try:
        env = cli_env(tmp_path)
        started = time.monotonic()
        for n in range(3):
            p = subprocess.Popen(log_argv(school_url, f"waiting writer {n}"), env=env, cwd=ROOT,
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True, encoding="utf-8")
            p.stdin.write(PIN + "\n")
            p.stdin.flush()
            others.append(p)
        # each of the three reaches the lock and waits for it (no message yet: saving)
        waited: set[int] = set()

        def three_waited():
            waited.update(lock_holders(school_url, granted=False))
            return len(waited) == 3 or all(p.poll() is not None for p in others)

        wait_for("three writers waiting for the lock", three_waited, timeout=60)
        assert len(waited) == 3, waited
        uuids = []
        for p in others:
            out, err = p.communicate(timeout=60)  # the old code waited for ever
            uuids.append(queued_uuid(subprocess.CompletedProcess(p.args, p.returncode, out, err)))
            assert "holds the write lock" in err and f"{server.LOCK_WAIT_MS // 1000} s" in err, err
        assert time.monotonic() - started < 50  # far under a minute: the bound, then the outbox
        assert frozen.poll() is None and stopped(frozen.pid)  # still holding it
        frozen.send_signal(signal.SIGCONT)  # it goes on and saves its own entry
        out, err = frozen.communicate(timeout=60)
        assert frozen.returncode == 0, err
        assert "Written: 3; already in the file: 0; still waiting: 0" in flush(school_url, env)
        for uuid in uuids + [out.strip()]:
            assert count_uuid(school_url, uuid) == (1, 1)
    finally:
        for p in [frozen] + others:
            if p.poll() is None:
                p.send_signal(signal.SIGCONT)
                p.kill()
            p.communicate()


@pg
def test_the_server_ends_a_stopped_clients_transaction_and_frees_the_lock(school_url, tmp_path):
    frozen, backend = start_stopped_client(school_url, tmp_path)
    try:
        # the server ends its session after IDLE_IN_TRANSACTION_MS (the old code: never)
        wait_for("the server to end the stopped client's session",
                 lambda: backend_gone(school_url, backend),
                 timeout=server.IDLE_IN_TRANSACTION_MS / 1000 + 40)
        assert not lock_holders(school_url, granted=True)
        env = cli_env(tmp_path)
        done = run(log_argv(school_url, "after the stall"), env, timeout=60)
        assert done.returncode == 0, done.stderr
        assert count_uuid(school_url, done.stdout.strip()) == (1, 1)
        # the stopped client goes on: its connection is gone, nothing was written,
        # its entry waits in its outbox and is written once
        frozen.send_signal(signal.SIGCONT)
        out, err = frozen.communicate(timeout=60)
        uuid = queued_uuid(subprocess.CompletedProcess(frozen.args, frozen.returncode, out, err))
        assert "before it was written" in err
        assert count_uuid(school_url, uuid) == (0, 0)
        stopped_env = cli_env(tmp_path / "stopped")
        assert "Written: 1;" in flush(school_url, stopped_env)
        assert count_uuid(school_url, uuid) == (1, 1)
    finally:
        if frozen.poll() is None:
            frozen.send_signal(signal.SIGCONT)
            frozen.kill()
        frozen.communicate()


@pg
async def test_the_app_waits_for_a_held_lock_only_the_bounded_time_then_queues(school_url):
    """The app's save (a worker, the same ``save_contact``) while another client
    holds the write lock and never lets go: "Saving…" lasts at most the bound,
    then the entry is in the outbox; written once when the lock is free."""
    import psycopg2

    from db.store.local import outbox
    from tests.helpers import make_app

    name, params = server.connect_params(school_url, bounded=False)  # holds on and on
    holder = psycopg2.connect(dbname=name, **params)
    release = threading.Timer(60, holder.rollback)
    open_database(school_url)
    try:
        app = make_app(school_url)
        async with app.run_test(size=(80, 24)) as pilot:
            form = await open_contact_form(pilot)  # signed in (a counted try: a write)
            with holder.cursor() as cur:  # then another client takes the lock
                cur.execute("SELECT pg_advisory_xact_lock(%s)", (server.WRITE_LOCK,))
            # the old code waited as long as the lock was held: let go after a
            # minute, so that it fails (the entry written, not queued), not hangs
            release.start()
            await pilot.press(*"Held up")
            started = time.monotonic()
            await pilot.press("ctrl+s")
            await settle(pilot)
            waited = time.monotonic() - started
            [(_, data)] = outbox(school_url)
            assert data["uuid"] == form.uuid and waited < 50, waited
            assert "outbox" in str(form.query_one("#form-status").render())
            release.cancel()
            holder.rollback()  # the lock is free again
            app.flush_outbox()
            await settle(pilot)
            assert not outbox(school_url)
        assert count_uuid(school_url, form.uuid) == (1, 1)
    finally:
        release.cancel()
        holder.close()
        close_database()


# -- 13. the server out of disk space (or other resources) -----------------------------------------

@pg
@pytest.mark.parametrize("errcode, en, zh", [
    ("disk_full", "The database server is out of disk space: tell whoever runs it", "磁盘已满"),
    ("out_of_memory", "short of resources", "资源不足"),
])
def test_a_server_out_of_disk_space_says_so(school_url, tmp_path, errcode, en, zh):
    conn = admin(school_url)
    with conn.cursor() as cur:
        cur.execute(
            "CREATE FUNCTION fault_no_room() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "RAISE EXCEPTION 'could not extend file \"base/1/2\": No space left on device' "
            f"USING ERRCODE = '{errcode}'; END $$")
        cur.execute("CREATE TRIGGER fault_no_room BEFORE INSERT ON contact "
                    "FOR EACH ROW EXECUTE FUNCTION fault_no_room()")
    try:
        env = cli_env(tmp_path)
        done = run(log_argv(school_url, "no room"), env)
        uuid = queued_uuid(done)
        assert en in done.stderr and "waits in the local outbox" in done.stderr, done.stderr
        assert "cannot be reached" not in done.stderr
        argv = log_argv(school_url, "没有空间")
        argv[3:3] = ["--lang", "zh"]
        done = run(argv, env)
        uuid_zh = queued_uuid(done)
        assert zh in done.stderr and "待写队列" in done.stderr, done.stderr
        with conn.cursor() as cur:
            cur.execute("DROP TRIGGER fault_no_room ON contact")
        assert "Written: 2;" in flush(school_url, env)
        assert count_uuid(school_url, uuid) == count_uuid(school_url, uuid_zh) == (1, 1)
    finally:
        conn.close()


# -- 12. the password is never printed --------------------------------------------------------

@pytest.fixture
def password_role(school_url):
    """A role whose password is ``NASTY`` (another ``READABLE``), members of the
    school database's owner; an empty database to copy a file into."""
    conn = admin(PG_SERVER)
    roles = {"bangfu_nasty": NASTY, "bangfu_readable": READABLE}
    try:
        with conn.cursor() as cur:
            for role, password in roles.items():
                cur.execute(f"DROP ROLE IF EXISTS {role}")
                cur.execute(f"CREATE ROLE {role} LOGIN PASSWORD %s IN ROLE bangfu", (password,))
        fresh_server_database(TARGET)
        parts = urlsplit(school_url)
        base = f"{parts.hostname}:{parts.port}"
        yield {"encoded": f"postgresql://bangfu_nasty:{quote(NASTY, safe='')}@{base}/{DATABASE}",
               "raw": f"postgresql://bangfu_nasty:{NASTY}@{base}/{DATABASE}",
               "readable": f"postgresql://bangfu_readable:{READABLE}@{base}/{DATABASE}",
               "target_encoded":
                   f"postgresql://bangfu_nasty:{quote(NASTY, safe='')}@{base}/{TARGET}",
               "target_raw": f"postgresql://bangfu_nasty:{NASTY}@{base}/{TARGET}",
               "dead": f"postgresql://bangfu_nasty:{quote(NASTY, safe='')}@127.0.0.1:1/{DATABASE}",
               "shown": f"postgresql://bangfu_nasty@{base}/{DATABASE}"}
    finally:
        drop_server_database(TARGET)
        with conn.cursor() as cur:
            for role in roles:
                cur.execute(f"DROP ROLE IF EXISTS {role}")
        conn.close()


def no_password(done: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    text = done.stdout + done.stderr
    assert not leaked(text), text
    assert quote(NASTY, safe="") not in text and "Traceback" not in text
    return done


@pg
def test_no_command_prints_a_password_whatever_its_characters(password_role, tmp_path):
    urls = password_role
    env = cli_env(tmp_path)
    env.pop("PGPASSWORD", None)  # the URL's password is the only one
    shown = urls["shown"]
    # written percent-encoded, or with only @ and : in it: every command works
    for key in ("encoded", "readable"):
        url = urls[key]
        done = no_password(run_cli(env, "init", db=url))
        assert done.returncode == 0 and "Database ready" in done.stdout, done.stderr
        done = no_password(run_cli(env, "doctor", db=url))
        assert done.returncode == 0 and "Server: postgresql://bangfu_" in done.stdout, done.stdout
        done = no_password(run_cli(env, "find", "zhangwei", db=url))
        assert done.returncode == 0 and "张伟" in done.stdout
        done = no_password(run_cli(env, "log", "20240101", "--text", f"via {key}", db=url))
        assert done.returncode == 0
    done = no_password(run_cli(env, "doctor", db=urls["encoded"]))
    assert f"Server: {shown}" in done.stdout
    done = no_password(run_cli(env, "outbox", db=urls["encoded"]))
    assert done.stdout.strip() == f"No entries waiting for {shown}."
    # the server out of reach: the log waits in the outbox, which lists and flushes
    done = no_password(run_cli(env, "find", "zhangwei", db=urls["dead"]))
    assert done.returncode == 3 and "127.0.0.1:1" in done.stderr
    done = no_password(run_cli(env, "log", "20240101", "--text", "dead", db=urls["dead"]))
    assert done.returncode == 3
    done = no_password(run_cli(env, "doctor", db=urls["dead"]))
    assert done.returncode == 1
    # migrate-to: the target shown without its password
    source = tmp_path / "school.db"
    done = no_password(run_cli(env, "init", db=source))
    assert done.returncode == 0
    done = no_password(run_cli(env, "migrate-to", urls["target_encoded"], "--yes", db=source))
    assert done.returncode == 0, done.stderr
    assert "postgresql://bangfu_nasty@" in done.stdout
    # written plainly with / # ? in it: nothing connects, and each command says
    # to percent-encode it (exit 3), quoting none of it
    for args in (["init"], ["find", "zhangwei"], ["log", "20240101", "--text", "raw"]):
        done = no_password(run_cli(env, *args, db=urls["raw"]))
        assert done.returncode == 3, (args, done.stderr)
        assert "percent-encoded" in done.stderr and "%2F" in done.stderr, done.stderr
        assert shown in done.stderr
    done = no_password(run_cli(env, "--lang", "zh", "find", "zhangwei", db=urls["raw"]))
    assert done.returncode == 3 and "百分号编码" in done.stderr
    done = no_password(run_cli(env, "doctor", db=urls["raw"]))
    assert done.returncode == 1 and "percent-encoded" in done.stdout
    done = no_password(run_cli(env, "outbox", db=urls["raw"]))
    assert done.stdout.strip() == f"No entries waiting for {shown}."
    done = no_password(run_cli(env, "migrate-to", urls["target_raw"], "--yes", db=source))
    assert done.returncode == 3 and "percent-encoded" in done.stderr, done.stderr
    # from the environment and the config file too
    for where in ("BANGFU_DB", "config"):
        env2 = dict(env)
        if where == "BANGFU_DB":
            env2["BANGFU_DB"] = urls["raw"]
        else:
            (tmp_path / "config" / "config.toml").write_text(f"db = '{urls['raw']}'\n")
        done = no_password(run_cli(env2, "find", "zhangwei"))
        assert done.returncode == 3 and "percent-encoded" in done.stderr
    (tmp_path / "config" / "config.toml").unlink()


@pg
def test_a_queued_entry_and_the_outbox_never_show_the_password(password_role, school_url,
                                                              tmp_path):
    urls = password_role
    env = cli_env(tmp_path)
    env.pop("PGPASSWORD", None)
    conn = admin(school_url)
    with conn.cursor() as cur:
        cur.execute("CREATE FUNCTION fault_full() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                    "RAISE EXCEPTION 'no space' USING ERRCODE = 'disk_full'; END $$")
        cur.execute("CREATE TRIGGER fault_full BEFORE INSERT ON contact "
                    "FOR EACH ROW EXECUTE FUNCTION fault_full()")
    try:
        done = no_password(run_cli(env, "log", "20240101", "--text", "queued", db=urls["encoded"]))
        assert done.returncode == 75
        done = no_password(run_cli(env, "outbox", db=urls["encoded"]))
        assert "张伟 (20240101)" in done.stdout and "1 entry waiting" in done.stdout
        done = no_password(run_cli(env, "outbox", "--flush", db=urls["encoded"]))
        assert "still waiting: 1" in done.stdout
        for path in (tmp_path / "state").rglob("*"):
            if path.is_file():
                assert not leaked(path.read_text(encoding="utf-8", errors="replace")), path
        with conn.cursor() as cur:
            cur.execute("DROP TRIGGER fault_full ON contact")
        done = no_password(run_cli(env, "outbox", "--flush", db=urls["encoded"]))
        assert "Written: 1;" in done.stdout
    finally:
        conn.close()


@pg
async def test_the_app_start_screen_never_shows_the_password(password_role, tmp_path):
    from db.config import Settings
    from tests.test_hostile import screen_lines
    from tui.app import BangfuApp

    urls = password_role
    for key in ("raw", "dead"):
        settings = Settings(db_path=urls[key], db_source="--db", lang="en", lang_source="test",
                            user="")
        app = BangfuApp(settings=settings)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot, 6)
            await pilot.app.workers.wait_for_complete()
            await settle(pilot)
            text = "".join(screen_lines(app))
            message = str(app.screen.query_one("#signin-message").render())
            assert message.strip(), "the start screen says why it cannot open"
            assert not leaked(text) and not leaked(message), message
            assert "bangfu_nasty@" in message
            if key == "raw":
                assert "percent-encoded" in message
