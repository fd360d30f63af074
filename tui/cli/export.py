"""``bangfu export``: students, cases or contacts as a file (.xlsx, .csv).

The same files as the app's export screen (``screens/export.py``): both use
``tui.export_files``.  No Textual here.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from tui.cli.common import CliError, open_school, safe, signed_in
from tui.export_files import EXPORT_FORMATS, WHAT, default_path, format_for, write_export
from tui.i18n import failure, label, t


# -- the command -------------------------------------------------------------------------------

def add_commands(add_parser) -> None:
    p = add_parser("export", help=t("cli.help.export"))
    p.add_argument("what", choices=WHAT, help=t("cli.help.export_what"))
    p.add_argument("--format", choices=EXPORT_FORMATS, default=None,
                   help=t("cli.help.export_format"))
    p.add_argument("-o", "--output", metavar="FILE", default="",
                   help=t("cli.help.export_output"))
    p.add_argument("--since", metavar="DATE", default="", help=t("cli.help.since"))
    p.add_argument("--until", metavar="DATE", default="", help=t("cli.help.until"))


def _dates(args) -> tuple[dt.date | None, dt.date | None]:
    from db import clock
    from db.dates import DateError, parse_date

    if (args.since or args.until) and args.what != "contacts":
        raise CliError(t("cli.export.dates_contacts_only"), 2)
    out = []
    for flag, text in (("--since", args.since), ("--until", args.until)):
        if not text:
            out.append(None)
            continue
        try:
            out.append(parse_date(text, clock.today()))
        except DateError as exc:
            raise CliError(t("cli.invalid", field=flag, message=t(f"err.date.{exc.code}")),
                           2) from None
    since, until = out
    if since is not None and until is not None and since > until:
        raise CliError(t("cli.export.range"), 2)
    return since, until


def cmd_export(args, settings) -> int:
    """Students, cases or contacts as a file: -o FILE (or folder), else the
    export folder; prints the path written."""
    from db import access

    # the input first: a mistyped command never opens (or waits on) the file
    try:
        fmt = format_for(args.output, args.format)
    except ValueError as exc:
        raise CliError(t("cli.export.suffix", suffix=safe(str(exc))), 2) from None
    since, until = _dates(args)
    open_school(settings)
    reader = signed_in(settings, args, "reports")
    from db.export_rows import export_table

    try:
        table = export_table(args.what, reader, since, until)
    except access.NotAllowed:
        raise CliError(t("cli.not_allowed", role=label("staff_role", reader.role)), 4) from None
    if args.output:
        target = Path(os.path.expanduser(args.output))
        if target.is_dir():  # a folder: a default name in it
            target /= default_path(args.what, fmt).name
    else:
        target = default_path(args.what, fmt)
    try:
        written = write_export(table, fmt, target)
    except OSError as exc:
        raise CliError(t("cli.export.failed", path=safe(str(target)),
                         detail=exc.strerror or failure(exc))) from None
    print(t("cli.export.written", n=len(table.rows), path=safe(str(written))))
    return 0
