"""The term-start re-review carries a case forward (or closes it) in one pass."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from db import clock
from db.models import AuditLog, Case, Term, Transformation
from db.terms import TermError, add_term, to_review
from screens.case import CaseScreen
from screens.review import ReviewScreen
from tests.helpers import ROOT, cli_env, make_app, settle, sign_in
from tui.widgets import CaseloadList, TableList

SPRING = (dt.date(2027, 2, 20), dt.date(2027, 7, 10))


@pytest.fixture
def new_term(school):
    """The spring term has begun: 22 February 2027."""
    term = add_term(None, "2026-2027 第二学期", *SPRING)
    clock.set_today(dt.date(2027, 2, 22), dt.datetime(2027, 2, 22, 8, 0))
    return term


def test_adding_a_term_checks_its_dates(school):
    with pytest.raises(TermError, match="dates"):
        add_term(None, "x", SPRING[1], SPRING[0])
    with pytest.raises(TermError, match="overlap"):
        add_term(None, "x", dt.date(2027, 1, 1), dt.date(2027, 3, 1))
    term = add_term(None, "2026-2027 第二学期", *SPRING)
    assert (term.school_year, term.semester) == ("2026-2027", 2)


def test_my_cases_from_the_last_term_are_to_review(new_term, school):
    term, rows = to_review(school.teacher.id)
    assert term.id == new_term.id
    assert sorted(r.name for r in rows) == ["张伟", "曾小明"]


async def test_the_review_keeps_one_case_and_closes_another_in_one_pass(new_term, school):
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "wangfang")
        caseload = app.screen.query_one(CaseloadList)
        assert caseload.review == 2 and "F4" in caseload.summary()
        await pilot.press("f4")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        table = screen.query_one(TableList)
        assert [r[0] for r in table.rows] == ["张伟", "曾小明"]
        await pilot.press("enter")  # a look at the case first
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("k")  # 张伟: carried forward
        await settle(pilot)
        assert [r[0] for r in table.rows] == ["曾小明"]
        await pilot.press("t")  # 曾小明: proposed as transformed, with the reason asked
        await settle(pilot)
        from screens.transformation import TransformationScreen

        assert isinstance(app.screen, TransformationScreen)
        await pilot.press(*"Stable progress", "ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert table.rows == []
        await pilot.press("escape")
        await settle(pilot)
        assert caseload.review == 0
    zhang = Case.get_by_id(school.cases["张伟"].id)
    assert zhang.term_id == new_term.id and zhang.status == "active" and zhang.version == 2
    zeng = Case.get_by_id(school.cases["曾小明"].id)
    # kept in the new term and proposed: transformed once a coordinator confirms it
    assert zeng.term_id == new_term.id and zeng.status == "improving" and zeng.closed_on is None
    proposal = Transformation.get(Transformation.case == zeng.id)
    assert (proposal.status, proposal.reason) == ("proposed", "Stable progress")
    assert AuditLog.select().where(AuditLog.table_name == "case_file",
                                   AuditLog.action == "update").count() == 2
    # 李建国's cases were not his colleague's to review
    assert Case.get_by_id(school.cases["赵薇"].id).term_id != new_term.id


def test_bangfu_term_add_and_list(school, tmp_path):
    from db.store.connection import close_database

    close_database()
    env = cli_env(tmp_path)

    def run(*args):
        return subprocess.run([sys.executable, "-m", "tui.cli", "--db", str(school.path), *args],
                              capture_output=True, input="1234\n", text=True, env=env, cwd=ROOT, timeout=60)

    added = run("term", "add", "2026-2027 第二学期", "--start", "2027-02-20", "--end", "2027-07-10")
    assert added.returncode == 0, added.stderr
    listed = run("term", "list")
    assert "2027-02-20" in listed.stdout and "第二学期" in listed.stdout
    bad = run("term", "add", "again", "--start", "2027-03-01", "--end", "2027-04-01")
    assert bad.returncode == 2 and "overlaps" in bad.stderr
    assert Term.select().count() == 2
