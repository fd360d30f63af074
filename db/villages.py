"""Villages (属地): the village or community each student lives in.

The town organises 多对一 help by village, so each student's ``village`` (a
村 or a 社区, "" when not known) is read from their address as schools write
it (``village_of``) or set by hand (``set_village``).

Reading an address: it is cut, left to right, into administrative units by
their endings (省 市 县 区, 镇 乡 街道, 村 社区 居委会, then 组, 路, 号, 栋 …).
The village is the first 村 or 社区 after the last town-level unit (镇, 乡,
街道, 苏木), or, with no town named, the first one; never one that comes after a
road or a building ("兰溪路曹杨新村12号" names a street's housing estate, not a
village), and never a 村 that is part of a road's or a town's name ("新村路",
"沙村镇").  A 村委会 / 村民委员会 is its 村, a 社区居委会 / 居委会 its 社区.
An address in Latin letters (English, pinyin) has no village: "".

When the village follows the address (kept simple, and the same everywhere an
address is saved: the student editor, the roster import): a student's village
is read from the new address when it is empty or is what the old address
reads as (``follows_address``); any other village was set by hand (or by a
roster's village column) and is kept.  ``fill_villages`` fills the empty ones
(``bangfu villages --fill``).

Who: setting a village is editing a student's details, so the same ability
as the student editor ("manage", ``db.access``); the list of villages
(``villages``) counts only the students the reader sees, and needs "reports"
(volunteers see no family addresses).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from db.text import one_line

if TYPE_CHECKING:
    from db.models import Rows

MAX_VILLAGE = 40

# the endings of an address's units, by kind
# (no 州 alone: "郑州市", "广州市" are cities; an autonomous prefecture is a 自治州)
_UPPER = ("特别行政区", "自治区", "自治州", "自治县", "地区", "省", "市", "盟", "县", "区", "旗")
_TOWN = ("街道办事处", "街道办", "办事处", "街道", "镇", "乡", "苏木")
_VILLAGE = {"社区居民委员会": "社区", "社区居委会": "社区", "居民委员会": "社区", "居委会": "社区",
            "社区": "社区", "村民委员会": "村", "村委会": "村", "村委": "村", "村": "村",
            "嘎查": "嘎查"}
_GROUP = ("村民小组", "村民组", "小组", "组", "队", "屯")
_PLACE = ("大道", "胡同", "小区", "花园", "公寓", "大厦", "号院", "号楼", "单元", "路", "街", "巷",
          "弄", "号", "栋", "幢", "座", "楼", "室", "院", "宿舍", "厂")

_KIND = {**{s: "upper" for s in _UPPER}, **{s: "town" for s in _TOWN},
         **{s: "village" for s in _VILLAGE}, **{s: "group" for s in _GROUP},
         **{s: "place" for s in _PLACE}}
# a unit's ending followed by these is part of the next unit's name
# ("新市村", "解放路社区"), except the village's own ending
_NOT_BEFORE_VILLAGE = "(?!村|社区|居委|居民委员会|嘎查)"
# a 村 followed by these is part of a town's, a road's or an estate's name
_NOT_AFTER_CUN = "(?!镇|乡|街道|大道|路|街|巷|弄|道|小区|花园|公寓|大厦)"


def _ending(suffix: str) -> str:
    if suffix == "村":
        return "村" + _NOT_AFTER_CUN
    if _KIND[suffix] == "village":
        return re.escape(suffix)
    return re.escape(suffix) + _NOT_BEFORE_VILLAGE


_UNIT = re.compile(
    r"(?P<name>\w{1,12}?)(?P<end>"
    + "|".join(_ending(s) for s in sorted(_KIND, key=len, reverse=True)) + ")")
_BRACKETS = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|【[^【】]*】|〔[^〔〕]*〕")
_DROP = re.compile(r"[\s\W_]+")
_LABEL = re.compile(r"^(?:现住址|家庭住址|家庭地址|住址|地址)")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def units(address: str) -> list[tuple[str, str, str]]:
    """The address cut into units: (name, ending, kind), left to right, as far
    as it reads as units ("东关村3组" → [("东关", "村", "village"), ("3", "组", "group")])."""
    text = unicodedata.normalize("NFKC", address or "")
    text = _BRACKETS.sub("", text)  # "(原大塘乡)", "[暂住]": remarks
    text = _DROP.sub("", text)  # spaces and punctuation: "东关村-3组", "金石镇, 东关村"
    text = _LABEL.sub("", text)
    out = []
    pos = 0
    while pos < len(text):
        m = _UNIT.match(text, pos)
        if m is None:
            break
        out.append((m["name"], m["end"], _KIND[m["end"]]))
        pos = m.end()
    return out


def village_of(address: str) -> str:
    """The village or community an address names ("东关村", "城南社区"), or ""."""
    if not _CJK.search(address or ""):
        return ""  # English, pinyin, nothing: no village read
    found = ""
    for name, end, kind in units(address):
        if kind == "town":
            found = ""  # the one after the last town counts
        elif kind == "place":
            break  # a road, a number, a building: what follows is not a village
        elif kind == "village" and not found and _CJK.search(name):
            found = name + _VILLAGE[end]
    return found[:MAX_VILLAGE]


def follows_address(village: str, old_address: str) -> bool:
    """Was ``village`` read from ``old_address`` (or never set)?  Then it is
    read again from a new address; otherwise it was set by hand and kept."""
    return not village or village == village_of(old_address)


def village_after(village: str, old_address: str, new_address: str) -> str:
    """A student's village once their address is ``new_address``."""
    if follows_address(village, old_address):
        return village_of(new_address)
    return village


class VillageError(ValueError):
    """``code``: the message's key (``err.village.<code>`` or a shared one)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def clean_village(text: str) -> str:
    """A village typed by hand, as stored: one line, full-width letters and
    digits as ordinary ones; ``VillageError("too_long")`` over ``MAX_VILLAGE``."""
    value = one_line(unicodedata.normalize("NFKC", text or ""))
    if len(value) > MAX_VILLAGE:
        raise VillageError("too_long")
    return value


# -- writing -------------------------------------------------------------------------------

def fill_villages(actor) -> int:
    """Set each student's empty village from their address, in one transaction
    (an audit row per student and one for the whole); returns how many were
    set.  A village already set (by hand or read before) is never touched.
    Managers only ("manage"), like the student editor."""
    from db import access, audit, clock
    from db.models import Student
    from db.store import journal

    access.require(actor, "manage")
    with journal.transaction():
        rows = cast("Rows", Student.select(Student.id, Student.address, Student.version)
                    .where(Student.village == "", Student.address != "")
                    .order_by(Student.id).tuples())
        now = clock.now()
        n = 0
        for sid, address, version in list(rows):
            village = village_of(address)
            if not village:
                continue
            Student.update(village=village, version=version + 1, updated_at=now).where(
                Student.id == sid, Student.village == "").execute()
            audit.record(actor, "student", sid, "update",
                         {"village": ["", village], "version": [version, version + 1]})
            n += 1
        if n:
            audit.record(actor, "student", "", "bulk", {"villages": n, "source": "address"})
    return n


def set_village(actor, student_id: int, village: str, expected_version: int | None) -> str:
    """Set a student's village by hand ("" = read it from the address again);
    returns the village stored.  Managers only ("manage", as editing a
    student); ``VillageError("version")`` when the student changed since
    ``expected_version``, ``VillageError("gone")`` when there is no such
    student, ``VillageError("too_long")`` for a village over ``MAX_VILLAGE``."""
    from db import access, audit, clock
    from db.models import Student
    from db.store import journal

    access.require(actor, "manage")
    value = clean_village(village)
    with journal.transaction():
        student = Student.get_or_none(Student.id == student_id)
        if student is None:
            raise VillageError("gone")
        if expected_version is not None and student.version != expected_version:
            raise VillageError("version")
        value = value or village_of(student.address)
        if value != student.village:
            Student.update(village=value, version=student.version + 1,
                           updated_at=clock.now()).where(Student.id == student_id).execute()
            audit.record(actor, "student", student_id, "update",
                         {"village": [student.village, value],
                          "version": [student.version, student.version + 1]})
    return value


# -- reading -------------------------------------------------------------------------------

@dataclass(frozen=True)
class VillageRow:
    village: str  # "" = not known
    students: int
    open_cases: int  # students with an open case (db.vocab.OPEN_STATUSES)


def villages(reader) -> list[VillageRow]:
    """The villages of the students ``reader`` sees, each with how many students
    live there and how many of them have an open case: most students first,
    "" (not known) last.  Needs "reports"."""
    from peewee import JOIN, fn

    from db import access
    from db.models import Case, Student
    from db.visible import student_query
    from db.vocab import OPEN_STATUSES

    access.require(reader, "reports")
    seen = student_query(access.scope_for(reader))
    open_ids = (Case.select(Case.student).where(Case.status.in_(OPEN_STATUSES)).distinct())
    query = (Student.select(Student.village, fn.COUNT(Student.id),
                            fn.COUNT(open_ids.c.student_id))
             .join(open_ids, JOIN.LEFT_OUTER, on=(open_ids.c.student_id == Student.id))
             .group_by(Student.village))
    if seen is not None:
        query = query.where(Student.id.in_(seen))
    rows = [VillageRow(v or "", n, k) for v, n, k in cast("Rows", query.tuples())]
    return sorted(rows, key=lambda r: (r.village == "", -r.students, r.village))
