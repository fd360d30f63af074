"""The ``bangfu`` command line (``tui.cli.entry``: the parser and ``main``).

``common`` is what every command shares (its one-line error, the database,
who runs it); each command group has its module (``lookup``, ``log``,
``school``, ``report``, ``staff``, ``share``, ``check``, ``audit``,
``export``, ``roster``, ``server``, ``keys``), and ``terminal`` is the edge
with the terminal (secrets, wrapping, values out of a vocabulary).  What the
app's screens share with the commands (words, file writers) lives below
both, in ``tui`` (``tui.audit_log``, ``tui.export_files``, ``tui.sheets`` …):
nothing outside this package imports from it.
"""

from tui.cli.entry import main

__all__ = ["main"]
