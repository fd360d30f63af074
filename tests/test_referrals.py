"""Referrals (转介): restricted like counselling entries, sealed, their opening
audited, their overdue follow-ups on the caseload of the author and the case's
lead until the follow-up is recorded; by the db functions, the command line
and the keyboard.  Outside helpers on a case's team (db.outside_helpers)."""

from __future__ import annotations

import datetime as dt

import pytest

from db import workflow
from db.access import NotAllowed
from db.models import AuditLog, Organisation, Referral, Staff
from db.organisations import add_organisation
from db.outside_helpers import HelperError, add_helper, helpers_of_case, remove_helper
from db.referrals import (ReferralConflict, ReferralError, add_referral, get_referral,
                          referrals, referrals_of_case, update_referral)
from db.staff import add_staff
from db.team import assign
from tests.conftest import TODAY
from tests.helpers import cli_env, run_cli

REASON = "长期失眠，自述有轻生念头"
OUTCOME = "医院诊断为焦虑，开始每周咨询"


def _staff(name: str) -> Staff:
    return Staff.get(Staff.name == name)


def _due(staff_id: int):
    return [i for i in workflow.my_due(staff_id, TODAY) if i.what == "referral"]


def _org(school, name: str = "县心理咨询中心") -> int:
    found = Organisation.get_or_none(Organisation.name == name)
    if found is not None:
        return found.id
    return add_organisation(school.teacher, {"name": name, "kind": "counselling_centre",
                                             "phone": "0891-1234567"})


def _refer(school, who=None, *, follow="2026-11-18", student="张伟", **more) -> int:
    """A referral of 张伟 (王芳 leads the case), follow-up overdue by default."""
    data = {"organisation": _org(school), "reason": REASON, "consent": "given",
            "sent_on": "2026-11-02", "status": "sent", "follow_up_on": follow, **more}
    return add_referral(who or school.teacher, school.cases[student].id, data)


def _tutor(school):
    """李建国 on 张伟's case as a subject tutor: he sees the student, is not the lead."""
    li = school.other
    assign(school.teacher, school.cases["张伟"].id, li.id, "tutor")
    return li


def _reads(rid: int) -> list:
    return list(AuditLog.select().where(AuditLog.table_name == "referral",
                                        AuditLog.row_id == str(rid), AuditLog.action == "read"))


def test_an_overdue_follow_up_is_on_the_authors_and_the_leads_caseload_until_recorded(school):
    counsellor = _staff("曾老师")
    rid = _refer(school, counsellor)  # the counsellor refers; 王芳 leads the case
    for person in (counsellor, school.teacher):
        [item] = _due(person.id)
        assert (item.referral_id, item.name, item.due, item.case_id) == (
            rid, "张伟", dt.date(2026, 11, 18), school.cases["张伟"].id)
        assert item.text == "县心理咨询中心" and REASON not in item.text
    assert _due(school.other.id) == []  # neither author nor lead
    update_referral(school.teacher, rid, {"status": "accepted", "follow_up_on": "2026-12-20"}, 1)
    assert _due(counsellor.id) == [] and _due(school.teacher.id) == []
    update_referral(school.teacher, rid, {"follow_up_on": "2026-11-19"}, 2)
    assert [i.referral_id for i in _due(counsellor.id)] == [rid]
    update_referral(school.teacher, rid, {"status": "closed", "outcome": OUTCOME}, 3)
    assert _due(counsellor.id) == [] and _due(school.teacher.id) == []
    assert Referral.get_by_id(rid).follow_up_on is None  # closing clears it


def test_a_teacher_who_is_not_the_lead_sees_that_a_referral_exists_never_its_text(school):
    rid = _refer(school)
    li = _tutor(school)
    [row] = referrals_of_case(li, school.cases["张伟"].id)
    assert (row.id, row.readable, row.status) == (rid, False, "sent")
    assert (row.organisation, row.consent, row.reason, row.outcome) == ("", "", "", "")
    with pytest.raises(NotAllowed):
        get_referral(li, rid)
    with pytest.raises(NotAllowed):
        update_referral(li, rid, {"status": "closed"}, 1)
    with pytest.raises(NotAllowed):  # nor may he refer the case himself
        add_referral(li, school.cases["张伟"].id, dict(
            organisation=Referral.get_by_id(rid).organisation_id, reason="x",
            follow_up_on="2026-12-01"))
    assert referrals(li) == []
    assert _reads(rid) == []  # a refusal opens nothing
    # someone who does not see the student does not even see that it exists
    assert referrals_of_case(add_staff(None, "孙老师", "teacher"), school.cases["张伟"].id) == []


def test_readers_open_the_text_and_each_opening_is_audited(school):
    rid = _refer(school)
    counsellor = _staff("曾老师")
    [listed] = referrals_of_case(counsellor, school.cases["张伟"].id)
    assert listed.readable and listed.organisation == "县心理咨询中心" and listed.reason == ""
    assert _reads(rid) == []  # listing is not opening
    opened = get_referral(counsellor, rid)
    assert (opened.reason, opened.consent) == (REASON, "given")
    [read] = _reads(rid)
    assert read.staff_name == "曾老师"
    get_referral(school.teacher, rid)  # the lead
    assert [r.staff_name for r in _reads(rid)] == ["曾老师", "王芳"]


def test_the_oversight_list_is_what_the_reader_may_read_overdue_first(school):
    late = _refer(school)
    later = _refer(school, follow="2026-12-10", student="曾小明")
    closed = _refer(school, follow="", status="closed")
    assert [r.id for r in referrals(school.teacher)] == [late, later, closed]
    assert [r.id for r in referrals(school.teacher, overdue_only=True)] == [late]
    assert [r.id for r in referrals(school.teacher, status="closed")] == [closed]
    assert referrals(school.other) == []  # 李建国 leads neither case
    assert [r.id for r in referrals(_staff("曾老师"))] == [late, later, closed]


def test_values_are_checked_and_versions_too(school):
    with pytest.raises(ReferralError) as bad:
        _refer(school, follow="")
    assert bad.value.errors == {"follow_up_on": "err.referral.follow_up_required"}
    with pytest.raises(ReferralError) as bad:
        add_referral(school.teacher, school.cases["张伟"].id,
                     dict(reason=" ", consent="maybe", follow_up_on="2026-12-01"))
    assert set(bad.value.errors) == {"organisation", "reason", "consent"}
    rid = _refer(school)
    assert update_referral(school.teacher, rid, {"status": "seen"}, 1)
    with pytest.raises(ReferralConflict):
        update_referral(school.teacher, rid, {"status": "accepted"}, 1)
    assert update_referral(school.teacher, rid, {"status": "accepted"}, 2)  # back: allowed
    assert not update_referral(school.teacher, rid, {"status": "accepted"}, 3)  # no change
    changes = [a.changes for a in AuditLog.select().where(
        AuditLog.table_name == "referral", AuditLog.action == "update").order_by(AuditLog.id)]
    assert ('"sent", "seen"' in changes[0], '"seen", "accepted"' in changes[1]) == (True, True)


def test_reason_and_outcome_are_sealed_once_the_school_has_keys(school):
    from tests.test_sealed import set_up, signed

    admin, _ = set_up()
    rid = _refer(school, admin, outcome=OUTCOME)
    stored = Referral.get_by_id(rid)
    assert REASON not in stored.reason and OUTCOME not in stored.outcome
    insert = AuditLog.get(AuditLog.table_name == "referral", AuditLog.action == "insert")
    assert REASON not in insert.changes and OUTCOME not in insert.changes
    assert get_referral(signed("王芳"), rid).reason == REASON
    update_referral(signed("王芳"), rid, {"reason": REASON + "。"}, 1)
    assert get_referral(signed("王芳"), rid).reason == REASON + "。"
    assert REASON not in "".join(a.changes for a in AuditLog.select().where(
        AuditLog.table_name == "referral"))


def test_cli_adds_lists_and_sets_and_keeps_the_text_from_a_non_reader(school, tmp_path):
    env = cli_env(tmp_path)
    _org(school)
    added = run_cli(env, "referrals", "add", "20240101", "--org", "心理", "--reason", REASON,
                    "--consent", "given", "--sent", "2026-11-02", "--follow-up", "2026-11-18",
                    db=school.path)
    assert added.returncode == 0, added.stderr
    [row] = Referral.select()
    due = run_cli(env, "due", db=school.path)
    assert "张伟" in due.stdout and "Referral" in due.stdout
    _tutor(school)
    for args in (("referrals", "list"), ("referrals", "show", str(row.id)), ("due",)):
        out = run_cli(env, *args, "--as", "李建国", db=school.path)
        assert REASON not in out.stdout + out.stderr and "县心理咨询中心" not in out.stdout
    refused = run_cli(env, "referrals", "show", str(row.id), "--as", "李建国", db=school.path)
    assert refused.returncode == 4
    shown = run_cli(env, "referrals", "show", str(row.id), db=school.path)
    assert REASON in shown.stdout and len(_reads(row.id)) == 1
    listed = run_cli(env, "referrals", "list", "--overdue", db=school.path)
    assert "县心理咨询中心" in listed.stdout and REASON not in listed.stdout
    done = run_cli(env, "referrals", "set", str(row.id), "--status", "closed", "--outcome",
                   OUTCOME, db=school.path)
    assert done.returncode == 0, done.stderr
    assert Referral.get_by_id(row.id).status == "closed"
    assert "Referral" not in run_cli(env, "due", db=school.path).stdout
    bad = run_cli(env, "referrals", "add", "20240101", "--org", "心理", "--reason", "x",
                  "--consent", "given", db=school.path)
    assert bad.returncode == 2 and "--follow-up" in bad.stderr


def test_outside_helpers_are_listed_and_a_volunteer_never_sees_their_phone(school):
    case = school.cases["张伟"].id
    org = _org(school, "镇妇联")
    hid = add_helper(school.teacher, case, {"name": "李村长", "role": "村干部", "phone": "13712345678",
                                            "organisation": org})
    [helper] = helpers_of_case(school.teacher, case)
    assert (helper.name, helper.organisation, helper.phone, helper.since) == (
        "李村长", "镇妇联", "13712345678", TODAY)
    volunteer = add_staff(None, "志愿者小周", "volunteer")
    assign(school.teacher, case, volunteer.id, "volunteer")
    [seen] = helpers_of_case(volunteer, case)
    assert seen.name == "李村长" and seen.phone == ""
    with pytest.raises(NotAllowed):
        add_helper(volunteer, case, {"name": "x"})
    with pytest.raises(NotAllowed):  # 李建国 does not see 张伟
        add_helper(school.other, case, {"name": "x"})
    with pytest.raises(HelperError):
        add_helper(school.teacher, case, {"name": " "})
    assert remove_helper(school.teacher, hid)
    assert helpers_of_case(school.teacher, case) == []
    assert [a.action for a in AuditLog.select().where(
        AuditLog.table_name == "outside_helper").order_by(AuditLog.id)] == ["insert", "update"]
