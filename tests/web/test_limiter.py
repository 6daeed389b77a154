"""The sign-in limit holds across gunicorn workers when it is counted in Redis.

Two sync workers each count in their own memory unless the limiter shares Redis. To be sure both
workers answer, the test holds one busy with an unfinished request while the other takes the
first attempts, then the other way round; gunicorn's access log (with each worker's pid) shows
who answered which.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest

from tests.web.test_cache_backends import ROOT, redis_or_skip

pytestmark = pytest.mark.redis


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _stall(port: int) -> socket.socket:
    """Open a connection and send half a request: the worker that accepts it waits on it."""
    conn = socket.create_connection(("127.0.0.1", port), timeout=20)
    conn.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n")
    time.sleep(0.5)  # let an idle worker accept it before the next request arrives
    return conn


def _finish(conn: socket.socket) -> None:
    conn.sendall(b"\r\n")
    assert b"200 OK" in conn.recv(4096)
    conn.close()


@pytest.fixture
def gunicorn_two_workers(tiny_dir, tmp_path):
    """Start ``gunicorn -w 2`` on the tiny district with the limiter in Redis; yield (url, log)."""
    redis_or_skip()
    gunicorn = Path(sys.executable).parent / "gunicorn"
    if not gunicorn.exists():
        pytest.skip("gunicorn is not installed in this environment")
    port = _free_port()
    log = tmp_path / "gunicorn.log"
    env = dict(
        os.environ,
        GRIDMAP_DATA_DIR=str(tiny_dir),
        GRIDMAP_CACHE_TYPE="RedisCache",
        GRIDMAP_DATABASE_URL=f"sqlite:///{tmp_path / 'limiter.sqlite'}",
        GRIDMAP_SECRET_KEY=uuid.uuid4().hex,
        GRIDMAP_LOGIN_LIMIT="1000 per minute",  # only the per-name limit is under test
    )
    command = [
        # A worker held by a half-sent request is not killed at 30 s when the machine is busy.
        str(gunicorn), "-w", "2", "-b", f"127.0.0.1:{port}", "--timeout", "120",
        "--access-logfile", "-", "--access-logformat", "pid=%(p)s %(m)s %(U)s %(s)s",
        "app:create_server()",
    ]  # fmt: skip
    with open(log, "wb") as out:
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{base}/api/v1/health", timeout=2).close()
                break
            except OSError:
                assert proc.poll() is None, log.read_text()
                time.sleep(0.3)
        else:
            pytest.fail("gunicorn did not answer within 60 s:\n" + log.read_text())
        # Both workers up (each loads the app after the fork): with one held by a half-sent
        # request, the other answers. The test's attempts then never wait on a booting worker.
        held = _stall(port)
        urllib.request.urlopen(f"{base}/api/v1/health", timeout=90).close()
        _finish(held)
        yield base, port, log
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=20)


def test_the_name_limit_holds_across_two_workers(gunicorn_two_workers):
    base, port, log = gunicorn_two_workers
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    html = opener.open(f"{base}/login", timeout=30).read().decode()
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    name = f"nobody-{uuid.uuid4().hex[:8]}"

    def attempt() -> int:
        data = urllib.parse.urlencode(
            {"name": name, "password": "wrong-password!", "csrf_token": token, "next": "/"}
        ).encode()
        try:
            with opener.open(f"{base}/login", data=data, timeout=60) as answer:
                return answer.status
        except urllib.error.HTTPError as error:
            return error.code

    first = _stall(port)  # worker A waits on it: worker B answers the next three
    statuses = [attempt() for _ in range(3)]
    second = _stall(port)  # worker B waits on this one
    _finish(first)  # worker A is free again: it answers the rest
    statuses += [attempt() for _ in range(3)]
    _finish(second)
    assert statuses == [401, 401, 401, 401, 401, 429]
    posts = re.findall(r"pid=<(\d+)> POST /login (\d+)", log.read_text())
    assert [int(s) for _, s in posts] == statuses
    pids = [p for p, _ in posts]
    assert len(set(pids[:3])) == 1 and len(set(pids[3:])) == 1 and pids[0] != pids[3], posts
