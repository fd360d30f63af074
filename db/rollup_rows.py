"""A school's roll-up figures (``db.rollup.SchoolFigures``) as key/value rows,
the machine-readable part of a roll-up file (its sheet ``bangfu``), and back.

The rows, in this order::

    kind      bangfu-rollup
    version   1
    school    Example school
    period    week | half-month
    start     2026-11-16        (ISO dates as text, so no spreadsheet turns them)
    end       2026-11-22
    as_of     2026-11-20
    made_at   2026-11-20 15:30:00
    <count>   N                 (one row per count of SchoolFigures, by its name)
    rule      CODE  KIND  CHANNEL  ASKED  DONE
    overdue   WHAT  N
    village   VILLAGE  OPEN_CASES  HELPERS  CONTACTS

``from_rows`` reads them back exactly (the same ``SchoolFigures``) or raises
``RollupError``: ``not_rollup`` (no kind row: not a bangfu roll-up),
``version`` (another version's file), ``damaged`` (a row missing or wrong,
with its key).  A text a spreadsheet would run as a formula was written with
an apostrophe first (``tui.sheets``); it is taken off here.
"""

from __future__ import annotations

import datetime as dt

from db.rollup import (COUNTS, PERIOD_KINDS, ROLLUP_KIND, ROLLUP_VERSION, RollupError, RuleFigure,
                       SchoolFigures, VillageFigure)

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
Row = list[str | int]


def as_rows(f: SchoolFigures) -> list[Row]:
    rows: list[Row] = [["kind", ROLLUP_KIND], ["version", f.version], ["school", f.school],
                       ["period", f.period], ["start", f.start.isoformat()],
                       ["end", f.end.isoformat()], ["as_of", f.as_of.isoformat()],
                       ["made_at", f"{f.made_at:%Y-%m-%d %H:%M:%S}" if f.made_at else ""]]
    rows += [[name, getattr(f, name)] for name in COUNTS]
    rows += [["rule", r.code, r.kind, r.channel, r.asked, r.done] for r in f.rules]
    rows += [["overdue", what, n] for what, n in f.overdue]
    rows += [["village", v.village, v.open_cases, v.helpers, v.contacts] for v in f.villages]
    return rows


def _text(value) -> str:
    text = "" if value is None else str(value)
    if text[:1] == "'" and text[1:2] in FORMULA_START and text[1:2]:
        return text[1:]
    return text


def _count(value, key: str) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise RollupError("damaged", key=key)
    return value


def _date(value, key: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(_text(value).strip())
    except ValueError:
        raise RollupError("damaged", key=key) from None


def from_rows(rows) -> SchoolFigures:
    """The figures of ``rows`` (lists of cell values, as ``as_rows`` wrote them)."""
    single: dict[str, object] = {}
    rules, overdue, villages = [], [], []
    for row in rows:
        row = list(row) + [None] * 6
        key = _text(row[0]).strip()
        if not key:
            continue
        if key == "rule":
            rules.append(RuleFigure(_text(row[1]), _text(row[2]), _text(row[3]),
                                    _count(row[4], key), _count(row[5], key)))
        elif key == "overdue":
            overdue.append((_text(row[1]), _count(row[2], key)))
        elif key == "village":
            villages.append((_text(row[1]), _count(row[2], key), _count(row[3], key),
                             _count(row[4], key)))
        elif key in single:
            raise RollupError("damaged", key=key)
        else:
            single[key] = row[1]
    if _text(single.get("kind")).strip() != ROLLUP_KIND:
        raise RollupError("not_rollup")
    version = single.get("version")
    if _count(version, "version") != ROLLUP_VERSION:
        raise RollupError("version", version=version, ours=ROLLUP_VERSION)
    for key in ("school", "period", "start", "end", "as_of", *COUNTS):
        if key not in single:
            raise RollupError("damaged", key=key)
    school, period = _text(single["school"]), _text(single["period"]).strip()
    if period not in PERIOD_KINDS:
        raise RollupError("damaged", key="period")
    made_text = _text(single.get("made_at")).strip()
    try:
        made = dt.datetime.fromisoformat(made_text) if made_text else None
    except ValueError:
        raise RollupError("damaged", key="made_at") from None
    return SchoolFigures(
        school, period, _date(single["start"], "start"), _date(single["end"], "end"),
        _date(single["as_of"], "as_of"), ROLLUP_VERSION, made,
        **{name: _count(single[name], name) for name in COUNTS},
        rules=tuple(rules), overdue=tuple(overdue),
        villages=tuple(VillageFigure(school, *v) for v in villages))
