"""How a Latin-letter or digit query matches a student's search keys, and how well.

Each student has two keys (``db.search.RosterRow``), both SEP-led fields:

- ``hay``: the name, student number, class name and class code, each lower
  case and only when it is ASCII.  A query is looked for anywhere in them
  (the index keeps one string per row: ``in`` is the fastest test there is).
- ``sounds``: each reading of the name (``db.pinyin``), every syllable led by
  ``'``: ``\\x02\\x01'zhang'wei\\x01'chang'wei``.

Each key starts with ROW, each field with SEP.  A query of letters matches at
syllable boundaries only: each syllable typed whole or as its initial (zh, ch,
sh or one letter), the last one typed perhaps only begun, starting at any
syllable.  ``zhangwei``, ``zw``, ``zhw``, ``zhangw`` and ``wei`` find 张伟;
``hubing`` finds 胡兵 and not 朱兵云 (zhu'bing'yun), ``gj`` not 王杰 (wang'jie).
Other ASCII signs (``xi'an``, ``[bold]``) match a reading from a syllable's start.

Rank (lower first): the number or an ASCII name exactly; a whole reading
exactly; the initials exactly; from the start of a field or a reading; the
rest.  A match in the name's usual reading (its first) comes before one in
another reading of the same rank (长风 changfeng before zhangfeng).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ROW = "\x02"  # leads each row's keys (where one row's end and the next begin)
SEP = "\x01"  # leads each field
MARK = "'"  # leads each syllable in ``sounds``
# between two letters typed: the syllable ends there ('), or the rest of it is
# skipped when only its initial was typed
_SKIP = "(?:'|(?:(?<='[a-z])|(?<='[zcs]h))[^'\x01\x02]*')"
_END = "(?=[\x01\x02]|\\Z)"
LETTERS = re.compile("[a-z]+").fullmatch

EXACT, WHOLE, INITIALS, START, INSIDE = 0, 1, 2, 3, 4
# a row's rank is 2 * one of these, + 1 when only a reading other than the usual one gave it


def sounds_pattern(q: str) -> str:
    """Letters ``q`` at syllable boundaries: ``'c1 S? c2 S? … cn``."""
    return MARK + (_SKIP + "?").join(q)


@dataclass(frozen=True)
class Matcher:
    """How one normalised ASCII query is looked for (see the module's text)."""

    text: str  # anywhere in ``hay`` (a plain substring)
    sounds: re.Pattern  # at syllable boundaries of ``sounds``
    # (rank, pattern) over ``sounds`` that come before a field's start: whole
    # reading, initials
    exact: tuple[tuple[int, re.Pattern], ...]
    start: re.Pattern  # from the start of a reading

    @classmethod
    def of(cls, q: str) -> Matcher:
        # other signs, as a name may hold them ("[bold]王"): from a syllable's start
        sounds = re.compile(MARK + re.escape(q))
        exact: tuple[tuple[int, re.Pattern], ...] = ()
        if LETTERS(q):
            sounds = re.compile(sounds_pattern(q))
            exact = ((WHOLE, re.compile(SEP + MARK + "'?".join(q) + _END)),
                     (INITIALS, re.compile(SEP + "".join(f"'{c}[^'\x01\x02]*" for c in q) + _END)))
        return cls(q, sounds, exact, re.compile(SEP + sounds.pattern))

    def matches(self, hay: str, sounds: str, s0: int, s1: int) -> bool:
        return self.text in hay or self.sounds.search(sounds, s0, s1) is not None

    def is_field(self, hay: str) -> bool:
        """Whether a field of ``hay`` is the query (the number, an ASCII name)."""
        return SEP + self.text + SEP in hay + SEP

    def starts_field(self, hay: str) -> bool:
        return SEP + self.text in hay

    def rank(self, hay: str, sounds: str, s0: int, s1: int) -> int:
        """The rank of a matching row whose keys are ``hay`` and ``sounds[s0:s1]``."""
        if self.is_field(hay):
            return 2 * EXACT
        for base, pattern in self.exact:
            found = pattern.search(sounds, s0, s1)
            if found is not None:
                return 2 * base + later(sounds, s0, s1, found.start())
        if self.starts_field(hay):
            return 2 * START
        found = self.start.search(sounds, s0, s1)
        if found is not None:
            return 2 * START + later(sounds, s0, s1, found.start())
        return 2 * INSIDE


def later(sounds: str, s0: int, s1: int, at: int) -> int:
    """1 when position ``at`` is past the row's first reading, else 0."""
    second = sounds.find(SEP, s0 + 2, s1)  # (ROW, SEP, the first reading, SEP …)
    return 1 if second != -1 and at >= second else 0


def typos(q: str) -> list[str]:
    """What ``q`` may have meant with two neighbouring letters swapped."""
    found = []
    for i in range(len(q) - 1):
        if q[i] != q[i + 1]:
            swapped = q[:i] + q[i + 1] + q[i] + q[i + 2:]
            if swapped not in found:
                found.append(swapped)
    return found
