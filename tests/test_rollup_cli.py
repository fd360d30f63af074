"""``bangfu report rollup`` and ``bangfu rollup FILE…``: three schools' weekly
files combine into what ``db.rollup.combine`` makes of their figures; files
that do not fit are refused with a clear message and nothing written; and no
name or text of a school's people ever leaves in a roll-up."""

from __future__ import annotations

import datetime as dt
import string
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db import clock
from db.models import Contact, Student
from db.rollup import combine, school_figures
from db.store.connection import close_database, open_database
from tests.conftest import NOW, TODAY, build_small_school
from tests.helpers import cli_env, run_cli
from tests.rollup_school import SECRETS, add_rollup_data, contact
from tui.report_rollup import read_rollup, render_csv, render_markdown, write_rollup

pytestmark = pytest.mark.file_only  # schools in SQLite files of their own


@contextmanager
def bound(path: Path, create: bool = False):
    open_database(path, create=create)
    try:
        yield
    finally:
        close_database()


def make_school(path: Path, variant: str) -> None:
    """One school in its own file: the small school, and per variant what differs."""
    from db.students import create_student

    with bound(path, create=True):
        clock.mark_database("test")
        school = build_small_school(path)
        if variant == "a":
            add_rollup_data(school)
        elif variant == "b":
            Student.update(village="东村").where(Student.id == school.students["张伟"].id).execute()
            contact(school.cases["张伟"].id, school.teacher.id, dt.datetime(2026, 11, 16, 9),
                    "family", "phone")
        else:
            for n in range(3):
                create_student(None, student_no=f"2099000{n}", name=f"新生{n}")


def figures_of(path: Path, period: str = "week"):
    with bound(path):
        return school_figures(TODAY, period, school=path.stem)


@pytest.fixture(scope="module")
def town(tmp_path_factory):
    """Three schools (a, b, c) and each one's weekly roll-up .xlsx (made once:
    the tests only add files of their own beside them)."""
    tmp_path = tmp_path_factory.mktemp("town")
    env = cli_env(tmp_path)
    clock.set_today(TODAY, NOW)
    schools = {}
    for name in "abc":
        make_school(tmp_path / f"{name}.db", name)
        out = tmp_path / f"{name}.xlsx"
        done = run_cli(env, "report", "rollup", "--period", "week", "--format", "xlsx",
                       "-o", out, db=tmp_path / f"{name}.db")
        assert done.returncode == 0, done.stderr
        assert out.exists()
        schools[name] = out
    clock.set_today(None)
    return env, tmp_path, schools


def test_three_schools_combine_as_their_figures_do(town):
    env, folder, files = town
    done = run_cli(env, "rollup", *files.values(), "--format", "csv", pin=None)
    assert done.returncode == 0, done.stderr
    own = [figures_of(folder / f"{name}.db") for name in "abc"]
    expected = render_csv(combine(own))
    assert done.stdout == expected.replace("\r\n", "\n")
    # each school's file holds exactly its own figures
    for name, figures in zip("abc", own):
        assert read_rollup(files[name]) == figures
    assert [f.students for f in own] == [7, 7, 10]  # three different schools
    assert "a · 红旗村" in done.stdout and "b · 东村" in done.stdout
    # Markdown on stdout too, and a file with -o
    md = run_cli(env, "rollup", *files.values(), pin=None)
    assert md.stdout == render_markdown(combine(own))
    out = folder / "town.xlsx"
    written = run_cli(env, "rollup", *files.values(), "-o", out, pin=None)
    assert written.returncode == 0 and out.exists(), written.stderr


def test_a_half_month_and_a_date(town):
    env, folder, _ = town
    out = folder / "a-half.xlsx"
    done = run_cli(env, "report", "rollup", "--period", "half-month", "--date", "2026-11-10",
                   "-o", out, db=folder / "a.db")
    assert done.returncode == 0, done.stderr
    with bound(folder / "a.db"):
        expected = school_figures(TODAY, "half-month", day=dt.date(2026, 11, 10), school="a")
    assert read_rollup(out) == expected
    assert (expected.start, expected.end) == (dt.date(2026, 11, 1), dt.date(2026, 11, 15))


def refused(env, *args, town_file: Path) -> str:
    done = run_cli(env, "rollup", *args, "-o", town_file, pin=None)
    assert done.returncode != 0
    assert not town_file.exists()  # nothing written
    assert done.stderr.startswith("bangfu: ") and "Traceback" not in done.stderr
    assert "nothing was written" in done.stderr
    return done.stderr


def test_refusals_name_the_file_and_what_differs(town):
    from openpyxl import Workbook, load_workbook

    env, folder, files = town
    target = folder / "refused.csv"
    # another week
    other = folder / "a-last-week.xlsx"
    run_cli(env, "report", "rollup", "--date", "2026-11-10", "--format", "xlsx", "-o", other,
            db=folder / "a.db")
    message = refused(env, files["b"], other, town_file=target)
    assert str(other) in message and "2026-11-09" in message and "2026-11-16" in message
    # a changed version
    book = load_workbook(files["c"])
    for row in book["bangfu"].iter_rows():
        if row[0].value == "version":
            row[1].value = 99
    changed = folder / "c-v99.xlsx"
    book.save(changed)
    message = refused(env, files["a"], changed, town_file=target)
    assert str(changed) in message and "99" in message and "another version" in message
    # the same school twice
    twin = folder / "a-copy.xlsx"
    twin.write_bytes(files["a"].read_bytes())
    message = refused(env, files["a"], files["b"], twin, town_file=target)
    assert str(twin) in message and str(files["a"]) in message and "twice" not in message
    # not a roll-up: a spreadsheet of something else, the weekly report, a text file
    plain = folder / "plain.xlsx"
    Workbook().save(plain)
    assert "not a bangfu roll-up" in refused(env, files["a"], plain, town_file=target)
    weekly = folder / "weekly.xlsx"
    run_cli(env, "report", "weekly", "-o", weekly, db=folder / "a.db")
    assert "not a bangfu roll-up" in refused(env, weekly, town_file=target)
    text = folder / "notes.xlsx"
    text.write_text("just text", encoding="utf-8")
    assert "cannot be read" in refused(env, text, town_file=target)
    # a missing file
    assert "no such file" in refused(env, files["a"], folder / "gone.xlsx", town_file=target)


def test_report_rollup_refuses_bad_input(school, tmp_path):
    env = cli_env(tmp_path)
    for args, words in ((("--period", "month"), "week or half-month"),
                        (("--date", "20.11.2026"), "YYYY-MM-DD"),
                        (("--date", "2026-12-01"), "not begun"),
                        (("--week", "2026-W40"), "--period week")):
        done = run_cli(env, "report", "rollup", *args, db=school.path)
        assert done.returncode == 2 and words in done.stderr, done.stderr
    done = run_cli(env, "report", "weekly", "--date", "2026-11-10", db=school.path)
    assert done.returncode == 2 and "roll-up only" in done.stderr


@pytest.mark.parametrize("role", ["volunteer", "teacher", "class_teacher", "counsellor"])
def test_only_administrators_and_coordinators_make_the_schools_roll_up(school, tmp_path, role):
    """Its counts are the whole school's: a teacher sees no count of another class."""
    from db.staff import add_staff
    from tests.conftest import PIN_HASH

    add_staff(None, "某某", role, pin_hash=PIN_HASH)
    done = run_cli(cli_env(tmp_path), "report", "rollup", "--as", "某某", db=school.path)
    assert done.returncode == 4 and "Not allowed for your role" in done.stderr
    assert "Students" not in done.stdout


# -- no names ----------------------------------------------------------------------------------

def outputs(rollup, folder: Path) -> str:
    """Every format's text: csv, md, and each cell of the .xlsx."""
    from openpyxl import load_workbook

    path = write_rollup(rollup, "xlsx", folder / "r.xlsx")
    book = load_workbook(path, read_only=True)
    cells = [str(v) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
             for v in row if v is not None]
    book.close()
    return "\n".join([render_csv(rollup), render_markdown(rollup), *cells])


def test_no_name_in_the_cli_files(town):
    env, folder, files = town
    texts = []
    for fmt in ("md", "csv", "xlsx"):
        out = folder / f"town.{fmt}"
        assert run_cli(env, "rollup", *files.values(), "-o", out, pin=None).returncode == 0
        own = folder / f"own.{fmt}"
        assert run_cli(env, "report", "rollup", "-o", own, db=folder / "a.db").returncode == 0
        for path in (out, own):
            if fmt == "xlsx":
                texts.append(outputs(combine([read_rollup(files["a"])]), folder))
            else:
                texts.append(path.read_text(encoding="utf-8-sig"))
    texts.append(run_cli(env, "rollup", *files.values(), pin=None).stdout)
    everything = "\n".join(texts)
    people = ("张伟", "赵薇", "曾小明", "单田芳", "周文", "欧阳娜娜", "王芳", "李建国", "曾老师",
              "刘梅", "张父", "父亲在外务工", "Talked about homework", "Check homework",
              "作业经常不交", "每周两次面批", "13800000000", "wx_dad")
    for secret in (*people, *SECRETS):
        assert secret not in everything, secret


NAME = st.text(alphabet=string.ascii_letters + "ЖЯЮ张王李赵", min_size=2, max_size=8).map(
    lambda s: "Ж" + s + "Ю")  # never in the catalog's text


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(students=st.lists(NAME, min_size=1, max_size=4, unique=True), staff=NAME, text=NAME,
       note=NAME, helper=NAME)
def test_no_name_or_text_in_any_format(students, staff, text, note, helper):
    """Random names and text in two schools: none of it in any format of either
    school's roll-up or the town's."""
    from db.models_oversight import OutsideHelper
    from db.staff import add_staff
    from db.students import create_student, open_case

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        made = []
        for n, school in enumerate(("东校", "西校")):
            path = folder / f"{school}.db"
            with bound(path, create=True):
                clock.mark_database("test")
                person = add_staff(None, staff, "teacher")
                for k, name in enumerate(students):
                    s = create_student(None, student_no=f"{n}{k:04d}", name=name,
                                       family_notes=note)
                    Student.update(village=["上村", ""][k % 2]).where(Student.id == s.id).execute()
                    case = open_case(None, s.id, lead_id=person.id, main_problems=text)
                    Contact.create(uuid=f"{n}-{k}", case=case.id, author=person.id,
                                   occurred_at=dt.datetime(2026, 11, 17, 9), kind="family",
                                   channel="home_visit", discussed=text, agreed=text,
                                   participants=note, follow_up=text)
                    OutsideHelper.create(uuid=f"h{n}-{k}", case=case.id, name=helper,
                                         role=text, phone="")
                made.append(school_figures(TODAY, "week", school=school))
        everything = "\n".join(outputs(rollup, folder) for rollup in (
            combine(made[:1]), combine(made[1:]), combine(made)))
        for secret in (*students, staff, text, note, helper):
            assert secret not in everything, secret
        assert "上村" in everything  # the villages are there
