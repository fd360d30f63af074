"""Time to first screen and memory: bangfu vs the minimal Textual app, in tmux at 80x24.

    python bench/first_screen.py [--pairs 10] [--later 4.0] [--students 20000]

Each run starts ``tmux new-session -d -x 80 -y 24 'exec CMD'`` on a private
tmux server and polls ``tmux capture-pane -p`` every ~5 ms until the first
screen's marker is visible: "Who are you?" (bangfu's sign-in title, --lang en)
or "Minimal baseline" (the title of bench/minimal_app.py).  The time is from
just before the tmux command to the capture that shows the marker; the tmux
overhead is the same for both apps.  VmRSS of the app process (the pane's
pid: the command is exec'ed) is read as soon as the marker shows, and again
``--later`` seconds after launch, by when bangfu has loaded its 20,000-student
roster in the background.

Runs alternate (bangfu, baseline, then baseline, bangfu, ...) after one
discarded warm-up run of each.  Budgets (DESIGN.md section 6): first screen
<= 1.3x the minimal app (aim 1.15x); memory at the first screen <= 1.5x.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (BANGFU, BENCH, PY, child_env, ensure_demo_db, median, ms,  # noqa: E402
                     require, rss_kib, verdict)

SOCKET = f"bfbench-{os.getpid()}"
POLL = 0.005


def tmux(*args: str, check: bool = True) -> str:
    proc = subprocess.run(["tmux", "-L", SOCKET, *args], capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise RuntimeError(f"tmux {' '.join(args)}: {proc.stderr.strip()}")
    return proc.stdout


def shell_quote(s: str) -> str:
    return "'" + s.replace("'", "'\\''") + "'"


def one_run(label: str, argv: list[str], marker: str, later: float, n: int) -> dict:
    session = f"{label}-{n}"
    env = child_env()
    env_args = " ".join(shell_quote(f"{k}={env[k]}") for k in
                        ("TERM", "LANG", "LC_ALL", "COLORTERM", "HOME", "PATH") if k in env)
    cmd = f"exec env -u TMUX -u TMUX_PANE {env_args} " + " ".join(shell_quote(a) for a in argv)
    t0 = time.perf_counter()
    # remain-on-exit keeps a crashed app's last words on screen for the error message
    tmux("new-session", "-d", "-s", session, "-x", "80", "-y", "24", cmd, ";",
         "set-option", "-w", "-t", session, "remain-on-exit", "on")
    pid = int(tmux("list-panes", "-t", session, "-F", "#{pane_pid}").split()[0])
    shown = None
    deadline = t0 + 30
    while time.perf_counter() < deadline:
        screen = tmux("capture-pane", "-p", "-t", session, check=False)
        if marker in screen:
            shown = time.perf_counter()
            break
        if not os.path.exists(f"/proc/{pid}"):  # the app ended before showing anything
            screen = tmux("capture-pane", "-p", "-t", session, check=False)
            break
        time.sleep(POLL)
    rss_first = rss_kib(pid)
    if shown is None:
        dead = tmux("display-message", "-p", "-t", session, "#{pane_dead} #{pane_dead_status}",
                    check=False).strip()
        tmux("kill-session", "-t", session, check=False)
        raise RuntimeError(f"{label}: marker {marker!r} never appeared (pane dead/status: {dead});"
                           f" screen was:\n{screen.rstrip()}")
    time.sleep(max(0.0, t0 + later - time.perf_counter()))
    rss_later = rss_kib(pid)
    final_screen = tmux("capture-pane", "-p", "-t", session, check=False)
    tmux("kill-session", "-t", session, check=False)
    for _ in range(200):  # wait until the app is gone before the next run
        if not os.path.exists(f"/proc/{pid}"):
            break
        time.sleep(0.01)
    return {"time": shown - t0, "rss_first": rss_first, "rss_later": rss_later,
            "screen": final_screen}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pairs", type=int, default=10)
    ap.add_argument("--later", type=float, default=4.0,
                    help="seconds after launch for the second RSS reading")
    ap.add_argument("--students", type=int, default=20_000)
    ap.add_argument("--also-small", action="store_true",
                    help="also run bangfu on a 300-student demo (fixed start-up cost vs roster size)")
    args = ap.parse_args()
    require("tmux")

    db_path, source = ensure_demo_db(args.students)
    apps = {
        "bangfu": ([BANGFU, "--db", str(db_path), "--lang", "en"], "Who are you?"),
        "minimal": ([PY, str(BENCH / "minimal_app.py")], "Minimal baseline"),
    }
    if args.also_small:
        small, _ = ensure_demo_db(300)
        apps["bangfu-300"] = ([BANGFU, "--db", str(small), "--lang", "en"], "Who are you?")
    print(f"first screen at 80x24 in tmux; database {db_path} ({args.students} students, {source})")
    print(f"bangfu:   {' '.join(apps['bangfu'][0])}")
    print(f"baseline: {' '.join(apps['minimal'][0])}")
    results = {k: [] for k in apps}
    try:
        # a keeper session: the server must not exit (and race the next run) when a
        # measured session is killed
        tmux("new-session", "-d", "-s", "keeper", "-x", "80", "-y", "24", "sleep 86400")
        for label in apps:  # warm-up: page cache, .pyc files
            one_run(label, *apps[label], 0.5, 0)
        for i in range(1, args.pairs + 1):
            order = list(apps) if i % 2 else list(apps)[::-1]
            line = []
            for label in order:
                r = one_run(label, *apps[label], args.later, i)
                results[label].append(r)
                line.append(f"{label} {ms(r['time'])} rss {r['rss_first'] / 1024:5.1f}"
                            f"->{r['rss_later'] / 1024:5.1f} MiB")
            print(f"  pair {i:2d}: " + " | ".join(line), flush=True)
    finally:
        tmux("kill-server", check=False)
        sock = Path(os.environ.get("TMUX_TMPDIR") or "/tmp") / f"tmux-{os.getuid()}" / SOCKET
        sock.unlink(missing_ok=True)  # our private server's socket file

    b, m = results["bangfu"], results["minimal"]
    tb, tm = median([r["time"] for r in b]), median([r["time"] for r in m])
    paired = median([x["time"] / y["time"] for x, y in zip(b, m)])
    rb, rm = median([r["rss_first"] for r in b]), median([r["rss_first"] for r in m])
    lb, lm = median([r["rss_later"] for r in b]), median([r["rss_later"] for r in m])
    time_ratio, mem_ratio, later_ratio = tb / tm, rb / rm, lb / lm
    print()
    print(f"time to first screen (median of {args.pairs}):")
    print(f"  bangfu   {ms(tb)}   (min {ms(min(r['time'] for r in b))}, max {ms(max(r['time'] for r in b))})")
    print(f"  minimal  {ms(tm)}   (min {ms(min(r['time'] for r in m))}, max {ms(max(r['time'] for r in m))})")
    print(f"  ratio of medians {time_ratio:.3f}   median of paired ratios {paired:.3f}"
          f"   budget <= 1.30 (aim 1.15): {verdict(time_ratio <= 1.3)}")
    print("memory (VmRSS) at the first screen:")
    print(f"  bangfu {rb / 1024:.1f} MiB   minimal {rm / 1024:.1f} MiB   ratio {mem_ratio:.3f}"
          f"   budget <= 1.50: {verdict(mem_ratio <= 1.5)}")
    print(f"memory (VmRSS) {args.later:.1f} s after launch (bangfu's roster of {args.students} loaded"
          f" in the background):")
    print(f"  bangfu {lb / 1024:.1f} MiB   minimal {lm / 1024:.1f} MiB   ratio {later_ratio:.3f}"
          f"   (same 1.5x budget: {verdict(later_ratio <= 1.5)})")
    if "bangfu-300" in results:
        s = results["bangfu-300"]
        ts, rs = median([r["time"] for r in s]), median([r["rss_first"] for r in s])
        ls = median([r["rss_later"] for r in s])
        print(f"context: bangfu on a 300-student demo: first screen {ms(ts)} (ratio {ts / tm:.3f}),"
              f" RSS {rs / 1024:.1f} MiB at first screen, {ls / 1024:.1f} MiB later")
    ok = time_ratio <= 1.3 and mem_ratio <= 1.5
    print(f"SUMMARY first_screen: time ratio {time_ratio:.2f} (<= 1.30), memory ratio {mem_ratio:.2f}"
          f" (<= 1.50), memory after roster load {later_ratio:.2f}: {verdict(ok)}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
