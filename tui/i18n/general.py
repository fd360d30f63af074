"""Catalog entries: the app in general, key descriptions (footer, palette, F1 help), [keymap] and themes, signing in."""

ENTRIES: dict[str, tuple[str, str]] = {
    # app, general
    "app.title": ("bangfu — student support", "帮扶 — 学困生帮扶"),
    "app.busy_retry": ("Database busy, retrying ({attempt})…", "数据库忙，正在重试（第 {attempt} 次）…"),
    "app.refreshed": ("Roster refreshed: someone else saved changes.", "名单已刷新：其他人保存了修改。"),
    "app.worker_failed": ("Could not read the database ({detail}). Check the share, then reload.",
                          "无法读取数据库（{detail}）。请检查共享盘后刷新。"),
    "app.waiting": ("{n} waiting", "{n} 条待写入"),
    "app.outbox_written": ("{n:waiting entry|waiting entries} written to the database.", "{n} 条待写入记录已写入数据库。"),
    "app.outbox_problem": ("{n:waiting entry|waiting entries} cannot be written (see `bangfu outbox`).",
                           "{n} 条待写入记录无法写入（见 `bangfu outbox`）。"),
    "app.outbox_refused": ("{n:waiting entry|waiting entries} could not be proven yours (altered, hand-made or not sealed "
                           "by you): never written, set aside in {path}.",
                           "{n} 条待写入记录无法证明是您写的（被改动、伪造或并非由您加密）：不会写入，已移至 {path}。"),
    "app.outbox_earlier_pin": ("{n:of your waiting entries was|of your waiting entries were} sealed with an earlier PIN and cannot be "
                               "opened: never written, kept in {path}.",
                               "您有 {n} 条待写入记录是用以前的 PIN 加密的，无法打开：不会写入，保留在 {path}。"),
    "app.stale_lock": ("The database has been locked for {age}, far longer than any save takes: a "
                       "computer probably crashed while saving. Remove the lock? Only if nobody is "
                       "saving right now.",
                       "数据库已被锁定{age}，远超任何保存所需时间：可能有电脑在保存时崩溃。"
                       "删除此锁？仅在此刻无人保存时删除。"),
    "app.unlocked": ("Lock removed.", "锁已删除。"),
    "app.stale_lock_admin": ("The database has been locked for {age} and nobody is writing: a "
                             "computer probably crashed while saving. Ask an administrator to "
                             "remove the lock (`bangfu unlock`). Your entries wait in the outbox.",
                             "数据库已被锁定{age}且无人在写入：可能有电脑在保存时崩溃。"
                             "请管理员删除此锁（`bangfu unlock`）。您的记录在待写入箱中等待。"),
    "app.lock_in_use": ("The lock is in use after all (someone is writing): it was not removed.",
                        "该锁仍在使用（有人正在写入）：未删除。"),
    "app.backup_failed": ("Today's backup failed ({detail}); run `bangfu backup`.",
                          "今日备份失败（{detail}）；请运行 `bangfu backup`。"),
    "lock.title": ("Locked: nobody typed for {minutes:minute|minutes}.", "已锁定：{minutes} 分钟无人操作。"),
    "lock.hint": ("Sign in to go on: you continue where you were; someone else starts afresh, "
                  "and what you had open is kept as your drafts.",
                  "登录后继续：本人回到原处；换人则从头开始，您未保存的内容保留为草稿。"),
    "drafts.title": ("Unsaved forms from earlier", "之前未保存的表单"),
    "drafts.hint": ("bangfu kept these when it was closed before they were saved. "
                    "Enter reopens one.", "帮扶在关闭前保留了这些未保存的内容。按 Enter 重新打开。"),
    "drafts.contact": ("Contact: {title} · {when}", "联系记录：{title} · {when}"),
    "drafts.case_edit": ("Case file: {title} · {when}", "帮扶档案：{title} · {when}"),
    "drafts.score_grid": ("Class scores: {title} · {when}", "班级成绩：{title} · {when}"),
    "drafts.checkin_grid": ("Check-ins: {title} · {when}", "心理测评：{title} · {when}"),
    "drafts.discarded": ("Draft discarded.", "草稿已丢弃。"),
    "drafts.gone": ("That case or entry can no longer be opened; the draft is kept.",
                    "该档案或记录已无法打开；草稿仍保留。"),
    "key.open_draft": ("Open", "打开"),
    "key.discard_draft": ("Discard", "丢弃"),
    "key.later": ("Later", "稍后"),
    "form.queued": ("The database cannot be reached: the entry is kept in this computer's outbox "
                    "and written when the share is back.",
                    "无法访问数据库：该记录已保存在本机待写队列中，共享盘恢复后自动写入。"),
    "form.queued.unknown": ("The connection to the server was lost during the save; it may have been "
                            "written. The entry is kept in this computer's outbox and written once "
                            "when the server is back (never twice).",
                            "保存过程中与服务器的连接断开；该记录可能已写入。它已保存在本机待写队列中，"
                            "服务器恢复后写入一次（不会重复）。"),
    "form.queued.lost": ("The connection to the server was lost during the save, before it was "
                         "written: the entry is kept in this computer's outbox and written when the "
                         "server is back.",
                         "保存过程中与服务器的连接断开，记录尚未写入：它已保存在本机待写队列中，"
                         "服务器恢复后写入。"),
    "form.queued.busy": ("Another computer holds the server's write lock (a stalled save): the entry "
                         "is kept in this computer's outbox and written when the server is free.",
                         "另一台电脑占着服务器的写入锁（保存卡住）：该记录已保存在本机待写队列中，"
                         "服务器空闲后自动写入。"),
    "form.queued.slow": ("The server did not finish the save in time: the entry is kept in this "
                         "computer's outbox and written later.",
                         "服务器未能及时完成保存：该记录已保存在本机待写队列中，稍后自动写入。"),
    "form.queued.disk_full": ("The database server is out of disk space: tell whoever runs it. The "
                              "entry is kept in this computer's outbox and written when the server "
                              "has room again.",
                              "数据库服务器磁盘已满：请告知服务器管理员。该记录已保存在本机待写队列中，"
                              "服务器腾出空间后自动写入。"),
    "form.queued.resources": ("The database server is short of resources (memory or connections): "
                              "tell whoever runs it. The entry is kept in this computer's outbox.",
                              "数据库服务器资源不足（内存或连接数）：请告知服务器管理员。该记录已保存在"
                              "本机待写队列中。"),
    "form.queued.file_busy": ("Another computer kept the database file locked past every retry (about "
                              "30 s): the entry is kept in this computer's outbox and written when the "
                              "lock is free. If this lasts, `bangfu doctor` shows who holds the lock.",
                              "另一台电脑长时间锁定数据库文件（重试约 30 秒仍未释放）：该记录已保存在本机"
                              "待写队列中，锁释放后自动写入。若持续如此，`bangfu doctor` 可显示锁的持有者。"),
    "form.queued.file_disk_full": ("The disk that holds the database is full: tell whoever looks after "
                                   "the share. The entry is kept in this computer's outbox and written "
                                   "when there is room again.",
                                   "存放数据库的磁盘已满：请告知共享盘管理员。该记录已保存在本机待写队列中，"
                                   "有空间后自动写入。"),
    "form.queued.file_permission": ("The database file cannot be written from this computer (permissions, "
                                    "or a read-only share): the entry is kept in this computer's outbox. "
                                    "Ask whoever looks after the share.",
                                    "本机无法写入数据库文件（权限不足或共享盘只读）：该记录已保存在本机待写"
                                    "队列中。请联系共享盘管理员。"),
    "form.queued.file_damaged": ("The database file looks damaged: the entry is kept in this computer's "
                                 "outbox. Run `bangfu check`; after `bangfu recover` it is written.",
                                 "数据库文件似乎已损坏：该记录已保存在本机待写队列中。请运行 `bangfu check`；"
                                 "`bangfu recover` 之后自动写入。"),
    "form.queued_status": ("Kept in the outbox as shown ({n} waiting). Esc closes the form.",
                           "已按所示内容存入待写队列（{n} 条待写入）。按 Esc 关闭表单。"),
    "common.none": ("—", "—"),
    "common.colon": (": ", "："),
    "common.list_sep": (", ", "、"),
    "common.minutes": ("{n} min", "{n} 分钟"),
    # key descriptions (footer and command palette)
    "key.quit": ("Quit", "退出"),
    "key.back": ("Back", "返回"),
    "key.open": ("Open", "打开"),
    "key.sign_in": ("Sign in", "登录"),
    "key.log": ("Log entry", "记录联系"),
    "key.mine": ("Mine/All", "我的/全部"),
    "key.status": ("Status", "状态"),
    "key.search": ("Search", "搜索"),
    "key.edit": ("Edit", "编辑档案"),
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
    "key.remove_lock": ("Remove the lock", "删除锁"),
    "key.keep_lock": ("Keep it", "保留"),
    "palette.placeholder": ("Search for an action…", "搜索操作…"),
    "cmd.quit.help": ("Leave bangfu", "退出帮扶"),
    "cmd.switch_user.help": ("Sign in as someone else", "以其他人身份登录"),
    "cmd.action.help": ("Key: {key}", "按键：{key}"),
    # F1 help, the palette's own commands, [keymap] and theme in config.toml
    "key.help": ("Help", "帮助"),
    "key.help_close": ("Close", "关闭"),
    "key.tab_timeline": ("Timeline tab", "联系记录页"),
    "key.tab_file": ("Case file tab", "档案页"),
    "key.tab_family": ("Student & family tab", "学生与家庭页"),
    "key.tab_plan": ("Plan & team tab", "计划与团队页"),
    "key.tab_progress": ("Progress tab", "进步页"),
    "help.title": ("Keys on this screen (Esc or {key} closes, ↑/↓ PgUp/PgDn scroll)",
                   "本屏幕的按键（Esc 或 {key} 关闭，↑/↓ PgUp/PgDn 滚动）"),
    "help.group.screen": ("This screen", "本屏幕"),
    "help.group.field": ("Where the cursor is", "光标所在处"),
    "help.group.app": ("Everywhere", "任何屏幕"),
    "help.none": ("No keys here.", "此处没有按键。"),
    "help.keymap": ("A key's name in [brackets] can be given another key in config.toml: "
                    "a [keymap] table with lines like save = \"f5\" (see the README).",
                    "方括号中的名称可在 config.toml 中改用其他按键：在 [keymap] 表中写 "
                    "save = \"f5\" 这样的行（见 README）。"),
    "cmd.keys": ("Keys", "按键"),
    "cmd.keys.help": ("Every key of this screen and what it does (F1)", "本屏幕的所有按键及其作用（F1）"),
    "cmd.theme": ("Theme", "配色"),
    "cmd.theme.help": ("Change the colours (theme = \"...\" in config.toml keeps one)",
                       "更换配色（在 config.toml 中写 theme = \"...\" 可固定）"),
    "cmd.maximize": ("Maximize", "最大化"),
    "cmd.maximize.help": ("Show the focused part on the whole screen", "将当前部分铺满屏幕"),
    "cmd.minimize": ("Minimize", "还原"),
    "cmd.minimize.help": ("Back to the normal layout", "恢复正常布局"),
    "cmd.screenshot": ("Screenshot", "截图"),
    "cmd.screenshot.help": ("Save an SVG picture of this screen", "将本屏幕保存为 SVG 图片"),
    "keymap.title": ("config.toml: [keymap]", "config.toml：[keymap]"),
    "keymap.not_table": ("keymap must be a table: a line [keymap], then lines like "
                         "save = \"f5\". Ignored.",
                         "keymap 必须是一个表：先写一行 [keymap]，再写 save = \"f5\" 这样的行。已忽略。"),
    "keymap.not_text": ("{id}: write the key in quotes, like {id} = \"f5\". Ignored.",
                        "{id}：按键须写在引号中，如 {id} = \"f5\"。已忽略。"),
    "keymap.bad_key": ("{id} = \"{keys}\": \"{key}\" is not a key (write e.g. f5, ctrl+o, "
                       "escape or a letter; several with commas). Ignored.",
                       "{id} = \"{keys}\"：“{key}”不是按键（可写 f5、ctrl+o、escape 或一个字母；"
                       "多个用逗号分隔）。已忽略。"),
    "keymap.unknown": ("{id}: no key of bangfu has this name (F1 shows each key's name in "
                       "[brackets]). Ignored.",
                       "{id}：帮扶没有这个名称的按键（按 F1 可看到每个按键方括号中的名称）。已忽略。"),
    "keymap.unknown_near": ("{id}: no key of bangfu has this name; did you mean {near}? "
                            "(F1 shows each key's name in [brackets].) Ignored.",
                            "{id}：帮扶没有这个名称的按键；是否指 {near}？"
                            "（按 F1 可看到每个按键方括号中的名称。）已忽略。"),
    "keymap.text_field": ("{id}: {key} edits the text in a text field, so it would not "
                          "reach this key there; choose another key. Ignored.",
                          "{id}：{key} 在输入框中用于编辑文字，在那里无法触发此操作；请换一个按键。已忽略。"),
    "keymap.alt": ("{id}: {key}: a terminal sends Alt with a key as Esc then the key, and bangfu "
                   "reads it so (Esc goes back); choose a key without alt. Ignored.",
                   "{id}：{key}：终端把 Alt 加某键发送为 Esc 再加该键，bangfu 也按此读取"
                   "（Esc 返回）；请选一个不带 alt 的键。已忽略。"),
    "keymap.clash": ("{id}: {key} already does \"{other}\" on the same screen; choose "
                     "another key. Ignored.",
                     "{id}：{key} 在同一屏幕上已用于“{other}”；请换一个按键。已忽略。"),
    "theme.unknown": ("config.toml: theme = \"{theme}\" does not exist (themes: {names}; "
                      "ctrl+p → Theme shows them all). The default colours are used.",
                      "config.toml：配色 theme = \"{theme}\" 不存在（可选：{names}；"
                      "ctrl+p → 配色 可看到全部）。已使用默认配色。"),
}
