"""A student's case file as plain data, and editing it with a version check."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

from peewee import JOIN

from db import audit, clock
from db.store import journal
from db.models import (Assignment, Case, Contact, Goal, Guardian, SchoolClass,
                       Staff, Student, Term)
from db.text import clean
from db.vocab import (CASE_STATUSES, CATEGORIES, CAUSES, OPEN_STATUSES,
                      RISK_LEVELS, join_codes, split_codes)

if TYPE_CHECKING:
    from db.models import Rows

CASE_TEXT_FIELDS = ("strengths", "academic_base", "main_problems",
                    "cause_analysis", "measures")
CASE_EDIT_FIELDS = ("status", "risk_level", "categories", "causes") + CASE_TEXT_FIELDS
MAX_CASE_TEXT = 4000


@dataclass(slots=True)
class GuardianView:
    name: str
    relation: str
    phone: str
    wechat: str
    lives_with: bool
    works_away: bool = False


@dataclass(slots=True)
class ContactView:
    id: int
    uuid: str
    occurred_at: dt.datetime
    kind: str
    channel: str
    author: str
    participants: str
    duration_min: int | None
    discussed: str
    agreed: str
    follow_up: str
    follow_up_due: dt.date | None
    follow_up_done_on: dt.date | None
    restricted: str = ""  # v7: why it is confidential; its text is then never in the view
    author_id: int | None = None


@dataclass(slots=True)
class GoalView:
    horizon: str
    text: str
    measure: str
    due_date: dt.date | None
    status: str


@dataclass(slots=True)
class TeamMember:
    staff_id: int
    name: str
    role: str


@dataclass(slots=True)
class CaseView:
    student_id: int
    student_no: str
    name: str
    gender: str
    class_name: str
    birth_date: dt.date | None
    family_flags: list[str]
    family_notes: str
    guardians: list[GuardianView]
    case_id: int | None = None
    term_name: str = ""
    status: str = ""
    risk_level: str = ""
    categories: list[str] = field(default_factory=list)
    causes: list[str] = field(default_factory=list)
    strengths: str = ""
    academic_base: str = ""
    main_problems: str = ""
    cause_analysis: str = ""
    measures: str = ""
    opened_on: dt.date | None = None
    version: int = 0
    updated_at: dt.datetime | None = None
    updated_by: str = ""
    goals: list[GoalView] = field(default_factory=list)
    team: list[TeamMember] = field(default_factory=list)
    peers: list = field(default_factory=list)  # db.team.Peer: students paired as helpers
    reviews: list = field(default_factory=list)  # db.reviews.ReviewRow, newest first
    contacts: list[ContactView] = field(default_factory=list)
    restricted_fields: list[str] = field(default_factory=list)  # marked confidential
    hidden: frozenset = frozenset()  # fields blanked for this reader (db.access)
    address: str = ""  # v8: 现住址
    phone: str = ""  # v8: the family's contact number
    village: str = ""  # v16: 属地 (db.villages)
    events: list = field(default_factory=list)  # db.case_status.EventView, newest first
    reads_restricted: bool = False  # this reader may open the case's restricted entries

    @property
    def lead(self) -> str:
        return next((m.name for m in self.team if m.role == "lead"), "")

    def edit_values(self) -> dict:
        """The editable fields, as ``update_case`` takes them: not those hidden
        from this reader; with the confidential marking for those who may set it."""
        values = {"status": self.status, "risk_level": self.risk_level,
                  "categories": list(self.categories), "causes": list(self.causes),
                  **{f: getattr(self, f) for f in CASE_TEXT_FIELDS if f not in self.hidden}}
        if self.reads_restricted:
            values["restricted_fields"] = list(self.restricted_fields)
        return values


def current_case_id(student_id: int) -> int | None:
    """The student's open case, else the newest one, else ``None``."""
    rows = list(cast("Rows", Case.select(Case.id, Case.status).where(Case.student == student_id)
                     .order_by(Case.id.desc()).tuples()))
    for case_id, status in rows:
        if status in OPEN_STATUSES:
            return case_id
    return rows[0][0] if rows else None


def load_guardians(student_id: int) -> list[GuardianView]:
    return [GuardianView(g.name, g.relation, g.phone, g.wechat, g.lives_with, g.works_away)
            for g in Guardian.select().where(Guardian.student == student_id)
            .order_by(Guardian.id)]


def load_case(student_id: int, case_id: int | None = None, reader=None) -> CaseView | None:
    """Everything the case screen shows, in nine queries whatever the size, as
    ``reader`` may see it (``db.access``): a restricted entry's text is never
    in the view (it is opened on purpose, ``open_restricted``); restricted
    case-file fields are blank for those who may not read them, and a
    volunteer's view has no family details.  No reader: nothing restricted."""
    row = (Student.select(Student, SchoolClass.name.alias("class_name"))
           .join(SchoolClass, JOIN.LEFT_OUTER)
           .where(Student.id == student_id).objects().first())
    if row is None:
        return None
    view = CaseView(
        student_id=row.id, student_no=row.student_no, name=row.name, gender=row.gender,
        class_name=row.class_name or "", birth_date=row.birth_date,
        family_flags=split_codes(row.family_flags), family_notes=row.family_notes,
        guardians=load_guardians(student_id), address=row.address, phone=row.phone,
        village=row.village)
    case_id = case_id or current_case_id(student_id)
    if case_id is None:
        return _as_seen_by(view, reader)
    case = (Case.select(Case, Term.name.alias("term_name"), Staff.name.alias("editor"))
            .join(Term, JOIN.LEFT_OUTER).switch(Case)
            .join(Staff, JOIN.LEFT_OUTER, on=(Case.updated_by == Staff.id))
            .where(Case.id == case_id).objects().first())
    if case is None:
        return view
    view.case_id = case.id
    view.term_name = case.term_name or ""
    view.status, view.risk_level = case.status, case.risk_level
    view.categories, view.causes = split_codes(case.categories), split_codes(case.causes)
    for name in CASE_TEXT_FIELDS:
        setattr(view, name, getattr(case, name))
    view.opened_on, view.version = case.opened_on, case.version
    view.updated_at, view.updated_by = case.updated_at, case.editor or ""
    view.goals = [GoalView(g.horizon, g.text, g.measure, g.due_date, g.status)
                  for g in Goal.select().where(Goal.case == case_id)
                  .order_by(Goal.horizon.desc(), Goal.due_date, Goal.id)]
    roles = {"lead": 0, "tutor": 1, "counsellor": 2, "volunteer": 3}
    team = [TeamMember(sid, name, role) for sid, name, role in
            cast("Rows", Assignment.select(Staff.id, Staff.name, Assignment.role).join(Staff)
                 .where((Assignment.case == case_id) & (Assignment.active == True))  # noqa: E712
                 .tuples())]
    view.team = sorted(team, key=lambda m: (roles.get(m.role, 9), m.name))
    from db.reviews import reviews
    from db.team import peers

    view.peers = peers(case_id)
    view.reviews = reviews(case_id)
    view.contacts = [
        ContactView(c.id, c.uuid, c.occurred_at, c.kind, c.channel,
                    c.author_name,  # type: ignore[attr-defined]  # the query's alias
                    c.participants, c.duration_min, c.discussed, c.agreed, c.follow_up,
                    c.follow_up_due, c.follow_up_done_on, c.restricted, c.author_id)
        for c in Contact.select(Contact, Staff.name.alias("author_name"))
        .join(Staff).where(Contact.case == case_id)
        .order_by(Contact.occurred_at.desc(), Contact.id.desc()).objects()]
    view.restricted_fields = split_codes(case.restricted_fields)
    from db.case_status import case_events

    view.events = case_events(case_id)
    return _as_seen_by(view, reader)


RESTRICTED_TEXT = ("participants", "discussed", "agreed", "follow_up")


def _as_seen_by(view: CaseView, reader) -> CaseView:
    from db import access

    lead = reader is not None and any(m.role == "lead" and m.staff_id == reader.id
                                      for m in view.team)
    view.reads_restricted = access.reads_restricted(reader, view.case_id, lead=lead)
    hidden = set(access.hidden_fields(reader))
    if not view.reads_restricted:
        hidden |= set(view.restricted_fields)
    stored = {name: getattr(view, name) for name in CASE_TEXT_FIELDS}
    opened, shut = _opened(reader if view.reads_restricted else None, stored)
    for name in CASE_TEXT_FIELDS:
        setattr(view, name, opened[name])
    hidden |= shut  # sealed, and this reader's keys do not open it (now)
    for c in view.contacts:
        if c.restricted:
            for name in RESTRICTED_TEXT:
                setattr(c, name, "")
    for name in hidden:
        if name in CASE_TEXT_FIELDS or name == "family_notes":
            setattr(view, name, "")
    if "guardian_phone" in hidden:
        for g in view.guardians:
            g.phone = g.wechat = ""
        view.phone = view.address = view.village = ""
    view.hidden = frozenset(hidden)
    return view


class VersionConflict(Exception):
    """Someone saved the case after it was opened: their values are ``theirs``."""

    def __init__(self, theirs: dict, version: int, by: str, at):
        super().__init__("version")
        self.theirs, self.version, self.by, self.at = theirs, version, by, at


class CaseValidationError(ValueError):
    def __init__(self, errors: dict[str, str]):
        super().__init__(", ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def _validated(values: dict) -> dict:
    errors, out = {}, {}
    for name in CASE_EDIT_FIELDS:
        if name not in values:
            continue
        value = values[name]
        if name == "status":
            if value not in CASE_STATUSES:
                errors[name] = "err.choice"
            out[name] = value
        elif name == "risk_level":
            if value not in RISK_LEVELS:
                errors[name] = "err.choice"
            out[name] = value
        elif name in ("categories", "causes"):
            allowed = CATEGORIES if name == "categories" else CAUSES
            try:
                out[name] = join_codes(value, allowed)
            except ValueError:
                errors[name] = "err.choice"
        else:
            text = clean(value).strip()
            if len(text) > MAX_CASE_TEXT:
                errors[name] = "err.too_long"
            out[name] = text
    if errors:
        raise CaseValidationError(errors)
    return out


def _opened(reader, stored: dict) -> tuple[dict, set[str]]:
    """Case-file texts with the sealed ones ``reader`` can open opened; the
    names of those that stay shut (None opens nothing)."""
    from db import sealing

    shut: set[str]
    opened, shut = dict(stored), set()
    for name in CASE_TEXT_FIELDS:
        text = sealing.opened_or_none(reader, "case_file", name, stored.get(name))
        if text is None:
            opened[name], shut = "", shut | {name}
        else:
            opened[name] = text
    return opened, shut


def _stored_values(case: Case) -> dict:
    return {"status": case.status, "risk_level": case.risk_level,
            "categories": case.categories, "causes": case.causes,
            "restricted_fields": case.restricted_fields,
            **{f: getattr(case, f) for f in CASE_TEXT_FIELDS}}


def update_case(actor: Staff, case_id: int, expected_version: int, values: dict) -> int:
    """Save edited case fields if nobody saved since ``expected_version``.

    Returns the new version.  Raises ``VersionConflict`` (nothing written)
    when the stored version moved on, ``CaseValidationError`` for bad values,
    ``access.NotAllowed`` for a volunteer.  A case set "transformed" is refused
    (``CaseValidationError``, status ``err.transformation.needs_confirmation``):
    only a coordinator's confirmation does that (``db.transformation``).  Fields ``actor`` may not read (a
    restricted field, a volunteer's hidden ones) are never written by them,
    whatever ``values`` holds; ``restricted_fields`` (the marking) is changed
    only by those who may read restricted fields.
    """
    from db import access

    if actor is not None:
        access.require(actor, "edit_case")
    marking = values.get("restricted_fields")
    new = _validated(values)
    with journal.transaction():
        case = Case.get_by_id(case_id)
        may_read = actor is None or access.reads_restricted(actor, case_id)
        stored = _stored_values(case)
        opened, shut = _opened(actor if may_read else None, stored)
        unreadable = set(() if may_read else split_codes(case.restricted_fields)) | shut
        for name in unreadable:
            new.pop(name, None)
        if may_read and marking is not None:  # a field its reader cannot open stays sealed
            new["restricted_fields"] = join_codes(list(marking) + sorted(shut),
                                                  CASE_TEXT_FIELDS)
        if "status" in new:  # transformed only by a confirmed proposal (db.transformation)
            from db.transformation import TransformationError, refuse_direct

            try:
                refuse_direct(case.status, new["status"])
            except TransformationError as exc:
                raise CaseValidationError({"status": f"err.transformation.{exc.code}"}) from None
        if case.version != expected_version:
            editor = Staff.get_or_none(Staff.id == case.updated_by_id)
            theirs = dict(opened)
            for name in unreadable:  # never shown to those who may not read it
                theirs.pop(name, None)
            theirs["restricted_fields"] = split_codes(theirs["restricted_fields"])
            if not may_read:
                theirs.pop("restricted_fields")
            theirs["categories"] = split_codes(theirs["categories"])
            theirs["causes"] = split_codes(theirs["causes"])
            raise VersionConflict(theirs, case.version, editor.name if editor else "",
                                  case.updated_at)
        changes = audit.diff(opened, new)
        if not changes:
            return case.version
        written = _sealed_as_marked(new, opened, stored, shut)
        changes = {name: [stored[name], written.get(name, stored[name])]
                   if name in CASE_TEXT_FIELDS else change
                   for name, change in changes.items()}
        fields = dict(written, version=case.version + 1, updated_at=clock.now(),
                      updated_by=actor.id)
        if new.get("status") == "closed" and case.status != "closed":
            fields["closed_on"] = clock.today()
        elif new.get("status", "closed") != "closed" and case.status == "closed":
            fields["closed_on"] = None  # reopened
        updated = (Case.update(**fields)
                   .where((Case.id == case_id) & (Case.version == expected_version))
                   .execute())
        if updated != 1:  # pragma: no cover - the IMMEDIATE lock prevents this
            raise VersionConflict(dict(opened), case.version, "", None)
        audit.record(actor, "case_file", case_id, "update",
                     dict(changes, version=[case.version, case.version + 1]))
        return case.version + 1


def _sealed_as_marked(new: dict, opened: dict, stored: dict, shut: set) -> dict:
    """What to write: ``new`` with each text field stored as its marking says,
    sealed if marked confidential (once the school has its key), as typed if
    not.  A field that keeps its text and its form is left as it is."""
    from db import keys, sealing

    marked = set(split_codes(new.get("restricted_fields", stored["restricted_fields"])))
    out = {k: v for k, v in new.items() if k not in CASE_TEXT_FIELDS}
    for name in CASE_TEXT_FIELDS:
        if name in shut:
            continue
        text = new.get(name, opened[name])
        was_sealed = keys.crypto.is_sealed(stored[name])
        if name in marked:
            if text == opened[name] and (was_sealed or not keys.is_set_up()):
                continue
            value = sealing.seal_values("case_file", {name: text}, (name,), None,
                                        sealing.recipients(None))[name]
        else:
            if text == opened[name] and not was_sealed:
                continue
            value = text
        out[name] = value
    return out


def merge_edits(base: dict, mine: dict, theirs: dict) -> tuple[dict, list[str]]:
    """Three-way merge of case fields (``audit.merge``)."""
    return audit.merge(CASE_EDIT_FIELDS, base, mine, theirs)
