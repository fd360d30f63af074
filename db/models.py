"""Peewee models: the current shape of a bangfu database.

The tables are created and changed only by the numbered scripts in
``db/migrations``; these classes describe the newest schema.  ``database``
is a proxy so the CLI, the app and the tests choose the file at run time.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from peewee import (
    AutoField,
    BooleanField,
    CharField,
    DatabaseProxy,
    DateField,
    DateTimeField,
    FloatField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any, TypeAlias

    # peewee's stubs type ``query.tuples()`` as the query itself, as if it yielded
    # model objects; ``cast("Rows", query.tuples())`` says what it yields.
    Rows: TypeAlias = Iterable[tuple[Any, ...]]

database = DatabaseProxy()


def now() -> dt.datetime:
    from db import clock

    return clock.now()


class BaseModel(Model):
    class Meta:
        database = database
        legacy_table_names = False


class Meta(BaseModel):
    """Key/value settings stored in the file itself (shared by every client)."""

    key = CharField(primary_key=True)
    value = TextField()

    class Meta:
        table_name = "bangfu_meta"


class Term(BaseModel):
    id = AutoField()
    name = CharField()  # e.g. 2026-2027 第一学期
    school_year = CharField()  # 2026-2027
    semester = IntegerField()  # 1 or 2
    start_date = DateField()
    end_date = DateField()


class Staff(BaseModel):
    id = AutoField()
    name = CharField()
    pinyin = CharField(default="")  # search keys, "|"-separated readings
    initials = CharField(default="")
    role = CharField(default="teacher")  # db.vocab.STAFF_ROLES; db.access says what each may do
    active = BooleanField(default=True)
    created_at = DateTimeField(default=now)
    pin_hash = CharField(default="")  # v7: salted scrypt, db.accounts; "" = not set yet
    pin_failures = IntegerField(default=0)  # wrong PINs in a row
    locked_until = DateTimeField(null=True)  # no sign-in before this, after 5 wrong PINs
    lockouts = IntegerField(default=0)  # v10: locks since the last good sign-in (db.accounts)
    classes = CharField(default="")  # class codes this person teaches (comma list)


class SchoolClass(BaseModel):
    id = AutoField()
    name = CharField(unique=True)  # 七年级(3)班
    code = CharField(default="")  # 7-3
    grade = IntegerField(default=0)
    head_teacher = ForeignKeyField(Staff, null=True, on_delete="SET NULL")

    if TYPE_CHECKING:  # peewee adds a ``<foreign key>_id`` attribute per foreign key
        head_teacher_id: int | None


class Student(BaseModel):
    id = AutoField()
    student_no = CharField(unique=True)
    name = CharField()
    gender = CharField(default="")  # "M", "F" or ""
    school_class = ForeignKeyField(SchoolClass, null=True, on_delete="SET NULL")
    birth_date = DateField(null=True)
    family_flags = CharField(default="")  # comma list, see db.vocab.FAMILY_FLAGS
    family_notes = TextField(default="")
    pinyin = CharField(default="")
    initials = CharField(default="")
    version = IntegerField(default=1)
    created_at = DateTimeField(default=now)
    updated_at = DateTimeField(default=now)
    address = TextField(default="")  # v8: 现住址
    phone = CharField(default="")  # v8: the family's contact number (联系电话)
    id_number = CharField(default="")  # v8: 身份证件号, only when mapped on import; never shown whole
    village = CharField(default="")  # v16: 属地, the village or community (db.villages)

    if TYPE_CHECKING:
        school_class_id: int | None


class Guardian(BaseModel):
    id = AutoField()
    student = ForeignKeyField(Student, backref="guardians", on_delete="CASCADE")
    name = CharField()
    relation = CharField(default="")  # see db.vocab.RELATIONS
    phone = CharField(default="")
    wechat = CharField(default="")
    lives_with = BooleanField(default=False)
    notes = TextField(default="")
    works_away = BooleanField(default=False)  # v8: works away from home (外出务工)

    if TYPE_CHECKING:
        student_id: int


class Case(BaseModel):
    id = AutoField()
    student = ForeignKeyField(Student, backref="cases", on_delete="CASCADE")
    term = ForeignKeyField(Term, null=True, on_delete="SET NULL")
    status = CharField(default="identified")  # db.vocab.CASE_STATUSES
    categories = CharField(default="")  # comma list, db.vocab.CATEGORIES
    causes = CharField(default="")  # comma list, db.vocab.CAUSES
    risk_level = CharField(default="medium")  # low / medium / high
    strengths = TextField(default="")
    academic_base = TextField(default="")
    main_problems = TextField(default="")
    cause_analysis = TextField(default="")
    measures = TextField(default="")
    opened_on = DateField(null=True)
    closed_on = DateField(null=True)
    version = IntegerField(default=1)
    updated_at = DateTimeField(default=now)
    updated_by = ForeignKeyField(Staff, null=True, on_delete="SET NULL")
    restricted_fields = CharField(default="")  # v7: confidential fields (comma list)

    if TYPE_CHECKING:
        student_id: int
        term_id: int | None
        updated_by_id: int | None

    class Meta:
        table_name = "case_file"


class CaseEvent(BaseModel):
    """A case opened, closed, reopened or transferred, with its reason (v8)."""

    id = AutoField()
    case = ForeignKeyField(Case, backref="events", on_delete="CASCADE")
    kind = CharField()  # db.vocab.CASE_EVENTS
    happened_on = DateField()
    reason = TextField(default="")
    detail = CharField(default="")  # "7-1 → 7-2", the school moved to
    staff = ForeignKeyField(Staff, null=True, on_delete="SET NULL")
    created_at = DateTimeField(default=now)

    if TYPE_CHECKING:
        case_id: int
        staff_id: int | None

    class Meta:
        table_name = "case_event"


class Assignment(BaseModel):
    id = AutoField()
    case = ForeignKeyField(Case, backref="assignments", on_delete="CASCADE")
    staff = ForeignKeyField(Staff, backref="assignments", on_delete="CASCADE")
    role = CharField(default="lead")  # db.vocab.ASSIGNMENT_ROLES
    assigned_on = DateField(null=True)
    active = BooleanField(default=True)

    if TYPE_CHECKING:
        case_id: int
        staff_id: int


class Goal(BaseModel):
    id = AutoField()
    case = ForeignKeyField(Case, backref="goals", on_delete="CASCADE")
    horizon = CharField(default="short")  # short / long
    text = TextField()
    measure = TextField(default="")
    due_date = DateField(null=True)
    status = CharField(default="open")  # db.vocab.GOAL_STATUSES
    review = IntegerField(null=True, column_name="review_id")  # v5: set by this stage review

    if TYPE_CHECKING:
        case_id: int


class StageReview(BaseModel):
    """A dated review of a case's plan (阶段评估): schema version 5."""

    id = AutoField()
    uuid = CharField(unique=True)
    case = ForeignKeyField(Case, backref="reviews", on_delete="CASCADE")
    review_date = DateField()
    summary = TextField()
    goals = TextField()  # JSON: [[goal id, text, status], ...] as judged
    next_review = DateField(null=True)
    author = ForeignKeyField(Staff, on_delete="RESTRICT")
    created_at = DateTimeField(default=now)

    if TYPE_CHECKING:
        case_id: int
        author_id: int

    class Meta:
        table_name = "stage_review"


class PeerPair(BaseModel):
    """A student paired with the supported student (结对 / 生帮生): version 5."""

    id = AutoField()
    case = ForeignKeyField(Case, backref="peers", on_delete="CASCADE")
    helper = ForeignKeyField(Student, on_delete="CASCADE")
    focus = CharField(default="")
    since = DateField(null=True)
    active = BooleanField(default=True)

    if TYPE_CHECKING:
        case_id: int
        helper_id: int

    class Meta:
        table_name = "peer_pair"


class Contact(BaseModel):
    id = AutoField()
    uuid = CharField(unique=True)  # made by the client: a retry never duplicates
    case = ForeignKeyField(Case, backref="contacts", on_delete="CASCADE")
    author = ForeignKeyField(Staff, on_delete="RESTRICT")
    occurred_at = DateTimeField()
    kind = CharField()  # family / student / colleague
    channel = CharField()  # db.vocab.CHANNELS
    participants = TextField(default="")
    duration_min = IntegerField(null=True)
    discussed = TextField(default="")
    agreed = TextField(default="")
    follow_up = TextField(default="")
    follow_up_due = DateField(null=True)
    follow_up_done_on = DateField(null=True)  # schema version 2
    meeting_id = CharField(null=True, index=True)  # schema version 4: meeting mode
    created_at = DateTimeField(default=now)
    host = CharField(default="")
    restricted = CharField(default="")  # v7: "" or db.vocab.RESTRICTED_REASONS
    version = IntegerField(default=1)  # v9: an amendment saved over another is refused

    if TYPE_CHECKING:
        case_id: int
        author_id: int


class Score(BaseModel):
    """A test score: one student, exam, subject and date (schema version 6)."""

    id = AutoField()
    uuid = CharField(unique=True)
    student = ForeignKeyField(Student, backref="scores", on_delete="CASCADE")
    exam = CharField()  # 期中考试, 10月月考
    subject = CharField()  # 语文, 数学 … as the school names them
    taken_on = DateField()
    score = FloatField()
    full_marks = FloatField()
    author = ForeignKeyField(Staff, null=True, on_delete="SET NULL")
    version = IntegerField(default=1)
    updated_at = DateTimeField(default=now)

    if TYPE_CHECKING:
        student_id: int
        author_id: int | None


class Checkin(BaseModel):
    """A psychological check-in: a 1–5 rating per dimension (version 6)."""

    id = AutoField()
    uuid = CharField(unique=True)
    student = ForeignKeyField(Student, backref="checkins", on_delete="CASCADE")
    taken_on = DateField()
    ratings = TextField()  # JSON: {dimension: 1..5}
    note = TextField(default="")
    author = ForeignKeyField(Staff, null=True, on_delete="SET NULL")
    version = IntegerField(default=1)
    updated_at = DateTimeField(default=now)

    if TYPE_CHECKING:
        student_id: int
        author_id: int | None


class AuditLog(BaseModel):
    id = AutoField()
    at = DateTimeField(default=now)
    staff = ForeignKeyField(Staff, null=True, on_delete="SET NULL")
    staff_name = CharField(default="")  # kept even if the account goes
    host = CharField(default="")
    table_name = CharField()
    row_id = CharField(default="")
    action = CharField()  # insert / update / delete / bulk / read (a restricted entry opened)
    changes = TextField(default="")  # JSON: {field: [old, new]} or {field: new}

    if TYPE_CHECKING:
        staff_id: int | None

    class Meta:
        table_name = "audit_log"


class StaffKey(BaseModel):
    """A person's key pair (v12, ``db.keys``): the private half wrapped under their PIN."""

    id = AutoField()
    staff = ForeignKeyField(Staff, unique=True, on_delete="CASCADE")
    public_key = TextField()  # base64, 32 bytes (X25519)
    private_wrapped = TextField()  # base64, ``db.crypto.wrap`` under their PIN
    strong = BooleanField(default=False)  # their PIN was strong enough for the school's key
    updated_at = DateTimeField(default=now)

    if TYPE_CHECKING:
        staff_id: int

    class Meta:
        table_name = "staff_key"


class SchoolKey(BaseModel):
    """The school's private key, sealed for one holder (v12, ``db.keys``)."""

    id = AutoField()
    holder = CharField(unique=True)  # "staff:<id>" or "recovery"
    sealed = TextField()  # base64
    created_at = DateTimeField(default=now)

    class Meta:
        table_name = "school_key"


# the families' tables (v14) are in their own module, which builds on this one
from db.models_families import (EventAttendance, FamilyEvent, Feedback,  # noqa: E402
                                Holiday, Recognition, Survey, SurveyAnswer)
# the oversight's tables (v15): referrals, transformations, supervision
from db.models_oversight import (Correction, Organisation, OutsideHelper,  # noqa: E402
                                 Referral, SupervisionNote, Transformation)


ALL_MODELS = [Meta, Term, Staff, SchoolClass, Student, Guardian, Case, CaseEvent,
              Assignment, Goal, StageReview, PeerPair, Contact, Score, Checkin,
              AuditLog, StaffKey, SchoolKey, Holiday, FamilyEvent, EventAttendance,
              Feedback, Survey, SurveyAnswer, Recognition, Organisation, Referral,
              OutsideHelper, Transformation, SupervisionNote, Correction]
