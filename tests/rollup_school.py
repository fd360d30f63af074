"""The small school (tests.conftest) with what a roll-up counts added by hand:
villages, entries in and out of the periods, a closed case, an outside
helper, a family event, feedback, a survey and correction items
(tests/test_rollup.py checks its figures by hand)."""

from __future__ import annotations

import datetime as dt
import json
import uuid

from db.models import Case, Contact, Staff, Student
from db.models_families import EventAttendance, FamilyEvent, Feedback, Survey, SurveyAnswer
from db.models_oversight import Correction, OutsideHelper
from db.students import open_case

# names and text that must never leave in a roll-up (tests/test_rollup_cli.py)
SECRETS = ("村主任李四", "secret parent-school topic", "family complaint about the bus",
           "the survey note", "redo the home visits", "Home visit notes", "the event went well")


def _id() -> str:
    return uuid.uuid4().hex


def contact(case_id: int, author_id: int, when: dt.datetime, kind: str, channel: str,
            text: str = "Home visit notes") -> None:
    Contact.create(uuid=_id(), case=case_id, author=author_id, occurred_at=when, kind=kind,
                   channel=channel, discussed=text, agreed="", host="test", created_at=when)


def add_rollup_data(school) -> None:
    """See the module; ``school`` is tests.conftest's ``School``."""
    wang, li = school.teacher, school.other
    cases, students = school.cases, school.students
    village = {"张伟": "红旗村", "赵薇": "红旗村", "曾小明": "新华社区", "周文": "新华社区",
               "单田芳": "红旗村"}
    for name, where in village.items():
        Student.update(village=where).where(Student.id == students[name].id).execute()
    Case.update(opened_on=dt.date(2026, 9, 1)).where(Case.id == cases["曾小明"].id).execute()
    closed = open_case(None, students["周文"].id, term_id=cases["张伟"].term_id, status="active",
                       lead_id=li.id)
    Case.update(opened_on=dt.date(2026, 9, 10), status="closed",
                closed_on=dt.date(2026, 11, 18)).where(Case.id == closed.id).execute()
    z, zhao, zeng = cases["张伟"].id, cases["赵薇"].id, cases["曾小明"].id
    contact(z, wang.id, dt.datetime(2026, 11, 17, 16), "family", "home_visit")
    contact(z, wang.id, dt.datetime(2026, 11, 18, 16), "student", "face")
    contact(zhao, li.id, dt.datetime(2026, 11, 19, 16), "family", "phone")
    contact(zhao, li.id, dt.datetime(2026, 11, 21, 9), "family", "phone")  # after today
    contact(closed.id, li.id, dt.datetime(2026, 11, 5, 16), "student", "face")
    contact(zeng, wang.id, dt.datetime(2026, 11, 12, 16), "family", "home_visit")
    for case_id, active in ((z, True), (zhao, True), (zeng, False)):
        OutsideHelper.create(uuid=_id(), case=case_id, name="村主任李四", role="village cadre",
                             phone="13700000000", active=active)
    event = FamilyEvent.create(uuid=_id(), held_on=dt.date(2026, 11, 18), kind="parent_school",
                               topic="secret parent-school topic", led_by="王芳", classes="",
                               evaluation="the event went well")
    for name, came, rating in (("张伟", True, 5), ("单田芳", True, 4), ("赵薇", False, None)):
        EventAttendance.create(uuid=_id(), event=event.id, student=students[name].id,
                               attended=came, rating=rating, note="the survey note")
    Feedback.create(uuid=_id(), student=students["张伟"].id, received_on=dt.date(2026, 11, 17),
                    channel="phone", kind="complaint", text="family complaint about the bus",
                    owner=wang.id, due_on=dt.date(2026, 11, 19), answer="fixed",
                    answered_on=dt.date(2026, 11, 18), resolved=True)
    Feedback.create(uuid=_id(), student=students["赵薇"].id, received_on=dt.date(2026, 11, 2),
                    channel="box", kind="question", text="family complaint about the bus",
                    owner=li.id, due_on=dt.date(2026, 11, 10))
    survey = Survey.create(uuid=_id(), term=cases["张伟"].term_id, title="满意度",
                           questions=json.dumps(["Q1", "Q2"]), taken_on=dt.date(2026, 11, 19))
    for name, answers in (("张伟", [5, 4]), ("赵薇", [3, None])):
        SurveyAnswer.create(uuid=_id(), survey=survey.id, student=students[name].id,
                            answers=json.dumps(answers), note="the survey note")
    counsellor = Staff.get(Staff.name == "曾老师")
    Correction.create(uuid=_id(), staff=li.id, month="2026-10", what="redo the home visits",
                      due_on=dt.date(2026, 11, 10), issued_by=wang.id,
                      issued_on=dt.date(2026, 11, 1))
    Correction.create(uuid=_id(), staff=counsellor.id, month="2026-10",
                      what="redo the home visits", due_on=dt.date(2026, 11, 10),
                      issued_by=wang.id, issued_on=dt.date(2026, 11, 1),
                      done_on=dt.date(2026, 11, 5))
