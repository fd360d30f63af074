"""``bangfu holidays``: the school's holidays and days off (db.holidays)."""

from __future__ import annotations

from tui.cli.common import CliError, open_school, safe, signed_in, start_and_end
from tui.i18n import label, t


def add_commands(add_parser) -> None:
    from db.vocab import HOLIDAY_KINDS
    from tui.cli.terminal import Choice, accepted

    p = add_parser("holidays", help=t("cli.help.holidays"))
    p.add_argument("action", nargs="?", default="list", choices=("list", "add", "remove"),
                   help=t("cli.help.holidays_action"))
    p.add_argument("name", nargs="?", default="", help=t("cli.help.holiday_name"))
    p.add_argument("--start", default="", help=t("cli.help.holiday_start"))
    p.add_argument("--end", default="", help=t("cli.help.holiday_end"))
    p.add_argument("--kind", type=Choice(HOLIDAY_KINDS, "holiday"), default="other",
                   metavar="KIND", help=t("cli.help.holiday_kind") + t("common.colon")
                   + accepted(HOLIDAY_KINDS, "holiday"))


def _print(holidays) -> None:
    if not holidays:
        print(t("cli.holidays.none"))
    for row in holidays:
        print(f"{row.id:>4}  {row.start_date} – {row.end_date}  "
              f"{safe(label('holiday', row.kind))}  {safe(row.name)}")


def cmd_holidays(args, settings) -> int:
    """List the holidays, add one (NAME --start --end [--kind]) or remove one (ID)."""
    from db.access import NotAllowed
    from db.holidays import HolidayError, add_holiday, list_holidays, remove_holiday

    if args.action == "add":
        start, end = start_and_end(args)
    elif args.action == "remove" and not args.name.strip().isdigit():
        raise CliError(t("cli.holidays.which"), 2)
    open_school(settings)
    if args.action == "list":
        signed_in(settings, args)
        _print(list_holidays())
        return 0
    actor = signed_in(settings, args, "manage")
    try:
        if args.action == "add":
            row = add_holiday(actor, args.name, start, end, args.kind)
            print(t("cli.holidays.added", name=safe(row.name), start=row.start_date,
                    end=row.end_date))
        else:
            row = remove_holiday(actor, int(args.name))
            print(t("cli.holidays.removed", name=safe(row.name)))
    except HolidayError as exc:
        raise CliError(t(f"err.holiday.{exc.code}"), 2) from None
    except NotAllowed:
        raise CliError(t("err.access.manage"), 1) from None
    return 0
