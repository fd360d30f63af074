"""Catalog entries: the command line's terminal edges, bangfu check and doctor, the outbox's reasons."""

ENTRIES: dict[str, tuple[str, str]] = {
    # -- the command line's terminal edges (issue 19) --
    "cli.dumb_terminal": ("This terminal (TERM=dumb) cannot show the app; use the commands instead: "
                          "bangfu --help",
                          "此终端（TERM=dumb）无法显示应用；请改用命令：bangfu --help"),
    "cli.secret_from_stdin": ("No terminal: reading {what} from the next line of standard input "
                              "(what is typed there is not hidden)…",
                              "没有终端：从标准输入的下一行读取 {what}（在那里输入的内容不会隐藏）……"),
    "cli.secret.pin": ("the PIN for {name}", "{name} 的 PIN"),
    "cli.secret.new_pin": ("the new PIN for {name}", "{name} 的新 PIN"),
    "cli.secret.new_pin_again": ("the new PIN again", "再次输入的新 PIN"),
    "cli.secret.code": ("the recovery code", "恢复码"),
    "cli.choice.refused": ("invalid choice {value!r}; accepted: {accepted}",
                           "{value!r} 不是可选的值；可选：{accepted}"),
    "cli.choice.keys": ("; or the letters {keys}", "；或字母 {keys}"),
    "cli.usage.required": ("the following arguments are required: {names}", "缺少必需的参数：{names}"),
    "cli.usage.unrecognized": ("unrecognized arguments: {args}", "无法识别的参数：{args}"),
    "cli.usage.number": ("{value!r} is not a whole number", "{value!r} 不是整数"),
    "cli.usage.expected_one": ("a value must follow it", "后面需要一个值"),
    "cli.show.phone": ("Family phone", "联系电话"),
    "cli.interrupted": ("Interrupted.", "已中断。"),
    "cli.locking_db": ("The database {path} uses {detail} locking, but this computer is set to {mine} "
                       "(from {source}). Every computer must use the same: set locking = \"{detail}\" "
                       "in {config}, or BANGFU_LOCKING={detail}, or --locking {detail}.",
                       "数据库 {path} 使用 {detail} 锁，但本机设置为 {mine}（来自 {source}）。"
                       "所有电脑必须一致：请在 {config} 中设置 locking = \"{detail}\"，"
                       "或设置 BANGFU_LOCKING={detail}，或使用 --locking {detail}。"),
    "cli.help.locking": ("posix (one host / trusted locks) or dotfile (network share); "
                         "else BANGFU_LOCKING, config", "posix（单机或可靠的锁）或 dotfile（网络共享盘）；"
                         "否则取 BANGFU_LOCKING、配置文件"),
    "cli.help.backup": ("copy the database into its backups folder (keeps the last N)",
                        "把数据库备份到备份文件夹（保留最近 N 份）"),
    "cli.help.keep": ("how many backups to keep (else config, 14)", "保留多少份备份（否则取配置文件，默认 14）"),
    "cli.help.check": ("check the file's integrity and what was changed outside bangfu (exit 0 ok, "
                       "1 damaged or changed, 2 cannot open)",
                       "检查文件完整性及在帮扶之外做出的修改（退出码 0 正常、1 损坏或被改动、2 无法打开）"),
    "cli.help.doctor": ("print where the file is and any risk to it", "显示数据库文件的位置、状态和风险"),
    "cli.help.unlock": ("remove a lock left behind by a crashed client (dotfile locking)",
                        "删除崩溃客户端遗留的锁（dotfile 锁）"),
    "cli.help.yes": ("do not ask for confirmation", "不再询问确认"),
    "cli.help.recover": ("rebuild a damaged file from the newest good backup plus every journal",
                         "用最新的完好备份加所有日志重建损坏的数据库"),
    "cli.help.term": ("list the school terms, or add one: term add NAME --start DATE --end DATE",
                      "列出学期，或添加学期：term add 名称 --start 日期 --end 日期"),
    "cli.help.term_name": ("the term's name, e.g. \"2026-2027 第二学期\"", "学期名称，如“2026-2027 第二学期”"),
    "cli.help.term_start": ("first day, YYYY-MM-DD", "第一天，YYYY-MM-DD"),
    "cli.help.term_end": ("last day, YYYY-MM-DD", "最后一天，YYYY-MM-DD"),
    "cli.term.date": ("use YYYY-MM-DD", "请用 YYYY-MM-DD 格式"),
    "cli.term.name": ("Give the term a name.", "请填写学期名称。"),
    "cli.term.dates": ("The term must end after it starts.", "学期结束日期必须晚于开始日期。"),
    "cli.term.overlap": ("That term overlaps one that exists (bangfu term list).",
                         "该学期与已有学期重叠（见 bangfu term list）。"),
    "cli.term_added": ("Term added: {name}, {start} – {end}.{current} At its start, each teacher "
                       "reviews their cases from the last term with F4.",
                       "已添加学期：{name}，{start} – {end}。{current}学期开始时，每位教师按 F4 复核上学期的个案。"),
    "cli.term_current": (" It is the current term.", "这是当前学期。"),
    "cli.help.due": ("print what is overdue or due on my cases (My caseload)",
                     "列出我的个案中逾期或即将到期的事项（我的帮扶任务）"),
    "cli.help.days": ("also list what falls due within this many days (default 7)",
                      "同时列出多少天内到期的事项（默认 7）"),
    "cli.days_negative": ("must be 0 or more", "必须大于或等于 0"),
    "cli.due_none": ("Nothing overdue or due in the next {days:day|days} for {name}.",
                     "{name} 在未来 {days} 天内没有逾期或到期的事项。"),
    "cli.due_count": ("{n:item|items} ({late} overdue) on {cases:case|cases}.",
                      "共 {n} 项（{late} 项逾期），涉及 {cases} 个个案。"),
    "cli.due.col.name": ("Student", "学生"),
    "cli.due.col.number": ("Number", "学号"),
    "cli.due.col.what": ("Due", "事项"),
    "cli.due.col.when": ("When", "时间"),
    "cli.due.col.due": ("Due date", "到期日"),
    "cli.due.col.detail": ("Last / note", "上次 / 说明"),
    "cli.help.set_locking": ("change the locking mode stored in the file (close bangfu everywhere first)",
                             "修改文件中保存的锁方式（请先在所有电脑上关闭帮扶）"),
    "cli.locking_same": ("{path} already uses {mode} locking.", "{path} 已使用 {mode} 锁。"),
    "cli.locking_plan": ("{path}: {old} → {new} locking. Close bangfu on every computer first, and set "
                         "locking = \"{new}\" in every computer's config afterwards.",
                         "{path}：锁方式 {old} → {new}。请先在所有电脑上关闭帮扶，之后在每台电脑的配置中设置 "
                         "locking = \"{new}\"。"),
    "cli.locking_set": ("{path} now uses {mode} locking.", "{path} 现在使用 {mode} 锁。"),
    "cli.help.outbox": ("list your entries waiting on this computer (asks your PIN); --flush writes them",
                        "列出您在本机等待写入的记录（需输入 PIN）；--flush 立即写入"),
    "cli.help.flush": ("write your waiting entries now, as you; set aside any that are not provably yours",
                       "立即以您的身份写入您的等待记录；无法证明是您写的记录会被移开"),
    "cli.backup_done": ("Backup written: {path} ({size}). Keeping the last {keep}.",
                        "备份已写入：{path}（{size}）。保留最近 {keep} 份。"),
    "cli.backup_failed": ("The backup failed: {detail}. The database itself was not changed.",
                          "备份失败：{detail}。数据库本身未被修改。"),
    "cli.backup_no_space": ("Not enough free space for a backup of {path}: {folder} has {free} free, "
                            "the backup needs {need} (the copy plus room for the database to grow). "
                            "Nothing was written and the database was not changed. Free some space on "
                            "that drive (older backups in that folder may go, or set `backups = N` "
                            "lower in the config), then run `bangfu backup`.",
                            "空间不足，无法备份 {path}：{folder} 只剩 {free}，备份需要 {need}"
                            "（副本加上数据库继续增长所需的余量）。未写入任何内容，数据库未被修改。"
                            "请先清理该磁盘的空间（可删除该文件夹中较早的备份，或在配置文件中调低 "
                            "`backups = N`），然后运行 `bangfu backup`。"),
    "cli.backup_full": ("The drive of {folder} became full during the backup of {path}. The unfinished "
                        "copy was removed and the database was not changed. Free some space on that "
                        "drive, then run `bangfu backup`.",
                        "备份 {path} 时 {folder} 所在磁盘已满。未完成的副本已删除，数据库未被修改。"
                        "请先清理该磁盘的空间，然后运行 `bangfu backup`。"),
    "cli.backup_check": ("The backup copy of {path} failed its check and was removed; the database "
                         "was not changed. Run `bangfu check`, then `bangfu backup` again.",
                         "{path} 的备份副本未通过检查，已删除；数据库未被修改。请运行 `bangfu check`，"
                         "然后再运行 `bangfu backup`。"),
    "cli.backup_interrupted": ("The backup of {path} was interrupted; the unfinished copy was removed "
                               "and the database was not changed.",
                               "{path} 的备份已中断；未完成的副本已删除，数据库未被修改。"),
    "cli.backup_unknown": ("the copy could not be written", "无法写入副本"),
    "cli.backup_error": ("The backup of {path} failed ({detail}). The unfinished copy was removed and the "
                         "database was not changed. Check that {folder} is reachable, writable and has "
                         "room, then run `bangfu backup`.",
                         "{path} 的备份失败（{detail}）。未完成的副本已删除，数据库未被修改。请确认 {folder} "
                         "可以访问、可以写入且有足够空间，然后运行 `bangfu backup`。"),
    "cli.backup_reason.no_space": ("not enough free space on the drive",
                                   "磁盘空间不足"),
    "cli.backup_reason.check": ("the copy failed its check", "副本未通过检查"),
    "cli.check_ok": ("{path}: ok (integrity, foreign keys, the audit log's chain and every account, "
                     "and its rows match the journals).",
                     "{path}：正常（完整性、外键、审计日志的哈希链和所有账号检查通过，数据行与日志一致）。"),
    "cli.check_row_differs": ("{table} row {row}: {column} differs from the journal (the last saved "
                              "value).", "{table} 第 {row} 行：{column} 与日志（最后保存的值）不一致。"),
    "cli.check_row_missing": ("{table} row {row} is missing (the journal has it).",
                              "{table} 第 {row} 行缺失（日志中有此行）。"),
    "cli.check_row_deleted": ("{table} row {row} is present, but the journal deleted it.",
                              "{table} 第 {row} 行仍存在，但日志显示它已被删除。"),
    "cli.check_audit_missing": ("audit_log: the entry for {table} row {row} ({action}, {at}) is "
                                "missing (the journal has it).",
                                "audit_log：{table} 第 {row} 行的审计记录（{action}，{at}）缺失（日志中有此记录）。"),
    "cli.check_more": ("… and {n} more.", "……另有 {n} 处。"),
    "cli.check_ok_server": ("{path}: ok (the audit log's chain and its guards, and every account, are as "
                            "bangfu wrote them).",
                            "{path}：正常（审计日志的哈希链及其保护触发器、所有账号均与帮扶写入时一致）。"),
    "cli.check_tampered": ("{path}: {n:problem|problems}, and the database was changed outside bangfu (above). "
                           "Find out who could write to it; `bangfu recover` rebuilds a file from the "
                           "newest backup whose audit log is intact and every workstation's journal.",
                           "{path}：{n} 处问题，数据库在帮扶之外被修改（见上）。请查明谁能写入数据库；"
                           "`bangfu recover` 可用审计日志完好的最新备份和各工作站的日志重建数据库文件。"),
    "cli.tamper.trigger_missing": ("audit_log: the trigger {row} that keeps the log from being changed "
                                   "is gone (dropped outside bangfu).",
                                   "audit_log：防止审计日志被修改的触发器 {row} 不见了（在帮扶之外被删除）。"),
    "cli.tamper.trigger_changed": ("audit_log: the trigger {row} that keeps the log from being changed "
                                   "was altered or switched off outside bangfu.",
                                   "audit_log：防止审计日志被修改的触发器 {row} 在帮扶之外被改动或停用。"),
    "cli.tamper.chain_rewritten": ("audit_log row {row} was changed after it was written (it no longer "
                                   "matches its hash): the first broken link.",
                                   "audit_log 第 {row} 行在写入后被改动（与其哈希不符）：哈希链第一处断裂。"),
    "cli.tamper.chain_removed": ("audit_log rows {first}–{last} were removed (the chain jumps to row "
                                 "{row}): the first broken link.",
                                 "audit_log 第 {first}–{last} 行被删除（哈希链跳到第 {row} 行）：哈希链第一处断裂。"),
    "cli.tamper.chain_removed_row": ("audit_log: a row before row {row} was removed and the rows after "
                                     "it renumbered: the first broken link.",
                                     "audit_log：第 {row} 行之前有一行被删除，其后各行被重新编号：哈希链第一处断裂。"),
    "cli.tamper.chain_inserted": ("audit_log row {row} was put in outside bangfu (it is not linked into "
                                  "the chain): the first broken link.",
                                  "audit_log 第 {row} 行是在帮扶之外插入的（未链入哈希链）：哈希链第一处断裂。"),
    "cli.tamper.chain_columns": ("audit_log: the columns of its hash chain were removed.",
                                 "audit_log：哈希链所用的列被删除了。"),
    "cli.tamper.account_changed": ("The account {name} (id {row}) was changed outside bangfu: {fields}.",
                                   "账号 {name}（id {row}）在帮扶之外被修改：{fields}。"),
    "cli.tamper.account_added": ("The account {name} (id {row}) was added outside bangfu (the audit log "
                                 "never sealed it).",
                                 "账号 {name}（id {row}）是在帮扶之外添加的（审计日志中没有它的封存记录）。"),
    "cli.tamper.account_removed": ("The account with id {row} was removed outside bangfu.",
                                   "id 为 {row} 的账号在帮扶之外被删除。"),
    "cli.tamper.key_changed": ("The key of {name} (staff_key row {row}) was put in or changed "
                               "outside bangfu: holders will not give it the school's key.",
                               "{name} 的钥匙（staff_key 第 {row} 行）在 bangfu 之外被加入或改动："
                               "持有人不会把学校的钥匙发给它。"),
    "cli.tamper.field.role": ("role", "角色"),
    "cli.tamper.field.active": ("whether it may sign in", "是否启用"),
    "cli.tamper.field.pin": ("PIN", "PIN 码"),
    "cli.tamper.field.name": ("name", "姓名"),
    "cli.tamper.field.classes": ("classes", "任教班级"),
    "cli.tamper.setting_changed": ("The setting {row} was changed outside bangfu.",
                                   "设置 {row} 在帮扶之外被修改。"),
    "cli.tamper.setting_added": ("The setting {row} was added outside bangfu.",
                                 "设置 {row} 是在帮扶之外添加的。"),
    "cli.tamper.setting_removed": ("The setting {row} was removed outside bangfu.",
                                   "设置 {row} 在帮扶之外被删除。"),
    "cli.tamper.backup_differs": ("audit_log row {row} differs from the backup {name}: the log was "
                                  "rewritten from there on since that backup.",
                                  "audit_log 第 {row} 行与备份 {name} 不同：该备份之后，日志从这一行起被改写。"),
    "cli.tamper.backup_removed": ("audit_log rows {first}–{last} are in the backup {name} but gone from "
                                  "the file.",
                                  "audit_log 第 {first}–{last} 行在备份 {name} 中有，但数据库文件中已没有。"),
    "cli.check_damaged": ("{path} is damaged ({n:problem|problems}). Make sure nobody is using bangfu, then run "
                          "`bangfu recover --db {path}`: it rebuilds the file from the newest good backup "
                          "and every workstation's journal.",
                          "{path} 已损坏（{n} 处问题）。请确认无人在使用帮扶，然后运行 "
                          "`bangfu recover --db {path}`：用最新的完好备份和各工作站的日志重建数据库。"),
    "cli.check_cannot": ("Cannot open {path}: {detail}. Check that the network drive is connected and "
                         "that you may read the file; if another client holds a lock, try again later "
                         "or see `bangfu doctor`.",
                         "无法打开 {path}：{detail}。请检查网络盘是否连接、您是否有读取权限；"
                         "若被其他客户端锁定，请稍后重试或运行 `bangfu doctor`。"),
    "cli.no_lock": ("No lock on {path}; nothing to remove.", "{path} 没有锁，无需删除。"),
    "cli.lock_fresh": ("The lock on {path} is {age} old: someone is probably writing right now. "
                       "Wait a minute and check again.",
                       "{path} 的锁已存在{age}：可能有人正在写入。请稍等一分钟后再查看。"),
    "cli.lock_stale": ("The lock on {path} is {age} old, far longer than any save takes: "
                       "a client probably crashed while writing.",
                       "{path} 的锁已存在{age}，远超任何保存所需时间：可能有客户端在写入时崩溃。"),
    "cli.lock_held": ("The lock on {path} is {age} old, and its owner is still writing (a long "
                      "import or report): it is not a crash. Nothing removed; wait for it to finish.",
                      "{path} 的锁已存在{age}，但持有者仍在写入（较长的导入或报表）：并非崩溃。"
                      "未删除任何内容；请等待其完成。"),
    "cli.lock_alive": ("Held by {host} (process {pid}), alive: its last heartbeat was {beat} ago.",
                       "持有者：{host}（进程 {pid}），仍在运行：上次心跳在{beat}前。"),
    "cli.unlock_watch": ("Watching the lock for {seconds} s to be sure nobody is using it…",
                         "观察该锁 {seconds} 秒，确认无人在使用……"),
    "cli.lock_moved": ("The lock on {path} was released or taken again while watching: someone is "
                       "using the file. Nothing removed.",
                       "观察期间 {path} 的锁被释放或重新获取：有人正在使用该文件。未删除任何内容。"),
    "cli.recover_busy": ("A client is writing to the file right now: recover only when nobody uses "
                         "bangfu. Nothing was changed.",
                         "此刻有客户端正在写入该文件：请在无人使用帮扶时再恢复。未做任何修改。"),
    "cli.unlock_ask": ("Remove it? Only do this if no bangfu is in the middle of saving. [y/N] ",
                       "删除此锁？仅在没有帮扶正在保存时删除。[y/N] "),
    "cli.unlock_force": ("Use --force to remove a lock younger than {limit} s.",
                         "锁未超过 {limit} 秒；如确需删除请加 --force。"),
    "cli.unlocked": ("Lock removed. The next client to open the file rolls back any half-written "
                     "change; run `bangfu check` to be sure.",
                     "锁已删除。下一个打开文件的客户端会回滚未完成的修改；可运行 `bangfu check` 确认。"),
    "cli.not_removed": ("Nothing removed.", "未删除任何内容。"),
    "cli.recover_ok": ("{path} is not damaged; journals replayed onto it: {applied:row|rows} restored, "
                       "{present} already present, {failed} failed.",
                       "{path} 未损坏；已将日志重放到该文件：恢复 {applied} 行，{present} 行已存在，{failed} 行失败。"),
    "cli.recover_plan": ("{path} is damaged or unreadable. It will be moved to {aside}, replaced by the "
                         "backup {backup} and every journal replayed onto it. Nobody may use bangfu meanwhile.",
                         "{path} 已损坏或无法读取。它将被移到 {aside}，以备份 {backup} 替换，并重放所有日志。"
                         "期间任何人不得使用帮扶。"),
    "cli.recover_ask": ("Go on? [y/N] ", "继续？[y/N] "),
    "cli.recover_done": ("Recovered {path}: {applied:row|rows} restored from {files:journal|journals}, "
                         "{present:was|were} in the backup, {failed} failed, {bad:unreadable line|unreadable lines}. Check: {check}.",
                         "已恢复 {path}：从 {files} 个日志恢复 {applied} 行，{present} 行已在备份中，"
                         "{failed} 行失败，{bad} 行无法读取。检查结果：{check}。"),
    "cli.recover_no_backup": ("No good backup of {path} in {folder}; cannot rebuild. Keep the damaged file "
                              "and the {journal} folder, and ask for help.",
                              "{folder} 中没有 {path} 的完好备份，无法重建。请保留损坏的文件和 {journal} 文件夹并寻求帮助。"),
    "cli.outbox_empty": ("No entries waiting for {path}.", "{path} 没有等待写入的记录。"),
    "cli.outbox_item": ("{queued}  {when}  {student}  {reason}", "{queued}  {when}  {student}  {reason}"),
    "cli.outbox_case": ("case #{id}", "帮扶档案 #{id}"),
    "cli.outbox_others": ("{n:entry of another person waits|entries of other people wait} here; each is written when its author signs in.",
                          "另有 {n} 条他人的记录在此等待，各自在作者登录后写入。"),
    "cli.outbox_refused": ("Refused {path}: {reason}. Never written; kept in {folder}.",
                           "已拒绝 {path}：{reason}。不会写入；保留在 {folder}。"),
    "cli.outbox_refused_item": ("{queued}  set aside, never written: {reason} ({path})",
                                "{queued}  已移开，不会写入：{reason}（{path}）"),
    "cli.outbox_refused_others": ("{n:set-aside entry of another person is|set-aside entries of other people are} in {folder}.",
                                  "{folder} 中另有 {n} 条他人的已移开记录。"),
    "cli.outbox_count": ("{n:entry|entries} waiting (they are written automatically when the file can be "
                         "reached; --flush writes them now).",
                         "{n} 条记录等待写入（文件可访问时自动写入；--flush 立即写入）。"),
    "cli.outbox_flushed": ("Written: {written}; already in the file: {present}; still waiting: {waiting}.",
                           "已写入：{written}；文件中已有：{present}；仍在等待：{waiting}。"),
    "cli.outbox_problem": ("Cannot write {path}: {reason}. It stays in the outbox.",
                           "无法写入 {path}：{reason}。该记录保留在待写队列中。"),
    "cli.outbox_reason.case": ("its case no longer exists", "其帮扶档案已不存在"),
    "cli.outbox_reason.staff": ("its author is not in the staff list", "作者不在教职工名单中"),
    "cli.outbox_reason.not_allowed": ("its author may not see that student (any more)",
                                      "作者（已）无权查看该学生"),
    "cli.outbox_reason.unreadable": ("the file is unreadable", "文件无法读取"),
    "cli.outbox_reason.unsealed": ("it is not sealed by its author (hand-made, or from an older bangfu)",
                                   "它没有经作者加密（手工制作，或来自旧版帮扶）"),
    "cli.outbox_reason.forged": ("its seal does not verify (altered, or copied from another database)",
                                 "其加密校验失败（被改动，或从其他数据库复制而来）"),
    "cli.outbox_reason.earlier_pin": ("sealed with an earlier PIN, or not by you: it cannot be opened",
                                      "用以前的 PIN 加密，或并非由您加密：无法打开"),
    "cli.queued": ("The database cannot be reached; the entry waits in the local outbox ({uuid}) and "
                   "is written when it can be.",
                   "无法访问数据库；该记录已存入本地待写队列（{uuid}），待可访问时写入。"),
    "cli.queued.file_busy": ("Another computer kept the database file locked past every retry (about "
                             "30 s): the entry waits in the local outbox ({uuid}) and is written by "
                             "`bangfu outbox --flush` or the app once the lock is free. If this lasts, "
                             "`bangfu doctor` shows who holds the lock.",
                             "另一台电脑长时间锁定数据库文件（重试约 30 秒仍未释放）：该记录已存入本地待写"
                             "队列（{uuid}），锁释放后由 `bangfu outbox --flush` 或应用写入。若持续如此，"
                             "`bangfu doctor` 可显示锁的持有者。"),
    "cli.queued.file_disk_full": ("The disk that holds the database is full: tell whoever looks after the "
                                  "share. The entry waits in the local outbox ({uuid}) and is written when "
                                  "there is room again (`bangfu outbox --flush`).",
                                  "存放数据库的磁盘已满：请告知共享盘管理员。该记录已存入本地待写队列"
                                  "（{uuid}），有空间后写入（`bangfu outbox --flush`）。"),
    "cli.queued.file_permission": ("The database file cannot be written from this computer (permissions, "
                                   "or a read-only share): the entry waits in the local outbox ({uuid}). "
                                   "Ask whoever looks after the share, then `bangfu outbox --flush`.",
                                   "本机无法写入数据库文件（权限不足或共享盘只读）：该记录已存入本地待写队列"
                                   "（{uuid}）。请联系共享盘管理员，然后运行 `bangfu outbox --flush`。"),
    "cli.queued.file_damaged": ("The database file looks damaged: the entry waits in the local outbox "
                                "({uuid}). Run `bangfu check`; after `bangfu recover`, "
                                "`bangfu outbox --flush` writes it.",
                                "数据库文件似乎已损坏：该记录已存入本地待写队列（{uuid}）。请运行 "
                                "`bangfu check`；`bangfu recover` 之后由 `bangfu outbox --flush` 写入。"),
    "cli.queued.unknown": ("The connection to the server was lost during the save; it may have been "
                           "written. The entry waits in the local outbox ({uuid}) and is written once "
                           "when the server is back (never twice).",
                           "保存过程中与服务器的连接断开；该记录可能已写入。它已存入本地待写队列（{uuid}），"
                           "服务器恢复后写入一次（不会重复）。"),
    "cli.queued.lost": ("The connection to the server was lost during the save, before it was "
                        "written; the entry waits in the local outbox ({uuid}) and is written when "
                        "the server is back.",
                        "保存过程中与服务器的连接断开，记录尚未写入；它已存入本地待写队列（{uuid}），"
                        "服务器恢复后写入。"),
    "cli.queued.busy": ("The server did not let this save in within {seconds} s: another computer "
                        "holds the write lock (a stalled save). The entry waits in the local outbox "
                        "({uuid}); `bangfu outbox --flush` writes it later.",
                        "服务器在 {seconds} 秒内未能接受此次保存：另一台电脑占着写入锁（保存卡住）。"
                        "该记录已存入本地待写队列（{uuid}）；稍后运行 `bangfu outbox --flush` 写入。"),
    "cli.queued.slow": ("The server did not finish the save within {seconds} s. The entry waits in "
                        "the local outbox ({uuid}); `bangfu outbox --flush` writes it later.",
                        "服务器未在 {seconds} 秒内完成保存。该记录已存入本地待写队列（{uuid}）；"
                        "稍后运行 `bangfu outbox --flush` 写入。"),
    "cli.queued.disk_full": ("The database server is out of disk space: tell whoever runs it. The "
                             "entry waits in the local outbox ({uuid}) and is written when the "
                             "server has room again.",
                             "数据库服务器磁盘已满：请告知服务器管理员。该记录已存入本地待写队列"
                             "（{uuid}），服务器腾出空间后写入。"),
    "cli.queued.resources": ("The database server is short of resources (memory or connections): "
                             "tell whoever runs it. The entry waits in the local outbox ({uuid}) and "
                             "is written when the server can take it.",
                             "数据库服务器资源不足（内存或连接数）：请告知服务器管理员。该记录已存入"
                             "本地待写队列（{uuid}），服务器可接受时写入。"),
    "doctor.path": ("File", "文件"),
    "doctor.fs": ("Filesystem", "文件系统"),
    "doctor.locking": ("Locking", "锁方式"),
    "doctor.locking_value": ("{mine} here ({source}); {stored} in the file",
                             "本机 {mine}（来自 {source}）；文件中为 {stored}"),
    "doctor.journal": ("Journal mode", "日志模式"),
    "doctor.schema": ("Schema version", "结构版本"),
    "doctor.size": ("Size", "大小"),
    "doctor.backup": ("Last backup", "最近备份"),
    "doctor.outbox": ("Waiting entries", "等待写入"),
    "doctor.lock": ("Lock", "锁"),
    "doctor.lock_none": ("none held", "无"),
    "doctor.lock_age": ("held for {age}", "已持有{age}"),
    "doctor.none": ("none", "无"),
    "doctor.missing": ("(no such file)", "（文件不存在）"),
    "doctor.ok": ("No warnings.", "没有警告。"),
    "doctor.warn.others_can_read": ("Others than the owner and group can read the file, a backup or a journal: "
                                    "chmod o-rwx them (and their folders).",
                                    "文件、备份或日志可被所有者和组以外的用户读取：请对它们（及所在文件夹）执行 chmod o-rwx。"),
    "doctor.warn.unreadable": ("The file cannot be read: run `bangfu check`.", "文件无法读取：请运行 `bangfu check`。"),
    "doctor.warn.locking_mismatch": ("This computer's locking differs from the file's: it will refuse to open it.",
                                     "本机锁方式与文件不一致：将拒绝打开。"),
    "doctor.warn.posix_on_share": ("The file is on a network filesystem with posix locking: unless every client "
                                   "runs on this one host, set locking = \"dotfile\" on every client.",
                                   "文件位于网络文件系统且使用 posix 锁：除非所有客户端都在本机运行，"
                                   "请在每台电脑上设置 locking = \"dotfile\"。"),
    "doctor.warn.cifs_cache": ("The SMB share is mounted with client caching: mount it with cache=none, or "
                               "committed entries can be lost.",
                               "SMB 共享盘挂载时启用了客户端缓存：请用 cache=none 挂载，否则已保存的记录可能丢失。"),
    "doctor.warn.nfs_cache": ("The NFS share is mounted with attribute caching: mount it with noac, or "
                              "committed entries can be lost.",
                              "NFS 共享盘挂载时启用了属性缓存：请用 noac 挂载，否则已保存的记录可能丢失。"),
    "doctor.warn.sshfs_cache": ("sshfs caches file data unless mounted with -o direct_io,cache=no: check "
                                "how this share is mounted.",
                                "sshfs 默认缓存文件数据，除非用 -o direct_io,cache=no 挂载：请检查挂载方式。"),
    "doctor.warn.wal": ("The file is in WAL mode (or a -wal file is beside it): on a share this fails. "
                        "Open it once with bangfu on one computer to switch it back.",
                        "文件处于 WAL 模式（或旁边有 -wal 文件）：在共享盘上会出错。请在一台电脑上用帮扶打开一次以切换回来。"),
    "doctor.warn.stale_lock": ("A lock has been held for {age}: a client probably crashed. Run `bangfu unlock`.",
                               "有一个锁已持有{age}：可能有客户端崩溃。请运行 `bangfu unlock`。"),
    "doctor.warn.no_recent_backup": ("No backup in the last two days: run `bangfu backup`.",
                                     "最近两天没有备份：请运行 `bangfu backup`。"),
    "doctor.warn.tampered": ("The audit log or an account was changed outside bangfu (`bangfu check` "
                             "names the same):",
                             "审计日志或账号在帮扶之外被修改（`bangfu check` 会列出同样的内容）："),
    "doctor.warn.outbox": ("Entries are waiting in this computer's outbox: `bangfu outbox --flush`.",
                           "本机有等待写入的记录：请运行 `bangfu outbox --flush`。"),
    "doctor.server": ("Server", "服务器"),
    "doctor.server_version": ("Server version", "服务器版本"),
    "doctor.database": ("Database", "数据库"),
    "doctor.warn.server_missing": ("The server has no such database ({detail}): create it with "
                                   "`createdb`, then `bangfu init`.",
                                   "服务器上没有这个数据库（{detail}）：先用 `createdb` 建库，再运行 `bangfu init`。"),
    "doctor.warn.server_auth": ("The server refused the sign-in ({detail}): check the user, and the "
                                "password in PGPASSWORD or ~/.pgpass.",
                                "服务器拒绝登录（{detail}）：请检查用户名，以及 PGPASSWORD 或 ~/.pgpass 中的密码。"),
    "doctor.warn.server_unreachable": ("The server cannot be reached ({detail}).",
                                       "无法连接服务器（{detail}）。"),
    "doctor.warn.server_full": ("The server is out of disk space or another resource: tell whoever "
                                "runs it ({detail}).",
                                "服务器的磁盘空间或其他资源已耗尽：请告知服务器管理员（{detail}）。"),
    "doctor.warn.server_older": ("The database's schema is older than this bangfu's: the next start "
                                 "brings it up to date.",
                                 "数据库结构比本程序旧：下次启动时会自动升级。"),
    "doctor.warn.server_newer": ("The database was brought up to date by a newer bangfu: update this "
                                 "computer's bangfu.", "数据库已由更新版本的帮扶升级：请升级本机的帮扶。"),
    "doctor.warnings": ("Warnings", "警告"),
    "time.seconds": ("{n} s", "{n}秒"),
    "time.minutes": ("{n} min", "{n}分钟"),
    "time.hours": ("{n} h {m} min", "{n}小时{m}分钟"),
}
