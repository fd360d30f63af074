"""The audit log: one row for every write (who, when, host, table, row, what changed).

This module writes it: ``record`` (with ``diff`` and ``merge`` for what
changed), each row linked to the one before it by a hash, and the seals that
let a check see an account, setting or key changed by hand.  Verifying the
chain is ``db.audit_checks``; reading the log, ``db.audit_queries``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from typing import TYPE_CHECKING, Any

from db import clock
from db.store.host import hostname
from db.models import Staff, database

if TYPE_CHECKING:
    pass


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
    from db.store import journal

    row: dict[str, Any] = dict(
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


def text_of(value) -> str:
    if value.__class__ is str:  # nearly always: the chain's walk calls this often
        return value
    if value is None:
        return ""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).decode("utf-8", "surrogateescape")
    return str(value)


_CANONICAL_AT = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d{6})?").fullmatch


def at_text(value) -> str:
    """A time as ``str(datetime)`` whether stored as text (a file) or as a
    timestamp (a server), so a copied chain verifies on both."""
    if isinstance(value, dt.datetime):
        return str(value)
    text = text_of(value)
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
    payload = [CHAIN_FORMAT, int(id_), at_text(at), None if staff is None else text_of(staff),
               text_of(staff_name), text_of(host), text_of(table_name), text_of(row_id), text_of(action),
               text_of(changes), text_of(seal), text_of(prev_hash)]
    return hashlib.sha256(_encode(payload).encode("utf-8", "surrogatepass")).hexdigest()


# json.dumps(value, ensure_ascii=False, separators=(",", ":")), without a new encoder each time
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def dump_json(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _digest(table: str, row_id, name: str, value) -> str:
    data = json.dumps([table, text_of(row_id), name, value], ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _flag(value):
    if value in (0, 1):  # a file's 0/1 and a server's false/true alike
        return int(value)
    return text_of(value)


def staff_seal(row) -> dict:
    """``row``: (id, name, role, active, classes, pin_hash) → {field: digest}."""
    id_, *values = row
    return {name: _digest("staff", id_, name, _flag(v) if name == "active" else text_of(v))
            for (name, _), v in zip(STAFF_SEALED, values)}


def setting_seal(key: str, value) -> dict:
    return {"value": _digest(SETTINGS_TABLE, key, "value",
                             None if value is None else text_of(value))}


STAFF_SQL = 'SELECT id, name, role, active, classes, pin_hash FROM "staff"'


def seal_of(table: str, row_id) -> str:
    """The seal for an audit row about ``table``/``row_id``: the row as it is
    now, for an account or a sealed setting; else ""."""
    if table == "staff":
        try:
            key = int(row_id)
        except (TypeError, ValueError):
            return ""
        found = database.execute_sql(STAFF_SQL + " WHERE id = ?", (key,)).fetchone()
        return dump_json(staff_seal(found)) if found is not None else ""
    if table == SETTINGS_TABLE and str(row_id) in SEALED_SETTINGS:
        found = database.execute_sql(f'SELECT value FROM "{SETTINGS_TABLE}" WHERE key = ?',
                                     (str(row_id),)).fetchone()
        return dump_json(setting_seal(str(row_id), None if found is None else found[0]))
    if table == KEYS_TABLE:
        try:
            key = int(row_id)
        except (TypeError, ValueError):
            return ""
        found = database.execute_sql(KEY_SQL + " WHERE id = ?", (key,)).fetchone()
        return dump_json(key_seal(found)) if found is not None else ""
    return ""


KEYS_TABLE = "staff_key"  # a person's public key (db.keys): sealed, so a key put in
KEY_SQL = 'SELECT id, staff_id, public_key FROM "staff_key"'  # by hand is never given the school's


def key_seal(row) -> dict:
    """``row``: (id, staff_id, public_key) → {field: digest}."""
    id_, staff_id, public = row
    return {"staff": _digest(KEYS_TABLE, id_, "staff", text_of(staff_id)),
            "public": _digest(KEYS_TABLE, id_, "public", text_of(public))}


def key_is_sealed(key_id: int) -> bool:
    """Whether the key row ``key_id`` is as its last audited write left it."""
    found = database.execute_sql(
        'SELECT seal FROM "audit_log" WHERE table_name = ? AND row_id = ? AND seal != \'\' '
        "ORDER BY id DESC LIMIT 1", (KEYS_TABLE, str(key_id))).fetchone()
    return found is not None and text_of(found[0]) == seal_of(KEYS_TABLE, key_id)


def bulk_seal(ids=None) -> str:
    """One seal for many accounts (``ids``; None: all), ``{id: seal}``: a bulk
    write's audit row (the demo, the migration that began the chain)."""
    wanted = None if ids is None else {int(i) for i in ids}
    seals = {}
    for row in database.execute_sql(STAFF_SQL + " ORDER BY id"):
        if wanted is None or row[0] in wanted:
            seals[str(row[0])] = staff_seal(row)
    return dump_json(seals)


def _head() -> tuple[int, str]:
    found = database.execute_sql(
        'SELECT id, row_hash FROM "audit_log" ORDER BY id DESC LIMIT 1').fetchone()
    return (int(found[0]), text_of(found[1])) if found is not None else (0, GENESIS)


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
            row.update(id=last_id + 1, prev_hash=last_hash, at=at_text(at),
                       row_id=text_of(row.get("row_id")), seal=row.get("seal") or "",
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
                       changes=dump_json({"reason": reason, **extra}), seal=seal))


def settle_seals(sealed: dict) -> None:
    """Just before a commit: a sealed row written again after its audit row in
    the same transaction is sealed again, as the transaction leaves it
    (``sealed``: (table, row id) → (seal, actor), kept by ``record``)."""
    for (table, row_id), (seal, actor) in list(sealed.items()):
        if seal_of(table, row_id) not in ("", seal):
            record(actor, table, row_id, SEAL_ACTION, {"reason": "settled"})
