"""``bangfu migrate-to URL``: a school's file copied into an empty PostgreSQL database.

Every table arrives with the same rows and checksum; a second run changes
nothing; a database holding anything else is refused and left as it was; a
failure half-way leaves the target as it was; the password never shows.
"""

from __future__ import annotations

import datetime as dt
import time

import pytest

from db import clock
from db.store.connection import close_database, open_database
from db.store.migrate_to import MigrateError, migrate_to
from db.models import (ALL_MODELS, Case, Contact, Guardian, Meta, Score, Staff, Student,
                       database)
from db.staff import add_staff
from tests.conftest import NOW, TODAY, build_small_school
from tests.helpers import cli_env, run_cli
from tests.pg import drop_server_database, fresh_server_database, server_url
from tests.pgserver import PASSWORD

pytestmark = pytest.mark.server


@pytest.fixture
def target():
    """``target(name)``: an empty database on the test server (its URL), dropped after."""
    made = []

    def make(name: str) -> str:
        made.append(name)
        return fresh_server_database(name)

    yield make
    close_database()
    for name in made:
        drop_server_database(name)


def _with_password(url: str) -> str:
    return url.replace("://bangfu@", f"://bangfu:{PASSWORD}@", 1)


@pytest.fixture
def school_file(tmp_path):
    """The small school in a file, plus scores whose floats must survive exactly."""
    path = tmp_path / "school.db"
    open_database(path, create=True)
    school = build_small_school(path)
    zhang = school.students["张伟"]
    for n, (value, full) in enumerate([(87.5, 100.0), (0.1 + 0.2, 120.0), (59.999999, 150.0)]):
        Score.create(uuid=f"00000000-0000-4000-8000-0000000001{n:02d}", student=zhang.id,
                     exam="期中考试", subject="数学", taken_on=dt.date(2026, 11, 5 + n),
                     score=value, full_marks=full, author=school.teacher.id, updated_at=NOW)
    Staff.update(locked_until=dt.datetime(2026, 11, 20, 15, 45, 12, 345678)).where(
        Staff.id == school.other.id).execute()
    close_database()
    return path


def _file_tables(path) -> set[str]:
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        return {n for (n,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")}
    finally:
        conn.close()


def _server_tables(url) -> set[str]:
    import psycopg2

    from db.store.server import connect_params

    name, params = connect_params(url)
    conn = psycopg2.connect(dbname=name, **params)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT table_name FROM information_schema.tables "
                        "WHERE table_schema = current_schema()")
            return {n for (n,) in cur.fetchall()}
    finally:
        conn.close()


def fingerprint(url) -> dict:
    """Everything a run could change on the server: every table's rows (the
    history's timestamps too) and every sequence's position."""
    import psycopg2

    from db.store.server import connect_params

    name, params = connect_params(url)
    conn = psycopg2.connect(dbname=name, **params)
    try:
        with conn.cursor() as cur:
            seen = {}
            for table in sorted(_server_tables(url)):
                cur.execute(f'SELECT COUNT(*), md5(COALESCE(string_agg(t::text, \'|\' '
                            f'ORDER BY t::text), \'\')) FROM "{table}" t')
                seen[table] = cur.fetchone()
            cur.execute("SELECT sequencename, last_value FROM pg_sequences")
            seen["sequences"] = sorted(cur.fetchall())
            return seen
    finally:
        conn.close()


def _everything() -> dict:
    """Every model's rows as the app reads them (bound database)."""
    rows = {}
    for model in ALL_MODELS:
        data = [m.__data__ for m in model.select()]
        key = model._meta.primary_key.name
        rows[model._meta.table_name] = sorted(data, key=lambda d: d[key])
    return rows


def test_a_small_school_is_copied_whole(school_file, target):
    url = target("bangfu_migrate_1")
    bound = database.obj
    report = migrate_to(school_file, url)
    assert report.status == "copied" and report.ok
    assert database.obj is bound  # the models' binding is as it was
    figures = {f.name: f for f in report.tables}
    assert set(figures) == _file_tables(school_file) - {"schema_migration"}
    assert {"audit_log", "bangfu_meta", "score", "contact"} <= set(figures)
    for f in report.tables:
        assert f.source_rows == f.target_rows and f.source_sum == f.target_sum, f.name
        assert len(f.source_sum) == 64
    assert figures["audit_log"].source_rows > 0
    assert figures["score"].source_rows == 3

    open_database(school_file)
    on_file = _everything()
    close_database()
    open_database(url)
    on_server = _everything()
    assert on_server == on_file  # dates, datetimes, booleans, floats: equal as the app reads them
    scores = [s.score for s in Score.select().order_by(Score.id)]
    assert scores == [87.5, 0.1 + 0.2, 59.999999]
    zhang = Student.get(Student.name == "张伟")
    assert zhang.birth_date == dt.date(2013, 3, 4) and isinstance(zhang.birth_date, dt.date)
    assert {g.lives_with for g in Guardian.select()} == {True, False}
    contact = Contact.get()
    assert contact.occurred_at == dt.datetime(2026, 11, 2, 16, 0)
    assert contact.follow_up_due == dt.date(2026, 11, 25)
    assert "\x1b[31mred" in contact.discussed
    locked = Staff.get(Staff.name == "李建国").locked_until
    assert locked == dt.datetime(2026, 11, 20, 15, 45, 12, 345678)
    assert Meta.get_by_id("locking").value == "posix"
    # the sequences continue after the copied ids
    newest = Staff.select().order_by(Staff.id.desc()).get().id
    assert add_staff(None, "新来的老师", "teacher").id == newest + 1
    case = Case.get()
    entry = Contact.create(uuid="00000000-0000-4000-8000-000000000999", case=case.id,
                           author=newest + 1, occurred_at=NOW, kind="family", channel="phone")
    assert entry.id == figures["contact"].source_rows + 1


def test_the_models_stay_bound_to_what_they_were(school_file, target, tmp_path):
    url = target("bangfu_migrate_2")
    other = open_database(tmp_path / "other.db", create=True)
    migrate_to(school_file, url)
    assert database.obj is other
    assert not Student.select().exists()  # still the other (empty) file


def test_a_second_run_says_already_copied_and_changes_nothing(school_file, target, tmp_path):
    url = target("bangfu_migrate_3")
    first = migrate_to(school_file, url)
    before = fingerprint(url)

    def never(plan):
        raise AssertionError("asked although there is nothing to copy")

    again = migrate_to(school_file, url, confirm=never)
    assert again.status == "already" and again.ok
    assert [(f.name, f.source_rows, f.target_rows, f.source_sum, f.target_sum)
            for f in again.tables] == [(f.name, f.source_rows, f.target_rows, f.source_sum,
                                        f.target_sum) for f in first.tables]
    assert fingerprint(url) == before
    done = run_cli(cli_env(tmp_path), "migrate-to", url, db=school_file)  # no --yes needed
    assert done.returncode == 0, done.stderr
    assert "already holds exactly what" in done.stdout and "nothing was changed" in done.stdout
    assert fingerprint(url) == before


def test_a_target_with_other_data_is_refused_and_untouched(school_file, target, tmp_path):
    url = target("bangfu_migrate_4")
    open_database(url)
    add_staff(None, "别校的老师", "teacher")
    close_database()
    before = fingerprint(url)
    with pytest.raises(MigrateError) as info:
        migrate_to(school_file, url)
    assert info.value.code == "not_empty"
    assert "staff" in {f.name for f in info.value.tables}
    assert fingerprint(url) == before
    refused = run_cli(cli_env(tmp_path), "migrate-to", url, "--yes", db=school_file)
    assert refused.returncode == 1
    assert "already holds other data" in refused.stderr
    assert "staff" in refused.stdout
    assert fingerprint(url) == before


def test_a_copy_changed_on_the_server_is_refused_not_overwritten(school_file, target):
    url = target("bangfu_migrate_5")
    migrate_to(school_file, url)
    open_database(url)
    # the same number of rows, one value changed
    Student.update(name="改过的名字").where(Student.name == "周文").execute()
    close_database()
    before = fingerprint(url)
    with pytest.raises(MigrateError) as info:
        migrate_to(school_file, url)
    assert info.value.code == "not_empty"
    differ = {f.name: f for f in info.value.tables}
    assert "student" in differ
    assert differ["student"].source_rows == differ["student"].target_rows
    assert differ["student"].source_sum != differ["student"].target_sum
    assert fingerprint(url) == before


def test_a_database_holding_something_else_is_refused(school_file, target):
    import psycopg2

    from db.store.server import connect_params

    url = target("bangfu_migrate_6")
    name, params = connect_params(url)
    conn = psycopg2.connect(dbname=name, **params)
    with conn, conn.cursor() as cur:
        cur.execute("CREATE TABLE invoices (id serial PRIMARY KEY, total numeric)")
        cur.execute("INSERT INTO invoices (total) VALUES (12.5)")
    conn.close()
    with pytest.raises(MigrateError) as info:
        migrate_to(school_file, url)
    assert info.value.code == "foreign" and "invoices" in info.value.detail
    assert _server_tables(url) == {"invoices"}  # no bangfu table was made there


def test_a_value_the_server_cannot_hold_stops_the_copy_and_leaves_the_target_empty(
        school_file, target):
    import sqlite3

    conn = sqlite3.connect(school_file)
    with conn:  # a late table (contact comes after student and case_file); not a date
        conn.execute("UPDATE contact SET follow_up_due = 'next Tuesday'")
    conn.close()
    url = target("bangfu_migrate_7")
    with pytest.raises(MigrateError) as info:
        migrate_to(school_file, url, confirm=lambda plan: True)
    assert (info.value.code, info.value.table, info.value.column, info.value.detail) == (
        "value", "contact", "follow_up_due", "date")
    assert info.value.row == "1"
    assert _server_tables(url) == set()  # not even the schema: one transaction


def test_nothing_is_written_before_the_answer_or_from_a_file_with_orphans(school_file,
                                                                        target):
    import sqlite3

    url = target("bangfu_migrate_11")
    asked = []
    report = migrate_to(school_file, url, confirm=lambda plan: asked.append(plan) or False)
    assert report.status == "cancelled" and not report.ok
    assert dict(asked[0].tables)["student"] == 7 and asked[0].rows > 7
    assert _server_tables(url) == set()
    conn = sqlite3.connect(school_file)  # foreign keys are off in a bare connection
    with conn:
        conn.execute("INSERT INTO guardian (student_id, name, relation, phone, wechat, "
                     "lives_with, notes, works_away) VALUES (9999, '无人', '', '', '', 0, '', 0)")
    conn.close()
    with pytest.raises(MigrateError) as info:
        migrate_to(school_file, url)
    assert (info.value.code, info.value.table, info.value.detail) == ("orphans", "guardian", "1")
    assert _server_tables(url) == set()


def test_a_server_failure_after_the_rows_rolls_everything_back(school_file, target,
                                                               monkeypatch):
    from db.store import migrate_to as module

    def broken(cur, order, columns):
        cur.execute("SELECT * FROM no_such_table")

    monkeypatch.setattr(module, "_reset_sequences", broken)
    url = target("bangfu_migrate_8")
    seen = []
    with pytest.raises(MigrateError) as info:
        migrate_to(school_file, url, progress=lambda done, total: seen.append((done, total)))
    assert info.value.code == "copy" and "no_such_table" in info.value.detail
    assert seen and seen[-1][0] == seen[-1][1] > 0  # every row had been written
    assert _server_tables(url) == set()


def test_the_password_never_shows(school_file, target, tmp_path):
    name = "bangfu_migrate_9"
    url = _with_password(target(name))
    assert PASSWORD in url
    env = cli_env(tmp_path)
    runs = [
        run_cli(env, "migrate-to", url, "--yes", db=school_file),  # copied
        run_cli(env, "migrate-to", url, "--yes", db=school_file),  # already there
        run_cli(env, "migrate-to", url.replace(name, name + "_missing"), "--yes",
                db=school_file),  # no such database
        run_cli(env, "migrate-to", url.replace(PASSWORD, PASSWORD + "-wrong"), "--yes",
                db=school_file),  # wrong password
        run_cli(env, "migrate-to", url, "--yes", db=url),  # the source is a server
        run_cli(env, "migrate-to", url.replace("postgresql://", "postgresq://"), "--yes",
                db=school_file),  # a mistyped scheme
    ]
    assert [r.returncode for r in runs] == [0, 0, 3, 3, 2, 2]
    for run in runs:
        assert PASSWORD not in run.stdout + run.stderr
    assert server_url(name) in runs[0].stdout and "Copied" in runs[0].stdout
    report = migrate_to(school_file, url)
    assert PASSWORD not in report.target and report.status == "already"


def test_without_yes_nothing_is_copied_when_nobody_can_answer(school_file, target, tmp_path):
    url = target("bangfu_migrate_10")
    result = run_cli(cli_env(tmp_path), "migrate-to", url, db=school_file)
    assert result.returncode == 2 and "--yes" in result.stderr
    assert _server_tables(url) == set()
    missing = run_cli(cli_env(tmp_path), "migrate-to", url, "--yes", db=tmp_path / "nope.db")
    assert missing.returncode == 3 and _server_tables(url) == set()


# -- the 20,000-student demo ------------------------------------------------------

DEMO_STUDENTS = 20_000


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    """The demo school in a file, built once for the module."""
    from db.demo.build import build_demo

    clock.set_today(TODAY, NOW)
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    started = time.perf_counter()
    open_database(path, create=True)
    try:
        counts = build_demo(students=DEMO_STUDENTS, seed=8)
    finally:
        close_database()
        clock.set_today(None)
    print(f"\n20,000-student demo built in {time.perf_counter() - started:.1f} s")
    return path, counts


def _app_views(student_id: int):
    from db.cases import load_case
    from db.models import Staff
    from db.reports import build_report
    from db.roster import load_index, load_rows

    index = load_index()
    return dict(
        rows=sorted(load_rows(), key=lambda r: r.student_id),
        search=sorted(r.student_id for r in index.search("zh")),
        case=load_case(student_id),
        weekly=build_report("weekly", reader=Staff.get(Staff.role == "admin"),
                            week="2026-W47"),
    )


def test_the_demo_school_is_copied_by_the_command(demo_file, target, tmp_path):
    path, counts = demo_file
    url = target("bangfu_migrate_demo")
    started = time.perf_counter()
    result = run_cli(cli_env(tmp_path), "migrate-to", url, "--yes", db=path)
    took = time.perf_counter() - started
    print(f"migrate-to of the demo: {took:.1f} s\n{result.stdout}")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    for name, n in counts.items():
        line = next(line for line in lines if line.split()[:1] == [name])
        assert line.split()[1:4] == [f"{n:,}", "→", f"{n:,}"], line
        assert line.endswith("checksums equal"), line
    copied = [line for line in lines if line.split()[2:3] == ["→"]]
    # every table of the file, the key tables (v12), families (v14) and oversight (v15) too
    assert len(copied) == 31
    total = sum(int(line.split()[1].replace(",", "")) for line in copied)
    assert total >= sum(counts.values())
    assert lines[-1].startswith(f"Copied {total:,} rows in 31 tables")

    # checked again from here: every count and checksum on both sides
    again = migrate_to(path, url)
    assert again.status == "already" and again.ok
    assert {f.name: f.target_rows for f in again.tables if f.name in counts} == counts

    # the app's own reading gives the same on the server as on the file
    open_database(path)
    student_id = Case.select(Case.student).where(Case.status == "active").scalar()
    on_file = _app_views(student_id)
    close_database()
    open_database(url)
    on_server = _app_views(student_id)
    assert len(on_server["rows"]) == DEMO_STUDENTS
    assert on_server["case"] is not None and on_server["case"].contacts
    assert on_server["weekly"].cases.total.total > 0 and on_server["weekly"].entries.total > 0
    for key in ("rows", "search", "case"):
        assert on_server[key] == on_file[key], key
    weekly, expected = on_server["weekly"], on_file["weekly"]
    for name in weekly.__slots__:
        if name != "progress":
            assert getattr(weekly, name) == getattr(expected, name), name
    # db.progress reads scores without an ORDER BY: the server returns them in
    # another order, so the changes come in another order and may differ in
    # the last bit
    for row, want in zip([*weekly.progress.classes, weekly.progress.total],
                         [*expected.progress.classes, expected.progress.total]):
        assert (row.name, row.students, row.measurable, row.improved) == (
            want.name, want.students, want.measurable, want.improved)
        assert sorted(row.changes) == pytest.approx(sorted(want.changes), rel=1e-12)
