"""The families section of the weekly report and the term summary (``db.reports``).

Counted over the students the report's reader sees, like every other section:
- ``events``: the family events held within ``[start, as_of]``, by kind; the
  supported families (students with an open case) invited to them and how many
  came, and the families' mean rating (``db.event_figures``);
- ``feedback``: the families' feedback received within ``[start, as_of]`` (by
  kind), how much of it was answered by ``as_of`` (and by its due date) and
  resolved; and what was open and overdue on ``as_of`` (``db.feedback``);
- term summary only: ``satisfaction``, the term's surveys with the 满意率 by class
  and overall against the school's target (``db.surveys``), and
  ``recognitions``, those given within the term up to ``as_of``
  (``db.recognitions``; a student the reader does not see is not named).

Like the rest of the report: counts and names only, never a family's words.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from db.access import Scope
from db.event_figures import EventFigures, event_figures
from db.feedback import FeedbackFigures, feedback_figures
from db.recognitions import RecognitionRow, recognitions_in

if TYPE_CHECKING:
    from db.surveys import TermSatisfaction


@dataclass(slots=True)
class FamiliesSection:
    events: EventFigures
    feedback: FeedbackFigures
    satisfaction: TermSatisfaction | None = None  # the term summary's
    recognitions: list[RecognitionRow] = field(default_factory=list)  # (term summary)


def families_section(kind: str, reader, scope: Scope, term_id: int | None, start: dt.date,
                     as_of: dt.date, today: dt.date) -> FamiliesSection:
    """The section for a report of ``kind`` over ``[start, as_of]`` (see the module)."""
    section = FamiliesSection(event_figures(start, as_of, scope),
                              feedback_figures(start, as_of, scope, as_of))
    if kind == "term":
        from db.surveys import term_satisfaction

        if term_id is not None:
            section.satisfaction = term_satisfaction(term_id, reader)
        section.recognitions = recognitions_in(start, as_of, reader)
    return section
