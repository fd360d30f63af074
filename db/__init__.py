"""bangfu's data layer: models, the shared-file connection, rules and queries.

Nothing here imports Textual; the screens, the CLI and the tests all call the
same functions.
"""
