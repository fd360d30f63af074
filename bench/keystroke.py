"""Search-as-you-type: a roster keystroke handled, key to rendered screen, vs an echoing Input.

    python bench/keystroke.py [--blocks 5] [--gap 0.08] [--students 20000] [--no-label]

Each app runs in its own pseudo-terminal (80x24, TERM=xterm-256color).  The
harness answers Textual's query for synchronized output (DECRQM 2026), so
Textual wraps every frame in ESC[?2026h ... ESC[?2026l.  For each key the
bytes are written to the pty master and the clock stops at the ESC[?2026l
of the LAST frame the key caused: after the first frame end, reading goes on
until the output has been quiet for --gap seconds (the gap is not counted).
bangfu typically draws three frames per key (the Input echo, then the results
and count, then the scroll bar), so "first frame" (the echo) is shown too.

Apps: bangfu (signed in as the first staff member, roster of 20,000 loaded,
typing into the roster search), the baseline `minimal_app.py --echo` (only an
Input), and for context `echo-label` (an Input whose value is copied into a
Static: the same two-hop message + repaint that any search screen needs).
All apps stay running; blocks of the query sequence alternate between them.

For bangfu the count shown ("N of 20000") after each key is checked against
the same search run in this process; a mismatch would mean the frame was cut
short (or the screen is wrong) and is reported.

Budget (DESIGN.md section 6): bangfu <= 2.0x the echo Input, at p50 and p99.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (BANGFU, BENCH_PIN, BENCH, PY, ROOT, PtyApp, ensure_demo_db, first_staff_key,  # noqa: E402
                     median, percentile, verdict)

BS = "\x7f"
COUNT = re.compile(r"(\d+) of (\d+)")

ECHO_LABEL_APP = BENCH / "echo_label_app.py"


def queries(db_path: Path) -> list[str]:
    """Realistic look-ups, typed then erased key by key."""
    import sqlite3

    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        number = con.execute("select student_no from student order by id limit 1 offset 517").fetchone()[0]
        code = con.execute("select code from school_class where code like '7-%' order by id limit 1 offset 2"
                           ).fetchone()
    finally:
        con.close()
    code = code[0] if code else "7-3"
    return ["zhang", "zw", "li", number[:6], code, "张", "wang"]


def key_sequence(qs: list[str]) -> list[tuple[str, str]]:
    """(key, query after the key) for every keystroke of one block."""
    seq = []
    for q in qs:
        for i in range(1, len(q) + 1):
            seq.append((q[i - 1], q[:i]))
        for i in range(len(q) - 1, -1, -1):
            seq.append((BS, q[:i]))
    return seq


def start_bangfu(db_path: Path) -> PtyApp:
    who, name = first_staff_key(db_path)
    app = PtyApp([BANGFU, "--db", str(db_path), "--lang", "en"], name="bangfu", cwd=str(ROOT))
    app.wait_text("Who are you?")
    app.wait_quiet(0.3)
    time.sleep(0.5)  # the staff list loads in a worker
    app.wait_quiet(0.3)
    for ch in who:
        app.keystroke(ch.encode(), gap=0.05)
    app.keystroke(b"\r", gap=0.05)
    app.wait_text("PIN for", timeout=30)
    for ch in BENCH_PIN:
        app.keystroke(ch.encode(), gap=0.05)
    mark = len(app.out)
    app.keystroke(b"\r", gap=0.05)
    app.wait_text(" of ", timeout=30, since=mark)  # the roster screen, count shown
    deadline = time.perf_counter() + 30
    while time.perf_counter() < deadline:  # until the 20,000-row roster is in
        m = COUNT.findall(app.visible_since(mark))
        if m and m[-1][0] == m[-1][1] and int(m[-1][1]) > 0:
            break
        app.pump(0.05)
    else:
        raise TimeoutError("bangfu: the roster never finished loading")
    app.wait_quiet(0.3)
    print(f"  bangfu signed in as {name} (typed {who!r}); roster shows {m[-1][0]} of {m[-1][1]}")
    return app


def start_simple(argv: list[str], name: str, marker: str) -> PtyApp:
    app = PtyApp(argv, name=name, cwd=str(ROOT))
    app.wait_text(marker)
    app.wait_quiet(0.3)
    return app


def run_block(app: PtyApp, seq, gap: float, expected: dict | None, rec: dict) -> None:
    for key, query in seq:
        r = app.keystroke(key.encode(), gap=gap)
        rec["latency"].append(r["latency"])
        rec["first"].append(r["first"])
        rec["frames"].append(r["frames"])
        if expected is not None:
            m = COUNT.findall(r["text"])
            shown = int(m[-1][0]) if m else None
            rec["shown"][query] = shown
            if shown is not None and shown != expected[query]:
                rec["mismatch"].append((query, shown, expected[query]))
            if shown is None:
                rec["no_count"] += 1
    app.wait_quiet(0.05)


def report(name: str, rec: dict) -> str:
    lat, first = rec["latency"], rec["first"]
    frames = rec["frames"]
    hist = {n: frames.count(n) for n in sorted(set(frames))}
    return (f"  {name:10s} n={len(lat):3d}  last frame p50 {median(lat) * 1e3:6.1f} ms  "
            f"p99 {percentile(lat, 99) * 1e3:6.1f} ms  max {max(lat) * 1e3:6.1f} ms  |  "
            f"first frame p50 {median(first) * 1e3:5.1f} p99 {percentile(first, 99) * 1e3:5.1f} ms  |"
            f"  frames/key {hist}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--blocks", type=int, default=5, help="passes of the query sequence per app")
    ap.add_argument("--gap", type=float, default=0.08,
                    help="quiet time that ends a keystroke's frames (must stay < 0.5 s: cursor blink)")
    ap.add_argument("--students", type=int, default=20_000)
    ap.add_argument("--no-label", action="store_true", help="skip the echo-label context app")
    args = ap.parse_args()

    db_path, source = ensure_demo_db(args.students)
    qs = queries(db_path)
    seq = key_sequence(qs)
    print(f"keystrokes at 80x24 in a pty; database {db_path} ({source})")
    print(f"queries typed then erased: {qs}  ({len(seq)} keys per block, {args.blocks} blocks per app)")
    print("frame end = ESC[?2026l (synchronized output, answered to Textual's DECRQM);"
          f" a key's frames end after {args.gap * 1e3:.0f} ms of quiet (not counted)")

    # the expected result counts, from the project's own search code
    sys.path.insert(0, str(ROOT))
    from db.store.connection import close_database, open_database
    from db.roster import load_index

    open_database(db_path, migrate=False)
    index = load_index()
    close_database()
    expected = {q: len(index.search(q)) for _, q in seq}

    apps: dict[str, PtyApp] = {}
    recs = {}
    try:
        apps["bangfu"] = start_bangfu(db_path)
        apps["echo"] = start_simple([PY, str(BENCH / "minimal_app.py"), "--echo"], "echo", "Type to echo")
        if not args.no_label:
            apps["echo-label"] = start_simple([PY, str(ECHO_LABEL_APP)], "echo-label", "Type to echo")
        for name in apps:
            recs[name] = {"latency": [], "first": [], "frames": [], "shown": {}, "mismatch": [],
                          "no_count": 0}
        # warm-up: one untimed pass each
        for _name, app in apps.items():
            run_block(app, seq, args.gap, None, {"latency": [], "first": [], "frames": []})
        names = list(apps)
        for b in range(args.blocks):
            order = names if b % 2 == 0 else names[::-1]
            for name in order:
                run_block(apps[name], seq, args.gap, expected if name == "bangfu" else None, recs[name])
            print(f"  block {b + 1}/{args.blocks}: " + ", ".join(
                f"{n} p50 {median(recs[n]['latency']) * 1e3:.1f} ms" for n in names), flush=True)
    finally:
        for app in apps.values():
            app.close()

    print()
    for name in apps:
        print(report(name, recs[name]))
    b, e = recs["bangfu"], recs["echo"]
    r50 = median(b["latency"]) / median(e["latency"])
    r99 = percentile(b["latency"], 99) / percentile(e["latency"], 99)
    f50 = median(b["first"]) / median(e["first"])
    f99 = percentile(b["first"], 99) / percentile(e["first"], 99)
    print(f"ratios bangfu / echo Input, to the last frame:  p50 {r50:.2f}  p99 {r99:.2f}"
          f"   budget <= 2.0 both: {verdict(r50 <= 2 and r99 <= 2)}")
    print(f"ratios bangfu / echo Input, to the first frame (the typed letter shows): "
          f"p50 {f50:.2f}  p99 {f99:.2f}")
    if "echo-label" in recs:
        el = recs["echo-label"]
        print(f"context: bangfu / echo-label p50 {median(b['latency']) / median(el['latency']):.2f}"
              f"  p99 {percentile(b['latency'], 99) / percentile(el['latency'], 99):.2f}")
    print("results shown by bangfu (final count after typing each query in full):")
    print("  " + ", ".join(f"{q!r}: {b['shown'].get(q)} (expected {expected[q]})" for q in qs)
          + f"; empty query: {b['shown'].get('')}")
    if b["mismatch"] or b["no_count"]:
        print(f"  WARNING: {len(b['mismatch'])} keys showed a count different from the search"
              f" ({b['mismatch'][:5]}), {b['no_count']} keys with no count line in their frames")
    else:
        print("  every key's final frames showed the expected count")
    ok = r50 <= 2 and r99 <= 2
    print(f"SUMMARY keystroke: bangfu/echo p50 {r50:.2f}, p99 {r99:.2f} (budget <= 2.0): {verdict(ok)}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
