"""(Being written for issue 23.)"""

from __future__ import annotations

import datetime as dt

from db.workflow import DueItem


def transformations_due(staff_id: int, today: dt.date, days: int = 7) -> list[DueItem]:
    return []
