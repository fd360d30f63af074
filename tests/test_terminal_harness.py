"""The pty harness reads the screen as a terminal shows it, whatever Textual redraws."""

import pyte

from tests.terminal import screen_text


def test_a_wide_character_half_overwritten_reads_as_a_blank():
    """Textual redraws a line piece by piece: a narrow character written over the
    first half of 中 leaves pyte an empty stub cell, where pyte's own ``display``
    raised IndexError (a flaky failure of test_a_pasted_entry_is_stored_as_pasted)."""
    screen = pyte.Screen(10, 2)
    stream = pyte.ByteStream(screen)
    stream.feed("中文x".encode())
    stream.feed(b"\x1b[1;1Ha")
    assert screen_text(screen).split("\n") == ["a 文x" + " " * 5, " " * 10]


def test_wide_characters_take_two_cells():
    screen = pyte.Screen(6, 1)
    pyte.ByteStream(screen).feed("张伟ab".encode())
    assert screen_text(screen) == "张伟ab"
