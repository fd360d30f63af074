"""Opening the case detail of a student with 200 contacts, on a local disk.

    python bench/case_open.py [--repeat 30] [--ui-repeat 15] [--no-pty] [--students 20000]

Setup (once, cached): a copy of the 20,000-student demo database in which one
open case is topped up to 200 contacts with the project's own
``db.contacts.validate`` + ``save_contact`` (one transaction each, as the form
and the CLI write them).

Measured, all on that file:

1. ``db.cases.load_case(student_id)``, median of --repeat calls:
   a. on the open connection (warm page cache);
   b. as the case screen does it: in a fresh thread, inside
      ``database.connection_context()`` (connect + pragmas + close);
   baseline for both: the raw ``sqlite3`` query of the same 200 contacts.
2. In the app, headless (``App.run_test`` at 80x24, signed in, roster loaded,
   cursor on the student): from posting the Enter key event to the driver,
   to the compositor update that shows the case screen with its timeline
   (``App._display`` is wrapped to note it; the update is also turned into
   terminal output as a real driver would).  No Pilot pauses are timed.  The
   first open (imports screens.case and TabbedContent) is reported apart.
3. Unless --no-pty: the same in a real pty (see keystroke.py for the frame
   detection): type the student number, press Enter, time until the frame
   with the newest contact's timestamp has been written (the budget figure),
   and, for information, until the last frame before the output is quiet
   (tab underline and focus changes); Escape back; repeat.

Budget (DESIGN.md section 6): the case detail with 200 entries opens in under 50 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import shutil
import sqlite3
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (BANGFU, BENCH_PIN, CACHE, ROOT, PtyApp, ensure_demo_db, first_staff_key, median,  # noqa: E402
                     percentile, verdict, visible_text)

sys.path.insert(0, str(ROOT))
CONTACTS = 200
BUDGET = 0.050

NOTES = ("与家长电话沟通孩子本周作业完成情况，家长表示会每天检查签字。",
         "课后面批数学作业，订正三道错题，讲解解题思路，学生能独立完成同类题。",
         "谈心：最近睡眠不足，上课注意力不集中，约定每晚十点前睡觉，下周再看。",
         "家访：爷爷奶奶照顾，父母在外务工，商定每周视频通话一次，关注情绪变化。",
         "Talked with the mother about homework and sleep; agreed on a daily check\nand a call next week.")


def prepare(students: int) -> tuple[Path, int, str, str]:
    """(database, student id, student number, newest contact's timestamp text)."""
    src, source = ensure_demo_db(students)
    path = CACHE / f"case{CONTACTS}-{src.stem}.db"
    if not path.exists() or _find_case(path) is None:
        tmp = path.with_suffix(".building")
        shutil.copyfile(src, tmp)
        _top_up(tmp)
        tmp.rename(path)
    student_id, number, newest = _find_case(path)
    print(f"database {path} (copy of {src.name}, {source}); student id {student_id} "
          f"({number}) has a case with {CONTACTS} contacts")
    return path, student_id, number, newest


def _find_case(path: Path):
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        row = con.execute(
            "select c.student_id, s.student_no, max(k.occurred_at) from case_file c "
            "join student s on s.id = c.student_id join contact k on k.case_id = c.id "
            "where c.status in ('identified', 'active', 'improving') "
            "group by c.id having count(k.id) = ? order by c.id limit 1", (CONTACTS,)).fetchone()
    except sqlite3.Error:
        return None
    finally:
        con.close()
    if row is None:
        return None
    return row[0], row[1], str(row[2])[:16]


def _top_up(path: Path) -> None:
    from db.store.connection import close_database, open_database
    from db.contacts import ContactInput, save_contact, validate
    from db.models import Assignment, Case, Contact, Staff
    from db import clock
    from peewee import fn

    open_database(path)
    # an open case whose student has only this case, with the most contacts already
    counts = (Case.select(Case.id, Case.student, fn.COUNT(Contact.id).alias("n"))
              .join(Contact).where(Case.status.in_(("identified", "active", "improving")))
              .group_by(Case.id).order_by(fn.COUNT(Contact.id).desc()).limit(50).tuples())
    for case_id, student_id, n in counts:  # noqa: B007 (case_id is the one found: used after the loop)
        if Case.select().where(Case.student == student_id).count() == 1 and n <= CONTACTS:
            break
    else:
        raise SystemExit("no suitable case in the demo database")
    lead = (Staff.select().join(Assignment).where((Assignment.case == case_id) & (Assignment.role == "lead"))
            .first()) or Staff.select().first()
    today = clock.today()
    t0 = time.perf_counter()
    for i in range(CONTACTS - n):
        day = today - dt.timedelta(days=(i * 97) % 200)
        note = NOTES[i % len(NOTES)]
        entry = validate(ContactInput(
            case_id=case_id, date=day.isoformat(), time=f"{8 + i % 10:02d}:{(i * 7) % 60:02d}",
            kind="family" if i % 3 else "student", channel="pw sfhm"[i % 7].strip() or "wechat",
            participants="母亲" if i % 3 else "", duration=str(5 + i % 40),
            discussed=note, agreed="每天检查作业" if i % 2 else "",
            follow_up="下周再电话" if i % 5 == 0 else "",
            follow_up_due=(today + dt.timedelta(days=7)).isoformat() if i % 5 == 0 else ""))
        save_contact(lead, entry)
    print(f"  added {CONTACTS - n} contacts to case {case_id} with save_contact in "
          f"{time.perf_counter() - t0:.1f} s")
    close_database()


# ---------------------------------------------------------------------------
# 1. load_case


def bench_load_case(path: Path, student_id: int, repeat: int) -> dict:
    from db.cases import load_case
    from db.store.connection import close_database, open_database
    from db.models import database

    open_database(path)
    view = load_case(student_id)
    assert view is not None and len(view.contacts) == CONTACTS, len(view.contacts)
    case_id = view.case_id

    warm, threaded, raw = [], [], []
    con = sqlite3.connect(str(path))
    raw_sql = ("select c.*, s.name from contact c join staff s on s.id = c.author_id "
               "where c.case_id = ? order by c.occurred_at desc, c.id desc")

    def in_thread(out: list) -> None:
        t = time.perf_counter()
        with database.connection_context():
            load_case(student_id)
        out.append(time.perf_counter() - t)

    for _ in range(repeat):  # interleaved
        t = time.perf_counter()
        rows = con.execute(raw_sql, (case_id,)).fetchall()
        raw.append(time.perf_counter() - t)
        assert len(rows) == CONTACTS
        t = time.perf_counter()
        load_case(student_id)
        warm.append(time.perf_counter() - t)
        th = threading.Thread(target=in_thread, args=(threaded,))
        th.start()
        th.join()
    con.close()
    close_database()
    return {"warm": warm, "thread": threaded, "raw": raw}


# ---------------------------------------------------------------------------
# 2. headless app


async def _ui_headless(path: Path, student_id: int, number: str, repeat: int) -> dict:
    from textual import events

    from db.config import Settings
    from db.store.connection import close_database, open_database
    from db.models import database
    from screens.case import CaseScreen
    from screens.roster import RosterScreen
    from tui import i18n
    from tui.app import BangfuApp

    i18n.set_language("en")
    open_database(path)
    settings = Settings(db_path=path, db_source="--db", lang="en", lang_source="bench", user="")
    app = BangfuApp(settings=settings, database=database.obj)

    marks: dict = {}
    state = {"want": None, "event": None}
    original_display = app._display
    original_show = CaseScreen.show_case

    def display(screen, update):
        original_display(screen, update)
        if update is not None and state["want"] is not None:
            update.render_segments(app.console)  # what a real driver turns into bytes
            now = time.perf_counter()
            if state["want"] == "case" and isinstance(screen, CaseScreen):
                marks.setdefault("case_frame", now)
                if "shown" in marks:
                    marks["timeline_frame"] = now
                    state["event"].set()
            elif state["want"] == "roster" and isinstance(screen, RosterScreen):
                state["event"].set()

    def show_case(self, view):
        marks["show_start"] = time.perf_counter()
        original_show(self, view)
        marks["shown"] = time.perf_counter()

    app._display = display
    CaseScreen.show_case = show_case
    results = []
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            for _ in range(100):
                await pilot.pause(0.05)
                if app._all is not None and getattr(app.screen, "staff", None):
                    break
            who, _name = first_staff_key(path)
            await pilot.press(*who)
            await pilot.press("enter")
            for _ in range(100):
                await pilot.pause(0.05)
                if getattr(app.screen, "chosen", None) is not None:
                    break
            await pilot.press(*BENCH_PIN, "enter")
            for _ in range(100):
                await pilot.pause(0.05)
                if isinstance(app.screen, RosterScreen) and app.index is not None:
                    break
            screen = app.screen
            screen.search_input.value = number
            for _ in range(100):
                await pilot.pause(0.02)
                row = screen.roster.current
                if row is not None and row.student_id == student_id:
                    break
            else:
                raise RuntimeError("the student never came to the top of the roster")
            await pilot.pause(0.2)
            for _i in range(repeat + 1):
                marks.clear()
                state["want"], state["event"] = "case", asyncio.Event()
                key = events.Key("enter", "\r")
                key.set_sender(app)
                t0 = time.perf_counter()
                app._driver.send_message(key)
                await asyncio.wait_for(state["event"].wait(), 10)
                results.append({k: v - t0 for k, v in marks.items()})
                await pilot.pause(0.1)
                state["want"], state["event"] = "roster", asyncio.Event()
                await pilot.press("escape")
                await asyncio.wait_for(state["event"].wait(), 10)
                state["want"] = None
                await pilot.pause(0.1)
    finally:
        CaseScreen.show_case = original_show
        close_database()
    return {"first": results[0], "rest": results[1:]}


# ---------------------------------------------------------------------------
# 3. real pty


def bench_pty(path: Path, number: str, newest: str, repeat: int, gap: float = 0.08) -> list[float]:
    who, _ = first_staff_key(path)
    app = PtyApp([BANGFU, "--db", str(path), "--lang", "en"], name="bangfu", cwd=str(ROOT))
    times = []
    try:
        app.wait_text("Who are you?")
        app.wait_quiet(0.3)
        time.sleep(0.5)
        app.wait_quiet(0.3)
        for ch in who:
            app.keystroke(ch.encode(), gap=0.05)
        app.keystroke(b"\r", gap=0.05)
        app.wait_text("PIN for", timeout=30)
        for ch in BENCH_PIN:
            app.keystroke(ch.encode(), gap=0.05)
        mark = len(app.out)
        app.keystroke(b"\r", gap=0.05)
        app.wait_text(" of ", timeout=30, since=mark)
        time.sleep(2.0)  # roster load
        app.wait_quiet(0.3)
        for ch in number:
            app.keystroke(ch.encode(), gap=0.05)
        app.wait_quiet(0.3)
        for i in range(repeat + 1):
            n0, off0 = len(app.sync_ends), len(app.out)
            t0 = app.send(b"\r")
            deadline = t0 + 10
            seen = None
            while time.perf_counter() < deadline:
                app.pump(0.01)
                if seen is None and newest in app.visible_since(off0):
                    # the frame that carries the timeline: the first frame end after it
                    seen = next((t for t, o in app.sync_ends[n0:]
                                 if newest in visible_text(bytes(app.out[off0:o]))),
                                None)
                if seen is not None and not app.pump(gap):
                    break
            if seen is None:
                raise TimeoutError("case timeline never shown")
            ends = app.sync_ends[n0:]
            if i:  # the first open imports the case screen: not counted
                times.append((seen - t0, ends[-1][0] - t0, len(ends)))
            else:
                first = ends[-1][0] - t0
            app.send(b"\x1b")
            time.sleep(0.3)
            app.wait_quiet(0.2)
    finally:
        app.close()
    print(f"  pty: first open {first * 1e3:.1f} ms (not counted)")
    return times


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=30)
    ap.add_argument("--ui-repeat", type=int, default=15)
    ap.add_argument("--no-pty", action="store_true")
    ap.add_argument("--students", type=int, default=20_000)
    args = ap.parse_args()

    path, student_id, number, newest = prepare(args.students)
    r = bench_load_case(path, student_id, args.repeat)
    mw, mt, mr = median(r["warm"]), median(r["thread"]), median(r["raw"])
    print(f"load_case({student_id}), {CONTACTS} contacts, median of {args.repeat}:")
    print(f"  on the open connection          {mw * 1e3:7.2f} ms"
          f"  (p90 {percentile(r['warm'], 90) * 1e3:.2f})")
    print(f"  fresh thread + connection_context {mt * 1e3:5.2f} ms"
          f"  (p90 {percentile(r['thread'], 90) * 1e3:.2f})"
          "  <- what the case screen's worker does")
    print(f"  baseline: raw sqlite3 query of the 200 contacts {mr * 1e3:.2f} ms"
          f"  (load_case / raw = {mw / mr:.1f}x)")

    ui = asyncio.run(_ui_headless(path, student_id, number, args.ui_repeat))

    def col(key):
        return [x[key] for x in ui["rest"] if key in x]

    first = ui["first"]
    print(f"headless app (run_test 80x24), Enter -> case screen, median of {args.ui_repeat}:")
    print(f"  first case-screen frame          {median(col('case_frame')) * 1e3:7.1f} ms")
    print(f"  show_case() called (data loaded) {median(col('show_start')) * 1e3:7.1f} ms")
    shown = median([x['shown'] - x['show_start'] for x in ui['rest']])
    print(f"  show_case() itself (fills the 4 tabs) {shown * 1e3:5.1f} ms")
    print(f"  frame with the timeline          {median(col('timeline_frame')) * 1e3:7.1f} ms"
          f"  (p90 {percentile(col('timeline_frame'), 90) * 1e3:.1f},"
          f" max {max(col('timeline_frame')) * 1e3:.1f})")
    print("  very first open (imports the case screen): timeline frame"
          f" {first['timeline_frame'] * 1e3:.1f} ms")
    ui_med = median(col("timeline_frame"))

    pty_med = None
    if not args.no_pty:
        times = bench_pty(path, number, newest, max(5, args.ui_repeat // 2))
        seen = [x[0] for x in times]
        last = [x[1] for x in times]
        pty_med = median(seen)
        print(f"real pty, Enter -> frame showing the timeline: median of {len(times)}"
              f" {pty_med * 1e3:.1f} ms (min {min(seen) * 1e3:.1f}, max {max(seen) * 1e3:.1f})")
        print(f"  ... to the last frame before the screen is quiet: median {median(last) * 1e3:.1f} ms,"
              f" frames per open {sorted(x[2] for x in times)}")

    ok = mt < BUDGET and ui_med < BUDGET and (pty_med is None or pty_med < BUDGET)
    parts = [f"load_case {mw * 1e3:.1f} ms warm / {mt * 1e3:.1f} ms as the worker",
             f"UI headless {ui_med * 1e3:.1f} ms"]
    if pty_med is not None:
        parts.append(f"UI pty {pty_med * 1e3:.1f} ms")
    print(f"SUMMARY case_open: {', '.join(parts)}; vs raw query {mw / mr:.1f}x"
          f" (budget < 50 ms): {verdict(ok)}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
