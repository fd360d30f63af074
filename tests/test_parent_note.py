"""A note a family can read (issue 22): its facts hold nothing restricted or
confidential, whoever asks; volunteers may not make one; the screen (h on a
case) shows it for review, copies it and writes it as a file, each in the
audit log; ``bangfu note`` prints the same text."""

from __future__ import annotations

import datetime as dt
import json
import uuid as uuidlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from db.access import NotAllowed
from db.cases import CASE_TEXT_FIELDS
from db.models import Assignment, AuditLog, Case, Contact, Goal, Score, Staff
from db.parent_note import PERIOD_DAYS, note_facts, record_export
from db.staff import add_staff
from db.students import create_student, open_case
from db.vocab import CHANNELS, CONTACT_KINDS, RESTRICTED_REASONS
from screens.case import CaseScreen
from screens.confirm import ConfirmScreen
from screens.parent_note import ParentNoteScreen
from tests.conftest import NOW, PIN_HASH, TODAY
from tests.helpers import cli_env, make_app, run_cli, settle, sign_in
from tests.test_properties import WRITES
from tui.parent_note import note_text, tr

MARK_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
marker = st.text(alphabet=MARK_ALPHABET, min_size=12, max_size=12)


def tagged(tag: str):
    """A distinctive string, never a piece of another test string (its tag is its own)."""
    return marker.map(lambda s: f"Q{tag}_{s}Z")


def add_entry(case_id: int, author_id: int, when: dt.datetime, kind: str, channel: str, *,
              restricted: str = "", texts: tuple = ("", "", "", ""),
              follow_up_due: dt.date | None = None) -> Contact:
    participants, discussed, agreed, follow_up = texts
    return Contact.create(uuid=str(uuidlib.uuid4()), case=case_id, author=author_id,
                          occurred_at=when, kind=kind, channel=channel,
                          participants=participants, discussed=discussed, agreed=agreed,
                          follow_up=follow_up, follow_up_due=follow_up_due,
                          restricted=restricted, host="test", created_at=NOW)


def both_notes(facts) -> str:
    return note_text(facts, "zh") + note_text(facts, "en")


# -- 1. nothing restricted, whatever the case holds ------------------------------------------

entries = st.lists(st.tuples(
    st.sampled_from(CONTACT_KINDS), st.sampled_from(CHANNELS),
    st.sampled_from(("",) + RESTRICTED_REASONS),
    st.integers(-45, 3),  # days from today: some before the period, some after the day
    st.tuples(marker, marker, marker, marker),  # tagged by the test (entry, field)
    st.one_of(st.none(), st.integers(-5, 40))), max_size=10)


@WRITES
@given(marked=st.sets(st.sampled_from(CASE_TEXT_FIELDS)),
       texts=st.tuples(*[tagged(f"F{n}") for n in range(len(CASE_TEXT_FIELDS))]),
       family_notes=tagged("N"), contacts=entries, goal=tagged("G"), reader=st.sampled_from(
           ["王芳", "曾老师"]), categories=st.sets(st.sampled_from(
           ("academic", "behaviour", "psychological", "interpersonal", "attendance",
            "economic"))))
def test_the_note_holds_no_restricted_text_and_counts_the_rest(
        school, marked, texts, family_notes, contacts, goal, reader, categories):
    # those who read every restricted entry and field: the note still holds none
    staff = Staff.get(Staff.name == reader)
    author = school.teacher
    student = create_student(None, student_no=uuidlib.uuid4().hex[:12], name="测试生",
                             class_id=school.students["张伟"].school_class_id,
                             family_notes=family_notes)
    case_texts = dict(zip(CASE_TEXT_FIELDS, texts))
    case = open_case(None, student.id, term_id=school.cases["张伟"].term_id,
                     categories=tuple(categories), lead_id=author.id, **case_texts)
    Case.update(restricted_fields=",".join(sorted(marked))).where(Case.id == case.id).execute()
    Goal.create(case=case.id, horizon="short", text=goal, status="open")
    forbidden = [family_notes, *case_texts.values()]  # the measures too: staff's words
    want = {"student": {}, "family": {}}
    start = TODAY - dt.timedelta(days=PERIOD_DAYS - 1)
    for n, (kind, channel, restricted, days, words, due) in enumerate(contacts):
        words = tuple(f"QE{n}_{f}_{w}Z" for f, w in enumerate(words))
        day = TODAY + dt.timedelta(days=days)
        add_entry(case.id, author.id, dt.datetime.combine(day, dt.time(9, 0)), kind, channel,
                  restricted=restricted, texts=words,
                  follow_up_due=None if due is None else TODAY + dt.timedelta(days=due))
        forbidden += list(words)  # no entry's text, restricted or not
        if not restricted and kind != "colleague" and start <= day <= TODAY:
            want[kind][channel] = want[kind].get(channel, 0) + 1

    facts = note_facts(staff, case.id)
    assert facts is not None
    dumped = json.dumps([repr(facts), both_notes(facts)], ensure_ascii=False)
    leaked = [text for text in forbidden if text in dumped]
    assert not leaked
    assert facts.student_sessions == want["student"]
    assert facts.family_contacts == want["family"]
    assert facts.goals == [goal] and goal in note_text(facts, "zh")
    zh = note_text(facts, "zh")
    if facts.sessions:
        assert f"共 {facts.sessions} 次" in zh
    if facts.contacts:
        assert f"和您沟通共 {facts.contacts} 次" in zh
    for code in categories:
        assert tr("zh", f"pnote.tip.{code}") in zh or len(categories) > 3


def test_a_restricted_follow_up_gives_its_date_never_its_text(school):
    case = school.cases["张伟"]
    Contact.update(follow_up_due=None).execute()  # the fixture's own follow-up
    add_entry(case.id, school.teacher.id, dt.datetime(2026, 11, 19, 9), "family", "phone",
              restricted="family_conflict",
              texts=("QsecretPeopleZ", "QsecretTalkZ", "QsecretAgreedZ", "QsecretNextZ"),
              follow_up_due=dt.date(2026, 11, 23))
    facts = note_facts(school.teacher, case.id)
    assert facts.next_contact == dt.date(2026, 11, 23)
    assert facts.family_contacts == {"wechat": 1}  # the restricted call is not counted
    assert "Qsecret" not in both_notes(facts) + repr(facts)
    assert "11月23日" in note_text(facts, "zh") and "23 November" in note_text(facts, "en")


def test_the_next_contact_follows_the_family_rule(school):
    case = school.cases["张伟"]
    Contact.update(follow_up_due=None).execute()
    assert case.opened_on == TODAY
    # a home visit a term: due two weeks after a case opened late in the term
    assert note_facts(school.teacher, case.id).next_contact == dt.date(2026, 12, 4)
    add_entry(case.id, school.teacher.id, dt.datetime(2026, 11, 20, 9), "family", "home_visit")
    # then the family contact every 30 days, counted from the case's opening
    assert note_facts(school.teacher, case.id).next_contact == dt.date(2026, 12, 20)
    closed = school.cases["赵薇"]
    Case.update(status="closed").where(Case.id == closed.id).execute()
    assert note_facts(school.teacher, closed.id).next_contact is None


def test_family_events_the_family_came_to_are_counted_without_their_words(school):
    from db.models import EventAttendance, FamilyEvent

    student = school.students["张伟"]
    for held_on, kind, came in ((dt.date(2026, 11, 5), "focus_meeting", True),
                                (dt.date(2026, 11, 12), "parent_school", False),  # did not come
                                (dt.date(2026, 9, 20), "parent_meeting", True)):  # before
        event = FamilyEvent.create(uuid=str(uuidlib.uuid4()), held_on=held_on, kind=kind,
                                   topic="QtopicZ", evaluation="QevaluationZ",
                                   author=school.teacher.id)
        EventAttendance.create(uuid=str(uuidlib.uuid4()), event=event.id, student=student.id,
                               attended=came, rating=2, note="QnoteZ")
    facts = note_facts(school.teacher, school.cases["张伟"].id)
    assert facts.events == {"focus_meeting": 1}
    text = both_notes(facts)
    assert "感谢您参加学校的家长活动 1 次（家长座谈会 1 次）。" in text
    assert "Thank you for coming to 1 school event for families (parents' talk: 1)." in text
    assert "后进生" not in text and "Qtopic" not in text and "Qevaluation" not in text
    assert "Qnote" not in text


def test_progress_in_plain_words_never_a_score_or_a_rank(school):
    student = school.students["张伟"]
    for exam, day, maths, chinese in (("期中", dt.date(2026, 10, 10), 60, 80),
                                      ("月考", dt.date(2026, 11, 10), 75, 70),
                                      ("期末", dt.date(2026, 12, 10), 10, 10)):  # after the day
        for subject, score in (("数学", maths), ("语文", chinese)):
            Score.create(uuid=str(uuidlib.uuid4()), student=student.id, exam=exam,
                         subject=subject, taken_on=day, score=score, full_marks=100)
    facts = note_facts(school.teacher, school.cases["张伟"].id)
    assert (facts.trend, facts.better, facts.lower) == ("better", ["数学"], ["语文"])
    zh = note_text(facts, "zh")
    assert "进步的科目：数学。" in zh and "还需要多加油的科目：语文。" in zh
    for figure in ("60", "75", "80", "70", "%"):
        assert figure not in zh.replace("11月20日", "").replace("10月22日", "")


def test_without_scores_the_note_says_so(school):
    facts = note_facts(school.teacher, school.cases["张伟"].id)
    assert facts.trend == ""
    assert tr("en", "pnote.progress.unknown") in note_text(facts, "en")


# -- 2. who may make one ---------------------------------------------------------------------

def volunteer_on(case_id: int) -> Staff:
    helper = add_staff(None, "陈静", "volunteer", pin_hash=PIN_HASH)
    Assignment.create(case=case_id, staff=helper.id, role="volunteer",
                      assigned_on=TODAY, active=True)
    return helper


def test_volunteers_and_those_who_do_not_see_the_student_are_refused(school):
    case = school.cases["张伟"]
    helper = volunteer_on(case.id)
    with pytest.raises(NotAllowed) as refused:
        note_facts(helper, case.id)
    assert refused.value.code == "parent_note"
    with pytest.raises(NotAllowed):
        record_export(helper, case.id, "file")
    # 李建国 teaches no class and is not on 张伟's case
    with pytest.raises(NotAllowed) as refused:
        note_facts(school.other, case.id)
    assert refused.value.code == "student"
    assert note_facts(school.other, school.cases["赵薇"].id) is not None  # his own case
    assert not AuditLog.select().where(AuditLog.action == "export").exists()


def test_a_gone_case_gives_no_note(school):
    assert note_facts(school.teacher, 99999) is None


# -- 3. the screen ---------------------------------------------------------------------------

async def open_note(pilot, who: str = "wangfang") -> ParentNoteScreen:
    await sign_in(pilot, who)
    await pilot.press(*"20240101", "enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, CaseScreen)
    await pilot.press("h")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ParentNoteScreen)
    return screen


async def test_h_shows_the_note_then_it_is_written_and_copied_with_audit_rows(school, tmp_path):
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_note(pilot)
        text = screen.text
        assert text.startswith("Dear parents of 张伟,")
        assert "talked with your family 1 time (WeChat: 1)" in text
        assert "homework [/]" not in text and "Call again" not in text  # no entry's text
        await pilot.press("end", *" Thanks!")  # the teacher edits it
        await pilot.press("ctrl+s")
        await settle(pilot)
        files = list((tmp_path / "exports").glob("*.txt"))
        assert len(files) == 1 and files[0].name.startswith("family-note-")
        assert files[0].read_text(encoding="utf-8") == screen.text
        assert "Thanks!" in screen.text.splitlines()[0]
        assert str(files[0]) in str(screen.query_one("#pnote-status").render())
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert app.clipboard == screen.text
        rows = list(AuditLog.select().where(AuditLog.action == "export").order_by(AuditLog.id))
        assert [(r.table_name, r.row_id, json.loads(r.changes), r.staff_name) for r in rows] == [
            ("case_file", str(school.cases["张伟"].id), {"parent_note": "file"}, "王芳"),
            ("case_file", str(school.cases["张伟"].id), {"parent_note": "clipboard"}, "王芳")]
        await pilot.press("escape")  # copied as it is: leaves without asking
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)


async def test_an_edited_note_asks_before_leaving_and_switches_language(school):
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_note(pilot)
        await pilot.press("ctrl+l")  # not edited: at once
        await settle(pilot)
        assert screen.text.startswith("张伟家长，您好！") and screen.lang == "zh"
        await pilot.press(*"abc")
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is screen and screen.text.startswith("abc")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is screen and "abc" in screen.text  # nothing typed is lost
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
    assert not AuditLog.select().where(AuditLog.action == "export").exists()


async def test_an_empty_note_is_not_sent(school, tmp_path):
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_note(pilot)
        screen.area.load_text("   \n")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "empty" in str(screen.query_one("#pnote-status").render())
        assert not list((tmp_path / "exports").glob("*.txt"))
        assert app.clipboard == ""


async def test_a_file_that_cannot_be_written_keeps_the_text_and_leaves_no_audit_row(
        school, tmp_path, monkeypatch):
    (tmp_path / "a-file").write_text("x")
    monkeypatch.setenv("BANGFU_EXPORT_DIR", str(tmp_path / "a-file" / "exports"))
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_note(pilot)
        await pilot.press(*"Hello ")
        await pilot.press("ctrl+s")
        await settle(pilot)
        status = str(screen.query_one("#pnote-status").render())
        assert "The note was not written" in status and "Traceback" not in status
        assert screen.text.startswith("Hello Dear parents")  # nothing typed is lost
        assert not screen.busy
    assert not AuditLog.select().where(AuditLog.action == "export").exists()


async def test_a_file_whose_audit_row_fails_is_removed(school, tmp_path, monkeypatch):
    import db.parent_note

    def fails(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(db.parent_note, "record_export", fails)
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_note(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "No space left" in str(screen.query_one("#pnote-status").render())
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert app.clipboard == ""  # the row first: nothing copied without it
    assert not list((tmp_path / "exports").glob("*"))


async def test_a_volunteer_has_no_h_on_the_case(school):
    volunteer_on(school.cases["张伟"].id)
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "chenjing")
        await pilot.press(*"20240101", "enter")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
        # and pushed anyway (a keymap, a future path): the screen says no, shows nothing
        app.push_screen(ParentNoteScreen(school.cases["张伟"].id, "张伟"))
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ParentNoteScreen)
        assert screen.text == "" and not screen.ready
        assert "volunteers" in str(screen.query_one("#pnote-status").render())


# -- 4. the command line ---------------------------------------------------------------------

def test_bangfu_note_prints_and_writes_the_same_note(school, tmp_path):
    env = cli_env(tmp_path)
    done = run_cli(env, "note", "20240101", "--lang", "zh", db=school.path)
    assert done.returncode == 0, done.stderr
    facts = note_facts(school.teacher, school.cases["张伟"].id)
    assert done.stdout == note_text(facts, "zh")
    out = tmp_path / "note.txt"
    done = run_cli(env, "note", "张伟", "-o", out, db=school.path)
    assert done.returncode == 0, done.stderr
    assert out.read_text(encoding="utf-8") == note_text(facts, "en")
    assert str(out) in done.stdout
    rows = [json.loads(r.changes) for r in AuditLog.select().where(AuditLog.action == "export")
            .order_by(AuditLog.id)]
    assert rows == [{"parent_note": "print"}, {"parent_note": "file"}]


def test_bangfu_note_refuses_a_volunteer_and_a_student_without_a_case(school, tmp_path):
    volunteer_on(school.cases["张伟"].id)
    env = cli_env(tmp_path)
    done = run_cli(env, "note", "20240101", "--as", "陈静", db=school.path)
    assert done.returncode == 4 and "Traceback" not in done.stderr
    assert "volunteer" in done.stderr.lower() and done.stdout == ""
    done = run_cli(env, "note", "20240104", db=school.path)  # 单田芳: no case
    assert done.returncode == 1 and "has no case yet" in done.stderr
    assert not AuditLog.select().where(AuditLog.action == "export").exists()
