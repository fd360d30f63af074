"""Writing the journal: one transaction's lines, held until it commits, then
appended to this host's file (``<db>.journal/<host>.jsonl``) in one write.

Past ``SPILL_LINES`` a transaction's lines wait in a temporary file
(``PendingLines``), so a bulk write keeps memory flat; the file's descriptor
stays open between saves (``append``, ``close_all``).  What goes into a line,
and reading and replaying the journals, is ``db.store.journal``.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from pathlib import Path
from typing import IO



SPILL_LINES = 2000  # a transaction's lines held in memory; more wait in a temporary file


class PendingLines:
    """One transaction's lines, in order.  Past ``SPILL_LINES`` they wait as
    JSON text in an unnamed temporary file (gone when closed), so a bulk write
    (a roster import of 200,000 students: 400,000 lines) keeps memory flat;
    the text is what ``append`` writes, so the journal is the same."""

    def __init__(self) -> None:
        self.lines: list[dict] = []
        self.spill: IO[bytes] | None = None
        self.count = 0
        self.sealed: dict[tuple[str, str], tuple] = {}  # see ``sealed``

    def append(self, line: dict) -> None:
        self.lines.append(line)
        self.count += 1
        if len(self.lines) >= SPILL_LINES:
            if self.spill is None:
                self.spill = tempfile.TemporaryFile()
            self.spill.write(_encode(self.lines))
            self.lines = []

    def __len__(self) -> int:
        return self.count

    def __iter__(self):
        if self.spill is not None:
            self.spill.seek(0)
            for raw in self.spill:
                yield json.loads(raw)
        yield from self.lines

    def rewrite(self, change) -> None:
        """``change(line)`` (in place) for every line, the spilled ones too."""
        if self.spill is None:
            for line in self.lines:
                change(line)
            return
        old, lines = self.spill, self.lines
        self.spill, self.lines, self.count = None, [], 0
        old.seek(0)
        for raw in old:
            line = json.loads(raw)
            change(line)
            self.append(line)
        old.close()
        for line in lines:
            change(line)
            self.append(line)


def _encode(lines) -> bytes:
    return "".join(json.dumps(line, ensure_ascii=False, sort_keys=True, default=str) + "\n"
                   for line in lines).encode()



_open_files: dict[Path, int] = {}  # journal file -> descriptor, kept open between writes
_lock = threading.Lock()


def _descriptor(target: Path) -> int:
    with _lock:
        fd = _open_files.get(target)
        if fd is None:
            target.parent.mkdir(mode=0o770, exist_ok=True)
            fd = os.open(target, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o660)
            # a crash mid-write may have left a torn last line: end it first, so
            # the next line is not glued to the fragment
            size = os.fstat(fd).st_size
            if size and os.pread(fd, 1, size - 1) != b"\n":
                os.write(fd, b"\n")
            _open_files[target] = fd
        return fd


def _forget(target: Path) -> None:
    with _lock:
        fd = _open_files.pop(target, None)
    if fd is not None:
        try:
            os.close(fd)
        except OSError:
            pass


def append(db_path: str | os.PathLike, lines: list[dict]) -> bool:
    """Append ``lines`` to this host's journal in one write; False if it failed.

    The descriptor stays open between saves (on a share every open and close is
    several round trips); after an error it is opened afresh once.  The data is
    already committed to the file: a journal that cannot be written (share gone
    a moment later) must not turn the save into an error.
    """
    from db.store.host import hostname
    from db.store.journal import journal_file  # (which builds on this module)

    def pieces():  # one for a save; a bulk write's lines SPILL_LINES at a time
        batch = []
        for line in lines:
            batch.append(line)
            if len(batch) >= SPILL_LINES:
                yield _encode(batch)
                batch = []
        if batch:
            yield _encode(batch)

    target = journal_file(db_path, hostname())
    for data in pieces():
        for _ in range(2):
            try:
                os.write(_descriptor(target), data)
                break
            except OSError:
                _forget(target)  # a stale descriptor (share remounted): try a new one
        else:
            return False
    return True


def close_all() -> None:
    for target in list(_open_files):
        _forget(target)
