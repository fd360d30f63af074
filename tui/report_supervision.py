"""A supervision report (``db.supervision.SupervisionReport``) as tables, in
the interface language: the period and the rubric, one row per helper, the
grades, the month's notice, the flags and where each point came from.

``supervision_tables`` gives typed tables (``tui.sheets.Table``) that every
file format writes (``write_supervision``, ``render_markdown``,
``render_csv``); ``supervision_sheets`` the same rows as text, for a screen.
No Textual here; openpyxl is imported only when an .xlsx is written.
"""

from __future__ import annotations

import os
from pathlib import Path

from db.text import one_line
from tui.i18n import due_label, label, t
from tui.sheets import (FORMATS, Cell, Style, Table, cell_text, csv_rows, csv_text,
                        markdown_section, md_escape, save_csv, save_text, save_xlsx, sheet_text)

STYLE = Style(gap=True)
RUBRIC_ITEMS = ("rule_met", "review", "content", "content_chars", "overdue", "threshold",
                "burst", "late_days")


def figure(value: float) -> int | float:
    """Points as a person reads them: 10, 6.7."""
    rounded = round(value, 1)
    return int(rounded) if rounded == int(rounded) else rounded


def out_of(done: int, total: int) -> str:
    return f"{done}/{total}"


def grade_text(grade: int | None) -> str:
    return t("sup.grade", n=grade) if grade else t("sup.no_grade")


def title(report) -> str:
    if report.month:
        return t("sup.title.month", month=report.month)
    return t("sup.title", period=t(f"sup.period.{report.period}"))


def period_text(report) -> str:
    return t("sup.period_line", start=report.start.isoformat(), end=report.end.isoformat())


def _rule(code: str, rules) -> str:
    return due_label(code, rules) if code else ""


def supervision_tables(report, rules=()) -> list[Table]:
    """The report's tables; ``rules`` (``db.workflow.load_rules()``) names a
    school's own rules from what they count."""
    r = report.rubric
    summary: list[list[Cell]] = [[t("sup.field.report"), title(report)],
                                 [t("sup.field.period"), period_text(report)]]
    summary += [[t(f"sup.rubric.{name}"), getattr(r, name)] for name in RUBRIC_ITEMS]
    helpers: list[list[Cell]] = [
        [one_line(h.name), label("staff_role", h.role),
         t("common.list_sep").join(grade_text(g) for g in h.grades) or None, h.cases,
         out_of(h.items_met, h.items), h.entries, h.with_content,
         out_of(h.reviews_on_time, h.reviews_due), h.overdue, figure(h.earned),
         figure(h.possible), h.adjustment, h.score, h.flags, one_line(h.note) or None]
        for h in report.helpers]
    grades: list[list[Cell]] = [
        [grade_text(g.grade), g.helpers, g.cases, out_of(g.items_met, g.items), g.entries,
         g.overdue, None if g.mean_score is None else figure(g.mean_score)]
        for g in report.grades]
    notice: list[list[Cell]] = [
        [one_line(h.name), label("staff_role", h.role), h.score, r.threshold,
         one_line(h.note) or None] for h in report.below]
    flags: list[list[Cell]] = [
        [one_line(f.author), one_line(f.student) or None, t(f"sup.flag.{f.why}"),
         f.occurred_at, f.created_at, f.count] for f in report.flags]
    points: list[list[Cell]] = [
        [one_line(h.name), t(f"sup.point.{p.what}"), one_line(p.student) or None,
         _rule(p.rule, rules) or None, p.done, p.required, figure(p.earned), figure(p.possible)]
        for h in report.helpers for p in h.points]
    return [
        Table("summary", title(report), t("sup.sheet.summary"),
              [t("sup.col.item"), t("sup.col.value")], summary),
        Table("helpers", t("sup.section.helpers"), t("sup.sheet.helpers"),
              [t(f"sup.col.{c}") for c in (
                  "name", "role", "grades", "cases", "items", "entries", "with_content",
                  "reviews", "overdue", "earned", "possible", "adjustment", "score", "flags",
                  "note")], helpers, auto_filter=True),
        Table("grades", t("sup.section.grades"), t("sup.sheet.grades"),
              [t(f"sup.col.{c}") for c in (
                  "grade", "helpers", "cases", "items", "entries", "overdue", "mean_score")],
              grades),
        Table("notice", t("sup.section.notice"), t("sup.sheet.notice"),
              [t(f"sup.col.{c}") for c in ("name", "role", "score", "threshold", "note")],
              notice, lines=[t("sup.notice_line", threshold=r.threshold)]),
        Table("flags", t("sup.section.flags"), t("sup.sheet.flags"),
              [t(f"sup.col.{c}") for c in ("author", "student", "why", "occurred", "written",
                                            "count")], flags, lines=[t("sup.flags_line")]),
        Table("points", t("sup.section.points"), t("sup.sheet.points"),
              [t(f"sup.col.{c}") for c in ("name", "what", "student", "rule", "done",
                                            "required", "earned", "possible")], points,
              auto_filter=True),
    ]


def supervision_sheets(report, rules=()) -> list[tuple[str, list[str], list[list[str]]]]:
    """``(title, header, rows)`` of each table, every cell as text (a screen's rows)."""
    return [(table.title, table.headers, [[cell_text(v, STYLE) for v in row]
                                          for row in table.rows])
            for table in supervision_tables(report, rules)]


def render_markdown(report, rules=()) -> str:
    all_tables = supervision_tables(report, rules)
    lines = [f"# {md_escape(title(report))}", "", md_escape(period_text(report)), ""]
    for table in all_tables:
        lines += [*markdown_section(table, STYLE, heading=table.key != "summary"), ""]
    return "\n".join(lines)


def _csv(report, rules):
    yield [sheet_text(title(report))]
    yield []
    for table in supervision_tables(report, rules):
        yield from csv_rows(table, STYLE)


def render_csv(report, rules=()) -> str:
    return csv_text(_csv(report, rules))


def write_supervision(report, fmt: str, path: str | os.PathLike, rules=()) -> Path:
    """Write the report as ``fmt`` (xlsx, csv or md) via a temporary file beside ``path``."""
    from tui.exports import write_via_temp

    if fmt not in FORMATS:
        raise ValueError(fmt)
    if fmt == "xlsx":
        return write_via_temp(path, lambda tmp: save_xlsx(
            tmp, supervision_tables(report, rules), STYLE))
    if fmt == "csv":
        return write_via_temp(path, lambda tmp: save_csv(tmp, _csv(report, rules)))
    return write_via_temp(path, lambda tmp: save_text(tmp, render_markdown(report, rules)))
