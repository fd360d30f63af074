"""Schema version 12: the keys that seal restricted text (``db.keys``, ``db.crypto``).

- ``staff_key``: one per person: their public key, and their private key
  wrapped under a key derived from their PIN (so only their PIN opens it);
  ``strong`` says whether that PIN was strong enough to be given the school's key.
- ``school_key``: the school's private key, sealed for each person who may read
  restricted text (``holder`` = ``staff:<id>``) and wrapped under the school's
  recovery code (``holder`` = ``recovery``).  The school's public key is the
  setting ``school_public_key`` (``bangfu_meta``).

Restricted entries' texts and confidential case-file fields are then stored
sealed (``enc1:…``) in their own columns; existing rows keep everything they
hold until an administrator seals them (``bangfu keys setup``).

A frozen copy; never edit it.
"""

from db.migrations import boolean, table_sql


def up(migrator, db):
    db.execute_sql(table_sql(db, (
        'CREATE TABLE IF NOT EXISTS "staff_key" ('
        '"id" INTEGER NOT NULL PRIMARY KEY, '
        '"staff_id" INTEGER NOT NULL UNIQUE REFERENCES "staff" ("id") ON DELETE CASCADE, '
        '"public_key" TEXT NOT NULL, '
        '"private_wrapped" TEXT NOT NULL, '
        f'"strong" {boolean(db, False)}, '
        '"updated_at" DATETIME NOT NULL)')))
    db.execute_sql(table_sql(db, (
        'CREATE TABLE IF NOT EXISTS "school_key" ('
        '"id" INTEGER NOT NULL PRIMARY KEY, '
        '"holder" VARCHAR(40) NOT NULL UNIQUE, '
        '"sealed" TEXT NOT NULL, '
        '"created_at" DATETIME NOT NULL)')))
