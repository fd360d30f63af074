"""Changing the school's frequency rules (频次要求) and the stage review interval.

The rules live in the file (``bangfu_meta`` key ``rules``, JSON; see
``db.workflow.load_rules``), so every workstation follows the same ones.  Each
change here is validated first (nothing half-valid is ever stored), written in
one short transaction together with its audit row, and read back by the due
lists and the overview on their next count.  The screen and the CLI call the
same functions; the ones that change one rule read the stored rules inside the
write transaction, so two people changing different rules never undo each
other's change.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace

from db import audit
from db.store import journal
from db.models import Meta, Staff
from db.vocab import ASSIGNMENT_ROLES, CHANNELS, CONTACT_KINDS, RULE_SEASONS, split_codes
from db.workflow import (DEFAULT_REVIEW_DAYS, DEFAULT_RULES, REVIEW_KEY, RULES_KEY, Rule,
                         load_review_days, load_rules, put_setting, stored_setting)

MAX_DAYS = 366
MAX_TIMES = 20  # entries a term a rule may ask for
MAX_CODE = 40
CODE_RE = re.compile(r"^[a-z0-9_]+$")
# what a due item is when it is not a rule: a rule must not take these codes
RESERVED_CODES = ("follow_up", "goal", "review")
TERM_WORDS = ("t", "term", "per_term", "per-term", "学期", "每学期")


class RuleError(ValueError):
    """A rule (or interval) that cannot be stored; ``code`` names the problem
    (``err.rule.<code>`` in the catalog), ``rule`` the rule's code if known."""

    def __init__(self, code: str, rule: str = ""):
        super().__init__(f"{code}: {rule}" if rule else code)
        self.code = code
        self.rule = rule


def as_dict(rule: Rule) -> dict:
    """A rule as stored: only the fields it uses."""
    data: dict = {"code": rule.code}
    if rule.kind:
        data["kind"] = rule.kind
    if rule.channel:
        data["channel"] = rule.channel
    if rule.per_term:
        data["per_term"] = True
        if rule.times != 1:
            data["times"] = rule.times
    else:
        data["every_days"] = rule.every_days
    if rule.during:
        data["during"] = rule.during
    if rule.roles:
        data["roles"] = rule.roles
    return data


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def check_days(days) -> int:
    """``days`` as a whole number of days from 1 to 366, else ``RuleError("days")``."""
    if not _is_int(days) or not 1 <= days <= MAX_DAYS:
        raise RuleError("days")
    return days


def check_rule(rule: Rule) -> None:
    """One rule on its own: its code, what counts and how often."""
    code = rule.code
    if not isinstance(code, str) or not code or len(code) > MAX_CODE or not CODE_RE.match(code):
        raise RuleError("code", code if isinstance(code, str) else "")
    if code in RESERVED_CODES:
        raise RuleError("reserved", code)
    if rule.kind not in ("", *CONTACT_KINDS):
        raise RuleError("kind", code)
    if rule.channel not in ("", *CHANNELS):
        raise RuleError("channel", code)
    if not rule.kind and not rule.channel:
        raise RuleError("what", code)
    if not isinstance(rule.per_term, bool):
        raise RuleError("interval", code)
    if rule.during not in RULE_SEASONS:
        raise RuleError("season", code)
    if not isinstance(rule.roles, str) or (
            rule.roles and rule.roles != parse_roles(rule.roles, code)):
        raise RuleError("roles", code)
    if not _is_int(rule.times) or not 1 <= rule.times <= MAX_TIMES or (
            rule.times != 1 and not rule.per_term):
        raise RuleError("times", code)
    if rule.per_term:
        if rule.every_days not in (0, None):
            raise RuleError("interval", code)
    elif rule.every_days in (0, None):
        raise RuleError("interval", code)
    else:
        try:
            check_days(rule.every_days)
        except RuleError:
            raise RuleError("days", code) from None


def validate(rules) -> tuple[Rule, ...]:
    """Every rule valid and every code used once; raises ``RuleError``."""
    rules = tuple(rules)
    seen: set[str] = set()
    for rule in rules:
        if not isinstance(rule, Rule):
            raise RuleError("code")
        check_rule(rule)
        if rule.code in seen:
            raise RuleError("duplicate", rule.code)
        seen.add(rule.code)
    return rules


# "2t", "2 x term", "2/学期", "每学期2次", "t2": N times a term
_TERM_RE = re.compile(r"^(?:(\d+)\s*[x×*/]?\s*(?:%s)|(?:%s)\s*[x×*/]?\s*(\d+)\s*次?)$" % (
    "|".join(sorted(TERM_WORDS, key=len, reverse=True)),
    "|".join(sorted(TERM_WORDS, key=len, reverse=True))))


def parse_often(text: str) -> tuple[int, bool, int]:
    """``(every_days, per_term, times)`` from what a person typed: ``14``, ``t``,
    ``2t`` (twice a term), ``每学期2次``."""
    value = (text or "").strip().lower()
    match = _TERM_RE.match(value) if value.isascii() or "学期" in value else None
    if match:
        digits = match.group(1) or match.group(2)
        if not digits.isascii() or len(digits) > 3 or not 1 <= int(digits) <= MAX_TIMES:
            raise RuleError("times")
        return 0, True, int(digits)
    days, per_term = parse_interval(value)
    return days, per_term, 1


def parse_interval(text: str) -> tuple[int, bool]:
    """``(every_days, per_term)`` from what a person typed: ``14``, ``t``, ``term``."""
    value = (text or "").strip().lower()
    if value in TERM_WORDS:
        return 0, True
    if not value.isascii() or not value.isdigit():
        raise RuleError("interval")
    if len(value) > 9:  # int() refuses thousands of digits; these are far too many days anyway
        raise RuleError("days")
    return check_days(int(value)), False


def save_rules(actor: Staff | None, rules) -> bool:
    """Store ``rules`` as the school's rules; False if they are the rules already.

    Raises ``RuleError`` with nothing written if any rule is invalid.
    """
    rules = validate(rules)
    new = [as_dict(r) for r in rules]
    with journal.transaction():
        old = [as_dict(r) for r in load_rules()]
        if old == new:
            return False
        put_setting(RULES_KEY, json.dumps(new, ensure_ascii=False))
        audit.record(actor, Meta._meta.table_name, RULES_KEY, "update", {"rules": [old, new]})
    return True


def reset_rules(actor: Staff | None) -> bool:
    """Back to the school plans' rules and review interval; False if nothing was set."""
    with journal.transaction():
        changed = False
        rules_row, review_row = stored_setting(RULES_KEY), stored_setting(REVIEW_KEY)
        if rules_row is not None:
            old = [as_dict(r) for r in load_rules()]
            Meta.delete().where(Meta.key == RULES_KEY).execute()
            audit.record(actor, Meta._meta.table_name, RULES_KEY, "update",
                         {"rules": [old, [as_dict(r) for r in DEFAULT_RULES]]})
            changed = True
        if review_row is not None:
            old_days = load_review_days()
            Meta.delete().where(Meta.key == REVIEW_KEY).execute()
            audit.record(actor, Meta._meta.table_name, REVIEW_KEY, "update",
                         {"review_days": [old_days, DEFAULT_REVIEW_DAYS]})
            changed = True
    return changed


def _find(rules: tuple[Rule, ...], code: str) -> int:
    for n, rule in enumerate(rules):
        if rule.code == code:
            return n
    raise RuleError("unknown", code)


def set_interval(actor: Staff | None, code: str, every_days: int = 0,
                 per_term: bool = False, times: int = 1) -> bool:
    """Change how often rule ``code`` asks for an entry; False if it asked so already."""
    with journal.transaction():
        rules = list(load_rules())
        n = _find(tuple(rules), code)
        old = rules[n]
        rules[n] = replace(old, every_days=0 if per_term else every_days, per_term=per_term,
                           times=times if per_term else 1)
        return save_rules(actor, rules)


def set_season(actor: Staff | None, code: str, during: str) -> bool:
    """When rule ``code`` asks: all year (""), on school days only ("school": it
    pauses in holidays) or in holidays only ("holiday"); False if unchanged."""
    with journal.transaction():
        rules = list(load_rules())
        n = _find(tuple(rules), code)
        old = rules[n]
        rules[n] = replace(old, during=during)
        return save_rules(actor, rules)


def parse_roles(text: str, rule: str = "") -> str:
    """Team roles as stored: a comma list of ``db.vocab.ASSIGNMENT_ROLES`` in their
    own order ("" = the rule's default, see ``db.workflow.Rule.applies_to``);
    ``RuleError("roles")`` for an unknown role."""
    codes = [c.strip() for c in split_codes((text or "").replace(" ", ","))]
    codes = [c for c in codes if c]
    if any(c not in ASSIGNMENT_ROLES for c in codes):
        raise RuleError("roles", rule)
    return ",".join(r for r in ASSIGNMENT_ROLES if r in codes)


def set_roles(actor: Staff | None, code: str, roles: str) -> bool:
    """Who on a case's team rule ``code`` asks for entries ("" = its default:
    ``db.workflow.Rule.applies_to``); False if unchanged."""
    with journal.transaction():
        rules = list(load_rules())
        n = _find(tuple(rules), code)
        rules[n] = replace(rules[n], roles=parse_roles(roles, code))
        return save_rules(actor, rules)


def add_rule(actor: Staff | None, rule: Rule) -> Rule:
    """Add a school's own rule (its code must be new)."""
    with journal.transaction():
        save_rules(actor, [*load_rules(), rule])
    return rule


def remove_rule(actor: Staff | None, code: str) -> Rule:
    """Take rule ``code`` out (the school plans' rules too; ``reset_rules`` brings them back)."""
    with journal.transaction():
        rules = list(load_rules())
        gone = rules.pop(_find(tuple(rules), code))
        save_rules(actor, rules)
    return gone


def free_code(rules, kind: str, channel: str) -> str:
    """A new rule's code made from what it counts: ``family_phone``, ``student_2`` …"""
    base = "_".join(part for part in (kind, channel) if part) or "rule"
    taken = {r.code for r in rules} | set(RESERVED_CODES)
    code, n = base, 1
    while code in taken:
        n += 1
        code = f"{base}_{n}"
    return code


def set_review_days(actor: Staff | None, days) -> bool:
    """How often a case's plan gets a stage review (阶段评估); False if unchanged."""
    days = check_days(days)
    with journal.transaction():
        old = load_review_days()
        if stored_setting(REVIEW_KEY) is not None and old == days:
            return False
        put_setting(REVIEW_KEY, str(days))
        audit.record(actor, Meta._meta.table_name, REVIEW_KEY, "update",
                     {"review_days": [old, days]})
    return True
