"""A person's caseload: what their open cases' rules ask (``db.workflow``) and
the items that are theirs beyond them, most urgent first: the families'
feedback they are to answer (``db.feedback``), the referrals whose follow-up
they owe (``db.referrals``), the correction items issued to them or by them
(``db.corrections``) and, for a coordinator, the cases proposed as transformed
that wait for their confirmation (``db.transformation``)."""

from __future__ import annotations

import datetime as dt

from db.workflow import DUE_DAYS, DueItem


def with_extras(items: list[DueItem], staff_id: int, today: dt.date,
                days: int = DUE_DAYS) -> list[DueItem]:
    """``items`` (a caseload's rule items) with the person's other items merged in."""
    from db.corrections import corrections_due
    from db.feedback import feedback_due
    from db.referrals import referrals_due
    from db.transformation import transformations_due

    extra = [*feedback_due(staff_id, today, days), *referrals_due(staff_id, today, days),
             *corrections_due(staff_id, today, days),
             *transformations_due(staff_id, today, days)]
    if not extra:
        return items
    return sorted([*items, *extra], key=lambda i: (i.due, i.name, i.what))
