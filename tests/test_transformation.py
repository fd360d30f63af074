"""A case transformed (转化) only with its evidence and a coordinator's
confirmation: every other way to the status is refused; four eyes; the
caseload item; the case history and the audit log; the term summary."""

from __future__ import annotations

import datetime as dt

import pytest

from db import workflow
from db.access import NotAllowed
from db.cases import CaseValidationError, load_case, update_case
from db.models import AuditLog, Case, CaseEvent, Goal, Score, Staff, Transformation
from db.reports import build_report
from db.reviews import save_review
from db.staff import add_staff
from db.students import open_case
from db.terms import add_term, carry
from db.transformation import (Evidence, TransformationError, confirm, decline, evidence,
                               get_transformation, propose, transformations,
                               transformations_due)
from tests.conftest import PIN_HASH, TODAY
from tests.helpers import make_app, settle, sign_in


@pytest.fixture
def chen(school) -> Staff:
    """陈主任, the programme's coordinator."""
    return add_staff(None, "陈主任", "coordinator", pin_hash=PIN_HASH)


def with_evidence(school, name: str = "赵薇") -> int:
    """Scores that rose (数学 60 → 75 of 100, 语文 50 → 55), one stage review
    (2026-11-10) and three goals, two met; returns the case id."""
    student = school.students[name].id
    case_id = school.cases[name].id
    for n, (subject, exam, when, score) in enumerate([
            ("数学", "月考", dt.date(2026, 9, 25), 60), ("数学", "期中", dt.date(2026, 11, 5), 75),
            ("语文", "月考", dt.date(2026, 9, 25), 50), ("语文", "期中", dt.date(2026, 11, 5), 55)]):
        Score.create(uuid=f"score-{name}-{n}", student=student, subject=subject, exam=exam,
                     taken_on=when, score=score, full_marks=100)
    for text, status in [("按时交作业", "met"), ("数学及格", "met"), ("主动提问", "partly"),
                         ("旧目标", "dropped")]:
        Goal.create(case=case_id, text=text, status=status)
    save_review(school.teacher, case_id, uuid=f"review-{name}", review_date="2026-11-10",
                summary="作业按时完成，数学期中及格")
    return case_id


def test_the_evidence_is_the_progress_figure_the_latest_review_and_the_goals(school):
    case_id = with_evidence(school)
    ev = evidence(school.other, case_id)  # 李建国 leads 赵薇's case
    assert (round(ev.first, 1), round(ev.latest, 1), round(ev.change, 3)) == (55.0, 65.0, 0.182)
    assert ev.improved
    assert [(s.subject, s.first, s.latest) for s in ev.subjects] == [
        ("数学", 60.0, 75.0), ("语文", 50.0, 55.0)]
    assert ev.review_date == dt.date(2026, 11, 10)
    assert ev.review_summary == "作业按时完成，数学期中及格"
    assert (ev.goals_met, ev.goals_total) == (2, 3)  # a dropped goal does not count
    assert Evidence.from_json(ev.to_json()) == ev
    with pytest.raises(NotAllowed):  # 李建国 does not see 张伟
        evidence(school.other, school.cases["张伟"].id)


def test_no_direct_write_makes_a_case_transformed(school, chen):
    case = school.cases["张伟"]
    with pytest.raises(CaseValidationError) as refused:
        update_case(school.teacher, case.id, case.version, {"status": "transformed"})
    assert refused.value.errors == {"status": "err.transformation.needs_confirmation"}
    with pytest.raises(TransformationError, match="needs_confirmation"):
        open_case(None, school.students["周文"].id, status="transformed")
    stored = Case.get_by_id(case.id)
    assert (stored.status, stored.version) == ("active", case.version)
    assert not Case.select().where(Case.status == "transformed").exists()
    # other edits go on as before, and an already transformed case keeps its status
    update_case(school.teacher, case.id, case.version, {"status": "improving"})
    assert Case.get_by_id(case.id).status == "improving"


def test_the_term_start_review_proposes_and_keeps_the_case(school, chen):
    from db import clock

    term = add_term(None, "2026-2027 第二学期", dt.date(2027, 2, 20), dt.date(2027, 7, 10))
    clock.set_today(dt.date(2027, 2, 22), dt.datetime(2027, 2, 22, 8, 0))
    case = school.cases["曾小明"]
    with pytest.raises(TransformationError, match="reason_blank"):
        carry(school.teacher, case.id, case.version, "transformed", term.id)
    stored = Case.get_by_id(case.id)
    assert (stored.status, stored.term_id, stored.version) == ("improving", case.term_id,
                                                               case.version)  # rolled back
    carry(school.teacher, case.id, case.version, "transformed", term.id, reason="稳定进步")
    stored = Case.get_by_id(case.id)
    assert (stored.status, stored.term_id, stored.closed_on) == ("improving", term.id, None)
    [row] = transformations(chen)
    assert (row.case_id, row.status, row.reason) == (case.id, "proposed", "稳定进步")


def test_propose_then_a_coordinator_confirms_with_four_eyes(school, chen):
    li, wang = school.other, school.teacher
    case_id = with_evidence(school)
    version = Case.get_by_id(case_id).version
    with pytest.raises(TransformationError, match="reason_blank"):
        propose(li, case_id, "   ")
    with pytest.raises(NotAllowed):  # not a student 李建国 sees
        propose(li, school.cases["张伟"].id, "进步明显")
    tid = propose(li, case_id, "成绩提高，习惯养成\n详见阶段评估", expected_version=version)
    with pytest.raises(TransformationError, match="pending"):
        propose(wang, case_id, "again")
    assert Case.get_by_id(case_id).status == "identified"  # nothing changes yet
    # a teacher (even the proposer) never confirms; nor does a coordinator their own
    with pytest.raises(NotAllowed):
        confirm(li, tid)
    own = propose(chen, school.cases["张伟"].id, "进步明显")
    with pytest.raises(TransformationError, match="own"):
        confirm(chen, own)
    with pytest.raises(TransformationError, match="own"):
        decline(chen, own, "no")
    assert Transformation.get_by_id(own).status == "proposed"
    # the coordinator confirms 李建国's proposal
    confirm(chen, tid, "同意")
    case = Case.get_by_id(case_id)
    assert (case.status, case.closed_on, case.version) == ("transformed", TODAY, version + 1)
    row = get_transformation(li, tid)  # the proposer sees the outcome
    assert (row.status, row.decided_by, row.decided_on, row.decision_note) == (
        "confirmed", "陈主任", TODAY, "同意")
    [event] = CaseEvent.select().where(CaseEvent.case == case_id, CaseEvent.kind == "transformed")
    assert event.reason == "成绩提高，习惯养成\n详见阶段评估" and event.staff_id == chen.id
    assert event.detail == "55.0% → 65.0% (+18%) · 2/3"
    history = load_case(school.students["赵薇"].id, case_id, li).events
    assert history[0].kind == "transformed" and history[0].by == "陈主任"
    audited = [(a.table_name, a.action) for a in AuditLog.select().where(
        AuditLog.table_name.in_(["transformation", "case_file", "case_event"])).order_by(AuditLog.id)]
    assert audited[-5:] == [("transformation", "insert"), ("transformation", "insert"),
                            ("transformation", "update"), ("case_file", "update"),
                            ("case_event", "insert")]
    with pytest.raises(TransformationError, match="decided"):
        confirm(wang, tid)


def test_a_declined_proposal_leaves_the_case_and_another_may_follow(school, chen):
    li = school.other
    case_id = school.cases["赵薇"].id
    tid = propose(li, case_id, "进步明显")
    with pytest.raises(TransformationError, match="note_blank"):
        decline(chen, tid, "  ")
    decline(chen, tid, "还需观察一个月")
    case = Case.get_by_id(case_id)
    assert (case.status, case.closed_on) == ("identified", None)
    row = get_transformation(li, tid)
    assert (row.status, row.decision_note) == ("declined", "还需观察一个月")
    assert not CaseEvent.select().where(CaseEvent.kind == "transformed").exists()
    assert propose(li, case_id, "又一个月，继续进步") != tid


def test_a_pending_proposal_is_on_the_coordinators_caseload_only(school, chen):
    li, wang = school.other, school.teacher
    tid = propose(li, school.cases["赵薇"].id, "成绩提高\n第二行")

    def items(staff):
        return [i for i in workflow.my_due(staff.id, TODAY) if i.what == "transformation"]

    [item] = items(chen)
    assert (item.transformation_id, item.name, item.class_name, item.text, item.due) == (
        tid, "赵薇", "七年级(1)班", "成绩提高", TODAY + dt.timedelta(days=7))
    assert [i.transformation_id for i in items(wang)] == [tid]  # an administrator too
    assert items(li) == []  # the proposer: nothing to confirm
    own = propose(wang, school.cases["张伟"].id, "进步明显")
    assert [i.transformation_id for i in transformations_due(wang.id, TODAY)] == [tid]
    assert {i.transformation_id for i in items(chen)} == {tid, own}
    confirm(chen, tid)
    assert [i.transformation_id for i in items(chen)] == [own]


def test_each_reader_sees_the_proposals_of_their_students(school, chen):
    li = school.other
    propose(li, school.cases["赵薇"].id, "a")
    propose(chen, school.cases["张伟"].id, "b")
    assert [r.name for r in transformations(chen)] == ["赵薇", "张伟"]
    assert [r.name for r in transformations(li)] == ["赵薇"]
    volunteer = add_staff(None, "志愿者", "volunteer")
    assert transformations(volunteer) == []
    with pytest.raises(NotAllowed):
        propose(volunteer, school.cases["赵薇"].id, "c")


def test_the_term_summary_counts_the_confirmed_cases_with_their_evidence(school, chen):
    li = school.other
    case_id = with_evidence(school)
    confirm(chen, propose(li, case_id, "成绩提高"))
    declined = propose(school.teacher, school.cases["张伟"].id, "进步")
    decline(chen, declined, "再观察")
    propose(school.teacher, school.cases["曾小明"].id, "pending")  # not decided: not counted
    report = build_report("term", reader=school.teacher)
    section = report.transformed
    assert section is not None and section.count == 1
    [row] = section.rows
    assert (row.name, row.class_name, row.confirmed_on, row.confirmed_by, row.proposed_by) == (
        "赵薇", "七年级(1)班", TODAY, "陈主任", "李建国")
    assert (round(row.evidence.change, 3), row.evidence.review_date) == (
        0.182, dt.date(2026, 11, 10))
    assert report.cases.total.counts["transformed"] == 1
    from tui.report_files import tables

    [table] = [tb for tb in tables(report) if tb.key == "transformed"]
    assert table.rows[0][0] == "赵薇" and table.notes[0][1] == 1
    assert build_report("weekly", reader=school.teacher).transformed is None
    # a teacher who does not see the student counts nothing of it
    stranger = add_staff(None, "孙老师", "teacher")
    assert build_report("term", reader=stranger).transformed.count == 0


async def test_the_case_edit_form_refuses_transformed(school):
    from screens.case_edit import CaseEditScreen

    case = school.cases["张伟"]
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "wangfang")
        await pilot.press(*"20240101", "enter")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, CaseEditScreen)
        await pilot.press("t")  # the status: transformed
        await settle(pilot)
        status = str(form.query_one("#form-status").render())
        assert "coordinator confirms" in status and "press c on the case" in status
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form  # not saved: still the form, saying why
        assert "coordinator confirms" in str(form.query_one("#form-status").render())
    stored = Case.get_by_id(case.id)
    assert (stored.status, stored.version) == ("active", case.version)


async def test_a_lead_proposes_and_the_coordinator_confirms_by_keyboard(school, chen):
    from screens.case import CaseScreen
    from screens.case_status import CaseStatusScreen
    from screens.transformation import TransformationScreen
    from tui.widgets import CaseloadList

    case_id = with_evidence(school)
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "lijianguo")
        await pilot.press(*"20240102", "enter")  # 赵薇, whose case he leads
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, CaseStatusScreen)
        await pilot.press("p", "tab", *"Homework on time", "ctrl+s")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TransformationScreen)
        body = "\n".join(s.text for s in screen.query_one("#tf-body").lines)
        assert "55.0% → 65.0% (+18.2%)" in body and "2026-11-10" in body
        assert "Goals met: 2 of 3" in body
        await pilot.press(*", maths passed", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
    [row] = Transformation.select()
    assert (row.reason, row.status, row.proposed_by_id) == (
        "Homework on time, maths passed", "proposed", school.other.id)
    assert Case.get_by_id(case_id).status == "identified"

    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "chenzhuren")
        caseload = app.screen.query_one(CaseloadList)
        [item] = [i for i in caseload.items if i.what == "transformation"]
        caseload.cursor = caseload.items.index(item)
        caseload.focus()
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TransformationScreen)
        body = "\n".join(s.text for s in screen.query_one("#tf-body").lines)
        assert "Homework on time, maths passed" in body and "李建国" in body
        assert "55.0% → 65.0%" in body
        await pilot.press("y")
        await settle(pilot)
        assert not isinstance(app.screen, TransformationScreen)
        assert [i for i in caseload.items if i.what == "transformation"] == []
    case = Case.get_by_id(case_id)
    assert (case.status, case.closed_on) == ("transformed", TODAY)
    history = load_case(school.students["赵薇"].id, case_id, school.other).events
    assert (history[0].kind, history[0].reason) == ("transformed", "Homework on time, maths passed")
    assert AuditLog.select().where(AuditLog.table_name == "transformation",
                                   AuditLog.action == "update",
                                   AuditLog.staff == chen.id).exists()


async def test_the_coordinator_declines_with_a_note_by_keyboard(school, chen):
    from screens.transformations import TransformationsScreen
    from screens.transformation import TransformationScreen

    tid = propose(school.other, school.cases["赵薇"].id, "进步明显")
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "chenzhuren")
        app.push_screen(TransformationsScreen())
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TransformationScreen)
        await pilot.press("n", "ctrl+s")  # no note: refused
        await settle(pilot)
        assert app.screen is screen
        await pilot.press(*"wait a month", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, TransformationsScreen)
    row = Transformation.get_by_id(tid)
    assert (row.status, row.decision_note, row.decided_by_id) == ("declined", "wait a month",
                                                                  chen.id)
    assert Case.get_by_id(school.cases["赵薇"].id).status == "identified"


async def test_the_proposer_cannot_confirm_their_own_on_screen(school, chen):
    from screens.transformation import TransformationScreen

    tid = propose(chen, school.cases["赵薇"].id, "进步明显")
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "chenzhuren")
        app.push_screen(TransformationScreen(tid))
        await settle(pilot)
        screen = app.screen
        assert not screen.check_action("confirm", ())
        await pilot.press("y")
        await settle(pilot)
        assert app.screen is screen
    assert Transformation.get_by_id(tid).status == "proposed"
