"""What every ``bangfu`` command shares: its one-line error, opening the
school's database, who runs the command (their PIN asked), the student a
query names, a console for tables, a report written to -o.  No Textual here.
"""

from __future__ import annotations

import sys

from tui import i18n
from tui.i18n import t


class CliError(Exception):
    """A one-line message for stderr; the command exits with ``status``."""

    def __init__(self, message: str, status: int = 1):
        super().__init__(message)
        self.status = status


def write_file(output: str, default_name: str, write):
    """``write(target)`` (returning the path written) for ``-o output``: a folder
    gets ``default_name`` in it; a file that cannot be written is a one-line error."""
    import os
    from pathlib import Path

    target = Path(os.path.expanduser(output))
    if target.is_dir():  # a folder: a default name in it
        target /= default_name
    try:
        return write(target)
    except OSError as exc:
        raise CliError(t("cli.report.failed", path=target,
                         detail=exc.strerror or i18n.failure(exc))) from None


def open_school(settings, *, create: bool = False):
    from db.store.connection import DatabaseError, open_database

    try:
        return open_database(settings.db_path, create=create, locking=settings.locking)
    except DatabaseError as exc:
        raise CliError(i18n.database_error(exc.code, exc.path, safe(exc.detail), settings),
                       3) from None


def safe(text: str) -> str:
    from db.text import one_line

    return one_line(text)


def find_student(query: str, reader):
    """The one student ``query`` names among those ``reader`` may see."""
    from db.access import scope_for
    from db.roster import StudentLookupError, load_index, resolve_student

    index = load_index(query, scope_for(reader))
    try:
        return resolve_student(index, query)
    except StudentLookupError as exc:
        if exc.code == "none":
            raise CliError(t("cli.no_match", query=safe(query))) from None
        listing = "; ".join(f"{safe(r.name)} {r.student_no} {safe(r.class_name)}"
                            for r in exc.candidates)
        raise CliError(f"{t('cli.many', query=safe(query))} {listing}") from None


def make_console():
    from rich.console import Console

    return Console(highlight=False, markup=False, emoji=False,
                   width=None if sys.stdout.isatty() else 100)


def find_actor(settings, name: str):
    from db.staff import find_staff

    name = name or settings.user
    if not name:
        raise CliError(t("cli.who"), 4)
    found = find_staff(name)
    if not found:
        raise CliError(t("cli.who_unknown", name=safe(name)), 4)
    if len(found) > 1:
        raise CliError(t("cli.who_many", name=safe(name),
                         list=", ".join(safe(s.name) for s in found[:8])), 4)
    return found[0]


def read_pin(name: str) -> str:
    """The PIN typed at the terminal (not echoed), or stdin's first line
    (scripts: ``bangfu due --as 王芳 < pinfile``): ``tui.cli.terminal.read_secret``."""
    from tui.cli.terminal import read_secret

    return read_secret(t("cli.pin_prompt", name=safe(name)),
                       t("cli.secret.pin", name=safe(name))) or ""


def signed_in(settings, args, ability: str | None = None, *, readonly: bool = False,
              lock_held_ok: bool = False):
    """Who runs this command: ``--as NAME``, else ``BANGFU_USER`` / ``user`` /
    the OS user's entry in ``[os_users]`` of the config; their PIN is asked
    (five wrong ones lock the account, as in the app).  With ``ability``, only
    a role that has it (``db.access``) goes on.  Exit 4 otherwise.

    The reads (and the write that counts a try) wait for a busy file with the
    same back-off as a save.  ``readonly``: the file is bound read-only
    (``db.store.connection.open_snapshot``), so the PIN is checked without counting.

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
    from db.store.connection import with_retry
    from db.staff import staff_view
    from tui.i18n import account_error

    person = with_retry(lambda: find_actor(settings, getattr(args, "as_staff", "")))
    pin = read_pin(person.name)
    if not pin:
        raise CliError(t("cli.pin_needed", name=safe(person.name)), 4)
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
        raise CliError(t("cli.pin_must_change", name=safe(person.name)), 4)
    reader = with_retry(lambda: staff_view(person.id))
    if ability and not can(reader, ability):
        raise CliError(t("cli.not_allowed", role=_role(reader)), 4)
    return reader


def _role(reader) -> str:
    from tui.i18n import label

    return label("staff_role", reader.role)


def _lock_held(exc) -> bool:
    from db.store.server import outage_kind

    return outage_kind(exc) == "busy"


def start_and_end(args) -> tuple:
    """``--start`` and ``--end`` as dates (YYYY-MM-DD), else a usage error (exit 2)."""
    import datetime as dt

    dates = []
    for field in ("start", "end"):
        try:
            dates.append(dt.date.fromisoformat(getattr(args, field)))
        except ValueError:
            raise CliError(t("cli.invalid", field=f"--{field}",
                             message=t("cli.term.date")), 2) from None
    return dates[0], dates[1]
