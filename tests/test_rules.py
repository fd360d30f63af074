"""The school's rules: validated, stored in the file, audited, changed from the
rules screen (u in the leaders' overview) and with `bangfu rules`.

The small school (tests/conftest.py) on Friday 2026-11-20: 王芳 leads 张伟 and
曾小明, whose cases were opened today, so the weekly help session is due on
27 November, inside My caseload's seven days; every 14 days it is not.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys

import pytest
from rich.cells import cell_len

from db import workflow
from db.store import journal
from db.store.connection import close_database, open_database
from db.models import AuditLog, Case, Contact, Meta
from db.rules import (RuleError, add_rule, free_code, parse_interval, remove_rule, reset_rules,
                      save_rules, set_interval, set_review_days, validate)
from db.workflow import DEFAULT_RULES, Rule, load_review_days, load_rules
from screens.overview import OverviewScreen
from screens.rules import RuleConfirmScreen, RulesScreen
from tests.conftest import TODAY
from tests.helpers import ROOT, cli_env, make_app, settle, sign_in
from tui import i18n
from tui.i18n import due_label, rule_label
from tui.widgets import CaseloadList, KeyFooter, TableList


def meta_audit() -> list[AuditLog]:
    return list(AuditLog.select().where(AuditLog.table_name == "bangfu_meta",
                                        AuditLog.row_id != "made_by")  # (the test marker)
                .order_by(AuditLog.id))


def due_whats(school) -> set[tuple[str, str]]:
    return {(i.name, i.what) for i in workflow.my_due(school.teacher.id, TODAY)}


# == the rules in the file ==========================================================

@pytest.mark.parametrize("rule, problem", [
    (Rule("", kind="family", every_days=7), "code"),
    (Rule("Home Visit", kind="family", every_days=7), "code"),
    (Rule("x" * 41, kind="family", every_days=7), "code"),
    (Rule("goal", kind="family", every_days=7), "reserved"),
    (Rule("review", kind="family", every_days=7), "reserved"),
    (Rule("talks", kind="parent", every_days=7), "kind"),
    (Rule("talks", channel="letter", every_days=7), "channel"),
    (Rule("talks", every_days=7), "what"),
    (Rule("talks", kind="family"), "interval"),
    (Rule("talks", kind="family", every_days=7, per_term=True), "interval"),
    (Rule("talks", kind="family", every_days=0, per_term=False), "interval"),
    (Rule("talks", kind="family", every_days=367), "days"),
    (Rule("talks", kind="family", every_days=-3), "days"),
    (Rule("talks", kind="family", every_days=True), "days"),
    (Rule("talks", kind="family", every_days="7"), "days"),
])
def test_a_bad_rule_is_refused_with_its_reason_and_nothing_is_written(school, rule, problem):
    with pytest.raises(RuleError) as bad:
        save_rules(school.teacher, [*DEFAULT_RULES, rule])
    assert bad.value.code == problem
    assert i18n.t(f"err.rule.{problem}") != f"err.rule.{problem}"
    assert Meta.get_or_none(Meta.key == "rules") is None and meta_audit() == []
    assert load_rules() == DEFAULT_RULES


def test_codes_must_be_unique():
    with pytest.raises(RuleError) as bad:
        validate([*DEFAULT_RULES, Rule("help", kind="family", every_days=3)])
    assert (bad.value.code, bad.value.rule) == ("duplicate", "help")
    assert validate([]) == ()  # a school may drop every rule (follow-ups and goals stay)


def test_saved_rules_round_trip_and_every_change_is_audited(school):
    mine = (Rule("help", kind="student", every_days=14),
            Rule("family", kind="family", every_days=30),
            Rule("visit_family", kind="family", channel="home_visit", per_term=True))
    assert save_rules(school.teacher, mine) is True
    assert load_rules() == mine
    stored = json.loads(Meta.get(Meta.key == "rules").value)
    assert stored[0] == {"code": "help", "kind": "student", "every_days": 14}
    assert stored[2] == {"code": "visit_family", "kind": "family", "channel": "home_visit",
                         "per_term": True}
    [row] = meta_audit()
    assert (row.staff_name, row.row_id, row.action) == ("王芳", "rules", "update")
    old, new = json.loads(row.changes)["rules"]
    assert old[0] == {"code": "help", "kind": "student", "every_days": 7, "during": "school"}
    assert new == stored
    assert save_rules(school.other, mine) is False  # the same rules: nothing written
    assert len(meta_audit()) == 1


def test_one_rule_changed_added_and_removed_by_its_code(school):
    assert set_interval(school.teacher, "help", 14) is True
    assert set_interval(school.teacher, "help", 14) is False
    assert set_interval(school.teacher, "family", per_term=True) is True
    with pytest.raises(RuleError) as bad:
        set_interval(school.teacher, "nope", 3)
    assert bad.value.code == "unknown"
    with pytest.raises(RuleError):
        set_interval(school.teacher, "help", 0)
    code = free_code(load_rules(), "family", "phone")
    assert code == "family_phone"
    add_rule(school.teacher, Rule(code, "family", "phone", 10))
    assert free_code(load_rules(), "family", "phone") == "family_phone_2"
    assert remove_rule(school.teacher, "home_visit").code == "home_visit"
    assert [(r.code, r.every_days, r.per_term) for r in load_rules()] == [
        ("help", 14, False), ("family", 0, True), ("family_phone", 10, False)]
    assert len(meta_audit()) == 4  # one row per change that changed something


def test_the_due_list_follows_the_rules(school):
    assert ("张伟", "help") in due_whats(school)  # opened today: due on the 27th
    set_interval(school.teacher, "help", 14)
    assert ("张伟", "help") not in due_whats(school)
    add_rule(school.teacher, Rule("family_visit", "family", "home_visit", 3))
    item = next(i for i in workflow.my_due(school.teacher.id, TODAY)
                if (i.name, i.what) == ("张伟", "family_visit"))
    assert item.due == TODAY + dt.timedelta(days=3)
    assert (item.kind, item.channel) == ("family", "home_visit")  # what n logs
    remove_rule(school.teacher, "family_visit")
    assert ("张伟", "family_visit") not in due_whats(school)


def test_reset_brings_back_the_school_plans_rules_and_review_interval(school):
    assert reset_rules(school.teacher) is False  # nothing set: nothing to do
    set_interval(school.teacher, "help", 14)
    set_review_days(school.teacher, 45)
    assert reset_rules(school.other) is True
    assert load_rules() == DEFAULT_RULES and load_review_days() == 30
    assert Meta.get_or_none(Meta.key == "rules") is None
    changes = [json.loads(r.changes) for r in meta_audit()[-2:]]
    assert changes[0]["rules"][1][0] == {"code": "help", "kind": "student", "every_days": 7,
                                         "during": "school"}
    assert changes[1] == {"review_days": [45, 30]}
    assert meta_audit()[-1].staff_name == "李建国"


def test_the_review_interval_is_checked_and_audited(school):
    for bad in (0, 367, "30", None, 2.5):
        with pytest.raises(RuleError):
            set_review_days(school.teacher, bad)
    assert set_review_days(school.teacher, 60) is True
    assert set_review_days(school.teacher, 60) is False
    assert load_review_days() == 60
    [row] = meta_audit()
    assert json.loads(row.changes) == {"review_days": [30, 60]} and row.row_id == "review_days"


@pytest.mark.parametrize("text, parsed", [
    ("14", (14, False)), (" 7 ", (7, False)), ("t", (0, True)), ("Term", (0, True)),
    ("学期", (0, True)), ("366", (366, False)),
])
def test_an_interval_as_typed(text, parsed):
    assert parse_interval(text) == parsed


@pytest.mark.parametrize("text, problem", [
    ("", "interval"), ("abc", "interval"), ("-3", "interval"), ("1.5", "interval"),
    ("１４", "interval"), ("0", "days"), ("400", "days"),
])
def test_a_bad_interval_as_typed(text, problem):
    with pytest.raises(RuleError) as bad:
        parse_interval(text)
    assert bad.value.code == problem


@pytest.mark.file_only
def test_a_rules_change_is_journaled_and_comes_back_after_a_restore(school, tmp_path):
    path = school.path
    close_database()
    older = tmp_path / "older.db"
    shutil.copy(path, older)  # a backup from before the change
    open_database(path)
    set_interval(school.teacher, "help", 14)
    set_review_days(school.teacher, 45)
    read = journal.read_all(path)
    assert read.bad == 0
    assert {(ln["table"], ln["id"]) for ln in read.lines} >= {("bangfu_meta", "rules"),
                                                              ("bangfu_meta", "review_days")}
    close_database()
    shutil.copy(older, path)  # as if restored from the older backup
    open_database(path)
    assert load_rules() == DEFAULT_RULES
    report = journal.replay(journal.read_all(path))
    assert report.failed == 0 and report.by_table.get("bangfu_meta") == 2
    assert load_rules()[0].every_days == 14 and load_review_days() == 45
    assert journal.replay(journal.read_all(path)).applied == 0  # idempotent
    reset_rules(school.teacher)  # a reset (the keys removed) replays too
    close_database()
    shutil.copy(older, path)
    open_database(path)
    journal.replay(journal.read_all(path))
    assert load_rules() == DEFAULT_RULES and Meta.get_or_none(Meta.key == "rules") is None


def test_a_schools_own_rule_is_named_from_what_it_counts():
    visit = Rule("family_visit", "family", "home_visit", per_term=True)
    sms = Rule("texts", channel="sms", every_days=10)
    assert rule_label(DEFAULT_RULES[0]) == "Help session"
    assert rule_label(visit) == "Family contact (home visit)"
    assert rule_label(sms) == "Any entry (SMS)"
    assert due_label("family_visit", (visit, sms)) == "Family contact (home visit)"
    assert due_label("family_visit") == "family_visit"  # without its rule: the code
    i18n.set_language("zh")
    assert rule_label(visit) == "家校联系（家访）"
    assert due_label("texts", (visit, sms)) == "任何记录（短信）"
    assert due_label("help", (visit,)) == "个别辅导"


# == bangfu rules ===================================================================

def run(env, *args, db):
    return subprocess.run([sys.executable, "-m", "tui.cli", "--db", str(db), *map(str, args)],
                          capture_output=True, input="1234\n", text=True, encoding="utf-8", env=env, cwd=ROOT,
                          timeout=60)


def one_line_error(proc) -> str:
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr
    [line] = proc.stderr.strip().splitlines()
    assert line.startswith("bangfu: ")
    return line


@pytest.fixture
def env(tmp_path, local_state):
    return cli_env(tmp_path, local_state)


def test_cli_lists_the_rules_in_both_languages(school, env):
    proc = run(env, "rules", db=school.path)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.strip().splitlines()
    assert lines[0].split() == ["Code", "Rule", "Entries", "that", "count", "How", "often"]
    assert lines[1].split()[:3] == ["help", "Help", "session"] and "every 7 days" in lines[1]
    assert "home_visit" in lines[3] and "once a term" in lines[3]
    assert lines[4].startswith("review-days") and "every 30 days" in lines[4]
    proc = run(env, "--lang", "zh", "rules", "list", db=school.path)
    assert proc.returncode == 0, proc.stderr
    assert "个别辅导" in proc.stdout and "每 7 天一次" in proc.stdout and "每学期一次" in proc.stdout


def test_cli_changes_the_rules_as_a_staff_member(school, env):
    proc = run(env, "rules", "set", "help", "--every", "14", "--as", "王芳", db=school.path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("Rules saved.") and "every 14 days" in proc.stdout
    proc = run(env, "rules", "add", "family_visit", "--kind", "f", "--channel", "home-visit",
               "--per-term", "--as", "wangfang", db=school.path)
    assert proc.returncode == 0, proc.stderr
    assert "Family contact (home visit)" in proc.stdout
    proc = run(env, "rules", "set", "family", "--per-term", "--as", "王芳", db=school.path)
    assert proc.returncode == 0, proc.stderr
    proc = run(env, "rules", "remove", "home_visit", "--as", "王芳", db=school.path)
    assert proc.returncode == 0, proc.stderr
    proc = run(env, "rules", "review-days", "45", "--as", "王芳", db=school.path)
    assert proc.returncode == 0, proc.stderr
    assert "every 45 days" in proc.stdout
    assert [(r.code, r.kind, r.channel, r.every_days, r.per_term) for r in load_rules()] == [
        ("help", "student", "", 14, False), ("family", "family", "", 0, True),
        ("family_visit", "family", "home_visit", 0, True)]
    assert load_review_days() == 45
    assert [r.staff_name for r in meta_audit()] == ["王芳"] * 5
    proc = run(env, "rules", "set", "help", "--every", "14", "--as", "王芳", db=school.path)
    assert proc.returncode == 0 and proc.stdout.startswith("Nothing changed")
    assert len(meta_audit()) == 5
    proc = run(env, "rules", "reset", "--as", "王芳", db=school.path)
    assert proc.returncode == 0, proc.stderr
    assert load_rules() == DEFAULT_RULES and load_review_days() == 30


@pytest.mark.parametrize("args, says", [
    (("set", "help"), "--every N"),
    (("set", "help", "--every", "7", "--per-term"), "--every N"),
    (("set", "help", "--every", "0"), "1 to 366"),
    (("set", "help", "--every", "weekly"), "1 to 366"),
    (("set", "--every", "7"), "Say which rule"),
    (("set", "nope", "--every", "7"), "nope: No rule has that code"),
    (("add", "Visits", "--kind", "family", "--every", "7"), "lower-case"),
    (("add", "visits", "--kind", "parent", "--every", "7"), "--kind"),
    (("add", "visits", "--channel", "letter", "--every", "7"), "--channel"),
    (("add", "visits", "--every", "7"), "which entries count"),
    (("add", "help", "--kind", "family", "--every", "7"), "exists already"),
    (("add", "goal", "--kind", "family", "--every", "7"), "choose another code"),
    (("remove", "nope"), "No rule has that code"),
    (("review-days", "0"), "1 to 366"),
    (("review-days", "term"), "1 to 366"),
    (("frobnicate",), "invalid choice"),
])
def test_cli_bad_input_is_one_line_with_exit_2_and_writes_nothing(school, env, args, says):
    line = one_line_error(run(env, "rules", *args, "--as", "王芳", db=school.path))
    assert says in line, line
    assert meta_audit() == [] and load_rules() == DEFAULT_RULES


def test_cli_rules_import_neither_textual_nor_pypinyin(school, env):
    code = ("import sys; from tui.cli import main; "
            "rc = main(['--db', sys.argv[1], 'rules', 'add', 'texts', '--channel', 'sms', "
            "'--every', '5', '--as', '王芳']); "
            "print('RC', rc, [m for m in ('textual', 'pypinyin') if m in sys.modules])")
    proc = subprocess.run([sys.executable, "-c", code, str(school.path)], capture_output=True,
                          input="1234\n", text=True, encoding="utf-8", env=env, cwd=ROOT,
                          timeout=60)
    assert proc.stdout.strip().splitlines()[-1] == "RC 0 []", proc.stdout + proc.stderr
    assert load_rules()[-1] == Rule("texts", channel="sms", every_days=5)


def test_cli_change_needs_to_know_who(school, env):
    env = {k: v for k, v in env.items() if k != "BANGFU_USER"}
    proc = run(env, "rules", "set", "help", "--every", "14", db=school.path)
    assert proc.returncode != 0 and "--as" in proc.stderr
    assert load_rules() == DEFAULT_RULES


# == the rules screen ===============================================================

async def open_rules(pilot) -> RulesScreen:
    await sign_in(pilot, "wangfang")
    await pilot.press("f3")
    await settle(pilot)
    assert isinstance(pilot.app.screen, OverviewScreen)
    await pilot.press("u")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, RulesScreen)
    return screen


def footer_width(screen) -> int:
    """The screen's own keys and the ^p hint where it is shown (the app's ^q
    may be cut short: it is in the palette and the README)."""
    footer = screen.query_one(KeyFooter)
    palette = footer.query_one("#footer-palette")
    return cell_len(footer._keys_text(app_keys=False).plain) + (
        cell_len(footer._palette_text().plain) if palette.display else 0)


@pytest.fixture
def behind(school):
    """张伟's case opened on 1 September, a help session on 10 November: with
    the weekly rule it is overdue (17 November), every 14 days it is not."""
    case = school.cases["张伟"]
    Case.update(opened_on=dt.date(2026, 9, 1)).where(Case.id == case.id).execute()
    Contact.create(uuid="00000000-0000-4000-8000-0000000000b1", case=case.id,
                   author=school.teacher.id, occurred_at=dt.datetime(2026, 11, 10, 15, 0),
                   kind="student", channel="face", discussed="Maths help", host="test")
    return school


async def test_enter_changes_the_help_rule_and_the_overview_recounts(behind):
    overdue_help = {"help"} <= {i.what for i in workflow.my_due(behind.teacher.id, TODAY)
                                if i.due < TODAY}
    assert overdue_help
    app = make_app(behind.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "wangfang")
        await pilot.press("f3")
        await settle(pilot)
        overview = app.screen
        case_id = behind.cases["张伟"].id
        assert "help" in {i.what for i in overview.data.overdue[case_id]}
        before = overview.data
        await pilot.press("u")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RulesScreen)
        table = screen.query_one(TableList)
        assert table.rows == [
            ["Help session", "student entries · any channel", "every 7 days · term-time"],
            ["Family contact", "family entries · any channel", "every 30 days"],
            ["Home visit", "any kind · home visit", "once a term"],
            ["Stage review", "a review of the case's plan", "every 30 days"],
        ]
        assert table.cursor == 0
        await pilot.press("enter")
        field = screen.query_one("#rule-interval")
        assert app.focused is field and field.value == "7"
        await pilot.press("backspace", *"14", "enter")
        await settle(pilot)
        assert not screen.form_open and app.focused is table
        assert table.rows[0][2] == "every 14 days · term-time"
        assert load_rules()[0] == Rule("help", kind="student", every_days=14, during="school")
        assert [r.staff_name for r in meta_audit()] == ["王芳"]
        assert "help" not in {i.what for i in workflow.my_due(behind.teacher.id, TODAY)
                              if i.due < TODAY}
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is overview
        assert overview.data is not before  # counted again with the new rule
        assert "help" not in {i.what for i in overview.data.overdue.get(case_id, [])}


async def test_a_bad_interval_is_named_under_the_form_and_nothing_is_written(school):
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_rules(pilot)
        await pilot.press("down", "enter")  # the family contact
        await pilot.press("backspace", "backspace", *"weekly", "enter")
        await settle(pilot)
        error = str(screen.query_one("#rule-error").render())
        assert error == i18n.t("err.rule.interval")
        assert screen.form_open
        await pilot.press("ctrl+a", "ctrl+k", *"999", "ctrl+s")
        await settle(pilot)
        assert str(screen.query_one("#rule-error").render()) == i18n.t("err.rule.days")
        await pilot.press("escape")  # closes the form, stays on the rules
        assert not screen.form_open and app.screen is screen
        # the stage review takes days only
        await pilot.press("end", "enter")
        await pilot.press("ctrl+a", "ctrl+k", "t", "enter")
        await settle(pilot)
        assert str(screen.query_one("#rule-error").render()) == i18n.t("err.rule.days")
        await pilot.press("ctrl+a", "ctrl+k", *"45", "enter")
        await settle(pilot)
        assert screen.query_one(TableList).rows[-1][2] == "every 45 days"
    assert load_rules() == DEFAULT_RULES and load_review_days() == 45
    assert len(meta_audit()) == 1


async def test_a_rule_is_added_removed_and_the_defaults_restored_by_keyboard(school):
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_rules(pilot)
        table = screen.query_one(TableList)
        await pilot.press("a")
        assert app.focused is screen.query_one("#rule-kind")
        await pilot.press("a", "enter", "enter")  # any kind, any channel: not a rule
        await pilot.press(*"10", "enter")
        await settle(pilot)
        assert str(screen.query_one("#rule-error").render()) == i18n.t("err.rule.what")
        assert app.focused is screen.query_one("#rule-kind")
        await pilot.press("f", "tab", "h", "tab", "ctrl+a", "ctrl+k", "t", "ctrl+s")
        await settle(pilot)
        assert not screen.form_open
        assert load_rules()[-1] == Rule("family_home_visit", "family", "home_visit", 0, True)
        assert table.rows[3] == ["Family contact (home visit)", "family entries · home visit",
                                 "once a term"]
        # x asks first; n keeps the rule
        await pilot.press("end", "up", "x")
        await settle(pilot)
        assert isinstance(app.screen, RuleConfirmScreen)
        await pilot.press("n")
        await settle(pilot)
        assert len(load_rules()) == 4
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("enter")  # Enter does not say yes
        await settle(pilot)
        assert len(load_rules()) == 4
        await pilot.press("x", "y")
        await settle(pilot)
        assert [r.code for r in load_rules()] == ["help", "family", "home_visit"]
        await pilot.press("home", "x", "y")  # the plans' own rules may go too
        await settle(pilot)
        assert [r.code for r in load_rules()] == ["family", "home_visit"]
        assert table.rows[0][0] == "Family contact"
        await pilot.press("D")
        await settle(pilot)
        assert isinstance(app.screen, RuleConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert load_rules() == DEFAULT_RULES
        assert [r[0] for r in table.rows] == ["Help session", "Family contact", "Home visit",
                                              "Stage review"]


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_keys_that_apply_and_the_footer_fits_80_columns(school, lang):
    i18n.set_language(lang)
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "wangfang")
        await pilot.press("f3")
        await settle(pilot)
        assert footer_width(app.screen) <= 80
        assert i18n.t("key.rules") in app.screen.query_one(KeyFooter)._keys_text().plain
        await pilot.press("u")
        await settle(pilot)
        screen = app.screen
        shown = screen.query_one(KeyFooter)._keys_text().plain
        for key in ("key.rule_edit", "key.rule_add", "key.rule_remove", "key.rules_reset"):
            assert i18n.t(key) in shown
        assert i18n.t("key.save") not in shown
        assert footer_width(screen) <= 80
        await pilot.press("end")  # the stage review cannot be removed
        await pilot.pause()
        assert i18n.t("key.rule_remove") not in screen.query_one(KeyFooter)._keys_text().plain
        await pilot.press("x")
        await settle(pilot)
        assert app.screen is screen
        await pilot.press("a")
        await pilot.pause()
        shown = screen.query_one(KeyFooter)._keys_text().plain
        assert i18n.t("key.save") in shown and i18n.t("key.rule_add") not in shown
        assert footer_width(screen) <= 80


async def test_my_caseload_names_a_schools_own_rule_by_what_it_counts(school):
    add_rule(school.teacher, Rule("family_phone", "family", "phone", 3))
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "wangfang")
        caseload = app.screen.query_one(CaseloadList)
        assert ("张伟", "family_phone") in {(i.name, i.what) for i in caseload.items}
        assert due_label("family_phone", caseload.rules) == "Family contact (phone)"
        shown = caseload.render().plain
        assert "Family contac" in shown and "family_phone" not in shown  # cut to its column
