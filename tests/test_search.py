"""Search-as-you-type over the in-memory roster (db.search) and name keys (db.pinyin)."""

from __future__ import annotations

import pytest

from db.pinyin import name_keys
from db.roster import StudentLookupError, load_index, load_rows, resolve_student
from db.search import RosterRow
from db.search_index import RosterIndex


@pytest.fixture
def index(school):
    return load_index()


def names(rows) -> list[str]:
    return [r.name for r in rows]


def flat(keys: tuple[str, str]) -> tuple[str, str]:
    """Stored keys without the marks between syllables (zhang'wei: zhangwei)."""
    return keys[0].replace("'", ""), keys[1]


# --- name keys ----------------------------------------------------------------

@pytest.mark.parametrize("name, keys", [
    ("张伟", ("zhangwei", "zw")),
    ("赵薇", ("zhaowei", "zw")),
    ("周文", ("zhouwen", "zw")),
    ("张 伟", ("zhangwei", "zw")),
    ("欧阳娜娜", ("ouyangnana", "oynn")),
    ("曾小明", ("zengxiaoming|cengxiaoming", "zxm|cxm")),
    ("单田芳", ("shantianfang|dantianfang", "stf|dtf")),
    ("解放", ("xiefang|jiefang", "xf|jf")),
    ("仇英", ("qiuying|chouying", "qy|cy")),
    ("区洁", ("oujie|qujie", "oj|qj")),
    ("查良", ("zhaliang|chaliang", "zl|cl")),
    ("朴树", ("piaoshu|pushu", "ps")),
    ("盖伦", ("gelun|gailun", "gl")),
    ("", ("", "")),
])
def test_name_keys(name, keys):
    assert flat(name_keys(name)) == keys


@pytest.mark.parametrize("name, full", [
    ("张伟", "zhang'wei"), ("欧阳娜娜", "ou'yang'na'na"),
    ("长孙无忌", "zhang'sun'wu'ji|chang'sun'wu'ji"), ("阿依古丽·买买提", "a'yi'gu'li'mai'mai'ti"),
    ("李'|x", "li'x"),  # the marks themselves are no part of a syllable
])
def test_stored_readings_keep_their_syllables_apart(name, full):
    assert name_keys(name)[0] == full


@pytest.mark.parametrize("name", ["张伟", "王行", "李曾", "王单", "周文", "李明"])
def test_a_given_name_gets_a_second_reading_only_from_the_table(name):
    full, initials = flat(name_keys(name))
    assert "|" not in full and "|" not in initials


def test_polyphonic_character_outside_the_surname_gets_its_everyday_reading_only():
    assert flat(name_keys("李曾"))[0] in ("liceng", "lizeng")
    assert flat(name_keys("王单"))[0] == "wangdan"


@pytest.mark.parametrize("name, full, initials", [
    ("刘长乐", "liuchangle|liuchangyue|liuzhangle|liuzhangyue", "lcl|lcy|lzl|lzy"),
    ("张朝阳", "zhangzhaoyang|zhangchaoyang", "zzy|zcy"),
    ("李长风", "lichangfeng|lizhangfeng", "lcf|lzf"),
    ("周重", "zhouchong|zhouzhong", "zc|zz"),
    ("王省", "wangxing|wangsheng", "wx|ws"),
    ("金都", "jindu|jindou", "jd"),
    ("陈还", "chenhuan|chenhai", "ch"),
    ("赵朴", "zhaopu|zhaopiao", "zp"),
])
def test_given_names_read_two_ways_have_both_the_usual_first(name, full, initials):
    assert flat(name_keys(name)) == (full, initials)


@pytest.mark.parametrize("name, full, initials", [
    # the compound surname's reading first, then its characters' own
    ("尉迟恭", "yuchigong|weichigong", "ycg|wcg"),
    ("万俟卨", "moqixie|wanqixie", "mqx|wqx"),
    ("长孙无忌", "zhangsunwuji|changsunwuji", "zswj|cswj"),
    ("澹台明", "tantaiming|dantaiming", "ttm|dtm"),
    ("单于丽", "chanyuli|shanyuli|danyuli", "cyl|syl|dyl"),
    ("欧阳娜娜", "ouyangnana", "oynn"),
    ("司马光", "simaguang", "smg"),
    ("上官婉儿", "shangguanwaner", "sgwe"),
    ("诸葛亮", "zhugeliang", "zgl"),
])
def test_compound_surnames_have_an_initial_per_syllable(name, full, initials):
    assert flat(name_keys(name)) == (full, initials)


@pytest.mark.parametrize("name, full, initials", [
    ("卜凡", "bufan|bofan", "bf"),
    ("薄熙", "boxi|baoxi", "bx"),
    ("都强", "duqiang|douqiang", "dq"),
    ("召军", "shaojun|zhaojun", "sj|zj"),
    ("谌龙", "shenlong|chenlong", "sl|cl"),
    ("隗嚣", "weixiao|kuixiao", "wx|kx"),
    ("宓妃", "mifei|fufei", "mf|ff"),
    ("折兰", "shelan|zhelan", "sl|zl"),
    ("祭遵", "zhaizun|jizun", "zz|jz"),
    ("能静", "naijing|nengjing", "nj"),
    ("句龙", "goulong|julong", "gl|jl"),
    ("柏杨", "baiyang|boyang", "by"),
])
def test_surnames_read_otherwise_as_a_surname(name, full, initials):
    assert flat(name_keys(name)) == (full, initials)


@pytest.mark.parametrize("name, full, initials", [
    ("吕伟", "lvwei|luwei|lyuwei", "lw"),  # ü typed as v, u or yu
    ("闾丘明", "lvqiuming|luqiuming|lyuqiuming", "lqm"),
    ("许女", "xunv|xunu|xunyu", "xn"),
    ("阿依古丽·买买提", "ayigulimaimaiti", "ayglmmt"),  # the dot between names is no syllable
    ("陈𠮷", "chenji", "cj"),  # outside the basic plane, unknown to the dictionary
    ("[bold]王[/", "[bold]wang[/", "[w["),  # ASCII signs stay as typed, a run one syllable
])
def test_what_a_name_holds_besides_chinese_characters(name, full, initials):
    assert flat(name_keys(name)) == (full, initials)


# --- matching -------------------------------------------------------------------

def test_all_rows_loaded(index):
    assert len(index) == 7
    assert len(index.search("")) == 7


@pytest.mark.parametrize("query, expected", [
    ("张伟", ["张伟"]),
    ("张", ["张伟"]),
    ("zhangwei", ["张伟"]),
    ("zhang wei", ["张伟"]),
    ("ZhangWei", ["张伟"]),
    ("zw", ["张伟", "赵薇", "周文"]),
    ("zhaowei", ["赵薇"]),
    ("曾", ["曾小明"]),
    ("zeng", ["曾小明"]),
    ("ceng", ["曾小明"]),
    ("cengxiaoming", ["曾小明"]),
    ("zxm", ["曾小明"]),
    ("cxm", ["曾小明"]),
    ("单", ["单田芳"]),
    ("shan", ["单田芳"]),
    ("dan", ["单田芳"]),
    ("dtf", ["单田芳"]),
    ("stf", ["单田芳"]),
    ("oy", ["欧阳娜娜"]),
    ("ouyang", ["欧阳娜娜"]),
    ("[bold]", ["[bold]王[/"]),
    ("20240101", ["张伟"]),
    ("20240105", ["周文"]),
])
def test_search(index, query, expected):
    assert names(index.search(query)) == expected


@pytest.mark.parametrize("query", ["changwei", "zhangwéi", "zhangwie", "cw", "xyz", "zengwei",
                                   "tanxiaoming", "shanxiaoming", "zengtianfang"])
def test_no_made_up_readings(index, query):
    assert index.search(query) == []


def test_class_name_and_code(index):
    seven = ["张伟", "赵薇", "曾小明"]
    assert names(index.search("7-1")) == seven
    assert names(index.search("七年级(1)班")) == seven
    assert names(index.search("七年级")) == seven
    assert names(index.search("8-2")) == ["[bold]王[/", "单田芳", "周文", "欧阳娜娜"]


def test_open_cases_come_first(index):
    rows = index.search("")
    assert names(rows)[:4] == ["张伟", "赵薇", "曾小明", "[bold]王[/"]
    assert {r.status for r in rows[4:]} == {""}


def test_row_fields(index, school):
    row = index.search("20240101")[0]
    assert row.class_name == "七年级(1)班" and row.class_code == "7-1"
    assert row.status == "active" and row.lead == "王芳"
    assert row.case_id == school.cases["张伟"].id
    assert row.staff_ids == frozenset({school.teacher.id})
    assert row.last_date.isoformat() == "2026-11-02" and row.last_channel == "wechat"
    none = index.search("20240104")[0]
    assert (none.case_id, none.status, none.lead, none.last_date) == (None, "", "", None)


@pytest.mark.parametrize("status, expected", [
    ("all", ["张伟", "赵薇", "曾小明", "[bold]王[/", "单田芳", "周文", "欧阳娜娜"]),
    ("open", ["张伟", "赵薇", "曾小明", "[bold]王[/"]),
    ("identified", ["赵薇"]),
    ("active", ["张伟", "[bold]王[/"]),
    ("improving", ["曾小明"]),
    ("transformed", []),
    ("closed", []),
    ("none", ["单田芳", "周文", "欧阳娜娜"]),
])
def test_status_filter(index, status, expected):
    assert names(index.search("", status=status)) == expected


def test_status_filter_with_query(index):
    assert names(index.search("zw", status="open")) == ["张伟", "赵薇"]
    assert names(index.search("zw", status="none")) == ["周文"]


def test_my_cases(index, school):
    assert names(index.search("", staff_id=school.teacher.id)) == ["张伟", "曾小明"]
    assert names(index.search("", staff_id=school.other.id)) == ["赵薇", "[bold]王[/"]
    assert names(index.search("zw", staff_id=school.teacher.id)) == ["张伟"]
    assert names(index.search("zw", staff_id=school.other.id)) == ["赵薇"]
    assert names(index.search("", staff_id=school.teacher.id, status="improving")) == ["曾小明"]
    assert index.search("", staff_id=99999) == []


def test_limit(index):
    assert names(index.search("zw", limit=2)) == ["张伟", "赵薇"]
    assert names(index.search("zw")) == ["张伟", "赵薇", "周文"]  # the limit left the cache whole


# --- ranking ------------------------------------------------------------------------

def hand_rows() -> list[RosterRow]:
    def row(sid, no, name, status="", code="7-1"):
        r = RosterRow(student_id=sid, student_no=no, name=name, class_name="七年级(1)班",
                      class_code=code, status=status)
        r.build_hay(*name_keys(name))
        return r
    return [
        row(1, "1001", "王小张", status="active"),
        row(2, "1002", "李张三", status="active"),
        row(3, "1003", "张三"),
        row(4, "1004", "张小", status=""),
    ]


def test_prefix_matches_come_before_substring_matches():
    index = RosterIndex(hand_rows())
    # roster order is 王小张, 李张三 (open cases) then 张三, 张小
    assert names(index.search("")) == ["王小张", "李张三", "张三", "张小"]
    assert names(index.search("zhang")) == ["张三", "张小", "王小张", "李张三"]
    assert names(index.search("张")) == ["张三", "张小", "王小张", "李张三"]
    assert names(index.search("zs")) == ["张三", "李张三"]
    assert names(index.search("zhangsan")) == ["张三", "李张三"]


def test_prefix_of_any_field_counts():
    index = RosterIndex(hand_rows())
    assert names(index.search("xiao")) == ["王小张", "张小"]  # both inside only: roster order
    assert names(index.search("100")) == ["王小张", "李张三", "张三", "张小"]
    assert names(index.search("7-")) == ["王小张", "李张三", "张三", "张小"]


# --- incremental narrowing -------------------------------------------------------

def fresh(rows_factory, query, **kw):
    return [r.student_id for r in RosterIndex(rows_factory()).search(query, **kw)]


SEQUENCES = [
    ["z", "zh", "zha", "zhan", "zhang", "zhangw", "zhangwe", "zhangwei"],
    ["z", "zh", "zha", "zh", "zho", "zhou", "zho", "zh", "z", ""],
    ["c", "ce", "cen", "ceng", "cen", "ce", "c", "", "d", "da", "dan"],
    ["2", "20", "202", "2024", "20240", "202401", "2024010", "20240101", "2024010", "2024"],
    ["7", "7-", "7-1", "7-", "7", "", "8", "8-", "8-2"],
    ["z", "zw", "z", "zx", "zxm", "zx", "z", ""],
    ["张", "张伟", "张", "", "曾", "曾小"],
]


@pytest.mark.parametrize("sequence", SEQUENCES)
def test_typing_gives_the_same_result_as_a_fresh_search(school, sequence):
    index = load_index()
    for query in sequence:
        got = [r.student_id for r in index.search(query)]
        assert got == fresh(load_rows, query), query


@pytest.mark.parametrize("sequence", SEQUENCES[:3])
def test_typing_with_filters_gives_the_same_result(school, sequence):
    index = load_index()
    for scope in ({"status": "open"}, {"staff_id": school.teacher.id}, {"status": "none"}):
        for query in sequence:
            got = [r.student_id for r in index.search(query, **scope)]
            assert got == fresh(load_rows, query, **scope), (query, scope)


def test_changing_the_filter_while_typing(school, index):
    assert names(index.search("z", status="open")) == ["张伟", "赵薇", "曾小明"]
    assert names(index.search("zw", status="all")) == ["张伟", "赵薇", "周文"]
    assert names(index.search("zw", staff_id=school.other.id)) == ["赵薇"]
    assert names(index.search("zwx", staff_id=school.other.id)) == []
    assert names(index.search("zw")) == ["张伟", "赵薇", "周文"]


def test_hand_rows_typing_matches_fresh():
    index = RosterIndex(hand_rows())
    for query in ["z", "zh", "zha", "zhan", "zhang", "zhangs", "zhang", "zhangx", "zhang",
                  "zha", "x", "xi", "xiao", ""]:
        got = [r.student_id for r in index.search(query)]
        assert got == fresh(hand_rows, query), query


def test_upsert_refreshes_results(school, index):
    assert names(index.search("zh")) == ["张伟", "赵薇", "周文"]
    changed = index.get(school.students["周文"].id)
    renamed = RosterRow(student_id=changed.student_id, student_no=changed.student_no,
                        name="钱文", class_name=changed.class_name,
                        class_code=changed.class_code)
    renamed.build_hay(*name_keys("钱文"))
    index.upsert(renamed)
    assert names(index.search("zho")) == []
    assert names(index.search("qw")) == ["钱文"]
    assert len(index) == 7


# --- resolve_student ----------------------------------------------------------------

def test_resolve_by_number(index):
    assert resolve_student(index, "20240101").name == "张伟"
    assert resolve_student(index, " 20240107 ").name == "欧阳娜娜"


@pytest.mark.parametrize("query, name", [
    ("张伟", "张伟"), ("zhangwei", "张伟"), ("zhang", "张伟"), ("曾小明", "曾小明"),
    ("ceng", "曾小明"), ("dan", "单田芳"), ("oynn", "欧阳娜娜"), ("[bold]王[/", "[bold]王[/"),
])
def test_resolve_unique_query(index, query, name):
    assert resolve_student(index, query).name == name


@pytest.mark.parametrize("query", ["zw", "7-1", "2024010", "z"])
def test_resolve_ambiguous(index, query):
    with pytest.raises(StudentLookupError) as info:
        resolve_student(index, query)
    assert info.value.code == "many"
    assert len(info.value.candidates) >= 2


def test_resolve_ambiguous_lists_candidates(index):
    with pytest.raises(StudentLookupError) as info:
        resolve_student(index, "zw")
    assert names(info.value.candidates) == ["张伟", "赵薇", "周文"]


@pytest.mark.parametrize("query", ["nobody", "", "   ", "99999999"])
def test_resolve_none(index, query):
    with pytest.raises(StudentLookupError) as info:
        resolve_student(index, query)
    assert info.value.code == "none"
    assert info.value.candidates == []


def test_resolve_exact_name_beats_longer_names():
    rows = hand_rows()
    index = RosterIndex(rows)
    # "张三" is also inside "李张三", but it is exactly one student's name
    assert resolve_student(index, "张三").student_id == 3
    assert resolve_student(index, "zhangsan").student_id == 3
    assert resolve_student(index, "1003").student_id == 3


def test_search_key_built_by_sqlite_equals_the_python_one(school):
    from db.models import SchoolClass, Student
    from db.roster import load_rows
    from db.search import RosterRow
    from db.students import create_student

    create_student(None, student_no="X9", name="Tom LI", class_id=None)
    loaded = {r.student_id: (r.hay, r.sounds) for r in load_rows()}
    for s in Student.select():
        klass = SchoolClass.get_or_none(SchoolClass.id == s.school_class_id)
        row = RosterRow(s.id, s.student_no, s.name, klass.name if klass else "",
                        klass.code if klass else "")
        row.build_hay(s.pinyin, s.initials)
        assert loaded[s.id] == (row.hay, row.sounds), s.name


def test_keys_stored_before_syllables_were_kept_apart_still_find_by_initials(school):
    """A file written by an older bangfu that has not migrated yet (a reader
    without write access): whole readings and initials still find the student."""
    from db.models import Student
    from db.roster import load_rows

    Student.update(pinyin="zhangwei", initials="zw").where(Student.name == "张伟").execute()
    index = RosterIndex(load_rows())
    assert "张伟" in names(index.search("zw"))
    assert "张伟" in names(index.search("zhangwei"))
    assert "张伟" in names(index.search("zhang"))


def test_the_result_cache_stays_bounded_and_correct(school, monkeypatch):
    import db.search_index
    from db.roster import load_index
    from db.search_index import RosterIndex

    monkeypatch.setattr(db.search_index, "CACHE_ROWS", 10)

    index = load_index()
    queries = ["z", "zh", "zw", "w", "wa", "wang", "l", "li", "2024", "7-1", "8", "zeng",
               "ceng", "shan", "dan", "ou", "ouyang", "zhou", "zhao", "x", "y", "曾", "张"]
    for q in queries + queries[::-1]:
        fresh = RosterIndex(load_rows()).search(q)
        assert [r.student_id for r in index.search(q)] == [r.student_id for r in fresh], q
        kept = sum(len(p) + (len(o) if o is not p else 0)
                   for k, (p, o) in index._cache.items() if k)
        assert kept <= 10 or len(index._cache) <= 2  # the newest result always stays


@pytest.mark.parametrize("query", ["zw", "z", "zeng", "ceng", "20240101", "2024", "7-1", "8-2",
                                   "张", "曾", "七年级", "[bold]", "ouyang", "oy", "x_", "%", "ｚｗ",
                                   "nobody"])
def test_the_command_lines_narrowed_roster_finds_the_same_students(school, query):
    from db.roster import load_index

    full = [r.student_id for r in load_index().search(query)]
    narrowed = [r.student_id for r in load_index(query).search(query)]
    assert narrowed == full


def test_ranked_results_read_like_a_list():
    from db.search_index import Ranked

    pool = list(range(10))
    starts = [i for i in pool if i % 3 == 0]
    eager = [7] + [i for i in starts if i != 7] + [i for i in pool if i % 3 and i != 7]
    asked = []

    def start(i):  # bucket 0: from the start
        asked.append(i)
        return 0 if i % 3 == 0 else 2
    ranked = Ranked([7], [i for i in pool if i != 7], start)
    assert ranked[0] == 7 and ranked[1] == 0
    assert asked == [0]  # the first rows are known without ranking the rest
    assert len(ranked) == len(pool)
    assert ranked[-1] == eager[-1]
    assert ranked[1:3] == eager[1:3]
    assert list(ranked) == eager
    with pytest.raises(IndexError):
        ranked[len(pool)]


def test_each_reading_finds_the_student():
    rows = []
    for i, name in enumerate(["吕伟", "长孙无忌", "李长风", "阿依古丽·买买提", "陈𠮷", "卜凡"]):
        row = RosterRow(student_id=i, student_no=f"2024{i:04d}", name=name, class_name="七年级(1)班")
        row.build_hay(*name_keys(name))
        rows.append(row)
    index = RosterIndex(rows)
    for query, name in [("lvwei", "吕伟"), ("luwei", "吕伟"), ("lyuwei", "吕伟"), ("lw", "吕伟"),
                        ("zhangsun", "长孙无忌"), ("changsun", "长孙无忌"), ("zswj", "长孙无忌"),
                        ("lichangfeng", "李长风"), ("lizhangfeng", "李长风"),
                        ("ayigulimaimaiti", "阿依古丽·买买提"), ("chenji", "陈𠮷"),
                        ("bufan", "卜凡"), ("bofan", "卜凡")]:
        assert names(index.search(query)) == [name], query


def class_roster() -> RosterIndex:
    rows = []
    for i, (name, code, klass) in enumerate([
            ("张伟", "7-1", "七年级(1)班"), ("李明", "7-10", "七年级(10)班"),
            ("王芳", "8-2", "八年级(2)班"), ("赵薇", "10-2", "高一(2)班"),
            ("高一鸣", "8-2", "八年级(2)班")]):
        row = RosterRow(student_id=i, student_no=f"2024{i:04d}", name=name, class_name=klass,
                        class_code=code)
        row.build_hay(*name_keys(name))
        rows.append(row)
    return RosterIndex(rows)


@pytest.mark.parametrize("query, expected", [
    ("7-1", ["张伟"]),  # that class, not 7-10 too
    ("7-10", ["李明"]),
    ("7-", ["张伟", "李明"]),  # the grade
    ("七年级1班", ["张伟"]), ("7年级1班", ["张伟"]), ("初一1班", ["张伟"]),
    ("初一(1)班", ["张伟"]), ("七(1)班", ["张伟"]), ("初一一班", ["张伟"]),
    ("七年级（1）班", ["张伟"]), ("初一", ["张伟", "李明"]), ("七年级", ["张伟", "李明"]),
    ("高一2班", ["赵薇"]), ("高一", ["高一鸣", "赵薇"]),  # a name as typed comes first
    ("8-2", ["王芳", "高一鸣"]),
])
def test_a_class_as_teachers_write_it(query, expected):
    assert sorted(names(class_roster().search(query))) == sorted(expected)
    assert names(class_roster().search(query))[0] == expected[0]


def test_typing_on_from_a_class_to_the_next():
    index = class_roster()
    for query, expected in [("7", ["张伟", "李明"]), ("7-", ["张伟", "李明"]), ("7-1", ["张伟"]),
                            ("7-10", ["李明"]), ("7-1", ["张伟"])]:
        assert sorted(names(index.search(query))) == sorted(expected), query


@pytest.mark.parametrize("query", ["7-1", "七年级1班", "初一1班", "初一(1)班", "七(1)班", "初一"])
def test_the_command_line_narrows_to_the_same_class(school, query):
    assert names(load_index(query).search(query)) == names(load_index().search(query)) != []


def test_keys_stored_by_an_older_bangfu_are_computed_again(school):
    """Migration 13's work (db.pinyin.refresh_name_keys), on a file and on the server."""
    from peewee import fn

    from db.models import Staff, Student, database
    from db.pinyin import refresh_name_keys

    for model in (Student, Staff):
        model.update(pinyin=fn.REPLACE(model.pinyin, "'", "")).execute()
    with database.atomic():
        assert refresh_name_keys(database, "student") == 7
        assert refresh_name_keys(database, "staff") == 3
        assert refresh_name_keys(database, "student") == 0  # nothing left to do
    assert Student.get(Student.name == "欧阳娜娜").pinyin == "ou'yang'na'na"
    assert Staff.get(Staff.name == "王芳").pinyin == "wang'fang"
    assert names(load_index().search("nana")) == ["欧阳娜娜"]
