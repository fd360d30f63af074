"""Staff as plain data for the sign-in list (no database imports: loaded at start-up)."""

from __future__ import annotations

from dataclasses import dataclass

from db.search import normalise_query


@dataclass(frozen=True, slots=True)
class StaffView:
    id: int
    name: str
    role: str
    pinyin: str
    initials: str
    classes: str = ""  # class codes they teach (db.access: what they see)
    has_pin: bool = True  # False: an account from before PINs chooses one at sign-in

    @property
    def keys(self) -> list[str]:
        """What one may type to find this person: name, each reading, initials."""
        return [self.name.lower(), *self.pinyin.replace("'", "").split("|"),
                *self.initials.split("|")]


def filter_staff(staff: list[StaffView], query: str) -> list[StaffView]:
    """Staff whose name or pinyin starts with ``query`` first, then contains it."""
    q = normalise_query(query)
    if not q:
        return list(staff)
    first, rest = [], []
    for person in staff:
        keys = person.keys
        if any(k.startswith(q) for k in keys):
            first.append(person)
        elif any(q in k for k in keys):
            rest.append(person)
    return first + rest
