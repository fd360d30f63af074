"""The storage layer: where and how the school's bytes are kept (not the schema,
``db.models``; nor its migrations, ``db.migrations``).

Opening the shared file or the server (``connection``, ``server``,
``dialect``), the dot-file lock (``lock``), the per-host journal and checking
the file against it (``journal``, ``journal_write``, ``journal_check``),
backups and checks (``storage``, ``doctor``), local state beside the share
(``local``), copying a file to a server (``migrate_to``, ``migrate_rows``),
and why a read or write failed (``failures``).
"""
