"""The interface text catalog: complete, in both languages, and every key used exists."""

from __future__ import annotations

import io
import re
import string
import tokenize
from pathlib import Path

import pytest

from db import vocab
from db.contacts import ContactInput, ContactValidationError, validate
from db.dates import DateError, parse_date
from tui import i18n
from tui.i18n import CATALOG, VOCAB, label, labels, t

ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIRS = ("screens", "tui", "db")
# CJK ideographs, CJK symbols and punctuation (、。：), full-width forms
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
PREFIXES = sorted({k.split(".", 1)[0] for k in CATALOG})
KEY_RE = re.compile(r"^(?:%s)\.[a-z0-9_]+(?:\.[a-z0-9_]+)*$" % "|".join(PREFIXES))


def placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


def format_only(text: str) -> bool:
    """Only placeholders, digits, punctuation and spaces: nothing to translate."""
    rest = "".join(lit for lit, *_ in string.Formatter().parse(text))
    return not any(ch.isalpha() for ch in rest)


def all_entries():
    for key, pair in CATALOG.items():
        yield key, pair
    for group, codes in VOCAB.items():
        for code, pair in codes.items():
            yield f"vocab.{group}.{code}", pair


ENTRIES = list(all_entries())


def each_entry(check, entries=ENTRIES) -> None:
    """``check(key, pair)`` on every catalog entry: one test that names every entry
    that fails (not one test per entry, which made the suite's count 3,800 higher)."""
    failures = []
    for key, pair in entries:
        try:
            check(key, pair)
        except Exception as error:  # noqa: BLE001 (an entry's failure, reported with the rest)
            failures.append(f"{key}: {error}")
    assert not failures, f"{len(failures)} of {len(entries)} entries:\n" + "\n".join(failures)


def test_every_entry_has_both_languages():
    def check(key, pair):
        assert isinstance(pair, tuple) and len(pair) == 2
        en, zh = pair
        assert isinstance(en, str) and en.strip(), key
        assert isinstance(zh, str) and zh.strip(), key
        if not format_only(zh):
            assert CJK.search(zh), f"{key}: Chinese text has no Chinese in it: {zh!r}"

    each_entry(check)


def test_every_entry_has_the_same_placeholders_in_both_languages():
    def check(key, pair):
        en, zh = pair
        assert placeholders(en) == placeholders(zh), key

    each_entry(check)


def test_every_entry_formats():
    def check(key, pair):
        values = {name.split("!")[0]: "x" for name in placeholders(pair[0])}
        for text in pair:
            i18n.fill(text, **values)

    each_entry(check)


# placeholders that hold a count, and words after "1 " that are no plural noun
COUNTS = {"n", "added", "applied", "attempt", "bad", "cases", "changed", "checkins", "classes",
          "contacts", "days", "failed", "files", "holders", "improved", "late", "length", "limit",
          "m", "marked", "measurable", "minutes", "most", "new", "off", "open", "opened",
          "overdue", "present", "problems", "removed", "rows", "same", "scores", "seconds",
          "shown", "skipped", "soon", "stored", "students", "tables", "total", "unmeasured",
          "updated", "waiting", "written"}
NOT_PLURAL = {"is", "was", "has", "its", "this", "s", "less", "as", "status", "class",
              "progress", "measurable", "waits"}
ONE_NOUN = re.compile(r"\b1 (?:(?!with |in |of |on |for )[a-z-]+ )?([a-z][a-z-]*s)\b")
ONE_OF = re.compile(r"\b1 of\b[^.;:·]*?\b(?:are|were|have)\b")


def test_counts_are_plural_aware_in_english():
    """A count of 1 reads "1 day", never "1 days" or "1 row(s)": every English
    text whose count is followed by its noun gives both forms, ``{n:day|days}``
    (``i18n.fill`` picks the one that fits)."""
    def check(key, pair):
        en = pair[0]
        names = {name.split("!")[0] for name in placeholders(en)}
        for count in sorted(names & COUNTS):
            values = {name: 2 if name in COUNTS else "X" for name in names}
            values[count] = 1
            text = i18n.fill(en, **values)
            nouns = [m.group(1) for m in ONE_NOUN.finditer(text)
                     if m.group(1) not in NOT_PLURAL]
            assert not nouns and not ONE_OF.search(text) and "(s)" not in text, \
                f"{key} with {count}=1 reads {text!r}: write the count as {{{count}:one|other}}"

    each_entry(check, list(CATALOG.items()))


def test_a_count_takes_the_form_that_fits_it():
    assert i18n.fill("{n:day|days} late", n=1) == "1 day late"
    assert i18n.fill("{n:day|days} late", n=0) == "0 days late"
    assert i18n.fill("{n:day|days} late", n="1") == "1 day late"
    assert i18n.fill("{n:day|days} late, {m}", n=12, m="x|y") == "12 days late, x|y"
    assert i18n.fill("{a!r} {n:row|rows}", a="q", n=3) == "'q' 3 rows"
    i18n.set_language("zh")
    assert t("rscreen.days_late", n=1) == "逾期 1 天"
    i18n.set_language("en")
    assert t("rscreen.days_late", n=1) == "1 day late"


def source_files():
    for folder in SOURCE_DIRS:
        yield from sorted((ROOT / folder).rglob("*.py"))


def string_literals(path: Path):
    """(value, is_fstring, line) of every string literal in a source file."""
    text = path.read_text(encoding="utf-8")
    tokens = tokenize.generate_tokens(io.StringIO(text).readline)
    fstring = []
    for tok in tokens:
        name = tokenize.tok_name[tok.type]
        if name == "STRING":
            body = tok.string
            prefix = re.match(r"^[a-zA-Z]*", body).group(0)
            quote = body[len(prefix):]
            q = 3 if quote[:3] in ('"""', "'''") else 1
            yield quote[q:-q], "f" in prefix.lower(), tok.start[0]
        elif name == "FSTRING_START":  # Python 3.12+
            fstring = [tok.start[0], ""]
        elif name == "FSTRING_MIDDLE" and fstring:
            fstring[1] += tok.string
        elif name == "OP" and fstring and tok.string == "{":
            fstring[1] += "{"
        elif name == "FSTRING_END" and fstring:
            yield fstring[1], True, fstring[0]
            fstring = []


def used_keys():
    """Catalog-looking string literals in the source: exact keys and f-string prefixes."""
    exact, prefixes = [], []
    for path in source_files():
        if path.parent == ROOT / "tui" / "i18n":  # the catalog itself
            continue
        rel = path.relative_to(ROOT)
        for value, is_f, line in string_literals(path):
            if is_f and "{" in value:
                head = value.split("{", 1)[0]
                if re.match(r"^(?:%s)\.[a-z0-9_.]*$" % "|".join(PREFIXES), head):
                    prefixes.append((head, f"{rel}:{line}"))
            elif KEY_RE.match(value):
                exact.append((value, f"{rel}:{line}"))
    return exact, prefixes


def test_source_scan_finds_keys():
    exact, prefixes = used_keys()
    assert len(exact) > 50  # the scan works
    assert any(k == "key.quit" for k, _ in exact)


def test_every_key_used_in_the_source_exists():
    exact, _ = used_keys()
    missing = sorted({f"{key} ({where})" for key, where in exact if key not in CATALOG})
    assert not missing, "keys used but not in the catalog: " + ", ".join(missing)


def test_every_key_prefix_used_in_the_source_exists():
    _, prefixes = used_keys()
    missing = sorted({f"{head} ({where})" for head, where in prefixes
                      if not any(k.startswith(head) for k in CATALOG)})
    assert not missing, missing


CALL_RE = re.compile(r"""\b(label|labels)\(\s*(["'])([a-z_]+)\2""")


def test_every_vocab_group_used_in_the_source_exists():
    missing = []
    for path in source_files():
        for m in CALL_RE.finditer(path.read_text(encoding="utf-8")):
            if m.group(3) not in VOCAB:
                missing.append(f"{m.group(3)} ({path.relative_to(ROOT)})")
    assert not missing, missing


@pytest.mark.parametrize("group, codes", [
    ("status", vocab.CASE_STATUSES),
    ("risk", vocab.RISK_LEVELS),
    ("category", vocab.CATEGORIES),
    ("cause", vocab.CAUSES),
    ("family", vocab.FAMILY_FLAGS),
    ("relation", vocab.RELATIONS),
    ("role", vocab.ASSIGNMENT_ROLES),
    ("horizon", vocab.GOAL_HORIZONS),
    ("goal_status", vocab.GOAL_STATUSES),
    ("kind", vocab.CONTACT_KINDS),
    ("channel", vocab.CHANNELS),
    ("staff_role", vocab.STAFF_ROLES),
    ("restricted", vocab.RESTRICTED_REASONS),
    ("holiday", vocab.HOLIDAY_KINDS),
    ("event", vocab.EVENT_KINDS),
    ("feedback", vocab.FEEDBACK_KINDS),
    ("feedback_channel", vocab.FEEDBACK_CHANNELS),
    ("recognised", vocab.RECOGNISED),
    ("season", vocab.RULE_SEASONS),
    ("organisation", vocab.ORGANISATION_KINDS),
    ("referral", vocab.REFERRAL_STATUSES),
    ("consent", vocab.CONSENTS),
    ("transformation", vocab.TRANSFORMATION_STATUSES),
])
def test_every_vocab_code_is_labelled(group, codes):
    assert set(codes) <= set(VOCAB[group]), set(codes) - set(VOCAB[group])
    for code in codes:
        en, zh = VOCAB[group][code]
        assert en.strip() and zh.strip()
        i18n.set_language("en")
        assert label(group, code) == en
        i18n.set_language("zh")
        assert label(group, code) == zh


def test_every_tuple_in_db_vocab_is_covered():
    covered = {"RESTRICTED_REASONS", "CASE_STATUSES", "OPEN_STATUSES", "RISK_LEVELS", "CATEGORIES", "CAUSES",
               "FAMILY_FLAGS", "RELATIONS", "ASSIGNMENT_ROLES", "GOAL_HORIZONS",
               "GOAL_STATUSES", "CONTACT_KINDS", "CHANNELS", "STAFF_ROLES", "CASE_EVENTS", "ROSTER_FIELDS",
               "HOLIDAY_KINDS", "EVENT_KINDS", "FEEDBACK_KINDS", "FEEDBACK_CHANNELS",
               "RECOGNISED", "RULE_SEASONS", "ORGANISATION_KINDS", "REFERRAL_STATUSES",
               "CONSENTS", "TRANSFORMATION_STATUSES"}
    tuples = {name for name, value in vars(vocab).items()
              if name.isupper() and isinstance(value, tuple)}
    assert tuples <= covered, f"new vocabulary without a label test: {tuples - covered}"


def test_status_filters_are_labelled():
    from db.search import STATUS_FILTERS

    for code in STATUS_FILTERS:
        assert f"status.{code}" in CATALOG or code in VOCAB["status"], code


def test_case_events_are_labelled():
    for code in vocab.CASE_EVENTS:
        assert f"case.event.{code}" in CATALOG, code


def test_every_import_code_has_words():
    from db import roster_file
    from db.roster_import import STUDENT_FIELDS

    for code in roster_file.PROBLEM_CODES:
        assert f"import.problem.{code}" in CATALOG, code
    for code in roster_file.FIX_CODES:
        assert f"import.fix.{code}" in CATALOG, code
    for code in roster_file.SKIP_CODES:
        assert f"import.skip.{code}" in CATALOG, code
    for name in (*roster_file.FIELDS, *STUDENT_FIELDS, "class", "family_flags", "guardian"):
        assert f"import.field.{name}" in CATALOG, name
    for code in roster_file.ERROR_CODES:
        assert f"import.error.{code}" in CATALOG, code


def test_letter_keys_map_to_known_codes():
    assert set(vocab.RELATION_KEYS.values()) <= set(vocab.RELATIONS)
    assert set(vocab.KIND_KEYS.values()) <= set(vocab.CONTACT_KINDS)
    assert set(vocab.CHANNEL_KEYS.values()) <= set(vocab.CHANNELS)


def test_date_error_codes_have_messages():
    codes = set()
    for text in ("", "abc", "13-45"):
        try:
            parse_date(text, __import__("datetime").date(2026, 11, 20))
        except DateError as exc:
            codes.add(exc.code)
    assert codes == {"empty", "format", "invalid"}
    for code in codes:
        assert f"err.date.{code}" in CATALOG


def test_contact_validation_errors_have_messages_and_cli_field_names():
    """Every field the contact validation can flag has a message and a CLI field name."""
    bad = [
        ContactInput(case_id=None, date="abc", time="99:99", kind="zz", channel="zz",
                     duration="0", discussed="", participants="x" * 201,
                     follow_up="", follow_up_due="abc"),
        ContactInput(case_id=1, date="+3", discussed="x" * 4001, agreed="x" * 4001,
                     follow_up="x" * 4001, follow_up_due="12-01"),
        ContactInput(case_id=1, discussed="x", follow_up_due="12-01"),
    ]
    seen = {}
    for data in bad:
        with pytest.raises(ContactValidationError) as info:
            validate(data)
        seen.update(info.value.errors)
    assert {"student", "date", "time", "kind", "channel", "duration", "discussed",
            "participants", "follow_up_due", "agreed", "follow_up"} <= set(seen)
    missing = [f"{field} -> {key}" for field, key in seen.items() if key not in CATALOG]
    assert not missing, missing
    no_name = [f"cli.field.{field}" for field in seen if f"cli.field.{field}" not in CATALOG]
    assert not no_name, no_name


def test_t_and_labels():
    i18n.set_language("zh")
    assert t("roster.col.name") == "姓名"
    assert t("cli.found", n=3) == "共 3 名学生"
    assert labels("cause", ["habits", "left_behind"]) == "学习习惯、父母外出务工（留守）"
    i18n.set_language("en")
    assert t("roster.col.name") == "Name"
    assert labels("cause", ["habits", "left_behind"]) == "study habits, parents working away"
    assert t("no.such.key") == "no.such.key"
    assert label("status", "nope") == "nope"
    with pytest.raises(ValueError):
        i18n.set_language("fr")


def test_no_catalog_key_is_written_twice():
    """A second entry for a key silently replaces the first in a dict, so one
    screen's text (and placeholders) would change under another's feet: within
    an area's module (read here) and across them (tui.i18n refuses to merge)."""
    import ast
    from collections import Counter

    modules = sorted(Path(i18n.__file__).parent.glob("*.py"))
    assert len(modules) > 5
    for path in modules:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Dict) and len(node.keys) > 50:
                seen = Counter(k.value for k in node.keys if isinstance(k, ast.Constant))
                assert [k for k, n in seen.items() if n > 1] == [], path.name


def test_a_key_in_two_areas_is_refused_when_the_catalog_is_built():
    from types import SimpleNamespace

    from tui.i18n import case, general

    assert i18n.build_catalog(i18n.AREAS) == CATALOG
    again = SimpleNamespace(ENTRIES={"app.title": ("again", "又一次")})
    with pytest.raises(RuntimeError, match="app.title"):
        i18n.build_catalog((general, case, again))
