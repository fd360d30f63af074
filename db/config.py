"""Where the database is and which language to use.

The database is chosen by ``--db PATH``, else ``BANGFU_DB``, else ``db = "..."``
in the config file (``<user config dir>/bangfu/config.toml``), else
``<user data dir>/bangfu/bangfu.db``, created on first start.  Each of these
may instead be a server URL, ``postgresql://user@host:5432/bangfu``
(``db.store.server``); its password, if the URL carries one, is never shown.

On a network share every client of one file must use the same locking mode:
``--locking``, else ``BANGFU_LOCKING``, else ``locking = "dotfile"`` in the
config, else ``posix``.  ``backups = 14`` says how many daily backups to keep;
``stale_lock_seconds = 60`` when a dot-file lock counts as left by a crash;
``idle_lock_minutes = 5`` (or ``BANGFU_IDLE_LOCK``) locks the app after that
many minutes without a key (0: never).  ``[os_users]`` maps OS logins to staff
names (``zhangwei = "张伟"``): over SSH the sign-in then goes straight to that
person's PIN, and the CLI acts as them without ``--as``.

``theme = "textual-light"`` picks the app's colours; a ``[keymap]`` table
rebinds keys by their name (``save = "f5"``).  Both are read here as
written and checked by the app (``tui.keymap``), which names a bad entry and
goes on without it: a typo there never keeps anyone out.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TypeGuard

APP_NAME = "bangfu"


def config_dir() -> Path:
    from platformdirs import user_config_dir

    return Path(os.environ.get("BANGFU_CONFIG_DIR") or user_config_dir(APP_NAME))


def data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(os.environ.get("BANGFU_DATA_DIR") or user_data_dir(APP_NAME))


def config_file() -> Path:
    return config_dir() / "config.toml"


SERVER_SCHEMES = ("postgresql", "postgres")


def is_server_url(target) -> TypeGuard[str]:
    """True for a ``postgresql://`` (or ``postgres://``) URL, False for a file path."""
    return (isinstance(target, str) and "://" in target
            and target.split("://", 1)[0].lower() in SERVER_SCHEMES)


def shown_target(target) -> str:
    """The database as it may be shown: a path, or a URL without its password."""
    if is_server_url(target):
        from db.store.server import safe_url

        return safe_url(target)
    return str(target)


@dataclass(frozen=True)
class Settings:
    db_path: Path | str  # a file (Path) or a server URL (str)
    db_source: str  # "--db", "BANGFU_DB", "config", "default"
    lang: str  # "zh" or "en"
    lang_source: str
    user: str  # staff name to act as in the CLI ("" = ask)
    locking: str = "posix"  # "posix" or "dotfile"; every client of one file the same
    locking_source: str = "default"  # "--locking", "BANGFU_LOCKING", "config", "default"
    backups: int = 14  # how many daily backups to keep
    stale_lock: int = 60  # seconds after which a dot-file lock counts as left by a crash
    idle_lock: int = 5  # minutes without a key before the app locks itself (0: never)
    # [keymap] as written: (binding id, keys) pairs, keys None when not text;
    # None when ``keymap`` is not a table (checked and named by tui.keymap)
    keymap: tuple[tuple[str, str | None], ...] | None = ()
    theme: str = ""  # as written ("" = Textual's default); checked by the app

    @property
    def on_server(self) -> bool:
        return is_server_url(self.db_path)

    @property
    def db_shown(self) -> str:
        return shown_target(self.db_path)


class ConfigError(Exception):
    """The config file cannot be read; the message says which and why."""


def read_config_file() -> dict:
    path = config_file()
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: {exc}") from None
    return data if isinstance(data, dict) else {}


def lang_from_locale(environ=os.environ) -> str | None:
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = environ.get(var, "")
        if value and value not in ("C", "POSIX"):
            return "zh" if value.lower().startswith("zh") else "en"
    return None


def normalise_lang(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip().lower()
    if value.startswith("zh") or value in ("cn", "中文"):
        return "zh"
    if value.startswith("en"):
        return "en"
    return None


def state_dir() -> Path:
    """Local, per-user state: drafts and the outbox (never on the share)."""
    from platformdirs import user_state_dir

    return Path(os.environ.get("BANGFU_STATE_DIR") or user_state_dir(APP_NAME))


LOCKING_MODES = ("posix", "dotfile")


def os_user_account(cfg: dict) -> str:
    """The staff name the config maps this OS login to (``[os_users]``, for
    staff who SSH in with their own login): the sign-in starts at their PIN."""
    mapping = cfg.get("os_users")
    if not isinstance(mapping, dict):
        return ""
    import getpass

    try:
        login = getpass.getuser()
    except (KeyError, OSError):  # no name for this uid
        return ""
    name = mapping.get(login)
    return name.strip() if isinstance(name, str) else ""


def keymap_entries(cfg: dict) -> tuple[tuple[str, str | None], ...] | None:
    """The ``[keymap]`` table as ``(binding id, keys)`` pairs in file order; a
    value that is not text is kept as None (to be named, not applied); None
    when ``keymap`` is there but not a table."""
    table = cfg.get("keymap", {})
    if not isinstance(table, dict):
        return None
    return tuple((str(name), value if isinstance(value, str) else None)
                 for name, value in table.items())


def theme_setting(cfg: dict) -> str:
    """``theme = "..."`` as written ("" when absent; a value that is not text as
    it reads, so the app can name it)."""
    value = cfg.get("theme", "")
    return value.strip() if isinstance(value, str) else repr(value)


def resolve(db_arg: str | None = None, lang_arg: str | None = None,
            environ=os.environ, locking_arg: str | None = None) -> Settings:
    cfg = read_config_file()
    db_path: Path | str  # a file (Path) or a server URL (str)
    if db_arg:
        db_path, db_source = db_arg, "--db"
    elif environ.get("BANGFU_DB"):
        db_path, db_source = environ["BANGFU_DB"], "BANGFU_DB"
    elif cfg.get("db"):
        db_path, db_source = str(cfg["db"]), "config"
    else:
        db_path, db_source = data_dir() / "bangfu.db", "default"
    if not is_server_url(db_path):
        db_path = Path(db_path).expanduser()

    for value, source in ((lang_arg, "--lang"), (cfg.get("lang"), "config"),  # noqa: B007 - read after
                          (lang_from_locale(environ), "LANG")):
        lang = normalise_lang(value)
        if lang:
            break
    else:
        lang, source = "en", "default"
    user = environ.get("BANGFU_USER") or str(cfg.get("user") or "") or os_user_account(cfg)
    locking, locking_source = "posix", "default"
    for value, where in ((locking_arg, "--locking"), (environ.get("BANGFU_LOCKING"), "BANGFU_LOCKING"),
                         (cfg.get("locking"), "config")):
        if value:
            value = str(value).strip().lower()
            if value not in LOCKING_MODES:
                raise ConfigError(f"{where}: locking = {value!r}; use \"posix\" or \"dotfile\"")
            locking, locking_source = value, where
            break
    backups = cfg.get("backups", 14)
    if not isinstance(backups, int) or isinstance(backups, bool) or backups < 1:
        raise ConfigError(f"{config_file()}: backups = {backups!r}; use a whole number from 1")
    stale = cfg.get("stale_lock_seconds", 60)
    if not isinstance(stale, int) or isinstance(stale, bool) or stale < 10:
        raise ConfigError(f"{config_file()}: stale_lock_seconds = {stale!r}; use a whole number "
                          "of seconds from 10")
    idle = environ.get("BANGFU_IDLE_LOCK") or cfg.get("idle_lock_minutes", 5)
    try:
        idle = int(idle)
        if isinstance(cfg.get("idle_lock_minutes"), bool) or not 0 <= idle <= 240:
            raise ValueError(idle)
    except (TypeError, ValueError):
        raise ConfigError(f"{config_file()}: idle_lock_minutes = {idle!r}; use a whole number "
                          "of minutes from 0 (never) to 240") from None
    return Settings(db_path, db_source, lang, source, user, locking, locking_source, backups,
                    stale, idle, keymap_entries(cfg), theme_setting(cfg))
