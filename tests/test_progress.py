"""Scores, check-ins and the term's 10% figure, checked by hand on a small school."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from db.models import AuditLog, Checkin, Meta, Score
from db.progress import Point, measure, student_progress, term_figures
from db.checkins import save_checkins
from db.scores import (ScoreValidationError, SettingError, cell_key, class_students, find_class,
                       load_dimensions, save_dimensions, save_scores, validate_sitting)


def sit(exam: str, date: str, full: str = "100", subjects="语文,数学,英语"):
    return validate_sitting(exam, date, full, subjects)


def enter(school, exam, date, full, scores: dict[str, dict[str, str]]):
    """``scores``: {student name: {subject: text}} for one sitting."""
    sitting = sit(exam, date, full)
    cells = {(school.students[name].id, subject): text
             for name, row in scores.items() for subject, text in row.items()}
    return save_scores(school.teacher, sitting, cells)


def hand_checked(school):
    """The data set of the hand-checked figure (see test_the_10_percent_figure…)."""
    # 张伟: 数学 60 → 72 (+20%); 语文 sat only the first exam, so it does not count
    # (counting it would make his average fall from 75 to 72)
    # 赵薇: one exam only: not measurable
    # 曾小明: the first exam out of 120: 数学 75% → 80%, 语文 50% → 60%: 62.5 → 70 (+12%)
    # [bold]王[/: 数学 50 → 54, 语文 70 → 75: 60 → 64.5 (+7.5%), not improved; a score
    # from before the term is ignored
    # 单田芳 has no case: not a supported student, whatever her scores
    enter(school, "月考", "2026-06-01", "100", {"[bold]王[/": {"数学": "10"}})
    enter(school, "九月月考", "2026-09-20", "100", {
        "张伟": {"数学": "60", "语文": "90"}, "赵薇": {"数学": "40", "语文": "50"},
        "[bold]王[/": {"数学": "50", "语文": "70"}, "单田芳": {"数学": "30"}})
    enter(school, "九月月考", "2026-09-21", "120", {"曾小明": {"数学": "90", "语文": "60"}})
    enter(school, "期中考试", "2026-11-10", "100", {
        "张伟": {"数学": "72"}, "曾小明": {"数学": "80", "语文": "60"},
        "[bold]王[/": {"数学": "54", "语文": "75"}, "单田芳": {"数学": "90"}})


def test_the_10_percent_figure_is_right_on_a_hand_checked_school(school):
    hand_checked(school)
    figures = term_figures()
    by_name = {name: m for name, _, m in figures.students.values()}
    assert set(by_name) == {"张伟", "赵薇", "曾小明", "[bold]王[/"}  # not 单田芳: no case
    assert by_name["张伟"].first == pytest.approx(60) and by_name["张伟"].latest == pytest.approx(72)
    assert by_name["张伟"].improved
    assert not by_name["赵薇"].measurable and not by_name["赵薇"].improved
    assert by_name["曾小明"].first == pytest.approx(62.5)
    assert by_name["曾小明"].change == pytest.approx(0.12)
    assert by_name["[bold]王[/"].change == pytest.approx(0.075) and not by_name["[bold]王[/"].improved
    total = figures.total
    assert (total.students, total.measurable, total.improved) == (4, 3, 2)
    assert total.unmeasured == 1
    assert total.share == pytest.approx(2 / 3) and total.meets_target is False
    c1, c2 = figures.classes
    assert (c1.name, c1.students, c1.measurable, c1.improved) == ("七年级(1)班", 3, 2, 2)
    assert c1.share == 1.0 and c1.meets_target is True
    assert (c2.name, c2.students, c2.measurable, c2.improved, c2.share) == ("八年级(2)班", 1, 1, 0, 0.0)


def test_a_rise_of_exactly_10_percent_counts_and_one_score_per_subject_does_not():
    d1, d2 = dt.date(2026, 9, 20), dt.date(2026, 11, 10)
    m = measure({"数学": [Point(d2, "b", 55, 100), Point(d1, "a", 50, 100)],
                 "语文": [Point(d1, "a", 70, 100), Point(d2, "b", 77, 100)]})
    assert m.first == pytest.approx(60) and m.latest == pytest.approx(66)
    assert m.improved  # 66 is exactly 10% above 60
    assert [s.subject for s in m.subjects] == ["数学", "语文"]
    assert m.subjects[0].change == pytest.approx(0.1)
    one = measure({"数学": [Point(d1, "a", 50, 100)], "语文": [Point(d2, "b", 90, 100)]})
    assert not one.measurable and one.change is None and not one.improved
    assert measure({}).measurable is False


def test_the_grid_saves_corrects_and_clears_without_duplicates(school):
    zhang = school.students["张伟"].id
    count = enter(school, "期中考试", "2026-11-10", "100", {"张伟": {"数学": "72", "语文": ""}})
    assert (count.added, count.changed, count.removed) == (1, 0, 0)
    assert enter(school, "期中考试", "2026-11-10", "100", {"张伟": {"数学": "72"}}).total == 0
    count = enter(school, "期中考试", "2026-11-10", "100", {"张伟": {"数学": "７５.5"}})
    assert count.changed == 1
    row = Score.get(Score.student == zhang)
    assert (row.score, row.version, row.exam, row.taken_on) == (75.5, 2, "期中考试",
                                                                 dt.date(2026, 11, 10))
    assert enter(school, "期中考试", "2026-11-10", "100", {"张伟": {"数学": " "}}).removed == 1
    assert Score.select().count() == 0
    actions = [a.action for a in AuditLog.select().where(AuditLog.table_name == "score")
               .order_by(AuditLog.id)]
    assert actions == ["insert", "update", "delete"]


@pytest.mark.parametrize("cells,field,key", [
    ({"数学": "101"}, "数学", "err.score.above_full"),
    ({"数学": "abc"}, "数学", "err.score.number"),
    ({"语文": "-5"}, "语文", "err.score.number"),
    ({"英语": "1.2.3"}, "英语", "err.score.number"),
])
def test_a_bad_cell_is_named_and_nothing_is_written(school, cells, field, key):
    zhang, zhao = school.students["张伟"].id, school.students["赵薇"].id
    grid = {(zhao, "数学"): "88", **{(zhang, s): v for s, v in cells.items()}}
    with pytest.raises(ScoreValidationError) as caught:
        save_scores(school.teacher, sit("期中考试", "2026-11-10"), grid)
    assert caught.value.errors == {cell_key(zhang, field): key}
    assert Score.select().count() == 0


@pytest.mark.parametrize("exam,date,full,subjects,field", [
    ("", "today", "100", "数学", "exam"),
    ("期中", "2026-13-40", "100", "数学", "date"),
    ("期中", "tomorrow", "100", "数学", "date"),
    ("期中", "today", "0", "数学", "full"),
    ("期中", "today", "abc", "数学", "full"),
    ("期中", "today", "100", " , ", "subjects"),
])
def test_a_bad_exam_header_is_named(school, exam, date, full, subjects, field):
    with pytest.raises(ScoreValidationError) as caught:
        validate_sitting(exam, date, full, subjects)
    assert field in caught.value.errors


def test_the_class_list_marks_supported_students_and_classes_are_found_by_code(school):
    ref = find_class(" 7-1 ")
    assert ref.name == "七年级(1)班" and find_class("七年级(1)班").class_id == ref.class_id
    assert find_class("9-9") is None
    rows = class_students(ref.class_id)
    assert [r.name for r in rows] == ["张伟", "赵薇", "曾小明"]
    assert all(r.supported for r in rows)
    c2 = class_students(find_class("8-2").class_id)
    assert [r.supported for r in c2] == [False, False, True, False]
    assert [r.name for r in class_students(find_class("8-2").class_id, supported_only=True)] \
        == ["[bold]王[/"]


def test_check_ins_rate_each_dimension_1_to_5_and_a_bad_rating_writes_nothing(school):
    zhang, zhao = school.students["张伟"].id, school.students["赵薇"].id
    dims = load_dimensions()
    assert dims == ("mood", "confidence", "relationships", "motivation")
    day = dt.date(2026, 11, 18)
    with pytest.raises(ScoreValidationError) as caught:
        save_checkins(school.teacher, day, dims, {(zhang, "mood"): "3", (zhao, "mood"): "6"})
    assert caught.value.errors == {cell_key(zhao, "mood"): "err.checkin.rating"}
    with pytest.raises(ScoreValidationError) as caught:
        save_checkins(school.teacher, day, dims, {(zhao, "note"): "只有备注"})
    assert caught.value.errors == {cell_key(zhao, "mood"): "err.checkin.note_only"}
    assert Checkin.select().count() == 0
    count = save_checkins(school.teacher, day, dims, {
        (zhang, "mood"): "3", (zhang, "confidence"): "２", (zhang, "note"): "比上月开朗",
        (zhao, "mood"): "", (zhao, "note"): ""})
    assert count.added == 1
    row = Checkin.get()
    assert json.loads(row.ratings) == {"mood": 3, "confidence": 2} and row.note == "比上月开朗"
    progress = student_progress(zhang, school.cases["张伟"].id)
    assert [(c.taken_on, c.ratings["mood"]) for c in progress.checkins] == [(day, 3)]


def test_the_school_sets_its_own_dimensions(school):
    assert save_dimensions(school.teacher, ["情绪", "自信", "情绪", "学习动力"])
    assert load_dimensions() == ("情绪", "自信", "学习动力")
    assert not save_dimensions(school.teacher, ["情绪", "自信", "学习动力"])
    with pytest.raises(SettingError):
        save_dimensions(school.teacher, [" "])
    with pytest.raises(SettingError):
        save_dimensions(school.teacher, ["x" * 21])
    assert save_dimensions(school.teacher, None)
    assert load_dimensions()[0] == "mood" and Meta.get_or_none(Meta.key == "checkin_dimensions") is None


def test_a_case_shows_each_subjects_trend_over_its_term(school):
    hand_checked(school)
    progress = student_progress(school.students["曾小明"].id, school.cases["曾小明"].id)
    assert progress.term_name == "2026-2027 第一学期"
    trends = {s.subject: s for s in progress.measure.subjects}
    assert [round(p.share, 1) for p in trends["数学"].points] == [75.0, 80.0]
    assert trends["数学"].change == pytest.approx(80 / 75 - 1)
    assert progress.measure.change == pytest.approx(0.12)


@pytest.mark.file_only
def test_scores_and_check_ins_are_journaled_and_come_back_after_a_restore(school, tmp_path):
    import shutil

    from db.store import journal
    from db.store.connection import close_database, open_database

    zhao = school.students["赵薇"].id
    backup = tmp_path / "backup.db"
    shutil.copy(school.path, backup)  # the newest good backup, before the saves
    enter(school, "期中考试", "2026-11-10", "100", {"张伟": {"数学": "70", "语文": "80"}})
    enter(school, "期中考试", "2026-11-10", "100", {"张伟": {"数学": "75", "语文": ""}})
    save_checkins(school.teacher, dt.date(2026, 11, 18), load_dimensions(),
                  {(zhao, "mood"): "4", (zhao, "note"): "开朗"})
    expected = sorted(Score.select(Score.uuid, Score.subject, Score.score, Score.version).tuples())
    read = journal.read_all(school.path)
    assert {line["table"] for line in read.lines} >= {"score", "checkin"}
    close_database()
    open_database(backup)
    assert Score.select().count() == 0
    journal.replay(read)
    assert sorted(Score.select(Score.uuid, Score.subject, Score.score, Score.version)
                  .tuples()) == expected
    # 张伟's 数学 corrected, his 语文 removed: as they were after the saves
    assert [(s.subject, s.score) for s in Score.select()] == [("数学", 75)]
    assert Checkin.get().note == "开朗" and Checkin.get().student_id == zhao


def test_cli_sets_the_schools_dimensions_and_subjects(school, tmp_path):
    import subprocess
    import sys

    from tests.helpers import cli_env

    def run(*args):
        return subprocess.run([sys.executable, "-m", "tui.cli", *args, "--db", str(school.path)],
                              capture_output=True, input="1234\n", text=True, env=cli_env(tmp_path))

    shown = run("dimensions")
    assert shown.returncode == 0 and shown.stdout.strip() == "mood, confidence, relationships, motivation"
    done = run("dimensions", "情绪,自信", "学习动力", "--as", "王芳")
    assert done.returncode == 0 and "情绪, 自信, 学习动力" in done.stdout
    assert load_dimensions() == ("情绪", "自信", "学习动力")
    assert run("subjects", "语文", "物理", "--as", "王芳").returncode == 0
    from db.scores import load_subjects
    assert load_subjects() == ("语文", "物理")
    bad = run("dimensions", "x" * 21, "--as", "王芳")
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "20 characters" in bad.stderr
    assert run("dimensions", "--reset", "--as", "王芳").returncode == 0
    assert load_dimensions()[0] == "mood"
    audit = [a.changes for a in AuditLog.select().where(AuditLog.table_name == "bangfu_meta",
                                                        AuditLog.row_id != "made_by")]
    assert len(audit) == 3 and "学习动力" in audit[0]


def test_long_names_and_notes_say_their_own_limit_and_a_stray_column_removes_nothing(school):
    zhao = school.students["赵薇"].id
    with pytest.raises(ScoreValidationError) as caught:
        validate_sitting("期" * 41, "today", "100", "数学")
    assert caught.value.errors == {"exam": "err.score.exam_long"}
    day = dt.date(2026, 11, 18)
    with pytest.raises(ScoreValidationError) as caught:
        save_checkins(school.teacher, day, load_dimensions(),
                      {(zhao, "mood"): "3", (zhao, "note"): "x" * 501})
    assert caught.value.errors == {cell_key(zhao, "note"): "err.checkin.note_long"}
    save_checkins(school.teacher, day, load_dimensions(), {(zhao, "mood"): "3"})
    # a column the grid does not have (a dimension the school dropped, say)
    assert save_checkins(school.teacher, day, load_dimensions(), {(zhao, "old"): ""}).total == 0
    assert Checkin.select().count() == 1
