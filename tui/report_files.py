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
a text cell that a spreadsheet would read as a formula (= + - @, tab, carriage
return first) gets a leading apostrophe in .csv and .xlsx; Markdown cells are
escaped so that a name cannot break the table.

No Textual here; openpyxl is imported only when an .xlsx is written.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from db.text import one_line
from tui.i18n import due_label, label, rule_label, share_text, t

FORMATS = ("xlsx", "csv", "md")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
ProgressFn = Callable[[int, int], None]


class Share(float):
    """A fraction (0.667) written as a percentage ("66.7%")."""


Cell = str | int | float | Share | dt.date | dt.datetime | None


@dataclass(slots=True)
class Table:
    key: str  # "summary" or a section of db.reports.SECTIONS
    title: str  # translated
    sheet: str  # a short title for an .xlsx sheet (at most 31 characters)
    headers: list[str]
    rows: list[list[Cell]]
    totals: int = 0  # the last ``totals`` rows are totals (bold in .xlsx)
    notes: list[tuple[str, Cell]] = field(default_factory=list)  # figures under the table


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
    """The report's five sections as tables, in ``db.reports.SECTIONS`` order."""
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
    return out


def tables(report) -> list[Table]:
    """The summary, then the five sections."""
    return [summary_table(report), *section_tables(report)]


# -- cells as text ----------------------------------------------------------------------------

def cell_text(value: Cell) -> str:
    """A cell as plain text: "66.7%", "2026-11-20", "—" for no value."""
    if value is None:
        return t("common.none")
    if isinstance(value, Share):
        return share_text(value)
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        return str(value)
    return value


def neutralize(text: str) -> str:
    """A text cell a spreadsheet would run as a formula, quoted with an apostrophe."""
    return "'" + text if text.startswith(FORMULA_START) else text


def sheet_text(text: str) -> str:
    """A text cell for .csv or .xlsx: one clean line (a label of a code the
    vocabulary does not know is the stored code itself; openpyxl refuses control
    characters), then neutralized."""
    return neutralize(one_line(text))


def _sheet_text(value: Cell) -> str:
    """A cell for .csv: text neutralized, figures as written by ``cell_text``."""
    if isinstance(value, str):
        return sheet_text(value)
    return cell_text(value)


_MD_ANYWHERE = str.maketrans({c: "\\" + c for c in "\\|`*_[]<>"})
_MD_START = "#+-=~!:>"


def md_escape(text: str) -> str:
    """Text safe in a Markdown table cell or heading: ``|``, backslash and inline
    markup escaped everywhere, block markup (``#``, ``-``, ``1.`` …) at the start."""
    text = one_line(text).translate(_MD_ANYWHERE)
    if text[:1] in _MD_START:
        text = "\\" + text
    else:
        digits = len(text) - len(text.lstrip("0123456789"))
        if digits and text[digits:digits + 1] in (".", ")"):
            text = text[:digits] + "\\" + text[digits:]
    return text


def _md_cell(value: Cell) -> str:
    return md_escape(value) if isinstance(value, str) else cell_text(value)


# -- Markdown and CSV ---------------------------------------------------------------------------

def _numeric(table: Table, column: int) -> bool:
    """A column of figures (right-aligned): every value a number or none."""
    values = [row[column] for row in table.rows if row[column] is not None]
    return bool(values) and all(isinstance(v, (int, float)) and not isinstance(v, bool)
                                for v in values)


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
        lines += [f"## {md_escape(table.title)}", ""]
        lines.append("| " + " | ".join(md_escape(h) for h in table.headers) + " |")
        lines.append("|" + "|".join("--:" if _numeric(table, i) else "---"
                                    for i in range(len(table.headers))) + "|")
        for row in table.rows:
            lines.append("| " + " | ".join(_md_cell(v) for v in row) + " |")
        if not table.rows:
            lines += ["", md_escape(t("report.empty"))]
        for name, value in table.notes:
            lines += ["", f"{md_escape(name)}{colon}{_md_cell(value)}"]
        lines.append("")
    return "\n".join(lines)


def render_csv(report) -> str:
    """All the tables one after another: a title row, the header, the rows,
    the notes (label, figure), a blank row.  (No BOM: ``write_report`` adds it.)"""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_sheet_text(title(report))])
    writer.writerow([])
    for table in tables(report):
        writer.writerow([_sheet_text(table.title)])
        writer.writerow([_sheet_text(h) for h in table.headers])
        for row in table.rows:
            writer.writerow([_sheet_text(v) for v in row])
        for name, value in table.notes:
            writer.writerow([_sheet_text(name), _sheet_text(value)])
        writer.writerow([])
    return out.getvalue()


# -- .xlsx ------------------------------------------------------------------------------------------

def _width(text: str) -> int:
    """Display columns: a CJK character takes two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _write_xlsx(report, target: Path, progress: ProgressFn | None) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    bold, big = Font(bold=True), Font(bold=True, size=13)
    book = Workbook()
    book.remove(book.active)
    all_tables = tables(report)
    for n, table in enumerate(all_tables, 1):
        sheet = book.create_sheet(_sheet_name(table.sheet, book.sheetnames))
        sheet.cell(row=1, column=1, value=sheet_text(title(report) if table.key == "summary"
                                                     else table.title)).font = big
        widths = [0] * max(len(table.headers), 2)
        for col, header in enumerate(table.headers, 1):
            cell = sheet.cell(row=2, column=col, value=sheet_text(header))
            cell.font = bold
            widths[col - 1] = _width(header)
        first_total = 3 + len(table.rows) - table.totals
        for r, row in enumerate(table.rows, 3):
            for col, value in enumerate(row, 1):
                cell = sheet.cell(row=r, column=col)
                _put(cell, value)
                if r >= first_total:
                    cell.font = bold
                widths[col - 1] = max(widths[col - 1], _width(cell_text(value)))
        r = 3 + len(table.rows) + 1
        for name, value in table.notes:
            sheet.cell(row=r, column=1, value=sheet_text(name))
            _put(sheet.cell(row=r, column=2), value)
            r += 1
        for col, width in enumerate(widths, 1):
            sheet.column_dimensions[get_column_letter(col)].width = min(max(width + 2, 8), 60)
        sheet.freeze_panes = "A3"
        if progress is not None:
            progress(n, len(all_tables))
    book.save(target)


def _put(cell, value: Cell) -> None:
    """A real number, percentage or date cell; text neutralized; None left empty."""
    if value is None:
        return
    if isinstance(value, Share):
        cell.value = float(value)
        cell.number_format = "0.0%"
    elif isinstance(value, dt.datetime):
        cell.value = value
        cell.number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(value, dt.date):
        cell.value = value
        cell.number_format = "yyyy-mm-dd"
    elif isinstance(value, (int, float)):
        cell.value = value
    else:
        cell.value = sheet_text(str(value))
        cell.data_type = "s"


def _sheet_name(name: str, taken: list[str]) -> str:
    clean = "".join("_" if c in "[]:*?/\\" else c for c in name)[:31] or "Sheet"
    out, n = clean, 2
    while out in taken:
        out, n = f"{clean[:28]}-{n}", n + 1
    return out


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
    from tui.exports import text_fill, write_via_temp

    if fmt not in FORMATS:
        raise ValueError(fmt)
    if fmt == "xlsx":
        return write_via_temp(path, lambda tmp: _write_xlsx(report, tmp, progress))
    written = write_via_temp(path, text_fill(
        render_csv(report) if fmt == "csv" else render_markdown(report), fmt))
    if progress is not None:
        progress(1, 1)
    return written
