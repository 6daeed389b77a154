"""Settings: defaults, GRIDMAP_* variables, config overrides and every refused value."""

from __future__ import annotations

from pathlib import Path

import pytest

from gridmap.errors import ConfigError, GridmapError
from gridmap.settings import ROOT, Settings, load_settings


def test_defaults():
    s = load_settings(environ={})
    assert s == Settings()
    assert s.data_dir == ROOT / "data" / "geo"
    assert (s.host, s.port, s.lang) == ("127.0.0.1", 8050, "zh")
    assert s.cache_type == "SimpleCache"
    assert s.cache_timeout == 3600
    assert s.debug is False
    assert s.tile_url == ""


def test_environment_is_parsed():
    environ = {
        "GRIDMAP_PORT": "9000",
        "GRIDMAP_LANG": "en",
        "GRIDMAP_DEBUG": "yes",
        "GRIDMAP_CACHE_TIMEOUT": " 60 ",
        "GRIDMAP_DATA_DIR": "/srv/geo",
        "GRIDMAP_TILE_URL": "http://127.0.0.1:8080/{z}/{x}/{y}.png",
        "OTHER_PORT": "1",
        "PORT": "1",
    }
    s = load_settings(environ=environ)
    assert s.port == 9000
    assert s.lang == "en"
    assert s.debug is True
    assert s.cache_timeout == 60
    assert s.data_dir == Path("/srv/geo")
    assert s.tile_url == "http://127.0.0.1:8080/{z}/{x}/{y}.png"


def test_relative_path_is_made_absolute(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    s = load_settings(environ={"GRIDMAP_DATA_DIR": "geo"})
    assert s.data_dir == tmp_path / "geo"


@pytest.mark.parametrize(
    ("text", "value"),
    [("1", True), ("true", True), ("On", True), ("YES", True), ("0", False), ("off", False),
     ("no", False), ("", False), ("False", False)],
)  # fmt: skip
def test_bool_words(text, value):
    assert load_settings(environ={"GRIDMAP_DEBUG": text}).debug is value


def test_config_overrides_environment():
    environ = {"GRIDMAP_PORT": "9000", "GRIDMAP_LANG": "en"}
    s = load_settings({"port": 9100, "GRIDMAP_LANG": "zh", "debug": True}, environ=environ)
    assert (s.port, s.lang, s.debug) == (9100, "zh", True)
    s = load_settings({"gridmap_port": "9200", "Data_Dir": Path("/x")}, environ=environ)
    assert (s.port, s.lang, s.data_dir) == (9200, "en", Path("/x"))


@pytest.mark.parametrize(
    ("config", "match"),
    [
        ({"lang": "fr"}, r"GRIDMAP_LANG must be one of \('zh', 'en'\), got 'fr'"),
        ({"port": 0}, "GRIDMAP_PORT must be 1-65535, got 0"),
        ({"port": 65536}, "GRIDMAP_PORT must be 1-65535, got 65536"),
        ({"port": "80a"}, "GRIDMAP_PORT must be an integer, got '80a'"),
        ({"cache_timeout": None}, "GRIDMAP_CACHE_TIMEOUT must be an integer, got None"),
        ({"debug": "maybe"}, "GRIDMAP_DEBUG must be true or false, got 'maybe'"),
        ({"colour": "red"}, "unknown setting 'colour'; known: .*'data_dir'"),
        ({"GRIDMAP_NOPE": 1}, "unknown setting 'GRIDMAP_NOPE'"),
        (
            {"tile_url": "http://tiles/a.png"},
            r"GRIDMAP_TILE_URL must be .*\{z\}.*'http://tiles/a.png'",
        ),
    ],
)
def test_bad_config_is_refused(config, match):
    with pytest.raises(ConfigError, match=match):
        load_settings(config, environ={})


@pytest.mark.parametrize(
    ("environ", "match"),
    [
        ({"GRIDMAP_LANG": "EN"}, "GRIDMAP_LANG must be one of"),
        ({"GRIDMAP_PORT": "eighty"}, "GRIDMAP_PORT must be an integer, got 'eighty'"),
        ({"GRIDMAP_PORT": "-1"}, "GRIDMAP_PORT must be 1-65535, got -1"),
        ({"GRIDMAP_DEBUG": "2"}, "GRIDMAP_DEBUG must be true or false, got '2'"),
        ({"GRIDMAP_TILE_URL": "http://t/{x}/{y}"}, "GRIDMAP_TILE_URL must be a raster tile"),
    ],
)
def test_bad_environment_is_refused(environ, match):
    with pytest.raises(ConfigError, match=match):
        load_settings(environ=environ)


def test_config_error_is_a_value_error():
    assert issubclass(ConfigError, GridmapError)
    assert issubclass(ConfigError, ValueError)


def test_settings_are_frozen():
    s = load_settings(environ={})
    with pytest.raises(AttributeError, match="cannot assign to field 'port'"):
        s.port = 1  # type: ignore[misc]
