"""Supervision (督导): helpers' own work, scores, notices and corrections."""

ENTRIES: dict[str, tuple[str, str]] = {
    "audit.table.supervision_note": ("supervision note", "督导赋分备注"),
    "audit.table.correction": ("correction item", "整改事项"),
    "err.rule.roles": ("Roles are lead, tutor, counsellor or volunteer, separated by commas.",
                       "角色应为 lead、tutor、counsellor 或 volunteer，用逗号分隔。"),
    "err.supervision.month": ("Give the month as YYYY-MM, for example 2026-11.",
                              "月份格式为 YYYY-MM，例如 2026-11。"),
    "err.supervision.period": ("The period is week, half_month, month, last_month or term.",
                               "时段应为 week、half_month、month、last_month 或 term。"),
    "err.supervision.rubric": ("Rubric values are whole numbers from 0 to 1000, the threshold at "
                               "most 100 and a burst at least 2 entries.",
                               "评分标准应为 0 到 1000 的整数，及格线不超过 100，连续记录至少 2 条。"),
    "err.supervision.adjustment": ("An adjustment is from -100 to 100 points.",
                                   "调整分应在 -100 到 100 之间。"),
    "err.supervision.note": ("The note is too long (500 characters at most).",
                             "备注过长（最多 500 字）。"),
    "err.supervision.staff": ("That staff member no longer exists.", "该教职工已不存在。"),
    "err.supervision.changed": ("Someone else changed this note meanwhile; open it again.",
                                "他人刚修改了此备注，请重新打开。"),
}
