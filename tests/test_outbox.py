"""The outbox: an entry saved while the file cannot be reached waits on this computer
and is written later, exactly once.

The outage is injected in-process: ``db.contacts._insert`` (the one write of a
contact) raises ``peewee.OperationalError("disk I/O error")``, which is what
SQLite reports when a share drops mid-write.  (A FUSE share that really
vanishes is exercised in tests/test_share.py.)
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import peewee
import pytest

import db.contacts
from db.contacts import ContactInput, save_contact, validate
from db.outbox import flush_outbox, queue_contact
from db.store.local import REFUSED, key_of, outbox, outbox_count, waiting_for
from db.models import AuditLog, Case, Contact
from screens.contact import ContactScreen
from tests.helpers import cli_env, make_app, settle, sign_in

ROOT = Path(__file__).resolve().parent.parent
REAL_INSERT = db.contacts._insert


def unreachable(actor, entry):
    raise peewee.OperationalError("disk I/O error")


def reached_then_lost(actor, entry):
    """The commit reached the file, then the share dropped before the reply came back."""
    REAL_INSERT(actor, entry)
    raise peewee.OperationalError("disk I/O error")


def entry_for(case_id: int, text: str):
    return validate(ContactInput(case_id=case_id, discussed=text))


def rows_with(uuid: str) -> list[Contact]:
    return list(Contact.select().where(Contact.uuid == uuid))


def signed_in_here(staff):
    """``staff`` signs in in this process (as the app and the CLI do): their outbox
    key is held from now on."""
    from db.accounts import verify_pin

    return verify_pin(staff.id, "1234")


def opened(path, staff) -> list[dict]:
    """``staff``'s waiting entries as their key opens them."""
    from db.store.local import outbox_key

    key = key_of(staff.id) or outbox_key(staff.id, "1234")
    items, _ = waiting_for(path, staff.id, key)
    assert not [item.problem for item in items if item.problem]
    return [item.entry for item in items]


# == the command line ===========================================================
@pytest.fixture
def env(tmp_path, local_state):
    return cli_env(tmp_path, local_state)


# ``bangfu`` in a process whose writes fail as on a share that just went away
FAILING = """
import sys
import peewee
import db.contacts

def unreachable(actor, entry):
    raise peewee.OperationalError("disk I/O error")

db.contacts._insert = unreachable
from tui.cli import main
sys.exit(main(sys.argv[1:]))
"""


def run(env, *args, db, failing: bool = False) -> subprocess.CompletedProcess:
    head = [sys.executable, "-c", FAILING] if failing else [sys.executable, "-m", "tui.cli"]
    return subprocess.run([*head, "--db", str(db), *map(str, args)], capture_output=True,
                          input="1234\n", text=True, encoding="utf-8", env=env, cwd=ROOT,
                          timeout=60)


def test_cli_log_queues_when_the_file_cannot_be_written_then_flush_writes_once(school, env):
    before = Contact.select().count()
    proc = run(env, "log", "20240101", "--text", "Phoned from home", "--as", "王芳",
               db=school.path, failing=True)
    assert proc.returncode == 75, proc.stderr
    uuid = proc.stdout.strip()
    assert len(uuid) == 36
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("bangfu: ")
    assert "cannot be reached" in lines[0] and uuid in lines[0]
    assert Contact.select().count() == before and not rows_with(uuid)
    [(path, data)] = outbox(school.path)
    assert data["uuid"] == uuid and data["reason"] == "unreachable"  # words, not a class
    assert data["staff_id"] == school.teacher.id  # 王芳
    [entry] = opened(school.path, school.teacher)  # her PIN opens it; nothing else does
    assert entry["uuid"] == uuid and entry["discussed"] == "Phoned from home"
    assert entry["case_id"] == school.cases["张伟"].id
    assert b"Phoned from home" not in path.read_bytes()

    proc = run(env, "outbox", db=school.path)
    assert proc.returncode == 0, proc.stderr
    assert "张伟 (20240101)" in proc.stdout and "Phoned from home" not in proc.stdout
    assert "1 entry waiting" in proc.stdout
    assert outbox_count(school.path) == 1  # listing writes nothing

    proc = run(env, "outbox", "--flush", db=school.path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Written: 1; already in the file: 0; still waiting: 0." in proc.stdout
    [row] = rows_with(uuid)
    assert row.discussed == "Phoned from home" and row.author.name == "王芳"
    assert row.case_id == school.cases["张伟"].id
    assert AuditLog.select().where((AuditLog.table_name == "contact")
                                   & (AuditLog.row_id == str(row.id))).count() == 1
    assert outbox_count(school.path) == 0 and not path.exists()

    proc = run(env, "outbox", "--flush", db=school.path)
    assert proc.returncode == 0 and "No entries waiting" in proc.stdout
    # the person retries by hand with the printed UUID: still one row
    proc = run(env, "log", "20240101", "--text", "Phoned from home", "--as", "王芳",
               "--uuid", uuid, db=school.path)
    assert proc.returncode == 0, proc.stderr
    assert len(rows_with(uuid)) == 1
    assert Contact.select().count() == before + 1


def test_cli_flush_reports_an_entry_whose_case_is_gone(school, env):
    gone = school.cases["赵薇"]
    signed_in_here(school.other)
    queue_contact(school.path, school.other, entry_for(gone.id, "about 赵薇"), "OperationalError")
    Case.get_by_id(gone.id).delete_instance(recursive=True)
    proc = run(env, "outbox", "--flush", "--as", "李建国", db=school.path)
    assert proc.returncode == 1
    assert "its case no longer exists" in proc.stderr
    assert "Written: 0" in proc.stdout
    assert outbox_count(school.path) == 1  # kept, never guessed
    assert not Contact.select().where(Contact.discussed == "about 赵薇").exists()


# == flush_outbox ================================================================
def test_flush_counts_written_and_present_and_never_duplicates(school, monkeypatch):
    case = school.cases["张伟"].id
    reached = entry_for(case, "reached the file, reply lost")
    lost = entry_for(case, "never reached the file")
    before = Contact.select().count()
    signed_in_here(school.teacher)

    monkeypatch.setattr(db.contacts, "_insert", reached_then_lost)
    with pytest.raises(peewee.OperationalError):
        save_contact(school.teacher, reached)
    queue_contact(school.path, school.teacher, reached, "OperationalError")
    monkeypatch.setattr(db.contacts, "_insert", unreachable)
    with pytest.raises(peewee.OperationalError):
        save_contact(school.teacher, lost)
    queue_contact(school.path, school.teacher, lost, "OperationalError")
    assert outbox_count(school.path) == 2
    assert len(rows_with(reached.uuid)) == 1 and not rows_with(lost.uuid)

    # still out of reach: nothing written, both wait
    result = flush_outbox(school.path, school.teacher)
    assert (result.written, result.present, result.waiting, result.problems) == (0, 0, 2, [])
    assert outbox_count(school.path) == 2

    monkeypatch.setattr(db.contacts, "_insert", REAL_INSERT)
    result = flush_outbox(school.path, school.teacher)
    assert (result.written, result.present, result.waiting, result.problems) == (1, 1, 0, [])
    assert outbox_count(school.path) == 0
    assert len(rows_with(reached.uuid)) == 1 and len(rows_with(lost.uuid)) == 1
    assert rows_with(lost.uuid)[0].discussed == "never reached the file"
    assert Contact.select().count() == before + 2
    for uuid in (reached.uuid, lost.uuid):
        row = rows_with(uuid)[0]
        assert AuditLog.select().where((AuditLog.table_name == "contact")
                                       & (AuditLog.row_id == str(row.id))).count() == 1

    result = flush_outbox(school.path, school.teacher)  # nothing left: nothing happens
    assert (result.written, result.present, result.waiting) == (0, 0, 0)
    assert Contact.select().count() == before + 2


def test_flush_keeps_an_entry_whose_case_was_deleted(school):
    gone, kept = school.cases["赵薇"], school.cases["张伟"]
    orphan = entry_for(gone.id, "about a case that was then deleted")
    fine = entry_for(kept.id, "about a case that is still there")
    signed_in_here(school.other)
    signed_in_here(school.teacher)
    queue_contact(school.path, school.other, orphan, "OperationalError")
    queue_contact(school.path, school.teacher, fine, "OperationalError")
    Case.get_by_id(gone.id).delete_instance(recursive=True)

    result = flush_outbox(school.path, school.teacher)  # hers only
    assert result.written == 1 and result.present == 0 and result.waiting == 0
    assert result.problems == [] and result.others == 1
    result = flush_outbox(school.path, school.other)  # his
    assert result.written == 0 and result.present == 0 and result.waiting == 0
    [(path, reason)] = result.problems
    assert reason == "case" and orphan.uuid in path.name
    assert path.exists()  # stays in the outbox for a person to look at
    [(_, data)] = outbox(school.path)
    assert data["uuid"] == orphan.uuid and [e["uuid"] for e in opened(school.path, school.other)] \
        == [orphan.uuid]
    assert not rows_with(orphan.uuid) and len(rows_with(fine.uuid)) == 1

    result = flush_outbox(school.path, school.other)  # the next round: the same problem only
    assert result.written == 0 and [r for _, r in result.problems] == ["case"]
    assert not rows_with(orphan.uuid)


def test_flush_keeps_an_entry_whose_author_is_unknown(school):
    """Sealed by someone not in this file's staff list: nobody signed in here is
    its author, so nobody writes it; it stays, untouched, counted as someone else's."""
    from db import session
    from db.store.local import entry_to_json, outbox_key, put_outbox

    entry = entry_for(school.cases["张伟"].id, "by someone who is not in the list")
    session.remember(999, "outbox", outbox_key(999, "1234"))
    path = put_outbox(school.path, 999, entry_to_json(entry), "OperationalError")
    session.signed_out(999)
    before = path.read_bytes()
    for reader in (school.teacher, school.other):
        signed_in_here(reader)
        result = flush_outbox(school.path, reader)
        assert (result.written, result.problems, result.refused, result.others) == (0, [], [], 1)
    assert outbox_count(school.path) == 1 and not rows_with(entry.uuid)
    assert path.read_bytes() == before


def test_an_unreadable_outbox_file_is_reported_not_silently_counted(school, env):
    """A waiting entry whose file cannot be read (a power cut right after queueing)
    is counted as waiting (header, doctor) but must then also be listed and reported
    by the flush, not ignored: otherwise "1 waiting" never goes away and nobody
    can see what it is."""
    from db.store.local import folder

    where = folder("outbox", school.path)
    where.mkdir(parents=True)
    broken = where / "0f0f0f0f-0000-4000-8000-000000000000.json"
    broken.write_bytes(b"")
    assert outbox_count(school.path) == 1
    proc = run(env, "outbox", db=school.path)
    assert "No entries waiting" not in proc.stdout and "the file is unreadable" in proc.stdout
    signed_in_here(school.teacher)
    result = flush_outbox(school.path, school.teacher)
    # nobody's entry, never writable: set aside (kept, bytes untouched) and reported
    [(kept, reason)] = result.refused
    assert reason == "unreadable" and kept.parent == where / REFUSED
    assert kept.name.startswith(broken.stem) and kept.read_bytes() == b""
    assert not broken.exists() and outbox_count(school.path) == 0
    proc = run(env, "outbox", db=school.path)
    assert "No entries waiting" not in proc.stdout and "1 set-aside" in proc.stdout


# == the app =======================================================================
async def open_form(pilot, app) -> ContactScreen:
    await sign_in(pilot, "wf")
    await pilot.press("ctrl+n")  # for the highlighted student, 张伟
    await settle(pilot)
    form = app.screen
    assert isinstance(form, ContactScreen) and form.row.name == "张伟"
    assert app.focused.id == "date"  # the form opens on its first field
    form.query_one("#discussed").focus()
    return form


async def test_saving_while_the_file_is_unreachable_queues_once_and_flushes_once(
        school, monkeypatch):
    before = Contact.select().count()
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, app)
        assert "waiting" not in app.sub_title
        monkeypatch.setattr(db.contacts, "_insert", unreachable)
        await pilot.press(*"Gran")
        await pilot.press("ctrl+s")
        await settle(pilot)
        # kept locally; the form stays open with what was typed
        assert app.screen is form
        assert form.query_one("#discussed").text == "Gran"
        assert form.row is not None and form.row.name == "张伟"
        [(_, data)] = outbox(school.path)
        [entry] = opened(school.path, school.teacher)
        assert data["uuid"] == entry["uuid"] == form.uuid
        assert entry["discussed"] == "Gran"
        assert not rows_with(form.uuid)
        assert "1 waiting" in app.sub_title and "王芳" in app.sub_title
        assert "outbox" in str(form.query_one("#form-status").render())

        await pilot.press("ctrl+s")  # impatient: again, still failing
        await settle(pilot)
        assert app.screen is form
        assert outbox_count(school.path) == 1
        assert "1 waiting" in app.sub_title

        monkeypatch.setattr(db.contacts, "_insert", REAL_INSERT)  # the share is back
        app.flush_outbox()
        await settle(pilot)
        [row] = rows_with(form.uuid)
        assert row.discussed == "Gran" and row.author.name == "王芳"
        assert outbox_count(school.path) == 0
        assert "waiting" not in app.sub_title and app.sub_title == "王芳"
        assert app.waiting == 0
    assert Contact.select().count() == before + 1


async def test_save_and_next_while_unreachable_moves_on_and_both_are_written(
        school, monkeypatch):
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, app)
        first_uuid = form.uuid
        monkeypatch.setattr(db.contacts, "_insert", unreachable)
        await pilot.press(*"Mtg 1")
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert app.screen is form
        assert form.query_one("#discussed").text == ""  # ready for the next student
        assert form.row is None and form.uuid != first_uuid
        assert app.focused.id == "student"
        assert "1 waiting" in app.sub_title
        await pilot.press(*"zhaow")
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press(*"Mtg 2")
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert "2 waiting" in app.sub_title
        assert {e["discussed"] for e in opened(school.path, school.teacher)} == {
            "Mtg 1", "Mtg 2"}
        assert not Contact.select().where(Contact.discussed.startswith("Mtg")).exists()

        monkeypatch.setattr(db.contacts, "_insert", REAL_INSERT)
        app.flush_outbox()
        await settle(pilot)
        assert "waiting" not in app.sub_title
    rows = list(Contact.select().where(Contact.discussed.startswith("Mtg"))
                .order_by(Contact.discussed))
    assert [(r.discussed, r.case.student.name) for r in rows] == [
        ("Mtg 1", "张伟"), ("Mtg 2", "赵薇")]
    assert outbox_count(school.path) == 0


async def test_an_edit_after_the_queued_entry_was_written_is_not_lost(school, monkeypatch):
    """Queued, the form stays open; the outbox is written in the background; the person
    then corrects the text and saves: the correction must reach the file (or be refused
    with a message), not vanish while the form closes as if saved."""
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, app)
        monkeypatch.setattr(db.contacts, "_insert", unreachable)
        await pilot.press(*"Gran")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert outbox_count(school.path) == 1
        monkeypatch.setattr(db.contacts, "_insert", REAL_INSERT)
        app.flush_outbox()  # the 10-second round, meanwhile
        await settle(pilot)
        assert outbox_count(school.path) == 0
        await pilot.press(*" fee")
        await pilot.press("ctrl+s")
        await settle(pilot)
        still_open = app.screen is form
    [row] = rows_with(form.uuid)
    assert row.discussed == "Gran fee" or still_open, (
        f"the form closed as saved, the file still says {row.discussed!r}")
