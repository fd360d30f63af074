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
import dataclasses
import json
import os
import tempfile
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
                    "score", "checkin", "staff_key", "school_key")
# the school's settings (its rules, db/rules.py): rows by key, the newest value wins
SETTINGS_TABLE = "bangfu_meta"


def journal_dir(db_path: str | os.PathLike) -> Path:
    return Path(str(db_path) + ".journal")


def journal_file(db_path: str | os.PathLike, host: str) -> Path:
    from db.connection import safe_host

    return journal_dir(db_path) / f"{safe_host(host)}.jsonl"


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
    pending = _Pending()
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


def _settle(pending: list[dict]) -> None:
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


SPILL_LINES = 2000  # a transaction's lines held in memory; more wait in a temporary file


class _Pending:
    """One transaction's lines, in order.  Past ``SPILL_LINES`` they wait as
    JSON text in an unnamed temporary file (gone when closed), so a bulk write
    (a roster import of 200,000 students: 400,000 lines) keeps memory flat;
    the text is what ``append`` writes, so the journal is the same."""

    def __init__(self):
        self.lines: list[dict] = []
        self.spill = None
        self.count = 0
        self.sealed: dict[tuple[str, str], tuple] = {}  # see ``sealed``

    def append(self, line: dict) -> None:
        self.lines.append(line)
        self.count += 1
        if len(self.lines) >= SPILL_LINES:
            if self.spill is None:
                self.spill = tempfile.TemporaryFile()
            self.spill.write(_encode(self.lines))
            self.lines = []

    def __len__(self) -> int:
        return self.count

    def __iter__(self):
        if self.spill is not None:
            self.spill.seek(0)
            for raw in self.spill:
                yield json.loads(raw)
        yield from self.lines

    def rewrite(self, change) -> None:
        """``change(line)`` (in place) for every line, the spilled ones too."""
        if self.spill is None:
            for line in self.lines:
                change(line)
            return
        old, lines = self.spill, self.lines
        self.spill, self.lines, self.count = None, [], 0
        old.seek(0)
        for raw in old:
            line = json.loads(raw)
            change(line)
            self.append(line)
        old.close()
        for line in lines:
            change(line)
            self.append(line)


def _encode(lines) -> bytes:
    return "".join(json.dumps(line, ensure_ascii=False, sort_keys=True, default=str) + "\n"
                   for line in lines).encode()


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

    def pieces():  # one for a save; a bulk write's lines SPILL_LINES at a time
        batch = []
        for line in lines:
            batch.append(line)
            if len(batch) >= SPILL_LINES:
                yield _encode(batch)
                batch = []
        if batch:
            yield _encode(batch)

    target = journal_file(db_path, hostname())
    for data in pieces():
        for _ in range(2):
            try:
                os.write(_descriptor(target), data)
                break
            except OSError:
                _forget(target)  # a stale descriptor (share remounted): try a new one
        else:
            return False
    return True


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
    report = ReplayReport(bad=read.bad)
    relinked: list[int] = []
    last_id = 0
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
            else:
                report.present += 1
            if progress and number % 200 == 0:
                progress(number, len(read.lines))
        if relinked or restored:
            from db import audit

            audit.seal_row("recover", **({"relinked": [relinked[0], last_id]} if relinked else {}),
                           **(restored or {}))
    return report


# -- comparing the file with the journals (``bangfu check``) ---------------------
LEGACY_SCHEMA = 8  # the schema of lines written before they recorded it
# migrations that leave every existing row's values as they were (add a new
# one here only when it does: a migration not listed makes older lines
# incomparable, which is safe, never a false alarm)
ROW_PRESERVING_MIGRATIONS = frozenset({
    "0001_initial", "0002_follow_up_done", "0003_due_indexes", "0004_meeting_id",
    "0005_reviews_peers", "0006_assessments", "0007_accounts_access", "0008_roster_intake",
    "0009_entry_versions", "0010_lockouts", "0012_sealed_text",
    # the audit log's chain: new columns, filled for the rows already there
    # (journal lines match an audit row by identity, staff and changes: those
    # stay as they were), and new rows that seal them
    "0011_audit_chain"})
CLOCK_SKEW_SECONDS = 300  # how far two computers' clocks may disagree
_GONE = object()  # the row was deleted (a setting: back to its default)
_AUDIT_COLUMNS = ("staff_id", "staff_name", "changes")


@dataclass(frozen=True)
class Difference:
    """One way the file differs from the journals: ``kind`` is ``differs`` (a
    ``column`` of the row), ``missing`` (no such row) or ``deleted`` (the row
    was deleted, yet it is there).  For the audit log, a missing entry names
    what it was about in ``about`` (table, row id, action, time)."""

    table: str
    row: str
    column: str = ""
    kind: str = "differs"
    about: tuple = ()
    # which row (or audit identity) it is, to look at it again (``compare(only=)``)
    key: tuple = field(default=(), compare=False, repr=False)

    def __str__(self) -> str:
        if self.kind == "missing" and self.about:
            table, row_id, action, at = self.about
            return (f"content: {self.table}: the journaled entry for {table} row {row_id} "
                    f"({action}, {at}) is missing")
        if self.kind == "missing":
            return f"content: {self.table} row {self.row} is missing (it is in the journal)"
        if self.kind == "deleted":
            return f"content: {self.table} row {self.row} is there though the journal deleted it"
        return f"content: {self.table} row {self.row}: {self.column} differs from the journal"


def _plain(value):
    return str(value) if isinstance(value, (bytes, bytearray, memoryview)) else value


def _same(have, want) -> bool:
    return have == want or _plain(have) == want


class _Sum:
    """A journaled row kept small: its columns, version, id and a digest of its
    values (``_row_digest``); the values themselves are read again only for a
    row that does not match (``scan(only=...)``)."""

    __slots__ = ("names", "version", "row_id", "digest")

    def __init__(self, names: tuple, version, row_id: str, digest: int):
        self.names, self.version, self.row_id, self.digest = names, version, row_id, digest

    def get(self, name: str, default=None):
        return {"version": self.version, "id": self.row_id}.get(name, default) \
            if name in self.names else default

    def __contains__(self, name: str) -> bool:
        return name in self.names


def _row_digest(values) -> int:
    """A digest of a row's values, equal where the values compare equal (only
    ever compared within one run: Python's hash of the tuple, 64 bits)."""
    values = tuple(values)
    try:
        return hash(values)
    except TypeError:  # not a plain value (never from SQLite): by its text
        return hash(json.dumps(values, ensure_ascii=False, default=str))


class Expected:
    """What the journals say the file holds, gathered line by line without
    keeping the lines: per row, per computer, its newest time and the states
    it journaled then (``add``), and every audit entry as identity → content
    (its changes as a digest).  Rows are kept as digests (``_Sum``), or, for
    the keys in ``only``, in full (to name the columns that differ)."""

    def __init__(self, only: set | None = None) -> None:
        self.only = only
        # (table, "id" | "uuid", key) -> host -> [newest at, [(schema, state)]]
        self.rows: dict[tuple, dict[str, list]] = {}
        self.audits: dict[tuple, list[tuple]] = {}  # identity -> [(tag, content)]
        self._uuids: dict[tuple[str, str], list[tuple[str, str]]] = {}  # (table, id) -> (at, uuid)
        self._deletes: list[tuple] = []
        self._names: dict[tuple, tuple] = {}
        self.offsets: dict[str, int] = {}  # journal file -> bytes taken

    def __bool__(self) -> bool:
        return bool(self.rows or self.audits)

    def add(self, key: tuple, at: str, host: str, schema, state) -> None:
        if self.only is not None and key not in self.only:
            return
        by_host = self.rows.setdefault(key, {})
        mine = by_host.get(host)
        if mine is None or at > mine[0]:
            by_host[host] = [at, [(schema, state)]]
        elif at == mine[0]:
            mine[1].append((schema, state))

    def _compact(self, row: dict, by_uuid: bool = False):
        """A row as (column names, values), or as a ``_Sum`` (the names shared
        by every row alike; a row found by UUID without its id)."""
        if self.only is not None:
            names = tuple(row)
            return self._names.setdefault(names, names), tuple(row.values())
        names = tuple(k for k in row if not (by_uuid and k == "id"))
        version = row.get("version")
        return _Sum(self._names.setdefault(names, names),
                    version if isinstance(version, int) else None, str(row.get("id", "")),
                    _row_digest(row[k] for k in names))

    def take(self, line: dict, tag=None) -> None:
        table, row, action = line.get("table"), line.get("row"), line.get("action")
        at, host = str(line.get("at", "")), str(line.get("host", ""))
        schema = line.get("schema", LEGACY_SCHEMA)
        audit = line.get("audit")
        if isinstance(audit, dict):
            identity = _identity(audit)
            if self.only is None or ("audit", identity) in self.only:
                self.audits.setdefault(identity, []).append((tag, _content(audit)))
        if table == SETTINGS_TABLE:
            state = _GONE if not isinstance(row, dict) else self._compact(
                {"value": row.get("value")})
            self.add((table, "id", str(line.get("id"))), at, host, schema, state)
        elif table not in JOURNALED_TABLES:
            return
        elif action == "delete":
            if table in _UUID_TABLES:  # which entry it was: found once every line is read
                self._deletes.append((table, str(line.get("id")), at, host, schema))
            else:
                self.add((table, "id", str(line.get("id"))), at, host, schema, _GONE)
        elif not isinstance(row, dict) or "id" not in row:
            return  # a bulk entry, or the row was gone before the commit
        elif row.get("uuid"):
            self._uuids.setdefault((table, str(row["id"])), []).append((at, str(row["uuid"])))
            key = (table, "uuid", str(row["uuid"]))
            if self.only is None or key in self.only:
                self.add(key, at, host, schema, self._compact(row, by_uuid=True))
        else:
            key = (table, "id", str(row["id"]))
            if self.only is None or key in self.only:
                self.add(key, at, host, schema, self._compact(row))

    def finish(self) -> "Expected":
        """A deleted entry, score or check-in is the one its id last named."""
        for table, row_id, at, host, schema in self._deletes:
            known = [seen for seen in self._uuids.get((table, row_id), ()) if seen[0] <= at]
            if known:  # else: which one it was is not known here
                self.add((table, "uuid", max(known)[1]), at, host, schema, _GONE)
        self._deletes = []
        return self

    def read(self, db_path: str | os.PathLike) -> "Expected":
        """Take every whole line the journals gained since the last ``read``
        (a line still being written, without its newline, waits for the next)."""
        folder = journal_dir(db_path)
        for path in sorted(folder.glob("*.jsonl")) if folder.is_dir() else ():
            offset = self.offsets.get(path.name, 0)
            with path.open("rb") as fh:
                if fh.seek(0, os.SEEK_END) < offset:
                    offset = 0  # not the file read before: read it afresh
                fh.seek(offset)
                for raw in fh:
                    if not raw.endswith(b"\n"):
                        break
                    offset += len(raw)
                    if raw.strip():
                        line = _parse(raw)
                        if line is not None:
                            self.take(line)
            self.offsets[path.name] = offset
        return self.finish()


def scan(db_path: str | os.PathLike, only: set | None = None) -> Expected:
    """Every host's journal, read line by line into an ``Expected`` (rows as
    digests; ``only``: just those keys of ``Difference``, in full)."""
    return Expected(only).read(db_path)


_UUID_TABLES = ("contact", "stage_review", "score", "checkin")


def _at(text: str):
    import datetime as dt

    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        return None


def schema_barrier(applied: list[str]) -> int:
    """The schema version from which journal lines describe rows as the file
    holds them: the position of the last applied migration that may have
    rewritten rows (0: none)."""
    barrier = 0
    for number, name in enumerate(sorted(applied), 1):
        if name not in ROW_PRESERVING_MIGRATIONS:
            barrier = number
    return barrier


def _accepted(by_host: dict[str, list], barrier: int) -> list | None:
    """The states (dicts, or ``_GONE``) the row may rightly have now (see
    above); None: not comparable."""
    import datetime as dt

    last_at = max(at for at, _ in by_host.values())
    if len(by_host) > 1:
        last = _at(last_at)
        limit = last - dt.timedelta(seconds=CLOCK_SKEW_SECONDS) if last else None
        picked = [states for at, states in by_host.values()
                  if at == last_at or limit is None or (_at(at) or last) >= limit]
    else:
        picked = [states for _, states in by_host.values()]
    candidates = [entry for states in picked for entry in states]
    if any(not isinstance(line_schema, int) or line_schema < barrier
           for line_schema, _ in candidates):
        return None  # written before a migration that may have changed the row
    states = [state if state is _GONE or isinstance(state, _Sum) else dict(zip(*state))
              for _, state in candidates]
    versions = [s.get("version") for s in states if s is not _GONE
                and isinstance(s.get("version"), int)]
    if versions:
        top = max(versions)
        states = [s for s in states if s is _GONE or "version" not in s
                  or s.get("version") == top]
    return states


def _fetch(query, table: str, column: str, keys: list[str]) -> dict[str, dict]:
    """The file's rows whose ``column`` (id or uuid) is one of ``keys`` (at most 500)."""
    cursor = query(f'SELECT * FROM "{table}" WHERE "{column}" IN '
                   f'({", ".join("?" for _ in keys)})', keys)
    names = [d[0] for d in cursor.description]
    rows: dict[str, dict] = {}
    for values in cursor.fetchall():
        row = dict(zip(names, values))
        rows[str(row[column])] = row
    return rows


def _digest(text) -> bytes:
    import hashlib

    return hashlib.blake2b(str(text or "").encode("utf-8", "surrogatepass"),
                           digest_size=16).digest()


def _identity(audit: dict) -> tuple:
    return (str(audit.get("at", "")), audit.get("host") or "", audit.get("table_name"),
            str(audit.get("row_id", "")), audit.get("action"))


def _content(audit: dict) -> tuple:
    return (audit.get("staff"), audit.get("staff_name") or "", _digest(audit.get("changes")))


def _match(wanted: dict[tuple, list[tuple]], query) -> tuple[list[tuple], list[tuple]]:
    """Journaled audit entries (identity → [(tag, content)]) against the file's
    audit rows: ``(missing [(tag, identity)], damaged [(row id, identity,
    content, stored)])``
    where a damaged row has a journaled identity but staff or changes that
    match no entry."""
    if not wanted:
        return [], []
    have: dict[tuple, list[tuple]] = {}
    cursor = query("SELECT id, at, host, table_name, row_id, action, staff_id, staff_name, "
                   "changes FROM audit_log WHERE at >= ?", (min(i[0] for i in wanted),))
    for id_, at, host, table, row_id, action, staff, name, changes in cursor.fetchall():
        identity = (str(at), host or "", table, str(row_id), action)
        if identity in wanted:
            have.setdefault(identity, []).append((id_, (staff, name or "", _digest(changes))))
    missing, damaged = [], []
    for identity, entries in wanted.items():
        rows = have.get(identity, [])
        unmatched = []
        for tag, content in entries:
            for n, (_, stored) in enumerate(rows):
                if stored == content:
                    del rows[n]
                    break
            else:
                unmatched.append((tag, content))
        # a row of this identity that matches no entry is one of them, damaged
        for (tag, content), (row_id, stored) in zip(unmatched, rows):
            damaged.append((row_id, identity, content, stored))
        missing += [(tag, identity) for tag, _ in unmatched[len(rows):]]
    return missing, damaged


def audit_match(read: JournalRead, query) -> tuple[list[int], list[tuple]]:
    """The journal lines (their numbers in ``read.lines``) whose audit entry
    the file lacks, and the file's damaged audit rows (see ``_match``)."""
    wanted: dict[tuple, list[tuple]] = {}
    for number, line in enumerate(read.lines):
        audit = line.get("audit")
        if isinstance(audit, dict):
            wanted.setdefault(_identity(audit), []).append((number, _content(audit)))
    missing, damaged = _match(wanted, query)
    return [number for number, _ in missing], damaged


def compare(query, expected: Expected, barrier: int = 0, only=None) -> list[Difference]:
    """Every way the file (read through ``query(sql, params) -> cursor``)
    differs from the journals (``scan``); rows whose newest lines are older
    than ``barrier`` (``schema_barrier``) are not compared; ``only``: the
    ``key`` of each difference found before, to look at those alone again.

    What the journal records, and so what can be compared:

    - One line per audit entry written inside ``transaction()``: every write of
      bangfu's own (the app, the CLI, the outbox, imports) goes through
      ``audit.record`` there.  The line holds the row of a JOURNALED_TABLES table
      as that transaction committed it (``_settle``), the value of a school
      setting in ``bangfu_meta`` (by key), or nothing for a delete (the row is
      gone) and for a bulk entry (no single row).  It holds the audit entry too.
    - Not journaled, so never compared: rows a write makes without an audit entry
      (``case_event``, the file's own settings such as its locking mode and the
      schema history), the demo's and other bulk inserts, anything written before
      journaling existed or by hand, migrations, and columns a migration added
      after a line was written (a line is compared on its own columns only).
    - A migration may rewrite rows: each line records the schema version it was
      written under (the number of migrations applied; lines from before that
      field count as version 8).  ROW_PRESERVING_MIGRATIONS lists the migrations
      known to only add tables, columns, indexes or triggers; any other migration
      the file has applied (a future one that rewrites rows) is a barrier: a row
      is compared only when its newest lines were written at or after it.
    - A row's expected state is its newest line.  Each computer's clock orders
      its own lines; the newest lines of several computers for one row within
      CLOCK_SKEW_SECONDS of the newest of all are each accepted (their clocks
      may disagree), and where the row has a version column only the highest
      version counts.  A row whose version in the file is higher than any
      journaled one was changed outside the journal: not compared.
    - Entries, stage reviews, scores and check-ins are found by their UUID (a
      replay may give one another id); every other row by its id.  A deleted row
      must be absent (for UUID rows only when the journal knows which one it was).
    - The audit log is append-only (triggers refuse UPDATE and DELETE) and no
      migration changes what its rows say (0011_audit_chain only filled in its
      new chain columns): every journaled audit entry must be in it as
      written.  (Its hash chain, the seals and the backups are
      ``db.audit.verify``'s and ``storage.audit_check``'s business.)  An audit entry is identified by (at, host, table_name, row_id,
      action) and counted: two entries alike in all of that (two saves in one
      second) need two rows.  A row with that identity whose staff or changes
      differ is damaged; an entry without any such row is missing.

    Differences name the table, the row id and the column, never a value.
    """
    found: list[Difference] = []
    by_table: dict[tuple[str, str], list[str]] = {}
    for table, column, key in expected.rows if only is None else \
            [k for k in only if k in expected.rows]:
        by_table.setdefault((table, column), []).append(key)
    for (table, column), keys in sorted(by_table.items()):
        for start in range(0, len(keys), 500):  # a chunk of rows at a time
            chunk = keys[start:start + 500]
            if table == SETTINGS_TABLE:
                have = {str(k): {"value": v} for k, v in query(
                    f'SELECT key, value FROM "{SETTINGS_TABLE}" WHERE key IN '
                    f'({", ".join("?" for _ in chunk)})', chunk).fetchall()}
            else:
                try:
                    have = _fetch(query, table, column, chunk)
                except Exception as exc:  # noqa: BLE001 - a table this schema lacks
                    if "no such" in str(exc).lower():
                        break
                    raise
            for key in chunk:
                states = _accepted(expected.rows[(table, column, key)], barrier)
                if states:
                    found += [dataclasses.replace(d, key=(table, column, key)) for d in
                              _row_differences(table, column, key, have.get(key), states)]
    audits = expected.audits if only is None else {
        k[1]: expected.audits[k[1]] for k in only if k[0] == "audit" and k[1] in expected.audits}
    missing, damaged = _match(audits, query)
    for row_id, identity, content, stored in damaged:
        found += [Difference("audit_log", str(row_id), name, key=("audit", identity))
                  for name, want, got in zip(_AUDIT_COLUMNS, content, stored) if want != got]
    for _, identity in missing:
        at, _host, table, row_id, action = identity
        found.append(Difference("audit_log", "", kind="missing",
                                about=(table, row_id, action, at), key=("audit", identity)))
    return found


def _row_differences(table: str, column: str, key: str, row: dict | None,
                     states: list) -> list[Difference]:
    if row is None:
        if any(s is _GONE for s in states):
            return []
        state = next(s for s in states if s is not _GONE)
        shown = key if column == "id" else (
            state.row_id if isinstance(state, _Sum) else str(state.get("id", "")))
        return [Difference(table, shown, kind="missing")]
    shown = key if table == SETTINGS_TABLE else str(row.get("id"))
    present = [s for s in states if s is not _GONE]
    if not present:
        return [Difference(table, shown, kind="deleted")]
    if "version" in row and isinstance(row["version"], int):
        top = max((s.get("version") for s in present if isinstance(s.get("version"), int)),
                  default=None)
        if top is not None and row["version"] > top:
            return []  # changed since by a write the journal does not hold
    uuid_keyed = column == "uuid"
    for state in present:  # the usual case first: one state matches exactly
        if isinstance(state, _Sum):
            if all(name in row for name in state.names) and \
                    _row_digest(row[name] for name in state.names) == state.digest:
                return []
        elif all(name not in row or row[name] == want or (name == "id" and uuid_keyed)
                 for name, want in state.items()):
            return []
    present = [s for s in present if not isinstance(s, _Sum)]
    if not present:  # digests only: ``scan(only=...)`` reads the values to name the column
        return [Difference(table, shown)]
    best = None
    for state in present:
        columns = [name for name, want in state.items()
                   if name in row and not (name == "id" and column == "uuid")
                   and not _same(row[name], want)]
        if not columns:
            return []
        if best is None or len(columns) < len(best):
            best = columns
    return [Difference(table, shown, name) for name in best]
