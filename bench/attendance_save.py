"""Saving one class's attendance at a family event on the 20,000-student demo.

    python bench/attendance_save.py [--repeat 20] [--students 20000] [--size 50]

Budget (issue 22): attendance for a class of 50 saves in under 200 ms, median
and p90.  On a private copy (a temporary directory, removed at the end) of the
cached demo database (``_common.ensure_demo_db``), on local disk, date pinned
to the demo's build day (``BANGFU_TODAY`` overrides it), as the school's
administrator: a parent meeting is added for the whole school and the first
``--size`` students of the class nearest that size (the demo's classes hold
about 45-50; a smaller one is filled up to the size from the next grade's
class) are saved with ``db.family_events.save_attendance``, alternately all
marked as come (each with a rating and a note: 50 new rows, a family contact
on every open case among them) and all cleared (50 rows and those contacts
removed): every save writes the whole grid, the costliest kind.  For scale,
in the same run and the same way: the same 50 students' scores of one
subject with ``db.scores.save_scores`` (the score grid's save), alternately
entered and cleared.  The two alternate save by save.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, ensure_demo_db, median, percentile, verdict  # noqa: E402

sys.path.insert(0, str(ROOT))
BUDGET = 0.200


def demo_day(path: Path) -> dt.date:
    env = os.environ.get("BANGFU_TODAY")
    if env:
        return dt.date.fromisoformat(env)
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        at = con.execute("SELECT MIN(at) FROM audit_log WHERE host = 'demo'").fetchone()[0]
    finally:
        con.close()
    return dt.date.fromisoformat(str(at)[:10]) if at else dt.date.today()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--students", type=int, default=20_000)
    parser.add_argument("--size", type=int, default=50)
    args = parser.parse_args()
    source, how = ensure_demo_db(args.students)
    today = demo_day(source)
    work = Path(tempfile.mkdtemp(prefix="bangfu-attendance-bench-"))
    try:
        path = work / "demo.db"
        shutil.copy(source, path)
        from peewee import fn

        from db import clock
        from db.store.connection import open_database
        from db.family_events import CAME, NOTE, RATING, EventInput, add_event, save_attendance
        from db.models import Case, SchoolClass, Staff, Student
        from db.scores import Sitting, save_scores
        from db.vocab import OPEN_STATUSES

        clock.set_today(today)
        open_database(path)
        admin = Staff.select().where(Staff.role == "admin").order_by(Staff.id).first()
        sizes = (Student.select(Student.school_class, fn.COUNT(Student.id).alias("n"))
                 .group_by(Student.school_class).order_by(fn.COUNT(Student.id).desc()).tuples())
        class_id, size = next(iter(sizes))
        # the class's students, then (if it holds fewer than --size) others moved into it
        ids = [sid for (sid,) in Student.select(Student.id).where(Student.school_class == class_id)
               .order_by(Student.id).tuples()]
        if len(ids) < args.size:
            extra = [sid for (sid,) in Student.select(Student.id)
                     .where(Student.school_class != class_id).order_by(Student.id)
                     .limit(args.size - len(ids)).tuples()]
            Student.update(school_class=class_id).where(Student.id.in_(extra)).execute()
            ids += extra
        ids = ids[:args.size]
        supported = (Case.select().where(Case.student.in_(ids), Case.status.in_(OPEN_STATUSES))
                     .count())
        code = SchoolClass.get_by_id(class_id).code
        event = add_event(admin, EventInput(f"{today:%Y-%m-%d}", "parent_meeting", "bench", "", ""))
        came = {}
        for n, sid in enumerate(ids):
            came.update({(sid, CAME): "1", (sid, RATING): str(1 + n % 5), (sid, NOTE): "父亲来了"})
        cleared = {k: "" for k in came}
        sitting = Sitting("bench exam", today, 100.0, ["语文"])
        scored = {(sid, "语文"): str(60 + n % 40) for n, sid in enumerate(ids)}
        unscored = {k: "" for k in scored}
        print(f"demo: {source} ({how}), today {today}; class {code}: {size} students, "
              f"{len(ids)} in the grid, {supported} with an open case")

        def attendance(n: int) -> float:
            t0 = time.perf_counter()
            count = save_attendance(admin, event, class_id, cleared if n % 2 else came)
            took = time.perf_counter() - t0
            assert count.total == len(ids), count
            return took

        def scores(n: int) -> float:
            t0 = time.perf_counter()
            count = save_scores(admin, sitting, unscored if n % 2 else scored)
            took = time.perf_counter() - t0
            assert count.total == len(ids), count
            return took

        attendance(0), attendance(1), scores(0), scores(1)  # warm
        mine, base = [], []
        for n in range(args.repeat):
            mine.append(attendance(n))
            base.append(scores(n))
        m, p90 = median(mine), percentile(mine, 90)
        bm, bp90 = median(base), percentile(base, 90)
        print(f"  save_attendance ({len(ids)} rows + contacts)  median {m * 1e3:7.1f} ms  "
              f"p90 {p90 * 1e3:7.1f} ms  (n={len(mine)})")
        print(f"  save_scores     ({len(ids)} rows)             median {bm * 1e3:7.1f} ms  "
              f"p90 {bp90 * 1e3:7.1f} ms  (baseline)")
        ok = m <= BUDGET and p90 <= BUDGET
        print(f"SUMMARY attendance_save: median {m * 1e3:.0f} ms, p90 {p90 * 1e3:.0f} ms "
              f"(budget {BUDGET * 1e3:.0f} ms), {m / bm:.2f}x the score grid's save "
              f"{verdict(ok)}")
        return 0 if ok else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
