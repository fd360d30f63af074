"""This computer's name: who wrote an audit row or a journal line, who holds
the lock, and the name of this host's journal and heartbeat files.
"""

from __future__ import annotations

import socket


def hostname() -> str:
    return socket.gethostname()


def safe_host(host: str | None = None) -> str:
    """A computer's name (``host``, else this one's) fit for a file name."""
    return "".join(c if c.isalnum() or c in "-_." else "_"
                   for c in (hostname() if host is None else host)) or "host"
