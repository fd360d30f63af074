"""Schema version 7: PINs, what each person may see, restricted entries, a fixed audit log.

- ``staff.pin_hash``: the PIN as a salted scrypt hash (``scrypt$n$r$p$salt$hash``,
  "" when none is set yet); ``pin_failures`` counts wrong tries in a row and
  ``locked_until`` stops sign-in for a few minutes after the fifth.
- ``staff.classes``: the class codes a teacher teaches (comma list), which widen
  what they may see beyond their assigned cases.
- ``contact.restricted``: "" or why an entry is confidential (counselling,
  family_conflict, referral); ``case_file.restricted_fields``: the case-file
  fields marked confidential (comma list).
- The audit log cannot be changed or emptied: triggers refuse UPDATE and DELETE.

A frozen copy; never edit it.
"""

from db.migrations import on_server


def up(migrator, db):
    for table, column, sql in (
            ("staff", "pin_hash", "VARCHAR(255) NOT NULL DEFAULT ''"),
            ("staff", "pin_failures", "INTEGER NOT NULL DEFAULT 0"),
            ("staff", "locked_until", "TIMESTAMP" if on_server(db) else "DATETIME"),
            ("staff", "classes", "VARCHAR(255) NOT NULL DEFAULT ''"),
            ("contact", "restricted", "VARCHAR(255) NOT NULL DEFAULT ''"),
            ("case_file", "restricted_fields", "VARCHAR(255) NOT NULL DEFAULT ''")):
        db.execute_sql(f'ALTER TABLE "{table}" ADD COLUMN "{column}" {sql}')
    db.execute_sql('CREATE INDEX IF NOT EXISTS "audit_log_at" ON "audit_log" ("at")')
    db.execute_sql('CREATE INDEX IF NOT EXISTS "audit_log_table_row" '
                   'ON "audit_log" ("table_name", "row_id")')
    if on_server(db):  # the same refusal in the server's words, emptying included
        db.execute_sql(
            "CREATE OR REPLACE FUNCTION bangfu_audit_log_fixed() RETURNS trigger "
            "LANGUAGE plpgsql AS $$ BEGIN "
            "RAISE EXCEPTION 'the audit log cannot be changed'; END $$")
        for what, each in (("UPDATE", "ROW"), ("DELETE", "ROW"), ("TRUNCATE", "STATEMENT")):
            db.execute_sql(
                f'CREATE TRIGGER "audit_log_no_{what.lower()}" BEFORE {what} ON "audit_log" '
                f"FOR EACH {each} EXECUTE FUNCTION bangfu_audit_log_fixed()")
        return
    for what in ("UPDATE", "DELETE"):
        db.execute_sql(
            f'CREATE TRIGGER IF NOT EXISTS "audit_log_no_{what.lower()}" BEFORE {what} '
            f'ON "audit_log" BEGIN SELECT RAISE(ABORT, \'the audit log cannot be changed\'); END')
