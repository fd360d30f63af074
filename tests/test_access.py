"""Who may see and do what (README "Who may see and do what", db/access.py):
PINs and the lock, the first administrator, what each role sees, restricted
entries, editing others' entries, volunteers' hidden fields, managing staff.

The small school (tests/conftest.py): 王芳 (admin) leads 张伟 and 曾小明;
李建国 (teacher, no classes) leads 赵薇 and [bold]王[/; 曾老师 is a counsellor.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest

from db import access, accounts, clock
from db.models import Assignment, AuditLog, Contact, SchoolClass, Staff
from db.staff import add_staff
from tests.conftest import NOW, PIN_HASH, TODAY
from tests.helpers import cli_env, make_app, run_cli, settle, sign_in

SECRET = "SECRET-talk-about-home"
SECRET_AGREED = "SECRET-agreed-plan"
SECRET_FOLLOW = "SECRET-follow-call"
FIXTURE_CONTACT = "00000000-0000-4000-8000-000000000001"


@pytest.fixture
def env(tmp_path, local_state):
    return cli_env(tmp_path, local_state)


def cli(env, school, *args, pin="1234"):
    """``bangfu ARGS`` in a subprocess, with this process's connection closed."""
    from db.store.connection import close_database

    close_database()
    return run_cli(env, *args, db=school.path, pin=pin)


def message_of(app) -> str:
    return str(app.screen.query_one("#signin-message").render())


def audit_rows(table: str, row_id, action: str | None = None) -> list[AuditLog]:
    query = AuditLog.select().where(AuditLog.table_name == table,
                                    AuditLog.row_id == str(row_id))
    if action:
        query = query.where(AuditLog.action == action)
    return list(query.order_by(AuditLog.id))


def assign(case, staff, role="tutor"):
    return Assignment.create(case=case.id, staff=staff.id, role=role, active=True,
                             assigned_on=TODAY)


# -- 1. five wrong PINs lock the account --------------------------------------------------

async def test_five_wrong_pins_lock_the_account_until_lock_minutes_pass(school, monkeypatch):
    from screens.roster import RosterScreen
    from screens.signin import SignInScreen

    # a lockout is timed by the computer's clock, never a pinned one (db.accounts)
    monkeypatch.setattr(clock, "real_now", lambda: NOW)
    li = school.other
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "lijianguo", "0000")
        assert isinstance(app.screen, SignInScreen)
        assert "Wrong PIN" in message_of(app) and "4" in message_of(app)
        for _ in range(4):
            await pilot.press(*"0000", "enter")
            await settle(pilot)
        assert "locked" in message_of(app)
        row = Staff.get_by_id(li.id)
        assert row.locked_until == NOW + dt.timedelta(minutes=accounts.LOCK_MINUTES)
        failed = audit_rows("staff", li.id, "sign_in_failed")
        assert len(failed) == 5
        assert all("1234" not in r.changes and "0000" not in r.changes for r in failed)
        # even the right PIN is refused while locked
        await pilot.press(*"1234", "enter")
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen) and app.staff is None
        assert "locked" in message_of(app)
        # after LOCK_MINUTES, the right PIN works
        monkeypatch.setattr(clock, "real_now",
                            lambda: NOW + dt.timedelta(minutes=accounts.LOCK_MINUTES + 1))
        await pilot.press(*"1234", "enter")
        await settle(pilot)
        assert isinstance(app.screen, RosterScreen)
        assert app.staff.name == "李建国"
    row = Staff.get_by_id(li.id)
    assert row.locked_until is None and row.pin_failures == 0


# -- 2. PIN hashes and rules ----------------------------------------------------------------

def test_pin_hashes_are_salted_and_both_verify():
    one, two = accounts.hash_pin("2468"), accounts.hash_pin("2468")
    assert one != two
    assert one.split("$")[4] != two.split("$")[4]  # the salts differ
    assert "2468" not in one
    assert accounts.pin_matches("2468", one) and accounts.pin_matches("2468", two)
    assert not accounts.pin_matches("2469", one)
    assert not accounts.pin_matches("2468", "plain$2468")


@pytest.mark.parametrize("pin, reason", [
    ("1234", None), ("12345678", None), ("0000", None),
    ("123", "pin_digits"), ("123456789", "pin_digits"),
    ("abcdefgh", None), ("correct horse", None),
    ("abc1234", "pin_short"), ("abc", "pin_short"),
    ("", "pin_blank"), ("    ", "pin_blank"), (" 1234", "pin_spaces"),
    ("x" * 65, "pin_long"),
])
def test_check_pin_rules(pin, reason):
    assert accounts.check_pin(pin) == reason


# -- 3. the first administrator -------------------------------------------------------------

async def test_an_empty_database_asks_for_its_first_administrator(db_path):
    from screens.roster import RosterScreen

    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.screen.first_run
        await pilot.press(*"Boss", "enter")
        await pilot.press(*"1357", "enter")
        await pilot.press(*"1357", "enter")
        await settle(pilot)
        # the new school's key is made with her account: its recovery code, once
        from screens.recovery_code import RecoveryCodeScreen

        assert isinstance(app.screen, RecoveryCodeScreen)
        assert len(app.screen.code) == 39 and app.screen.code.count("-") == 7
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RosterScreen)
        assert app.staff.name == "Boss"
    from db import keys

    assert keys.is_set_up() and keys.status().holders == ["Boss"]
    [row] = list(Staff.select())
    assert (row.name, row.role) == ("Boss", "admin")
    assert accounts.pin_matches("1357", row.pin_hash)


async def test_a_mismatching_second_pin_writes_nothing(db_path):
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(*"Boss", "enter")
        await pilot.press(*"1357", "enter")
        await pilot.press(*"1358", "enter")
        await settle(pilot)
        assert app.staff is None and app.screen.first_run
        assert "differ" in message_of(app)
    assert Staff.select().count() == 0
    # nothing but the mark that made it a test database (db.clock.mark_database)
    assert AuditLog.select().where(AuditLog.table_name != "bangfu_meta").count() == 0


# -- 4. an account without a PIN chooses one ------------------------------------------------

async def test_an_account_without_a_pin_chooses_one_at_first_sign_in(school):
    from screens.roster import RosterScreen

    new = add_staff(None, "孙小志", "volunteer")
    assert new.pin_hash == ""
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(*"sunxiaozhi", "enter")
        await settle(pilot)
        assert app.screen.query_one("#pin2").display  # chosen: typed twice
        await pilot.press(*"8642", "enter", *"8642", "enter")
        await settle(pilot)
        assert isinstance(app.screen, RosterScreen) and app.staff.name == "孙小志"
    row = Staff.get_by_id(new.id)
    assert row.pin_hash and accounts.pin_matches("8642", row.pin_hash)


# -- 5 and 9. volunteers: only their cases, and no family details ----------------------------

@pytest.fixture
def volunteer(school):
    vol = add_staff(None, "孙小志", "volunteer", pin_hash=PIN_HASH)
    assign(school.cases["赵薇"], vol, role="volunteer")
    return vol


async def test_a_volunteer_sees_only_the_cases_they_are_on_in_the_app(school, volunteer):
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "sunxiaozhi")
        assert app.staff.name == "孙小志"
        assert [r.name for r in app.index.search("")] == ["赵薇"]
        assert app.index.search("张伟") == [] and app.index.search("20240101") == []
        await pilot.press("z", "w")
        await settle(pilot)
        assert [r.name for r in app.screen.roster.rows] == ["赵薇"]
    assert not access.sees_student(volunteer, school.students["张伟"].id)
    assert access.sees_student(volunteer, school.students["赵薇"].id)


def test_a_volunteer_cannot_show_or_find_an_unassigned_case(school, volunteer, env):
    show = cli(env, school, "show", "20240101", "--as", "孙小志")
    assert show.returncode != 0
    assert "作业经常不交" not in show.stdout and "张伟" not in show.stdout
    assert "13800000000" not in show.stdout + show.stderr
    find = cli(env, school, "find", "zw", "--as", "孙小志")
    assert find.returncode == 0, find.stderr
    assert "赵薇" in find.stdout and "张伟" not in find.stdout and "周文" not in find.stdout
    mine = cli(env, school, "show", "20240102", "--as", "孙小志")
    assert mine.returncode == 0, mine.stderr
    assert "赵薇" in mine.stdout and "作业经常不交" in mine.stdout
    assert "13800000000" not in mine.stdout and "13900000000" not in mine.stdout


def test_a_volunteers_case_view_has_no_family_details(school, volunteer):
    from db.cases import load_case

    view = load_case(school.students["赵薇"].id, reader=volunteer)
    assert view.guardians and all(g.phone == "" and g.wechat == "" for g in view.guardians)
    assert view.family_notes == "" and view.cause_analysis == ""
    full = load_case(school.students["赵薇"].id, reader=school.other)
    assert full.guardians[0].phone == "13800000000" and full.family_notes == "父亲在外务工"


# -- 6. teachers and class teachers ---------------------------------------------------------

def test_teachers_see_their_classes_class_teachers_their_head_class(school):
    from db.roster import load_index

    def seen(staff):
        return sorted(r.student_no for r in load_index(None, access.scope_for(staff)).search(""))

    qian = add_staff(None, "钱老师", "teacher", pin_hash=PIN_HASH)
    Staff.update(classes="8-2").where(Staff.id == qian.id).execute()
    qian = Staff.get_by_id(qian.id)
    wu = add_staff(None, "吴班主", "class_teacher", pin_hash=PIN_HASH)
    SchoolClass.update(head_teacher=wu.id).where(SchoolClass.code == "7-1").execute()

    assert seen(qian) == ["20240104", "20240105", "20240106", "20240107"]
    assert seen(wu) == ["20240101", "20240102", "20240103"]
    assert seen(school.other) == ["20240102", "20240106"]  # no classes: only led cases
    assert access.sees_student(qian, school.students["周文"].id)
    assert not access.sees_student(qian, school.students["张伟"].id)
    assert access.sees_student(wu, school.students["张伟"].id)
    assert not access.sees_student(school.other, school.students["张伟"].id)
    # a plain teacher is not given the class they happen to head
    SchoolClass.update(head_teacher=qian.id).where(SchoolClass.code == "7-1").execute()
    assert seen(qian) == ["20240104", "20240105", "20240106", "20240107"]


# -- 7. restricted entries ------------------------------------------------------------------

@pytest.fixture
def restricted(school):
    """A counselling entry on 张伟's case by 曾老师; 李建国 on the team as a tutor."""
    from db.contacts import ContactInput, save_contact, validate

    counsellor = Staff.get(Staff.name == "曾老师")
    case = school.cases["张伟"]
    entry = validate(ContactInput(case_id=case.id, date="2026-11-10", time="10:00",
                                  kind="student", channel="face", participants="张伟",
                                  discussed=SECRET, agreed=SECRET_AGREED,
                                  follow_up=SECRET_FOLLOW, follow_up_due="2026-11-12",
                                  restricted="counselling"))
    cid, created = save_contact(counsellor, entry)
    assert created and Contact.get_by_id(cid).restricted == "counselling"
    assign(case, school.other, role="tutor")
    return cid


def secret_in(text: str) -> bool:
    return any(s in text for s in (SECRET, SECRET_AGREED, SECRET_FOLLOW))


def test_a_tutor_never_gets_a_restricted_entrys_text_from_the_file(school, restricted):
    from db.cases import load_case
    from db.contacts import load_entry, open_restricted
    from tui.case_summary import case_summary_md

    view = load_case(school.students["张伟"].id, reader=school.other)
    [entry] = [c for c in view.contacts if c.restricted]
    assert not view.reads_restricted
    assert not secret_in(repr(entry))
    assert "restricted entry (counselling)" in case_summary_md(school.students["张伟"].id,
                                                                reader=school.other)
    assert not secret_in(case_summary_md(school.students["张伟"].id, reader=school.other))
    with pytest.raises(access.NotAllowed):
        open_restricted(school.other, restricted)
    with pytest.raises(access.NotAllowed):
        load_entry(restricted, reader=school.other)
    assert audit_rows("contact", restricted, "read") == []


def test_a_tutor_sees_only_that_a_restricted_entry_exists_in_the_cli(school, restricted, env,
                                                                    tmp_path):
    show = cli(env, school, "show", "20240101", "--as", "李建国")
    assert show.returncode == 0, show.stderr
    assert "restricted entry (counselling)" in show.stdout
    assert not secret_in(show.stdout)
    md = cli(env, school, "show", "20240101", "--format", "md", "--as", "李建国")
    assert md.returncode == 0, md.stderr
    assert "restricted entry (counselling)" in md.stdout and not secret_in(md.stdout)
    out = tmp_path / "summary.md"
    written = cli(env, school, "show", "20240101", "-o", out, "--as", "李建国")
    assert written.returncode == 0, written.stderr
    text = out.read_text(encoding="utf-8")
    assert "restricted entry" in text and not secret_in(text)
    audit = cli(env, school, "audit", "--as", "李建国")
    assert audit.returncode != 0 and not secret_in(audit.stdout + audit.stderr)


@pytest.mark.parametrize("fmt", ["md", "csv"])
@pytest.mark.parametrize("who", ["李建国", "王芳"])
def test_the_weekly_report_holds_no_restricted_text(school, restricted, env, fmt, who):
    report = cli(env, school, "report", "weekly", "--format", fmt, "--as", who)
    assert report.returncode == 0, report.stderr
    assert "20240101" in report.stdout  # the restricted entry's overdue follow-up is listed
    assert not secret_in(report.stdout)


async def test_a_tutor_in_the_app_cannot_open_a_restricted_entry(school, restricted):
    from screens.case import CaseScreen

    app = make_app(school.path)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot, "lijianguo")
        await pilot.press(*"20240101", "enter")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen) and app.screen.view.name == "张伟"
        timeline = "\n".join(s.text for s in app.screen.query_one("#timeline").lines)
        assert "restricted entry (counselling)" in timeline
        assert not secret_in(timeline)
        assert not app.screen.check_action("open_restricted", ())
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
    assert audit_rows("contact", restricted, "read") == []


async def test_the_lead_opens_a_restricted_entry_on_purpose_and_it_is_audited(school,
                                                                              restricted):
    from screens.case import CaseScreen
    from screens.entries import EntryPickerScreen
    from screens.restricted import RestrictedEntryScreen

    app = make_app(school.path)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot, "wangf")
        await pilot.press(*"20240101", "enter")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen) and app.screen.view.name == "张伟"
        timeline = "\n".join(s.text for s in app.screen.query_one("#timeline").lines)
        assert "restricted entry (counselling)" in timeline
        assert not secret_in(timeline)  # even to those who may read it
        assert audit_rows("contact", restricted, "read") == []
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, EntryPickerScreen)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RestrictedEntryScreen)
        assert app.screen.entry.discussed == SECRET
        shown = " ".join(str(w.render()) for w in app.screen.query("Static"))
        assert SECRET in shown
    [read] = audit_rows("contact", restricted, "read")
    assert read.staff_id == school.teacher.id
    assert json.loads(read.changes) == {"restricted": "counselling"}


# -- 8. changing another person's entry -----------------------------------------------------

def test_changing_another_persons_entry_needs_the_coordinator_role(school):
    from db.contacts import amend_contact, load_entry

    cid = Contact.get(Contact.uuid == FIXTURE_CONTACT).id
    entry, _ = load_entry(cid)
    changed = dataclasses.replace(entry, agreed="Check homework twice a day")
    with pytest.raises(access.NotAllowed):
        amend_contact(school.other, cid, changed)
    with pytest.raises(access.NotAllowed):
        amend_contact(Staff.get(Staff.name == "曾老师"), cid, changed)
    assert Contact.get_by_id(cid).agreed == "Check homework daily"
    assert audit_rows("contact", cid, "update") == []

    coordinator = add_staff(None, "周协调", "coordinator", pin_hash=PIN_HASH)
    assert amend_contact(coordinator, cid, changed) is True
    assert Contact.get_by_id(cid).agreed == "Check homework twice a day"
    [row] = audit_rows("contact", cid, "update")
    assert row.staff_id == coordinator.id
    assert json.loads(row.changes) == {"agreed": ["Check homework daily",
                                                  "Check homework twice a day"]}


# -- 10. managing staff ---------------------------------------------------------------------

def test_a_teacher_cannot_add_accounts(school, env):
    with pytest.raises(accounts.AccountError) as err:
        accounts.add_account(school.other, accounts.StaffInput(name="新人", pin="5678"))
    assert err.value.code == "not_allowed"
    with pytest.raises(accounts.AccountError):
        accounts.update_account(school.other, school.teacher.id, role="teacher")
    with pytest.raises(accounts.AccountError):
        accounts.change_pin(school.other, school.teacher.id, "9999")
    before = Staff.select().count()
    proc = cli(env, school, "staff", "add", "新人", "--as", "李建国", pin="1234\n5678")
    assert proc.returncode != 0
    assert Staff.select().where(Staff.name == "新人").count() == 0
    assert Staff.select().count() == before


def test_a_teacher_cannot_change_the_rules(school, env):
    before = AuditLog.select().count()
    proc = cli(env, school, "rules", "set", "help", "--every", "14", "--as", "李建国")
    assert proc.returncode != 0
    assert "Not allowed" in proc.stderr
    assert AuditLog.select().count() == before


async def test_an_administrator_adds_a_volunteer_from_the_staff_screen(school):
    from screens.staff import StaffScreen

    app = make_app(school.path)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot, "wangf")
        await pilot.press("f9")
        await settle(pilot)
        assert isinstance(app.screen, StaffScreen)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press(*"Vicky", "enter")
        await pilot.press("v", "enter")
        await pilot.press(*"7-1", "enter")
        await pilot.press(*"2468", "enter")
        await pilot.press(*"2468")
        await pilot.press("ctrl+s")
        await settle(pilot)
    row = Staff.get(Staff.name == "Vicky")
    assert (row.role, row.classes, row.active) == ("volunteer", "7-1", True)
    assert row.pin_hash and accounts.pin_matches("2468", row.pin_hash)
    assert audit_rows("staff", row.id, "insert")[0].staff_id == school.teacher.id


# -- 11. the matrix, cell by cell -----------------------------------------------------------

ROLES = ("admin", "coordinator", "counsellor", "class_teacher", "teacher", "volunteer")
# the README's table, copied by hand: 1 = ✓, 0 = —
MATRIX = {
    #              admin coord couns class teacher volunteer
    "manage":      (1,    1,    0,    0,    0,      0),
    "audit":       (1,    0,    0,    0,    0,      0),
    "edit_others": (1,    1,    0,    0,    0,      0),
    "reports":     (1,    1,    1,    1,    1,      0),
    "grid":        (1,    1,    1,    1,    1,      0),
    "edit_case":   (1,    1,    1,    1,    1,      0),
}


@pytest.mark.parametrize("ability, role, allowed", [
    (ability, role, bool(cell)) for ability, cells in MATRIX.items()
    for role, cell in zip(ROLES, cells)])
def test_the_permission_matrix(ability, role, allowed):
    @dataclasses.dataclass
    class Reader:
        role: str
        id: int = 1

    assert access.can(Reader(role), ability) is allowed
    assert access.can(None, ability) is False


def test_a_confidential_case_field_is_blank_for_others_and_never_overwritten_by_them(school):
    """The lead marks a field confidential (ctrl+t in the case edit form): a
    teacher on the case sees "restricted" and their save cannot change it."""
    from db.cases import load_case, update_case
    from db.models import Assignment, Case

    case_id = school.cases["张伟"].id
    Assignment.create(case=case_id, staff=school.other.id, role="tutor", active=True)
    version = update_case(school.teacher, case_id, 1, {
        "cause_analysis": "父母离异，争夺抚养权", "restricted_fields": ["cause_analysis"]})
    mine = load_case(school.students["张伟"].id, reader=school.teacher)
    assert mine.cause_analysis == "父母离异，争夺抚养权" and "cause_analysis" not in mine.hidden
    theirs = load_case(school.students["张伟"].id, reader=school.other)
    assert theirs.cause_analysis == "" and "cause_analysis" in theirs.hidden
    assert "restricted_fields" not in theirs.edit_values()
    update_case(school.other, case_id, version, {"cause_analysis": "", "measures": "每天面批",
                                                 "restricted_fields": []})
    row = Case.get_by_id(case_id)
    assert row.cause_analysis == "父母离异，争夺抚养权"  # untouched by who may not read it
    assert row.restricted_fields == "cause_analysis" and row.measures == "每天面批"
