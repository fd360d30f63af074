"""``bangfu district``: the schools of one PostgreSQL database and their client
roles, for whoever runs the server (with the owner's credentials).

    bangfu --db URL district list
    bangfu --db URL district add-school NAME --role ROLE [--town T] [--county C]
    bangfu --db URL district defaults [--from-school NAME]
    bangfu --db URL district rollup --period week|half-month [--town T | --county C] [-o FILE]

``add-school`` makes the school (the first school of a new district database is
renamed instead) and a login role for its clients: the role sees and writes
only that school's rows, and only appends to the audit log (``db.store.district``).
``rollup`` is the district's own roll-up: each school's figures counted as that
school's role sees them, combined as ``bangfu rollup`` combines files.
``defaults --from-school`` makes that school's settings (rules, review interval,
subjects, check-in dimensions, supervision rubric) the district's defaults, which
every school follows until it sets its own.
The role's password is ``BANGFU_CLIENT_PASSWORD`` when set, else a new random one,
shown once.  No Textual here.
"""

from __future__ import annotations

import os
import re
import secrets
import sys

from tui.cli.common import CliError, safe
from tui.i18n import t

ROLE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")


def add_commands(add_parser) -> None:
    p = add_parser("district", help=t("cli.help.district"))
    sub = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    sub.add_parser("list", help=t("cli.help.district_list"))
    q = sub.add_parser("add-school", help=t("cli.help.district_add"))
    q.add_argument("name", metavar="NAME", help=t("cli.help.district_name"))
    q.add_argument("--role", required=True, help=t("cli.help.district_role"))
    q.add_argument("--town", default="", help=t("cli.help.district_town"))
    q.add_argument("--county", default="", help=t("cli.help.district_county"))
    q = sub.add_parser("add-office", help=t("cli.help.district_add_office"))
    q.add_argument("--role", required=True, help=t("cli.help.district_office_role"))
    q.add_argument("--town", default="", help=t("cli.help.district_office_town"))
    q.add_argument("--county", default="", help=t("cli.help.district_office_county"))
    q = sub.add_parser("publish", help=t("cli.help.district_publish"))
    q.add_argument("--period", default="", metavar="PERIOD", help=t("cli.help.district_publish_period"))
    q = sub.add_parser("view", help=t("cli.help.district_view"))
    q.add_argument("--period", default="week", metavar="PERIOD", help=t("cli.help.district_period"))
    q.add_argument("--date", default="", metavar="DATE", help=t("cli.help.rollup_date"))
    q.add_argument("--format", choices=("xlsx", "csv", "md"), default=None,
                   help=t("cli.help.report_format"))
    q.add_argument("-o", "--output", metavar="FILE", default="", help=t("cli.help.report_output"))
    q = sub.add_parser("shared", help=t("cli.help.district_shared"))
    q.add_argument("which", nargs="?", default="", metavar="SCHOOL:CASE",
                   help=t("cli.help.district_shared_which"))
    q = sub.add_parser("rollup", help=t("cli.help.district_rollup"))
    q.add_argument("--period", default="week", metavar="PERIOD", help=t("cli.help.district_period"))
    q.add_argument("--date", default="", metavar="DATE", help=t("cli.help.rollup_date"))
    q.add_argument("--town", default="", help=t("cli.help.district_rollup_town"))
    q.add_argument("--county", default="", help=t("cli.help.district_rollup_county"))
    q.add_argument("--format", choices=("xlsx", "csv", "md"), default=None,
                   help=t("cli.help.report_format"))
    q.add_argument("-o", "--output", metavar="FILE", default="", help=t("cli.help.report_output"))
    q = sub.add_parser("defaults", help=t("cli.help.district_defaults"))
    q.add_argument("--from-school", default="", metavar="NAME",
                   help=t("cli.help.district_from"))


def open_district(settings, kind: str = "owner"):
    """The server database with the owner's credentials (any school), or with an
    office's (``kind`` "office"); any other role is refused."""
    from db.store import district
    from db.store.connection import DatabaseError, open_database
    from tui import i18n

    if not settings.on_server:
        raise CliError(t("cli.district.need_server"), 2)
    try:
        db = open_database(settings.db_path, owner=kind == "owner", office=kind == "office")
    except DatabaseError as exc:
        raise CliError(i18n.database_error(exc.code, exc.path, safe(exc.detail), settings),
                       3) from None
    if district.connection_kind(db) != kind:
        raise CliError(t(f"cli.district.need_{kind}"), 2)
    return db


def cmd_district(args, settings) -> int:
    from db.store import district

    if args.action == "add-school":
        name = " ".join(args.name.split())
        if not name or len(name) > 100:
            raise CliError(t("cli.district.bad_name"), 2)
        if not ROLE_NAME.fullmatch(args.role):
            raise CliError(t("cli.district.bad_role", role=safe(args.role)), 2)
    if args.action in ("view", "shared"):
        return _view(settings, args)
    if args.action == "add-office":
        if not ROLE_NAME.fullmatch(args.role):
            raise CliError(t("cli.district.bad_role", role=safe(args.role)), 2)
        if not (args.town.strip() or args.county.strip()):
            raise CliError(t("cli.district.office_place"), 2)
    db = open_district(settings)
    if args.action == "add-office":
        return _add_office(db, settings, args)
    if args.action == "publish":
        return _publish(db, args)
    if args.action == "defaults":
        return _defaults(db, " ".join(args.from_school.split()))
    if args.action == "rollup":
        return _rollup(db, args)
    if args.action == "list":
        for school in district.schools(db):
            roles = ", ".join(school.roles) or t("cli.district.no_role")
            place = " · ".join(p for p in (school.county, school.town) if p)
            print(f"{school.id:>4}  {safe(school.name)}  {safe(place)}  {roles}".rstrip())
        return 0
    password, shown = _password()
    with db.atomic():
        school = district.add_school(db, name, town=args.town.strip(),
                                     county=args.county.strip())
        district.add_client(db, args.role, school, password)
    print(t("cli.district.added", name=safe(school.name), id=school.id, role=args.role,
            url=_client_url(settings, args.role)))
    if shown:
        print(t("cli.district.password", password=password))
    return 0


def _defaults(db, name: str) -> int:
    from db.store import district

    if name:
        school = district.find_school(db, name)
        if school is None:
            names = t("common.list_sep").join(safe(s.name) for s in district.schools(db))
            raise CliError(t("cli.district.no_such", name=safe(name), names=names), 2)
        with db.atomic():
            district.defaults_from(db, school)
        print(t("cli.district.defaults_set", name=safe(school.name)))
    found = district.district_defaults(db)
    print(t("cli.district.default_terms", n=len(district.district_terms(db))))
    for key in district.setting_keys():
        print(f"{key}: {t('cli.district.default_set') if key in found else t('cli.district.default_none')}")
    return 0


def _rollup(db, args) -> int:
    """The district database's own roll-up: each school's figures counted in that
    school's own scope (as its role: row-level security), then combined as
    ``bangfu rollup`` combines the schools' files."""
    import datetime as dt

    from db import clock
    from db.rollup import RollupError, combine, period_kind
    from db.rollup_figures import school_figures
    from db.store import district
    from tui.cli.rollup import rollup_name, write_out
    from tui.report_files import format_of

    fmt = format_of(args.output, args.format)
    if fmt == "xlsx" and not args.output:
        raise CliError(t("cli.report.need_output"), 2)
    try:
        kind = period_kind(args.period)
        day = dt.date.fromisoformat(args.date.strip()) if args.date else None
    except RollupError as exc:
        raise CliError(t(exc.key), 2) from None
    except ValueError:
        raise CliError(t("cli.rollup.date"), 2) from None
    chosen = [s for s in district.schools(db)
              if (not args.town or s.town == args.town) and (not args.county
                                                             or s.county == args.county)]
    figures, skipped = [], []
    for school in chosen:
        if not school.roles:
            skipped.append(school.name)
            continue
        with district.as_school(db, school):
            try:
                figures.append(school_figures(clock.today(), kind, day=day, school=school.name))
            except RollupError as exc:
                raise CliError(t(exc.key, **exc.details), 2) from None
    for name in skipped:
        print(t("cli.district.no_role_skipped", name=safe(name)), file=sys.stderr)
    if not figures:
        raise CliError(t("cli.district.no_schools"), 1)
    rollup = combine(figures)
    return write_out(rollup, fmt, args.output, f"{rollup_name(rollup)}-district")


def _password() -> tuple[str, bool]:
    """``(password, shown)``: BANGFU_CLIENT_PASSWORD, else a new one to show once."""
    given = os.environ.get("BANGFU_CLIENT_PASSWORD", "")
    return (given, False) if given else (secrets.token_urlsafe(18), True)


def _client_url(settings, role: str) -> str:
    from db.store.server import safe_url

    scheme, rest = safe_url(settings.db_path).split("://", 1)
    return f"{scheme}://{role}@{rest.split('@', 1)[-1]}"


def _add_office(db, settings, args) -> int:
    from db.store import offices

    town, county = args.town.strip(), args.county.strip()
    kind, place = ("town", town) if town else ("county", county)
    password, shown = _password()
    with db.atomic():
        offices.add_office(db, args.role, kind, place, county if town else "", password)
    print(t(f"cli.district.office_added_{kind}", place=safe(place), role=args.role,
            url=_client_url(settings, args.role)))
    if shown:
        print(t("cli.district.password", password=password))
    return 0


def _period_kinds(text: str) -> tuple[str, ...]:
    from db.rollup import PERIOD_KINDS, RollupError, period_kind

    if not text.strip():
        return PERIOD_KINDS
    try:
        return (period_kind(text),)
    except RollupError as exc:
        raise CliError(t(exc.key), 2) from None


def _publish(db, args) -> int:
    from db import clock
    from db.district_view import publish_all

    kinds = _period_kinds(args.period)
    done = publish_all(db, clock.today(), kinds)
    for school, kind in done:
        print(t("cli.district.published", school=safe(school),
                period=t(f"cli.rollup.period_name.{kind.replace('-', '_')}")))
    if not done:
        raise CliError(t("cli.district.no_schools"), 1)
    return 0


def _view(settings, args) -> int:
    """What an office sees: the schools' published figures, per school and in total."""
    import datetime as dt

    from db import clock
    from db.district_view import office_view
    from db.rollup import RollupError
    from tui.cli.rollup import rollup_name, write_out
    from tui.report_files import format_of

    shared = args.action == "shared"
    fmt = "" if shared else format_of(args.output, args.format)
    if fmt == "xlsx" and not args.output:
        raise CliError(t("cli.report.need_output"), 2)
    (kind,) = ("week",) if shared else _period_kinds(args.period)
    try:
        day = dt.date.fromisoformat(args.date.strip()) if not shared and args.date else None
    except ValueError:
        raise CliError(t("cli.rollup.date"), 2) from None
    db = open_district(settings, "office")
    if shared:
        from tui.cli.office_share import office_shared

        return office_shared(db, args.which.strip())
    try:
        view = office_view(db, kind, day or clock.today())
    except RollupError as exc:
        raise CliError(t(exc.key, **exc.details)) from None
    for name in view.missing:
        print(t("cli.district.not_reported", school=safe(name)), file=sys.stderr)
    if view.rollup is None:
        raise CliError(t("cli.district.nothing_published"), 1)
    return write_out(view.rollup, fmt, args.output, f"{rollup_name(view.rollup)}-office")
