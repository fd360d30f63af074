"""Issue 18, item 6: ``BANGFU_NOW`` / ``BANGFU_TODAY`` count only on a database
made by ``bangfu demo`` or by the tests (``bangfu_meta`` ``made_by``, written by
an audited write when it is made: ``db.clock.mark_database``); a school's own
database takes the real clock for audit rows, entries and lockouts."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from db import clock
from db.store.connection import close_database, open_database
from db.models import AuditLog, Case, Contact, Meta, Staff, Student, Term
from tests.helpers import cli_env, run_cli

STRONG = "73915046"


@pytest.fixture
def env(tmp_path, local_state):
    return cli_env(tmp_path, local_state)


def _dates_now() -> set[dt.date]:
    today = dt.date.today()
    return {today, today - dt.timedelta(days=1)}  # a run across midnight


def test_a_school_database_writes_audit_rows_dated_now_whatever_bangfu_now_says(tmp_path, env):
    path = tmp_path / "school.db"
    env.update(BANGFU_NOW="2020-01-01T08:00:00", BANGFU_TODAY="2020-01-01")
    assert run_cli(env, "init", db=path, pin=None).returncode == 0
    first = run_cli(env, "staff", "add", "Boss", db=path, pin=STRONG)
    assert first.returncode == 0, first.stderr
    added = run_cli(env, "staff", "add", "Li", "--role", "teacher", "--as", "Boss", db=path,
                    pin=f"{STRONG}\n2468")
    assert added.returncode == 0, added.stderr
    wrong = run_cli(env, "due", "--as", "Li", db=path, pin="0000")
    assert wrong.returncode == 4
    open_database(path)
    rows = list(AuditLog.select())
    assert {r.action for r in rows} >= {"insert", "sign_in_failed"}
    for row in rows:
        at = row.at if isinstance(row.at, dt.datetime) else dt.datetime.fromisoformat(row.at)
        assert at.date() in _dates_now(), (row.action, row.at)
    for person in Staff.select():
        assert person.created_at.date() in _dates_now()
    assert not Meta.select().where(Meta.key == "made_by").exists()
    assert clock.made_by() == "" and not clock.overrides_allowed()
    close_database()


def test_the_demo_still_takes_the_pinned_clock(tmp_path, env):
    path = tmp_path / "demo.db"
    built = run_cli(env, "demo", "--students", "40", db=path, pin=None)
    assert built.returncode == 0, built.stderr
    open_database(path)
    assert clock.made_by() == "demo" and clock.overrides_allowed()
    mark = AuditLog.get(AuditLog.table_name == "bangfu_meta", AuditLog.row_id == "made_by")
    assert mark.action == "insert" and json.loads(mark.changes) == {"made_by": "demo"}
    assert str(mark.at).startswith("2026-11-20 06:00")  # the demo's day (BANGFU_TODAY)
    assert max(c.occurred_at for c in Contact.select()).date() <= dt.date(2026, 11, 20)
    admin = Staff.get(Staff.role == "admin")
    today = dt.date(2026, 11, 20)
    number = (Student.select(Student.student_no).join(Case, on=Case.student == Student.id)
              .join(Term, on=Case.term == Term.id)
              .where(Term.start_date <= today, Term.end_date >= today, Case.status != "closed")
              .order_by(Student.id).scalar())
    close_database()
    env["BANGFU_NOW"] = "2026-11-20T16:05:00"
    logged = run_cli(env, "log", number, "--text", "pinned clock", "--as", admin.name, db=path)
    assert logged.returncode == 0, logged.stderr
    open_database(path)
    entry = Contact.get(Contact.discussed == "pinned clock")
    assert entry.created_at == dt.datetime(2026, 11, 20, 16, 5)
    row = AuditLog.select().where(AuditLog.table_name == "contact",
                                  AuditLog.row_id == str(entry.id)).get()
    assert str(row.at) == "2026-11-20 16:05:00"
    close_database()


def test_the_tests_mark_their_databases_once_by_an_audited_write(school):
    assert clock.made_by() == "test" and clock.overrides_allowed()
    [mark] = AuditLog.select().where(AuditLog.table_name == "bangfu_meta",
                                     AuditLog.row_id == "made_by")
    assert mark.action == "insert" and json.loads(mark.changes) == {"made_by": "test"}
    clock.mark_database("test")  # again: nothing new
    assert AuditLog.select().where(AuditLog.table_name == "bangfu_meta").count() == 1
    with pytest.raises(ValueError):
        clock.mark_database("demo")
    with pytest.raises(ValueError):
        clock.mark_database("school")


def test_no_database_bound_takes_no_override(monkeypatch):
    from db.models import database

    close_database()
    monkeypatch.setattr(database, "obj", None)
    monkeypatch.setenv("BANGFU_NOW", "2020-01-01T08:00:00")
    monkeypatch.setenv("BANGFU_TODAY", "2020-01-01")
    clock.set_today(None)
    assert not clock.overrides_allowed()
    assert clock.today() in _dates_now() | {dt.date.today()}
    assert clock.now().year != 2020
