"""The app on a simulated network share: two hosts, one file, the share vanishing.

Host A is this test process (the app, driven with Pilot); host B is a
``bangfu`` command run through the second mount.  Dot-file locking.
"""

from __future__ import annotations

import os
import subprocess
import sys

from db.cases import VersionConflict, load_case, update_case
from db.config import Settings
from db.store.connection import close_database, open_database
from db.store.local import outbox
from db.staff import find_staff
from tests.conftest import build_small_school
from tests.helpers import settle, sign_in
from tests.share import ROOT, share, share_factory  # noqa: F401  (fixtures)
from tui.app import BangfuApp


def school_on(share):
    """The small school in the backing directory, opened through mount A."""
    backing = share.backing / "school.db"
    open_database(backing, create=True, locking="dotfile")
    school = build_small_school(backing)
    close_database()
    open_database(share.mounts[0] / "school.db", locking="dotfile")
    return school


def app_on(path) -> BangfuApp:
    from db.models import database

    settings = Settings(db_path=path, db_source="--db", lang="en", lang_source="test", user="",
                        locking="dotfile", locking_source="test")
    return BangfuApp(settings=settings, database=database.obj)


def host_b(share, *args) -> subprocess.CompletedProcess:
    env = dict(os.environ, BANGFU_TODAY="2026-11-20", BANGFU_NOW="2026-11-20T16:00",
               BANGFU_LOCKING="dotfile", BANGFU_STATE_DIR=str(share.backing.parent / "state-b"),
               PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "tui.cli", "--db",
                           str(share.mounts[1] / "school.db"), *args],
                          capture_output=True, input="1234\n", text=True, env=env, timeout=60)


def in_file(share, uuid: str) -> int:
    import sqlite3

    conn = sqlite3.connect(f"file:{share.backing / 'school.db'}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT count(*) FROM contact WHERE uuid = ?", (uuid,)).fetchone()[0]
    finally:
        conn.close()


async def test_an_entry_from_another_host_appears_on_the_open_case_and_roster(share):
    school_on(share)
    path = share.mounts[0] / "school.db"
    app = app_on(path)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await sign_in(pilot, "wangfang")
            await pilot.press(*"20240101", "enter")
            await settle(pilot)
            case = app.screen
            assert not any("from host B" in c.discussed for c in case.view.contacts)
            done = host_b(share, "log", "20240101", "--as", "曾老师", "--channel", "home_visit",
                          "--text", "Home visit from host B")
            assert done.returncode == 0, done.stderr
            # the app's 3-second timer, run now: one cheap header read, then the audit
            app.check_freshness()
            await settle(pilot, 6)
            assert app.screen is case
            assert any(c.discussed == "Home visit from host B" for c in case.view.contacts)
            [row] = [r for r in app.index.search("20240101")]
            assert row.last_channel == "home_visit"
    finally:
        close_database()


async def test_the_share_vanishes_while_saving_and_the_entry_arrives_once(share):
    school_on(share)
    app = app_on(share.mounts[0] / "school.db")
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await sign_in(pilot, "wangfang")
            await pilot.press(*"20240101", "enter")
            await settle(pilot)
            await pilot.press("n")
            await settle(pilot)
            form = app.screen
            form.query_one("#discussed").focus()
            await pilot.press(*"Called while the share was down")
            share.offline()
            await pilot.press("ctrl+s")
            await settle(pilot, 6)
            # nothing lost: the form keeps its text, the entry waits in the outbox
            assert app.screen is form
            assert form.query_one("#discussed").text == "Called while the share was down"
            [(_, waiting)] = outbox(app.db_path)
            assert waiting["uuid"] == form.uuid
            assert "1 waiting" in app.sub_title
            assert in_file(share, form.uuid) == 0  # read behind the share's back
            app.flush_outbox()  # still down: stays waiting, no error shown
            await settle(pilot, 4)
            assert len(outbox(app.db_path)) == 1
            share.online()
            app.flush_outbox()
            await settle(pilot, 6)
            assert outbox(app.db_path) == []
            assert "waiting" not in app.sub_title
            messages = [n.message for n in app._notifications]
            assert not any("Traceback" in m or "Error:" in m for m in messages), messages
            await pilot.press("escape")  # the read-only form closes without a question
            await settle(pilot)
            case = app.screen
            assert any(c.discussed == "Called while the share was down"
                       for c in case.view.contacts)
        assert in_file(share, form.uuid) == 1
    finally:
        close_database()


def test_two_hosts_editing_one_case_get_a_version_conflict(share):
    school = school_on(share)
    case_id = school.cases["张伟"].id
    student_id = school.students["张伟"].id
    view = load_case(student_id)
    actor = find_staff("王芳")[0]
    # host B saves first, from the same starting version
    code = (f"import sys; sys.path.insert(0, {str(ROOT)!r})\n"
            "from db.store.connection import open_database\n"
            "from db.cases import load_case, update_case\n"
            "from db.staff import find_staff\n"
            f"open_database({str(share.mounts[1] / 'school.db')!r}, locking='dotfile')\n"
            f"v = load_case({student_id})\n"
            f"update_case(find_staff('李建国')[0], {case_id}, v.version, "
            "dict(v.edit_values(), measures='host B plan'))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=dict(os.environ, BANGFU_TODAY="2026-11-20"), timeout=60)
    assert done.returncode == 0, done.stderr
    try:
        try:
            update_case(actor, case_id, view.version, dict(view.edit_values(), measures="host A plan"))
        except VersionConflict as conflict:
            assert conflict.theirs["measures"] == "host B plan"
        else:
            raise AssertionError("the second save overwrote the first")
        assert load_case(student_id).measures == "host B plan"
    finally:
        close_database()
