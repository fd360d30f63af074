"""The note a family can read (家长版小结)."""

ENTRIES: dict[str, tuple[str, str]] = {
}
