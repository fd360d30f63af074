"""No student a reader may not open reaches them through a side door (issue 18,
item 1): the leaders' overview and its drill-down, the reports in every format,
the exports, the due list and meeting mode, on screen and on the command line.

Aggregate figures follow the README's table: administrators, coordinators and
counsellors get the whole school's; class teachers and teachers get every
figure counted over the students they may open (their classes, the classes
they teach, their cases) and no count of another class.

The school (tests/conftest.py, then ``leaky``), Friday 2026-11-20, every case
opened on 1 September so that each has something overdue:

    七年级(1)班 7-1  张伟 (lead 王芳, a follow-up overdue), 赵薇 (李建国),
                     曾小明 (王芳, a goal overdue)
    八年级(2)班 8-2  [bold]王[/ (李建国), 周文 (王芳); 单田芳, 欧阳娜娜 no case
    九年级(1)班 9-1  孙九 (曾老师), 钱多 (王芳, an entry this week)

何燕 teaches 8-2 (as in the demo, an eighth-grade teacher): she may open the
four students of 8-2 and no one else.  李建国 (a teacher with no class) may
open the students of the cases he leads: 赵薇 and [bold]王[/.
"""

from __future__ import annotations

import atexit
import datetime as dt
import html
import itertools
import re
import shutil
import tempfile
import uuid as uuidlib
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from db import access, visible
from db.access import NotAllowed, scope_for, sees_student
from db.store.connection import close_database, open_database
from db.export_rows import EXPORTS, export_table
from db.models import (Assignment, Case, Contact, Goal, SchoolClass, Score, Staff, StageReview,
                       Student, Term, database)
from db.overview import GROUPINGS, PERIODS, overview
from db.reports import KINDS, build_report
from db.roster import load_index, load_rows
from db.search_index import RosterIndex
from db.staff import add_staff
from db.students import create_student, open_case
from db.vocab import ASSIGNMENT_ROLES, CASE_STATUSES, CHANNELS, CONTACT_KINDS, OPEN_STATUSES
from db.workflow import due_items, my_cases
from tests.conftest import NOW, PIN_HASH, TODAY
from tests.helpers import cli_env, make_app, run_cli, settle, sign_in
from tests.pg import ON_SERVER, empty_bound_database
from tui.report_files import render_csv, render_markdown

SEPT = dt.date(2026, 9, 1)
# 何燕 may open 8-2; the others are the students she must never get
HE_SEES = {"[bold]王[/": "20240106", "周文": "20240105", "单田芳": "20240104",
           "欧阳娜娜": "20240107"}
HE_NOT = {"张伟": "20240101", "赵薇": "20240102", "曾小明": "20240103", "孙九": "20249101",
          "钱多": "20249102"}
LI_SEES = {"赵薇": "20240102", "[bold]王[/": "20240106"}
LI_NOT = {name: no for name, no in {**HE_SEES, **HE_NOT}.items() if name not in LI_SEES}


def leaked(text: str, outside: dict[str, str]) -> list[str]:
    """The names and student numbers of ``outside`` found in ``text``."""
    return [token for pair in outside.items() for token in pair if token in text]


@pytest.fixture
def leaky(school):
    """The small school, a ninth-grade class, 何燕 teaching 8-2; see the module."""
    term = Term.get()
    wang = school.teacher
    counsellor = Staff.get(Staff.name == "曾老师")
    he = add_staff(None, "何燕", "teacher", pin_hash=PIN_HASH)
    Staff.update(classes="8-2").where(Staff.id == he.id).execute()
    c9 = SchoolClass.create(name="九年级(1)班", code="9-1", grade=9)
    for no, name, lead in (("20249101", "孙九", counsellor), ("20249102", "钱多", wang)):
        student = create_student(None, student_no=no, name=name, gender="M", class_id=c9.id)
        school.students[name] = student
        school.cases[name] = open_case(None, student.id, term_id=term.id, status="active",
                                       lead_id=lead.id)
    school.cases["周文"] = open_case(None, school.students["周文"].id, term_id=term.id,
                                   status="active", lead_id=wang.id)
    Case.update(opened_on=SEPT).execute()
    # the fixture's entry on 张伟: its follow-up is overdue now
    Contact.update(follow_up_due=dt.date(2026, 11, 10)).where(
        Contact.case == school.cases["张伟"].id).execute()
    Goal.create(case=school.cases["曾小明"].id, text="homework", due_date=dt.date(2026, 11, 1))
    Contact.create(uuid=str(uuidlib.uuid4()), case=school.cases["钱多"].id, author=wang.id,
                   occurred_at=dt.datetime(2026, 11, 17, 10, 0), kind="student", channel="face",
                   discussed="x", host="test", created_at=NOW)
    Contact.create(uuid=str(uuidlib.uuid4()), case=school.cases["周文"].id, author=wang.id,
                   occurred_at=dt.datetime(2026, 11, 18, 10, 0), kind="family", channel="phone",
                   discussed="x", host="test", created_at=NOW)
    school.he = Staff.get_by_id(he.id)
    return school


def reader(name: str) -> Staff:
    return Staff.get(Staff.name == name)


def screen_text(app) -> str:
    """What the terminal shows, as plain text (the screenshot without its markup)."""
    svg = app.export_screenshot()
    return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")


# -- the data (db/), as the screens and the commands get it -----------------------------------

def test_a_teachers_overview_counts_and_names_only_her_class(leaky):
    data = overview(TODAY, "week", "class", reader=reader("何燕"))
    assert data.limited
    assert [g.name for g in data.groups] == ["八年级(2)班"]  # no row, no count of 7-1 or 9-1
    assert {c.name for c in data.cases.values()} == {"[bold]王[/", "周文"}
    assert len(data.total.cases) == 2 and data.total.overdue == 2
    assert not leaked(repr(data), HE_NOT)
    # by staff member: the same two cases, whoever leads them
    by_staff = overview(TODAY, "term", "staff", reader=reader("何燕"))
    assert {g.name: len(g.cases) for g in by_staff.groups} == {"王芳": 1, "李建国": 1}
    assert not leaked(repr(by_staff), HE_NOT)
    # 李建国: the cases he leads, in two classes
    mine = overview(TODAY, "month", "class", reader=reader("李建国"))
    assert {c.name for c in mine.cases.values()} == set(LI_SEES)
    assert [len(g.cases) for g in mine.groups] == [1, 1] and not leaked(repr(mine), LI_NOT)


def test_many_cases_are_read_by_status_with_the_same_result(leaky, monkeypatch):
    """A reader with more than ``MANY_CASES`` cases: every open case is read and
    those of others left out in Python; the figures are the same."""
    from db import overview as module

    few = overview(TODAY, "term", "class", reader=reader("何燕"))
    monkeypatch.setattr(module, "MANY_CASES", 0)
    many = overview(TODAY, "term", "class", reader=reader("何燕"))
    assert repr(many) == repr(few) and not leaked(repr(many), HE_NOT)


@pytest.mark.parametrize("who", ["王芳", "曾老师"])
def test_administrators_and_counsellors_get_the_whole_school(leaky, who):
    data = overview(TODAY, "week", "class", reader=reader(who))
    assert not data.limited and len(data.total.cases) == 7
    assert [g.name for g in data.groups] == ["七年级(1)班", "八年级(2)班", "九年级(1)班"]
    report = build_report("weekly", reader=reader(who), week="2026-W47")
    assert not report.limited and report.cases.total.total == 7


def test_a_volunteer_gets_no_overview_and_no_report(leaky):
    volunteer = add_staff(None, "志愿者", "volunteer")
    Assignment.create(case=leaky.cases["张伟"].id, staff=volunteer.id, role="volunteer")
    with pytest.raises(NotAllowed):
        overview(TODAY, reader=volunteer)
    with pytest.raises(NotAllowed):
        build_report("weekly", reader=volunteer)
    with pytest.raises(NotAllowed):
        overview(TODAY, reader=None)


@pytest.mark.parametrize("kind", KINDS)
def test_a_teachers_report_counts_and_names_only_her_class(leaky, kind):
    report = build_report(kind, reader=reader("何燕"), week="2026-W47" if kind == "weekly" else "")
    assert report.limited
    assert [r.name for r in report.cases.classes] == ["八年级(2)班"]
    assert report.cases.total.total == 2 and report.cases.opened == (2 if kind == "term" else 0)
    assert report.entries.total == 1 and report.entries.cases == 1  # 周文's, not 钱多's
    assert [r.name for r in report.compliance.classes] == ["八年级(2)班"]
    assert report.compliance.total.cases == 2
    assert {o.name for o in report.overdue} == {"[bold]王[/", "周文"}
    assert report.progress.total.students == 2
    assert set(report.progress.students) == {leaky.students[n].id for n in ("[bold]王[/", "周文")}
    for text in (repr(report), render_markdown(report), render_csv(report)):
        assert not leaked(text, HE_NOT)
    assert "Students counted" in render_markdown(report)


# -- the command line ----------------------------------------------------------------------------

@pytest.fixture
def env(tmp_path, local_state):
    env = cli_env(tmp_path, local_state)
    env["BANGFU_EXPORT_DIR"] = str(tmp_path / "exports")
    return env


def xlsx_text(path: Path) -> str:
    from openpyxl import load_workbook

    book = load_workbook(path)
    return "\n".join(str(cell) for sheet in book.worksheets
                     for row in sheet.iter_rows(values_only=True) for cell in row
                     if cell is not None)


@pytest.mark.parametrize("kind, fmt", list(itertools.product(KINDS, ("md", "csv", "xlsx"))))
def test_bangfu_report_as_a_teacher_names_no_one_else(leaky, env, tmp_path, kind, fmt):
    args = ["report", kind, "--format", fmt, "--as", "何燕"]
    if kind == "weekly":
        args += ["--week", "2026-W47"]
    out = tmp_path / f"report.{fmt}"
    if fmt == "xlsx":
        args += ["-o", out]
    proc = run_cli(env, *args, db=leaky.path)
    assert proc.returncode == 0, proc.stderr
    text = xlsx_text(out) if fmt == "xlsx" else proc.stdout
    assert not leaked(text, HE_NOT)
    assert "周文" in text and "20240105" in text  # her own class is there
    assert "Students counted" in text


@pytest.mark.parametrize("what", EXPORTS)
def test_bangfu_export_as_a_teacher_holds_only_her_students(leaky, env, tmp_path, what):
    out = tmp_path / f"{what}.csv"
    proc = run_cli(env, "export", what, "-o", out, "--as", "何燕", db=leaky.path)
    assert proc.returncode == 0, proc.stderr
    text = out.read_text(encoding="utf-8-sig")
    assert not leaked(text, HE_NOT) and "周文" in text


def test_bangfu_due_as_a_teacher_lists_only_her_cases(leaky, env):
    proc = run_cli(env, "due", "--days", "30", "--as", "李建国", db=leaky.path)
    assert proc.returncode == 0, proc.stderr
    assert not leaked(proc.stdout, LI_NOT) and "赵薇" in proc.stdout


@pytest.mark.file_only  # a file of its own, whatever the run's backend: once is enough
def test_the_demo_teacher_gets_only_the_students_of_her_classes(tmp_path, env):
    """The issue's own case: 何燕 of the demo school (a teacher of three classes
    of one grade), ``bangfu report weekly --format md``."""
    path = tmp_path / "demo.db"
    proc = run_cli(env, "demo", "--students", "600", db=path, pin=None)
    assert proc.returncode == 0, proc.stderr
    proc = run_cli(env, "report", "weekly", "--format", "md", "--as", "何燕", db=path)
    assert proc.returncode == 0, proc.stderr
    open_database(path)
    try:
        he = reader("何燕")
        outside = {no: name for sid, name, no in
                   Student.select(Student.id, Student.name, Student.student_no).tuples()
                   if not sees_student(he, sid)}
        inside = {name: klass for sid, name, klass in
                  Student.select(Student.id, Student.name, SchoolClass.name)
                  .join(SchoolClass).tuples() if sees_student(he, sid)}
        taught = {name for name, code in SchoolClass.select(SchoolClass.name, SchoolClass.code)
                  .tuples() if code in he.classes.split(",")}
        every_class = {name for (name,) in SchoolClass.select(SchoolClass.name).tuples()}
    finally:
        close_database()
    assert outside and not [no for no in outside if no in proc.stdout]
    # and no name that only a student outside her scope has
    assert not [n for n in set(outside.values()) - set(inside) if n in proc.stdout]
    # no row, and no count, of a class where she may open no one
    shown = set(re.findall(r"[一二三四五六七八九]年级\(\d+\)班", proc.stdout))
    assert shown & taught and shown <= set(inside.values()) and shown < every_class


# -- the screens ---------------------------------------------------------------------------------

async def test_f3_as_a_teacher_shows_and_drills_into_her_class_only(leaky):
    from screens.overview import OverviewScreen
    from tui.widgets import TableList

    app = make_app(leaky.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "heyan")
        await pilot.press("f3")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, OverviewScreen)
        table = screen.query_one(TableList)
        assert [r[0] for r in table.rows] == ["All", "八年级(2)班"]
        assert table.rows[0][1] == "2"
        shown = screen_text(app)
        assert "Overview of the students you may open" in shown
        assert not leaked(shown, HE_NOT) and "七年级" not in shown and "九年级" not in shown
        await pilot.press("enter")  # all her cases
        await settle(pilot)
        assert sorted(r[0] for r in table.rows) == sorted(["[bold]王[/", "周文"])
        assert not leaked(screen_text(app), HE_NOT)
        await pilot.press("escape", "g")  # by staff member, then into the first
        await settle(pilot)
        assert not leaked(screen_text(app), HE_NOT)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert table.rows and not leaked(screen_text(app), HE_NOT)
        await pilot.press("escape", "p")  # this month
        await settle(pilot)
        assert not leaked(screen_text(app), HE_NOT)


async def test_f7_as_a_teacher_shows_and_writes_her_class_only(leaky, tmp_path, monkeypatch):
    from screens.report import ReportScreen

    monkeypatch.setenv("BANGFU_EXPORT_DIR", str(tmp_path / "out"))
    app = make_app(leaky.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "heyan")
        await pilot.press("f7")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReportScreen)
        assert screen.report is not None
        body = str(screen.query_one("#report-text").render())
        assert "周文" in body and not leaked(body, HE_NOT)
        assert not leaked(screen_text(app), HE_NOT)
        assert "Only the students you may open are counted" in body
        await pilot.press("m")
        await settle(pilot, 5)
        await pilot.press("k")  # the term summary
        await settle(pilot, 5)
        assert screen.report.kind == "term"
        assert not leaked(str(screen.query_one("#report-text").render()), HE_NOT)
        await pilot.press("x")
        await settle(pilot, 5)
    written = {p.suffix: p for p in (tmp_path / "out").iterdir()}
    assert sorted(written) == [".md", ".xlsx"]
    assert not leaked(written[".md"].read_text(encoding="utf-8"), HE_NOT)
    assert not leaked(xlsx_text(written[".xlsx"]), HE_NOT)


async def test_f12_as_a_teacher_writes_her_students_only(leaky, tmp_path, monkeypatch):
    from screens.export import ExportScreen

    monkeypatch.setenv("BANGFU_EXPORT_DIR", str(tmp_path / "out"))
    app = make_app(leaky.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "heyan")
        for key in ("s", "c", "e"):  # students, cases, contacts
            await pilot.press("f12")
            await settle(pilot)
            assert isinstance(app.screen, ExportScreen)
            await pilot.press(key, "tab", "v", "ctrl+s")
            await settle(pilot, 5)
            assert not leaked(screen_text(app), HE_NOT)
            await pilot.press("escape")
            await settle(pilot)
    written = sorted((tmp_path / "out").glob("*.csv"))
    assert len(written) == 3
    for path in written:
        text = path.read_text(encoding="utf-8-sig")
        assert not leaked(text, HE_NOT), path.name
        assert "周文" in text, path.name


async def test_meeting_mode_as_a_teacher_offers_her_students_only(leaky):
    from screens.meeting import MeetingScreen

    app = make_app(leaky.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "heyan")
        await pilot.press("ctrl+t")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, MeetingScreen)
        for code in ("7-1", "9-1"):  # whole classes she does not teach: no one
            await pilot.press(*code, "ctrl+a")
            await settle(pilot)
            assert form.chosen == []
        await pilot.press(*"zhangwei")  # a student of 7-1 by name: not offered
        await settle(pilot)
        assert not leaked(screen_text(app), HE_NOT)
        await pilot.press(*["backspace"] * 8, *"8-2", "ctrl+a")
        await settle(pilot)
        assert sorted(r.name for r in form.chosen) == sorted(["[bold]王[/", "周文"])
        assert not leaked(screen_text(app), HE_NOT)


async def test_my_caseload_on_the_home_screen_holds_only_my_cases(leaky):
    app = make_app(leaky.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "lijianguo")
        await settle(pilot)
        shown = screen_text(app)
    assert "赵薇" in shown and not leaked(shown, LI_NOT)


# -- every channel, on random schools and readers (hypothesis) ------------------------------------

# each example is a school of its own (a new file): a failure is reported as
# found, without shrinking it (which would rebuild hundreds of schools)
PROPERTY = settings(max_examples=25, deadline=None, database=None,
                    phases=(Phase.explicit, Phase.reuse, Phase.generate),
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.function_scoped_fixture])
_HOME = tempfile.mkdtemp(prefix="bangfu-hypothesis-")
atexit.register(shutil.rmtree, _HOME, ignore_errors=True)
set_hypothesis_home_dir(_HOME)

ROLES = ("admin", "coordinator", "counsellor", "class_teacher", "teacher", "volunteer")
# the reader: most often one whose figures are limited
READER_ROLES = ("class_teacher", "teacher") * 3 + ROLES
TERM_START, TERM_END = dt.date(2026, 9, 1), dt.date(2027, 1, 20)


@dataclass
class Spec:
    classes: int
    staff: list  # (role, set of class indexes taught)
    heads: list  # per class: a staff index or None
    students: list  # per student: a class index or None
    cases: list  # (student, status, opened day, this term, team, entries, goal overdue)
    scores: list  # per student: None or (first, second) score
    reader: int


@st.composite
def specs(draw) -> Spec:
    n_classes = draw(st.integers(1, 3))
    n_staff = draw(st.integers(1, 4))
    staff = [(draw(st.sampled_from(ROLES)),
              draw(st.sets(st.integers(0, n_classes - 1), max_size=n_classes)))
             for _ in range(n_staff)]
    heads = [draw(st.none() | st.integers(0, n_staff - 1)) for _ in range(n_classes)]
    n_students = draw(st.integers(1, 8))
    students = [draw(st.none() | st.integers(0, n_classes - 1)) for _ in range(n_students)]
    team = st.lists(st.tuples(st.integers(0, n_staff - 1), st.sampled_from(ASSIGNMENT_ROLES),
                              st.booleans()), max_size=3)
    days_ago = st.integers(0, 6) | st.integers(0, 80)  # often this week
    entries = st.lists(st.tuples(days_ago, st.sampled_from(CONTACT_KINDS),
                                 st.sampled_from(CHANNELS), st.booleans()), max_size=3)
    cases = draw(st.lists(st.tuples(st.integers(0, n_students - 1), st.sampled_from(CASE_STATUSES),
                                    st.integers(0, 80), st.booleans(), team, entries,
                                    st.booleans()), max_size=8))
    scores = [draw(st.none() | st.tuples(st.integers(30, 90), st.integers(30, 99)))
              for _ in range(n_students)]
    reader = draw(st.integers(0, n_staff - 1))
    staff[reader] = (draw(st.sampled_from(READER_ROLES)), staff[reader][1])
    return Spec(n_classes, staff, heads, students, cases, scores, reader)


def student_name(i: int) -> str:
    return f"学生{i:02d}"  # fixed width: no name is part of another


def student_no(i: int) -> str:
    return f"NO{i:03d}X"


_examples = itertools.count()


def fresh_database(folder: Path) -> None:
    """An empty school for one example: a new file (or the server's tables emptied)."""
    if ON_SERVER:
        empty_bound_database()
        return
    close_database()
    open_database(folder / f"school-{next(_examples)}.db", create=True)


def build(spec: Spec) -> tuple[list[Staff], list[Student]]:
    """The school of ``spec``, written straight into the tables (no audit: fast)."""
    term = Term.create(name="this term", school_year="2026-2027", semester=1,
                       start_date=TERM_START, end_date=TERM_END)
    old = Term.create(name="last term", school_year="2025-2026", semester=2,
                      start_date=dt.date(2026, 2, 20), end_date=dt.date(2026, 7, 10))
    staff = [Staff.create(name=f"教师{j}", role=role,
                          classes=",".join(f"{7 + k}-1" for k in sorted(taught)))
             for j, (role, taught) in enumerate(spec.staff)]
    classes = [SchoolClass.create(name=f"{7 + k}年级(1)班", code=f"{7 + k}-1", grade=7 + k,
                                  head_teacher=staff[spec.heads[k]].id
                                  if spec.heads[k] is not None else None)
               for k in range(spec.classes)]
    students = [Student.create(student_no=student_no(i), name=student_name(i),
                               school_class=classes[k].id if k is not None else None)
                for i, k in enumerate(spec.students)]
    for n, (who, status, day, this_term, team, entries, goal) in enumerate(spec.cases):
        opened = TERM_START + dt.timedelta(days=day)
        if opened > TODAY:
            opened = TODAY
        case = Case.create(student=students[who].id, term=term.id if this_term else old.id,
                           status=status, opened_on=opened,
                           closed_on=TODAY - dt.timedelta(days=3) if status == "closed" else None)
        for staff_index, role, active in team:
            Assignment.create(case=case.id, staff=staff[staff_index].id, role=role, active=active)
        for m, (ago, kind, channel, follow_up) in enumerate(entries):
            Contact.create(uuid=f"{n:04d}{m:04d}-0000-4000-8000-000000000000",
                           case=case.id, author=staff[0].id,
                           occurred_at=dt.datetime.combine(TODAY - dt.timedelta(days=ago),
                                                           dt.time(10, 0)),
                           kind=kind, channel=channel, discussed="x", host="test",
                           follow_up="call" if follow_up else "",
                           follow_up_due=TODAY - dt.timedelta(days=2) if follow_up else None,
                           created_at=NOW)
        if goal:
            Goal.create(case=case.id, text="goal", due_date=TODAY - dt.timedelta(days=5))
        if n % 3 == 0:
            StageReview.create(uuid=f"{n:08d}-0000-4000-8000-000000000001", case=case.id,
                               review_date=TODAY - dt.timedelta(days=40), summary="s",
                               goals="[]", author=staff[0].id)
    for i, marks in enumerate(spec.scores):
        if marks is not None:
            for exam, when, score in (("first", dt.date(2026, 9, 20), marks[0]),
                                      ("second", dt.date(2026, 11, 10), marks[1])):
                Score.create(uuid=f"{i:04d}{exam:0>8}-0000-4000-8000-000000000002",
                             student=students[i].id, exam=exam, subject="数学", taken_on=when,
                             score=score, full_marks=100)
    return staff, students


def visible_ids(scope) -> set[int]:
    found = visible.student_sql(scope)
    if found is None:
        return {sid for (sid,) in database.execute_sql("SELECT id FROM student")}
    return {sid for (sid,) in database.execute_sql(found[0], found[1])}


def expected_counts(allowed: set[int]) -> dict:
    """The report's and the overview's figures, counted here in Python."""
    term = Term.get(Term.name == "this term")
    monday = TODAY - dt.timedelta(days=TODAY.weekday())
    cases = [c for c in Case.select() if c.student_id in allowed]
    ids = {c.id for c in cases}
    entries = [e for e in Contact.select() if e.case_id in ids]

    def entries_since(day: dt.date) -> int:
        return sum(1 for e in entries if day <= e.occurred_at.date() <= TODAY)

    def opened_since(day: dt.date) -> int:
        return sum(1 for c in cases if c.opened_on and day <= c.opened_on <= TODAY)

    return dict(
        entries={"weekly": entries_since(monday), "term": entries_since(TERM_START)},
        opened={"weekly": opened_since(monday), "term": opened_since(TERM_START)},
        overview_cases={c.id for c in cases if c.status in OPEN_STATUSES},
        term_cases=sum(1 for c in cases if c.term_id == term.id),
        open_as_of=sum(1 for c in cases
                       if (c.status in OPEN_STATUSES or (c.closed_on and c.closed_on > TODAY))
                       and (c.opened_on is None or c.opened_on <= TODAY)),
        supported=len({c.student_id for c in cases if c.term_id == term.id}))


@PROPERTY
@given(spec=specs())
def test_no_channel_names_a_student_outside_the_readers_scope(db_path, tmp_path, spec):
    fresh_database(tmp_path)
    staff, students = build(spec)
    me = staff[spec.reader]
    scope = scope_for(me)
    allowed = {s.id for s in students if sees_student(me, s.id)}
    outside = {student_name(i): student_no(i) for i, s in enumerate(students)
               if s.id not in allowed}
    everyone = me.role in ("admin", "coordinator", "counsellor")
    assert scope.everyone == everyone
    # the rule in SQL (both spellings) is the rule of db.access
    assert visible_ids(scope) == allowed
    query = visible.student_query(scope)
    assert (query is None) == everyone
    if query is not None:
        assert {sid for (sid,) in query.tuples()} == allowed

    def clean(what, text: str) -> None:
        assert not leaked(text, outside), (what, me.role)

    counts = expected_counts(allowed)
    # the leaders' overview and its drill-down, every period and grouping
    if access.can(me, "overview"):
        for period, grouping in itertools.product(PERIODS, GROUPINGS):
            data = overview(TODAY, period, grouping, reader=me)
            assert data.limited == (not everyone)
            assert set(data.cases) == set(data.total.cases) == counts["overview_cases"]
            assert {c.student_id for c in data.cases.values()} <= allowed
            assert {i.student_id for items in data.overdue.values() for i in items} <= allowed
            assert set(data.overdue) <= set(data.cases)
            for group in data.groups:
                assert set(group.cases) <= set(data.cases)
            clean(("overview", period, grouping), repr(data))
        # every report kind, as data and as its files' text
        for kind in KINDS:
            report = build_report(kind, reader=me)
            assert report.limited == (not everyone)
            assert {o.student_id for o in report.overdue} <= allowed
            assert set(report.progress.students) <= allowed
            assert report.compliance.total.cases == counts["open_as_of"]
            assert report.progress.total.students == counts["supported"]
            assert report.entries.total == counts["entries"][kind]
            assert report.cases.opened == counts["opened"][kind]
            assert report.cases.total.total == counts["term_cases"]
            for text in (repr(report), render_markdown(report), render_csv(report)):
                clean(("report", kind), text)
        # every export
        for what in EXPORTS:
            table = export_table(what, me)
            clean(("export", what), repr(table.rows))
            assert set(table.column("student_no")) <= {s.student_no for s in students
                                                       if s.id in allowed}
    else:  # volunteers: none of these, not even a count
        with pytest.raises(NotAllowed):
            overview(TODAY, reader=me)
        with pytest.raises(NotAllowed):
            build_report("weekly", reader=me)
        with pytest.raises(NotAllowed):
            export_table("students", me)
    # the due list (My caseload, bangfu due)
    items = due_items(my_cases(me.id), TODAY, days=30)
    assert {i.student_id for i in items} <= allowed
    clean("due", repr(items))
    # meeting mode: the students offered, whole classes included (ctrl+a on a code)
    offered = RosterIndex(load_rows()).restricted_to(scope)
    assert {r.student_id for r in offered.search("")} <= allowed
    for k in range(spec.classes):
        assert {r.student_id for r in offered.search(f"{7 + k}-1")} <= allowed
    assert {r.student_id for r in load_index(scope=scope).search("")} <= allowed
