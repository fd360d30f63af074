"""The one catalog of interface text, in English and Chinese.

Every string the interface shows comes from here: ``t("key", name=...)``.
The entries are kept by area in this package's modules (``general``, ``roster``,
``case``, ``cli``, ``cli_checks``, ``rules_reports``, ``roster_import``, ``access``,
``families``, ``feedback``, ``surveys``, ``parent_note``, ``oversight``, ``supervision``,
``referrals``, ``transformation``, ``rollup``, ``villages``;
the vocabulary's labels in ``vocab``) and merged into one ``CATALOG``.
A count in English names its noun in both forms, ``{n:day|days}``: the number
and the form that fits it ("1 day", "2 days"; ``fill``); Chinese needs none.
Vocabulary codes from ``db.vocab`` are labelled with ``label("status", code)``.
This module imports nothing heavy: the CLI uses it too.
"""

from __future__ import annotations

import string

from tui.i18n import (access, case, cli, cli_checks, demo_town, district, families, feedback,
                      general, oversight, parent_note, referrals, rollup, roster, roster_import,
                      rules_reports, supervision, supervision_screens, surveys, transformation,
                      villages, vocab)

LANGS = ("en", "zh")
_lang = "en"

AREAS = (general, roster, case, cli, cli_checks, rules_reports, roster_import, access,
         families, feedback, surveys, parent_note, oversight, supervision, supervision_screens,
         referrals, transformation, district, rollup, villages, demo_town)


def build_catalog(areas) -> dict[str, tuple[str, str]]:
    """One catalog from the areas' ``ENTRIES``; a key in two of them is an error
    (in one dict the second would silently replace the first)."""
    catalog: dict[str, tuple[str, str]] = {}
    for area in areas:
        twice = catalog.keys() & area.ENTRIES.keys()
        if twice:
            raise RuntimeError(f"catalog keys written twice: {sorted(twice)}")
        catalog.update(area.ENTRIES)
    return catalog


CATALOG = build_catalog(AREAS)
VOCAB = vocab.VOCAB


DATABASE_ERRORS = {"missing": "cli.missing_db", "newer": "cli.newer_db", "empty": "cli.empty_db",
                   "unwritable": "cli.unwritable_db", "locking": "cli.locking_db",
                   "auth": "cli.server_auth", "unreachable": "cli.server_unreachable",
                   "server_full": "cli.server_full", "bad_url": "cli.bad_url",
                   "many_schools": "cli.many_schools_db", "no_school": "cli.no_school_db",
                   "needs_owner": "cli.needs_owner_db", "office_role": "cli.office_role_db"}


# why a saved entry waits in the outbox: the server's kinds (db.store.server.outage_kind)
# and the file's; anything else is "cannot be reached"
_QUEUED_SERVER = ("unknown", "lost", "busy", "slow", "disk_full", "resources")
_QUEUED_FILE = {"busy": "file_busy", "disk_full": "file_disk_full",
                "permission": "file_permission", "damaged": "file_damaged"}


def queued_message(exc: BaseException, uuid: str = "", *, form: bool = False) -> tuple[str, str]:
    """``(kind, message)`` for a save that went to the outbox because of ``exc``:
    what happened and what happens next, for the command line (with the
    entry's ``uuid``) or a form (``form``).  ``kind`` is what the outbox keeps."""
    from db.store.failures import failure_kind, from_server

    kind = failure_kind(exc)
    prefix = "form.queued" if form else "cli.queued"
    if from_server(exc):
        if kind not in _QUEUED_SERVER:
            return kind, t(prefix, uuid=uuid)
        from db.store.server import LOCK_WAIT_MS, STATEMENT_TIMEOUT_MS

        seconds = (LOCK_WAIT_MS if kind == "busy" else STATEMENT_TIMEOUT_MS) // 1000
        return kind, t(f"{prefix}.{kind}", uuid=uuid, seconds=seconds)
    if kind in _QUEUED_FILE:
        return kind, t(f"{prefix}.{_QUEUED_FILE[kind]}", uuid=uuid)
    return kind, t(prefix, uuid=uuid)


def failure(exc: BaseException) -> str:
    """What went wrong, in words (``db.store.failures``): never an exception's name."""
    from db.store.failures import failure_kind

    return t(f"failure.{failure_kind(exc)}")


def database_error(code: str, path, detail: str, settings=None) -> str:
    """The message for a ``db.store.connection.DatabaseError`` (CLI and app alike)."""
    extra = {}
    if code == "locking":
        from db.config import config_file

        extra = dict(mine=getattr(settings, "locking", "posix"),
                     source=getattr(settings, "locking_source", "default"), config=config_file())
    key = DATABASE_ERRORS.get(code, "cli.unreadable_db")
    if code == "missing" and "://" in str(path):  # a server without that database
        key = "cli.server_missing_db"
    return t(key, path=path, detail=detail, **extra)


def duration(seconds: float) -> str:
    """A lock's age: "45 s", "3 min", "2 h 5 min"."""
    seconds = int(seconds)
    if seconds < 120:
        return t("time.seconds", n=seconds)
    if seconds < 7200:
        return t("time.minutes", n=seconds // 60)
    return t("time.hours", n=seconds // 3600, m=seconds % 3600 // 60)


def set_language(lang: str) -> None:
    global _lang
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}")
    _lang = lang


def language() -> str:
    return _lang


def t(key: str, /, **values) -> str:
    """The text for ``key`` in the current language, with ``values`` filled in."""
    entry = CATALOG.get(key)
    if entry is None:  # a code from the file, maybe a hostile one: never raw
        return _plain(key)
    text = entry[1] if _lang == "zh" else entry[0]
    return fill(text, **values) if values else text


def is_one(value) -> bool:
    """Whether a count takes the singular in English (1, "1")."""
    return value == 1 or (isinstance(value, str) and value.strip() == "1")


class _CountFormatter(string.Formatter):
    """``{n:day|days}``: the count, a space, then the form that fits it."""

    def format_field(self, value, format_spec: str):
        if "|" in format_spec:
            one, other = format_spec.split("|", 1)
            return f"{value} {one if is_one(value) else other}"
        return super().format_field(value, format_spec)


_COUNTS = _CountFormatter()


def fill(text: str, /, **values) -> str:
    """A catalog text with ``values`` filled in, counts in the form that fits them."""
    return _COUNTS.format(text, **values) if "|" in text else text.format(**values)


def share_text(value: float | None) -> str:
    """A share (0..1) as "66.7%"; "—" when there is nothing to divide by."""
    return t("common.none") if value is None else f"{value * 100:.1f}%"


def change_text(change: float | None) -> str:
    """A change (a fraction of the first value) as "+12.5%"; "—" when it cannot be
    measured, "up from 0" when the first value was 0."""
    if change is None:
        return t("common.none")
    if change == float("inf"):
        return t("summary.from_zero")
    return f"{change * 100:+.1f}%"


def account_error(exc) -> str:
    """A ``db.accounts.AccountError`` in words."""
    values = {k: v for k, v in exc.extra.items() if k != "field"}
    if "until" in values:
        values["until"] = f"{values['until']:%H:%M}"
    return t(f"err.account.{exc.code}", **values)


def restricted_entry(reason: str) -> str:
    """"restricted entry (counselling)": all that shows of a confidential entry."""
    return t("access.restricted_entry") + paren(label("restricted", reason))


def hidden_text(view, name: str) -> str:
    """What shows instead of a field this reader may not see ("" if they may):
    "restricted" for a confidential field, else "not shown to volunteers"."""
    if name not in getattr(view, "hidden", ()):
        return ""
    return t("access.restricted_field" if name in view.restricted_fields else "access.hidden")


def paren(text: str) -> str:
    """``text`` in brackets as each language writes them: " (x)" or "（x）"."""
    return f"（{text}）" if _lang == "zh" else f" ({text})"


def label(group: str, code: str) -> str:
    entry = VOCAB.get(group, {}).get(code)
    if entry is None:  # a code this version does not know, as stored: cleaned
        return _plain(code)
    return entry[1] if _lang == "zh" else entry[0]


def _plain(text: str) -> str:
    if text.isprintable():
        return text
    from db.text import one_line

    return one_line(text)


def labels(group: str, codes) -> str:
    return t("common.list_sep").join(label(group, c) for c in codes)


def due_label(what: str, rules=()) -> str:
    """What a due item is: "Help session", "家访" … A school's own rule is named
    from what it counts when its ``Rule`` is among ``rules``, else by its code."""
    key = f"due.{what}"
    if key in CATALOG:
        return t(key)
    for rule in rules:
        if rule.code == what:
            return rule_label(rule)
    return _plain(what)


def rule_label(rule) -> str:
    """A rule (``db.workflow.Rule``) in words: the school plans' own by name, a
    school's own from what it counts: "Family contact (phone)", "家校联系（电话）"."""
    key = f"due.{rule.code}"
    if key in CATALOG:
        return t(key)
    name = t(f"rules.name.{rule.kind or 'any'}")
    return name + paren(label("channel", rule.channel)) if rule.channel else name


def rule_counts(rule) -> str:
    """Which entries count for a rule: "family entries · any channel"."""
    channel = label("channel", rule.channel) if rule.channel else t("rules.any_channel")
    return t("rules.counts", kind=t(f"rules.counts.{rule.kind or 'any'}"), channel=channel)


def rule_often(rule) -> str:
    """"every 7 days", "once a term", "twice a term", "once a holiday"; and when
    it asks, unless all year: "every 7 days · term-time"."""
    if rule.per_term:
        span = "holiday" if rule.during == "holiday" else "term"
        often = (t(f"rules.per_{span}") if rule.times == 1
                 else t(f"rules.times_{span}", n=rule.times))
        if rule.during == "holiday":
            return often
    else:
        often = t("rules.every", n=rule.every_days)
    return f"{often} · {t(f'rules.during.{rule.during}')}" if rule.during else often


def feedback_status(row, today) -> str:
    """A family's feedback item: resolved, answered, "3 d late" or open."""
    if row.resolved:
        return t("feedback.status.resolved")
    if row.answered_on is not None:
        return t("feedback.status.answered")
    if row.due_on is not None and row.due_on < today:
        return t("feedback.status.late", n=(today - row.due_on).days)
    return t("feedback.status.open")


def due_when(item, today) -> str:
    """"12 d late", "today", "in 3 d" (in the interface language)."""
    days = (today - item.due).days
    if days > 0:
        return t("caseload.late", n=days)
    if days == 0:
        return t("caseload.today")
    return t("caseload.in", n=-days)


def due_detail(item) -> str:
    """A follow-up's, goal's, family feedback's, referral's, correction item's or
    transformation's text (what its ``db`` function put there to be shown), else
    when the rule was last met."""
    from db.text import one_line

    if item.what == "follow_up" and getattr(item, "restricted", ""):
        return restricted_entry(item.restricted)
    if item.what in ("follow_up", "goal", "feedback", "referral", "correction", "transformation"):
        return one_line(item.text)
    if item.last is None:
        return t("caseload.never")
    return t("caseload.last", date=f"{item.last:%m-%d}")
