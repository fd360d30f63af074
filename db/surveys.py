"""Satisfaction surveys of families (家长满意度): the questions, the answers, the figure.

A survey belongs to a term and has 1–20 questions the school sets; each family
(by its student) answers each question on the scale 5 非常满意 (very satisfied),
4 满意 (satisfied), 3 基本满意 (neutral), 2 不太满意 (dissatisfied), 1 不满意 (very
dissatisfied), or leaves it blank.

**The satisfaction figure (满意率)** = the answers rated 4 or 5 ÷ the answers
given, blanks not counted, as a per cent: per class and overall, shown against
the survey's target (85% unless the school set another): met, or short by N
points.  Beside it: how many families answered, out of the class's families.
A reader who sees only some classes (a teacher) gets the rows of those classes,
and the overall figure is over those classes only (``SurveyFigures.partial``).

Who: everyone but volunteers reads the figures (of the classes they see);
managers (``db.access.can(reader, "manage")``) create and edit surveys and
enter answers for every class; class teachers and teachers enter answers for
the classes they see.  Answers are entered per class as a grid
(``save_answers``) or imported from a file (``db.survey_file``); both write in
one transaction, after checking everything.  The answers are kept by question
position: editing a question's text keeps its answers, removing a question
that has answers is refused.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid as uuidlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

from peewee import fn

from db import audit, clock
from db.access import NotAllowed, can, scope_for, sees_class
from db.models import SchoolClass, Staff, Student, Term
from db.models_families import Survey, SurveyAnswer
from db.plan import FieldErrors
from db.scores import FULL_WIDTH, SaveCount, cell_key
from db.store import journal
from db.text import clean, one_line

if TYPE_CHECKING:
    from db.models import Rows

MAX_QUESTIONS = 20
MAX_QUESTION = 200
MAX_TITLE = 60
MAX_NOTE = 500
DEFAULT_TARGET = 85.0
SATISFIED = (4, 5)
NOTE_COLUMN = "note"
ENTER_ROLES = ("class_teacher", "teacher")


class SurveyError(FieldErrors):
    """Refused, nothing written: ``title``, ``target``, ``questions``, ``term``,
    ``cell:<student id>:<column>`` (column ``q1``… or ``note``), ``survey``."""


class SurveyConflict(Exception):
    """Someone saved this survey (or these families' answers) after it was opened."""

    def __init__(self, names: list[str] | None = None):
        super().__init__("version")
        self.names = names or []


def question_column(index: int) -> str:
    """The grid's column (and the error's) of question ``index`` (from 0): q1, q2 …"""
    return f"q{index + 1}"


# -- surveys ------------------------------------------------------------------------------

def questions_of(survey: Survey) -> list[str]:
    try:
        return [str(q) for q in json.loads(survey.questions)]
    except (TypeError, ValueError):
        return []


def answers_of(row: SurveyAnswer, count: int) -> list[int | None]:
    """The stored answers, one per question (a question added later: None)."""
    try:
        values = [v if v in (1, 2, 3, 4, 5) else None for v in json.loads(row.answers)]
    except (TypeError, ValueError):
        values = []
    return (values + [None] * count)[:count]


def check_survey(title: str, target_text, questions) -> tuple[str, float, list[str]]:
    errors: dict[str, str] = {}
    title = one_line(title).strip()
    if not title:
        errors["title"] = "survey.err.title_required"
    elif len(title) > MAX_TITLE:
        errors["title"] = "survey.err.title_long"
    target = 0.0
    try:
        target = float(clean(str(target_text if target_text not in (None, "") else DEFAULT_TARGET),
                             multiline=False).strip().rstrip("%").translate(FULL_WIDTH))
        if not 1 <= target <= 100:
            raise ValueError(target)
    except ValueError:
        errors["target"] = "survey.err.target"
    if isinstance(questions, str):
        questions = questions.splitlines()
    questions = [one_line(q).strip() for q in questions]
    questions = [q for q in questions if q]
    if not questions:
        errors["questions"] = "survey.err.questions_required"
    elif len(questions) > MAX_QUESTIONS:
        errors["questions"] = "survey.err.questions_many"
    elif any(len(q) > MAX_QUESTION for q in questions):
        errors["questions"] = "survey.err.question_long"
    if errors:
        raise SurveyError(errors)
    return title, target, questions


def find_term(text: str) -> Term | None:
    """A term by its name (``""``: the current one)."""
    from db.workflow import current_term

    text = one_line(text).strip()
    if not text:
        return current_term(clock.today())
    return Term.select().where(Term.name == text).first()


def create_survey(actor: Staff, title: str, questions, target=DEFAULT_TARGET,
                  term_text: str = "", taken_on: dt.date | None = None) -> Survey:
    if not can(actor, "manage"):
        raise NotAllowed("manage")
    title, target_value, questions = check_survey(title, target, questions)
    term = find_term(term_text)
    if term is None and one_line(term_text).strip():
        raise SurveyError({"term": "survey.err.term"})
    with journal.transaction():
        row = Survey.create(uuid=str(uuidlib.uuid4()), term=term.id if term else None,
                            title=title, questions=json.dumps(questions, ensure_ascii=False),
                            target=target_value, taken_on=taken_on or clock.today(),
                            author=actor.id, updated_at=clock.now())
        audit.record(actor, "survey", row.id, "insert",
                     {"title": title, "questions": row.questions, "target": target_value,
                      "term": row.term_id})
    return row


def edit_survey(actor: Staff, survey_id: int, version: int, title: str, target,
                questions) -> int:
    """Change the title, target and questions; returns the new version.
    Refused (SurveyConflict) when someone saved the survey since ``version``;
    refused (SurveyError ``questions``) when a removed question has answers."""
    if not can(actor, "manage"):
        raise NotAllowed("manage")
    title, target_value, questions = check_survey(title, target, questions)
    with journal.transaction():
        survey = Survey.get_or_none(Survey.id == survey_id)
        if survey is None:
            raise SurveyError({"survey": "survey.err.gone"})
        if survey.version != version:
            raise SurveyConflict()
        old = questions_of(survey)
        if len(questions) < len(old):
            for row in SurveyAnswer.select().where(SurveyAnswer.survey == survey_id):
                if any(v is not None for v in answers_of(row, len(old))[len(questions):]):
                    raise SurveyError({"questions": "survey.err.answered_removed"})
        text = json.dumps(questions, ensure_ascii=False)
        changes = audit.diff({"title": survey.title, "target": survey.target,
                              "questions": survey.questions},
                             {"title": title, "target": target_value, "questions": text})
        if not changes:
            return version
        (Survey.update(title=title, target=target_value, questions=text,
                       version=Survey.version + 1, updated_at=clock.now())
         .where(Survey.id == survey_id).execute())
        audit.record(actor, "survey", survey_id, "update", changes)
    return version + 1


def get_survey(survey_id: int) -> Survey | None:
    return Survey.get_or_none(Survey.id == survey_id)


def list_surveys(reader) -> list[Survey]:
    """Every survey, newest first (not for volunteers: families' data)."""
    readable(reader)
    return list(Survey.select().order_by(Survey.taken_on.desc(), Survey.id.desc()))


def readable(reader) -> None:
    if reader is None or getattr(reader, "role", "") == "volunteer":
        raise NotAllowed("families")


# -- who enters answers ----------------------------------------------------------------------

def may_enter(reader, class_id: int | None, scope=None) -> bool:
    """Managers: every class; class teachers and teachers: the classes they see."""
    if can(reader, "manage"):
        return True
    if getattr(reader, "role", "") not in ENTER_ROLES or class_id is None:
        return False
    return sees_class(scope or scope_for(reader), class_id)


def existing_answers(survey_id: int, student_ids: list[int]) -> dict[int, SurveyAnswer]:
    if not student_ids:
        return {}
    return {r.student_id: r for r in SurveyAnswer.select()
            .where(SurveyAnswer.survey == survey_id, SurveyAnswer.student.in_(student_ids))}


def parse_value(text) -> int | None:
    """A cell: blank → None, 1–5 → the number; anything else ValueError.
    Also the scale's words, 非常满意 … 不满意 / very satisfied … very dissatisfied."""
    from db.roster_cells import cell_text

    value = cell_text(text).strip().translate(FULL_WIDTH).lower()
    if not value:
        return None
    if value in SCALE_WORDS:
        return SCALE_WORDS[value]
    if value.endswith(".0"):
        value = value[:-2]
    if value in ("1", "2", "3", "4", "5"):
        return int(value)
    raise ValueError(value)


SCALE_WORDS = {"非常满意": 5, "满意": 4, "基本满意": 3, "一般": 3, "不太满意": 2, "不满意": 1,
               "very satisfied": 5, "satisfied": 4, "neutral": 3, "dissatisfied": 2,
               "very dissatisfied": 1}


def validate_grid(count: int, cells: dict[tuple[int, str], str]) -> dict:
    """``{student: (answers, note) or None}`` from the grid's cells; a row left
    blank is None (nothing, or its answers removed)."""
    errors: dict[str, str] = {}
    rows: dict[int, tuple[list[int | None], str]] = {}
    columns = {question_column(i): i for i in range(count)}
    for (sid, column), text in cells.items():
        if column != NOTE_COLUMN and column not in columns:
            continue
        answers, note = rows.setdefault(sid, ([None] * count, ""))
        if column == NOTE_COLUMN:
            note = clean(text, multiline=False).strip()
            if len(note) > MAX_NOTE:
                errors[cell_key(sid, column)] = "survey.err.note_long"
            rows[sid] = (answers, note)
            continue
        try:
            answers[columns[column]] = parse_value(text)
        except ValueError:
            errors[cell_key(sid, column)] = "survey.err.value"
    if errors:
        raise SurveyError(errors)
    return {sid: None if not note and all(a is None for a in answers) else (answers, note)
            for sid, (answers, note) in rows.items()}


def save_answers(actor: Staff, survey_id: int, class_id: int, cells: dict[tuple[int, str], str],
                 *, survey_version: int | None = None,
                 versions: dict[int, int] | None = None) -> SaveCount:
    """One class's answers from the grid, in one transaction: new ones added,
    changed ones updated, a cleared row's answers removed.  ``versions``
    ({student: the version loaded, 0 for none}) refuses a save over answers
    someone else saved since (SurveyConflict, nothing written)."""
    if not may_enter(actor, class_id):
        raise NotAllowed("survey_answers")
    survey = get_survey(survey_id)
    if survey is None:
        raise SurveyError({"survey": "survey.err.gone"})
    if survey_version is not None and survey.version != survey_version:
        raise SurveyConflict()
    values = validate_grid(len(questions_of(survey)), cells)
    members = {sid for (sid,) in cast("Rows", Student.select(Student.id)
               .where(Student.school_class == class_id).tuples())}
    return write_answers(actor, survey, {s: v for s, v in values.items() if s in members},
                         versions=versions)


def write_answers(actor: Staff, survey: Survey, values: dict, *,
                  versions: dict[int, int] | None = None, keep_missing: bool = False) -> SaveCount:
    """Write checked answers ``{student: (answers, note) or None}`` in one transaction."""
    count = SaveCount()
    with journal.transaction():
        stored = existing_answers(survey.id, list(values))
        if versions is not None:
            stale = [sid for sid in values if versions.get(sid, 0) !=
                     (stored[sid].version if sid in stored else 0)]
            if stale:
                names = [n for (n,) in cast("Rows", Student.select(Student.name)
                         .where(Student.id.in_(stale)).tuples())]
                raise SurveyConflict(names)
        now = clock.now()
        for sid, value in values.items():
            row = stored.get(sid)
            if value is None:
                if row is not None and not keep_missing:
                    row.delete_instance()
                    audit.record(actor, "survey_answer", row.id, "delete",
                                 {"survey": survey.id, "student": sid,
                                  "answers": [row.answers, None]})
                    count.removed += 1
                continue
            answers, note = value
            text = json.dumps(answers)
            if row is None:
                row = SurveyAnswer.create(uuid=str(uuidlib.uuid4()), survey=survey.id, student=sid,
                                          answers=text, note=note, author=actor.id, updated_at=now)
                audit.record(actor, "survey_answer", row.id, "insert",
                             {"survey": survey.id, "student": sid, "answers": text, "note": note})
                count.added += 1
            elif (row.answers, row.note) != (text, note):
                changes = audit.diff({"answers": row.answers, "note": row.note},
                                     {"answers": text, "note": note})
                (SurveyAnswer.update(answers=text, note=note, version=SurveyAnswer.version + 1,
                                     updated_at=now, author=actor.id)
                 .where(SurveyAnswer.id == row.id).execute())
                audit.record(actor, "survey_answer", row.id, "update", changes)
                count.changed += 1
    return count


# -- the figure --------------------------------------------------------------------------------

@dataclass(slots=True)
class Figure:
    """Answers rated 4 or 5 (``satisfied``) out of the answers given (``given``)."""

    name: str = ""  # the class's name ("" overall)
    class_id: int | None = None
    families: int = 0  # the class's students (one family each)
    answering: int = 0  # families with answers stored
    satisfied: int = 0
    given: int = 0

    @property
    def rate(self) -> float | None:
        """Per cent, or None when no answer was given."""
        return None if not self.given else 100.0 * self.satisfied / self.given

    def short_by(self, target: float) -> float | None:
        """Points below the target (0 when met); None without answers."""
        rate = self.rate
        return None if rate is None else max(0.0, round(target - rate, 1))

    def add(self, other: Figure) -> None:
        self.families += other.families
        self.answering += other.answering
        self.satisfied += other.satisfied
        self.given += other.given


@dataclass(slots=True)
class SurveyFigures:
    survey_id: int
    title: str
    term: str
    target: float
    questions: list[str]
    classes: list[Figure] = field(default_factory=list)
    overall: Figure = field(default_factory=Figure)
    by_question: list[Figure] = field(default_factory=list)  # overall, per question
    partial: bool = False  # the reader sees some classes: ``overall`` is over those


def survey_figures(survey_id: int, reader) -> SurveyFigures:
    """The figure by class and overall (see the module) over the classes ``reader`` sees."""
    readable(reader)
    survey = get_survey(survey_id)
    if survey is None:
        raise SurveyError({"survey": "survey.err.gone"})
    scope = scope_for(reader)
    questions = questions_of(survey)
    term = Term.get_or_none(Term.id == survey.term_id) if survey.term_id else None
    result = SurveyFigures(survey.id, survey.title, term.name if term else "", survey.target,
                           questions, partial=not scope.everyone,
                           by_question=[Figure(name=q) for q in questions])
    from db.search import natural_key

    # 7-2 before 7-10, as every other list of classes
    classes = sorted(SchoolClass.select(), key=lambda c: (c.grade, natural_key(c.code or c.name)))
    if not scope.everyone:
        classes = [c for c in classes if c.code in scope.class_codes]
    families: dict[int | None, int] = {}
    for cid, n in cast("Rows", Student.select(Student.school_class, fn.COUNT(Student.id))
                       .group_by(Student.school_class).tuples()):
        families[cid] = n
    figures: dict[int | None, Figure] = {c.id: Figure(c.name, c.id, families.get(c.id, 0))
                                         for c in classes}
    rows = (SurveyAnswer.select(SurveyAnswer.answers, Student.school_class)
            .join(Student).where(SurveyAnswer.survey == survey_id).tuples())
    for text, cid in cast("Rows", rows):
        figure = figures.get(cid)
        if figure is None:
            if cid is not None or not scope.everyone:
                continue  # a class this reader does not see
            figure = figures[None] = Figure("", None, families.get(None, 0))
        figure.answering += 1
        try:
            values = json.loads(text)
        except (TypeError, ValueError):
            values = []
        for i, value in enumerate(values[:len(questions)]):
            if value in (1, 2, 3, 4, 5):
                figure.given += 1
                result.by_question[i].given += 1
                if value in SATISFIED:
                    figure.satisfied += 1
                    result.by_question[i].satisfied += 1
    result.classes = [f for f in figures.values() if f.families or f.answering]
    for figure in result.classes:
        result.overall.add(figure)
    return result


@dataclass(slots=True)
class TermSatisfaction:
    """A term's surveys and the figure over all their answers (for the term report):
    ``overall`` counts answers only (``satisfied`` / ``given``), not families."""

    term: str
    surveys: list[SurveyFigures]
    overall: Figure
    target: float  # the latest survey's target
    partial: bool


def term_satisfaction(term_id: int, reader) -> TermSatisfaction:
    readable(reader)
    term = Term.get_or_none(Term.id == term_id)
    surveys = [survey_figures(s.id, reader) for s in Survey.select()
               .where(Survey.term == term_id).order_by(Survey.taken_on, Survey.id)]
    overall = Figure()  # answers over all the surveys (a family in two surveys counts twice)
    for figures in surveys:
        overall.satisfied += figures.overall.satisfied
        overall.given += figures.overall.given
    return TermSatisfaction(term.name if term else "", surveys, overall,
                            surveys[-1].target if surveys else DEFAULT_TARGET,
                            not scope_for(reader).everyone)
