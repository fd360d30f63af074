"""Many clients writing to one PostgreSQL database at once.

Sixteen writer processes (each a separate client, like sixteen staff at their
desks) log contacts with bangfu's own ``db.contacts.save_contact`` at the same
moment.  Afterwards every acknowledged entry is in the database exactly once,
with its audit row, and saving an acknowledged entry again (a retry after a
lost reply, an outbox flush) writes nothing new.

Then two clients saving the same case or student from the same starting
version, at the same moment: the second must be refused (a version conflict),
never a silent overwrite (DESIGN.md section 3): one after the other (the second
still holds the version it loaded), and together.  On SQLite ``BEGIN
IMMEDIATE`` serialises whole transactions so the second race cannot happen;
on the server two transactions run side by side (READ COMMITTED), so it is
forced here: the test holds the row's lock while both clients read the version
and reach their UPDATE, then lets them go.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from db.store.connection import close_database, open_database
from db.contacts import NewContact, save_contact
from db.models import AuditLog, Contact, database
from tests.conftest import build_small_school
from tests.pg import drop_server_database, fresh_server_database
from tests.pgserver import connect

pytestmark = pytest.mark.server

ROOT = Path(__file__).resolve().parent.parent
WRITERS = 16
PER_WRITER = 30
DATABASE = "bangfu_writers"
FIXTURE_UUID = "00000000-0000-4000-8000-000000000001"  # build_small_school's own entry

# One client: bangfu's own functions.  Prints "ready" once open, waits for "go"
# on stdin (so all sixteen write at once), then "ack UUID" for every entry whose
# save returned; every acknowledged entry is saved a second time at once (the
# retry after a lost reply), which must not create anything.
WRITER = r"""
import sys
sys.path.insert(0, sys.argv[1])
url, label, count, case_id = sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
from db.store.connection import open_database
from db.contacts import ContactInput, save_contact, validate
from db.staff import find_staff

open_database(url)
actor = find_staff("王芳")[0]
print("ready", flush=True)
sys.stdin.readline()
for i in range(count):
    entry = validate(ContactInput(case_id=case_id, discussed=f"writer {label} #{i}"))
    try:
        save_contact(actor, entry)
    except Exception as exc:
        print("failed", entry.uuid, repr(exc)[:300].replace("\n", " "), flush=True)
        continue
    print("ack", entry.uuid, flush=True)
    try:
        if save_contact(actor, entry)[1]:
            print("duplicated", entry.uuid, flush=True)
    except Exception as exc:
        print("failed-retry", entry.uuid, repr(exc)[:300].replace("\n", " "), flush=True)
"""


def child_env(tmp_path: Path) -> dict:
    """The test's environment (PGPASSWORD) with a fixed date and a private state folder."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BANGFU_")}
    env.update(BANGFU_TODAY="2026-11-20", BANGFU_STATE_DIR=str(tmp_path / "state"),
               PYTHONDONTWRITEBYTECODE="1")
    return env


def parse(out: str) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {"ack": [], "failed": [], "failed-retry": [], "duplicated": []}
    for line in out.splitlines():
        kind, _, rest = line.strip().partition(" ")
        if kind in result:
            result[kind].append(rest.split(" ")[0] if kind in ("ack", "duplicated") else rest)
    return result


@pytest.fixture
def server_school():
    """A fresh database of its own on the test server, with the small school."""
    url = fresh_server_database(DATABASE)
    open_database(url)
    try:
        yield url, build_small_school(url)
    finally:
        close_database()
        drop_server_database(DATABASE)


def end_all(procs: list[subprocess.Popen]) -> None:
    """Kill (by pid) any client still running after a failure; reap them all."""
    for p in procs:
        if p.poll() is None:
            p.kill()
        p.wait()


def start_all(argvs: list[list[str]], env: dict) -> list[subprocess.Popen]:
    """Start every client, wait until each has opened the database, then let all go."""
    procs = [subprocess.Popen(argv, cwd=ROOT, env=env, stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for argv in argvs]
    for p in procs:
        line = p.stdout.readline()
        if line.strip() != "ready":
            for q in procs:
                q.kill()
            pytest.fail(f"a client did not start: {line!r} {p.stderr.read()[-2000:]}")
    for p in procs:
        p.stdin.write("go\n")
        p.stdin.flush()
    return procs


def test_sixteen_writers_lose_nothing_and_duplicate_nothing(server_school, tmp_path):
    url, school = server_school
    case_id = school.cases["张伟"].id
    started = time.monotonic()
    procs = start_all([[sys.executable, "-c", WRITER, str(ROOT), url, f"w{n}", str(PER_WRITER),
                        str(case_id)] for n in range(WRITERS)], child_env(tmp_path))
    results = []
    try:
        for p in procs:
            out, err = p.communicate(timeout=120)
            assert p.returncode == 0, err[-2000:]
            results.append(parse(out))
    finally:
        end_all(procs)
    elapsed = time.monotonic() - started
    acked = [u for r in results for u in r["ack"]]
    failed = [f for r in results for f in r["failed"] + r["failed-retry"]]
    assert not failed, failed[:5]
    assert not [u for r in results for u in r["duplicated"]]
    assert len(acked) == len(set(acked)) == WRITERS * PER_WRITER

    # every acknowledged entry exactly once, nothing else written
    counts = dict(database.execute_sql("SELECT uuid, COUNT(*) FROM contact GROUP BY uuid").fetchall())
    assert set(acked) - counts.keys() == set(), "acknowledged entries lost"
    assert {u: n for u, n in counts.items() if n != 1} == {}, "duplicated entries"
    assert counts.keys() == set(acked) | {FIXTURE_UUID}
    texts = [c.discussed for c in Contact.select().where(Contact.discussed.startswith("writer "))]
    assert sorted(texts) == sorted(f"writer w{n} #{i}" for n in range(WRITERS) for i in range(PER_WRITER))

    # each entry has exactly one audit row ("insert"), written in its transaction
    audited = dict(database.execute_sql(
        "SELECT c.uuid, COUNT(a.id) FROM contact c LEFT JOIN audit_log a ON a.table_name = 'contact' "
        "AND a.action = 'insert' AND a.row_id = CAST(c.id AS TEXT) WHERE c.uuid != ? GROUP BY c.uuid",
        (FIXTURE_UUID,)).fetchall())
    assert {u: n for u, n in audited.items() if n != 1} == {}
    assert AuditLog.select().where(AuditLog.table_name == "contact").count() == len(acked)

    # a retry from another client, later (an outbox flush): the same id, nothing new
    rows = list(Contact.select().where(Contact.uuid.in_(acked[::97])))
    for row in rows:
        again = NewContact(uuid=row.uuid, case_id=row.case_id, occurred_at=row.occurred_at,
                           kind=row.kind, channel=row.channel, participants="",
                           duration_min=None, discussed="a retry of " + row.discussed, agreed="",
                           follow_up="", follow_up_due=None)
        assert save_contact(school.other, again) == (row.id, False)
    assert Contact.select().count() == len(acked) + 1
    assert AuditLog.select().where(AuditLog.table_name == "contact").count() == len(acked)
    print(f"{len(acked)} entries from {WRITERS} writers in {elapsed:.1f} s (with start-up)")


# -- two clients, one stale version ------------------------------------------------------------
# Loads the case (or student) and prints "loaded VERSION"; on "go" saves its own
# change from that version and prints "saved" or "conflict" (for a case, after
# "theirs MEASURES": what the conflict says the other client saved).
EDITOR = r"""
import sys
sys.path.insert(0, sys.argv[1])
url, what, student_id, staff, text = sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5], sys.argv[6]
from db.store.connection import open_database
from db.staff import find_staff

open_database(url)
actor = find_staff(staff)[0]
if what == "case":
    from db.cases import VersionConflict, load_case, update_case
    view = load_case(student_id)
    print("loaded", view.version, flush=True)
    sys.stdin.readline()
    try:
        update_case(actor, view.case_id, view.version, dict(view.edit_values(), measures=text))
    except VersionConflict as conflict:
        print("theirs", conflict.theirs.get("measures"), flush=True)
        print("conflict", flush=True)
    else:
        print("saved", flush=True)
else:
    from db.students import StudentError, load_student, save_student
    form = load_student(student_id)
    print("loaded", form.version, flush=True)
    sys.stdin.readline()
    form.data.address = text
    try:
        save_student(actor, form.data, form.student_id, form.version)
    except StudentError as exc:
        print("conflict" if exc.code == "version" else f"error {exc.code}", flush=True)
    else:
        print("saved", flush=True)
"""


def two_editors(url: str, what: str, table: str, row_id: int, student_id: int, env: dict,
                staff: tuple[str, str], *, together: bool) -> list[list[str]]:
    """Two clients load ``what`` (the same version), then save their own change:
    one after the other, or ``together``.  Each one's output after loading.

    Together: while this test holds the row's lock, both clients start their
    save; the first to take the write lock (``db.store.server``: one writer at a time,
    as on SQLite) waits for the row, the other for the write lock; then the row
    is let go.  That is the worst interleaving two unlucky clicks can have: the
    second must still see the first's version and be refused.
    """
    holder = connect(url, autocommit=False)
    editors: list[subprocess.Popen] = []
    try:
        for name, text in zip(staff, ("plan A", "plan B")):
            p = subprocess.Popen([sys.executable, "-c", EDITOR, str(ROOT), url, what,
                                  str(student_id), name, text], cwd=ROOT, env=env,
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True)
            editors.append(p)
        versions = []
        for p in editors:
            line = p.stdout.readline().split()
            assert line[:1] == ["loaded"], p.stderr.read()[-2000:]
            versions.append(line[1])
        assert versions[0] == versions[1]
        if not together:
            answers = []
            for p in editors:
                out, err = p.communicate("go\n", timeout=60)
                assert p.returncode == 0, err[-2000:]
                answers.append(out.split())
            return answers
        with holder.cursor() as cur:
            cur.execute(f'SELECT id FROM "{table}" WHERE id = %s FOR UPDATE', (row_id,))
        for p in editors:
            p.stdin.write("go\n")
            p.stdin.flush()
        # both clients now wait for the row (or one finished without waiting: a bug
        # that the answers below show)
        deadline = time.monotonic() + 20
        waiting = 0
        watch = connect(url)
        try:
            with watch.cursor() as cur:
                while time.monotonic() < deadline and waiting < 2:
                    if any(p.poll() is not None for p in editors):
                        break
                    cur.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = "
                                "current_database() AND wait_event_type = 'Lock'")
                    waiting = cur.fetchone()[0]
                    time.sleep(0.02)
        finally:
            watch.close()
        holder.rollback()  # let them go
        answers = []
        for p in editors:
            out, err = p.communicate(timeout=60)
            assert p.returncode == 0, err[-2000:]
            answers.append(out.split())
        assert waiting == 2, (waiting, answers)  # both did reach their UPDATE together
        return answers
    finally:
        holder.close()
        end_all(editors)


@pytest.mark.parametrize("together", [False, True], ids=["one_after_the_other", "together"])
def test_two_clients_saving_one_case_from_one_version_the_second_is_refused(
        server_school, tmp_path, together):
    url, school = server_school
    case = school.cases["张伟"]
    answers = two_editors(url, "case", "case_file", case.id, school.students["张伟"].id,
                          child_env(tmp_path), ("王芳", "李建国"), together=together)
    assert sorted(a[-1] for a in answers) == ["conflict", "saved"], answers
    if not together:  # the second is told what the first saved (what it merges with)
        assert answers[1] == ["theirs", "plan", "A", "conflict"], answers
    row = database.execute_sql("SELECT version, measures FROM case_file WHERE id = ?",
                               (case.id,)).fetchone()
    assert row[0] == case.version + 1 and row[1] in ("plan A", "plan B")
    updates = AuditLog.select().where(AuditLog.table_name == "case_file", AuditLog.action == "update",
                                      AuditLog.row_id == str(case.id)).count()
    assert updates == 1


@pytest.mark.parametrize("together", [False, True],
                         ids=["one_after_the_other", "together"])
def test_two_clients_saving_one_student_from_one_version_the_second_is_refused(
        server_school, tmp_path, together):
    url, school = server_school
    student = school.students["周文"]
    # only managers change students: the administrator, from two workstations
    answers = [a[-1] for a in two_editors(url, "student", "student", student.id, student.id,
                                          child_env(tmp_path), ("王芳", "王芳"),
                                          together=together)]
    assert sorted(answers) == ["conflict", "saved"], answers
