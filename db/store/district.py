"""Many schools in one PostgreSQL database: each row belongs to a school, and the
server keeps each school's clients to their own rows.

Installed by schema 16 (``db/migrations/0016_schools.py``) and kept up after every
later migration (``adopt_tables``); only on PostgreSQL (a file is one school).

- ``school``: the schools of the database (the first is the one that was there).
- ``bangfu_client``: which database role is whose: a school's client role
  (``kind`` "school", its ``school_id``), or a town's or county's office
  (``kind`` "town"/"county").  Only the owner reads or writes it.
- Every other table has ``school_id`` (``NOT NULL`` but on ``bangfu_meta``, where
  a row without a school is the district's default of that setting), and its
  keys within the school: the primary key is ``(id, school_id)``, every unique
  index and foreign key ends with ``school_id`` (so a school's file comes in
  with its own ids: the same student number, or id, in two schools is two
  students; and no row points into another school).  The school comes last so
  that a look-up by id alone still uses the index; ordinary indexes stay as
  they were, with one on ``school_id`` beside them.
- Row-level security on every table, for every role but the tables' owner:
  a role sees and writes the rows of the school ``bangfu_client`` gives it, and
  nothing else; a role without a school sees nothing.  A new row gets its
  school from the role that writes it (``bangfu_row_school()``), so bangfu's own
  code is the same for one school or sixty.
- Settings (``bangfu_meta``): a school sees its own value of a key, else the
  district's default (a row without a school), and writes only its own.
- Clients get only what they use (``grant_clients``): the audit log is read and
  appended, never changed or emptied, and a client owns no table, so it can
  drop no trigger.

Offices above the schools (a town's, a county's) are ``db.store.offices``.

The owner's connection (migrations, ``bangfu migrate-to``, ``bangfu district``) is
not held to a school; it picks the school new rows go to with
``SET bangfu.school = N`` (``use_school``), else the only school there is.
"""

from __future__ import annotations

import json
import re
from contextlib import contextmanager
from dataclasses import dataclass

SETTING = "bangfu.school"  # the owner's choice of school for new rows (use_school)
META = "bangfu_meta"
TERMS_KEY = "district_terms"  # bangfu_meta, no school: the terms a new school starts with
OWN = "(SELECT bangfu_school_of(current_user::text))"  # the querying role's school
# the server's own tables, never a file's
SERVER_TABLES = ("school", "bangfu_client", "district_figures", "case_share", "office_read")
_SKIP = ("schema_migration", *SERVER_TABLES)
_DELETE_ACTIONS = {"a": "NO ACTION", "r": "RESTRICT", "c": "CASCADE", "n": "SET NULL",
                   "d": "SET DEFAULT"}

_META_OWN = (
    # a setting the school has its own value of (then the district's is not seen)
    "CREATE OR REPLACE FUNCTION bangfu_meta_own(k text, s integer) RETURNS boolean "
    "LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$ "
    f"SELECT EXISTS (SELECT 1 FROM {META} WHERE key = k AND school_id = s) $$"
)

_FUNCTIONS = [
    # the school of a role (SECURITY DEFINER: clients cannot read the mapping itself)
    "CREATE OR REPLACE FUNCTION bangfu_school_of(who text) RETURNS integer "
    "LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$ "
    "SELECT school_id FROM bangfu_client WHERE role_name = who AND kind = 'school' $$",
    "CREATE OR REPLACE FUNCTION bangfu_only_school() RETURNS integer "
    "LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$ "
    "SELECT CASE WHEN count(*) = 1 THEN min(id) END FROM school $$",
    # the school a new row belongs to: the writing role's, else the owner's choice,
    # else the only school there is (NULL, refused by NOT NULL, when there are several)
    "CREATE OR REPLACE FUNCTION bangfu_row_school() RETURNS integer "
    "LANGUAGE sql STABLE SET search_path = public AS $$ "
    "SELECT COALESCE(bangfu_school_of(current_user::text), "
    f"NULLIF(current_setting('{SETTING}', true), '')::integer, "
    "bangfu_only_school()) $$",
]


def install(db) -> None:
    """Schema 16 on a server: the school tables, the functions, every table adopted."""
    db.execute_sql(
        'CREATE TABLE IF NOT EXISTS "school" ('
        '"id" SERIAL NOT NULL PRIMARY KEY, "name" VARCHAR NOT NULL UNIQUE, '
        '"town" VARCHAR NOT NULL DEFAULT \'\', "county" VARCHAR NOT NULL DEFAULT \'\', '
        '"created_at" TIMESTAMP NOT NULL DEFAULT LOCALTIMESTAMP(0))')
    db.execute_sql(
        'CREATE TABLE IF NOT EXISTS "bangfu_client" ('
        '"role_name" VARCHAR NOT NULL PRIMARY KEY, "kind" VARCHAR NOT NULL, '
        '"school_id" INTEGER REFERENCES "school" ("id") ON DELETE CASCADE, '
        '"town" VARCHAR NOT NULL DEFAULT \'\', "county" VARCHAR NOT NULL DEFAULT \'\')')
    if db.execute_sql('SELECT count(*) FROM "school"').fetchone()[0] == 0:
        db.execute_sql('INSERT INTO "school" ("name") VALUES (current_database())')
    for sql in _FUNCTIONS:
        db.execute_sql(sql)
    db.execute_sql('ALTER TABLE "school" ENABLE ROW LEVEL SECURITY')
    db.execute_sql('DROP POLICY IF EXISTS "own_school" ON "school"')
    db.execute_sql(f'CREATE POLICY "own_school" ON "school" FOR SELECT USING ("id" = {OWN})')
    from db.store import offices

    offices.install(db)  # a town's and a county's office: the schools' figures only
    adopt_tables(db)
    offices.install_shares(db)  # a case a school shares with an office (keys within schools)


def data_tables(db) -> list[str]:
    return [t for t in db.get_tables() if t not in _SKIP]


def has_schools(db) -> bool:
    """True on a server database with schema 16's school tables."""
    tables = db.get_tables()
    return "school" in tables and "bangfu_client" in tables


def adopt_tables(db) -> list[str]:
    """Every table without ``school_id`` gets it, its keys within the school and its
    row-level security (schema 16, and any table a later migration makes)."""
    new = [t for t in data_tables(db)
           if not any(c.name == "school_id" for c in db.get_columns(t))]
    if not new:
        return []
    foreign = _foreign_keys(db, new)
    for fk in foreign:  # dropped first: they lean on the keys about to change
        db.execute_sql(f'ALTER TABLE "{fk["table"]}" DROP CONSTRAINT "{fk["name"]}"')
    for table in new:
        _adopt(db, table)
    for fk in foreign:
        cols = ", ".join(f'"{c}"' for c in fk["cols"])
        refs = ", ".join(f'"{c}"' for c in fk["refcols"])
        action = _DELETE_ACTIONS[fk["on_delete"]]
        if action == "SET NULL":  # the school stays; only the reference is cleared
            action += f" ({cols})"
        db.execute_sql(
            f'ALTER TABLE "{fk["table"]}" ADD CONSTRAINT "{fk["name"]}" '
            f'FOREIGN KEY ({cols}, "school_id") REFERENCES "{fk["ref"]}" ({refs}, "school_id") '
            f"ON DELETE {action}")
    return new


def _foreign_keys(db, tables: list[str]) -> list[dict]:
    """The foreign keys from or to ``tables`` (names, columns, the delete rule)."""
    rows = db.execute_sql(
        "SELECT c.conname, t.relname, r.relname, c.confdeltype, "
        "ARRAY(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(n, i) "
        "      JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.i), "
        "ARRAY(SELECT a.attname FROM unnest(c.confkey) WITH ORDINALITY k(n, i) "
        "      JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.i) "
        "FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid "
        "JOIN pg_class r ON r.oid = c.confrelid "
        "JOIN pg_namespace ns ON ns.oid = c.connamespace "
        "WHERE c.contype = 'f' AND ns.nspname = current_schema()").fetchall()
    return [{"name": name, "table": table, "ref": ref, "on_delete": rule,
             "cols": list(cols), "refcols": list(refcols)}
            for name, table, ref, rule, cols, refcols in rows
            if (table in tables or ref in tables) and ref not in _SKIP
            and "school_id" not in cols]


def _adopt(db, table: str) -> None:
    meta = table == META
    (first,) = db.execute_sql('SELECT min(id) FROM "school"').fetchone()
    # the rows already there are the first school's (a constant: no table rewrite);
    # new rows, the writing role's
    db.execute_sql(f'ALTER TABLE "{table}" ADD COLUMN "school_id" INTEGER '
                   f'{"" if meta else "NOT NULL "}DEFAULT {int(first)} REFERENCES "school" ("id")')
    db.execute_sql(f'ALTER TABLE "{table}" ALTER COLUMN "school_id" SET DEFAULT bangfu_row_school()')
    constraints = db.execute_sql(
        "SELECT c.conname, c.contype, ARRAY(SELECT a.attname FROM unnest(c.conkey) "
        "WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = c.conrelid "
        "AND a.attnum = k.n ORDER BY k.i) FROM pg_constraint c "
        "WHERE c.conrelid = %s::regclass AND c.contype IN ('p', 'u')",
        (f'"{table}"',)).fetchall()
    for name, kind, cols in constraints:
        db.execute_sql(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
        listed = ", ".join(f'"{c}"' for c in cols)
        if meta:  # a district default has no school: unique per school, or per district
            db.execute_sql(f'CREATE UNIQUE INDEX "{name}" ON "{table}" '
                           f'({listed}, COALESCE("school_id", 0))')
        else:  # the school last: a look-up by id alone (the owner's) still uses the index
            what = "PRIMARY KEY" if kind == "p" else "UNIQUE"
            db.execute_sql(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" '
                           f'{what} ({listed}, "school_id")')
    indexes = db.execute_sql(  # unique within the school (ordinary indexes stay as they are)
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
        "AND tablename = %s AND indexdef LIKE 'CREATE UNIQUE %%' AND indexname NOT IN "
        "(SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
        (table, f'"{table}"')).fetchall()
    db.execute_sql(f'CREATE INDEX IF NOT EXISTS "{table}_school" ON "{table}" ("school_id")')
    for name, definition in indexes:
        if "school_id" not in definition:
            db.execute_sql(f'DROP INDEX "{name}"')
            db.execute_sql(with_school(definition))
    _policies(db, table)


def with_school(definition: str) -> str:
    """``CREATE UNIQUE INDEX … USING btree (a, b) WHERE …`` with ``school_id`` after ``b``."""
    start = re.search(r"USING \w+ \(", definition)
    if start is None:
        raise ValueError(definition)
    depth, at = 1, start.end()
    while depth:
        depth += {"(": 1, ")": -1}.get(definition[at], 0)
        at += 1
    return definition[:at - 1] + ", school_id" + definition[at - 1:]


def _policies(db, table: str) -> None:
    db.execute_sql(f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY')
    for name in ("own_school", "read", "add", "change", "remove"):
        db.execute_sql(f'DROP POLICY IF EXISTS "{name}" ON "{table}"')
    own = f'"school_id" = {OWN}'
    if table != META:
        db.execute_sql(f'CREATE POLICY "own_school" ON "{table}" USING ({own}) WITH CHECK ({own})')
        return
    db.execute_sql(_META_OWN)
    db.execute_sql(f'CREATE POLICY "read" ON "{table}" FOR SELECT USING ({own} OR '
                   f'("school_id" IS NULL AND NOT bangfu_meta_own("key", {OWN})))')
    db.execute_sql(f'CREATE POLICY "add" ON "{table}" FOR INSERT WITH CHECK ({own})')
    db.execute_sql(f'CREATE POLICY "change" ON "{table}" FOR UPDATE USING ({own}) '
                   f"WITH CHECK ({own})")
    db.execute_sql(f'CREATE POLICY "remove" ON "{table}" FOR DELETE USING ({own})')


# -- the schools and the roles that use them (the owner's side) ---------------------


def client_group(db) -> str:
    """The role every client role of this database belongs to (roles are the whole
    server's: the database's name keeps two bangfu databases' apart)."""
    name = db.execute_sql("SELECT current_database()").fetchone()[0]
    return (re.sub(r"[^a-z0-9_]", "_", name.lower()) + "_clients")[:63]


def role_exists(db, role: str) -> bool:
    return bool(db.execute_sql("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone())


def grant_clients(db) -> None:
    """What a school's client may do, given to the database's client group (when
    there is one): read and write its school's rows (row-level security), append
    to the audit log and read it, read the migration history and its own school.
    Nothing else: no TRUNCATE, no trigger, no table of its own."""
    group = client_group(db)
    if not role_exists(db, group):
        return
    g = f'"{group}"'
    db.execute_sql(f"GRANT CONNECT ON DATABASE \"{db.database}\" TO {g}")
    db.execute_sql(f"GRANT USAGE ON SCHEMA public TO {g}")
    for table in data_tables(db):
        if table == "audit_log":
            db.execute_sql(f'REVOKE ALL ON "audit_log" FROM {g}')
            db.execute_sql(f'GRANT SELECT, INSERT ON "audit_log" TO {g}')
        else:
            db.execute_sql(f'GRANT SELECT, INSERT, UPDATE, DELETE ON "{table}" TO {g}')
    db.execute_sql(f'GRANT SELECT ON "school", "schema_migration" TO {g}')
    db.execute_sql(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {g}")
    from db.store import offices

    offices.grant_shares(db, group, offices.office_group(db))


@dataclass
class School:
    id: int
    name: str
    town: str
    county: str
    roles: list[str]


def schools(db) -> list[School]:
    rows = db.execute_sql(
        'SELECT s.id, s.name, s.town, s.county, ARRAY(SELECT role_name FROM "bangfu_client" c '
        "WHERE c.school_id = s.id ORDER BY role_name) FROM \"school\" s ORDER BY s.id").fetchall()
    return [School(i, n, town, county, list(roles)) for i, n, town, county, roles in rows]


def find_school(db, name: str) -> School | None:
    return next((s for s in schools(db) if s.name == name), None)


def add_school(db, name: str, *, town: str = "", county: str = "") -> School:
    """A new school (``name`` unique in the database), or the database's first
    school renamed when it has no rows yet (a new district database); a school
    of that name already there is that school (with ``town`` and ``county`` set
    when given)."""
    found = find_school(db, name)
    if found is not None:
        if town or county:  # where it is, as given now (a school copied in had no place)
            db.execute_sql('UPDATE "school" SET "town" = COALESCE(NULLIF(%s, \'\'), "town"), '
                           '"county" = COALESCE(NULLIF(%s, \'\'), "county") WHERE id = %s',
                           (town, county, found.id))
            found.town, found.county = town or found.town, county or found.county
        return found
    existing = schools(db)
    if len(existing) == 1 and not existing[0].roles and not _school_has_rows(db, existing[0].id):
        db.execute_sql('UPDATE "school" SET "name" = %s, "town" = %s, "county" = %s '
                       "WHERE id = %s", (name, town, county, existing[0].id))
    else:
        db.execute_sql('INSERT INTO "school" ("name", "town", "county") VALUES (%s, %s, %s)',
                       (name, town, county))
    found = find_school(db, name)
    assert found is not None
    _seed_terms(db, found.id)  # a new school starts with the district's terms
    return found


def _school_has_rows(db, school_id: int) -> bool:
    return any(db.execute_sql(f'SELECT 1 FROM "{t}" WHERE "school_id" = %s LIMIT 1',
                              (school_id,)).fetchone()
               for t in data_tables(db))


def add_client(db, role: str, school: School, password: str) -> None:
    """A login role for ``school``'s clients (its password given once, to the school)."""
    group = client_group(db)
    if not role_exists(db, group):
        db.execute_sql(f'CREATE ROLE "{group}" NOLOGIN')
        grant_clients(db)
    if role_exists(db, role):
        db.execute_sql(f'ALTER ROLE "{role}" LOGIN PASSWORD %s', (password,))
    else:
        db.execute_sql(f'CREATE ROLE "{role}" LOGIN PASSWORD %s', (password,))
    db.execute_sql(f'GRANT "{group}" TO "{role}"')
    db.execute_sql(f'GRANT "{role}" TO CURRENT_USER')  # the owner's roll-up reads as it (as_school)
    db.execute_sql('DELETE FROM "bangfu_client" WHERE role_name = %s', (role,))
    db.execute_sql('INSERT INTO "bangfu_client" (role_name, kind, school_id) '
                   "VALUES (%s, 'school', %s)", (role, school.id))


@contextmanager
def as_school(db, school: School):
    """The owner's connection as ``school``'s role for a while: what it reads is that
    school's rows only (row-level security), as its clients see them."""
    db.execute_sql(f'SET ROLE "{school.roles[0]}"')
    try:
        yield
    finally:
        db.execute_sql("RESET ROLE")


def use_school(db, school: School) -> None:
    """The owner's new rows (in this transaction) go to ``school``."""
    db.execute_sql("SELECT set_config(%s, %s, true)", (SETTING, str(school.id)))


def role_school(db) -> int | None:
    """The school of the connection's role (None: the owner, or not a school's role)."""
    return db.execute_sql("SELECT bangfu_school_of(current_user::text)").fetchone()[0]


def connection_kind(db) -> str:
    """"school" (a school's role), "office" (a town's or a county's: figures only,
    ``db.store.offices``), "owner" (not held by row-level security: the tables'
    owner or a superuser) or "none" (another role: it sees no school)."""
    from db.store import offices

    if role_school(db) is not None:
        return "school"
    if offices.office_of(db) is not None:
        return "office"
    free = db.execute_sql(
        "SELECT r.rolsuper OR r.rolbypassrls OR pg_has_role(current_user, c.relowner, 'USAGE') "
        "FROM pg_roles r, pg_class c WHERE r.rolname = current_user "
        "AND c.oid = 'school'::regclass").fetchone()
    return "owner" if free and free[0] else "none"


def is_office(db) -> bool:
    """True when ``db`` is a district server opened with a town's or a county's role
    (as ``open_server`` found when it checked the role)."""
    return getattr(db, "bangfu_kind", "") == "office"


def school_count(db) -> int:
    return db.execute_sql("SELECT count(*) FROM school").fetchone()[0] if has_schools(db) else 1


def setting_keys() -> tuple[str, ...]:
    """The school settings the district can give a default for (``bangfu_meta`` keys):
    the rules, the review interval, subjects, check-in dimensions, the supervision
    rubric.  Never the school's own state (its key, how the file was made)."""
    from db.scores import DIMENSIONS_KEY, SUBJECTS_KEY
    from db.supervision import RUBRIC_KEY
    from db.workflow import REVIEW_KEY, RULES_KEY

    return (RULES_KEY, REVIEW_KEY, SUBJECTS_KEY, DIMENSIONS_KEY, RUBRIC_KEY)


def district_defaults(db) -> dict[str, str]:
    rows = db.execute_sql(f'SELECT key, value FROM "{META}" WHERE school_id IS NULL').fetchall()
    return {k: v for k, v in rows if k in setting_keys()}


def defaults_from(db, school: School) -> list[str]:
    """The district's defaults become ``school``'s settings (those it has set; the
    others go back to bangfu's own defaults): every school that has not set a
    setting itself follows them; and its terms are what a school added later
    starts with.  The keys copied."""
    keys = setting_keys()
    marks = ", ".join(["%s"] * len(keys))
    db.execute_sql(f'DELETE FROM "{META}" WHERE school_id IS NULL AND key IN ({marks})', keys)
    db.execute_sql(f'INSERT INTO "{META}" (key, value, school_id) SELECT key, value, NULL '
                   f'FROM "{META}" WHERE school_id = %s AND key IN ({marks}) ORDER BY key',
                   (school.id, *keys))
    terms = db.execute_sql('SELECT name, school_year, semester, start_date, end_date FROM "term" '
                           "WHERE school_id = %s ORDER BY start_date", (school.id,)).fetchall()
    db.execute_sql(f'DELETE FROM "{META}" WHERE school_id IS NULL AND key = %s', (TERMS_KEY,))
    db.execute_sql(f'INSERT INTO "{META}" (key, value, school_id) VALUES (%s, %s, NULL)',
                   (TERMS_KEY, json.dumps([[n, y, s, str(a), str(b)] for n, y, s, a, b in terms],
                                          ensure_ascii=False)))
    return sorted(district_defaults(db))


def district_terms(db) -> list[list]:
    """The terms a new school starts with (``defaults_from``): [name, year, semester, start, end]."""
    row = db.execute_sql(f'SELECT value FROM "{META}" WHERE school_id IS NULL AND key = %s',
                         (TERMS_KEY,)).fetchone()
    return json.loads(row[0]) if row else []


def _seed_terms(db, school_id: int) -> None:
    for name, year, semester, start, end in district_terms(db):
        db.execute_sql('INSERT INTO "term" (name, school_year, semester, start_date, end_date, '
                       "school_id) VALUES (%s, %s, %s, %s, %s, %s)",
                       (name, year, semester, start, end, school_id))
