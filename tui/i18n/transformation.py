"""Transforming a case (转化): its evidence and the coordinator's confirmation."""

ENTRIES: dict[str, tuple[str, str]] = {
    "audit.table.transformation": ("transformation", "转化认定"),
    # the caseload: a proposal to confirm
    "due.transformation": ("Confirm transformed", "确认转化"),
    # keys
    "key.transformation_confirm": ("Confirm", "确认"),
    "key.transformation_decline": ("Decline", "不通过"),
    "key.review_propose": ("Propose transformed", "申请转化"),
    # the case status form: proposing
    "case_status.action.transformed": ("propose as transformed", "申请认定转化"),
    # the proposal's screen
    "transformation.title": ("Transformed (转化)", "转化认定"),
    "transformation.propose_title": ("Propose {name} as transformed", "申请认定 {name} 已转化"),
    "transformation.open_title": ("Proposal #{id}", "转化申请 #{id}"),
    "transformation.open_title_name": ("Proposal #{id}: {name} · {klass}",
                                       "转化申请 #{id}：{name} · {klass}"),
    "transformation.loading": ("Loading…", "正在加载…"),
    "transformation.reason": ("Reason", "理由"),
    "transformation.reason_hint": ("why the student is transformed (required)",
                                   "为什么认为该生已转化（必填）"),
    "transformation.note": ("Note", "意见"),
    "transformation.note_hint": ("your note (optional when confirming)", "您的意见（确认时可不填）"),
    "transformation.decline_note": ("Why not", "不通过理由"),
    "transformation.proposed_line": ("Proposed by {by} on {on} · {status}",
                                     "{by} 于 {on} 申请 · {status}"),
    "transformation.reason_line": ("Reason", "理由"),
    "transformation.decided_line": ("Decided by {by} on {on}", "{by} 于 {on} 作出决定"),
    "transformation.decide_hint": ("y confirms (the case is then transformed and closed) · "
                                   "n declines, with a note",
                                   "y 确认（档案随即认定为已转化并结案）· n 不通过（需填写理由）"),
    "transformation.decline_hint": ("Type why it is not confirmed, then ctrl+s. esc: back.",
                                    "请填写不通过的理由，然后按 ctrl+s。esc 返回。"),
    "transformation.waiting": ("Waiting for a coordinator other than the proposer to confirm it.",
                               "等待申请人以外的协调人确认。"),
    "transformation.done.propose": ("{name}: proposed as transformed; a coordinator confirms it.",
                                    "{name}：已申请认定转化，等待协调人确认。"),
    "transformation.done.confirm": ("{name}: confirmed transformed.", "{name}：已确认转化。"),
    "transformation.done.decline": ("{name}: the proposal is declined.", "{name}：转化申请未通过。"),
    # the evidence
    "transformation.figure": ("average {first}% → {latest}% ({change}) · {verdict}",
                              "平均 {first}% → {latest}%（{change}）· {verdict}"),
    "transformation.figure.none": ("no change measurable yet (a subject needs two scores)",
                                   "尚无法衡量变化（每科至少需要两次成绩）"),
    "transformation.figure.improved": ("improved", "已提高"),
    "transformation.figure.not_improved": ("not yet 10% up", "提高未达 10%"),
    "transformation.ev.figure": ("Progress this term ({term})", "本学期进步情况（{term}）"),
    "transformation.ev.subject": ("{subject}: {first}% → {latest}% ({change})",
                                  "{subject}：{first}% → {latest}%（{change}）"),
    "transformation.ev.checkins": ("{n:check-in|check-ins} this term", "本学期 {n} 次成长记录"),
    "transformation.ev.no_review": ("No stage review yet.", "尚无阶段评估。"),
    "transformation.ev.review": ("Latest stage review: {date}", "最近一次阶段评估：{date}"),
    "transformation.ev.goals": ("Goals met: {met} of {total}", "目标达成：{met}/{total}"),
    # refusals
    "err.transformation.needs_confirmation": (
        "A case becomes transformed only when a coordinator confirms it: press c on the case "
        "and choose \"propose as transformed\".",
        "档案须经协调人确认才能认定为已转化：请在档案中按 c，选择“申请认定转化”。"),
    "err.transformation.gone": ("That case or proposal is gone.", "该档案或申请已不存在。"),
    "err.transformation.not_open": ("The case is not open: only an open case is transformed.",
                                    "该档案未在进行中，只有进行中的档案可以认定转化。"),
    "err.transformation.changed": ("Someone changed the case after you opened it: press esc "
                                   "and open it again.",
                                   "您打开后有人修改了该档案：请按 esc 后重新打开。"),
    "err.transformation.pending": ("This case is already proposed: a coordinator decides it "
                                   "(Oversight, Transformed).",
                                   "该档案已有待确认的转化申请，请等待协调人决定（督导 → 转化认定）。"),
    "err.transformation.own": ("You proposed this case: another coordinator confirms it "
                               "(four eyes).",
                               "这是您提出的申请，须由另一位协调人确认（双人核准）。"),
    "err.transformation.decided": ("This proposal was already decided: press esc to see it.",
                                   "该申请已有决定：请按 esc 查看。"),
    "err.transformation.reason_blank": ("Give the reason.", "请填写理由。"),
    "err.transformation.note_blank": ("Say why it is not confirmed.", "请填写不通过的理由。"),
    "err.transformation.too_long": ("Too long (at most 1000 characters).",
                                    "内容过长（最多 1000 字）。"),
    "err.access.confirm_transformation": ("Only administrators and coordinators confirm a case "
                                          "as transformed.",
                                          "只有管理员和协调人可以确认转化。"),
    # the list
    "transformations.title": ("Cases proposed as transformed", "转化认定"),
    "transformations.info": ("{pending} awaiting confirmation · {decided} decided · "
                             "Enter opens one",
                             "待确认 {pending} 个 · 已决定 {decided} 个 · Enter 打开"),
    "transformations.empty": ("No case has been proposed as transformed. Propose one with c "
                              "on the case.",
                              "暂无转化申请。在档案中按 c 可申请。"),
    "transformations.col.id": ("No.", "编号"),
    "transformations.col.status": ("Status", "状态"),
    "transformations.col.student": ("Student", "学生"),
    "transformations.col.class": ("Class", "班级"),
    "transformations.col.date": ("Date", "日期"),
    "transformations.col.by": ("By", "经办"),
    "transformations.col.reason": ("Reason", "理由"),
    # the term summary
    "rtrans.section": ("Cases transformed (confirmed this term)", "已转化个案（本学期确认）"),
    "rtrans.sheet": ("Transformed", "转化"),
    "rtrans.col.confirmed_on": ("Confirmed", "确认日期"),
    "rtrans.col.confirmed_by": ("Confirmed by", "确认人"),
    "rtrans.col.proposed_by": ("Proposed by", "申请人"),
    "rtrans.col.first": ("First average", "起始平均"),
    "rtrans.col.latest": ("Latest average", "最近平均"),
    "rtrans.col.change": ("Change", "变化"),
    "rtrans.col.review": ("Latest review", "最近阶段评估"),
    "rtrans.col.goals": ("Goals met", "目标达成"),
    "rtrans.count": ("Cases transformed", "已转化个案数"),
    "rtrans.line": ("Transformed (confirmed this term): {n}", "本学期确认转化：{n} 个"),
}
