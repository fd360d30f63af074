"""``bangfu report weekly|term``: the weekly report or the term summary, as
Markdown or CSV on stdout, or a file with -o (``tui.report_files``);
``supervision`` (``tui.cli.supervision``) and ``rollup`` (``tui.cli.rollup``)
are passed on.
No Textual here."""

from __future__ import annotations

import sys

from tui.cli.common import CliError, open_school, safe, signed_in, write_file
from tui.i18n import t


def cmd_report(args, settings) -> int:
    """The weekly report or the term summary: a file with -o, else md or csv on stdout."""
    from db.reports import ReportError, parse_week
    from tui.report_files import format_of

    fmt = format_of(args.output, args.format)
    # the input first: a mistyped command never opens (or waits on) the file
    if fmt == "xlsx" and not args.output:
        raise CliError(t("cli.report.need_output"), 2)
    if args.kind == "rollup":
        from tui.cli.rollup import rollup_report

        return rollup_report(args, settings, fmt)
    if args.date or args.school:
        raise CliError(t("cli.rollup.options"), 2)
    if args.period == "half-month":
        args.period = "half_month"
    if args.kind == "supervision":
        from tui.cli.supervision import supervision_report

        return supervision_report(args, settings, fmt)
    if args.month or args.period:
        raise CliError(t("cli.sup.supervision_only"), 2)
    if args.week and args.kind != "weekly":
        raise CliError(t("cli.report.week_only"), 2)
    if args.term and args.kind != "term":
        raise CliError(t("cli.report.term_only"), 2)
    try:
        parse_week(args.week)
    except ReportError as exc:
        raise CliError(t(exc.key), 2) from None
    open_school(settings)
    actor = signed_in(settings, args, "reports")
    from db.reports import build_report, find_term, term_names
    from tui.report_files import render_csv, render_markdown, write_report

    term_id = None
    if args.term:
        term = find_term(args.term)
        if term is None:
            names = t("common.list_sep").join(safe(n) for n in term_names()) or t("common.none")
            raise CliError(t("cli.report.no_term", name=safe(args.term), terms=names))
        term_id = term.id
    try:
        report = build_report(args.kind, reader=actor, week=args.week, term_id=term_id)
    except ReportError as exc:
        raise CliError(t(exc.key)) from None
    if not args.output:
        sys.stdout.write(render_csv(report) if fmt == "csv" else render_markdown(report))
        return 0
    from tui.exports import safe_name

    written = write_file(args.output, f"bangfu-{safe_name(report.week or report.term_name)}.{fmt}",
                         lambda target: write_report(report, fmt, target))
    print(t("cli.report.written", path=written))
    return 0
