"""Schema version 8: a school's own roster (import, intake) and a case's history.

- ``student.address`` (现住址), ``student.phone`` (the family's contact number
  in the registry, 联系电话) and ``student.id_number`` (身份证件号: only when a
  school maps it explicitly on import; never shown in full).
- ``guardian.works_away``: the parent works away from home (外出务工).
- ``case_event``: a case opened, closed, reopened or transferred (to another
  class or school), on a date, with its reason and who did it.
- An index on ``student.name`` for spotting a probable duplicate on import.

A frozen copy; never edit it.
"""

from db.migrations import boolean, table_sql


def up(migrator, db):
    for table, column, sql in (
            ("student", "address", "TEXT NOT NULL DEFAULT ''"),
            ("student", "phone", "VARCHAR(255) NOT NULL DEFAULT ''"),
            ("student", "id_number", "VARCHAR(255) NOT NULL DEFAULT ''"),
            ("guardian", "works_away", boolean(db, False))):
        db.execute_sql(f'ALTER TABLE "{table}" ADD COLUMN "{column}" {sql}')
    db.execute_sql(table_sql(
        db, 'CREATE TABLE IF NOT EXISTS "case_event" ('
        '"id" INTEGER NOT NULL PRIMARY KEY, '
        '"case_id" INTEGER NOT NULL REFERENCES "case_file" ("id") ON DELETE CASCADE, '
        '"kind" VARCHAR(255) NOT NULL, '
        '"happened_on" DATE NOT NULL, '
        '"reason" TEXT NOT NULL DEFAULT \'\', '
        '"detail" VARCHAR(255) NOT NULL DEFAULT \'\', '
        '"staff_id" INTEGER REFERENCES "staff" ("id") ON DELETE SET NULL, '
        '"created_at" DATETIME NOT NULL)'))
    db.execute_sql('CREATE INDEX IF NOT EXISTS "case_event_case" ON "case_event" ("case_id")')
    db.execute_sql('CREATE INDEX IF NOT EXISTS "student_name" ON "student" ("name")')
