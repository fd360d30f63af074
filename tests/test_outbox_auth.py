"""The outbox proves its author (issue 18, item 3).

A waiting entry is sealed (AES-GCM) with a key only its author's PIN unlocks,
so a file a colleague drops into the shared OS account's outbox folder
(hand-written, or someone else's entry relabelled) is never written as the
person signed in; it is set aside and reported.  Only the signed-in person's
own entries are listed and flushed, and no entry's text is readable at rest.
"""

from __future__ import annotations

import json
import shutil
import uuid as uuidlib

import pytest

from db import session
from db.store import local
from db.accounts import change_pin, verify_pin
from db.contacts import ContactInput, validate
from db.outbox import flush_outbox, queue_contact
from db.store.local import db_identity, folder, outbox, outbox_count
from db.models import AuditLog, Contact
from tests.helpers import cli_env, make_app, run_cli, settle, sign_in

REFUSED = "refused"  # the outbox's subfolder for what is never written (README)

SECRET = "母亲住院，孩子独自在家 secret-7f3a"  # restricted text that must never be at rest in clear
DISCUSSED = "Talked after class about 母亲 zq-4411"


@pytest.fixture(autouse=True)
def nobody_signed_in():
    """Each test starts (and ends) with no key held in this process."""
    session.signed_out()
    yield
    session.signed_out()


@pytest.fixture
def env(tmp_path, local_state):
    return cli_env(tmp_path, local_state)


def signed_in_here(staff, pin: str = "1234"):
    return verify_pin(staff.id, pin)


def entry_for(case_id: int, text: str = DISCUSSED, restricted: str = ""):
    entry = validate(ContactInput(case_id=case_id, discussed=text, kind="student",
                                  channel="face"))
    if restricted:  # what the form keeps for a confidential entry
        entry.restricted = "counselling"
        entry.discussed = restricted
    return entry


def queued_by(school, staff, case_name: str, text: str = DISCUSSED, pin: str = "1234", **kw):
    """``staff`` signs in here and an entry of theirs goes to the outbox; then they
    are signed out again (as the app does when someone else takes the keyboard)."""
    signed_in_here(staff, pin)
    entry = entry_for(school.cases[case_name].id, text, **kw)
    queue_contact(school.path, staff, entry, "unreachable")
    session.signed_out(staff.id)
    return entry


def hand_written(school, case_name: str, staff_id: int) -> tuple[str, object]:
    """A JSON file as a colleague would write it: today's format, claiming ``staff_id``."""
    uuid = str(uuidlib.uuid4())
    data = {"db": db_identity(school.path), "staff_id": staff_id, "staff_name": "王芳",
            "queued_at": "2026-11-20T15:00:00", "reason": "unreachable",
            "entry": {"uuid": uuid, "case_id": school.cases[case_name].id,
                      "occurred_at": "2026-11-20T10:00:00", "kind": "student",
                      "channel": "face", "participants": "", "duration_min": None,
                      "discussed": "FORGED: written by a colleague", "agreed": "",
                      "follow_up": "", "follow_up_due": None, "meeting_id": None,
                      "restricted": ""}}
    where = folder("outbox", school.path)
    where.mkdir(parents=True, exist_ok=True)
    path = where / f"{uuid}.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return uuid, path


def relabelled_copy(school, original_uuid: str, staff_id: int):
    """A real entry of someone else, copied to a new file with ``staff_id`` changed."""
    [source] = [p for p, d in outbox(school.path) if original_uuid in p.name]
    data = json.loads(source.read_text(encoding="utf-8"))
    data["staff_id"] = staff_id
    copy = source.with_name(f"{uuidlib.uuid4()}.json")
    copy.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return copy


def written_as(staff) -> int:
    return AuditLog.select().where((AuditLog.table_name == "contact")
                                   & (AuditLog.staff == staff.id)).count()


def forge_two(school):
    """The two forgeries of the issue: a hand-written file claiming the
    administrator on a case the writer (the teacher) may not see, and the
    teacher's own entry relabelled as hers.  Returns what to look for."""
    teachers = queued_by(school, school.other, "赵薇", "the teacher's own words")
    original = [p for p, d in outbox(school.path) if d.get("staff_id") == school.other.id][0]
    forged_uuid, forged = hand_written(school, "张伟", school.teacher.id)
    copy = relabelled_copy(school, teachers.uuid, school.teacher.id)
    return teachers, original, original.read_bytes(), forged_uuid, forged, copy


# == the command line ===========================================================
def test_outbox_flush_refuses_forged_files_and_never_writes_them_as_the_administrator(
        school, env):
    teachers, original, original_bytes, forged_uuid, forged, copy = forge_two(school)
    before = written_as(school.teacher)

    proc = run_cli(env, "outbox", "--flush", db=school.path)  # 王芳, the administrator
    assert proc.returncode != 0, proc.stdout + proc.stderr
    refused_lines = [line for line in proc.stderr.splitlines() if line.startswith("Refused ")]
    assert len(refused_lines) == 2, proc.stderr
    assert "Never written" in proc.stderr and "Written: 0;" in proc.stdout
    assert "1 entry of another person waits here" in proc.stdout

    assert not Contact.select().where(Contact.uuid.in_([forged_uuid, teachers.uuid])).exists()
    assert not Contact.select().where(Contact.discussed.contains("FORGED")).exists()
    assert written_as(school.teacher) == before  # no audit row naming her
    # kept aside, never deleted; the teacher's own entry untouched for his sign-in
    kept = sorted(p.name for p in (folder("outbox", school.path) / REFUSED).iterdir())
    assert len(kept) == 2 and any(n.startswith(forged.stem) for n in kept)
    assert any(n.startswith(copy.stem) for n in kept)
    assert not forged.exists() and not copy.exists()
    assert original.read_bytes() == original_bytes

    proc = run_cli(env, "outbox", "--flush", "--as", "李建国", db=school.path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    [row] = Contact.select().where(Contact.uuid == teachers.uuid)
    assert row.author_id == school.other.id and row.discussed == "the teacher's own words"


def test_outbox_without_the_right_pin_shows_nothing(school, env):
    queued_by(school, school.teacher, "张伟", restricted=SECRET)
    for pin in ("0000", None):
        proc = run_cli(env, "outbox", db=school.path, pin=pin)
        assert proc.returncode == 4, proc.stdout + proc.stderr
        assert proc.stdout == ""
        out = proc.stdout + proc.stderr
        for word in ("张伟", "20240101", "secret", SECRET[:4], "entries", "waiting"):
            assert word not in out
    assert outbox_count(school.path) == 1


def test_outbox_lists_only_the_signed_in_persons_own_entries(school, env):
    queued_by(school, school.teacher, "张伟", "the administrator's note")
    queued_by(school, school.teacher, "曾小明", restricted=SECRET)
    queued_by(school, school.other, "赵薇", "the teacher's note")

    proc = run_cli(env, "outbox", "--as", "李建国", db=school.path)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "赵薇 (20240102)" in out and "1 entry waiting" in out
    assert "2 entries of other people wait here" in out
    for word in ("张伟", "曾小明", "王芳", "administrator's note", "secret", SECRET[:4],
                 "teacher's note"):
        assert word not in out, word

    proc = run_cli(env, "outbox", db=school.path)  # 王芳
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "张伟 (20240101)" in out and "曾小明 (20240103)" in out
    assert "2 entries waiting" in out and "1 entry of another person waits here" in out
    for word in ("赵薇", "李建国", "secret", SECRET[:4], "note"):  # never the text, even her own
        assert word not in out, word


def test_no_entry_text_is_in_any_file_of_the_outbox_folder(school, env):
    queued_by(school, school.teacher, "张伟", DISCUSSED)
    queued_by(school, school.teacher, "曾小明", restricted=SECRET)
    queued_by(school, school.other, "赵薇", "the teacher's own words")
    needles = [SECRET, "secret-7f3a", "母亲住院", DISCUSSED, "zq-4411", "the teacher's own words"]

    def grep_outbox(at_least: int) -> None:
        files = [p for p in (folder("outbox", school.path)).rglob("*") if p.is_file()]
        assert len(files) >= at_least
        for path in files:
            data = path.read_bytes()
            for needle in needles:
                for form in (needle.encode(), json.dumps(needle).encode()[1:-1]):
                    assert form not in data, (path, needle)

    grep_outbox(3)
    proc = run_cli(env, "outbox", "--as", "曾老师", db=school.path)
    assert proc.returncode == 0 and "3 entries of other people" in proc.stdout, proc.stdout
    relabelled_copy(school, queued_by(school, school.other, "赵薇", "the teacher's own words").uuid,
                    school.teacher.id)
    run_cli(env, "outbox", "--flush", db=school.path)  # 王芳: hers written, the copy set aside
    grep_outbox(3)  # the teacher's entry, its copy in refused/, and nothing in clear


# == flushed only as its author =====================================================
def test_a_sealed_file_altered_or_copied_elsewhere_is_refused(school, tmp_path):
    entry = queued_by(school, school.teacher, "张伟")
    [(path, data)] = outbox(school.path)
    signed_in_here(school.teacher)
    key = local.key_of(school.teacher.id)
    [item], _ = local.waiting_for(school.path, school.teacher.id, key)
    assert item.entry["uuid"] == entry.uuid

    other_db = tmp_path / "elsewhere.db"  # the same file in another database's outbox
    where = folder("outbox", other_db)
    where.mkdir(parents=True)
    shutil.copy(path, where / path.name)
    result = flush_outbox(other_db, school.teacher)
    assert [why for _, why in result.refused] == ["forged"] and result.written == 0

    data["queued_at"] = "2026-11-01T08:00:00"  # one clear field changed
    path.write_text(json.dumps(data), encoding="utf-8")
    result = flush_outbox(school.path, school.teacher)
    assert [why for _, why in result.refused] == ["forged"] and result.written == 0
    assert not Contact.select().where(Contact.uuid == entry.uuid).exists()


async def test_the_app_refuses_forged_files_while_the_administrator_is_signed_in(school):
    teachers, original, original_bytes, forged_uuid, forged, copy = forge_two(school)
    before = written_as(school.teacher)
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.flush_outbox()  # nobody signed in: nothing happens
        await settle(pilot)
        assert forged.exists() and copy.exists()
        await sign_in(pilot, "wangfang")
        app.flush_outbox()  # the 10-second round
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        kept = str(folder("outbox", school.path) / REFUSED)
        assert any("2 waiting entries could not be proven yours" in m and kept in m
                   for m in messages), messages
        assert not forged.exists() and not copy.exists()
        assert "waiting" not in app.sub_title  # the teacher's entry is not hers to count
    assert not Contact.select().where(Contact.uuid.in_([forged_uuid, teachers.uuid])).exists()
    assert written_as(school.teacher) == before
    assert original.read_bytes() == original_bytes
    assert len(list((folder("outbox", school.path) / REFUSED).iterdir())) == 2


async def test_a_teachers_entry_is_flushed_when_the_teacher_signs_in_not_the_administrator(
        school):
    entry = queued_by(school, school.other, "赵薇", "the teacher's call")
    [(path, _)] = outbox(school.path)
    before = path.read_bytes()
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "wangfang")
        app.flush_outbox()
        await settle(pilot)
        assert not Contact.select().where(Contact.uuid == entry.uuid).exists()
        assert path.read_bytes() == before  # untouched, not set aside
        assert app.waiting == 0
        app.action_switch_user()
        await settle(pilot)
        await sign_in(pilot, "lijianguo")
        assert "1 waiting" in app.sub_title
        app.flush_outbox()
        await settle(pilot)
        assert not path.exists() and app.waiting == 0
    [row] = Contact.select().where(Contact.uuid == entry.uuid)
    assert row.author_id == school.other.id and row.discussed == "the teacher's call"


# == PIN changes ======================================================================
def test_an_own_pin_change_reseals_and_a_reset_keeps_entries_as_sealed_with_an_earlier_pin(
        school, env):
    first = queued_by(school, school.other, "赵薇", "before the change")
    me = signed_in_here(school.other)
    change_pin(me, me.id, "5678")
    assert local.pin_changed(me, me.id, "5678") == 1  # where db.accounts.change_pin calls it
    assert local.key_of(me.id) == local.outbox_key(me.id, "5678")
    items, _ = local.waiting_for(school.path, me.id, local.outbox_key(me.id, "5678"))
    assert [i.entry["discussed"] for i in items] == ["before the change"]
    items, _ = local.waiting_for(school.path, me.id, local.outbox_key(me.id, "1234"))
    assert [i.problem for i in items] == ["earlier_pin"]  # the old PIN opens nothing now
    session.signed_out()

    # he forgets it; the administrator resets it: nothing re-sealed, nothing lost
    second = queued_by(school, school.other, "赵薇", "queued with 5678", pin="5678")
    admin = signed_in_here(school.teacher)
    change_pin(admin, school.other.id, "9999")
    assert local.pin_changed(admin, school.other.id, "9999") == 0
    assert local.key_of(school.other.id) is None  # the administrator's process holds no key of his
    proc = run_cli(env, "outbox", "--flush", "--as", "李建国", db=school.path, pin="9999")
    assert proc.returncode != 0
    assert "sealed with an earlier PIN" in proc.stderr and proc.stderr.count("Refused ") == 2
    kept = list((folder("outbox", school.path) / REFUSED).iterdir())
    assert len(kept) == 2 and all(p.name.endswith(".earlier_pin.json") for p in kept)
    assert not Contact.select().where(Contact.uuid.in_([first.uuid, second.uuid])).exists()
    proc = run_cli(env, "outbox", "--as", "李建国", db=school.path, pin="9999")
    assert proc.stdout.count("sealed with an earlier PIN") == 2, proc.stdout
