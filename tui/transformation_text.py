"""A transformation's evidence (``db.transformation.Evidence``) in words, for the
proposal's screen, and the term summary's table of the cases transformed
(``db.report_transformed``) in the interface language.  No Textual here.
"""

from __future__ import annotations

from db.text import one_line
from tui.i18n import change_text, label, t
from tui.sheets import Cell, Share, Table


def figure_line(ev) -> str:
    """The progress figure in one line: first → latest average and the change."""
    if ev.first is None or ev.latest is None:
        return t("transformation.figure.none")
    verdict = t("transformation.figure.improved" if ev.improved
                else "transformation.figure.not_improved")
    return t("transformation.figure", first=f"{ev.first:.1f}", latest=f"{ev.latest:.1f}",
             change=change_text(ev.change), verdict=verdict)


def evidence_lines(ev) -> list[str]:
    """The evidence as lines of plain text (the figure, each subject, the
    check-ins, the latest stage review with its goals, the goals met)."""
    lines = [t("transformation.ev.figure", term=one_line(ev.term_name) or "—"),
             "  " + figure_line(ev)]
    for s in ev.subjects:
        lines.append("  " + t("transformation.ev.subject", subject=one_line(s.subject),
                              first=f"{s.first:.0f}", latest=f"{s.latest:.0f}",
                              change=change_text(s.change)))
    lines.append("  " + t("transformation.ev.checkins", n=ev.checkins))
    if ev.review_date is None:
        lines.append(t("transformation.ev.no_review"))
    else:
        lines.append(t("transformation.ev.review", date=f"{ev.review_date:%Y-%m-%d}"))
        if ev.review_summary:
            lines.append("  " + one_line(ev.review_summary))
        for goal, status in ev.review_goals:
            lines.append(f"  · {one_line(goal)} · {label('goal_status', status)}")
    lines.append(t("transformation.ev.goals", met=ev.goals_met, total=ev.goals_total))
    return lines


def transformed_table(section) -> list[Table]:
    """The term summary's transformed cases with their evidence, and the count."""
    if section is None:
        return []
    rows: list[list[Cell]] = []
    for r in section.rows:
        ev = r.evidence
        rows.append([one_line(r.name), one_line(r.class_name) or None, r.confirmed_on,
                     one_line(r.confirmed_by) or None, one_line(r.proposed_by) or None,
                     None if ev.first is None else Share(ev.first / 100),
                     None if ev.latest is None else Share(ev.latest / 100),
                     None if ev.change is None else Share(ev.change),
                     ev.review_date, f"{ev.goals_met}/{ev.goals_total}"])
    return [Table("transformed", t("rtrans.section"), t("rtrans.sheet"),
                  [t("report.col.student"), t("report.col.class"), t("rtrans.col.confirmed_on"),
                   t("rtrans.col.confirmed_by"), t("rtrans.col.proposed_by"),
                   t("rtrans.col.first"), t("rtrans.col.latest"), t("rtrans.col.change"),
                   t("rtrans.col.review"), t("rtrans.col.goals")], rows,
                  notes=[(t("rtrans.count"), section.count)])]
