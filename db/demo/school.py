"""Building the demo school, part 1: the people.  ``SchoolBuilder`` holds the
builder's state (its random streams, the rows made so far) and its helpers
(names, phones), and makes the staff, classes, students and their families.
The cases follow in ``db.demo.cases``, the contacts in ``db.demo.contacts``.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from db.demo.calendar import GRADE_ZH, TermInfo, terms_for
from db.demo.words import (BOY_FIRST, BOY_SECOND, BOY_SINGLE, BOY_WHOLE, CITIES, FAMILY_NOTES, GIRL_FIRST,
                           GIRL_SECOND, GIRL_SINGLE, GIRL_WHOLE, MAN_GIVEN, OLD_MAN_GIVEN, OLD_WOMAN_GIVEN,
                           HOMES, POLYPHONIC, PROVINCES, SURNAMES, TOWN, WOMAN_GIVEN, ZW_NAMES)
from db.pinyin import name_keys
from db.vocab import FAMILY_FLAGS


# ---------------------------------------------------------------------------
# the build

@dataclass
class DemoStudent:
    id: int
    cls: "DemoClass"
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
class DemoClass:
    id: int
    grade: int
    number: int
    head: int = 0
    teachers: list[int] = field(default_factory=list)  # subject teachers


@dataclass
class DemoMember:
    staff: int
    role: str
    since: dt.date
    until: dt.date | None = None  # inactive from this day on


@dataclass
class DemoCase:
    id: int
    student: DemoStudent
    term: TermInfo
    status: str
    opened: dt.date
    closed: dt.date | None
    categories: list[str]
    causes: list[str]
    subjects: list[str]
    grade: int = 7  # the student's grade in that term
    team: list[DemoMember] = field(default_factory=list)
    overdue_from: dt.date | None = None  # no family contact from this day


class SchoolBuilder:
    def __init__(self, students: int, seed: int, today: dt.date):
        self.n = students
        self.rng = random.Random(seed)
        # stage reviews and peer pairs draw from their own generator, so adding
        # them left every other row of a seed's school as it was
        self.rng2 = random.Random(seed * 7919 + 5)
        # and scores and check-ins from a third, for the same reason
        self.rng3 = random.Random(seed * 7927 + 6)
        # and the work with families as a group from a fourth (db.demo.families)
        self.rng4 = random.Random(seed * 7933 + 7)
        # and the addresses (villages, 属地) from a sixth (the fifth: db.demo.oversight)
        self.rng6 = random.Random(seed * 7949 + 9)
        self.homes = HOMES  # where the students live (a town's schools: db.demo.town)
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
        self.classes: list[DemoClass] = []
        cid = base["school_class"]
        for grade, count in zip((7, 8, 9), per_grade):
            for number in range(1, count + 1):
                self.classes.append(DemoClass(cid, grade, number))
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
        self.students: list[DemoStudent] = []
        sid = base["student"]
        for cls, size in zip(self.classes, sizes):
            for _ in range(size):
                gender = "M" if self.rng.random() < 0.52 else "F"
                self.students.append(DemoStudent(sid, cls, self.surname(),
                                              self.child_given(gender), gender))
                sid += 1
        self._force_names()
        self.classmates: dict[int, list[DemoStudent]] = {}
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
            address, village = self.home()
            rows.append((st.id, number, st.name, st.gender, cls.id, birth,
                         ",".join(st.flags), self.family_notes(st), pinyin, initials,
                         1, created, created, address, village))
        self.rows["student"] = rows
        self.rows["guardian"] = guardians

    def home(self) -> tuple[str, str]:
        """A student's address in the school's town and the village it names."""
        rng = self.rng6
        homes = self.homes
        village, _, forms = rng.choices(homes, weights=[h[1] for h in homes])[0]
        form = forms[rng.randrange(len(forms))]
        return form.format(town=TOWN, n=rng.randint(1, 12 if "组" in form else 80)), village

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

    def family_notes(self, st: DemoStudent) -> str:
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

    def make_guardians(self, st: DemoStudent) -> list[dict]:
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


DEMO_PIN = "1234"  # every demo account's PIN (the README says so)
_demo_hash: str | None = None


def demo_pin_hash() -> str:
    """One salted hash for every demo account: a demo is not a school."""
    global _demo_hash
    if _demo_hash is None:
        from db.accounts import hash_pin

        _demo_hash = hash_pin(DEMO_PIN)
    return _demo_hash
