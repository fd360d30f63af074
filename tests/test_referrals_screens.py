"""Referrals and outside helpers by keyboard (Pilot): a referral added on a
case, its overdue follow-up opened from the caseload and recorded, the text
kept from a teacher who is not the lead; an outside helper added to the team,
whose phone a volunteer does not see."""

from __future__ import annotations

import datetime as dt

from db.models import AuditLog, OutsideHelper, Referral
from db.staff import add_staff
from db.team import assign
from tests.conftest import PIN_HASH
from tests.helpers import make_app, settle, sign_in
from tests.test_referrals import REASON, _org, _refer, _reads, _tutor

TYPED = "失眠多周 情绪低落"


def _everything(screen) -> str:
    """Every text the screen shows (its widgets' renders, the fields' values)."""
    from textual.widgets import Input

    parts = [str(w.render()) for w in screen.query("*") if hasattr(w, "render")]
    parts += [w.value for w in screen.query(Input)]
    return "\n".join(parts)


async def test_a_referral_added_by_keyboard_then_its_follow_up_recorded_from_the_caseload(school):
    from screens.referral_form import ReferralFormScreen
    from screens.referrals import ReferralsScreen
    from screens.roster import RosterScreen
    from tui.widgets import CaseloadList

    _org(school)
    case = school.cases["张伟"].id
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "wangfang")  # 王芳 leads 张伟's case
        app.push_screen(ReferralsScreen(case, "张伟"))
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ReferralFormScreen)
        await pilot.press(*"心理")
        assert "县心理咨询中心" in str(form.query_one("#organisation-hint").render())
        await pilot.press("tab", *TYPED, "tab", "g", "tab", "ctrl+u", *"2026-11-02",
                          "tab", "tab", "tab", *"2026-11-18", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ReferralsScreen), _everything(form)
        [row] = Referral.select()
        assert (row.case_id, row.reason, row.consent, row.status, row.sent_on,
                row.follow_up_on) == (case, TYPED, "given", "sent", dt.date(2026, 11, 2),
                                      dt.date(2026, 11, 18))
        assert app.screen.table.rows[0][1:4] == ["县心理咨询中心", "sent", "2026-11-18"]
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "wangfang")
        assert isinstance(app.screen, RosterScreen)
        caseload = app.screen.query_one(CaseloadList)
        found = [i for i in caseload.items if i.what == "referral"]
        assert [i.referral_id for i in found] == [row.id]
        caseload.cursor = caseload.items.index(found[0])
        caseload.focus()
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ReferralFormScreen) and form.referral_id == row.id
        assert form.query_one("#reason").value == TYPED
        assert len(_reads(row.id)) == 1  # the opening is audited
        assert form.focused is form.query_one("#follow_up_on")
        await pilot.press("ctrl+u", *"2026-12-20", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, RosterScreen)
        assert [i for i in caseload.items if i.what == "referral"] == []
    assert Referral.get_by_id(row.id).follow_up_on == dt.date(2026, 12, 20)


async def test_a_teacher_who_is_not_the_lead_sees_only_that_a_referral_exists(school):
    from screens.referral_form import ReferralFormScreen
    from screens.referrals import ReferralsScreen

    rid = _refer(school)
    _tutor(school)
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "lijianguo")
        app.push_screen(ReferralsScreen(school.cases["张伟"].id, "张伟"))
        await settle(pilot)
        screen = app.screen
        assert screen.table.rows[0][1:3] == ["(restricted)", "sent"]
        assert "县心理咨询中心" not in _everything(screen)
        await pilot.press("a", "enter")  # neither adds nor opens
        await settle(pilot)
        assert app.screen is screen
        app.push_screen(ReferralFormScreen(rid))  # nor does the form, reached otherwise
        await settle(pilot)
        shown = _everything(app.screen)
        assert REASON not in shown and "Only counsellors" in shown
    assert _reads(rid) == [] and Referral.select().count() == 1


async def test_an_outside_helper_added_by_keyboard_is_on_the_team_without_a_phone_for_volunteers(
        school):
    from screens.team import TeamScreen

    _org(school, "镇妇联")
    case = school.cases["张伟"].id
    volunteer = add_staff(None, "周志愿", "volunteer", pin_hash=PIN_HASH)
    assign(school.teacher, case, volunteer.id, "volunteer")
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "wangfang")
        app.push_screen(TeamScreen(case, "张伟"))
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        await pilot.press(*"李村长", "tab", *"村干部", "tab", *"妇联", "tab", *"13712345678",
                          "ctrl+s")
        await settle(pilot)
        team = app.screen
        assert isinstance(team, TeamScreen)
        [row] = [r for r in team.table.rows if r[0] == "李村长"]
        assert row[1] == "outside: 村干部" and "镇妇联" in row[2] and "13712345678" in row[2]
    [helper] = OutsideHelper.select()
    assert (helper.case_id, helper.phone, helper.active) == (case, "13712345678", True)
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "zhouzhiyuan")
        app.push_screen(TeamScreen(case, "张伟"))
        await settle(pilot)
        [row] = [r for r in app.screen.table.rows if r[0] == "李村长"]
        assert "13712345678" not in " ".join(row) and "镇妇联" in row[2]
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:  # x takes them off the team
        await sign_in(pilot, "wangfang")
        app.push_screen(TeamScreen(case, "张伟"))
        await settle(pilot)
        team = app.screen
        team.table.cursor = [r[0] for r in team.table.rows].index("李村长")
        await pilot.press("x")
        await settle(pilot)
        assert "李村长" not in [r[0] for r in team.table.rows]
    assert OutsideHelper.get_by_id(helper.id).active is False
    assert AuditLog.select().where(AuditLog.table_name == "outside_helper").count() == 2
