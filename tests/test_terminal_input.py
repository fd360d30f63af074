"""Keys and pastes as a real terminal sends them: the app on a pty (tests/terminal.py).

Over SSH the keys typed arrive bunched in one packet: Esc and the keys after
it in one write, a paste with escape sequences inside it.  These write the
bytes a terminal would, in one write, and read the screen a person would see.
"""

from __future__ import annotations

import pytest

from db.models import Contact
from tests.helpers import cli_env
from tests.terminal import Terminal

pytestmark = pytest.mark.file_only  # the terminal is the subject, not the database

PASTE = "\x1b[200~{}\x1b[201~"


@pytest.fixture
def terminal(school, tmp_path):
    """The app on the school, signed in as 王芳 (BANGFU_USER), on the roster."""
    term = Terminal(["--db", school.path], cli_env(tmp_path))
    try:
        term.wait_for("PIN for 王芳")
        term.write("1234\r")
        term.wait_for("Showing all students")
        yield term
    finally:
        term.close()


def search_field(text: str) -> str | None:
    """The roster's search line (the line inside the search box); None while the
    box is not (yet, or not whole) on the screen: a redraw comes line by line."""
    lines = text.splitlines()
    top = next((i for i, line in enumerate(lines) if line.startswith("▊▔")), None)
    if top is None or top + 1 >= len(lines):
        return None
    return lines[top + 1].strip("▊▎ ")


def open_case(term: Terminal) -> None:
    term.write("zhangwei\r")
    term.wait_for("1 Timeline", "the case of 张伟")


def test_esc_then_keys_in_one_packet_go_back_then_type(terminal):
    """Esc and `k s` in one packet: back to the roster (its search kept), then
    ks typed there (it was alt+k: the Amend picker opened instead)."""
    open_case(terminal)
    terminal.write("\x1bks")
    # (waited for whole: the screen is drawn a line at a time, the case's lines go last)
    terminal.wait_for(lambda s: "Showing" in s and search_field(s) == "zhangweiks"
                      and "1 Timeline" not in s and "Amend" not in s,
                      "the roster alone, with ks typed after its search")


def test_esc_then_a_digit_is_not_a_symbol(terminal):
    """`ESC 1` is "¡" to Textual (a Mac's option key): here it is Esc, then 1."""
    open_case(terminal)
    terminal.write("\x1b1")
    terminal.wait_for(lambda s: "Showing" in s and search_field(s) == "zhangwei1",
                      "the roster with 1 typed after its search")


def test_esc_then_a_bracket_is_not_an_alt_key(terminal):
    """`ESC [ x` looks like the start of a key sequence; when none follows,
    Textual reports alt+[ then x: that is Esc, then [ and x."""
    open_case(terminal)
    terminal.write("\x1b[x")
    terminal.wait_for(lambda s: "Showing" in s and search_field(s) == "zhangwei[x",
                      "the roster with [x typed after its search")


def test_esc_then_ctrl_key_keeps_both(terminal):
    """`ESC ^N`: Esc (the case closes), then ctrl+n on the roster (log an entry
    for the highlighted student); Textual dropped the Esc and took ctrl+n alone."""
    open_case(terminal)
    terminal.write("\x1b\x0e")
    text = terminal.wait_for("Log a contact", "the contact form")
    assert "张伟" in text


def test_a_paste_with_escapes_and_control_keys_is_only_text(terminal):
    """A pasted ESC sequence and ^N stay text: nothing is pressed (^N opened the
    contact form, the rest landed as keys), the field gets the text cleaned."""
    terminal.write(PASTE.format("zhang\x1b[0m\x0ewei"))
    text = terminal.wait_for(lambda s: search_field(s) == "zhangwei",
                             "zhangwei in the search")
    assert "Log a contact" not in text
    terminal.write("\x1b[B\r")  # down into the list's first match, open it
    terminal.wait_for("1 Timeline", "the case of 张伟")


def test_a_multiline_paste_into_a_one_line_field_keeps_every_line(terminal):
    terminal.write(PASTE.format("zhang\r\nwei\nxyz"))
    terminal.wait_for(lambda s: search_field(s) == "zhang wei xyz",
                      "every pasted line in the search")


def test_a_paste_split_across_packets_stays_one_paste(terminal):
    """The end marker cut in two by the network: still one paste, then keys."""
    terminal.write("\x1b[200~zh\x1b[0m")
    terminal.write("ang\x1b[20")
    terminal.write("1~wei")
    terminal.wait_for(lambda s: search_field(s) == "zhangwei", "zhangwei in the search")


def open_form_at_its_text(term: Terminal) -> int:
    """The contact form for 张伟, focus in "Discussed"; the entries stored before."""
    open_case(term)
    term.write("n")
    term.wait_for("Log a contact")
    term.write("\t" * 6)  # date → time → minutes → with → channel → who → discussed
    return Contact.select().count()


def test_a_pasted_entry_is_stored_as_pasted(school, terminal):
    """On the contact form a paste (with a colour code and ^S inside) is the
    entry's text, in order; the form saves only when ctrl+s is pressed."""
    before = open_form_at_its_text(terminal)
    terminal.write(PASTE.format("a \x1b[0m b\x13 tail"))
    terminal.wait_for("a  b tail", "the pasted text in its field")
    assert Contact.select().count() == before  # the pasted ^S saved nothing
    terminal.write("\x13")
    terminal.wait_for("1 Timeline", "back on the case after saving")
    latest = Contact.select().order_by(Contact.id.desc()).get()
    assert Contact.select().count() == before + 1 and latest.discussed == "a  b tail"


def test_esc_then_y_in_one_packet_discards_the_form(school, terminal):
    """Esc asks "discard this unsaved entry?", y says yes: typed together, both
    count (it was alt+y: nothing happened)."""
    before = open_form_at_its_text(terminal)
    terminal.write("unsaved words")
    terminal.wait_for("unsaved words")
    terminal.write("\x1by")
    terminal.wait_for(lambda s: "1 Timeline" in s and "unsaved words" not in s,
                      "back on the case, the form discarded")
    assert Contact.select().count() == before


# -- the reader itself, byte by byte (no terminal needed) ----------------------

class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def reader(monkeypatch):
    from tui import keyboard

    clock = Clock()
    monkeypatch.setattr(keyboard.time, "monotonic", clock)
    parser = keyboard.BangfuParser()

    def read(*chunks, wait=0.0):
        """What each chunk, read in turn, gives; then ``wait`` seconds of quiet."""
        got = []
        for chunk in chunks:
            got += list(parser.feed(chunk))
        clock.now += wait
        got += list(parser.tick())
        return [(e.key, e.character) if hasattr(e, "key") else ("paste", e.text) for e in got]

    return read


def test_the_reader_keeps_esc_apart_from_the_next_key(reader):
    assert reader("\x1bks") == [("escape", "\x1b"), ("k", "k"), ("s", "s")]
    assert reader("\x1bb\x1bf") == [("escape", "\x1b"), ("b", "b"), ("escape", "\x1b"), ("f", "f")]
    assert reader("\x1b\x1b") == [("escape", "\x1b")]  # the second may begin a sequence
    assert reader(wait=1.0) == [("escape", "\x1b")]


def test_the_reader_still_reads_key_sequences_split_across_reads(reader):
    assert reader("\x1b[A") == [("up", None)]
    assert reader("\x1b", "[B") == [("down", None)]
    assert reader("\x1b[2", "4~") == [("f12", None)]
    assert reader("\x1bOP") == [("f1", None)]


def test_the_reader_gives_a_lone_esc_after_the_escape_delay(reader):
    assert reader("\x1b") == []  # maybe the start of a sequence: not yet
    assert reader(wait=1.0) == [("escape", "\x1b")]


def test_the_reader_takes_a_paste_whole(reader):
    assert reader("\x1b[200~a \x1b[0m b\x13", " tail\x1b[2", "01~t") == [
        ("paste", "a \x1b[0m b\x13 tail"), ("t", "t")]


def test_a_paste_without_its_end_is_still_text(reader):
    assert reader("\x1b[200~abc\x1b[20") == []
    assert reader(wait=5.0) == [("paste", "abc\x1b[20")]
