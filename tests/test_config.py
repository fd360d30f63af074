"""Where the database is and which language: db.config.resolve."""

from __future__ import annotations

from pathlib import Path

import pytest

from db import config
from db.config import ConfigError, lang_from_locale, normalise_lang, resolve


@pytest.fixture
def dirs(tmp_path, monkeypatch):
    """An empty config dir and data dir (read from os.environ by db.config)."""
    cfg = tmp_path / "cfg"
    data = tmp_path / "data"
    cfg.mkdir()
    monkeypatch.setenv("BANGFU_CONFIG_DIR", str(cfg))
    monkeypatch.setenv("BANGFU_DATA_DIR", str(data))
    for var in ("BANGFU_DB", "BANGFU_USER", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        monkeypatch.delenv(var, raising=False)
    return cfg, data


def write_config(cfg: Path, text: str) -> None:
    (cfg / "config.toml").write_text(text, encoding="utf-8")


def test_config_dir_follows_environment(dirs):
    cfg, data = dirs
    assert config.config_file() == cfg / "config.toml"
    assert config.data_dir() == data


def test_db_argument_beats_everything(dirs):
    cfg, _ = dirs
    write_config(cfg, 'db = "/share/from-config.db"\n')
    s = resolve("/tmp/arg.db", environ={"BANGFU_DB": "/share/env.db"})
    assert (s.db_path, s.db_source) == (Path("/tmp/arg.db"), "--db")


def test_environment_beats_config_file(dirs):
    cfg, _ = dirs
    write_config(cfg, 'db = "/share/from-config.db"\n')
    s = resolve(None, environ={"BANGFU_DB": "/share/env.db"})
    assert (s.db_path, s.db_source) == (Path("/share/env.db"), "BANGFU_DB")


def test_config_file_beats_default(dirs):
    cfg, _ = dirs
    write_config(cfg, 'db = "/share/from-config.db"\nlang = "zh"\n')
    s = resolve(None, environ={})
    assert (s.db_path, s.db_source) == (Path("/share/from-config.db"), "config")
    assert (s.lang, s.lang_source) == ("zh", "config")


def test_default_is_under_the_data_dir(dirs):
    _, data = dirs
    s = resolve(None, environ={})
    assert (s.db_path, s.db_source) == (data / "bangfu.db", "default")
    assert not s.db_path.exists()  # resolving creates nothing


def test_empty_values_fall_through(dirs):
    cfg, data = dirs
    write_config(cfg, 'db = ""\n')
    s = resolve("", environ={"BANGFU_DB": ""})
    assert (s.db_path, s.db_source) == (data / "bangfu.db", "default")


def test_home_is_expanded(dirs):
    s = resolve("~/school.db", environ={})
    assert s.db_path == Path.home() / "school.db"


@pytest.mark.parametrize("environ, lang", [
    ({"LANG": "zh_CN.UTF-8"}, "zh"),
    ({"LANG": "zh_TW.UTF-8"}, "zh"),
    ({"LANG": "en_US.UTF-8"}, "en"),
    ({"LANG": "en_US"}, "en"),
    ({"LANG": "de_DE.UTF-8"}, "en"),
    ({"LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
    ({"LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),
])
def test_lang_from_locale(dirs, environ, lang):
    assert lang_from_locale(environ) == lang
    s = resolve(None, environ=environ)
    assert (s.lang, s.lang_source) == (lang, "LANG")


@pytest.mark.parametrize("environ", [{}, {"LANG": "C"}, {"LANG": "POSIX"}, {"LANG": ""}])
def test_lang_default_is_english(dirs, environ):
    s = resolve(None, environ=environ)
    assert (s.lang, s.lang_source) == ("en", "default")


def test_lang_argument_beats_config_and_locale(dirs):
    cfg, _ = dirs
    write_config(cfg, 'lang = "zh"\n')
    s = resolve(None, "en", environ={"LANG": "zh_CN.UTF-8"})
    assert (s.lang, s.lang_source) == ("en", "--lang")
    s = resolve(None, "zh", environ={"LANG": "en_US.UTF-8"})
    assert (s.lang, s.lang_source) == ("zh", "--lang")


def test_config_lang_beats_locale(dirs):
    cfg, _ = dirs
    write_config(cfg, 'lang = "zh"\n')
    s = resolve(None, environ={"LANG": "en_US.UTF-8"})
    assert (s.lang, s.lang_source) == ("zh", "config")
    write_config(cfg, 'lang = "en"\n')
    s = resolve(None, environ={"LANG": "zh_CN.UTF-8"})
    assert (s.lang, s.lang_source) == ("en", "config")


def test_unknown_config_lang_falls_back_to_locale(dirs):
    cfg, _ = dirs
    write_config(cfg, 'lang = "fr"\n')
    s = resolve(None, environ={"LANG": "zh_CN.UTF-8"})
    assert (s.lang, s.lang_source) == ("zh", "LANG")


@pytest.mark.parametrize("value, lang", [
    ("zh", "zh"), ("zh_CN", "zh"), ("ZH-cn", "zh"), ("中文", "zh"), ("cn", "zh"),
    ("en", "en"), ("en_GB", "en"), (" EN ", "en"), ("fr", None), ("", None), (None, None),
])
def test_normalise_lang(value, lang):
    assert normalise_lang(value) == lang


def test_user_from_environment_beats_config(dirs):
    cfg, _ = dirs
    write_config(cfg, 'user = "李建国"\n')
    assert resolve(None, environ={}).user == "李建国"
    assert resolve(None, environ={"BANGFU_USER": "王芳"}).user == "王芳"


def test_broken_config_file_raises_config_error(dirs):
    cfg, _ = dirs
    write_config(cfg, 'db = "unterminated\nlang = zh\n')
    with pytest.raises(ConfigError) as info:
        resolve(None, environ={})
    assert "config.toml" in str(info.value)


def test_unreadable_config_file_raises_config_error(dirs):
    cfg, _ = dirs
    (cfg / "config.toml").mkdir()  # a directory where the file should be
    with pytest.raises(ConfigError):
        resolve(None, environ={})


def test_cli_reports_a_broken_config_in_one_line(dirs, capsys):
    from tui.cli import main

    cfg, _ = dirs
    write_config(cfg, "db = [\n")
    assert main(["find", "zw"]) != 0
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert err.startswith("bangfu: ") and "config.toml" in err
    assert "Traceback" not in err


def test_stale_lock_threshold_and_backups_come_from_the_config(dirs):
    cfg, _ = dirs
    assert resolve(None, environ={}).stale_lock == 60
    assert resolve(None, environ={}).backups == 14
    write_config(cfg, "stale_lock_seconds = 300\nbackups = 30\n")
    s = resolve(None, environ={})
    assert (s.stale_lock, s.backups) == (300, 30)
    for bad in ("stale_lock_seconds = 2", 'stale_lock_seconds = "soon"', "backups = 0"):
        write_config(cfg, bad + "\n")
        with pytest.raises(ConfigError):
            resolve(None, environ={})


def test_unlock_waits_for_the_configured_threshold(dirs, tmp_path, capsys):
    import os
    import time

    from db.store.connection import open_database, close_database
    from db.store.lock import lock_dir
    from tui.cli import main

    cfg, _ = dirs
    path = tmp_path / "s.db"
    open_database(path, create=True)
    close_database()
    lock_dir(path).mkdir()
    old = time.time() - 120  # two minutes: stale by default, fresh under a 300 s threshold
    os.utime(lock_dir(path), (old, old))
    write_config(cfg, "stale_lock_seconds = 300\n")
    assert main(["--db", str(path), "unlock", "--yes"]) == 1
    assert lock_dir(path).exists()
    write_config(cfg, "")
    assert main(["--db", str(path), "unlock", "--yes"]) == 0
    assert not lock_dir(path).exists()
