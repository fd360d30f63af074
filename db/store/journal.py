"""The per-host journal: every committed write, one JSON line, beside the file.

``<db>.journal/<host>.jsonl`` gets one line per written row after its
transaction commits (one writer per file, so no lock is needed).  Each line
carries the row as it is after the write, the author, host, time and the row's
audit entry, so ``bangfu recover`` can rebuild a damaged file from the newest
good backup plus every host's journal.  Replaying is idempotent: a contact or a
stage review is matched by its client-made UUID, every other row by its id (and
version), an audit entry by its time, host, table, row and action (``replay``).
``bangfu check`` compares the file with the journals (``scan``, ``compare``:
what can be compared and what cannot: ``compare``).
"""

from __future__ import annotations

import contextvars
import json
import os
import uuid as uuidlib
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from db.store.journal_write import PendingLines, append
from db.models import database

_pending: contextvars.ContextVar[PendingLines | None] = contextvars.ContextVar("bangfu_journal",
                                                                               default=None)
FORMAT = 1
JOURNALED_TABLES = ("staff", "term", "school_class", "student", "guardian", "case_file",
                    "assignment", "goal", "contact", "stage_review", "peer_pair",
                    "score", "checkin", "staff_key", "school_key", "holiday",
                    "family_event", "event_attendance", "feedback", "survey",
                    "survey_answer", "recognition", "organisation", "referral",
                    "outside_helper", "transformation", "supervision_note", "correction")
# the school's settings (its rules, db/rules.py): rows by key, the newest value wins
SETTINGS_TABLE = "bangfu_meta"
LEGACY_SCHEMA = 8  # the schema of lines written before they recorded it


def journal_dir(db_path: str | os.PathLike) -> Path:
    return Path(str(db_path) + ".journal")


def journal_file(db_path: str | os.PathLike, host: str) -> Path:
    from db.store.host import safe_host

    return journal_dir(db_path) / f"{safe_host(host)}.jsonl"


def bound_path() -> Path | None:
    """The file the models are bound to (set by ``db.store.connection.open_database``)."""
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
    pending = PendingLines()
    token = _pending.set(pending)
    try:
        with database.atomic():
            yield
            if pending.sealed:
                from db import audit

                audit.settle_seals(pending.sealed)
            _settle(pending)
    finally:
        _pending.reset(token)
    if pending:
        path = bound_path()
        if path is not None:
            append(path, pending)


def sealed(table: str, row_id: str, seal: str, actor) -> None:
    """An audit entry sealed ``table``/``row_id`` as ``seal`` inside this
    transaction: checked again just before the commit (``audit.settle_seals``)."""
    pending = _pending.get()
    if pending is not None:
        pending.sealed[(table, row_id)] = (seal, actor)


def note(audit_row: dict) -> None:
    """Remember the row an audit entry describes, as it is now (inside the write)."""
    pending = _pending.get()
    if pending is None or bound_path() is None:  # no file: a server keeps its own journal
        return
    table, row_id = audit_row["table_name"], audit_row["row_id"]
    row = None
    if audit_row["action"] != "delete" and table in JOURNALED_TABLES:
        row = _row_now(table, row_id)
    elif table == SETTINGS_TABLE:  # a setting as it is now; None: back to the default
        found = database.execute_sql(f'SELECT key, value FROM "{table}" WHERE key = ?',
                                     (row_id,)).fetchone()
        row = {"key": found[0], "value": found[1]} if found is not None else None
    pending.append({
        "v": FORMAT, "schema": _schema_version(),
        "uuid": (row or {}).get("uuid") or str(uuidlib.uuid4()),
        "at": audit_row["at"], "host": audit_row["host"],
        "author": audit_row["staff"], "author_name": audit_row["staff_name"],
        "table": table, "id": row_id, "action": audit_row["action"],
        # the entry with its place in the chain (id, row_hash; the previous
        # row's hash is left out) and its seal, if any
        "row": row, "audit": {k: v for k, v in audit_row.items()
                              if k != "prev_hash" and not (k == "seal" and not v)},
    })


def _row_now(table: str, row_id) -> dict | None:
    cursor = database.execute_sql(f'SELECT * FROM "{table}" WHERE id = ?', (row_id,))
    found = cursor.fetchone()
    return None if found is None else {d[0]: v for d, v in zip(cursor.description, found)}


def _settle(pending: PendingLines) -> None:
    """Just before the commit: every journaled row as the transaction leaves it
    (a row written again after its audit entry in the same transaction is
    journaled as committed, not as it was half-way).  A row gone by then keeps
    what it was when noted (its delete line follows it)."""
    def settle(line: dict) -> None:
        if line["row"] is not None and line["table"] in JOURNALED_TABLES:
            now = _row_now(line["table"], line["id"])
            if now is not None:
                line["row"] = now

    pending.rewrite(settle)


def _schema_version() -> int:
    """The file's schema version (applied migrations), read once per open file:
    journal lines record it, so ``bangfu check`` and a replay leave alone lines
    older than a migration that may have rewritten rows (``schema_barrier``)."""
    db = database.obj  # a new one for every open, after its migrations
    version = getattr(db, "bangfu_journal_schema", None)
    if version is None:
        (version,) = database.execute_sql('SELECT count(*) FROM "schema_migration"').fetchone()
        try:
            db.bangfu_journal_schema = version
        except AttributeError:
            pass
    return version



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
                line = parse_line(raw)
                if line is None:
                    result.bad += 1
                    continue
                line["_order"] = (str(line.get("at", "")), path.name, number)
                result.lines.append(line)
    result.lines.sort(key=lambda line: line["_order"])
    return result


def parse_line(raw: bytes) -> dict | None:
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
    try:
        before = database.execute_sql(f'SELECT {", ".join(quoted)} FROM "{table}" WHERE id = ?',
                                      (row_id,)).fetchone()
    except Exception as exc:  # text that is not UTF-8 (a byte changed on the share)
        if "decode" not in str(exc).lower():
            raise
        before = None  # it differs, whatever it holds
    if before is not None and tuple(before) == tuple(values[k] for k in names):
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


def _apply(line: dict, columns: dict[str, set[str]], barrier: int = 0) -> bool:
    """Write one journaled row if the file lacks it (or has an older version).

    A row the file has at the same version but with other values (damaged: a
    byte flipped on the share, perhaps carried into a backup) gets the
    journaled values back, when the line is not older than a migration that
    may have rewritten rows (``barrier``, see ``schema_barrier``); a higher
    version in the file is never overwritten."""
    table, row = line["table"], line.get("row")
    current_schema = isinstance(line.get("schema", LEGACY_SCHEMA), int) and \
        line.get("schema", LEGACY_SCHEMA) >= barrier
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
            if line.get("action") != "update" and not current_schema:
                return False
            if "version" in known and isinstance(values.get("version"), int):
                (have,) = database.execute_sql(f'SELECT version FROM "{table}" WHERE id = ?',
                                               (found[0],)).fetchone()
                if (have or 0) > values["version"]:
                    return False  # changed since by a write this journal lacks
            return _update_row(table, found[0], values)
        taken = database.execute_sql(f'SELECT 1 FROM "{table}" WHERE id = ?',
                                     (values["id"],)).fetchone()
        if taken is not None:  # another host's entry took that id: a new one
            values.pop("id")
    else:
        current = database.execute_sql(
            f'SELECT {"version" if "version" in known else "1"} FROM "{table}" WHERE id = ?',
            (values["id"],)).fetchone()
        if current is not None:
            if "version" in known and (current[0] or 0) > (values.get("version") or 0):
                return False
            if "version" in known and (current[0] or 0) == (values.get("version") or 0) \
                    and not current_schema:
                return False
            return _update_row(table, values["id"], values)
    names = ", ".join(f'"{k}"' for k in values)
    marks = ", ".join("?" for _ in values)
    database.execute_sql(f'INSERT INTO "{table}" ({names}) VALUES ({marks})',
                         tuple(values.values()))
    return True


def _apply_audit(line: dict) -> tuple[int, bool]:
    """Append the line's audit entry to the chain (``replay`` decides
    beforehand which ones the file lacks: ``audit_match``): its new id, and
    whether it kept its original link (the same id after the same rows, so
    the same hash as when it was first written)."""
    from db import audit as audit_log

    entry = line["audit"]
    row = audit_log.append(dict(
        at=entry["at"], staff=entry["staff"], staff_name=entry["staff_name"],
        host=entry["host"], table_name=entry["table_name"], row_id=str(entry["row_id"]),
        action=entry["action"], changes=entry["changes"], seal=entry.get("seal") or ""))
    return row["id"], bool(entry.get("row_hash")) and row["row_hash"] == entry["row_hash"]


def replay(read: JournalRead, progress=None, restored: dict | None = None) -> ReplayReport:
    """Apply every journaled row the bound file lacks, in one transaction.

    Audit entries are appended only where the file lacks them, so replaying
    twice (or onto a file that has them) never doubles one.  The audit log has
    no unique key of its own (no UUID; ids differ between a backup and the
    file), so an entry is identified by (at, host, table_name, row_id, action)
    and counted: the file needs as many rows of that identity as the journals
    hold.  Staff and changes are not part of the identity: a row whose changes
    were damaged is still that entry (the log cannot be corrected, only
    appended to, and ``bangfu check`` reports it), never a reason to add a
    second copy.

    Appended entries join the audit log's chain after its last row.  Where
    one cannot keep its original link (the backup lacks a row before it that
    no journal holds, several computers' entries interleave otherwise, a line
    from before the chain), the chain is sealed anew from there: one more
    audit row (``audit.SEAL_ACTION``, reason "recover") names the first and
    last re-linked rows and, given ``restored`` (the backup a recover
    restored, ``restored_rows`` its last audit row), the backup, so that
    ``bangfu check`` knows where the file rightly parts from older copies.
    """
    from db.store.journal_check import audit_match, schema_barrier  # (which builds on this module)

    report = ReplayReport(bad=read.bad)
    relinked: list[int] = []
    last_id = 0
    columns: dict[str, set[str]] = {}
    stale_keys = False

    def key(line: dict):
        row = line.get("row") or {}
        if row.get("uuid"):  # a contact or a stage review
            return (line["table"], row["uuid"])
        return (line["table"], str(line.get("id")))

    # each line carries the whole row as it was then: only a row's newest line
    # needs writing (every line's audit entry is restored all the same)
    newest = {key(line): n for n, line in enumerate(read.lines)}
    with database.atomic():
        lacking = set(audit_match(read, database.execute_sql)[0])
        barrier = schema_barrier([name for (name,) in database.execute_sql(
            'SELECT name FROM "schema_migration"')])
        for number, line in enumerate(read.lines, 1):
            try:
                with database.atomic():  # a savepoint: one bad line never spoils the rest
                    applied = newest[key(line)] == number - 1 and _apply(line, columns, barrier)
                    if number - 1 in lacking:
                        last_id, kept = _apply_audit(line)
                        if not kept and not relinked:
                            relinked.append(last_id)
            except Exception:  # noqa: BLE001 - counted and reported, never guessed
                report.failed += 1
                continue
            if applied:
                report.applied += 1
                report.by_table[line["table"]] = report.by_table.get(line["table"], 0) + 1
                if line["table"] in ("student", "staff") and \
                        not (isinstance(line.get("schema"), int) and line["schema"] >= barrier):
                    stale_keys = True
            else:
                report.present += 1
            if progress and number % 200 == 0:
                progress(number, len(read.lines))
        if stale_keys:  # names put back as an older bangfu stored their search keys
            from db.pinyin import refresh_name_keys

            for table in ("student", "staff"):
                refresh_name_keys(database, table)
        if relinked or restored:
            from db import audit

            relink: dict[str, Any] = {"relinked": [relinked[0], last_id]} if relinked else {}
            audit.seal_row("recover", **relink, **(restored or {}))
    return report
