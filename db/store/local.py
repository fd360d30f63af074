"""Local per-user state beside (never on) the share: form drafts and the outbox.

Both live under the user's state directory (``BANGFU_STATE_DIR``, else
``~/.local/state/bangfu``), one folder per database file, one small JSON file
per draft or waiting entry, written atomically (temporary name, then rename)
so a crash leaves either the old or the new content.  A waiting entry is
sealed by its author (see "the outbox" below): it proves who wrote it and its
text is unreadable at rest.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import cast

from db import clock
from db.config import state_dir


def db_identity(db_path: str | os.PathLike) -> str:
    """One database's name: the file's real path, or the server URL without password."""
    from db.config import is_server_url, shown_target

    if is_server_url(db_path):
        return shown_target(db_path)
    return os.path.realpath(os.fspath(db_path))


def db_key(db_path: str | os.PathLike) -> str:
    """A folder name for one database (the same file from any directory)."""
    return hashlib.sha256(db_identity(db_path).encode()).hexdigest()[:16]


def folder(kind: str, db_path) -> Path:
    return state_dir() / kind / db_key(db_path)


def write_json(path: Path, data: dict, *, durable: bool = False) -> None:
    """Replace ``path`` atomically; ``durable`` also survives a power cut (fsync)."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, default=str)
        if durable:
            fh.flush()
            os.fsync(fh.fileno())
    os.replace(tmp, path)
    if durable:
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def read_json(path: Path) -> dict | None:
    try:
        with path.open(encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


# -- drafts -------------------------------------------------------------------
@dataclass
class Draft:
    form: str  # "contact" or "case_edit"
    key: str  # the entry's UUID, or the case id
    staff_id: int
    saved_at: str  # ISO time of the last change
    title: str  # what the offer shows (student name, class)
    values: dict


def _draft_path(db_path, staff_id: int, form: str, key: str) -> Path:
    safe = "".join(c for c in str(key) if c.isalnum() or c in "-_")
    return folder("drafts", db_path) / f"{staff_id}-{form}-{safe}.json"


def save_draft(db_path, staff_id: int, form: str, key: str, title: str, values: dict) -> None:
    """Keep what a form holds now (called on every change)."""
    write_json(_draft_path(db_path, staff_id, form, key),
               asdict(Draft(form, str(key), staff_id, clock.now().isoformat(timespec="seconds"),
                            title, values)))


def discard_draft(db_path, staff_id: int, form: str, key: str) -> None:
    _draft_path(db_path, staff_id, form, key).unlink(missing_ok=True)


def drafts(db_path, staff_id: int) -> list[Draft]:
    """This staff member's drafts for this file, newest first."""
    where = folder("drafts", db_path)
    found = []
    for path in where.glob(f"{staff_id}-*.json") if where.is_dir() else ():
        data = read_json(path)
        if not data or data.get("staff_id") != staff_id:
            continue
        try:
            draft = Draft(**{k: data[k] for k in Draft.__dataclass_fields__})
        except (KeyError, TypeError):
            continue
        found.append(draft)
    return sorted(found, key=lambda d: d.saved_at, reverse=True)


# -- the outbox ---------------------------------------------------------------
# One JSON file per waiting entry, sealed by its author: AES-GCM under a key
# that only their PIN unlocks (derived at sign-in, held in ``db.session`` for
# the process, never written).  In clear only what the outbox needs without
# anyone's key: whose it is (staff_id), when and why it was queued, its UUID,
# which database it is for and which key sealed it (an id, not the key).  All
# of those are the seal's authenticated data: a file whose author, database or
# UUID was changed, or one copied into another person's name, does not open;
# without the key nothing of the entry is readable.
#
# The key: scrypt (as the PIN hash, about one PIN check: ~40 ms, 16 MiB) of the
# PIN with the salt ``bangfu-outbox|<staff id>``.  The salt needs no database
# (sign-in, and later the re-seal, derive it from the id alone), separates
# this key from the PIN hash (random salt) and from everyone else's, and is the
# same on every sign-in, so the same PIN always opens the same entries.
OUTBOX_VERSION = 1
OUTBOX_SCRYPT_N = 2 ** 14  # as db.accounts.SCRYPT_N today; a change makes old entries unopenable
OUTBOX_SCRYPT_R, OUTBOX_SCRYPT_P = 8, 1
REFUSED = "refused"  # the outbox's subfolder for entries that are never written as they are
# why an entry is set aside (the last part of its name in refused/)
UNREADABLE, UNSEALED, FORGED, EARLIER_PIN = "unreadable", "unsealed", "forged", "earlier_pin"
_CLEAR = ("v", "db", "staff_id", "uuid", "queued_at", "reason", "key")  # the authenticated data


class NoOutboxKey(OSError):
    """No sign-in in this process unlocked this person's outbox key, so an entry
    cannot be kept for them (to the caller: an outbox that cannot be written)."""


@dataclass(frozen=True)
class OutboxKey:
    key: bytes = field(repr=False)  # AES-256-GCM; never in a repr or a traceback
    kid: str  # names the key in the files: more output of the same KDF, not the key


def outbox_key(staff_id: int, pin: str) -> OutboxKey:
    out = hashlib.scrypt(pin.encode(), salt=f"bangfu-outbox|{int(staff_id)}".encode(),
                         n=OUTBOX_SCRYPT_N, r=OUTBOX_SCRYPT_R, p=OUTBOX_SCRYPT_P,
                         maxmem=64 * 1024 * 1024, dklen=40)
    return OutboxKey(out[:32], out[32:].hex())


def on_signed_in(staff, pin: str) -> None:
    """``staff`` proved ``pin`` (``db.session.signed_in``): unlock their outbox key."""
    from db import session

    session.remember(staff.id, "outbox", outbox_key(staff.id, pin))


def key_of(staff_id: int | None) -> OutboxKey | None:
    """The outbox key this process holds for ``staff_id`` (from their sign-in)."""
    from db import session

    key = session.recall(staff_id, "outbox")
    return key if isinstance(key, OutboxKey) else None


def _aad(data: dict) -> bytes:
    return json.dumps([data.get(name) for name in _CLEAR], ensure_ascii=False,
                      separators=(",", ":")).encode()


def _seal(key: OutboxKey, clear: dict, entry: dict) -> dict:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    clear = {**clear, "v": OUTBOX_VERSION, "key": key.kid}
    nonce = os.urandom(12)
    body = json.dumps(entry, ensure_ascii=False, default=str).encode()
    sealed = AESGCM(key.key).encrypt(nonce, body, _aad(clear))
    return {**{name: clear[name] for name in _CLEAR},
            "nonce": base64.b64encode(nonce).decode(), "sealed": base64.b64encode(sealed).decode()}


def _unseal(key: OutboxKey, data: dict, identity: str) -> tuple[dict | None, str]:
    """``(entry, "")`` if ``data`` opens with ``key`` for the database ``identity``,
    else ``(None, why)``: UNSEALED, EARLIER_PIN (another key: an earlier PIN of
    theirs, or a copy of someone else's entry), FORGED (it does not verify)."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    if (data.get("v") != OUTBOX_VERSION or not isinstance(data.get("nonce"), str)
            or not isinstance(data.get("sealed"), str)):
        return None, UNSEALED
    if data.get("key") != key.kid:
        return None, EARLIER_PIN
    if data.get("db") != identity:
        return None, FORGED
    try:
        body = AESGCM(key.key).decrypt(base64.b64decode(data["nonce"], validate=True),
                                       base64.b64decode(data["sealed"], validate=True),
                                       _aad(data))
        entry = json.loads(body)
    except (InvalidTag, ValueError, TypeError):
        return None, FORGED
    if not isinstance(entry, dict) or entry.get("uuid") != data.get("uuid"):
        return None, FORGED
    return entry, ""


def _outbox_path(db_path, uuid: str) -> Path:
    safe = "".join(c for c in uuid if c.isalnum() or c == "-")
    return folder("outbox", db_path) / f"{safe}.json"


def put_outbox(db_path, staff_id: int, entry: dict, reason: str) -> Path:
    """Keep a saved entry that could not reach the file, sealed by ``staff_id``
    (signed in in this process: else NoOutboxKey); written later, once."""
    key = key_of(staff_id)
    if key is None:
        raise NoOutboxKey(f"no outbox key for staff {staff_id}")
    path = _outbox_path(db_path, entry["uuid"])
    clear = {"db": db_identity(db_path), "staff_id": staff_id, "uuid": entry["uuid"],
             "queued_at": clock.now().isoformat(), "reason": reason}
    write_json(path, _seal(key, clear, entry), durable=True)
    return path


def _clear(data: dict | None) -> dict:
    """What a waiting file says in clear, or {} if it does not even say whose it is."""
    if not data or type(data.get("staff_id")) is not int:  # noqa: E721 - never a bool
        return {}
    return data


def outbox(db_path) -> list[tuple[Path, dict]]:
    """Every waiting file as it says in clear (never an entry's content), oldest
    first; an unreadable one comes as ``(path, {})`` so it is listed and
    reported, never silently counted."""
    where = folder("outbox", db_path)
    items = [(path, _clear(read_json(path)))
             for path in (sorted(where.glob("*.json")) if where.is_dir() else ())]
    return sorted(items, key=lambda item: str(item[1].get("queued_at", "")))


def outbox_count(db_path, staff_id: int | None = None) -> int:
    """Waiting files for this database: all of them, or ``staff_id``'s (with the
    unreadable ones, which are nobody's: whoever flushes sets them aside)."""
    if staff_id is None:
        where = folder("outbox", db_path)
        return sum(1 for _ in where.glob("*.json")) if where.is_dir() else 0
    return sum(1 for _, data in outbox(db_path) if data.get("staff_id") in (None, staff_id))


@dataclass
class Waiting:
    """One waiting file of the reader's (``db.outbox.flush_outbox``)."""
    path: Path
    uuid: str
    queued_at: str
    reason: str  # why it was queued (db.store.failures kind)
    entry: dict | None  # opened with the reader's key
    problem: str = ""  # why it does not open: UNREADABLE, UNSEALED, EARLIER_PIN, FORGED


def waiting_for(db_path, staff_id: int, key: OutboxKey) -> tuple[list[Waiting], int]:
    """``staff_id``'s waiting entries, each opened with ``key`` or with the reason
    it does not open (plus the unreadable files, which are nobody's), oldest
    first; and how many files name someone else (left alone: they are theirs)."""
    identity = db_identity(db_path)
    mine, others = [], 0
    for path, data in outbox(db_path):
        if data and data["staff_id"] != staff_id:
            others += 1
            continue
        if not data:
            mine.append(Waiting(path, "", "", "", None, UNREADABLE))
            continue
        entry, problem = _unseal(key, data, identity)
        mine.append(Waiting(path, str(data.get("uuid", "")), str(data.get("queued_at", "")),
                            str(data.get("reason", "")), entry, problem))
    return mine, others


def set_aside(path: Path, why: str) -> Path:
    """Move a waiting file that is never written as it is to ``refused/``, its
    bytes untouched, ``why`` in its new name; never over an earlier one."""
    where = path.parent / REFUSED
    where.mkdir(mode=0o700, exist_ok=True)
    for number in range(1000):
        extra = f".{number}" if number else ""
        target = where / f"{path.stem}{extra}.{why}.json"
        if not target.exists():
            break
    os.replace(path, target)
    return target


def refused(db_path) -> list[tuple[Path, dict, str]]:
    """The files set aside: ``(path, what it says in clear, why)``."""
    where = folder("outbox", db_path) / REFUSED
    found = []
    for path in sorted(where.glob("*.json")) if where.is_dir() else ():
        why = path.name.rsplit(".", 2)[-2] if path.name.count(".") >= 2 else UNREADABLE
        found.append((path, _clear(read_json(path)), why))
    return found


def pin_changed(actor, staff_id: int, pin: str) -> int:
    """After ``actor`` set ``staff_id``'s PIN to ``pin``: if it was their own,
    re-seal their waiting entries (every database's, on this computer) with the
    new PIN's key and hold that key from now on; the count re-sealed.

    An administrator's reset of someone else's PIN re-seals nothing (no one
    holds that person's old key): their entries sealed with the earlier PIN stay
    where they are and are reported as such, never deleted."""
    if actor is None or actor.id != staff_id:
        return 0
    from db import session

    old, new = key_of(staff_id), outbox_key(staff_id, pin)
    done = 0
    root = state_dir() / "outbox"
    for path in sorted(root.glob("*/*.json")) if old is not None and root.is_dir() else ():
        data = _clear(read_json(path))
        if not data or data["staff_id"] != staff_id:
            continue
        entry, problem = _unseal(cast(OutboxKey, old), data, str(data.get("db")))  # looped: not None
        if problem:
            continue
        clear = {name: data.get(name) for name in ("db", "staff_id", "uuid", "queued_at", "reason")}
        write_json(path, _seal(new, clear, cast(dict, entry)), durable=True)  # no problem: an entry
        done += 1
    session.remember(staff_id, "outbox", new)
    return done


def entry_to_json(entry) -> dict:
    """A ``db.contacts.NewContact`` as plain JSON values."""
    data = asdict(entry)
    for name, value in data.items():
        if isinstance(value, (dt.date, dt.datetime)):
            data[name] = value.isoformat()
    return data
