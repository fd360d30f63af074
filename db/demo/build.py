"""A believable demo school: classes, staff, students, families, cases, contacts,
and this term's exam scores and check-ins.

``build_demo`` fills an empty (migrated) database so the app can be tried,
shown and benchmarked.  The content is a function of ``(seed,
clock.today())`` only: one ``random.Random(seed)``, contact UUIDs drawn
from it, every timestamp derived from the term dates, ids given explicitly.
What came later (stage reviews and peer pairs; scores and check-ins) draws
from streams of its own, so adding it left the rest of a seed's school as it
was.  The scores put the term's 10% figure (``db.progress``) near 65-70% of
the measurable supported students, short of the 80% target.
Rows are written by prepared statements (``_write``) inside one transaction,
so 20,000 students take seconds, not minutes.

The builder grows in three layers (``db.demo.school``: the people;
``db.demo.cases``; ``db.demo.contacts``: the contact log), from the fixed
data of ``db.demo.words`` and the calendar of ``db.demo.calendar``; this
module writes what it made.

Run by hand: ``python -m db.demo.build PATH [--students N] [--seed S]``.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from typing import TYPE_CHECKING, Callable, cast

from peewee import fn

from db import clock
from db.demo.contacts import Builder
from db.demo.families import build_families
from db.demo.oversight import after_write, build_oversight
from db.rules import as_dict
from db.workflow import RULES_KEY, put_setting
from db.demo.words import HOST
from db.store.dialect import on_server
from db.models import (Assignment, AuditLog, Case, Checkin, Contact, EventAttendance,
                       FamilyEvent, Feedback, Goal, Guardian, Holiday, Organisation,
                       OutsideHelper, PeerPair, Recognition, Referral, SchoolClass, Score,
                       StageReview, Staff, Student, Survey, SurveyAnswer, Term, database)

if TYPE_CHECKING:
    from db.models import Rows


ProgressFn = Callable[[int, int], None]


FIELDS = {
    "term": (Term.id, Term.name, Term.school_year, Term.semester, Term.start_date,
             Term.end_date),
    "staff": (Staff.id, Staff.name, Staff.pinyin, Staff.initials, Staff.role, Staff.active,
              Staff.created_at, Staff.pin_hash, Staff.classes),
    "school_class": (SchoolClass.id, SchoolClass.name, SchoolClass.code, SchoolClass.grade,
                     SchoolClass.head_teacher),
    "student": (Student.id, Student.student_no, Student.name, Student.gender,
                Student.school_class, Student.birth_date, Student.family_flags,
                Student.family_notes, Student.pinyin, Student.initials, Student.version,
                Student.created_at, Student.updated_at, Student.address, Student.village),
    "guardian": (Guardian.id, Guardian.student, Guardian.name, Guardian.relation,
                 Guardian.phone, Guardian.wechat, Guardian.lives_with, Guardian.notes),
    "case_file": (Case.id, Case.student, Case.term, Case.status, Case.categories, Case.causes,
                  Case.risk_level, Case.strengths, Case.academic_base, Case.main_problems,
                  Case.cause_analysis, Case.measures, Case.opened_on, Case.closed_on,
                  Case.version, Case.updated_at, Case.updated_by),
    "assignment": (Assignment.id, Assignment.case, Assignment.staff, Assignment.role,
                   Assignment.assigned_on, Assignment.active),
    "goal": (Goal.id, Goal.case, Goal.horizon, Goal.text, Goal.measure, Goal.due_date,
             Goal.status),
    "stage_review": (StageReview.id, StageReview.uuid, StageReview.case,
                     StageReview.review_date, StageReview.summary, StageReview.goals,
                     StageReview.next_review, StageReview.author, StageReview.created_at),
    "peer_pair": (PeerPair.id, PeerPair.case, PeerPair.helper, PeerPair.focus, PeerPair.since,
                  PeerPair.active),
    "score": (Score.id, Score.uuid, Score.student, Score.exam, Score.subject, Score.taken_on,
              Score.score, Score.full_marks, Score.author, Score.version, Score.updated_at),
    "checkin": (Checkin.id, Checkin.uuid, Checkin.student, Checkin.taken_on, Checkin.ratings,
                Checkin.note, Checkin.author, Checkin.version, Checkin.updated_at),
    "contact": (Contact.id, Contact.uuid, Contact.case, Contact.author, Contact.occurred_at,
                Contact.kind, Contact.channel, Contact.participants, Contact.duration_min,
                Contact.discussed, Contact.agreed, Contact.follow_up, Contact.follow_up_due,
                Contact.follow_up_done_on, Contact.created_at, Contact.host),
    # db.demo.families
    "holiday": (Holiday.id, Holiday.uuid, Holiday.name, Holiday.kind, Holiday.start_date,
                Holiday.end_date, Holiday.version, Holiday.updated_at),
    "family_event": (FamilyEvent.id, FamilyEvent.uuid, FamilyEvent.held_on, FamilyEvent.kind,
                     FamilyEvent.topic, FamilyEvent.led_by, FamilyEvent.classes,
                     FamilyEvent.evaluation, FamilyEvent.author, FamilyEvent.version,
                     FamilyEvent.updated_at),
    "event_attendance": (EventAttendance.id, EventAttendance.uuid, EventAttendance.event,
                         EventAttendance.student, EventAttendance.attended,
                         EventAttendance.rating, EventAttendance.note, EventAttendance.author,
                         EventAttendance.version, EventAttendance.updated_at),
    # an attended family's contact (db.event_contacts): a contact with its meeting id
    "event_contact": (Contact.id, Contact.uuid, Contact.case, Contact.author, Contact.occurred_at,
                      Contact.kind, Contact.channel, Contact.participants,
                      Contact.duration_min, Contact.discussed, Contact.agreed,
                      Contact.follow_up, Contact.follow_up_due, Contact.follow_up_done_on,
                      Contact.created_at, Contact.host, Contact.meeting_id),
    "feedback": (Feedback.id, Feedback.uuid, Feedback.student, Feedback.received_on,
                 Feedback.channel, Feedback.kind, Feedback.text, Feedback.owner, Feedback.due_on,
                 Feedback.answer, Feedback.answered_on, Feedback.resolved, Feedback.author,
                 Feedback.version, Feedback.updated_at),
    "survey": (Survey.id, Survey.uuid, Survey.term, Survey.title, Survey.questions,
               Survey.target, Survey.taken_on, Survey.author, Survey.version, Survey.updated_at),
    "survey_answer": (SurveyAnswer.id, SurveyAnswer.uuid, SurveyAnswer.survey,
                      SurveyAnswer.student, SurveyAnswer.answers, SurveyAnswer.note,
                      SurveyAnswer.author, SurveyAnswer.version, SurveyAnswer.updated_at),
    "recognition": (Recognition.id, Recognition.uuid, Recognition.given_on, Recognition.who,
                    Recognition.student, Recognition.staff, Recognition.what,
                    Recognition.given_by, Recognition.author, Recognition.version,
                    Recognition.updated_at),
    # db.demo.oversight
    "organisation": (Organisation.id, Organisation.uuid, Organisation.name, Organisation.kind,
                     Organisation.phone, Organisation.note, Organisation.active,
                     Organisation.version, Organisation.updated_at),
    "referral": (Referral.id, Referral.uuid, Referral.case, Referral.organisation,
                 Referral.reason, Referral.consent, Referral.sent_on, Referral.status,
                 Referral.outcome, Referral.follow_up_on, Referral.author, Referral.version,
                 Referral.updated_at),
    "outside_helper": (OutsideHelper.id, OutsideHelper.uuid, OutsideHelper.case,
                       OutsideHelper.name, OutsideHelper.organisation, OutsideHelper.role,
                       OutsideHelper.phone, OutsideHelper.since, OutsideHelper.active,
                       OutsideHelper.version, OutsideHelper.updated_at),
    "audit_log": (AuditLog.id, AuditLog.at, AuditLog.staff, AuditLog.staff_name,
                  AuditLog.host, AuditLog.table_name, AuditLog.row_id, AuditLog.action,
                  AuditLog.changes),
}
MODELS = {"term": Term, "staff": Staff, "school_class": SchoolClass, "student": Student,
          "guardian": Guardian, "case_file": Case, "assignment": Assignment, "goal": Goal,
          "stage_review": StageReview, "peer_pair": PeerPair, "contact": Contact,
          "score": Score, "checkin": Checkin, "audit_log": AuditLog, "holiday": Holiday,
          "family_event": FamilyEvent, "event_attendance": EventAttendance,
          "feedback": Feedback, "survey": Survey, "survey_answer": SurveyAnswer,
          "recognition": Recognition, "organisation": Organisation, "referral": Referral,
          "outside_helper": OutsideHelper}
CHUNK = 2000  # rows written between two progress reports


def _next_id(model) -> int:
    return (model.select(fn.MAX(model.id)).scalar() or 0) + 1


def _write(model, fields, rows) -> None:
    """Write what ``model.insert_many(rows, fields=fields)`` would (each value
    through its field's ``db_value``) as one prepared statement run over the
    rows: building the SQL text of a many-row insert cost peewee several times
    what SQLite takes to write the rows."""
    sql = 'INSERT INTO "{}" ({}) VALUES ({})'.format(
        model._meta.table_name, ", ".join(f'"{f.column_name}"' for f in fields),
        ", ".join([database.obj.param] * len(fields)))
    convert = [f.db_value for f in fields]
    database.cursor().executemany(sql, [tuple(c(v) for c, v in zip(convert, row))
                                        for row in rows])


def build_demo(students: int = 1500, seed: int = 1,
               progress: ProgressFn | None = None, homes=None) -> dict[str, int]:
    """Fill the bound, empty database with a demo school; return rows per table.

    The same ``seed`` on the same ``clock.today()`` gives the same content.
    ``homes``: where its students live, as ``db.demo.words.HOMES`` (the default)
    gives them (one school of a demo town: ``db.demo.town``).
    Raises ``ValueError`` when the database already has students or classes.
    """
    if students < 1:
        raise ValueError("students must be at least 1")
    total = 10 * students  # generating is about a third of the work, writing the rest
    report = progress or (lambda done, total: None)
    report(0, total)

    try:
        return _build_demo(students, seed, total, report, homes)
    except BaseException:
        clock.forget()  # the demo's mark went with the rollback
        raise


def _build_demo(students: int, seed: int, total: int, report: ProgressFn,
                homes=None) -> dict[str, int]:
    from db.store import journal

    with journal.transaction():  # one BEGIN IMMEDIATE: all or nothing
        if Student.select().exists():
            raise ValueError("the database already has students")
        if SchoolClass.select().exists():
            raise ValueError("the database already has classes")
        # a demo: BANGFU_TODAY / BANGFU_NOW count on it from here on (db.clock)
        clock.mark_database("demo", at=dt.time(6, 0))
        today = clock.today()
        base = {name: _next_id(model) for name, model in MODELS.items()}
        builder = Builder(students, seed, today)
        if homes:
            builder.homes = homes
        builder.staff_names.update(n for (n,) in cast("Rows", Staff.select(Staff.name).tuples()))

        counts: dict[str, int] = {}
        term_rows = []
        tid = base["term"]
        for term in (builder.prev, builder.term):
            existing = (Term.select(Term.id).where((Term.school_year == term.school_year)
                                                   & (Term.semester == term.semester))
                        .order_by(Term.id).scalar())
            if existing:
                term.id = existing
            else:
                term.id = tid
                term_rows.append((tid, term.name, term.school_year, term.semester,
                                  term.start, term.stored_end or term.end))
                tid += 1
        builder.rows["term"] = term_rows

        builder.build_school(base)
        builder.build_students(base)
        report(students, total)
        builder.build_cases(base)
        builder.case_rows(base)
        builder.build_contacts(base)
        builder.reviews_and_peers(base)
        builder.scores_and_checkins(base)
        base["contact"] += len(builder.rows["contact"])  # the events' contacts come after
        families = build_families(builder, base)
        builder.rows.update(families["rows"])
        put_setting(RULES_KEY, json.dumps([as_dict(r) for r in families["rules"]],
                                          ensure_ascii=False))
        # the oversight from a fifth generator (db.demo.oversight)
        rng5 = random.Random(seed * 7937 + 8)
        builder.rows.update(build_oversight(builder, base, rng5))
        report(3 * students, total)

        order = ("term", "staff", "school_class", "student", "guardian", "case_file",
                 "assignment", "goal", "stage_review", "peer_pair", "contact", "score",
                 "checkin", "holiday", "family_event", "event_attendance", "event_contact",
                 "feedback", "survey", "survey_answer", "recognition", "organisation",
                 "referral", "outside_helper")
        n_rows = sum(len(builder.rows[name]) for name in order) or 1
        written = 0
        for name in order:
            rows = builder.rows[name]
            fields = FIELDS[name]
            for i in range(0, len(rows), CHUNK):
                part = rows[i:i + CHUNK]
                _write(MODELS.get(name, Contact), fields, part)
                written += len(part)
                report(3 * students + 7 * students * written // n_rows, total)
            counts[name] = len(rows)

        counts["contact"] += counts.pop("event_contact")  # (contacts, written after the rest)
        # what reads the rows written: transformations' evidence, last month's supervision
        later = after_write(builder, today, rng5)
        counts.update(later)
        at = dt.datetime.combine(today, dt.time(6, 0))
        audit_rows = []
        aid = base["audit_log"]
        for name in (*order, *later):
            if counts.get(name):
                changes = json.dumps({"rows": counts[name], "source": "demo", "seed": seed},
                                     ensure_ascii=False, sort_keys=True)
                audit_rows.append((aid, at, None, "demo", HOST, name, "", "bulk", changes))
                aid += 1
        # chained like every audit row (db.audit); the staff row seals the accounts made here
        from db import audit

        made = audit.bulk_seal([row[0] for row in builder.rows["staff"]])
        audit.append_many([dict(zip(("id", "at", "staff", "staff_name", "host", "table_name",
                                     "row_id", "action", "changes"), row),
                                seal=made if row[5] == "staff" else "") for row in audit_rows])
        counts["audit_log"] = len(audit_rows) + 1  # and the demo's mark (db.clock)
        if on_server():  # the rows were written with their ids
            from db.store.server import reset_sequences

            reset_sequences(database.obj)
    report(total, total)
    return counts


def main(argv: list[str] | None = None) -> int:
    import argparse
    import time

    from db.store.connection import open_database

    parser = argparse.ArgumentParser(prog="python -m db.demo.build",
                                     description="Fill a new database with a demo school.")
    parser.add_argument("path")
    parser.add_argument("--students", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    db = open_database(args.path, create=True)
    started = time.perf_counter()
    try:
        counts = build_demo(args.students, args.seed)
    except ValueError as exc:
        print(f"not built: {exc}")
        return 1
    finally:
        db.close()
    for name, count in counts.items():
        print(f"{name:14} {count:8,}")
    print(f"built in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
