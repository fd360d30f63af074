"""``bangfu`` commands for moving a school onto a database server.

``bangfu --db FILE migrate-to URL`` copies the school's file into an empty
PostgreSQL database (``db.store.migrate_to``): the plan, y/N at a terminal (or
``--yes``), then one line per table (rows in the file → rows on the server,
checksums) and a last line.  Run again, it says the copy is already there and
changes nothing; a database holding anything else is refused.  The URL is
only ever shown without its password.  No Textual here.
"""

from __future__ import annotations

import sys

from tui.cli.common import CliError, safe
from tui.i18n import t


def add_commands(add_parser) -> None:
    p = add_parser("migrate-to", help=t("cli.help.migrate_to"))
    p.add_argument("url", metavar="URL", help=t("cli.help.migrate_to_url"))
    p.add_argument("--yes", action="store_true", help=t("cli.help.yes"))
    p.add_argument("--school", default="", metavar="NAME", help=t("cli.help.migrate_school"))


def _progress_printer():
    if not sys.stderr.isatty():
        return None
    shown = [-1]

    def progress(done: int, total: int) -> None:
        percent = 100 * done // total if total else 100
        if percent == shown[0]:
            return
        shown[0] = percent
        sys.stderr.write(f"\r{t('migrate.copying')} {done:,}/{total:,}")
        sys.stderr.flush()
        if done >= total:
            sys.stderr.write("\n")

    return progress


def _table_lines(figures, *, sums: bool = True) -> None:
    width = max((len(f.name) for f in figures), default=0)
    rows = max((len(f"{n:,}") for f in figures for n in (f.source_rows, f.target_rows)),
               default=1)
    print(t("migrate.tables_head"))
    for f in figures:
        if not sums:
            check = ""
        else:
            check = t("migrate.check_same" if f.equal else "migrate.check_differs")
        print(t("migrate.table_line", name=safe(f.name).ljust(width),
                source=f"{f.source_rows:,}".rjust(rows), target=f"{f.target_rows:,}".rjust(rows),
                check=check).rstrip())


def _error(exc, source: str, target: str):
    """A refused or failed copy as a CliError (the target was not changed)."""
    code = exc.code
    if code in ("source_url", "target_url"):
        return CliError(t(f"migrate.{code}", url=source if code == "source_url" else target), 2)
    if code in ("not_empty", "verify") and exc.tables:
        _table_lines(exc.tables, sums=code == "verify" or all(f.source_sum for f in exc.tables))
    values = dict(source=source, target=target, detail=safe(exc.detail)[:200],
                  table=safe(exc.table), column=safe(exc.column), row=safe(exc.row)[:40])
    key = f"migrate.error.{code}"
    return CliError(t(key if key in _KNOWN else "migrate.error.copy", **values), 1)


_KNOWN = {f"migrate.error.{c}" for c in ("foreign", "not_empty", "schema", "orphans", "value",
                                         "copy", "source", "verify", "schools")}


def cmd_migrate_to(args, settings) -> int:
    from db.config import is_server_url
    from db.store.connection import DatabaseError
    from db.store.local import outbox_count
    from db.store.migrate_to import MigrateError, migrate_to
    from db.store.server import safe_url
    from tui import i18n

    target = safe_url(args.url)  # the only form of the URL ever shown
    if settings.on_server:
        raise CliError(t("migrate.source_url", url=settings.db_shown), 2)
    if not is_server_url(args.url):
        raise CliError(t("migrate.target_url", url=safe(target)), 2)
    source = settings.db_shown
    waiting = outbox_count(settings.db_path)
    if waiting:
        print(t("migrate.outbox", n=waiting, path=source), file=sys.stderr)

    def confirm(plan) -> bool:
        print(t("migrate.plan", source=source, target=target, rows=f"{plan.rows:,}",
                tables=len(plan.tables)))
        if args.yes:
            return True
        if not sys.stdin.isatty():
            raise CliError(t("migrate.need_yes"), 2)
        try:
            answer = input(t("migrate.ask") + " ")
        except EOFError:
            return False
        return answer.strip().lower() in ("y", "yes", "是", "好")

    try:
        report = migrate_to(settings.db_path, args.url, _progress_printer(),
                            locking=settings.locking, confirm=confirm,
                            school=" ".join(args.school.split()))
    except DatabaseError as exc:
        raise CliError(i18n.database_error(exc.code, exc.path, safe(exc.detail), settings),
                       3) from None
    except MigrateError as exc:
        raise _error(exc, source, target) from None
    if report.status == "cancelled":
        print(t("migrate.cancelled"))
        return 1
    _table_lines(report.tables)
    values = dict(source=source, target=target, rows=f"{report.rows:,}",
                  tables=len(report.tables), seconds=f"{report.seconds:.1f}")
    if report.status == "already":
        print(t("migrate.already", **values))
    else:
        print(t("migrate.done", **values))
    return 0 if report.ok else 1
