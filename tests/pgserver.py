"""A throw-away PostgreSQL server for the test suite, bench and local tries.

    python tests/pgserver.py start       # initdb + pg_ctl start; prints its folder
    python tests/pgserver.py stop DIR    # pg_ctl stop; removes the folder

The server runs from the distribution's binaries (``/usr/lib/postgresql/*/bin``
on Debian, or whatever ``pg_ctl`` is on PATH) as an unprivileged user: as root
that is the ``postgres`` account the package made, otherwise the caller.  It
listens on 127.0.0.1 only, on a free port, with its socket and data in a new folder
under the temporary directory.
The role ``bangfu`` gets a password (the URL carries no password: clients take
it from ``PGPASSWORD`` or ``~/.pgpass``, as a school's would).  Durability is
off (``fsync``, ``synchronous_commit``): this server only ever holds test data.

``start`` writes ``env`` in that folder: ``BANGFU_TEST_PG=URL`` and ``PGPASSWORD=...``.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

ROLE = "bangfu"
PASSWORD = "bangfu-test-only"


def binaries() -> Path | None:
    found = shutil.which("pg_ctl")
    if found:
        return Path(os.path.realpath(found)).parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
                      key=lambda p: (int(Path(p).parent.parent.name)
                                     if Path(p).parent.parent.name.isdigit() else 0))
    return Path(versions[-1]).parent if versions else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_owner() -> str | None:
    """Who runs the server: the package's ``postgres`` account as root, else the caller."""
    return "postgres" if os.geteuid() == 0 else None


def as_owner(argv: list[str], owner: str | None, **kwargs) -> subprocess.CompletedProcess:
    if owner:
        argv = ["runuser", "-u", owner, "--"] + argv
    return subprocess.run(argv, check=True, capture_output=True, text=True, **kwargs)


# -- for the tests and the bench (need the project on sys.path and psycopg2) ------------

def connect(url: str, *, autocommit: bool = True):
    """A plain psycopg2 connection to ``url`` (to make databases, hold a lock)."""
    import psycopg2

    from db.store.server import connect_params

    name, params = connect_params(url)
    conn = psycopg2.connect(dbname=name, **params)
    conn.autocommit = autocommit
    return conn


def drop_database(server: str, name: str, *, create: bool = False) -> str:
    """Drop database ``name`` on the server at ``server`` (a URL of any of its
    databases); with ``create``, make it again, empty.  The new database's URL."""
    conn = connect(server)
    try:
        with conn.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            if create:
                cur.execute(f'CREATE DATABASE "{name}"')
    finally:
        conn.close()
    return server.rsplit("/", 1)[0] + "/" + name


def start() -> Path:
    bin_dir = binaries()
    if bin_dir is None:
        raise SystemExit("pgserver: no PostgreSQL binaries (install the postgresql package)")
    owner = server_owner()
    folder = Path(tempfile.mkdtemp(prefix="bangfu-pg-"))
    data = folder / "data"
    pwfile = folder / "pw"
    pwfile.write_text(PASSWORD + "\n")
    if owner:
        shutil.chown(folder, owner)
        shutil.chown(pwfile, owner)
    os.chmod(folder, 0o700)
    as_owner([str(bin_dir / "initdb"), "-D", str(data), "-U", ROLE, "--pwfile", str(pwfile),
               "--auth=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8"], owner)
    port = free_port()
    options = " ".join([
        "-c listen_addresses=127.0.0.1", f"-c port={port}",
        f"-c unix_socket_directories={folder}",
        "-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off",
        "-c max_connections=200", "-c shared_buffers=64MB",
    ])
    as_owner([str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(folder / "log"),
               "-o", options, "-w", "-t", "60", "start"], owner)
    url = f"postgresql://{ROLE}@127.0.0.1:{port}/postgres"
    (folder / "env").write_text(f"BANGFU_TEST_PG={url}\nPGPASSWORD={PASSWORD}\n")
    return folder


def stop(folder: Path) -> None:
    bin_dir = binaries()
    data = folder / "data"
    if bin_dir is not None and (data / "postmaster.pid").exists():
        owner = server_owner()
        try:
            as_owner([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"], owner)
        except subprocess.CalledProcessError as exc:
            print(f"pgserver: stop: {exc.stderr.strip()}", file=sys.stderr)
    shutil.rmtree(folder, ignore_errors=True)


def main(argv: list[str]) -> int:
    if argv not in (["start"],) and not (len(argv) == 2 and argv[0] == "stop"):
        print(__doc__, file=sys.stderr)
        return 2
    if argv[0] == "start":
        try:
            print(start())
        except subprocess.CalledProcessError as exc:
            print(f"pgserver: {' '.join(exc.cmd)}\n{exc.stdout}{exc.stderr}", file=sys.stderr)
            return 1
    else:
        stop(Path(argv[1]).absolute())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
