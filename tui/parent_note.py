"""The note a family can read, in words: ``db.parent_note``'s facts with the
catalog's phrases (``pnote.*``), in the note's own language.

The note's language is chosen for the family (Chinese or English), whatever
the interface shows: the phrases are read from the catalog in that language
here, never by switching the interface's language.  The register is warm and
plain: no codes, no figures beyond counts, no rank.  Text typed by people (a
name, a goal) goes in as one plain line each.

No Textual here: the CLI (``bangfu note``) uses it.
"""

from __future__ import annotations

import calendar
import datetime as dt

from db.parent_note import NoteFacts
from db.text import one_line
from tui.i18n import CATALOG, LANGS, VOCAB, fill, language

GENERAL_TIPS = ("pnote.tip.talk", "pnote.tip.sleep")
MAX_TIPS = 4


def tr(lang: str, key: str, /, **values) -> str:
    """``t`` in ``lang`` (not the interface's language)."""
    entry = CATALOG[key]
    text = entry[1] if lang == "zh" else entry[0]
    return fill(text, **values) if values else text


def vocab(lang: str, group: str, code: str) -> str:
    entry = VOCAB.get(group, {}).get(code)
    if entry is None:
        return one_line(code)
    return entry[1] if lang == "zh" else entry[0]


def day_text(lang: str, day: dt.date) -> str:
    """"11月20日" / "20 November"."""
    month = day.month if lang == "zh" else calendar.month_name[day.month]
    return tr(lang, "pnote.day", day=day.day, month=month)


def _join(lang: str, items) -> str:
    return tr(lang, "pnote.list_sep").join(items)


def event_label(lang: str, kind: str) -> str:
    """An event's kind in the note's words: the programme's own names (后进生家长
    专题座谈会) are not for families."""
    key = f"pnote.event.{kind}"
    return tr(lang, key if key in CATALOG else "pnote.event.other")


def _by_channel(lang: str, counts: dict[str, int], group: str = "channel") -> str:
    def name(code: str) -> str:
        return event_label(lang, code) if group == "event" else vocab(lang, group, code)

    parts = [tr(lang, "pnote.by_channel", channel=name(c), n=n)
             for c, n in sorted(counts.items(), key=lambda x: (-x[1], x[0]))]
    return _join(lang, parts)


def tips(facts: NoteFacts) -> list[str]:
    """The catalog keys of what the family can do: one general suggestion,
    then one per category of the case, then the other general one."""
    keys = [GENERAL_TIPS[0]] + [f"pnote.tip.{c}" for c in facts.categories]
    keys += GENERAL_TIPS[1:]
    return keys[:MAX_TIPS]


def note_text(facts: NoteFacts, lang: str | None = None) -> str:
    """The note, ready for the teacher to review (plain text, UTF-8)."""
    lang = lang if lang in LANGS else language()
    name = one_line(facts.student_name)
    out = [tr(lang, "pnote.greeting", name=name), ""]
    out.append(tr(lang, "pnote.done.title", start=day_text(lang, facts.start),
                  end=day_text(lang, facts.as_of)))
    if facts.sessions:
        out.append("- " + tr(lang, "pnote.done.sessions", n=facts.sessions,
                             detail=_by_channel(lang, facts.student_sessions)))
    if facts.contacts:
        out.append("- " + tr(lang, "pnote.done.contacts", n=facts.contacts,
                             detail=_by_channel(lang, facts.family_contacts)))
    if not facts.sessions and not facts.contacts:
        out.append("- " + tr(lang, "pnote.done.none"))
    if facts.attended:
        out.append(tr(lang, "pnote.done.events", n=facts.attended,
                      detail=_by_channel(lang, facts.events, "event")))
    out += ["", tr(lang, "pnote.progress.title")]
    if not facts.trend:
        out.append("- " + tr(lang, "pnote.progress.unknown"))
    else:
        out.append("- " + tr(lang, f"pnote.progress.{facts.trend}"))
        if facts.better:
            out.append("- " + tr(lang, "pnote.progress.better_in",
                                 subjects=_join(lang, map(one_line, facts.better))))
        if facts.lower:
            out.append("- " + tr(lang, "pnote.progress.lower_in",
                                 subjects=_join(lang, map(one_line, facts.lower))))
    if facts.goals:
        out += ["", tr(lang, "pnote.goals.title")]
        out += ["- " + one_line(goal) for goal in facts.goals]
    out += ["", tr(lang, "pnote.tips.title")]
    out += ["- " + tr(lang, key) for key in tips(facts)]
    out.append("")
    if facts.next_contact is not None:
        out.append(tr(lang, "pnote.next", day=day_text(lang, facts.next_contact)))
    out.append(tr(lang, "pnote.welcome"))
    out += ["", tr(lang, "pnote.signed", author=one_line(facts.author),
                   day=day_text(lang, facts.as_of))]
    return "\n".join(out) + "\n"
