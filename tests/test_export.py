"""Exports of students, cases and contacts (db/export_rows.py, tui/cli_export.py):
what the reader may see and nothing more, in .csv and .xlsx, in both languages.

The small school (tests/conftest.py): 王芳 (admin) leads 张伟 and 曾小明;
李建国 (teacher, no classes) leads 赵薇 and [bold]王[/; 曾老师 is a counsellor.
The fixture's one entry (on 张伟, by 王芳, 2026-11-02) says "… sleep \\x1b[31mred…".
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from db import access
from db.export_rows import COLUMNS, EXPORTS, columns_for, export_table
from db.models import Assignment, Case, Contact, SchoolClass, Staff, Student
from db.staff import add_staff
from db.students import add_guardian, create_student
from tests.conftest import NOW, PIN_HASH, TODAY
from tests.helpers import cli_env, run_cli
from tui import export_files as cli_export
from tui import i18n

SECRET = "SECRET-counselling-talk"
SECRET_FIELD = "SECRET-family-conflict"
ID_NUMBER = "110101201303040015"


@pytest.fixture
def env(tmp_path, local_state):
    env = cli_env(tmp_path, local_state)
    env["BANGFU_EXPORT_DIR"] = str(tmp_path / "exports")  # never the user's folder
    return env


def restricted_entry(school, **texts):
    """A counselling entry on 张伟 by 王芳: its texts must never be exported."""
    values = dict(participants=f"{SECRET}-who", discussed=SECRET, agreed=f"{SECRET}-agreed",
                  follow_up=f"{SECRET}-follow")
    values.update(texts)
    return Contact.create(uuid="00000000-0000-4000-8000-0000000000c1", case=school.cases["张伟"].id,
                          author=school.teacher.id, occurred_at=dt.datetime(2026, 11, 10, 9, 0),
                          kind="student", channel="face", restricted="counselling",
                          follow_up_due=dt.date(2026, 11, 30), host="test", created_at=NOW,
                          **values)


def confidential_field(school, name="赵薇"):
    """赵薇's case (led by 李建国): the cause analysis marked confidential."""
    Case.update(cause_analysis=SECRET_FIELD, restricted_fields="cause_analysis").where(
        Case.id == school.cases[name].id).execute()


def teacher_of(code: str, name="孙老师", role="teacher"):
    person = add_staff(None, name, role, pin_hash=PIN_HASH)
    Staff.update(classes=code).where(Staff.id == person.id).execute()
    return Staff.get_by_id(person.id)


def volunteer_on(school, name="张伟"):
    person = add_staff(None, "志愿者小李", "volunteer", pin_hash=PIN_HASH)
    Assignment.create(case=school.cases[name].id, staff=person.id, role="volunteer",
                      active=True, assigned_on=TODAY)
    return person


def every_cell(table) -> list[str]:
    return [str(v) for row in table.rows for v in row]


def read_csv(path) -> list[list[str]]:
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Chinese Excel reads it
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def read_xlsx(path) -> list[list]:
    from openpyxl import load_workbook

    return [list(row) for row in load_workbook(path).active.iter_rows(values_only=True)]


def export_file(env, school, what, fmt, tmp_path, *args, who=None, pin="1234"):
    out = tmp_path / f"{what}.{fmt}"
    extra = ("--as", who) if who else ()
    proc = run_cli(env, "export", what, "-o", out, *extra, *args, db=school.path, pin=pin)
    assert proc.returncode == 0, proc.stderr
    return read_csv(out) if fmt == "csv" else read_xlsx(out)


# -- the rows ----------------------------------------------------------------------------------

def test_the_exports_and_their_columns():
    assert EXPORTS == cli_export.WHAT == ("students", "cases", "contacts")
    for what in EXPORTS:
        assert "id_number" not in COLUMNS[what]
        for code in COLUMNS[what]:
            assert f"export.col.{code}" in i18n.CATALOG, code


def test_an_administrator_exports_everyone(school):
    students = export_table("students", school.teacher)
    assert students.column("student_no") == [f"2024010{i}" for i in range(1, 8)]
    row = dict(zip(students.columns, students.rows[0]))
    assert row["name"] == "张伟" and row["class"] == "七年级(1)班" and row["gender"] == "M"
    assert row["birth_date"] == dt.date(2013, 3, 4) and row["family_flags"] == "left_behind_one"
    assert row["status"] == "active" and row["lead"] == "王芳"
    assert [tuple(g) for g in row["guardians"]] == [("张父", "father", "13800000000"),
                                                    ("刘梅", "mother", "13900000000")]
    assert students.column("status")[3] == "" and students.column("lead")[3] == ""

    cases = export_table("cases", school.teacher)
    assert cases.column("name") == ["张伟", "赵薇", "曾小明", "[bold]王[/"]
    row = dict(zip(cases.columns, cases.rows[0]))
    assert row["causes"] == "habits,left_behind" and row["main_problems"] == "作业经常不交"
    assert row["contacts"] == 1 and row["last_contact"] == dt.date(2026, 11, 2)
    assert row["opened_on"] == TODAY and row["closed_on"] is None and row["lead"] == "王芳"

    contacts = export_table("contacts", school.teacher)
    row = dict(zip(contacts.columns, contacts.rows[0]))
    assert row["occurred_at"] == dt.datetime(2026, 11, 2, 16, 0) and row["author"] == "王芳"
    assert row["agreed"] == "Check homework daily" and row["restricted"] == ""
    assert row["follow_up_due"] == dt.date(2026, 11, 25) and row["duration_min"] == 10


def test_the_team_and_the_lead(school):
    case_id = school.cases["张伟"].id
    Assignment.create(case=case_id, staff=school.other.id, role="tutor", active=True)
    Assignment.create(case=case_id, staff=Staff.get(Staff.name == "曾老师").id,
                      role="counsellor", active=False)  # no longer on the team
    table = export_table("cases", school.teacher)
    row = dict(zip(table.columns, table.rows[0]))
    assert row["lead"] == "王芳" and [tuple(p) for p in row["team"]] == [("李建国", "tutor")]


def test_a_teacher_exports_only_the_students_they_see(school):
    # 李建国: no classes, leads 赵薇 and [bold]王[/; 孙老师 teaches 8-2
    sun = teacher_of("8-2")
    for what in EXPORTS:
        names = set(export_table(what, school.other).column("name"))
        assert names <= {"赵薇", "[bold]王[/"}, what
    assert export_table("students", school.other).column("name") == ["赵薇", "[bold]王[/"]
    assert export_table("contacts", school.other).rows == []  # 张伟's entry is not theirs
    assert export_table("students", sun).column("student_no") == [
        "20240104", "20240105", "20240106", "20240107"]
    assert export_table("cases", sun).column("name") == ["[bold]王[/"]


def test_a_class_teacher_exports_their_class_and_their_cases(school):
    head = add_staff(None, "吴班主", "class_teacher", pin_hash=PIN_HASH)
    SchoolClass.update(head_teacher=head.id).where(SchoolClass.code == "8-2").execute()
    Assignment.create(case=school.cases["张伟"].id, staff=head.id, role="tutor", active=True)
    head = Staff.get_by_id(head.id)
    assert export_table("students", head).column("student_no") == [
        "20240101", "20240104", "20240105", "20240106", "20240107"]
    assert export_table("contacts", head).column("name") == ["张伟"]


def test_volunteers_may_not_export(school):
    helper = volunteer_on(school)
    for what in EXPORTS:
        with pytest.raises(access.NotAllowed):
            export_table(what, helper)
    with pytest.raises(access.NotAllowed):
        export_table("students", None)
    # were they ever given rows: no family details, no cause analysis
    assert "phone" not in columns_for("students", helper)
    assert "address" not in columns_for("students", helper)
    assert "cause_analysis" not in columns_for("cases", helper)
    assert columns_for("students", school.teacher) == list(COLUMNS["students"])


def test_a_restricted_entrys_text_is_in_no_export(school):
    restricted_entry(school)
    for reader in (school.teacher, Staff.get(Staff.name == "曾老师")):  # author, counsellor
        table = export_table("contacts", reader)
        row = dict(zip(table.columns, table.rows[-1]))
        assert row["restricted"] == "counselling" and row["occurred_at"].day == 10
        assert row["follow_up_due"] == dt.date(2026, 11, 30)
        for what in EXPORTS:
            assert not any(SECRET in c for c in every_cell(export_table(what, reader))), what


def test_a_restricted_case_field_is_blank_for_a_teacher_who_is_not_the_lead(school):
    confidential_field(school)
    sun = teacher_of("7-1")  # sees 赵薇 (7-1) through the class
    Assignment.create(case=school.cases["赵薇"].id, staff=sun.id, role="tutor", active=True)

    def field_of(reader):
        table = export_table("cases", reader)
        row = dict(zip(table.columns, table.rows[table.column("name").index("赵薇")]))
        assert row["restricted_fields"] == "cause_analysis"
        return row["cause_analysis"]

    assert field_of(sun) == ""
    assert field_of(school.other) == SECRET_FIELD  # the lead
    assert field_of(school.teacher) == SECRET_FIELD  # an administrator
    assert field_of(Staff.get(Staff.name == "曾老师")) == SECRET_FIELD  # a counsellor


def test_the_identity_number_is_never_read(school):
    Student.update(id_number=ID_NUMBER, address="幸福路 1 号", phone="0571-1234567").where(
        Student.id == school.students["张伟"].id).execute()
    table = export_table("students", school.teacher)
    row = dict(zip(table.columns, table.rows[0]))
    assert row["address"] == "幸福路 1 号" and row["phone"] == "0571-1234567"
    for what in EXPORTS:
        assert not any(ID_NUMBER[:10] in c for c in every_cell(export_table(what, school.teacher)))


def test_contacts_between_two_days(school):
    def days(since, until):
        return len(export_table("contacts", school.teacher, since, until).rows)

    assert days(dt.date(2026, 11, 2), dt.date(2026, 11, 2)) == 1
    assert days(dt.date(2026, 11, 3), None) == 0
    assert days(None, dt.date(2026, 11, 1)) == 0


def test_progress_follows_the_work(school, tmp_path):
    seen = []
    table = export_table("students", school.teacher, progress=lambda d, n: seen.append((d, n)))
    assert seen[-1][0] == seen[-1][1] and len(seen) > 1
    seen.clear()
    written = cli_export.write_export(table, "xlsx", tmp_path / "x.xlsx",
                                      progress=lambda d, n: seen.append((d, n)))
    assert written == tmp_path / "x.xlsx" and seen[-1] == (7, 7)
    assert not list(tmp_path.glob(".x.xlsx.*"))
    with pytest.raises(ValueError):
        cli_export.write_export(table, "md", tmp_path / "x.md")


# -- the files -----------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_students_file(school, env, tmp_path, fmt):
    rows = export_file(env, school, "students", fmt, tmp_path)
    assert rows[0][:4] == ["Student no.", "Name", "Gender", "Class"]
    row = dict(zip(rows[0], rows[1]))
    assert row["Name"] == "张伟" and row["Gender"] == "male" and row["Case status"] == "active"
    assert row["Family situation"] == "one parent away"
    assert row["Guardians"] == "张父 (father) 13800000000; 刘梅 (mother) 13900000000"
    assert row["Date of birth"] == ("2013-03-04" if fmt == "csv" else dt.datetime(2013, 3, 4))
    assert len(rows) == 8


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_cases_file(school, env, tmp_path, fmt):
    rows = export_file(env, school, "cases", fmt, tmp_path)
    row = dict(zip(rows[0], rows[1]))
    assert row["Name"] == "张伟" and row["Risk"] == "medium" and row["Lead"] == "王芳"
    assert row["Causes"] == "study habits, parents working away"
    assert row["Main problems"] == "作业经常不交" and row["Contacts"] in ("1", 1)
    assert len(rows) == 5


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_contacts_file(school, env, tmp_path, fmt):
    restricted_entry(school)
    rows = export_file(env, school, "contacts", fmt, tmp_path)
    assert len(rows) == 3
    first, second = (dict(zip(rows[0], r)) for r in rows[1:])
    assert first["Channel"] == "WeChat" and first["With"] == "family"
    assert first["Discussed"] == "Talked about homework [/] and sleep red"  # no escapes
    assert first["Date and time"] == ("2026-11-02 16:00" if fmt == "csv"
                                      else dt.datetime(2026, 11, 2, 16, 0))
    assert second["Confidential"] == "restricted entry (counselling)"
    assert not second["Discussed"] and not second["Participants"]
    cells = [str(c) for row in rows for c in row]
    assert not any(SECRET in c for c in cells)
    assert not any("\x1b" in c for c in cells)


def test_no_export_holds_restricted_text_or_the_identity_number(school, env, tmp_path):
    restricted_entry(school)
    Student.update(id_number=ID_NUMBER).where(Student.id == school.students["张伟"].id).execute()
    for what in EXPORTS:
        for fmt in ("csv", "xlsx"):
            cells = [str(c) for row in export_file(env, school, what, fmt, tmp_path)
                     for c in row]
            assert not any(SECRET in c or ID_NUMBER in c for c in cells), (what, fmt)
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("*.csv"))
    assert SECRET.encode() not in raw and ID_NUMBER.encode() not in raw


def test_a_teachers_file_holds_only_their_students(school, env, tmp_path):
    restricted_entry(school)
    for what in EXPORTS:
        rows = export_file(env, school, what, "csv", tmp_path, who="李建国")
        names = {dict(zip(rows[0], r))["Name"] for r in rows[1:]}
        assert names <= {"赵薇", "[bold]王[/"}, what
        assert "张伟" not in str(rows)


def test_a_confidential_field_is_blank_in_a_non_leads_file(school, env, tmp_path):
    confidential_field(school, "张伟")  # led by 王芳
    Assignment.create(case=school.cases["张伟"].id, staff=school.other.id, role="tutor",
                      active=True)
    rows = export_file(env, school, "cases", "xlsx", tmp_path, who="李建国")
    row = dict(zip(rows[0], rows[[r[1] for r in rows].index("张伟")]))
    assert row["Cause analysis"] is None and row["Confidential fields"] == "Cause analysis"
    assert SECRET_FIELD not in str(rows)
    rows = export_file(env, school, "cases", "csv", tmp_path)  # the lead
    assert SECRET_FIELD in str(rows)


def test_a_volunteer_is_refused(school, env, tmp_path):
    volunteer_on(school)
    for what in EXPORTS:
        proc = run_cli(env, "export", what, "--as", "志愿者小李", db=school.path)
        assert proc.returncode == 4, proc.stderr
        assert proc.stdout == "" and len(proc.stderr.strip().splitlines()) == 1
        assert "volunteer" in proc.stderr
    assert not (tmp_path / "exports").exists() or not any((tmp_path / "exports").iterdir())
    proc = run_cli(env, "export", "students", db=school.path, pin="0000")
    assert proc.returncode == 4 and proc.stdout == ""


def test_formula_cells_are_neutralized(school, env, tmp_path):
    klass = SchoolClass.get(SchoolClass.code == "7-1")
    evil = create_student(None, student_no="@SUM(1)", name="=HYPERLINK(\"http://x\",\"x\")",
                          class_id=klass.id)
    add_guardian(None, evil.id, name="+1 guardian", relation="other", phone="-2")
    Contact.create(uuid="00000000-0000-4000-8000-0000000000e1", case=school.cases["张伟"].id,
                   author=school.teacher.id, occurred_at=dt.datetime(2026, 11, 3, 9, 0),
                   kind="family", channel="phone", discussed="=1+1", agreed="\t@cmd",
                   follow_up="-3+3", host="test", created_at=NOW)
    for fmt in ("csv", "xlsx"):
        for what in ("students", "contacts"):
            rows = export_file(env, school, what, fmt, tmp_path)
            cells = [c for row in rows for c in row if isinstance(c, str) and c]
            assert not any(c[0] in "=+-@\t\r" for c in cells), (fmt, what, cells)
        students = export_file(env, school, "students", fmt, tmp_path)
        assert "'@SUM(1)" in [r[0] for r in students]
        assert "'=HYPERLINK(\"http://x\",\"x\")" in [r[1] for r in students]
        assert "'+1 guardian (other) -2" in [r[8] for r in students]
        contacts = export_file(env, school, "contacts", fmt, tmp_path)
        assert ["'=1+1", "'@cmd", "'-3+3"] in [r[8:11] for r in contacts]
    from openpyxl import load_workbook

    sheet = load_workbook(tmp_path / "contacts.xlsx").active
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_chinese_headers_and_labels(school, env, tmp_path):
    restricted_entry(school)
    env = dict(env, LANG="zh_CN.UTF-8")
    rows = export_file(env, school, "students", "xlsx", tmp_path)
    assert rows[0][:4] == ["学号", "姓名", "性别", "班级"]
    row = dict(zip(rows[0], rows[1]))
    assert row["性别"] == "男" and row["帮扶状态"] == "帮扶中" and row["家庭情况"] == "单亲外出务工"
    assert row["监护人"] == "张父（父亲） 13800000000; 刘梅（母亲） 13900000000"
    rows = export_file(env, school, "cases", "csv", tmp_path)
    assert rows[0][0] == "学号" and dict(zip(rows[0], rows[1]))["原因"] == "学习习惯、父母外出务工（留守）"
    rows = export_file(env, school, "contacts", "csv", tmp_path, "--lang", "zh")
    assert rows[0][:3] == ["日期时间", "学号", "姓名"]
    assert dict(zip(rows[0], rows[2]))["保密"] == "保密记录（心理辅导）"
    from openpyxl import load_workbook

    assert load_workbook(tmp_path / "students.xlsx").active.title == "学生名单"


def test_without_o_the_file_goes_to_the_export_folder(school, env, tmp_path):
    proc = run_cli(env, "export", "cases", db=school.path)
    assert proc.returncode == 0, proc.stderr
    files = list((tmp_path / "exports").iterdir())
    assert [f.name for f in files] == [files[0].name] and files[0].suffix == ".xlsx"
    assert files[0].name.startswith("cases-20261120-")
    assert str(files[0]) in proc.stdout and "4 rows" in proc.stdout
    out = tmp_path / "folder"
    out.mkdir()
    proc = run_cli(env, "export", "students", "--format", "csv", "-o", out, db=school.path)
    assert proc.returncode == 0, proc.stderr
    assert [f.suffix for f in out.iterdir()] == [".csv"]


def test_since_and_until_narrow_the_contacts(school, env, tmp_path):
    assert len(export_file(env, school, "contacts", "csv", tmp_path,
                           "--since", "2026-11-02", "--until", "11-02")) == 2
    assert len(export_file(env, school, "contacts", "csv", tmp_path, "--since", "-7")) == 1


@pytest.mark.parametrize("args, words", [
    (("students", "--since", "-7"), "--since and --until"),
    (("contacts", "--since", "soon"), "Invalid --since"),
    (("contacts", "--since", "11-20", "--until", "11-01"), "before --since"),
    (("cases", "-o", "cases.md"), ".md"),
    (("everything",), "invalid choice"),
])
def test_cli_errors_are_one_line(school, env, args, words):
    proc = run_cli(env, "export", *args, db=school.path)
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("bangfu: ") and words in lines[0]
    assert proc.stdout == ""


# -- the export screen (F12) ---------------------------------------------------------------------

async def test_the_export_screen_writes_what_the_teacher_sees(school, tmp_path, monkeypatch):
    import csv as csvlib

    from screens.export import ExportScreen
    from tests.helpers import make_app, settle, sign_in

    monkeypatch.setenv("BANGFU_EXPORT_DIR", str(tmp_path / "out"))
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "lijianguo")
        await pilot.press("f12")
        await settle(pilot)
        assert isinstance(app.screen, ExportScreen)
        await pilot.press("s", "tab", "v", "ctrl+s")
        await settle(pilot, 5)
    written = list((tmp_path / "out").glob("*.csv"))
    assert len(written) == 1
    with open(written[0], encoding="utf-8-sig", newline="") as fh:
        names = {row[1] for row in list(csvlib.reader(fh))[1:]}
    assert names == {"赵薇", "[bold]王[/"}  # only the cases 李建国 leads
