"""Issue 22, satisfaction surveys of families: the figure, the import, who may."""

from __future__ import annotations

import csv
import json

import pytest

from db.access import NotAllowed
from db.models import AuditLog, Staff, Student
from db.models_families import Survey, SurveyAnswer
from db.staff import add_staff
from db.survey_file import import_answers
from db.surveys import (SurveyConflict, SurveyError, create_survey, edit_survey, save_answers,
                        survey_figures, term_satisfaction)
from tests.helpers import cli_env, run_cli

QUESTIONS = ["对学校的满意度", "对班主任的满意度", "对帮扶工作的满意度"]
# the header names question 1 by its text, 2 as Q2 and 3 as 第3题
HEADER = ["学号", "姓名", "对学校的满意度", "Q2", "第3题", "备注"]
# The hand-checked set (7-1 has 3 families, 8-2 has 4), answers rated 4-5 / given:
#   7-1  20240101  5 4 3      2/3
#        20240102  满意 5 -   2/2
#        20240103  5 5 4      3/3   → 7/8  = 87.5%  (target 85: met), 3 of 3 answered
#   8-2  20240104  4 4 4      3/3
#        20240105  非常满意 1 5  2/3
#        20240106  3 - -      0/1
#        20240107  5 5 5      3/3   → 8/10 = 80.0%  (short by 5 points), 4 of 4
#   overall                         → 15/18 = 83.33% (short by 1.7 points), 7 of 7
ROWS = [
    ["20240101", "张伟", 5, 4, 3, "孩子进步明显"],
    ["20240102", "赵薇", "满意", 5, None, ""],
    ["20240103", "曾小明", 5, "5", 4.0, None],
    ["20240104", "单田芳", 4, 4, 4, ""],
    ["20240105", "周文", "非常满意", 1, 5, "希望多家访"],
    ["20240106", "王", 3, None, None, ""],
    ["20240107", "欧阳娜娜", "very satisfied", 5, 5, ""],
]


def write_xlsx(path, rows, header=HEADER):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["2026 秋季家长满意度调查"])  # a title row above the header
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def write_csv(path, rows, header=HEADER):
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        for row in rows:
            writer.writerow(["" if v is None else v for v in row])
    return path


def admin():
    return Staff.get(Staff.name == "王芳")


def new_survey(**kwargs):
    return create_survey(admin(), "2026 秋季家长满意度", QUESTIONS, **kwargs)


def by_class(figures):
    return {f.name: (f.satisfied, f.given, f.answering, f.families) for f in figures.classes}


def teacher_of(code: str):
    li = Staff.get(Staff.name == "李建国")
    Staff.update(classes=code).where(Staff.id == li.id).execute()
    return Staff.get_by_id(li.id)


def check_hand_set(survey):
    figures = survey_figures(survey.id, admin())
    assert by_class(figures) == {"七年级(1)班": (7, 8, 3, 3), "八年级(2)班": (8, 10, 4, 4)}
    seven, eight = figures.classes
    assert seven.rate == 87.5 and seven.short_by(85) == 0
    assert eight.rate == 80.0 and eight.short_by(85) == 5
    overall = figures.overall
    assert (overall.satisfied, overall.given, overall.answering, overall.families) == (15, 18, 7, 7)
    assert round(overall.rate, 2) == 83.33 and overall.short_by(85) == 1.7
    assert not figures.partial
    # per question: Q1 all 7 given (6 rated 4-5, the 3 is not), Q2 6 given (5), Q3 5 given (4)
    assert [(q.satisfied, q.given) for q in figures.by_question] == [(6, 7), (5, 6), (4, 5)]


def test_an_xlsx_gives_the_hand_checked_figure(school, tmp_path):
    survey = new_survey()
    result = import_answers(admin(), survey.id, write_xlsx(tmp_path / "a.xlsx", ROWS))
    assert result.ok, result.problems
    assert (result.rows, result.count.added, result.count.changed) == (7, 7, 0)
    check_hand_set(survey)
    zhang = SurveyAnswer.get(SurveyAnswer.student == Student.get(Student.student_no == "20240101"))
    assert json.loads(zhang.answers) == [5, 4, 3] and zhang.note == "孩子进步明显"
    assert AuditLog.select().where(AuditLog.table_name == "survey_answer").count() == 7


def test_a_csv_gives_the_same_figure(school, tmp_path):
    survey = new_survey()
    result = import_answers(admin(), survey.id, write_csv(tmp_path / "a.csv", ROWS))
    assert result.ok, result.problems
    check_hand_set(survey)


def test_one_bad_row_writes_nothing_and_is_named(school, tmp_path):
    survey = new_survey()
    bad = [list(r) for r in ROWS]
    bad[3][3] = 6  # 20240104, question 2: file row 6 (title row, header, 3 rows above)
    bad[5][0] = "20249999"  # row 8: nobody has this number
    result = import_answers(admin(), survey.id, write_xlsx(tmp_path / "bad.xlsx", bad))
    assert not result.ok
    assert [(p.row, p.code, p.column, p.value) for p in result.problems] == [
        (6, "value", "Q2", "6"), (8, "unknown_student", "", "20249999")]
    assert SurveyAnswer.select().count() == 0


def test_a_missing_question_column_is_named(school, tmp_path):
    survey = new_survey()
    header = ["学号", "Q1", "Q2"]
    result = import_answers(admin(), survey.id,
                            write_csv(tmp_path / "short.csv", [["20240101", 5, 5]], header))
    assert [(p.row, p.code, p.column) for p in result.problems] == [(1, "missing_question", "Q3")]
    assert SurveyAnswer.select().count() == 0


def test_a_file_without_a_student_number_column_is_refused(school, tmp_path):
    survey = new_survey()
    result = import_answers(admin(), survey.id, write_csv(tmp_path / "n.csv", [["张伟", 5, 5, 5]],
                                                          ["姓名", "Q1", "Q2", "Q3"]))
    assert [(p.row, p.code) for p in result.problems] == [(0, "no_header")]
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    result = import_answers(admin(), survey.id, broken)
    assert [p.code for p in result.problems] == ["file"] and result.file_error is not None
    assert SurveyAnswer.select().count() == 0


@pytest.mark.file_only
def test_every_answer_reaches_the_journal_with_its_uuid(school, tmp_path):
    from db.store import journal

    survey = new_survey()
    import_answers(admin(), survey.id, write_csv(tmp_path / "a.csv", ROWS))
    lines = [line for line in journal.read_all(school.path).lines
             if line["table"] in ("survey", "survey_answer")]
    assert [line["table"] for line in lines].count("survey_answer") == 7
    assert {line["uuid"] for line in lines} == {a.uuid for a in SurveyAnswer.select()} | {survey.uuid}


def test_re_import_updates_and_never_duplicates(school, tmp_path):
    survey = new_survey()
    import_answers(admin(), survey.id, write_xlsx(tmp_path / "a.xlsx", ROWS))
    again = [list(r) for r in ROWS]
    again[5][2] = 4  # 20240106 now rates question 1 with 4: 8-2 is 9/10 = 90%
    result = import_answers(admin(), survey.id, write_xlsx(tmp_path / "b.xlsx", again))
    assert (result.count.added, result.count.changed, result.rows) == (0, 1, 7)
    assert SurveyAnswer.select().count() == 7
    figures = survey_figures(survey.id, admin())
    assert by_class(figures)["八年级(2)班"] == (9, 10, 4, 4)


def grid_cells(rows: dict[str, list[str]], note: dict[str, str] | None = None):
    cells = {}
    for no, values in rows.items():
        sid = Student.get(Student.student_no == no).id
        for i, value in enumerate(values):
            cells[(sid, f"q{i + 1}")] = value
        cells[(sid, "note")] = (note or {}).get(no, "")
    return cells


def test_the_grid_saves_one_class_in_one_go_and_a_cleared_row_removes(school):
    survey = new_survey()
    seven = Student.get(Student.student_no == "20240101").school_class_id
    count = save_answers(admin(), survey.id, seven, grid_cells(
        {"20240101": ["5", "4", ""], "20240102": ["3", "", ""], "20240103": ["", "", ""]}))
    assert (count.added, count.changed, count.removed) == (2, 0, 0)
    # a bad cell: nothing of the grid is written, the cell is named
    with pytest.raises(SurveyError) as refused:
        save_answers(admin(), survey.id, seven, grid_cells(
            {"20240101": ["", "", ""], "20240102": ["9", "", ""]}))
    sid = Student.get(Student.student_no == "20240102").id
    assert refused.value.errors == {f"cell:{sid}:q1": "survey.err.value"}
    assert SurveyAnswer.select().count() == 2
    count = save_answers(admin(), survey.id, seven, grid_cells(
        {"20240101": ["", "", ""], "20240102": ["3", "4", ""]}))
    assert (count.added, count.changed, count.removed) == (0, 1, 1)
    assert [json.loads(a.answers) for a in SurveyAnswer.select()] == [[3, 4, None]]


def test_a_grid_save_over_someone_elses_newer_answers_is_refused(school):
    survey = new_survey()
    seven = Student.get(Student.student_no == "20240101").school_class_id
    cells = grid_cells({"20240101": ["5", "5", "5"]})
    save_answers(admin(), survey.id, seven, cells, versions={})
    with pytest.raises(SurveyConflict) as conflict:  # loaded before that save: version 0
        save_answers(admin(), survey.id, seven, grid_cells({"20240101": ["1", "1", "1"]}),
                     versions={})
    assert conflict.value.names == ["张伟"]
    assert json.loads(SurveyAnswer.get().answers) == [5, 5, 5]


def test_editing_checks_the_version_and_keeps_answered_questions(school):
    survey = new_survey()
    seven = Student.get(Student.student_no == "20240101").school_class_id
    save_answers(admin(), survey.id, seven, grid_cells({"20240101": ["5", "", "4"]}))
    with pytest.raises(SurveyError) as removed:
        edit_survey(admin(), survey.id, 1, "秋季调查", 90, QUESTIONS[:2])
    assert removed.value.errors == {"questions": "survey.err.answered_removed"}
    assert edit_survey(admin(), survey.id, 1, "秋季调查", "90%", QUESTIONS + ["对食堂"]) == 2
    with pytest.raises(SurveyConflict):
        edit_survey(admin(), survey.id, 1, "又改", 85, QUESTIONS)
    row = Survey.get_by_id(survey.id)
    assert (row.title, row.target, len(json.loads(row.questions))) == ("秋季调查", 90, 4)


@pytest.mark.parametrize("title,target,questions,field", [
    ("", 85, QUESTIONS, "title"), ("T", 0, QUESTIONS, "target"), ("T", "abc", QUESTIONS, "target"),
    ("T", 85, ["", " "], "questions"), ("T", 85, [f"q{i}" for i in range(21)], "questions")])
def test_a_bad_survey_is_refused_by_field(school, title, target, questions, field):
    with pytest.raises(SurveyError) as refused:
        create_survey(admin(), title, questions, target)
    assert field in refused.value.errors
    assert Survey.select().count() == 0


def test_who_may_do_what(school, tmp_path):
    survey = new_survey()
    li = teacher_of("7-1")  # a teacher of 7-1 only
    seven = Student.get(Student.student_no == "20240101").school_class_id
    eight = Student.get(Student.student_no == "20240104").school_class_id
    with pytest.raises(NotAllowed):
        create_survey(li, "mine", ["q"])
    with pytest.raises(NotAllowed):
        edit_survey(li, survey.id, 1, "mine", 85, ["q"])
    save_answers(li, survey.id, seven, grid_cells({"20240101": ["5", "5", "1"]}))
    with pytest.raises(NotAllowed):
        save_answers(li, survey.id, eight, grid_cells({"20240104": ["5", "5", "5"]}))
    # the file: a row of a class that is not theirs is a problem, nothing written
    result = import_answers(li, survey.id, write_csv(tmp_path / "a.csv", ROWS[:4]))
    assert [(p.row, p.code) for p in result.problems] == [(5, "not_yours")]
    assert SurveyAnswer.select().count() == 1
    # figures: their class only, and the overall row is over it
    import_answers(admin(), survey.id, write_csv(tmp_path / "all.csv", ROWS))
    figures = survey_figures(survey.id, li)
    assert by_class(figures) == {"七年级(1)班": (7, 8, 3, 3)} and figures.partial
    assert (figures.overall.satisfied, figures.overall.given) == (7, 8)
    counsellor = Staff.get(Staff.name == "曾老师")
    with pytest.raises(NotAllowed):
        save_answers(counsellor, survey.id, seven, grid_cells({"20240101": ["5", "5", "5"]}))
    assert not survey_figures(survey.id, counsellor).partial  # counsellors see every class
    volunteer = add_staff(None, "志愿者", "volunteer")
    for call in (lambda: survey_figures(survey.id, volunteer),
                 lambda: import_answers(volunteer, survey.id, tmp_path / "all.csv"),
                 lambda: term_satisfaction(survey.term_id, volunteer)):
        with pytest.raises(NotAllowed):
            call()


def test_the_term_figure_is_over_all_the_terms_surveys(school, tmp_path):
    first = new_survey()
    import_answers(admin(), first.id, write_csv(tmp_path / "a.csv", ROWS))
    second = create_survey(admin(), "家长会反馈", ["总体满意度"], target=90)
    import_answers(admin(), second.id, write_csv(tmp_path / "b.csv", [["20240101", 2]],
                                                 ["学号", "Q1"]))
    summary = term_satisfaction(first.term_id, admin())
    assert [s.title for s in summary.surveys] == ["2026 秋季家长满意度", "家长会反馈"]
    # 15/18 + 0/1 = 15/19
    assert (summary.overall.satisfied, summary.overall.given, summary.target) == (15, 19, 90)


# -- the command line ----------------------------------------------------------------------

def test_the_command_line_adds_imports_and_shows(school, tmp_path):
    env = cli_env(tmp_path)
    done = run_cli(env, "survey", "add", "--title", "秋季调查", *[a for q in QUESTIONS
                   for a in ("--question", q)], "--target", "85", db=school.path)
    assert done.returncode == 0, done.stderr
    survey_id = Survey.get().id
    assert f"Survey {survey_id} added: 秋季调查 (3 questions, target 85%)" in done.stdout
    done = run_cli(env, "survey", "import", survey_id, write_xlsx(tmp_path / "a.xlsx", ROWS),
                   db=school.path)
    assert done.returncode == 0, done.stderr
    assert "7 families read: 7 added, 0 updated, 0 unchanged." in done.stdout
    done = run_cli(env, "survey", "show", survey_id, db=school.path)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert any("七年级(1)班" in line and "3/3" in line and "7/8" in line and "87.5%" in line
               and "target met" in line for line in lines), lines
    assert any("八年级(2)班" in line and "80.0%" in line and "short by 5 points" in line
               for line in lines), lines
    assert any(line.startswith("Overall") and "15/18" in line and "83.3%" in line
               and "short by 1.7 points" in line for line in lines), lines
    assert "answers rated 4 or 5 ÷ answers given" in done.stdout
    done = run_cli(env, "survey", "list", db=school.path)
    assert "7 families answered, 83.3% satisfied (target 85%)" in done.stdout


def test_the_command_line_refuses_bad_input_clearly(school, tmp_path):
    env = cli_env(tmp_path)
    done = run_cli(env, "survey", "add", "--title", "x", db=school.path)
    assert done.returncode == 2 and "--question" in done.stderr
    assert "Traceback" not in done.stderr and "Error" not in done.stderr
    survey = new_survey()
    bad = [list(r) for r in ROWS]
    bad[0][2] = "很好"
    done = run_cli(env, "survey", "import", survey.id, write_csv(tmp_path / "bad.csv", bad),
                   db=school.path)
    assert done.returncode == 2
    assert "Nothing imported: 1 problem" in done.stderr
    assert "Row 2: Q1 holds “很好”" in done.stderr
    assert SurveyAnswer.select().count() == 0
    done = run_cli(env, "survey", "show", "99", db=school.path)
    assert done.returncode == 2 and "No survey number 99" in done.stderr
    done = run_cli(env, "survey", "import", survey.id, tmp_path / "nothere.xlsx", db=school.path)
    assert done.returncode == 2 and "No file" in done.stderr
    teacher_of("7-1")
    done = run_cli(env, "survey", "add", "--title", "x", "--question", "q", "--as", "李建国",
                   db=school.path)
    assert done.returncode == 4, done.stderr
    assert Survey.select().count() == 1
    env["LANG"] = "zh_CN.UTF-8"
    done = run_cli(env, "survey", "show", survey.id, db=school.path)
    assert done.returncode == 0 and "满意率" in done.stdout and "全校合计" in done.stdout


def test_classes_are_listed_in_natural_order(school):
    """7-2 before 7-10 (the demo's list read 七年级(1)班, 七年级(10)班, 七年级(2)班)."""
    from db.models import SchoolClass
    from db.students import create_student
    from db.surveys import create_survey, survey_figures

    for n in (10, 2, 3):
        klass = SchoolClass.create(name=f"七年级({n})班", code=f"7-{n}", grade=7)
        create_student(None, student_no=f"2024070{n}", name=f"学生{n}", class_id=klass.id)
    survey = create_survey(school.teacher, "满意度", ["总体"])
    names = [f.name for f in survey_figures(survey.id, school.teacher).classes]
    assert names[:4] == ["七年级(1)班", "七年级(2)班", "七年级(3)班", "七年级(10)班"]
