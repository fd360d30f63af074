"""``bangfu export``: students, cases or contacts as a file (.xlsx, .csv).

The rows come from ``db.export_rows.export_table`` (what the reader may see;
no volunteers); here they get their words: headers and codes in the interface
language, guardians and the team as one cell each, a restricted entry as
"restricted entry (counselling)".  Text cells are cleaned (no control
characters) and neutralized (a spreadsheet never runs one as a formula,
``tui.report_files.neutralize``); a .csv has a UTF-8 BOM so that Chinese
Excel opens it.  ``write_export`` is what the app's export screen calls.
No Textual here; openpyxl is imported only when an .xlsx is written.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from db.text import clean, one_line
from tui.i18n import failure, label, labels, paren, restricted_entry, t

if TYPE_CHECKING:
    from db.export_rows import ExportTable

ProgressFn = Callable[[int, int], None]
EXPORT_FORMATS = ("xlsx", "csv")
WHAT = ("students", "cases", "contacts")  # db.export_rows.EXPORTS, without importing db here


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


def _csv_cell(value, neutralize) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralize(value)
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


# -- files -------------------------------------------------------------------------------------

def _every(total: int, progress: ProgressFn | None):
    """``tick(done)``: calls ``progress`` about 50 times over ``total`` rows."""
    step = max(1, total // 50)

    def tick(done: int) -> None:
        if progress is not None and done % step == 0:
            progress(done, total)
    return tick


def _write_csv(table: ExportTable, target: Path, progress: ProgressFn | None) -> None:
    from tui.report_files import neutralize

    tick = _every(len(table.rows), progress)
    # utf-8-sig: a BOM first, so that Chinese Excel reads the file as UTF-8
    with open(target, "w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow([neutralize(h) for h in headers(table)])
        for n, row in enumerate(display_rows(table), 1):
            writer.writerow([_csv_cell(v, neutralize) for v in row])
            tick(n)


def _write_xlsx(table: ExportTable, target: Path, progress: ProgressFn | None) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    from db.export_rows import TEXT_COLUMNS
    from tui.report_files import _sheet_name, _width, cell_text, neutralize

    book = Workbook(write_only=True)  # 20,000 students or a year of contacts: streamed
    sheet = book.create_sheet(_sheet_name(title(table.what), []))
    names = headers(table)
    rows = display_rows(table)
    first = [next(rows, None) for _ in range(200)]  # a sample for the column widths
    first = [r for r in first if r is not None]
    for col, (code, name) in enumerate(zip(table.columns, names), 1):
        width = max([_width(name)] + [_width(cell_text(r[col - 1])) for r in first])
        cap = 50 if code in TEXT_COLUMNS or code in ("guardians", "team") else 24
        sheet.column_dimensions[get_column_letter(col)].width = min(max(width + 2, 8), cap)
    sheet.freeze_panes = "A2"
    last = get_column_letter(max(len(names), 1))
    sheet.auto_filter.ref = f"A1:{last}{len(table.rows) + 1}"

    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")

    def head(text: str):
        cell = WriteOnlyCell(sheet, value=neutralize(text))
        cell.font = bold
        return cell

    def put(code: str, value):
        if isinstance(value, str):
            value = neutralize(value)
            if "\n" in value:
                cell = WriteOnlyCell(sheet, value=value)
                cell.alignment = wrap
                return cell
            return value
        if isinstance(value, dt.datetime):
            cell = WriteOnlyCell(sheet, value=value)
            cell.number_format = "yyyy-mm-dd hh:mm"
            return cell
        if isinstance(value, dt.date):
            cell = WriteOnlyCell(sheet, value=value)
            cell.number_format = "yyyy-mm-dd"
            return cell
        return value

    sheet.append([head(h) for h in names])
    tick = _every(len(table.rows), progress)
    n = 0
    for chunk in (first, rows):
        for row in chunk:
            sheet.append([put(code, v) for code, v in zip(table.columns, row)])
            n += 1
            tick(n)
    book.save(target)


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


# -- the command -------------------------------------------------------------------------------

def add_commands(add_parser) -> None:
    p = add_parser("export", help=t("cli.help.export"))
    p.add_argument("what", choices=WHAT, help=t("cli.help.export_what"))
    p.add_argument("--format", choices=EXPORT_FORMATS, default=None,
                   help=t("cli.help.export_format"))
    p.add_argument("-o", "--output", metavar="FILE", default="",
                   help=t("cli.help.export_output"))
    p.add_argument("--since", metavar="DATE", default="", help=t("cli.help.since"))
    p.add_argument("--until", metavar="DATE", default="", help=t("cli.help.until"))


def _dates(args) -> tuple[dt.date | None, dt.date | None]:
    from db import clock
    from db.dates import DateError, parse_date
    from tui.cli import CliError

    if (args.since or args.until) and args.what != "contacts":
        raise CliError(t("cli.export.dates_contacts_only"), 2)
    out = []
    for flag, text in (("--since", args.since), ("--until", args.until)):
        if not text:
            out.append(None)
            continue
        try:
            out.append(parse_date(text, clock.today()))
        except DateError as exc:
            raise CliError(t("cli.invalid", field=flag, message=t(f"err.date.{exc.code}")),
                           2) from None
    since, until = out
    if since is not None and until is not None and since > until:
        raise CliError(t("cli.export.range"), 2)
    return since, until


def cmd_export(args, settings) -> int:
    """Students, cases or contacts as a file: -o FILE (or folder), else the
    export folder; prints the path written."""
    from db import access
    from tui.cli import CliError, _open, _safe, signed_in

    # the input first: a mistyped command never opens (or waits on) the file
    try:
        fmt = format_for(args.output, args.format)
    except ValueError as exc:
        raise CliError(t("cli.export.suffix", suffix=_safe(str(exc))), 2) from None
    since, until = _dates(args)
    _open(settings)
    reader = signed_in(settings, args, "reports")
    from db.export_rows import export_table

    try:
        table = export_table(args.what, reader, since, until)
    except access.NotAllowed:
        raise CliError(t("cli.not_allowed", role=label("staff_role", reader.role)), 4) from None
    if args.output:
        target = Path(os.path.expanduser(args.output))
        if target.is_dir():  # a folder: a default name in it
            target /= default_path(args.what, fmt).name
    else:
        target = default_path(args.what, fmt)
    try:
        written = write_export(table, fmt, target)
    except OSError as exc:
        raise CliError(t("cli.export.failed", path=_safe(str(target)),
                         detail=exc.strerror or failure(exc))) from None
    print(t("cli.export.written", n=len(table.rows), path=_safe(str(written))))
    return 0
