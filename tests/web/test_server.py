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


def test_versioned_files_are_kept_a_year_and_compressed_once(client):
    import gzip
    import re

    from web.compression import IMMUTABLE

    page = client.get("/planner/").get_data(as_text=True)
    asset = re.search(r'src="(/planner/assets/plotly-gridmap\.min\.js\?m=[0-9.]+)"', page).group(1)
    suite = re.search(r'src="(/planner/_dash-component-suites/[^"]+\.v[^"]+\.js)"', page).group(1)
    for url in (asset, suite):
        first = client.get(url, headers={"Accept-Encoding": "gzip"})
        again = client.get(url, headers={"Accept-Encoding": "gzip"})
        plain = client.get(url)
        body = plain.data
        plain.close()
        assert first.headers["Cache-Control"] == IMMUTABLE, url
        assert first.headers["Content-Encoding"] == "gzip" and again.data == first.data
        assert gzip.decompress(first.data) == body and "Content-Encoding" not in plain.headers
    kept = client.application.extensions["gridmap_compressed_files"]
    assert (asset, "gzip") in kept  # compressed once, then answered from memory
    # A revalidation of the version keeps the year; the same file without its version does not.
    etag = client.get(asset, headers={"Accept-Encoding": "gzip"}).headers["ETag"]
    revalidated = client.get(asset, headers={"Accept-Encoding": "gzip", "If-None-Match": etag})
    assert revalidated.status_code == 304 and revalidated.headers["Cache-Control"] == IMMUTABLE
    unversioned = client.get(asset.split("?")[0], headers={"Accept-Encoding": "gzip"})
    unversioned.close()
    assert unversioned.status_code == 200 and "immutable" not in unversioned.headers.get(
        "Cache-Control", ""
    )
    # Pages and data are never kept.
    assert "immutable" not in client.get("/planner/").headers.get("Cache-Control", "")
    assert "immutable" not in client.get("/planner/_dash-layout").headers.get("Cache-Control", "")


def _read_key(path: str, barrier, keys) -> None:
    from gridmap.settings import load_settings
    from web.server import secret_key

    settings = load_settings({"secret_key": "", "secret_key_file": path})
    barrier.wait()
    keys.put(secret_key(settings))


def test_workers_starting_together_share_one_whole_secret_key(tmp_path):
    import multiprocessing

    spawn = multiprocessing.get_context("spawn")
    for round_ in range(4):
        path = tmp_path / f"secret-{round_}"
        barrier, keys = spawn.Barrier(6), spawn.Queue()
        workers = [
            spawn.Process(target=_read_key, args=(str(path), barrier, keys)) for _ in range(6)
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(60)
        found = {keys.get(timeout=10) for _ in workers}
        assert len(found) == 1 and len(next(iter(found))) == 64, found
        assert path.read_text() == next(iter(found))
        assert path.stat().st_mode & 0o777 == 0o600
        assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
