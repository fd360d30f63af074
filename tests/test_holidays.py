"""Holidays and rules "N times a term": what the due list asks for, and when.

The school plans ask for contact with families "在学期内及寒暑假中" and home
visits "每学期不少于2次": a holiday pauses the weekly help session (and every
rule "a term"), a school's holiday family contact rule asks instead, and a rule
can ask for several entries a term.
"""

from __future__ import annotations

import datetime as dt

import pytest

from db import workflow
from db.access import NotAllowed
from db.holidays import Calendar, HolidayError, add_holiday, list_holidays, remove_holiday
from db.models import AuditLog, Case, Contact, Term
from db.rules import RuleError, add_rule, parse_often, set_interval, set_season
from db.workflow import Rule, my_due
from tests.helpers import cli_env, run_cli

WINTER = (dt.date(2027, 1, 21), dt.date(2027, 2, 21))  # after the fixture's term (to 2027-01-20)
IN_WINTER = dt.date(2027, 2, 10)


@pytest.fixture
def since_september(school):
    """The fixture's cases, opened when the term began (not today)."""
    Case.update(opened_on=dt.date(2026, 9, 1)).execute()
    return school


def whats(items, name=None):
    return sorted({i.what for i in items if name is None or i.name == name})


def log(case, day: dt.date, kind="student", channel="face"):
    import uuid

    Contact.create(uuid=str(uuid.uuid4()), case=case.id, author=1, kind=kind,
                   channel=channel, occurred_at=dt.datetime.combine(day, dt.time(10, 0)))


def test_bangfu_due_on_a_winter_holiday_asks_for_the_holiday_contact_not_the_help(school,
                                                                                   tmp_path):
    from db.store.connection import close_database

    close_database()
    env = cli_env(tmp_path)
    env["BANGFU_TODAY"] = IN_WINTER.isoformat()
    before = run_cli(env, "due", db=school.path)
    assert before.returncode == 0, before.stderr
    # today's bangfu: each of 王芳's two cases' weekly help session, weeks overdue
    assert sum("Help session" in line for line in before.stdout.splitlines()) == 2

    for args in (("holidays", "add", "寒假", "--start", "2027-01-21", "--end", "2027-02-21",
                  "--kind", "winter"),
                 ("rules", "set", "home_visit", "--per-term", "--times", "2"),
                 ("rules", "add", "holiday_family", "--kind", "family", "--every", "14",
                  "--during", "holiday")):
        done = run_cli(env, *args, db=school.path)
        assert done.returncode == 0, (args, done.stderr)
    rules = run_cli(env, "rules", db=school.path)
    assert "2 times a term" in rules.stdout and "every 14 days · holidays" in rules.stdout
    assert "every 7 days · term-time" in rules.stdout
    listed = run_cli(env, "holidays", db=school.path)
    assert "2027-01-21 – 2027-02-21  winter holiday  寒假" in listed.stdout

    after = run_cli(env, "due", db=school.path)
    assert after.returncode == 0, after.stderr
    lines = after.stdout.splitlines()
    assert not any("Help session" in line for line in lines), after.stdout
    assert not any("Home visit" in line for line in lines), after.stdout  # a term's rule: paused
    holiday = [line for line in lines if "Holiday family contact" in line]
    # every 14 days from the holiday's first day (the family entry of 2026-11-02 is
    # before it): due 2027-02-04, 6 days before the 10th
    assert len(holiday) == 2 and all("6 d late" in line for line in holiday), after.stdout
    zh = run_cli({**env, "BANGFU_LANG": "zh"}, "--lang", "zh", "due", db=school.path)
    assert "假期家校联系" in zh.stdout and "个别辅导" not in zh.stdout


def test_a_holiday_pauses_the_help_session_and_it_counts_again_from_the_last_day_off(
        since_september):
    school = since_september
    add_holiday(school.teacher, "寒假", *WINTER, kind="winter")
    cases = workflow.my_cases(school.teacher.id)
    in_holiday = workflow.due_items(cases, IN_WINTER)
    assert "help" not in whats(in_holiday)
    # the first school day: the help session is due a week after the holiday ended
    back = workflow.due_items(cases, dt.date(2027, 2, 22))
    helps = [i for i in back if i.what == "help"]
    assert helps and {i.due for i in helps} == {dt.date(2027, 2, 28)}
    # without the holiday, on the same day, it is weeks overdue
    remove_holiday(school.teacher, list_holidays()[0].id)
    late = [i for i in workflow.due_items(cases, dt.date(2027, 2, 22)) if i.what == "help"]
    assert late and all(i.due < dt.date(2027, 2, 1) for i in late)


def test_a_due_day_that_falls_on_a_day_off_moves_to_the_next_school_day(since_september):
    school = since_september
    zhang = school.cases["张伟"]
    log(zhang, dt.date(2026, 11, 16))  # the help session: next one due the 23rd
    add_holiday(school.teacher, "运动会", dt.date(2026, 11, 23), dt.date(2026, 11, 24),
                kind="day_off")
    [help_item] = [i for i in my_due(school.teacher.id, dt.date(2026, 11, 20))
                   if i.what == "help" and i.name == "张伟"]
    assert help_item.due == dt.date(2026, 11, 25)


def test_twice_a_term_asks_again_after_the_first_home_visit(since_september):
    school = since_september
    zhang = school.cases["张伟"]
    set_interval(school.teacher, "home_visit", per_term=True, times=2)
    # term 2026-09-01 .. 2027-01-20 (141 days): the first by a third, the second by two thirds
    term = Term.get()
    first = term.start_date + (term.end_date - term.start_date) / 3
    second = term.start_date + (term.end_date - term.start_date) * 2 / 3
    items = [i for i in workflow.due_items(workflow.my_cases(school.teacher.id),
                                           dt.date(2026, 11, 20), days=30)
             if i.what == "home_visit" and i.name == "张伟"]
    assert [i.due for i in items] == [first]
    log(zhang, dt.date(2026, 10, 10), kind="family", channel="home_visit")
    items = [i for i in workflow.due_items(workflow.my_cases(school.teacher.id),
                                           dt.date(2026, 11, 20), days=30)
             if i.what == "home_visit" and i.name == "张伟"]
    assert [i.due for i in items] == [second]
    log(zhang, dt.date(2026, 11, 12), kind="family", channel="home_visit")
    assert not [i for i in my_due(school.teacher.id, dt.date(2026, 11, 20), days=90)
                if i.what == "home_visit" and i.name == "张伟"]


def test_a_holiday_rule_once_a_holiday_is_met_by_one_entry_in_it(school):
    add_holiday(school.teacher, "寒假", *WINTER, kind="winter")
    add_rule(school.teacher, Rule("holiday_family", kind="family", per_term=True,
                                  during="holiday"))
    zhang = school.cases["张伟"]
    cases = workflow.my_cases(school.teacher.id)
    # due by the middle of the holiday; not asked on a school day
    assert "holiday_family" not in whats(workflow.due_items(cases, dt.date(2026, 11, 20)))
    items = [i for i in workflow.due_items(cases, IN_WINTER) if i.what == "holiday_family"]
    assert {i.due for i in items} == {dt.date(2027, 2, 5)}
    log(zhang, dt.date(2027, 1, 30), kind="family", channel="phone")
    assert "holiday_family" not in whats(workflow.due_items(cases, IN_WINTER), "张伟")
    assert "holiday_family" in whats(workflow.due_items(cases, IN_WINTER), "曾小明")


def test_holidays_are_checked_audited_and_only_for_managers(school):
    with pytest.raises(NotAllowed):
        add_holiday(school.other, "寒假", *WINTER)
    with pytest.raises(HolidayError) as err:
        add_holiday(school.teacher, "寒假", WINTER[1], WINTER[0])
    assert err.value.code == "dates"
    with pytest.raises(HolidayError) as err:
        add_holiday(school.teacher, " ", *WINTER)
    assert err.value.code == "name"
    add_holiday(school.teacher, "寒假", *WINTER, kind="winter")
    with pytest.raises(HolidayError) as err:
        add_holiday(school.teacher, "春节", dt.date(2027, 2, 1), dt.date(2027, 2, 3))
    assert err.value.code == "overlap"
    with pytest.raises(HolidayError) as err:
        add_holiday(school.teacher, "暑假", dt.date(2027, 7, 1), dt.date(2027, 12, 1))
    assert err.value.code == "long"
    row = AuditLog.select().where(AuditLog.table_name == "holiday").get()
    assert (row.action, row.staff_name) == ("insert", "王芳")


def test_the_calendar_finds_the_holiday_of_a_day():
    cal = Calendar(((dt.date(2027, 1, 21), dt.date(2027, 2, 21)),
                    (dt.date(2027, 2, 22), dt.date(2027, 2, 23))))
    assert cal.on(dt.date(2027, 1, 20)) is None
    assert cal.on(dt.date(2027, 1, 21)) == cal.spans[0]
    assert cal.on(dt.date(2027, 2, 23)) == cal.spans[1]
    assert cal.after(dt.date(2027, 2, 1)) == dt.date(2027, 2, 24)  # two holidays in a row
    assert cal.last_end_before(dt.date(2027, 3, 1)) == dt.date(2027, 2, 23)
    assert cal.last_end_before(dt.date(2027, 1, 21)) is None


@pytest.mark.parametrize(("text", "parsed"), [
    ("14", (14, False, 1)), ("t", (0, True, 1)), ("2t", (0, True, 2)), ("2 term", (0, True, 2)),
    ("3/学期", (0, True, 3)), ("每学期2次", (0, True, 2)), ("T2", (0, True, 2)),
])
def test_how_often_as_typed(text, parsed):
    assert parse_often(text) == parsed


@pytest.mark.parametrize("text", ["0t", "21t", "2x", "t t", "２t", "2d"])
def test_how_often_refused(text):
    with pytest.raises(RuleError):
        parse_often(text)


def test_a_rule_season_and_times_are_validated(school):
    with pytest.raises(RuleError) as err:
        set_season(school.teacher, "help", "weekends")
    assert err.value.code == "season"
    with pytest.raises(RuleError) as err:
        add_rule(school.teacher, Rule("x", kind="family", every_days=7, times=2))
    assert err.value.code == "times"
    assert set_season(school.teacher, "family", "school") is True
    assert set_season(school.teacher, "family", "school") is False
    assert workflow.load_rules()[1].during == "school"


async def test_holidays_are_added_from_the_families_screen_by_keyboard(school):
    from screens.holidays import HolidaysScreen
    from tests.helpers import make_app, settle, sign_in
    from tui.widgets import TableList

    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "wangfang")
        await pilot.press("ctrl+g")
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, HolidaysScreen)
        await pilot.press("a", *"寒假", "tab", "w", "tab", *"2027-01-21", "tab", *"2027-02-31")
        await pilot.press("ctrl+s")
        await settle(pilot)
        # a date that does not exist: named under the form, nothing written, nothing lost
        assert "Last day off" in str(screen.query_one("#holiday-error").render())
        assert list_holidays() == [] and screen.query_one("#holiday-name").value == "寒假"
        await pilot.press(*["backspace"] * 2, *"21", "ctrl+s")
        await settle(pilot)
        [row] = list_holidays()
        assert (row.name, row.kind, row.start_date, row.end_date) == ("寒假", "winter", *WINTER)
        assert screen.query_one(TableList).rows == [
            ["2027-01-21", "2027-02-21", "winter holiday", "寒假"]]
        await pilot.press("x", "y")
        await settle(pilot)
        assert list_holidays() == []


async def test_h_on_the_rules_screen_says_when_a_rule_asks(school):
    from screens.rules import RulesScreen
    from tests.helpers import make_app, settle, sign_in
    from tui.widgets import TableList

    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "wangfang")
        await pilot.press("f3")
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RulesScreen)
        await pilot.press("down", "h")  # the family contact: all year -> school days
        await settle(pilot)
        assert workflow.load_rules()[1].during == "school"
        await pilot.press("h")  # -> holidays
        await settle(pilot)
        assert workflow.load_rules()[1].during == "holiday"
        assert screen.query_one(TableList).rows[1][2] == "every 30 days · holidays"
        await pilot.press("down", "enter", "backspace", *"2t", "enter")  # the home visit: twice
        await settle(pilot)
        assert workflow.load_rules()[2].times == 2
        assert screen.query_one(TableList).rows[2][2] == "2 times a term"
