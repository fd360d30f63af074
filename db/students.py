"""Creating and editing students with their guardians, and opening cases.

Pinyin search keys are computed here, when a name is saved, so reading the
roster never needs the pinyin dictionary.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from db import audit, clock
from db.store import journal
from db.models import Assignment, Case, Guardian, Student
from db.text import clean, one_line
from db.vocab import CATEGORIES, CAUSES, join_codes, split_codes


def create_student(actor, *, student_no: str, name: str, gender: str = "",
                   class_id: int | None = None, birth_date=None, family_flags=(),
                   family_notes: str = "") -> Student:
    from db.pinyin import name_keys

    name = one_line(name)
    pinyin, initials = name_keys(name)
    with journal.transaction():
        student = Student.create(
            student_no=one_line(student_no), name=name, gender=gender,
            school_class=class_id, birth_date=birth_date,
            family_flags=",".join(family_flags), family_notes=clean(family_notes),
            pinyin=pinyin, initials=initials, created_at=clock.now(), updated_at=clock.now())
        audit.record(actor, "student", student.id, "insert",
                     {"student_no": student.student_no, "name": name})
    return student


def add_guardian(actor, student_id: int, *, name: str, relation: str = "",
                 phone: str = "", wechat: str = "", lives_with: bool = False) -> Guardian:
    with journal.transaction():
        guardian = Guardian.create(student=student_id, name=one_line(name), relation=relation,
                                   phone=one_line(phone), wechat=one_line(wechat),
                                   lives_with=lives_with)
        audit.record(actor, "guardian", guardian.id, "insert",
                     {"student": student_id, "name": guardian.name, "relation": relation})
    return guardian


def open_case(actor, student_id: int, *, term_id: int | None = None, status: str = "active",
              categories=(), causes=(), risk_level: str = "medium", lead_id: int | None = None,
              **texts) -> Case:
    from db.transformation import refuse_direct

    refuse_direct("", status)  # transformed only by a confirmed proposal
    with journal.transaction():
        case = Case.create(student=student_id, term=term_id, status=status,
                           categories=join_codes(categories, CATEGORIES),
                           causes=join_codes(causes, CAUSES), risk_level=risk_level,
                           opened_on=clock.today(), updated_at=clock.now(),
                           updated_by=actor.id if actor else None,
                           **{k: clean(v) for k, v in texts.items()})
        audit.record(actor, "case_file", case.id, "insert",
                     {"student": student_id, "status": status})
        if lead_id is not None:
            assignment = Assignment.create(case=case.id, staff=lead_id, role="lead",
                                           assigned_on=clock.today())
            audit.record(actor, "assignment", assignment.id, "insert",
                         {"case": case.id, "staff": lead_id, "role": "lead"})
    return case


# -- the student editor: a student and their guardians, validated like the contact form --------

MAX_NAME = 40
MAX_NO = 30
MAX_ADDRESS = 200
MAX_NOTES = 4000
MAX_GUARDIANS = 6


class StudentError(ValueError):
    """``errors`` maps each bad field (``name``, ``guardian.1.phone`` …) to a
    message key of the catalog; ``code`` alone for a whole-form refusal."""

    def __init__(self, errors: dict[str, str] | None = None, code: str = ""):
        self.errors = errors or {}
        self.code = code or "invalid"
        super().__init__(", ".join(f"{k}: {v}" for k, v in self.errors.items()) or self.code)


@dataclass
class GuardianInput:
    name: str = ""
    relation: str = ""  # a code of db.vocab.RELATIONS, or its letter (RELATION_KEYS)
    phone: str = ""
    wechat: str = ""
    lives_with: bool = False
    works_away: bool = False
    id: int | None = None  # an existing guardian being edited

    def blank(self) -> bool:
        return not any(s.strip() for s in (self.name, self.phone, self.wechat))


@dataclass
class StudentInput:
    """What a person typed in the student editor (or the import read), as text."""

    student_no: str = ""
    name: str = ""
    gender: str = ""  # M / F / "" (also 男 女 m f)
    class_text: str = ""  # "7-3" or an existing class's name
    birth_date: str = ""  # YYYY-MM-DD, YYYYMMDD
    address: str = ""
    phone: str = ""
    # 属地 (db.villages): text = set by hand; "" = read from the address; None =
    # not on the form (kept when set by hand, else read from the address)
    village: str | None = None
    family_flags: list[str] = field(default_factory=list)
    family_notes: str = ""
    guardians: list[GuardianInput] = field(default_factory=list)


def clean_phone(text: str) -> str | None:
    """A phone number as digits (a leading + and one "-" after an area code
    kept as typed): ``None`` when it is not one."""
    import unicodedata

    raw = "".join(unicodedata.normalize("NFKC", text or "").split())
    if not raw:
        return ""
    digits = raw.replace("-", "").lstrip("+")
    if not digits.isdecimal() or not 5 <= len(digits) <= 15 or raw.count("-") > 2:
        return None
    return raw


def parse_birth_date(text: str):
    """A birth date typed or read from a roster: ``YYYY-MM-DD`` (or with / or .),
    ``YYYYMMDD`` or ``YYYY年M月D日``; None when blank; ``ValueError`` when it is
    not a real date between 1990 and today."""
    import datetime as dt
    import unicodedata

    from db.roster_fields import DATE_COMPACT, DATE_YMD, EARLIEST_BIRTH

    raw = unicodedata.normalize("NFKC", text or "").strip()
    if not raw:
        return None
    m = DATE_YMD.fullmatch(raw) or DATE_COMPACT.fullmatch(raw)
    if not m:
        raise ValueError(raw)
    date = dt.date(int(m[1]), int(m[2]), int(m[3]))  # ValueError: 2012-02-30
    if not EARLIEST_BIRTH <= date <= clock.today():
        raise ValueError(raw)
    return date


def validate_student(data: StudentInput, student_id: int | None = None) -> dict:
    """The values to store, or ``StudentError`` naming every bad field."""
    from db.classes import ClassError, find_or_plan_class
    from db.vocab import FAMILY_FLAGS, RELATION_KEYS, RELATIONS

    errors: dict[str, str] = {}
    out: dict = {}
    import unicodedata

    out["student_no"] = "".join(unicodedata.normalize("NFKC", data.student_no or "").split())
    out["student_no"] = one_line(out["student_no"])
    if not out["student_no"]:
        errors["student_no"] = "err.student.no_blank"
    elif len(out["student_no"]) > MAX_NO:
        errors["student_no"] = "err.student.no_long"
    elif (Student.select().where(Student.student_no == out["student_no"],
                                 Student.id != (student_id or 0)).exists()):
        errors["student_no"] = "err.student.no_taken"
    out["name"] = one_line(data.name)
    if not out["name"]:
        errors["name"] = "err.student.name_blank"
    elif len(out["name"]) > MAX_NAME:
        errors["name"] = "err.student.name_long"
    from db.roster_fields import GENDERS

    typed = (data.gender or "").strip().lower()
    gender = GENDERS.get(typed) if typed else ""
    if gender is None:
        errors["gender"] = "err.choice"
    out["gender"] = gender or ""
    try:
        out["birth_date"] = parse_birth_date(data.birth_date)
    except ValueError:
        errors["birth_date"] = "err.student.birth_date"
    out["class"] = None
    if (data.class_text or "").strip():
        try:
            out["class"] = find_or_plan_class(data.class_text)
        except ClassError:
            errors["class"] = "err.student.class"
    out["address"] = one_line(data.address)
    if len(out["address"]) > MAX_ADDRESS:
        errors["address"] = "err.too_long_line"
    phone = clean_phone(data.phone)
    if phone is None:
        errors["phone"] = "err.student.phone"
    out["phone"] = phone or ""
    out["village"] = None
    if data.village is not None:
        from db.villages import VillageError, clean_village

        try:
            out["village"] = clean_village(data.village)
        except VillageError:
            errors["village"] = "err.student.village_long"
    unknown = set(data.family_flags) - set(FAMILY_FLAGS)
    if unknown:
        errors["family_flags"] = "err.choice"
    out["family_flags"] = ",".join(f for f in FAMILY_FLAGS if f in set(data.family_flags))
    out["family_notes"] = clean(data.family_notes).strip()
    if len(out["family_notes"]) > MAX_NOTES:
        errors["family_notes"] = "err.too_long"
    guardians = []
    if sum(1 for g in data.guardians if not g.blank()) > MAX_GUARDIANS:
        errors["guardians"] = "err.student.guardians"
    for i, g in enumerate(data.guardians, 1):
        if g.blank():  # an empty block; a stored guardian cleared out is removed
            continue
        gout: dict[str, Any] = {"id": g.id, "lives_with": bool(g.lives_with),
                                "works_away": bool(g.works_away)}
        gout["name"] = one_line(g.name)
        if not gout["name"]:
            errors[f"guardian.{i}.name"] = "err.student.name_blank"
        elif len(gout["name"]) > MAX_NAME:
            errors[f"guardian.{i}.name"] = "err.student.name_long"
        rel = (g.relation or "").strip().lower()
        rel = RELATION_KEYS.get(rel, rel) if rel else "guardian"
        if rel not in RELATIONS:
            errors[f"guardian.{i}.relation"] = "err.choice"
        gout["relation"] = rel
        phone = clean_phone(g.phone)
        if phone is None:
            errors[f"guardian.{i}.phone"] = "err.student.phone"
        gout["phone"] = phone or ""
        gout["wechat"] = one_line(g.wechat)
        if len(gout["wechat"]) > MAX_NAME:
            errors[f"guardian.{i}.wechat"] = "err.student.name_long"
        guardians.append(gout)
    out["guardians"] = guardians
    if errors:
        raise StudentError(errors)
    return out


def _student_values(student: Student) -> dict:
    return {"student_no": student.student_no, "name": student.name, "gender": student.gender,
            "school_class": student.school_class_id, "birth_date": student.birth_date,
            "address": student.address, "phone": student.phone, "village": student.village,
            "family_flags": student.family_flags, "family_notes": student.family_notes}


GUARDIAN_FIELDS = ("name", "relation", "phone", "wechat", "lives_with", "works_away")


def save_student(actor, data: StudentInput, student_id: int | None = None,
                 expected_version: int | None = None) -> Student:
    """Add a student (``student_id`` None) or change one, with their guardians,
    in one transaction.  Managers only (``db.access``: "manage").  A changed
    student whose version moved on since ``expected_version`` raises
    ``StudentError(code="version")`` and writes nothing.  Guardians are
    matched by ``id``; one left out of ``data.guardians`` is removed.
    The village is ``data.village`` when typed, else read from the address
    (``db.villages``: a village set by hand is kept when ``data.village`` is None)."""
    from db import access
    from db.classes import ensure_class
    from db.pinyin import name_keys
    from db.villages import village_after, village_of

    access.require(actor, "manage")
    values = validate_student(data, student_id)
    guardians = values.pop("guardians")
    typed = values.pop("village")
    with journal.transaction():
        planned = values.pop("class")
        values["school_class"] = ensure_class(actor, planned) if planned else None
        values["pinyin"], values["initials"] = name_keys(values["name"])
        now = clock.now()
        student: Student | None
        if student_id is None:
            values["village"] = typed or village_of(values["address"])
            student = Student.create(**values, created_at=now, updated_at=now)
            changes = {k: v for k, v in _student_values(student).items() if v}
            audit.record(actor, "student", student.id, "insert", changes)
        else:
            student = Student.get_or_none(Student.id == student_id)
            if student is None:
                raise StudentError(code="gone")
            if expected_version is not None and student.version != expected_version:
                raise StudentError(code="version")
            values["village"] = (typed or village_of(values["address"]) if typed is not None
                                 else village_after(student.village, student.address,
                                                    values["address"]))
            before = _student_values(student)
            after = {k: values[k] for k in before}
            changes = audit.diff(before, after)
            if changes:
                values.update(version=student.version + 1, updated_at=now)
                Student.update(**values).where(Student.id == student_id).execute()
                audit.record(actor, "student", student_id, "update",
                             dict(changes, version=[student.version, student.version + 1]))
                student = Student.get_by_id(student_id)
        _save_guardians(actor, student.id, guardians)
    return student


def _save_guardians(actor, student_id: int, guardians: list[dict]) -> None:
    stored = {g.id: g for g in Guardian.select().where(Guardian.student == student_id)}
    kept = set()
    for g in guardians:
        gid = g.pop("id")
        old = stored.get(gid) if gid is not None else None
        if old is None:
            row = Guardian.create(student=student_id, **g)
            audit.record(actor, "guardian", row.id, "insert",
                         dict({k: v for k, v in g.items() if v}, student=student_id))
            continue
        kept.add(gid)
        changes = audit.diff({k: getattr(old, k) for k in GUARDIAN_FIELDS}, g)
        if changes:
            Guardian.update(**g).where(Guardian.id == gid).execute()
            audit.record(actor, "guardian", gid, "update", changes)
    for gid, old in stored.items():
        if gid not in kept:
            Guardian.delete().where(Guardian.id == gid).execute()
            audit.record(actor, "guardian", gid, "delete",
                         {"student": student_id, "name": old.name, "relation": old.relation})


@dataclass
class StudentForm:
    """A stored student as the editor shows it (``StudentInput`` plus its version)."""

    student_id: int
    version: int
    data: StudentInput
    class_name: str = ""


def load_student(student_id: int) -> StudentForm | None:
    """The student as the editor shows them; the village is blank when it is
    what the address reads as (the editor shows that value as its hint)."""
    from db.models import SchoolClass
    from db.villages import village_of

    s = Student.get_or_none(Student.id == student_id)
    if s is None:
        return None
    cls = SchoolClass.get_or_none(SchoolClass.id == s.school_class_id) if s.school_class_id else None
    data = StudentInput(
        student_no=s.student_no, name=s.name, gender=s.gender,
        class_text=(cls.code or cls.name) if cls else "",
        birth_date=s.birth_date.isoformat() if s.birth_date else "",
        address=s.address, phone=s.phone,
        village="" if s.village == village_of(s.address) else s.village,
        family_flags=split_codes(s.family_flags),
        family_notes=s.family_notes,
        guardians=[GuardianInput(g.name, g.relation, g.phone, g.wechat, g.lives_with,
                                 g.works_away, g.id)
                   for g in Guardian.select().where(Guardian.student == student_id)
                   .order_by(Guardian.id)])
    return StudentForm(s.id, s.version, data, cls.name if cls else "")


def mask_id(number: str) -> str:
    """An identity-card number as it may ever be shown: its first 3 and last 2
    characters ("110**************3X"); the file keeps it only when a school
    mapped it on import."""
    number = one_line(number)
    if len(number) <= 5:
        return "*" * len(number)
    return number[:3] + "*" * (len(number) - 5) + number[-2:]
