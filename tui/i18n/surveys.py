"""Satisfaction surveys of families (家长满意度)."""

ENTRIES: dict[str, tuple[str, str]] = {
}
