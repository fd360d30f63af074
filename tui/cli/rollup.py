"""Reporting up: ``bangfu report rollup`` (a school's weekly or half-monthly
figures as a file for the town) and ``bangfu rollup FILE…`` (the town's
report combining schools' roll-up .xlsx files; it opens no database, so no
sign-in).  A refused file names itself, what differs and what to do, and
nothing is written (exit 1); bad input exits 2.  No Textual here."""

from __future__ import annotations

import datetime as dt
import os
import sys

from tui.cli.common import CliError, open_school, safe, signed_in, write_file
from tui.i18n import t


def add_commands(add_parser) -> None:
    p = add_parser("rollup", help=t("cli.help.rollup"))
    p.add_argument("files", nargs="+", metavar="FILE", help=t("cli.help.rollup_files"))
    p.add_argument("--format", choices=("xlsx", "csv", "md"), default=None,
                   help=t("cli.help.report_format"))
    p.add_argument("-o", "--output", metavar="FILE", default="",
                   help=t("cli.help.report_output"))


def write_out(rollup, fmt: str, output: str, default_name: str) -> int:
    """The roll-up on stdout (md, csv) or into ``output`` (a folder: a default name in it)."""
    from tui.report_rollup import render_csv, render_markdown, write_rollup

    from tui.exports import safe_name

    if not output:
        sys.stdout.write(render_csv(rollup) if fmt == "csv" else render_markdown(rollup))
        return 0
    written = write_file(output, f"{safe_name(default_name)}.{fmt}",
                         lambda target: write_rollup(rollup, fmt, target))
    print(t("cli.report.written", path=written))
    return 0


def rollup_name(rollup) -> str:
    return f"bangfu-rollup-{rollup.period}-{rollup.start.isoformat()}"


def rollup_report(args, settings, fmt: str) -> int:
    """``bangfu report rollup``: this school's figures for the week or half-month."""
    from db import clock
    from db.rollup import RollupError, combine, period_kind
    from db.rollup_figures import name_of_database, school_figures, school_name

    if args.week or args.term or args.month:
        raise CliError(t("cli.rollup.week_term"), 2)
    try:
        kind = period_kind(args.period or "week")
    except RollupError as exc:
        raise CliError(t(exc.key), 2) from None
    day = None
    if args.date:
        try:
            day = dt.date.fromisoformat(args.date.strip())
        except ValueError:
            raise CliError(t("cli.rollup.date"), 2) from None
    open_school(settings)
    signed_in(settings, args, "manage")
    name = args.school.strip() or school_name(name_of_database(settings.db_path))
    try:
        figures = school_figures(clock.today(), kind, day=day, school=name)
    except RollupError as exc:
        raise CliError(t(exc.key, **exc.details), 2) from None
    rollup = combine([figures])
    return write_out(rollup, fmt, args.output, f"{rollup_name(rollup)}-{name}")


def _period_name(kind) -> str:
    return t(f"cli.rollup.period_name.{str(kind).replace('-', '_')}")


def _refused(exc, files: list[str]) -> CliError:
    """A ``combine`` refusal, naming the files (``exc.index`` and the first)."""
    details = dict(exc.details)
    file, first = safe(files[exc.index]), safe(files[0])
    if exc.code == "periods":
        details.update(period=_period_name(details["period"]),
                       first_period=_period_name(details["first_period"]))
    if exc.code == "twice":
        details["other_file"] = safe(files[details.pop("other")])
    details["school"] = safe(str(details.get("school", "")))
    return CliError(t(f"cli.rollup.{exc.code}", file=file, first_file=first, **details))


def cmd_rollup(args, settings) -> int:
    """``bangfu rollup FILE…``: the town's report of the schools' files."""
    from db.rollup import RollupError, combine
    from tui.report_files import format_of
    from tui.report_rollup import RollupFileError, read_rollup

    fmt = format_of(args.output, args.format)
    if fmt == "xlsx" and not args.output:
        raise CliError(t("cli.report.need_output"), 2)
    figures = []
    for file in args.files:
        try:
            figures.append(read_rollup(os.path.expanduser(file)))
        except RollupFileError as exc:
            raise CliError(t(f"cli.rollup.{exc.code}", file=safe(file), **exc.details)) from None
    try:
        rollup = combine(figures)
    except RollupError as exc:
        raise _refused(exc, args.files) from None
    return write_out(rollup, fmt, args.output, f"{rollup_name(rollup)}-town")
