"""Search keys for Chinese names: full pinyin and initials.

Computed when a student or staff member is saved and stored in the row, so
the app never imports the pinyin dictionary at start-up.  A name gets more
than one reading only from the tables below: a surname read otherwise as a
surname (曾 zeng/ceng, 单 shan/dan …, and the compound surnames), the few
characters of given names read two ways (长 chang/zhang …), and ü typed as v,
u or yu.  Turning on every character's heteronyms would make common searches
match strangers.
"""

from __future__ import annotations

# Single-character surnames read differently as a surname: the surname reading
# first, then the everyday reading(s) a teacher may type instead.
SURNAMES = {
    "曾": ("zeng", "ceng"), "单": ("shan", "dan"), "解": ("xie", "jie"), "仇": ("qiu", "chou"),
    "区": ("ou", "qu"), "查": ("zha", "cha"), "朴": ("piao", "pu"), "盖": ("ge", "gai"),
    "乐": ("yue", "le"), "缪": ("miao", "mou"), "覃": ("qin", "tan"), "翟": ("zhai", "di"),
    "尉": ("yu", "wei"), "黑": ("he", "hei"), "秘": ("bi", "mi"), "繁": ("po", "fan"),
    "种": ("chong", "zhong"), "员": ("yun", "yuan"), "卜": ("bu", "bo"), "薄": ("bo", "bao"),
    "都": ("du", "dou"), "召": ("shao", "zhao"), "谌": ("shen", "chen"), "隗": ("wei", "kui"),
    "宓": ("mi", "fu"), "折": ("she", "zhe"), "祭": ("zhai", "ji"), "能": ("nai", "neng"),
    "句": ("gou", "ju"), "柏": ("bai", "bo"), "重": ("chong", "zhong"), "佴": ("nai", "er"),
    "粘": ("nian", "zhan"), "藏": ("zang", "cang"), "扎": ("za", "zha"), "六": ("lu", "liu"),
    "贾": ("jia", "gu"), "盛": ("sheng", "cheng"), "牟": ("mou", "mu"), "宿": ("su", "xiu"),
    "殷": ("yin", "yan"), "乜": ("nie", "mie"), "车": ("che", "ju"), "於": ("yu", "wu"),
    "贠": ("yun", "yuan"), "郇": ("huan", "xun"), "叶": ("ye", "xie"), "长": ("chang", "zhang"),
}
# Compound surnames (复姓), as they are read: the dictionary reads several of them
# wrongly character by character (长孙 chang-, 澹台 dan-, 单于 shan-/dan-).
COMPOUND_SURNAMES = {
    "欧阳": "ou yang", "司马": "si ma", "上官": "shang guan", "诸葛": "zhu ge",
    "东方": "dong fang", "皇甫": "huang fu", "夏侯": "xia hou", "令狐": "ling hu",
    "慕容": "mu rong", "宇文": "yu wen", "长孙": "zhang sun", "尉迟": "yu chi",
    "万俟": "mo qi", "澹台": "tan tai", "单于": "chan yu", "公孙": "gong sun",
    "轩辕": "xuan yuan", "司徒": "si tu", "司空": "si kong", "端木": "duan mu",
    "南宫": "nan gong", "西门": "xi men", "独孤": "du gu", "呼延": "hu yan",
    "申屠": "shen tu", "淳于": "chun yu", "钟离": "zhong li", "闻人": "wen ren",
    "赫连": "he lian", "濮阳": "pu yang", "太史": "tai shi", "公冶": "gong ye",
    "宗政": "zong zheng", "仲孙": "zhong sun", "鲜于": "xian yu", "闾丘": "lv qiu",
    "拓跋": "tuo ba", "百里": "bai li", "东郭": "dong guo", "第五": "di wu",
    "左丘": "zuo qiu", "乐正": "yue zheng", "漆雕": "qi diao", "公西": "gong xi",
    "巫马": "wu ma", "子车": "zi ju", "颛孙": "zhuan sun", "壤驷": "rang si",
    "公良": "gong liang", "谷梁": "gu liang", "段干": "duan gan", "亓官": "qi guan",
    "司寇": "si kou", "仉督": "zhang du", "夹谷": "jia gu", "宰父": "zai fu",
    "微生": "wei sheng", "羊舌": "yang she", "公羊": "gong yang", "太叔": "tai shu",
}
# Characters of given names that are read two ways in names: the usual reading
# first.  Only these: turning on every heteronym of every character makes common
# searches match strangers.
GIVEN_NAME_READINGS = {
    "长": ("chang", "zhang"), "朝": ("zhao", "chao"), "乐": ("le", "yue"),
    "重": ("chong", "zhong"), "省": ("xing", "sheng"), "都": ("du", "dou"),
    "还": ("huan", "hai"), "朴": ("pu", "piao"),
}
# Characters outside the basic plane that the dictionary does not know, as read in names.
RARE_CHARACTERS = {"𠮷": "ji"}
# ü as typed: the dictionary's v, then u and yu (lü: lv, lu, lyu)
U_UMLAUT = ("v", "u", "yu")
MAX_READINGS = 12  # per name: every combination of the alternatives above, the usual first

SEP = "|"  # between readings
SYLLABLE = "'"  # between a reading's syllables (zhang'wei): search matches at them


def _lazy(text: str) -> list[str]:
    from pypinyin import lazy_pinyin  # heavy: imported only when saving names

    # pypinyin's hints say the callback returns a str; a list is documented too
    syllables = lazy_pinyin(text, errors=lambda chars: list(chars))  # type: ignore[arg-type, return-value]
    return [s.lower() for s in syllables]


def _syllable_options(syllable: str, usual: tuple[str, ...] = (),
                      latin: bool = False) -> tuple[str, ...]:
    """The ways one syllable may be typed: ``usual`` (a table's readings) and the
    dictionary's, each with ü as v, u and yu (not in ``latin`` letters as the
    name holds them: "Van"); a character the dictionary does not know is read
    from ``RARE_CHARACTERS`` or left out (a dot between names, ·)."""
    syllable = RARE_CHARACTERS.get(syllable, syllable)
    found: list[str] = []
    for reading in (*usual, syllable):
        # the separators of the stored keys are no part of a syllable
        reading = reading.replace(SEP, "").replace(SYLLABLE, "")
        if not (reading.isascii() and reading.isprintable() and reading.strip()):
            continue  # (ASCII signs stay, as typed: "[bold]" finds "[bold]王[/")
        pinyin = not latin and reading.isalpha() and "v" in reading
        forms = [reading.replace("v", u) for u in U_UMLAUT] if pinyin else [reading]
        found += [f for f in forms if f not in found]
    return tuple(found)


def _units(chars: str, syllables: list[str]) -> list[tuple[str, str]]:
    """Each character with its syllable, a run of ASCII characters as one
    (as typed: "[bold]", "Anna")."""
    units: list[tuple[str, str]] = []
    for char, syllable in zip(chars, syllables):
        if char.isascii() and units and units[-1][0].isascii():
            units[-1] = (units[-1][0] + char, units[-1][1] + syllable)
        else:
            units.append((char, syllable))
    return units


def readings(name: str) -> list[list[str]]:
    """Each reading of ``name`` as a list of syllables, the usual one first: a
    surname's own reading (``SURNAMES``, ``COMPOUND_SURNAMES``), then the
    everyday one; the given name's two-way characters (``GIVEN_NAME_READINGS``)
    both ways; ü as v, u and yu.  At most ``MAX_READINGS``."""
    from itertools import islice, product

    name = "".join(name.split())
    if not name:
        return []
    # each way to split off the surname: its syllables' options
    heads: list[list[tuple[str, ...]]] = [
        [_syllable_options(s, (s,)) for s in reading.split()]
        for compound, reading in COMPOUND_SURNAMES.items()
        if name.startswith(compound) and len(name) > len(compound)]
    if name[0].isascii():  # a name in Latin letters: no surname to read
        heads.append([])
    else:
        heads.append([_syllable_options(_lazy(name[0])[0], SURNAMES.get(name[0], ()))])
    found: list[list[str]] = []
    for head in heads:
        given = name[len(head):]
        rest = [_syllable_options(s, GIVEN_NAME_READINGS.get(c, ()), c.isascii())
                for c, s in _units(given, _lazy(given))] if given else []
        options = [o for o in head + rest if o]  # a dot or a sign: no syllable
        for combo in islice(product(*options), MAX_READINGS):
            if list(combo) not in found:
                found.append(list(combo))
    return found[:MAX_READINGS]


def name_keys(name: str) -> tuple[str, str]:
    """``(pinyin, initials)`` for storing: readings joined with ``|``, a
    reading's syllables with ``'`` (``zhang'wei|chang'wei``, ``zw|cw``)."""
    full, initials = [], []
    for syllables in readings(name):
        f = SYLLABLE.join(syllables)
        i = "".join(s[:1] for s in syllables)
        if f not in full:
            full.append(f)
        if i not in initials:
            initials.append(i)
    return SEP.join(full), SEP.join(initials)


def refresh_name_keys(db, table: str) -> int:
    """Compute every stored key of ``table`` (``student`` or ``staff``) again
    from its name, inside the caller's transaction; return how many changed.
    For a file whose keys were made by an older bangfu (the migration that
    brought syllables in, and rows a recover put back from older journal lines)."""
    param = db.param
    rows = db.execute_sql(f'SELECT id, name, pinyin, initials FROM "{table}"').fetchall()
    changed = []
    for row_id, name, pinyin, initials in rows:
        keys = name_keys(name or "")
        if keys != (pinyin, initials):
            changed.append((*keys, row_id))
    cursor = db.cursor()
    for start in range(0, len(changed), 1000):
        cursor.executemany(f'UPDATE "{table}" SET pinyin = {param}, initials = {param} '
                           f'WHERE id = {param}', changed[start:start + 1000])
    return len(changed)
