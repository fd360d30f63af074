"""Tables written for people: the one writer of .xlsx, .csv and .md files.

The weekly report and the term summary (``tui.report_files``), the exports
(``tui.export_files``), the audit log (``tui.audit_log``) and the case summary
(``tui.case_summary``) all write through here.  A ``Table`` is a title, lines
of text under it, a header and rows of typed cells: ``str``, ``int`` /
``float``, ``Share`` (a fraction written as a percentage: "66.7%"),
``dt.date`` / ``dt.datetime`` and ``None`` (no value); a ``Style`` says how one
kind of file shows them.  The caller puts its document together (which
tables, what comes before them) from ``csv_rows`` and ``markdown_table``.

A text cell that a spreadsheet would run as a formula (= + - @, tab, carriage
return first) gets a leading apostrophe in .csv and .xlsx; Markdown cells are
escaped so that a name cannot break the table.  A .csv starts with a UTF-8
BOM, so that Chinese Excel reads it as UTF-8; lines end with CR LF.

``save_csv``, ``save_text`` and ``save_xlsx`` write the file they are given;
``tui.exports.write_via_temp`` gives them a temporary file beside the real
one, renamed over it once written (a reader never sees half a file).

No Textual here; openpyxl is imported only when an .xlsx is written (the rows
streamed: a table may be a year of contacts).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from db.text import one_line
from tui.i18n import share_text, t

FORMATS = ("xlsx", "csv", "md")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
ProgressFn = Callable[[int, int], None]
TIME = "%Y-%m-%d %H:%M"  # a date and time as text


class Share(float):
    """A fraction (0.667) written as a percentage ("66.7%")."""


Cell = str | int | float | Share | dt.date | dt.datetime | None


@dataclass(frozen=True, slots=True)
class Style:
    """How one kind of file shows its cells."""

    blank: bool = False  # no value as an empty .csv cell (else "—" in the interface language)
    time: str = TIME  # a date and time as text (.csv, .md)
    xlsx_time: str | None = "yyyy-mm-dd hh:mm"  # ... in .xlsx (None: openpyxl's own)
    one_line: bool = True  # text cleaned to one line in .csv and .xlsx (else its lines kept)
    wrap: bool = False  # .xlsx: a text of several lines wraps in its cell
    gap: bool = False  # .csv: a blank row after each table


@dataclass(slots=True)
class Table:
    """A titled table of typed cells: a sheet of an .xlsx, a block of a .csv,
    a Markdown table."""

    key: str  # what the table is ("summary", a report's section, an export's kind …)
    title: str  # translated
    sheet: str  # a short title for an .xlsx sheet (at most 31 characters are kept)
    headers: list[str]
    rows: Iterable[list[Cell]]  # a list, or an iterator for a long table (written as it comes)
    totals: int = 0  # the last ``totals`` rows are totals (bold in .xlsx)
    notes: list[tuple[str, Cell]] = field(default_factory=list)  # figures under the table
    lines: list[str] = field(default_factory=list)  # text under the title
    titled: bool = True  # the title as the first row of a .csv or .xlsx
    count: int | None = None  # rows, when ``rows`` is an iterator
    widths: list[float] | None = None  # .xlsx column widths (else ``fit_widths``, at most 60)
    auto_filter: bool = False  # .xlsx: a filter over the header and the rows
    right: tuple[int, ...] | None = None  # .md: columns right-aligned (else those of figures)


# -- cells as text ------------------------------------------------------------------------------

def cell_text(value: Cell, style: Style | None = None) -> str:
    """A cell as plain text: "66.7%", "2026-11-20", "—" for no value."""
    if value is None:
        return "" if style is not None and style.blank else t("common.none")
    if isinstance(value, Share):
        return share_text(value)
    if isinstance(value, dt.datetime):
        return f"{value:{style.time if style is not None else TIME}}"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (bool, int, float)):
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


def _text(text: str, style: Style) -> str:
    return sheet_text(text) if style.one_line else neutralize(text)


def csv_cell(value: Cell, style: Style) -> str:
    """A cell for .csv: text neutralized, the rest as ``cell_text`` writes it."""
    if isinstance(value, str):
        return _text(value, style)
    return cell_text(value, style)


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


def md_cell(value: Cell, style: Style | None = None) -> str:
    """A cell for a Markdown table: text escaped (an empty text stays empty),
    the rest as ``cell_text`` writes it."""
    if isinstance(value, str):
        return md_escape(value) if value else ""
    return cell_text(value, style)


def text_width(text: str) -> int:
    """Display columns: a CJK character takes two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def fit_widths(headers: list[str], rows: Iterable[list[Cell]], caps: list[int]) -> list[float]:
    """.xlsx column widths: the widest of the header and ``rows``, two more, at
    least 8 and at most the column's cap."""
    widths = [text_width(h) for h in headers] + [0] * (len(caps) - len(headers))
    for row in rows:
        for col, value in enumerate(row):
            widths[col] = max(widths[col], text_width(cell_text(value)))
    return [min(max(width + 2, 8), cap) for width, cap in zip(widths, caps)]


def sheet_name(name: str, taken: list[str]) -> str:
    """An .xlsx sheet's name: no []:*?/\\, at most 31 characters, none taken twice."""
    clean = "".join("_" if c in "[]:*?/\\" else c for c in name)[:31] or "Sheet"
    out, n = clean, 2
    while out in taken:
        out, n = f"{clean[:28]}-{n}", n + 1
    return out


# -- Markdown and CSV ---------------------------------------------------------------------------

def md_table(headers: list[str], rows: Iterable[list[str]], right: Iterable[int] = ()) -> list[str]:
    """A GFM table's lines; the header and the cells are already escaped."""
    right = set(right)
    out = ["| " + " | ".join(headers) + " |",
           "|" + "|".join("--:" if i in right else "---" for i in range(len(headers))) + "|"]
    out += ["| " + " | ".join(row) + " |" for row in rows]
    return out


def _numeric(rows: list[list[Cell]], column: int) -> bool:
    """A column of figures (right-aligned): every value a number or none."""
    values = [row[column] for row in rows if row[column] is not None]
    return bool(values) and all(isinstance(v, (int, float)) and not isinstance(v, bool)
                                for v in values)


def markdown_table(table: Table, style: Style | None = None) -> list[str]:
    """``table``'s header and rows as a GFM table (without its title or notes)."""
    rows = list(table.rows)
    right = table.right if table.right is not None else \
        [i for i in range(len(table.headers)) if _numeric(rows, i)]
    return md_table([md_escape(h) for h in table.headers],
                    ([md_cell(v, style) for v in row] for row in rows), right)


def markdown_section(table: Table, style: Style | None = None, *,
                     heading: bool = True) -> list[str]:
    """``table`` as a section of a Markdown report: its title as a heading (unless
    not ``heading``), its lines, the table, and "nothing" when it has no rows."""
    from tui.i18n import t

    lines = [f"## {md_escape(table.title)}", ""] if heading else []
    if heading and table.lines:
        lines += [*(md_escape(line) for line in table.lines), ""]
    lines += markdown_table(table, style)
    if not table.rows:
        lines += ["", md_escape(t("report.empty"))]
    return lines


def csv_rows(table: Table, style: Style) -> Iterator[list[str]]:
    """``table`` as .csv rows: its title, its lines, the header, the rows, the
    notes (label, figure), and (``style.gap``) a blank row."""
    if table.titled:
        yield [_text(table.title, style)]
    for line in table.lines:
        yield [_text(line, style)]
    yield [_text(h, style) for h in table.headers]
    for row in table.rows:
        yield [csv_cell(v, style) for v in row]
    for name, value in table.notes:
        yield [csv_cell(name, style), csv_cell(value, style)]
    if style.gap:
        yield []


def csv_text(rows: Iterable[list[str]]) -> str:
    """Rows as .csv text (no BOM: ``save_csv`` adds it)."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def save_csv(target: Path, rows: Iterable[list[str]]) -> None:
    """Rows into ``target`` as .csv, a row at a time, with a BOM first."""
    # utf-8-sig: a BOM first, so that Chinese Excel reads the file as UTF-8
    with open(target, "w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        for row in rows:
            writer.writerow(row)


def save_text(target: Path, text: str) -> None:
    """Text (Markdown) into ``target`` as it is, UTF-8."""
    target.write_text(text, encoding="utf-8", newline="")


def every(total: int, progress: ProgressFn | None, rows: Iterable) -> Iterator:
    """``rows`` as they come, calling ``progress(done, total)`` about 50 times."""
    step = max(1, total // 50)
    for done, row in enumerate(rows, 1):
        yield row
        if progress is not None and done % step == 0:
            progress(done, total)


# -- .xlsx --------------------------------------------------------------------------------------

def save_xlsx(target: Path, tables: Iterable[Table], style: Style) -> None:
    """Each table as a sheet of ``target``: the title (large, bold), its lines,
    the header (bold), frozen under it, the rows (totals bold), a blank row and
    the notes.  Written as the rows come (openpyxl's write-only mode)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    bold, big = Font(bold=True), Font(bold=True, size=13)
    wrap = Alignment(wrap_text=True, vertical="top")
    book = Workbook(write_only=True)

    for table in tables:
        sheet = book.create_sheet(sheet_name(table.sheet, book.sheetnames))

        def cell(value: Cell, font=None, sheet=sheet):
            return _xlsx_cell(sheet, value, style, font, wrap, WriteOnlyCell)

        # a list where the rows are needed before they are written, else as they come
        listed = list(table.rows) if table.widths is None or table.totals or (
            table.auto_filter and table.count is None) else None
        rows = listed if listed is not None else table.rows
        widths = table.widths if table.widths is not None else \
            fit_widths(table.headers, listed or [], [60] * max(len(table.headers), 2))
        for col, width in enumerate(widths, 1):  # before the rows: write-only mode
            sheet.column_dimensions[get_column_letter(col)].width = width
        head = int(table.titled) + len(table.lines) + 1  # the header's row
        sheet.freeze_panes = f"A{head + 1}"
        if table.auto_filter:
            count = table.count if table.count is not None else len(listed or [])
            last = get_column_letter(max(len(table.headers), 1))
            sheet.auto_filter.ref = f"A{head}:{last}{head + count}"
        if table.titled:
            sheet.append([cell(table.title, big)])
        for line in table.lines:
            sheet.append([cell(line)])
        sheet.append([cell(h, bold) for h in table.headers])
        first_total = len(listed or []) - table.totals if table.totals else None
        for n, row in enumerate(rows):
            font = bold if first_total is not None and n >= first_total else None
            sheet.append([cell(v, font) for v in row])
        if table.notes:
            sheet.append([])
            for name, value in table.notes:
                sheet.append([cell(name), cell(value)])
    book.save(target)


def _xlsx_cell(sheet, value: Cell, style: Style, font, wrap, make):
    """A plain value where no style is needed (appended fastest), else a cell
    made by ``make`` (openpyxl's ``WriteOnlyCell``) with its font, number
    format or wrapping."""
    fmt = None
    if isinstance(value, str):
        value = _text(value, style)
        if not (style.wrap and "\n" in value):
            wrap = None
    else:
        wrap = None
        if isinstance(value, Share):
            value, fmt = float(value), "0.0%"
        elif isinstance(value, dt.datetime):
            fmt = style.xlsx_time
        elif isinstance(value, dt.date):
            fmt = "yyyy-mm-dd"
    if font is None and fmt is None and wrap is None:
        return value
    out = make(sheet, value=value)
    if font is not None:
        out.font = font
    if fmt is not None:
        out.number_format = fmt
    if wrap is not None:
        out.alignment = wrap
    return out
