"""The keys of a screen, and the keys a person rebinds in config.toml.

``screen_bindings`` is the one list of what each key does on a screen right
now (the focused widget and its containers, the screen, the app), as
Textual resolves it, keymap applied: the footer, the command palette and the
F1 help are all drawn from it, so none of them can go stale.

``check_keymap`` checks a ``[keymap]`` table (``db.config.keymap_entries``)
against every binding of the app: an entry whose keys are not keys, whose
name no binding has, or whose new key another binding on the same screen
already uses (or a text field does) is named and left out; the rest applies.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import get_close_matches

from textual.binding import Binding, BindingsMap
from textual.keys import Keys, key_to_character

from tui.i18n import CATALOG, t

FIELD, SCREEN, APP = "field", "screen", "app"  # where a key acts: the help's groups


@dataclass(frozen=True)
class KeyEntry:
    key: str  # as bound now (after the keymap)
    node: object  # where its action runs
    binding: Binding
    enabled: bool  # False: shown but not possible right now
    group: str  # FIELD (the focused widget or a container of it), SCREEN or APP


def described(binding: Binding) -> bool:
    """Whether the binding has a name in the interface text catalog."""
    return bool(binding.description) and binding.description in CATALOG


def screen_bindings(screen) -> list[KeyEntry]:
    """Every key that acts on ``screen`` now, one entry per key, in the order
    Textual looks (focused widget outwards, then the app), as keymapped.

    ``Screen.active_bindings`` leaves the app out on a modal screen; the app's
    priority keys (ctrl+q, F1) reach it all the same, so they are added."""
    app = screen.app
    found = dict(screen.active_bindings)
    if screen.is_modal:
        from textual.binding import ActiveBinding

        for node, bindings in screen._binding_chain:  # (keymap applied)
            if node is not app:
                continue
            for key, binding in bindings:
                if binding.priority and app._check_action_state(binding.action, app) is not False:
                    found[key] = ActiveBinding(app, binding, True, binding.tooltip)
    entries = []
    for key, active in found.items():
        node = active.node
        group = APP if node is app else SCREEN if node is screen else FIELD
        entries.append(KeyEntry(key, node, active.binding, active.enabled, group))
    return entries


# -- the [keymap] table --------------------------------------------------------------
MODIFIERS = ("ctrl", "shift", "alt", "meta", "super", "hyper")
NAMED_KEYS = frozenset(k.value for k in Keys
                       if "+" not in k.value and not k.value.startswith("<"))


def character_key(character: str) -> str:
    """The key of one character as Textual names it in bindings (``/`` ->
    ``slash``, ``a`` -> ``a``), as Textual's own (private) conversion does."""
    import unicodedata

    from textual.keys import ASCII_KEY_NAMES, KEY_NAME_REPLACEMENTS

    if character.isalnum():
        key = character
    else:
        try:
            key = unicodedata.name(character).lower().replace("-", "_").replace(" ", "_")
        except ValueError:
            key = ASCII_KEY_NAMES.get(character, character)
    return KEY_NAME_REPLACEMENTS.get(key, key)


def normal_key(text: str) -> str | None:
    """One key as Textual names it (``Ctrl+W`` -> ``ctrl+w``, ``/`` -> ``slash``),
    or None when it is not a key a keyboard sends."""
    text = text.strip()
    if not text:
        return None
    if len(text) == 1:
        return character_key(text) if text.isprintable() and not text.isspace() else None
    *mods, base = text.split("+")
    mods = [m.strip().lower() for m in mods]
    base = base.strip()
    if any(m not in MODIFIERS for m in mods) or len(set(mods)) != len(mods) or not base:
        return None
    if len(base) == 1:
        if not base.isprintable() or base.isspace():
            return None
        base = character_key(base.lower() if mods else base)  # ctrl+W is ctrl+w
    else:
        base = base.lower()
        if base not in NAMED_KEYS:
            character = key_to_character(base)
            if character is None or not (character.isascii() and character.isprintable()):
                return None
    return "+".join([*mods, base])


def binding_holders() -> list[type]:
    """Every class of the app that has bindings: the app, each screen and
    widget of ``screens/`` and ``tui/`` (imports every screen)."""
    import importlib
    import pkgutil

    from textual.dom import DOMNode

    import screens

    modules = [importlib.import_module(f"screens.{info.name}")
               for info in pkgutil.iter_modules(screens.__path__)]
    modules += [importlib.import_module(name) for name in ("tui.widgets", "tui.grid", "tui.app")]
    widgets = modules[-3]
    if hasattr(widgets, "__path__"):  # tui/widgets/ as a package: the classes are in its modules
        modules += [importlib.import_module(f"tui.widgets.{info.name}")
                    for info in pkgutil.iter_modules(widgets.__path__)]
    holders = []
    for module in modules:
        for obj in vars(module).values():
            if (isinstance(obj, type) and issubclass(obj, DOMNode)
                    and obj.__module__ == module.__name__ and obj.__dict__.get("BINDINGS")):
                holders.append(obj)
    return holders


def text_field_keys() -> frozenset[str]:
    """The keys Textual's text fields use themselves (delete a word, undo…)."""
    from textual.widgets import Input, TextArea

    return frozenset(key for cls in (Input, TextArea) for key, _ in cls._merge_bindings())


@dataclass
class KeymapCheck:
    keymap: dict[str, str]  # what to apply: binding id -> keys, as Textual writes them
    problems: list[str]  # each bad entry named, in the interface language


def check_keymap(entries, holders: list[type] | None = None,
                 app_class: type | None = None) -> KeymapCheck:
    """Check the ``[keymap]`` pairs against the app's bindings; what is wrong
    is named and left out, the rest is kept."""
    if entries is None:
        return KeymapCheck({}, [t("keymap.not_table")])
    if holders is None:
        holders = binding_holders()
    if app_class is None:
        from tui.app import BangfuApp

        app_class = BangfuApp
    maps = {cls: cls._merge_bindings() for cls in {*holders, app_class}}
    defaults: dict[str, set[str]] = {}  # id -> its keys as the code binds it
    for bindings in maps.values():
        for key, binding in bindings:
            if binding.id:
                defaults.setdefault(binding.id, set()).add(key)

    keymap: dict[str, str] = {}
    problems: list[str] = []
    for name, value in entries:
        if value is None:
            problems.append(t("keymap.not_text", id=name))
            continue
        keys = [normal_key(part) for part in value.split(",")]
        if not value.strip() or None in keys:
            bad = next((p.strip() for p, k in zip(value.split(","), keys) if k is None), value)
            problems.append(t("keymap.bad_key", id=name, keys=value, key=bad))
            continue
        alt = next((k for k in keys if {"alt", "meta"} & set(k.split("+")[:-1])), None)
        if alt:  # a terminal sends Alt+x as Esc then x, and bangfu reads it so
            problems.append(t("keymap.alt", id=name, key=alt))
            continue
        if name not in defaults:
            near = get_close_matches(name, sorted(defaults), n=1)
            problems.append(t("keymap.unknown_near", id=name, near=near[0]) if near
                            else t("keymap.unknown", id=name))
            continue
        keymap[name] = ",".join(dict.fromkeys(keys))

    # a new key a text field uses itself: in the field it would do the field's thing
    fields = text_field_keys()
    for name in list(keymap):
        taken = [k for k in keymap[name].split(",") if k in fields and k not in defaults[name]]
        if taken:
            problems.append(t("keymap.text_field", id=name, key=taken[0]))
            del keymap[name]

    # a new key another binding on the same screen (or the app) already has.
    # (Textual's own check misses a binding that has an id, and then drops it.)
    app_map = maps[app_class]
    screens = [bindings if cls is app_class else BindingsMap.merge([bindings, app_map])
               for cls, bindings in maps.items()]
    while True:
        found = {}
        for bindings in screens:
            for name, key, other in clashes(bindings, keymap):
                found.setdefault((name, key), other)
        if not found:
            break
        for (name, key), other in sorted(found.items()):
            problems.append(t("keymap.clash", id=name, key=key,
                              other=t(other.description) if described(other) else other.action))
            keymap.pop(name, None)
    return KeymapCheck(keymap, problems)


def clashes(bindings: BindingsMap, keymap: dict[str, str]):
    """``(id, key, other binding)`` for each binding the keymap moves onto a key
    another binding of ``bindings`` has (after the keymap)."""
    on_key: dict[str, list[Binding]] = {}
    for key, binding in bindings:
        moved = keymap.get(binding.id) if binding.id else None
        for new in moved.split(",") if moved else [key]:
            on_key.setdefault(new, []).append(binding)
    for key, group in on_key.items():
        for binding in group:
            if binding.id in keymap and key in keymap[binding.id].split(","):
                for other in group:
                    if other.id != binding.id:
                        yield binding.id, key, other
                        break


def check_theme(theme: str, available) -> str | None:
    """The problem with ``theme = ...`` in words, or None when it can be used."""
    if not theme or theme in available:
        return None
    names = sorted(available)
    shown = ", ".join(names[:6]) + (", …" if len(names) > 6 else "")
    return t("theme.unknown", theme=theme, names=shown)
