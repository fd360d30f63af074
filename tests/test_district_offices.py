"""A town's and a county's office on a district server: the schools' figures, per
school and in total, and never a name, a record or a text, whatever SQL they send.

Schools are built through their own client roles (as their staff would, each
under row-level security), the owner publishes their figures (``bangfu district
publish``), and each office reads them (``bangfu district view``, raw SQL).
"""

from __future__ import annotations

import datetime as dt
import uuid

import psycopg2
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db import clock
from db.models import Contact, SchoolClass, Term
from db.staff import add_staff
from db.store import district, offices
from db.store.connection import DatabaseError, close_database, open_database
from db.students import create_student, open_case
from tests.conftest import NOW, PIN_HASH, TODAY
from tests.helpers import cli_env, run_cli, settle
from tests.pg import (WORKER, as_role, drop_district, drop_server_database, fresh_server_database,
                      raw,
                      server_url)
from tests.pgserver import PASSWORD

pytestmark = pytest.mark.server

NAME = "bangfu_offices" + (f"_{WORKER}" if WORKER else "")
SCHOOLS = (("甲校", "金石镇"), ("乙校", "金石镇"), ("丙校", "城关镇"))
RECORD_TABLES = ("student", "staff", "guardian", "case_file", "contact", "audit_log",
                 "bangfu_meta", "referral", "school_key", "bangfu_client")


def role(tag: str, name: str = NAME) -> str:
    return f"{name}_{tag}"


def build_school(url: str, students: list[str], staff: str, text: str) -> None:
    """A school's records written through its own role: a teacher, a class, the
    students (the first two with a case), and an entry with ``text``."""
    open_database(url)
    try:
        clock.mark_database("test")
        term = Term.create(name="2026-2027 第一学期", school_year="2026-2027", semester=1,
                           start_date=dt.date(2026, 9, 1), end_date=dt.date(2027, 1, 20))
        teacher = add_staff(None, staff, "teacher", pin_hash=PIN_HASH)
        add_staff(None, "管理员", "admin", pin_hash=PIN_HASH)
        klass = SchoolClass.create(name="七年级(1)班", code="7-1", grade=7)
        for n, name in enumerate(students):
            s = create_student(None, student_no=f"2024{n:04d}", name=name, gender="F",
                               class_id=klass.id, family_notes=text)
            if n < 2:
                case = open_case(None, s.id, term_id=term.id, status="active",
                                 categories=("academic",), lead_id=teacher.id,
                                 main_problems=text)
                Contact.create(uuid=str(uuid.uuid4()), case=case.id, author=teacher.id,
                               occurred_at=dt.datetime(2026, 11, 18, 9), kind="family",
                               channel="phone", discussed=text, agreed="", host="test",
                               created_at=NOW)
    finally:
        close_database()


def make_district(schools: list[tuple[str, str, list[str], str, str]], name: str = NAME) -> str:
    """A fresh district database ``name``: each school (name, town, students, staff,
    text) with its client role, and the two offices."""
    url = fresh_server_database(name)
    owner = open_database(url, owner=True)
    with owner.atomic():
        for n, (school_name, town, *_rest) in enumerate(schools):
            school = district.add_school(owner, school_name, town=town, county="新宁县")
            district.add_client(owner, role(f"s{n}", name), school, PASSWORD)
        offices.add_office(owner, role("town", name), "town", "金石镇", "", PASSWORD)
        offices.add_office(owner, role("county", name), "county", "新宁县", "", PASSWORD)
    close_database()
    for n, (_name, _town, students, staff, text) in enumerate(schools):
        build_school(as_role(url, role(f"s{n}", name)), students, staff, text)
    return url


@pytest.fixture(scope="module")
def town(tmp_path_factory):
    clock.set_today(TODAY, NOW)
    schools = [(name, where, [f"{name[0]}学生{k}" for k in range(3 + n)], f"{name[0]}老师",
                f"{name}的家访记录") for n, (name, where) in enumerate(SCHOOLS)]
    try:
        url = make_district(schools)
    finally:
        clock.set_today(None)
    env = cli_env(tmp_path_factory.mktemp("offices"))
    env["BANGFU_NOW"] = "2026-11-20 15:30"  # the figures' time, on screen
    out = run_cli(env, "district", "publish", db=server_url(NAME, with_password=True), pin=None)
    assert out.returncode == 0, out.stderr
    yield url, env, schools
    close_database()
    drop_district(NAME)


@pytest.mark.parametrize("table", RECORD_TABLES)
def test_an_office_reads_no_record_with_any_sql(town, table):
    url, _, _ = town
    conn = raw(as_role(url, role("town")))
    try:
        with conn.cursor() as cur, pytest.raises(psycopg2.errors.InsufficientPrivilege):
            cur.execute(f'SELECT * FROM "{table}" LIMIT 1')
    finally:
        conn.close()


def test_an_office_sees_only_its_schools_figures(town):
    url, _, _ = town
    seen = {}
    for office in ("town", "county"):
        conn = raw(as_role(url, role(office)))
        with conn.cursor() as cur:
            cur.execute("SELECT name FROM school ORDER BY name")
            names = [n for (n,) in cur.fetchall()]
            cur.execute("SELECT s.name FROM district_figures f JOIN school s "
                        "ON s.id = f.school_id GROUP BY s.name ORDER BY s.name")
            seen[office] = (names, [n for (n,) in cur.fetchall()])
            with pytest.raises(psycopg2.errors.InsufficientPrivilege):
                cur.execute("DELETE FROM district_figures")
        conn.close()
    assert seen["town"] == (["乙校", "甲校"], ["乙校", "甲校"])
    assert seen["county"] == (["丙校", "乙校", "甲校"], ["丙校", "乙校", "甲校"])


def test_the_towns_view_has_each_school_and_the_total_and_no_name(town):
    url, env, schools = town
    out = run_cli(env, "district", "view", "--format", "csv", "--date", "2026-11-20",
                  db=as_role(url, role("town")),
                  pin=None)
    assert out.returncode == 0, out.stderr
    assert "甲校" in out.stdout and "乙校" in out.stdout and "丙校" not in out.stdout
    assert "Total" in out.stdout
    for _name, _town, students, staff, text in schools:
        for secret in [*students, staff, text]:
            assert secret not in out.stdout + out.stderr
    county = run_cli(env, "district", "view", "--period", "half-month", "--format", "md",
                     "--date", "2026-11-20",
                     db=as_role(url, role("county")), pin=None)
    assert county.returncode == 0, county.stderr
    assert all(name in county.stdout for name, _ in SCHOOLS)


def test_an_office_opens_no_school_and_a_school_reads_no_view(town, tmp_path):
    url, env, _ = town
    with pytest.raises(DatabaseError) as refused:
        open_database(as_role(url, role("town")))
    assert refused.value.code == "office_role"
    close_database()
    out = run_cli(env, "find", "学生", db=as_role(url, role("town")))
    assert out.returncode == 3 and "office" in out.stderr and "学生" not in out.stdout
    out = run_cli(env, "district", "view", db=as_role(url, role("s0")), pin=None)
    assert out.returncode == 2 and "office" in out.stderr


PROPERTY = NAME + "_p"  # the property's own database (and roles, dropped at the end)


@pytest.fixture(scope="module", autouse=True)
def _property_roles():
    yield
    drop_district(PROPERTY)


CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF, exclude_characters="甲乙丙")


@settings(max_examples=4, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.lists(
    st.tuples(st.lists(st.text(CJK, min_size=2, max_size=4), min_size=2, max_size=5,
                       unique=True),
              st.text(CJK, min_size=2, max_size=4), st.text(CJK, min_size=6, max_size=20)),
    min_size=2, max_size=3))
def test_property_the_towns_overview_has_every_schools_figures_and_no_name(data):
    """Random schools in the town: the office's view lists each with its students
    counted, and no student's or staff member's name or entry text."""
    names = [f"{'甲乙丙'[n]}校" for n in range(len(data))]
    schools = [(name, "金石镇", students, staff, text)
               for name, (students, staff, text) in zip(names, data)]
    secrets_ = {s for _, _, students, staff, text in schools for s in [*students, staff, text]}
    if len(secrets_) < sum(len(s) + 2 for _, _, s, _, _ in schools):
        return  # a name shared between schools: nothing to tell apart
    clock.set_today(TODAY, NOW)
    try:
        url = make_district(schools, PROPERTY)
        owner = open_database(url, owner=True)
        from db.district_view import office_view, publish_all

        publish_all(owner, TODAY)
        close_database()
        office = open_database(as_role(url, role("town", PROPERTY)), office=True)
        view = office_view(office, "week", TODAY)
        close_database()
    finally:
        clock.set_today(None)
        close_database()
        drop_server_database(PROPERTY)  # (its roles at the module's end: drop_district)
    assert view.rollup is not None and view.missing == []
    by_school = {f.school: f for f in view.rollup.schools}
    assert sorted(by_school) == sorted(names)
    for name, _, students, _, _ in schools:
        assert by_school[name].students == len(students)
        assert by_school[name].cases_open == 2
    assert view.rollup.total.students == sum(len(s) for _, _, s, _, _ in schools)
    from tui.report_rollup import render_csv, render_markdown

    shown = render_csv(view.rollup) + render_markdown(view.rollup) + repr(view)
    assert not [s for s in secrets_ if s in shown]


# -- the office's screen ---------------------------------------------------------------------

def office_app(url: str):
    """The app as an office opens it: no database yet, the role's URL."""
    from db.config import Settings
    from tui.app import BangfuApp

    return BangfuApp(settings=Settings(db_path=url, db_source="--db", lang="en",
                                       lang_source="test", user=""), database=None)


async def shown(pilot):
    """Until the office's screen has read the figures."""
    from screens.office import OfficeScreen

    for _ in range(200):
        await settle(pilot)
        screen = pilot.app.screen
        if isinstance(screen, OfficeScreen) and screen.view is not None and not screen.busy:
            return screen
    raise AssertionError(f"still on {pilot.app.screen!r}")


async def test_an_office_opens_on_its_schools_figures_without_signing_in(town, tmp_path,
                                                                        monkeypatch):
    url, _, schools = town
    monkeypatch.setenv("BANGFU_EXPORT_DIR", str(tmp_path))
    app = office_app(as_role(url, role("town")))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await shown(pilot)
        assert app.staff is None and app.office
        rows = screen.table.rows
        assert [r[0] for r in rows] == ["乙校", "甲校", "Total"]  # by name
        assert [r[1] for r in rows] == ["4", "3", "7"]  # the students of each, and in total
        assert [r[4] for r in rows] == ["2", "2", "4"]  # open cases
        await pilot.press("v")
        await settle(pilot)
        assert screen.villages and all(r[0].startswith(("甲校", "乙校")) for r in screen.table.rows)
        await pilot.press("w")
        screen = await shown(pilot)
        assert screen.kind == "half-month" and screen.start.isoformat() == "2026-11-16"
        await pilot.press("e")
        for _ in range(200):
            await settle(pilot)
            if list(tmp_path.glob("*.xlsx")) and not screen.busy:
                break
        (written,) = tmp_path.glob("*.xlsx")
        from openpyxl import load_workbook

        cells = " ".join(str(c) for sheet in load_workbook(written).worksheets
                         for row in sheet.iter_rows(values_only=True) for c in row if c)
        assert "甲校" in cells and "丙校" not in cells
        for _name, _town, students, staff, text in schools:
            assert not [s for s in [*students, staff, text] if s in cells]
        await pilot.press("left_square_bracket")  # the half-month before: counted too
        screen = await shown(pilot)
        assert screen.start.isoformat() == "2026-11-01" and screen.view.missing == []
        await pilot.press("left_square_bracket")  # two before: never counted
        screen = await shown(pilot)
        assert screen.start.isoformat() == "2026-10-16" and screen.view.missing == ["乙校", "甲校"]
        assert screen.table.rows == []


def test_office_screen(snap_compare, town, lang):
    url, _, _ = town

    async def before(pilot):
        await shown(pilot)

    assert snap_compare(office_app(as_role(url, role("town"))), terminal_size=(80, 24),
                        run_before=before)


# -- a case shared with an office ------------------------------------------------------------

def test_a_case_shared_with_the_town_is_opened_there_logged_and_taken_back(town):
    url, env, schools = town
    school_a, town_role, county_role = as_role(url, role("s0")), role("town"), role("county")
    student, text = schools[0][2][0], schools[0][4]
    listed = run_cli(env, "district", "shared", db=as_role(url, town_role), pin=None)
    assert listed.returncode == 0 and "No case is shared" in listed.stdout
    teacher = run_cli(env, "share-case", student, "--office", town_role, "--reason", "镇专班协调",
                      "--as", schools[0][3], db=school_a)
    assert teacher.returncode == 4  # a teacher may not
    bad = run_cli(env, "share-case", student, "--office", "nobody", "--reason", "x",
                  "--as", "管理员", db=school_a)
    assert bad.returncode == 2 and "no town's or county's office" in bad.stderr
    done = run_cli(env, "share-case", student, "--office", town_role, "--reason", "镇专班协调",
                   "--as", "管理员", db=school_a)
    assert done.returncode == 0, done.stderr
    assert f"shared with {town_role}" in done.stdout

    listed = run_cli(env, "district", "shared", db=as_role(url, town_role), pin=None)
    assert listed.returncode == 0 and "镇专班协调" in listed.stdout
    which = listed.stdout.split()[0]
    opened = run_cli(env, "district", "shared", which, db=as_role(url, town_role), pin=None)
    assert opened.returncode == 0, opened.stderr
    assert student in opened.stdout and text in opened.stdout and "七年级(1)班" in opened.stdout
    other = run_cli(env, "district", "shared", which, db=as_role(url, county_role), pin=None)
    assert other.returncode == 1 and student not in other.stdout  # shared with the town only
    conn = raw(as_role(url, county_role))
    with conn.cursor() as cur:
        school_id, case_id = which.split(":")
        cur.execute("SELECT bangfu_open_shared(%s, %s)", (int(school_id), int(case_id)))
        assert cur.fetchone() == (None,)
        with pytest.raises(psycopg2.errors.InsufficientPrivilege):
            cur.execute("SELECT * FROM case_share")
    conn.close()

    seen = run_cli(env, "share-case", student, "--as", "管理员", db=school_a)
    assert seen.returncode == 0 and f"opened by {town_role}" in seen.stdout
    back = run_cli(env, "share-case", student, "--revoke", town_role, "--as", "管理员",
                   db=school_a)
    assert back.returncode == 0 and "taken back" in back.stdout
    gone = run_cli(env, "district", "shared", which, db=as_role(url, town_role), pin=None)
    assert gone.returncode == 1 and student not in gone.stdout
    conn = raw(url)
    with conn.cursor() as cur:
        cur.execute("SELECT action FROM audit_log WHERE table_name = 'case_share' ORDER BY id")
        assert [a for (a,) in cur.fetchall()] == ["insert", "delete"]
        cur.execute("SELECT count(*) FROM office_read")
        assert cur.fetchone()[0] == 1
    conn.close()
