"""Roster search: the rows, and what a query means.

Rows are loaded once (``db.roster.load_rows``) into an index
(``db.search_index``) and searched there without touching the database, so a
keystroke never waits on the share.

A query in Latin letters and digits is matched in each student's two keys
(``db.search_match``): anywhere in the ASCII fields (number, class code, an
ASCII name), and in the name's readings at syllable boundaries (``zhangwei``,
``zw``, ``zhw``, ``wei`` for 张伟; never from the middle of a syllable).  A
query with Chinese characters is looked up in the name and the class name,
both normalised like the query (``RosterRow.fold``: spaces, letter case,
full-width forms and the dot of a minority name make no difference); Chinese
followed by pinyin (``张wei``) matches the characters, then the syllables of
the characters after them.  A class as written (``7-3``, ``初一3班``) means
its students (``class_query``).

Results are ranked by how well they match (``db.search_match``: exact, whole
reading, initials, from the start, the rest), then in roster order: open
cases first, then by class and number.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from db.search_match import MARK, ROW, SEP
from db.vocab import OPEN_STATUSES

STATUS_FILTERS = ("all", "open", "identified", "active", "improving",
                  "transformed", "closed", "none")


@dataclass(slots=True)
class RosterRow:
    student_id: int
    student_no: str
    name: str
    class_name: str
    class_code: str = ""
    case_id: int | None = None
    status: str = ""  # "" when the student has no case
    lead: str = ""
    staff_ids: frozenset = field(default_factory=frozenset)
    last_date: dt.date | None = None
    last_channel: str = ""
    # the search keys (``db.search_match``), moved into the index that holds
    # the row ("" there): the ASCII fields, and the name's syllables
    hay: str = field(default="", compare=False)
    sounds: str = field(default="", compare=False)
    # the name and the class name as a query is normalised (``normalise_query``:
    # "王 芳" → "王芳", "七年级（1）班" → "七年级(1)班"), SEP-led; "" when that is
    # what they are already, as for most names (see ``build_fold``)
    fold: str = field(default="", compare=False)

    def build_hay(self, pinyin: str = "", initials: str = "") -> None:
        """The search keys from the stored ``pinyin`` and ``initials``
        (``db.pinyin.name_keys``); ``db.roster.search_keys`` builds the same in SQL."""
        keys = [self.name, self.student_no, self.class_name, self.class_code]
        self.hay = ROW + SEP + SEP.join(k.lower() if k.isascii() else "" for k in keys)
        self.sounds = sounds_key(pinyin, initials)

    def build_fold(self, classes: dict[str, str]) -> None:
        """Set ``fold``; ``classes`` keeps the class names folded so far (they repeat)."""
        name = self.name if self.name.isascii() else normalise_query(self.name)
        klass = self.class_name
        if not klass.isascii():
            if klass not in classes:
                classes[klass] = normalise_query(klass)
            klass = classes[klass]
        # (an ASCII name or class name never holds a query that is not ASCII)
        same = name == self.name and klass == self.class_name
        self.fold = "" if same else SEP + name + SEP + klass

    def matches(self, q: str) -> bool:
        """Whether the name or the class name holds ``q`` (a normalised query
        that is not ASCII)."""
        if self.fold:
            return q in self.fold
        return q in self.name or q in self.class_name

    def starts(self, q: str) -> bool:
        """Whether the name or the class name starts with ``q`` (not ASCII)."""
        if self.fold:
            return SEP + q in self.fold
        return self.name.startswith(q) or self.class_name.startswith(q)

    def is_named(self, q: str) -> bool:
        """Whether the name is ``q`` (a normalised query that is not ASCII)."""
        return self.fold.startswith(SEP + q + SEP) if self.fold else self.name == q

    def folded_name(self) -> str:
        """The name as a query is normalised."""
        return self.fold[1:self.fold.index(SEP, 1)] if self.fold else self.name

    @property
    def tier(self) -> int:
        if self.status in OPEN_STATUSES:
            return 0
        return 1 if self.status else 2


_CN_DIGITS = {c: n for n, c in enumerate("零一二三四五六七八九")}


def _cn_number(match: re.Match) -> str:
    """一 → 1, 十 → 10, 十二 → 12, 二十 → 20 (grades and classes: 七年级, 高一)."""
    text = match.group(0)
    if "十" not in text:
        return "".join(str(_CN_DIGITS[c]) for c in text)
    tens, _, ones = text.partition("十")
    return str((_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0))


def natural_key(text: str) -> tuple:
    """Sort 7-2 before 7-10 and 七年级 before 八年级 before 九年级: digit runs (and
    Chinese numerals) compare as numbers."""
    text = re.sub(r"[一二三四五六七八九]?十[一二三四五六七八九]?|[零一二三四五六七八九]+",
                  _cn_number, text)
    # isdecimal: int() refuses ① and ²; a run of hundreds of digits sorts as text
    return tuple((0, int(part), "") if part.isdecimal() and len(part) <= 100 else (1, 0, part)
                 for part in re.split(r"(\d+)", text) if part)


# the dots between the parts of a minority name (阿依古丽·买买提), as typed
NAME_DOTS = str.maketrans("", "", "·•・‧∙⋅･.。")


def normalise_query(text: str) -> str:
    """Lower case, no spaces, full-width letters and digits (from an IME)
    folded, ü as v; in text with Chinese, no dots (· • ． ・: a minority name)."""
    text = unicodedata.normalize("NFKC", text or "")
    text = "".join(text.lower().split()).replace(SEP, "").replace(ROW, "")
    text = text.replace("ü", "v")  # lü as stored: lv (and lu, lyu)
    return text if text.isascii() else text.translate(NAME_DOTS)


def sounds_key(pinyin: str, initials: str = "") -> str:
    """The ``sounds`` key from the stored keys: each reading SEP-led, each
    syllable led by ``'``.  Keys stored by a bangfu before syllables were kept
    (no ``'`` in them) keep their initials as a reading too, so that typing
    initials still finds the student."""
    if not pinyin:
        return ROW
    key = ROW + SEP + MARK + pinyin.replace("|", SEP + MARK)
    if MARK not in pinyin and initials:
        key += SEP + MARK + initials.replace("|", SEP + MARK)
    return key


_CODE_QUERY = re.compile(r"(\d{1,2})-(\d{1,2})?")
_GRADE_WORD = re.compile(r"[初高][一二三123]")


def class_query(q: str) -> tuple[str, bool] | None:
    """The class a normalised query names, as ``(code, whole grade)``: "7-3",
    "七年级3班", "7年级3班", "初一3班", "初一(3)班", "七(3)班", "初一三班" → ("7-3",
    False); "7-", "七年级", "初一" → ("7-", True); "高一2班" → ("10-2", False).
    None for anything else (a name, a student number)."""
    if q.isascii():
        m = _CODE_QUERY.fullmatch(q)
        if not m:
            return None
        return (f"{int(m.group(1))}-{int(m.group(2))}", False) if m.group(2) \
            else (f"{int(m.group(1))}-", True)
    if "班" not in q and "年级" not in q and not _GRADE_WORD.fullmatch(q):
        return None
    from db.roster_cells import parse_class

    grade, number = parse_class(q) or (None, None)
    if grade is None:
        return None
    return (f"{grade}-{number}", False) if number else (f"{grade}-", True)


def in_class(row: RosterRow, klass: tuple[str, bool]) -> bool:
    code, whole_grade = klass
    return row.class_code.startswith(code) if whole_grade else row.class_code == code


def status_matches(row: RosterRow, status: str) -> bool:
    if status == "all":
        return True
    if status == "open":
        return row.status in OPEN_STATUSES
    if status == "none":
        return not row.status
    return row.status == status
