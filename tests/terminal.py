"""The real app in a real terminal: ``bangfu`` run on a pty, its screen read by pyte.

Bytes are written to the pty as a terminal writes them (a whole SSH packet at
once, say), and the screen is the one a person would see: what Textual wrote,
interpreted by a terminal emulator.  Waiting is for what the screen shows
(``wait_for``), with a deadline that only ever fails a test.
"""

from __future__ import annotations

import fcntl
import os
import signal
import struct
import subprocess
import sys
import termios
import threading
import time

import pyte
from wcwidth import wcwidth

from tests.helpers import ROOT

DEADLINE = 90.0  # seconds; a wait that takes this long is a failure, not a timing


def screen_text(screen: pyte.Screen) -> str:
    """The screen's text, as ``pyte.Screen.display`` gives it, but robust to a wide
    character half overwritten: pyte leaves its second cell an empty stub (and its
    ``display`` then fails with IndexError); a terminal shows a blank there."""
    lines = []
    for y in range(screen.lines):
        row, cells, x = screen.buffer[y], [], 0
        while x < screen.columns:
            data = row[x].data or " "
            cells.append(data)
            x += 2 if wcwidth(data[0]) == 2 else 1
        lines.append("".join(cells))
    return "\n".join(lines)


class Terminal:
    """``bangfu ARGS`` on a pty of ``size`` columns × rows, as terminal ``term``."""

    def __init__(self, args, env, size=(80, 24), term="xterm-256color"):
        self.columns, self.rows = size
        self.screen = pyte.Screen(self.columns, self.rows)
        self.stream = pyte.ByteStream(self.screen)
        self.raw = bytearray()  # everything the app wrote
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", self.rows, self.columns, 0, 0))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tui.cli", *[str(a) for a in args]],
            stdin=slave, stdout=slave, stderr=slave, cwd=ROOT,
            env={**env, "TERM": term},
            start_new_session=True,  # a session of its own, the pty its controlling terminal:
            preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0))
        os.close(slave)
        self.master = master
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                data = os.read(self.master, 65536)
            except OSError:  # the app exited: the pty is closed
                data = b""
            with self._changed:
                if data:
                    self.raw.extend(data)
                    self.stream.feed(data)
                self._changed.notify_all()
            if not data:
                return

    def write(self, data: bytes | str) -> None:
        """Bytes as the terminal sends them, in one write (one packet)."""
        os.write(self.master, data.encode() if isinstance(data, str) else data)

    def _display(self) -> str:
        return screen_text(self.screen)

    def text(self) -> str:
        with self._lock:
            return self._display()

    def wait_for(self, check, what: str = "") -> str:
        """Wait until ``check(screen text)`` is true (a string: it is on screen)."""
        test = (lambda text: check in text) if isinstance(check, str) else check
        end = time.monotonic() + DEADLINE
        with self._changed:
            while True:
                text = self._display()
                if test(text):
                    return text
                if time.monotonic() > end or not self._reader.is_alive():
                    raise AssertionError(f"never shown: {what or check!r}\n{text}")
                self._changed.wait(1.0)

    def close(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self._reader.join(30)
        os.close(self.master)
