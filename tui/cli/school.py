"""The school's settings from the command line: ``bangfu term``, ``rules``,
``subjects``, ``dimensions``; a new file (``init``) or the demo school
(``demo``).  No Textual here."""

from __future__ import annotations

from pathlib import Path

from tui.cli.common import CliError, make_console, open_school, safe, signed_in, start_and_end
from tui.i18n import t


def cmd_term(args, settings) -> int:
    """School terms: list them, or add the next one (then F4 re-reviews the cases)."""
    from db import clock
    from db.terms import TermError, add_term, list_terms

    open_school(settings)
    if args.action == "list":
        signed_in(settings, args)
        for term in list_terms():
            print(f"{term.start_date} – {term.end_date}  {safe(term.name)}")
        return 0
    start, end = start_and_end(args)
    actor = signed_in(settings, args, "manage")
    try:
        term = add_term(actor, args.name, start, end)
    except TermError as exc:
        raise CliError(t(f"cli.term.{exc.code}"), 2) from None
    print(t("cli.term_added", name=safe(term.name), start=term.start_date, end=term.end_date,
            current=t("cli.term_current") if term.start_date <= clock.today() <= term.end_date
            else ""))
    return 0


def _rule_error(exc) -> CliError:
    """A ``db.rules.RuleError`` as a one-line usage error (exit 2)."""
    message = t(f"err.rule.{exc.code}")
    return CliError(f"{safe(exc.rule)}: {message}" if exc.rule else message, 2)


def _rule_interval(args) -> tuple[int, bool]:
    """``--every N`` or ``--per-term`` (``--times N``): exactly one of them."""
    from db.rules import MAX_TIMES, RuleError, check_days

    if (args.every is None) == (not args.per_term):
        raise CliError(t("cli.rules.interval"), 2)
    if args.times is not None and (not args.per_term or not 1 <= args.times <= MAX_TIMES):
        raise CliError(t("cli.invalid", field="--times", message=t("err.rule.times")), 2)
    if args.per_term:
        return 0, True
    try:
        return check_days(int(args.every.strip())), False
    except (ValueError, RuleError):
        raise CliError(t("cli.invalid", field="--every", message=t("err.rule.days")), 2) from None


def _print_rules(console) -> None:
    from rich.table import Table
    from rich.text import Text

    from db.workflow import load_review_days, load_rules
    from tui.i18n import rule_counts, rule_label, rule_often

    from db.vocab import ASSIGNMENT_ROLES
    from tui.i18n import labels

    rules = load_rules()
    # who a rule asks, once a school has set it for any rule (--roles)
    roles = any(rule.roles for rule in rules)
    table = Table(box=None, pad_edge=False)
    for key in ("code", "rule", "counts", "often", *(("roles",) if roles else ())):
        table.add_column(t(f"rules.col.{key}"))
    for rule in rules:
        who = labels("role", [r for r in ASSIGNMENT_ROLES if rule.applies_to(r)])
        table.add_row(*(Text(safe(v)) for v in (rule.code, rule_label(rule), rule_counts(rule),
                                                 rule_often(rule), *((who,) if roles else ()))))
    table.add_row(*(Text(v) for v in ("review-days", t("rules.review"), t("rules.review_counts"),
                                      t("rules.every", n=load_review_days()),
                                      *((labels("role", ["lead"]),) if roles else ()))))
    console.print(table)


def cmd_rules(args, settings) -> int:
    """The school's rules: list them, or change one (audited, as --as NAME)."""
    from rich.text import Text

    from db import rules as school_rules
    from db.workflow import Rule

    action, code = args.action, args.code.strip()
    console = make_console()
    if action == "list":
        open_school(settings)
        _print_rules(console)
        return 0
    # the input first: a mistyped command never opens (or waits on) the file
    if action in ("set", "add", "remove") and not code:
        raise CliError(t("cli.rules.need_code", action=action), 2)
    during = {"all": "", None: ""}.get(args.during, args.during)
    times = args.times or 1
    # set: a new interval, a new season (--during), new roles (--roles), or several
    roles = None
    if args.roles is not None:
        try:
            roles = school_rules.parse_roles(args.roles, code)
        except school_rules.RuleError as exc:
            raise _rule_error(exc) from None
    season_only = action == "set" and (args.during is not None or roles is not None) and (
        args.every is None and not args.per_term)
    if action in ("set", "add") and not season_only:
        days, per_term = _rule_interval(args)
    if action == "add":  # (--kind and --channel are codes already: build_parser's Choice)
        rule = Rule(code, args.kind, args.channel, 0 if per_term else days, per_term, times,
                    during, roles or "")
        try:
            school_rules.validate([rule])
        except school_rules.RuleError as exc:
            raise _rule_error(exc) from None
    if action == "review-days":
        try:
            review_days = school_rules.check_days(int(code))
        except (ValueError, school_rules.RuleError):
            raise CliError(t("cli.invalid", field="review-days", message=t("err.rule.days")),
                           2) from None
    open_school(settings)
    actor = signed_in(settings, args, "manage")
    try:
        if action == "set":
            changed = False
            if not season_only:
                changed = school_rules.set_interval(actor, code, days, per_term, times)
            if args.during is not None:
                changed = school_rules.set_season(actor, code, during) or changed
            if roles is not None:
                changed = school_rules.set_roles(actor, code, roles) or changed
        elif action == "add":
            school_rules.add_rule(actor, rule)
            changed = True
        elif action == "remove":
            school_rules.remove_rule(actor, code)
            changed = True
        elif action == "reset":
            changed = school_rules.reset_rules(actor)
        else:
            changed = school_rules.set_review_days(actor, review_days)
    except school_rules.RuleError as exc:
        raise _rule_error(exc) from None
    console.print(Text(t("cli.rules.saved" if changed else "cli.rules.unchanged")))
    _print_rules(console)
    return 0


def cmd_demo(args, settings) -> int:
    if args.schools is not None:  # a demo town
        from tui.cli.demo_town import cmd_demo_town

        return cmd_demo_town(args, settings)
    from db.demo.build import build_demo
    from db.demo.school import DEMO_PIN
    from db.models import Student

    path = settings.db_shown
    if not settings.on_server and Path(settings.db_path).exists() and args.force:
        Path(settings.db_path).unlink()  # (a server database is never emptied from here)
    open_school(settings, create=True)
    if Student.select().exists():
        raise CliError(t("cli.demo_exists_server" if settings.on_server else "cli.demo_exists",
                         path=path))
    counts = build_demo(students=1500 if args.students is None else args.students, seed=args.seed)
    from db import keys

    code = keys.set_up_demo(DEMO_PIN)  # restricted text sealed, as in a real school
    print(t("cli.demo_done", path=path, students=counts.get("student", 0),
            cases=counts.get("case_file", 0), contacts=counts.get("contact", 0),
            scores=counts.get("score", 0), checkins=counts.get("checkin", 0)))
    if code:
        print(t("cli.demo_keys", code=code))
    return 0


def cmd_init(args, settings) -> int:
    from db.store.connection import schema_version

    db = open_school(settings, create=True)
    print(t("cli.init_done", path=settings.db_shown, version=schema_version(db)))
    return 0


def cmd_names(args, settings) -> int:
    """The score grid's subjects or the check-in dimensions: list, or set them
    for the whole school (audited, as --as NAME); --reset: the defaults."""
    from db import scores

    subjects = args.command == "subjects"
    names = [n for arg in args.names for n in scores.split_names(arg)]
    if names and args.reset:
        raise CliError(t("cli.names.both"), 2)
    if names:  # the input first: a mistyped command never opens the file
        try:
            scores.check_names(names, scores.MAX_SUBJECTS if subjects
                               else scores.MAX_DIMENSIONS)
        except scores.SettingError as exc:
            raise CliError(t("cli.invalid", field=args.command, message=t(f"err.{exc.code}")),
                           2) from None
    open_school(settings)
    if names or args.reset:
        actor = signed_in(settings, args, "manage")
        save = scores.save_subjects if subjects else scores.save_dimensions
        changed = save(actor, None if args.reset else names)
        print(t("cli.names.saved" if changed else "cli.names.unchanged"))
    from tui.i18n import label

    current = scores.load_subjects() if subjects else scores.load_dimensions()
    print(t("common.list_sep").join(safe(n if subjects else label("dimension", n))
                                    for n in current))
    return 0
