"""``bangfu events [--from DATE --to DATE]``: the family events held in a
range (this term unless told), one line each: date, kind, the families that
came out of those invited (in the classes the person sees) and the topic.

Staff only (volunteers see no family data: ``db.family_events``).  Plain
text in the interface language; no Textual here.
"""

from __future__ import annotations

from tui.cli.common import CliError, open_school, safe, signed_in
from tui.i18n import label, t


def add_commands(add_parser) -> None:
    p = add_parser("events", help=t("event.cli.help"))
    p.add_argument("--from", dest="start", metavar="DATE", default="", help=t("cli.help.since"))
    p.add_argument("--to", dest="end", metavar="DATE", default="", help=t("cli.help.until"))


def _day(text: str, flag: str, today):
    from db.dates import DateError, parse_date

    try:
        return parse_date(text, today, prefer="past") if text else None
    except DateError as exc:
        raise CliError(t("cli.invalid", field=flag, message=t(f"err.date.{exc.code}")), 2) from None


def cmd_events(args, settings) -> int:
    from db import clock
    from db.access import NotAllowed
    from db.family_events import list_events
    from db.workflow import term_bounds

    today = clock.today()
    start, end = _day(args.start, "--from", today), _day(args.end, "--to", today)
    open_school(settings)
    reader = signed_in(settings, args, "grid")
    first, last = term_bounds(today)
    start, end = start or first, end or last
    if end < start:
        raise CliError(t("event.cli.range"), 2)
    try:
        events = list_events(reader, start, end)
    except NotAllowed:
        raise CliError(t("err.access.family_events"), 4) from None
    print(t("event.cli.title", n=len(events), start=f"{start:%Y-%m-%d}", end=f"{end:%Y-%m-%d}"))
    for e in events:
        print(f"{e.held_on:%Y-%m-%d}  {label('event', e.kind)}  "
              f"{t('event.cli.came', came=e.attended, invited=e.invited)}  {safe(e.topic)}")
    return 0
