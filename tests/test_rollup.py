"""Reporting up (db.rollup): a school's figures checked by hand for a week and a
half-month, the periods, combining schools, and the key/value rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from db.rollup import (COUNTS, ROLLUP_VERSION, RollupError, RuleFigure, SchoolFigures,
                       VillageFigure, combine, period_bounds, period_kind, school_figures,
                       shift_period)
from db.rollup_rows import as_rows, from_rows
from tests.conftest import TODAY
from tests.rollup_school import add_rollup_data


def villages(f: SchoolFigures) -> dict[str, tuple[int, int, int]]:
    return {v.village: (v.open_cases, v.helpers, v.contacts) for v in f.villages}


def test_periods():
    friday = dt.date(2026, 11, 20)
    assert period_bounds("week", friday) == (dt.date(2026, 11, 16), dt.date(2026, 11, 22))
    assert period_bounds("half-month", friday) == (dt.date(2026, 11, 16), dt.date(2026, 11, 30))
    assert period_bounds("half_month", dt.date(2026, 11, 15)) == (dt.date(2026, 11, 1),
                                                                  dt.date(2026, 11, 15))
    assert period_bounds("half-month", dt.date(2028, 2, 20))[1] == dt.date(2028, 2, 29)
    assert shift_period("half-month", dt.date(2026, 11, 16), -1) == (dt.date(2026, 11, 1),
                                                                    dt.date(2026, 11, 15))
    assert shift_period("half-month", dt.date(2026, 11, 1), -1)[0] == dt.date(2026, 10, 16)
    assert shift_period("week", dt.date(2026, 11, 18), 1)[0] == dt.date(2026, 11, 23)
    with pytest.raises(RollupError) as caught:
        period_kind("month")
    assert caught.value.key == "err.rollup.period_kind"


def test_the_week_by_hand(school):
    add_rollup_data(school)
    f = school_figures(TODAY, "week", school="一中")
    assert (f.school, f.period, f.start, f.end, f.as_of, f.version) == (
        "一中", "week", dt.date(2026, 11, 16), dt.date(2026, 11, 22), TODAY, ROLLUP_VERSION)
    # 7 students; open on the 20th: 张伟, 赵薇, 曾小明, 王 (周文's closed on the 18th)
    assert (f.students, f.in_programme, f.cases_open) == (7, 4, 4)
    assert f.programme_share == pytest.approx(4 / 7)
    # opened this week: the three the fixture opened today (曾小明's moved to September)
    assert (f.cases_opened, f.cases_closed, f.cases_transformed) == (3, 1, 0)
    # entries 17th, 18th (张伟), 19th (赵薇); the 21st's is after today
    assert (f.entries, f.entry_cases, f.family_contacts, f.home_visits) == (3, 2, 2, 1)
    # 曾小明 (open since September): no help session ever, no stage review; the
    # home visit and the family contact of the 12th meet those rules
    assert f.rules == (RuleFigure("help", "student", "", 4, 3),
                       RuleFigure("family", "family", "", 4, 4),
                       RuleFigure("home_visit", "", "home_visit", 4, 4))
    assert f.overdue == (("help", 1), ("review", 1))
    assert (f.overdue_cases, f.overdue_items) == (1, 2)
    # the parent school of the 18th: 4 supported families invited (the whole school),
    # 张伟's came; ratings 5 (张伟) and 4 (单田芳, not supported: counted in the mean)
    assert (f.family_events, f.families_invited, f.families_attended) == (1, 4, 1)
    assert (f.event_ratings, f.event_rating_total, f.mean_rating) == (2, 9, 4.5)
    assert (f.feedback_received, f.feedback_answered, f.feedback_in_time,
            f.feedback_resolved, f.feedback_open, f.feedback_overdue) == (1, 1, 1, 1, 1, 1)
    assert (f.surveys, f.survey_families, f.survey_given, f.survey_satisfied) == (1, 2, 3, 2)
    assert f.corrections_open == 1
    # 红旗村: 张伟 and 赵薇, their leads 王芳 and 李建国 and the village cadre on both
    # (one person); 新华社区: 曾小明 with 王芳 (the cadre is off his team); 王: no village
    assert villages(f) == {"红旗村": (2, 3, 3), "新华社区": (1, 1, 0), "": (1, 1, 0)}
    assert {v.school for v in f.villages} == {"一中"}


def test_the_half_month_by_hand(school):
    add_rollup_data(school)
    f = school_figures(TODAY, "half-month", day=dt.date(2026, 11, 10), school="一中")
    assert (f.start, f.end, f.as_of) == (dt.date(2026, 11, 1), dt.date(2026, 11, 15),
                                         dt.date(2026, 11, 15))
    # open on the 15th: 曾小明 (since September) and 周文 (closed on the 18th)
    assert (f.students, f.in_programme, f.cases_open) == (7, 2, 2)
    assert (f.cases_opened, f.cases_closed) == (0, 0)
    # the 2nd (张伟, family), the 5th (周文, student), the 12th (曾小明, home visit)
    assert (f.entries, f.entry_cases, f.family_contacts, f.home_visits) == (3, 3, 2, 1)
    # 周文: his help session of the 5th was due again on the 12th; no family
    # contact, home visit or review since September
    assert [(r.code, r.asked, r.done) for r in f.rules] == [
        ("help", 2, 0), ("family", 2, 1), ("home_visit", 2, 1)]
    assert dict(f.overdue) == {"help": 2, "family": 1, "home_visit": 1, "review": 2}
    assert f.overdue_cases == 2
    assert (f.family_events, f.families_invited, f.event_ratings) == (0, 0, 0)
    # the question of the 2nd, unanswered, due the 10th
    assert (f.feedback_received, f.feedback_answered, f.feedback_open,
            f.feedback_overdue) == (1, 0, 1, 1)
    assert (f.surveys, f.corrections_open) == (0, 1)
    assert villages(f) == {"新华社区": (2, 2, 2), "红旗村": (0, 0, 1)}


def test_supervision_figures_are_the_supervision_reports(school):
    from db.holidays import Calendar
    from db.supervision import load_rubric
    from db.supervision_figures import gather
    from db.workflow import load_rules

    add_rollup_data(school)
    f = school_figures(TODAY, "week")
    helpers, _, _ = gather(f.start, f.as_of, "", load_rubric(), load_rules(),
                           Calendar.around(f.start, f.as_of))
    scores = [h.score for h in helpers if h.score is not None]
    assert (f.helpers, f.helpers_scored, f.score_total) == (len(helpers), len(scores),
                                                            sum(scores))
    assert f.helpers == 3  # 李建国 (teacher), 曾老师 (counsellor), 王芳 (a lead)


def test_the_rules_are_the_weekly_reports(school):
    from db.reports import build_report

    add_rollup_data(school)
    f = school_figures(TODAY, "week")
    report = build_report("weekly", reader=school.teacher, week="2026-W47")
    assert [(r.code, r.asked, r.done) for r in f.rules] == [
        (rule.code, report.compliance.total.cases, report.compliance.total.on_time[rule.code])
        for rule in report.compliance.rules]
    assert f.overdue_items == len(report.overdue)
    assert f.progress_students == report.progress.total.students


def test_a_future_period_is_refused(school):
    with pytest.raises(RollupError) as caught:
        school_figures(TODAY, "week", day=dt.date(2026, 11, 23))
    assert caught.value.code == "future"


def test_the_name_comes_from_the_database_else_the_fallback(school):
    """A file's name (or a server database's) when no district names the school
    (a school's role on a district server: tests/test_district.py)."""
    from db.rollup_figures import name_of_database, school_name

    assert school_name(" school ") == "school"
    assert name_of_database("/mnt/share/bangfu/一中.db") == "一中"
    assert name_of_database("postgresql://u@host:5432/town?sslmode=require") == "town"
    assert school_figures(TODAY, "week", school="红旗小学").school == "红旗小学"


def test_rows_read_back_exactly(school):
    add_rollup_data(school)
    for f in (school_figures(TODAY, "week", school="=SUM(1)"),
              school_figures(TODAY, "half-month", day=dt.date(2026, 11, 3))):
        back = from_rows(as_rows(f))
        assert back == f and back.made_at == f.made_at
    # a spreadsheet's apostrophe before a formula is taken off
    f = school_figures(TODAY, "week", school="=SUM(1)")
    rows = [[k, "'=SUM(1)" if k == "school" else v, *rest] for k, v, *rest in as_rows(f)]
    assert from_rows(rows) == f


def _figures(school: str, **counts) -> SchoolFigures:
    return SchoolFigures(school, "week", dt.date(2026, 11, 16), dt.date(2026, 11, 22),
                         TODAY, **counts)


def test_combine_sums_and_recomputes_shares():
    a = _figures("A", students=100, in_programme=10, helpers_scored=1, score_total=90,
                 rules=(RuleFigure("help", "student", "", 10, 9),),
                 overdue=(("help", 1),), villages=(VillageFigure("A", "东村", 3, 2, 5),))
    b = _figures("B", students=300, in_programme=20, helpers_scored=3, score_total=150,
                 rules=(RuleFigure("help", "student", "", 20, 10),
                        RuleFigure("visit2", "", "home_visit", 5, 5)),
                 overdue=(("help", 2), ("review", 1)),
                 villages=(VillageFigure("B", "东村", 1, 1, 1),))
    town = combine([a, b])
    assert town.schools == (a, b)
    assert (town.total.students, town.total.in_programme) == (400, 30)
    assert town.total.programme_share == pytest.approx(30 / 400)  # not (10% + 6.7%) / 2
    assert town.total.mean_score == pytest.approx(240 / 4)  # weighted by helpers scored
    assert town.total.rules == (RuleFigure("help", "student", "", 30, 19),
                                RuleFigure("visit2", "", "home_visit", 5, 5))
    assert dict(town.total.overdue) == {"help": 3, "review": 1}
    # the same village name in two schools stays two villages
    assert [(v.school, v.village) for v in town.total.villages] == [("A", "东村"), ("B", "东村")]
    for name in COUNTS:
        assert getattr(town.total, name) == getattr(a, name) + getattr(b, name)


@pytest.mark.parametrize("change, code", [
    (dict(start=dt.date(2026, 11, 9), end=dt.date(2026, 11, 15)), "periods"),
    (dict(period="half-month", end=dt.date(2026, 11, 30)), "periods"),
    (dict(version=ROLLUP_VERSION + 1), "versions"),
    (dict(school="A"), "twice"),
])
def test_combine_refuses_what_does_not_add_up(change, code):
    a, b = _figures("A"), replace(_figures("B"), **change)
    with pytest.raises(RollupError) as caught:
        combine([a, _figures("C"), b])
    assert (caught.value.code, caught.value.index) == (code, 2)
    with pytest.raises(RollupError):
        combine([])
