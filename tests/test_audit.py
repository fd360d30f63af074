"""The audit log: every write with its old and new values, read by administrators
only (the screen and ``bangfu audit``), filtered by person, student and date,
never changed from the app (nor, thanks to triggers, by raw SQL)."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import sqlite3

import pytest

from tests.pg import ON_SERVER

from db import audit_queries, clock
from db.audit_queries import MASKED, FilterError, find_audit, resolve_filter
from db.contacts import amend_contact, load_entry, open_restricted
from db.models import AuditLog, Contact, Staff, database
from db.scores import save_scores, validate_sitting
from db.staff import add_staff
from db.students import create_student
from tests.conftest import NOW, TODAY
from tests.helpers import cli_env, make_app, run_cli, settle, sign_in
from tui import i18n


def contact_id(school) -> int:
    return Contact.get(Contact.case == school.cases["张伟"].id).id


def amend(school, actor, **changes) -> int:
    cid = contact_id(school)
    entry, _ = load_entry(cid)
    assert amend_contact(actor, cid, dataclasses.replace(entry, **changes))
    return cid


def rows_about(table: str, row_id, **filters):
    return [r for r in find_audit(**filters) if r.table == table and r.row_id == str(row_id)]


# -- each write, with what it was before -----------------------------------------------------

def test_an_amended_entry_keeps_its_old_and_new_text(school):
    cid = amend(school, school.teacher, discussed="Rewritten", agreed="Call on Friday")
    [row] = rows_about("contact", cid)
    assert row.action == "update"
    assert row.who == "王芳" and row.staff_id == school.teacher.id
    assert row.at == NOW and row.host
    assert row.changes["discussed"][0].startswith("Talked about homework")
    assert row.changes["discussed"][1] == "Rewritten"
    assert row.changes["agreed"] == ["Check homework daily", "Call on Friday"]
    fields = {c.field: c for c in row.fields()}
    assert fields["agreed"].pair and fields["agreed"].old == "Check homework daily"
    assert fields["agreed"].new == "Call on Friday"


def test_an_insert_has_its_new_values(school):
    student = create_student(school.teacher, student_no="20249999", name="新同学", gender="F")
    [row] = rows_about("student", student.id)
    assert row.action == "insert" and row.who == "王芳"
    assert row.changes == {"name": "新同学", "student_no": "20249999"}
    change = next(c for c in row.fields() if c.field == "name")
    assert not change.pair and change.old is None and change.new == "新同学"


def test_scores_added_changed_and_removed_are_each_logged(school):
    sid = school.students["张伟"].id
    sitting = validate_sitting("期中考试", "today", "100", ["语文"])
    save_scores(school.teacher, sitting, {(sid, "语文"): "71"})
    save_scores(school.teacher, sitting, {(sid, "语文"): "78"})
    save_scores(school.teacher, sitting, {(sid, "语文"): ""})
    rows = [r for r in find_audit(student_id=sid) if r.table == "score"]
    assert [r.action for r in rows] == ["delete", "update", "insert"]  # newest first
    removed, changed, added = rows
    assert changed.changes["score"] == [71.0, 78.0]
    assert added.changes["score"] == 71.0
    gone = {c.field: c for c in removed.fields()}
    assert gone["score"].old == 78.0 and gone["score"].new is None
    assert gone["subject"].old == "语文"  # what the removed row held
    # the removed score is no longer in the file, yet it is found by its student
    assert any(r.action == "delete" for r in find_audit(student_id=sid))
    other = school.students["赵薇"].id
    assert not [r for r in find_audit(student_id=other) if r.table == "score"]


def test_opening_a_restricted_entry_is_logged(school):
    cid = contact_id(school)
    Contact.update(restricted="counselling").where(Contact.id == cid).execute()
    open_restricted(school.teacher, cid)
    [row] = [r for r in rows_about("contact", cid) if r.action == "read"]
    assert row.who == "王芳" and row.changes == {"restricted": "counselling"}


# -- filters --------------------------------------------------------------------------------

def test_filter_by_person_is_what_they_did_or_what_was_done_to_their_account(school):
    amend(school, school.teacher, agreed="By Wang")
    li = Staff.get(Staff.name == "李建国")
    zhao = school.cases["赵薇"].id  # a case 李建国 leads: his own entry there
    entry, _ = load_entry(contact_id(school))
    from db.contacts import save_contact

    save_contact(li, dataclasses.replace(entry, uuid="00000000-0000-4000-8000-00000000abcd",
                                         case_id=zhao))
    rows = find_audit(staff_id=li.id)
    assert rows and all(r.staff_id == li.id or (r.table == "staff" and r.row_id == str(li.id))
                        for r in rows)
    assert any(r.table == "contact" and r.action == "insert" for r in rows)
    assert any(r.table == "staff" and r.action == "insert" for r in rows)  # his account
    assert not any(r.table == "contact" and r.action == "update" for r in rows)  # 王芳's
    assert any(r.table == "contact" and r.action == "update"
               for r in find_audit(staff_id=school.teacher.id))


def test_filter_by_student_finds_an_entry_through_its_case(school):
    cid = amend(school, school.teacher, agreed="Only about 张伟")
    zhang = school.students["张伟"].id
    rows = find_audit(student_id=zhang)
    tables = {r.table for r in rows}
    assert {"student", "guardian", "case_file", "assignment", "contact"} <= tables
    assert any(r.table == "contact" and r.row_id == str(cid) for r in rows)
    assert all(r.table != "staff" for r in rows)
    others = find_audit(student_id=school.students["赵薇"].id)
    assert others and not any(r.table == "contact" and r.row_id == str(cid) for r in others)
    # newest first
    assert [(r.at, r.id) for r in rows] == sorted(((r.at, r.id) for r in rows), reverse=True)


def test_filter_by_date_includes_both_ends(school):
    for day in (dt.date(2026, 11, 1), dt.date(2026, 11, 5), dt.date(2026, 11, 9)):
        clock.set_today(day, dt.datetime.combine(day, dt.time(23, 59, 30)))
        create_student(school.teacher, student_no=f"2025{day:%m%d}", name=f"学生{day.day}")
    clock.set_today(TODAY, NOW)
    rows = find_audit(since=dt.date(2026, 11, 5), until=dt.date(2026, 11, 9))
    assert sorted(r.changes["name"] for r in rows) == ["学生5", "学生9"]
    assert [r.changes["name"] for r in find_audit(until=dt.date(2026, 11, 1))] == ["学生1"]
    assert all(r.at.date() == TODAY for r in find_audit(since=TODAY))
    assert len(find_audit(limit=2)) == 2


def test_filters_combine(school):
    amend(school, school.teacher, agreed="x")
    zhang = school.students["张伟"].id
    rows = find_audit(staff_id=school.teacher.id, student_id=zhang, since=TODAY, until=TODAY)
    assert [r.table for r in rows] == ["contact"]
    assert not find_audit(staff_id=school.teacher.id, student_id=zhang,
                          until=TODAY - dt.timedelta(days=1))


def test_resolve_filter_names_people_students_and_days(school):
    chosen = resolve_filter("wangfang", "20240101", "11-01", "today")
    assert chosen.staff_id == school.teacher.id and chosen.staff_name == "王芳"
    assert chosen.student_id == school.students["张伟"].id and chosen.student_no == "20240101"
    assert chosen.since == dt.date(2026, 11, 1) and chosen.until == TODAY
    assert resolve_filter() == audit_queries.AuditFilter()
    for args, field, code in [(("nobody",), "staff", "none"),
                              (("", "no such pupil"), "student", "none"),
                              (("", "", "soon"), "since", "format"),
                              (("", "", "31-31"), "since", "invalid"),
                              (("", "", "2026-02-30"), "since", "invalid"),
                              (("", "", "", "banana"), "until", "format"),
                              (("", "", "11-20", "11-01"), "until", "range")]:
        with pytest.raises(FilterError) as caught:
            resolve_filter(*args)
        assert (caught.value.field, caught.value.code) == (field, code), args
    add_staff(None, "王芳芳", "teacher")
    with pytest.raises(FilterError) as caught:
        resolve_filter("王")
    assert caught.value.code == "many" and "王芳芳" in caught.value.names


def test_a_disabled_account_is_still_found_by_its_name(school):
    li = Staff.get(Staff.name == "李建国")
    Staff.update(active=False).where(Staff.id == li.id).execute()
    assert resolve_filter("李建国").staff_id == li.id


# -- read-only -----------------------------------------------------------------------------

def test_the_file_refuses_to_change_or_remove_an_audit_row(school):
    import peewee

    amend(school, school.teacher, agreed="kept")
    count = "SELECT COUNT(*), MAX(changes) FROM audit_log"
    before = database.execute_sql(count).fetchone()
    attempts = ["UPDATE audit_log SET changes = '{}'",
                "UPDATE audit_log SET staff_name = 'someone else' WHERE id = 1",
                "DELETE FROM audit_log", "DELETE FROM audit_log WHERE id = 1"]
    if ON_SERVER:
        attempts.append("TRUNCATE audit_log")
    for sql in attempts:
        with pytest.raises(peewee.DatabaseError, match="audit log cannot be changed"):
            with database.atomic():
                database.execute_sql(sql)
    assert database.execute_sql(count).fetchone() == before
    if not ON_SERVER:  # and so does a plain connection to the file, outside bangfu
        con = sqlite3.connect(school.path)
        try:
            with pytest.raises(sqlite3.DatabaseError, match="audit log cannot be changed"):
                con.execute("DELETE FROM audit_log")
        finally:
            con.close()
    with pytest.raises(peewee.DatabaseError, match="audit log cannot be changed"):
        AuditLog.delete().execute()


def test_the_screen_has_no_key_that_writes():
    from screens.audit import AuditDetailScreen, AuditScreen

    actions = {b.action for b in AuditScreen.BINDINGS + AuditDetailScreen.BINDINGS}
    assert actions == {"detail", "export('xlsx')", "export('csv')", "filter", "back", "close"}


# -- restricted entries ---------------------------------------------------------------------

def test_a_restricted_entrys_text_is_masked_but_kept(school):
    cid = amend(school, school.teacher, discussed="Secret talk", participants="张伟, 张父")
    Contact.update(restricted="counselling").where(Contact.id == cid).execute()
    [row] = [r for r in rows_about("contact", cid) if r.action == "update"]
    assert row.masked
    assert row.changes["discussed"] == [MASKED, MASKED]
    assert row.changes["participants"] == [MASKED, MASKED]
    stored = database.execute_sql("SELECT changes FROM audit_log WHERE id = ?", (row.id,))
    assert "Secret talk" in stored.fetchone()[0]  # the stored row keeps it
    from tui.audit_log import render_csv, render_markdown, summary

    chosen = audit_queries.AuditFilter()
    for text in (render_csv([row], chosen), render_markdown([row], chosen), summary(row)):
        assert "Secret" not in text and "restricted entry" in text


def test_an_entry_restricted_from_the_start_is_masked_in_its_insert(school):
    from db.contacts import save_contact

    entry, _ = load_entry(contact_id(school))
    new = dataclasses.replace(entry, uuid="00000000-0000-4000-8000-0000000000ff",
                              discussed="Family conflict details", restricted="family_conflict")
    cid, _ = save_contact(school.teacher, new)
    [row] = rows_about("contact", cid)
    assert row.changes["discussed"] is MASKED and row.changes["restricted"] == "family_conflict"
    # an entry gone from the file is judged by what the log says of it
    database.execute_sql("DELETE FROM contact WHERE id = ?", (cid,))  # nothing refers to it
    [row] = rows_about("contact", cid)
    assert row.changes["discussed"] is MASKED


def test_an_open_entrys_text_is_shown(school):
    cid = amend(school, school.teacher, discussed="Plain talk")
    [row] = rows_about("contact", cid)
    assert row.changes["discussed"][1] == "Plain talk" and not row.masked


# -- bangfu audit ---------------------------------------------------------------------------

@pytest.fixture
def env(tmp_path, local_state):
    return cli_env(tmp_path, local_state)


def test_cli_exports_the_log_as_markdown(school, env):
    amend(school, school.teacher, agreed="Visit on Monday")
    proc = run_cli(env, "audit", "--student", "20240101", db=school.path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("# Audit log")
    assert "student 张伟 20240101" in proc.stdout
    assert "| Visit on Monday |" in proc.stdout and "| Check homework daily |" in proc.stdout
    assert "赵薇" not in proc.stdout


def test_cli_filters_by_person_and_dates(school, env):
    amend(school, school.teacher, agreed="today's change")
    proc = run_cli(env, "audit", "--staff", "wangfang", "--since", "today", "--format", "csv",
                   db=school.path)
    assert proc.returncode == 0, proc.stderr
    table = list(csv.reader(io.StringIO(proc.stdout)))
    assert table[0] == ["Audit log"] and table[2][:3] == ["No.", "When", "Who"]
    # what she did, and what was done to her account (created by the fixture: nobody)
    assert {r[2] for r in table[3:] if r[4] != "staff"} == {"王芳"}
    assert {r[2] for r in table[3:]} == {"王芳", "—"}
    assert ["agreed", "Check homework daily", "today's change"] in [r[7:] for r in table[3:]]
    proc = run_cli(env, "audit", "--until", "yesterday", "--format", "csv", db=school.path)
    assert proc.returncode == 0, proc.stderr
    assert len(list(csv.reader(io.StringIO(proc.stdout)))) == 3  # nothing before today


def test_cli_csv_neutralizes_formulas(school, env):
    evil = add_staff(None, '=HYPERLINK("http://x.example","click")', "teacher")
    create_student(evil, student_no="@SUM(1)", name="+1 student")
    proc = run_cli(env, "audit", "--format", "csv", db=school.path)
    assert proc.returncode == 0, proc.stderr
    cells = [c for row in csv.reader(io.StringIO(proc.stdout)) for c in row]
    assert "'=HYPERLINK(\"http://x.example\",\"click\")" in cells
    assert "'@SUM(1)" in cells and "'+1 student" in cells
    assert not any(c[:1] in "=+-@" for c in cells if c)


def test_cli_writes_csv_and_xlsx_files(school, env, tmp_path):
    from openpyxl import load_workbook

    evil = add_staff(None, "=1+1", "teacher")
    create_student(evil, student_no="20248888", name="某某")
    out = tmp_path / "log.csv"
    proc = run_cli(env, "audit", "-o", out, db=school.path)
    assert proc.returncode == 0, proc.stderr
    assert "Audit log written" in proc.stdout
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, for Excel
    assert "'=1+1" in data.decode("utf-8-sig")
    book = tmp_path / "log.xlsx"
    proc = run_cli(env, "audit", "--student", "某某", "-o", book, db=school.path)
    assert proc.returncode == 0, proc.stderr
    sheet = load_workbook(book).active
    values = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "Audit log" and values[2][0] == "No."
    assert {row[2] for row in values[3:]} == {"'=1+1"}
    assert isinstance(values[3][1], dt.datetime)
    assert not list(tmp_path.glob(".log.*.tmp"))


def test_exports_carry_no_control_characters(school, env, tmp_path):
    from openpyxl import load_workbook

    # the fixture's entry says "… sleep \x1b[31mred\x1b[0m"
    amend(school, school.teacher, discussed="line one\nline two \x1b]0;title\x07=1+1",
          agreed="@cmd")
    book = tmp_path / "zhang.xlsx"
    proc = run_cli(env, "audit", "--student", "20240101", "-o", book, db=school.path)
    assert proc.returncode == 0, proc.stderr
    cells = [c for row in load_workbook(book).active.iter_rows(values_only=True)
             for c in row if isinstance(c, str)]
    assert "line one\nline two =1+1" in cells and "'@cmd" in cells
    assert any("sleep red" in c for c in cells)
    for fmt in ("csv", "md"):
        proc = run_cli(env, "audit", "--student", "20240101", "--format", fmt, db=school.path)
        assert proc.returncode == 0, proc.stderr
        assert "\x1b" not in proc.stdout and "\x07" not in proc.stdout
        assert "sleep red" in proc.stdout


def test_cli_is_for_administrators_only(school, env):
    proc = run_cli(env, "audit", "--as", "李建国", db=school.path)
    assert proc.returncode == 4
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    assert proc.stdout == ""
    proc = run_cli(env, "audit", "--as", "曾老师", db=school.path)
    assert proc.returncode == 4
    proc = run_cli(env, "audit", db=school.path, pin="0000")
    assert proc.returncode == 4 and proc.stdout == ""


@pytest.mark.parametrize("args, status, words", [
    (("--since", "soon"), 2, "Invalid --since"),
    (("--since", "11-20", "--until", "11-01"), 2, "before the start"),
    (("--format", "xlsx"), 2, "-o FILE.xlsx"),
    (("--staff", "nobody"), 1, "Invalid --staff"),
    (("--student", "no such pupil"), 1, "No student matches"),
])
def test_cli_errors_are_one_line(school, env, args, status, words):
    proc = run_cli(env, "audit", *args, db=school.path)
    assert proc.returncode == status, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("bangfu: ") and words in lines[0]


def test_cli_in_chinese(school, env):
    env = dict(env, LANG="zh_CN.UTF-8")
    proc = run_cli(env, "audit", "--student", "20240101", db=school.path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("# 审计日志") and "新增" in proc.stdout


# -- the screen -------------------------------------------------------------------------------

async def open_audit(pilot):
    await sign_in(pilot, "wangfang")
    pilot.app.action_audit()
    await settle(pilot)
    return pilot.app.screen


async def test_screen_lists_the_log_newest_first(school):
    from screens.audit import AuditScreen

    amend(school, school.teacher, agreed="Seen on screen")
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_audit(pilot)
        assert isinstance(screen, AuditScreen)
        first = screen.rows[0]
        assert first.table == "contact" and first.action == "update"
        assert "Seen on screen" in screen.table.rows[0][-1]
        assert screen.table.rows[0][1] == "王芳"
        assert screen.focused is screen.table
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, AuditScreen)


async def test_screen_filters_by_student_and_person(school):
    amend(school, school.teacher, agreed="about zhang")
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_audit(pilot)
        everything = len(screen.rows)
        await pilot.press("slash")
        assert screen.focused.id == "audit-staff"
        await pilot.press(*"wangfang", "tab", *"20240101", "enter")
        await settle(pilot)
        assert 0 < len(screen.rows) < everything
        assert [r.table for r in screen.rows] == ["contact"]
        assert screen.chosen.student_no == "20240101"
        assert screen.focused is screen.table  # on to the list


async def test_screen_names_a_bad_date_under_the_filters(school):
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_audit(pilot)
        shown = list(screen.rows)
        screen.query_one("#audit-since").focus()
        await pilot.press(*"soon", "enter")
        await settle(pilot)
        error = str(screen.query_one("#audit-error").render())
        assert "From" in error and "Not a date" in error
        assert screen.focused.id == "audit-since"
        assert screen.query_one("#audit-since").has_class("invalid")
        assert screen.rows == shown  # nothing changed
        await pilot.press("ctrl+a", "ctrl+k", *"11-01", "enter")
        await settle(pilot)
        assert str(screen.query_one("#audit-error").render()) == ""


async def test_enter_shows_one_row_in_full(school):
    from screens.audit import AuditDetailScreen

    amend(school, school.teacher, agreed="Full text here")
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_audit(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AuditDetailScreen)
        text = " ".join(str(w.render()) for w in app.screen.query("Static"))
        assert "Check homework daily" in text and "Full text here" in text
        assert "cannot be changed" in text
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, AuditDetailScreen)


async def test_export_keys_write_every_matching_row(school, tmp_path):
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_audit(pilot)
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        files = sorted((tmp_path / "exports").iterdir())
        assert [f.suffix for f in files] == [".csv", ".xlsx"]
        table = list(csv.reader(io.StringIO(files[0].read_text(encoding="utf-8-sig"))))
        assert table[0] == ["Audit log"]
        assert {int(r[0]) for r in table[3:]} == {r.id for r in screen.rows}
        assert any("Audit log written" in str(n.message) for n in app._notifications)
        assert not screen.busy


async def test_only_administrators_open_it(school):
    from screens.audit import AuditScreen

    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "lijianguo")
        names = [c.title for c in app.get_system_commands(app.screen)]
        assert "Audit log" not in names
        app.action_audit()
        await settle(pilot)
        assert not isinstance(app.screen, AuditScreen)
        assert any("Only administrators" in str(n.message) for n in app._notifications)


async def test_the_palette_offers_it_to_administrators(school):
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "wangfang")
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        assert "Audit log" in commands
        commands["Audit log"].callback()
        await settle(pilot)
        from screens.audit import AuditScreen

        assert isinstance(app.screen, AuditScreen)


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_footer_fits_80_columns(school, lang):
    i18n.set_language(lang)
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_audit(pilot)
        footer = screen.query_one("KeyFooter")
        keys = footer._keys_text()
        assert keys.cell_len + footer._palette_text().cell_len <= 80, keys.plain
        for name in ("key.audit_detail", "key.export_xlsx", "key.export_csv", "key.back"):
            assert i18n.t(name) in keys.plain
