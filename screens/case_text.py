"""The case screen's tabs as text (screens/case.py): the timeline, the case
file, the family, the plan, progress; and what ``y`` copies from them."""

from __future__ import annotations

from rich.text import Text

from db.cases import CASE_TEXT_FIELDS, CaseView, ContactView
from db.text import clean, one_line
from tui.charts import column_chart, sparkline
from tui.i18n import change_text, hidden_text, label, labels, paren, restricted_entry, t
from tui.widgets import copy_out

CHART_SLOTS = 9  # the latest assessments drawn per subject (each 7 cells wide)
REVIEWS_SHOWN = 3  # the latest stage reviews on the plan tab


def _d(value) -> str:
    return value.isoformat() if value else "—"


def timeline_text(contacts: list[ContactView], can_open: bool = False) -> Text:
    """The entries, newest first; a restricted entry shows only that it exists
    (and, to those who may read it, the key that opens it)."""
    text = Text()
    if not contacts:
        return Text(t("case.no_contacts"), style="italic")
    for i, c in enumerate(contacts):
        if i:
            text.append("\n")
        text.append(f"{c.occurred_at:%Y-%m-%d %H:%M}", style="bold")
        text.append(f"  {label('kind', c.kind)} · {label('channel', c.channel)}", style="bold")
        text.append(f" · {t('case.entry_by', author=one_line(c.author))}")
        if c.duration_min:
            text.append(f" · {t('common.minutes', n=c.duration_min)}")
        text.append("\n")
        if c.restricted:
            text.append(f"  {restricted_entry(c.restricted)}", style="italic")
            if can_open:
                text.append(f"  · {t('case.restricted_open')}", style="dim")
            text.append("\n")
            continue
        if c.participants:
            text.append(f"  {t('case.entry.participants')}{t('common.colon')}{one_line(c.participants)}\n",
                        style="dim")
        for line in clean(c.discussed).split("\n"):
            text.append(f"  {line}\n")
        if c.agreed:
            text.append(f"  {t('case.entry.agreed')}{t('common.colon')}{one_line(c.agreed)}\n")
        if c.follow_up:
            due = paren(t('case.entry.due', date=c.follow_up_due)) if c.follow_up_due else ""
            done = f" ✓ {t('case.entry.done', date=c.follow_up_done_on)}" if c.follow_up_done_on else ""
            text.append(f"  {t('case.entry.follow_up')}{t('common.colon')}"
                        f"{one_line(c.follow_up)}{due}{done}\n",
                        style="yellow" if not c.follow_up_done_on else "dim")
    return text


def case_file_text(view: CaseView) -> Text:
    if view.case_id is None:
        return Text(t("case.no_case"), style="italic")
    text = Text()
    text.append(f"{t('case.categories')}{t('common.colon')}", style="bold")
    text.append(labels("category", view.categories) or "—")
    text.append(f"\n{t('case.causes')}{t('common.colon')}", style="bold")
    text.append(labels("cause", view.causes) or "—")
    for name in CASE_TEXT_FIELDS:
        marked = paren(t("access.restricted_field")) if name in view.restricted_fields else ""
        text.append(f"\n\n{t('case.field.' + name)}{marked}\n", style="bold")
        hidden = hidden_text(view, name)
        if hidden:
            text.append(hidden, style="italic")
        else:
            text.append(clean(getattr(view, name)) or "—")
    if view.events:
        text.append(f"\n\n{t('case.history')}\n", style="bold")
        for e in view.events:
            detail = f" {one_line(e.detail)}" if e.detail else ""
            reason = f"{t('common.colon')}{one_line(e.reason)}" if e.reason else ""
            by = f" · {one_line(e.by)}" if e.by else ""
            text.append(f"{e.happened_on:%Y-%m-%d}  {t('case.event.' + e.kind)}{detail}{reason}{by}\n")
    if view.updated_by:
        text.append("\n\n" + t("case.edited_by", who=one_line(view.updated_by),
                               at=f"{view.updated_at:%Y-%m-%d %H:%M}"), style="dim")
    return text


def family_text(view: CaseView) -> Text:
    text = Text()
    text.append(f"{t('case.student')}{t('common.colon')}", style="bold")
    text.append(f"{one_line(view.name)} · {label('gender', view.gender)} · "
                f"{t('case.birth')} {_d(view.birth_date)} · {one_line(view.class_name)} · "
                f"{view.student_no}")
    if view.address or view.phone or view.village:
        text.append("\n")
        if view.address:
            text.append(f"{t('case.address')}{t('common.colon')}", style="bold")
            text.append(one_line(view.address) + "  ")
        if view.village:
            text.append(f"{t('case.village')} {one_line(view.village)}  ")
        if view.phone:
            text.append(f"{t('case.phone')} {one_line(view.phone)}")
    text.append(f"\n{t('case.family')}{t('common.colon')}", style="bold")
    text.append(labels("family", view.family_flags) or "—")
    if "family_notes" in view.hidden:
        text.append("\n" + hidden_text(view, "family_notes"), style="italic")
    elif view.family_notes:
        text.append("\n" + clean(view.family_notes))
    text.append(f"\n\n{t('case.guardians')}\n", style="bold")
    if not view.guardians:
        text.append(t("case.no_guardians"))
    for g in view.guardians:
        text.append(f"• {one_line(g.name)}{paren(label('relation', g.relation))}")
        if g.phone:
            text.append(f"  {t('case.phone')} {one_line(g.phone)}")
        if g.wechat:
            text.append(f"  {t('case.wechat')} {one_line(g.wechat)}")
        if g.lives_with:
            text.append(f"  · {t('case.lives_with')}", style="dim")
        if g.works_away:
            text.append(f"  · {t('case.works_away')}", style="dim")
        if "guardian_phone" in view.hidden:
            text.append(f"  {t('case.phone')} {t('access.hidden')}", style="italic")
        text.append("\n")
    return text


def plan_text(view: CaseView) -> Text:
    text = Text()
    text.append(f"{t('case.goals')}\n", style="bold")
    if not view.goals:
        text.append(t("case.no_goals") + "\n")
    for g in view.goals:
        text.append("• " + t("case.goal_line", horizon=label("horizon", g.horizon),
                             text=one_line(g.text), due=_d(g.due_date),
                             status=label("goal_status", g.status)) + "\n")
        if g.measure:
            text.append(f"  {one_line(g.measure)}\n", style="dim")
    text.append(f"\n{t('case.reviews')}\n", style="bold")
    if not view.reviews:
        text.append(t("case.no_reviews") + "\n")
    for r in view.reviews[:REVIEWS_SHOWN]:
        text.append(f"{r.review_date:%Y-%m-%d}", style="bold")
        text.append(f" · {t('case.entry_by', author=one_line(r.author))}")
        if r.next_review:
            text.append(f" · {t('case.review_next', date=r.next_review)}")
        text.append("\n")
        for line in clean(r.summary).split("\n"):
            text.append(f"  {line}\n")
        if r.goals:
            text.append("  " + t("common.list_sep").join(
                f"{one_line(goal)}{paren(label('goal_status', status))}"
                for goal, status in r.goals) + "\n", style="dim")
        if r.new_goals:
            text.append(f"  {t('case.review_new_goals')}{t('common.colon')}"
                        + t("common.list_sep").join(one_line(g) for g in r.new_goals) + "\n")
    if len(view.reviews) > REVIEWS_SHOWN:
        text.append(t("case.reviews_more", n=len(view.reviews) - REVIEWS_SHOWN) + "\n", style="dim")
    text.append(f"\n{t('case.team')}\n", style="bold")
    if not view.team and not view.peers:
        text.append(t("case.no_team"))
    for m in view.team:
        text.append(f"• {one_line(m.name)}{paren(label('role', m.role))}\n")
    for p in view.peers:
        focus = f" · {one_line(p.focus)}" if p.focus else ""
        text.append(f"• {one_line(p.name)}{paren(t('team.peer'))} {one_line(p.class_name)}{focus}\n")
    return text


def progress_text(progress) -> Text:
    """The progress tab: each subject's scores this term as a chart, the change
    from the first to the latest, the term's 10% measure, and the check-ins."""
    from db.progress import IMPROVE_BY

    m = progress.measure
    text = Text()
    text.append(t("progress.scores", term=one_line(progress.term_name) or "—",
                  start=progress.start, end=progress.end) + "\n", style="bold")
    if m.measurable:
        verdict = t("progress.improved" if m.improved else "progress.not_improved",
                    n=round(IMPROVE_BY * 100))
        text.append(t("progress.average", first=f"{m.first:.1f}", latest=f"{m.latest:.1f}",
                      change=change_text(m.change)) + " · ")
        text.append(verdict + "\n", style="bold green" if m.improved else "bold yellow")
    elif m.subjects:
        text.append(t("progress.not_measurable") + "\n", style="italic")
    if not m.subjects:
        text.append(t("progress.no_scores") + "\n", style="italic")
    for trend in m.subjects:
        points = trend.points[-CHART_SLOTS:]
        text.append("\n")
        text.append(one_line(trend.subject), style="bold")
        if trend.counts:
            text.append(f"  {trend.first:.0f}% → {trend.latest:.0f}%  ")
            text.append(change_text(trend.change), style="bold")
        else:
            text.append("  " + t("progress.once"), style="dim")
        if len(trend.points) > CHART_SLOTS:
            text.append("  " + t("progress.latest_n", n=CHART_SLOTS), style="dim")
        text.append("\n")
        text.append(column_chart([(f"{p.taken_on:%m-%d}", p.share, f"{p.share:.0f}%")
                                  for p in points]))
        text.append("\n")
        text.append("  " + t("common.list_sep").join(
            f"{one_line(p.exam)} {p.score:g}/{p.full_marks:g}" for p in points) + "\n", style="dim")
    text.append("\n" + t("progress.checkins") + "\n", style="bold")
    if not progress.checkins:
        text.append(t("progress.no_checkins") + "\n", style="italic")
        return text
    for dim in progress.dimensions:
        values = [c.ratings[dim] for c in progress.checkins if dim in c.ratings]
        if not values:
            continue
        name = one_line(label("dimension", dim))
        text.append(f"  {name}  ")
        text.append(sparkline(values, 1, 5), style="bold")
        text.append(f"  {values[0]} → {values[-1]}" + (" " + t("progress.of5")) + "\n")
    for c in progress.checkins[-6:]:
        ratings = t("common.list_sep").join(
            f"{one_line(label('dimension', d))} {v}" for d, v in c.ratings.items())
        text.append(f"  {c.taken_on:%Y-%m-%d}  {ratings}", style="dim")
        if c.note:
            text.append(f"  {one_line(c.note)}")
        text.append("\n")
    return text


def entry_text(contact: ContactView) -> str:
    """An entry as the timeline shows it (a restricted one: only that it
    exists), unwrapped, without the timeline's indent: what ``y`` copies."""
    lines = timeline_text([contact]).plain.rstrip("\n").split("\n")
    return "\n".join(line.removeprefix("  ") for line in lines)


def family_phone(view: CaseView) -> str:
    """The number to call the family on: the family's own, else the first
    guardian's that has one ("" when none is shown to this reader)."""
    phones = [view.phone] + [g.phone for g in view.guardians]
    return next((one_line(p) for p in phones if one_line(p)), "")


def copy_phone(app, view: CaseView) -> None:
    """The family's phone number to the clipboard (``y`` / ``ctrl+y``), or why not."""
    phone = family_phone(view)
    if phone:
        copy_out(app, phone)
    elif "guardian_phone" in view.hidden:
        app.notify(t("copy.phone_hidden"), severity="warning", markup=False)
    else:
        app.notify(t("copy.no_phone"), severity="warning", markup=False)
