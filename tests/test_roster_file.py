"""Reading a school's roster file: db.roster_file (no database, no Textual).

The registry files and their row-by-row traps are built in tests.roster_files;
its docstring says which row holds which trap.
"""

from __future__ import annotations

import csv
import datetime as dt
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from db.roster_cells import parse_class, parse_grade
from db.roster_file import (FIELDS, FIX_CODES, PROBLEM_CODES, SKIP_CODES, GuardianRecord, RosterFileError,
                            RosterRecord, parse_mapping, read_roster)
from tests import roster_files as rf

PROBLEMS = {
    8: [("phone", "digits_lost")],
    14: [("phone", "bad_phone")],
    15: [("birth_date", "bad_date")],
    16: [("birth_date", "bad_date")],
    17: [("birth_date", "bad_date")],
    18: [("gender", "bad_gender")],
    19: [("name", "missing_name")],
    20: [("class", "bad_class")],
    21: [("class", "class_grade_mismatch")],
    22: [("student_no", "missing_number")],
    23: [("student_no", "duplicate_number")],
    24: [("orphan", "bad_flag")],
    29: [("guardian1_phone", "bad_phone")],
}
FIXES_BOTH = {
    9: [("name", "spaces"), ("phone", "full_width"), ("student_no", "full_width")],
    10: [("guardian1_name", "spaces"), ("name", "spaces"), ("phone", "spaces"),
         ("student_no", "spaces")],
    13: [("phone", "several_phones")],
    26: [("left_behind", "left_behind_assumed")],
    32: [("birth_date", "month_only"), ("student_no", "trailing_zero")],
}
FIXES_XLSX = {**FIXES_BOTH,
              6: [("phone", "number_cell"), ("student_no", "number_cell")],
              7: [("phone", "number_cell")],
              27: [("class", "date_cell")]}
FIXES_CSV = {**FIXES_BOTH,
             6: [("phone", "trailing_zero")],
             7: [("birth_date", "trailing_zero"), ("phone", "scientific")]}
RECORD_ROWS = [5, 6, 7, 9, 10, 13, 25, 26, 27, 28, 30, 31, 32]


def by_row(items) -> dict[int, list[tuple[str, str]]]:
    out: dict[int, list] = {}
    for item in items:
        out.setdefault(item.row, []).append((item.field, item.code))
    return {row: sorted(pairs) for row, pairs in out.items()}


@pytest.fixture
def xlsx(tmp_path):
    return rf.registry_xlsx(tmp_path / "名册.xlsx")


def write_csv(path, rows, encoding="utf-8", delimiter=","):
    with open(path, "w", encoding=encoding, newline="") as fh:
        csv.writer(fh, delimiter=delimiter).writerows(rows)
    return path


# --- the registry file, row by row ---------------------------------------------------


def test_every_trap_in_the_registry_xlsx_lands_on_its_row(xlsx):
    parsed = read_roster(xlsx)
    assert (parsed.kind, parsed.encoding, parsed.sheet) == ("xlsx", "", "学生信息")
    assert parsed.header_row == 4
    assert parsed.skipped == [(11, "blank"), (12, "repeated_header")]
    assert parsed.rows_read == 26
    assert by_row(parsed.problems) == PROBLEMS
    assert by_row(parsed.fixes) == FIXES_XLSX
    assert [r.row for r in parsed.records] == RECORD_ROWS
    assert next(p for p in parsed.problems if p.row == 23).value == "5"
    assert next(p for p in parsed.problems if p.row == 8).value == "1.38E+10"


@pytest.mark.parametrize("encoding, detected", [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gbk", "gb18030")])
def test_the_csv_in_every_encoding_gives_the_xlsx_records(tmp_path, xlsx, encoding, detected):
    path = rf.registry_csv(tmp_path / "名册.csv", encoding)
    parsed = read_roster(path)
    assert (parsed.kind, parsed.encoding, parsed.sheet, parsed.header_row) == \
        ("csv", detected, "", 4)
    assert parsed.skipped == [(11, "blank"), (12, "repeated_header")]
    assert by_row(parsed.problems) == PROBLEMS
    assert by_row(parsed.fixes) == FIXES_CSV
    assert parsed.records == read_roster(xlsx).records


def test_columns_preview_and_the_identity_column(xlsx):
    parsed = read_roster(xlsx)
    fields = [c.field for c in parsed.columns]
    assert fields == ["name", "gender", "birth_date", "grade", "class", "student_no",
                      "class_no", "aux_no", None, "address", "phone", "left_behind",
                      "only_child", "orphan", "migrant", "guardian1_name",
                      "guardian1_relation", "guardian1_phone", "father_name", "father_phone",
                      "mother_name", "mother_phone"]
    assert [c.header for c in parsed.columns][:6] == ["姓名*", "性别", "出生日期", "年级",
                                                      "班级", "学号（必填）"]
    assert parsed.columns[10].header == "联系 电话"
    assert parsed.id_column == "身份证件号"
    assert [n for n, _ in parsed.preview] == [5, 6, 7, 8, 9]
    assert parsed.preview[0][1][:3] == ["张伟", "男", "2012-03-15"]
    assert all(len(cells) == len(parsed.columns) for _, cells in parsed.preview)
    assert all(r.id_number == "" for r in parsed.records)


def test_what_the_clean_and_the_corrected_rows_hold(xlsx):
    records = {r.row: r for r in read_roster(xlsx).records}
    assert records[5] == RosterRecord(
        row=5, student_no="20250301", name="张伟", gender="M", birth_date=dt.date(2012, 3, 15),
        grade=7, class_code="7-3", class_name="七年级(3)班", address="浙江省杭州市拱墅区湖墅南路1号",
        phone="13820250301",
        flags={"left_behind_one": False, "left_behind_both": False, "only_child": True,
               "orphan": False, "migrant": False},
        guardians=[GuardianRecord("张建国", "father", "13920250301"),
                   GuardianRecord("李秀英", "mother", "13720250301")])
    assert (records[6].student_no, records[6].gender, records[6].birth_date, records[6].phone) \
        == ("20250302", "M", dt.date(2012, 5, 16), "13820250302")
    assert records[6].guardians[0] == GuardianRecord("王建国", "father", "13920250302")
    assert (records[7].gender, records[7].birth_date, records[7].class_code,
            records[7].phone) == ("F", dt.date(2012, 6, 7), "7-3", "13820250303")
    assert (records[9].name, records[9].student_no, records[9].phone) == \
        ("王芳", "20250305", "13820250305")
    assert (records[10].name, records[10].student_no, records[10].phone) == \
        ("李娜", "20250306", "13820250306")
    assert [g.name for g in records[10].guardians] == ["李建国", "李秀英"]
    assert (records[13].phone, records[13].class_code, records[13].class_name) == \
        ("13820250307", "7-4", "七年级(4)班")
    assert (records[25].grade, records[25].class_code, records[25].phone) == (7, "7-4", "")
    assert records[25].flags == {"left_behind_one": False, "left_behind_both": True,
                                 "only_child": False, "orphan": False, "migrant": True}
    assert records[25].guardians == [GuardianRecord("刘桂兰", "grandmother", "057188886666")]
    assert records[26].flags["left_behind_one"] is True
    assert records[26].class_code == "7-3"
    assert records[27].class_code == "7-3"
    assert (records[28].grade, records[28].class_code, records[28].class_name,
            records[28].birth_date, records[28].flags) == \
        (9, "9-1", "九年级(1)班", dt.date(2010, 9, 1), {})
    assert records[28].guardians == [GuardianRecord("罗建华", "guardian", "13920250322")]
    assert records[30].class_code == "7-4"
    assert records[31].name == "韩雪" and records[31].gender == "F"
    assert (records[32].student_no, records[32].birth_date, records[32].flags["only_child"]) \
        == ("20250326", dt.date(2012, 6, 1), True)


def test_control_characters_never_reach_a_record(tmp_path):
    parsed = read_roster(rf.registry_csv(tmp_path / "r.csv"))
    row = next(r for r in parsed.records if r.row == 31)
    assert row.name == "韩雪"
    assert not any("\x1b" in cell for _, cells in parsed.preview for cell in cells)


# --- the identity number -------------------------------------------------------------


@pytest.mark.parametrize("build", [rf.registry_xlsx, rf.registry_csv])
def test_the_identity_number_is_read_only_when_mapped(tmp_path, build):
    path = build(tmp_path / ("r.xlsx" if build is rf.registry_xlsx else "r.csv"))
    parsed = read_roster(path, {"身份证件号": "id_number"})
    assert parsed.id_column == ""
    assert parsed.columns[8].field == "id_number"
    assert by_row(parsed.problems) == {**PROBLEMS, 6: [("id_number", "digits_lost")],
                                       30: [("id_number", "bad_id_number")]}
    records = {r.row: r for r in parsed.records}
    assert records[5].id_number == "330105201203150301"
    assert 6 not in records and 30 not in records


def test_an_identity_number_is_upper_cased_and_checked(tmp_path):
    path = write_csv(tmp_path / "ids.csv", [
        ["姓名", "学号", "身份证号"],
        ["甲", "1", "33010520120315001x"],
        ["乙", "2", "330105120315001"],
        ["丙", "3", "3301052012031500AB"],
        ["丁", "4", ""]])
    parsed = read_roster(path, parse_mapping(["身份证号=id_number"]))
    assert [(r.row, r.id_number) for r in parsed.records] == \
        [(2, "33010520120315001X"), (3, "330105120315001"), (5, "")]
    assert by_row(parsed.problems) == {4: [("id_number", "bad_id_number")]}
    unmapped = read_roster(path)
    assert unmapped.id_column == "身份证号"
    assert [r.id_number for r in unmapped.records] == ["", "", "", ""]


# --- mapping -------------------------------------------------------------------------


def test_parse_mapping():
    assert parse_mapping(["电话=phone", " 学籍号 = student_no ", "序号=-", "备注=ignore"]) == \
        {"电话": "phone", "学籍号": "student_no", "序号": "-", "备注": "ignore"}
    assert parse_mapping([]) == {}
    for item in ("电话=phne", "电话", "=phone", "电话=", "电话=name=x"):
        with pytest.raises(RosterFileError) as err:
            parse_mapping([item])
        assert err.value.code == "bad_mapping"
        assert err.value.extra == {"item": item}


def test_a_mapping_picks_the_column_and_overrides_recognition(tmp_path):
    path = write_csv(tmp_path / "m.csv", [
        ["学生", "编号", "联系电话", "电话", "家长手机号码"],
        ["张三", "A1", "13800000001", "13900000001", "13700000001"]])
    with pytest.raises(RosterFileError) as err:
        read_roster(path)  # two phone columns, but 学生 is not recognised as the name
    assert err.value.code == "no_name"
    mapping = parse_mapping(["学生=name", "编号=student_no", "电话=phone",
                             "家长手机号码=guardian1_phone"])
    parsed = read_roster(path, mapping)
    assert [c.field for c in parsed.columns] == ["name", "student_no", None, "phone",
                                                 "guardian1_phone"]
    (record,) = parsed.records
    assert (record.name, record.student_no, record.phone) == ("张三", "A1", "13900000001")
    assert record.guardians == []  # a phone without a name is no guardian


def test_a_mapping_can_ignore_a_column(tmp_path):
    path = write_csv(tmp_path / "m.csv", [["姓名", "学号", "联系电话"], ["张三", "1", "12"]])
    assert by_row(read_roster(path).problems) == {2: [("phone", "bad_phone")]}
    parsed = read_roster(path, {"联系电话": "-"})
    assert parsed.columns[2].field is None
    assert parsed.records[0].phone == "" and not parsed.problems


def test_a_mapping_header_is_matched_like_a_recognised_one(tmp_path):
    path = write_csv(tmp_path / "m.csv", [["姓名", "学号", "家长 手机*"],
                                          ["张三", "1", "13800000001"]])
    parsed = read_roster(path, {"家长手机（必填）": "phone"})
    assert parsed.records[0].phone == "13800000001"


@pytest.mark.parametrize("mapping, item", [
    ({"电话": "phone"}, "电话=phone"),          # no such column
    ({"姓名": "phne"}, "姓名=phne"),            # no such field
])
def test_a_bad_mapping_is_refused(tmp_path, mapping, item):
    path = write_csv(tmp_path / "m.csv", [["姓名", "学号"], ["张三", "1"]])
    with pytest.raises(RosterFileError) as err:
        read_roster(path, mapping)
    assert (err.value.code, err.value.extra) == ("bad_mapping", {"item": item})


# --- numbers ---------------------------------------------------------------------------


def test_a_repeated_number_points_at_its_first_row(tmp_path):
    path = rf.class_list_csv(tmp_path / "class.csv", rows=[
        ("甲", "M", "7-3", "S1", "", "", ""),
        ("乙", "M", "7-3", "S2", "", "", ""),
        ("丙", "M", "7-3", "S1", "", "", ""),
        ("丁", "M", "7-3", "S1", "", "", "")])
    parsed = read_roster(path)
    assert [(p.row, p.code, p.value) for p in parsed.problems] == \
        [(4, "duplicate_number", "2"), (5, "duplicate_number", "2")]
    assert [r.row for r in parsed.records] == [2, 3]


def test_the_english_class_list(tmp_path):
    parsed = read_roster(rf.class_list_csv(tmp_path / "class.csv"))
    assert parsed.header_row == 1
    assert [c.field for c in parsed.columns] == ["name", "gender", "class", "student_no",
                                                 "phone", "guardian1_name", "guardian1_phone"]
    assert by_row(parsed.problems) == {6: [("gender", "bad_gender")],
                                       7: [("student_no", "duplicate_number")]}
    assert by_row(parsed.fixes) == {2: [("name", "spaces")]}
    assert [(r.row, r.name, r.gender, r.class_code, r.phone) for r in parsed.records] == [
        (2, "Li Ming", "M", "7-3", "13800000001"), (3, "王小红", "F", "7-3", "13800000002"),
        (4, "陈刚", "M", "7-3", "13800000003"), (5, "Anna Smith", "F", "7-3", "13800000004")]
    assert parsed.records[0].guardians == [GuardianRecord("Li Hua", "guardian", "13900000001")]
    assert parsed.records[1].guardians == [GuardianRecord("王强", "guardian", "")]
    assert parsed.records[3].guardians == []


def test_the_number_falls_back_to_the_auxiliary_number(tmp_path):
    path = write_csv(tmp_path / "aux.csv", [["姓名", "学籍辅号", "全国学籍号"],
                                            ["张三", "FH01", "G330105201203150011"],
                                            ["李四", "", "G330105201203150012"]])
    parsed = read_roster(path)
    assert [c.field for c in parsed.columns] == ["name", "aux_no", None]
    assert parsed.records[0].student_no == "FH01"
    assert by_row(parsed.problems) == {3: [("aux_no", "missing_number")]}


def test_the_number_falls_back_to_class_and_number_in_class(tmp_path):
    path = write_csv(tmp_path / "cls.csv", [
        ["序号", "姓名", "年级", "班级", "班内学号"],
        ["1", "张三", "七年级", "3班", "5"],
        ["2", "李四", "七年级", "(3)班", "12"],
        ["3", "王五", "", "", "7"],
        ["4", "赵六", "七年级", "3班", ""]])
    parsed = read_roster(path)
    assert parsed.columns[0].field is None  # 序号 is not a number in class
    assert [(r.row, r.student_no) for r in parsed.records] == [(2, "7-3-05"), (3, "7-3-12")]
    assert by_row(parsed.problems) == {4: [("student_no", "no_number")],
                                       5: [("class_no", "missing_number")]}


def test_number_in_class_without_a_class_column_is_no_number(tmp_path):
    path = write_csv(tmp_path / "n.csv", [["姓名", "班内学号"], ["张三", "5"]])
    with pytest.raises(RosterFileError) as err:
        read_roster(path)
    assert err.value.code == "no_number"


@pytest.mark.parametrize("cell, phone, fixes, problems", [
    ("13812345678", "13812345678", [], []),
    ("13812345678.0", "13812345678", [("phone", "trailing_zero")], []),
    ("1.3812345678E+10", "13812345678", [("phone", "scientific")], []),
    ("1.3812345678E10", "13812345678", [("phone", "scientific")], []),
    ("1.3812345678e+10", "13812345678", [("phone", "scientific")], []),
    ("1.38123E+10", None, [], [("phone", "digits_lost")]),
    ("1.38E+10", None, [], [("phone", "digits_lost")]),
    ("１３８１２３４５６７８", "13812345678", [("phone", "full_width")], []),
    ("138\u00a01234\u30005678 ", "13812345678", [("phone", "spaces")], []),
    ("138-1234-5678", "13812345678", [], []),
    ("0571-88886666", "057188886666", [], []),
    ("88886666", "88886666", [], []),
    ("13812345678/13912345678", "13812345678", [("phone", "several_phones")], []),
    ("13812345678、13912345678", "13812345678", [("phone", "several_phones")], []),
    ("13812345678；0571-88886666", "13812345678", [("phone", "several_phones")], []),
    ("1381234567", None, [], [("phone", "bad_phone")]),
    ("23812345678", None, [], [("phone", "bad_phone")]),
    ("138123456789", None, [], [("phone", "bad_phone")]),
    ("无", None, [], [("phone", "bad_phone")]),
    ("", "", [], []),
])
def test_phone_cells(tmp_path, cell, phone, fixes, problems):
    path = write_csv(tmp_path / "p.csv", [["姓名", "学号", "联系电话"], ["张三", "1", cell]])
    parsed = read_roster(path)
    assert sorted((f.field, f.code) for f in parsed.fixes) == fixes
    assert [(p.field, p.code) for p in parsed.problems] == problems
    assert [r.phone for r in parsed.records] == ([] if phone is None else [phone])


def test_number_cells_in_an_xlsx(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.append(["姓名", "学号", "联系电话", "身份证件号"])
    ws.append(["甲", 301, 13812345678, 330105201203150011])
    ws.append(["乙", 302.0, 13812345679.0, "330105201203150012"])
    ws.append(["丙", 303, "1.38E+10", 3.30105201203150e17])
    book.save(tmp_path / "n.xlsx")
    parsed = read_roster(tmp_path / "n.xlsx", {"身份证件号": "id_number"})
    assert [(r.student_no, r.phone, r.id_number) for r in parsed.records] == \
        [("302", "13812345679", "330105201203150012")]
    assert by_row(parsed.problems) == {2: [("id_number", "digits_lost")],
                                       4: [("id_number", "digits_lost"),
                                           ("phone", "digits_lost")]}
    assert by_row(parsed.fixes) == {3: [("phone", "number_cell"), ("student_no", "number_cell")]}
    fix = next(f for f in parsed.fixes if f.field == "phone")
    assert fix.after == "13812345679"


# --- names, dates, gender, grade and class, flags, relations ---------------------------------


@pytest.mark.parametrize("cell, name, fixed", [
    ("张三", "张三", False),
    ("张 三", "张三", True),
    (" 张三", "张三", True),
    ("张\u3000三", "张三", True),
    ("\u00a0张三\u00a0", "张三", True),
    ("张\u200b三", "张三", True),
    ("阿依古丽·买买提", "阿依古丽·买买提", False),
    ("Li  Ming ", "Li Ming", True),
    ("Anna Smith", "Anna Smith", False),
])
def test_names_lose_stray_spaces(tmp_path, cell, name, fixed):
    path = write_csv(tmp_path / "n.csv", [["姓名", "学号"], [cell, "1"]])
    parsed = read_roster(path)
    assert parsed.records[0].name == name
    assert [(f.field, f.code) for f in parsed.fixes] == ([("name", "spaces")] if fixed else [])


def test_full_width_letters_in_a_name(tmp_path):
    path = write_csv(tmp_path / "n.csv", [["姓名", "学号"], ["ＡＢ", "Ｓ０１"]])
    parsed = read_roster(path)
    assert (parsed.records[0].name, parsed.records[0].student_no) == ("AB", "S01")
    assert by_row(parsed.fixes) == {2: [("name", "full_width"), ("student_no", "full_width")]}


@pytest.mark.parametrize("cell, day, problem", [
    ("20120315", dt.date(2012, 3, 15), False),
    ("2012-03-15", dt.date(2012, 3, 15), False),
    ("2012/3/5", dt.date(2012, 3, 5), False),
    ("2012.3.5", dt.date(2012, 3, 5), False),
    ("2012年3月5日", dt.date(2012, 3, 5), False),
    ("2012-03-15 00:00:00", dt.date(2012, 3, 15), False),
    ("２０１２０３１５", dt.date(2012, 3, 15), False),
    ("20121345", None, True),
    ("2012-02-30", None, True),
    ("2030-01-01", None, True),
    ("1989-12-31", None, True),
    ("1990-01-01", dt.date(1990, 1, 1), False),
    ("2026-11-20", dt.date(2026, 11, 20), False),   # the tests' today
    ("2026-11-21", None, True),
    ("去年", None, True),
    ("", None, False),
])
def test_birth_dates(tmp_path, cell, day, problem):
    path = write_csv(tmp_path / "d.csv", [["姓名", "学号", "出生日期"], ["张三", "1", cell]])
    parsed = read_roster(path)
    assert [p.code for p in parsed.problems] == (["bad_date"] if problem else [])
    assert [r.birth_date for r in parsed.records] == ([] if problem else [day])


@pytest.mark.parametrize("cell, gender", [
    ("男", "M"), ("女", "F"), ("男性", "M"), ("女性", "F"), ("1", "M"), ("2", "F"),
    ("M", "M"), ("f", "F"), ("Male", "M"), ("female", "F"), ("", ""), ("3", None),
    ("未知", None)])
def test_genders(tmp_path, cell, gender):
    path = write_csv(tmp_path / "g.csv", [["姓名", "学号", "性别"], ["张三", "1", cell]])
    parsed = read_roster(path)
    if gender is None:
        assert [(p.field, p.code, p.value) for p in parsed.problems] == \
            [("gender", "bad_gender", cell)]
    else:
        assert parsed.records[0].gender == gender


@pytest.mark.parametrize("text, grade", [
    ("一年级", 1), ("六年级", 6), ("七年级", 7), ("八年级", 8), ("九年级", 9), ("初一", 7),
    ("初二", 8), ("初三", 9), ("高一", 10), ("高二", 11), ("高三", 12), ("7年级", 7), ("7", 7),
    ("07", 7), ("grade 7", 7), ("Grade 12", 12), ("初中二年级", 8), ("高中一年级", 10),
    ("小学三年级", 3), ("13", None), ("0", None), ("2024级", None), ("初四", None), ("", None)])
def test_parse_grade(text, grade):
    assert parse_grade(text) == grade


@pytest.mark.parametrize("text, parsed", [
    ("3班", (None, 3)), ("(3)班", (None, 3)), ("（3）班", (None, 3)), ("3", (None, 3)),
    ("03", (None, 3)), ("三班", (None, 3)), ("七年级3班", (7, 3)), ("七年级(3)班", (7, 3)),
    ("七年级（3）班", (7, 3)), ("初一(3)班", (7, 3)), ("高一(3)班", (10, 3)),
    ("高二(10)班", (11, 10)), ("七年级十二班", (7, 12)), ("7-3", (7, 3)), ("7.3", (7, 3)),
    ("703", (7, 3)), ("0703", (7, 3)), ("1203", (12, 3)), ("7(3)", (7, 3)),
    ("grade 7 (3)", (7, 3)), ("Grade 7 class 3", (7, 3)), ("七年级", (7, None)),
    ("火箭班", None), ("0", None), ("100", None), ("13-1", None), ("", None)])
def test_parse_class(text, parsed):
    assert parse_class(text) == parsed


@pytest.mark.parametrize("grade, cls, code, name, problem", [
    ("七年级", "3班", "7-3", "七年级(3)班", None),
    ("", "七年级(3)班", "7-3", "七年级(3)班", None),
    ("七年级", "703", "7-3", "七年级(3)班", None),
    ("", "703", "7-3", "七年级(3)班", None),
    ("初一", "初一(3)班", "7-3", "七年级(3)班", None),
    ("三年级", "(2)班", "3-2", "三年级(2)班", None),
    ("高一", "3班", "10-3", "高一(3)班", None),
    ("高三", "12班", "12-12", "高三(12)班", None),
    ("七年级", "", "", "", None),
    ("", "", "", "", None),
    ("七年级", "八年级(2)班", None, None, ("class", "class_grade_mismatch")),
    ("七年级", "803", None, None, ("class", "class_grade_mismatch")),
    ("", "3班", None, None, ("class", "bad_class")),      # a class without a grade
    ("十三年级", "3班", None, None, ("grade", "bad_class")),
    ("七年级", "火箭班", None, None, ("class", "bad_class")),
])
def test_grade_and_class_columns(tmp_path, grade, cls, code, name, problem):
    path = write_csv(tmp_path / "c.csv", [["姓名", "学号", "年级", "班级"],
                                          ["张三", "1", grade, cls]])
    parsed = read_roster(path)
    if problem:
        assert [(p.field, p.code) for p in parsed.problems] == [problem]
        assert parsed.records == []
    else:
        assert not parsed.problems
        assert (parsed.records[0].class_code, parsed.records[0].class_name) == (code, name)


@pytest.mark.parametrize("cell, flags, problem", [
    ("0", {"left_behind_one": False, "left_behind_both": False}, None),
    ("1", {"left_behind_one": True, "left_behind_both": False}, None),
    ("2", {"left_behind_one": False, "left_behind_both": True}, None),
    ("否", {"left_behind_one": False, "left_behind_both": False}, None),
    ("非留守儿童", {"left_behind_one": False, "left_behind_both": False}, None),
    ("单亲留守儿童", {"left_behind_one": True, "left_behind_both": False}, None),
    ("双亲留守儿童", {"left_behind_one": False, "left_behind_both": True}, None),
    ("是", {"left_behind_one": True, "left_behind_both": False}, None),
    ("", {}, None),
    ("3", None, "bad_flag"),
])
def test_left_behind(tmp_path, cell, flags, problem):
    path = write_csv(tmp_path / "f.csv", [["姓名", "学号", "是否留守儿童"], ["张三", "1", cell]])
    parsed = read_roster(path)
    if problem:
        assert [(p.field, p.code) for p in parsed.problems] == [("left_behind", problem)]
    else:
        assert parsed.records[0].flags == flags
        assert [f.code for f in parsed.fixes] == (["left_behind_assumed"] if cell == "是" else [])


@pytest.mark.parametrize("cell, value", [
    ("是", True), ("否", False), ("1", True), ("0", False), ("Y", True), ("n", False),
    ("yes", True), ("No", False), ("TRUE", True), ("false", False), ("", None), ("不详", "bad")])
def test_yes_no_flags(tmp_path, cell, value):
    path = write_csv(tmp_path / "f.csv", [
        ["姓名", "学号", "是否独生子女", "是否孤儿", "随迁子女"], ["张三", "1", cell, cell, cell]])
    parsed = read_roster(path)
    if value == "bad":
        assert sorted((p.field, p.code) for p in parsed.problems) == \
            [("migrant", "bad_flag"), ("only_child", "bad_flag"), ("orphan", "bad_flag")]
    elif value is None:
        assert parsed.records[0].flags == {}
    else:
        assert parsed.records[0].flags == {"only_child": value, "orphan": value,
                                           "migrant": value}


def test_no_flag_columns_no_flags(tmp_path):
    path = write_csv(tmp_path / "f.csv", [["姓名", "学号"], ["张三", "1"]])
    assert read_roster(path).records[0].flags == {}


@pytest.mark.parametrize("relation, code", [
    ("父亲", "father"), ("父", "father"), ("爸爸", "father"), ("父女", "father"),
    ("母亲", "mother"), ("妈妈", "mother"), ("母子", "mother"), ("爷爷", "grandfather"),
    ("外公", "grandfather"), ("祖父", "grandfather"), ("奶奶", "grandmother"),
    ("外婆", "grandmother"), ("外祖母", "grandmother"), ("监护人", "guardian"),
    ("叔叔", "other"), ("其他", "other"), ("", "guardian"), ("Mother", "mother"),
    ("grandfather", "grandfather")])
def test_guardian_relations(tmp_path, relation, code):
    path = write_csv(tmp_path / "g.csv", [["姓名", "学号", "监护人姓名", "监护人关系"],
                                          ["张三", "1", "张大", relation]])
    assert read_roster(path).records[0].guardians == [GuardianRecord("张大", code, "")]


def test_every_guardian_slot(tmp_path):
    path = write_csv(tmp_path / "g.csv", [
        ["姓名", "学号", "第一监护人姓名", "与学生关系", "监护人1联系电话", "监护人2姓名",
         "监护人2关系", "监护人2电话", "父亲姓名", "父亲电话", "母亲姓名", "母亲联系电话",
         "成员1姓名", "成员1关系", "成员1联系电话", "家庭成员2姓名", "家庭成员2关系",
         "家庭成员2联系电话"],
        ["张三", "1", "张爷", "爷爷", "13800000001", "", "母亲", "13800000002",
         "张父", "13800000003", "王母", "", "王母", "母亲", "13800000004",
         "张姐", "", "13800000005"]])
    parsed = read_roster(path)
    assert [c.field for c in parsed.columns][2:] == [
        "guardian1_name", "guardian1_relation", "guardian1_phone", "guardian2_name",
        "guardian2_relation", "guardian2_phone", "father_name", "father_phone",
        "mother_name", "mother_phone", "member1_name", "member1_relation", "member1_phone",
        "member2_name", "member2_relation", "member2_phone"]
    # guardian 2 has no name: no record; the mother is also family member 1: one record
    assert parsed.records[0].guardians == [
        GuardianRecord("张爷", "grandfather", "13800000001"),
        GuardianRecord("张父", "father", "13800000003"),
        GuardianRecord("王母", "mother", "13800000004"),
        GuardianRecord("张姐", "other", "13800000005")]


# --- headers, rows, sheets, delimiters -------------------------------------------------------


@pytest.mark.parametrize("headers, fields", [
    (["Name", "Student No.", "Date of Birth", "DOB", "Sex"],
     ["name", "student_no", "birth_date", None, "gender"]),
    (["学生姓名", "学生学号（必填）", "出生年月", "家庭住址", "手机号"],
     ["name", "student_no", "birth_date", "address", "phone"]),
    (["*姓名", "student_no", "Student ID", " 班 级 ", "Grade"],
     ["name", "student_no", None, "class", "grade"]),
    (["姓名", "学号", "学籍号", "个人标识码", "序号"],
     ["name", "student_no", None, None, None]),
])
def test_headers_are_recognised_after_normalising(tmp_path, headers, fields):
    path = write_csv(tmp_path / "h.csv", [headers, ["张三"] + ["1"] * (len(headers) - 1)])
    assert [c.field for c in read_roster(path).columns] == fields


def test_blank_rows_at_the_end_are_not_reported(tmp_path):
    path = write_csv(tmp_path / "b.csv", [
        ["姓名", "学号"], ["甲", "1"], ["", ""], [" ", "\u3000"], ["乙", "2"], ["", ""], []])
    parsed = read_roster(path)
    assert parsed.skipped == [(3, "blank"), (4, "blank")]
    assert [r.row for r in parsed.records] == [2, 5]
    assert parsed.rows_read == 2


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_other_delimiters(tmp_path, delimiter):
    path = write_csv(tmp_path / "d.csv", [["姓名", "学号", "现住址"], ["张三", "1", "A路,3号"]],
                     delimiter=delimiter)
    parsed = read_roster(path)
    assert [(r.name, r.student_no, r.address) for r in parsed.records] == \
        [("张三", "1", "A路,3号")]


def test_an_excel_sep_line(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("sep=;\n姓名;学号\n张三;1\n", encoding="utf-8")
    parsed = read_roster(path)
    assert (parsed.header_row, parsed.records[0].row) == (2, 3)


def test_unicode_text_from_excel(tmp_path):
    path = tmp_path / "u.txt"
    path.write_text("姓名\t学号\r\n张三\t1\r\n", encoding="utf-16")
    parsed = read_roster(path)
    assert (parsed.encoding, parsed.records[0].name) == ("utf-16", "张三")


@pytest.mark.parametrize("name", ["名册.csv", "名册", "名册.XLSX"])
def test_an_xlsx_is_known_by_its_content_not_its_name(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(Path(rf.registry_xlsx(tmp_path / "r.xlsx")).read_bytes())
    parsed = read_roster(path)
    assert (parsed.kind, len(parsed.records)) == ("xlsx", len(RECORD_ROWS))


def test_the_first_sheet_with_a_header_is_read(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    notes = book.active
    notes.title = "填表说明"
    notes.append(["请按模板填写，姓名、学号必填。"])
    roster = book.create_sheet("七年级")
    roster.append(["姓名", "学号"])
    roster.append(["张三", "1"])
    other = book.create_sheet("八年级")
    other.append(["姓名", "学号"])
    other.append(["李四", "2"])
    book.save(tmp_path / "s.xlsx")
    assert read_roster(tmp_path / "s.xlsx").sheet == "七年级"
    parsed = read_roster(tmp_path / "s.xlsx", sheet="八年级")
    assert (parsed.sheet, parsed.records[0].name) == ("八年级", "李四")
    with pytest.raises(RosterFileError) as err:
        read_roster(tmp_path / "s.xlsx", sheet="九年级")
    assert (err.value.code, err.value.extra) == ("sheet", {"sheet": "九年级"})
    with pytest.raises(RosterFileError) as err:
        read_roster(tmp_path / "s.xlsx", sheet="填表说明")
    assert err.value.code == "no_header"


def test_the_header_is_looked_for_in_the_first_20_rows(tmp_path):
    rows = [["说明"]] * 19 + [["姓名", "学号"], ["张三", "1"]]
    assert read_roster(write_csv(tmp_path / "a.csv", rows)).header_row == 20
    with pytest.raises(RosterFileError) as err:
        read_roster(write_csv(tmp_path / "b.csv", [["说明"]] + rows))
    assert err.value.code == "no_header"


def test_five_thousand_rows(tmp_path):
    calls = []
    parsed = read_roster(rf.big_csv(tmp_path / "big.csv"),
                         progress=lambda done, total: calls.append((done, total)))
    assert len(parsed.records) == 5000 and not parsed.problems and not parsed.fixes
    assert parsed.records[-1].row == 5001
    assert len(calls) >= 25 and calls[-1] == (5000, 5000)


# --- the whole file refused ------------------------------------------------------------------


def refused(path, **kwargs) -> RosterFileError:
    with pytest.raises(RosterFileError) as err:
        read_roster(path, **kwargs)
    return err.value


def test_unreadable_files(tmp_path):
    assert refused(tmp_path / "missing.csv").code == "unreadable"
    assert refused(tmp_path).code == "unreadable"
    xls = tmp_path / "old.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    assert (refused(xls).code, refused(xls).extra) == ("unreadable", {"reason": "xls"})
    not_xlsx = tmp_path / "doc.xlsx"
    with zipfile.ZipFile(not_xlsx, "w") as z:
        z.writestr("word/document.xml", "<w/>")
    assert refused(not_xlsx).code == "unreadable"
    good = rf.registry_xlsx(tmp_path / "good.xlsx")
    damaged = tmp_path / "damaged.xlsx"
    damaged.write_bytes(Path(good).read_bytes()[:2000])
    assert refused(damaged).code == "unreadable"
    binary = tmp_path / "bin.csv"
    binary.write_bytes(b"\x00\x01\x02abc")
    assert refused(binary).code == "unreadable"


def test_an_unknown_encoding(tmp_path):
    path = tmp_path / "e.csv"
    path.write_bytes("姓名,学号\n".encode("gbk") + b"\x80\x80,\xff\n")
    assert refused(path).code == "encoding"


def test_empty_files(tmp_path):
    for name, content in (("a.csv", b""), ("b.csv", b"\n\n ,\n"), ("c.csv", "姓名,学号\n,\n")):
        path = tmp_path / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
        assert refused(path).code == "empty", name
    from openpyxl import Workbook
    Workbook().save(tmp_path / "e.xlsx")
    assert refused(tmp_path / "e.xlsx").code == "empty"


def test_files_without_header_name_or_number(tmp_path):
    assert refused(write_csv(tmp_path / "a.csv", [["A", "B"], ["1", "2"]])).code == "no_header"
    assert refused(write_csv(tmp_path / "b.csv", [["学号", "性别"], ["1", "男"]])).code == \
        "no_name"
    assert refused(write_csv(tmp_path / "c.csv", [["姓名", "性别"], ["张三", "男"]])).code == \
        "no_number"
    # 学籍号 embeds the identity number: it is never a student number
    assert refused(write_csv(tmp_path / "d.csv", [["姓名", "性别", "全国学籍号"],
                                                  ["张三", "男", "G3301"]])).code == "no_number"


# --- the module itself ----------------------------------------------------------------------


def test_codes_and_fields_are_declared():
    assert len(set(PROBLEM_CODES)) == len(PROBLEM_CODES)
    assert len(set(FIX_CODES)) == len(FIX_CODES)
    assert SKIP_CODES == ("blank", "repeated_header")
    assert {"name", "student_no", "phone", "id_number", "class", "grade"} <= set(FIELDS)
    used = {code for codes in PROBLEMS.values() for _, code in codes}
    assert used <= set(PROBLEM_CODES)


def test_importing_it_loads_neither_textual_nor_openpyxl_nor_the_orm():
    code = ("import sys, db.roster_file; "
            "print(sorted(m for m in ('textual', 'openpyxl', 'peewee', 'sqlite3') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=Path(__file__).parent.parent, timeout=60, check=True)
    assert out.stdout.strip() == "[]"
