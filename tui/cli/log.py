"""``bangfu log``: a contact entry from the command line.

Written as the entry form would write it; when the file stays locked past
every retry (or the server is out of reach), the entry waits in this
computer's outbox instead of being lost (exit 75).  No Textual here."""

from __future__ import annotations

import sys

from tui import i18n
from tui.cli.common import CliError, find_student, safe, signed_in
from tui.i18n import t


def cmd_log(args, settings) -> int:
    from peewee import OperationalError

    from db.store.connection import DatabaseError, is_busy_error, open_database, with_retry
    from db.contacts import CaseGone, ContactInput, ContactValidationError, save_contact, validate

    locked = None  # the file stayed locked past every retry: read it as it is, queue the entry
    try:
        open_database(settings.db_path, locking=settings.locking)
        actor = signed_in(settings, args, lock_held_ok=True)
        # every read on the way waits for a busy file as the save does
        row = with_retry(lambda: find_student(args.student, actor))
    except (DatabaseError, OperationalError) as exc:
        busy = is_busy_error(exc.detail if isinstance(exc, DatabaseError) else exc)
        if settings.on_server or not busy or getattr(exc, "code", "unreadable") != "unreadable":
            if isinstance(exc, DatabaseError):
                raise CliError(i18n.database_error(exc.code, exc.path, safe(exc.detail),
                                                   settings), 3) from None
            raise
        locked = exc if isinstance(exc, OperationalError) else OperationalError(exc.detail)
        actor, row = _read_locked_file(settings, args)
    locked = locked or getattr(args, "held_lock", None)  # (a server's, at sign-in)
    if row.case_id is None:
        raise CliError(t("cli.no_case", name=safe(row.name), number=row.student_no))
    data = ContactInput(
        case_id=row.case_id, date=args.date, time=args.time, kind=args.kind,
        channel=args.channel, participants=args.participants, duration=args.duration,
        discussed=args.text, agreed=args.agreed, follow_up=args.follow_up,
        follow_up_due=args.follow_up_due, uuid=args.uuid, restricted=args.restricted)
    try:
        entry = validate(data)
    except ContactValidationError as exc:
        field, key = next(iter(exc.errors.items()))
        raise CliError(t("cli.invalid", field=t(f"cli.field.{field}"), message=t(key))) from None
    from db.store.connection import is_unreachable

    try:
        if locked is not None:
            raise locked  # straight to the outbox: nothing can be written now
        save_contact(actor, entry)
    except CaseGone:
        raise CliError(t("cli.no_case", name=safe(row.name), number=row.student_no)) from None
    except Exception as exc:
        if not is_unreachable(exc):
            raise
        from db.outbox import queue_contact

        kind, message = i18n.queued_message(exc, entry.uuid)  # busy, disk full, lost, unknown …
        queue_contact(settings.db_path, actor, entry, kind)
        print(entry.uuid)
        print(f"bangfu: {message}", file=sys.stderr)
        return 75  # EX_TEMPFAIL: kept locally, written later
    print(entry.uuid)
    return 0


def _read_locked_file(settings, args):
    """Who logs, and for which student, read from the file as it is (read-only,
    without its lock: ``db.store.connection.open_snapshot``) when the lock stayed
    taken past every retry (a crashed client's, or an import far longer than a
    save): the PIN is checked there (not counted: nothing can be written), and
    the entry then waits in the outbox instead of being lost."""
    from db.store.connection import DatabaseError, close_database, open_snapshot

    close_database()
    try:
        open_snapshot(settings.db_path)
    except DatabaseError as exc:
        raise CliError(i18n.database_error("unreadable", exc.path, safe(exc.detail), settings),
                       75) from None
    actor = signed_in(settings, args, readonly=True)
    return actor, find_student(args.student, actor)
