"""``bangfu audit``, and the audit log as a file (.csv, .xlsx, .md).

Administrators only (``db.access``: the "audit" ability).  The same filters as
the audit screen (``screens/audit.py``), which writes its exports with
``write_audit`` too: one line per field changed (old and new in their own
columns), newest first.  A restricted entry's texts show as "restricted
entry"; the stored row keeps them.  Text cells a spreadsheet would run as a
formula are neutralized (``tui.report_files.neutralize``).  No Textual here.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from db.text import clean, one_line
from tui.i18n import failure, t

if TYPE_CHECKING:
    from db.audit import AuditFilter, AuditRow

ProgressFn = Callable[[int, int], None]

ACTION_KEYS = {"insert": "audit.action.insert", "update": "audit.action.update",
               "delete": "audit.action.delete", "bulk": "audit.action.bulk",
               "read": "audit.action.read", "sign_in_failed": "audit.action.sign_in_failed",
               "seal": "audit.action.seal"}
TABLE_KEYS = {"student": "audit.table.student", "guardian": "audit.table.guardian",
              "case_file": "audit.table.case_file", "contact": "audit.table.contact",
              "assignment": "audit.table.assignment", "goal": "audit.table.goal",
              "stage_review": "audit.table.stage_review", "peer_pair": "audit.table.peer_pair",
              "score": "audit.table.score", "checkin": "audit.table.checkin",
              "staff": "audit.table.staff", "term": "audit.table.term",
              "school_class": "audit.table.school_class",
              "bangfu_meta": "audit.table.bangfu_meta", "staff_key": "audit.table.staff_key",
              "school_key": "audit.table.school_key"}
FIELD_LABELS = {"staff": "audit.person", "student": "audit.student",
                "since": "audit.since", "until": "audit.until"}
FLAGS = {"staff": "--staff", "student": "--student", "since": "--since", "until": "--until"}


# -- words for a row -----------------------------------------------------------------------------

def action_label(action: str) -> str:
    key = ACTION_KEYS.get(action)
    return t(key) if key else one_line(action)


def table_label(table: str) -> str:
    key = TABLE_KEYS.get(table)
    return t(key) if key else one_line(table)


def when_text(at) -> str:
    return f"{at:%Y-%m-%d %H:%M:%S}" if isinstance(at, dt.datetime) else one_line(str(at))


def value_text(value, *, multiline: bool = False) -> str:
    """A stored value as text: a masked text as "restricted entry", None as "",
    lists and mappings as JSON; control characters and markup never pass."""
    from db.audit import MASKED

    if value is MASKED:
        return t("access.restricted_entry")
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return clean(value) if multiline else one_line(value)
    if isinstance(value, (int, float)):
        return str(value)
    text = json.dumps(value, ensure_ascii=False, default=str)
    return clean(text) if multiline else one_line(text)


def _short(value, width: int = 24) -> str:
    text = value_text(value) or t("common.none")
    return text if len(text) <= width else text[:width - 1] + "…"


def summary(row: AuditRow) -> str:
    """The change on one line: "status: active → closed; version: 3 → 4"."""
    parts = []
    for change in row.fields():
        if change.pair:
            parts.append(f"{one_line(change.field)}: {_short(change.old)} → {_short(change.new)}")
        else:
            value = change.old if row.action == "delete" else change.new
            parts.append(f"{one_line(change.field)}: {_short(value)}")
    return "; ".join(parts)


def filter_text(chosen: AuditFilter) -> str:
    """What the rows are narrowed to, in words ("everything" for nothing)."""
    parts = []
    if chosen.staff_id is not None:
        parts.append(t("audit.filter.person", name=one_line(chosen.staff_name)))
    if chosen.student_id is not None:
        parts.append(t("audit.filter.student", name=one_line(chosen.student_name),
                       number=one_line(chosen.student_no)))
    if chosen.since is not None:
        parts.append(t("audit.filter.since", date=chosen.since.isoformat()))
    if chosen.until is not None:
        parts.append(t("audit.filter.until", date=chosen.until.isoformat()))
    return " · ".join(parts) or t("audit.everything")


def filter_error(exc) -> str:
    """A ``db.audit.FilterError`` in words (without the field's name)."""
    names = t("common.list_sep").join(one_line(n) for n in exc.names)
    if exc.field == "staff":
        return t("audit.err.staff_many", names=names) if exc.code == "many" \
            else t("audit.err.staff_none")
    if exc.field == "student":
        return t("audit.err.student_many", names=names) if exc.code == "many" \
            else t("audit.err.student_none")
    if exc.code == "range":
        return t("audit.err.range")
    return t("err.date.invalid") if exc.code == "invalid" else t("err.date.format")


# -- the table every format writes -------------------------------------------------------------

def headers() -> list[str]:
    return [t("audit.col.id"), t("audit.col.at"), t("audit.col.who"), t("audit.col.host"),
            t("audit.col.table"), t("audit.col.row"), t("audit.col.action"),
            t("audit.col.field"), t("audit.col.old"), t("audit.col.new")]


def lines(rows: list[AuditRow], *, multiline: bool = True):
    """One list of cells per field changed (a row without fields: one line)."""
    for row in rows:
        head = [row.id, row.at if isinstance(row.at, dt.datetime) else one_line(str(row.at)),
                one_line(row.who), one_line(row.host), table_label(row.table),
                one_line(row.row_id), action_label(row.action)]
        changes = row.fields()
        if not changes:
            yield head + ["", "", ""]
        for change in changes:
            yield head + [one_line(change.field), value_text(change.old, multiline=multiline),
                          value_text(change.new, multiline=multiline)]


def _title() -> str:
    return t("audit.title")


def _file_line(chosen: AuditFilter, n: int) -> str:
    from db import clock

    return t("audit.file_line", filters=filter_text(chosen), n=n,
             when=f"{clock.now():%Y-%m-%d %H:%M}")


def render_csv(rows: list[AuditRow], chosen: AuditFilter) -> str:
    """A title row, what was chosen, the header, one line per field (no BOM:
    ``write_audit`` adds it)."""
    from tui.report_files import neutralize

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([neutralize(_title())])
    writer.writerow([neutralize(_file_line(chosen, len(rows)))])
    writer.writerow([neutralize(h) for h in headers()])
    for cells in lines(rows):
        writer.writerow([neutralize(c) if isinstance(c, str) else when_text(c) if
                         isinstance(c, dt.datetime) else str(c) for c in cells])
    return out.getvalue()


def render_markdown(rows: list[AuditRow], chosen: AuditFilter) -> str:
    from tui.report_files import md_escape

    out = [f"# {md_escape(_title())}", "", md_escape(_file_line(chosen, len(rows))), "",
           "| " + " | ".join(md_escape(h) for h in headers()) + " |",
           "|--:|" + "|".join("---" for _ in headers()[1:]) + "|"]
    for cells in lines(rows, multiline=False):
        out.append("| " + " | ".join(
            when_text(c) if isinstance(c, dt.datetime) else md_escape(str(c)) if c != "" else ""
            for c in cells) + " |")
    return "\n".join(out) + "\n"


def _write_xlsx(rows: list[AuditRow], chosen: AuditFilter, target: Path,
                progress: ProgressFn | None) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    from tui.report_files import _width, neutralize

    book = Workbook(write_only=True)  # a year of the log is many rows: streamed
    sheet = book.create_sheet(_title()[:31])
    names = headers()
    widths = [_width(h) for h in names]
    widths[1] = 19
    for col, width in enumerate(widths, 1):  # before the rows: write-only mode
        sheet.column_dimensions[get_column_letter(col)].width = min(max(width + 2, 8),
                                                                  40 if col > 7 else 20)
    sheet.freeze_panes = "A4"

    def text_cell(value: str, font=None):
        cell = WriteOnlyCell(sheet, value=neutralize(value))
        if font is not None:
            cell.font = font
        return cell

    sheet.append([text_cell(_title(), Font(bold=True, size=13))])
    sheet.append([text_cell(_file_line(chosen, len(rows)))])
    sheet.append([text_cell(h, Font(bold=True)) for h in names])
    total, step = len(rows), max(1, len(rows) // 50)
    done_ids = 0
    last_id = None
    for cells in lines(rows):
        # plain values append fastest; text is neutralized, so none is a formula
        sheet.append([neutralize(v) if isinstance(v, str) else v for v in cells])
        if cells[0] != last_id:
            last_id = cells[0]
            done_ids += 1
            if progress is not None and done_ids % step == 0:
                progress(done_ids, total)
    book.save(target)
    if progress is not None:
        progress(total, total)


def write_audit(rows: list[AuditRow], chosen: AuditFilter, fmt: str, path,
                progress: ProgressFn | None = None) -> Path:
    """Write ``rows`` as ``fmt`` (csv, xlsx or md) into a temporary file beside
    ``path``, then rename it over ``path``: a reader never sees half a file.
    ``progress(done, total)`` follows the rows.  Returns the path written."""
    from tui.exports import text_fill, write_via_temp
    from tui.report_files import FORMATS

    if fmt not in FORMATS:
        raise ValueError(fmt)
    if fmt == "xlsx":
        return write_via_temp(path, lambda tmp: _write_xlsx(rows, chosen, tmp, progress))
    written = write_via_temp(path, text_fill(
        render_csv(rows, chosen) if fmt == "csv" else render_markdown(rows, chosen), fmt))
    if progress is not None:
        progress(len(rows), len(rows))
    return written


def default_path(fmt: str) -> Path:
    """``~/bangfu-exports/audit-log-20261120-1530.csv``."""
    from db import clock
    from tui.exports import default_path as export_path

    return export_path(t("audit.file_name"), f"{clock.now():%Y%m%d-%H%M}", suffix=fmt)


# -- the command ---------------------------------------------------------------------------------

def add_commands(add_parser) -> None:
    p = add_parser("audit", help=t("cli.help.audit"))
    p.add_argument("--staff", metavar="NAME", default="", help=t("cli.help.audit_staff"))
    p.add_argument("--student", metavar="QUERY", default="", help=t("cli.help.audit_student"))
    p.add_argument("--since", metavar="DATE", default="", help=t("cli.help.since"))
    p.add_argument("--until", metavar="DATE", default="", help=t("cli.help.until"))
    p.add_argument("--format", choices=("csv", "md", "xlsx"), default=None,
                   help=t("cli.help.audit_format"))
    p.add_argument("-o", "--output", metavar="FILE", default="", help=t("cli.help.audit_output"))


def _bad(exc, status: int):
    from tui.cli import CliError

    return CliError(t("cli.invalid", field=FLAGS.get(exc.field, exc.field),
                      message=filter_error(exc)), status)


def cmd_audit(args, settings) -> int:
    """The audit log, narrowed, as md or csv on stdout, or as a file with -o."""
    from db import audit
    from tui.cli import CliError, _open, _safe, signed_in
    from tui.report_files import format_of

    fmt = format_of(args.output, args.format)
    # the input first: a mistyped command never opens (or waits on) the file
    if fmt == "xlsx" and not args.output:
        raise CliError(t("cli.audit.need_output"), 2)
    try:
        audit.resolve_filter(since=args.since, until=args.until)
    except audit.FilterError as exc:
        raise _bad(exc, 2) from None
    _open(settings)
    signed_in(settings, args, "audit")
    try:
        chosen = audit.resolve_filter(args.staff, args.student, args.since, args.until)
    except audit.FilterError as exc:
        raise _bad(exc, 1) from None
    rows = audit.find_audit(chosen.staff_id, chosen.student_id, chosen.since, chosen.until)
    if not args.output:
        sys.stdout.write(render_csv(rows, chosen) if fmt == "csv"
                         else render_markdown(rows, chosen))
        return 0
    target = Path(os.path.expanduser(args.output))
    if target.is_dir():  # a folder: a default name in it
        target /= default_path(fmt).name
    try:
        written = write_audit(rows, chosen, fmt, target)
    except OSError as exc:
        raise CliError(t("cli.audit.failed", path=_safe(str(target)),
                         detail=exc.strerror or failure(exc))) from None
    print(t("audit.written", path=_safe(str(written)), n=len(rows)))
    return 0
