"""Local per-user state beside (never on) the share: form drafts and the outbox.

Both live under the user's state directory (``BANGFU_STATE_DIR``, else
``~/.local/state/bangfu``), one folder per database file, one small JSON file
per draft or waiting entry, written atomically (temporary name, then rename)
so a crash leaves either the old or the new content.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

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
def _outbox_path(db_path, uuid: str) -> Path:
    safe = "".join(c for c in uuid if c.isalnum() or c == "-")
    return folder("outbox", db_path) / f"{safe}.json"


def put_outbox(db_path, staff_id: int, staff_name: str, entry: dict, reason: str) -> Path:
    """Keep a saved entry that could not reach the file; written later, once."""
    path = _outbox_path(db_path, entry["uuid"])
    write_json(path, {"db": db_identity(db_path), "staff_id": staff_id,
                      "staff_name": staff_name, "queued_at": clock.now().isoformat(),
                      "reason": reason, "entry": entry}, durable=True)
    return path


def outbox(db_path) -> list[tuple[Path, dict]]:
    """Every waiting entry, oldest first; an unreadable file comes as ``(path, {})``
    so it is listed and reported, never silently counted."""
    where = folder("outbox", db_path)
    items = []
    for path in sorted(where.glob("*.json")) if where.is_dir() else ():
        data = read_json(path)
        items.append((path, data if data and isinstance(data.get("entry"), dict) else {}))
    return sorted(items, key=lambda item: item[1].get("queued_at", ""))


def outbox_count(db_path) -> int:
    where = folder("outbox", db_path)
    return sum(1 for _ in where.glob("*.json")) if where.is_dir() else 0


def entry_to_json(entry) -> dict:
    """A ``db.contacts.NewContact`` as plain JSON values."""
    data = asdict(entry)
    for name, value in data.items():
        if isinstance(value, (dt.date, dt.datetime)):
            data[name] = value.isoformat()
    return data
