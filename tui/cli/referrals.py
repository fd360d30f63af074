"""``bangfu referrals`` (list, add, set, show) and ``bangfu orgs`` (list, add).

Who may do what is ``db.referrals``' and ``db.organisations``' rule: the list
holds only the referrals one may read, and a referral's reason and outcome are
printed only by ``show``, which is in the audit log as an opening.  A refusal
exits 4, bad input 2."""

from __future__ import annotations

from tui.cli.common import CliError, find_student, make_console, open_school, safe, signed_in
from tui.i18n import label, t

ACTIONS = ("list", "add", "set", "show")


def add_commands(add_parser) -> None:
    from db.vocab import CONSENTS, ORGANISATION_KINDS, REFERRAL_STATUSES
    from tui.cli.terminal import Choice

    p = add_parser("referrals", help=t("cli.help.referrals"))
    p.add_argument("action", choices=ACTIONS, help=t("cli.help.referrals_action"))
    p.add_argument("target", nargs="?", default="", help=t("cli.help.referrals_target"))
    p.add_argument("--overdue", action="store_true", help=t("cli.help.referrals_overdue"))
    p.add_argument("--org", default="", metavar="NAME", help=t("cli.help.referrals_org"))
    p.add_argument("--reason", default=None, help=t("cli.help.referrals_reason"))
    p.add_argument("--consent", type=Choice(CONSENTS, "consent"), default=None,
                   help=t("cli.help.referrals_consent"))
    p.add_argument("--status", type=Choice(REFERRAL_STATUSES, "referral"), default=None,
                   help=t("cli.help.referrals_status"))
    p.add_argument("--sent", default=None, metavar="DATE", help=t("cli.help.referrals_sent"))
    p.add_argument("--outcome", default=None, help=t("cli.help.referrals_outcome"))
    p.add_argument("--follow-up", dest="follow_up", default=None, metavar="DATE",
                   help=t("cli.help.referrals_follow_up"))

    p = add_parser("orgs", help=t("cli.help.orgs"))
    p.add_argument("action", choices=("list", "add"), help=t("cli.help.orgs_action"))
    p.add_argument("name", nargs="?", default="", help=t("cli.help.orgs_name"))
    p.add_argument("--kind", type=Choice(ORGANISATION_KINDS, "organisation"), default=None,
                   help=t("cli.help.orgs_kind"))
    p.add_argument("--phone", default="", help=t("cli.help.orgs_phone"))


def _refused(reader) -> CliError:
    return CliError(t("cli.not_allowed", role=label("staff_role", reader.role)), 4)


def _invalid(errors: dict) -> CliError:
    name, key = next(iter(errors.items()))
    option = {"organisation": "--org", "follow_up_on": "--follow-up",
              "sent_on": "--sent"}.get(name, f"--{name}")
    return CliError(t("cli.invalid", field=option, message=t(key)), 2)


def _organisation(reader, name: str) -> int:
    from db.organisations import list_organisations, match

    found = match(list_organisations(reader), name)
    if len(found) != 1:
        key = "cli.referrals.org_none" if not found else "cli.referrals.org_many"
        raise CliError(t(key, name=safe(name),
                         list="、".join(safe(r.name) for r in found[:5])), 2)
    return found[0].id


def _values(args, reader) -> dict:
    data: dict = {}
    if args.org.strip():
        data["organisation"] = _organisation(reader, args.org)
    for name, value in (("reason", args.reason), ("consent", args.consent),
                        ("status", args.status), ("sent_on", args.sent),
                        ("outcome", args.outcome), ("follow_up_on", args.follow_up)):
        if value is not None:
            data[name] = value
    return data


def cmd_referrals(args, settings) -> int:
    from db import referrals
    from db.access import NotAllowed
    from db.keys import Sealed

    if args.action != "list" and not args.target.strip():
        raise CliError(t("cli.referrals.needs_target"), 2)
    open_school(settings)
    reader = signed_in(settings, args)
    try:
        if args.action == "list":
            return _list(referrals.referrals(reader, overdue_only=args.overdue))
        if args.action == "add":
            student = find_student(args.target, reader)
            if not student.case_id:
                raise CliError(t("cli.referrals.no_case", name=safe(student.name)), 1)
            rid = referrals.add_referral(reader, student.case_id, _values(args, reader))
            print(t("cli.referrals.added", id=rid))
            return 0
        rid = _id(args.target)
        if args.action == "show":
            return _show(referrals.get_referral(reader, rid))
        row = referrals.get_referral(reader, rid)
        changed = referrals.update_referral(reader, rid, _values(args, reader), row.version)
        print(t("cli.referrals.saved" if changed else "cli.referrals.unchanged", id=rid))
        return 0
    except Sealed as exc:
        raise CliError(t(f"err.access.{exc.code}"), 4) from None
    except NotAllowed:
        raise _refused(reader) from None
    except referrals.ReferralGone:
        raise CliError(t("cli.referrals.gone", id=args.target), 1) from None
    except referrals.ReferralError as exc:
        raise _invalid(exc.errors) from None
    except referrals.ReferralConflict:  # pragma: no cover - read and written in one go
        raise CliError(t("referrals.conflict"), 1) from None


def _id(text: str) -> int:
    text = text.strip().lstrip("#")
    if not text.isdigit():
        raise CliError(t("cli.referrals.bad_id", id=safe(text)), 2)
    return int(text)


def _when(date) -> str:
    return f"{date:%Y-%m-%d}" if date else "—"


def _list(rows) -> int:
    from rich.table import Table
    from rich.text import Text

    console = make_console()
    if not rows:
        console.print(Text(t("referrals.none")))
        return 0
    table = Table(box=None, pad_edge=False)
    for key in ("id", "sent", "student", "organisation", "status", "follow_up", "consent"):
        table.add_column(t(f"referrals.col.{key}"))
    for r in rows:
        table.add_row(*(Text(v) for v in (
            f"#{r.id}", _when(r.sent_on), f"{safe(r.name)} {r.student_no}", safe(r.organisation),
            label("referral", r.status), _when(r.follow_up_on), label("consent", r.consent))))
    console.print(table)
    return 0


def _show(row) -> int:
    from rich.text import Text

    console = make_console()
    for key, value in (("student", f"{safe(row.name)} {row.student_no}"),
                       ("organisation", safe(row.organisation)),
                       ("sent", _when(row.sent_on)), ("status", label("referral", row.status)),
                       ("consent", label("consent", row.consent)),
                       ("follow_up", _when(row.follow_up_on)),
                       ("reason", safe(row.reason)), ("outcome", safe(row.outcome) or "—")):
        console.print(Text(f"{t(f'referrals.col.{key}')}: {value}"))
    return 0


def cmd_orgs(args, settings) -> int:
    from rich.table import Table
    from rich.text import Text

    from db import organisations
    from db.access import NotAllowed

    if args.action == "add" and (not args.name.strip() or args.kind is None):
        raise CliError(t("cli.orgs.add_needs"), 2)
    open_school(settings)
    reader = signed_in(settings, args)
    try:
        if args.action == "add":
            oid = organisations.add_organisation(reader, {"name": args.name, "kind": args.kind,
                                                          "phone": args.phone})
            print(t("cli.orgs.added", id=oid, name=safe(args.name)))
            return 0
        if not organisations.may_see(reader):
            raise NotAllowed("organisations")
    except NotAllowed:
        raise _refused(reader) from None
    except organisations.OrganisationError as exc:
        raise _invalid(exc.errors) from None
    rows = organisations.list_organisations(reader)
    console = make_console()
    if not rows:
        console.print(Text(t("orgs.none")))
        return 0
    table = Table(box=None, pad_edge=False)
    for key in ("name", "kind", "phone", "active"):
        table.add_column(t(f"orgs.col.{key}"))
    for r in rows:
        table.add_row(*(Text(v) for v in (safe(r.name), label("organisation", r.kind),
                                          safe(r.phone) or "—",
                                          t("orgs.active" if r.active else "orgs.inactive"))))
    console.print(table)
    return 0
