"""``bangfu demo --schools N``: a small demo town.

On the server (marked ``server``): three demo schools in one district database,
each with its client role, and each role sees its own school's students only;
the students have villages, the schools partly different ones; a database that
holds anything is refused.  With files (the SQLite run): a file per school,
whose printed roll-up commands work as printed, up to the town's report.
"""

from __future__ import annotations

import shlex

import pytest

from db.store import district
from db.store.connection import close_database, open_database
from tests.helpers import cli_env, run_cli
from tests.pg import (WORKER, as_role, drop_district, fresh_server_database,
                      raw,
                      server_url)
from tests.pgserver import PASSWORD

NAME = "bangfu_demo_town" + (f"_{WORKER}" if WORKER else "")
SCHOOLS = ("城关镇第一初级中学", "城关镇第二初级中学", "东关九年制学校")
STUDENTS = 60


def role(n: int) -> str:
    return f"{NAME}_s{n}"


def rows(url: str, sql: str, args=()) -> list[tuple]:
    conn = raw(url)
    try:
        with conn.cursor() as cur:
            cur.execute(sql, args)
            return cur.fetchall()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def town(tmp_path_factory):
    """The demo town of three schools; yields (env, owner URL, what it printed)."""
    folder = tmp_path_factory.mktemp("demo_town")
    env = dict(cli_env(folder), BANGFU_CLIENT_PASSWORD=PASSWORD)
    url = fresh_server_database(NAME)
    made = run_cli(env, "demo", "--schools", "3", "--students", STUDENTS,
                   db=server_url(NAME, with_password=True))
    assert made.returncode == 0, made.stderr
    yield env, url, made.stdout
    close_database()
    drop_district(NAME)


@pytest.mark.server
def test_three_schools_each_with_its_role_town_and_county(town):
    _env, url, out = town
    owner = open_database(url, owner=True)
    try:
        schools = district.schools(owner)
    finally:
        close_database()
    assert [(s.name, s.town, s.county, s.roles) for s in schools] == [
        (name, "城关镇", "新宁县", [role(n)]) for n, name in enumerate(SCHOOLS, start=1)]
    host = url.split("@", 1)[1]
    for n, name in enumerate(SCHOOLS, start=1):
        client = f"postgresql://{role(n)}@{host}"
        assert f"{name}: its computers connect as {role(n)} ({client})" in out
        assert f"  bangfu --db {client}\n" in out
    # the password came from BANGFU_CLIENT_PASSWORD: never printed
    assert PASSWORD not in out
    assert "shown only now" not in out
    assert f"bangfu --db {url} district rollup --period week" in out


@pytest.mark.server
def test_each_schools_role_sees_only_its_own_students(town):
    _env, url, _out = town
    by_school = dict(rows(url, "SELECT s.name, count(*) FROM student t JOIN school s "
                               "ON s.id = t.school_id GROUP BY s.name"))
    assert by_school == {name: STUDENTS for name in SCHOOLS}
    ids = dict(rows(url, "SELECT name, id FROM school"))
    seen_numbers = []
    for n, name in enumerate(SCHOOLS, start=1):
        client = as_role(url, role(n))
        assert rows(client, "SELECT count(*) FROM student") == [(STUDENTS,)]
        assert rows(client, "SELECT DISTINCT school_id FROM student") == [(ids[name],)]
        assert rows(client, "SELECT name FROM school") == [(name,)]
        seen_numbers.append({no for (no,) in rows(client, "SELECT student_no FROM student")})
    # as the owner: each school's students are its own rows
    mine = rows(url, "SELECT school_id, count(DISTINCT id) FROM student GROUP BY school_id "
                     "ORDER BY school_id")
    assert mine == sorted((ids[name], STUDENTS) for name in SCHOOLS)
    assert all(len(numbers) == STUDENTS for numbers in seen_numbers)


@pytest.mark.server
def test_the_students_have_villages_partly_different_per_school(town):
    _env, url, _out = town
    villages: dict[str, set[str]] = {}
    for name, village in rows(url, "SELECT s.name, t.village FROM student t JOIN school s "
                                   "ON s.id = t.school_id"):
        villages.setdefault(name, set()).add(village)
    filled = rows(url, "SELECT count(*) FROM student WHERE village <> ''")[0][0]
    assert filled >= 0.8 * 3 * STUDENTS  # (a few live on a street in town: no village)
    first, second, village_school = (villages[name] - {""} for name in SCHOOLS)
    assert first & village_school and first - village_school  # shared, and not all
    assert "柳树湾村" in village_school and "柳树湾村" not in first | second
    assert first != second


@pytest.mark.server
def test_the_printed_rollup_counts_the_three_schools(town):
    env, url, _out = town
    done = run_cli(env, "district", "rollup", "--period", "week",
                   db=server_url(NAME, with_password=True), pin=None)
    assert done.returncode == 0, done.stderr
    assert "3 schools" in done.stdout
    for name in SCHOOLS:
        assert f"| {name} | {STUDENTS} |" in done.stdout


@pytest.mark.server
def test_a_database_that_holds_data_is_refused_and_left_alone(town):
    env, url, _out = town
    before = rows(url, "SELECT count(*) FROM student")
    again = run_cli(env, "demo", "--schools", "2", "--students", STUDENTS,
                    db=server_url(NAME, with_password=True))
    assert again.returncode == 1
    assert "already holds data: a demo town needs an empty database" in again.stderr
    assert "createdb" in again.stderr and "Traceback" not in again.stderr
    assert rows(url, "SELECT count(*) FROM student") == before
    assert len(rows(url, "SELECT id FROM school")) == 3


@pytest.mark.parametrize("count", ["1", "13"])
def test_a_town_has_two_to_twelve_schools(tmp_path, count):
    done = run_cli(cli_env(tmp_path), "demo", "--schools", count, db=tmp_path / "town.db")
    assert done.returncode == 2
    assert "A demo town has 2 to 12 schools" in done.stderr
    assert not list(tmp_path.glob("*.db"))


def test_with_a_file_a_file_per_school_and_the_printed_commands_work(tmp_path):
    env = cli_env(tmp_path)
    made = run_cli(env, "demo", "--schools", "3", "--students", STUDENTS,
                   db=tmp_path / "town.db")
    assert made.returncode == 0, made.stderr
    assert sorted(p.name for p in tmp_path.glob("*.db")) == sorted(f"{n}.db" for n in SCHOOLS)
    commands = [shlex.split(line)[1:] for line in made.stdout.splitlines()
                if line.startswith("  bangfu ")]
    assert len(commands) == 4  # each school's roll-up, then the town's
    for args in commands[:3]:
        done = run_cli(env, *args)  # (PIN 1234, as printed)
        assert done.returncode == 0, done.stderr
    town = run_cli(env, *commands[3], pin=None)
    assert town.returncode == 0, town.stderr
    assert (tmp_path / "town-week.xlsx").exists()
    shown = run_cli(env, "rollup", *(tmp_path / f"{n}-week.xlsx" for n in SCHOOLS), pin=None)
    assert shown.returncode == 0, shown.stderr
    assert "3 schools" in shown.stdout
    for name in SCHOOLS:
        assert f"| {name} | {STUDENTS} |" in shown.stdout
    # the files are there now: refused without --force
    again = run_cli(env, "demo", "--schools", "3", "--students", STUDENTS,
                    db=tmp_path / "town.db")
    assert again.returncode == 1 and "Use --force" in again.stderr


@pytest.mark.server
def test_the_towns_office_sees_the_three_schools_figures(town):
    env, url, out = town
    office = f"{NAME}_town"
    assert f"The town's office (城关镇), role {office}" in out
    seen = run_cli(env, "district", "view", "--format", "csv", "--date", "2026-11-20",
                   db=as_role(url, office), pin=None)
    assert seen.returncode == 0, seen.stderr
    assert all(name in seen.stdout for name in SCHOOLS) and "Total" in seen.stdout
