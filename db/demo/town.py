"""A demo town: several demo schools of one town (``bangfu demo --schools N``).

Each school is a normal demo school (``db.demo.build.build_demo``) from a seed
of its own, built into a SQLite file; its students live in the villages and
communities around it (the town's central schools in town and the nearby
villages, a village school mostly in its own village and its neighbours), so
the schools share some villages and not others.  On a server the files are
copied into one district database (``db.store.migrate_to.migrate_to(...,
school=NAME)``), each school with its town, county and client role
(``db.store.district``).

The demo school has grades 7-9 (七年级-九年级), so the town's schools are its
junior middle schools and its nine-year schools (九年一贯制, whose upper grades
are the same).  No Textual here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from db.demo.words import HOMES, TOWN

COUNTY = "新宁县"
MIN_SCHOOLS, MAX_SCHOOLS = 2, 12
TOWN_STUDENTS = 600  # a town's school, by default (one demo school: 1,500)

# villages of the town beyond those the one-school demo uses (db.demo.words.HOMES)
MORE_HOMES = (
    ("柳树湾村", 6, ("{town}柳树湾村{n}组", "柳树湾村{n}组")),
    ("石桥村", 6, ("{town}石桥村{n}组", "{town}石桥村委会{n}组")),
    ("高家岭村", 5, ("{town}高家岭村{n}组",)),
    ("双河村", 6, ("{town}双河村{n}组", "{town}双河村民委员会{n}组")),
    ("马家坪村", 5, ("{town}马家坪村{n}组",)),
    ("杨柳村", 5, ("{town}杨柳村{n}组",)),
)
ALL_HOMES = {home[0]: home for home in (*HOMES, *MORE_HOMES)}  # "" : a street in town

# (name, where its students live) in the order a town of N takes them
SCHOOLS = (
    ("城关镇第一初级中学", ("东关村", "西关村", "城南社区", "幸福里社区", "文化路社区", "")),
    ("城关镇第二初级中学", ("南关村", "北关村", "城南社区", "文化路社区", "")),
    ("东关九年制学校", ("东关村", "柳树湾村", "大塘村")),
    ("城关镇中学", ("大塘村", "李庄村", "王营村", "幸福里社区", "")),
    ("西关九年制学校", ("西关村", "石桥村", "李庄村")),
    ("南关九年制学校", ("南关村", "高家岭村", "王营村")),
    ("北关九年制学校", ("北关村", "双河村", "马家坪村")),
    ("大塘九年制学校", ("大塘村", "杨柳村", "柳树湾村")),
    ("李庄九年制学校", ("李庄村", "石桥村", "杨柳村")),
    ("城关镇第三初级中学", ("城南社区", "幸福里社区", "东关村", "南关村", "")),
    ("双河九年制学校", ("双河村", "马家坪村", "高家岭村")),
    ("王营九年制学校", ("王营村", "高家岭村", "南关村")),
)
assert len(SCHOOLS) == MAX_SCHOOLS


@dataclass(frozen=True)
class DemoSchool:
    number: int  # 1 … N
    name: str
    seed: int
    villages: tuple[str, ...]

    @property
    def homes(self) -> tuple:
        return tuple(ALL_HOMES[v] for v in self.villages)


def town_schools(count: int, seed: int = 1) -> list[DemoSchool]:
    """The first ``count`` schools of the town, each with a seed of its own (the
    first one's is ``seed``, as the one-school demo's)."""
    if not MIN_SCHOOLS <= count <= MAX_SCHOOLS:
        raise ValueError(f"a demo town has {MIN_SCHOOLS} to {MAX_SCHOOLS} schools")
    return [DemoSchool(n, name, seed + n - 1, villages)
            for n, (name, villages) in enumerate(SCHOOLS[:count], start=1)]


def build_school_file(path, school: DemoSchool, students: int,
                      progress: Callable[[int, int], None] | None = None) -> dict[str, int]:
    """One school of the town as a new demo file at ``path`` (sealed like
    ``bangfu demo``'s: PIN 1234); its counts.  The models are left unbound."""
    from db import keys
    from db.demo.build import build_demo
    from db.demo.school import DEMO_PIN
    from db.store.connection import close_database, open_database

    open_database(Path(path), create=True)
    try:
        counts = build_demo(students=students, seed=school.seed, progress=progress,
                            homes=school.homes)
        keys.set_up_demo(DEMO_PIN)
    finally:
        close_database()
    return counts


def admin_name(path) -> str:
    """The demo file's first administrator (who makes its roll-up)."""
    import sqlite3

    con = sqlite3.connect(f"file:{Path(path)}?mode=ro", uri=True)
    try:
        row = con.execute("SELECT name FROM staff WHERE role = 'admin' AND active "
                          "ORDER BY id LIMIT 1").fetchone()
    finally:
        con.close()
    return row[0] if row else ""


# -- on a server: the district database ------------------------------------------


def client_role(db, number: int | str) -> str:
    """The client role of the town's school ``number``: named after the database
    (roles are the whole server's), ``<database>_s<number>``; ``"town"``: the
    town's office, ``<database>_town``."""
    name = db.execute_sql("SELECT current_database()").fetchone()[0]
    base = re.sub(r"[^a-z0-9_]", "_", name.lower())
    if not re.match(r"[a-z_]", base):
        base = "_" + base
    suffix = f"_s{number}" if isinstance(number, int) else f"_{number}"
    return base[:63 - len(suffix)] + suffix


def add_office_and_publish(db, role: str, password: str, today) -> None:
    """The town's office (its role sees the town's schools' figures only), and the
    figures counted for it (``bangfu district publish``)."""
    from db.district_view import publish_all
    from db.store import offices

    with db.atomic():
        offices.add_office(db, role, "town", TOWN, COUNTY, password)
    publish_all(db, today)


def district_is_empty(db) -> bool:
    """An empty district database (the owner's connection, migrated): one school,
    no client role, and no row in any table."""
    from db.store import district

    listed = district.schools(db)
    if len(listed) > 1 or any(s.roles for s in listed):
        return False
    return not any(db.execute_sql(f'SELECT 1 FROM "{t}" LIMIT 1').fetchone()
                   for t in district.data_tables(db))


def add_to_district(db, school: DemoSchool, role: str, password: str, *, town: str = TOWN,
                    county: str = COUNTY) -> None:
    """The town's ``school`` in the district database (the owner's connection), in its
    town and county, with its client role; before its file is copied in (its role
    keeps the next school from taking the first one's place: ``district.add_school``)."""
    from db.store import district

    with db.atomic():
        found = district.add_school(db, school.name, town=town, county=county)
        district.add_client(db, role, found, password)
