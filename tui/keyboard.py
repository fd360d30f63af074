"""What the terminal sends, read as the person meant it.

Two things Textual's own reader gets wrong for an app used at speed over SSH,
where the keys typed arrive bunched in one packet:

* **Esc, then a key.**  A terminal sends Alt+x as ``ESC x``, so Textual reads
  Esc followed within 100 ms by a key as one alt key (``ESC k`` is alt+k,
  ``ESC 1`` even "¡"): the Esc is lost and the key does something else.  bangfu
  binds no alt keys (the keymap refuses them), so here ``ESC`` followed by
  anything that cannot start a terminal sequence (``[`` or ``O``) is Esc, then
  that key; and ``ESC [`` or ``ESC O`` that no key sequence follows (Textual
  reports the rest "with alt", or drops the ESC) is Esc, then those keys.
* **A paste that contains ESC.**  Textual's reader looks for the end of a
  bracketed paste only outside escape sequences: an ESC inside the pasted text
  makes every byte after it a key press (a pasted ``^S`` saved the form).  Here
  a paste is cut out of the stream before Textual's reader sees it, whole, up
  to its end marker, and arrives as one Paste event: text, never keys.

:class:`BangfuParser` does both in front of Textual's ``XTermParser``;
:class:`BangfuDriver` is Textual's Linux driver reading through it.
"""

from __future__ import annotations

import os
import selectors
import time
from codecs import getincrementaldecoder

from textual import constants, events
from textual._loop import loop_last
from textual._parser import ParseError
from textual._xterm_parser import XTermParser
from textual.drivers.linux_driver import LinuxDriver

ESC = "\x1b"
PASTE_START = "\x1b[200~"
PASTE_END = "\x1b[201~"
SEQUENCE_STARTS = "[O"  # after ESC: the start of a terminal's key sequence (CSI, SS3)
PASTE_GIVE_UP_SECONDS = 2.0  # a paste whose end marker never comes ends after this quiet


def _tail_prefix(text: str, marker: str) -> int:
    """The length of the longest end of ``text`` that begins ``marker`` (but is
    not all of it): what may be the first part of a marker split across reads."""
    for size in range(min(len(text), len(marker) - 1), 0, -1):
        if marker.startswith(text[-size:]):
            return size
    return 0


def _escape() -> events.Key:
    return events.Key("escape", ESC)


class BangfuParser(XTermParser):
    """Textual's terminal reader, with Esc and bracketed paste read as meant."""

    def __init__(self, debug: bool = False) -> None:
        super().__init__(debug)
        self._held = ""  # the start of what may be a paste marker, split across reads
        self._held_since = 0.0
        self._pasted: list[str] | None = None  # inside a bracketed paste: its text so far
        self._paste_seen = 0.0

    def feed(self, data: str):
        if not data:  # the end of input
            if self._pasted is not None:
                yield self._paste_done(self._held)
            elif self._held:
                yield from super().feed(self._held)
            self._held = ""
            yield from super().feed(data)
            return
        now = time.monotonic()
        text, self._held = self._held + data, ""
        while text:
            if self._pasted is not None:
                text = yield from self._in_paste(text, now)
                continue
            at = text.find(ESC)
            if at < 0:
                yield from super().feed(text)
                return
            if at:
                yield from super().feed(text[:at])
                text = text[at:]
            text = yield from self._after_escape(text, now)

    def _in_paste(self, text: str, now: float):
        """Take pasted text up to the end marker; the rest is returned."""
        self._paste_seen = now
        end = text.find(PASTE_END)
        if end < 0:
            keep = _tail_prefix(text, PASTE_END)
            self._pasted.append(text[:len(text) - keep])
            self._held, self._held_since = text[len(text) - keep:], now
            return ""
        self._pasted.append(text[:end])
        yield self._paste_done()
        return text[end + len(PASTE_END):]

    def _paste_done(self, tail: str = "") -> events.Paste:
        pasted = "".join(self._pasted) + tail
        self._pasted = None
        return events.Paste(pasted.replace("\x00", ""))

    def _after_escape(self, text: str, now: float):
        """``text`` starts with ESC: a paste, a key sequence for Textual's reader,
        or Esc on its own (then whatever follows is a key of its own)."""
        if text.startswith(PASTE_START):
            self._pasted = []
            self._paste_seen = now
            return text[len(PASTE_START):]
        if len(text) < len(PASTE_START) and PASTE_START.startswith(text):
            # ESC, ESC [, ESC [2 …: the rest may be in the next read
            self._held, self._held_since = text, now
            return ""
        if text[1] not in SEQUENCE_STARTS:
            yield _escape()  # Esc, then the next key on its own (never alt+key)
            return text[1:]
        # a key sequence: up to the next ESC it is Textual's to read
        following = text.find(ESC, 1)
        if following < 0:
            yield from super().feed(text)
            return ""
        yield from super().feed(text[:following])
        return text[following:]

    def _sequence_to_key_events(self, sequence: str, alt: bool = False):
        """Where Textual's reader gives up on ``ESC [ …`` / ``ESC O …`` that no key
        sends and reports each character after the ESC "with alt" (dropping the
        ESC outright for ``[`` and the like): Esc, then the characters."""
        if alt:
            yield _escape()
        yield from super()._sequence_to_key_events(sequence)

    def tick(self):
        now = time.monotonic()
        if self._pasted is not None:
            if now - self._paste_seen >= PASTE_GIVE_UP_SECONDS:
                held, self._held = self._held, ""
                yield self._paste_done(held)  # the end marker never came: still text
        elif self._held and now - self._held_since >= constants.ESCAPE_DELAY:
            held, self._held = self._held, ""
            if held == ESC:
                yield _escape()  # Esc pressed on its own
            else:
                yield from super().feed(held)  # ESC [ 2 typed: Textual's reader decides
        yield from super().tick()


class BangfuDriver(LinuxDriver):
    """Textual's Linux driver reading keys through :class:`BangfuParser`.

    ``run_input_thread`` is Textual 8.2's own loop, with the parser made here
    (Textual makes its ``XTermParser`` inside the loop, with no way to pass
    another)."""

    def run_input_thread(self) -> None:
        selector = selectors.SelectSelector()
        selector.register(self.fileno, selectors.EVENT_READ)
        parser = BangfuParser(self._debug)
        decode = getincrementaldecoder("utf-8")().decode

        def process(selected, final: bool = False) -> None:
            for last, (_key, mask) in loop_last(selected):
                if mask & selectors.EVENT_READ:
                    data = decode(os.read(self.fileno, 1024 * 4), final=final and last)
                    if not data:  # stdin piped
                        break
                    for event in parser.feed(data):
                        self.process_message(event)
            for event in parser.tick():
                self.process_message(event)

        try:
            while not self.exit_event.is_set():
                process(selector.select(0.1))
            selector.unregister(self.fileno)
            process(selector.select(0.1), final=True)
        finally:
            selector.close()
            try:
                for _event in parser.feed(""):
                    pass
            except (EOFError, ParseError):
                pass


