"""The audit log for people: its rows in words, and as a file (.csv, .xlsx, .md).

What the audit screen (``screens/audit.py``) and ``bangfu audit``
(``tui/cli/audit.py``) share: the same filters in words, one line per field
changed (old and new in their own columns), newest first.  A restricted
entry's texts show as "restricted entry"; the stored row keeps them.  The
files are written by ``tui.sheets`` (text a spreadsheet would run as a
formula neutralized).  No Textual here.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING

from db.text import clean, one_line
from tui.i18n import t
from tui.sheets import (FORMATS, ProgressFn, Style, Table, csv_rows, csv_text, markdown_table,
                        md_escape, save_csv, save_text, save_xlsx, text_width)

if TYPE_CHECKING:
    from db.audit_queries import AuditFilter, AuditRow

# text kept as it is (several lines in a cell), times to the second
STYLE = Style(time="%Y-%m-%d %H:%M:%S", xlsx_time=None, one_line=False)

ACTION_KEYS = {"insert": "audit.action.insert", "update": "audit.action.update",
               "delete": "audit.action.delete", "bulk": "audit.action.bulk",
               "read": "audit.action.read", "sign_in_failed": "audit.action.sign_in_failed",
               "seal": "audit.action.seal", "export": "audit.action.export"}
TABLE_KEYS = {"student": "audit.table.student", "guardian": "audit.table.guardian",
              "case_file": "audit.table.case_file", "contact": "audit.table.contact",
              "assignment": "audit.table.assignment", "goal": "audit.table.goal",
              "stage_review": "audit.table.stage_review", "peer_pair": "audit.table.peer_pair",
              "score": "audit.table.score", "checkin": "audit.table.checkin",
              "staff": "audit.table.staff", "term": "audit.table.term",
              "school_class": "audit.table.school_class",
              "bangfu_meta": "audit.table.bangfu_meta", "staff_key": "audit.table.staff_key",
              "school_key": "audit.table.school_key", "holiday": "audit.table.holiday",
              "family_event": "audit.table.family_event",
              "event_attendance": "audit.table.event_attendance",
              "feedback": "audit.table.feedback", "survey": "audit.table.survey",
              "survey_answer": "audit.table.survey_answer",
              "recognition": "audit.table.recognition",
              "organisation": "audit.table.organisation", "referral": "audit.table.referral",
              "outside_helper": "audit.table.outside_helper",
              "transformation": "audit.table.transformation",
              "supervision_note": "audit.table.supervision_note",
              "correction": "audit.table.correction"}
FIELD_LABELS = {"staff": "audit.person", "student": "audit.student",
                "since": "audit.since", "until": "audit.until"}


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
    from db.audit_queries import MASKED

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
    """A ``db.audit_queries.FilterError`` in words (without the field's name)."""
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


def _file_line(chosen: AuditFilter, n: int) -> str:
    from db import clock

    return t("audit.file_line", filters=filter_text(chosen), n=n,
             when=f"{clock.now():%Y-%m-%d %H:%M}")


def _widths(names: list[str]) -> list[float]:
    """.xlsx columns: the header's width (the time's 19), at most 20 (40 for the values)."""
    widths = [text_width(h) for h in names]
    widths[1] = 19
    return [min(max(width + 2, 8), 40 if col > 7 else 20) for col, width in enumerate(widths, 1)]


def table(rows: list[AuditRow], chosen: AuditFilter, *, multiline: bool = True,
          progress: ProgressFn | None = None) -> Table:
    """The log as a titled table, a line saying what was chosen under the
    title; ``progress(done, total)`` follows the audit rows as they are written."""
    names = headers()
    return Table("audit", t("audit.title"), t("audit.title"), names,
                 _ticking(lines(rows, multiline=multiline), len(rows), progress),
                 lines=[_file_line(chosen, len(rows))], widths=_widths(names), right=(0,))


def _ticking(cells, total: int, progress: ProgressFn | None):
    """The lines as they come, ``progress`` called about 50 times over the audit rows."""
    step = max(1, total // 50)
    done_ids, last_id = 0, None
    for line in cells:
        yield line
        if line[0] != last_id:
            last_id = line[0]
            done_ids += 1
            if progress is not None and done_ids % step == 0:
                progress(done_ids, total)


def render_csv(rows: list[AuditRow], chosen: AuditFilter) -> str:
    """A title row, what was chosen, the header, one line per field (no BOM:
    ``write_audit`` adds it)."""
    return csv_text(csv_rows(table(rows, chosen), STYLE))


def render_markdown(rows: list[AuditRow], chosen: AuditFilter) -> str:
    out = [f"# {md_escape(t('audit.title'))}", "", md_escape(_file_line(chosen, len(rows))), "",
           *markdown_table(table(rows, chosen, multiline=False), STYLE)]
    return "\n".join(out) + "\n"


def write_audit(rows: list[AuditRow], chosen: AuditFilter, fmt: str, path,
                progress: ProgressFn | None = None) -> Path:
    """Write ``rows`` as ``fmt`` (csv, xlsx or md) into a temporary file beside
    ``path``, then rename it over ``path``: a reader never sees half a file.
    ``progress(done, total)`` follows the rows.  Returns the path written."""
    from tui.exports import write_via_temp

    if fmt not in FORMATS:
        raise ValueError(fmt)
    if fmt == "xlsx":
        def fill(tmp: Path) -> None:
            save_xlsx(tmp, [table(rows, chosen, progress=progress)], STYLE)
            if progress is not None:
                progress(len(rows), len(rows))

        return write_via_temp(path, fill)
    if fmt == "csv":
        written = write_via_temp(path, lambda tmp: save_csv(tmp, csv_rows(table(rows, chosen),
                                                                            STYLE)))
    else:
        written = write_via_temp(path, lambda tmp: save_text(tmp, render_markdown(rows, chosen)))
    if progress is not None:
        progress(len(rows), len(rows))
    return written


def default_path(fmt: str) -> Path:
    """``~/bangfu-exports/audit-log-20261120-1530.csv``."""
    from db import clock
    from tui.exports import default_path as export_path

    return export_path(t("audit.file_name"), f"{clock.now():%Y%m%d-%H%M}", suffix=fmt)
