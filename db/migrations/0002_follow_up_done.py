"""Schema version 2: follow-ups can be marked done; timeline index.

Adds ``contact.follow_up_done_on`` and an index on (case, occurred_at) so a
case's timeline reads without a scan.
"""
from peewee import DateField


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("contact", "follow_up_done_on", DateField(null=True)),
        migrator.add_index("contact", ("case_id", "occurred_at")),
    )
