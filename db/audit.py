"""The audit log: one row for every write (who, when, host, table, row, what changed)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field

from db import clock
from db.connection import hostname
from db.dialect import json_number, row_id_number
from db.models import Staff, database


def _plain(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def record(actor: Staff | None, table: str, row_id, action: str, changes: dict) -> None:
    """Write one audit row inside the caller's transaction (and journal the row).

    Call it after the write it describes: a staff row (and a sealed setting,
    ``SEALED_SETTINGS``) is sealed as it is now (``seal_of``), so that
    ``bangfu check`` sees a role, an activation or a PIN hash changed by hand.
    A sealed row written again later in the same transaction is sealed again
    before the commit (``settle_seals``)."""
    from db import journal

    row = dict(
        at=str(clock.now()),  # as peewee stores a datetime, so a replay can match it
        staff=actor.id if actor else None,
        staff_name=actor.name if actor else "",
        host=hostname(),
        table_name=table,
        row_id=str(row_id),
        action=action,
        changes=json.dumps({k: _plain(v) if not isinstance(v, (list, tuple)) else
                            [_plain(x) for x in v] for k, v in changes.items()},
                           ensure_ascii=False, sort_keys=True),
        seal=seal_of(table, row_id),
    )
    append(row)
    if row["seal"]:
        journal.sealed(table, str(row_id), row["seal"], actor)
    journal.note(row)


def diff(before: dict, after: dict) -> dict:
    """``{field: [old, new]}`` for the fields whose value changed."""
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


def merge(names, base: dict, mine: dict, theirs: dict) -> tuple[dict, list[str]]:
    """Three-way merge of the fields ``names`` (a case file's edit, an entry's
    amendment, after someone else saved first).

    ``base``: the values the form was opened from; ``mine``: what it holds;
    ``theirs``: the values saved since.  A field only I changed keeps mine, one
    only they changed takes theirs; one both changed differently keeps mine and
    is listed as a conflict for the person to review before saving again.
    """
    merged, conflicts = {}, []
    for name in names:
        b, m, t = base.get(name), mine.get(name), theirs.get(name)
        if m == b:
            merged[name] = t
        else:
            merged[name] = m
            if t not in (b, m):
                conflicts.append(name)
    return merged, conflicts


# -- the chain: every row linked to the one before it by a hash ---------------------------
#
# Each row carries ``prev_hash`` (the row before it's ``row_hash``; "" for the
# first) and ``row_hash``: sha256 over a canonical encoding of its id, time,
# author, host, table, row, action, changes, seal and ``prev_hash``
# (``row_hash``).  Rows are appended with the next id (never the server's
# sequence, whose rolled-back numbers would leave gaps), inside the write
# transaction that already serialises writers (BEGIN IMMEDIATE on a file, the
# advisory write lock on a server), so reading the last row there is safe.
#
# A staff row's audited write also seals the row (``seal``: a short digest of
# each of its name, role, active, classes and PIN hash, with its id), as does a
# write of a setting in SEALED_SETTINGS; ``verify`` compares every account
# and those settings with their last seal.  Without a secret a person who can
# write the file can still rebuild the whole chain from a row on: the journals
# (every journaled entry must be there as written) and the backups (each
# backup's chain must be a beginning of the file's: ``compare_backup``) show
# that, as long as they were not rewritten too.

CHAIN_FORMAT = 1
GENESIS = ""  # the prev_hash of the first row
# bangfu_meta keys whose value is sealed like an account: the demo/test marker
# (test clocks count where it is: db.clock) and the key restricted text is sealed for
SEALED_SETTINGS = ("made_by", "school_public_key")
SETTINGS_TABLE = "bangfu_meta"
STAFF_SEALED = (("name", "name"), ("role", "role"), ("active", "active"),
                ("classes", "classes"), ("pin", "pin_hash"))  # (seal field, column)
SEAL_ACTION = "seal"  # a row that only seals (a migration, the demo, a recover)
_COLUMNS = ("id", "at", "staff_id", "staff_name", "host", "table_name", "row_id", "action",
            "changes", "seal", "prev_hash", "row_hash")
PAGE = 5000  # rows read at a time while walking the chain


def _text(value) -> str:
    if value.__class__ is str:  # nearly always: the chain's walk calls this often
        return value
    if value is None:
        return ""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).decode("utf-8", "surrogateescape")
    return str(value)


_CANONICAL_AT = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d{6})?").fullmatch


def _at_text(value) -> str:
    """A time as ``str(datetime)`` whether stored as text (a file) or as a
    timestamp (a server), so a copied chain verifies on both."""
    if isinstance(value, dt.datetime):
        return str(value)
    text = _text(value)
    if _CANONICAL_AT(text) and not text.endswith(".000000"):
        return text  # already as str(datetime) writes it (or no date: as it is)
    try:
        return str(dt.datetime.fromisoformat(text))
    except ValueError:
        return text


def row_hash(id_, at, staff, staff_name, host, table_name, row_id, action, changes, seal,
             prev_hash) -> str:
    """The hash of one audit row (chain format 1; the migration that sealed the
    rows written before the chain has its own frozen copy)."""
    payload = [CHAIN_FORMAT, int(id_), _at_text(at), None if staff is None else _text(staff),
               _text(staff_name), _text(host), _text(table_name), _text(row_id), _text(action),
               _text(changes), _text(seal), _text(prev_hash)]
    return hashlib.sha256(_encode(payload).encode("utf-8", "surrogatepass")).hexdigest()


# json.dumps(value, ensure_ascii=False, separators=(",", ":")), without a new encoder each time
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _dump(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _digest(table: str, row_id, name: str, value) -> str:
    data = json.dumps([table, _text(row_id), name, value], ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _flag(value):
    if value in (0, 1):  # a file's 0/1 and a server's false/true alike
        return int(value)
    return _text(value)


def staff_seal(row) -> dict:
    """``row``: (id, name, role, active, classes, pin_hash) → {field: digest}."""
    id_, *values = row
    return {name: _digest("staff", id_, name, _flag(v) if name == "active" else _text(v))
            for (name, _), v in zip(STAFF_SEALED, values)}


def setting_seal(key: str, value) -> dict:
    return {"value": _digest(SETTINGS_TABLE, key, "value",
                             None if value is None else _text(value))}


_STAFF_SQL = 'SELECT id, name, role, active, classes, pin_hash FROM "staff"'


def seal_of(table: str, row_id) -> str:
    """The seal for an audit row about ``table``/``row_id``: the row as it is
    now, for an account or a sealed setting; else ""."""
    if table == "staff":
        try:
            key = int(row_id)
        except (TypeError, ValueError):
            return ""
        found = database.execute_sql(_STAFF_SQL + " WHERE id = ?", (key,)).fetchone()
        return _dump(staff_seal(found)) if found is not None else ""
    if table == SETTINGS_TABLE and str(row_id) in SEALED_SETTINGS:
        found = database.execute_sql(f'SELECT value FROM "{SETTINGS_TABLE}" WHERE key = ?',
                                     (str(row_id),)).fetchone()
        return _dump(setting_seal(str(row_id), None if found is None else found[0]))
    if table == KEYS_TABLE:
        try:
            key = int(row_id)
        except (TypeError, ValueError):
            return ""
        found = database.execute_sql(_KEY_SQL + " WHERE id = ?", (key,)).fetchone()
        return _dump(key_seal(found)) if found is not None else ""
    return ""


KEYS_TABLE = "staff_key"  # a person's public key (db.keys): sealed, so a key put in
_KEY_SQL = 'SELECT id, staff_id, public_key FROM "staff_key"'  # by hand is never given the school's


def key_seal(row) -> dict:
    """``row``: (id, staff_id, public_key) → {field: digest}."""
    id_, staff_id, public = row
    return {"staff": _digest(KEYS_TABLE, id_, "staff", _text(staff_id)),
            "public": _digest(KEYS_TABLE, id_, "public", _text(public))}


def key_is_sealed(key_id: int) -> bool:
    """Whether the key row ``key_id`` is as its last audited write left it."""
    found = database.execute_sql(
        'SELECT seal FROM "audit_log" WHERE table_name = ? AND row_id = ? AND seal != \'\' '
        "ORDER BY id DESC LIMIT 1", (KEYS_TABLE, str(key_id))).fetchone()
    return found is not None and _text(found[0]) == seal_of(KEYS_TABLE, key_id)


def bulk_seal(ids=None) -> str:
    """One seal for many accounts (``ids``; None: all), ``{id: seal}``: a bulk
    write's audit row (the demo, the migration that began the chain)."""
    wanted = None if ids is None else {int(i) for i in ids}
    seals = {}
    for row in database.execute_sql(_STAFF_SQL + " ORDER BY id"):
        if wanted is None or row[0] in wanted:
            seals[str(row[0])] = staff_seal(row)
    return _dump(seals)


def _head() -> tuple[int, str]:
    found = database.execute_sql(
        'SELECT id, row_hash FROM "audit_log" ORDER BY id DESC LIMIT 1').fetchone()
    return (int(found[0]), _text(found[1])) if found is not None else (0, GENESIS)


_INSERT = ('INSERT INTO "audit_log" (id, at, staff_id, staff_name, host, table_name, row_id, '
           "action, changes, seal, prev_hash, row_hash) VALUES ("
           + ", ".join(["?"] * 12) + ")")


def append_many(rows: list[dict]) -> list[dict]:
    """Append audit rows (dicts as ``record`` makes them: at, staff, staff_name,
    host, table_name, row_id, action, changes, seal) to the chain, each with
    the next id and its hashes (set in the dicts); in one transaction."""
    if not rows:
        return rows
    with _writing():
        last_id, last_hash = _head()
        values = []
        for row in rows:
            at = row["at"]
            row.update(id=last_id + 1, prev_hash=last_hash, at=_at_text(at),
                       row_id=_text(row.get("row_id")), seal=row.get("seal") or "",
                       staff_name=row.get("staff_name") or "", host=row.get("host") or "")
            row["row_hash"] = row_hash(row["id"], row["at"], row.get("staff"), row["staff_name"],
                                       row["host"], row["table_name"], row["row_id"],
                                       row["action"], row["changes"], row["seal"],
                                       row["prev_hash"])
            values.append((row["id"], row["at"], row.get("staff"), row["staff_name"], row["host"],
                           row["table_name"], row["row_id"], row["action"], row["changes"],
                           row["seal"], row["prev_hash"], row["row_hash"]))
            last_id, last_hash = row["id"], row["row_hash"]
        if len(values) == 1:
            database.execute_sql(_INSERT, values[0])
        else:
            database.cursor().executemany(_INSERT.replace("?", database.obj.param), values)
    return rows


def append(row: dict) -> dict:
    """Append one audit row to the chain (see ``append_many``)."""
    return append_many([row])[0]


class _writing:
    """The caller's transaction, or one of its own (never a savepoint per row)."""

    def __enter__(self):
        self.own = None if database.in_transaction() else database.atomic()
        if self.own is not None:
            self.own.__enter__()

    def __exit__(self, *exc):
        if self.own is not None:
            return self.own.__exit__(*exc)
        return False


def seal_row(reason: str, *, table: str = "audit_log", row_id="", seal: str = "",
             actor: Staff | None = None, **extra) -> dict:
    """Append one row that only seals (``SEAL_ACTION``): ``changes`` says why."""
    return append(dict(at=str(clock.now()), staff=actor.id if actor else None,
                       staff_name=actor.name if actor else "", host=hostname(),
                       table_name=table, row_id=str(row_id), action=SEAL_ACTION,
                       changes=_dump({"reason": reason, **extra}), seal=seal))


def settle_seals(sealed: dict) -> None:
    """Just before a commit: a sealed row written again after its audit row in
    the same transaction is sealed again, as the transaction leaves it
    (``sealed``: (table, row id) → (seal, actor), kept by ``record``)."""
    for (table, row_id), (seal, actor) in list(sealed.items()):
        if seal_of(table, row_id) not in ("", seal):
            record(actor, table, row_id, SEAL_ACTION, {"reason": "settled"})


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
        return {_text(name) for (name,) in query('SELECT name FROM "schema_migration"', ())}
    except Exception:  # noqa: BLE001 - no history: not a bangfu database
        return set()


_TRIGGER_SQL = ("CREATE TRIGGER \"audit_log_no_{what}\" BEFORE {WHAT} ON \"audit_log\" BEGIN "
                "SELECT RAISE(ABORT, 'the audit log cannot be changed'); END")
_SERVER_FUNCTION = "BEGIN RAISE EXCEPTION 'the audit log cannot be changed'; END"


def _plain_sql(text) -> str:
    return " ".join(_text(text).split()).lower()


def check_triggers(query, server: bool = False) -> list[Tampering]:
    """The triggers that refuse changing the log (schema version 7): each
    there, enabled and as bangfu made it."""
    found = []
    if not server:
        have = {_text(name): sql for name, sql in query(
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
    have = {_text(name): (_text(enabled), _text(definition)) for name, enabled, definition in query(
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
        return {_text(n) for (n,) in query(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = 'audit_log'", ())}
    return {_text(row[1]) for row in query('PRAGMA table_info("audit_log")', ())}


def _stored_hash(row) -> str:
    return row_hash(*row[:11])


def _break(row, prev_id: int, prev_hash: str, recent: dict, old: int) -> Tampering | None:
    """How the link from the row before (``prev_id``, ``prev_hash``) to ``row``
    is broken, if it is (``recent``: hash → id of the last rows; ``old``: the
    last row from before the chain, whose ids may have gaps)."""
    id_ = int(row[0])
    stored_prev, stored = _text(row[10]), _text(row[11])
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
            prev_id, prev_hash = int(row[0]), _text(row[11])
            if not broken:
                recent[prev_hash] = prev_id
            report.rows += 1
            table, row_id, action, seal = _text(row[5]), _text(row[6]), _text(row[7]), row[9]
            if seal and table == KEYS_TABLE:
                report.keys[row_id] = _text(seal)
            elif seal:
                _take_seal(seals, settings, table, row_id, _text(seal))
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
        value = json.loads(_text(rows[0][0])) if rows else {}
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
    return (_at_text(row[1]), _text(row[5]), _text(row[7]), _text(row[8]))


def _take_restart(restarts: list, row) -> None:
    try:
        value = json.loads(_text(row[8]))
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
    for row in query(_STAFF_SQL + " ORDER BY id", ()):
        key = _text(row[0])
        seen.add(key)
        want = seals.get(key)
        if want is None:
            found.append(Tampering("account", "added", key, _text(row[1])))
            continue
        have = staff_seal(row)
        changed = tuple(name for name in _FIELD_ORDER if have.get(name) != want.get(name))
        if changed:
            found.append(Tampering("account", "changed", key, _text(row[1]), changed))
    for key in sorted(set(seals) - seen, key=lambda k: (len(k), k)):
        found.append(Tampering("account", "removed", key))
    for key in SEALED_SETTINGS:
        rows = list(query(f'SELECT value FROM "{SETTINGS_TABLE}" WHERE key = ?', (key,)))
        value = None if not rows else rows[0][0]
        want = settings.get(key)
        if want is None:
            if value is not None:
                found.append(Tampering("setting", "added", key))
        elif want != _dump(setting_seal(key, value)):
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
    found = []
    try:
        rows = list(query(_KEY_SQL + " ORDER BY id", ()))
    except Exception:  # noqa: BLE001 - a schema from before the keys
        return found
    names = {_text(r[0]): _text(r[1]) for r in query('SELECT id, name FROM "staff"', ())}
    for row in rows:
        want = seals.get(_text(row[0]))
        if want is None or want != _dump(key_seal(row)):
            found.append(Tampering("key", "changed", _text(row[0]),
                                   names.get(_text(row[1]), "?")))
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
    head_id, head_hash = int(rows[0][0]), _text(rows[0][1])

    def hash_in(q, id_):
        found = list(q('SELECT row_hash FROM "audit_log" WHERE id = ?', (id_,)))
        return _text(found[0][0]) if found else None

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
    before = _text(found[0][0]) if found else GENESIS
    if theirs is None or _text(theirs[10]) != before or _stored_hash(theirs) != _text(theirs[11]):
        return None  # the backup is damaged there
    mine = _hash_at(query, hi)
    if mine is None:
        last = list(query('SELECT MAX(id) FROM "audit_log"', ()))[0][0] or 0
        if last < hi:
            return Tampering("backup", "removed", str(hi), name, first=str(hi), last=str(head_id))
        return None  # a gap: the walk names it
    if _stored_hash(mine) != _text(mine[11]) or _text(mine[10]) != before:
        return None  # a broken link: the walk names it
    return Tampering("backup", "differs", str(hi), name)


# -- reading the log (the administrator's audit screen and ``bangfu audit``) -------------
#
# Nothing here changes a row: the log is only ever appended to (``record``), and
# schema version 7's triggers refuse UPDATE and DELETE on it.

ACTIONS = ("insert", "update", "delete", "bulk", "read", "sign_in_failed", "seal")
# actions whose changes are ``{field: new}``; the others' are ``{field: [old, new]}``
# (a plain value there, like a deleted score's student, says which row it was)
PLAIN_ACTIONS = ("insert", "read")


class Masked:
    """Stands for a restricted entry's text in what the log shows (the stored
    row keeps it): an administrator opens such an entry only from its case,
    where the opening is audited.  Shown as ``t("access.restricted_entry")``."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<restricted>"


MASKED = Masked()


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str
    old: object  # None for a value that was only set (an insert, an opening)
    new: object
    pair: bool  # stored as [old, new]


@dataclass(frozen=True, slots=True)
class AuditRow:
    id: int
    at: dt.datetime | str  # str only if the stored text is not a date-time
    who: str  # staff_name as it was then, "—" for none (a failed sign-in, an import)
    host: str
    table: str
    row_id: str
    action: str
    changes: dict  # parsed; a restricted entry's texts are MASKED
    staff_id: int | None = None
    masked: bool = False  # some of its values are MASKED

    def fields(self) -> list[FieldChange]:
        """Each field of ``changes`` as old → new (in the stored order: by name)."""
        out = []
        for name, value in self.changes.items():
            if (self.action not in PLAIN_ACTIONS and isinstance(value, list)
                    and len(value) == 2):
                out.append(FieldChange(name, value[0], value[1], True))
            elif self.action == "delete":  # what the removed row held
                out.append(FieldChange(name, value, None, False))
            else:
                out.append(FieldChange(name, None, value, False))
        return out


@dataclass(frozen=True)
class AuditFilter:
    """What ``find_audit`` narrows to; the names are for showing the filter."""

    staff_id: int | None = None
    staff_name: str = ""
    student_id: int | None = None
    student_name: str = ""
    student_no: str = ""
    since: dt.date | None = None
    until: dt.date | None = None


class FilterError(ValueError):
    """A filter that names nobody, several people, or no date.

    ``field``: staff, student, since or until; ``code``: none, many (``names``
    lists some), format, invalid (a date) or range (since after until)."""

    def __init__(self, field_name: str, code: str, names: tuple[str, ...] = ()):
        super().__init__(f"{field_name}: {code}")
        self.field = field_name
        self.code = code
        self.names = names


def resolve_filter(staff: str = "", student: str = "", since: str = "", until: str = "",
                   today: dt.date | None = None) -> AuditFilter:
    """The filter as typed (blank: no filter) → ids and dates; ``FilterError``
    for the first field that does not name exactly one person, student or day.

    A person: an active account by name or pinyin (``db.staff.find_staff``),
    else any account, a disabled one too, of exactly that name.  A student: a
    student number or a query matching one student (``db.roster``)."""
    from db.dates import DateError, parse_date

    today = today or clock.today()
    dates = {}
    for name, text in (("since", since), ("until", until)):
        text = (text or "").strip()
        if not text:
            dates[name] = None
            continue
        try:
            dates[name] = parse_date(text, today, prefer="past")
        except DateError as exc:
            raise FilterError(name, "invalid" if exc.code == "invalid" else "format") from None
    if dates["since"] and dates["until"] and dates["since"] > dates["until"]:
        raise FilterError("until", "range")
    staff_id, staff_name = _resolve_staff((staff or "").strip())
    student_id = None
    student_name = student_no = ""
    if (student or "").strip():
        from db.roster import StudentLookupError, load_index, resolve_student

        query = student.strip()
        try:
            row = resolve_student(load_index(query), query)
        except StudentLookupError as exc:
            raise FilterError("student", exc.code, tuple(
                f"{r.name} {r.student_no}" for r in exc.candidates[:8])) from None
        student_id, student_name, student_no = row.student_id, row.name, row.student_no
    return AuditFilter(staff_id, staff_name, student_id, student_name, student_no,
                       dates["since"], dates["until"])


def _resolve_staff(query: str) -> tuple[int | None, str]:
    if not query:
        return None, ""
    from db.staff import find_staff

    found = find_staff(query)
    if not found:  # a disabled account still has its history
        found = list(Staff.select(Staff.id, Staff.name).where(Staff.name == query))
    if not found:
        raise FilterError("staff", "none")
    if len(found) > 1:
        raise FilterError("staff", "many", tuple(s.name for s in found[:8]))
    return found[0].id, found[0].name


# Each table whose rows belong to a student, as SQL for its row ids (as the log
# stores them: text) given the student's id; ``cases`` is the student's cases.
# A peer pair belongs to the case's student and to the helper.
_STUDENT_ROWS = {
    "student": "SELECT CAST(:sid AS TEXT)",
    "guardian": "SELECT CAST(id AS TEXT) FROM guardian WHERE student_id = :sid",
    "case_file": "SELECT CAST(id AS TEXT) FROM cases",
    "contact": "SELECT CAST(id AS TEXT) FROM contact WHERE case_id IN (SELECT id FROM cases)",
    "assignment": "SELECT CAST(id AS TEXT) FROM assignment WHERE case_id IN (SELECT id FROM cases)",
    "goal": "SELECT CAST(id AS TEXT) FROM goal WHERE case_id IN (SELECT id FROM cases)",
    "stage_review": "SELECT CAST(id AS TEXT) FROM stage_review WHERE case_id IN (SELECT id FROM cases)",
    "peer_pair": ("SELECT CAST(id AS TEXT) FROM peer_pair "
                  "WHERE case_id IN (SELECT id FROM cases) OR helper_id = :sid"),
}
# Scores and check-ins are also removed (a cleared cell): a removed row's history
# is found through its delete row, which says whose it was.  Row ids may be
# used again after a removal, so a row's student is the one its next delete row
# names, else the one the file holds now.
_REMOVABLE = ("score", "checkin")


def _removable_rows(table: str) -> str:
    return (
        f"SELECT a.id FROM audit_log a WHERE a.table_name = '{table}' AND a.row_id IN ("
        f"SELECT CAST(id AS TEXT) FROM {table} WHERE student_id = :sid "
        f"UNION SELECT row_id FROM audit_log WHERE table_name = '{table}' AND action = 'delete' "
        f"AND {json_number('changes', 'student')} = :sid) "
        f"AND COALESCE((SELECT {json_number('d.changes', 'student')} FROM audit_log d "
        f"WHERE d.table_name = '{table}' AND d.row_id = a.row_id AND d.action = 'delete' "
        "AND d.id >= a.id ORDER BY d.id LIMIT 1), "
        f"(SELECT student_id FROM {table} WHERE id = {row_id_number('a.row_id')})) = :sid")


def _student_ids_sql() -> str:
    """The audit row ids about student ``:sid``, each table through the log's
    index on (table_name, row_id)."""
    parts = [f"SELECT id FROM audit_log WHERE table_name = '{table}' AND row_id IN ({rows})"
             for table, rows in _STUDENT_ROWS.items()]
    parts += [_removable_rows(table) for table in _REMOVABLE]
    return ("WITH cases(id) AS (SELECT id FROM case_file WHERE student_id = :sid) "
            + " UNION ".join(parts))


def find_audit(staff_id: int | None = None, student_id: int | None = None,
               since: dt.date | None = None, until: dt.date | None = None,
               limit: int | None = None) -> list[AuditRow]:
    """The log, newest first, narrowed to what ``staff_id`` did or what was
    done to their account (a changed role, a failed sign-in), to the rows about
    ``student_id`` (their record, guardians, cases and everything in them,
    scores, check-ins, peer pairs), and to the days ``since`` … ``until``
    (both included).  A restricted entry's texts are ``MASKED``."""
    where, params = [], {}
    if staff_id is not None:
        where.append("(a.staff_id = :staff OR (a.table_name = 'staff' AND a.row_id = :staff_text))")
        params.update(staff=staff_id, staff_text=str(staff_id))
    if student_id is not None:
        where.append(f"a.id IN ({_student_ids_sql()})")
        params["sid"] = student_id
    if since is not None:
        where.append("a.at >= :since")
        params["since"] = since.isoformat()
    if until is not None:
        where.append("a.at < :until")
        params["until"] = (until + dt.timedelta(days=1)).isoformat()
    sql = ("SELECT a.id, a.at, a.staff_id, a.staff_name, a.host, a.table_name, a.row_id, "
           "a.action, a.changes, c.id, c.restricted FROM audit_log a "
           f"LEFT JOIN contact c ON a.table_name = 'contact' AND c.id = {row_id_number('a.row_id')}"
           + (" WHERE " + " AND ".join(where) if where else "")
           + " ORDER BY a.at DESC, a.id DESC")
    if limit is not None:
        sql += " LIMIT :limit"
        params["limit"] = max(0, int(limit))
    raw = database.execute_sql(sql, params).fetchall()
    gone = {r[6] for r in raw if r[5] == "contact" and r[9] is None}
    ever_restricted = _ever_restricted(gone) if gone else set()
    return [_row(r, ever_restricted) for r in raw]



def _restricted_value(value) -> bool:
    if isinstance(value, list):
        return any(bool(v) for v in value)
    return bool(value)


def _ever_restricted(contact_ids: set[str]) -> set[str]:
    """Of entries no longer in the file, those the log shows restricted once."""
    out = set()
    ids = sorted(contact_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ", ".join("?" * len(chunk))
        for row_id, changes in database.execute_sql(
                f"SELECT row_id, changes FROM audit_log WHERE table_name = 'contact' "
                f"AND row_id IN ({marks}) AND changes LIKE '%\"restricted\"%'", chunk):
            if _restricted_value(_parse(changes).get("restricted")):
                out.add(row_id)
    return out


def _parse(changes: str) -> dict:
    try:
        value = json.loads(changes) if changes else {}
    except ValueError:
        return {"changes": changes}
    return value if isinstance(value, dict) else {"changes": value}


def _at(value) -> dt.datetime | str:
    if isinstance(value, dt.datetime):
        return value
    try:
        return dt.datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)


def _sealed(value) -> bool:
    from db.crypto import is_sealed

    if isinstance(value, list):
        return any(is_sealed(v) for v in value)
    return is_sealed(value)


def _mask(value):
    if isinstance(value, list):
        return [_mask(v) for v in value]
    return MASKED if value not in (None, "") else value


def _row(raw, ever_restricted: set[str]) -> AuditRow:
    (id_, at, staff_id, staff_name, host, table, row_id, action, changes,
     contact_id, restricted) = raw
    parsed = _parse(changes)
    masked = False
    if table == "contact" and (restricted or row_id in ever_restricted
                               or _restricted_value(parsed.get("restricted"))):
        from db.cases import RESTRICTED_TEXT

        for name in RESTRICTED_TEXT:
            if name in parsed and _restricted_value(parsed[name]):
                parsed[name] = _mask(parsed[name])
                masked = True
    for name, value in parsed.items():  # sealed text (db.keys) is shown as restricted
        if _sealed(value):
            parsed[name] = [MASKED if _sealed(v) else v for v in value] \
                if isinstance(value, list) else MASKED
            masked = True
    return AuditRow(id_, _at(at), staff_name or "—", host or "", table, row_id or "", action,
                    parsed, staff_id, masked)
