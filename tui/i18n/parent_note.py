"""The note a family can read (家长版小结)."""

ENTRIES: dict[str, tuple[str, str]] = {
    # the note itself (tui.parent_note): warm, plain words for parents
    "pnote.greeting": ("Dear parents of {name},", "{name}家长，您好！"),
    "pnote.day": ("{day} {month}", "{month}月{day}日"),  # month: its name in English
    "pnote.list_sep": (", ", "，"),
    "pnote.by_channel": ("{channel}: {n}", "{channel} {n} 次"),
    "pnote.done.title": ("Over the past month ({start} to {end}), together with your child we:",
                         "近一个月（{start}至{end}），我们和孩子一起："),
    "pnote.done.sessions": ("met your child for help and talks {n:time|times} ({detail});",
                            "和孩子面对面辅导、谈心共 {n} 次（{detail}）；"),
    "pnote.done.contacts": ("talked with your family {n:time|times} ({detail}).",
                            "和您沟通共 {n} 次（{detail}）。"),
    "pnote.done.events": ("Thank you for coming to {n:school event|school events} for families "
                          "({detail}).", "感谢您参加学校的家长活动 {n} 次（{detail}）。"),
    # the events in a note's words (never the programme's own names for them)
    "pnote.event.parent_school": ("parent school", "家长学校"),
    "pnote.event.parent_meeting": ("parent meeting", "家长会"),
    "pnote.event.focus_meeting": ("parents' talk", "家长座谈会"),
    "pnote.event.workshop": ("workshop", "家长讲座"),
    "pnote.event.open_day": ("open day", "校园开放日"),
    "pnote.event.other": ("school event", "学校活动"),
    "pnote.done.none": ("have not written down any meetings yet this month; we will keep in touch.",
                        "这个月还没有记录下的辅导和沟通，我们会继续和您保持联系。"),
    "pnote.progress.title": ("How your child is doing:", "孩子的进步："),
    "pnote.progress.better": ("This term's test results are better than at the start of term.",
                              "本学期的考试成绩比学期初有进步。"),
    "pnote.progress.same": ("This term's test results are about the same as at the start of term.",
                            "本学期的考试成绩和学期初大致持平。"),
    "pnote.progress.lower": ("This term's test results are a little lower than at the start of "
                             "term; let us keep working on it together.",
                             "本学期的考试成绩比学期初有所下降，我们一起多加油。"),
    "pnote.progress.better_in": ("Getting better in: {subjects}.", "进步的科目：{subjects}。"),
    "pnote.progress.lower_in": ("Needs more help in: {subjects}.", "还需要多加油的科目：{subjects}。"),
    "pnote.progress.unknown": ("There are not enough test results this term to compare yet; "
                               "we will tell you after the next test.",
                               "本学期的成绩还不够比较，下次考试后我们再告诉您。"),
    "pnote.goals.title": ("What we are working on:", "我们正在努力的目标："),
    "pnote.tips.title": ("What you can do at home:", "您可以在家："),
    "pnote.tip.talk": ("Talk with your child about the school day; praise effort more than "
                       "results.", "每天和孩子聊一聊学校里的事，多鼓励、多肯定孩子的努力。"),
    "pnote.tip.sleep": ("Make sure your child sleeps enough and keeps screen time short.",
                        "保证孩子睡眠充足，少玩手机。"),
    "pnote.tip.academic": ("Set a fixed time and a quiet place for homework every day.",
                           "每天安排固定的时间和安静的地方，让孩子完成作业。"),
    "pnote.tip.behaviour": ("Agree a few simple house rules together, and praise your child "
                            "for keeping them.", "和孩子一起定几条简单的家规，做到了就及时表扬。"),
    "pnote.tip.psychological": ("Listen to your child calmly and often; tell the teacher if "
                                "something worries you.",
                                "多耐心听孩子说说心里话；有让您担心的事，请告诉老师。"),
    "pnote.tip.interpersonal": ("Encourage your child to study or play with classmates.",
                                "鼓励孩子和同学一起学习、一起参加活动。"),
    "pnote.tip.attendance": ("Help your child get up and reach school on time; if they cannot "
                             "come, tell the teacher the same day.",
                             "帮助孩子按时起床、按时到校；不能到校时，请当天告诉老师。"),
    "pnote.tip.economic": ("If anything at home makes school hard, the class teacher is there "
                           "to help.", "家里遇到影响孩子上学的困难，可以随时告诉班主任。"),
    "pnote.next": ("We will be in touch again around {day}.", "我们会在{day}前后再和您联系。"),
    "pnote.welcome": ("You are always welcome to contact us.", "有任何问题，欢迎随时和我们联系。"),
    "pnote.signed": ("{author}, {day}", "{author}　{day}"),

    # the screen (screens/parent_note.py)
    "pnote.title": ("Note for the family", "家长版小结"),
    "pnote.info": ("{name}: a note for the family. Read it, edit it, then copy it out or "
                   "write it as a file. bangfu sends nothing.",
                   "{name}：给家长的小结。请先阅读、修改，再复制或保存为文件。bangfu 不会发送任何消息。"),
    "pnote.lang_line": ("Language of the note: {lang}", "小结的语言：{lang}"),
    "pnote.lang.en": ("English", "英文"),
    "pnote.lang.zh": ("Chinese", "中文"),
    "pnote.loading": ("Writing the note…", "正在生成小结…"),
    "pnote.gone": ("This case no longer exists: nothing to write.", "该帮扶档案已不存在，无法生成小结。"),
    "pnote.no_case": ("This student has no case yet: a note needs one.",
                      "该学生还没有帮扶档案，无法生成小结。"),
    "pnote.empty": ("The note is empty: write something, or press ctrl+l to write it afresh.",
                    "小结是空的：请输入内容，或按 ctrl+l 重新生成。"),
    "pnote.copied": ("Copied to the clipboard: paste it into WeChat. Nothing was sent.",
                     "已复制到剪贴板，可粘贴到微信。bangfu 没有发送任何消息。"),
    "pnote.written": ("Written to {path}", "已保存到 {path}"),
    "pnote.failed": ("The note was not written: {detail}. Your text is kept here.",
                     "小结未能保存：{detail}。您的文字仍保留在这里。"),
    "pnote.load_failed": ("The note could not be made: {detail}. Press esc, then h to try again.",
                          "未能生成小结：{detail}。请按 esc 返回后再按 h 重试。"),
    "pnote.unsent": ("The note was edited and not copied or written. Leave it?",
                     "小结已修改，但还没有复制或保存。确定离开吗？"),
    "pnote.relang": ("Write the note afresh in the other language? Your edits are lost.",
                     "用另一种语言重新生成小结？您的修改将丢失。"),
    "key.parent_note": ("Family note", "家长小结"),
    "key.note_copy": ("Copy", "复制"),
    "key.note_write": ("Write file", "保存文件"),
    "key.note_lang": ("Other language", "切换语言"),
    "err.access.parent_note": ("Notes for families are written by staff, not volunteers.",
                               "家长小结由教职工撰写，志愿者不可使用。"),
    "audit.action.export": ("exported", "导出"),

    # the command line (bangfu note)
    "cli.help.note": ("print a note for a student's family (家长版小结), in the language --lang "
                      "says", "打印给学生家长的小结（语言由 --lang 指定）"),
    "cli.help.note_out": ("write the note to this file (UTF-8) instead of printing it",
                          "将小结写入该文件（UTF-8），而不打印"),
    "cli.note_written": ("Note written to {path}", "小结已保存到 {path}"),
}
