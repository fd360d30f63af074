"""The term summary's transformed cases (转化, ``db.reports``): each case whose
proposal a coordinator confirmed within ``[start, as_of]``, with the evidence
kept when it was proposed (``db.transformation``): the progress figure, the
latest stage review's date and the goals met, and who proposed and confirmed it.

Counted over the students the report's reader sees, like every other section;
a declined (or still pending) proposal is not counted.  Names and figures only,
never the reason's or the review's words.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

from db.access import Scope
from db.models import Student, Transformation
from db.transformation import Evidence, as_row, proposals_query
from db.visible import student_query

if TYPE_CHECKING:
    from db.models import Rows


@dataclass(slots=True)
class TransformedRow:
    name: str
    class_name: str
    confirmed_on: dt.date
    confirmed_by: str
    proposed_by: str
    evidence: Evidence


@dataclass(slots=True)
class TransformedSection:
    rows: list[TransformedRow] = field(default_factory=list)  # oldest confirmation first

    @property
    def count(self) -> int:
        return len(self.rows)


def transformed_section(start: dt.date, as_of: dt.date, scope: Scope) -> TransformedSection:
    query = (proposals_query()
             .where(Transformation.status == "confirmed",
                    Transformation.decided_on.between(start, as_of))
             .order_by(Transformation.decided_on, Transformation.id))
    students = student_query(scope)
    if students is not None:
        query = query.where(Student.id.in_(students))
    rows = (as_row(values) for values in cast("Rows", query.tuples()))
    return TransformedSection([
        TransformedRow(r.name, r.class_name, cast(dt.date, r.decided_on), r.decided_by,
                       r.proposed_by, r.evidence) for r in rows])
