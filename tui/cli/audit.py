"""``bangfu audit``: the audit log, narrowed, as md or csv on stdout or as a
file (.csv, .xlsx, .md) with -o.

Administrators only (``db.access``: the "audit" ability).  The same filters,
words and files as the audit screen (``screens/audit.py``): both use
``tui.audit_log``.  No Textual here.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from tui.audit_log import default_path, filter_error, render_csv, render_markdown, write_audit
from tui.cli.common import CliError, open_school, safe, signed_in
from tui.i18n import failure, t

FLAGS = {"staff": "--staff", "student": "--student", "since": "--since", "until": "--until"}


# -- the command ---------------------------------------------------------------------------------

def add_commands(add_parser) -> None:
    p = add_parser("audit", help=t("cli.help.audit"))
    p.add_argument("--staff", metavar="NAME", default="", help=t("cli.help.audit_staff"))
    p.add_argument("--student", metavar="QUERY", default="", help=t("cli.help.audit_student"))
    p.add_argument("--since", metavar="DATE", default="", help=t("cli.help.since"))
    p.add_argument("--until", metavar="DATE", default="", help=t("cli.help.until"))
    p.add_argument("--format", choices=("csv", "md", "xlsx"), default=None,
                   help=t("cli.help.audit_format"))
    p.add_argument("-o", "--output", metavar="FILE", default="", help=t("cli.help.audit_output"))


def _bad(exc, status: int):
    return CliError(t("cli.invalid", field=FLAGS.get(exc.field, exc.field),
                      message=filter_error(exc)), status)


def cmd_audit(args, settings) -> int:
    """The audit log, narrowed, as md or csv on stdout, or as a file with -o."""
    from db import audit_queries
    from tui.report_files import format_of

    fmt = format_of(args.output, args.format)
    # the input first: a mistyped command never opens (or waits on) the file
    if fmt == "xlsx" and not args.output:
        raise CliError(t("cli.audit.need_output"), 2)
    try:
        audit_queries.resolve_filter(since=args.since, until=args.until)
    except audit_queries.FilterError as exc:
        raise _bad(exc, 2) from None
    open_school(settings)
    signed_in(settings, args, "audit")
    try:
        chosen = audit_queries.resolve_filter(args.staff, args.student, args.since, args.until)
    except audit_queries.FilterError as exc:
        raise _bad(exc, 1) from None
    rows = audit_queries.find_audit(chosen.staff_id, chosen.student_id, chosen.since, chosen.until)
    if not args.output:
        sys.stdout.write(render_csv(rows, chosen) if fmt == "csv"
                         else render_markdown(rows, chosen))
        return 0
    target = Path(os.path.expanduser(args.output))
    if target.is_dir():  # a folder: a default name in it
        target /= default_path(fmt).name
    try:
        written = write_audit(rows, chosen, fmt, target)
    except OSError as exc:
        raise CliError(t("cli.audit.failed", path=safe(str(target)),
                         detail=exc.strerror or failure(exc))) from None
    print(t("audit.written", path=safe(str(written)), n=len(rows)))
    return 0
