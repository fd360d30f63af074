"""The families section of the weekly report and the term summary: events and
the supported families that came, families' feedback, the term's satisfaction
figure and its recognitions, on a hand-checked set, as each reader may see them.
"""

from __future__ import annotations

import datetime as dt

from db.family_events import CAME, RATING, EventInput, add_event, save_attendance
from db.feedback import answer_feedback, get_feedback, record_feedback
from db.models import SchoolClass
from db.recognitions import RecognitionInput, add_recognition
from db.reports import build_report
from db.surveys import create_survey, question_column, save_answers
from tui.report_files import render_markdown, tables


def families_school(school):
    """7-1 (张伟, 赵薇, 曾小明: all supported) and 8-2 ([bold]王[/ supported; 单田芳,
    周文, 欧阳娜娜 not) of the fixture, and:
    - a parent school session for 7-1 on 11-17 (W47): 张伟 came (rating 5), 赵薇 came
      (rating 3), 曾小明 did not: 2 of the 3 supported families invited came;
    - a parent meeting for the whole school on 11-10 (W46, same term);
    - feedback: a complaint on 11-16 answered on 11-18 (due 11-23: in time), a question
      on 11-17 unanswered (due 11-19: overdue on 11-20), a suggestion on 11-02 (W45);
    - a survey of two questions: 张伟 5 4, 赵薇 3 -, 曾小明 2 5 (7-1: 3 of 5 answers
      rated 4-5 = 60%); [bold]王[/ 4 4 (8-2: 2 of 2 = 100%); overall 5 of 7 = 71.4%;
    - a recognition of 张伟's family on 11-19."""
    admin = school.teacher
    c71 = SchoolClass.get(SchoolClass.code == "7-1")
    c82 = SchoolClass.get(SchoolClass.code == "8-2")
    s = school.students
    session = add_event(admin, EventInput("2026-11-17", "parent_school", "如何陪孩子写作业",
                                          classes="7-1"))
    save_attendance(admin, session, c71.id, {
        (s["张伟"].id, CAME): "1", (s["张伟"].id, RATING): "5",
        (s["赵薇"].id, CAME): "1", (s["赵薇"].id, RATING): "3",
        (s["曾小明"].id, CAME): "0"})
    add_event(admin, EventInput("2026-11-10", "parent_meeting", "期中家长会"))
    complaint = record_feedback(admin, student_id=s["张伟"].id, kind="complaint", channel="box",
                                text="作业太多", received="2026-11-16", due="2026-11-23")
    answer_feedback(admin, complaint, get_feedback(admin, complaint).version, "已和老师商量",
                    answered="2026-11-18")
    record_feedback(admin, student_id=s["赵薇"].id, kind="question", channel="phone",
                    text="补课时间？", received="2026-11-17", due="2026-11-19")
    record_feedback(admin, student_id=None, kind="suggestion", channel="box",
                    text="多开家长会", received="2026-11-02")
    survey = create_survey(admin, "2026秋家长满意度", ["总体满意度", "沟通"],
                           term_text="2026-2027 第一学期", taken_on=dt.date(2026, 11, 18))
    q1, q2 = question_column(0), question_column(1)
    save_answers(admin, survey.id, c71.id, {
        (s["张伟"].id, q1): "5", (s["张伟"].id, q2): "4",
        (s["赵薇"].id, q1): "3",
        (s["曾小明"].id, q1): "2", (s["曾小明"].id, q2): "5"})
    save_answers(admin, survey.id, c82.id, {(s["[bold]王[/"].id, q1): "4",
                                           (s["[bold]王[/"].id, q2): "4"})
    add_recognition(admin, RecognitionInput("family", "家校配合好", "2026-11-19", "学校",
                                            student_id=s["张伟"].id))
    return school


def test_the_weekly_report_counts_the_weeks_events_and_feedback(school):
    families_school(school)
    report = build_report("weekly", reader=school.teacher, week="2026-W47")
    events, feedback = report.families.events, report.families.feedback
    assert events.events == 1 and events.by_kind["parent_school"] == 1
    assert (events.invited, events.attended) == (3, 2)
    assert events.mean_rating == 4.0
    assert (feedback.received, feedback.answered, feedback.answered_in_time) == (2, 1, 1)
    # open on 11-20: the question (due 11-19) and the W45 suggestion (due 11-09): both late
    assert (feedback.open_now, feedback.overdue_now) == (2, 2)
    assert report.families.satisfaction is None and report.families.recognitions == []
    text = render_markdown(report)
    assert "## Families: events and feedback" in text
    assert "| Supported families that came | 2 |" in text
    assert "| Share of supported families that came | 66.7% |" in text
    assert "作业太多" not in text and "补课时间" not in text  # counts, never a family's words


def test_the_term_summary_has_the_satisfaction_figure_and_the_recognitions(school):
    families_school(school)
    report = build_report("term", reader=school.teacher)
    families = report.families
    assert families.events.events == 2
    assert families.feedback.received == 3
    overall = families.satisfaction.overall
    assert (overall.satisfied, overall.given) == (5, 7)
    [survey] = families.satisfaction.surveys
    by_class = {f.name: (f.satisfied, f.given) for f in survey.classes}
    assert by_class["七年级(1)班"] == (3, 5) and by_class["八年级(2)班"] == (2, 2)
    assert [r.what for r in families.recognitions] == ["家校配合好"]
    sheets = {table.key: table for table in tables(report)}
    rows = list(sheets["satisfaction"].rows)
    assert rows[-1][4:6] == [5, 7] and abs(rows[-1][6] - 5 / 7) < 1e-9
    assert rows[-1][8] == "no"  # 71.4% against the target of 85%
    assert list(sheets["recognitions"].rows)[0][2] == "张伟"


def test_a_teachers_report_counts_only_the_families_they_see(school):
    """李建国 teaches no class here and leads 赵薇's and [bold]王[/'s cases."""
    families_school(school)
    report = build_report("term", reader=school.other)
    events = report.families.events
    # invited: 赵薇 (7-1's session) and [bold]王[/ (the whole school's meeting); 赵薇's came
    assert (events.invited, events.attended) == (2, 1)
    assert report.families.feedback.received == 1  # the question about 赵薇
    assert report.families.satisfaction.partial
    names = [r.name for r in report.families.recognitions]
    assert names == [""]  # 张伟 is not his: listed without a name
    assert "张伟" not in render_markdown(report)
