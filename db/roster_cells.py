"""Reading a roster file's cells: a spreadsheet's value as clean text.

What a spreadsheet does to a value is undone here where it can be undone
exactly (numbers stored as numbers, full-width characters, stray and
zero-width spaces), without ever splitting a character from its accent or
joiner (``cut_text``); header cells are normalised and recognised as a field
(``norm_header``, ``RECOGNISED``), and a grade or class is read in any of the
ways schools write it (``parse_grade``, ``parse_class``, ``class_name``).
No database, no Textual, no openpyxl.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from db.text import clean, one_line


# --- headers -------------------------------------------------------------------

_SUFFIXES = ("(必填)", "*", ":", ".")


def norm_header(text) -> str:
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
    "village": ("村", "社区", "属地", "村/社区", "村(社区)", "村(居)", "所属村", "所在村",
                "所属村(社区)", "所在村(社区)", "village", "community"),
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
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
MAX_EXACT = 10 ** 15  # a spreadsheet keeps 15 significant digits of a number


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


def nfkc(text: str) -> str:
    """Full-width letters and digits as ordinary ones (NFKC), except the
    spacing accents that NFKC would turn into a loose combining accent."""
    if text.isascii():
        return text
    if not _KEEP_FORM.search(text):
        return unicodedata.normalize("NFKC", text)
    parts = _KEEP_FORM.split(text)  # odd items: the accents kept as they are
    return "".join(unicodedata.normalize("NFKC" if i % 2 == 0 else "NFC", part)
                   for i, part in enumerate(parts))


def nfc(text: str) -> str:
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def squash(text: str) -> str:
    """For matching only (headers, genders, flags, classes): no spaces, no
    zero-width characters at all."""
    return _WS.sub("", text)


def _plain(ch: str) -> bool:
    """A neighbour a joiner joins nothing to: a space, ASCII, a CJK character."""
    return ch.isspace() or ch.isascii() or bool(CJK.match(ch)) or bool(_ZW.match(ch))


def drop_invisible(text: str) -> str:
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


def without_spaces(text: str) -> str:
    """No whitespace, except a space that carries a combining accent."""
    return _STRAY_SPACES.sub("", text)


def single_spaces(text: str) -> str:
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


def cell_text(value) -> str:
    """A cell as one line of text, as a person would read it."""
    if value is None:
        return ""
    if isinstance(value, str):
        return one_line(drop_invisible(value))
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < MAX_EXACT:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time():
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return one_line(str(value))


def is_number(value) -> bool:
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


def norm_value(text: str) -> str:
    return squash(nfkc(text)).lower()


def parse_grade(text: str) -> int | None:
    """一年级 … 六年级, 七/八/九年级, 初一 … 初三, 高一 … 高三, 7年级, 7, grade 7."""
    t = norm_value(text).removeprefix("grade")
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
    t = norm_value(text).removeprefix("class")
    if t.endswith("班") and len(t) > 1:
        t = t[:-1]
    number: int | None
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



RECOGNISED = {norm_header(alias): name for name, aliases in _ALIASES.items()
               for alias in aliases}


def quoted(text: str, most: int = 40) -> str:
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
