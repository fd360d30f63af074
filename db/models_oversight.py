"""Peewee models of the programme's oversight (schema v15): organisations and
referrals (转介), outside helpers on a case's team, transformation decisions
(转化), supervision notes and correction items (督导, 通报, 整改).
``db.models`` re-exports them with the other tables."""

from __future__ import annotations

from typing import TYPE_CHECKING

from peewee import (AutoField, BooleanField, CharField, DateField, DateTimeField,
                    ForeignKeyField, IntegerField, TextField)

from db.models import BaseModel, Case, Staff, now


class Organisation(BaseModel):
    """A body outside the school the programme works with (v15)."""

    id = AutoField()
    uuid = CharField(unique=True)
    name = CharField()
    kind = CharField()  # db.vocab.ORGANISATION_KINDS
    phone = CharField(default="")
    note = TextField(default="")
    active = BooleanField(default=True)
    version = IntegerField(default=1)
    updated_at = DateTimeField(default=now)


class Referral(BaseModel):
    """A case sent on to an organisation (转介, v15): read like a restricted entry."""

    id = AutoField()
    uuid = CharField(unique=True)
    case = ForeignKeyField(Case, backref="referrals", on_delete="CASCADE")
    organisation = ForeignKeyField(Organisation, null=True, on_delete="SET NULL")
    reason = TextField()
    consent = CharField(default="")  # db.vocab.CONSENTS
    sent_on = DateField()
    status = CharField()  # db.vocab.REFERRAL_STATUSES
    outcome = TextField(default="")
    follow_up_on = DateField(null=True)
    author = ForeignKeyField(Staff, null=True, on_delete="SET NULL")
    version = IntegerField(default=1)
    updated_at = DateTimeField(default=now)

    if TYPE_CHECKING:
        case_id: int
        organisation_id: int | None
        author_id: int | None


class OutsideHelper(BaseModel):
    """Someone without an account on a case's team (村干部, a volunteer; v15)."""

    id = AutoField()
    uuid = CharField(unique=True)
    case = ForeignKeyField(Case, backref="outside_helpers", on_delete="CASCADE")
    name = CharField()
    organisation = ForeignKeyField(Organisation, null=True, on_delete="SET NULL")
    role = CharField(default="")  # what they do, in the school's words
    phone = CharField(default="")
    since = DateField(null=True)
    active = BooleanField(default=True)
    version = IntegerField(default=1)
    updated_at = DateTimeField(default=now)

    if TYPE_CHECKING:
        case_id: int
        organisation_id: int | None

    class Meta:
        table_name = "outside_helper"


class Transformation(BaseModel):
    """A case proposed as transformed (转化) and the coordinator's decision (v15)."""

    id = AutoField()
    uuid = CharField(unique=True)
    case = ForeignKeyField(Case, backref="transformations", on_delete="CASCADE")
    proposed_by = ForeignKeyField(Staff, null=True, on_delete="SET NULL")
    proposed_on = DateField()
    reason = TextField()
    evidence = TextField(default="")  # JSON: the figures shown when it was proposed
    status = CharField()  # db.vocab.TRANSFORMATION_STATUSES
    decided_by = ForeignKeyField(Staff, null=True, on_delete="SET NULL")
    decided_on = DateField(null=True)
    decision_note = TextField(default="")
    version = IntegerField(default=1)
    updated_at = DateTimeField(default=now)

    if TYPE_CHECKING:
        case_id: int
        proposed_by_id: int | None
        decided_by_id: int | None


class SupervisionNote(BaseModel):
    """A coordinator's note and adjustment to a helper's month score (督导赋分, v15)."""

    id = AutoField()
    uuid = CharField(unique=True)
    staff = ForeignKeyField(Staff, on_delete="CASCADE")
    month = CharField()  # "2026-11"
    adjustment = IntegerField(default=0)  # points added (or taken, negative)
    note = TextField(default="")
    author = ForeignKeyField(Staff, null=True, on_delete="SET NULL")
    version = IntegerField(default=1)
    updated_at = DateTimeField(default=now)

    if TYPE_CHECKING:
        staff_id: int
        author_id: int | None

    class Meta:
        table_name = "supervision_note"


class Correction(BaseModel):
    """A correction item (整改) for a helper named in a month's notice (通报, v15)."""

    id = AutoField()
    uuid = CharField(unique=True)
    staff = ForeignKeyField(Staff, on_delete="CASCADE")
    month = CharField()  # the notice's month, "2026-11"
    what = TextField()
    due_on = DateField()
    issued_by = ForeignKeyField(Staff, null=True, on_delete="SET NULL")
    issued_on = DateField()
    done_on = DateField(null=True)
    done_note = TextField(default="")
    version = IntegerField(default=1)
    updated_at = DateTimeField(default=now)

    if TYPE_CHECKING:
        staff_id: int
        issued_by_id: int | None
