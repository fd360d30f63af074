"""The demo school's oversight (schema version 15).

The organisations the school works with; referrals (转介) of some of this
term's cases whose categories call for outside help, in every status (a few
follow-ups overdue, so they are on their owners' caseloads); outside helpers
(a village cadre, a volunteer) on the teams of left-behind children; each
case the demo marks transformed, with its evidence and the coordinator's
confirmation (and its place in the case history), and a few proposals still
waiting for the coordinator.  The month's supervision (its notice and
correction items) is written after the rest: it reads the entries
(``build_supervision``).  All drawn from a generator of its own, so the rest
of a seed's school stays as it was.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import uuid
from dataclasses import asdict
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from db.demo.contacts import Builder

ORGANISATIONS = (
    ("市未成年人心理健康辅导中心", "counselling_centre", "0371-6655 1201"),
    ("县人民医院儿童心理门诊", "hospital", "0371-6655 3302"),
    ("镇民政办（低保、临时救助）", "civil_affairs", "0371-6655 0117"),
    ("县妇联儿童之家", "womens_federation", "0371-6655 2214"),
    ("城关派出所社区警务室", "police", "0371-6655 0110"),
    ("青苗志愿服务队", "volunteer_group", "138 0371 5566"),
    ("东关村委会", "village", "0371-6655 7781"),
)
# why a case is referred, by the organisation's kind
REASONS = {
    "counselling_centre": ("情绪低落持续两个月，校内辅导后仍无明显好转，建议专业心理评估",
                           "厌学情绪明显，多次提到不想上学，需专业咨询"),
    "hospital": ("注意力问题影响学习，家长同意到儿童心理门诊评估", "睡眠差、头痛频繁，建议就医排查"),
    "civil_affairs": ("父亲因病失去劳动能力，家庭收入低，申请低保", "家中遭遇变故，申请临时救助"),
    "womens_federation": ("留守儿童，祖辈监护力不从心，申请妇联儿童之家结对关爱",),
    "police": ("放学后常在网吧逗留，与校外人员来往，请社区民警协助家访",),
    "volunteer_group": ("周末无人辅导作业，申请志愿者上门陪伴学习",),
    "village": ("父母外出务工，请村委会协助落实监护责任",),
}
OUTCOMES = {
    "seen": ("已完成首次评估，建议每两周咨询一次", "已上门了解情况，正在办理"),
    "closed": ("咨询六次后情绪明显好转，转回校内跟进", "低保已批准，按月发放",
               "志愿者每周六上门辅导，家长满意"),
}
CADRES = ("村委会委员", "驻村第一书记", "村妇联主席")
VOLUNTEERS = ("大学生志愿者", "退休教师志愿者")
HELPER_NAMES = ("李书记", "王主任", "张大姐", "刘老师", "陈同学", "赵阿姨", "孙书记", "周老师")


def _new_uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _kind_for(case) -> str | None:
    """The organisation a case would be referred to, from its categories and family."""
    if "psychological" in case.categories:
        return "counselling_centre"
    if "economic" in case.categories or "poverty" in case.causes:
        return "civil_affairs"
    if "left_behind" in case.causes:
        return "womens_federation"
    if "behaviour" in case.categories:
        return "police"
    if "attendance" in case.categories:
        return "village"
    return None


def build_oversight(b: Builder, base: dict[str, int], rng: random.Random) -> dict:
    """The rows of the organisations, referrals and outside helpers."""
    rows: dict[str, list[tuple]] = {name: [] for name in (
        "organisation", "referral", "outside_helper")}
    start = dt.datetime.combine(b.today, dt.time(6, 0))
    org_of: dict[str, int] = {}
    for n, (name, kind, phone) in enumerate(ORGANISATIONS, base["organisation"]):
        rows["organisation"].append((n, _new_uuid(rng), name, kind, phone, "", True, 1, start))
        org_of[kind] = n
    term = b.term
    counsellor = next((row[0] for row in b.staff if row[4] == "counsellor"), None)
    cases = [c for c in b.cases if c.term is term and c.opened < b.today - dt.timedelta(days=20)
             and c.status in ("identified", "active", "improving")]
    candidates = [c for c in cases if _kind_for(c) is not None]
    rng.shuffle(candidates)
    # about one case in twelve is referred, at least one in each status
    statuses = ("sent", "accepted", "seen", "closed")
    rid = base["referral"]
    for n, case in enumerate(candidates[:max(8, len(cases) // 12)]):
        kind = _kind_for(case) or "counselling_centre"
        status = statuses[n % 4] if n < 8 else rng.choice(statuses)
        lead = next((m.staff for m in case.team if m.role == "lead" and m.until is None), None)
        author = counsellor if kind in ("counselling_centre", "hospital") and counsellor else lead
        sent = case.opened + dt.timedelta(days=rng.randint(7, max(8, (b.today - case.opened).days - 7)))
        sent = min(sent, b.yesterday)
        consent = "given" if rng.random() < 0.9 else "pending"
        outcome = rng.choice(OUTCOMES[status]) if status in OUTCOMES else ""
        if status == "closed":
            follow_up = None
        elif n % 3 == 0:  # overdue: on its owners' caseloads
            follow_up = b.today - dt.timedelta(days=rng.randint(1, 6))
        else:
            follow_up = b.today + dt.timedelta(days=rng.randint(2, 20))
        rows["referral"].append((
            rid, _new_uuid(rng), case.id, org_of.get(kind), rng.choice(REASONS[kind]), consent,
            sent, status, outcome, follow_up, author, 1, dt.datetime.combine(sent, dt.time(17, 0))))
        rid += 1
    # 多对一: a village cadre or a volunteer on the teams of left-behind children
    hid = base["outside_helper"]
    left_behind = [c for c in cases if "left_behind" in c.causes]
    for case in left_behind[:max(4, len(left_behind) // 4)]:
        cadre = rng.random() < 0.6
        org = org_of["village" if cadre else "volunteer_group"]
        rows["outside_helper"].append((
            hid, _new_uuid(rng), case.id, rng.choice(HELPER_NAMES), org,
            rng.choice(CADRES if cadre else VOLUNTEERS),
            f"13{rng.randint(0, 9)} {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}",
            case.opened + dt.timedelta(days=rng.randint(3, 14)), True, 1, start))
        hid += 1
    return rows


def evidence_json(evidence: dict) -> str:
    return json.dumps(evidence, ensure_ascii=False, sort_keys=True)


TRANSFORMED_REASONS = ("期末成绩由不及格提高到中等，学习习惯明显改善，能主动完成作业",
                       "各科成绩稳步提高，上课能主动发言，与同学相处融洽",
                       "情绪稳定，出勤正常，阶段目标全部达成",
                       "数学、英语两科提高二十分以上，家长反馈在家学习主动")
PENDING_REASONS = ("本学期两次测验均及格，阶段目标基本达成，申请认定转化",
                   "学习态度明显转变，作业按时完成，成绩提高，申请认定转化")
CORRECTIONS = ("补齐上月个别辅导记录，每周至少辅导一次并如实记录",
               "每周至少陪伴辅导一次，按时记录，下次督导座谈时汇报整改情况")
ADJUSTMENT_NOTE = "座谈中了解到所帮扶学生上月请病假两周，辅导次数不足情有可原，酌情加分"


def after_write(b: Builder, today: dt.date, rng: random.Random) -> dict[str, int]:
    """What the demo adds once its rows are written, because it reads them: each
    transformed case's evidence and confirmation (and a few proposals waiting
    for the coordinator), and last month's supervision: its notice names the two
    helpers who scored lowest (the school's threshold is set just above them),
    each with a correction item (one done, one still open), and one adjustment."""
    from db.models import Case, CaseEvent, Correction, Staff, SupervisionNote, Transformation
    from db.supervision import RUBRIC_KEY, load_rubric, supervision
    from db.transformation import evidence, figure_text
    from db.workflow import put_setting

    admin = Staff.get(Staff.id == next(row[0] for row in b.staff if row[4] == "admin"))
    coordinator = Staff.get(Staff.id == next(row[0] for row in b.staff if row[4] == "coordinator"))
    transformations, events = [], []
    closed: dict[int, dt.date] = {}  # a transformed case is closed on the day it was confirmed
    for case in b.cases:
        lead = next((m.staff for m in case.team if m.role == "lead"), None)
        if case.status == "transformed":
            ev = evidence(admin, case.id)
            reason = rng.choice(TRANSFORMED_REASONS)
            end = min(case.term.end, b.yesterday)
            decided = case.closed or max(case.opened + dt.timedelta(days=28),
                                         end - dt.timedelta(days=rng.randint(1, 20)))
            decided = min(decided, end)
            proposed = max(case.opened, decided - dt.timedelta(days=rng.randint(2, 6)))
            at = dt.datetime.combine(decided, dt.time(17, 30))
            closed[case.id] = decided
            transformations.append(dict(
                uuid=_new_uuid(rng), case=case.id, proposed_by=lead, proposed_on=proposed,
                reason=reason, evidence=ev.to_json(), status="confirmed",
                decided_by=coordinator.id, decided_on=decided, decision_note="",
                version=1, updated_at=at))
            events.append(dict(case=case.id, kind="transformed", happened_on=decided,
                               reason=reason, detail=figure_text(ev), staff=coordinator.id,
                               created_at=at))
    waiting = [c for c in b.cases if c.term is b.term and c.status == "improving"
               and c.opened < today - dt.timedelta(days=45)]
    for n, case in enumerate(waiting[:3]):
        lead = next((m.staff for m in case.team if m.role == "lead" and m.until is None), None)
        proposed = today - dt.timedelta(days=n + 1)
        transformations.append(dict(
            uuid=_new_uuid(rng), case=case.id, proposed_by=lead, proposed_on=proposed,
            reason=PENDING_REASONS[n % len(PENDING_REASONS)],
            evidence=evidence(admin, case.id).to_json(), status="proposed", decided_by=None,
            decided_on=None, decision_note="", version=1,
            updated_at=dt.datetime.combine(proposed, dt.time(16, 0))))
    if transformations:
        Transformation.insert_many(transformations).execute()
    if events:
        CaseEvent.insert_many(events).execute()
    for case_id, day in closed.items():
        Case.update(closed_on=day).where(Case.id == case_id).execute()
    counts = {"transformation": len(transformations), "case_event": len(events)}
    # last month's supervision
    first = today.replace(day=1)
    last_month = (first - dt.timedelta(days=1)).strftime("%Y-%m")
    report = supervision(today, month=last_month, reader=coordinator)
    ranked = sorted((h.score, h.name, h.staff_id, h) for h in report.helpers
                    if h.score is not None)
    scored = [h for *_, h in ranked]
    if len(ranked) >= 3 and ranked[1][0] < ranked[2][0]:
        put_setting(RUBRIC_KEY, json.dumps(dict(asdict(load_rubric()), threshold=ranked[2][0])))
    corrections, notes = [], []
    issued = first + dt.timedelta(days=1)
    if issued < today:
        for n, helper in enumerate(scored[:2]):
            done = n == 0 and issued + dt.timedelta(days=3) < today
            corrections.append(dict(
                uuid=_new_uuid(rng), staff=helper.staff_id, month=last_month,
                what=CORRECTIONS[n], due_on=issued + dt.timedelta(days=14),
                issued_by=coordinator.id, issued_on=issued,
                done_on=issued + dt.timedelta(days=3) if done else None,
                done_note="已补齐记录，本周起每周辅导两次" if done else "", version=1,
                updated_at=dt.datetime.combine(issued, dt.time(17, 0))))
        if corrections:
            Correction.insert_many(corrections).execute()
    if len(scored) > 4:
        helper = scored[len(scored) // 2]
        notes.append(dict(uuid=_new_uuid(rng), staff=helper.staff_id, month=last_month,
                          adjustment=5, note=ADJUSTMENT_NOTE, author=coordinator.id, version=1,
                          updated_at=dt.datetime.combine(issued, dt.time(16, 0))))
        SupervisionNote.insert_many(notes).execute()
    counts.update(correction=len(corrections), supervision_note=len(notes))
    return counts
