"""Search keys for Chinese names: full pinyin and initials.

Computed when a student or staff member is saved and stored in the row, so
the app never imports the pinyin dictionary at start-up.  Only the surname
gets more than one reading, and only for the polyphonic surnames whose
surname reading differs from the everyday one (曾 zeng/ceng, 单 shan/dan …):
turning on every character's heteronyms would make common searches match
strangers.
"""

from __future__ import annotations

# surname reading first, then the common reading of the character
POLYPHONIC_SURNAMES = {
    "曾": ("zeng", "ceng"),
    "单": ("shan", "dan"),
    "解": ("xie", "jie"),
    "仇": ("qiu", "chou"),
    "区": ("ou", "qu"),
    "查": ("zha", "cha"),
    "朴": ("piao", "pu"),
    "盖": ("ge", "gai"),
    "乐": ("yue", "le"),
    "缪": ("miao", "mou"),
    "覃": ("qin", "tan"),
    "翟": ("zhai", "di"),
    "尉": ("yu", "wei"),
    "黑": ("he", "hei"),
    "秘": ("bi", "mi"),
    "繁": ("po", "fan"),
    "种": ("chong", "zhong"),
    "员": ("yun", "yuan"),
}
# surnames whose everyday dictionary reading is wrong and that have no
# common second reading worth matching
SURNAME_ONLY = {"万俟": (("mo", "qi"),), "尉迟": (("yu", "chi"),)}

SEP = "|"


def _lazy(text: str) -> list[str]:
    from pypinyin import lazy_pinyin  # heavy: imported only when saving names

    # pypinyin's hints say the callback returns a str; a list is documented too
    syllables = lazy_pinyin(text, errors=lambda chars: list(chars))  # type: ignore[arg-type, return-value]
    return [s.lower() for s in syllables]


def readings(name: str) -> list[list[str]]:
    """Each reading of ``name`` as a list of syllables, surname reading first."""
    name = "".join(name.split())
    if not name:
        return []
    for compound, options in SURNAME_ONLY.items():
        if name.startswith(compound):
            rest = _lazy(name[len(compound):])
            return [list(o) + rest for o in options]
    rest = _lazy(name[1:]) if len(name) > 1 else []
    first = name[0]
    if first in POLYPHONIC_SURNAMES:
        return [[r] + rest for r in POLYPHONIC_SURNAMES[first]]
    return [_lazy(first) + rest]


def name_keys(name: str) -> tuple[str, str]:
    """``(pinyin, initials)`` for storing: readings joined with ``|``."""
    full, initials = [], []
    for syllables in readings(name):
        f = "".join(syllables)
        i = "".join(s[:1] for s in syllables)
        if f not in full:
            full.append(f)
        if i not in initials:
            initials.append(i)
    return SEP.join(full), SEP.join(initials)
