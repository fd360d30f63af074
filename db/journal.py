"""The per-host journal: every committed write, one JSON line, beside the file.

``<db>.journal/<host>.jsonl`` gets one line per written row after its
transaction commits (one writer per file, so no lock is needed).  Each line
carries the row as it is after the write, the author, host, time and the row's
audit entry, so ``bangfu recover`` can rebuild a damaged file from the newest
good backup plus every host's journal.  Replaying is idempotent: a contact or a
stage review is matched by its client-made UUID, every other row by its id (and
version).
"""

from __future__ import annotations

import contextvars
import json
import os
import threading
import uuid as uuidlib
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from db.models import database

_pending: contextvars.ContextVar[list | None] = contextvars.ContextVar("bangfu_journal",
                                                                       default=None)
FORMAT = 1
JOURNALED_TABLES = ("staff", "term", "school_class", "student", "guardian", "case_file",
                    "assignment", "goal", "contact", "stage_review", "peer_pair",
                    "score", "checkin")
# the school's settings (its rules, db/rules.py): rows by key, the newest value wins
SETTINGS_TABLE = "bangfu_meta"


def journal_dir(db_path: str | os.PathLike) -> Path:
    return Path(str(db_path) + ".journal")


def journal_file(db_path: str | os.PathLike, host: str) -> Path:
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in host) or "host"
    return journal_dir(db_path) / f"{safe}.jsonl"


def bound_path() -> Path | None:
    """The file the models are bound to (set by ``db.connection.open_database``)."""
    return getattr(database.obj, "bangfu_path", None)


@contextmanager
def transaction():
    """A write transaction (``BEGIN IMMEDIATE``) journaled once it has committed.

    Nested use joins the outer transaction; lines are written only after the
    outermost commit, so a rolled-back write never reaches the journal.
    """
    if _pending.get() is not None:
        with database.atomic():
            yield
        return
    pending: list[dict] = []
    token = _pending.set(pending)
    try:
        with database.atomic():
            yield
    finally:
        _pending.reset(token)
    if pending:
        path = bound_path()
        if path is not None:
            append(path, pending)


def note(audit_row: dict) -> None:
    """Remember the row an audit entry describes, as it is now (inside the write)."""
    pending = _pending.get()
    if pending is None or bound_path() is None:  # no file: a server keeps its own journal
        return
    table, row_id = audit_row["table_name"], audit_row["row_id"]
    row = None
    if audit_row["action"] != "delete" and table in JOURNALED_TABLES:
        cursor = database.execute_sql(f'SELECT * FROM "{table}" WHERE id = ?', (row_id,))
        found = cursor.fetchone()
        if found is not None:
            row = {d[0]: v for d, v in zip(cursor.description, found)}
    elif table == SETTINGS_TABLE:  # a setting as it is now; None: back to the default
        found = database.execute_sql(f'SELECT key, value FROM "{table}" WHERE key = ?',
                                     (row_id,)).fetchone()
        row = {"key": found[0], "value": found[1]} if found is not None else None
    pending.append({
        "v": FORMAT,
        "uuid": (row or {}).get("uuid") or str(uuidlib.uuid4()),
        "at": audit_row["at"], "host": audit_row["host"],
        "author": audit_row["staff"], "author_name": audit_row["staff_name"],
        "table": table, "id": row_id, "action": audit_row["action"],
        "row": row, "audit": audit_row,
    })


_open_files: dict[Path, int] = {}  # journal file -> descriptor, kept open between writes
_lock = threading.Lock()


def _descriptor(target: Path) -> int:
    with _lock:
        fd = _open_files.get(target)
        if fd is None:
            target.parent.mkdir(mode=0o770, exist_ok=True)
            fd = os.open(target, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o660)
            # a crash mid-write may have left a torn last line: end it first, so
            # the next line is not glued to the fragment
            size = os.fstat(fd).st_size
            if size and os.pread(fd, 1, size - 1) != b"\n":
                os.write(fd, b"\n")
            _open_files[target] = fd
        return fd


def _forget(target: Path) -> None:
    with _lock:
        fd = _open_files.pop(target, None)
    if fd is not None:
        try:
            os.close(fd)
        except OSError:
            pass


def append(db_path: str | os.PathLike, lines: list[dict]) -> bool:
    """Append ``lines`` to this host's journal in one write; False if it failed.

    The descriptor stays open between saves (on a share every open and close is
    several round trips); after an error it is opened afresh once.  The data is
    already committed to the file: a journal that cannot be written (share gone
    a moment later) must not turn the save into an error.
    """
    from db.connection import hostname

    data = "".join(json.dumps(line, ensure_ascii=False, sort_keys=True, default=str) + "\n"
                   for line in lines).encode()
    target = journal_file(db_path, hostname())
    for _ in range(2):
        try:
            os.write(_descriptor(target), data)
            return True
        except OSError:
            _forget(target)  # a stale descriptor (share remounted): try a new one
    return False


def close_all() -> None:
    for target in list(_open_files):
        _forget(target)


@dataclass
class JournalRead:
    lines: list[dict] = field(default_factory=list)
    bad: int = 0  # unreadable lines (a torn last line after a crash)
    files: int = 0


def read_all(db_path: str | os.PathLike) -> JournalRead:
    """Every host's lines, oldest first."""
    result = JournalRead()
    folder = journal_dir(db_path)
    for path in sorted(folder.glob("*.jsonl")) if folder.is_dir() else ():
        result.files += 1
        with path.open("rb") as fh:
            for number, raw in enumerate(fh):
                if not raw.strip():
                    continue
                line = _parse(raw)
                if line is None:
                    result.bad += 1
                    continue
                line["_order"] = (str(line.get("at", "")), path.name, number)
                result.lines.append(line)
    result.lines.sort(key=lambda line: line["_order"])
    return result


def _parse(raw: bytes) -> dict | None:
    """One journal line; a whole line glued after a torn fragment is still found."""
    text = raw.decode("utf-8", "replace").strip()
    decoder = json.JSONDecoder()
    start = 0
    while start != -1:
        try:
            line, end = decoder.raw_decode(text, start)
        except ValueError:
            line, end = None, -1
        if end == len(text) and isinstance(line, dict) and (
                line.get("table") in JOURNALED_TABLES or line.get("table") == SETTINGS_TABLE):
            return line
        start = text.find('{"', start + 1)
    return None


@dataclass
class ReplayReport:
    applied: int = 0  # rows written (missing or older in the file)
    present: int = 0  # already in the file as journaled
    failed: int = 0  # could not be applied (reported, never guessed)
    bad: int = 0
    by_table: dict = field(default_factory=dict)


def _columns(table: str) -> set[str]:
    return {row[1] for row in database.execute_sql(f'PRAGMA table_info("{table}")')}


def _update_row(table: str, row_id, values: dict) -> bool:
    """Give row ``row_id`` the journaled ``values`` (all but the id); False if it had them."""
    names = [k for k in values if k != "id"]
    quoted = [f'"{k}"' for k in names]
    before = database.execute_sql(f'SELECT {", ".join(quoted)} FROM "{table}" WHERE id = ?',
                                  (row_id,)).fetchone()
    if tuple(before) == tuple(values[k] for k in names):
        return False
    database.execute_sql(f'UPDATE "{table}" SET {", ".join(q + " = ?" for q in quoted)} '
                         "WHERE id = ?", (*[values[k] for k in names], row_id))
    return True


def _apply_setting(key: str, row: dict | None) -> bool:
    """Give setting ``key`` its journaled value (no row: the default, key removed)."""
    found = database.execute_sql(f'SELECT value FROM "{SETTINGS_TABLE}" WHERE key = ?',
                                 (key,)).fetchone()
    if row is None:
        if found is None:
            return False
        database.execute_sql(f'DELETE FROM "{SETTINGS_TABLE}" WHERE key = ?', (key,))
        return True
    if found is not None and found[0] == row["value"]:
        return False
    database.execute_sql(f'INSERT OR REPLACE INTO "{SETTINGS_TABLE}" (key, value) VALUES (?, ?)',
                         (key, row["value"]))
    return True


def _apply(line: dict, columns: dict[str, set[str]]) -> bool:
    """Write one journaled row if the file lacks it (or has an older version)."""
    table, row = line["table"], line.get("row")
    if table == SETTINGS_TABLE:
        return _apply_setting(str(line["id"]), row)
    if line.get("action") == "delete":
        database.execute_sql(f'DELETE FROM "{table}" WHERE id = ?', (line["id"],))
        return True
    if not row:
        return False
    known = columns.setdefault(table, _columns(table))
    values = {k: v for k, v in row.items() if k in known}
    if "uuid" in known:  # entries, stage reviews: the client-made UUID identifies them
        found = database.execute_sql(f'SELECT id FROM "{table}" WHERE uuid = ?',
                                     (values["uuid"],)).fetchone()
        if found is not None:
            # an amendment or a follow-up marked done: the entry as it was then
            return line.get("action") == "update" and _update_row(table, found[0], values)
        taken = database.execute_sql(f'SELECT 1 FROM "{table}" WHERE id = ?',
                                     (values["id"],)).fetchone()
        if taken is not None:  # another host's entry took that id: a new one
            values.pop("id")
    else:
        current = database.execute_sql(
            f'SELECT {"version" if "version" in known else "1"} FROM "{table}" WHERE id = ?',
            (values["id"],)).fetchone()
        if current is not None:
            if "version" in known and (current[0] or 0) >= (values.get("version") or 0):
                return False
            return _update_row(table, values["id"], values)
    names = ", ".join(f'"{k}"' for k in values)
    marks = ", ".join("?" for _ in values)
    database.execute_sql(f'INSERT INTO "{table}" ({names}) VALUES ({marks})',
                         tuple(values.values()))
    return True


def _apply_audit(line: dict) -> None:
    audit = line.get("audit")
    if not audit:
        return
    found = database.execute_sql(
        "SELECT 1 FROM audit_log WHERE at = ? AND host = ? AND table_name = ? AND row_id = ? "
        "AND action = ? AND changes = ?", (audit["at"], audit["host"], audit["table_name"],
                                           str(audit["row_id"]), audit["action"],
                                           audit["changes"])).fetchone()
    if found is None:
        names = ("at", "staff_id", "staff_name", "host", "table_name", "row_id", "action", "changes")
        database.execute_sql(
            f"INSERT INTO audit_log ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})",
            (audit["at"], audit["staff"], audit["staff_name"], audit["host"],
             audit["table_name"], str(audit["row_id"]), audit["action"], audit["changes"]))


def replay(read: JournalRead, progress=None) -> ReplayReport:
    """Apply every journaled row the bound file lacks, in one transaction."""
    report = ReplayReport(bad=read.bad)
    columns: dict[str, set[str]] = {}

    def key(line: dict):
        row = line.get("row") or {}
        if row.get("uuid"):  # a contact or a stage review
            return (line["table"], row["uuid"])
        return (line["table"], str(line.get("id")))

    # each line carries the whole row as it was then: only a row's newest line
    # needs writing (every line's audit entry is restored all the same)
    newest = {key(line): n for n, line in enumerate(read.lines)}
    with database.atomic():
        for number, line in enumerate(read.lines, 1):
            try:
                with database.atomic():  # a savepoint: one bad line never spoils the rest
                    applied = newest[key(line)] == number - 1 and _apply(line, columns)
                    _apply_audit(line)
            except Exception:  # noqa: BLE001 - counted and reported, never guessed
                report.failed += 1
                continue
            if applied:
                report.applied += 1
                report.by_table[line["table"]] = report.by_table.get(line["table"], 0) + 1
            else:
                report.present += 1
            if progress and number % 200 == 0:
                progress(number, len(read.lines))
    return report
