"""``bangfu share-case STUDENT``: a case shared with a town's or a county's office
on a district server (``db.case_share``), taken back, or listed with every
opening by an office.  ``bangfu district shared``: an office's side.
No Textual here.
"""

from __future__ import annotations

from tui.cli.common import CliError, open_school, safe, signed_in
from tui.i18n import t


def add_commands(add_parser) -> None:
    p = add_parser("share-case", help=t("cli.help.share_case"))
    p.add_argument("student", help=t("cli.help.student"))
    p.add_argument("--office", default="", metavar="ROLE", help=t("cli.help.share_office"))
    p.add_argument("--reason", default="", help=t("cli.help.share_reason"))
    p.add_argument("--revoke", default="", metavar="ROLE", help=t("cli.help.share_revoke"))


def _error(exc) -> CliError:
    return CliError(t(f"cli.share.{exc.code}"), 2 if exc.code in ("reason", "office") else 1)


def cmd_share_case(args, settings) -> int:
    from db.case_share import ShareError, revoke_share, share_case, shares_of
    from tui.cli.common import find_student

    if args.office and args.revoke:
        raise CliError(t("cli.share.both"), 2)
    if args.office and not args.reason.strip():
        raise CliError(t("cli.share.reason"), 2)
    open_school(settings)
    actor = signed_in(settings, args, "manage")
    student = find_student(args.student, actor)
    case_id = student.case_id
    if case_id is None:
        raise CliError(t("cli.share.no_case", name=safe(student.name)))
    try:
        if args.office:
            share_case(actor, case_id, args.office, args.reason)
            print(t("cli.share.done", name=safe(student.name), office=safe(args.office)))
        elif args.revoke:
            revoke_share(actor, case_id, args.revoke)
            print(t("cli.share.revoked", name=safe(student.name), office=safe(args.revoke)))
        shares, reads = shares_of(actor, case_id)
    except ShareError as exc:
        raise _error(exc) from None
    for share in shares:
        state = (t("cli.share.state_revoked", when=f"{share.revoked_at:%Y-%m-%d %H:%M}")
                 if share.revoked_at else t("cli.share.state_open"))
        print(t("cli.share.line", office=safe(share.office), when=f"{share.shared_at:%Y-%m-%d %H:%M}",
                by=safe(share.shared_by), reason=safe(share.reason), state=state))
    for office, at in reads:
        print(t("cli.share.read", office=safe(office), when=f"{at:%Y-%m-%d %H:%M}"))
    if not shares:
        print(t("cli.share.none"))
    return 0


def office_shared(db, which: str) -> int:
    """``bangfu district shared [SCHOOL:CASE]``: an office's shared cases, or one opened."""
    from db.store import offices

    if not which:
        rows = offices.shared_cases(db)
        for school_id, school, case_id, reason, at in rows:
            print(f"{school_id}:{case_id}  {safe(school)}  {at:%Y-%m-%d}  {safe(reason)}")
        if not rows:
            print(t("cli.share.none_office"))
        return 0
    try:
        school_id, case_id = (int(x) for x in which.split(":", 1))
    except ValueError:
        raise CliError(t("cli.share.which"), 2) from None
    found = offices.open_shared(db, school_id, case_id)
    if found is None:
        raise CliError(t("cli.share.not_yours"))
    print(f"{safe(found['student'])} · {safe(found['class'])} · {safe(found['school'])} · "
          f"{safe(found['status'])}")
    for key in ("main_problems", "measures"):
        if found[key]:
            print(f"{t(f'cli.share.{key}')}: {safe(found[key])}")
    for entry in found["entries"]:
        print(f"{str(entry['at'])[:16].replace('T', ' ')}  {safe(entry['kind'])} · "
              f"{safe(entry['channel'])}  {safe(entry['discussed'])}")
        if entry["agreed"]:
            print(f"    {t('cli.share.agreed')}: {safe(entry['agreed'])}")
    return 0
