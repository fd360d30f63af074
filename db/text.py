"""Cleaning text that comes from people or from the file.

Control characters and terminal escape sequences are removed on input and
again before output, so a note can never move the cursor, change colours or
retitle the terminal; the bidi embeddings, overrides and isolates (U+202A to
U+202E, U+2066 to U+2069) go too, so a name cannot reverse the rest of a table
row (the marks U+200E and U+200F stay: they reorder nothing around them).
Markup is never interpreted (callers use plain ``rich.text.Text``); this
module only deals with control characters.
"""

from __future__ import annotations

import re

# CSI / OSC / other ESC sequences, then any C0/C1 control except \n and \t
# and the bidi embeddings, overrides and isolates.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"      # CSI ... final byte
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC ... BEL or ST (unterminated: see below)
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS / SOS / PM / APC
    r"|\x1b[ -/]*[0-~]"              # other escapes: ESC, intermediates, final byte
    r"|\x1b"                          # a lone ESC
    r"|\x9b[0-?]*[ -/]*[@-~]"       # 8-bit CSI
)
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def clean(text: str | None, *, multiline: bool = True) -> str:
    """Return ``text`` without escape sequences and control characters."""
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ESCAPES.sub("", text)
    text = _CONTROLS.sub("", text)
    if not multiline:
        text = " ".join(text.split("\n"))
    return text


def one_line(text: str | None) -> str:
    """Clean text for a single table cell or line: newlines become spaces."""
    return " ".join(clean(text).split())
