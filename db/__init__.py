"""bangfu's data layer: models, the shared-file connection, rules and queries.

Nothing here imports Textual; the screens, the CLI and the tests all call the
same functions.  The domain (cases, contacts, rules, progress, accounts, keys,
the audit log …) is at this level with the schema (``db.models``); where and
how the bytes are kept is ``db.store``, the demo school ``db.demo``, the schema's
changes ``db.migrations``.
"""
