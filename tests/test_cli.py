"""The ``bangfu`` command run as a real process against the small school."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from db.models import AuditLog, Contact, Student
from tests.helpers import cli_env, run_cli

ROOT = Path(__file__).resolve().parent.parent
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


@pytest.fixture
def env(tmp_path, local_state):
    """A clean environment: no user config, no BANGFU_* from the caller, English."""
    return cli_env(tmp_path, local_state)


run = run_cli


def assert_one_line_error(proc):
    assert proc.returncode != 0, proc.stdout
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("bangfu: ")
    return lines[0]


def contact_count() -> int:
    return Contact.select().count()


def names_in(stdout: str) -> list[str]:
    """The first column of each table row (the header and the count line dropped)."""
    lines = [ln for ln in stdout.splitlines() if ln.strip()]
    return [ln.split()[0] for ln in lines[1:-1]]


# --- find -------------------------------------------------------------------

def test_find_initials_lists_matching_students(school, env):
    proc = run(env, "find", "zw", db=school.path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert names_in(proc.stdout) == ["张伟", "赵薇", "周文"]
    header = proc.stdout.splitlines()[0]
    for col in ("Name", "Class", "Status", "Lead", "Last contact", "Days"):
        assert col in header
    # 张伟's last contact and days since (pinned today 2026-11-20)
    zhang = next(ln for ln in proc.stdout.splitlines() if ln.startswith("张伟"))
    assert "11-02" in zhang and "WeChat" in zhang and " 18 " in zhang
    assert "20240101" in zhang and "王芳" in zhang
    assert proc.stdout.strip().splitlines()[-1] == "Students found: 3"


@pytest.mark.parametrize("query", ["曾", "ceng", "zeng", "zxm", "cxm"])
def test_find_polyphonic_surname(school, env, query):
    proc = run(env, "find", query, db=school.path)
    assert proc.returncode == 0, proc.stderr
    assert names_in(proc.stdout) == ["曾小明"]


def test_find_by_student_number(school, env):
    proc = run(env, "find", "20240101", db=school.path)
    assert proc.returncode == 0, proc.stderr
    assert names_in(proc.stdout) == ["张伟"]


def test_find_without_match_exits_non_zero(school, env):
    proc = run(env, "find", "xyzzy", db=school.path)
    line = assert_one_line_error(proc)
    assert "xyzzy" in line


def test_find_in_chinese_prints_chinese_headers(school, env):
    proc = run(env, "--lang", "zh", "find", "zw", db=school.path)
    assert proc.returncode == 0, proc.stderr
    header = proc.stdout.splitlines()[0]
    for col in ("姓名", "班级", "状态", "负责人", "最近联系", "天数"):
        assert col in header
    assert "Name" not in header
    assert "帮扶中" in proc.stdout  # status label in Chinese
    assert "共 3 名学生" in proc.stdout


def test_find_markup_name_printed_literally(school, env):
    proc = run(env, "find", "20240106", db=school.path)
    assert proc.returncode == 0, proc.stderr
    assert "[bold]王[/" in proc.stdout
    assert "\x1b" not in proc.stdout


def test_find_escape_sequences_in_names_are_not_printed(school, env):
    Student.update(name="\x1b]0;pwned\x07李\x1b[2J四\x9b31m\x07").where(
        Student.student_no == "20240105").execute()
    proc = run(env, "find", "20240105", db=school.path)
    assert proc.returncode == 0, proc.stderr
    assert "\x1b" not in proc.stdout and "\x9b" not in proc.stdout and "\x07" not in proc.stdout
    assert "pwned" not in proc.stdout
    assert "李四" in proc.stdout


# --- show -------------------------------------------------------------------

def test_show_prints_case_summary_and_latest_contact(school, env):
    proc = run(env, "show", "20240101", db=school.path)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "张伟" in out and "七年级(1)班" in out and "20240101" in out
    assert "Status: active" in out and "Lead: 王芳" in out
    assert "2026-2027 第一学期" in out
    assert "作业经常不交" in out and "每周两次面批" in out
    assert "study habits" in out and "parents working away" in out
    assert "Latest contacts" in out
    contact = next(ln for ln in out.splitlines() if ln.startswith("2026-11-02 16:00"))
    assert "family/WeChat" in contact and "王芳" in contact
    # markup printed literally, escape sequences removed
    assert "Talked about homework [/] and sleep red" in contact
    assert "\x1b" not in out


def test_show_markup_student_by_number(school, env):
    proc = run(env, "show", "20240106", db=school.path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[0].startswith("[bold]王[/ · 八年级(2)班")
    assert "Lead: 李建国" in proc.stdout


def test_show_student_without_case(school, env):
    proc = run(env, "show", "单田芳", db=school.path)
    assert proc.returncode == 0, proc.stderr
    assert "no case is open" in proc.stdout
    assert "Latest contacts" not in proc.stdout


def test_show_escape_sequences_in_contact_text_are_not_printed(school, env):
    Contact.update(discussed="ok\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\ \x1b[1;1H\x1b[2Jdone"
                   ).execute()
    proc = run(env, "show", "20240101", db=school.path)
    assert proc.returncode == 0, proc.stderr
    assert "\x1b" not in proc.stdout
    assert "evil" not in proc.stdout
    assert "oklink done" in proc.stdout


def test_show_ambiguous_query_is_one_line_error(school, env):
    proc = run(env, "show", "zw", db=school.path)
    line = assert_one_line_error(proc)
    assert "20240101" in line and "20240102" in line  # candidates to choose from
    assert proc.stdout == ""


def test_show_unknown_student(school, env):
    proc = run(env, "show", "nobody", db=school.path)
    line = assert_one_line_error(proc)
    assert "nobody" in line


# --- log --------------------------------------------------------------------

def test_log_prints_uuid_and_writes_the_row(school, env):
    before = contact_count()
    proc = run(env, "log", "张伟", "--kind", "family", "--channel", "p",
               "--text", "Phoned about the test", "--as", "王芳", db=school.path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    uuid = proc.stdout.strip()
    assert UUID_RE.match(uuid), proc.stdout
    assert contact_count() == before + 1
    row = Contact.get(Contact.uuid == uuid)
    assert row.author.name == "王芳"
    assert row.kind == "family" and row.channel == "phone"
    assert row.discussed == "Phoned about the test"
    assert row.case_id == school.cases["张伟"].id
    assert row.occurred_at.date().isoformat() == "2026-11-20"
    audit = AuditLog.select().where((AuditLog.table_name == "contact")
                                    & (AuditLog.row_id == str(row.id)))
    assert audit.count() == 1 and audit.get().staff_name == "王芳"


def test_log_as_pinyin_and_letters_for_kind(school, env):
    proc = run(env, "log", "20240103", "--kind", "s", "--channel", "h", "--date", "-1",
               "--time", "16:30", "--duration", "20", "--text", "家访", "--as", "wangfang",
               db=school.path)
    assert proc.returncode == 0, proc.stderr
    row = Contact.get(Contact.uuid == proc.stdout.strip())
    assert (row.kind, row.channel, row.duration_min) == ("student", "home_visit", 20)
    assert row.occurred_at.isoformat() == "2026-11-19T16:30:00"
    assert row.case_id == school.cases["曾小明"].id


def test_log_user_from_environment(school, env):
    env["BANGFU_USER"] = "李建国"
    proc = run(env, "log", "20240102", "--text", "hello", db=school.path)
    assert proc.returncode == 0, proc.stderr
    assert Contact.get(Contact.uuid == proc.stdout.strip()).author.name == "李建国"


def test_log_same_uuid_twice_writes_one_row(school, env):
    uuid = "11111111-2222-4333-8444-555555555555"
    before = contact_count()
    args = ("log", "20240101", "--text", "retry me", "--as", "王芳", "--uuid", uuid)
    first = run(env, *args, db=school.path)
    second = run(env, *args, db=school.path)
    assert first.returncode == 0, first.stderr
    assert second.returncode == 0, second.stderr
    assert first.stdout.strip() == second.stdout.strip() == uuid
    assert contact_count() == before + 1
    assert Contact.select().where(Contact.uuid == uuid).count() == 1
    assert AuditLog.select().where(AuditLog.table_name == "contact").count() == 1


@pytest.mark.parametrize("date", ["13-45", "2026-02-30", "abc", "+3"])
def test_log_invalid_date_writes_nothing(school, env, date):
    before = contact_count()
    proc = run(env, "log", "20240101", "--text", "x", "--as", "王芳", "--date", date,
               db=school.path)
    line = assert_one_line_error(proc)
    assert "date" in line.lower()
    assert proc.stdout == ""
    assert contact_count() == before


def test_log_too_long_agreed_names_the_field(school, env):
    before = contact_count()
    proc = run(env, "log", "20240101", "--text", "x", "--agreed", "y" * 4001, "--as", "王芳",
               db=school.path)
    line = assert_one_line_error(proc)
    assert "cli.field" not in line, line  # a raw catalog key reached the user
    assert contact_count() == before


def test_log_too_long_participants_states_the_real_limit(school, env):
    before = contact_count()
    proc = run(env, "log", "20240101", "--text", "x", "--participants", "y" * 201,
               "--as", "王芳", db=school.path)
    line = assert_one_line_error(proc)
    assert "participants" in line
    # participants are limited to 200 characters (db.contacts.MAX_LINE), not 4,000
    assert "4,000" not in line and "200" in line, line
    assert contact_count() == before


def test_log_unknown_student(school, env):
    before = contact_count()
    proc = run(env, "log", "nobody", "--text", "x", "--as", "王芳", db=school.path)
    line = assert_one_line_error(proc)
    assert "nobody" in line
    assert contact_count() == before


def test_log_ambiguous_student(school, env):
    before = contact_count()
    proc = run(env, "log", "zw", "--text", "x", "--as", "王芳", db=school.path)
    assert_one_line_error(proc)
    assert contact_count() == before


def test_log_student_without_case(school, env):
    before = contact_count()
    proc = run(env, "log", "单田芳", "--text", "x", "--as", "王芳", db=school.path)
    line = assert_one_line_error(proc)
    assert "单田芳" in line and "20240104" in line
    assert contact_count() == before


def test_log_unknown_staff(school, env):
    before = contact_count()
    proc = run(env, "log", "20240101", "--text", "x", "--as", "nobody", db=school.path)
    line = assert_one_line_error(proc)
    assert "nobody" in line
    assert contact_count() == before


def test_log_without_as_and_without_bangfu_user(school, env):
    before = contact_count()
    env = {k: v for k, v in env.items() if k != "BANGFU_USER"}
    proc = run(env, "log", "20240101", "--text", "x", db=school.path)
    line = assert_one_line_error(proc)
    assert "--as" in line and "BANGFU_USER" in line
    assert contact_count() == before


# --- the database file ------------------------------------------------------

def test_missing_database_is_not_created(tmp_path, env):
    path = tmp_path / "share" / "nope.db"
    proc = run(env, "find", "zw", db=path)
    line = assert_one_line_error(proc)
    assert str(path) in line
    assert not path.exists()
    assert not path.parent.exists()


@pytest.mark.parametrize("content", [b"garbage " * 64, bytes(range(256)) * 20],
                         ids=["text", "binary"])
def test_corrupt_database_file(tmp_path, env, content):
    path = tmp_path / "corrupt.db"
    path.write_bytes(content)
    proc = run(env, "find", "zw", db=path)
    line = assert_one_line_error(proc)
    assert path.read_bytes() == content  # untouched
    # says which file cannot be used (like the missing-file message does)
    assert str(path) in line, line


def test_init_with_db_after_the_subcommand(tmp_path, env):
    path = tmp_path / "new.db"
    proc = run(env, "init", "--db", path)  # the form the missing-db message suggests
    assert proc.returncode == 0, proc.stderr
    assert path.exists()
    assert str(path) in proc.stdout
    with sqlite3.connect(path) as conn:
        tables = {r[0] for r in conn.execute("select name from sqlite_master where type='table'")}
    assert {"student", "contact", "case_file", "schema_migration"} <= tables


def test_init_with_db_before_the_subcommand(tmp_path, env):
    path = tmp_path / "sub" / "new.db"
    proc = run(env, "--db", path, "init")
    assert proc.returncode == 0, proc.stderr
    assert path.exists()
    with sqlite3.connect(path) as conn:
        applied = [r[0] for r in conn.execute("select name from schema_migration")]
    migrations = sorted(p.stem for p in (ROOT / "db" / "migrations").glob("[0-9]*.py"))
    assert sorted(applied) == migrations
    assert f"schema version {len(migrations)}" in proc.stdout


def test_init_twice_keeps_the_data(school, env):
    proc = run(env, "init", db=school.path)
    assert proc.returncode == 0, proc.stderr
    assert Student.select().count() == 7


# --- imports: the look-ups stay light ----------------------------------------

PROBE = """
import sys
from tui.cli import main
rc = main(sys.argv[1:])
mods = list(sys.modules)
print("RC", rc)
print("TEXTUAL", any(m == "textual" or m.startswith("textual.") for m in mods))
print("PYPINYIN", any(m == "pypinyin" or m.startswith("pypinyin.") for m in mods))
"""


def probe(env, *args):
    proc = subprocess.run([sys.executable, "-c", PROBE, *map(str, args)], capture_output=True, input="1234\n",
                          text=True, encoding="utf-8", env=env, cwd=ROOT, timeout=60)
    assert proc.returncode == 0, proc.stderr
    tail = dict(line.split(" ", 1) for line in proc.stdout.strip().splitlines()[-3:])
    assert tail["RC"] == "0", proc.stdout + proc.stderr
    return tail


@pytest.mark.parametrize("args", [("find", "zw"), ("show", "20240101")])
def test_lookups_import_neither_textual_nor_pypinyin(school, env, args):
    tail = probe(env, "--db", school.path, *args)
    assert tail["TEXTUAL"] == "False"
    assert tail["PYPINYIN"] == "False"


def test_log_does_not_import_textual(school, env):
    tail = probe(env, "--db", school.path, "log", "20240101", "--text", "x", "--as", "王芳")
    assert tail["TEXTUAL"] == "False"


@pytest.mark.parametrize("args", [("log", "20240101"), ("fnd", "x"), ("find",),
                                  ("log", "20240101", "--text", "x", "--bogus")])
def test_usage_errors_are_one_line_too(env, school, args):
    before = contact_count()
    proc = run(env, *args, db=school.path)
    assert proc.returncode == 2
    assert_one_line_error(proc)
    assert contact_count() == before


def test_version_is_the_projects(tmp_path):
    import tomllib

    from tests.helpers import ROOT

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    done = run_cli(cli_env(tmp_path), "--version", pin=None)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"bangfu {project['version']}"
