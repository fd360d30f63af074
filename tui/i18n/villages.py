"""Catalog entries: villages (属地), the student editor's village field and
``bangfu villages``."""

ENTRIES: dict[str, tuple[str, str]] = {
    "student.village": ("Village", "属地"),
    "case.village": ("village", "属地"),
    "student.village.read": ("blank: {village} (from the address)", "留空：{village}（按住址）"),
    "student.village.none": ("blank: read from the address", "留空则按住址识别"),
    "err.student.village_long": ("Too long (at most 40 characters).", "内容过长（最多 40 字）。"),
    "import.field.village": ("village", "属地"),
    "err.village.too_long": ("A village has at most 40 characters.", "属地最多 40 个字。"),
    "err.village.version": ("Someone else saved this student meanwhile: open it again.",
                            "其他人刚刚保存了该学生的信息：请重新打开。"),
    "err.village.gone": ("This student is no longer in the file.", "该学生已不在数据库中。"),
    "villages.col.village": ("Village", "属地"),
    "villages.col.students": ("Students", "学生数"),
    "villages.col.open": ("Open cases", "在帮扶"),
    "villages.unknown": ("(not known)", "（未知）"),
    "villages.total": ("Total", "合计"),
    "villages.none": ("No students to count.", "没有可统计的学生。"),
    "cli.help.villages": ("the villages (属地) of the students you see, with counts; --fill "
                          "reads empty ones from the addresses",
                          "所见学生的属地（村、社区）及人数；--fill 按住址补全空白的属地"),
    "cli.help.villages_fill": ("read each empty village from the student's address "
                               "(administrators and coordinators)",
                               "按学生住址补全空白的属地（管理员和协调人）"),
    "cli.help.villages_format": ("text (default) or csv", "text（默认）或 csv"),
    "cli.villages.filled": ("Village read from the address for {n:student|students}.",
                            "已按住址补全 {n} 名学生的属地。"),
}
