"""A worker thread's own database connection: ``with connected(): ...``.

Peewee keeps one connection per thread.  The app's thread workers (the
screens' loads and saves) each open their own for what they read or write,
and close it at the end of the block, so no thread leaves the shared file
open behind it.  Every worker says it the same way::

    from db.store.connected import connected

    with connected():
        rows = load_rows()

Importing this module imports nothing else (peewee only when a block
opens), so the first screen may import it; nothing here imports Textual.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from contextlib import AbstractContextManager


def connected() -> AbstractContextManager[None]:
    """This thread's connection to ``db.models.database``, opened if it is
    not open yet and closed when the block ends (peewee's
    ``connection_context``: an error in the block still closes it)."""
    from db.models import database

    return database.connection_context()
