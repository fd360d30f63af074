"""The family events' figures for the weekly report and the term summary.

``event_figures(start, end, scope)`` over the events held from ``start`` to
``end`` (both days counted):

- ``by_kind``: how many events of each kind (every event: events are the
  school's, not a family's);
- ``invited``: supported families invited: students with an open case
  (``db.vocab.OPEN_STATUSES``, as the cases are now) in a class at least one
  of the events invited ("" = the whole school), among those ``scope`` sees;
- ``attended``: how many of those came to at least one of the events;
- ``share``: ``attended`` in per cent of ``invited`` (None when none invited);
- ``mean_rating`` (None without ratings) and ``ratings``: the families'
  1-5 ratings of the events, every family ``scope`` sees, supported or not.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

from peewee import JOIN

from db.access import Scope
from db.models import Assignment, Case, EventAttendance, FamilyEvent, SchoolClass, Student
from db.vocab import EVENT_KINDS, OPEN_STATUSES

if TYPE_CHECKING:
    from db.models import Rows


@dataclass(slots=True)
class EventFigures:
    by_kind: dict[str, int] = field(default_factory=dict)
    invited: int = 0
    attended: int = 0
    share: float | None = None
    mean_rating: float | None = None
    ratings: int = 0

    @property
    def events(self) -> int:
        return sum(self.by_kind.values())


def _visible(scope: Scope, code: str | None, student_id: int, on_team: set[int]) -> bool:
    return scope.everyone or (code or "") in scope.class_codes or student_id in on_team


def _on_team(scope: Scope) -> set[int]:
    """The students whose case has ``scope``'s person on its team."""
    if scope.everyone or scope.staff_id is None:
        return set()
    return {sid for (sid,) in cast("Rows", Case.select(Case.student).join(Assignment).where(
        Assignment.staff == scope.staff_id, Assignment.active == True).tuples())}  # noqa: E712


def event_figures(start: dt.date, end: dt.date, scope: Scope) -> EventFigures:
    out = EventFigures(by_kind={k: 0 for k in EVENT_KINDS})
    events = list(cast("Rows", FamilyEvent.select(FamilyEvent.id, FamilyEvent.kind,
                                                  FamilyEvent.classes)
                       .where(FamilyEvent.held_on >= start, FamilyEvent.held_on <= end)
                       .tuples()))
    if not events:
        return out
    whole_school = False
    invited_codes: set[str] = set()
    for _, kind, classes in events:
        out.by_kind[kind] = out.by_kind.get(kind, 0) + 1
        codes = [c for c in (classes or "").split(",") if c]
        whole_school = whole_school or not codes
        invited_codes.update(codes)
    on_team = _on_team(scope)
    supported = {sid for sid, code in cast("Rows", Case.select(Student.id, SchoolClass.code)
                 .join(Student).join(SchoolClass, JOIN.LEFT_OUTER)
                 .where(Case.status.in_(OPEN_STATUSES)).tuples())
                 if (whole_school or code in invited_codes) and _visible(scope, code, sid, on_team)}
    out.invited = len(supported)
    came: set[int] = set()
    ratings: list[int] = []
    query = (EventAttendance.select(EventAttendance.student, EventAttendance.attended,
                                    EventAttendance.rating, SchoolClass.code)
             .join(Student).join(SchoolClass, JOIN.LEFT_OUTER)
             .where(EventAttendance.event.in_([e[0] for e in events])))
    for sid, attended, rating, code in cast("Rows", query.tuples()):
        if not _visible(scope, code, sid, on_team):
            continue
        if attended and sid in supported:
            came.add(sid)
        if rating is not None:
            ratings.append(int(rating))
    out.attended = len(came)
    out.share = 100.0 * out.attended / out.invited if out.invited else None
    out.ratings = len(ratings)
    out.mean_rating = sum(ratings) / len(ratings) if ratings else None
    return out
