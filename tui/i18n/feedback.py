"""Families' feedback (家长意见箱) and recognitions (表彰)."""

ENTRIES: dict[str, tuple[str, str]] = {
}
