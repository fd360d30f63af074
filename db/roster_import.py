"""Bringing a school's roster into the file: what an import would do (the
plan, shown before anything is written) and doing it in one transaction.

``db.roster_file`` reads the file and names every problem by row; here each
good row is matched to the roster by student number:

- a new number is a new student (with their guardians and class, classes
  being made as needed);
- a known number updates that student: only the columns the file has, only
  with values that are not blank (a blank cell never erases what staff
  typed), guardians matched by relation and name (new ones added, none
  removed), and the report says what changed, field by field;
- a new number whose name and birth date equal another student's is a
  probable duplicate: imported as its own student (the numbers differ) and
  flagged, never merged.

The village (属地, ``db.villages``): a file's village column sets it (a value,
like one typed by hand, kept when the address changes later); without one, a
new student's village is read from their address, and a known student's is
read again when the import changes their address and the village was empty
or read from the old address (``village_after``).

Managers only (``db.access``: "manage").  No Textual here: the CLI
(``bangfu import roster``) and the import screen call the same functions.

Memory does not grow with the roster beyond a few small values a row: the
records are matched and written a chunk at a time (``ParsedFile.record_chunks``,
500 rows: one query for their students, one for their guardians), the plan
keeps counts, the new classes, the first ``MAX_LISTED`` updates and probable
duplicates for the report and a digest of each chunk's plan; the import
plans each chunk again inside its transaction and stops (writing nothing)
when a digest differs: someone changed the roster since the preview.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

from db import access, audit, clock
from db.store import journal
from db.models import Guardian, SchoolClass, Student
from db.roster_file import MAX_LISTED, GuardianRecord, ParsedFile, Problem, RosterRecord
from db.students import MAX_GUARDIANS
from db.vocab import FAMILY_FLAGS, split_codes

if TYPE_CHECKING:
    from db.models import Rows

# student fields an import may change, as the record names them
STUDENT_FIELDS = ("name", "gender", "birth_date", "class", "address", "phone", "id_number",
                  "village")
FLAG_FIELDS = {"left_behind": ("left_behind_one", "left_behind_both"), "only_child": ("only_child",),
               "orphan": ("orphan",), "migrant": ("migrant",)}


@dataclass
class Change:
    field: str  # a STUDENT_FIELDS name, "family_flags" or "guardian"
    old: str
    new: str


@dataclass
class PlanRow:
    record: RosterRecord
    action: str  # "new", "update", "same" or "refused" (a problem: left out)
    student_id: int | None = None
    changes: list[Change] = field(default_factory=list)
    duplicate_of: tuple[str, str] | None = None  # (number, name) of the probable same person


@dataclass
class ImportPlan:
    parsed: ParsedFile
    new_classes: list[str]  # codes of the classes the import would make
    counts: dict[str, int] = field(default_factory=dict)  # by action
    updates: list[PlanRow] = field(default_factory=list)  # the first MAX_LISTED
    duplicates: list[PlanRow] = field(default_factory=list)  # the first MAX_LISTED
    problems: list[Problem] = field(default_factory=list)  # rows refused against the roster
    more: dict[str, int] = field(default_factory=dict)  # "updates"/"duplicates"/"problems"
    digests: list[bytes] = field(default_factory=list, repr=False)  # one per chunk

    def count(self, action: str) -> int:
        return self.counts.get(action, 0)

    @property
    def problem_rows(self) -> int:
        """Rows left out: the file's problems and the rows refused against the roster."""
        return self.parsed.problem_rows + self.count("refused")


class RosterChanged(Exception):
    """Someone changed the roster between the preview and the import: nothing
    was written; read the file again to see what the import would do now."""


@dataclass
class ImportResult:
    new: int
    updated: int
    same: int
    classes: int
    skipped: int  # rows with a problem, not imported


def _present(parsed: ParsedFile) -> set[str]:
    """The record fields the file has columns for."""
    fields = {c.field for c in parsed.columns if c.field}
    present = {f for f in STUDENT_FIELDS if f in fields}
    if fields & {"class", "grade"}:
        present.add("class")
    present |= {f for f in FLAG_FIELDS if f in fields}
    if any(f.endswith("_name") for f in fields):
        present.add("guardians")
    return present


def _flags_after(stored: str, record: RosterRecord) -> str:
    flags = set(split_codes(stored))
    for code, on in record.flags.items():
        if on:
            flags.add(code)
        else:
            flags.discard(code)
    return ",".join(f for f in FAMILY_FLAGS if f in flags)


def _text(value) -> str:
    if value is None:
        return ""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _guardian_changes(stored: list, record: RosterRecord) -> list[tuple[GuardianRecord, int | None]]:
    """The file's guardians that are new or whose phone changed, each with the
    stored guardian it updates (None: a new one)."""
    out: list[tuple[GuardianRecord, int | None]] = []
    for g in record.guardians:
        match = next((s for s in stored if s.name == g.name
                      and (s.relation == g.relation or g.relation == "guardian")), None)
        if match is None:
            out.append((g, None))
        elif g.phone and g.phone != match.phone:
            out.append((g, match.id))
    return out


def _plan_chunk(records: list[RosterRecord], present: set[str],
                classes: dict[int, str]) -> list[PlanRow]:
    """Each record new, an update or the same, against the roster as it is now."""
    numbers = [r.student_no for r in records]
    stored = {s.student_no: s for s in Student.select().where(Student.student_no.in_(numbers))}
    guardians: dict[int, list] = {}
    if stored:
        ids = [s.id for s in stored.values()]
        for g in Guardian.select().where(Guardian.student.in_(ids)).order_by(Guardian.id):
            guardians.setdefault(g.student_id, []).append(g)
    rows = []
    for record in records:
        student = stored.get(record.student_no)
        if student is None:
            rows.append(PlanRow(record, "new"))
        else:
            rows.append(_update_row(record, student, present, classes,
                                    guardians.get(student.id, [])))
    return rows


def _digest(rows: list[PlanRow]) -> bytes:
    """What a chunk's plan would write, in 16 bytes."""
    h = hashlib.blake2b(digest_size=16)
    for r in rows:
        h.update(repr((r.record.row, r.action, r.student_id,
                       [(c.field, c.old, c.new) for c in r.changes])).encode())
    return h.digest()


def _person(name: str, born) -> bytes:
    return hashlib.blake2b(f"{name}\x00{_text(born)}".encode(), digest_size=8).digest()


def plan_import(parsed: ParsedFile, progress=None) -> ImportPlan:
    """What importing ``parsed`` would do; reads the file, writes nothing."""
    present = _present(parsed)
    classes = {c.id: c.code for c in SchoolClass.select(SchoolClass.id, SchoolClass.code)}
    known_codes = set(classes.values()) | {
        n for (n,) in cast("Rows", SchoolClass.select(SchoolClass.name).tuples())}
    plan = ImportPlan(parsed, [], counts={"new": 0, "update": 0, "same": 0, "refused": 0})
    more = {"updates": 0, "duplicates": 0, "problems": 0}
    # (name, birth date) → the number of the first student with them: the
    # roster's, then the file's new rows (8-byte digests: a few bytes a row)
    by_person: dict[bytes, str] = {}
    total, done = parsed.record_count, 0
    for records in parsed.record_chunks():
        names = list({r.name for r in records if r.birth_date})
        if names:
            for no, name, born in cast("Rows", Student.select(Student.student_no, Student.name,
                                                              Student.birth_date)
                                       .where(Student.name.in_(names)).tuples()):
                if born:
                    by_person.setdefault(_person(name, born), no)
        rows = _plan_chunk(records, present, classes)
        plan.digests.append(_digest(rows))
        for row in rows:
            record = row.record
            plan.counts[row.action] += 1
            if record.class_code and record.class_code not in known_codes \
                    and record.class_name not in known_codes \
                    and record.class_code not in plan.new_classes:
                plan.new_classes.append(record.class_code)
            if row.action == "new" and record.birth_date:
                key = _person(record.name, record.birth_date)
                other = by_person.setdefault(key, record.student_no)
                if other != record.student_no:
                    row.duplicate_of = (other, record.name)
                    if len(plan.duplicates) < MAX_LISTED:
                        plan.duplicates.append(row)
                    else:
                        more["duplicates"] += 1
            elif row.action == "update":
                if len(plan.updates) < MAX_LISTED:
                    plan.updates.append(row)
                else:
                    more["updates"] += 1
            elif row.action == "refused":
                if len(plan.problems) < MAX_LISTED:
                    plan.problems.append(Problem(record.row, "guardian", "too_many_guardians",
                                                 row.changes[0].new, MAX_GUARDIANS))
                else:
                    more["problems"] += 1
        done += len(records)
        if progress:
            progress(done, total)
    plan.more = {k: v for k, v in more.items() if v}
    return plan


def _update_row(record: RosterRecord, student: Student, present: set[str],
                classes: dict[int, str], stored_guardians: list) -> PlanRow:
    changes = []
    for name in ("name", "gender", "birth_date", "address", "phone", "id_number"):
        new = getattr(record, name)
        old = getattr(student, name)
        if name in present and new not in ("", None) and new != old:
            changes.append(Change(name, _text(old), _text(new)))
    village = _village_after(record, student, present)
    if village != student.village:
        changes.append(Change("village", student.village, village))
    if "class" in present and record.class_code:
        old = classes.get(student.school_class_id, "")  # type: ignore[arg-type]  # None: no class
        if old != record.class_code:
            changes.append(Change("class", old, record.class_code))
    if record.flags:
        after = _flags_after(student.family_flags, record)
        if after != student.family_flags:
            changes.append(Change("family_flags", student.family_flags, after))
    guardian_changes = _guardian_changes(stored_guardians, record)
    guardians_after = len(stored_guardians) + sum(1 for _, gid in guardian_changes if gid is None)
    if guardians_after > MAX_GUARDIANS:  # more than the student editor takes: left out
        return PlanRow(record, "refused", student.id,
                       [Change("guardian", str(len(stored_guardians)), str(guardians_after))])
    for g, gid in guardian_changes:
        old = next((s.phone for s in stored_guardians if s.id == gid), "")
        changes.append(Change("guardian", f"{g.name} {old}".strip() if gid else "",
                              f"{g.name} {g.phone}".strip()))
    return PlanRow(record, "update" if changes else "same", student.id, changes)


def _village_after(record: RosterRecord, student: Student, present: set[str]) -> str:
    """The village once ``record`` is imported: the file's village when it
    has one, else read again from a changed address (``db.villages``)."""
    from db.villages import village_after

    if "village" in present and record.village:
        return record.village
    if "address" in present and record.address and record.address != student.address:
        return village_after(student.village, student.address, record.address)
    return student.village


def apply_import(actor, plan: ImportPlan, progress=None) -> ImportResult:
    """Write the plan in one transaction (all of it or nothing); one audit row
    per student and guardian written and one for the import as a whole.
    Each chunk of rows is planned again inside the transaction (the write
    lock is held): when it would now do something else than the preview
    said, ``RosterChanged`` rolls everything back."""
    from db.classes import ensure_class, planned
    from db.pinyin import name_keys
    from db.villages import village_of

    access.require(actor, "manage")
    parsed = plan.parsed
    present = _present(parsed)
    total = parsed.record_count
    made_classes = 0
    with journal.transaction():
        classes = {c.id: c.code for c in SchoolClass.select(SchoolClass.id, SchoolClass.code)}
        class_ids = {code: cid for cid, code in classes.items()}
        class_ids.update({c.name: c.id for c in SchoolClass.select(SchoolClass.id,
                                                                   SchoolClass.name)})

        def class_id(record: RosterRecord) -> int | None:
            nonlocal made_classes
            if not record.class_code:
                return None
            found = class_ids.get(record.class_code) or class_ids.get(record.class_name)
            if found is None:
                grade, number = record.class_code.split("-")
                found = ensure_class(actor, planned(int(grade), int(number)))
                class_ids[record.class_code] = found
                made_classes += 1
            return found

        now = clock.now()
        n = chunks = 0
        for records in parsed.record_chunks():
            # the preview must still say what happens
            rows = _plan_chunk(records, present, classes)
            if chunks >= len(plan.digests) or _digest(rows) != plan.digests[chunks]:
                raise RosterChanged()
            chunks += 1
            for row in rows:
                r = row.record
                if row.action == "new":
                    pinyin, initials = name_keys(r.name)
                    student = Student.create(
                        student_no=r.student_no, name=r.name, gender=r.gender,
                        school_class=class_id(r), birth_date=r.birth_date, address=r.address,
                        phone=r.phone, id_number=r.id_number,
                        village=r.village or village_of(r.address),
                        family_flags=_flags_after("", r), pinyin=pinyin, initials=initials,
                        created_at=now, updated_at=now)
                    audit.record(actor, "student", student.id, "insert",
                                 {"student_no": r.student_no, "name": r.name})
                    for g in r.guardians:
                        _add_guardian(actor, student.id, g)
                elif row.action == "update":
                    _update_student(actor, row, class_id)
                n += 1
                if progress and (n % 200 == 0 or n == total):
                    progress(n, total)
        if chunks != len(plan.digests):
            raise RosterChanged()
        result = ImportResult(plan.count("new"), plan.count("update"), plan.count("same"),
                              made_classes, plan.problem_rows)
        audit.record(actor, "student", "", "bulk",
                     {"import": parsed.path.replace("\\", "/").rsplit("/", 1)[-1],
                      "new": result.new, "updated": result.updated, "unchanged": result.same,
                      "classes": made_classes, "skipped": result.skipped})
    return result


def _add_guardian(actor, student_id: int, g: GuardianRecord) -> None:
    row = Guardian.create(student=student_id, name=g.name, relation=g.relation, phone=g.phone)
    audit.record(actor, "guardian", row.id, "insert",
                 {"student": student_id, "name": g.name, "relation": g.relation})


def _update_student(actor, row: PlanRow, class_id) -> None:
    from db.pinyin import name_keys

    r = row.record
    student = Student.get_by_id(row.student_id)
    values: dict = {}
    changes: dict[str, list] = {}
    for change in row.changes:
        if change.field == "guardian":
            continue
        if change.field == "class":
            values["school_class"] = class_id(r)
        elif change.field in ("family_flags", "village"):
            values[change.field] = change.new
        else:
            values[change.field] = getattr(r, change.field)
        changes[change.field] = [change.old, change.new]
    if "name" in values:
        values["pinyin"], values["initials"] = name_keys(values["name"])
    if values:
        values.update(version=student.version + 1, updated_at=clock.now())
        Student.update(**values).where(Student.id == student.id).execute()
        changes["version"] = [student.version, student.version + 1]
        audit.record(actor, "student", student.id, "update", changes)
    stored = list(Guardian.select().where(Guardian.student == student.id))
    for g, gid in _guardian_changes(stored, r):
        if gid is None:
            _add_guardian(actor, student.id, g)
        else:
            old = next(s for s in stored if s.id == gid)
            Guardian.update(phone=g.phone).where(Guardian.id == gid).execute()
            audit.record(actor, "guardian", gid, "update", {"phone": [old.phone, g.phone]})
