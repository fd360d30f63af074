"""Accounts: PINs (salted scrypt), sign-in with a lock after five wrong tries,
the first administrator, and adding, disabling and resetting staff.

A PIN is 4–8 digits or a password of at least 8 characters.  It is stored as
``scrypt$n$r$p$salt$hash`` so the cost can be raised later without breaking
the PINs already set.  Five wrong PINs in a row lock the account for
``LOCK_MINUTES``; each wrong try and each lock is in the audit log, never the
PIN itself.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import os
from dataclasses import dataclass

from db import audit, clock, journal
from db.models import Staff
from db.text import one_line
from db.vocab import STAFF_ROLES

SCRYPT_N = 2 ** 14  # about 16 MiB and 40–60 ms a check on this kind of machine
SCRYPT_R, SCRYPT_P = 8, 1
MAX_TRIES = 5
LOCK_MINUTES = 5
MANAGERS = ("admin", "coordinator")


class AccountError(Exception):
    """``code`` names the i18n message (``err.account.<code>``); ``extra`` fills it."""

    def __init__(self, code: str, **extra):
        super().__init__(code)
        self.code = code
        self.extra = extra


# -- PINs -----------------------------------------------------------------------
def check_pin(pin: str, again: str | None = None) -> str | None:
    """None if ``pin`` may be used (and, given, ``again`` is the same), else the
    reason's code."""
    reason = _pin_reason(pin)
    if reason is None and again is not None and again != pin:
        return "pin_mismatch"
    return reason


def _pin_reason(pin: str) -> str | None:
    if not pin or pin != pin.strip():
        return "pin_blank" if not pin.strip() else "pin_spaces"
    if pin.isdecimal() and pin.isascii():
        return None if 4 <= len(pin) <= 8 else "pin_digits"
    if len(pin) < 8:
        return "pin_short"
    if len(pin) > 64:
        return "pin_long"
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in pin):
        return "pin_controls"
    return None


def hash_pin(pin: str, *, n: int | None = None) -> str:
    n = n or SCRYPT_N
    salt = os.urandom(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=n, r=SCRYPT_R, p=SCRYPT_P,
                            maxmem=256 * 1024 * 1024, dklen=32)
    b64 = base64.b64encode
    return f"scrypt${n}${SCRYPT_R}${SCRYPT_P}${b64(salt).decode()}${b64(digest).decode()}"


def pin_matches(pin: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        got = hashlib.scrypt(pin.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r),
                             p=int(p), maxmem=256 * 1024 * 1024, dklen=32)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, base64.b64decode(digest))


# -- signing in -------------------------------------------------------------------
def needs_pin(staff_id: int) -> bool:
    """True when this person has not chosen a PIN yet (an account from before PINs)."""
    row = Staff.get_or_none(Staff.id == staff_id)
    return row is not None and not row.pin_hash


def authenticate(staff_id: int, pin: str) -> Staff:
    """The account when ``pin`` is right; else AccountError: ``wrong`` (with
    ``left`` tries), ``locked`` (with ``until``), ``disabled``, ``no_pin``."""
    row = Staff.get_or_none(Staff.id == staff_id)
    if row is None or not row.active:
        raise AccountError("disabled")
    now = clock.now()
    if row.locked_until is not None and row.locked_until > now:
        raise AccountError("locked", until=row.locked_until)
    if not row.pin_hash:
        raise AccountError("no_pin")
    if pin_matches(pin, row.pin_hash):
        if row.pin_failures or row.locked_until is not None:
            with journal.transaction():
                Staff.update(pin_failures=0, locked_until=None).where(Staff.id == row.id).execute()
                audit.record(row, "staff", row.id, "update",
                             {"pin_failures": [row.pin_failures, 0]})
        return row
    failures = row.pin_failures + 1
    until = None
    if failures >= MAX_TRIES:
        until = now + dt.timedelta(minutes=LOCK_MINUTES)
    with journal.transaction():
        # counted in the file, so five tries from five computers lock it too
        Staff.update(pin_failures=0 if until else Staff.pin_failures + 1,
                     locked_until=until).where(Staff.id == row.id).execute()
        audit.record(None, "staff", row.id, "sign_in_failed",
                     {"pin_failures": [row.pin_failures, failures],
                      **({"locked_until": [None, until]} if until else {})})
    if until:
        raise AccountError("locked", until=until)
    raise AccountError("wrong", left=MAX_TRIES - failures)


def verify_pin(staff_id: int, pin: str) -> Staff:
    """``authenticate`` without writing anything, for a file that cannot be
    written now (a lock left behind, a damaged file read as it is): the same
    refusals, but a wrong PIN is not counted (nothing can be written)."""
    row = Staff.get_or_none(Staff.id == staff_id)
    if row is None or not row.active:
        raise AccountError("disabled")
    if row.locked_until is not None and row.locked_until > clock.now():
        raise AccountError("locked", until=row.locked_until)
    if not row.pin_hash:
        raise AccountError("no_pin")
    if not pin_matches(pin, row.pin_hash):
        raise AccountError("wrong", left=max(0, MAX_TRIES - row.pin_failures))
    return row


def choose_pin(staff_id: int, pin: str) -> Staff:
    """First sign-in of an account without a PIN: the person sets it."""
    reason = check_pin(pin)
    if reason:
        raise AccountError(reason)
    row = Staff.get_or_none(Staff.id == staff_id)
    if row is None or not row.active:
        raise AccountError("disabled")
    if row.pin_hash:
        raise AccountError("pin_already_set")
    with journal.transaction():
        Staff.update(pin_hash=hash_pin(pin)).where(Staff.id == staff_id).execute()
        audit.record(row, "staff", staff_id, "update", {"pin": ["", "set"]})
    return Staff.get_by_id(staff_id)


def change_pin(actor, staff_id: int, pin: str) -> None:
    """A new PIN: the person's own, or an administrator's/coordinator's reset.
    Clears a lock; the audit log says who did it, never the PIN."""
    reason = check_pin(pin)
    if reason:
        raise AccountError(reason)
    if actor is not None and actor.id != staff_id:
        require_manager(actor)
    row = Staff.get_or_none(Staff.id == staff_id)
    if row is None:
        raise AccountError("unknown")
    with journal.transaction():
        Staff.update(pin_hash=hash_pin(pin), pin_failures=0, locked_until=None
                     ).where(Staff.id == staff_id).execute()
        audit.record(actor, "staff", staff_id, "update",
                     {"pin": ["set" if row.pin_hash else "", "reset"]})


# -- accounts --------------------------------------------------------------------------
def has_staff() -> bool:
    return Staff.select().exists()


def has_admin_pin() -> bool:
    """True when an active administrator has a PIN (a new file has none yet)."""
    return Staff.select().where(Staff.role == "admin", Staff.active == True,  # noqa: E712
                                Staff.pin_hash != "").exists()


def require_manager(actor) -> None:
    if actor is None or getattr(actor, "role", "") not in MANAGERS:
        raise AccountError("not_allowed")


@dataclass
class StaffInput:
    name: str
    role: str = "teacher"
    pin: str = ""
    classes: str = ""  # "7-3, 7-4"


def validate_staff(data: StaffInput, *, pin_needed: bool = True) -> dict[str, str]:
    """Problems by field (``name``, ``role``, ``pin``, ``classes``); {} if none."""
    from db.models import SchoolClass

    errors: dict[str, str] = {}
    name = one_line(data.name)
    if not name:
        errors["name"] = "name_blank"
    elif len(name) > 40:
        errors["name"] = "name_long"
    if data.role not in STAFF_ROLES:
        errors["role"] = "role_unknown"
    if pin_needed or data.pin:
        reason = check_pin(data.pin)
        if reason:
            errors["pin"] = reason
    codes = class_codes(data.classes)
    if codes:
        known = {c for (c,) in SchoolClass.select(SchoolClass.code).tuples()}
        if set(codes) - known:
            errors["classes"] = "class_unknown"
    return errors


def class_codes(text: str) -> list[str]:
    parts = text.replace("，", ",").replace("、", ",").replace(" ", ",").split(",")
    return list(dict.fromkeys(p.strip() for p in parts if p.strip()))


def add_account(actor, data: StaffInput, *, first: bool = False) -> Staff:
    """A new staff account with its PIN.  ``first``: the first administrator of an
    empty file (no one to authorise it); otherwise a manager adds it."""
    from db.pinyin import name_keys

    if first:
        if has_staff():
            raise AccountError("not_first")
        data.role = "admin"
    else:
        require_manager(actor)
    errors = validate_staff(data)
    if errors:
        raise AccountError(next(iter(errors.values())), field=next(iter(errors)))
    name = one_line(data.name)
    pinyin, initials = name_keys(name)
    codes = ",".join(class_codes(data.classes))
    with journal.transaction():
        if Staff.select().where(Staff.name == name, Staff.active == True).exists():  # noqa: E712
            raise AccountError("name_taken", field="name")
        staff = Staff.create(name=name, role=data.role, pinyin=pinyin, initials=initials,
                             pin_hash=hash_pin(data.pin), classes=codes, created_at=clock.now())
        audit.record(actor or staff, "staff", staff.id, "insert",
                     {"name": name, "role": data.role, "classes": codes, "pin": "set"})
    return staff


def update_account(actor, staff_id: int, *, role: str | None = None,
                   classes: str | None = None, active: bool | None = None) -> bool:
    """Change a role, classes or whether the account may sign in (a manager's job).
    A disabled account's entries keep their author.  False if nothing changed."""
    require_manager(actor)
    row = Staff.get_or_none(Staff.id == staff_id)
    if row is None:
        raise AccountError("unknown")
    after = {}
    if role is not None:
        if role not in STAFF_ROLES:
            raise AccountError("role_unknown", field="role")
        after["role"] = role
    if classes is not None:
        errors = validate_staff(StaffInput(name=row.name, role=row.role, classes=classes),
                                pin_needed=False)
        if "classes" in errors:
            raise AccountError(errors["classes"], field="classes")
        after["classes"] = ",".join(class_codes(classes))
    if active is not None:
        after["active"] = active
    before = {k: getattr(row, k) for k in after}
    changes = audit.diff(before, after)
    if not changes:
        return False
    if row.id == actor.id and (after.get("active") is False
                               or after.get("role", row.role) not in MANAGERS):
        raise AccountError("not_yourself")
    with journal.transaction():
        if row.role == "admin" and (after.get("active") is False
                                    or after.get("role", "admin") != "admin"):
            admins = Staff.select().where(Staff.role == "admin", Staff.active == True,  # noqa: E712
                                          Staff.id != row.id).count()
            if not admins:
                raise AccountError("last_admin")
        Staff.update(**after).where(Staff.id == staff_id).execute()
        audit.record(actor, "staff", staff_id, "update", changes)
    return True


@dataclass(frozen=True)
class Account:
    id: int
    name: str
    role: str
    classes: str
    active: bool
    has_pin: bool
    locked_until: dt.datetime | None


def list_accounts() -> list[Account]:
    rows = Staff.select(Staff.id, Staff.name, Staff.role, Staff.classes, Staff.active,
                        Staff.pin_hash, Staff.locked_until).order_by(
        Staff.active.desc(), Staff.pinyin, Staff.name)
    now = clock.now()
    return [Account(r.id, r.name, r.role, r.classes, r.active, bool(r.pin_hash),
                    r.locked_until if r.locked_until and r.locked_until > now else None)
            for r in rows]
