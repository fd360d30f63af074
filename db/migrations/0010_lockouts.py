"""Schema version 10: a lockout lasts longer each time.

- ``staff.lockouts``: how many times the account was locked since its last
  good sign-in (0 for every account there is).  Each lockout lasts longer
  than the one before (``db.accounts.LOCK_STEPS``), and after one a single
  wrong PIN locks it again; a good sign-in or a new PIN sets it back to 0.

The same column on SQLite and PostgreSQL; existing rows keep everything they hold.

A frozen copy; never edit it.
"""


def up(migrator, db):
    db.execute_sql('ALTER TABLE "staff" ADD COLUMN "lockouts" INTEGER NOT NULL DEFAULT 0')
