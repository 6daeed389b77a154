"""Wiring of the server (web/server.py): cache configuration and every blueprint."""

from __future__ import annotations

from pathlib import Path

from gridmap.settings import load_settings
from web.runtime import EXTENSION_KEY
from web.server import cache_config


def test_cache_config_per_backend(tmp_path: Path):
    simple = cache_config(load_settings({"cache_type": "SimpleCache"}), "p:")
    assert simple["CACHE_TYPE"] == "SimpleCache" and simple["CACHE_KEY_PREFIX"] == "p:"
    assert "CACHE_DIR" not in simple and "CACHE_REDIS_URL" not in simple
    files = cache_config(
        load_settings({"cache_type": "FileSystemCache", "cache_dir": tmp_path}), "p:"
    )
    assert files["CACHE_DIR"] == str(tmp_path)
    redis = cache_config(load_settings({"cache_type": "RedisCache"}), "p:")
    assert "CACHE_REDIS_URL" in redis


def test_every_blueprint_is_registered(tiny_app):
    server = tiny_app.server
    assert {"api", "geo", "incidents", "coverage_api"} <= set(server.blueprints)
    assert server.extensions[EXTENSION_KEY].district.version
    assert server.secret_key


def test_the_app_reads_the_clock_it_is_given(make_clocked_app):
    from tests.fake_clock import FakeClock

    clock = FakeClock()
    app = make_clocked_app(clock)
    assert app.server.extensions[EXTENSION_KEY].clock is clock


def test_scripts_are_gzipped_and_their_files_closed(client):
    import gzip
    import re
    import warnings

    page = client.get("/").get_data(as_text=True)
    script = re.search(r'src="(/_dash-component-suites/[^"]+\.js)"', page).group(1)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ResourceWarning)
        answer = client.get(script, headers={"Accept-Encoding": "gzip"})
        plain = client.get(script)
    assert answer.status_code == 200 and answer.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(answer.data) == plain.data
    assert "Accept-Encoding" in answer.headers["Vary"]
