"""Issue 7: students and guardians, opening, closing, reopening and transferring
cases, and the intake pass (摸排), driven through the screens with Pilot and
checked in the file afterwards."""

from __future__ import annotations

import pytest

from db import case_status as cs
from db.access import NotAllowed
from db.models import Assignment, AuditLog, Case, CaseEvent, Guardian, SchoolClass, Student
from db.students import (GuardianInput, StudentError, StudentInput, load_student, mask_id,
                         save_student)
from tests.helpers import make_app, settle, sign_in


def _audit(table: str, row_id, action: str) -> list:
    return list(AuditLog.select().where(AuditLog.table_name == table,
                                        AuditLog.row_id == str(row_id),
                                        AuditLog.action == action))


# -- the student editor ------------------------------------------------------------------

async def test_an_administrator_adds_a_student_with_two_guardians(school):
    from screens.student import StudentScreen

    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "wangf")
        await pilot.press("ctrl+b")
        await settle(pilot)
        assert isinstance(app.screen, StudentScreen)
        await pilot.press(*"20249901", "tab", *"李小花", "tab", "f", "tab")
        await pilot.press(*"7-3", "tab", *"20130506", "tab", *"城关镇1组", "tab")
        await pilot.press(*"13712345678", "tab", "tab")  # the village: blank, from the address
        await pilot.press("space", "tab")  # the first circumstance: one parent away
        await pilot.press(*"爷爷照顾", "tab")
        # guardian 1: name, phone, relation by letter, WeChat, lives with, works away
        await pilot.press(*"李大山", "tab", *"13800001111", "tab", "f", "tab")
        await pilot.press(*"ls_wx", "tab", "tab", "space", "tab")
        # guardian 2: the mother, who lives with her
        await pilot.press(*"王芬", "tab", *"139 0000 2222", "tab", "m", "tab", "tab", "space")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, StudentScreen)
        found = app.index.search("lxh")
        assert [r.name for r in found] == ["李小花"]
    s = Student.get(Student.student_no == "20249901")
    assert (s.name, s.gender, s.birth_date.isoformat(), s.address, s.phone) == (
        "李小花", "F", "2013-05-06", "城关镇1组", "13712345678")
    assert s.family_flags == "left_behind_one" and s.family_notes == "爷爷照顾"
    assert s.pinyin and "lxh" in s.initials
    klass = SchoolClass.get_by_id(s.school_class_id)
    assert (klass.code, klass.name, klass.grade) == ("7-3", "七年级(3)班", 7)
    guardians = list(Guardian.select().where(Guardian.student == s.id).order_by(Guardian.id))
    assert [(g.name, g.relation, g.phone, g.wechat, g.lives_with, g.works_away)
            for g in guardians] == [
        ("李大山", "father", "13800001111", "ls_wx", False, True),
        ("王芬", "mother", "13900002222", "", True, False)]
    assert _audit("student", s.id, "insert") and _audit("school_class", klass.id, "insert")
    assert all(_audit("guardian", g.id, "insert") for g in guardians)


async def test_a_bad_value_is_named_at_its_field_and_nothing_is_written(school):
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "wangf")
        await pilot.press("ctrl+b")
        await settle(pilot)
        # a number already taken, no name, an impossible birth date
        await pilot.press(*"20240101", "tab", "tab", "tab", "tab", *"20131345", "tab")
        await pilot.press("tab", *"12ab", "ctrl+s")
        await settle(pilot)
        screen = app.screen
        shown = {w.id: str(w.render()) for w in screen.query(".error.shown")}
        assert set(shown) == {"err-student_no", "err-name", "err-birth_date", "err-phone"}
        assert "Another student has this number" in shown["err-student_no"]
        assert screen.focused.id == "student_no"
    assert Student.select().count() == 7


async def test_editing_a_student_changes_a_guardian_and_removes_one(school):
    """s on the case opens the editor; clearing a guardian's fields removes them."""
    app = make_app(school.path)
    zhang = school.students["张伟"]
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "wangf")
        await pilot.press(*"20240101", "enter")
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        screen = app.screen
        screen.query_one("#address").value = "新地址"
        screen.query_one("#g2-name").value = ""
        screen.query_one("#g2-phone").value = ""
        screen.query_one("#g2-wechat").value = ""
        screen.query_one("#g1-phone").value = "13811112222"
        await pilot.press("ctrl+s")
        await settle(pilot)
    s = Student.get_by_id(zhang.id)
    assert s.address == "新地址" and s.version == 2
    assert [(g.name, g.phone) for g in Guardian.select().where(Guardian.student == s.id)] == [
        ("张父", "13811112222")]
    assert _audit("guardian", "", "delete") == [] and len(
        AuditLog.select().where(AuditLog.table_name == "guardian",
                                AuditLog.action == "delete")) == 1


def test_only_managers_add_students(school):
    with pytest.raises(NotAllowed):
        save_student(school.other, StudentInput(student_no="1", name="某某"))
    assert Student.select().count() == 7


def test_a_stale_student_save_is_refused(school):
    form = load_student(school.students["周文"].id)
    save_student(school.teacher, form.data, form.student_id, form.version)
    form.data.name = "周文文"
    save_student(school.teacher, form.data, form.student_id, form.version)  # version 1 → 2
    with pytest.raises(StudentError) as err:
        save_student(school.teacher, form.data, form.student_id, form.version)
    assert err.value.code == "version"


def test_an_id_number_is_never_shown_whole():
    assert mask_id("11010520130506123X") == "110*************3X"
    assert "0506" not in mask_id("11010520130506123X")


def test_guardian_validation_names_the_guardian(school):
    with pytest.raises(StudentError) as err:
        save_student(school.teacher, StudentInput(
            student_no="X1", name="某", guardians=[GuardianInput(name="甲", phone="12"),
                                                   GuardianInput(phone="13800000000")]))
    assert err.value.errors == {"guardian.1.phone": "err.student.phone",
                                "guardian.2.name": "err.student.name_blank"}


# -- opening, closing, reopening and transferring a case -----------------------------------

async def test_open_a_case_from_the_roster_with_one_key(school):
    from screens.case_status import CaseStatusScreen

    app = make_app(school.path)
    zhou = school.students["周文"]
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "wangf")
        await pilot.press(*"20240105")
        await settle(pilot)
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert isinstance(app.screen, CaseStatusScreen)
        await pilot.press("space", "down", "down", "space", "tab")  # academic, psychological
        await pilot.press("down", "space", "tab")  # the second cause: methods
        await pilot.press("h", "tab")  # risk high
        await pilot.press("tab")  # first lead: the person signed in, prefilled
        await pilot.press(*"期中考试三科不及格", "enter")
        await settle(pilot)
        row = app.index.get(zhou.id)
        assert row.status == "active" and row.lead == "王芳"
    case = Case.get(Case.student == zhou.id)
    assert (case.status, case.categories, case.causes, case.risk_level) == (
        "active", "academic,psychological", "methods", "high")
    event = CaseEvent.get(CaseEvent.case == case.id)
    assert (event.kind, event.reason, event.staff_id) == ("open", "期中考试三科不及格",
                                                          school.teacher.id)


async def test_the_first_lead_is_picked_from_the_staff_matching_what_is_typed(school):
    """Initials typed in the lead field list the matching staff; ↓ and Enter
    pick one, and the case is opened with that person as lead."""
    from screens.case_status import CaseStatusScreen

    app = make_app(school.path)
    zhou = school.students["周文"]
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "wangf")
        await pilot.press(*"20240105")
        await settle(pilot)
        await pilot.press("ctrl+l")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CaseStatusScreen)
        await pilot.press("space", "tab", "tab", "tab")  # academic; causes; risk; the lead
        await pilot.press("ctrl+u", *"l")  # 李建国 (ljg) and 曾老师 (zls: l too)
        await settle(pilot)
        names = [s.name for s in screen.suggestions.shown]
        assert "李建国" in names
        await pilot.press(*["down"] * names.index("李建国"), "enter")
        await settle(pilot)
        assert screen.query_one("#lead").value == "李建国"
        await pilot.press(*"新学期摸排", "enter")
        await settle(pilot)
    case = Case.get(Case.student == zhou.id)
    lead = Assignment.get(Assignment.case == case.id, Assignment.role == "lead")
    assert lead.staff_id == school.other.id


async def test_close_and_reopen_a_case_with_a_reason(school):
    app = make_app(school.path)
    case = school.cases["张伟"]
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "wangf")
        await pilot.press(*"20240101", "enter")
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("c", "tab", "enter")  # close, no reason: refused at the field
        await settle(pilot)
        assert "Give a reason" in str(app.screen.query_one("#err-reason").render())
        assert Case.get_by_id(case.id).status == "active"
        await pilot.press(*"目标达成", "enter")
        await settle(pilot)
        assert Case.get_by_id(case.id).status == "closed"
        assert "closed" in str(app.screen.query_one("#case-status").render()).lower()
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("r", "tab", *"成绩又下滑", "enter")
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        history = str(app.screen.query_one("#body-file").render())
        assert "case reopened: 成绩又下滑" in history and "case closed: 目标达成" in history
    stored = Case.get_by_id(case.id)
    assert stored.status == "active" and stored.closed_on is None
    assert [e.kind for e in CaseEvent.select().where(CaseEvent.case == case.id)
            .order_by(CaseEvent.id)] == ["close", "reopen"]


def test_transfer_to_another_class_moves_the_student_and_keeps_the_case(school):
    case = school.cases["张伟"]
    cs.transfer_case(school.teacher, case.id, "家长申请", to_class="8-2")
    student = Student.get_by_id(school.students["张伟"].id)
    assert SchoolClass.get_by_id(student.school_class_id).code == "8-2"
    assert Case.get_by_id(case.id).status == "active"
    event = CaseEvent.get(CaseEvent.case == case.id)
    assert (event.kind, event.detail) == ("transfer_class", "7-1 → 8-2")


def test_transfer_to_another_school_closes_the_case_here(school):
    case = school.cases["赵薇"]
    cs.transfer_case(school.teacher, case.id, "随父母迁居", to_school="县实验中学")
    assert Case.get_by_id(case.id).status == "closed"
    assert CaseEvent.get(CaseEvent.case == case.id).detail == "县实验中学"


def test_case_status_rules(school):
    with pytest.raises(cs.CaseStatusError) as err:
        cs.open_case_for(school.teacher, school.students["张伟"].id,
                         cs.OpenCaseInput(categories=["academic"]))
    assert err.value.code == "already_open"
    with pytest.raises(cs.CaseStatusError) as err:
        cs.reopen_case(school.teacher, school.cases["张伟"].id, "x")
    assert err.value.code == "already_open"
    with pytest.raises(cs.CaseStatusError) as err:
        cs.transfer_case(school.teacher, school.cases["张伟"].id, "x")
    assert err.value.code == "transfer_where"
    # a teacher does not see class 8-2's students without a case: cannot open one
    with pytest.raises(NotAllowed):
        cs.open_case_for(school.other, school.students["周文"].id,
                         cs.OpenCaseInput(categories=["academic"]))


# -- the intake pass --------------------------------------------------------------------

async def test_the_intake_pass_opens_a_case_for_each_marked_student(school):
    from screens.case_status import CaseStatusScreen
    from screens.intake import IntakeScreen

    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "wangf")
        await pilot.press("f11")
        await settle(pilot)
        assert isinstance(app.screen, IntakeScreen)
        await pilot.press(*"8-2", "enter")
        await settle(pilot)
        # 8-2 in number order: 单田芳, 周文, [bold]王[/ (open case), 欧阳娜娜
        await pilot.press("space", "space", "space", "space")
        await settle(pilot)
        assert len(app.screen.marked) == 3
        await pilot.press("enter")
        await settle(pilot)
        for reason in ("数学基础薄弱", "", "经常缺勤"):
            assert isinstance(app.screen, CaseStatusScreen)
            await pilot.press("space", "tab", "tab", "tab", "tab")
            await pilot.press(*reason, "ctrl+s")
            await settle(pilot)
        assert isinstance(app.screen, IntakeScreen)
        assert not app.screen.marked
        opened = [r.name for r in app.index.search("") if r.class_code == "8-2"
                  and r.status == "active"]
    cases = {c.student.name: c for c in Case.select().join(Student)
             .where(Student.school_class == SchoolClass.get(SchoolClass.code == "8-2").id)}
    assert set(cases) == {"单田芳", "周文", "[bold]王[/", "欧阳娜娜"}
    assert set(opened) == {"单田芳", "周文", "[bold]王[/", "欧阳娜娜"}
    assert cases["欧阳娜娜"].categories == "academic"
    reasons = {e.case.student.name: e.reason for e in CaseEvent.select()}
    assert reasons == {"单田芳": "数学基础薄弱", "周文": "", "欧阳娜娜": "经常缺勤"}
