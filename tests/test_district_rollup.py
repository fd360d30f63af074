"""The district database's own roll-up equals the town's roll-up of the same
schools' files: three schools each write their weekly .xlsx from their own file
(``bangfu report rollup``), the same files are copied into one district database
(``migrate-to --school``), and ``bangfu district rollup`` (each school counted as
its own role sees it) says exactly what ``bangfu rollup`` of the three files says."""

from __future__ import annotations


import pytest

from db.store import district
from db.store.connection import close_database, open_database
from db.store.migrate_to import migrate_to
from tests.helpers import cli_env, run_cli
from tests.pg import WORKER, drop_district, fresh_server_database, server_url
from tests.pgserver import PASSWORD
from tests.test_rollup_cli import make_school

pytestmark = pytest.mark.server

NAME = "bangfu_rollup_town" + (f"_{WORKER}" if WORKER else "")
SCHOOLS = {"a": "甲校", "b": "乙校", "c": "丙校"}


@pytest.fixture(scope="module")
def town(tmp_path_factory):
    folder = tmp_path_factory.mktemp("town")
    env = cli_env(folder)
    url = fresh_server_database(NAME)
    files = []
    for variant, name in SCHOOLS.items():
        path = folder / f"{name}.db"
        make_school(path, variant)
        out = folder / f"{name}-week.xlsx"
        made = run_cli(env, "report", "rollup", "--period", "week", "--format", "xlsx",
                       "-o", out, db=path)
        assert made.returncode == 0, made.stderr
        files.append(out)
        assert migrate_to(path, url, school=name).ok
    owner = open_database(url, owner=True)
    with owner.atomic():
        for variant, name in SCHOOLS.items():
            district.add_client(owner, f"{NAME}_{variant}", district.find_school(owner, name),
                                PASSWORD)
        owner.execute_sql("UPDATE school SET town = '金石镇' WHERE name <> '丙校'")
    close_database()
    yield env, files
    close_database()
    drop_district(NAME)


@pytest.mark.parametrize("fmt", ["csv", "md"])
def test_the_district_roll_up_equals_the_roll_up_of_the_schools_files(town, fmt):
    env, files = town
    owner = server_url(NAME, with_password=True)
    ours = run_cli(env, "district", "rollup", "--period", "week", "--format", fmt, db=owner,
                   pin=None)
    assert ours.returncode == 0, ours.stderr
    theirs = run_cli(env, "rollup", *files, "--format", fmt, pin=None)
    assert theirs.returncode == 0, theirs.stderr
    assert ours.stdout == theirs.stdout
    for name in SCHOOLS.values():
        assert name in ours.stdout


def test_the_towns_roll_up_counts_only_its_schools(town):
    env, files = town
    owner = server_url(NAME, with_password=True)
    ours = run_cli(env, "district", "rollup", "--town", "金石镇", "--format", "csv", db=owner,
                   pin=None)
    theirs = run_cli(env, "rollup", *files[:2], "--format", "csv", pin=None)
    assert ours.returncode == 0, ours.stderr
    assert ours.stdout == theirs.stdout and "丙校" not in ours.stdout


def test_the_xlsx_of_the_district_reads_as_the_files_do(town, tmp_path):
    from openpyxl import load_workbook

    env, files = town
    owner = server_url(NAME, with_password=True)
    ours, theirs = tmp_path / "district.xlsx", tmp_path / "town.xlsx"
    assert run_cli(env, "district", "rollup", "-o", ours, db=owner, pin=None).returncode == 0
    assert run_cli(env, "rollup", *files, "-o", theirs, pin=None).returncode == 0

    def cells(path):
        book = load_workbook(path, read_only=True)
        return {sheet.title: [list(r) for r in sheet.iter_rows(values_only=True)]
                for sheet in book.worksheets}

    assert cells(ours) == cells(theirs)
