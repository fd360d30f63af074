"""Villages (属地, ``db.villages``): the village or community read from an
address as schools write them, filled for the students whose village is
empty, set by hand (managers only, version-checked, audited), kept when the
address changes, read on roster import (or taken from a village column), and
counted per village for the students a reader sees."""

from __future__ import annotations

import json

import pytest

from db.access import NotAllowed
from db.models import AuditLog, Case, Student
from db.staff import add_staff
from db.students import StudentInput, load_student, save_student
from db.villages import (VillageError, fill_villages, follows_address, set_village, units,
                         village_of, villages)

ADDRESSES = [
    # the examples of the brief
    ("湖南省邵阳市新宁县金石镇东关村3组", "东关村"),
    ("金石镇城南社区居委会12栋", "城南社区"),
    ("XX县XX乡大塘村委会", "大塘村"),
    ("XX街道幸福里社区", "幸福里社区"),
    ("新宁县金石镇东关村5队", "东关村"),
    ("", ""),
    # committees: 村民委员会 is its 村, 居委会 its 社区
    ("城关镇大塘村民委员会第三村民组", "大塘村"),
    ("城关镇东关村村民委员会", "东关村"),
    ("城关镇南街居委会", "南街社区"),
    ("新宁县金石镇东风路社区居委会", "东风路社区"),
    ("广东省广州市天河区石牌街道华师社区", "华师社区"),
    ("四川省成都市武侯区玉林街道玉林北路社区3栋", "玉林北路社区"),
    ("内蒙古自治区锡林郭勒盟正蓝旗上都镇敖包嘎查", "敖包嘎查"),
    # a road, an estate, a street in town: no village
    ("新村路12号", ""),
    ("城关镇新村路5号", ""),
    ("河南省郑州市金水区经三路88号", ""),
    ("新宁县城关镇人民路25号", ""),
    ("城关镇幸福小区3栋2单元301室", ""),
    ("北京市朝阳区建国路88号SOHO现代城", ""),
    ("上海市普陀区兰溪路曹杨新村12号", ""),  # a street's housing estate
    ("上海市普陀区曹杨新村街道枣阳路", ""),  # a 街道 named 新村
    ("湖南省新宁县金石镇", ""),
    # 村 inside a town's name, a town inside a village's
    ("沙村镇东关村", "东关村"),
    ("金石镇镇江村5组", "镇江村"),
    ("新宁县新市村", "新市村"),
    ("郑州市东关村", "东关村"),
    ("城关镇花园村", "花园村"),
    # the first village after the town: the administrative one, not a hamlet in it
    ("城关镇东关村李家村3组", "东关村"),
    ("城关镇东关村新村路5号", "东关村"),
    # spaces, full-width digits and punctuation, remarks, a label
    ("湖南省 邵阳市 新宁县 金石镇 东关村 ３组", "东关村"),
    ("金石镇，东关村－３组", "东关村"),
    ("金石镇（原大塘乡）大塘村委会二组", "大塘村"),
    ("金石镇[暂住]西关村", "西关村"),
    ("住址：城关镇西关村", "西关村"),
    ("  城关镇\t城南社区  ", "城南社区"),
    # English and pinyin: no village read
    ("Dongguan Cun, Jinshi Zhen, Xinning County", ""),
    ("12 Main Street, Springfield", ""),
    ("No. 3 Group, Dongguan Village", ""),
]


@pytest.mark.parametrize(("address", "village"), ADDRESSES)
def test_the_village_is_read_from_the_address(address, village):
    assert village_of(address) == village


def test_the_table_is_long_enough_and_covers_each_kind():
    assert len(ADDRESSES) >= 25
    assert {v[-2:] for _, v in ADDRESSES if v} >= {"关村", "社区", "嘎查"}


def test_an_address_is_cut_into_its_units():
    assert units("湖南省邵阳市新宁县金石镇东关村3组") == [
        ("湖南", "省", "upper"), ("邵阳", "市", "upper"), ("新宁", "县", "upper"),
        ("金石", "镇", "town"), ("东关", "村", "village"), ("3", "组", "group")]
    assert units("新村路12号") == [("新村", "路", "place"), ("12", "号", "place")]


def test_a_village_follows_the_address_only_when_it_was_read_from_it():
    assert follows_address("", "城关镇东关村")
    assert follows_address("东关村", "城关镇东关村3组")
    assert not follows_address("西关村", "城关镇东关村3组")  # set by hand


# -- filling and setting ------------------------------------------------------------------

def _address(student, address: str, village: str = "") -> None:
    Student.update(address=address, village=village).where(Student.id == student.id).execute()


def _audit(student_id) -> list[dict]:
    return [json.loads(a.changes) for a in AuditLog.select().where(
        AuditLog.table_name == "student", AuditLog.row_id == str(student_id),
        AuditLog.action == "update").order_by(AuditLog.id)]


def test_fill_sets_empty_villages_and_never_one_set_by_hand(school):
    s = school.students
    _address(s["张伟"], "城关镇东关村3组")
    _address(s["赵薇"], "城关镇城南社区居委会5栋")
    _address(s["曾小明"], "城关镇东关村1组", village="西关村")  # set by hand
    _address(s["周文"], "城关镇人民路25号")  # no village in it
    versions = {n: Student.get_by_id(st.id).version for n, st in s.items()}
    assert fill_villages(school.teacher) == 2
    after = {n: Student.get_by_id(st.id) for n, st in s.items()}
    assert after["张伟"].village == "东关村" and after["赵薇"].village == "城南社区"
    assert after["曾小明"].village == "西关村" and after["周文"].village == ""
    assert after["张伟"].version == versions["张伟"] + 1
    assert after["曾小明"].version == versions["曾小明"]
    assert _audit(s["张伟"].id) == [{"village": ["", "东关村"],
                                    "version": [versions["张伟"], versions["张伟"] + 1]}]
    assert _audit(s["曾小明"].id) == []
    bulk = AuditLog.select().where(AuditLog.table_name == "student",
                                   AuditLog.action == "bulk").order_by(AuditLog.id.desc()).get()
    assert json.loads(bulk.changes) == {"villages": 2, "source": "address"}
    assert fill_villages(school.teacher) == 0  # nothing left to fill


def test_only_managers_fill_villages(school):
    _address(school.students["张伟"], "城关镇东关村3组")
    with pytest.raises(NotAllowed):
        fill_villages(school.other)  # 李建国, a teacher
    assert Student.get_by_id(school.students["张伟"].id).village == ""


def test_a_village_set_by_hand_is_audited_and_version_checked(school):
    zhang = Student.get_by_id(school.students["张伟"].id)
    _address(zhang, "城关镇东关村3组")
    assert set_village(school.teacher, zhang.id, " 西关村 ", zhang.version) == "西关村"
    stored = Student.get_by_id(zhang.id)
    assert (stored.village, stored.version) == ("西关村", zhang.version + 1)
    assert _audit(zhang.id)[-1] == {"village": ["", "西关村"],
                                    "version": [zhang.version, zhang.version + 1]}
    with pytest.raises(VillageError) as err:  # the version it was read at is gone
        set_village(school.teacher, zhang.id, "南关村", zhang.version)
    assert err.value.code == "version"
    assert Student.get_by_id(zhang.id).village == "西关村"
    # blank: read from the address again
    assert set_village(school.teacher, zhang.id, "", stored.version) == "东关村"
    with pytest.raises(VillageError) as err:
        set_village(school.teacher, zhang.id, "村" * 41, None)
    assert err.value.code == "too_long"
    with pytest.raises(VillageError) as err:
        set_village(school.teacher, 9999, "东关村", None)
    assert err.value.code == "gone"


def test_a_teacher_may_not_set_a_village_even_of_their_own_student(school):
    zhao = Student.get_by_id(school.students["赵薇"].id)  # 李建国 leads her case
    with pytest.raises(NotAllowed):
        set_village(school.other, zhao.id, "东关村", zhao.version)
    after = Student.get_by_id(zhao.id)
    assert (after.village, after.version) == ("", zhao.version)


# -- the student editor's save ------------------------------------------------------------

def test_the_editor_reads_the_village_from_the_address_unless_set_by_hand(school):
    zhou = school.students["周文"]
    form = load_student(zhou.id)
    assert form.data.village == ""
    form.data.address = "城关镇东关村3组"
    save_student(school.teacher, form.data, zhou.id, form.version)
    assert Student.get_by_id(zhou.id).village == "东关村"
    form = load_student(zhou.id)
    assert form.data.village == ""  # read from the address: the field stays blank
    form.data.address = "城关镇西关村1组"  # a move: the village follows
    save_student(school.teacher, form.data, zhou.id, form.version)
    assert Student.get_by_id(zhou.id).village == "西关村"
    form = load_student(zhou.id)
    form.data.village = "大塘村"  # typed by hand
    save_student(school.teacher, form.data, zhou.id, form.version)
    form = load_student(zhou.id)
    assert form.data.village == "大塘村"
    form.data.address = "城关镇南关村2组"
    form.data.village = None  # not on the form: the hand-set village is kept
    save_student(school.teacher, form.data, zhou.id, form.version)
    assert Student.get_by_id(zhou.id).village == "大塘村"
    form = load_student(zhou.id)
    form.data.village = ""  # cleared: read from the address again
    save_student(school.teacher, form.data, zhou.id, form.version)
    assert Student.get_by_id(zhou.id).village == "南关村"


def test_a_new_student_gets_the_village_of_their_address(school):
    s = save_student(school.teacher, StudentInput(student_no="V1", name="李小花",
                                                  address="城关镇幸福里社区8号"))
    assert s.village == "幸福里社区"
    s = save_student(school.teacher, StudentInput(student_no="V2", name="李小草",
                                                  address="城关镇幸福里社区8号", village="东关村"))
    assert s.village == "东关村"


def test_a_village_too_long_is_named_under_its_field(school):
    from db.students import StudentError

    with pytest.raises(StudentError) as err:
        save_student(school.teacher, StudentInput(student_no="V3", name="某", village="村" * 41))
    assert err.value.errors == {"village": "err.student.village_long"}


# -- counting -----------------------------------------------------------------------------

def test_villages_count_students_and_open_cases_of_those_the_reader_sees(school):
    s = school.students
    for name in ("张伟", "赵薇", "单田芳"):
        _address(s[name], "", village="东关村")
    _address(s["曾小明"], "", village="城南社区")
    rows = villages(school.teacher)
    # 张伟 active, 赵薇 identified; 曾小明 improving; 单田芳 none
    assert [(r.village, r.students, r.open_cases) for r in rows] == [
        ("东关村", 3, 2), ("城南社区", 1, 1), ("", 3, 1)]
    # 李建国 teaches no class: only the students of his cases (赵薇, [bold]王[/)
    rows = villages(school.other)
    assert [(r.village, r.students, r.open_cases) for r in rows] == [("东关村", 1, 1), ("", 1, 1)]


def test_a_closed_case_is_not_an_open_one(school):
    _address(school.students["张伟"], "", village="东关村")
    Case.update(status="closed").where(Case.student == school.students["张伟"].id).execute()
    rows = {r.village: (r.students, r.open_cases) for r in villages(school.teacher)}
    assert rows["东关村"] == (1, 0)


def test_volunteers_see_no_villages(school):
    volunteer = add_staff(None, "志愿者小陈", "volunteer")
    with pytest.raises(NotAllowed):
        villages(volunteer)


# -- the roster import --------------------------------------------------------------------

def _roster(tmp_path, headers, rows):
    path = tmp_path / "roster.csv"
    path.write_text("\n".join(",".join(r) for r in [headers, *rows]) + "\n", encoding="utf-8")
    return path


def _import(school, path):
    from db.roster_file import read_roster
    from db.roster_import import apply_import, plan_import

    plan = plan_import(read_roster(path))
    apply_import(school.teacher, plan)
    return plan


def test_an_import_without_a_village_column_reads_it_from_the_address(school, tmp_path):
    zhou = school.students["周文"]
    _address(zhou, "城关镇东关村3组", village="东关村")  # read before
    zeng = school.students["曾小明"]
    _address(zeng, "城关镇东关村1组", village="西关村")  # set by hand
    path = _roster(tmp_path, ["学号", "姓名", "现住址"], [
        ["V10", "新生甲", "城关镇大塘村委会3组"],
        ["V11", "新生乙", "城关镇人民路3号"],
        [zhou.student_no, zhou.name, "城关镇南关村4组"],  # moved: follows
        [zeng.student_no, zeng.name, "城关镇北关村2组"],  # moved: kept
    ])
    plan = _import(school, path)
    assert plan.count("new") == 2 and plan.count("update") == 2
    by_no = {s.student_no: s.village for s in Student.select()}
    assert by_no["V10"] == "大塘村" and by_no["V11"] == ""
    assert by_no[zhou.student_no] == "南关村" and by_no[zeng.student_no] == "西关村"
    changes = {c.field: (c.old, c.new) for r in plan.updates for c in r.changes
               if r.student_id == zhou.id}
    assert changes["village"] == ("东关村", "南关村")


def test_an_import_with_a_village_column_takes_it(school, tmp_path):
    zhou = school.students["周文"]
    path = _roster(tmp_path, ["学号", "姓名", "现住址", "属地"], [
        ["V20", "新生丙", "城关镇大塘村委会3组", "大塘村"],
        ["V21", "新生丁", "城关镇人民路3号", "城南社区"],
        ["V22", "新生戊", "城关镇东关村1组", ""],  # blank: read from the address
        [zhou.student_no, zhou.name, "", "幸福里社区"],
    ])
    from db.roster_file import read_roster

    parsed = read_roster(path)
    assert [c.field for c in parsed.columns] == ["student_no", "name", "address", "village"]
    _import(school, path)
    by_no = {s.student_no: s.village for s in Student.select()}
    assert (by_no["V20"], by_no["V21"], by_no["V22"]) == ("大塘村", "城南社区", "东关村")
    assert by_no[zhou.student_no] == "幸福里社区"
    assert _audit(zhou.id)[-1]["village"] == ["", "幸福里社区"]


@pytest.mark.parametrize("header", ["村", "社区", "属地", "Village", "村（社区）"])
def test_a_village_column_is_recognised_by_its_header(tmp_path, header):
    from db.roster_file import read_roster

    path = _roster(tmp_path, ["学号", "姓名", header], [["V30", "某某", "东关村"]])
    parsed = read_roster(path)
    assert parsed.columns[2].field == "village"
    assert parsed.records[0].village == "东关村"


# -- the demo ------------------------------------------------------------------------------

def test_the_demo_students_live_in_the_villages_of_its_town(tmp_path):
    import datetime as dt

    from db import clock
    from db.demo.build import build_demo
    from db.store.connection import close_database, open_database

    clock.set_today(dt.date(2026, 11, 20))
    try:
        open_database(tmp_path / "demo.db", create=True)
        build_demo(students=300, seed=1)
        rows = list(Student.select(Student.address, Student.village))
        assert all(r.address for r in rows)
        assert all(village_of(r.address) == r.village for r in rows)  # as read
        named = {r.village for r in rows}
        assert {"东关村", "城南社区", "幸福里社区"} <= named and "" in named  # and a few in town
        assert sum(1 for r in rows if r.village) > 0.85 * len(rows)
        admin = add_staff(None, "村务测试", "admin")
        assert fill_villages(admin) == 0  # nothing left to read
        counts = {r.village: r.students for r in villages(admin)}
        assert sum(counts.values()) == 300 and max(counts, key=counts.get) == "东关村"
    finally:
        close_database()
        clock.set_today(None)
