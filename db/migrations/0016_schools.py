"""Schema version 16: a student's village (属地), and many schools on one server.

- ``student.village``: the village or community (村, 社区) the student lives in,
  read from the address (``db.villages``) or set by hand; "" when unknown.
  The town's figures group by it (多对一 help organised by the village).

On PostgreSQL the database can hold many schools (``db.schools``): the
server part of this script is ``db.store.district.install`` (a school table,
``school_id`` on every row, each table's keys within its school, row-level
security keyed on the client's role, the audit log append-only for clients).
A file stays one school: on SQLite nothing else changes.

Row-preserving (``bangfu check``): a new column, filled with "" (the village is
read from the address when the student is next saved or by ``bangfu villages``).

A frozen copy; never edit it.
"""

from db.migrations import on_server


def up(migrator, db):
    db.execute_sql('ALTER TABLE "student" ADD COLUMN "village" VARCHAR(255) NOT NULL DEFAULT \'\'')
    if on_server(db):
        from db.store.district import install

        install(db)
