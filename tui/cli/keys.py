"""``bangfu keys``: the school's key to restricted text (administrators).

- ``keys`` / ``keys status``: whether restricted text is sealed, who holds the
  key, who waits for it (and why), whether a recovery code exists;
- ``keys setup``: make the school's key, seal what is restricted already and
  print the recovery code, once;
- ``keys recover``: open the key again with the recovery code (every holder's
  PIN lost), typed at the terminal or as stdin's next line after the PIN;
- ``keys new-code``: a new recovery code (the old one opens nothing after).
"""

from __future__ import annotations

from tui.cli.common import CliError, open_school, safe, signed_in
from tui.i18n import t

ACTIONS = ("status", "setup", "recover", "new-code")


def add_commands(add_parser) -> None:
    p = add_parser("keys", help=t("cli.help.keys"))
    p.add_argument("action", nargs="?", default="status", choices=ACTIONS,
                   help=t("cli.help.keys_action"))


def _code() -> str:
    """The recovery code, typed at the terminal or stdin's next line
    (``tui.cli.terminal.read_secret``)."""
    from tui.cli.terminal import read_secret

    line = read_secret(t("cli.keys.code_prompt"), t("cli.secret.code")) or ""
    if not line.strip():
        raise CliError(t("cli.keys.code_line"), 2)
    return line.strip()


def _print_code(code: str) -> None:
    print(t("cli.keys.code", code=code))
    print(t("cli.keys.code_keep"))


def first_key(admin) -> None:
    """The first administrator of a new school: the school's key is made with
    their account, and the recovery code printed (or why not, and what to do)."""
    from db import keys

    try:
        code = keys.set_up(admin)
    except keys.KeysError as exc:
        print(t(f"err.keys.{exc.code}"))
        return
    print(t("cli.keys.set_up", holders=1))
    _print_code(code)


def cmd_keys(args, settings) -> int:
    from db import keys

    open_school(settings)
    actor = signed_in(settings, args, "maintain")
    try:
        if args.action == "setup":
            code = keys.set_up(actor)
            if not code:
                print(t("cli.keys.sealed_rest"))
                return 0
            state = keys.status()
            print(t("cli.keys.set_up", holders=len(state.holders)))
            _print_code(code)
            return 0
        if args.action == "recover":
            keys.recover(actor, _code())
            print(t("cli.keys.recovered"))
            return 0
        if args.action == "new-code":
            _print_code(keys.new_recovery_code(actor))
            return 0
    except keys.KeysError as exc:
        raise CliError(t(f"err.keys.{exc.code}")) from None
    state = keys.status()
    sep = t("common.list_sep")
    if not state.set_up:
        print(t("cli.keys.not_set_up"))
        return 0
    print(t("cli.keys.holders", names=sep.join(safe(n) for n in state.holders)
            or t("common.none")))
    if state.waiting:
        print(t("cli.keys.waiting", names=sep.join(safe(n) for n in state.waiting)))
    if state.weak:
        print(t("cli.keys.weak", names=sep.join(safe(n) for n in state.weak)))
    print(t("cli.keys.recovery_yes" if state.recovery else "cli.keys.recovery_no"))
    if state.plain_rows:
        print(t("cli.keys.plain", n=state.plain_rows))
    return 0
