"""``bangfu staff``: accounts from the command line (administrators and
coordinators; on an empty file, ``staff add`` makes the first administrator).
``staff pin`` is everyone's: it changes one's own PIN (the one asked when a
PIN is too weak for someone who reads restricted text).

A new PIN is typed twice at the terminal, or read from stdin's next line
after the PIN of the person running the command (scripts)."""

from __future__ import annotations

from tui.cli.common import CliError, find_actor, open_school, read_pin, safe, signed_in
from tui.i18n import t

ACTIONS = ("list", "add", "set", "disable", "enable", "reset-pin", "pin")


def add_commands(add_parser) -> None:
    from db.vocab import STAFF_ROLES
    from tui.cli.terminal import Choice, accepted

    p = add_parser("staff", help=t("cli.help.staff"))
    p.add_argument("action", choices=ACTIONS, help=t("cli.help.staff_action"))
    p.add_argument("name", nargs="?", default="", help=t("cli.help.staff_name"))
    # (a metavar: the six codes in the usage line would not fit 80 columns)
    p.add_argument("--role", type=Choice(STAFF_ROLES, "staff_role"), default=None, metavar="ROLE",
                   help=t("cli.help.staff_role") + t("common.colon") + accepted(STAFF_ROLES, "staff_role"))
    p.add_argument("--classes", default=None, help=t("cli.help.staff_classes"))


def _new_pin(name: str, *, again: bool = False):
    """The new PIN; ``again``: (the PIN, the same typed again).  Typed twice at
    the terminal (compared here), or stdin's next line(s): one, or two with
    ``again`` (``tui.cli.terminal.read_secret``)."""
    from tui.cli import terminal

    first = terminal.read_secret(t("cli.staff.new_pin", name=safe(name)),
                                     t("cli.secret.new_pin", name=safe(name)))
    typed = terminal.typed_at_terminal()
    second = None
    if first is not None and (again or typed):
        second = terminal.read_secret(t("cli.staff.new_pin_again"),
                                          t("cli.secret.new_pin_again"))
    if first is None or ((again or typed) and second is None):
        raise CliError(t("cli.staff.pin_line", name=safe(name)), 2)
    if typed and first != second:
        raise CliError(t("err.account.pin_mismatch"), 2)
    return (first, second) if again else first


def _account(name: str):
    """Any account (disabled ones too) by exact name."""
    from db.models import Staff
    from db.text import one_line

    rows = list(Staff.select().where(Staff.name == one_line(name)))
    if not rows:
        raise CliError(t("cli.who_unknown", name=safe(name)), 2)
    return rows[0]


def cmd_staff(args, settings) -> int:
    from db import accounts
    from tui.i18n import account_error, label

    if args.action not in ("list", "pin") and not args.name.strip():
        raise CliError(t("cli.staff.need_name", action=args.action), 2)
    open_school(settings)
    if args.action == "pin":
        return _own_pin(args, settings)
    try:
        if args.action == "add" and not accounts.has_staff():  # the first administrator
            pin = _new_pin(args.name)
            row = accounts.add_account(None, accounts.StaffInput(
                name=args.name, pin=pin, classes=args.classes or ""), first=True)
            print(t("cli.staff.first", name=safe(row.name)))
            from tui.cli.keys import first_key

            first_key(row)
            return 0
        actor = signed_in(settings, args, "manage")
        if args.action == "list":
            for a in accounts.list_accounts():
                state = ("" if a.active else t("staff.state.disabled")) or (
                    t("staff.state.locked", until=f"{a.locked_until:%H:%M}") if a.locked_until
                    else ("" if a.has_pin else t("staff.state.no_pin")))
                print("  ".join(x for x in (safe(a.name), label("staff_role", a.role),
                                            a.classes, state) if x))
            return 0
        if args.action == "add":
            pin = _new_pin(args.name)
            row = accounts.add_account(actor, accounts.StaffInput(
                name=args.name, role=args.role or "teacher", pin=pin,
                classes=args.classes or ""))
            print(t("staff.added"))
            return 0
        target = _account(args.name)
        if args.action == "reset-pin":
            accounts.change_pin(actor, target.id, _new_pin(target.name))
            print(t("staff.pin_set"))
            return 0
        if args.action == "set":
            changed = accounts.update_account(actor, target.id, role=args.role,
                                              classes=args.classes)
            if changed and args.role and args.role != target.role \
                    and accounts.role_needs_strong_pin(args.role):
                print(t("staff.saved_reader"))
                return 0
        else:
            changed = accounts.update_account(actor, target.id,
                                              active=args.action == "enable")
        print(t("staff.saved" if changed else "staff.unchanged"))
        return 0
    except accounts.AccountError as exc:
        raise CliError(account_error(exc), 2) from None


def _own_pin(args, settings) -> int:
    """``bangfu staff pin [NAME]``: NAME (or ``--as``, ``BANGFU_USER``) types their
    PIN, then the new one twice (scripts: three lines of stdin)."""
    from db import accounts
    from db.store.connection import with_retry
    from tui.i18n import account_error

    person = with_retry(lambda: find_actor(settings, args.name.strip()
                                       or getattr(args, "as_staff", "")))
    pin = read_pin(person.name)
    if not pin:
        raise CliError(t("cli.pin_needed", name=safe(person.name)), 4)
    new = _new_pin(person.name, again=True)
    try:
        with_retry(lambda: accounts.change_own_pin(person.id, pin, *new))
    except accounts.AccountError as exc:
        raise CliError(account_error(exc), 4 if exc.code in ("wrong", "locked", "disabled",
                                                               "no_pin") else 2) from None
    print(t("cli.staff.pin_changed"))
    return 0
