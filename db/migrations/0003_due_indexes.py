"""Schema version 3: indexes for the due lists (My caseload, leaders' overview).

- (case, kind, channel, occurred_at) answers "the newest entry of each kind for
  these cases" from the index alone, without reading the entries' text;
- open follow-ups only (a partial index): the due list reads a handful of rows,
  not every entry ever written.
"""


def up(migrator, db):
    db.execute_sql('CREATE INDEX IF NOT EXISTS "contact_case_kind_channel_at" '
                   'ON "contact" ("case_id", "kind", "channel", "occurred_at")')
    db.execute_sql('CREATE INDEX IF NOT EXISTS "contact_open_follow_up" '
                   'ON "contact" ("follow_up_due", "case_id") '
                   'WHERE "follow_up_done_on" IS NULL AND "follow_up_due" IS NOT NULL')
