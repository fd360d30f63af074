"""Schema version 11: the audit log becomes a hash chain; accounts are sealed.

- ``audit_log.prev_hash`` and ``audit_log.row_hash``: each row carries the
  previous row's hash and its own, sha256 over a canonical encoding of its
  id, time, author, host, table, row, action, changes, seal and the previous
  hash (chain format 1, ``db.audit.row_hash``).  A row changed, removed or put
  in by hand breaks the chain, and ``bangfu check`` names where.
- ``audit_log.seal``: an audited write of a staff row (and of a sealed
  setting) records a digest of the row as the write left it (its name, role,
  active, classes and PIN hash), so a role, an activation or a PIN hash
  changed by hand shows as an account changed outside bangfu.

The rows already in the log are sealed into the chain as they are, in id
order (their ids may have gaps: they are kept, and told by the first new
row); their other columns stay as they were.  Then, if there was anything to
seal, rows are appended (action ``seal``, no author): one saying how many
rows the chain began with (the genesis), one sealing every account there is,
and one for each sealed setting there is (``made_by``, ``school_public_key``).
While the old rows get their hashes, the trigger that refuses changing the
log is set aside, and put back as version 7 made it (one already gone stays
gone, for ``bangfu check`` to name).

The same on SQLite and PostgreSQL.

A frozen copy; never edit it (the hash and the seals are copied here, not
imported, so that this script keeps doing what it did).
"""

import datetime as dt
import hashlib
import json
import socket

from db.migrations import on_server

PAGE = 2000
SEALED_SETTINGS = ("made_by", "school_public_key")
STAFF_SEALED = ("name", "role", "active", "classes", "pin")
_COLUMNS = ("id", "at", "staff_id", "staff_name", "host", "table_name", "row_id", "action",
            "changes", "seal")


def _text(value):
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).decode("utf-8", "surrogateescape")
    return "" if value is None else str(value)


def _at_text(value):
    if isinstance(value, dt.datetime):
        return str(value)
    text = _text(value)
    try:
        return str(dt.datetime.fromisoformat(text))
    except ValueError:
        return text


def _hash(id_, at, staff, staff_name, host, table_name, row_id, action, changes, seal, prev):
    payload = [1, int(id_), _at_text(at), None if staff is None else _text(staff),
               _text(staff_name), _text(host), _text(table_name), _text(row_id), _text(action),
               _text(changes), _text(seal), _text(prev)]
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8", "surrogatepass")).hexdigest()


def _dump(value):
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _digest(table, row_id, name, value):
    data = json.dumps([table, _text(row_id), name, value], ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _staff_seal(row):
    id_, *values = row
    seal = {}
    for name, value in zip(STAFF_SEALED, values):
        if name == "active":
            value = int(value) if value in (0, 1) else _text(value)
        else:
            value = _text(value)
        seal[name] = _digest("staff", id_, name, value)
    return seal


def up(migrator, db):
    server = on_server(db)
    for column, sql in (("seal", "TEXT NOT NULL DEFAULT ''"),
                        ("prev_hash", "VARCHAR(64) NOT NULL DEFAULT ''"),
                        ("row_hash", "VARCHAR(64) NOT NULL DEFAULT ''")):
        db.execute_sql(f'ALTER TABLE "audit_log" ADD COLUMN "{column}" {sql}')
    # set aside only if it is there (one dropped by hand stays missing, for check to name)
    if server:
        guarded = db.execute_sql(
            "SELECT 1 FROM pg_trigger WHERE tgname = 'audit_log_no_update' "
            "AND tgrelid = 'audit_log'::regclass").fetchone() is not None
        if guarded:
            db.execute_sql('ALTER TABLE "audit_log" DISABLE TRIGGER "audit_log_no_update"')
    else:
        guarded = db.execute_sql(
            "SELECT 1 FROM sqlite_master WHERE type = 'trigger' "
            "AND name = 'audit_log_no_update'").fetchone() is not None
        db.execute_sql('DROP TRIGGER IF EXISTS "audit_log_no_update"')

    param = db.param
    update = (f'UPDATE "audit_log" SET "prev_hash" = {param}, "row_hash" = {param} '
              f'WHERE "id" = {param}')
    last_id, last_hash, count = 0, "", 0
    while True:
        rows = db.execute_sql(
            f'SELECT {", ".join(_COLUMNS)} FROM "audit_log" WHERE id > ? ORDER BY id LIMIT {PAGE}',
            (last_id,)).fetchall()
        if not rows:
            break
        values = []
        for row in rows:
            row_hash = _hash(*row, last_hash)
            values.append((last_hash, row_hash, row[0]))
            last_id, last_hash = int(row[0]), row_hash
        db.cursor().executemany(update, values)
        count += len(rows)

    if server and guarded:
        db.execute_sql('ALTER TABLE "audit_log" ENABLE TRIGGER "audit_log_no_update"')
    elif guarded:  # as schema version 7 made it
        db.execute_sql(
            'CREATE TRIGGER IF NOT EXISTS "audit_log_no_update" BEFORE UPDATE '
            'ON "audit_log" BEGIN SELECT RAISE(ABORT, \'the audit log cannot be changed\'); END')

    staff = db.execute_sql('SELECT id, name, role, active, classes, pin_hash FROM "staff" '
                           'ORDER BY id').fetchall()
    settings = []
    for key in SEALED_SETTINGS:
        found = db.execute_sql('SELECT value FROM "bangfu_meta" WHERE key = ?', (key,)).fetchone()
        if found is not None:
            settings.append((key, found[0]))
    if not (count or staff or settings):
        return  # a new, empty database: nothing to seal
    at = str(dt.datetime.now().replace(microsecond=0))
    host = socket.gethostname()
    appended = [("audit_log", "", _dump({"reason": "chain", "rows": count, "last": last_id}), "")]
    if staff:
        seals = {str(row[0]): _staff_seal(row) for row in staff}
        appended.append(("staff", "", _dump({"reason": "chain", "accounts": len(staff)}),
                         _dump(seals)))
    for key, value in settings:
        seal = {"value": _digest("bangfu_meta", key, "value",
                                 None if value is None else _text(value))}
        appended.append(("bangfu_meta", key, _dump({"reason": "chain"}), _dump(seal)))
    insert = ('INSERT INTO "audit_log" (id, at, staff_id, staff_name, host, table_name, row_id, '
              "action, changes, seal, prev_hash, row_hash) VALUES "
              f"({', '.join([param] * 12)})")
    for table, row_id, changes, seal in appended:
        new_id = last_id + 1
        row_hash = _hash(new_id, at, None, "", host, table, row_id, "seal", changes, seal,
                         last_hash)
        db.cursor().execute(insert, (new_id, at, None, "", host, table, row_id, "seal", changes,
                                     seal, last_hash, row_hash))
        last_id, last_hash = new_id, row_hash
