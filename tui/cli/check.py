"""``bangfu check`` and ``bangfu doctor``: is the file (or the server) sound,
and was anything changed outside bangfu?

Plain text on stdout, a one-line reason on stderr, exit codes a script can
test; a finding names a table, a row id, an account: never a value, which may
be personal.  On a database server: the audit log's chain and triggers, the
accounts, the server and its schema.  No Textual here.
"""

from __future__ import annotations

import sys
from pathlib import Path

from tui.backup_text import size_text
from tui.cli.common import safe
from tui.cli.share import lock_owner_line, refuse_other_locking
from tui.i18n import duration, t


def difference_line(d) -> str:
    """A row that differs from the journals (``db.store.journal_check.Difference``), by
    table, row id and column: never a value, which may be personal."""
    if d.kind == "missing" and d.about:
        table, row, action, at = (safe(str(v)) for v in d.about)
        return t("cli.check_audit_missing", table=table, row=row, action=action, at=at)
    key = {"missing": "cli.check_row_missing", "deleted": "cli.check_row_deleted"}.get(
        d.kind, "cli.check_row_differs")
    return t(key, table=safe(d.table), row=safe(d.row), column=safe(d.column))


def tamper_line(f) -> str:
    """Something changed outside bangfu (``db.audit_checks.Tampering``), by row id,
    account or name: never a value."""
    how = "removed_row" if f.kind == "chain" and f.how == "removed" and not f.first else f.how
    fields = t("common.list_sep").join(t(f"cli.tamper.field.{name}") for name in f.fields)
    return t(f"cli.tamper.{f.kind}_{how}", row=safe(f.row), name=safe(f.name), fields=fields,
             first=f.first, last=f.last)


def server_tampering(query) -> list:
    """``db.audit_checks.verify`` on a server, read twice when it finds anything: a
    save between reading the log and the accounts is no tampering."""
    from db import audit_checks

    found = audit_checks.verify(query, server=True).findings
    if found:
        again = audit_checks.verify(query, server=True).findings
        found = [f for f in again if f in found]
    return found


def _check_server(settings) -> int:
    """check on a database server: what was changed outside bangfu (the
    audit log's triggers and chain, the accounts); the server looks after its
    own integrity and backups."""
    from db.store.connection import DatabaseError, close_database, open_database
    from db.models import database

    try:
        open_database(settings.db_path, migrate=False)
    except DatabaseError as exc:
        print(t("cli.check_cannot", path=settings.db_shown, detail=safe(exc.detail)[:200]),
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
    from db.store import storage

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
                  difference_line(shown[problem]) if problem in shown else safe(problem))
        if len(result.problems) > 20:
            print(t("cli.check_more", n=len(result.problems) - 20))
        # a row that no longer matches its hash may be damage too; the rest is deliberate
        deliberate = [f for f in result.tampering if (f.kind, f.how) != ("chain", "rewritten")]
        print(t("cli.check_tampered" if deliberate else "cli.check_damaged", path=path,
                n=len(result.problems)), file=sys.stderr)
    else:
        print(t("cli.check_cannot", path=path, detail=safe("; ".join(result.problems))[:200]),
              file=sys.stderr)
    return result.status


def cmd_doctor(args, settings) -> int:
    from db.store import doctor
    from db.store.local import outbox_count

    if settings.on_server:
        return _doctor_server(settings)
    path = Path(settings.db_path)
    report = doctor.doctor(path, settings.locking, outbox=outbox_count(path),
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
    line("doctor.size", size_text(report.size))
    line("doctor.backup", f"{report.last_backup[1]:%Y-%m-%d %H:%M} ({report.last_backup[0]})"
         if report.last_backup else t("doctor.none"))
    line("doctor.outbox", report.outbox)
    line("doctor.lock", t("doctor.lock_none") if report.lock_age is None
         else t("doctor.lock_age", age=duration(report.lock_age)))
    if report.lock_owner is not None:
        print("  " + lock_owner_line(report.lock_owner))
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
    from db.store.connection import DatabaseError, close_database, known_migrations, open_database, \
        schema_version
    from db.store.local import outbox_count
    from db.store.server import server_info

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
        print("  ! " + t(key, detail=safe(exc.detail)[:200]))
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
    line("doctor.size", size_text(info.size))
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
