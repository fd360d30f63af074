"""The in-memory roster index behind search-as-you-type.

Rows are loaded once (``db.roster.load_rows``) and searched here without
touching the database, so a keystroke never waits on the share.  Matching:
name, full pinyin (every stored reading), initials, student number and class.
Matches that start a field come before matches inside one; within each group
the roster order holds (open cases first, then by class and number).

A query in Latin letters and digits is looked up in ``hay``, one ASCII string
per student (kept ASCII so Python stores it at one byte a character); a query
with Chinese characters is looked up in the name and the class name, both
normalised like the query (``RosterRow.fold``: spaces, letter case and
full-width forms make no difference).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from db.vocab import OPEN_STATUSES

SEP = "\x01"
# results of recently used queries are kept (typing on, back-spacing), up to
# this many row references in all (8 bytes each): about 1.6 MB at the most
CACHE_ROWS = 200_000
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
    hay: str = ""
    # the name and the class name as a query is normalised (``normalise_query``:
    # "王 芳" → "王芳", "七年级（1）班" → "七年级(1)班"), SEP-led; "" when that is
    # what they are already, as for most names (see ``build_fold``)
    fold: str = ""

    def build_hay(self, pinyin: str = "", initials: str = "") -> None:
        """The ASCII search key: lower case, SEP-separated.

        ``db.roster.search_key`` builds the same key in SQL when loading.
        """
        keys = [self.name, self.student_no, self.class_name, self.class_code]
        keys = [k.lower() if k.isascii() else "" for k in keys]
        keys += pinyin.split("|") + initials.split("|")
        self.hay = SEP + SEP.join(keys)

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
        if q.isascii():
            return q in self.hay
        if self.fold:
            return q in self.fold
        return q in self.name or q in self.class_name

    def starts(self, q: str) -> bool:
        """Whether a field starts with ``q`` (ranked before matches inside one)."""
        if q.isascii():
            return SEP + q in self.hay
        if self.fold:
            return SEP + q in self.fold
        return self.name.startswith(q) or self.class_name.startswith(q)

    def is_named(self, q: str) -> bool:
        """Whether the name is ``q`` (a normalised query that is not ASCII)."""
        return self.fold.startswith(SEP + q + SEP) if self.fold else self.name == q

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


def normalise_query(text: str) -> str:
    """Lower case, no spaces, full-width letters and digits (from an IME) folded."""
    text = unicodedata.normalize("NFKC", text or "")
    return "".join(text.lower().split()).replace(SEP, "")


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


class Ranked(Sequence):
    """Matches ranked field-starts first, worked out only as far as they are read.

    The screen reads the first screenful of a search; ranking thousands of
    rows in full on every keystroke would cost more than the search.
    """

    __slots__ = ("_pool", "_starts", "_done", "_first", "_rest", "_scanned")

    def __init__(self, pool: list[RosterRow], starts):
        self._pool = pool
        self._starts = starts  # row -> whether a field starts with the query
        self._first: list[RosterRow] = []
        self._rest: list[RosterRow] = []
        self._scanned = 0  # rows of the pool sorted into first/rest so far
        self._done = False

    def __len__(self) -> int:
        return len(self._pool)

    def _fill(self, upto: int) -> None:
        """Sort pool rows until the first ``upto + 1`` ranked rows are known."""
        pool, starts, first, rest = self._pool, self._starts, self._first, self._rest
        i = self._scanned
        while i < len(pool) and len(first) <= upto:
            row = pool[i]
            (first if starts(row) else rest).append(row)
            i += 1
        self._scanned = i
        if i == len(pool):
            self._done = True

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self._pool):
            raise IndexError(index)
        if index >= len(self._first) and not self._done:
            self._fill(index)
        if index < len(self._first):
            return self._first[index]
        return self._rest[index - len(self._first)]

    def __iter__(self):
        for i in range(len(self._pool)):
            yield self[i]

    def __eq__(self, other) -> bool:
        if isinstance(other, (list, tuple, Ranked)):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # unhashable, as a list

    def __repr__(self) -> str:
        return f"Ranked({list(self)!r})"


class RosterIndex:
    def __init__(self, rows: list[RosterRow] | None = None):
        self._rows: list[RosterRow] = []
        # query -> (matches in roster order, matches ranked), for one scope
        self._cache: dict[str, tuple[list[RosterRow], Sequence[RosterRow]]] = {}  # (pool, ordered)
        self._cache_scope: tuple | None = None
        self.replace(rows or [])

    def __len__(self) -> int:
        return len(self._rows)

    def replace(self, rows: list[RosterRow]) -> None:
        classes: dict[str, str] = {}
        for row in rows:
            if not row.hay:
                row.build_hay()
            row.build_fold(classes)
        rows.sort(key=lambda r: (r.tier, natural_key(r.class_code or r.class_name),
                                 r.student_no))
        self._rows = rows
        self._cache.clear()

    def restricted_to(self, scope) -> "RosterIndex":
        """The rows ``scope`` (``db.access.Scope``) sees, as an index of its own
        (the same row objects, already prepared; the order kept)."""
        if scope.everyone:
            return self
        view = RosterIndex()
        view._rows = [r for r in self._rows if scope.sees_row(r)]
        return view

    def upsert(self, row: RosterRow) -> None:
        """Put a changed row in place (after a save) without reloading all."""
        if not row.hay:
            row.build_hay()
        row.build_fold({})
        for i, old in enumerate(self._rows):
            if old.student_id == row.student_id:
                self._rows[i] = row
                break
        else:
            self._rows.append(row)
        self._cache.clear()

    def get(self, student_id: int) -> RosterRow | None:
        # a scan (about a millisecond at 20,000) instead of a dict that would
        # cost more than a megabyte for the whole session
        return next((r for r in self._rows if r.student_id == student_id), None)

    def search(self, query: str, *, status: str = "all",
               staff_id: int | None = None, limit: int | None = None) -> Sequence[RosterRow]:
        """Rows matching ``query``; ``staff_id`` keeps only that person's cases."""
        q = normalise_query(query)
        scope = (status, staff_id)
        if scope != self._cache_scope:
            self._cache.clear()
            self._cache_scope = scope
        cached = self._cache.pop(q, None)
        klass = class_query(q)
        if cached is not None:
            self._cache[q] = cached  # most recently used last
        elif klass is not None:
            # a class ("7-1" is that class, not 7-10 too; "初一3班" is 7-3): from the
            # whole roster in scope, and a name that matches as typed as well (高一鸣)
            pool = self._scoped(status, staff_id)
            pool = [r for r in pool if in_class(r, klass) or (not q.isascii() and r.matches(q))]
            ordered: Sequence[RosterRow] = Ranked(
                pool, lambda r: not q.isascii() and (r.is_named(q) or r.name.startswith(q)))
            cached = self._cache[q] = (pool, ordered)
            self._evict()
        else:
            # narrow the longest cached query this one extends (typing on, or
            # back-spacing to a query seen a moment ago); pools keep roster order
            # (a Latin query is matched in ``hay``, any other in the names: "9" does
            # not narrow "9年", whose match may be in a class name only)
            # (a class's results are no superset of a longer query's: "7-1", "7-10")
            base = max((k for k in self._cache if q.startswith(k)
                        and (not k or k.isascii() == q.isascii()) and class_query(k) is None),
                       key=len, default=None)
            if base is not None:
                self._cache[base] = self._cache.pop(base)  # used: keep it
                pool = self._cache[base][0]
            else:
                pool = self._scoped(status, staff_id)
            ordered = pool
            if q and q.isascii():  # the common case, kept to plain `in` for speed
                pool = [r for r in pool if q in r.hay]
                head = SEP + q
                ordered = Ranked(pool, lambda r: head in r.hay)
            elif q:
                pool = [r for r in pool if r.matches(q)]
                ordered = Ranked(pool, lambda r: r.starts(q))
            cached = self._cache[q] = (pool, ordered)
            self._evict()
        ordered = cached[1]
        return ordered[:limit] if limit else ordered

    def _scoped(self, status: str, staff_id: int | None) -> list[RosterRow]:
        """The roster in the search's scope (status, one person's cases), kept as
        the results of the empty query."""
        cached = self._cache.get("")
        if cached is not None:
            return cached[0]
        pool = self._rows
        if status != "all":
            pool = [r for r in pool if status_matches(r, status)]
        if staff_id is not None:
            pool = [r for r in pool if staff_id in r.staff_ids]
        self._cache[""] = (pool, pool)
        return pool

    def _evict(self) -> None:
        """Drop the least recently used results until the cache is within bounds."""
        def size(entry):
            pool, ordered = entry  # a Ranked keeps at most one more list
            return (len(pool) if pool is not self._rows else 0) + \
                (len(ordered) if ordered is not pool else 0)

        total = sum(size(e) for e in self._cache.values())
        for key in list(self._cache):
            if total <= CACHE_ROWS:
                break
            if key:  # "" is the roster itself: free to keep
                total -= size(self._cache.pop(key))

    def exact(self, query: str) -> list[RosterRow]:
        """Rows whose number, name or a pinyin reading equals ``query`` exactly."""
        q = normalise_query(query)
        if not q.isascii():
            return [r for r in self._rows if r.is_named(q)]
        needle = SEP + q + SEP
        return [r for r in self._rows if needle in r.hay + SEP]
