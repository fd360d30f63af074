"""``bangfu find``, ``show`` and ``due``: look-ups for a terminal or an SSH
one-liner (a student, a case, my caseload).  No Textual here."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from tui.cli.common import CliError, find_student, make_console, open_school, safe, signed_in
from tui.i18n import failure, t


def cmd_find(args, settings) -> int:
    from rich.table import Table
    from rich.text import Text

    from db import clock
    from db.access import scope_for
    from db.roster import load_index
    from tui.i18n import label

    open_school(settings)
    reader = signed_in(settings, args)
    query = " ".join(args.query)
    rows = load_index(query, scope_for(reader)).search(query)
    if not rows:
        # a swapped-letter typo: what it may have meant, from the whole roster
        # in this person's sight (the narrowed one only holds what matched)
        suggestion = load_index(None, scope_for(reader)).suggest(query)
        if suggestion:
            raise CliError(t("cli.did_you_mean", query=safe(" ".join(args.query)),
                             suggestion=suggestion))
        raise CliError(t("cli.no_match", query=safe(" ".join(args.query))))
    table = Table(box=None, pad_edge=False)
    for key in ("name", "class", "status", "lead", "last", "days"):
        table.add_column(t(f"roster.col.{key}"))
    table.add_column("#")
    today = clock.today()
    for r in rows[: args.limit]:
        last = (f"{r.last_date:%m-%d} {label('channel', r.last_channel)}" if r.last_date else "")
        days = str((today - r.last_date).days) if r.last_date else ""
        table.add_row(*(Text(safe(v)) for v in (
            r.name, r.class_name, label("status", r.status) if r.status else "",
            r.lead, last, days, r.student_no)))
    console = make_console()
    console.print(table)
    console.print(Text(t("cli.found", n=len(rows))))
    return 0


def cmd_show(args, settings) -> int:
    from rich.text import Text

    from db.cases import load_case
    from db.text import clean
    from tui.i18n import hidden_text, label, labels, paren, restricted_entry

    fmt = args.format or ("md" if args.output else "text")  # -o alone: the md summary
    if fmt == "text" and args.output:
        raise CliError(t("cli.summary_text_output"), 2)
    open_school(settings)
    reader = signed_in(settings, args)
    row = find_student(args.student, reader)
    if fmt == "md":  # the printable case summary, to stdout or to a file
        from db import clock
        from tui.case_summary import case_summary_md, default_summary_path, write_case_summary

        if not args.output:
            sys.stdout.write(case_summary_md(row.student_id, reader=reader) or "")
            return 0
        target = Path(os.path.expanduser(args.output))
        if target.is_dir():  # a folder: the default file name in it
            target /= default_summary_path(row.name, row.student_no, clock.today()).name
        try:
            written = write_case_summary(row.student_id, target, reader=reader)
        except OSError as exc:
            raise CliError(t("cli.summary_failed", path=safe(str(target)),
                             detail=exc.strerror or failure(exc))) from None
        print(t("cli.summary_written", path=safe(str(written))))
        return 0
    from tui.cli.terminal import wrap_cells

    view = load_case(row.student_id, reader=reader)
    console = make_console()

    def out(text: str, style: str = "") -> None:
        # each line cleaned once more as a whole: the label of a code the
        # vocabulary does not know (another tool wrote it) is the code itself;
        # wrapped here, at spaces, so that a list item's marker ("2.") never
        # ends a line away from its text
        for part in wrap_cells(clean(text, multiline=False), console.width, cjk=False):
            console.print(Text(part, style=style), no_wrap=True, overflow="ignore", crop=False)

    out(t("case.header", name=safe(view.name), class_name=safe(view.class_name),
          number=view.student_no), style="bold")
    if view.phone:  # the roster's 联系电话 (blank for a reader who may not see it)
        out(f"{t('cli.show.phone')}{t('common.colon')}{safe(view.phone)}")
    elif "guardian_phone" in view.hidden:
        out(f"{t('cli.show.phone')}{t('common.colon')}{hidden_text(view, 'guardian_phone')}")
    if view.case_id is None:
        out(t("case.no_case"))
    else:
        out(t("case.status_line", status=label("status", view.status),
              risk=label("risk", view.risk_level), lead=safe(view.lead) or "—",
              term=safe(view.term_name)))
        out(f"{t('case.categories')}{t('common.colon')}{labels('category', view.categories)}")
        out(f"{t('case.causes')}{t('common.colon')}{labels('cause', view.causes)}")
        team = t("common.list_sep").join(f"{safe(m.name)}{paren(label('role', m.role))}"
                                         for m in view.team)
        out(f"{t('case.team')}{t('common.colon')}{team or '—'}")
    for g in view.guardians:
        out(f"{t('case.guardians')}{t('common.colon')}{safe(g.name)}"
            f"{paren(label('relation', g.relation))} {safe(g.phone)}")
    for name in ("main_problems", "measures"):
        value = hidden_text(view, name) or safe(getattr(view, name))
        if view.case_id is not None and value:
            out(f"{t('case.field.' + name)}{t('common.colon')}{value}")
    if view.contacts:
        out(t("cli.latest"), style="bold")
        for c in view.contacts[: args.contacts]:
            text = restricted_entry(c.restricted) if c.restricted else safe(c.discussed)
            out(f"{c.occurred_at:%Y-%m-%d %H:%M}  {label('kind', c.kind)}/"
                f"{label('channel', c.channel)}  {safe(c.author)}: {text}")
    return 0


def cmd_due(args, settings) -> int:
    """My caseload as text: what is overdue or due, for an SSH one-liner."""
    from rich.table import Table
    from rich.text import Text

    from db import clock
    from db.workflow import due_items, load_rules, my_cases
    from tui.i18n import due_detail, due_label, due_when

    if args.days < 0:
        raise CliError(t("cli.invalid", field="--days", message=t("cli.days_negative")), 2)
    open_school(settings)
    actor = signed_in(settings, args)
    today = clock.today()
    cases = my_cases(actor.id)
    rules = load_rules()
    from db.caseload import with_extras

    items = with_extras(due_items(cases, today, args.days, rules), actor.id, today, args.days)
    console = make_console()
    if not items:
        console.print(Text(t("cli.due_none", name=safe(actor.name), days=args.days)))
        return 0
    table = Table(box=None, pad_edge=False)
    for key in ("name", "number", "what", "when", "due", "detail"):
        table.add_column(t(f"cli.due.col.{key}"))
    for item in items:
        table.add_row(*(Text(safe(v)) for v in (
            item.name, item.student_no, due_label(item.what, rules), due_when(item, today),
            f"{item.due:%Y-%m-%d}", due_detail(item))))
    console.print(table)
    late = sum(1 for i in items if i.due < today)
    console.print(Text(t("cli.due_count", n=len(items), late=late, cases=len(cases))))
    return 0
