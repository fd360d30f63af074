"""The organisations the school works with (合作机构): kept by administrators,
coordinators and counsellors, read by everyone who works on cases, never
deleted (deactivated: what names them keeps them); by the db functions, the
command line and the keyboard."""

from __future__ import annotations

import pytest

from db.access import NotAllowed
from db.models import AuditLog, Organisation, Staff
from db.organisations import (OrganisationConflict, OrganisationError, add_organisation,
                              deactivate, list_organisations, match, update_organisation)
from db.referrals import add_referral, referrals_of_case
from db.staff import add_staff
from tests.helpers import cli_env, make_app, run_cli, settle, sign_in


def _org(actor, name="县人民医院", kind="hospital") -> int:
    return add_organisation(actor, {"name": name, "kind": kind, "phone": "0891-120"})


def test_managers_and_counsellors_keep_the_list_teachers_read_it_volunteers_do_not(school):
    counsellor = Staff.get(Staff.name == "曾老师")
    oid = _org(school.teacher)
    _org(counsellor, "县妇联", "womens_federation")
    with pytest.raises(NotAllowed):
        _org(school.other, "村委会", "village")  # 李建国, a teacher
    with pytest.raises(NotAllowed):
        deactivate(school.other, oid, 1)
    with pytest.raises(NotAllowed):
        update_organisation(school.other, oid, {"name": "x", "kind": "other"}, 1)
    assert [r.name for r in list_organisations(school.other)] == ["县人民医院", "县妇联"]
    assert list_organisations(add_staff(None, "周志愿", "volunteer")) == []
    with pytest.raises(OrganisationError) as bad:
        _org(school.teacher)  # the same name again
    assert bad.value.errors == {"name": "err.org.name_taken"}
    with pytest.raises(OrganisationError) as bad:
        add_organisation(school.teacher, {"name": " ", "kind": "bank"})
    assert set(bad.value.errors) == {"name", "kind"}
    assert [a.action for a in AuditLog.select().where(AuditLog.table_name == "organisation")
            ] == ["insert", "insert"]


def test_a_deactivated_organisation_leaves_the_choices_and_its_referrals_keep_it(school):
    oid = _org(school.teacher)
    case = school.cases["张伟"].id
    add_referral(school.teacher, case, {"organisation": oid, "reason": "体检",
                                        "follow_up_on": "2026-12-01"})
    assert deactivate(school.teacher, oid, 1)
    with pytest.raises(OrganisationConflict):
        deactivate(school.teacher, oid, 1)
    rows = list_organisations(school.teacher)
    assert match(rows, "医院") == [] and not rows[0].active
    assert Organisation.select().count() == 1  # never deleted
    [referral] = referrals_of_case(school.teacher, case)
    assert referral.organisation == "县人民医院"
    with pytest.raises(Exception) as refused:
        add_referral(school.teacher, case, {"organisation": oid, "reason": "复查",
                                            "follow_up_on": "2026-12-01"})
    assert refused.value.errors == {"organisation": "err.referral.organisation_unknown"}


def test_cli_adds_and_lists_and_refuses_a_teacher(school, tmp_path):
    env = cli_env(tmp_path)
    added = run_cli(env, "orgs", "add", "县心理咨询中心", "--kind", "counselling_centre",
                    db=school.path)
    assert added.returncode == 0, added.stderr
    assert Organisation.get().kind == "counselling_centre"
    refused = run_cli(env, "orgs", "add", "派出所", "--kind", "police", "--as", "李建国",
                      db=school.path)
    assert refused.returncode == 4 and Organisation.select().count() == 1
    listed = run_cli(env, "--lang", "zh", "orgs", "list", "--as", "李建国", db=school.path)
    assert listed.returncode == 0 and "县心理咨询中心" in listed.stdout and "心理咨询机构" in listed.stdout


async def test_an_organisation_added_changed_and_deactivated_by_keyboard(school):
    from screens.organisation_form import OrganisationFormScreen
    from screens.organisations import OrganisationsScreen

    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "wangfang")
        app.push_screen(OrganisationsScreen())
        await settle(pilot)
        screen = app.screen
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, OrganisationFormScreen)
        await pilot.press(*"County hospital", "tab", "h", "tab", *"0891-120", "ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert screen.table.rows == [["County hospital", "hospital", "0891-120", "active"]]
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press(*" No.1", "ctrl+s")
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert screen.table.rows == [["County hospital No.1", "hospital", "0891-120", "inactive"]]
    stored = Organisation.get()
    assert (stored.name, stored.active, stored.version) == ("County hospital No.1", False, 3)


async def test_a_teacher_reads_the_list_and_has_no_key_to_change_it(school):
    from screens.organisations import OrganisationsScreen

    _org(school.teacher)
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "lijianguo")
        app.push_screen(OrganisationsScreen())
        await settle(pilot)
        screen = app.screen
        assert [r[0] for r in screen.table.rows] == ["县人民医院"]
        await pilot.press("a", "x", "enter")
        await settle(pilot)
        assert app.screen is screen and screen.table.rows[0][3] == "active"
        assert not any(screen.check_action(a, ()) for a in ("add", "edit", "deactivate"))
    assert Organisation.select().count() == 1 and Organisation.get().active
