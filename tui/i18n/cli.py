"""Catalog entries: the command line: its commands, messages and why a read or write failed."""

ENTRIES: dict[str, tuple[str, str]] = {
    # CLI
    "cli.description": ("bangfu: support-programme records on a shared database file.",
                        "帮扶：共享数据库上的学困生帮扶记录。"),
    "cli.missing_db": ("No database at {path}. Create one with `bangfu init --db {path}` "
                       "or a demo with `bangfu demo --db {path}`.",
                       "{path} 处没有数据库。可用 `bangfu init --db {path}` 新建，"
                       "或用 `bangfu demo --db {path}` 生成演示数据。"),
    "cli.empty_db": ("The file {path} is empty: it is not a bangfu database. If it was one, run "
                     "`bangfu recover --db {path}` to restore it from its backups; to start a new one, "
                     "delete it and run `bangfu init --db {path}`.",
                     "文件 {path} 是空的，不是帮扶数据库。如果它原本是，请运行 `bangfu recover --db {path}` "
                     "从备份恢复；如要新建，请删除它后运行 `bangfu init --db {path}`。"),
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
    "cli.did_you_mean": ("No student matches {query!r}. Did you mean {suggestion!r}?",
                         "没有学生匹配 {query!r}。您要找的是不是 {suggestion!r}？"),
    "cli.demo_done": ("Demo school written to {path}: {students:student|students}, {cases:case|cases}, "
                      "{contacts:contact|contacts}, {scores:score|scores}, {checkins:check-in|check-ins}.",
                      "演示学校已写入 {path}：{students} 名学生，{cases} 个帮扶档案，{contacts} 条联系记录，"
                      "{scores} 条成绩，{checkins} 次心理测评。"),
    "app.keys_not_set_up": ("Restricted text on this database is stored as typed: run "
                            "`bangfu keys setup` once to seal it (it prints a recovery code for "
                            "the principal).",
                            "此数据库的保密内容仍以明文保存：请运行一次 `bangfu keys setup` 加密"
                            "（会打印一个交给校长保管的恢复码）。"),
    "recovery.title": ("The school's recovery code (shown this once)", "学校的恢复码（只显示这一次）"),
    "key.recovery_written": ("I have written it down", "我已抄下"),
    "cli.demo_keys": ("Restricted text is sealed (`bangfu keys`); the demo's recovery code, "
                      "for trying `bangfu keys recover`: {code}",
                      "保密内容已加密（`bangfu keys`）；演示用的恢复码（可用来试 `bangfu keys recover`）：{code}"),
    "cli.help.version": ("show bangfu's version and exit", "显示 bangfu 的版本并退出"),
    "cli.help.subjects": ("the subjects the score grid offers: list them, or set them (comma-separated)",
                          "成绩录入默认科目：列出或设置（逗号分隔）"),
    "cli.help.dimensions": ("what a psychological check-in rates 1-5: list them, or set them",
                            "心理测评的评分项（1-5 分）：列出或设置"),
    "cli.help.names": ("the names, in order (语文 数学 英语, or 语文,数学,英语)", "名称，按顺序（语文 数学 英语，或 语文,数学,英语）"),
    "cli.help.names_reset": ("back to the defaults", "恢复默认"),
    "cli.names.saved": ("Saved for the whole school.", "已为全校保存。"),
    "cli.names.unchanged": ("Nothing changed: they were so already.", "没有改动：本来如此。"),
    "cli.names.both": ("Give names or --reset, not both.", "请给出名称或 --reset，二者选一。"),
    "cli.demo_exists": ("{path} already holds data; use --force to replace it.",
                        "{path} 中已有数据；如需替换请加 --force。"),
    "cli.file_only": ("`bangfu {command}` looks after a database file; {url} is a server, which "
                      "keeps its own locks, journal and backups (pg_dump).",
                      "`bangfu {command}` 用于数据库文件；{url} 是数据库服务器，"
                      "由服务器自己管理锁、日志和备份（pg_dump）。"),
    "cli.demo_exists_server": ("{path} already holds data: the demo needs an empty database.",
                               "{path} 已有数据：演示数据需要一个空数据库。"),
    "cli.server_missing_db": ("The server has no database {path} ({detail}). Create it with "
                              "`createdb`, then run `bangfu init --db URL`.",
                              "服务器上没有数据库 {path}（{detail}）。请先用 `createdb` 建库，"
                              "再运行 `bangfu init --db URL`。"),
    "cli.server_auth": ("The server {path} refused the sign-in ({detail}). The password comes from "
                        "the URL, PGPASSWORD or ~/.pgpass.",
                        "服务器 {path} 拒绝登录（{detail}）。密码取自 URL、PGPASSWORD 或 ~/.pgpass。"),
    "cli.server_unreachable": ("Cannot reach the database server {path}: {detail}",
                               "无法连接数据库服务器 {path}：{detail}"),
    "cli.server_full": ("The database server {path} is out of disk space or another resource: tell "
                        "whoever runs it ({detail}).",
                        "数据库服务器 {path} 的磁盘空间或其他资源已耗尽：请告知服务器管理员（{detail}）。"),
    "cli.bad_url": ("{path} is not a usable database URL ({detail}); write "
                    "postgresql://user@host:5432/bangfu. A password with / # ? @ : or % in it is "
                    "written percent-encoded (/ as %2F, # as %23, ? as %3F, @ as %40, : as %3A, "
                    "% as %25), or kept out of the URL in ~/.pgpass or PGPASSWORD.",
                    "{path} 不是可用的数据库地址（{detail}）；格式为 postgresql://user@host:5432/bangfu。"
                    "密码中含 / # ? @ : 或 % 时须按百分号编码书写（/ 写作 %2F，# 写作 %23，? 写作 %3F，"
                    "@ 写作 %40，: 写作 %3A，% 写作 %25），或不写进地址而放在 ~/.pgpass 或 PGPASSWORD 中。"),
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
    "cli.help.db": ("database file, or a postgresql:// URL (else BANGFU_DB, config, default)",
                    "数据库文件，或 postgresql:// 地址（否则依次取 BANGFU_DB、配置文件、默认位置）"),
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
    "cli.help.students": ("how many students (with --schools: per school, 600 unless given)",
                          "学生人数（配合 --schools 时为每校人数，默认 600）"),
    "cli.help.seed": ("random seed (same seed, same school)", "随机种子（种子相同，学校相同）"),
    # why a read or write failed (db.store.failures), said in place of an error's name
    "failure.busy": ("the database is busy: another computer holds its lock",
                     "数据库正忙：另一台电脑占用着它的锁"),
    "failure.unreachable": ("the database cannot be reached (the network drive or server is not there)",
                            "无法访问数据库（网络盘或服务器不在线）"),
    "failure.disk_full": ("the disk that holds the database is full", "存放数据库的磁盘已满"),
    "failure.permission": ("the database cannot be written here (permissions, or a read-only share)",
                           "此处无法写入数据库（权限不足或共享盘只读）"),
    "failure.damaged": ("the database file looks damaged: run `bangfu check`",
                        "数据库文件似乎已损坏：请运行 `bangfu check`"),
    "failure.lost": ("the connection to the server was lost", "与服务器的连接已断开"),
    "failure.unknown": ("the connection to the server was lost during the save; it may have been written",
                        "保存过程中与服务器的连接断开；可能已写入"),
    "failure.slow": ("the server did not answer in time", "服务器未能及时响应"),
    "failure.resources": ("the server is short of resources (memory or connections)",
                          "服务器资源不足（内存或连接数）"),
    "failure.other": ("an unexpected problem (BANGFU_DEBUG=1 shows details)",
                      "出现意外问题（设置 BANGFU_DEBUG=1 可查看详情）"),
    "cli.failed": ("{reason}. Nothing more was done; try again, and `bangfu doctor` shows what is wrong.",
                   "{reason}。未继续执行；请重试，`bangfu doctor` 可显示问题所在。"),
    "cli.no_terminal": ("The app needs a terminal, and this is none (no keyboard or screen attached). "
                        "Over SSH use `ssh -t HOST bangfu`; without a terminal use the commands "
                        "`bangfu find`, `bangfu show` and `bangfu log`.",
                        "应用需要终端，而当前没有（未连接键盘或屏幕）。通过 SSH 请用 `ssh -t 主机 bangfu`；"
                        "没有终端时请使用命令 `bangfu find`、`bangfu show` 和 `bangfu log`。"),
}
