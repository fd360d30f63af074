"""``bangfu feedback`` (families' feedback: list, add, answer) and
``bangfu recognitions`` (the list of recognitions in a date range).

Who may do what is ``db.feedback``'s and ``db.recognitions``' rule; a refusal
exits 4, bad input 2."""

from __future__ import annotations

from tui.cli.common import CliError, find_student, make_console, open_school, safe, signed_in
from tui.i18n import feedback_status, t

ACTIONS = ("list", "add", "answer")


def add_commands(add_parser) -> None:
    from db.vocab import FEEDBACK_CHANNELS, FEEDBACK_KINDS
    from tui.cli.terminal import Choice

    p = add_parser("feedback", help=t("cli.help.feedback"))
    p.add_argument("action", choices=ACTIONS, help=t("cli.help.feedback_action"))
    p.add_argument("id", nargs="?", type=int, default=None, help=t("cli.help.feedback_id"))
    p.add_argument("--open", action="store_true", help=t("cli.help.feedback_open"))
    p.add_argument("--student", default="", help=t("cli.help.feedback_student"))
    p.add_argument("--kind", type=Choice(FEEDBACK_KINDS, "feedback"), default=None,
                   help=t("cli.help.feedback_kind"))
    p.add_argument("--channel", type=Choice(FEEDBACK_CHANNELS, "feedback_channel"), default=None,
                   help=t("cli.help.feedback_channel"))
    p.add_argument("--text", default="", help=t("cli.help.feedback_text"))
    p.add_argument("--received", default="today", help=t("cli.help.feedback_received"))
    p.add_argument("--owner", default="", metavar="NAME", help=t("cli.help.feedback_owner"))
    p.add_argument("--due", default="", help=t("cli.help.feedback_due"))
    p.add_argument("--resolved", action="store_true", help=t("cli.help.feedback_resolved"))

    p = add_parser("recognitions", help=t("cli.help.recognitions"))
    p.add_argument("--from", dest="start", default="", help=t("cli.help.recog_from"))
    p.add_argument("--to", dest="end", default="", help=t("cli.help.recog_to"))


def _refused(reader) -> CliError:
    from tui.i18n import label

    return CliError(t("cli.not_allowed", role=label("staff_role", reader.role)), 4)


def _invalid(errors: dict) -> CliError:
    name, key = next(iter(errors.items()))
    return CliError(t("cli.invalid", field=f"--{name}", message=t(key)), 2)


def _owner(name: str) -> int | None:
    from tui.cli.common import find_actor

    if not name.strip():
        return None
    return find_actor(None, name).id


def cmd_feedback(args, settings) -> int:
    from db.access import NotAllowed
    from db import feedback

    if args.action == "add" and (args.kind is None or args.channel is None
                                 or not args.text.strip()):
        raise CliError(t("cli.feedback.add_needs"), 2)
    if args.action == "answer" and (args.id is None or not args.text.strip()):
        raise CliError(t("cli.feedback.answer_needs"), 2)
    open_school(settings)
    reader = signed_in(settings, args)
    try:
        if args.action == "list":
            return _list(feedback.list_feedback(reader, open_only=args.open), reader)
        if args.action == "add":
            student = find_student(args.student, reader) if args.student.strip() else None
            fid = feedback.record_feedback(
                reader, student_id=student.student_id if student else None, kind=args.kind,
                channel=args.channel, text=args.text, received=args.received,
                owner_id=_owner(args.owner), due=args.due)
            row = feedback.get_feedback(reader, fid)
            print(t("cli.feedback.added", id=fid, owner=safe(row.owner),
                    due=f"{row.due_on:%Y-%m-%d}" if row.due_on else "—"))
            return 0
        try:
            row = feedback.get_feedback(reader, args.id)
        except feedback.FeedbackGone:
            raise CliError(t("cli.feedback.gone", id=args.id), 1) from None
        feedback.answer_feedback(reader, row.id, row.version, args.text,
                                 resolved=True if args.resolved else None)
        print(t("cli.feedback.answered", id=row.id))
        return 0
    except NotAllowed:
        raise _refused(reader) from None
    except feedback.FeedbackError as exc:
        raise _invalid(exc.errors) from None
    except feedback.FeedbackConflict:  # pragma: no cover - read and written in one go
        raise CliError(t("feedback.conflict"), 1) from None


def _list(rows, reader) -> int:
    from rich.table import Table
    from rich.text import Text

    from db import clock
    from tui.i18n import label

    console = make_console()
    if not rows:
        console.print(Text(t("cli.feedback.none")))
        return 0
    today = clock.today()
    table = Table(box=None, pad_edge=False)
    for key in ("id", "received", "kind", "channel", "student", "owner", "due", "status", "text"):
        table.add_column(t(f"feedback.col.{key}"))
    for r in rows:
        student = f"{safe(r.name)} {r.student_no}" if r.student_id else t("feedback.anonymous")
        table.add_row(*(Text(v) for v in (
            f"#{r.id}", f"{r.received_on:%Y-%m-%d}", label("feedback", r.kind),
            label("feedback_channel", r.channel), student, safe(r.owner) or "—",
            f"{r.due_on:%Y-%m-%d}" if r.due_on else "—", feedback_status(r, today), safe(r.text))))
    console.print(table)
    return 0


def cmd_recognitions(args, settings) -> int:
    from rich.table import Table
    from rich.text import Text

    from db import clock
    from db.access import NotAllowed
    from db.dates import DateError, parse_date
    from db.recognitions import recognitions_in
    from tui.i18n import label

    bounds = []
    for name, value in (("--from", args.start), ("--to", args.end)):
        try:
            bounds.append(parse_date(value, clock.today()) if value.strip() else None)
        except DateError as exc:
            raise CliError(t("cli.invalid", field=name, message=t(f"err.date.{exc.code}")),
                           2) from None
    open_school(settings)
    reader = signed_in(settings, args)
    try:
        rows = recognitions_in(bounds[0], bounds[1], reader)
    except NotAllowed:
        raise _refused(reader) from None
    console = make_console()
    if not rows:
        console.print(Text(t("recog.none")))
        return 0
    table = Table(box=None, pad_edge=False)
    for key in ("date", "who", "name", "what", "by"):
        table.add_column(t(f"recog.col.{key}"))
    for r in rows:
        name = t("recog.hidden") if r.hidden else f"{safe(r.name)} {safe(r.class_name)}".strip()
        table.add_row(*(Text(v) for v in (f"{r.given_on:%Y-%m-%d}", label("recognised", r.who),
                                          name, safe(r.what), safe(r.given_by) or "—")))
    console.print(table)
    return 0
