"""One school's roll-up figures (``db.rollup.SchoolFigures``), counted in the
database that is open, as a reader who sees the whole school (an
administrator's scope): the town gets the school's figures, not one person's.

Each figure is counted by the function the school's own screens and reports
use, for the period's days up to ``as_of = min(end, today)``:

- cases open on ``as_of``, and the students with one (``db.reports.open_cases_on``);
  opened (``opened_on``) and closed (``closed_on``) within the period;
  confirmed transformed in it (``db.report_transformed``); the school's
  students; the term's 10% figure (``db.progress.term_figures``, the term of
  the period's last day, as the weekly report takes it);
- the rules as the weekly report counts them (``db.reports.overdue_items``):
  among the cases open on ``as_of``, those with nothing overdue for the rule;
  the overdue items by kind and the cases with any;
- the entries dated in the period: all, family contacts, home visits;
- families as a group (``db.event_figures``, ``db.feedback``) and the
  satisfaction surveys taken in the period (``db.surveys``);
- supervision (``db.supervision_figures.gather``, no month's adjustment):
  helpers scored, the scores' sum, those below the rubric's threshold; the
  correction items open on ``as_of``;
- by village (``student.village``): the open cases, the distinct helpers on
  them (staff on the team by account, outside helpers by name) and the
  entries of the village's students' cases in the period.

A team, an outside helper and a goal's status are read as they are now (they
are not dated), like the weekly report does.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from db import access, clock
from db.models import database
from db.rollup import (ROLLUP_VERSION, RollupError, RuleFigure, SchoolFigures, VillageFigure,
                       period_bounds, period_kind)

@dataclass(frozen=True)
class WholeSchool:
    """The reader the figures are counted as: an administrator's scope (no one's account)."""

    id: int | None = None
    role: str = "admin"
    name: str = ""


def school_name(fallback: str = "") -> str:
    """The school's name as the district server keeps it, for a school's own role
    (``bangfu district list``), else ``fallback`` (the caller's: the file's name)."""
    from db.store import district
    from db.text import one_line

    db = database.obj
    if getattr(db, "bangfu_backend", "") == "postgresql" and district.has_schools(db):
        mine = district.role_school(db)
        if mine is not None:
            row = db.execute_sql('SELECT name FROM "school" WHERE id = %s', (mine,)).fetchone()
            if row:
                return one_line(row[0]).strip() or fallback.strip()
    return fallback.strip()


def name_of_database(target) -> str:
    """A fallback school name from where the database is: a file's name
    without ``.db``, a server database's name."""
    text = str(target or "").rstrip("/")
    if "://" in text:
        text = text.split("?", 1)[0]
    name = text.replace("\\", "/").rsplit("/", 1)[-1]
    return name[:-3] if name.lower().endswith(".db") else name


def _next_day(day: dt.date) -> str:
    return str(day + dt.timedelta(days=1))


def school_figures(today: dt.date, period: str, *, day: dt.date | None = None,
                   school: str = "") -> SchoolFigures:
    """The open database's figures for the period of kind ``period`` that
    contains ``day`` (``today`` when not given); ``school`` names it (else
    ``school_name()``).  ``RollupError("future")`` for a period that starts
    after ``today``."""
    from db.access import Scope
    from db.event_figures import event_figures
    from db.feedback import feedback_figures
    from db.progress import term_figures
    from db.report_transformed import transformed_section
    from db.reports import open_cases_on, overdue_items
    from db.text import one_line
    from db.workflow import current_term, load_rules

    kind = period_kind(period)
    start, end = period_bounds(kind, day or today)
    if start > today:
        raise RollupError("future", start=start)
    as_of = min(end, today)
    reader = WholeSchool()
    access.require(reader, "reports")
    scope = Scope(None, True)
    name = one_line(school).strip() or school_name()
    rules = load_rules()
    cases = open_cases_on(as_of, scope)
    items = overdue_items(cases, as_of, rules, scope)
    late: dict[str, set[int]] = {rule.code: set() for rule in rules}
    by_kind: dict[str, int] = {}
    for item in items:
        if item.what in late:
            late[item.what].add(item.case_id)
        by_kind[item.what] = by_kind.get(item.what, 0) + 1
    rule_figures = tuple(RuleFigure(r.code, r.kind, r.channel, len(cases),
                                    len(cases) - len(late[r.code])) for r in rules)
    order = [r.code for r in rules] + ["follow_up", "goal", "review"]
    overdue = tuple(sorted(by_kind.items(), key=lambda kv: (
        order.index(kv[0]) if kv[0] in order else len(order), kv[0])))
    first, bound = str(start), _next_day(as_of)

    def one(sql: str, *params) -> int:
        return int(database.execute_sql(sql, params).fetchone()[0] or 0)

    term = current_term(end)
    progress = term_figures(term.id if term else None, as_of, until=as_of).total
    events = event_figures(start, as_of, scope)
    feedback = feedback_figures(start, as_of, scope, as_of)
    surveys = _surveys(start, as_of, reader)
    helpers, scored, total, below = _supervision(start, as_of)
    figures = SchoolFigures(
        name, kind, start, end, as_of, ROLLUP_VERSION, clock.now(),
        students=one("SELECT COUNT(*) FROM student"),
        in_programme=len({c.student_id for c in cases}),
        cases_open=len(cases),
        cases_opened=one("SELECT COUNT(*) FROM case_file WHERE opened_on >= ? AND opened_on <= ?",
                         first, str(as_of)),
        cases_closed=one("SELECT COUNT(*) FROM case_file WHERE closed_on >= ? AND closed_on <= ?",
                         first, str(as_of)),
        cases_transformed=transformed_section(start, as_of, scope).count,
        progress_students=progress.students, progress_measurable=progress.measurable,
        progress_improved=progress.improved,
        entries=one("SELECT COUNT(*) FROM contact WHERE occurred_at >= ? AND occurred_at < ?",
                    first, bound),
        entry_cases=one("SELECT COUNT(DISTINCT case_id) FROM contact WHERE occurred_at >= ? "
                        "AND occurred_at < ?", first, bound),
        family_contacts=one("SELECT COUNT(*) FROM contact WHERE occurred_at >= ? "
                            "AND occurred_at < ? AND kind = 'family'", first, bound),
        home_visits=one("SELECT COUNT(*) FROM contact WHERE occurred_at >= ? "
                        "AND occurred_at < ? AND channel = 'home_visit'", first, bound),
        overdue_cases=len({i.case_id for i in items}),
        family_events=events.events, families_invited=events.invited,
        families_attended=events.attended, event_ratings=events.ratings,
        event_rating_total=round((events.mean_rating or 0) * events.ratings),
        feedback_received=feedback.received, feedback_answered=feedback.answered,
        feedback_in_time=feedback.answered_in_time, feedback_resolved=feedback.resolved,
        feedback_open=feedback.open_now, feedback_overdue=feedback.overdue_now,
        surveys=surveys[0], survey_families=surveys[1], survey_given=surveys[2],
        survey_satisfied=surveys[3],
        helpers=helpers, helpers_scored=scored, score_total=total, below_threshold=below,
        corrections_open=one("SELECT COUNT(*) FROM correction WHERE issued_on <= ? "
                             "AND (done_on IS NULL OR done_on > ?)", str(as_of), str(as_of)),
        rules=rule_figures, overdue=overdue,
        villages=_villages(name, [c.case_id for c in cases], first, bound))
    return figures


def _surveys(start: dt.date, as_of: dt.date, reader) -> tuple[int, int, int, int]:
    """The surveys taken in the period: how many, the families that answered,
    the answers given and those satisfied (db.surveys' figure)."""
    from db.models_families import Survey
    from db.surveys import survey_figures

    out = [0, 0, 0, 0]
    for survey in Survey.select(Survey.id).where(Survey.taken_on >= start,
                                                 Survey.taken_on <= as_of):
        overall = survey_figures(survey.id, reader).overall
        for n, value in enumerate((1, overall.answering, overall.given, overall.satisfied)):
            out[n] += value
    return out[0], out[1], out[2], out[3]


def _supervision(start: dt.date, as_of: dt.date) -> tuple[int, int, int, int]:
    """Helpers listed, scored, the scores' sum, those below the threshold."""
    from db.holidays import Calendar
    from db.supervision import load_rubric
    from db.supervision_figures import gather
    from db.workflow import load_rules

    rubric = load_rubric()
    helpers, _, _ = gather(start, as_of, "", rubric, load_rules(), Calendar.around(start, as_of))
    scores = [h.score for h in helpers if h.score is not None]
    return (len(helpers), len(scores), sum(scores),
            sum(1 for s in scores if s < rubric.threshold))


def _villages(school: str, open_ids: list[int], first: str,
              bound: str) -> tuple[VillageFigure, ...]:
    """By village (see the module), the villages in their natural order, "" last."""
    from db.search import natural_key
    from db.text import one_line

    village_of: dict[int, str] = {}  # case -> village, every case (entries of closed ones count)
    for cid, village in database.execute_sql(
            "SELECT f.id, s.village FROM case_file f JOIN student s ON s.id = f.student_id"):
        village_of[cid] = one_line(village or "").strip()
    open_cases: dict[str, int] = {}
    helpers: dict[str, set] = {}
    wanted = set(open_ids)
    for cid in open_ids:
        open_cases[village_of[cid]] = open_cases.get(village_of[cid], 0) + 1
    for cid, staff_id in database.execute_sql(
            "SELECT case_id, staff_id FROM assignment WHERE active"):
        if cid in wanted:
            helpers.setdefault(village_of[cid], set()).add(("staff", staff_id))
    for cid, name in database.execute_sql(
            "SELECT case_id, name FROM outside_helper WHERE active"):
        if cid in wanted:
            helpers.setdefault(village_of[cid], set()).add(
                ("outside", "".join((name or "").split()).lower()))
    contacts: dict[str, int] = {}
    for cid, n in database.execute_sql(
            "SELECT case_id, COUNT(*) FROM contact WHERE occurred_at >= ? AND occurred_at < ? "
            "GROUP BY case_id", (first, bound)):
        village = village_of.get(cid, "")
        contacts[village] = contacts.get(village, 0) + n
    names = set(open_cases) | set(contacts)
    return tuple(VillageFigure(school, v, open_cases.get(v, 0), len(helpers.get(v, ())),
                               contacts.get(v, 0))
                 for v in sorted(names, key=lambda v: (v == "", natural_key(v))))
