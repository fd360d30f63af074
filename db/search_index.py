"""The roster index: every student's search keys in two strings, a query's
results ranked and kept while typing on (what is matched, and how well:
``db.search``, ``db.search_match``)."""

from __future__ import annotations

import re
from array import array
from collections.abc import Sequence

from db.search import RosterRow, class_query, in_class, natural_key, normalise_query, status_matches
from db.search_match import (EXACT, INSIDE, LETTERS, MARK, ROW, SEP, START, Matcher, later,
                             sounds_pattern, typos)

# results of recently used queries are kept (typing on, back-spacing), up to
# this many row positions in all (4 bytes each): 1.6 MB at the most
CACHE_ROWS = 400_000


class Ranked(Sequence):
    """Positions ranked: ``best`` first, then those of ``pool`` by
    ``bucket`` (0, 1, 2: each in pool order); worked out only as far as they
    are read: the screen reads a screenful, and bucket 0 (a match from the
    start) is found by scanning only until the screen is full (ranking
    thousands of rows in full on every keystroke would cost more than the search)."""

    __slots__ = ("_best", "_pool", "_bucket", "_first", "_others", "_scanned")

    def __init__(self, best: list[int], pool: Sequence[int], bucket):
        self._best = best
        self._pool = pool
        self._bucket = bucket
        self._first = array("I")  # (4 bytes a row, where a list holds an int object)
        self._others = (array("I"), array("I"))
        self._scanned = 0  # positions of the pool sorted into buckets so far

    def __len__(self) -> int:
        return len(self._best) + len(self._pool)

    def _fill(self, upto: int) -> None:
        """Sort pool positions until the first ``upto + 1`` of bucket 0 are known."""
        pool, bucket, first, others = self._pool, self._bucket, self._first, self._others
        i = self._scanned
        while i < len(pool) and len(first) <= upto:
            b = bucket(pool[i])
            (first if b == 0 else others[b - 1]).append(pool[i])
            i += 1
        self._scanned = i

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        if index < len(self._best):
            return self._best[index]
        index -= len(self._best)
        if index >= len(self._first) and self._scanned < len(self._pool):
            self._fill(index)
        if index < len(self._first):
            return self._first[index]
        if self._scanned < len(self._pool):
            self._fill(len(self._pool))
        index -= len(self._first)
        second, third = self._others
        return second[index] if index < len(second) else third[index - len(second)]

    def __iter__(self):
        return (self[i] for i in range(len(self)))


class Rows(Sequence):
    """A query's results, read like a list: rows of the index by position."""

    __slots__ = ("_rows", "_order")

    def __init__(self, rows: list[RosterRow], order: Sequence[int]):
        self._rows = rows
        self._order = order

    def __len__(self) -> int:
        return len(self._order)

    def __getitem__(self, index):
        if isinstance(index, slice):
            rows = self._rows
            return [rows[i] for i in self._order[index]]
        return self._rows[self._order[index]]

    def __iter__(self):
        rows = self._rows
        return (rows[i] for i in self._order)

    def __eq__(self, other) -> bool:
        if isinstance(other, (list, tuple, Rows)):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # unhashable, as a list

    def __repr__(self) -> str:
        return f"Rows({list(self)!r})"


def _offsets(keys) -> array:
    """Where each key starts in their concatenation, and where the last ends."""
    at = array("I", [0])
    total = 0
    for key in keys:
        total += len(key)
        at.append(total)
    return at


def _mixed_query(q: str) -> tuple[str, str] | None:
    """``("张", "wei")`` for 张wei: Chinese, then pinyin for what follows."""
    m = _MIXED(q)
    return (m.group(1), m.group(2)) if m else None


def _rows_hit(pattern: re.Pattern, text: str, at: Sequence[int], once: bool = False):
    """``(row, position)`` of each match of ``pattern`` in ``text`` (the keys of
    all rows, row i's from ``at[i]``), in order; with ``once`` the first in each
    row only.  The row is counted on by the ROW marks passed (no search for it)."""
    row, counted = -1, 0
    search = pattern.search
    hit = search(text)
    while hit is not None:
        where = hit.start()
        row += text.count(ROW, counted, where + 1)
        counted = where + 1
        yield row, where
        hit = search(text, max(at[row + 1], counted) if once else counted)


_MIXED = re.compile("([^\x00-\x7f]+)([a-z]+)").fullmatch
RANK_EACH = 1500  # up to this many matches are ranked row by row, more by scans
NARROW_EACH = 2000  # up to this many earlier results are matched again row by row, more by a scan


class RosterIndex:
    """The roster in roster order, every row's ``hay`` and all rows' ``sounds``
    in one string (one after another; ``_sounds_at[i]`` is where row i's starts)."""

    def __init__(self, rows: list[RosterRow] | None = None):
        self._rows: list[RosterRow] = []
        self._hays: list[str] = []
        self._sounds = ""
        self._sounds_at = array("I", [0])
        # query -> (matches in roster order, matches ranked), as positions in
        # ``_rows``, for one scope; "" is the roster in scope
        self._cache: dict[str, tuple[Sequence[int], Sequence[int]]] = {}
        self._cache_scope: tuple | None = None
        self._in_scope: bytearray | None = None  # 1 for each row in scope; None: all are
        self.replace(rows or [])

    def __len__(self) -> int:
        return len(self._rows)

    def replace(self, rows: list[RosterRow]) -> None:
        """Hold ``rows`` (their keys move into the index)."""
        classes: dict[str, str] = {}
        for row in rows:
            if not row.hay:
                row.build_hay()
            row.build_fold(classes)
        rows.sort(key=lambda r: (r.tier, natural_key(r.class_code or r.class_name),
                                 r.student_no))
        self._rows = rows
        self._take([(r.hay, r.sounds) for r in rows])
        for row in rows:  # one copy of the keys: the index's
            row.hay = row.sounds = ""
        self._forget()

    def _take(self, keys: list[tuple[str, str]]) -> None:
        """Hold each row's ``(hay, sounds)``, in roster order."""
        self._hays = [h for h, _ in keys]
        self._sounds = "".join(s for _, s in keys)
        self._sounds_at = _offsets(s for _, s in keys)

    def _forget(self) -> None:
        self._cache.clear()
        self._cache_scope = None
        self._in_scope = None

    def keys(self, i: int) -> tuple[str, str]:
        """Row i's ``hay`` and ``sounds``."""
        return self._hays[i], self._sounds[self._sounds_at[i]:self._sounds_at[i + 1]]

    def restricted_to(self, scope) -> RosterIndex:
        """The rows ``scope`` (``db.access.Scope``) sees, as an index of its own
        (the same row objects, already prepared; the order kept)."""
        if scope.everyone:
            return self
        keep = [i for i, r in enumerate(self._rows) if scope.sees_row(r)]
        view = RosterIndex()
        view._rows = [self._rows[i] for i in keep]
        view._take([self.keys(i) for i in keep])
        return view

    def upsert(self, row: RosterRow) -> None:
        """Put a changed row in place (after a save) without reloading all."""
        if not row.hay:
            row.build_hay()
        row.build_fold({})
        at = next((i for i, old in enumerate(self._rows) if old.student_id == row.student_id),
                  None)
        offsets = self._sounds_at
        if at is None:
            self._rows.append(row)
            self._hays.append(row.hay)
            self._sounds += row.sounds
            offsets.append(len(self._sounds))
        else:  # the row's keys spliced in, the rows after it moved on
            self._rows[at] = row
            self._hays[at] = row.hay
            start, end = offsets[at], offsets[at + 1]
            self._sounds = self._sounds[:start] + row.sounds + self._sounds[end:]
            moved = len(row.sounds) - (end - start)
            for j in range(at + 1, len(offsets)):
                offsets[j] += moved
        row.hay = row.sounds = ""
        self._forget()

    def get(self, student_id: int) -> RosterRow | None:
        # a scan (about a millisecond at 20,000) instead of a dict that would
        # cost more than a megabyte for the whole session
        return next((r for r in self._rows if r.student_id == student_id), None)

    def search(self, query: str, *, status: str = "all",
               staff_id: int | None = None, limit: int | None = None) -> Sequence[RosterRow]:
        """Rows matching ``query``, best first; ``staff_id`` keeps only that person's cases."""
        q = normalise_query(query)
        scope = (status, staff_id)
        if scope != self._cache_scope:
            self._forget()
            self._cache_scope = scope
        cached = self._cache.pop(q, None)
        if cached is None:
            cached = self._cache[q] = self._find(q, status, staff_id)
            self._evict()
        else:
            self._cache[q] = cached  # most recently used last
        found = Rows(self._rows, cached[1])
        return found[:limit] if limit else found

    def _find(self, q: str, status: str, staff_id: int | None):
        scoped = self._scoped(status, staff_id)
        if not q:
            return scoped, scoped
        rows = self._rows
        klass = class_query(q)
        named = 2 * EXACT
        if klass is not None:
            # a class ("7-1" is that class, not 7-10 too; "初一3班" is 7-3): from the
            # whole roster in scope, and a name that matches as typed as well (高一鸣)
            latin = q.isascii()
            pool = [i for i in scoped
                    if in_class(rows[i], klass) or (not latin and rows[i].matches(q))]
            ranks = {} if latin else {i: named if rows[i].is_named(q) else 2 * START
                                      for i in pool if rows[i].folded_name().startswith(q)}
        elif q.isascii():
            m = Matcher.of(q)
            base = self._base(q)
            if base is not None and len(base) <= NARROW_EACH:
                pool = [i for i in base if self._matches(m, i)]
            else:  # (a scan costs about what its matches do: cheaper than many rows one by one)
                pool = self._scan(m)
            return array("I", pool), self._order(m, pool)
        else:
            base = self._base(q)
            mixed = _mixed_query(q)
            source = scoped if base is None else base
            letters = re.compile(sounds_pattern(mixed[1])) if mixed is not None else None
            pool = [i for i in source if rows[i].matches(q)
                    or (mixed is not None and self._mixed(i, mixed[0], letters))]
            ranks = {i: named if rows[i].is_named(q) else 2 * START for i in pool
                     if rows[i].starts(q) or (mixed and rows[i].folded_name().startswith(mixed[0]))}
        inside = 2 * INSIDE
        ordered = sorted(pool, key=lambda i: ranks.get(i, inside)) if ranks else pool
        return array("I", pool), array("I", ordered)

    def _base(self, q: str) -> Sequence[int] | None:
        """The results of the longest cached query ``q`` extends (typing on, or
        back-spacing to a query seen a moment ago): a superset of ``q``'s, in
        roster order (a Latin query is matched in the keys, any other in the
        names: "9" does not narrow "9年", whose match may be in a class name
        only; a class's results are no superset of a longer query's: "7-1", "7-10")."""
        base = max((k for k in self._cache if k and q.startswith(k)
                    and k.isascii() == q.isascii() and class_query(k) is None),
                   key=len, default=None)
        if base is None:
            return None
        self._cache[base] = self._cache.pop(base)  # used: keep it
        return self._cache[base][0]

    def _matches(self, m: Matcher, i: int) -> bool:
        return m.matches(self._hays[i], self._sounds, self._sounds_at[i], self._sounds_at[i + 1])

    def _scan(self, m: Matcher) -> list[int]:
        """The rows in scope that ``m`` matches: every ``hay`` (a substring test
        costs less than finding a row's place in a joined string), one scan of
        all ``sounds``."""
        text = m.text
        found = {i for i, hay in enumerate(self._hays) if text in hay}
        found.update(i for i, _ in _rows_hit(m.sounds, self._sounds, self._sounds_at, once=True))
        if self._in_scope is not None:
            in_scope = self._in_scope
            return sorted(i for i in found if in_scope[i])
        return sorted(found)

    def _order(self, m: Matcher, pool: list[int]) -> Sequence[int]:
        """``pool`` (roster order) ranked (``db.search_match``)."""
        hays, sounds, at = self._hays, self._sounds, self._sounds_at
        if len(pool) <= RANK_EACH:
            each = {i: m.rank(hays[i], sounds, at[i], at[i + 1]) for i in pool}
            return sorted(pool, key=each.__getitem__)
        # many: the few exact ones (a field, then by one scan of all readings per
        # rank, each row keeping its first: the best); then those from the start
        # of a key, found only as far as they are read (a screenful), then the rest
        ranks = {i: 2 * EXACT for i in pool if m.is_field(hays[i])}
        members = set(pool)
        for base, pattern in m.exact:
            for i, hit in _rows_hit(pattern, sounds, at):
                if i in members and i not in ranks:
                    ranks[i] = 2 * base + later(sounds, at[i], at[i + 1], hit)
        best = sorted(ranks, key=lambda i: (ranks[i], i))

        def bucket(i: int) -> int:
            if m.starts_field(hays[i]):
                return 0
            hit = m.start.search(sounds, at[i], at[i + 1])
            return 2 if hit is None else later(sounds, at[i], at[i + 1], hit.start())
        return Ranked(best, [i for i in pool if i not in ranks] if ranks else pool, bucket)

    def _mixed(self, i: int, chinese: str, pattern) -> bool:
        """Whether row i's name holds ``chinese`` and the syllables of the
        characters right after it match ``pattern`` (``sounds_pattern`` of the
        letters typed after it: 张wei finds 张伟)."""
        name = self._rows[i].folded_name()
        at = name.find(chinese)
        if at == -1:
            return False
        _, sounds = self.keys(i)
        for reading in sounds.split(SEP)[1:]:
            syllables = reading.split(MARK)[1:]
            if len(syllables) != len(name):
                continue  # a reading that does not go character by character
            start = at
            while start != -1:
                rest = syllables[start + len(chinese):]
                if rest and pattern.match(MARK + MARK.join(rest)):
                    return True
                start = name.find(chinese, start + 1)
        return False

    def _scoped(self, status: str, staff_id: int | None) -> Sequence[int]:
        """The roster in the search's scope (status, one person's cases), kept as
        the results of the empty query."""
        cached = self._cache.get("")
        if cached is not None:
            return cached[0]
        rows = self._rows
        pool: Sequence[int] = range(len(rows))
        if status != "all" or staff_id is not None:
            pool = array("I", (i for i in pool if status_matches(rows[i], status)
                               and (staff_id is None or staff_id in rows[i].staff_ids)))
            self._in_scope = bytearray(len(rows))
            for i in pool:
                self._in_scope[i] = 1
        self._cache[""] = (pool, pool)
        return pool

    def _evict(self) -> None:
        """Drop the least recently used results until the cache is within bounds."""
        def size(entry):
            pool, ordered = entry
            return (len(pool) if isinstance(pool, array) else 0) + \
                (len(ordered) if ordered is not pool else 0)

        total = sum(size(e) for e in self._cache.values())
        for key in list(self._cache):
            if total <= CACHE_ROWS:
                break
            if key:  # "" is the roster in scope: kept while the scope is
                total -= size(self._cache.pop(key))

    def exact(self, query: str) -> list[RosterRow]:
        """Rows whose number or name equals ``query``, or a reading of the name
        or its initials do."""
        q = normalise_query(query)
        if not q:
            return []
        if not q.isascii():
            return [r for r in self._rows if r.is_named(q)]
        m = Matcher.of(q)
        found = {i for i, hay in enumerate(self._hays) if m.is_field(hay)}
        for _, pattern in m.exact:
            found.update(i for i, _ in _rows_hit(pattern, self._sounds, self._sounds_at))
        return [self._rows[i] for i in sorted(found)]

    def suggest(self, query: str, *, status: str = "all",
                staff_id: int | None = None) -> str | None:
        """For a query of letters that finds nobody: the same with two
        neighbouring letters swapped that finds someone (``zhagnwei``:
        ``zhangwei``), preferring one that names a student exactly."""
        q = normalise_query(query)
        if not LETTERS(q) or len(q) < 3 or self.search(q, status=status, staff_id=staff_id):
            return None
        # a query finds no more than the start of it does: a swap after the
        # longest start that finds someone (cached while it was typed) cannot help
        found_by = next((n for n in range(len(q) - 1, 0, -1)
                         if self.search(q[:n], status=status, staff_id=staff_id)), 0)
        found = [t for t in typos(q[:found_by + 2]) if self.search(
            t + q[found_by + 2:], status=status, staff_id=staff_id)]
        found = [t + q[found_by + 2:] for t in found]
        exact = [t for t in found if self.exact(t)]
        return (exact or found)[0] if found else None
