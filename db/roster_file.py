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

No database and no Textual here; openpyxl is imported only when an .xlsx is
read. The identity-number column is recognised but never read unless the
user maps it explicitly.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import os
import re
import unicodedata
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
               "bad_mapping", "sheet")  # RosterFileError: the whole file cannot be used

HEADER_SCAN = 20  # the header is looked for in the first 20 rows
PROGRESS_EVERY = 200
EARLIEST_BIRTH = dt.date(1990, 1, 1)


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
    path: str
    kind: str
    encoding: str
    sheet: str
    header_row: int
    columns: list[Column]
    preview: list[tuple[int, list[str]]]
    records: list[RosterRecord]
    problems: list[Problem]
    fixes: list[Fix]
    skipped: list[tuple[int, str]]
    id_column: str = ""
    rows_read: int = 0


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


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def _squash(text: str) -> str:
    return _WS.sub("", text)


def _cell_text(value) -> str:
    """A cell as one line of text, as a person would read it."""
    if value is None:
        return ""
    if isinstance(value, str):
        return one_line(_ZW.sub("", value))
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

    def problem(self, name: str, code: str, value="") -> None:
        self.problems.append(Problem(self.number, name, code, str(value)))

    def fix(self, name: str, code: str, before: str, after: str) -> None:
        self.fixes.append(Fix(self.number, name, code, before, after))

    # -- value kinds --

    def text(self, name: str) -> str:
        return _cell_text(self.get(name))

    def person(self, name: str) -> str:
        """A name: CJK names lose every inner space, Latin ones keep single spaces."""
        value = self.get(name)
        if value is None:
            return ""
        raw = clean(value if isinstance(value, str) else _cell_text(value), multiline=False)
        text = _nfkc(raw)
        if _squash(text) != _squash(raw):
            self.fix(name, "full_width", raw, text)
        after = _squash(text) if _CJK.search(text) else " ".join(_WS.sub(" ", text).split())
        if after != text:
            self.fix(name, "spaces", text, after)
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
        norm = _nfkc(text)
        if _squash(norm) != _squash(text):
            self.fix(name, "full_width", text, norm)
        squashed = _squash(norm)
        if squashed != norm:
            self.fix(name, "spaces", norm, squashed)
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
        if text and not (_MOBILE.fullmatch(text) or _LANDLINE.fullmatch(text)):
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
                        preview=[], records=[], problems=[], fixes=[], skipped=[],
                        id_column=id_column)
    first_row: dict[str, int] = {}
    blanks: list[int] = []
    flag_fields = [f for f in _FLAG_FIELDS if f in index]
    has_class = "class" in index or "grade" in index
    has_guardians = any(s[0] in index for s in _SLOTS)
    seen = 0
    for number, values in itertools.chain(head[header_at + 1:], rows):
        seen += 1
        if progress is not None and seen % PROGRESS_EVERY == 0:
            progress(seen, max(total - header_row, seen))
        values = list(values[:width]) if len(values) >= width else \
            list(values) + [None] * (width - len(values))
        texts = [_cell_text(v) for v in values]
        if not any(texts):
            blanks.append(number)
            continue
        if blanks:  # blank rows count only between data rows, not at the end
            parsed.skipped.extend((b, "blank") for b in blanks)
            blanks = []
        if _norm_header(texts[name_at]) == header_norms[name_at] and sum(
                1 for t, h in zip(texts, header_norms) if h and _norm_header(t) == h) >= 2:
            parsed.skipped.append((number, "repeated_header"))
            continue
        parsed.rows_read += 1
        if len(parsed.preview) < 5:
            parsed.preview.append((number, texts))
        row = _Row(number, values, index)
        record = _read_row(row, number_field, flag_fields, has_class, has_guardians)
        if record is not None and record.student_no:
            first = first_row.setdefault(record.student_no, number)
            if first != number:
                row.problem("student_no", "duplicate_number", str(first))
        if row.problems:
            parsed.problems.extend(row.problems)
        else:
            parsed.fixes.extend(row.fixes)
            parsed.records.append(record)
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
    record = RosterRecord(row=row.number, student_no=student_no, name=name)
    record.gender = row.gender()
    record.birth_date = row.birth_date()
    record.grade, record.class_code, record.class_name = grade, class_code, name_of_class
    record.address = row.text("address")
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
        with open(path, "rb") as fh:
            data = fh.read()
        encrypted = "EncryptedPackage".encode("utf-16-le") in data
        raise RosterFileError("unreadable", reason="encrypted" if encrypted else "xls")
    return _read_csv(path, mapping, progress)


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = ("utf-8-sig",)
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ("utf-16",)  # Excel's "Unicode text" (tab-separated)
    else:
        candidates = ("utf-8", "gb18030")
    for encoding in candidates:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise RosterFileError("encoding")


def _delimiter(text: str) -> str:
    sample = "\n".join(text.splitlines()[:HEADER_SCAN + 10])
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
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError:
        raise RosterFileError("unreadable") from None
    text, encoding = _decode(data)
    if "\x00" in text:
        raise RosterFileError("unreadable")
    if not text.strip():
        raise RosterFileError("empty")
    skip = 0
    first_line = text.split("\n", 1)[0].strip()
    if first_line.lower().startswith("sep=") and len(first_line) == 5:
        delimiter, skip = first_line[4], 1
    else:
        delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)

    def numbered():
        line = 0
        try:
            for values in reader:
                start, line = line + 1, reader.line_num
                if start > skip:
                    yield start, values
        except csv.Error:
            raise RosterFileError("unreadable") from None

    rows = numbered()
    head = list(itertools.islice(rows, HEADER_SCAN))
    header_at, texts = _find_header(head, mapping)
    meta = {"path": path, "kind": "csv", "encoding": encoding, "sheet": ""}
    total = text.count("\n") + (0 if text.endswith("\n") else 1)
    return _parse(rows, head, header_at, texts, mapping, meta, total, progress)


def _read_xlsx(path: str, mapping, sheet, progress) -> ParsedFile:
    import zipfile
    from xml.etree.ElementTree import ParseError

    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    broken = (zipfile.BadZipFile, KeyError, OSError, EOFError, ValueError, ParseError,
              IndexError, AttributeError, InvalidFileException)
    # a file object: openpyxl would refuse a path whose name does not end in .xlsx
    handle = open(path, "rb")
    try:
        book = openpyxl.load_workbook(handle, read_only=True, data_only=True)
    except broken:
        handle.close()
        raise RosterFileError("unreadable") from None

    def guarded(rows):
        try:
            yield from enumerate(rows, start=1)
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
