"""The printable case summary (Markdown) and ``bangfu show STUDENT --format md``."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import uuid as uuidlib
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from db.models import Contact
from db.plan import add_goal
from db.checkins import save_checkins
from db.scores import save_dimensions, save_scores, validate_sitting
from db.reviews import save_review
from db.team import pair
from tests.helpers import cli_env, run_cli
from tui import i18n
from tui.case_summary import (case_summary_md, default_summary_path, md,
                              write_case_summary)

ROOT = Path(__file__).resolve().parent.parent
DIMS = ("mood", "confidence", "relationships", "motivation")
SECTIONS_EN = ["Student & family", "Case file", "Plan", "Team", "Latest stage reviews",
               "Contacts this term (2026-09-01 – 2027-01-20)", "Progress"]
SECTIONS_ZH = ["学生与家庭", "档案", "帮扶计划", "帮扶团队", "最近的阶段评估",
               "本学期联系记录（2026-09-01 – 2027-01-20）", "进步情况"]
HOSTILE = "| # <script>alert(1)</script> [x](http://evil) **b** _i_ `c` &lt;"


def contact(school, name, when, discussed, *, uid, **extra):
    return Contact.create(uuid=uid, case=school.cases[name].id, author=school.other.id,
                          occurred_at=when, kind="student", channel="face",
                          discussed=discussed, host="test", created_at=when, **extra)


def scores(school, name, exam, date, marks: dict[str, str], full="100"):
    sitting = validate_sitting(exam, date, full, list(marks))
    sid = school.students[name].id
    save_scores(school.teacher, sitting, {(sid, s): v for s, v in marks.items()})


def filled_case(school):
    """张伟's case with a plan, a review, a peer, scores, a check-in and contacts."""
    case_id = school.cases["张伟"].id
    add_goal(school.teacher, case_id, "short", "每天按时交作业", "班主任每日检查", "12-20")
    add_goal(school.teacher, case_id, "long", "数学达到及格", "", "")
    save_review(school.teacher, case_id, uuid=str(uuidlib.uuid4()), review_date="11-15",
                summary="作业上交明显好转\n数学基础仍弱", next_review="12-15")
    pair(school.teacher, case_id, school.students["周文"].id, "数学互助")
    # 数学 60 → 72 (+20%); 语文 sat once: shown, not counted
    scores(school, "张伟", "九月月考", "2026-09-20", {"数学": "60", "语文": "90"})
    scores(school, "张伟", "期中考试", "2026-11-10", {"数学": "72"})
    sid = school.students["张伟"].id
    save_checkins(school.teacher, dt.date(2026, 11, 12), DIMS,
                  {(sid, "mood"): "4", (sid, "motivation"): "2", (sid, "note"): "比上月开朗"})
    contact(school, "张伟", dt.datetime(2026, 9, 8, 12, 15), "First talk of the term",
            uid="00000000-0000-4000-8000-00000000c001", agreed="Sit in the front row")
    contact(school, "张伟", dt.datetime(2026, 8, 25, 9, 0), "Summer holiday visit",
            uid="00000000-0000-4000-8000-00000000c002")  # before the term: left out
    contact(school, "张伟", dt.datetime(2026, 11, 18, 17, 40), "Homework checked",
            uid="00000000-0000-4000-8000-00000000c003",
            follow_up="Ask the maths teacher", follow_up_due=dt.date(2026, 11, 27),
            follow_up_done_on=dt.date(2026, 11, 19))
    return sid


def tokens(text: str):
    """The summary parsed as a CommonMark (+ tables) renderer would, raw HTML on."""
    return MarkdownIt("commonmark").enable("table").parse(text)


def headings(text: str, level: int) -> list[str]:
    """The headings of one level, as a reader sees them (escapes resolved)."""
    toks = tokens(text)
    return ["".join(c.content for c in toks[i + 1].children) for i, tok in enumerate(toks)
            if tok.type == "heading_open" and tok.tag == f"h{level}"]


def section(text: str, title: str) -> str:
    """The Markdown of one ``##`` section (up to the next one)."""
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start:end if end != -1 else len(text)]


def plain(text: str) -> str:
    """All the text a reader sees, markup gone, escapes resolved."""
    out = []
    for tok in tokens(text):
        for child in tok.children or ():
            if child.type in ("text", "code_inline", "html_inline"):
                out.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                out.append("\n")
    return "".join(out)


# --- content ---------------------------------------------------------------------

def test_every_section_in_order_with_its_content(school):
    sid = filled_case(school)
    text = case_summary_md(sid)
    assert headings(text, 1) == ["张伟"]
    assert headings(text, 2) == SECTIONS_EN
    info = text.splitlines()[2]
    for part in ("七年级(1)班", "20240101", "Status: active", "Risk: medium", "Lead: 王芳",
                 "Term: 2026-2027 第一学期", "Printed 2026-11-20"):
        assert part in info

    family = section(text, "Student & family")
    assert "- Gender: male" in family and "- Born: 2013-03-04" in family
    assert "- Family situation: one parent away" in family
    assert "- Family notes: 父亲在外务工" in family
    assert "  - 张父 (father) · phone 13800000000 · WeChat wx\\_dad" in family
    assert "  - 刘梅 (mother) · phone 13900000000 · lives with the student" in family

    case_file = section(text, "Case file")
    assert "- Categories: academic" in case_file
    assert "- Causes: study habits, parents working away" in case_file
    assert "### Main problems\n\n作业经常不交" in case_file
    assert "### Measures\n\n每周两次面批" in case_file
    assert "### Strengths and interests\n\nnone" in case_file  # empty, said so

    plan = section(text, "Plan")
    assert "| short term | 每天按时交作业 | 2026-12-20 | open | 班主任每日检查 |" in plan
    assert "| long term | 数学达到及格 | — | open |" in plan

    team = section(text, "Team")
    assert "- 王芳 (lead)" in team
    assert "- 周文 (peer helper) · 八年级(2)班 · focus: 数学互助" in team

    reviews = section(text, "Latest stage reviews")
    assert "### 2026-11-15 · by 王芳 · next review 2026-12-15" in reviews
    assert "作业上交明显好转  \n数学基础仍弱" in reviews
    assert "- Goals as judged: 每天按时交作业 (open), 数学达到及格 (open)" in reviews

    contacts = section(text, SECTIONS_EN[5])
    entries = [ln for ln in contacts.splitlines() if ln.startswith("- **")]
    assert entries == [  # the term's contacts, oldest first; August's is not in the term
        "- **2026-09-08 12:15** · student · face to face · by 李建国",
        "- **2026-11-02 16:00** · family · WeChat · by 王芳 · 10 min",
        "- **2026-11-18 17:40** · student · face to face · by 李建国"]
    assert "Summer holiday visit" not in text
    assert "  - Agreed: Sit in the front row" in contacts
    assert "  - With: 张父" in contacts
    assert "  - Discussed: Talked about homework \\[/\\] and sleep red" in contacts
    assert "  - Follow-up: Call again (due 2026-11-25)" in contacts
    assert ("  - Follow-up: Ask the maths teacher (due 2026-11-27) · done 2026-11-19"
            in contacts)
    assert "\x1b" not in text

    progress = section(text, "Progress")
    assert "#### 数学 · change +20.0%" in progress
    assert "| 2026-09-20 | 九月月考 | 60/100 | 60.0% |" in progress
    assert "| 2026-11-10 | 期中考试 | 72/100 | 72.0% |" in progress
    assert "#### 语文 · one score only: no change measured" in progress
    assert ("Overall: first average 60.0%, latest average 72.0%, change +20.0%: "
            "reaches the 10% rise.") in progress
    assert "| Date | mood | confidence | relationships | motivation | Note |" in progress
    assert "| 2026-11-12 | 4 | — | — | 2 | 比上月开朗 |" in progress


def test_only_the_latest_three_reviews(school):
    case_id = school.cases["张伟"].id
    for day in ("10-01", "10-15", "11-01", "11-15"):
        save_review(school.teacher, case_id, uuid=str(uuidlib.uuid4()), review_date=day,
                    summary=f"Review of {day}")
    reviews = section(case_summary_md(school.students["张伟"].id), "Latest stage reviews")
    assert [h for h in headings(reviews, 3)] == [
        "2026-11-15 · by 王芳 · next review 2026-12-15",
        "2026-11-01 · by 王芳 · next review 2026-12-01",
        "2026-10-15 · by 王芳 · next review 2026-11-14"]
    assert "Review of 10-01" not in reviews
    assert "1 earlier review not shown." in reviews


def test_below_the_target_and_not_measurable(school):
    scores(school, "赵薇", "九月月考", "2026-09-20", {"数学": "60"})
    scores(school, "赵薇", "期中考试", "2026-11-10", {"数学": "63"})  # +5%
    progress = section(case_summary_md(school.students["赵薇"].id), "Progress")
    assert "#### 数学 · change +5.0%" in progress
    assert "change +5.0%: below the 10% rise." in progress

    scores(school, "曾小明", "期中考试", "2026-11-10", {"数学": "80"})  # one assessment
    progress = section(case_summary_md(school.students["曾小明"].id), "Progress")
    assert "| 2026-11-10 | 期中考试 | 80/100 | 80.0% |" in progress
    assert "Overall: not measurable (one assessment only" in progress
    assert "### Check-ins\n\nnone" in progress


def test_empty_sections_are_there_and_say_none(school):
    # 赵薇: a case with nothing in it yet
    text = case_summary_md(school.students["赵薇"].id)
    assert headings(text, 2) == SECTIONS_EN
    for title in ("Plan", "Latest stage reviews", SECTIONS_EN[5]):
        assert section(text, title).strip().endswith("\n\nnone"), title
    assert "### Scores\n\nnone" in text and "### Check-ins\n\nnone" in text
    assert "- 李建国 (lead)" in section(text, "Team")

    # 单田芳: no case at all
    text = case_summary_md(school.students["单田芳"].id)
    assert headings(text, 2) == SECTIONS_EN
    assert "no case is open for this student" in text
    assert "Status: — · Risk: — · Lead: — · Term: —" in text
    for title in ("Case file", "Plan", "Team", "Latest stage reviews"):
        assert section(text, title).strip().endswith("\n\nnone"), title


def test_unknown_student_is_none(school):
    assert case_summary_md(99999) is None
    with pytest.raises(LookupError):
        write_case_summary(99999, Path(os.environ["BANGFU_EXPORT_DIR"]) / "x.md")
    assert not (Path(os.environ["BANGFU_EXPORT_DIR"]) / "x.md").exists()


def test_chinese(school):
    sid = filled_case(school)
    i18n.set_language("zh")
    text = case_summary_md(sid)
    assert headings(text, 2) == SECTIONS_ZH
    assert "班级：七年级(1)班 · 学号 20240101 · 状态：帮扶中 · 风险：中 · 负责人：王芳" in text
    assert "- 性别：男" in text and "  - 张父（父亲） · 电话 13800000000" in text
    assert "| 短期 | 每天按时交作业 | 2026-12-20 | 进行中 | 班主任每日检查 |" in text
    assert "- 周文（生帮生） · 八年级(2)班 · 结对重点：数学互助" in text
    assert "### 2026-11-15 · 记录人：王芳 · 下次评估 2026-12-15" in text
    assert "- **2026-11-02 16:00** · 家长 · 微信 · 记录人：王芳 · 10 分钟" in text
    assert "#### 数学 · 变化 +20.0%" in text
    assert "达到提高 10% 的目标" in text
    assert "| 日期 | 情绪 | 自信心 | 人际关系 | 学习动力 | 备注 |" in text
    assert "### 优点与兴趣\n\n无" in text


def test_a_schools_own_dimensions_show_as_typed(school):
    save_dimensions(school.teacher, ["专注*力", "mood"])
    sid = school.students["张伟"].id
    save_checkins(school.teacher, dt.date(2026, 11, 12), ["专注*力", "mood"],
                  {(sid, "专注*力"): "5", (sid, "mood"): "3"})
    text = case_summary_md(sid)
    assert "| Date | 专注\\*力 | mood | Note |" in text
    assert "| 2026-11-12 | 5 | 3 |   |" in text


# --- hostile text ----------------------------------------------------------------------

def test_markdown_in_names_and_notes_stays_text(school):
    name = "[bold]王[/"
    sid = school.students[name].id
    lines = "# heading\n- item\n1. one\n> quote\n=====\n    indented code\n<b>bold</b>"
    contact(school, name, dt.datetime(2026, 11, 3, 10, 0), f"{HOSTILE}\n{lines}",
            uid="00000000-0000-4000-8000-00000000c101", agreed="1) agreed | ok",
            participants="<img src=x onerror=alert(1)>")
    save_checkins(school.teacher, dt.date(2026, 11, 12), DIMS,
                  {(sid, "mood"): "3", (sid, "note"): "a | b | c"})
    scores(school, name, "[exam](http://evil)", "2026-11-10", {"#数学|": "50"})
    add_goal(school.teacher, school.cases[name].id, "short", "- goal | x", "**m**")
    text = case_summary_md(sid)

    # the Markdown as written: escaped
    assert text.startswith("# \\[bold\\]王\\[/\n")
    assert "\\| \\# \\<script\\>alert(1)\\</script\\> \\[x\\](http://evil)" in text
    assert "<script" not in text.replace("\\<script", "")
    # as a renderer reads it: one title, the sections only, no links, HTML,
    # emphasis, code, quotes or lists made by the text
    toks = tokens(text)
    assert headings(text, 1) == [name]
    assert headings(text, 2) == SECTIONS_EN
    types = {tok.type for tok in toks} | {c.type for tok in toks for c in tok.children or ()}
    for bad in ("html_block", "html_inline", "link_open", "image", "em_open", "code_inline",
                "code_block", "blockquote_open", "ordered_list_open", "hr"):
        assert bad not in types, bad
    strong = [c for tok in toks for c in tok.children or () if c.type == "strong_open"]
    assert len(strong) == 1  # the contact's date only
    seen = plain(text)
    assert HOSTILE in seen
    for line in lines.splitlines():
        assert line.strip() in seen
    assert "1) agreed | ok" in seen and "<img src=x onerror=alert(1)>" in seen
    assert "- goal | x" in seen and "**m**" in seen and "#数学|" in seen
    assert "[exam](http://evil)" in seen
    # the tables keep their columns: the check-in note is one cell
    row = next(i for i, tok in enumerate(toks) if tok.type == "inline"
               and tok.content == "2026-11-12")
    cells = []
    for tok in toks[row:]:
        if tok.type == "tr_close":
            break
        if tok.type == "inline":
            cells.append(tok.children[0].content if tok.children else "")
    assert cells == ["2026-11-12", "3", "—", "—", "—", "a | b | c"]
    goal_row = next(ln for ln in text.splitlines() if "goal" in ln and ln.startswith("|"))
    assert goal_row == "| short term | \\- goal \\| x | — | open | \\*\\*m\\*\\* |"


@pytest.mark.parametrize("raw, escaped", [
    ("a_b*c`d", "a\\_b\\*c\\`d"),
    ("back\\slash", "back\\\\slash"),
    ("- x", "\\- x"), ("+ x", "\\+ x"), ("= x", "\\= x"),
    ("12. x", "12\\. x"), ("3) x", "3\\) x"), ("2026-11-20", "2026-11-20"),
    ("1.5 h", "1\\.5 h"), ("a\nb", "a b"), ("x\x1b[31my", "xy"), ("", ""),
])
def test_md_escapes(raw, escaped):
    assert md(raw) == escaped


# --- the file ------------------------------------------------------------------------

def test_write_replaces_the_file_whole(school):
    sid = filled_case(school)
    folder = Path(os.environ["BANGFU_EXPORT_DIR"])
    path = default_summary_path("张伟", "20240101", dt.date(2026, 11, 20))
    assert path == folder / "case-张伟-20240101-2026-11-20.md"
    path.parent.mkdir(parents=True)
    path.write_text("old", encoding="utf-8")
    assert write_case_summary(sid, path) == path
    assert path.read_text(encoding="utf-8") == case_summary_md(sid)
    assert sorted(p.name for p in folder.iterdir()) == [path.name]  # no temp file left
    # a folder that does not exist yet is made
    deeper = folder / "conference" / "s.md"
    assert write_case_summary(sid, deeper).read_text(encoding="utf-8").startswith("# 张伟\n")
    assert default_summary_path("[bold]王[/", "20240106", dt.date(2026, 11, 20)).name == \
        "case-bold_王-20240106-2026-11-20.md"


# --- the command -----------------------------------------------------------------------

@pytest.fixture
def env(tmp_path, local_state):
    return cli_env(tmp_path, local_state)


run = run_cli


def test_cli_md_to_stdout(school, env):
    sid = filled_case(school)
    proc = run(env, "show", "20240101", "--format", "md", db=school.path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert proc.stdout == case_summary_md(sid)
    assert headings(proc.stdout, 2) == SECTIONS_EN
    assert "#### 数学 · change +20.0%" in proc.stdout


def test_cli_md_to_a_file_and_to_a_folder(school, env, tmp_path):
    sid = filled_case(school)
    target = tmp_path / "out" / "zhang.md"
    proc = run(env, "show", "张伟", "--format", "md", "-o", target, db=school.path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"Case summary written: {target}"
    assert target.read_text(encoding="utf-8") == case_summary_md(sid)

    folder = tmp_path / "out"
    proc = run(env, "--lang", "zh", "show", "20240101", "-o", folder, db=school.path)
    assert proc.returncode == 0, proc.stderr
    made = folder / "case-张伟-20240101-2026-11-20.md"
    assert proc.stdout.strip() == f"个案摘要已写入：{made}"
    assert headings(made.read_text(encoding="utf-8"), 2) == SECTIONS_ZH


def test_cli_text_stays_the_default(school, env, tmp_path):
    default = run(env, "show", "20240101", db=school.path)
    text = run(env, "show", "20240101", "--format", "text", db=school.path)
    assert default.returncode == text.returncode == 0
    assert default.stdout == text.stdout
    assert "Status: active · Risk: medium · Lead: 王芳" in default.stdout
    assert "## " not in default.stdout
    proc = run(env, "show", "20240101", "--format", "text", "-o", tmp_path / "x.md",
               db=school.path)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        "bangfu: -o writes the md summary only: use --format md"]
    assert not (tmp_path / "x.md").exists()


def test_cli_md_unwritable_target_is_one_line(school, env, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    proc = run(env, "show", "20240101", "--format", "md", "-o", blocker / "s.md",
               db=school.path)
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"bangfu: Cannot write {blocker / 's.md'}")
    assert "Traceback" not in proc.stderr


PROBE = """
import sys
from tui.cli import main
rc = main(sys.argv[1:])
print("RC", rc)
print("TEXTUAL", any(m == "textual" or m.startswith("textual.") for m in sys.modules))
"""


def test_cli_md_does_not_import_textual(school, env):
    proc = subprocess.run([sys.executable, "-c", PROBE, "--db", str(school.path), "show",
                           "20240101", "--format", "md"], capture_output=True, input="1234\n", text=True,
                          encoding="utf-8", env=env, cwd=ROOT, timeout=60)
    assert proc.returncode == 0, proc.stderr
    tail = proc.stdout.strip().splitlines()[-2:]
    assert tail == ["RC 0", "TEXTUAL False"]
