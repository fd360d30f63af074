"""The roster import's report in words: the same lines for ``bangfu import
roster --dry-run`` and the import screen's preview.

What the file is and what would happen (new, updated, unchanged, classes
made), then how its columns were understood, its first rows, every problem
by row (those rows are not imported), each probable duplicate, each update
field by field, every value corrected and the rows skipped.  Every cell is
cleaned (``one_line``); the caller prints or draws plain text.  No Textual.
"""

from __future__ import annotations

from db.text import one_line
from tui.i18n import label, labels, t

PREVIEW_WIDTH = 14  # characters of each cell shown in the preview


def field_name(field: str) -> str:
    return t(f"import.field.{field}")


def _cell(text: str) -> str:
    from db.roster_cells import cut_text  # never cuts an accent or a joined emoji apart

    text = one_line(text)
    return text if len(text) <= PREVIEW_WIDTH else cut_text(text, PREVIEW_WIDTH - 1) + "…"


def _value(field: str, value: str) -> str:
    if field == "family_flags":
        return labels("family", [c for c in value.split(",") if c]) or "—"
    if field == "gender":
        return label("gender", value) if value else "—"
    if field == "id_number":
        from db.students import mask_id

        return mask_id(value) if value else "—"
    return one_line(value) or "—"


def file_lines(parsed) -> list[str]:
    name = one_line(str(parsed.path).replace("\\", "/").rsplit("/", 1)[-1])
    where = (t("import.sheet", sheet=one_line(parsed.sheet)) if parsed.sheet
             else t("import.encoding", encoding=parsed.encoding))
    lines = [t("import.file_line", file=name, where=where, header=parsed.header_row,
               rows=parsed.rows_read)]
    used = [f"{one_line(c.header)} → {field_name(c.field)}" for c in parsed.columns if c.field]
    lines.append(t("import.columns", columns=t("common.list_sep").join(used) or "—"))
    ignored = [one_line(c.header) for c in parsed.columns if not c.field and c.header]
    if ignored:
        lines.append(t("import.ignored", columns=t("common.list_sep").join(ignored)))
    if parsed.id_column:
        lines.append(t("import.id_not_imported", column=one_line(parsed.id_column)))
    if parsed.preview:
        lines.append("")
        lines.append(t("import.preview", n=len(parsed.preview)))
        for row, cells in parsed.preview:
            lines.append(f"{row:>5}  " + " ".join(_cell(c) for c in cells[:8]))
    return lines


def plan_lines(plan) -> list[str]:
    parsed = plan.parsed
    problem_rows = plan.problem_rows
    head, *rest = file_lines(parsed)
    # what would happen first: the columns and the preview follow
    lines = [head, t("import.summary", new=plan.count("new"), updated=plan.count("update"),
                     same=plan.count("same"), classes=len(plan.new_classes),
                     problems=problem_rows)]
    if plan.new_classes:
        lines.append(t("import.new_classes",
                       classes=t("common.list_sep").join(plan.new_classes)))
    lines += [""] + rest
    if parsed.problems or plan.problems:
        lines.append("")
        lines.append(t("import.problems"))
        for p in sorted(parsed.problems + plan.problems, key=lambda p: p.row):
            lines.append(problem_line(p))
        lines += _more(parsed.more.get("problems", 0) + plan.more.get("problems", 0))
    if plan.duplicates:
        lines.append("")
        lines.append(t("import.duplicates"))
        for r in plan.duplicates:
            no, name = r.duplicate_of
            lines.append(t("import.duplicate", row=r.record.row, no=one_line(r.record.student_no),
                           name=one_line(r.record.name), other_no=one_line(no),
                           other=one_line(name)))
        lines += _more(plan.more.get("duplicates", 0))
    updates = plan.updates
    if updates:
        lines.append("")
        lines.append(t("import.updates"))
        for r in updates:
            changed = t("common.list_sep").join(
                f"{field_name(c.field)} {_value(c.field, c.old)} → {_value(c.field, c.new)}"
                for c in r.changes)
            lines.append(t("import.update", row=r.record.row, no=one_line(r.record.student_no),
                           name=one_line(r.record.name), changes=changed))
        lines += _more(plan.more.get("updates", 0))
    if parsed.fixes:
        lines.append("")
        lines.append(t("import.fixes"))
        for f in sorted(parsed.fixes, key=lambda f: f.row):
            after = label("family", f.after) if f.field == "left_behind" else one_line(f.after)
            lines.append(t("import.fix", row=f.row, field=field_name(f.field),
                           what=t(f"import.fix.{f.code}"), before=one_line(f.before),
                           after=after))
        lines += _more(parsed.more.get("fixes", 0))
    if parsed.skipped:
        lines.append("")
        lines.append(t("import.skipped", rows=t("common.list_sep").join(
            f"{row} {t('import.skip.' + code)}" for row, code in parsed.skipped)))
        lines += _more(parsed.more.get("skipped", 0))
    return lines


def _more(n: int) -> list[str]:
    """The line after a list cut at ``MAX_LISTED`` entries."""
    return [t("import.more", n=f"{n:,}")] if n else []


def problem_line(p) -> str:
    value = f" ({one_line(p.value)})" if p.value else ""
    if p.code == "duplicate_number":
        what = t("import.problem.duplicate_number", row=p.value)
        value = ""
    elif p.code in ("too_long", "too_many_guardians"):
        what = t(f"import.problem.{p.code}", length=p.value, most=p.limit)
        value = ""
    else:
        what = t(f"import.problem.{p.code}")
    return t("import.problem", row=p.row, field=field_name(p.field), what=what) + value


def result_line(result) -> str:
    return t("import.done", new=result.new, updated=result.updated, same=result.same,
             classes=result.classes, skipped=result.skipped)


def file_error(exc) -> str:
    """A ``db.roster_file.RosterFileError`` in words."""
    extra = {k: one_line(str(v)) for k, v in exc.extra.items()}
    return t(f"import.error.{exc.code}", **extra)
