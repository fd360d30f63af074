"""Transforming a case (转化): its evidence and the coordinator's confirmation."""

ENTRIES: dict[str, tuple[str, str]] = {
    "audit.table.transformation": ("transformation", "转化认定"),
}
