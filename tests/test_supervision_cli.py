"""``bangfu report supervision`` and ``bangfu supervision``: the files say what
``db.supervision.supervision`` says; only coordinators and administrators."""

from __future__ import annotations

import csv
import io

from db.models import AuditLog, Staff
from db.supervision import Rubric, load_rubric, supervision
from db.workflow import load_rules
from tests.conftest import TODAY
from tests.helpers import cli_env, run_cli
from tests.test_supervision import ward  # noqa: F401  (the hand-checked school)
from tui.report_supervision import render_csv, render_markdown, supervision_tables


def report_now(school):
    return supervision(TODAY, reader=Staff.get_by_id(school.teacher.id), month="2026-10")


def test_markdown_and_csv_agree_with_supervision(ward, tmp_path):  # noqa: F811
    school, lead, tutor, idle, case = ward
    env = cli_env(tmp_path)
    md = run_cli(env, "report", "supervision", "--month", "2026-10", "--format", "md",
                 db=school.path)
    assert md.returncode == 0, md.stderr
    report = report_now(school)
    assert md.stdout == render_markdown(report, load_rules())
    # the hand-checked figures (tests.test_supervision): the lead 40 of 40, 100;
    # the tutor 0 of 20, 0, in the notice
    lines = md.stdout.splitlines()
    led = next(line for line in lines if line.startswith("| 陈老师 |"))
    cells = [c.strip() for c in led.strip("|").split("|")]
    assert cells[3:13] == ["1", "2/2", "5", "5", "2/2", "0", "40", "40", "0", "100"]
    tut = next(line for line in lines if line.startswith("| 刘老师 |"))
    cells = [c.strip() for c in tut.strip("|").split("|")]
    assert cells[3:13] == ["1", "0/1", "0", "0", "0/0", "0", "0", "20", "0", "0"]
    notice = md.stdout.split("## The month's notice")[1].split("##")[0]
    assert "刘老师" in notice and "陈老师" not in notice

    out = tmp_path / "sup.csv"
    written = run_cli(env, "report", "supervision", "--month", "2026-10", "-o", out,
                      db=school.path)
    assert written.returncode == 0, written.stderr
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert rows == list(csv.reader(io.StringIO(render_csv(report, load_rules()))))
    tutor_row = next(r for r in rows if r and r[0] == "刘老师")
    assert tutor_row[4] == "0/1" and tutor_row[12] == "0"
    # each report that left bangfu is in the audit log
    exports = list(AuditLog.select().where(AuditLog.action == "export",
                                           AuditLog.table_name == "supervision_note"))
    assert [e.row_id for e in exports] == ["2026-10", "2026-10"]
    assert "print" in exports[0].changes and "file" in exports[1].changes


def test_xlsx_agrees(ward, tmp_path):  # noqa: F811
    from openpyxl import load_workbook

    school, lead, tutor, idle, case = ward
    out = tmp_path / "sup.xlsx"
    done = run_cli(cli_env(tmp_path), "report", "supervision", "--month", "2026-10",
                   "--format", "xlsx", "-o", out, db=school.path)
    assert done.returncode == 0, done.stderr
    book = load_workbook(out)
    sheet = book["Helpers"]
    values = [list(row) for row in sheet.iter_rows(min_row=3, values_only=True)]
    expected = next(t for t in supervision_tables(report_now(school), load_rules())
                    if t.key == "helpers")
    assert values == [[v for v in row] for row in expected.rows]
    by_name = {row[0]: row for row in values}
    assert (by_name["陈老师"][12], by_name["刘老师"][12], by_name["孙老师"][12]) == (100, 0, None)
    assert "Grades" in book.sheetnames and "Flags" in book.sheetnames
    # xlsx needs a file
    bare = run_cli(cli_env(tmp_path), "report", "supervision", "--format", "xlsx",
                   db=school.path)
    assert bare.returncode == 2 and "-o" in bare.stderr


def test_period_and_bad_month(ward, tmp_path):  # noqa: F811
    school, *_ = ward
    env = cli_env(tmp_path)
    half = run_cli(env, "report", "supervision", "--period", "half_month", db=school.path)
    assert half.returncode == 0, half.stderr
    assert "2026-11-16 to 2026-11-20" in half.stdout
    bad = run_cli(env, "report", "supervision", "--month", "2026-13", db=school.path)
    assert bad.returncode == 2 and "YYYY-MM" in bad.stderr and "Traceback" not in bad.stderr
    wrong = run_cli(env, "report", "weekly", "--month", "2026-10", db=school.path)
    assert wrong.returncode == 2 and "supervision" in wrong.stderr


def test_teacher_refused(ward, tmp_path):  # noqa: F811
    school, *_ = ward
    env = cli_env(tmp_path)
    for args in (("report", "supervision"), ("supervision", "rubric"),
                 ("supervision", "adjust", "刘老师", "--month", "2026-10", "--points", "5")):
        refused = run_cli(env, *args, "--as", "李建国", db=school.path)
        assert refused.returncode == 4, refused.stderr
        assert "Traceback" not in refused.stderr and refused.stderr.strip()
    assert not AuditLog.select().where(AuditLog.table_name == "supervision_note").exists()


def test_adjust_and_rubric(ward, tmp_path):  # noqa: F811
    school, lead, tutor, idle, case = ward
    env = cli_env(tmp_path)
    adjusted = run_cli(env, "supervision", "adjust", "刘老师", "--month", "2026-10",
                       "--points", "15", "--note", "已谈话", db=school.path)
    assert adjusted.returncode == 0, adjusted.stderr
    tut = next(h for h in report_now(school).helpers if h.staff_id == tutor.id)
    assert (tut.adjustment, tut.note, tut.score) == (15, "已谈话", 15)
    too_much = run_cli(env, "supervision", "adjust", "刘老师", "--month", "2026-10",
                       "--points", "150", db=school.path)
    assert too_much.returncode == 2 and "-100" in too_much.stderr
    shown = run_cli(env, "supervision", "rubric", db=school.path)
    assert shown.returncode == 0 and "--rule-met" in shown.stdout
    changed = run_cli(env, "supervision", "rubric", "--rule-met", "20", "--threshold", "50",
                      db=school.path)
    assert changed.returncode == 0, changed.stderr
    assert load_rubric() == Rubric(rule_met=20, threshold=50)
    bad = run_cli(env, "supervision", "rubric", "--threshold", "101", db=school.path)
    assert bad.returncode == 2 and load_rubric().threshold == 50


def test_rules_roles(ward, tmp_path):  # noqa: F811
    school, *_ = ward
    env = cli_env(tmp_path)
    done = run_cli(env, "rules", "set", "family", "--roles", "lead,tutor", db=school.path)
    assert done.returncode == 0, done.stderr
    assert load_rules()[1].roles == "lead,tutor" and load_rules()[1].every_days == 30
    assert "Tutor" in done.stdout or "tutor" in done.stdout.lower()
    bad = run_cli(env, "rules", "set", "family", "--roles", "lead,boss", db=school.path)
    assert bad.returncode == 2 and "lead, tutor" in bad.stderr
    assert load_rules()[1].roles == "lead,tutor"
