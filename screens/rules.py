"""The school's rules (频次要求): how often every open case needs an entry of a
kind (or on a channel), and how often its plan gets a stage review.  Opened
from the leaders' overview with u.

In the list: Enter changes the highlighted rule's interval (a number of days,
t for once a term, 2t for twice); h changes when it asks (all year, school days
only: it pauses in holidays, or holidays only); a adds a rule (kind and channel by letter, then the
interval); x removes the highlighted rule and D restores the school plans'
rules, both only after y; esc goes back.  The form below the list saves with
Enter or ctrl+s; a bad value is named under it and nothing is written.
"""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Header, Input

from db.store.connected import connected
from db.vocab import CHANNEL_KEYS, KIND_KEYS
from screens.confirm import ConfirmScreen, answers
from tui.broadcast import RulesChanged, tell_screens
from tui.i18n import label, rule_counts, rule_label, rule_often, t
from tui.screen_base import BangfuScreen
from tui.widgets import InfoLine, KeyFooter, LetterChoice, PlainStatic, TableList

WIDTHS = [22, 30, 24]  # rule, entries that count, how often (and when)
KIND_CHOICES = {**KIND_KEYS, "a": ""}  # "" = any kind (then a channel must be chosen)
CHANNEL_CHOICES = {"a": "", **CHANNEL_KEYS}  # "" = any channel
REVIEW = "review_days"  # the table's last row: the stage review interval


class AnyChoice(LetterChoice):
    """A letter choice whose "" option means "any" kind or channel; Enter goes on."""

    BINDINGS = [Binding("enter", "next_field", show=False)]

    def action_next_field(self) -> None:
        self.screen.focus_next()

    def option_label(self, code: str) -> str:
        if code:
            return label(self.group, code)
        return t("rules.counts.any") if self.group == "kind" else t("rules.any_channel")


class RuleConfirmScreen(ConfirmScreen):
    """Remove a rule, restore the defaults?  Only an explicit y says yes."""

    YES, NO = "key.rule_yes", "key.rule_no"
    BINDINGS = answers(YES, NO, enter_says_yes=False)


class RulesScreen(BangfuScreen[bool]):
    """Dismissed with True when something was changed (the caller recounts)."""

    DEFAULT_CSS = """
    #rule-form { height: auto; padding: 1 0 0 0; }
    #rule-form .row { height: auto; }
    #rule-form Input { width: 1fr; background: $boost; }
    #rule-form Input:focus { background: $accent 30%; }
    """
    BINDINGS = [
        Binding("enter", "edit", "key.rule_edit", id="rule_edit"),
        Binding("a", "add", "key.rule_add", id="rule_add"),
        Binding("h", "season", "key.rule_season", id="rule_season"),
        Binding("x", "remove", "key.rule_remove", id="rule_remove"),
        Binding("D", "reset", "key.rules_reset", id="rules_reset", key_display="D"),
        Binding("ctrl+s", "save", "key.save", id="rule_save"),
        Binding("escape", "back", "key.back", id="back"),
    ]

    def __init__(self):
        super().__init__()
        self.rules: tuple = ()
        self.review_days: int | None = None  # None until loaded
        self.mode: str | None = None  # "edit" or "add" while the form is open
        self.editing = ""  # the rule code (or REVIEW) being edited
        self.changed = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield InfoLine(id="rules-info", classes="info")
        yield PlainStatic("", id="rules-header", classes="table-header")
        yield TableList(WIDTHS, id="rules-table")
        with Vertical(id="rule-form"):
            yield PlainStatic("", id="rule-form-title", classes="title")
            with Horizontal(classes="row", id="rule-kind-row"):
                yield PlainStatic(t("rules.kind"), classes="label")
                yield AnyChoice(KIND_CHOICES, "kind", "family", id="rule-kind")
            with Horizontal(classes="row", id="rule-channel-row"):
                yield PlainStatic(t("rules.channel"), classes="label")
                yield AnyChoice(CHANNEL_CHOICES, "channel", "", id="rule-channel")
            with Horizontal(classes="row"):
                yield PlainStatic(t("rules.interval"), classes="label")
                yield Input(id="rule-interval", compact=True)
            yield PlainStatic("", id="rule-error", classes="error-status")
        yield KeyFooter()

    @property
    def table(self) -> TableList:
        return self.query_one(TableList)

    @property
    def form_open(self) -> bool:
        return self.mode is not None

    @property
    def on_review_row(self) -> bool:
        return self.table.cursor >= len(self.rules)

    def on_mount(self) -> None:
        self.title = t("rules.title")
        self.query_one("#rule-form").display = False
        self.query_one(InfoLine).show(t("rules.loading"))
        self.table.focus()
        self.watch(self.table, "cursor", lambda _: self.refresh_bindings(), init=False)
        self.load()

    # -- reading ------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="rules", exit_on_error=False)
    def load(self) -> None:
        from db.workflow import load_review_days, load_rules

        with connected():
            rules, days = load_rules(), load_review_days()
        self.app.call_from_thread(self._loaded, rules, days)

    def _loaded(self, rules: tuple, days: int) -> None:
        self.rules, self.review_days = tuple(rules), days
        self.query_one(InfoLine).show(t("rules.info", n=len(self.rules)))
        self.show()
        self.refresh_bindings()

    def show(self) -> None:
        if self.review_days is None:
            return
        table = self.table
        self.query_one("#rules-header", PlainStatic).update(table.line(
            [t("rules.col.rule"), t("rules.col.counts"), t("rules.col.often")],
            table.size.width or self.app.size.width))
        rows = [[rule_label(r), rule_counts(r), rule_often(r)] for r in self.rules]
        rows.append([t("rules.review"), t("rules.review_counts"),
                     t("rules.every", n=self.review_days)])
        table.set_rows(rows, [""] * len(self.rules) + ["dim"])

    def on_resize(self) -> None:
        self.show()

    def others_wrote(self) -> None:
        """Someone else saved (maybe the rules): read them again, unless typing."""
        if not self.form_open:
            self.load()

    # -- which keys apply ------------------------------------------------------------
    def check_action(self, action: str, parameters) -> bool | None:
        loaded = self.review_days is not None
        if action in ("edit", "add", "reset"):
            return loaded and not self.form_open
        if action in ("remove", "season"):
            return loaded and not self.form_open and not self.on_review_row
        if action == "save":
            return self.form_open
        return True

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()

    # -- the form -----------------------------------------------------------------
    def _open_form(self, mode: str, title: str, value: str, placeholder: str) -> None:
        self.mode = mode
        adding = mode == "add"
        self.query_one("#rule-kind-row").display = adding
        self.query_one("#rule-channel-row").display = adding
        self.query_one("#rule-form-title", PlainStatic).update(title)
        field = self.query_one("#rule-interval", Input)
        field.value, field.placeholder = value, placeholder
        self.query_one("#rule-error", PlainStatic).update("")
        self.query_one("#rule-form").display = True
        (self.query_one("#rule-kind") if adding else field).focus()
        self.refresh_bindings()

    def _close_form(self) -> None:
        self.mode = None
        self.query_one("#rule-form").display = False
        self.table.focus()
        self.refresh_bindings()

    def action_edit(self) -> None:
        if self.review_days is None or self.form_open:
            return
        if self.on_review_row:
            self.editing = REVIEW
            self._open_form("edit", t("rules.editing", rule=t("rules.review")),
                            str(self.review_days), t("rules.days.placeholder"))
            return
        rule = self.rules[self.table.cursor]
        self.editing = rule.code
        self._open_form("edit", t("rules.editing", rule=rule_label(rule)),
                        (f"{rule.times}t" if rule.times > 1 else "t") if rule.per_term
                        else str(rule.every_days),
                        t("rules.interval.placeholder"))

    def action_add(self) -> None:
        if self.review_days is None or self.form_open:
            return
        self.editing = ""
        self.query_one("#rule-kind", AnyChoice).value = "family"
        self.query_one("#rule-channel", AnyChoice).value = ""
        self._open_form("add", t("rules.adding"), "", t("rules.interval.placeholder"))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        from db.rules import RuleError, parse_often

        if not self.form_open:
            return
        try:
            days, per_term, times = parse_often(self.query_one("#rule-interval", Input).value)
            if per_term and self.editing == REVIEW:
                raise RuleError("days")
        except RuleError as exc:
            self._invalid(exc.code)
            return
        if self.mode == "edit":
            self.write("edit", self.editing, days, per_term, times)
        else:
            self.write("add", self.query_one("#rule-kind", AnyChoice).value,
                       self.query_one("#rule-channel", AnyChoice).value, days, per_term, times)

    def _invalid(self, code: str) -> None:
        """A one-line reason under the form; nothing was written."""
        self.query_one("#rule-error", PlainStatic).update(t(f"err.rule.{code}"))
        if code in ("kind", "what"):
            self.query_one("#rule-kind").focus()
        elif code == "channel":
            self.query_one("#rule-channel").focus()
        else:
            self.query_one("#rule-interval").focus()

    # -- writing ------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="rules-save", exit_on_error=False)
    def write(self, what: str, *args) -> None:
        from db import rules as school_rules
        from db.workflow import Rule

        actor = self.app.staff
        done = "rules.saved"
        try:
            with connected():
                if what == "edit":
                    code, days, per_term, times = args
                    if code == REVIEW:
                        changed = school_rules.set_review_days(actor, days)
                    else:
                        changed = school_rules.set_interval(actor, code, days, per_term, times)
                elif what == "add":
                    kind, channel, days, per_term, times = args
                    current = school_rules.load_rules()
                    school_rules.add_rule(actor, Rule(
                        school_rules.free_code(current, kind, channel), kind, channel,
                        0 if per_term else days, per_term, times))
                    changed = True
                elif what == "season":
                    changed = school_rules.set_season(actor, *args)
                elif what == "remove":
                    school_rules.remove_rule(actor, args[0])
                    changed, done = True, "rules.removed"
                else:  # reset
                    changed = school_rules.reset_rules(actor)
                    done = "rules.reset_done"
        except school_rules.RuleError as exc:
            self.app.call_from_thread(self._refused, exc.code)
            return
        self.app.call_from_thread(self._written, changed, done)

    def _refused(self, code: str) -> None:
        if self.form_open:
            self._invalid(code)
        else:  # e.g. removed meanwhile on another computer
            self.notify(t(f"err.rule.{code}"), severity="warning", markup=False)
            self.load()

    def _written(self, changed: bool, done: str) -> None:
        if self.form_open:
            self._close_form()
        self.notify(t(done if changed else "rules.unchanged"), timeout=3, markup=False)
        if changed:
            self.changed = True
            # My caseload on the home screen counts with the new rules
            tell_screens(self.app, RulesChanged)
        self.load()

    def action_season(self) -> None:
        """The next of: all year, school days only, holidays only."""
        from db.vocab import RULE_SEASONS

        if self.review_days is None or self.form_open or self.on_review_row:
            return
        rule = self.rules[self.table.cursor]
        following = RULE_SEASONS[(RULE_SEASONS.index(rule.during) + 1) % len(RULE_SEASONS)]
        self.write("season", rule.code, following)

    # -- remove, defaults, back ------------------------------------------------------
    def action_remove(self) -> None:
        if self.review_days is None or self.form_open or self.on_review_row:
            return
        rule = self.rules[self.table.cursor]

        def answered(yes: bool | None) -> None:
            if yes:
                self.write("remove", rule.code)

        self.app.push_screen(RuleConfirmScreen(t("rules.remove_ask", rule=rule_label(rule))),
                             answered)

    def action_reset(self) -> None:
        if self.review_days is None or self.form_open:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.write("reset")

        self.app.push_screen(RuleConfirmScreen(t("rules.reset_ask")), answered)

    def action_back(self) -> None:
        if self.form_open:
            self._close_form()
            return
        self.dismiss(self.changed)
