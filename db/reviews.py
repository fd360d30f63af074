"""Stage reviews (阶段评估) of a case's plan: a dated review with a summary, the
goals' status as judged, and the next stage's goals.  A case is due for a
review on the date the last review set, else ``load_review_days()`` after the
last review (or after the case opened this term)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

from db import audit, clock
from db.store import journal
from db.dates import DateError, parse_date
from db.models import Case, Goal, Staff, StageReview
from db.plan import (FieldErrors, GoalValidationError, validate_goal, write_goal,
                     write_goal_status)
from db.text import clean
from db.vocab import GOAL_STATUSES
from db.workflow import load_review_days, review_due, term_bounds

if TYPE_CHECKING:
    from db.models import Rows

MAX_SUMMARY = 4000


class ReviewValidationError(FieldErrors):
    """A review refused; its fields: ``date``, ``summary``, ``next``, ``goals``,
    ``goal1.text`` … (the next stage's goals by number)."""


@dataclass(slots=True)
class ReviewRow:
    id: int
    review_date: dt.date
    author: str
    summary: str
    goals: list[tuple[str, str]]  # (goal text, status as judged)
    next_review: dt.date | None
    new_goals: list[str] = field(default_factory=list)  # the next stage's goals it set


@dataclass(slots=True)
class NextGoal:
    """One of the next stage's goals as typed: the goal and its due date."""

    text: str
    due: str = ""
    horizon: str = "short"
    measure: str = ""


def reviews(case_id: int) -> list[ReviewRow]:
    """The case's stage reviews, newest first."""
    rows = list(StageReview.select(StageReview, Staff.name.alias("author_name"))
                .join(Staff).where(StageReview.case == case_id)
                .order_by(StageReview.review_date.desc(), StageReview.id.desc()).objects())
    set_by: dict[int, list[str]] = {}
    for review_id, text in cast("Rows", Goal.select(Goal.review, Goal.text)
                                .where(Goal.case == case_id, Goal.review.is_null(False))
                                .order_by(Goal.id).tuples()):
        set_by.setdefault(review_id, []).append(text)
    out = []
    for r in rows:
        try:
            judged = [(str(text), str(status)) for _, text, status in json.loads(r.goals)]
        except (TypeError, ValueError):
            judged = []
        out.append(ReviewRow(r.id, r.review_date,
                             r.author_name,  # type: ignore[attr-defined]  # the query's alias
                             r.summary, judged,
                             r.next_review, set_by.get(r.id, [])))
    return out


def next_review_due(case_id: int, today: dt.date | None = None) -> dt.date:
    """When the case's next stage review is due."""
    last = (StageReview.select(StageReview.review_date, StageReview.next_review)
            .where(StageReview.case == case_id)
            .order_by(StageReview.review_date.desc(), StageReview.id.desc()).first())
    case = Case.get_by_id(case_id)
    return review_due(last.review_date if last else None, last.next_review if last else None,
                      case.opened_on, term_bounds(today or clock.today())[0],
                      dt.timedelta(days=load_review_days()))


def save_review(actor: Staff, case_id: int, *, uuid: str, review_date: str, summary: str,
                statuses: dict[int, str] | None = None, next_goals: Sequence[NextGoal] = (),
                next_review: str = "") -> int:
    """Validate and write one stage review in one transaction; return its id.

    ``statuses`` gives the goals' status as judged (goal id -> status); the
    review records every goal of the case with its status after the review.
    Saving the same ``uuid`` again (a retry) writes nothing more.
    """
    today = clock.today()
    errors: dict[str, str] = {}
    when = None
    try:
        when = parse_date(review_date or "today", today, prefer="past")
        if when > today:
            errors["date"] = "err.review.future"
    except DateError as exc:
        errors["date"] = f"err.date.{exc.code}"
    summary = clean(summary).strip()
    if not summary:
        errors["summary"] = "err.review.summary_required"
    elif len(summary) > MAX_SUMMARY:
        errors["summary"] = "err.too_long"
    statuses = dict(statuses or {})
    if any(s not in GOAL_STATUSES for s in statuses.values()):
        errors["goals"] = "err.choice"
    goals = []
    for n, goal in enumerate(next_goals, 1):
        if not goal.text.strip() and not goal.due.strip():
            continue  # an empty line
        try:
            goals.append(validate_goal(goal.horizon, goal.text, goal.measure, goal.due))
        except GoalValidationError as exc:
            errors.update({f"goal{n}.{name}": key for name, key in exc.errors.items()})
    next_date = None
    if when is not None and "date" not in errors:  # (9999-12-31 has no next review)
        if next_review.strip():
            try:
                next_date = parse_date(next_review, when, prefer="future")
                if next_date <= when:
                    errors["next"] = "err.review.next_before"
            except DateError as exc:
                errors["next"] = f"err.date.{exc.code}"
        else:
            next_date = when + dt.timedelta(days=load_review_days())
    if errors:
        raise ReviewValidationError(errors)
    with journal.transaction():
        existing = StageReview.get_or_none(StageReview.uuid == uuid)
        if existing is not None:
            return existing.id
        if not Case.select().where(Case.id == case_id).exists():
            raise ReviewValidationError({"summary": "form.case_gone"})
        own = {gid for (gid,) in cast("Rows", Goal.select(Goal.id).where(Goal.case == case_id).tuples())}
        for goal_id, status in statuses.items():
            if goal_id in own:
                write_goal_status(actor, goal_id, status)
        judged = [[gid, text, status] for gid, text, status in
                  cast("Rows", Goal.select(Goal.id, Goal.text, Goal.status)
                       .where(Goal.case == case_id).order_by(Goal.horizon.desc(), Goal.due_date,
                                                             Goal.id).tuples())]
        row = StageReview.create(uuid=uuid, case=case_id, review_date=when, summary=summary,
                                 goals=json.dumps(judged, ensure_ascii=False),
                                 next_review=next_date, author=actor.id)
        audit.record(actor, "stage_review", row.id, "insert",
                     {"case": case_id, "review_date": when, "summary": summary,
                      "next_review": next_date, "goals": len(judged)})
        for new_goal in goals:
            write_goal(actor, case_id, new_goal, review_id=row.id)
    return row.id
