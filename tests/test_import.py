"""Issue 7: a school's roster brought in with ``bangfu import roster`` and the
import screen (F10): the dry-run report row by row, the import, re-imports
that update and never duplicate, probable duplicates flagged, identity
numbers left out unless mapped, and the students found afterwards by name,
pinyin and initials.  The files are built by ``tests/roster_files.py``, whose
docstring says which row holds which trap."""

from __future__ import annotations

import openpyxl
import pytest

from db.models import AuditLog, Guardian, SchoolClass, Student
from db.roster import load_index
from db.roster_file import read_roster
from db.roster_import import apply_import, plan_import
from tests import roster_files
from tests.helpers import cli_env, make_app, run_cli, settle, sign_in

IMPORTED = {"20250301": "张伟", "20250302": "王磊", "20250303": "刘洋", "20250305": "王芳",
            "20250306": "李娜", "20250307": "赵敏", "20250319": "郭佳", "20250320": "林峰",
            "20250321": "高洁", "20250322": "罗宇", "20250324": "宋雨", "20250325": "韩雪",
            "20250326": "唐宁"}


def _numbers(prefix="2025") -> dict:
    return {s.student_no: s.name for s in Student.select().where(
        Student.student_no.startswith(prefix))}


@pytest.fixture
def gbk_file(tmp_path):
    return roster_files.registry_csv(tmp_path / "名册.csv", encoding="gbk")


@pytest.fixture
def xlsx_file(tmp_path):
    return roster_files.registry_xlsx(tmp_path / "registry.xlsx")


def test_the_dry_run_reports_every_row_and_writes_nothing(school, tmp_path, gbk_file):
    before = AuditLog.select().count()
    done = run_cli(cli_env(tmp_path), "import", "roster", gbk_file, "--dry-run", db=school.path)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "header on row 4, 26 rows read" in out and "text, gb18030" in out
    assert "身份证件号: identity numbers are not imported" in out
    assert ("Would add 13 students, update 0, leave 0 unchanged; make 3 classes; "
            "13 rows have problems and are left out.") in out
    for line in (
            "row 8  family phone: Excel lost the digits (scientific notation): type the "
            "number as text (1.38E+10)",
            "row 14  family phone: not a phone number (138202503)",
            "row 15  birth date: not a birth date (1990 to today) (20121345)",
            "row 16  birth date: not a birth date (1990 to today) (2030/1/1)",
            "row 17  birth date: not a birth date (1990 to today) (19850601)",
            "row 18  gender: not 男/女, 1/2 or M/F (未知)",
            "row 19  name: no name",
            "row 20  class: grade or class not understood (火箭班)",
            "row 21  class: the class names another grade",
            "row 22  student no.: no student number",
            "row 23  student no.: the same number as row 5",
            "row 24  orphan: not yes/no (是/否, 1/0) (不详)",
            "row 29  guardian's phone: not a phone number (1390000)",
            "row 6  family phone: trailing .0 removed 13820250302.0 → 13820250302",
            "row 7  family phone: scientific notation restored 1.3820250303E+10 → 13820250303",
            "row 9  student no.: full-width characters ２０２５０３０５ → 20250305",
            "row 10  guardian's name: spaces removed 李 建国 → 李建国",
            "row 13  family phone: several numbers: the first kept",
            "row 26  left-behind: 是 taken as one parent away 是 → one parent away",
            "row 32  birth date: year and month only: the 1st taken 201206 → 2012-06-01",
            "Rows skipped: 11 blank, 12 header repeated",
            "New classes: 7-3, 7-4, 9-1",
            "Dry run: nothing was written."):
        assert line in out, line
    assert "330105" not in out  # the identity numbers are never printed
    assert AuditLog.select().count() == before and not _numbers()


def test_import_then_find_by_name_pinyin_and_initials(school, tmp_path, xlsx_file):
    env = cli_env(tmp_path)
    done = run_cli(env, "import", "roster", xlsx_file, "--yes", db=school.path)
    assert done.returncode == 0, done.stderr
    assert ("Imported: 13 new, 0 updated, 0 unchanged, 3 classes made, "
            "13 rows with problems left out.") in done.stdout
    assert _numbers() == IMPORTED
    lin = Student.get(Student.student_no == "20250320")
    assert SchoolClass.get_by_id(lin.school_class_id).name == "七年级(3)班"
    assert lin.family_flags == "left_behind_one,only_child" and lin.id_number == ""
    guo = Student.get(Student.student_no == "20250319")
    assert guo.family_flags == "left_behind_both,migrant"
    assert [(g.name, g.relation, g.phone) for g in Guardian.select().where(
        Guardian.student == guo.id)] == [("刘桂兰", "grandmother", "057188886666")]
    zhang = Student.get(Student.student_no == "20250301")
    assert {(g.name, g.relation) for g in Guardian.select().where(
        Guardian.student == zhang.id)} == {("张建国", "father"), ("李秀英", "mother")}
    index = load_index()
    for query in ("郭佳", "guojia", "gj", "20250319"):
        assert "20250319" in [r.student_no for r in index.search(query)], query
    found = run_cli(env, "find", "luoyu", db=school.path)
    assert "罗宇" in found.stdout and "20250322" in found.stdout
    bulk = AuditLog.get(AuditLog.action == "bulk")
    assert '"new": 13' in bulk.changes and bulk.staff_id == school.teacher.id


def test_the_same_file_again_changes_nothing_and_an_update_is_reported(school, tmp_path,
                                                                         xlsx_file):
    env = cli_env(tmp_path)
    assert run_cli(env, "import", "roster", xlsx_file, "--yes", db=school.path).returncode == 0
    again = run_cli(env, "import", "roster", xlsx_file, "--yes", db=school.path)
    assert "Would add 0 students, update 0, leave 13 unchanged" in again.stdout
    assert "Nothing to import" in again.stdout
    # the next term: 张伟 moves to 7-4, 李娜's father has a new phone, a new student
    rows = list(roster_files.TRAP_ROWS)
    rows[0] = dict(rows[0], 班级="4班")
    rows[5] = dict(rows[5], 父亲联系电话="13600000000", 监护人联系电话="13600000000")
    rows.append(dict(rows[0], 姓名="张伟伟", 学号="20250399", 班级="4班"))
    roster_files.registry_xlsx(tmp_path / "next.xlsx", rows=rows)
    done = run_cli(env, "import", "roster", tmp_path / "next.xlsx", "--yes", db=school.path)
    assert done.returncode == 0, done.stderr
    assert "Would add 1 student, update 2, leave 11 unchanged" in done.stdout
    assert "row 5  20250301 张伟: class 7-3 → 7-4" in done.stdout
    assert "20250306 李娜: guardian" in done.stdout and "13600000000" in done.stdout
    assert len(_numbers()) == 14  # no duplicates
    zhang = Student.get(Student.student_no == "20250301")
    assert SchoolClass.get_by_id(zhang.school_class_id).code == "7-4" and zhang.version == 2
    li = Student.get(Student.student_no == "20250306")
    assert "13600000000" in [g.phone for g in Guardian.select().where(Guardian.student == li.id)]


def test_a_probable_duplicate_is_flagged_and_not_merged(school, tmp_path, xlsx_file):
    """Same name and birth date as 张伟 of the fixture school, another number."""
    rows = list(roster_files.TRAP_ROWS[:1])
    rows[0] = dict(rows[0], 姓名="张伟", 出生日期="2013-03-04", 学号="20259999")
    roster_files.registry_xlsx(tmp_path / "dup.xlsx", rows=rows)
    done = run_cli(cli_env(tmp_path), "import", "roster", tmp_path / "dup.xlsx", "--yes",
                   db=school.path)
    assert "row 5  20259999 张伟: same name and birth date as 20240101 张伟" in done.stdout
    assert Student.select().where(Student.name == "张伟").count() == 2


def test_an_identity_number_is_imported_only_when_mapped_and_never_shown(school, tmp_path,
                                                                          xlsx_file):
    env = cli_env(tmp_path)
    done = run_cli(env, "import", "roster", xlsx_file, "--map", "身份证件号=id_number",
                   "--yes", db=school.path)
    assert done.returncode == 0, done.stderr
    stored = Student.get(Student.student_no == "20250301").id_number
    assert len(stored) == 18 and stored not in done.stdout
    assert "row 30  identity number: not an identity number" in done.stdout
    show = run_cli(env, "show", "20250301", db=school.path)
    assert stored not in show.stdout and stored[6:14] not in show.stdout


def test_only_managers_import_and_a_pipe_needs_yes(school, tmp_path, gbk_file):
    env = cli_env(tmp_path)
    refused = run_cli(env, "import", "roster", gbk_file, "--yes", "--as", "李建国",
                      db=school.path)
    assert refused.returncode == 4 and not _numbers()
    asked = run_cli(env, "import", "roster", gbk_file, db=school.path)
    assert asked.returncode == 2 and "add --yes" in asked.stderr and not _numbers()
    bad = run_cli(env, "import", "roster", tmp_path / "missing.xlsx", db=school.path)
    assert bad.returncode == 2 and "Cannot read this file" in bad.stderr


def test_an_english_class_list_with_a_mapping(school, tmp_path):
    path = roster_files.class_list_csv(tmp_path / "class.csv", encoding="utf-8-sig")
    parsed = read_roster(path)
    plan = plan_import(parsed)
    assert plan.count("new") == 4 and {p.row for p in parsed.problems} == {6, 7}
    apply_import(school.teacher, plan)
    assert {s.name for s in Student.select().where(Student.student_no.startswith("S"))} == {
        "Li Ming", "王小红", "陈刚", "Anna Smith"}


def test_five_thousand_rows_import_in_one_go(school, tmp_path):
    path = roster_files.big_csv(tmp_path / "big.csv", n=5000)
    seen = []
    plan = plan_import(read_roster(path))
    result = apply_import(school.teacher, plan, progress=lambda d, t: seen.append((d, t)))
    assert result.new == 5000 and seen[-1] == (5000, 5000)
    assert Student.select().count() == 5007
    assert SchoolClass.select().count() == 30  # grades 7-9, classes 1-10 (7-1 and 8-2 existed)


# -- the import screen (F10) -----------------------------------------------------------------

async def test_the_import_screen_previews_then_imports_after_y(school, tmp_path, xlsx_file):
    from screens.import_roster import ImportScreen

    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "wangf")
        await pilot.press("f10")
        await settle(pilot)
        assert isinstance(app.screen, ImportScreen)
        app.screen.query_one("#import-path").value = str(xlsx_file)
        await pilot.press("enter")
        await settle(pilot)
        report = "\n".join(app.screen.lines)
        assert "Would add 13 students" in report and "row 8  family phone" in report
        assert not _numbers()
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("n")  # not yet
        await settle(pilot)
        assert not _numbers()
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot, 6)
        assert "Imported: 13 new" in app.screen.lines[0]
        assert [r.name for r in app.index.search("gaojie")] == ["高洁"]
    assert _numbers() == IMPORTED


async def test_a_teacher_has_no_import_key(school):
    from screens.import_roster import ImportScreen

    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "lijianguo")
        await pilot.press("f10")
        await settle(pilot)
        assert not isinstance(app.screen, ImportScreen)


def test_the_workbook_the_tests_build_is_a_real_registry_export(xlsx_file):
    sheet = openpyxl.load_workbook(xlsx_file).active
    assert [str(r) for r in sheet.merged_cells.ranges] == ["A1:Q1"] and sheet["A4"].value == "姓名*"


def test_a_roster_changed_since_the_preview_writes_nothing(school, tmp_path, xlsx_file):
    from db.roster_import import RosterChanged
    from db.students import StudentInput, save_student

    plan = plan_import(read_roster(xlsx_file))
    save_student(school.teacher, StudentInput(student_no="20250301", name="别人先加的"))
    with pytest.raises(RosterChanged):
        apply_import(school.teacher, plan)
    assert _numbers() == {"20250301": "别人先加的"}
