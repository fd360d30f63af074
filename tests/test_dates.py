"""The dates and times people type: db.dates."""

from __future__ import annotations

import datetime as dt

import pytest

from db.dates import DateError, parse_date, parse_time

TODAY = dt.date(2026, 11, 20)


@pytest.mark.parametrize("text, expected", [
    ("today", TODAY),
    ("TODAY", TODAY),
    ("  today ", TODAY),
    ("t", TODAY),
    ("今天", TODAY),
    ("yesterday", dt.date(2026, 11, 19)),
    ("昨天", dt.date(2026, 11, 19)),
    ("前天", dt.date(2026, 11, 18)),
    ("-1", dt.date(2026, 11, 19)),
    ("-30", dt.date(2026, 10, 21)),
    ("+7", dt.date(2026, 11, 27)),
    ("-0", TODAY),
    ("11-20", TODAY),
    ("11/19", dt.date(2026, 11, 19)),
    ("11.19", dt.date(2026, 11, 19)),
    ("9-1", dt.date(2026, 9, 1)),
    ("11月19日", dt.date(2026, 11, 19)),
    ("2026-11-20", TODAY),
    ("2026/11/20", TODAY),
    ("2026.1.5", dt.date(2026, 1, 5)),
    ("2026年11月20日", TODAY),
    ("20261120", TODAY),
    ("2025-12-25", dt.date(2025, 12, 25)),
])
def test_parse_date(text, expected):
    assert parse_date(text, TODAY) == expected


def test_month_day_prefers_the_past_by_default():
    assert parse_date("12-25", TODAY) == dt.date(2025, 12, 25)
    assert parse_date("12-25", TODAY, prefer="past") == dt.date(2025, 12, 25)
    assert parse_date("11-21", TODAY, prefer="past") == dt.date(2025, 11, 21)


def test_month_day_can_prefer_the_future():
    assert parse_date("12-25", TODAY, prefer="future") == dt.date(2026, 12, 25)
    assert parse_date("11-19", TODAY, prefer="future") == dt.date(2027, 11, 19)
    assert parse_date("11-20", TODAY, prefer="future") == TODAY
    assert parse_date("1-5", TODAY, prefer="future") == dt.date(2027, 1, 5)


def test_full_dates_ignore_the_preference():
    assert parse_date("2026-12-25", TODAY, prefer="past") == dt.date(2026, 12, 25)
    assert parse_date("2020-01-01", TODAY, prefer="future") == dt.date(2020, 1, 1)


def test_offsets_cross_month_and_year():
    assert parse_date("+45", TODAY) == dt.date(2027, 1, 4)
    assert parse_date("-325", TODAY) == dt.date(2025, 12, 30)


@pytest.mark.parametrize("text, code", [
    ("13-45", "invalid"),
    ("2026-02-30", "invalid"),
    ("02-30", "invalid"),
    ("20261340", "invalid"),
    ("2026-13-01", "invalid"),
    ("abc", "format"),
    ("11-20-2026", "format"),
    ("1120", "format"),
    ("+", "format"),
    ("-1.5", "format"),
    ("", "empty"),
    ("   ", "empty"),
    (None, "empty"),
])
def test_bad_dates(text, code):
    with pytest.raises(DateError) as info:
        parse_date(text, TODAY)
    assert info.value.code == code
    assert isinstance(info.value, ValueError)


def test_huge_offset_is_an_error_not_a_crash():
    with pytest.raises(DateError):
        parse_date("+9999", dt.date(9999, 1, 1))


@pytest.mark.parametrize("text, expected", [
    ("16:30", dt.time(16, 30)),
    ("9:05", dt.time(9, 5)),
    ("09:05", dt.time(9, 5)),
    ("1630", dt.time(16, 30)),
    ("930", dt.time(9, 30)),
    ("16：30", dt.time(16, 30)),
    (" 7:00 ", dt.time(7, 0)),
    ("0:00", dt.time(0, 0)),
    ("23:59", dt.time(23, 59)),
])
def test_parse_time(text, expected):
    assert parse_time(text) == expected


@pytest.mark.parametrize("text", ["24:00", "12:60", "abc", "", None, "4", "16:3", "16-30",
                                  "12:00:00", "-1:00"])
def test_bad_times(text):
    with pytest.raises(DateError) as info:
        parse_time(text)
    assert info.value.code == "time"
