"""Saving an entry with several writers: latency, throughput, nothing lost.

Writers are separate processes that save contacts with bangfu's own functions
(``db.contacts.save_contact``) for a fixed time and print the UUID and the
latency of every acknowledged save.  Afterwards every acknowledged UUID must be
in the file exactly once (lost = 0, duplicated = 0) and the integrity check
must pass.

Configurations, all in this one run:
- local disk, posix locking: 1, 4 and 8 writers;
- two FUSE mounts of one directory (two "hosts" whose POSIX locks do not see
  each other) with 2 ms per file operation, dotfile locking: 1, 4 and 8
  writers split over the two mounts.

The baseline (DESIGN.md section 6: a save within 1.2x of a bare SQLite
transaction of the same size on the same mount) is one writer doing the same
write in bare ``sqlite3``: BEGIN IMMEDIATE, insert the same contact row and
audit row into the same tables (same indexes), COMMIT; without bangfu's checks
(UUID, case), Peewee, or the per-host journal line.

Usage: python bench/save_latency.py [--seconds 6] [--delay-ms 2]
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import PY, ROOT, collect_writers, median, percentile, verdict  # noqa: E402

TEXT = "电话联系家长，了解孩子在家完成作业的情况，约定每天检查作业并签字。" * 2

WRITER = textwrap.dedent("""
    import sys, time
    sys.path.insert(0, {root!r})
    from db.store.connection import open_database
    from db.contacts import ContactInput, save_contact, validate
    from db.models import Case, Staff
    open_database({path!r}, locking={locking!r})
    case_id = Case.select(Case.id).order_by(Case.id).first().id
    actor = Staff.select().order_by(Staff.id).first()
    end = time.monotonic() + {seconds}
    n = 0
    while time.monotonic() < end:
        entry = validate(ContactInput(case_id=case_id, discussed={text!r} + f" w{{sys.argv[1]}} #{{n}}"))
        start = time.perf_counter()
        try:
            save_contact(actor, entry)
        except Exception as exc:
            print("FAIL", type(exc).__name__, exc, flush=True)
            n += 1
            continue
        print("OK", entry.uuid, time.perf_counter() - start, flush=True)
        n += 1
""")

BARE = textwrap.dedent("""
    import sqlite3, sys, time, uuid
    from urllib.parse import quote
    path, locking, seconds, text = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]
    uri = "file:" + quote(path, safe="/") + "?mode=rw" + ("&vfs=unix-dotfile" if locking == "dotfile" else "")
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=5)
    conn.execute("PRAGMA journal_mode=delete"); conn.execute("PRAGMA synchronous=full")
    case_id, = conn.execute("SELECT min(id) FROM case_file").fetchone()
    author, = conn.execute("SELECT min(id) FROM staff").fetchone()
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        u = str(uuid.uuid4())
        start = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        cur = conn.execute(
            "INSERT INTO contact (uuid, case_id, author_id, occurred_at, kind, channel, participants, "
            "discussed, agreed, follow_up, created_at, host) VALUES (?, ?, ?, '2026-11-20 15:30:00', "
            "'family', 'phone', '', ?, '', '', '2026-11-20 15:30:00', 'host')", (u, case_id, author, text))
        conn.execute("INSERT INTO audit_log (at, staff_id, staff_name, host, table_name, row_id, action, "
                     "changes) VALUES ('2026-11-20 15:30:00', ?, 'name', 'host', 'contact', ?, 'insert', ?)",
                     (author, str(cur.lastrowid), text))
        conn.execute("COMMIT")
        print("OK", u, time.perf_counter() - start, flush=True)
""")


def build_school(path: Path, locking: str) -> None:
    code = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(ROOT)!r})
        from db.demo.build import build_demo
        from db.store.connection import open_database
        open_database({str(path)!r}, create=True, locking={locking!r})
        build_demo(students=300, seed=1)
    """)
    subprocess.run([PY, "-c", code], check=True, env=dict(os.environ, BANGFU_TODAY="2026-11-20"))


def run_writers(paths: list[Path], locking: str, writers: int, seconds: float, state: Path):
    """Start ``writers`` processes over ``paths`` (round robin); collect their lines."""
    procs = []
    for i in range(writers):
        code = WRITER.format(root=str(ROOT), path=str(paths[i % len(paths)]), locking=locking,
                             seconds=seconds, text=TEXT)
        procs.append(subprocess.Popen(
            [PY, "-c", code, str(i)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env=dict(os.environ, BANGFU_STATE_DIR=str(state), BANGFU_TODAY="2026-11-20")))
    return collect_writers(procs, seconds + 120)


def verify(path: Path, acked: list[str]) -> tuple[int, int, str]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        counts = dict(conn.execute(
            f"SELECT uuid, count(*) FROM contact WHERE uuid IN ({','.join('?' * len(acked))}) "
            "GROUP BY uuid", acked).fetchall()) if acked else {}
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()
    lost = sum(1 for u in set(acked) if u not in counts)
    duplicated = sum(1 for c in counts.values() if c > 1)
    return lost, duplicated, integrity


def bare(path: Path, locking: str, seconds: float) -> list[float]:
    out = subprocess.run([PY, "-c", BARE, str(path), locking, str(seconds), TEXT],
                         capture_output=True, text=True, check=True).stdout
    return [float(line.split()[2]) for line in out.splitlines() if line.startswith("OK")]


def report(label: str, writers: int, seconds: float, acked, latencies, failures, lost, dup, integrity):
    rate = len(acked) / seconds
    p50 = median(latencies) * 1000 if latencies else float("nan")
    p99 = percentile(latencies, 99) * 1000 if latencies else float("nan")
    print(f"{label:<28} writers={writers}  saves={len(acked):5d}  {rate:7.1f}/s  "
          f"p50={p50:7.1f} ms  p99={p99:7.1f} ms  failed={len(failures)}  lost={lost}  "
          f"duplicated={dup}  integrity={integrity}", flush=True)
    for f in failures[:3]:
        print(f"    failure: {f}")
    return p50


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=6.0)
    parser.add_argument("--delay-ms", type=float, default=2.0)
    parser.add_argument("--writers", default="1,4,8")
    args = parser.parse_args()
    counts = [int(n) for n in args.writers.split(",")]
    ok = True
    with tempfile.TemporaryDirectory(prefix="bangfu-save-") as tmp:
        tmp = Path(tmp)
        state = tmp / "state"
        # -- local disk ---------------------------------------------------------
        for n in counts:
            path = tmp / f"local-{n}.db"
            build_school(path, "posix")
            acked, lat, fails = run_writers([path], "posix", n, args.seconds, state)
            lost, dup, integrity = verify(path, acked)
            ok &= lost == 0 and dup == 0 and integrity == "ok"
            p50 = report("local disk, posix", n, args.seconds, acked, lat, fails, lost, dup, integrity)
            if n == 1:
                base = bare(path, "posix", args.seconds)
                b50 = median(base) * 1000
                print(f"{'  bare sqlite3, same disk':<28} writers=1  p50={b50:7.1f} ms  "
                      f"p99={percentile(base, 99) * 1000:7.1f} ms  -> bangfu/bare {p50 / b50:.2f}x")
        # -- two mounts of one share, 2 ms per operation --------------------------
        from tests.share import FuseUnavailable, mount_share

        try:
            (tmp / "share").mkdir()
            with mount_share(tmp / "share", count=2, delay_ms=args.delay_ms) as share:
                for n in counts:
                    name = f"share-{n}.db"
                    build_school(share.backing / name, "dotfile")
                    paths = [m / name for m in share.mounts]
                    acked, lat, fails = run_writers(paths, "dotfile", n, args.seconds, state)
                    lost, dup, integrity = verify(share.backing / name, acked)
                    ok &= lost == 0 and dup == 0 and integrity == "ok"
                    label = f"2 mounts, {args.delay_ms:g} ms/op, dotfile"
                    p50 = report(label, n, args.seconds, acked, lat, fails, lost, dup, integrity)
                    if n == 1:
                        base = bare(paths[0], "dotfile", args.seconds)
                        b50 = median(base) * 1000
                        ratio = p50 / b50
                        print(f"{'  bare sqlite3, same mount':<28} writers=1  p50={b50:7.1f} ms  "
                              f"p99={percentile(base, 99) * 1000:7.1f} ms  -> bangfu/bare "
                              f"{ratio:.2f}x (budget 1.2x)")
                        ok &= ratio <= 1.2
        except FuseUnavailable as exc:
            print(f"two-mount runs skipped: {exc}")
            ok = False
    print(f"SUMMARY save_latency: lost 0 and bangfu within 1.2x of bare on the share: {verdict(ok)}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
