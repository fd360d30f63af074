"""``bangfu`` commands that look after the file on the share.

backup, check, doctor, unlock, recover and outbox: plain text on stdout, a
one-line reason on stderr, exit codes a script can test.  No Textual here.
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


def _size(n: int | None) -> str:
    if n is None:
        return "—"
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)


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
        from tui.cli import CliError

        raise CliError(t("cli.file_only", command=command, url=settings.db_shown), 2)


def backup_message(exc, path) -> str:
    """What a failed backup (``storage.BackupError``) tells a person: what
    happened and what to do; never an exception's class name."""
    from tui.cli import _safe

    folder = getattr(exc, "folder", "")
    code = getattr(exc, "code", "failed")
    if code == "no_space" and exc.free is not None:
        return t("cli.backup_no_space", path=path, folder=folder, need=_size(exc.need),
                 free=_size(exc.free))
    if code == "no_space":
        return t("cli.backup_full", path=path, folder=folder)
    if code == "check":
        return t("cli.backup_check", path=path)
    detail = getattr(exc, "detail", "") or t("cli.backup_unknown")
    return t("cli.backup_error", path=path, folder=folder, detail=_safe(detail)[:200])


def backup_reason(exc) -> str:
    """The app's short reason for a failed daily backup (``app.backup_failed``)."""
    code = getattr(exc, "code", "")
    if code in ("no_space", "check"):
        return t(f"cli.backup_reason.{code}")
    return t("cli.backup_unknown")


def refuse_other_locking(settings, status: int = 3) -> None:
    """Stop before anything opens the file when it records the other locking
    mode (read without a lock or the journal: ``db.connection.check_locking``)."""
    from db.connection import DatabaseError, check_locking
    from tui import i18n
    from tui.cli import CliError

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
    from db.connection import DatabaseError, close_database, open_snapshot
    from tui.cli import signed_in

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


def _lock_owner_line(owner) -> str:
    return t("cli.lock_alive", host=owner.host, pid=owner.pid,
             beat=duration(owner.beat_age))


def cmd_backup(args, settings) -> int:
    from db import storage
    from tui.cli import CliError

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
    print(t("cli.backup_done", path=target, size=_size(target.stat().st_size), keep=max(1, keep)))
    return 0


def difference_line(d) -> str:
    """A row that differs from the journals (``db.journal.Difference``), by
    table, row id and column: never a value, which may be personal."""
    from tui.cli import _safe

    if d.kind == "missing" and d.about:
        table, row, action, at = (_safe(str(v)) for v in d.about)
        return t("cli.check_audit_missing", table=table, row=row, action=action, at=at)
    key = {"missing": "cli.check_row_missing", "deleted": "cli.check_row_deleted"}.get(
        d.kind, "cli.check_row_differs")
    return t(key, table=_safe(d.table), row=_safe(d.row), column=_safe(d.column))


def tamper_line(f) -> str:
    """Something changed outside bangfu (``db.audit.Tampering``), by row id,
    account or name: never a value."""
    from tui.cli import _safe

    how = "removed_row" if f.kind == "chain" and f.how == "removed" and not f.first else f.how
    fields = t("common.list_sep").join(t(f"cli.tamper.field.{name}") for name in f.fields)
    return t(f"cli.tamper.{f.kind}_{how}", row=_safe(f.row), name=_safe(f.name), fields=fields,
             first=f.first, last=f.last)


def server_tampering(query) -> list:
    """``db.audit.verify`` on a server, read twice when it finds anything: a
    save between reading the log and the accounts is no tampering."""
    from db import audit

    found = audit.verify(query, server=True).findings
    if found:
        again = audit.verify(query, server=True).findings
        found = [f for f in again if f in found]
    return found


def _check_server(settings) -> int:
    """check on a database server: what was changed outside bangfu (the
    audit log's triggers and chain, the accounts); the server looks after its
    own integrity and backups."""
    from db.connection import DatabaseError, close_database, open_database
    from db.models import database
    from tui.cli import _safe

    try:
        open_database(settings.db_path, migrate=False)
    except DatabaseError as exc:
        print(t("cli.check_cannot", path=settings.db_shown, detail=_safe(exc.detail)[:200]),
              file=sys.stderr)
        return 2
    try:
        found = server_tampering(database.execute_sql)
    finally:
        close_database()
    if not found:
        print(t("cli.check_ok_server", path=settings.db_shown))
        return 0
    for f in found[:20]:
        print(tamper_line(f))
    if len(found) > 20:
        print(t("cli.check_more", n=len(found) - 20))
    print(t("cli.check_tampered", path=settings.db_shown, n=len(found)), file=sys.stderr)
    return 1


def cmd_check(args, settings) -> int:
    from db import storage
    from tui.cli import _safe

    if settings.on_server:
        return _check_server(settings)
    refuse_other_locking(settings, 2)
    path = Path(settings.db_path)
    result = storage.check(path, settings.locking)
    if result.status == 0:
        print(t("cli.check_ok", path=path))
    elif result.status == 1:
        shown = {str(d): d for d in result.differences}
        tampered = {str(f): f for f in result.tampering}
        for problem in result.problems[:20]:
            print(tamper_line(tampered[problem]) if problem in tampered else
                  difference_line(shown[problem]) if problem in shown else _safe(problem))
        if len(result.problems) > 20:
            print(t("cli.check_more", n=len(result.problems) - 20))
        # a row that no longer matches its hash may be damage too; the rest is deliberate
        deliberate = [f for f in result.tampering if (f.kind, f.how) != ("chain", "rewritten")]
        print(t("cli.check_tampered" if deliberate else "cli.check_damaged", path=path,
                n=len(result.problems)), file=sys.stderr)
    else:
        print(t("cli.check_cannot", path=path, detail=_safe("; ".join(result.problems))[:200]),
              file=sys.stderr)
    return result.status


def cmd_doctor(args, settings) -> int:
    from db import storage
    from db.local import outbox_count

    if settings.on_server:
        return _doctor_server(settings)
    path = Path(settings.db_path)
    report = storage.doctor(path, settings.locking, outbox=outbox_count(path),
                            stale_after=settings.stale_lock)
    colon = t("common.colon")

    def line(key: str, value) -> None:
        print(f"{t(key)}{colon}{value}")

    line("doctor.path", f"{path.absolute()}" + ("" if report.exists else " " + t("doctor.missing")))
    if report.mount is not None:
        line("doctor.fs", f"{report.mount.fstype} ({report.mount.source} on {report.mount.mountpoint}; "
                          f"{','.join(sorted(report.mount.options))})")
    else:
        line("doctor.fs", "—")
    line("doctor.locking", t("doctor.locking_value", mine=settings.locking,
                             source=settings.locking_source,
                             stored=report.locking_stored or "—"))
    line("doctor.journal", report.journal_mode or "—")
    line("doctor.schema", "—" if report.schema_version is None else report.schema_version)
    line("doctor.size", _size(report.size))
    line("doctor.backup", f"{report.last_backup[1]:%Y-%m-%d %H:%M} ({report.last_backup[0]})"
         if report.last_backup else t("doctor.none"))
    line("doctor.outbox", report.outbox)
    line("doctor.lock", t("doctor.lock_none") if report.lock_age is None
         else t("doctor.lock_age", age=duration(report.lock_age)))
    if report.lock_owner is not None:
        print("  " + _lock_owner_line(report.lock_owner))
    if not report.warnings:
        print(t("doctor.ok"))
        return 0
    print(t("doctor.warnings") + colon.rstrip())
    for code in report.warnings:
        print("  ! " + t(f"doctor.warn.{code}", age=duration(report.lock_age or 0)))
        if code == "tampered":
            for f in report.tampering[:20]:
                print("    " + tamper_line(f))
    return 1


def _doctor_server(settings) -> int:
    """doctor for a database server: where, which server, which schema, what waits."""
    from db.connection import DatabaseError, close_database, known_migrations, open_database, \
        schema_version
    from db.local import outbox_count
    from db.server import server_info
    from tui.cli import _safe

    colon = t("common.colon")

    def line(key: str, value) -> None:
        print(f"{t(key)}{colon}{value}")

    line("doctor.server", settings.db_shown)
    warnings: list[str] = []
    try:
        db = open_database(settings.db_path, migrate=False)
    except DatabaseError as exc:
        line("doctor.server_version", "—")
        print(t("doctor.warnings") + colon.rstrip())
        key = {"missing": "doctor.warn.server_missing",
               "auth": "doctor.warn.server_auth",
               "server_full": "doctor.warn.server_full"}.get(exc.code, "doctor.warn.server_unreachable")
        print("  ! " + t(key, detail=_safe(exc.detail)[:200]))
        waiting = outbox_count(settings.db_path)
        line("doctor.outbox", waiting)
        return 1
    try:
        info = server_info(db)
        version = schema_version(db)
        tampering = server_tampering(db.execute_sql)
    finally:
        close_database()
    line("doctor.server_version", f"PostgreSQL {info.version}")
    line("doctor.database", info.database)
    line("doctor.schema", f"{version} / {len(known_migrations())}")
    line("doctor.size", _size(info.size))
    waiting = outbox_count(settings.db_path)
    line("doctor.outbox", waiting)
    if version > len(known_migrations()):
        warnings.append("server_newer")
    elif version < len(known_migrations()):
        warnings.append("server_older")
    if waiting:
        warnings.append("outbox")
    if tampering:
        warnings.append("tampered")
    if not warnings:
        print(t("doctor.ok"))
        return 0
    print(t("doctor.warnings") + colon.rstrip())
    for code in warnings:
        print("  ! " + t(f"doctor.warn.{code}"))
        if code == "tampered":
            for f in tampering[:20]:
                print("    " + tamper_line(f))
    return 1


def cmd_unlock(args, settings) -> int:
    """Remove a dot-file lock left by a crashed client: never one whose owner is
    alive (``--yes`` and ``--force`` included), and only with an administrator's
    PIN whenever the file can be read."""
    from db.connection import LockHeld, UNLOCK_WATCH_SECONDS, live_owner, lock_age, remove_lock

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
        print(_lock_owner_line(owner))
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
        print(_lock_owner_line(exc.owner))
        return 1
    if not removed:
        print(t("cli.lock_moved", path=path))
        return 1
    print(t("cli.unlocked"))
    return 0


def cmd_recover(args, settings) -> int:
    from db import journal, storage
    from db.connection import close_database, open_database
    from tui.cli import CliError

    file_only(settings, "recover")
    path = Path(settings.db_path)
    # the mode the file records (else its newest good backup's) must be this
    # computer's: recover never changes it, and a wrong one would roll back a
    # live writer's journal
    refuse_other_locking(settings)
    from db.connection import live_owner, lock_age, peek_locking

    if lock_age(path) is not None and (owner := live_owner(path)) is not None:
        print(t("cli.lock_held", path=path, age=duration(lock_age(path) or 0)))
        print(_lock_owner_line(owner))
        raise CliError(t("cli.recover_busy"))
    state = storage.check(path, settings.locking)
    if state.status == 0:
        from tui.cli import _open

        admin_signed_in(settings, args, path)
        _open(settings)
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
    # the recover says from where, in the audit log (db.journal.replay)
    restored = ({"restored": source.name, "restored_rows": storage.audit_head(source)}
                if storage.backups(path).index(source) else None)
    _copy(source, path)
    backup_mode = peek_locking(path)
    if backup_mode and backup_mode != mode:
        # the backup is older than the school's last set-locking: the file keeps
        # the mode it had (this computer's, checked above), set while nobody can
        # have it open (it did not exist a moment ago)
        from db.connection import set_stored_locking

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
    from db.connection import DatabaseError, close_database, open_database, set_stored_locking
    from tui.cli import CliError

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
    from tui.cli import signed_in

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
    from db.contacts import flush_outbox, waiting_entries
    from db.local import REFUSED, folder, outbox_count, refused
    from tui.cli import _open, _safe, signed_in
    from tui.i18n import CATALOG

    path = settings.db_path if settings.on_server else Path(settings.db_path)
    if not outbox_count(path) and not refused(path):  # nothing here: no PIN, no file needed
        print(t("cli.outbox_empty", path=settings.db_shown))  # a URL never with its password
        return 0
    _open(settings)
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
            print(t("cli.outbox_item", queued=_safe(item.queued_at)[:16].replace("T", " "),
                    when=_safe(item.occurred_at)[:16].replace("T", " ") or "—",
                    student=_safe(student), reason=reason))
        if mine:
            print(t("cli.outbox_count", n=len(mine)))
        for item, queued, why in set_aside:
            print(t("cli.outbox_refused_item", queued=_safe(queued)[:16].replace("T", " "),
                    reason=t(f"cli.outbox_reason.{why}"), path=_safe(str(item))))
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
        print(t("cli.outbox_refused", path=_safe(item.name), reason=t(f"cli.outbox_reason.{why}"),
                folder=result.folder), file=sys.stderr)
    for item, reason in result.problems:
        print(t("cli.outbox_problem", path=_safe(item.name),
                reason=t(f"cli.outbox_reason.{reason}")), file=sys.stderr)
    print(t("cli.outbox_flushed", written=result.written, present=result.present,
            waiting=result.waiting))
    if result.others:
        print(t("cli.outbox_others", n=result.others))
    return 0 if not (result.waiting or result.problems or result.refused) else 1
