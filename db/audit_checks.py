"""The audit log's tamper checks (``bangfu check``, ``bangfu doctor``): walking
the hash chain for a broken link, the triggers that keep the log append-only,
the sealed accounts, settings and keys, and the chain against a backup's.

Each check takes ``query`` (``sql, params -> rows``) so that it runs on the
open database, a backup's file or a server alike, and reports ``Tampering``
findings; nothing here writes.  The chain itself is made in ``db.audit``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from db.audit import (GENESIS, KEYS_TABLE, SEAL_ACTION, SEALED_SETTINGS, SETTINGS_TABLE, KEY_SQL, STAFF_SQL,
                      at_text, dump_json, key_seal, row_hash, setting_seal, staff_seal, text_of)

_COLUMNS = ("id", "at", "staff_id", "staff_name", "host", "table_name", "row_id", "action",
            "changes", "seal", "prev_hash", "row_hash")
PAGE = 5000  # rows read at a time while walking the chain


# -- verifying the chain (``bangfu check``, ``bangfu doctor``) -------------------------------

@dataclass(frozen=True)
class Tampering:
    """One thing changed outside bangfu.

    - ``trigger``: ``how`` missing or changed; ``row``: the trigger's (or the
      server's function's) name.
    - ``chain``: the first broken link.  ``how`` rewritten (row ``row`` no
      longer matches its hash), removed (rows ``first``–``last`` are gone
      before row ``row``; without ``first`` a row before ``row`` was removed
      and the ids after it moved), inserted (row ``row`` was put in by hand),
      columns (the chain's columns were dropped).
    - ``account``: ``how`` changed (``fields``: role, active, pin, name,
      classes), added (never sealed), removed; ``row``: the account's id,
      ``name`` its name.
    - ``setting``: ``how`` changed, added or removed; ``row``: the key.
    - ``key``: ``how`` changed: the staff_key row ``row`` (of ``name``) is not
      as its last audited write left it (a public key put in by hand).
    - ``backup``: ``how`` differs (row ``row`` is not the one backup ``name``
      holds) or removed (rows ``first``–``last`` of backup ``name`` are gone).
    """

    kind: str
    how: str
    row: str = ""
    name: str = ""
    fields: tuple = ()
    first: str = ""
    last: str = ""

    def __str__(self) -> str:
        if self.kind == "trigger":
            return f"tampering: the audit log's guard {self.row} is {self.how}"
        if self.kind == "chain" and self.how == "removed":
            gone = f"rows {self.first}-{self.last}" if self.first else "a row"
            return f"tampering: audit_log {gone} removed before row {self.row}"
        if self.kind == "chain" and self.how == "columns":
            return "tampering: audit_log lost the columns of its chain"
        if self.kind == "chain":
            return f"tampering: audit_log row {self.row} {self.how}"
        if self.kind == "account":
            what = f" ({', '.join(self.fields)})" if self.fields else ""
            return f"tampering: account {self.row} {self.how} outside bangfu{what}"
        if self.kind == "setting":
            return f"tampering: setting {self.row} {self.how} outside bangfu"
        if self.how == "removed":
            return (f"tampering: audit_log rows {self.first}-{self.last} of backup "
                    f"{self.name} are gone")
        return f"tampering: audit_log row {self.row} differs from backup {self.name}"


@dataclass
class ChainReport:
    findings: list = field(default_factory=list)
    rows: int = 0
    head: tuple[int, str] = (0, GENESIS)
    # where the chain rightly starts anew: (first id, the recover's row that
    # says so: its id and content), from a restored backup's end or a
    # recover's first re-linked row on; a backup made before that recover
    # (without that row) may differ from the file from there on
    restarts: list = field(default_factory=list)
    sealed: bool = True  # False: a schema from before the chain (nothing to verify)
    seals: dict = field(default_factory=dict)  # account id -> its last seal
    settings: dict = field(default_factory=dict)  # sealed setting -> its last seal
    keys: dict = field(default_factory=dict)  # staff_key id -> its last seal


def _applied(query) -> set[str]:
    try:
        return {text_of(name) for (name,) in query('SELECT name FROM "schema_migration"', ())}
    except Exception:  # noqa: BLE001 - no history: not a bangfu database
        return set()


_TRIGGER_SQL = ("CREATE TRIGGER \"audit_log_no_{what}\" BEFORE {WHAT} ON \"audit_log\" BEGIN "
                "SELECT RAISE(ABORT, 'the audit log cannot be changed'); END")
_SERVER_FUNCTION = "BEGIN RAISE EXCEPTION 'the audit log cannot be changed'; END"


def _plain_sql(text) -> str:
    return " ".join(text_of(text).split()).lower()


def check_triggers(query, server: bool = False) -> list[Tampering]:
    """The triggers that refuse changing the log (schema version 7): each
    there, enabled and as bangfu made it."""
    found = []
    if not server:
        have = {text_of(name): sql for name, sql in query(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
            "AND tbl_name = 'audit_log'", ())}
        for what in ("update", "delete"):
            name = f"audit_log_no_{what}"
            want = _TRIGGER_SQL.format(what=what, WHAT=what.upper())
            if name not in have:
                found.append(Tampering("trigger", "missing", name))
            elif _plain_sql(have[name]) != _plain_sql(want):
                found.append(Tampering("trigger", "changed", name))
        return found
    have = {text_of(name): (text_of(enabled), text_of(definition)) for name, enabled, definition in query(
        "SELECT t.tgname, t.tgenabled, pg_get_triggerdef(t.oid) FROM pg_trigger t "
        "WHERE t.tgrelid = 'audit_log'::regclass AND NOT t.tgisinternal", ())}
    for what, each in (("update", "ROW"), ("delete", "ROW"), ("truncate", "STATEMENT")):
        name = f"audit_log_no_{what}"
        if name not in have:
            found.append(Tampering("trigger", "missing", name))
            continue
        enabled, definition = have[name]
        plain = _plain_sql(definition)
        if enabled not in ("O", "A") or " when " in plain or not (
                f"before {what} on " in plain and f"for each {each.lower()} " in plain
                and plain.endswith("execute function bangfu_audit_log_fixed()")):
            found.append(Tampering("trigger", "changed", name))
    bodies = [_plain_sql(src) for (src,) in query(
        "SELECT prosrc FROM pg_proc WHERE proname = 'bangfu_audit_log_fixed'", ())]
    if bodies != [_plain_sql(_SERVER_FUNCTION)]:
        found.append(Tampering("trigger", "missing" if not bodies else "changed",
                               "bangfu_audit_log_fixed"))
    return found


def _columns(query, server: bool) -> set[str]:
    if server:
        return {text_of(n) for (n,) in query(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = 'audit_log'", ())}
    return {text_of(row[1]) for row in query('PRAGMA table_info("audit_log")', ())}


def _stored_hash(row) -> str:
    return row_hash(*row[:11])


def _break(row, prev_id: int, prev_hash: str, recent: dict, old: int) -> Tampering | None:
    """How the link from the row before (``prev_id``, ``prev_hash``) to ``row``
    is broken, if it is (``recent``: hash → id of the last rows; ``old``: the
    last row from before the chain, whose ids may have gaps)."""
    id_ = int(row[0])
    stored_prev, stored = text_of(row[10]), text_of(row[11])
    if id_ != prev_id + 1 and id_ > old:
        return Tampering("chain", "removed", str(id_), first=str(prev_id + 1), last=str(id_ - 1))
    if not stored:
        return Tampering("chain", "inserted", str(id_))
    if _stored_hash(row) != stored:
        content = row[1:11]
        if row_hash(id_ - 1, *content) == stored:  # written one place earlier: one put before it
            return Tampering("chain", "inserted", str(id_ - 1))
        if row_hash(id_ + 1, *content) == stored:  # one place later: one before it is gone
            return Tampering("chain", "removed", str(id_))
        return Tampering("chain", "rewritten", str(id_))
    if stored_prev != prev_hash:
        earlier = recent.get(stored_prev)
        if earlier is not None and earlier < prev_id:  # the rows after ``earlier`` came later
            return Tampering("chain", "inserted", str(earlier + 1))
        # the row before was given a new hash of its own: it was changed
        return Tampering("chain", "rewritten", str(prev_id))
    return None


def walk(query, report: ChainReport | None = None) -> ChainReport:
    """Every audit row in id order, a page at a time (never all in memory):
    the first broken link, and each account's and sealed setting's last seal
    (kept in ``report.seals``)."""
    report = report or ChainReport()
    seals, settings = report.seals, report.settings
    prev_id, prev_hash = 0, GENESIS
    recent: dict[str, int] = {}
    broken = False
    old = _chain_began(query)
    select = ", ".join(_COLUMNS)
    while True:
        rows = query(f'SELECT {select} FROM "audit_log" WHERE id > ? ORDER BY id LIMIT {PAGE}',
                     (prev_id,)).fetchall()
        if not rows:
            break
        for row in rows:
            if not broken:
                found = _break(row, prev_id, prev_hash, recent, old)
                if found is not None:
                    report.findings.append(found)
                    broken = True
            prev_id, prev_hash = int(row[0]), text_of(row[11])
            if not broken:
                recent[prev_hash] = prev_id
            report.rows += 1
            table, row_id, action, seal = text_of(row[5]), text_of(row[6]), text_of(row[7]), row[9]
            if seal and table == KEYS_TABLE:
                report.keys[row_id] = text_of(seal)
            elif seal:
                _take_seal(seals, settings, table, row_id, text_of(seal))
            if action == SEAL_ACTION and table == "audit_log":
                _take_restart(report.restarts, row)
        if len(recent) > 2 * PAGE:  # the last rows only: memory stays flat
            recent = dict(list(recent.items())[-PAGE:])
    report.head = (prev_id, prev_hash)
    return report


def _chain_began(query) -> int:
    """The last row from before the chain (its migration's first row says)."""
    rows = list(query('SELECT changes FROM "audit_log" WHERE table_name = \'audit_log\' '
                      f"AND action = '{SEAL_ACTION}' ORDER BY id LIMIT 1", ()))
    try:
        value = json.loads(text_of(rows[0][0])) if rows else {}
    except ValueError:
        return 0
    last = value.get("last") if isinstance(value, dict) and value.get("reason") == "chain" else 0
    return last if isinstance(last, int) else 0


def _take_seal(seals: dict, settings: dict, table: str, row_id: str, seal: str) -> None:
    try:
        value = json.loads(seal)
    except ValueError:
        value = {}
    if not isinstance(value, dict):
        value = {}
    if table == "staff" and row_id:
        seals[row_id] = value
    elif table == "staff":  # a bulk seal: {id: seal}
        seals.update((str(k), v if isinstance(v, dict) else {}) for k, v in value.items())
    elif table == SETTINGS_TABLE:
        settings[row_id] = seal


def _content(row) -> tuple:
    """What a row says, without its place in the chain."""
    return (at_text(row[1]), text_of(row[5]), text_of(row[7]), text_of(row[8]))


def _take_restart(restarts: list, row) -> None:
    try:
        value = json.loads(text_of(row[8]))
    except ValueError:
        return
    if not isinstance(value, dict):
        return
    starts = []
    relinked = value.get("relinked")  # a recover's first and last re-linked rows
    if isinstance(relinked, list) and relinked and isinstance(relinked[0], int):
        starts.append(relinked[0])
    if isinstance(value.get("restored_rows"), int):  # the restored backup's last row
        starts.append(value["restored_rows"] + 1)
    if starts:
        restarts.append((min(starts), int(row[0]), _content(row)))


_FIELD_ORDER = ("role", "active", "pin", "name", "classes")


def check_accounts(query, seals: dict, settings: dict) -> list[Tampering]:
    """Every account against its last seal, and each sealed setting."""
    found = []
    seen = set()
    for row in query(STAFF_SQL + " ORDER BY id", ()):
        key = text_of(row[0])
        seen.add(key)
        want = seals.get(key)
        if want is None:
            found.append(Tampering("account", "added", key, text_of(row[1])))
            continue
        have = staff_seal(row)
        changed = tuple(name for name in _FIELD_ORDER if have.get(name) != want.get(name))
        if changed:
            found.append(Tampering("account", "changed", key, text_of(row[1]), changed))
    for key in sorted(set(seals) - seen, key=lambda k: (len(k), k)):
        found.append(Tampering("account", "removed", key))
    for key in SEALED_SETTINGS:
        rows = list(query(f'SELECT value FROM "{SETTINGS_TABLE}" WHERE key = ?', (key,)))
        value = None if not rows else rows[0][0]
        want = settings.get(key)
        if want is None:
            if value is not None:
                found.append(Tampering("setting", "added", key))
        elif want != dump_json(setting_seal(key, value)):
            found.append(Tampering("setting", "removed" if value is None else "changed", key))
    return found


CHAIN_MIGRATION = "0011_audit_chain"


def verify(query, *, server: bool = False) -> ChainReport:
    """The audit log and the accounts as bangfu left them? ``query(sql, params)
    -> cursor`` reads the database (a file's connection, or the bound
    server's ``execute_sql``).  Looks at: the triggers (schema version 7 on),
    the chain and every account's and sealed setting's seal (from the chain's
    migration on; a file from before has nothing to verify)."""
    report = ChainReport()
    applied = _applied(query)
    if "0007_accounts_access" in applied:
        report.findings += check_triggers(query, server)
    if CHAIN_MIGRATION not in applied:
        report.sealed = False
        return report
    if not {"prev_hash", "row_hash", "seal"} <= _columns(query, server):
        report.findings.append(Tampering("chain", "columns"))
        return report
    walk(query, report)
    report.findings += check_accounts(query, report.seals, report.settings)
    report.findings += check_keys(query, report.keys)
    return report


def check_keys(query, seals: dict) -> list[Tampering]:
    """Every person's public key (``staff_key``) against its last seal: a key
    put in or swapped by hand would be given the school's key by a holder."""
    found: list[Tampering] = []
    try:
        rows = list(query(KEY_SQL + " ORDER BY id", ()))
    except Exception:  # noqa: BLE001 - a schema from before the keys
        return found
    names = {text_of(r[0]): text_of(r[1]) for r in query('SELECT id, name FROM "staff"', ())}
    for row in rows:
        want = seals.get(text_of(row[0]))
        if want is None or want != dump_json(key_seal(row)):
            found.append(Tampering("key", "changed", text_of(row[0]),
                                   names.get(text_of(row[1]), "?")))
    return found


def _hash_at(query, id_: int):
    rows = list(query('SELECT ' + ", ".join(_COLUMNS) + ' FROM "audit_log" WHERE id = ?',
                      (id_,)))
    return rows[0] if rows else None


def compare_backup(query, backup_query, name: str, restarts: list) -> Tampering | None:
    """The file's chain (``query``) against a backup's (``backup_query``): the
    backup's must be a beginning of the file's, up to where a recover made
    after the backup rightly started the chain anew (``restarts``).  A backup
    damaged where they part is no evidence (None); nor is one from before the
    chain.  A few look-ups by id (a binary search for where they part)."""
    try:
        if "row_hash" not in _columns(backup_query, False):
            return None
        rows = list(backup_query('SELECT id, row_hash FROM "audit_log" ORDER BY id DESC LIMIT 1',
                                 ()))
    except Exception:  # noqa: BLE001 - an unreadable backup is no evidence
        return None
    if not rows or not rows[0][1]:
        return None
    head_id, head_hash = int(rows[0][0]), text_of(rows[0][1])

    def hash_in(q, id_):
        found = list(q('SELECT row_hash FROM "audit_log" WHERE id = ?', (id_,)))
        return text_of(found[0][0]) if found else None

    def same(id_) -> bool:  # (an id neither holds: a gap from before the chain)
        return hash_in(query, id_) == hash_in(backup_query, id_)

    if hash_in(query, head_id) == head_hash:
        return None
    lo, hi = 0, head_id  # same(lo) (0: before the first row), not same(hi)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if same(mid):
            lo = mid
        else:
            hi = mid
    for start, row_id, content in restarts:
        if start <= hi:
            said = _hash_at(backup_query, row_id)
            if said is None or _content(said) != content:
                return None  # the backup is older than that recover: rightly different
    theirs = _hash_at(backup_query, hi)
    found = list(backup_query('SELECT row_hash FROM "audit_log" WHERE id < ? '
                              "ORDER BY id DESC LIMIT 1", (hi,)))
    before = text_of(found[0][0]) if found else GENESIS
    if theirs is None or text_of(theirs[10]) != before or _stored_hash(theirs) != text_of(theirs[11]):
        return None  # the backup is damaged there
    mine = _hash_at(query, hi)
    if mine is None:
        last = list(query('SELECT MAX(id) FROM "audit_log"', ()))[0][0] or 0
        if last < hi:
            return Tampering("backup", "removed", str(hi), name, first=str(hi), last=str(head_id))
        return None  # a gap: the walk names it
    if _stored_hash(mine) != text_of(mine[11]) or text_of(mine[10]) != before:
        return None  # a broken link: the walk names it
    return Tampering("backup", "differs", str(hi), name)
