"""Issue 17, defect 7: the roster import keeps the student editor's limits,
never splits a character from what belongs to it, and keeps its memory
bounded whatever the file.

- A value the student editor refuses (``db.students``: name, student number,
  address, a guardian's name longer than its limit) is a problem on its row,
  and the row is left out; a value at the limit imports. The editor's own
  ``validate_student`` is asked about the same values, so the two cannot drift.
- Emoji sequences joined by ZWJ, accents (combining or spacing) stay whole,
  and no correction is reported that was not made.
- A workbook that weighs under 1 MiB and unpacks past ``XLSX_MAX_UNPACKED``
  (or ``XLSX_MAX_PART``, ``XLSX_MAX_CELLS``, ``MAX_ROWS``) is refused with a
  message in both languages that states the limit, in a child process whose
  peak memory (``VmHWM``) stays under 200 MB (and whose address space is
  capped, so a reader that inflates the file fails fast instead of eating the
  machine).
- 50,000 rows of CSV: the dry run and the import, each in a child process
  whose peak memory is measured and must stay under 250 MB.

The crafted files are built in ``tmp_path`` by ``tests.roster_files``.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

from db import students
from db.roster_file import (MAX_ROWS, MIB, XLSX_MAX_CELLS, XLSX_MAX_PART, XLSX_MAX_UNPACKED,
                            read_roster)
from db.roster_import import plan_import
from tests import roster_files as rf
from tests.helpers import cli_env
from tui.import_report import plan_lines

ROOT = Path(__file__).resolve().parent.parent


def write_csv(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


def by_row(items) -> dict[int, list[tuple[str, str]]]:
    out: dict[int, list] = {}
    for item in items:
        out.setdefault(item.row, []).append((item.field, item.code))
    return {row: sorted(pairs) for row, pairs in out.items()}


# --- the student editor's limits ------------------------------------------------------------

HEADER = ["姓名", "学号", "现住址", "监护人姓名"]


def _limits_file(tmp_path):
    name, no, address = students.MAX_NAME, students.MAX_NO, students.MAX_ADDRESS
    return write_csv(tmp_path / "limits.csv", [
        HEADER,
        ["张" * name, "S" * no, "路" * address, "李" * name],        # 2: at every limit
        ["张" * 100_000, "S002", "幸福路1号", "李四"],                 # 3: a 100,000-character name
        ["王五", "1" * 200, "幸福路2号", "王大"],                      # 4: a 200-character number
        ["赵六", "S004", "路" * 5000, "赵大"],                         # 5: a 5,000-character address
        ["孙七", "S005", "幸福路5号", "孙" * (name + 1)],              # 6: a guardian's name
        ["周" * (name + 1), "S006", "幸福路6号", "周大"],              # 7: one over the limit
        ["吴八", "S" * (no + 1), "路" * (address + 1), "吴大"],         # 8: two over
    ])


def test_what_the_editor_refuses_is_a_problem_on_its_row(school, tmp_path):
    parsed = read_roster(_limits_file(tmp_path))
    assert by_row(parsed.problems) == {
        3: [("name", "too_long")], 4: [("student_no", "too_long")],
        5: [("address", "too_long")], 6: [("guardian1_name", "too_long")],
        7: [("name", "too_long")], 8: [("address", "too_long"), ("student_no", "too_long")]}
    assert [r.row for r in parsed.records] == [2] and parsed.problem_rows == 6
    kept = parsed.records[0]
    assert (len(kept.name), len(kept.student_no), len(kept.address)) == \
        (students.MAX_NAME, students.MAX_NO, students.MAX_ADDRESS)
    long_name = next(p for p in parsed.problems if p.row == 3)
    assert (long_name.value, long_name.limit) == ("100,000", students.MAX_NAME)
    # the editor's own check says the same of the same values
    cases = {2: set(), 3: {"name"}, 4: {"student_no"}, 5: {"address"}, 6: {"guardian.1.name"},
             7: {"name"}, 8: {"student_no", "address"}}
    rows = list(csv.reader(open(tmp_path / "limits.csv", encoding="utf-8")))
    for row, refused in cases.items():
        name, no, address, guardian = rows[row - 1]
        data = students.StudentInput(student_no=no, name=name, address=address,
                                     guardians=[students.GuardianInput(guardian)])
        try:
            students.validate_student(data)
            errors = set()
        except students.StudentError as exc:
            errors = set(exc.errors)
        assert errors == refused, row


def test_the_report_states_the_editor_limit_and_never_prints_the_value(school, tmp_path, lang):
    plan = plan_import(read_roster(_limits_file(tmp_path)))
    text = "\n".join(plan_lines(plan))
    assert plan.count("new") == 1
    if lang == "en":
        assert ("row 3  name: too long: 100,000 characters, the student editor takes at most "
                f"{students.MAX_NAME}") in text
        assert "6 rows have problems and are left out" in text
    else:
        assert f"第 3 行  姓名：过长：100,000 个字符，学生信息最多 {students.MAX_NAME} 个字符" in text
    assert "张" * (students.MAX_NAME + 1) not in text and "路" * 300 not in text


def test_a_reimport_never_gives_a_student_more_guardians_than_the_editor_takes(school, tmp_path):
    """张伟 and 赵薇 of the fixture school have two guardians each: six new
    ones would make eight (refused, left out), four make six (imported)."""
    from db.models import Guardian, Student
    from db.roster_import import apply_import

    path = write_csv(tmp_path / "g.csv", [
        ["姓名", "学号", "监护人姓名", "第二监护人姓名", "父亲姓名", "母亲姓名", "成员1姓名", "成员2姓名"],
        ["张伟", "20240101", "甲一", "甲二", "甲三", "甲四", "甲五", "甲六"],
        ["赵薇", "20240102", "乙一", "乙二", "乙三", "乙四", "", ""]])
    plan = plan_import(read_roster(path))
    assert (plan.count("refused"), plan.count("update")) == (1, 1)
    assert [(p.row, p.field, p.code, p.value, p.limit) for p in plan.problems] == \
        [(2, "guardian", "too_many_guardians", "8", students.MAX_GUARDIANS)]
    text = "\n".join(plan_lines(plan))
    assert ("row 2  guardian: the student would have 8 guardians, the student editor takes "
            f"at most {students.MAX_GUARDIANS}") in text
    assert "1 row has problems and is left out" in text
    result = apply_import(school.teacher, plan)
    assert (result.updated, result.skipped) == (1, 1)

    def guardians(no):
        return Guardian.select().where(
            Guardian.student == Student.get(Student.student_no == no).id).count()
    assert (guardians("20240101"), guardians("20240102")) == (2, students.MAX_GUARDIANS)
    # and the editor still saves the student the import updated
    zhao = Student.get(Student.student_no == "20240102")
    form = students.load_student(zhao.id)
    students.save_student(school.teacher, form.data, zhao.id, form.version)


# --- cleaning never splits a character -----------------------------------------------------

FAMILY = "\U0001F468\u200d\U0001F469\u200d\U0001F467"  # 👨‍👩‍👧: three people joined by ZWJ
FIRE_HEART = "\u2764\ufe0f\u200d\U0001F525"             # ❤️‍🔥
FLAG = "\U0001F3F3\ufe0f\u200d\U0001F308"               # 🏳️‍🌈


@pytest.mark.parametrize("cell, name, fixes", [
    (f"Zoë {FAMILY}", f"Zoë {FAMILY}", []),
    (f"小明{FAMILY}", f"小明{FAMILY}", []),
    (f"Ana {FIRE_HEART}", f"Ana {FIRE_HEART}", []),
    (f"Ana  {FIRE_HEART} ", f"Ana {FIRE_HEART}", ["spaces"]),  # only the spaces go
    ("O´Neil", "O´Neil", []),                      # not "O \u0301Neil" (a loose accent)
    ("Rene\u0301 Dupont", "René Dupont", []),     # é typed as e + accent: the same text
    ("Zoe\u0308  Li", "Zoë Li", ["spaces"]),
    ("\u200d张三", "张三", ["spaces"]),            # a joiner that joins nothing
    ("张\u200b三", "张三", ["spaces"]),
])
def test_a_name_is_never_split_and_only_real_corrections_are_reported(tmp_path, cell, name,
                                                                      fixes):
    parsed = read_roster(write_csv(tmp_path / "n.csv", [["姓名", "学号"], [cell, "1"]]))
    assert parsed.records[0].name == name
    assert [f.code for f in parsed.fixes] == fixes
    for fix in parsed.fixes:  # what the report says is what happened
        assert fix.after == name


def test_an_address_keeps_its_emoji_and_a_number_its_joined_parts(tmp_path):
    parsed = read_roster(write_csv(tmp_path / "a.csv", [
        ["姓名", "学号", "现住址"], ["张三", "1", f"幸福路1号{FLAG}"]]))
    assert parsed.records[0].address == f"幸福路1号{FLAG}" and not parsed.fixes
    assert parsed.preview[0][1][2] == f"幸福路1号{FLAG}"


# --- workbooks that unpack past the limits ---------------------------------------------------

PROBE = textwrap.dedent("""
    import json, resource, sys
    cap = 1536 * 1024 * 1024  # a reader that inflates the file fails fast here
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    from db.roster_file import RosterFileError, read_roster
    from tui import i18n
    from tui.import_report import file_error
    out = {}
    try:
        out["rows"] = read_roster(sys.argv[1]).rows_read
    except RosterFileError as exc:
        out["code"] = exc.code
        for lang in ("en", "zh"):
            i18n.set_language(lang)
            out[lang] = file_error(exc)
    # this process's own high-water mark (ru_maxrss would carry pytest's over exec)
    out["peak_mb"] = int(next(line.split()[1] for line in open("/proc/self/status")
                              if line.startswith("VmHWM:"))) / 1024
    print(json.dumps(out))
""")


def probe(path, timeout=150) -> dict:
    """``read_roster(path)`` in a child process: its refusal and its peak memory."""
    done = subprocess.run([sys.executable, "-c", PROBE, str(path)], capture_output=True,
                          text=True, cwd=ROOT, timeout=timeout,
                          env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def _unpacked(path) -> tuple[int, int]:
    """(all parts, the largest part) as the zip declares them."""
    with zipfile.ZipFile(path) as archive:
        sizes = [i.file_size for i in archive.infolist()]
    return sum(sizes), max(sizes)


@pytest.mark.parametrize("what, build, code, limit", [
    ("one text cell of 300 MiB", dict(big_cell=300 * MIB), "too_big", "256 MB"),
    ("20 million identical cells", dict(rows=20_000, cells_per_row=1000), "too_big", "256 MB"),
    ("one shared string of 100 MiB", dict(shared_string=100 * MIB), "too_big_part", "64 MB"),
])
def test_a_small_workbook_that_unpacks_past_the_limit_is_refused_before_it_is_read(
        tmp_path, what, build, code, limit):
    path = rf.bomb_xlsx(tmp_path / "bomb.xlsx", **build)
    total, largest = _unpacked(path)
    assert os.path.getsize(path) < MIB, what
    assert total > XLSX_MAX_UNPACKED or largest > XLSX_MAX_PART, what
    found = probe(path)
    assert found.get("code") == code, found
    assert limit in found["en"] and limit in found["zh"]
    assert "CSV" in found["en"] and "CSV" in found["zh"]  # what to do
    for message in (found["en"], found["zh"]):
        assert "Error" not in message and "Exception" not in message and "zipfile" not in message
    assert found["peak_mb"] < 200, found


@pytest.mark.parametrize("what, build, code, limit", [
    ("3.1 million small cells (47 MB unpacked)", dict(rows=3100, cells_per_row=1000),
     "too_many_cells", f"{XLSX_MAX_CELLS:,}"),
    ("an empty row numbered 1,048,576", dict(last_row=1_048_576),
     "too_many_rows", f"{MAX_ROWS:,}"),
    ("one text cell of 200 MiB", dict(big_cell=200 * MIB), "cell_too_long", "1.0 MB"),
    ("one shared string of 50 MiB", dict(shared_string=50 * MIB), "cell_too_long", "1.0 MB"),
])
def test_a_sheet_past_the_cell_or_row_limit_is_refused_in_bounded_memory(tmp_path, what, build,
                                                                          code, limit):
    path = rf.bomb_xlsx(tmp_path / "cells.xlsx", **build)
    assert os.path.getsize(path) < MIB and _unpacked(path)[0] < XLSX_MAX_UNPACKED, what
    found = probe(path)
    assert found.get("code") == code, found
    assert limit in found["en"] and limit in found["zh"]
    assert found["peak_mb"] < 200, found


def test_a_csv_line_of_megabytes_is_refused_in_bounded_memory(tmp_path):
    path = tmp_path / "one-line.csv"
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("姓名,学号\n")
        for _ in range(100):  # 60 MB on one line: 30 million empty fields
            fh.write("," * (600 * 1024))
        fh.write("\n")
    found = probe(path)
    assert found.get("code") == "cell_too_long", found
    assert "1.0 MB" in found["en"] and "1.0 MB" in found["zh"]
    assert found["peak_mb"] < 200, found


def test_a_workbook_under_the_limits_is_read(tmp_path):
    """The check counts cells written with a namespace prefix too, and a file
    within the limits reads as before."""
    path = rf.bomb_xlsx(tmp_path / "ok.xlsx", rows=50, cells_per_row=2,
                        cell='<x:c xmlns:x="http://schemas.openxmlformats.org/spreadsheetml'
                             '/2006/main"><x:v>7</x:v></x:c>')
    parsed = read_roster(path)
    assert parsed.rows_read == 50 and parsed.sheet == "学生信息"


async def test_the_import_screen_shows_the_refusal_and_stays_usable(school, tmp_path):
    from screens.import_roster import ImportScreen
    from tests.helpers import make_app, settle, sign_in

    bomb = rf.bomb_xlsx(tmp_path / "bomb.xlsx", shared_string=100 * MIB)
    good = rf.class_list_csv(tmp_path / "class.csv")
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "wangf")
        await pilot.press("f10")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ImportScreen)
        screen.query_one("#import-path").value = str(bomb)
        await pilot.press("enter")
        await settle(pilot)
        assert "64 MB" in screen.lines[0] and "CSV" in screen.lines[0]
        assert screen.plan is None and not screen.busy
        screen.query_one("#import-path").value = str(good)
        await pilot.press("enter")
        await settle(pilot)
        assert screen.plan is not None and "Would add 4 students" in "\n".join(screen.lines)


# --- a large CSV -----------------------------------------------------------------------

RUN_CLI = textwrap.dedent("""
    import sys
    sys.argv = ["bangfu"] + sys.argv[1:]
    from tui.cli import main
    try:
        code = main()
    except SystemExit as exc:
        code = exc.code
    # this process's own high-water mark (ru_maxrss would carry pytest's over exec)
    peak = int(next(line.split()[1] for line in open("/proc/self/status")
                    if line.startswith("VmHWM:"))) / 1024
    print(f"PEAK_MB={peak:.0f}", file=sys.stderr)
    sys.exit(code or 0)
""")


def _cli_peak(tmp_path, db, *args) -> tuple[subprocess.CompletedProcess, float]:
    done = subprocess.run([sys.executable, "-c", RUN_CLI, "--db", str(db)] + list(args),
                          capture_output=True, text=True, encoding="utf-8", cwd=ROOT,
                          env=cli_env(tmp_path), input="1234\n", timeout=1500)
    peak = [line for line in done.stderr.splitlines() if line.startswith("PEAK_MB=")]
    assert peak, done.stderr[-2000:]
    return done, float(peak[-1].split("=")[1])


@pytest.mark.file_only  # the journal beside the file is what grew; minutes on a server too
@pytest.mark.timeout(900)
def test_a_large_csv_imports_in_bounded_memory(school, tmp_path):
    """The dry run and the import of 50,000 rows, each in a child process
    whose peak resident memory is measured.  Before, memory grew with the rows
    (200,000 rows: 2.4 GB measured here, most of it the journal's lines of the
    one transaction held in memory; 50,000: over 600 MB).  After: about 120 MB
    whatever the size (200,000 rows measured by hand: 65 MB dry run, 115 MB
    import), so 50,000 rows keep the suite's time down and still tell the two
    apart."""
    from db.models import Student

    n = 50_000
    path = rf.big_csv(tmp_path / "big.csv", n=n)
    dry, dry_peak = _cli_peak(tmp_path, school.path, "import", "roster", path, "--dry-run")
    assert dry.returncode == 0, dry.stderr[-2000:]
    assert f"Would add {n} students" in dry.stdout and "Dry run" in dry.stdout
    assert len(dry.stdout.splitlines()) < 5000  # the lists are cut, with a count
    done, peak = _cli_peak(tmp_path, school.path, "import", "roster", path, "--yes")
    assert done.returncode == 0, done.stderr[-2000:]
    assert f"Imported: {n} new" in done.stdout
    print(f"{n}-row CSV: dry run peak {dry_peak:.0f} MB, import peak {peak:.0f} MB")
    assert dry_peak < 250 and peak < 250, (dry_peak, peak)
    assert Student.select().count() == n + 7


@pytest.mark.file_only
def test_a_bulk_write_journals_the_same_lines_when_they_wait_in_a_file(tmp_path, monkeypatch):
    """The import's journal lines past ``journal_write.SPILL_LINES`` wait in a
    temporary file instead of memory: the journal written is the same."""
    from db.store import journal, journal_write
    from db.store.connection import close_database, open_database
    from db.roster_import import apply_import
    from db.staff import add_staff
    from tests.conftest import PIN_HASH

    source = rf.registry_xlsx(tmp_path / "registry.xlsx")

    def journaled(folder: Path, spill: int) -> list[dict]:
        monkeypatch.setattr(journal_write, "SPILL_LINES", spill)
        folder.mkdir()
        close_database()
        open_database(folder / "school.db", create=True)
        try:
            actor = add_staff(None, "汪静", "admin", pin_hash=PIN_HASH)
            apply_import(actor, plan_import(read_roster(source)))
            lines = journal.read_all(folder / "school.db").lines
        finally:
            close_database()
        for line in lines:  # made afresh for every row written
            line.pop("uuid", None)
            (line.get("row") or {}).pop("uuid", None)
        return lines

    spilled = journaled(tmp_path / "spilled", 3)
    kept = journaled(tmp_path / "kept", 10_000)
    assert len(kept) > 30 and spilled == kept
