"""Many schools on one server (``bangfu district``, ``migrate-to --school``), and
the messages of a database that holds several schools."""

ENTRIES: dict[str, tuple[str, str]] = {
    "cli.help.district": ("The schools of a district database and their accounts "
                          "(the server's owner)", "区县数据库中的学校及其账号（服务器管理者用）"),
    "cli.help.district_list": ("List the schools and their client roles",
                               "列出学校及其客户端账号"),
    "cli.help.district_add": ("Add a school and a client role for its staff",
                              "添加学校及其教职工使用的客户端账号"),
    "cli.help.district_name": ("The school's name", "学校名称"),
    "cli.help.district_role": ("The database role its clients connect as (lower case)",
                               "该校客户端连接所用的数据库账号（小写）"),
    "cli.help.district_town": ("The town (乡镇) the school is in", "学校所在乡镇"),
    "cli.help.district_county": ("The county (区县) the school is in", "学校所在区县"),
    "cli.help.district_defaults": ("Show the district's default settings, or take them from a "
                                   "school", "查看区县的默认设置，或以某校的设置为默认"),
    "cli.help.district_from": ("The school whose settings become the defaults",
                               "以其设置为默认的学校"),
    "cli.district.no_such": ("There is no school {name} in this database. Its schools: {names}.",
                             "该数据库中没有学校 {name}。已有的学校：{names}。"),
    "cli.district.defaults_set": ("The settings of {name} are now the district's defaults: "
                                  "every school that has not set its own follows them.",
                                  "{name} 的设置现已成为区县默认：未自行设置的学校都按此执行。"),
    "cli.district.default_terms": ("terms a new school starts with: {n}", "新学校起始学期：{n} 个"),
    "cli.district.default_set": ("the district's default", "区县默认"),
    "cli.district.default_none": ("bangfu's own default", "bangfu 自带默认"),
    "cli.help.district_rollup": ("The district's own roll-up: every school's figures, per "
                                 "school and in total", "区县库自身的汇总：各校数据，分校及合计"),
    "cli.help.district_rollup_town": ("Only the schools of this town", "只汇总该乡镇的学校"),
    "cli.help.district_rollup_county": ("Only the schools of this county", "只汇总该区县的学校"),
    "cli.district.no_role_skipped": ("{name} has no client role yet, so it is not counted "
                                     "(bangfu district add-school).",
                                     "{name} 还没有客户端账号，未计入（bangfu district add-school）。"),
    "cli.district.no_schools": ("No school to count: none matches, or none has a client role.",
                                "没有可汇总的学校：没有符合条件的，或都还没有客户端账号。"),
    "cli.help.district_period": ("week or half-month (default: week)", "week（周）或 half-month（半月），默认 week"),
    "cli.help.district_add_office": ("Add a town's or a county's office: a role that sees the "
                                     "schools' figures, never a record",
                                     "添加乡镇或区县的工作专班账号：只能看各校数据，看不到任何记录"),
    "cli.help.district_office_role": ("The office's database role (lower case)",
                                      "该专班的数据库账号（小写）"),
    "cli.help.district_office_town": ("The town whose schools it sees", "可查看该乡镇的学校"),
    "cli.help.district_office_county": ("The county whose schools it sees (with --town: the "
                                        "town's county)", "可查看该区县的学校（与 --town 同用时："
                                        "该乡镇所在区县）"),
    "cli.help.district_publish": ("Count every school's figures for the offices (e.g. hourly "
                                  "from cron)", "为专班统计各校数据（可由 cron 每小时运行）"),
    "cli.help.district_publish_period": ("week or half-month (default: both)",
                                         "week 或 half-month（默认两者）"),
    "cli.help.district_view": ("An office's view: its schools' figures, per school and in total",
                               "专班视图：所辖学校的数据，分校及合计"),
    "cli.district.office_place": ("Say whose schools the office sees: --town NAME (and "
                                  "--county NAME where town names repeat) or --county NAME.",
                                  "请指明该专班查看哪些学校：--town 名称（乡镇重名时加 --county "
                                  "名称），或 --county 名称。"),
    "cli.district.office_added_town": ("The office of {place}: it connects as {role}:\n"
                                       "  bangfu --db {url}\n"
                                       "It sees the figures of {place}'s schools, never a name "
                                       "or a record.",
                                       "{place} 专班：以 {role} 连接：\n  bangfu --db {url}\n"
                                       "只能看到 {place} 各校的数据，看不到任何姓名或记录。"),
    "cli.district.office_added_county": ("The office of {place}: it connects as {role}:\n"
                                         "  bangfu --db {url}\n"
                                         "It sees the figures of {place}'s schools, never a name "
                                         "or a record.",
                                         "{place} 办公室：以 {role} 连接：\n  bangfu --db {url}\n"
                                         "只能看到 {place} 各校的数据，看不到任何姓名或记录。"),
    "cli.district.published": ("{school}: this {period} and the one before counted for the "
                               "offices.", "{school}：本期及上一期{period}数据已为专班统计。"),
    "cli.district.need_office": ("`bangfu district view` is an office's: connect with the "
                                 "town's or the county's role.",
                                 "`bangfu district view` 供专班使用：请用乡镇或区县的账号连接。"),
    "cli.district.not_reported": ("{school} has no figures for this period yet (the server's "
                                  "owner counts them with `bangfu district publish`).",
                                  "{school} 还没有本时段的数据（服务器管理者用 "
                                  "`bangfu district publish` 统计）。"),
    "cli.district.nothing_published": ("No school has figures for this period yet: the server's "
                                       "owner counts them with `bangfu district publish`.",
                                       "还没有学校有本时段的数据：服务器管理者用 "
                                       "`bangfu district publish` 统计。"),
    "cli.office_role_db": ("The role you connected to {path} with is a town's or a county's "
                           "office: it sees the schools' figures, never their records. Open the "
                           "app with it (no sign-in), or run `bangfu district view`.",
                           "你连接 {path} 所用的账号属于乡镇或区县专班：只能看各校数据，看不到"
                           "记录。请直接用它打开程序（无需登录），或运行 `bangfu district view`。"),
    "cli.help.migrate_school": ("Copy the file in as this school, beside the others",
                                "把本文件作为该校复制进去，与其他学校并存"),
    "cli.district.need_server": ("`bangfu district` works on a PostgreSQL server: give its URL "
                                 "with --db.", "`bangfu district` 用于 PostgreSQL 服务器：请用 "
                                 "--db 指定其地址。"),
    "cli.district.need_owner": ("Only the database's owner manages schools and their accounts: "
                                "connect with the owner's credentials.",
                                "只有数据库的所有者才能管理学校及其账号：请用所有者的账号连接。"),
    "cli.district.bad_name": ("Give the school's name (at most 100 characters).",
                              "请给出学校名称（不超过 100 个字）。"),
    "cli.district.bad_role": ("{role} cannot be a role name: use lower-case letters, digits and "
                              "_ (at most 63), starting with a letter.",
                              "{role} 不能用作账号名：请用小写字母、数字和 _（不超过 63 个），"
                              "以字母开头。"),
    "cli.district.no_role": ("no client role", "无客户端账号"),
    "cli.district.added": ("School {name} (number {id}): its clients connect as {role}:\n"
                           "  bangfu --db {url}\n"
                           "They see and change only this school's records.",
                           "学校 {name}（编号 {id}）：其客户端以 {role} 连接：\n"
                           "  bangfu --db {url}\n"
                           "它们只能查看和修改本校的记录。"),
    "cli.district.password": ("The role's password, shown only now: {password}\n"
                              "Give it to the school's administrator (for ~/.pgpass or "
                              "PGPASSWORD on its computers).",
                              "该账号的密码（只显示这一次）：{password}\n"
                              "请交给学校的管理员（放入各电脑的 ~/.pgpass 或 PGPASSWORD）。"),
    "cli.many_schools_db": ("The database {path} holds several schools, and you connected with "
                            "the owner's credentials, which are not held to one school. Connect "
                            "with your school's role (ask whoever runs the server; README: "
                            "A town or county).",
                            "数据库 {path} 中有多所学校，而你用的是所有者的账号，它不限于某一所"
                            "学校。请用本校的账号连接（向服务器管理者索取；见 README“乡镇或区县”）。"),
    "cli.no_school_db": ("The role you connected to {path} with belongs to no school of that "
                         "database, so it sees no records. Ask whoever runs the server for your "
                         "school's role (bangfu district add-school).",
                         "你连接 {path} 所用的账号不属于该库中的任何学校，因此看不到记录。"
                         "请向服务器管理者索取本校的账号（bangfu district add-school）。"),
    "cli.needs_owner_db": ("The database {path} needs this bangfu's newer schema ({detail}), and "
                           "only the server's owner changes it. Ask whoever runs the server to "
                           "run `bangfu --db URL district list` once with the owner's "
                           "credentials (it upgrades the schema); until then use the bangfu "
                           "version the server has.",
                           "数据库 {path} 需要本版 bangfu 的新结构（{detail}），而只有服务器的"
                           "所有者能修改结构。请服务器管理者用所有者账号运行一次 "
                           "`bangfu --db 地址 district list`（会升级结构）；在此之前请使用与服务器"
                           "一致的 bangfu 版本。"),
    "migrate.error.schools": ("The target database holds several schools ({detail}): name the "
                              "school this file is with --school NAME. Nothing was changed.",
                              "目标数据库中有多所学校（{detail}）：请用 --school 名称 指明本文件"
                              "是哪所学校。未做任何改动。"),
    # the office's screen (screens/office.py)
    "office.title": ("The schools' figures", "各校数据"),
    "office.reading": ("Reading the schools' figures…", "正在读取各校数据…"),
    "office.period.week": ("Week {start} – {end}", "周 {start} – {end}"),
    "office.period.half_month": ("Half-month {start} – {end}", "半月 {start} – {end}"),
    "office.as_of": ("counted {when}", "统计于 {when}"),
    "office.missing": ("{n:school|schools} not counted yet: {names}", "{n} 所学校尚未统计：{names}"),
    "office.nothing": ("no figures for this period yet (the server's owner counts them with "
                       "bangfu district publish)", "本时段还没有数据（服务器管理者用 "
                       "bangfu district publish 统计）"),
    "office.col.school": ("School", "学校"),
    "office.col.students": ("Students", "学生"),
    "office.col.in_programme": ("Helped", "帮扶"),
    "office.col.share": ("Share", "占比"),
    "office.col.open": ("Open", "在帮"),
    "office.col.overdue": ("Overdue", "逾期"),
    "office.col.entries": ("Entries", "记录"),
    "office.col.score": ("Score", "督导"),
    "office.col.below": ("Below", "低分"),
    "office.col.village": ("Village (属地)", "属地"),
    "office.col.open_cases": ("Open cases", "在帮个案"),
    "office.col.helpers": ("Helpers", "帮扶人"),
    "key.office_villages": ("Villages/schools", "属地/学校"),
    # a case shared with an office (bangfu share-case, bangfu district shared)
    "cli.help.share_case": ("Share a student's case with a town's or a county's office, take it "
                            "back, or list its shares and openings (district server)",
                            "把学生的帮扶个案分享给乡镇或区县专班、收回，或列出分享与查阅记录"
                            "（区县服务器）"),
    "cli.help.share_office": ("The office's role to share it with", "分享给的专班账号"),
    "cli.help.share_reason": ("Why it is shared (kept and audited)", "分享原因（留存并审计）"),
    "cli.help.share_revoke": ("The office's role to take it back from", "从该专班收回"),
    "cli.help.district_shared": ("An office's shared cases, or one opened (each opening is "
                                 "logged for the school)", "专班收到的分享个案，或打开其中一个"
                                 "（每次查阅都为学校记录）"),
    "cli.help.district_shared_which": ("SCHOOL:CASE as listed", "列表中的 学校:个案 编号"),
    "cli.share.both": ("Give either --office with --reason, or --revoke, not both.",
                       "请只给出 --office（及 --reason）或 --revoke 之一。"),
    "cli.share.reason": ("Say why the case is shared: --reason \"…\" (at most 500 characters).",
                         "请说明分享原因：--reason \"…\"（不超过 500 字）。"),
    "cli.share.office": ("There is no town's or county's office with that role on this server: "
                         "ask whoever runs it (bangfu district add-office).",
                         "服务器上没有该账号的乡镇或区县专班：请询问服务器管理者"
                         "（bangfu district add-office）。"),
    "cli.share.server": ("Sharing a case with an office needs a district server and your "
                         "school's role (README: A town or county).",
                         "分享个案给专班需要区县服务器及本校账号（见 README“乡镇或区县”）。"),
    "cli.share.gone": ("That case is not there any more.", "该个案已不存在。"),
    "cli.share.shared": ("It is already shared with that office.", "已分享给该专班。"),
    "cli.share.not_shared": ("It is not shared with that office: nothing to take back.",
                             "未分享给该专班，无需收回。"),
    "cli.share.no_case": ("{name} has no open case to share.", "{name} 没有可分享的在帮个案。"),
    "cli.share.done": ("{name}'s case is shared with {office}: it can open the student, the class, "
                       "the status and the entries that are not restricted; every opening is "
                       "listed here.", "{name} 的个案已分享给 {office}：对方可查看学生、班级、"
                       "状态及非保密记录；每次查阅都会列在这里。"),
    "cli.share.revoked": ("{name}'s case is no longer shared with {office}.",
                          "{name} 的个案已不再分享给 {office}。"),
    "cli.share.line": ("{office}: shared {when} by {by} ({reason}) · {state}",
                       "{office}：{when} 由 {by} 分享（{reason}）· {state}"),
    "cli.share.state_open": ("open to it", "可查阅"),
    "cli.share.state_revoked": ("taken back {when}", "已于 {when} 收回"),
    "cli.share.read": ("  opened by {office} {when}", "  {office} 于 {when} 查阅"),
    "cli.share.none": ("Not shared with any office.", "未分享给任何专班。"),
    "cli.share.none_office": ("No case is shared with this office.", "没有分享给本专班的个案。"),
    "cli.share.which": ("Name the case as listed: SCHOOL:CASE, for example 2:17.",
                        "请按列表给出个案：学校:个案，例如 2:17。"),
    "cli.share.not_yours": ("That case is not shared with this office (or no longer).",
                            "该个案未分享给本专班（或已收回）。"),
    "cli.share.main_problems": ("Main problems", "主要问题"),
    "cli.share.measures": ("Measures", "帮扶措施"),
    "cli.share.agreed": ("Agreed", "约定"),
}
