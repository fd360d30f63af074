"""Supervision (督导): helpers' own work, scores, notices and corrections."""

ENTRIES: dict[str, tuple[str, str]] = {
    "audit.table.supervision_note": ("supervision note", "督导赋分备注"),
    "audit.table.correction": ("correction item", "整改事项"),
}
