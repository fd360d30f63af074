"""The one catalog of interface text, in English and Chinese.

Every string the interface shows comes from here: ``t("key", name=...)``.
A count in English names its noun in both forms, ``{n:day|days}``: the number
and the form that fits it ("1 day", "2 days"; ``fill``); Chinese needs none.
Vocabulary codes from ``db.vocab`` are labelled with ``label("status", code)``.
This module imports nothing heavy: the CLI uses it too.
"""

from __future__ import annotations

import string

LANGS = ("en", "zh")
_lang = "en"

CATALOG: dict[str, tuple[str, str]] = {
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
    # sign in
    "signin.title": ("Who are you?", "请选择您的姓名"),
    "signin.hint": ("Type part of your name or its pinyin, then Enter.",
                    "输入姓名或拼音的一部分，然后按回车。"),
    "signin.placeholder": ("name or pinyin", "姓名或拼音"),
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
    "amend.title": ("Amend an entry", "修改记录"),
    "amend.pick": ("Which entry? (newest first)", "修改哪一条记录？（最新的在前）"),
    "amend.saved": ("Entry amended; the audit log keeps what it said before.",
                    "记录已修改；审计日志保留修改前的内容。"),
    "amend.gone": ("That entry no longer exists; nothing was saved.", "该记录已不存在；未保存。"),
    "amend.conflict": ("{who} amended this entry at {at} after you opened it. Nothing was saved. "
                       "Press ctrl+r to load their version with your edits kept, then check and save again.",
                       "您打开后，{who} 于 {at} 修改了这条记录。您的修改尚未保存。"
                       "按 ctrl+r 载入对方的版本（保留您的修改），检查后再保存。"),
    "amend.reloading": ("Loading the latest version…", "正在载入最新版本…"),
    "amend.reload_failed": ("Could not load the latest version. Your text is kept; try ctrl+r again.",
                            "无法载入最新版本。内容已保留，请再按 ctrl+r。"),
    "key.amend": ("Amend", "修改记录"),
    "key.amend_pick": ("Amend", "修改"),
    "drafts.amend": ("Amendment: {title} · {when}", "记录修改：{title} · {when}"),
    "goal.title": ("Plan: goals", "帮扶计划：目标"),
    "goal.info": ("{name}: {n:goal|goals} · a add · s next status", "{name}：{n} 个目标 · a 添加 · s 更改状态"),
    "goal.horizon": ("Term", "期限"),
    "goal.text": ("Goal", "目标"),
    "goal.measure": ("Measured by", "衡量方式"),
    "goal.due": ("Due", "截止日期"),
    "goal.col.horizon": ("Term", "期限"),
    "goal.col.status": ("Status", "状态"),
    "goal.col.due": ("Due", "截止"),
    "goal.col.text": ("Goal · measured by", "目标 · 衡量方式"),
    "err.goal.required": ("Write the goal.", "请填写目标。"),
    "err.goal.too_long": ("Too long (at most 500 characters).", "内容过长（最多 500 字）。"),
    "key.goals": ("Goals", "目标"),
    "key.goal_add": ("Add", "添加"),
    "key.goal_status": ("Status", "状态"),
    "team.title": ("Team", "帮扶团队"),
    "team.info": ("{name}: {n} on the team · a add staff · p pair a student · r role · x remove",
                  "{name}：团队 {n} 人 · a 添加教师 · p 结对学生 · r 更改角色 · x 移除"),
    "team.add_placeholder": ("add: type a staff name or pinyin, Enter, then the role by letter",
                             "添加：输入教职工姓名或拼音，按 Enter，再按字母选角色"),
    "team.role_for": ("Role for {name}:", "{name} 的角色："),
    "key.team_role_pick": ("Take this role", "选定角色"),
    "team.col.name": ("Name", "姓名"),
    "team.col.role": ("Role", "角色"),
    "team.col.since": ("Since", "加入日期"),
    "team.error.last_lead": ("A case needs a lead: make someone else lead first.",
                             "个案需要一名负责人：请先指定其他负责人。"),
    "team.error.role": ("Unknown role.", "未知角色。"),
    "team.error.case": ("This case no longer exists.", "该档案已不存在。"),
    "key.team": ("Team", "团队"),
    "key.team_add": ("Add", "添加"),
    "key.team_role": ("Role", "角色"),
    "key.team_remove": ("Remove", "移除"),
    "caseload.new": ("new to you: {names}", "新分配给您：{names}"),
    "review.title": ("Term-start review", "学期初复核"),
    "review.info": ("{term}: {n:of my cases is|of my cases are} from an earlier term · k keep · c close · "
                    "t transformed", "{term}：我有 {n} 个个案属于以前的学期 · k 保留 · c 结案 · t 已转化"),
    "review.all_done": ("{term}: every case reviewed ({n} in this pass).",
                        "{term}：所有个案均已复核（本次 {n} 个）。"),
    "review.no_term": ("No term covers today: add one with `bangfu term add`.",
                       "没有学期包含今天：请用 `bangfu term add` 添加。"),
    "review.col.student": ("Student", "学生"),
    "review.col.class": ("Class", "班级"),
    "review.col.status": ("Status", "状态"),
    "review.col.term": ("From term", "原学期"),
    "review.done.keep": ("{name}: carried into this term.", "{name}：已转入本学期。"),
    "review.done.close": ("{name}: case closed.", "{name}：已结案。"),
    "review.done.transformed": ("{name}: marked transformed.", "{name}：已标记为已转化。"),
    "review.conflict": ("{name}'s case was changed by someone else meanwhile; look again.",
                        "{name} 的档案刚被他人修改，请重新查看。"),
    "caseload.review": ("{n} to review for the new term (F4)", "{n} 个待学期初复核（F4）"),
    "key.review": ("Term review", "学期复核"),
    "key.review_keep": ("Keep", "保留"),
    "key.review_close": ("Close", "结案"),
    "key.review_transformed": ("Transformed", "已转化"),
    "meeting.title": ("Meeting: one entry for several students", "会议模式：一次记录多名学生"),
    "meeting.none": ("No students yet: Enter adds the highlighted one, ctrl+a every match "
                     "(type a class code for a whole class).",
                     "尚未选择学生：Enter 添加高亮的学生，ctrl+a 添加全部匹配（输入班级代码可添加整个班）。"),
    "meeting.chosen": ("{n:student|students}: {names}", "{n}名学生：{names}"),
    "meeting.case_gone": ("One of these students' cases no longer exists; nothing was saved.",
                          "其中一名学生的帮扶档案已不存在；未保存任何记录。"),
    "meeting.saved": ("Saved {n:entry|entries}, one for each student.", "已为 {n} 名学生各保存一条记录。"),
    "err.meeting.students": ("Add at least one student with a case.", "请至少添加一名有帮扶档案的学生。"),
    "key.add_all": ("Add all", "全部添加"),
    "key.remove_last": ("Remove last", "移除最后一名"),
    "key.meeting": ("Meeting", "会议"),
    "drafts.meeting": ("Meeting: {title} · {when}", "会议记录：{title} · {when}"),
    # stage reviews (阶段评估) and peer helpers (生帮生)
    "drafts.stage_review": ("Stage review: {title} · {when}", "阶段评估：{title} · {when}"),
    "key.stage_review": ("Review", "评估"),
    "key.peer_add": ("Peer", "结对"),
    # progress (issue 5): scores, check-ins, the progress tab
    "err.score.exam_required": ("Name the exam (期中考试, October test …).", "请填写考试名称（如期中考试、十月月考）。"),
    "err.score.future": ("The exam cannot be in the future.", "考试日期不能晚于今天。"),
    "err.score.full_marks": ("Full marks: a number above 0, at most 1000.", "满分：大于 0、不超过 1000 的数字。"),
    "err.score.number": ("A score is a number such as 87 or 87.5 (blank: no score).",
                         "分数应为数字，如 87 或 87.5（留空表示无成绩）。"),
    "err.score.above_full": ("Above full marks.", "超过满分。"),
    "err.score.exam_long": ("At most 40 characters.", "最多 40 个字。"),
    "err.checkin.note_long": ("A note has at most 500 characters.", "备注最多 500 字。"),
    "err.names_required": ("Give at least one name, separated by commas.", "请至少填写一个名称，用逗号分隔。"),
    "err.names_too_many": ("Too many names.", "名称过多。"),
    "err.name_too_long": ("A name has at most 20 characters.", "每个名称最多 20 个字。"),
    "err.checkin.rating": ("A rating from 1 to 5 (blank: not rated).", "评分为 1 到 5（留空表示未评）。"),
    "err.checkin.note_only": ("Rate at least one dimension, or clear the note.", "请至少评一项，或清空备注。"),
    "key.scores": ("Class scores", "录入成绩"),
    "key.checkins": ("Check-ins", "心理测评"),
    "key.grid_next": ("Next", "下一个"),
    "key.grid_clear": ("Clear", "清空"),
    "key.summary": ("Summary", "摘要"),
    # copying out (OSC 52: the clipboard of the terminal the person sits at, over SSH too)
    "key.copy": ("Copy", "复制"),
    "key.copy_phone": ("Copy phone", "复制电话"),
    "copy.done": ("Copied: {text}", "已复制：{text}"),
    "copy.pick": ("Copy which entry? Enter copies it to your clipboard.",
                  "复制哪条记录？按 Enter 复制到剪贴板。"),
    "copy.no_entries": ("No entries to copy yet.", "还没有可复制的记录。"),
    "copy.no_phone": ("No phone number for this family: nothing copied.",
                      "这个家庭没有电话号码：未复制。"),
    "copy.phone_hidden": ("The family's phone numbers are not shown to you: nothing copied.",
                          "您看不到这个家庭的电话号码：未复制。"),
    "copy.nothing": ("Nothing to copy here: y copies a timeline entry (tab 1) or the family's "
                     "phone (tab 3).",
                     "这里没有可复制的内容：y 复制一条联系记录（第 1 页）或家庭电话（第 3 页）。"),
    "app.too_small": ("The window is too small: at least {width}×{height} is needed; it is "
                      "{now_width}×{now_height} now. Make the window larger or the font smaller.",
                      "窗口太小：至少需要 {width}×{height}，现在是 {now_width}×{now_height}。"
                      "请把窗口放大或把字体调小。"),
    "grid.title.scores": ("Class scores", "班级成绩录入"),
    "grid.title.checkins": ("Check-ins", "心理测评录入"),
    "grid.info.scores": ("Which class and exam? Enter brings up the class list.",
                         "哪个班、哪次考试？按 Enter 列出全班。"),
    "grid.info.checkins": ("Which class and day? Enter lists its supported students.",
                           "哪个班、哪天？按 Enter 列出该班帮扶学生。"),
    "grid.class": ("Class", "班级"),
    "grid.class_placeholder": ("7-3 or 七年级(3)班", "7-3 或 七年级(3)班"),
    "grid.date": ("Date", "日期"),
    "grid.exam": ("Exam", "考试"),
    "grid.exam_placeholder": ("期中考试, October test …", "期中考试、十月月考……"),
    "grid.exam_last": ("last: {exam}", "上次：{exam}"),
    "grid.full": ("Full marks", "满分"),
    "grid.subjects": ("Subjects", "科目"),
    "grid.note": ("Note", "备注"),
    "grid.col.number": ("Number", "学号"),
    "grid.col.name": ("Name", "姓名"),
    "grid.loaded.scores": ("{klass}: {n:student|students}, {stored} with scores stored for {date}. "
                           "● open case. Enter goes down.",
                           "{klass}：{n} 名学生，{stored} 人已有 {date} 的成绩。● 为帮扶学生。Enter 下移。"),
    "grid.loaded.checkins": ("{klass}: {n:supported student|supported students}, {stored} checked in on {date}. "
                             "Ratings 1 (low) to 5 (good).",
                             "{klass}：{n} 名帮扶学生，{stored} 人已有 {date} 的测评。评分 1（差）到 5（好）。"),
    "err.grid.class": ("No such class: type its code (7-3) or its name.", "没有这个班：请输入班级代码（7-3）或名称。"),
    "err.grid.empty_scores": ("This class has no students yet.", "该班还没有学生。"),
    "err.grid.empty_checkins": ("This class has no student with an open case.", "该班没有正在帮扶的学生。"),
    "grid.reload_first": ("The header changed since the class was listed: press Enter in it to list "
                          "the class for it first.", "上方信息已更改：请先在上方按 Enter 重新载入。"),
    "grid.saving": ("Saving…", "正在保存…"),
    "grid.invalid": ("Cells to correct (in red): {n}. Nothing was saved.",
                     "{n} 个单元格需要更正（红色）；未保存任何内容。"),
    "grid.not_saved": ("Not saved: the database could not be written. Every cell is kept; "
                       "ctrl+s tries again.", "未保存：无法写入数据库。所有内容都还在，按 ctrl+s 重试。"),
    "grid.saved": ("Saved: {added} added, {changed} corrected, {removed} removed.",
                   "已保存：新增 {added}，更正 {changed}，删除 {removed}。"),
    "case.tab.progress": ("Progress", "进步"),
    "progress.loading": ("Reading the scores…", "正在读取成绩…"),
    "progress.scores": ("Scores, {term} ({start} – {end})", "成绩：{term}（{start} 至 {end}）"),
    "progress.average": ("Average {first}% → {latest}% of full marks: {change}",
                         "平均得分率 {first}% → {latest}%：{change}"),
    "progress.improved": ("rose by {n}% or more", "提高 {n}% 以上"),
    "progress.not_improved": ("rose by less than {n}%", "提高不足 {n}%"),
    "progress.not_measurable": ("Not measurable yet: no subject has two scores this term.",
                                "尚无法衡量：本学期没有科目有两次成绩。"),
    "progress.no_scores": ("No scores this term.", "本学期没有成绩。"),
    "progress.once": ("one score so far", "目前只有一次成绩"),
    "progress.latest_n": ("the latest {n}", "最近 {n} 次"),
    "progress.checkins": ("Check-ins", "心理测评"),
    "progress.no_checkins": ("No check-ins this term.", "本学期没有心理测评。"),
    "progress.of5": ("(of 5)", "（满分 5）"),
    "summary.writing": ("Writing the case summary…", "正在生成档案摘要…"),
    "summary.written": ("Case summary written: {path}", "档案摘要已保存：{path}"),
    "summary.failed": ("The case summary could not be written ({detail}).", "无法保存档案摘要（{detail}）。"),
    "key.report": ("Reports", "报表"),
    "key.report_kind": ("Week/Term", "周报/学期"),
    "key.report_earlier": ("Earlier", "上一期"),
    "key.report_later": ("Later", "下一期"),
    "key.export_xlsx": ("Excel", "导出Excel"),
    "key.export_csv": ("CSV", "导出CSV"),
    "key.export_md": ("Markdown", "导出MD"),
    "rscreen.title": ("Reports", "报表"),
    "rscreen.limited": ("Only the students you may open are counted (your classes and cases).",
                        "仅统计您可查看的学生（您的班级与负责的个案）。"),
    "rscreen.period": ("{period} · figures as of {as_of} · term {term}",
                       "{period} · 数据截至 {as_of} · 学期 {term}"),
    "rscreen.line.cases": ("Cases this term: {n} ({statuses}); {opened} opened in the period",
                           "本学期个案 {n} 个（{statuses}）；本期新增 {opened} 个"),
    "rscreen.line.entries": ("Entries: {n} ({kinds}), for {cases:case|cases}",
                             "帮扶记录 {n} 条（{kinds}），涉及 {cases} 个个案"),
    "rscreen.line.compliance": ("On time, of {n:open case|open cases}: {rules}", "按时落实（在帮 {n} 个）：{rules}"),
    "rscreen.line.overdue": ("Overdue: {n:item|items} in {cases:case|cases}", "逾期：{cases} 个个案共 {n} 项"),
    "rscreen.line.progress": ("Scores up 10% or more: {share} ({improved} of {measurable} measurable; "
                              "target {target}); {unmeasured} not measurable yet",
                              "成绩提高 10% 以上：{share}（可比较 {measurable} 人中 {improved} 人；目标 {target}）；"
                              "{unmeasured} 人尚无法比较"),
    "rscreen.col.cases": ("Cases", "个案"),
    "rscreen.col.overdue": ("Overdue", "逾期个案"),
    "rscreen.most_overdue": ("Most overdue", "逾期最久"),
    "rscreen.days_late": ("{n:day|days} late", "逾期 {n} 天"),
    "rscreen.counting": ("Counting…", "正在统计…"),
    "rscreen.keys_hint": ("x Excel, c CSV, m Markdown write the whole report; k week or term; ← → earlier or later",
                          "x Excel、c CSV、m Markdown 导出完整报表；k 切换周报/学期；← → 上一期/下一期"),
    "rscreen.file_weekly": ("weekly-report", "帮扶周报"),
    "rscreen.file_term": ("term-summary", "学期总结"),
    "rscreen.writing": ("Writing {path}…", "正在写入 {path}…"),
    "rscreen.written": ("Report written: {path}", "报表已保存：{path}"),
    "rscreen.write_failed": ("The report could not be written ({detail}).", "无法保存报表（{detail}）。"),
    "stage.title": ("Stage review", "阶段评估"),
    "stage.info": ("{name}: summary, goals as judged now, next stage's goals",
                    "{name}：阶段总结、目标达成情况、下阶段目标"),
    "stage.date": ("Date", "评估日期"),
    "stage.summary": ("Summary", "阶段总结"),
    "stage.goals": ("Goals", "目标"),
    "stage.goals_hint": ("Goals as judged now (s on the list: next status)",
                          "目标达成情况（在列表上按 s 更改状态）"),
    "stage.goals_take_no_text": ("The goals list takes no text: s moves the highlighted goal's status on. "
                                 "Tab goes on to the next stage's goals, shift+Tab back to the summary.",
                                 "目标列表不能输入文字：按 s 更改所选目标的状态。"
                                 "Tab 到下阶段目标，shift+Tab 回到小结。"),
    "stage.next_goals": ("Next stage's goals", "下阶段目标"),
    "stage.next_goal": ("Goal {n}", "目标 {n}"),
    "stage.next_review": ("Next review", "下次评估"),
    "stage.due_placeholder": ("e.g. 12-20", "如 12-20"),
    "stage.next_placeholder": ("blank: {date}", "留空则为 {date}"),
    "stage.saved": ("Stage review saved.", "阶段评估已保存。"),
    "err.review.future": ("A review cannot be dated in the future.", "评估日期不能晚于今天。"),
    "err.review.summary_required": ("Write a short summary.", "请填写阶段总结。"),
    "err.review.next_before": ("Must be after the review date.", "须晚于本次评估日期。"),
    "case.reviews": ("Stage reviews", "阶段评估"),
    "case.no_reviews": ("No stage review yet.", "尚无阶段评估。"),
    "case.review_next": ("next review {date}", "下次评估 {date}"),
    "case.review_new_goals": ("Next stage", "下阶段目标"),
    "case.reviews_more": ("{n:earlier review|earlier reviews} not shown.", "另有 {n} 次较早的评估未显示。"),
    "due.review": ("Stage review", "阶段评估"),
    "team.peer": ("peer helper", "生帮生"),
    "team.peer_placeholder": ("pair a student: type a name, pinyin or class, Enter",
                              "结对学生：输入姓名、拼音或班级，按 Enter"),
    "team.error.self": ("A student cannot be their own peer helper.", "学生不能与自己结对。"),
    "team.error.student": ("That student is no longer on the roster.", "该学生已不在名册中。"),
    "overview.title": ("Leaders' overview", "帮扶工作总览"),
    "overview.title_limited": ("Overview of the students you may open",
                               "帮扶工作总览（仅含您可查看的学生）"),
    "overview.loading": ("Counting…", "正在统计…"),
    "overview.info": ("{period} · by {grouping} · {cases:case|cases}, {overdue} overdue",
                      "{period} · 按{grouping} · {cases} 个个案，{overdue} 个逾期"),
    "overview.group_info": ("{name} · {cases:case|cases}, {overdue} overdue · esc back",
                            "{name} · {cases} 个个案，{overdue} 个逾期 · esc 返回"),
    "overview.rule.help": ("Help", "辅导"),
    "overview.rule.family": ("Family", "家校"),
    "overview.rule.home_visit": ("Home visit", "家访"),
    "overview.period.week": ("This week (since {since})", "本周（{since} 起）"),
    "overview.period.month": ("This month (since {since})", "本月（{since} 起）"),
    "overview.period.term": ("This term (since {since})", "本学期（{since} 起）"),
    "overview.by.class": ("class", "班级"),
    "overview.by.staff": ("staff member", "教职工"),
    "overview.col.class": ("Class", "班级"),
    "overview.col.staff": ("Staff", "教职工"),
    "overview.col.cases": ("Cases", "个案"),
    "overview.col.overdue": ("Overdue", "逾期"),
    "overview.col.student": ("Student", "学生"),
    "overview.col.worst": ("Worst", "最久"),
    "overview.col.items": ("Overdue", "逾期事项"),
    "overview.all": ("All", "全部"),
    "overview.ok": ("on track", "正常"),
    "key.overview": ("Overview", "总览"),
    "key.drill": ("Open", "打开"),
    "key.period": ("Period", "周/月/学期"),
    "key.grouping": ("Class/Staff", "班级/教职工"),
    "caseload.summary": ("My caseload · {cases:case|cases} · {late} overdue · {soon} due in 7 days",
                         "我的帮扶任务 · {cases} 个个案 · {late} 项逾期 · {soon} 项7天内到期"),
    "caseload.none": ("My caseload · {cases:case|cases} · nothing due in the next 7 days",
                      "我的帮扶任务 · {cases} 个个案 · 7天内没有到期事项"),
    "caseload.loading": ("My caseload · loading…", "我的帮扶任务 · 正在加载…"),
    "caseload.col.when": ("When", "时间"),
    "caseload.col.name": ("Student", "学生"),
    "caseload.col.class": ("Class", "班级"),
    "caseload.col.what": ("Due", "事项"),
    "caseload.col.detail": ("Last / note", "上次 / 说明"),
    "caseload.late": ("{n} d late", "逾期{n}天"),
    "caseload.today": ("today", "今天"),
    "caseload.in": ("in {n} d", "{n}天后"),
    "caseload.never": ("never", "从未"),
    "caseload.last": ("last {date}", "上次 {date}"),
    "caseload.done": ("Follow-up marked done.", "跟进已标记完成。"),
    "caseload.not_follow_up": ("Only a follow-up can be marked done; log an entry with n.",
                               "只有跟进事项可以标记完成；其他事项请按 n 记录。"),
    "caseload.gone": ("That follow-up was already done or deleted.", "该跟进已完成或已删除。"),
    "due.help": ("Help session", "个别辅导"),
    "due.family": ("Family contact", "家校联系"),
    "due.home_visit": ("Home visit", "家访"),
    "due.follow_up": ("Follow-up", "跟进"),
    "due.goal": ("Goal", "目标"),
    "key.log_due": ("Log it", "记录"),
    "key.follow_up_done": ("Done", "完成"),
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
    "cli.help.students": ("how many students", "学生人数"),
    "cli.help.seed": ("random seed (same seed, same school)", "随机种子（种子相同，学校相同）"),
    # why a read or write failed (db.failures), said in place of an error's name
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
    # the school's rules: screens/rules.py (u in the overview) and `bangfu rules`
    "rules.title": ("Rules", "帮扶规则"),
    "rules.info": ("{n:rule|rules} for every open case · My caseload and the overview follow them",
                   "{n} 条规则适用于所有在帮个案 · 我的帮扶任务和总览据此计算"),
    "rules.loading": ("Reading the rules…", "正在读取规则…"),
    "rules.col.rule": ("Rule", "规则"),
    "rules.col.counts": ("Entries that count", "计入的记录"),
    "rules.col.often": ("How often", "频次"),
    "rules.col.code": ("Code", "代码"),
    "rules.name.family": ("Family contact", "家校联系"),
    "rules.name.student": ("Student contact", "学生帮扶"),
    "rules.name.colleague": ("Colleague talk", "同事沟通"),
    "rules.name.any": ("Any entry", "任何记录"),
    "rules.counts.family": ("family entries", "家长类记录"),
    "rules.counts.student": ("student entries", "学生类记录"),
    "rules.counts.colleague": ("colleague entries", "同事类记录"),
    "rules.counts.any": ("any kind", "任何类型"),
    "rules.any_channel": ("any channel", "任何方式"),
    "rules.counts": ("{kind} · {channel}", "{kind} · {channel}"),
    "rules.every": ("every {n:day|days}", "每 {n} 天一次"),
    "rules.per_term": ("once a term", "每学期一次"),
    "rules.review": ("Stage review", "阶段评估"),
    "rules.review_counts": ("a review of the case's plan", "帮扶计划阶段评估"),
    "rules.kind": ("Kind", "类型"),
    "rules.channel": ("Channel", "方式"),
    "rules.interval": ("How often", "频次"),
    "rules.interval.placeholder": ("days (e.g. 14), or t for once a term", "天数（如 14），或 t 表示每学期一次"),
    "rules.days.placeholder": ("days, e.g. 30", "天数，如 30"),
    "rules.editing": ("{rule}: how often? Enter saves, esc cancels.", "{rule}：多久一次？Enter 保存，Esc 取消。"),
    "rules.adding": ("A new rule: which entries count and how often. Enter or ctrl+s saves.",
                     "新规则：计入哪些记录、多久一次。Enter 或 ctrl+s 保存。"),
    "rules.remove_ask": ("Remove the rule \u201c{rule}\u201d? Cases are no longer asked for it.",
                         "删除规则\u201c{rule}\u201d？个案将不再按此要求。"),
    "rules.reset_ask": ("Restore the rules and the review interval of the school plans? "
                        "The school's own rules and changes go.",
                        "恢复学校方案中的规则和阶段评估间隔？本校自定的规则和修改将被删除。"),
    "rules.saved": ("Rules saved: the due lists follow them now.", "规则已保存：待办清单即按新规则计算。"),
    "rules.removed": ("Rule removed.", "规则已删除。"),
    "rules.reset_done": ("The school plans' rules are back.", "已恢复学校方案中的规则。"),
    "rules.unchanged": ("Nothing changed.", "没有改动。"),
    "key.rules": ("Rules", "规则"),
    "key.rule_edit": ("Change", "修改"),
    "key.rule_add": ("Add", "添加"),
    "key.rule_remove": ("Remove", "删除"),
    "key.rules_reset": ("Defaults", "恢复默认"),
    "key.rule_yes": ("Yes", "是"),
    "key.rule_no": ("No", "否"),
    "err.rule.code": ("A rule's code is 1 to 40 lower-case letters, digits or _.",
                      "规则代码应为 1 到 40 个小写字母、数字或下划线。"),
    "err.rule.reserved": ("follow_up, goal and review are taken by the due list; choose another code.",
                          "follow_up、goal 和 review 已被待办清单使用，请换一个代码。"),
    "err.rule.duplicate": ("A rule with that code exists already.", "已有使用该代码的规则。"),
    "err.rule.kind": ("Kind must be family, student or colleague.", "类型应为 family、student 或 colleague。"),
    "err.rule.channel": ("Unknown channel: phone, wechat, sms, face, home_visit, parent_meeting, "
                         "group_chat or other.",
                         "未知方式：应为 phone、wechat、sms、face、home_visit、parent_meeting、"
                         "group_chat 或 other。"),
    "err.rule.what": ("Say which entries count: a kind, a channel or both.", "请说明计入哪些记录：类型、方式或两者。"),
    "err.rule.interval": ("Give a number of days (1 to 366), or t for once a term.",
                          "请填写天数（1 到 366），或 t 表示每学期一次。"),
    "err.rule.days": ("Days must be a whole number from 1 to 366.", "天数应为 1 到 366 的整数。"),
    "err.rule.unknown": ("No rule has that code (bangfu rules lists them).", "没有该代码的规则（bangfu rules 可列出全部）。"),
    "cli.help.rules": ("show or change the school's rules: how often each open case needs an entry",
                       "查看或修改本校帮扶规则：每个在帮个案多久需要一次记录"),
    "cli.help.rules_action": ("list (default), set, add, remove, reset or review-days",
                              "list（默认）、set、add、remove、reset 或 review-days"),
    "cli.help.rule_code": ("the rule's code (review-days: the number of days)", "规则代码（review-days：天数）"),
    "cli.help.every": ("at least every N days", "至少每 N 天一次"),
    # case summary (issue 5)
    "summary.info": ("Class: {class_name} · Student no. {number} · Status: {status} · Risk: {risk} · "
                     "Lead: {lead} · Term: {term} · Printed {date}",
                     "班级：{class_name} · 学号 {number} · 状态：{status} · 风险：{risk} · "
                     "负责人：{lead} · 学期：{term} · 打印日期 {date}"),
    "summary.none": ("none", "无"),
    "summary.gender": ("Gender", "性别"),
    "summary.family_notes": ("Family notes", "家庭情况说明"),
    "summary.plan": ("Plan", "帮扶计划"),
    "summary.col.horizon": ("Horizon", "长短期"),
    "summary.col.goal": ("Goal", "目标"),
    "summary.col.due": ("Due", "期限"),
    "summary.col.status": ("Status", "状态"),
    "summary.col.measure": ("Measure", "措施"),
    "summary.col.date": ("Date", "日期"),
    "summary.col.exam": ("Exam", "考试"),
    "summary.col.score": ("Score", "分数"),
    "summary.col.share": ("% of full marks", "得分率"),
    "summary.col.note": ("Note", "备注"),
    "summary.focus": ("focus", "结对重点"),
    "summary.reviews": ("Latest stage reviews", "最近的阶段评估"),
    "summary.judged": ("Goals as judged", "目标达成情况"),
    "summary.contacts": ("Contacts this term ({start} – {end})", "本学期联系记录（{start} – {end}）"),
    "summary.discussed": ("Discussed", "沟通内容"),
    "summary.progress": ("Progress", "进步情况"),
    "summary.scores": ("Scores", "成绩"),
    "summary.subject_change": ("{subject} · change {change}", "{subject} · 变化 {change}"),
    "summary.subject_once": ("{subject} · one score only: no change measured",
                             "{subject} · 仅一次成绩：无法计算变化"),
    "summary.from_zero": ("up from 0", "从 0 分提高"),
    "summary.overall": ("Overall: first average {first}, latest average {latest}, change {change}: "
                        "{verdict}.",
                        "总体：首次平均 {first}，最近平均 {latest}，变化 {change}：{verdict}。"),
    "summary.reaches": ("reaches the {target} rise", "达到提高 {target} 的目标"),
    "summary.not_reached": ("below the {target} rise", "未达到提高 {target} 的目标"),
    "summary.not_measurable": ("Overall: not measurable (one assessment only: no subject scored "
                               "twice this term).",
                               "总体：无法衡量（仅一次测评：本学期没有科目有两次成绩）。"),
    "summary.checkins": ("Check-ins", "心理状态评估"),
    "cli.help.format": ("text (default) or md: a printable case summary in Markdown",
                        "text（默认）或 md：可打印的 Markdown 个案摘要"),
    "cli.help.output": ("write the md summary to this file (a folder: a default name in it)",
                        "将 md 摘要写入此文件（若为文件夹，则以默认文件名写入其中）"),
    "cli.summary_written": ("Case summary written: {path}", "个案摘要已写入：{path}"),
    "cli.summary_failed": ("Cannot write {path}: {detail}", "无法写入 {path}：{detail}"),
    "cli.summary_text_output": ("-o writes the md summary only: use --format md",
                                "-o 只用于写入 md 摘要：请加 --format md"),
    "cli.help.per_term": ("at least once a term", "每学期至少一次"),
    "cli.help.rule_kind": ("entries of this kind count: family, student or colleague",
                           "计入此类型的记录：family、student 或 colleague"),
    "cli.help.rule_channel": ("only entries on this channel count", "只计入此方式的记录"),
    "cli.rules.need_code": ("Say which rule: bangfu rules {action} CODE.", "请指明规则：bangfu rules {action} 代码。"),
    "cli.rules.interval": ("Give --every N (days, 1 to 366) or --per-term: one of them.",
                           "请给出 --every N（1 到 366 天）或 --per-term，二者选一。"),
    "cli.rules.saved": ("Rules saved.", "规则已保存。"),
    "cli.rules.unchanged": ("Nothing changed: the rules were so already.", "没有改动：规则本来如此。"),
    # reports (issue 5)
    "report.title.weekly": ("Weekly report {week}", "帮扶工作周报 {week}"),
    "report.title.term": ("Term summary: {term}", "学期帮扶工作总结：{term}"),
    "report.period": ("{start} – {end}", "{start} 至 {end}"),
    "report.period_line": ("Period {period} · figures as of {as_of} · term {term} · generated {generated}",
                           "统计期间 {period} · 数据截至 {as_of} · 学期 {term} · 生成于 {generated}"),
    "report.field.report": ("Report", "报告"),
    "report.field.period": ("Period", "统计期间"),
    "report.field.as_of": ("Figures as of", "数据截至"),
    "report.field.term": ("Term", "学期"),
    "report.field.generated": ("Generated", "生成时间"),
    "report.field.scope": ("Students counted", "统计范围"),
    "report.scope_limited": ("only those the person who made this report may open "
                             "(their classes and cases)",
                             "仅限生成本报表者可查看的学生（其班级与负责的个案）"),
    "report.sheet.summary": ("Summary", "概要"),
    "report.sheet.cases": ("Cases", "帮扶个案"),
    "report.sheet.entries": ("Entries", "帮扶记录"),
    "report.sheet.compliance": ("Compliance", "频次落实"),
    "report.sheet.overdue": ("Overdue", "逾期事项"),
    "report.sheet.progress": ("Progress", "阶段成效"),
    "report.section.cases": ("Cases by status and class", "帮扶个案（按状态、班级）"),
    "report.section.entries": ("Entries by kind and channel", "帮扶记录（按对象、方式）"),
    "report.section.compliance": ("Rule compliance (as of {date})", "频次要求落实情况（截至 {date}）"),
    "report.section.overdue": ("Overdue (as of {date})", "逾期事项（截至 {date}）"),
    "report.section.progress": ("Progress: scores up {n}% (target {target}% of students)",
                                "阶段成效：成绩提高 {n}%（目标为 {target}% 的学生）"),
    "report.col.item": ("Item", "项目"),
    "report.col.value": ("Value", "内容"),
    "report.col.class": ("Class", "班级"),
    "report.col.total": ("Total", "合计"),
    "report.col.kind": ("With", "对象"),
    "report.col.open_cases": ("Open cases", "在帮个案"),
    "report.col.on_time": ("{rule}: on time", "{rule}：按时"),
    "report.col.share": ("{rule}: share", "{rule}：落实率"),
    "report.col.student": ("Student", "学生"),
    "report.col.number": ("Number", "学号"),
    "report.col.item_due": ("Item", "事项"),
    "report.col.due": ("Due date", "到期日"),
    "report.col.days": ("Days overdue", "逾期天数"),
    "report.col.lead": ("Lead", "负责人"),
    "report.col.students": ("Supported students", "帮扶学生"),
    "report.col.measurable": ("Measurable", "可比较"),
    "report.col.unmeasured": ("Not measurable", "无法比较"),
    "report.col.improved": ("Up {n}% or more", "提高 {n}% 以上"),
    "report.col.improved_share": ("Share improved", "提高比例"),
    "report.col.meets": ("Meets target", "达到目标"),
    "report.col.mean_change": ("Mean change", "平均变化"),
    "report.total": ("Total", "合计"),
    "report.yes": ("yes", "是"),
    "report.no": ("no", "否"),
    "report.empty": ("Nothing to list.", "无。"),
    "report.note.opened": ("Cases opened in the period", "本期新增个案"),
    "report.note.cases_with_entries": ("Cases with an entry in the period", "本期有帮扶记录的个案"),
    "err.report.kind": ("A report is weekly or term.", "报告类型应为 weekly（周报）或 term（学期总结）。"),
    "err.report.week": ("Give the week as YYYY-Www, e.g. 2026-W47.", "请按 YYYY-Www 格式填写周次，如 2026-W47。"),
    "err.report.future": ("That period has not begun yet: there is nothing to report.",
                          "该期间尚未开始：没有可报告的内容。"),
    "err.report.no_term": ("There is no term in the database: add one with `bangfu term add`.",
                           "数据库中没有学期：请用 `bangfu term add` 添加。"),
    "err.report.term_unknown": ("That term no longer exists.", "该学期已不存在。"),
    "cli.help.report": ("write the weekly report or the term summary (xlsx, csv or md)",
                        "生成帮扶工作周报或学期总结（xlsx、csv 或 md）"),
    "cli.help.report_kind": ("weekly (one ISO week) or term (a whole term)", "weekly（周报）或 term（学期总结）"),
    "cli.help.week": ("the ISO week, e.g. 2026-W47 (default: this week)", "ISO 周次，如 2026-W47（默认本周）"),
    "cli.help.report_term": ("the term's name (default: the current term)", "学期名称（默认当前学期）"),
    "cli.help.report_format": ("xlsx, csv or md (default: from the -o suffix, else md)",
                               "xlsx、csv 或 md（默认按 -o 文件后缀，否则为 md）"),
    "cli.help.report_output": ("the file to write (without it md and csv are printed)",
                               "输出文件（不指定时 md 和 csv 直接输出到屏幕）"),
    "cli.report.need_output": ("An xlsx report needs a file: -o FILE.xlsx.", "xlsx 报告需要指定文件：-o 文件名.xlsx。"),
    "cli.report.week_only": ("--week is for weekly reports; a term summary takes --term.",
                             "--week 只用于周报；学期总结请用 --term。"),
    "cli.report.term_only": ("--term is for term summaries; a weekly report takes --week.",
                             "--term 只用于学期总结；周报请用 --week。"),
    "cli.report.no_term": ("No term is named {name!r}. Terms: {terms}.", "没有名为 {name!r} 的学期。现有学期：{terms}。"),
    "cli.report.written": ("Report written: {path}", "报告已写入：{path}"),
    "cli.report.failed": ("Cannot write {path}: {detail}", "无法写入 {path}：{detail}"),
    # -- roster, students, cases, intake and import (issue 7) --
    "key.new_student": ("New student", "新增学生"),
    "key.open_new_case": ("Open a case", "立案"),
    "key.import_roster": ("Import roster", "导入花名册"),
    "key.intake": ("Intake pass", "摸排"),
    "key.export": ("Export", "导出"),
    "key.case_status": ("Open/close", "立案/结案"),
    "key.edit_student": ("Edit student", "编辑学生信息"),
    "key.add_guardian_row": ("Add guardian", "加监护人"),
    "key.intake_mark": ("Mark", "标记"),
    "key.intake_start": ("Open cases", "逐个立案"),
    "key.import_read": ("Read file", "读取文件"),
    "key.import_write": ("Import", "导入"),
    "key.import_yes": ("Import now", "现在导入"),
    "key.import_no": ("Not yet", "暂不导入"),
    "key.export_write": ("Write file", "导出文件"),
    "student.adding": ("New student", "新增学生"),
    "student.editing": ("Student {name} ({no})", "学生 {name}（{no}）"),
    "student.student_no": ("Student no.", "学号"),
    "student.name": ("Name", "姓名"),
    "student.gender": ("Gender", "性别"),
    "student.gender.none": ("not given", "未填"),
    "student.class": ("Class", "班级"),
    "student.birth_date": ("Born", "出生日期"),
    "student.address": ("Address", "现住址"),
    "student.phone": ("Family phone", "家庭电话"),
    "student.family_flags": ("Family circumstances (space ticks)", "家庭情况（空格勾选）"),
    "student.family_notes": ("Family notes", "家庭情况备注"),
    "student.guardian_n": ("Guardian {n}", "监护人 {n}"),
    "student.guardian.name": ("Name", "姓名"),
    "student.guardian.phone": ("Phone", "电话"),
    "student.guardian.relation": ("Relation", "关系"),
    "student.guardian.wechat": ("WeChat", "微信"),
    "student.guardian.lives_with": ("lives with", "同住"),
    "student.guardian.works_away": ("works away", "外出务工"),
    "student.guardians_full": ("At most {n:guardian|guardians}.", "最多 {n} 位监护人。"),
    "student.saved": ("Student saved.", "学生信息已保存。"),
    "err.student.no_blank": ("Enter the student number.", "请输入学号。"),
    "err.student.no_long": ("A student number has at most 30 characters.", "学号最多 30 个字符。"),
    "err.student.no_taken": ("Another student has this number.", "已有学生使用这个学号。"),
    "err.student.name_blank": ("Enter a name.", "请输入姓名。"),
    "err.student.name_long": ("Too long (at most 40 characters).", "内容过长（最多 40 字）。"),
    "err.student.birth_date": ("Not a birth date: use 2012-03-15 or 20120315 (1990 to today).",
                               "出生日期无效：请写成 2012-03-15 或 20120315（1990 年至今）。"),
    "err.student.class": ("Not a class: type its code (7-3) or its name.", "无法识别班级：请输入班级代码（如 7-3）或班级名称。"),
    "err.student.phone": ("Not a phone number (digits, 5 to 15).", "电话号码无效（5 到 15 位数字）。"),
    "err.student.guardians": ("At most 6 guardians.", "最多 6 位监护人。"),
    "err.student.version": ("Someone else saved this student meanwhile: close and open it again.",
                            "其他人刚刚保存了该学生信息：请关闭后重新打开。"),
    "err.student.gone": ("This student is no longer in the file.", "该学生已不在数据库中。"),
    "err.student.invalid": ("Please correct the marked fields; nothing was saved.",
                            "请修改标出的内容，尚未保存。"),
    "err.access.class": ("That class is not among those you may see.", "您无权查看该班级。"),
    "case.address": ("Address", "现住址"),
    "case.works_away": ("works away", "外出务工"),
    "case.history": ("History", "档案记录"),
    "case.event.open": ("case opened", "立案"),
    "case.event.close": ("case closed", "结案"),
    "case.event.reopen": ("case reopened", "重新立案"),
    "case.event.transfer_class": ("moved class", "转班"),
    "case.event.transfer_school": ("moved to another school", "转学"),
    "case_status.title": ("Case of {name}: close, reopen or transfer", "{name} 的档案：结案、重新立案或转出"),
    "case_status.open_title": ("Open a case for {name}", "为 {name} 立案"),
    "case_status.action": ("What", "操作"),
    "case_status.action.close": ("close", "结案"),
    "case_status.action.reopen": ("reopen", "重新立案"),
    "case_status.action.transfer_class": ("another class", "转班"),
    "case_status.action.transfer_school": ("another school", "转学"),
    "case_status.to": ("To", "转到"),
    "case_status.to_class": ("the class, e.g. 7-2", "班级，如 7-2"),
    "case_status.to_school": ("the school's name", "学校名称"),
    "case_status.lead": ("First lead", "首位负责人"),
    "case_status.lead_placeholder": ("a staff name, pinyin or initials", "教职工姓名、拼音或首字母"),
    "case_status.reason": ("Reason", "原因"),
    "case_status.reason_hint": ("why (optional)", "原因（可不填）"),
    "case_status.reason_needed": ("why (needed)", "原因（必填）"),
    "case_status.has_open": ("{name} already has an open case.", "{name} 已有进行中的档案。"),
    "case_status.done.open": ("Case opened for {name}.", "已为 {name} 立案。"),
    "case_status.done.close": ("Case of {name} closed.", "{name} 的档案已结案。"),
    "case_status.done.reopen": ("Case of {name} reopened.", "{name} 的档案已重新立案。"),
    "case_status.done.transfer_class": ("{name} moved class; the case goes on.", "{name} 已转班，档案继续。"),
    "case_status.done.transfer_school": ("{name} moved school; the case is closed here.",
                                         "{name} 已转学，本校档案已结案。"),
    "err.case_status.reason_blank": ("Give a reason.", "请填写原因。"),
    "err.case_status.reason_long": ("Too long (at most 500 characters).", "内容过长（最多 500 字）。"),
    "err.case_status.choice": ("Choose one of the listed options.", "请从列出的选项中选择。"),
    "err.case_status.categories_blank": ("Tick at least one category (space).", "请至少勾选一个类别（空格）。"),
    "err.case_status.lead_unknown": ("No active staff member has this name.", "没有这个名字的在职教职工。"),
    "err.case_status.lead_ambiguous": ("Several staff match: type the whole name.", "匹配到多位教职工：请输入全名。"),
    "err.case_status.already_open": ("This student already has an open case.", "该学生已有进行中的档案。"),
    "err.case_status.not_open": ("This case is not open.", "该档案未在进行中。"),
    "err.case_status.other_open": ("The student has another open case: close it first.",
                                   "该学生另有进行中的档案：请先结案。"),
    "err.case_status.transfer_where": ("Say where to: a class, or a school.", "请填写转到哪个班级或学校。"),
    "err.case_status.class_unknown": ("No such class: type its code (7-3) or its name.",
                                      "没有这个班级：请输入班级代码（如 7-3）或名称。"),
    "err.case_status.same_class": ("The student is already in this class.", "该学生已在这个班级。"),
    "err.case_status.gone": ("This case is no longer in the file.", "该档案已不在数据库中。"),
    "intake.title": ("Intake pass (摸排)", "摸排"),
    "intake.class": ("Class", "班级"),
    "intake.hint": ("Type a class (7-3 or its name) and Enter; space marks, Enter opens the cases.",
                    "输入班级（如 7-3 或班级名称）后回车；空格标记，回车逐个立案。"),
    "intake.col.number": ("No.", "学号"),
    "intake.col.name": ("Name", "姓名"),
    "intake.col.case": ("Open case", "进行中的档案"),
    "intake.info": ("{name}: {n:student|students}, {open} with a case, {marked} marked",
                    "{name}：{n} 名学生，{open} 人已有档案，已标记 {marked} 人"),
    "intake.has_case": ("{name} already has an open case.", "{name} 已有进行中的档案。"),
    "intake.none_marked": ("Mark the students who need a case first (space).", "请先用空格标记需要立案的学生。"),
    "intake.done": ("Intake done: {n} of {total:case|cases} opened.", "摸排完成：已立案 {n} 人（共标记 {total} 人）。"),
    "export.title": ("Export", "导出"),
    "export.what": ("What", "内容"),
    "export.format": ("Format", "格式"),
    "export.hint": ("Letters choose, Tab moves; ctrl+s writes the file (what you may see only).",
                    "按字母选择，Tab 切换；ctrl+s 导出文件（仅含您有权查看的内容）。"),
    "export.choice.students": ("students", "学生"),
    "export.choice.cases": ("cases", "档案"),
    "export.choice.contacts": ("contacts", "帮扶记录"),
    "export.choice.xlsx": ("Excel", "Excel 表格"),
    "export.choice.csv": ("CSV", "CSV 文本"),
    "export.writing": ("Writing…", "正在导出…"),
    "export.written": ("Written: {path} ({n:row|rows})", "已导出：{path}（{n} 行）"),
    "export.failed": ("Could not write the file: {detail}", "无法写入文件：{detail}"),
    "import.title": ("Import roster", "导入花名册"),
    "import.path": ("File", "文件"),
    "import.path_hint": ("path of an .xlsx or .csv", ".xlsx 或 .csv 文件路径"),
    "import.map": ("Columns", "列对应"),
    "import.map_hint": ("only if needed: 电话=phone, 编号=student_no", "仅在需要时填写：电话=phone, 编号=student_no"),
    "import.hint": ("Type the file's path and Enter: nothing is written before ctrl+s and y.",
                    "输入文件路径后回车预览：按 ctrl+s 并确认前不会写入任何内容。"),
    "import.path_needed": ("Type the file's path first.", "请先输入文件路径。"),
    "import.reading": ("Reading the file…", "正在读取文件…"),
    "import.ready": ("Preview ready: ctrl+s imports.", "预览完成：按 ctrl+s 导入。"),
    "import.nothing": ("Nothing to import: the roster already holds all of it.", "没有需要导入的内容：花名册已是最新。"),
    "import.writing": ("Importing…", "正在导入…"),
    "import.matching": ("Matching with the roster…", "正在与花名册比对…"),
    "import.ask": ("Import now: add {new:new student|new students}, update {updated}?", "现在导入：新增 {new} 名、更新 {updated} 名学生？"),
    "import.ask_cli": ("Import {new:new student|new students} and update {updated}? [y/N]", "导入 {new} 名新学生并更新 {updated} 名？[y/N]"),
    "import.cancelled": ("Nothing was written.", "未写入任何内容。"),
    "import.need_yes": ("Nothing was written: add --yes to import (or --dry-run to only look).",
                        "未写入任何内容：加上 --yes 才会导入（--dry-run 仅预览）。"),
    "import.changed": ("Someone changed the roster since the preview; nothing was written: read the file again.",
                       "预览之后花名册已被他人修改，未写入任何内容：请重新读取文件。"),
    "import.dry_run": ("Dry run: nothing was written.", "预演：未写入任何内容。"),
    "import.done": ("Imported: {new} new, {updated} updated, {same} unchanged, {classes:class|classes} made, "
                    "{skipped:row|rows} with problems left out.",
                    "导入完成：新增 {new} 名，更新 {updated} 名，未变 {same} 名，新建班级 {classes} 个，{skipped} 行有问题未导入。"),
    "import.file_line": ("{file} ({where}): header on row {header}, {rows:row|rows} read",
                         "{file}（{where}）：表头在第 {header} 行，读取 {rows} 行"),
    "import.sheet": ("sheet {sheet}", "工作表 {sheet}"),
    "import.encoding": ("text, {encoding}", "文本，{encoding} 编码"),
    "import.columns": ("Columns: {columns}", "列：{columns}"),
    "import.ignored": ("Not imported: {columns}", "不导入的列：{columns}"),
    "import.id_not_imported": ("{column}: identity numbers are not imported (map the column to id_number only if the school needs it).",
                               "{column}：身份证件号不导入（仅在学校确实需要时才映射为 id_number）。"),
    "import.preview": ("The first {n:row|rows}:", "前 {n} 行："),
    "import.summary": ("Would add {new:student|students}, update {updated}, leave {same} unchanged; make "
                       "{classes:class|classes}; {problems:row has problems and is|rows have problems and are} left out.",
                       "将新增 {new} 名学生，更新 {updated} 名，{same} 名不变；新建 {classes} 个班级；{problems} 行有问题，不会导入。"),
    "import.new_classes": ("New classes: {classes}", "新建班级：{classes}"),
    "import.problems": ("Problems (these rows are not imported; correct the file and import again):",
                        "问题（这些行不会导入；请修改文件后重新导入）："),
    "import.problem": ("  row {row}  {field}: {what}", "  第 {row} 行  {field}：{what}"),
    "import.duplicates": ("Probable duplicates (imported as their own student, not merged; please check):",
                          "可能重复（作为单独的学生导入，不合并；请核对）："),
    "import.duplicate": ("  row {row}  {no} {name}: same name and birth date as {other_no} {other}",
                         "  第 {row} 行  {no} {name}：与 {other_no} {other} 姓名和出生日期相同"),
    "import.updates": ("Changes to students already in the roster:", "花名册中已有学生的变更："),
    "import.update": ("  row {row}  {no} {name}: {changes}", "  第 {row} 行  {no} {name}：{changes}"),
    "import.fixes": ("Values corrected:", "已修正的值："),
    "import.fix": ("  row {row}  {field}: {what} {before} → {after}", "  第 {row} 行  {field}：{what} {before} → {after}"),
    "import.skipped": ("Rows skipped: {rows}", "跳过的行：{rows}"),
    "import.more": ("  … and {n} more not listed", "  ……另有 {n} 条未列出"),
    "import.field.name": ("name", "姓名"),
    "import.field.student_no": ("student no.", "学号"),
    "import.field.aux_no": ("registry aux. no.", "学籍辅号"),
    "import.field.class_no": ("no. in class", "班内学号"),
    "import.field.gender": ("gender", "性别"),
    "import.field.birth_date": ("birth date", "出生日期"),
    "import.field.grade": ("grade", "年级"),
    "import.field.class": ("class", "班级"),
    "import.field.address": ("address", "现住址"),
    "import.field.phone": ("family phone", "联系电话"),
    "import.field.left_behind": ("left-behind", "留守儿童"),
    "import.field.only_child": ("only child", "独生子女"),
    "import.field.orphan": ("orphan", "孤儿"),
    "import.field.migrant": ("migrant worker's child", "随迁子女"),
    "import.field.guardian1_name": ("guardian's name", "监护人姓名"),
    "import.field.guardian1_relation": ("guardian's relation", "监护人关系"),
    "import.field.guardian1_phone": ("guardian's phone", "监护人电话"),
    "import.field.guardian2_name": ("2nd guardian's name", "第二监护人姓名"),
    "import.field.guardian2_relation": ("2nd guardian's relation", "第二监护人关系"),
    "import.field.guardian2_phone": ("2nd guardian's phone", "第二监护人电话"),
    "import.field.father_name": ("father's name", "父亲姓名"),
    "import.field.father_phone": ("father's phone", "父亲电话"),
    "import.field.mother_name": ("mother's name", "母亲姓名"),
    "import.field.mother_phone": ("mother's phone", "母亲电话"),
    "import.field.member1_name": ("family member 1", "家庭成员1姓名"),
    "import.field.member1_relation": ("family member 1's relation", "家庭成员1关系"),
    "import.field.member1_phone": ("family member 1's phone", "家庭成员1电话"),
    "import.field.member2_name": ("family member 2", "家庭成员2姓名"),
    "import.field.member2_relation": ("family member 2's relation", "家庭成员2关系"),
    "import.field.member2_phone": ("family member 2's phone", "家庭成员2电话"),
    "import.field.id_number": ("identity number", "身份证件号"),
    "import.field.family_flags": ("family", "家庭情况"),
    "import.field.guardian": ("guardian", "监护人"),
    "import.problem.missing_name": ("no name", "没有姓名"),
    "import.problem.missing_number": ("no student number", "没有学号"),
    "import.problem.no_number": ("no number: the class is not known", "无法编号：班级未知"),
    "import.problem.duplicate_number": ("the same number as row {row}", "与第 {row} 行学号相同"),
    "import.problem.digits_lost": ("Excel lost the digits (scientific notation): type the number as text",
                                   "Excel 已丢失数字（科学计数法）：请把该列设为文本后重新输入"),
    "import.problem.bad_phone": ("not a phone number", "不是有效的电话号码"),
    "import.problem.bad_date": ("not a birth date (1990 to today)", "不是有效的出生日期（1990 年至今）"),
    "import.problem.bad_gender": ("not 男/女, 1/2 or M/F", "不是 男/女、1/2 或 M/F"),
    "import.problem.bad_class": ("grade or class not understood", "无法识别年级或班级"),
    "import.problem.class_grade_mismatch": ("the class names another grade", "班级与年级不一致"),
    "import.problem.bad_flag": ("not yes/no (是/否, 1/0)", "不是 是/否（1/0）"),
    "import.problem.bad_id_number": ("not an identity number", "不是有效的身份证件号"),
    "import.problem.too_many_guardians": ("the student would have {length:guardian|guardians}, the student editor takes at most {most}",
                                          "该学生的监护人将达到 {length} 位，学生信息最多 {most} 位"),
    "import.problem.too_long": ("too long: {length:character|characters}, the student editor takes at most {most}",
                                "过长：{length} 个字符，学生信息最多 {most} 个字符"),
    "import.fix.number_cell": ("number cell (check leading zeros)", "数字单元格（请核对开头的 0）"),
    "import.fix.trailing_zero": ("trailing .0 removed", "去掉末尾 .0"),
    "import.fix.scientific": ("scientific notation restored", "还原科学计数法"),
    "import.fix.full_width": ("full-width characters", "全角字符"),
    "import.fix.spaces": ("spaces removed", "去掉空格"),
    "import.fix.several_phones": ("several numbers: the first kept", "多个号码：保留第一个"),
    "import.fix.left_behind_assumed": ("是 taken as one parent away", "“是”按单亲外出务工处理"),
    "import.fix.month_only": ("year and month only: the 1st taken", "只有年月：按当月 1 日"),
    "import.fix.date_cell": ("a class Excel turned into a date", "被 Excel 转成日期的班级"),
    "import.skip.blank": ("blank", "空行"),
    "import.skip.repeated_header": ("header repeated", "重复的表头"),
    "import.error.unreadable": ("Cannot read this file: save it as .xlsx or .csv (an old .xls or a protected workbook cannot be read).",
                                "无法读取该文件：请另存为 .xlsx 或 .csv（旧版 .xls 或加密的工作簿无法读取）。"),
    "import.error.encoding": ("The text file is neither UTF-8 nor GBK: save it again as CSV (UTF-8).",
                              "该文本文件既不是 UTF-8 也不是 GBK 编码：请另存为 CSV（UTF-8）。"),
    "import.error.empty": ("The file holds no students.", "文件中没有学生数据。"),
    "import.error.no_header": ("No header row found in the first 20 rows (姓名, 学号 …): map the columns with --map.",
                               "前 20 行中找不到表头（姓名、学号等）：请用 --map 指定列对应。"),
    "import.error.no_name": ("No name column (姓名): map one, e.g. 学生=name.", "找不到姓名列：请指定，如 学生=name。"),
    "import.error.no_number": ("No student-number column (学号, 学籍辅号 or 班内学号 with 班级): map one, e.g. 编号=student_no.",
                               "找不到学号列（学号、学籍辅号，或 班内学号 加 班级）：请指定，如 编号=student_no。"),
    "import.error.bad_mapping": ("Cannot use the mapping {item}: write COLUMN=FIELD with a column of the file.",
                                 "无法使用列对应 {item}：请写成 列名=字段，列名须在文件中。"),
    "import.error.sheet": ("No sheet named {sheet} in the workbook.", "工作簿中没有名为 {sheet} 的工作表。"),
    "import.error.too_big": ("This workbook would unpack to {size} MB, more than the {limit} MB bangfu reads "
                             "(a 20,000-student registry export is about 40 MB); nothing was read. "
                             "Save the sheet as CSV (UTF-8) and import that, or split the roster into smaller files.",
                             "该工作簿解压后有 {size} MB，超过 bangfu 可读取的 {limit} MB"
                             "（两万名学生的学籍导出约 40 MB），未读取任何内容。"
                             "请把工作表另存为 CSV（UTF-8）后导入，或把名册拆成几个较小的文件。"),
    "import.error.too_big_part": ("One part of this workbook (its shared text or styles) would unpack to {size} MB, "
                                  "more than the {limit} MB bangfu reads; nothing was read. "
                                  "Save the sheet as CSV (UTF-8) and import that, or split the roster into smaller files.",
                                  "该工作簿中的一部分（共享文本或样式）解压后有 {size} MB，超过 bangfu 可读取的 {limit} MB，"
                                  "未读取任何内容。请把工作表另存为 CSV（UTF-8）后导入，或把名册拆成几个较小的文件。"),
    "import.error.too_many_cells": ("A sheet of this workbook holds more than {limit:cell|cells}, more than bangfu reads; nothing was imported. "
                                    "Delete the empty columns and rows around the roster, or save the sheet as CSV (UTF-8) and import that.",
                                    "该工作簿中有工作表的单元格超过 {limit} 个，超过 bangfu 可读取的上限，未导入任何内容。"
                                    "请删除名册周围的空行和空列，或把工作表另存为 CSV（UTF-8）后导入。"),
    "import.error.cell_too_long": ("The file holds a cell or line of more than {size} MB of text, far more than any roster value "
                                   "(a spreadsheet cell takes at most 32,767 characters); nothing was imported. "
                                   "Check that this is the roster, or save the sheet again as CSV (UTF-8).",
                                   "文件中有单元格或行的文字超过 {size} MB，远超任何花名册内容（电子表格单元格最多 32,767 个字符），"
                                   "未导入任何内容。请确认这是花名册文件，或把工作表重新另存为 CSV（UTF-8）。"),
    "import.error.too_many_rows": ("The file has more than {limit:row|rows} below its header; nothing was imported. "
                                   "Split it into smaller files (by school or grade) and import each.",
                                   "文件表头以下超过 {limit} 行，未导入任何内容。请按学校或年级拆成几个较小的文件，逐个导入。"),
    "cli.help.import": ("bring in a school's roster (.xlsx or .csv)", "导入学校花名册（.xlsx 或 .csv）"),
    "cli.help.import_what": ("what to import: roster", "导入内容：roster（花名册）"),
    "cli.help.import_file": ("the .xlsx or .csv file", ".xlsx 或 .csv 文件"),
    "cli.help.import_map": ("a column the import does not recognise, e.g. 电话=phone (repeatable)",
                            "无法自动识别的列，如 电话=phone（可多次使用）"),
    "cli.help.import_sheet": ("the sheet to read (default: the first with a header)", "要读取的工作表（默认：第一个有表头的）"),
    "cli.help.import_dry_run": ("only show what would happen", "只显示将会发生什么"),
    "cli.help.import_yes": ("import without asking", "不询问，直接导入"),
    # -- migrate-to (issue 8) --
    "cli.help.migrate_to": ("copy this database file into an empty PostgreSQL database (--db FILE migrate-to URL)",
                            "把本数据库文件复制到一个空的 PostgreSQL 数据库（--db 文件 migrate-to URL）"),
    "cli.help.migrate_to_url": ("the empty server database: postgresql://user@host:5432/name",
                                "空的服务器数据库：postgresql://用户@主机:5432/库名"),
    "migrate.source_url": ("`bangfu migrate-to` copies a database file, and {url} is already a server: "
                           "give the file with --db FILE.",
                           "`bangfu migrate-to` 复制的是数据库文件，而 {url} 已是服务器：请用 --db 文件 指定文件。"),
    "migrate.target_url": ("{url} is not a database server: give a URL such as "
                           "postgresql://bangfu@host:5432/school.",
                           "{url} 不是数据库服务器：请给出 URL，如 postgresql://bangfu@host:5432/school。"),
    "migrate.outbox": ("Note: {n:entry waits|entries wait} in this computer's outbox for {path} and will not be in "
                       "the copy: send the outbox first with `bangfu outbox --flush`.",
                       "注意：本机发件箱中有 {n} 条记录等待写入 {path}，不会包含在副本中：请先运行 "
                       "`bangfu outbox --flush` 写入。"),
    "migrate.plan": ("Copy {source} ({rows:row|rows} in {tables:table|tables}) into {target}.",
                     "将 {source}（{tables} 个表，共 {rows} 行）复制到 {target}。"),
    "migrate.ask": ("Copy now? [y/N]", "现在复制？[y/N]"),
    "migrate.need_yes": ("Nothing was copied: add --yes to copy (stdin is not a terminal).",
                         "未复制任何内容：标准输入不是终端，需加上 --yes 才会复制。"),
    "migrate.cancelled": ("Nothing was copied.", "未复制任何内容。"),
    "migrate.copying": ("Copying rows", "正在复制"),
    "migrate.tables_head": ("Rows per table, file → server:", "各表行数（文件 → 服务器）："),
    "migrate.table_line": ("  {name}  {source} → {target}  {check}", "  {name}  {source} → {target}  {check}"),
    "migrate.check_same": ("checksums equal", "校验和一致"),
    "migrate.check_differs": ("CHECKSUMS DIFFER", "校验和不一致"),
    "migrate.done": ("Copied {rows:row|rows} in {tables:table|tables} from {source} to {target} in {seconds} s; "
                     "every count and checksum matches. Point every client at the server now "
                     "(--db, BANGFU_DB or db = \"…\" in the config) and keep the file as it is.",
                     "已在 {seconds} 秒内将 {source} 的 {tables} 个表共 {rows} 行复制到 {target}，"
                     "各表行数和校验和全部一致。请把所有客户端改为连接服务器（--db、BANGFU_DB 或配置中的 "
                     "db = \"…\"），并原样保留该文件。"),
    "migrate.already": ("{target} already holds exactly what {source} holds ({rows:row|rows} in "
                        "{tables:table|tables}): nothing was changed.",
                        "{target} 已包含与 {source} 完全相同的数据（{tables} 个表，共 {rows} 行）：未做任何更改。"),
    "migrate.error.foreign": ("{target} holds tables that are not bangfu's ({detail}): copy only into a "
                              "new, empty database (createdb). Nothing was changed.",
                              "{target} 中有不属于 bangfu 的表（{detail}）：只能复制到新建的空数据库（createdb）。"
                              "未做任何更改。"),
    "migrate.error.not_empty": ("{target} already holds other data than {source} (tables above): nothing "
                                "was copied or changed. Copy only into a new, empty database (createdb).",
                                "{target} 中已有与 {source} 不同的数据（见上方各表）：未复制也未更改任何内容。"
                                "只能复制到新建的空数据库（createdb）。"),
    "migrate.error.schema": ("The file and the server database differ in their tables ({table} {detail}): "
                             "nothing was copied. Use the same bangfu version for both.",
                             "文件与服务器数据库的表结构不同（{table} {detail}）：未复制任何内容。"
                             "请两边使用同一版本的 bangfu。"),
    "migrate.error.orphans": ("{source} has {detail} rows whose linked row is missing (in {table}): "
                              "nothing was copied. Run `bangfu check` and repair the file first.",
                              "{source} 中有 {detail} 行所关联的记录已不存在（在 {table} 中）：未复制任何内容。"
                              "请先运行 `bangfu check` 并修复文件。"),
    "migrate.error.value": ("A value in {table}.{column} (id {row}) cannot be stored on the server as "
                            "{detail}: nothing was copied. Correct it in the file first.",
                            "{table}.{column}（编号 {row}）中的值无法以 {detail} 类型存入服务器："
                            "未复制任何内容。请先在文件中更正。"),
    "migrate.error.copy": ("The server refused the copy ({detail}): it was rolled back, nothing was copied.",
                           "服务器拒绝了复制（{detail}）：已全部回滚，未复制任何内容。"),
    "migrate.error.source": ("{source} could not be read ({detail}): nothing was copied.",
                             "无法读取 {source}（{detail}）：未复制任何内容。"),
    "migrate.error.verify": ("The server's copy differs from the file (tables above): it was rolled "
                             "back, nothing was copied.",
                             "服务器上的副本与文件不一致（见上方各表）：已全部回滚，未复制任何内容。"),
    # -- accounts and access (issue 6) --
    "cli.pin_prompt": ("PIN for {name}: ", "{name} 的 PIN："),
    "cli.pin_needed": ("{name}: a PIN is needed (typed at the prompt, or the first line of stdin).",
                       "{name}：需要 PIN（在提示处输入，或作为标准输入的第一行）。"),
    "cli.not_allowed": ("Not allowed for your role ({role}): see the README's permission table.",
                        "您的角色（{role}）无此权限：见 README 的权限表。"),
    "err.account.wrong": ("Wrong PIN. Tries left before the account locks for a few minutes: {left}.",
                          "PIN 错误。再错 {left} 次，账号将锁定几分钟。"),
    "err.account.locked": ("Too many wrong PINs: this account is locked until {until}.",
                           "PIN 错误次数过多：账号锁定至 {until}。"),
    "err.account.disabled": ("This account is disabled: ask an administrator.", "该账号已停用：请联系管理员。"),
    "err.account.no_pin": ("No PIN is set for this account yet: sign in once in the app to choose one.",
                           "该账号尚未设置 PIN：请先在程序中登录一次并设置。"),
    "err.account.pin_blank": ("Type a PIN.", "请输入 PIN。"),
    "err.account.pin_spaces": ("A PIN cannot start or end with a space.", "PIN 首尾不能有空格。"),
    "err.account.pin_digits": ("A PIN of digits has 4 to 8 of them.", "数字 PIN 应为 4 到 8 位。"),
    "err.account.pin_short": ("A password (not only digits) has at least 8 characters.",
                              "密码（非纯数字）至少 8 个字符。"),
    "err.account.pin_long": ("At most 64 characters.", "最多 64 个字符。"),
    "err.account.pin_controls": ("A PIN cannot hold control characters.", "PIN 不能包含控制字符。"),
    "err.account.pin_mismatch": ("The two PINs differ: type it again.", "两次输入的 PIN 不一致：请重新输入。"),
    "err.account.pin_weak": ("Too easy to guess for someone who reads confidential notes: use 8 digits "
                             "that are not a date or a pattern such as 12345678, or a password of 10 "
                             "or more characters with letters and digits (or signs).",
                             "可查看保密记录的人需要更难猜的 PIN：请用 8 位数字（不能是日期或 12345678 "
                             "之类的规律数字），或至少 10 个字符、包含字母和数字（或符号）的密码。"),
    "err.account.pin_same": ("Choose a PIN other than the one you have now.", "请设置与当前不同的 PIN。"),
    "err.account.pin_already_set": ("This account already has a PIN.", "该账号已设置 PIN。"),
    "err.account.unknown": ("No such account.", "没有这个账号。"),
    "err.account.not_allowed": ("Only administrators and coordinators manage staff.",
                                "只有管理员和协调人可以管理教职工账号。"),
    "err.account.not_first": ("The database already has staff: sign in.", "数据库中已有教职工：请登录。"),
    "err.account.name_blank": ("Type the name.", "请填写姓名。"),
    "err.account.name_long": ("A name has at most 40 characters.", "姓名最多 40 个字。"),
    "err.account.role_unknown": ("Choose a role.", "请选择角色。"),
    "err.account.class_unknown": ("Give classes by their codes, e.g. 7-3, 7-4.", "请用班级代码填写，如 7-3, 7-4。"),
    "err.account.name_taken": ("An active account already has that name.", "已有同名的在用账号。"),
    "err.account.not_yourself": ("You cannot disable yourself or give up your own managing role.",
                                 "不能停用自己的账号，也不能取消自己的管理角色。"),
    "err.account.last_admin": ("The last administrator stays: make another one first.",
                               "这是最后一位管理员：请先设置另一位管理员。"),
    "err.access.manage": ("Only administrators and coordinators may do this.", "只有管理员和协调人可以进行此操作。"),
    "err.access.audit": ("Only administrators read the audit log.", "只有管理员可以查看审计日志。"),
    "err.access.edit_others": ("Changing another person's entry needs the coordinator role.",
                               "修改他人的记录需要协调人角色。"),
    "err.access.reports": ("Reports are for staff, not volunteers.", "报告仅供教职工使用，志愿者不可查看。"),
    "err.access.overview": ("The overview is for staff, not volunteers.", "总览仅供教职工使用，志愿者不可查看。"),
    "err.access.grid": ("Scores and check-ins are entered by staff, not volunteers.",
                        "成绩和心理测评由教职工录入，志愿者不可录入。"),
    "err.access.edit_case": ("Volunteers do not change the case file.", "志愿者不能修改帮扶档案。"),
    "err.access.restricted": ("Only counsellors, administrators and the case's lead read restricted entries.",
                              "只有心理教师、管理员和该生的包保负责人可以查看保密记录。"),
    "err.access.student": ("That student is not among those you may see.", "您无权查看该学生。"),
    "err.access.sealed": ("This text is sealed, and your key to it is not ready yet. It is given "
                          "to you the next time an administrator or a counsellor signs in; if "
                          "you were told your PIN is too short, choose a longer one first.",
                          "这段内容已加密，您的钥匙尚未就绪。管理员或心理教师下次登录时会自动发给您；"
                          "如果系统提示您的 PIN 太短，请先换一个更长的 PIN。"),
    "err.access.sealed_damaged": ("This sealed text does not open with the school's key: it was "
                                  "changed outside bangfu. Run `bangfu check`, and restore it "
                                  "from a backup if needed.",
                                  "这段加密内容无法用学校的钥匙打开：它在 bangfu 之外被改动过。"
                                  "请运行 `bangfu check`，必要时从备份恢复。"),
    "err.keys.sign_in": ("Sign in again so that your key is opened, then try again.",
                         "请重新登录以打开您的钥匙，然后再试一次。"),
    "err.keys.already": ("The school's key exists already, and you do not hold it yet: it is "
                         "given to you when another holder signs in (`bangfu keys` lists them), "
                         "or open it with the recovery code: `bangfu keys recover`.",
                         "学校的钥匙已经存在，但您还没有：其他持有人登录时会发给您（`bangfu keys` "
                         "列出持有人），或用恢复码打开：`bangfu keys recover`。"),
    "err.keys.weak_pin": ("Your PIN is too short to hold the school's key. Choose a longer one "
                          "(`bangfu staff pin`), then run this again.",
                          "您的 PIN 太短，不能持有学校的钥匙。请先换一个更长的 PIN"
                          "（`bangfu staff pin`），再运行一次。"),
    "err.keys.not_holder": ("Only someone who holds the school's key can make a new recovery "
                            "code: sign in again, or open the key with the recovery code first.",
                            "只有持有学校钥匙的人才能生成新的恢复码：请重新登录，或先用恢复码打开钥匙。"),
    "err.keys.not_set_up": ("Restricted text is not sealed on this database yet: an "
                            "administrator runs `bangfu keys setup` first.",
                            "此数据库的保密内容尚未加密：请管理员先运行 `bangfu keys setup`。"),
    "err.keys.wrong_code": ("That recovery code does not open the school's key. Check it against "
                            "the printed copy (letters and digits; dashes and case do not matter).",
                            "该恢复码打不开学校的钥匙。请对照纸质副本检查（字母和数字；横线和大小写不影响）。"),
    "cli.help.keys": ("the school's key to restricted text: status, setup (prints the recovery "
                      "code once), recover (with the recovery code), new-code",
                      "保密内容的学校钥匙：status（状态）、setup（设置，只显示一次恢复码）、"
                      "recover（用恢复码恢复）、new-code（新恢复码）"),
    "cli.help.keys_action": ("status (the default), setup, recover or new-code",
                             "status（默认）、setup、recover 或 new-code"),
    "cli.keys.code_prompt": ("Recovery code: ", "恢复码："),
    "cli.keys.code_line": ("Type the recovery code (or give it as the line after the PIN).",
                           "请输入恢复码（或在 PIN 的下一行给出）。"),
    "cli.keys.code": ("Recovery code (shown this once): {code}", "恢复码（只显示这一次）：{code}"),
    "cli.keys.code_keep": (
        "Write it down or print it, seal it in an envelope and give it to the principal to keep "
        "in the school's safe; keep it on no computer. With it an administrator opens the "
        "school's restricted notes again (`bangfu keys recover`) if every reader's PIN is lost; "
        "anyone with it and a copy of the file can read them.",
        "请抄下或打印，封入信封交校长存放在学校保险柜，不要存在任何电脑上。"
        "所有可读者的 PIN 都丢失时，管理员凭它重新打开学校的保密记录（`bangfu keys recover`）；"
        "任何人拿到它和数据库副本都能读到这些记录。"),
    "cli.keys.set_up": ("Restricted text is sealed from now on: the school's key is made and "
                        "held by {holders:reader|readers}; the others get it at a holder's next "
                        "sign-in.",
                        "从现在起保密内容均加密保存：学校的钥匙已生成，{holders} 位可读者持有；"
                        "其他人在持有人下次登录时获得。"),
    "cli.keys.sealed_rest": ("The school's key exists already; what was still stored as typed "
                             "is sealed now.",
                             "学校的钥匙已存在；仍以明文保存的内容现已加密。"),
    "cli.keys.recovered": ("The school's key is open again and you hold it; the other readers "
                           "get it at your next sign-in. Make a new recovery code if the old one "
                           "was seen by others: `bangfu keys new-code`.",
                           "学校的钥匙已重新打开并由您持有；其他可读者在您下次登录时获得。"
                           "如果旧恢复码被他人看到，请生成新的：`bangfu keys new-code`。"),
    "cli.keys.not_set_up": ("Restricted text is not sealed on this database yet (it is stored as "
                            "typed). An administrator runs `bangfu keys setup` once.",
                            "此数据库的保密内容尚未加密（以明文保存）。请管理员运行一次 `bangfu keys setup`。"),
    "cli.keys.holders": ("Hold the school's key: {names}", "持有学校钥匙：{names}"),
    "cli.keys.waiting": ("Get it at a holder's next sign-in: {names}",
                         "在持有人下次登录时获得：{names}"),
    "cli.keys.weak": ("Need a longer PIN before they get it: {names}",
                      "需先换更长的 PIN 才能获得：{names}"),
    "cli.keys.recovery_yes": ("A recovery code exists (kept on paper by the principal).",
                              "已有恢复码（由校长纸质保管）。"),
    "cli.keys.recovery_no": ("No recovery code exists: a holder runs `bangfu keys new-code`.",
                             "没有恢复码：请持有人运行 `bangfu keys new-code`。"),
    "cli.keys.plain": ("{n:restricted row is|restricted rows are} still stored as typed: a holder runs "
                       "`bangfu keys setup` to seal them.",
                       "{n} 条保密记录仍以明文保存：请持有人运行 `bangfu keys setup` 加密。"),
    "access.restricted_entry": ("restricted entry", "保密记录"),
    "access.restricted_field": ("restricted", "保密"),
    "access.hidden": ("not shown to volunteers", "志愿者不可见"),
    "key.confidential": ("confidential", "设为保密"),
    "edit.confidential_where": ("Put the cursor in a text field first, then ctrl+t marks it confidential.",
                                "请先把光标放在文字栏内，再按 ctrl+t 设为保密。"),
    "err.grid.not_yours": ("Not one of your classes: a class teacher enters their class, a teacher "
                           "the classes on their account.",
                           "不是您的班级：班主任录入本班，任课教师录入账号中登记的任教班级。"),
    "key.open_restricted": ("open restricted", "查看保密"),
    "key.pin_ok": ("sign in", "登录"),
    "case.restricted_open": ("o opens it", "按 o 查看"),
    "case.restricted_pick": ("Which restricted entry? Opening one is recorded in the audit log.",
                             "查看哪条保密记录？每次查看都会记入审计日志。"),
    "restricted.audited": ("You opened this restricted entry: the audit log records it.",
                           "您查看了这条保密记录：审计日志已记录。"),
    "signin.pin": ("PIN", "PIN 码"),
    "signin.pin_again": ("the same PIN again", "再输入一次 PIN"),
    "signin.pin_for": ("PIN for {name}", "{name} 的 PIN"),
    "signin.pin_hint": ("Type your PIN, then Enter; esc goes back to the names.",
                        "输入 PIN 后按回车；按 esc 返回姓名列表。"),
    "signin.choose_pin": ("{name}: choose your PIN", "{name}：请设置您的 PIN"),
    "signin.choose_hint": ("4–8 digits, or a password of 8 characters or more; type it twice.",
                           "4–8 位数字，或至少 8 个字符的密码；请输入两次。"),
    "signin.checking": ("Checking…", "正在验证……"),
    "signin.first_title": ("A new database: who is its first administrator?",
                           "新数据库：请设置第一位管理员"),
    "signin.first_hint": ("Your name, then a PIN typed twice (8 digits that are not a date or a "
                          "pattern, or a password of 10+ characters with letters and digits: an "
                          "administrator reads confidential notes); then add the other staff (F9). "
                          "For a demo school instead: `bangfu demo`.",
                          "填写您的姓名，再输入两次 PIN（管理员可查看保密记录，须用 8 位非日期、非规律的数字，"
                          "或至少 10 个字符、包含字母和数字的密码）；之后用 F9 添加其他教职工。"
                          "若只想看演示学校：`bangfu demo`。"),
    "signin.first_name": ("your name", "您的姓名"),
    "signin.new_pin_title": ("{name}: your PIN must change before you go on",
                             "{name}：请先更换 PIN 再继续"),
    "signin.new_pin_hint": ("You may read confidential notes, and a short PIN can be guessed from a "
                            "copy of the file. Choose a new one: 8 digits (not a date or a pattern) "
                            "or a password of 10+ characters with letters and digits; type it "
                            "twice, then Enter. esc goes back to the names.",
                            "您可以查看保密记录，而短 PIN 可能被人从数据库副本中猜出。请设置新的 PIN："
                            "8 位数字（不能是日期或规律数字），或至少 10 个字符、包含字母和数字的密码；"
                            "输入两次后按回车。按 esc 返回姓名列表。"),
    "signin.pin_changed": ("Your new PIN is set.", "新 PIN 已设置。"),
    "key.staff": ("staff", "教职工"),
    "form.restricted": ("Confidential", "保密"),
    "cli.help.restricted": ("confidential entry: counselling, family_conflict or referral (c/f/r)",
                            "保密记录：counselling 心理辅导、family_conflict 家庭矛盾、referral 转介（c/f/r）"),
    "cli.field.restricted": ("confidential", "保密"),
    "form.restricted.no": ("no", "否"),
    "cli.help.staff": ("staff accounts: list, add, set (role, classes), disable, enable, reset-pin; "
                       "pin changes your own PIN",
                       "教职工账号：list 列出、add 添加、set 修改角色与班级、disable 停用、enable 启用、reset-pin 重设 PIN；"
                       "pin 更换自己的 PIN"),
    "cli.help.staff_action": ("what to do", "操作"),
    "cli.help.staff_name": ("the person's name", "姓名"),
    "cli.help.staff_role": ("the role (see the README's permission table)", "角色（见 README 的权限表）"),
    "cli.help.staff_classes": ("class codes they teach, e.g. \"7-3,7-4\"", "任教班级代码，如 \"7-3,7-4\""),
    "cli.staff.new_pin": ("New PIN for {name}: ", "{name} 的新 PIN："),
    "cli.staff.new_pin_again": ("The same PIN again: ", "再输入一次："),
    "cli.staff.pin_line": ("{name}: the new PIN is the next line of stdin.", "{name}：新 PIN 应为标准输入的下一行。"),
    "cli.staff.need_name": ("staff {action} needs a name.", "staff {action} 需要姓名。"),
    "cli.staff.first": ("{name} is this database's first administrator.", "{name} 已成为本数据库的第一位管理员。"),
    "cli.pin_must_change": ("{name}: your PIN must change before you go on: you may read confidential "
                            "notes, and a short PIN can be guessed from a copy of the file. Run "
                            "`bangfu staff pin --as {name}` (your PIN, then the new one twice) or "
                            "sign in to the app, which asks for it.",
                            "{name}：请先更换 PIN 再继续：您可以查看保密记录，而短 PIN 可能被人从数据库"
                            "副本中猜出。请运行 `bangfu staff pin --as {name}`（先输入当前 PIN，再输入两次新 PIN），"
                            "或登录应用程序按提示更换。"),
    "cli.staff.pin_changed": ("Your new PIN is set.", "新 PIN 已设置。"),
    "staff.saved_reader": ("Saved. If their PIN is short, they choose a stronger one at their next "
                           "sign-in (they may read confidential notes).",
                           "已保存。如其 PIN 过短，下次登录时须更换为更难猜的 PIN（其可查看保密记录）。"),
    "key.staff_add": ("add", "添加"),
    "key.staff_edit": ("edit", "修改"),
    "key.staff_pin": ("new PIN", "重设 PIN"),
    "key.staff_toggle": ("disable/enable", "停用/启用"),
    "staff.title": ("bangfu — staff accounts", "bangfu — 教职工账号"),
    "staff.loading": ("Reading the accounts…", "正在读取账号……"),
    "staff.info": ("{n} active, {off} disabled · a disabled account's entries keep their author",
                   "在用 {n} 个，停用 {off} 个 · 停用账号的记录仍署其名"),
    "staff.col.name": ("Name", "姓名"),
    "staff.col.role": ("Role", "角色"),
    "staff.col.classes": ("Classes taught", "任教班级"),
    "staff.col.state": ("State", "状态"),
    "staff.state.active": ("active", "在用"),
    "staff.state.disabled": ("disabled", "已停用"),
    "staff.state.locked": ("locked until {until}", "锁定至 {until}"),
    "staff.state.no_pin": ("no PIN yet", "尚未设置 PIN"),
    "staff.name": ("Name", "姓名"),
    "staff.role": ("Role", "角色"),
    "staff.classes": ("Classes", "任教班级"),
    "staff.classes.placeholder": ("class codes, e.g. 7-3, 7-4", "班级代码，如 7-3, 7-4"),
    "staff.pin": ("PIN", "PIN 码"),
    "staff.pin_again": ("PIN again", "再输一次"),
    "staff.adding": ("A new account: name, role, classes, first PIN", "新账号：姓名、角色、任教班级、初始 PIN"),
    "staff.editing": ("{name}: role and classes", "{name}：角色和任教班级"),
    "staff.pin_for": ("A new PIN for {name} (it also lifts a lock)", "为 {name} 设置新 PIN（同时解除锁定）"),
    "staff.added": ("Account added.", "账号已添加。"),
    "staff.saved": ("Saved.", "已保存。"),
    "staff.unchanged": ("Nothing changed.", "没有改动。"),
    "staff.pin_set": ("New PIN set.", "新 PIN 已设置。"),
    "staff.disabled": ("Account disabled: it can no longer sign in.", "账号已停用：不能再登录。"),
    "staff.enabled": ("Account enabled.", "账号已启用。"),
    "staff.disable_ask": ("Disable {name}? They can no longer sign in; their entries keep their name.",
                          "停用 {name}？停用后不能登录，其记录仍署其名。"),
    "staff.enable_ask": ("Enable {name} again?", "重新启用 {name}？"),
    # -- export (tui/cli_export.py) --
    "cli.help.export": ("export students, cases or contacts as xlsx or csv (staff, not volunteers)",
                        "导出学生、帮扶档案或联系记录为 xlsx 或 csv（教职工，志愿者不可）"),
    "cli.help.export_what": ("students, cases or contacts", "students（学生）、cases（帮扶档案）或 contacts（联系记录）"),
    "cli.help.export_format": ("xlsx or csv (default: from the -o suffix, else xlsx)",
                               "xlsx 或 csv（默认：按 -o 的扩展名，否则 xlsx）"),
    "cli.help.export_output": ("the file or folder to write (default: the export folder)",
                               "要写入的文件或文件夹（默认：导出文件夹）"),
    "cli.export.written": ("{n:row|rows} written: {path}", "已导出 {n} 行：{path}"),
    "cli.export.failed": ("Cannot write {path}: {detail}", "无法写入 {path}：{detail}"),
    "cli.export.dates_contacts_only": ("--since and --until narrow contacts only.",
                                       "--since 和 --until 只用于联系记录（contacts）。"),
    "cli.export.range": ("--until is before --since.", "--until 早于 --since。"),
    "cli.export.suffix": ("An export is written as .xlsx or .csv, not {suffix}.",
                          "导出文件只能是 .xlsx 或 .csv，不能是 {suffix}。"),
    "export.title.students": ("Students", "学生名单"),
    "export.title.cases": ("Support cases", "帮扶档案"),
    "export.title.contacts": ("Contact records", "联系记录"),
    "export.file.students": ("students", "学生名单"),
    "export.file.cases": ("cases", "帮扶档案"),
    "export.file.contacts": ("contacts", "联系记录"),
    "export.col.student_no": ("Student no.", "学号"),
    "export.col.name": ("Name", "姓名"),
    "export.col.gender": ("Gender", "性别"),
    "export.col.class": ("Class", "班级"),
    "export.col.term": ("Term", "学期"),
    "export.col.birth_date": ("Date of birth", "出生日期"),
    "export.col.address": ("Address", "现住址"),
    "export.col.phone": ("Family phone", "联系电话"),
    "export.col.family_flags": ("Family situation", "家庭情况"),
    "export.col.guardians": ("Guardians", "监护人"),
    "export.col.status": ("Case status", "帮扶状态"),
    "export.col.lead": ("Lead", "负责人"),
    "export.col.risk_level": ("Risk", "风险等级"),
    "export.col.categories": ("Categories", "类型"),
    "export.col.causes": ("Causes", "原因"),
    "export.col.opened_on": ("Opened", "建档日期"),
    "export.col.closed_on": ("Closed", "结案日期"),
    "export.col.team": ("Team", "帮扶团队"),
    "export.col.strengths": ("Strengths and interests", "优点与兴趣"),
    "export.col.academic_base": ("Academic base", "学业基础"),
    "export.col.main_problems": ("Main problems", "主要问题"),
    "export.col.cause_analysis": ("Cause analysis", "原因分析"),
    "export.col.measures": ("Measures", "帮扶措施"),
    "export.col.restricted_fields": ("Confidential fields", "保密字段"),
    "export.col.contacts": ("Contacts", "联系次数"),
    "export.col.last_contact": ("Last contact", "最近联系"),
    "export.col.occurred_at": ("Date and time", "日期时间"),
    "export.col.kind": ("With", "对象"),
    "export.col.channel": ("Channel", "方式"),
    "export.col.author": ("Recorded by", "记录人"),
    "export.col.participants": ("Participants", "参与人"),
    "export.col.duration_min": ("Minutes", "时长（分钟）"),
    "export.col.discussed": ("Discussed", "沟通内容"),
    "export.col.agreed": ("Agreed", "约定事项"),
    "export.col.follow_up": ("Follow-up", "跟进事项"),
    "export.col.follow_up_due": ("Follow-up due", "跟进期限"),
    "export.col.done_on": ("Follow-up done", "跟进完成"),
    "export.col.restricted": ("Confidential", "保密"),
    # -- the audit log (issue 6) --
    "audit.title": ("Audit log", "审计日志"),
    "key.audit": ("Audit log", "审计日志"),
    "cmd.audit.help": ("Who changed what, when and from which computer (administrators)",
                       "谁在何时、从哪台电脑修改了什么（仅管理员）"),
    "key.audit_detail": ("Details", "详情"),
    "key.audit_filter": ("Filter", "筛选"),
    "audit.person": ("Person", "人员"),
    "audit.student": ("Student", "学生"),
    "audit.since": ("From", "从"),
    "audit.until": ("To", "至"),
    "audit.person_placeholder": ("name, pinyin", "姓名或拼音"),
    "audit.student_placeholder": ("name, number", "姓名或学号"),
    "audit.date_placeholder": ("date", "日期"),
    "audit.loading": ("Reading the audit log…", "正在读取审计日志…"),
    "audit.info": ("{n:row|rows} · {filters} · Enter: details", "{n} 条 · {filters} · 回车查看详情"),
    "audit.info_more": ("Newest {n:row|rows} shown (x, c export all) · {filters}",
                        "显示最新 {n} 条（x、c 导出全部）· {filters}"),
    "audit.none": ("No rows match · {filters}", "没有符合条件的记录 · {filters}"),
    "audit.everything": ("everything", "全部"),
    "audit.filter.person": ("by or about {name}", "{name} 操作或与其相关"),
    "audit.filter.student": ("student {name} {number}", "学生 {name} {number}"),
    "audit.filter.since": ("from {date}", "自 {date}"),
    "audit.filter.until": ("to {date}", "至 {date}"),
    "audit.col.id": ("No.", "序号"),
    "audit.col.at": ("When", "时间"),
    "audit.col.who": ("Who", "操作人"),
    "audit.col.host": ("Computer", "电脑"),
    "audit.col.table": ("Table", "数据表"),
    "audit.col.row": ("Row", "行号"),
    "audit.col.what": ("Table, row", "表、行"),
    "audit.col.action": ("Action", "操作"),
    "audit.col.field": ("Field", "字段"),
    "audit.col.old": ("Old", "原值"),
    "audit.col.new": ("New", "新值"),
    "audit.col.change": ("Change (old → new)", "变更（原值 → 新值）"),
    "audit.action.insert": ("added", "新增"),
    "audit.action.update": ("changed", "修改"),
    "audit.action.delete": ("removed", "删除"),
    "audit.action.bulk": ("bulk write", "批量写入"),
    "audit.action.read": ("opened", "查看"),
    "audit.action.sign_in_failed": ("failed sign-in", "登录失败"),
    "audit.action.seal": ("sealed", "封存"),
    "audit.table.student": ("student", "学生"),
    "audit.table.guardian": ("guardian", "监护人"),
    "audit.table.case_file": ("case file", "帮扶档案"),
    "audit.table.contact": ("entry", "联系记录"),
    "audit.table.assignment": ("team", "帮扶分工"),
    "audit.table.goal": ("goal", "目标"),
    "audit.table.stage_review": ("stage review", "阶段评估"),
    "audit.table.peer_pair": ("peer pair", "生帮生"),
    "audit.table.score": ("score", "成绩"),
    "audit.table.checkin": ("check-in", "心理测评"),
    "audit.table.staff": ("staff", "教职工"),
    "audit.table.term": ("term", "学期"),
    "audit.table.school_class": ("class", "班级"),
    "audit.table.bangfu_meta": ("school setting", "学校设置"),
    "audit.table.staff_key": ("personal key", "个人钥匙"),
    "audit.table.school_key": ("school key", "学校钥匙"),
    "audit.err.staff_none": ("No staff member has that name or pinyin.", "没有这个姓名或拼音的教职工。"),
    "audit.err.staff_many": ("Several staff match ({names}): type more of the name.",
                             "匹配到多位教职工（{names}）：请输入更完整的姓名。"),
    "audit.err.student_none": ("No student matches.", "没有匹配的学生。"),
    "audit.err.student_many": ("Several students match ({names}): type the student number.",
                               "匹配到多位学生（{names}）：请输入学号。"),
    "audit.err.range": ("The end date is before the start date.", "结束日期早于开始日期。"),
    "audit.err.field": ("{field}: {message}", "{field}：{message}"),
    "audit.detail.title": ("Audit row {id}", "审计记录 {id}"),
    "audit.detail.head": ("{at} · {who} · on {host}", "{at} · {who} · 电脑 {host}"),
    "audit.detail.what": ("{action}: {table} {row}", "{action}：{table} {row}"),
    "audit.detail.none": ("No fields recorded.", "没有记录字段。"),
    "audit.detail.read_only": ("The audit log cannot be changed or deleted.", "审计日志不能修改或删除。"),
    "audit.detail.masked": ("A restricted entry's text is not shown here: open it from its case "
                            "(that opening is logged too).",
                            "此处不显示保密记录的内容：请从帮扶档案中打开（打开同样会被记录）。"),
    "audit.file_name": ("audit-log", "审计日志"),
    "audit.file_line": ("{filters} · {n:row|rows} · written {when}", "{filters} · 共 {n} 条 · 导出于 {when}"),
    "audit.writing": ("Writing {path}…", "正在写入 {path}…"),
    "audit.written": ("Audit log written: {path} ({n:row|rows})", "审计日志已保存：{path}（{n} 条）"),
    "audit.write_failed": ("The audit log could not be written ({detail}).", "无法保存审计日志（{detail}）。"),
    "cli.help.audit": ("export the audit log (administrators): csv, md or xlsx",
                       "导出审计日志（仅管理员）：csv、md 或 xlsx"),
    "cli.help.audit_staff": ("only what this person did, or what was done to their account",
                             "仅此人所做的操作，或对其账号的操作"),
    "cli.help.audit_student": ("only rows about this student (number, or a query matching one)",
                               "仅与该学生相关的记录（学号，或只匹配一位学生的查询）"),
    "cli.help.since": ("from this day (today, -7, 11-01, 2026-11-01)", "自该日起（today、-7、11-01、2026-11-01）"),
    "cli.help.until": ("up to this day, included", "截至该日（含）"),
    "cli.help.audit_format": ("csv, md or xlsx (default: from the -o suffix, else md)",
                              "csv、md 或 xlsx（默认取 -o 的后缀，否则为 md）"),
    "cli.help.audit_output": ("the file to write (without it md and csv are printed)",
                              "要写入的文件（不指定时直接输出 md 或 csv）"),
    "cli.audit.need_output": ("An xlsx export needs a file: -o FILE.xlsx.", "导出 xlsx 需要指定文件：-o 文件名.xlsx。"),
    "cli.audit.failed": ("Cannot write {path}: {detail}", "无法写入 {path}：{detail}"),
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
}


DATABASE_ERRORS = {"missing": "cli.missing_db", "newer": "cli.newer_db", "empty": "cli.empty_db",
                   "unwritable": "cli.unwritable_db", "locking": "cli.locking_db",
                   "auth": "cli.server_auth", "unreachable": "cli.server_unreachable",
                   "server_full": "cli.server_full", "bad_url": "cli.bad_url"}


# why a saved entry waits in the outbox: the server's kinds (db.server.outage_kind)
# and the file's; anything else is "cannot be reached"
_QUEUED_SERVER = ("unknown", "lost", "busy", "slow", "disk_full", "resources")
_QUEUED_FILE = {"busy": "file_busy", "disk_full": "file_disk_full",
                "permission": "file_permission", "damaged": "file_damaged"}


def queued_message(exc: BaseException, uuid: str = "", *, form: bool = False) -> tuple[str, str]:
    """``(kind, message)`` for a save that went to the outbox because of ``exc``:
    what happened and what happens next, for the command line (with the
    entry's ``uuid``) or a form (``form``).  ``kind`` is what the outbox keeps."""
    from db.failures import failure_kind, from_server

    kind = failure_kind(exc)
    prefix = "form.queued" if form else "cli.queued"
    if from_server(exc):
        if kind not in _QUEUED_SERVER:
            return kind, t(prefix, uuid=uuid)
        from db.server import LOCK_WAIT_MS, STATEMENT_TIMEOUT_MS

        seconds = (LOCK_WAIT_MS if kind == "busy" else STATEMENT_TIMEOUT_MS) // 1000
        return kind, t(f"{prefix}.{kind}", uuid=uuid, seconds=seconds)
    if kind in _QUEUED_FILE:
        return kind, t(f"{prefix}.{_QUEUED_FILE[kind]}", uuid=uuid)
    return kind, t(prefix, uuid=uuid)


def failure(exc: BaseException) -> str:
    """What went wrong, in words (``db.failures``): never an exception's name."""
    from db.failures import failure_kind

    return t(f"failure.{failure_kind(exc)}")


def database_error(code: str, path, detail: str, settings=None) -> str:
    """The message for a ``db.connection.DatabaseError`` (CLI and app alike)."""
    extra = {}
    if code == "locking":
        from db.config import config_file

        extra = dict(mine=getattr(settings, "locking", "posix"),
                     source=getattr(settings, "locking_source", "default"), config=config_file())
    key = DATABASE_ERRORS.get(code, "cli.unreadable_db")
    if code == "missing" and "://" in str(path):  # a server without that database
        key = "cli.server_missing_db"
    return t(key, path=path, detail=detail, **extra)


def duration(seconds: float) -> str:
    """A lock's age: "45 s", "3 min", "2 h 5 min"."""
    seconds = int(seconds)
    if seconds < 120:
        return t("time.seconds", n=seconds)
    if seconds < 7200:
        return t("time.minutes", n=seconds // 60)
    return t("time.hours", n=seconds // 3600, m=seconds % 3600 // 60)


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
    if entry is None:  # a code from the file, maybe a hostile one: never raw
        return _plain(key)
    text = entry[1] if _lang == "zh" else entry[0]
    return fill(text, **values) if values else text


def is_one(value) -> bool:
    """Whether a count takes the singular in English (1, "1")."""
    return value == 1 or (isinstance(value, str) and value.strip() == "1")


class _CountFormatter(string.Formatter):
    """``{n:day|days}``: the count, a space, then the form that fits it."""

    def format_field(self, value, format_spec: str):
        if "|" in format_spec:
            one, other = format_spec.split("|", 1)
            return f"{value} {one if is_one(value) else other}"
        return super().format_field(value, format_spec)


_COUNTS = _CountFormatter()


def fill(text: str, /, **values) -> str:
    """A catalog text with ``values`` filled in, counts in the form that fits them."""
    return _COUNTS.format(text, **values) if "|" in text else text.format(**values)


def share_text(value: float | None) -> str:
    """A share (0..1) as "66.7%"; "—" when there is nothing to divide by."""
    return t("common.none") if value is None else f"{value * 100:.1f}%"


def change_text(change: float | None) -> str:
    """A change (a fraction of the first value) as "+12.5%"; "—" when it cannot be
    measured, "up from 0" when the first value was 0."""
    if change is None:
        return t("common.none")
    if change == float("inf"):
        return t("summary.from_zero")
    return f"{change * 100:+.1f}%"


def account_error(exc) -> str:
    """A ``db.accounts.AccountError`` in words."""
    values = {k: v for k, v in exc.extra.items() if k != "field"}
    if "until" in values:
        values["until"] = f"{values['until']:%H:%M}"
    return t(f"err.account.{exc.code}", **values)


def restricted_entry(reason: str) -> str:
    """"restricted entry (counselling)": all that shows of a confidential entry."""
    return t("access.restricted_entry") + paren(label("restricted", reason))


def hidden_text(view, name: str) -> str:
    """What shows instead of a field this reader may not see ("" if they may):
    "restricted" for a confidential field, else "not shown to volunteers"."""
    if name not in getattr(view, "hidden", ()):
        return ""
    return t("access.restricted_field" if name in view.restricted_fields else "access.hidden")


def paren(text: str) -> str:
    """``text`` in brackets as each language writes them: " (x)" or "（x）"."""
    return f"（{text}）" if _lang == "zh" else f" ({text})"


def label(group: str, code: str) -> str:
    entry = VOCAB.get(group, {}).get(code)
    if entry is None:  # a code this version does not know, as stored: cleaned
        return _plain(code)
    return entry[1] if _lang == "zh" else entry[0]


def _plain(text: str) -> str:
    if text.isprintable():
        return text
    from db.text import one_line

    return one_line(text)


def labels(group: str, codes) -> str:
    return t("common.list_sep").join(label(group, c) for c in codes)


def due_label(what: str, rules=()) -> str:
    """What a due item is: "Help session", "家访" … A school's own rule is named
    from what it counts when its ``Rule`` is among ``rules``, else by its code."""
    key = f"due.{what}"
    if key in CATALOG:
        return t(key)
    for rule in rules:
        if rule.code == what:
            return rule_label(rule)
    return _plain(what)


def rule_label(rule) -> str:
    """A rule (``db.workflow.Rule``) in words: the school plans' own by name, a
    school's own from what it counts: "Family contact (phone)", "家校联系（电话）"."""
    key = f"due.{rule.code}"
    if key in CATALOG:
        return t(key)
    name = t(f"rules.name.{rule.kind or 'any'}")
    return name + paren(label("channel", rule.channel)) if rule.channel else name


def rule_counts(rule) -> str:
    """Which entries count for a rule: "family entries · any channel"."""
    channel = label("channel", rule.channel) if rule.channel else t("rules.any_channel")
    return t("rules.counts", kind=t(f"rules.counts.{rule.kind or 'any'}"), channel=channel)


def rule_often(rule) -> str:
    """"every 7 days", "once a term"."""
    return t("rules.per_term") if rule.per_term else t("rules.every", n=rule.every_days)


def due_when(item, today) -> str:
    """"12 d late", "today", "in 3 d" (in the interface language)."""
    days = (today - item.due).days
    if days > 0:
        return t("caseload.late", n=days)
    if days == 0:
        return t("caseload.today")
    return t("caseload.in", n=-days)


def due_detail(item) -> str:
    """A follow-up's or goal's text, else when the rule was last met."""
    from db.text import one_line

    if item.what == "follow_up" and getattr(item, "restricted", ""):
        return restricted_entry(item.restricted)
    if item.what in ("follow_up", "goal"):
        return one_line(item.text)
    if item.last is None:
        return t("caseload.never")
    return t("caseload.last", date=f"{item.last:%m-%d}")
