"""Fallback demo school for the benchmarks, used only when `bangfu demo` is unavailable.

    python bench/_school.py OUT.db [STUDENTS]

Builds a school through the project's own schema (migrations via
``db.store.connection.open_database``) and search keys (``db.pinyin.name_keys``),
with bulk inserts: classes like 七年级(3)班 / 7-3, staff, students with
guardians, ~15% of students with a case, a lead and a few contacts each.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import uuid
from pathlib import Path

SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
            "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
            "龚邵万钱严覃武戴莫孔向汤单解仇区查朴盖乐")
GIVEN = ("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国红玉梅林文辉鹏飞宇浩然子轩涵梓萱欣"
         "怡雨嘉琪博思晨睿诗佳俊雪婷昊天一凡心晓东志鑫海燕颖琳慧佩楠锦瑶萌晶晶宁安家乐逸晴可馨")
GRADES = [(7, "七年级"), (8, "八年级"), (9, "九年级"), (10, "高一"), (11, "高二"), (12, "高三")]
STATUSES = ("identified", "active", "active", "improving", "transformed", "closed")
CHANNELS = ("phone", "wechat", "sms", "face", "home_visit", "parent_meeting", "group_chat")
KINDS = ("family", "student", "family", "student", "colleague")
TEXTS = ("与家长电话沟通孩子作业完成情况，家长表示会每天检查。",
         "课后面批数学作业，订正了三道错题，讲解了解题思路。",
         "谈心：最近睡眠不足，上课注意力不集中，约定每晚十点前睡觉。",
         "家访：爷爷奶奶照顾，父母在外务工，商定每周视频通话一次。",
         "Talked about homework and the next test; agreed on a daily check.")


def name(rng: random.Random) -> str:
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


def build(path: Path, students: int, seed: int = 1) -> None:
    from db import clock
    from db.store.connection import open_database
    from db.models import (Assignment, AuditLog, Case, Contact, Guardian, SchoolClass, Staff,
                           Student, Term, database)
    from db.pinyin import name_keys

    rng = random.Random(seed)
    if path.exists():
        path.unlink()
    db = open_database(path, create=True)
    db.execute_sql("PRAGMA synchronous=OFF")
    clock.mark_database("test")  # a benchmark's school: BANGFU_TODAY counts on it (db.clock)
    today = clock.today()
    now = clock.now()
    per_class = 50
    n_classes = max(1, -(-students // per_class))
    per_grade = -(-n_classes // len(GRADES))
    with database.atomic():
        term = Term.create(name="2026-2027 第一学期", school_year="2026-2027", semester=1,
                           start_date=dt.date(today.year if today.month >= 9 else today.year - 1, 9, 1),
                           end_date=dt.date(today.year + (1 if today.month >= 9 else 0), 1, 20))
        staff_rows = []
        names = ["王芳"] + [name(rng) for _ in range(max(20, students // 30))]
        roles = ("class_teacher", "teacher", "teacher", "counsellor", "coordinator")
        for n in names:
            p, i = name_keys(n)
            staff_rows.append(dict(name=n, pinyin=p, initials=i, role=rng.choice(roles),
                                   created_at=now))
        for chunk in range(0, len(staff_rows), 500):
            Staff.insert_many(staff_rows[chunk:chunk + 500]).execute()
        staff_ids = [s for (s,) in Staff.select(Staff.id).tuples()]

        class_rows = []
        for _g, (grade, label) in enumerate(GRADES):
            for k in range(1, per_grade + 1):
                if len(class_rows) >= n_classes:
                    break
                class_rows.append(dict(name=f"{label}({k})班", code=f"{grade}-{k}", grade=grade,
                                       head_teacher=rng.choice(staff_ids)))
        SchoolClass.insert_many(class_rows).execute()
        class_ids = [c for (c,) in SchoolClass.select(SchoolClass.id).order_by(SchoolClass.id).tuples()]

        student_rows = []
        for n in range(students):
            nm = name(rng)
            p, i = name_keys(nm)
            cls = class_ids[n // per_class]
            student_rows.append(dict(
                student_no=f"{2020 + (n * 7) % 6}{n:06d}", name=nm, gender=rng.choice("MF"),
                school_class=cls,
                birth_date=dt.date(2008 + rng.randrange(6), rng.randrange(1, 13), rng.randrange(1, 28)),
                family_flags=rng.choice(("", "", "left_behind_one", "grandparent_care,left_behind_both",
                                         "single_parent", "low_income")),
                family_notes="", pinyin=p, initials=i, created_at=now, updated_at=now))
        for chunk in range(0, len(student_rows), 500):
            Student.insert_many(student_rows[chunk:chunk + 500]).execute()
        student_ids = [s for (s,) in Student.select(Student.id).order_by(Student.id).tuples()]

        guardians = []
        for sid in student_ids:
            guardians.append(dict(student=sid, name=name(rng), relation="mother",
                                  phone=f"139{rng.randrange(10**8):08d}", lives_with=True))
            if rng.random() < 0.6:
                guardians.append(dict(student=sid, name=name(rng),
                                      relation=rng.choice(("father", "grandmother")),
                                      phone=f"138{rng.randrange(10**8):08d}", lives_with=rng.random() < 0.5))
        for chunk in range(0, len(guardians), 500):
            Guardian.insert_many(guardians[chunk:chunk + 500]).execute()

        case_students = rng.sample(student_ids, k=max(1, students * 15 // 100))
        case_rows = [dict(student=sid, term=term.id, status=rng.choice(STATUSES),
                          categories=rng.choice(("academic", "academic,behaviour", "psychological")),
                          causes=rng.choice(("habits,left_behind", "foundation,methods", "confidence")),
                          risk_level=rng.choice(("low", "medium", "high")),
                          main_problems="作业经常不交，基础薄弱", measures="每周两次面批，每月家访",
                          opened_on=today - dt.timedelta(days=rng.randrange(120)), updated_at=now)
                     for sid in case_students]
        for chunk in range(0, len(case_rows), 500):
            Case.insert_many(case_rows[chunk:chunk + 500]).execute()
        case_ids = [c for (c,) in Case.select(Case.id).tuples()]

        assignments, contacts = [], []
        for cid in case_ids:
            lead = rng.choice(staff_ids)
            assignments.append(dict(case=cid, staff=lead, role="lead", assigned_on=today, active=True))
            if rng.random() < 0.3:
                assignments.append(dict(case=cid, staff=rng.choice(staff_ids), role="tutor",
                                        assigned_on=today, active=True))
            for _ in range(rng.randrange(0, 9)):
                when = dt.datetime.combine(today - dt.timedelta(days=rng.randrange(100)),
                                           dt.time(8 + rng.randrange(10), rng.choice((0, 15, 30, 45))))
                contacts.append(dict(uuid=str(uuid.UUID(int=rng.getrandbits(128), version=4)), case=cid,
                                     author=lead, occurred_at=when, kind=rng.choice(KINDS),
                                     channel=rng.choice(CHANNELS), discussed=rng.choice(TEXTS),
                                     agreed="", follow_up="", created_at=now, host="benchgen"))
        for chunk in range(0, len(assignments), 500):
            Assignment.insert_many(assignments[chunk:chunk + 500]).execute()
        for chunk in range(0, len(contacts), 500):
            Contact.insert_many(contacts[chunk:chunk + 500]).execute()
        AuditLog.create(at=now, staff=None, staff_name="", host="benchgen", table_name="demo",
                        row_id="", action="bulk", changes='{"students": %d}' % students)
    db.execute_sql("PRAGMA synchronous=FULL")
    db.close()
    print(f"built {path}: {students} students, {len(staff_ids)} staff, {len(case_ids)} cases, "
          f"{len(contacts)} contacts")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    out = Path(sys.argv[1])
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 20_000
    build(out, n)
