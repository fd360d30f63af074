"""Recognitions (表彰): added by managers, listed to staff (a student they do not
see without a name), version-checked edits; by the db, the CLI and the keyboard."""

from __future__ import annotations

import datetime as dt

import pytest

from db.access import NotAllowed
from db.models import AuditLog, Recognition, Staff
from db.recognitions import (RecognitionConflict, RecognitionError, RecognitionInput,
                             add_recognition, delete_recognition, edit_recognition,
                             recognitions_in)
from db.staff import add_staff
from tests.helpers import cli_env, make_app, run_cli, settle, sign_in


def _add(school, **kw):
    data = RecognitionInput(**{"who": "student", "what": "进步之星", "given_on": "2026-11-10",
                               **kw})
    return add_recognition(school.teacher, data)


def test_managers_add_and_staff_read_without_names_they_do_not_see(school):
    zhang = school.students["张伟"].id  # 李建国 does not see 张伟; he sees 赵薇 (his case)
    zhao = school.students["赵薇"].id
    a = _add(school, student_id=zhang, given_by="学校")
    b = _add(school, who="family", student_id=zhao, what="优秀家长", given_on="2026-11-12")
    c = _add(school, who="staff", staff_id=school.other.id, what="优秀帮扶教师",
             given_on="2026-09-10")
    rows = recognitions_in(dt.date(2026, 11, 1), dt.date(2026, 11, 30), school.teacher)
    assert [(r.id, r.name, r.hidden) for r in rows] == [(b, "赵薇", False), (a, "张伟", False)]
    rows = recognitions_in(None, None, school.other)
    assert [(r.id, r.name, r.class_name, r.hidden) for r in rows] == [
        (b, "赵薇", "七年级(1)班", False), (a, "", "", True), (c, "李建国", "", False)]
    with pytest.raises(NotAllowed):
        add_recognition(school.other, RecognitionInput(who="staff", what="x",
                                                       staff_id=school.other.id))
    vol = add_staff(None, "志愿者", "volunteer")
    with pytest.raises(NotAllowed):
        recognitions_in(None, None, vol)
    assert AuditLog.select().where(AuditLog.table_name == "recognition").count() == 3


def test_bad_input_and_stale_edits_are_refused(school):
    with pytest.raises(RecognitionError) as bad:
        add_recognition(school.teacher, RecognitionInput(who="student", what=" ",
                                                         given_on="13-45"))
    assert bad.value.errors == {"what": "err.recog.what_required",
                                "given_on": "err.date.invalid",
                                "student": "err.recog.student_required"}
    rid = _add(school, student_id=school.students["张伟"].id)
    data = RecognitionInput(who="student", what="学习进步奖", given_on="2026-11-10",
                            student_id=school.students["张伟"].id)
    assert edit_recognition(school.teacher, rid, 1, data)
    with pytest.raises(RecognitionConflict):
        edit_recognition(school.teacher, rid, 1, data)
    with pytest.raises(RecognitionConflict):
        delete_recognition(school.teacher, rid, 1)
    assert Recognition.get_by_id(rid).what == "学习进步奖"
    delete_recognition(school.teacher, rid, 2)
    assert Recognition.select().count() == 0


def test_cli_lists_recognitions_in_a_range(school, tmp_path):
    _add(school, student_id=school.students["张伟"].id, what="进步之星")
    _add(school, who="staff", staff_id=school.other.id, what="优秀教师", given_on="2026-09-10")
    env = cli_env(tmp_path)
    done = run_cli(env, "recognitions", "--from", "2026-11-01", db=school.path)
    assert done.returncode == 0, done.stderr
    assert "进步之星" in done.stdout and "优秀教师" not in done.stdout
    done = run_cli(env, "recognitions", "--as", "李建国", db=school.path)
    assert "优秀教师" in done.stdout and "张伟" not in done.stdout
    assert "(a student you do not see)" in done.stdout
    bad = run_cli(env, "recognitions", "--from", "13-45", db=school.path)
    assert bad.returncode == 2 and "--from" in bad.stderr


async def test_a_recognition_is_added_by_keyboard(school):
    from screens.recognitions import RecognitionsScreen

    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "wangfang")
        app.push_screen(RecognitionsScreen())
        await settle(pilot)
        screen = app.screen
        await pilot.press("a", "f", "tab", *"20240101", "enter", *"Family of the month", "enter",
                          "enter", *"School")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert screen.table.rows == [["2026-11-20", "family", "张伟",
                                      "Family of the month · School"]]
    [row] = Recognition.select()
    assert (row.who, row.student_id, row.author_id) == (
        "family", school.students["张伟"].id, Staff.get(Staff.name == "王芳").id)
