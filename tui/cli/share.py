"""``bangfu`` commands that look after the file on the share.

backup, unlock, recover, set-locking and outbox (check and doctor:
``tui.cli.check``): plain text on stdout, a one-line reason on stderr, exit
codes a script can test.  No Textual here.
On a database server only doctor, check (what was changed outside bangfu:
the audit log's chain and triggers, the accounts) and outbox apply: the
server keeps its own locks, journal and backups (``pg_dump``); the others say
so and exit 2.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

from tui.backup_text import backup_message, size_text
from tui.cli.common import CliError, open_school, safe, signed_in
from tui.i18n import duration, t


def add_commands(add_parser) -> None:
    p = add_parser("backup", help=t("cli.help.backup"))
    p.add_argument("--keep", type=int, default=None, help=t("cli.help.keep"))
    add_parser("check", help=t("cli.help.check"))
    add_parser("doctor", help=t("cli.help.doctor"))
    p = add_parser("unlock", help=t("cli.help.unlock"))
    p.add_argument("--yes", action="store_true", help=t("cli.help.yes"))
    p.add_argument("--force", action="store_true", help=t("cli.help.force"))
    p = add_parser("recover", help=t("cli.help.recover"))
    p.add_argument("--yes", action="store_true", help=t("cli.help.yes"))
    p = add_parser("set-locking", help=t("cli.help.set_locking"))
    p.add_argument("mode", choices=("posix", "dotfile"))
    p.add_argument("--yes", action="store_true", help=t("cli.help.yes"))
    p = add_parser("outbox", help=t("cli.help.outbox"))
    p.add_argument("--flush", action="store_true", help=t("cli.help.flush"))


def _confirm(question: str, yes: bool) -> bool:
    if yes:
        return True
    if not sys.stdin.isatty():
        return False
    try:
        return input(question).strip().lower() in ("y", "yes", "是", "好")
    except EOFError:
        return False


def file_only(settings, command: str) -> None:
    """Refuse a command about the database file when the database is a server."""
    if settings.on_server:
        raise CliError(t("cli.file_only", command=command, url=settings.db_shown), 2)


def refuse_other_locking(settings, status: int = 3) -> None:
    """Stop before anything opens the file when it records the other locking
    mode (read without a lock or the journal: ``db.store.connection.check_locking``)."""
    from db.store.connection import DatabaseError, check_locking
    from tui import i18n

    try:
        check_locking(settings.db_path, settings.locking)
    except DatabaseError as exc:
        raise CliError(i18n.database_error(exc.code, exc.path, exc.detail, settings),
                       status) from None


def admin_signed_in(settings, args, source: Path) -> None:
    """An administrator's PIN before the file itself is changed (unlock,
    recover): checked on ``source`` as it is, read-only, since a locked or
    damaged file cannot be opened for writing; nothing is counted there."""
    from db.accounts import has_admin_pin
    from db.store.connection import DatabaseError, close_database, open_snapshot

    try:
        open_snapshot(source)
    except DatabaseError:
        return  # nothing readable: no account to check against
    try:
        if not has_admin_pin():
            return  # a new file without its first administrator yet
        signed_in(settings, args, "maintain", readonly=True)
    finally:
        close_database()


def lock_owner_line(owner) -> str:
    return t("cli.lock_alive", host=owner.host, pid=owner.pid,
             beat=duration(owner.beat_age))


def cmd_backup(args, settings) -> int:
    from db.store import storage

    file_only(settings, "backup")
    path = Path(settings.db_path)
    if not path.exists():
        raise CliError(t("cli.missing_db", path=path), 3)
    refuse_other_locking(settings)
    keep = args.keep if args.keep is not None else settings.backups
    try:
        target = storage.backup(path, settings.locking, keep=max(1, keep))
    except storage.BackupError as exc:
        raise CliError(backup_message(exc, path)) from None
    except KeyboardInterrupt:  # the unfinished copy is already removed
        raise CliError(t("cli.backup_interrupted", path=path), 130) from None
    print(t("cli.backup_done", path=target, size=size_text(target.stat().st_size), keep=max(1, keep)))
    return 0


def cmd_unlock(args, settings) -> int:
    """Remove a dot-file lock left by a crashed client: never one whose owner is
    alive (``--yes`` and ``--force`` included), and only with an administrator's
    PIN whenever the file can be read."""
    from db.store.lock import LockHeld, UNLOCK_WATCH_SECONDS, live_owner, lock_age, remove_lock

    file_only(settings, "unlock")
    refuse_other_locking(settings)
    path = Path(settings.db_path)
    age = lock_age(path)
    if age is None:
        print(t("cli.no_lock", path=path))
        return 0
    owner = live_owner(path)
    if owner is not None:
        print(t("cli.lock_held", path=path, age=duration(age)))
        print(lock_owner_line(owner))
        return 1
    if age < settings.stale_lock and not args.force:
        print(t("cli.lock_fresh", path=path, age=duration(age)))
        print(t("cli.unlock_force", limit=settings.stale_lock))
        return 1
    print(t("cli.lock_stale", path=path, age=duration(age)))
    admin_signed_in(settings, args, path)
    if not _confirm(t("cli.unlock_ask"), args.yes):
        print(t("cli.not_removed"))
        return 1
    print(t("cli.unlock_watch", seconds=UNLOCK_WATCH_SECONDS), flush=True)
    try:
        removed = remove_lock(path, watch=UNLOCK_WATCH_SECONDS)
    except LockHeld as exc:
        print(t("cli.lock_held", path=path, age=duration(lock_age(path) or age)))
        print(lock_owner_line(exc.owner))
        return 1
    if not removed:
        print(t("cli.lock_moved", path=path))
        return 1
    print(t("cli.unlocked"))
    return 0


def cmd_recover(args, settings) -> int:
    from db.store import journal, storage
    from db.store.connection import close_database, open_database

    file_only(settings, "recover")
    path = Path(settings.db_path)
    # the mode the file records (else its newest good backup's) must be this
    # computer's: recover never changes it, and a wrong one would roll back a
    # live writer's journal
    refuse_other_locking(settings)
    from db.store.connection import peek_locking
    from db.store.lock import live_owner, lock_age

    if lock_age(path) is not None and (owner := live_owner(path)) is not None:
        print(t("cli.lock_held", path=path, age=duration(lock_age(path) or 0)))
        print(lock_owner_line(owner))
        raise CliError(t("cli.recover_busy"))
    state = storage.check(path, settings.locking)
    if state.status == 0:
        admin_signed_in(settings, args, path)
        open_school(settings)
        report = journal.replay(journal.read_all(path))
        close_database()
        print(t("cli.recover_ok", path=path, applied=report.applied, present=report.present,
                failed=report.failed))
        return 0
    source = storage.good_backup(path)
    if source is None:
        raise CliError(t("cli.recover_no_backup", path=path, folder=storage.backup_dir(path),
                         journal=journal.journal_dir(path)))
    mode = (peek_locking(path) if path.exists() else None) or peek_locking(source) \
        or settings.locking
    if mode != settings.locking:  # the damaged file was unreadable: its backup's mode
        from tui import i18n

        raise CliError(i18n.database_error("locking", str(path), mode, settings), 3)
    admin_signed_in(settings, args, path if path.exists() and peek_locking(path) is not None
                    else source)
    aside = path.with_name(f"{path.name}.damaged-{dt.datetime.now():%Y%m%d-%H%M%S}")
    print(t("cli.recover_plan", path=path, aside=aside, backup=source))
    if not _confirm(t("cli.recover_ask"), args.yes):
        print(t("cli.not_removed"))
        return 1
    if path.exists():
        os.replace(path, aside)
    for suffix in ("-journal", "-wal", "-shm"):  # the damaged file's, never the backup's
        side = Path(str(path) + suffix)
        if side.exists():
            os.replace(side, Path(str(aside) + suffix))
    # newer backups (skipped as damaged) hold a log this file now parts from:
    # the recover says from where, in the audit log (db.store.journal.replay)
    restored = ({"restored": source.name, "restored_rows": storage.audit_head(source)}
                if storage.backups(path).index(source) else None)
    _copy(source, path)
    backup_mode = peek_locking(path)
    if backup_mode and backup_mode != mode:
        # the backup is older than the school's last set-locking: the file keeps
        # the mode it had (this computer's, checked above), set while nobody can
        # have it open (it did not exist a moment ago)
        from db.store.connection import set_stored_locking

        db = open_database(path, locking=backup_mode)
        set_stored_locking(db, mode)
        close_database()
    db = open_database(path, locking=settings.locking)
    read = journal.read_all(path)
    report = journal.replay(read, restored=restored)
    db.close()
    close_database()
    after = storage.check(path, settings.locking)
    print(t("cli.recover_done", path=path, applied=report.applied, present=report.present,
            failed=report.failed, bad=report.bad, files=read.files,
            check="ok" if after.status == 0 else "; ".join(after.problems[:3])))
    return 0 if after.status == 0 and report.failed == 0 else 1


def _copy(source: Path, target: Path) -> None:
    import sqlite3

    partial = target.with_name(target.name + ".restoring")
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(partial)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    os.chmod(partial, 0o660)
    os.replace(partial, target)


def cmd_set_locking(args, settings) -> int:
    """Change the mode stored in the file (every client must then use the new one)."""
    from db.store.connection import DatabaseError, close_database, open_database, set_stored_locking

    file_only(settings, "set-locking")
    path = Path(settings.db_path)
    if not path.exists():
        raise CliError(t("cli.missing_db", path=path), 3)
    try:
        db = open_database(path, locking=settings.locking)
        current = settings.locking
    except DatabaseError as exc:
        if exc.code != "locking":
            raise CliError(t("cli.unreadable_db", path=path, detail=exc.detail), 3) from None
        current = exc.detail
        try:  # the mode the file records: safe beside its other clients
            db = open_database(path, locking=current)
        except DatabaseError as again:
            from tui import i18n

            raise CliError(i18n.database_error(again.code, again.path, again.detail, settings),
                           3) from None
    if current == args.mode:
        close_database()
        print(t("cli.locking_same", path=path, mode=current))
        return 0
    try:
        signed_in(settings, args, "maintain")
    except CliError:
        close_database()
        raise
    print(t("cli.locking_plan", path=path, old=current, new=args.mode))
    if not _confirm(t("cli.recover_ask"), args.yes):
        close_database()
        print(t("cli.not_removed"))
        return 1
    set_stored_locking(db, args.mode)
    close_database()
    print(t("cli.locking_set", path=path, mode=args.mode))
    return 0


def cmd_outbox(args, settings) -> int:
    """The signed-in person's waiting entries on this computer (never their text,
    never anyone else's: a count); ``--flush`` writes them as that person, each
    only once its seal verifies with their key, and sets aside any that do not."""
    from db.outbox import flush_outbox, waiting_entries
    from db.store.local import REFUSED, folder, outbox_count, refused
    from tui.i18n import CATALOG

    path = settings.db_path if settings.on_server else Path(settings.db_path)
    if not outbox_count(path) and not refused(path):  # nothing here: no PIN, no file needed
        print(t("cli.outbox_empty", path=settings.db_shown))  # a URL never with its password
        return 0
    open_school(settings)
    reader = signed_in(settings, args)
    if not args.flush:
        mine, others, set_aside, theirs = waiting_entries(path, reader)
        if not (mine or others or set_aside or theirs):
            print(t("cli.outbox_empty", path=settings.db_shown))
            return 0
        for item in mine:
            reason = (t(f"cli.outbox_reason.{item.problem}") if item.problem
                      else t(f"failure.{item.reason}" if f"failure.{item.reason}" in CATALOG
                             else "failure.other"))
            student = item.student or (t("cli.outbox_case", id=item.case_id)
                                       if item.case_id is not None else "—")
            print(t("cli.outbox_item", queued=safe(item.queued_at)[:16].replace("T", " "),
                    when=safe(item.occurred_at)[:16].replace("T", " ") or "—",
                    student=safe(student), reason=reason))
        if mine:
            print(t("cli.outbox_count", n=len(mine)))
        for item, queued, why in set_aside:
            print(t("cli.outbox_refused_item", queued=safe(queued)[:16].replace("T", " "),
                    reason=t(f"cli.outbox_reason.{why}"), path=safe(str(item))))
        if others:
            print(t("cli.outbox_others", n=others))
        if theirs:
            print(t("cli.outbox_refused_others", n=theirs, folder=folder("outbox", path) / REFUSED))
        return 0
    result = flush_outbox(path, reader)
    if not (result.written or result.present or result.waiting or result.problems
            or result.refused or result.others):
        print(t("cli.outbox_empty", path=settings.db_shown))
        return 0
    for item, why in result.refused:
        print(t("cli.outbox_refused", path=safe(item.name), reason=t(f"cli.outbox_reason.{why}"),
                folder=result.folder), file=sys.stderr)
    for item, reason in result.problems:
        print(t("cli.outbox_problem", path=safe(item.name),
                reason=t(f"cli.outbox_reason.{reason}")), file=sys.stderr)
    print(t("cli.outbox_flushed", written=result.written, present=result.present,
            waiting=result.waiting))
    if result.others:
        print(t("cli.outbox_others", n=result.others))
    return 0 if not (result.waiting or result.problems or result.refused) else 1
