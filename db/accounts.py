"""Accounts: PINs (salted scrypt), sign-in with a lock after five wrong tries,
the first administrator, and adding, disabling and resetting staff.

A PIN is 4–8 digits or a password of at least 8 characters.  It is stored as
``scrypt$n$r$p$salt$hash`` so the cost can be raised later without breaking
the PINs already set (a good sign-in re-hashes a PIN stored at a lower cost).

Those who may read restricted text (``db.access.RESTRICTED_READERS``, and the
lead of a case) need a strong PIN (``pin_is_strong``): 8 digits that are not a
date or a pattern, or a password of 10 or more characters mixing letters with
digits or signs.  At ``SCRYPT_N`` = 2**15 one guess costs about 16 ms on a fast
core with an optimised scrypt (2**14 cost 8 ms in the attack that cracked a
4-digit PIN in 81 s), so 10**8 PINs take about 19 days on one core.  Others
keep short PINs: theirs unlock nothing that a copy of the file does not
already show.  On a demo or test database (``db.clock.overrides_allowed``)
short PINs stay allowed for everyone.  A reader whose PIN is too weak is told
at sign-in and chooses a new one there (``must_change_pin``, ``change_own_pin``).

Sign-in is one write transaction (``BEGIN IMMEDIATE``; on a server its write
lock): the row is read, a lock refuses, the PIN is checked and the try counted
before anyone else's try is read, so parallel wrong PINs never exceed
``MAX_TRIES``.  Five wrong PINs in a row lock the account for ``LOCK_STEPS[0]``
minutes; after a lockout one more wrong PIN locks it again, each time longer
(up to a day), until a good sign-in or a new PIN.  Lockouts are timed by the
computer's real clock, never by ``BANGFU_NOW``.  Each wrong try and each lock
is in the audit log, never the PIN itself.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from db import audit, clock, session
from db.store import journal
from db.models import Staff
from db.text import one_line
from db.vocab import STAFF_ROLES

if TYPE_CHECKING:
    from db.models import Rows

SCRYPT_N = 2 ** 15  # about 32 MiB and 110–140 ms a check on this kind of machine
SCRYPT_R, SCRYPT_P = 8, 1
MAX_TRIES = 5  # wrong PINs in a row before the first lockout
TRIES_AFTER_LOCKOUT = 1  # after a lockout (until a good sign-in): one wrong PIN locks again
LOCK_STEPS = (5, 15, 60, 240, 1440)  # minutes of the 1st, 2nd, ... lockout (then a day each)
LOCK_MINUTES = LOCK_STEPS[0]
STRONG_DIGITS = 8  # a strong PIN of digits
STRONG_LENGTH = 10  # a strong password
MANAGERS = ("admin", "coordinator")


class AccountError(Exception):
    """``code`` names the i18n message (``err.account.<code>``); ``extra`` fills it."""

    def __init__(self, code: str, **extra):
        super().__init__(code)
        self.code = code
        self.extra = extra


# -- PINs -----------------------------------------------------------------------
def check_pin(pin: str, again: str | None = None, *, strong: bool = False) -> str | None:
    """None if ``pin`` may be used (and, given, ``again`` is the same), else the
    reason's code.  ``strong``: it must be strong too (``pin_is_strong``)."""
    reason = _pin_reason(pin)
    if reason is None and strong and not pin_is_strong(pin):
        reason = "pin_weak"
    if reason is None and again is not None and again != pin:
        return "pin_mismatch"
    return reason


def pin_is_strong(pin: str) -> bool:
    """Strong enough for someone who reads restricted text: 8 digits that are not
    a date, a repeated half, a run (12345678) or of fewer than 4 different
    digits; or a password of 10+ characters, 5+ different ones, mixing letters
    with digits or signs."""
    if not pin or _pin_reason(pin) is not None:
        return False
    if pin.isdecimal() and pin.isascii():
        return len(pin) >= STRONG_DIGITS and not _guessable_digits(pin)
    kinds = {"letter" if ch.isalpha() else "digit" if ch.isdigit() else "sign" for ch in pin}
    return len(pin) >= STRONG_LENGTH and len(set(pin)) >= 5 and len(kinds) >= 2 \
        and "letter" in kinds


def _guessable_digits(pin: str) -> bool:
    if len(set(pin)) < 4 or pin[: len(pin) // 2] == pin[len(pin) // 2:]:
        return True
    steps = {(int(b) - int(a)) % 10 for a, b in zip(pin, pin[1:])}
    if len(steps) == 1:  # 12345678, 98765432, 13579135
        return True
    return len(pin) == 8 and any(_is_date(y, m, d) for y, m, d in (
        (pin[:4], pin[4:6], pin[6:]), (pin[4:], pin[2:4], pin[:2]), (pin[4:], pin[:2], pin[2:4])))


def _is_date(year: str, month: str, day: str) -> bool:
    try:
        return 1900 <= int(year) <= 2099 and bool(dt.date(int(year), int(month), int(day)))
    except ValueError:
        return False


def strong_pins_apply() -> bool:
    """False on a database made by ``bangfu demo`` or the tests (``db.clock``):
    there everyone keeps a short PIN (the demo's 1234)."""
    return not clock.overrides_allowed()


def role_needs_strong_pin(role: str) -> bool:
    """A role that reads restricted text, on a school's database."""
    from db.access import RESTRICTED_READERS

    return role in RESTRICTED_READERS and strong_pins_apply()


def strong_pin_needed(staff_id: int) -> bool:
    """True when this person may read restricted text (a reader's role, or the
    lead of a case) on a school's database, so their PIN must be strong."""
    from db.access import RESTRICTED_READERS
    from db.models import Assignment

    if not strong_pins_apply():
        return False
    row = Staff.get_or_none(Staff.id == staff_id)
    if row is None:
        return False
    if row.role in RESTRICTED_READERS:
        return True
    return (Assignment.select().where(Assignment.staff == staff_id,
                                      Assignment.role == "lead",
                                      Assignment.active == True).exists())  # noqa: E712


def must_change_pin(staff_id: int, pin: str) -> bool:
    """After a good sign-in with ``pin``: True when it is too weak for what this
    person may read, so they choose a new one before going on."""
    return not pin_is_strong(pin) and strong_pin_needed(staff_id)


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


def hash_cost(stored: str) -> int:
    """The scrypt cost ``n`` a stored PIN hash was made at (0 if it is not one)."""
    try:
        n = int(stored.split("$")[1])
    except (IndexError, ValueError):
        return 0
    return n if 2 <= n <= 2 ** 22 and not n & (n - 1) else 0


# -- signing in -------------------------------------------------------------------
def needs_pin(staff_id: int) -> bool:
    """True when this person has not chosen a PIN yet (an account from before PINs)."""
    row = Staff.get_or_none(Staff.id == staff_id)
    return row is not None and not row.pin_hash


def authenticate(staff_id: int, pin: str) -> Staff:
    """The account when ``pin`` is right; else AccountError: ``wrong`` (with
    ``left`` tries), ``locked`` (with ``until``), ``disabled``, ``no_pin``.

    One write transaction from reading the row to counting the try: a second
    computer's (or process's) try waits for it, so it reads the count this one
    left, and no more than ``MAX_TRIES`` wrong PINs are ever checked in a row."""
    with journal.transaction():  # BEGIN IMMEDIATE; on a server its write lock
        row, refused = _check_and_count(staff_id, pin)
    if refused is not None:
        raise refused  # the wrong try is counted: its transaction has committed
    row = cast(Staff, row)  # no refusal: the account
    session.signed_in(row, pin)
    return row


def _check_and_count(staff_id: int, pin: str) -> tuple[Staff | None, AccountError | None]:
    """Inside the caller's write transaction: (the account, None) for the right
    PIN (its count set back), (None, the refusal) for a wrong one (counted,
    perhaps locked: the caller commits, then raises).  A refusal that writes
    nothing (disabled, locked, no PIN) is raised here."""
    row = Staff.get_or_none(Staff.id == staff_id)
    if row is None or not row.active:
        raise AccountError("disabled")
    now = clock.real_now()  # never BANGFU_NOW: a date override must not end a lock
    if row.locked_until is not None and row.locked_until > now:
        raise AccountError("locked", until=row.locked_until)
    if not row.pin_hash:
        raise AccountError("no_pin")
    if pin_matches(pin, row.pin_hash):
        after: dict[str, object] = {}
        if row.pin_failures or row.locked_until is not None or row.lockouts:
            after.update(pin_failures=0, locked_until=None, lockouts=0)
        # stored at an older, lower cost: raised (a demo's or the tests' cheap ones stay)
        if hash_cost(row.pin_hash) < SCRYPT_N and strong_pins_apply():
            after["pin_hash"] = hash_pin(pin)
        if after:
            Staff.update(**after).where(Staff.id == row.id).execute()
            changes = {k: [getattr(row, k), v] for k, v in after.items()
                       if k in ("pin_failures", "lockouts") and getattr(row, k) != v}
            if "pin_hash" in after:
                changes["pin"] = ["set", "rehashed"]
            audit.record(row, "staff", row.id, "update", changes)
            row = Staff.get_by_id(row.id)
        return row, None
    allowed = MAX_TRIES if not row.lockouts else TRIES_AFTER_LOCKOUT
    failures = row.pin_failures + 1
    if failures < allowed:
        Staff.update(pin_failures=failures).where(Staff.id == row.id).execute()
        audit.record(None, "staff", row.id, "sign_in_failed",
                     {"pin_failures": [row.pin_failures, failures]})
        return None, AccountError("wrong", left=allowed - failures)
    # counted in the file, so five tries from five computers lock it too
    lockouts = row.lockouts + 1
    until = now + dt.timedelta(minutes=LOCK_STEPS[min(lockouts, len(LOCK_STEPS)) - 1])
    Staff.update(pin_failures=0, locked_until=until, lockouts=lockouts
                 ).where(Staff.id == row.id).execute()
    audit.record(None, "staff", row.id, "sign_in_failed",
                 {"pin_failures": [row.pin_failures, failures],
                  "locked_until": [None, until], "lockouts": [row.lockouts, lockouts]})
    return None, AccountError("locked", until=until)


def verify_pin(staff_id: int, pin: str) -> Staff:
    """``authenticate`` without writing anything, for a file that cannot be
    written now (a lock left behind, a damaged file read as it is): the same
    refusals, but a wrong PIN is not counted (nothing can be written)."""
    row = Staff.get_or_none(Staff.id == staff_id)
    if row is None or not row.active:
        raise AccountError("disabled")
    if row.locked_until is not None and row.locked_until > clock.real_now():
        raise AccountError("locked", until=row.locked_until)
    if not row.pin_hash:
        raise AccountError("no_pin")
    if not pin_matches(pin, row.pin_hash):
        allowed = MAX_TRIES if not row.lockouts else TRIES_AFTER_LOCKOUT
        raise AccountError("wrong", left=max(0, allowed - row.pin_failures))
    session.signed_in(row, pin)
    return row


def change_own_pin(staff_id: int, pin: str, new: str, again: str | None = None) -> Staff:
    """A person replaces their PIN, proving the one they have (``pin``): at
    sign-in when it is too weak for what they read (``must_change_pin``), or
    any time (``bangfu staff pin``).  The check of ``pin`` counts as a sign-in
    try (``authenticate``); the new PIN must differ, and be strong when they
    need a strong one.  Writes the new hash in the same transaction."""
    reason = check_pin(new, again, strong=strong_pin_needed(staff_id))
    if reason is None and new == pin:
        reason = "pin_same"
    if reason:
        raise AccountError(reason)
    with journal.transaction():
        row, refused = _check_and_count(staff_id, pin)
        if refused is None:
            Staff.update(pin_hash=hash_pin(new), pin_failures=0, locked_until=None,
                         lockouts=0).where(Staff.id == staff_id).execute()
            audit.record(row, "staff", staff_id, "update", {"pin": ["set", "changed"]})
    if refused is not None:
        raise refused
    session.signed_in(row, pin)  # the old PIN proved: what it unlocks ...
    row = Staff.get_by_id(staff_id)
    from db import keys
    from db.store import local

    local.pin_changed(row, staff_id, new)  # ... their waiting entries sealed again,
    keys.pin_changed(row, new)  # ... and their key wrapped again under the new one
    session.signed_in(row, new)
    return row


def choose_pin(staff_id: int, pin: str) -> Staff:
    """First sign-in of an account without a PIN: the person sets it."""
    reason = check_pin(pin, strong=strong_pin_needed(staff_id))
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
    row = Staff.get_by_id(staff_id)
    session.signed_in(row, pin)
    return row


def change_pin(actor, staff_id: int, pin: str) -> None:
    """A new PIN: the person's own, or an administrator's/coordinator's reset.
    Clears a lock; the audit log says who did it, never the PIN.  Someone who
    reads restricted text gets a strong one (``strong_pin_needed``)."""
    reason = check_pin(pin)
    if reason:
        raise AccountError(reason)
    if actor is not None and actor.id != staff_id:
        require_manager(actor)
    row = Staff.get_or_none(Staff.id == staff_id)
    if row is None:
        raise AccountError("unknown")
    if strong_pin_needed(staff_id) and not pin_is_strong(pin):
        raise AccountError("pin_weak", field="pin")
    with journal.transaction():
        Staff.update(pin_hash=hash_pin(pin), pin_failures=0, locked_until=None, lockouts=0
                     ).where(Staff.id == staff_id).execute()
        audit.record(actor, "staff", staff_id, "update",
                     {"pin": ["set" if row.pin_hash else "", "reset"]})
    from db import keys
    from db.store import local

    local.pin_changed(actor, staff_id, pin)  # one's own: waiting entries sealed again
    keys.pin_set(actor, staff_id, pin)  # their key pair under the new PIN


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
        reason = check_pin(data.pin, strong=role_needs_strong_pin(data.role))
        if reason:
            errors["pin"] = reason
    codes = class_codes(data.classes)
    if codes:
        known = {c for (c,) in cast("Rows", SchoolClass.select(SchoolClass.code).tuples())}
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
    if first:  # the first administrator is signed in by making the account
        session.signed_in(staff, data.pin)
    else:
        from db import keys

        keys.pin_set(actor, staff.id, data.pin)  # their key pair, and the key if they read
    return staff


def update_account(actor, staff_id: int, *, role: str | None = None,
                   classes: str | None = None, active: bool | None = None) -> bool:
    """Change a role, classes or whether the account may sign in (a manager's job).
    A disabled account's entries keep their author.  False if nothing changed."""
    require_manager(actor)
    row = Staff.get_or_none(Staff.id == staff_id)
    if row is None:
        raise AccountError("unknown")
    after: dict[str, object] = {}
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
    now = clock.real_now()
    return [Account(r.id, r.name, r.role, r.classes, r.active, bool(r.pin_hash),
                    r.locked_until if r.locked_until and r.locked_until > now else None)
            for r in rows]
