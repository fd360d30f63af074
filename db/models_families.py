"""Peewee models of the programme's work with families as a group (schema v14).

Holidays, family events and their attendance, families' feedback, satisfaction
surveys and recognitions; ``db.models`` re-exports them with the other tables.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from peewee import (AutoField, BooleanField, CharField, DateField, DateTimeField, FloatField,
                    ForeignKeyField, IntegerField, TextField)

from db.models import BaseModel, Staff, Student, Term, now


class Holiday(BaseModel):
    """A school holiday or a day off (v14): the rules that pause in holidays pause."""

    id = AutoField()
    uuid = CharField(unique=True)
    name = CharField()  # 寒假, 国庆调休
    kind = CharField()  # db.vocab.HOLIDAY_KINDS
    start_date = DateField()
    end_date = DateField()  # the last day off
    version = IntegerField(default=1)
    updated_at = DateTimeField(default=now)


class FamilyEvent(BaseModel):
    """A parent school session, parent meeting, workshop or open day (v14)."""

    id = AutoField()
    uuid = CharField(unique=True)
    held_on = DateField()
    kind = CharField()  # db.vocab.EVENT_KINDS
    topic = TextField()
    led_by = CharField(default="")  # who ran it (a name, maybe from outside the school)
    classes = TextField(default="")  # class codes invited, comma list; "" = the whole school
    evaluation = TextField(default="")  # the event's evaluation in a few words (效果评估)
    author = ForeignKeyField(Staff, null=True, on_delete="SET NULL")
    version = IntegerField(default=1)
    updated_at = DateTimeField(default=now)

    if TYPE_CHECKING:
        author_id: int | None

    class Meta:
        table_name = "family_event"


class EventAttendance(BaseModel):
    """One family (by its student) at one family event (v14)."""

    id = AutoField()
    uuid = CharField(unique=True)
    event = ForeignKeyField(FamilyEvent, backref="attendance", on_delete="CASCADE")
    student = ForeignKeyField(Student, on_delete="CASCADE")
    attended = BooleanField(default=False)
    rating = IntegerField(null=True)  # 1-5, the family's evaluation of the event
    note = TextField(default="")
    author = ForeignKeyField(Staff, null=True, on_delete="SET NULL")
    version = IntegerField(default=1)
    updated_at = DateTimeField(default=now)

    if TYPE_CHECKING:
        event_id: int
        student_id: int
        author_id: int | None

    class Meta:
        table_name = "event_attendance"


class Feedback(BaseModel):
    """A family's suggestion, complaint or question, and its answer (v14)."""

    id = AutoField()
    uuid = CharField(unique=True)
    student = ForeignKeyField(Student, null=True, on_delete="CASCADE")  # None: anonymous
    received_on = DateField()
    channel = CharField()  # db.vocab.FEEDBACK_CHANNELS
    kind = CharField()  # db.vocab.FEEDBACK_KINDS
    text = TextField()
    owner = ForeignKeyField(Staff, null=True, on_delete="SET NULL")  # who answers it
    due_on = DateField(null=True)  # answered by
    answer = TextField(default="")
    answered_on = DateField(null=True)
    resolved = BooleanField(default=False)
    author = ForeignKeyField(Staff, null=True, on_delete="SET NULL")
    version = IntegerField(default=1)
    updated_at = DateTimeField(default=now)

    if TYPE_CHECKING:
        student_id: int | None
        owner_id: int | None
        author_id: int | None


class Survey(BaseModel):
    """A term's satisfaction survey of families (v14)."""

    id = AutoField()
    uuid = CharField(unique=True)
    term = ForeignKeyField(Term, null=True, on_delete="SET NULL")
    title = CharField()
    questions = TextField()  # JSON list of the questions' texts
    target = FloatField(default=85.0)  # the school's target, per cent satisfied
    taken_on = DateField()
    author = ForeignKeyField(Staff, null=True, on_delete="SET NULL")
    version = IntegerField(default=1)
    updated_at = DateTimeField(default=now)

    if TYPE_CHECKING:
        term_id: int | None
        author_id: int | None


class SurveyAnswer(BaseModel):
    """One family's answers to a survey (v14): JSON, 1-5 or null per question."""

    id = AutoField()
    uuid = CharField(unique=True)
    survey = ForeignKeyField(Survey, backref="answers", on_delete="CASCADE")
    student = ForeignKeyField(Student, on_delete="CASCADE")
    answers = TextField()
    note = TextField(default="")
    author = ForeignKeyField(Staff, null=True, on_delete="SET NULL")
    version = IntegerField(default=1)
    updated_at = DateTimeField(default=now)

    if TYPE_CHECKING:
        survey_id: int
        student_id: int
        author_id: int | None

    class Meta:
        table_name = "survey_answer"


class Recognition(BaseModel):
    """A recognition (表彰) of a family, a student or a staff member (v14)."""

    id = AutoField()
    uuid = CharField(unique=True)
    given_on = DateField()
    who = CharField()  # db.vocab.RECOGNISED: family / student / staff
    student = ForeignKeyField(Student, null=True, on_delete="CASCADE")  # family, student
    staff = ForeignKeyField(Staff, null=True, on_delete="CASCADE", backref="recognitions")
    what = TextField()
    given_by = CharField(default="")  # the school, the town's education office …
    author = ForeignKeyField(Staff, null=True, on_delete="SET NULL", backref="recognitions_entered")
    version = IntegerField(default=1)
    updated_at = DateTimeField(default=now)

    if TYPE_CHECKING:
        student_id: int | None
        staff_id: int | None
        author_id: int | None

