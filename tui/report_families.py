"""The families section of the weekly report and the term summary as tables
(``db.report_families``), in the interface language: the same tables every
format writes (``tui.report_files``).  No Textual here.
"""

from __future__ import annotations

from db.text import one_line
from db.vocab import EVENT_KINDS, FEEDBACK_KINDS
from tui.i18n import label, t
from tui.sheets import Cell, Share, Table


def _share(per_cent: float | None) -> Share | None:
    return None if per_cent is None else Share(per_cent / 100)


def families_tables(section) -> list[Table]:
    """Events and feedback; in a term summary also satisfaction and recognitions."""
    if section is None:
        return []
    e, f = section.events, section.feedback
    rows: list[list[Cell]] = [[t("rfam.events", kind=label("event", k)), e.by_kind.get(k, 0)]
                              for k in EVENT_KINDS]
    rows += [[t("rfam.invited"), e.invited], [t("rfam.attended"), e.attended],
             [t("rfam.attended_share"), _share(e.share)],
             [t("rfam.mean_rating"), None if e.mean_rating is None else round(e.mean_rating, 1)]]
    rows += [[t("rfam.feedback", kind=label("feedback", k)), f.by_kind.get(k, 0)]
             for k in FEEDBACK_KINDS]
    rows += [[t("rfam.received"), f.received], [t("rfam.answered"), f.answered],
             [t("rfam.answered_in_time"), f.answered_in_time], [t("rfam.resolved"), f.resolved],
             [t("rfam.open_now"), f.open_now], [t("rfam.overdue_now"), f.overdue_now]]
    out = [Table("families", t("report.section.families"), t("report.sheet.families"),
                 [t("report.col.item"), t("report.col.value")], rows)]
    satisfaction = section.satisfaction
    if satisfaction is not None:
        rows = []
        for survey in satisfaction.surveys:
            for figure in [*survey.classes, survey.overall]:
                rows.append([one_line(survey.title),
                             one_line(figure.name) or t("report.total"), figure.families,
                             figure.answering, figure.satisfied, figure.given,
                             _share(figure.rate), _share(survey.target),
                             None if figure.rate is None else
                             t("report.yes" if figure.rate >= survey.target else "report.no")])
        overall = satisfaction.overall
        rows.append([t("rfam.term_figure"), t("report.total"), None, None, overall.satisfied,
                     overall.given, _share(overall.rate), _share(satisfaction.target),
                     None if overall.rate is None else
                     t("report.yes" if overall.rate >= satisfaction.target else "report.no")])
        out.append(Table("satisfaction", t("report.section.satisfaction"),
                         t("report.sheet.satisfaction"),
                         [t("rfam.col.survey"), t("report.col.class"), t("rfam.col.families"),
                          t("rfam.col.answering"), t("rfam.col.satisfied"),
                          t("rfam.col.answers"), t("rfam.col.rate"), t("rfam.col.target"),
                          t("report.col.meets")], rows, totals=1,
                         lines=[t("rfam.definition")]))
        out.append(Table("recognitions", t("report.section.recognitions"),
                         t("report.sheet.recognitions"),
                         [t("rfam.col.date"), t("rfam.col.who"), t("rfam.col.name"),
                          t("report.col.class"), t("rfam.col.what"), t("rfam.col.by")],
                         [[r.given_on, label("recognised", r.who),
                           t("rfam.hidden") if r.hidden else one_line(r.name) or None,
                           None if r.hidden else one_line(r.class_name) or None,
                           one_line(r.what), one_line(r.given_by) or None]
                          for r in section.recognitions]))
    return out
