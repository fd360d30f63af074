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
