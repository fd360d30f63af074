"""Referrals (转介), the organisations the school works with, outside helpers."""

ENTRIES: dict[str, tuple[str, str]] = {
    "audit.table.organisation": ("organisation", "合作机构"),
    "audit.table.referral": ("referral", "转介"),
    "audit.table.outside_helper": ("outside helper", "校外帮扶人"),
}
