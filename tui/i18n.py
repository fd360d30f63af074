"""The one catalog of interface text, in English and Chinese.

Every string the interface shows comes from here: ``t("key", name=...)``.
Vocabulary codes from ``db.vocab`` are labelled with ``label("status", code)``.
This module imports nothing heavy: the CLI uses it too.
"""

from __future__ import annotations

LANGS = ("en", "zh")
_lang = "en"

CATALOG: dict[str, tuple[str, str]] = {
    # app, general
    "app.title": ("bangfu — student support", "帮扶 — 学困生帮扶"),
    "app.busy_retry": ("Database busy, retrying ({attempt})…", "数据库忙，正在重试（第 {attempt} 次）…"),
    "app.refreshed": ("Roster refreshed: someone else saved changes.", "名单已刷新：其他人保存了修改。"),
    "app.worker_failed": ("Could not read the database ({detail}). Check the share, then reload.",
                          "无法读取数据库（{detail}）。请检查共享盘后刷新。"),
    "common.none": ("—", "—"),
    "common.colon": (": ", "："),
    "common.list_sep": (", ", "、"),
    "common.minutes": ("{n} min", "{n} 分钟"),
    # key descriptions (footer and command palette)
    "key.quit": ("Quit", "退出"),
    "key.back": ("Back", "返回"),
    "key.open": ("Open", "打开"),
    "key.sign_in": ("Sign in", "登录"),
    "key.log": ("Log contact", "记录联系"),
    "key.mine": ("Mine/All", "我的/全部"),
    "key.status": ("Status", "状态"),
    "key.search": ("Search", "搜索"),
    "key.edit": ("Edit case", "编辑档案"),
    "key.reload": ("Reload", "刷新"),
    "key.save": ("Save", "保存"),
    "key.save_next": ("Save+next", "保存并继续"),
    "key.merge": ("Merge latest", "合并最新"),
    "key.tab_next": ("Next tab", "下一页"),
    "key.switch_user": ("Switch user", "切换用户"),
    "key.palette": ("Commands", "命令"),
    "key.add_guardian": ("Add guardian", "添加监护人"),
    "key.confirm_yes": ("Discard", "放弃"),
    "key.confirm_no": ("Keep editing", "继续编辑"),
    "palette.placeholder": ("Search for an action…", "搜索操作…"),
    "cmd.quit.help": ("Leave bangfu", "退出帮扶"),
    "cmd.switch_user.help": ("Sign in as someone else", "以其他人身份登录"),
    "cmd.action.help": ("Key: {key}", "按键：{key}"),
    # sign in
    "signin.title": ("Who are you?", "请选择您的姓名"),
    "signin.hint": ("Type part of your name or its pinyin, then Enter.",
                    "输入姓名或拼音的一部分，然后按回车。"),
    "signin.placeholder": ("name or pinyin", "姓名或拼音"),
    "signin.empty": ("No staff in this database yet. Run `bangfu demo` for a demo school.",
                     "数据库中还没有教职工。可运行 `bangfu demo` 生成演示学校。"),
    "signin.nomatch": ("Nobody matches.", "没有匹配的人。"),
    # roster
    "roster.placeholder": ("name, pinyin (zhangwei), initials (zw), number or class",
                           "姓名、拼音（zhangwei）、首字母（zw）、学号或班级"),
    "roster.col.name": ("Name", "姓名"),
    "roster.col.class": ("Class", "班级"),
    "roster.col.status": ("Status", "状态"),
    "roster.col.lead": ("Lead", "负责人"),
    "roster.col.last": ("Last contact", "最近联系"),
    "roster.col.days": ("Days", "天数"),
    "roster.count": ("{shown} of {total}", "{shown} / {total}"),
    "roster.scope.all": ("all students", "全部学生"),
    "roster.scope.mine": ("my cases", "我的个案"),
    "roster.filter": ("Showing {scope} · status: {status}", "范围：{scope} · 状态：{status}"),
    "roster.loading": ("Loading roster…", "正在载入名单…"),
    "roster.empty": ("No student matches.", "没有匹配的学生。"),
    "status.all": ("all", "全部"),
    "status.open": ("open cases", "在帮扶"),
    "status.none": ("no case", "未建档"),
    # case detail
    "case.tab.timeline": ("Timeline", "联系记录"),
    "case.tab.file": ("Case file", "档案"),
    "case.tab.family": ("Student & family", "学生与家庭"),
    "case.tab.plan": ("Plan & team", "计划与团队"),
    "case.no_case": ("Not in the support programme: no case is open for this student.",
                     "该学生未纳入帮扶：尚无帮扶档案。"),
    "case.no_contacts": ("No contacts logged yet. Press n to log one.",
                         "尚无联系记录。按 n 记录一次。"),
    "case.header": ("{name} · {class_name} · {number}", "{name} · {class_name} · 学号 {number}"),
    "case.status_line": ("Status: {status} · Risk: {risk} · Lead: {lead} · {term}",
                         "状态：{status} · 风险：{risk} · 负责人：{lead} · {term}"),
    "case.categories": ("Categories", "类型"),
    "case.causes": ("Causes", "原因"),
    "case.field.strengths": ("Strengths and interests", "优点与兴趣"),
    "case.field.academic_base": ("Academic base", "学业基础"),
    "case.field.main_problems": ("Main problems", "主要问题"),
    "case.field.cause_analysis": ("Cause analysis", "原因分析"),
    "case.field.measures": ("Measures", "帮扶措施"),
    "case.field.status": ("Status", "状态"),
    "case.field.risk_level": ("Risk level", "风险等级"),
    "case.field.categories": ("Categories", "类型"),
    "case.field.causes": ("Causes", "原因"),
    "case.goals": ("Goals", "目标"),
    "case.no_goals": ("No goals set.", "尚未设定目标。"),
    "case.goal_line": ("[{horizon}] {text} · due {due} · {status}", "【{horizon}】{text} · 期限 {due} · {status}"),
    "case.team": ("Team", "帮扶团队"),
    "case.no_team": ("Nobody assigned.", "尚未指派人员。"),
    "case.student": ("Student", "学生"),
    "case.birth": ("Born", "出生日期"),
    "case.family": ("Family situation", "家庭情况"),
    "case.guardians": ("Guardians", "监护人"),
    "case.no_guardians": ("No guardians recorded.", "未登记监护人。"),
    "case.lives_with": ("lives with the student", "与学生同住"),
    "case.phone": ("phone", "电话"),
    "case.wechat": ("WeChat", "微信"),
    "case.entry_by": ("by {author}", "记录人：{author}"),
    "case.entry.participants": ("With", "参与者"),
    "case.entry.agreed": ("Agreed", "约定"),
    "case.entry.follow_up": ("Follow-up", "跟进"),
    "case.entry.due": ("due {date}", "截止 {date}"),
    "case.entry.done": ("done {date}", "已于 {date} 完成"),
    "case.updated": ("Case saved.", "档案已保存。"),
    "case.edited_by": ("Last edited by {who} at {at}", "最近由 {who} 于 {at} 修改"),
    # case edit
    "edit.title": ("Edit case: {name}", "编辑档案：{name}"),
    "edit.conflict": ("{who} saved this case at {at} after you opened it. Nothing was saved. "
                      "Press ctrl+r to merge their version with your edits, then check and save again.",
                      "您打开后，{who} 于 {at} 保存了此档案。您的修改尚未保存。"
                      "按 ctrl+r 将对方的版本与您的修改合并，检查后再保存。"),
    "edit.merged": ("Merged. Fields both of you changed keep your text and are marked: {fields}. Check, then ctrl+s.",
                    "已合并。双方都改过的字段保留了您的内容并已标出：{fields}。请检查后按 ctrl+s。"),
    "edit.merged_clean": ("Merged with the latest version. Check, then ctrl+s.",
                          "已与最新版本合并。请检查后按 ctrl+s。"),
    "edit.unknown": ("someone", "他人"),
    "edit.saving": ("Saving…", "正在保存…"),
    "edit.categories_hint": ("Categories (space toggles, arrows move)", "类型（空格选择，方向键移动）"),
    # contact form
    "form.title": ("Log a contact", "记录联系"),
    "form.student": ("Student", "学生"),
    "form.student.placeholder": ("name, pinyin or number", "姓名、拼音或学号"),
    "form.date": ("Date", "日期"),
    "form.date.placeholder": ("today, -1, 11-20, 2026-11-20", "今天、-1、11-20、2026-11-20"),
    "form.time": ("Time", "时间"),
    "form.kind": ("With", "对象"),
    "form.channel": ("Channel", "方式"),
    "form.participants": ("Who took part", "参与者"),
    "form.participants.placeholder": ("names; ctrl+g adds a guardian", "姓名；ctrl+g 添加监护人"),
    "form.duration": ("Minutes", "时长（分钟）"),
    "form.discussed": ("Discussed", "沟通内容"),
    "form.agreed": ("Agreed", "达成约定"),
    "form.follow_up": ("Follow-up", "后续跟进"),
    "form.follow_up_due": ("Due", "跟进截止"),
    "form.guardians": ("Guardians: {list}", "监护人：{list}"),
    "form.saved_next": ("Saved {name}. Next student.", "已保存 {name}。请选择下一位学生。"),
    "form.saving": ("Saving…", "正在保存…"),
    "form.invalid": ("Please correct the marked fields; nothing was saved.",
                     "请修改标出的字段；尚未保存。"),
    "form.discard": ("Discard this unsaved entry?", "放弃这条未保存的记录吗？"),
    "form.case_gone": ("This student's case no longer exists; nothing was saved.",
                       "该学生的档案已不存在；尚未保存。"),
    "form.save_failed": ("Could not save: {detail}. Your text is kept; try ctrl+s again.",
                         "保存失败：{detail}。内容已保留，请再按 ctrl+s。"),
    "form.no_case": ("{name} has no open case; a contact needs one.", "{name} 没有帮扶档案，无法记录联系。"),
    "form.count": ("{n} saved in this sitting", "本次已保存 {n} 条"),
    # validation messages
    "err.student.required": ("Choose a student with an open case.", "请选择一位有帮扶档案的学生。"),
    "err.date.empty": ("Enter a date.", "请输入日期。"),
    "err.date.format": ("Not a date: use today, -1, 11-20 or 2026-11-20.",
                        "日期格式不对：可用 today、-1、11-20 或 2026-11-20。"),
    "err.date.invalid": ("No such date.", "没有这一天。"),
    "err.date.future": ("A contact cannot be in the future.", "联系日期不能晚于今天。"),
    "err.time": ("Use HH:MM, e.g. 16:30.", "请用 时:分 格式，例如 16:30。"),
    "err.choice": ("Choose one of the listed options.", "请从列出的选项中选择。"),
    "err.duration": ("Minutes must be a whole number from 1 to 600.", "时长应为 1 到 600 的整数。"),
    "err.discussed.required": ("Say what was discussed.", "请填写沟通内容。"),
    "err.follow_up.required": ("A due date needs a follow-up text.", "填写了截止日期，请写明跟进内容。"),
    "err.follow_up_due.before": ("The follow-up cannot be due before the contact.",
                                 "跟进截止日期不能早于联系日期。"),
    "err.too_long_line": ("Too long (at most 200 characters).", "内容过长（最多 200 字）。"),
    "err.too_long": ("Too long (at most 4,000 characters).", "内容过长（最多 4000 字）。"),
    # confirm
    "confirm.title": ("Please confirm", "请确认"),
    # CLI
    "cli.description": ("bangfu: support-programme records on a shared database file.",
                        "帮扶：共享数据库上的学困生帮扶记录。"),
    "cli.missing_db": ("No database at {path}. Create one with `bangfu init --db {path}` "
                       "or a demo with `bangfu demo --db {path}`.",
                       "{path} 处没有数据库。可用 `bangfu init --db {path}` 新建，"
                       "或用 `bangfu demo --db {path}` 生成演示数据。"),
    "cli.unreadable_db": ("Cannot open the database {path}: {detail}", "无法打开数据库 {path}：{detail}"),
    "cli.newer_db": ("The database {path} was made by a newer bangfu; update bangfu first.",
                     "数据库 {path} 由更新版本的帮扶创建，请先升级帮扶。"),
    "cli.unwritable_db": ("Cannot create the database {path}: {detail}", "无法创建数据库 {path}：{detail}"),
    "cli.no_match": ("No student matches {query!r}.", "没有学生匹配 {query!r}。"),
    "cli.many": ("{query!r} matches several students; use a student number:", "{query!r} 匹配多位学生，请使用学号："),
    "cli.no_case": ("{name} ({number}) has no case; nothing was logged.", "{name}（{number}）没有帮扶档案，未记录。"),
    "cli.who": ("Say who you are: --as NAME, or set BANGFU_USER.", "请说明您的身份：--as 姓名，或设置 BANGFU_USER。"),
    "cli.who_unknown": ("No staff member matches {name!r}.", "没有教职工匹配 {name!r}。"),
    "cli.who_many": ("{name!r} matches several staff: {list}.", "{name!r} 匹配多位教职工：{list}。"),
    "cli.invalid": ("Invalid {field}: {message}", "{field} 无效：{message}"),
    "cli.found": ("Students found: {n}", "共 {n} 名学生"),
    "cli.demo_done": ("Demo school written to {path}: {students} students, {cases} cases, {contacts} contacts.",
                      "演示学校已写入 {path}：{students} 名学生，{cases} 个帮扶档案，{contacts} 条联系记录。"),
    "cli.demo_exists": ("{path} already holds data; use --force to replace it.",
                        "{path} 中已有数据；如需替换请加 --force。"),
    "cli.init_done": ("Database ready at {path} (schema version {version}).",
                      "数据库已就绪：{path}（结构版本 {version}）。"),
    "cli.latest": ("Latest contacts", "最近联系"),
    "cli.field.text": ("text", "内容"),
    "cli.field.date": ("date", "日期"),
    "cli.field.kind": ("kind", "对象"),
    "cli.field.channel": ("channel", "方式"),
    "cli.field.student": ("student", "学生"),
    "cli.field.time": ("time", "时间"),
    "cli.field.duration": ("duration", "时长"),
    "cli.field.follow_up": ("follow-up", "跟进"),
    "cli.field.follow_up_due": ("follow-up due", "跟进截止"),
    "cli.field.participants": ("participants", "参与者"),
    "cli.field.discussed": ("text", "内容"),
    "cli.field.agreed": ("agreed", "约定"),
    "cli.help.db": ("database file (else BANGFU_DB, config, default)", "数据库文件（否则依次取 BANGFU_DB、配置文件、默认位置）"),
    "cli.help.lang": ("interface language (else config, LANG)", "界面语言（否则取配置文件、LANG）"),
    "cli.help.find": ("list students matching a query", "列出匹配的学生"),
    "cli.help.query": ("name, pinyin, initials, student number or class", "姓名、拼音、首字母、学号或班级"),
    "cli.help.show": ("print a student's case summary and latest contacts", "显示学生的档案摘要和最近联系"),
    "cli.help.student": ("student number, or a query matching one student", "学号，或只匹配一位学生的查询"),
    "cli.help.contacts": ("how many contacts to print", "显示多少条联系记录"),
    "cli.help.log": ("log one contact and print its UUID", "记录一次联系并输出其 UUID"),
    "cli.help.kind": ("family | student | colleague (or f/s/c)", "family（家长）| student（学生）| colleague（同事），或 f/s/c"),
    "cli.help.channel": ("phone wechat sms face home_visit parent_meeting group_chat other (or p/w/s/f/h/m/g/o)", "phone 电话、wechat 微信、sms 短信、face 面谈、home_visit 家访、parent_meeting 家长会、group_chat 群聊、other 其他（或 p/w/s/f/h/m/g/o）"),
    "cli.help.text": ("what was discussed", "沟通内容"),
    "cli.help.agreed": ("what was agreed", "达成约定"),
    "cli.help.date": ("today, -1, 11-20 or 2026-11-20", "today、-1、11-20 或 2026-11-20"),
    "cli.help.time": ("HH:MM", "时:分（HH:MM）"),
    "cli.help.duration": ("minutes", "分钟"),
    "cli.help.uuid": ("client UUID (a retry with the same UUID writes nothing new)", "客户端 UUID（用同一 UUID 重试不会重复写入）"),
    "cli.help.as": ("staff name (else BANGFU_USER)", "教职工姓名（否则取 BANGFU_USER）"),
    "cli.help.demo": ("build a demo school in the database file", "在数据库文件中生成演示学校"),
    "cli.help.force": ("replace an existing file", "替换已有文件"),
    "cli.help.init": ("create an empty database (or upgrade an old one)", "新建空数据库（或升级旧数据库）"),
    "cli.help.limit": ("how many students to print", "最多显示多少名学生"),
    "cli.help.participants": ("who took part", "参与者"),
    "cli.help.follow_up": ("follow-up", "后续跟进"),
    "cli.help.follow_up_due": ("follow-up due date", "跟进截止日期"),
    "cli.help.students": ("how many students", "学生人数"),
    "cli.help.seed": ("random seed (same seed, same school)", "随机种子（种子相同，学校相同）"),
    "cli.interrupted": ("Interrupted.", "已中断。"),
}

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
    # short channel names for narrow columns (the roster's "last contact")
    "channel_short": {
        "phone": ("phone", "电话"), "wechat": ("WeChat", "微信"), "sms": ("SMS", "短信"),
        "face": ("face", "面谈"), "home_visit": ("visit", "家访"),
        "parent_meeting": ("meeting", "家长会"), "group_chat": ("group", "群聊"),
        "other": ("other", "其他"),
    },
}


DATABASE_ERRORS = {"missing": "cli.missing_db", "newer": "cli.newer_db",
                   "unwritable": "cli.unwritable_db"}


def database_error(code: str, path, detail: str) -> str:
    """The message for a ``db.connection.DatabaseError`` (CLI and app alike)."""
    return t(DATABASE_ERRORS.get(code, "cli.unreadable_db"), path=path, detail=detail)


def set_language(lang: str) -> None:
    global _lang
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}")
    _lang = lang


def language() -> str:
    return _lang


def t(key: str, /, **values) -> str:
    """The text for ``key`` in the current language, with ``values`` filled in."""
    entry = CATALOG.get(key)
    if entry is None:
        return key
    text = entry[1] if _lang == "zh" else entry[0]
    return text.format(**values) if values else text


def paren(text: str) -> str:
    """``text`` in brackets as each language writes them: " (x)" or "（x）"."""
    return f"（{text}）" if _lang == "zh" else f" ({text})"


def label(group: str, code: str) -> str:
    entry = VOCAB.get(group, {}).get(code)
    if entry is None:
        return code
    return entry[1] if _lang == "zh" else entry[0]


def labels(group: str, codes) -> str:
    return t("common.list_sep").join(label(group, c) for c in codes)
