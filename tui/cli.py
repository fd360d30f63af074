"""The ``bangfu`` command: the TUI by default, look-ups and jobs as subcommands.

The look-ups (find, show, log) never import Textual, so they answer fast over
SSH; the TUI is imported only when it is opened.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from tui import i18n
from tui.i18n import failure, t


class Parser(argparse.ArgumentParser):
    """Usage errors as one line (``bangfu: …``), like every other failure, in
    the interface language; a refused choice lists the accepted values
    (``tui.cli_terminal.Choice``); ``--help`` wrapped to fit the terminal."""

    def __init__(self, *args, **kwargs):
        from tui.cli_terminal import HelpFormatter

        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)

    def _check_value(self, action, value):
        if action.choices is not None and value not in action.choices:
            from tui.cli_terminal import refusal

            raise argparse.ArgumentError(action, refusal(value, list(action.choices)))

    def _get_value(self, action, arg_string):
        try:
            return super()._get_value(action, arg_string)
        except argparse.ArgumentError:
            if action.type is not int:
                raise
            raise argparse.ArgumentError(action, t("cli.usage.number", value=_safe(arg_string))) \
                from None

    def error(self, message: str):
        self.exit(2, f"bangfu: {self.prog.removeprefix('bangfu').strip() or 'usage'}: "
                     f"{_usage_message(message)} (--help)\n")


def _usage_message(message: str) -> str:
    """argparse's own messages in the interface language, without its "argument"."""
    import re

    if found := re.fullmatch(r"the following arguments are required: (.*)", message):
        return t("cli.usage.required", names=found[1])
    if found := re.fullmatch(r"unrecognized arguments: (.*)", message):
        return t("cli.usage.unrecognized", args=_safe(found[1]))
    if found := re.fullmatch(r"argument (\S+): (.*)", message, flags=re.S):
        name, text = found[1], found[2]
        if text == "expected one argument":
            text = t("cli.usage.expected_one")
        return f"{name}: {text}"
    return message


class CliError(Exception):
    """A one-line message for stderr; the command exits with ``status``."""

    def __init__(self, message: str, status: int = 1):
        super().__init__(message)
        self.status = status


def build_parser() -> argparse.ArgumentParser:
    from db.vocab import (CHANNEL_KEYS, CHANNELS, CONTACT_KINDS, KIND_KEYS, RESTRICTED_KEYS,
                          RESTRICTED_REASONS)
    from tui.cli_terminal import Choice

    KIND = Choice(CONTACT_KINDS, "kind", KIND_KEYS)
    CHANNEL = Choice(CHANNELS, "channel", CHANNEL_KEYS)
    RESTRICTED = Choice(RESTRICTED_REASONS, "restricted", RESTRICTED_KEYS, blank=True)
    KIND_OR_ANY = Choice(CONTACT_KINDS, "kind", KIND_KEYS, blank=True)
    CHANNEL_OR_ANY = Choice(CHANNELS, "channel", CHANNEL_KEYS, blank=True)
    common = Parser(add_help=False)
    common.add_argument("--db", metavar="PATH",
                        help=t("cli.help.db"))
    common.add_argument("--lang", choices=("en", "zh"),
                        help=t("cli.help.lang"))
    common.add_argument("--locking", choices=("posix", "dotfile"),
                        help=t("cli.help.locking"))
    parser = Parser(prog="bangfu", description=t("cli.description"), parents=[common])
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    # --db and --lang are accepted after the subcommand too: bangfu init --db PATH
    sub_common = Parser(add_help=False)
    sub_common.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS)
    sub_common.add_argument("--lang", choices=("en", "zh"), default=argparse.SUPPRESS)
    sub_common.add_argument("--locking", choices=("posix", "dotfile"), default=argparse.SUPPRESS)
    sub_common.add_argument("--as", dest="as_staff", metavar="NAME", default=argparse.SUPPRESS,
                            help=t("cli.help.as"))

    def add_parser(name, **kwargs):
        return sub.add_parser(name, parents=[sub_common], **kwargs)

    p = add_parser("find", help=t("cli.help.find"))
    p.add_argument("query", nargs="+", help=t("cli.help.query"))
    p.add_argument("--limit", type=int, default=50, help=t("cli.help.limit"))

    p = add_parser("show", help=t("cli.help.show"))
    p.add_argument("student", help=t("cli.help.student"))
    p.add_argument("--contacts", type=int, default=10, help=t("cli.help.contacts"))
    p.add_argument("--format", choices=("text", "md"), default=None, help=t("cli.help.format"))
    p.add_argument("-o", "--output", metavar="FILE", default="", help=t("cli.help.output"))

    p = add_parser("log", help=t("cli.help.log"))
    p.add_argument("student", help=t("cli.help.student"))
    p.add_argument("--kind", default="family", type=KIND, help=t("cli.help.kind"))
    p.add_argument("--channel", default="phone", type=CHANNEL, help=t("cli.help.channel"))
    p.add_argument("--text", required=True, help=t("cli.help.text"))
    p.add_argument("--agreed", default="", help=t("cli.help.agreed"))
    p.add_argument("--date", default="today", help=t("cli.help.date"))
    p.add_argument("--time", default="", help=t("cli.help.time"))
    p.add_argument("--duration", default="", help=t("cli.help.duration"))
    p.add_argument("--participants", default="", help=t("cli.help.participants"))
    p.add_argument("--follow-up", default="", help=t("cli.help.follow_up"))
    p.add_argument("--follow-up-due", default="", help=t("cli.help.follow_up_due"))
    p.add_argument("--uuid", default="", help=t("cli.help.uuid"))
    p.add_argument("--restricted", default="", metavar="REASON", type=RESTRICTED,
                   help=t("cli.help.restricted"))

    p = add_parser("due", help=t("cli.help.due"))
    p.add_argument("--days", type=int, default=7, help=t("cli.help.days"))

    p = add_parser("term", help=t("cli.help.term"))
    p.add_argument("action", choices=("list", "add"))
    p.add_argument("name", nargs="?", default="", help=t("cli.help.term_name"))
    p.add_argument("--start", default="", help=t("cli.help.term_start"))
    p.add_argument("--end", default="", help=t("cli.help.term_end"))

    p = add_parser("rules", help=t("cli.help.rules"))
    p.add_argument("action", nargs="?", default="list",
                   choices=("list", "set", "add", "remove", "reset", "review-days"),
                   help=t("cli.help.rules_action"))
    p.add_argument("code", nargs="?", default="", help=t("cli.help.rule_code"))
    p.add_argument("--every", metavar="N", default=None, help=t("cli.help.every"))
    p.add_argument("--per-term", action="store_true", help=t("cli.help.per_term"))
    p.add_argument("--kind", default="", type=KIND_OR_ANY, help=t("cli.help.rule_kind"))
    p.add_argument("--channel", default="", type=CHANNEL_OR_ANY, help=t("cli.help.rule_channel"))

    p = add_parser("report", help=t("cli.help.report"))
    p.add_argument("kind", choices=("weekly", "term"), help=t("cli.help.report_kind"))
    p.add_argument("--week", default="", help=t("cli.help.week"))
    p.add_argument("--term", default="", help=t("cli.help.report_term"))
    p.add_argument("--format", choices=("xlsx", "csv", "md"), default=None,
                   help=t("cli.help.report_format"))
    p.add_argument("-o", "--output", metavar="FILE", default="", help=t("cli.help.report_output"))

    for name in ("subjects", "dimensions"):
        p = add_parser(name, help=t(f"cli.help.{name}"))
        p.add_argument("names", nargs="*", help=t("cli.help.names"))
        p.add_argument("--reset", action="store_true", help=t("cli.help.names_reset"))

    p = add_parser("demo", help=t("cli.help.demo"))
    p.add_argument("--students", type=int, default=1500, help=t("cli.help.students"))
    p.add_argument("--seed", type=int, default=1, help=t("cli.help.seed"))
    p.add_argument("--force", action="store_true", help=t("cli.help.force"))

    add_parser("init", help=t("cli.help.init"))
    from tui import cli_share, cli_staff

    cli_share.add_commands(add_parser)
    cli_staff.add_commands(add_parser)
    from tui import cli_audit

    cli_audit.add_commands(add_parser)
    from tui import cli_import

    cli_import.add_commands(add_parser)
    from tui import cli_export

    cli_export.add_commands(add_parser)
    from tui import cli_server

    cli_server.add_commands(add_parser)
    from tui import cli_keys

    cli_keys.add_commands(add_parser)
    return parser


def _open(settings, *, create: bool = False):
    from db.connection import DatabaseError, open_database

    try:
        return open_database(settings.db_path, create=create, locking=settings.locking)
    except DatabaseError as exc:
        raise CliError(i18n.database_error(exc.code, exc.path, _safe(exc.detail), settings),
                       3) from None


def _safe(text: str) -> str:
    from db.text import one_line

    return one_line(text)


def _student(query: str, reader):
    """The one student ``query`` names among those ``reader`` may see."""
    from db.access import scope_for
    from db.roster import StudentLookupError, load_index, resolve_student

    index = load_index(query, scope_for(reader))
    try:
        return resolve_student(index, query)
    except StudentLookupError as exc:
        if exc.code == "none":
            raise CliError(t("cli.no_match", query=_safe(query))) from None
        listing = "; ".join(f"{_safe(r.name)} {r.student_no} {_safe(r.class_name)}"
                            for r in exc.candidates)
        raise CliError(f"{t('cli.many', query=_safe(query))} {listing}") from None


def _console():
    from rich.console import Console

    return Console(highlight=False, markup=False, emoji=False,
                   width=None if sys.stdout.isatty() else 100)


def cmd_find(args, settings) -> int:
    from rich.table import Table
    from rich.text import Text

    from db import clock
    from db.access import scope_for
    from db.roster import load_index
    from tui.i18n import label

    _open(settings)
    reader = signed_in(settings, args)
    query = " ".join(args.query)
    rows = load_index(query, scope_for(reader)).search(query)
    if not rows:
        raise CliError(t("cli.no_match", query=_safe(" ".join(args.query))))
    table = Table(box=None, pad_edge=False)
    for key in ("name", "class", "status", "lead", "last", "days"):
        table.add_column(t(f"roster.col.{key}"))
    table.add_column("#")
    today = clock.today()
    for r in rows[: args.limit]:
        last = (f"{r.last_date:%m-%d} {label('channel', r.last_channel)}" if r.last_date else "")
        days = str((today - r.last_date).days) if r.last_date else ""
        table.add_row(*(Text(_safe(v)) for v in (
            r.name, r.class_name, label("status", r.status) if r.status else "",
            r.lead, last, days, r.student_no)))
    console = _console()
    console.print(table)
    console.print(Text(t("cli.found", n=len(rows))))
    return 0


def cmd_show(args, settings) -> int:
    from rich.text import Text

    from db.cases import load_case
    from db.text import clean
    from tui.i18n import hidden_text, label, labels, paren, restricted_entry

    fmt = args.format or ("md" if args.output else "text")  # -o alone: the md summary
    if fmt == "text" and args.output:
        raise CliError(t("cli.summary_text_output"), 2)
    _open(settings)
    reader = signed_in(settings, args)
    row = _student(args.student, reader)
    if fmt == "md":  # the printable case summary, to stdout or to a file
        from db import clock
        from tui.case_summary import case_summary_md, default_summary_path, write_case_summary

        if not args.output:
            sys.stdout.write(case_summary_md(row.student_id, reader=reader) or "")
            return 0
        target = Path(os.path.expanduser(args.output))
        if target.is_dir():  # a folder: the default file name in it
            target /= default_summary_path(row.name, row.student_no, clock.today()).name
        try:
            written = write_case_summary(row.student_id, target, reader=reader)
        except OSError as exc:
            raise CliError(t("cli.summary_failed", path=_safe(str(target)),
                             detail=exc.strerror or failure(exc))) from None
        print(t("cli.summary_written", path=_safe(str(written))))
        return 0
    from tui.cli_terminal import wrap_cells

    view = load_case(row.student_id, reader=reader)
    console = _console()

    def out(text: str, style: str = "") -> None:
        # each line cleaned once more as a whole: the label of a code the
        # vocabulary does not know (another tool wrote it) is the code itself;
        # wrapped here, at spaces, so that a list item's marker ("2.") never
        # ends a line away from its text
        for part in wrap_cells(clean(text, multiline=False), console.width, cjk=False):
            console.print(Text(part, style=style), no_wrap=True, overflow="ignore", crop=False)

    out(t("case.header", name=_safe(view.name), class_name=_safe(view.class_name),
          number=view.student_no), style="bold")
    if view.phone:  # the roster's 联系电话 (blank for a reader who may not see it)
        out(f"{t('cli.show.phone')}{t('common.colon')}{_safe(view.phone)}")
    elif "guardian_phone" in view.hidden:
        out(f"{t('cli.show.phone')}{t('common.colon')}{hidden_text(view, 'guardian_phone')}")
    if view.case_id is None:
        out(t("case.no_case"))
    else:
        out(t("case.status_line", status=label("status", view.status),
              risk=label("risk", view.risk_level), lead=_safe(view.lead) or "—",
              term=_safe(view.term_name)))
        out(f"{t('case.categories')}{t('common.colon')}{labels('category', view.categories)}")
        out(f"{t('case.causes')}{t('common.colon')}{labels('cause', view.causes)}")
        team = t("common.list_sep").join(f"{_safe(m.name)}{paren(label('role', m.role))}"
                                         for m in view.team)
        out(f"{t('case.team')}{t('common.colon')}{team or '—'}")
    for g in view.guardians:
        out(f"{t('case.guardians')}{t('common.colon')}{_safe(g.name)}"
            f"{paren(label('relation', g.relation))} {_safe(g.phone)}")
    for name in ("main_problems", "measures"):
        value = hidden_text(view, name) or _safe(getattr(view, name))
        if view.case_id is not None and value:
            out(f"{t('case.field.' + name)}{t('common.colon')}{value}")
    if view.contacts:
        out(t("cli.latest"), style="bold")
        for c in view.contacts[: args.contacts]:
            text = restricted_entry(c.restricted) if c.restricted else _safe(c.discussed)
            out(f"{c.occurred_at:%Y-%m-%d %H:%M}  {label('kind', c.kind)}/"
                f"{label('channel', c.channel)}  {_safe(c.author)}: {text}")
    return 0


def _actor(settings, name: str):
    from db.staff import find_staff

    name = name or settings.user
    if not name:
        raise CliError(t("cli.who"), 4)
    found = find_staff(name)
    if not found:
        raise CliError(t("cli.who_unknown", name=_safe(name)), 4)
    if len(found) > 1:
        raise CliError(t("cli.who_many", name=_safe(name),
                         list=", ".join(_safe(s.name) for s in found[:8])), 4)
    return found[0]


def _read_pin(name: str) -> str:
    """The PIN typed at the terminal (not echoed), or stdin's first line
    (scripts: ``bangfu due --as 王芳 < pinfile``): ``cli_terminal.read_secret``."""
    from tui.cli_terminal import read_secret

    return read_secret(t("cli.pin_prompt", name=_safe(name)),
                       t("cli.secret.pin", name=_safe(name))) or ""


def signed_in(settings, args, ability: str | None = None, *, readonly: bool = False,
              lock_held_ok: bool = False):
    """Who runs this command: ``--as NAME``, else ``BANGFU_USER`` / ``user`` /
    the OS user's entry in ``[os_users]`` of the config; their PIN is asked
    (five wrong ones lock the account, as in the app).  With ``ability``, only
    a role that has it (``db.access``) goes on.  Exit 4 otherwise.

    The reads (and the write that counts a try) wait for a busy file with the
    same back-off as a save.  ``readonly``: the file is bound read-only
    (``db.connection.open_snapshot``), so the PIN is checked without counting.

    Someone who may read restricted text with a PIN too weak for that
    (``db.accounts.must_change_pin``) is refused, told how to change it
    (``bangfu staff pin`` or the app); not on a read-only file, where nothing
    can be changed now (an entry then waits in the outbox as it would).

    ``lock_held_ok`` (``bangfu log``): when another client holds a server's
    write lock past the bounded wait, so the try cannot be counted, the PIN is
    checked without counting, as on a locked file, and ``args.held_lock`` says
    why (the entry then waits in the outbox)."""
    from peewee import OperationalError

    from db.accounts import AccountError, authenticate, must_change_pin, verify_pin
    from db.access import can
    from db.connection import with_retry
    from db.staff import staff_view
    from tui.i18n import account_error

    person = with_retry(lambda: _actor(settings, getattr(args, "as_staff", "")))
    pin = _read_pin(person.name)
    if not pin:
        raise CliError(t("cli.pin_needed", name=_safe(person.name)), 4)
    check = verify_pin if readonly else authenticate
    try:
        try:
            with_retry(lambda: check(person.id, pin))
        except OperationalError as exc:
            if not (lock_held_ok and settings.on_server and _lock_held(exc)):
                raise
            with_retry(lambda: verify_pin(person.id, pin))
            args.held_lock, readonly = exc, True
    except AccountError as exc:
        raise CliError(account_error(exc), 4) from None
    if not readonly and with_retry(lambda: must_change_pin(person.id, pin)):
        raise CliError(t("cli.pin_must_change", name=_safe(person.name)), 4)
    reader = with_retry(lambda: staff_view(person.id))
    if ability and not can(reader, ability):
        raise CliError(t("cli.not_allowed", role=_role(reader)), 4)
    return reader


def _role(reader) -> str:
    from tui.i18n import label

    return label("staff_role", reader.role)


def cmd_log(args, settings) -> int:
    from peewee import OperationalError

    from db.connection import DatabaseError, is_busy_error, open_database, with_retry
    from db.contacts import CaseGone, ContactInput, ContactValidationError, save_contact, validate

    locked = None  # the file stayed locked past every retry: read it as it is, queue the entry
    try:
        open_database(settings.db_path, locking=settings.locking)
        actor = signed_in(settings, args, lock_held_ok=True)
        # every read on the way waits for a busy file as the save does
        row = with_retry(lambda: _student(args.student, actor))
    except (DatabaseError, OperationalError) as exc:
        busy = is_busy_error(exc.detail if isinstance(exc, DatabaseError) else exc)
        if settings.on_server or not busy or getattr(exc, "code", "unreadable") != "unreadable":
            if isinstance(exc, DatabaseError):
                raise CliError(i18n.database_error(exc.code, exc.path, _safe(exc.detail),
                                                   settings), 3) from None
            raise
        locked = exc if isinstance(exc, OperationalError) else OperationalError(exc.detail)
        actor, row = _read_locked_file(settings, args)
    locked = locked or getattr(args, "held_lock", None)  # (a server's, at sign-in)
    if row.case_id is None:
        raise CliError(t("cli.no_case", name=_safe(row.name), number=row.student_no))
    data = ContactInput(
        case_id=row.case_id, date=args.date, time=args.time, kind=args.kind,
        channel=args.channel, participants=args.participants, duration=args.duration,
        discussed=args.text, agreed=args.agreed, follow_up=args.follow_up,
        follow_up_due=args.follow_up_due, uuid=args.uuid, restricted=args.restricted)
    try:
        entry = validate(data)
    except ContactValidationError as exc:
        field, key = next(iter(exc.errors.items()))
        raise CliError(t("cli.invalid", field=t(f"cli.field.{field}"), message=t(key))) from None
    from db.connection import is_unreachable

    try:
        if locked is not None:
            raise locked  # straight to the outbox: nothing can be written now
        save_contact(actor, entry)
    except CaseGone:
        raise CliError(t("cli.no_case", name=_safe(row.name), number=row.student_no)) from None
    except Exception as exc:
        if not is_unreachable(exc):
            raise
        from db.contacts import queue_contact

        kind, message = i18n.queued_message(exc, entry.uuid)  # busy, disk full, lost, unknown …
        queue_contact(settings.db_path, actor, entry, kind)
        print(entry.uuid)
        print(f"bangfu: {message}", file=sys.stderr)
        return 75  # EX_TEMPFAIL: kept locally, written later
    print(entry.uuid)
    return 0


def _lock_held(exc) -> bool:
    from db.server import outage_kind

    return outage_kind(exc) == "busy"


def _read_locked_file(settings, args):
    """Who logs, and for which student, read from the file as it is (read-only,
    without its lock: ``db.connection.open_snapshot``) when the lock stayed
    taken past every retry (a crashed client's, or an import far longer than a
    save): the PIN is checked there (not counted: nothing can be written), and
    the entry then waits in the outbox instead of being lost."""
    from db.connection import DatabaseError, close_database, open_snapshot

    close_database()
    try:
        open_snapshot(settings.db_path)
    except DatabaseError as exc:
        raise CliError(i18n.database_error("unreadable", exc.path, _safe(exc.detail), settings),
                       75) from None
    actor = signed_in(settings, args, readonly=True)
    return actor, _student(args.student, actor)


def cmd_due(args, settings) -> int:
    """My caseload as text: what is overdue or due, for an SSH one-liner."""
    from rich.table import Table
    from rich.text import Text

    from db import clock
    from db.workflow import due_items, load_rules, my_cases
    from tui.i18n import due_detail, due_label, due_when

    if args.days < 0:
        raise CliError(t("cli.invalid", field="--days", message=t("cli.days_negative")), 2)
    _open(settings)
    actor = signed_in(settings, args)
    today = clock.today()
    cases = my_cases(actor.id)
    rules = load_rules()
    items = due_items(cases, today, args.days, rules)
    console = _console()
    if not items:
        console.print(Text(t("cli.due_none", name=_safe(actor.name), days=args.days)))
        return 0
    table = Table(box=None, pad_edge=False)
    for key in ("name", "number", "what", "when", "due", "detail"):
        table.add_column(t(f"cli.due.col.{key}"))
    for item in items:
        table.add_row(*(Text(_safe(v)) for v in (
            item.name, item.student_no, due_label(item.what, rules), due_when(item, today),
            f"{item.due:%Y-%m-%d}", due_detail(item))))
    console.print(table)
    late = sum(1 for i in items if i.due < today)
    console.print(Text(t("cli.due_count", n=len(items), late=late, cases=len(cases))))
    return 0


def cmd_term(args, settings) -> int:
    """School terms: list them, or add the next one (then F4 re-reviews the cases)."""
    import datetime as dt

    from db import clock
    from db.terms import TermError, add_term, list_terms

    _open(settings)
    if args.action == "list":
        signed_in(settings, args)
        for term in list_terms():
            print(f"{term.start_date} – {term.end_date}  {_safe(term.name)}")
        return 0
    dates = {}
    for field in ("start", "end"):
        try:
            dates[field] = dt.date.fromisoformat(getattr(args, field))
        except ValueError:
            raise CliError(t("cli.invalid", field=f"--{field}",
                             message=t("cli.term.date")), 2) from None
    actor = signed_in(settings, args, "manage")
    try:
        term = add_term(actor, args.name, dates["start"], dates["end"])
    except TermError as exc:
        raise CliError(t(f"cli.term.{exc.code}"), 2) from None
    print(t("cli.term_added", name=_safe(term.name), start=term.start_date, end=term.end_date,
            current=t("cli.term_current") if term.start_date <= clock.today() <= term.end_date
            else ""))
    return 0


def _rule_error(exc) -> CliError:
    """A ``db.rules.RuleError`` as a one-line usage error (exit 2)."""
    message = t(f"err.rule.{exc.code}")
    return CliError(f"{_safe(exc.rule)}: {message}" if exc.rule else message, 2)


def _rule_interval(args) -> tuple[int, bool]:
    """``--every N`` or ``--per-term``: exactly one of them."""
    from db.rules import RuleError, check_days

    if (args.every is None) == (not args.per_term):
        raise CliError(t("cli.rules.interval"), 2)
    if args.per_term:
        return 0, True
    try:
        return check_days(int(args.every.strip())), False
    except (ValueError, RuleError):
        raise CliError(t("cli.invalid", field="--every", message=t("err.rule.days")), 2) from None


def _print_rules(console) -> None:
    from rich.table import Table
    from rich.text import Text

    from db.workflow import load_review_days, load_rules
    from tui.i18n import rule_counts, rule_label, rule_often

    table = Table(box=None, pad_edge=False)
    for key in ("code", "rule", "counts", "often"):
        table.add_column(t(f"rules.col.{key}"))
    for rule in load_rules():
        table.add_row(*(Text(_safe(v)) for v in (rule.code, rule_label(rule), rule_counts(rule),
                                                 rule_often(rule))))
    table.add_row(*(Text(v) for v in ("review-days", t("rules.review"), t("rules.review_counts"),
                                      t("rules.every", n=load_review_days()))))
    console.print(table)


def cmd_rules(args, settings) -> int:
    """The school's rules: list them, or change one (audited, as --as NAME)."""
    from rich.text import Text

    from db import rules as school_rules
    from db.workflow import Rule

    action, code = args.action, args.code.strip()
    console = _console()
    if action == "list":
        _open(settings)
        _print_rules(console)
        return 0
    # the input first: a mistyped command never opens (or waits on) the file
    if action in ("set", "add", "remove") and not code:
        raise CliError(t("cli.rules.need_code", action=action), 2)
    if action in ("set", "add"):
        days, per_term = _rule_interval(args)
    if action == "add":  # (--kind and --channel are codes already: build_parser's Choice)
        rule = Rule(code, args.kind, args.channel, 0 if per_term else days, per_term)
        try:
            school_rules.validate([rule])
        except school_rules.RuleError as exc:
            raise _rule_error(exc) from None
    if action == "review-days":
        try:
            review_days = school_rules.check_days(int(code))
        except (ValueError, school_rules.RuleError):
            raise CliError(t("cli.invalid", field="review-days", message=t("err.rule.days")),
                           2) from None
    _open(settings)
    actor = signed_in(settings, args, "manage")
    try:
        if action == "set":
            changed = school_rules.set_interval(actor, code, days, per_term)
        elif action == "add":
            school_rules.add_rule(actor, rule)
            changed = True
        elif action == "remove":
            school_rules.remove_rule(actor, code)
            changed = True
        elif action == "reset":
            changed = school_rules.reset_rules(actor)
        else:
            changed = school_rules.set_review_days(actor, review_days)
    except school_rules.RuleError as exc:
        raise _rule_error(exc) from None
    console.print(Text(t("cli.rules.saved" if changed else "cli.rules.unchanged")))
    _print_rules(console)
    return 0


def cmd_demo(args, settings) -> int:
    from db import demo
    from db.models import Student

    path = settings.db_shown
    if not settings.on_server and Path(settings.db_path).exists() and args.force:
        Path(settings.db_path).unlink()  # (a server database is never emptied from here)
    _open(settings, create=True)
    if Student.select().exists():
        raise CliError(t("cli.demo_exists_server" if settings.on_server else "cli.demo_exists",
                         path=path))
    counts = demo.build_demo(students=args.students, seed=args.seed)
    from db import keys

    code = keys.set_up_demo(demo.DEMO_PIN)  # restricted text sealed, as in a real school
    print(t("cli.demo_done", path=path, students=counts.get("student", 0),
            cases=counts.get("case_file", 0), contacts=counts.get("contact", 0),
            scores=counts.get("score", 0), checkins=counts.get("checkin", 0)))
    if code:
        print(t("cli.demo_keys", code=code))
    return 0


def cmd_init(args, settings) -> int:
    from db.connection import schema_version

    db = _open(settings, create=True)
    print(t("cli.init_done", path=settings.db_shown, version=schema_version(db)))
    return 0


def _share_commands() -> dict:
    from tui import cli_audit, cli_export, cli_import, cli_server, cli_share

    return {**{name: getattr(cli_share, f"cmd_{name.replace('-', '_')}")
               for name in ("backup", "check", "doctor", "unlock", "recover", "outbox",
                            "set-locking")}, "audit": cli_audit.cmd_audit,
            "export": cli_export.cmd_export, "import": cli_import.cmd_import,
            "migrate-to": cli_server.cmd_migrate_to, "keys": _keys}


def _keys(args, settings) -> int:
    from tui.cli_keys import cmd_keys

    return cmd_keys(args, settings)


def cmd_report(args, settings) -> int:
    """The weekly report or the term summary: a file with -o, else md or csv on stdout."""
    from db.reports import ReportError, parse_week
    from tui.report_files import format_of

    fmt = format_of(args.output, args.format)
    # the input first: a mistyped command never opens (or waits on) the file
    if fmt == "xlsx" and not args.output:
        raise CliError(t("cli.report.need_output"), 2)
    if args.week and args.kind != "weekly":
        raise CliError(t("cli.report.week_only"), 2)
    if args.term and args.kind != "term":
        raise CliError(t("cli.report.term_only"), 2)
    try:
        parse_week(args.week)
    except ReportError as exc:
        raise CliError(t(exc.key), 2) from None
    _open(settings)
    actor = signed_in(settings, args, "reports")
    from db.reports import build_report, find_term, term_names
    from tui.report_files import render_csv, render_markdown, write_report

    term_id = None
    if args.term:
        term = find_term(args.term)
        if term is None:
            names = t("common.list_sep").join(_safe(n) for n in term_names()) or t("common.none")
            raise CliError(t("cli.report.no_term", name=_safe(args.term), terms=names))
        term_id = term.id
    try:
        report = build_report(args.kind, reader=actor, week=args.week, term_id=term_id)
    except ReportError as exc:
        raise CliError(t(exc.key)) from None
    if not args.output:
        sys.stdout.write(render_csv(report) if fmt == "csv" else render_markdown(report))
        return 0
    target = Path(os.path.expanduser(args.output))
    if target.is_dir():  # a folder: a default name in it
        from tui.exports import safe_name

        target /= f"bangfu-{safe_name(report.week or report.term_name)}.{fmt}"
    try:
        written = write_report(report, fmt, target)
    except OSError as exc:
        raise CliError(t("cli.report.failed", path=target,
                         detail=exc.strerror or failure(exc))) from None
    print(t("cli.report.written", path=written))
    return 0


def cmd_names(args, settings) -> int:
    """The score grid's subjects or the check-in dimensions: list, or set them
    for the whole school (audited, as --as NAME); --reset: the defaults."""
    from db import progress

    subjects = args.command == "subjects"
    names = [n for arg in args.names for n in progress.split_names(arg)]
    if names and args.reset:
        raise CliError(t("cli.names.both"), 2)
    if names:  # the input first: a mistyped command never opens the file
        try:
            progress.check_names(names, progress.MAX_SUBJECTS if subjects
                                 else progress.MAX_DIMENSIONS)
        except progress.SettingError as exc:
            raise CliError(t("cli.invalid", field=args.command, message=t(f"err.{exc.code}")),
                           2) from None
    _open(settings)
    if names or args.reset:
        actor = signed_in(settings, args, "manage")
        save = progress.save_subjects if subjects else progress.save_dimensions
        changed = save(actor, None if args.reset else names)
        print(t("cli.names.saved" if changed else "cli.names.unchanged"))
    from tui.i18n import label

    current = progress.load_subjects() if subjects else progress.load_dimensions()
    print(t("common.list_sep").join(_safe(n if subjects else label("dimension", n))
                                    for n in current))
    return 0


COMMANDS = {"subjects": cmd_names, "dimensions": cmd_names, "find": cmd_find, "show": cmd_show, "log": cmd_log, "demo": cmd_demo,
            "init": cmd_init, "due": cmd_due, "term": cmd_term, "rules": cmd_rules,
            "report": cmd_report, "staff": lambda args, settings: _staff(args, settings)}


def _staff(args, settings) -> int:
    from tui.cli_staff import cmd_staff

    return cmd_staff(args, settings)


def main(argv: list[str] | None = None) -> int:
    from db.config import ConfigError, resolve

    argv = sys.argv[1:] if argv is None else argv
    # the language must be known before argparse renders help text
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--lang")
    pre.add_argument("--db")
    pre.add_argument("--locking")
    known, _ = pre.parse_known_args(argv)
    # (a --locking that is neither is refused by the parser below, in the interface language)
    locking = known.locking if known.locking in ("posix", "dotfile") else None
    try:
        settings = resolve(known.db, known.lang, locking_arg=locking)
    except ConfigError as exc:
        print(f"bangfu: {exc}", file=sys.stderr)
        return 3
    i18n.set_language(settings.lang)
    args = build_parser().parse_args(argv)
    try:
        if args.command is None:
            return run_tui(settings)
        command = COMMANDS.get(args.command) or _share_commands()[args.command]
        return command(args, settings)
    except CliError as exc:
        print(f"bangfu: {exc}", file=sys.stderr)
        return exc.status
    except KeyboardInterrupt:
        print(f"bangfu: {t('cli.interrupted')}", file=sys.stderr)
        return 130
    except Exception as exc:  # never a traceback with personal data in it
        if os.environ.get("BANGFU_DEBUG"):
            raise
        # the message may quote personal data: say what kind of failure it was
        # (never an exception's name); an outage is worth trying again (75)
        from db.failures import failure_kind

        print(f"bangfu: {_sentence(t('cli.failed', reason=i18n.failure(exc)))}", file=sys.stderr)
        return 1 if failure_kind(exc) in ("other", "damaged", "permission") else 75


def run_tui(settings) -> int:
    # only the cheap check here; the app opens (and migrates) the file in a
    # worker after its first frame and shows any failure on screen
    if os.environ.get("TERM", "").strip().lower() == "dumb":
        # (an editor's shell, a serial console): no cursor moves, no colours
        raise CliError(t("cli.dumb_terminal"), 2)
    if (settings.db_source != "default" and not settings.on_server
            and not Path(settings.db_path).exists()):
        raise CliError(t("cli.missing_db", path=settings.db_path), 3)
    if not (_is_terminal(sys.stdin) and _is_terminal(sys.stdout)):
        # Textual would wait for keys that never come, at full speed, forever
        raise CliError(t("cli.no_terminal"), 2)
    from tui.app import BangfuApp

    app = BangfuApp(settings=settings)
    crash = quiet_crashes(app)
    # keyboard only: with mouse tracking off the terminal's own selection (and
    # copying) works, and no stream of motion events delays the next key
    app.run(mouse=False)
    if crash():
        print(crash(), file=sys.stderr)
    return app.return_code or 0


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _is_terminal(stream) -> bool:
    try:
        return stream is not None and stream.isatty()
    except (ValueError, OSError):  # closed
        return False


def quiet_crashes(app):
    """Textual prints a crash's traceback on exit with the values of the local
    variables in it (names, notes, phone numbers): keep it off the terminal
    unless BANGFU_DEBUG is set.  Returns a function that gives the one line to
    print instead ("" if the app did not crash)."""
    if os.environ.get("BANGFU_DEBUG"):
        return lambda: ""
    import io

    from rich.console import Console

    held = io.StringIO()
    app.error_console = Console(file=held, markup=False, highlight=False)

    def message() -> str:
        if not held.getvalue():
            return ""
        error = getattr(app, "_exception", None)  # the first unhandled one
        reason = i18n.failure(error) if error is not None else t("failure.other")
        return f"bangfu: {_sentence(reason)}"

    return message


if __name__ == "__main__":
    # run the module's own main (not __main__'s copy), so the share commands'
    # ``from tui.cli import CliError`` is the class main() catches
    from tui.cli import main as _main

    sys.exit(_main())
