"""Snapshots of families' feedback (the list, a new item, an item to answer)
and the recognitions, at 80x24 in English and in Chinese.

Update after an intended change with
``pytest tests/test_feedback_snapshots.py --snapshot-update -n0`` and look at
the SVGs before committing them.
"""

from __future__ import annotations

from db.feedback import answer_feedback, record_feedback
from db.recognitions import RecognitionInput, add_recognition
from tests.helpers import make_app, settle, sign_in

SIZE = (80, 24)


def _items(school) -> int:
    wang = school.teacher
    first = record_feedback(wang, student_id=school.students["赵薇"].id, kind="complaint",
                            channel="box", text="作业太多，孩子每天写到十一点", received="11-10")
    record_feedback(wang, student_id=None, kind="suggestion", channel="meeting",
                    text="希望多组织亲子活动", received="11-18")
    done = record_feedback(wang, student_id=school.students["张伟"].id, kind="question",
                           channel="phone", text="期中考试什么时候出成绩", received="11-02")
    answer_feedback(wang, done, 1, "下周一发成绩单", "11-05", resolved=True)
    return first


def _push(screen):
    async def before(pilot):
        await sign_in(pilot, "wangfang")
        pilot.app.push_screen(screen())
        await settle(pilot)
    return before


def test_feedback_list(snap_compare, school, lang):
    from screens.feedback import FeedbackScreen

    _items(school)

    async def before(pilot):
        await _push(FeedbackScreen)(pilot)
        await pilot.press("a")  # all, the answered one too
        await settle(pilot)

    assert snap_compare(make_app(school.path), terminal_size=SIZE, run_before=before)


def test_feedback_new_item(snap_compare, school, lang):
    from screens.feedback_form import FeedbackFormScreen

    async def before(pilot):
        await _push(FeedbackFormScreen)(pilot)
        await pilot.press(*"20240102", "tab", "tab", "c", "tab", "w", "tab", *"Homework")
        await settle(pilot)

    assert snap_compare(make_app(school.path), terminal_size=SIZE, run_before=before)


def test_feedback_item_to_answer(snap_compare, school, lang):
    from screens.feedback_form import FeedbackFormScreen

    first = _items(school)
    assert snap_compare(make_app(school.path), terminal_size=SIZE,
                        run_before=_push(lambda: FeedbackFormScreen(first)))


def test_recognitions_list(snap_compare, school, lang):
    from screens.recognitions import RecognitionsScreen

    for data in (RecognitionInput(who="student", what="进步之星", given_on="2026-11-10",
                                  student_id=school.students["张伟"].id, given_by="学校"),
                 RecognitionInput(who="family", what="优秀家长", given_on="2026-11-12",
                                  student_id=school.students["赵薇"].id),
                 RecognitionInput(who="staff", what="优秀帮扶教师", given_on="2026-10-08",
                                  staff_id=school.other.id, given_by="镇教育办")):
        add_recognition(school.teacher, data)
    assert snap_compare(make_app(school.path), terminal_size=SIZE,
                        run_before=_push(RecognitionsScreen))
