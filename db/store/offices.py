"""Offices above the schools on a district server: a town's special group (镇专项小组)
and a county's programme office see the schools' figures, never their records.

Installed with the schools (``db.store.district.install``, schema 16).

- ``district_figures``: each school's roll-up figures for one period (a week or
  a half-month: ``db.rollup``), counts only, as ``db.rollup_rows`` writes them
  (JSON of its key/value rows).  Written by the owner (``publish``: ``bangfu
  district publish``, e.g. hourly from cron), each school counted as its own
  role sees it.
- An office's role (``bangfu_client`` kind "town" or "county", with its town
  or county) may read ``district_figures`` and ``school`` for the schools of
  its town or county, and NOTHING else: no student, staff, case, entry or
  family table is granted to it, so no name or text can reach it, whatever
  SQL it sends.
- A case a school shares with an office (``case_share``, ``db.case_share``):
  the office lists and opens it through two functions only
  (``bangfu_shared_cases``, ``bangfu_open_shared``), which show the student,
  the class, the status and the entries that are not restricted, and log every
  opening (``office_read``, which the school reads).  A share taken back opens
  nothing.
"""

from __future__ import annotations

import datetime as dt
import json

FIGURES = "district_figures"
SEES = "bangfu_office_sees(\"{column}\", current_user::text)"

_SEES_FUNCTION = (
    # a school in the office's town (in its county, when the office names one) or county
    "CREATE OR REPLACE FUNCTION bangfu_office_sees(school integer, who text) RETURNS boolean "
    "LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$ "
    "SELECT EXISTS (SELECT 1 FROM bangfu_client c JOIN school s ON s.id = school "
    "WHERE c.role_name = who AND ((c.kind = 'town' AND c.town <> '' AND s.town = c.town "
    "AND (c.county = '' OR s.county = c.county)) "
    "OR (c.kind = 'county' AND c.county <> '' AND s.county = c.county))) $$")

_OFFICE_OF = (
    "CREATE OR REPLACE FUNCTION bangfu_office_of(who text) RETURNS text "
    "LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$ "
    "SELECT kind || chr(31) || town || chr(31) || county FROM bangfu_client "
    "WHERE role_name = who AND kind IN ('town', 'county') $$")


def install(db) -> None:
    db.execute_sql(
        f'CREATE TABLE IF NOT EXISTS "{FIGURES}" ('
        '"school_id" INTEGER NOT NULL REFERENCES "school" ("id") ON DELETE CASCADE, '
        '"period" VARCHAR NOT NULL, "start" DATE NOT NULL, "version" INTEGER NOT NULL, '
        '"made_at" TIMESTAMP NOT NULL, "figures" TEXT NOT NULL, '
        'PRIMARY KEY ("school_id", "period", "start"))')
    db.execute_sql(_SEES_FUNCTION)
    db.execute_sql(_OFFICE_OF)
    db.execute_sql(f'ALTER TABLE "{FIGURES}" ENABLE ROW LEVEL SECURITY')
    db.execute_sql(f'DROP POLICY IF EXISTS "seen" ON "{FIGURES}"')
    own = "(SELECT bangfu_school_of(current_user::text))"
    db.execute_sql(f'CREATE POLICY "seen" ON "{FIGURES}" FOR SELECT USING ("school_id" = {own} '
                   f'OR {SEES.format(column="school_id")})')
    db.execute_sql('DROP POLICY IF EXISTS "office" ON "school"')
    db.execute_sql(f'CREATE POLICY "office" ON "school" FOR SELECT USING ({SEES.format(column="id")})')


def office_group(db) -> str:
    from db.store.district import client_group

    return client_group(db).removesuffix("_clients") + "_offices"


def grant_offices(db) -> None:
    """An office reads its schools' names and figures: nothing else is granted."""
    from db.store.district import role_exists

    group = office_group(db)
    if not role_exists(db, group):
        return
    db.execute_sql(f'GRANT CONNECT ON DATABASE "{db.database}" TO "{group}"')
    db.execute_sql(f'GRANT USAGE ON SCHEMA public TO "{group}"')
    db.execute_sql(f'GRANT SELECT ON "school", "{FIGURES}", "schema_migration" TO "{group}"')
    from db.store.district import client_group

    grant_shares(db, client_group(db), group)


def add_office(db, role: str, kind: str, place: str, county: str, password: str) -> None:
    """A login role for a town's (``kind`` "town", ``place`` the town, ``county``
    optional) or a county's office (``place`` the county)."""
    from db.store.district import role_exists

    if kind not in ("town", "county"):
        raise ValueError(kind)
    group = office_group(db)
    if not role_exists(db, group):
        db.execute_sql(f'CREATE ROLE "{group}" NOLOGIN')
        grant_offices(db)
    verb = "ALTER" if role_exists(db, role) else "CREATE"
    db.execute_sql(f'{verb} ROLE "{role}" LOGIN PASSWORD %s', (password,))
    db.execute_sql(f'GRANT "{group}" TO "{role}"')
    db.execute_sql('DELETE FROM "bangfu_client" WHERE role_name = %s', (role,))
    town, county = (place, county) if kind == "town" else ("", place)
    db.execute_sql('INSERT INTO "bangfu_client" (role_name, kind, town, county) '
                   "VALUES (%s, %s, %s, %s)", (role, kind, town, county))


def office_of(db) -> tuple[str, str, str] | None:
    """``(kind, town, county)`` of the connection's office role, else None."""
    row = db.execute_sql("SELECT bangfu_office_of(current_user::text)").fetchone()
    if not row or not row[0]:
        return None
    kind, town, county = row[0].split("\x1f")
    return kind, town, county


def publish(db, school_id: int, period: str, start: dt.date, version: int,
            made_at: dt.datetime, rows: list) -> None:
    """A school's figures for a period, replacing what was published for it."""
    db.execute_sql(f'DELETE FROM "{FIGURES}" WHERE school_id = %s AND period = %s AND start = %s',
                   (school_id, period, start))
    db.execute_sql(f'INSERT INTO "{FIGURES}" (school_id, period, start, version, made_at, '
                   "figures) VALUES (%s, %s, %s, %s, %s, %s)",
                   (school_id, period, start, version, made_at,
                    json.dumps(rows, ensure_ascii=False, default=str)))


def published(db, period: str, start: dt.date) -> list[tuple[str, str]]:
    """``(school name, figures JSON)`` of the period, for the schools the
    connection may see (row-level security), by school name."""
    return db.execute_sql(
        f'SELECT s.name, f.figures FROM "{FIGURES}" f JOIN "school" s ON s.id = f.school_id '
        "WHERE f.period = %s AND f.start = %s ORDER BY s.name", (period, start)).fetchall()


# -- a case shared with an office (explicitly, by the school; every opening logged) -------
SHARES = "case_share"
READS = "office_read"

_SHARE_TABLES = [
    f'CREATE TABLE IF NOT EXISTS "{SHARES}" ('
    '"id" SERIAL NOT NULL PRIMARY KEY, '
    '"school_id" INTEGER NOT NULL DEFAULT bangfu_row_school() REFERENCES "school" ("id") '
    'ON DELETE CASCADE, "case_id" INTEGER NOT NULL, "role_name" VARCHAR NOT NULL, '
    '"reason" TEXT NOT NULL, "shared_by" VARCHAR NOT NULL DEFAULT \'\', '
    '"shared_at" TIMESTAMP NOT NULL, "revoked_at" TIMESTAMP, '
    'FOREIGN KEY ("case_id", "school_id") REFERENCES "case_file" ("id", "school_id") '
    "ON DELETE CASCADE)",
    f'CREATE TABLE IF NOT EXISTS "{READS}" ('
    '"id" SERIAL NOT NULL PRIMARY KEY, "school_id" INTEGER NOT NULL, '
    '"case_id" INTEGER NOT NULL, "role_name" VARCHAR NOT NULL, '
    '"at" TIMESTAMP NOT NULL DEFAULT LOCALTIMESTAMP(0))',
]

# what an office may open: the shared case's student, class, status and its
# entries that are not restricted, the latest 30; the opening is logged first
_OPEN_SHARED = (
    "CREATE OR REPLACE FUNCTION bangfu_open_shared(school integer, shared_case integer) "
    "RETURNS text LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public AS $$ "
    "DECLARE found text; BEGIN "
    f'IF NOT EXISTS (SELECT 1 FROM "{SHARES}" WHERE school_id = school AND case_id = shared_case '
    "AND role_name = session_user AND revoked_at IS NULL) THEN RETURN NULL; END IF; "
    f'INSERT INTO "{READS}" (school_id, case_id, role_name) VALUES (school, shared_case, '
    "session_user); "
    "SELECT json_build_object('school', sc.name, 'student', s.name, "
    "'class', COALESCE(k.name, ''), 'status', c.status, 'opened_on', c.opened_on, "
    "'main_problems', CASE WHEN position('main_problems' IN c.restricted_fields) > 0 THEN '' "
    "ELSE c.main_problems END, "
    "'measures', CASE WHEN position('measures' IN c.restricted_fields) > 0 THEN '' "
    "ELSE c.measures END, "
    "'entries', COALESCE((SELECT json_agg(json_build_object('at', e.occurred_at, 'kind', e.kind, "
    "'channel', e.channel, 'discussed', e.discussed, 'agreed', e.agreed) "
    "ORDER BY e.occurred_at DESC) FROM (SELECT * FROM contact WHERE case_id = c.id "
    "AND school_id = c.school_id AND restricted = '' ORDER BY occurred_at DESC LIMIT 30) e), "
    "'[]'::json))::text INTO found "
    "FROM case_file c JOIN student s ON s.id = c.student_id AND s.school_id = c.school_id "
    "JOIN school sc ON sc.id = c.school_id "
    "LEFT JOIN school_class k ON k.id = s.school_class_id AND k.school_id = s.school_id "
    "WHERE c.id = shared_case AND c.school_id = school; RETURN found; END $$")

_SHARED_LIST = (
    "CREATE OR REPLACE FUNCTION bangfu_shared_cases() RETURNS TABLE (school_id integer, "
    "school text, case_id integer, reason text, shared_at timestamp) LANGUAGE sql STABLE "
    "SECURITY DEFINER SET search_path = public AS $$ "
    f'SELECT h.school_id, sc.name::text, h.case_id, h.reason, h.shared_at FROM "{SHARES}" h '
    "JOIN school sc ON sc.id = h.school_id WHERE h.role_name = session_user "
    "AND h.revoked_at IS NULL ORDER BY h.shared_at DESC $$")


def install_shares(db) -> None:
    for sql in _SHARE_TABLES:
        db.execute_sql(sql)
    own = "(SELECT bangfu_school_of(current_user::text))"
    for table in (SHARES, READS):
        db.execute_sql(f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY')
        db.execute_sql(f'DROP POLICY IF EXISTS "own_school" ON "{table}"')
        db.execute_sql(f'CREATE POLICY "own_school" ON "{table}" USING ("school_id" = {own}) '
                       f'WITH CHECK ("school_id" = {own})')
    db.execute_sql(_OPEN_SHARED)
    db.execute_sql(_SHARED_LIST)
    for fn in ("bangfu_open_shared(integer, integer)", "bangfu_shared_cases()"):
        db.execute_sql(f"REVOKE ALL ON FUNCTION {fn} FROM PUBLIC")


def grant_shares(db, clients: str, offices_group: str) -> None:
    """A school shares and takes back (its own rows) and reads who opened them; an
    office lists and opens what was shared with it, through the two functions only."""
    from db.store.district import role_exists

    if role_exists(db, clients):
        db.execute_sql(f'GRANT SELECT, INSERT, UPDATE ON "{SHARES}" TO "{clients}"')
        db.execute_sql(f'GRANT SELECT ON "{READS}" TO "{clients}"')
        db.execute_sql(f'GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO "{clients}"')
    if role_exists(db, offices_group):
        for fn in ("bangfu_open_shared(integer, integer)", "bangfu_shared_cases()"):
            db.execute_sql(f'GRANT EXECUTE ON FUNCTION {fn} TO "{offices_group}"')


def shared_cases(db) -> list[tuple]:
    """An office's shared cases: ``(school_id, school, case_id, reason, shared_at)``."""
    return db.execute_sql("SELECT * FROM bangfu_shared_cases()").fetchall()


def open_shared(db, school_id: int, case_id: int) -> dict | None:
    """The shared case as an office may see it (its opening logged); None if not shared."""
    row = db.execute_sql("SELECT bangfu_open_shared(%s, %s)", (school_id, case_id)).fetchone()
    return json.loads(row[0]) if row and row[0] else None
