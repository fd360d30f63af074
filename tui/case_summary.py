"""A printable case summary (Markdown) for a case conference.

One file per student: the case's header, student and family, case file, plan,
team, the latest stage reviews, the contacts of the case's term and the
progress figures, every section present even when empty.  Text typed by
people goes through ``db.text`` and is escaped, so a name or a note can never
make a heading, a table cell, a link, emphasis or HTML of its own.

No Textual here: the CLI (``bangfu show STUDENT --format md``) uses it.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from db.text import clean, one_line
from tui.exports import default_path, write_via_temp
from tui.i18n import change_text, hidden_text, paren, restricted_entry, t
from tui.i18n import label as vocab_label
from tui.sheets import md_table, save_text

REVIEWS_SHOWN = 3  # the latest stage reviews, as the case screen's plan tab

# Markdown's inline specials (CommonMark lets any ASCII punctuation be escaped
# with a backslash); ~ (strikethrough) and & (entities) too
_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~&])")
# what makes a list, a quote, a setext heading or a thematic break at the start
# of a line: - + = and an ordered-list number (1. or 1))
_LINE_START = re.compile(r"^([-+=]|\d+[.)])")


def md(text) -> str:
    """User text as one line of inert Markdown (also safe in a table cell)."""
    out = _SPECIAL.sub(r"\\\1", one_line("" if text is None else str(text)))
    return _LINE_START.sub(lambda m: m.group(1)[:-1] + "\\" + m.group(1)[-1], out)


def label(group: str, code: str) -> str:
    """A code's label, escaped: a code the vocabulary does not know (written by
    another tool) comes back as it is stored, so it is user text too."""
    return md(vocab_label(group, code))


def labels(group: str, codes) -> str:
    return t("common.list_sep").join(label(group, c) for c in codes)


def md_block(text, indent: str = "") -> str:
    """Multi-line user text: each line escaped, kept as a hard line break;
    blank lines dropped (a paragraph break would end a list item)."""
    lines = [md(line) for line in clean(text).split("\n") if line.strip()]
    return ("  \n" + indent).join(lines)


def _none() -> str:
    return t("summary.none")


def _d(value) -> str:
    return value.isoformat() if value else "—"


def _num(value: float) -> str:
    return f"{value:g}"


def _item(name: str, value: str) -> str:
    return f"- {t(name)}{t('common.colon')}{value or _none()}"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    """A GFM table; the cells are already escaped (an empty one holds a space)."""
    return md_table(header, ([cell or " " for cell in row] for row in rows))


# -- the sections --------------------------------------------------------------------

def _title(view, today: dt.date) -> list[str]:
    no_case = view.case_id is None
    lines = [f"# {md(view.name)}", "",
             t("summary.info", class_name=md(view.class_name) or "—", number=md(view.student_no),
               status="—" if no_case else label("status", view.status),
               risk="—" if no_case else label("risk", view.risk_level),
               lead=md(view.lead) or "—", term=md(view.term_name) or "—",
               date=today.isoformat())]
    if no_case:
        lines += ["", t("case.no_case")]
    return lines


def _student(view) -> list[str]:
    lines = ["## " + t("case.tab.family"), "",
             _item("summary.gender", label("gender", view.gender)),
             _item("case.birth", _d(view.birth_date)),
             _item("case.family", labels("family", view.family_flags)),
             _item("summary.family_notes", hidden_text(view, "family_notes")
                   or md_block(view.family_notes, "  ")),
             f"- {t('case.guardians')}{t('common.colon')}{'' if view.guardians else _none()}"
             .rstrip()]
    for g in view.guardians:
        parts = [md(g.name) + (paren(label("relation", g.relation)) if g.relation else "")]
        if g.phone:
            parts.append(f"{t('case.phone')} {md(g.phone)}")
        if g.wechat:
            parts.append(f"{t('case.wechat')} {md(g.wechat)}")
        if g.lives_with:
            parts.append(t("case.lives_with"))
        lines.append("  - " + " · ".join(parts))
    return lines


def _case_file(view) -> list[str]:
    from db.cases import CASE_TEXT_FIELDS

    lines = ["## " + t("case.tab.file"), ""]
    if view.case_id is None:
        return lines + [_none()]
    lines += [_item("case.categories", labels("category", view.categories)),
              _item("case.causes", labels("cause", view.causes))]
    for name in CASE_TEXT_FIELDS:
        lines += ["", f"### {t('case.field.' + name)}", "",
                  hidden_text(view, name) or md_block(getattr(view, name)) or _none()]
    return lines


def _plan(view) -> list[str]:
    lines = ["## " + t("summary.plan"), ""]
    if not view.goals:
        return lines + [_none()]
    rows = [[label("horizon", g.horizon), md(g.text), _d(g.due_date),
             label("goal_status", g.status), md(g.measure)] for g in view.goals]
    return lines + _table([t(f"summary.col.{c}") for c in
                           ("horizon", "goal", "due", "status", "measure")], rows)


def _team(view) -> list[str]:
    lines = ["## " + t("case.team"), ""]
    if not view.team and not view.peers:
        return lines + [_none()]
    for m in view.team:
        lines.append(f"- {md(m.name)}{paren(label('role', m.role))}")
    for p in view.peers:
        parts = [f"{md(p.name)}{paren(t('team.peer'))}", md(p.class_name) or "—"]
        if p.focus:
            parts.append(f"{t('summary.focus')}{t('common.colon')}{md(p.focus)}")
        lines.append("- " + " · ".join(parts))
    return lines


def _reviews(view) -> list[str]:
    lines = ["## " + t("summary.reviews"), ""]
    if not view.reviews:
        return lines + [_none()]
    for i, r in enumerate(view.reviews[:REVIEWS_SHOWN]):
        head = [_d(r.review_date), t("case.entry_by", author=md(r.author))]
        if r.next_review:
            head.append(t("case.review_next", date=_d(r.next_review)))
        lines += ([""] if i else []) + ["### " + " · ".join(head), "",
                                        md_block(r.summary) or _none(), ""]
        judged = t("common.list_sep").join(f"{md(text)}{paren(label('goal_status', status))}"
                                           for text, status in r.goals)
        lines.append(_item("summary.judged", judged))
        if r.new_goals:
            lines.append(_item("case.review_new_goals",
                               t("common.list_sep").join(md(g) for g in r.new_goals)))
    if len(view.reviews) > REVIEWS_SHOWN:
        lines += ["", t("case.reviews_more", n=len(view.reviews) - REVIEWS_SHOWN)]
    return lines


def _contacts(contacts, start: dt.date, end: dt.date) -> list[str]:
    lines = ["## " + t("summary.contacts", start=_d(start), end=_d(end)), ""]
    if not contacts:
        return lines + [_none()]
    for c in contacts:
        head = [f"**{c.occurred_at:%Y-%m-%d %H:%M}**", label("kind", c.kind),
                label("channel", c.channel), t("case.entry_by", author=md(c.author))]
        if c.duration_min:
            head.append(t("common.minutes", n=c.duration_min))
        lines.append("- " + " · ".join(head))
        if c.restricted:  # never printed, whoever prints: only opened on screen, audited
            lines.append("  - " + md(restricted_entry(c.restricted)))
            continue
        if c.participants:
            lines.append("  " + _item("case.entry.participants", md(c.participants)))
        lines.append("  " + _item("summary.discussed", md_block(c.discussed, "    ")))
        if c.agreed:
            lines.append("  " + _item("case.entry.agreed", md_block(c.agreed, "    ")))
        if c.follow_up:
            follow = md(c.follow_up)
            if c.follow_up_due:
                follow += paren(t("case.entry.due", date=_d(c.follow_up_due)))
            if c.follow_up_done_on:
                follow += " · " + t("case.entry.done", date=_d(c.follow_up_done_on))
            lines.append("  " + _item("case.entry.follow_up", follow))
    return lines


def _progress(progress) -> list[str]:
    from db.progress import IMPROVE_BY

    m = progress.measure
    lines = ["## " + t("summary.progress"), "", "### " + t("summary.scores"), ""]
    if not m.subjects:
        lines += [_none(), ""]
    for s in m.subjects:
        head = (t("summary.subject_change", subject=md(s.subject), change=change_text(s.change))
                if s.counts else t("summary.subject_once", subject=md(s.subject)))
        lines += [f"#### {head}", ""]
        lines += _table([t(f"summary.col.{c}") for c in ("date", "exam", "score", "share")],
                        [[_d(p.taken_on), md(p.exam),
                          f"{_num(p.score)}/{_num(p.full_marks)}", f"{p.share:.1f}%"]
                         for p in s.points])
        lines.append("")
    target = f"{IMPROVE_BY * 100:.0f}%"
    if m.measurable:
        verdict = t("summary.reaches" if m.improved else "summary.not_reached", target=target)
        lines.append(t("summary.overall", first=f"{m.first:.1f}%", latest=f"{m.latest:.1f}%",
                       change=change_text(m.change), verdict=verdict))
    else:
        lines.append(t("summary.not_measurable"))
    lines += ["", "### " + t("summary.checkins"), ""]
    if not progress.checkins:
        return lines + [_none()]
    dims = list(progress.dimensions)
    rows = [[_d(row.taken_on)] + [str(row.ratings[d]) if d in row.ratings else "—" for d in dims]
            + [md(row.note)] for row in progress.checkins]
    return lines + _table([t("summary.col.date")] + [label("dimension", d) for d in dims]
                          + [t("summary.col.note")], rows)


# -- the whole file ---------------------------------------------------------------------

def case_summary_md(student_id: int, *, today: dt.date | None = None, reader=None) -> str | None:
    """The student's case summary as Markdown, in the current language; ``None``
    if there is no such student.  As ``reader`` (the staff member printing it)
    may see it: restricted entries only as "restricted entry" (for everyone:
    a printout leaves the audit log behind), restricted case-file fields and a
    volunteer's hidden fields as such (``db.cases.load_case``)."""
    from db import clock
    from db.cases import load_case
    from db.progress import student_progress, term_of_case

    today = today or clock.today()
    view = load_case(student_id, reader=reader)
    if view is None:
        return None
    start, end, _ = term_of_case(view.case_id, today)
    in_term = [c for c in view.contacts if start <= c.occurred_at.date() <= end]
    contacts = sorted(in_term, key=lambda c: (c.occurred_at, c.id))
    progress = student_progress(student_id, view.case_id, today)
    sections = [_title(view, today), _student(view), _case_file(view), _plan(view),
                _team(view), _reviews(view), _contacts(contacts, start, end),
                _progress(progress)]
    return "\n\n".join("\n".join(s).strip("\n") for s in sections) + "\n"


def default_summary_path(name: str, student_no: str, today: dt.date) -> Path:
    """``~/bangfu-exports/case-<name>-<no>-<date>.md`` (or BANGFU_EXPORT_DIR)."""
    return default_path("case", name, student_no, today.isoformat(), suffix="md")


def write_case_summary(student_id: int, path, *, today: dt.date | None = None,
                       reader=None) -> Path:
    """Write the summary to ``path`` (its folder made if missing) through a temp
    file in the same folder, so a reader never sees half a file.  Raises
    ``LookupError`` if there is no such student."""
    text = case_summary_md(student_id, today=today, reader=reader)
    if text is None:
        raise LookupError(student_id)
    return write_via_temp(path, lambda tmp: save_text(tmp, text))
