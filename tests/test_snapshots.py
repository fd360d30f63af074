"""Snapshots of every screen at 80x24, in English and in Chinese.

Update after an intended change with ``pytest tests/test_snapshots.py --snapshot-update``
and look at the SVGs before committing them.
"""

from __future__ import annotations

import pytest

from tests.helpers import make_app, settle, sign_in

SIZE = (80, 24)


def test_sign_in(snap_compare, school, lang):
    async def before(pilot):
        await settle(pilot)

    assert snap_compare(make_app(school.path), terminal_size=SIZE, run_before=before)


def test_roster_search(snap_compare, school, lang):
    async def before(pilot):
        await sign_in(pilot, "wangfang")
        await pilot.press("z")
        await settle(pilot)

    assert snap_compare(make_app(school.path), terminal_size=SIZE, run_before=before)


def test_case_detail(snap_compare, school, lang):
    async def before(pilot):
        await sign_in(pilot, "wangfang")
        await pilot.press(*"20240101", "enter")
        await settle(pilot)

    assert snap_compare(make_app(school.path), terminal_size=SIZE, run_before=before)


def test_case_file_tab(snap_compare, school, lang):
    async def before(pilot):
        await sign_in(pilot, "wangfang")
        await pilot.press(*"20240101", "enter")
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)

    assert snap_compare(make_app(school.path), terminal_size=SIZE, run_before=before)


def test_contact_form_with_errors(snap_compare, school, lang):
    async def before(pilot):
        await sign_in(pilot, "wangfang")
        await pilot.press(*"20240101", "enter")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        pilot.app.screen.query_one("#date").focus()
        await pilot.press("ctrl+a", "ctrl+k", *"13-45")
        await pilot.press("ctrl+s")
        await settle(pilot)

    assert snap_compare(make_app(school.path), terminal_size=SIZE, run_before=before)


def test_case_edit(snap_compare, school, lang):
    async def before(pilot):
        await sign_in(pilot, "wangfang")
        await pilot.press(*"20240101", "enter")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)

    assert snap_compare(make_app(school.path), terminal_size=SIZE, run_before=before)


def test_discard_question(snap_compare, school, lang):
    async def before(pilot):
        await sign_in(pilot, "wangfang")
        await pilot.press("ctrl+n")
        await settle(pilot)
        pilot.app.screen.query_one("#discussed").focus()  # (the form opens on the date)
        await pilot.press(*"half a note", "escape")
        await settle(pilot)

    assert snap_compare(make_app(school.path), terminal_size=SIZE, run_before=before)


def test_drafts_offer(snap_compare, school, lang):
    """After a crash the same person is offered the unsaved form at sign-in."""
    from db.store.local import save_draft

    save_draft(school.path, school.teacher.id, "contact", "5f0c6c56-0000-4000-8000-000000000001",
               "张伟 · 七年级(1)班 · 20240101",
               {"student": school.students["张伟"].id, "discussed": "电话沟通作业情况"})

    async def before(pilot):
        await sign_in(pilot, "wangfang")
        await settle(pilot)

    assert snap_compare(make_app(school.path), terminal_size=SIZE, run_before=before)


def test_contact_saved_to_outbox(snap_compare, school, lang, monkeypatch):
    """The share is gone: the entry waits in the outbox, the header counts it."""
    from peewee import OperationalError

    import db.contacts

    def unreachable(actor, entry):
        raise OperationalError("disk I/O error")

    async def before(pilot):
        await sign_in(pilot, "wangfang")
        await pilot.press(*"20240101", "enter")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        pilot.app.screen.query_one("#discussed").focus()  # (the form opens on the date)
        await pilot.press(*"call")
        monkeypatch.setattr(db.contacts, "_insert", unreachable)
        await pilot.press("ctrl+s")
        await settle(pilot)
        pilot.app.clear_notifications()
        await pilot.pause()

    assert snap_compare(make_app(school.path), terminal_size=SIZE, run_before=before)


@pytest.mark.file_only
def test_stale_lock_question(snap_compare, school, lang):
    """A dot-file lock three minutes old: the app asks before removing it."""
    import os
    import time

    from db.config import Settings
    from db.store.connection import set_stored_locking
    from db.store.lock import lock_dir
    from db.models import database
    from tui.app import BangfuApp

    set_stored_locking(database.obj, "dotfile")  # a file of dot-file locking, as the app's
    settings = Settings(db_path=school.path, db_source="--db", lang=lang, lang_source="test",
                        user="", locking="dotfile", locking_source="test")
    app = BangfuApp(settings=settings, database=database.obj)

    async def before(pilot):
        await sign_in(pilot, "wangfang")
        lock_dir(school.path).mkdir()
        old = time.time() - 185
        os.utime(lock_dir(school.path), (old, old))
        pilot.app.check_stale_lock()
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=before)


def test_my_caseload(snap_compare, school, lang):
    """The home screen after sign-in: what 王芳 owes, most urgent first, the list focused."""
    import datetime as dt

    from db.models import Case, Contact

    case = school.cases["张伟"]
    Case.update(opened_on=dt.date(2026, 9, 1)).where(Case.id == case.id).execute()
    Contact.update(occurred_at=dt.datetime(2026, 10, 1, 16, 0)).where(Contact.case == case.id).execute()

    async def before(pilot):
        await sign_in(pilot, "wangfang")
        await pilot.press("shift+tab")
        await settle(pilot)

    assert snap_compare(make_app(school.path), terminal_size=SIZE, run_before=before)


def test_leaders_overview(snap_compare, school, lang):
    """F3 from the home screen: this week's shares per class, the overdue count."""
    import datetime as dt

    from db.models import Case

    Case.update(opened_on=dt.date(2026, 9, 1)).where(Case.id == school.cases["张伟"].id).execute()

    async def before(pilot):
        await sign_in(pilot, "wangfang")
        await pilot.press("f3")
        await settle(pilot)
        await pilot.press("p")  # this month: 张伟's family contact of 2 November
        await settle(pilot)

    assert snap_compare(make_app(school.path), terminal_size=SIZE, run_before=before)


def test_rules_screen(snap_compare, school, lang):
    """u in the leaders' overview: the school's rules, one of its own among them,
    and the form for adding one more (kind and channel by letter, the interval)."""
    from db.rules import add_rule
    from db.workflow import Rule

    add_rule(school.teacher, Rule("family_home_visit", "family", "home_visit", per_term=True))

    async def before(pilot):
        await sign_in(pilot, "wangfang")
        await pilot.press("f3")
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        await pilot.press("a", "s", "tab", "f", "tab", *"14")
        await settle(pilot)

    assert snap_compare(make_app(school.path), terminal_size=SIZE, run_before=before)


def test_progress_tab(snap_compare, school, lang):
    import datetime as dt

    from db.checkins import save_checkins
    from db.scores import load_dimensions
    from tests.test_progress import hand_checked

    hand_checked(school)
    zeng = school.students["曾小明"].id
    save_checkins(school.teacher, dt.date(2026, 10, 18), load_dimensions(),
                  {(zeng, "mood"): "2", (zeng, "confidence"): "2", (zeng, "note"): "不太说话"})
    save_checkins(school.teacher, dt.date(2026, 11, 18), load_dimensions(),
                  {(zeng, "mood"): "4", (zeng, "confidence"): "3", (zeng, "note"): "比上月开朗"})

    async def before(pilot):
        await sign_in(pilot, "wangfang")
        await pilot.press(*"20240103", "enter")
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)

    assert snap_compare(make_app(school.path), terminal_size=SIZE, run_before=before)


def test_score_grid(snap_compare, school, lang):
    from db.scores import save_scores, validate_sitting

    zhang = school.students["张伟"].id
    save_scores(school.teacher, validate_sitting("期中考试", "2026-11-10", "100", "语文,数学,英语"),
                {(zhang, "数学"): "72", (zhang, "语文"): "81.5"})

    async def before(pilot):
        await sign_in(pilot, "wangfang")
        await pilot.press("f5")
        await settle(pilot)
        await pilot.press(*"7-1", "tab", "ctrl+u", *"2026-11-10", "tab", *"期中考试", "enter")
        await settle(pilot)
        await pilot.press("down", "right", *"101", "ctrl+s")
        await settle(pilot)

    assert snap_compare(make_app(school.path), terminal_size=SIZE, run_before=before)


def test_report_screen(snap_compare, school, lang):
    from tests.test_progress import hand_checked

    hand_checked(school)

    async def before(pilot):
        await sign_in(pilot, "wangfang")
        await pilot.press("f7")
        await settle(pilot)

    assert snap_compare(make_app(school.path), terminal_size=SIZE, run_before=before)
