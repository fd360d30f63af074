"""The roll-up (周报、半月报) as files, in the interface language: a school's
own (``bangfu report rollup``, the screen's ``e``) and the town's
(``bangfu rollup FILE…``), both a ``db.rollup.Rollup`` (a school's own is the
roll-up of that one school).

The tables (``rollup_tables``): the programme and its cases, the rules,
what is overdue, entries and families, supervision, and the villages; one
row per school and, for more than one school, the total.  A school's .xlsx
also carries its figures as key/value rows in the sheet ``bangfu``
(``db.rollup_rows``), which ``read_rollup`` reads back exactly.  Counts
only: no name of a student, staff member or family, no entry text.
No Textual here; openpyxl is imported only when an .xlsx is written or read.
"""

from __future__ import annotations

import os
from pathlib import Path

from db.rollup import Rollup, RollupError, SchoolFigures
from db.workflow import Rule
from tui.i18n import due_label, rule_label, t
from tui.sheets import (FORMATS, Cell, Share, Style, Table, csv_rows, csv_text, markdown_section,
                        md_escape, save_csv, save_text, save_xlsx, sheet_text)

STYLE = Style(gap=True)
MACHINE_SHEET = "bangfu"


def share(value: float | None) -> Share | None:
    return None if value is None else Share(value)


def figure(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def title(rollup: Rollup) -> str:
    return t(f"rollup.title.{rollup.period.replace('-', '_')}", start=rollup.start.isoformat(),
             end=rollup.end.isoformat())


def period_line(rollup: Rollup) -> str:
    schools = len(rollup.schools)
    return t("rollup.period_line", as_of=rollup.total.as_of.isoformat(), n=schools)


def village_name(school: str, village: str, many: bool) -> str:
    name = village or t("rollup.no_village")
    return t("rollup.school_village", school=school, village=name) if many else name


def _rows(rollup: Rollup) -> list[tuple[str, SchoolFigures]]:
    """``(the row's name, its figures)``: every school, then the total for many."""
    rows = [(f.school or t("rollup.no_school"), f) for f in rollup.schools]
    if len(rollup.schools) > 1:
        rows.append((t("rollup.total"), rollup.total))
    return rows


def _what(code: str, rules: dict[str, Rule]) -> str:
    return due_label(code, tuple(rules.values()))


def rollup_tables(rollup: Rollup) -> list[Table]:
    rows = _rows(rollup)
    totals = 1 if len(rollup.schools) > 1 else 0
    many = len(rollup.schools) > 1
    cases: list[list[Cell]] = [
        [name, f.students, f.in_programme, share(f.programme_share), f.cases_open,
         f.cases_opened, f.cases_closed, f.cases_transformed, f.progress_students,
         f.progress_measurable, f.progress_improved, share(f.improved_share)]
        for name, f in rows]
    rule_defs = {r.code: Rule(r.code, kind=r.kind, channel=r.channel)
                 for _, f in rows for r in f.rules}
    rules: list[list[Cell]] = [
        [name, rule_label(rule_defs[r.code]), r.asked, r.done, share(r.share)]
        for name, f in rows for r in f.rules]
    overdue: list[list[Cell]] = [[name, f.overdue_cases, f.overdue_items] for name, f in rows]
    late_kinds: list[list[Cell]] = [[name, _what(what, rule_defs), n]
                                    for name, f in rows for what, n in f.overdue]
    entries: list[list[Cell]] = [
        [name, f.entries, f.entry_cases, f.family_contacts, f.home_visits] for name, f in rows]
    families: list[list[Cell]] = [
        [name, f.family_events, f.families_invited, f.families_attended,
         share(f.attended_share), figure(f.mean_rating), f.feedback_received,
         f.feedback_answered, share(f.answered_share), f.feedback_in_time, f.feedback_resolved,
         f.feedback_open, f.feedback_overdue, f.surveys, f.survey_families,
         share(f.satisfied_share)] for name, f in rows]
    supervision: list[list[Cell]] = [
        [name, f.helpers, f.helpers_scored, figure(f.mean_score), f.below_threshold,
         f.corrections_open] for name, f in rows]
    villages: list[list[Cell]] = [
        [village_name(v.school or t("rollup.no_school"), v.village, many), v.open_cases,
         v.helpers, v.contacts] for v in rollup.total.villages]
    total = rollup.total
    villages.append([t("rollup.total"), sum(v.open_cases for v in total.villages),
                     sum(v.helpers for v in total.villages),
                     sum(v.contacts for v in total.villages)])

    def cols(*keys: str) -> list[str]:
        return [t(f"rollup.col.{k}") for k in keys]

    return [
        Table("cases", t("rollup.section.cases"), t("rollup.sheet.cases"),
              cols("school", "students", "in_programme", "programme_share", "cases_open",
                   "cases_opened", "cases_closed", "cases_transformed", "progress_students",
                   "progress_measurable", "progress_improved", "improved_share"),
              cases, totals=totals, lines=[t("rollup.cases_line")]),
        Table("rules", t("rollup.section.rules"), t("rollup.sheet.rules"),
              cols("school", "rule", "asked", "done", "rule_share"), rules,
              lines=[t("rollup.rules_line")]),
        Table("overdue", t("rollup.section.overdue"), t("rollup.sheet.overdue"),
              cols("school", "overdue_cases", "overdue_items"), overdue, totals=totals),
        Table("overdue_kinds", t("rollup.section.overdue_kinds"), t("rollup.sheet.overdue_kinds"),
              cols("school", "what", "items"), late_kinds),
        Table("entries", t("rollup.section.entries"), t("rollup.sheet.entries"),
              cols("school", "entries", "entry_cases", "family_contacts", "home_visits"),
              entries, totals=totals),
        Table("families", t("rollup.section.families"), t("rollup.sheet.families"),
              cols("school", "events", "invited", "attended", "attended_share", "mean_rating",
                   "received", "answered", "answered_share", "in_time", "resolved",
                   "feedback_open", "feedback_overdue", "surveys", "survey_families",
                   "satisfied_share"), families, totals=totals),
        Table("supervision", t("rollup.section.supervision"), t("rollup.sheet.supervision"),
              cols("school", "helpers", "helpers_scored", "mean_score", "below_threshold",
                   "corrections_open"), supervision, totals=totals),
        Table("villages", t("rollup.section.villages"), t("rollup.sheet.villages"),
              cols("village", "open_cases", "village_helpers", "contacts"), villages, totals=1,
              lines=[t("rollup.villages_line")]),
    ]


def render_markdown(rollup: Rollup) -> str:
    lines = [f"# {md_escape(title(rollup))}", "", md_escape(period_line(rollup)), ""]
    for table in rollup_tables(rollup):
        lines += [*markdown_section(table, STYLE), ""]
    return "\n".join(lines)


def _csv(rollup: Rollup):
    yield [sheet_text(title(rollup))]
    yield [sheet_text(period_line(rollup))]
    yield []
    for table in rollup_tables(rollup):
        yield from csv_rows(table, STYLE)


def render_csv(rollup: Rollup) -> str:
    return csv_text(_csv(rollup))


def machine_table(figures: SchoolFigures) -> Table:
    """The figures as key/value rows (``db.rollup_rows``): the sheet ``bangfu``."""
    from db.rollup_rows import as_rows

    return Table(MACHINE_SHEET, "", MACHINE_SHEET, ["key", "value"],
                 [list(row) for row in as_rows(figures)], titled=False,
                 widths=[20, 30, 14, 14, 10, 10])


def write_rollup(rollup: Rollup, fmt: str, path: str | os.PathLike) -> Path:
    """Write ``rollup`` as ``fmt`` (xlsx, csv or md) via a temporary file beside
    ``path``; a school's own .xlsx (one school) carries the sheet ``bangfu``."""
    from tui.exports import write_via_temp

    if fmt not in FORMATS:
        raise ValueError(fmt)
    if fmt == "xlsx":
        tables = rollup_tables(rollup)
        if len(rollup.schools) == 1:
            tables.append(machine_table(rollup.schools[0]))
        return write_via_temp(path, lambda tmp: save_xlsx(tmp, tables, STYLE))
    if fmt == "csv":
        return write_via_temp(path, lambda tmp: save_csv(tmp, _csv(rollup)))
    return write_via_temp(path, lambda tmp: save_text(tmp, render_markdown(rollup)))


class RollupFileError(Exception):
    """A file ``bangfu rollup`` cannot take: ``code`` (``missing``,
    ``unreadable``, ``not_rollup``, ``version``, ``damaged``) and the values
    its message (``err.rollup.<code>``) names."""

    def __init__(self, code: str, **details):
        super().__init__(code)
        self.code, self.details = code, details


def read_rollup(path: str | os.PathLike) -> SchoolFigures:
    """A school's figures from its roll-up .xlsx (the sheet ``bangfu``)."""
    from db.rollup_rows import from_rows

    target = Path(path)
    if not target.is_file():
        raise RollupFileError("missing")
    try:
        from openpyxl import load_workbook

        book = load_workbook(target, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 (not an .xlsx at all: a zip error, a bad XML ...)
        raise RollupFileError("unreadable") from None
    try:
        if MACHINE_SHEET not in book.sheetnames:
            raise RollupFileError("not_rollup")
        rows = [list(row) for row in book[MACHINE_SHEET].iter_rows(values_only=True)]
    except RollupFileError:
        raise
    except Exception:  # noqa: BLE001 (a damaged sheet)
        raise RollupFileError("unreadable") from None
    finally:
        book.close()
    try:
        return from_rows(rows)
    except RollupError as exc:
        raise RollupFileError(exc.code, **exc.details) from None


def screen_lines(figures: SchoolFigures) -> list[tuple[str, str]]:
    """One school's figures as ``(label, value)`` lines for a screen."""
    from tui.i18n import share_text

    def of(part: int, whole: int, value: float | None) -> str:
        return t("rollup.of", part=part, whole=whole, share=share_text(value))

    lines = [
        (t("rollup.line.programme"), of(figures.in_programme, figures.students,
                                        figures.programme_share)),
        (t("rollup.line.cases"), t("rollup.cases_value", open=figures.cases_open,
                                   opened=figures.cases_opened, closed=figures.cases_closed,
                                   transformed=figures.cases_transformed)),
        (t("rollup.line.progress"), of(figures.progress_improved, figures.progress_measurable,
                                       figures.improved_share)),
    ]
    rule_defs = {r.code: Rule(r.code, kind=r.kind, channel=r.channel) for r in figures.rules}
    lines += [(rule_label(rule_defs[r.code]), of(r.done, r.asked, r.share))
              for r in figures.rules]
    late = t("common.list_sep").join(f"{_what(w, rule_defs)} {n}" for w, n in figures.overdue)
    lines += [
        (t("rollup.line.overdue"), t("rollup.overdue_value", cases=figures.overdue_cases,
                                     items=figures.overdue_items, kinds=late or "—")),
        (t("rollup.line.entries"), t("rollup.entries_value", n=figures.entries,
                                     family=figures.family_contacts,
                                     visits=figures.home_visits)),
        (t("rollup.line.events"), t("rollup.events_value", n=figures.family_events,
                                    came=figures.families_attended,
                                    invited=figures.families_invited)),
        (t("rollup.line.feedback"), t("rollup.feedback_value", n=figures.feedback_received,
                                      answered=figures.feedback_answered,
                                      overdue=figures.feedback_overdue)),
        (t("rollup.line.supervision"), t(
            "rollup.supervision_value", scored=figures.helpers_scored,
            mean=t("common.none") if figures.mean_score is None else f"{figures.mean_score:.1f}",
            below=figures.below_threshold, corrections=figures.corrections_open)),
    ]
    lines += [(t("rollup.line.village", village=v.village or t("rollup.no_village")),
               t("rollup.village_value", cases=v.open_cases, helpers=v.helpers,
                 contacts=v.contacts)) for v in figures.villages]
    return lines

