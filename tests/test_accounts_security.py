"""Issue 18, items 2, 5 and 8: the confidential key of the case edit form, a
lockout nobody can get round, and PINs strong enough for those who read
restricted text.

The small school (tests/conftest.py) is a test database, where everyone keeps
the PIN 1234; ``real_school`` is a school's own database (made without the
tests' mark, ``db.clock.mark_database``), where the strong-PIN rule holds.
"""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from db import accounts, clock
from db.accounts import AccountError
from db.store.connection import close_database, open_database
from db.models import AuditLog, Case, Staff
from tests.helpers import cli_env, make_app, run_cli, settle, sign_in

STRONG = "73915046"  # 8 digits, no date, no pattern
STRONG_TOO = "59283716"


@pytest.fixture
def env(tmp_path, local_state):
    return cli_env(tmp_path, local_state)


# -- item 2: ctrl+t marks a case-file field confidential, inside the text area --------------

async def test_ctrl_t_in_the_cause_analysis_marks_it_and_keeps_its_text(school):
    from screens.case import CaseScreen
    from screens.case_edit import CaseEditScreen

    case_id = school.cases["张伟"].id
    app = make_app(school.path)
    async with app.run_test(size=(100, 40)) as pilot:
        await sign_in(pilot, "wangfang")
        await pilot.press(*"20240101", "enter")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        edit = app.screen
        assert isinstance(edit, CaseEditScreen)
        area = edit.query_one("#cause_analysis")
        area.load_text("父母离异，争夺抚养权")
        area.focus()
        await pilot.pause()
        await pilot.press("home")  # the cursor at the start: ctrl+k would delete the line
        # the key is the screen's, reachable from inside the text area, and in the footer
        binding = app.active_bindings.get("ctrl+t")
        assert binding is not None and binding.binding.action == "confidential"
        assert binding.enabled and binding.binding.show
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert area.text == "父母离异，争夺抚养权"
        assert "cause_analysis" in edit.marked
        assert "restricted" in str(edit.query_one("#label-cause_analysis").render())
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
    row = Case.get_by_id(case_id)
    assert row.cause_analysis == "父母离异，争夺抚养权"
    assert row.restricted_fields == "cause_analysis"


# -- item 5: the lockout --------------------------------------------------------------------

def test_parallel_wrong_pins_never_check_more_than_the_limit(school, monkeypatch):
    """24 threads, each with its own connection, try a wrong PIN at once; then
    the right PIN.  A try is counted in the same write as its check, so at most
    MAX_TRIES PINs are ever checked and the right one is refused: locked."""
    from db.store.connection import with_retry
    from db.models import database

    li = school.other
    # a real-cost hash: the check takes long enough for the tries to overlap
    Staff.update(pin_hash=accounts.hash_pin("1234", n=2 ** 14)).where(
        Staff.id == li.id).execute()
    checks, lock = [], threading.Lock()
    real_matches = accounts.pin_matches

    def counted(pin, stored):
        with lock:
            checks.append(pin)
        return real_matches(pin, stored)

    monkeypatch.setattr(accounts, "pin_matches", counted)
    start = threading.Barrier(24)
    outcomes: list[str] = []

    def wrong_try() -> None:
        start.wait()
        try:
            with database.connection_context():
                with_retry(lambda: accounts.authenticate(li.id, "0000"))
            outcomes.append("accepted")
        except AccountError as exc:
            outcomes.append(exc.code)
        except Exception as exc:  # noqa: BLE001 - named in the assertion below
            outcomes.append(f"error {exc!r}")

    threads = [threading.Thread(target=wrong_try) for _ in range(24)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert len(outcomes) == 24 and "accepted" not in outcomes, outcomes
    assert len(checks) <= accounts.MAX_TRIES
    assert outcomes.count("wrong") == accounts.MAX_TRIES - 1
    assert outcomes.count("locked") == 24 - (accounts.MAX_TRIES - 1)
    with pytest.raises(AccountError) as refused:
        accounts.authenticate(li.id, "1234")
    assert refused.value.code == "locked"
    assert len(checks) <= accounts.MAX_TRIES  # refused before its PIN was looked at
    failed = AuditLog.select().where(AuditLog.table_name == "staff",
                                     AuditLog.row_id == str(li.id),
                                     AuditLog.action == "sign_in_failed").count()
    assert failed == accounts.MAX_TRIES


def test_a_pinned_clock_never_lifts_a_lock(school, env):
    """``BANGFU_NOW=2099-…`` on the command line: still locked, and the lock stays."""
    li = school.other
    until = (dt.datetime.now() + dt.timedelta(minutes=accounts.LOCK_MINUTES)).replace(
        microsecond=0)
    Staff.update(locked_until=until, lockouts=1).where(Staff.id == li.id).execute()
    close_database()
    env["BANGFU_NOW"] = "2099-01-01T00:00:00"
    proc = run_cli(env, "due", "--as", "李建国", db=school.path, pin="1234")
    assert proc.returncode == 4, proc.stdout + proc.stderr
    assert "locked" in proc.stderr
    open_database(school.path)
    row = Staff.get_by_id(li.id)
    assert row.locked_until == until and row.lockouts == 1


def test_each_lockout_lasts_longer_and_one_wrong_pin_after_one_locks_again(school,
                                                                            monkeypatch):
    li = school.other
    now = [dt.datetime(2030, 5, 6, 8, 0)]
    monkeypatch.setattr(clock, "real_now", lambda: now[0])

    def wrong() -> AccountError:
        with pytest.raises(AccountError) as refused:
            accounts.authenticate(li.id, "0000")
        return refused.value

    for left in range(accounts.MAX_TRIES - 1, 0, -1):
        refused = wrong()
        assert (refused.code, refused.extra["left"]) == ("wrong", left)
    first = wrong()
    assert first.code == "locked" and first.extra["until"] == now[0] + dt.timedelta(minutes=5)
    for minutes in (15, 60, 240, 1440, 1440):
        now[0] = Staff.get_by_id(li.id).locked_until + dt.timedelta(seconds=1)
        again = wrong()  # one wrong PIN after a lockout locks again, for longer
        assert again.code == "locked"
        assert again.extra["until"] == now[0] + dt.timedelta(minutes=minutes)
        assert wrong().code == "locked"  # and meanwhile nothing is checked
    assert Staff.get_by_id(li.id).lockouts == 6
    # a good sign-in after the lock sets it all back: five tries again
    now[0] = Staff.get_by_id(li.id).locked_until + dt.timedelta(seconds=1)
    accounts.authenticate(li.id, "1234")
    row = Staff.get_by_id(li.id)
    assert (row.pin_failures, row.lockouts, row.locked_until) == (0, 0, None)
    refused = wrong()
    assert (refused.code, refused.extra["left"]) == ("wrong", accounts.MAX_TRIES - 1)


def test_a_new_pin_from_a_manager_lifts_the_lock_and_its_count(school, monkeypatch):
    li = school.other
    for _ in range(accounts.MAX_TRIES):
        with pytest.raises(AccountError):
            accounts.authenticate(li.id, "0000")
    accounts.change_pin(school.teacher, li.id, "2468")
    row = Staff.get_by_id(li.id)
    assert (row.pin_failures, row.lockouts, row.locked_until) == (0, 0, None)
    assert accounts.authenticate(li.id, "2468").id == li.id


# -- item 8: PIN strength ------------------------------------------------------------------

@pytest.mark.parametrize("pin, strong", [
    ("73915046", True), ("59283716", True), ("Lanzhou2026", True), ("我的密码是8号楼a1", True),
    ("correct-horse-9", True), ("ab12cd34ef", True),
    ("1234", False), ("123456", False), ("12345678", False), ("87654321", False),
    ("13579135", False), ("11112222", False), ("12341234", False), ("20120315", False),
    ("15032012", False), ("03152012", False), ("abcdefgh", False), ("abcdefghij", False),
    ("aaaaaaaaa1", False), ("correcthorse", False), ("abc123456", False), ("", False),
    ("1234567890", False),  # 10 digits: not a PIN at all (4 to 8 digits)
])
def test_what_makes_a_pin_strong(pin, strong):
    assert accounts.pin_is_strong(pin) is strong


def test_hashes_keep_their_own_cost_and_a_low_one_is_raised_at_sign_in(real_school):
    path, boss, li = real_school
    old = accounts.hash_pin("1234", n=2 ** 5)
    assert old.split("$")[1] == str(2 ** 5) and accounts.pin_matches("1234", old)
    new = accounts.hash_pin("1234", n=2 ** 6)
    assert new.split("$")[1] == str(2 ** 6) and accounts.pin_matches("1234", new)
    Staff.update(pin_hash=accounts.hash_pin("1234", n=2 ** 3)).where(Staff.id == li.id).execute()
    accounts.authenticate(li.id, "1234")
    stored = Staff.get_by_id(li.id).pin_hash
    assert stored.split("$")[1] == str(accounts.SCRYPT_N) and accounts.pin_matches("1234", stored)


@pytest.fixture
def real_school(tmp_path):
    """A school's own database (no test mark): 王芳 administrator with a strong
    PIN, 李建国 teacher with 1234, who leads 张伟's case."""
    from db.models import SchoolClass, Term
    from db.students import create_student, open_case

    path = tmp_path / "real.db"
    open_database(path, create=True)
    assert not clock.overrides_allowed()
    boss = accounts.add_account(None, accounts.StaffInput(name="王芳", pin=STRONG), first=True)
    li = accounts.add_account(boss, accounts.StaffInput(name="李建国", role="teacher", pin="1234"))
    term = Term.create(name="2026-2027 第一学期", school_year="2026-2027", semester=1,
                       start_date=dt.date(2026, 9, 1), end_date=dt.date(2027, 1, 20))
    klass = SchoolClass.create(name="七年级(1)班", code="7-1", grade=7)
    student = create_student(None, student_no="20240101", name="张伟", gender="M",
                             class_id=klass.id)
    open_case(None, student.id, term_id=term.id, status="active", lead_id=li.id)
    yield path, boss, li
    close_database()


def test_readers_and_leads_need_a_strong_pin_on_a_school_database(real_school):
    from db.models import Assignment

    path, boss, li = real_school
    assert accounts.strong_pin_needed(boss.id)  # an administrator reads restricted text
    assert accounts.strong_pin_needed(li.id)  # the lead of a case does too
    Assignment.update(active=False).where(Assignment.staff == li.id).execute()
    assert not accounts.strong_pin_needed(li.id)  # a teacher who leads nothing does not
    assert not accounts.must_change_pin(li.id, "1234")
    assert accounts.must_change_pin(boss.id, "1234") and not accounts.must_change_pin(boss.id,
                                                                                      STRONG)
    with pytest.raises(AccountError) as weak:
        accounts.add_account(boss, accounts.StaffInput(name="曾老师", role="counsellor",
                                                       pin="1234"))
    assert weak.value.code == "pin_weak" and weak.value.extra["field"] == "pin"
    accounts.add_account(boss, accounts.StaffInput(name="曾老师", role="counsellor",
                                                   pin=STRONG_TOO))
    with pytest.raises(AccountError) as weak:
        accounts.change_pin(boss, boss.id, "2468")
    assert weak.value.code == "pin_weak"


def test_on_a_test_database_everyone_keeps_a_short_pin(school):
    assert clock.overrides_allowed()
    for person in (school.teacher, school.other):
        assert not accounts.strong_pin_needed(person.id)
        assert not accounts.must_change_pin(person.id, "1234")
    accounts.add_account(school.teacher, accounts.StaffInput(name="新老师", role="counsellor",
                                                             pin="1357"))


async def test_the_app_asks_a_lead_with_a_short_pin_for_a_new_one_at_sign_in(real_school):
    from screens.roster import RosterScreen
    from screens.signin import SignInScreen

    path, boss, li = real_school
    app = make_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot, "lijianguo", "1234")
        screen = app.screen
        assert isinstance(screen, SignInScreen) and app.staff is None
        assert "must change" in str(screen.query_one("#signin-title").render())
        assert screen.query_one("#pin2").display
        await pilot.press(*"5678", "enter", *"5678", "enter")  # too weak
        await settle(pilot)
        assert app.staff is None
        assert "Too easy to guess" in str(screen.query_one("#signin-message").render())
        await pilot.press(*STRONG, "enter", *STRONG, "enter")
        await settle(pilot)
        assert isinstance(app.screen, RosterScreen) and app.staff.name == "李建国"
    row = Staff.get_by_id(li.id)
    assert accounts.pin_matches(STRONG, row.pin_hash)
    assert not accounts.pin_matches("1234", row.pin_hash)
    changed = AuditLog.select().where(AuditLog.table_name == "staff",
                                      AuditLog.row_id == str(li.id),
                                      AuditLog.action == "update").order_by(AuditLog.id)
    assert '"pin"' in changed[-1].changes and STRONG not in changed[-1].changes


async def test_leaving_the_new_pin_step_does_not_sign_in(real_school):
    from screens.signin import SignInScreen

    path, boss, li = real_school
    app = make_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot, "lijianguo", "1234")
        assert app.staff is None
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen) and app.staff is None
        assert app.screen.chosen is None and app.screen.old_pin is None
    assert accounts.pin_matches("1234", Staff.get_by_id(li.id).pin_hash)


def test_the_cli_says_how_to_change_a_short_pin_and_staff_pin_changes_it(real_school, env):
    path, boss, li = real_school
    close_database()
    refused = run_cli(env, "due", "--as", "李建国", db=path, pin="1234")
    assert refused.returncode == 4, refused.stdout + refused.stderr
    assert "must change" in refused.stderr and "bangfu staff pin --as 李建国" in refused.stderr
    weak = run_cli(env, "staff", "pin", "--as", "李建国", db=path, pin="1234\n5678\n5678")
    assert weak.returncode == 2 and "Too easy to guess" in weak.stderr
    done = run_cli(env, "staff", "pin", "--as", "李建国", db=path,
                   pin=f"1234\n{STRONG}\n{STRONG}")
    assert done.returncode == 0, done.stderr
    assert "new PIN is set" in done.stdout
    assert run_cli(env, "due", "--as", "李建国", db=path, pin="1234").returncode == 4
    ok = run_cli(env, "due", "--as", "李建国", db=path, pin=STRONG)
    assert ok.returncode == 0, ok.stderr


def wrap_cost(staff_id: int) -> int:
    """The scrypt cost a person's private key is wrapped at (db.crypto.wrap)."""
    import struct

    from db import crypto
    from db.models import StaffKey

    wrapped = crypto.unb64(StaffKey.get(StaffKey.staff == staff_id).private_wrapped)
    return struct.unpack(">I", wrapped[:4])[0]


def test_a_key_pair_made_at_sign_in_is_wrapped_at_the_pin_hashs_cost(school, monkeypatch):
    """The tests' and the demo's cheap PIN hashes stay cheap (not raised there), and
    so does the wrap of a pair made as they sign in: no dearer to open than the hash
    beside it is to check (before: the full cost, ~0.1 s of every command-line
    sign-in of an administrator on such a file)."""
    from db import keys, session

    monkeypatch.setattr(accounts, "SCRYPT_N", 2 ** 6)  # what a PIN chosen now costs
    boss = accounts.authenticate(school.teacher.id, "1234")  # a pair waits for set_up
    keys.set_up(boss)
    assert wrap_cost(boss.id) == accounts.hash_cost(boss.pin_hash) == 2 ** 4
    session.signed_out()
    li = accounts.authenticate(school.other.id, "1234")  # a pair made as he signs in
    assert wrap_cost(li.id) == 2 ** 4
    accounts.change_pin(li, li.id, "5678")  # a PIN chosen now: hashed and wrapped at full cost
    assert accounts.hash_cost(Staff.get_by_id(li.id).pin_hash) == wrap_cost(li.id) == 2 ** 6


def test_on_a_schools_file_a_pair_made_at_sign_in_is_wrapped_at_full_cost(real_school,
                                                                          monkeypatch):
    """There a low-cost hash is raised as the person signs in, and the pair made
    then is wrapped at the raised cost, never at the old one."""
    from db import keys, session

    path, boss, li = real_school
    monkeypatch.setattr(accounts, "SCRYPT_N", 2 ** 6)
    keys.set_up(accounts.authenticate(boss.id, STRONG))
    session.signed_out()
    Staff.update(pin_hash=accounts.hash_pin("1234", n=2 ** 3)).where(Staff.id == li.id).execute()
    accounts.authenticate(li.id, "1234")
    assert accounts.hash_cost(Staff.get_by_id(li.id).pin_hash) == wrap_cost(li.id) == 2 ** 6
