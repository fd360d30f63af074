"""Sealing and opening restricted text with the school's keys (``db.keys``).

New restricted text is sealed (``db.crypto``) to the school's public key and
its author's own (``recipients``, ``seal_values``); a reader opens it with
the keys their sign-in unlocked for this session (``openers``,
``open_values``, ``opened_or_none``).  Who holds which key, and setting
them up, is ``db.keys``.
"""

from __future__ import annotations

from db import crypto, session
from db.crypto import CannotOpen
from db.keys import Sealed, public_of, school_public
from db.models import Case, Contact


# -- sealing and opening text --------------------------------------------------------------------
def recipients(author_id: int | None) -> list[bytes]:
    """The public keys new text is sealed to: the school's and the author's."""
    school = school_public()
    if school is None:
        return []
    own = public_of(author_id)
    return [school] + ([own] if own else [])


def seal_values(table: str, values: dict, names, author_id: int | None,
                keys: list[bytes] | None = None) -> dict:
    """``values`` with each of ``names`` sealed (before setup: as they are)."""
    keys = recipients(author_id) if keys is None else keys
    if not keys:
        return dict(values)
    out = dict(values)
    for name in names:
        value = out.get(name)
        if isinstance(value, str) and value and not crypto.is_sealed(value):
            out[name] = crypto.seal_text(value, f"{table}.{name}", keys)
    return out


def openers(reader) -> list[bytes]:
    staff_id = getattr(reader, "id", None)
    return [k for k in (session.recall(staff_id, "school"),
                        session.recall(staff_id, "private")) if k]


def open_values(reader, table: str, values: dict, names) -> dict:
    """``values`` with each sealed one of ``names`` opened with ``reader``'s keys;
    ``Sealed`` if one does not open (the caller has checked they may read it)."""
    privates = openers(reader)
    out = dict(values)
    for name in names:
        value = out.get(name)
        if crypto.is_sealed(value):
            if not privates:
                raise Sealed()
            try:
                out[name] = crypto.open_text(value, f"{table}.{name}", privates)
            except CannotOpen as exc:
                raise Sealed("sealed" if str(exc) == "no key" else "sealed_damaged") from None
    return out


def opened_or_none(reader, table: str, name: str, value):
    """``value`` as typed: opened with ``reader``'s keys if sealed; None if
    they do not open it (or there is no reader)."""
    if not crypto.is_sealed(value):
        return value
    if reader is None:
        return None
    try:
        return open_values(reader, table, {name: value}, (name,))[name]
    except Sealed:
        return None


def has_restricted() -> bool:
    """Whether anything is marked restricted (an entry or a case-file field)."""
    return (Contact.select().where(Contact.restricted != "").exists()
            or Case.select().where(Case.restricted_fields != "").exists())
