"""Holidays, rules by season, family events and their attendance (家校共育)."""

ENTRIES: dict[str, tuple[str, str]] = {
    "audit.table.holiday": ("holiday", "假期"),
    "audit.table.family_event": ("family event", "家校活动"),
    "audit.table.event_attendance": ("attendance", "家长出席"),
    "audit.table.feedback": ("family feedback", "家长反馈"),
    "audit.table.survey": ("survey", "满意度调查"),
    "audit.table.survey_answer": ("survey answer", "问卷答卷"),
    "audit.table.recognition": ("recognition", "表彰"),
}
