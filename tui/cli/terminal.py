"""The command line's edges with the terminal: no Textual here.

- ``read_secret``: a PIN or a recovery code, typed at the controlling terminal
  without echo, or read from stdin's next line (scripts), saying on stderr
  where it is read from before waiting when there is no terminal;
- ``wrap_cells``: text wrapped by terminal cells (a Chinese character is two),
  never leaving a list marker ("2.", "2、", "（2）") alone at a line's end;
- ``HelpFormatter``: ``--help`` wrapped that way, so it fits the terminal in
  Chinese too;
- ``Choice``: a value out of a vocabulary (``--kind family``, ``--kind 家长``,
  ``--kind f``), refused with every accepted value listed.
"""

from __future__ import annotations

import argparse
import os
import re
import sys

from tui.i18n import t

# -- secrets: the PIN, a new PIN, the recovery code ----------------------------------------------

_source = ""  # "tty" or "stdin" once a secret came from there: the next ones come from there too


def read_secret(prompt: str, what: str) -> str | None:
    """One line typed as a secret (its line end removed), or None when there is
    none to read (stdin at its end and no terminal).

    - stdin a terminal: the prompt there, typed without echo;
    - else stdin's next line when one is there already (``< pinfile``, a pipe a
      script filled): nothing is shown;
    - else the controlling terminal when this process has one in the
      foreground (stdin a pipe that stays empty): the prompt there, typed
      without echo, or stdin's line should it come first;
    - else (``ssh host bangfu …`` without ``-t``: no terminal at all) stderr
      says first that ``what`` is read from stdin's next line, not hidden.

    Once a secret came from the terminal or from stdin, the next ones are read
    from the same place (``bangfu staff pin``: the PIN, then the new one twice).
    """
    global _source
    stdin = sys.stdin
    fd = _fileno(stdin)
    if stdin is not None and fd is None:  # not a real file (a test's StringIO): read it
        line = stdin.readline()
        return line.rstrip("\r\n") if line else None
    if fd is not None and os.isatty(fd):  # typed at the terminal, as getpass would
        tty = _controlling_terminal(foreground=False)
        try:
            return _from_terminal(prompt, None, own=fd if tty is None else tty)
        finally:
            if tty is not None:
                os.close(tty)
    if fd is not None and _source != "tty" and _ready(fd):
        line = _stdin_line(fd)
        if line is not None:
            _source = "stdin"
            return line
        fd = None  # at its end: only a terminal is left
    tty = _controlling_terminal() if _source != "stdin" else None
    if tty is not None:
        try:
            return _from_terminal(prompt, fd, own=tty)
        finally:
            os.close(tty)
    if fd is None:
        return None
    sys.stderr.write(t("cli.secret_from_stdin", what=what) + "\n")
    sys.stderr.flush()
    line = _stdin_line(fd)
    if line is not None:
        _source = "stdin"
    return line


def typed_at_terminal() -> bool:
    """The last secret was typed at a terminal (a new PIN is then asked twice)."""
    return _source == "tty"


def _fileno(stream) -> int | None:
    if stream is None:
        return None
    try:
        return stream.fileno()
    except (AttributeError, ValueError, OSError):  # closed, or not a file (io.StringIO)
        return None


def _ready(fd: int) -> bool:
    """A line (or the end) can be read from ``fd`` now, without waiting."""
    import select

    try:
        return bool(select.select([fd], [], [], 0)[0])
    except (OSError, ValueError):
        return True  # let the read itself say what is wrong


def _stdin_line(fd: int) -> str | None:
    """The next line of stdin, read a byte at a time so that nothing after it is
    taken from the pipe (a later line is the next secret, or another reader's);
    None at stdin's end."""
    data = bytearray()
    while True:
        try:
            byte = os.read(fd, 1)
        except InterruptedError:
            continue
        except OSError:
            byte = b""
        if not byte:
            break
        if byte == b"\n":
            return _decode(data)
        data += byte
    return _decode(data) if data else None


def _decode(data: bytes) -> str:
    encoding = getattr(sys.stdin, "encoding", None) or "utf-8"
    try:
        text = bytes(data).decode(encoding, errors="replace")
    except LookupError:
        text = bytes(data).decode("utf-8", errors="replace")
    return text.rstrip("\r")


def _controlling_terminal(foreground: bool = True) -> int | None:
    """This process's controlling terminal, open; ``foreground``: only when this
    process is in the terminal's foreground (a background job reading it would
    be stopped).  None when there is none (ssh without -t, cron, a service)."""
    try:
        fd = os.open("/dev/tty", os.O_RDWR | os.O_NOCTTY)
    except OSError:
        return None
    if not foreground:
        return fd
    try:
        if os.tcgetpgrp(fd) == os.getpgrp():
            return fd
    except OSError:
        pass
    os.close(fd)
    return None


def _from_terminal(prompt: str, also: int | None, *, own: int) -> str | None:
    """``prompt`` on the terminal ``own`` and a line typed there without echo,
    or (``also``) stdin's next line should it come first."""
    global _source
    import select

    try:
        import termios
    except ImportError:  # no terminal control here: as getpass would
        import getpass

        try:
            return getpass.getpass(prompt)
        except EOFError:
            return None
    try:
        old = termios.tcgetattr(own)
    except termios.error:
        old = None
    if old is not None:
        quiet = list(old)
        quiet[3] &= ~termios.ECHO
        termios.tcsetattr(own, termios.TCSAFLUSH, quiet)
    try:
        _write(own, prompt)
        while True:
            try:
                ready = select.select([own] + ([also] if also is not None else []), [], [])[0]
            except InterruptedError:
                continue
            if own in ready:
                _source = "tty"
                return _terminal_line(own)
            line = _stdin_line(also)
            if line is not None:
                _source = "stdin"
                return line
            also = None  # stdin ended: the terminal only
    finally:
        if old is not None:
            termios.tcsetattr(own, termios.TCSADRAIN, old)
        _write(own, "\n")


def _terminal_line(fd: int) -> str | None:
    """A line typed at the terminal (it comes whole: the terminal is in line
    mode); None at its end (ctrl+d on an empty line)."""
    data = bytearray()
    while not data.endswith(b"\n"):
        try:
            chunk = os.read(fd, 1024)
        except InterruptedError:
            continue
        except OSError:
            chunk = b""
        if not chunk:
            return _decode(data) if data else None
        data += chunk
    return _decode(data[:-1])


def _write(fd: int, text: str) -> None:
    try:
        os.write(fd, text.encode("utf-8", errors="replace"))
    except OSError:
        pass


# -- wrapping by terminal cells ------------------------------------------------------------------

_OPENING = "([{（［｛「『“‘《〈【〔"
_CLOSING = ")]}，。、；：！？）］｝」』”’》〉】〕…·,.;:!?%"
# a list item's marker: "2.", "2、", "2)", "(2)", "（2）", "②", at the start, or after a
# space, a sentence's end or a Chinese character ("不交2.上课")
_MARKER = re.compile(r"(?:^|(?<=[\s;:,\u2e80-\u9fff\uff00-\uffef]))"
                     r"(?:\d{1,3}[.．、)）]|[（(]\d{1,3}[)）]|[\u2460-\u2473])")


def _breaks(text: str, cells, cjk: bool) -> set[int]:
    """Where ``text`` may be broken: after spaces, and (``cjk``) between two
    characters when either is wide (Chinese), though never before closing
    punctuation, after opening punctuation, or between a list marker and its
    item."""
    wide = [cells(ch) > 1 for ch in text] if cjk else []
    out = set()
    for i in range(1, len(text)):
        before, here = text[i - 1], text[i]
        if here.isspace():
            continue
        if before.isspace():
            out.add(i)
        elif cjk and (wide[i - 1] or wide[i]) and here not in _CLOSING and before not in _OPENING:
            out.add(i)
    for m in _MARKER.finditer(text):
        end = m.end()
        while end < len(text) and text[end] == " ":
            end += 1
        out.difference_update(range(m.start() + 1, end + 1))
    return out


def wrap_cells(text: str, width: int, *, cjk: bool = True) -> list[str]:
    """``text`` (one paragraph) in lines of at most ``width`` terminal cells,
    broken at spaces and (``cjk``) between Chinese characters; without
    ``cjk`` a run without spaces stays whole when it fits a line (a name, a
    number, a phrase as typed).  A word longer than a line is cut where it must be."""
    from rich.cells import cell_len as cells

    width = max(width, 2)
    breaks = _breaks(text, cells, cjk)
    lines: list[str] = []
    start, n = 0, len(text)
    while start < n and text[start] == " ":
        start += 1
    while start < n:
        used, last, i = 0, None, start
        while i < n:
            if i > start and i in breaks:
                last = i
            size = cells(text[i])
            if used + size > width and not text[i].isspace():
                break
            used += size
            i += 1
        if i >= n:
            lines.append(text[start:].rstrip())
            break
        cut = last
        if cut is None:  # a word longer than a line: cut it, never before a comma
            cut = i - 1 if i - 1 > start and text[i] in _CLOSING else max(i, start + 1)
        lines.append(text[start:cut].rstrip())
        start = cut
        while start < n and text[start] == " ":
            start += 1
    return lines or [""]


class HelpFormatter(argparse.HelpFormatter):
    """``--help`` wrapped by terminal cells (argparse counts characters, and a
    Chinese character takes two cells): it fits the terminal in both languages."""

    def _split_lines(self, text, width):
        text = self._whitespace_matcher.sub(" ", text).strip()
        return wrap_cells(text, width)

    def _fill_text(self, text, width, indent):
        text = self._whitespace_matcher.sub(" ", text).strip()
        return "\n".join(indent + line for line in wrap_cells(text, width - len(indent)))


# -- values out of a vocabulary ------------------------------------------------------------------

def _key(text: str) -> str:
    return re.sub(r"[\s\-]+", "_", text.strip().lower())


class Choice:
    """The ``type`` of an option whose value is one of ``codes``: the code, a
    key letter (``keys``), a unique start of a code, or a code's label in
    either language (``group`` in ``tui.i18n.VOCAB``: "家长", "face to face").
    Anything else is refused with every accepted value listed, in the current
    language.  ``blank``: an empty value is kept (the option's "none")."""

    def __init__(self, codes, group: str = "", keys: dict | None = None, *, blank: bool = False):
        self.codes, self.group, self.keys, self.blank = tuple(codes), group, keys or {}, blank
        self.__name__ = "choice"  # (argparse names a type by it)

    def resolve(self, value: str) -> str | None:
        from tui.i18n import VOCAB

        key = _key(value)
        if key in self.codes:
            return key
        if key in self.keys:
            return self.keys[key]
        labels = VOCAB.get(self.group, {})
        named = {code for code in self.codes
                 for text in labels.get(code, ()) if _key(text) == key}
        if len(named) == 1:
            return named.pop()
        starts = [c for c in self.codes if c.startswith(key)] if key and not named else []
        return starts[0] if len(starts) == 1 else None

    def __call__(self, value: str) -> str:
        if self.blank and not value.strip():
            return ""
        code = self.resolve(value)
        if code is None:
            raise argparse.ArgumentTypeError(refusal(value, self.codes, self.group, self.keys))
        return code


def accepted(codes, group: str = "", keys: dict | None = None) -> str:
    """"family (家长), student (学生) …; or f/s/c": each code with its label in
    the current language when that says more than the code."""
    from tui.i18n import label, paren

    parts = []
    for code in codes:
        shown = label(group, code) if group else code
        parts.append(code if _key(shown) == _key(code) else code + paren(shown))
    text = t("common.list_sep").join(parts)
    if keys:
        text += t("cli.choice.keys", keys="/".join(keys))
    return text


def refusal(value, codes, group: str = "", keys: dict | None = None) -> str:
    """The message for ``value`` that is none of ``codes``."""
    from db.text import one_line

    return t("cli.choice.refused", value=one_line(str(value)),
             accepted=accepted(codes, group, keys))
