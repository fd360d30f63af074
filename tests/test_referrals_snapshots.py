"""Snapshots of referrals (a case's list, a referral opened), the organisations
and a team with an outside helper, at 80x24 in English and in Chinese.

Update after an intended change with
``pytest tests/test_referrals_snapshots.py --snapshot-update -n0`` and look at
the SVGs before committing them.
"""

from __future__ import annotations

from db.organisations import add_organisation, deactivate
from db.outside_helpers import add_helper
from db.referrals import add_referral
from tests.helpers import make_app, settle, sign_in

SIZE = (80, 24)


def _orgs(school) -> dict[str, int]:
    out = {}
    for name, kind, phone in (("县心理咨询中心", "counselling_centre", "0891-6812345"),
                              ("县民政局", "civil_affairs", "0891-6820000"),
                              ("镇妇联", "womens_federation", ""),
                              ("县人民医院", "hospital", "0891-120")):
        out[name] = add_organisation(school.teacher, {"name": name, "kind": kind, "phone": phone})
    deactivate(school.teacher, out["县人民医院"], 1)
    return out


def _referrals(school) -> int:
    orgs = _orgs(school)
    case = school.cases["张伟"].id
    first = add_referral(school.teacher, case, {
        "organisation": orgs["县心理咨询中心"], "reason": "长期失眠，情绪低落", "consent": "given",
        "sent_on": "2026-11-02", "status": "accepted", "follow_up_on": "2026-11-16"})
    add_referral(school.teacher, case, {
        "organisation": orgs["县民政局"], "reason": "申请临时救助", "consent": "pending",
        "sent_on": "2026-11-10", "follow_up_on": "2026-12-01"})
    add_referral(school.teacher, case, {
        "organisation": orgs["镇妇联"], "reason": "家庭矛盾调解", "consent": "given",
        "sent_on": "2026-10-08", "status": "closed", "outcome": "已调解"})
    return first


def _push(make):
    async def before(pilot):
        await sign_in(pilot, "wangfang")
        pilot.app.push_screen(make())
        await settle(pilot)
    return before


def test_a_cases_referrals(snap_compare, school, lang):
    from screens.referrals import ReferralsScreen

    _referrals(school)
    case = school.cases["张伟"].id
    assert snap_compare(make_app(school.path), terminal_size=SIZE,
                        run_before=_push(lambda: ReferralsScreen(case, "张伟")))


def test_a_referral_opened(snap_compare, school, lang):
    from screens.referral_form import ReferralFormScreen

    first = _referrals(school)
    assert snap_compare(make_app(school.path), terminal_size=SIZE,
                        run_before=_push(lambda: ReferralFormScreen(first)))


def test_the_organisations(snap_compare, school, lang):
    from screens.organisations import OrganisationsScreen

    _orgs(school)
    assert snap_compare(make_app(school.path), terminal_size=SIZE,
                        run_before=_push(OrganisationsScreen))


def test_a_team_with_an_outside_helper(snap_compare, school, lang):
    from screens.team import TeamScreen

    orgs = _orgs(school)
    case = school.cases["张伟"].id
    add_helper(school.teacher, case, {"name": "李村长", "role": "村干部", "phone": "13712345678",
                                      "organisation": orgs["镇妇联"], "since": "2026-10-01"})
    assert snap_compare(make_app(school.path), terminal_size=SIZE,
                        run_before=_push(lambda: TeamScreen(case, "张伟")))
