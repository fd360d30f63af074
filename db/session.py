"""What a sign-in unlocks, held in this process only (never written anywhere).

A PIN is known only for the moment a person signs in.  ``signed_in`` is called
right then, by every path that checks a PIN (``db.accounts``), and derives from
it what later needs the person's proof without asking again:

- the key that seals their outbox entries (``db.store.local``), so an entry proves
  its author and keeps its text unreadable at rest;
- their key ring (``db.keys``), which opens restricted text.

``signed_out`` forgets it all (switching user, quitting).  Keys are held by
staff id; a person's keys are used only for what that person may read.
"""

from __future__ import annotations

_held: dict[int, dict[str, object]] = {}


def signed_in(staff, pin: str) -> None:
    """``staff`` (a row with ``id``) has just proved ``pin``."""
    from db import keys
    from db.store import local

    _held[staff.id] = {}
    local.on_signed_in(staff, pin)
    keys.on_signed_in(staff, pin)


def remember(staff_id: int, name: str, value) -> None:
    _held.setdefault(staff_id, {})[name] = value


def recall(staff_id: int | None, name: str):
    """What ``staff_id``'s sign-in unlocked under ``name`` (None if nothing)."""
    if staff_id is None:
        return None
    return _held.get(staff_id, {}).get(name)


def signed_out(staff_id: int | None = None) -> None:
    """Forget one person's keys, or everyone's."""
    if staff_id is None:
        _held.clear()
    else:
        _held.pop(staff_id, None)


def keep_only(staff_id: int) -> None:
    """Someone else signed in on this process: forget everyone's keys but theirs."""
    for other in [k for k in _held if k != staff_id]:
        del _held[other]
