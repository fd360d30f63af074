"""A believable demo school: classes, staff, students, families, cases, contacts,
and this term's exam scores and check-ins.

``build_demo`` fills an empty (migrated) database so the app can be tried,
shown and benchmarked.  The content is a function of ``(seed,
clock.today())`` only: one ``random.Random(seed)``, contact UUIDs drawn
from it, every timestamp derived from the term dates, ids given explicitly.
What came later (stage reviews and peer pairs; scores and check-ins) draws
from streams of its own, so adding it left the rest of a seed's school as it
was.  The scores put the term's 10% figure (``db.progress``) near 65-70% of
the measurable supported students, short of the 80% target.
Rows are written by prepared statements (``_write``) inside one transaction,
so 20,000 students take seconds, not minutes.

Run by hand: ``python -m db.demo PATH [--students N] [--seed S]``.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import uuid
from dataclasses import dataclass, field
from typing import Callable

from peewee import fn

from db import clock
from db.dialect import on_server
from db.models import (Assignment, AuditLog, Case, Checkin, Contact, Goal, Guardian,
                       PeerPair, SchoolClass, Score, StageReview, Staff, Student, Term,
                       database)
from db.pinyin import name_keys
from db.progress import DEFAULT_DIMENSIONS, DEFAULT_SUBJECTS
from db.vocab import CATEGORIES, CAUSES, FAMILY_FLAGS

HOST = "demo"

REVIEW_SUMMARIES = (
    "本阶段{subj}作业基本能按时上交，订正及时；课堂听讲仍易走神，需继续提醒。",
    "{name}上课能主动举手两三次，{subj}小测有进步；家长反映在家学习时间仍不固定。",
    "学习习惯有改善，错题本坚持在用；{subj}基础知识掌握仍不牢，需继续面批。",
    "情绪比上阶段稳定，与同学交往增多；{subj}成绩波动，计划下阶段加强课后辅导。",
    "出勤正常，作业完成率明显提高；阅读习惯尚未养成，家校需共同督促。",
    "本阶段目标部分达成：{subj}作业质量提高，但考试时间分配不当，需专项练习。",
    "{name}自信心增强，愿意在小组里发言；{subj}计算仍粗心，继续每周两次面批。",
    "进步不明显：作业拖欠情况反复，已与家长沟通，下阶段调整为每天放学前检查。",
)
PEER_FOCUS = ("数学作业互查", "英语单词听写", "语文背诵检查", "错题订正", "课间答疑",
              "物理实验复习", "每日作业提醒", "")
ProgressFn = Callable[[int, int], None]
# a term's exams (the 10% figure compares them): 语文, 数学 and 英语 out of 120,
# as junior high schools mark them.  Only those sat before the demo's today.
EXAM_SUBJECTS = DEFAULT_SUBJECTS
EXAM_FULL_MARKS = 120
HALF_MARK_SUBJECTS = ("语文", "英语")  # the essay is marked in half points
# how a supported student's scores move over the term, by the case's status:
# (mean, spread) of the change from the first sitting to the latest, as a
# fraction of the first; the measured figure comes out near 65-70%
SCORE_TRENDS = {"identified": (0.02, 0.10), "active": (0.10, 0.12),
                "improving": (0.18, 0.10), "transformed": (0.24, 0.10),
                "closed": (0.13, 0.12)}
ABSENT = 0.065  # a sitting where the student missed one paper
CHECKIN_UP = ("比上月开朗", "愿意主动和老师打招呼了", "课间能和同学一起活动",
              "说最近睡得好一些", "在小组活动中主动发言了一次", "对考试没那么紧张了",
              "作业本上开始写自己的想法", "笑容多了")
CHECKIN_DOWN = ("与同学发生矛盾后情绪低落", "月考成绩不理想，情绪低落", "说最近和家里人吵架了",
                "上课常发呆，不愿说话", "想念父母，情绪有波动", "说晚上睡不好")
CHECKIN_SAME = ("情绪平稳", "与上月差不多", "谈话时比较配合", "仍不太愿意谈自己的事")
CHECKIN_FIRST = ("初次评估，较拘谨，回答简短", "初次评估，能说出自己的烦恼",
                 "初次评估，回避与家庭有关的话题")

# ---------------------------------------------------------------------------
# names

# surname: weight (about per 10,000 people, after the 2020 census tables)
SURNAMES = {
    "王": 710, "李": 700, "张": 640, "刘": 540, "陈": 460, "杨": 310, "黄": 220,
    "赵": 200, "吴": 190, "周": 190, "徐": 150, "孙": 150, "马": 140, "朱": 130,
    "胡": 120, "郭": 120, "何": 120, "高": 110, "林": 110, "罗": 100, "郑": 90,
    "梁": 90, "谢": 80, "宋": 70, "唐": 70, "许": 70, "韩": 70, "冯": 60, "邓": 60,
    "曹": 60, "彭": 60, "曾": 60, "肖": 60, "田": 50, "董": 50, "袁": 50, "潘": 50,
    "于": 50, "蒋": 50, "蔡": 50, "余": 50, "杜": 40, "叶": 40, "程": 40, "苏": 40,
    "魏": 40, "吕": 40, "丁": 40, "任": 40, "沈": 30, "姚": 30, "卢": 30, "姜": 30,
    "崔": 30, "钟": 30, "谭": 30, "陆": 30, "汪": 30, "范": 30, "金": 30, "石": 30,
    "廖": 30, "贾": 30, "夏": 20, "韦": 20, "付": 20, "方": 20, "白": 20, "邹": 20,
    "孟": 20, "熊": 20, "秦": 20, "邱": 20, "江": 20, "尹": 20, "薛": 20, "闫": 20,
    "段": 20, "雷": 20, "侯": 20, "龙": 20, "史": 20, "陶": 20, "黎": 20, "贺": 20,
    "顾": 15, "毛": 15, "郝": 15, "龚": 15, "邵": 15, "万": 15, "钱": 15, "严": 15,
    "覃": 10, "武": 15, "戴": 15, "莫": 10, "孔": 10, "向": 10, "汤": 10, "常": 10,
    "温": 10, "康": 10, "施": 10, "文": 10, "牛": 10, "樊": 10, "葛": 10, "邢": 10,
    "安": 8, "齐": 8, "易": 8, "乔": 8, "伍": 8, "庞": 8, "颜": 8, "倪": 8, "庄": 8,
    "聂": 8, "章": 8, "鲁": 6, "岳": 6, "翟": 6, "殷": 6, "詹": 6, "申": 6, "欧": 6,
    "耿": 6, "关": 6, "兰": 5, "焦": 5, "俞": 5, "左": 5, "柳": 5, "甘": 5, "祝": 5,
    "包": 5, "宁": 5, "尚": 5, "符": 5, "舒": 5, "阮": 5, "柯": 5, "纪": 5, "梅": 5,
    "童": 5, "凌": 4, "毕": 4, "单": 3, "季": 4, "裴": 4, "霍": 4, "涂": 4, "成": 4,
    "苗": 4, "谷": 4, "盛": 4, "曲": 4, "翁": 4, "冉": 4, "骆": 4, "蓝": 4, "路": 4,
    "游": 4, "辛": 4, "靳": 3, "管": 3, "柴": 3, "蒙": 3, "鲍": 3, "华": 3, "喻": 3,
    "祁": 3, "蒲": 3, "房": 3, "滕": 3, "屈": 3, "饶": 3, "解": 2, "牟": 2, "艾": 2,
    "尤": 2, "阳": 2, "时": 2, "穆": 2, "农": 2, "司": 2, "卓": 2, "古": 2, "吉": 2,
    "缪": 2, "简": 2, "车": 2, "项": 2, "连": 2, "芦": 2, "麦": 2, "褚": 2, "娄": 2,
    "窦": 2, "戚": 2, "岑": 2, "景": 2, "党": 2, "宫": 2, "费": 2, "卜": 2, "冷": 2,
    "晏": 2, "席": 2, "卫": 2, "米": 2, "柏": 2, "宗": 2, "瞿": 2, "桂": 2, "全": 2,
    "查": 2, "仇": 2, "朴": 2, "乐": 1, "盖": 1, "区": 1,
}
# surnames whose surname reading differs from the everyday one: the search
# must find them both ways, so a demo school always has some
POLYPHONIC = ("曾", "单", "解", "仇", "区", "查", "朴", "盖")
# names whose initials are "zw": the classic ambiguous quick search
ZW_NAMES = (("张伟", "M"), ("赵薇", "F"), ("周文", "M"), ("张巍", "M"), ("周雯", "F"))

BOY_SINGLE = "浩宇轩杰涛鹏超强磊晨阳凯帆昊然睿鑫博航哲毅斌亮俊"
GIRL_SINGLE = "婷静敏丽娜雪颖琳悦瑶薇倩妍欣怡洁璐露佳晶蕾萌"
BOY_FIRST = "子浩宇俊梓博文天嘉明泽思一家志晨昊皓睿锦弘若诗鸿铭佳振宏海"
BOY_SECOND = "轩宇豪杰然航文墨远博佑熙阳辰鑫诚铭哲瑞凯峰林森翔涛源川乐"
GIRL_FIRST = "欣诗雨可梦紫佳语梓雅晓思若心依婉静子一馨美嘉梦安书沐"
GIRL_SECOND = "怡涵馨琪萱妍桐彤悦瑶雪婷琳蕾月菲然琦颖薇洁欣宁晴甜"
BOY_WHOLE = ("子轩", "浩宇", "宇轩", "梓豪", "俊杰", "浩然", "宇航", "博文", "皓轩",
             "子墨", "明轩", "泽宇", "思远", "天佑", "嘉豪", "俊熙", "一鸣", "家乐",
             "志豪", "晨阳", "文博", "睿泽", "鹏飞", "海洋", "子健")
GIRL_WHOLE = ("梓涵", "欣怡", "诗涵", "子涵", "雨涵", "可馨", "一诺", "思涵", "梦琪",
              "佳怡", "雨欣", "欣妍", "语桐", "梓萱", "诗琪", "雅琪", "晓雪", "雨萱",
              "佳琪", "婷婷", "丹丹", "思琪", "若曦", "心怡", "紫萱")
MAN_GIVEN = ("建国", "建华", "志强", "志刚", "海涛", "海波", "晓东", "俊峰", "国庆", "伟",
             "军", "勇", "强", "磊", "涛", "斌", "鹏", "超", "杰", "明", "亮", "刚", "平",
             "辉", "林", "峰", "波", "宏", "永强", "红军", "卫东", "新民", "立新", "建军",
             "文斌", "振华", "德明", "春雷", "金龙", "小兵", "国强", "学军", "长江", "东升")
WOMAN_GIVEN = ("丽", "芳", "娟", "敏", "静", "燕", "艳", "霞", "红", "梅", "玲", "萍",
               "英", "华", "婷", "慧", "琳", "颖", "倩", "雪", "丽娟", "秀英", "桂英",
               "淑芬", "晓燕", "海燕", "春梅", "秀兰", "玉兰", "红梅", "美玲", "丽华",
               "晓丽", "雅琴", "文静", "晓红", "小燕", "春燕", "利", "莉", "凤")
OLD_MAN_GIVEN = ("德明", "国华", "长青", "福生", "建国", "学文", "永福", "金山", "有才",
                 "保国", "树林", "文华", "光明", "振国", "庆丰", "福贵", "来顺", "广才")
OLD_WOMAN_GIVEN = ("秀兰", "桂英", "玉兰", "凤英", "秀英", "桂兰", "淑珍", "玉珍",
                   "秀珍", "翠花", "金凤", "素芬", "兰英", "春花", "桂芳", "玉梅")

# ---------------------------------------------------------------------------
# the school's calendar

GRADE_ZH = {7: "七", 8: "八", 9: "九"}
SEMESTER_ZH = {1: "第一学期", 2: "第二学期"}
# (month, day) with no lessons: New Year, Qingming, Labour Day, National Day
HOLIDAYS = {(1, 1), (4, 4), (4, 5), (4, 6), (5, 1), (5, 2), (5, 3), (5, 4), (5, 5),
            *((10, d) for d in range(1, 8))}


@dataclass
class TermInfo:
    school_year: str
    semester: int
    start: dt.date
    end: dt.date  # the last day of lessons
    id: int = 0
    stored_end: dt.date | None = None  # runs on through a holiday that is "now"

    @property
    def name(self) -> str:
        return f"{self.school_year} {SEMESTER_ZH[self.semester]}"

    @property
    def first_year(self) -> int:
        return int(self.school_year[:4])

    @property
    def midterm(self) -> dt.date:
        """The mid-term parent meeting: a Friday about ten weeks in."""
        day = self.start + dt.timedelta(days=63)
        return day + dt.timedelta(days=(4 - day.weekday()) % 7)


def _term(first_year: int, semester: int) -> TermInfo:
    year = f"{first_year}-{first_year + 1}"
    if semester == 1:
        return TermInfo(year, 1, dt.date(first_year, 9, 1), dt.date(first_year + 1, 1, 20))
    return TermInfo(year, 2, dt.date(first_year + 1, 2, 20), dt.date(first_year + 1, 7, 10))


def terms_for(today: dt.date) -> tuple[TermInfo, TermInfo]:
    """``(current, previous)``; in a holiday the term just ended runs on to it."""
    if today.month >= 9:
        current = _term(today.year, 1)
    elif today >= dt.date(today.year, 2, 20):
        current = _term(today.year - 1, 2)
    else:  # January to mid-February
        current = _term(today.year - 1, 1)
    if today > current.end:  # the summer or winter holiday
        current.stored_end = (dt.date(today.year, 8, 31) if current.semester == 2
                              else dt.date(today.year, 2, 19))
    previous = (_term(current.first_year - 1, 2) if current.semester == 1
                else _term(current.first_year, 1))
    return current, previous


def _school_day(day: dt.date) -> bool:
    return day.weekday() < 5 and (day.month, day.day) not in HOLIDAYS


def school_days(first: dt.date, last: dt.date) -> list[dt.date]:
    days, day = [], first
    while day <= last:
        if _school_day(day):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def _next_school_day(day: dt.date) -> dt.date:
    while not _school_day(day):
        day += dt.timedelta(days=1)
    return day


def _thursday(day: dt.date) -> dt.date:
    """The first school day from the Thursday on or after ``day`` (月考 day)."""
    return _next_school_day(day + dt.timedelta(days=(3 - day.weekday()) % 7))


def exams_for(term: TermInfo) -> list[tuple[str, dt.date]]:
    """The term's exams in date order: monthly tests, the mid-term (the Tuesday
    before the parent meeting, whose talks go through its results) and the
    final, all on school days."""
    start = term.start
    midterm = _next_school_day(term.midterm - dt.timedelta(days=3))
    final = _next_school_day(term.end - dt.timedelta(days=7))
    if term.semester == 1:
        exams = [("九月月考", _thursday(start + dt.timedelta(days=21))),
                 ("十月月考", _thursday(start + dt.timedelta(days=42))),
                 ("期中考试", midterm),
                 ("十二月月考", _thursday(start + dt.timedelta(days=98))),
                 ("期末考试", final)]
    else:
        exams = [("三月月考", _thursday(start + dt.timedelta(days=21))),
                 ("期中考试", midterm),
                 ("五月月考", _thursday(start + dt.timedelta(days=88))),
                 ("期末考试", final)]
    return [(name, day) for name, day in exams if term.start <= day <= term.end]


# ---------------------------------------------------------------------------
# what people write

WEAK_SUBJECTS = {7: (("数学", 5), ("英语", 5), ("语文", 2)),
                 8: (("数学", 5), ("英语", 4), ("物理", 3), ("语文", 2)),
                 9: (("数学", 5), ("英语", 4), ("物理", 3), ("化学", 3), ("语文", 2))}
TOPICS = {
    ("数学", 7): ("有理数的混合运算", "绝对值", "整式的加减", "一元一次方程", "几何图形初步",
                 "相交线与平行线", "实数", "平面直角坐标系", "二元一次方程组", "一元一次不等式"),
    ("数学", 8): ("全等三角形", "轴对称", "整式的乘法", "因式分解", "分式方程",
                 "二次根式", "勾股定理", "平行四边形", "一次函数"),
    ("数学", 9): ("一元二次方程", "二次函数", "旋转", "圆", "概率初步",
                 "反比例函数", "相似三角形", "锐角三角函数"),
    ("英语", 7): ("词汇拼写", "一般现在时", "be动词", "名词复数", "音标", "现在进行时",
                 "一般过去时", "完形填空"),
    ("英语", 8): ("词汇拼写", "一般将来时", "比较级和最高级", "情态动词", "现在完成时",
                 "阅读理解", "书面表达"),
    ("英语", 9): ("词汇拼写", "宾语从句", "被动语态", "定语从句", "阅读理解", "书面表达"),
    ("语文", 7): ("古诗文默写", "文言文翻译", "现代文阅读", "作文审题", "《朝花夕拾》名著阅读"),
    ("语文", 8): ("古诗文默写", "文言文翻译", "说明文阅读", "作文结构", "《红星照耀中国》名著阅读"),
    ("语文", 9): ("古诗文默写", "文言文阅读", "议论文阅读", "中考作文", "《水浒传》名著阅读"),
    ("物理", 8): ("机械运动", "声现象", "光的折射", "质量与密度", "力和运动", "压强", "浮力"),
    ("物理", 9): ("内能", "电流和电路", "欧姆定律", "电功率", "电与磁"),
    ("化学", 9): ("化学式与化合价", "化学方程式", "碳和碳的氧化物", "溶液", "酸和碱"),
}

STRENGTHS = ("性格开朗，与同学相处融洽", "劳动积极，班级值日认真负责", "喜欢打篮球，是班级篮球队队员",
             "爱好画画，在校园手抄报比赛中获过奖", "尊敬老师，待人有礼貌", "动手能力强，对实验课有兴趣",
             "心地善良，乐于帮助同学", "喜欢唱歌，参加了学校合唱团", "诚实守信，答应的事能够做到",
             "体育成绩好，校运会800米获第二名", "字写得工整", "对历史故事很感兴趣，知识面较广",
             "在家能帮爷爷奶奶干农活，很懂事", "记忆力不错，背诵课文较快", "集体荣誉感强，运动会积极报名",
             "喜欢小动物，做事有耐心")

PROBLEMS = {
    "academic": ("{subj}成绩长期落后，作业经常不能按时完成",
                 "课堂听讲效率低，{subj}基础知识掌握不牢，考试多次不及格",
                 "各科作业拖欠较多，{subj}单元测验多次不及格"),
    "behaviour": ("自控能力差，课堂上经常讲话、做小动作，本学期已有{n}次违纪记录",
                  "不遵守课堂纪律，顶撞老师，课间追逐打闹",
                  "沉迷手机游戏，经常熬夜，上课打瞌睡"),
    "psychological": ("性格内向，自卑敏感，很少与同学交流，遇到困难容易放弃",
                      "情绪波动大，受到批评后容易哭泣或闷闷不乐",
                      "自我评价低，常说“我学不会”，不愿参加集体活动"),
    "interpersonal": ("与同学相处容易发生矛盾，在班级中缺少朋友",
                      "不善表达，和同桌多次发生口角"),
    "attendance": ("本学期已请假{n}次，经常迟到，存在厌学情绪",
                   "多次无故缺勤，有辍学倾向"),
    "economic": ("家庭经济困难，学习用品不齐全，有时不吃早餐",
                 "家中经济拮据，课外学习资料无力购买"),
}

CAUSE_TEXT = {
    "foundation": "小学阶段基础没有打牢，知识漏洞较多",
    "methods": "缺乏有效的学习方法，只会死记硬背，不会归纳整理",
    "habits": "学习习惯差，课前不预习、课后不复习，作业字迹潦草",
    "confidence": "长期成绩落后，缺乏自信心，有畏难情绪",
    "attention": "上课注意力难以集中，容易走神",
    "self_control": "自我约束能力弱，放学后沉迷手机游戏",
    "parenting": "家长教育方式简单，以批评打骂为主，缺少有效沟通",
    "grandparent_care": "由祖辈照顾，祖辈文化程度不高，无法辅导作业，对孩子比较溺爱",
    "left_behind": "父母长期在外务工，缺少关爱和监督",
    "poverty": "家庭经济困难，学习条件较差",
    "family_change": "父母离异，家庭变故对孩子情绪影响较大",
    "teaching": "课堂教学对基础薄弱学生关注不够，分层作业落实不到位",
    "relationships": "师生关系较疏远，遇到问题不愿向老师求助",
    "peers": "受校外不良同伴影响，学习兴趣下降",
    "society": "受网络不良信息影响，价值观有偏差",
    "health": "身体较弱，经常生病请假，落下的课程较多",
    "other": "进入初中后不适应学科增多和学习节奏加快",
}
CAUSE_GROUPS = (("个人方面", ("foundation", "methods", "habits", "confidence", "attention",
                              "self_control")),
                ("家庭方面", ("parenting", "grandparent_care", "left_behind", "poverty",
                              "family_change")),
                ("学校方面", ("teaching", "relationships", "peers")),
                ("其他方面", ("society", "health", "other")))

# the causes that usually go with a category, and with a family situation
CATEGORY_CAUSES = {"academic": ("foundation", "methods", "habits", "attention"),
                   "behaviour": ("self_control", "habits", "parenting", "peers"),
                   "psychological": ("confidence", "family_change", "relationships"),
                   "interpersonal": ("relationships", "peers", "confidence"),
                   "attendance": ("health", "parenting", "peers"),
                   "economic": ("poverty",)}
FLAG_CAUSES = {"left_behind_both": ("left_behind", "grandparent_care"),
               "left_behind_one": ("left_behind",), "grandparent_care": ("grandparent_care",),
               "single_parent": ("family_change",), "low_income": ("poverty",),
               "orphan": ("family_change", "poverty")}

MEASURES = {
    "academic": "{subj}老师每周面批作业两次，建立错题本，每周检查订正情况",
    "foundation": "利用课后服务时间查漏补缺，从{topic}等基础内容补起",
    "methods": "指导做课堂笔记和每周知识整理，教给学生记忆和复习的方法",
    "habits": "使用家校联系本记录每日作业，家长签字，班主任每日检查",
    "confidence": "课堂上设计适合的问题让其回答，及时表扬点滴进步",
    "attention": "座位调到讲台附近，课堂上多提醒、多提问",
    "self_control": "与学生约定手机使用规则，由家长保管手机，每周反馈",
    "behaviour": "与学生签订行为约定，每周谈心一次，进步时在班会上表扬",
    "psychological": "心理老师每两周个别辅导一次，班主任每周谈心，关注情绪变化",
    "interpersonal": "安排担任小组职务，在集体活动中学习与同学合作",
    "attendance": "每日考勤，缺勤当天电话联系家长，了解原因",
    "economic": "为其申请助学金和营养餐补助，学校资助学习用品",
    "parenting": "指导家长改进教育方法，多鼓励少批评",
    "grandparent_care": "每两周与祖辈沟通一次，请在外的父母每周与孩子视频通话",
    "left_behind": "纳入留守儿童关爱台账，代理家长定期谈心，节假日重点关注",
    "poverty": "落实资助政策，减轻家庭负担",
    "family_change": "多给予关心，与监护人保持沟通，必要时转介心理老师",
    "health": "了解身体状况，病假后安排老师补课",
}

FAMILY_NOTES = {
    "left_behind_both": ("父母均在{city}务工，每年春节回家一次。", "父母常年在{city}打工，孩子由{carer}照看。"),
    "left_behind_one": ("{away}在{city}务工，{home}在家照顾孩子。", "{away}常年在{city}打工，平时与{home}生活。"),
    "grandparent_care": ("平时由{carer}照顾，祖辈年事已高，辅导作业困难。",),
    "single_parent": ("父母离异，随{home}生活。", "父母离异，孩子跟{home}，与另一方很少联系。"),
    "low_income": ("家庭经济困难，享受低保。", "家中经济拮据，已申请助学金。"),
    "migrant": ("随父母从{province}迁来，属随迁子女。",),
    "orphan": ("父母双亡，由{carer}监护。",),
}
CITIES = ("广东东莞", "浙江宁波", "江苏苏州", "上海", "福建厦门", "广东深圳", "浙江义乌",
          "北京", "广东佛山", "新疆")
PROVINCES = ("河南", "安徽", "四川", "贵州", "湖南", "江西", "云南")

FAMILY_TALK = {
    "phone": (("反馈{name}本周{subj}作业完成情况，有{n}次未按时上交", "家长每晚检查作业并在家校联系本上签字"),
              ("沟通{subj}单元测验成绩（{score}分），一起分析失分原因", "家长督促孩子每天订正错题"),
              ("了解孩子在家的学习和作息情况，周末玩手机时间较长", "周末手机使用不超过1小时，由家长保管"),
              ("告知孩子近期课堂表现有进步，能主动举手发言", "家长多鼓励孩子，减少批评"),
              ("反映孩子最近情绪低落，了解家中情况", "家长多陪伴孩子，有情况及时与老师联系")),
    "wechat": (("发送{name}本周{subj}作业照片，说明存在的问题", "家长督促孩子按时完成作业"),
               ("微信视频通话，介绍孩子在校情况，请家长多关心孩子", "家长每周至少与孩子视频两次"),
               ("与家长交流{subj}学习情况：{topic}掌握得不好", "家长配合每天督促复习二十分钟"),
               ("反馈孩子本周进步，上交作业比较及时", "继续保持，下周再反馈")),
    "sms": (("发送本周作业完成情况和下周学习要求", "家长回复已收到，会督促孩子"),
            ("提醒家长按时接孩子并关注放学后去向", "家长回复会注意")),
    "face": (("家长来校面谈，交流孩子近期在校表现和{subj}学习情况", "家长每晚检查作业，每周与班主任联系一次"),
             ("家长到校了解孩子违纪情况，共同教育", "家长配合教育，孩子写出保证书")),
    "home_visit": (("到家中走访，了解孩子的学习环境和家庭情况；孩子没有固定书桌，作业在饭桌上完成",
                    "家长为孩子收拾出固定学习角，每周电话沟通一次"),
                   ("家访：与祖辈交流孩子的作息和手机使用情况，并与在外父母视频通话",
                    "晚上九点前收手机，父母每周与孩子视频两次"),
                   ("家访，了解家庭经济情况，宣讲资助政策", "帮助家长准备助学金申请材料")),
    "parent_meeting": (("期中家长会后个别交流，分析期中考试成绩（语文{a}、数学{b}、英语{c}）",
                        "制定期末前复习计划，家长每晚督促学习一小时"),
                       ("家长会上交流孩子本学期的进步和不足", "家长配合落实每日作业签字")),
    "group_chat": (("在班级家长群发布考试安排和复习建议，并单独提醒家长", "家长督促孩子按复习计划完成"),
                   ("家长群通知作业要求，私信提醒家长关注孩子的{subj}作业", "家长回复会督促")),
}
# (discussed, agreed, the weak subject it needs or None)
STUDENT_TALK = (
    ("面批{subj}作业，讲解{topic}的错题", "当天完成错题订正并交老师检查", None),
    ("课后辅导{subj}：{topic}", "每天完成三道同类型练习", None),
    ("谈心：了解最近的学习和生活情况，{mood}", "有困难及时找老师", None),
    ("检查英语单词背诵，本周{k}个单词过关{m}个", "未过关的单词周五前再背", "英语"),
    ("面评：表扬本周作业有进步，上课能认真听讲", "继续保持，下周争取全部按时上交", None),
    ("面改{subj}作业，重点讲{topic}", "把订正后的作业抄在错题本上", None),
    ("面查：检查错题本和课堂笔记", "每周五交错题本检查", None),
    ("检查古诗文背诵默写", "默写错的句子抄写三遍，明早再查", "语文"),
)
MOODS = ("说最近晚上睡得比较晚", "说和同桌相处得不错", "说想爸爸妈妈", "说数学课有些听不懂",
         "情绪比上周稳定", "说周末在家帮忙干活")
COUNSEL_TALK = (("心理辅导：沙盘游戏，了解近期情绪", "每两周来一次心理辅导室"),
                ("心理辅导：讨论和同学相处的困惑", "尝试主动和一位同学交流"),
                ("心理辅导：学习压力与自我评价", "每天记录一件做成功的小事"))
VOLUNTEER_TALK = (("学伴辅导{subj}作业：{topic}", "下周同一时间继续"),
                  ("志愿者陪伴阅读，一起读课外书", "每天阅读二十分钟"))
COLLEAGUE_TALK = (("与{subj}老师交流该生近期学习情况，商讨下阶段帮扶措施", "{subj}老师增加面批次数"),
                  ("帮扶小组碰头，回顾本阶段目标完成情况", "调整短期目标，下周再跟进"))
COUNSELLOR_TALK = ("与心理老师沟通该生情绪变化", "心理老师下周安排一次个别辅导")
FOLLOW_UPS = {"student": ("检查错题订正情况", "检查作业上交情况", "检查错题本", "再谈一次心"),
              "family": ("电话回访家长", "检查家校联系本签字", "了解孩子周末在家情况",
                         "告知家长单元测验成绩"),
              "colleague": ("下次帮扶小组碰头时汇报", "与家长沟通调整后的措施")}

SHORT_GOALS = {
    "academic": (("{subj}单元测验成绩达到{target}分", "每周面批作业两次，错题本每周检查"),
                 ("按时完成各科作业，上交率达到90%以上", "家校联系本每日签字，课代表每日登记"),
                 ("掌握{topic}的基本题型", "课后辅导每周一次，面批面改")),
    "behaviour": (("一个月内课堂违纪次数减少一半", "每周谈心一次，对照行为约定反馈"),
                  ("不迟到、不早退，按时到校", "家长每日送到校，班主任每日考勤反馈")),
    "psychological": (("每周主动与老师交流一次", "心理老师每两周个别辅导，班主任每周谈心"),
                      ("在小组活动中主动发言", "安排性格开朗的同学结对，给予展示机会")),
    "interpersonal": (("与同学和睦相处，一个月内不发生冲突", "安排小组合作任务，及时调解矛盾"),),
    "attendance": (("本月无无故缺勤", "每日考勤，缺勤当天电话联系家长"),),
    "economic": (("落实助学金和营养餐补助", "班主任协助准备申请材料"),),
}
LONG_GOALS = (("期末{subj}成绩提高10分以上", "按帮扶计划每周辅导，阶段测验跟踪"),
              ("养成良好的学习习惯，能独立按时完成作业", "家校配合，每日检查，每周反馈"),
              ("期末总成绩进入年级前{pct}%", "各科老师分工辅导，每月评估一次"),
              ("建立自信，情绪稳定，融入班集体", "心理辅导与班级活动相结合"))

# ---------------------------------------------------------------------------
# the build

@dataclass
class _Student:
    id: int
    cls: "_Class"
    surname: str
    given: str
    gender: str
    flags: list[str] = field(default_factory=list)
    guardians: list[dict] = field(default_factory=list)
    city: str = ""  # where parents working away are

    @property
    def name(self) -> str:
        return self.surname + self.given


@dataclass
class _Class:
    id: int
    grade: int
    number: int
    head: int = 0
    teachers: list[int] = field(default_factory=list)  # subject teachers


@dataclass
class _Member:
    staff: int
    role: str
    since: dt.date
    until: dt.date | None = None  # inactive from this day on


@dataclass
class _Case:
    id: int
    student: _Student
    term: TermInfo
    status: str
    opened: dt.date
    closed: dt.date | None
    categories: list[str]
    causes: list[str]
    subjects: list[str]
    grade: int = 7  # the student's grade in that term
    team: list[_Member] = field(default_factory=list)
    overdue_from: dt.date | None = None  # no family contact from this day


class _Builder:
    def __init__(self, students: int, seed: int, today: dt.date):
        self.n = students
        self.rng = random.Random(seed)
        # stage reviews and peer pairs draw from their own generator, so adding
        # them left every other row of a seed's school as it was
        self.rng2 = random.Random(seed * 7919 + 5)
        # and scores and check-ins from a third, for the same reason
        self.rng3 = random.Random(seed * 7927 + 6)
        self.today = today
        self.yesterday = today - dt.timedelta(days=1)
        self.term, self.prev = terms_for(today)
        self.rows: dict[str, list[tuple]] = {}
        self.keys: dict[str, tuple[str, str]] = {}
        self.staff_names: set[str] = set()
        self.lead_load: dict[int, int] = {}
        names = list(SURNAMES)
        weights = list(SURNAMES.values())
        self._surnames = names
        self._surname_cum = [sum(weights[:i + 1]) for i in range(len(weights))]

    # -- helpers ---------------------------------------------------------
    def pick(self, seq):
        return seq[self.rng.randrange(len(seq))]

    def weighted(self, pairs):
        items = [p[0] for p in pairs]
        return self.rng.choices(items, weights=[p[1] for p in pairs])[0]

    def surname(self) -> str:
        return self.rng.choices(self._surnames, cum_weights=self._surname_cum)[0]

    def pinyin(self, name: str) -> tuple[str, str]:
        keys = self.keys.get(name)
        if keys is None:
            keys = self.keys[name] = name_keys(name)
        return keys

    def child_given(self, gender: str) -> str:
        r = self.rng.random()
        if gender == "M":
            if r < 0.22:
                return self.pick(BOY_SINGLE)
            if r < 0.55:
                return self.pick(BOY_WHOLE)
            return self.pick(BOY_FIRST) + self.pick(BOY_SECOND)
        if r < 0.22:
            return self.pick(GIRL_SINGLE)
        if r < 0.55:
            return self.pick(GIRL_WHOLE)
        first, second = self.pick(GIRL_FIRST), self.pick(GIRL_SECOND)
        return first + second if first != second else first * 2

    def adult_given(self, gender: str, old: bool = False) -> str:
        if old:
            return self.pick(OLD_MAN_GIVEN if gender == "M" else OLD_WOMAN_GIVEN)
        return self.pick(MAN_GIVEN if gender == "M" else WOMAN_GIVEN)

    def phone(self) -> str:
        prefix = self.pick(("13", "15", "18"))
        third = self.rng.randrange(10)
        if prefix == "15" and third == 4:
            third = 8
        return f"{prefix}{third}{self.rng.randrange(10 ** 8):08d}"

    def wechat(self, phone: str) -> str:
        r = self.rng.random()
        if r < 0.45:
            return "wxid_" + "".join(self.pick("abcdefghijkmnpqrstuvwxyz23456789")
                                     for _ in range(10))
        if r < 0.75:
            return phone
        return ""

    # -- staff and classes -----------------------------------------------
    def build_school(self, base: dict[str, int]) -> None:
        n_classes = max(1, round(self.n / 50))
        per_grade = [n_classes // 3 + (1 if i < n_classes % 3 else 0) for i in range(3)]
        self.classes: list[_Class] = []
        cid = base["school_class"]
        for grade, count in zip((7, 8, 9), per_grade):
            for number in range(1, count + 1):
                self.classes.append(_Class(cid, grade, number))
                cid += 1
        self.per_grade = dict(zip((7, 8, 9), per_grade))

        total = max(40, round(self.n / 25))
        counsellors = 2 if self.n < 1000 else max(3, self.n // 1000)
        volunteers = max(3, self.n // 500)
        subject = max(3 * len([c for c in per_grade if c]), total - len(self.classes)
                      - counsellors - volunteers - 2)
        created = dt.datetime.combine(self.prev.start - dt.timedelta(days=7), dt.time(8, 0))
        self.staff: list[tuple] = []
        self.staff_name: dict[int, str] = {}
        sid = base["staff"]

        def add(role: str) -> int:
            nonlocal sid
            while True:
                gender = "F" if self.rng.random() < 0.62 else "M"
                name = self.surname() + self.adult_given(gender)
                if name not in self.staff_names:
                    break
            self.staff_names.add(name)
            pinyin, initials = self.pinyin(name)
            self.staff.append((sid, name, pinyin, initials, role, True, created))
            self.staff_name[sid] = name
            sid += 1
            return sid - 1

        add("admin")  # the school leader
        add("coordinator")  # 德育处
        for cls in self.classes:
            cls.head = add("class_teacher")
        self.counsellors = [add("counsellor") for _ in range(counsellors)]
        self.volunteers = [add("volunteer") for _ in range(volunteers)]
        teachers = [add("teacher") for _ in range(subject)]
        # subject teachers teach within one grade; each class gets six of them
        grades = [g for g in (7, 8, 9) if self.per_grade[g]]
        by_grade = {g: teachers[i::len(grades)] for i, g in enumerate(grades)}
        slot = {g: 0 for g in grades}
        for cls in self.classes:
            pool = by_grade[cls.grade]
            want = min(6, len(pool))
            while len(cls.teachers) < want:
                teacher = pool[slot[cls.grade] % len(pool)]
                slot[cls.grade] += 1
                if teacher not in cls.teachers:
                    cls.teachers.append(teacher)
        # each person's row with the classes they teach and the demo PIN (README)
        teaches: dict[int, list[str]] = {}
        for cls in self.classes:
            for teacher in cls.teachers:
                teaches.setdefault(teacher, []).append(f"{cls.grade}-{cls.number}")
        pin_hash = demo_pin_hash()
        self.rows["staff"] = [row + (pin_hash, ",".join(teaches.get(row[0], ())))
                              for row in self.staff]
        self.rows["school_class"] = [
            (c.id, f"{GRADE_ZH[c.grade]}年级({c.number})班", f"{c.grade}-{c.number}",
             c.grade, c.head) for c in self.classes]

    # -- students and families -------------------------------------------
    def build_students(self, base: dict[str, int]) -> None:
        sizes = [self.n // len(self.classes) + (1 if i < self.n % len(self.classes) else 0)
                 for i in range(len(self.classes))]
        self.students: list[_Student] = []
        sid = base["student"]
        for cls, size in zip(self.classes, sizes):
            for _ in range(size):
                gender = "M" if self.rng.random() < 0.52 else "F"
                self.students.append(_Student(sid, cls, self.surname(),
                                              self.child_given(gender), gender))
                sid += 1
        self._force_names()
        self.classmates: dict[int, list[_Student]] = {}
        for st in self.students:
            self.classmates.setdefault(st.cls.id, []).append(st)
        for st in self.students:
            st.flags = self.family_flags()

        rows, guardians = [], []
        gid = base["guardian"]
        width = max(2, len(str(max(self.per_grade.values()))))
        seats: dict[int, int] = {}
        for st in self.students:
            cls = st.cls
            seat = seats[cls.id] = seats.get(cls.id, 0) + 1
            enrolled = self.term.first_year - (cls.grade - 7)
            number = f"{enrolled}{cls.number:0{width}d}{seat:02d}"
            grade1 = self.term.first_year - (cls.grade - 1)
            born_from = dt.date(grade1 - 7, 9, 1)
            if self.rng.random() < 0.05:  # started late or repeated a year
                born_from = dt.date(grade1 - 8, 9, 1)
            birth = born_from + dt.timedelta(days=self.rng.randrange(365))
            pinyin, initials = self.pinyin(st.name)
            created = dt.datetime.combine(dt.date(enrolled, 8, 28), dt.time(9, 0))
            for g in self.make_guardians(st):
                guardians.append((gid, st.id, g["name"], g["relation"], g["phone"],
                                  g["wechat"], g["lives_with"], g["notes"]))
                gid += 1
            rows.append((st.id, number, st.name, st.gender, cls.id, birth,
                         ",".join(st.flags), self.family_notes(st), pinyin, initials,
                         1, created, created))
        self.rows["student"] = rows
        self.rows["guardian"] = guardians

    def _force_names(self) -> None:
        """Make sure the searches worth showing have something to find."""
        if self.n < 50:
            return
        order = list(range(len(self.students)))
        self.rng.shuffle(order)
        pos = 0
        for surname in POLYPHONIC:
            if not any(s.surname == surname for s in self.students):
                self.students[order[pos]].surname = surname
                pos += 1
        # the classic ambiguous quick search: several students answer to "zw"
        present = {s.name for s in self.students}
        for name, gender in ZW_NAMES[:min(len(ZW_NAMES), self.n // 100)]:
            if name in present:
                continue
            while pos < len(order):
                st = self.students[order[pos]]
                pos += 1
                if st.gender == gender and st.surname not in POLYPHONIC:
                    st.surname, st.given = name[0], name[1:]
                    break

    def family_flags(self) -> list[str]:
        r = self.rng.random
        flags = []
        left = r()
        if left < 0.06:
            flags.append("left_behind_both")
            if r() < 0.85:
                flags.append("grandparent_care")
        elif left < 0.15:
            flags.append("left_behind_one")
            if r() < 0.15:
                flags.append("grandparent_care")
        elif r() < 0.04:
            flags.append("grandparent_care")
        if "left_behind_both" not in flags and r() < 0.07:
            flags.append("single_parent")
        if r() < 0.08:
            flags.append("low_income")
        if not any(f.startswith("left_behind") for f in flags) and r() < 0.05:
            flags.append("migrant")
        if r() < 0.003:
            flags = [f for f in flags if f not in ("single_parent", "left_behind_one",
                                                   "left_behind_both")] + ["orphan"]
        if r() < 0.3:
            flags.append("only_child")
        return [f for f in FAMILY_FLAGS if f in flags]

    def family_notes(self, st: _Student) -> str:
        """A line or two on the family, told the same way as its guardians."""
        home = [g["label"] for g in st.guardians if g["lives_with"]]
        away = [g["label"] for g in st.guardians if not g["lives_with"]]
        parents = [x for x in home if x in ("父亲", "母亲")]
        carers = [x for x in home if x not in ("父亲", "母亲")]
        facts = {"city": st.city, "province": self.pick(PROVINCES),
                 "home": parents[0] if parents else (home or ["家人"])[0],
                 "away": away[0] if away else "父亲",
                 "carer": carers[0] if carers else "祖辈"}
        parts = []
        for flag in st.flags:
            if flag == "grandparent_care" and "left_behind_both" in st.flags:
                continue
            templates = FAMILY_NOTES.get(flag)
            if templates:
                parts.append(self.pick(templates).format(**facts))
        return "".join(parts)

    def make_guardians(self, st: _Student) -> list[dict]:
        flags = st.flags
        rng = self.rng
        out: list[dict] = []

        def person(relation, label, lives, *, surname=None, old=False, notes=""):
            gender = "M" if relation in ("father", "grandfather") else "F"
            if relation in ("guardian", "other"):
                gender = "M" if label in ("叔叔", "舅舅") else "F"
            name = (surname or self.surname()) + self.adult_given(gender, old)
            phone = self.phone()
            wechat = self.wechat(phone) if not old or rng.random() < 0.4 else ""
            out.append({"name": name, "relation": relation, "label": label, "phone": phone,
                        "wechat": wechat, "lives_with": lives, "notes": notes})

        st.city = self.pick(CITIES)
        away = f"在{st.city}务工"
        if "orphan" in flags:
            label = self.pick(("叔叔", "姑姑", "舅舅"))
            person("guardian", label, True, surname=st.surname if label in ("叔叔", "姑姑") else None,
                   notes=f"{label}，法定监护人")
            if rng.random() < 0.5:
                person("grandmother", "奶奶", True, old=True)
        elif "left_behind_both" in flags:
            paternal = rng.random() < 0.7
            if rng.random() < 0.6:
                person("grandmother", "奶奶" if paternal else "外婆", True, old=True)
            else:
                person("grandfather", "爷爷" if paternal else "外公", True,
                       surname=st.surname if paternal else None, old=True)
            if rng.random() < 0.5:
                person("father", "父亲", False, surname=st.surname, notes=away)
            else:
                person("mother", "母亲", False, notes=away)
        elif "left_behind_one" in flags:
            if rng.random() < 0.75:
                person("mother", "母亲", True)
                person("father", "父亲", False, surname=st.surname, notes=away)
            else:
                person("father", "父亲", True, surname=st.surname)
                person("mother", "母亲", False, notes=away)
        elif "single_parent" in flags:
            if rng.random() < 0.75:
                person("mother", "母亲", True)
            else:
                person("father", "父亲", True, surname=st.surname)
            if "grandparent_care" in flags or rng.random() < 0.2:
                person("grandmother", "外婆", True, old=True)
        else:
            if "grandparent_care" in flags:
                person("grandmother", "奶奶", True, old=True)
            first = rng.random()
            if first < 0.55:
                person("mother", "母亲", True)
                if rng.random() < 0.7:
                    person("father", "父亲", True, surname=st.surname)
            else:
                person("father", "父亲", True, surname=st.surname)
                if rng.random() < 0.7:
                    person("mother", "母亲", True)
        st.guardians = out[:2]
        return st.guardians

    # -- cases -----------------------------------------------------------
    def build_cases(self, base: dict[str, int]) -> None:
        rng = self.rng
        weight = {"left_behind_both": 2.5, "left_behind_one": 1.6, "grandparent_care": 1.4,
                  "single_parent": 1.8, "low_income": 1.6, "orphan": 3.0, "migrant": 1.3}

        def chosen(pool: list[_Student], k: int) -> list[_Student]:
            keyed = []
            for st in pool:
                w = 1.0
                for flag in st.flags:
                    w *= weight.get(flag, 1.0)
                keyed.append((rng.random() ** (1 / w), st.id, st))
            keyed.sort(key=lambda t: (-t[0], t[1]))
            return sorted((t[2] for t in keyed[:k]), key=lambda s: s.id)

        self.cases: list[_Case] = []
        self.case_id = base["case_file"]
        # last term: only those who were in this school then
        if self.term.semester == 1:
            pool = [s for s in self.students if s.cls.grade >= 8]
        else:
            pool = list(self.students)
        earlier = chosen(pool, round(len(self.students) * 0.04))
        continuing = {st.id for st in earlier if rng.random() < 0.45}
        for st in earlier:
            self.cases.append(self.make_case(st, self.prev, "closed"))
        k = round(len(self.students) * 0.10)
        again = [s for s in earlier if s.id in continuing][:k]
        fresh_pool = [s for s in self.students if s.id not in continuing]
        current = sorted(again + chosen(fresh_pool, k - len(again)), key=lambda s: s.id)
        statuses = (("identified", 20), ("active", 38), ("improving", 25),
                    ("transformed", 11), ("closed", 6))
        for st in current:
            self.cases.append(self.make_case(st, self.term, self.weighted(statuses)))
        # a few open cases where the family has not been reached for weeks
        eligible = [c for c in self.cases if c.term is self.term
                    and c.status in ("active", "improving")
                    and (self.today - c.opened).days >= 49]
        for case in eligible:
            if rng.random() < 0.09:
                case.overdue_from = self.today - dt.timedelta(days=rng.randint(36, 48))
        if eligible and not any(c.overdue_from for c in eligible):
            eligible[0].overdue_from = self.today - dt.timedelta(days=40)

    def make_case(self, st: _Student, term: TermInfo, status: str) -> _Case:
        rng = self.rng
        last = min(term.end, self.yesterday)
        start = term.start
        if term is self.term:
            weeks_in = (self.today - start).days // 7
            if weeks_in < 4 and status in ("transformed", "closed", "improving"):
                status = "active"
            if weeks_in < 1 and status != "identified":
                status = "identified"
        if status == "identified" and term is self.term:
            opened = self.today - dt.timedelta(days=rng.randint(2, 24))
        else:
            opened = start + dt.timedelta(days=rng.randint(3, 24))
        opened = _next_school_day(max(start, min(opened, last)))
        if opened > self.today:
            opened = self.today
        closed = None
        if status == "closed":
            if term is self.term:
                span = (last - opened).days
                closed = opened + dt.timedelta(days=rng.randint(min(21, span), span)) \
                    if span > 0 else opened
            else:
                closed = term.end - dt.timedelta(days=rng.randint(0, 10))
            closed = max(opened, closed)
        grade = st.cls.grade if term is self.term else st.cls.grade - (
            1 if self.term.semester == 1 else 0)
        grade = max(7, grade)
        categories = self.categories(st)
        causes = self.causes(st, categories)
        subjects = []
        for _ in range(2):
            subj = self.weighted(WEAK_SUBJECTS[grade])
            if subj not in subjects:
                subjects.append(subj)
        case = _Case(self.case_id, st, term, status, opened, closed, categories, causes,
                     subjects, grade)
        self.case_id += 1
        self.make_team(case)
        return case

    def categories(self, st: _Student) -> list[str]:
        rng = self.rng
        cats = []
        if rng.random() < 0.85:
            cats.append("academic")
        for code, p in (("behaviour", 0.3), ("psychological", 0.22), ("interpersonal", 0.12),
                        ("attendance", 0.08)):
            if rng.random() < p:
                cats.append(code)
        if ("low_income" in st.flags or "orphan" in st.flags) and rng.random() < 0.6:
            cats.append("economic")
        if not cats:
            cats.append("academic")
        if len(cats) > 3:
            cats = cats[:1] + sorted(cats[1:], key=lambda c: rng.random())[:2]
        return [c for c in CATEGORIES if c in cats]

    def causes(self, st: _Student, categories: list[str]) -> list[str]:
        rng = self.rng
        weights: dict[str, float] = {}

        def add(codes, w):
            for code in codes:
                weights[code] = weights.get(code, 0) + w

        add(("other", "teaching", "society"), 0.3)
        for cat in categories:
            add(CATEGORY_CAUSES[cat], 2.0)
        for flag in st.flags:
            add(FLAG_CAUSES.get(flag, ()), 3.0)
        want = rng.randint(2, 4)
        codes = list(weights)
        picked: list[str] = []
        while len(picked) < min(want, len(codes)):
            code = rng.choices(codes, weights=[weights[c] for c in codes])[0]
            if code not in picked:
                picked.append(code)
        return [c for c in CAUSES if c in picked]

    def make_team(self, case: _Case) -> None:
        rng = self.rng
        cls = case.student.cls
        load = self.lead_load
        if "psychological" in case.categories and rng.random() < 0.08 and self.counsellors:
            lead = min(self.counsellors, key=lambda s: (load.get(s, 0), s))
        else:
            options = [cls.head] + cls.teachers
            lead = min(options, key=lambda s: (load.get(s, 0) - (1.2 if s == cls.head else 0)
                                               + rng.random() * 1.5, s))
        load[lead] = load.get(lead, 0) + 1
        team = [_Member(lead, "lead", case.opened)]
        # now and then the lead changed after a few weeks
        handover = case.opened + dt.timedelta(days=rng.randint(14, 28))
        if rng.random() < 0.04 and handover < min(case.closed or self.yesterday, self.yesterday):
            others = [s for s in [cls.head] + cls.teachers if s != lead]
            if others:
                new = self.pick(others)
                team[0].until = handover
                team.append(_Member(new, "lead", handover))
                load[new] = load.get(new, 0) + 1
        helpers = rng.choices((0, 1, 2), weights=(3, 5, 2))[0]
        roles = []
        if "psychological" in case.categories and rng.random() < 0.7:
            roles.append("counsellor")
        while len(roles) < helpers:
            roles.append(self.weighted((("tutor", 6), ("volunteer", 2), ("counsellor", 1))))
        leads = {m.staff for m in team}
        for role in roles[:2]:
            if role == "tutor":
                pool = [s for s in [cls.head] + cls.teachers if s not in leads]
            elif role == "counsellor":
                pool = self.counsellors
            else:
                pool = self.volunteers
            pool = [s for s in pool if all(m.staff != s for m in team)]
            if pool:
                team.append(_Member(self.pick(pool), role, case.opened))
        case.team = team

    # -- case texts and goals --------------------------------------------
    def topic(self, case: _Case, subj: str | None = None) -> str:
        subj = subj or case.subjects[0]
        topics = TOPICS.get((subj, case.grade)) or TOPICS.get((subj, 9)) or ("基础知识",)
        return self.pick(topics)

    def case_texts(self, case: _Case) -> tuple[str, str, str, str, str]:
        rng = self.rng
        st = case.student
        picks = sorted(rng.sample(range(len(STRENGTHS)), rng.randint(2, 3)))
        strengths = "；".join(STRENGTHS[i] for i in picks) + "。"

        scale = 120 if case.grade >= 8 or case.term.semester == 2 else 100
        scores = [round(scale * rng.uniform(0.32, 0.62)) for _ in range(3)]
        n_grade = max(1, round(self.n / 3))
        rank = n_grade - rng.randrange(max(1, n_grade // 5))
        if case.grade == 7 and case.term.semester == 1:
            academic = (f"小学毕业考试语文{scores[0]}分、数学{scores[1]}分、英语{scores[2]}分"
                        f"（满分{scale}分）。")
        else:
            academic = (f"上学期期末语文{scores[0]}分、数学{scores[1]}分、英语{scores[2]}分"
                        f"（满分{scale}分），年级第{rank}名（共{n_grade}人）。")
        academic += f"{case.subjects[0]}基础较弱，{self.topic(case)}等内容掌握不好。"

        problems = []
        for cat in case.categories:
            problems.append(self.pick(PROBLEMS[cat]).format(
                subj="、".join(case.subjects), n=rng.randint(2, 6)))
        main_problems = "；".join(problems) + "。"

        analysis = []
        for i, (label, codes) in enumerate(
                [g for g in CAUSE_GROUPS if any(c in case.causes for c in g[1])], 1):
            texts = [CAUSE_TEXT[c] for c in codes if c in case.causes]
            analysis.append(f"{i}. {label}：{'；'.join(texts)}。")
        cause_analysis = "\n".join(analysis)

        measures = []
        for code in case.categories + case.causes:
            text = MEASURES.get(code)
            if text and text not in measures:
                measures.append(text)
        mates = [s for s in self.classmates[st.cls.id] if s is not st]
        if mates:
            measures.insert(1, f"安排{self.pick(mates).name}同学结对帮扶，课间答疑")
        measures.append("每两到三周与家长电话或微信沟通一次，每学期家访一次")
        measures = [m.format(subj=case.subjects[0], topic=self.topic(case)) for m in measures[:6]]
        measure_text = "\n".join(f"{i}. {m}；" if i < len(measures) else f"{i}. {m}。"
                                 for i, m in enumerate(measures, 1))
        return strengths, academic, main_problems, cause_analysis, measure_text

    def goals(self, case: _Case, gid: int) -> list[tuple]:
        rng = self.rng
        rows = []
        cats = [c for c in case.categories if c in SHORT_GOALS] or ["academic"]
        n_short = rng.choice((1, 2))
        used = set()
        for i in range(n_short):
            cat = cats[i % len(cats)]
            text, measure = self.pick(SHORT_GOALS[cat])
            text = text.format(subj=case.subjects[0], target=self.pick((60, 70, 75, 80)),
                               topic=self.topic(case))
            if text in used:
                continue
            used.add(text)
            due = case.opened + dt.timedelta(days=rng.randint(21, 49))
            rows.append((gid + len(rows), case.id, "short", text, measure, due,
                         self.goal_status(case, due)))
        text, measure = self.pick(LONG_GOALS)
        text = text.format(subj=case.subjects[0], pct=self.pick((50, 60, 70)))
        rows.append((gid + len(rows), case.id, "long", text, measure, case.term.end,
                     self.goal_status(case, case.term.end)))
        return rows

    def reviews_and_peers(self, base: dict[str, int]) -> None:
        """A stage review about every month of each case, a few open cases behind
        with theirs; a peer helper from the class for about a third of the cases."""
        rng = self.rng2
        goals: dict[int, list[tuple]] = {}
        for row in self.rows["goal"]:
            goals.setdefault(row[1], []).append(row)
        supported = {c.student.id for c in self.cases}
        helpers: dict[int, list[_Student]] = {}
        for st in self.students:
            if st.id not in supported:
                helpers.setdefault(id(st.cls), []).append(st)
        reviews, pairs = [], []
        rid, pid = base["stage_review"], base["peer_pair"]
        open_now = ("identified", "active", "improving")
        for case in self.cases:
            end = min(case.closed or case.term.end, self.yesterday)
            days = []
            day = case.opened + dt.timedelta(days=rng.randint(26, 33))
            while day <= end:
                days.append(_next_school_day(day) if _next_school_day(day) <= end else day)
                day = days[-1] + dt.timedelta(days=rng.randint(27, 35))
            behind = case.term is self.term and case.status in open_now and rng.random() < 0.12
            if behind and days:
                days.pop()  # the latest review was never held
            for day in days:
                team = self.team_on(case, day)
                author = next((m.staff for m in team if m.role == "lead"),
                              team[0].staff if team else case.team[0].staff)
                judged = [[g[0], g[3], g[6] if g[5] and g[5] <= day else "open"]
                          for g in goals.get(case.id, ())]
                st = case.student
                summary = self.pick_from(rng, REVIEW_SUMMARIES).format(
                    name=st.given if len(st.given) > 1 else st.name,
                    subj=rng.choice(case.subjects))
                reviews.append((rid, str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                                case.id, day, summary, json.dumps(judged, ensure_ascii=False),
                                day + dt.timedelta(days=30), author,
                                dt.datetime.combine(day, dt.time(17, rng.randrange(50)))))
                rid += 1
            pool = helpers.get(id(case.student.cls), [])
            if pool and case.term is self.term and rng.random() < 0.35:
                helper = rng.choice(pool)
                since = min(case.opened + dt.timedelta(days=rng.randint(3, 14)), self.today)
                ended = case.status in ("closed", "transformed")
                pairs.append((pid, case.id, helper.id, rng.choice(PEER_FOCUS), since, not ended))
                pid += 1
        self.rows["stage_review"] = reviews
        self.rows["peer_pair"] = pairs

    def lead_on(self, case: _Case, day: dt.date) -> int:
        team = self.team_on(case, day)
        return next((m.staff for m in team if m.role == "lead"), case.team[0].staff)

    def scores_and_checkins(self, base: dict[str, int]) -> None:
        """This term's exams for the supported students (those sat since the case
        opened) and a monthly check-in for the psychological cases."""
        rng = self.rng3
        new_uuid = lambda: str(uuid.UUID(int=rng.getrandbits(128), version=4))  # noqa: E731
        cases = [c for c in self.cases if c.term is self.term]
        exams = [(name, day) for name, day in exams_for(self.term) if day < self.today]
        # each class's marks go in on one grid, a school day or three after the exam
        entered: dict[tuple[int, str], dt.datetime] = {}
        for name, day in exams:
            for cls in self.classes:
                when = min(_next_school_day(day + dt.timedelta(days=rng.randint(1, 3))),
                           self.yesterday)
                entered[(cls.id, name)] = dt.datetime.combine(
                    when, dt.time(rng.randint(16, 20), rng.randrange(60)))
        # how hard each paper was, the same for everyone who sat it
        paper = {(name, subj): rng.gauss(1.0, 0.012) for name, _ in exams
                 for subj in EXAM_SUBJECTS}
        full = EXAM_FULL_MARKS
        scores = []
        for case in cases:
            sat = [(name, day) for name, day in exams if day >= case.opened]
            if not sat:
                continue
            st = case.student
            level = rng.uniform(0.40, 0.65)
            mean, spread = SCORE_TRENDS[case.status]
            trend = rng.gauss(mean, spread)
            subjects = {}
            for subj in EXAM_SUBJECTS:
                weak = subj in case.subjects  # lower, and the tutoring goes there
                subjects[subj] = (level + rng.gauss(0, 0.04) - (rng.uniform(0.04, 0.1)
                                                                 if weak else 0),
                                  trend + (0.04 if weak else -0.02))
            last = len(sat) - 1
            for k, (name, day) in enumerate(sat):
                absent = (self.pick_from(rng, EXAM_SUBJECTS) if rng.random() < ABSENT
                          else None)
                when = entered[(st.cls.id, name)]
                author = self.lead_on(case, when.date())
                along = k / last if last else 0.0
                for subj in EXAM_SUBJECTS:
                    if subj == absent:
                        continue
                    start, rise = subjects[subj]
                    share = start * (1 + rise * along) * paper[(name, subj)] + rng.gauss(0, 0.03)
                    points = min(full, max(0.0, share * full))
                    if subj in HALF_MARK_SUBJECTS and rng.random() < 0.15:
                        points = min(full, int(points) + 0.5)
                    else:
                        points = float(round(points))
                    scores.append((new_uuid(), st.id, name, subj, day, points, full, author,
                                   1, when))
        # ids in the order the grids were saved
        order = {subj: i for i, subj in enumerate(EXAM_SUBJECTS)}
        scores.sort(key=lambda r: (r[9], r[1], order[r[3]]))
        self.rows["score"] = [(i, *row) for i, row in enumerate(scores, base["score"])]

        checkins = []
        dims = DEFAULT_DIMENSIONS
        for case in cases:
            if "psychological" not in case.categories:
                continue
            end = min(case.closed or self.term.end, self.term.end, self.yesterday)
            day = _next_school_day(case.opened + dt.timedelta(days=rng.randint(2, 10)))
            start = {d: rng.uniform(1.6, 3.2) for d in dims}
            if "interpersonal" in case.categories:
                start["relationships"] -= 0.5
            if "confidence" in case.causes:
                start["confidence"] -= 0.5
            drift = rng.gauss(0.3, 0.25)  # per month: most feel a little better
            k, before = 0, None
            while day <= end:
                setback = before is not None and rng.random() < 0.12  # a bad month
                ratings = {d: min(5, max(1, round(start[d] + drift * k - (1 if setback else 0)
                                                  + rng.gauss(0, 0.45))))
                           for d in dims}
                mood = sum(ratings.values()) / len(dims)
                note = ""
                if before is None:
                    if rng.random() < 0.5:
                        note = self.pick_from(rng, CHECKIN_FIRST)
                elif setback and rng.random() < 0.8:
                    note = self.pick_from(rng, CHECKIN_DOWN)
                elif rng.random() < 0.45:
                    note = self.pick_from(rng, CHECKIN_UP if mood > before + 0.2 else
                                          CHECKIN_DOWN if mood < before - 0.2 else
                                          CHECKIN_SAME)
                when = dt.datetime.combine(day, dt.time(rng.randint(12, 17), rng.randrange(60)))
                checkins.append((new_uuid(), case.student.id, day,
                                 json.dumps(ratings, ensure_ascii=False, sort_keys=True), note,
                                 self.lead_on(case, day), 1, when))
                before, k = mood, k + 1
                day = _next_school_day(day + dt.timedelta(days=rng.randint(27, 34)))
        checkins.sort(key=lambda r: (r[7], r[1]))
        self.rows["checkin"] = [(i, *row) for i, row in enumerate(checkins, base["checkin"])]

    @staticmethod
    def pick_from(rng: random.Random, seq):
        return seq[rng.randrange(len(seq))]

    def goal_status(self, case: _Case, due: dt.date) -> str:
        status = case.status
        if due >= self.today and status not in ("closed", "transformed"):
            return "open"
        if due >= self.today and status == "transformed":
            return self.weighted((("open", 5), ("met", 5)))
        table = {"closed": (("met", 6), ("partly", 3), ("not_met", 1)),
                 "transformed": (("met", 8), ("partly", 2)),
                 "improving": (("met", 5), ("partly", 4), ("not_met", 1)),
                 "active": (("met", 2), ("partly", 4), ("not_met", 3), ("dropped", 1)),
                 "identified": (("partly", 1), ("open", 2))}
        return self.weighted(table[status])

    # -- contacts --------------------------------------------------------
    def team_on(self, case: _Case, day: dt.date) -> list[_Member]:
        return [m for m in case.team if m.since <= day and (m.until is None or day < m.until)]

    def author(self, case: _Case, day: dt.date, roles) -> int:
        team = self.team_on(case, day)
        pairs = [(m.staff, w) for m in team for role, w in roles if m.role == role]
        if not pairs:
            return next(m.staff for m in team if m.role == "lead")
        return self.weighted(pairs)

    def at(self, day: dt.date, slots) -> dt.datetime:
        hour, minute = self.pick(slots)
        return dt.datetime.combine(day, dt.time(hour, minute + self.rng.randrange(10)))

    def build_contacts(self, base: dict[str, int]) -> None:
        self.contacts: list[tuple] = []
        for case in self.cases:
            last = min(case.closed or case.term.end, case.term.end, self.yesterday)
            if last < case.opened:
                continue
            days = school_days(case.opened, last)
            if not days:
                continue
            self.student_sessions(case, days)
            self.family_contacts(case, days)
            self.colleague_contacts(case, days)
        # ids in the order the entries happened, as if typed day by day
        self.contacts.sort(key=lambda row: (row[3], row[1], row[0]))
        self.rows["contact"] = [(i, *row) for i, row in enumerate(self.contacts, base["contact"])]

    def add_contact(self, case: _Case, when: dt.datetime, kind: str, channel: str,
                    author: int, participants: str, duration: int, discussed: str,
                    agreed: str) -> None:
        rng = self.rng
        follow_up, due, done = "", None, None
        if rng.random() < 0.22:
            follow_up = self.pick(FOLLOW_UPS[kind])
            if kind == "family" and "attendance" in case.categories and rng.random() < 0.5:
                follow_up = "了解请假原因"
            due = when.date() + dt.timedelta(days=rng.randint(2, 10))
            # most follow-ups get done; the old ones that did not would have been
            # chased long ago, so fewer of those are still open
            old = due < self.today - dt.timedelta(days=30)
            if due < self.today and rng.random() < (0.97 if old else 0.8):
                done = min(due, when.date() + dt.timedelta(days=rng.randint(1, 7)),
                           self.yesterday)
        created = when + dt.timedelta(minutes=duration + rng.randint(2, 90))
        if created.date() != when.date():
            created = when
        uid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        self.contacts.append((uid, case.id, author, when, kind, channel, participants,
                              duration, discussed, agreed, follow_up, due, done, created, HOST))

    def fill(self, template: str, case: _Case) -> str:
        """Fill a template's blanks; only the blanks it has draw from the rng."""
        if "{" not in template:
            return template
        rng = self.rng
        st = case.student
        values = {"name": st.given if len(st.given) > 1 else st.name}
        if "{subj}" in template or "{topic}" in template:
            values["subj"] = subj = self.pick(case.subjects)
            values["topic"] = self.topic(case, subj)
        if "{n}" in template:
            values["n"] = rng.randint(1, 4)
        if "{score}" in template:
            values["score"] = round((120 if case.grade >= 8 else 100) * rng.uniform(0.35, 0.7))
        if "{mood}" in template:
            values["mood"] = self.pick(MOODS)
        if "{k}" in template:
            values["k"] = k = rng.randint(15, 30)
            values["m"] = rng.randint(k // 3, k)
        if "{a}" in template:
            values.update(a=rng.randint(50, 85), b=rng.randint(35, 80), c=rng.randint(30, 80))
        return template.format(**values)

    def student_sessions(self, case: _Case, days: list[dt.date]) -> None:
        rng = self.rng
        p = {"identified": 0.55, "active": 0.9, "improving": 0.88, "transformed": 0.6,
             "closed": 0.8}[case.status]
        weeks: dict[dt.date, list[dt.date]] = {}
        for day in days:
            weeks.setdefault(day - dt.timedelta(days=day.weekday()), []).append(day)
        slots = ((7, 20), (10, 10), (12, 30), (12, 40), (13, 0), (16, 40), (16, 50),
                 (17, 10), (17, 20))
        for week_days in weeks.values():
            if rng.random() >= p:
                continue
            count = 2 if rng.random() < 0.25 and len(week_days) > 1 else 1
            for day in sorted(rng.sample(week_days, count)):
                author = self.author(case, day, (("lead", 6), ("tutor", 3), ("counsellor", 2),
                                                  ("volunteer", 2)))
                role = next(m.role for m in self.team_on(case, day) if m.staff == author)
                if role == "counsellor":
                    talk, duration = self.pick(COUNSEL_TALK), rng.randint(30, 50)
                elif role == "volunteer":
                    talk, duration = self.pick(VOLUNTEER_TALK), rng.randint(30, 60)
                else:
                    talk = self.pick([t for t in STUDENT_TALK
                                      if t[2] is None or t[2] in case.subjects])
                    duration = rng.randint(10, 40)
                self.add_contact(case, self.at(day, slots), "student", "face", author,
                                 case.student.name, duration, self.fill(talk[0], case),
                                 self.fill(talk[1], case))

    def family_contacts(self, case: _Case, days: list[dt.date]) -> None:
        rng = self.rng
        guardians = case.student.guardians
        if not guardians:
            return
        stop = case.overdue_from or days[-1] + dt.timedelta(days=1)
        usable = [d for d in days if d < stop]
        if not usable:
            return

        def who() -> dict:
            home = [g for g in guardians if g["lives_with"]]
            if home and rng.random() < 0.75:
                return self.pick(home)
            return self.pick(guardians)

        def label(g: dict) -> str:
            return f"{g['label']} {g['name']}"

        evening = ((12, 10), (12, 40), (17, 40), (18, 30), (19, 10), (19, 40), (20, 10))
        channels = (("phone", 36), ("wechat", 36), ("sms", 7), ("face", 8), ("group_chat", 5))
        family_roles = (("lead", 16), ("tutor", 2), ("counsellor", 2))
        day = case.opened + dt.timedelta(days=rng.randint(0, 5))
        previous, final = None, False
        while True:
            day = _next_school_day(day)
            if day > usable[-1]:
                # overdue: the last call falls just before the silence began
                if (case.overdue_from is None or previous is None
                        or (usable[-1] - previous).days < 8):
                    break
                day, final = usable[-1], True
            channel = self.weighted(channels)
            g = who()
            if channel in ("phone", "wechat") and not g["lives_with"]:
                talk = ("向在外务工的家长介绍孩子近期在校情况", "家长每周至少与孩子视频两次")
            else:
                talk = self.pick(FAMILY_TALK[channel])
            when = self.at(day, ((16, 40), (17, 0)) if channel == "face" else
                           ((18, 0), (19, 0)) if channel == "group_chat" else evening)
            duration = {"phone": rng.randint(5, 20), "wechat": rng.randint(5, 20), "sms": 5,
                        "face": rng.randint(20, 45), "group_chat": rng.randint(5, 10)}[channel]
            participants = "班级家长群；" + label(g) if channel == "group_chat" else label(g)
            self.add_contact(case, when, "family", channel,
                             self.author(case, day, family_roles), participants, duration,
                             self.fill(talk[0], case), self.fill(talk[1], case))
            if final:
                break
            previous = day
            day += dt.timedelta(days=rng.randint(13, 25))

        # a home visit once a term for many, nearly all left-behind children
        left = any(f.startswith("left_behind") or f == "grandparent_care"
                   for f in case.student.flags)
        if len(usable) > 10 and rng.random() < (0.85 if left else 0.45):
            day = self.pick(usable[5:])
            g = who()
            talk = self.pick(FAMILY_TALK["home_visit"])
            team = [m.staff for m in self.team_on(case, day) if m.role in ("lead", "tutor")]
            names = "、".join(self.staff_name[s] for s in team[1:2])
            self.add_contact(case, self.at(day, ((16, 40), (17, 0), (17, 20))), "family",
                             "home_visit", self.author(case, day, (("lead", 1),)),
                             label(g) + (f"；{names}老师同行" if names else ""),
                             rng.randint(40, 60), self.fill(talk[0], case),
                             self.fill(talk[1], case))
        # the mid-term parent meeting
        meeting = case.term.midterm
        if usable[0] < meeting <= usable[-1] and rng.random() < 0.75:
            g = who()
            talk = self.pick(FAMILY_TALK["parent_meeting"])
            self.add_contact(case, self.at(meeting, ((15, 0), (15, 30), (16, 0))), "family",
                             "parent_meeting", self.author(case, meeting, (("lead", 1),)),
                             label(g), rng.randint(15, 30), self.fill(talk[0], case),
                             self.fill(talk[1], case))

    def colleague_contacts(self, case: _Case, days: list[dt.date]) -> None:
        rng = self.rng
        for i in range(20, len(days), 25):
            if rng.random() >= 0.4:
                continue
            day = days[i]
            team = self.team_on(case, day)
            if len(team) < 2:
                continue
            author = self.author(case, day, (("lead", 1),))
            others = "、".join(self.staff_name[m.staff] for m in team if m.staff != author)
            talk = (COUNSELLOR_TALK if any(m.role == "counsellor" for m in team)
                    and rng.random() < 0.5 else self.pick(COLLEAGUE_TALK))
            self.add_contact(case, self.at(day, ((12, 20), (15, 50), (16, 40))), "colleague",
                             "face", author, others, rng.randint(10, 30),
                             self.fill(talk[0], case), self.fill(talk[1], case))

    # -- rows for the case tables ----------------------------------------
    def case_rows(self, base: dict[str, int]) -> None:
        cases, assignments, goals = [], [], []
        aid, gid = base["assignment"], base["goal"]
        for case in self.cases:
            texts = self.case_texts(case)
            risk = self.weighted((("low", 3), ("medium", 5), ("high", 2)))
            if ("attendance" in case.categories or "orphan" in case.student.flags
                    or len(case.categories) >= 3):
                risk = self.weighted((("medium", 1), ("high", 2)))
            if case.status in ("transformed", "closed"):
                risk = "low"
            lead = next(m.staff for m in case.team if m.role == "lead" and m.until is None)
            updated = dt.datetime.combine(case.closed or case.opened, dt.time(16, 30))
            cases.append((case.id, case.student.id, case.term.id, case.status,
                          ",".join(case.categories), ",".join(case.causes), risk, *texts,
                          case.opened, case.closed, 1, updated, lead))
            for m in case.team:
                assignments.append((aid, case.id, m.staff, m.role, m.since, m.until is None))
                aid += 1
            rows = self.goals(case, gid)
            goals.extend(rows)
            gid += len(rows)
        self.rows["case_file"] = cases
        self.rows["assignment"] = assignments
        self.rows["goal"] = goals


DEMO_PIN = "1234"  # every demo account's PIN (the README says so)
_demo_hash: str | None = None


def demo_pin_hash() -> str:
    """One salted hash for every demo account: a demo is not a school."""
    global _demo_hash
    if _demo_hash is None:
        from db.accounts import hash_pin

        _demo_hash = hash_pin(DEMO_PIN)
    return _demo_hash


FIELDS = {
    "term": (Term.id, Term.name, Term.school_year, Term.semester, Term.start_date,
             Term.end_date),
    "staff": (Staff.id, Staff.name, Staff.pinyin, Staff.initials, Staff.role, Staff.active,
              Staff.created_at, Staff.pin_hash, Staff.classes),
    "school_class": (SchoolClass.id, SchoolClass.name, SchoolClass.code, SchoolClass.grade,
                     SchoolClass.head_teacher),
    "student": (Student.id, Student.student_no, Student.name, Student.gender,
                Student.school_class, Student.birth_date, Student.family_flags,
                Student.family_notes, Student.pinyin, Student.initials, Student.version,
                Student.created_at, Student.updated_at),
    "guardian": (Guardian.id, Guardian.student, Guardian.name, Guardian.relation,
                 Guardian.phone, Guardian.wechat, Guardian.lives_with, Guardian.notes),
    "case_file": (Case.id, Case.student, Case.term, Case.status, Case.categories, Case.causes,
                  Case.risk_level, Case.strengths, Case.academic_base, Case.main_problems,
                  Case.cause_analysis, Case.measures, Case.opened_on, Case.closed_on,
                  Case.version, Case.updated_at, Case.updated_by),
    "assignment": (Assignment.id, Assignment.case, Assignment.staff, Assignment.role,
                   Assignment.assigned_on, Assignment.active),
    "goal": (Goal.id, Goal.case, Goal.horizon, Goal.text, Goal.measure, Goal.due_date,
             Goal.status),
    "stage_review": (StageReview.id, StageReview.uuid, StageReview.case,
                     StageReview.review_date, StageReview.summary, StageReview.goals,
                     StageReview.next_review, StageReview.author, StageReview.created_at),
    "peer_pair": (PeerPair.id, PeerPair.case, PeerPair.helper, PeerPair.focus, PeerPair.since,
                  PeerPair.active),
    "score": (Score.id, Score.uuid, Score.student, Score.exam, Score.subject, Score.taken_on,
              Score.score, Score.full_marks, Score.author, Score.version, Score.updated_at),
    "checkin": (Checkin.id, Checkin.uuid, Checkin.student, Checkin.taken_on, Checkin.ratings,
                Checkin.note, Checkin.author, Checkin.version, Checkin.updated_at),
    "contact": (Contact.id, Contact.uuid, Contact.case, Contact.author, Contact.occurred_at,
                Contact.kind, Contact.channel, Contact.participants, Contact.duration_min,
                Contact.discussed, Contact.agreed, Contact.follow_up, Contact.follow_up_due,
                Contact.follow_up_done_on, Contact.created_at, Contact.host),
    "audit_log": (AuditLog.id, AuditLog.at, AuditLog.staff, AuditLog.staff_name,
                  AuditLog.host, AuditLog.table_name, AuditLog.row_id, AuditLog.action,
                  AuditLog.changes),
}
MODELS = {"term": Term, "staff": Staff, "school_class": SchoolClass, "student": Student,
          "guardian": Guardian, "case_file": Case, "assignment": Assignment, "goal": Goal,
          "stage_review": StageReview, "peer_pair": PeerPair, "contact": Contact,
          "score": Score, "checkin": Checkin, "audit_log": AuditLog}
CHUNK = 2000  # rows written between two progress reports


def _next_id(model) -> int:
    return (model.select(fn.MAX(model.id)).scalar() or 0) + 1


def _write(model, fields, rows) -> None:
    """Write what ``model.insert_many(rows, fields=fields)`` would (each value
    through its field's ``db_value``) as one prepared statement run over the
    rows: building the SQL text of a many-row insert cost peewee several times
    what SQLite takes to write the rows."""
    sql = 'INSERT INTO "{}" ({}) VALUES ({})'.format(
        model._meta.table_name, ", ".join(f'"{f.column_name}"' for f in fields),
        ", ".join([database.obj.param] * len(fields)))
    convert = [f.db_value for f in fields]
    database.cursor().executemany(sql, [tuple(c(v) for c, v in zip(convert, row))
                                        for row in rows])


def build_demo(students: int = 1500, seed: int = 1,
               progress: ProgressFn | None = None) -> dict[str, int]:
    """Fill the bound, empty database with a demo school; return rows per table.

    The same ``seed`` on the same ``clock.today()`` gives the same content.
    Raises ``ValueError`` when the database already has students or classes.
    """
    if students < 1:
        raise ValueError("students must be at least 1")
    total = 10 * students  # generating is about a third of the work, writing the rest
    report = progress or (lambda done, total: None)
    report(0, total)

    try:
        return _build_demo(students, seed, total, report)
    except BaseException:
        clock.forget()  # the demo's mark went with the rollback
        raise


def _build_demo(students: int, seed: int, total: int, report: ProgressFn) -> dict[str, int]:
    from db import journal

    with journal.transaction():  # one BEGIN IMMEDIATE: all or nothing
        if Student.select().exists():
            raise ValueError("the database already has students")
        if SchoolClass.select().exists():
            raise ValueError("the database already has classes")
        # a demo: BANGFU_TODAY / BANGFU_NOW count on it from here on (db.clock)
        clock.mark_database("demo", at=dt.time(6, 0))
        today = clock.today()
        base = {name: _next_id(model) for name, model in MODELS.items()}
        builder = _Builder(students, seed, today)
        builder.staff_names.update(n for (n,) in Staff.select(Staff.name).tuples())

        counts: dict[str, int] = {}
        term_rows = []
        tid = base["term"]
        for term in (builder.prev, builder.term):
            existing = (Term.select(Term.id).where((Term.school_year == term.school_year)
                                                   & (Term.semester == term.semester))
                        .order_by(Term.id).scalar())
            if existing:
                term.id = existing
            else:
                term.id = tid
                term_rows.append((tid, term.name, term.school_year, term.semester,
                                  term.start, term.stored_end or term.end))
                tid += 1
        builder.rows["term"] = term_rows

        builder.build_school(base)
        builder.build_students(base)
        report(students, total)
        builder.build_cases(base)
        builder.case_rows(base)
        builder.build_contacts(base)
        builder.reviews_and_peers(base)
        builder.scores_and_checkins(base)
        report(3 * students, total)

        order = ("term", "staff", "school_class", "student", "guardian", "case_file",
                 "assignment", "goal", "stage_review", "peer_pair", "contact", "score",
                 "checkin")
        n_rows = sum(len(builder.rows[name]) for name in order) or 1
        written = 0
        for name in order:
            rows = builder.rows[name]
            fields = FIELDS[name]
            for i in range(0, len(rows), CHUNK):
                part = rows[i:i + CHUNK]
                _write(MODELS[name], fields, part)
                written += len(part)
                report(3 * students + 7 * students * written // n_rows, total)
            counts[name] = len(rows)

        at = dt.datetime.combine(today, dt.time(6, 0))
        audit_rows = []
        aid = base["audit_log"]
        for name in order:
            if counts[name]:
                changes = json.dumps({"rows": counts[name], "source": "demo", "seed": seed},
                                     ensure_ascii=False, sort_keys=True)
                audit_rows.append((aid, at, None, "demo", HOST, name, "", "bulk", changes))
                aid += 1
        # chained like every audit row (db.audit); the staff row seals the accounts made here
        from db import audit

        made = audit.bulk_seal([row[0] for row in builder.rows["staff"]])
        audit.append_many([dict(zip(("id", "at", "staff", "staff_name", "host", "table_name",
                                     "row_id", "action", "changes"), row),
                                seal=made if row[5] == "staff" else "") for row in audit_rows])
        counts["audit_log"] = len(audit_rows) + 1  # and the demo's mark (db.clock)
        if on_server():  # the rows were written with their ids
            from db.server import reset_sequences

            reset_sequences(database.obj)
    report(total, total)
    return counts


def main(argv: list[str] | None = None) -> int:
    import argparse
    import time

    from db.connection import open_database

    parser = argparse.ArgumentParser(prog="python -m db.demo",
                                     description="Fill a new database with a demo school.")
    parser.add_argument("path")
    parser.add_argument("--students", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    db = open_database(args.path, create=True)
    started = time.perf_counter()
    try:
        counts = build_demo(args.students, args.seed)
    except ValueError as exc:
        print(f"not built: {exc}")
        return 1
    finally:
        db.close()
    for name, count in counts.items():
        print(f"{name:14} {count:8,}")
    print(f"built in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
