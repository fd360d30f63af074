"""Hostile and careless input (issue 6), checked with hypothesis.

Arbitrary Unicode, terminal escape sequences (CSI, OSC, DCS, 8-bit CSI), C0/C1
controls, bidi overrides, zero-width characters, markup-like text and overlong
text (up to 20,000 characters) go into the date and week parsers, the text
cleaner, the roster search and every form's validation.  What may come out:

- a parser returns a value in range or raises its own documented error;
- text is cleaned (no escape or control character survives) and bounded;
- a form either passes with cleaned values within their documented limits, or
  raises its own error naming fields that exist, with messages in the catalog,
  and then nothing is written.

Examples are generated afresh on each run: no example database, and nothing
of hypothesis's is left in the checkout.
"""

from __future__ import annotations

import atexit
import dataclasses
import datetime as dt
import functools
import json
import random
import re
import shutil
import tempfile
import uuid as uuidlib

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from db.cases import (CASE_EDIT_FIELDS, CASE_TEXT_FIELDS, MAX_CASE_TEXT, CaseValidationError,
                      update_case)
from db.contacts import MAX_DURATION, MAX_LINE, MAX_TEXT, ContactInput, ContactValidationError
from db.contacts import save_contact, validate as validate_contact
from db.dates import _MD, _OFFSET, _WORDS, DateError, parse_date, parse_time
from db.models import AuditLog, Case, Checkin, Contact, Goal, Meta, Score, StageReview
from db.plan import MAX_GOAL, GoalValidationError, add_goal, validate_goal
from db.checkins import MAX_NOTE, NOTE_COLUMN, save_checkins, validate_checkins
from db.scores import (DEFAULT_DIMENSIONS, MAX_DIMENSIONS, MAX_FULL_MARKS, MAX_NAME, MAX_SUBJECTS,
                       ScoreValidationError, SettingError, Sitting, cell_key, check_names, save_scores,
                       save_subjects, split_names, validate_scores, validate_sitting)
from db.reports import ReportError, parse_week, week_label
from db.reviews import MAX_SUMMARY, NextGoal, ReviewValidationError, save_review
from db.rules import MAX_CODE, MAX_DAYS, RuleError, check_days, parse_interval, save_rules
from db.rules import validate as validate_rules
from db.search_index import RosterIndex
from db.search import (SEP, STATUS_FILTERS, RosterRow, natural_key,
                       normalise_query, status_matches)
from db.text import clean, one_line
from db.vocab import (CASE_STATUSES, CATEGORIES, CAUSES, CHANNELS, CONTACT_KINDS,
                      GOAL_HORIZONS, GOAL_STATUSES, RISK_LEVELS, join_codes)
from db.workflow import Rule, load_rules
from tests.conftest import TODAY
from tui.i18n import CATALOG

# Generous: the machines that run this are small and busy.  No example database:
# nothing is left behind in the checkout (.hypothesis/).
PURE = settings(max_examples=200, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])
# tests that write: the school fixture is made once per test, and each example
# stands on its own (fresh UUIDs, row counts compared before and after)
WRITES = settings(PURE, max_examples=100)
# and the cache of constants hypothesis reads in the source (written when the
# tests are collected): in a temporary folder, removed at exit
_HOME = tempfile.mkdtemp(prefix="bangfu-hypothesis-")
atexit.register(shutil.rmtree, _HOME, ignore_errors=True)
set_hypothesis_home_dir(_HOME)

# -- the input ---------------------------------------------------------------------------

# complete escape sequences: cleaning removes them and nothing around them
ESCAPES = [
    "\x1b[31m", "\x1b[0m", "\x1b[2J", "\x1b[H", "\x1b[?25l", "\x1b[?1049h", "\x1b[1;31;42m",
    "\x1b[38;2;255;0;0m", "\x1b[6n", "\x1b]0;title\x07", "\x1b]2;title\x1b\\",
    "\x1b]8;;http://evil.example\x1b\\", "\x1b]52;c;aGVsbG8=\x07", "\x1bP1$r0m\x1b\\",
    "\x1bPq#0;2;0;0;0\x1b\\", "\x1b_apc payload\x1b\\", "\x1b^pm\x1b\\", "\x1bXsos\x1b\\",
    "\x1bc", "\x1b7", "\x1b8", "\x1bM", "\x1b(B", "\x1b(0", "\x1b=", "\x1b>", "\x9b31m",
    "\x9b2J", "\x9b?25h",
]
PIECES = ESCAPES + [
    # broken sequences and bare controls
    "\x1b", "\x1b[", "\x1b[31", "\x1b]", "\x1b]0;unterminated", "\x1bP", "\x9b", "\x9d",
    "\x07", "\x00", "\x08", "\x7f", "\x85", "\x9c", "\r\n", "\r", "\n", "\t", "\x0b", "\x0c",
    # bidi overrides and isolates, zero-width and other invisible characters
    "\u202e", "\u202d", "\u202a", "\u2066", "\u2067", "\u2069", "\u200b", "\u200c", "\u200d",
    "\u200e", "\u2060", "\ufeff", "\u2028", "\u2029", "\u3000", "\xa0", "\u00ad",
    # markup-like and injection-like text
    "[bold]", "[/]", "[red]x[/red]", "[link=http://x]y[/link]", "\\[", "%s", "{0}", "{name}",
    "'; DROP TABLE contact; --", "<b>", "&amp;", "$(reboot)",
    # ordinary text, digits of other scripts and forms
    "张伟", "作业经常不交", "七年级(1)班", "七年级（1）班", "Zhang Wei", "ＡＢＣ１２３", "①",
    "²", "٣", "e\u0301", "👍", "👨\u200d👩\u200d👧", " ", "  ", "0", "7", "9", "12", "-", "+",
    "/", ".", ":", "：", ",", "，", "、", "月", "日", "年", "W", "w", "t", "今天",
]
_piece = st.sampled_from(PIECES)


def _long(piece: str, n: int, tail: str) -> str:
    return (piece * n)[:20_000] + tail


short_hostile = st.lists(st.one_of(_piece, st.text(max_size=4)), max_size=25).map("".join)
hostile = st.one_of(
    st.text(),  # any code point but surrogates
    short_hostile,
    st.builds(_long, st.sampled_from(PIECES + ["a", "字", "9", "a\x1b[31m"]),
              st.integers(1, 20_000), st.sampled_from(["", "\x1b[31m", "张", "\x1b"])),
)


def note(text: str, limit: int | None = None) -> st.SearchStrategy[str]:
    """A field's text with hostile text around it (so that it usually passes),
    at its length limit (counted after cleaning), or anything."""
    around = st.one_of(short_hostile.map(lambda s: text + s), short_hostile.map(lambda s: s + text))
    if limit is None:
        return st.one_of(st.just(text), around, hostile)
    edge = st.sampled_from(["字" * limit, "字" * (limit + 1), " " + "字" * limit + "\x1b[31m\x00 ",
                            "a\x1b]0;x\x07" * limit, "字" * (limit - 1) + "\x1b[0m"])
    return st.one_of(st.just(text), around, edge, hostile)


def mostly(good: st.SearchStrategy, bad: st.SearchStrategy) -> st.SearchStrategy:
    """``good`` seven times in eight: a form with many fields then often passes."""
    return st.sampled_from([good] * 7 + [bad]).flatmap(lambda strategy: strategy)


def words(*choices: str) -> st.SearchStrategy[str]:
    """The expected values, as typed with spaces and in other cases, or anything."""
    typed = st.sampled_from(choices)
    return st.one_of(typed, typed.map(str.upper), typed.map(lambda s: f" {s} "),
                     typed.map(lambda s: s[:2]), hostile)


_sep = st.sampled_from(["-", "/", ".", "年", "月", "", " ", "--", "：", "－"])
date_text = st.one_of(
    st.builds(lambda y, a, m, b, d, end: f"{y}{a}{m}{b}{d}{end}",
              st.one_of(st.integers(0, 99_999).map(str), st.integers(0, 9999).map("{:04d}".format)),
              _sep, st.integers(0, 99).map(str), _sep, st.integers(0, 99).map(str),
              st.sampled_from(["", "日", " ", "x"])),
    st.builds(lambda m, a, d, end: f"{m}{a}{d}{end}", st.integers(0, 99).map(str), _sep,
              st.integers(0, 99).map(str), st.sampled_from(["", "日"])),
    st.builds(lambda s, n: f"{s}{n}", st.sampled_from(["+", "-", "+ ", "- ", "--", "", "−"]),
              st.integers(0, 10**6)),
    st.sampled_from([*_WORDS, "TODAY", " 昨天 ", "tomorow", "yday", "后天"]),
    st.dates().map(lambda d: f"{d.year:04d}-{d.month:02d}-{d.day:02d}"),
    st.sampled_from(["0001-01-01", "9999-12-31", "99991231", "2026-02-29", "2-29", "0-0"]),
    hostile,
)
# any day, the first and last days of the calendar more often than by chance
any_day = st.one_of(st.dates(), st.sampled_from([dt.date.min, dt.date(1, 1, 2), dt.date.max,
                                                 dt.date(9999, 12, 30), dt.date(2028, 2, 29)]))

# -- what comes out ------------------------------------------------------------------------


def assert_safe(text: str, *, newlines: bool = False, tabs: bool = False) -> None:
    """No escape sequence or control character left (newline and tab only if allowed)."""
    assert isinstance(text, str)
    for ch in text:
        if ch == "\n":
            assert newlines, repr(text[:80])
        elif ch == "\t":
            assert tabs, repr(text[:80])
        else:
            assert not (ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F), repr(ch)


def assert_errors(errors: dict, fields) -> None:
    """Refused: every bad field exists and its message is in the catalog."""
    assert errors
    for name, key in errors.items():
        assert name in fields, name
        assert key in CATALOG, key


def rows(model) -> int:
    return model.select().count()


# -- dates and weeks ---------------------------------------------------------------------


@PURE
@given(text=date_text, today=any_day, prefer=st.sampled_from(["past", "future"]))
def test_parse_date_gives_a_date_near_today_or_a_date_error(text, today, prefer):
    try:
        got = parse_date(text, today, prefer=prefer)
    except DateError as exc:
        event("refused")
        assert exc.code in ("empty", "format", "invalid")
        assert f"err.date.{exc.code}" in CATALOG
        return
    assert type(got) is dt.date
    raw = text.strip().lower()
    if raw in _WORDS or _OFFSET.match(raw):
        assert abs((got - today).days) <= 9999
    elif _MD.match(raw):  # the nearest such day on the side asked for
        assert (got <= today) if prefer == "past" else (got >= today)
        assert abs((got - today).days) <= 366
        assert (got.month, got.day) == tuple(int(n) for n in _MD.match(raw).groups())
    else:  # a full date: exactly the one typed
        numbers = [int(n) for n in re.findall(r"\d+", raw)]
        if len(numbers) == 1:  # 20261120
            numbers = [int(raw[:4]), int(raw[4:6]), int(raw[6:])]
        assert (got.year, got.month, got.day) == tuple(numbers)


@PURE
@given(day=any_day, today=any_day, prefer=st.sampled_from(["past", "future"]))
def test_every_written_date_reads_back(day, today, prefer):
    y, m, d = f"{day.year:04d}", day.month, day.day
    for text in (day.isoformat(), f"{y}/{m}/{d}", f"{y}.{m:02d}.{d}", f"{y}{m:02d}{d:02d}",
                 f"{y}年{m}月{d}日", f" {y}-{m}-{d} "):
        assert parse_date(text, today, prefer=prefer) == day, text
    # a month-day is the day itself when it is today
    assert parse_date(f"{m}-{d}", day, prefer=prefer) == day
    assert parse_date(f"{m}月{d}日", day, prefer=prefer) == day


@PURE
@given(today=any_day, days=st.integers(0, 9999), sign=st.sampled_from(["+", "-"]))
def test_an_offset_counts_days_from_today(today, days, sign):
    try:
        want = today + dt.timedelta(days=days if sign == "+" else -days)
    except OverflowError:
        with pytest.raises(DateError):
            parse_date(f"{sign}{days}", today)
        return
    assert parse_date(f"{sign}{days}", today) == want


@PURE
@given(text=st.one_of(
    st.builds(lambda h, s, m: f"{h}{s}{m}", st.integers(0, 999).map(str),
              st.sampled_from([":", "：", "", ".", " "]), st.integers(0, 999).map("{:02d}".format)),
    hostile))
def test_parse_time_gives_a_time_of_day_or_a_date_error(text):
    try:
        got = parse_time(text)
    except DateError as exc:
        event("refused")
        assert exc.code == "time" and "err.time" in CATALOG
        return
    assert type(got) is dt.time and got.second == 0 and got.microsecond == 0


@PURE
@given(t=st.times())
def test_every_written_time_reads_back(t):
    want = t.replace(second=0, microsecond=0)
    for text in (f"{t.hour}:{t.minute:02d}", f"{t.hour:02d}{t.minute:02d}",
                 f"{t.hour}：{t.minute:02d}", f" {t.hour:02d}:{t.minute:02d} "):
        assert parse_time(text) == want, text


week_text = st.one_of(
    st.builds(lambda y, a, w, n: f"{y}{a}{w}{n}", st.integers(0, 99_999).map(str),
              st.sampled_from(["-", "", " - ", "/"]), st.sampled_from(["W", "w", "", "周"]),
              st.integers(0, 120).map(str)),
    hostile)


@PURE
@given(text=week_text, today=any_day)
def test_parse_week_gives_a_monday_or_a_report_error(text, today):
    try:
        monday, label = parse_week(text, today)
    except ReportError as exc:
        event("refused")
        assert exc.code == "week" and exc.key in CATALOG
        return
    assert monday.weekday() == 0 and week_label(monday) == label
    if not text.strip():
        assert 0 <= (today - monday).days < 7


@PURE
@given(day=st.dates(min_value=dt.date(1000, 1, 10)))  # week_label writes the year unpadded
def test_a_week_label_reads_back_as_the_monday_of_its_week(day):
    monday = day - dt.timedelta(days=day.weekday())
    assert parse_week(week_label(day)) == (monday, week_label(day))
    assert parse_week(week_label(day).replace("-", "").lower()) == (monday, week_label(day))


@PURE
@given(text=st.one_of(st.sampled_from(sorted(_WORDS)), st.integers(0, 9999).map("+{}".format),
                      st.integers(0, 9999).map("-{}".format), st.sampled_from(["2-29", "12-31"])),
       today=st.sampled_from([dt.date.min, dt.date(1, 1, 2), dt.date.max, dt.date(9999, 12, 30)]),
       prefer=st.sampled_from(["past", "future"]))
def test_relative_dates_at_the_ends_of_the_calendar_are_dates_or_date_errors(text, today, prefer):
    try:
        got = parse_date(text, today, prefer=prefer)
    except DateError as exc:
        assert exc.code == "invalid"
        return
    assert abs((got - today).days) <= 9999


def test_regression_a_word_date_next_to_the_end_of_the_calendar_is_a_date_error():
    # found by hypothesis: "y" (yesterday) on 0001-01-01 raised OverflowError
    for text, today in (("y", dt.date.min), ("yesterday", dt.date.min), ("前天", dt.date.min),
                        ("tomorrow", dt.date.max)):
        with pytest.raises(DateError) as exc:
            parse_date(text, today)
        assert exc.value.code == "invalid"


# -- cleaning text ------------------------------------------------------------------------


@PURE
@given(text=hostile)
def test_clean_leaves_no_escape_or_control_character(text):
    assert_safe(clean(text), newlines=True, tabs=True)
    assert_safe(clean(text, multiline=False), tabs=True)
    assert_safe(one_line(text))
    assert "  " not in one_line(text) and one_line(text) == one_line(text).strip()


@PURE
@given(text=hostile)
def test_cleaning_twice_changes_nothing(text):
    once = clean(text)
    assert clean(once) == once
    assert clean(clean(text, multiline=False), multiline=False) == clean(text, multiline=False)
    assert one_line(one_line(text)) == one_line(text)
    assert one_line(once) == one_line(text)


ordinary = st.text(st.one_of(
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),  # CJK ideographs
    st.characters(min_codepoint=0x3000, max_codepoint=0x303F),  # CJK punctuation
    st.characters(min_codepoint=0xFF01, max_codepoint=0xFF5E),  # full-width forms
    st.characters(min_codepoint=0x20, max_codepoint=0x7E),  # ASCII, markup brackets too
    st.characters(min_codepoint=0xA0, max_codepoint=0x24F),  # Latin-1, accents
    st.sampled_from(["\n", "\t", "👍", "\u0301", "·"]),  # (\u0301: a combining accent)
))


@PURE
@given(text=ordinary)
def test_clean_keeps_ordinary_text(text):
    assert clean(text) == text
    assert clean(text, multiline=False) == text.replace("\n", " ")
    assert one_line(text) == " ".join(text.split())


@PURE
@given(parts=st.lists(st.one_of(ordinary, st.sampled_from(ESCAPES)), max_size=12))
def test_clean_removes_whole_escape_sequences_and_keeps_the_text_around_them(parts):
    text = "".join(parts)
    plain = "".join(p for p in parts if p not in ESCAPES)
    assert clean(text) == clean(plain)


# -- search -------------------------------------------------------------------------------

SURNAMES = ["张", "王", "李", "赵", "曾", "单", "欧阳", "尉迟", "周", "区", "解"]
GIVEN = ["伟", "薇", "小明", "娜娜", "文", "建国", "芳", "子涵", "一", "十二", "行"]
CLASSES = [("七年级(1)班", "7-1"), ("七年级(10)班", "7-10"), ("八年级(2)班", ""),
           ("高一A班", "10-a"), ("七年级（3）班", "7-3"), ("9年级", ""), ("Class 9B", "9b"),
           ("", "")]


def make_name(rnd: random.Random) -> str:
    kind = rnd.random()
    chinese = rnd.choice(SURNAMES) + rnd.choice(GIVEN)
    if kind < 0.7:
        return chinese
    if kind < 0.8:
        return f"{chinese[0]} {chinese[1:]}"  # typed with a space
    if kind < 0.85:
        return rnd.choice(["Tom LI", "anna", "O'Brien", "van der Berg", "José", "JOSÉ"])
    if kind < 0.9:  # as pasted from a spreadsheet: Latin letters, padding
        return rnd.choice(["李Anna", "王　芳", "Ｌｉ娜", "张  Ⅱ", "Émile 周"])
    return chinese + "·" + rnd.choice(GIVEN)  # 买买提·艾力


def roster_rows() -> list[RosterRow]:
    """Three hundred students, the same on every run."""
    from db.pinyin import name_keys

    rnd = random.Random(6)
    out = []
    for sid in range(1, 301):
        name = one_line(make_name(rnd))
        klass, code = rnd.choice(CLASSES)
        status = rnd.choice(["", "", "identified", "active", "improving", "transformed",
                             "closed"])
        no = f"2024{sid:04d}" if sid % 7 else f"S-{sid}"
        row = RosterRow(sid, no, name, klass, code, case_id=sid if status else None,
                        status=status,
                        staff_ids=frozenset(rnd.sample([1, 2, 3], rnd.randint(0, 2))))
        KEYS[sid] = name_keys(name)
        row.build_hay(*KEYS[sid])
        out.append(row)
    return out


KEYS: dict[int, tuple[str, str]] = {}  # student id -> stored (pinyin, initials)


@functools.cache
def roster() -> tuple[RosterRow, ...]:
    return tuple(roster_rows())


def fresh_roster() -> list[RosterRow]:
    """Copies of the roster's rows (an index takes its rows' keys)."""
    return [dataclasses.replace(r) for r in roster()]


@functools.cache
def order() -> tuple[RosterRow, ...]:
    """The roster in roster order (open cases first, then by class and number)."""
    return tuple(RosterIndex(fresh_roster())._rows)


def fields_of(row: RosterRow) -> list[str]:
    from db.pinyin import name_keys

    pinyin, initials = KEYS.get(row.student_id) or name_keys(row.name)
    return [row.name, row.student_no, row.class_name, row.class_code,
            *pinyin.replace("'", "").split("|"), *initials.split("|"), *pinyin.split("|")]


def expected(query: str, status: str = "all", staff_id: int | None = None) -> list[int]:
    """The documented result (tests/search_reference.py), in scope."""
    from tests.search_reference import expected as reference

    rows = [r for r in order() if status_matches(r, status)
            and (staff_id is None or staff_id in r.staff_ids)]
    return [r.student_id for r in reference(rows, KEYS, query)]


def queries():
    """A field of some row, a piece of one, or anything."""
    rows = roster()
    field = st.one_of(st.sampled_from(rows).flatmap(lambda r: st.sampled_from(fields_of(r))),
                      st.sampled_from(sorted({r.class_name for r in rows} | {
                          r.name for r in rows if not r.name.isascii()})))
    piece = st.tuples(field, st.integers(0, 10), st.integers(1, 12)).map(
        lambda t: t[0][t[1]:t[1] + t[2]])
    return st.one_of(field, piece, field.map(str.upper), field.map(lambda s: f" {s}  "), hostile)


@PURE
@given(data=st.data())
def test_any_query_finds_the_matching_rows_of_the_roster(data):
    import db.search_index

    index = RosterIndex(fresh_roster())
    # many matches are ranked by scans over all keys (a broad query on a big
    # roster), few row by row: both ways give the documented order
    many = data.draw(st.sampled_from([db.search_index.RANK_EACH, 0]), label="rank_each")
    for _ in range(3):  # the index keeps results between searches: reuse them
        query = data.draw(queries(), label="query")
        status = data.draw(st.sampled_from(STATUS_FILTERS), label="status")
        staff_id = data.draw(st.sampled_from([None, 1, 2, 3, 99]), label="staff")
        limit = data.draw(st.sampled_from([None, 1, 5]), label="limit")
        saved, db.search_index.RANK_EACH = db.search_index.RANK_EACH, many
        try:
            got = [r.student_id for r in index.search(query, status=status, staff_id=staff_id,
                                                      limit=limit)]
        finally:
            db.search_index.RANK_EACH = saved
        want = expected(query, status, staff_id)
        assert got == (want[:limit] if limit else want)
        assert set(got) <= {r.student_id for r in roster()}


@PURE
@given(data=st.data())
def test_typing_and_backspacing_gives_the_rows_of_a_fresh_search(data):
    target = data.draw(queries(), label="typed")[:24]
    status = data.draw(st.sampled_from(["all", "open", "none"]), label="status")
    typed = [target[:n] for n in range(1, len(target) + 1)]
    back = data.draw(st.integers(0, len(target)), label="backspaces")
    typed += [target[:n] for n in range(len(target) - 1, len(target) - 1 - back, -1)]
    typed += [target[:max(0, len(target) - back)] + data.draw(hostile, label="then")[:5]]
    index = RosterIndex(fresh_roster())
    for query in typed:
        got = [r.student_id for r in index.search(query, status=status)]
        assert got == expected(query, status), query


@PURE
@given(data=st.data())
def test_a_student_is_found_by_number_and_by_name(data):
    row = data.draw(st.sampled_from(roster()), label="row")
    index = RosterIndex(fresh_roster())
    for query in (row.student_no, row.name, f"  {row.name} ", row.student_no.lower()):
        assert row in index.search(query), query
    assert row in index.exact(row.student_no)
    assert row in index.exact(row.name)


@PURE
@given(text=hostile)
def test_normalising_a_query_never_fails(text):
    q = normalise_query(text)
    assert not any(ch.isspace() for ch in q) and SEP not in q
    # (not idempotent, and need not be: "R¸" gives "r" + a combining cedilla,
    # which a second NFKC would compose into "ŗ"; rows and query are folded once)


@PURE
@given(names=st.lists(st.one_of(hostile, st.sampled_from(
    ["7-1", "7-10", "7-2", "七年级", "八年级", "十二班", "①", "²", "٣", "1" * 5000])), max_size=8))
def test_natural_sort_keys_never_fail_and_always_compare(names):
    keys = [natural_key(n) for n in names]
    sorted(keys)  # every key compares with every other


def test_regression_typing_a_digit_then_chinese_finds_a_class_name():
    # found by hypothesis: the results of "9" (matched in the ASCII keys) were
    # narrowed for "9年" (matched in the names), losing the class 9年级
    row = RosterRow(1, "20240001", "张伟", "9年级", "")
    row.build_hay("zhangwei", "zw")
    index = RosterIndex([row])
    assert index.search("9") == [] and index.search("9年") == [row]


@pytest.mark.parametrize("name, klass, query", [
    ("王 子涵", "七年级(1)班", "王 子涵"),  # found by hypothesis
    ("王 子涵", "七年级(1)班", "王子涵"),
    ("JOSÉ", "七年级(1)班", "JOSÉ"),  # found by hypothesis
    ("李Anna", "七年级(1)班", "李Anna"),
    ("张伟", "七年级（3）班", "七年级（3）班"),  # full-width brackets, as an IME types them
    ("张伟", "七年级（3）班", "七年级(3)"),
])
def test_regression_a_student_is_found_by_the_name_as_shown(name, klass, query):
    row = RosterRow(1, "20240001", name, klass, "")
    row.build_hay()
    index = RosterIndex([row])
    assert index.search(query) == [row]
    if query == name:
        assert index.exact(query) == [row]


SPREADSHEET = [("20249001", "王　芳", "七年级（3）班"), ("20249002", "李Anna", "七年级（3）班"),
               ("20249003", "JOSÉ", "Class 9B"), ("20249004", "Ｌｉ娜", "9年级"),
               ("20249005", "欧阳 娜娜", "9年级")]


@pytest.fixture
def pasted_school(school):
    """The small school and five students as pasted from a spreadsheet."""
    from db.models import SchoolClass
    from db.students import create_student

    classes = {}
    for no, name, klass in SPREADSHEET:
        if klass not in classes:
            classes[klass] = SchoolClass.create(name=klass, code="").id
        create_student(None, student_no=no, name=name, class_id=classes[klass])
    return school


@WRITES
@given(data=st.data())
def test_the_command_lines_narrowed_roster_finds_what_the_whole_roster_finds(pasted_school,
                                                                             data):
    from db.roster import load_index

    index = load_index()
    fields = sorted({f for row in index._rows for f in fields_of(row)} | {
        name for _, name, _ in SPREADSHEET})
    field = st.sampled_from(fields)
    query = data.draw(st.one_of(field, field.map(str.upper), st.tuples(
        field, st.integers(0, 5), st.integers(1, 6)).map(lambda t: t[0][t[1]:t[1] + t[2]]),
        hostile.map(lambda s: s[:30])), label="query")
    full = [r.student_id for r in index.search(query)]
    assert [r.student_id for r in load_index(query).search(query)] == full


@pytest.mark.parametrize("query", ["JOSÉ", "王 芳", "王芳", "李Anna", "七年级（3）班"])
def test_regression_the_command_line_finds_a_pasted_name(pasted_school, query):
    # found by hypothesis: "JOSÉ" (once the index matched it, SQL narrowed it away)
    from db.roster import load_index

    full = [r.student_id for r in load_index().search(query)]
    assert full and [r.student_id for r in load_index(query).search(query)] == full


@pytest.mark.parametrize("query", ["\x00", "a\x00", "王\x00", "7-1\x00"])
def test_regression_a_nul_in_the_query_is_no_error_on_a_server(pasted_school, query):
    # found by hypothesis on PostgreSQL: a string literal there cannot hold NUL,
    # so narrowing the roster by such a query raised ValueError
    from db.roster import load_index

    full = [r.student_id for r in load_index().search(query)]
    assert [r.student_id for r in load_index(query).search(query)] == full


def test_regression_natural_key_of_digits_that_are_not_decimal_or_too_long():
    # found by hypothesis: int() refused "①" (isdigit but not a decimal) and a
    # run of more than 4300 digits, so the roster could not be sorted
    assert sorted(["7-2", "①", "7-10", "1" * 5000], key=natural_key)[:2] == ["7-2", "7-10"]
    index = RosterIndex([RosterRow(1, "20240001", "张伟", "①班", "①"),
                         RosterRow(2, "2" * 5000, "王芳", "七年级(1)班", "7-1")])
    assert len(index.search("")) == 2


# -- contacts ----------------------------------------------------------------------------

CONTACT_FIELDS = {"student", "date", "time", "kind", "channel", "participants", "duration",
                  "discussed", "agreed", "follow_up", "follow_up_due"}
_number_text = st.one_of(st.integers(-10, 10**5).map(str), st.integers(0, 999).map(
    lambda n: str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))),
    st.sampled_from(["①", "²", "٣٠", "1.5", "1e3", " 30 ", "0" * 5000, "1" * 5000]), hostile)
contact_input = st.builds(
    ContactInput,
    case_id=st.none(),  # set by the test
    date=mostly(st.sampled_from(["today", "-1", "11-19", "2026-11-02", "", "昨天"]), date_text),
    time=mostly(st.sampled_from(["", "16:30", "9:05", "0830", "7：45"]),
                st.one_of(st.just("24:00"), hostile)),
    kind=mostly(st.sampled_from([*CONTACT_KINDS, "f", "s", "c", "FAM", " co "]),
                words(*CONTACT_KINDS)),
    channel=mostly(st.sampled_from([*CHANNELS, "p", "w", "h", "WeChat", "home"]),
                   words(*CHANNELS)),
    participants=mostly(st.sampled_from(["", "张父", "张父、班主任"]), note("张父", MAX_LINE)),
    duration=mostly(st.one_of(st.just(""), st.integers(1, MAX_DURATION).map(str)), _number_text),
    discussed=mostly(st.just("作业情况"), note("作业情况", MAX_TEXT)),
    agreed=mostly(st.just(""), note("每天检查作业", MAX_TEXT)),
    follow_up=mostly(st.sampled_from(["", "下周再联系", "下周再联系"]),
                     note("下周再联系", MAX_TEXT)),
    follow_up_due=mostly(st.sampled_from(["", "+7", "12-01", "2026-11-20"]), date_text),
)


def check_contact(entry) -> None:
    assert entry.occurred_at.date() <= TODAY
    assert entry.kind in CONTACT_KINDS and entry.channel in CHANNELS
    assert entry.duration_min is None or 1 <= entry.duration_min <= MAX_DURATION
    assert_safe(entry.participants)
    assert len(entry.participants) <= MAX_LINE
    for text in (entry.discussed, entry.agreed, entry.follow_up):
        assert_safe(text, newlines=True, tabs=True)
        assert len(text) <= MAX_TEXT and text == text.strip()
    assert entry.discussed
    if entry.follow_up_due is not None:
        assert entry.follow_up and entry.follow_up_due >= entry.occurred_at.date()


@PURE
@given(data=contact_input, case_id=st.sampled_from([None, 1]))
def test_a_contact_is_cleaned_and_bounded_or_refused_by_field(data, case_id):
    data.case_id = case_id
    try:
        entry = validate_contact(data)
    except ContactValidationError as exc:
        event("refused")
        assert_errors(exc.errors, CONTACT_FIELDS)
        return
    check_contact(entry)


@WRITES
@given(data=contact_input, which=st.sampled_from([None, "张伟", "曾小明"]))
def test_a_contact_refused_writes_nothing_and_one_saved_reads_back_clean(school, data, which):
    data.case_id = school.cases[which].id if which else None
    data.uuid = str(uuidlib.uuid4())
    before = rows(Contact), rows(AuditLog)
    try:
        entry = validate_contact(data)
    except ContactValidationError as exc:
        event("refused")
        assert_errors(exc.errors, CONTACT_FIELDS)
        assert (rows(Contact), rows(AuditLog)) == before
        return
    contact_id, created = save_contact(school.teacher, entry)
    assert created
    stored = Contact.get_by_id(contact_id)
    for name in ("participants", "discussed", "agreed", "follow_up", "kind", "channel",
                 "duration_min", "follow_up_due", "occurred_at"):
        assert getattr(stored, name) == getattr(entry, name), name
    check_contact(entry)


def test_regression_a_duration_in_other_digits_or_very_long_is_a_field_error():
    # found by hypothesis: "①" and "²" are isdigit() but int() refuses them, and
    # int() refuses more than 4300 digits: validate raised a bare ValueError
    for duration in ("①", "²", "0" * 5000, "1" * 5000):
        with pytest.raises(ContactValidationError) as exc:
            validate_contact(ContactInput(case_id=1, discussed="x", duration=duration))
        assert exc.value.errors == {"duration": "err.duration"}
    entry = validate_contact(ContactInput(case_id=1, discussed="x", duration="٣٠"))
    assert entry.duration_min == 30  # digits of another script are still digits


# -- the case file ------------------------------------------------------------------------

case_values = st.fixed_dictionaries({}, optional={
    "status": words(*CASE_STATUSES),
    "risk_level": words(*RISK_LEVELS),
    "categories": st.lists(st.one_of(st.sampled_from(CATEGORIES), hostile), max_size=4),
    "causes": st.lists(st.one_of(st.sampled_from(CAUSES), hostile), max_size=4),
    **{name: note("按时完成作业", MAX_CASE_TEXT) for name in CASE_TEXT_FIELDS},
})


def case_snapshot(case_id: int) -> dict:
    case = Case.get_by_id(case_id)
    return {name: getattr(case, name) for name in (*CASE_EDIT_FIELDS, "version", "closed_on")}


@WRITES
@given(values=case_values)
def test_a_case_edit_is_saved_clean_or_refused_with_nothing_written(school, values):
    case_id = school.cases["张伟"].id
    before, audit = case_snapshot(case_id), rows(AuditLog)
    try:
        version = update_case(school.teacher, case_id, before["version"], values)
    except CaseValidationError as exc:
        event("refused")
        assert_errors(exc.errors, CASE_EDIT_FIELDS)
        assert case_snapshot(case_id) == before and rows(AuditLog) == audit
        return
    after = case_snapshot(case_id)
    assert after["version"] == version in (before["version"], before["version"] + 1)
    for name in CASE_TEXT_FIELDS:
        assert_safe(after[name], newlines=True, tabs=True)
        assert len(after[name]) <= MAX_CASE_TEXT
        if name in values:
            assert after[name] == clean(values[name]).strip()
    assert after["status"] in CASE_STATUSES and after["risk_level"] in RISK_LEVELS
    for name, allowed in (("categories", CATEGORIES), ("causes", CAUSES)):
        if name in values:
            assert after[name] == join_codes(values[name], allowed)


# -- goals and stage reviews --------------------------------------------------------------

GOAL_FIELDS = {"horizon", "text", "measure", "due"}
goal_args = st.tuples(mostly(st.sampled_from(GOAL_HORIZONS), words(*GOAL_HORIZONS)),
                      note("每天按时交作业", MAX_GOAL),
                      mostly(st.just(""), note("作业本", MAX_GOAL)),
                      mostly(st.sampled_from(["", "+30", "12-31", "2027-01-15"]), date_text))


@PURE
@given(args=goal_args)
def test_a_goal_is_one_clean_line_within_bounds_or_refused_by_field(args):
    try:
        goal = validate_goal(*args)
    except GoalValidationError as exc:
        event("refused")
        assert_errors(exc.errors, GOAL_FIELDS)
        return
    assert goal.horizon in GOAL_HORIZONS and goal.text
    for text in (goal.text, goal.measure):
        assert_safe(text)
        assert len(text) <= MAX_GOAL


@WRITES
@given(args=goal_args)
def test_a_goal_refused_writes_nothing(school, args):
    case_id = school.cases["张伟"].id
    before = rows(Goal), rows(AuditLog)
    try:
        goal_id = add_goal(school.teacher, case_id, *args)
    except GoalValidationError as exc:
        event("refused")
        assert_errors(exc.errors, GOAL_FIELDS)
        assert (rows(Goal), rows(AuditLog)) == before
        return
    stored = Goal.get_by_id(goal_id)
    assert stored.text == one_line(args[1]) and len(stored.text) <= MAX_GOAL


@pytest.fixture
def goals(school):
    case_id = school.cases["张伟"].id
    return [add_goal(school.teacher, case_id, "short", text) for text in ("按时交作业", "数学及格")]


def goal_statuses(case_id: int) -> dict:
    return dict(Goal.select(Goal.id, Goal.status).where(Goal.case == case_id).tuples())


@WRITES
@given(data=st.data())
def test_a_stage_review_is_saved_clean_or_refused_with_nothing_written(school, goals, data):
    case_id = school.cases["张伟"].id
    draw = data.draw
    review_date = draw(mostly(
        st.sampled_from(["today", "-7", "11-01", "2026-11-19", "", "0001-01-01"]),
        st.one_of(st.sampled_from(["9999-12-31", "99991231", "tomorrow"]), date_text)),
        label="review_date")
    summary = draw(note("本阶段作业按时完成", MAX_SUMMARY), label="summary")
    statuses = draw(st.dictionaries(st.one_of(st.sampled_from(goals), st.integers(-5, 10**6)),
                                    mostly(st.sampled_from(GOAL_STATUSES),
                                           words(*GOAL_STATUSES)), max_size=3),
                       label="statuses")
    next_goals = draw(st.lists(st.builds(
        NextGoal, text=st.one_of(st.just(""), note("数学70分", MAX_GOAL)),
        due=mostly(st.sampled_from(["", "+30"]), date_text),
        horizon=mostly(st.sampled_from(GOAL_HORIZONS), words(*GOAL_HORIZONS)),
        measure=mostly(st.just(""), note("期末考试", MAX_GOAL))), max_size=3),
        label="next_goals")
    next_review = draw(mostly(st.sampled_from(["", "+30", "12-20", "昨天", "-1"]), date_text),
                       label="next_review")
    fields = {"date", "summary", "goals", "next"} | {
        f"goal{n}.{name}" for n in range(1, len(next_goals) + 1) for name in GOAL_FIELDS}
    before = rows(StageReview), rows(Goal), rows(AuditLog), goal_statuses(case_id)
    uuid = str(uuidlib.uuid4())
    try:
        review_id = save_review(school.teacher, case_id, uuid=uuid, review_date=review_date,
                                summary=summary, statuses=statuses, next_goals=next_goals,
                                next_review=next_review)
    except ReviewValidationError as exc:
        event("refused")
        assert_errors(exc.errors, fields)
        assert (rows(StageReview), rows(Goal), rows(AuditLog), goal_statuses(case_id)) == before
        return
    review = StageReview.get_by_id(review_id)
    assert review.uuid == uuid and review.review_date <= TODAY
    assert review.next_review > review.review_date
    assert review.summary == clean(summary).strip() and review.summary
    assert_safe(review.summary, newlines=True, tabs=True)
    assert len(review.summary) <= MAX_SUMMARY
    for goal_id, status in statuses.items():
        if goal_id in goals:
            assert Goal.get_by_id(goal_id).status == status
    new = list(Goal.select().where(Goal.review == review_id))
    assert len(new) == sum(1 for g in next_goals if g.text.strip() or g.due.strip())
    for goal in new:
        assert_safe(goal.text)
        assert_safe(goal.measure)
        assert 0 < len(goal.text) <= MAX_GOAL and len(goal.measure) <= MAX_GOAL
    judged = json.loads(review.goals)
    assert {gid for gid, _, _ in judged} == set(goals) | set(before[3])


def test_regression_a_review_dated_at_the_end_of_the_calendar_is_a_field_error(school):
    # found by hypothesis: OverflowError working out the next review after one
    # dated 9999-12-31 (with the next review blank, or "tomorrow"); and "昨天"
    # after a review dated 0001-01-01
    case_id = school.cases["张伟"].id
    before = rows(StageReview)
    for date, next_review, field in (("9999-12-31", "", "date"), ("9999-12-31", "tomorrow", "date"),
                                     ("0001-01-01", "昨天", "next")):
        with pytest.raises(ReviewValidationError) as exc:
            save_review(school.teacher, case_id, uuid=str(uuidlib.uuid4()), review_date=date,
                        summary="总结", next_review=next_review)
        assert field in exc.value.errors
    assert rows(StageReview) == before


# -- scores and check-ins -----------------------------------------------------------------

SITTING_FIELDS = {"exam", "date", "full", "subjects"}
score_text = st.one_of(
    st.floats(0, 200, allow_nan=False).map(lambda x: f"{x:.1f}"),
    st.integers(0, 150).map(str), st.just(""), _number_text,
    st.sampled_from(["87.", ".5", ".", "1.2.3", "８７．５", "-5", "1e2", "inf", "nan",
                     "9" * 400, "8\x1b[31m7"]))


@PURE
@given(exam=note("期中考试", MAX_NAME * 2),
       date=mostly(st.sampled_from(["today", "11-10", "2026-11-01"]), date_text),
       full=mostly(st.sampled_from(["", "100", "120", "1000", "１５０", "99.5"]),
                   st.one_of(st.sampled_from(["0", "1000.5"]), score_text)),
       subjects=mostly(st.sampled_from(["语文, 数学，英语、语文", "数学", ["语文", " 数学 "]]),
                       st.one_of(hostile, st.lists(hostile, max_size=12))))
def test_an_exam_sitting_is_clean_and_bounded_or_refused_by_field(exam, date, full, subjects):
    try:
        sitting = validate_sitting(exam, date, full, subjects)
    except ScoreValidationError as exc:
        event("refused")
        assert_errors(exc.errors, SITTING_FIELDS)
        return
    assert_safe(sitting.exam)
    assert 0 < len(sitting.exam) <= MAX_NAME * 2
    assert sitting.taken_on <= TODAY
    assert 0 < sitting.full_marks <= MAX_FULL_MARKS
    assert 1 <= len(sitting.subjects) <= MAX_SUBJECTS
    assert len(set(sitting.subjects)) == len(sitting.subjects)
    for name in sitting.subjects:
        assert_safe(name)
        assert 0 < len(name) <= MAX_NAME


@PURE
@given(text=hostile, most=st.integers(0, 12))
def test_names_are_split_cleaned_and_bounded_or_refused(text, most):
    names = split_names(text)
    assert len(set(names)) == len(names)
    try:
        checked = check_names(names, most)
    except SettingError as exc:
        event("refused")
        assert f"err.{exc.code}" in CATALOG
        return
    assert 1 <= len(checked) <= most and len(set(checked)) == len(checked)
    for name in checked:
        assert_safe(name)
        assert 0 < len(name) <= MAX_NAME and "," not in name


@WRITES
@given(names=st.one_of(st.lists(hostile, max_size=12), st.lists(st.just("物理"), min_size=1)))
def test_a_subject_list_refused_writes_nothing(school, names):
    before = list(Meta.select().tuples()), rows(AuditLog)
    try:
        save_subjects(None, names)
    except SettingError as exc:
        event("refused")
        assert f"err.{exc.code}" in CATALOG
        assert (list(Meta.select().tuples()), rows(AuditLog)) == before


@WRITES
@given(data=st.data())
def test_scores_are_saved_in_range_or_refused_with_nothing_written(school, data):
    students = [s.id for s in school.students.values()] + [999_999]
    full = data.draw(st.sampled_from([100.0, 120.0, 150.0, 0.5]), label="full")
    day = data.draw(st.dates(dt.date(2026, 9, 1), TODAY), label="day")
    sitting = Sitting(data.draw(st.sampled_from(["期中考试", "月考"]), label="exam"), day, full,
                      ["语文", "数学", "英语"])
    cells = data.draw(st.dictionaries(
        st.tuples(st.sampled_from(students), st.sampled_from(["语文", "数学", "英语", "物理"])),
        score_text, max_size=8), label="cells")
    before = rows(Score), rows(AuditLog)
    try:
        save_scores(school.teacher, sitting, cells)
    except ScoreValidationError as exc:
        event("refused")
        assert_errors(exc.errors, {cell_key(sid, subject) for sid, subject in cells})
        assert (rows(Score), rows(AuditLog)) == before
        return
    for (sid, subject), value in validate_scores(sitting, cells).items():
        stored = [score for (score,) in Score.select(Score.score).where(
            Score.student == sid, Score.subject == subject, Score.exam == sitting.exam,
            Score.taken_on == day).tuples()]
        if value is None or sid == 999_999:
            assert stored == []
        else:
            assert stored == [value] and 0 <= value <= full


@WRITES
@given(data=st.data())
def test_check_ins_are_saved_in_range_or_refused_with_nothing_written(school, data):
    students = [s.id for s in school.students.values()] + [999_999]
    dims = data.draw(st.one_of(st.just(list(DEFAULT_DIMENSIONS)), st.lists(
        st.sampled_from(["心情", "自信", "mood", "专注"]), min_size=1, max_size=MAX_DIMENSIONS,
        unique=True)), label="dimensions")
    day = data.draw(st.dates(dt.date(2026, 9, 1), TODAY), label="day")
    rating = st.one_of(st.sampled_from(["1", "3", "5", "", "０", "６", "４", " 2 ", "2.0", "①"]),
                       hostile)
    cells = data.draw(st.dictionaries(
        st.tuples(st.sampled_from(students), st.sampled_from([*dims, NOTE_COLUMN, "junk"])),
        st.one_of(rating, note("心情不错", MAX_NOTE)), max_size=10), label="cells")
    grid = {cell_key(sid, column) for sid, _ in cells for column in (*dims, NOTE_COLUMN)}
    before = rows(Checkin), rows(AuditLog)
    try:
        save_checkins(school.teacher, day, dims, cells)
    except ScoreValidationError as exc:
        event("refused")
        assert_errors(exc.errors, grid)
        assert (rows(Checkin), rows(AuditLog)) == before
        return
    for sid, value in validate_checkins(dims, cells).items():
        stored = list(Checkin.select().where(Checkin.student == sid, Checkin.taken_on == day))
        if value is None or sid == 999_999:
            assert stored == []
            continue
        ratings, text = value
        [row] = stored
        assert json.loads(row.ratings) == ratings and row.note == text
        assert set(ratings) <= set(dims) and all(1 <= v <= 5 for v in ratings.values())
        assert_safe(row.note, tabs=True)
        assert len(row.note) <= MAX_NOTE


# -- the school's rules -------------------------------------------------------------------

@PURE
@given(text=st.one_of(st.integers(-10, 10**4).map(str), words("t", "term", "学期", "每学期"),
                      st.sampled_from(["0" * 5000, "1" * 5000, "٣", "①", "14 ", "１４"])))
def test_an_interval_is_in_range_or_a_rule_error(text):
    try:
        days, per_term = parse_interval(text)
    except RuleError as exc:
        event("refused")
        assert exc.code in ("interval", "days") and f"err.rule.{exc.code}" in CATALOG
        return
    assert (days, per_term) == (0, True) or (1 <= days <= MAX_DAYS and per_term is False)


@PURE
@given(days=st.one_of(st.integers(), st.booleans(), st.floats(), st.none(), hostile,
                      st.sampled_from([14.0, "14", 1j])))
def test_check_days_takes_whole_days_only(days):
    try:
        assert check_days(days) == days and type(days) is int and 1 <= days <= MAX_DAYS
    except RuleError as exc:
        event("refused")
        assert exc.code == "days"


def test_regression_a_very_long_interval_is_a_rule_error():
    # found by hypothesis: int() refuses more than 4300 digits (a bare ValueError)
    for text in ("0" * 5000, "1" * 5000):
        with pytest.raises(RuleError) as exc:
            parse_interval(text)
        assert exc.value.code == "days"


rule = st.builds(
    Rule, code=mostly(st.sampled_from(["help", "family", "home_visit", "x" * 40, "a_1"]),
                      st.one_of(st.sampled_from(["follow_up", "x" * 41, "Help", "a-b", ""]),
                                hostile)),
    kind=mostly(st.sampled_from(["", *CONTACT_KINDS]), hostile),
    channel=mostly(st.sampled_from(["", *CHANNELS]), hostile),
    every_days=mostly(st.one_of(st.integers(1, MAX_DAYS), st.just(0)),
                      st.one_of(st.integers(-1, 400), st.none(), st.floats(), st.booleans())),
    per_term=mostly(st.booleans(), st.one_of(st.none(), st.integers(0, 2))))


@WRITES
@given(rules=st.lists(rule, max_size=4))
def test_rules_are_valid_or_refused_with_nothing_written(school, rules):
    before = list(Meta.select().tuples()), rows(AuditLog)
    try:
        save_rules(None, rules)
    except RuleError as exc:
        event("refused")
        assert f"err.rule.{exc.code}" in CATALOG
        assert (list(Meta.select().tuples()), rows(AuditLog)) == before
        with pytest.raises(RuleError):
            validate_rules(rules)
        return
    stored = load_rules()
    assert [r.code for r in stored] == [r.code for r in rules]
    for r in stored:
        assert re.fullmatch(r"[a-z0-9_]+", r.code) and len(r.code) <= MAX_CODE
        assert r.kind in ("", *CONTACT_KINDS) and r.channel in ("", *CHANNELS)
        assert r.kind or r.channel
        assert (r.per_term and not r.every_days) or 1 <= r.every_days <= MAX_DAYS
