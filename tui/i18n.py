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
    "app.waiting": ("{n} waiting", "{n} 条待写入"),
    "app.outbox_written": ("{n} waiting entries written to the database.", "{n} 条待写入记录已写入数据库。"),
    "app.outbox_problem": ("{n} waiting entries cannot be written (see `bangfu outbox`).",
                           "{n} 条待写入记录无法写入（见 `bangfu outbox`）。"),
    "app.stale_lock": ("The database has been locked for {age}, far longer than any save takes: a "
                       "computer probably crashed while saving. Remove the lock? Only if nobody is "
                       "saving right now.",
                       "数据库已被锁定{age}，远超任何保存所需时间：可能有电脑在保存时崩溃。"
                       "删除此锁？仅在此刻无人保存时删除。"),
    "app.unlocked": ("Lock removed.", "锁已删除。"),
    "app.backup_failed": ("Today's backup failed ({detail}); run `bangfu backup`.",
                          "今日备份失败（{detail}）；请运行 `bangfu backup`。"),
    "lock.title": ("Locked: nobody typed for {minutes} minutes.", "已锁定：{minutes} 分钟无人操作。"),
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
    "amend.title": ("Amend an entry", "修改记录"),
    "amend.pick": ("Which entry? (newest first)", "修改哪一条记录？（最新的在前）"),
    "amend.saved": ("Entry amended; the audit log keeps what it said before.",
                    "记录已修改；审计日志保留修改前的内容。"),
    "amend.gone": ("That entry no longer exists; nothing was saved.", "该记录已不存在；未保存。"),
    "key.amend": ("Amend", "修改记录"),
    "key.amend_pick": ("Amend", "修改"),
    "drafts.amend": ("Amendment: {title} · {when}", "记录修改：{title} · {when}"),
    "goal.title": ("Plan: goals", "帮扶计划：目标"),
    "goal.info": ("{name}: {n} goals · a add · s next status", "{name}：{n} 个目标 · a 添加 · s 更改状态"),
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
    "team.add_placeholder": ("add: type a staff name or pinyin, Enter", "添加：输入教职工姓名或拼音，按 Enter"),
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
    "review.info": ("{term}: {n} of my cases are from an earlier term · k keep · c close · "
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
    "meeting.chosen": ("{n} students: {names}", "{n}名学生：{names}"),
    "meeting.case_gone": ("One of these students' cases no longer exists; nothing was saved.",
                          "其中一名学生的帮扶档案已不存在；未保存任何记录。"),
    "meeting.saved": ("Saved one entry for each of {n} students.", "已为 {n} 名学生各保存一条记录。"),
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
    "grid.loaded.scores": ("{klass}: {n} students, {stored} with scores stored for {date}. "
                           "● open case. Enter goes down.",
                           "{klass}：{n} 名学生，{stored} 人已有 {date} 的成绩。● 为帮扶学生。Enter 下移。"),
    "grid.loaded.checkins": ("{klass}: {n} supported students, {stored} checked in on {date}. "
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
    "rscreen.period": ("{period} · figures as of {as_of} · term {term}",
                       "{period} · 数据截至 {as_of} · 学期 {term}"),
    "rscreen.line.cases": ("Cases this term: {n} ({statuses}); {opened} opened in the period",
                           "本学期个案 {n} 个（{statuses}）；本期新增 {opened} 个"),
    "rscreen.line.entries": ("Entries: {n} ({kinds}), for {cases} cases",
                             "帮扶记录 {n} 条（{kinds}），涉及 {cases} 个个案"),
    "rscreen.line.compliance": ("On time, of {n} open cases: {rules}", "按时落实（在帮 {n} 个）：{rules}"),
    "rscreen.line.overdue": ("Overdue: {n} items in {cases} cases", "逾期：{cases} 个个案共 {n} 项"),
    "rscreen.line.progress": ("Scores up 10% or more: {share} ({improved} of {measurable} measurable; "
                              "target {target}); {unmeasured} not measurable yet",
                              "成绩提高 10% 以上：{share}（可比较 {measurable} 人中 {improved} 人；目标 {target}）；"
                              "{unmeasured} 人尚无法比较"),
    "rscreen.col.cases": ("Cases", "个案"),
    "rscreen.col.overdue": ("Overdue", "逾期个案"),
    "rscreen.most_overdue": ("Most overdue", "逾期最久"),
    "rscreen.days_late": ("{n} days late", "逾期 {n} 天"),
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
    "case.reviews_more": ("{n} earlier reviews not shown.", "另有 {n} 次较早的评估未显示。"),
    "due.review": ("Stage review", "阶段评估"),
    "team.peer": ("peer helper", "生帮生"),
    "team.peer_placeholder": ("pair a student: type a name, pinyin or class, Enter",
                              "结对学生：输入姓名、拼音或班级，按 Enter"),
    "team.error.self": ("A student cannot be their own peer helper.", "学生不能与自己结对。"),
    "team.error.student": ("That student is no longer on the roster.", "该学生已不在名册中。"),
    "overview.title": ("Leaders' overview", "帮扶工作总览"),
    "overview.loading": ("Counting…", "正在统计…"),
    "overview.info": ("{period} · by {grouping} · {cases} cases, {overdue} overdue",
                      "{period} · 按{grouping} · {cases} 个个案，{overdue} 个逾期"),
    "overview.group_info": ("{name} · {cases} cases, {overdue} overdue · esc back",
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
    "caseload.summary": ("My caseload · {cases} cases · {late} overdue · {soon} due in 7 days",
                         "我的帮扶任务 · {cases} 个个案 · {late} 项逾期 · {soon} 项7天内到期"),
    "caseload.none": ("My caseload · {cases} cases · nothing due in the next 7 days",
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
    "cli.demo_done": ("Demo school written to {path}: {students} students, {cases} cases, {contacts} contacts, "
                      "{scores} scores, {checkins} check-ins.",
                      "演示学校已写入 {path}：{students} 名学生，{cases} 个帮扶档案，{contacts} 条联系记录，"
                      "{scores} 条成绩，{checkins} 次心理测评。"),
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
    "cli.help.check": ("check the file's integrity (exit 0 ok, 1 damaged, 2 cannot open)",
                       "检查文件完整性（退出码 0 正常、1 损坏、2 无法打开）"),
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
    "cli.due_none": ("Nothing overdue or due in the next {days} days for {name}.",
                     "{name} 在未来 {days} 天内没有逾期或到期的事项。"),
    "cli.due_count": ("{n} items ({late} overdue) on {cases} cases.",
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
    "cli.help.outbox": ("list entries waiting to be written; --flush writes them",
                        "列出等待写入的记录；--flush 立即写入"),
    "cli.help.flush": ("write the waiting entries now", "立即写入等待中的记录"),
    "cli.backup_done": ("Backup written: {path} ({size}). Keeping the last {keep}.",
                        "备份已写入：{path}（{size}）。保留最近 {keep} 份。"),
    "cli.backup_failed": ("The backup failed: {detail}. The database itself was not changed.",
                          "备份失败：{detail}。数据库本身未被修改。"),
    "cli.check_ok": ("{path}: ok (integrity and foreign keys).", "{path}：正常（完整性与外键检查通过）。"),
    "cli.check_damaged": ("{path} is damaged ({n} problems). Make sure nobody is using bangfu, then run "
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
    "cli.unlock_ask": ("Remove it? Only do this if no bangfu is in the middle of saving. [y/N] ",
                       "删除此锁？仅在没有帮扶正在保存时删除。[y/N] "),
    "cli.unlock_force": ("Use --force to remove a lock younger than {limit} s.",
                         "锁未超过 {limit} 秒；如确需删除请加 --force。"),
    "cli.unlocked": ("Lock removed. The next client to open the file rolls back any half-written "
                     "change; run `bangfu check` to be sure.",
                     "锁已删除。下一个打开文件的客户端会回滚未完成的修改；可运行 `bangfu check` 确认。"),
    "cli.not_removed": ("Nothing removed.", "未删除任何内容。"),
    "cli.recover_ok": ("{path} is not damaged; journals replayed onto it: {applied} rows restored, "
                       "{present} already present, {failed} failed.",
                       "{path} 未损坏；已将日志重放到该文件：恢复 {applied} 行，{present} 行已存在，{failed} 行失败。"),
    "cli.recover_plan": ("{path} is damaged or unreadable. It will be moved to {aside}, replaced by the "
                         "backup {backup} and every journal replayed onto it. Nobody may use bangfu meanwhile.",
                         "{path} 已损坏或无法读取。它将被移到 {aside}，以备份 {backup} 替换，并重放所有日志。"
                         "期间任何人不得使用帮扶。"),
    "cli.recover_ask": ("Go on? [y/N] ", "继续？[y/N] "),
    "cli.recover_done": ("Recovered {path}: {applied} rows restored from {files} journals, {present} were "
                         "in the backup, {failed} failed, {bad} unreadable lines. Check: {check}.",
                         "已恢复 {path}：从 {files} 个日志恢复 {applied} 行，{present} 行已在备份中，"
                         "{failed} 行失败，{bad} 行无法读取。检查结果：{check}。"),
    "cli.recover_no_backup": ("No good backup of {path} in {folder}; cannot rebuild. Keep the damaged file "
                              "and the {journal} folder, and ask for help.",
                              "{folder} 中没有 {path} 的完好备份，无法重建。请保留损坏的文件和 {journal} 文件夹并寻求帮助。"),
    "cli.outbox_empty": ("No entries waiting for {path}.", "{path} 没有等待写入的记录。"),
    "cli.outbox_item": ("{queued}  {staff}  {when}  {text}", "{queued}  {staff}  {when}  {text}"),
    "cli.outbox_count": ("{n} entries waiting (they are written automatically when the file can be "
                         "reached; --flush writes them now).",
                         "{n} 条记录等待写入（文件可访问时自动写入；--flush 立即写入）。"),
    "cli.outbox_flushed": ("Written: {written}; already in the file: {present}; still waiting: {waiting}.",
                           "已写入：{written}；文件中已有：{present}；仍在等待：{waiting}。"),
    "cli.outbox_problem": ("Cannot write {path}: {reason}. It stays in the outbox.",
                           "无法写入 {path}：{reason}。该记录保留在待写队列中。"),
    "cli.outbox_reason.case": ("its case no longer exists", "其帮扶档案已不存在"),
    "cli.outbox_reason.staff": ("its author is not in the staff list", "作者不在教职工名单中"),
    "cli.outbox_reason.unreadable": ("the file is unreadable", "文件无法读取"),
    "cli.queued": ("The database cannot be reached; the entry waits in the local outbox ({uuid}) and "
                   "is written when it can be.",
                   "无法访问数据库；该记录已存入本地待写队列（{uuid}），待可访问时写入。"),
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
    "doctor.warn.busy": ("The file stayed locked by another client for 5 s; try again.",
                         "文件被其他客户端锁定超过 5 秒；请稍后重试。"),
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
    "doctor.warn.outbox": ("Entries are waiting in this computer's outbox: `bangfu outbox --flush`.",
                           "本机有等待写入的记录：请运行 `bangfu outbox --flush`。"),
    "doctor.warnings": ("Warnings", "警告"),
    "time.seconds": ("{n} s", "{n}秒"),
    "time.minutes": ("{n} min", "{n}分钟"),
    "time.hours": ("{n} h {m} min", "{n}小时{m}分钟"),
    # the school's rules: screens/rules.py (u in the overview) and `bangfu rules`
    "rules.title": ("Rules", "帮扶规则"),
    "rules.info": ("{n} rules for every open case · My caseload and the overview follow them",
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
    "rules.every": ("every {n} days", "每 {n} 天一次"),
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
                   "unwritable": "cli.unwritable_db", "locking": "cli.locking_db"}


def database_error(code: str, path, detail: str, settings=None) -> str:
    """The message for a ``db.connection.DatabaseError`` (CLI and app alike)."""
    extra = {}
    if code == "locking":
        from db.config import config_file

        extra = dict(mine=getattr(settings, "locking", "posix"),
                     source=getattr(settings, "locking_source", "default"), config=config_file())
    return t(DATABASE_ERRORS.get(code, "cli.unreadable_db"), path=path, detail=detail, **extra)


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
    if entry is None:
        return key
    text = entry[1] if _lang == "zh" else entry[0]
    return text.format(**values) if values else text


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


def due_label(what: str, rules=()) -> str:
    """What a due item is: "Help session", "家访" … A school's own rule is named
    from what it counts when its ``Rule`` is among ``rules``, else by its code."""
    key = f"due.{what}"
    if key in CATALOG:
        return t(key)
    for rule in rules:
        if rule.code == what:
            return rule_label(rule)
    return what


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

    if item.what in ("follow_up", "goal"):
        return one_line(item.text)
    if item.last is None:
        return t("caseload.never")
    return t("caseload.last", date=f"{item.last:%m-%d}")
