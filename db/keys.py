"""Who holds the key to restricted text, and sealing and opening it.

Restricted entries' texts and confidential case-file fields are stored sealed
(``db.crypto``), so a copy of the file, its journals or its backups, taken by
someone without a reader's PIN, shows none of them.  Envelope encryption:

- **The school's key pair.**  Text is sealed to the school's public key (the
  setting ``school_public_key``), which anyone may use, so every writer can seal.
  An entry's text is also sealed to its author's own key, so the author reads
  it back whatever their role.
- **Who holds the school's private key.**  Those who may read restricted text
  by role (``access.RESTRICTED_READERS``) and the leads of open cases: for each,
  the school's private key sealed to their own public key (``school_key``,
  ``staff:<id>``).  Their private key is wrapped under their PIN
  (``staff_key``), so signing in opens it, and nothing else does.  A holder is
  given the key only when their PIN was strong enough (``db.accounts``); on the
  demo and the tests' files short PINs do.
- **Giving and taking back.**  Whenever a holder signs in, everyone who should
  hold the key and does not (a new counsellor, a new lead, someone whose PIN
  was reset) is given it, and those who no longer should (a lead no longer on
  any case, a changed role) lose it (``sync_holders``).
- **Recovery.**  At setup (``set_up``) the school's private key is also wrapped
  under a recovery code of 160 random bits, shown once, for the principal to
  keep on paper in the school's safe.  If every holder forgot their PIN or left,
  an administrator opens the key again with it (``recover``) and the school's
  notes are never lost.

The app's checks of who may read what (``db.access``) are unchanged; these keys
add that no copy of the file reads more than the app would show.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from db import audit, clock, crypto, session
from db.store import journal
from db.access import NotAllowed
from db.crypto import CannotOpen, b64, unb64
from db.models import Assignment, Case, Contact, Meta, SchoolKey, Staff, StaffKey

if TYPE_CHECKING:
    from db.models import Rows

PUBLIC_SETTING = "school_public_key"
RECOVERY = "recovery"
SCHOOL_AAD = b"bangfu school key"
STAFF_AAD = b"bangfu staff key"
CONTACT_TEXT = ("participants", "discussed", "agreed", "follow_up")  # sealed when restricted


class Sealed(NotAllowed):
    """Text this person may read by role, but whose key is not open to them now:
    refused like any other reading they may not do, with its own message
    (``err.access.<code>``): ``sealed`` (the school's key was not given to them
    yet, or their PIN is too short to hold it), ``sealed_damaged`` (the sealed
    text does not open with the right key)."""

    def __init__(self, code: str = "sealed"):
        super().__init__(code)


class KeysError(Exception):
    """Setting up or recovering went wrong: ``code`` names ``err.keys.<code>``."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def holder_name(staff_id: int) -> str:
    return f"staff:{staff_id}"


# -- the school's public key ------------------------------------------------------------
def school_public() -> bytes | None:
    """The key new restricted text is sealed to; None before setup (text stays as typed)."""
    value = Meta.select(Meta.value).where(Meta.key == PUBLIC_SETTING).scalar()
    try:
        return unb64(value) if value else None
    except ValueError:
        return None


def is_set_up() -> bool:
    return school_public() is not None


def public_of(staff_id: int | None) -> bytes | None:
    if staff_id is None:
        return None
    value = StaffKey.select(StaffKey.public_key).where(StaffKey.staff == staff_id).scalar()
    return unb64(value) if value else None


# -- signing in ------------------------------------------------------------------------------
def _strong_enough(staff_id: int, pin: str) -> bool:
    """Whether ``pin`` may guard the school's key (``db.accounts.pin_is_strong``;
    on the demo and the tests' files any PIN may)."""
    from db import accounts

    return accounts.pin_is_strong(pin) or clock.overrides_allowed()


def on_signed_in(staff, pin: str) -> None:
    """``staff`` proved ``pin``: open (or make) their key pair, then the school's
    key if they hold it; a holder then gives and takes back others' keys.

    Never stops a sign-in: on a file that cannot be written now (read as it is),
    what cannot be stored is skipped and made at a later sign-in."""
    from peewee import DatabaseError

    try:
        private = _own_key(staff, pin)
    except DatabaseError:
        return
    if private is None:
        return
    session.remember(staff.id, "private", private)
    school = _open_school_key(staff.id, private)
    if school is None:
        return
    session.remember(staff.id, "school", school)
    try:
        sync_holders(staff, school)
    except DatabaseError:
        pass


def _own_key(staff, pin: str) -> bytes | None:
    row = StaffKey.get_or_none(StaffKey.staff == staff.id)
    strong = _strong_enough(staff.id, pin)
    if row is not None:
        try:
            private = crypto.unwrap(pin, unb64(row.private_wrapped), STAFF_AAD)
        except (CannotOpen, ValueError):
            private = None  # wrapped under an earlier PIN (a reset): a new pair
        if private is not None:
            if row.strong != strong:
                with journal.transaction():
                    StaffKey.update(strong=strong).where(StaffKey.id == row.id).execute()
                    audit.record(staff, "staff_key", row.id, "update",
                                 {"strong": [row.strong, strong]})
            return private
    if not is_set_up():
        # nothing is sealed yet: an administrator's pair waits in memory for
        # ``set_up``; everyone else's is made once the school has its key
        from db.access import can

        if can(staff, "maintain"):
            private, _ = crypto.new_key_pair()
            session.remember(staff.id, "pending_pair",
                             (private, _wrap_private(pin, private, staff), strong))
        return None
    return _new_pair(staff, pin, strong, row)


def _wrap_private(pin: str, private: bytes, staff=None) -> str:
    """At the cost of ``staff``'s PIN hash (a pair made as they sign in or get a PIN:
    no easier to guess than the hash, nor dearer; on a school's file ``SCRYPT_N``, a
    lower one raised at sign-in), else of a PIN chosen now (``SCRYPT_N``)."""
    from db import accounts

    cost = accounts.hash_cost(staff.pin_hash or "") if staff is not None else 0
    return b64(crypto.wrap(pin, private, STAFF_AAD, n=cost or accounts.SCRYPT_N))


def _new_pair(staff, pin: str | None, strong: bool, row, made=None, actor=None) -> bytes:
    """Store a new key pair (``made``: one already wrapped, ``(private, wrapped)``);
    the audit log names ``actor`` (by default the person themselves)."""
    private, wrapped = made or (crypto.new_key_pair()[0], None)
    public = crypto.public_of(private)
    wrapped = wrapped or _wrap_private(cast(str, pin), private, staff)  # a PIN is given
    by = actor or staff
    with journal.transaction():
        if row is None:
            row_id = StaffKey.insert(staff=staff.id, public_key=b64(public),
                                     private_wrapped=wrapped, strong=strong,
                                     updated_at=clock.now()).execute()
            audit.record(by, "staff_key", row_id, "insert",
                         {"staff": staff.id, "strong": strong})
        else:
            StaffKey.update(public_key=b64(public), private_wrapped=wrapped, strong=strong,
                            updated_at=clock.now()).where(StaffKey.id == row.id).execute()
            audit.record(by, "staff_key", row.id, "update", {"renewed": True})
            _drop_holder(by, staff.id)  # sealed to the old pair: given again by a holder
    return private


def _open_school_key(staff_id: int, private: bytes) -> bytes | None:
    sealed = SchoolKey.select(SchoolKey.sealed).where(
        SchoolKey.holder == holder_name(staff_id)).scalar()
    if not sealed:
        return None
    try:
        return crypto.unseal(private, unb64(sealed), SCHOOL_AAD)
    except (CannotOpen, ValueError):
        return None


def pin_changed(staff, pin: str) -> None:
    """``staff`` chose a new PIN while signed in: their private key, wrapped again
    under it (nothing they could read is lost)."""
    private = session.recall(staff.id, "private")
    row = StaffKey.get_or_none(StaffKey.staff == staff.id)
    if row is None or private is None:
        return
    strong = _strong_enough(staff.id, pin)
    with journal.transaction():
        StaffKey.update(private_wrapped=_wrap_private(pin, private),
                        strong=strong, updated_at=clock.now()).where(
            StaffKey.id == row.id).execute()
        audit.record(staff, "staff_key", row.id, "update", {"pin": "rewrapped",
                                                            "strong": strong})


def pin_set(actor, staff_id: int, pin: str) -> None:
    """A PIN was set for ``staff_id`` by ``actor`` (``db.accounts``): their own
    change keeps their key pair, wrapped again under the new PIN; a manager's
    (a new account, a reset) makes them a new pair under it, and a manager who
    holds the school's key gives it to them at once if they should hold it."""
    if not is_set_up():
        return
    staff = Staff.get_or_none(Staff.id == staff_id)
    if staff is None:
        return
    if actor is not None and actor.id == staff_id and session.recall(staff_id, "private"):
        pin_changed(staff, pin)
        return
    row = StaffKey.get_or_none(StaffKey.staff == staff_id)
    _new_pair(staff, pin, _strong_enough(staff_id, pin), row, actor=actor)
    school = session.recall(getattr(actor, "id", None), "school")
    if school is not None:
        sync_holders(actor, school)


# -- holders ----------------------------------------------------------------------------------
def should_hold() -> set[int]:
    """Active staff who may read restricted text: by role, or as an open case's lead."""
    from db.access import RESTRICTED_READERS

    by_role = {i for (i,) in cast("Rows", Staff.select(Staff.id).where(
        Staff.role.in_(RESTRICTED_READERS), Staff.active == True).tuples())}  # noqa: E712
    leads = {i for (i,) in cast("Rows", Assignment.select(Assignment.staff).join(Staff).where(
        Assignment.role == "lead", Assignment.active == True,  # noqa: E712
        Staff.active == True).tuples())}  # noqa: E712
    return by_role | leads


def _drop_holder(actor, staff_id: int) -> None:
    row = SchoolKey.get_or_none(SchoolKey.holder == holder_name(staff_id))
    if row is not None:
        SchoolKey.delete().where(SchoolKey.id == row.id).execute()
        audit.record(actor, "school_key", row.id, "delete", {"holder": row.holder})


def sync_holders(actor, school_private: bytes) -> tuple[int, int]:
    """Give the school's key to everyone who should hold it and can (a key pair
    from a strong enough PIN), take it back from the others; ``(given, taken)``."""
    lax = clock.overrides_allowed()  # the demo and the tests' files: any PIN
    wanted = should_hold()
    pairs = {sid: (public, strong) for sid, public, strong in
             cast("Rows", StaffKey.select(StaffKey.staff, StaffKey.public_key, StaffKey.strong).tuples())}
    held = {int(h.split(":", 1)[1]) for (h,) in cast("Rows", SchoolKey.select(SchoolKey.holder).tuples())
            if h.startswith("staff:")}

    def keeps(sid: int) -> bool:
        return sid in wanted and sid in pairs and (pairs[sid][1] or lax)

    row_ids: dict[int, int] = dict(cast("Rows", StaffKey.select(StaffKey.staff, StaffKey.id).tuples()))
    # a key put in or swapped by hand is never given the school's key (`bangfu check`)
    give = sorted(sid for sid in wanted if keeps(sid) and sid not in held
                  and audit.key_is_sealed(row_ids[sid]))
    take = sorted(sid for sid in held if not keeps(sid))
    if not give and not take:
        return 0, 0
    with journal.transaction():
        for sid in give:
            sealed = crypto.seal(unb64(pairs[sid][0]), school_private, SCHOOL_AAD)
            row_id = SchoolKey.insert(holder=holder_name(sid), sealed=b64(sealed),
                                      created_at=clock.now()).execute()
            audit.record(actor, "school_key", row_id, "insert", {"holder": holder_name(sid)})
        for sid in take:
            _drop_holder(actor, sid)
    return len(give), len(take)


# -- setting up and recovering ------------------------------------------------------------------
def set_up(actor) -> str:
    """Make the school's key (an administrator, signed in on this process) and
    seal what is restricted already; returns the recovery code, shown once.
    Once made, a holder's ``set_up`` only seals what is still stored as typed
    (and returns "")."""
    from db.access import require

    require(actor, "maintain")
    private = session.recall(actor.id, "private")
    if is_set_up():
        if session.recall(actor.id, "school") is None:
            raise KeysError("already")
        seal_existing(actor)  # what an older client left as typed
        return ""
    pending = session.recall(actor.id, "pending_pair")
    if private is None and pending is None:
        raise KeysError("sign_in")
    mine = StaffKey.get_or_none(StaffKey.staff == actor.id)
    strong = mine.strong if private is not None and mine is not None else pending[2]
    if not (strong or clock.overrides_allowed()):
        raise KeysError("weak_pin")
    if private is None:
        private = _new_pair(actor, None, strong, mine, made=pending[:2])
        session.remember(actor.id, "private", private)
        session.remember(actor.id, "pending_pair", None)
    school_private, code = _new_school_key(actor)
    session.remember(actor.id, "school", school_private)
    sync_holders(actor, school_private)
    seal_existing(actor)
    return code


def set_up_demo(pin: str) -> str:
    """The demo's key (``bangfu demo``): every demo account that should hold it
    gets a key pair under the demo's PIN and holds the key at once, so the demo
    behaves as a school a while after setup.  Returns the recovery code."""
    admin = (Staff.select().where(Staff.role == "admin", Staff.active == True)  # noqa: E712
             .order_by(Staff.id).first())
    if admin is None or is_set_up():
        return ""
    cheap = 2 ** 10  # the demo's PIN is 1234 for everyone: a dear wrap would protect nothing
    made = {}
    for staff in Staff.select().where(Staff.id.in_(list(should_hold() | {admin.id}))):
        private, _ = crypto.new_key_pair()
        made[staff.id] = private
        _new_pair(staff, None, True, None,
                  made=(private, b64(crypto.wrap(pin, private, STAFF_AAD, n=cheap))))
    session.remember(admin.id, "private", made[admin.id])
    school_private, code = _new_school_key(admin)
    sync_holders(admin, school_private)
    seal_existing(admin)
    session.signed_out(admin.id)
    return code


def _new_school_key(actor) -> tuple[bytes, str]:
    """The school's key pair (its public half a setting) and its recovery code."""
    school_private, school_public_key = crypto.new_key_pair()
    code = crypto.new_recovery_code()
    with journal.transaction():
        Meta.insert(key=PUBLIC_SETTING, value=b64(school_public_key)).execute()
        audit.record(actor, Meta._meta.table_name, PUBLIC_SETTING, "insert",
                     {PUBLIC_SETTING: b64(school_public_key)})
        _store_recovery(actor, school_private, code)
    return school_private, code


def _store_recovery(actor, school_private: bytes, code: str) -> None:
    wrapped = b64(crypto.wrap(crypto.normal_code(code), school_private, SCHOOL_AAD))
    row = SchoolKey.get_or_none(SchoolKey.holder == RECOVERY)
    if row is None:
        row_id = SchoolKey.insert(holder=RECOVERY, sealed=wrapped,
                                  created_at=clock.now()).execute()
        audit.record(actor, "school_key", row_id, "insert", {"holder": RECOVERY})
    else:
        SchoolKey.update(sealed=wrapped, created_at=clock.now()).where(
            SchoolKey.id == row.id).execute()
        audit.record(actor, "school_key", row.id, "update", {"holder": RECOVERY})


def new_recovery_code(actor) -> str:
    """A new recovery code (the old one opens nothing any more); a holder's job."""
    from db.access import require

    require(actor, "maintain")
    school = session.recall(actor.id, "school")
    if school is None:
        raise KeysError("not_holder")
    code = crypto.new_recovery_code()
    with journal.transaction():
        _store_recovery(actor, school, code)
    return code


def recover(actor, code: str) -> None:
    """An administrator, signed in, opens the school's key with the recovery code
    and holds it again (then gives it to everyone who should hold it)."""
    from db.access import require

    require(actor, "maintain")
    private = session.recall(actor.id, "private")
    if private is None:
        raise KeysError("sign_in")
    row = SchoolKey.get_or_none(SchoolKey.holder == RECOVERY)
    public = school_public()
    if row is None or public is None:
        raise KeysError("not_set_up")
    try:
        school = crypto.unwrap(crypto.normal_code(code), unb64(row.sealed), SCHOOL_AAD)
    except (CannotOpen, ValueError):
        raise KeysError("wrong_code") from None
    if crypto.public_of(school) != public:
        raise KeysError("wrong_code")
    mine = public_of(actor.id)
    with journal.transaction():
        _drop_holder(actor, actor.id)
        row_id = SchoolKey.insert(holder=holder_name(actor.id), created_at=clock.now(),
                                  # signed in with a private key: their public key is stored
                                  sealed=b64(crypto.seal(cast(bytes, mine), school, SCHOOL_AAD))).execute()
        audit.record(actor, "school_key", row_id, "insert",
                     {"holder": holder_name(actor.id), "by": RECOVERY})
    session.remember(actor.id, "school", school)
    sync_holders(actor, school)


def seal_existing(actor, progress=None) -> int:
    """Seal the restricted text still stored as typed (a file from before
    setup); returns how many rows were sealed.  The audit entry says which
    fields, never their text."""
    from db.cases import CASE_TEXT_FIELDS
    from db.referrals import seal_plain
    from db.sealing import seal_values  # (which builds on this module)
    from db.vocab import split_codes

    school = school_public()
    if school is None:
        return 0
    done = 0
    with journal.transaction():
        rows = list(cast("Rows", Contact.select(Contact.id, Contact.author, *(getattr(Contact, n)
                                                                          for n in CONTACT_TEXT))
                         .where(Contact.restricted != "").tuples()))
        for row_id, author_id, *texts in rows:
            plain = {n: v for n, v in zip(CONTACT_TEXT, texts)
                     if v and not crypto.is_sealed(v)}
            if not plain:
                continue
            sealed = seal_values("contact", plain, plain, author_id)
            Contact.update(**sealed).where(Contact.id == row_id).execute()
            audit.record(actor, "contact", row_id, "update", {"sealed": sorted(plain)})
            done += 1
        cases = list(cast("Rows", Case.select(Case.id, Case.restricted_fields, *(getattr(Case, f)
                                                                               for f in CASE_TEXT_FIELDS))
                          .where(Case.restricted_fields != "").tuples()))
        for case_id, marked, *texts in cases:
            stored = dict(zip(CASE_TEXT_FIELDS, texts))
            plain = {n: stored[n] for n in split_codes(marked)
                     if stored.get(n) and not crypto.is_sealed(stored[n])}
            if not plain:
                continue
            Case.update(**seal_values("case_file", plain, plain, None, [school])).where(
                Case.id == case_id).execute()
            audit.record(actor, "case_file", case_id, "update", {"sealed": sorted(plain)})
            done += 1
            if progress:
                progress(done)
        done += seal_plain(actor)  # a referral's reason and outcome (schema 15)
    return done


@dataclass(frozen=True)
class KeyStatus:
    set_up: bool
    holders: list[str]  # names of those who hold the school's key
    waiting: list[str]  # should hold it and do not yet (why: tui)
    weak: list[str]  # should hold it but their PIN is too short
    recovery: bool  # a recovery code exists
    plain_rows: int  # restricted rows still stored as typed


def status() -> KeyStatus:
    from db.cases import CASE_TEXT_FIELDS
    from db.referrals import plain_referrals

    names: dict[int, str] = dict(cast("Rows", Staff.select(Staff.id, Staff.name).tuples()))
    held = {int(h.split(":", 1)[1]) for (h,) in cast("Rows", SchoolKey.select(SchoolKey.holder).tuples())
            if h.startswith("staff:")}
    strong: dict[int, bool] = dict(cast("Rows", StaffKey.select(StaffKey.staff, StaffKey.strong).tuples()))
    wanted = should_hold()
    lax = clock.overrides_allowed()
    plain = 0
    for row in cast("Rows", Contact.select(*(getattr(Contact, n) for n in CONTACT_TEXT)).where(
            Contact.restricted != "").tuples()):
        plain += any(v and not crypto.is_sealed(v) for v in row)
    from db.vocab import split_codes

    for row in cast("Rows", Case.select(Case.restricted_fields, *(getattr(Case, f) for f in CASE_TEXT_FIELDS)
                                        ).where(Case.restricted_fields != "").tuples()):
        stored = dict(zip(CASE_TEXT_FIELDS, row[1:]))
        plain += any(stored.get(n) and not crypto.is_sealed(stored[n])
                     for n in split_codes(row[0]))
    plain += len(plain_referrals())
    return KeyStatus(
        set_up=is_set_up(),
        holders=sorted(names.get(i, "?") for i in held),
        waiting=sorted(names.get(i, "?") for i in wanted - held
                       if strong.get(i, False) or lax or i not in strong),
        weak=sorted(names.get(i, "?") for i in wanted - held
                    if i in strong and not strong[i] and not lax),
        recovery=SchoolKey.select().where(SchoolKey.holder == RECOVERY).exists(),
        plain_rows=plain)
