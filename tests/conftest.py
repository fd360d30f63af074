"""Shared fixtures: a small, hand-made school in a real SQLite file per test."""

from __future__ import annotations

import asyncio
import datetime as dt
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import pytest

from db import accounts, clock
from db.store.connection import close_database, open_database
from db.models import Contact, SchoolClass, Term
from db.staff import add_staff
from db.students import add_guardian, create_student, open_case
from tests.pg import (ON_SERVER, PG_SERVER, SUITE_DATABASE, bound_database_rows,
                      empty_bound_database, fresh_server_database, restore_bound_database,
                      server_url)
from tui import i18n

TODAY = dt.date(2026, 11, 20)
NOW = dt.datetime(2026, 11, 20, 15, 30)
PIN = "1234"  # every fixture account's PIN (tests.helpers.sign_in types it)
# a cheap scrypt (the cost is stored in the hash), so signing in costs nothing
PIN_HASH = accounts.hash_pin(PIN, n=2 ** 4)


@pytest.fixture(autouse=True)
def cheap_pins(monkeypatch):
    """PINs set during a test are hashed cheaply too (the real cost is 2**15)."""
    monkeypatch.setattr(accounts, "SCRYPT_N", 2 ** 4)


@pytest.fixture(autouse=True, scope="session")
def steady_cursor():
    """Text cursors do not blink in tests: a screen looks the same however long a
    loaded machine takes to get to it (a blink half a second after the last key
    made snapshots of a focused field differ, test_student_editor among them)."""
    from textual.widgets import Input, TextArea

    patch = pytest.MonkeyPatch()
    patch.setattr(Input, "_toggle_cursor", lambda self: None)
    patch.setattr(TextArea, "_toggle_cursor_blink_visible", lambda self: None)
    yield
    patch.undo()


IDLE_GRANULARITY = 0.004  # seconds; Textual's own is 0.02


async def finer_wait_for_idle(min_sleep: float = IDLE_GRANULARITY, max_sleep: float = 1) -> None:
    """Textual's ``wait_for_idle`` (what Pilot waits with after every key) with a
    finer step: the same test (the process used no CPU for one step: every message
    the key caused is handled) in 4 ms steps instead of 20, so a key typed in a test
    costs a few milliseconds of waiting, not 40-80.  Workers are waited for by
    ``tests.helpers.settle``, as before."""
    start = time.monotonic()
    while True:
        cpu = time.process_time()
        await asyncio.sleep(IDLE_GRANULARITY)
        cpu_used = time.process_time() - cpu
        elapsed = time.monotonic() - start
        if elapsed >= max_sleep:
            break
        if elapsed > min_sleep and cpu_used < IDLE_GRANULARITY / 20:
            break


@pytest.fixture(autouse=True, scope="session")
def finer_idle():
    """Pilot waits in finer steps, and ``pilot.press`` returns once bangfu has
    handled the keys: those typed ahead (tui.typeahead) included, and a Tab that
    waits for the screen's layout; a test then reads the state the keys made."""
    import textual.app
    import textual.pilot

    press = textual.pilot.Pilot.press

    async def press_and_handle(self, *keys: str) -> None:
        await press(self, *keys)
        while getattr(self.app, "keys_waiting", False):
            await self.pause()

    patch = pytest.MonkeyPatch()
    patch.setattr(textual.app, "wait_for_idle", finer_wait_for_idle)
    patch.setattr(textual.pilot, "wait_for_idle", finer_wait_for_idle)
    patch.setattr(textual.pilot.Pilot, "press", press_and_handle)
    yield
    patch.undo()


@pytest.fixture(autouse=True)
def no_keys_held():
    """Each test starts with nobody signed in (keys are held per process)."""
    from db import session

    session.signed_out()
    yield
    session.signed_out()


@pytest.fixture(autouse=True)
def fixed_clock():
    clock.set_today(TODAY, NOW)
    yield
    clock.set_today(None)


@pytest.fixture(autouse=True)
def local_state(tmp_path, monkeypatch):
    """Drafts and the outbox go to the test's own folder, never the user's."""
    monkeypatch.setenv("BANGFU_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("BANGFU_EXPORT_DIR", str(tmp_path / "exports"))
    return tmp_path / "state"


@pytest.fixture(autouse=True)
def english():
    i18n.set_language("en")
    yield
    i18n.set_language("en")


@pytest.fixture(params=["en", "zh"])
def lang(request):
    """The test once in English, once in Chinese (the snapshots at 80x24)."""
    i18n.set_language(request.param)
    yield request.param
    i18n.set_language("en")


# The whole suite runs on SQLite, and again with BANGFU_TEST_BACKEND=postgresql
# on the server ``./dev test`` starts (tests/pg.py): then every test that takes
# ``db_path`` (or ``school``) gets the server database, emptied first, as a URL.


def pytest_configure(config):
    config.addinivalue_line("markers", "file_only: about the SQLite file itself "
                            "(locking, journals, backups, the share); not run on PostgreSQL")
    config.addinivalue_line("markers", "server: needs the PostgreSQL test server; "
                            "runs in the PostgreSQL run")


# Files that make server databases or roles by fixed names: each runs whole in one
# pytest-xdist worker (``./dev test`` uses ``--dist loadgroup``; every other test goes
# to whichever worker is free, so the long share and stress tests run side by side).
ONE_WORKER_FILES = ("test_server.py", "test_server_faults.py", "test_server_writers.py",
                    "test_tamper.py", "test_migrate_to.py", "test_district.py",
                    "test_district_rollup.py", "test_district_offices.py",
                    "test_demo_town.py")


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups
def pytest_collection_modifyitems(config, items):
    if ON_SERVER:
        # The PostgreSQL run runs what a server can change: the tests on a database
        # (``db_path``, so ``school`` too) and those marked ``server``.  A test on no
        # database (parsers, the catalog, the files on the share, the terminal) runs
        # the same code in both runs: it is the SQLite run's, reported here as deselected.
        on_no_database = [item for item in items
                          if "db_path" not in getattr(item, "fixturenames", ())
                          and not item.get_closest_marker("server")]
        if on_no_database:
            config.hook.pytest_deselected(items=on_no_database)
            leaving = set(on_no_database)
            items[:] = [item for item in items if item not in leaving]
    for item in items:
        if item.path.name in ONE_WORKER_FILES:
            item.add_marker(pytest.mark.xdist_group(item.path.stem))


def pytest_runtest_setup(item):
    if ON_SERVER and item.get_closest_marker("file_only"):
        pytest.skip("about the SQLite file itself: runs in the SQLite run")
    if item.get_closest_marker("server"):
        if not ON_SERVER:
            pytest.skip("needs the PostgreSQL server: runs in the PostgreSQL run (./dev test)")
        if not PG_SERVER:
            pytest.fail("BANGFU_TEST_BACKEND=postgresql without BANGFU_TEST_PG (the server URL)")


@pytest.fixture(scope="session")
def suite_server_database():
    """The suite's server database, made and migrated once per run."""
    fresh_server_database(SUITE_DATABASE)
    url = server_url(SUITE_DATABASE, with_password=True)  # (shown everywhere without it)
    open_database(url)
    close_database()
    return url


@pytest.fixture
def db_path(request, tmp_path):
    # the small school when the test takes ``school``, else an empty database
    kind = "school" if "school" in request.fixturenames else "empty"
    if ON_SERVER:
        url = request.getfixturevalue("suite_server_database")
        open_database(url)
        if kind == "empty":
            empty_bound_database()
            clock.mark_database("test")  # a test database: the clock overrides count on it
        else:
            restore_school_rows()
        yield url
        close_database()
        return
    # a copy of the file (and its journal) made once per process
    path = tmp_path / "school.db"
    copy_template(kind, request.getfixturevalue("tmp_path_factory"), tmp_path)
    open_database(path)
    yield path
    close_database()


@dataclass
class School:
    path: object
    teacher: object  # 王老师 (administrator), leads 张伟 and 曾小明
    other: object  # 李老师 (teacher, no classes), leads 赵薇 and [bold]王[/
    students: dict
    cases: dict


@pytest.fixture
def school(db_path):
    made = cast(School, _TEMPLATES["school"][1])
    # the database holds the template's rows (db_path): read afresh here (so no
    # test's changes to them reach another test)
    return School(db_path, fresh(made.teacher), fresh(made.other),
                  {name: fresh(row) for name, row in made.students.items()},
                  {name: fresh(row) for name, row in made.cases.items()})


def fresh(row):
    return type(row).get_by_id(row.id)


def build_small_school(db_path) -> School:
    # a test school: BANGFU_TODAY / BANGFU_NOW (tests.helpers.cli_env) count on it
    clock.mark_database("test")
    term = Term.create(name="2026-2027 第一学期", school_year="2026-2027", semester=1,
                       start_date=dt.date(2026, 9, 1), end_date=dt.date(2027, 1, 20))
    wang = add_staff(None, "王芳", "admin", pin_hash=PIN_HASH)
    li = add_staff(None, "李建国", "teacher", pin_hash=PIN_HASH)
    add_staff(None, "曾老师", "counsellor", pin_hash=PIN_HASH)
    c1 = SchoolClass.create(name="七年级(1)班", code="7-1", grade=7)
    c2 = SchoolClass.create(name="八年级(2)班", code="8-2", grade=8)
    specs = [
        ("20240101", "张伟", "M", c1, "active", wang),
        ("20240102", "赵薇", "F", c1, "identified", li),
        ("20240103", "曾小明", "M", c1, "improving", wang),
        ("20240104", "单田芳", "F", c2, None, None),
        ("20240105", "周文", "M", c2, None, None),
        ("20240106", "[bold]王[/", "M", c2, "active", li),
        ("20240107", "欧阳娜娜", "F", c2, None, None),
    ]
    students, cases = {}, {}
    for no, name, gender, klass, status, lead in specs:
        s = create_student(None, student_no=no, name=name, gender=gender, class_id=klass.id,
                           birth_date=dt.date(2013, 3, 4), family_flags=("left_behind_one",),
                           family_notes="父亲在外务工")
        add_guardian(None, s.id, name=f"{name[0]}父", relation="father", phone="13800000000",
                     wechat="wx_dad", lives_with=False)
        add_guardian(None, s.id, name="刘梅", relation="mother", phone="13900000000",
                     lives_with=True)
        students[name] = s
        if status:
            cases[name] = open_case(None, s.id, term_id=term.id, status=status,
                                    categories=("academic",), causes=("habits", "left_behind"),
                                    lead_id=lead.id, main_problems="作业经常不交",
                                    measures="每周两次面批")
    Contact.create(uuid="00000000-0000-4000-8000-000000000001", case=cases["张伟"].id,
                   author=wang.id, occurred_at=dt.datetime(2026, 11, 2, 16, 0), kind="family",
                   channel="wechat", participants="张父", duration_min=10,
                   discussed="Talked about homework [/] and sleep \x1b[31mred\x1b[0m",
                   agreed="Check homework daily", follow_up="Call again", host="test",
                   follow_up_due=dt.date(2026, 11, 25), created_at=NOW)
    return School(db_path, wang, li, students, cases)


# kind ("empty", "school") -> the folder holding its school.db and journal (on the
# server: the school's rows, tests.pg.bound_database_rows), and the School made in it
# (for its rows' ids)
_TEMPLATES: dict[str, tuple[Path | dict, School | None]] = {}


def copy_template(kind: str, factory, folder: Path) -> None:
    """``folder/school.db`` and its journal as a new test database of ``kind`` leaves
    them: made and migrated (and the small school built) once per test process, in
    the first test that asks (so under its fixed clock), then copied, which costs a
    few milliseconds instead of the ~90 ms of making one."""
    if kind not in _TEMPLATES:
        made = factory.mktemp(f"template-{kind}")
        open_database(made / "school.db", create=True)
        try:
            clock.mark_database("test")
            built = build_small_school(made / "school.db") if kind == "school" else None
        finally:
            close_database()
        _TEMPLATES[kind] = (made, built)
    shutil.copytree(_TEMPLATES[kind][0], folder, dirs_exist_ok=True)


def restore_school_rows() -> None:
    """On the server: the bound database holding the small school, built once per
    test process (in the first test that asks, under its fixed clock) and written
    back row for row after (tests.pg.restore_bound_database)."""
    if "school" not in _TEMPLATES:
        empty_bound_database()
        built = build_small_school(None)
        _TEMPLATES["school"] = (bound_database_rows(), built)
    else:
        restore_bound_database(_TEMPLATES["school"][0])
