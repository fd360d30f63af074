"""My caseload: frequency rules, follow-ups, `bangfu due`, and the home screen.

The small school (tests/conftest.py) on 2026-11-20.  王芳 leads 张伟 and
曾小明.  Here 张伟's case was opened on 1 September, its only family contact is
moved to 1 October (so the monthly family contact is 20 days late) and a help
session on 18 November keeps the weekly rule in hand, and a stage review on
2 November set the next one for 2 December: the family contact is the most
urgent thing 王芳 owes.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from db import workflow
from db.models import AuditLog, Case, Contact, StageReview
from screens.contact import ContactScreen
from tests.conftest import TODAY
from tests.helpers import ROOT, cli_env, make_app, settle, sign_in
from tui.widgets import CaseloadList, LetterChoice

FAMILY_UUID = "00000000-0000-4000-8000-000000000001"


@pytest.fixture
def owed(school):
    case = school.cases["张伟"]
    Case.update(opened_on=dt.date(2026, 9, 1)).where(Case.id == case.id).execute()
    Contact.update(occurred_at=dt.datetime(2026, 10, 1, 16, 0)).where(
        Contact.uuid == FAMILY_UUID).execute()
    Contact.create(uuid="00000000-0000-4000-8000-000000000002", case=case.id,
                   author=school.teacher.id, occurred_at=dt.datetime(2026, 11, 18, 15, 0),
                   kind="student", channel="face", discussed="Homework help", host="test")
    StageReview.create(uuid="review-zhangwei-1", case=case.id, review_date=dt.date(2026, 11, 2),
                       summary="Homework handed in more often", goals="[]",
                       next_review=dt.date(2026, 12, 2), author=school.teacher.id)
    return school


def test_the_rules_give_the_overdue_family_contact_first(owed):
    items = workflow.my_due(owed.teacher.id, TODAY)
    top = items[0]
    assert (top.name, top.what, top.due) == ("张伟", "family", dt.date(2026, 10, 31))
    assert top.last == dt.date(2026, 10, 1) and top.kind == "family"
    whats = {(i.name, i.what) for i in items}
    # the help session of 18 November is due again on the 25th: within the 7 days
    assert ("张伟", "help") in whats
    # no home visit this term: due by the middle of the term (10 November)
    assert ("张伟", "home_visit") in whats
    # the follow-up "Call again" is due on 25 November
    assert ("张伟", "follow_up") in whats
    # 李建国's case (赵薇) is not on 王芳's list
    assert all(i.name in ("张伟", "曾小明") for i in items)
    assert [i.due for i in items] == sorted(i.due for i in items)


def test_any_entry_of_the_right_kind_counts_whatever_its_channel(owed):
    case = owed.cases["张伟"]
    # a family contact logged as "group chat" (or anything else) meets the monthly rule
    Contact.create(uuid="00000000-0000-4000-8000-000000000003", case=case.id,
                   author=owed.teacher.id, occurred_at=dt.datetime(2026, 11, 19, 9, 0),
                   kind="family", channel="group_chat", discussed="Class group message",
                   host="test")
    whats = {(i.name, i.what) for i in workflow.my_due(owed.teacher.id, TODAY)}
    assert ("张伟", "family") not in whats
    # but calling a phone call a "home visit" is not what relabelling means: a
    # home visit is the channel itself, and only a home visit meets that rule
    assert ("张伟", "home_visit") in whats


def test_a_student_entry_relabelled_as_a_home_visit_still_is_a_help_session(owed):
    case = owed.cases["曾小明"]
    Contact.create(uuid="00000000-0000-4000-8000-000000000004", case=case.id,
                   author=owed.teacher.id, occurred_at=dt.datetime(2026, 11, 20, 9, 0),
                   kind="student", channel="home_visit", discussed="Tutoring at home",
                   host="test")
    items = workflow.my_due(owed.teacher.id, TODAY)
    [help_] = [i for i in items if (i.name, i.what) == ("曾小明", "help")]
    assert help_.last == TODAY and help_.due == TODAY + dt.timedelta(days=7)  # met today


def test_the_rules_can_be_changed_for_the_school(owed):
    from db.models import Meta

    Meta.create(key="rules", value='[{"code": "family", "kind": "family", "every_days": 90}]')
    whats = {(i.name, i.what) for i in workflow.my_due(owed.teacher.id, TODAY)}
    assert ("张伟", "family") not in whats and ("张伟", "help") not in whats
    assert ("张伟", "follow_up") in whats  # follow-ups are not a rule


async def test_the_overdue_family_contact_is_on_top_and_n_logs_it(owed):
    app = make_app(owed.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "wangfang")
        screen = app.screen
        caseload = screen.query_one(CaseloadList)
        assert caseload.display
        top = caseload.items[0]
        assert (top.name, top.what) == ("张伟", "family")
        shown = caseload.render().plain
        assert "My caseload" in shown and "20 d late" in shown and "Family contact" in shown
        await pilot.press("shift+tab")  # the caseload is just above the search
        assert app.focused is caseload
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ContactScreen)
        assert form.row.name == "张伟"
        assert form.query_one("#kind", LetterChoice).value == "family"
        form.query_one("#discussed").focus()  # (the form opens on the date)
        await pilot.press(*"Called father about homework")
        await pilot.press("ctrl+s")
        await settle(pilot, 5)
        assert app.screen is screen
        assert ("张伟", "family") not in {(i.name, i.what) for i in caseload.items}
    saved = Contact.get(Contact.discussed == "Called father about homework")
    assert saved.kind == "family"


async def test_a_follow_up_marked_done_with_d_leaves_the_list(owed):
    app = make_app(owed.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "wangfang")
        caseload = app.screen.query_one(CaseloadList)
        await pilot.press("shift+tab")
        index = next(i for i, item in enumerate(caseload.items) if item.what == "follow_up")
        for _ in range(index):
            await pilot.press("down")
        assert caseload.current.what == "follow_up"
        await pilot.press("d")
        await settle(pilot, 5)
        assert "follow_up" not in {i.what for i in caseload.items}
    row = Contact.get(Contact.uuid == FAMILY_UUID)
    assert row.follow_up_done_on == TODAY
    assert AuditLog.select().where(AuditLog.table_name == "contact",
                                   AuditLog.row_id == str(row.id),
                                   AuditLog.action == "update").exists()


async def test_d_on_a_rule_item_says_what_to_do_and_changes_nothing(owed):
    app = make_app(owed.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "wangfang")
        caseload = app.screen.query_one(CaseloadList)
        await pilot.press("shift+tab")
        assert caseload.current.what == "family"
        before = len(caseload.items)
        await pilot.press("d")
        await settle(pilot)
        assert len(caseload.items) == before
        assert any("follow-up" in n.message for n in app._notifications)


async def test_typing_a_name_in_the_caseload_goes_back_to_the_search(owed):
    app = make_app(owed.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "wangfang")
        screen = app.screen
        caseload = screen.query_one(CaseloadList)
        await pilot.press("shift+tab")
        await pilot.press(*"zhao")  # any other letter goes back to the search
        await settle(pilot)
        assert app.focused is screen.search_input
        assert screen.search_input.value == "zhao"
        assert [r.name for r in screen.roster.rows] == ["赵薇"]
        assert caseload.display  # it stays: hiding it would re-lay the screen on a key
        await pilot.press("ctrl+o")  # a filter: the roster takes the whole screen
        assert not caseload.display


def cli(env, db, *args):
    return subprocess.run([sys.executable, "-m", "tui.cli", "--db", str(db), *args],
                          capture_output=True, input="1234\n", text=True, env=env, cwd=ROOT, timeout=60)


def test_bangfu_due_lists_then_forgets_what_bangfu_log_did(owed, tmp_path):
    from db.store.connection import close_database

    close_database()
    env = cli_env(tmp_path)
    due = cli(env, owed.path, "due", "--as", "王芳")
    assert due.returncode == 0, due.stderr
    lines = due.stdout.splitlines()
    assert "张伟" in lines[1] and "20240101" in lines[1] and "Family contact" in lines[1]
    assert "20 d late" in lines[1]
    # logged under another channel label: still the family contact the rule asks for
    log = cli(env, owed.path, "log", "20240101", "--kind", "family", "--channel", "sms",
              "--text", "Texted mother", "--as", "王芳")
    assert log.returncode == 0, log.stderr
    after = cli(env, owed.path, "due", "--as", "王芳")
    assert after.returncode == 0
    assert not any("张伟" in line and "Family contact" in line for line in after.stdout.splitlines())
    assert any("张伟" in line and "Follow-up" in line for line in after.stdout.splitlines())


def test_bangfu_due_with_nothing_due_exits_0(school, tmp_path):
    from db.store.connection import close_database

    close_database()
    env = cli_env(tmp_path)
    none = cli(env, school.path, "due", "--as", "曾老师")
    assert none.returncode == 0, none.stderr
    assert "Nothing overdue" in none.stdout
    zh = cli(env, school.path, "--lang", "zh", "due", "--as", "曾老师", "--days", "0")
    assert zh.returncode == 0 and "没有逾期" in zh.stdout
    bad = cli(env, school.path, "due", "--as", "曾老师", "--days", "-1")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
