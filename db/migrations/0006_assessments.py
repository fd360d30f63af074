"""Schema version 6: test scores and psychological check-ins (阶段评估 results).

- ``score``: one student's score in one subject of one exam on one date, with
  the exam's full marks (so exams marked out of 120 and 150 compare as a share).
  One row per (student, exam, subject, date): entering the class grid again
  corrects the score, never duplicates it.
- ``checkin``: a psychological check-in, a 1–5 rating per dimension the school
  configures (JSON) and a note; one per student and date.

Both carry a client-made ``uuid`` so a journal replay matches them.
A frozen copy; never edit it.
"""

from db.migrations import table_sql


def up(migrator, db):
    db.execute_sql(table_sql(
        db, 'CREATE TABLE IF NOT EXISTS "score" ('
        '"id" INTEGER NOT NULL PRIMARY KEY, '
        '"uuid" VARCHAR(255) NOT NULL, '
        '"student_id" INTEGER NOT NULL REFERENCES "student" ("id") ON DELETE CASCADE, '
        '"exam" VARCHAR(255) NOT NULL, '
        '"subject" VARCHAR(255) NOT NULL, '
        '"taken_on" DATE NOT NULL, '
        '"score" REAL NOT NULL, '
        '"full_marks" REAL NOT NULL, '
        '"author_id" INTEGER REFERENCES "staff" ("id") ON DELETE SET NULL, '
        '"version" INTEGER NOT NULL DEFAULT 1, '
        '"updated_at" DATETIME NOT NULL)'))
    db.execute_sql('CREATE UNIQUE INDEX IF NOT EXISTS "score_uuid" ON "score" ("uuid")')
    db.execute_sql('CREATE UNIQUE INDEX IF NOT EXISTS "score_one" '
                   'ON "score" ("student_id", "exam", "subject", "taken_on")')
    db.execute_sql('CREATE INDEX IF NOT EXISTS "score_date" ON "score" ("taken_on")')
    db.execute_sql(table_sql(
        db, 'CREATE TABLE IF NOT EXISTS "checkin" ('
        '"id" INTEGER NOT NULL PRIMARY KEY, '
        '"uuid" VARCHAR(255) NOT NULL, '
        '"student_id" INTEGER NOT NULL REFERENCES "student" ("id") ON DELETE CASCADE, '
        '"taken_on" DATE NOT NULL, '
        '"ratings" TEXT NOT NULL, '
        '"note" TEXT NOT NULL DEFAULT \'\', '
        '"author_id" INTEGER REFERENCES "staff" ("id") ON DELETE SET NULL, '
        '"version" INTEGER NOT NULL DEFAULT 1, '
        '"updated_at" DATETIME NOT NULL)'))
    db.execute_sql('CREATE UNIQUE INDEX IF NOT EXISTS "checkin_uuid" ON "checkin" ("uuid")')
    db.execute_sql('CREATE UNIQUE INDEX IF NOT EXISTS "checkin_one" '
                   'ON "checkin" ("student_id", "taken_on")')
