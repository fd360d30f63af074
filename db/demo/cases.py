"""Building the demo school, part 2: the cases.  ``CaseBuilder`` opens cases for
some students over two terms, gives each a team, texts and goals, and adds the
stage reviews, peer pairs, exam scores and check-ins that go with them.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import uuid

from db.demo.calendar import TermInfo, exams_for, next_school_day
from db.demo.school import DemoCase, DemoMember, DemoStudent, SchoolBuilder
from db.demo.words import (ABSENT, CATEGORY_CAUSES, CAUSE_GROUPS, CAUSE_TEXT, CHECKIN_DOWN, CHECKIN_FIRST,
                           CHECKIN_SAME, CHECKIN_UP, EXAM_FULL_MARKS, EXAM_SUBJECTS, FLAG_CAUSES,
                           HALF_MARK_SUBJECTS, LONG_GOALS, MEASURES, PEER_FOCUS, PROBLEMS, REVIEW_SUMMARIES,
                           SCORE_TRENDS, SHORT_GOALS, STRENGTHS, TOPICS, WEAK_SUBJECTS)
from db.scores import DEFAULT_DIMENSIONS
from db.vocab import CATEGORIES, CAUSES


class CaseBuilder(SchoolBuilder):
    # -- cases -----------------------------------------------------------
    def build_cases(self, base: dict[str, int]) -> None:
        rng = self.rng
        weight = {"left_behind_both": 2.5, "left_behind_one": 1.6, "grandparent_care": 1.4,
                  "single_parent": 1.8, "low_income": 1.6, "orphan": 3.0, "migrant": 1.3}

        def chosen(pool: list[DemoStudent], k: int) -> list[DemoStudent]:
            keyed = []
            for st in pool:
                w = 1.0
                for flag in st.flags:
                    w *= weight.get(flag, 1.0)
                keyed.append((rng.random() ** (1 / w), st.id, st))
            keyed.sort(key=lambda t: (-t[0], t[1]))
            return sorted((t[2] for t in keyed[:k]), key=lambda s: s.id)

        self.cases: list[DemoCase] = []
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

    def make_case(self, st: DemoStudent, term: TermInfo, status: str) -> DemoCase:
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
        opened = next_school_day(max(start, min(opened, last)))
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
        case = DemoCase(self.case_id, st, term, status, opened, closed, categories, causes,
                     subjects, grade)
        self.case_id += 1
        self.make_team(case)
        return case

    def categories(self, st: DemoStudent) -> list[str]:
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

    def causes(self, st: DemoStudent, categories: list[str]) -> list[str]:
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

    def make_team(self, case: DemoCase) -> None:
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
        team = [DemoMember(lead, "lead", case.opened)]
        # now and then the lead changed after a few weeks
        handover = case.opened + dt.timedelta(days=rng.randint(14, 28))
        if rng.random() < 0.04 and handover < min(case.closed or self.yesterday, self.yesterday):
            others = [s for s in [cls.head] + cls.teachers if s != lead]
            if others:
                new = self.pick(others)
                team[0].until = handover
                team.append(DemoMember(new, "lead", handover))
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
                team.append(DemoMember(self.pick(pool), role, case.opened))
        case.team = team

    # -- case texts and goals --------------------------------------------
    def topic(self, case: DemoCase, subj: str | None = None) -> str:
        subj = subj or case.subjects[0]
        topics = TOPICS.get((subj, case.grade)) or TOPICS.get((subj, 9)) or ("基础知识",)
        return self.pick(topics)

    def case_texts(self, case: DemoCase) -> tuple[str, str, str, str, str]:
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

    def goals(self, case: DemoCase, gid: int) -> list[tuple]:
        rng = self.rng
        rows: list[tuple] = []
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
        helpers: dict[int, list[DemoStudent]] = {}
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
                days.append(next_school_day(day) if next_school_day(day) <= end else day)
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

    def team_on(self, case: DemoCase, day: dt.date) -> list[DemoMember]:
        return [m for m in case.team if m.since <= day and (m.until is None or day < m.until)]

    def lead_on(self, case: DemoCase, day: dt.date) -> int:
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
                when = min(next_school_day(day + dt.timedelta(days=rng.randint(1, 3))),
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
            day = next_school_day(case.opened + dt.timedelta(days=rng.randint(2, 10)))
            baseline = {d: rng.uniform(1.6, 3.2) for d in dims}
            if "interpersonal" in case.categories:
                baseline["relationships"] -= 0.5
            if "confidence" in case.causes:
                baseline["confidence"] -= 0.5
            drift = rng.gauss(0.3, 0.25)  # per month: most feel a little better
            k, before = 0, None
            while day <= end:
                setback = before is not None and rng.random() < 0.12  # a bad month
                ratings = {d: min(5, max(1, round(baseline[d] + drift * k - (1 if setback else 0)
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
                day = next_school_day(day + dt.timedelta(days=rng.randint(27, 34)))
        checkins.sort(key=lambda r: (r[7], r[1]))
        self.rows["checkin"] = [(i, *row) for i, row in enumerate(checkins, base["checkin"])]

    @staticmethod
    def pick_from(rng: random.Random, seq):
        return seq[rng.randrange(len(seq))]

    def goal_status(self, case: DemoCase, due: dt.date) -> str:
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
