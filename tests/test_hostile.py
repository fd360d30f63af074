"""Hostile and careless input, end to end (issue 6).

Values are stored straight into the file, past every form's validation (as an
older version or another tool could have written them): escape sequences
(CSI colours, cursor moves, clear screen; OSC title and clipboard; 8-bit CSI),
BEL, backspace, NUL, bidi overrides and Rich markup.  Then every command-line
output and the app's screens are read: no escape or control character reaches
the terminal, and markup shows as the text it is.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid as uuidlib

import pytest
from textual.widgets import Input, TextArea

from db.workflow import put_setting
from db.models import (Assignment, Case, Checkin, Contact, Goal, Guardian, Meta, PeerPair,
                       SchoolClass, Score, Staff, StageReview, Student, Term)
from tests.conftest import NOW
from tests.pg import ON_SERVER
from tests.helpers import cli_env, make_app, run_cli, settle, sign_in

# what must never reach a terminal (ESC, 8-bit CSI, OSC's string terminator and
# the other C1 controls, BEL, backspace, NUL, every other C0 control but
# newline and tab) and the bidi embeddings, overrides and isolates
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

# everything that can move the cursor, clear the screen, retitle the window,
# write the clipboard or make a link, around a piece of markup
NASTY = ("\x1b[31m\x1b[2J\x1b[5;5H\x1b]0;pwned\x07\x1b]52;c;ZXZpbA==\x07\x9b31m"
         "\x07\x08\x00\u202e\x1b[0m")
if ON_SERVER:  # PostgreSQL's text cannot hold NUL at all: no other tool can store one there
    NASTY = NASTY.replace("\x00", "")
MARKUP = "[red]x[/red]"
LINK = "[link=file:///etc/passwd]L[/link]"
CLICK = "[@click=app.quit]Q[/]"


def hostile(text: str) -> str:
    """``text`` with escape sequences and controls between its characters."""
    return NASTY + NASTY.join(text) + NASTY


# what each hostile value shows as once cleaned (used in the asserts)
NAME = f"{MARKUP}坏蛋"  # a student
NAME_CUT = "[red]x[/r"  # as a narrow column shows it
CLASS = "九年级[b]9[/b]班"
STAFF = "[bold]恶[/]老师"
GUARDIAN = "坏父[i]"
PHONE = "138[blink]0000"
TERM = "恶意学期[red]"
EXAM = f"月考{LINK}"
SUBJECT = "物理[u]"
DIMENSION = "心情[s]"
NOTE = f"心情{CLICK}不好"
GOAL = f"目标{MARKUP}"
MEASURE = "作业本[dim]"
SUMMARY = f"总结{LINK}"
DISCUSSED = f"谈话{MARKUP}{LINK}{CLICK}"
AGREED = "约定[reverse]"
FOLLOW = "再联系[/]"
PARTICIPANTS = "坏父[green]"
CASE_TEXT = f"问题{MARKUP}"
FOCUS = "数学[i]"


def make_hostile(school, codes: bool = True) -> None:
    """Store hostile text in the small school, bypassing all validation; with
    ``codes``, hostile codes too, where the vocabulary's codes belong (a case's
    categories and causes, a family flag, an entry's kind and channel, a
    relation, a team role, a goal's horizon, a rule's kind and channel)."""
    term = Term.select().first()
    Term.update(name=hostile(TERM)).where(Term.id == term.id).execute()
    student = school.students["张伟"]
    Student.update(name=hostile(NAME), family_notes=hostile("留守[b]")).where(
        Student.id == student.id).execute()
    SchoolClass.update(name=hostile(CLASS)).where(
        SchoolClass.id == student.school_class_id).execute()
    Guardian.update(name=hostile(GUARDIAN), phone=hostile(PHONE), wechat=hostile("wx"),
                    notes=hostile("notes[/]")).where(Guardian.student == student.id).execute()
    Staff.update(name=hostile(STAFF)).where(Staff.id == school.other.id).execute()
    case = school.cases["张伟"]
    Case.update(**{name: hostile(CASE_TEXT) for name in (
        "strengths", "academic_base", "main_problems", "cause_analysis", "measures")}).where(
        Case.id == case.id).execute()
    # 李建国 (a hostile name now) on 张伟's team, and a peer helper
    Assignment.create(case=case.id, staff=school.other.id, role="member",
                      assigned_on=dt.date(2026, 9, 2))
    PeerPair.create(case=case.id, helper=school.students["周文"].id, focus=hostile(FOCUS),
                    since=dt.date(2026, 9, 3))
    Contact.update(discussed=hostile(DISCUSSED), agreed=hostile(AGREED),
                   follow_up=hostile(FOLLOW), participants=hostile(PARTICIPANTS)).where(
        Contact.case == case.id).execute()
    Contact.create(uuid="00000000-0000-4000-8000-00000000b001", case=case.id,
                   author=school.other.id, occurred_at=dt.datetime(2026, 11, 18, 9, 0),
                   kind="student", channel="face", participants=hostile(PARTICIPANTS),
                   discussed=hostile(DISCUSSED), agreed=hostile(AGREED),
                   follow_up=hostile(FOLLOW), follow_up_due=dt.date(2026, 11, 19),
                   host=hostile("host"), created_at=NOW)
    Goal.create(case=case.id, horizon="short", text=hostile(GOAL), measure=hostile(MEASURE),
                due_date=dt.date(2026, 11, 15))
    StageReview.create(uuid="00000000-0000-4000-8000-00000000b002", case=case.id,
                       review_date=dt.date(2026, 10, 20), summary=hostile(SUMMARY),
                       goals=json.dumps([[1, hostile(GOAL), "open"]]),
                       next_review=dt.date(2026, 11, 19), author=school.teacher.id,
                       created_at=NOW)
    for day, score in ((dt.date(2026, 10, 10), 60.0), (dt.date(2026, 11, 10), 75.0)):
        for subject in ("数学", hostile(SUBJECT)):
            Score.create(uuid=str(uuidlib.uuid4()), student=student.id, exam=hostile(EXAM),
                         subject=subject, taken_on=day, score=score, full_marks=100.0,
                         author=school.teacher.id)
    Checkin.create(uuid="00000000-0000-4000-8000-00000000d001", student=student.id,
                   taken_on=dt.date(2026, 11, 16),
                   ratings=json.dumps({"mood": 2, hostile(DIMENSION): 3}),
                   note=hostile(NOTE), author=school.teacher.id)
    for key, names in (("subjects", ["数学", hostile(SUBJECT)]),
                       ("checkin_dimensions", ["mood", hostile(DIMENSION)])):
        put_setting(key, json.dumps(names))
    rules = [{"code": "help", "kind": "student", "channel": "", "every_days": 7,
              "per_term": False},
             {"code": hostile("evil[b]"), "kind": "family", "channel": "phone", "every_days": 3,
              "per_term": False}]
    if codes:
        Student.update(family_flags="left_behind_one," + hostile("flag")).where(
            Student.id == student.id).execute()
        Case.update(categories="academic," + hostile("cat"), causes=hostile("cause")).where(
            Case.id == case.id).execute()
        Contact.update(kind=hostile("student"), channel=hostile("face")).where(
            Contact.uuid == "00000000-0000-4000-8000-00000000b001").execute()
        Guardian.update(relation=hostile("father")).where(
            Guardian.student == student.id).execute()
        Assignment.update(role=hostile("member")).where(
            Assignment.staff == school.other.id, Assignment.case == case.id).execute()
        Goal.update(horizon=hostile("short")).where(Goal.case == case.id).execute()
        rules[1].update(kind=hostile("family"), channel=hostile("phone"))
    put_setting("rules", json.dumps(rules))


def assert_clean(text: str, where: str = "") -> None:
    found = FORBIDDEN.search(text)
    if found is not None:
        around = text[max(0, found.start() - 60):found.end() + 20]
        pytest.fail(f"{where}: {found.group()!r} in …{around!r}")


# -- the command line ---------------------------------------------------------------------

@pytest.fixture
def env(tmp_path, local_state):
    return cli_env(tmp_path, local_state)


@pytest.fixture
def hostile_school(school):
    make_hostile(school)
    return school


def md_text(text: str) -> str:
    from tui.case_summary import md

    return md(text)


# each command, and what must show in its output as literal text
CLI_CALLS = [
    (("find", "zw"), [NAME, CLASS, STAFF]),
    (("find", "2024"), [NAME, STAFF, "[bold]王[/"]),
    (("show", "20240101"), [NAME, CLASS, TERM, GUARDIAN, PHONE, CASE_TEXT, DISCUSSED, STAFF]),
    (("show", "20240101", "--format", "md"), [md_text(v) for v in (
        NAME, CLASS, TERM, GUARDIAN, PHONE, CASE_TEXT, DISCUSSED, AGREED, FOLLOW, PARTICIPANTS,
        STAFF, GOAL, MEASURE, SUMMARY, FOCUS, EXAM, SUBJECT, DIMENSION, NOTE)]),
    (("show", "20240106"), ["[bold]王[/", STAFF, TERM]),
    (("due",), [NAME, GOAL, FOLLOW]),
    (("due", "--as", "lijianguo"), ["[bold]王[/"]),  # by pinyin: the name is hostile
    (("report", "weekly", "--format", "md"), [md_text(v) for v in (NAME, CLASS, TERM)]),
    (("report", "weekly", "--format", "csv"), [NAME, CLASS, TERM]),
    (("report", "term", "--format", "md"), [md_text(v) for v in (NAME, CLASS, TERM)]),
    (("report", "term", "--format", "csv"), [NAME, CLASS, TERM]),
    (("rules",), ["evil[b]"]),
    (("term", "list"), [TERM]),
    (("subjects",), [SUBJECT]),
    (("dimensions",), [DIMENSION]),
]


@pytest.mark.parametrize("args, shown", CLI_CALLS, ids=[" ".join(a) for a, _ in CLI_CALLS])
def test_no_escape_or_control_character_reaches_the_terminal_from_the_command_line(
        hostile_school, env, args, shown):
    proc = run_cli(env, *args, db=hostile_school.path)
    assert proc.returncode == 0, proc.stderr
    assert_clean(proc.stdout, "stdout")
    assert_clean(proc.stderr, "stderr")
    for text in shown:  # markup is text: shown as typed (in Markdown, escaped)
        assert text in proc.stdout, text
    assert "pwned" not in proc.stdout and "ZXZpbA" not in proc.stdout  # nothing of the OSC


def test_written_reports_and_summaries_hold_no_control_character_and_no_formula(
        hostile_school, env, tmp_path):
    import csv
    import io

    import openpyxl

    # a name and a class that a spreadsheet would run as formulas
    SchoolClass.update(name=NASTY + "=HYPERLINK(\"http://evil\",\"x\")" + NASTY).where(
        SchoolClass.name == "八年级(2)班").execute()
    Staff.update(name=" \t@SUM(1+1)").where(Staff.id == hostile_school.teacher.id).execute()
    out = tmp_path / "out"
    out.mkdir()
    for args in (("report", "weekly", "--format", "xlsx", "-o", out / "w.xlsx"),
                 ("report", "term", "--format", "csv", "-o", out / "t.csv"),
                 ("report", "weekly", "-o", out / "w.md"),
                 ("show", "20240101", "-o", out / "case.md")):
        proc = run_cli(env, *args, "--as", "wangfang", db=hostile_school.path)
        assert proc.returncode == 0, proc.stderr
        assert_clean(proc.stdout + proc.stderr, " ".join(map(str, args)))
    for name in ("t.csv", "w.md", "case.md"):
        assert_clean((out / name).read_text(encoding="utf-8-sig"), name)
    cells = [c for row in csv.reader(io.StringIO((out / "t.csv").read_text("utf-8-sig")))
             for c in row]
    book = openpyxl.load_workbook(out / "w.xlsx")
    cells += [str(c.value) for sheet in book.worksheets for row in sheet.iter_rows()
              for c in row if isinstance(c.value, str)]
    for cell in cells:
        assert_clean(cell, "cell")
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    assert "'=HYPERLINK(\"http://evil\",\"x\")" in cells
    assert "'@SUM(1+1)" in cells  # the lead of the overdue items


# -- the app ------------------------------------------------------------------------------

def screen_lines(app) -> list[str]:
    """What the terminal would be sent for the whole screen, as text lines: every
    segment of every strip of a full update (what ``app.export_screenshot``
    renders too).  Fails on a segment that is a control code or carries a link
    or the click action of ``CLICK`` (markup that was interpreted)."""
    update = app.screen._compositor.render_update(
        full=True, screen_stack=app._background_screens)
    lines = []
    for row in update.strips:
        text = []
        for strip in row:
            for segment in strip:
                assert not segment.control, segment
                style = segment.style
                if style is not None:
                    assert not style.link, segment
                    assert "app.quit" not in str((style.meta or {}).get("@click", "")), segment
                text.append(segment.text)
        lines.append("".join(text))
    return lines


def assert_screen_clean(app, where: str) -> str:
    lines = screen_lines(app)
    text = "\n".join(lines)
    assert_clean(text, where)
    assert "pwned" not in text and "ZXZpbA" not in text, where
    return text


async def look(pilot, where: str, *shown: str) -> str:
    """Let the screen settle, check every cell of it, and that ``shown`` is on it."""
    await settle(pilot)
    text = assert_screen_clean(pilot.app, where)
    for value in shown:
        assert value in text, f"{where}: {value!r} not on screen:\n{text}"
    return text


async def test_no_escape_or_control_character_reaches_the_screen(school):
    make_hostile(school, codes=False)
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await look(pilot, "sign-in", STAFF)
        await sign_in(pilot)
        await look(pilot, "home", NAME, GOAL, FOLLOW)
        await pilot.press(*"2024")
        await look(pilot, "search", NAME, "[bold]王[/")
        await pilot.press(*"0101", "enter")
        for key, shown in (("1", [DISCUSSED, PARTICIPANTS, AGREED, FOLLOW, STAFF]),
                           ("2", [CASE_TEXT]), ("3", [NAME, GUARDIAN, PHONE, "留守[b]"]),
                           ("4", [GOAL, MEASURE, SUMMARY, STAFF, FOCUS]),
                           ("5", [EXAM, SUBJECT])):
            await pilot.press(key)
            await look(pilot, f"case tab {key}", NAME, CLASS, TERM, *shown)
        for key, shown in (("g", [GOAL]), ("t", [NAME, FOCUS]), ("v", [GOAL]), ("n", [])):
            await pilot.press(key)
            await look(pilot, f"case key {key}", *shown)
            await pilot.press("escape")
            await look(pilot, f"back from {key}", NAME)
        # the case edit form: the stored text in its fields, cleaned
        await pilot.press("e")
        await look(pilot, "case edit", NAME)
        for area in app.screen.query(TextArea):
            assert area.text == CASE_TEXT
        app.screen.query_one("#main_problems").focus()
        await look(pilot, "case edit, text fields", CASE_TEXT)
        await pilot.press("escape")
        await look(pilot, "back from the edit", NAME)
        # amending an entry: the form filled from the stored entry, cleaned
        await pilot.press("a")
        await look(pilot, "entries", STAFF)
        await pilot.press("enter")
        await look(pilot, "amend", PARTICIPANTS, AGREED)
        assert app.screen.query_one("#discussed", TextArea).text == DISCUSSED
        assert app.screen.query_one("#follow_up", Input).value == FOLLOW
        await pilot.press("escape")
        await look(pilot, "back from amending", NAME)


async def test_no_escape_or_control_character_reaches_the_leaders_screens(school):
    from screens.overview import OverviewScreen
    from screens.report import ReportScreen
    from tui.widgets import TableList

    make_hostile(school, codes=False)
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await pilot.press("f3")
        await look(pilot, "overview", CLASS)
        assert isinstance(app.screen, OverviewScreen)
        table = app.screen.query_one(TableList)
        down = next(i for i, row in enumerate(table.rows) if row[0] == CLASS)
        await pilot.press(*["down"] * down, "enter")
        await look(pilot, "overview, a class", NAME_CUT)
        await pilot.press("escape", "g")
        await look(pilot, "overview by staff member", STAFF)
        await pilot.press("u")
        await look(pilot, "rules")
        await pilot.press("escape", "escape", "f7")
        await look(pilot, "weekly report", NAME_CUT, TERM)
        assert isinstance(app.screen, ReportScreen)
        await pilot.press("k")
        await look(pilot, "term summary", NAME_CUT, TERM)
        await pilot.press("escape")
        await look(pilot, "home", NAME)


async def fill_header(pilot, *values: str) -> None:
    for n, value in enumerate(values):
        await pilot.press("end", "ctrl+u", *value, "tab" if n < len(values) - 1 else "enter")
    await settle(pilot)


async def test_no_escape_or_control_character_reaches_the_grids_and_meeting_mode(school):
    make_hostile(school, codes=False)
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await pilot.press("f5")
        await look(pilot, "score grid", SUBJECT)
        await fill_header(pilot, "7-1", "2026-11-10", "期中", "100", "数学")
        await look(pilot, "score grid, the class", NAME_CUT, CLASS)
        await pilot.press("escape")
        await look(pilot, "home")
        await pilot.press("f6")
        await look(pilot, "check-in grid")
        await fill_header(pilot, "7-1", "2026-11-16")
        await look(pilot, "check-in grid, the class", NAME_CUT, NOTE, DIMENSION)
        await pilot.press("escape")
        await look(pilot, "home")
        await pilot.press("ctrl+t")
        await look(pilot, "meeting mode")
        await pilot.press(*"7-1", "ctrl+a")
        await look(pilot, "meeting mode, a class", NAME)
        await pilot.press("escape")
        await look(pilot, "leave the meeting?")
        await pilot.press("y")
        await look(pilot, "home")
        await pilot.press("f2")
        await look(pilot, "switch user", STAFF)


# -- typed (pasted) into a form -----------------------------------------------------------

PASTED = f"谈{NASTY}\x00话{MARKUP}\x1b[2J\x1b]52;c;ZXZpbA==\x07完"  # NUL too: a paste has it


async def paste_into_contact_form(pilot) -> None:
    """Open 张伟's case, n, and paste hostile text into "who took part" and
    "discussed" (a terminal delivers a paste as one Paste event to the app)."""
    from textual import events

    await sign_in(pilot)
    await pilot.press(*"20240101", "enter")
    await settle(pilot)
    await pilot.press("n")
    await settle(pilot)
    app = pilot.app
    app.screen.query_one("#participants").focus()
    app.post_message(events.Paste(f"{NASTY}张父{LINK}"))
    await settle(pilot)
    app.screen.query_one("#discussed").focus()
    app.post_message(events.Paste(PASTED))
    await settle(pilot)


async def test_escape_sequences_pasted_into_the_contact_form_are_not_saved(school):
    make_hostile(school, codes=False)
    before = {c.id for c in Contact.select()}
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await paste_into_contact_form(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
    [saved] = Contact.select().where(Contact.id.not_in(before))
    assert saved.discussed == f"谈话{MARKUP}完"
    assert saved.participants == f"张父{LINK}"
    for value in (saved.discussed, saved.participants, saved.agreed, saved.follow_up):
        assert_clean(value, "stored")


async def test_escape_sequences_pasted_into_the_contact_form_never_reach_the_screen(school):
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await paste_into_contact_form(pilot)
        assert_clean(app.screen.query_one("#participants", Input).value, "participants")
        assert_clean(app.screen.query_one("#discussed", TextArea).text, "discussed")
        await look(pilot, "contact form", f"张父{LINK}", f"谈话{MARKUP}完")


async def test_codes_another_tool_wrote_never_reach_the_screen(school):
    make_hostile(school, codes=True)
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await look(pilot, "home")
        await pilot.press(*"20240101", "enter")
        for key in "12345":
            await pilot.press(key)
            await look(pilot, f"case tab {key}", NAME)


# -- errors and logs ----------------------------------------------------------------------

async def test_a_crash_of_the_app_prints_one_line_without_the_traceback(school, monkeypatch,
                                                                        capfd):
    """Textual's own crash report lists every frame's local variables (a case
    view: the student's name, the notes): only the kind of error is printed."""
    import screens.case
    from tui.cli.entry import quiet_crashes

    def broken(*args, **kwargs):
        raise RuntimeError("broken")

    monkeypatch.delenv("BANGFU_DEBUG", raising=False)
    monkeypatch.setattr(screens.case, "timeline_text", broken)
    app = make_app(school.path)
    crash = quiet_crashes(app)
    with pytest.raises(RuntimeError):
        async with app.run_test(size=(80, 24)) as pilot:
            await sign_in(pilot)
            await pilot.press(*"20240101", "enter")
            await settle(pilot)
    err = capfd.readouterr().err
    assert "张伟" not in err and "Traceback" not in err and "作业经常不交" not in err
    assert crash() == "bangfu: An unexpected problem (BANGFU_DEBUG=1 shows details)"


def one_line_error(proc) -> str:
    assert proc.returncode != 0, proc.stdout
    assert "Traceback" not in proc.stderr and 'File "' not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("bangfu: "), proc.stderr
    assert_clean(proc.stdout + proc.stderr, "output")
    return lines[0]


PERSONAL = ("张伟", "赵薇", "曾小明", "刘梅", "13800000000", "13900000000",
            "作业经常不交", "父亲在外务工", "Talked about homework")


def assert_nothing_personal(text: str) -> None:
    for value in PERSONAL:
        assert value not in text, value


@pytest.mark.file_only
def test_a_damaged_file_is_one_line_without_personal_data(school, env):
    import sqlite3

    from db.store.connection import close_database

    close_database()
    with sqlite3.connect(school.path) as db:  # a table gone, as a broken copy could have it
        db.execute("DROP TABLE contact")
    for args in (("show", "20240101"), ("find", "zw"), ("report", "weekly", "--format", "md"),
                 ("due",)):
        line = one_line_error(run_cli(env, *args, db=school.path))
        assert_nothing_personal(line)
    data = school.path.read_bytes()
    school.path.write_bytes(data[:4096] + b"\x1b[2J\x00garbage" * 64 + data[5120:])
    for args in (("show", "20240101"), ("find", "zw")):
        proc = run_cli(env, *args, db=school.path)
        assert_nothing_personal(one_line_error(proc) + proc.stdout)


@pytest.mark.file_only  # a server's typed column refuses such a value in the first place
def test_a_stored_value_that_breaks_a_command_is_named_by_kind_only(school, env):
    """A date no date parser reads, holding personal data: the command either
    shows the case or fails with the kind of error only (today it fails)."""
    Contact.update(occurred_at="张伟 13800000000").where(
        Contact.case == school.cases["张伟"].id).execute()
    proc = run_cli(env, "show", "20240101", db=school.path)
    if proc.returncode:  # refused: by the kind of error only
        assert_nothing_personal(one_line_error(proc))
    else:
        assert_clean(proc.stdout, "stdout")


ARGV_NASTY = NASTY.replace("\x00", "")  # (a command line cannot hold NUL)


@pytest.mark.parametrize("args", [
    ("show", f"{ARGV_NASTY}无此人{MARKUP}"),
    ("find", f"{ARGV_NASTY}无此人{MARKUP}"),
    ("due", "--as", f"{ARGV_NASTY}无此人{MARKUP}"),
    ("log", f"{ARGV_NASTY}无此人{MARKUP}", "--text", "x"),
    ("report", "term", "--term", f"{ARGV_NASTY}无此学期{MARKUP}", "--format", "md"),
], ids=["show", "find", "due --as", "log", "report --term"])
def test_an_unknown_name_is_echoed_clean(school, env, args):
    line = one_line_error(run_cli(env, *args, db=school.path))
    assert "无此" in line and MARKUP in line  # the query, cleaned, markup as typed


def test_many_matches_are_listed_clean(hostile_school, env):
    line = one_line_error(run_cli(env, "show", "2024", db=hostile_school.path))
    assert NAME in line


def test_an_entry_logged_from_the_command_line_is_stored_clean(school, env):
    before = {c.id for c in Contact.select()}
    proc = run_cli(env, "log", "20240101", "--text", PASTED.replace("\x00", ""),
                   "--participants", f"{ARGV_NASTY}张父{LINK}",
                   "--follow-up", f"再{ARGV_NASTY}联系", "--agreed", f"约定{ARGV_NASTY}",
                   db=school.path)
    assert proc.returncode == 0, proc.stderr
    assert_clean(proc.stdout + proc.stderr, "output")
    [saved] = Contact.select().where(Contact.id.not_in(before))
    assert (saved.discussed, saved.participants, saved.follow_up, saved.agreed) == (
        f"谈话{MARKUP}完", f"张父{LINK}", "再联系", "约定")


# -- lengths: a form says the field's limit and writes nothing ----------------------------
# (the validators themselves, with every kind of text: tests/test_properties.py)

def written() -> tuple:
    from db.models import AuditLog

    return tuple(model.select().count() for model in (
        Contact, Case, Goal, StageReview, Score, Checkin, Meta, AuditLog)) + (
        tuple(Case.select(Case.version).tuples()),)


async def open_case(pilot, key: str = "") -> None:
    await sign_in(pilot)
    await pilot.press(*"20240101", "enter")
    await settle(pilot)
    if key:
        await pilot.press(key)
        await settle(pilot)


async def overlong_contact(pilot, field: str, limit: int):
    await open_case(pilot, "n")
    await pilot.press("f", "p")  # with the family, by phone
    widget = pilot.app.screen.query_one(f"#{field}")
    text = "字" * limit + "多"
    widget.load_text(text) if isinstance(widget, TextArea) else setattr(widget, "value", text)
    if field != "discussed":
        pilot.app.screen.query_one("#discussed", TextArea).load_text("谈话")


async def overlong_case_edit(pilot, field: str, limit: int):
    await open_case(pilot, "e")
    pilot.app.screen.query_one(f"#{field}", TextArea).load_text("字" * limit + "多")


async def overlong_goal(pilot, field: str, limit: int):
    await open_case(pilot, "g")
    await pilot.press("a")
    await settle(pilot)
    pilot.app.screen.query_one("#goal-text", Input).value = "按时交作业"
    pilot.app.screen.query_one(f"#{field}", Input).value = "字" * limit + "多"


async def overlong_review(pilot, field: str, limit: int):
    await open_case(pilot, "v")
    pilot.app.screen.query_one("#review-summary", TextArea).load_text("总结")
    widget = pilot.app.screen.query_one(f"#{field}")
    text = "字" * limit + "多"
    widget.load_text(text) if isinstance(widget, TextArea) else setattr(widget, "value", text)


async def overlong_exam(pilot, field: str, limit: int):
    await sign_in(pilot)
    await pilot.press("f5")
    await fill_header(pilot, "7-1", "2026-11-10", "字" * limit + "多", "100", "数学")
    await pilot.press(*"88")


async def overlong_note(pilot, field: str, limit: int):
    from db.checkins import NOTE_COLUMN
    from tui.grid import EditGrid

    await sign_in(pilot)
    await pilot.press("f6")
    await fill_header(pilot, "7-1", "2026-11-16")
    grid = pilot.app.screen.query_one(EditGrid)
    grid._set("3")  # the first dimension: rated
    grid.column = [c.key for c in grid.columns].index(NOTE_COLUMN)
    grid._set("字" * limit + "多")


async def overlong_interval(pilot, field: str, limit: int):
    await sign_in(pilot)
    await pilot.press("f3")
    await settle(pilot)
    await pilot.press("u")
    await settle(pilot)
    await pilot.press("enter")
    pilot.app.screen.query_one("#rule-interval", Input).value = "1" * limit


@pytest.mark.parametrize("fill, field, limit, key", [
    (overlong_contact, "discussed", 4000, "err.too_long"),
    (overlong_contact, "agreed", 4000, "err.too_long"),
    (overlong_contact, "participants", 200, "err.too_long_line"),
    (overlong_contact, "follow_up", 4000, "err.too_long"),
    (overlong_case_edit, "main_problems", 4000, "err.too_long"),
    (overlong_case_edit, "strengths", 4000, "err.too_long"),
    (overlong_goal, "goal-text", 500, "err.goal.too_long"),
    (overlong_goal, "goal-measure", 500, "err.goal.too_long"),
    (overlong_review, "review-summary", 4000, "err.too_long"),
    (overlong_review, "next-goal-1", 500, "err.goal.too_long"),
    (overlong_exam, "exam", 40, "err.score.exam_long"),
    (overlong_note, "note", 500, "err.checkin.note_long"),
    (overlong_interval, "interval", 5000, "err.rule.days"),
], ids=lambda v: v.__name__.removeprefix("overlong_") if callable(v) else None)
async def test_an_overlong_field_is_named_with_its_limit_and_nothing_is_written(
        school, fill, field, limit, key):
    from tui.i18n import t

    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await fill(pilot, field, limit)
        await settle(pilot)
        before = written()
        screen = app.screen
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen  # the form stays open, with what was typed
        text = await look(pilot, "form")
        message = t(key)
        assert message in text.replace("\n", " ") or message in " ".join(
            str(w.render()) for w in screen.query(".error, .error-status, .status, .shown"))
        assert written() == before
