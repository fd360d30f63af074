"""``bangfu import roster FILE``: bring a school's roster in from the command line.

The same report as the import screen (``tui.import_report``): how the columns
were understood, the first rows, what would happen and every problem by row
(the first 1,000 of each list, then how many more).  At a terminal, stderr
shows how far reading, matching and writing have got.
``--dry-run`` stops there; otherwise the import asks y/N at a terminal, or
needs ``--yes`` when stdin is not one.  Managers only.  No Textual here.
"""

from __future__ import annotations

import os
import sys

from tui.cli.common import CliError, open_school, signed_in
from tui.i18n import t


def add_commands(add_parser) -> None:
    from db.vocab import ROSTER_FIELDS as FIELDS  # not db.roster_file: every start builds the parser

    p = add_parser("import", help=t("cli.help.import"))
    p.add_argument("what", choices=("roster",), help=t("cli.help.import_what"))
    p.add_argument("file", metavar="FILE", help=t("cli.help.import_file"))
    p.add_argument("--map", action="append", default=[], metavar="COLUMN=FIELD",
                   help=f"{t('cli.help.import_map')}: {', '.join(FIELDS)}")
    p.add_argument("--sheet", default=None, metavar="NAME", help=t("cli.help.import_sheet"))
    p.add_argument("--dry-run", action="store_true", help=t("cli.help.import_dry_run"))
    p.add_argument("--yes", action="store_true", help=t("cli.help.import_yes"))


def _progress_printer(label: str = "import.writing"):
    """``label`` and done/total on one line of a terminal's stderr (nothing in a pipe)."""
    if not sys.stderr.isatty():
        return None

    def progress(done: int, total: int) -> None:
        sys.stderr.write(f"\r{t(label)} {done}/{total}")
        sys.stderr.flush()
        if done >= total:
            sys.stderr.write("\n")

    return progress


def cmd_import(args, settings) -> int:
    from db.roster_file import RosterFileError, parse_mapping, read_roster
    from db.roster_import import RosterChanged, apply_import, plan_import
    from db.text import clean
    from tui.import_report import file_error, plan_lines, result_line

    path = os.path.expanduser(args.file)
    # the file first: a wrong path or mapping never opens (or waits on) the database
    try:
        parsed = read_roster(path, parse_mapping(args.map), args.sheet,
                             progress=_progress_printer("import.reading"))
    except RosterFileError as exc:
        raise CliError(file_error(exc), 2) from None
    open_school(settings)
    actor = signed_in(settings, args, "manage")
    plan = plan_import(parsed, progress=_progress_printer("import.matching"))
    # each cell is already cleaned; clean() keeps the report's alignment
    print("\n".join(clean(line, multiline=False) for line in plan_lines(plan)))
    if args.dry_run:
        print(t("import.dry_run"))
        return 0
    if not plan.count("new") and not plan.count("update"):
        print(t("import.nothing"))
        return 0
    if not args.yes:
        if not sys.stdin.isatty():
            raise CliError(t("import.need_yes"), 2)
        answer = input(t("import.ask_cli", new=plan.count("new"),
                         updated=plan.count("update")) + " ")
        if answer.strip().lower() not in ("y", "yes", "是"):
            print(t("import.cancelled"))
            return 1
    try:
        result = apply_import(actor, plan, progress=_progress_printer())
    except RosterChanged:
        raise CliError(t("import.changed"), 1) from None
    print(result_line(result))
    return 0
