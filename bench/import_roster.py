"""Importing a 5,000-row roster (issue 7: "a 5,000-row file imports in seconds").

    python bench/import_roster.py [--rows 5000] [--repeat 3]

Each run makes a fresh database in a temporary directory (removed at the
end), writes a registry-style .csv and .xlsx of ``--rows`` clean students
(``tests/roster_files.big_csv``, the xlsx with the same rows), and times:

- reading the file (``db.roster_file.read_roster``), csv and xlsx;
- planning (``db.roster_import.plan_import``: matching every row against the
  roster);
- writing (``apply_import``: students, guardians, classes, one audit row each,
  journaled, in one transaction);
- a re-import of the same file (plan + apply: nothing changes).

Baseline in the same run: a bare ``executemany`` INSERT of the same number of
student rows into a copy of the same empty database, so a slow disk shows in
both.  Budget: the whole first import (read csv + plan + write) at most 5 s,
the median of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, median, verdict  # noqa: E402

sys.path.insert(0, str(ROOT))
BUDGET = 5.0


def _xlsx_from_csv(source: Path, target: Path) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("学生信息")
    with open(source, encoding="utf-8-sig", newline="") as fh:
        for row in csv.reader(fh):
            sheet.append(row)
    book.save(target)


def one_run(work: Path, rows: int) -> dict:
    from db.store.connection import close_database, open_database
    from db.roster_file import read_roster
    from db.roster_import import apply_import, plan_import
    from db.staff import add_staff
    from tests.roster_files import big_csv

    run = Path(tempfile.mkdtemp(dir=work))
    db = run / "school.db"
    open_database(db, create=True)
    actor = add_staff(None, "汪静", "admin")
    close_database()
    shutil.copy(db, run / "bare.db")
    source = big_csv(run / "roster.csv", n=rows)
    _xlsx_from_csv(source, run / "roster.xlsx")
    out = {}

    start = time.perf_counter()
    parsed = read_roster(source)
    out["read_csv"] = time.perf_counter() - start
    start = time.perf_counter()
    read_roster(run / "roster.xlsx")
    out["read_xlsx"] = time.perf_counter() - start

    open_database(db)
    start = time.perf_counter()
    plan = plan_import(parsed)
    out["plan"] = time.perf_counter() - start
    start = time.perf_counter()
    result = apply_import(actor, plan)
    out["write"] = time.perf_counter() - start
    assert result.new == rows, result
    start = time.perf_counter()
    again = plan_import(read_roster(source))
    apply_import(actor, again)
    out["reimport"] = time.perf_counter() - start
    assert again.count("same") == rows
    close_database()

    values = [(r.student_no, r.name, r.gender, r.birth_date.isoformat() if r.birth_date else None)
              for r in parsed.records]
    start = time.perf_counter()
    con = sqlite3.connect(run / "bare.db")
    with con:
        con.executemany(
            'INSERT INTO student (student_no, name, gender, birth_date, family_flags, '
            'family_notes, pinyin, initials, version, created_at, updated_at, address, phone, '
            'id_number) VALUES (?, ?, ?, ?, "", "", "", "", 1, datetime(), datetime(), "", "", "")',
            values)
    con.close()
    out["bare"] = time.perf_counter() - start
    shutil.rmtree(run, ignore_errors=True)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("BANGFU_STATE_DIR", tempfile.mkdtemp(prefix="bangfu-bench-state-"))
    work = Path(tempfile.mkdtemp(prefix="bangfu-bench-import-"))
    try:
        runs = [one_run(work, args.rows) for _ in range(args.repeat)]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    figures = {k: median([r[k] for r in runs]) for k in runs[0]}
    for name, label in (("read_csv", "read .csv"), ("read_xlsx", "read .xlsx"),
                        ("plan", "plan (match the roster)"), ("write", "write (one transaction)"),
                        ("reimport", "re-import, nothing changes"),
                        ("bare", "baseline: bare INSERT of the rows")):
        print(f"  {label:<34} {figures[name] * 1e3:8.0f} ms")
    total = figures["read_csv"] + figures["plan"] + figures["write"]
    ok = total <= BUDGET
    print(f"SUMMARY import_roster: {args.rows} rows read+plan+write {total:.2f} s "
          f"(budget {BUDGET:.0f} s; write {figures['write'] / max(figures['bare'], 1e-6):.0f}x "
          f"a bare INSERT of the rows) {verdict(ok)}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
