"""The demo school's work with families as a group (schema version 14).

From the calendar: the holidays and days off of both school years (the days
``db.demo.calendar`` already keeps free of lessons) and, among the school's
rules, a holiday family contact every 14 days in place of the monthly one.  This term, up to yesterday: a
parent school session for grade 7 about three weeks in, a second for grade 8
about eight weeks in, the mid-term parent meeting for every class and, about
eleven weeks in, a meeting of the supported students' families, with each family's attendance (a
family whose case is designed to go without family contacts does not come) and
the family contact each attended family's open case gets (as
``db.event_contacts`` writes it); about a dozen families' feedback items, most
answered; the term's satisfaction survey answered by most families; and a few
recognitions.  All drawn from a generator of its own, so the rest of a seed's
school stays as it was.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import uuid
from dataclasses import replace
from typing import TYPE_CHECKING

from db.demo.calendar import TermInfo, next_school_day
from db.event_contacts import CONTACT_TIME, meeting_id
from db.workflow import DEFAULT_RULES, Rule

if TYPE_CHECKING:
    from db.demo.contacts import Builder

TOPICS = {
    "parent_school": ("如何陪伴孩子完成家庭作业", "青春期孩子的情绪与沟通", "培养孩子的阅读习惯"),
    "parent_meeting": ("期中考试情况通报与家校配合",),
    "focus_meeting": ("帮扶学生家长座谈：一生一策与家庭配合",),
}
LEADERS = ("德育处", "心理教师", "市家庭教育讲师团", "校长")
EVALUATIONS = ("家长反响好，希望多举办", "到会率较高，部分家长提出作业量问题",
               "互动充分，会后有家长留下咨询", "")
FEEDBACK = (
    ("suggestion", "box", "建议家长会安排在周末，方便在外务工的家长参加"),
    ("suggestion", "wechat", "希望学校多组织亲子阅读活动"),
    ("complaint", "phone", "孩子反映数学作业太多，每晚写到十一点"),
    ("complaint", "box", "校门口放学时交通拥堵，存在安全隐患"),
    ("question", "phone", "孩子的补差辅导安排在什么时间？"),
    ("question", "wechat", "寒假期间学校有没有安排学习辅导？"),
    ("question", "meeting", "孩子在校住宿，周末如何与班主任联系？"),
    ("praise", "wechat", "感谢班主任对孩子的耐心帮助，孩子进步很大"),
    ("suggestion", "survey", "希望老师多用微信反馈孩子在校表现"),
    ("complaint", "visit", "孩子与同学发生矛盾，希望老师了解处理"),
    ("question", "survey", "怎样帮助孩子提高英语成绩？"),
    ("praise", "meeting", "家长学校讲座很实用，希望继续举办"),
)
ANSWERS = ("已与任课教师沟通，调整作业量并电话回复家长", "已在班级群说明安排", "已当面答复家长",
           "已转德育处研究，下周回复", "已约家长面谈，问题已解决")
QUESTIONS = ("对学校整体工作的满意度", "对班主任与家长沟通的满意度", "对教师教学的满意度",
             "对孩子在校安全管理的满意度", "对学校帮扶工作的满意度")
RECOGNITIONS = (("family", "家校共育优秀家庭"), ("student", "学习进步之星"),
                ("staff", "优秀帮扶教师"), ("family", "家长学校积极分子"))
HOLIDAY_RULE = Rule("holiday_family", kind="family", every_days=14, during="holiday")


def _new_uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def holiday_spans(terms: list[TermInfo]) -> list[tuple[str, str, dt.date, dt.date]]:
    """(name, kind, first, last) of both school years' holidays, in date order: the
    days without lessons of ``db.demo.calendar`` (its ``HOLIDAYS``, the terms' ends)."""
    years = sorted({t.first_year for t in terms})
    spans = []
    for first in years:
        nxt = first + 1
        spans += [("国庆节", "day_off", dt.date(first, 10, 1), dt.date(first, 10, 7)),
                  ("元旦", "day_off", dt.date(nxt, 1, 1), dt.date(nxt, 1, 1)),
                  ("寒假", "winter", dt.date(nxt, 1, 21), dt.date(nxt, 2, 19)),
                  ("清明节", "day_off", dt.date(nxt, 4, 4), dt.date(nxt, 4, 6)),
                  ("劳动节", "day_off", dt.date(nxt, 5, 1), dt.date(nxt, 5, 5)),
                  ("暑假", "summer", dt.date(nxt, 7, 11), dt.date(nxt, 8, 31))]
    return sorted(spans, key=lambda s: s[2])


def build_families(b: Builder, base: dict[str, int]) -> dict:
    """The rows of the families' tables, and the school's rules (JSON)."""
    rng = b.rng4
    rows: dict[str, list[tuple]] = {name: [] for name in (
        "holiday", "family_event", "event_attendance", "feedback", "survey",
        "survey_answer", "recognition", "event_contact")}
    start = dt.datetime.combine(b.today, dt.time(6, 0))
    for n, (name, kind, first, last) in enumerate(holiday_spans([b.prev, b.term]), base["holiday"]):
        rows["holiday"].append((n, _new_uuid(rng), name, kind, first, last, 1, start))
    term = b.term
    admin = next(row[0] for row in b.staff if row[4] == "admin")
    coordinator = next(row[0] for row in b.staff if row[4] == "coordinator")
    cases = {c.student.id: c for c in b.cases if c.term is term}
    by_class: dict[int, list] = {}
    for st in b.students:
        by_class.setdefault(st.cls.id, []).append(st)

    def code(cls) -> str:
        return f"{cls.grade}-{cls.number}"

    grade = {g: [c for c in b.classes if c.grade == g][:12] for g in (7, 8, 9)}
    plans = [("parent_school", next_school_day(term.start + dt.timedelta(days=19)), grade[7]),
             ("parent_school", next_school_day(term.start + dt.timedelta(days=56)), grade[8]),
             ("parent_meeting", term.midterm, []),
             ("focus_meeting", next_school_day(term.start + dt.timedelta(days=77)), [])]
    event_id, att_id, contact_id = base["family_event"], base["event_attendance"], base["contact"]
    for kind, day, invited in plans:
        if day >= b.today or day > term.end:
            continue
        event_uuid = _new_uuid(rng)
        topic = rng.choice(TOPICS[kind])
        classes = invited or b.classes
        rows["family_event"].append((
            event_id, event_uuid, day, kind, topic, rng.choice(LEADERS),
            ",".join(code(c) for c in invited), rng.choice(EVALUATIONS), coordinator, 1,
            dt.datetime.combine(day, dt.time(18, 0))))
        for cls in classes:
            for st in by_class.get(cls.id, ()):
                case = cases.get(st.id)
                if kind == "focus_meeting" and case is None:
                    continue  # only the supported students' families are asked
                away = case is not None and case.overdue_from is not None and \
                    case.overdue_from <= day
                came = not away and rng.random() < (0.62 if case else 0.8)
                rating = rng.choice((3, 4, 4, 5, 5, 5)) if came and rng.random() < 0.6 else None
                rows["event_attendance"].append((
                    att_id, _new_uuid(rng), event_id, st.id, came, rating, "", cls.head, 1,
                    dt.datetime.combine(day, dt.time(19, 0))))
                att_id += 1
                if came and case is not None and case.opened <= day and (
                        case.closed is None or case.closed > day):
                    rows["event_contact"].append((
                        contact_id, _new_uuid(rng), case.id, cls.head,
                        dt.datetime.combine(day, CONTACT_TIME), "family", "parent_meeting", "",
                        None, topic, "", "", None, None,
                        dt.datetime.combine(day, dt.time(19, 0)), "demo", meeting_id(event_uuid)))
                    contact_id += 1
        event_id += 1
    # families' feedback over the term so far: most answered, a few still open
    days = max(1, (min(b.yesterday, term.end) - term.start).days)
    if b.today > term.start:
        picks = rng.sample(b.students, min(len(FEEDBACK), len(b.students)))
        for n, ((kind, channel, text), st) in enumerate(zip(FEEDBACK, picks)):
            received = term.start + dt.timedelta(days=days * (n + 1) // (len(FEEDBACK) + 1))
            case = cases.get(st.id)
            owner = (next((m.staff for m in case.team if m.role == "lead"), st.cls.head)
                     if case else st.cls.head)
            due = received + dt.timedelta(days=7)
            answered = received + dt.timedelta(days=rng.randint(1, 9))
            if n >= len(FEEDBACK) - 3 or answered >= b.today:
                answered_on, answer, resolved = None, "", False
            else:
                answered_on, answer, resolved = answered, rng.choice(ANSWERS), rng.random() < 0.8
            anonymous = channel == "box" and rng.random() < 0.5
            rows["feedback"].append((
                base["feedback"] + n, _new_uuid(rng), None if anonymous else st.id, received,
                channel, kind, text, owner, due, answer, answered_on, resolved, coordinator, 1,
                dt.datetime.combine(answered_on or received, dt.time(17, 0))))
    # the term's satisfaction survey, two weeks before today (from the sixth week)
    taken = b.today - dt.timedelta(days=14)
    if taken >= term.start + dt.timedelta(days=35) and taken <= term.end:
        survey_id = base["survey"]
        rows["survey"].append((survey_id, _new_uuid(rng), term.id,
                               f"{term.name}家长满意度调查", json.dumps(QUESTIONS,
                                                                 ensure_ascii=False),
                               85.0, taken, coordinator, 1, dt.datetime.combine(taken,
                                                                             dt.time(16, 0))))
        answer_id = base["survey_answer"]
        for st in b.students:
            if rng.random() > 0.85:
                continue  # no form came back
            pleased = rng.random() > 0.1  # most families are; some are not
            answers = [None if rng.random() < 0.03 else
                       rng.choice((5, 5, 5, 4, 4, 4, 4, 3) if pleased else (4, 4, 3, 2))
                       for _ in QUESTIONS]
            rows["survey_answer"].append((
                answer_id, _new_uuid(rng), survey_id, st.id,
                json.dumps(answers), "", st.cls.head, 1,
                dt.datetime.combine(taken + dt.timedelta(days=3), dt.time(17, 0))))
            answer_id += 1
    # recognitions, given at the parent meeting
    if b.today > term.midterm and b.students:
        leads = [m.staff for c in cases.values() for m in c.team if m.role == "lead"]
        for n, (who, what) in enumerate(RECOGNITIONS):
            st = rng.choice([s for s in b.students if s.id in cases] or b.students)
            staff = rng.choice(leads) if leads and who == "staff" else None
            rows["recognition"].append((
                base["recognition"] + n, _new_uuid(rng), term.midterm, who,
                None if who == "staff" else st.id, staff if who == "staff" else None,
                what, "学校", admin, 1, dt.datetime.combine(term.midterm, dt.time(18, 0))))
    # in a holiday the holiday family contact takes the monthly one's place
    rules = [replace(r, during="school") if r.code == "family" else r
             for r in DEFAULT_RULES] + [HOLIDAY_RULE]
    return {"rows": rows, "rules": rules}
