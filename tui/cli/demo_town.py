"""``bangfu demo --schools N``: a small demo town (``db.demo.town``).

    bangfu --db postgresql://OWNER@HOST/DB demo --schools 3 [--students 600] [--seed 1]
    bangfu --db FOLDER/town.db demo --schools 3 [--force]

On a server (the owner's credentials, an empty database): N demo schools in one
district database, each built into a temporary file from its own seed and
copied in (``migrate_to(..., school=NAME)``), each with its town, county and a
client role named after the database (``<db>_s1`` …), its password
``BANGFU_CLIENT_PASSWORD`` or a random one, shown once.  With a file: N demo
files beside it, named after the schools.  Either way it ends with the
commands that try the town's roll-up.  No Textual here.
"""

from __future__ import annotations

import os
import secrets
import sys
import tempfile
from pathlib import Path

from tui.cli.common import CliError, safe
from tui.i18n import t


def cmd_demo_town(args, settings) -> int:
    from db.demo.town import MAX_SCHOOLS, MIN_SCHOOLS, TOWN_STUDENTS, town_schools

    if not MIN_SCHOOLS <= args.schools <= MAX_SCHOOLS:
        raise CliError(t("cli.demo_town.count", low=MIN_SCHOOLS, high=MAX_SCHOOLS), 2)
    students = args.students if args.students is not None else TOWN_STUDENTS
    if students < 1:
        raise CliError(t("cli.demo_town.students"), 2)
    schools = town_schools(args.schools, args.seed)
    if settings.on_server:
        return _on_server(settings, schools, students)
    return _in_files(settings, schools, students, args.force)


def _progress(number: int, count: int, name: str, step: str):
    """A line on stderr, rewritten as it goes (only on a terminal)."""
    if not sys.stderr.isatty():
        return None
    shown = [-1]
    label = t(f"cli.demo_town.{step}", n=number, count=count, name=name)

    def progress(done: int, total: int) -> None:
        percent = 100 * done // total if total else 100
        if percent != shown[0]:
            shown[0] = percent
            sys.stderr.write(f"\r{label} {percent:3d}%")
            sys.stderr.flush()
        if done >= total:
            sys.stderr.write("\n")
            sys.stderr.flush()

    return progress


def _build(path: Path, school, count: int, students: int) -> None:
    from db.demo.town import build_school_file

    try:
        build_school_file(path, school, students,
                          _progress(school.number, count, school.name, "building"))
    except ValueError as exc:  # (the file was checked empty first)
        raise CliError(t("cli.demo_town.not_built", name=school.name, detail=safe(str(exc)))
                       ) from None


def _in_files(settings, schools, students: int, force: bool) -> int:
    from db.demo.town import admin_name

    given = Path(settings.db_path)
    folder = given if given.is_dir() else given.parent
    paths = [folder / f"{school.name}.db" for school in schools]
    there = [p for p in paths if p.exists()]
    if there and not force:
        raise CliError(t("cli.demo_town.files_exist", paths=t("common.list_sep").join(
            str(p) for p in there)))
    for path in there:
        path.unlink()
    outputs = []
    for school, path in zip(schools, paths):
        _build(path, school, len(schools), students)
        admin = admin_name(path)
        output = folder / f"{school.name}-week.xlsx"
        outputs.append(output)
        print(t("cli.demo_town.file", name=school.name, path=path))
        print(f"  bangfu --db {_quoted(path)} report rollup --period week --as {admin} "
              f"-o {_quoted(output)}")
    print(t("cli.demo_town.files_done", n=len(schools), pin="1234"))
    print("  bangfu rollup " + " ".join(_quoted(p) for p in outputs)
          + f" -o {_quoted(folder / 'town-week.xlsx')}")
    return 0


def _quoted(path) -> str:
    import shlex

    return shlex.quote(str(path))


def _on_server(settings, schools, students: int) -> int:
    from db.demo.town import add_to_district, client_role, district_is_empty
    from db.store.connection import close_database
    from db.store.migrate_to import MigrateError, migrate_to
    from db.store.server import safe_url
    from tui.cli.district import open_district

    db = open_district(settings)  # the owner's credentials, the schema brought up
    try:
        if not district_is_empty(db):
            raise CliError(t("cli.demo_town.not_empty", path=settings.db_shown))
        roles = [client_role(db, school.number) for school in schools]
    finally:
        close_database()
    password = os.environ.get("BANGFU_CLIENT_PASSWORD", "")
    shown = safe_url(settings.db_path)
    scheme, rest = shown.split("://", 1)
    host = rest.split("@", 1)[-1]
    lines = []
    with tempfile.TemporaryDirectory(prefix="bangfu-demo-town-") as tmp:
        for school, role in zip(schools, roles):
            path = Path(tmp) / f"school-{school.number}.db"
            _build(path, school, len(schools), students)
            secret = password or secrets.token_urlsafe(18)
            db = open_district(settings)
            try:
                add_to_district(db, school, role, secret)
            finally:
                close_database()
            try:
                report = migrate_to(path, settings.db_path, _progress(
                    school.number, len(schools), school.name, "copying"), school=school.name)
            except MigrateError as exc:
                raise CliError(t("cli.demo_town.copy_failed", name=school.name,
                                 detail=safe(exc.detail or exc.code)[:300])) from None
            if not report.ok:
                raise CliError(t("cli.demo_town.copy_failed", name=school.name,
                                 detail=report.status))
            lines.append((school, role, f"{scheme}://{role}@{host}", secret))
    office = client_role_named(settings, "town")
    office_secret = password or secrets.token_urlsafe(18)
    db = open_district(settings)
    try:
        from db import clock
        from db.demo.town import add_office_and_publish

        add_office_and_publish(db, office, office_secret, clock.today())
    finally:
        close_database()
    for school, role, url, secret in lines:
        print(t("cli.demo_town.school", name=school.name, role=role, url=url))
        print(f"  bangfu --db {url}")
        if not password:
            print(t("cli.demo_town.password", password=secret))
    print(t("cli.demo_town.office", role=office))
    print(f"  bangfu --db {scheme}://{office}@{host}")
    if not password:
        print(t("cli.demo_town.password", password=office_secret))
    print(t("cli.demo_town.server_done", n=len(schools), pin="1234"))
    print(f"  bangfu --db {shown} district rollup --period week")
    return 0


def client_role_named(settings, what: str) -> str:
    from db.demo.town import client_role
    from db.store.connection import close_database
    from tui.cli.district import open_district

    db = open_district(settings)
    try:
        return client_role(db, what)
    finally:
        close_database()
