"""What a town's or a county's office sees on a district server: the schools'
published roll-up figures (``db.store.offices``), per school and in total, by
village; counts only, never a record (the server grants its role nothing else).

``publish_all`` is the owner's side: every school with a client role counted as
that role sees it (``db.store.district.as_school``) and its figures published for
the offices.  No Textual here.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from db.rollup import PERIOD_KINDS, Rollup, RollupError, combine, period_bounds, shift_period
from db.rollup_rows import as_rows, from_rows


@dataclass
class OfficeView:
    """The period's roll-up of the schools that reported it (None: none did),
    and the schools the office sees that have not reported it yet."""

    period: str
    start: dt.date
    rollup: Rollup | None
    missing: list[str] = field(default_factory=list)
    made_at: dt.datetime | None = None  # the oldest figures' time: what "as of" means


def office_view(db, period: str, day: dt.date) -> OfficeView:
    from db.store import offices

    if period not in PERIOD_KINDS:
        raise RollupError("period")
    start = period_bounds(period, day)[0]
    figures = [from_rows(json.loads(text)) for _, text in offices.published(db, period, start)]
    names = [n for (n,) in db.execute_sql('SELECT name FROM "school" ORDER BY name').fetchall()]
    seen = {f.school for f in figures}
    made = [f.made_at for f in figures if f.made_at is not None]
    return OfficeView(period, start, combine(figures) if figures else None,
                      [n for n in names if n not in seen], min(made) if made else None)


def publish_all(db, today: dt.date, periods=PERIOD_KINDS, schools=None) -> list[tuple[str, str]]:
    """Every school with a client role (or those given), for the period of each
    kind holding ``today`` and the one before it (its final figures): counted as
    the school's role sees it, and published.  ``(school, period)`` of each; the
    owner's connection."""
    from db import clock
    from db.rollup_figures import school_figures
    from db.store import district, offices

    done = []
    for school in schools if schools is not None else district.schools(db):
        if not school.roles:
            continue
        for kind in periods:
            now = period_bounds(kind, today)[0]
            for day in (shift_period(kind, now, -1)[0], now):
                with district.as_school(db, school):
                    figures = school_figures(today, kind, day=day, school=school.name)
                with db.atomic():
                    offices.publish(db, school.id, kind, figures.start, figures.version,
                                    figures.made_at or clock.now(), as_rows(figures))
            done.append((school.name, kind))
    return done
