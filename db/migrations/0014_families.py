"""Schema version 14: the programme's work with families as a group (家校共育).

- ``holiday``: a school holiday or a day off (寒假, 暑假, 调休): while one lasts,
  the rules that pause in holidays ask for nothing and the holiday rules apply
  (``db.workflow``).
- ``family_event``: a parent school session, parent meeting, workshop or open
  day: its date, kind, topic, who ran it, the classes invited ("" = the whole
  school) and a short evaluation.
- ``event_attendance``: one family (by its student) at one event: attended or
  not, a 1–5 rating and a note.  An attended family's open case gets the event
  as a family contact (``contact.meeting_id`` = ``event:<event uuid>``).
- ``feedback``: a family's suggestion, complaint or question: when and how it
  came in, who answers it and by when, the answer, and whether it is resolved.
- ``survey`` and ``survey_answer``: a term's satisfaction survey (its questions,
  JSON) and one family's answers (JSON, 1–5 or null per question).
- ``recognition``: a recognition (表彰) of a family, a student or a staff member.

Every row carries a client-made ``uuid`` so a journal replay matches it.
The same tables on SQLite and PostgreSQL; nothing that exists changes.

A frozen copy; never edit it.
"""

from db.migrations import boolean, table_sql


def _table(db, name: str, columns: str) -> None:
    db.execute_sql(table_sql(db, f'CREATE TABLE IF NOT EXISTS "{name}" ('
                                 '"id" INTEGER NOT NULL PRIMARY KEY, '
                                 '"uuid" VARCHAR(255) NOT NULL UNIQUE, ' + columns + ')'))


def up(migrator, db):
    _table(db, "holiday",
           '"name" VARCHAR(255) NOT NULL, '
           '"kind" VARCHAR(255) NOT NULL, '
           '"start_date" DATE NOT NULL, '
           '"end_date" DATE NOT NULL, '
           '"version" INTEGER NOT NULL DEFAULT 1, '
           '"updated_at" DATETIME NOT NULL')
    db.execute_sql('CREATE INDEX IF NOT EXISTS "holiday_dates" ON "holiday" ("start_date")')
    _table(db, "family_event",
           '"held_on" DATE NOT NULL, '
           '"kind" VARCHAR(255) NOT NULL, '
           '"topic" TEXT NOT NULL, '
           '"led_by" VARCHAR(255) NOT NULL DEFAULT \'\', '
           '"classes" TEXT NOT NULL DEFAULT \'\', '
           '"evaluation" TEXT NOT NULL DEFAULT \'\', '
           '"author_id" INTEGER REFERENCES "staff" ("id") ON DELETE SET NULL, '
           '"version" INTEGER NOT NULL DEFAULT 1, '
           '"updated_at" DATETIME NOT NULL')
    db.execute_sql('CREATE INDEX IF NOT EXISTS "family_event_held_on" '
                   'ON "family_event" ("held_on")')
    _table(db, "event_attendance",
           '"event_id" INTEGER NOT NULL REFERENCES "family_event" ("id") ON DELETE CASCADE, '
           '"student_id" INTEGER NOT NULL REFERENCES "student" ("id") ON DELETE CASCADE, '
           f'"attended" {boolean(db, False)}, '
           '"rating" INTEGER, '
           '"note" TEXT NOT NULL DEFAULT \'\', '
           '"author_id" INTEGER REFERENCES "staff" ("id") ON DELETE SET NULL, '
           '"version" INTEGER NOT NULL DEFAULT 1, '
           '"updated_at" DATETIME NOT NULL')
    db.execute_sql('CREATE UNIQUE INDEX IF NOT EXISTS "event_attendance_one" '
                   'ON "event_attendance" ("event_id", "student_id")')
    db.execute_sql('CREATE INDEX IF NOT EXISTS "event_attendance_student" '
                   'ON "event_attendance" ("student_id")')
    _table(db, "feedback",
           '"student_id" INTEGER REFERENCES "student" ("id") ON DELETE CASCADE, '
           '"received_on" DATE NOT NULL, '
           '"channel" VARCHAR(255) NOT NULL, '
           '"kind" VARCHAR(255) NOT NULL, '
           '"text" TEXT NOT NULL, '
           '"owner_id" INTEGER REFERENCES "staff" ("id") ON DELETE SET NULL, '
           '"due_on" DATE, '
           '"answer" TEXT NOT NULL DEFAULT \'\', '
           '"answered_on" DATE, '
           f'"resolved" {boolean(db, False)}, '
           '"author_id" INTEGER REFERENCES "staff" ("id") ON DELETE SET NULL, '
           '"version" INTEGER NOT NULL DEFAULT 1, '
           '"updated_at" DATETIME NOT NULL')
    db.execute_sql('CREATE INDEX IF NOT EXISTS "feedback_owner" '
                   'ON "feedback" ("owner_id", "answered_on")')
    db.execute_sql('CREATE INDEX IF NOT EXISTS "feedback_received" '
                   'ON "feedback" ("received_on")')
    _table(db, "survey",
           '"term_id" INTEGER REFERENCES "term" ("id") ON DELETE SET NULL, '
           '"title" VARCHAR(255) NOT NULL, '
           '"questions" TEXT NOT NULL, '
           '"target" REAL NOT NULL DEFAULT 85, '
           '"taken_on" DATE NOT NULL, '
           '"author_id" INTEGER REFERENCES "staff" ("id") ON DELETE SET NULL, '
           '"version" INTEGER NOT NULL DEFAULT 1, '
           '"updated_at" DATETIME NOT NULL')
    _table(db, "survey_answer",
           '"survey_id" INTEGER NOT NULL REFERENCES "survey" ("id") ON DELETE CASCADE, '
           '"student_id" INTEGER NOT NULL REFERENCES "student" ("id") ON DELETE CASCADE, '
           '"answers" TEXT NOT NULL, '
           '"note" TEXT NOT NULL DEFAULT \'\', '
           '"author_id" INTEGER REFERENCES "staff" ("id") ON DELETE SET NULL, '
           '"version" INTEGER NOT NULL DEFAULT 1, '
           '"updated_at" DATETIME NOT NULL')
    db.execute_sql('CREATE UNIQUE INDEX IF NOT EXISTS "survey_answer_one" '
                   'ON "survey_answer" ("survey_id", "student_id")')
    _table(db, "recognition",
           '"given_on" DATE NOT NULL, '
           '"who" VARCHAR(255) NOT NULL, '
           '"student_id" INTEGER REFERENCES "student" ("id") ON DELETE CASCADE, '
           '"staff_id" INTEGER REFERENCES "staff" ("id") ON DELETE CASCADE, '
           '"what" TEXT NOT NULL, '
           '"given_by" VARCHAR(255) NOT NULL DEFAULT \'\', '
           '"author_id" INTEGER REFERENCES "staff" ("id") ON DELETE SET NULL, '
           '"version" INTEGER NOT NULL DEFAULT 1, '
           '"updated_at" DATETIME NOT NULL')
    db.execute_sql('CREATE INDEX IF NOT EXISTS "recognition_given_on" '
                   'ON "recognition" ("given_on")')
