"""Schema version 5: stage reviews (阶段评估) and peer helpers (生帮生).

- ``stage_review``: a dated review of a case's plan, with a summary, the
  goals' status as they were judged (JSON), and when the next review is due;
  ``uuid`` is made at the client so a retried save never duplicates it.
- ``goal.review_id``: the review that set a goal as the next stage's goal.
- ``peer_pair``: a student paired with the supported student, with a subject
  or focus; ended pairs stay (inactive) for the record.

A frozen copy; never edit it.
"""
from peewee import *

from db.migrations import boolean, table_sql


def up(migrator, db):
    db.execute_sql(table_sql(
        db, 'CREATE TABLE IF NOT EXISTS "stage_review" ('
        '"id" INTEGER NOT NULL PRIMARY KEY, '
        '"uuid" VARCHAR(255) NOT NULL, '
        '"case_id" INTEGER NOT NULL REFERENCES "case_file" ("id") ON DELETE CASCADE, '
        '"review_date" DATE NOT NULL, '
        '"summary" TEXT NOT NULL, '
        '"goals" TEXT NOT NULL, '
        '"next_review" DATE, '
        '"author_id" INTEGER NOT NULL REFERENCES "staff" ("id") ON DELETE RESTRICT, '
        '"created_at" DATETIME NOT NULL)'))
    db.execute_sql('CREATE UNIQUE INDEX IF NOT EXISTS "stage_review_uuid" ON "stage_review" ("uuid")')
    db.execute_sql('CREATE INDEX IF NOT EXISTS "stage_review_case_date" '
                   'ON "stage_review" ("case_id", "review_date")')
    db.execute_sql(table_sql(
        db, 'CREATE TABLE IF NOT EXISTS "peer_pair" ('
        '"id" INTEGER NOT NULL PRIMARY KEY, '
        '"case_id" INTEGER NOT NULL REFERENCES "case_file" ("id") ON DELETE CASCADE, '
        '"helper_id" INTEGER NOT NULL REFERENCES "student" ("id") ON DELETE CASCADE, '
        '"focus" VARCHAR(255) NOT NULL DEFAULT \'\', '
        '"since" DATE, '
        '"active" ' + boolean(db, True) + ')'))
    db.execute_sql('CREATE INDEX IF NOT EXISTS "peer_pair_case" ON "peer_pair" ("case_id")')
    db.execute_sql('CREATE INDEX IF NOT EXISTS "peer_pair_helper" ON "peer_pair" ("helper_id")')
    migrator.migrate(
        migrator.add_column("goal", "review_id",
                            IntegerField(null=True)),
    )
