"""Labels of the vocabulary codes of ``db.vocab``: ``label("status", code)``."""

VOCAB: dict[str, dict[str, tuple[str, str]]] = {
    "status": {
        "identified": ("identified", "已摸排"),
        "active": ("active", "帮扶中"),
        "improving": ("improving", "有进步"),
        "transformed": ("transformed", "已转化"),
        "closed": ("closed", "已结案"),
    },
    "risk": {"low": ("low", "低"), "medium": ("medium", "中"), "high": ("high", "高")},
    "category": {
        "academic": ("academic", "学业"),
        "behaviour": ("behaviour", "行为"),
        "psychological": ("psychological", "心理"),
        "interpersonal": ("interpersonal", "人际"),
        "attendance": ("attendance / drop-out risk", "出勤/辍学风险"),
        "economic": ("economic hardship", "经济困难"),
    },
    "cause": {
        "foundation": ("weak foundation", "基础薄弱"),
        "methods": ("study methods", "学习方法"),
        "habits": ("study habits", "学习习惯"),
        "confidence": ("confidence", "缺乏自信"),
        "attention": ("attention", "注意力"),
        "self_control": ("self-control", "自控力"),
        "parenting": ("parenting style", "家庭教育方式"),
        "grandparent_care": ("grandparent care", "隔代抚养"),
        "left_behind": ("parents working away", "父母外出务工（留守）"),
        "poverty": ("poverty", "家庭经济困难"),
        "family_change": ("family change", "家庭变故"),
        "teaching": ("teaching", "教学因素"),
        "relationships": ("teacher relationships", "师生关系"),
        "peers": ("peers", "同伴影响"),
        "society": ("society", "社会因素"),
        "health": ("health", "身体健康"),
        "other": ("other", "其他"),
    },
    "family": {
        "left_behind_one": ("one parent away", "单亲外出务工"),
        "left_behind_both": ("both parents away", "双亲外出务工"),
        "grandparent_care": ("grandparent care", "隔代抚养"),
        "single_parent": ("single parent", "单亲家庭"),
        "low_income": ("low income", "低收入家庭"),
        "migrant": ("migrant family", "随迁子女"),
        "orphan": ("orphan", "孤儿"),
        "only_child": ("only child", "独生子女"),
    },
    "relation": {
        "father": ("father", "父亲"), "mother": ("mother", "母亲"),
        "grandfather": ("grandfather", "祖父/外祖父"), "grandmother": ("grandmother", "祖母/外祖母"),
        "guardian": ("guardian", "监护人"), "other": ("other", "其他"),
    },
    "role": {
        "lead": ("lead", "负责人"), "tutor": ("subject tutor", "学科导师"),
        "counsellor": ("counsellor", "心理辅导"), "volunteer": ("volunteer", "志愿者"),
    },
    "staff_role": {
        "admin": ("administrator", "管理员"), "coordinator": ("coordinator", "协调人"),
        "class_teacher": ("class teacher", "班主任"), "teacher": ("teacher", "教师"),
        "counsellor": ("counsellor", "心理教师"), "volunteer": ("volunteer", "志愿者"),
    },
    "restricted": {
        "counselling": ("counselling", "心理辅导"), "family_conflict": ("family conflict", "家庭矛盾"),
        "referral": ("referral", "转介"),
    },
    "horizon": {"short": ("short term", "短期"), "long": ("long term", "长期")},
    "goal_status": {
        "open": ("open", "进行中"), "met": ("met", "已达成"), "partly": ("partly met", "部分达成"),
        "not_met": ("not met", "未达成"), "dropped": ("dropped", "已放弃"),
    },
    "kind": {"family": ("family", "家长"), "student": ("student", "学生"),
             "colleague": ("colleagues", "同事")},
    "channel": {
        "phone": ("phone", "电话"), "wechat": ("WeChat", "微信"), "sms": ("SMS", "短信"),
        "face": ("face to face", "面谈"), "home_visit": ("home visit", "家访"),
        "parent_meeting": ("parent meeting", "家长会"), "group_chat": ("group chat", "群聊"),
        "other": ("other", "其他"),
    },
    "gender": {"M": ("male", "男"), "F": ("female", "女"), "": ("—", "—")},
    # check-in dimensions unless the school named its own (db.progress)
    "dimension": {
        "mood": ("mood", "情绪"), "confidence": ("confidence", "自信心"),
        "relationships": ("relationships", "人际关系"), "motivation": ("motivation", "学习动力"),
    },
    # short channel names for narrow columns (the roster's "last contact")
    "channel_short": {
        "phone": ("phone", "电话"), "wechat": ("WeChat", "微信"), "sms": ("SMS", "短信"),
        "face": ("face", "面谈"), "home_visit": ("visit", "家访"),
        "parent_meeting": ("meeting", "家长会"), "group_chat": ("group", "群聊"),
        "other": ("other", "其他"),
    },
    # families as a group (schema version 14)
    "holiday": {
        "winter": ("winter holiday", "寒假"), "summer": ("summer holiday", "暑假"),
        "day_off": ("day off", "放假/调休"), "other": ("other", "其他"),
    },
    "event": {
        "parent_school": ("parent school", "家长学校"),
        "parent_meeting": ("parent meeting", "家长会"),
        "focus_meeting": ("meeting of supported families", "后进生家长专题座谈会"),
        "workshop": ("workshop", "家长培训/讲座"), "open_day": ("open day", "校园开放日"),
    },
    "feedback": {
        "suggestion": ("suggestion", "建议"), "complaint": ("complaint", "投诉"),
        "question": ("question", "咨询"), "praise": ("praise", "表扬"),
    },
    "feedback_channel": {
        "box": ("suggestion box", "家长意见箱"), "phone": ("phone", "电话"),
        "wechat": ("WeChat", "微信"), "meeting": ("at a meeting", "会上"),
        "survey": ("survey form", "问题调研表"), "visit": ("visit", "来访/家访"),
        "other": ("other", "其他"),
    },
    "recognised": {"family": ("family", "家庭"), "student": ("student", "学生"),
                   "staff": ("staff", "教职工")},
    "season": {"": ("all year", "全年"), "school": ("school days", "在校期间"),
               "holiday": ("holidays", "假期")},
}
