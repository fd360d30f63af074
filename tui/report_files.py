"""The weekly report and the term summary as files: .xlsx, .csv and .md.

``tables(report)`` turns a ``db.reports.Report`` into titled tables in the
current interface language (the same tables every format writes, and that a
screen can show); ``write_report`` writes them to a file, ``render_markdown``
and ``render_csv`` return them as text (for stdout).

Cells are typed: ``str`` (text), ``int``, ``Share`` (a fraction shown as a
percentage: "66.7%"), ``dt.date`` / ``dt.datetime`` and ``None`` (no value: "—").
A report counted over the students its reader may open only
(``Report.limited``) says so in its summary and under its Markdown title.
Names from the file (students, classes, staff, terms) are cleaned to one line;
the files are written by ``tui.sheets`` (formulas neutralized, Markdown
escaped, a BOM in a .csv).

No Textual here; openpyxl is imported only when an .xlsx is written.
"""

from __future__ import annotations

import os
from pathlib import Path

from db.text import one_line
from tui.i18n import due_label, label, rule_label, t
from tui.sheets import (FORMATS, Cell, ProgressFn, Share, Style, Table, cell_text, csv_rows,
                        csv_text, markdown_section, md_cell, md_escape, save_csv, save_text,
                        save_xlsx, sheet_text)

STYLE = Style(gap=True)  # "—" for no value, text on one line, a blank row after each table


# -- the tables ------------------------------------------------------------------------------

def title(report) -> str:
    if report.kind == "weekly":
        return t("report.title.weekly", week=report.week)
    return t("report.title.term", term=one_line(report.term_name) or t("common.none"))


def period_text(report) -> str:
    return t("report.period", start=report.start.isoformat(), end=report.end.isoformat())


def summary_table(report) -> Table:
    rows: list[list[Cell]] = [
        [t("report.field.report"), title(report)],
        [t("report.field.period"), period_text(report)],
        [t("report.field.as_of"), report.as_of],
        [t("report.field.term"), one_line(report.term_name) or None],
        [t("report.field.generated"), report.generated_at],
    ]
    if report.limited:  # counted over the students its reader may open only
        rows.append([t("report.field.scope"), t("report.scope_limited")])
    return Table("summary", t("report.sheet.summary"), t("report.sheet.summary"),
                 [t("report.col.item"), t("report.col.value")], rows)


def _share(value: float | None) -> Share | None:
    return None if value is None else Share(value)


def section_tables(report) -> list[Table]:
    """The report's sections as tables, in ``db.reports.SECTIONS`` order."""
    from db.progress import IMPROVE_BY, TARGET_SHARE

    out: list[Table] = []
    # 1. cases by status and class
    c = report.cases
    rows = [[one_line(r.name), *(r.counts.get(s, 0) for s in c.statuses), r.total]
            for r in [*c.classes, c.total]]
    rows[-1][0] = t("report.total")
    out.append(Table("cases", t("report.section.cases"), t("report.sheet.cases"),
                     [t("report.col.class"), *(label("status", s) for s in c.statuses),
                      t("report.col.total")], rows, totals=1,
                     notes=[(t("report.note.opened"), c.opened)]))
    # 2. entries by kind and channel
    e = report.entries
    rows = [[label("kind", k), *(e.count(k, ch) for ch in e.channels), e.by_kind[k]]
            for k in e.kinds]
    rows.append([t("report.total"), *(e.by_channel[ch] for ch in e.channels), e.total])
    out.append(Table("entries", t("report.section.entries"), t("report.sheet.entries"),
                     [t("report.col.kind"), *(label("channel", ch) for ch in e.channels),
                      t("report.col.total")], rows, totals=1,
                     notes=[(t("report.note.cases_with_entries"), e.cases)]))
    # 3. rule compliance
    m = report.compliance
    headers = [t("report.col.class"), t("report.col.open_cases")]
    for rule in m.rules:
        name = rule_label(rule)
        headers += [t("report.col.on_time", rule=name), t("report.col.share", rule=name)]
    rows = []
    for r in [*m.classes, m.total]:
        row: list[Cell] = [one_line(r.name), r.cases]
        for rule in m.rules:
            row += [r.on_time.get(rule.code, 0), _share(r.share(rule.code))]
        rows.append(row)
    rows[-1][0] = t("report.total")
    out.append(Table("compliance", t("report.section.compliance", date=report.as_of.isoformat()),
                     t("report.sheet.compliance"), headers, rows, totals=1))
    # 4. overdue
    rows = [[one_line(o.name), one_line(o.student_no), one_line(o.class_name),
             due_label(o.what, m.rules), o.due, o.days, one_line(o.lead) or None]
            for o in report.overdue]
    out.append(Table("overdue", t("report.section.overdue", date=report.as_of.isoformat()),
                     t("report.sheet.overdue"),
                     [t("report.col.student"), t("report.col.number"), t("report.col.class"),
                      t("report.col.item_due"), t("report.col.due"), t("report.col.days"),
                      t("report.col.lead")], rows))
    # 5. progress: the 10% figure
    p = report.progress
    rows = []
    for r in [*p.classes, p.total]:
        meets = r.meets_target
        rows.append([one_line(r.name), r.students, r.measurable, r.unmeasured, r.improved,
                     _share(r.share),
                     None if meets is None else t("report.yes" if meets else "report.no"),
                     _share(r.mean_change)])
    rows[-1][0] = t("report.total")
    pct = round(IMPROVE_BY * 100)
    out.append(Table("progress", t("report.section.progress", n=pct,
                                   target=round(TARGET_SHARE * 100)),
                     t("report.sheet.progress"),
                     [t("report.col.class"), t("report.col.students"), t("report.col.measurable"),
                      t("report.col.unmeasured"), t("report.col.improved", n=pct),
                      t("report.col.improved_share"), t("report.col.meets"),
                      t("report.col.mean_change")], rows, totals=1))
    # 6. families: events and feedback (term: satisfaction, recognitions)
    from tui.report_families import families_tables
    from tui.transformation_text import transformed_table

    # 7. the term summary's transformed cases (转化) with their evidence
    return out + families_tables(report.families) + transformed_table(report.transformed)


def tables(report) -> list[Table]:
    """The summary, then the sections."""
    return [summary_table(report), *section_tables(report)]


# -- Markdown and CSV ---------------------------------------------------------------------------

def render_markdown(report) -> str:
    colon = t("common.colon")
    lines = [f"# {md_escape(title(report))}", "",
             md_escape(t("report.period_line", period=period_text(report),
                         as_of=report.as_of.isoformat(),
                         term=one_line(report.term_name) or t("common.none"),
                         generated=cell_text(report.generated_at))), ""]
    if report.limited:
        lines += [md_escape(t("report.field.scope") + colon + t("report.scope_limited")), ""]
    for table in section_tables(report):
        lines += markdown_section(table, STYLE)
        for name, value in table.notes:
            lines += ["", f"{md_escape(name)}{colon}{md_cell(value, STYLE)}"]
        lines.append("")
    return "\n".join(lines)


def _csv(report):
    """The report's title, a blank row, then every table: a title row, the
    header, the rows, the notes (label, figure), a blank row."""
    yield [sheet_text(title(report))]
    yield []
    for table in tables(report):
        yield from csv_rows(table, STYLE)


def render_csv(report) -> str:
    """All the tables one after another (no BOM: ``write_report`` adds it)."""
    return csv_text(_csv(report))


# -- .xlsx ------------------------------------------------------------------------------------------

def _sheets(report, progress: ProgressFn | None):
    """A sheet per table (the summary's titled with the report's title);
    ``progress(done, total)`` once each is written."""
    all_tables = tables(report)
    for n, table in enumerate(all_tables, 1):
        if table.key == "summary":
            table.title = title(report)
        yield table
        if progress is not None:
            progress(n, len(all_tables))


def _write_xlsx(report, target: Path, progress: ProgressFn | None) -> None:
    save_xlsx(target, _sheets(report, progress), STYLE)


# -- writing a file ---------------------------------------------------------------------------------

def format_of(path: str | os.PathLike | None, fmt: str | None = None) -> str:
    """The format asked for, else the file's suffix, else md."""
    if fmt:
        if fmt not in FORMATS:
            raise ValueError(fmt)
        return fmt
    suffix = Path(str(path or "")).suffix.lower().lstrip(".")
    return suffix if suffix in FORMATS else "md"


def write_report(report, fmt: str, path: str | os.PathLike,
                 progress: ProgressFn | None = None) -> Path:
    """Write the report as ``fmt`` (xlsx, csv or md) to ``path``: into a
    temporary file beside it, then renamed over it, so a reader never sees a
    half-written report.  ``progress(done, total)`` follows the sheets
    (.xlsx) or is called once at the end.  Returns the path written."""
    from tui.exports import write_via_temp

    if fmt not in FORMATS:
        raise ValueError(fmt)
    if fmt == "xlsx":
        return write_via_temp(path, lambda tmp: _write_xlsx(report, tmp, progress))
    if fmt == "csv":
        written = write_via_temp(path, lambda tmp: save_csv(tmp, _csv(report)))
    else:
        written = write_via_temp(path, lambda tmp: save_text(tmp, render_markdown(report)))
    if progress is not None:
        progress(1, 1)
    return written
