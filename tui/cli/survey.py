"""``bangfu survey``: families' satisfaction surveys from the command line.

``survey list``, ``survey show [ID]`` (the figure by class and overall against
the target; the latest survey without ID), ``survey add --title T --question Q
… [--target 85] [--term NAME]`` (managers), ``survey import ID FILE``
(answers from an .xlsx or .csv: everything checked, nothing written when a
row is wrong).  Exit 2 on bad input, 4 when not allowed.  No Textual here.
"""

from __future__ import annotations

import os

from tui.cli.common import CliError, make_console, open_school, safe, signed_in
from tui.i18n import t

ACTIONS = ("list", "show", "add", "import")


def add_commands(add_parser) -> None:
    p = add_parser("survey", help=t("survey.help.survey"))
    p.add_argument("action", choices=ACTIONS, help=t("survey.help.action"))
    p.add_argument("survey_id", nargs="?", default="", metavar="SURVEY_ID",
                   help=t("survey.help.survey_id"))
    p.add_argument("file", nargs="?", default="", metavar="FILE", help=t("survey.help.file"))
    p.add_argument("--title", default="", help=t("survey.help.title"))
    p.add_argument("--question", action="append", default=[], metavar="Q",
                   help=t("survey.help.question"))
    p.add_argument("--target", default="", help=t("survey.help.target"))
    p.add_argument("--term", default="", help=t("survey.help.term"))


def _survey_id(text: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise CliError(t("survey.cli.bad_id", id=safe(text)), 2) from None


def _not_allowed(reader) -> CliError:
    from tui.i18n import label

    return CliError(t("cli.not_allowed", role=label("staff_role", reader.role)), 4)


def cmd_survey(args, settings) -> int:
    from db.access import NotAllowed

    if args.action == "import" and (not args.survey_id or not args.file):
        raise CliError(t("survey.cli.import_usage"), 2)
    sid = _survey_id(args.survey_id) if args.survey_id else None
    path = os.path.expanduser(args.file) if args.file else ""
    if path and not os.path.isfile(path):
        raise CliError(t("survey.cli.no_file", path=safe(args.file)), 2)
    open_school(settings)
    reader = signed_in(settings, args)
    try:
        if args.action == "list":
            return _list(reader)
        if args.action == "show":
            return _show(reader, sid)
        if args.action == "add":
            return _add(reader, args)
        return _import(reader, sid, path)
    except NotAllowed:
        raise _not_allowed(reader) from None


def _field_error(exc) -> CliError:
    field, key = next(iter(exc.errors.items()))
    name = {"title": "--title", "target": "--target", "questions": "--question",
            "term": "--term"}.get(field, "SURVEY_ID")
    return CliError(t("cli.invalid", field=name, message=t(key)), 2)


def _list(reader) -> int:
    from db.surveys import list_surveys, survey_figures
    from tui.survey_text import percent, target_text

    surveys = list_surveys(reader)
    if not surveys:
        print(t("survey.cli.none"))
        return 0
    for survey in surveys:
        figures = survey_figures(survey.id, reader)
        print(f"{survey.id:>4}  {survey.taken_on}  {safe(figures.term) or '-'}  {safe(survey.title)}  "
              + t("survey.cli.list_row", answering=figures.overall.answering,
                  rate=percent(figures.overall.rate), target=target_text(figures.target)))
    return 0


def _show(reader, sid: int | None) -> int:
    from rich.table import Table

    from db.surveys import SurveyError, list_surveys, survey_figures
    from tui.survey_text import figure_rows, summary

    if sid is None:
        surveys = list_surveys(reader)
        if not surveys:
            print(t("survey.cli.none"))
            return 0
        sid = surveys[0].id
    try:
        figures = survey_figures(sid, reader)
    except SurveyError:
        raise CliError(t("survey.cli.unknown", id=sid), 2) from None
    console = make_console()
    console.print(f"{safe(figures.title)}  {safe(figures.term)}")
    console.print(t("survey.definition"))
    console.print(t("survey.scale"))
    table = Table(box=None, pad_edge=False)
    for key in ("class", "families", "answers", "rate", "target"):
        table.add_column(t(f"survey.col.{key}"), justify="left" if key == "class" else "right")
    for row in figure_rows(figures):
        table.add_row(*row)
    console.print(table)
    console.print(summary(figures))
    if figures.partial:
        console.print(t("survey.partial_note"))
    return 0


def _add(reader, args) -> int:
    from db.surveys import SurveyError, create_survey
    from tui.survey_text import target_text

    try:
        survey = create_survey(reader, args.title, args.question,
                               args.target if args.target else None, args.term)
    except SurveyError as exc:
        raise _field_error(exc) from None
    from db.surveys import questions_of

    print(t("survey.cli.added", id=survey.id, title=safe(survey.title),
            n=len(questions_of(survey)), target=target_text(survey.target)))
    return 0


def _import(reader, sid: int | None, path: str) -> int:
    from db.survey_file import import_answers
    from db.surveys import SurveyError
    from tui.survey_text import import_lines

    assert sid is not None
    try:
        result = import_answers(reader, sid, path)
    except SurveyError:
        raise CliError(t("survey.cli.unknown", id=sid), 2) from None
    lines = import_lines(result)
    if not result.ok:
        raise CliError("\n".join(safe(line) for line in lines), 2)
    print(lines[0])
    return 0
