"""Schema version 15: the programme's oversight (督导, 转介, 转化).

- ``organisation``: a body outside the school the programme works with: a
  counselling centre, a hospital, 民政 (低保, 临时救助), 妇联, the police, a
  volunteer group, a village committee.  The school keeps the list.
- ``referral``: a case sent on to an organisation (转介): why, the guardian's
  consent, when, its status (sent, accepted, seen, closed), the outcome and the
  next follow-up.  Read like a restricted entry (``db.access``).
- ``outside_helper``: a person without an account on a case's team (a village
  cadre, a volunteer), with their organisation (多对一).
- ``transformation``: a case proposed as transformed (转化), with its evidence
  (JSON, as shown when proposed), the reason, and a coordinator's decision.
- ``supervision_note``: a coordinator's note and adjustment to one helper's
  supervision score (督导赋分) for one month.
- ``correction``: a correction item (整改) for a helper named in a month's
  notice (通报): what, by when, and when it was done.

Every row carries a client-made ``uuid`` so a journal replay matches it.
The same tables on SQLite and PostgreSQL; nothing that exists changes.

A frozen copy; never edit it.
"""

from db.migrations import boolean, table_sql


def _table(db, name: str, columns: str) -> None:
    db.execute_sql(table_sql(db, f'CREATE TABLE IF NOT EXISTS "{name}" ('
                                 '"id" INTEGER NOT NULL PRIMARY KEY, '
                                 '"uuid" VARCHAR(255) NOT NULL UNIQUE, ' + columns + ', '
                                 '"version" INTEGER NOT NULL DEFAULT 1, '
                                 '"updated_at" DATETIME NOT NULL)'))


def up(migrator, db):
    _table(db, "organisation",
           '"name" VARCHAR(255) NOT NULL, '
           '"kind" VARCHAR(255) NOT NULL, '
           '"phone" VARCHAR(255) NOT NULL DEFAULT \'\', '
           '"note" TEXT NOT NULL DEFAULT \'\', '
           f'"active" {boolean(db, True)}')
    _table(db, "referral",
           '"case_id" INTEGER NOT NULL REFERENCES "case_file" ("id") ON DELETE CASCADE, '
           '"organisation_id" INTEGER REFERENCES "organisation" ("id") ON DELETE SET NULL, '
           '"reason" TEXT NOT NULL, '
           '"consent" VARCHAR(255) NOT NULL DEFAULT \'\', '
           '"sent_on" DATE NOT NULL, '
           '"status" VARCHAR(255) NOT NULL, '
           '"outcome" TEXT NOT NULL DEFAULT \'\', '
           '"follow_up_on" DATE, '
           '"author_id" INTEGER REFERENCES "staff" ("id") ON DELETE SET NULL')
    db.execute_sql('CREATE INDEX IF NOT EXISTS "referral_case" ON "referral" ("case_id")')
    db.execute_sql('CREATE INDEX IF NOT EXISTS "referral_follow_up" '
                   'ON "referral" ("follow_up_on", "status")')
    _table(db, "outside_helper",
           '"case_id" INTEGER NOT NULL REFERENCES "case_file" ("id") ON DELETE CASCADE, '
           '"name" VARCHAR(255) NOT NULL, '
           '"organisation_id" INTEGER REFERENCES "organisation" ("id") ON DELETE SET NULL, '
           '"role" VARCHAR(255) NOT NULL DEFAULT \'\', '
           '"phone" VARCHAR(255) NOT NULL DEFAULT \'\', '
           '"since" DATE, '
           f'"active" {boolean(db, True)}')
    db.execute_sql('CREATE INDEX IF NOT EXISTS "outside_helper_case" '
                   'ON "outside_helper" ("case_id")')
    _table(db, "transformation",
           '"case_id" INTEGER NOT NULL REFERENCES "case_file" ("id") ON DELETE CASCADE, '
           '"proposed_by_id" INTEGER REFERENCES "staff" ("id") ON DELETE SET NULL, '
           '"proposed_on" DATE NOT NULL, '
           '"reason" TEXT NOT NULL, '
           '"evidence" TEXT NOT NULL DEFAULT \'\', '
           '"status" VARCHAR(255) NOT NULL, '
           '"decided_by_id" INTEGER REFERENCES "staff" ("id") ON DELETE SET NULL, '
           '"decided_on" DATE, '
           '"decision_note" TEXT NOT NULL DEFAULT \'\'')
    db.execute_sql('CREATE INDEX IF NOT EXISTS "transformation_case" '
                   'ON "transformation" ("case_id", "status")')
    _table(db, "supervision_note",
           '"staff_id" INTEGER NOT NULL REFERENCES "staff" ("id") ON DELETE CASCADE, '
           '"month" VARCHAR(255) NOT NULL, '
           '"adjustment" INTEGER NOT NULL DEFAULT 0, '
           '"note" TEXT NOT NULL DEFAULT \'\', '
           '"author_id" INTEGER REFERENCES "staff" ("id") ON DELETE SET NULL')
    db.execute_sql('CREATE UNIQUE INDEX IF NOT EXISTS "supervision_note_one" '
                   'ON "supervision_note" ("staff_id", "month")')
    _table(db, "correction",
           '"staff_id" INTEGER NOT NULL REFERENCES "staff" ("id") ON DELETE CASCADE, '
           '"month" VARCHAR(255) NOT NULL, '
           '"what" TEXT NOT NULL, '
           '"due_on" DATE NOT NULL, '
           '"issued_by_id" INTEGER REFERENCES "staff" ("id") ON DELETE SET NULL, '
           '"issued_on" DATE NOT NULL, '
           '"done_on" DATE, '
           '"done_note" TEXT NOT NULL DEFAULT \'\'')
    db.execute_sql('CREATE INDEX IF NOT EXISTS "correction_open" '
                   'ON "correction" ("staff_id", "done_on")')
