"""The Oversight menu (督导与转介) and the keys that open its parts."""

ENTRIES: dict[str, tuple[str, str]] = {
    "oversight.title": ("Oversight", "督导与转介"),
    "oversight.hint": ("Supervising the programme. A digit or Enter opens.",
                       "帮扶工作的督导。按数字或 Enter 打开。"),
    "oversight.supervision": ("Supervision: each helper's own work and score",
                              "督导赋分：各包保教师的工作与得分"),
    "oversight.corrections": ("The month's notice and correction items", "月度通报与整改"),
    "oversight.referrals": ("Referrals", "转介"),
    "oversight.transformations": ("Cases proposed as transformed", "转化认定"),
    "oversight.organisations": ("Organisations the school works with", "合作机构"),
    "key.oversight": ("Oversight", "督导"),
    "key.oversight.supervision": ("Supervision", "督导赋分"),
    "key.oversight.corrections": ("Notice", "通报整改"),
    "key.oversight.referrals": ("Referrals", "转介"),
    "key.oversight.transformations": ("Transformed", "转化认定"),
    "key.oversight.organisations": ("Organisations", "合作机构"),
    "key.referrals": ("Referrals", "转介"),
}
