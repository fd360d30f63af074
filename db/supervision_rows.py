"""The rows of a supervision report (``db.supervision``)."""

from __future__ import annotations

from dataclasses import dataclass, field, fields


@dataclass(slots=True)
class Rubric:
    """The school's scoring (bangfu_meta ``supervision_rubric``)."""

    rule_met: int = 10  # points for each rule met on a case
    review: int = 5  # for each stage review on time
    content: int = 10  # for entries with content (times their share)
    content_chars: int = 15  # "with content": at least this many characters
    overdue: int = 2  # taken for each item overdue at the period's end
    threshold: int = 60  # below this score: in the month's notice
    burst: int = 3  # flag this many entries written within a minute
    late_days: int = 14  # flag an entry written more than this many days after its date


RUBRIC_FIELDS = tuple(f.name for f in fields(Rubric))


@dataclass(slots=True)
class Point:
    what: str  # "rule", "review", "content", "overdue" or "adjustment"
    case_id: int | None
    student: str
    rule: str  # the rule's code, or the overdue item's what; "" when not a rule
    done: int
    required: int
    earned: float
    possible: float


@dataclass(slots=True)
class HelperRow:
    staff_id: int
    name: str
    role: str  # the staff role
    grades: tuple[int, ...] = ()
    cases: int = 0
    items: int = 0
    items_met: int = 0
    entries: int = 0
    with_content: int = 0
    reviews_due: int = 0
    reviews_on_time: int = 0
    overdue: int = 0
    earned: float = 0.0
    possible: float = 0.0
    adjustment: int = 0
    note: str = ""
    score: int | None = None
    points: list[Point] = field(default_factory=list)
    flags: int = 0
    note_version: int = 0  # the supervision_note row's version (0: none yet)


@dataclass(slots=True)
class GradeRow:
    grade: int | None  # None: cases of students without a class (or grade)
    helpers: int = 0
    cases: int = 0
    items: int = 0
    items_met: int = 0
    entries: int = 0
    overdue: int = 0
    mean_score: float | None = None
