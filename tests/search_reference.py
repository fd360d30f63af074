"""What roster search should answer, worked out row by row from its rules
(README "Finding a student", ``db.search_match``), written apart from the
index's regular expressions, to check them against.

A Latin query matches a row when it is inside one of its ASCII fields (name,
number, class name, class code), or at syllable boundaries of a reading of
the name: each syllable typed whole or as its initial (one letter, or zh ch
sh), the last one perhaps only begun, starting at any syllable.  Other ASCII
signs match a reading from the start of a syllable.  A query with Chinese
matches the name or class name (spaces, full-width forms and name dots
folded); Chinese then pinyin (张wei) also matches the characters, then the
syllables of the characters after them.  A class ("7-1", "初一3班") means its
students.

Rank: exact field; whole reading; initials; from the start of a field or a
reading; the rest; a match only in a reading after the usual (first) one
comes after one in the usual reading of the same rank; then roster order.
"""

from __future__ import annotations

import re

from db.search import class_query, normalise_query

EXACT, WHOLE, INITIALS, START, INSIDE = range(5)


def at_boundaries(q: str, syllables: list[str], first: int | None = None) -> bool:
    """Whether letters ``q`` match ``syllables`` at their boundaries (from
    syllable ``first`` only, if given)."""
    def go(qi: int, k: int) -> bool:
        if qi == len(q):
            return True
        if k == len(syllables):
            return False
        s = syllables[k]
        for n in range(1, len(s) + 1):
            if q[qi:qi + n] != s[:n]:
                return False
            if qi + n == len(q):
                return True  # the last syllable typed may be only begun
            whole_or_initial = n == len(s) or n == 1 or (n == 2 and s[:2] in ("zh", "ch", "sh"))
            if whole_or_initial and go(qi + n, k + 1):
                return True
        return False
    starts = range(len(syllables)) if first is None else [first]
    return any(go(0, k) for k in starts)


def readings_of(pinyin: str, initials: str) -> list[list[str]]:
    if not pinyin:
        return []
    found = [r.split("'") for r in pinyin.split("|")]
    if "'" not in pinyin and initials:  # keys from before syllables were kept apart
        found += [[i] for i in initials.split("|")]
    return found


def rank(row, pinyin: str, initials: str, q: str) -> int | None:
    """``2 * rank + (1 if only a later reading gave it)``, None: no match."""
    if class_query(q) is not None:
        code, grade = class_query(q)
        in_class = row.class_code.startswith(code) if grade else row.class_code == code
        name = normalise_query(row.name)
        if not q.isascii() and (name == q or name.startswith(q)):
            return 2 * (EXACT if name == q else START)
        if in_class or (not q.isascii() and q in name + "\x01" + normalise_query(row.class_name)):
            return 2 * INSIDE
        return None
    if not q.isascii():
        return _chinese_rank(row, pinyin, initials, q)
    fields = [f.lower() if f.isascii() else "" for f in
              (row.name, row.student_no, row.class_name, row.class_code)]
    readings = readings_of(pinyin, initials)
    letters = re.fullmatch("[a-z]+", q) is not None
    best = None

    def better(value):
        nonlocal best
        best = value if best is None else min(best, value)
    if q in fields:
        better(2 * EXACT)
    for n, syllables in enumerate(readings):
        later = 1 if n else 0
        if letters and "".join(syllables) == q:
            better(2 * WHOLE + later)
        if letters and "".join(s[:1] for s in syllables) == q:
            better(2 * INITIALS + later)
        if letters and at_boundaries(q, syllables, 0):
            better(2 * START + later)
        if not letters and ("'" + "'".join(syllables)).startswith("'" + q):
            better(2 * START + later)
    if any(f.startswith(q) for f in fields):
        better(2 * START)
    if best is not None:
        return best
    if any(q in f for f in fields):
        return 2 * INSIDE
    for syllables in readings:
        if letters and at_boundaries(q, syllables):
            return 2 * INSIDE
        if not letters and "'" + q in "'" + "'".join(syllables):
            return 2 * INSIDE
    return None


def _chinese_rank(row, pinyin: str, initials: str, q: str) -> int | None:
    name, klass = normalise_query(row.name), normalise_query(row.class_name)
    if name == q:
        return 2 * EXACT
    m = re.fullmatch("([^\x00-\x7f]+)([a-z]+)", q)
    mixed = False
    if m is not None:
        chinese, letters = m.groups()
        for syllables in readings_of(pinyin, initials):
            if len(syllables) != len(name):
                continue
            for at in (i for i in range(len(name)) if name.startswith(chinese, i)):
                rest = syllables[at + len(chinese):]
                if rest and at_boundaries(letters, rest, 0):
                    mixed = True
    if name.startswith(q) or klass.startswith(q) or (mixed and name.startswith(m.group(1))):
        return 2 * START
    if q in name or q in klass or mixed:
        return 2 * INSIDE
    return None


def expected(rows_in_roster_order, keys: dict, query: str) -> list:
    """The rows ``query`` finds, best first; ``keys``: student id → (pinyin, initials)."""
    q = normalise_query(query)
    if not q:
        return list(rows_in_roster_order)
    ranked = []
    for position, row in enumerate(rows_in_roster_order):
        r = rank(row, *keys[row.student_id], q)
        if r is not None:
            ranked.append((r, position, row))
    return [row for _, _, row in sorted(ranked, key=lambda t: t[:2])]
