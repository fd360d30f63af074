"""Writes on a shared file: retries when busy, nothing lost with several writers."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from peewee import OperationalError

from db.store.connection import with_retry
from db.models import Contact
from tests.pg import ON_SERVER

ROOT = Path(__file__).resolve().parent.parent


def test_busy_errors_are_retried_with_growing_waits():
    calls, waits, told = [], [], []

    def flaky():
        calls.append(1)
        if len(calls) < 4:
            raise OperationalError("database is locked")
        return "done"

    result = with_retry(flaky, base_delay=0.01, sleep=waits.append,
                        on_retry=lambda attempt, delay: told.append(attempt))
    assert result == "done"
    assert told == [1, 2, 3]
    assert len(waits) == 3 and waits[2] > waits[0]  # back-off (with jitter)


def test_other_errors_and_the_last_busy_error_are_raised():
    def broken():
        raise OperationalError("no such table: contact")

    with pytest.raises(OperationalError, match="no such table"):
        with_retry(broken, sleep=lambda s: None)

    def always_busy():
        raise OperationalError("database is locked")

    with pytest.raises(OperationalError, match="locked"):
        with_retry(always_busy, attempts=3, sleep=lambda s: None)


WRITER = """
import sys
sys.path.insert(0, {root!r})
from db.store.connection import open_database
from db.contacts import ContactInput, save_contact, validate
from db.staff import find_staff
open_database({path!r})
actor = find_staff("王芳")[0]
for i in range(25):
    entry = validate(ContactInput(case_id={case_id}, discussed=f"writer {{sys.argv[1]}} #{{i}}"))
    save_contact(actor, entry)
    save_contact(actor, entry)  # a retry of the same entry writes nothing new
"""


def test_four_writers_at_once_lose_nothing_and_duplicate_nothing(school):
    code = textwrap.dedent(WRITER).format(root=str(ROOT), path=str(school.path),
                                          case_id=school.cases["张伟"].id)
    procs = [subprocess.Popen([sys.executable, "-c", code, str(n)],
                              env={"BANGFU_TODAY": "2026-11-20", "PATH": "/usr/bin:/bin"},
                              stderr=subprocess.PIPE, text=True) for n in range(4)]
    for p in procs:
        assert p.wait(timeout=120) == 0, p.stderr.read()
    texts = [c.discussed for c in Contact.select().where(Contact.discussed.startswith("writer"))]
    assert len(texts) == 100 and len(set(texts)) == 100
    assert Contact.select().count() == 101
    from db.models import database

    if not ON_SERVER:  # (the server checks its own pages)
        assert database.execute_sql("PRAGMA integrity_check").fetchone()[0] == "ok"
