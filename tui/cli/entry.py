"""The ``bangfu`` command: the TUI by default, look-ups and jobs as subcommands.

The parser (``build_parser``: every command's arguments, in the interface
language), ``main`` (which runs one command and turns any failure into one
line and an exit status) and the TUI's start (``run_tui``).  Each command
lives in its group's module (``tui.cli.lookup``, ``tui.cli.share`` …),
imported only when it runs: the look-ups (find, show, log) never import
Textual, so they answer fast over SSH; the TUI is imported only when it is
opened.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from tui import i18n
from tui.cli.common import CliError, safe
from tui.i18n import t


class Parser(argparse.ArgumentParser):
    """Usage errors as one line (``bangfu: …``), like every other failure, in
    the interface language; a refused choice lists the accepted values
    (``tui.cli.terminal.Choice``); ``--help`` wrapped to fit the terminal."""

    def __init__(self, *args, **kwargs):
        from tui.cli.terminal import HelpFormatter

        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)

    def _check_value(self, action, value):
        if action.choices is not None and value not in action.choices:
            from tui.cli.terminal import refusal

            raise argparse.ArgumentError(action, refusal(value, list(action.choices)))

    def _get_value(self, action, arg_string):
        try:
            return super()._get_value(action, arg_string)
        except argparse.ArgumentError:
            if action.type is not int:
                raise
            raise argparse.ArgumentError(action, t("cli.usage.number", value=safe(arg_string))) \
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
        return t("cli.usage.unrecognized", args=safe(found[1]))
    if found := re.fullmatch(r"argument (\S+): (.*)", message, flags=re.S):
        name, text = found[1], found[2]
        if text == "expected one argument":
            text = t("cli.usage.expected_one")
        return f"{name}: {text}"
    return message


def version() -> str:
    """bangfu's version, as installed (pyproject.toml's ``version``)."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        return installed("bangfu")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "(not installed)"


class ShowVersion(argparse.Action):
    """``--version``: the version is looked up only when asked for (not on every start)."""

    def __call__(self, parser, namespace, values, option_string=None):
        print(f"bangfu {version()}")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    from db.vocab import (CHANNEL_KEYS, CHANNELS, CONTACT_KINDS, KIND_KEYS, RESTRICTED_KEYS,
                          RESTRICTED_REASONS)
    from tui.cli.terminal import Choice

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
    parser.add_argument("--version", action=ShowVersion, nargs=0, help=t("cli.help.version"))
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
    p.add_argument("--times", metavar="N", type=int, default=None, help=t("cli.help.times"))
    p.add_argument("--during", choices=("all", "school", "holiday"), default=None,
                   help=t("cli.help.during"))
    p.add_argument("--kind", default="", type=KIND_OR_ANY, help=t("cli.help.rule_kind"))
    p.add_argument("--channel", default="", type=CHANNEL_OR_ANY, help=t("cli.help.rule_channel"))
    p.add_argument("--roles", default=None, metavar="ROLES", help=t("cli.help.rule_roles"))

    p = add_parser("report", help=t("cli.help.report"))
    p.add_argument("kind", choices=("weekly", "term", "supervision", "rollup"),
                   help=t("cli.help.report_kind"))
    p.add_argument("--week", default="", help=t("cli.help.week"))
    p.add_argument("--term", default="", help=t("cli.help.report_term"))
    p.add_argument("--month", default="", metavar="YYYY-MM", help=t("cli.help.sup_month"))
    p.add_argument("--period", default=None,
                   choices=("week", "half_month", "half-month", "month", "last_month", "term"),
                   metavar="PERIOD", help=t("cli.help.sup_period"))
    p.add_argument("--date", default="", metavar="YYYY-MM-DD", help=t("cli.help.rollup_date"))
    p.add_argument("--school", default="", metavar="NAME", help=t("cli.help.rollup_school"))
    p.add_argument("--format", choices=("xlsx", "csv", "md"), default=None,
                   help=t("cli.help.report_format"))
    p.add_argument("-o", "--output", metavar="FILE", default="", help=t("cli.help.report_output"))

    for name in ("subjects", "dimensions"):
        p = add_parser(name, help=t(f"cli.help.{name}"))
        p.add_argument("names", nargs="*", help=t("cli.help.names"))
        p.add_argument("--reset", action="store_true", help=t("cli.help.names_reset"))

    p = add_parser("demo", help=t("cli.help.demo"))
    p.add_argument("--students", type=int, default=None, help=t("cli.help.students"))
    p.add_argument("--seed", type=int, default=1, help=t("cli.help.seed"))
    p.add_argument("--force", action="store_true", help=t("cli.help.force"))
    p.add_argument("--schools", type=int, default=None, metavar="N", help=t("cli.help.schools"))

    add_parser("init", help=t("cli.help.init"))
    from tui.cli import (audit, district, events, export, families, feedback, keys, note,
                         office_share, referrals, rollup, roster, server, share, staff,
                         supervision, survey, villages)

    for group in (share, staff, audit, roster, export, server, keys, families, note, feedback,
                  events, survey, supervision, referrals, rollup, district, villages, office_share):
        group.add_commands(add_parser)
    return parser


def _command(module: str, name: str):
    """``tui.cli.<module>.<name>``, imported when the command runs: a look-up
    never imports what another command needs."""

    def run(args, settings) -> int:
        from importlib import import_module

        return getattr(import_module(f"tui.cli.{module}"), name)(args, settings)

    return run


COMMANDS = {
    **{name: _command("lookup", f"cmd_{name}") for name in ("find", "show", "due")},
    "log": _command("log", "cmd_log"),
    **{name: _command("school", f"cmd_{name}") for name in ("term", "rules", "demo", "init")},
    "subjects": _command("school", "cmd_names"), "dimensions": _command("school", "cmd_names"),
    "report": _command("report", "cmd_report"), "staff": _command("staff", "cmd_staff"),
    **{name: _command("share", f"cmd_{name.replace('-', '_')}")
       for name in ("backup", "unlock", "recover", "outbox", "set-locking")},
    "check": _command("check", "cmd_check"), "doctor": _command("check", "cmd_doctor"),
    "audit": _command("audit", "cmd_audit"), "export": _command("export", "cmd_export"),
    "import": _command("roster", "cmd_import"), "migrate-to": _command("server", "cmd_migrate_to"),
    "keys": _command("keys", "cmd_keys"), "holidays": _command("families", "cmd_holidays"),
    "note": _command("note", "cmd_note"), "feedback": _command("feedback", "cmd_feedback"),
    "recognitions": _command("feedback", "cmd_recognitions"),
    "events": _command("events", "cmd_events"), "survey": _command("survey", "cmd_survey"),
    "supervision": _command("supervision", "cmd_supervision"),
    "referrals": _command("referrals", "cmd_referrals"), "orgs": _command("referrals", "cmd_orgs"),
    "district": _command("district", "cmd_district"),
    "rollup": _command("rollup", "cmd_rollup"),
    "villages": _command("villages", "cmd_villages"),
    "share-case": _command("office_share", "cmd_share_case"),
}


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
        command = COMMANDS[args.command]
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
        from db.store.failures import failure_kind

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
