"""The facts of a note a family can read (家长版小结): for one case, as of a day.

A teacher reviews the note, then copies it out (for WeChat) or writes it as a
file; bangfu sends nothing itself.  This module gathers only what may go to a
family, as facts (counts, dates, codes, a trend); ``tui.parent_note`` words
them.  What goes in, and what never does:

- the period is the last 30 days up to the day (``PERIOD_DAYS``), the same
  length whatever the day of the month;
- the school's sessions with the student and its contacts with the family in
  that period, counted by channel: entries that are not restricted only
  (``contact.restricted`` empty), and never any entry's text; the family
  events (parent school, meetings …) the family came to, counted by kind,
  never an event's topic, evaluation or a note on the family;
- progress in plain words: the scores of the case's term up to the day, each
  subject's first against its latest (as a share of full marks): better, about
  the same or lower; never a rank against classmates, never a raw score;
- the plan's open goals ("what we are working on");
- what the family can do: suggestions from the catalog, chosen by the case's
  categories (codes, never free text);
- the next contact: the date the next family contact is due (the school's
  rules, ``db.workflow``) or an open follow-up with the family falls due,
  whichever comes first; a restricted entry's follow-up gives its date only.

Never used: the family notes, the cause analysis and every other case-file
text (the measures too: staff write them for staff, and they name classmates
paired as peer helpers, counselling arrangements), every field marked
confidential (``case_file.restricted_fields``),
check-ins (how a child feels is the counsellor's to share), restricted
entries' texts, the family's circumstances (flags, causes).

Who may make one: staff who may see the student (``db.access.sees_student``)
and have the ``parent_note`` ability; volunteers never (they do not see
family data).  Nothing is written here; ``record_export`` writes the audit row
when a note leaves bangfu (a file, the clipboard).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

from peewee import JOIN

from db import access, audit, clock
from db.dates import as_date
from db.models import Case, Contact, Goal, SchoolClass, Staff, Student
from db.store import journal
from db.vocab import CATEGORIES, OPEN_STATUSES, split_codes

if TYPE_CHECKING:
    from db.models import Rows

PERIOD_DAYS = 30  # "the past month": the last 30 days, the day itself included
SAME_WITHIN = 0.03  # a change under 3% of the first score is "about the same"
COUNTED_KINDS = ("student", "family")  # entries among colleagues say nothing to a family
MAX_GOALS = 3  # the open goals named, the nearest due first
EXPORT_HOW = ("file", "clipboard", "print")  # how a note left: bangfu note prints


@dataclass(slots=True)
class NoteFacts:
    """What a note may say (see the module's text); nothing in it is restricted."""

    case_id: int
    student_name: str
    class_name: str
    start: dt.date  # the period: start .. as_of, both included
    as_of: dt.date
    student_sessions: dict[str, int] = field(default_factory=dict)  # channel -> count
    family_contacts: dict[str, int] = field(default_factory=dict)
    events: dict[str, int] = field(default_factory=dict)  # event kind -> attended
    trend: str = ""  # "better", "same", "lower"; "" = not enough scores to compare
    better: list[str] = field(default_factory=list)  # subjects
    lower: list[str] = field(default_factory=list)
    goals: list[str] = field(default_factory=list)  # open goals' texts
    categories: list[str] = field(default_factory=list)  # choose the suggestions
    next_contact: dt.date | None = None
    author: str = ""  # who prepares the note (signs it)

    @property
    def sessions(self) -> int:
        return sum(self.student_sessions.values())

    @property
    def contacts(self) -> int:
        return sum(self.family_contacts.values())

    @property
    def attended(self) -> int:
        return sum(self.events.values())


def check_reader(reader, student_id: int) -> None:
    """Refuse (``access.NotAllowed``) a reader who may not make this note."""
    access.require(reader, "parent_note")
    if not access.sees_student(reader, student_id):
        raise access.NotAllowed("student")


def case_student(case_id: int) -> int | None:
    return Case.select(Case.student).where(Case.id == case_id).scalar()


def note_facts(reader, case_id: int, as_of: dt.date | None = None) -> NoteFacts | None:
    """The facts of ``case_id``'s note on ``as_of`` (today), for ``reader``;
    ``None`` when the case is gone.  Raises ``access.NotAllowed``."""
    access.require(reader, "parent_note")  # before anything is read
    as_of = as_of or clock.today()
    row = (Case.select(Case.id, Case.status, Case.categories, Case.opened_on, Student.id,
                       Student.name,
                       Student.student_no, SchoolClass.name)
           .join(Student).join(SchoolClass, JOIN.LEFT_OUTER)
           .where(Case.id == case_id).tuples().first())
    if row is None:
        return None
    (_, status, categories, opened_on, student_id, name, number, class_name) = row
    check_reader(reader, student_id)
    start = as_of - dt.timedelta(days=PERIOD_DAYS - 1)
    facts = NoteFacts(case_id, name, class_name or "", start, as_of,
                      author=getattr(reader, "name", "") or "")
    _count_entries(facts)
    _count_events(facts, student_id)
    _progress(facts, student_id)
    facts.goals = [text for (text,) in cast("Rows", Goal.select(Goal.text)
                   .where(Goal.case == case_id, Goal.status == "open")
                   .order_by(Goal.due_date.is_null(), Goal.due_date, Goal.id)
                   .limit(MAX_GOALS).tuples())]
    facts.categories = [c for c in split_codes(categories) if c in CATEGORIES]
    if status in OPEN_STATUSES:
        facts.next_contact = _next_contact(case_id, student_id, name, class_name or "",
                                           number, as_date_or_none(opened_on), as_of)
    return facts


def as_date_or_none(value) -> dt.date | None:
    return as_date(value) if value else None


def _count_entries(facts: NoteFacts) -> None:
    start = dt.datetime.combine(facts.start, dt.time.min)
    end = dt.datetime.combine(facts.as_of + dt.timedelta(days=1), dt.time.min)
    query = (Contact.select(Contact.kind, Contact.channel)
             .where(Contact.case == facts.case_id, Contact.restricted == "",
                    Contact.kind.in_(COUNTED_KINDS),
                    Contact.occurred_at >= start, Contact.occurred_at < end))
    for kind, channel in cast("Rows", query.tuples()):
        counts = facts.student_sessions if kind == "student" else facts.family_contacts
        counts[channel] = counts.get(channel, 0) + 1


def _count_events(facts: NoteFacts, student_id: int) -> None:
    from db.models import EventAttendance, FamilyEvent

    query = (FamilyEvent.select(FamilyEvent.kind).join(EventAttendance)
             .where(EventAttendance.student == student_id, EventAttendance.attended == True,  # noqa: E712
                    FamilyEvent.held_on.between(facts.start, facts.as_of)))
    for (kind,) in cast("Rows", query.tuples()):
        facts.events[kind] = facts.events.get(kind, 0) + 1


def _progress(facts: NoteFacts, student_id: int) -> None:
    """Better / about the same / lower over the case's term up to the day."""
    from db.progress import measure, relative, scores_between, term_of_case

    begin, end, _ = term_of_case(facts.case_id, facts.as_of)
    if begin > facts.as_of:
        return
    points = scores_between([student_id], begin, min(end, facts.as_of)).get(student_id, {})
    m = measure(points)
    if not m.measurable or m.change is None:
        return
    facts.trend = _word(m.change)
    for subject in m.subjects:
        change = relative(subject.first, subject.latest) if subject.counts else None
        if change is None:
            continue
        word = _word(change)
        if word == "better":
            facts.better.append(subject.subject)
        elif word == "lower":
            facts.lower.append(subject.subject)


def _word(change: float) -> str:
    if change >= SAME_WITHIN:
        return "better"
    if change <= -SAME_WITHIN:
        return "lower"
    return "same"


def _next_contact(case_id: int, student_id: int, name: str, class_name: str, number: str,
                  opened_on: dt.date | None, as_of: dt.date) -> dt.date | None:
    """The first family contact due (a rule of the school's, or an open
    follow-up with the family), never before ``as_of``."""
    from db.workflow import OpenCase, due_items, load_rules

    rules = load_rules()
    family_rules = {r.code for r in rules if r.log_kind == "family"}
    items = due_items([OpenCase(case_id, student_id, name, class_name, number, opened_on)],
                      as_of, days=366, rules=rules)
    dates = [i.due for i in items
             if i.what in family_rules or (i.what == "follow_up" and i.kind == "family")]
    return max(min(dates), as_of) if dates else None


# -- when a note leaves bangfu ---------------------------------------------------------------

def record_export(actor: Staff, case_id: int, how: str) -> None:
    """The audit row of a note written as a file, copied out or printed
    (``how``): a child's data leaving bangfu.  The note's text is not in the row."""
    if how not in EXPORT_HOW:
        raise ValueError(how)
    student_id = case_student(case_id)
    if student_id is None:
        return
    check_reader(actor, student_id)
    with journal.transaction():
        audit.record(actor, "case_file", case_id, "export", {"parent_note": how})
