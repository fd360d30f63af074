"""Schema version 9: a version number on every entry.

- ``contact.version``: 1 for every entry there is; each amendment adds one, and
  an amendment made from an older version is refused (``db.contacts.amend_contact``),
  as a case file's edit is.  Who saved last, and when, is in the audit log.

The same column on SQLite and PostgreSQL; existing rows keep everything they hold.

A frozen copy; never edit it.
"""


def up(migrator, db):
    db.execute_sql('ALTER TABLE "contact" ADD COLUMN "version" INTEGER NOT NULL DEFAULT 1')
