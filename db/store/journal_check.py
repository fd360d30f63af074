"""Comparing the database file with the journals (``bangfu check``): every
journaled row and audit entry the file should hold, as it should hold it.

``scan`` reads every host's journal into what is ``Expected`` (compactly: a
row by digest unless asked for in full), ``compare`` reports each
``Difference``; lines older than a migration that may have rewritten rows are
left alone (``schema_barrier``), and ``audit_match`` pairs journaled audit
entries with the log's.  The journal itself is ``db.store.journal``.
"""

from __future__ import annotations

import dataclasses
import json
import os
from dataclasses import dataclass, field
from typing import Any, cast

from db.store.journal import (JOURNALED_TABLES, LEGACY_SCHEMA, SETTINGS_TABLE, JournalRead, journal_dir,
                        parse_line)


# -- comparing the file with the journals (``bangfu check``) ---------------------
# migrations that leave every existing row's values as they were (add a new
# one here only when it does: a migration not listed makes older lines
# incomparable, which is safe, never a false alarm)
ROW_PRESERVING_MIGRATIONS = frozenset({
    "0001_initial", "0002_follow_up_done", "0003_due_indexes", "0004_meeting_id",
    "0005_reviews_peers", "0006_assessments", "0007_accounts_access", "0008_roster_intake",
    "0009_entry_versions", "0010_lockouts", "0012_sealed_text", "0014_families",
    "0015_oversight", "0016_schools",
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
                        line = parse_line(raw)
                        if line is not None:
                            self.take(line)
            self.offsets[path.name] = offset
        return self.finish()


def scan(db_path: str | os.PathLike, only: set | None = None) -> Expected:
    """Every host's journal, read line by line into an ``Expected`` (rows as
    digests; ``only``: just those keys of ``Difference``, in full)."""
    return Expected(only).read(db_path)


_UUID_TABLES = ("contact", "stage_review", "score", "checkin", "holiday", "family_event",
                "event_attendance", "feedback", "survey", "survey_answer", "recognition",
                "organisation", "referral", "outside_helper", "transformation",
                "supervision_note", "correction")


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
    states: list[Any] = [state if state is _GONE or isinstance(state, _Sum) else dict(zip(*state))
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


def match_audits(wanted: dict[tuple, list[tuple]], query) -> tuple[list[tuple], list[tuple]]:
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
        for (_tag, content), (row_id, stored) in zip(unmatched, rows):
            damaged.append((row_id, identity, content, stored))
        missing += [(tag, identity) for tag, _ in unmatched[len(rows):]]
    return missing, damaged


def audit_match(read: JournalRead, query) -> tuple[list[int], list[tuple]]:
    """The journal lines (their numbers in ``read.lines``) whose audit entry
    the file lacks, and the file's damaged audit rows (see ``match_audits``)."""
    wanted: dict[tuple, list[tuple]] = {}
    for number, line in enumerate(read.lines):
        audit = line.get("audit")
        if isinstance(audit, dict):
            wanted.setdefault(_identity(audit), []).append((number, _content(audit)))
    missing, damaged = match_audits(wanted, query)
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
      ``db.audit_checks.verify``'s and ``storage.audit_check``'s business.)  An audit
      entry is identified by (at, host, table_name, row_id, action) and counted:
      two entries alike in all of that (two saves in one second) need two
      rows.  A row with that identity whose staff or changes differ is
      damaged; an entry without any such row is missing.

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
    missing, damaged = match_audits(audits, query)
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
    return [Difference(table, shown, name) for name in cast(list, best)]  # present: best is set
