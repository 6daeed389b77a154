"""The cache backends for several workers (FileSystemCache, RedisCache) and gunicorn workers."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

from app import create_app
from tests.auth_support import signed_in
from web.cache import cache

ROOT = Path(__file__).resolve().parents[2]


def redis_or_skip():
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url("redis://127.0.0.1:6379/0", socket_connect_timeout=1)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as error:
        pytest.skip(f"Redis not reachable at 127.0.0.1:6379: {error}")
    return client


def test_filesystem_cache_is_shared_between_two_apps(tiny_dir, tmp_path):
    config = {"data_dir": tiny_dir, "cache_type": "FileSystemCache", "cache_dir": tmp_path}
    first, second = create_app(config), create_app(config)
    assert signed_in(first).get("/api/v1/grids/T1").status_code == 200
    stored = set(os.listdir(tmp_path))
    assert stored, "the first app stored nothing in the shared cache"
    # The second app (another worker) finds the memoized summary instead of computing it.
    with second.server.app_context():
        from web.grids_api import _summary

        key = _summary.make_cache_key(_summary.uncached, "T1")
        assert cache.get(key) is not None
    assert signed_in(second).get("/api/v1/grids/T1").get_json()["grid"]["grid_id"] == "T1"


@pytest.mark.redis
def test_redis_cache_stores_memoized_results(tiny_dir, monkeypatch):
    client = redis_or_skip()
    app = create_app({"data_dir": tiny_dir, "cache_type": "RedisCache"})
    district = app.server.extensions["gridmap"].district
    prefix = f"gridmap:{district.version}:"
    for key in client.scan_iter(prefix + "*"):
        client.delete(key)
    resp = signed_in(app).get("/api/v1/grids/T2")
    assert resp.status_code == 200
    keys = list(client.scan_iter(prefix + "*"))
    assert keys, "nothing was stored in Redis under the app's key prefix"
    for key in keys:
        client.delete(key)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


TOKEN = "gunicorn-test-token"


def _authorized(url: str) -> urllib.request.Request:
    return urllib.request.Request(url, headers={"Authorization": f"Bearer {TOKEN}"})


def test_gunicorn_with_two_workers_serves_the_app(tiny_dir, tmp_path):
    gunicorn = Path(sys.executable).parent / "gunicorn"
    if not gunicorn.exists():
        pytest.skip("gunicorn is not installed in this environment")
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = dict(
        os.environ,
        GRIDMAP_DATA_DIR=str(tiny_dir),
        GRIDMAP_CACHE_TYPE="FileSystemCache",
        GRIDMAP_CACHE_DIR=str(tmp_path / "cache"),
        GRIDMAP_SECRET_KEY=uuid.uuid4().hex,
        GRIDMAP_API_TOKEN=TOKEN,
    )
    proc = subprocess.Popen(
        [str(gunicorn), "-w", "2", "-b", f"127.0.0.1:{port}", "app:create_server()"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        body = None
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{base}/api/v1/health", timeout=2) as r:
                    body = r.read().decode()
                break
            except OSError:
                if proc.poll() is not None:
                    break
                time.sleep(0.3)
        assert body is not None, "gunicorn did not answer within 60 s"
        assert '"status":"ok"' in body.replace(" ", "")
        for _ in range(20):
            with urllib.request.urlopen(_authorized(f"{base}/api/v1/grids/T1"), timeout=5) as r:
                assert r.status == 200
        with urllib.request.urlopen(_authorized(f"{base}/"), timeout=5) as r:
            assert "_dash-config" in r.read().decode()
        # Both workers started (gunicorn logs one "Booting worker" line per worker).
        proc.terminate()
        log = proc.communicate(timeout=20)[0].decode()
        assert log.count("Booting worker") == 2, log
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate(timeout=20)
