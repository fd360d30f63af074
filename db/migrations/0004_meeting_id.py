"""Schema version 4: entries written together in meeting mode share a meeting id.

``contact.meeting_id`` (the meeting form's UUID; NULL for an ordinary entry),
indexed so a meeting's entries can be found together.
"""
from peewee import CharField


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("contact", "meeting_id", CharField(null=True)),
        migrator.add_index("contact", ("meeting_id",)),
    )
