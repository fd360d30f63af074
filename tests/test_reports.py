"""The weekly report and the term summary: figures checked by hand and against
the database, the same figures in .xlsx, .csv and .md, and ``bangfu report``.

The data set (``data``), on top of the small school; today is Friday
2026-11-20 (ISO week 2026-W47: 16-22 November; 2026-W45: 2-8 November).
Term 2026-09-01 .. 2027-01-20 (its middle, when the home visit is due: 11-10).

cases of this term (opened 1 September unless said):
  七年级(1)班  张伟 active (lead 王芳), 赵薇 identified (李建国), 曾小明 improving (王芳)
  八年级(2)班  [bold]王[/ active (李建国), 周文 closed on 11-12 (王芳),
               单田芳 transformed (no lead), 欧阳娜娜 active, opened 11-18 (王芳)
  no class     =HYPERLINK(…) identified (lead "+SUM(1,2)")
  and 周文's closed case of the previous term.
entries (kind/channel):
  11-01 23:30 赵薇 colleague/phone      11-02 16:00 张伟 family/wechat (the school's)
  11-03 赵薇 student/face               11-04 周文 student/face
  11-05 曾小明 family/phone, follow-up due 11-06, done 11-19
  11-06 曾小明 student/face             11-09 00:00 [bold]王[/ family/phone
  11-15 23:59 曾小明 student/phone      11-16 00:00 张伟 student/face
  11-16 周文 student/face               11-17 赵薇 student/other, follow-up due 11-18
  11-18 张伟 family/home_visit          11-19 曾小明 student/face
  11-20 08:00 [bold]王[/ family/sms     11-21 10:00 张伟 family/phone (after today)
also: 张伟's stage review of 11-12 (next 12-12); 曾小明's open goal due 11-15
(赵薇's goal due 11-01 is met); 赵薇 also has a tutor, 曾小明 a former lead;
scores: 张伟 数学 60 → 72 (+20%), 赵薇 数学 40 → 41 → 50 (+25%),
[bold]王[/ 数学 50 → 54, 语文 70 → 75 (60 → 64.5: +7.5%).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import subprocess
import sys
import uuid
from collections import Counter
from pathlib import Path

import pytest

from db.models import (Assignment, Case, Contact, Goal, SchoolClass, StageReview, Staff,
                       Student, Term)
from db.progress import term_figures
from db.scores import save_scores, validate_sitting
from db.access import scope_for
from db.reports import SECTIONS, ReportError, parse_week, week_label
from db.reports import build_report as build_report_as
from db.reports import open_cases_on
from db.staff import add_staff
from db.students import create_student, open_case
from db.vocab import CASE_STATUSES
from db.workflow import due_items
from tests.helpers import cli_env, run_cli
from tui import i18n
from tui.report_files import render_csv, render_markdown, tables, write_report
from tui.sheets import md_escape, neutralize

ROOT = Path(__file__).resolve().parent.parent
HYPER = '=HYPERLINK("http://evil.example/x","click")'
SEPT = dt.date(2026, 9, 1)


def admin():
    return Staff.get(Staff.name == "王芳")


def build_report(*args, **kwargs):
    """The report as the administrator sees it: the whole school (what a
    teacher gets is in tests/test_scope_leaks.py)."""
    return build_report_as(*args, reader=admin(), **kwargs)


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def entry(case, when: str, kind: str, channel: str, author, **extra) -> None:
    Contact.create(uuid=str(uuid.uuid4()), case=case.id, author=author.id,
                   occurred_at=at(when if " " in when else when + " 10:00"), kind=kind,
                   channel=channel, discussed="x", host="test", **extra)


def scores(school, exam: str, date: str, rows: dict[str, dict[str, str]]) -> None:
    subjects = sorted({s for row in rows.values() for s in row})
    sitting = validate_sitting(exam, date, "100", subjects)
    save_scores(school.teacher, sitting, {(school.students[name].id, subject): text
                                          for name, row in rows.items()
                                          for subject, text in row.items()})


@pytest.fixture
def data(school):
    wang, li = school.teacher, school.other
    term = Term.get()
    c2 = SchoolClass.get(SchoolClass.name == "八年级(2)班")
    cases = school.cases
    cases["周文"] = open_case(None, school.students["周文"].id, term_id=term.id, status="closed",
                            lead_id=wang.id)
    cases["单田芳"] = open_case(None, school.students["单田芳"].id, term_id=term.id,
                             status="improving")
    # transformed: as a confirmed proposal leaves it (db.transformation; open_case refuses it)
    Case.update(status="transformed").where(Case.id == cases["单田芳"].id).execute()
    cases["欧阳娜娜"] = open_case(None, school.students["欧阳娜娜"].id, term_id=term.id,
                              status="active", lead_id=wang.id)
    sums = add_staff(None, "+SUM(1,2)")
    hyper = create_student(None, student_no="20240108", name=HYPER, class_id=None)
    school.students[HYPER] = hyper
    cases[HYPER] = open_case(None, hyper.id, term_id=term.id, status="identified",
                             lead_id=sums.id)
    Case.update(opened_on=SEPT).execute()
    Case.update(opened_on=dt.date(2026, 11, 18)).where(Case.id == cases["欧阳娜娜"].id).execute()
    Case.update(closed_on=dt.date(2026, 11, 12)).where(Case.id == cases["周文"].id).execute()
    old = Term.create(name="2025-2026 第二学期", school_year="2025-2026", semester=2,
                      start_date=dt.date(2026, 2, 20), end_date=dt.date(2026, 7, 10))
    old_case = open_case(None, school.students["周文"].id, term_id=old.id, status="closed")
    Case.update(opened_on=dt.date(2026, 3, 1), closed_on=dt.date(2026, 7, 1)).where(
        Case.id == old_case.id).execute()
    assert c2.id  # the classes are the small school's
    # neither a tutor nor a former lead is "the lead"
    ceng = Staff.get(Staff.name == "曾老师")
    Assignment.create(case=cases["赵薇"].id, staff=ceng.id, role="tutor")
    Assignment.create(case=cases["曾小明"].id, staff=ceng.id, role="lead", active=False)
    zhang, zhao, zeng = cases["张伟"], cases["赵薇"], cases["曾小明"]
    wang_s, zhou = cases["[bold]王[/"], cases["周文"]
    entry(zhao, "2026-11-01 23:30", "colleague", "phone", li)
    entry(zhao, "2026-11-03", "student", "face", li)
    entry(zhou, "2026-11-04", "student", "face", wang)
    entry(zeng, "2026-11-05", "family", "phone", wang, follow_up="call back",
          follow_up_due=dt.date(2026, 11, 6), follow_up_done_on=dt.date(2026, 11, 19))
    entry(zeng, "2026-11-06", "student", "face", wang)
    entry(wang_s, "2026-11-09 00:00", "family", "phone", li)
    entry(zeng, "2026-11-15 23:59", "student", "phone", wang)
    entry(zhang, "2026-11-16 00:00", "student", "face", wang)
    entry(zhou, "2026-11-16", "student", "face", wang)
    entry(zhao, "2026-11-17", "student", "other", li, follow_up="bring the exercise book",
          follow_up_due=dt.date(2026, 11, 18))
    entry(zhang, "2026-11-18", "family", "home_visit", wang)
    entry(zeng, "2026-11-19", "student", "face", wang)
    entry(wang_s, "2026-11-20 08:00", "family", "sms", li)
    entry(zhang, "2026-11-21 10:00", "family", "phone", wang)
    StageReview.create(uuid=str(uuid.uuid4()), case=zhang.id, review_date=dt.date(2026, 11, 12),
                       summary="ok", goals="[]", next_review=dt.date(2026, 12, 12),
                       author=wang.id)
    Goal.create(case=zeng.id, text="homework every day", due_date=dt.date(2026, 11, 15))
    Goal.create(case=zhao.id, text="met already", due_date=dt.date(2026, 11, 1), status="met")
    scores(school, "九月月考", "2026-09-20", {"张伟": {"数学": "60", "语文": "90"},
                                           "赵薇": {"数学": "40"},
                                           "[bold]王[/": {"数学": "50", "语文": "70"}})
    scores(school, "期中考试", "2026-11-10", {"张伟": {"数学": "72"}, "赵薇": {"数学": "41"},
                                          "[bold]王[/": {"数学": "54", "语文": "75"}})
    scores(school, "小测", "2026-11-18", {"赵薇": {"数学": "50"}})
    return school


# --- the figures ------------------------------------------------------------------------------

def entries_by_query(start: dt.date, as_of: dt.date) -> Counter:
    """Entries per (kind, channel), counted here in Python from the rows."""
    end = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time())
    rows = Contact.select(Contact.kind, Contact.channel, Contact.occurred_at).where(
        Contact.occurred_at >= dt.datetime.combine(start, dt.time()), Contact.occurred_at < end)
    return Counter((r.kind, r.channel) for r in rows)


def cases_by_query(term_id: int) -> Counter:
    out = Counter()
    for case in Case.select().where(Case.term == term_id):
        klass = case.student.school_class
        out[(klass.name if klass else "—", case.status)] += 1
    return out


def test_weekly_report_period_and_cases_by_status_and_class(data):
    report = build_report("weekly", week="2026-W47")
    assert (report.kind, report.week, report.term_name) == ("weekly", "2026-W47", "2026-2027 第一学期")
    assert (report.start, report.end, report.as_of) == (dt.date(2026, 11, 16),
                                                        dt.date(2026, 11, 22),
                                                        dt.date(2026, 11, 20))
    assert report.generated_at == dt.datetime(2026, 11, 20, 15, 30)
    c = report.cases
    assert c.statuses == CASE_STATUSES
    assert [r.name for r in c.classes] == ["七年级(1)班", "八年级(2)班", "—"]
    expected = cases_by_query(Term.get(Term.name == "2026-2027 第一学期").id)
    got = Counter({(r.name, s): n for r in c.classes for s, n in r.counts.items() if n})
    assert got == expected
    assert c.classes[1].counts == {"identified": 0, "active": 2, "improving": 0,
                                   "transformed": 1, "closed": 1}
    assert [r.total for r in c.classes] == [3, 4, 1]
    assert c.total.total == 8 and c.total.counts["identified"] == 2  # not the old term's case
    assert c.opened == 1  # 欧阳娜娜, 18 November


def test_entries_by_kind_and_channel(data):
    report = build_report("weekly", week="2026-W47")
    e = report.entries
    expected = entries_by_query(dt.date(2026, 11, 16), dt.date(2026, 11, 20))
    assert e.counts == dict(expected)
    # by hand: the 11-15 23:59 and 11-21 entries are outside, 11-16 00:00 inside
    assert e.counts == {("student", "face"): 3, ("student", "other"): 1,
                        ("family", "home_visit"): 1, ("family", "sms"): 1}
    assert e.by_kind == {"family": 2, "student": 4, "colleague": 0}
    assert e.by_channel["face"] == 3 and e.by_channel["phone"] == 0
    assert sum(e.by_channel.values()) == e.total == 6
    assert e.cases == 5  # 张伟, 周文, 赵薇, 曾小明, [bold]王[/


def test_compliance_and_overdue_list_as_of_today(data):
    report = build_report("weekly", week="2026-W47")
    m = report.compliance
    assert [r.code for r in m.rules] == ["help", "family", "home_visit"]
    assert m.total.cases == 6  # not 周文 (closed), 单田芳 (transformed)
    assert m.total.on_time == {"help": 4, "family": 4, "home_visit": 2}
    assert m.total.share("home_visit") == pytest.approx(2 / 6)
    by_class = {r.name: (r.cases, r.on_time) for r in m.classes}
    assert by_class == {
        "七年级(1)班": (3, {"help": 3, "family": 2, "home_visit": 1}),
        "八年级(2)班": (2, {"help": 1, "family": 2, "home_visit": 1}),
        "—": (1, {"help": 0, "family": 0, "home_visit": 0}),
    }
    rows = [(o.name, o.what, o.due.isoformat(), o.days, o.lead) for o in report.overdue]
    assert rows == [
        ("=HYPERLINK(\"http://evil.example/x\",\"click\")", "help", "2026-09-08", 73, "+SUM(1,2)"),
        ("[bold]王[/", "help", "2026-09-08", 73, "李建国"),
        ("=HYPERLINK(\"http://evil.example/x\",\"click\")", "family", "2026-10-01", 50, "+SUM(1,2)"),
        ("=HYPERLINK(\"http://evil.example/x\",\"click\")", "review", "2026-10-01", 50, "+SUM(1,2)"),
        ("[bold]王[/", "review", "2026-10-01", 50, "李建国"),
        ("曾小明", "review", "2026-10-01", 50, "王芳"),
        ("赵薇", "family", "2026-10-01", 50, "李建国"),
        ("赵薇", "review", "2026-10-01", 50, "李建国"),
        ("=HYPERLINK(\"http://evil.example/x\",\"click\")", "home_visit", "2026-11-10", 10, "+SUM(1,2)"),
        ("[bold]王[/", "home_visit", "2026-11-10", 10, "李建国"),
        ("曾小明", "home_visit", "2026-11-10", 10, "王芳"),
        ("赵薇", "home_visit", "2026-11-10", 10, "李建国"),
        ("曾小明", "goal", "2026-11-15", 5, "王芳"),
        ("赵薇", "follow_up", "2026-11-18", 2, "李建国"),
    ]
    assert {o.class_name for o in report.overdue if o.name == HYPER} == {"—"}
    # 张伟: his review of 11-12 set the next for 12-12; his follow-up is due 11-25
    assert not [o for o in report.overdue if o.name == "张伟"]


def test_as_of_today_the_overdue_list_is_the_due_lists(data):
    """For today the report's overdue items are exactly db.workflow.due_items'."""
    today = dt.date(2026, 11, 20)
    cases = open_cases_on(today, scope_for(admin()))
    expected = sorted((i.case_id, i.what, i.due) for i in
                      due_items(cases, today, days=-1, all_open=True))
    report = build_report("weekly")
    assert report.week == "2026-W47"
    assert sorted((o.case_id, o.what, o.due) for o in report.overdue) == expected
    assert len(expected) == 14


def test_the_10_percent_figure(data):
    report = build_report("weekly", week="2026-W47")
    p = report.progress
    direct = term_figures(Term.get(Term.name == "2026-2027 第一学期").id, until=dt.date(2026, 11, 20))
    assert (p.total.students, p.total.measurable, p.total.improved) == (8, 3, 2)
    assert (direct.total.students, direct.total.measurable, direct.total.improved) == (8, 3, 2)
    assert p.total.share == pytest.approx(2 / 3) and p.total.meets_target is False
    assert p.total.mean_change == pytest.approx((0.20 + 0.25 + 0.075) / 3)
    assert [(r.name, r.measurable, r.improved) for r in p.classes] == [
        ("七年级(1)班", 2, 2), ("八年级(2)班", 1, 0), ("—", 0, 0)]


def test_a_past_week_counts_its_own_entries_and_ignores_later_ones(data):
    report = build_report("weekly", week="2026-W45")
    assert (report.start, report.end, report.as_of) == (dt.date(2026, 11, 2),
                                                        dt.date(2026, 11, 8),
                                                        dt.date(2026, 11, 8))
    e = report.entries
    assert e.counts == dict(entries_by_query(dt.date(2026, 11, 2), dt.date(2026, 11, 8)))
    assert e.counts == {("family", "wechat"): 1, ("student", "face"): 3, ("family", "phone"): 1}
    assert (e.total, e.cases) == (5, 4)
    assert report.cases.opened == 0
    m = report.compliance
    # open on 11-08: 周文 (closed 11-12) yes, 欧阳娜娜 (opened 11-18) not yet
    assert m.total.cases == 6
    # 张伟's help session of 11-16 and [bold]王[/'s family call of 11-09 are later
    assert m.total.on_time == {"help": 3, "family": 2, "home_visit": 6}
    by_class = {r.name: (r.cases, r.on_time) for r in m.classes}
    assert by_class["八年级(2)班"] == (2, {"help": 1, "family": 0, "home_visit": 2})
    late = {(o.name, o.what): (o.due.isoformat(), o.days) for o in report.overdue}
    assert late[("张伟", "help")] == ("2026-09-08", 61)
    assert late[("张伟", "review")] == ("2026-10-01", 38)  # the review of 11-12 is later
    assert late[("曾小明", "follow_up")] == ("2026-11-06", 2)  # done only on 11-19
    assert ("曾小明", "goal") not in late  # due 11-15
    assert not any(what == "home_visit" for _, what in late)  # due by 11-10
    assert len(late) == len(report.overdue) == 14
    assert report.progress.total.measurable == 0  # the second scores came on 11-10


def test_term_summary(data):
    term = Term.get(Term.name == "2026-2027 第一学期")
    report = build_report("term", term_id=term.id)
    assert (report.kind, report.week, report.start, report.end, report.as_of) == (
        "term", "", dt.date(2026, 9, 1), dt.date(2027, 1, 20), dt.date(2026, 11, 20))
    assert report.entries.total == Contact.select().count() - 1  # not the one of 11-21
    assert report.cases.opened == 8  # every case of the term, not the old one
    same = build_report("term")  # the current term
    assert same.term_id == term.id and same.entries.counts == report.entries.counts
    old = build_report("term", term_id=Term.get(Term.name == "2025-2026 第二学期").id)
    assert old.as_of == dt.date(2026, 7, 10)
    assert old.cases.total.counts["closed"] == 1 and old.cases.total.total == 1
    assert old.entries.total == 0


@pytest.mark.parametrize("text, monday", [("2026-W47", "2026-11-16"), ("2026w47", "2026-11-16"),
                                          ("2026-W1", "2025-12-29"), ("2026-W53", "2026-12-28"),
                                          ("", "2026-11-16")])
def test_weeks(text, monday):
    day, label = parse_week(text, dt.date(2026, 11, 20))
    assert day.isoformat() == monday and day.weekday() == 0
    assert label == week_label(day)


@pytest.mark.parametrize("text", ["2026-47", "W47", "2026-W54", "2025-W53", "2026-W0", "47"])
def test_bad_weeks_are_refused(school, text):
    with pytest.raises(ReportError) as info:
        build_report("weekly", week=text)
    assert info.value.code == "week" and info.value.key in i18n.CATALOG


def test_a_future_period_is_refused(school):
    with pytest.raises(ReportError) as info:
        build_report("weekly", week="2026-W48")
    assert info.value.key == "err.report.future"
    Term.create(name="next", school_year="2026-2027", semester=2,
                start_date=dt.date(2027, 2, 20), end_date=dt.date(2027, 7, 10))
    with pytest.raises(ReportError):
        build_report("term", term_id=Term.get(Term.name == "next").id)
    with pytest.raises(ReportError):
        build_report("monthly")


def test_progress_is_reported_section_by_section(data):
    calls = []
    build_report("weekly", progress=lambda done, total: calls.append((done, total)))
    assert calls[0] == (0, len(SECTIONS)) and calls[-1] == (len(SECTIONS), len(SECTIONS))
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


# --- the files --------------------------------------------------------------------------------

def xlsx_tables(path: Path) -> dict[str, dict]:
    """Every sheet: its title, headers, rows and notes, cells as written."""
    from openpyxl import load_workbook

    book = load_workbook(path)
    out = {}
    for sheet in book.worksheets:
        values = [tuple(r) for r in sheet.iter_rows(values_only=True)]
        blank = next((i for i, r in enumerate(values) if i >= 2 and all(v is None for v in r)),
                     len(values))
        out[sheet.title] = {"title": values[0][0], "headers": values[1],
                            "rows": values[2:blank], "notes": values[blank + 1:],
                            "sheet": sheet}
    return out


def xlsx_text(cell) -> str:
    """An .xlsx cell as the text formats write it."""
    value, fmt = cell.value, cell.number_format
    if value is None:
        return "—"
    if isinstance(value, (int, float)) and fmt == "0.0%":  # 100% reads back as 1
        return f"{value * 100:.1f}%"
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d %H:%M}" if fmt.endswith("hh:mm") else value.date().isoformat()
    return str(value)


def csv_tables(text: str) -> list[dict]:
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1] == []
    out, i = [], 2
    while i < len(rows):
        title, headers = rows[i][0], rows[i + 1]
        j = i + 2
        body, notes = [], []
        while rows[j]:
            (body if len(rows[j]) == len(headers) else notes).append(rows[j])
            j += 1
        out.append({"title": title, "headers": headers, "rows": body, "notes": notes})
        i = j + 1
    return out


CELL_SPLIT = re.compile(r"(?<!\\)\|")


def md_cells(line: str) -> list[str]:
    return [re.sub(r"\\(.)", r"\1", c.strip()) for c in CELL_SPLIT.split(line.strip())[1:-1]]


def md_tables(text: str) -> list[dict]:
    out = []
    lines = text.splitlines()
    for n, line in enumerate(lines):
        if line.startswith("## "):
            headers = md_cells(lines[n + 2])
            assert set(lines[n + 3].replace("|", "")) <= set("-:")
            rows, k = [], n + 4
            while k < len(lines) and lines[k].startswith("|"):
                cells = md_cells(lines[k])
                assert len(cells) == len(headers), lines[k]
                rows.append(cells)
                k += 1
            notes = [ln.rsplit(": ", 1) for ln in lines[k:k + 4]
                     if ": " in ln and not ln.startswith(("#", "|"))]
            out.append({"title": re.sub(r"\\(.)", r"\1", line[3:]), "headers": headers,
                        "rows": rows, "notes": notes})
    return out


def test_xlsx_holds_the_figures_as_numbers(data, tmp_path):
    report = build_report("weekly", week="2026-W47")
    calls = []
    path = write_report(report, "xlsx", tmp_path / "out" / "week.xlsx",
                        progress=lambda d, t: calls.append(d))
    assert path == tmp_path / "out" / "week.xlsx" and calls[-1] == 7
    assert [p.name for p in path.parent.iterdir()] == ["week.xlsx"]  # no temporary file left
    book = xlsx_tables(path)
    assert list(book) == ["Summary", "Cases", "Entries", "Compliance", "Overdue", "Progress",
                          "Families"]
    summary = {r[0]: r[1] for r in book["Summary"]["rows"]}
    assert book["Summary"]["title"] == "Weekly report 2026-W47"
    assert summary["Period"] == "2026-11-16 – 2026-11-22"
    assert summary["Figures as of"].date() == dt.date(2026, 11, 20)
    assert summary["Term"] == "2026-2027 第一学期"
    # cases: per class and status, as the database has them
    cases = book["Cases"]
    assert cases["headers"] == ("Class", "identified", "active", "improving", "transformed",
                                "closed", "Total")
    expected = cases_by_query(report.term_id)
    for row in cases["rows"][:-1]:
        for status, n in zip(CASE_STATUSES, row[1:6]):
            assert n == expected.get((row[0], status), 0), (row[0], status)
    assert cases["rows"][-1] == ("Total", 2, 3, 1, 1, 1, 8)
    assert cases["notes"][0][:2] == ("Cases opened in the period", 1)
    # entries: every (kind, channel) against a query
    entries = book["Entries"]
    channels = list(entries["headers"][1:-1])
    assert channels[:2] == ["phone", "WeChat"]
    counted = entries_by_query(dt.date(2026, 11, 16), dt.date(2026, 11, 20))
    kinds = {"family": "family", "student": "student", "colleagues": "colleague"}
    from db.vocab import CHANNELS
    for row in entries["rows"][:-1]:
        for code, n in zip(CHANNELS, row[1:-1]):
            assert n == counted.get((kinds[row[0]], code), 0)
        assert isinstance(row[-1], int)
    assert entries["rows"][-1][0] == "Total" and entries["rows"][-1][-1] == 6
    assert entries["notes"][0][:2] == ("Cases with an entry in the period", 5)
    # compliance: numbers and shares as numbers formatted as percentages
    comp = book["Compliance"]
    assert comp["headers"][:4] == ("Class", "Open cases", "Help session: on time",
                                   "Help session: share")
    total = comp["rows"][-1]
    assert total == ("Total", 6, 4, pytest.approx(4 / 6), 4, pytest.approx(4 / 6),
                     2, pytest.approx(2 / 6))
    share_cell = comp["sheet"].cell(row=2 + len(comp["rows"]), column=8)
    assert share_cell.number_format == "0.0%" and isinstance(share_cell.value, float)
    # overdue rows, most overdue first
    overdue = book["Overdue"]
    assert overdue["headers"] == ("Student", "Number", "Class", "Item", "Due date",
                                  "Days overdue", "Lead")
    assert len(overdue["rows"]) == len(report.overdue) == 14
    first = overdue["rows"][1]
    assert first[:4] == ("[bold]王[/", "20240106", "八年级(2)班", "Help session")
    assert first[4].date() == dt.date(2026, 9, 8) and first[5:] == (73, "李建国")
    assert [r[5] for r in overdue["rows"]] == sorted((r[5] for r in overdue["rows"]),
                                                      reverse=True)
    # the 10% figure
    prog = book["Progress"]
    assert prog["rows"][-1] == ("Total", 8, 3, 5, 2, pytest.approx(2 / 3), "no",
                                pytest.approx(0.175))
    assert prog["rows"][0][:7] == ("七年级(1)班", 3, 2, 1, 2, 1.0, "yes")
    # presentation: bold header, frozen under it, sensible widths
    sheet = comp["sheet"]
    assert sheet.cell(row=2, column=1).font.b and sheet.freeze_panes == "A3"
    assert all(8 <= sheet.column_dimensions[c].width <= 60 for c in "ABCDEFGH")
    assert book["Overdue"]["sheet"].column_dimensions["A"].width >= len(HYPER) + 1


def test_csv_and_markdown_carry_the_same_figures_as_the_xlsx(data, tmp_path):
    report = build_report("weekly", week="2026-W47")
    xlsx = xlsx_tables(write_report(report, "xlsx", tmp_path / "r.xlsx"))
    raw = write_report(report, "csv", tmp_path / "r.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # a BOM: Excel reads it as UTF-8
    text = raw.decode("utf-8-sig")
    assert text == render_csv(report)
    from_csv = csv_tables(text)
    md = (tmp_path / "r.md")
    write_report(report, "md", md)
    assert md.read_text(encoding="utf-8") == render_markdown(report)
    from_md = md_tables(md.read_text(encoding="utf-8"))
    assert md.read_text(encoding="utf-8").startswith("# Weekly report 2026-W47\n")
    assert [t["title"] for t in from_csv[1:]] == [t["title"] for t in from_md]
    assert from_md[2]["title"] == "Rule compliance (as of 2026-11-20)"
    sheets = list(xlsx.values())
    assert len(sheets) == len(from_csv) == len(from_md) + 1
    for sheet, c, m in zip(sheets[1:], from_csv[1:], from_md):
        grid = [[xlsx_text(cell).removeprefix("'") for cell in row[:len(sheet["headers"])]]
                for row in sheet["sheet"].iter_rows(min_row=3, max_row=2 + len(sheet["rows"]))]
        csv_grid = [[v.removeprefix("'") for v in row] for row in c["rows"]]
        assert grid == csv_grid == m["rows"], sheet["title"]
        assert list(sheet["headers"]) == c["headers"] == m["headers"]
        assert [[str(v) for v in n[:2]] for n in sheet["notes"] if n[0]] == c["notes"] == m["notes"]
    comp = from_csv[3]["rows"][-1]
    assert comp == ["Total", "6", "4", "66.7%", "4", "66.7%", "2", "33.3%"]
    assert from_md[4]["rows"][-1] == ["Total", "8", "3", "5", "2", "66.7%", "no", "17.5%"]


def test_formula_like_names_are_neutralized(data, tmp_path):
    from openpyxl import load_workbook

    report = build_report("weekly", week="2026-W47")
    sheet = load_workbook(write_report(report, "xlsx", tmp_path / "r.xlsx"))["Overdue"]
    names = [sheet.cell(row=r, column=1) for r in range(3, sheet.max_row + 1)]
    hyper = [c for c in names if c.value and "HYPERLINK" in c.value]
    assert hyper and all(c.value == "'" + HYPER and c.data_type == "s" for c in hyper)
    leads = {sheet.cell(row=c.row, column=7).value for c in hyper}
    assert leads == {"'+SUM(1,2)"}
    rows = list(csv.reader(io.StringIO(render_csv(report))))
    cells = [v for row in rows for v in row]
    assert "'" + HYPER in cells and "'+SUM(1,2)" in cells
    assert not any(v.startswith(("=", "+", "@")) for v in cells)
    assert not any(v.startswith("-") and not v[1:2].isdigit() for v in cells)
    assert neutralize("\tx") == "'\tx" and neutralize("-1+2") == "'-1+2" and neutralize("a=b") == "a=b"


def test_markdown_cells_cannot_break_the_table(data):
    Student.update(name="a|b\\c *x* `y`").where(Student.name == HYPER).execute()
    SchoolClass.create(name="#1 | <b>", code="x")
    text = render_markdown(build_report("weekly", week="2026-W47"))
    overdue = md_tables(text)[3]
    odd = [r for r in overdue["rows"] if r[0] == "a|b\\c *x* `y`"]
    assert len(odd) == 4 and all(len(r) == 7 for r in odd)
    assert "a\\|b\\\\c \\*x\\* \\`y\\`" in text
    assert md_escape("# title") == "\\# title" and md_escape("1. one") == "1\\. one"
    assert md_escape("-x") == "\\-x" and md_escape("<script>") == "\\<script\\>"


def test_a_failed_write_leaves_the_old_file_and_no_temporary(data, tmp_path, monkeypatch):
    from tui import report_files

    report = build_report("weekly", week="2026-W47")
    target = tmp_path / "r.xlsx"
    target.write_bytes(b"old")

    def broken(*args):
        Path(args[1]).write_bytes(b"half")
        raise OSError("disk full")

    monkeypatch.setattr(report_files, "_write_xlsx", broken)
    with pytest.raises(OSError):
        write_report(report, "xlsx", target)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_chinese_tables(data):
    i18n.set_language("zh")
    report = build_report("weekly", week="2026-W47")
    titles = [t.title for t in tables(report)]
    assert titles[1:3] == ["帮扶个案（按状态、班级）", "帮扶记录（按对象、方式）"]
    assert tables(report)[1].headers[:3] == ["班级", "已摸排", "帮扶中"]
    assert render_markdown(report).startswith("# 帮扶工作周报 2026-W47\n")


# --- the command --------------------------------------------------------------------------------

@pytest.fixture
def env(tmp_path, local_state):
    return cli_env(tmp_path, local_state)


run = run_cli


def one_line_error(proc, status: int) -> str:
    assert proc.returncode == status, (proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr and proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("bangfu: "), proc.stderr
    return lines[0]


def test_cli_writes_the_xlsx(data, env, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "reports" / "w47.xlsx"
    proc = run(env, "report", "weekly", "--week", "2026-W47", "--format", "xlsx", "-o", out,
               db=data.path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"Report written: {out}"
    book = load_workbook(out)
    assert book["Compliance"].cell(row=5 + 1, column=2).value == 6  # the total row
    assert book["Entries"].cell(row=6, column=10).value == 6
    # the suffix chooses the format without --format
    proc = run(env, "report", "weekly", "--week", "2026-W45", "-o", tmp_path / "w45.csv",
               db=data.path)
    assert proc.returncode == 0, proc.stderr
    rows = csv_tables((tmp_path / "w45.csv").read_text(encoding="utf-8-sig"))
    assert rows[2]["rows"][-1][-1] == "5"  # the week's entries


def test_cli_prints_markdown_and_csv(data, env):
    proc = run(env, "report", "weekly", "--week", "2026-W47", db=data.path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("# Weekly report 2026-W47\n")
    entries = md_tables(proc.stdout)[1]
    assert entries["rows"][-1][-1] == "6" and entries["notes"] == [
        ["Cases with an entry in the period", "5"]]
    proc = run(env, "report", "weekly", "--week", "2026-W47", "--format", "csv", db=data.path)
    assert proc.returncode == 0, proc.stderr
    overdue = csv_tables(proc.stdout)[4]
    assert len(overdue["rows"]) == 14 and ["'" + HYPER] == [
        r[0] for r in overdue["rows"] if "HYPERLINK" in r[0]][:1]
    proc = run(env, "report", "term", "--term", "2026-2027 第一学期", db=data.path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("# Term summary: 2026-2027 第一学期\n")


@pytest.mark.parametrize("args, status, words", [
    (("report", "weekly", "--week", "2026-47"), 2, "YYYY-Www"),
    (("report", "weekly", "--week", "2026-W48"), 1, "not begun"),
    (("report", "weekly", "--format", "xlsx"), 2, "-o FILE.xlsx"),
    (("report", "term", "--week", "2026-W47"), 2, "--week"),
    (("report", "weekly", "--term", "x"), 2, "--term"),
    (("report", "term", "--term", "2099"), 1, "Terms: 2025-2026 第二学期, 2026-2027 第一学期"),
    (("report", "monthly"), 2, "invalid choice"),
])
def test_cli_errors_are_one_line(data, env, tmp_path, args, status, words):
    line = one_line_error(run(env, *args, db=data.path), status)
    assert words in line
    assert not list(tmp_path.glob("*.xlsx"))


def test_cli_in_chinese(data, env, tmp_path):
    proc = run(env, "--lang", "zh", "report", "weekly", "--week", "2026-W47", db=data.path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("# 帮扶工作周报 2026-W47\n")
    assert "## 频次要求落实情况（截至 2026-11-20）" in proc.stdout
    assert "| 班级 | 已摸排 | 帮扶中 |" in proc.stdout
    out = tmp_path / "周报.xlsx"
    proc = run(env, "--lang", "zh", "report", "weekly", "-o", out, db=data.path)
    assert proc.returncode == 0 and proc.stdout.strip() == f"报告已写入：{out}"
    from openpyxl import load_workbook

    assert load_workbook(out).sheetnames == ["概要", "帮扶个案", "帮扶记录", "频次落实",
                                             "逾期事项", "阶段成效", "家校共育"]
    line = one_line_error(run(env, "--lang", "zh", "report", "weekly", "--week", "x",
                              db=data.path), 2)
    assert "2026-W47" in line and "格式" in line


PROBE = """
import sys
from tui.cli import main
rc = main(sys.argv[1:])
print("RC", rc)
print("TEXTUAL", any(m == "textual" or m.startswith("textual.") for m in sys.modules))
print("OPENPYXL", "openpyxl" in sys.modules)
"""


def test_cli_report_does_not_import_textual(data, env, tmp_path):
    def probe(*args):
        proc = subprocess.run([sys.executable, "-c", PROBE, "--db", str(data.path), *args],
                              capture_output=True, input="1234\n", text=True, encoding="utf-8", env=env,
                              cwd=ROOT, timeout=60)
        assert proc.returncode == 0, proc.stderr
        return dict(line.split(" ", 1) for line in proc.stdout.strip().splitlines()[-3:])

    tail = probe("report", "weekly", "--week", "2026-W47", "-o", str(tmp_path / "r.xlsx"))
    assert tail == {"RC": "0", "TEXTUAL": "False", "OPENPYXL": "True"}
    tail = probe("report", "weekly", "--week", "2026-W47", "--format", "md")
    assert tail == {"RC": "0", "TEXTUAL": "False", "OPENPYXL": "False"}
