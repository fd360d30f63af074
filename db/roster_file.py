"""Reading a school's roster file: the national student registry's export
(全国中小学生学籍信息管理系统) or a class list, as .xlsx or .csv.

``read_roster`` finds the header row (title rows above it are passed over),
works out what each column holds, and returns the rows that can be imported
plus every problem (the row is not imported), every correction made (the row
is imported with the corrected value) and every row passed over, each by the
row number the user sees in the spreadsheet or text editor.

What a spreadsheet does to a roster is undone where it can be undone exactly
(numbers stored as numbers, "13812345678.0", scientific notation with every
digit still there, full-width digits, stray spaces) and reported where it
cannot (digits lost to "1.38E+10"). Nothing is ever guessed silently. A row
with a problem is not imported, and its corrections are not listed: a ``Fix``
is always on a row that is imported.

A student number keeps its "-" (bangfu's own numbers look like "7-3-05");
phones lose spaces, "-", brackets and a leading +86.

A value the student editor would refuse is refused here too, with the
editor's own limits (``db.students``: a name of at most 40 characters, a
student number of 30, an address of 200): the row is a problem, never cut
short. Cleaning never splits a character from what belongs to it: a joiner
inside an emoji sequence (👨‍👩‍👧) or a script that needs it stays, a combining
accent stays on its letter, and a correction is reported only when the text
changed in a way a person can see.

Memory stays bounded whatever the file: a CSV is read row by row, a
workbook's sheet is streamed (openpyxl's read-only mode), and a workbook is
refused before anything is unpacked when its parts would unpack to more than
``XLSX_MAX_UNPACKED`` (or one part read whole to more than ``XLSX_MAX_PART``);
a sheet's cells are counted (``XLSX_MAX_CELLS``) and a text run longer than
``MAX_TEXT_RUN`` (a cell, a shared string, a CSV line) refused by a quick
scan before openpyxl parses anything; reading stops at ``MAX_ROWS`` rows.
The rows that can be imported are kept packed (``ParsedFile.record_chunks``), and the
lists for the report (problems, corrections, rows skipped) keep their first
``MAX_LISTED`` entries and count the rest.

No database and no Textual here; openpyxl is imported only when an .xlsx is
read, and ``db.students`` (for the editor's limits) only when a file is read.
The identity-number column is recognised but never read unless the user maps
it explicitly.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import itertools
import marshal
import os
import re
import unicodedata
import zlib
from dataclasses import dataclass, field as _field

from db import clock
from db.text import clean, one_line
from db.vocab import ROSTER_FIELDS

FIELDS = ROSTER_FIELDS  # db.vocab: the CLI names them without importing this module
IGNORE = ("-", "ignore")  # a mapping to one of these ignores the column

PROBLEM_CODES = (
    "missing_name",          # no name
    "missing_number",        # the student-number cell is blank
    "no_number",             # the number comes from class + 班内学号, but the class is unknown
    "duplicate_number",      # an earlier row has the same number (value: that row)
    "digits_lost",           # 1.38E+10 or a number cell of 16+ digits: the digits are gone
    "bad_phone",             # not a mobile (1 + 10 digits) or landline number
    "bad_date",              # not a date, impossible, in the future or before 1990
    "bad_gender",            # not 男/女, 1/2, M/F, male/female
    "bad_class",             # the grade or class is not understood, or a class without a grade
    "class_grade_mismatch",  # the class names a grade other than the grade column's
    "bad_flag",              # a yes/no column holding something else
    "bad_id_number",         # (mapped only) not 18 characters (17 digits + digit/X) or 15 digits
    "too_long",              # longer than the student editor allows (value: the length; limit)
    "too_many_guardians",    # (db.roster_import, a re-import) the student would have more
                             # guardians than the editor takes (value: how many; limit)
)
FIX_CODES = (
    "number_cell",          # an .xlsx number cell turned into text (check leading zeros)
    "trailing_zero",        # "13812345678.0" → "13812345678"
    "scientific",           # "1.3812345678E+10" → "13812345678" (every digit was there)
    "full_width",           # full-width digits or letters → ordinary ones
    "spaces",               # spaces (also non-breaking, full-width, zero-width) removed
    "several_phones",       # several numbers in one cell: the first one kept
    "left_behind_assumed",  # 是否留守儿童 "是" without detail → one parent away
    "month_only",           # a birth date with only year and month → the first of the month
    "date_cell",            # a class "7-3" that Excel turned into a date (3 July) → "7-3"
)
SKIP_CODES = (
    "blank",            # an empty row between data rows
    "repeated_header",  # the header again (each page of a printout repeats it)
)

ERROR_CODES = ("unreadable", "encoding", "empty", "no_header", "no_name", "no_number",
               "bad_mapping", "sheet",
               "too_big",         # the workbook would unpack to more than XLSX_MAX_UNPACKED
               "too_big_part",    # one part read whole would unpack to more than XLSX_MAX_PART
               "too_many_cells",  # a sheet holds more than XLSX_MAX_CELLS cells
               "too_many_rows",   # more than MAX_ROWS rows below the header
               "cell_too_long",   # a cell's text or a CSV line of more than MAX_TEXT_RUN
               )  # RosterFileError: the whole file cannot be used

HEADER_SCAN = 20  # the header is looked for in the first 20 rows
PROGRESS_EVERY = 200
EARLIEST_BIRTH = dt.date(1990, 1, 1)

# What one file may hold. A district's registry export (20,000 students, 30
# columns) is about 40 MB unpacked and 600,000 cells: it fits several times
# over. Beyond these the file is refused with a message that states them
# (tui.i18n "import.error.too_*"; README "Day one").
MIB = 1024 * 1024
MAX_ROWS = 300_000                # rows below the header, blank ones included
XLSX_MAX_UNPACKED = 256 * MIB     # all the parts of a workbook, unpacked (declared sizes)
XLSX_MAX_PART = 64 * MIB          # one part read whole: the shared strings, the styles …
XLSX_MAX_CELLS = 3_000_000        # cells of the sheet read (each row as wide as its last cell)
MAX_LISTED = 1000                 # problems, corrections, rows skipped listed one by one
PREVIEW_ROWS = 5
PREVIEW_CELL = 64                 # characters kept of each cell of the preview
RECORDS_PER_CHUNK = 500           # rows packed together (and matched together by the import)
MAX_TEXT_RUN = MIB                # text between two tags of a sheet, one line of a CSV
_WORKSHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_SHARED_STRINGS_TYPE = \
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"


class RosterFileError(Exception):
    """The whole file cannot be used; ``code`` says why (see the module)."""

    def __init__(self, code: str, **extra):
        super().__init__(code)
        self.code = code
        self.extra = extra


@dataclass
class Problem:
    row: int
    field: str
    code: str
    value: str = ""
    limit: int = 0  # too_long: the editor's limit (the value is the length)


@dataclass
class Fix:
    row: int
    field: str
    code: str
    before: str
    after: str


@dataclass
class GuardianRecord:
    name: str
    relation: str  # db.vocab.RELATIONS
    phone: str = ""


@dataclass
class RosterRecord:
    row: int
    student_no: str
    name: str
    gender: str = ""
    birth_date: dt.date | None = None
    grade: int = 0
    class_code: str = ""
    class_name: str = ""
    address: str = ""
    phone: str = ""
    flags: dict[str, bool] = _field(default_factory=dict)
    guardians: list[GuardianRecord] = _field(default_factory=list)
    id_number: str = ""


@dataclass
class Column:
    index: int
    header: str
    field: str | None


@dataclass
class ParsedFile:
    """What ``read_roster`` found. The rows that can be imported are kept
    packed, ``RECORDS_PER_CHUNK`` to a chunk: ``record_chunks()`` unpacks one
    chunk at a time (the import matches and writes them so), ``records`` all
    of them at once (for small files and tests). ``problems``, ``fixes`` and
    ``skipped`` hold the first ``MAX_LISTED`` of each; ``more`` counts the rest
    by list name, ``problem_rows`` counts every row left out."""

    path: str
    kind: str
    encoding: str
    sheet: str
    header_row: int
    columns: list[Column]
    preview: list[tuple[int, list[str]]]
    problems: list[Problem]
    fixes: list[Fix]
    skipped: list[tuple[int, str]]
    id_column: str = ""
    rows_read: int = 0
    record_count: int = 0
    problem_rows: int = 0
    more: dict[str, int] = _field(default_factory=dict)
    _chunks: list[bytes] = _field(default_factory=list, repr=False)

    def record_chunks(self):
        """The records to import, a list of at most ``RECORDS_PER_CHUNK`` at a time."""
        for packed in self._chunks:
            yield [_unpack(item) for item in marshal.loads(zlib.decompress(packed))]

    def iter_records(self):
        for chunk in self.record_chunks():
            yield from chunk

    @property
    def records(self) -> list[RosterRecord]:
        return list(self.iter_records())


def _pack(records: list[RosterRecord]) -> bytes:
    return zlib.compress(marshal.dumps(tuple(
        (r.row, r.student_no, r.name, r.gender,
         r.birth_date.toordinal() if r.birth_date else 0, r.grade, r.class_code, r.class_name,
         r.address, r.phone, tuple(r.flags.items()),
         tuple((g.name, g.relation, g.phone) for g in r.guardians), r.id_number)
        for r in records)), 1)


def _unpack(item) -> RosterRecord:
    (row, student_no, name, gender, born, grade, class_code, class_name, address, phone,
     flags, guardians, id_number) = item
    return RosterRecord(row=row, student_no=student_no, name=name, gender=gender,
                        birth_date=dt.date.fromordinal(born) if born else None, grade=grade,
                        class_code=class_code, class_name=class_name, address=address,
                        phone=phone, flags=dict(flags),
                        guardians=[GuardianRecord(*g) for g in guardians], id_number=id_number)


# --- headers -------------------------------------------------------------------

_SUFFIXES = ("(必填)", "*", ":", ".")


def _norm_header(text) -> str:
    """NFKC, no whitespace, no required-marker, lower case."""
    s = unicodedata.normalize("NFKC", clean(str(text or ""), multiline=False))
    s = _WS.sub("", s).lower()
    changed = True
    while changed and s:
        changed = False
        for suffix in _SUFFIXES:
            if s.endswith(suffix):
                s, changed = s[: -len(suffix)], True
        if s.startswith("*"):
            s, changed = s[1:], True
    return s


_ALIASES = {
    "name": ("姓名", "学生姓名", "name", "student name"),
    "gender": ("性别", "gender", "sex"),
    "birth_date": ("出生日期", "出生年月", "生日", "birth date", "date of birth", "dob",
                   "birthday"),
    "grade": ("年级", "grade"),
    "class": ("班级", "班级名称", "班", "class"),
    "student_no": ("学号", "学生编号", "学生学号", "student no", "student number",
                   "student_no", "student id"),
    "aux_no": ("学籍辅号", "辅号"),
    "class_no": ("班内学号", "班内编号"),
    "address": ("现住址", "家庭住址", "住址", "家庭地址", "address"),
    "phone": ("联系电话", "家庭联系电话", "电话", "手机", "手机号", "手机号码", "联系方式",
              "phone", "telephone", "mobile"),
    "left_behind": ("是否留守儿童", "留守儿童"),
    "only_child": ("是否独生子女", "独生子女"),
    "orphan": ("是否孤儿", "孤儿"),
    "migrant": ("是否进城务工人员随迁子女", "随迁子女"),
    "guardian1_name": ("监护人姓名", "监护人1姓名", "第一监护人姓名", "监护人", "家长姓名",
                       "guardian name", "guardian 1 name", "guardian"),
    "guardian1_relation": ("监护人关系", "监护人1关系", "第一监护人关系", "与学生关系",
                           "guardian relation", "guardian 1 relation"),
    "guardian1_phone": ("监护人联系电话", "监护人电话", "监护人1联系电话", "监护人1电话",
                        "第一监护人联系电话", "第一监护人电话", "家长电话", "家长联系电话",
                        "家长手机", "guardian phone", "guardian 1 phone"),
    "guardian2_name": ("监护人2姓名", "第二监护人姓名", "guardian 2 name"),
    "guardian2_relation": ("监护人2关系", "第二监护人关系", "guardian 2 relation"),
    "guardian2_phone": ("监护人2联系电话", "监护人2电话", "第二监护人联系电话",
                        "第二监护人电话", "guardian 2 phone"),
    "father_name": ("父亲姓名", "father name", "father"),
    "father_phone": ("父亲联系电话", "父亲电话", "父亲手机", "father phone"),
    "mother_name": ("母亲姓名", "mother name", "mother"),
    "mother_phone": ("母亲联系电话", "母亲电话", "母亲手机", "mother phone"),
    "id_number": ("身份证件号", "身份证号", "身份证号码", "身份证件号码", "公民身份号码",
                  "证件号码", "id number", "id card"),
}
for _n in (1, 2):
    _ALIASES[f"member{_n}_name"] = (f"成员{_n}姓名", f"家庭成员{_n}姓名")
    _ALIASES[f"member{_n}_relation"] = (f"成员{_n}关系", f"家庭成员{_n}关系")
    _ALIASES[f"member{_n}_phone"] = (f"成员{_n}联系电话", f"成员{_n}电话",
                                     f"家庭成员{_n}联系电话", f"家庭成员{_n}电话")

# --- cleaning values -------------------------------------------------------------

_WS = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff]+")
_ZW = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_TRAILING_ZERO = re.compile(r"(\d+)\.0+")
_SCIENTIFIC = re.compile(r"(\d+)(?:\.(\d*))?e\+?(\d+)", re.IGNORECASE)
_PHONE_SPLIT = re.compile(r"[/／、,，;；]")
_MOBILE = re.compile(r"1\d{10}")
_LANDLINE = re.compile(r"(?:0\d{2,3})?[2-9]\d{6,7}")
_ID_NUMBER = re.compile(r"\d{17}[\dX]|\d{15}")
_MAX_EXACT = 10 ** 15  # a spreadsheet keeps 15 significant digits of a number


# Characters whose compatibility form is a space and a combining accent
# (´ → " \u0301", ¨ → " \u0308", ゛ → " \u3099"): NFKC would leave the accent
# without its letter ("O´Neil" → "O \u0301Neil"), so they keep their own form.
_SPACING_ACCENTS = "".join(
    ch for ch in map(chr, (*range(0xA8, 0x400), *range(0x1FB0, 0x2000), 0x309B, 0x309C, 0xFFE3))
    if len(n := unicodedata.normalize("NFKC", ch)) > 1 and n[0] == " ")
_KEEP_FORM = re.compile(f"([{re.escape(_SPACING_ACCENTS)}])")
_SPACES = re.compile(r"\s+")  # whitespace only: never a joiner, never an accent
# combining accents (the common blocks): a space before one is its base, not a stray space
_MARK = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u3099\u309a"
_STRAY_SPACES = re.compile(rf"\s+(?![{_MARK}])")
_INVISIBLE = re.compile(r"[\u200b\u2060\ufeff]")  # zero-width space, word joiner, BOM
_JOINERS = "\u200c\u200d"  # ZWNJ, ZWJ


def _nfkc(text: str) -> str:
    """Full-width letters and digits as ordinary ones (NFKC), except the
    spacing accents that NFKC would turn into a loose combining accent."""
    if text.isascii():
        return text
    if not _KEEP_FORM.search(text):
        return unicodedata.normalize("NFKC", text)
    parts = _KEEP_FORM.split(text)  # odd items: the accents kept as they are
    return "".join(unicodedata.normalize("NFKC" if i % 2 == 0 else "NFC", part)
                   for i, part in enumerate(parts))


def _nfc(text: str) -> str:
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def _squash(text: str) -> str:
    """For matching only (headers, genders, flags, classes): no spaces, no
    zero-width characters at all."""
    return _WS.sub("", text)


def _plain(ch: str) -> bool:
    """A neighbour a joiner joins nothing to: a space, ASCII, a CJK character."""
    return ch.isspace() or ch.isascii() or bool(_CJK.match(ch)) or bool(_ZW.match(ch))


def _drop_invisible(text: str) -> str:
    """Without zero-width spaces, word joiners and byte-order marks, and
    without the joiners (ZWJ, ZWNJ) that join nothing (at an end, beside a
    space, ASCII or a CJK character). A joiner between two other characters
    (inside 👨‍👩‍👧, ❤️‍🔥, an Indic conjunct, Arabic-script letters) is part of
    the text and stays: no character is split from what it belongs to."""
    if text.isascii() or not _ZW.search(text):
        return text
    text = _INVISIBLE.sub("", text)
    if "\u200c" not in text and "\u200d" not in text:
        return text
    last = len(text) - 1
    return "".join(
        ch for i, ch in enumerate(text)
        if ch not in _JOINERS
        or (0 < i < last and not _plain(text[i - 1]) and not _plain(text[i + 1])))


def _without_spaces(text: str) -> str:
    """No whitespace, except a space that carries a combining accent."""
    return _STRAY_SPACES.sub("", text)


def _single_spaces(text: str) -> str:
    """Runs of whitespace as one space, none at the ends (a space that carries
    a combining accent stays)."""
    text = _STRAY_SPACES.sub(" ", text)
    start, end = 0, len(text)
    while start < end and text[start] == " " and not (
            start + 1 < end and re.match(f"[{_MARK}]", text[start + 1])):
        start += 1
    while end > start and text[end - 1] == " ":
        end -= 1
    return text[start:end]


def _cell_text(value) -> str:
    """A cell as one line of text, as a person would read it."""
    if value is None:
        return ""
    if isinstance(value, str):
        return one_line(_drop_invisible(value))
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < _MAX_EXACT:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time():
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return one_line(str(value))


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
              "九": 9, "两": 2}
_CN = "一二三四五六七八九十两"


def _number_of(text: str) -> int | None:
    """Arabic or Chinese numerals up to 99."""
    if text.isdigit():
        return int(text)
    if not text or any(ch not in _CN for ch in text):
        return None
    if "十" not in text:
        return _CN_DIGITS[text] if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    if (tens and tens not in _CN_DIGITS) or (ones and ones not in _CN_DIGITS):
        return None
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)


_NUM = r"\d{1,2}|[一二三四五六七八九十两]{1,3}"
_GRADE_RE = re.compile(rf"(小学|初中|高中|初|高)?({_NUM})(?:年级)?")
_GRADE_PART = (rf"(?:小学|初中|高中)?(?:{_NUM})年级|[初高](?:中)?(?:\d|[一二三])"
               rf"|grade\d{{1,2}}|(?:{_NUM})(?=\()")
_CLASS_WITH_GRADE = re.compile(
    rf"(?P<g>{_GRADE_PART})(?:class)?(?:\((?P<c1>{_NUM})\)|(?P<c2>{_NUM}))")
_CLASS_ONLY = re.compile(rf"\(?({_NUM})\)?")
_CLASS_PAIR = re.compile(r"(\d{1,2})[-./](\d{1,2})")


def _norm_value(text: str) -> str:
    return _squash(_nfkc(text)).lower()


def parse_grade(text: str) -> int | None:
    """一年级 … 六年级, 七/八/九年级, 初一 … 初三, 高一 … 高三, 7年级, 7, grade 7."""
    t = _norm_value(text).removeprefix("grade")
    m = _GRADE_RE.fullmatch(t)
    if not m:
        return None
    school, n = m.group(1), _number_of(m.group(2))
    if n is None:
        return None
    if school == "小学":
        return n if 1 <= n <= 6 else None
    if school in ("初中", "初"):
        return n + 6 if 1 <= n <= 3 else (n if 7 <= n <= 9 else None)
    if school in ("高中", "高"):
        return n + 9 if 1 <= n <= 3 else (n if 10 <= n <= 12 else None)
    return n if 1 <= n <= 12 else None


def parse_class(text: str) -> tuple[int | None, int | None] | None:
    """(grade or None, class number or None) from a class cell, None if not understood.

    3班 (3)班 （3）班 3 03 → (None, 3); 七年级3班 七年级(3)班 初一(3)班 7-3 7.3 703 0703
    → (7, 3); a grade alone (七年级) → (7, None).
    """
    t = _norm_value(text).removeprefix("class")
    if t.endswith("班") and len(t) > 1:
        t = t[:-1]
    if t.isdigit():
        if len(t) <= 2:
            grade, number = None, int(t)
        elif len(t) <= 4:
            grade, number = int(t[:-2]), int(t[-2:])
        else:
            return None
    elif m := _CLASS_PAIR.fullmatch(t):
        grade, number = int(m.group(1)), int(m.group(2))
    elif m := _CLASS_WITH_GRADE.fullmatch(t):
        grade = parse_grade(m.group("g"))
        number = _number_of(m.group("c1") or m.group("c2"))
        if grade is None:
            return None
    elif m := _CLASS_ONLY.fullmatch(t):
        grade, number = None, _number_of(m.group(1))
    else:
        grade = parse_grade(t)
        return (grade, None) if grade else None
    if grade is not None and not 1 <= grade <= 12:
        return None
    if number is None or not 1 <= number <= 99:
        return None
    return grade, number


_GRADE_NAMES = {1: "一年级", 2: "二年级", 3: "三年级", 4: "四年级", 5: "五年级", 6: "六年级",
                7: "七年级", 8: "八年级", 9: "九年级", 10: "高一", 11: "高二", 12: "高三"}


def class_name(grade: int, number: int) -> str:
    """七年级(3)班, 高一(3)班."""
    return f"{_GRADE_NAMES[grade]}({number})班"


GENDERS = {"男": "M", "男性": "M", "男生": "M", "1": "M", "m": "M", "male": "M",
            "女": "F", "女性": "F", "女生": "F", "2": "F", "f": "F", "female": "F"}
_YES = {"是", "有", "1", "y", "yes", "true"}
_NO = {"否", "无", "0", "n", "no", "false"}
_LEFT_ONE = {"1", "单亲留守", "单亲留守儿童", "单亲外出务工"}
_LEFT_BOTH = {"2", "双亲留守", "双亲留守儿童", "双亲外出务工"}
_LEFT_NONE = _NO | {"非留守儿童", "非留守"}
_LEFT_YES = {"是", "y", "yes", "true", "留守", "留守儿童"}

_RELATIONS = {
    "父亲": "father", "父": "father", "爸爸": "father", "父子": "father", "父女": "father",
    "母亲": "mother", "母": "mother", "妈妈": "mother", "母子": "mother", "母女": "mother",
    "祖父": "grandfather", "爷爷": "grandfather", "外祖父": "grandfather", "外公": "grandfather",
    "祖母": "grandmother", "奶奶": "grandmother", "外祖母": "grandmother", "外婆": "grandmother",
    "监护人": "guardian",
    "father": "father", "mother": "mother", "grandfather": "grandfather",
    "grandmother": "grandmother", "guardian": "guardian", "other": "other",
}

DATE_YMD = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?")
DATE_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_DATE_YM = re.compile(r"(\d{4})(?:[-/.年](\d{1,2})月?|(\d{2}))")
_TIME_TAIL = re.compile(r"\s+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")

# guardian slots: (name field, relation field or fixed relation, phone field, blank relation)
_SLOTS = (
    ("guardian1_name", "guardian1_relation", "guardian1_phone", "guardian"),
    ("guardian2_name", "guardian2_relation", "guardian2_phone", "guardian"),
    ("father_name", "=father", "father_phone", "father"),
    ("mother_name", "=mother", "mother_phone", "mother"),
    ("member1_name", "member1_relation", "member1_phone", "other"),
    ("member2_name", "member2_relation", "member2_phone", "other"),
)
_FLAG_FIELDS = ("only_child", "orphan", "migrant")
_PHONE_FIELDS = frozenset(s[2] for s in _SLOTS) | {"phone"}


# --- one row -------------------------------------------------------------------


class _Row:
    """The problems and fixes of one row while it is read."""

    __slots__ = ("number", "values", "index", "problems", "fixes")

    def __init__(self, number: int, values, index: dict[str, int]):
        self.number = number
        self.values = values
        self.index = index
        self.problems: list[Problem] = []
        self.fixes: list[Fix] = []

    def get(self, name: str):
        i = self.index.get(name)
        if i is None or i >= len(self.values):
            return None
        return self.values[i]

    def problem(self, name: str, code: str, value="", limit: int = 0) -> None:
        self.problems.append(Problem(self.number, name, code, _shown(str(value)), limit))

    def limit(self, name: str, value: str, most: int) -> None:
        """The student editor's limit: a longer value is a problem, never cut."""
        if len(value) > most:
            self.problem(name, "too_long", f"{len(value):,}", most)

    def fix(self, name: str, code: str, before: str, after: str) -> None:
        self.fixes.append(Fix(self.number, name, code, _shown(before), _shown(after)))

    # -- value kinds --

    def text(self, name: str) -> str:
        return _cell_text(self.get(name))

    def person(self, name: str) -> str:
        """A name: CJK names lose every inner space, Latin ones keep single spaces."""
        value = self.get(name)
        if value is None:
            return ""
        raw = clean(value if isinstance(value, str) else _cell_text(value), multiline=False)
        visible = _drop_invisible(raw)
        text = _nfkc(visible)
        # NFC: an accent typed as a letter and a combining mark is the same text
        if _squash(text) != _squash(_nfc(visible)):
            self.fix(name, "full_width", raw, text)
        after = _without_spaces(text) if _CJK.search(text) else _single_spaces(text)
        if after != text or visible != raw:
            self.fix(name, "spaces", text if visible == raw else raw, after)
        return after

    def identifier(self, name: str) -> str | None:
        """A number, a phone or an ID number as text; None when its digits are lost."""
        value = self.get(name)
        if value is None:
            return ""
        if _is_number(value):
            shown = repr(value) if isinstance(value, float) else str(value)
            if isinstance(value, float) and not value.is_integer():
                return shown  # 1.5: left for the check to refuse
            if abs(value) >= _MAX_EXACT:
                self.problem(name, "digits_lost", shown)
                return None
            text = str(int(value))
            self.fix(name, "number_cell", shown, text)
            return text
        if not isinstance(value, str):
            return _cell_text(value)
        text = clean(value, multiline=False)
        if not text.strip():
            return ""
        if text.startswith('="') and text.endswith('"'):  # the CSV "keep it text" trick
            text = text[2:-1]
        if name in _PHONE_FIELDS:
            parts = [p for p in _PHONE_SPLIT.split(text) if p.strip()]
            if len(parts) > 1:
                first = parts[0]
                self.fix(name, "several_phones", text, _squash(_nfkc(first)))
                text = first
        visible = _drop_invisible(text)
        norm = _nfkc(visible)
        if _squash(norm) != _squash(_nfc(visible)):
            self.fix(name, "full_width", text, norm)
        squashed = _without_spaces(norm)
        if squashed != norm or visible != text:
            self.fix(name, "spaces", norm if visible == text else text, squashed)
        text = squashed.lstrip("'")
        if name in _PHONE_FIELDS:
            text = text.replace("-", "").replace("(", "").replace(")", "")
            if text.startswith("+86"):
                text = text[3:]
        if m := _TRAILING_ZERO.fullmatch(text):
            self.fix(name, "trailing_zero", text, m.group(1))
            return m.group(1)
        if m := _SCIENTIFIC.fullmatch(text):
            whole, frac, exp = m.group(1), m.group(2) or "", int(m.group(3))
            if len(frac) != exp:
                self.problem(name, "digits_lost", text)
                return None
            restored = str(int(whole + frac))
            self.fix(name, "scientific", text, restored)
            return restored
        return text

    def phone(self, name: str) -> str:
        text = self.identifier(name)
        if text is None:
            return ""
        if text and (not (_MOBILE.fullmatch(text) or _LANDLINE.fullmatch(text))
                     or _editor().clean_phone(text) is None):
            self.problem(name, "bad_phone", text)
        return text

    def gender(self) -> str:
        text = self.text("gender")
        if not text:
            return ""
        code = GENDERS.get(_norm_value(text))
        if code is None:
            self.problem("gender", "bad_gender", text)
            return ""
        return code

    def birth_date(self) -> dt.date | None:
        value = self.get("birth_date")
        if value is None:
            return None
        if isinstance(value, dt.datetime):
            return self._in_range(value.date(), _cell_text(value))
        if isinstance(value, dt.date):
            return self._in_range(value, value.isoformat())
        if _is_number(value):
            if isinstance(value, float) and not value.is_integer():
                self.problem("birth_date", "bad_date", repr(value))
                return None
            text = str(int(value))
        else:
            text = _TIME_TAIL.sub("", _nfkc(clean(str(value), multiline=False)).strip())
            text = _squash(text)
            if not text:
                return None
            if m := _TRAILING_ZERO.fullmatch(text):
                self.fix("birth_date", "trailing_zero", text, m.group(1))
                text = m.group(1)
        m = DATE_COMPACT.fullmatch(text) or DATE_YMD.fullmatch(text)
        try:
            if m:
                day = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            elif m := _DATE_YM.fullmatch(text):
                day = dt.date(int(m.group(1)), int(m.group(2) or m.group(3)), 1)
                self.fix("birth_date", "month_only", text, day.isoformat())
            else:
                raise ValueError(text)
        except ValueError:
            self.problem("birth_date", "bad_date", text)
            return None
        return self._in_range(day, text)

    def _in_range(self, day: dt.date, shown: str) -> dt.date | None:
        if not EARLIEST_BIRTH <= day <= clock.today():
            self.problem("birth_date", "bad_date", shown)
            return None
        return day

    def flag(self, name: str) -> bool | None:
        text = self.text(name)
        if not text:
            return None
        value = _norm_value(text)
        if value in _YES:
            return True
        if value in _NO:
            return False
        self.problem(name, "bad_flag", text)
        return None

    def left_behind(self) -> dict[str, bool]:
        text = self.text("left_behind")
        if not text:
            return {}
        value = _norm_value(text)
        if value in _LEFT_NONE:
            one = both = False
        elif value in _LEFT_ONE:
            one, both = True, False
        elif value in _LEFT_BOTH:
            one, both = False, True
        elif value in _LEFT_YES:
            one, both = True, False
            self.fix("left_behind", "left_behind_assumed", text, "left_behind_one")
        else:
            self.problem("left_behind", "bad_flag", text)
            return {}
        return {"left_behind_one": one, "left_behind_both": both}

    def school_class(self) -> tuple[int, str, str]:
        """(grade, class code, class name) from the grade and class columns."""
        grade_text = self.text("grade")
        col_grade = None
        bad = False
        if grade_text:
            col_grade = parse_grade(grade_text)
            if col_grade is None:
                self.problem("grade", "bad_class", grade_text)
                bad = True
        value = self.get("class")
        cls_grade = number = None
        class_text = _cell_text(value)
        if isinstance(value, (dt.date, dt.datetime)):
            day = value.date() if isinstance(value, dt.datetime) else value
            cls_grade, number = day.month, day.day
            class_text = f"{cls_grade}-{number}"
            self.fix("class", "date_cell", _cell_text(value), class_text)
        elif class_text:
            parsed = parse_class(class_text)
            if parsed is None:
                self.problem("class", "bad_class", class_text)
                bad = True
            else:
                cls_grade, number = parsed
        if bad:
            return 0, "", ""
        if cls_grade and col_grade and cls_grade != col_grade:
            self.problem("class", "class_grade_mismatch", f"{grade_text} {class_text}")
            return 0, "", ""
        grade = cls_grade or col_grade or 0
        if number and not grade:
            self.problem("class", "bad_class", class_text)
            return 0, "", ""
        if not number:
            return grade, "", ""
        return grade, f"{grade}-{number}", class_name(grade, number)

    def relation(self, name: str, blank: str) -> str:
        text = _norm_value(self.text(name))
        if not text:
            return blank
        return _RELATIONS.get(text, "other")

    def guardians(self) -> list[GuardianRecord]:
        found: list[GuardianRecord] = []
        for name_field, relation_field, phone_field, blank in _SLOTS:
            if name_field not in self.index:
                continue
            name = self.person(name_field)
            if not name:
                continue
            self.limit(name_field, name, _editor().MAX_NAME)
            if relation_field.startswith("="):
                relation = relation_field[1:]
            else:
                relation = self.relation(relation_field, blank)
            phone = self.phone(phone_field) if phone_field in self.index else ""
            same = next((g for g in found if g.name == name
                         and (g.phone == phone or not g.phone or not phone)), None)
            if same is None:
                found.append(GuardianRecord(name, relation, phone))
                continue
            if same.relation in ("guardian", "other") and relation not in ("guardian", "other"):
                same.relation = relation
            same.phone = same.phone or phone
        return found


# --- the file ----------------------------------------------------------------------


def parse_mapping(items) -> dict[str, str]:
    """["电话=phone", "学籍号=student_no"] → {"电话": "phone", "学籍号": "student_no"};
    a field of "-" or "ignore" ignores the column."""
    mapping: dict[str, str] = {}
    for item in items or ():
        text = _nfkc(str(item))
        header, sep, name = text.rpartition("=")
        header, name = header.strip(), name.strip().lower()
        if not sep or not header or not name or (name not in FIELDS and name not in IGNORE):
            raise RosterFileError("bad_mapping", item=str(item))
        mapping[header] = name
    return mapping


def _check_mapping(mapping) -> dict[str, str]:
    """The mapping keyed by normalised header."""
    normalised = {}
    for header, name in (mapping or {}).items():
        if (name not in FIELDS and name not in IGNORE) or not _norm_header(header):
            raise RosterFileError("bad_mapping", item=f"{header}={name}")
        normalised[_norm_header(header)] = name
    return normalised


_RECOGNISED = {_norm_header(alias): name for name, aliases in _ALIASES.items()
               for alias in aliases}


def _header_fields(norms: list[str], mapping: dict[str, str]) -> list[str | None]:
    out = []
    for norm in norms:
        name = mapping.get(norm) if norm in mapping else _RECOGNISED.get(norm)
        out.append(None if name in IGNORE else name)
    return out


def _find_header(head, mapping) -> tuple[int, list]:
    """The index in ``head`` of the header row, or the RosterFileError to raise."""
    seen_rows = no_name = False
    for i, (_, values) in enumerate(head):
        texts = [_cell_text(v) for v in values]
        if not any(texts):
            continue
        seen_rows = True
        found = [f for f in _header_fields([_norm_header(t) for t in texts], mapping) if f]
        if len(found) >= 2:
            if "name" in found:
                return i, texts
            no_name = True
    if no_name:
        raise RosterFileError("no_name")
    if not seen_rows and len(head) < HEADER_SCAN:
        raise RosterFileError("empty")
    raise RosterFileError("no_header")


def _columns(texts: list[str], mapping: dict[str, str]) -> tuple[list[Column], str]:
    while texts and not texts[-1]:
        texts = texts[:-1]
    norms = [_norm_header(t) for t in texts]
    present = set(norms)
    for norm, name in mapping.items():
        if norm not in present:
            original = next((h for h in mapping if _norm_header(h) == norm), norm)
            raise RosterFileError("bad_mapping", item=f"{original}={name}")
    taken: set[str] = set()
    fields: list[str | None] = [None] * len(texts)
    # mapped columns first: they win over a recognised one with the same field
    for i, norm in enumerate(norms):
        name = mapping.get(norm)
        if name and name not in IGNORE and name not in taken:
            fields[i] = name
            taken.add(name)
    id_column = ""
    for i, norm in enumerate(norms):
        if norm in mapping:
            if mapping[norm] in IGNORE and _RECOGNISED.get(norm) == "id_number" and not id_column:
                id_column = texts[i]
            continue
        name = _RECOGNISED.get(norm)
        if name == "id_number":
            if not id_column and "id_number" not in taken:
                id_column = texts[i]
            continue
        if name and name not in taken:
            fields[i] = name
            taken.add(name)
    return [Column(i, texts[i], fields[i]) for i in range(len(texts))], id_column


def _parse(rows, head, header_at, header_texts, mapping, meta, total, progress) -> ParsedFile:
    columns, id_column = _columns(header_texts, mapping)
    index = {c.field: c.index for c in columns if c.field}
    if "student_no" in index:
        number_field = "student_no"
    elif "aux_no" in index:
        number_field = "aux_no"
    elif "class_no" in index and "class" in index:
        number_field = "class_no"
    else:
        raise RosterFileError("no_number")
    width = len(columns)
    header_norms = [_norm_header(c.header) for c in columns]
    name_at = index["name"]
    header_row = head[header_at][0]

    parsed = ParsedFile(path=meta["path"], kind=meta["kind"], encoding=meta["encoding"],
                        sheet=meta["sheet"], header_row=header_row, columns=columns,
                        preview=[], problems=[], fixes=[], skipped=[],
                        id_column=id_column)
    more = {"problems": 0, "fixes": 0, "skipped": 0}

    def listed(name: str, items) -> None:
        target = getattr(parsed, name)
        for item in items:
            if len(target) < MAX_LISTED:
                target.append(item)
            else:
                more[name] += 1

    first_row: dict[str, int] = {}
    blanks: list[int] = []  # blank rows not yet known to be between data rows
    blank_count = 0
    chunk: list[RosterRecord] = []
    flag_fields = [f for f in _FLAG_FIELDS if f in index]
    has_class = "class" in index or "grade" in index
    has_guardians = any(s[0] in index for s in _SLOTS)
    longest_no = _editor().MAX_NO
    seen = 0
    for number, values in itertools.chain(head[header_at + 1:], rows):
        seen += 1
        if seen > MAX_ROWS:
            raise RosterFileError("too_many_rows", limit=f"{MAX_ROWS:,}")
        if progress is not None and seen % PROGRESS_EVERY == 0:
            progress(seen, max(total - header_row, seen))
        values = list(values[:width]) if len(values) >= width else \
            list(values) + [None] * (width - len(values))
        texts = [_cell_text(v) for v in values]
        if not any(texts):
            blank_count += 1
            if len(blanks) < MAX_LISTED:
                blanks.append(number)
            continue
        if blank_count:  # blank rows count only between data rows, not at the end
            listed("skipped", ((b, "blank") for b in blanks))
            more["skipped"] += blank_count - len(blanks)
            blanks, blank_count = [], 0
        if _norm_header(texts[name_at]) == header_norms[name_at] and sum(
                1 for t, h in zip(texts, header_norms) if h and _norm_header(t) == h) >= 2:
            listed("skipped", [(number, "repeated_header")])
            continue
        parsed.rows_read += 1
        if len(parsed.preview) < PREVIEW_ROWS:
            parsed.preview.append((number, [cut_text(t, PREVIEW_CELL) for t in texts]))
        row = _Row(number, values, index)
        record = _read_row(row, number_field, flag_fields, has_class, has_guardians)
        if record is not None and record.student_no and len(record.student_no) <= longest_no:
            first = first_row.setdefault(record.student_no, number)
            if first != number:
                row.problem("student_no", "duplicate_number", str(first))
        if row.problems:
            parsed.problem_rows += 1
            listed("problems", row.problems)
        else:
            listed("fixes", row.fixes)
            chunk.append(record)
            parsed.record_count += 1
            if len(chunk) == RECORDS_PER_CHUNK:
                parsed._chunks.append(_pack(chunk))
                chunk = []
    if chunk:
        parsed._chunks.append(_pack(chunk))
    parsed.more = {k: v for k, v in more.items() if v}
    if progress is not None:
        progress(seen, seen)
    if not parsed.rows_read:
        raise RosterFileError("empty")
    return parsed


def _read_row(row: _Row, number_field: str, flag_fields, has_class: bool,
              has_guardians: bool) -> RosterRecord:
    name = row.person("name")
    if not name:
        row.problem("name", "missing_name")
    grade, class_code, name_of_class = row.school_class() if has_class else (0, "", "")
    if number_field == "class_no":
        raw = _squash(_nfkc(row.text("class_no")))
        raw = m.group(1) if (m := _TRAILING_ZERO.fullmatch(raw)) else raw
        if not raw:
            row.problem("class_no", "missing_number")
            student_no = ""
        elif not class_code:
            if not any(p.field in ("class", "grade") for p in row.problems):
                row.problem("student_no", "no_number", raw)
            student_no = ""
        else:
            student_no = f"{class_code}-{raw.zfill(2) if raw.isdigit() else raw}"
    else:
        student_no = row.identifier(number_field)
        if student_no == "":
            row.problem(number_field, "missing_number")
        student_no = student_no or ""
    editor = _editor()
    row.limit("student_no" if number_field == "class_no" else number_field, student_no,
              editor.MAX_NO)
    row.limit("name", name, editor.MAX_NAME)
    record = RosterRecord(row=row.number, student_no=student_no, name=name)
    record.gender = row.gender()
    record.birth_date = row.birth_date()
    record.grade, record.class_code, record.class_name = grade, class_code, name_of_class
    record.address = row.text("address")
    row.limit("address", record.address, editor.MAX_ADDRESS)
    record.phone = row.phone("phone")
    flags = row.left_behind()
    for flag in flag_fields:
        on = row.flag(flag)
        if on is not None:
            flags[flag] = on
    record.flags = flags
    if has_guardians:
        record.guardians = row.guardians()
    if "id_number" in row.index:
        id_number = row.identifier("id_number")
        if id_number:
            id_number = id_number.upper()
            if not _ID_NUMBER.fullmatch(id_number):
                row.problem("id_number", "bad_id_number", id_number)
        record.id_number = id_number or ""
    return record


def _editor():
    """``db.students``: the student editor's limits and phone check, so an
    imported value is never one the editor refuses. Imported when a row is
    read, not with this module (it loads the ORM; nothing here opens a database)."""
    from db import students

    return students


def _shown(text: str, most: int = 40) -> str:
    """A value quoted in a problem: at most ``most`` characters, never a
    character cut from its accent or joiner."""
    if len(text) <= most:
        return text
    return cut_text(text, most - 1) + "…"


def cut_text(text: str, most: int) -> str:
    """The first ``most`` characters or fewer, ending between two whole characters
    (not before a combining accent, a joiner or a variation selector)."""
    if len(text) <= most:
        return text
    end = most
    while end > 0 and (unicodedata.combining(text[end]) or text[end] in _JOINERS
                       or text[end - 1] in _JOINERS
                       or "\ufe00" <= text[end] <= "\ufe0f"
                       or "\U0001f3fb" <= text[end] <= "\U0001f3ff"):
        end -= 1
    return text[:end]


# --- csv and xlsx ---------------------------------------------------------------------

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read_roster(path, mapping: dict[str, str] | None = None, sheet: str | None = None,
                progress=None) -> ParsedFile:
    """Read a roster (.xlsx or .csv, told apart by their content)."""
    mapping = _check_mapping(mapping)
    path = os.fspath(path)
    try:
        with open(path, "rb") as fh:
            start = fh.read(8)
    except OSError:
        raise RosterFileError("unreadable") from None
    if start.startswith(b"PK\x03\x04"):
        return _read_xlsx(path, mapping, sheet, progress)
    if start == _OLE:
        marker = "EncryptedPackage".encode("utf-16-le")
        encrypted, tail = False, b""
        with open(path, "rb") as fh:  # a block at a time: an old .xls may be large
            while not encrypted and (block := fh.read(_READ_SIZE)):
                encrypted, tail = marker in tail + block, block[-len(marker):]
        raise RosterFileError("unreadable", reason="encrypted" if encrypted else "xls")
    return _read_csv(path, mapping, progress)


_READ_SIZE = 1024 * 1024  # bytes decoded at a time


def _candidates(start: bytes) -> tuple[str, ...]:
    if start.startswith(b"\xef\xbb\xbf"):
        return ("utf-8-sig",)
    if start.startswith((b"\xff\xfe", b"\xfe\xff")):
        return ("utf-16",)  # Excel's "Unicode text" (tab-separated)
    return ("utf-8", "gb18030")


def _scan_text(path: str) -> tuple[str, int]:
    """The text file's encoding and number of lines, read a block at a time
    (the whole file is never held): ``encoding`` when it is neither UTF-8 nor
    GBK, ``unreadable`` when it holds NUL characters (a binary file),
    ``empty`` when it holds nothing but whitespace."""
    try:
        with open(path, "rb") as fh:
            start = fh.read(4)
            for encoding in _candidates(start):
                fh.seek(0)
                decoder = codecs.getincrementaldecoder(encoding)()
                lines = 0
                nul = content = False
                last = ""
                try:
                    while True:
                        block = fh.read(_READ_SIZE)
                        text = decoder.decode(block, final=not block)
                        lines += text.count("\n")
                        nul = nul or "\x00" in text
                        content = content or bool(text.strip())
                        last = text[-1:] or last
                        if not block:
                            break
                except UnicodeDecodeError:
                    continue
                if nul:
                    raise RosterFileError("unreadable")
                if not content:
                    raise RosterFileError("empty")
                return encoding, lines + (0 if last == "\n" else 1)
    except OSError:
        raise RosterFileError("unreadable") from None
    raise RosterFileError("encoding")


def _delimiter(lines: list[str]) -> str:
    sample = "\n".join(lines)
    best, width = ",", 0
    for delimiter in (",", ";", "\t"):
        try:
            rows = list(csv.reader(io.StringIO(sample), delimiter=delimiter))
        except csv.Error:
            continue
        most = max((len(r) for r in rows), default=0)
        if most > width:
            best, width = delimiter, most
    return best


def _read_csv(path: str, mapping, progress) -> ParsedFile:
    """Row by row: the memory it takes does not grow with the file (only what
    ``_parse`` keeps: the packed records and the first problems)."""
    encoding, total = _scan_text(path)
    try:
        with open(path, encoding=encoding, newline="") as fh:
            first: list[str] = []  # the lines the delimiter is told from: 1 MB at most
            while len(first) < HEADER_SCAN + 10 and sum(map(len, first)) < MAX_TEXT_RUN:
                if not (line := fh.readline(MAX_TEXT_RUN)):
                    break
                first.append(line)
        sample = "".join(first).splitlines()[:HEADER_SCAN + 10]
        fh = open(path, encoding=encoding, newline="")
    except OSError:
        raise RosterFileError("unreadable") from None
    with fh:
        skip = 0
        first_line = sample[0].strip() if sample else ""
        if first_line.lower().startswith("sep=") and len(first_line) == 5:
            delimiter, skip = first_line[4], 1
        else:
            delimiter = _delimiter(sample)

        def lines():  # one line of the file at a time, never longer than MAX_TEXT_RUN
            while line := fh.readline(MAX_TEXT_RUN + 1):
                if len(line) > MAX_TEXT_RUN:
                    raise RosterFileError("cell_too_long", size=_mb(MAX_TEXT_RUN))
                yield line

        reader = csv.reader(lines(), delimiter=delimiter)

        def numbered():
            line = 0
            try:
                for values in reader:
                    start, line = line + 1, reader.line_num
                    if start > skip:
                        yield start, values
            except (csv.Error, UnicodeDecodeError, OSError):
                raise RosterFileError("unreadable") from None

        rows = numbered()
        head = list(itertools.islice(rows, HEADER_SCAN))
        header_at, texts = _find_header(head, mapping)
        meta = {"path": path, "kind": "csv", "encoding": encoding, "sheet": ""}
        return _parse(rows, head, header_at, texts, mapping, meta, total, progress)


def _mb(size: int) -> str:
    return f"{size / MIB:,.0f}" if size >= 10 * MIB else f"{size / MIB:,.1f}"


def _check_workbook(path: str) -> None:
    """Refuse a workbook that would unpack to more than the limits, from the
    sizes its zip directory declares, before anything is unpacked (zipfile
    never unpacks a part beyond its declared size: it stops with an error).
    Worksheets are streamed, so only all the parts together count for them;
    every other part (the shared strings, styles …) is read whole by
    openpyxl and has a limit of its own."""
    import zipfile
    from xml.etree.ElementTree import ParseError, fromstring

    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            total = sum(i.file_size for i in infos)
            if total > XLSX_MAX_UNPACKED:
                raise RosterFileError("too_big", size=_mb(total), limit=_mb(XLSX_MAX_UNPACKED))
            streamed: set[str] = set()
            texts: set[str] = set()
            types = next((i for i in infos if i.filename == "[Content_Types].xml"), None)
            if types is not None and types.file_size <= XLSX_MAX_PART:
                overrides = [(e.get("PartName", ""), e.get("ContentType"))
                             for e in fromstring(archive.read(types)) if e.tag.endswith("Override")]
                streamed = {name.lstrip("/") for name, kind in overrides
                            if kind == _WORKSHEET_TYPE and name.startswith("/xl/worksheets/")
                            and name.endswith(".xml")}
                texts = {name.lstrip("/") for name, kind in overrides
                         if kind == _SHARED_STRINGS_TYPE}
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, ParseError, KeyError):
        raise RosterFileError("unreadable") from None
    for info in infos:
        if info.filename not in streamed and info.file_size > XLSX_MAX_PART:
            raise RosterFileError("too_big_part", size=_mb(info.file_size),
                                  limit=_mb(XLSX_MAX_PART))
    _scan_parts(path, [i for i in infos if i.filename in streamed],
                [i for i in infos if i.filename in texts])


_PREFIXED_CELL = re.compile(rb"<[A-Za-z_][\w.-]*:c[\s/>]")  # <x:c …> (a namespace prefix)


def _cell_tags(data: bytes, end: int) -> int:
    count = (data.count(b"<c ", 0, end) + data.count(b"<c>", 0, end)
             + data.count(b"<c/>", 0, end) + data.count(b"<c\t", 0, end)
             + data.count(b"<c\n", 0, end) + data.count(b"<c\r", 0, end))
    if data.find(b":c", 0, end) >= 0:
        count += len(_PREFIXED_CELL.findall(data, 0, end))
    return count


def _scan_parts(path: str, sheets, texts) -> None:
    """Count the cell tags of each sheet, a block at a time (memory stays
    flat; seconds for the largest sheet the size limit lets through, where
    parsing it would take minutes), and refuse a sheet of more than
    ``XLSX_MAX_CELLS`` cells. In the sheets and the shared strings
    (``texts``), a run of text longer than ``MAX_TEXT_RUN`` is refused too:
    no roster value comes near it (a spreadsheet cell holds at most 32,767
    characters), and a reader would hold all of it at once."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            for info, count in [(i, True) for i in sheets] + [(i, False) for i in texts]:
                cells, tail = 0, b""
                with archive.open(info) as part:
                    while block := part.read(_READ_SIZE):
                        data = tail + block
                        cut = data.rfind(b"<")
                        if cut <= 0 and len(data) > MAX_TEXT_RUN:
                            raise RosterFileError("cell_too_long", size=_mb(MAX_TEXT_RUN))
                        cut = len(data) if cut < 0 else cut
                        if count:
                            cells += _cell_tags(data, cut)
                        tail = data[cut:]
                        if cells > XLSX_MAX_CELLS:
                            raise RosterFileError("too_many_cells", limit=f"{XLSX_MAX_CELLS:,}")
                    cells += _cell_tags(tail, len(tail)) if count else 0
                if cells > XLSX_MAX_CELLS:
                    raise RosterFileError("too_many_cells", limit=f"{XLSX_MAX_CELLS:,}")
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, KeyError):
        raise RosterFileError("unreadable") from None


def _read_xlsx(path: str, mapping, sheet, progress) -> ParsedFile:
    import zipfile
    from xml.etree.ElementTree import ParseError

    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    broken = (zipfile.BadZipFile, KeyError, OSError, EOFError, ValueError, ParseError,
              IndexError, AttributeError, InvalidFileException)
    _check_workbook(path)
    # a file object: openpyxl would refuse a path whose name does not end in .xlsx
    handle = open(path, "rb")
    try:
        book = openpyxl.load_workbook(handle, read_only=True, data_only=True)
    except broken:
        handle.close()
        raise RosterFileError("unreadable") from None

    def guarded(rows):
        cells = 0
        try:
            for number, values in enumerate(rows, start=1):
                cells += len(values)
                if cells > XLSX_MAX_CELLS:
                    raise RosterFileError("too_many_cells", limit=f"{XLSX_MAX_CELLS:,}")
                yield number, values
        except broken:
            raise RosterFileError("unreadable") from None

    try:
        if sheet is not None:
            if sheet not in book.sheetnames:
                raise RosterFileError("sheet", sheet=sheet)
            sheets = [book[sheet]]
        else:
            sheets = [ws for ws in book.worksheets if hasattr(ws, "iter_rows")]
        errors: list[RosterFileError] = []
        for ws in sheets:
            total = ws.max_row or 0
            ws.reset_dimensions()  # some exporters write a wrong size
            rows = guarded(ws.iter_rows(values_only=True))
            head = list(itertools.islice(rows, HEADER_SCAN))
            try:
                header_at, texts = _find_header(head, mapping)
            except RosterFileError as exc:
                errors.append(exc)
                continue
            meta = {"path": path, "kind": "xlsx", "encoding": "", "sheet": ws.title}
            return _parse(rows, head, header_at, texts, mapping, meta, total, progress)
        for code in ("no_name", "no_header"):
            for exc in errors:
                if exc.code == code:
                    raise exc
        raise RosterFileError("empty")
    finally:
        book.close()
        handle.close()
