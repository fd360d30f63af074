"""Parsing a roster row's fields: one row of the file into a ``RosterRecord``.

``Row`` reads each field of one data row (a name, a student number, a phone,
a birth date, the class, the family flags, the guardians), noting every
problem (the row is not imported) and every correction (it is, corrected)
by field; ``read_row`` puts the fields together into the record, with the
student editor's own limits (``db.students``, imported only when a row is
read).
"""

from __future__ import annotations

import datetime as dt
import re

from db import clock
from db.roster_cells import (CJK, MAX_EXACT, cell_text, class_name, drop_invisible, is_number, nfc, nfkc,
                             norm_value, parse_class, parse_grade, quoted, single_spaces, squash,
                             without_spaces)
from db.roster_file import Fix, GuardianRecord, Problem, RosterRecord
from db.text import clean

EARLIEST_BIRTH = dt.date(1990, 1, 1)
_TRAILING_ZERO = re.compile(r"(\d+)\.0+")
_SCIENTIFIC = re.compile(r"(\d+)(?:\.(\d*))?e\+?(\d+)", re.IGNORECASE)
_PHONE_SPLIT = re.compile(r"[/／、,，;；]")
_MOBILE = re.compile(r"1\d{10}")
_LANDLINE = re.compile(r"(?:0\d{2,3})?[2-9]\d{6,7}")
_ID_NUMBER = re.compile(r"\d{17}[\dX]|\d{15}")


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
GUARDIAN_SLOTS = (
    ("guardian1_name", "guardian1_relation", "guardian1_phone", "guardian"),
    ("guardian2_name", "guardian2_relation", "guardian2_phone", "guardian"),
    ("father_name", "=father", "father_phone", "father"),
    ("mother_name", "=mother", "mother_phone", "mother"),
    ("member1_name", "member1_relation", "member1_phone", "other"),
    ("member2_name", "member2_relation", "member2_phone", "other"),
)
FLAG_FIELDS = ("only_child", "orphan", "migrant")
_PHONE_FIELDS = frozenset(s[2] for s in GUARDIAN_SLOTS) | {"phone"}


# --- one row -------------------------------------------------------------------


class Row:
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
        self.problems.append(Problem(self.number, name, code, quoted(str(value)), limit))

    def limit(self, name: str, value: str, most: int) -> None:
        """The student editor's limit: a longer value is a problem, never cut."""
        if len(value) > most:
            self.problem(name, "too_long", f"{len(value):,}", most)

    def fix(self, name: str, code: str, before: str, after: str) -> None:
        self.fixes.append(Fix(self.number, name, code, quoted(before), quoted(after)))

    # -- value kinds --

    def text(self, name: str) -> str:
        return cell_text(self.get(name))

    def person(self, name: str) -> str:
        """A name: CJK names lose every inner space, Latin ones keep single spaces."""
        value = self.get(name)
        if value is None:
            return ""
        raw = clean(value if isinstance(value, str) else cell_text(value), multiline=False)
        visible = drop_invisible(raw)
        text = nfkc(visible)
        # NFC: an accent typed as a letter and a combining mark is the same text
        if squash(text) != squash(nfc(visible)):
            self.fix(name, "full_width", raw, text)
        after = without_spaces(text) if CJK.search(text) else single_spaces(text)
        if after != text or visible != raw:
            self.fix(name, "spaces", text if visible == raw else raw, after)
        return after

    def identifier(self, name: str) -> str | None:
        """A number, a phone or an ID number as text; None when its digits are lost."""
        value = self.get(name)
        if value is None:
            return ""
        if is_number(value):
            shown = repr(value) if isinstance(value, float) else str(value)
            if isinstance(value, float) and not value.is_integer():
                return shown  # 1.5: left for the check to refuse
            if abs(value) >= MAX_EXACT:
                self.problem(name, "digits_lost", shown)
                return None
            text = str(int(value))
            self.fix(name, "number_cell", shown, text)
            return text
        if not isinstance(value, str):
            return cell_text(value)
        text = clean(value, multiline=False)
        if not text.strip():
            return ""
        if text.startswith('="') and text.endswith('"'):  # the CSV "keep it text" trick
            text = text[2:-1]
        if name in _PHONE_FIELDS:
            parts = [p for p in _PHONE_SPLIT.split(text) if p.strip()]
            if len(parts) > 1:
                first = parts[0]
                self.fix(name, "several_phones", text, squash(nfkc(first)))
                text = first
        visible = drop_invisible(text)
        norm = nfkc(visible)
        if squash(norm) != squash(nfc(visible)):
            self.fix(name, "full_width", text, norm)
        squashed = without_spaces(norm)
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
                     or student_editor().clean_phone(text) is None):
            self.problem(name, "bad_phone", text)
        return text

    def gender(self) -> str:
        text = self.text("gender")
        if not text:
            return ""
        code = GENDERS.get(norm_value(text))
        if code is None:
            self.problem("gender", "bad_gender", text)
            return ""
        return code

    def birth_date(self) -> dt.date | None:
        value = self.get("birth_date")
        if value is None:
            return None
        if isinstance(value, dt.datetime):
            return self._in_range(value.date(), cell_text(value))
        if isinstance(value, dt.date):
            return self._in_range(value, value.isoformat())
        if is_number(value):
            if isinstance(value, float) and not value.is_integer():
                self.problem("birth_date", "bad_date", repr(value))
                return None
            text = str(int(value))
        else:
            text = _TIME_TAIL.sub("", nfkc(clean(str(value), multiline=False)).strip())
            text = squash(text)
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
        value = norm_value(text)
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
        value = norm_value(text)
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
        class_text = cell_text(value)
        if isinstance(value, (dt.date, dt.datetime)):
            day = value.date() if isinstance(value, dt.datetime) else value
            cls_grade, number = day.month, day.day
            class_text = f"{cls_grade}-{number}"
            self.fix("class", "date_cell", cell_text(value), class_text)
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
        text = norm_value(self.text(name))
        if not text:
            return blank
        return _RELATIONS.get(text, "other")

    def guardians(self) -> list[GuardianRecord]:
        found: list[GuardianRecord] = []
        for name_field, relation_field, phone_field, blank in GUARDIAN_SLOTS:
            if name_field not in self.index:
                continue
            name = self.person(name_field)
            if not name:
                continue
            self.limit(name_field, name, student_editor().MAX_NAME)
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




def read_row(row: Row, number_field: str, flag_fields, has_class: bool,
              has_guardians: bool) -> RosterRecord:
    name = row.person("name")
    if not name:
        row.problem("name", "missing_name")
    grade, class_code, name_of_class = row.school_class() if has_class else (0, "", "")
    student_no: str | None
    if number_field == "class_no":
        raw = squash(nfkc(row.text("class_no")))
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
    editor = student_editor()
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
    if "village" in row.index:
        from db.villages import MAX_VILLAGE

        record.village = single_spaces(nfkc(row.text("village")))
        row.limit("village", record.village, MAX_VILLAGE)
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


def student_editor():
    """``db.students``: the student editor's limits and phone check, so an
    imported value is never one the editor refuses. Imported when a row is
    read, not with this module (it loads the ORM; nothing here opens a database)."""
    from db import students

    return students
