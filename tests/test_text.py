"""Cleaning text from people and from the file: db.text."""

from __future__ import annotations

import pytest

from db.text import clean, one_line


@pytest.mark.parametrize("raw, expected", [
    # CSI: colours, cursor movement, erase, private modes
    ("\x1b[31mred\x1b[0m", "red"),
    ("a\x1b[1;31;42mb", "ab"),
    ("\x1b[2J\x1b[Hhome", "home"),
    ("x\x1b[?25ly\x1b[?1049h", "xy"),
    ("\x1b[38;2;255;0;0mtrue colour", "true colour"),
    # OSC: window title (BEL and ST terminated), hyperlinks, clipboard
    ("\x1b]0;pwned\x07after", "after"),
    ("\x1b]2;title\x1b\\after", "after"),
    ("\x1b]8;;http://evil.example\x1b\\link\x1b]8;;\x1b\\", "link"),
    ("\x1b]52;c;aGVsbG8=\x07text", "text"),
    # DCS / APC / PM / SOS
    ("\x1bP1$r0m\x1b\\ok", "ok"),
    ("\x1b_apc payload\x1b\\ok", "ok"),
    ("\x1b^pm\x1b\\ok", "ok"),
    ("\x1bXsos\x1b\\ok", "ok"),
    # two-byte escapes and a lone ESC
    ("\x1bcreset", "reset"),
    ("\x1b7save\x1b8", "save"),
    ("\x1bMup", "up"),
    ("\x1b(B\x1b[mplain", "plain"),  # what `tput sgr0` prints: ESC ( B, then CSI m
    ("\x1b=keypad\x1b>", "keypad"),
    ("end\x1b", "end"),
    # 8-bit CSI and other C1 controls
    ("\x9b31mred", "red"),
    ("a\x85b\x9dc\x9cd", "abcd"),
    # C0 controls and DEL
    ("bell\x07 back\x08space nul\x00 del\x7f", "bell backspace nul del"),
    ("\x0bvertical\x0cform", "verticalform"),
    ("\x1a\x1c\x1f", ""),
])
def test_clean_removes_escapes_and_controls(raw, expected):
    out = clean(raw)
    assert out == expected
    assert not any(ord(ch) < 32 and ch not in "\n\t" for ch in out)
    assert not any(0x7f <= ord(ch) <= 0x9f for ch in out)


@pytest.mark.parametrize("text", [
    "张伟：作业经常不交。\n第二行\t制表",
    "欧阳娜娜 · 七年级(1)班",
    "[bold]王[/] and [red]markup[/red] stay literal",
    "emoji 👍 and full-width ＡＢＣ１２３",
    "line one\nline two\n\nline four",
    "tab\tseparated\tvalues",
])
def test_clean_keeps_text(text):
    assert clean(text) == text


def test_clean_normalises_line_ends():
    assert clean("a\r\nb\rc\n") == "a\nb\nc\n"


def test_clean_single_line():
    assert clean("a\nb\r\nc", multiline=False) == "a b c"


@pytest.mark.parametrize("value", [None, ""])
def test_clean_empty(value):
    assert clean(value) == ""
    assert one_line(value) == ""


def test_clean_mixed():
    raw = "Talked about homework [/] and sleep \x1b[31mred\x1b[0m\x1b]0;x\x07 张父\n同意"
    assert clean(raw) == "Talked about homework [/] and sleep red 张父\n同意"


@pytest.mark.parametrize("raw, expected", [
    ("  a  b  ", "a b"),
    ("first\nsecond\r\nthird", "first second third"),
    ("tab\there", "tab here"),
    ("\x1b[31m张\x1b[0m 伟\n", "张 伟"),
    ("\x1b]0;title\x07name\x07", "name"),
    ("一\u3000二", "一 二"),  # ideographic space is whitespace too
    ("\n\n", ""),
])
def test_one_line(raw, expected):
    assert one_line(raw) == expected


def test_clean_is_idempotent():
    raw = "\x1b[1m粗\x1b[0m\x1b]0;t\x07\x9b2J\r\nok\x00"
    once = clean(raw)
    assert clean(once) == once
    assert one_line(one_line(raw)) == one_line(raw)


def test_no_esc_survives_nested_or_split_sequences():
    # removing one sequence must not join the halves of another into a new one
    for raw in ("\x1b\x1b[31m[31m", "\x1b[\x1b[0m31m", "\x1b]\x1b]0;x\x07", "\x1b\x9b"):
        assert "\x1b" not in clean(raw) and "\x9b" not in clean(raw)
