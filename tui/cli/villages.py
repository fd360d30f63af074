"""``bangfu villages``: the villages (属地) of the students one sees, each with
its students and the students with an open case, as plain text or CSV; with
``--fill``, each empty village is read from the student's address.

Listing needs "reports" (not volunteers); filling is editing the students'
details, so administrators and coordinators only ("manage").  A refusal
exits 4.  No Textual here."""

from __future__ import annotations

import sys

from tui.cli.common import make_console, open_school, safe, signed_in
from tui.i18n import t


def add_commands(add_parser) -> None:
    p = add_parser("villages", help=t("cli.help.villages"))
    p.add_argument("--fill", action="store_true", help=t("cli.help.villages_fill"))
    p.add_argument("--format", choices=("text", "csv"), default="text",
                   help=t("cli.help.villages_format"))


def cmd_villages(args, settings) -> int:
    from db import villages
    from db.store.connection import with_retry

    open_school(settings)
    if args.fill:
        reader = signed_in(settings, args, "manage")  # refused at sign-in otherwise (exit 4)
        n = with_retry(lambda: villages.fill_villages(reader))
        print(t("cli.villages.filled", n=n))
        return 0
    reader = signed_in(settings, args, "reports")
    rows = with_retry(lambda: villages.villages(reader))
    if args.format == "csv":
        return _csv(rows)
    return _text(rows)


def _name(village: str) -> str:
    return safe(village) if village else t("villages.unknown")


def _csv(rows) -> int:
    import csv

    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow([t("villages.col.village"), t("villages.col.students"),
                  t("villages.col.open")])
    for r in rows:
        out.writerow([_name(r.village), r.students, r.open_cases])
    return 0


def _text(rows) -> int:
    from rich.table import Table
    from rich.text import Text

    console = make_console()
    if not rows:
        console.print(Text(t("villages.none")))
        return 0
    table = Table(box=None, pad_edge=False)
    table.add_column(t("villages.col.village"))
    table.add_column(t("villages.col.students"), justify="right")
    table.add_column(t("villages.col.open"), justify="right")
    for r in rows:
        table.add_row(Text(_name(r.village)), Text(str(r.students)), Text(str(r.open_cases)))
    table.add_row(Text(t("villages.total")), Text(str(sum(r.students for r in rows))),
                  Text(str(sum(r.open_cases for r in rows))), style="bold")
    console.print(table)
    return 0
