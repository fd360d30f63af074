"""Issue 18, item 4: restricted text is sealed at rest (``db.keys``, ``db.crypto``).

A copy of the file, its journals or its backups shows no restricted entry's
text and no confidential case-file field; those who may read them (the
matrix in ``db.access``) still do, on every computer; the recovery code opens
the school's key when every holder's PIN is lost.
"""

from __future__ import annotations

import datetime as dt

import pytest

from db import accounts, crypto, keys, session
from db.access import NotAllowed
from db.cases import load_case, update_case
from db.contacts import (ContactInput, amend_contact, load_entry, open_restricted,
                         save_contact, validate)
from db.models import Assignment, AuditLog, Case, Contact, SchoolKey, Staff, StaffKey
from tests.helpers import cli_env, make_app, run_cli, settle, sign_in
from tests.pg import ON_SERVER

SECRET = "父亲酗酒后打人，孩子不敢回家"
AGREED = "每周二心理辅导"
FIELD_SECRET = "父母离异，争夺抚养权"


def signed(name: str, pin: str = "1234") -> Staff:
    """``name`` signs in as the app and the command line do (``authenticate``)."""
    person = Staff.get(Staff.name == name)
    return accounts.authenticate(person.id, pin)


def restricted_entry(author: Staff, case_id: int, text: str = SECRET) -> int:
    entry = validate(ContactInput(case_id=case_id, date="2026-11-10", time="10:00",
                                  kind="student", channel="face", participants="张伟",
                                  discussed=text, agreed=AGREED, follow_up="再谈一次",
                                  follow_up_due="2026-11-12", restricted="counselling"))
    cid, created = save_contact(author, entry)
    assert created
    return cid


def set_up(name: str = "王芳") -> tuple[Staff, str]:
    admin = signed(name)
    code = keys.set_up(admin)
    assert code and crypto.normal_code(code) == code
    return admin, code


def everything_stored(path) -> bytes:
    """Every byte of the file and what lies beside it (journals, backups, -wal)."""
    from pathlib import Path

    path = Path(path)
    out = b""
    for item in [path, *path.parent.rglob("*")]:
        if item.is_file():
            out += item.read_bytes()
    return out


def stored_text() -> str:
    """Every row of every table, as the database holds it (both backends)."""
    from db.models import ALL_MODELS

    return "\n".join(repr(row) for model in ALL_MODELS for row in model.select().tuples())


# -- sealed in the file, the journal, the audit log and the backups --------------------------
def test_a_restricted_entry_is_sealed_everywhere_and_its_readers_still_read_it(school):
    admin, _ = set_up()
    teacher = signed("李建国")  # lead of 赵薇: an author who is not a reader by role
    cid = restricted_entry(teacher, school.cases["赵薇"].id)
    row = Contact.get_by_id(cid)
    assert crypto.is_sealed(row.discussed) and crypto.is_sealed(row.agreed)
    assert crypto.is_sealed(row.participants) and crypto.is_sealed(row.follow_up)
    assert SECRET not in stored_text() and AGREED not in stored_text()
    if not ON_SERVER:
        raw = everything_stored(school.path)
        assert SECRET.encode() not in raw and AGREED.encode() not in raw
    # its readers: the administrator (holds the school's key) and its author
    assert open_restricted(admin, cid).discussed == SECRET
    assert open_restricted(teacher, cid).agreed == AGREED
    assert load_entry(cid, reader=teacher)[0].discussed == SECRET


@pytest.mark.file_only
def test_journals_and_backups_hold_no_restricted_text(school, tmp_path):
    from db.store.storage import backup as make_backup

    set_up()
    restricted_entry(signed("曾老师"), school.cases["张伟"].id)
    backup = make_backup(school.path, "posix")
    for where in [school.path, backup, *school.path.parent.glob("*.journal/*.jsonl")]:
        data = where.read_bytes()
        assert SECRET.encode() not in data, where
        assert SECRET.encode("unicode_escape") not in data, where


def test_a_copy_of_the_file_without_a_pin_opens_nothing(school):
    set_up()
    cid = restricted_entry(signed("曾老师"), school.cases["张伟"].id)
    session.signed_out()  # a copy of the file, nobody signed in
    stranger = Staff.get(Staff.name == "李建国")
    with pytest.raises(NotAllowed):
        open_restricted(stranger, cid)
    sealed = Contact.get_by_id(cid).discussed
    # the keys in the file open nothing without a PIN: a wrong one is refused
    wrapped = StaffKey.get(StaffKey.staff == Staff.get(Staff.name == "王芳").id)
    with pytest.raises(crypto.CannotOpen):
        crypto.unwrap("0000", crypto.unb64(wrapped.private_wrapped), keys.STAFF_AAD)
    with pytest.raises(crypto.CannotOpen):
        crypto.open_text(sealed, "contact.discussed", [crypto.new_key_pair()[0]])


def test_a_new_reader_gets_the_key_at_a_holders_next_sign_in(school):
    set_up()
    cid = restricted_entry(signed("王芳"), school.cases["张伟"].id)
    session.signed_out()
    counsellor = signed("曾老师")  # her key pair is made now; nobody has given her the key
    with pytest.raises(NotAllowed) as refused:
        open_restricted(counsellor, cid)
    assert refused.value.code == "sealed"
    assert AuditLog.select().where(AuditLog.action == "read").count() == 0
    signed("王芳")  # a holder signs in: the key is given to those who should hold it
    counsellor = signed("曾老师")
    assert open_restricted(counsellor, cid).discussed == SECRET
    assert SchoolKey.select().where(SchoolKey.holder == f"staff:{counsellor.id}").exists()


def test_a_lead_who_leaves_the_case_loses_the_key(school):
    set_up()
    teacher = signed("李建国")  # lead of 赵薇 and [bold]王[/
    signed("王芳")
    holder = f"staff:{teacher.id}"
    assert SchoolKey.select().where(SchoolKey.holder == holder).exists()
    Assignment.update(active=False).where(Assignment.staff == teacher.id).execute()
    signed("王芳")
    assert not SchoolKey.select().where(SchoolKey.holder == holder).exists()


def test_the_recovery_code_opens_the_key_when_every_pin_is_lost(school):
    admin, code = set_up()
    cid = restricted_entry(admin, school.cases["张伟"].id)
    # every holder forgot their PIN: an administrator resets it, their key pair is new
    session.signed_out()
    Staff.update(pin_hash=accounts.hash_pin("5678")).where(Staff.id == admin.id).execute()
    admin = signed("王芳", "5678")
    with pytest.raises(NotAllowed):
        open_restricted(admin, cid)
    with pytest.raises(keys.KeysError) as wrong:
        keys.recover(admin, "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH")
    assert wrong.value.code == "wrong_code"
    keys.recover(admin, code.lower().replace("-", " "))  # as typed from paper
    assert open_restricted(admin, cid).discussed == SECRET


def test_an_amendment_keeps_the_text_sealed_and_the_log_holds_no_text(school):
    admin, _ = set_up()
    cid = restricted_entry(admin, school.cases["张伟"].id)
    entry, _ = load_entry(cid, reader=admin)
    entry.discussed = SECRET + "（补充）"
    assert amend_contact(admin, cid, entry)
    assert open_restricted(admin, cid).discussed == SECRET + "（补充）"
    log = "\n".join(r.changes for r in AuditLog.select())
    assert SECRET not in log and AGREED not in log
    # unchanged texts are not in the amendment's log row at all
    [amended] = AuditLog.select().where(AuditLog.table_name == "contact",
                                        AuditLog.action == "update")
    assert "agreed" not in amended.changes and "discussed" in amended.changes


def test_a_confidential_case_field_is_sealed_and_opens_for_its_readers(school):
    admin, _ = set_up()
    case_id = school.cases["张伟"].id
    update_case(admin, case_id, 1, {"cause_analysis": FIELD_SECRET,
                                    "restricted_fields": ["cause_analysis"]})
    row = Case.get_by_id(case_id)
    assert crypto.is_sealed(row.cause_analysis) and FIELD_SECRET not in stored_text()
    assert row.main_problems == "作业经常不交"  # not marked: as typed
    assert load_case(school.students["张伟"].id, reader=admin).cause_analysis == FIELD_SECRET
    other = signed("李建国")
    Assignment.create(case=case_id, staff=other.id, role="tutor", active=True)
    theirs = load_case(school.students["张伟"].id, reader=other)
    assert theirs.cause_analysis == "" and "cause_analysis" in theirs.hidden
    # unmarked again: stored as typed from then on
    update_case(admin, case_id, 2, {"restricted_fields": []})
    assert Case.get_by_id(case_id).cause_analysis == FIELD_SECRET


def test_setup_seals_what_was_restricted_before(school):
    admin = signed("王芳")
    before = restricted_entry(admin, school.cases["张伟"].id)  # before setup: as typed
    update_case(admin, school.cases["张伟"].id, 1,
                {"cause_analysis": FIELD_SECRET, "restricted_fields": ["cause_analysis"]})
    assert Contact.get_by_id(before).discussed == SECRET
    assert keys.status().set_up is False
    keys.set_up(admin)
    assert crypto.is_sealed(Contact.get_by_id(before).discussed)
    assert crypto.is_sealed(Case.get_by_id(school.cases["张伟"].id).cause_analysis)
    assert keys.status().plain_rows == 0
    assert open_restricted(admin, before).discussed == SECRET


def test_a_weak_pin_holds_no_key_on_a_real_database(school, monkeypatch):
    """Outside the demo and the tests' files, a reader's 4-digit PIN would be
    guessed offline in seconds: such a person is not given the school's key."""
    from db import clock

    admin, _ = set_up()
    monkeypatch.setattr(clock, "overrides_allowed", lambda: False)
    counsellor = signed("曾老师")  # PIN 1234: too short for a reader
    signed("王芳")
    assert not SchoolKey.select().where(SchoolKey.holder == f"staff:{counsellor.id}").exists()
    assert "曾老师" in keys.status().weak


# -- the command line and the app ------------------------------------------------------------
def test_keys_setup_prints_the_recovery_code_once_and_status_lists_holders(school, tmp_path):
    env = cli_env(tmp_path)
    setup = run_cli(env, "keys", "setup", db=school.path)
    assert setup.returncode == 0, setup.stderr
    assert "Recovery code (shown this once):" in setup.stdout
    assert "school's safe" in setup.stdout
    again = run_cli(env, "keys", "status", db=school.path)
    assert again.returncode == 0, again.stderr
    assert "Recovery code (shown" not in again.stdout
    assert "Hold the school's key: 王芳" in again.stdout
    teacher = run_cli(env, "keys", "--as", "李建国", db=school.path)
    assert teacher.returncode == 4


async def test_the_app_opens_a_sealed_entry_for_its_reader(school):
    from screens.entries import EntryPickerScreen
    from screens.restricted import RestrictedEntryScreen

    set_up()
    cid = restricted_entry(Staff.get(Staff.name == "王芳"), school.cases["张伟"].id)
    session.signed_out()
    assert crypto.is_sealed(Contact.get_by_id(cid).discussed)
    app = make_app(school.path)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot, "wangf")
        await pilot.press(*"20240101", "enter")
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, EntryPickerScreen)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RestrictedEntryScreen)
        shown = " ".join(str(w.render()) for w in app.screen.query("Static"))
        assert SECRET in shown


def test_sealed_text_does_not_open_in_another_column():
    private, public = crypto.new_key_pair()
    sealed = crypto.seal_text("秘密", "contact.discussed", [public])
    assert crypto.open_text(sealed, "contact.discussed", [private]) == "秘密"
    with pytest.raises(crypto.CannotOpen):
        crypto.open_text(sealed, "contact.agreed", [private])
    assert crypto.seal_text("", "contact.agreed", [public]) == ""


def test_the_school_key_survives_migrate_to_style_copy_of_every_table(school):
    """The key tables are journaled like every other row (recover restores them)."""
    from db.store.journal import JOURNALED_TABLES

    assert {"staff_key", "school_key"} <= set(JOURNALED_TABLES)
    set_up()
    assert StaffKey.select().count() >= 1 and SchoolKey.select().count() >= 2


_ = dt


def test_a_new_counsellor_added_by_a_holder_reads_at_once(school):
    admin, _ = set_up()
    cid = restricted_entry(admin, school.cases["张伟"].id)
    added = accounts.add_account(admin, accounts.StaffInput(name="钱老师", role="counsellor",
                                                             pin="1234"))
    assert SchoolKey.select().where(SchoolKey.holder == f"staff:{added.id}").exists()
    assert open_restricted(signed("钱老师"), cid).discussed == SECRET


def test_a_reset_pin_gives_a_new_pair_and_the_holder_gives_the_key_again(school):
    admin, _ = set_up()
    cid = restricted_entry(admin, school.cases["张伟"].id)
    counsellor = signed("曾老师")
    signed("王芳")  # gives her the key
    assert open_restricted(signed("曾老师"), cid).discussed == SECRET
    accounts.change_pin(admin, counsellor.id, "4321")  # she forgot hers
    session.signed_out(counsellor.id)
    assert open_restricted(signed("曾老师", "4321"), cid).discussed == SECRET


def test_changing_ones_own_pin_keeps_what_one_reads(school):
    admin, _ = set_up()
    cid = restricted_entry(admin, school.cases["张伟"].id)
    accounts.change_own_pin(admin.id, "1234", "87654321", "87654321")
    session.signed_out()
    assert open_restricted(signed("王芳", "87654321"), cid).discussed == SECRET


def test_an_export_opens_a_sealed_field_for_its_reader_only(school):
    from db.export_rows import export_table

    def export_rows(what, reader):
        return export_table(what, reader).rows

    admin, _ = set_up()
    case_id = school.cases["张伟"].id
    update_case(admin, case_id, 1, {"cause_analysis": FIELD_SECRET,
                                    "restricted_fields": ["cause_analysis"]})
    mine = repr(export_rows("cases", admin))
    assert FIELD_SECRET in mine and crypto.PREFIX not in mine
    session.signed_out()
    other = signed("李建国")
    Assignment.create(case=case_id, staff=other.id, role="tutor", active=True)
    theirs = repr(export_rows("cases", other))
    assert FIELD_SECRET not in theirs and crypto.PREFIX not in theirs


def test_no_one_writes_an_entry_on_a_case_they_may_not_see(school):
    """The db layer refuses it too, whatever path the entry came by (a form,
    the command line, an outbox file)."""
    entry = validate(ContactInput(case_id=school.cases["张伟"].id, date="2026-11-10",
                                  time="10:00", kind="family", channel="phone",
                                  discussed="打电话"))
    with pytest.raises(NotAllowed):
        save_contact(Staff.get(Staff.name == "李建国"), entry)  # not on 张伟's case, no class
    assert not Contact.select().where(Contact.discussed == "打电话").exists()


def test_a_key_swapped_by_hand_is_never_given_the_school_key_and_check_names_it(school,
                                                                              tmp_path):
    """Someone who can write the file puts their own public key in a reader's
    place: holders do not seal the school's key to it, and check says so."""
    set_up()
    counsellor = signed("曾老师")  # her pair exists; nobody gave her the key yet
    _, public = crypto.new_key_pair()
    StaffKey.update(public_key=crypto.b64(public)).where(
        StaffKey.staff == counsellor.id).execute()
    signed("王芳")  # a holder signs in
    assert not SchoolKey.select().where(SchoolKey.holder == f"staff:{counsellor.id}").exists()
    if not ON_SERVER:
        checked = run_cli(cli_env(tmp_path), "check", db=school.path, pin=None)
        assert checked.returncode == 1, checked.stdout + checked.stderr
        assert "The key of 曾老师" in checked.stdout + checked.stderr


def test_the_audit_log_shows_sealed_values_as_restricted(school):
    from db.audit_queries import MASKED, find_audit as read_log

    admin, _ = set_up()
    update_case(admin, school.cases["张伟"].id, 1,
                {"cause_analysis": FIELD_SECRET, "restricted_fields": ["cause_analysis"]})
    rows = [r for r in read_log() if r.table == "case_file" and "cause_analysis" in r.changes]
    assert rows and all(MASKED in r.changes["cause_analysis"] for r in rows)
    assert crypto.PREFIX not in repr([r.changes for r in read_log()])
