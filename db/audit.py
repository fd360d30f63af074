"""The audit log: one row for every write (who, when, host, table, row, what changed)."""

from __future__ import annotations

import datetime as dt
import json

from db import clock
from db.connection import hostname
from db.models import AuditLog, Staff


def _plain(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def record(actor: Staff | None, table: str, row_id, action: str, changes: dict) -> None:
    """Write one audit row inside the caller's transaction (and journal the row)."""
    from db import journal

    row = dict(
        at=str(clock.now()),  # as peewee stores a datetime, so a replay can match it
        staff=actor.id if actor else None,
        staff_name=actor.name if actor else "",
        host=hostname(),
        table_name=table,
        row_id=str(row_id),
        action=action,
        changes=json.dumps({k: _plain(v) if not isinstance(v, (list, tuple)) else
                            [_plain(x) for x in v] for k, v in changes.items()},
                           ensure_ascii=False, sort_keys=True),
    )
    AuditLog.insert(**row).execute()
    journal.note(row)


def diff(before: dict, after: dict) -> dict:
    """``{field: [old, new]}`` for the fields whose value changed."""
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
