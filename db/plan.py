"""The plan (一生一策): a case's short- and long-term goals, each with a
measure, a due date and a status; every change is in the audit log."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from db import audit, clock
from db.store import journal
from db.dates import DateError, parse_date
from db.models import Case, Goal, Staff
from db.text import clean, one_line
from db.vocab import GOAL_HORIZONS, GOAL_STATUSES

if TYPE_CHECKING:
    from db.models import Rows

MAX_GOAL = 500


class FieldErrors(Exception):
    """A form's values refused, nothing written: ``errors`` maps each bad field
    to the catalog key that says why."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(", ".join(errors))
        self.errors = errors


class GoalValidationError(FieldErrors):
    """A goal refused."""


@dataclass(slots=True)
class GoalRow:
    id: int
    horizon: str
    text: str
    measure: str
    due_date: dt.date | None
    status: str


def goals(case_id: int) -> list[GoalRow]:
    query = (Goal.select(Goal.id, Goal.horizon, Goal.text, Goal.measure, Goal.due_date,
                         Goal.status)
             .where(Goal.case == case_id).order_by(Goal.horizon.desc(), Goal.due_date, Goal.id))
    return [GoalRow(*row) for row in cast("Rows", query.tuples())]


@dataclass(slots=True)
class NewGoal:
    """A goal as validated, ready to write."""

    horizon: str
    text: str
    measure: str
    due_date: dt.date | None


def validate_goal(horizon: str, text: str, measure: str = "", due: str = "") -> NewGoal:
    """The goal cleaned and checked; ``GoalValidationError`` names the bad fields."""
    errors: dict[str, str] = {}
    text, measure = one_line(clean(text)).strip(), one_line(clean(measure)).strip()
    if horizon not in GOAL_HORIZONS:
        errors["horizon"] = "err.choice"
    if not text:
        errors["text"] = "err.goal.required"
    for name, value in (("text", text), ("measure", measure)):
        if len(value) > MAX_GOAL and name not in errors:
            errors[name] = "err.goal.too_long"
    due_date = None
    if due.strip():
        try:
            due_date = parse_date(due, clock.today(), prefer="future")
        except DateError as exc:
            errors["due"] = f"err.date.{exc.code}"
    if errors:
        raise GoalValidationError(errors)
    return NewGoal(horizon, text, measure, due_date)


def write_goal(actor: Staff, case_id: int, goal: NewGoal, review_id: int | None = None) -> int:
    """Insert a validated goal inside the caller's transaction (audited)."""
    row = Goal.create(case=case_id, horizon=goal.horizon, text=goal.text, measure=goal.measure,
                      due_date=goal.due_date, status="open", review=review_id)
    audit.record(actor, "goal", row.id, "insert",
                 {"case": case_id, "horizon": goal.horizon, "text": goal.text,
                  "measure": goal.measure, "due_date": goal.due_date,
                  **({"review": review_id} if review_id else {})})
    return row.id


def add_goal(actor: Staff, case_id: int, horizon: str, text: str, measure: str = "",
             due: str = "") -> int:
    """Validate and add a goal; raises ``GoalValidationError`` with nothing written."""
    goal = validate_goal(horizon, text, measure, due)
    with journal.transaction():
        if not Case.select().where(Case.id == case_id).exists():
            raise GoalValidationError({"text": "form.case_gone"})
        return write_goal(actor, case_id, goal)


def set_goal_status(actor: Staff, goal_id: int, status: str) -> None:
    if status not in GOAL_STATUSES:
        raise ValueError(status)
    with journal.transaction():
        write_goal_status(actor, goal_id, status)


def write_goal_status(actor: Staff, goal_id: int, status: str) -> bool:
    """Change a goal's status inside the caller's transaction; False if unchanged."""
    goal = Goal.get_or_none(Goal.id == goal_id)
    if goal is None or goal.status == status:
        return False
    Goal.update(status=status).where(Goal.id == goal_id).execute()
    audit.record(actor, "goal", goal_id, "update", {"status": [goal.status, status]})
    return True
