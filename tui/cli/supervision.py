"""``bangfu supervision rubric|adjust`` and ``bangfu report supervision``:
the school's scoring rubric, a coordinator's adjustment to a helper's month,
and the supervision report as Markdown or CSV on stdout, or a file with -o.

Only administrators and coordinators ("supervise"); others are refused (exit
4), bad input exits 2.  No Textual here."""

from __future__ import annotations

import sys

from tui.cli.common import CliError, make_console, open_school, safe, signed_in, write_file
from tui.i18n import t

RUBRIC_OPTIONS = ("rule_met", "review", "content", "content_chars", "overdue", "threshold",
                  "burst", "late_days")


def add_commands(add_parser) -> None:
    p = add_parser("supervision", help=t("cli.help.supervision"))
    p.add_argument("action", choices=("rubric", "adjust"), help=t("cli.help.sup_action"))
    p.add_argument("staff", nargs="?", default="", metavar="STAFF",
                   help=t("cli.help.sup_staff"))
    for name in RUBRIC_OPTIONS:
        p.add_argument(f"--{name.replace('_', '-')}", dest=name, type=int, default=None,
                       metavar="N", help=t(f"sup.rubric.{name}"))
    p.add_argument("--month", default="", metavar="YYYY-MM", help=t("cli.help.sup_month"))
    p.add_argument("--points", type=int, default=None, metavar="N",
                   help=t("cli.help.sup_points"))
    p.add_argument("--note", default=None, help=t("cli.help.sup_note"))


def _error(exc) -> CliError:
    return CliError(t(f"err.supervision.{exc.code}"), 2)


def _print_rubric(rubric) -> None:
    from rich.table import Table
    from rich.text import Text

    table = Table(box=None, pad_edge=False, show_header=False)
    table.add_column()
    table.add_column(justify="right")
    table.add_column()
    for name in RUBRIC_OPTIONS:
        table.add_row(Text(t(f"sup.rubric.{name}")), Text(str(getattr(rubric, name))),
                      Text(f"--{name.replace('_', '-')}"))
    make_console().print(table)


def cmd_supervision(args, settings) -> int:
    from dataclasses import replace

    from db import supervision

    if args.action == "rubric":
        changes = {n: getattr(args, n) for n in RUBRIC_OPTIONS if getattr(args, n) is not None}
        if args.staff or args.month or args.points is not None or args.note is not None:
            raise CliError(t("cli.sup.rubric_args"), 2)
        open_school(settings)
        actor = signed_in(settings, args, "supervise")
        rubric = supervision.load_rubric()
        if changes:
            try:
                changed = supervision.save_rubric(actor, replace(rubric, **changes))
            except supervision.SupervisionError as exc:
                raise _error(exc) from None
            print(t("cli.sup.saved" if changed else "cli.sup.unchanged"))
            rubric = supervision.load_rubric()
        _print_rubric(rubric)
        return 0
    # adjust: the input first, before the file is opened
    if not args.staff.strip() or not args.month or args.points is None:
        raise CliError(t("cli.sup.adjust_args"), 2)
    try:
        supervision.month_bounds(args.month)
    except supervision.SupervisionError as exc:
        raise _error(exc) from None
    open_school(settings)
    actor = signed_in(settings, args, "supervise")
    from tui.cli.common import find_actor

    person = find_actor(None, args.staff.strip())
    try:
        supervision.set_adjustment(actor, person.id, args.month, args.points, args.note or "")
    except supervision.SupervisionError as exc:
        raise _error(exc) from None
    print(t("cli.sup.adjusted", name=safe(person.name), month=args.month.strip(),
            points=args.points))
    return 0


def supervision_report(args, settings, fmt: str) -> int:
    """``bangfu report supervision``: a file with -o, else md or csv on stdout."""
    from db import clock, supervision
    from db.workflow import load_rules
    from tui import report_supervision as files

    if args.week or args.term:
        raise CliError(t("cli.sup.no_week_term"), 2)
    if args.month:
        try:
            supervision.month_bounds(args.month)
        except supervision.SupervisionError as exc:
            raise _error(exc) from None
    open_school(settings)
    actor = signed_in(settings, args, "supervise")
    report = supervision.supervision(clock.today(), args.period or "month", reader=actor,
                                     month=args.month)
    rules = load_rules()
    if not args.output:
        text = (files.render_csv(report, rules) if fmt == "csv"
                else files.render_markdown(report, rules))
        supervision.record_export(actor, report, "print")
        sys.stdout.write(text)
        return 0
    written = write_file(args.output, f"bangfu-supervision-{report.month or report.period}.{fmt}",
                         lambda target: files.write_supervision(report, fmt, target, rules))
    try:
        supervision.record_export(actor, report, "file")
    except BaseException:
        written.unlink(missing_ok=True)  # no file leaves without its audit row
        raise
    print(t("cli.report.written", path=written))
    return 0
