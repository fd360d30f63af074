"""Students, cases or contacts as a file (.xlsx, .csv): what the export screen
(``screens/export.py``) and ``bangfu export`` (``tui/cli/export.py``) write.

The rows come from ``db.export_rows.export_table`` (what the reader may see;
no volunteers); here they get their words: headers and codes in the interface
language, guardians and the team as one cell each, a restricted entry as
"restricted entry (counselling)".  Text cells are cleaned (no control
characters) and written by ``tui.sheets`` (a spreadsheet never runs one as a
formula; a .csv has a UTF-8 BOM so that Chinese Excel opens it).
No Textual here; openpyxl is imported only when an .xlsx is written.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from db.text import clean, one_line
from tui.i18n import label, labels, paren, restricted_entry, t
from tui.sheets import ProgressFn, Style, Table, csv_rows, every, fit_widths, save_csv, save_xlsx

if TYPE_CHECKING:
    from db.export_rows import ExportTable

EXPORT_FORMATS = ("xlsx", "csv")
WHAT = ("students", "cases", "contacts")  # db.export_rows.EXPORTS, without importing db here
# no value as an empty cell; long texts keep their lines (wrapped in .xlsx)
STYLE = Style(blank=True, one_line=False, wrap=True)


# -- words for the table -----------------------------------------------------------------------

def title(what: str) -> str:
    return t(f"export.title.{what}")


def headers(table: ExportTable) -> list[str]:
    return [t(f"export.col.{code}") for code in table.columns]


def _guardians(parts) -> str:
    """"张父 (father) 13800000000; 刘梅 (mother) 13900000000"."""
    out = []
    for name, relation, phone in parts:
        text = one_line(name) + (paren(label("relation", relation)) if relation else "")
        out.append(f"{text} {one_line(phone)}" if phone else text)
    return "; ".join(out)


def _team(parts) -> str:
    return t("common.list_sep").join(one_line(name) + paren(label("role", role))
                                     for name, role in parts)


def cell_value(code: str, value):
    """One cell in words: codes labelled, parts joined, text cleaned (several
    lines kept for long texts); dates, times and figures as they are; ``None``
    for no value."""
    return _converter(code)(value)


def _converter(code: str) -> Callable:
    """``cell_value`` for one column, made once per export (labels of the
    codes remembered: a column holds few distinct ones)."""
    from db.export_rows import CODE_COLUMNS, TEXT_COLUMNS
    from db.vocab import split_codes

    if code in ("guardians", "team"):
        join = _guardians if code == "guardians" else _team
        return lambda value: None if value is None else join(value)
    group = CODE_COLUMNS.get(code)
    if group is not None:
        if group == "restricted":
            def words(value):
                return restricted_entry(value)
        elif group == "field":
            def words(value):
                return t("common.list_sep").join(t(f"export.col.{f}")
                                                 for f in split_codes(value))
        else:
            def words(value):
                return labels(group, split_codes(value))
        seen: dict = {}

        def coded(value):
            if not value:
                return None if value is None else ""
            if value not in seen:
                seen[value] = words(value)
            return seen[value]
        return coded
    text = (lambda v: clean(v).strip()) if code in TEXT_COLUMNS else one_line
    return lambda value: text(value) if isinstance(value, str) else value


def display_rows(table: ExportTable):
    """The rows in words (``cell_value``), one list per row."""
    convert = [_converter(code) for code in table.columns]
    for row in table.rows:
        yield [f(value) for f, value in zip(convert, row)]


# -- files -------------------------------------------------------------------------------------

def _sheet(table: ExportTable, progress: ProgressFn | None) -> Table:
    """The export as a sheet: the header and the rows (no title row), a filter
    over them; the column widths fit the first 200 rows."""
    from db.export_rows import TEXT_COLUMNS

    names = headers(table)
    rows = every(len(table.rows), progress, display_rows(table))
    first = [row for _, row in zip(range(200), rows)]  # a sample for the column widths
    caps = [50 if code in TEXT_COLUMNS or code in ("guardians", "team") else 24
            for code in table.columns]
    return Table(table.what, title(table.what), title(table.what), names, _chain(first, rows),
                 titled=False, count=len(table.rows), widths=fit_widths(names, first, caps),
                 auto_filter=True)


def _chain(first: list, rest):
    yield from first
    yield from rest


def _write_csv(table: ExportTable, target: Path, progress: ProgressFn | None) -> None:
    sheet = Table(table.what, title(table.what), title(table.what), headers(table),
                  every(len(table.rows), progress, display_rows(table)), titled=False)
    save_csv(target, csv_rows(sheet, STYLE))


def _write_xlsx(table: ExportTable, target: Path, progress: ProgressFn | None) -> None:
    save_xlsx(target, [_sheet(table, progress)], STYLE)


def write_export(table: ExportTable, fmt: str, path: str | os.PathLike,
                 progress: ProgressFn | None = None) -> Path:
    """Write ``table`` (``db.export_rows.export_table``) as ``fmt`` (xlsx or
    csv) to ``path``: into a temporary file beside it, then renamed over it, so
    a reader never sees half a file.  ``progress(done, total)`` follows the
    rows and ends with ``(total, total)``.  Returns the path written."""
    from tui.exports import write_via_temp

    if fmt not in EXPORT_FORMATS:
        raise ValueError(fmt)
    writer = _write_xlsx if fmt == "xlsx" else _write_csv
    written = write_via_temp(path, lambda tmp: writer(table, tmp, progress))
    if progress is not None:
        progress(len(table.rows), len(table.rows))
    return written


def default_path(what: str, fmt: str) -> Path:
    """``~/bangfu-exports/students-20261120-1530.xlsx`` (in the interface language)."""
    from db import clock
    from tui.exports import default_path as export_path

    return export_path(t(f"export.file.{what}"), f"{clock.now():%Y%m%d-%H%M}", suffix=fmt)


def format_for(output: str, fmt: str | None) -> str:
    """The format asked for, else the file's suffix, else xlsx; raises
    ``ValueError(suffix)`` for a file that is neither .xlsx nor .csv."""
    if fmt:
        return fmt
    suffix = Path(output).suffix.lower() if output else ""
    if not suffix or (output and Path(os.path.expanduser(output)).is_dir()):
        return "xlsx"
    if suffix.lstrip(".") not in EXPORT_FORMATS:
        raise ValueError(suffix)
    return suffix.lstrip(".")
