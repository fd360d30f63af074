"""Building the demo school, part 3: the contact log and the case rows.
``Builder`` adds every case's contacts (student sessions, family contacts,
talks with colleagues) and turns the cases into rows; ``db.demo.build.build_demo``
runs it.
"""

from __future__ import annotations

import datetime as dt
import uuid

from db.demo.calendar import next_school_day, school_days
from db.demo.cases import CaseBuilder
from db.demo.school import DemoCase
from db.demo.words import (COLLEAGUE_TALK, COUNSELLOR_TALK, COUNSEL_TALK, FAMILY_TALK, FOLLOW_UPS, HOST,
                           MOODS, STUDENT_TALK, VOLUNTEER_TALK)


class Builder(CaseBuilder):
    # -- contacts --------------------------------------------------------
    def author(self, case: DemoCase, day: dt.date, roles) -> int:
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

    def add_contact(self, case: DemoCase, when: dt.datetime, kind: str, channel: str,
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

    def fill(self, template: str, case: DemoCase) -> str:
        """Fill a template's blanks; only the blanks it has draw from the rng."""
        if "{" not in template:
            return template
        rng = self.rng
        st = case.student
        values: dict[str, object] = {"name": st.given if len(st.given) > 1 else st.name}
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

    def student_sessions(self, case: DemoCase, days: list[dt.date]) -> None:
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

    def family_contacts(self, case: DemoCase, days: list[dt.date]) -> None:
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
            day = next_school_day(day)
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

    def colleague_contacts(self, case: DemoCase, days: list[dt.date]) -> None:
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
