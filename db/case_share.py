"""Sharing one case with a town's or a county's office (on a district server):
the school decides, for a reason, and can take it back; the office opens it
through the server's own function, which logs each opening
(``db.store.offices``).  Every share and every taking back is in the audit log.

On a file (one school, no offices) there is nothing to share with: ``ShareError("server")``.
"""

from __future__ import annotations

from dataclasses import dataclass

from db import access, audit, clock
from db.models import Case, database

MAX_REASON = 500


class ShareError(ValueError):
    """``code``: server (not a district server), office (no such office), reason
    (a reason is needed), gone (no such case), shared (already shared with it),
    not_shared (nothing to take back)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass
class Share:
    office: str
    reason: str
    shared_by: str
    shared_at: object
    revoked_at: object | None


def _district():
    from db.store import district

    db = database.obj
    if getattr(db, "bangfu_backend", "") != "postgresql" or not district.has_schools(db):
        raise ShareError("server")
    if district.role_school(db) is None:
        raise ShareError("server")
    return db


def office_place(db, role: str) -> tuple[str, str, str] | None:
    row = db.execute_sql("SELECT bangfu_office_of(%s)", (role,)).fetchone()
    if not row or not row[0]:
        return None
    kind, town, county = row[0].split("\x1f")
    return kind, town, county


def share_case(actor, case_id: int, office: str, reason: str) -> None:
    access.require(actor, "manage")
    reason = " ".join(reason.split())
    if not reason or len(reason) > MAX_REASON:
        raise ShareError("reason")
    db = _district()
    if office_place(db, office) is None:
        raise ShareError("office")
    with db.atomic():
        if Case.get_or_none(Case.id == case_id) is None:
            raise ShareError("gone")
        if db.execute_sql('SELECT 1 FROM "case_share" WHERE case_id = %s AND role_name = %s '
                          "AND revoked_at IS NULL", (case_id, office)).fetchone():
            raise ShareError("shared")
        db.execute_sql('INSERT INTO "case_share" (case_id, role_name, reason, shared_by, '
                       "shared_at) VALUES (%s, %s, %s, %s, %s)",
                       (case_id, office, reason, actor.name, clock.now()))
        audit.record(actor, "case_share", case_id, "insert", {"office": office, "reason": reason})


def revoke_share(actor, case_id: int, office: str) -> None:
    access.require(actor, "manage")
    db = _district()
    with db.atomic():
        done = db.execute_sql('UPDATE "case_share" SET revoked_at = %s WHERE case_id = %s '
                              "AND role_name = %s AND revoked_at IS NULL",
                              (clock.now(), case_id, office)).rowcount
        if not done:
            raise ShareError("not_shared")
        audit.record(actor, "case_share", case_id, "delete", {"office": office})


def shares_of(reader, case_id: int) -> tuple[list[Share], list[tuple[str, object]]]:
    """The case's shares (taken back ones too) and each opening by an office."""
    access.require(reader, "manage")
    db = _district()
    shares = [Share(*row) for row in db.execute_sql(
        'SELECT role_name, reason, shared_by, shared_at, revoked_at FROM "case_share" '
        "WHERE case_id = %s ORDER BY shared_at", (case_id,)).fetchall()]
    reads = db.execute_sql('SELECT role_name, at FROM "office_read" WHERE case_id = %s '
                           "ORDER BY at", (case_id,)).fetchall()
    return shares, [(r, at) for r, at in reads]
